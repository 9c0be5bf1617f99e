#!/usr/bin/env bash
# Runs every fuzz target in build-fuzz/bin for SECONDS each (default 60), starting from its seed
# corpus in fuzz/corpus/<target>, as many at once as there are cores (MFD_FUZZ_JOBS overrides).
# A crash fails the script and leaves the reproducer in build-fuzz/artifacts/<target>/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
jobs=${MFD_FUZZ_JOBS:-$(nproc)}
shopt -s nullglob
targets=(build-fuzz/bin/fuzz_*)
if [ ${#targets[@]} -eq 0 ]; then
    echo "fuzz: no targets in build-fuzz/bin (configure with --preset fuzz first)" >&2
    exit 1
fi

# Fuzzes one target; its log goes to build-fuzz/<target>.log, its verdict to <target>.status.
fuzz_one() {
    local target=$1 name work artifacts
    name=$(basename "$target")
    work="build-fuzz/corpus/$name"
    artifacts="build-fuzz/artifacts/$name/"
    mkdir -p "$work" "$artifacts"
    local seeds=()
    [ -d "fuzz/corpus/$name" ] && seeds=("fuzz/corpus/$name")
    if ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
        UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
        "$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$artifacts" -print_final_stats=1 "$work" "${seeds[@]}" \
        >"build-fuzz/$name.log" 2>&1; then
        echo ok >"build-fuzz/$name.status"
    else
        echo failed >"build-fuzz/$name.status"
    fi
}

echo "fuzz: ${#targets[@]} targets, ${seconds}s each, $jobs at a time"
running=0
for target in "${targets[@]}"; do
    if [ "$running" -ge "$jobs" ]; then
        wait -n
        running=$((running - 1))
    fi
    rm -f "build-fuzz/$(basename "$target").status"
    fuzz_one "$target" &
    running=$((running + 1))
done
wait

failed=0
for target in "${targets[@]}"; do
    name=$(basename "$target")
    if [ "$(cat "build-fuzz/$name.status" 2>/dev/null)" = ok ]; then
        printf 'fuzz: %-22s ' "$name"
        grep -E "^stat::number_of_executed_units|^Done" "build-fuzz/$name.log" | tr '\n' ' '
        echo
    else
        tail -n 60 "build-fuzz/$name.log"
        echo "fuzz: $name FAILED (reproducer under build-fuzz/artifacts/$name/)" >&2
        failed=1
    fi
done
exit "$failed"
