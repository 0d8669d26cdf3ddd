#!/usr/bin/env bash
# Domain benchmark: starts Debian's mosquitto on a free 127.0.0.1 port, runs bench/domain/DomainBench
# (materialization throughput beside a raw MQTTnet baseline, the live camera with control calls and the
# owner's append cost, live latency), stops the broker.
#   bash bench/domain/run.sh [quick|camera|soak]   (camera: the 5 s camera case only; soak: the 60 s one only)
#   AUKI_BENCH_READER_DIR=/dev/shm: the reader's copy on another file system; AUKI_BENCH_BIN: another build's bench
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -x /usr/sbin/mosquitto ] || { echo "run.sh: /usr/sbin/mosquitto missing (apt-get install mosquitto)" >&2; exit 1; }
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
dir="$(mktemp -d)"
printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\nlog_dest none\nset_tcp_nodelay true\n' "$port" > "$dir/mosquitto.conf"
/usr/sbin/mosquitto -c "$dir/mosquitto.conf" & broker=$!
trap 'kill $broker 2>/dev/null; wait $broker 2>/dev/null; rm -rf "$dir"' EXIT
# AUKI_BENCH_BIN: run another build's DomainBench (e.g. one built from an older commit, for before/after pairs).
bench="${AUKI_BENCH_BIN:-}"
if [ -z "$bench" ]; then
  dotnet build bench/domain/DomainBench.csproj -c Release -o build/domain-bench -nologo -v quiet >/dev/null \
    || { echo "run.sh: building bench/domain failed" >&2; exit 1; }
  bench=build/domain-bench/DomainBench
fi
sleep 0.3
"$bench" "mqtt://127.0.0.1:$port" "${1:-}"
