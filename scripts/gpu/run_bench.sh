#!/usr/bin/env bash
# `run` itself with many cameras on the GPU (issue #18's "16 cameras at 30 Hz within 33 ms p99, in one run"), in ONE
# device call of <= 6 min, after the node is staged (scripts/gpu/README.md: publish.sh, then the .gpu/CALLS.md calls):
#
#   bash .gpu/stage.sh --finish && bash scripts/gpu/run_bench.sh .carry/wave2          # timeout_s 420
#
# MODELS_DIR (default .carry/wave2, filled by scripts/gpu/wave2_carry.sh) holds camvid-panoptic and culane-lanes.fp16 with
# their cards; the fp16 + resize-in-graph variants are made here by scripts/gpu/wrap_models.py (kept in $WRAPPED between
# calls of a warm machine). The cameras play one synthetic 1280x720 drive rendered here at 30 fps (`synth`, looped), each
# camera paced at 30 Hz on its own capture thread, newest frame wins. Every configuration is one `run` with
# -a cuda --cuda-graph (fp16 models, device I/O + CUDA graph) --preprocess graph --degrade off --deadline-ms 1000 (nothing
# is cut short: the p99 is the real end to end) for DURATION seconds after its models load, writing --report JSON.
# Configurations, most important first, each bounded (timeout; a run stopped by its limit after loading still writes its
# report: SIGTERM stops the node as Ctrl+C does) and run only while the total guard (DEADLINE_S) lasts:
#   c1     1 camera
#   b16 b8 b4   16/8/4 cameras, --batching batched (2 sessions at batch N)
#   p4 p8 p16   4/8/16 cameras, --batching per-camera (2 sessions per camera: model loads take 2-7 s each, so p8 needs ~1-2.5 min and p16 ~2-4 min: p16 runs only when the others left it 150 s)
# A second call on the warm machine (wrapped models and drive kept in $WRAPPED) can run what the guard skipped, e.g.
#   CONFIGS="p16" OUT=/tmp/dp-runbench-p16 bash scripts/gpu/run_bench.sh .carry/wave2
# Knobs: CONFIGS="c1 b16 ..." (only those), DURATION (8 s), FPS (30), DRIVE_FRAMES (90), DEADLINE_S (340), ACCEL (cuda),
# CUDNN (HEURISTIC), NODE (the node command; default $APP/drive-perception), PYTHON (python3), OUT (/tmp/dp-runbench).
# Dry run without a GPU (here, ~4 min on 2 cores):
#   ACCEL=cpu CONFIGS="c1 b4 p4" DURATION=3 FPS=5 DRIVE_FRAMES=6 NODE="dotnet src/DrivePerception.Node/bin/Release/net10.0/drive-perception.dll" \
#   PYTHON=/usr/bin/python3 OUT=/tmp/runbench bash scripts/gpu/run_bench.sh models
# Writes into $OUT: table.md (per configuration: per-camera end-to-end p50/p99 and frames/s, worst camera), log.txt,
# summary.txt and run-<config>.json (the --report of each run).
set -uo pipefail
app=${APP:-/tmp/gpu-app}
out=${OUT:-/tmp/dp-runbench}
models=$(cd "${1:-.carry/wave2}" 2>/dev/null && pwd) || { echo "run_bench.sh: no models folder ${1:-.carry/wave2}: run scripts/gpu/wave2_carry.sh here and carry it" >&2; exit 2; }
node=${NODE:-$app/drive-perception}
py=${PYTHON:-python3}
accel=${ACCEL:-cuda}
deadline=${DEADLINE_S:-340}
duration=${DURATION:-8} fps=${FPS:-30} drive_frames=${DRIVE_FRAMES:-90} cudnn=${CUDNN:-HEURISTIC}
wrapped=${WRAPPED:-/tmp/dp-runbench-models}
drive=$wrapped/drive-1280x720-${fps}fps.mcap
mkdir -p "$out" "$wrapped"
export DP_HOME=$PWD LD_LIBRARY_PATH="$app/native-deps:$app${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" PYTHONUNBUFFERED=1
log="$out/log.txt" table="$out/table.md" summary="$out/summary.txt"
: > "$log"; : > "$summary"
say() { echo "$*" | tee -a "$log"; }
if [[ -z ${NODE:-} && ! -x $app/drive-perception ]]; then say "no $app/drive-perception: run .gpu/stage.sh --finish first"; exit 2; fi

say "== $(date -u +%FT%TZ) run_bench.sh: guard ${deadline}s, ${duration}s a run, ${fps} Hz, accelerator $accel, models $models"
{ nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader; lscpu | grep -E "Model name|^CPU\(s\)"; grep -o -m1 avx512f /proc/cpuinfo || echo "no avx512f"; } 2>&1 | tee -a "$log" "$summary" >/dev/null

# The models: fp16 with the resize in the graph (the fp32 .prep siblings too, for the CPU provider of a dry run).
if [[ ! -f $wrapped/camvid-panoptic.fp16.prep.onnx || ! -f $wrapped/culane-lanes.fp16.prep.onnx ]]; then
  for m in camvid-panoptic culane-lanes; do cp "$models/$m.onnx" "$models/$m.card.json" "$wrapped/" || exit 2; done
  "$py" scripts/gpu/wrap_models.py "$wrapped/camvid-panoptic.onnx" "$wrapped/culane-lanes.onnx" --fp16 --preprocess >>"$log" 2>&1 \
    || { say "== wrapping failed (python3 with onnx?): see log.txt"; exit 2; }
fi
# One 1280x720 drive at $fps, looped by every camera.
if [[ ! -f $drive ]]; then
  t0=$SECONDS
  $node synth --scenario cruising --calibration calibration/synthetic-1280x720.yaml --fps "$fps" -n "$drive_frames" -o "$drive" --overwrite >>"$log" 2>&1 \
    || { say "== synth failed: see log.txt"; exit 2; }
  say "== rendered $drive ($drive_frames frames) in $((SECONDS - t0))s"
fi

# config NAME CAMERAS BATCHING MAX_SECONDS MIN_SECONDS: one `run`, bounded.
config() {
  local name=$1 cameras=$2 batching=$3 max=$4 min=$5
  if [[ -n ${CONFIGS:-} && " $CONFIGS " != *" $name "* ]]; then return; fi
  local left=$((deadline - SECONDS))
  if ((left < min)); then say "== $name skipped: ${left}s left, needs ${min}s"; echo "$name skipped (time guard)" >> "$summary"; return; fi
  local limit=$((max < left ? max : left)) sources=() k
  for ((k = 0; k < cameras; k++)); do sources+=(--source "cam$k=$drive"); done
  say "== $name: $cameras camera(s), $batching (limit ${limit}s)"
  local t0=$SECONDS
  timeout -k 5 "$limit" $node run "${sources[@]}" --loop --duration "$duration" -a "$accel" --cuda-graph --cudnn-search "$cudnn" \
    --semantic-model "$wrapped/camvid-panoptic.fp16.onnx" --lane-model "$wrapped/culane-lanes.fp16.onnx" --preprocess graph \
    --batching "$batching" --degrade off --deadline-ms 1000 --publish "tcp://127.0.0.1:$((5900 + cameras))" \
    --report "$out/run-$name.json" >>"$log" 2>&1
  local rc=$?
  say "== $name exit $rc after $((SECONDS - t0))s"
  echo "$name exit $rc after $((SECONDS - t0))s" >> "$summary"
}

config c1 1 per-camera 60 25
config b16 16 batched 90 40
config b8 8 batched 70 35
config b4 4 batched 60 30
config p4 4 per-camera 80 40
config p8 8 per-camera 150 100
config p16 16 per-camera 240 150

# The table: per configuration, per-camera end to end (median camera's p50, worst camera's p99) and frames/s.
"$py" - "$out" "$fps" <<'PY' | tee "$table" | tee -a "$log"
import glob, json, os, sys
out, fps = sys.argv[1], float(sys.argv[2])
order = ["c1", "b4", "b8", "b16", "p4", "p8", "p16"]
print(f"| config | cameras | batching | e2e p50 ms (median camera) | e2e p99 ms (worst camera) | frames/s per camera (min / mean) | dropped stale | p99 <= 33 ms and >= {fps * 0.95:.1f} fps each |")
print("|---|---|---|---|---|---|---|---|")
for name in order:
    path = os.path.join(out, f"run-{name}.json")
    if not os.path.exists(path):
        continue
    report = json.load(open(path))
    cams = report["cameras"]
    def stage(cam, q):
        return next((s for s in cam["latency"] if s["quantity"] == q), None)
    e2e = [stage(c, "end_to_end") for c in cams]
    if any(s is None or s["count"] == 0 for s in e2e):
        print(f"| {name} | {len(cams)} | | no frames | | | | no |")
        continue
    p50 = sorted(s["p50_ms"] for s in e2e)[len(e2e) // 2]
    p99 = max(s["p99_ms"] for s in e2e)
    rates = [c["fps"] for c in cams]
    captured = sum(c["counters"]["captured"] for c in cams)
    stale = sum(c["counters"]["dropped_stale"] for c in cams)
    batching = "batched" if name.startswith("b") else "per-camera"
    ok = "yes" if p99 <= 33 and min(rates) >= fps * 0.95 else "no"
    print(f"| {name} | {len(cams)} | {batching} | {p50:.2f} | {p99:.2f} | {min(rates):.1f} / {sum(rates) / len(rates):.1f} | {stale} of {captured} | {ok} |")
PY
say "== done after ${SECONDS}s; providers and I/O as they ran:"
grep -hE "running on|device I/O|refused|unavailable|fp16 on the CPU|error|cannot start" "$log" | sed -E 's/^[0-9:.]+ //; s/cam[0-9]+: //' | sort | uniq -c | sort -rn | head -20 | tee -a "$summary"
ls -la "$out"
