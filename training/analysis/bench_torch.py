"""The PyTorch baseline of issue #6: the node's models, run the way a user would otherwise run them on the GPU.

For each model (built from training/dp_train/models.py with the config its card's training command names), batch 1
and 8, with the input already on the device:
  model_only  the network alone on a normalised NCHW tensor in the network's dtype (1x3xHxW; flip-TTA models run
              both passes, as their ONNX graph does), logits out;
  deploy      the whole graph the node's ONNX model holds (dp_train.export.Deploy): uint8 NHWC BGR in, normalisation,
              network, argmax to a uint8 class map, uint8 confidence (+ lane existence): the fair comparison with the
              node's `infer`, which gets the same uint8 maps out of ONNX Runtime;
  pair        deploy of the semantic and the lane model back to back, as the node runs them per frame;
each eager fp16 (half weights, channels_last) and torch.compile fp16 (mode --compile-mode, default reduce-overhead:
CUDA graphs, as the node's --cuda-graph). Timing: CUDA events around each call, synchronised per iteration, after a
warm-up; p50/p99/mean over --iters (>= 200) iterations. Speed does not depend on weight values: without --weights the
weights are random and the JSON says so.

On a machine without CUDA (smoke test) it runs fp32 on the CPU with wall-clock timing and skips torch.compile when
the installed torch lacks it (1.13); the JSON records all of that.

  python3 training/analysis/bench_torch.py --out bench_torch.json [--models models] [--iters 200] [--batches 1,8]
      [--compile-mode reduce-overhead] [--deadline-s 150] [--weights camvid-fast=runs/x/best.pt]
"""
import argparse
import json
import os
import platform
import re
import sys
import time

import numpy as np
import torch

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # training/
sys.path.insert(0, HERE)
from dp_train.models import build_model  # noqa: E402

MEAN_RGB = (0.485, 0.456, 0.406)
STD_RGB = (0.229, 0.224, 0.225)
REPO = os.path.dirname(HERE)
SEMANTIC, LANES = "camvid-fast", "culane-lanes"
DEFAULT_MODELS = [SEMANTIC, LANES, "camvid-accurate"]


def card_config(models_dir, name):
    """(card, config dict, config path) for models/NAME: the config is the --config of the card's training command."""
    with open(os.path.join(models_dir, name + ".card.json")) as f:
        card = json.load(f)
    command = card.get("training", {}).get("command", "")
    m = re.search(r"--config\s+(\S+\.json)", command)
    if not m:
        raise SystemExit(f"{name}.card.json: its training.command names no --config; cannot rebuild the architecture")
    path = m.group(1)
    path = path if os.path.isabs(path) else os.path.join(REPO, path)
    with open(path) as f:
        return card, json.load(f), path


def build(models_dir, name, weights):
    card, cfg, cfg_path = card_config(models_dir, name)
    num_classes = len(card["classes"])
    model = build_model(cfg["model"], num_classes)
    source = "random initialisation (speed does not depend on weight values)"
    if name in weights:
        state = torch.load(weights[name], map_location="cpu")
        state = state.get("model", state.get("state_dict", state)) if isinstance(state, dict) else state
        model.load_state_dict(state)
        source = weights[name]
    flip_tta = bool(cfg.get("export", {}).get("flip_tta", False))
    inp = card["input"]
    return {
        "name": name, "task": card["task"], "model": model.eval(), "height": inp["height"], "width": inp["width"],
        "flip_tta": flip_tta, "config": os.path.relpath(cfg_path, REPO), "weights": source, "classes": num_classes,
    }


class ModelOnly(torch.nn.Module):
    """The network on a normalised NCHW tensor, logits out (both passes for flip-TTA models, as their graph runs)."""

    def __init__(self, model, flip_tta):
        super().__init__()
        self.model, self.flip_tta = model, flip_tta

    def forward(self, x):
        out = self.model(x)
        logits = out["out"]
        if self.flip_tta:
            logits = logits + torch.flip(self.model(torch.flip(x, [3]))["out"], [3])
        return (logits, out["exist"]) if "exist" in out else logits


class Pair(torch.nn.Module):
    """The semantic and the lane graph back to back on their own inputs, as the node runs them per frame."""

    def __init__(self, semantic, lanes):
        super().__init__()
        self.semantic, self.lanes = semantic, lanes

    def forward(self, a, b):
        return self.semantic(a), self.lanes(b)


def deploy_module(spec, half):
    from dp_train.export import Deploy  # imports dp_train.common (cv2): only where it is installed
    return Deploy(spec["model"], spec["task"], half=half, flip_tta=spec["flip_tta"])


def time_module(fn, inputs, iters, warmup, device):
    """Per-call latency in ms: CUDA events on a GPU (each call synchronised), wall clock on the CPU."""
    times = []
    with torch.no_grad():
        for i in range(warmup + iters):
            if device.type == "cuda":
                start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
                start.record()
                fn(*inputs)
                end.record()
                torch.cuda.synchronize()
                ms = start.elapsed_time(end)
            else:
                t0 = time.perf_counter()
                fn(*inputs)
                ms = (time.perf_counter() - t0) * 1000
            if i >= warmup:
                times.append(ms)
    a = np.array(times)
    return {"count": len(a), "p50": float(np.percentile(a, 50)), "p99": float(np.percentile(a, 99)),
            "mean": float(a.mean()), "max": float(a.max())}


def image_input(spec, batch, device):
    return torch.randint(0, 256, (batch, spec["height"], spec["width"], 3), dtype=torch.uint8, device=device)


def normalised_input(spec, batch, device, dtype):
    x = torch.rand(batch, 3, spec["height"], spec["width"], device=device)
    mean = torch.tensor(MEAN_RGB, device=device).view(1, 3, 1, 1)
    std = torch.tensor(STD_RGB, device=device).view(1, 3, 1, 1)
    return ((x - mean) / std).to(dtype).contiguous(memory_format=torch.channels_last)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--models", default=os.path.join(REPO, "models"), help="folder with NAME.card.json")
    ap.add_argument("--names", default=",".join(DEFAULT_MODELS), help="models to run, comma-separated")
    ap.add_argument("--batches", default="1,8")
    ap.add_argument("--iters", type=int, default=200)
    ap.add_argument("--warmup", type=int, default=30)
    ap.add_argument("--compile-mode", default="reduce-overhead",
                    help="torch.compile mode: reduce-overhead (CUDA graphs), max-autotune-no-cudagraphs, default, or none")
    ap.add_argument("--deadline-s", type=float, default=0, help="skip further compiled runs once this many seconds have passed (0: none)")
    ap.add_argument("--weights", action="append", default=[], help="NAME=checkpoint.pt (repeatable); default random init")
    ap.add_argument("--device", default="auto", help="auto (cuda if available), cuda or cpu")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    t_start = time.time()
    weights = dict(w.split("=", 1) for w in args.weights)
    device = torch.device("cuda" if args.device == "auto" and torch.cuda.is_available() else
                          ("cpu" if args.device == "auto" else args.device))
    on_gpu = device.type == "cuda"
    half = on_gpu  # CPU convolutions in fp16 are missing from older torch: the smoke test runs fp32
    dtype = torch.float16 if half else torch.float32
    precision = "fp16" if half else "fp32"
    can_compile = hasattr(torch, "compile") and args.compile_mode != "none"
    batches = [int(b) for b in args.batches.split(",")]
    if on_gpu:
        torch.backends.cudnn.benchmark = True

    specs = {n: build(args.models, n, weights) for n in args.names.split(",") if n}
    for s in specs.values():
        s["model"].to(device)
        if half:
            s["model"].half()
        s["model"].to(memory_format=torch.channels_last)

    report = {
        "tool": "training/analysis/bench_torch.py", "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "command_line": " ".join(["python3"] + sys.argv),
        "machine": {"torch": torch.__version__, "python": platform.python_version(), "device": device.type,
                    "gpu": torch.cuda.get_device_name(0) if on_gpu else None,
                    "cuda": torch.version.cuda, "cudnn": torch.backends.cudnn.version() if on_gpu else None,
                    "processor": platform.processor() or platform.machine(), "cores": os.cpu_count()},
        "precision": precision, "memory_format": "channels_last", "cudnn_benchmark": on_gpu,
        "timing": ("CUDA events around each call, synchronised per iteration" if on_gpu else "wall clock per call (CPU smoke test)")
                  + f", {args.warmup} warm-up calls left out",
        "compile_mode": args.compile_mode if can_compile else None,
        "compile_note": None if can_compile else f"torch {torch.__version__} has no torch.compile (or --compile-mode none): compiled runs skipped",
        "variants": {
            "model_only": "network alone, normalised NCHW input in the network dtype already on the device, logits out",
            "deploy": "the node's ONNX graph (dp_train.export.Deploy): uint8 NHWC BGR in, normalise, network, argmax to uint8 class map, "
                      "uint8 confidence (+ lane_exist); compare with the node's infer stage",
            "pair": f"deploy of {SEMANTIC} then {LANES} back to back (the node's two models per frame)",
        },
        "models": [{k: s[k] for k in ("name", "task", "height", "width", "flip_tta", "config", "weights", "classes")} for s in specs.values()],
        "results": [], "skipped": [],
    }

    def record(name, variant, mode, batch, fn, inputs, compile_s=None):
        r = time_module(fn, inputs, args.iters, args.warmup, device)
        entry = {"model": name, "variant": variant, "mode": mode, "batch": batch, "precision": precision, "latency_ms": r}
        if compile_s is not None:
            entry["compile_and_warmup_s"] = compile_s
        report["results"].append(entry)
        print(f"{name:16s} {variant:10s} {mode:8s} batch {batch}: p50 {r['p50']:.3f} ms  p99 {r['p99']:.3f} ms", flush=True)

    def jobs(batch):
        for name, s in specs.items():
            yield name, "model_only", ModelOnly(s["model"], s["flip_tta"]).eval(), (normalised_input(s, batch, device, dtype),)
            yield name, "deploy", deploy_module(s, half).eval().to(device), (image_input(s, batch, device),)
        if SEMANTIC in specs and LANES in specs:
            pair = Pair(deploy_module(specs[SEMANTIC], half), deploy_module(specs[LANES], half)).eval().to(device)
            yield f"{SEMANTIC}+{LANES}", "pair", pair, (image_input(specs[SEMANTIC], batch, device), image_input(specs[LANES], batch, device))

    # Eager first (quick), then compiled, cheapest first, so a deadline drops the least useful runs.
    for batch in batches:
        for name, variant, module, inputs in jobs(batch):
            record(name, variant, "eager", batch, module, inputs)
    if can_compile:
        # Most useful first, so a deadline drops the least useful: the default pair's graphs at batch 1, then batch 8,
        # then the accurate model.
        order = {"deploy": 0, "model_only": 1, "pair": 2}
        todo = [(batch, job) for batch in batches for job in jobs(batch)]
        todo.sort(key=lambda t: (t[1][0] == "camvid-accurate", batches.index(t[0]), order[t[1][1]]))
        for batch, (name, variant, module, inputs) in todo:
            if args.deadline_s and time.time() - t_start > args.deadline_s:
                report["skipped"].append({"model": name, "variant": variant, "mode": "compiled", "batch": batch,
                                          "why": f"--deadline-s {args.deadline_s:g} passed"})
                continue
            t0 = time.time()
            try:
                # A fresh dynamo cache per module: the same forward code (Deploy, BiSeNetV2) serves several models,
                # and past the recompile limit dynamo would quietly run it eagerly.
                torch._dynamo.reset()
                compiled = torch.compile(module, mode=args.compile_mode)
                with torch.no_grad():
                    for _ in range(3):  # compiles, then records the CUDA graph (reduce-overhead)
                        compiled(*inputs)
                if on_gpu:
                    torch.cuda.synchronize()
            except Exception as e:  # a compile failure is a result to report, not a crash of the baseline
                report["skipped"].append({"model": name, "variant": variant, "mode": "compiled", "batch": batch,
                                          "why": f"{type(e).__name__}: {str(e)[:300]}"})
                continue
            record(name, variant, "compiled", batch, compiled, inputs, compile_s=time.time() - t0)

    report["wall_s"] = time.time() - t_start
    with open(args.out, "w") as f:
        json.dump(report, f, indent=1)
    print(f"wrote {args.out} ({len(report['results'])} results, {len(report['skipped'])} skipped, {report['wall_s']:.0f} s)")


if __name__ == "__main__":
    main()
