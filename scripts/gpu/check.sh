#!/usr/bin/env bash
# First call on the GPU machine, right after `.gpu/stage.sh --finish`: are the native libraries resolved, does the
# node start, does a 10-frame bench run on the CPU and then on CUDA (device I/O with a CUDA graph, which falls back
# and says so if it cannot)? Run from the repository root (the device copy has models/ and calibration/).
set -uo pipefail
app=${APP:-/tmp/gpu-app}
export DP_HOME=$PWD LD_LIBRARY_PATH="$app/native-deps:$app${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
out=${OUT:-/tmp/dp-check}; mkdir -p "$out"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || echo "nvidia-smi failed"
for lib in libOpenCvSharpExtern.so libonnxruntime.so libonnxruntime_providers_cuda.so libonnxruntime_providers_shared.so; do
  echo "== ldd $lib (unresolved only)"
  ldd "$app/$lib" | grep -E "not found" || echo "   all resolved"
done
echo "== CUDA libraries the provider resolves"
ldd "$app/libonnxruntime_providers_cuda.so" | grep -E "cudart|cublas|curand|libcuda\.so"
ldconfig -p | grep -E "libcudnn\.so\.9|libcudart\.so\.13" | head -3
echo "== bench --help"
"$app/drive-perception" bench --help | head -4
echo "== 10-frame CPU bench"
timeout 120 "$app/drive-perception" bench -a cpu --resolutions 480x360 --cameras 1 --frames 10 --warmup 2 --classmap \
  --json "$out/check-cpu.json" 2>&1 | tail -4
echo "== 10-frame CUDA bench, fp16, device I/O + CUDA graph, batched"
timeout 180 "$app/drive-perception" bench -a cuda --cuda-graph --batching both --resolutions 1280x720 --cameras 2 --frames 10 --warmup 2 --classmap \
  --semantic-model models/camvid-fast.fp16.onnx --lane-model models/culane-lanes.fp16.onnx --json "$out/check-cuda.json" 2>&1 \
  | tee "$out/check-cuda.log" | grep -E "running on|device I/O|refused|unavailable|warmed|camera\(s\), |error|warn|\| 1280" | cut -c1-400
