#!/usr/bin/env bash
# Build and run the C++ wrapper's test programs (tests/cpp/test_*.cpp, found by name) against a built libauki.so.
# test_messages.cpp uses the classes Debian's protoc generates from proto/auki/*.proto (built with -std=c++17
# and again with -std=c++20, where auki::bytes_view is std::span); test_without_protobuf.cpp proves the header
# builds and takes duck-typed messages with no protobuf at all.
#   bash tests/cpp/run.sh [dir-of-libauki.so]     (default: build/native)
set -euo pipefail
cd "$(dirname "$0")/../.."

LIB_DIR="$(cd "${1:-build/native}" 2>/dev/null && pwd)" || { echo "run.sh: no directory ${1:-build/native}" >&2; exit 1; }
[ -f "$LIB_DIR/libauki.so" ] || { echo "run.sh: $LIB_DIR/libauki.so not found (build it first)" >&2; exit 1; }
PY="${PYTHON:-/usr/bin/python3}"
CXX="${CXX:-g++}"
# Debian's protoc, not the Google.Protobuf.Tools one the C# build uses: generated C++ must match the
# libprotobuf-dev headers it compiles against (both 3.21 on bookworm).
PROTOC=/usr/bin/protoc
[ -x "$PROTOC" ] && [ -f /usr/include/google/protobuf/message.h ] \
  || { echo "run.sh: needs Debian's protobuf-compiler and libprotobuf-dev (./build.sh deps installs them)" >&2; exit 1; }

CXXFLAGS=(-Wall -Wextra -Werror -O1 -g -I native/include)
LDFLAGS=(-L "$LIB_DIR" -lauki -Wl,-rpath,"$LIB_DIR" -pthread)
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
fail() { echo "run.sh: $*" >&2; exit 1; }

mkdir "$OUT/gen"
"$PROTOC" --proto_path=proto --cpp_out="$OUT/gen" proto/auki/*.proto || fail "protoc of proto/auki/*.proto failed"
# Generated code is protoc's, not ours: its headers come in as -isystem and it is compiled without -Werror.
for source in "$OUT"/gen/auki/*.pb.cc; do
  "$CXX" -std=c++17 -O1 -w -isystem "$OUT/gen" -c "$source" -o "${source%.cc}.o" || fail "compiling $source failed"
done

programs=()
for source in tests/cpp/test_*.cpp; do
  name="$(basename "$source" .cpp)"
  if [ "$name" = test_without_protobuf ]; then
    "$CXX" -std=c++17 "${CXXFLAGS[@]}" "$source" -o "$OUT/$name" "${LDFLAGS[@]}" || fail "compiling $source failed"
    programs+=("$name")
    continue
  fi
  for std in c++17 c++20; do
    "$CXX" -std=$std "${CXXFLAGS[@]}" -isystem "$OUT/gen" "$source" "$OUT"/gen/auki/*.pb.o -o "$OUT/$name-$std" \
      "${LDFLAGS[@]}" -lprotobuf || fail "compiling $source ($std) failed"
    programs+=("$name-$std")
  done
done
[ ${#programs[@]} -gt 0 ] || fail "no tests/cpp/test_*.cpp found"

# What auki_datatypes encodes for seeded random values, for test_messages to compare byte for byte.
PYTHONPATH=bindings/python "$PY" tests/cpp/python_encodings.py > "$OUT/python_encodings.txt" \
  || fail "tests/cpp/python_encodings.py failed"

for name in "${programs[@]}"; do
  "$OUT/$name" "$OUT/python_encodings.txt" || fail "tests/cpp/${name%-c++*}.cpp: checks failed (see above)"
done
