#!/usr/bin/env bash
# auki.hpp's message overload against the bytes overloads and fwrite, per pose (bench_messages.cpp), printed
# as the markdown table of docs/benchmarks.md ("Typed payloads").
#   bench/cpp/run.sh [scale=1.0]     (BENCH_DIR=<dir> to run somewhere else than a fresh temp dir)
# Needs build/native/libauki.so (./build.sh builds it) and Debian's protobuf-compiler + libprotobuf-dev.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
SCALE="${1:-1.0}"

fail() { echo "bench/cpp/run.sh: $*" >&2; exit 1; }
[ -f build/native/libauki.so ] || fail "build/native/libauki.so not found: run ./build.sh first"
[ -x /usr/bin/protoc ] || fail "needs Debian's protobuf-compiler and libprotobuf-dev (./build.sh deps)"

WORK="${BENCH_DIR:-$(mktemp -d)}"
mkdir -p "$WORK"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"; [ -n "${BENCH_DIR:-}" ] || rm -rf "$WORK"' EXIT

# Debian's protoc: the generated code must match the libprotobuf headers it is compiled against.
/usr/bin/protoc --proto_path=proto --cpp_out="$OUT" proto/auki/pose.proto || fail "protoc failed"
g++ -std=c++17 -O2 -Wall -Wextra -Werror -I native/include -isystem "$OUT" bench/cpp/bench_messages.cpp \
  "$OUT/auki/pose.pb.cc" -o "$OUT/bench_messages" -L build/native -lauki -Wl,-rpath,"$ROOT/build/native" -lprotobuf \
  || fail "compiling bench/cpp/bench_messages.cpp failed"
echo "bench_messages ($WORK) ..." >&2
"$OUT/bench_messages" "$WORK" "$SCALE" || fail "bench_messages failed"
