#!/usr/bin/env bash
# The README's main command: installs what is missing, builds the simulator and the fraud plugin
# (incrementally after the first time), and runs `chain_sim run` on its defaults — 4 validators,
# RocksDB under ./data, the default model, generated traffic with fraud, JSON-RPC on
# 127.0.0.1:8545 while it runs. Arguments are passed to `chain_sim run` (try --help).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release --target chain_sim fraud_plugin fraudctl fraud_check_tx
exec build/bin/chain_sim run "$@"
