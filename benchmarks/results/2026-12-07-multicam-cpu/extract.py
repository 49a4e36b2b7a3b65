import json, sys, glob, os, re
d = sys.argv[1]
for model in ("fast", "default"):
    for tag in ("single", "1", "2", "4"):
        p = f"{d}/{model}-{tag}.json"
        if not os.path.exists(p): continue
        j = json.load(open(p))
        txt = open(f"{d}/{model}-{tag}.txt").read()
        mem = re.search(r"process memory (\d+) MiB", txt); load = re.search(r"loaded in ([\d.]+) s", txt)
        if "cameras" in j:
            cams = j["cameras"]
            per = []
            for c in cams:
                e = next(l for l in c["latency"] if l["quantity"] == "end_to_end")
                inf = next(l for l in c["latency"] if l["quantity"] == "infer")
                per.append((c["camera_id"], c["counters"]["processed"], c["fps"], e["p50_ms"], e["p99_ms"], inf["p50_ms"]))
            print(model, tag, f"all {j['fps']:.1f} fps over {j['seconds']:.1f}s", f"mem {mem.group(1) if mem else '?'}MiB load {load.group(1) if load else '?'}s",
                  " | ".join(f"{i}: n={n} {f:.1f}fps e2e {a:.1f}/{b:.1f} inf {c:.1f}" for i, n, f, a, b, c in per))
        else:
            e = next(l for l in j["latency"] if l["quantity"] == "end_to_end")
            inf = next(l for l in j["latency"] if l["quantity"] == "infer")
            print(model, tag, f"{j['fps']:.1f} fps over {j['seconds']:.1f}s n={j['counters']['processed']} e2e {e['p50_ms']:.1f}/{e['p99_ms']:.1f} inf {inf['p50_ms']:.1f}")
