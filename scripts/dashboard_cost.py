#!/usr/bin/python3
"""What a connected dashboard costs the node (docs/DASHBOARD.md, BENCHMARKS.md).

One `dashboard` runs for the whole session, as on a rig, with one Server-Sent Events client reading it as an open page
does, and is warmed by one replay first. Then the drive is replayed losslessly (--fast) PAIRS times publishing where
the dashboard does not subscribe ("without") and PAIRS times where it does ("with"), alternating A B B A ... in the same
minutes. Prints per-stage p50/p99 (median over each condition's runs, with the spread), frames/s, the node's CPU
seconds per frame, and the dashboard's CPU seconds during the "with" runs as a share of the node's.

Usage: scripts/dashboard_cost.py [DRIVE] [PAIRS]
"""
import json, os, resource, socket, statistics, subprocess, sys, tempfile, time, urllib.request

here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
drive = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "recordings", "cruising.mcap")
pairs = int(sys.argv[2]) if len(sys.argv) > 2 else 4
node = os.path.join(here, "drive-perception")
out = tempfile.mkdtemp(prefix="dashboard-cost.")
subprocess.run([node, "--help"], check=True, stdout=subprocess.DEVNULL)  # build first, outside the timed runs


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime, seconds


watched, unwatched, http = f"tcp://127.0.0.1:{free_port()}", f"tcp://127.0.0.1:{free_port()}", free_port()
dashboard = subprocess.Popen([node, "dashboard", "--connect", watched, "--http", f"127.0.0.1:{http}", "--quiet"])
for _ in range(300):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{http}/api/snapshot", timeout=1).read()
        break
    except OSError:
        time.sleep(0.2)
page = subprocess.Popen(["curl", "-s", "-N", f"http://127.0.0.1:{http}/api/events"], stdout=subprocess.DEVNULL)


def replay(label, endpoint):
    before_children = resource.getrusage(resource.RUSAGE_CHILDREN)
    dash_before = cpu_ticks(dashboard.pid)
    subprocess.run([node, "replay", drive, "--fast", "--publish", endpoint, "--report", f"{out}/{label}.json", "--quiet"],
                   check=True, stdout=subprocess.DEVNULL)
    after_children = resource.getrusage(resource.RUSAGE_CHILDREN)
    report = json.load(open(f"{out}/{label}.json"))
    report["node_cpu_s"] = (after_children.ru_utime + after_children.ru_stime) - (before_children.ru_utime + before_children.ru_stime)
    report["dashboard_cpu_s"] = cpu_ticks(dashboard.pid) - dash_before
    json.dump(report, open(f"{out}/{label}.json", "w"))
    return report


try:
    replay("warmup", watched)
    runs = {"without": [], "with": []}
    for i in range(1, pairs + 1):
        order = [("without", unwatched), ("with", watched)]
        for condition, endpoint in (order if i % 2 else order[::-1]):
            runs[condition].append(replay(f"{condition}-{i}", endpoint))
        print(f"pair {i} done", file=sys.stderr)
finally:
    page.terminate()
    dashboard.terminate()
    dashboard.wait(30)


def per(c, q, k):
    return [next(l[k] for l in r["latency"] if l["quantity"] == q) for r in runs[c]]


def cell(values):
    return f"{statistics.median(values):7.2f} ({min(values):.1f}-{max(values):.1f})"


print(f"{pairs} runs without, {pairs} with (alternated); medians over runs (min-max)")
print(f"{'quantity':<12} {'p50 without':>20} {'p50 with':>20} {'ratio':>6} {'p99 without':>20} {'p99 with':>20} {'ratio':>6}")
for q in ("preprocess", "infer", "postprocess", "encode", "end_to_end"):
    row = []
    for k in ("p50_ms", "p99_ms"):
        a, b = per("without", q, k), per("with", q, k)
        row += [cell(a), cell(b), f"{statistics.median(b) / statistics.median(a):6.3f}"]
    print(f"{q:<12} {row[0]:>20} {row[1]:>20} {row[2]:>6} {row[3]:>20} {row[4]:>20} {row[5]:>6}")
for name, key in (("frames/s", "fps"),):
    a, b = [r[key] for r in runs["without"]], [r[key] for r in runs["with"]]
    print(f"{name:<12} without {cell(a)}  with {cell(b)}  ratio {statistics.median(b) / statistics.median(a):.3f}")
cpu_a = [r["node_cpu_s"] * 1000 / r["counters"]["processed"] for r in runs["without"]]
cpu_b = [r["node_cpu_s"] * 1000 / r["counters"]["processed"] for r in runs["with"]]
print(f"node CPU ms/frame  without {cell(cpu_a)}  with {cell(cpu_b)}  ratio {statistics.median(cpu_b) / statistics.median(cpu_a):.3f}")
share_b = [r["dashboard_cpu_s"] / r["node_cpu_s"] * 100 for r in runs["with"]]
share_a = [r["dashboard_cpu_s"] / r["node_cpu_s"] * 100 for r in runs["without"]]
print(f"dashboard CPU as % of the node's: while watching it {cell(share_b)}; while it watched nothing {cell(share_a)}")
print(f"reports in {out}")
