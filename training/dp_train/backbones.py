"""ImageNet-pretrained ResNet-18 for the pretrained-encoder models (issue #14).

`ResNet18` uses torchvision's module names (conv1, bn1, layer1.0.conv1, ..., layerN.0.downsample.0/1), so the state
dict that training/pretrained/convert_resnet18.py writes from the NuGet package's ONNX file would also load into
torchvision's resnet18 (without its fc). The weights expect what the CNTK export expected: BGR, 0-255, minus a mean
per channel (the package's ResNetPreprocess.onnx subtracts a 224x224 mean image; its per-channel means are stored
with the weights). Our models take the project's normalised RGB ((x/255 - mean) / std, ImageNet statistics), so
`ResNet18` starts with a fixed affine that maps one onto the other: the in-graph normalisation of the model
contract stays as it is.
"""
import torch
import torch.nn as nn

from .common import MEAN_RGB, STD_RGB


class Block(nn.Module):
    """torchvision's BasicBlock (same names), optionally dilated."""

    def __init__(self, cin, cout, stride=1, dilation=1):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, dilation, dilation, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, dilation, dilation, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.downsample = None
        if stride != 1 or cin != cout:
            self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        s = x if self.downsample is None else self.downsample(x)
        y = self.relu(self.bn1(self.conv1(x)))
        return self.relu(self.bn2(self.conv2(y)) + s)


class ResNet18(nn.Module):
    """ResNet-18 up to layer4 (strides 4, 8, 16, 32 -> 64, 128, 256, 512 channels). `bgr_mean`: the per-channel
    mean (B, G, R, 0-255 scale) the pretrained weights expect; `layers` = 3 drops layer4 (stride 16 at most).
    `depths`: blocks per layer. The NuGet export has THREE blocks in layer4 (22 convolutions, where torchvision's
    resnet18 has 2 blocks and 20): its graph is followed as it is, so its layer4 weights load unchanged."""

    def __init__(self, bgr_mean=(103.0626, 115.9029, 123.1516), layers=4, depths=(2, 2, 2, 3)):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 64, 7, 2, 3, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        widths = [64, 128, 256, 512][:layers]
        cin = 64
        for i, w in enumerate(widths):
            stride = 1 if i == 0 else 2
            blocks = [Block(cin, w, stride)] + [Block(w, w) for _ in range(depths[i] - 1)]
            setattr(self, "layer%d" % (i + 1), nn.Sequential(*blocks))
            cin = w
        self.channels = widths
        # normalised RGB -> BGR 0-255 minus the pretrained mean: x_bgr = (x * std + mean) * 255 - bgr_mean
        std = torch.tensor(STD_RGB).flip(0) * 255.0
        shift = torch.tensor(MEAN_RGB).flip(0) * 255.0 - torch.tensor(bgr_mean, dtype=torch.float32)
        self.register_buffer("in_scale", std.view(1, 3, 1, 1), persistent=False)
        self.register_buffer("in_shift", shift.view(1, 3, 1, 1), persistent=False)

    def adapt(self, x):
        """The project's normalised RGB -> what the pretrained weights expect (BGR, 0-255, mean removed)."""
        return torch.flip(x, [1]) * self.in_scale + self.in_shift

    def forward_raw(self, x_bgr):
        """Features from an input already in the pretrained convention (used to check the ONNX mapping)."""
        x = self.maxpool(self.relu(self.bn1(self.conv1(x_bgr))))
        feats = []
        for i in range(len(self.channels)):
            x = getattr(self, "layer%d" % (i + 1))(x)
            feats.append(x)
        return feats

    def forward(self, x):
        return self.forward_raw(self.adapt(x))


def load_pretrained(model, path):
    """Loads convert_resnet18.py's file into a ResNet18 (layer4 skipped when the model has none); returns the
    file's metadata (source package, version, licence)."""
    blob = torch.load(path, map_location="cpu")
    sd = {k: v.float() for k, v in blob["state_dict"].items() if hasattr(model, k.split(".")[0])}
    missing, unexpected = model.load_state_dict(sd, strict=False)
    missing = [k for k in missing if not k.endswith("num_batches_tracked")]
    if missing or unexpected:
        raise ValueError("pretrained ResNet-18 %s does not fit: missing %s, unexpected %s" % (path, missing, unexpected))
    return blob["meta"]
