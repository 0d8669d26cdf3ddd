#!/usr/bin/env bash
# Discovery benchmark: a store of LOGS logs (default 10,000: 10 peers x 10 boot sessions, 1,000
# entries each in 4 segment files, written by bench/activity's generator), listed by `auki ls --json`
# (a new process each time) and by Python's auki_data.Store (peers, all logs, one peer's, a time
# window), beside a walk of the whole store (os.walk + stat of every file) in the same process.
# Prints a Markdown table (docs/benchmarks.md).
#   bench/store/run.sh [store-dir]       (default: a temporary directory, removed afterwards)
# Needs build/native/libauki.so and build/cli/auki (./build.sh). Disk: about 430 MB.
set -euo pipefail
cd "$(dirname "$0")"
REPO="$(cd ../.. && pwd)"
LOGS="${LOGS:-10000}" ENTRIES="${ENTRIES:-1000}"
PY="${PYTHON:-/usr/bin/python3}"

fail() { echo "bench/store: $*" >&2; exit 1; }
[ -f "$REPO/build/native/libauki.so" ] || fail "build/native/libauki.so not found: run ./build.sh first"
[ -x "$REPO/build/cli/auki" ] || fail "build/cli/auki not found: run ./build.sh first"

if [ $# -ge 1 ]; then STORE="$1"; mkdir -p "$STORE"; else STORE="$(mktemp -d)"; trap 'rm -rf "$STORE"' EXIT; fi
if [ -z "$(ls -A "$STORE")" ]; then
  dotnet build ../activity/ActivityBench -c Release -nologo -v quiet >/dev/null || fail "building ActivityBench failed"
  dotnet ../activity/ActivityBench/bin/Release/net10.0/ActivityBench.dll generate "$STORE" "$LOGS" "$ENTRIES" >&2
fi

# ms CMD...: median wall time of 3 runs of CMD (stdout discarded).
ms() {
  local samples=() t0 t1
  for _ in 1 2 3; do
    t0="$(date +%s%N)"; "$@" > /dev/null; t1="$(date +%s%N)"
    samples+=($(( (t1 - t0) / 1000000 )))
  done
  printf '%s\n' "${samples[@]}" | sort -n | sed -n 2p
}
ls_ms="$(ms "$REPO/build/cli/auki" ls "$STORE" --json)"
field() { tr '\t' '\n' <<<"$1" | sed -n "s/^$2=//p"; }
py="$(PYTHONPATH="$REPO/bindings/python" AUKI_LIBRARY="$REPO/build/native/libauki.so" "$PY" bench_store.py "$STORE")"

echo
echo "Store: $(field "$py" logs) logs, $(field "$py" files) files. Times in ms (median; machine load: $(cut -d' ' -f1-3 /proc/loadavg))."
echo
echo "| call | ms | CPU ms | baseline: os.walk + stat of every file (same process), ms / CPU ms |"
echo "|---|---:|---:|---:|"
echo "| \`auki ls --json\` (new process, whole listing) | $ls_ms | | |"
echo "| Python \`Store.logs()\`, first call in a new process | $(field "$py" logs_cold) | $(field "$py" logs_cold_cpu) | $(field "$py" walk_baseline) / $(field "$py" walk_baseline_cpu) |"
echo "| Python \`Store.logs()\`, again | $(field "$py" logs_warm) | $(field "$py" logs_warm_cpu) | $(field "$py" walk_baseline) / $(field "$py" walk_baseline_cpu) |"
echo "| Python \`Store.peers()\` | $(field "$py" peers) | | |"
echo "| Python \`Store.logs(peer_id)\` (one of 10 peers) | $(field "$py" one_peer) | | |"
echo "| Python \`Store.logs(start_ns=…, end_ns=…)\` | $(field "$py" window) | | |"
