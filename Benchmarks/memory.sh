#!/usr/bin/env bash
# Benchmarks/memory.sh: resident memory (RSS) of Gale's `hello` and `friendfeed` and of the bare
# SwiftNIO hello (Benchmarks/BareNIO), all release builds serving on 127.0.0.1:
#   1. idle: each server started SAMPLES times, VmRSS read 1 s after it first answered (median),
#      and /proc/PID/smaps of one start summed by mapping (the executable, the Swift libraries,
#      the C libraries, anonymous memory) and thread count;
#   2. connections: hello and the bare server started fresh, CONNECTIONS idle keep-alive
#      connections opened by one Python asyncio client (Benchmarks/idle-connections.py), the RSS
#      read with them open, again after one GET on each (answered, kept open), and after they
#      are all closed; per connection = the growth over the idle RSS / CONNECTIONS.
# Both for the default build (`swift build -c release`: the Swift runtime and FoundationEssentials
# as shared libraries) and, with STATIC=1 (the default), for fully static executables built the
# way `make cgi-static` builds them (--static-swift-stdlib -Xswiftc -static-executable).
# Prints a Markdown report and writes it to Benchmarks/results/memory-latest.md (server logs and
# smaps in Benchmarks/results/memory-last-run/).
#
# Environment (all optional):
#   CONNECTIONS=10000  idle connections to hold open (the open-files limit is raised to fit)
#   SAMPLES=3          fresh starts per server for the idle figure
#   STATIC=1           also build and measure the fully static executables; 0 skips them
#   SKIP_BUILD=1       use the binaries already built
#   GALE_SCRATCH, STATIC_SCRATCH  Gale's scratch paths (.build-release; .build-static, as cgi-static)
#
# Every server is stopped by PID on exit; every wait is bounded in time.
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
RESULTS="$BENCH/results"
RAW="$RESULTS/memory-last-run"

CONNECTIONS="${CONNECTIONS:-10000}"
SAMPLES="${SAMPLES:-3}"
STATIC="${STATIC:-1}"
SKIP_BUILD="${SKIP_BUILD:-0}"
HOST=127.0.0.1
LOG_TAG=bench-memory
DURATION=1s # lib.sh checks it; nothing here runs wrk

# log, die, PIDS and cleanup (stopping servers by PID on exit), rss_kb, mib, wait_ready, report pieces.
source "$BENCH/lib.sh"
require_tools curl python3 swift timeout awk sort ldd
[[ "$CONNECTIONS" =~ ^[0-9]+$ && "$CONNECTIONS" -gt 0 ]] || die "CONNECTIONS=$CONNECTIONS: use a positive number"
[[ "$SAMPLES" =~ ^[0-9]+$ && "$SAMPLES" -gt 0 ]] || die "SAMPLES=$SAMPLES: use a positive number"

# The server and the client each hold one descriptor per connection, plus their own few.
wanted_files=$(( CONNECTIONS + 256 ))
if (( $(ulimit -Sn) < wanted_files )); then
    (( $(ulimit -Hn) >= wanted_files )) \
        || die "CONNECTIONS=$CONNECTIONS needs $wanted_files open files; the hard limit is $(ulimit -Hn)"
    ulimit -Sn "$wanted_files"
fi

# --- build ---------------------------------------------------------------------------------------
GALE_SCRATCH="${GALE_SCRATCH:-$ROOT/.build-release}"
STATIC_SCRATCH="${STATIC_SCRATCH:-$ROOT/.build-static}"   # the one `make cgi-static` uses
BARE_PKG="$BENCH/BareNIO"
BARE_SCRATCH="$BARE_PKG/.build-release"
BARE_STATIC_SCRATCH="$BARE_PKG/.build-static"
STATIC_FLAGS=(--static-swift-stdlib -Xswiftc -static-executable)
if [[ "$SKIP_BUILD" != 1 ]]; then
    for product in hello friendfeed; do
        log "building $product (release, $GALE_SCRATCH)"
        swift build -c release --package-path "$ROOT" --product "$product" --scratch-path "$GALE_SCRATCH" >&2
    done
    log "building bare-nio-hello (release, $BARE_SCRATCH)"
    swift build -c release --package-path "$BARE_PKG" --product bare-nio-hello --scratch-path "$BARE_SCRATCH" >&2
    if [[ "$STATIC" == 1 ]]; then
        for product in hello friendfeed; do
            log "building $product (release, fully static, $STATIC_SCRATCH)"
            swift build -c release "${STATIC_FLAGS[@]}" --package-path "$ROOT" --product "$product" \
                --scratch-path "$STATIC_SCRATCH" >&2
        done
        log "building bare-nio-hello (release, fully static, $BARE_STATIC_SCRATCH)"
        swift build -c release "${STATIC_FLAGS[@]}" --package-path "$BARE_PKG" --product bare-nio-hello \
            --scratch-path "$BARE_STATIC_SCRATCH" >&2
    fi
fi
bin_path() { swift build -c release --package-path "$1" --scratch-path "$2" --show-bin-path; }
declare -A BIN KIND
SERVERS=(hello friendfeed bare)
BIN[hello]="$(bin_path "$ROOT" "$GALE_SCRATCH")/hello"
BIN[friendfeed]="$(bin_path "$ROOT" "$GALE_SCRATCH")/friendfeed"
BIN[bare]="$(bin_path "$BARE_PKG" "$BARE_SCRATCH")/bare-nio-hello"
if [[ "$STATIC" == 1 ]]; then
    SERVERS+=(hello-static friendfeed-static bare-static)
    BIN[hello-static]="$(bin_path "$ROOT" "$STATIC_SCRATCH")/hello"
    BIN[friendfeed-static]="$(bin_path "$ROOT" "$STATIC_SCRATCH")/friendfeed"
    BIN[bare-static]="$(bin_path "$BARE_PKG" "$BARE_STATIC_SCRATCH")/bare-nio-hello"
fi
for s in "${SERVERS[@]}"; do
    [[ -x "${BIN[$s]}" ]] || die "no ${BIN[$s]}"
    KIND[$s]=$([[ $s == *-static ]] && echo "fully static" || echo "default (shared)")
done

# The Swift and Foundation libraries each dynamic executable loads: FoundationEssentials only,
# never full Foundation or ICU (a CGI request pays for every library at start-up).
NOTES=()
for s in hello friendfeed; do
    libs=$(ldd "${BIN[$s]}" | awk '/swift|Foundation|icu/ { sub(/\.so.*/, "", $1); printf "%s%s", sep, $1; sep = ", " }')
    NOTES+=("$s loads: $libs")
    if grep -Eq 'libFoundation,|libFoundation$|icu' <<<"$libs"; then
        NOTES+=("**$s loads full Foundation or ICU**")
    fi
done

# --- helpers -------------------------------------------------------------------------------------
rm -rf "$RAW"
mkdir -p "$RAW"
PORT=0
PID=0

# Starts server NAME on a free port (PORT, PID); LOGFILE is its output.
start_server() {
    local name="$1" logfile="$RAW/$1.log"
    read -r PORT _ < <(free_ports)
    case "$name" in
        bare*) "${BIN[$name]}" --port "$PORT" >>"$logfile" 2>&1 & ;;
        # A fixed cookie secret, so friendfeed writes no development secret file.
        *) FRIENDFEED_COOKIE_SECRET=bench "${BIN[$name]}" serve --port "$PORT" --address "$HOST" \
            --logging warning >>"$logfile" 2>&1 & ;;
    esac
    PID=$!
    PIDS+=("$PID")
    # friendfeed's / redirects to its login page, which answers 200.
    wait_ready "$name" "$PID" "$PORT" "http://$HOST:$PORT/$([[ $name == friendfeed* ]] && echo login)" "$logfile"
    sleep 1                                       # let it settle before the idle reading
}
stop_server() { stop_pid "$PID"; forget_pid "$PID"; }

# kB of RSS in /proc/PID/smaps by what is mapped: "binary-code binary-ro binary-data swiftcore
# foundation swift-other c-libs anon" (anon: heap, stacks and unnamed mappings; the libraries'
# written data pages count with their library).
smaps_breakdown() {
    awk -v bin="$2" '
        /^[0-9a-f]+-[0-9a-f]+ / { perm = $2; path = $6; next }
        /^Rss:/ {
            kb = $2
            if (path == bin) key = (perm ~ /x/ ? "binary-code" : perm ~ /w/ ? "binary-data" : "binary-ro")
            else if (path ~ /libswiftCore\.so/) key = "swiftcore"
            else if (path ~ /libFoundation/) key = "foundation"
            else if (path ~ /\/swift\//) key = "swift-other"
            else if (path ~ /^\//) key = "c-libs"
            else key = "anon"
            sum[key] += kb
        }
        END {
            split("binary-code binary-ro binary-data swiftcore foundation swift-other c-libs anon", keys, " ")
            for (i = 1; i <= 8; i++) printf "%d ", sum[keys[i]]
            print ""
        }' "/proc/$1/smaps"
}
median() { tr ' ' '\n' | grep . | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
kib() { awk -v kb="$1" 'BEGIN { printf "%.0f KiB", kb }'; }

# --- 1. idle -------------------------------------------------------------------------------------
declare -A IDLE SAMPLES_OF BREAKDOWN THREADS_OF
for s in "${SERVERS[@]}"; do
    SAMPLES_OF[$s]=""
    for i in $(seq 1 "$SAMPLES"); do
        start_server "$s"
        SAMPLES_OF[$s]+="$(rss_kb "$PID") "
        if (( i == 1 )); then
            BREAKDOWN[$s]=$(smaps_breakdown "$PID" "$(readlink -f "${BIN[$s]}")")
            THREADS_OF[$s]=$(awk '/^Threads:/ { print $2 }' "/proc/$PID/status")
            cp "/proc/$PID/smaps" "$RAW/$s.smaps"
        fi
        stop_server
    done
    IDLE[$s]=$(median <<<"${SAMPLES_OF[$s]}")
    log "$s (${KIND[$s]}): idle RSS $(mib "${IDLE[$s]}") (samples, kB: ${SAMPLES_OF[$s]})"
done

# --- 2. connections ------------------------------------------------------------------------------
# Holds CONNECTIONS connections to server NAME through their three steps; sets C_IDLE, C_OPEN,
# C_SERVED, C_CLOSED (kB) and C_COUNTS (the client's own lines).
hold_connections() {
    local name="$1" line deadline=$(( 60 + CONNECTIONS / 100 ))
    start_server "$name"
    C_IDLE=$(rss_kb "$PID")
    coproc CLIENT { timeout --kill-after=5 "$(( deadline + 10 ))" \
        python3 "$BENCH/idle-connections.py" "$HOST" "$PORT" "$CONNECTIONS" "$deadline"; }
    local client_pid=$CLIENT_PID
    PIDS+=("$client_pid")
    # Each step answers with one line within the deadline, or the run stops here.
    step() {
        [[ -n "$1" ]] && echo "$1" >&"${CLIENT[1]}"
        read -r -t "$deadline" line <&"${CLIENT[0]}" || die "$name: the client did not answer '${1:-open}'"
        sleep 1
        kill -0 "$PID" 2>/dev/null || die "$name (PID $PID) died; see $RAW/$name.log"
        C_COUNTS+="$line; "
    }
    C_COUNTS=""
    step "";        C_OPEN=$(rss_kb "$PID")
    step request;   C_SERVED=$(rss_kb "$PID")
    step close;     C_CLOSED=$(rss_kb "$PID")
    wait "$client_pid" 2>/dev/null || true
    forget_pid "$client_pid"
    stop_server
}
per_conn() { awk -v a="$1" -v b="$2" -v n="$CONNECTIONS" 'BEGIN { printf "%.1f", (b - a) * 1024 / n / 1024 }'; }

CONN_ROWS=()
CONN_SERVERS=(hello bare)
[[ "$STATIC" == 1 ]] && CONN_SERVERS+=(hello-static bare-static)
for s in "${CONN_SERVERS[@]}"; do
    log "$s: $CONNECTIONS idle keep-alive connections"
    hold_connections "$s"
    log "  $C_COUNTS RSS idle $(mib "$C_IDLE"), open $(mib "$C_OPEN"), served $(mib "$C_SERVED"), closed $(mib "$C_CLOSED")"
    grep -q "connected $CONNECTIONS;.*served $CONNECTIONS;" <<<"$C_COUNTS" \
        || NOTES+=("$s: not every connection was opened or answered: $C_COUNTS")
    CONN_ROWS+=("| $s | ${KIND[$s]} | $(mib "$C_IDLE") | $(mib "$C_OPEN") | $(per_conn "$C_IDLE" "$C_OPEN") KiB | $(mib "$C_SERVED") | $(per_conn "$C_IDLE" "$C_SERVED") KiB | $(mib "$C_CLOSED") |")
done

# --- report --------------------------------------------------------------------------------------
report_facts
{
    echo "# Resident memory: Gale hello and friendfeed, bare SwiftNIO hello"
    echo
    echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "- machine: $(nproc) CPUs, ${CPU:-unknown CPU}; $(uname -r)"
    echo "- Gale: commit $COMMIT$DIRTY; swift $(swift_version); servers run with \`serve --port P --address $HOST --logging warning\`"
    echo "- idle: VmRSS 1 s after the first answer, median of $SAMPLES fresh starts"
    echo
    echo "| server | build | idle RSS | threads | code | read-only | data | libswiftCore | Foundation | other Swift libs | C libs | anonymous |"
    echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    for s in "${SERVERS[@]}"; do
        read -r code ro data core found other clibs anon <<<"${BREAKDOWN[$s]}"
        echo "| $s | ${KIND[$s]} | $(mib "${IDLE[$s]}") | ${THREADS_OF[$s]} | $(kib "$code") | $(kib "$ro") | $(kib "$data") | $(kib "$core") | $(kib "$found") | $(kib "$other") | $(kib "$clibs") | $(kib "$anon") |"
    done
    echo
    echo "(code, read-only, data: the executable's own mappings; one start's /proc/PID/smaps, in kB of RSS.)"
    echo
    echo "$CONNECTIONS idle keep-alive connections from one asyncio client; per connection = (RSS - idle) / $CONNECTIONS:"
    echo
    echo "| server | build | idle | connected | per connection | after one GET each | per connection | all closed |"
    echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
    printf '%s\n' "${CONN_ROWS[@]}"
    echo
    echo "Notes:"
    echo
    printf -- '- %s\n' "${NOTES[@]}"
} >"$RESULTS/memory-latest.md"
cat "$RESULTS/memory-latest.md"
log "written to $RESULTS/memory-latest.md; server logs and smaps in $RAW/"
