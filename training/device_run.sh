#!/usr/bin/env bash
# One device call: train several configs concurrently on the one GPU, then export/verify/score/time them
# (finalize.py), and pack what comes back into $OUT. Run from the repo root on the device machine:
#   TRAIN_LIMIT=420 FIN_LIMIT=120 bash training/device_run.sh semantic:camvid-unet lanes:culane-lanes ...
# Env: TRAIN_LIMIT  wall-clock guard per training process (s)     FIN_LIMIT  guard for finalize's ORT scoring (s)
#      ITERS        override every config's iterations (smoke)    SHIP       finalize --ship specs, space separated
#      FIN_ARGS     extra finalize.py flags (e.g. --no-fp16-val)
#      DATA         data folder (default .carry/data)             RUNS       work folder (default /tmp/dp-runs)
#      TRAIN_BUDGET lanes runs: time budget of the (time-compressed) poly schedule, s (--time-budget)
#      INT8=1       also make static INT8 (QDQ) models on the CPU (training/quantize_int8.py): at the start, of the
#                   shipped models/camvid-fast.onnx and models/culane-lanes.onnx (in parallel with training);
#                   after finalize, of the new $RUNS/_ship/culane-lanes.onnx if its val F1 (ONNX fp32) is above
#                   LANES_MIN (default 0.7667, the shipped model's); then CPU timings (2 threads) of fp32 and int8.
#      INT8_METHODS calibration methods to try (default minmax,percentile)   DEADLINE  skip late steps after it (s)
set -u
OUT=${OUT:-/tmp/dp-out}
DATA=${DATA:-.carry/data}
RUNS=${RUNS:-/tmp/dp-runs}
TRAIN_LIMIT=${TRAIN_LIMIT:-420}
FIN_LIMIT=${FIN_LIMIT:-120}
ITERS=${ITERS:-0}
SHIP=${SHIP:-}
TRAIN_BUDGET=${TRAIN_BUDGET:-}
INT8=${INT8:-0}
INT8_METHODS=${INT8_METHODS:-minmax,percentile}
LANES_MIN=${LANES_MIN:-0.7667}
DEADLINE=${DEADLINE:-330}
mkdir -p "$OUT" "$RUNS"
T0=$(date +%s)
echo "== $(date -Is) host $(hostname)"; nvidia-smi -L
python3 -c "import torch, torchvision, onnx, onnxruntime as o; print('torch', torch.__version__, 'tv', torchvision.__version__, 'onnx', onnx.__version__, 'ort', o.__version__)"
( while true; do nvidia-smi --query-gpu=utilization.gpu,memory.used --format=csv,noheader >> "$RUNS/gpu_util.log"; sleep 10; done ) &
MON=$!
pids=()
for spec in "$@"; do
  kind=${spec%%:*}; name=${spec#*:}
  extra=()
  [ "$ITERS" != "0" ] && extra+=(--iters "$ITERS")
  if [ "$kind" = lanes ]; then
    [ -n "$TRAIN_BUDGET" ] && extra+=(--time-budget "$TRAIN_BUDGET")
    python3 training/train_lanes.py --config "training/configs/$name.json" --data-root "$DATA/culane-subset" \
      --out "$RUNS/$name" --time-limit "$TRAIN_LIMIT" "${extra[@]}" > "$RUNS/$name.stdout" 2>&1 &
  else
    python3 training/train_semantic.py --config "training/configs/$name.json" --data-root "$DATA/camvid" \
      --out "$RUNS/$name" --time-limit "$TRAIN_LIMIT" "${extra[@]}" > "$RUNS/$name.stdout" 2>&1 &
  fi
  pids+=($!)
done
Q1=""
if [ "$INT8" = 1 ]; then  # CPU job beside the GPU trainings; packs its own results as soon as it ends
  ( python3 training/quantize_int8.py quant --model camvid-fast=models/camvid-fast.onnx:semantic \
      --model culane-lanes=models/culane-lanes.onnx:lanes --camvid "$DATA/camvid" --culane "$DATA/culane-subset" \
      --out "$RUNS/_int8_shipped" --methods "$INT8_METHODS" --threads 6 --time-limit 120 > "$RUNS/int8_shipped.log" 2>&1
    (cd "$RUNS/_int8_shipped" && tar cf "$OUT/int8_shipped.tar" *.onnx *.json) ) &
  Q1=$!
fi
for p in "${pids[@]}"; do wait "$p"; done
kill "$MON" 2>/dev/null
echo "== training done after $(( $(date +%s) - T0 )) s"
for spec in "$@"; do name=${spec#*:}; echo "--- $name"; grep -E "event|val_" "$RUNS/$name/log.txt" | tail -4 | cut -c1-400; tail -3 "$RUNS/$name.stdout" | grep -i -E "error|Traceback" ; done
shipargs=()
for s in $SHIP; do shipargs+=(--ship "$s"); done
python3 training/finalize.py --runs "$RUNS" --camvid "$DATA/camvid" --culane "$DATA/culane-subset" \
  --out "$RUNS/_ship" --time-limit "$FIN_LIMIT" ${FIN_ARGS:-} "${shipargs[@]}" 2>&1 | grep -v -i -E "warn|^\s+_C\._jit|^\s*$" | tail -40
echo "== finalize done after $(( $(date +%s) - T0 )) s"
if [ "$INT8" = 1 ]; then
  [ -n "$Q1" ] && wait "$Q1"
  echo "== int8 of the shipped models done after $(( $(date +%s) - T0 )) s"; grep -E "fp32 .* int8|Error|error" "$RUNS/int8_shipped.log" | tail -8
  bench=(models/camvid-fast.onnx "$RUNS/_int8_shipped/camvid-fast.int8.onnx" models/culane-lanes.onnx "$RUNS/_int8_shipped/culane-lanes.int8.onnx")
  newf1=$(python3 -c "import json;print(json.load(open('$RUNS/_ship/culane-lanes.card.json'))['scores']['val']['f1'])" 2>/dev/null || echo 0)
  echo "new culane-lanes val F1 (ONNX fp32): $newf1 (threshold $LANES_MIN)"
  if python3 -c "import sys; sys.exit(0 if float('$newf1') > float('$LANES_MIN') else 1)" && [ $(( $(date +%s) - T0 )) -lt "$DEADLINE" ]; then
    m=$INT8_METHODS; [ $(( $(date +%s) - T0 )) -gt $(( DEADLINE - 60 )) ] && m=minmax
    python3 training/quantize_int8.py quant --model culane-lanes=$RUNS/_ship/culane-lanes.onnx:lanes --tag _new \
      --camvid "$DATA/camvid" --culane "$DATA/culane-subset" --out "$RUNS/_int8_new" --methods "$m" --threads 12 \
      > "$RUNS/int8_new.log" 2>&1
    grep -E "fp32 .* int8|Error|error" "$RUNS/int8_new.log" | tail -4
    bench+=("$RUNS/_ship/culane-lanes.onnx" "$RUNS/_int8_new/culane-lanes.int8.onnx")
  fi
  if [ $(( $(date +%s) - T0 )) -lt "$DEADLINE" ]; then
    python3 training/quantize_int8.py bench --files "${bench[@]}" --camvid "$DATA/camvid" --culane "$DATA/culane-subset" \
      --out "$RUNS/bench_cpu.json" > "$RUNS/bench.log" 2>&1; grep bench "$RUNS/bench.log"
  fi
  (cd "$RUNS" && tar cf "$OUT/int8_final.tar" _int8_shipped/*.onnx _int8_shipped/*.json $(ls _int8_new/*.onnx _int8_new/*.json bench_cpu.json 2>/dev/null))
  echo "== int8 all done after $(( $(date +%s) - T0 )) s"
fi
# logs, summaries and cards of every run (small)
(cd "$RUNS" && tar czf "$OUT/logs.tgz" --exclude='*.pt' --exclude='*.onnx' --exclude='_ship/*.onnx' --exclude='_work' .)
# shipped models: one tar split into 15 MiB parts (at most 16 MiB per file comes back)
if ls "$RUNS"/_ship/*.onnx >/dev/null 2>&1; then
  (cd "$RUNS/_ship" && tar cf - *.onnx *.json | split -b 15m - "$OUT/ship.tar.part-")
fi
ls -la "$OUT"
echo "== all done after $(( $(date +%s) - T0 )) s"
