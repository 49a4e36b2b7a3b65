#!/usr/bin/env python3
"""Train the single-pass panoptic model: BiSeNetV2 (camvid-fast) + Panoptic-DeepLab centre/offset heads.

    python3 training/train_panoptic.py --config training/configs/panoptic-bisenetv2.json --data-root DIR --out RUNDIR \
        [--time-limit S] [--iters N] [--limit-images N] [--device cpu|cuda]

DIR holds camvid/ (semantic labels + pseudo-instances), synth/ (labels + true instances) and pennfudan/ (semantic
label pedestrian on its masks, NOT_THING elsewhere, void on a thin band at mask edges; instance targets from
the masks). Loss = OHEM class-weighted CE (+ booster heads, as train_semantic.py) + not_thing_weight x
-log P(any stuff class) on NOT_THING pixels (Penn-Fudan backgrounds: not a person, class unknown) +
heat_weight x MSE(centre heatmap) + offset_weight x L1(offsets on trusted thing cells), as Panoptic-DeepLab. At the eval points: CamVid val mIoU, and Penn-Fudan val COCO mask
AP/AP50 of the pedestrian + bicyclist instances found by the node's grouping (dp_train.instances), computed on
exactly the tensors the ONNX graph outputs. Best `train.select` checkpoint -> OUT/model.pt; log.jsonl, log.txt,
summary.json.
"""
import os
import sys

import cv2
import numpy as np
import torch
import torch.nn.functional as F

from . import common as C  # noqa: E402
from . import inst_data as D  # noqa: E402
from . import inst_run as R  # noqa: E402
from . import inst_targets as T  # noqa: E402
from .inst_export import PanopticDeploy  # noqa: E402
from .instances import group_centre_offset, mask_ap  # noqa: E402
from .inst_models import build_panoptic  # noqa: E402
from .models import count_params  # noqa: E402

CLASSES = ["sky", "building", "pole", "road", "sidewalk", "tree", "sign", "fence", "car", "pedestrian", "bicyclist"]
NCLS, IGNORE = 11, 11
THING_IDS = [8, 9, 10]
STUFF_IDS = [c for c in range(NCLS) if c not in THING_IDS]
PERSON_IDS = (9, 10)  # what the node publishes on perception/pedestrians


def not_thing_loss(logits, not_thing):
    """Mean of -log P(any stuff class) over the NOT_THING pixels: they are told "not car, pedestrian or
    bicyclist" without naming the stuff class. 0 when the batch has none."""
    lf = logits.float()
    nll = torch.logsumexp(lf, 1) - torch.logsumexp(lf[:, STUFF_IDS], 1)
    w = not_thing.float()
    return (nll * w).sum() / w.sum().clamp(min=1)


def person_pixel_iou(cls, gt_masks, frame_hw):
    """IoU of the person + bicyclist pixels of one class map (resized to the frame) with the union of its true
    masks: a class map that paints the background pedestrian fails here even when centres and offsets are right."""
    pred = cv2.resize(np.isin(cls, PERSON_IDS).astype(np.uint8), (frame_hw[1], frame_hw[0]),
                      interpolation=cv2.INTER_NEAREST) > 0
    gt = gt_masks.any(0) if len(gt_masks) else np.zeros(frame_hw, bool)
    return int((pred & gt).sum()), int((pred | gt).sum())


@torch.no_grad()
def evaluate(model, camvid_val, pf_val, device, grouping, batch=8):
    model.eval()
    dep = PanopticDeploy(model).eval().to(device)
    res = {}
    if camvid_val is not None:
        imgs, labs = camvid_val
        conf = torch.zeros(NCLS, NCLS, dtype=torch.long, device=device)
        for i in range(0, imgs.shape[0], batch):
            cls, _, _, _ = dep(imgs[i:i + batch].to(device).flip(3))  # RGB -> BGR: the graph's input
            conf += C.confusion(cls.long(), labs[i:i + batch].to(device).long(), NCLS, IGNORE)
        iou = C.iou_from_conf(conf)
        res["miou"] = iou.mean().item()
        res["per_class_iou"] = dict(zip(CLASSES, [round(v, 4) for v in iou.tolist()]))
    images, inter, union = [], 0, 0
    for i in range(0, len(pf_val.names), batch):
        outs = dep(pf_val.inputs[i:i + batch].to(device).flip(3))
        cls, cf, ctr, off = [o.cpu().numpy() for o in outs]
        for j in range(cls.shape[0]):
            k = i + j
            fh, fw = pf_val.sizes[k]
            a, b = person_pixel_iou(cls[j], pf_val.gts[k], (fh, fw))
            inter, union = inter + a, union + b
            inst = group_centre_offset(cls[j], cf[j], ctr[j], off[j], THING_IDS, **grouping)
            inst = [d for d in inst if d[0] in PERSON_IDS]
            masks = [cv2.resize(d[2].astype(np.uint8), (fw, fh), interpolation=cv2.INTER_NEAREST) > 0 for d in inst]
            images.append((np.stack(masks) if masks else np.zeros((0, fh, fw), bool),
                           np.array([d[1] for d in inst]), pf_val.gts[k]))
    a = mask_ap(images)
    model.train()
    res.update({"ap": a["ap"], "ap50": a["ap50"], "ap75": a["ap75"], "n_gt": a["n_gt"], "n_dt": a["n_dt"],
                "pf_person_iou": inter / max(union, 1)})
    return res


def main():
    args = R.parse_args(__doc__)
    cfg, seed, device, gpu = R.setup(args)
    tr, dcfg, acfg, lcfg = cfg["train"], cfg["data"], cfg.get("aug", {}), cfg.get("loss", {})
    log = C.Logger(args.out)
    H, W = cfg["export"]["height"], cfg["export"]["width"]
    stride = cfg["export"].get("stride", 4)
    lim = args.limit_images or None
    grouping = {"stride": stride, "threshold": cfg["grouping"]["centre_threshold"], "top_k": cfg["grouping"]["top_k"],
                "min_pixels": cfg["grouping"]["min_pixels"]}

    sets, ratios = D.load_sources(dcfg, args.data_root, W, H, lim, log.log)
    for s in sets.values():
        s.to(device)
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    pf_val = D.PennFudanVal(os.path.join(args.data_root, "pennfudan"), D.split_names(os.path.join(here, "splits"), "val")[:lim], W, H)
    cv_root = os.path.join(args.data_root, "camvid")
    camvid_val = None
    if os.path.exists(os.path.join(cv_root, "val.txt")):
        vi, vl, _ = C.load_seg_split(cv_root, "val", lim)
        camvid_val = (vi, vl)

    model = build_panoptic(NCLS, cfg)
    R.load_init(model, args.init, log.log)
    model = model.to(device)
    n_params = count_params(model)
    model = model.to(memory_format=torch.channels_last)
    opt = R.adamw(model, tr["lr"], tr.get("weight_decay", 0.01), tr.get("encoder_lr_mult", 1.0))
    # class weights from CamVid train only (as train_semantic.py); synthetic/Penn-Fudan label statistics differ
    sem_for_weights = sets["camvid"].semantic if "camvid" in sets else torch.cat([sets[s].semantic for s in sets])
    sem_for_weights = sem_for_weights.masked_fill(sem_for_weights == D.NOT_THING, IGNORE)
    wts = C.class_weights(sem_for_weights, NCLS, IGNORE, lcfg.get("class_weight"))
    crit = C.SegLoss(IGNORE, wts, lcfg.get("ohem"))
    aux_w, heat_w_, off_w_ = tr.get("aux_weight", 0.4), lcfg.get("heat_weight", 200.0), lcfg.get("offset_weight", 0.01)
    nt_w = lcfg.get("not_thing_weight", 1.0)
    batch = args.batch or tr["batch"]
    total = args.iters or tr["iters"]
    budget = args.time_limit or tr.get("time_budget_s", 600)
    clock = C.WallClock(0)
    sched = R.Schedule(total, budget, tr["lr"], tr.get("warmup_frac", 0.03), tr.get("eval_at", [0.5, 0.75]), clock)
    gen_cpu = torch.Generator().manual_seed(seed)
    gen_dev = torch.Generator(device=device).manual_seed(seed + 1)
    sampler = T.MixedSampler(sets, ratios, batch, gen_cpu)
    select = tr.get("select", "ap50")
    log.log({"event": "start", "name": cfg["name"], "params": n_params, "device": str(device), "gpu": gpu,
             "torch": torch.__version__, "iters_max": total, "time_budget_s": budget, "batch": batch,
             "batch_mix": sampler.counts, "sources": {k: len(v) for k, v in sets.items()},
             "instances": {k: v.instance_count() for k, v in sets.items()},
             "untrusted_instances": {k: int(((v.node_class > 0) & ~v.trusted).sum()) for k, v in sets.items()},
             "class_weights": None if wts is None else [round(v, 4) for v in wts.tolist()]})

    best, best_rec, hist = -1.0, None, []
    sums, run_n, it, progress = {}, 0, 0, 0.0
    t_last = clock.elapsed()
    model.train()
    while progress < 1.0:
        lr = sched.lr_at(it, progress)
        for g in opt.param_groups:
            g["lr"] = lr * g.get("lr_mult", 1.0)
        img, sem, inst, ncls, trust = T.gather(sets, sampler.next(), device)
        with torch.no_grad():
            x, y, inst_w = T.warp(img, sem, inst, (H, W), gen_dev, acfg)
            heat, heat_w, off, off_w = T.centre_targets(inst_w, ncls, trust, stride, lcfg.get("sigma", 8.0),
                                                        dcfg.get("min_instance_px", 16))
            not_thing = y == D.NOT_THING
            y = y.masked_fill(not_thing, IGNORE)  # the cross-entropy ignores them; not_thing_loss sees them
            x = C.normalize(x).contiguous(memory_format=torch.channels_last)
        with C.autocast_ctx(device):
            out = model(x)
        l_sem = crit(out["out"], y)
        if out.get("aux"):
            hq, wq = y.shape[1] // 4, y.shape[2] // 4
            yq = F.interpolate(y[:, None].float(), size=(hq, wq), mode="nearest")[:, 0].long()
            for a in out["aux"]:
                l_sem = l_sem + aux_w * crit(F.interpolate(a.float(), size=(hq, wq), mode="bilinear", align_corners=False), yq, ohem=False)
        l_stuff = not_thing_loss(out["out"], not_thing)
        l_heat = (((out["centre"].float() - heat) ** 2) * heat_w).sum() / heat_w.sum().clamp(min=1)
        l_off = ((out["offset"].float() - off).abs().sum(1) * off_w).sum() / off_w.sum().clamp(min=1)
        loss = l_sem + nt_w * l_stuff + heat_w_ * l_heat + off_w_ * l_off
        opt.zero_grad(set_to_none=True)
        loss.backward()
        if tr.get("clip_grad"):
            torch.nn.utils.clip_grad_norm_(model.parameters(), tr["clip_grad"])
        opt.step()
        for k, v in (("loss", loss), ("sem", l_sem), ("stuff", l_stuff), ("heat", l_heat), ("offset", l_off)):
            sums[k] = sums.get(k, 0.0) + v.detach().float()
        run_n += 1
        it += 1
        progress = sched.progress(it)
        if clock.elapsed() - t_last >= tr.get("log_every_s", 20) or progress >= 1.0:
            log.log({"iter": it, "progress": round(progress, 4), "lr": lr, "time_s": round(clock.elapsed(), 1),
                     **{k: round(float(v) / run_n, 5) for k, v in sums.items()}})
            sums, run_n, t_last = {}, 0, clock.elapsed()
        if sched.due(progress):
            v = evaluate(model, camvid_val, pf_val, device, grouping)
            rec = {"event": "val", "iter": it, "progress": round(progress, 4), "time_s": round(clock.elapsed(), 1),
                   **{k: val for k, val in v.items() if k != "per_class_iou"}}
            log.log(rec)
            hist.append(dict(rec, per_class_iou=v.get("per_class_iou")))
            best, best_rec = R.keep_if_best(args.out, model, cfg, it, v, rec, select, best, best_rec)
    R.finish(args.out, log, clock, {"name": cfg["name"], "task": "panoptic", "decoder": "centre-offset", "params": n_params, "gpu": gpu},
             it=it, total=total, budget=budget, batch=batch, sampler=sampler, sets=sets, seed=seed, device=device,
             select=select, best=best, best_rec=best_rec, hist=hist,
             val_split="pennfudan/val (training/splits/pennfudan-val.txt); camvid/val for mIoU")


if __name__ == "__main__":
    main()
