#!/usr/bin/env bash
# Export throughput: `auki export --profile foxglove` (converts every entry: RawImage, FrameTransform,
# checked auki.scalar) vs `--profile raw` (payloads copied) vs a plain `cat` of the same segment
# files, in one run, over a generated store of typed logs (storegen bulk --typed: three raw rgb8
# 256x256 cameras at 30 Hz, two scalar IMUs at 500 Hz, a pose log at 100 Hz; v2 segments).
# Exports go to /dev/null uncompressed, so the figures are the exporter's, not zstd's or the disk's.
#   bench/export/run.sh [BYTES]     BYTES of log data, default 1 GiB; RUNS=3 repetitions (best and median)
set -euo pipefail
cd "$(dirname "$0")/../.."
BYTES="${1:-1073741824}"
RUNS="${RUNS:-3}"

echo "building auki and storegen" >&2
dotnet publish cli/Auki.Cli.csproj -c Release -r linux-x64 -o build/cli -v quiet -nologo > /dev/null || { echo "auki build failed" >&2; exit 1; }
dotnet build tests/cli/StoreGen/StoreGen.csproj -c Release -o build/storegen -v quiet -nologo > /dev/null || { echo "storegen build failed" >&2; exit 1; }
AUKI="$PWD/build/cli/auki"

dir="$(mktemp -d "${TMPDIR:-/tmp}/auki-bench-export.XXXXXX")"
trap 'rm -rf "$dir"' EXIT
"$PWD/build/storegen/storegen" bulk "$dir/store" "$BYTES" --typed >&2
shopt -s globstar
segs=("$dir"/store/**/*.seg)
seg_bytes="$(stat -c %s "${segs[@]}" | awk '{s += $1} END {printf "%.0f", s}')"

seconds() {
  local t0 t1
  t0="$(date +%s.%N)"
  "$@" > /dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }
  t1="$(date +%s.%N)"
  awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f", b - a}'
}
best() { tr ' ' '\n' <<< "$1" | grep . | sort -g | head -1; }
median() { tr ' ' '\n' <<< "$1" | grep . | sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

cat_segs() { cat "${segs[@]}" > /dev/null; }
export_raw() { "$AUKI" export "$dir/store" --profile raw --mcap /dev/null --compression none; }
export_foxglove() { "$AUKI" export "$dir/store" --profile foxglove --mcap /dev/null --compression none; }
export_foxglove_zstd() { "$AUKI" export "$dir/store" --profile foxglove --mcap /dev/null --compression zstd; }

cat_segs  # warm the page cache: every command below reads from memory
declare -A times
for ((i = 0; i < RUNS; i++)); do
  for name in cat_segs export_raw export_foxglove export_foxglove_zstd; do
    times[$name]+="$(seconds "$name") "
  done
done

mib=$(awk -v b="$seg_bytes" 'BEGIN {printf "%.0f", b / 1048576}')
cat_best="$(best "${times[cat_segs]}")"
printf '\nauki export over %s MiB of typed segments (%s), %s runs, %s cores; page cache warm\n\n' "$mib" "$(uname -m)" "$RUNS" "$(nproc)"
printf '| %-44s | %8s | %8s | %10s | %11s |\n' "command" "best s" "median s" "MiB/s" "vs cat"
printf '|%s|%s|%s|%s|%s|\n' "----------------------------------------------" "----------" "----------" "------------" "-------------"
for name in cat_segs export_raw export_foxglove export_foxglove_zstd; do
  b="$(best "${times[$name]}")"
  m="$(median "${times[$name]}")"
  label="$name"
  case "$name" in
    cat_segs) label='cat ROOT/**/*.seg > /dev/null (baseline)' ;;
    export_raw) label='export --profile raw --compression none' ;;
    export_foxglove) label='export (foxglove) --compression none' ;;
    export_foxglove_zstd) label='export (foxglove) --compression zstd' ;;
  esac
  awk -v l="$label" -v b="$b" -v m="$m" -v bytes="$seg_bytes" -v c="$cat_best" \
    'BEGIN {printf "| %-44s | %8.2f | %8.2f | %10.0f | %10.2fx |\n", l, b, m, bytes / 1048576 / b, c / b}'
done
