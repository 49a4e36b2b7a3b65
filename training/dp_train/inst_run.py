"""Run bookkeeping shared by train_maskrcnn.py and train_panoptic.py: CLI, device, optimiser, the time-budgeted
poly schedule and the evaluation points."""
import argparse
import json
import os

import torch

from . import common as C


def parse_args(doc):
    ap = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--config", required=True)
    ap.add_argument("--data-root", required=True, help="folder with pennfudan/, camvid/, synth/ (any may be missing)")
    ap.add_argument("--out", required=True)
    ap.add_argument("--time-limit", type=float, default=0,
                    help="time budget of the schedule in s (overrides train.time_budget_s; 0 = the config's)")
    ap.add_argument("--iters", type=int, default=0, help="override the config's iterations (smoke tests)")
    ap.add_argument("--limit-images", type=int, default=0, help="use only the first N frames of each source (smoke tests)")
    ap.add_argument("--device", choices=["cpu", "cuda"], default=None, help="default: cuda when available")
    ap.add_argument("--batch", type=int, default=0, help="override the config's batch (smoke tests)")
    ap.add_argument("--init", help="start from this checkpoint's weights (model.pt or NAME.fp16.pt of an earlier run of "
                                   "the same config) instead of random init; optimiser and schedule start afresh")
    return ap.parse_args()


def load_init(model, path, log=print):
    """--init: the earlier run's state dict (fp16 transfer copies are cast to float) into `model`; strict, so a
    checkpoint of another architecture fails here with the mismatching keys, except that parameters under the
    model's `new_on_init` prefixes (branches added on top of that architecture) may be missing: they keep their
    own initialisation."""
    if not path:
        return
    import inspect
    kw = {"weights_only": False} if "weights_only" in inspect.signature(torch.load).parameters else {}
    ck = torch.load(path, map_location="cpu", **kw)
    sd = {k: (v.float() if torch.is_floating_point(v) else v) for k, v in ck["model"].items()}
    fresh = tuple(getattr(model, "new_on_init", ()))
    missing, unexpected = model.load_state_dict(sd, strict=False)
    bad = [k for k in missing if not k.startswith(fresh)] if fresh else list(missing)
    if bad or unexpected:
        raise RuntimeError(f"--init {path} does not fit this model: missing {bad[:8]}, unexpected {list(unexpected)[:8]}"
                           " (was it trained from another config's architecture?)")
    log({"event": "init", "from": path, "iter": ck.get("iter"), "fresh": sorted({k.split('.')[0] for k in missing})})


def setup(args):
    cfg = C.load_config(args.config)
    seed = cfg["train"].get("seed", 0)
    C.seed_all(seed)
    dev = torch.device(args.device or ("cuda" if torch.cuda.is_available() else "cpu"))
    gpu = None
    if dev.type == "cuda":
        torch.backends.cudnn.benchmark = True
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
        gpu = torch.cuda.get_device_name(dev)
    torch.set_num_threads(max(1, min(4, os.cpu_count() or 1)))
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "config.json"), "w") as f:
        json.dump(cfg, f, indent=1)
    return cfg, seed, dev, gpu


def adamw(model, lr, wd, encoder_lr_mult=1.0):
    """AdamW, no decay on biases/norms; parameters under a pretrained encoder (names containing "enc.") get
    `lr_mult` = encoder_lr_mult (the trainers multiply the scheduled lr by each group's lr_mult)."""
    groups = {}
    for n, p in model.named_parameters():
        if p.requires_grad:
            groups.setdefault(("enc." in n, p.ndim <= 1), []).append(p)
    return torch.optim.AdamW([{"params": ps, "weight_decay": 0.0 if nd else wd,
                               "lr_mult": encoder_lr_mult if enc else 1.0} for (enc, nd), ps in groups.items()],
                             lr=lr, betas=(0.9, 0.999))


class Schedule:
    """Poly(0.9) learning rate on progress = max(iter / iters, elapsed / budget) after a linear warm-up of
    `warmup_frac` of the iterations, so a run ends annealed when either the iterations or the time run out
    (however fast the GPU is). `eval_at` are progress points (0..1] at which to score val; 1.0 is always one."""

    def __init__(self, iters, budget_s, lr, warmup_frac, eval_at, clock):
        self.iters, self.budget, self.lr, self.clock = iters, budget_s, lr, clock
        self.warm = max(1, int(warmup_frac * iters))
        self.eval_at = sorted(set([p for p in eval_at if 0 < p < 1] + [1.0]))
        self.next_eval = 0

    def progress(self, it):
        p = it / self.iters
        if self.budget and self.budget > 0:
            p = max(p, self.clock.elapsed() / self.budget)
        return min(p, 1.0)

    def lr_at(self, it, progress):
        if it < self.warm:
            return self.lr * (0.1 + 0.9 * it / self.warm)
        return self.lr * (1.0 - progress) ** 0.9

    def due(self, progress):
        """True once per eval point passed."""
        if self.next_eval < len(self.eval_at) and progress >= self.eval_at[self.next_eval] - 1e-9:
            while self.next_eval < len(self.eval_at) and progress >= self.eval_at[self.next_eval] - 1e-9:
                self.next_eval += 1
            return True
        return False


def keep_if_best(out, model, cfg, it, v, rec, select, best, best_rec):
    """Saves out/model.pt when val[select] is the best so far (ties: the later, longer-trained checkpoint), the
    selection both instance trainers make; returns the new (best, best_rec)."""
    if v[select] < best:
        return best, best_rec
    torch.save({"model": model.state_dict(), "config": cfg, "iter": it, "val": v}, os.path.join(out, "model.pt"))
    return v[select], rec


def gpu_memory(dev):
    if dev.type != "cuda":
        return None
    return round(torch.cuda.max_memory_allocated(dev) / 2 ** 30, 2)


def finish(out, log, clock, head, *, it, total, budget, batch, sampler, sets, seed, device, select, best, best_rec,
           hist, val_split):
    """The end both instance trainers share: OUT/summary.json (`head` first: name, task, decoder, params, gpu) and
    the log's end event."""
    train_s = clock.elapsed()
    summ = dict(head, torch=torch.__version__, iters_done=it, iters_max=total, time_budget_s=budget,
                train_time_s=round(train_s, 1), iters_per_s=round(it / max(train_s, 1e-6), 2), batch=batch,
                batch_mix=sampler.counts, sources={k: len(v) for k, v in sets.items()}, seed=seed,
                peak_gpu_mem_gib=gpu_memory(device), select=select, best_val=best_rec, val_history=hist,
                val_split=val_split)
    log.log({"event": "end", "iters_done": it, "train_time_s": summ["train_time_s"], "best_" + select: best,
             "best_iter": best_rec["iter"] if best_rec else None, "peak_gpu_mem_gib": summ["peak_gpu_mem_gib"]})
    with open(os.path.join(out, "summary.json"), "w") as f:
        json.dump(summ, f, indent=1)
