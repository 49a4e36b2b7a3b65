#!/usr/bin/env python3
"""Train the Mask R-CNN instance model (vehicle, pedestrian) from scratch.

    python3 training/train_maskrcnn.py --config training/configs/maskrcnn-lite.json --data-root DIR --out RUNDIR \
        [--time-limit S] [--iters N] [--limit-images N] [--device cpu|cuda]

DIR holds pennfudan/ (train split = training/splits/pennfudan-train.txt), camvid/ (pseudo-instances) and synth/
(`synth --dataset` frames); data.mix sets each source's share of a batch. Every frame is stretched to the model
input (480x360) as the node does; augmentation (scale jitter, rotation, flip, colour, blur, noise) runs on the GPU.
Penn-Fudan val (training/splits/pennfudan-val.txt) is scored at the eval points with COCO mask AP/AP50 for
pedestrian, both on every detection the graph gives (score >= 0.05) and as the node decodes (score >= 0.5,
class-wise NMS 0.5, mask pasted bilinearly at the frame's own size, threshold 0.5). The checkpoint with the best
`train.select` metric is OUT/model.pt; OUT/log.jsonl, log.txt, summary.json.
"""
import os
import sys
import time

import numpy as np
import torch

from . import common as C  # noqa: E402
from . import inst_data as D  # noqa: E402
from . import inst_run as R  # noqa: E402
from . import inst_targets as T  # noqa: E402
from .instances import decode_maskrcnn, mask_ap, paste_mask  # noqa: E402
from .inst_models import build_maskrcnn, maskrcnn_raw  # noqa: E402
from .models import count_params  # noqa: E402

PEDESTRIAN = 2


@torch.no_grad()
def evaluate(model, val, device, batch=8):
    """COCO mask AP of pedestrians on Penn-Fudan val: 'all' = every graph detection, 'node' = node decoding."""
    model.eval()
    h, w = val.inputs.shape[1:3]
    all_imgs, node_imgs = [], []
    for i in range(0, len(val.names), batch):
        x = C.to_float_nchw(val.inputs[i:i + batch].to(device))
        for j, det in enumerate(maskrcnn_raw(model, x)):
            k = i + j
            fh, fw = val.sizes[k]
            gt = val.gts[k]
            b = det["boxes"].float().cpu().numpy()
            s = det["scores"].float().cpu().numpy()
            lab = det["labels"].cpu().numpy()
            m = det["masks"].float().cpu().numpy()
            sx, sy = fw / w, fh / h
            sel = np.nonzero(lab == PEDESTRIAN)[0]
            masks = [paste_mask(m[q], b[q, 0] * sx, b[q, 1] * sy, b[q, 2] * sx, b[q, 3] * sy, fh, fw) for q in sel]
            all_imgs.append((np.stack(masks) if masks else np.zeros((0, fh, fw), bool), s[sel], gt))
            dec = [d for d in decode_maskrcnn(b, s, lab, m, (h, w), (fh, fw)) if d[0] == PEDESTRIAN]
            node_imgs.append((np.stack([d[2] for d in dec]) if dec else np.zeros((0, fh, fw), bool),
                              np.array([d[1] for d in dec]), gt))
    model.train()
    a, n = mask_ap(all_imgs), mask_ap(node_imgs)
    return {"ap": a["ap"], "ap50": a["ap50"], "ap75": a["ap75"], "ap_node": n["ap"], "ap50_node": n["ap50"],
            "ap75_node": n["ap75"], "n_gt": a["n_gt"], "n_dt": a["n_dt"], "n_dt_node": n["n_dt"]}


def main():
    args = R.parse_args(__doc__)
    cfg, seed, device, gpu = R.setup(args)
    tr, dcfg, acfg = cfg["train"], cfg["data"], cfg.get("aug", {})
    log = C.Logger(args.out)
    H, W = cfg["export"]["height"], cfg["export"]["width"]
    lim = args.limit_images or None

    sets, ratios = D.load_sources(dcfg, args.data_root, W, H, lim, log.log)
    for s in sets.values():
        s.to(device)
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    pf = os.path.join(args.data_root, "pennfudan")
    val = D.PennFudanVal(pf, D.split_names(os.path.join(here, "splits"), "val")[:lim], W, H)

    model = build_maskrcnn(cfg["model"], len(D.NODE_CLASSES), H, W)
    R.load_init(model, args.init, log.log)
    model = model.to(device)
    n_params = count_params(model)
    opt = R.adamw(model, tr["lr"], tr.get("weight_decay", 0.01))
    batch = args.batch or tr["batch"]
    total = args.iters or tr["iters"]
    budget = args.time_limit or tr.get("time_budget_s", 600)
    clock = C.WallClock(0)
    sched = R.Schedule(total, budget, tr["lr"], tr.get("warmup_frac", 0.03), tr.get("eval_at", [0.5, 0.75]), clock)
    gen_cpu = torch.Generator().manual_seed(seed)
    gen_dev = torch.Generator(device=device).manual_seed(seed + 1)
    sampler = T.MixedSampler(sets, ratios, batch, gen_cpu)
    amp = tr.get("amp", True)
    loss_w = tr.get("loss_weights", {})
    select = tr.get("select", "ap50_node")
    log.log({"event": "start", "name": cfg["name"], "params": n_params, "device": str(device), "gpu": gpu,
             "torch": torch.__version__, "iters_max": total, "time_budget_s": budget, "batch": batch,
             "batch_mix": sampler.counts, "sources": {k: len(v) for k, v in sets.items()},
             "instances": {k: v.instance_count() for k, v in sets.items()}, "val_frames": len(val.names)})

    best, best_rec, hist = -1.0, None, []
    run_loss, run_n, it, progress = {}, 0, 0, 0.0
    t_last = time.time()
    model.train()
    while progress < 1.0:
        lr = sched.lr_at(it, progress)
        for g in opt.param_groups:
            g["lr"] = lr
        img, sem, inst, ncls, _ = T.gather(sets, sampler.next(), device)
        x, _, inst_w = T.warp(img, sem, inst, (H, W), gen_dev, acfg)
        targets = T.maskrcnn_targets(inst_w, ncls, dcfg.get("min_instance_px", 16))
        with C.autocast_ctx(device, amp):
            losses = model(list(x), targets)
        loss = sum(float(loss_w.get(k, 1.0)) * v.float() for k, v in losses.items())
        opt.zero_grad(set_to_none=True)
        loss.backward()
        if tr.get("clip_grad"):
            torch.nn.utils.clip_grad_norm_(model.parameters(), tr["clip_grad"])
        opt.step()
        for k, v in losses.items():
            run_loss[k] = run_loss.get(k, 0.0) + v.detach().float()
        run_n += 1
        it += 1
        progress = sched.progress(it)
        if time.time() - t_last >= tr.get("log_every_s", 20) or progress >= 1.0:
            rec = {"iter": it, "progress": round(progress, 4), "lr": lr, "time_s": round(clock.elapsed(), 1),
                   **{k: round(float(v) / run_n, 4) for k, v in run_loss.items()}}
            run_loss, run_n, t_last = {}, 0, time.time()
            log.log(rec)
        if sched.due(progress):
            v = evaluate(model, val, device)
            rec = {"event": "val", "iter": it, "progress": round(progress, 4), "time_s": round(clock.elapsed(), 1), **v}
            log.log(rec)
            hist.append(rec)
            best, best_rec = R.keep_if_best(args.out, model, cfg, it, v, rec, select, best, best_rec)
    R.finish(args.out, log, clock, {"name": cfg["name"], "task": "instance", "decoder": "maskrcnn", "params": n_params, "gpu": gpu},
             it=it, total=total, budget=budget, batch=batch, sampler=sampler, sets=sets, seed=seed, device=device,
             select=select, best=best, best_rec=best_rec, hist=hist,
             val_split="pennfudan/val (training/splits/pennfudan-val.txt)")


if __name__ == "__main__":
    main()
