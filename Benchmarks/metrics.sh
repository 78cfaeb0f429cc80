#!/usr/bin/env bash
# Benchmarks/metrics.sh: what request metrics cost. Gale's `hello` against `hello --metrics`
# (MetricsInstrument into a Prometheus registry, the route /metrics beside it), both release
# builds on 127.0.0.1:
#   1. wrk, rounds alternating plain and metrics, each server fresh per connection level;
#      the ratio is the median round's req/s with metrics over without.
#   2. callgrind: instructions per request of each server, counted only while wrk loads it
#      (callgrind_control zeroes the counters before and dumps them after), which do not drift
#      on a shared machine as wrk's figures do.
# Prints a Markdown table and writes it to Benchmarks/results/metrics-latest.md (raw output in
# Benchmarks/results/metrics-last-run/).
#
# Environment (all optional):
#   DURATION=6s          length of each measured wrk run
#   CONNECTIONS="16 128" the connection counts to measure
#   THREADS=1            wrk threads
#   ROUNDS=3             measured runs per server per connection level
#   CALLGRIND_SECONDS=4  length of the wrk load under callgrind; 0 skips callgrind
#   SKIP_BUILD=1         use the binary already built
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
RESULTS="$BENCH/results"
RAW="$RESULTS/metrics-last-run"

DURATION="${DURATION:-6s}"
CONNECTIONS="${CONNECTIONS:-16 128}"
THREADS="${THREADS:-1}"
ROUNDS="${ROUNDS:-3}"
CALLGRIND_SECONDS="${CALLGRIND_SECONDS:-4}"
SKIP_BUILD="${SKIP_BUILD:-0}"
HOST=127.0.0.1
LOG_TAG=bench-metrics

source "$BENCH/lib.sh"
require_tools curl swift wrk timeout awk sort
[[ "$CALLGRIND_SECONDS" == 0 ]] || require_tools valgrind callgrind_control strip

GALE_SCRATCH="$ROOT/.build-release"
if [[ "$SKIP_BUILD" != 1 ]]; then
    log "building Gale's hello (release, $GALE_SCRATCH)"
    swift build -c release --package-path "$ROOT" --product hello --scratch-path "$GALE_SCRATCH" >&2
fi
BIN="$(swift build -c release --package-path "$ROOT" --scratch-path "$GALE_SCRATCH" --show-bin-path)/hello"
[[ -x "$BIN" ]] || die "no $BIN"

rm -rf "$RAW"
mkdir -p "$RAW"
read -r PLAIN_PORT METRICS_PORT < <(free_ports)
declare -A PID PORT FLAGS
PORT[plain]=$PLAIN_PORT
PORT[metrics]=$METRICS_PORT
FLAGS[plain]=""
FLAGS[metrics]="--metrics"
TABLE_ROWS=()
RATIOS=()
NOTES=()

start_server() {
    local name="$1" tag="$2"
    local logfile="$RAW/$name-$tag.log"
    # shellcheck disable=SC2086 # FLAGS is a word list on purpose
    "$BIN" --port "${PORT[$name]}" --logging warning ${FLAGS[$name]} >"$logfile" 2>&1 &
    PID[$name]=$!
    PIDS+=("${PID[$name]}")
    wait_ready "$name" "${PID[$name]}" "${PORT[$name]}" "http://$HOST:${PORT[$name]}/" "$logfile"
}

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# --- 1. wrk ----------------------------------------------------------------------------------------
for conns in $CONNECTIONS; do
    log "== $conns connections: fresh servers"
    start_server plain "c$conns"
    start_server metrics "c$conns"
    for s in plain metrics; do run_wrk "http://$HOST:${PORT[$s]}/" "$conns" 1s "$RAW/c$conns-$s-warmup.txt"; done
    declare -A ROUND_RPS=([plain]="" [metrics]="")
    ROUND_RATIOS=""
    for round in $(seq 1 "$ROUNDS"); do
        order="plain metrics"
        (( round % 2 == 0 )) && order="metrics plain"
        declare -A THIS=()
        for s in $order; do
            f="$RAW/c$conns-$s-r$round.txt"
            run_wrk "http://$HOST:${PORT[$s]}/" "$conns" "$DURATION" "$f"
            kill -0 "${PID[$s]}" 2>/dev/null || die "$s died during the run; see $RAW"
            rps=$(wrk_rps "$f")
            [[ -n "$rps" ]] || die "could not parse $f"
            [[ "$(wrk_non2xx "$f")" == 0 ]] || NOTES+=("$s, $conns connections, round $round: non-2xx answers")
            THIS[$s]=$rps
            ROUND_RPS[$s]+="$(printf '%.0f' "$rps") "
            log "  round $round, $s: $rps req/s"
        done
        ROUND_RATIOS+="$(awk -v m="${THIS[metrics]}" -v p="${THIS[plain]}" 'BEGIN { printf "%.3f", m / p }') "
    done
    ratio=$(tr ' ' '\n' <<<"$ROUND_RATIOS" | grep . | median)
    plain_median=$(tr ' ' '\n' <<<"${ROUND_RPS[plain]}" | grep . | median)
    metrics_median=$(tr ' ' '\n' <<<"${ROUND_RPS[metrics]}" | grep . | median)
    TABLE_ROWS+=("| $conns | $plain_median | $metrics_median | $ratio |")
    NOTES+=("$conns connections, every round: plain ${ROUND_RPS[plain]}; metrics ${ROUND_RPS[metrics]}; ratios $ROUND_RATIOS")
    cleanup
done

# --- 2. callgrind ----------------------------------------------------------------------------------
CALLGRIND_ROWS=()
if [[ "$CALLGRIND_SECONDS" != 0 ]]; then
    declare -A PER_REQUEST
    for s in plain metrics; do
        # shellcheck disable=SC2086 # FLAGS is a word list on purpose
        callgrind_per_request "$s" "${PORT[$s]}" "$CALLGRIND_SECONDS" "$RAW" \
            "$BIN" --port "${PORT[$s]}" --logging warning ${FLAGS[$s]}
        PER_REQUEST[$s]=$CG_PER_REQUEST
        log "callgrind, $s: $CG_INSTRUCTIONS instructions over $CG_REQUESTS requests"
        CALLGRIND_ROWS+=("| $s | $CG_REQUESTS | $CG_INSTRUCTIONS | $CG_PER_REQUEST |")
    done
    RATIOS+=("instructions per request, metrics / plain = $(awk -v m="${PER_REQUEST[metrics]}" -v p="${PER_REQUEST[plain]}" 'BEGIN { printf "%.3f", m / p }')")
fi

# --- report ----------------------------------------------------------------------------------------
report_facts
{
    echo "# Request metrics: hello against hello --metrics"
    echo
    report_machine
    echo "- Gale: commit $COMMIT$DIRTY; swift $(swift_version)"
    echo "- wrk: $(wrk_version), $THREADS thread(s), $DURATION per run, $ROUNDS rounds alternating the order; medians"
    echo
    echo "| connections | plain req/s | metrics req/s | ratio (median round) |"
    echo "| ---: | ---: | ---: | ---: |"
    printf '%s\n' "${TABLE_ROWS[@]}"
    if (( ${#CALLGRIND_ROWS[@]} )); then
        echo
        echo "callgrind, 4 connections for ${CALLGRIND_SECONDS} s, counters zeroed when the load starts:"
        echo
        echo "| server | requests | instructions | per request |"
        echo "| --- | ---: | ---: | ---: |"
        printf '%s\n' "${CALLGRIND_ROWS[@]}"
    fi
    echo
    printf -- '- %s\n' "${RATIOS[@]}"
    echo
    echo "Notes:"
    echo
    printf -- '- %s\n' "${NOTES[@]}"
} >"$RESULTS/metrics-latest.md"
cat "$RESULTS/metrics-latest.md"
