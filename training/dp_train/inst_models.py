"""The two instance networks, built from scratch (no pretrained weights anywhere).

- `build_maskrcnn`: torchvision's Mask R-CNN on a light deep-stem ResNet (dp_train.models.ResNetLite, BatchNorm:
  batches of 8+ frames keep batch statistics usable, and BN folds away at export) + FPN (P2-P5 and a max-pooled
  P6), small anchors for a 480x360 input, a two-layer MLP box head and a 4-conv GroupNorm mask head.
- `PanopticBiSeNet`: the camvid-fast BiSeNetV2 semantic network plus Panoptic-DeepLab centre and offset heads on
  its stride-4 detail features fused with the upsampled stride-8 aggregation output.
"""
from collections import OrderedDict

import torch
import torch.nn as nn
import torch.nn.functional as F

from .common import MEAN_RGB, STD_RGB
from .models import BiSeNetV2, ConvBNReLU, ResNetLite, _up


class LiteFPNBackbone(nn.Module):
    """ResNetLite strides 4/8/16/32 -> FPN with `out_channels` (+ P6 by max-pool), as torchvision expects."""

    def __init__(self, widths=(32, 64, 128, 256), depths=(2, 2, 2, 2), stem=32, fpn_channels=96):
        super().__init__()
        from torchvision.ops.feature_pyramid_network import FeaturePyramidNetwork, LastLevelMaxPool
        self.body = ResNetLite(tuple(widths), tuple(depths), 32, stem)
        self.fpn = FeaturePyramidNetwork(list(widths), fpn_channels, extra_blocks=LastLevelMaxPool())
        self.out_channels = fpn_channels

    def forward(self, x):
        feats = self.body(x)
        return self.fpn(OrderedDict((str(i), f) for i, f in enumerate(feats)))


def build_maskrcnn(mcfg, num_classes, height, width):
    from torchvision.models.detection import MaskRCNN
    from torchvision.models.detection.anchor_utils import AnchorGenerator
    from torchvision.models.detection.faster_rcnn import FastRCNNPredictor, TwoMLPHead
    from torchvision.models.detection.mask_rcnn import MaskRCNNHeads, MaskRCNNPredictor
    from torchvision.ops import MultiScaleRoIAlign

    fpn = mcfg.get("fpn_channels", 96)
    backbone = LiteFPNBackbone(mcfg.get("widths", (32, 64, 128, 256)), mcfg.get("depths", (2, 2, 2, 2)),
                               mcfg.get("stem", 32), fpn)
    sizes = tuple((s,) for s in mcfg.get("anchor_sizes", [16, 32, 64, 128, 256]))
    ratios = (tuple(mcfg.get("anchor_ratios", [0.5, 1.0, 2.0])),) * len(sizes)
    anchors = AnchorGenerator(sizes, ratios)
    rep = mcfg.get("box_rep", 256)
    box_head = TwoMLPHead(fpn * 7 * 7, rep)
    mask_ch = mcfg.get("mask_channels", 96)
    gn = lambda c: nn.GroupNorm(8, c)  # noqa: E731  small RoI batches: GroupNorm, not BatchNorm
    mask_head = MaskRCNNHeads(fpn, [mask_ch] * mcfg.get("mask_convs", 4), 1, norm_layer=gn)
    t = mcfg.get("detector", {})
    model = MaskRCNN(
        backbone, num_classes=None,
        # fixed model input: the transform's resize is the identity (scale 1), it only normalises and pads to /32
        min_size=height, max_size=width, image_mean=list(MEAN_RGB), image_std=list(STD_RGB),
        rpn_anchor_generator=anchors,
        rpn_pre_nms_top_n_train=t.get("rpn_pre_nms_train", 1000), rpn_post_nms_top_n_train=t.get("rpn_post_nms_train", 1000),
        rpn_pre_nms_top_n_test=t.get("rpn_pre_nms_test", 500), rpn_post_nms_top_n_test=t.get("rpn_post_nms_test", 300),
        box_roi_pool=MultiScaleRoIAlign(["0", "1", "2", "3"], 7, 2),
        box_head=box_head, box_predictor=FastRCNNPredictor(rep, num_classes),
        box_score_thresh=t.get("box_score_thresh", 0.05), box_nms_thresh=t.get("box_nms_thresh", 0.5),
        box_detections_per_img=t.get("detections_per_img", 100),
        box_batch_size_per_image=t.get("box_batch_per_image", 256),
        mask_roi_pool=MultiScaleRoIAlign(["0", "1", "2", "3"], 14, 2),
        mask_head=mask_head, mask_predictor=MaskRCNNPredictor(mask_ch, mask_ch, num_classes))
    return model


def maskrcnn_raw(model, x):
    """Eval-mode detections without torchvision's paste-into-image step: x is RGB 0..1 [B,3,H,W] at model size
    (the transform normalises, resizes by 1 and pads to /32). Returns per image dicts with boxes (model-input pixels), scores, labels, masks [K,1,M,M] probabilities."""
    images, _ = model.transform(list(x))
    feats = model.backbone(images.tensors)
    proposals, _ = model.rpn(images, feats)
    dets, _ = model.roi_heads(feats, proposals, images.image_sizes)
    return dets


def _zero_last(seq):
    """A refinement branch whose output starts at zero (its last conv zeroed): adding it changes nothing until trained."""
    nn.init.zeros_(seq[-1].weight)
    nn.init.zeros_(seq[-1].bias)
    return seq


class PanopticBiSeNet(nn.Module):
    """BiSeNetV2 semantic logits (+ booster heads in training) and, at stride 4, a class-agnostic centre heatmap
    (`centre` [B,h,w], regressed to 0..1 Gaussians, no sigmoid) and centre offsets (`offset` [B,2,h,w], dy dx in
    input pixels; the raw conv output times `offset_scale` so that offsets of 100+ px are in easy reach).

    `semantic_refine4` / `semantic_refine2` (widths, 0 = off) add residual class-logit refinements at stride 4 (on the
    fused stride-4 features the instance heads use) and stride 2 (on the detail branch's first layer): the stride-8
    logits alone paint a 5-px-wide pedestrian as a blob 2-3x its area (training/analysis/mask_fit.py). Their last convs start
    at zero, so a model fine-tuned from a checkpoint without them begins where that checkpoint was (up to the
    upsampling now going in steps: ~2 % of pixels change class) (`new_on_init` names them for inst_run.load_init)."""

    def __init__(self, num_classes, bisenet, head=64, offset_scale=10.0, semantic_refine4=0, semantic_refine2=0):
        super().__init__()
        cfg = dict(bisenet)
        cfg.pop("family", None)
        self.net = BiSeNetV2(num_classes, **cfg)
        depth = cfg.get("detail_depth", (2, 3, 3))
        detail = cfg.get("detail", (64, 64, 128))
        self.n_s4 = depth[0] + depth[1]  # detail layers up to stride 4
        self.fuse = ConvBNReLU(detail[2] + detail[1], head, 3)
        self.centre = nn.Sequential(ConvBNReLU(head, 32, 3), nn.Conv2d(32, 1, 1))
        self.offset = nn.Sequential(ConvBNReLU(head, 32, 3), nn.Conv2d(32, 2, 1))
        self.offset_scale = float(offset_scale)
        self.n_s2 = depth[0]  # detail layers up to stride 2
        self.refine4 = self.refine2 = None
        if semantic_refine4:
            self.refine4 = _zero_last(nn.Sequential(ConvBNReLU(head, semantic_refine4, 3),
                                                    nn.Conv2d(semantic_refine4, num_classes, 1)))
        if semantic_refine2:
            self.refine2 = _zero_last(nn.Sequential(ConvBNReLU(detail[0] + num_classes, semantic_refine2, 3),
                                                    nn.Conv2d(semantic_refine2, num_classes, 1)))
        self.new_on_init = tuple(n for n in ("refine4.", "refine2.") if getattr(self, n[:-1]) is not None)

    def forward(self, x):
        n = self.net
        size = x.shape[-2:]
        d2 = n.detail[:self.n_s2](x)
        d4 = n.detail[self.n_s2:self.n_s4](d2)
        d = n.detail[self.n_s4:](d4)
        f2 = n.stem(x)
        f3 = n.s3(f2)
        f4 = n.s4(f3)
        f5 = n.s5(f4)
        y = n.bga(d, n.ce(f5))
        logits = n.head(y)
        z = self.fuse(torch.cat([_up(y, d4.shape[-2:]), d4], 1))
        if self.refine4 is not None:
            logits = _up(logits, d4.shape[-2:]) + self.refine4(z)
        if self.refine2 is not None:
            logits = _up(logits, d2.shape[-2:])
            logits = logits + self.refine2(torch.cat([d2, logits], 1))
        out = {"out": _up(logits, size)}
        out["centre"] = self.centre(z)[:, 0]
        out["offset"] = self.offset(z) * self.offset_scale
        if self.training:
            out["aux"] = [h(f) for h, f in zip(n.aux, (f2, f3, f4, f5))]
        return out


class PanopticR18(nn.Module):
    """The pretrained-encoder panoptic model (issue #14): dp_train.pretrained_models.R18Seg (ImageNet ResNet-18 layer1-3,
    context block, FPN decoder to stride 4) for the class logits, and the Panoptic-DeepLab centre / offset heads of
    PanopticBiSeNet on the same stride-4 decoder features. Same outputs as PanopticBiSeNet, so the trainer, the export
    and the node's centre-offset decoder are unchanged."""

    def __init__(self, num_classes, model_cfg, head=64, offset_scale=10.0, **_):
        super().__init__()
        from .pretrained_models import R18Seg
        cfg = dict(model_cfg)
        cfg.pop("family", None)
        self.seg = R18Seg(num_classes, **cfg)
        self.pretrained_meta = self.seg.pretrained_meta
        d = self.seg.head.conv[0].in_channels
        self.centre = nn.Sequential(ConvBNReLU(d, 32, 3), nn.Conv2d(32, 1, 1))
        self.offset = nn.Sequential(ConvBNReLU(d, 32, 3), nn.Conv2d(32, 2, 1))
        self.offset_scale = float(offset_scale)

    def forward(self, x):
        s = self.seg
        size = x.shape[-2:]
        feats = s.enc(x)
        top = s.context(feats[-1])
        z = top
        for i in reversed(range(len(feats) - 1)):
            z = s.smooth[i](_up(z, feats[i].shape[-2:]) + s.lateral[i](feats[i]))
        out = {"out": _up(s.head(z), size), "centre": self.centre(z)[:, 0], "offset": self.offset(z) * self.offset_scale}
        if self.training:
            out["aux"] = [s.aux(top)]
        return out


def build_panoptic(num_classes, cfg):
    """PanopticBiSeNet, or PanopticR18 when the config's model family is r18seg."""
    if cfg["model"].get("family") == "r18seg":
        return PanopticR18(num_classes, cfg["model"], **cfg.get("instance_head", {}))
    return PanopticBiSeNet(num_classes, cfg["model"], **cfg.get("instance_head", {}))
