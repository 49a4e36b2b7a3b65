#!/usr/bin/env bash
# Fuzzes the decoders that read bytes from outside (wire messages, MCAP, RLE, model cards, calibration YAML) for a
# bounded time each, with SharpFuzz-instrumented assemblies under Debian's afl++ (coverage-guided), and prints what
# each found. Installs afl++ (apt) and the SharpFuzz instrumenter (a .NET tool, in WORK) on first use.
# FUZZER=random runs the bounded random-bytes driver instead (no afl++, no coverage feedback). Exit 0 when nothing
# was found, 1 when something was (inputs under WORK/findings), 2 bad settings. docs/FUZZING.md.
#
#   scripts/fuzz/fuzz.sh                          # every target, 60 s each, afl++
#   FUZZ_SECONDS=600 TARGETS="wire mcap" scripts/fuzz/fuzz.sh
#   FUZZER=random FUZZ_SECONDS=30 scripts/fuzz/fuzz.sh
#
# Settings (environment): FUZZ_SECONDS per target (60), TARGETS (wire mcap rle card calibration), FUZZER (afl or
# random), WORK folder (artifacts/fuzz), SEED for the random driver (1).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$here"
FUZZ_SECONDS="${FUZZ_SECONDS:-60}"; TARGETS="${TARGETS:-wire mcap rle card calibration}"; FUZZER="${FUZZER:-afl}"
WORK="${WORK:-$here/artifacts/fuzz}"; SEED="${SEED:-1}"
[[ "$FUZZ_SECONDS" =~ ^[0-9]+$ && "$FUZZ_SECONDS" -gt 0 ]] || { echo "fuzz: FUZZ_SECONDS=$FUZZ_SECONDS must be a whole number of seconds > 0, e.g. 60" >&2; exit 2; }
[[ "$SEED" =~ ^-?[0-9]+$ ]] || { echo "fuzz: SEED=$SEED must be a whole number" >&2; exit 2; }
for t in $TARGETS; do
  case "$t" in wire|mcap|rle|card|calibration) ;; *) echo "fuzz: unknown target '$t': give TARGETS from: wire mcap rle card calibration" >&2; exit 2;; esac
done
case "$FUZZER" in afl|random) ;; *) echo "fuzz: FUZZER=$FUZZER: give afl or random" >&2; exit 2;; esac

sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
ldconfig -p 2>/dev/null | grep 'libgtk-3.so.0' >/dev/null || need_gtk=1  # OpenCV (calibration) links it
if [ "$FUZZER" = afl ] && ! command -v afl-fuzz >/dev/null; then
  echo "fuzz: installing afl++ (Debian)..." >&2
  $sudo apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends afl++ >&2
fi
if [ -n "${need_gtk:-}" ]; then
  $sudo apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends libgtk-3-0 >&2
fi

bin="$WORK/bin"; plain="$WORK/bin-plain"; tools="$WORK/tools"
mkdir -p "$WORK"
echo "fuzz: building the targets..." >&2
dotnet build scripts/fuzz/DrivePerception.Fuzz/DrivePerception.Fuzz.csproj -c Release -o "$plain" -nologo -v q -clp:ErrorsOnly >&2
# Seeds, replays and the random driver run the plain build: instrumented code writes afl's shared trace map and
# crashes (AccessViolationException) outside afl-fuzz.
rm -rf "$WORK/seeds"; dotnet "$plain/drive-perception-fuzz.dll" seeds "$WORK/seeds"
if [ "$FUZZER" = afl ]; then
  [ -x "$tools/sharpfuzz" ] || dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path "$tools" >&2
  # Instrument a copy of the project's own assemblies (not the fuzz driver, not third-party code): afl++ then sees
  # which branches of the decoders each input reaches.
  rm -rf "$bin"; cp -r "$plain" "$bin"
  for dll in DrivePerception.Core DrivePerception.Transport DrivePerception.Recording DrivePerception.Vision; do
    "$tools/sharpfuzz" "$bin/$dll.dll" >&2
  done
fi

cpu="$(lscpu | sed -n 's/^Model name: *//p' | head -1)"; avx512=no; grep -qw avx512f /proc/cpuinfo && avx512=yes
echo "fuzz $(date -u +%FT%TZ): $FUZZER, ${FUZZ_SECONDS} s per target; $cpu, $(nproc) cores, AVX-512 $avx512; load $(cut -d' ' -f1-3 /proc/loadavg)"
found=0
for t in $TARGETS; do
  out="$WORK/findings/$t"
  rm -rf "$out"; mkdir -p "$out"
  if [ "$FUZZER" = random ]; then
    dotnet "$plain/drive-perception-fuzz.dll" random "$t" "$FUZZ_SECONDS" "$SEED" "$out" || found=1
    continue
  fi
  # AFL_SKIP_BIN_CHECK: the target binary is `dotnet`, not instrumented itself (SharpFuzz's fork server speaks for
  # the instrumented assemblies). -t 10000: a .NET start and a first decode take seconds on a busy 2-core machine.
  AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1 \
    timeout $((FUZZ_SECONDS + 120)) afl-fuzz -i "$WORK/seeds/$t" -o "$out" -t 10000 -m none -V "$FUZZ_SECONDS" \
    -- dotnet "$bin/drive-perception-fuzz.dll" afl "$t" > "$out/afl.log" 2>&1 || true
  stats="$out/default/fuzzer_stats"
  if [ ! -f "$stats" ]; then
    echo "$t: afl-fuzz did not run: the end of $out/afl.log:"; tail -n 15 "$out/afl.log" | sed 's/^/  /'; found=1; continue
  fi
  get() { sed -n "s/^$1 *: *//p" "$stats"; }
  crashes=$(find "$out/default/crashes" -type f -name 'id:*' 2>/dev/null | wc -l)
  hangs=$(find "$out/default/hangs" -type f -name 'id:*' 2>/dev/null | wc -l)
  echo "$t: $(get execs_done) inputs in $(get run_time) s ($(get execs_per_sec)/s), corpus $(get corpus_count), coverage $(get bitmap_cvg), crashes $crashes, hangs $hangs"
  if [ "$crashes" -gt 0 ]; then
    found=1
    # Replay each crash once in a plain process to print what it throws.
    find "$out/default/crashes" -type f -name 'id:*' | head -n 5 | while read -r f; do
      { dotnet "$plain/drive-perception-fuzz.dll" replay "$t" "$f" 2>&1 || echo "exit $? replaying $f (1: an exception outside the contract; 139: a native crash)"; } \
        | grep -v '^\s*at ' | head -n 4 | sed 's/^/  /' || true
    done
  fi
done
exit $found
