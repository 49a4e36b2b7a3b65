#!/usr/bin/env bash
# One device call: train several configs concurrently on the one GPU, then export/verify/score/time them
# (finalize.py), and pack what comes back into $OUT. Run from the repo root on the device machine:
#   TRAIN_LIMIT=420 FIN_LIMIT=120 bash training/device_run.sh semantic:camvid-unet lanes:culane-lanes ...
# Env: TRAIN_LIMIT  wall-clock guard per training process (s)     FIN_LIMIT  guard for finalize's ORT scoring (s)
#      ITERS        override every config's iterations (smoke)    SHIP       finalize --ship specs, space separated
#      FIN_ARGS     extra finalize.py flags (e.g. --no-fp16-val)
#      DATA         data folder (default .carry/data)             RUNS       work folder (default /tmp/dp-runs)
set -u
OUT=${OUT:-/tmp/dp-out}
DATA=${DATA:-.carry/data}
RUNS=${RUNS:-/tmp/dp-runs}
TRAIN_LIMIT=${TRAIN_LIMIT:-420}
FIN_LIMIT=${FIN_LIMIT:-120}
ITERS=${ITERS:-0}
SHIP=${SHIP:-}
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
    python3 training/train_lanes.py --config "training/configs/$name.json" --data-root "$DATA/culane-subset" \
      --out "$RUNS/$name" --time-limit "$TRAIN_LIMIT" "${extra[@]}" > "$RUNS/$name.stdout" 2>&1 &
  else
    python3 training/train_semantic.py --config "training/configs/$name.json" --data-root "$DATA/camvid" \
      --out "$RUNS/$name" --time-limit "$TRAIN_LIMIT" "${extra[@]}" > "$RUNS/$name.stdout" 2>&1 &
  fi
  pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done
kill "$MON" 2>/dev/null
echo "== training done after $(( $(date +%s) - T0 )) s"
for spec in "$@"; do name=${spec#*:}; echo "--- $name"; grep -E "event|val_" "$RUNS/$name/log.txt" | tail -4 | cut -c1-400; tail -3 "$RUNS/$name.stdout" | grep -i -E "error|Traceback" ; done
shipargs=()
for s in $SHIP; do shipargs+=(--ship "$s"); done
python3 training/finalize.py --runs "$RUNS" --camvid "$DATA/camvid" --culane "$DATA/culane-subset" \
  --out "$RUNS/_ship" --time-limit "$FIN_LIMIT" ${FIN_ARGS:-} "${shipargs[@]}" 2>&1 | grep -v -i -E "warn|^\s+_C\._jit|^\s*$" | tail -40
echo "== finalize done after $(( $(date +%s) - T0 )) s"
# logs, summaries and cards of every run (small)
(cd "$RUNS" && tar czf "$OUT/logs.tgz" --exclude='*.pt' --exclude='*.onnx' --exclude='_ship/*.onnx' .)
# shipped models: one tar split into 15 MiB parts (at most 16 MiB per file comes back)
if ls "$RUNS"/_ship/*.onnx >/dev/null 2>&1; then
  (cd "$RUNS/_ship" && tar cf - *.onnx *.json | split -b 15m - "$OUT/ship.tar.part-")
fi
ls -la "$OUT"
echo "== all done after $(( $(date +%s) - T0 )) s"
