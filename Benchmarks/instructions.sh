#!/usr/bin/env bash
# Benchmarks/instructions.sh: Gale's hello against the bare SwiftNIO hello (Benchmarks/BareNIO)
# in instructions per request, counted by callgrind under a wrk load: the steady counterpart of
# run.sh's req/s ratio, which a shared machine's load swings by tens of percent between runs.
# With BASELINE_HELLO=/path/to/hello (another commit's release build), that one is counted too,
# to see what a change cost. Prints a Markdown table and writes it to
# Benchmarks/results/instructions-latest.md (raw output in Benchmarks/results/instructions-last-run/).
#
# Environment (all optional):
#   SECONDS_PER_RUN=4   length of the wrk load under callgrind (4 connections)
#   BASELINE_HELLO=     a second hello binary to count
#   SKIP_BUILD=1        use the binaries already built
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
RESULTS="$BENCH/results"
RAW="$RESULTS/instructions-last-run"
SECONDS_PER_RUN="${SECONDS_PER_RUN:-4}"
BASELINE_HELLO="${BASELINE_HELLO:-}"
SKIP_BUILD="${SKIP_BUILD:-0}"
THREADS=1
DURATION="${SECONDS_PER_RUN}s"
HOST=127.0.0.1
LOG_TAG=bench-instructions

source "$BENCH/lib.sh"
require_tools curl swift wrk timeout awk valgrind callgrind_control strip

GALE_SCRATCH="$ROOT/.build-release"
BARE_PKG="$BENCH/BareNIO"
BARE_SCRATCH="$BARE_PKG/.build-release"
if [[ "$SKIP_BUILD" != 1 ]]; then
    log "building Gale's hello and bare-nio-hello (release)"
    swift build -c release --package-path "$ROOT" --product hello --scratch-path "$GALE_SCRATCH" >&2
    swift build -c release --package-path "$BARE_PKG" --product bare-nio-hello --scratch-path "$BARE_SCRATCH" >&2
fi
GALE_BIN="$(swift build -c release --package-path "$ROOT" --scratch-path "$GALE_SCRATCH" --show-bin-path)/hello"
BARE_BIN="$(swift build -c release --package-path "$BARE_PKG" --scratch-path "$BARE_SCRATCH" --show-bin-path)/bare-nio-hello"
[[ -x "$GALE_BIN" && -x "$BARE_BIN" ]] || die "missing $GALE_BIN or $BARE_BIN"
[[ -z "$BASELINE_HELLO" || -x "$BASELINE_HELLO" ]] || die "BASELINE_HELLO=$BASELINE_HELLO is not an executable"

rm -rf "$RAW"
mkdir -p "$RAW"
ROWS=()
declare -A PER_REQUEST
count() {
    local name="$1" label="$2" port
    shift 2
    read -r port _ < <(free_ports)
    callgrind_per_request "$name" "$port" "$SECONDS_PER_RUN" "$RAW" "$@" --port "$port"
    PER_REQUEST[$name]=$CG_PER_REQUEST
    log "$label: $CG_INSTRUCTIONS instructions over $CG_REQUESTS requests"
    ROWS+=("| $label | $CG_REQUESTS | $CG_INSTRUCTIONS | $CG_PER_REQUEST |")
}

count bare "bare NIO" "$BARE_BIN"
count gale "Gale hello" "$GALE_BIN" --logging warning
[[ -z "$BASELINE_HELLO" ]] || count baseline "Gale hello, $BASELINE_HELLO" "$BASELINE_HELLO" --logging warning

report_facts
{
    echo "# Instructions per request: Gale's hello and bare SwiftNIO"
    echo
    report_machine
    echo "- Gale: commit $COMMIT$DIRTY; swift $(swift_version)"
    echo "- callgrind, wrk with 4 connections for ${SECONDS_PER_RUN} s, counters zeroed when the load starts"
    echo
    echo "| server | requests | instructions | per request |"
    echo "| --- | ---: | ---: | ---: |"
    printf '%s\n' "${ROWS[@]}"
    echo
    echo "- bare / Gale instructions = $(awk -v b="${PER_REQUEST[bare]}" -v g="${PER_REQUEST[gale]}" 'BEGIN { printf "%.3f", b / g }') (the ceiling of Gale/bare req/s were the kernel's share zero)"
    if [[ -n "$BASELINE_HELLO" ]]; then
        echo "- Gale now / baseline = $(awk -v n="${PER_REQUEST[gale]}" -v o="${PER_REQUEST[baseline]}" 'BEGIN { printf "%.3f", n / o }')"
    fi
} >"$RESULTS/instructions-latest.md"
cat "$RESULTS/instructions-latest.md"
