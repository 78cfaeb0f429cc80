#!/usr/bin/env bash
# The two sanitizer reports Gale's suite gets that are not bugs, each shown on a program of 30
# lines where no bug can be: ThreadSanitizer on a correctly used Synchronization.Mutex, and
# LeakSanitizer on indirect enums alive in a global. Then the same Mutex program under
# tsan.supp (silent) and a real race under it (still reported). Prints how many of three runs
# reported. Docs/Sanitizers.md says why each happens and what `make sanitize` does about it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# count SANITIZER SOURCE FLAGS... : builds SOURCE and reports in how many of 3 runs a report came.
count() {
    local sanitizer=$1 source=$2
    shift 2
    swiftc -sanitize="$sanitizer" "$@" "$here/$source" -o "$work/program" 2>/dev/null
    local reported=0
    for _ in 1 2 3; do
        timeout 120 "$work/program" >"$work/output" 2>&1 || true
        if grep -q 'WARNING: ThreadSanitizer\|ERROR: LeakSanitizer' "$work/output"; then reported=$((reported + 1)); fi
    done
    echo "$source ($sanitizer, $*): reported in $reported of 3 runs"
}

count thread MutexUnderTSan.swift -Onone
count thread MutexUnderTSan.swift -O
count address IndirectEnumUnderLSan.swift -Onone
export TSAN_OPTIONS="suppressions=$here/../tsan.supp"
echo "with Tests/Sanitizers/tsan.supp:"
count thread MutexUnderTSan.swift -Onone
count thread RaceUnderTSan.swift -Onone
