#!/usr/bin/env bash
# Issue #18's "16 cameras at 30 Hz on one H100 within 33 ms p99, in one `run`": the node's own `run` (not `bench`),
# several cameras paced at 30 frames/s from a recorded 1280x720 drive, on CUDA, fp16 models with device I/O and a CUDA
# graph; each configuration writes `--report` JSON; a table of per-camera end-to-end p50/p99 and frames/s goes to
# $OUT/run-cameras.md. Runs on the GPU machine after the node is staged (scripts/gpu/README.md) and the models wrapped
# (wave2_bench.sh step W, which leaves them in /tmp/dp-wave2-models):
#
#   STEPS=W bash scripts/gpu/wave2_bench.sh .carry/wave2 && bash scripts/gpu/run_cameras.sh .carry/run720/cruising-720p30.mcap
#
# The drive: `./drive-perception synth --scenario cruising -n 150 --fps 30 --calibration calibration/synthetic-1280x720.yaml
# -o .carry/run720/cruising-720p30.mcap` (here, 19.6 MB); every camera plays it from the start, looping.
# Knobs: CONFIGS ("CAMERAS:SCHEDULING[:OPTION=VALUE]" words, e.g. 16:turns:batching=batched; default 16 cameras threads, then turns, then 1 camera), SECONDS_EACH
# (20), CUDNN (HEURISTIC: EXHAUSTIVE search costs 2-7 s a session, 32 sessions at 16 cameras), NODE, MODELS.
# Dry run on the CPU here: ACCEL=cpu CONFIGS="2:threads 2:turns" SECONDS_EACH=3 MODELS=models SEMANTIC=camvid-fast.onnx
#   LANES=culane-lanes.onnx NODE=./drive-perception OUT=/tmp/rc bash scripts/gpu/run_cameras.sh recordings/cruising.mcap
set -uo pipefail
drive=$(realpath "${1:-.carry/run720/cruising-720p30.mcap}") || { echo "run_cameras.sh: give the drive (.mcap)" >&2; exit 2; }
app=${APP:-/tmp/gpu-app}
node=${NODE:-$app/drive-perception}
models=${MODELS:-/tmp/dp-wave2-models}
semantic=${SEMANTIC:-camvid-panoptic.fp16.onnx} lanes=${LANES:-culane-lanes.fp16.onnx}
accel=${ACCEL:-cuda}
out=${OUT:-/tmp/dp-run-cameras}
each=${SECONDS_EACH:-20}
configs=${CONFIGS:-16:threads 16:turns 1:threads}
mkdir -p "$out"
export DP_HOME=$PWD LD_LIBRARY_PATH="$app/native-deps:$app${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
[[ -f $models/$semantic && -f $models/$lanes ]] || { echo "run_cameras.sh: no $models/$semantic or $models/$lanes: run wave2_bench.sh step W first" >&2; exit 2; }
gpu_args=()
[[ $accel == cuda ]] && gpu_args=(--cuda-graph --cudnn-search "${CUDNN:-HEURISTIC}")
table="$out/run-cameras.md"
{
  echo "run, $(date -u +%FT%TZ): $(nvidia-smi --query-gpu=name --format=csv,noheader 2>/dev/null || echo no GPU); $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores"
  echo "drive $(basename "$drive") paced (--rate source), looping, ${each} s a configuration; models $semantic + $lanes on $accel"
  echo
  echo "| cameras | --camera-threads | extra | slowest camera frames/s | end to end p50 / p99 ms (worst camera) | processed / captured (all cameras) | deadline misses | load s |"
  echo "|---|---|---|---|---|---|---|---|"
} > "$table"
port=5600
for config in $configs; do
  IFS=: read -r cameras scheduling extra <<< "$config"
  extra_args=()
  # EXTRA is one more option: "batching=batched" gives --batching batched.
  [[ -n ${extra:-} ]] && extra_args=("--${extra%%=*}" ${extra#*=})
  sources=()
  for ((i = 1; i <= cameras; i++)); do sources+=(--source "$(printf 'cam%02d' "$i")=$drive"); done
  report="$out/run-${cameras}-${scheduling}${extra:+-$extra}.json"
  log="$out/run-${cameras}-${scheduling}${extra:+-$extra}.log"
  port=$((port + 1))
  # --duration counts from the first frame; the loads before it are timed from the log's ready line.
  start=$SECONDS
  timeout -k 5 $((each + 240)) "$node" run "${sources[@]}" --rate source --loop --duration "$each" -a "$accel" "${gpu_args[@]}" \
    --semantic-model "$models/$semantic" --lane-model "$models/$lanes" --camera-threads "$scheduling" "${extra_args[@]}" \
    --publish "tcp://127.0.0.1:$port" --report "$report" > "$log" 2>&1
  rc=$?
  took=$((SECONDS - start))
  if [[ $rc -ne 0 || ! -f $report ]]; then
    echo "| $cameras | $scheduling | ${extra:-} | failed (exit $rc after ${took}s; $(basename "$log")) | | | | |" >> "$table"
    continue
  fi
  python3 - "$report" "$cameras" "$scheduling" "${extra:-}" "$((took - each))" >> "$table" <<'EOF'
import json, sys
report, cameras, scheduling, extra, load_s = sys.argv[1:]
r = json.load(open(report))
cams = r["cameras"]
def lat(c, q):
    return next((l for l in c["latency"] if l["quantity"] == q), None)
e2e = [lat(c, "end_to_end") for c in cams]
worst = max((l for l in e2e if l), key=lambda l: l["p99_ms"], default=None)
captured = sum(c["counters"]["captured"] for c in cams)
processed = sum(c["counters"]["processed"] for c in cams)
misses = sum(c["counters"].get("deadline_misses", 0) for c in cams)
slowest = min(c["fps"] for c in cams)
p = f"{worst['p50_ms']:.1f} / {worst['p99_ms']:.1f}" if worst else "-"
print(f"| {cameras} | {scheduling} | {extra} | {slowest:.1f} | {p} | {processed} / {captured} | {misses} | ~{load_s} |")
EOF
done
cat "$table"
