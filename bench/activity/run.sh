#!/usr/bin/env bash
# Activity-session benchmark: a store of LOGS logs x ENTRIES entries (default 10,000 x 1,000), one
# session over FILES of them (default 1,000); bounds and list_topics timed from C# (core, in
# process), C (libauki) and Python (auki_data over libauki): rebuild (no .activity_index: every held
# log scanned), cold (a new process, or C# with its caches forgotten, starting from the index an
# earlier call saved) and warm, each beside os.stat / directory-walk baselines from the same process.
# Prints a Markdown table (docs/benchmarks.md).
#   bench/activity/run.sh [store-dir]       (default: a temporary directory, removed afterwards)
#   LOGS=100000 ENTRIES=300 FILES=10000 bench/activity/run.sh   (the fleet case: ~2.5 GB, ~1 min to generate)
# Needs build/native/libauki.so (./build.sh) and gcc. Disk: about 430 MB for the default store.
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
CBENCH="$(mktemp)"
gcc -O2 -I"$REPO/native/include" bench_activity_c.c -L"$REPO/build/native" -lauki -Wl,-rpath,"$REPO/build/native" -o "$CBENCH" \
  || fail "building bench_activity_c.c failed"

"${BENCH[@]}" generate "$STORE" "$LOGS" "$ENTRIES" >&2
SESSION="$("${BENCH[@]}" session "$STORE" "$FILES")"
echo "session $SESSION over $FILES logs; store uses $(du -sh "$STORE" | cut -f1)" >&2

field() { tr '\t' '\n' <<<"$1" | sed -n "s/^$2=//p"; }
cs="$("${BENCH[@]}" measure "$STORE" "$SESSION")"
rm -f "$STORE/.activity_index"; c_br="$("$CBENCH" "$STORE" "$SESSION" bounds)"
c_bc="$("$CBENCH" "$STORE" "$SESSION" bounds)"
rm -f "$STORE/.activity_index"; c_tr="$("$CBENCH" "$STORE" "$SESSION" topics)"
c_tc="$("$CBENCH" "$STORE" "$SESSION" topics)"
rm "$CBENCH"
export PYTHONPATH="$REPO/bindings/python" AUKI_LIBRARY="$REPO/build/native/libauki.so"
py_br="$("$PY" bench_activity.py "$STORE" "$SESSION" bounds rebuild)"
py_bc="$("$PY" bench_activity.py "$STORE" "$SESSION" bounds cold)"
py_tr="$("$PY" bench_activity.py "$STORE" "$SESSION" topics rebuild)"
py_tc="$("$PY" bench_activity.py "$STORE" "$SESSION" topics cold)"

echo
echo "Store: $LOGS logs x $ENTRIES entries ($(field "$cs" segments) segment files in the session); session over $FILES logs, $(field "$py_bc" topics) topics. Times in ms."
echo
echo "| caller | bounds rebuild | bounds cold | bounds warm | list_topics rebuild | list_topics cold | list_topics warm | baseline: stat every segment | baseline: walk segments/ dirs |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
echo "| C# (core, in process) | $(field "$cs" bounds_rebuild) | $(field "$cs" bounds_cold) | $(field "$cs" bounds_warm) | $(field "$cs" topics_rebuild) | $(field "$cs" topics_cold) | $(field "$cs" topics_warm) | $(field "$cs" stat) | $(field "$cs" walk) |"
echo "| C (libauki; topics paged by 500) | $(field "$c_br" bounds_cold) | $(field "$c_bc" bounds_cold) | $(field "$c_bc" bounds_warm) | $(field "$c_tr" topics_cold) | $(field "$c_tc" topics_cold) | $(field "$c_tc" topics_warm) | | |"
echo "| Python (auki_data → libauki; paged by 500) | $(field "$py_br" bounds_rebuild) | $(field "$py_bc" bounds_cold) | $(field "$py_bc" bounds_warm) | $(field "$py_tr" topics_rebuild) | $(field "$py_tc" topics_cold) | $(field "$py_tc" topics_warm) | $(field "$py_bc" stat) | $(field "$py_bc" walk) |"
echo
echo "Python, both live properties (min_timestamp_ns then max_timestamp_ns): $(field "$py_bc" bounds_pair_warm) ms warm."
