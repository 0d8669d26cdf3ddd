#!/usr/bin/env bash
# Live Foxglove server benchmark: builds bench/foxglove-live and runs it (latency append -> client
# receipt beside an in-process LogTail, the writer's append rate with and without clients).
#   bash bench/foxglove-live/run.sh [quick] [DIR]     (DIR: where the logs go, default the temp directory)
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet build bench/foxglove-live/FoxgloveLiveBench.csproj -c Release -o build/foxglove-live-bench -nologo -v quiet >/dev/null \
  || { echo "run.sh: building bench/foxglove-live failed" >&2; exit 1; }
build/foxglove-live-bench/FoxgloveLiveBench "${1:-}" "${2:-}"
