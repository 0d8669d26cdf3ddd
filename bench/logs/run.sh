#!/usr/bin/env bash
# The log data plane benchmark: C (bench_logs.c) and Python (bench_logs.py), each figure beside a
# baseline measured in the same run, printed as the markdown table of docs/benchmarks.md; then what
# a segment rollover costs an appending thread (bench_rollover.c), what windows and log_info cost
# at 360/3,600/36,000 segments (bench_index.c) and how 16 B appends scale from 1 to 2 threads
# (bench_threads.c), and the thread CPU time of one append (bench_append_cpu.c), as four more tables.
#   bench/logs/run.sh [scale=1.0]     (BENCH_DIR=<dir> to run somewhere else than a fresh temp dir)
# Needs build/native/libauki.so (./build.sh builds it).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
PY="${PYTHON:-/usr/bin/python3}"
SCALE="${1:-1.0}"

fail() { echo "bench/logs/run.sh: $*" >&2; exit 1; }
[ -f build/native/libauki.so ] || fail "build/native/libauki.so not found: run ./build.sh first"

WORK="${BENCH_DIR:-$(mktemp -d)}"
mkdir -p "$WORK"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"; [ -n "${BENCH_DIR:-}" ] || rm -rf "$WORK"' EXIT

for prog in bench_logs bench_rollover bench_index bench_threads bench_append_cpu bench_first_call; do
  gcc -std=c11 -O2 -Wall -Wextra -Werror -I native/include "bench/logs/$prog.c" -o "$OUT/$prog" \
    -L build/native -lauki -Wl,-rpath,"$ROOT/build/native" -pthread || fail "compiling bench/logs/$prog.c failed"
done

echo "C part ($WORK) ..." >&2
"$OUT/bench_logs" "$WORK" "$SCALE" > "$OUT/c.txt" || fail "bench_logs (C) failed"
echo "Python part ..." >&2
PYTHONPATH="$ROOT/bindings/python" "$PY" bench/logs/bench_logs.py "$WORK" "$SCALE" "$OUT/c.txt" \
  || fail "bench_logs.py failed"
echo "Rollover part ..." >&2
echo
echo "| rollover case | libauki | baseline |"
echo "|---|---|---|"
"$OUT/bench_rollover" "$WORK" "$SCALE" || fail "bench_rollover failed"
echo "Index part ..." >&2
echo
echo "| log | last 100 entries | log_info |"
echo "|---|---|---|"
"$OUT/bench_index" "$WORK" || fail "bench_index failed"
echo "Threads part ..." >&2
echo
echo "| case | 1 thread | 2 threads | 2 threads / 1 |"
echo "|---|---|---|---|"
"$OUT/bench_threads" "$WORK" "$SCALE" || fail "bench_threads failed"
echo "CPU part ..." >&2
echo
echo "| payload | thread CPU per auki_log_writer_append |"
echo "|---|---|"
"$OUT/bench_append_cpu" "$WORK" "$SCALE" || fail "bench_append_cpu failed"
