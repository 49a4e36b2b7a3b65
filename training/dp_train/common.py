"""Shared pieces: config, seeding, GPU data + augmentation, losses, logging, timing."""
import glob
import json
import math
import os
import random
import time

import cv2
import numpy as np
import torch
import torch.nn.functional as F

MEAN_RGB = (0.485, 0.456, 0.406)
STD_RGB = (0.229, 0.224, 0.225)


def load_config(path):
    with open(path) as f:
        cfg = json.load(f)
    cfg["_config_path"] = path
    return cfg


def seed_all(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    if torch.cuda.is_available():
        torch.cuda.manual_seed_all(seed)


def read_list(path):
    with open(path) as f:
        return [l.strip() for l in f if l.strip()]


def _find_image(d, name):
    for ext in (".jpg", ".png", ".jpeg"):
        p = os.path.join(d, name + ext)
        if os.path.exists(p):
            return p
    raise FileNotFoundError(os.path.join(d, name))


def load_seg_split(root, split, limit=None):
    """CamVid-layout dataset: images/SPLIT/NAME.{jpg,png}, labels/SPLIT/NAME.png, SPLIT.txt.
    Returns uint8 tensors: images [N,H,W,3] RGB, labels [N,H,W], and the names."""
    names = read_list(os.path.join(root, split + ".txt"))
    if limit:
        names = names[:limit]
    imgs, labs = [], []
    for n in names:
        im = cv2.imread(_find_image(os.path.join(root, "images", split), n), cv2.IMREAD_COLOR)
        imgs.append(cv2.cvtColor(im, cv2.COLOR_BGR2RGB))
        labs.append(cv2.imread(os.path.join(root, "labels", split, n + ".png"), cv2.IMREAD_UNCHANGED))
    return torch.from_numpy(np.stack(imgs)), torch.from_numpy(np.stack(labs)), names


# ------------------------------------------------------------------ GPU augmentation
def _uniform(gen, n, lo, hi, device):
    return torch.rand(n, generator=gen, device=device) * (hi - lo) + lo


def affine_warp(img, lab, out_hw, gen, scale=(1.0, 1.0), rot_deg=0.0, flip_p=0.0, translate=None,
                base_scale=(1.0, 1.0), ignore=255):
    """Batched random scale / rotation / flip / translation with one grid_sample.
    img: float [B,3,Hi,Wi]; lab: uint8/long [B,Hi,Wi]. scale s>1 zooms in (window of out/s input pixels),
    base_scale = (Wi/Wo, Hi/Ho) maps output pixels to input pixels at s=1. Out-of-image label -> ignore.
    Returns img [B,3,Ho,Wo], lab long [B,Ho,Wo], flipped bool [B]."""
    B, _, Hi, Wi = img.shape
    Ho, Wo = out_hw
    dev = img.device
    s = torch.exp(_uniform(gen, B, math.log(scale[0]), math.log(scale[1]), dev))
    th = _uniform(gen, B, -rot_deg, rot_deg, dev) * math.pi / 180.0
    flip = torch.rand(B, generator=gen, device=dev) < flip_p
    fx = 1.0 - 2.0 * flip.float()
    # A maps output pixel offsets (from centre) to input pixel offsets
    a11 = torch.cos(th) * fx * base_scale[0] / s
    a12 = -torch.sin(th) * base_scale[1] / s
    a21 = torch.sin(th) * fx * base_scale[0] / s
    a22 = torch.cos(th) * base_scale[1] / s
    # translation range: keep the window inside the image when it is smaller, else keep the image inside
    half_w = (Wo / 2.0) * base_scale[0] / s
    half_h = (Ho / 2.0) * base_scale[1] / s
    rx = (Wi / 2.0 - half_w).abs()
    ry = (Hi / 2.0 - half_h).abs()
    if translate is not None:  # fractions of the input size
        rx = torch.minimum(rx, torch.full_like(rx, translate[0] * Wi)) if translate[0] >= 0 else rx
        ry = torch.minimum(ry, torch.full_like(ry, translate[1] * Hi)) if translate[1] >= 0 else ry
    tx = (torch.rand(B, generator=gen, device=dev) * 2 - 1) * rx
    ty = (torch.rand(B, generator=gen, device=dev) * 2 - 1) * ry
    theta = torch.zeros(B, 2, 3, device=dev)
    theta[:, 0, 0] = a11 * (Wo / 2.0) / (Wi / 2.0)
    theta[:, 0, 1] = a12 * (Ho / 2.0) / (Wi / 2.0)
    theta[:, 1, 0] = a21 * (Wo / 2.0) / (Hi / 2.0)
    theta[:, 1, 1] = a22 * (Ho / 2.0) / (Hi / 2.0)
    theta[:, 0, 2] = tx / (Wi / 2.0)
    theta[:, 1, 2] = ty / (Hi / 2.0)
    grid = F.affine_grid(theta, [B, 3, Ho, Wo], align_corners=False)
    img_o = F.grid_sample(img, grid, mode="bilinear", padding_mode="zeros", align_corners=False)
    lab_f = (lab.float() + 1.0).unsqueeze(1)
    lab_o = F.grid_sample(lab_f, grid, mode="nearest", padding_mode="zeros", align_corners=False)
    lab_o = lab_o.squeeze(1).long() - 1
    lab_o[lab_o < 0] = ignore
    return img_o, lab_o, flip


def perspective_jitter(img, lab, gen, strength, ignore=255):
    """Random homography per frame: each corner of the frame moves by up to `strength` x the frame size (another
    camera's pitch, yaw and mounting height move the vanishing point and the lanes' slopes). img float [B,3,H,W],
    lab long [B,H,W]; pixels from outside the frame: black, label `ignore`."""
    B, _, H, W = img.shape
    dev = img.device
    src = torch.tensor([[-1.0, -1.0], [1.0, -1.0], [1.0, 1.0], [-1.0, 1.0]], device=dev).expand(B, 4, 2)
    dst = src + (torch.rand(B, 4, 2, generator=gen, device=dev) * 2 - 1) * 2 * strength
    # solve for H mapping output (src corners) to input (dst corners): 8 unknowns, h33 = 1
    rows = []
    for i in range(4):
        x, y = src[:, i, 0], src[:, i, 1]
        u, v = dst[:, i, 0], dst[:, i, 1]
        z, o = torch.zeros_like(x), torch.ones_like(x)
        rows.append(torch.stack([x, y, o, z, z, z, -u * x, -u * y], 1))
        rows.append(torch.stack([z, z, z, x, y, o, -v * x, -v * y], 1))
    A = torch.stack(rows, 1)
    b = dst.reshape(B, 8)
    h = torch.linalg.solve(A, b.unsqueeze(-1)).squeeze(-1)
    Hm = torch.cat([h, torch.ones(B, 1, device=dev)], 1).view(B, 3, 3)
    ys = (torch.arange(H, device=dev, dtype=torch.float32) + 0.5) / H * 2 - 1
    xs = (torch.arange(W, device=dev, dtype=torch.float32) + 0.5) / W * 2 - 1
    gy, gx = torch.meshgrid(ys, xs, indexing="ij")
    pts = torch.stack([gx, gy, torch.ones_like(gx)], -1).view(1, -1, 3)
    q = pts @ Hm.transpose(1, 2)
    grid = (q[..., :2] / q[..., 2:].clamp(min=1e-6)).view(B, H, W, 2)
    img_o = F.grid_sample(img, grid, mode="bilinear", padding_mode="zeros", align_corners=False)
    lab_o = F.grid_sample((lab.float() + 1.0).unsqueeze(1), grid, mode="nearest", padding_mode="zeros",
                          align_corners=False).squeeze(1).long() - 1
    lab_o[lab_o < 0] = ignore
    return img_o, lab_o


def occluders(img, gen, p=0.5, max_boxes=3, top=0.45, min_wh=(0.06, 0.08), max_wh=(0.25, 0.3)):
    """Boxes cut from other frames of the batch (same place) pasted over the part of the frame below `top`
    (fraction of the height): vehicles hiding the markings. Labels are left as they are on purpose (CULane labels
    the lanes under cars, and the planner wants the line there). img float [B,3,H,W]; returns a new tensor."""
    B, _, H, W = img.shape
    dev = img.device
    out = img.clone()
    donor = torch.roll(img, 1, 0)
    ys = torch.arange(H, device=dev).view(1, H, 1)
    xs = torch.arange(W, device=dev).view(1, 1, W)
    for _ in range(max_boxes):
        on = (torch.rand(B, generator=gen, device=dev) < p).view(B, 1, 1)
        bw = (_uniform(gen, B, min_wh[0], max_wh[0], dev) * W).view(B, 1, 1)
        bh = (_uniform(gen, B, min_wh[1], max_wh[1], dev) * H).view(B, 1, 1)
        x0 = (torch.rand(B, generator=gen, device=dev).view(B, 1, 1) * (W - bw))
        y0 = (top * H + torch.rand(B, generator=gen, device=dev).view(B, 1, 1) * ((1 - top) * H - bh)).clamp(min=0)
        m = on & (xs >= x0) & (xs < x0 + bw) & (ys >= y0) & (ys < y0 + bh)
        out = torch.where(m.unsqueeze(1), donor, out)
    return out


def _gauss_kernels(sigma, k=7):
    r = torch.arange(k, device=sigma.device, dtype=torch.float32) - k // 2
    g = torch.exp(-(r[None, :] ** 2) / (2 * sigma[:, None].clamp(min=1e-3) ** 2))
    return g / g.sum(1, keepdim=True)


def photometric(x, gen, cfg):
    """x: float RGB [B,3,H,W] in 0..1. Brightness, contrast, saturation, per-channel gain, blur, noise."""
    B = x.shape[0]
    dev = x.device

    def coin(p):
        return (torch.rand(B, generator=gen, device=dev) < p).float().view(B, 1, 1, 1)

    p = cfg.get("p", 0.8)
    b = cfg.get("brightness", 0.3)
    c = cfg.get("contrast", 0.3)
    s = cfg.get("saturation", 0.3)
    g = cfg.get("gain", 0.05)
    m = coin(p)
    x = x * (1 + m * _uniform(gen, B, -b, b, dev).view(B, 1, 1, 1))
    gray = (0.299 * x[:, 0:1] + 0.587 * x[:, 1:2] + 0.114 * x[:, 2:3])
    m = coin(p)
    mean = gray.mean(dim=(2, 3), keepdim=True)
    x = (x - mean) * (1 + m * _uniform(gen, B, -c, c, dev).view(B, 1, 1, 1)) + mean
    m = coin(p)
    gray = (0.299 * x[:, 0:1] + 0.587 * x[:, 1:2] + 0.114 * x[:, 2:3])
    x = gray + (x - gray) * (1 + m * _uniform(gen, B, -s, s, dev).view(B, 1, 1, 1))
    m = coin(p)
    x = x * (1 + m * (torch.rand(B, 3, 1, 1, generator=gen, device=dev) * 2 - 1) * g)
    bp = cfg.get("blur_p", 0.2)
    if bp > 0:
        sig = _uniform(gen, B, 0.3, cfg.get("blur_sigma", 1.5), dev)
        on = torch.rand(B, generator=gen, device=dev) < bp
        sig = torch.where(on, sig, torch.full_like(sig, 1e-3))
        k = _gauss_kernels(sig)  # [B,7]
        kk = k.repeat_interleave(3, 0)  # [B*3,7]
        H, W = x.shape[-2:]
        y = x.reshape(1, B * 3, H, W)
        y = F.conv2d(F.pad(y, (3, 3, 0, 0), mode="replicate"), kk.view(B * 3, 1, 1, 7), groups=B * 3)
        y = F.conv2d(F.pad(y, (0, 0, 3, 3), mode="replicate"), kk.view(B * 3, 1, 7, 1), groups=B * 3)
        x = y.view(B, 3, H, W)
    npb = cfg.get("noise_p", 0.2)
    if npb > 0:
        sd = coin(npb) * _uniform(gen, B, 0.0, cfg.get("noise_sigma", 0.03), dev).view(B, 1, 1, 1)
        x = x + sd * torch.randn(x.shape, generator=gen, device=dev)
    return x.clamp(0, 1)


def normalize(x):
    mean = torch.tensor(MEAN_RGB, device=x.device).view(1, 3, 1, 1)
    std = torch.tensor(STD_RGB, device=x.device).view(1, 3, 1, 1)
    return (x - mean) / std


def to_float_nchw(img_u8):
    return img_u8.permute(0, 3, 1, 2).float().div_(255.0)


# ------------------------------------------------------------------ losses
def class_weights(labels, ncls, ignore, mode):
    if mode in (None, "none"):
        return None
    cnt = torch.bincount(labels[labels != ignore].flatten().long(), minlength=ncls).float()[:ncls]
    freq = (cnt / cnt.sum()).clamp(min=1e-4)
    if mode == "sqrt_median_freq":
        w = (freq.median() / freq).sqrt()
    elif mode == "median_freq":
        w = freq.median() / freq
    elif mode == "enet":
        w = 1.0 / torch.log(1.02 + freq)
    else:
        raise ValueError(mode)
    w = w.clamp(max=50.0)
    return w / w.mean()


class SegLoss:
    """Cross-entropy, optionally class-weighted, with optional OHEM (Wu et al. 2016 / BiSeNet recipe):
    pixels are SELECTED on the unweighted loss (true-class probability below `thresh`, and at least the
    `min_kept_frac` hardest pixels), then averaged with the class weights (sum w*ce / sum w).
    Fixed shapes and no host sync (so many trainings can share one GPU efficiently)."""

    def __init__(self, ignore, weight=None, ohem=None):
        self.ignore = ignore
        self.weight = weight
        self.ohem = ohem

    def __call__(self, logits, target, ohem=True):
        ce = F.cross_entropy(logits.float(), target, ignore_index=self.ignore, reduction="none").flatten()
        t = target.flatten()
        valid = t != self.ignore
        if self.weight is None:
            w = valid.float()
        else:
            w = self.weight[t.clamp(max=len(self.weight) - 1)] * valid
        if self.ohem and ohem:
            thr = -math.log(self.ohem.get("thresh", 0.7))
            n_min = max(1, int(self.ohem.get("min_kept_frac", 1.0 / 16) * ce.numel()))
            kth = torch.topk(ce, n_min, sorted=False)[0].min()
            keep = (ce >= torch.clamp(kth, max=thr)) & valid
            w = w * keep
        return (ce * w).sum() / w.sum().clamp(min=1e-6)


def poly_lr(it, total, base, warmup, power=0.9, min_ratio=0.0):
    if it < warmup:
        return base * (0.1 + 0.9 * it / max(1, warmup))
    r = (1 - (it - warmup) / max(1, total - warmup)) ** power
    return base * (min_ratio + (1 - min_ratio) * r)


def progress_lr(progress, base, warm_frac, power=0.9):
    """Poly LR on a progress fraction in [0, 1] (linear warmup from 0.1 x base over warm_frac first):
    the time-budgeted schedules use progress = max(iter/iters, elapsed/budget)."""
    if progress < warm_frac:
        return base * (0.1 + 0.9 * progress / max(1e-9, warm_frac))
    return base * max(0.0, (1.0 - progress) / max(1e-9, 1.0 - warm_frac)) ** power


def resolve_extra(extra, override=None):
    """The `data.extra` block of a config ({"root", "split", "ratio"}) with --extra-root applied; None when
    off (no root or ratio 0). A relative root is taken from the working directory (the repo root)."""
    if not extra:
        return None
    extra = dict(extra)
    if override:
        extra["root"] = override
    if not extra.get("root") or not extra.get("ratio"):
        return None
    if not os.path.isdir(extra["root"]):
        raise FileNotFoundError("data.extra.root %s does not exist: make it with training/make_synth_data.py "
                                "(or stage_data.py --run5) or pass --extra-root DIR" % extra["root"])
    return extra


def confusion(pred, target, ncls, ignore):
    k = target != ignore
    return torch.bincount(target[k].long() * ncls + pred[k].long(), minlength=ncls * ncls).view(ncls, ncls)


def iou_from_conf(conf):
    conf = conf.double()
    tp = conf.diag()
    denom = conf.sum(0) + conf.sum(1) - tp
    iou = torch.where(denom > 0, tp / denom.clamp(min=1), torch.zeros_like(tp))
    return iou


class Logger:
    def __init__(self, out_dir):
        os.makedirs(out_dir, exist_ok=True)
        self.jsonl = open(os.path.join(out_dir, "log.jsonl"), "a")
        self.txt = open(os.path.join(out_dir, "log.txt"), "a")

    def log(self, rec, msg=None):
        self.jsonl.write(json.dumps(rec) + "\n")
        self.jsonl.flush()
        if msg is None:
            msg = " ".join("%s=%s" % (k, ("%.4f" % v) if isinstance(v, float) else v) for k, v in rec.items())
        self.txt.write(msg + "\n")
        self.txt.flush()
        print(msg, flush=True)


def autocast_ctx(device, enabled=True):
    if device.type == "cuda" and enabled:
        return torch.autocast("cuda", dtype=torch.bfloat16)
    import contextlib
    return contextlib.nullcontext()


class WallClock:
    def __init__(self, limit_s):
        self.t0 = time.time()
        self.limit = limit_s

    def elapsed(self):
        return time.time() - self.t0

    def expired(self):
        return self.limit is not None and self.limit > 0 and self.elapsed() > self.limit


def add_run_arguments(ap, data_root):
    """The command line every trainer shares: config, data, output folder and the smoke-test limits."""
    ap.add_argument("--config", required=True)
    ap.add_argument("--data-root", default=data_root)
    ap.add_argument("--out", required=True)
    ap.add_argument("--time-limit", type=float, default=0, help="wall-clock guard in seconds (0 = none)")
    ap.add_argument("--iters", type=int, default=0, help="override the config's iterations (smoke tests)")
    ap.add_argument("--limit-images", type=int, default=0, help="use only the first N frames (smoke tests)")
    ap.add_argument("--time-budget", type=float, default=None, help="overrides train.time_budget_s (s)")
    ap.add_argument("--extra-root", default=None, help="overrides data.extra.root (the synthetic set)")


def start_run(args, tf32=False):
    """Loads and seeds the run's config, picks the device (TF32 matmuls on CUDA when `tf32`), writes config.json
    into --out; returns (cfg, device, log)."""
    cfg = load_config(args.config)
    seed_all(cfg["train"].get("seed", 0))
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if device.type == "cuda":
        torch.backends.cudnn.benchmark = True
        if tf32:
            torch.backends.cuda.matmul.allow_tf32 = True
            torch.backends.cudnn.allow_tf32 = True
    torch.set_num_threads(max(1, min(4, os.cpu_count() or 1)))
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "config.json"), "w") as f:
        json.dump(cfg, f, indent=1)
    return cfg, device, Logger(args.out)


def eval_due(budget, eval_marks, progress, it, eval_every, total):
    """Whether the logging step after iteration `it` also evaluates: under a time budget when progress has passed the
    next mark in `eval_marks` (every mark passed is used up), else every `eval_every` iterations and at the last."""
    if budget:
        due = bool(eval_marks) and progress >= eval_marks[0]
        while eval_marks and progress >= eval_marks[0]:
            eval_marks.pop(0)
        return due
    return (it + 1) % eval_every == 0 or it + 1 == total
