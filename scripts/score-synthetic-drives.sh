#!/usr/bin/env bash
# Scores models against the exact ground truth of the shipped synthetic drives (issue #3): re-renders each drive of
# recordings/ losslessly as a dataset (same scenario, frames and seed as recordings/README.md says), then runs the node's
# own `eval semantic`, `eval lanes` and `eval instances` on it and prints one markdown table row per drive.
#
#   scripts/score-synthetic-drives.sh [--semantic M] [--lanes M] [--instances M] [--json-dir DIR]
#
# Defaults: the node's defaults, models/camvid-panoptic.onnx and models/culane-lanes.onnx; instances default to the semantic model
# (its connected components, or its centre/offset head when it is a panoptic model). Needs ./drive-perception built.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
semantic=models/camvid-panoptic.onnx; lanes=models/culane-lanes.onnx; instances=""; jsondir=""
while (($#)); do
  case $1 in
    --semantic) semantic=$2; shift 2 ;;
    --lanes) lanes=$2; shift 2 ;;
    --instances) instances=$2; shift 2 ;;
    --json-dir) jsondir=$2; shift 2 ;;
    *) echo "score-synthetic-drives: unknown argument '$1' (see the header of $0)" >&2; exit 2 ;;
  esac
done
instances=${instances:-$semantic}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
[[ -n $jsondir ]] && mkdir -p "$jsondir"
# scenario frames seed: as recordings/README.md lists them (the shipped drives)
drives=("cruising 75 1" "lead-vehicle-braking 30 1" "pedestrian-crossing 30 1" "lane-change 30 1" "empty-road 30 1")
# Instance AP50 per class as "all / h>=12": every object (the headline figure), then the planner range of objects at
# least 12 px tall (by_height["h>=12"] of the JSON; ObjectHeightRange.Planner says why 12 px).
echo "| drive | frames | mIoU | road IoU | car IoU | pedestrian IoU | lane F1 | lane TP/FP/FN | vehicle AP50 (all / h>=12) | pedestrian AP50 (all / h>=12) |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for d in "${drives[@]}"; do
  read -r name frames seed <<<"$d"
  ds=$work/$name
  ./drive-perception synth --scenario "$name" --frames "$frames" --seed "$seed" --out "$work/$name.mcap" --dataset "$ds" \
    --overwrite >"$work/$name.synth.log" 2>&1 || { cat "$work/$name.synth.log" >&2; exit 1; }
  ./drive-perception eval semantic -q --model "$semantic" --data "$ds" --split synthetic --json "$work/$name.sem.json" >/dev/null
  ./drive-perception eval lanes -q --model "$lanes" --data "$ds/culane" --split synthetic --json "$work/$name.lanes.json" >/dev/null
  veh="n/a / n/a"; ped="n/a / n/a"
  for cls in vehicle pedestrian; do
    if ./drive-perception eval instances -q --model "$instances" --data "$ds" --split synthetic --class "$cls" \
         --json "$work/$name.$cls.json" >/dev/null 2>"$work/$name.$cls.err"; then
      # No true object (the empty road): AP is undefined, so say how many were published (the issue wants none).
      v=$(jq -r 'def r3: if . == null then "n/a" else (. * 1000 | round / 1000 | tostring) end;
          if .truths == 0 then "none in truth, \(.detections) published"
          else "\(.ap50 | r3) / \(.by_height["h>=12"].ap50 | r3)" end' "$work/$name.$cls.json")
    else
      v="n/a / n/a"; echo "eval instances ($name, $cls) failed: $(tail -n 1 "$work/$name.$cls.err")" >&2
    fi
    if [[ $cls == vehicle ]]; then veh=$v; else ped=$v; fi
  done
  row=$(jq -r --slurpfile l "$work/$name.lanes.json" '
      def r2: if . == null then "n/a" else (. * 100 | round / 100 | tostring) end;
      [ (.miou | r2), (.per_class_iou.road | r2), (.per_class_iou.car | r2), (.per_class_iou.pedestrian | r2),
        ($l[0].f1 * 1000 | round / 1000 | tostring),
        "\($l[0].tp) / \($l[0].fp) / \($l[0].fn)" ] | join(" | ")' "$work/$name.sem.json")
  echo "| $name | $frames | $row | $veh | $ped |"
  [[ -n $jsondir ]] && cp "$work/$name".*.json "$jsondir/" 2>/dev/null || true
done
