#!/usr/bin/env bash
# Packaging tests (issue 7): pip into a fresh venv, the CMake package with the C and C++ examples,
# the NuGet package from a C# program, and refusal of a library with a mismatched ABI version.
# Usage: tests/packaging/run.sh [LIBDIR]   (LIBDIR holds a built libauki.so; default build/native)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
LIBDIR="$(cd "${1:-$ROOT/build/native}" && pwd)"
PY="${PYTHON:-/usr/bin/python3}"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
fail() { echo "packaging: $*" >&2; exit 1; }
step() { echo "-- $*"; }

step "pip install into a fresh venv, quickstart from outside the checkout"
"$PY" -m venv "$TMP/venv" || fail "python3 -m venv failed (Debian: apt-get install python3-venv)"
AUKI_LIBRARY="$LIBDIR/libauki.so" "$TMP/venv/bin/pip" install -q --no-build-isolation "$ROOT/bindings/python" \
  || fail "pip install ./bindings/python failed"
cp "$ROOT/examples/python/quickstart.py" "$TMP/quickstart.py"
(cd "$TMP" && env -u PYTHONPATH "$TMP/venv/bin/python" -c \
  "import auki_session, sys; sys.exit(0 if auki_session.__file__.startswith('$TMP/venv') else 'auki_session imported from ' + auki_session.__file__)") \
  || fail "the venv did not import the installed package"
# auki_datatypes is pure Python: it must be in the install and encode a locked vector there.
(cd "$TMP" && env -u PYTHONPATH "$TMP/venv/bin/python" -c "import auki_datatypes as a, sys
assert a.__file__.startswith('$TMP/venv'), a.__file__
sys.exit(0 if bytes(a.scalar.Data(value=73.5)).hex() == '090000000000605240' else 'wrong bytes')") \
  || fail "auki_datatypes is missing from the install or encodes wrongly"
(cd "$TMP" && env -u PYTHONPATH "$TMP/venv/bin/python" quickstart.py "$TMP/py-root" > "$TMP/py.out") || fail "Python quickstart failed in the venv"
grep -q '"resource_id": "head_left_rgb"' "$TMP/py.out" || fail "Python quickstart printed no catalog row"
(cd "$TMP" && "$TMP/venv/bin/pip" wheel -q --no-deps -w "$TMP/wheels" "$ROOT/bindings/python" >/dev/null) || fail "pip wheel failed"
ls "$TMP"/wheels/auki_native-*-py3-none-linux_x86_64.whl >/dev/null || fail "no platform wheel was built"
unzip -l "$TMP"/wheels/auki_native-*.whl > "$TMP/wheel.txt"
for f in auki_datatypes/__init__.py auki_datatypes/_codec.py auki_datatypes/auki/camera.py auki_datatypes/auki/stream.py; do
  grep -q " $f\$" "$TMP/wheel.txt" || fail "the wheel lacks $f"
done

step "CMake package: install, then build the C and C++ examples with find_package(Auki)"
cmake -S "$ROOT" -B "$TMP/cmake" -DAUKI_LIBRARY="$LIBDIR/libauki.so" >/dev/null || fail "cmake configure failed"
cmake --build "$TMP/cmake" >/dev/null || fail "cmake build failed"
cmake --install "$TMP/cmake" --prefix "$TMP/prefix" >/dev/null || fail "cmake --install failed"
for f in include/auki.h include/auki.hpp lib/libauki.so lib/cmake/Auki/AukiConfig.cmake; do
  [ -f "$TMP/prefix/$f" ] || fail "cmake --install did not lay out $f"
done
cmake -S "$ROOT/examples" -B "$TMP/examples" -DCMAKE_PREFIX_PATH="$TMP/prefix" >/dev/null || fail "examples: find_package(Auki) failed"
cmake --build "$TMP/examples" >/dev/null || fail "examples failed to build against the installed package"
"$TMP/examples/quickstart_c" "$TMP/c-root" > "$TMP/c.out" || fail "C quickstart failed"
"$TMP/examples/camera_driver" "$TMP/cpp-root" 15 > "$TMP/cpp.out" || fail "C++ camera driver failed: $(cat "$TMP/cpp.out")"
grep -q "tailed 15 frames" "$TMP/cpp.out" || fail "C++ driver did not see its frames: $(cat "$TMP/cpp.out")"
grep -q "payload type auki.camera.CameraFrame" "$TMP/cpp.out" || fail "C++ wrapper did not name the camera log's message type: $(cat "$TMP/cpp.out")"
grep -q "typed append refused: frame" "$TMP/cpp.out" || fail "C++ typed append of a wrong-size frame was not refused: $(cat "$TMP/cpp.out")"

step "NuGet: dotnet pack core, a C# program restores and runs it"
dotnet pack "$ROOT/core/Auki.Core.csproj" -c Release -o "$TMP/nuget" -nologo -v quiet >/dev/null || fail "dotnet pack failed"
unzip -l "$TMP/nuget/Auki.Core.0.1.0.nupkg" > "$TMP/nupkg.txt"; grep -q "lib/net10.0/Auki.Core.xml" "$TMP/nupkg.txt" || fail "the package carries no XML docs"
cp -r "$ROOT/tests/packaging/nuget-consumer" "$TMP/consumer"
cat > "$TMP/consumer/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="local" value="$TMP/nuget" />
  </packageSources>
</configuration>
XML
# A private package folder, so a stale Auki.Core 0.1.0 in the global cache can't stand in for this build.
NUGET_PACKAGES="$TMP/packages" dotnet run --project "$TMP/consumer" -- "$TMP/cs-root" > "$TMP/cs.out" \
  || fail "C# program against the NuGet package failed: $(cat "$TMP/cs.out")"

step "a library with a mismatched ABI is refused (Python and C++)"
mkdir -p "$TMP/fake"
gcc -shared -fPIC -Wl,-soname,libauki.so -o "$TMP/fake/libauki.so" "$ROOT/tests/packaging/abi-mismatch/fake_libauki.c"
out="$(cd "$TMP" && AUKI_LIBRARY="$TMP/fake/libauki.so" PYTHONPATH="$ROOT/bindings/python" "$PY" -c 'import auki_session' 2>&1 || true)"
# (no `echo | grep -q` under pipefail: grep's early exit can fail the pipeline)
[[ "$out" == *ImportError* && "$out" == *ABI* ]] || fail "Python accepted a mismatched library: $out"
g++ -std=c++17 -I"$ROOT/native/include" "$ROOT/tests/packaging/abi-mismatch/check_cpp.cpp" -L"$TMP/fake" -lauki \
  -Wl,-rpath,"$TMP/fake" -o "$TMP/check_cpp" || fail "ABI check program failed to build"
"$TMP/check_cpp" || fail "the C++ wrapper accepted a mismatched library"
# Another minor of the same major only adds functions: the C++ wrapper accepts it (Python: python_tests/abi/test_surface.py).
mkdir -p "$TMP/fake-minor"
gcc -shared -fPIC -DFAKE_MAJOR=2u -DFAKE_MINOR=7u -Wl,-soname,libauki.so -o "$TMP/fake-minor/libauki.so" \
  "$ROOT/tests/packaging/abi-mismatch/fake_libauki.c"
g++ -std=c++17 -I"$ROOT/native/include" "$ROOT/tests/packaging/abi-mismatch/check_cpp.cpp" -L"$TMP/fake-minor" -lauki \
  -Wl,-rpath,"$TMP/fake-minor" -o "$TMP/check_cpp_minor" || fail "ABI check program failed to build"
"$TMP/check_cpp_minor" accept || fail "the C++ wrapper refused a library of ABI 2.7"
echo "packaging: all checks passed"
