#!/usr/bin/env bash
# Builds gale-fuzz (libFuzzer + AddressSanitizer) and runs each target for FUZZ_SECONDS (default
# 60) from its seed corpus in Corpus/<target>/. FUZZ_TARGETS="a b" picks targets (default: every
# folder in Corpus/). New corpus entries and crash reproducers go to a temporary folder, never
# into the repository; a crash, hang (-timeout) or out-of-memory fails the run and prints the
# reproducer's path. `make fuzz` and `make fuzz-smoke` (10 s each) call this.
set -euo pipefail
cd "$(dirname "$0")"

SWIFT=${SWIFT:-swift}
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
FUZZ_TARGETS=${FUZZ_TARGETS:-$(cd Corpus && ls -d -- */ | tr -d /)}
FLAGS=(-Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library)

# gold warns "Cannot export local symbol '__asan_...'" for every sanitized object: harmless.
build_log=$(mktemp)
if ! "$SWIFT" build "${FLAGS[@]}" >"$build_log" 2>&1; then
    grep -v "Cannot export local symbol" "$build_log" >&2
    rm -f "$build_log"
    exit 1
fi
grep -v "Cannot export local symbol" "$build_log" | tail -n 3
rm -f "$build_log"
binary="$("$SWIFT" build "${FLAGS[@]}" --show-bin-path)/gale-fuzz"

work=${FUZZ_WORK:-$(mktemp -d /tmp/gale-fuzz.XXXXXX)}
echo "fuzzing for ${FUZZ_SECONDS}s per target; corpora and reproducers in $work"
failed=()
for target in $FUZZ_TARGETS; do
    mkdir -p "$work/corpus/$target" "$work/artifacts/$target"
    # symbolize=0: ASan's symbolizer has hung for minutes on crash reports on this machine;
    # the reproducer, not the trace, is what a finding needs.
    if timeout -k 5 $((FUZZ_SECONDS + 120)) env GALE_FUZZ_TARGET="$target" \
        ASAN_OPTIONS=symbolize=0:detect_leaks=0 \
        "$binary" -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
        -artifact_prefix="$work/artifacts/$target/" -print_final_stats=1 \
        "$work/corpus/$target" "Corpus/$target" >"$work/$target.log" 2>&1; then
        echo "$target: $(grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' "$work/$target.log" \
            | grep -o '[0-9]*$') runs, no finding"
    else
        failed+=("$target")
        echo "$target: FAILED (log $work/$target.log)" >&2
        grep -E "^==[0-9]+==|SUMMARY|Fatal error|failed:|Swift runtime failure|deadly signal|ALARM|out-of-memory|Test unit written" "$work/$target.log" \
            | head -n 20 >&2 || true
        for reproducer in "$work/artifacts/$target"/*; do
            [ -e "$reproducer" ] && echo "  reproducer: $reproducer" >&2
        done
    fi
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz findings in: ${failed[*]}" >&2
    exit 1
fi
