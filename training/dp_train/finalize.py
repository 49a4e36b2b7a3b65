#!/usr/bin/env python3
"""After training: export every run to ONNX (opset 17, contract I/O), verify with onnx.checker and
onnxruntime (CPU), score val FROM THE ONNX fp32 model through onnxruntime, compare with PyTorch, time the
network on the GPU (PyTorch eager, batch 1, CUDA events), and write cards.

    python3 training/finalize.py --runs runs --camvid .carry/data/camvid --culane .carry/data/culane-subset \
        --out models_out --ship camvid-fast=camvid-bisenetv2-fast,camvid-lraspp \
        --ship camvid-accurate=camvid-unet,camvid-deeplabv3plus --ship culane-lanes=culane-lanes

Every run gets RUN/card.json (+ RUN/RUN.onnx). For each --ship NAME=CANDIDATES the candidate with the highest
val score (ONNX fp32 through onnxruntime) is shipped as OUT/NAME.onnx + OUT/NAME.fp16.onnx + cards.
"""
import argparse
import datetime
import json
import os
import shutil
import sys
import time

import cv2
import numpy as np
import torch

from . import export as E  # noqa: E402
from . import lanes as L  # noqa: E402
from .common import MEAN_RGB, STD_RGB, iou_from_conf, read_list  # noqa: E402
from .models import build_model  # noqa: E402

CAMVID_CLASSES = [("sky", [128, 128, 128]), ("building", [128, 0, 0]), ("pole", [192, 192, 128]),
                  ("road", [128, 64, 128]), ("sidewalk", [60, 40, 222]), ("tree", [128, 128, 0]),
                  ("sign", [192, 128, 128]), ("fence", [64, 64, 128]), ("car", [64, 0, 128]),
                  ("pedestrian", [64, 64, 0]), ("bicyclist", [0, 128, 192])]
LANE_CLASSES = [("background", [0, 0, 0]), ("second_left", [255, 0, 255]), ("ego_left", [0, 255, 0]),
                ("ego_right", [0, 0, 255]), ("second_right", [255, 255, 0])]
TERMS = {"semantic": "research use (Brostow et al., 'Semantic object classes in video', 2008)",
         "lanes": "academic research use (CULane, Pan et al., SCNN, 2018)"}


def log(*a):
    print("[finalize %s]" % time.strftime("%H:%M:%S"), *a, flush=True)


def load_run(run_dir):
    try:
        ck = torch.load(os.path.join(run_dir, "model.pt"), map_location="cpu", weights_only=False)
    except TypeError:  # older torch
        ck = torch.load(os.path.join(run_dir, "model.pt"), map_location="cpu")
    cfg = ck["config"]
    task = cfg.get("task", "semantic")
    model = build_model(cfg["model"], 5 if task == "lanes" else 11)
    model.load_state_dict(ck["model"])
    model.eval()
    with open(os.path.join(run_dir, "summary.json")) as f:
        summ = json.load(f)
    return cfg, task, model, summ


def camvid_val(root):
    names = read_list(os.path.join(root, "val.txt"))
    ims = [cv2.imread(os.path.join(root, "images", "val", n + ".jpg"), cv2.IMREAD_COLOR) for n in names]
    labs = [cv2.imread(os.path.join(root, "labels", "val", n + ".png"), cv2.IMREAD_UNCHANGED) for n in names]
    return np.stack(ims), np.stack(labs)


def score_semantic(run_fn, ims, labs, batch=4):
    conf = np.zeros((11, 11), np.int64)
    for i in range(0, len(ims), batch):
        cls = run_fn(ims[i:i + batch])[0]
        y = labs[i:i + batch]
        k = y != 11
        conf += np.bincount(y[k].astype(np.int64) * 11 + cls[k], minlength=121).reshape(11, 11)
    iou = iou_from_conf(torch.from_numpy(conf)).numpy()
    return {"miou": float(iou.mean()), "per_class_iou": {c: float(v) for (c, _), v in zip(CAMVID_CLASSES, iou)}}


def score_lanes(run_fn, val, w, h, batch=4):
    names, imgs, labs_full, lines = val
    xs = np.stack([L.model_input_bgr(im, w, h) for im in imgs])
    sc = L.LaneScorer()
    for i in range(0, len(xs), batch):
        m, _, e = run_fn(xs[i:i + batch])
        for j in range(m.shape[0]):
            sc.add(m[j], e[j], lines[i + j], labs_full[i + j])
    return sc.result()


def ort_runner(sess):
    def f(x):
        return sess.run(None, {"image": np.ascontiguousarray(x)})
    return f


def torch_runner(model, task, flip_tta=False):
    dep = E.Deploy(model, task, False, flip_tta).eval()

    def f(x):
        with torch.no_grad():
            return [o.numpy() for o in dep(torch.from_numpy(np.ascontiguousarray(x)))]
    return f


def agreement(a_outs, b_outs):
    a_cls, b_cls = a_outs[0], b_outs[0]
    r = {"classmap_agree": float((a_cls == b_cls).mean()),
         "confidence_max_abs_diff": int(np.abs(a_outs[1].astype(np.int32) - b_outs[1].astype(np.int32)).max())}
    if len(a_outs) > 2:
        r["lane_exist_max_abs_diff"] = float(np.abs(a_outs[2] - b_outs[2]).max())
    return r


def recipe_text(cfg):
    t, a, lo = cfg["train"], cfg.get("aug", {}), cfg.get("loss", {})
    pre = cfg.get("model", {}).get("pretrained")
    start = ("encoder from the ImageNet-pretrained ResNet-18 (%s; encoder lr x %g), the rest from scratch"
             % (os.path.basename(pre), t.get("encoder_lr_mult", 1.0))) if pre else "from scratch"
    s = ("%s; AdamW lr %g wd %g, poly(0.9) with %d%% warmup, batch %d, %d iterations, bf16 autocast; "
         % (start, t.get("lr", 2e-3), t.get("weight_decay", 0.01), int(100 * t.get("warmup_frac", 0.03)), t.get("batch", 16), t["iters"]))
    s += "aug: random scale %s, rotation +-%g deg, hflip %g%s, colour/blur/noise %s; " % (
        a.get("scale"), a.get("rot_deg", 0), a.get("flip_p", 0.5),
        " (slots swapped)" if cfg.get("task") == "lanes" else "", "on" if a.get("photometric") else "off")
    s += "loss: CE class_weight=%s%s, aux/booster weight %g" % (
        lo.get("class_weight", "none"), ", OHEM thresh %g min_kept %g" % (lo["ohem"]["thresh"], lo["ohem"]["min_kept_frac"]) if lo.get("ohem") else "",
        t.get("aux_weight", 0.4))
    if cfg.get("task") == "lanes":
        s += ", lane-existence BCE weight %g" % lo.get("exist_weight", 0.1)
    if lo.get("dice_weight"):
        s += ", soft Dice over the 4 lane slots weight %g" % lo["dice_weight"]
    if a.get("translate"):
        s += "; translation +-%s of the frame" % a["translate"]
    if a.get("perspective"):
        s += "; random homography (corners moved up to %g of the frame)" % a["perspective"]
    if a.get("occluders"):
        s += "; occluding boxes cut from other frames (p %g, up to %d)" % (a["occluders"].get("p", 0.5), a["occluders"].get("max_boxes", 3))
    if cfg.get("data", {}).get("label_thickness"):
        s += "; targets: lines.txt polylines drawn %d px wide at 1640x590 (slot per line from the label PNG)" % cfg["data"]["label_thickness"]
    ex = cfg.get("data", {}).get("extra") or {}
    if ex.get("root") and ex.get("ratio"):
        s += "; synthetic frames (split '%s') mixed in at ratio %g of every batch" % (ex.get("split"), ex["ratio"])
    if t.get("time_budget_s"):
        s += ("; schedule on progress = max(iter/%d, elapsed/%gs) (time-compressed poly: the run stops when it "
              "reaches 1, iterations done are in 'epochs')" % (t["iters"], t["time_budget_s"]))
    if t.get("ema_decay"):
        s += "; shipped weights = EMA (decay %g) of the weights at the end of the schedule" % t["ema_decay"]
    return s


def make_card(name, file, cfg, task, summ, scores, lat, precision, date, note=None):
    ex = cfg["export"]
    h, w = ex["height"], ex["width"]
    gm = summ.get("gmacs_480x360", summ.get("gmacs_input"))
    splits = summ.get("train_splits", ["train"])
    if task == "lanes":
        outs = [{"name": "lanes", "dtype": "uint8", "shape": ["N", h, w], "meaning": "lane slot per pixel: 0 background, 1 second-left, 2 ego-left, 3 ego-right, 4 second-right"},
                {"name": "confidence", "dtype": "uint8", "shape": ["N", h, w], "meaning": "max softmax x 255"},
                {"name": "lane_exist", "dtype": "float32", "shape": ["N", 4], "meaning": "probability that slot 1..4 is present (sigmoid)"}]
        classes = [{"id": i, "name": n, "color": c} for i, (n, c) in enumerate(LANE_CLASSES)]
        nfr = {"train": 120, "val": 30}
        data = "CULane subset %s (%d frames of driver_23_30frame/05151649_0422)" % ("+".join(splits), sum(nfr[s] for s in splits))
        for more in cfg.get("data", {}).get("more_train", []):
            data += " + %s %s (culane-d161: 60 frames of another driver and camera, clip 06030819_0755)" % (
                os.path.basename(os.path.normpath(more["root"])), more.get("split", "train"))
        script, droot = "train_lanes.py", ".carry/data/culane-subset"
    else:
        outs = [{"name": "classmap", "dtype": "uint8", "shape": ["N", h, w], "meaning": "argmax class id"},
                {"name": "confidence", "dtype": "uint8", "shape": ["N", h, w], "meaning": "max softmax x 255"}]
        classes = [{"id": i, "name": n, "color": c} for i, (n, c) in enumerate(CAMVID_CLASSES)]
        nfr = {"train": 367, "val": 101}
        data = "CamVid %s (%d frames, 480x360, 11 classes)" % ("+".join(splits), sum(nfr[s] for s in splits))
        script, droot = "train_semantic.py", ".carry/data/camvid"
    ext = summ.get("extra")
    mix = None
    if ext:  # synthetic frames mixed into training (issue #3); they never enter val
        mix = {"frames": ext["frames"], "split": ext["split"], "ratio": ext["ratio"], "per_batch": ext.get("per_batch"),
               "batch": cfg["train"].get("batch", 16),
               "made_by": "training/make_synth_data.py (the node's `synth`, all 5 scenarios, seeds 1000 + 100 x scenario + clip, none of "
                          "the seeds of recordings/; JPEG q75 like the shipped drives)"}
        data += ("; plus %d synthetic frames of the project's own renderer (%s, 480x360%s) as %s of every batch of %d "
                 "(ratio %g); val has no synthetic frame" % (
                     ext["frames"], mix["made_by"], ", stretched to the CULane frame as the node stretches any frame"
                     if task == "lanes" else "", ext.get("per_batch", "?"), mix["batch"], ext["ratio"]))
        droot = droot.replace(".carry/data", ".carry/run5")
    cfg_path = "training/configs/%s.json" % cfg["name"]
    arch = "%s; %.2fM params; %.2f GFLOPs at %dx%d (multiply-accumulates of conv/linear layers, fvcore/torchvision convention)" % (
        cfg.get("description", cfg["model"]["family"]), summ["params"] / 1e6, gm, w, h)
    if ex.get("flip_tta"):
        arch += "; horizontal-flip test-time augmentation inside the graph (2 network passes)"
    card = {
        "schema": "drive-perception/model-card@1",
        "name": name,
        "task": task,
        "file": file,
        "sha256": None,
        "architecture": arch,
        "precision": precision,
        "opset": 17,
        "input": {"name": "image", "dtype": "uint8", "layout": "NHWC", "channel_order": "BGR",
                  "height": h, "width": w, "dynamic_batch": True,
                  "normalization": {"applied": "in_graph", "scale": 1.0 / 255.0, "mean": list(MEAN_RGB), "std": list(STD_RGB)}},
        "outputs": outs,
        "classes": classes,
        "training": {"data": data, "data_terms": TERMS[task] + ("; synthetic frames: the project's own" if ext else ""),
                     "synthetic_mix": mix, "recipe": recipe_text(cfg),
                     "epochs": summ["epochs"], "seed": summ["seed"],
                     "command": "python3 training/%s --config %s --data-root %s --out runs/%s" % (script, cfg_path, droot, cfg["name"])},
        "scores": {"val": scores, "test": None},
        "latency": lat,
        "licence": E.licence_line(summ.get("pretrained")),
        "params": summ["params"],
        "gflops": round(gm, 3),
    }
    if note:
        card["notes"] = note
    return card


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", required=True)
    ap.add_argument("--camvid", default="../shared/data/camvid")
    ap.add_argument("--culane", default="../shared/data/culane-subset")
    ap.add_argument("--out", required=True)
    ap.add_argument("--ship", action="append", default=[])
    ap.add_argument("--only", nargs="*", default=None, help="only these run names")
    ap.add_argument("--time-limit", type=float, default=0)
    ap.add_argument("--threads", type=int, default=8)
    ap.add_argument("--no-fp16-val", action="store_true")
    args = ap.parse_args()
    t0 = time.time()
    date = datetime.date.today().isoformat()
    torch.set_num_threads(args.threads)
    os.makedirs(args.out, exist_ok=True)
    gpu = torch.cuda.is_available()
    dev = "cuda" if gpu else "cpu"
    runs = sorted(d for d in os.listdir(args.runs) if os.path.exists(os.path.join(args.runs, d, "model.pt")))
    if args.only:
        runs = [r for r in runs if r in args.only]
    cv_ims = cv_labs = cu_val = None
    results = {}

    def over():
        return args.time_limit and time.time() - t0 > args.time_limit

    for r in runs:
        rd = os.path.join(args.runs, r)
        try:
            cfg, task, model, summ = load_run(rd)
            ex = cfg["export"]
            h, w, tta = ex["height"], ex["width"], bool(ex.get("flip_tta"))
            onnx_path = os.path.join(rd, r + ".onnx")
            E.export_onnx(model, task, onnx_path, h, w, half=False, flip_tta=tta, device="cpu")
            sess = E.ort_session(onnx_path, args.threads)
            io = E.check_io(sess, task, h, w)
            rec = {"onnx_mb": os.path.getsize(onnx_path) / 2 ** 20, "io": io}
            if task == "lanes":
                if cu_val is None:
                    cu_val = L.load_culane(args.culane, "val", full_labels=True)
                x = np.stack([L.model_input_bgr(im, w, h) for im in cu_val[1][:3]])
            else:
                if cv_ims is None:
                    cv_ims, cv_labs = camvid_val(args.camvid)
                x = cv_ims[:3]
            ort_run = ort_runner(sess)
            rec["agreement_onnx_fp32_vs_torch_fp32"] = agreement(ort_run(x), torch_runner(model, task, tta)(x))
            if over():
                rec["val_onnx_fp32"] = None
                log(r, "time limit: skipping ORT val")
            elif task == "lanes":
                rec["val_onnx_fp32"] = score_lanes(ort_run, cu_val, w, h)
            else:
                rec["val_onnx_fp32"] = score_semantic(ort_run, cv_ims, cv_labs)
            lat = []
            if gpu:
                model.to(dev)
                gname = torch.cuda.get_device_name(0)
                for mode in ("fp16", "bf16"):
                    p50, p90 = E.gpu_latency(model, task, h, w, mode, flip_tta=tta)
                    lat.append({"machine": "%s (device tool)" % gname, "provider": "pytorch eager %s" % mode,
                                "batch": 1, "p50_ms": round(p50, 3), "p90_ms": round(p90, 3), "date": date,
                                "what": "uint8 frame on GPU -> classmap/confidence (normalise, network, argmax), CUDA events"})
                model.cpu()
            rec["latency"] = lat
            val = rec["val_onnx_fp32"]
            if val is None:
                val = summ["val_pytorch"]
                src = "pytorch bf16 (GPU) at end of training"
            else:
                src = "onnx fp32 through onnxruntime CPU"
            scores = dict(val)
            scores["split"] = "culane-subset/val" if task == "lanes" else "camvid/val"
            scores["source"] = src
            if "val" in summ.get("train_splits", []):
                scores["warning"] = "val frames were in this run's training data"
            card = make_card(r, r + ".onnx", cfg, task, summ, scores, lat, "fp32", date)
            card["sha256"] = E.sha256(onnx_path)
            with open(os.path.join(rd, "card.json"), "w") as f:
                json.dump(card, f, indent=1)
            rec["score"] = val["f1"] if task == "lanes" else val["miou"]
            results[r] = rec
            log(r, "score %.4f" % rec["score"], json.dumps(rec["agreement_onnx_fp32_vs_torch_fp32"]), lat and lat[0]["p50_ms"])
        except Exception as e:  # keep going: one failure must not lose the others
            import traceback
            traceback.print_exc()
            results[r] = {"error": repr(e)}
        with open(os.path.join(args.runs, "finalize.json"), "w") as f:
            json.dump(results, f, indent=1)

    shipped = {}
    for spec in args.ship:
        name, cands = spec.split("=")
        cands = [c for c in cands.split(",") if c in results and "score" in results[c]]
        if not cands:
            log("nothing to ship for", name)
            continue
        best = max(cands, key=lambda c: results[c]["score"])
        rd = os.path.join(args.runs, best)
        cfg, task, model, summ = load_run(rd)
        ex = cfg["export"]
        h, w, tta = ex["height"], ex["width"], bool(ex.get("flip_tta"))
        f32 = os.path.join(args.out, name + ".onnx")
        f16 = os.path.join(args.out, name + ".fp16.onnx")
        shutil.copy(os.path.join(rd, best + ".onnx"), f32)
        c32 = json.load(open(os.path.join(rd, "card.json")))
        note = None
        if len(cands) > 1:
            sc_all = {c: round(results[c]["score"], 4) for c in cands}
            note = ("selected as %s among %s by highest val score (ONNX fp32): model selection on val, so this val "
                    "figure is optimistic; all candidates' val scores: %s (mean %.4f)"
                    % (name, ",".join(cands), json.dumps(sc_all), float(np.mean(list(sc_all.values())))))

        def write_card(path, prec, scores=None):
            card = dict(c32)
            card["name"] = name + (".fp16" if prec == "fp16" else "")
            card["file"] = os.path.basename(path)
            card["precision"] = prec
            card["sha256"] = E.sha256(path)
            card["run"] = best
            if note:
                card["notes"] = note
            if scores is not None:
                card["scores"] = {"val": scores, "test": None}
            with open(os.path.join(args.out, card["name"] + ".card.json"), "w") as f:
                json.dump(card, f, indent=1)

        write_card(f32, "fp32")
        shipped[name] = {"run": best, "candidates": cands, "fp32_mb": os.path.getsize(f32) / 2 ** 20,
                         "val_onnx_fp32": {c: results[c]["score"] for c in cands}}
        try:
            E.export_onnx(model.to(dev), task, f16, h, w, half=True, flip_tta=tta, device=dev)
            model.cpu()
            s16 = E.ort_session(f16, args.threads)
            E.check_io(s16, task, h, w)
            if task == "lanes":
                x = np.stack([L.model_input_bgr(im, w, h) for im in cu_val[1][:3]])
            else:
                x = cv_ims[:3]
            r16 = ort_runner(s16)
            agree16 = agreement(r16(x), ort_runner(E.ort_session(f32, args.threads))(x))
            val16 = None
            if not args.no_fp16_val and not over():
                val16 = score_lanes(r16, cu_val, w, h) if task == "lanes" else score_semantic(r16, cv_ims, cv_labs)
            if val16 is not None:
                sc = dict(val16)
                sc["split"] = c32["scores"]["val"]["split"]
                sc["source"] = "onnx fp16 through onnxruntime CPU"
            else:
                sc = dict(c32["scores"]["val"])
                sc["source"] = c32["scores"]["val"]["source"] + " (fp32 model; fp16 not scored separately)"
            sc["agreement_with_fp32_onnx_3_frames"] = agree16
            write_card(f16, "fp16", sc)
            shipped[name].update({"fp16_mb": os.path.getsize(f16) / 2 ** 20, "fp16_vs_fp32": agree16, "val_fp16": val16})
            log("shipped", name, "<-", best, json.dumps(shipped[name]))
        except Exception as e:
            import traceback
            traceback.print_exc()
            shipped[name]["fp16_error"] = repr(e)
        with open(os.path.join(args.out, "shipped.json"), "w") as f:
            json.dump(shipped, f, indent=1)
    log("done in %.0f s" % (time.time() - t0))


if __name__ == "__main__":
    main()
