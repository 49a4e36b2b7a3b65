#!/usr/bin/env python3
"""ImageNet-pretrained ResNet-18 from NuGet -> a PyTorch state dict for dp_train.backbones.ResNet18.

    /usr/bin/python3 training/pretrained/convert_resnet18.py --out .carry/pretrained/resnet18-imagenet.pt
        [--package-dir DIR] [--check-ort]

The only ImageNet-pretrained backbone the reachable registries serve is the ONNX file inside NuGet's
`Microsoft.ML.DnnImageFeaturizer.ResNet18` (pinned: PACKAGE_VERSION; MIT licence; a CNTK 2.6 export, opset 8,
input `Input247` 1x3x224x224 BGR 0-255 minus a mean image, output `Pooling395_Output_0` 1x512x1x1; its layer4
has three blocks, not torchvision's two: 22 convolutions, 12.2 M weights). Steps:
1. restore the package with `dotnet restore` into a cache folder (skipped with --package-dir);
2. walk the graph's Conv -> BatchNormalization pairs in order: the stem, then per block [a 1x1 stride-2 shortcut
   when the block has one] conv1, conv2 -- torchvision's resnet18 order, checked shape by shape;
3. write {"state_dict", "meta"} (convolution weights in fp16 halve the file for the device call; BatchNorm stays
   fp32; the check below runs on what is written) and, with --check-ort, prove the mapping: the same input through
   ONNX Runtime (the package's own file) and through the PyTorch module, max abs difference of the 512 pooled
   features and of the layer4 map, written to the metadata and printed.

CNTK pads asymmetrically (stem: 3 before, 2 after; stride-2 3x3 convs and the max-pool: 1 before, 0 after); on an
even input size PyTorch's symmetric padding samples the same positions and gives the same output size, so the
mapping is exact there (the check runs at 224x224).
ONNX Runtime for the check: python's onnxruntime when importable, else the C# ORT of tools/OrtFeatures (this
machine has no python onnxruntime; the project's ORT package does the run).
"""
import argparse
import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from dp_train.backbones import ResNet18  # noqa: E402

PACKAGE = "Microsoft.ML.DnnImageFeaturizer.ResNet18"
PACKAGE_VERSION = "0.24.0"
MODEL_REL = "tools/DnnImageModels/ResNet18Onnx/ResNet18.onnx"
PREP_REL = "tools/DnnImageModels/ResNetPrepOnnx/ResNetPreprocess.onnx"


def restore(cache):
    """dotnet restore of the pinned package into `cache`; returns the package folder."""
    pkg = os.path.join(cache, PACKAGE.lower(), PACKAGE_VERSION)
    if os.path.exists(os.path.join(pkg, MODEL_REL)):
        return pkg
    os.makedirs(cache, exist_ok=True)
    proj = tempfile.mkdtemp()
    with open(os.path.join(proj, "restore.csproj"), "w") as f:
        f.write('<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><TargetFramework>net10.0</TargetFramework>'
                '<ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally></PropertyGroup><ItemGroup>'
                '<PackageReference Include="%s" Version="%s" /></ItemGroup></Project>' % (PACKAGE, PACKAGE_VERSION))
    subprocess.run(["dotnet", "restore", proj, "--packages", cache, "-v", "q"], check=True)
    shutil.rmtree(proj, ignore_errors=True)
    return pkg


def conv_bn_pairs(model):
    """[(conv weight, (bn scale, bias, mean, var), stride, kernel)] in graph order."""
    from onnx import numpy_helper
    g = model.graph
    init = {i.name: numpy_helper.to_array(i) for i in g.initializer}
    consumers = {}
    for n in g.node:
        for i in n.input:
            consumers.setdefault(i, []).append(n)
    pairs = []
    for n in g.node:
        if n.op_type != "Conv":
            continue
        if len(n.input) != 2:
            raise ValueError("conv %s has a bias: not the expected CNTK ResNet-18 export" % n.name)
        bn = [c for c in consumers[n.output[0]] if c.op_type == "BatchNormalization"]
        if len(bn) != 1:
            raise ValueError("conv %s is not followed by one BatchNormalization" % n.output[0])
        attrs = {a.name: list(a.ints) for a in n.attribute}
        eps = [a.f for a in bn[0].attribute if a.name == "epsilon"][0]
        pairs.append((init[n.input[1]], [init[t] for t in bn[0].input[1:]], attrs["strides"][0], attrs["kernel_shape"][0], eps))
    return pairs


def torch_order(net):
    """Conv/BN module pairs of ResNet18 in the order the CNTK graph lists them (shortcut before conv1)."""
    order = [("conv1", "bn1")]
    for li in range(1, 5):
        for bi in range(len(getattr(net, "layer%d" % li))):
            blk = "layer%d.%d" % (li, bi)
            if getattr(net, "layer%d" % li)[bi].downsample is not None:
                order.append((blk + ".downsample.0", blk + ".downsample.1"))
            order += [(blk + ".conv1", blk + ".bn1"), (blk + ".conv2", blk + ".bn2")]
    return order


def ort_features(onnx_path, x):
    """Pooled features and the layer4 map (the input of the AveragePool) of the ONNX file through ONNX Runtime."""
    import onnx
    m = onnx.load(onnx_path)
    pool_in = [n for n in m.graph.node if n.op_type == "AveragePool"][0].input[0]
    m.graph.output.append(onnx.helper.make_tensor_value_info(pool_in, onnx.TensorProto.FLOAT, None))
    tmp = tempfile.mkdtemp()
    path = os.path.join(tmp, "with_layer4.onnx")
    onnx.save(m, path)
    try:
        import onnxruntime as ort
        sess = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
        pooled, l4 = sess.run(None, {"Input247": x})
        how = "onnxruntime %s (python)" % ort.__version__
    except ImportError:
        tool = os.path.join(HERE, "tools", "OrtFeatures")
        np.save(os.path.join(tmp, "x.npy"), x)
        out = subprocess.run(["dotnet", "run", "--project", tool, "-c", "Release", "--", path, os.path.join(tmp, "x.npy"), tmp],
                             check=True, capture_output=True, text=True)
        pooled = np.load(os.path.join(tmp, "out0.npy"))
        l4 = np.load(os.path.join(tmp, "out1.npy"))
        how = out.stdout.strip().splitlines()[-1]
    shutil.rmtree(tmp, ignore_errors=True)
    return pooled, l4, how


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--package-dir", default=None, help="an already restored package folder (skips dotnet restore)")
    ap.add_argument("--cache", default=os.path.expanduser("~/.cache/dp-nuget"))
    ap.add_argument("--fp32", action="store_true", help="keep fp32 (default: fp16, half the file)")
    ap.add_argument("--check-ort", action="store_true")
    ap.add_argument("--layers", type=int, default=4, choices=[3, 4],
                    help="3: keep stem + layer1-3 only (stride 16; the models here use no more; 2.8 of 12.2 M weights)")
    args = ap.parse_args()
    import onnx
    from onnx import numpy_helper
    pkg = args.package_dir or restore(args.cache)
    onnx_path = os.path.join(pkg, MODEL_REL)
    model = onnx.load(onnx_path)
    mean_image = numpy_helper.to_array(onnx.load(os.path.join(pkg, PREP_REL)).graph.initializer[0])
    bgr_mean = [float(v) for v in mean_image.reshape(3, -1).mean(1)]
    net = ResNet18(bgr_mean).eval()
    pairs = conv_bn_pairs(model)
    order = torch_order(net)
    if len(pairs) != len(order):
        raise ValueError("%d conv/BN pairs in the ONNX, %d in ResNet-18" % (len(pairs), len(order)))
    mods = dict(net.named_modules())
    for (w, (scale, bias, mean, var), stride, k, eps), (cn, bn) in zip(pairs, order):
        conv = mods[cn]
        if tuple(w.shape) != tuple(conv.weight.shape) or stride != conv.stride[0] or k != conv.kernel_size[0]:
            raise ValueError("%s: ONNX %s stride %d vs torch %s stride %d" % (cn, w.shape, stride, tuple(conv.weight.shape), conv.stride[0]))
        if abs(eps - mods[bn].eps) > 1e-9:
            mods[bn].eps = eps
        with torch.no_grad():
            conv.weight.copy_(torch.from_numpy(w))
            for name, v in (("weight", scale), ("bias", bias), ("running_mean", mean), ("running_var", var)):
                getattr(mods[bn], name).copy_(torch.from_numpy(np.asarray(v).reshape(-1)))
    # fp16 for the convolution weights only: BatchNorm statistics of a 0-255 input (variances in the thousands, means
    # in the hundreds) lose too much in fp16 (the check's pooled features moved by 2.9 of 11 with everything in fp16)
    dtype = torch.float32 if args.fp32 else torch.float16
    sd = {k: (v.to(dtype) if v.is_floating_point() and v.ndim == 4 else v) for k, v in net.state_dict().items()}
    meta = {"source": "NuGet %s %s, %s" % (PACKAGE, PACKAGE_VERSION, MODEL_REL), "licence": "MIT (the NuGet package)",
            "trained_on": "ImageNet-1k classification (Microsoft's CNTK ResNet-18 export)",
            "input": "BGR 0-255 minus per-channel mean %s (the package's mean image, averaged)" % [round(v, 4) for v in bgr_mean],
            "bgr_mean": bgr_mean, "dtype": "conv weights %s, BatchNorm float32" % str(dtype).replace("torch.", ""),
            "converted": datetime.date.today().isoformat(), "script": "training/pretrained/convert_resnet18.py"}
    if args.check_ort:
        rng = np.random.default_rng(0)
        x = (rng.standard_normal((2, 3, 224, 224)) * 60).astype(np.float32)  # the scale of BGR 0-255 minus mean
        ort_out = [ort_features(onnx_path, x[i:i + 1]) for i in range(x.shape[0])]
        checks = {}
        fp32_sd = {k: v.clone() for k, v in net.state_dict().items()}
        for label, weights in (("fp32", fp32_sd), ("as written", sd)):
            net.load_state_dict({k: v.float() if v.is_floating_point() else v for k, v in weights.items()})
            rows = []
            for i, (pooled, l4, _) in enumerate(ort_out):
                with torch.no_grad():
                    f4 = net.forward_raw(torch.from_numpy(x[i:i + 1]))[-1]
                rows.append({"pooled_max_abs_diff": float(np.abs(f4.mean((2, 3)).numpy().reshape(-1) - pooled.reshape(-1)).max()),
                             "pooled_max_abs": float(np.abs(pooled).max()),
                             "layer4_max_abs_diff": float(np.abs(f4.numpy() - l4).max()),
                             "layer4_max_abs": float(np.abs(l4).max())})
            checks[label] = rows
        meta["ort_check"] = {"runtime": ort_out[0][2], "input": "2 x 1x3x224x224, N(0, 60^2), seed 0",
                             "what": "PyTorch ResNet18.forward_raw vs the package's ONNX file: 512 pooled features and the "
                                     "layer4 map, max abs difference, with the weights in fp32 and as written",
                             "results": checks}
        print(json.dumps(meta["ort_check"], indent=1))
    if args.layers < 4:  # the mapping was checked on the whole network; the file keeps layers 1..N only
        sd = {k: v for k, v in sd.items() if not any(k.startswith("layer%d." % i) for i in range(args.layers + 1, 5))}
        meta["layers"] = args.layers
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    torch.save({"state_dict": sd, "meta": meta}, args.out)
    print("wrote %s (%.1f MB)" % (args.out, os.path.getsize(args.out) / 1e6))


if __name__ == "__main__":
    main()
