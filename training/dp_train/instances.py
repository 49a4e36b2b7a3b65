"""Instance scoring and decoding shared by both instance trainings, written to match the C# node exactly.

- `mask_ap`: COCO-style mask AP (IoU .50:.05:.95, 101-point interpolated precision, at most 100 detections per
  image ranked by score, all images pooled, area range "all", no crowd regions). pycocotools is not on the GPU
  machine, so this is a re-implementation of its `evaluate` + `accumulate` for one category.
- `paste_mask`: the node's MaskRcnnDecoder paste (bilinear sample of the M x M mask at each pixel centre of the
  continuous box, threshold 0.5).
- `decode_maskrcnn`: the node's Mask R-CNN decoding (score threshold, class-wise NMS, top 100, scale, paste).
- `group_centre_offset`: the panoptic grouping of docs/MODEL-CONTRACT.md "Task panoptic, decoder centre-offset".
"""
import numpy as np

IOU_THRESHOLDS = np.linspace(0.5, 0.95, 10)
RECALL_POINTS = np.linspace(0.0, 1.0, 101)


# ------------------------------------------------------------------ COCO mask AP
def mask_iou(dts, gts):
    """IoU of every detection mask with every true mask. dts [D,H,W] bool, gts [G,H,W] bool -> [D,G] float."""
    if len(dts) == 0 or len(gts) == 0:
        return np.zeros((len(dts), len(gts)))
    d = dts.reshape(len(dts), -1).astype(np.float32)
    g = gts.reshape(len(gts), -1).astype(np.float32)
    inter = d @ g.T
    union = d.sum(1)[:, None] + g.sum(1)[None, :] - inter
    return np.where(union > 0, inter / np.maximum(union, 1e-9), 0.0)


def mask_ap(images, max_dets=100):
    """images: list of (dt_masks [D,H,W] bool, dt_scores [D], gt_masks [G,H,W] bool), one per image.
    Returns {"ap", "ap50", "ap75", "n_gt", "n_dt"} as pycocotools would for one category (no crowd)."""
    n_gt = 0
    per_t_scores = []  # all detections (score, matched-per-threshold)
    for dt, sc, gt in images:
        sc = np.asarray(sc, dtype=np.float64)
        order = np.argsort(-sc, kind="mergesort")[:max_dets]  # stable: equal scores keep their order, as COCO
        dt, sc = dt[order], sc[order]
        n_gt += len(gt)
        ious = mask_iou(dt, gt)
        matched = np.zeros((len(IOU_THRESHOLDS), len(dt)), dtype=bool)
        for ti, t in enumerate(IOU_THRESHOLDS):
            gt_taken = np.zeros(len(gt), dtype=bool)
            for di in range(len(dt)):
                # COCO: best still-free gt with IoU >= t (pycocotools uses min(t, 1-1e-10) and '<' to skip)
                best, best_iou = -1, min(t, 1 - 1e-10)
                for gi in range(len(gt)):
                    if gt_taken[gi] or ious[di, gi] < best_iou:
                        continue
                    best, best_iou = gi, ious[di, gi]
                if best >= 0:
                    gt_taken[best] = True
                    matched[ti, di] = True
        per_t_scores.append((sc, matched))
    if not per_t_scores:
        return {"ap": 0.0, "ap50": 0.0, "ap75": 0.0, "n_gt": 0, "n_dt": 0}
    scores = np.concatenate([s for s, _ in per_t_scores])
    tps = np.concatenate([m for _, m in per_t_scores], axis=1)
    order = np.argsort(-scores, kind="mergesort")
    tps = tps[:, order]
    aps = []
    for ti in range(len(IOU_THRESHOLDS)):
        if n_gt == 0:
            aps.append(-1.0)  # COCO: undefined
            continue
        tp = np.cumsum(tps[ti]).astype(np.float64)
        fp = np.cumsum(~tps[ti]).astype(np.float64)
        rc = tp / n_gt
        pr = tp / np.maximum(tp + fp, np.spacing(1))
        # precision envelope (monotone non-increasing from the right), then sample at 101 recall points
        for i in range(len(pr) - 1, 0, -1):
            if pr[i] > pr[i - 1]:
                pr[i - 1] = pr[i]
        inds = np.searchsorted(rc, RECALL_POINTS, side="left")
        q = np.zeros(len(RECALL_POINTS))
        for ri, pi in enumerate(inds):
            if pi < len(pr):
                q[ri] = pr[pi]
        aps.append(q.mean())
    aps = np.array(aps)
    valid = aps[aps >= 0]
    return {"ap": float(valid.mean()) if len(valid) else 0.0, "ap50": float(max(aps[0], 0.0)),
            "ap75": float(max(aps[5], 0.0)), "n_gt": int(n_gt), "n_dt": int(len(scores))}


# ------------------------------------------------------------------ Mask R-CNN decoding (as MaskRcnnDecoder.cs)
def paste_mask(mask, x1, y1, x2, y2, frame_h, frame_w, threshold=0.5):
    """Pastes one M x M probability mask into a frame_h x frame_w bool image. The box is clipped to the frame and
    rounded outwards to whole pixels; a pixel is on when its centre lies inside the continuous box and the
    bilinear sample (cell centres at (i + 0.5) / M of the box, clamped to the edge cells) is >= threshold."""
    out = np.zeros((frame_h, frame_w), dtype=bool)
    m = mask.shape[-1]
    cx1, cy1 = max(0.0, x1), max(0.0, y1)
    cx2, cy2 = min(float(frame_w), x2), min(float(frame_h), y2)
    bx0, by0 = int(np.floor(cx1)), int(np.floor(cy1))
    bx1, by1 = int(np.ceil(cx2)), int(np.ceil(cy2))
    if bx1 <= bx0 or by1 <= by0:
        return out
    eps = np.float32(np.finfo(np.float32).tiny)
    cpx = np.float32(m) / max(np.float32(x2 - x1), eps)
    cpy = np.float32(m) / max(np.float32(y2 - y1), eps)
    cy = np.arange(by0, by1, dtype=np.float32) + 0.5
    cx = np.arange(bx0, bx1, dtype=np.float32) + 0.5
    v = np.clip((cy - np.float32(y1)) * cpy - 0.5, 0, m - 1)
    u = np.clip((cx - np.float32(x1)) * cpx - 0.5, 0, m - 1)
    v0 = v.astype(np.int64)
    u0 = u.astype(np.int64)
    v1 = np.minimum(v0 + 1, m - 1)
    u1 = np.minimum(u0 + 1, m - 1)
    fv = (v - v0)[:, None]
    fu = (u - u0)[None, :]
    mk = mask.reshape(m, m).astype(np.float32)
    top = mk[v0][:, u0] + (mk[v0][:, u1] - mk[v0][:, u0]) * fu
    bot = mk[v1][:, u0] + (mk[v1][:, u1] - mk[v1][:, u0]) * fu
    val = top + (bot - top) * fv
    inside = ((cy >= y1) & (cy <= y2))[:, None] & ((cx >= x1) & (cx <= x2))[None, :]
    out[by0:by1, bx0:bx1] = (val >= threshold) & inside
    return out


def _box_iou(a, b):
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    if w <= 0 or h <= 0:
        return 0.0
    inter = w * h
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def decode_maskrcnn(boxes, scores, labels, masks, in_hw, frame_hw, score_thresh=0.5, nms_iou=0.5, max_dets=100,
                    mask_thresh=0.5):
    """The node's decoding of one frame: boxes [K,4] (model-input pixels), scores [K], labels [K], masks [K,1,M,M].
    Returns a list of (label, score, bool mask [frame_h, frame_w])."""
    keep = [k for k in range(len(scores)) if scores[k] >= score_thresh]
    keep.sort(key=lambda k: (-scores[k], k))
    kept = []
    for k in keep:
        if len(kept) == max_dets:
            break
        if all(labels[j] != labels[k] or _box_iou(boxes[j], boxes[k]) <= nms_iou for j in kept):
            kept.append(k)
    sy = frame_hw[0] / in_hw[0]
    sx = frame_hw[1] / in_hw[1]
    out = []
    for k in kept:
        x1, y1, x2, y2 = [float(v) for v in boxes[k]]
        m = paste_mask(masks[k], x1 * sx, y1 * sy, x2 * sx, y2 * sy, frame_hw[0], frame_hw[1], mask_thresh)
        out.append((int(labels[k]), float(scores[k]), m))
    return out


# ------------------------------------------------------------------ centre-offset grouping (panoptic)
def group_centre_offset(classmap, confidence, centre, offset, thing_ids, stride=4, threshold=0.1, top_k=100,
                        min_pixels=20):
    """The node's grouping for task panoptic / decoder centre-offset, one frame at model-input size.
    classmap uint8 [H,W], confidence uint8 [H,W], centre float [H/s,W/s] (already max-pool NMS-ed in the graph),
    offset float [2,H/s,W/s] (dy, dx). Returns a list of (class_id, score, bool mask [H,W]) in peak order."""
    h, w = classmap.shape
    flat = centre.reshape(-1)
    cand = np.nonzero(flat >= threshold)[0]
    # strongest first; equal values in row-major cell order (stable sort on the cell index order)
    cand = cand[np.argsort(-flat[cand], kind="mergesort")][:top_k]
    if len(cand) == 0:
        return []
    gw = centre.shape[1]
    py = (cand // gw + 0.5) * stride
    px = (cand % gw + 0.5) * stride
    thing = np.isin(classmap, np.asarray(thing_ids))
    ys, xs = np.nonzero(thing)
    if len(ys) == 0:
        return []
    cy = np.minimum(ys // stride, centre.shape[0] - 1)
    cx = np.minimum(xs // stride, gw - 1)
    vy = ys.astype(np.float32) + offset[0, cy, cx].astype(np.float32)
    vx = xs.astype(np.float32) + offset[1, cy, cx].astype(np.float32)
    d2 = (vy[:, None] - py[None, :].astype(np.float32)) ** 2 + (vx[:, None] - px[None, :].astype(np.float32)) ** 2
    owner = np.argmin(d2, axis=1)  # first minimum: ties go to the stronger (earlier) peak
    out = []
    cls_px = classmap[ys, xs]
    conf_px = confidence[ys, xs].astype(np.float64) / 255.0
    for k in range(len(cand)):
        sel = owner == k
        n = int(sel.sum())
        if n < min_pixels:
            continue
        counts = np.bincount(cls_px[sel], minlength=int(max(thing_ids)) + 1)
        cls = int(np.argmax(counts))  # ties: lowest class id
        score = float(flat[cand[k]]) * float(conf_px[sel].mean())
        m = np.zeros((h, w), dtype=bool)
        m[ys[sel], xs[sel]] = True
        out.append((cls, score, m))
    return out
