#!/usr/bin/env bash
# Requests/s and latency percentiles of the bare JSON-RPC server over HTTP keep-alive on
# loopback, measured with wrk (pipelining off: one request in flight per connection).
#   bench/rpc/run_wrk.sh BUILD_DIR [CONNECTIONS] [SECONDS] [IO_THREADS] [WORKER_THREADS]
set -euo pipefail
build=${1:?build directory, e.g. build}
connections=${2:-16}
seconds=${3:-10}
io_threads=${4:-1}
worker_threads=${5:-0}
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp)
"$build/bin/bench_rpc_server" --port 0 --io-threads "$io_threads" \
    --worker-threads "$worker_threads" >"$out" &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -f "$out"' EXIT
for _ in $(seq 100); do grep -q '^port ' "$out" && break; sleep 0.05; done
port=$(awk '/^port /{print $2}' "$out")
echo "server: io_threads=$io_threads worker_threads=$worker_threads port=$port"
wrk -t1 -c"$connections" -d"${seconds}s" --latency -s "$here/post.lua" "http://127.0.0.1:$port/"
