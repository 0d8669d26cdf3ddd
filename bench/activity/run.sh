#!/usr/bin/env bash
# Activity-session benchmark: a store of LOGS logs x ENTRIES entries (default 10,000 x 1,000), one
# session over FILES of them (default 1,000); bounds and list_topics timed cold and warm from C#
# (core, in process) and from Python (auki_data over libauki), each beside os.stat / directory-walk
# baselines measured in the same process. Prints a Markdown table (docs/benchmarks.md).
#   bench/activity/run.sh [store-dir]       (default: a temporary directory, removed afterwards)
# Needs build/native/libauki.so (./build.sh). Disk: about 430 MB for the default store.
set -euo pipefail
cd "$(dirname "$0")"
REPO="$(cd ../.. && pwd)"
LOGS="${LOGS:-10000}" ENTRIES="${ENTRIES:-1000}" FILES="${FILES:-1000}"
PY="${PYTHON:-/usr/bin/python3}"

fail() { echo "bench/activity: $*" >&2; exit 1; }
[ -f "$REPO/build/native/libauki.so" ] || fail "build/native/libauki.so not found: run ./build.sh first"

if [ $# -ge 1 ]; then STORE="$1"; mkdir -p "$STORE"; else STORE="$(mktemp -d)"; trap 'rm -rf "$STORE"' EXIT; fi
[ -z "$(ls -A "$STORE")" ] || fail "$STORE is not empty"

dotnet build ActivityBench -c Release -nologo -v quiet >/dev/null || fail "building ActivityBench failed"
BENCH=(dotnet ActivityBench/bin/Release/net10.0/ActivityBench.dll)

"${BENCH[@]}" generate "$STORE" "$LOGS" "$ENTRIES" >&2
SESSION="$("${BENCH[@]}" session "$STORE" "$FILES")"
echo "session $SESSION over $FILES logs; store uses $(du -sh "$STORE" | cut -f1)" >&2

field() { tr '\t' '\n' <<<"$1" | sed -n "s/^$2=//p"; }
cs="$("${BENCH[@]}" measure "$STORE" "$SESSION")"
export PYTHONPATH="$REPO/bindings/python" AUKI_LIBRARY="$REPO/build/native/libauki.so"
py_b="$("$PY" bench_activity.py "$STORE" "$SESSION" bounds)"
py_t="$("$PY" bench_activity.py "$STORE" "$SESSION" topics)"

echo
echo "Store: $LOGS logs x $ENTRIES entries ($(field "$cs" segments) segment files in the session); session over $FILES logs, $(field "$py_b" topics) topics. Times in ms."
echo
echo "| caller | bounds cold | bounds warm | list_topics cold | list_topics warm | baseline: stat every segment | baseline: walk segments/ dirs |"
echo "|---|---:|---:|---:|---:|---:|---:|"
echo "| C# (core, in process) | $(field "$cs" bounds_cold) | $(field "$cs" bounds_warm) | $(field "$cs" topics_cold) | $(field "$cs" topics_warm) | $(field "$cs" stat) | $(field "$cs" walk) |"
echo "| Python (auki_data → libauki) | $(field "$py_b" bounds_cold) | $(field "$py_b" bounds_warm) | $(field "$py_t" topics_cold) | $(field "$py_t" topics_warm) | $(field "$py_b" stat) | $(field "$py_b" walk) |"
echo
echo "Python, both live properties (min_timestamp_ns then max_timestamp_ns): $(field "$py_b" bounds_pair_warm) ms warm."
