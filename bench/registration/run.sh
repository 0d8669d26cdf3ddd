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
PYTHONPATH="$ROOT/bindings/python" python3 "$ROOT/bench/registration/py_registration.py" "$TMP"
