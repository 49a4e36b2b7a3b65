#!/usr/bin/env python3
"""Stage the data the device needs into .carry/data (git-ignored), small enough for one device call
(64 MiB with the repo): CamVid as it is; CULane images halved to 820x295 JPEG q90 (labels and polylines
kept at full size for scoring).   Usage: /usr/bin/python3 training/stage_data.py [--shared ../shared/data]"""
import argparse
import os
import shutil

import cv2

ap = argparse.ArgumentParser()
ap.add_argument("--shared", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "data"))
ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".carry", "data"))
a = ap.parse_args()
src_cv, dst_cv = os.path.join(a.shared, "camvid"), os.path.join(a.out, "camvid")
if not os.path.exists(dst_cv):
    shutil.copytree(src_cv, dst_cv)
src, dst = os.path.join(a.shared, "culane-subset"), os.path.join(a.out, "culane-subset")
for d in ("images", "labels", "lines"):
    os.makedirs(os.path.join(dst, d), exist_ok=True)
for f in ("train.txt", "val.txt"):
    shutil.copy(os.path.join(src, f), dst)
for n in sorted(os.listdir(os.path.join(src, "images"))):
    im = cv2.imread(os.path.join(src, "images", n))
    im = cv2.resize(im, (im.shape[1] // 2, im.shape[0] // 2), interpolation=cv2.INTER_AREA)
    cv2.imwrite(os.path.join(dst, "images", n), im, [cv2.IMWRITE_JPEG_QUALITY, 90])
for d in ("labels", "lines"):
    for n in os.listdir(os.path.join(src, d)):
        shutil.copy(os.path.join(src, d, n), os.path.join(dst, d, n))
print("staged into", os.path.abspath(a.out))
