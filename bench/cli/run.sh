#!/usr/bin/env bash
# Benchmark of `auki verify` and `auki export --compression none` over a generated store
# (cameras, a lidar and IMUs; segment format v2, so verify checks every CRC32C), beside a plain
# `cat ROOT/**/*.seg > /dev/null` in the same run. Targets: verify >= 0.7x, export >= 0.5x of cat.
#   bench/cli/run.sh [BYTES]       BYTES of log data, default 2 GiB; RUNS=5 repetitions (best and median)
# The store is generated in $TMPDIR (or /tmp) and deleted afterwards; with too little free disk the
# size is scaled down (said in the output).
set -euo pipefail
cd "$(dirname "$0")/../.."
BYTES="${1:-2147483648}"
RUNS="${RUNS:-5}"

echo "building auki and storegen" >&2
dotnet publish cli/Auki.Cli.csproj -c Release -r linux-x64 -o build/cli -v quiet -nologo > /dev/null || { echo "auki build failed" >&2; exit 1; }
dotnet build tests/cli/StoreGen/StoreGen.csproj -c Release -o build/storegen -v quiet -nologo > /dev/null || { echo "storegen build failed" >&2; exit 1; }
AUKI="$PWD/build/cli/auki"

dir="$(mktemp -d "${TMPDIR:-/tmp}/auki-bench.XXXXXX")"
trap 'rm -rf "$dir"' EXIT
avail="$(df -B1 --output=avail "$dir" | tail -1)"
need=$((BYTES * 23 / 10 + (512 << 20)))   # the store, an exported copy, a dd baseline at a time, margin
note=""
if [ "$avail" -lt "$need" ]; then
  BYTES=$(( (avail - (512 << 20)) * 10 / 23 ))
  [ "$BYTES" -gt $((64 << 20)) ] || { echo "not enough free disk in $dir ($avail bytes)" >&2; exit 1; }
  note=" (scaled down: only $((avail >> 20)) MiB free)"
fi

"$PWD/build/storegen/storegen" bulk "$dir/store" "$BYTES" >&2
shopt -s globstar
segs=("$dir"/store/**/*.seg)
seg_bytes="$(stat -c %s "${segs[@]}" | awk '{s += $1} END {printf "%.0f", s}')"
entries="$("$AUKI" ls "$dir/store" --json | python3 -c 'import json, sys; print(sum(p["entries"] for p in json.load(sys.stdin)["peers"]))')"

# seconds CMD...: wall time of one run (stdout and stderr discarded).
seconds() {
  local t0 t1
  t0="$(date +%s.%N)"
  "$@" > /dev/null 2>&1
  t1="$(date +%s.%N)"
  awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f", b - a}'
}
best() { tr ' ' '\n' <<< "$1" | grep . | sort -g | head -1; }
median() { tr ' ' '\n' <<< "$1" | grep . | sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

cat_segs() { cat "${segs[@]}" > /dev/null; }
verify() { "$AUKI" verify "$dir/store" -q; }
export_null() { "$AUKI" export "$dir/store" --mcap /dev/null --compression none; }
export_file() { "$AUKI" export "$dir/store" --mcap "$dir/out.mcap" --compression none; }
dd_file() { dd if=/dev/zero of="$dir/zero.bin" bs=4M count=$(( (seg_bytes + (4 << 20) - 1) >> 22 )) status=none; }

cat_segs  # warm the page cache: the store fits in memory, so every command below reads from it
declare -A times
for ((i = 0; i < RUNS; i++)); do
  for name in cat_segs verify export_null export_file dd_file; do
    sync
    times[$name]+="$(seconds "$name") "
    rm -f "$dir/out.mcap" "$dir/zero.bin"
  done
done

cold=""
if (sync && echo 3 > /proc/sys/vm/drop_caches) 2> /dev/null; then
  for name in cat_segs verify export_null; do
    sync; echo 3 > /proc/sys/vm/drop_caches
    cold+="$name=$(seconds "$name") "
  done
fi

cat_best="$(best "${times[cat_segs]}")"
row() { # LABEL NAME TARGET
  local b m
  b="$(best "${times[$2]}")"; m="$(median "${times[$2]}")"
  awk -v l="$1" -v b="$b" -v m="$m" -v n="$seg_bytes" -v c="$cat_best" -v t="$3" \
    'BEGIN {printf "%-58s %7.3f s  %7.3f s  %8.0f MB/s  %5.2fx  %s\n", l, b, m, n / b / 1e6, c / b, t}'
}
printf 'store: %s bytes of segments (%.2f GiB) in %s segment files, 6 logs, %s entries, format v2 (CRC32C)%s\n' \
  "$seg_bytes" "$(awk -v n="$seg_bytes" 'BEGIN {print n / 1073741824}')" "${#segs[@]}" "$entries" "$note"
printf 'machine: %s cores, page cache warm (the store fits in memory); %s runs each, interleaved\n\n' "$(nproc)" "$RUNS"
printf '%-58s %9s  %9s  %13s  %6s\n' "command" "best" "median" "throughput" "vs cat"
row "cat ROOT/**/*.seg > /dev/null" cat_segs "(baseline)"
row "auki verify ROOT" verify "target >= 0.70x"
row "auki export ROOT --mcap /dev/null --compression none" export_null "target >= 0.50x"
row "auki export ROOT --mcap FILE --compression none" export_file "(also writes the file)"
row "dd if=/dev/zero of=FILE, as many bytes (disk write)" dd_file "(write baseline)"
if [ -n "$cold" ]; then
  printf '\ncold page cache (dropped before each; one run each):\n'
  for kv in $cold; do
    awk -v k="${kv%%=*}" -v s="${kv#*=}" -v n="$seg_bytes" 'BEGIN {printf "  %-12s %7.3f s  %8.0f MB/s\n", k, s, n / s / 1e6}'
  done
fi
