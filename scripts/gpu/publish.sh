#!/usr/bin/env bash
# Builds the node for the GPU machine and packs it for the device tool's transfers (issue #6):
#   1. dotnet publish, self-contained linux-x64, with the CUDA 13 build of ONNX Runtime (OrtFlavor=gpu, as
#      `DP_ORT_FLAVOR=gpu ./drive-perception` builds it), from a copy of the sources in /tmp so that the publish
#      never touches the obj/ folders that other builds of this checkout use;
#   2. copies in the native libraries OpenCvSharp's libOpenCvSharpExtern.so links (GTK and friends) that a bare
#      Ubuntu 24.04 CUDA image lacks, into native-deps/ (the wrapper drive-perception.sh puts it on LD_LIBRARY_PATH);
#   3. drops what the GPU machine never loads (pdbs, the TensorRT provider: no libnvinfer there);
#   4. ../shared/gpu/pack.sh into .gpu/ (compresses the CUDA provider once), then scripts/gpu/split_parts.sh cuts
#      the app and the provider into chunks small enough for one device call each and writes .gpu/CALLS.md.
#
#   usage: scripts/gpu/publish.sh [PUBLISH_DIR]        (default /tmp/dp-gpu-pub)
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
pub=${1:-/tmp/dp-gpu-pub}
src=/tmp/dp-gpu-src
cd "$repo"

echo "publish.sh: copying the sources to $src" >&2
rm -rf "$src" && mkdir -p "$src"
cp Directory.Build.props Directory.Packages.props "$src/"
[[ -f nuget.config ]] && cp nuget.config "$src/"
tar -C "$repo" --exclude=bin --exclude=obj -cf - src | tar -C "$src" -xf -

echo "publish.sh: dotnet publish (OrtFlavor=gpu, self-contained linux-x64) into $pub" >&2
rm -rf "$pub"
dotnet publish "$src/src/DrivePerception.Node/DrivePerception.Node.csproj" -c Release -r linux-x64 --self-contained \
  -p:OrtFlavor=gpu -p:DebugType=none -p:DebugSymbols=false -o "$pub" -nologo -v q -clp:ErrorsOnly

# The node looks for models/ and calibration/ under the folder holding DrivePerception.sln (or DP_HOME);
# the device copy of the repository has both, so the app needs neither. Drop what never loads there.
rm -f "$pub"/*.pdb "$pub"/libonnxruntime_providers_tensorrt.so

# OpenCvSharp's native library links GTK 3 (highgui) and its closure. Everything but the C runtime and the
# C++ runtime travels: both machines are x86-64 with glibc >= 2.36 (here Debian 12, there Ubuntu 24.04, glibc 2.39),
# and libraries built for an older glibc load on a newer one.
deps="$pub/native-deps"
mkdir -p "$deps"
ldd "$pub/libOpenCvSharpExtern.so" | awk '/=> \//{print $3}' | while read -r lib; do
  case "$(basename "$lib")" in
    libc.so.*|libm.so.*|libpthread.so.*|libdl.so.*|librt.so.*|ld-linux*|libstdc++.so.*|libgcc_s.so.*|libz.so.*) ;;
    *) cp -L "$lib" "$deps/" ;;
  esac
done
if ldd "$pub/libOpenCvSharpExtern.so" | grep "not found" >/dev/null; then  # no -q: with pipefail its early exit can fail the pipe
  echo "publish.sh: libOpenCvSharpExtern.so has unresolved libraries here:" >&2
  ldd "$pub/libOpenCvSharpExtern.so" | grep "not found" >&2
  exit 1
fi

cat > "$pub/drive-perception.sh" <<'WRAP'
#!/usr/bin/env bash
# Runs the self-contained node with the carried native libraries first on the library path.
here=$(cd "$(dirname "$0")" && pwd)
export LD_LIBRARY_PATH="$here/native-deps:$here${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
exec "$here/drive-perception" "$@"
WRAP
chmod +x "$pub/drive-perception.sh"
echo "publish.sh: $(du -sh "$pub" | cut -f1) in $pub ($(du -sh "$deps" | cut -f1) of native-deps)" >&2

# pack.sh compresses the CUDA provider once (cached by its sha256); its app.tgz and unpack.sh assume a small tree,
# so they are replaced by split_parts.sh's chunks (this checkout's tree leaves ~11 MiB per call).
"$repo/../shared/gpu/pack.sh" "$pub" .gpu >/dev/null
rm -f .gpu/app.tgz .gpu/unpack.sh
bash "$repo/scripts/gpu/split_parts.sh" .gpu "$pub"
