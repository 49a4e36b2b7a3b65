"""The same trained network at a smaller input: the degrade ladder's cheapest model (issue #17).

A node on a slow CPU (2 cores without AVX-512) cannot hold 15 frames/s even with camvid-fast in place of the default;
the same weights on a 384x288 input cost 0.64x the pixels. No retraining: a fully convolutional network runs at any
size, but the export fixed a few sizes as constants (the bilateral guided aggregation resizes the semantic branch to
the detail branch's 1/8 size, and the head upsamples to the input size). This rewrites the graph's input and output
shapes and those constants, and writes a card whose scores the caller fills in with the node's own eval:

  PYTHONPATH=training python3 -m dp_train.resize_input --model models/camvid-fast.onnx --size 384x288 \
      --name camvid-fast-small --out models/camvid-fast-small.onnx
  ./drive-perception eval semantic --model models/camvid-fast-small.onnx --data ../shared/data/camvid --split val \
      --json /tmp/small.json     # then: --scores /tmp/small.json to write the card's scores.val

Refuses a model whose fixed sizes it does not find (it would run but compute at the wrong scale).
"""
import argparse
import hashlib
import json
import os
import sys

import numpy as np
import onnx
from onnx import numpy_helper


def fail(message):
    """One line on stderr and exit 2, the project's code for a mistake the user can fix."""
    print(f"resize_input: {message}", file=sys.stderr)
    sys.exit(2)


def size_constants(model):
    """Constant nodes holding a pair of ints, by value: the candidates for fixed [H, W] sizes."""
    found = {}
    for node in model.graph.node:
        if node.op_type != "Constant":
            continue
        value = numpy_helper.to_array(node.attribute[0].t)
        if value.shape == (2,):
            found.setdefault(tuple(int(v) for v in value), []).append(node)
    return found


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", required=True, help="shipped semantic model (its .card.json beside it)")
    ap.add_argument("--size", required=True, help="new input WIDTHxHEIGHT, both multiples of 32, e.g. 384x288")
    ap.add_argument("--name", required=True, help="model name for the card, e.g. camvid-fast-small")
    ap.add_argument("--out", required=True, help="where to write NAME.onnx (the card goes beside it)")
    ap.add_argument("--scores", help="the node's eval --json for the new file: its mIoU goes to the card")
    args = ap.parse_args()
    try:
        width, height = (int(v) for v in args.size.lower().split("x"))
    except ValueError:
        fail(f"--size {args.size}: give WIDTHxHEIGHT, e.g. 384x288")
    if width % 32 or height % 32:
        fail(f"--size {args.size}: both sides must be multiples of 32 (the network downsamples 32x)")
    card_path = os.path.splitext(args.model)[0] + ".card.json"
    if not os.path.exists(args.model) or not os.path.exists(card_path):
        fail(f"{args.model} or its card {card_path} does not exist: give a shipped semantic model, e.g. models/camvid-fast.onnx")
    with open(card_path) as f:
        card = json.load(f)
    if card.get("task") != "semantic":
        fail(f"{args.model} is a '{card.get('task')}' model: this tool rewrites semantic models' class maps (e.g. models/camvid-fast.onnx)")
    old_h, old_w = card["input"]["height"], card["input"]["width"]
    model = onnx.load(args.model)
    pairs = size_constants(model)
    rewrites = {(old_h, old_w): (height, width), (old_h // 8, old_w // 8): (height // 8, width // 8)}
    missing = [k for k in rewrites if k not in pairs]
    if missing:
        fail(f"{args.model} has no size constants {missing}: not a graph this tool knows (camvid-fast's export)")
    for old, new in rewrites.items():
        for node in pairs[old]:
            dtype = numpy_helper.to_array(node.attribute[0].t).dtype
            node.attribute[0].t.CopyFrom(numpy_helper.from_array(np.array(new, dtype=dtype)))
    dims = model.graph.input[0].type.tensor_type.shape.dim
    dims[1].dim_value, dims[2].dim_value = height, width
    for out in model.graph.output:
        d = out.type.tensor_type.shape.dim
        d[1].dim_value, d[2].dim_value = height, width
    del model.graph.value_info[:]  # stale shapes of the old size; ONNX Runtime infers them again
    onnx.checker.check_model(model)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    onnx.save(model, args.out)

    base = os.path.basename(args.out)
    card.update(name=args.name, file=base)
    card["input"]["height"], card["input"]["width"] = height, width
    for out in card["outputs"]:
        out["shape"] = ["N", height, width]
    card["architecture"] = (f"{card['name']}: {os.path.basename(args.model)}'s trained weights at a {width}x{height} input "
                            f"(training/dp_train/resize_input.py; no retraining). " + card.get("architecture", ""))
    card["gflops"] = round(card.get("gflops", 0) * (width * height) / (old_w * old_h), 3)
    card.pop("latency", None)  # measured for the old size
    card["scores"] = {"val": None, "test": None}
    if args.scores:
        with open(args.scores) as f:
            ev = json.load(f)
        # The eval gives percent; cards hold fractions, as the other cards' scores.
        per_class = {k: (None if v is None else v / 100) for k, v in (ev.get("per_class_iou") or {}).items()}
        card["scores"]["val"] = {"miou": ev["miou"] / 100, "per_class_iou": per_class, "split": "camvid/val",
                                 "source": "the node's eval semantic, onnx fp32 through onnxruntime CPU"}
    with open(args.out, "rb") as f:
        card["sha256"] = hashlib.sha256(f.read()).hexdigest()
    with open(os.path.splitext(args.out)[0] + ".card.json", "w") as f:
        json.dump(card, f, indent=2)
        f.write("\n")
    print(f"wrote {args.out} ({width}x{height}) and its card")


if __name__ == "__main__":
    main()
