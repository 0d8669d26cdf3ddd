#!/usr/bin/env bash
# AukiNative build entry point.
#   ./build.sh              install what is missing (deps), build libauki and the auki tool (NativeAOT), run the Python quickstart
#   ./build.sh test         the same build, then every test suite below, in this order
#   ./build.sh test SUITE   the build, then one suite: abi | core | c | packaging | python | cli | format
#                           (c runs the C ABI programs, tests/c, and the C++ wrapper's, tests/cpp)
#   ./build.sh deps         only install the Debian packages the build and the tests need (says what it installs)
set -euo pipefail
cd "$(dirname "$0")"
ROOT="$PWD"
NATIVE_OUT="$ROOT/build/native"
CLI_OUT="$ROOT/build/cli"
PY="${PYTHON:-/usr/bin/python3}"

say() { printf '\n==> %s\n' "$*"; }
die() { printf 'build.sh: %s\n' "$*" >&2; exit 1; }

# Debian packages the scripts need; CI starts from a clean machine. Prints what it installs, and
# installs nothing when everything is there.
ensure_packages() {
  local missing=()
  command -v gcc >/dev/null || missing+=(gcc)
  command -v g++ >/dev/null || missing+=(g++)
  [ -x "$PY" ] || missing+=(python3)
  if [ "${1:-}" = test ]; then
    "$PY" -c 'import pytest' 2>/dev/null || missing+=(python3-pytest)
    # Camera frames as numpy arrays (python_tests/session/test_typed_logs.py; it skips without numpy).
    "$PY" -c 'import numpy' 2>/dev/null || missing+=(python3-numpy)
    # The shipped .pyi stubs are type-checked by a real checker (python_tests/stubs/test_typing.py).
    "$PY" -c 'import mypy' 2>/dev/null || missing+=(python3-mypy)
    # DataFrame reads of activity sessions (python_tests/data/test_activity_decoded.py; it skips without pandas).
    "$PY" -c 'import pandas' 2>/dev/null || missing+=(python3-pandas)
    # The domain tests run Debian's MQTT broker on 127.0.0.1.
    [ -x /usr/sbin/mosquitto ] || missing+=(mosquitto)
    command -v mosquitto_pub >/dev/null || missing+=(mosquitto-clients)
    local probe; probe="$(mktemp -d)"   # Debian ships venv's pip bootstrap separately
    "$PY" -m venv "$probe/v" >/dev/null 2>&1 || missing+=(python3-venv)
    rm -rf "$probe"
    command -v cmake >/dev/null || missing+=(cmake)
    # auki.hpp's message overloads are tested with C++ classes Debian's protoc generates from proto/auki
    # (tests/cpp/run.sh); the generated code needs the matching libprotobuf headers and library.
    [ -x /usr/bin/protoc ] || missing+=(protobuf-compiler)
    [ -f /usr/include/google/protobuf/message.h ] || missing+=(libprotobuf-dev)
    command -v clang-format >/dev/null || missing+=(clang-format)
    command -v unzip >/dev/null || missing+=(unzip)
    command -v strace >/dev/null || missing+=(strace)   # new directories' names are checked durable by watching the syscalls
    command -v xxhsum >/dev/null || missing+=(xxhash)   # the registry tests hash canonical JSON independently
    command -v node >/dev/null && command -v npm >/dev/null || missing+=(nodejs npm)  # the CLI tests' MCAP reader, the live server's Foxglove client
  fi
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing Debian packages: ${missing[*]}"
    local sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -qq || true
    $sudo apt-get install -y -qq "${missing[@]}" >/dev/null || die "apt-get install ${missing[*]} failed"
  fi
  command -v dotnet >/dev/null || die "the .NET SDK (dotnet) is required"
}

build_native() {
  # The C ABI is declared once, in native/include/auki.h; the ctypes table and the exports' constants follow it.
  say "generating the ABI declarations from native/include/auki.h (tools/gen_abi.py)"
  "$PY" tools/gen_abi.py || die "native/include/auki.h could not be read (see above)"
  say "building libauki (NativeAOT) -> build/native/libauki.so"
  dotnet publish native/Auki.Native.csproj -c Release -r linux-x64 -o "$NATIVE_OUT" -v quiet -nologo \
    || die "native build failed"
  # The Python packages load the library from inside their own package. Replaced by rename, not
  # overwritten in place: a process that has the old one mapped (a test still running) keeps it.
  cp "$NATIVE_OUT/libauki.so" bindings/python/_auki/.libauki.so.new
  mv -f bindings/python/_auki/.libauki.so.new bindings/python/_auki/libauki.so
}

# The Python message tables come from proto/auki/*.proto, through the protoc that the core's
# restore brought (Google.Protobuf.Tools); a changed .proto shows up as a diff to commit.
generate_datatypes() {
  say "auki_datatypes: Python tables from proto/auki/*.proto"
  "$PY" tools/gen_auki_datatypes.py || die "generating auki_datatypes failed"
}

build_cli() {
  say "building the auki tool (NativeAOT) -> build/cli/auki"
  dotnet publish cli/Auki.Cli.csproj -c Release -r linux-x64 -o "$CLI_OUT" -v quiet -nologo \
    || die "auki build failed"
}

run_quickstart() {
  local tmp; tmp="$(mktemp -d)"
  say "Python quickstart on $tmp"
  PYTHONPATH="$ROOT/bindings/python" "$PY" examples/python/quickstart.py "$tmp"
  rm -rf "$tmp"
}

test_abi() {
  say "ABI: auki.h, the exports, libauki.so and the Python declarations agree"
  "$PY" tools/gen_abi.py --check --library "$NATIVE_OUT/libauki.so" || die "the ABI declarations disagree (see above)"
}

test_core() {
  say "xunit: core"
  dotnet test tests/Auki.Core.Tests/Auki.Core.Tests.csproj -c Release -nologo -v quiet \
    || die "core tests failed"
}

test_c() {
  say "C ABI test programs"
  bash tests/c/run.sh "$NATIVE_OUT" || die "C ABI tests failed"
  say "C++ wrapper test programs (auki.hpp with protoc-generated messages, and without protobuf)"
  bash tests/cpp/run.sh "$NATIVE_OUT" || die "C++ wrapper tests failed"
}

test_packaging() {
  say "packaging: pip into a venv, CMake package + C/C++ examples, NuGet, ABI mismatch"
  bash tests/packaging/run.sh "$NATIVE_OUT" || die "packaging tests failed"
}

test_python() {
  say "domain test peer (tests/domain/DomainPeer)"
  dotnet build tests/domain/DomainPeer/DomainPeer.csproj -c Release -o build/domain-peer -nologo -v quiet \
    || die "building the domain test peer failed"
  say "pytest"
  PYTHONPATH="$ROOT/bindings/python" "$PY" -m pytest -q python_tests || die "Python tests failed"
}

test_cli() {
  say "auki CLI (golden outputs, damaged stores, MCAP read back with @mcap/core, timeline SVG)"
  dotnet build tests/cli/StoreGen/StoreGen.csproj -c Release -o build/storegen -v quiet -nologo || die "storegen build failed"
  bash tests/cli/run.sh "$CLI_OUT/auki" build/storegen/storegen || die "CLI tests failed"
}

# C# as .editorconfig says (dotnet format whitespace) and C/C++ as .clang-format says, applied once and
# kept: a change that is not formatted fails here with the command that formats it.
FORMATTED_PROJECTS=(AukiNative.sln bench/activity/ActivityBench/ActivityBench.csproj
  bench/datatypes/DatatypesBench/DatatypesBench.csproj bench/domain/DomainBench.csproj tests/domain/DomainPeer/DomainPeer.csproj
  bench/foxglove-live/FoxgloveLiveBench.csproj)

test_format() {
  say "format: C# (dotnet format whitespace) and C/C++ (clang-format) are formatted"
  local project
  for project in "${FORMATTED_PROJECTS[@]}"; do
    dotnet format whitespace "$project" --verify-no-changes -v q \
      || die "$project is not formatted: run dotnet format whitespace $project"
  done
  local sources; mapfile -t sources < <(git ls-files '*.c' '*.h' '*.cpp' '*.hpp')
  clang-format --style=file --dry-run -Werror "${sources[@]}" \
    || die "C/C++ is not formatted: run clang-format --style=file -i on the files above"
}

SUITES=(abi core c packaging python cli format)

run_tests() {
  local suite
  if [ -z "${1:-}" ]; then
    for suite in "${SUITES[@]}"; do "test_$suite"; done
    say "all tests passed"
    return
  fi
  for suite in "${SUITES[@]}"; do
    if [ "$suite" = "$1" ]; then "test_$suite"; say "$1 tests passed"; return; fi
  done
  die "unknown test suite '$1' (use one of: ${SUITES[*]})"
}

case "${1:-}" in
  "")   ensure_packages; build_native; generate_datatypes; build_cli; run_quickstart ;;
  test) ensure_packages test; build_native; generate_datatypes; build_cli; run_tests "${2:-}" ;;
  deps) ensure_packages test; say "dependencies are installed" ;;
  *)    die "unknown command '$1' (use: ./build.sh | ./build.sh test [SUITE] | ./build.sh deps)" ;;
esac
