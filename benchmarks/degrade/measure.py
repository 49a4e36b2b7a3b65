#!/usr/bin/python3
"""Plays drives paced through the node with --degrade off and auto, alternating, and measures from the wire what a
planner gets: frames per second published in full and on time, the share of captured frames published valid within the
deadline, lanes computed, end-to-end p50/p99 and the degrade levels the status announced.

usage: /usr/bin/python3 benchmarks/degrade/measure.py [--repeats N] [--port P] [DRIVE.mcap ...]
(default: every drive in recordings/ but the goldens; run ./drive-perception --help once first so the node is built)
"""
import argparse
import glob
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "clients", "python"))
import drive_perception_client as dpc  # noqa: E402

DEADLINE_MS = 100.0


def play(drive, mode, port):
    endpoint = f"tcp://127.0.0.1:{port}"
    frames = {}  # seq -> {topic: message}
    statuses = []
    with dpc.Subscriber(endpoint, topics=[dpc.LANES, dpc.VEHICLES, dpc.STATUS]) as sub:
        node = subprocess.Popen([os.path.join(ROOT, "drive-perception"), "replay", drive, "--publish", endpoint,
                                 "--degrade", mode, "--deadline-ms", str(DEADLINE_MS), "--quiet"],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            while True:
                got = sub.receive(timeout_s=120)
                if got is None:
                    raise RuntimeError(f"no message for 120 s from the node on {drive}")
                topic, msg = got
                if topic == dpc.STATUS:
                    statuses.append(msg)
                    if msg["health"] == "stopped":
                        break
                    continue
                frames.setdefault(msg["header"]["seq"], {})[topic] = msg
        finally:
            out, _ = node.communicate(timeout=60)
    if node.returncode != 0:
        raise RuntimeError(f"node exited {node.returncode}: {out}")
    final = statuses[-1]
    c = final["counters"]
    published = [f for f in frames.values() if dpc.VEHICLES in f and dpc.LANES in f]
    latencies = sorted(f[dpc.VEHICLES]["pipeline_latency_ms"] for f in published if f[dpc.VEHICLES]["valid"])
    on_time = [f for f in published if f[dpc.VEHICLES]["valid"] and f[dpc.VEHICLES]["pipeline_latency_ms"] <= DEADLINE_MS]
    lanes = sum(1 for f in published if f[dpc.LANES]["valid"])
    levels = sorted({s.get("degrade", {}).get("level", 0) for s in statuses})
    first_change = next((s["degrade"]["reason"] for s in statuses if s.get("degrade", {}).get("changes", 0) > 0), "")
    seconds = c["captured"] / 15.0  # the shipped drives are 15 fps; paced, the play time is the drive's length
    return dict(captured=c["captured"], processed=c["processed"], on_time=len(on_time), lanes=lanes,
                seconds=seconds, latencies=latencies, levels=levels, reason=first_change,
                changes=final.get("degrade", {}).get("changes", 0))


def pct(sorted_values, p):
    if not sorted_values:
        return float("nan")
    rank = max(1, int(-(-p * len(sorted_values) // 100)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=1)
    ap.add_argument("--port", type=int, default=5621)
    ap.add_argument("drives", nargs="*")
    a = ap.parse_args()
    drives = a.drives or sorted(d for d in glob.glob(os.path.join(ROOT, "recordings", "*.mcap")) if not d.endswith(".golden.mcap"))
    totals = {m: dict(captured=0, processed=0, on_time=0, lanes=0, seconds=0.0, latencies=[], changes=0) for m in ("off", "auto")}
    for r in range(a.repeats):
        for drive in drives:
            for mode in ("off", "auto"):  # alternated, so load that comes and goes weighs on both alike
                res = play(drive, mode, a.port)
                t = totals[mode]
                for k in ("captured", "processed", "on_time", "lanes", "seconds", "changes"):
                    t[k] += res[k]
                t["latencies"] += res["latencies"]
                lat = sorted(res["latencies"])
                print(f"{time.strftime('%H:%M:%S')} {os.path.basename(drive):28s} {mode:4s} captured {res['captured']:3d} "
                      f"processed {res['processed']:3d} on-time {res['on_time']:3d} lanes {res['lanes']:3d} "
                      f"p50 {pct(lat, 50):6.1f} p99 {pct(lat, 99):6.1f} levels {res['levels']} {res['reason'][:110]}", flush=True)
    print()
    print("mode  frames/s processed  frames/s on time  on-time share  lanes/captured  e2e p50 ms  e2e p99 ms  level changes")
    for mode, t in totals.items():
        lat = sorted(t["latencies"])
        print(f"{mode:4s}  {t['processed'] / t['seconds']:18.1f}  {t['on_time'] / t['seconds']:16.1f}  "
              f"{t['on_time'] / t['captured']:13.1%}  {t['lanes'] / t['captured']:14.1%}  {pct(lat, 50):10.1f}  {pct(lat, 99):10.1f}  {t['changes']:13d}")


if __name__ == "__main__":
    main()
