#!/usr/bin/env bash
# Benchmarks/websocket.sh: WebSocket echo round trips and idle connections, Gale against
# Hummingbird 2 (HummingbirdWebSocket) and Tornado 6, all on 127.0.0.1.
#
# The servers: Benchmarks/WebSocketBench's `gale-ws-echo` and `hb-ws-echo` (release builds) and
# Benchmarks/websocket-echo.py under Tornado. Each answers GET / with 200, echoes every message
# on /echo, and on /idle keeps its sockets in a set and sends 32 bytes to all of them when one
# sends the text "broadcast". The load client is `ws-load` (swift-websocket's WSClient), the same
# for all three.
#
# 1. Echo: for each CONNECTIONS x SIZES, the three servers are started fresh (idle RSS read 1 s
#    after each answered), then ROUNDS rounds alternate Gale, Hummingbird, Tornado, ... so
#    drifting noise falls on all. A run: ws-load opens the connections, warms up for WARMUP
#    seconds, then counts the closed-loop round trips that end within DURATION. Every echo is
#    compared with what was sent; a mismatch, a failed connection or a connection the server
#    closed marks the run INVALID in the table (and in the verdict). The figure is each server's
#    median round; ratios are Gale's median over the others'. Each run also gives the CPU time
#    (user + system, /proc/PID/stat) the server and ws-load spent a round trip.
# 2. Idle: for each of IDLE_SERVERS, a fresh server, its RSS, then IDLE WebSockets to /idle held
#    open by one ws-load process, the RSS again (per connection: the difference / IDLE), then
#    BROADCASTS broadcasts, each timed from the trigger until all IDLE sockets received it, and
#    the server's CPU time over them per message delivered.
#
# Prints a Markdown report and writes it to Benchmarks/results/websocket-latest.md; ws-load's
# output and the servers' logs go to Benchmarks/results/websocket-last-run/ (all of results/ is
# gitignored).
#
# Environment (all optional):
#   DURATION=5          measured seconds per echo run (5 or 5s)
#   WARMUP=1            unmeasured seconds at the start of each echo run, after the connections open
#   ROUNDS=3            echo runs per server per configuration
#   CONNECTIONS="1 100" connection counts
#   SIZES="32 16384"    message sizes in bytes
#   KIND=text           text or binary messages
#   IDLE=10000          idle WebSockets per server (0 skips the idle test)
#   IDLE_SERVERS="gale hummingbird tornado"
#   BROADCASTS=5        broadcasts timed per idle server
#   PYTHON=...          as template.sh: /usr/bin/python3 if it imports Tornado 6, else a venv at
#                       TORNADO_VENV (default ${TMPDIR:-/tmp}/gale-template-bench-venv, shared
#                       with template.sh and kept) with `pip install 'tornado>=6,<7'`
#   SKIP_BUILD=1        use the binaries already built
#
# Every process is stopped by PID on exit or Ctrl-C; every run and wait is bounded by `timeout`
# or a deadline. The open-file limit is raised to min(65536, the hard limit) for the servers and
# the client, which need IDLE sockets each.
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
RESULTS="$BENCH/results"
RAW="$RESULTS/websocket-last-run"
PKG="$BENCH/WebSocketBench"
SCRATCH="$PKG/.build-release"
PY_SERVER="$BENCH/websocket-echo.py"

DURATION="${DURATION:-5}"
WARMUP="${WARMUP:-1}"
ROUNDS="${ROUNDS:-3}"
CONNECTIONS="${CONNECTIONS:-1 100}"
SIZES="${SIZES:-32 16384}"
KIND="${KIND:-text}"
IDLE="${IDLE:-10000}"
IDLE_SERVERS="${IDLE_SERVERS:-gale hummingbird tornado}"
BROADCASTS="${BROADCASTS:-5}"
if [[ -z "${PYTHON:-}" ]]; then
    if [[ -x /usr/bin/python3 ]]; then PYTHON=/usr/bin/python3; else PYTHON=python3; fi
fi
TORNADO_VENV="${TORNADO_VENV:-${TMPDIR:-/tmp}/gale-template-bench-venv}"
SKIP_BUILD="${SKIP_BUILD:-0}"
HOST=127.0.0.1
THREADS=1
LOG_TAG=websocket
SERVERS=(gale hummingbird tornado)
TORNADO_TARGET=2.5

# log, die, PIDS and cleanup (stopping processes by PID on exit), rss_kb, wait_ready, report_facts.
source "$BENCH/lib.sh"
SECS="$(to_seconds "$DURATION")"
(( SECS > 0 )) || die "DURATION=$DURATION: at least 1 second"
WARM="$(to_seconds "$WARMUP")"
[[ "$WARM" =~ ^[0-9]+$ ]] || die "WARMUP=$WARMUP: whole seconds"
[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || die "ROUNDS=$ROUNDS: a whole number >= 1"
[[ "$IDLE" =~ ^[0-9]+$ ]] || die "IDLE=$IDLE: a whole number"
[[ "$BROADCASTS" =~ ^[1-9][0-9]*$ ]] || die "BROADCASTS=$BROADCASTS: a whole number >= 1"
case "$KIND" in text) KIND_FLAG=() ;; binary) KIND_FLAG=(--binary) ;; *) die "KIND=$KIND: text or binary" ;; esac
for s in $IDLE_SERVERS; do
    [[ " ${SERVERS[*]} " == *" $s "* ]] || die "IDLE_SERVERS: unknown server $s"
done
for f in "$PY_SERVER" "$PKG/Package.swift"; do [[ -f "$f" ]] || die "no $f"; done
require_tools swift timeout curl awk python3

# --- open files ----------------------------------------------------------------------------------
HARD="$(ulimit -Hn)"
WANT=65536
if [[ "$HARD" != unlimited ]] && (( HARD < WANT )); then WANT="$HARD"; fi
ulimit -n "$WANT" || die "could not raise the open-file limit to $WANT"
if (( IDLE > 0 )) && (( IDLE + 200 > WANT )); then
    die "IDLE=$IDLE needs more open files than the hard limit allows ($HARD); lower IDLE"
fi

# --- Tornado 6 -----------------------------------------------------------------------------------
use_tornado6
TORNADO_VERSION="$("$PYTHON" -c 'import tornado; print(tornado.version)')"
PY_VERSION="$("$PYTHON" -c 'import platform; print(platform.python_implementation(), platform.python_version())')"

# --- build ---------------------------------------------------------------------------------------
if [[ "$SKIP_BUILD" != 1 ]]; then
    log "building WebSocketBench (release, $SCRATCH); the first build takes several minutes"
    timeout 3600 swift build -c release --package-path "$PKG" --scratch-path "$SCRATCH" >&2 \
        || die "building WebSocketBench failed"
fi
BIN_DIR="$(swift build -c release --package-path "$PKG" --scratch-path "$SCRATCH" --show-bin-path)"
for b in gale-ws-echo hb-ws-echo ws-load; do
    [[ -x "$BIN_DIR/$b" ]] || die "no $BIN_DIR/$b (run without SKIP_BUILD=1)"
done
LOAD="$BIN_DIR/ws-load"

# --- helpers -------------------------------------------------------------------------------------
# Three distinct free ephemeral ports on 127.0.0.1 (all held open while picked).
free_ports3() {
    python3 -c 'import socket
socks = [socket.socket() for _ in range(3)]
for s in socks: s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in socks))
for s in socks: s.close()'
}

declare -A PID PORT LABEL
LABEL[gale]="Gale"
LABEL[hummingbird]="Hummingbird 2.28.1 + HummingbirdWebSocket 2.8.1"
LABEL[tornado]="Tornado $TORNADO_VERSION"

# Starts server NAME on PORT[NAME], logging to FILE; waits (10 s at most) until GET / answers 200.
start_server() {
    local name="$1" logfile="$2"
    case "$name" in
        gale) "$BIN_DIR/gale-ws-echo" --port "${PORT[gale]}" >"$logfile" 2>&1 & ;;
        hummingbird) "$BIN_DIR/hb-ws-echo" --port "${PORT[hummingbird]}" >"$logfile" 2>&1 & ;;
        tornado) "$PYTHON" "$PY_SERVER" "${PORT[tornado]}" >"$logfile" 2>&1 & ;;
    esac
    PID[$name]=$!
    PIDS+=("${PID[$name]}")
    wait_ready "$name" "${PID[$name]}" "${PORT[$name]}" "http://$HOST:${PORT[$name]}/" "$logfile"
}
stop_server() {
    stop_pid "${PID[$1]}"
    forget_pid "${PID[$1]}"
}
field() { awk -F': ' -v k="$2" '$1 == k { print $2; exit }' "$1"; }
fmt0() { awk -v v="$1" 'BEGIN { printf "%.0f", v }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
at_least() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a >= b) }'; }
size_label() { if (( $1 >= 1024 && $1 % 1024 == 0 )); then echo "$(( $1 / 1024 )) KiB"; else echo "$1 B"; fi; }
# The median of the arguments (the lower middle one for an even count).
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# CPU time (user + system) a process has used, in clock ticks.
TICKS_PER_S="$(getconf CLK_TCK)"
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
# Microseconds of CPU per item: TICKS over COUNT items.
us_per() { awk -v t="$1" -v n="$2" -v hz="$TICKS_PER_S" 'BEGIN { if (n > 0) printf "%.1f", t / hz * 1e6 / n; else print "n/a" }'; }
# Lines a server logged (its log file), for the notes.
log_lines() { grep -c . "$1" 2>/dev/null || true; }

# Runs one echo load against NAME into FILE. Returns ws-load's exit status (3: invalid run).
run_echo() {
    local name="$1" conns="$2" size="$3" file="$4" rc=0 pid
    timeout --kill-after=5 $(( WARM + SECS + 60 )) \
        "$LOAD" --url "ws://$HOST:${PORT[$name]}/echo" --connections "$conns" --size "$size" \
        --duration "$SECS" --warmup "$WARM" "${KIND_FLAG[@]+"${KIND_FLAG[@]}"}" >"$file" 2>&1 &
    pid=$!
    PIDS+=("$pid")
    wait "$pid" || rc=$?
    forget_pid "$pid"
    return "$rc"
}

rm -rf "$RAW"
mkdir -p "$RAW"
NOTES=()
TABLE_ROWS=()
RATIO_ROWS=()
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
read -r PORT[gale] PORT[hummingbird] PORT[tornado] < <(free_ports3)
log "ports: gale ${PORT[gale]}, hummingbird ${PORT[hummingbird]}, tornado ${PORT[tornado]}; DURATION=${SECS}s WARMUP=${WARM}s ROUNDS=$ROUNDS CONNECTIONS='$CONNECTIONS' SIZES='$SIZES' KIND=$KIND IDLE=$IDLE; open files $(ulimit -n)"
log "Tornado $TORNADO_VERSION on $PY_VERSION ($PYTHON); load average before: $LOAD_BEFORE"

# --- echo round trips ----------------------------------------------------------------------------
HB_ALL_MET=1
TORNADO_ALL_MET=1
TORNADO_CHECKED=0
MISSES=()
for conns in $CONNECTIONS; do
    for size in $SIZES; do
        tag="c$conns-s$size"
        declare -A RSS_IDLE=() RSS_AFTER=() RUNS=() INVALID=() SCPU=() CCPU=()
        for s in "${SERVERS[@]}"; do
            start_server "$s" "$RAW/$s-$tag.log"
        done
        sleep 1
        for s in "${SERVERS[@]}"; do
            RSS_IDLE[$s]="$(rss_kb "${PID[$s]}")"; RUNS[$s]=""; INVALID[$s]=0; SCPU[$s]=""; CCPU[$s]=""
        done
        declare -A BY_ROUND=()
        for round in $(seq 1 "$ROUNDS"); do
            for s in "${SERVERS[@]}"; do                     # alternate, so noise hits all
                f="$RAW/$s-$tag-r$round.txt"
                log "$conns connection(s), $(size_label "$size") $KIND, round $round: $s"
                rc=0
                before_cpu="$(cpu_ticks "${PID[$s]}")"
                run_echo "$s" "$conns" "$size" "$f" || rc=$?
                after_cpu="$(cpu_ticks "${PID[$s]}")"
                if (( rc == 3 )); then
                    INVALID[$s]=1
                    NOTES+=("INVALID: $s, $conns connection(s), $(size_label "$size"), round $round: mismatches $(field "$f" mismatches), ended early $(field "$f" ended_early), failed connections $(field "$f" failed_connections) ($f)")
                elif (( rc != 0 )); then
                    sed 's/^/    /' "$f" >&2
                    kill -0 "${PID[$s]}" 2>/dev/null || log "$s (PID ${PID[$s]}) has exited; see $RAW/$s-$tag.log"
                    die "ws-load failed against $s (exit $rc); see $f"
                fi
                rps="$(field "$f" round_trips_per_s)"
                [[ -n "$rps" ]] || die "no round_trips_per_s in $f"
                RUNS[$s]+="${RUNS[$s]:+ }$rps"
                BY_ROUND[$s,$round]="$rps"
                total_rt="$(field "$f" round_trips_with_warmup)"
                SCPU[$s]+="${SCPU[$s]:+ }$(us_per $(( after_cpu - before_cpu )) "$total_rt")"
                CCPU[$s]+="${CCPU[$s]:+ }$(awk -v c="$(field "$f" client_cpu_s)" -v n="$total_rt" 'BEGIN { if (n > 0) printf "%.1f", c * 1e6 / n; else print "n/a" }')"
                log "  $s: $(fmt0 "$rps") round trips/s, p50 $(field "$f" p50_ms) ms, p99 $(field "$f" p99_ms) ms$( (( rc == 3 )) && echo ' INVALID')"
            done
        done
        declare -A MED=() P50=() P99=()
        for s in "${SERVERS[@]}"; do
            RSS_AFTER[$s]="$(rss_kb "${PID[$s]}")"
            # shellcheck disable=SC2086
            MED[$s]="$(median ${RUNS[$s]})"
            for round in $(seq 1 "$ROUNDS"); do                  # p50 and p99 of the median round
                if [[ "${BY_ROUND[$s,$round]}" == "${MED[$s]}" ]]; then
                    P50[$s]="$(field "$RAW/$s-$tag-r$round.txt" p50_ms)"
                    P99[$s]="$(field "$RAW/$s-$tag-r$round.txt" p99_ms)"
                    break
                fi
            done
            lines="$(log_lines "$RAW/$s-$tag.log")"
            (( lines == 0 )) || NOTES+=("$s logged $lines line(s) at $conns connection(s), $(size_label "$size"): see $RAW/$s-$tag.log")
        done
        for s in "${SERVERS[@]}"; do stop_server "$s"; done
        for s in "${SERVERS[@]}"; do
            every="$(for r in ${RUNS[$s]}; do fmt0 "$r"; echo; done | paste -sd, - | sed 's/,/, /g')"
            mark=""; (( INVALID[$s] )) && mark=" **INVALID**"
            # shellcheck disable=SC2086
            TABLE_ROWS+=("| $conns | $(size_label "$size") | ${LABEL[$s]} | $(fmt0 "${MED[$s]}")$mark | $every | ${P50[$s]} ms | ${P99[$s]} ms | $(median ${SCPU[$s]}) µs | $(median ${CCPU[$s]}) µs | $(mib "${RSS_IDLE[$s]}") | $(mib "${RSS_AFTER[$s]}") |")
        done
        GH="$(ratio "${MED[gale]}" "${MED[hummingbird]}")"
        GT="$(ratio "${MED[gale]}" "${MED[tornado]}")"
        by_round_h=(); by_round_t=()
        for round in $(seq 1 "$ROUNDS"); do
            by_round_h+=("$(ratio "${BY_ROUND[gale,$round]}" "${BY_ROUND[hummingbird,$round]}")")
            by_round_t+=("$(ratio "${BY_ROUND[gale,$round]}" "${BY_ROUND[tornado,$round]}")")
        done
        goal_h="met"
        if ! at_least "$GH" 1 || (( INVALID[gale] )); then goal_h="**missed**"; HB_ALL_MET=0; MISSES+=("Gale/Hummingbird ${GH}x at $conns connection(s), $(size_label "$size")"); fi
        goal_t="(no goal at $conns)"
        if (( conns >= 100 )); then
            goal_t="met"
            TORNADO_CHECKED=1
            if ! at_least "$GT" "$TORNADO_TARGET" || (( INVALID[gale] )); then goal_t="**missed**"; TORNADO_ALL_MET=0; MISSES+=("Gale/Tornado ${GT}x at $conns connections, $(size_label "$size")"); fi
        fi
        RATIO_ROWS+=("| $conns | $(size_label "$size") | ${GH}x | $(IFS=,; echo "${by_round_h[*]}" | sed 's/,/, /g') | $goal_h | ${GT}x | $(IFS=,; echo "${by_round_t[*]}" | sed 's/,/, /g') | $goal_t |")
        unset RSS_IDLE RSS_AFTER RUNS INVALID BY_ROUND MED P50 P99 SCPU CCPU
    done
done
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"

# --- idle connections and a broadcast ------------------------------------------------------------
IDLE_ROWS=()
IDLE_GALE_KIB=""
if (( IDLE > 0 )); then
    for s in $IDLE_SERVERS; do
        tag="idle"
        start_server "$s" "$RAW/$s-$tag.log"
        sleep 1
        before="$(rss_kb "${PID[$s]}")"
        control="$RAW/$s-idle-control"
        mkdir -p "$control"
        f="$RAW/$s-idle.txt"
        log "idle: $IDLE WebSockets to $s, then $BROADCASTS broadcast(s)"
        limit=150
        timeout --kill-after=5 $(( limit * 2 + 60 )) \
            "$LOAD" --idle --url "ws://$HOST:${PORT[$s]}/idle" --connections "$IDLE" --broadcasts "$BROADCASTS" \
            --control "$control" --wait-limit "$limit" >"$f" 2>&1 &
        lpid=$!
        PIDS+=("$lpid")
        # Waits (bounded) until the client made FILE in the control dir, or ended.
        await_control() {
            local deadline=$(( SECONDS + limit + 10 ))
            while [[ ! -e "$control/$1" ]]; do
                kill -0 "$lpid" 2>/dev/null || return 1
                (( SECONDS < deadline )) || return 1
                sleep 0.1
            done
        }
        ok=1
        if await_control connected; then
            sleep 2                                            # let the server settle
            connected="$(rss_kb "${PID[$s]}")"
            cpu_before="$(cpu_ticks "${PID[$s]}")"
            touch "$control/go"
            if await_control measured; then
                after_broadcast="$(rss_kb "${PID[$s]}")"
                cpu_after="$(cpu_ticks "${PID[$s]}")"
            else
                ok=0
            fi
            touch "$control/close"
        else
            ok=0
            connected=0
            after_broadcast=0
        fi
        rc=0
        wait "$lpid" || rc=$?
        forget_pid "$lpid"
        stop_server "$s"
        lines="$(log_lines "$RAW/$s-$tag.log")"
        (( lines == 0 )) || NOTES+=("$s logged $lines line(s) in the idle test: see $RAW/$s-$tag.log")
        if (( ok == 0 )) || (( rc != 0 )); then
            NOTES+=("INVALID: the idle test against $s did not complete (ws-load exit $rc, connected $(field "$f" connected) of $IDLE); see $f")
            IDLE_ROWS+=("| ${LABEL[$s]} | $(field "$f" connected) of $IDLE **INVALID** | $(field "$f" connect_s) s | $(mib "$before") | $(mib "$connected") | | | | | |")
            continue
        fi
        per="$(awk -v a="$connected" -v b="$before" -v n="$IDLE" 'BEGIN { printf "%.1f", (a - b) / n }')"
        [[ "$s" == gale ]] && IDLE_GALE_KIB="$per"
        IDLE_ROWS+=("| ${LABEL[$s]} | $(field "$f" connected) | $(field "$f" connect_s) s | $(mib "$before") | $(mib "$connected") | **$per KiB** | $(mib "$after_broadcast") | $(field "$f" broadcast_all_ms_median) ms ($(field "$f" broadcast_half_ms_median) ms to half) | $(field "$f" broadcast_all_ms_each) | $(us_per $(( cpu_after - cpu_before )) $(( IDLE * BROADCASTS ))) µs |")
        NOTES+=("idle $s: $(field "$f" broadcasts_received) broadcast messages received, mismatches $(field "$f" mismatches); ws-load's own RSS $(mib "$(field "$f" client_rss_connected_kib)") with $IDLE connections")
    done
fi

# --- report --------------------------------------------------------------------------------------
report_facts
if (( HB_ALL_MET )); then VERDICT_H="**met** in every configuration"; else VERDICT_H="**missed**"; fi
if (( ! TORNADO_CHECKED )); then VERDICT_T="not measured (no CONNECTIONS >= 100)"
elif (( TORNADO_ALL_MET )); then VERDICT_T="**met** with every message size"
else VERDICT_T="**missed**"; fi
REPORT="$RESULTS/websocket-latest.md"
{
    echo "# WebSockets: Gale against Hummingbird 2 and Tornado 6"
    echo
    echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'), commit \`$COMMIT\`$DIRTY"
    echo "- machine: $(nproc) CPUs, ${CPU:-unknown CPU}; the servers and ws-load share them; load average before $LOAD_BEFORE, after the echo runs $LOAD_AFTER"
    echo "- Gale and Hummingbird: Swift $(swift_version), release builds (Benchmarks/WebSocketBench); Tornado $TORNADO_VERSION on $PY_VERSION ($PYTHON)"
    echo "- echo: $KIND messages, ${WARM} s warm-up + ${SECS} s measured a run, $ROUNDS round(s) alternating Gale, Hummingbird, Tornado; figures are the median round, p50/p99 from that round; CPU a round trip: the process's user + system time over the run (warm-up included) / its round trips, median of the rounds"
    echo
    echo "| connections | message | server | round trips/s | every round | p50 | p99 | server CPU a round trip | ws-load CPU a round trip | RSS idle | RSS after |"
    echo "| ---: | ---: | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
    printf '%s\n' "${TABLE_ROWS[@]}"
    echo
    echo "| connections | message | Gale/Hummingbird | by round | goal >= 1 | Gale/Tornado | by round | goal >= ${TORNADO_TARGET} at 100 |"
    echo "| ---: | ---: | ---: | --- | --- | ---: | --- | --- |"
    printf '%s\n' "${RATIO_ROWS[@]}"
    echo
    echo "- Gale >= Hummingbird everywhere: $VERDICT_H"
    echo "- Gale >= ${TORNADO_TARGET}x Tornado at 100 connections: $VERDICT_T"
    if (( ${#MISSES[@]} )); then printf -- '- missed: %s\n' "${MISSES[@]}"; fi
    if (( ${#IDLE_ROWS[@]} )); then
        echo
        echo "Idle WebSockets ($IDLE to /idle from one ws-load; RSS per connection = (RSS with them - RSS before) / $IDLE; broadcast: the server sends 32 bytes to every socket, timed from the trigger until all $IDLE received it, median of $BROADCASTS):"
        echo
        echo "| server | open | connect time | RSS before | RSS with them | per connection | RSS after broadcasts | broadcast to all | each broadcast (ms) | server CPU a message |"
        echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |"
        printf '%s\n' "${IDLE_ROWS[@]}"
        if [[ -n "$IDLE_GALE_KIB" ]]; then
            echo
            if at_least 10 "$IDLE_GALE_KIB"; then
                echo "- Gale <= 10 KiB a connection: **met** ($IDLE_GALE_KIB KiB)"
            else
                echo "- Gale <= 10 KiB a connection: **missed** ($IDLE_GALE_KIB KiB)"
            fi
        fi
    fi
    if (( ${#NOTES[@]} )); then
        echo
        echo "Notes:"
        echo
        printf -- '- %s\n' "${NOTES[@]}"
    fi
} | tee "$REPORT"
log "wrote $REPORT; raw output in $RAW"
