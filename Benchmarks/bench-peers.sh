#!/usr/bin/env bash
# Benchmarks/bench-peers.sh: every peer in one run. Gale, bare SwiftNIO, Hummingbird 2, Vapor 4,
# Tornado 6 and nginx serve the same routes (Benchmarks/peers/README.md) on 127.0.0.1 and get the
# same wrk matrix: hello, JSON (~1 KiB, built per request), the 100-row table page (built and
# rendered per request), static files of 1 KiB and 1 MiB, and a 404; at each connection count.
# Runs are interleaved (round 1 of every peer, then round 2, ...) and each figure is the median
# of the rounds. Prints a Markdown report and writes it to Benchmarks/results/peers-latest.md
# (raw wrk output, answers and server logs go to Benchmarks/results/peers-last-run/).
#
# What a peer does not serve is n/a: bare NIO (Benchmarks/BareNIO) answers hello only; nginx
# has no JSON or template route. A Swift peer that cannot be built is left out with the reason
# in the report; Gale must build.
#
# Environment (all optional):
#   DURATION=5s          length of each measured wrk run (wrk syntax: 5s, 1m, ...)
#   WARMUP=1s            an unrecorded wrk run per peer before each route's rounds; 0 skips it
#   CONNECTIONS="16 128" the connection counts to measure
#   THREADS=1            wrk threads (wrk and the servers share the machine's cores)
#   WRK_TIMEOUT=10s      wrk's per-request timeout (its default, 2 s, drops the slow pages of
#                        the slower peers at 128 connections from the latency figures)
#   ROUNDS=3             measured runs per peer per route and connection count
#   PEERS="gale nio hummingbird vapor tornado nginx"   which peers to run (gale always runs)
#   ROUTES="hello json page static1k static1m notfound"
#   SKIP_BUILD=1         use the binaries already built
#   BUILD_TIMEOUT=3600   seconds allowed for each Swift package's release build
#   PYTHON=python3, TORNADO_VENV=/tmp/gale-template-bench-venv   (Tornado 6; made with pip if missing)
#
# Every server is started once and stopped by PID on exit (nginx by its master PID, then any
# worker left). Every request goes to 127.0.0.1 only; every wait is bounded in time.
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
PEER_DIR="$BENCH/peers"
RESULTS="$BENCH/results"
RAW="$RESULTS/peers-last-run"
TEMPLATE="$PEER_DIR/nginx/nginx.conf.template"

DURATION="${DURATION:-5s}"
WARMUP="${WARMUP:-1s}"
CONNECTIONS="${CONNECTIONS:-16 128}"
THREADS="${THREADS:-1}"
WRK_TIMEOUT="${WRK_TIMEOUT:-10s}"
ROUNDS="${ROUNDS:-3}"
PEERS="${PEERS:-gale nio hummingbird vapor tornado nginx}"
ROUTES="${ROUTES:-hello json page static1k static1m notfound}"
SKIP_BUILD="${SKIP_BUILD:-0}"
BUILD_TIMEOUT="${BUILD_TIMEOUT:-3600}"
PYTHON="${PYTHON:-python3}"
TORNADO_VENV="${TORNADO_VENV:-${TMPDIR:-/tmp}/gale-template-bench-venv}"
HOST=127.0.0.1
LOG_TAG=peers

# What cleanup tidies besides PIDS; set before lib.sh sets the exit trap.
TMP=""
NGINX_MASTER=""
POLICY_RC_CREATED=0
# log, die, PIDS and stop_pids, the wrk helpers, free_port_list, median, report pieces.
source "$BENCH/lib.sh"
[[ -f "$TEMPLATE" ]] || die "no $TEMPLATE"
# nginx_workers, install_nginx_tools and the nginx-aware cleanup (PIDS, workers, policy-rc.d, TMP).
source "$BENCH/nginx-lib.sh"
[[ " $PEERS " == *" gale "* ]] || PEERS="gale $PEERS"
(( ROUNDS >= 1 )) || die "ROUNDS=$ROUNDS: at least 1"

# --- peers and routes ----------------------------------------------------------------------------
declare -A LABEL=(
    [gale]="Gale" [nio]="bare NIO" [hummingbird]="Hummingbird 2" [vapor]="Vapor 4"
    [tornado]="Tornado 6" [nginx]="nginx"
)
declare -A ROUTE_PATH=(
    [hello]=/ [json]=/json [page]=/page [static1k]=/static/1k.bin [static1m]=/static/1m.bin
    [notfound]=/missing
)
declare -A ROUTE_LABEL=(
    [hello]="hello" [json]="JSON 1 KiB" [page]="template page" [static1k]="static 1 KiB"
    [static1m]="static 1 MiB" [notfound]="404"
)
for r in $ROUTES; do [[ -n "${ROUTE_PATH[$r]:-}" ]] || die "unknown route $r (ROUTES)"; done
for p in $PEERS; do [[ -n "${LABEL[$p]:-}" ]] || die "unknown peer $p (PEERS)"; done
# Whether PEER serves ROUTE (else its cell is n/a).
serves() {
    case "$1" in
        nio) [[ "$2" == hello ]] ;;
        nginx) [[ "$2" != json && "$2" != page ]] ;;
        *) true ;;
    esac
}
declare -A UNAVAILABLE=()   # peer -> why it is left out

# --- tools ---------------------------------------------------------------------------------------
MISSING=()
command -v cmp >/dev/null 2>&1 || MISSING+=(diffutils)
if [[ " $PEERS " == *" nginx "* ]]; then
    install_nginx_tools
else
    command -v wrk >/dev/null 2>&1 || die "wrk is required (apt-get install wrk)"
fi
require_tools curl cmp python3 swift wrk timeout ps
if [[ " $PEERS " == *" tornado "* ]]; then use_tornado6; fi

# --- build ---------------------------------------------------------------------------------------
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
declare -A PKG=(
    [gale]="$PEER_DIR/GalePeer" [nio]="$BENCH/BareNIO" [hummingbird]="$PEER_DIR/HummingbirdPeer"
    [vapor]="$PEER_DIR/VaporPeer"
)
declare -A PRODUCT=([gale]=gale-peer [nio]=bare-nio-hello [hummingbird]=hb-peer [vapor]=vapor-peer)
declare -A BIN=()
rm -rf "$RAW"
mkdir -p "$RAW"
for p in gale nio hummingbird vapor; do
    [[ " $PEERS " == *" $p "* ]] || continue
    pkg="${PKG[$p]}"
    scratch="$pkg/.build-release"
    if [[ "$SKIP_BUILD" != 1 ]]; then
        log "building ${PRODUCT[$p]} (release, $scratch; at most $BUILD_TIMEOUT s)"
        if ! timeout --kill-after=10 "$BUILD_TIMEOUT" swift build -c release --package-path "$pkg" \
            --product "${PRODUCT[$p]}" --scratch-path "$scratch" >"$RAW/build-$p.log" 2>&1; then
            [[ "$p" != gale ]] || { tail -20 "$RAW/build-gale.log" >&2; die "Gale's peer did not build"; }
            UNAVAILABLE[$p]="its release build failed or passed $BUILD_TIMEOUT s (results/peers-last-run/build-$p.log)"
            log "${LABEL[$p]} left out: ${UNAVAILABLE[$p]}"
            continue
        fi
    fi
    bin="$(swift build -c release --package-path "$pkg" --scratch-path "$scratch" --show-bin-path)/${PRODUCT[$p]}"
    if [[ -x "$bin" ]]; then
        BIN[$p]="$bin"
    else
        [[ "$p" != gale ]] || die "no $bin"
        UNAVAILABLE[$p]="no binary at $bin"
    fi
done

# --- files, ports, servers -----------------------------------------------------------------------
TMP="$(mktemp -d /tmp/gale-peers-bench.XXXXXX)"
STATIC="$TMP/public/static"
mkdir -p "$STATIC" "$TMP/nginx" "$TMP/answers"
head -c 1024 /dev/urandom >"$STATIC/1k.bin"
head -c 1048576 /dev/urandom >"$STATIC/1m.bin"
[[ "$(stat -c %s "$STATIC/1k.bin")" == 1024 && "$(stat -c %s "$STATIC/1m.bin")" == 1048576 ]] \
    || die "could not write the test files in $STATIC"

ACTIVE=()
for p in $PEERS; do [[ -n "${UNAVAILABLE[$p]:-}" ]] || ACTIVE+=("$p"); done
read -r -a PORT_LIST < <(free_port_list "${#ACTIVE[@]}")
declare -A PORT=() PID=()
i=0
for p in "${ACTIVE[@]}"; do PORT[$p]=${PORT_LIST[$i]}; i=$(( i + 1 )); done
log "peers: ${ACTIVE[*]}; DURATION=$DURATION WARMUP=$WARMUP THREADS=$THREADS ROUNDS=$ROUNDS CONNECTIONS='$CONNECTIONS'; temp dir $TMP"

start_peer() {
    local p="$1" port="${PORT[$1]}" logfile="$RAW/$1.log"
    case "$p" in
        gale)
            "${BIN[gale]}" serve --port "$port" --address "$HOST" --logging error \
                --static-path "$STATIC" --template-path "$BENCH/templates" >"$logfile" 2>&1 & ;;
        nio) "${BIN[nio]}" --port "$port" >"$logfile" 2>&1 & ;;
        hummingbird)
            "${BIN[hummingbird]}" --port "$port" --static-path "$STATIC" \
                --template-path "$PEER_DIR/HummingbirdPeer/templates" >"$logfile" 2>&1 & ;;
        vapor)
            "${BIN[vapor]}" --port "$port" --static-path "$STATIC" \
                --views-path "$PEER_DIR/VaporPeer/Views" >"$logfile" 2>&1 & ;;
        tornado)
            "$PYTHON" "$PEER_DIR/tornado/peer.py" --port "$port" --static-path "$STATIC" \
                --template-path "$BENCH/templates" >"$logfile" 2>&1 & ;;
        nginx)
            local conf="$TMP/nginx/nginx.conf"
            sed -e "s|@TMP@|$TMP|g" -e "s|@PORT@|$port|g" \
                -e "s|@USER@|$(id -un)|g" -e "s|@GROUP@|$(id -gn)|g" "$TEMPLATE" >"$conf"
            ! grep -q '@[A-Z]*@' "$conf" || die "unfilled placeholder in $conf"
            cp "$conf" "$RAW/nginx.conf"
            "$NGINX_BIN" -t -q -c "$conf" -p "$TMP/nginx/" -e "$TMP/nginx/error.log" >"$RAW/nginx-test.log" 2>&1 \
                || { cat "$RAW/nginx-test.log" >&2; die "nginx -t rejected $conf"; }
            "$NGINX_BIN" -c "$conf" -p "$TMP/nginx/" -e "$TMP/nginx/error.log" >"$logfile" 2>&1 &
            NGINX_MASTER=$! ;;
    esac
    PID[$p]=$!
    PIDS+=("${PID[$p]}")
    READY_SECONDS=30 wait_ready "$p" "${PID[$p]}" "$port" "http://$HOST:$port/" "$logfile"
}
for p in "${ACTIVE[@]}"; do
    log "starting ${LABEL[$p]} on port ${PORT[$p]}"
    start_peer "$p"
done

# --- every answer checked before anything is measured --------------------------------------------
url() { echo "http://$HOST:${PORT[$1]}${ROUTE_PATH[$2]}"; }
CHECK_NOTES=()
for r in $ROUTES; do
    for p in "${ACTIVE[@]}"; do
        serves "$p" "$r" || continue
        body="$TMP/answers/$p-$r"
        status=$(curl -sS --max-time 10 -D "$RAW/headers-$p-$r.txt" -o "$body" -w '%{http_code}' "$(url "$p" "$r")") \
            || die "${LABEL[$p]}: curl $(url "$p" "$r") failed"
        reference=()
        case "$r" in
            page) [[ "$p" == gale ]] || reference=("$TMP/answers/gale-page") ;;
            static1k) reference=("$STATIC/1k.bin") ;;
            static1m) reference=("$STATIC/1m.bin") ;;
        esac
        problem=$("$PYTHON" "$PEER_DIR/check.py" "$r" "$status" "$body" "${reference[@]}") \
            || die "${LABEL[$p]} answers ${ROUTE_PATH[$r]} wrongly: $problem (headers: $RAW/headers-$p-$r.txt)"
    done
    log "every peer answers ${ROUTE_PATH[$r]} correctly"
done
if [[ " $ROUTES " == *" page "* && -f "$TMP/answers/tornado-page" ]]; then
    if cmp -s "$TMP/answers/gale-page" "$TMP/answers/tornado-page"; then
        CHECK_NOTES+=("Gale's and Tornado's pages are byte-identical (both render Benchmarks/templates/table.html)")
    else
        CHECK_NOTES+=("Gale's and Tornado's pages differ byte for byte (see results/peers-last-run/page-*.html)")
    fi
fi
for p in "${ACTIVE[@]}"; do
    [[ ! -f "$TMP/answers/$p-page" ]] || cp "$TMP/answers/$p-page" "$RAW/page-$p.html"
    [[ ! -f "$TMP/answers/$p-json" ]] || cp "$TMP/answers/$p-json" "$RAW/json-$p.json"
done

# --- run -----------------------------------------------------------------------------------------
declare -A RPS=() P99=()      # "peer|route|conns" -> the rounds' figures, space-separated
NOTES=()
alive() {
    local p
    for p in "${ACTIVE[@]}"; do
        kill -0 "${PID[$p]}" 2>/dev/null || die "${LABEL[$p]} (PID ${PID[$p]}) is gone; see $RAW/$p.log"
    done
}
for conns in $CONNECTIONS; do
    for r in $ROUTES; do
        if [[ "$WARMUP" != 0 && "$WARMUP" != 0s ]]; then
            for p in "${ACTIVE[@]}"; do
                serves "$p" "$r" || continue
                run_wrk_with "$(url "$p" "$r")" "$conns" "$WARMUP" "$RAW/$r-c$conns-$p-warmup.txt" --timeout "$WRK_TIMEOUT"
            done
        fi
        for round in $(seq 1 "$ROUNDS"); do
            for p in "${ACTIVE[@]}"; do           # interleaved, so drifting noise falls on every peer
                serves "$p" "$r" || continue
                out="$RAW/$r-c$conns-$p-r$round.txt"
                alive
                run_wrk_with "$(url "$p" "$r")" "$conns" "$DURATION" "$out" --timeout "$WRK_TIMEOUT"
                rps=$(wrk_rps "$out"); p99=$(wrk_pct "$out" 99); reqs=$(wrk_reqs "$out")
                [[ -n "$rps" && -n "$p99" && -n "$reqs" ]] || die "could not parse $out"
                non2xx=$(wrk_non2xx "$out"); sockerr=$(wrk_sockerr "$out")
                log "$r, $conns connections, round $round: ${LABEL[$p]} $rps req/s, p99 $p99, non-2xx $non2xx, socket errors $sockerr"
                if [[ "$r" == notfound ]]; then
                    [[ "$non2xx" == "$reqs" ]] || NOTES+=("${LABEL[$p]}, 404 route, $conns connections, round $round: $non2xx of $reqs answers were not 2xx/3xx (all should be 404)")
                else
                    [[ "$non2xx" == 0 ]] || NOTES+=("${LABEL[$p]}, ${ROUTE_LABEL[$r]}, $conns connections, round $round: $non2xx non-2xx/3xx answers")
                fi
                [[ "$sockerr" == none ]] || NOTES+=("${LABEL[$p]}, ${ROUTE_LABEL[$r]}, $conns connections, round $round: socket errors: $sockerr")
                RPS["$p|$r|$conns"]+="$rps "
                P99["$p|$r|$conns"]+="$(latency_ms "$p99") "
            done
        done
    done
done
alive

# --- figures -------------------------------------------------------------------------------------
# The median req/s or p99 (ms) of a cell, or empty when the peer did not run it.
med_rps() { local v="${RPS["$1|$2|$3"]:-}"; [[ -z "$v" ]] || median $v; }
med_p99() { local v="${P99["$1|$2|$3"]:-}"; [[ -z "$v" ]] || median $v; }
# A cell's text: what the peer lacks, else the figure formatted with FORMAT.
cell() {
    local p="$1" r="$2" value="$3" format="$4"
    if [[ -n "${UNAVAILABLE[$p]:-}" ]]; then echo "not built"
    elif ! serves "$p" "$r"; then echo "n/a"
    elif [[ -z "$value" ]]; then echo "-"
    else printf "$format" "$value"
    fi
}
joined() { local IFS=';'; echo "$*" | sed 's/;/, /g'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
ALL_PEERS=()
for p in gale nio hummingbird vapor tornado nginx; do [[ " $PEERS " == *" $p "* ]] && ALL_PEERS+=("$p"); done
OTHERS=("${ALL_PEERS[@]:1}")

RPS_ROWS=() RATIO_ROWS=() P99_ROWS=() GOALS=()
last_conns="${CONNECTIONS##* }"
for r in $ROUTES; do
    for conns in $CONNECTIONS; do
        row="| ${ROUTE_LABEL[$r]} | $conns |"
        for p in "${ALL_PEERS[@]}"; do row+=" $(cell "$p" "$r" "$(med_rps "$p" "$r" "$conns")" '%.0f') |"; done
        RPS_ROWS+=("$row")
        gale=$(med_rps gale "$r" "$conns")
        row="| ${ROUTE_LABEL[$r]} | $conns |"
        for p in "${OTHERS[@]}"; do
            other=$(med_rps "$p" "$r" "$conns")
            if [[ -n "$other" && -n "$gale" ]]; then row+=" $(ratio "$gale" "$other")x |"; else row+=" $(cell "$p" "$r" "" '') |"; fi
        done
        RATIO_ROWS+=("$row")
    done
    row="| ${ROUTE_LABEL[$r]} |"
    for p in "${ALL_PEERS[@]}"; do row+=" $(cell "$p" "$r" "$(med_p99 "$p" "$r" "$last_conns")" '%.2f ms') |"; done
    P99_ROWS+=("$row")
done

# The goals: Gale >= 10x Tornado everywhere; >= 1.5x Hummingbird and Vapor on hello, JSON and the
# page; p99 at the highest connection count no worse than any Swift peer's.
goal_ratio() {    # peer, target, routes: one verdict line with each row's ratio
    local p="$1" target="$2" routes="$3" r conns gale other q missed=() figures=()
    [[ -z "${UNAVAILABLE[$p]:-}" && " $PEERS " == *" $p "* ]] || { echo "not measured (${UNAVAILABLE[$p]:-left out of PEERS})"; return; }
    for r in $routes; do
        [[ " $ROUTES " == *" $r "* ]] || continue
        for conns in $CONNECTIONS; do
            gale=$(med_rps gale "$r" "$conns"); other=$(med_rps "$p" "$r" "$conns")
            [[ -n "$gale" && -n "$other" ]] || continue
            q=$(ratio "$gale" "$other")
            figures+=("${ROUTE_LABEL[$r]}/$conns ${q}x")
            awk -v q="$q" -v t="$target" 'BEGIN { exit !(q < t) }' && missed+=("${ROUTE_LABEL[$r]}/$conns")
        done
    done
    if (( ${#missed[@]} )); then echo "**missed** on ${#missed[@]} of ${#figures[@]} rows ($(joined "${missed[@]}")); by row: $(joined "${figures[@]}")"
    else echo "met on all ${#figures[@]} rows; by row: $(joined "${figures[@]}")"; fi
}
GOALS+=("Gale >= 10x Tornado on every row: $(goal_ratio tornado 10 "$ROUTES")")
GOALS+=("Gale >= 1.5x Hummingbird on hello, JSON and the page: $(goal_ratio hummingbird 1.5 "hello json page")")
GOALS+=("Gale >= 1.5x Vapor on hello, JSON and the page: $(goal_ratio vapor 1.5 "hello json page")")
worse=() p99_figures=()
for r in $ROUTES; do
    g=$(med_p99 gale "$r" "$last_conns")
    for p in nio hummingbird vapor; do
        other=$(med_p99 "$p" "$r" "$last_conns")
        [[ -n "$g" && -n "$other" ]] || continue
        p99_figures+=("${ROUTE_LABEL[$r]} vs ${LABEL[$p]} $(ratio "$g" "$other")x")
        awk -v a="$g" -v b="$other" 'BEGIN { exit !(a > b) }' && worse+=("${ROUTE_LABEL[$r]} vs ${LABEL[$p]}")
    done
done
if (( ${#p99_figures[@]} == 0 )); then
    GOALS+=("Gale's p99 at $last_conns connections no worse than any Swift peer's: not measured (no Swift peer ran)")
elif (( ${#worse[@]} )); then
    GOALS+=("Gale's p99 at $last_conns connections no worse than any Swift peer's: **missed** on ${#worse[@]} of ${#p99_figures[@]} comparisons ($(joined "${worse[@]}")); Gale/peer p99: $(joined "${p99_figures[@]}")")
else
    GOALS+=("Gale's p99 at $last_conns connections no worse than any Swift peer's: met on all ${#p99_figures[@]} comparisons; Gale/peer p99: $(joined "${p99_figures[@]}")")
fi
for p in "${ALL_PEERS[@]}"; do
    [[ -z "${UNAVAILABLE[$p]:-}" ]] || NOTES+=("${LABEL[$p]} left out: ${UNAVAILABLE[$p]}")
done
for p in "${ACTIVE[@]}"; do
    for r in $ROUTES; do
        for conns in $CONNECTIONS; do
            v="${RPS["$p|$r|$conns"]:-}"
            [[ -z "$v" ]] || NOTES+=("every round, ${LABEL[$p]}, ${ROUTE_LABEL[$r]}, $conns connections: $(printf '%.0f ' $v | sed 's/ $//; s/ /, /g') req/s; p99 $(echo ${P99["$p|$r|$conns"]} | sed 's/ /, /g') ms")
        done
    done
done
cp "$TMP/nginx/error.log" "$RAW/nginx-error.log" 2>/dev/null || true

# --- versions ------------------------------------------------------------------------------------
# A package's resolved version from a peer package's Package.resolved (written by its build).
resolved() {
    python3 -c 'import json, sys
try:
    pins = json.load(open(sys.argv[1])).get("pins", [])
except OSError:
    pins = []
print(next((p["state"].get("version") or p["state"].get("revision", "?")[:12] for p in pins if p["identity"] == sys.argv[2]), "?"))' "$1/Package.resolved" "$2"
}
report_facts
NGINX_VERSION="$("${NGINX_BIN:-nginx}" -v 2>&1 | sed 's|.*nginx/||' || echo '?')"
PY_VERSION="$("$PYTHON" --version 2>&1 | awk '{ print $2 }')"
TORNADO_VERSION="$("$PYTHON" -c 'import tornado; print(tornado.version)' 2>/dev/null || echo '?')"

{
    echo "# Every peer in one run"
    echo
    echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); load average before the first build or run: $LOAD_BEFORE"
    echo "- machine: $(nproc) CPUs, ${CPU:-unknown CPU}, $(awk '/^MemTotal:/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo); wrk and every server share the CPUs"
    echo "- kernel: $(uname -sr); swift $(swift_version); nginx $NGINX_VERSION; Python $PY_VERSION; Tornado $TORNADO_VERSION; wrk $(wrk_version)"
    echo "- Gale: commit $COMMIT$DIRTY, Benchmarks/peers/GalePeer (\`gale-peer serve --logging error\`: Gale logs each 404 at warning, as Tornado does, and Tornado's access log is off), swift-nio $(resolved "$PEER_DIR/GalePeer" swift-nio)"
    echo "- Hummingbird $(resolved "$PEER_DIR/HummingbirdPeer" hummingbird) with swift-mustache $(resolved "$PEER_DIR/HummingbirdPeer" swift-mustache); Vapor $(resolved "$PEER_DIR/VaporPeer" vapor) with Leaf $(resolved "$PEER_DIR/VaporPeer" leaf) (LeafKit $(resolved "$PEER_DIR/VaporPeer" leaf-kit)); bare NIO: Benchmarks/BareNIO, swift-nio $(resolved "$BENCH/BareNIO" swift-nio)"
    echo "- every Swift peer built with \`swift build -c release\`, each runs one event loop per core; Tornado one process (asyncio); nginx 2 workers"
    echo "- wrk: $THREADS thread(s), $DURATION per run, --latency --timeout $WRK_TIMEOUT; warm-up $WARMUP per peer per route and connection count; $ROUNDS rounds interleaved (round 1 of every peer, then round 2, ...)"
    echo "- each figure: the median of the $ROUNDS rounds (req/s and p99 each their own median)"
    echo
    echo "Requests per second:"
    echo
    printf '| route | connections |'; for p in "${ALL_PEERS[@]}"; do printf ' %s |' "${LABEL[$p]}"; done; echo
    printf '| --- | ---: |'; for p in "${ALL_PEERS[@]}"; do printf ' ---: |'; done; echo
    printf '%s\n' "${RPS_ROWS[@]}"
    echo
    echo "Gale / peer, req/s:"
    echo
    printf '| route | connections |'; for p in "${OTHERS[@]}"; do printf ' Gale/%s |' "${LABEL[$p]}"; done; echo
    printf '| --- | ---: |'; for p in "${OTHERS[@]}"; do printf ' ---: |'; done; echo
    printf '%s\n' "${RATIO_ROWS[@]}"
    echo
    echo "p99 latency at $last_conns connections:"
    echo
    printf '| route |'; for p in "${ALL_PEERS[@]}"; do printf ' %s |' "${LABEL[$p]}"; done; echo
    printf '| --- |'; for p in "${ALL_PEERS[@]}"; do printf ' ---: |'; done; echo
    printf '%s\n' "${P99_ROWS[@]}"
    echo
    echo "Goals:"
    echo
    printf -- '- %s\n' "${GOALS[@]}"
    echo
    echo "Checks before measuring: every peer answered every route it serves with the right status and body (hello: the exact text; JSON: equal to the reference order once parsed; page: 100 rows, equal to Gale's page after normalising whitespace and the apostrophe's entity; static: the file's bytes; 404: the status)."
    printf -- '- %s\n' "${CHECK_NOTES[@]+"${CHECK_NOTES[@]}"}"
    echo
    echo "Notes:"
    echo
    printf -- '- %s\n' "${NOTES[@]+"${NOTES[@]}"}"
} >"$RESULTS/peers-latest.md"
cat "$RESULTS/peers-latest.md"
log "written to $RESULTS/peers-latest.md; raw wrk output, answers and server logs in $RAW/"
