#!/usr/bin/env bash
# Soak: runs the node paced at the source rate on a shipped drive played in a loop, with two subscribers (one
# that keeps up, one that sleeps per message), and samples the node every INTERVAL seconds into a CSV: resident
# memory, open handles (/proc/PID/fd), threads, CPU time, and latency p50/p99 from its status messages. Ends with
# a verdict: flat (RSS slope and growth under the limits after WARMUP, no handle growth) or not. Exit 0 flat,
# 1 not flat or the node failed, 2 bad settings. docs/RUN.md#soak.
#
#   scripts/soak/soak.sh                       # 5 minutes
#   DURATION=1800 scripts/soak/soak.sh         # the 30-minute soak
#   DURATION=60 INTERVAL=5 WARMUP=25 RSS_SLOPE_MAX=0 RSS_GROWTH_MAX=48 FD_GROWTH_MAX=2 scripts/soak/soak.sh
#                                              # the short version ./run-tests runs (growth bounds only)
#
# Settings (environment): DURATION s (300), INTERVAL s (10), WARMUP s (60), DRIVE (recordings/cruising.mcap; any
# --source a file source takes), SLOW_MS per message of the slow subscriber (200), OUT folder
# (artifacts/soak/DATE), RSS_SLOPE_MAX MB/min (1; 0: not gated), RSS_GROWTH_MAX MB (32), FD_GROWTH_MAX (0), THREAD_GROWTH_MAX (2),
# EXTRA node options (e.g. "--threads 1").
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$here"
DURATION="${DURATION:-300}"; INTERVAL="${INTERVAL:-10}"; WARMUP="${WARMUP:-60}"
DRIVE="${DRIVE:-recordings/cruising.mcap}"; SLOW_MS="${SLOW_MS:-200}"
OUT="${OUT:-artifacts/soak/$(date -u +%Y%m%dT%H%M%SZ)}"
RSS_SLOPE_MAX="${RSS_SLOPE_MAX:-1}"; RSS_GROWTH_MAX="${RSS_GROWTH_MAX:-32}"
FD_GROWTH_MAX="${FD_GROWTH_MAX:-0}"; THREAD_GROWTH_MAX="${THREAD_GROWTH_MAX:-2}"; EXTRA="${EXTRA:-}"
py=/usr/bin/python3  # Debian's, with python3-zmq and python3-msgpack (./run-tests installs them)

number() { [[ "$2" =~ ^[0-9]+([.][0-9]+)?$ ]] || { echo "soak: $1=$2 is not a number: give e.g. $1=$3" >&2; exit 2; }; }
number DURATION "$DURATION" 300; number INTERVAL "$INTERVAL" 10; number WARMUP "$WARMUP" 60; number SLOW_MS "$SLOW_MS" 200
number RSS_SLOPE_MAX "$RSS_SLOPE_MAX" 1; number RSS_GROWTH_MAX "$RSS_GROWTH_MAX" 32
number FD_GROWTH_MAX "$FD_GROWTH_MAX" 0; number THREAD_GROWTH_MAX "$THREAD_GROWTH_MAX" 2
awk -v d="$DURATION" -v w="$WARMUP" -v i="$INTERVAL" 'BEGIN { exit !(d > w + 2 * i && i > 0) }' \
  || { echo "soak: DURATION ($DURATION s) must exceed WARMUP + 2 x INTERVAL ($WARMUP + 2 x $INTERVAL s) to judge anything" >&2; exit 2; }
[ -f "$DRIVE" ] || { echo "soak: DRIVE '$DRIVE' not found: give a file the node's --source takes, e.g. recordings/cruising.mcap" >&2; exit 2; }
$py -c 'import zmq, msgpack' 2>/dev/null || { echo "soak: $py lacks zmq/msgpack: apt-get install python3-zmq python3-msgpack" >&2; exit 2; }
mkdir -p "$OUT"

./drive-perception --help >/dev/null 2>&1 || { echo "soak: the node does not build: run ./drive-perception --help to see why" >&2; exit 1; }
port=$($py -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
endpoint="tcp://127.0.0.1:$port"
cpu="$(lscpu | sed -n 's/^Model name: *//p' | head -1)"
avx512=no; grep -qw avx512f /proc/cpuinfo && avx512=yes
{
  echo "soak $(date -u +%FT%TZ): $DRIVE looped, paced, ${DURATION} s, sampled every ${INTERVAL} s, warm-up ${WARMUP} s"
  echo "machine: $cpu, $(nproc) cores, AVX-512 $avx512; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "subscribers: one that keeps up, one that sleeps ${SLOW_MS} ms per message"
} | tee "$OUT/summary.txt"

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
# shellcheck disable=SC2086  # EXTRA is a list of options
./drive-perception run --source "$DRIVE" --loop --rate source --duration "$DURATION" --publish "$endpoint" --quiet $EXTRA \
  > "$OUT/node.log" 2>&1 &
node=$!; pids+=("$node")
$py scripts/soak/subscriber.py --endpoint "$endpoint" --out "$OUT/subscriber-normal.json" & pids+=($!); normal=$!
$py scripts/soak/subscriber.py --endpoint "$endpoint" --sleep-ms "$SLOW_MS" --out "$OUT/subscriber-slow.json" & pids+=($!); slow=$!

set +e
$py scripts/soak/monitor.py --pid "$node" --endpoint "$endpoint" --csv "$OUT/samples.csv" --interval "$INTERVAL" \
  --warmup "$WARMUP" --rss-slope-max "$RSS_SLOPE_MAX" --rss-growth-max "$RSS_GROWTH_MAX" \
  --fd-growth-max "$FD_GROWTH_MAX" --thread-growth-max "$THREAD_GROWTH_MAX" > "$OUT/verdict.txt"
verdict_rc=$?
wait "$node"; node_rc=$?
kill -TERM "$normal" "$slow" 2>/dev/null; wait "$normal" "$slow" 2>/dev/null
set -e

{
  cat "$OUT/verdict.txt"
  echo "node exit $node_rc; its last lines:"; tail -n 12 "$OUT/node.log" | sed 's/^/  /'
  for s in normal slow; do
    [ -f "$OUT/subscriber-$s.json" ] && echo "subscriber $s: $(tr -d '\n' < "$OUT/subscriber-$s.json" | tr -s ' ')"
  done
  echo "samples: $OUT/samples.csv"
} | tee -a "$OUT/summary.txt"
[ "$node_rc" -eq 0 ] || { echo "soak: FAILED: the node exited $node_rc ($OUT/node.log)"; exit 1; }
[ "$verdict_rc" -eq 0 ] || exit 1
