#!/usr/bin/env python3
"""Exports every semantic family of training/configs with RANDOM weights, so the node's `bench` can time them on a
CPU or GPU: inference cost does not depend on weight values. For the family comparison in models/README.md (the
session-1 runs did not keep the ONNX files of the families that were not shipped).

    /usr/bin/python3 training/analysis/latency_families.py --out /tmp/families
    ./drive-perception bench -a cpu --semantic-model /tmp/families/camvid-fcn8s.onnx --lane-model none \
        --resolutions 480x360 --cameras 1 --frames 30

Each NAME.onnx gets a card copied from models/camvid-fast.card.json with its own name, sha256 and architecture, and
"weights": "random" so nobody mistakes it for a trained model.
"""
import argparse
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from dp_train import common as C  # noqa: E402
from dp_train.export import export_onnx, sha256  # noqa: E402
from dp_train.models import build_model, count_params  # noqa: E402

FAMILIES = ["camvid-bisenetv2-fast", "camvid-fcn8s", "camvid-deeplabv3plus", "camvid-unet", "camvid-lraspp"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--only", nargs="*", default=FAMILIES)
    args = ap.parse_args()
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    template = json.load(open(os.path.join(here, "..", "models", "camvid-fast.card.json")))
    os.makedirs(args.out, exist_ok=True)
    torch.manual_seed(0)
    for name in args.only:
        cfg = C.load_config(os.path.join(here, "configs", name + ".json"))
        model = build_model(cfg["model"], 11).eval()
        ex = cfg.get("export", {})
        h, w, tta = ex.get("height", 360), ex.get("width", 480), bool(ex.get("flip_tta", False))
        path = os.path.join(args.out, name + ".onnx")
        export_onnx(model, "semantic", path, h, w, flip_tta=tta)
        card = dict(template)
        card.update(name=name, file=name + ".onnx", sha256=sha256(path), weights="random (latency only)",
                    architecture="%s, %.2f M params, flip TTA %s; RANDOM weights, for timing only"
                                 % (cfg.get("description", name), count_params(model) / 1e6, tta),
                    scores={"val": None, "test": None}, latency=[])
        with open(os.path.join(args.out, name + ".card.json"), "w") as f:
            json.dump(card, f, indent=1)
        print("wrote", path, "flip_tta", tta)


if __name__ == "__main__":
    main()
