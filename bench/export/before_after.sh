#!/usr/bin/env bash
# Two builds of `auki` side by side (e.g. main's and a branch's), interleaved in one run, beside
# `cat ROOT/**/*.seg > /dev/null`: raw and foxglove exports, uncompressed and zstd, to /dev/null,
# over storegen's typed store (cameras/IMUs/poses) and its bulk store (cameras, lidar, IMUs).
#   bench/export/before_after.sh BEFORE_AUKI AFTER_AUKI [BYTES]    BYTES per store, default 1 GiB; RUNS=5
#   FRESH=1: camera/lidar payloads of fresh noise (storegen --fresh), which do not compress even together
# Prints best-of wall time and the CPU (user+sys) of that run; the page cache is warm.
set -euo pipefail
cd "$(dirname "$0")/../.."
BEFORE="$(realpath "$1")"; AFTER="$(realpath "$2")"; BYTES="${3:-1073741824}"; RUNS="${RUNS:-5}"
dotnet build tests/cli/StoreGen/StoreGen.csproj -c Release -o build/storegen -v quiet -nologo > /dev/null || { echo "storegen build failed" >&2; exit 1; }
dir="$(mktemp -d "${TMPDIR:-/tmp}/auki-bench-export-ab.XXXXXX")"
trap 'rm -rf "$dir"' EXIT
fresh=(); [ "${FRESH:-0}" = 1 ] && fresh=(--fresh)
build/storegen/storegen bulk "$dir/typed" "$BYTES" --typed "${fresh[@]}" > /dev/null
build/storegen/storegen bulk "$dir/bulk" "$BYTES" "${fresh[@]}" > /dev/null
shopt -s globstar

# run NAME CMD...: one timed run, "wall cpu" appended to times[NAME].
declare -A times
run() {
  local name="$1"; shift
  /usr/bin/time -o "$dir/time" -f "%e %U %S" "$@" > /dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }
  times[$name]+="$(awk '{printf "%s:%.2f", $1, $2 + $3}' "$dir/time") "
}
cases=()
for store in typed bulk; do
  cases+=("$store|cat")
  for args in "--profile raw --compression none" "--compression none" "--compression zstd"; do
    cases+=("$store|before $args" "$store|after $args")
  done
done
for store in typed bulk; do cat "$dir/$store"/**/*.seg > /dev/null; done
for ((i = 0; i < RUNS; i++)); do
  for c in "${cases[@]}"; do
    store="${c%%|*}"; what="${c#*|}"
    case "$what" in
      cat) run "$c" bash -O globstar -c "cat $dir/$store/**/*.seg > /dev/null" ;;
      before*) run "$c" "$BEFORE" export "$dir/$store" --mcap /dev/null ${what#before } ;;
      after*) run "$c" "$AFTER" export "$dir/$store" --mcap /dev/null ${what#after } ;;
    esac
  done
done
printf 'load: %s\n%s runs each, interleaved, best wall (CPU user+sys of that run); %s cores\n\n' "$(uptime)" "$RUNS" "$(nproc)"
printf '| %-5s | %-48s | %8s | %8s | %9s |\n' store command "best s" "CPU s" "× cat"
for c in "${cases[@]}"; do
  store="${c%%|*}"
  best="$(tr ' ' '\n' <<< "${times[$c]}" | grep . | sort -t: -k1,1g | head -1)"
  catbest="$(tr ' ' '\n' <<< "${times[$store|cat]}" | grep . | sort -t: -k1,1g | head -1)"
  awk -v s="$store" -v l="${c#*|}" -v b="${best%%:*}" -v u="${best#*:}" -v c="${catbest%%:*}" \
    'BEGIN {printf "| %-5s | %-48s | %8.2f | %8.2f | %8.2fx |\n", s, l, b, u, b / c}'
done
