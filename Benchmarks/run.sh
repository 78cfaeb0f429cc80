#!/usr/bin/env bash
# Benchmarks/run.sh: Gale's `hello` example against a bare SwiftNIO hello server (Benchmarks/BareNIO),
# both on 127.0.0.1, loaded with wrk. Prints a Markdown table and writes it to
# Benchmarks/results/latest.md (raw wrk output and server logs go to Benchmarks/results/last-run/).
#
# Environment (all optional):
#   DURATION=10s        length of each measured wrk run (wrk syntax: 10s, 1m, ...)
#   WARMUP=1s           an unrecorded wrk run per server before each connection level; 0 skips it
#   CONNECTIONS="16 128" the connection counts to measure
#   THREADS=2           wrk threads
#   ROUNDS=2            measured runs per server per connection level, alternating bare, gale, ...
#   SKIP_BUILD=1        use the binaries already built
#
# Each server is started fresh for each connection level; both are stopped by PID on exit.
# Every request goes to 127.0.0.1 only; every wait is bounded in time.
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
RESULTS="$BENCH/results"
RAW="$RESULTS/last-run"

DURATION="${DURATION:-10s}"
WARMUP="${WARMUP:-1s}"
CONNECTIONS="${CONNECTIONS:-16 128}"
THREADS="${THREADS:-2}"
ROUNDS="${ROUNDS:-2}"
SKIP_BUILD="${SKIP_BUILD:-0}"
HOST=127.0.0.1
LOG_TAG=bench

# log, die, PIDS and cleanup (stopping servers by PID on exit), the wrk helpers, report pieces.
source "$BENCH/lib.sh"

# --- tools ---------------------------------------------------------------------------------------
if ! command -v wrk >/dev/null 2>&1; then
    log "wrk not found; installing it with apt-get"
    set_sudo "wrk is missing and this is not root: install wrk"
    $SUDO apt-get update
    $SUDO apt-get install -y wrk
fi
require_tools curl python3 swift wrk timeout

# --- build ---------------------------------------------------------------------------------------
GALE_SCRATCH="$ROOT/.build-release"
BARE_PKG="$BENCH/BareNIO"
BARE_SCRATCH="$BARE_PKG/.build-release"
if [[ "$SKIP_BUILD" != 1 ]]; then
    log "building Gale's hello (release, $GALE_SCRATCH)"
    swift build -c release --package-path "$ROOT" --product hello --scratch-path "$GALE_SCRATCH" >&2
    log "building bare-nio-hello (release, $BARE_SCRATCH)"
    swift build -c release --package-path "$BARE_PKG" --product bare-nio-hello --scratch-path "$BARE_SCRATCH" >&2
fi
GALE_BIN="$(swift build -c release --package-path "$ROOT" --scratch-path "$GALE_SCRATCH" --show-bin-path)/hello"
BARE_BIN="$(swift build -c release --package-path "$BARE_PKG" --scratch-path "$BARE_SCRATCH" --show-bin-path)/bare-nio-hello"
[[ -x "$GALE_BIN" ]] || die "no $GALE_BIN"
[[ -x "$BARE_BIN" ]] || die "no $BARE_BIN"

# --- run -----------------------------------------------------------------------------------------
rm -rf "$RAW"
mkdir -p "$RAW"
read -r BARE_PORT GALE_PORT < <(free_ports)
log "ports: bare $BARE_PORT, gale $GALE_PORT; DURATION=$DURATION WARMUP=$WARMUP THREADS=$THREADS ROUNDS=$ROUNDS CONNECTIONS='$CONNECTIONS'"

declare -A PID PORT RSS_IDLE RSS_AFTER BEST_RPS BEST_P50 BEST_P99 ALL_RPS
PORT[bare]=$BARE_PORT
PORT[gale]=$GALE_PORT
NOTES=()

start_server() {
    local name="$1" conns="$2"
    local logfile="$RAW/$name-c$conns.log"
    case "$name" in
        bare) "$BARE_BIN" --port "${PORT[bare]}" >"$logfile" 2>&1 & ;;
        gale) "$GALE_BIN" --port "${PORT[gale]}" --logging warning >"$logfile" 2>&1 & ;;
    esac
    PID[$name]=$!
    PIDS+=("${PID[$name]}")
    wait_ready "$name" "${PID[$name]}" "${PORT[$name]}" "http://$HOST:${PORT[$name]}/" "$logfile"
}

TABLE_ROWS=()
RATIOS=()
for conns in $CONNECTIONS; do
    log "== $conns connections: starting fresh servers"
    start_server bare "$conns"
    start_server gale "$conns"
    sleep 1                                           # let both settle before the idle reading
    for s in bare gale; do RSS_IDLE[$s]=$(rss_kb "${PID[$s]}"); done

    if [[ "$WARMUP" != 0 && "$WARMUP" != 0s ]]; then
        for s in bare gale; do
            log "warm-up: $s, $conns connections, $WARMUP"
            run_wrk "http://$HOST:${PORT[$s]}/" "$conns" "$WARMUP" "$RAW/c$conns-$s-warmup.txt"
        done
    fi

    for s in bare gale; do BEST_RPS[$s]=0; ALL_RPS[$s]=""; done
    for round in $(seq 1 "$ROUNDS"); do
        for s in bare gale; do                        # alternate, so noise hits both
            f="$RAW/c$conns-$s-r$round.txt"
            log "round $round: $s, $conns connections, $DURATION"
            kill -0 "${PID[$s]}" 2>/dev/null || die "$s (PID ${PID[$s]}) is gone; see $RAW/$s-c$conns.log"
            run_wrk "http://$HOST:${PORT[$s]}/" "$conns" "$DURATION" "$f"
            kill -0 "${PID[$s]}" 2>/dev/null || die "$s (PID ${PID[$s]}) died during the run; see $RAW"
            rps=$(wrk_rps "$f"); p50=$(wrk_pct "$f" 50); p99=$(wrk_pct "$f" 99)
            [[ -n "$rps" && -n "$p50" && -n "$p99" ]] || die "could not parse $f"
            non2xx=$(wrk_non2xx "$f"); sockerr=$(wrk_sockerr "$f")
            log "  $s: $rps req/s, p50 $p50, p99 $p99, $(wrk_reqs "$f") requests, non-2xx $non2xx, socket errors $sockerr"
            ALL_RPS[$s]+="${ALL_RPS[$s]:+; }$(printf '%.0f' "$rps") req/s, p50 $(latency_ms "$p50") ms, p99 $(latency_ms "$p99") ms"
            [[ "$non2xx" == 0 ]] || NOTES+=("$s, $conns connections, round $round: $non2xx non-2xx/3xx responses")
            [[ "$sockerr" == none ]] || NOTES+=("$s, $conns connections, round $round: socket errors: $sockerr")
            if awk -v a="$rps" -v b="${BEST_RPS[$s]}" 'BEGIN { exit !(a > b) }'; then
                BEST_RPS[$s]=$rps; BEST_P50[$s]=$p50; BEST_P99[$s]=$p99
            fi
        done
    done
    for s in bare gale; do RSS_AFTER[$s]=$(rss_kb "${PID[$s]}"); done

    for s in bare gale; do
        label=$([[ $s == bare ]] && echo "bare NIO" || echo "Gale hello")
        TABLE_ROWS+=("| $conns | $label | $(printf '%.0f' "${BEST_RPS[$s]}") | $(latency_ms "${BEST_P50[$s]}") ms | $(latency_ms "${BEST_P99[$s]}") ms | $(mib "${RSS_IDLE[$s]}") | $(mib "${RSS_AFTER[$s]}") |")
        NOTES+=("every round, $label, $conns connections: ${ALL_RPS[$s]}")
    done
    rps_ratio=$(awk -v g="${BEST_RPS[gale]}" -v b="${BEST_RPS[bare]}" 'BEGIN { printf "%.2f", g / b }')
    p99_ratio=$(awk -v g="$(latency_ms "${BEST_P99[gale]}")" -v b="$(latency_ms "${BEST_P99[bare]}")" 'BEGIN { printf "%.2f", g / b }')
    RATIOS+=("Gale/bare req/s = $rps_ratio at $conns connections")
    RATIOS+=("Gale/bare p99 = $p99_ratio at $conns connections")

    # Anything either server printed (Gale logs warnings and errors only here; bare logs nothing).
    for s in bare gale; do
        extra=$(grep -cv 'listening on\|serving on' "$RAW/$s-c$conns.log" || true)
        [[ "$extra" == 0 ]] || NOTES+=("$s, $conns connections: printed $extra log line(s), see results/last-run/$s-c$conns.log")
    done
    cleanup
done

# --- report --------------------------------------------------------------------------------------
report_facts
{
    echo "# Gale hello vs bare SwiftNIO hello"
    echo
    report_machine
    echo "- Gale: commit $COMMIT$DIRTY, \`hello --logging warning\`; swift $(swift_version)"
    echo "- wrk: $(wrk_version), $THREADS threads, $DURATION per run, --latency; warm-up $WARMUP per server"
    echo "- each figure: best of $ROUNDS rounds by req/s (rounds alternate bare, gale, bare, gale); p50/p99 from that same round"
    echo "- RSS: VmRSS of a fresh server 1 s after it first answered (idle) and after all its runs at that level (after)"
    echo
    echo "| connections | server | req/s | p50 | p99 | RSS idle | RSS after |"
    echo "| ---: | --- | ---: | ---: | ---: | ---: | ---: |"
    report_rows_and_notes
} >"$RESULTS/latest.md"
cat "$RESULTS/latest.md"
log "written to $RESULTS/latest.md; raw wrk output and server logs in $RAW/"
