#!/usr/bin/env python3
"""Train a CamVid semantic-segmentation model from scratch (one config = one reproducible run).

    python3 training/train_semantic.py --config training/configs/camvid-fast.json \
        --data-root .carry/data/camvid --out runs/camvid-fast [--time-limit 480]

Whole split lives on the GPU as uint8; augmentation (scale/rotate/flip/crop in one grid_sample, colour,
blur, noise) is batched on the GPU; bf16 autocast; channels_last. Logs loss per epoch and val mIoU every
`eval_every_epochs` epochs into OUT/log.jsonl + log.txt; saves OUT/model.pt and OUT/summary.json.
The wall-clock guard (--time-limit) only stops a run early as a safety net (the log then says so);
the schedule is the fixed `iters` of the config, unless the config has `train.time_budget_s`.

Optional config keys (off when absent, so older configs train as before):
  train.time_budget_s  the poly schedule runs on progress = max(iter/iters, elapsed/time_budget_s) and the run
                       ends when progress reaches 1: on a shared or slower GPU it still ends annealed within the
                       budget (--time-budget overrides); val is logged at 25/50/75 % of the schedule and at the end
  data.extra           {"root": DIR, "split": "synthetic", "ratio": 0.25}: round(ratio * batch) frames of every
                       batch come from a second CamVid-layout dataset of the same frame size (the synthetic set
                       of make_synth_data.py); training only, never val (--extra-root overrides root)
"""
import argparse
import json
import math
import os
import sys
import time

import torch
import torch.nn.functional as F

from . import common as C  # noqa: E402
from .models import build_model, count_params, count_macs  # noqa: E402

CLASSES = ["sky", "building", "pole", "road", "sidewalk", "tree", "sign", "fence", "car", "pedestrian", "bicyclist"]
NCLS = 11
IGNORE = 11


class Sampler:
    """Epoch-wise random permutations (seeded, CPU generator) kept on the device, so drawing a batch needs
    no host<->device traffic; optional extra dataset mixed in at a fixed ratio."""

    def __init__(self, n, batch, gen, device, n_extra=0, extra_ratio=0.0):
        self.n, self.batch, self.gen, self.device = n, batch, gen, device
        self.n_extra = n_extra
        self.k_extra = int(round(batch * extra_ratio)) if n_extra else 0
        self.buf = torch.empty(0, dtype=torch.long)
        self.pos = 0

    def next(self):
        k = self.batch - self.k_extra
        if self.pos + k > self.buf.numel():
            rest = self.buf[self.pos:].cpu()
            perms = [torch.randperm(self.n, generator=self.gen) for _ in range(max(1, 4 * k // self.n + 1))]
            self.buf = torch.cat([rest] + perms).to(self.device)
            self.pos = 0
        idx = self.buf[self.pos:self.pos + k]
        self.pos += k
        ext = None
        if self.k_extra:
            ext = torch.randint(0, self.n_extra, (self.k_extra,), generator=self.gen).to(self.device)
        return idx, ext


@torch.no_grad()
def evaluate(model, imgs, labs, device, batch=16, amp=True, flip_tta=False):
    model.eval()
    conf = torch.zeros(NCLS, NCLS, dtype=torch.long, device=device)
    for i in range(0, imgs.shape[0], batch):
        x = C.normalize(C.to_float_nchw(imgs[i:i + batch].to(device)))
        x = x.contiguous(memory_format=torch.channels_last)
        with C.autocast_ctx(device, amp):
            lg = model(x)["out"].float()
            if flip_tta:
                lg = lg.softmax(1) + model(x.flip(3))["out"].float().flip(3).softmax(1)
        conf += C.confusion(lg.argmax(1), labs[i:i + batch].to(device), NCLS, IGNORE)
    model.train()
    iou = C.iou_from_conf(conf)
    return iou.mean().item(), iou.tolist(), conf


def main():
    ap = argparse.ArgumentParser()
    C.add_run_arguments(ap, "../shared/data/camvid")
    ap.add_argument("--size", type=int, nargs=2, default=None, help="H W training/eval size (smoke tests)")
    args = ap.parse_args()
    wall = C.WallClock(args.time_limit)
    cfg, device, log = C.start_run(args, tf32=True)
    tr = cfg["train"]
    seed = tr.get("seed", 0)

    # ---------------- data (all on the GPU as uint8)
    dcfg = cfg.get("data", {})
    splits = dcfg.get("train_splits", ["train"])
    lim = args.limit_images or None
    ims, lbs = [], []
    for sp in splits:
        a, b, _ = C.load_seg_split(args.data_root, sp, lim)
        ims.append(a)
        lbs.append(b)
    tr_img, tr_lab = torch.cat(ims).to(device), torch.cat(lbs).to(device)
    va_img, va_lab, _ = C.load_seg_split(args.data_root, "val", lim)
    va_img, va_lab = va_img.to(device), va_lab.to(device)
    ex_img = ex_lab = None
    extra = C.resolve_extra(dcfg.get("extra"), args.extra_root)  # synthetic frames: same layout as camvid
    if extra:
        ex_img, ex_lab, _ = C.load_seg_split(extra["root"], extra.get("split", "synthetic"), lim)
        ex_img, ex_lab = ex_img.to(device), ex_lab.to(device)
        if ex_img.shape[1:3] != tr_img.shape[1:3]:
            raise ValueError("extra dataset frames are %s, the main dataset's %s: they must match (the synthetic set "
                             "is rendered at 480x360 like CamVid)" % (tuple(ex_img.shape[1:3]), tuple(tr_img.shape[1:3])))
    if args.size:
        h, w = args.size

        def rs(im, lb):
            im = F.interpolate(im.permute(0, 3, 1, 2).float(), size=(h, w), mode="bilinear", align_corners=False).round().byte().permute(0, 2, 3, 1).contiguous()
            return im, F.interpolate(lb[:, None].float(), size=(h, w), mode="nearest").byte()[:, 0]
        tr_img, tr_lab = rs(tr_img, tr_lab)
        va_img, va_lab = rs(va_img, va_lab)
        if ex_img is not None:
            ex_img, ex_lab = rs(ex_img, ex_lab)
    H, W = tr_img.shape[1], tr_img.shape[2]
    crop = tuple(tr.get("crop", [H, W])) if not args.size else (H, W)

    # ---------------- model / optimiser
    model = build_model(cfg["model"], NCLS)
    n_params = count_params(model)
    macs = count_macs(model, torch.zeros(1, 3, 360, 480))
    model = model.to(device).to(memory_format=torch.channels_last)
    lr = tr.get("lr", 2e-3)
    enc_mult = tr.get("encoder_lr_mult", 1.0)  # < 1 for a pretrained encoder (model.pretrained)
    groups = {}
    for n_, p in model.named_parameters():
        groups.setdefault((n_.startswith("enc."), p.ndim <= 1), []).append(p)
    opt = torch.optim.AdamW([{"params": ps, "weight_decay": 0.0 if nd else tr.get("weight_decay", 0.01),
                              "lr_mult": enc_mult if is_enc else 1.0} for (is_enc, nd), ps in groups.items()],
                            lr=lr, betas=(0.9, 0.999))
    lcfg = cfg.get("loss", {})
    wts = C.class_weights(tr_lab, NCLS, IGNORE, lcfg.get("class_weight"))
    crit = C.SegLoss(IGNORE, wts, lcfg.get("ohem"))
    aux_w = tr.get("aux_weight", 0.4)

    total = args.iters or tr["iters"]
    batch = tr.get("batch", 16)
    gen_cpu = torch.Generator().manual_seed(seed)
    gen_dev = torch.Generator(device=device).manual_seed(seed + 1)
    sampler = Sampler(tr_img.shape[0], batch, gen_cpu, device, 0 if ex_img is None else ex_img.shape[0],
                      extra.get("ratio", 0.0) if extra else 0.0)
    budget = args.time_budget if args.time_budget is not None else tr.get("time_budget_s", 0)
    eval_marks = [0.25, 0.5, 0.75]  # with a time budget: val for the log at these fractions of the schedule
    acfg = cfg.get("aug", {})
    ipe = math.ceil(tr_img.shape[0] / batch)
    eval_every = tr.get("eval_every_epochs", 10) * ipe
    warm = int(tr.get("warmup_frac", 0.03) * total)
    log.log({"event": "start", "name": cfg["name"], "params": n_params, "gmacs_480x360": macs / 1e9,
             "train_frames": int(tr_img.shape[0]), "extra_frames": 0 if ex_img is None else int(ex_img.shape[0]),
             "extra_per_batch": sampler.k_extra, "time_budget_s": budget, "iters": total, "iters_per_epoch": ipe, "device": str(device),
             "torch": torch.__version__, "class_weights": None if wts is None else [round(v, 4) for v in wts.tolist()]})

    t0 = time.time()
    run_loss, run_n, it, stopped_early = 0.0, 0, 0, False
    last_epoch_logged = 0
    model.train()
    progress, ran = 0.0, 0
    for it in range(total):
        if wall.expired():
            stopped_early = True
            break
        if budget:
            progress = max(it / total, (time.time() - t0) / budget)
            if progress >= 1.0:
                break  # end of the (time-compressed) schedule: lr has reached 0
            cur_lr = C.progress_lr(progress, lr, tr.get("warmup_frac", 0.03))
        else:
            cur_lr = C.poly_lr(it, total, lr, warm)
        for g in opt.param_groups:
            g["lr"] = cur_lr * g["lr_mult"]
        idx, ext = sampler.next()
        img = tr_img[idx]
        lab = tr_lab[idx]
        if ext is not None:
            img = torch.cat([img, ex_img[ext]])
            lab = torch.cat([lab, ex_lab[ext]])
        with torch.no_grad():
            x = C.to_float_nchw(img)
            x, y, _ = C.affine_warp(x, lab, crop, gen_dev, scale=tuple(acfg.get("scale", [0.75, 2.0])),
                                    rot_deg=acfg.get("rot_deg", 0.0), flip_p=acfg.get("flip_p", 0.5),
                                    ignore=IGNORE)
            if acfg.get("photometric"):
                x = C.photometric(x, gen_dev, acfg["photometric"])
            x = C.normalize(x).contiguous(memory_format=torch.channels_last)
        with C.autocast_ctx(device):
            out = model(x)
        loss = crit(out["out"], y)
        if out.get("aux"):  # deep supervision / booster heads: plain (weighted) CE at 1/4 resolution
            hq, wq = y.shape[1] // 4, y.shape[2] // 4
            yq = F.interpolate(y[:, None].float(), size=(hq, wq), mode="nearest")[:, 0].long()
            for a in out["aux"]:
                loss = loss + aux_w * crit(F.interpolate(a.float(), size=(hq, wq), mode="bilinear", align_corners=False), yq, ohem=False)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        if tr.get("clip_grad"):
            torch.nn.utils.clip_grad_norm_(model.parameters(), tr["clip_grad"])
        opt.step()
        run_loss += loss.detach()
        run_n += 1
        ran += 1
        if (it + 1) % ipe == 0 or it + 1 == total:
            ep = (it + 1) / ipe
            rec = {"epoch": round(ep, 2), "iter": it + 1, "train_loss": float(run_loss) / run_n,
                   "lr": opt.param_groups[0]["lr"], "time_s": round(time.time() - t0, 1)}
            if budget:
                rec["progress"] = round(progress, 4)
            if C.eval_due(budget, eval_marks, progress, it, eval_every, total):  # for the log only: nothing is selected on it
                miou, _, _ = evaluate(model, va_img, va_lab, device)
                rec["val_miou"] = miou
            log.log(rec)
            run_loss, run_n = 0.0, 0
    done = ran
    train_s = time.time() - t0
    if stopped_early:
        log.log({"event": "wall_clock_guard", "stopped_at_iter": done, "of": total})
    elif budget and done < total:
        log.log({"event": "time_budget_schedule_end", "iters_done": done, "of_max": total, "time_s": round(train_s, 1)})
    miou, per, _ = evaluate(model, va_img, va_lab, device)
    summ = {"name": cfg["name"], "role": cfg.get("role"), "family": cfg["model"]["family"], "params": n_params,
            "gmacs_480x360": macs / 1e9, "iters_done": done, "iters_planned": total,
            "epochs": round(done * (batch - sampler.k_extra) / tr_img.shape[0], 1), "stopped_early": stopped_early,
            "train_time_s": round(train_s, 1), "iters_per_s": round(done / max(train_s, 1e-6), 2),
            "train_splits": splits, "seed": seed, "time_budget_s": budget,
            "extra": None if ex_img is None else {"root": os.path.basename(os.path.normpath(extra["root"])),
                                                   "split": extra.get("split", "synthetic"), "ratio": extra["ratio"],
                                                   "frames": int(ex_img.shape[0]), "per_batch": sampler.k_extra},
            "val_pytorch": {"miou": miou, "per_class_iou": dict(zip(CLASSES, per))},
            "pretrained": getattr(model, "pretrained_meta", None)}
    if cfg.get("export", {}).get("flip_tta"):
        m2, p2, _ = evaluate(model, va_img, va_lab, device, flip_tta=True)
        summ["val_pytorch_fliptta"] = {"miou": m2, "per_class_iou": dict(zip(CLASSES, p2))}
    log.log({"event": "end", **{k: v for k, v in summ.items() if k != "val_pytorch"}, "val_miou": miou})
    torch.save({"model": model.state_dict(), "config": cfg}, os.path.join(args.out, "model.pt"))
    with open(os.path.join(args.out, "summary.json"), "w") as f:
        json.dump(summ, f, indent=1)


if __name__ == "__main__":
    main()
