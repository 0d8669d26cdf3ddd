#!/usr/bin/env bash
# Build and run the C ABI test programs (test_abi.c, test_logs.c, test_activity.c, test_domain.c, test_dropin.c) and the C quickstart against a built libauki.so.
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

"$CC" "${CFLAGS[@]}" tests/c/test_abi.c -o "$OUT/test_abi" "${LDFLAGS[@]}" || fail "compiling tests/c/test_abi.c failed"
"$CC" "${CFLAGS[@]}" tests/c/test_logs.c -o "$OUT/test_logs" "${LDFLAGS[@]}" || fail "compiling tests/c/test_logs.c failed"
"$CC" "${CFLAGS[@]}" tests/c/test_activity.c -o "$OUT/test_activity" "${LDFLAGS[@]}" || fail "compiling tests/c/test_activity.c failed"
"$CC" "${CFLAGS[@]}" tests/c/test_domain.c -o "$OUT/test_domain" "${LDFLAGS[@]}" || fail "compiling tests/c/test_domain.c failed"
"$CC" "${CFLAGS[@]}" tests/c/test_dropin.c -o "$OUT/test_dropin" "${LDFLAGS[@]}" || fail "compiling tests/c/test_dropin.c failed"
"$CC" "${CFLAGS[@]}" examples/c/quickstart.c -o "$OUT/quickstart" "${LDFLAGS[@]}" || fail "compiling examples/c/quickstart.c failed"

"$OUT/test_abi" || fail "tests/c/test_abi.c: checks failed (see above)"
"$OUT/test_logs" || fail "tests/c/test_logs.c: checks failed (see above)"
"$OUT/test_activity" || fail "tests/c/test_activity.c: checks failed (see above)"
"$OUT/test_domain" || fail "tests/c/test_domain.c: checks failed (see above)"
"$OUT/test_dropin" || fail "tests/c/test_dropin.c: checks failed (see above)"

mkdir "$OUT/root"
"$OUT/quickstart" "$OUT/root" > "$OUT/quickstart.txt" || fail "examples/c/quickstart.c exited with an error"
grep -q '"resource_id":"head_left_rgb"' "$OUT/quickstart.txt" || fail "quickstart printed no catalog row for head_left_rgb"
manifest="$(sed -n 's/^manifest: //p' "$OUT/quickstart.txt")"
[ -f "$manifest" ] || fail "quickstart's manifest $manifest does not exist"
echo "quickstart: ok ($manifest)"
