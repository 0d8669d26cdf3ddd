#!/usr/bin/env bash
# Per-call cost of registrations and getters from C and from Python, each beside a baseline
# measured in the same run, plus the library size and the cold start of a Python program.
# Usage: bench/registration/run.sh   (after ./build.sh)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
LIB="$ROOT/build/native"
TMP="$(mktemp -d)"; trap 'rm -rf "$TMP"' EXIT
[ -f "$LIB/libauki.so" ] || { echo "run ./build.sh first" >&2; exit 1; }
echo "libauki.so: $(stat -c %s "$LIB/libauki.so") bytes"
gcc -std=c11 -O2 -I"$ROOT/native/include" "$ROOT/bench/registration/c_registration.c" -o "$TMP/c_registration" \
  -L"$LIB" -lauki -Wl,-rpath,"$LIB"
"$TMP/c_registration" 2000 1000000 "$TMP"
# The rig (a frame, 100 sensors, a session, 100 logs): one by one vs one batch, interleaved, best of 3;
# then the fsync-family syscalls of each under strace -c (strace slows the runs, so not timed there).
for rep in 1 2 3; do
  for batched in 0 1; do
    mkdir "$TMP/rig$rep$batched" && "$TMP/c_registration" rig "$TMP/rig$rep$batched" "$batched"
  done
done
if command -v strace >/dev/null; then
  for batched in 0 1; do
    mkdir "$TMP/strace$batched"
    strace -f -c -e trace=fsync,fdatasync,syncfs,sync_file_range -o "$TMP/strace$batched.txt" \
      "$TMP/c_registration" rig "$TMP/strace$batched" "$batched" count
    echo "rig $([ "$batched" = 1 ] && echo batched || echo 'one by one'): $(awk '$NF ~ /sync/ {printf "%s %s, ", $4, $NF}' "$TMP/strace$batched.txt")(strace -c -f)"
  done
else
  echo "strace not installed: fsync counts skipped" >&2
fi
PYTHONPATH="$ROOT/bindings/python" python3 "$ROOT/bench/registration/py_registration.py" "$TMP"
