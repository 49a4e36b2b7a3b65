"""Instance training data: Penn-Fudan (true pedestrian masks), CamVid (pseudo-instances) and synthetic frames
(true vehicle and pedestrian masks), each brought to one in-memory form at the model's input size.

Every frame is resized to the model input (width x height) the way the node does it (FramePreprocessor:
stretched, no letterbox; INTER_AREA when the frame is at least twice the input, else INTER_LINEAR; masks
nearest). A set holds uint8 tensors: `image` [N,H,W,3] RGB, `semantic` [N,H,W] CamVid class ids (11 = void, 12 = NOT_THING),
`instance` [N,H,W] ids 1..255 (0 = none), and per frame and id `node_class` [N,256] (0 none, 1 vehicle,
2 pedestrian) and `trusted` [N,256] (False: a CamVid blob that looks like several touching objects).

Class mapping for the node: CamVid car -> vehicle; pedestrian and bicyclist -> pedestrian (a bicyclist is a
person on the pedestrians topic of the node; CamVid's bicyclist label covers rider and bicycle together).

CamVid pseudo-instances: 8-connected components of `car` and, separately, of `pedestrian or bicyclist`;
components under `min_component_px` (50) are dropped (their pixels keep their semantic label but are no
instance). Touching objects merge into one component. A component is marked untrusted (a probable merge)
when its box is much wider than one object of its class is (car: width > 3 x height; person: width > 1.2 x
height) or its box fill ratio is below `min_fill` (0.3). Mask R-CNN keeps untrusted blobs as one instance
(torchvision has no ignore regions; dropping them would teach "background" on real cars); the centre head
leaves them out of the centre and offset losses (semantic loss unchanged).
"""
import os

import cv2
import numpy as np
import torch

from .common import read_list, _find_image

CAMVID_CAR, CAMVID_PED, CAMVID_BIKE, VOID = 8, 9, 10, 11
# Semantic code for "some stuff class, which one unknown" (Penn-Fudan outside its masks): the panoptic trainer
# turns it into a loss on P(any stuff class), the cross-entropy ignores it (see load_pennfudan).
NOT_THING = 12
NODE_CLASSES = ["background", "vehicle", "pedestrian"]
MAX_IDS = 256


def resize_like_node(img, w, h):
    """cv2.resize as the node's FramePreprocessor: area when shrinking by 2x or more, else bilinear."""
    fh, fw = img.shape[:2]
    interp = cv2.INTER_AREA if fw >= 2 * w or fh >= 2 * h else cv2.INTER_LINEAR
    return cv2.resize(img, (w, h), interpolation=interp)


def resize_nearest(lab, w, h):
    return cv2.resize(lab, (w, h), interpolation=cv2.INTER_NEAREST)


class InstanceSet:
    """One dataset at model size (see module doc). `names` keeps the frame names."""

    def __init__(self, name, images, semantic, instance, node_class, trusted, names):
        self.name = name
        self.image = torch.from_numpy(np.stack(images)) if images else torch.zeros(0, 1, 1, 3, dtype=torch.uint8)
        self.semantic = torch.from_numpy(np.stack(semantic)) if semantic else torch.zeros(0, 1, 1, dtype=torch.uint8)
        self.instance = torch.from_numpy(np.stack(instance)) if instance else torch.zeros(0, 1, 1, dtype=torch.uint8)
        self.node_class = torch.from_numpy(np.stack(node_class)) if node_class else torch.zeros(0, MAX_IDS, dtype=torch.uint8)
        self.trusted = torch.from_numpy(np.stack(trusted)) if trusted else torch.zeros(0, MAX_IDS, dtype=torch.bool)
        self.names = names

    def __len__(self):
        return len(self.names)

    def to(self, device):
        for k in ("image", "semantic", "instance", "node_class", "trusted"):
            setattr(self, k, getattr(self, k).to(device))
        return self

    def instance_count(self):
        return int((self.node_class > 0).sum())


def _compact(inst_ids, classes, trusted_flags, inst_map):
    """Renumbers instances 1..n (n <= 255) into a uint8 map + per-id tables; extra ids (smallest) are dropped."""
    order = sorted(range(len(inst_ids)), key=lambda i: -int((inst_map == inst_ids[i]).sum()))[:MAX_IDS - 1]
    out = np.zeros(inst_map.shape, np.uint8)
    ncls = np.zeros(MAX_IDS, np.uint8)
    tr = np.zeros(MAX_IDS, bool)
    for new, i in enumerate(order, start=1):
        out[inst_map == inst_ids[i]] = new
        ncls[new] = classes[i]
        tr[new] = trusted_flags[i]
    return out, ncls, tr


def camvid_components(label, min_px=50, min_fill=0.3, car_aspect=3.0, person_aspect=1.2):
    """Pseudo-instances of one CamVid label map (module doc). Returns (id map int32, node classes, trusted)."""
    inst = np.zeros(label.shape, np.int32)
    classes, trusted = [], []
    nid = 0
    for node_cls, mask, aspect in ((1, label == CAMVID_CAR, car_aspect),
                                   (2, (label == CAMVID_PED) | (label == CAMVID_BIKE), person_aspect)):
        n, comp, stats, _ = cv2.connectedComponentsWithStats(mask.astype(np.uint8), connectivity=8)
        for c in range(1, n):
            x, y, bw, bh, area = stats[c]
            if area < min_px:
                continue
            nid += 1
            inst[comp == c] = nid
            classes.append(node_cls)
            fill = area / float(bw * bh)
            trusted.append(bool(fill >= min_fill and bw <= aspect * bh))
    return inst, classes, trusted


def load_camvid(root, split, w, h, limit=None, comp_cfg=None):
    comp_cfg = comp_cfg or {}
    names = read_list(os.path.join(root, split + ".txt"))[:limit or None]
    ims, sems, insts, ncs, trs = [], [], [], [], []
    for n in names:
        im = cv2.imread(_find_image(os.path.join(root, "images", split), n), cv2.IMREAD_COLOR)
        lab = cv2.imread(os.path.join(root, "labels", split, n + ".png"), cv2.IMREAD_UNCHANGED)
        if im.shape[:2] != (h, w):
            im, lab = resize_like_node(im, w, h), resize_nearest(lab, w, h)
        inst, classes, trusted = camvid_components(lab, **comp_cfg)
        ids = list(range(1, len(classes) + 1))
        imap, nc, tr = _compact(ids, classes, trusted, inst)
        ims.append(cv2.cvtColor(im, cv2.COLOR_BGR2RGB))
        sems.append(lab.astype(np.uint8))
        insts.append(imap)
        ncs.append(nc)
        trs.append(tr)
    return InstanceSet("camvid/" + split, ims, sems, insts, ncs, trs, names)


def load_synthetic(root, split, w, h, limit=None, min_px=20):
    """`synth --dataset` layout: images/SPLIT/NAME.png (BGR), labels/SPLIT/NAME.png (CamVid ids),
    instances/SPLIT/NAME.png (16-bit ids, stable per run). Class of an id = majority CamVid label under it."""
    names = read_list(os.path.join(root, split + ".txt"))[:limit or None]
    ims, sems, insts, ncs, trs = [], [], [], [], []
    for n in names:
        im = cv2.imread(_find_image(os.path.join(root, "images", split), n), cv2.IMREAD_COLOR)
        lab = cv2.imread(os.path.join(root, "labels", split, n + ".png"), cv2.IMREAD_UNCHANGED)
        ins = cv2.imread(os.path.join(root, "instances", split, n + ".png"), cv2.IMREAD_UNCHANGED).astype(np.int32)
        if im.shape[:2] != (h, w):
            im, lab, ins = resize_like_node(im, w, h), resize_nearest(lab, w, h), resize_nearest(ins, w, h)
        ids, classes = [], []
        for i in np.unique(ins):
            if i == 0:
                continue
            sel = ins == i
            if sel.sum() < min_px:
                continue
            c = int(np.bincount(lab[sel].ravel(), minlength=12).argmax())
            node = {CAMVID_CAR: 1, CAMVID_PED: 2, CAMVID_BIKE: 2}.get(c, 0)
            if node:
                ids.append(int(i))
                classes.append(node)
        imap, nc, tr = _compact(ids, classes, [True] * len(ids), ins)
        ims.append(cv2.cvtColor(im, cv2.COLOR_BGR2RGB))
        sems.append(lab.astype(np.uint8))
        insts.append(imap)
        ncs.append(nc)
        trs.append(tr)
    return InstanceSet("synth/" + split, ims, sems, insts, ncs, trs, names)


def pennfudan_mask(root, name):
    return cv2.imread(os.path.join(root, "masks", name + "_mask.png"), cv2.IMREAD_UNCHANGED)


def load_pennfudan(root, names, w, h, edge_px=2):
    """Penn-Fudan frames at model size. Semantic label = CamVid pedestrian on mask pixels, NOT_THING elsewhere,
    void on a band of edge_px pixels around each mask (the polygon masks are coarse at the edges).

    Outside the masks the class is unknown (building, road, tree...) but it is not a person: Penn-Fudan labels
    the pedestrians of each frame. Run 5 labelled those pixels void, so a Penn-Fudan frame taught only
    "pedestrian": the panoptic model then painted 94 % of every Penn-Fudan val pixel pedestrian (person-pixel
    IoU 0.19), each instance swallowed the background around it and val AP50 was 0.004 although its centres
    and offsets were right (AP50 0.81 with the true class map). NOT_THING gives those pixels a "some stuff
    class" loss instead. (A few small unlabelled people exist; they are a small fraction of the pixels.)"""
    ims, sems, insts, ncs, trs = [], [], [], [], []
    kernel = np.ones((2 * edge_px + 1, 2 * edge_px + 1), np.uint8)
    for n in names:
        im = cv2.imread(_find_image(os.path.join(root, "images"), n), cv2.IMREAD_COLOR)
        m = pennfudan_mask(root, n).astype(np.int32)
        im, m = resize_like_node(im, w, h), resize_nearest(m, w, h)
        ids = [int(i) for i in np.unique(m) if i != 0]
        imap, nc, tr = _compact(ids, [2] * len(ids), [True] * len(ids), m)
        sem = np.full(m.shape, NOT_THING, np.uint8)
        if edge_px > 0:
            sem[cv2.dilate((imap > 0).astype(np.uint8), kernel) > 0] = VOID
        sem[imap > 0] = CAMVID_PED
        ims.append(cv2.cvtColor(im, cv2.COLOR_BGR2RGB))
        sems.append(sem)
        insts.append(imap)
        ncs.append(nc)
        trs.append(tr)
    return InstanceSet("pennfudan", ims, sems, insts, ncs, trs, list(names))


class PennFudanVal:
    """Val frames: model-size RGB inputs for the network plus the original-size true masks for scoring
    (scores are computed at the frame's own size, as the node's eval pastes into the frame)."""

    def __init__(self, root, names, w, h):
        self.names = list(names)
        self.inputs, self.gts, self.sizes = [], [], []
        for n in self.names:
            im = cv2.imread(_find_image(os.path.join(root, "images"), n), cv2.IMREAD_COLOR)
            m = pennfudan_mask(root, n)
            self.sizes.append(im.shape[:2])
            self.inputs.append(cv2.cvtColor(resize_like_node(im, w, h), cv2.COLOR_BGR2RGB))
            self.gts.append(np.stack([m == i for i in np.unique(m) if i != 0]) if m.max() > 0
                            else np.zeros((0,) + m.shape, bool))
        self.inputs = torch.from_numpy(np.stack(self.inputs))


def split_names(splits_dir, which):
    return read_list(os.path.join(splits_dir, "pennfudan-%s.txt" % which))


def load_sources(cfg_data, data_root, w, h, limit=None, log=print):
    """The training sets named in the config's data.mix ({"pennfudan": r, "camvid": r, "synth": r, ...}); a source
    whose folder is missing is skipped with a warning and the others' ratios are renormalised. Any source named
    synth* (e.g. synth-peds, `make_synth_data.py --pedestrian-heavy`) is a synthetic set in `synth --dataset` layout,
    so one config can draw the general and the pedestrian-heavy sets at their own ratios."""
    mix = dict(cfg_data.get("mix", {"pennfudan": 1.0}))
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    splits_dir = os.path.join(here, "splits")
    sets = {}
    for src, ratio in mix.items():
        if ratio <= 0:
            continue
        folder = os.path.join(data_root, src)
        if not os.path.isdir(folder):
            log({"event": "warning", "msg": "data source %s missing at %s: skipped, other ratios renormalised" % (src, folder)})
            continue
        if src == "pennfudan":
            sets[src] = load_pennfudan(folder, split_names(splits_dir, "train")[:limit or None], w, h)
        elif src == "camvid":
            sets[src] = load_camvid(folder, "train", w, h, limit, cfg_data.get("camvid_components"))
        elif src.startswith("synth"):
            sets[src] = load_synthetic(folder, cfg_data.get("synth_split", "synthetic"), w, h, limit)
        else:
            raise ValueError("unknown data source '%s' in data.mix: use pennfudan, camvid, synth or synth-NAME" % src)
        if len(sets[src]) == 0:
            del sets[src]
    if not sets:
        raise FileNotFoundError("no training data found under %s (expected pennfudan/, camvid/, synth*/ as named in data.mix)" % data_root)
    total = sum(mix[s] for s in sets)
    return sets, {s: mix[s] / total for s in sets}
