#!/usr/bin/env python3
"""Ship a finalized candidate under the node's model name, with the node's own eval scores in its card.

finalize.py names each shipped file after its --ship spec (e.g. lanes-v4); the node loads models by the names in
models/ (culane-lanes, camvid-panoptic, ...). This copies SRC.onnx (and SRC.fp16.onnx when present) to
OUT_DIR/NAME.onnx (.fp16.onnx), rewrites the cards' name and file (the sha256 is of the bytes, unchanged), fixes the
data root in the recorded command, and stores each node `eval ... --json` file given with --node-eval under
scores.node_eval (the figures models/README.md quotes: the node's pre- and post-processing, several datasets).

    python3 training/ship_as.py /work/run9/lanes-v4.onnx culane-lanes --out models \\
        --data-root .carry/run9 --node-eval /work/run9/eval/lanes-v4.json
"""
import argparse
import hashlib
import json
import os
import shutil
import sys


def fail(msg):
    print("ship_as: " + msg, file=sys.stderr)
    sys.exit(2)


def portable(value):
    """Absolute paths of the machine that ran eval say nothing elsewhere: keep file names and ../shared/ paths."""
    if isinstance(value, dict):
        return {k: (os.path.basename(v) if k == "model_path" and isinstance(v, str) else portable(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [portable(v) for v in value]
    if isinstance(value, str) and "/shared/data/" in value:
        return "../shared/data/" + value.split("/shared/data/", 1)[1]
    return value


def ship_one(src_onnx, dst_onnx, name, data_root, node_eval):
    card_src = src_onnx[:-len(".onnx")] + ".card.json"
    if not os.path.isfile(card_src):
        fail("no card beside %s (%s): ship only what finalize.py wrote" % (src_onnx, card_src))
    with open(card_src) as f:
        card = json.load(f)
    with open(src_onnx, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    if card.get("sha256") not in (None, digest):
        fail("%s does not match its card's sha256: the card is for another file" % src_onnx)
    card["name"] = name
    card["file"] = os.path.basename(dst_onnx)
    cmd = card.get("training", {}).get("command")
    if data_root and isinstance(cmd, str):
        # finalize.py writes the default root (.carry/run5); say where this run's data really was
        card["training"]["command"] = cmd.replace(".carry/run5", data_root)
    if node_eval:
        card.setdefault("scores", {})["node_eval"] = node_eval
    shutil.copyfile(src_onnx, dst_onnx)
    with open(dst_onnx[:-len(".onnx")] + ".card.json", "w") as f:
        json.dump(card, f, indent=1)
        f.write("\n")
    print("shipped %s -> %s (sha256 %s)" % (src_onnx, dst_onnx, digest[:12]))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("src", help="finalized NAME.onnx with NAME.card.json beside it")
    ap.add_argument("name", help="the node's model name, e.g. culane-lanes")
    ap.add_argument("--out", default="models", help="folder to write into (default: models)")
    ap.add_argument("--data-root", default="", help="where the run's data was (replaces .carry/run5 in the command)")
    ap.add_argument("--node-eval", action="append", default=[], help="node `eval --json` file(s) to store in the card")
    a = ap.parse_args()
    if not a.src.endswith(".onnx") or not os.path.isfile(a.src):
        fail("%s is not an .onnx file" % a.src)
    if not os.path.isdir(a.out):
        fail("no folder %s" % a.out)
    evals = []
    for p in a.node_eval:
        try:
            with open(p) as f:
                evals.append(portable(json.load(f)))
        except (OSError, ValueError) as e:
            fail("cannot read node eval %s: %s" % (p, e))
    node_eval = None
    if evals:
        node_eval = {"source": "the node's `eval --json` (ONNX Runtime CPU, the node's own pre- and post-processing), fp32 file",
                     "runs": evals}
    ship_one(a.src, os.path.join(a.out, a.name + ".onnx"), a.name, a.data_root, node_eval)
    fp16 = a.src[:-len(".onnx")] + ".fp16.onnx"
    if os.path.isfile(fp16):
        ship_one(fp16, os.path.join(a.out, a.name + ".fp16.onnx"), a.name + ".fp16", a.data_root, node_eval)


if __name__ == "__main__":
    main()
