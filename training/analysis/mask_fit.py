#!/usr/bin/env python3
"""How well do published masks fit the true objects of a synthetic dataset, by object height? (issue #3)

    /usr/bin/python3 training/analysis/mask_fit.py DATASET --model M [--semantic-model M] [--class pedestrian|vehicle]

Runs the node over DATASET (`synth --dataset` layout, split `synthetic`) as instance_ap_by_size.py does, matches each
true object of 12-23 and 24-47 px height to the published detection of best mask IoU, and prints per range: how many
any detection overlaps, the median best IoU, the share at IoU >= 0.5, and for the overlapped ones the median
detection / truth area, the share of the truth covered and the share of the detection's pixels on no object of the
class. Session 4 used it to find that camvid-panoptic's masks of 12-23 px pedestrians were 2.9x their area
(models/README.md, "Session 4"), which `min_confidence` in the card addresses.
"""
import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import instance_ap_by_size as ap  # noqa: E402  (node capture, truth and detection decoding)

CLASSES = {"pedestrian": ({9, 10}, {"pedestrian", "bicyclist"}, ap.dpc.PEDESTRIANS),
           "vehicle": ({8}, {"car", "vehicle"}, ap.dpc.VEHICLES)}
RANGES = ((12, 24), (24, 48))


def main():
    a = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    a.add_argument("dataset")
    a.add_argument("--model", required=True)
    a.add_argument("--semantic-model", default="models/camvid-fast.onnx", help="class map for a Mask R-CNN --model")
    a.add_argument("--class", dest="cls", choices=sorted(CLASSES), default="pedestrian")
    args = a.parse_args()
    label_ids, names_of_class, topic = CLASSES[args.cls]
    names, got = ap.capture(args.dataset, "synthetic", args.model, args.semantic_model, topic, False, [])
    rows = []  # height, best IoU, det/truth area, truth covered, det share on no object of the class
    for k, name in enumerate(names):
        gts, shape = ap.truth(args.dataset, "synthetic", name, label_ids)
        dts = ap.detections(got[k][0], names_of_class, shape)
        anything = np.zeros(shape, bool)
        for g in gts:
            anything |= g["mask"]
        for g in gts:
            if not RANGES[0][0] <= g["h"] < RANGES[-1][1]:
                continue
            best = (0.0, 0.0, 0.0, 0.0)
            for d in dts:
                inter = int((g["mask"] & d["mask"]).sum())
                if inter == 0:
                    continue
                iou = inter / int((g["mask"] | d["mask"]).sum())
                if iou > best[0]:
                    best = (iou, d["area"] / g["area"], inter / g["area"], int((d["mask"] & ~anything).sum()) / d["area"])
            rows.append((g["h"],) + best)
    r = np.array(rows, float).reshape(-1, 5)
    for lo, hi in RANGES:
        s = r[(r[:, 0] >= lo) & (r[:, 0] < hi)]
        hit = s[s[:, 1] > 0]
        if len(s) == 0:
            print("h%d-%d: no true %s" % (lo, hi, args.cls))
            continue
        med = (lambda c: "%.2f" % np.median(hit[:, c])) if len(hit) else (lambda c: "n/a")
        print("h%d-%d: %d true, %d overlapped; best IoU median %.2f, IoU >= 0.5 for %.2f | overlapped: detection / truth "
              "area %s, truth covered %s, detection on no %s %s" % (lo, hi, len(s), len(hit), np.median(s[:, 1]),
                                                                    (s[:, 1] >= 0.5).mean(), med(2), med(3), args.cls, med(4)))


if __name__ == "__main__":
    main()
