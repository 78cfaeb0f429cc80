#!/usr/bin/env bash
# Benchmarks/static.sh: static files from Gale (the FriendFeed example's /static/) against nginx,
# side by side in one run, both on 127.0.0.1, loaded with wrk over keep-alive connections.
# Two files: 1 KiB and 1 MiB of random bytes. Prints a Markdown table and writes it to
# Benchmarks/results/static-latest.md, with each server's CPU time a request beside req/s (raw
# wrk output, headers and logs go to Benchmarks/results/static-last-run/).
#
# Environment (all optional):
#   DURATION=10s   length of each measured wrk run (wrk syntax: 10s, 1m, ...)
#   WARMUP=1s      an unrecorded wrk run per server before each file's rounds; 0 skips it
#   CONNECTIONS=32 wrk connections
#   THREADS=2      wrk threads
#   ROUNDS=2       measured runs per server per file, alternating nginx, gale, nginx, gale
#   SKIP_BUILD=1   use the friendfeed binary already built
#   GALE_BIN=PATH  measure this friendfeed binary (say, another commit's build) instead; no build
#   CALLGRIND=1    also count Gale's instructions per 1 KiB request under callgrind (wrk with 4
#                  connections for CALLGRIND_SECONDS=4; needs valgrind; about a minute more)
#
# nginx's config is Benchmarks/nginx/static.conf.template, filled in with sed into a temp dir.
# nginx and wrk are installed with apt-get if missing. Both servers are started once and stopped
# by PID on exit (nginx by its master PID, then any worker left). Every request goes to 127.0.0.1
# only; every wait is bounded in time.
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
RESULTS="$BENCH/results"
RAW="$RESULTS/static-last-run"
TEMPLATE="$BENCH/nginx/static.conf.template"

DURATION="${DURATION:-10s}"
WARMUP="${WARMUP:-1s}"
CONNECTIONS="${CONNECTIONS:-32}"
THREADS="${THREADS:-2}"
ROUNDS="${ROUNDS:-2}"
SKIP_BUILD="${SKIP_BUILD:-0}"
CALLGRIND="${CALLGRIND:-0}"
CALLGRIND_SECONDS="${CALLGRIND_SECONDS:-4}"
HOST=127.0.0.1
FILES="1k 1m"
LOG_TAG=static

# What cleanup tidies besides PIDS; set before lib.sh sets the exit trap.
TMP=""
NGINX_MASTER=""
POLICY_RC_CREATED=0
# log, die, PIDS and stop_pids (stopping processes by PID), the wrk helpers, report pieces.
source "$BENCH/lib.sh"
[[ -f "$TEMPLATE" ]] || die "no $TEMPLATE"

# nginx_workers, install_nginx_tools and the nginx-aware cleanup (PIDS, workers, policy-rc.d, TMP).
source "$BENCH/nginx-lib.sh"

# --- tools ---------------------------------------------------------------------------------------
MISSING=()
install_nginx_tools
require_tools curl cmp python3 swift wrk timeout ps
[[ "$CALLGRIND" != 1 ]] || require_tools valgrind callgrind_control strip

# --- build ---------------------------------------------------------------------------------------
GALE_SCRATCH="$ROOT/.build-release"
GALE_BIN_GIVEN="${GALE_BIN:-}"
[[ -z "$GALE_BIN_GIVEN" ]] || SKIP_BUILD=1
if [[ "$SKIP_BUILD" != 1 ]]; then
    log "building friendfeed (release, $GALE_SCRATCH)"
    swift build -c release --package-path "$ROOT" --product friendfeed --scratch-path "$GALE_SCRATCH" >&2
fi
GALE_BIN="${GALE_BIN:-$(swift build -c release --package-path "$ROOT" --scratch-path "$GALE_SCRATCH" --show-bin-path)/friendfeed}"
[[ -x "$GALE_BIN" ]] || die "no $GALE_BIN"

# --- helpers -------------------------------------------------------------------------------------
# A server's RSS in kB: Gale's one process; nginx's master plus its workers.
server_rss_kb() {
    case "$1" in
        gale) rss_kb "$GALE_PID" ;;
        nginx)
            local total pid
            total=$(rss_kb "$NGINX_MASTER")
            for pid in $(nginx_workers "$NGINX_MASTER"); do total=$(( total + $(rss_kb "$pid") )); done
            echo "$total" ;;
    esac
}

url() { echo "http://$HOST:$2/static/$1.bin"; }

# CPU time a server has used, in clock ticks (user + system, every thread): Gale's one process;
# nginx's master plus its workers. Per request, it moves far less with the machine's load than
# req/s does, since time the server spends waiting for a core is not counted.
CLK_TCK="$(getconf CLK_TCK)"
cpu_ticks() { sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | awk '{ print $12 + $13 }'; }
server_cpu_ticks() {
    case "$1" in
        gale) cpu_ticks "$GALE_PID" ;;
        nginx)
            local total pid
            total=$(cpu_ticks "$NGINX_MASTER")
            for pid in $(nginx_workers "$NGINX_MASTER"); do total=$(( total + $(cpu_ticks "$pid") )); done
            echo "$total" ;;
    esac
}

# wrk's Transfer/sec ("812.34KB", "1.23GB"; wrk's units are powers of 1024) in MB (2^20 bytes).
transfer_mb() {
    awk -v v="$1" 'BEGIN {
        n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
        if (u == "B") n /= 1048576; else if (u == "KB") n /= 1024; else if (u == "GB") n *= 1024; else if (u == "TB") n *= 1048576
        printf "%.1f", n }'
}

# Fields of one wrk output file besides lib.sh's: Transfer/sec (raw), bytes read (raw).
wrk_xfer() { awk '/^Transfer\/sec:/ { print $2 }' "$1"; }
wrk_read() { awk '/requests in/ { print $5; exit }' "$1"; }

# --- files, config, servers ----------------------------------------------------------------------
rm -rf "$RAW"
mkdir -p "$RAW"
TMP="$(mktemp -d /tmp/gale-static-bench.XXXXXX)"
mkdir -p "$TMP/files" "$TMP/nginx" "$TMP/check"
head -c 1024 /dev/urandom >"$TMP/files/1k.bin"
head -c 1048576 /dev/urandom >"$TMP/files/1m.bin"
[[ "$(stat -c %s "$TMP/files/1k.bin")" == 1024 && "$(stat -c %s "$TMP/files/1m.bin")" == 1048576 ]] \
    || die "could not write the test files in $TMP/files"

read -r NGINX_PORT GALE_PORT < <(free_ports)
log "ports: nginx $NGINX_PORT, gale $GALE_PORT; DURATION=$DURATION WARMUP=$WARMUP THREADS=$THREADS CONNECTIONS=$CONNECTIONS ROUNDS=$ROUNDS; temp dir $TMP"

NGINX_CONF="$TMP/nginx/nginx.conf"
sed -e "s|@TMP@|$TMP|g" -e "s|@PORT@|$NGINX_PORT|g" \
    -e "s|@USER@|$(id -un)|g" -e "s|@GROUP@|$(id -gn)|g" "$TEMPLATE" >"$NGINX_CONF"
! grep -q '@[A-Z]*@' "$NGINX_CONF" || die "unfilled placeholder in $NGINX_CONF"
cp "$NGINX_CONF" "$RAW/nginx.conf"
"$NGINX_BIN" -t -q -c "$NGINX_CONF" -p "$TMP/nginx/" -e "$TMP/nginx/error.log" >"$RAW/nginx-test.log" 2>&1 \
    || { cat "$RAW/nginx-test.log" >&2; die "nginx -t rejected $NGINX_CONF"; }

log "starting nginx ($("$NGINX_BIN" -v 2>&1 | sed 's|.*nginx/||'))"
"$NGINX_BIN" -c "$NGINX_CONF" -p "$TMP/nginx/" -e "$TMP/nginx/error.log" >"$RAW/nginx.log" 2>&1 &
NGINX_MASTER=$!
PIDS+=("$NGINX_MASTER")
wait_ready nginx "$NGINX_MASTER" "$NGINX_PORT" "$(url 1k "$NGINX_PORT")" "$RAW/nginx-error.log"

log "starting Gale (friendfeed serve)"
FRIENDFEED_COOKIE_SECRET=bench "$GALE_BIN" serve --port "$GALE_PORT" --address "$HOST" \
    --static-path "$TMP/files" --logging warning >"$RAW/gale.log" 2>&1 &
GALE_PID=$!
PIDS+=("$GALE_PID")
wait_ready gale "$GALE_PID" "$GALE_PORT" "$(url 1k "$GALE_PORT")" "$RAW/gale.log"

WORKERS="$(nginx_workers "$NGINX_MASTER" | wc -l)"
[[ "$WORKERS" == 2 ]] || log "warning: nginx has $WORKERS worker(s), expected 2"

# --- the bytes must match before anything is measured --------------------------------------------
# Each server gets one curl with both files and then the 1 MiB file again, so the second and
# third transfers ride the same keep-alive connection as the first.
for s in nginx gale; do
    port=$([[ $s == nginx ]] && echo "$NGINX_PORT" || echo "$GALE_PORT")
    out=$(curl -sS --max-time 10 -D "$RAW/headers-$s.txt" \
        -o "$TMP/check/$s-1k.bin" -o "$TMP/check/$s-1m.bin" -o "$TMP/check/$s-1m-again.bin" \
        -w '%{http_code} %{size_download} %{num_connects}\n' \
        "$(url 1k "$port")" "$(url 1m "$port")" "$(url 1m "$port")") || die "$s: curl failed"
    echo "$out" >"$RAW/check-$s.txt"
    codes=$(awk '{ printf "%s ", $1 }' <<<"$out")
    connects=$(awk '{ n += $3 } END { print n }' <<<"$out")
    [[ "$codes" == "200 200 200 " ]] || die "$s answered $codes(want 200 200 200); see $RAW/headers-$s.txt"
    [[ "$connects" == 1 ]] || log "warning: $s: curl opened $connects connections for 3 requests (keep-alive not reused)"
    for f in 1k 1m 1m-again; do
        cmp -s "$TMP/files/${f%-again}.bin" "$TMP/check/$s-$f.bin" \
            || die "$s served different bytes for ${f%-again}.bin ($(stat -c %s "$TMP/check/$s-$f.bin") bytes received)"
    done
done
for f in 1k 1m; do
    cmp -s "$TMP/check/nginx-$f.bin" "$TMP/check/gale-$f.bin" || die "nginx and Gale differ on $f.bin"
done
log "both servers return identical bytes for 1k.bin and 1m.bin (also on a reused connection)"

sleep 1                                               # let both settle before the idle reading
declare -A RSS_IDLE
for s in nginx gale; do RSS_IDLE[$s]=$(server_rss_kb "$s"); done

# --- run -----------------------------------------------------------------------------------------
declare -A PORT BEST_RPS BEST_XFER BEST_P50 BEST_P99 ALL_RPS BEST_CPU
PORT[nginx]=$NGINX_PORT
PORT[gale]=$GALE_PORT
TABLE_ROWS=()
RATIOS=()
NOTES=()
alive() {
    kill -0 "$NGINX_MASTER" 2>/dev/null || die "nginx (PID $NGINX_MASTER) is gone; see $RAW/nginx-error.log"
    kill -0 "$GALE_PID" 2>/dev/null || die "Gale (PID $GALE_PID) is gone; see $RAW/gale.log"
}

for f in $FILES; do
    label=$([[ $f == 1k ]] && echo "1 KiB" || echo "1 MiB")
    if [[ "$WARMUP" != 0 && "$WARMUP" != 0s ]]; then
        for s in nginx gale; do
            log "warm-up: $s, $label, $WARMUP"
            run_wrk "$(url "$f" "${PORT[$s]}")" "$CONNECTIONS" "$WARMUP" "$RAW/$f-$s-warmup.txt"
        done
    fi
    for s in nginx gale; do BEST_RPS[$s]=0; ALL_RPS[$s]=""; BEST_CPU[$s]=""; done
    for round in $(seq 1 "$ROUNDS"); do
        for s in nginx gale; do                       # alternate, so noise hits both
            out="$RAW/$f-$s-r$round.txt"
            log "round $round: $s, $label, $DURATION"
            alive
            ticks=$(server_cpu_ticks "$s")
            run_wrk "$(url "$f" "${PORT[$s]}")" "$CONNECTIONS" "$DURATION" "$out"
            ticks=$(( $(server_cpu_ticks "$s") - ticks ))
            alive
            rps=$(wrk_rps "$out"); xfer=$(wrk_xfer "$out"); p50=$(wrk_pct "$out" 50); p99=$(wrk_pct "$out" 99)
            cpu=$(awk -v t="$ticks" -v hz="$CLK_TCK" -v n="$(wrk_reqs "$out")" 'BEGIN { printf "%.1f", (n > 0) ? t * 1e6 / hz / n : 0 }')
            if [[ -z "${BEST_CPU[$s]}" ]] || awk -v a="$cpu" -v b="${BEST_CPU[$s]}" 'BEGIN { exit !(a < b) }'; then
                BEST_CPU[$s]=$cpu
            fi
            [[ -n "$rps" && -n "$xfer" && -n "$p50" && -n "$p99" ]] || die "could not parse $out"
            non2xx=$(wrk_non2xx "$out"); sockerr=$(wrk_sockerr "$out")
            log "  $s: $rps req/s, $xfer/s, p50 $p50, p99 $p99, $(wrk_reqs "$out") requests, $(wrk_read "$out") read, non-2xx $non2xx, socket errors $sockerr, CPU $cpu us a request"
            ALL_RPS[$s]+="${ALL_RPS[$s]:+; }$(printf '%.0f' "$rps") req/s, $(transfer_mb "$xfer") MB/s, p50 $(latency_ms "$p50") ms, p99 $(latency_ms "$p99") ms, CPU $cpu us/req"
            [[ "$non2xx" == 0 ]] || NOTES+=("$s, $label, round $round: $non2xx non-2xx/3xx responses")
            [[ "$sockerr" == none ]] || NOTES+=("$s, $label, round $round: socket errors: $sockerr")
            if awk -v a="$rps" -v b="${BEST_RPS[$s]}" 'BEGIN { exit !(a > b) }'; then
                BEST_RPS[$s]=$rps; BEST_XFER[$s]=$xfer; BEST_P50[$s]=$p50; BEST_P99[$s]=$p99
            fi
        done
    done
    for s in nginx gale; do
        name=$([[ $s == nginx ]] && echo "nginx" || echo "Gale")
        TABLE_ROWS+=("| $label | $name | $(printf '%.0f' "${BEST_RPS[$s]}") | $(transfer_mb "${BEST_XFER[$s]}") | $(latency_ms "${BEST_P50[$s]}") ms | $(latency_ms "${BEST_P99[$s]}") ms | $(mib "$(server_rss_kb "$s")") |")
        NOTES+=("every round, $name, $label: ${ALL_RPS[$s]}")
    done
    target=$([[ $f == 1k ]] && echo 0.80 || echo 0.90)
    ratio=$(awk -v g="${BEST_RPS[gale]}" -v n="${BEST_RPS[nginx]}" 'BEGIN { printf "%.2f", g / n }')
    verdict=$(awk -v r="$ratio" -v t="$target" 'BEGIN {
        d = (r - t) * 100
        if (r >= t) printf "met (%.0f points above)", d; else printf "MISSED by %.0f points", -d }')
    RATIOS+=("Gale/nginx req/s = $ratio for $label (target >= $target): $verdict")
    RATIOS+=("CPU a request for $label (least of the rounds): nginx ${BEST_CPU[nginx]} us, Gale ${BEST_CPU[gale]} us; nginx/Gale = $(awk -v n="${BEST_CPU[nginx]}" -v g="${BEST_CPU[gale]}" 'BEGIN { printf "%.2f", (g > 0) ? n / g : 0 }') (the req/s ratio were both servers held back by their CPU alone)")
done

for s in nginx gale; do
    name=$([[ $s == nginx ]] && echo "nginx (master + workers)" || echo "Gale")
    NOTES+=("RSS idle (1 s after both first answered), $name: $(mib "${RSS_IDLE[$s]}")")
done
# Anything either server logged (Gale logs warnings and errors only here; nginx at warn).
extra=$(grep -cv 'listening on\|serving on' "$RAW/gale.log" || true)
[[ "$extra" == 0 ]] || NOTES+=("Gale printed $extra log line(s), see results/static-last-run/gale.log")
cp "$TMP/nginx/error.log" "$RAW/nginx-error.log" 2>/dev/null || true
extra=$(grep -cv '^$' "$RAW/nginx-error.log" 2>/dev/null || true)
[[ "${extra:-0}" == 0 ]] || NOTES+=("nginx logged $extra line(s), see results/static-last-run/nginx-error.log")
# Response header sizes (from the curl check), as wrk's bytes read also count them.
for s in nginx gale; do
    hdr=$(awk 'BEGIN { RS = "\r\n\r\n" } NR == 1 { print length($0) + 4 }' "$RAW/headers-$s.txt")
    NOTES+=("$s response head for 1k.bin: $hdr bytes (see results/static-last-run/headers-$s.txt)")
done

# Instructions per 1 KiB request, which the machine's load does not move as it moves req/s: a
# second Gale under callgrind on its own port, after the wrk rounds (the first server still runs).
if [[ "$CALLGRIND" == 1 ]]; then
    read -r CG_PORT _ < <(free_ports)
    log "callgrind: Gale, 1 KiB, ${CALLGRIND_SECONDS}s"
    CG_PATH=/static/1k.bin FRIENDFEED_COOKIE_SECRET=bench callgrind_per_request gale-static "$CG_PORT" \
        "$CALLGRIND_SECONDS" "$RAW" "$GALE_BIN" serve --port "$CG_PORT" --address "$HOST" \
        --static-path "$TMP/files" --logging warning
    RATIOS+=("Gale instructions per 1 KiB request (callgrind, user space): $CG_PER_REQUEST ($CG_INSTRUCTIONS over $CG_REQUESTS requests)")
fi

# --- report --------------------------------------------------------------------------------------
report_facts
{
    echo "# Static files: Gale vs nginx"
    echo
    report_machine
    echo "- Gale: ${GALE_BIN_GIVEN:+the binary $GALE_BIN_GIVEN, not }commit $COMMIT$DIRTY, \`friendfeed serve --logging warning --static-path TMP/files\` (GET /static/NAME.bin); swift $(swift_version)"
    echo "- nginx: $("$NGINX_BIN" -v 2>&1 | sed 's|.*nginx/||'), Benchmarks/nginx/static.conf.template: worker_processes 2, sendfile, tcp_nopush, access_log off, no gzip, keepalive_requests 1000000"
    echo "- wrk: $(wrk_version), $THREADS threads, $CONNECTIONS keep-alive connections, $DURATION per run, --latency; warm-up $WARMUP per server per file"
    echo "- each figure: best of $ROUNDS rounds by req/s (rounds alternate nginx, gale, nginx, gale); MB/s (wrk's Transfer/sec, 2^20 bytes), p50 and p99 from that same round"
    echo "- RSS after: VmRSS after that file's runs (nginx: master + its $WORKERS workers)"
    echo
    echo "| file | server | req/s | MB/s | p50 | p99 | RSS after |"
    echo "| --- | --- | ---: | ---: | ---: | ---: | ---: |"
    report_rows_and_notes
} >"$RESULTS/static-latest.md"
cat "$RESULTS/static-latest.md"
log "written to $RESULTS/static-latest.md; raw wrk output, headers and logs in $RAW/"
