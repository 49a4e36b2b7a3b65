#!/usr/bin/env python3
"""Static INT8 (QDQ) quantization of contract models for the CPU node, val scoring, CPU timing. Needs onnxruntime.

    # quantize + score (fp32 and int8 on the whole val split) + int8 card beside each output
    python3 training/quantize_int8.py quant --model camvid-fast=models/camvid-fast.onnx:semantic \
        --model culane-lanes=models/culane-lanes.onnx:lanes --camvid DATA/camvid --culane DATA/culane-subset --out OUT
    # CPU latency, onnxruntime, batch 1, intra_op_num_threads=2, p50 over 50 runs (after 10 warm-up runs)
    python3 training/quantize_int8.py bench --files models/camvid-fast.onnx OUT/camvid-fast.int8.onnx \
        --camvid DATA/camvid --culane DATA/culane-subset --out OUT/bench.json   (int8 cards beside the files get the timing)

Only the network body is quantized: the in-graph pre-processing (BGR->RGB Gather, cast, normalising Mul/Add,
everything before the first Conv), the classifier Conv that makes the logits and everything after it
(upsampling Resize, ReduceMax/ArgMax/Exp/... for classmap and confidence, Sigmoid of lane_exist) stay float, so
the uint8 `image` input and the uint8/float outputs of docs/MODEL-CONTRACT.md are unchanged.
Weights int8 per channel (symmetric), activations int8 (asymmetric), calibrated with MinMax on 64 training
frames (evenly spaced over train.txt, or the frames in calib.txt when the data folder has one). With
--methods minmax,percentile a Percentile (99.999) variant is made too, and the one whose class map agrees
best with the fp32 model on 16 other TRAINING frames is kept (no val in that choice); both are scored on val.
"""
import argparse
import copy
import json
import os
import shutil
import sys
import time
import traceback

import cv2
import numpy as np

from . import export as E  # noqa: E402
from . import lanes as L  # noqa: E402
from .common import read_list  # noqa: E402

QUANT_OPS = ["Conv", "MatMul", "Gemm", "Add", "Concat", "MaxPool", "AveragePool", "GlobalAveragePool", "Resize",
             "Relu", "Clip"]


def log(*a):
    print("[int8 %s]" % time.strftime("%H:%M:%S"), *a, flush=True)


# ------------------------------------------------------------------ graph analysis (onnx only)
def name_nodes(model):
    """Give every node a unique name (the quantizer's exclusion list is by name)."""
    seen = set()
    for i, n in enumerate(model.graph.node):
        if not n.name or n.name in seen:
            n.name = "%s_%d" % (n.op_type, i)
        seen.add(n.name)
    return model


def body_exclusions(model):
    """Names of the nodes to keep float: pre-processing (not downstream of any Conv), the logits tail
    (classifier Conv -> ... -> ArgMax input, and every consumer of the logits), and the lane_exist Sigmoid."""
    g = model.graph
    prod = {}
    cons = {}
    for n in g.node:
        for o in n.output:
            prod[o] = n
        for i in n.input:
            cons.setdefault(i, []).append(n)

    def descendants(tensors):
        out, stack = set(), list(tensors)
        while stack:
            t = stack.pop()
            for n in cons.get(t, []):
                if n.name not in out:
                    out.add(n.name)
                    stack.extend(n.output)
        return out

    convs = [n for n in g.node if n.op_type == "Conv"]
    body = set(n.name for n in convs) | descendants([o for n in convs for o in n.output])
    excl = set(n.name for n in g.node if n.name not in body)  # pre-processing + constant/shape nodes
    for am in [n for n in g.node if n.op_type == "ArgMax"]:
        logits = am.input[0]
        excl |= descendants([logits])
        t = logits  # walk back to the classifier Conv through Resize/Add/... (float logits)
        for _ in range(20):
            p = prod.get(t)
            if p is None:
                break
            excl.add(p.name)
            if p.op_type == "Conv":
                break
            t = p.input[0]
    outs = set(o.name for o in g.output)
    for n in g.node:
        if n.op_type == "Sigmoid" and any(o in outs for o in n.output):
            excl.add(n.name)
    return sorted(excl)


# ------------------------------------------------------------------ data
def card_of(path):
    return json.load(open(path[:-len(".onnx")] + ".card.json"))


def calib_frames(task, args, w, h, n=64, extra=16):
    """n calibration frames + `extra` other training frames (for choosing the calibration method), BGR uint8."""
    if task == "lanes":
        names = read_list(os.path.join(args.culane, "train.txt"))
        idx = np.linspace(0, len(names) - 1, n).round().astype(int)
        rest = [i for i in range(len(names)) if i not in set(idx)]
        idx2 = [rest[i] for i in np.linspace(0, len(rest) - 1, min(extra, len(rest))).round().astype(int)]

        def load(i):
            im = cv2.imread(os.path.join(args.culane, "images", names[i] + ".jpg"), cv2.IMREAD_COLOR)
            return cv2.resize(im, (w, h), interpolation=cv2.INTER_AREA)
    else:
        lst = os.path.join(args.camvid, "calib.txt")
        names = read_list(lst if os.path.exists(lst) else os.path.join(args.camvid, "train.txt"))
        idx = np.linspace(0, len(names) - 1, min(n, len(names))).round().astype(int)
        rest = [i for i in range(len(names)) if i not in set(idx)]
        idx2 = [rest[i] for i in np.linspace(0, len(rest) - 1, min(extra, len(rest))).round().astype(int)] if rest else []

        def load(i):
            im = cv2.imread(os.path.join(args.camvid, "images", "train", names[i] + ".jpg"), cv2.IMREAD_COLOR)
            if im.shape[:2] != (h, w):
                im = cv2.resize(im, (w, h), interpolation=cv2.INTER_AREA)
            return im
    return np.stack([load(i) for i in idx]), (np.stack([load(i) for i in idx2]) if idx2 else None)


_VAL = {}


def val_data(task, args, w, h):
    if task in _VAL:
        return _VAL[task]
    if task == "lanes":
        names, imgs, labs, lines = L.load_culane(args.culane, "val", full_labels=True)
        xs = np.stack([L.model_input_bgr(im, w, h) for im in imgs])
        _VAL[task] = (xs, labs, lines)
    else:
        names = read_list(os.path.join(args.camvid, "val.txt"))
        xs = np.stack([cv2.imread(os.path.join(args.camvid, "images", "val", n + ".jpg"), cv2.IMREAD_COLOR) for n in names])
        labs = np.stack([cv2.imread(os.path.join(args.camvid, "labels", "val", n + ".png"), cv2.IMREAD_UNCHANGED) for n in names])
        _VAL[task] = (xs, labs, None)
    return _VAL[task]


def score_pair(task, sessions, data, batch=4):
    """Score every session on the val split in one pass; also class-map agreement of each with the first."""
    import torch
    from .common import iou_from_conf
    xs, labs, lines = data
    k = len(sessions)
    agree = np.zeros(k)
    tot = 0
    if task == "lanes":
        sc = [L.LaneScorer() for _ in range(k)]
        exd = np.zeros(k)
    else:
        conf = [np.zeros((11, 11), np.int64) for _ in range(k)]
    for i in range(0, len(xs), batch):
        x = np.ascontiguousarray(xs[i:i + batch])
        outs = [s.run(None, {"image": x}) for s in sessions]
        tot += outs[0][0].size
        for j, o in enumerate(outs):
            agree[j] += (o[0] == outs[0][0]).sum()
            if task == "lanes":
                exd[j] = max(exd[j], float(np.abs(o[2] - outs[0][2]).max()))
                for b in range(o[0].shape[0]):
                    sc[j].add(o[0][b], o[2][b], lines[i + b], labs[i + b])
            else:
                y = labs[i:i + batch]
                m = y != 11
                conf[j] += np.bincount(y[m].astype(np.int64) * 11 + o[0][m], minlength=121).reshape(11, 11)
    res = []
    for j in range(k):
        if task == "lanes":
            r = sc[j].result()
            r["lane_exist_max_abs_diff_vs_fp32"] = exd[j]
        else:
            from finalize import CAMVID_CLASSES
            iou = iou_from_conf(torch.from_numpy(conf[j])).numpy()
            r = {"miou": float(iou.mean()), "per_class_iou": {c: float(v) for (c, _), v in zip(CAMVID_CLASSES, iou)}}
        r["classmap_agreement_vs_fp32_val"] = float(agree[j] / tot)
        res.append(r)
    return res


def agreement_on(frames, s_ref, s_q):
    a = t = 0
    for i in range(0, len(frames), 4):
        x = np.ascontiguousarray(frames[i:i + 4])
        r, q = s_ref.run(None, {"image": x})[0], s_q.run(None, {"image": x})[0]
        a += (r == q).sum()
        t += r.size
    return float(a / t)


# ------------------------------------------------------------------ quantization
def make_reader(frames):
    """Calibration reader: one uint8 frame [1,H,W,3] per call (a CalibrationDataReader subclass)."""
    from onnxruntime.quantization import CalibrationDataReader

    class Reader(CalibrationDataReader):
        def __init__(self):
            self.frames = list(frames)
            self.i = 0

        def get_next(self):
            if self.i >= len(self.frames):
                return None
            x = self.frames[self.i][None]
            self.i += 1
            return {"image": np.ascontiguousarray(x)}

        def rewind(self):
            self.i = 0

    return Reader()


def quantize_one(src, dst, frames, method, workdir):
    import onnx
    from onnxruntime.quantization import CalibrationMethod as CM, QuantFormat, QuantType, quantize_static
    pre = os.path.join(workdir, os.path.basename(src)[:-5] + ".pre.onnx")
    pre_note = "quant_pre_process (symbolic shape inference + basic optimisation)"
    try:
        from onnxruntime.quantization.shape_inference import quant_pre_process
        quant_pre_process(src, pre, skip_symbolic_shape=False)
    except Exception as e:  # fall back to the raw graph
        log("quant_pre_process failed (%r); quantizing the raw graph" % e)
        shutil.copy(src, pre)
        pre_note = "raw exported graph (quant_pre_process failed: %r)" % e
    m = name_nodes(onnx.load(pre))
    onnx.save(m, pre)
    excl = body_exclusions(m)
    cm = {"minmax": CM.MinMax, "percentile": CM.Percentile}[method]
    t0 = time.time()
    # NB: no CalibMaxIntermediateOutputs (onnxruntime 1.2x-1.30 MinMax drops the flushed chunks)
    quantize_static(pre, dst, make_reader(frames), quant_format=QuantFormat.QDQ, op_types_to_quantize=QUANT_OPS,
                    per_channel=True, reduce_range=False, activation_type=QuantType.QInt8,
                    weight_type=QuantType.QInt8, nodes_to_exclude=excl, calibrate_method=cm,
                    extra_options={"ActivationSymmetric": False, "WeightSymmetric": True})
    q = onnx.load(dst)
    ops = {}
    for n in q.graph.node:
        ops[n.op_type] = ops.get(n.op_type, 0) + 1
    info = {"method": method, "calib_frames": len(frames), "preprocess": pre_note,
            "nodes_kept_float": len(excl), "quantized_op_types": QUANT_OPS,
            "qdq_nodes": {"QuantizeLinear": ops.get("QuantizeLinear", 0), "DequantizeLinear": ops.get("DequantizeLinear", 0)},
            "opset": {(o.domain or "ai.onnx"): o.version for o in q.opset_import},
            "quantize_s": round(time.time() - t0, 1)}
    return info


def cmd_quant(args):
    import onnxruntime as ort
    os.makedirs(args.out, exist_ok=True)
    work = os.path.join(args.out, "_work")
    os.makedirs(work, exist_ok=True)
    t_start = time.time()
    results = {}
    res_path = os.path.join(args.out, "int8_results%s.json" % args.tag)
    for spec in args.model:
        name, rest = spec.split("=")
        path, task = rest.rsplit(":", 1)
        rec = {"fp32": path, "task": task}
        results[name] = rec
        try:
            card = card_of(path)
            h, w = card["input"]["height"], card["input"]["width"]
            frames, extra = calib_frames(task, args, w, h, args.calib)
            s32 = E.ort_session(path, args.threads)
            cands = {}
            for method in args.methods.split(","):
                if method != "minmax" and args.time_limit and time.time() - t_start > args.time_limit:
                    log(name, "time limit: skipping", method)
                    continue
                dst = os.path.join(work, "%s.int8.%s.onnx" % (name, method))
                try:
                    info = quantize_one(path, dst, frames, method, work)
                    sq = E.ort_session(dst, args.threads)
                    E.check_io(sq, task, h, w)  # the contract's names/dtypes/shapes, dynamic N
                    info["train_holdout_agreement"] = agreement_on(extra, s32, sq) if extra is not None else None
                    cands[method] = (dst, info, sq)
                    log(name, method, json.dumps(info))
                except Exception as e:
                    traceback.print_exc()
                    rec["error_" + method] = repr(e)
            if not cands:
                raise RuntimeError("no int8 model")
            # choice between calibration methods: agreement with fp32 on 16 training frames (never val)
            pick = max(cands, key=lambda m: (cands[m][1]["train_holdout_agreement"] or 0.0, m == "minmax"))
            vd = val_data(task, args, w, h)
            meths = list(cands)
            scores = score_pair(task, [s32] + [cands[m][2] for m in meths], vd)
            rec["val_fp32"] = scores[0]
            rec["candidates"] = {m: {"info": cands[m][1], "val": scores[1 + i]} for i, m in enumerate(meths)}
            rec["picked"] = pick
            dst = os.path.join(args.out, name + ".int8.onnx")
            shutil.copy(cands[pick][0], dst)
            val = dict(rec["candidates"][pick]["val"])
            val["split"] = card["scores"]["val"]["split"]
            val["source"] = "onnx int8 (QDQ) through onnxruntime %s CPU, whole val split" % ort.__version__
            key = "f1" if task == "lanes" else "miou"
            val["fp32_same_run"] = scores[0][key]
            val["delta_vs_fp32"] = val[key] - scores[0][key]
            c = copy.deepcopy(card)
            c["name"] = name + ".int8"
            c["file"] = name + ".int8.onnx"
            c["precision"] = "int8"
            c["sha256"] = E.sha256(dst)
            c["opset"] = cands[pick][1]["opset"].get("ai.onnx", c.get("opset"))
            c["scores"] = {"val": val, "test": None}
            c["latency"] = []
            c["quantization"] = dict(cands[pick][1], **{
                "tool": "onnxruntime.quantization.quantize_static %s" % ort.__version__, "format": "QDQ",
                "weights": "int8 per channel, symmetric", "activations": "int8 per tensor, asymmetric",
                "calibration_data": "%d training frames, evenly spaced" % len(frames),
                "float_parts": "pre-processing (uint8 -> normalised float), classifier conv + logits upsampling, "
                               "argmax/confidence, lane_exist sigmoid",
                "from": os.path.basename(path), "from_sha256": card.get("sha256")})
            c["notes"] = ("static INT8 of %s; same uint8 input and outputs; calibration method chosen by class-map "
                          "agreement with fp32 on 16 other training frames (not val)" % os.path.basename(path))
            with open(os.path.join(args.out, name + ".int8.card.json"), "w") as f:
                json.dump(c, f, indent=1)
            rec["int8"] = dst
            rec["int8_mb"] = os.path.getsize(dst) / 2 ** 20
            rec["fp32_mb"] = os.path.getsize(path) / 2 ** 20
            log(name, "fp32 %.4f  int8(%s) %.4f  agreement %.5f" % (scores[0][key], pick, val[key],
                                                                   val["classmap_agreement_vs_fp32_val"]))
        except Exception as e:
            traceback.print_exc()
            rec["error"] = repr(e)
        with open(res_path, "w") as f:
            json.dump(results, f, indent=1, default=str)
    log("quant done in %.0f s" % (time.time() - t_start))


def cpu_name():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except Exception:
        pass
    return "unknown CPU"


def cmd_bench(args):
    import onnxruntime as ort
    out = {"cpu": cpu_name(), "logical_cpus": os.cpu_count(), "onnxruntime": ort.__version__,
           "threads": args.bench_threads, "runs": args.runs, "warmup": args.warmup, "batch": 1, "results": {}}
    for path in args.files:
        try:
            card = card_of(path)
            task, h, w = card["task"], card["input"]["height"], card["input"]["width"]
            x = val_data(task, args, w, h)[0][:1].copy()
            so = ort.SessionOptions()
            so.intra_op_num_threads = args.bench_threads
            so.inter_op_num_threads = 1
            so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
            so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
            s = ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])
            t = []
            for i in range(args.warmup + args.runs):
                t0 = time.perf_counter()
                s.run(None, {"image": x})
                if i >= args.warmup:
                    t.append((time.perf_counter() - t0) * 1e3)
            r = {"p50_ms": round(float(np.percentile(t, 50)), 3), "p90_ms": round(float(np.percentile(t, 90)), 3),
                 "mean_ms": round(float(np.mean(t)), 3)}
            out["results"][os.path.basename(path)] = r
            log("bench", os.path.basename(path), json.dumps(r))
            if path.endswith(".int8.onnx"):  # add the timing to the int8 card beside the file
                cp = path[:-len(".onnx")] + ".card.json"
                if os.path.exists(cp):
                    c = json.load(open(cp))
                    c.setdefault("latency", []).append({
                        "machine": "%s (device tool host CPU, %d logical CPUs; NOT the 2-core target)" % (out["cpu"], out["logical_cpus"]),
                        "provider": "onnxruntime %s CPUExecutionProvider, intra_op_num_threads=%d" % (ort.__version__, args.bench_threads),
                        "batch": 1, "p50_ms": r["p50_ms"], "p90_ms": r["p90_ms"], "date": time.strftime("%Y-%m-%d"),
                        "what": "uint8 frame -> outputs, whole graph, %d runs after %d warm-up" % (args.runs, args.warmup)})
                    json.dump(c, open(cp, "w"), indent=1)
        except Exception as e:
            traceback.print_exc()
            out["results"][os.path.basename(path)] = {"error": repr(e)}
        with open(args.out, "w") as f:
            json.dump(out, f, indent=1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cmd", choices=["quant", "bench"])
    ap.add_argument("--model", action="append", default=[], help="NAME=PATH.onnx:TASK (card beside it)")
    ap.add_argument("--files", nargs="*", default=[])
    ap.add_argument("--camvid", default=".carry/data/camvid")
    ap.add_argument("--culane", default=".carry/data/culane-subset")
    ap.add_argument("--out", required=True)
    ap.add_argument("--tag", default="")
    ap.add_argument("--calib", type=int, default=64)
    ap.add_argument("--methods", default="minmax")
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--bench-threads", type=int, default=2)
    ap.add_argument("--runs", type=int, default=50)
    ap.add_argument("--warmup", type=int, default=10)
    ap.add_argument("--time-limit", type=float, default=0, help="quant: skip non-MinMax methods after this (s)")
    args = ap.parse_args()
    if args.cmd == "quant":
        cmd_quant(args)
    else:
        cmd_bench(args)


if __name__ == "__main__":
    main()
