#!/usr/bin/env python3
"""Make the synthetic training set (issue #3: mix synthetic frames into training so the shipped models
segment the project's own synthetic drives) with the node's renderer, reproducibly and small.

    /usr/bin/python3 training/make_synth_data.py [--out .carry/run5/synth] [--clips-per-scenario 5] [--frames 20]

What it does:
1. `./drive-perception synth --scenario S --seed SEED --frames N --fps FPS --dataset OUT` for every scenario
   (all 5) and clip. Seeds are 1000 + 100 * scenario index + clip (the shipped drives in recordings/ all use
   seed 1, so no frame of theirs is in here). The frame rate cycles over FPS_CYCLE: events are timed within the
   run (frames / fps seconds), so a low fps is a frame stride: 20 frames at 4 fps span 5 s of driving and
   consecutive frames differ by a few metres instead of a few centimetres.
2. Shrinks what the writer leaves (it stores PNGs, the image twice and large per-frame JSON):
   - images/synthetic/NAME.png -> NAME.jpg at JPEG quality 75, the quality of the shipped recordings
     (recordings/README.md), so the model trains on the same compression the node decodes from those drives;
   - labels/, lanes/, instances/ PNGs re-compressed losslessly (level 9);
   - culane/images and culane/labels removed: they repeat images/ and lanes/ (5 x slot); train_lanes.py reads
     images/synthetic + lanes/synthetic with culane/lines (dp_train/lanes.py: load_lane_dataset);
   - culane/lines/*.lines.txt: points closer than 3 px to the last kept one dropped, 1 decimal (still CULane text);
   - groundtruth/ removed (28 KB a frame; no trainer reads it: instance classes come from labels/ under each
     instances/ id, dp_train/inst_data.py), calibration/ kept.
3. Writes OUT/manifest.json (scenarios, seeds, fps, frames, sizes, the command lines).
Synthetic frames are training data only: the val scores stay CamVid val / CULane val.
"""
import argparse
import glob
import json
import os
import shutil
import subprocess
import sys

import cv2
import numpy as np

REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
SCENARIOS = ["cruising", "lead-vehicle-braking", "pedestrian-crossing", "lane-change", "empty-road"]
FPS_CYCLE = [4, 3, 5, 4, 6]
JPEG_Q = 75
SPLIT = "synthetic"


def node_cmd():
    """The node as already built (no rebuild halfway through the set when someone edits src/ meanwhile);
    the launcher, which builds it first, when there is no build yet."""
    dll = os.path.join(REPO, ".dp-build", "node-cpu", "drive-perception.dll")
    if os.path.exists(dll):
        return ["dotnet", dll]
    return [os.path.join(REPO, "drive-perception")]


def run_synth(scenario, seed, frames, fps, out, tmp):
    cmd = node_cmd() + ["synth", "--scenario", scenario, "--seed", str(seed),
           "--frames", str(frames), "--fps", str(fps), "--out", os.path.join(tmp, "clip.mcap"), "--overwrite",
           "--dataset", out]
    r = subprocess.run(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if r.returncode != 0:
        sys.exit("synth failed (%s):\n%s\nBuild the node first: cd %s && ./drive-perception --help"
                 % (" ".join(cmd), r.stdout[-2000:], REPO))
    return "drive-perception " + " ".join(cmd[cmd.index("synth"):]).replace(out, "OUT").replace(tmp, "TMP")


def decimate_lines(path, min_px=3.0):
    rows = []
    for line in open(path):
        v = [float(t) for t in line.split()]
        if len(v) < 4:
            continue
        p = np.array(v).reshape(-1, 2)
        keep = [0]
        for i in range(1, len(p)):
            if i == len(p) - 1 or np.hypot(*(p[i] - p[keep[-1]])) >= min_px:
                keep.append(i)
        rows.append(" ".join("%.1f %.1f" % (x, y) for x, y in p[keep]))
    with open(path, "w") as f:
        f.write("\n".join(rows) + ("\n" if rows else ""))


def shrink(out):
    png9 = [cv2.IMWRITE_PNG_COMPRESSION, 9]
    for p in sorted(glob.glob(os.path.join(out, "images", SPLIT, "*.png"))):
        im = cv2.imread(p, cv2.IMREAD_COLOR)
        cv2.imwrite(p[:-4] + ".jpg", im, [cv2.IMWRITE_JPEG_QUALITY, JPEG_Q])
        os.remove(p)
    for d in ("labels", "lanes", "instances"):
        for p in glob.glob(os.path.join(out, d, SPLIT, "*.png")):
            cv2.imwrite(p, cv2.imread(p, cv2.IMREAD_UNCHANGED), png9)
    for d in ("images", "labels"):
        shutil.rmtree(os.path.join(out, "culane", d), ignore_errors=True)
    for p in glob.glob(os.path.join(out, "culane", "lines", "*.lines.txt")):
        decimate_lines(p)
    shutil.rmtree(os.path.join(out, "groundtruth"), ignore_errors=True)


def du(path):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(REPO, ".carry", "run5", "synth"))
    ap.add_argument("--clips-per-scenario", type=int, default=4, help="4 x 5 scenarios x 20 frames = 400 frames")
    ap.add_argument("--frames", type=int, default=20, help="frames per clip")
    a = ap.parse_args()
    out = os.path.abspath(a.out)
    if os.path.exists(out):
        shutil.rmtree(out)  # the writer appends to SPLIT.txt: start clean so reruns give the same set
    tmp = out + ".tmp"
    os.makedirs(tmp, exist_ok=True)
    clips, cmds = [], []
    for si, sc in enumerate(SCENARIOS):
        for k in range(a.clips_per_scenario):
            seed = 1000 + 100 * si + k
            fps = FPS_CYCLE[(si + k) % len(FPS_CYCLE)]
            cmds.append(run_synth(sc, seed, a.frames, fps, out, tmp))
            clips.append({"scenario": sc, "seed": seed, "frames": a.frames, "fps": fps})
            print("rendered", sc, "seed", seed, "fps", fps, flush=True)
    shutil.rmtree(tmp)
    shrink(out)
    names = [l.strip() for l in open(os.path.join(out, SPLIT + ".txt")) if l.strip()]
    man = {"what": "synthetic training frames for CamVid-class segmentation and lane slots (train only, never val)",
           "made_by": "/usr/bin/python3 training/make_synth_data.py --clips-per-scenario %d --frames %d"
                      % (a.clips_per_scenario, a.frames),
           "split": SPLIT, "frames": len(names), "image_size": [480, 360], "jpeg_quality": JPEG_Q,
           "clips": clips, "synth_commands": cmds, "bytes": du(out)}
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(man, f, indent=1)
    print("%d frames in %s, %.2f MiB" % (len(names), out, du(out) / 2 ** 20))


if __name__ == "__main__":
    main()
