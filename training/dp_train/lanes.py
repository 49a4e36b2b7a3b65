"""CULane data, polyline extraction (the same rule the C# node uses) and CULane-style F1."""
import itertools
import os

import cv2
import numpy as np

FULL_W, FULL_H = 1640, 590
SLOTS = ["background", "second_left", "ego_left", "ego_right", "second_right"]


def read_lines(path):
    lanes = []
    if not os.path.exists(path):
        return lanes
    with open(path) as f:
        for line in f:
            v = [float(t) for t in line.split()]
            if len(v) >= 4:
                lanes.append(np.array(v, dtype=np.float64).reshape(-1, 2))
    return lanes


def load_culane(root, split, full_labels=False):
    """Images as stored under root/images (any size; the staging step halves them), labels as slot ids
    (value/5) resized with nearest to the image size, or at full size when full_labels. RGB uint8."""
    names = [l.strip() for l in open(os.path.join(root, split + ".txt")) if l.strip()]
    imgs, labs, lines = [], [], []
    for n in names:
        im = cv2.cvtColor(cv2.imread(os.path.join(root, "images", n + ".jpg"), cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)
        lb = cv2.imread(os.path.join(root, "labels", n + ".png"), cv2.IMREAD_UNCHANGED) // 5
        if not full_labels and lb.shape != im.shape[:2]:
            lb = cv2.resize(lb, (im.shape[1], im.shape[0]), interpolation=cv2.INTER_NEAREST)
        imgs.append(im)
        labs.append(lb)
        lines.append(read_lines(os.path.join(root, "lines", n + ".lines.txt")))
    return names, imgs, labs, lines


def model_input_bgr(img_rgb, w, h):
    """What the node does: the whole frame resized to the model's input size (BGR uint8 HWC)."""
    return cv2.resize(cv2.cvtColor(img_rgb, cv2.COLOR_RGB2BGR), (w, h), interpolation=cv2.INTER_AREA)


def extract_polylines(lane_mask, lane_exist, frame_w=FULL_W, frame_h=FULL_H, exist_thr=0.5):
    """lane_mask: [h,w] uint8 slot ids at model output size; lane_exist: [4] probabilities.
    For each slot k in 1..4 with lane_exist[k-1] > 0.5 and pixels in >= 2 rows: for every row that has
    pixels of slot k, x = mean column of those pixels; (x, y) scaled to the frame by pixel centres:
    X = (x + 0.5) * frame_w / w - 0.5, Y = (y + 0.5) * frame_h / h - 0.5; points in row order (top to bottom).
    Returns {slot: array [n,2]}."""
    h, w = lane_mask.shape
    out = {}
    for k in range(1, 5):
        if lane_exist[k - 1] <= exist_thr:
            continue
        ys, xs = np.nonzero(lane_mask == k)
        if ys.size == 0:
            continue
        rows = np.unique(ys)
        if rows.size < 2:
            continue
        sums = np.bincount(ys, weights=xs, minlength=h)
        cnts = np.bincount(ys, minlength=h)
        mx = sums[rows] / cnts[rows]
        pts = np.stack([(mx + 0.5) * frame_w / w - 0.5, (rows + 0.5) * frame_h / h - 0.5], 1)
        out[k] = pts
    return out


def draw_lane(pts, w=FULL_W, h=FULL_H, thickness=30):
    m = np.zeros((h, w), np.uint8)
    p = np.round(pts).astype(np.int32).reshape(-1, 1, 2)
    cv2.polylines(m, [p], False, 1, thickness=thickness)
    return m


def match_frame(pred_lanes, gt_lanes, iou_thr=0.5):
    """CULane matching: IoU of 30-px drawings; one-to-one assignment maximising total IoU
    (exhaustive; at most a handful of lanes); a pair with IoU >= thr is a true positive."""
    P = [draw_lane(p) for p in pred_lanes]
    G = [draw_lane(g) for g in gt_lanes]
    if not P or not G:
        return 0, len(P), len(G)
    iou = np.zeros((len(P), len(G)))
    for i, a in enumerate(P):
        for j, b in enumerate(G):
            inter = np.logical_and(a, b).sum()
            union = np.logical_or(a, b).sum()
            iou[i, j] = inter / union if union else 0.0
    best = 0.0
    best_tp = 0
    if len(P) <= len(G):
        for perm in itertools.permutations(range(len(G)), len(P)):
            v = [iou[i, j] for i, j in enumerate(perm)]
            s = sum(v)
            if s > best:
                best, best_tp = s, sum(1 for x in v if x >= iou_thr)
    else:
        for perm in itertools.permutations(range(len(P)), len(G)):
            v = [iou[i, j] for j, i in enumerate(perm)]
            s = sum(v)
            if s > best:
                best, best_tp = s, sum(1 for x in v if x >= iou_thr)
    return best_tp, len(P) - best_tp, len(G) - best_tp


class LaneScorer:
    """Accumulates CULane F1 (from polylines) and per-slot pixel IoU (mask upsampled, nearest, to the
    label size) over a split."""

    def __init__(self):
        self.tp = self.fp = self.fn = 0
        self.inter = np.zeros(5)
        self.union = np.zeros(5)
        self.exist_correct = 0
        self.exist_total = 0

    def add(self, lane_mask, lane_exist, gt_lines, gt_label=None):
        pred = extract_polylines(lane_mask, lane_exist)
        tp, fp, fn = match_frame(list(pred.values()), gt_lines)
        self.tp += tp
        self.fp += fp
        self.fn += fn
        if gt_label is not None:
            up = cv2.resize(lane_mask, (gt_label.shape[1], gt_label.shape[0]), interpolation=cv2.INTER_NEAREST)
            for k in range(5):
                a, b = up == k, gt_label == k
                self.inter[k] += np.logical_and(a, b).sum()
                self.union[k] += np.logical_or(a, b).sum()
            for k in range(1, 5):
                self.exist_correct += int((lane_exist[k - 1] > 0.5) == bool((gt_label == k).any()))
                self.exist_total += 1

    def result(self):
        p = self.tp / max(1, self.tp + self.fp)
        r = self.tp / max(1, self.tp + self.fn)
        f1 = 2 * p * r / max(1e-9, p + r)
        iou = {SLOTS[k]: float(self.inter[k] / self.union[k]) if self.union[k] else None for k in range(5)}
        lane_ious = [iou[SLOTS[k]] for k in range(1, 5) if iou[SLOTS[k]] is not None]
        return {"f1": f1, "precision": p, "recall": r, "tp": self.tp, "fp": self.fp, "fn": self.fn,
                "per_slot_iou": iou, "mean_lane_iou": float(np.mean(lane_ious)) if lane_ious else None,
                "exist_accuracy": self.exist_correct / max(1, self.exist_total)}


def line_slots(label_full, lines, probe_px=16):
    """Slot id (1..4) of each lines.txt polyline: majority of the label PNG's slot values under the line drawn
    `probe_px` wide at full size; 0 when the label has no lane pixels there. label_full: [590,1640] slot ids."""
    out = []
    for pts in lines:
        m = draw_lane(pts, label_full.shape[1], label_full.shape[0], probe_px)
        v = label_full[m > 0]
        v = v[(v > 0) & (v < 5)]
        out.append(int(np.bincount(v, minlength=5).argmax()) if v.size else 0)
    return out


def thick_label(label_full, lines, out_w, out_h, thickness_full=30, thickness_px=0):
    """Training target with thicker lanes: every lines.txt polyline of a known slot drawn `thickness_full` px
    wide (in full-frame pixels; scaled to out_w x out_h), or `thickness_px` output pixels wide when given,
    outer slots first so the ego lanes win overlaps;
    pixels of the original label that the drawing misses are kept. Returns uint8 [out_h, out_w] slot ids."""
    fh, fw = label_full.shape
    sx, sy = out_w / fw, out_h / fh
    t = int(thickness_px) if thickness_px else max(1, int(round(thickness_full * (sx + sy) / 2)))
    out = np.zeros((out_h, out_w), np.uint8)
    slots = line_slots(label_full, lines)
    order = sorted(range(len(lines)), key=lambda i: {1: 0, 4: 0, 2: 1, 3: 1}.get(slots[i], 0))
    for i in order:
        k = slots[i]
        if k == 0:
            continue
        p = (lines[i] + 0.5) * np.array([sx, sy]) - 0.5  # pixel-centre mapping
        p = np.round(p * 4).astype(np.int32).reshape(-1, 1, 2)  # 2 fractional bits (shift=2)
        cv2.polylines(out, [p], False, int(k), thickness=t, lineType=cv2.LINE_8, shift=2)
    orig = cv2.resize(label_full, (out_w, out_h), interpolation=cv2.INTER_NEAREST)
    return np.where((out == 0) & (orig > 0) & (orig < 5), orig, out).astype(np.uint8)


def load_lane_dataset(root, split):
    """Lane frames of a second dataset for mixing into training, with full-size slot labels and polylines:
    the CULane layout (root/SPLIT.txt, images/NAME.jpg, labels/NAME.png = 5 x slot, lines/NAME.lines.txt), or the
    node's synthetic dataset writer layout as training/make_synth_data.py leaves it (root/culane/SPLIT.txt,
    root/images/SPLIT/NAME.jpg|png, root/lanes/SPLIT/NAME.png = slot ids 0..4, root/culane/lines/NAME.lines.txt;
    culane/images and culane/labels are used when present). Frames keep their own size (synthetic: 480x360).
    Returns names, RGB images, slot-id labels at image size, polylines in image pixels."""
    if os.path.exists(os.path.join(root, split + ".txt")) and os.path.isdir(os.path.join(root, "lines")):
        return load_culane(root, split, full_labels=True)
    cu = os.path.join(root, "culane")
    lst = os.path.join(cu, split + ".txt")
    if not os.path.exists(lst):
        raise FileNotFoundError("no lane dataset at %s: expected %s/SPLIT.txt + lines/ (CULane) or culane/%s.txt "
                                "(make_synth_data.py output)" % (root, root, split))
    names = [l.strip() for l in open(lst) if l.strip()]
    imgs, labs, lines = [], [], []
    for n in names:
        ip = None
        for cand in (os.path.join(cu, "images", n + ".png"), os.path.join(cu, "images", n + ".jpg"),
                     os.path.join(root, "images", split, n + ".jpg"), os.path.join(root, "images", split, n + ".png")):
            if os.path.exists(cand):
                ip = cand
                break
        if ip is None:
            raise FileNotFoundError("image of %s not found under %s" % (n, root))
        im = cv2.cvtColor(cv2.imread(ip, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)
        lp = os.path.join(cu, "labels", n + ".png")
        if os.path.exists(lp):
            lb = cv2.imread(lp, cv2.IMREAD_UNCHANGED) // 5
        else:
            lb = cv2.imread(os.path.join(root, "lanes", split, n + ".png"), cv2.IMREAD_UNCHANGED)
        if lb is None or lb.shape != im.shape[:2]:
            raise ValueError("lane label of %s missing or not the image size (%s)" % (n, root))
        imgs.append(im)
        labs.append(lb.astype(np.uint8))
        lines.append(read_lines(os.path.join(cu, "lines", n + ".lines.txt")))
    return names, imgs, labs, lines


def fit_lane_frames(imgs, labs, lines, out_w, out_h, thickness_px=0):
    """Bring frames of another size (e.g. synthetic 480x360) to the main set's stored frame size out_w x out_h,
    the whole frame stretched as the node stretches any frame to the model input (so a 4:3 synthetic frame is
    squashed exactly as it is at inference). Images: INTER_AREA when shrinking, INTER_LINEAR when enlarging;
    labels: with thickness_px the polylines drawn that many stored-frame pixels wide (thick_label: the same
    target width as the main set's), else the slot labels resized with nearest. Returns lists of uint8 arrays."""
    oi, ol = [], []
    for im, lb, ln in zip(imgs, labs, lines):
        h, w = im.shape[:2]
        interp = cv2.INTER_AREA if (out_w < w and out_h < h) else cv2.INTER_LINEAR
        oi.append(cv2.resize(im, (out_w, out_h), interpolation=interp))
        if thickness_px:
            ol.append(thick_label(lb, ln, out_w, out_h, thickness_px=thickness_px))
        else:
            ol.append(cv2.resize(lb, (out_w, out_h), interpolation=cv2.INTER_NEAREST))
    return oi, ol
