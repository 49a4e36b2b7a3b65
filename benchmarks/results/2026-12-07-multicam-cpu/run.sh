#!/usr/bin/env bash
# usage: benchmarks/results/2026-12-07-multicam-cpu/run.sh OUTDIR (absolute path)  -- 1, 2, 4 cameras x camvid-fast / default, --rate max, 40 frames in all per run
set -u
out=$1; mkdir -p $out
cd "$(dirname "$0")/../../.."   # the repository root
D=recordings
drives=(cruising lane-change pedestrian-crossing empty-road)
for model in fast default; do
  margs=(); [ $model = fast ] && margs=(--semantic-model models/camvid-fast.onnx)
  # baseline: the single-camera path (plain --source)
  ./drive-perception run --source $D/cruising.mcap --rate max --deadline-ms 60000 -n 40 "${margs[@]}" --publish tcp://127.0.0.1:5631 --report $out/$model-single.json -q > $out/$model-single.txt 2>&1
  for n in 1 2 4; do
    srcs=(); for ((i=0;i<n;i++)); do srcs+=(--source cam$i=$D/${drives[$i]}.mcap); done
    ./drive-perception run "${srcs[@]}" --rate max --deadline-ms 60000 -n $((40/n)) "${margs[@]}" --publish tcp://127.0.0.1:5631 --report $out/$model-$n.json > $out/$model-$n.txt 2>&1
  done
done
