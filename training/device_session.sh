#!/usr/bin/env bash
# Training jobs that outlive one device call: start them detached, look at them, then finalize and pack $OUT.
# Run from the repo root on the device machine (each subcommand is one `run` call; keep the calls back to back:
# the machine is given back ~30 s after a call ends, and the jobs die with it).
#   bash training/device_session.sh parts                   list the data parts present (carried so far) and exit
#   bash training/device_session.sh unpack                  check and unpack $DATA-parts/*.tgz.part-* into $DATA
#   bash training/device_session.sh launch KIND:CONFIG...   start jobs (KIND: semantic, lanes, maskrcnn, panoptic);
#                                                           unpacks first when $DATA is missing and the parts are there
#   bash training/device_session.sh status                  one line per job + GPU utilisation
#   bash training/device_session.sh wait S                  wait up to S s for every job (a keep-alive call), status
#   bash training/device_session.sh collect [--wait S]      wait up to S s, finalize, export instances, pack $OUT
# GPUs: with >= 2 GPUs (nvidia-smi -L) jobs go round-robin over GPUs 1..N-1 (GPU 0 is kept for benchmarking);
# with one GPU all jobs share GPU 0; without nvidia-smi they run wherever torch finds a device (CPU here).
# Env: DATA (.carry/run5: camvid/ culane-subset/ pennfudan/ synth/)  RUNS (/tmp/dp-runs)  OUT (/tmp/dp-out)
#      TRAIN_LIMIT  semantic/lanes wall-clock guard, s (660)  TRAIN_BUDGET  semantic/lanes --time-budget override, s
#      INST_BUDGET  maskrcnn/panoptic schedule budget, s (their --time-limit; default: the config's time_budget_s)
#      ITERS        every job's --iters (smoke)           ARGS_semantic, ARGS_lanes, ARGS_maskrcnn, ARGS_panoptic:
#      LAUNCH_SLEEP s before launch shows the logs (45)   extra flags for that kind's trainer (smoke: --limit-images 6)
#      SHIP         finalize.py --ship specs (space separated; default below)   FIN_LIMIT  finalize ORT guard, s (150)
#      FIN_ARGS     extra finalize.py flags               INST_SHIP  CONFIG=NAME for instance exports (default NAME=CONFIG)
set -u
DATA=${DATA:-.carry/run5}
RUNS=${RUNS:-/tmp/dp-runs}
OUT=${OUT:-/tmp/dp-out}
TRAIN_LIMIT=${TRAIN_LIMIT:-660}
TRAIN_BUDGET=${TRAIN_BUDGET:-}
INST_BUDGET=${INST_BUDGET:-}
ITERS=${ITERS:-0}
LAUNCH_SLEEP=${LAUNCH_SLEEP:-45}
FIN_LIMIT=${FIN_LIMIT:-150}
SHIP=${SHIP:-camvid-fast=camvid-fast-synth camvid-accurate=camvid-accurate-long culane-lanes=culane-lanes-v3,culane-lanes-v3-s1}
INST_SHIP=${INST_SHIP:-}
JOBS="$RUNS/jobs.tsv"   # name kind config gpu
PY=${PY:-python3}
mkdir -p "$RUNS" "$OUT"

gpu_count() {  # 0 = no nvidia-smi (CPU)
  if command -v nvidia-smi >/dev/null 2>&1; then nvidia-smi -L 2>/dev/null | grep -c '^GPU'; else echo 0; fi
}

alive() { local p; p=$(cat "$RUNS/$1.pid" 2>/dev/null) && kill -0 "$p" 2>/dev/null; }

job_line() {  # name kind gpu -> one status line
  local name=$1 kind=$2 gpu=$3 st last
  if alive "$name"; then st="running"; elif [ -f "$RUNS/$name.rc" ]; then st="exit $(cat "$RUNS/$name.rc")"; else st="gone"; fi
  last=$(tail -n 1 "$RUNS/$name/log.txt" 2>/dev/null || tail -n 1 "$RUNS/$name.stdout" 2>/dev/null)
  printf '%-24s %-9s gpu %-4s %-8s | %s\n' "$name" "$kind" "$gpu" "$st" "$(echo "$last" | cut -c1-230)"
}

status() {
  echo "== status $(date -Is)"
  [ -f "$JOBS" ] || { echo "no jobs launched (no $JOBS)"; return; }
  while read -r name kind cfg gpu; do job_line "$name" "$kind" "$gpu"; done < "$JOBS"
  command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi --query-gpu=index,utilization.gpu,memory.used,memory.total --format=csv,noheader
}

running_count() {
  local n=0
  [ -f "$JOBS" ] || { echo 0; return; }
  while read -r name _; do alive "$name" && n=$((n + 1)); done < "$JOBS"
  echo $n
}

wait_jobs() {  # up to $1 s
  local t0 left
  t0=$(date +%s)
  while [ "$(running_count)" -gt 0 ] && [ $(( $(date +%s) - t0 )) -lt "$1" ]; do sleep 5; done
  left=$(running_count)
  echo "== waited $(( $(date +%s) - t0 )) s; jobs still running: $left"
}

PARTS=${PARTS:-$DATA-parts}

parts() { ls -la "$PARTS" 2>/dev/null || echo "no $PARTS"; }

unpack() {  # the parts stage_data.py --run5 wrote, carried over one or more calls; checked against the sha256
  local want got base
  base=$(basename "$DATA")
  [ -f "$PARTS/$base.sha256" ] || { echo "no $PARTS/$base.sha256: carry $PARTS/$base.sha256 with the parts"; return 1; }
  want=$(cat "$PARTS/$base.sha256")
  got=$(cat "$PARTS/$base".tgz.part-* 2>/dev/null | sha256sum | cut -d' ' -f1)
  if [ "$want" != "$got" ]; then
    echo "unpack: the parts in $PARTS do not add up (sha256 $got, want $want): a part is missing or was"
    echo "        not carried (the machine was given back between calls?). Present:"; ls -la "$PARTS"; return 1
  fi
  mkdir -p "$(dirname "$DATA")"
  rm -rf "${DATA:?}"
  cat "$PARTS/$base".tgz.part-* | tar xzf - -C "$(dirname "$DATA")" || return 1
  echo "unpacked $DATA: $(du -sh "$DATA" | cut -f1), $(find "$DATA" -type f | wc -l) files"
}

launch() {
  if [ ! -d "$DATA" ] && [ -d "$PARTS" ]; then unpack || { echo "launch: nothing started"; exit 2; }; fi
  [ $# -gt 0 ] || { echo "launch needs job specs KIND:CONFIG (e.g. semantic:camvid-fast-synth)"; exit 2; }
  # check everything before starting anything
  local spec kind cfg bad=0 seen=" "
  for spec in "$@"; do
    kind=${spec%%:*}; cfg=${spec#*:}
    case "$kind" in semantic|lanes|maskrcnn|panoptic) ;; *) echo "unknown kind '$kind' in $spec (semantic, lanes, maskrcnn, panoptic)"; bad=1;; esac
    [ -f "training/configs/$cfg.json" ] || { echo "no config training/configs/$cfg.json"; bad=1; }
    case "$seen" in *" $cfg "*) echo "config $cfg given twice (runs are named by config)"; bad=1;; esac
    seen="$seen$cfg "
    if [ -f "$JOBS" ] && grep -q "^$cfg " "$JOBS" && alive "$cfg"; then echo "$cfg is already running"; bad=1; fi
    case "$kind" in
      semantic) [ -f "$DATA/camvid/train.txt" ] || { echo "no $DATA/camvid/train.txt: stage with training/stage_data.py --run5 and carry it"; bad=1; };;
      lanes) [ -f "$DATA/culane-subset/train.txt" ] || { echo "no $DATA/culane-subset/train.txt"; bad=1; };;
      *) [ -f "training/train_$kind.py" ] || { echo "no training/train_$kind.py"; bad=1; };;
    esac
  done
  [ "$bad" = 0 ] || { echo "launch: nothing started"; exit 2; }
  local n gpus=() i=0 gpu extra script root
  n=$(gpu_count)
  if [ "$n" -ge 2 ]; then for ((g = 1; g < n; g++)); do gpus+=("$g"); done
  elif [ "$n" = 1 ]; then gpus=(0)
  else gpus=(cpu); fi
  echo "== launch $(date -Is) host $(hostname), $n GPU(s), jobs on: ${gpus[*]}"
  [ "$n" -gt 0 ] && nvidia-smi -L
  $PY -c "import torch; print('torch', torch.__version__, 'cuda', torch.cuda.is_available(), torch.cuda.device_count())"
  for spec in "$@"; do
    kind=${spec%%:*}; cfg=${spec#*:}
    gpu=${gpus[$((i % ${#gpus[@]}))]}; i=$((i + 1))
    extra=()
    [ "$ITERS" != 0 ] && extra+=(--iters "$ITERS")
    case "$kind" in
      semantic|lanes)
        if [ "$kind" = semantic ]; then script=training/train_semantic.py; root="$DATA/camvid"; else script=training/train_lanes.py; root="$DATA/culane-subset"; fi
        [ -d "$DATA/synth" ] && extra+=(--extra-root "$DATA/synth")
        [ -n "$TRAIN_BUDGET" ] && extra+=(--time-budget "$TRAIN_BUDGET");;
      *) script=training/train_$kind.py; root="$DATA"
         # their --time-limit IS the schedule's budget (dp_train/inst_run.py), not a guard: only INST_BUDGET sets it
         [ -n "$INST_BUDGET" ] && extra+=(--time-limit "$INST_BUDGET");;
    esac
    local limit=()
    case "$kind" in semantic|lanes) limit=(--time-limit "$TRAIN_LIMIT");; esac
    local av="ARGS_$kind"
    # shellcheck disable=SC2206
    extra+=(${!av:-})
    rm -rf "${RUNS:?}/$cfg" "$RUNS/$cfg.rc" "$RUNS/$cfg.pid"
    local cvd=""
    [ "$gpu" != cpu ] && cvd="CUDA_VISIBLE_DEVICES=$gpu"
    # bash -c records its pid (= the job's), runs the trainer, records the exit code; setsid + nohup: the job
    # outlives this call (the device keeps processes that started a new session)
    setsid nohup env $cvd PYTHONUNBUFFERED=1 bash -c 'echo $$ > "$1.pid"; shift; "$@"; echo $? > "${0}.rc"' \
      "$RUNS/$cfg" "$RUNS/$cfg" $PY "$script" --config "training/configs/$cfg.json" --data-root "$root" \
      --out "$RUNS/$cfg" "${limit[@]}" "${extra[@]}" > "$RUNS/$cfg.stdout" 2>&1 < /dev/null &
    grep -v "^$cfg " "$JOBS" 2>/dev/null > "$JOBS.tmp"; echo "$cfg $kind $cfg $gpu" >> "$JOBS.tmp"; mv "$JOBS.tmp" "$JOBS"
    echo "started $cfg ($kind) on gpu $gpu: $script --data-root $root ${extra[*]}"
  done
  if [ "$n" -gt 0 ] && ! alive _gpumon; then  # GPU utilisation every 15 s while any job runs
    setsid nohup bash -c 'echo $$ > "$1/_gpumon.pid"; sleep 5; while ls "$1"/*.pid >/dev/null 2>&1; do
        busy=0; for f in "$1"/*.pid; do [ "$(basename "$f")" = _gpumon.pid ] && continue; kill -0 "$(cat "$f")" 2>/dev/null && busy=1; done
        [ $busy = 1 ] || break
        echo "$(date +%T) $(nvidia-smi --query-gpu=index,utilization.gpu,memory.used --format=csv,noheader | tr "\n" " ")" >> "$1/gpu_util.log"; sleep 15; done' \
      _ "$RUNS" > /dev/null 2>&1 < /dev/null &
  fi
  sleep "$LAUNCH_SLEEP"
  for spec in "$@"; do
    cfg=${spec#*:}
    echo "--- $cfg: $(alive "$cfg" && echo running || echo "NOT RUNNING (rc $(cat "$RUNS/$cfg.rc" 2>/dev/null))")"
    head -n 6 "$RUNS/$cfg.stdout" | cut -c1-300
    echo "..."; tail -n 4 "$RUNS/$cfg.stdout" | cut -c1-300
  done
  status
}

pack_fp16_state() {  # RUN/model.pt -> $2 (fp16 state dict + config), so the lead can export elsewhere
  $PY - "$1" "$2" <<'EOF'
import sys, torch
try:
    ck = torch.load(sys.argv[1], map_location="cpu", weights_only=False)
except TypeError:
    ck = torch.load(sys.argv[1], map_location="cpu")
sd = {k: (v.half() if v.is_floating_point() else v) for k, v in ck["model"].items()}
torch.save({"model": sd, "config": ck.get("config"), "note": "float tensors stored as fp16 for transfer; .float() before use"}, sys.argv[2])
EOF
}

collect() {
  local wait_s=0
  [ "${1:-}" = --wait ] && wait_s=${2:-0}
  [ -f "$JOBS" ] || { echo "no jobs launched (no $JOBS)"; exit 2; }
  wait_jobs "$wait_s"
  status
  local T0 sem=() inst=() name kind cfg gpu
  T0=$(date +%s)
  while read -r name kind cfg gpu; do
    if alive "$name"; then echo "collect: $name still running: left out (run collect again later)"; continue; fi
    [ -f "$RUNS/$name/model.pt" ] || { echo "collect: $name has no model.pt (see $RUNS/$name.stdout)"; tail -n 5 "$RUNS/$name.stdout"; continue; }
    case "$kind" in semantic|lanes) sem+=("$name");; *) inst+=("$kind:$name");; esac
  done < "$JOBS"
  for name in "${sem[@]}"; do echo "--- $name"; grep -E "event|val_" "$RUNS/$name/log.txt" | tail -n 4 | cut -c1-400; done
  mkdir -p "$RUNS/_ship"
  if [ ${#sem[@]} -gt 0 ]; then
    local shipargs=() s
    for s in $SHIP; do shipargs+=(--ship "$s"); done
    $PY training/finalize.py --runs "$RUNS" --camvid "$DATA/camvid" --culane "$DATA/culane-subset" --out "$RUNS/_ship" \
      --only "${sem[@]}" --time-limit "$FIN_LIMIT" ${FIN_ARGS:-} "${shipargs[@]}" 2>&1 \
      | grep -v -i -E "warn|^\s+_C\._jit|^\s*$" | tail -n 40
    echo "== finalize done after $(( $(date +%s) - T0 )) s"
  fi
  local failed=()
  for s in "${inst[@]}"; do
    kind=${s%%:*}; name=${s#*:}
    local ship_name=$name m
    for m in $INST_SHIP; do [ "${m%%=*}" = "$name" ] && ship_name=${m#*=}; done
    echo "--- export $kind $name -> _ship/$ship_name.onnx"
    if $PY training/export_instances.py "$kind" --ckpt "$RUNS/$name/model.pt" --out "$RUNS/_ship/$ship_name.onnx" \
         --verify "$DATA" > "$RUNS/export_$name.log" 2>&1; then
      tail -n 3 "$RUNS/export_$name.log" | cut -c1-300
    else
      echo "export of $name FAILED (log: export_$name.log in logs.tgz):"; tail -n 8 "$RUNS/export_$name.log" | cut -c1-300
      failed+=("$name")
    fi
  done
  echo "== exports done after $(( $(date +%s) - T0 )) s"
  pack "${inst[@]}" -- "${failed[@]}"
}

pack() {  # args: KIND:NAME of instance jobs, --, names whose export failed
  local inst=() failed=() seen=0 a
  for a in "$@"; do if [ "$a" = -- ]; then seen=1; elif [ $seen = 0 ]; then inst+=("$a"); else failed+=("$a"); fi; done
  rm -f "$OUT"/logs.tgz "$OUT"/ship.tar.part-* "$OUT"/*.fp16.pt
  # 1. logs, summaries, cards, finalize.json (small)
  (cd "$RUNS" && tar czf "$OUT/logs.tgz" --exclude='*.pt' --exclude='*.onnx' .)
  # 2. shipped models + cards: one tar in 15 MiB parts (at most 16 MiB a file comes back)
  if ls "$RUNS"/_ship/*.onnx >/dev/null 2>&1; then
    (cd "$RUNS/_ship" && tar cf - ./*.onnx ./*.json | split -b 15m - "$OUT/ship.tar.part-")
  fi
  # 3. instance checkpoints as fp16 state dicts: always for failed exports, else while the limits allow
  #    (8 files, 64 MiB in all; 1 MiB kept spare)
  local s name files bytes sz
  for s in "${inst[@]}"; do
    name=${s#*:}
    pack_fp16_state "$RUNS/$name/model.pt" "$RUNS/$name.fp16.pt" || { echo "could not pack $name"; continue; }
    sz=$(stat -c %s "$RUNS/$name.fp16.pt")
    files=$(find "$OUT" -maxdepth 1 -type f | wc -l); bytes=$(du -cb "$OUT"/* 2>/dev/null | tail -n 1 | cut -f1)
    local must=0 f
    for f in "${failed[@]}"; do [ "$f" = "$name" ] && must=1; done
    if [ "$sz" -le $((16 * 1048576)) ] && [ $((files + 1)) -le 8 ] && [ $((bytes + sz)) -le $((63 * 1048576)) ]; then
      cp "$RUNS/$name.fp16.pt" "$OUT/$name.fp16.pt"
    else
      echo "NOT packed: $name.fp16.pt ($sz bytes; $OUT has $files files, $bytes bytes)$([ $must = 1 ] && echo ' - its ONNX export failed too: rerun collect with fewer files')"
    fi
  done
  ls -la "$OUT"
  echo "== $OUT: $(find "$OUT" -maxdepth 1 -type f | wc -l) files, $(du -cb "$OUT"/* | tail -n 1 | cut -f1) bytes (limits: 8 files, 16 MiB each, 64 MiB)"
}

cmd=${1:-}; shift || true
case "$cmd" in
  launch) launch "$@";;
  status) status;;
  parts) parts;;
  unpack) unpack || exit 2;;
  wait) wait_jobs "${1:-60}"; status;;
  collect) collect "$@";;
  *) sed -n '2,16p' "$0"; exit 2;;
esac
