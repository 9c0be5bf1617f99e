#!/usr/bin/env bash
# The README's test command: installs what is missing, builds everything (warnings are errors),
# runs every test suite, then the sanitizer build (ASan + UBSan) of every target that does not
# link LibTorch, then each fuzz target for a bounded time. Tests run as many at once as there are
# cores. Re-runs are incremental.
#   MFD_FUZZ_SECONDS  seconds per fuzz target (default 20: the corpus replayed, then mutation;
#                     0 skips fuzzing; scripts/fuzz.sh alone runs longer)
#   MFD_SKIP_ASAN=1   skips the sanitizer build (for a quick local loop; CI runs it)
set -euo pipefail
cd "$(dirname "$0")/.."
fuzz_seconds=${MFD_FUZZ_SECONDS:-20}
jobs=$(nproc)

step() { printf '\n== %s (%s)\n' "$1" "$(date +%T)"; }

step "dependencies"
scripts/setup.sh

step "release build"
cmake --preset release -DMFD_WERROR=ON >/dev/null
cmake --build --preset release
step "release tests"
ctest --preset release -j "$jobs"

if [ "${MFD_SKIP_ASAN:-0}" != "1" ]; then
    step "asan build (no LibTorch)"
    cmake --preset asan -DMFD_WERROR=ON >/dev/null
    cmake --build --preset asan
    step "asan tests"
    ctest --preset asan -j "$jobs"
fi

if [ "$fuzz_seconds" -gt 0 ]; then
    step "fuzz build"
    cmake --preset fuzz -DMFD_WERROR=ON >/dev/null
    cmake --build --preset fuzz --target fuzz_all
    step "fuzz (${fuzz_seconds}s per target)"
    scripts/fuzz.sh "$fuzz_seconds"
fi
step "all tests passed"
