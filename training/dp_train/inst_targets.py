"""Batches for the instance trainings: mixed sampling, one GPU warp of image + semantic + instance maps, and the
targets each model needs (torchvision Mask R-CNN target dicts; Panoptic-DeepLab centre heatmap and offsets)."""
import math

import torch

from . import common as C
from .inst_data import MAX_IDS, VOID


class MixedSampler:
    """Draws a batch as fixed per-source counts (round(ratio x batch), remainder to the largest source), frames of
    each source uniformly at random from seeded CPU generators."""

    def __init__(self, sets, ratios, batch, gen):
        self.sets, self.gen = sets, gen
        names = list(sets)
        counts = {s: int(math.floor(ratios[s] * batch)) for s in names}
        rest = batch - sum(counts.values())
        for s in sorted(names, key=lambda s: -ratios[s])[:rest]:
            counts[s] += 1
        self.counts = {s: c for s, c in counts.items() if c > 0}

    def next(self):
        return {s: torch.randint(0, len(self.sets[s]), (c,), generator=self.gen) for s, c in self.counts.items()}


def gather(sets, picks, device):
    img, sem, inst, ncls, trust = [], [], [], [], []
    for s, idx in picks.items():
        d = sets[s]
        idx = idx.to(d.image.device)
        img.append(d.image[idx])
        sem.append(d.semantic[idx])
        inst.append(d.instance[idx])
        ncls.append(d.node_class[idx])
        trust.append(d.trusted[idx])
    cat = lambda xs: torch.cat(xs).to(device)  # noqa: E731
    return cat(img), cat(sem), cat(inst), cat(ncls), cat(trust)


@torch.no_grad()
def warp(img_u8, sem, inst, out_hw, gen, acfg):
    """One grid_sample for image, semantic and instance maps (packed as sem * 256 + inst, nearest, exact in
    float32); out-of-image pixels become void / no instance. Then colour, blur and noise (common.photometric).
    Returns x float RGB 0..1 [B,3,H,W], sem long [B,H,W], inst long [B,H,W]."""
    x = C.to_float_nchw(img_u8)
    packed = sem.long() * MAX_IDS + inst.long()
    x, lab, _ = C.affine_warp(x, packed, out_hw, gen, scale=tuple(acfg.get("scale", [0.75, 1.5])),
                              rot_deg=acfg.get("rot_deg", 0.0), flip_p=acfg.get("flip_p", 0.5),
                              translate=acfg.get("translate"), ignore=VOID * MAX_IDS)
    if acfg.get("photometric"):
        x = C.photometric(x, gen, acfg["photometric"])
    return x, lab // MAX_IDS, lab % MAX_IDS


def maskrcnn_targets(inst, node_class, min_px=16):
    """torchvision target dicts (boxes x1 y1 x2 y2 continuous, labels, masks uint8) from warped instance maps.
    Instances with fewer than min_px visible pixels after the warp are dropped."""
    targets = []
    B, H, W = inst.shape
    for b in range(B):
        ids = torch.unique(inst[b])
        ids = ids[(ids > 0)]
        ids = ids[node_class[b, ids] > 0]
        if ids.numel():
            masks = inst[b][None] == ids[:, None, None]
            area = masks.flatten(1).sum(1)
            keep = area >= min_px
            ids, masks = ids[keep], masks[keep]
        if ids.numel() == 0:
            targets.append({"boxes": torch.zeros(0, 4, device=inst.device), "labels": torch.zeros(0, dtype=torch.int64, device=inst.device),
                            "masks": torch.zeros(0, H, W, dtype=torch.uint8, device=inst.device)})
            continue
        rows = masks.any(2)
        cols = masks.any(1)
        ar_h = torch.arange(H, device=inst.device)
        ar_w = torch.arange(W, device=inst.device)
        y1 = torch.where(rows, ar_h, H).min(1).values
        y2 = torch.where(rows, ar_h, -1).max(1).values + 1
        x1 = torch.where(cols, ar_w, W).min(1).values
        x2 = torch.where(cols, ar_w, -1).max(1).values + 1
        boxes = torch.stack([x1, y1, x2, y2], 1).float()
        targets.append({"boxes": boxes, "labels": node_class[b, ids].long(), "masks": masks.to(torch.uint8)})
    return targets


def centre_targets(inst, node_class, trusted, stride=4, sigma=8.0, min_px=16):
    """Panoptic-DeepLab targets at stride `stride` (cell (i, j) stands for pixel (s*i + s/2, s*j + s/2)):
    heat [B,h,w] = max over instances of a Gaussian (sigma in input pixels) at the instance's centre of mass;
    offset [B,2,h,w] = (cy - y, cx - x) from the cell's pixel to its instance's centre; weights: the heat is
    supervised everywhere except on untrusted (merged-looking) instances, the offset only on cells of
    trusted instances with at least min_px pixels."""
    B, H, W = inst.shape
    dev = inst.device
    h, w = H // stride, W // stride
    half = stride // 2
    key = (torch.arange(B, device=dev).view(B, 1, 1) * MAX_IDS + inst).flatten()
    on = (inst > 0).flatten()
    k_on = key[on]
    ys = torch.arange(H, device=dev, dtype=torch.float32).view(1, H, 1).expand(B, H, W).flatten()[on]
    xs = torch.arange(W, device=dev, dtype=torch.float32).view(1, 1, W).expand(B, H, W).flatten()[on]
    n = torch.bincount(k_on, minlength=B * MAX_IDS).float()
    cy = torch.bincount(k_on, weights=ys, minlength=B * MAX_IDS) / n.clamp(min=1)
    cx = torch.bincount(k_on, weights=xs, minlength=B * MAX_IDS) / n.clamp(min=1)
    is_thing = (node_class.flatten() > 0)
    good = is_thing & trusted.flatten() & (n >= min_px)
    bad = is_thing & ~trusted.flatten()
    # Gaussians of the good instances only (a few hundred per batch), max-reduced into their frame
    gi = torch.nonzero(good).flatten()
    gy = (torch.arange(h, device=dev, dtype=torch.float32) * stride + half).view(1, h, 1)
    gx = (torch.arange(w, device=dev, dtype=torch.float32) * stride + half).view(1, 1, w)
    heat = torch.zeros(B, h * w, device=dev)
    if gi.numel():
        g = torch.exp(-((gy - cy[gi].view(-1, 1, 1)) ** 2 + (gx - cx[gi].view(-1, 1, 1)) ** 2) / (2 * sigma * sigma))
        frame = (gi // MAX_IDS).view(-1, 1).expand(-1, h * w)
        heat.scatter_reduce_(0, frame, g.view(-1, h * w), reduce="amax", include_self=True)
    heat = heat.view(B, h, w)
    cell_inst = inst[:, half::stride, half::stride][:, :h, :w]
    cell_key = torch.arange(B, device=dev).view(B, 1, 1) * MAX_IDS + cell_inst
    cell_good = (cell_inst > 0) & good[cell_key]
    heat_w = (~((cell_inst > 0) & bad[cell_key])).float()
    off = torch.stack([cy[cell_key] - gy, cx[cell_key] - gx], 1) * cell_good[:, None].float()
    return heat, heat_w, off, cell_good.float()
