#!/usr/bin/python3
"""What a connected dashboard costs the node (docs/DASHBOARD.md, BENCHMARKS.md).

Subscribers stay up for the whole session, as on a rig, each connected to an endpoint of its own and warmed by one
replay: the `dashboard` (with one Server-Sent Events client reading it, as an open page does) and, for comparison,
plain Python subscribers (zmq + msgpack, nothing else) of chosen topics. Then the drive is replayed losslessly (--fast,
--loop up to --frames frames) once per condition per round, the node publishing where only that condition's subscriber
listens ("none": where nobody does); the order of the conditions rotates every round, so each sees the same minutes.

The node's CPU per frame is read from /proc between its first and its last progress line (steady state: start-up, JIT
and model loading left out), and also over the whole process. Each condition is compared with "none" of the same round:
the per-round ratios, then their median, so a load that drifts across the session cancels. The 1-minute load average
is printed with every run.

Usage: scripts/dashboard_cost.py [--drive D] [--rounds N] [--frames N]
                                 [--conditions none,dashboard,py:perception/lanes+perception/status,...]
A condition is `none`, `dashboard` (the dashboard as it ships, its default subscription) or
`py:TOPIC+TOPIC` (a plain Python subscriber of those topics; `py:all` for every topic).
"""
import argparse, json, os, re, shutil, socket, statistics, subprocess, sys, tempfile, threading, time, urllib.request

here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
parser.add_argument("--drive", default=os.path.join(here, "recordings", "cruising.mcap"))
parser.add_argument("--rounds", type=int, default=6)
parser.add_argument("--frames", type=int, default=300, help="frames per run (the drive loops)")
parser.add_argument("--conditions", default="none,dashboard,py:perception/lanes+perception/status,py:perception/status")
args = parser.parse_args()
conditions = args.conditions.split(",")
if "none" not in conditions:
    sys.exit("dashboard_cost.py: --conditions must include none (the baseline each ratio is taken against)")
out = tempfile.mkdtemp(prefix="dashboard-cost.")
# Build first, outside the timed runs, then run a copy: the launcher rebuilds whenever a source changes, which must not
# happen (nor change the binary) in the middle of a session.
subprocess.run([os.path.join(here, "drive-perception"), "--help"], check=True, stdout=subprocess.DEVNULL)
shutil.copytree(os.path.join(here, ".dp-build", "node-cpu"), os.path.join(out, "node"))
NODE = ["dotnet", os.path.join(out, "node", "drive-perception.dll")]

# A plain subscriber: receive and decode each message, as a planner's Python client does, and nothing else.
PY_SUBSCRIBER = r"""
import sys, zmq, msgpack
s = zmq.Context().socket(zmq.SUB)
s.connect(sys.argv[1])
for t in sys.argv[2].split("+"):
    s.setsockopt(zmq.SUBSCRIBE, b"" if t == "all" else t.encode())
while True:
    topic, payload = s.recv_multipart()
    msgpack.unpackb(payload, raw=False)
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def thread_cpu_seconds(pid):
    """CPU seconds per thread name, from schedstat (nanoseconds, where /proc's stat counts 10 ms ticks). NetMQ names its
    I/O thread iothread-N and its reaper reaper-N; ONNX Runtime's threads inherit .NET's names."""
    by_name = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/comm") as f:
                name = f.read().strip()
            with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
                run_ns = int(f.read().split()[0])
        except OSError:
            continue  # the thread ended
        by_name[name] = by_name.get(name, 0) + run_ns / 1e9
    return by_name


def load1():
    return float(open("/proc/loadavg").read().split()[0])


endpoints = {c: f"tcp://127.0.0.1:{free_port()}" for c in conditions}
helpers = {}  # condition -> the processes that listen for it
try:
    for c in conditions:
        if c == "dashboard":
            http = free_port()
            dash = subprocess.Popen(NODE + ["dashboard", "--connect", endpoints[c], "--http", f"127.0.0.1:{http}", "--quiet"])
            for _ in range(300):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{http}/api/snapshot", timeout=1).read()
                    break
                except OSError:
                    time.sleep(0.2)
            page = subprocess.Popen(["curl", "-s", "-N", f"http://127.0.0.1:{http}/api/events"], stdout=subprocess.DEVNULL)
            helpers[c] = [dash, page]
        elif c.startswith("py:"):
            helpers[c] = [subprocess.Popen(["/usr/bin/python3", "-c", PY_SUBSCRIBER, endpoints[c], c[3:]])]
        elif c != "none":
            sys.exit(f"dashboard_cost.py: unknown condition {c!r}; use none, dashboard or py:TOPIC+TOPIC")

    progress = re.compile(r"frame \d+.*processed (\d+),")

    def replay(label, endpoint):
        listeners = helpers.get(label.split("#")[0], [])
        path = os.path.join(out, re.sub(r"[^A-Za-z0-9#.-]", "_", label) + ".json")
        before = sum(cpu_seconds(p.pid) for p in listeners)
        load = load1()
        proc = subprocess.Popen(NODE + ["replay", args.drive, "--fast", "--loop", "--max-frames", str(args.frames),
                                 "--publish", endpoint, "--report", path],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        marks = []  # (processed, node cpu s, wall s) at each progress line
        tail = []
        for line in proc.stderr:
            tail = (tail + [line])[-40:]
            m = progress.search(line)
            if m:
                marks.append((int(m.group(1)), cpu_seconds(proc.pid), time.monotonic(), thread_cpu_seconds(proc.pid)))
        proc.wait()
        if proc.returncode != 0:
            sys.exit(f"dashboard_cost.py: replay exited {proc.returncode}:\n{''.join(tail)}")
        report = json.load(open(path))
        if len(marks) < 2:
            sys.exit("dashboard_cost.py: fewer than two progress lines; give more --frames")
        (f0, c0, t0, th0), (f1, c1, t1, th1) = marks[0], marks[-1]
        io = sum(v - th0.get(k, 0) for k, v in th1.items() if k.startswith("iothread") or k.startswith("reaper"))
        report["netmq_cpu_ms_per_frame"] = io * 1000 / (f1 - f0)
        report["netmq_cpu_ms_per_s"] = io * 1000 / (t1 - t0)
        report["steady_cpu_ms_per_frame"] = (c1 - c0) * 1000 / (f1 - f0)
        report["steady_fps"] = (f1 - f0) / (t1 - t0)
        report["listener_cpu_s"] = sum(cpu_seconds(p.pid) for p in listeners) - before
        report["load1"] = load
        json.dump(report, open(path, "w"))
        return report

    for c in conditions:  # warm every listener (JIT, connection) outside the timed runs
        replay(f"{c}#warmup", endpoints[c])
    runs = {c: [] for c in conditions}
    for r in range(args.rounds):
        order = conditions[r % len(conditions):] + conditions[:r % len(conditions)]
        for c in order:
            rep = replay(f"{c}#{r}", endpoints[c])
            runs[c].append(rep)
            e2e = next(l for l in rep["latency"] if l["quantity"] == "end_to_end")
            print(f"round {r + 1} {c:<45} load {rep['load1']:5.2f}  steady CPU {rep['steady_cpu_ms_per_frame']:7.2f} ms/frame"
                  f"  e2e p50 {e2e['p50_ms']:7.2f} p99 {e2e['p99_ms']:7.2f} ms  NetMQ threads {rep['netmq_cpu_ms_per_frame']:.3f} ms/frame"
                  f"  listener CPU {rep['listener_cpu_s']:.2f} s",
                  file=sys.stderr, flush=True)
finally:
    for procs in helpers.values():
        for p in procs:
            p.terminate()
    for procs in helpers.values():
        for p in procs:
            p.wait(30)


def e2e(rep, k):
    return next(l[k] for l in rep["latency"] if l["quantity"] == "end_to_end")


measures = {
    "steady CPU ms/frame": lambda r: r["steady_cpu_ms_per_frame"],
    "e2e p50 ms": lambda r: e2e(r, "p50_ms"),
    "e2e p99 ms": lambda r: e2e(r, "p99_ms"),
    "steady frames/s": lambda r: r["steady_fps"],
    "NetMQ thread ms/frame": lambda r: r["netmq_cpu_ms_per_frame"],
    "NetMQ thread ms/s": lambda r: r["netmq_cpu_ms_per_s"],
}
loads = [r["load1"] for rs in runs.values() for r in rs]
print(f"{args.rounds} rounds of {len(conditions)} conditions, {args.frames} frames a run, drive {os.path.basename(args.drive)}; "
      f"load average (1 min) at the runs' starts {min(loads):.2f}-{max(loads):.2f}, median {statistics.median(loads):.2f}")
for c in conditions:
    if c == "none":
        continue
    print(f"\n{c} against none (same round):")
    for name, f in measures.items():
        ratios = [f(w) / f(wo) if f(wo) else float("nan") for w, wo in zip(runs[c], runs["none"])]
        base = [f(r) for r in runs["none"]]
        mine = [f(r) for r in runs[c]]
        print(f"  {name:<20} none {statistics.median(base):8.2f}  {c.split(':')[0]} {statistics.median(mine):8.2f}  "
              f"per-round ratios {' '.join(f'{x:.3f}' for x in ratios)}  median ratio {statistics.median(ratios):.3f}")
    share = [r["listener_cpu_s"] / (r["steady_cpu_ms_per_frame"] * args.frames / 1000) * 100 for r in runs[c]]
    print(f"  listener CPU during the run, % of the node's steady CPU: median {statistics.median(share):.2f} "
          f"({min(share):.2f}-{max(share):.2f})")
print(f"\nreports in {out}")
