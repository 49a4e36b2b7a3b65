"""Models on the ImageNet-pretrained ResNet-18 encoder (dp_train.backbones, issue #14).

- `R18Seg`: ResNet-18 (stem + layer1-3, stride 16) -> a context block (global pool + dilated 3x3 + 1x1) -> an FPN-style
  top-down decoder to stride 4 -> class logits at the input size. With `exist_head` it is the lane model of the
  contract (5 classes = background + 4 slots, plus a per-slot existence head); without, a CamVid semantic model.
- `R18LaneRows`: the row-anchor lane head of Ultra-Fast-Lane-Detection on the same encoder: the stride-16 map squeezed to
  8 channels, flattened (global context: every row's decision sees the whole frame), an MLP, and per (row anchor,
  slot) a classification over `cells` horizontal grid cells plus "absent". In eval mode it renders its rows into the
  per-pixel slot logits the lane contract publishes (each slot's line drawn `half_width` px either side of the
  expected cell position, between anchors linearly interpolated), so export, the node and the scorer stay as they are.
All take the project's normalised RGB (the contract's in-graph normalisation); the encoder adapts it to the
pretrained convention itself.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

from .backbones import ResNet18, load_pretrained
from .models import ConvBNReLU, SegHead, _up


def _encoder(pretrained, layers):
    enc = ResNet18(layers=layers)
    meta = load_pretrained(enc, pretrained) if pretrained else None
    return enc, meta


class ExistHead(nn.Module):
    """Per-slot lane existence from the deepest features: 1x1 squeeze, pooled grid, MLP (as the scratch lane model)."""

    def __init__(self, cin, grid=(3, 8), squeeze=32, hidden=128):
        super().__init__()
        self.squeeze = ConvBNReLU(cin, squeeze, 1)
        self.pool = nn.AdaptiveAvgPool2d(tuple(grid))
        self.mlp = nn.Sequential(nn.Linear(squeeze * grid[0] * grid[1], hidden), nn.ReLU(inplace=True), nn.Dropout(0.1),
                                 nn.Linear(hidden, 4))

    def forward(self, x):
        return self.mlp(self.pool(self.squeeze(x)).flatten(1))


class Context(nn.Module):
    """Image-level pooling + a dilated 3x3 + a 1x1 on the deepest map, fused (a light ASPP)."""

    def __init__(self, cin, cout, dilation=2):
        super().__init__()
        self.b1 = ConvBNReLU(cin, cout, 1)
        self.b2 = ConvBNReLU(cin, cout, 3, d=dilation)
        self.gp = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Conv2d(cin, cout, 1, bias=False), nn.ReLU(inplace=True))
        self.fuse = ConvBNReLU(3 * cout, cout, 1)

    def forward(self, x):
        g = self.gp(x).expand(-1, -1, x.shape[2], x.shape[3])
        return self.fuse(torch.cat([self.b1(x), self.b2(x), g], 1))


class R18Seg(nn.Module):
    def __init__(self, num_classes, pretrained=None, layers=3, decoder=96, exist_head=False, exist_grid=(3, 8),
                 dropout=0.1):
        super().__init__()
        self.enc, self.pretrained_meta = _encoder(pretrained, layers)
        ch = self.enc.channels
        self.context = Context(ch[-1], decoder)
        self.lateral = nn.ModuleList([ConvBNReLU(c, decoder, 1) for c in ch[:-1]])
        self.smooth = nn.ModuleList([ConvBNReLU(decoder, decoder, 3) for _ in ch[:-1]])
        self.head = SegHead(decoder, decoder, num_classes, dropout)
        self.aux = SegHead(decoder, 64, num_classes, dropout)  # deep supervision on the stride-16 context
        self.exist = ExistHead(ch[-1], exist_grid) if exist_head else None

    def forward(self, x):
        size = x.shape[-2:]
        feats = self.enc(x)
        top = self.context(feats[-1])
        y = top
        for i in reversed(range(len(feats) - 1)):
            y = self.smooth[i](_up(y, feats[i].shape[-2:]) + self.lateral[i](feats[i]))
        out = {"out": _up(self.head(y), size)}
        if self.training:
            out["aux"] = [self.aux(top)]
        if self.exist is not None:
            out["exist"] = self.exist(feats[-1])
        return out


class R18LaneRows(nn.Module):
    def __init__(self, pretrained=None, height=192, width=512, rows=24, row_top=64, cells=50, hidden=256, squeeze=8,
                 half_width=4.7, exist_grid=(3, 8)):
        super().__init__()
        self.enc, self.pretrained_meta = _encoder(pretrained, 3)
        c = self.enc.channels[-1]
        fh, fw = -(-height // 16), -(-width // 16)
        self.squeeze = ConvBNReLU(c, squeeze, 1)
        self.mlp = nn.Sequential(nn.Linear(squeeze * fh * fw, hidden), nn.ReLU(inplace=True), nn.Dropout(0.1),
                                 nn.Linear(hidden, (cells + 1) * rows * 4))
        self.exist = ExistHead(c, exist_grid)
        self.rows, self.cells, self.height, self.width = rows, cells, height, width
        anchors = torch.linspace(row_top, height - 1, rows)
        self.register_buffer("anchor_rows", anchors.round().long(), persistent=False)
        # linear interpolation from anchors to every output row (zero above the first anchor): [height, rows]
        interp = torch.zeros(height, rows)
        a = anchors.round()
        for y in range(height):
            if y < a[0]:
                continue
            j = int(torch.searchsorted(a, torch.tensor(float(y)), right=True)) - 1
            j = min(j, rows - 2)
            t = float((y - a[j]) / (a[j + 1] - a[j]))
            interp[y, j], interp[y, j + 1] = 1 - t, t
        self.register_buffer("interp", interp, persistent=False)
        self.register_buffer("centres", (torch.arange(cells) + 0.5) * width / cells - 0.5, persistent=False)
        self.register_buffer("xgrid", torch.arange(width, dtype=torch.float32), persistent=False)
        self.sigma = half_width / 1.1774  # score > 0.5 within half_width of the centre at full validity

    def forward(self, x):
        f = self.enc(x)[-1]
        r = self.mlp(self.squeeze(f).flatten(1)).view(-1, self.cells + 1, self.rows, 4)
        e = self.exist(f)
        if self.training:
            return {"rows": r, "exist": e}
        return {"out": self.render(r), "exist": e}

    def render(self, r):
        """Row logits [N, cells+1, rows, 4] -> slot logits [N, 5, H, W] (background 0; slot k > 0 where its score
        exceeds 0.5)."""
        p = torch.softmax(r.float(), 1)  # float32 even in an fp16 export: the buffers follow
        interp, centres, xgrid = self.interp.float(), self.centres.float(), self.xgrid.float()
        valid = 1.0 - p[:, self.cells]                                    # [N, rows, 4]
        pc = p[:, :self.cells]
        pos = (pc * centres.view(1, -1, 1, 1)).sum(1) / pc.sum(1).clamp(min=1e-6)  # [N, rows, 4] px
        vw = torch.einsum("hr,nrs->nsh", interp, valid)                    # [N, 4, H]
        pw = torch.einsum("hr,nrs->nsh", interp, pos * valid) / vw.clamp(min=1e-6)
        d = xgrid.view(1, 1, 1, -1) - pw.unsqueeze(-1)                     # [N, 4, H, W]
        score = vw.unsqueeze(-1) * torch.exp(-d * d / (2 * self.sigma ** 2))
        return torch.cat([torch.zeros_like(score[:, :1]), 10.0 * (score - 0.5)], 1)

    def row_targets(self, y, ignore=255):
        """Slot labels [N,H,W] (0..4, `ignore`) -> per (anchor row, slot) cell targets [N, rows, 4]: the cell of the
        mean column of the slot's pixels on that row (the node's polyline rule), `cells` when absent, -100 where the
        whole row is outside the image after augmentation."""
        yr = y[:, self.anchor_rows]                                        # [N, rows, W]
        cols = torch.arange(y.shape[-1], device=y.device, dtype=torch.float32)
        out = []
        for k in range(1, 5):
            m = (yr == k).float()
            cnt = m.sum(-1)
            mx = (m * cols).sum(-1) / cnt.clamp(min=1)
            cell = ((mx + 0.5) * self.cells / y.shape[-1]).floor().long().clamp(0, self.cells - 1)
            out.append(torch.where(cnt > 0, cell, torch.full_like(cell, self.cells)))
        t = torch.stack(out, -1)
        outside = (yr == ignore).all(-1, keepdim=True).expand_as(t)
        return torch.where(outside, torch.full_like(t, -100), t)

    def row_loss(self, r, t, loc_weight=0.05):
        """CE over cells + absent, plus an L1 on the expected cell of present rows (UFLD's expectation)."""
        loss = F.cross_entropy(r.float(), t, ignore_index=-100)
        present = (t >= 0) & (t < self.cells)
        if loc_weight and present.any():
            pc = torch.softmax(r.float()[:, :self.cells], 1)
            exp = (pc * torch.arange(self.cells, device=r.device, dtype=torch.float32).view(1, -1, 1, 1)).sum(1)
            loss = loss + loc_weight * (exp[present] - t[present].float()).abs().mean()
        return loss
