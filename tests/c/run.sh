#!/usr/bin/env bash
# Build and run every C ABI test program (tests/c/test_*.c, found by name) and the C quickstart against a built libauki.so.
# test_domain.c starts /usr/sbin/mosquitto itself, on a free 127.0.0.1 port, and stops it when done.
#   bash tests/c/run.sh [dir-of-libauki.so]     (default: build/native)
set -euo pipefail
cd "$(dirname "$0")/../.."

LIB_DIR="$(cd "${1:-build/native}" 2>/dev/null && pwd)" || { echo "run.sh: no directory ${1:-build/native}" >&2; exit 1; }
[ -f "$LIB_DIR/libauki.so" ] || { echo "run.sh: $LIB_DIR/libauki.so not found (build it first)" >&2; exit 1; }

CC="${CC:-gcc}"
CFLAGS=(-std=c11 -Wall -Wextra -Werror -O1 -g -I native/include)
LDFLAGS=(-L "$LIB_DIR" -lauki -Wl,-rpath,"$LIB_DIR" -pthread)
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT

fail() { echo "run.sh: $*" >&2; exit 1; }

# Every tests/c/test_*.c is a test program: found, not listed (a new file runs without editing this script).
programs=()
for source in tests/c/test_*.c; do
  name="$(basename "$source" .c)"
  "$CC" "${CFLAGS[@]}" "$source" -o "$OUT/$name" "${LDFLAGS[@]}" || fail "compiling $source failed"
  programs+=("$name")
done
[ ${#programs[@]} -gt 0 ] || fail "no tests/c/test_*.c found"
"$CC" "${CFLAGS[@]}" examples/c/quickstart.c -o "$OUT/quickstart" "${LDFLAGS[@]}" || fail "compiling examples/c/quickstart.c failed"

for name in "${programs[@]}"; do
  "$OUT/$name" || fail "tests/c/$name.c: checks failed (see above)"
done

mkdir "$OUT/root"
"$OUT/quickstart" "$OUT/root" > "$OUT/quickstart.txt" || fail "examples/c/quickstart.c exited with an error"
grep -q '"resource_id":"head_left_rgb"' "$OUT/quickstart.txt" || fail "quickstart printed no catalog row for head_left_rgb"
manifest="$(sed -n 's/^manifest: //p' "$OUT/quickstart.txt")"
[ -f "$manifest" ] || fail "quickstart's manifest $manifest does not exist"
echo "quickstart: ok ($manifest)"
