#!/usr/bin/env bash
# Benchmarks/allocations.sh: heap allocations (malloc calls, and bytes) per request on Gale's
# release build, for hello, a JSON response, the template page and a static file: the routes of
# Benchmarks/peers/GalePeer, which bench-peers.sh measures for speed. Counted with valgrind's
# memcheck, whose "total heap usage: N allocs" covers the whole process; the per-request figure is
# the difference between a run with REQUESTS more requests of one route and a baseline run,
# divided by REQUESTS, so start-up, the first (warming) requests and shutdown cancel out.
# Prints a Markdown table and writes it to Benchmarks/results/allocations-latest.md (valgrind
# logs go to Benchmarks/results/allocations-last-run/).
#
# Environment (all optional):
#   REQUESTS=400   extra requests of the measured route over the baseline
#   WARM=20        requests of every route, in every run, before the measured ones
#   SKIP_BUILD=1   use the gale-peer binary already built
#
# Each run: gale-peer serve under memcheck; a Python client sends its requests one after another
# on one keep-alive connection and checks each status; SIGTERM then lets Gale shut down so
# memcheck prints its summary. Only 127.0.0.1; every wait is bounded in time.
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
PKG="$BENCH/peers/GalePeer"
RESULTS="$BENCH/results"
RAW="$RESULTS/allocations-last-run"

REQUESTS="${REQUESTS:-400}"
WARM="${WARM:-20}"
SKIP_BUILD="${SKIP_BUILD:-0}"
DURATION=1s          # lib.sh checks it; no wrk run here
THREADS=1
HOST=127.0.0.1
LOG_TAG=allocations
TMP=""

source "$BENCH/lib.sh"
cleanup() {
    stop_pids
    [[ -z "$TMP" || ! -d "$TMP" ]] || rm -rf "$TMP"
}
[[ "$REQUESTS" =~ ^[0-9]+$ && "$REQUESTS" -ge 10 ]] || die "REQUESTS=$REQUESTS: a whole number, at least 10"
[[ "$WARM" =~ ^[0-9]+$ && "$WARM" -ge 1 ]] || die "WARM=$WARM: a whole number, at least 1"

if ! command -v valgrind >/dev/null 2>&1; then
    log "valgrind not found; installing it with apt-get"
    set_sudo "valgrind is missing and this is not root: install valgrind"
    $SUDO apt-get update
    $SUDO apt-get install -y valgrind
fi
require_tools curl python3 swift valgrind strip timeout

# --- build ---------------------------------------------------------------------------------------
SCRATCH="$PKG/.build-release"
if [[ "$SKIP_BUILD" != 1 ]]; then
    log "building gale-peer (release, $SCRATCH)"
    swift build -c release --package-path "$PKG" --product gale-peer --scratch-path "$SCRATCH" >&2
fi
GALE_BIN="$(swift build -c release --package-path "$PKG" --scratch-path "$SCRATCH" --show-bin-path)/gale-peer"
[[ -x "$GALE_BIN" ]] || die "no $GALE_BIN"

rm -rf "$RAW"
mkdir -p "$RAW"
TMP="$(mktemp -d /tmp/gale-allocations.XXXXXX)"
mkdir -p "$TMP/static"
head -c 1024 /dev/urandom >"$TMP/static/1k.bin"
# valgrind 3.x cannot read the DWARF of Swift 6.3's release builds; symbols stay.
cp "$GALE_BIN" "$TMP/gale-peer"
strip --strip-debug "$TMP/gale-peer"

declare -A ROUTE_PATH=([hello]=/ [json]=/json [page]=/page [static]=/static/1k.bin)
declare -A ROUTE_LABEL=([hello]="hello" [json]="JSON (~1 KiB)" [page]="template page (100 rows)" [static]="static file (1 KiB)")
ROUTES="hello json page static"

# `client PORT PATH COUNT`: COUNT GETs of PATH, one after another on one keep-alive connection;
# fails on the first status other than 200.
client() {
    timeout 600 python3 -c 'import http.client, sys
port, path, count = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
for i in range(count):
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    if response.status != 200:
        sys.exit("GET %s: status %d on request %d" % (path, response.status, i + 1))
connection.close()' "$1" "$2" "$3"
}

# `measure NAME EXTRA_ROUTE`: one run under memcheck: WARM requests of every route, then
# REQUESTS of EXTRA_ROUTE (none for "baseline"); sets ALLOCS and BYTES from the summary.
measure() {
    local name="$1" extra="$2" port logfile="$RAW/memcheck-$1.log" pid r i
    read -r port _ < <(free_ports)
    valgrind --tool=memcheck --leak-check=no --log-file="$logfile" \
        "$TMP/gale-peer" serve --port "$port" --address "$HOST" --logging warning \
        --static-path "$TMP/static" --template-path "$BENCH/templates" >"$RAW/gale-$name.log" 2>&1 &
    pid=$!
    PIDS+=("$pid")
    READY_SECONDS=120 wait_ready "gale-peer under memcheck" "$pid" "$port" "http://$HOST:$port/json" "$RAW/gale-$name.log"
    # wait_ready's GET /json is one more request of that route in every run, so it cancels out.
    for r in $ROUTES; do client "$port" "${ROUTE_PATH[$r]}" "$WARM" || die "$name: warm-up of $r failed"; done
    if [[ "$extra" != baseline ]]; then
        client "$port" "${ROUTE_PATH[$extra]}" "$REQUESTS" || die "$name: the measured requests failed"
    fi
    # SIGTERM: Gale shuts down and exits, and memcheck prints its heap summary (up to 120 s).
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 1 1200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && die "$name: gale-peer under memcheck did not exit within 120 s of SIGTERM"
    wait "$pid" 2>/dev/null || true
    forget_pid "$pid"
    read -r ALLOCS BYTES < <(awk '/total heap usage:/ {
        a = $0; sub(/.*usage: */, "", a); split(a, f, " "); gsub(/,/, "", f[1]); gsub(/,/, "", f[5]); print f[1], f[5] }' "$logfile")
    [[ -n "${ALLOCS:-}" && -n "${BYTES:-}" ]] || die "$name: no 'total heap usage' line in $logfile"
    log "$name: $ALLOCS allocations, $BYTES bytes in all"
}

log "REQUESTS=$REQUESTS WARM=$WARM; gale-peer from $GALE_BIN"
measure baseline baseline
BASE_ALLOCS=$ALLOCS BASE_BYTES=$BYTES
ROWS=()
for r in $ROUTES; do
    measure "$r" "$r"
    per=$(awk -v a="$ALLOCS" -v b="$BASE_ALLOCS" -v n="$REQUESTS" 'BEGIN { printf "%.1f", (a - b) / n }')
    bytes=$(awk -v a="$BYTES" -v b="$BASE_BYTES" -v n="$REQUESTS" 'BEGIN { printf "%.0f", (a - b) / n }')
    ROWS+=("| ${ROUTE_LABEL[$r]} | \`GET ${ROUTE_PATH[$r]}\` | $per | $bytes |")
done

report_facts
{
    echo "# Allocations per request: Gale (gale-peer, release)"
    echo
    echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); commit $COMMIT$DIRTY; swift $(swift_version); $(valgrind --version)"
    echo "- each figure: (allocations in a run with $REQUESTS more requests of that route - allocations in the baseline run) / $REQUESTS;"
    echo "  both runs also make $WARM requests of every route first, on one keep-alive connection"
    echo "- baseline run: $BASE_ALLOCS allocations, $BASE_BYTES bytes (start-up, warm-up, shutdown)"
    echo
    echo "| request | route | allocations per request | bytes allocated per request |"
    echo "| --- | --- | ---: | ---: |"
    printf '%s\n' "${ROWS[@]}"
} >"$RESULTS/allocations-latest.md"
cat "$RESULTS/allocations-latest.md"
log "written to $RESULTS/allocations-latest.md; memcheck logs in $RAW/"
