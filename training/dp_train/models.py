"""Segmentation architectures trained from scratch for DrivePerception.

All models take a normalised float NCHW RGB tensor and return logits at the input resolution
(a dict with "out" and, in training mode, "aux" logits for deep supervision; lane models add "exist").
Families: U-Net, FCN-8s, DeepLabv3+, BiSeNetV2 (real-time two-branch), LR-ASPP MobileNetV3 (torchvision).
Kept compatible with torch 1.13 and 2.x; no pretrained weights anywhere.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


def _up(x, size):
    # python ints: when traced for ONNX the sizes become constants (inputs have a fixed H x W; batch stays dynamic)
    size = (int(size[0]), int(size[1]))
    return F.interpolate(x, size=size, mode="bilinear", align_corners=False)


class ConvBNReLU(nn.Sequential):
    def __init__(self, cin, cout, k=3, s=1, d=1, groups=1, relu=True):
        layers = [nn.Conv2d(cin, cout, k, s, padding=d * (k // 2), dilation=d, groups=groups, bias=False),
                  nn.BatchNorm2d(cout)]
        if relu:
            layers.append(nn.ReLU(inplace=True))
        super().__init__(*layers)


class SegHead(nn.Module):
    def __init__(self, cin, mid, ncls, dropout=0.1):
        super().__init__()
        self.conv = ConvBNReLU(cin, mid, 3)
        self.drop = nn.Dropout2d(dropout) if dropout > 0 else nn.Identity()
        self.cls = nn.Conv2d(mid, ncls, 1)

    def forward(self, x):
        return self.cls(self.drop(self.conv(x)))


# ---------------------------------------------------------------- ResNet-style backbone (BasicBlock, dilatable)
class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride=1, dilation=1):
        super().__init__()
        self.c1 = ConvBNReLU(cin, cout, 3, stride, dilation)
        self.c2 = ConvBNReLU(cout, cout, 3, 1, dilation, relu=False)
        self.short = None
        if stride != 1 or cin != cout:
            self.short = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))
        self.relu = nn.ReLU(inplace=True)
        nn.init.zeros_(self.c2[1].weight)  # zero-init last BN of each block: stable from-scratch training

    def forward(self, x):
        s = x if self.short is None else self.short(x)
        return self.relu(self.c2(self.c1(x)) + s)


class ResNetLite(nn.Module):
    """Deep-stem ResNet with BasicBlocks; widths/depths configurable; output stride 32, 16 or 8 (dilation)."""

    def __init__(self, widths=(32, 64, 128, 256), depths=(2, 2, 2, 2), output_stride=32, stem=32):
        super().__init__()
        self.stem = nn.Sequential(ConvBNReLU(3, stem // 2, 3, 2), ConvBNReLU(stem // 2, stem // 2, 3),
                                  ConvBNReLU(stem // 2, stem, 3), nn.MaxPool2d(3, 2, 1))
        strides = [1, 2, 2, 2]
        dil = [1, 1, 1, 1]
        if output_stride <= 16:
            strides[3], dil[3] = 1, 2
        if output_stride <= 8:
            strides[2], dil[2], dil[3] = 1, 2, 4
        layers, cin = [], stem
        for i in range(4):
            blocks = []
            for j in range(depths[i]):
                d = dil[i] if j > 0 or strides[i] == 1 else max(1, dil[i] // 2)
                blocks.append(BasicBlock(cin, widths[i], strides[i] if j == 0 else 1, d))
                cin = widths[i]
            layers.append(nn.Sequential(*blocks))
        self.layer1, self.layer2, self.layer3, self.layer4 = layers
        self.channels = list(widths)

    def forward(self, x):
        x = self.stem(x)
        c1 = self.layer1(x)   # /4
        c2 = self.layer2(c1)  # /8
        c3 = self.layer3(c2)  # /16 or /8
        c4 = self.layer4(c3)  # /32, /16 or /8
        return c1, c2, c3, c4


# ---------------------------------------------------------------- U-Net
class DoubleConv(nn.Sequential):
    def __init__(self, cin, cout):
        super().__init__(ConvBNReLU(cin, cout), ConvBNReLU(cout, cout))


class UNet(nn.Module):
    """Ronneberger et al. 2015 with BatchNorm, padding and bilinear upsampling; base width configurable."""

    def __init__(self, num_classes, base=24, depth=4, dropout=0.1):
        super().__init__()
        w = [base * 2 ** i for i in range(depth + 1)]
        self.inc = DoubleConv(3, w[0])
        self.downs = nn.ModuleList([DoubleConv(w[i], w[i + 1]) for i in range(depth)])
        self.ups = nn.ModuleList([DoubleConv(w[i + 1] + w[i], w[i]) for i in reversed(range(depth))])
        self.drop = nn.Dropout2d(dropout) if dropout > 0 else nn.Identity()
        self.cls = nn.Conv2d(w[0], num_classes, 1)
        self.aux = nn.Conv2d(w[depth], num_classes, 1)

    def forward(self, x):
        size = x.shape[-2:]
        feats = [self.inc(x)]
        for d in self.downs:
            feats.append(d(F.max_pool2d(feats[-1], 2)))
        y = feats[-1]
        bottleneck = self.drop(y)
        for up, skip in zip(self.ups, reversed(feats[:-1])):
            y = up(torch.cat([_up(y, skip.shape[-2:]), skip], 1))
        out = {"out": self.cls(y)}
        if self.training:
            out["aux"] = [self.aux(bottleneck)]  # native resolution; the trainer resizes
        return out


# ---------------------------------------------------------------- FCN-8s
class FCN8s(nn.Module):
    """Long et al. 2015: class scores from stride 32, 16 and 8 features, upsampled and summed."""

    def __init__(self, num_classes, widths=(40, 80, 160, 320), depths=(2, 2, 2, 2), head=256, dropout=0.1):
        super().__init__()
        self.backbone = ResNetLite(widths, depths, 32)
        self.head32 = nn.Sequential(ConvBNReLU(widths[3], head, 3), nn.Dropout2d(dropout), nn.Conv2d(head, num_classes, 1))
        self.score16 = nn.Conv2d(widths[2], num_classes, 1)
        self.score8 = nn.Conv2d(widths[1], num_classes, 1)

    def forward(self, x):
        size = x.shape[-2:]
        _, c2, c3, c4 = self.backbone(x)
        s = self.head32(c4)
        s = _up(s, c3.shape[-2:]) + self.score16(c3)
        s = _up(s, c2.shape[-2:]) + self.score8(c2)
        return {"out": _up(s, size)}


# ---------------------------------------------------------------- DeepLabv3+
class ASPP(nn.Module):
    def __init__(self, cin, cout, rates=(6, 12, 18), dropout=0.1, separable=False):
        super().__init__()
        br = [ConvBNReLU(cin, cout, 1)]
        for r in rates:
            if separable:
                br.append(nn.Sequential(ConvBNReLU(cin, cin, 3, 1, r, groups=cin), ConvBNReLU(cin, cout, 1)))
            else:
                br.append(ConvBNReLU(cin, cout, 3, 1, r))
        self.branches = nn.ModuleList(br)
        self.pool = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Conv2d(cin, cout, 1, bias=False), nn.ReLU(inplace=True))
        self.project = nn.Sequential(ConvBNReLU(cout * (len(rates) + 2), cout, 1),
                                     nn.Dropout2d(dropout) if dropout > 0 else nn.Identity())

    def forward(self, x):
        outs = [b(x) for b in self.branches]
        p = self.pool(x)
        outs.append(_up(p, x.shape[-2:]))  # broadcast the image-pooling branch (batch-agnostic in ONNX)
        return self.project(torch.cat(outs, 1))


class DeepLabV3Plus(nn.Module):
    """Chen et al. 2018: atrous ResNet backbone + ASPP + decoder with stride-4 low-level features."""

    def __init__(self, num_classes, widths=(40, 80, 160, 320), depths=(2, 2, 2, 2), output_stride=8,
                 aspp=128, rates=(6, 12, 18), low=48, dec=128, separable_aspp=False, dropout=0.1):
        super().__init__()
        self.backbone = ResNetLite(widths, depths, output_stride)
        self.aspp = ASPP(widths[3], aspp, rates, dropout, separable_aspp)
        self.low = ConvBNReLU(widths[0], low, 1)
        self.dec = nn.Sequential(ConvBNReLU(aspp + low, dec, 3), ConvBNReLU(dec, dec, 3))
        self.cls = nn.Conv2d(dec, num_classes, 1)
        self.aux = SegHead(widths[2], 64, num_classes)

    def forward(self, x):
        size = x.shape[-2:]
        c1, _, c3, c4 = self.backbone(x)
        y = self.aspp(c4)
        y = torch.cat([_up(y, c1.shape[-2:]), self.low(c1)], 1)
        out = {"out": _up(self.cls(self.dec(y)), size)}
        if self.training:
            out["aux"] = [self.aux(c3)]
        return out


# ---------------------------------------------------------------- BiSeNetV2 (Yu et al. 2021)
class StemBlock(nn.Module):
    def __init__(self, c=16):
        super().__init__()
        self.conv = ConvBNReLU(3, c, 3, 2)
        self.left = nn.Sequential(ConvBNReLU(c, c // 2, 1), ConvBNReLU(c // 2, c, 3, 2))
        self.right = nn.MaxPool2d(3, 2, 1)
        self.fuse = ConvBNReLU(2 * c, c, 3)

    def forward(self, x):
        x = self.conv(x)
        return self.fuse(torch.cat([self.left(x), self.right(x)], 1))


class GELayer(nn.Module):
    """Gather-and-expansion layer."""

    def __init__(self, cin, cout, expand=6, stride=1):
        super().__init__()
        mid = cin * expand
        self.conv1 = ConvBNReLU(cin, cin, 3)
        if stride == 1:
            self.dw = ConvBNReLU(cin, mid, 3, 1, groups=cin, relu=False)
            self.short = None
        else:
            self.dw = nn.Sequential(ConvBNReLU(cin, mid, 3, 2, groups=cin, relu=False),
                                    ConvBNReLU(mid, mid, 3, 1, groups=mid, relu=False))
            self.short = nn.Sequential(ConvBNReLU(cin, cin, 3, 2, groups=cin, relu=False), ConvBNReLU(cin, cout, 1, relu=False))
        self.conv2 = ConvBNReLU(mid, cout, 1, relu=False)
        nn.init.zeros_(self.conv2[1].weight)
        self.relu = nn.ReLU(inplace=True)

    def forward(self, x):
        s = x if self.short is None else self.short(x)
        return self.relu(self.conv2(self.dw(self.conv1(x))) + s)


class CEBlock(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.bn = nn.BatchNorm2d(c)
        self.gap = ConvBNReLU(c, c, 1)
        self.last = ConvBNReLU(c, c, 3)

    def forward(self, x):
        g = self.gap(self.bn(x.mean(dim=(2, 3), keepdim=True)))
        return self.last(x + g)


class BGA(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.l1 = nn.Sequential(ConvBNReLU(c, c, 3, groups=c, relu=False), nn.Conv2d(c, c, 1, bias=False))
        self.l2 = nn.Sequential(ConvBNReLU(c, c, 3, 2, relu=False), nn.AvgPool2d(3, 2, 1, ceil_mode=False))
        self.r1 = ConvBNReLU(c, c, 3, relu=False)
        self.r2 = nn.Sequential(ConvBNReLU(c, c, 3, groups=c, relu=False), nn.Conv2d(c, c, 1, bias=False))
        self.conv = ConvBNReLU(c, c, 3)

    def forward(self, d, s):
        size = d.shape[-2:]
        l1 = self.l1(d)
        l2 = self.l2(d)
        r1 = _up(self.r1(s), size)
        r2 = self.r2(s)
        left = l1 * torch.sigmoid(r1)
        right = _up(l2 * torch.sigmoid(r2), size)
        return self.conv(left + right)


class BiSeNetV2(nn.Module):
    """Two-branch real-time network: detail branch (wide, shallow, /8) + semantic branch (narrow, deep, /32),
    bilateral guided aggregation, booster (auxiliary) heads during training. `detail` = detail-branch widths
    at /2, /4, /8 (paper: 64, 64, 128); `semantic` = semantic-branch widths at /4, /8, /16 (paper: 16, 32, 64),
    the /32 stage has detail[2] channels; `head` is the seg head's middle width.
    With exist_head=True it also predicts per-slot lane existence (lane models)."""

    def __init__(self, num_classes, detail=(64, 64, 128), semantic=(16, 32, 64), head=128, aux_head=64,
                 exist_head=False, n_exist=4, exist_grid=(3, 8), dropout=0.1, detail_depth=(2, 3, 3)):
        super().__init__()
        d1, d2, d3 = detail
        s1, s3, s4 = semantic
        s5 = d3
        layers, cin = [], 3
        for c, n in zip(detail, detail_depth):
            layers.append(ConvBNReLU(cin, c, 3, 2))
            layers += [ConvBNReLU(c, c, 3) for _ in range(n - 1)]
            cin = c
        self.detail = nn.Sequential(*layers)
        self.stem = StemBlock(s1)
        self.s3 = nn.Sequential(GELayer(s1, s3, stride=2), GELayer(s3, s3))
        self.s4 = nn.Sequential(GELayer(s3, s4, stride=2), GELayer(s4, s4))
        self.s5 = nn.Sequential(GELayer(s4, s5, stride=2), GELayer(s5, s5), GELayer(s5, s5), GELayer(s5, s5))
        self.ce = CEBlock(s5)
        self.bga = BGA(d3)
        self.head = SegHead(d3, head, num_classes, dropout)
        self.aux = nn.ModuleList([SegHead(c, aux_head, num_classes, 0.0) for c in (s1, s3, s4, s5)])
        self.exist = None
        if exist_head:
            gh, gw = exist_grid
            self.exist_grid = exist_grid
            self.exist = nn.Sequential(ConvBNReLU(d3, 32, 1))
            self.exist_fc = nn.Sequential(nn.Linear(32 * gh * gw, 128), nn.ReLU(inplace=True), nn.Linear(128, n_exist))

    def forward(self, x):
        size = x.shape[-2:]
        d = self.detail(x)
        f2 = self.stem(x)
        f3 = self.s3(f2)
        f4 = self.s4(f3)
        f5 = self.s5(f4)
        s = self.ce(f5)
        y = self.bga(d, s)
        out = {"out": _up(self.head(y), size)}
        if self.exist is not None:
            e = self.exist(y)
            gh, gw = self.exist_grid
            e = F.avg_pool2d(e, (int(e.shape[2]) // gh, int(e.shape[3]) // gw))
            out["exist"] = self.exist_fc(torch.flatten(e, 1))
        if self.training:
            out["aux"] = [h(f) for h, f in zip(self.aux, (f2, f3, f4, f5))]
        return out


# ---------------------------------------------------------------- LR-ASPP MobileNetV3 (torchvision, from scratch)
class LRASPPWrap(nn.Module):
    def __init__(self, num_classes):
        super().__init__()
        from torchvision.models.segmentation import lraspp_mobilenet_v3_large
        self.m = lraspp_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=num_classes)

    def forward(self, x):
        return {"out": self.m(x)["out"]}


def build_model(cfg, num_classes):
    a = dict(cfg)
    fam = a.pop("family")
    if fam == "unet":
        return UNet(num_classes, **a)
    if fam == "fcn":
        return FCN8s(num_classes, **a)
    if fam == "deeplabv3plus":
        return DeepLabV3Plus(num_classes, **a)
    if fam == "bisenetv2":
        return BiSeNetV2(num_classes, **a)
    if fam == "lraspp":
        return LRASPPWrap(num_classes)
    if fam == "r18seg":  # ImageNet-pretrained encoder (dp_train/pretrained_models.py)
        from .pretrained_models import R18Seg
        return R18Seg(num_classes, **a)
    if fam == "r18rows":
        from .pretrained_models import R18LaneRows
        return R18LaneRows(**a)
    raise ValueError("unknown family " + fam)


def count_params(m):
    return sum(p.numel() for p in m.parameters())


def count_macs(model, x):
    """Multiply-accumulates of Conv2d/Linear layers for one forward of x (eval mode)."""
    total = [0]

    def hook(mod, inp, out):
        if isinstance(mod, nn.Conv2d):
            k = mod.kernel_size[0] * mod.kernel_size[1] * (mod.in_channels // mod.groups)
            total[0] += out.numel() // out.shape[0] * k
        elif isinstance(mod, nn.Linear):
            total[0] += out.numel() // out.shape[0] * mod.in_features

    hs = [m.register_forward_hook(hook) for m in model.modules() if isinstance(m, (nn.Conv2d, nn.Linear))]
    was = model.training
    model.eval()
    with torch.no_grad():
        model(x)
    model.train(was)
    for h in hs:
        h.remove()
    return total[0]
