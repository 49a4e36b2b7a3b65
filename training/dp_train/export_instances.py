#!/usr/bin/env python3
"""Export an instance checkpoint to the model contract (ONNX + NAME.card.json beside it).

    python3 training/export_instances.py maskrcnn --ckpt RUN/model.pt --out models/NAME.onnx
    python3 training/export_instances.py panoptic --ckpt RUN/model.pt --out models/NAME.onnx
    python3 training/export_instances.py maskrcnn --random --config training/configs/maskrcnn-lite.json --out /tmp/x.onnx

The card's scores come from the checkpoint's best val record (and RUN/summary.json when present); --random
exports untrained weights (smoke tests: the card then says so and has no scores). Works on torch 1.13 and 2.x.
"""
import argparse
import datetime
import inspect
import json
import os
import sys

import torch

from .common import MEAN_RGB, STD_RGB, load_config  # noqa: E402
from .export import licence_line, sha256  # noqa: E402
from .inst_data import NODE_CLASSES  # noqa: E402
from .inst_export import export_maskrcnn, export_panoptic  # noqa: E402
from .inst_models import build_maskrcnn, build_panoptic  # noqa: E402
from .models import count_params  # noqa: E402

VAL_SPLIT = "pennfudan/val (training/splits/pennfudan-val.txt)"
NODE_COLOURS = {"background": [0, 0, 0], "vehicle": [64, 0, 128], "pedestrian": [64, 64, 0]}
CAMVID_CARD = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "..", "models", "camvid-fast.card.json")
THING_CLASSES = ["car", "pedestrian", "bicyclist"]


def input_spec(h, w, dynamic):
    return {"name": "image", "dtype": "uint8", "layout": "NHWC", "channel_order": "BGR", "height": h, "width": w,
            "dynamic_batch": dynamic,
            "normalization": {"applied": "in_graph", "scale": 1.0 / 255.0, "mean": list(MEAN_RGB), "std": list(STD_RGB)}}


def load(args):
    if args.random:
        if not args.config:
            sys.exit("--random needs --config (the architecture to build)")
        torch.manual_seed(0)
        return load_config(args.config), None, {}
    kw = {"weights_only": False} if "weights_only" in inspect.signature(torch.load).parameters else {}
    ck = torch.load(args.ckpt, map_location="cpu", **kw)  # our own checkpoint: weights + config + val dicts
    summ_path = os.path.join(os.path.dirname(os.path.abspath(args.ckpt)), "summary.json")
    summ = json.load(open(summ_path)) if os.path.exists(summ_path) else {}
    return ck["config"], ck, summ


def training_block(cfg, ck, summ, kind):
    if ck is None:
        return {"data": "none: random weights (smoke test)", "data_terms": "n/a", "recipe": cfg.get("description", ""),
                "epochs": 0, "seed": 0, "command": "training/export_instances.py %s --random" % kind}
    mix = cfg["data"].get("mix", {})
    return {"data": "Penn-Fudan train (96 frames, training/splits/pennfudan-train.txt), CamVid train pseudo-instances "
                    "(connected components), synthetic frames (synth --dataset); batch share %s; sources used %s"
                    % (json.dumps(mix), json.dumps(summ.get("sources"))),
            "data_terms": "research use (Penn-Fudan: not to be reposted; CamVid: Brostow et al. 2008); synthetic: project's own",
            "recipe": cfg.get("description", ""), "epochs": 0, "seed": cfg["train"].get("seed", 0),
            "iterations": summ.get("iters_done"), "best_iteration": ck.get("iter"), "train_time_s": summ.get("train_time_s"),
            "gpu": summ.get("gpu"),
            "command": "python3 training/train_%s.py --config training/configs/%s.json --data-root DIR --out RUN"
                       % ("maskrcnn" if kind == "maskrcnn" else "panoptic", cfg["name"])}


def scores_block(ck, kind):
    if ck is None:
        return None
    v = ck["val"]
    val = {"split": VAL_SPLIT, "class": "pedestrian"}
    if kind == "maskrcnn":
        val.update({"ap": v["ap_node"], "ap50": v["ap50_node"], "ap75": v["ap75_node"],
                    "decoding": "as the node: score >= 0.5, class-wise NMS 0.5, top 100, bilinear paste at frame size, mask >= 0.5",
                    "ap_all_detections": v["ap"], "ap50_all_detections": v["ap50"]})
    else:
        val.update({"ap": v["ap"], "ap50": v["ap50"], "ap75": v["ap75"],
                    "decoding": "the node's centre-offset grouping (docs/MODEL-CONTRACT.md), pedestrian + bicyclist instances",
                    "camvid_val_miou": v.get("miou")})
        return {"val": val, "camvid_val": {"split": "camvid/val", "miou": v.get("miou"),
                                            "per_class_iou": v.get("per_class_iou")}, "test": None}
    return {"val": val, "test": None}


def verify_onnx(path, kind, data_root, h, w, inst):
    """Penn-Fudan val through onnxruntime (CPU) with the same decoding as training's val: proves the file scores
    like the checkpoint. Returns the AP record, or {"error": ...}."""
    try:
        import cv2
        import numpy as np
        import onnxruntime as ort
        from . import inst_data as D
        from .instances import decode_maskrcnn, group_centre_offset, mask_ap
        here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        val = D.PennFudanVal(os.path.join(data_root, "pennfudan"), D.split_names(os.path.join(here, "splits"), "val"), w, h)
        sess = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
        extra = {}
        if kind == "maskrcnn":  # a blank frame usually has no detection: K = 0 must run (docs/MODEL-CONTRACT.md)
            extra["blank_frame_detections"] = int(sess.run(None, {"image": np.zeros((1, h, w, 3), np.uint8)})[0].shape[0])
        images = []
        for k in range(len(val.names)):
            bgr = np.ascontiguousarray(val.inputs[k].numpy()[None, :, :, ::-1])
            outs = sess.run(None, {"image": bgr})
            fh, fw = val.sizes[k]
            if kind == "maskrcnn":
                dec = [d for d in decode_maskrcnn(*outs, (h, w), (fh, fw)) if d[0] == 2]
                masks = [d[2] for d in dec]
            else:
                dec = [d for d in group_centre_offset(outs[0][0], outs[1][0], outs[2][0], outs[3][0], [8, 9, 10],
                                                      inst.get("stride", 4), inst.get("centre_threshold", 0.1),
                                                      inst.get("top_k", 100), inst.get("min_pixels", 20))
                       if d[0] in (9, 10)]
                masks = [cv2.resize(d[2].astype(np.uint8), (fw, fh), interpolation=cv2.INTER_NEAREST) > 0 for d in dec]
            images.append((np.stack(masks) if masks else np.zeros((0, fh, fw), bool), np.array([d[1] for d in dec]),
                           val.gts[k]))
        r = mask_ap(images)
        return {"split": VAL_SPLIT, "runtime": "onnxruntime %s CPU" % ort.__version__, **r, **extra}
    except Exception as e:  # verification is evidence, not a gate: report why it could not run
        return {"error": "%s: %s" % (type(e).__name__, e)}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("kind", choices=["maskrcnn", "panoptic"])
    ap.add_argument("--ckpt", help="RUN/model.pt from train_maskrcnn.py / train_panoptic.py")
    ap.add_argument("--out", required=True, help="models/NAME.onnx; the card is written beside it")
    ap.add_argument("--random", action="store_true", help="untrained weights from --config (smoke tests)")
    ap.add_argument("--config")
    ap.add_argument("--verify", metavar="DATA_ROOT",
                    help="with onnxruntime installed: score the exported ONNX on Penn-Fudan val (DATA_ROOT/pennfudan) with "
                         "the node's decoding and add it to the card as scores.val_onnx (a failure is reported, not fatal)")
    args = ap.parse_args()
    if not args.random and not args.ckpt:
        sys.exit("give --ckpt RUN/model.pt (or --random --config CFG for a smoke test)")
    cfg, ck, summ = load(args)
    ex = cfg["export"]
    h, w = ex["height"], ex["width"]
    out = os.path.abspath(args.out)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    name = os.path.splitext(os.path.basename(out))[0]

    if args.kind == "maskrcnn":
        model = build_maskrcnn(cfg["model"], len(NODE_CLASSES), h, w)
        if ck is not None:
            model.load_state_dict(ck["model"])
        msize = ex.get("mask_size", 28)
        opset = export_maskrcnn(model, out, h, w, len(NODE_CLASSES), msize)
        outputs = [
            {"name": "boxes", "dtype": "float32", "shape": ["K", 4], "meaning": "x1, y1, x2, y2 in model-input pixels"},
            {"name": "scores", "dtype": "float32", "shape": ["K"], "meaning": "detection score"},
            {"name": "labels", "dtype": "int64", "shape": ["K"], "meaning": "class id (never 0, background)"},
            {"name": "masks", "dtype": "float32", "shape": ["K", 1, msize, msize], "meaning": "mask probability over the box"}]
        classes = [{"id": i, "name": n, "color": NODE_COLOURS[n]} for i, n in enumerate(NODE_CLASSES)]
        card = {"task": "instance", "decoder": "maskrcnn", "input": input_spec(h, w, False)}
    else:
        model = build_panoptic(11, cfg)
        if ck is not None:
            model.load_state_dict(ck["model"])
        st = ex.get("stride", 4)
        opset = export_panoptic(model, out, h, w, 11, st)
        outputs = [
            {"name": "classmap", "dtype": "uint8", "shape": ["N", h, w], "meaning": "argmax class id"},
            {"name": "confidence", "dtype": "uint8", "shape": ["N", h, w], "meaning": "max softmax x 255"},
            {"name": "centre", "dtype": "float32", "shape": ["N", h // st, w // st],
             "meaning": "instance-centre heatmap 0..1 after 7x7 max-pool NMS (non-peaks 0)"},
            {"name": "offset", "dtype": "float32", "shape": ["N", 2, h // st, w // st],
             "meaning": "dy, dx in model-input pixels from a pixel to its instance centre"}]
        classes = json.load(open(CAMVID_CARD))["classes"]
        inst = dict(cfg.get("grouping", {}))
        card = {"task": "panoptic", "decoder": "centre-offset", "input": input_spec(h, w, True),
                "instance": {"stride": st, "thing_classes": THING_CLASSES,
                             "centre_threshold": inst.get("centre_threshold", 0.1), "top_k": inst.get("top_k", 100),
                             "min_pixels": inst.get("min_pixels", 20)}}

    full = {"schema": "drive-perception/model-card@1", "name": name, "task": card["task"],
            "file": os.path.basename(out), "sha256": sha256(out),
            "architecture": "%s; %.2f M params" % (cfg.get("description", cfg["name"]), count_params(model) / 1e6),
            "precision": "fp32", "opset": opset, "input": card["input"], "outputs": outputs, "classes": classes,
            "training": training_block(cfg, ck, summ, args.kind), "scores": scores_block(ck, args.kind),
            "latency": [], "licence": licence(cfg), "decoder": card["decoder"]}
    if "instance" in card:
        full["instance"] = card["instance"]
    if args.verify:
        full["scores_onnx"] = verify_onnx(out, args.kind, args.verify, h, w, full.get("instance", {}))
        print("onnx val:", json.dumps(full["scores_onnx"]))
    full["exported"] = {"date": datetime.date.today().isoformat(), "torch": torch.__version__}
    with open(os.path.join(os.path.dirname(out), name + ".card.json"), "w") as f:
        json.dump(full, f, indent=2)
    print("wrote %s (%.1f MB, opset %d) and %s.card.json" % (out, os.path.getsize(out) / 2 ** 20, opset, name))


def licence(cfg):
    """The card's licence line; a pretrained encoder's source and licence come from the converted checkpoint's meta."""
    pre = cfg.get("model", {}).get("pretrained")
    if not pre:
        return licence_line()
    meta = torch.load(pre, map_location="cpu").get("meta", {}) if os.path.isfile(pre) else {}
    return licence_line({
        "source": meta.get("source", "the ImageNet-pretrained ResNet-18 of training/pretrained/convert_resnet18.py"),
        "licence": meta.get("licence", "MIT (NuGet Microsoft.ML.DnnImageFeaturizer.ResNet18)")})

if __name__ == "__main__":
    main()
