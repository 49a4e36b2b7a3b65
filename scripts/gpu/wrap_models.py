#!/usr/bin/env python3
"""Derives GPU-path variants of a shipped model (models/NAME.onnx + NAME.card.json), each with its own card.

  --fp16        NAME.fp16.onnx: fp16 weights and activations, the same uint8 input and uint8/float32 outputs
                (docs/MODEL-CONTRACT.md), for `-a cuda`; the CPU provider runs such a file only through casts, so the node
                loads the fp32 file instead there (docs/GPU.md).
  --preprocess  NAME.prep.onnx (or NAME.fp16.prep.onnx with --fp16): the input takes the captured uint8 BGR frame at
                its own size ([N, H, W, 3], H and W dynamic) and the graph resizes it to the card's size, so the node only
                copies the frame's bytes (`--preprocess graph`). The resize follows the node's host path
                (FramePreprocessor): per axis, a first linear resize to max(model, capture / 2) (for a shrink of 2 or
                more this is an exact 2x2 average, as INTER_AREA by 2), then a linear resize to the model's size
                (half-pixel centres, as OpenCV's INTER_LINEAR), rounded to uint8 like the host's resized image.
                At the model's own size both resizes are the identity.

The ONNX metadata key dp_preprocess = graph-resize marks a wrapped model: the node refuses `--preprocess graph`
for a model without it. Works with onnx 1.12 (Debian) and 1.23 (the GPU machine); no onnxruntime needed.

  python3 scripts/gpu/wrap_models.py models/camvid-panoptic.onnx --fp16 --preprocess --out /tmp/wrapped
  (writes /tmp/wrapped/camvid-panoptic.fp16.onnx, camvid-panoptic.prep.onnx, camvid-panoptic.fp16.prep.onnx + cards)
"""
import argparse
import copy
import hashlib
import json
import os
import sys

try:
    import numpy as np
    import onnx
    from onnx import TensorProto, helper, numpy_helper
except ImportError as e:  # the one line the house rules ask for
    sys.exit(f"wrap_models.py: {e}: install python3-onnx and python3-numpy (apt-get install python3-onnx)")

PREPROCESS_KEY = "dp_preprocess"
PREPROCESS_VALUE = "graph-resize"
FLOAT, FLOAT16 = TensorProto.FLOAT, TensorProto.FLOAT16


def fail(msg):
    print(f"wrap_models.py: {msg}", file=sys.stderr)
    sys.exit(2)


def load_pair(path):
    card_path = os.path.join(os.path.dirname(os.path.abspath(path)), os.path.basename(path)[:-5] + ".card.json")
    if not path.endswith(".onnx") or not os.path.isfile(path):
        fail(f"{path}: not an .onnx file; give models/NAME.onnx")
    if not os.path.isfile(card_path):
        fail(f"{card_path}: no card beside the model; each NAME.onnx needs NAME.card.json")
    with open(card_path) as f:
        card = json.load(f)
    return onnx.load(path), card


def to_fp16(model):
    """fp16 inside, the contract's IO outside: float initializers, Constants and Casts to float become fp16; a float32
    graph output gets a Cast back; Resize's roi/scales stay float32."""
    g = model.graph
    outputs = {o.name for o in g.output}
    for init in g.initializer:
        if init.data_type == FLOAT:
            init.CopyFrom(numpy_helper.from_array(numpy_helper.to_array(init).astype(np.float16), init.name))
    keep_float = set()  # tensors that must stay float32 (Resize roi and scales)
    for n in g.node:
        if n.op_type == "Resize":
            keep_float.update(i for i in list(n.input)[1:3] if i)
    new_nodes = []
    for n in g.node:
        if n.op_type == "Constant":
            for a in n.attribute:
                if a.name == "value" and a.t.data_type == FLOAT and not (set(n.output) & keep_float):
                    a.t.CopyFrom(numpy_helper.from_array(numpy_helper.to_array(a.t).astype(np.float16), a.t.name))
        elif n.op_type == "ConstantOfShape":
            for a in n.attribute:
                if a.name == "value" and a.t.data_type == FLOAT:
                    a.t.CopyFrom(numpy_helper.from_array(numpy_helper.to_array(a.t).astype(np.float16), a.t.name))
        elif n.op_type == "Cast":
            for a in n.attribute:
                if a.name == "to" and a.i == FLOAT and not (set(n.output) & (outputs | keep_float)):
                    a.i = FLOAT16
        new_nodes.append(n)
    # Resize roi/scales fed by converted initializers: cast them back.
    inits = {i.name for i in g.initializer}
    for n in list(g.node):
        if n.op_type != "Resize":
            continue
        for k in (1, 2):
            if k < len(n.input) and n.input[k] in inits:
                src = n.input[k]
                init = next(i for i in g.initializer if i.name == src)
                if init.data_type == FLOAT16:
                    init.CopyFrom(numpy_helper.from_array(numpy_helper.to_array(init).astype(np.float32), src))
    # float32 graph outputs not made by a Cast to float: the producer now makes fp16, so cast it back.
    producers = {o: n for n in g.node for o in n.output}
    for out in g.output:
        if out.type.tensor_type.elem_type != FLOAT:
            continue
        p = producers.get(out.name)
        if p is not None and p.op_type == "Cast":
            continue
        inner = out.name + "__fp16"
        for n in g.node:
            n.output[:] = [inner if o == out.name else o for o in n.output]
            n.input[:] = [inner if i == out.name else i for i in n.input]
        new_nodes.append(helper.make_node("Cast", [inner], [out.name], to=FLOAT, name=out.name + "__to_fp32"))
    del g.node[:]
    g.node.extend(new_nodes)
    del g.value_info[:]
    return model


def with_graph_resize(model, card):
    """Prepends the capture-size front end; the original input becomes an internal tensor."""
    g = model.graph
    inp = g.input[0]
    name = inp.name
    h, w = int(card["input"]["height"]), int(card["input"]["width"])
    if card["input"].get("layout") != "NHWC" or card["input"].get("dtype") != "uint8":
        fail("--preprocess wraps uint8 NHWC models (normalised in the graph, the contract's input) only")
    inner = name + "__model_size"
    for n in g.node:
        n.input[:] = [inner if i == name else i for i in n.input]
    p = "dp_prep/"
    c = lambda n, v, dt=np.int64: numpy_helper.from_array(np.array(v, dtype=dt), p + n)
    g.initializer.extend([
        c("hw_index", [1, 2]), c("nc_index", [0, 3]), c("model_hw", [h, w]), c("two", [2]),
        c("zero", 0.0, np.float32), c("max", 255.0, np.float32),
    ])
    nodes = [
        # sizes in NHWC order: [N, max(h, H/2), max(w, W/2), 3] then [N, h, w, 3]
        helper.make_node("Shape", [name], [p + "shape"]),
        helper.make_node("Gather", [p + "shape", p + "hw_index"], [p + "hw"], axis=0),
        helper.make_node("Gather", [p + "shape", p + "nc_index"], [p + "nc"], axis=0),
        helper.make_node("Div", [p + "hw", p + "two"], [p + "half"]),
        helper.make_node("Max", [p + "half", p + "model_hw"], [p + "step_hw"]),
        helper.make_node("Split", [p + "nc"], [p + "n", p + "c"], axis=0),
        helper.make_node("Concat", [p + "n", p + "step_hw", p + "c"], [p + "step_sizes"], axis=0),
        helper.make_node("Concat", [p + "n", p + "model_hw", p + "c"], [p + "model_sizes"], axis=0),
        helper.make_node("Cast", [name], [p + "float"], to=FLOAT),
        helper.make_node("Transpose", [p + "float"], [p + "nchw"], perm=[0, 3, 1, 2]),
        helper.make_node("Gather", [p + "step_sizes", c("to_nchw", [0, 3, 1, 2]).name], [p + "step_nchw"], axis=0),
        helper.make_node("Gather", [p + "model_sizes", p + "to_nchw"], [p + "model_nchw"], axis=0),
        helper.make_node("Resize", [p + "nchw", "", "", p + "step_nchw"], [p + "step"], mode="linear",
                         coordinate_transformation_mode="half_pixel"),
        helper.make_node("Resize", [p + "step", "", "", p + "model_nchw"], [p + "resized"], mode="linear",
                         coordinate_transformation_mode="half_pixel"),
        helper.make_node("Round", [p + "resized"], [p + "rounded"]),
        helper.make_node("Clip", [p + "rounded", p + "zero", p + "max"], [p + "clipped"]),
        helper.make_node("Cast", [p + "clipped"], [p + "uint8"], to=TensorProto.UINT8),
        helper.make_node("Transpose", [p + "uint8"], [inner], perm=[0, 2, 3, 1]),
    ]
    g.initializer.append(c("to_nchw", [0, 3, 1, 2]))
    # Split without a 'split' input gives equal halves of the 2-element [N, C]: N and C.
    old = list(g.node)
    del g.node[:]
    g.node.extend(nodes + old)
    dims = inp.type.tensor_type.shape.dim
    dims[1].Clear(); dims[1].dim_param = "H"
    dims[2].Clear(); dims[2].dim_param = "W"
    del g.value_info[:]
    return model


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def write(model, card, base, suffix, out_dir, fp16, prep):
    name = base + suffix
    path = os.path.join(out_dir, name + ".onnx")
    meta = {p.key: p.value for p in model.metadata_props}
    if prep:
        meta[PREPROCESS_KEY] = PREPROCESS_VALUE
    del model.metadata_props[:]
    for k, v in meta.items():
        model.metadata_props.add(key=k, value=v)
    onnx.checker.check_model(model)
    onnx.save(model, path)
    c = copy.deepcopy(card)
    c["name"], c["file"], c["sha256"] = name, name + ".onnx", sha256(path)
    if fp16:
        c["precision"] = "fp16"
    derived = c.setdefault("derived", {})
    derived.update({"from": base + ".onnx", "by": "scripts/gpu/wrap_models.py", "fp16": fp16, "preprocess_in_graph": prep})
    if fp16 and isinstance(c.get("scores"), dict):
        c["scores"]["note"] = "scores of the fp32 model; this fp16 conversion is not scored separately"
    with open(os.path.join(out_dir, name + ".card.json"), "w") as f:
        json.dump(c, f, indent=1)
        f.write("\n")
    print(f"wrote {path}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("models", nargs="+", help="models/NAME.onnx with NAME.card.json beside it")
    ap.add_argument("--fp16", action="store_true", help="write NAME.fp16.onnx (and NAME.fp16.prep.onnx with --preprocess)")
    ap.add_argument("--preprocess", action="store_true", help="write NAME.prep.onnx: resize from capture size in the graph")
    ap.add_argument("--out", default=None, help="output folder (default: beside each model)")
    a = ap.parse_args()
    if not (a.fp16 or a.preprocess):
        fail("nothing to do: give --fp16, --preprocess or both")
    for path in a.models:
        model, card = load_pair(path)
        base = os.path.basename(path)[:-5]
        if card.get("precision") == "fp16" and a.fp16:
            fail(f"{path} is already fp16: give the fp32 model")
        out_dir = a.out or os.path.dirname(os.path.abspath(path))
        os.makedirs(out_dir, exist_ok=True)
        if a.fp16:
            write(to_fp16(copy.deepcopy(model)), card, base, ".fp16", out_dir, True, False)
        if a.preprocess:
            write(with_graph_resize(copy.deepcopy(model), card), card, base, ".prep", out_dir, card.get("precision") == "fp16", True)
            if a.fp16:
                write(with_graph_resize(to_fp16(copy.deepcopy(model)), card), card, base, ".fp16.prep", out_dir, True, True)


if __name__ == "__main__":
    main()
