#!/usr/bin/env bash
# Cuts the packed node into parts that fit one device call each, and writes the calls to make.
#
# Every device call sends the whole working tree (this checkout's tracked files: ~50 MiB, most of it models/) and
# may move at most 64 MiB, so a call has room for only 64 MiB - tree - margin of payload (~11 MiB here). The
# payload is one byte stream: app.txz (the publish without the providers, xz -9) followed by the CUDA provider's xz
# stream (cuda.xz.* from ../shared/gpu/pack.sh), cut into chunks of that size, one chunk per call folder
# .gpu/calls/NN. On the device, .gpu/stage.sh copies the chunk of each call into /tmp/gpu-stage; with --finish it
# checks the stream's sha256 and assembles /tmp/gpu-app. The machine keeps /tmp only while it stays warm (30 s
# after a call), so the calls must follow one another without a pause.
#
#   usage: scripts/gpu/split_parts.sh [GPU_DIR] [PUBLISH_DIR]     (defaults .gpu, /tmp/dp-gpu-pub)
#   BUDGET_BYTES=N overrides the payload per call.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
gpu=${1:-.gpu}
pub=${2:-/tmp/dp-gpu-pub}
ls "$gpu"/parts/cuda.xz.* >/dev/null 2>&1 || { echo "split_parts.sh: no $gpu/parts/cuda.xz.*: run ../shared/gpu/pack.sh $pub $gpu first" >&2; exit 2; }

if [[ -s $gpu/app.txz && -z $(find "$pub" -newer "$gpu/app.txz" -print -quit) ]]; then
  echo "split_parts.sh: $gpu/app.txz is newer than every file of $pub: reused" >&2
else
  echo "split_parts.sh: packing $pub without the providers into $gpu/app.txz (xz -9, minutes on 2 cores)..." >&2
  tar -C "$pub" -cf - --exclude=libonnxruntime_providers_cuda.so --exclude=libonnxruntime_providers_tensorrt.so \
    --exclude=libmscordaccore.so --exclude=libmscordbi.so --exclude=createdump . | xz -9 -T0 > "$gpu/app.txz.part"
  mv "$gpu/app.txz.part" "$gpu/app.txz"
fi

tree=$(python3 scripts/gpu/tree_bytes.py)
margin=$((2 * 1024 * 1024))   # untracked files that git does not ignore travel too (other helpers' new files)
budget=${BUDGET_BYTES:-$((64 * 1024 * 1024 - tree - margin))}
((budget > 1000000)) || { echo "split_parts.sh: the tracked tree ($tree bytes) leaves no room under 64 MiB" >&2; exit 2; }

app_bytes=$(stat -c %s "$gpu/app.txz")
cuda_bytes=$(cat "$gpu"/parts/cuda.xz.* | wc -c)
bundle=/tmp/dp-gpu-bundle
cat "$gpu/app.txz" "$gpu"/parts/cuda.xz.* > "$bundle"
sum=$(sha256sum "$bundle" | cut -c1-64)
rm -rf "$gpu/calls" /tmp/dp-gpu-chunks && mkdir -p "$gpu/calls" /tmp/dp-gpu-chunks
split -b "$budget" -d -a 2 "$bundle" /tmp/dp-gpu-chunks/chunk.
n=0
for c in /tmp/dp-gpu-chunks/chunk.*; do
  d=$(printf '%s/calls/%02d' "$gpu" "$n")
  mkdir -p "$d" && mv "$c" "$d/"
  n=$((n + 1))
done
rm -f "$bundle"

cat > "$gpu/stage.sh" <<STAGE
#!/usr/bin/env bash
# Runs on the GPU machine (made by scripts/gpu/split_parts.sh): stages this call's chunk in /tmp/gpu-stage; with
# --finish, checks that all $n chunks are there and assembles the node in /tmp/gpu-app.
set -euo pipefail
here=\$(cd "\$(dirname "\$0")" && pwd)
mkdir -p /tmp/gpu-stage
cp -n "\$here"/calls/*/chunk.* /tmp/gpu-stage/ 2>/dev/null || true
have=\$(ls /tmp/gpu-stage/chunk.* 2>/dev/null | wc -l)
echo "staged \$have of $n chunks"
[[ \${1:-} == --finish ]] || exit 0
if ((have != $n)); then
  echo "missing chunks (the machine went cold between calls, or a call was skipped):" >&2
  for ((i = 0; i < $n; i++)); do f=\$(printf 'chunk.%02d' \$i); [[ -f /tmp/gpu-stage/\$f ]] || echo "  \$f (call \$i)" >&2; done
  exit 3
fi
# One file first: head and tail then read it, and no writer in a pipeline dies of SIGPIPE under pipefail.
cat /tmp/gpu-stage/chunk.* > /tmp/gpu-stage/bundle
got=\$(sha256sum /tmp/gpu-stage/bundle | cut -c1-64)
[[ \$got == $sum ]] || { echo "stream sha256 \$got, expected $sum: stage again" >&2; exit 4; }
rm -rf /tmp/gpu-app && mkdir -p /tmp/gpu-app
head -c $app_bytes /tmp/gpu-stage/bundle | xz -d -T0 | tar -C /tmp/gpu-app -xf -
tail -c +$((app_bytes + 1)) /tmp/gpu-stage/bundle | xz -d -T0 > /tmp/gpu-app/libonnxruntime_providers_cuda.so
rm -f /tmp/gpu-stage/bundle
echo "assembled /tmp/gpu-app (\$(du -sh /tmp/gpu-app | cut -f1))"
STAGE
chmod +x "$gpu/stage.sh"

{
  echo "# Device calls for the GPU node ($(date -u +%Y-%m-%dT%H:%MZ))"
  echo "payload: app.txz $app_bytes + CUDA provider xz $cuda_bytes bytes = $((app_bytes + cuda_bytes)); tree $tree bytes;"
  echo "$n calls of at most $budget bytes each. Make them back to back (the machine keeps /tmp only ~30 s after a call)."
  echo
  for ((i = 0; i < n; i++)); do
    d=$(printf '%s/calls/%02d' "$gpu" "$i")
    if ((i < n - 1)); then
      echo "run  carry=[\"$gpu/stage.sh\", \"$d\"]  command='bash $gpu/stage.sh'"
    else
      echo "run  carry=[\"$gpu/stage.sh\", \"$d\"]  command='bash $gpu/stage.sh --finish && bash scripts/gpu/check.sh'"
    fi
  done
  echo "run  command='bash scripts/gpu/device_bench.sh models'   (within 30 s of the last; about 6 minutes)"
} > "$gpu/CALLS.md"
cat "$gpu/CALLS.md"
