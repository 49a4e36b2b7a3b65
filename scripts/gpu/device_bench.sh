#!/usr/bin/env bash
# The GPU measurement of issue #6, on the device after `.gpu/stage.sh --finish` (app in /tmp/gpu-app), from the
# repository root:   bash scripts/gpu/device_bench.sh [MODELS_DIR]      (default models)
# Steps, most important first, each skipped when the time left (DEADLINE_S, default 360) cannot hold it:
#   A  node, fp16, device I/O + CUDA graph, 480x360 and 1280x720, 1/2/4/8 cameras, per-camera and batched, class map
#   T  PyTorch baseline (training/bench_torch.py): eager fp16 and torch.compile fp16, batch 1 and 8
#   B  node, fp32, host I/O (ORT copies), 1 and 8 cameras, per-camera: the levers off
#   C  node, fp16, host I/O, 1 camera: fp16 alone
#   D  node, fp32, device I/O + CUDA graph, 1 camera: graph and device buffers alone
# Smoke test without a GPU: ACCEL=cpu FRAMES=3 TORCH_ITERS=2 APP=... (the node's models on the CPU).
# Writes into $OUT (or /tmp/dp-device-bench): node-*.json, torch.json, tables.md, log.txt (at most 8 files).
set -uo pipefail
app=${APP:-/tmp/gpu-app}
out=${OUT:-/tmp/dp-device-bench}
if [[ ${1:-} == --node ]]; then  # one node bench (run under timeout by step): --node NAME SEMANTIC LANE ARGS...
  name=$2 semantic=$3 lane=$4; shift 4
  "$app/drive-perception" bench -a "${ACCEL:-cuda}" --semantic-model "$MODELS/$semantic" --lane-model "$MODELS/$lane" --classmap \
    --warmup 20 --json "$out/$name.json" --table "$out/$name.md" "$@" || exit
  { echo "## $name"; cat "$out/$name.md"; echo; } >> "$out/tables.md"
  rm -f "$out/$name.md"
  exit 0
fi
models=${1:-models}
export MODELS=$models APP=$app OUT=$out
deadline=${DEADLINE_S:-360}
frames=${FRAMES:-200}
mkdir -p "$out"
export DP_HOME=$PWD LD_LIBRARY_PATH="$app/native-deps:$app${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" PYTHONUNBUFFERED=1
log="$out/log.txt"; tables="$out/tables.md"
: > "$log"; : > "$tables"
say() { echo "$*" | tee -a "$log"; }
[[ -x $app/drive-perception ]] || { say "no $app/drive-perception: run .gpu/stage.sh --finish first"; exit 2; }

say "== $(date -u +%FT%TZ) device_bench.sh, deadline ${deadline}s, $frames frames per camera"
nvidia-smi 2>&1 | tee -a "$log"

# step NAME MAX_SECONDS MIN_SECONDS COMMAND...: runs when at least MIN_SECONDS are left, for at most MAX_SECONDS.
step() {
  local name=$1 max=$2 min=$3; shift 3
  local left=$((deadline - SECONDS))
  if ((left < min)); then say "== $name skipped: ${left}s left, needs ${min}s"; return; fi
  local limit=$((max < left ? max : left))
  say "== $name (limit ${limit}s): $*"
  local t0=$SECONDS
  timeout "$limit" "$@" >>"$log" 2>&1
  say "== $name exit $? after $((SECONDS - t0))s"
}

step A 200 60 bash "$0" --node node-fp16-graph camvid-fast.fp16.onnx culane-lanes.fp16.onnx --cuda-graph --batching both \
  --resolutions 480x360,1280x720 --cameras 1,2,4,8 --frames "$frames"
step T 170 60 "${PYTHON:-python3}" training/bench_torch.py --models "$models" --out "$out/torch.json" --iters "${TORCH_ITERS:-200}" --batches 1,8 \
  --compile-mode reduce-overhead --deadline-s 110
step B 100 40 bash "$0" --node node-fp32-host camvid-fast.onnx culane-lanes.onnx --gpu-io host --batching per-camera \
  --resolutions 480x360,1280x720 --cameras 1,8 --frames "$frames"
step C 45 25 bash "$0" --node node-fp16-host camvid-fast.fp16.onnx culane-lanes.fp16.onnx --gpu-io host \
  --resolutions 480x360,1280x720 --cameras 1 --frames "$frames"
step D 45 25 bash "$0" --node node-fp32-graph camvid-fast.onnx culane-lanes.onnx --cuda-graph \
  --resolutions 480x360,1280x720 --cameras 1 --frames "$frames"

say "== done after ${SECONDS}s; the models' provider and I/O as they ran:"
grep -hE "running on|device I/O|refused|unavailable" "$log" | sort | uniq -c | tee -a "$out/summary.txt" | head -20
ls -la "$out"
