#!/usr/bin/env python3
"""COCO mask AP of the node's published instances by object size, on a `synth --dataset` folder (issue #3: are the
synthetic pedestrians missed because they are tiny, or also when they are clearly visible?).

    /usr/bin/python3 training/analysis/instance_ap_by_size.py DATASET --model M.onnx [--semantic-model camvid-fast.onnx]
        [--class pedestrian|vehicle] [--json OUT]

`eval instances` reports one AP over all objects; this script scores the same detections COCO-style per size range:
objects outside the range are ignored (a detection matched to one is ignored too) and unmatched detections outside
the range are ignored, exactly as pycocotools' areaRng does. Ranges: box height of the visible pixels (detections:
their box height) < 24, 24-48, >= 48 px, finer < 12 and 12-24, and open >= 12, >= 24 (the AP an eval that ignores
smaller objects would report); and COCO's mask-area small (< 32^2) / medium (< 96^2) / large.

Detections are the node's own: it runs `drive-perception run` on DATASET/images/SPLIT/*.png with --rate max (every
frame, in name order, which is time order), no lane model and no deadline, and subscribes to perception/pedestrians
and perception/vehicles (and perception/classmap, for per-object pixel recall of the class map). The model's card
picks the path as in eval: task instance -> --instance-model (the class map still comes from --semantic-model),
panoptic or semantic -> --semantic-model. The row "all" must equal `eval instances` on the same data (checked by
scripts/pedestrian-size-report.sh).

Needs python3-zmq python3-msgpack python3-numpy python3-opencv (Debian) and the node built (.dp-build/node-cpu).
"""
import argparse
import glob
import json
import os
import socket
import subprocess
import sys
import time

import cv2
import numpy as np

REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
sys.path.insert(0, os.path.join(REPO, "clients", "python"))
import drive_perception_client as dpc  # noqa: E402

GROUPS = {"pedestrian": ({9, 10}, {"pedestrian", "bicyclist"}, dpc.PEDESTRIANS),
          "vehicle": ({8}, {"car", "vehicle"}, dpc.VEHICLES)}
HEIGHT_RANGES = [("all", 0, 1e9), ("h<24", 0, 24), ("h24-48", 24, 48), ("h>=48", 48, 1e9),
                 ("h<12", 0, 12), ("h12-24", 12, 24), ("h>=12", 12, 1e9), ("h>=24", 24, 1e9)]
AREA_RANGES = [("small", 0, 32 ** 2), ("medium", 32 ** 2, 96 ** 2), ("large", 96 ** 2, 1e12)]
IOU_THRS = np.linspace(0.5, 0.95, 10)
REC_THRS = np.linspace(0, 1, 101)
MAX_DETS = 100


def node_cmd():
    dll = os.path.join(REPO, ".dp-build", "node-cpu", "drive-perception.dll")
    return ["dotnet", dll] if os.path.exists(dll) else [os.path.join(REPO, "drive-perception")]


def card_task(model):
    card = os.path.splitext(model)[0] + ".card.json"
    if not os.path.exists(card):
        sys.exit("%s has no card beside it (%s): put NAME.card.json from models/ next to the .onnx" % (model, card))
    return json.load(open(card)).get("task", "semantic")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def capture(dataset, split, model, semantic_model, topic, want_classmap, extra):
    """{frame index: (instances of topic, classmap or None)} from the node run over the split's PNGs."""
    frames = sorted(glob.glob(os.path.join(dataset, "images", split, "*.png")))
    if not frames:
        sys.exit("%s has no images/%s/*.png: render it with synth --dataset (lossless PNGs)" % (dataset, split))
    task = card_task(model)
    models = ["--semantic-model", model] if task != "instance" else ["--semantic-model", semantic_model, "--instance-model", model]
    port = free_port()
    endpoint = "tcp://127.0.0.1:%d" % port
    topics = [topic] + ([dpc.CLASSMAP] if want_classmap else [])
    got = {}
    with dpc.Subscriber(endpoint, topics=topics, rcvhwm=100000) as sub:
        # The subscriber connects first (ZeroMQ retries until the node binds); the node loads its models before
        # the first frame, so no frame is published before the subscription is in place (checked below).
        cmd = node_cmd() + ["run", "-q", "--source", os.path.join(dataset, "images", split, "*.png"), "--rate", "max",
                            "--deadline-ms", "3600000", "--lane-model", "none", "--publish", endpoint] + models + extra \
            + (["--classmap"] if want_classmap else [])
        node = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        deadline = time.time() + 600
        while time.time() < deadline:
            m = sub.receive(timeout_s=1.0)
            if m is None:
                if node.poll() is not None:
                    break
                continue
            t, msg = m
            if not msg["valid"]:
                sys.exit("frame %d published invalid (%s)" % (msg["header"]["seq"], msg["reason"]))
            seq = msg["header"]["seq"]
            inst, cmap = got.get(seq, (None, None))
            if t == dpc.CLASSMAP:
                cmap = dpc.decode_label_rle(msg["classmap"])
            else:
                inst = msg["instances"]
            got[seq] = (inst, cmap)
        out = node.communicate()[0]
    complete = [s for s, (i, c) in got.items() if i is not None and (c is not None or not want_classmap)]
    if sorted(complete) != list(range(len(frames))):
        sys.exit("got %d of %d frames (seqs %s..%s); node said:\n%s" % (len(complete), len(frames),
                 min(got, default=None), max(got, default=None), out[-2000:]))
    return [os.path.splitext(os.path.basename(f))[0] for f in frames], got


def truth(dataset, split, name, class_ids):
    ids = cv2.imread(os.path.join(dataset, "instances", split, name + ".png"), cv2.IMREAD_UNCHANGED)
    labels = cv2.imread(os.path.join(dataset, "labels", split, name + ".png"), cv2.IMREAD_UNCHANGED)
    objs = []
    for i in np.unique(ids):
        if i == 0:
            continue
        m = ids == i
        if int(np.bincount(labels[m]).argmax()) not in class_ids:
            continue
        ys, xs = np.nonzero(m)
        objs.append({"id": int(i), "mask": m, "area": int(m.sum()), "h": int(ys.max() - ys.min() + 1)})
    return objs, ids.shape


def detections(instances, class_names, shape):
    out = []
    for d in instances:
        if d["class"] not in class_names:
            continue
        b = d["box"]
        full = np.zeros(shape, bool)
        crop = dpc.decode_rle(d["mask"]).astype(bool)
        full[b["y"]:b["y"] + b["h"], b["x"]:b["x"] + b["w"]] = crop
        out.append({"score": float(d["score"]), "mask": full, "area": int(crop.sum()), "h": int(b["h"])})
    return out


def evaluate_image(dts, gts, size_key, lo, hi):
    """pycocotools COCOeval.evaluateImg for one image and one size range (no crowds)."""
    g_ig = np.array([not (lo <= g[size_key] < hi) for g in gts], bool)
    order = np.argsort(g_ig, kind="mergesort")
    gts = [gts[i] for i in order]
    g_ig = g_ig[order]
    dts = sorted(dts, key=lambda d: -d["score"])[:MAX_DETS]
    ious = np.zeros((len(dts), len(gts)))
    for a, d in enumerate(dts):
        for b, g in enumerate(gts):
            inter = np.logical_and(d["mask"], g["mask"]).sum()
            ious[a, b] = inter / float(d["area"] + g["area"] - inter) if inter else 0.0
    T = len(IOU_THRS)
    dtm = np.zeros((T, len(dts)))
    gtm = np.zeros((T, len(gts)))
    d_ig = np.zeros((T, len(dts)), bool)
    for t, thr in enumerate(IOU_THRS):
        for a in range(len(dts)):
            iou, m = min(thr, 1 - 1e-10), -1
            for b in range(len(gts)):
                if gtm[t, b] > 0:
                    continue
                if m > -1 and not g_ig[m] and g_ig[b]:
                    break
                if ious[a, b] < iou:
                    continue
                iou, m = ious[a, b], b
            if m == -1:
                continue
            d_ig[t, a] = g_ig[m]
            dtm[t, a] = 1
            gtm[t, m] = 1
    out_of_range = np.array([not (lo <= d[size_key] < hi) for d in dts], bool)
    d_ig = np.logical_or(d_ig, np.logical_and(dtm == 0, out_of_range[None, :]))
    return {"scores": np.array([d["score"] for d in dts]), "dtm": dtm, "d_ig": d_ig, "npig": int((~g_ig).sum())}


def accumulate(per_image):
    """COCO AP (mean over IoU .50:.05:.95), AP50, AP75 over all images ranked together; None without objects."""
    npig = sum(e["npig"] for e in per_image)
    if npig == 0:
        return None
    scores = np.concatenate([e["scores"] for e in per_image]) if per_image else np.zeros(0)
    order = np.argsort(-scores, kind="mergesort")
    dtm = np.concatenate([e["dtm"] for e in per_image], axis=1)[:, order]
    d_ig = np.concatenate([e["d_ig"] for e in per_image], axis=1)[:, order]
    aps = []
    for t in range(len(IOU_THRS)):
        tps = np.cumsum(np.logical_and(dtm[t] == 1, ~d_ig[t]))
        fps = np.cumsum(np.logical_and(dtm[t] == 0, ~d_ig[t]))
        rc = tps / npig
        pr = tps / (tps + fps + np.spacing(1))
        pr = pr.tolist()
        for i in range(len(pr) - 1, 0, -1):
            pr[i - 1] = max(pr[i - 1], pr[i])
        q = np.zeros(len(REC_THRS))
        idx = np.searchsorted(rc, REC_THRS, side="left")
        for r, p in enumerate(idx):
            if p < len(pr):
                q[r] = pr[p]
        aps.append(q.mean())
    return {"ap": float(np.mean(aps)), "ap50": float(aps[0]), "ap75": float(aps[5]), "objects": npig}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dataset")
    ap.add_argument("--model", required=True, help="semantic, panoptic or Mask R-CNN ONNX with its card beside it")
    ap.add_argument("--semantic-model", help="class map for a Mask R-CNN --model (default: camvid-fast.onnx beside --model)")
    ap.add_argument("--class", dest="cls", default="pedestrian", choices=sorted(GROUPS))
    ap.add_argument("--split", default="synthetic")
    ap.add_argument("--json")
    ap.add_argument("--node-arg", action="append", default=[], metavar="ARG",
                    help="extra argument for the node's `run`, repeatable (e.g. --node-arg=--instance-confirm-frames --node-arg=2)")
    a = ap.parse_args()
    class_ids, class_names, topic = GROUPS[a.cls]
    semantic = a.semantic_model or os.path.join(os.path.dirname(os.path.abspath(a.model)), "camvid-fast.onnx")
    want_classmap = card_task(a.model) != "instance"
    names, got = capture(a.dataset, a.split, os.path.abspath(a.model), os.path.abspath(semantic), topic, want_classmap, a.node_arg)

    ranges = [("height",) + r for r in HEIGHT_RANGES] + [("area",) + r for r in AREA_RANGES]
    evals = {r[1]: [] for r in ranges}
    recall = {r[1]: [0, 0] for r in ranges}  # class-map pixel recall of the objects in the range: hit, total
    for k, name in enumerate(names):
        gts, shape = truth(a.dataset, a.split, name, class_ids)
        instances, cmap = got[k]
        dts = detections(instances, class_names, shape)
        for key, rname, lo, hi in ranges:
            size_key = "h" if key == "height" else "area"
            evals[rname].append(evaluate_image(dts, gts, size_key, lo, hi))
            if cmap is not None:
                for g in gts:
                    if lo <= g[size_key] < hi:
                        recall[rname][0] += int(np.isin(cmap[g["mask"]], list(class_ids)).sum())
                        recall[rname][1] += g["area"]
    res = {"dataset": os.path.abspath(a.dataset), "model": a.model, "class": a.cls, "frames": len(names), "ranges": {}}
    print("| range | objects | AP50 | AP | class-map pixel recall |")
    print("|---|---|---|---|---|")
    for _, rname, _, _ in ranges:
        s = accumulate(evals[rname])
        hit, tot = recall[rname]
        rec = hit / tot if tot else None
        res["ranges"][rname] = dict(s or {"ap": None, "ap50": None, "ap75": None, "objects": 0}, classmap_pixel_recall=rec)
        print("| %s | %d | %s | %s | %s |" % (rname, s["objects"] if s else 0, "%.3f" % s["ap50"] if s else "n/a",
                                              "%.3f" % s["ap"] if s else "n/a", "%.3f" % rec if rec is not None else "-"))
    if a.json:
        with open(a.json, "w") as f:
            json.dump(res, f, indent=1)


if __name__ == "__main__":
    main()
