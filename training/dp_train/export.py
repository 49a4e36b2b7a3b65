"""ONNX export per docs/MODEL-CONTRACT.md: uint8 NHWC BGR `image` in, normalisation + argmax in the graph."""
import hashlib
import inspect

import numpy as np
import torch
import torch.nn as nn

from .common import MEAN_RGB, STD_RGB

SCALE = 1.0 / 255.0


class Deploy(nn.Module):
    """uint8 [N,H,W,3] BGR -> task outputs. half=True runs the network in fp16 (input cast inside)."""

    def __init__(self, model, task, half=False, flip_tta=False):
        super().__init__()
        self.model = model
        self.task = task
        self.half_ = half
        self.flip_tta = flip_tta
        mean = torch.tensor(MEAN_RGB).view(1, 3, 1, 1)
        std = torch.tensor(STD_RGB).view(1, 3, 1, 1)
        self.register_buffer("mul", (SCALE / std))
        self.register_buffer("add", (-mean / std))
        self.register_buffer("rgb", torch.tensor([2, 1, 0]))

    def forward(self, image):
        x = image.permute(0, 3, 1, 2)
        x = torch.index_select(x, 1, self.rgb)  # BGR -> RGB
        dt = torch.float16 if self.half_ else torch.float32
        x = x.to(dt) * self.mul.to(dt) + self.add.to(dt)
        out = self.model(x)
        logits = out["out"]
        if self.flip_tta:
            lf = self.model(torch.flip(x, [3]))["out"]
            logits = (torch.softmax(logits.float(), 1) + torch.softmax(torch.flip(lf, [3]).float(), 1)) * 0.5
            conf, idx = torch.max(logits, 1)
        else:
            logits = logits.float()
            m, idx = torch.max(logits, 1)
            conf = 1.0 / torch.exp(logits - m.unsqueeze(1)).sum(1)
        cls = idx.to(torch.uint8)
        conf_u8 = torch.clamp(torch.round(conf * 255.0), 0, 255).to(torch.uint8)
        if self.task == "lanes":
            exist = torch.sigmoid(out["exist"].float())
            return cls, conf_u8, exist
        return cls, conf_u8



def licence_line(pretrained=None):
    """A card's licence line: the weights are the project's own; with `pretrained` (a dict with "source" and
    "licence"), also where the encoder's starting weights came from and under which licence."""
    text = "model weights: project's own; data terms above"
    if pretrained:
        text += "; encoder initialised from %s (licence: %s)" % (pretrained["source"], pretrained["licence"])
    return text

def output_names(task):
    return ["lanes", "confidence", "lane_exist"] if task == "lanes" else ["classmap", "confidence"]


def export_onnx(model, task, path, height, width, half=False, flip_tta=False, device="cpu"):
    dep = Deploy(model, task, half, flip_tta).eval().to(device)
    if half:
        dep.model.half()
    dummy = torch.zeros(1, height, width, 3, dtype=torch.uint8, device=device)
    names = output_names(task)
    dyn = {"image": {0: "N"}}
    for n in names:
        dyn[n] = {0: "N"}
    kw = dict(opset_version=17, input_names=["image"], output_names=names, dynamic_axes=dyn,
              do_constant_folding=True)
    if "dynamo" in inspect.signature(torch.onnx.export).parameters:
        kw["dynamo"] = False  # TorchScript exporter: stable with dynamic_axes, same on torch 1.13 and 2.x
    with torch.no_grad():
        torch.onnx.export(dep, (dummy,), path, **kw)
    if half:
        dep.model.float()
    import onnx
    m = onnx.load(path)
    # pin the output dims (fixed by the input size; the batch stays symbolic "N")
    for o in m.graph.output:
        dims = o.type.tensor_type.shape.dim
        fixed = [4] if o.name == "lane_exist" else [height, width]
        dims[0].dim_param = "N"
        for d, v in zip(dims[1:], fixed):
            d.ClearField("dim_param")
            d.dim_value = v
    onnx.checker.check_model(m)
    onnx.save(m, path)
    return m


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for b in iter(lambda: f.read(1 << 20), b""):
            h.update(b)
    return h.hexdigest()


def ort_session(path, threads=4):
    import onnxruntime as ort
    so = ort.SessionOptions()
    so.intra_op_num_threads = threads
    so.inter_op_num_threads = 1
    return ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])


def check_io(sess, task, height, width):
    """Assert the contract's names/dtypes/shapes; returns a short description."""
    ins = sess.get_inputs()
    outs = sess.get_outputs()
    assert [i.name for i in ins] == ["image"], ins
    assert ins[0].type == "tensor(uint8)", ins[0].type
    assert list(ins[0].shape[1:]) == [height, width, 3], ins[0].shape
    assert not isinstance(ins[0].shape[0], int), "batch must be dynamic"
    want = output_names(task)
    assert [o.name for o in outs] == want, [o.name for o in outs]
    for o in outs:
        if o.name == "lane_exist":
            assert o.type == "tensor(float)" and o.shape[1] == 4, (o.type, o.shape)
        else:
            assert o.type == "tensor(uint8)" and list(o.shape[1:]) == [height, width], (o.type, o.shape)
    return {"inputs": [(i.name, i.type, i.shape) for i in ins], "outputs": [(o.name, o.type, o.shape) for o in outs]}


@torch.no_grad()
def gpu_latency(model, task, height, width, mode, iters=100, warmup=20, flip_tta=False):
    """PyTorch eager, batch 1, uint8 input already on the GPU, whole Deploy graph (normalise, network,
    argmax, confidence). mode: 'fp16' (half weights) or 'bf16' (autocast). CUDA events; returns p50/p90 ms."""
    dev = torch.device("cuda")
    dep = Deploy(model, task, half=(mode == "fp16"), flip_tta=flip_tta).eval().to(dev)
    if mode == "fp16":
        dep.model.half()
    dep.model.to(memory_format=torch.channels_last)
    x = torch.randint(0, 255, (1, height, width, 3), dtype=torch.uint8, device=dev)
    ctx = torch.autocast("cuda", dtype=torch.bfloat16) if mode == "bf16" else torch.autocast("cuda", enabled=False)
    times = []
    with ctx:
        for i in range(warmup + iters):
            s, e = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
            s.record()
            dep(x)
            e.record()
            torch.cuda.synchronize()
            if i >= warmup:
                times.append(s.elapsed_time(e))
    dep.model.float()
    return float(np.percentile(times, 50)), float(np.percentile(times, 90))
