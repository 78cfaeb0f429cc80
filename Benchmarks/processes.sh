#!/usr/bin/env bash
# Benchmarks/processes.sh: Gale's hello in the process shapes of Tornado's "Running and
# deploying" guide, side by side on 127.0.0.1, and a rolling restart under load.
#
# Shapes (the release `hello`):
#   one    one process, NIO's event loops (one per CPU)        hello --port P
#   split  one process per CPU, one event loop each (start(0)) hello --port P --processes 0 --event-loops 1
#   nginx  Docs/deploy/nginx.conf in front of four processes   hello --port Bi --event-loops 1, x4
# For ROUNDS rounds the shapes alternate, each measured by wrk for DURATION with CONNECTIONS
# connections (keep-alive, as a balancer's or a browser's); figures are each shape's median
# round. Then the restart: `split` under wrk for RESTART_SECONDS while the parent gets SIGHUP
# twice (every worker replaced each time); wrk's request count, socket errors and non-2xx
# answers are reported.
#
# Environment: DURATION=5s, CONNECTIONS=64, THREADS=1 (wrk's), ROUNDS=3, RESTART_SECONDS=10,
# SKIP_BUILD=1 to use the hello already built. Writes Benchmarks/results/processes-latest.md;
# raw output in Benchmarks/results/processes-last-run/. Every process is stopped by PID.
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
RESULTS="$BENCH/results"
RAW="$RESULTS/processes-last-run"
DURATION="${DURATION:-5s}"
CONNECTIONS="${CONNECTIONS:-64}"
THREADS="${THREADS:-1}"
ROUNDS="${ROUNDS:-3}"
RESTART_SECONDS="${RESTART_SECONDS:-10}"
SKIP_BUILD="${SKIP_BUILD:-0}"
HOST=127.0.0.1
LOG_TAG=processes

source "$BENCH/lib.sh"
require_tools curl python3 swift wrk timeout /usr/sbin/nginx

SCRATCH="$ROOT/.build-release"
if [[ "$SKIP_BUILD" != 1 ]]; then
    log "building hello (release, $SCRATCH)"
    swift build -c release --package-path "$ROOT" --product hello --scratch-path "$SCRATCH" >&2
fi
HELLO="$(swift build -c release --package-path "$ROOT" --scratch-path "$SCRATCH" --show-bin-path)/hello"
[[ -x "$HELLO" ]] || die "no hello at $HELLO"

rm -rf "$RAW"
mkdir -p "$RAW"
PREFIX="$(mktemp -d "${TMPDIR:-/tmp}/gale-processes.XXXXXX")"
cleanup() { stop_pids; rm -rf "$PREFIX"; }

read -r P_ONE P_SPLIT < <(free_ports)
read -r P_NGINX B0 < <(free_ports)
read -r B1 B2 < <(free_ports)
read -r B3 P_RESTART < <(free_ports)

start() { # NAME PORT ARGS...: starts hello, records its PID in PID_<NAME>
    local name="$1" port="$2"
    shift 2
    "$HELLO" --port "$port" --logging warning "$@" >"$RAW/$name.log" 2>&1 &
    PIDS+=("$!")
    printf -v "PID_$name" '%s' "$!"
    wait_ready "$name" "$!" "$port" "http://$HOST:$port/" "$RAW/$name.log"
}

start one "$P_ONE"
start split "$P_SPLIT" --processes 0 --event-loops 1
for i in 0 1 2 3; do
    port_var="B$i"
    start "backend$i" "${!port_var}" --event-loops 1
done
mkdir -p "$PREFIX/static"
sed -e "s|@PREFIX@|$PREFIX|g" -e "s|@STATIC_ROOT@|$PREFIX|g" -e "s|@PORT@|$P_NGINX|g" \
    -e "s|@BACKEND0@|$B0|g" -e "s|@BACKEND1@|$B1|g" -e "s|@BACKEND2@|$B2|g" -e "s|@BACKEND3@|$B3|g" \
    "$ROOT/Docs/deploy/nginx.conf" >"$PREFIX/nginx.conf"
/usr/sbin/nginx -c "$PREFIX/nginx.conf" -p "$PREFIX/" -e "$PREFIX/error.log" >"$RAW/nginx.log" 2>&1 &
PIDS+=("$!")
wait_ready nginx "$!" "$P_NGINX" "http://$HOST:$P_NGINX/" "$RAW/nginx.log"

declare -A RPS
for round in $(seq 1 "$ROUNDS"); do
    for shape in one split nginx; do
        port_var="P_${shape^^}"
        file="$RAW/$shape-$round.txt"
        log "round $round: $shape"
        run_wrk "http://$HOST:${!port_var}/" "$CONNECTIONS" "$DURATION" "$file"
        RPS[$shape]+="$(wrk_rps "$file") "
    done
done
median() { tr ' ' '\n' <<<"$1" | grep -v '^$' | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

log "rolling restart under load: $RESTART_SECONDS s of wrk, SIGHUP twice"
start restart "$P_RESTART" --processes 0 --event-loops 1
before="$(pgrep -P "$PID_restart" | sort | tr '\n' ' ')"
RESTART_FILE="$RAW/restart.txt"
timeout --kill-after=5 $(( RESTART_SECONDS + 30 )) \
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${RESTART_SECONDS}s" "http://$HOST:$P_RESTART/" >"$RESTART_FILE" 2>&1 &
WRK=$!
PIDS+=("$WRK")
sleep $(( RESTART_SECONDS / 5 ))
kill -HUP "$PID_restart"
sleep $(( RESTART_SECONDS / 2 ))
kill -HUP "$PID_restart"
wait "$WRK" || die "wrk failed during the restart; see $RESTART_FILE"
after="$(pgrep -P "$PID_restart" | sort | tr '\n' ' ')"
replaced="$(comm -12 <(tr ' ' '\n' <<<"$before" | grep .) <(tr ' ' '\n' <<<"$after" | grep .) | wc -l)"
restarts="workers before: $before; after: $after; $( (( replaced == 0 )) && echo "every one replaced" || echo "$replaced not replaced")"
non2xx="$(awk '/Non-2xx/ { print $NF; found = 1 } END { if (!found) print 0 }' "$RESTART_FILE")"

{
    echo "# Process shapes: hello, one process against one per CPU and nginx in front of four"
    echo
    echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'), commit \`$(git -C "$ROOT" rev-parse --short HEAD)\`"
    echo "- machine: $(nproc) CPUs; wrk $(wrk_version) -t$THREADS -c$CONNECTIONS -d$DURATION, $ROUNDS rounds alternating, median round"
    echo
    echo "| shape | requests/s (median) | every round | against one process |"
    echo "| --- | ---: | --- | ---: |"
    one="$(median "${RPS[one]}")"
    for shape in one split nginx; do
        m="$(median "${RPS[$shape]}")"
        echo "| $shape | $m | ${RPS[$shape]} | $(ratio "$m" "$one") |"
    done
    echo
    echo "Rolling restart: $(wrk_reqs "$RESTART_FILE") requests in ${RESTART_SECONDS} s over $CONNECTIONS keep-alive connections ($restarts), socket errors: $(wrk_sockerr "$RESTART_FILE"), non-2xx: $non2xx."
} | tee "$RESULTS/processes-latest.md"
