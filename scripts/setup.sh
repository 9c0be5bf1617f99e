#!/usr/bin/env bash
# Installs the Debian bookworm packages the project needs, skipping apt entirely when they are all
# present (so a second run costs a second). Runs apt-get as root, through sudo otherwise.
set -euo pipefail

packages=(
    build-essential cmake ninja-build pkg-config git ca-certificates curl
    libssl-dev libsecp256k1-dev librocksdb-dev libboost-dev zlib1g-dev
    nlohmann-json3-dev libspdlog-dev libfmt-dev libcli11-dev
    libgtest-dev libgmock-dev libbenchmark-dev
    libtorch-dev libopenblas0-pthread libxgboost-dev
    clang libclang-rt-14-dev
)

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done
# Node.js runs the ethers.js integration test (tests/js). Any node with npm will do; Debian's
# nodejs + npm packages when there is none.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    missing+=(nodejs npm)
fi

if [ ${#missing[@]} -eq 0 ]; then
    echo "setup: all ${#packages[@]} packages and Node.js present"
else
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    echo "setup: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -q
    $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# The JavaScript test's dependencies, pinned by its lock file; skipped when already installed.
js_dir="$(dirname "$0")/../tests/js"
if [ -f "$js_dir/package-lock.json" ]; then
    if [ ! -d "$js_dir/node_modules" ] || [ "$js_dir/package-lock.json" -nt "$js_dir/node_modules" ]; then
        echo "setup: npm ci in tests/js"
        (cd "$js_dir" && npm ci --no-audit --no-fund --loglevel=error && touch node_modules)
    fi
fi
