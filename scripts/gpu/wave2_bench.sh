#!/usr/bin/env bash
# The GPU measurement of issues #18/#19 in ONE device call (H100, <= 8 min), after the node is staged
# (scripts/gpu/README.md: publish.sh, then the .gpu/CALLS.md calls; the last one runs this):
#
#   bash .gpu/stage.sh --finish && bash scripts/gpu/wave2_bench.sh .carry/wave2
#
# MODELS_DIR (default .carry/wave2, filled here by scripts/gpu/wave2_carry.sh, ~16 MB) holds camvid-panoptic,
# culane-lanes, camvid-fast.fp16, culane-lanes.fp16 (+ cards, and camvid-fast's card for PyTorch) and cruising.mcap. The other
# variants are made on the device by scripts/gpu/wrap_models.py (onnx there): camvid-panoptic.fp16 (the default model
# has never been exported fp16), and NAME.prep / NAME.fp16.prep (resize in the graph, `--preprocess graph`).
# Steps, most important first; each runs only while the total guard (DEADLINE_S, default 440 s; the staging before it takes ~20 s of the 8 min) leaves its minimum:
#   W   wrap the models (python3 + onnx)
#   G1  default set (camvid-panoptic + culane-lanes) fp16 + device I/O + CUDA graph + graph preprocessing, 1 camera, SINGLE_RES sizes (both)
#   G2  the same with host preprocessing (graph vs host preprocessing)
#   F1  fast set (camvid-fast + culane-lanes) fp16, device I/O + CUDA graph, graph preprocessing, 1 camera, both sizes
#   T   PyTorch eager fp16 / torch.compile fp16, model-only and deploy, camvid-panoptic, culane-lanes, camvid-fast, batch 1/8
#       (its per-model lines reach log.txt as they are measured, so a timeout loses only the JSON)
#   M1  default fp16 + CUDA graph + graph preprocessing, 1280x720, 4/8/16 cameras, batched
#   M2  as M1 per camera, 4/8 cameras
#   G3  default set fp32, host I/O, host preprocessing, 1 camera (the levers off: the old 10.1 / 11.5 ms)
#   C   the node on the device's CPU provider (all cores): default set fp32, 1 and 4 cameras, both sizes
#   S   segment --batch 1/8/16 on CUDA (fp16, device I/O + CUDA graph), cruising.mcap: frames/s
#   F2  fast set fp16, device I/O + CUDA graph, host preprocessing (the 5.0 / 7.1 ms of BENCHMARKS.md, again)
#   M3  as M1 at 480x360, batched and per camera
#   D   default set fp32 + device I/O + CUDA graph (the I/O levers without fp16)
#   M4  as M2 with 16 cameras (32 sessions to load)
# Multi-camera steps use HEURISTIC cuDNN search: EXHAUSTIVE took 2-7 s a session on the H100.
# Knobs: STEPS="G1 T ..." (only those), FRAMES (200), MFRAMES (100, multi-camera), WARMUP (20), ACCEL (cuda),
# TORCH_ITERS (200), SEG_BATCHES (1,8,16), MULTI_CAMERAS (4,8,16), PER_CAMERA (4,8), CPU_FRAMES (50), SINGLE_RES (480x360,1280x720) and SINGLE_LIMIT (50 s) of G1/G2/F1, M2_LIMIT (70 s), NODE (the node
# command; default $APP/drive-perception), PYTHON (python3).
# Dry run without a GPU (here): ACCEL=cpu FRAMES=2 MFRAMES=2 WARMUP=1 TORCH_ITERS=2 MULTI_CAMERAS=2 PER_CAMERA=2 \
#   SEG_BATCHES=1,2 CPU_FRAMES=2 NODE="dotnet src/DrivePerception.Node/bin/Release/net10.0/drive-perception.dll" \
#   PYTHON=/usr/bin/python3 OUT=/tmp/wave2 bash scripts/gpu/wave2_bench.sh .carry/wave2
# Writes into $OUT (at most 8 files come back): tables.md, log.txt, summary.txt, results.tgz (every JSON and segment log).
set -uo pipefail
app=${APP:-/tmp/gpu-app}
out=${OUT:-/tmp/dp-wave2}
models=$(cd "${1:-.carry/wave2}" 2>/dev/null && pwd) || { echo "wave2_bench.sh: no models folder ${1:-.carry/wave2}: run scripts/gpu/wave2_carry.sh here and carry it" >&2; exit 2; }
node=${NODE:-$app/drive-perception}
py=${PYTHON:-python3}
accel=${ACCEL:-cuda}
deadline=${DEADLINE_S:-440}
frames=${FRAMES:-200} mframes=${MFRAMES:-100} warmup=${WARMUP:-20}
multi=${MULTI_CAMERAS:-4,8,16} percam=${PER_CAMERA:-4,8}
# Single-camera steps (G1, G2, F1): sizes and limit; a 1280x720-only run needs ~90 s (device I/O checks take 3-10 s a model).
single_res=${SINGLE_RES:-480x360,1280x720} single_limit=${SINGLE_LIMIT:-50}
wrapped=/tmp/dp-wave2-models
mkdir -p "$out" "$wrapped"
export DP_HOME=$PWD LD_LIBRARY_PATH="$app/native-deps:$app${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" PYTHONUNBUFFERED=1
log="$out/log.txt" tables="$out/tables.md" summary="$out/summary.txt"
: > "$log"; : > "$tables"; : > "$summary"
say() { echo "$*" | tee -a "$log"; }
if [[ -z ${NODE:-} && ! -x $app/drive-perception ]]; then say "no $app/drive-perception: run .gpu/stage.sh --finish first"; exit 2; fi

say "== $(date -u +%FT%TZ) wave2_bench.sh: guard ${deadline}s, $frames frames (multi-camera $mframes), accelerator $accel, models $models"
{ nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader; lscpu | grep -E "Model name|^CPU\(s\)"; grep -o -m1 avx512f /proc/cpuinfo || echo "no avx512f"; } 2>&1 | tee -a "$log" "$summary" >/dev/null

# step NAME MAX_SECONDS MIN_SECONDS COMMAND...: runs when at least MIN_SECONDS of the guard are left, for at most MAX_SECONDS.
step() {
  local name=$1 max=$2 min=$3; shift 3
  if [[ -n ${STEPS:-} && " $STEPS " != *" $name "* ]]; then return; fi
  local left=$((deadline - SECONDS))
  if ((left < min)); then say "== $name skipped: ${left}s left, needs ${min}s"; echo "$name skipped (time guard)" >> "$summary"; return; fi
  local limit=$((max < left ? max : left))
  say "== $name (limit ${limit}s): $*"
  local t0=$SECONDS
  timeout -k 5 "$limit" "$@" >>"$log" 2>&1
  local rc=$?
  say "== $name exit $rc after $((SECONDS - t0))s"
  echo "$name exit $rc after $((SECONDS - t0))s" >> "$summary"
}

# bench NAME SEMANTIC LANE ARGS...: one node bench; its markdown table goes into tables.md under NAME.
bench() {
  local name=$1 semantic=$2 lane=$3; shift 3
  $node bench -a "$accel" --semantic-model "$wrapped/$semantic" --lane-model "$wrapped/$lane" --classmap --warmup "$warmup" \
    --json "$out/$name.json" --table "$out/$name.md" "$@" || return
  { echo "## $name"; echo "\`bench --semantic-model $semantic --lane-model $lane $*\`"; echo; cat "$out/$name.md"; echo; } >> "$tables"
  rm -f "$out/$name.md"
}
export -f bench say
export node wrapped accel warmup out tables log

wrap() {
  cp "$models"/*.onnx "$models"/*.card.json "$wrapped"/ || return
  "$py" scripts/gpu/wrap_models.py "$wrapped/camvid-panoptic.onnx" --fp16 --preprocess || return
  "$py" scripts/gpu/wrap_models.py "$wrapped/culane-lanes.onnx" --preprocess || return
  "$py" scripts/gpu/wrap_models.py "$wrapped/culane-lanes.fp16.onnx" "$wrapped/camvid-fast.fp16.onnx" --preprocess || return
  ls -la "$wrapped"
}
export -f wrap; export py models
step W 60 20 bash -c wrap
[[ -f $wrapped/camvid-panoptic.fp16.prep.onnx ]] || { say "== wrapping failed: the steps below need its files"; }

G='--cuda-graph'
segment() {  # segment --batch N for each N: frames/s on CUDA
  local drive=$models/cruising.mcap
  for b in ${SEG_BATCHES//,/ }; do
    rm -rf /tmp/dp-wave2-seg
    $node segment "$drive" --out /tmp/dp-wave2-seg --counts /tmp/dp-wave2-seg/counts.csv -a "$accel" --cuda-graph --batch "$b" \
      --semantic-model "$wrapped/camvid-panoptic.fp16.onnx" --lane-model "$wrapped/culane-lanes.fp16.onnx" -q > "$out/segment-b$b.log" 2>&1
    echo "rc $?" >> "$out/segment-b$b.log"
    { echo "segment --batch $b:"; grep -E "frames/s|between frames|rc " "$out/segment-b$b.log"; } | tee -a "$tables"
  done
}
export -f segment; export SEG_BATCHES=${SEG_BATCHES:-1,8,16}

step G1 $single_limit 25 bash -c "bench default-fp16-graph-prepgraph camvid-panoptic.fp16.prep.onnx culane-lanes.fp16.prep.onnx $G --preprocess graph --resolutions $single_res --cameras 1 --frames $frames"
step G2 $single_limit 25 bash -c "bench default-fp16-graph-prephost camvid-panoptic.fp16.onnx culane-lanes.fp16.onnx $G --resolutions $single_res --cameras 1 --frames $frames"
step F1 $single_limit 25 bash -c "bench fast-fp16-graph-prepgraph camvid-fast.fp16.prep.onnx culane-lanes.fp16.prep.onnx $G --preprocess graph --resolutions $single_res --cameras 1 --frames $frames"
# PyTorch: training/analysis/bench_torch.py builds the networks from the cards' training configs (random weights: speed only).
step T 140 50 "$py" training/analysis/bench_torch.py --models "$wrapped" --names camvid-panoptic,culane-lanes,camvid-fast --out "$out/torch.json" \
  --iters "${TORCH_ITERS:-200}" --batches 1,8 --compile-mode reduce-overhead --deadline-s 60
step M1 70 35 bash -c "bench default-multi-720-batched camvid-panoptic.fp16.prep.onnx culane-lanes.fp16.prep.onnx $G --preprocess graph --batching batched --cudnn-search HEURISTIC --resolutions 1280x720 --cameras $multi --frames $mframes"
step M2 ${M2_LIMIT:-70} 35 bash -c "bench default-multi-720-percamera camvid-panoptic.fp16.prep.onnx culane-lanes.fp16.prep.onnx $G --preprocess graph --batching per-camera --cudnn-search HEURISTIC --resolutions 1280x720 --cameras $percam --frames $mframes"
step G3 45 25 bash -c "bench default-fp32-hostio camvid-panoptic.onnx culane-lanes.onnx --gpu-io host --resolutions 480x360,1280x720 --cameras 1 --frames $frames"
step C 70 30 bash -c "accel=cpu warmup=3 bench default-cpu-provider camvid-panoptic.onnx culane-lanes.onnx --resolutions 480x360,1280x720 --cameras 1,4 --frames ${CPU_FRAMES:-50}"
[[ -f $models/cruising.mcap ]] && step S 60 25 bash -c segment
step F2 45 25 bash -c "bench fast-fp16-graph-prephost camvid-fast.fp16.onnx culane-lanes.fp16.onnx $G --resolutions 480x360,1280x720 --cameras 1 --frames $frames"
step M3 60 30 bash -c "bench default-multi-480 camvid-panoptic.fp16.prep.onnx culane-lanes.fp16.prep.onnx $G --preprocess graph --batching both --cudnn-search HEURISTIC --resolutions 480x360 --cameras $multi --frames $mframes"
step D $single_limit 25 bash -c "bench default-fp32-graph camvid-panoptic.onnx culane-lanes.onnx $G --resolutions $single_res --cameras 1 --frames $frames"
step M4 ${M4_LIMIT:-60} 40 bash -c "bench default-multi-720-percamera16 camvid-panoptic.fp16.prep.onnx culane-lanes.fp16.prep.onnx $G --preprocess graph --batching per-camera --cudnn-search HEURISTIC --resolutions 1280x720 --cameras 16 --frames $mframes"

say "== done after ${SECONDS}s; the models' provider and I/O as they ran:"
grep -hE "running on|device I/O|refused|unavailable|fp16 on the CPU|cannot bench|error" "$log" | sed -E 's/^[0-9:.]+ //' | sort | uniq -c | sort -rn | head -30 | tee -a "$summary"
# At most 8 files come back: every JSON and segment log into one archive.
files=$(cd "$out" && ls *.json segment-*.log 2>/dev/null)
if [[ -n $files ]]; then tar czf "$out/results.tgz" -C "$out" $files && (cd "$out" && rm -f $files); fi
ls -la "$out"
