#!/usr/bin/env bash
# Runs every fuzz target in build-fuzz/bin for SECONDS each (default 60), starting from its seed
# corpus in fuzz/corpus/<target>. A crash fails the script and leaves the reproducer in
# build-fuzz/artifacts/<target>/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shopt -s nullglob
targets=(build-fuzz/bin/fuzz_*)
if [ ${#targets[@]} -eq 0 ]; then
    echo "fuzz: no targets in build-fuzz/bin (configure with --preset fuzz first)" >&2
    exit 1
fi
for target in "${targets[@]}"; do
    name=$(basename "$target")
    work="build-fuzz/corpus/$name"
    artifacts="build-fuzz/artifacts/$name/"
    mkdir -p "$work" "$artifacts"
    seeds=()
    [ -d "fuzz/corpus/$name" ] && seeds=("fuzz/corpus/$name")
    echo "fuzz: $name for ${seconds}s"
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
        "$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$artifacts" -print_final_stats=1 "$work" "${seeds[@]}" \
        >"build-fuzz/$name.log" 2>&1 || {
        tail -n 60 "build-fuzz/$name.log"
        echo "fuzz: $name FAILED (reproducer under $artifacts)" >&2
        exit 1
    }
    grep -E "^stat::number_of_executed_units|^Done" "build-fuzz/$name.log" | tr '\n' ' '
    echo
done
