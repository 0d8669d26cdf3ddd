#!/usr/bin/env bash
# Encode/decode cost per message of a 6.9 MB camera entry and a pose, from C# (Google.Protobuf
# types generated from proto/, NativeAOT) and Python (auki_datatypes), each beside packing the same
# fields by hand in the same run.
# Usage: bench/datatypes/run.sh   (~2 min, most of it the NativeAOT publish)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
dotnet publish bench/datatypes/DatatypesBench/DatatypesBench.csproj -c Release -r linux-x64 -o build/datatypes-bench \
  -nologo -v quiet >/dev/null || { echo "run.sh: building bench/datatypes/DatatypesBench failed" >&2; exit 1; }
build/datatypes-bench/DatatypesBench
PYTHONPATH="$ROOT/bindings/python" python3 bench/datatypes/bench_datatypes.py
