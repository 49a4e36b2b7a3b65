#!/usr/bin/env python3
"""How big the ground-truth instances of a `synth --dataset` folder are (issue #3: why are synthetic pedestrians
found badly?). Reads instances/SPLIT/NAME.png (16-bit ids) and labels/SPLIT/NAME.png (CamVid class ids): an id's
class is the label under its pixels, so it also works on the shrunk sets of make_synth_data.py (which drop
groundtruth/). The box is the tight box of the visible pixels, as the eval's ground truth is.

    /usr/bin/python3 training/analysis/synth_instance_sizes.py DATASET [DATASET ...] [--class pedestrian] [--json OUT]

Prints, per dataset: instances, frames with one, box-height buckets (<24, 24-48, >=48 px, the buckets the AP-by-size
analysis uses) and COCO area buckets (small < 32^2, medium < 96^2, large), and height/area percentiles.
"""
import argparse
import json
import os
import sys

import cv2
import numpy as np

CLASSES = {"car": 8, "pedestrian": 9, "bicyclist": 10}
HEIGHT_BUCKETS = [("h<24", 0, 24), ("h24-48", 24, 48), ("h>=48", 48, 1e9)]
AREA_BUCKETS = [("small", 0, 32 ** 2), ("medium", 32 ** 2, 96 ** 2), ("large", 96 ** 2, 1e12)]


def bucket(value, buckets):
    return next(name for name, lo, hi in buckets if lo <= value < hi)


def frame_instances(dataset, split, name, class_id):
    """(id, area, box x, y, w, h) of every instance of class_id in one frame."""
    ids = cv2.imread(os.path.join(dataset, "instances", split, name + ".png"), cv2.IMREAD_UNCHANGED)
    labels = cv2.imread(os.path.join(dataset, "labels", split, name + ".png"), cv2.IMREAD_UNCHANGED)
    if ids is None or labels is None:
        sys.exit("%s: missing instances/ or labels/ PNG for %s (a synth --dataset folder has both)" % (dataset, name))
    out = []
    for i in np.unique(ids[labels == class_id]):
        if i == 0:
            continue
        ys, xs = np.nonzero(ids == i)
        out.append((int(i), len(xs), int(xs.min()), int(ys.min()), int(xs.max() - xs.min() + 1), int(ys.max() - ys.min() + 1)))
    return out


def summarize(dataset, split, class_id):
    names = [l.strip() for l in open(os.path.join(dataset, split + ".txt")) if l.strip()]
    rows = []
    for n in names:
        rows += [(n,) + r for r in frame_instances(dataset, split, n, class_id)]
    h = np.array([r[6] for r in rows]) if rows else np.zeros(0)
    a = np.array([r[2] for r in rows]) if rows else np.zeros(0)
    pct = lambda v: {p: float(np.percentile(v, p)) for p in (10, 50, 90)} if len(v) else {}
    return {
        "dataset": dataset, "frames": len(names), "instances": len(rows),
        "frames_with_one": len({r[0] for r in rows}),
        # a track is one id within one clip (names are SCENARIO_sSEED_FFFFF; ids restart in every clip)
        "tracks": len({(r[0].rsplit("_", 1)[0], r[1]) for r in rows}),
        "height_buckets": {b[0]: int(sum(bucket(x, HEIGHT_BUCKETS) == b[0] for x in h)) for b in HEIGHT_BUCKETS},
        "area_buckets": {b[0]: int(sum(bucket(x, AREA_BUCKETS) == b[0] for x in a)) for b in AREA_BUCKETS},
        "height_px_p10_p50_p90": pct(h), "area_px_p10_p50_p90": pct(a),
        "height_max": int(h.max()) if len(h) else 0,
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("datasets", nargs="+")
    ap.add_argument("--split", default="synthetic")
    ap.add_argument("--class", dest="cls", default="pedestrian", choices=sorted(CLASSES))
    ap.add_argument("--json")
    a = ap.parse_args()
    res = [summarize(d, a.split, CLASSES[a.cls]) for d in a.datasets]
    print("| dataset | frames | %s instances (tracks) | box h <24 / 24-48 / >=48 px | COCO small / medium / large | "
          "box h p10 / p50 / p90 / max | area p10 / p50 / p90 |" % a.cls)
    print("|---|---|---|---|---|---|---|")
    for r in res:
        hb, ab, hp, app = r["height_buckets"], r["area_buckets"], r["height_px_p10_p50_p90"], r["area_px_p10_p50_p90"]
        f = lambda d: " / ".join("%.0f" % d[k] for k in (10, 50, 90)) if d else "-"
        print("| %s | %d | %d (%d) | %s | %s | %s / %d | %s |" % (
            os.path.basename(os.path.normpath(r["dataset"])), r["frames"], r["instances"], r["tracks"],
            " / ".join(str(v) for v in hb.values()), " / ".join(str(v) for v in ab.values()), f(hp), r["height_max"], f(app)))
    if a.json:
        with open(a.json, "w") as fh:
            json.dump(res, fh, indent=1)


if __name__ == "__main__":
    main()
