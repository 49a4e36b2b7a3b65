"""ONNX export of the instance models per docs/MODEL-CONTRACT.md (uint8 NHWC BGR `image`, normalisation in graph).

- maskrcnn: task "instance", decoder "maskrcnn"; batch 1; outputs boxes [K,4], scores [K], labels [K] int64,
  masks [K,1,M,M] (probabilities over the box, not pasted). torchvision's transform is bypassed in the graph
  (the input already has the model size): normalise, pad the bottom/right to a multiple of 32, backbone, RPN,
  RoI heads (score >= box_score_thresh, class-wise NMS, top-k).
- panoptic: task "panoptic", decoder "centre-offset"; dynamic batch; outputs classmap, confidence (uint8 [N,H,W]),
  centre [N,H/4,W/4] (clamped to 0..1, 7x7 max-pool NMS: non-peaks 0), offset [N,2,H/4,W/4] (dy, dx).
"""
import copy
import inspect

import torch
import torch.nn as nn
import torch.nn.functional as F

from .common import MEAN_RGB, STD_RGB

SCALE = 1.0 / 255.0


class _Normalise(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer("mul", SCALE / torch.tensor(STD_RGB).view(1, 3, 1, 1))
        self.register_buffer("add", -torch.tensor(MEAN_RGB).view(1, 3, 1, 1) / torch.tensor(STD_RGB).view(1, 3, 1, 1))
        self.register_buffer("rgb", torch.tensor([2, 1, 0]))

    def forward(self, image):
        x = torch.index_select(image.permute(0, 3, 1, 2), 1, self.rgb)  # NHWC BGR -> NCHW RGB
        return x.float() * self.mul + self.add


class StaticGroupNorm(nn.Module):
    """nn.GroupNorm for a fixed C x H x W, exported with static group sizes: Reshape [-1, G, C/G*H*W] and
    ReduceMean statistics. torch's own export, Reshape [0, G, -1], is undefined for a batch of 0 (Mask R-CNN's
    mask head on a frame with no detection) and ONNX Runtime then refuses to run. Same arithmetic as GroupNorm
    (biased variance, eps inside the square root)."""

    def __init__(self, gn, c, h, w):
        super().__init__()
        self.groups, self.eps, self.chw = gn.num_groups, gn.eps, (c, h, w)
        self.weight = gn.weight
        self.bias = gn.bias

    def forward(self, x):
        c, h, w = self.chw
        y = x.reshape(-1, self.groups, c // self.groups * h * w)
        mean = y.mean(2, keepdim=True)
        var = ((y - mean) ** 2).mean(2, keepdim=True)
        y = ((y - mean) / torch.sqrt(var + self.eps)).reshape(-1, c, h, w)
        if self.weight is not None:
            y = y * self.weight.view(1, c, 1, 1) + self.bias.view(1, c, 1, 1)
        return y


def with_static_group_norm(model):
    """A copy of a torchvision Mask R-CNN whose mask-head GroupNorms are StaticGroupNorm (sizes read off one
    forward of the mask head at the mask RoI size). Returns (copy, number replaced)."""
    model = copy.deepcopy(model)
    head = model.roi_heads.mask_head
    if head is None:
        return model, 0
    size = model.roi_heads.mask_roi_pool.output_size
    size = (size, size) if isinstance(size, int) else tuple(size)
    first = next(m for m in head.modules() if isinstance(m, nn.Conv2d))
    shapes, hooks = {}, []
    for name, m in head.named_modules():
        if isinstance(m, nn.GroupNorm):
            hooks.append(m.register_forward_pre_hook(lambda mod, inp, name=name: shapes.__setitem__(name, inp[0].shape)))
    with torch.no_grad():
        head.eval()(torch.zeros(1, first.in_channels, *size))
    for h in hooks:
        h.remove()
    for name, shape in shapes.items():
        parent = head.get_submodule(name.rsplit(".", 1)[0]) if "." in name else head
        setattr(parent, name.rsplit(".", 1)[-1], StaticGroupNorm(head.get_submodule(name), *shape[1:]))
    return model, len(shapes)


class MaskRcnnDeploy(nn.Module):
    def __init__(self, model, height, width):
        super().__init__()
        self.m, _ = with_static_group_norm(model)
        self.norm = _Normalise()
        self.h, self.w = height, width
        self.pad_h = (32 - height % 32) % 32
        self.pad_w = (32 - width % 32) % 32

    def forward(self, image):
        from torchvision.models.detection.image_list import ImageList
        x = self.norm(image)
        if self.pad_h or self.pad_w:
            x = F.pad(x, (0, self.pad_w, 0, self.pad_h))
        images = ImageList(x, [(self.h, self.w)])
        feats = self.m.backbone(x)
        proposals, _ = self.m.rpn(images, feats)
        det, _ = self.m.roi_heads(feats, proposals, images.image_sizes)
        d = det[0]
        return d["boxes"], d["scores"], d["labels"], d["masks"]


class PanopticDeploy(nn.Module):
    def __init__(self, model, nms_kernel=7):
        super().__init__()
        self.m = model
        self.norm = _Normalise()
        self.k = nms_kernel

    def forward(self, image):
        out = self.m(self.norm(image))
        logits = out["out"].float()
        mx, idx = torch.max(logits, 1)
        conf = 1.0 / torch.exp(logits - mx.unsqueeze(1)).sum(1)
        cls = idx.to(torch.uint8)
        conf_u8 = torch.clamp(torch.round(conf * 255.0), 0, 255).to(torch.uint8)
        c = torch.clamp(out["centre"].float(), 0.0, 1.0).unsqueeze(1)
        pooled = F.max_pool2d(c, self.k, 1, self.k // 2)
        centre = torch.where(c == pooled, c, torch.zeros_like(c)).squeeze(1)
        return cls, conf_u8, centre, out["offset"].float()


def _export(module, dummy, path, names, dyn, opset):
    kw = dict(opset_version=opset, input_names=["image"], output_names=names, dynamic_axes=dyn,
              do_constant_folding=True)
    if "dynamo" in inspect.signature(torch.onnx.export).parameters:
        kw["dynamo"] = False  # TorchScript exporter: the one that handles torchvision detection on 1.13 and 2.x
    with torch.no_grad():
        torch.onnx.export(module, (dummy,), path, **kw)


def _finish(path, num_classes, pins, zero_batch_fix=False):
    """Pins output dims the card gives as numbers, writes num_classes metadata, checks and saves. zero_batch_fix:
    any GroupNorm Reshape [0, G, -1] left in the graph is made static (static_group_norm_reshapes)."""
    import onnx
    m = onnx.load(path)
    if zero_batch_fix:
        for line in static_group_norm_reshapes(m):
            print("patched for K = 0:", line)
    for o in m.graph.output:
        if o.name in pins:
            for d, v in zip(o.type.tensor_type.shape.dim, pins[o.name]):
                if isinstance(v, int):
                    d.ClearField("dim_param")
                    d.dim_value = v
                else:
                    d.dim_param = v
    meta = m.metadata_props.add()
    meta.key, meta.value = "num_classes", str(num_classes)
    onnx.checker.check_model(m)
    onnx.save(m, path)
    return m


def export_maskrcnn(model, path, height, width, num_classes, mask_size=28, opsets=(17, 16, 13, 11)):
    """Tries the opsets in order; returns the one that exported."""
    dep = MaskRcnnDeploy(model.eval().cpu(), height, width).eval()
    dummy = torch.zeros(1, height, width, 3, dtype=torch.uint8)
    names = ["boxes", "scores", "labels", "masks"]
    dyn = {n: {0: "K"} for n in names}
    err = None
    for op in opsets:
        try:
            _export(dep, dummy, path, names, dyn, op)
            _finish(path, num_classes, {"boxes": ["K", 4], "scores": ["K"], "labels": ["K"],
                                        "masks": ["K", 1, mask_size, mask_size]}, zero_batch_fix=True)
            return op
        except Exception as e:  # an opset torchvision's ops do not export at: try the next
            err = e
            print("export at opset %d failed: %s" % (op, str(e).splitlines()[0][:300]))
    raise RuntimeError("Mask R-CNN export failed at every opset %s: %s" % (opsets, err))


def export_panoptic(model, path, height, width, num_classes, stride=4, opset=17):
    dep = PanopticDeploy(model.eval().cpu()).eval()
    dummy = torch.zeros(1, height, width, 3, dtype=torch.uint8)
    names = ["classmap", "confidence", "centre", "offset"]
    _export(dep, dummy, path, names, {n: {0: "N"} for n in ["image"] + names}, opset)
    h, w = height // stride, width // stride
    _finish(path, num_classes, {"classmap": ["N", height, width], "confidence": ["N", height, width],
                                "centre": ["N", h, w], "offset": ["N", 2, h, w]})
    return opset


def static_group_norm_reshapes(m):
    """Makes an exported Mask R-CNN graph valid for frames with no detections (ONNX ModelProto, edited in place).

    torch exports nn.GroupNorm as Reshape(x, [0, G, -1]) -> InstanceNormalization -> Reshape back. In the mask
    head the batch axis is the number of detections K; with K = 0 the product of the kept dims is 0, the -1 is
    undefined and ONNX Runtime refuses the Reshape ("The input tensor cannot be reshaped"), so a frame with no
    detection crashes the session. Each such shape becomes [0, G, C/G*H*W] with C from the Conv that feeds it and
    H x W from the mask RoIAlign (the mask head's 3x3 stride-1 'same' convs keep it); nothing else changes.
    Returns the names of the patched Reshape nodes (empty when the graph has none)."""
    from onnx import numpy_helper
    g = m.graph
    producer = {o: n for n in g.node for o in n.output}
    inits = {i.name: i for i in g.initializer}
    consumers = {}
    for n in g.node:
        for i in n.input:
            consumers.setdefault(i, []).append(n)
    roi_hw = {tuple(next(a.i for a in n.attribute if a.name == k) for k in ("output_height", "output_width"))
              for n in g.node if n.op_type == "RoiAlign" and "mask" in n.name}
    patched = []
    for n in g.node:
        if n.op_type != "Reshape" or n.input[1] not in producer or producer[n.input[1]].op_type != "Constant":
            continue
        const = producer[n.input[1]]
        shape = numpy_helper.to_array(const.attribute[0].t)
        if shape.tolist()[:1] != [0] or len(shape) != 3 or shape[2] != -1:
            continue
        conv = producer.get(n.input[0])
        if conv is None or conv.op_type != "Conv" or conv.input[1] not in inits:
            raise RuntimeError("GroupNorm reshape %s is not fed by a Conv with a weight initializer: patch it by hand"
                               % n.name)
        attrs = {a.name: list(a.ints) for a in conv.attribute}
        k = attrs.get("kernel_shape", [1, 1])
        if attrs.get("strides", [1, 1]) != [1, 1] or attrs.get("pads", [0] * 4) != [k[0] // 2, k[1] // 2] * 2:
            raise RuntimeError("%s: the conv before it does not keep the RoI size; patch by hand" % n.name)
        if len(roi_hw) != 1:
            raise RuntimeError("mask RoIAlign sizes %s: expected exactly one" % sorted(roi_hw))
        (rh, rw), = roi_hw
        c = int(inits[conv.input[1]].dims[0])
        groups = int(shape[1])
        if c % groups:
            raise RuntimeError("%s: %d channels do not split into %d groups" % (n.name, c, groups))
        if len(consumers.get(n.input[1], [])) != 1:
            raise RuntimeError("%s: its shape constant is shared; patch by hand" % n.name)
        arr = shape.copy()
        arr[2] = c // groups * rh * rw
        const.attribute[0].t.CopyFrom(numpy_helper.from_array(arr, const.attribute[0].t.name))
        patched.append("%s: [0, %d, -1] -> %s" % (n.name, groups, arr.tolist()))
    return patched
