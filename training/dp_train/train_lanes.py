#!/usr/bin/env python3
"""Train the lane-slot segmentation model on the CULane subset from scratch.

    python3 training/train_lanes.py --config training/configs/culane-lanes.json \
        --data-root .carry/data/culane-subset --out runs/culane-lanes [--time-limit 480]

5-class segmentation (background + 4 lane slots) of the whole frame resized to the config's input size,
plus a per-slot existence head. Horizontal flips swap the slots (1<->4, 2<->3). Val score: CULane F1 from
polylines extracted exactly as the C# node does (dp_train/lanes.py: extract_polylines), per-slot IoU.

Optional recipe parts (config keys; all off when absent, so older configs train as before):
  data.label_thickness   train on the lines.txt polylines drawn this many full-frame px wide (slot per line
                         taken from the label PNG) instead of the 16-px label PNG
  train.time_budget_s    the poly schedule runs on progress = max(iter/iters, elapsed/time_budget_s): on a slow
                         or shared GPU the schedule is compressed so it still anneals to 0 (--time-budget overrides)
  train.ema_decay        keep an exponential moving average of the weights (params + BN statistics); the EMA
                         weights are the ones evaluated and saved
  loss.dice_weight       add a soft Dice loss over the 4 lane slots of the main output
  data.extra             {"root": DIR, "split": "synthetic", "ratio": 0.25}: round(ratio * batch) frames of every
                         batch from a second lane dataset (the synthetic set of make_synth_data.py, or any CULane
                         layout), brought to the main set's stored frame size and target width first
                         (dp_train/lanes.py: load_lane_dataset, fit_lane_frames); training only, never val
                         (--extra-root overrides root)
  data.more_train        [{"root": DIR, "split": "train"}, ...]: more CULane-layout sets trained on as the main set
                         (e.g. culane-d161, another driver and camera); stored at the main set's frame size
  data.more_val          [DIR, ...]: more CULane-layout sets whose `val` split is scored too (the log and the summary
                         give F1 per set and their mean, `val_mean_f1`: the cross-drive figure models are chosen on)
  model.pretrained       a convert_resnet18.py file for the r18seg / r18rows families (dp_train/pretrained_models.py)
  train.encoder_lr_mult  learning-rate factor of the pretrained encoder's parameters (default 1)
  aug.perspective        random homography: each corner moves up to this fraction of the frame (camera mounts differ)
  aug.occluders          {"p": 0.5, "max_boxes": 3}: boxes cut from other frames of the batch pasted over the lower
                         part of the frame (cars hiding the markings); labels unchanged (CULane labels lanes under cars)
"""
import copy
import json
import argparse
import math
import os
import sys
import time

import cv2
import numpy as np
import torch
import torch.nn.functional as F

from . import common as C  # noqa: E402
from . import lanes as L  # noqa: E402
from .models import build_model, count_params, count_macs  # noqa: E402

IGNORE = 255


@torch.no_grad()
def predict(model, x_bgr_u8, device, amp=True):
    """x_bgr_u8: [N,h,w,3] uint8 BGR (what the node feeds); returns lane ids [N,h,w] uint8, exist [N,4]."""
    model.eval()
    x = torch.from_numpy(np.ascontiguousarray(x_bgr_u8[..., ::-1])).to(device)
    x = C.normalize(C.to_float_nchw(x)).contiguous(memory_format=torch.channels_last)
    with C.autocast_ctx(device, amp):
        out = model(x)
    model.train()
    return out["out"].float().argmax(1).byte().cpu().numpy(), torch.sigmoid(out["exist"].float()).cpu().numpy()


def evaluate(model, val, in_w, in_h, device):
    names, imgs, labs_full, lines = val
    sc = L.LaneScorer()
    xs = np.stack([L.model_input_bgr(im, in_w, in_h) for im in imgs])
    for i in range(0, len(xs), 16):
        m, e = predict(model, xs[i:i + 16], device)
        for j in range(m.shape[0]):
            sc.add(m[j], e[j], lines[i + j], labs_full[i + j])
    return sc.result()


def evaluate_all(model, vals, in_w, in_h, device):
    """F1 per val set and their mean (the cross-drive figure)."""
    per = {k: evaluate(model, v, in_w, in_h, device) for k, v in vals.items()}
    r = dict(next(iter(per.values())))
    r["per_dataset"] = per
    r["mean_f1"] = float(np.mean([v["f1"] for v in per.values()]))
    return r


def dice_loss(logits, y, ignore):
    """Soft Dice over the lane slots 1..4, pooled over the batch (smooth 1), mean over slots."""
    p = torch.softmax(logits.float(), 1)[:, 1:]
    valid = (y != ignore).unsqueeze(1).float()
    t = F.one_hot(y.clamp(max=4), 5)[..., 1:].permute(0, 3, 1, 2).float() * valid
    p = p * valid
    inter = (p * t).sum((0, 2, 3))
    den = p.sum((0, 2, 3)) + t.sum((0, 2, 3))
    return (1.0 - (2.0 * inter + 1.0) / (den + 1.0)).mean()


class EMA:
    """EMA of parameters and float buffers (BN running stats) in a copy of the model; foreach ops (cheap)."""

    def __init__(self, model, decay):
        self.model = copy.deepcopy(model).eval()
        self.decay = decay
        self.dst = [p for p in self.model.parameters()] + [b for b in self.model.buffers() if b.is_floating_point()]
        self.src = [p for p in model.parameters()] + [b for b in model.buffers() if b.is_floating_point()]
        for p in self.model.parameters():
            p.requires_grad_(False)

    @torch.no_grad()
    def update(self, model, it):
        d = min(self.decay, (1.0 + it) / (10.0 + it))
        torch._foreach_mul_(self.dst, d)
        torch._foreach_add_(self.dst, [t.detach() for t in self.src], alpha=1.0 - d)
        for a, b in zip(self.model.buffers(), model.buffers()):
            if not a.is_floating_point():
                a.copy_(b)


def lr_at(progress, base, warm_frac, power=0.9):
    if progress < warm_frac:
        return base * (0.1 + 0.9 * progress / max(1e-9, warm_frac))
    return base * max(0.0, (1.0 - progress) / max(1e-9, 1.0 - warm_frac)) ** power


def main():
    ap = argparse.ArgumentParser()
    C.add_run_arguments(ap, "../shared/data/culane-subset")
    args = ap.parse_args()
    wall = C.WallClock(args.time_limit)
    cfg, device, log = C.start_run(args)
    tr = cfg["train"]
    seed = tr.get("seed", 0)
    in_h, in_w = cfg["export"]["height"], cfg["export"]["width"]

    splits = cfg.get("data", {}).get("train_splits", ["train"])
    thick = cfg.get("data", {}).get("label_thickness", 0)
    ims, lbs = [], []
    for sp in splits:
        if thick:
            _, a, bf, ln = L.load_culane(args.data_root, sp, full_labels=True)
            b = [L.thick_label(lf, l, im.shape[1], im.shape[0], thick) for im, lf, l in zip(a, bf, ln)]
        else:
            _, a, b, _ = L.load_culane(args.data_root, sp)
        ims += a
        lbs += b
    for extra_set in cfg.get("data", {}).get("more_train", []):
        root = extra_set["root"]
        _, a, bf, ln = L.load_culane(root, extra_set.get("split", "train"), full_labels=True)
        h0, w0 = ims[0].shape[:2]
        a = [im if im.shape[:2] == (h0, w0) else cv2.resize(im, (w0, h0), interpolation=cv2.INTER_AREA) for im in a]
        ims += a
        lbs += [L.thick_label(lf, l, w0, h0, thick) if thick else
                cv2.resize(lf, (w0, h0), interpolation=cv2.INTER_NEAREST) for lf, l in zip(bf, ln)]
    if args.limit_images:
        ims, lbs = ims[:args.limit_images], lbs[:args.limit_images]
    tr_img = torch.from_numpy(np.stack(ims)).to(device)
    tr_lab = torch.from_numpy(np.stack(lbs)).to(device)
    vals = {os.path.basename(os.path.normpath(args.data_root)): L.load_culane(args.data_root, "val", full_labels=True)}
    for root in cfg.get("data", {}).get("more_val", []):
        vals[os.path.basename(os.path.normpath(root))] = L.load_culane(root, "val", full_labels=True)
    if args.limit_images:
        vals = {k: tuple(v[:args.limit_images] for v in val) for k, val in vals.items()}
    Hi, Wi = tr_img.shape[1], tr_img.shape[2]
    extra = C.resolve_extra(cfg.get("data", {}).get("extra"), args.extra_root)
    ex_img = ex_lab = None
    k_extra = 0
    if extra:  # e.g. synthetic 480x360 frames: stretched to the stored CULane frame size (Wi x Hi) as the node
        # stretches every frame to 512x192, with lane targets as wide as the main set's in those pixels
        _, ea, eb, el = L.load_lane_dataset(extra["root"], extra.get("split", "synthetic"))
        if args.limit_images:
            ea, eb, el = ea[:args.limit_images], eb[:args.limit_images], el[:args.limit_images]
        t_px = max(1, int(round(thick * (Wi / L.FULL_W + Hi / L.FULL_H) / 2))) if thick else 0
        ea, eb = L.fit_lane_frames(ea, eb, el, Wi, Hi, thickness_px=t_px)
        ex_img = torch.from_numpy(np.stack(ea)).to(device)
        ex_lab = torch.from_numpy(np.stack(eb)).to(device)
        k_extra = int(round(tr.get("batch", 16) * extra["ratio"]))

    model = build_model(cfg["model"], 5)
    n_params = count_params(model)
    macs = count_macs(model, torch.zeros(1, 3, in_h, in_w))
    model = model.to(device).to(memory_format=torch.channels_last)
    lr = tr.get("lr", 2e-3)
    enc_mult = tr.get("encoder_lr_mult", 1.0)
    groups = {}
    for name, p in model.named_parameters():
        key = (name.startswith("enc."), p.ndim <= 1)
        groups.setdefault(key, []).append(p)
    opt = torch.optim.AdamW([{"params": ps, "weight_decay": 0.0 if nd else tr.get("weight_decay", 0.01),
                              "lr_mult": enc_mult if is_enc else 1.0} for (is_enc, nd), ps in groups.items()], lr=lr)
    lcfg = cfg.get("loss", {})
    w = torch.tensor(lcfg.get("class_weight", [0.4, 1, 1, 1, 1]), dtype=torch.float32, device=device)
    crit = C.SegLoss(IGNORE, w, lcfg.get("ohem"))
    exist_w = lcfg.get("exist_weight", 0.1)
    dice_w = lcfg.get("dice_weight", 0.0)
    budget = args.time_budget if args.time_budget is not None else tr.get("time_budget_s", 0)
    ema = EMA(model, tr["ema_decay"]) if tr.get("ema_decay") else None
    aux_w = tr.get("aux_weight", 0.4)
    total = args.iters or tr["iters"]
    batch = tr.get("batch", 16)
    gen_cpu = torch.Generator().manual_seed(seed)
    gen_dev = torch.Generator(device=device).manual_seed(seed + 1)
    acfg = cfg.get("aug", {})
    n = tr_img.shape[0]
    ipe = math.ceil(n / batch)
    eval_every = tr.get("eval_every_epochs", 25) * ipe
    warm_frac = tr.get("warmup_frac", 0.03)
    eval_marks = [0.25, 0.5, 0.75]  # with a time budget: val for the log at these fractions of the schedule
    swap = torch.tensor([0, 4, 3, 2, 1], device=device)
    min_px = acfg.get("exist_min_pixels", 30)
    log.log({"event": "start", "name": cfg["name"], "params": n_params,
             "gmacs_%dx%d" % (in_w, in_h): macs / 1e9, "train_frames": n, "iters": total, "iters_per_epoch": ipe,
             "time_budget_s": budget, "label_thickness": thick,
             "extra_frames": 0 if ex_img is None else int(ex_img.shape[0]), "extra_per_batch": k_extra, "ema_decay": tr.get("ema_decay"), "dice_weight": dice_w})
    perm, pos = torch.randperm(n, generator=gen_cpu), 0
    t0 = time.time()
    run_loss, run_n, it, stopped = 0.0, 0, 0, False
    model.train()
    progress, ran = 0.0, 0
    evm = ema.model if ema is not None else model
    for it in range(total):
        if wall.expired():
            stopped = True
            break
        progress = it / total
        if budget:
            progress = max(progress, (time.time() - t0) / budget)
            if progress >= 1.0:
                break  # end of the (time-compressed) schedule: lr has reached 0
        for g in opt.param_groups:
            g["lr"] = lr_at(progress, lr, warm_frac) * g["lr_mult"]
        idx = []
        while len(idx) < batch - k_extra:
            if pos >= n:
                perm, pos = torch.randperm(n, generator=gen_cpu), 0
            t = min(batch - k_extra - len(idx), n - pos)
            idx += perm[pos:pos + t].tolist()
            pos += t
        img_b, lab_b = tr_img[idx], tr_lab[idx]
        if k_extra:
            ext = torch.randint(0, ex_img.shape[0], (k_extra,), generator=gen_cpu).to(device)
            img_b, lab_b = torch.cat([img_b, ex_img[ext]]), torch.cat([lab_b, ex_lab[ext]])
        with torch.no_grad():
            x = C.to_float_nchw(img_b)
            x, y, flip = C.affine_warp(x, lab_b, (in_h, in_w), gen_dev, scale=tuple(acfg.get("scale", [0.9, 1.15])),
                                       rot_deg=acfg.get("rot_deg", 3.0), flip_p=acfg.get("flip_p", 0.5),
                                       translate=acfg.get("translate", [0.05, 0.05]),
                                       base_scale=(Wi / in_w, Hi / in_h), ignore=IGNORE)
            fy = y.clamp(max=4)
            y = torch.where(flip.view(-1, 1, 1) & (y < 5), swap[fy], y)
            if acfg.get("perspective"):
                x, y = C.perspective_jitter(x, y, gen_dev, acfg["perspective"], ignore=IGNORE)
            if acfg.get("occluders"):
                x = C.occluders(x, gen_dev, **acfg["occluders"])
            if acfg.get("photometric"):
                x = C.photometric(x, gen_dev, acfg["photometric"])
            x = C.normalize(x).contiguous(memory_format=torch.channels_last)
            cnt = torch.stack([(y == k).flatten(1).sum(1) for k in range(1, 5)], 1)
            ex_t = (cnt >= min_px).float()
        with C.autocast_ctx(device):
            out = model(x)
        if "rows" in out:  # row-anchor head: targets from the augmented slot map, the node's per-row rule
            loss = model.row_loss(out["rows"], model.row_targets(y, IGNORE), lcfg.get("loc_weight", 0.05))
        else:
            loss = crit(out["out"], y)
        if dice_w and "out" in out:
            loss = loss + dice_w * dice_loss(out["out"], y, IGNORE)
        if out.get("aux"):  # deep supervision / booster heads: plain (weighted) CE at 1/4 resolution
            hq, wq = y.shape[1] // 4, y.shape[2] // 4
            yq = F.interpolate(y[:, None].float(), size=(hq, wq), mode="nearest")[:, 0].long()
            for a in out["aux"]:
                loss = loss + aux_w * crit(F.interpolate(a.float(), size=(hq, wq), mode="bilinear", align_corners=False), yq, ohem=False)
        loss = loss + exist_w * F.binary_cross_entropy_with_logits(out["exist"].float(), ex_t)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        if ema is not None:
            ema.update(model, it)
        ran += 1
        run_loss += loss.detach()
        run_n += 1
        if (it + 1) % ipe == 0 or it + 1 == total:
            rec = {"epoch": round((it + 1) / ipe, 2), "iter": it + 1, "train_loss": float(run_loss) / run_n,
                   "lr": opt.param_groups[0]["lr"], "progress": round(progress, 4), "time_s": round(time.time() - t0, 1)}
            if C.eval_due(budget, eval_marks, progress, it, eval_every, total):  # for the log only: nothing is selected on it
                r = evaluate_all(evm, vals, in_w, in_h, device)
                rec.update({"val_f1": r["f1"], "val_mean_lane_iou": r["mean_lane_iou"], "val_mean_f1": r["mean_f1"],
                            "val_f1_per_dataset": {k: v["f1"] for k, v in r["per_dataset"].items()}})
            log.log(rec)
            run_loss, run_n = 0.0, 0
    done = ran
    train_s = time.time() - t0
    if stopped:
        log.log({"event": "wall_clock_guard", "stopped_at_iter": done, "of": total, "progress": progress})
    elif budget and done < total:
        log.log({"event": "time_budget_schedule_end", "iters_done": done, "of_max": total, "time_s": round(train_s, 1)})
    raw = None
    if ema is not None:  # the live weights, for the log only; the EMA weights are evaluated, saved and shipped
        raw = evaluate_all(model, vals, in_w, in_h, device)
        model = ema.model
    r = evaluate_all(model, vals, in_w, in_h, device)
    summ = {"name": cfg["name"], "role": cfg.get("role"), "family": cfg["model"]["family"], "params": n_params,
            "gmacs_input": macs / 1e9, "input_hw": [in_h, in_w], "iters_done": done, "iters_planned": total,
            "epochs": round(done * (batch - k_extra) / n, 1), "stopped_early": stopped, "train_time_s": round(train_s, 1),
            "iters_per_s": round(done / max(train_s, 1e-6), 2), "train_splits": splits, "seed": seed,
            "time_budget_s": budget, "weights": "ema" if ema is not None else "last",
            "extra": None if ex_img is None else {"root": os.path.basename(os.path.normpath(extra["root"])),
                                                   "split": extra.get("split", "synthetic"), "ratio": extra["ratio"],
                                                   "frames": int(ex_img.shape[0]), "per_batch": k_extra},
            "val_pytorch": r, "pretrained": getattr(model, "pretrained_meta", None)}
    if raw is not None:
        summ["val_pytorch_live_weights"] = raw
    log.log({"event": "end", "iters_done": done, "val_f1": r["f1"], "per_slot_iou": r["per_slot_iou"],
             "val_mean_f1": r["mean_f1"], "val_f1_per_dataset": {k: v["f1"] for k, v in r["per_dataset"].items()},
             "val_f1_live_weights": raw["f1"] if raw else None,
             "val_mean_f1_live_weights": raw["mean_f1"] if raw else None, "train_time_s": round(train_s, 1)})
    torch.save({"model": model.state_dict(), "config": cfg}, os.path.join(args.out, "model.pt"))
    with open(os.path.join(args.out, "summary.json"), "w") as f:
        json.dump(summ, f, indent=1)


if __name__ == "__main__":
    main()
