#!/usr/bin/env python3
"""Stage the data the device needs into git-ignored folders, small enough to carry to the device.

    /usr/bin/python3 training/stage_data.py [--shared ../shared/data]            -> .carry/data (full copy, 57 MB)
    /usr/bin/python3 training/stage_data.py --slim .carry/run4                    -> + the run-4 copy (23 MB)
    /usr/bin/python3 training/stage_data.py --run5 .carry/run5 [--remake-synth]   -> the run-5 copy (see run5())

.carry/data: CamVid as it is; CULane images halved to 820x295 JPEG q90 (labels and polylines kept at full
size for scoring). --slim and --run5 reuse an existing .carry/data/culane-subset.
"""
import argparse
import os
import shutil
import subprocess
import sys

import cv2
import numpy as np

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def stage_full(shared, out):
    src_cv, dst_cv = os.path.join(shared, "camvid"), os.path.join(out, "camvid")
    if not os.path.exists(dst_cv):
        shutil.copytree(src_cv, dst_cv)
    src, dst = os.path.join(shared, "culane-subset"), os.path.join(out, "culane-subset")
    if os.path.exists(os.path.join(dst, "val.txt")):
        return  # an existing copy is reused
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


def slim_culane(shared, full, cu):
    """The run-4 CULane copy: val images = the halved q90 files of the full copy (scores stay comparable),
    train images halved from the originals at JPEG q80, labels (PNG re-compressed losslessly) and polylines at full size."""
    src, dst = os.path.join(shared, "culane-subset"), os.path.join(full, "culane-subset")
    for d in ("images", "labels", "lines"):
        os.makedirs(os.path.join(cu, d), exist_ok=True)
    for f in ("train.txt", "val.txt"):
        shutil.copy(os.path.join(dst, f), cu)
    for n in os.listdir(os.path.join(dst, "lines")):
        shutil.copy(os.path.join(dst, "lines", n), os.path.join(cu, "lines", n))
    for n in os.listdir(os.path.join(dst, "labels")):  # re-compressed losslessly (40 % smaller)
        lab = cv2.imread(os.path.join(dst, "labels", n), cv2.IMREAD_UNCHANGED)
        cv2.imwrite(os.path.join(cu, "labels", n), lab, [cv2.IMWRITE_PNG_COMPRESSION, 9])
    for n in open(os.path.join(dst, "val.txt")).read().split():
        shutil.copy(os.path.join(dst, "images", n + ".jpg"), os.path.join(cu, "images"))
    for n in open(os.path.join(dst, "train.txt")).read().split():
        im = cv2.imread(os.path.join(src, "images", n + ".jpg"))
        im = cv2.resize(im, (im.shape[1] // 2, im.shape[0] // 2), interpolation=cv2.INTER_AREA)
        cv2.imwrite(os.path.join(cu, "images", n + ".jpg"), im, [cv2.IMWRITE_JPEG_QUALITY, 80])


def camvid_val_as_is(src_cv, cv):
    for d in ("images/val", "labels/val"):
        os.makedirs(os.path.join(cv, d), exist_ok=True)
    shutil.copy(os.path.join(src_cv, "val.txt"), cv)
    for n in open(os.path.join(src_cv, "val.txt")).read().split():
        shutil.copy(os.path.join(src_cv, "images", "val", n + ".jpg"), os.path.join(cv, "images", "val"))
        lab = cv2.imread(os.path.join(src_cv, "labels", "val", n + ".png"), cv2.IMREAD_UNCHANGED)
        cv2.imwrite(os.path.join(cv, "labels", "val", n + ".png"), lab, [cv2.IMWRITE_PNG_COMPRESSION, 9])  # lossless


def calib_list(src_cv, cv, n=80):
    """The 80 evenly spaced train frames quantize_int8.py calibrates on (64) and chooses the method on (16)."""
    names = open(os.path.join(src_cv, "train.txt")).read().split()
    sel = [names[i] for i in np.linspace(0, len(names) - 1, n).round().astype(int)]
    with open(os.path.join(cv, "calib.txt"), "w") as f:
        f.write("\n".join(sel) + "\n")
    return sel


def slim(shared, full, out):
    """--slim (run 4): CULane as slim_culane; CamVid val as is; CamVid train only the 80 calibration frames, q85."""
    src_cv = os.path.join(full, "camvid")
    slim_culane(shared, full, os.path.join(out, "culane-subset"))
    cv = os.path.join(out, "camvid")
    camvid_val_as_is(src_cv, cv)
    os.makedirs(os.path.join(cv, "images/train"), exist_ok=True)
    for n in calib_list(src_cv, cv):
        im = cv2.imread(os.path.join(src_cv, "images", "train", n + ".jpg"))
        cv2.imwrite(os.path.join(cv, "images", "train", n + ".jpg"), im, [cv2.IMWRITE_JPEG_QUALITY, 85])


def run5(shared, full, out, remake_synth):
    """--run5: the smallest copy that trains run 5 (semantic + lanes + instances, synthetic mix):
    camvid/         train re-encoded JPEG q90 from the q95 originals (labels re-compressed losslessly), val as is (scores stay
                    comparable with earlier runs), calib.txt for quantize_int8.py
    culane-subset/  the run-4 copy (slim_culane)
    pennfudan/      images shrunk so the long side is <= 640 px (INTER_AREA) at JPEG q85 (q90 put the whole copy
                    over 55 MiB; the instance trainers stretch every image to 480x360, which hides the difference),
                    masks resized with nearest to the same size (instance ids kept), train.txt, ORIGINAL-readme.txt
    synth/          training/make_synth_data.py output (made if missing, or again with --remake-synth)"""
    src_cv = os.path.join(shared, "camvid")
    cv = os.path.join(out, "camvid")
    camvid_val_as_is(src_cv, cv)
    calib_list(src_cv, cv)
    shutil.copy(os.path.join(src_cv, "train.txt"), cv)
    for d in ("images/train", "labels/train"):
        os.makedirs(os.path.join(cv, d), exist_ok=True)
    for n in open(os.path.join(src_cv, "train.txt")).read().split():
        im = cv2.imread(os.path.join(src_cv, "images", "train", n + ".jpg"))
        cv2.imwrite(os.path.join(cv, "images", "train", n + ".jpg"), im, [cv2.IMWRITE_JPEG_QUALITY, 90])
        lab = cv2.imread(os.path.join(src_cv, "labels", "train", n + ".png"), cv2.IMREAD_UNCHANGED)
        cv2.imwrite(os.path.join(cv, "labels", "train", n + ".png"), lab, [cv2.IMWRITE_PNG_COMPRESSION, 9])  # lossless
    slim_culane(shared, full, os.path.join(out, "culane-subset"))
    src_pf, pf = os.path.join(shared, "pennfudan"), os.path.join(out, "pennfudan")
    for d in ("images", "masks"):
        os.makedirs(os.path.join(pf, d), exist_ok=True)
    for f in ("train.txt", "ORIGINAL-readme.txt"):
        if os.path.exists(os.path.join(src_pf, f)):
            shutil.copy(os.path.join(src_pf, f), pf)
    for n in open(os.path.join(src_pf, "train.txt")).read().split():
        im = cv2.imread(os.path.join(src_pf, "images", n + ".jpg"))
        mk = cv2.imread(os.path.join(src_pf, "masks", n + "_mask.png"), cv2.IMREAD_UNCHANGED)
        s = 640.0 / max(im.shape[:2])
        if s < 1:
            size = (int(round(im.shape[1] * s)), int(round(im.shape[0] * s)))
            im = cv2.resize(im, size, interpolation=cv2.INTER_AREA)
            mk = cv2.resize(mk, size, interpolation=cv2.INTER_NEAREST)
        cv2.imwrite(os.path.join(pf, "images", n + ".jpg"), im, [cv2.IMWRITE_JPEG_QUALITY, 85])
        cv2.imwrite(os.path.join(pf, "masks", n + "_mask.png"), mk, [cv2.IMWRITE_PNG_COMPRESSION, 9])
    syn = os.path.join(out, "synth")
    if remake_synth or not os.path.exists(os.path.join(syn, "manifest.json")):
        subprocess.run([sys.executable, os.path.join(HERE, "make_synth_data.py"), "--out", syn], check=True)


def stage_d161(shared, out):
    """culane-d161 (the second CULane driver, issue #14) as the run-4 CULane copy is made: images halved to 820x295
    (train JPEG q80, val q90 like culane-subset's val), labels re-compressed losslessly, polylines at full size."""
    src, dst = os.path.join(shared, "culane-d161"), os.path.join(out, "culane-d161")
    for d in ("images", "labels", "lines"):
        os.makedirs(os.path.join(dst, d), exist_ok=True)
    for split, q in (("train", 80), ("val", 90)):
        shutil.copy(os.path.join(src, split + ".txt"), dst)
        for n in open(os.path.join(src, split + ".txt")).read().split():
            im = cv2.imread(os.path.join(src, "images", n + ".jpg"))
            im = cv2.resize(im, (im.shape[1] // 2, im.shape[0] // 2), interpolation=cv2.INTER_AREA)
            cv2.imwrite(os.path.join(dst, "images", n + ".jpg"), im, [cv2.IMWRITE_JPEG_QUALITY, q])
            lab = cv2.imread(os.path.join(src, "labels", n + ".png"), cv2.IMREAD_UNCHANGED)
            cv2.imwrite(os.path.join(dst, "labels", n + ".png"), lab, [cv2.IMWRITE_PNG_COMPRESSION, 9])
            if os.path.exists(os.path.join(src, "lines", n + ".lines.txt")):
                shutil.copy(os.path.join(src, "lines", n + ".lines.txt"), os.path.join(dst, "lines"))


def split_parts(run5, parts_mib):
    """The copy as one gzipped tar in parts of parts_mib MiB (DIR-parts/run5.tgz.part-aa, -ab, ...) + run5.sha256:
    a device call carries the tracked tree too (64 MiB in all), so the copy may have to travel over several calls,
    a few parts each (parts carried earlier stay on the warm machine); `device_session.sh unpack` (and launch)
    checks the sha256 and unpacks them into .carry/run5 there."""
    run5 = os.path.abspath(run5)
    parts = run5 + "-parts"
    shutil.rmtree(parts, ignore_errors=True)
    os.makedirs(parts)
    base = os.path.basename(run5)
    cmd = ("tar -C %s --sort=name --mtime=@0 --owner=0 --group=0 -cf - %s | gzip -n -6 | tee >(sha256sum | cut -d' ' -f1 > %s/%s.sha256) "
           "| split -b %dm - %s/%s.tgz.part-" % (os.path.dirname(run5), base, parts, base, parts_mib, parts, base))
    subprocess.run(["bash", "-c", "set -o pipefail; " + cmd], check=True)
    subprocess.run(["bash", "-c", "sleep 1; sync"], check=True)  # the tee'd sha256sum may finish a moment later
    for f in sorted(os.listdir(parts)):
        print("  %s/%s %.2f MiB" % (parts, f, os.path.getsize(os.path.join(parts, f)) / 2 ** 20))


def du(path):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=os.path.join(HERE, "..", "..", "shared", "data"))
    ap.add_argument("--out", default=os.path.join(HERE, "..", ".carry", "data"))
    ap.add_argument("--slim", default=None, help="also write the run-4 copy (e.g. .carry/run4)")
    ap.add_argument("--run5", default=None, help="also write the run-5 copy (e.g. .carry/run5)")
    ap.add_argument("--d161", action="store_true", help="with --run5: add culane-d161 (the second CULane driver)")
    ap.add_argument("--remake-synth", action="store_true", help="with --run5: render the synthetic set again")
    ap.add_argument("--max-mib", type=float, default=55.0, help="with --run5: fail when the copy is larger")
    ap.add_argument("--parts-mib", type=int, default=12,
                    help="with --run5: also write DIR-parts/run5.tgz.part-* of this size (0 = no parts), see split_parts")
    a = ap.parse_args()
    stage_full(a.shared, a.out)
    print("staged into (or reused)", os.path.abspath(a.out))
    if a.slim:
        slim(a.shared, a.out, a.slim)
        print("slim copy in", os.path.abspath(a.slim))
    if a.run5:
        run5(a.shared, a.out, a.run5, a.remake_synth)
        if a.d161:
            stage_d161(a.shared, a.run5)
        tot = du(a.run5)
        for d in sorted(os.listdir(a.run5)):
            print("  %-14s %6.2f MiB" % (d, du(os.path.join(a.run5, d)) / 2 ** 20))
        print("run-5 copy in %s: %.2f MiB (limit %.0f MiB)" % (os.path.abspath(a.run5), tot / 2 ** 20, a.max_mib))
        if tot > a.max_mib * 2 ** 20:
            sys.exit("the run-5 copy is over %.0f MiB: make fewer synthetic frames (make_synth_data.py "
                     "--clips-per-scenario) or lower a JPEG quality" % a.max_mib)
        if a.parts_mib:
            split_parts(a.run5, a.parts_mib)


if __name__ == "__main__":
    main()
