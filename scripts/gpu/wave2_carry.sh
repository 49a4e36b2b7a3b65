#!/usr/bin/env bash
# Fills .carry/wave2 (git-ignored) with what scripts/gpu/wave2_bench.sh needs on the device, since models/ and
# recordings/ do not travel during a device run: the fp32 default models, the shipped fp16 fast pair, their cards (and
# camvid-fast's card alone: training/analysis/bench_torch.py rebuilds that network from it), and one drive for `segment --batch`.
# ~16 MB; carry it with the last staging call:
#   carry: [".gpu/stage.sh", ".gpu/calls/NN", ".carry/wave2"]   (scripts/gpu/README.md)
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
src=${1:-$repo/models} drives=${2:-$repo/recordings} dst=$repo/.carry/wave2
rm -rf "$dst" && mkdir -p "$dst"
cp "$src/camvid-fast.card.json" "$dst/"
for m in camvid-panoptic culane-lanes camvid-fast.fp16 culane-lanes.fp16; do
  [[ -f $src/$m.onnx && -f $src/$m.card.json ]] || { echo "wave2_carry.sh: $src/$m.onnx or its card is missing: give the models folder as \$1" >&2; exit 2; }
  cp "$src/$m.onnx" "$src/$m.card.json" "$dst/"
done
cp "$drives/cruising.mcap" "$dst/" || { echo "wave2_carry.sh: no $drives/cruising.mcap: give the recordings folder as \$2" >&2; exit 2; }
echo "wave2_carry.sh: $(du -sh "$dst" | cut -f1) in $dst"
