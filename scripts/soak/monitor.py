#!/usr/bin/python3
"""Samples a running node every --interval seconds into a CSV until it exits (or --duration passes): resident
memory (VmRSS), open handles (/proc/PID/fd), threads, CPU time, and from its latest status message frames and
latency p50/p99. Then judges the run: flat when, after --warmup seconds, RSS grows slower than --rss-slope-max
MB/min (least-squares slope) and by no more than --rss-growth-max MB overall, and handles and threads do not grow
past --fd-growth-max / --thread-growth-max (the least of the last three samples
over the first: a handle open for a moment at a sample is not growth). Prints the verdict; exit 0 flat, 1 not flat, 2 nothing to judge.

    monitor.py --pid 1234 --endpoint tcp://127.0.0.1:5599 --csv soak.csv --interval 10 --warmup 60
"""
import argparse
import csv
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "clients", "python"))
import drive_perception_client as dpc  # noqa: E402

FIELDS = ["t_s", "rss_mb", "fds", "threads", "cpu_s", "captured", "processed", "dropped_stale", "dropped_deadline",
          "deadline_misses", "fps", "latency_p50_ms", "latency_p99_ms", "health"]


def proc_sample(pid):
    """(rss MB, fds, threads, cpu seconds) of pid, or None once it has gone."""
    try:
        status = open(f"/proc/{pid}/status").read()
        fds = len(os.listdir(f"/proc/{pid}/fd"))
        stat = open(f"/proc/{pid}/stat").read()
    except (FileNotFoundError, ProcessLookupError):
        return None
    fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    rss_kb = int(fields["VmRSS"].split()[0])
    threads = int(fields["Threads"])
    # utime and stime are fields 14 and 15; the command name (field 2) may hold spaces, so split after ')'.
    after = stat.rsplit(")", 1)[1].split()
    cpu_s = (int(after[11]) + int(after[12])) / os.sysconf("SC_CLK_TCK")
    return rss_kb / 1024.0, fds, threads, cpu_s


def fd_kinds(pid):
    """Open handles of pid by kind (file path, socket, pipe, anon_inode:...), as a {kind: count} map."""
    kinds = {}
    try:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
            except OSError:
                continue
            kind = target.split(":[", 1)[0] if ":[" in target else target
            kinds[kind] = kinds.get(kind, 0) + 1
    except (FileNotFoundError, ProcessLookupError):
        return None
    return kinds


def kinds_diff(before, after):
    """Handle kinds whose count changed, as text (empty when none)."""
    keys = sorted(set(before) | set(after))
    return ", ".join(f"{k} {before.get(k, 0)}->{after.get(k, 0)}" for k in keys if before.get(k, 0) != after.get(k, 0))


def slope_per_min(ts, ys):
    """Least-squares slope of ys over ts (seconds), per minute."""
    n = len(ts)
    mt, my = sum(ts) / n, sum(ys) / n
    var = sum((t - mt) ** 2 for t in ts)
    return 0.0 if var == 0 else 60.0 * sum((t - mt) * (y - my) for t, y in zip(ts, ys)) / var


def percentile(xs, q):
    s = sorted(xs)
    return s[min(len(s) - 1, int(round(q / 100.0 * (len(s) - 1))))]


def judge(rows, args, kinds_first=None, kinds_last=None):
    """Returns (flat, lines) from the rows after the warm-up."""
    after = [r for r in rows if r["t_s"] >= args.warmup]
    if len(after) < 3:
        return None, [f"verdict: NOT JUDGED: {len(after)} sample(s) after the {args.warmup:g} s warm-up; run longer or sample more often"]
    ts = [r["t_s"] for r in after]
    rss = [r["rss_mb"] for r in after]
    slope = slope_per_min(ts, rss)
    growth = rss[-1] - rss[0]
    # Growth that stays: the least of the last three samples over the first. A handle open for a moment (the next lap's
    # file opened before the last one is closed) is not a leak; one that stays is.
    tail = after[-3:]
    fd_growth = min(r["fds"] for r in tail) - after[0]["fds"]
    thread_growth = min(r["threads"] for r in tail) - after[0]["threads"]
    p50 = [r["latency_p50_ms"] for r in after if r["latency_p50_ms"] != ""]
    p99 = [r["latency_p99_ms"] for r in after if r["latency_p99_ms"] != ""]
    problems = []
    if args.rss_slope_max > 0 and slope > args.rss_slope_max:
        problems.append(f"RSS slope {slope:.2f} MB/min > {args.rss_slope_max:g}")
    if growth > args.rss_growth_max:
        problems.append(f"RSS grew {growth:.1f} MB > {args.rss_growth_max:g}")
    if fd_growth > args.fd_growth_max:
        problems.append(f"handles grew by {fd_growth} > {args.fd_growth_max}")
    if thread_growth > args.thread_growth_max:
        problems.append(f"threads grew by {thread_growth} > {args.thread_growth_max}")
    lines = [
        f"samples after the {args.warmup:g} s warm-up: {len(after)} over {ts[-1] - ts[0]:.0f} s",
        f"RSS MB: first {rss[0]:.1f}, last {rss[-1]:.1f}, min {min(rss):.1f}, max {max(rss):.1f}; slope {slope:+.2f} MB/min (limit {args.rss_slope_max:g}{' = not gated' if args.rss_slope_max <= 0 else ''}), growth {growth:+.1f} MB (limit {args.rss_growth_max:g})",
        f"handles: first {after[0]['fds']}, max {max(r['fds'] for r in after)}, last {after[-1]['fds']} (lasting growth {fd_growth}, limit {args.fd_growth_max}); "
        f"threads: first {after[0]['threads']}, max {max(r['threads'] for r in after)}, last {after[-1]['threads']} (lasting growth {thread_growth}, limit {args.thread_growth_max})",
    ]
    if p50:
        lines.append(f"status latency over the samples: p50 of the 10 s p50s {percentile(p50, 50):.1f} ms (range {min(p50):.1f}-{max(p50):.1f}); "
                     f"p99s median {percentile(p99, 50):.1f} ms, max {max(p99):.1f} ms")
    last = after[-1]
    if last["captured"] != "":
        lines.append(f"frames at the last sample: captured {last['captured']}, processed {last['processed']}, dropped stale {last['dropped_stale']}, "
                     f"past deadline {last['dropped_deadline']}, deadline misses {last['deadline_misses']}; CPU {last['cpu_s']:.0f} s")
    if kinds_first is not None and kinds_last is not None:
        changed = kinds_diff(kinds_first, kinds_last)
        lines.append("handle kinds, first sample after the warm-up -> last: " + (changed or "unchanged"))
    lines.append("verdict: FLAT" if not problems else "verdict: NOT FLAT: " + "; ".join(problems))
    return not problems, lines


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pid", type=int, required=True)
    ap.add_argument("--endpoint", required=True, help="the node's --publish endpoint (its status messages)")
    ap.add_argument("--csv", required=True)
    ap.add_argument("--interval", type=float, default=10.0)
    ap.add_argument("--duration", type=float, default=0.0, help="stop sampling after this long even if the node runs on; 0: until it exits")
    ap.add_argument("--warmup", type=float, default=60.0)
    ap.add_argument("--rss-slope-max", type=float, default=1.0, help="MB per minute; 0: not gated (a short run's slope is noise)")
    ap.add_argument("--rss-growth-max", type=float, default=32.0, help="MB, last sample over the first after the warm-up")
    ap.add_argument("--fd-growth-max", type=int, default=0)
    ap.add_argument("--thread-growth-max", type=int, default=2)
    args = ap.parse_args()
    if args.interval <= 0 or args.warmup < 0 or args.duration < 0:
        ap.error("--interval must be > 0, --warmup and --duration >= 0")

    rows = []
    status = {}
    kinds_first = kinds_last = None
    started = time.monotonic()
    with dpc.Subscriber(args.endpoint, topics=[dpc.STATUS]) as sub, open(args.csv, "w", newline="") as f:
        out = csv.DictWriter(f, fieldnames=FIELDS)
        out.writeheader()
        next_at = started + args.interval
        while True:
            # Keep the newest status while waiting for the next sample time.
            while time.monotonic() < next_at:
                try:
                    latest = sub.receive_latest(timeout_s=max(0.0, next_at - time.monotonic()))
                except dpc.PayloadError:
                    continue
                if dpc.STATUS in latest:
                    status = latest[dpc.STATUS]
            next_at += args.interval
            sample = proc_sample(args.pid)
            if sample is None:
                break
            c = status.get("counters", {})
            row = {"t_s": round(time.monotonic() - started, 1), "rss_mb": round(sample[0], 1), "fds": sample[1], "threads": sample[2],
                   "cpu_s": round(sample[3], 2), "captured": c.get("captured", ""), "processed": c.get("processed", ""),
                   "dropped_stale": c.get("dropped_stale", ""), "dropped_deadline": c.get("dropped_deadline", ""),
                   "deadline_misses": c.get("deadline_misses", ""), "fps": round(status["fps"], 1) if "fps" in status else "",
                   "latency_p50_ms": round(status["latency_p50_ms"], 1) if "latency_p50_ms" in status else "",
                   "latency_p99_ms": round(status["latency_p99_ms"], 1) if "latency_p99_ms" in status else "",
                   "health": status.get("health", "")}
            rows.append(row)
            out.writerow(row)
            kinds = fd_kinds(args.pid)
            if kinds is not None:
                kinds_last = kinds
                if kinds_first is None and row["t_s"] >= args.warmup:
                    kinds_first = kinds
            f.flush()
            if args.duration and time.monotonic() - started >= args.duration:
                break
    flat, lines = judge(rows, args, kinds_first, kinds_last)
    print("\n".join(lines))
    sys.exit(2 if flat is None else 0 if flat else 1)


if __name__ == "__main__":
    main()
