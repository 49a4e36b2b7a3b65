#!/usr/bin/env bash
# Why are synthetic pedestrians found badly (issue #3)? Re-renders the shipped drives losslessly as datasets (scenario,
# frames and seed as scripts/score-synthetic-drives.sh), then prints
#   1. the ground-truth pedestrian sizes per drive (training/analysis/synth_instance_sizes.py),
#   2. pedestrian (and vehicle) mask AP50 by box height (<12, 12-24, 24-48, >=48, >=12, >=24 px) and COCO area range, per instance source,
#      per drive and pooled over the four drives with pedestrians (training/analysis/instance_ap_by_size.py), with the class
#      map's pixel recall of the objects in each range,
#   3. a cross-check: the pooled "all" AP50 against the node's own `eval instances` on the same frames.
#
#   scripts/pedestrian-size-report.sh [--models DIR] [--out DIR]      (--models defaults to models/)
#
# DIR holds camvid-fast, maskrcnn-lite and camvid-panoptic (.onnx with .card.json beside each). Needs /usr/bin/python3
# with python3-opencv python3-zmq python3-msgpack python3-numpy and the node built (.dp-build/node-cpu).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
models=""; out=""
while (($#)); do
  case $1 in
    --models) models=$(cd "$2" && pwd); shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "pedestrian-size-report: unknown argument '$1' (see the header of $0)" >&2; exit 2 ;;
  esac
done
models=${models:-$root/models}
for m in camvid-fast maskrcnn-lite camvid-panoptic; do
  [[ -f $models/$m.onnx && -f $models/$m.card.json ]] || { echo "pedestrian-size-report: $models lacks $m.onnx or its card: give --models DIR holding camvid-fast, maskrcnn-lite and camvid-panoptic" >&2; exit 2; }
done
out=${out:-$(mktemp -d)}; mkdir -p "$out"
node=(dotnet .dp-build/node-cpu/drive-perception.dll)
[[ -f .dp-build/node-cpu/drive-perception.dll ]] || node=(./drive-perception)
py=/usr/bin/python3

drives=("cruising 75 1" "lead-vehicle-braking 30 1" "pedestrian-crossing 30 1" "lane-change 30 1")
pooled=$out/ds/pooled
for sub in images labels instances groundtruth; do mkdir -p "$pooled/$sub/synthetic"; done
: >"$pooled/synthetic.txt"
for d in "${drives[@]}"; do
  read -r name frames seed <<<"$d"
  ds=$out/ds/$name
  "${node[@]}" synth --scenario "$name" --frames "$frames" --seed "$seed" --out "$out/$name.mcap" --dataset "$ds" --overwrite \
    >"$out/$name.synth.log" 2>&1 || { cat "$out/$name.synth.log" >&2; exit 1; }
  # The pooled set links every drive's frames (names are unique: SCENARIO_sSEED_FFFFF).
  for sub in images labels instances groundtruth; do ln -sf "$ds/$sub/synthetic/"* "$pooled/$sub/synthetic/"; done
  cat "$ds/synthetic.txt" >>"$pooled/synthetic.txt"
done

echo "## Ground-truth pedestrian sizes (box of the visible pixels, 480x360)"
$py training/analysis/synth_instance_sizes.py "$out"/ds/{cruising,lead-vehicle-braking,pedestrian-crossing,lane-change} "$pooled" \
  --json "$out/sizes.json"
echo
for cls in pedestrian vehicle; do
  echo "## $cls mask AP50 by size (objects in range), and the class map's pixel recall of them"
  echo "| source | drive | all | h<12 | h12-24 | h24-48 | h>=48 | h>=12 | h>=24 | COCO small | medium | large | class-map pixel recall <12 / 12-24 / 24-48 / >=48 |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
  for m in camvid-fast maskrcnn-lite camvid-panoptic; do
    for name in cruising lead-vehicle-braking pedestrian-crossing lane-change pooled; do
      j=$out/$m.$name.$cls.json
      $py training/analysis/instance_ap_by_size.py "$out/ds/$name" --model "$models/$m.onnx" --semantic-model "$models/camvid-fast.onnx" \
        --class "$cls" --json "$j" >/dev/null
      jq -r --arg m "$m" --arg d "$name" '
        def f: if .ap50 == null then "n/a" else "\(.ap50 * 1000 | round / 1000) (\(.objects))" end;
        def r: if .classmap_pixel_recall == null then "-" else (.classmap_pixel_recall * 100 | round / 100 | tostring) end;
        .ranges as $r | [$m, $d, ($r.all|f), ($r["h<12"]|f), ($r["h12-24"]|f), ($r["h24-48"]|f), ($r["h>=48"]|f), ($r["h>=12"]|f),
          ($r["h>=24"]|f), ($r.small|f), ($r.medium|f), ($r.large|f),
          ([($r["h<12"]|r), ($r["h12-24"]|r), ($r["h24-48"]|r), ($r["h>=48"]|r)] | join(" / "))] | "| " + join(" | ") + " |"' "$j"
    done
  done
  echo
done

echo "## Cross-check: pooled 'all' AP50 here vs. eval instances"
for m in camvid-fast maskrcnn-lite camvid-panoptic; do
  "${node[@]}" eval instances -q --model "$models/$m.onnx" --data "$pooled" --split synthetic --class pedestrian \
    --json "$out/$m.pooled.eval.json" >/dev/null
  echo "$m: eval instances $(jq .ap50 "$out/$m.pooled.eval.json"), this script $(jq '.ranges.all.ap50' "$out/$m.pooled.pedestrian.json")"
done
echo "(results in $out)"
