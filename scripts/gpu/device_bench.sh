#!/usr/bin/env bash
# The GPU measurement of issue #6, on the device after `.gpu/stage.sh --finish` (app in /tmp/gpu-app), from the
# repository root:   bash scripts/gpu/device_bench.sh [MODELS_DIR]      (default models)
# Steps, most important first, each skipped when the time left (DEADLINE_S, default 480) cannot hold it:
#   P  node with the panoptic model as semantic model (camvid-panoptic.onnx, if present), 1 camera, both sizes
#   F  the semantic families that were not shipped (FCN-8s, DeepLabv3+, LR-ASPP), random-weight ONNX exports
#      (training/analysis/latency_families.py) through the node, 1 camera, 480x360: the family comparison's GPU column
#   A1 node, fp16, device I/O + CUDA graph, 480x360, 1/2/4/8 cameras, per-camera and batched, class map
#   A2 the same at 1280x720 (split from A1: model loads took 2.2-7.3 s each on the H100 with EXHAUSTIVE cuDNN search)
#   T  PyTorch baseline (training/analysis/bench_torch.py): eager fp16 and torch.compile fp16, batch 1 and 8
#   M  node with maskrcnn-lite as --instance-model (if present), 1 camera, both sizes
#   B  node, fp32, host I/O (ORT copies), 1 and 8 cameras, per-camera: the levers off
#   C  node, fp16, host I/O, 1 camera: fp16 alone
#   D  node, fp32, device I/O + CUDA graph, 1 camera: graph and device buffers alone
#   E  (only when EVAL_DATA is set) correctness on the GPU: `eval semantic` / `eval lanes` on CUDA over
#      EVAL_DATA/camvid and EVAL_DATA/culane-subset, host I/O; the scores must equal the CPU's (models/README.md)
# STEPS="E P F ..." runs only those steps (default: all). A1/A2_LIMIT (default 150) bound the device-I/O steps, A_CAMERAS (default 1,2,4,8) their camera counts (model loads take 5-7 s each with cuDNN's exhaustive search: 8 cameras per-camera load 16 sessions).
# Smoke test without a GPU: ACCEL=cpu FRAMES=3 TORCH_ITERS=2 APP=... (the node's models on the CPU).
# Writes into $OUT (or /tmp/dp-device-bench): results.tgz (every JSON), tables.md, log.txt, summary.txt.
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
if [[ ${1:-} == --families ]]; then  # random-weight exports of the non-shipped families, each through the node
  "${PYTHON:-python3}" training/analysis/latency_families.py --out /tmp/dp-families --only camvid-fcn8s camvid-deeplabv3plus camvid-lraspp || exit
  for f in camvid-fcn8s camvid-deeplabv3plus camvid-lraspp; do
    "$app/drive-perception" bench -a "${ACCEL:-cuda}" --semantic-model "/tmp/dp-families/$f.onnx" --lane-model none \
      --resolutions 480x360 --cameras 1 --frames "${FRAMES:-200}" --warmup 20 --json "$out/family-$f.json" --table "$out/family-$f.md" || exit
    { echo "## family $f (random weights)"; cat "$out/family-$f.md"; echo; } >> "$out/tables.md"
    rm -f "$out/family-$f.md"
  done
  exit 0
fi
models=${1:-models}
export MODELS=$models APP=$app OUT=$out
deadline=${DEADLINE_S:-480}
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
  if [[ -n ${STEPS:-} && " $STEPS " != *" $name "* ]]; then return; fi
  local left=$((deadline - SECONDS))
  if ((left < min)); then say "== $name skipped: ${left}s left, needs ${min}s"; return; fi
  local limit=$((max < left ? max : left))
  say "== $name (limit ${limit}s): $*"
  local t0=$SECONDS
  timeout "$limit" "$@" >>"$log" 2>&1
  say "== $name exit $? after $((SECONDS - t0))s"
}

if [[ -n ${EVAL_DATA:-} ]]; then
  step E 150 60 bash -c '{
    echo "## GPU correctness: eval on ${ACCEL:-cuda} (compare with the CPU scores)"
    for m in camvid-fast camvid-fast.fp16 camvid-panoptic; do
      [[ -f $MODELS/$m.onnx ]] && "$APP/drive-perception" eval semantic -a "${ACCEL:-cuda}" -m "$MODELS/$m.onnx" -d "$EVAL_DATA/camvid" \
        --split val -q --json "$OUT/eval-$m.json" | grep -E "^mean IoU" | sed "s/^/$m: /"
    done
    for m in culane-lanes culane-lanes.fp16; do
      "$APP/drive-perception" eval lanes -a "${ACCEL:-cuda}" -m "$MODELS/$m.onnx" -d "$EVAL_DATA/culane-subset" --split val -q \
        --json "$OUT/eval-$m.json" | grep -E "^F1" | sed "s/^/$m: /"
    done; echo; } | tee -a "$OUT/tables.md"'
fi
[[ -f $models/camvid-panoptic.onnx ]] && step P 60 30 bash "$0" --node node-panoptic camvid-panoptic.onnx culane-lanes.onnx --gpu-io host \
  --resolutions 480x360,1280x720 --cameras 1 --frames "$frames"
step F 90 40 bash "$0" --families
step A1 "${A1_LIMIT:-150}" 60 bash "$0" --node node-fp16-graph-480 camvid-fast.fp16.onnx culane-lanes.fp16.onnx --cuda-graph --batching both \
  --resolutions 480x360 --cameras "${A_CAMERAS:-1,2,4,8}" --frames "$frames"
step A2 "${A2_LIMIT:-150}" 60 bash "$0" --node node-fp16-graph-720 camvid-fast.fp16.onnx culane-lanes.fp16.onnx --cuda-graph --batching both \
  --resolutions 1280x720 --cameras "${A_CAMERAS:-1,2,4,8}" --frames "$frames"
step T 170 60 "${PYTHON:-python3}" training/analysis/bench_torch.py --models "$models" --out "$out/torch.json" --iters "${TORCH_ITERS:-200}" --batches 1,8 \
  --compile-mode reduce-overhead --deadline-s 110
[[ -f $models/maskrcnn-lite.onnx ]] && step M 60 30 bash "$0" --node node-maskrcnn camvid-fast.onnx culane-lanes.onnx \
  --instance-model "$models/maskrcnn-lite.onnx" --gpu-io host --resolutions 480x360,1280x720 --cameras 1 --frames "$frames"
step B 100 40 bash "$0" --node node-fp32-host camvid-fast.onnx culane-lanes.onnx --gpu-io host --batching per-camera \
  --resolutions 480x360,1280x720 --cameras 1,8 --frames "$frames"
step C 45 25 bash "$0" --node node-fp16-host camvid-fast.fp16.onnx culane-lanes.fp16.onnx --gpu-io host \
  --resolutions 480x360,1280x720 --cameras 1 --frames "$frames"
step D 45 25 bash "$0" --node node-fp32-graph camvid-fast.onnx culane-lanes.onnx --cuda-graph \
  --resolutions 480x360,1280x720 --cameras 1 --frames "$frames"

say "== done after ${SECONDS}s; the models' provider and I/O as they ran:"
grep -hE "running on|device I/O|refused|unavailable" "$log" | sort | uniq -c | tee -a "$out/summary.txt" | head -20
# At most 8 files come back from a device call: every JSON goes into one archive.
if ls "$out"/*.json >/dev/null 2>&1; then
  tar czf "$out/results.tgz" -C "$out" $(cd "$out" && ls *.json) && rm -f "$out"/*.json
fi
ls -la "$out"
