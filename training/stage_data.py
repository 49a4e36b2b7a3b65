#!/usr/bin/env python3
"""Stage the data the device needs into .carry/data (git-ignored), small enough for one device call
(64 MiB with the repo): CamVid as it is; CULane images halved to 820x295 JPEG q90 (labels and polylines
kept at full size for scoring).   Usage: /usr/bin/python3 training/stage_data.py [--shared ../shared/data] [--slim .carry/run4]"""
import argparse
import os
import shutil

import cv2

ap = argparse.ArgumentParser()
ap.add_argument("--shared", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "data"))
ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".carry", "data"))
ap.add_argument("--slim", default=None, help="also write the smaller copy described at the end (e.g. .carry/run4)")
a = ap.parse_args()
src_cv, dst_cv = os.path.join(a.shared, "camvid"), os.path.join(a.out, "camvid")
if not os.path.exists(dst_cv):
    shutil.copytree(src_cv, dst_cv)
src, dst = os.path.join(a.shared, "culane-subset"), os.path.join(a.out, "culane-subset")
if not (a.slim and os.path.exists(os.path.join(dst, "val.txt"))):  # with --slim an existing copy is reused
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
print("staged into (or reused)", os.path.abspath(a.out))

# --slim DIR: a smaller copy for a device call that also carries the tracked models/ (64 MiB limit in all):
# CULane val images = the same halved q90 files as above (scores stay comparable); CULane train images halved
# from the originals at JPEG q80; CamVid val as is; CamVid train only the 80 frames quantize_int8.py uses
# (64 calibration + 16 for choosing the calibration method, evenly spaced, listed in calib.txt), re-encoded q85.
if a.slim:
    import numpy as np
    cu, cv = os.path.join(a.slim, "culane-subset"), os.path.join(a.slim, "camvid")
    for d in ("images", "labels", "lines"):
        os.makedirs(os.path.join(cu, d), exist_ok=True)
    for f in ("train.txt", "val.txt"):
        shutil.copy(os.path.join(dst, f), cu)
    for d in ("labels", "lines"):
        for n in os.listdir(os.path.join(dst, d)):
            shutil.copy(os.path.join(dst, d, n), os.path.join(cu, d, n))
    for n in open(os.path.join(dst, "val.txt")).read().split():
        shutil.copy(os.path.join(dst, "images", n + ".jpg"), os.path.join(cu, "images"))
    for n in open(os.path.join(dst, "train.txt")).read().split():
        im = cv2.imread(os.path.join(src, "images", n + ".jpg"))
        im = cv2.resize(im, (im.shape[1] // 2, im.shape[0] // 2), interpolation=cv2.INTER_AREA)
        cv2.imwrite(os.path.join(cu, "images", n + ".jpg"), im, [cv2.IMWRITE_JPEG_QUALITY, 80])
    for d in ("images/val", "labels/val", "images/train"):
        os.makedirs(os.path.join(cv, d), exist_ok=True)
    shutil.copy(os.path.join(dst_cv, "val.txt"), cv)
    for n in open(os.path.join(dst_cv, "val.txt")).read().split():
        shutil.copy(os.path.join(dst_cv, "images", "val", n + ".jpg"), os.path.join(cv, "images", "val"))
        shutil.copy(os.path.join(dst_cv, "labels", "val", n + ".png"), os.path.join(cv, "labels", "val"))
    names = open(os.path.join(dst_cv, "train.txt")).read().split()
    sel = [names[i] for i in np.linspace(0, len(names) - 1, 80).round().astype(int)]
    with open(os.path.join(cv, "calib.txt"), "w") as f:
        f.write("\n".join(sel) + "\n")
    for n in sel:
        im = cv2.imread(os.path.join(dst_cv, "images", "train", n + ".jpg"))
        cv2.imwrite(os.path.join(cv, "images", "train", n + ".jpg"), im, [cv2.IMWRITE_JPEG_QUALITY, 85])
    print("slim copy in", os.path.abspath(a.slim))
