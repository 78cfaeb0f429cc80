#!/usr/bin/env bash
# Benchmarks/gateway.sh: Gale behind a web server's gateway interfaces, against C baselines.
#
# Gale's side is the `hello` example (Examples/Hello) everywhere; every program answers the same
# `Hello, world` body (text/html; charset=UTF-8, with a Content-Length).
#
#  1. FastCGI, side by side in one run through the same nginx: Gale's `hello fastcgi` (GET /)
#     against a minimal C libfcgi hello (Benchmarks/gateway/hello-fcgi.c, anything under /c/),
#     each on its own unix socket, each with 2 threads; loaded with wrk over keep-alive
#     connections to nginx. Target: Gale >= 0.80x the C server's req/s.
#  2. CGI, one process per request (GET /): `hello` started with GATEWAY_INTERFACE set and no
#     arguments, in two builds, the dynamic release build and the fully static executable that
#     `make cgi-static PRODUCT=hello` makes, against a C CGI hello (gateway/hello-cgi.c) and a
#     Python one (gateway/hello-cgi.py), all four in one hyperfine run. Target: the static build
#     within 3x of C and far below Python; the dynamic build's ratio to C is reported as a figure.
#
# Prints a Markdown table and writes it to Benchmarks/results/gateway-latest.md (raw wrk and
# hyperfine output, headers, logs and the filled-in nginx config go to
# Benchmarks/results/gateway-last-run/).
#
# Environment (all optional):
#   DURATION=10s   length of each measured wrk run (wrk syntax: 10s, 1m, ...)
#   WARMUP=1s      an unrecorded wrk run per server before the rounds; 0 skips it
#   CONNECTIONS=32 wrk connections
#   THREADS=2      wrk threads
#   ROUNDS=2       measured wrk runs per server, alternating C, Gale, C, Gale
#   CGI_RUNS=50    hyperfine runs per CGI program (after CGI_WARMUP=3 unrecorded ones)
#   PYTHON=...     the Python for the CGI baseline (default /usr/bin/python3, else python3's
#                  sys.executable, so a pyenv shim's own start-up is not measured)
#   SKIP_BUILD=1   use the hello binaries already built (.build-release and .build-static)
#
# nginx, wrk, hyperfine, gcc and libfcgi-dev are installed with apt-get if missing. The C programs
# are built with gcc -O2 into a temp dir. Every process is stopped by PID on exit (nginx by its
# master PID, then any worker left); every request goes to 127.0.0.1 or a unix socket in the temp
# dir; every wait is bounded in time.
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
RESULTS="$BENCH/results"
RAW="$RESULTS/gateway-last-run"
TEMPLATE="$BENCH/nginx/gateway.conf.template"
SRC="$BENCH/gateway"

DURATION="${DURATION:-10s}"
WARMUP="${WARMUP:-1s}"
CONNECTIONS="${CONNECTIONS:-32}"
THREADS="${THREADS:-2}"
ROUNDS="${ROUNDS:-2}"
CGI_RUNS="${CGI_RUNS:-50}"
CGI_WARMUP="${CGI_WARMUP:-3}"
SKIP_BUILD="${SKIP_BUILD:-0}"
HOST=127.0.0.1
LOG_TAG=gateway

# What cleanup tidies besides PIDS; set before lib.sh sets the exit trap.
TMP=""
NGINX_MASTER=""
POLICY_RC_CREATED=0
# log, die, PIDS and stop_pids (stopping processes by PID), the wrk helpers, report pieces.
source "$BENCH/lib.sh"
[[ -f "$TEMPLATE" ]] || die "no $TEMPLATE"
for f in hello-fcgi.c hello-cgi.c hello-cgi.py; do [[ -f "$SRC/$f" ]] || die "no $SRC/$f"; done
[[ "$CGI_RUNS" =~ ^[0-9]+$ && "$CGI_WARMUP" =~ ^[0-9]+$ ]] || die "CGI_RUNS and CGI_WARMUP must be whole numbers"

# nginx_workers, install_nginx_tools and the nginx-aware cleanup (PIDS, workers, policy-rc.d, TMP).
source "$BENCH/nginx-lib.sh"

# --- tools ---------------------------------------------------------------------------------------
MISSING=()
command -v hyperfine >/dev/null 2>&1 || MISSING+=(hyperfine)
command -v gcc >/dev/null 2>&1 || MISSING+=(gcc)
[[ -f /usr/include/fcgiapp.h ]] || MISSING+=(libfcgi-dev)
install_nginx_tools
[[ -f /etc/nginx/fastcgi_params ]] || die "no /etc/nginx/fastcgi_params (it comes with Debian's nginx-common)"
require_tools curl python3 swift wrk hyperfine gcc readelf timeout ps
# The Python that runs the CGI baseline: the interpreter itself, never a pyenv-style shim script.
if [[ -z "${PYTHON:-}" ]]; then
    if [[ -x /usr/bin/python3 ]]; then PYTHON=/usr/bin/python3
    else PYTHON="$(python3 -c 'import sys; print(sys.executable)')"; fi
fi
[[ -x "$PYTHON" ]] || die "PYTHON=$PYTHON is not executable"

# --- build ---------------------------------------------------------------------------------------
rm -rf "$RAW"
mkdir -p "$RAW"
TMP="$(mktemp -d /tmp/gale-gateway-bench.XXXXXX)"
mkdir -p "$TMP/bin" "$TMP/nginx" "$TMP/check"
chmod 755 "$TMP"                                      # nginx's workers reach the sockets in here

log "building the C baselines (gcc -O2) into $TMP/bin"
gcc -O2 -Wall -o "$TMP/bin/hello-fcgi" "$SRC/hello-fcgi.c" -lfcgi -lpthread >&2
gcc -O2 -Wall -o "$TMP/bin/hello-cgi" "$SRC/hello-cgi.c" >&2

# Two builds of the hello example: the dynamic release build (FastCGI and CGI) and the fully
# static executable, built exactly as `make cgi-static PRODUCT=hello` does (CGI only).
GALE_SCRATCH="$ROOT/.build-release"
GALE_STATIC_SCRATCH="$ROOT/.build-static"
if [[ "$SKIP_BUILD" != 1 ]]; then
    log "building hello (release, dynamic, $GALE_SCRATCH)"
    swift build -c release --package-path "$ROOT" --product hello --scratch-path "$GALE_SCRATCH" >&2
    log "building hello (release, static executable, $GALE_STATIC_SCRATCH); glibc's linker warnings about getpwnam and friends are expected"
    swift build -c release --package-path "$ROOT" --static-swift-stdlib -Xswiftc -static-executable \
        --product hello --scratch-path "$GALE_STATIC_SCRATCH" >&2
fi
GALE_BIN="$(swift build -c release --package-path "$ROOT" --scratch-path "$GALE_SCRATCH" --show-bin-path)/hello"
GALE_STATIC_BIN="$(swift build -c release --package-path "$ROOT" --scratch-path "$GALE_STATIC_SCRATCH" --show-bin-path)/hello"
[[ -x "$GALE_BIN" ]] || die "no $GALE_BIN (SKIP_BUILD=1 needs it built)"
[[ -x "$GALE_STATIC_BIN" ]] || die "no $GALE_STATIC_BIN (SKIP_BUILD=1 needs it built: make cgi-static PRODUCT=hello)"
# A static executable has no program interpreter (no ld.so), so it loads no shared library.
if LC_ALL=C readelf -l "$GALE_STATIC_BIN" 2>/dev/null | grep -q 'INTERP'; then
    die "$GALE_STATIC_BIN is dynamically linked; rebuild it (without SKIP_BUILD=1)"
fi

# --- helpers -------------------------------------------------------------------------------------
# Waits (at most 10 s) until PID has made the unix socket PATH; fails if PID dies first.
wait_socket() {
    local name="$1" pid="$2" path="$3" logfile="$4" deadline=$(( SECONDS + 10 ))
    while (( SECONDS < deadline )); do
        kill -0 "$pid" 2>/dev/null || die "$name (PID $pid) exited before listening; see $logfile"
        [[ -S "$path" ]] && return 0
        sleep 0.1
    done
    die "$name made no socket at $path within 10 s; see $logfile"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
# The body every program must answer, byte for byte.
EXPECTED_BODY="Hello, world"
# True if FILE holds exactly EXPECTED_BODY (no trailing newline).
is_expected_body() { [[ "$(wc -c <"$1")" == "${#EXPECTED_BODY}" && "$(cat "$1")" == "$EXPECTED_BODY" ]]; }
# Splits a CGI answer (FILE) at its first blank line: head to HEAD, body to BODY.
split_cgi() {
    python3 -c 'import sys
data = open(sys.argv[1], "rb").read()
cuts = [(i, len(sep)) for sep in (b"\r\n\r\n", b"\n\n") for i in [data.find(sep)] if i >= 0]
if not cuts:
    sys.exit("no blank line after the CGI header")
i, n = min(cuts)
open(sys.argv[2], "wb").write(data[:i])
open(sys.argv[3], "wb").write(data[i + n:])' "$1" "$2" "$3"
}

# --- servers: C FastCGI, Gale FastCGI, nginx in front of both -------------------------------------
C_SOCK="$TMP/c.sock"
GALE_SOCK="$TMP/gale.sock"
read -r PORT _ < <(free_ports)
log "nginx on $HOST:$PORT; DURATION=$DURATION WARMUP=$WARMUP THREADS=$THREADS CONNECTIONS=$CONNECTIONS ROUNDS=$ROUNDS CGI_RUNS=$CGI_RUNS; temp dir $TMP"

log "starting the C FastCGI hello (2 threads)"
"$TMP/bin/hello-fcgi" "$C_SOCK" >"$RAW/c-fcgi.log" 2>&1 &
C_PID=$!
PIDS+=("$C_PID")
wait_socket "C FastCGI" "$C_PID" "$C_SOCK" "$RAW/c-fcgi.log"

log "starting Gale (hello fastcgi --threads 2)"
"$GALE_BIN" fastcgi --socket "$GALE_SOCK" --socket-mode 666 \
    --threads 2 --logging warning >"$RAW/gale-fcgi.log" 2>&1 &
GALE_PID=$!
PIDS+=("$GALE_PID")
wait_socket "Gale FastCGI" "$GALE_PID" "$GALE_SOCK" "$RAW/gale-fcgi.log"

NGINX_CONF="$TMP/nginx/nginx.conf"
sed -e "s|@TMP@|$TMP|g" -e "s|@PORT@|$PORT|g" -e "s|@C_SOCK@|$C_SOCK|g" -e "s|@GALE_SOCK@|$GALE_SOCK|g" \
    -e "s|@USER@|$(id -un)|g" -e "s|@GROUP@|$(id -gn)|g" "$TEMPLATE" >"$NGINX_CONF"
! grep -q '@[A-Z_]*@' "$NGINX_CONF" || die "unfilled placeholder in $NGINX_CONF"
cp "$NGINX_CONF" "$RAW/nginx.conf"
"$NGINX_BIN" -t -q -c "$NGINX_CONF" -p "$TMP/nginx/" -e "$TMP/nginx/error.log" >"$RAW/nginx-test.log" 2>&1 \
    || { cat "$RAW/nginx-test.log" >&2; die "nginx -t rejected $NGINX_CONF"; }

NGINX_VERSION="$("$NGINX_BIN" -v 2>&1 | sed 's|.*nginx/||')"
log "starting nginx ($NGINX_VERSION)"
"$NGINX_BIN" -c "$NGINX_CONF" -p "$TMP/nginx/" -e "$TMP/nginx/error.log" >"$RAW/nginx.log" 2>&1 &
NGINX_MASTER=$!
PIDS+=("$NGINX_MASTER")

declare -A URL NAME PID
URL[c]="http://$HOST:$PORT/c/hello"
URL[gale]="http://$HOST:$PORT/"
NAME[c]="C libfcgi hello"
NAME[gale]="Gale (hello fastcgi)"
PID[c]=$C_PID
PID[gale]=$GALE_PID
alive() {
    kill -0 "$NGINX_MASTER" 2>/dev/null || die "nginx (PID $NGINX_MASTER) is gone; see $RAW/nginx-error.log"
    kill -0 "$C_PID" 2>/dev/null || die "the C FastCGI server (PID $C_PID) is gone; see $RAW/c-fcgi.log"
    kill -0 "$GALE_PID" 2>/dev/null || die "Gale (PID $GALE_PID) is gone; see $RAW/gale-fcgi.log"
}
wait_ready nginx "$NGINX_MASTER" "$PORT" "${URL[c]}" "$RAW/nginx-error.log"
wait_ready nginx "$NGINX_MASTER" "$PORT" "${URL[gale]}" "$RAW/nginx-error.log"
alive
WORKERS="$(nginx_workers "$NGINX_MASTER" | wc -l)"
[[ "$WORKERS" == 2 ]] || log "warning: nginx has $WORKERS worker(s), expected 2"

# --- both must answer 200 with the same hello before anything is measured -------------------------
for s in c gale; do
    code=$(curl -sS --max-time 5 -D "$RAW/headers-$s.txt" -o "$TMP/check/$s.txt" -w '%{http_code}' "${URL[$s]}") \
        || die "$s: curl failed"
    [[ "$code" == 200 ]] || die "${NAME[$s]} answered $code to ${URL[$s]} (want 200); see $RAW/headers-$s.txt"
    cp "$TMP/check/$s.txt" "$RAW/body-$s.txt"
    is_expected_body "$TMP/check/$s.txt" \
        || die "${NAME[$s]}'s body at ${URL[$s]} is '$(cat "$TMP/check/$s.txt")' (want exactly '$EXPECTED_BODY')"
    grep -qi '^Content-Type: text/html; charset=UTF-8'$'\r''$' "$RAW/headers-$s.txt" \
        || die "${NAME[$s]} did not answer Content-Type: text/html; charset=UTF-8; see $RAW/headers-$s.txt"
done
log "both answer 200 through nginx with exactly '$EXPECTED_BODY' (text/html; charset=UTF-8)"

# --- FastCGI: wrk through nginx ------------------------------------------------------------------
declare -A BEST_RPS BEST_P50 BEST_P99 ALL_RPS
TABLE_ROWS=()
RATIOS=()
NOTES=()
if [[ "$WARMUP" != 0 && "$WARMUP" != 0s ]]; then
    for s in c gale; do
        log "warm-up: $s, $WARMUP"
        run_wrk "${URL[$s]}" "$CONNECTIONS" "$WARMUP" "$RAW/fcgi-$s-warmup.txt"
    done
fi
for s in c gale; do BEST_RPS[$s]=0; ALL_RPS[$s]=""; done
for round in $(seq 1 "$ROUNDS"); do
    for s in c gale; do                               # alternate, so noise hits both
        out="$RAW/fcgi-$s-r$round.txt"
        log "round $round: $s, $DURATION"
        alive
        run_wrk "${URL[$s]}" "$CONNECTIONS" "$DURATION" "$out"
        alive
        rps=$(wrk_rps "$out"); p50=$(wrk_pct "$out" 50); p99=$(wrk_pct "$out" 99)
        [[ -n "$rps" && -n "$p50" && -n "$p99" ]] || die "could not parse $out"
        non2xx=$(wrk_non2xx "$out"); sockerr=$(wrk_sockerr "$out")
        log "  $s: $rps req/s, p50 $p50, p99 $p99, $(wrk_reqs "$out") requests, non-2xx $non2xx, socket errors $sockerr"
        ALL_RPS[$s]+="${ALL_RPS[$s]:+; }$(printf '%.0f' "$rps") req/s, p50 $(latency_ms "$p50") ms, p99 $(latency_ms "$p99") ms"
        [[ "$non2xx" == 0 ]] || NOTES+=("FastCGI, ${NAME[$s]}, round $round: $non2xx non-2xx/3xx responses")
        [[ "$sockerr" == none ]] || NOTES+=("FastCGI, ${NAME[$s]}, round $round: socket errors: $sockerr")
        if awk -v a="$rps" -v b="${BEST_RPS[$s]}" 'BEGIN { exit !(a > b) }'; then
            BEST_RPS[$s]=$rps; BEST_P50[$s]=$p50; BEST_P99[$s]=$p99
        fi
    done
done
declare -A RSS_AFTER
for s in c gale; do RSS_AFTER[$s]=$(rss_kb "${PID[$s]}"); done
FCGI_RATIO=$(ratio "${BEST_RPS[gale]}" "${BEST_RPS[c]}")
FCGI_VERDICT=$(awk -v r="$FCGI_RATIO" 'BEGIN {
    d = (r - 0.80) * 100
    if (r >= 0.80) printf "met (%.0f points above)", d; else printf "MISSED by %.0f points", -d }')
RATIOS+=("Gale/C FastCGI req/s = $FCGI_RATIO (target >= 0.80): $FCGI_VERDICT")
for s in c gale; do
    NOTES+=("every FastCGI round, ${NAME[$s]}: ${ALL_RPS[$s]}")
    hdr=$(awk 'BEGIN { RS = "\r\n\r\n" } NR == 1 { print length($0) + 4 }' "$RAW/headers-$s.txt")
    NOTES+=("${NAME[$s]}: response through nginx is a $hdr-byte head and a $(stat -c %s "$RAW/body-$s.txt")-byte body (results/gateway-last-run/headers-$s.txt)")
done

# nginx and both backends stay up only for the FastCGI part.
alive
cp "$TMP/nginx/error.log" "$RAW/nginx-error.log" 2>/dev/null || true
stop_pids
NGINX_MASTER=""

# --- CGI one-shot: hyperfine, one process per request ---------------------------------------------
# The CGI request each program sees; hyperfine passes its environment on to the commands.
CGI_ENV=(GATEWAY_INTERFACE=CGI/1.1 REQUEST_METHOD=GET REQUEST_URI=/ SCRIPT_NAME= PATH_INFO=/
         QUERY_STRING= SERVER_PROTOCOL=HTTP/1.1 SERVER_NAME=localhost SERVER_PORT=80 REMOTE_ADDR=127.0.0.1)
CGI_PROGRAMS=(c gale-static gale-dynamic python)
declare -A CGI_CMD
CGI_CMD[c]="$TMP/bin/hello-cgi"
CGI_CMD[gale-static]="$GALE_STATIC_BIN"
CGI_CMD[gale-dynamic]="$GALE_BIN"
CGI_CMD[python]="$PYTHON $SRC/hello-cgi.py"
declare -A CGI_NAME                                   # NAME keeps the FastCGI programs' names
CGI_NAME[c]="C CGI hello"
CGI_NAME[gale-static]="Gale (hello, static executable)"
CGI_NAME[gale-dynamic]="Gale (hello, dynamic release build)"
CGI_NAME[python]="Python CGI hello"
for s in "${CGI_PROGRAMS[@]}"; do
    # shellcheck disable=SC2086  # the Python command is two words, on purpose
    env "${CGI_ENV[@]}" timeout 10 ${CGI_CMD[$s]} >"$RAW/cgi-$s.out" 2>"$RAW/cgi-$s.err" \
        || die "CGI $s exited $?; see $RAW/cgi-$s.err"
    head -n 1 "$RAW/cgi-$s.out" | grep -q '^Status: 200' \
        || die "CGI $s did not start with Status: 200; see $RAW/cgi-$s.out"
    split_cgi "$RAW/cgi-$s.out" "$TMP/check/cgi-$s.head" "$TMP/check/cgi-$s.body" \
        || die "CGI $s: cannot split its answer; see $RAW/cgi-$s.out"
    is_expected_body "$TMP/check/cgi-$s.body" \
        || die "CGI $s answered the body '$(cat "$TMP/check/cgi-$s.body")' (want exactly '$EXPECTED_BODY'); see $RAW/cgi-$s.out"
    grep -qi '^Content-Type: text/html; charset=UTF-8'$'\r''\?$' "$TMP/check/cgi-$s.head" \
        || die "CGI $s did not answer Content-Type: text/html; charset=UTF-8; see $RAW/cgi-$s.out"
done
log "all four CGI programs answer Status: 200 with exactly '$EXPECTED_BODY'"

log "hyperfine: $CGI_WARMUP warm-up + $CGI_RUNS runs each, no shell (-N)"
HF_ARGS=()
for s in "${CGI_PROGRAMS[@]}"; do HF_ARGS+=(-n "$s" "${CGI_CMD[$s]}"); done
CGI_LIMIT=$(( (CGI_RUNS + CGI_WARMUP) * ${#CGI_PROGRAMS[@]} + 60 ))   # generous: 1 s a run for each
env "${CGI_ENV[@]}" timeout --kill-after=5 "$CGI_LIMIT" \
    hyperfine -N --warmup "$CGI_WARMUP" --runs "$CGI_RUNS" --style basic \
    --export-json "$RAW/cgi-hyperfine.json" --export-markdown "$RAW/cgi-hyperfine.md" \
    "${HF_ARGS[@]}" >"$RAW/cgi-hyperfine.txt" 2>&1 &
HF_PID=$!
PIDS+=("$HF_PID")
rc=0; wait "$HF_PID" || rc=$?
forget_pid "$HF_PID"
(( rc == 0 )) || die "hyperfine failed or timed out (exit $rc); see $RAW/cgi-hyperfine.txt"

declare -A CGI_MEAN CGI_SD CGI_MIN CGI_MAX
while read -r s mean sd min max; do
    CGI_MEAN[$s]=$mean; CGI_SD[$s]=$sd; CGI_MIN[$s]=$min; CGI_MAX[$s]=$max
done < <(python3 -c 'import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print(r["command"], *("%.3f" % (r[k] * 1000) for k in ("mean", "stddev", "min", "max")))' "$RAW/cgi-hyperfine.json")
for s in "${CGI_PROGRAMS[@]}"; do [[ -n "${CGI_MEAN[$s]:-}" ]] || die "no hyperfine result for $s in $RAW/cgi-hyperfine.json"; done
times_c() { awk -v g="$1" -v c="${CGI_MEAN[c]}" 'BEGIN { printf "%.1f", g / c }'; }
CGI_RATIO_C=$(times_c "${CGI_MEAN[gale-static]}")
CGI_RATIO_C_DYNAMIC=$(times_c "${CGI_MEAN[gale-dynamic]}")
CGI_RATIO_PY=$(ratio "${CGI_MEAN[gale-static]}" "${CGI_MEAN[python]}")
CGI_VERDICT_C=$(awk -v r="$CGI_RATIO_C" 'BEGIN {
    if (r <= 3) printf "met (%.1fx to spare)", 3 - r; else printf "MISSED by %.1fx", r - 3 }')
# "Far below Python" is read as: Gale at most half of Python's time.
CGI_VERDICT_PY=$(awk -v r="$CGI_RATIO_PY" 'BEGIN {
    if (r <= 0.5) printf "met (Gale %.1fx faster)", 1 / r; else printf "MISSED (Gale at %.0f%% of Python'"'"'s time; target <= 50%%)", r * 100 }')
RATIOS+=("Gale (static executable)/C CGI time = $CGI_RATIO_C (target <= 3): $CGI_VERDICT_C")
RATIOS+=("Gale (dynamic release build)/C CGI time = $CGI_RATIO_C_DYNAMIC (no target; for comparison)")
RATIOS+=("Gale (static executable)/Python CGI time = $CGI_RATIO_PY (target: far below Python, read as <= 0.50): $CGI_VERDICT_PY")
for s in "${CGI_PROGRAMS[@]}"; do
    NOTES+=("CGI, ${CGI_NAME[$s]}: mean ${CGI_MEAN[$s]} ± ${CGI_SD[$s]} ms, min ${CGI_MIN[$s]}, max ${CGI_MAX[$s]} ms over $CGI_RUNS runs")
done
NOTES+=("hello's size on disk: static executable $(mib "$(( $(stat -c %s "$GALE_STATIC_BIN") / 1024 ))"), dynamic release build $(mib "$(( $(stat -c %s "$GALE_BIN") / 1024 ))") plus the Swift runtime's shared libraries")
for s in gale-static gale-dynamic; do
    gale_cgi_err=$(grep -cv '^$' "$RAW/cgi-$s.err" || true)
    [[ "$gale_cgi_err" == 0 ]] || NOTES+=("${CGI_NAME[$s]} as CGI wrote $gale_cgi_err line(s) to stderr for one request (see results/gateway-last-run/cgi-$s.err); hyperfine discards it")
done

# Anything a server logged under load.
for f in c-fcgi gale-fcgi; do
    extra=$(grep -cv 'listening on\|serving on\|^$' "$RAW/$f.log" || true)
    [[ "$extra" == 0 ]] || NOTES+=("$f printed $extra log line(s), see results/gateway-last-run/$f.log")
done
extra=$(grep -cv '^$' "$RAW/nginx-error.log" 2>/dev/null || true)
[[ "${extra:-0}" == 0 ]] || NOTES+=("nginx logged $extra line(s), see results/gateway-last-run/nginx-error.log")

# --- report --------------------------------------------------------------------------------------
for s in c gale; do
    TABLE_ROWS+=("| FastCGI via nginx, GET ${URL[$s]#http://$HOST:$PORT} | ${NAME[$s]} | $(printf '%.0f' "${BEST_RPS[$s]}") req/s | $(latency_ms "${BEST_P50[$s]}") ms | $(latency_ms "${BEST_P99[$s]}") ms | $(mib "${RSS_AFTER[$s]}") |")
done
for s in "${CGI_PROGRAMS[@]}"; do
    TABLE_ROWS+=("| CGI one-shot, GET / | ${CGI_NAME[$s]} | ${CGI_MEAN[$s]} ms/request | | | |")
done

report_facts
{
    echo "# Gateways: Gale FastCGI and CGI vs C (and Python) hellos"
    echo
    report_machine
    echo "- Gale: commit $COMMIT$DIRTY; swift $(swift_version)"
    echo "  - app: the hello example (Examples/Hello), GET / answers \`$EXPECTED_BODY\` (text/html; charset=UTF-8)"
    echo "  - FastCGI: \`hello fastcgi --socket TMP/gale.sock --socket-mode 666 --threads 2 --logging warning\` (dynamic release build), GET /"
    echo "  - CGI: \`hello\` with no arguments, GATEWAY_INTERFACE=CGI/1.1 REQUEST_METHOD=GET REQUEST_URI=/, in two builds:"
    echo "    - static executable, as \`make cgi-static PRODUCT=hello\`: swift build -c release --static-swift-stdlib -Xswiftc -static-executable (.build-static)"
    echo "    - dynamic release build: swift build -c release (.build-release), the FastCGI binary"
    echo "- C: Benchmarks/gateway/hello-fcgi.c (libfcgi re-entrant API, 2 threads) and hello-cgi.c, gcc $(gcc -dumpfullversion) -O2; same body and Content-Type as Gale"
    echo "- Python: Benchmarks/gateway/hello-cgi.py, $("$PYTHON" -V 2>&1) ($PYTHON)"
    echo "- nginx: $NGINX_VERSION, Benchmarks/nginx/gateway.conf.template: worker_processes 2, stock fastcgi_params, one FastCGI connection per request (nginx's default), access_log off"
    echo "- wrk: $(wrk_version), $THREADS threads, $CONNECTIONS keep-alive connections to nginx, $DURATION per run, --latency; warm-up $WARMUP per server"
    echo "- FastCGI figures: best of $ROUNDS rounds by req/s (rounds alternate C, Gale, C, Gale); p50 and p99 from that same round; RSS of the FastCGI process after its runs"
    echo "- CGI figures: hyperfine $(hyperfine --version | awk '{ print $2 }') mean wall time per process, -N (no shell), $CGI_WARMUP warm-up + $CGI_RUNS runs each, all four programs in one run"
    echo
    echo "| gateway | program | throughput or time | p50 | p99 | RSS after |"
    echo "| --- | --- | ---: | ---: | ---: | ---: |"
    report_rows_and_notes
} >"$RESULTS/gateway-latest.md"
cat "$RESULTS/gateway-latest.md"
log "written to $RESULTS/gateway-latest.md; raw output, headers and logs in $RAW/"
