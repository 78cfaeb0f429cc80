#!/usr/bin/env bash
# The test suite under one sanitizer: `make sanitize-address` and `make sanitize-thread`.
#   sanitize.sh address|thread SCRATCH_PATH TIMEOUT_SCALE [swift test options...]
# Every process the tests start (examples, test servers) is built with the sanitizer too, and
# each writes its reports to a file of its own in a reports folder (log_path), so a report in a
# child process is counted as surely as one in the test runner. The suite runs in parallel, as
# `make test` runs it; a test that fails there is run again alone, because a sanitizer slows
# everything 2-15 times and the parallel run's timing bounds do not all hold. The run passes
# when no sanitizer report was written and every test passed, in the parallel run or alone.
set -uo pipefail
sanitizer=$1 scratch=$2 scale=$3
shift 3
swift=${SWIFT:-swift}
here=$(cd "$(dirname "$0")" && pwd)
reports=$(mktemp -d "/tmp/gale-$sanitizer-reports.XXXXXX")
log="$reports/suite.log"

case $sanitizer in
address)
    # LeakSanitizer is off: Swift keeps enum tags in a pointer's spare bits, and LSan reads live
    # indirect-enum boxes as leaks (FalsePositives/IndirectEnumUnderLSan.swift, Docs/Sanitizers.md).
    export ASAN_OPTIONS="detect_leaks=0:log_path=$reports/asan"
    ;;
thread)
    export TSAN_OPTIONS="suppressions=$here/tsan.supp:second_deadlock_stack=1:log_path=$reports/tsan"
    ;;
*)
    echo "usage: sanitize.sh address|thread SCRATCH_PATH TIMEOUT_SCALE [swift test options...]" >&2
    exit 2
    ;;
esac
export GALE_TEST_TIMEOUT_SCALE=$scale
# Swift's backtracer, which runs when a process crashes (tests make some crash on purpose), reads
# the crashed thread's stack and clones a helper in ways both sanitizers report against it
# (ASan: stack-buffer-underflow in CrashHandlerLinux.cpp; TSan: a CHECK failure in its clone
# interceptor). A crash still prints its message, and the sanitizer's own report its stack.
export SWIFT_BACKTRACE=enable=no

"$swift" build --build-tests --sanitize="$sanitizer" --scratch-path "$scratch" || exit 1
started=$(date +%s)
"$swift" test --skip-build --sanitize="$sanitizer" --scratch-path "$scratch" "$@" 2>&1 | tee "$log"
summary=$(grep -E '^. Test run with [0-9]+ tests' "$log" | tail -1)

# Tests that failed in the parallel run, by function name, each run again alone.
failed=$(grep -oE '^✘ Test [A-Za-z0-9_]+\(' "$log" | sed -E 's/^✘ Test //; s/\($//' | sort -u)
still_failing=()
for name in $failed; do
    echo "== $name, alone"
    if ! "$swift" test --skip-build --sanitize="$sanitizer" --scratch-path "$scratch" --filter "/$name\(" \
        >"$reports/alone-$name.log" 2>&1; then
        still_failing+=("$name")
        tail -30 "$reports/alone-$name.log"
    fi
done
elapsed=$(($(date +%s) - started))

# A TSan report TSan could not name the frames of (the test had replaced the executable) is
# named from the build and checked against tsan.supp by resymbolize.py.
report_files=""
renamed=""
for file in $(find "$reports" -name 'asan.*' -o -name 'tsan.*' | sort); do
    if [ "$sanitizer" = thread ] && grep -q '<null> <null> (' "$file" &&
        python3 "$here/resymbolize.py" "$here/tsan.supp" "$("$swift" build --scratch-path "$scratch" --show-bin-path)" "$file"; then
        renamed="$renamed $file"
    else
        report_files="$report_files $file"
    fi
done
report_files=$(echo $report_files | tr ' ' '\n')
echo
echo "== $sanitizer sanitizer: $summary"
echo "   $(echo "$failed" | grep -c .) failed in the parallel run and were run alone: ${failed//$'\n'/ }"
echo "   still failing alone: ${still_failing[*]:-none}"
echo "   sanitizer reports: $(echo "$report_files" | grep -c .) (in $reports)"
echo "   files suppressed once their frames were named from the build: $(echo $renamed | wc -w)"
for file in $report_files; do
    echo "-- $file"
    grep -E 'ERROR: AddressSanitizer|WARNING: ThreadSanitizer|SUMMARY' "$file" | head -3
done
echo "   $((elapsed / 60)) min $((elapsed % 60)) s after the build"
[ -z "$report_files" ] && [ ${#still_failing[@]} -eq 0 ]
