#!/usr/bin/env bash
# fraud_scoreRawTransaction over HTTP keep-alive on loopback: bench_plugin_server (the plugin
# loaded through the loader, JSON-RPC on) under wrk with distinct raw transactions. Prints wrk's
# figures and the CPU seconds the server and wrk used.
#   bench/plugin/run_wrk.sh BUILD_DIR [CONNECTIONS] [SECONDS] [CACHE_SCORES] [IO_THREADS]
#                           [WORKER_THREADS] [WRK_THREADS]
# CACHE_SCORES 1 makes every request decode and recover its signature (no reuse).
set -euo pipefail
build=${1:?build directory, e.g. build}
connections=${2:-16}
seconds=${3:-10}
cache=${4:-1}
io_threads=${5:-1}
worker_threads=${6:-0}
wrk_threads=${7:-1}
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp)
txs=$(mktemp)
"$build/bin/bench_plugin_server" --txs-out "$txs" --txs 20000 --cache-scores "$cache" \
    --io-threads "$io_threads" --worker-threads "$worker_threads" >"$out" &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -f "$out" "$txs"' EXIT
for _ in $(seq 600); do grep -q '^port ' "$out" && break; sleep 0.1; done
port=$(awk '/^port /{print $2}' "$out")
cpu() { awk '{print ($14 + $15) / 100}' "/proc/$1/stat"; }
echo "server: cache_scores=$cache io_threads=$io_threads worker_threads=$worker_threads port=$port"
first=$(head -1 "$txs")
curl -s -H 'Content-Type: application/json' http://127.0.0.1:$port/ --data \
    '{"jsonrpc":"2.0","id":1,"method":"fraud_scoreRawTransaction","params":["'"$first"'"]}' |
    grep -q '"result"' || { echo "the server does not answer fraud_scoreRawTransaction"; exit 1; }
before=$(cpu "$server")
TIMEFORMAT='wrk cpu: user %U s, sys %S s, wall %R s'
time wrk -t"$wrk_threads" -c"$connections" -d"${seconds}s" --latency -s "$here/score_raw.lua" \
    "http://127.0.0.1:$port/" -- "$txs"
after=$(cpu "$server")
echo "server cpu: $(echo "$after - $before" | bc) s over ${seconds} s"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
