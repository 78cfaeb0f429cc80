# Benchmarks/lib.sh: helpers shared by run.sh and static.sh; sourced by them, not run on its own.
#
# The sourcing script sets LOG_TAG (the [tag] on every log line), DURATION, THREADS and HOST first.
# Sourcing checks DURATION, starts an empty PIDS list and sets the EXIT/INT/TERM traps; a script
# with more to clean up than PIDS redefines cleanup and calls stop_pids from it.

: "${LOG_TAG:?set LOG_TAG before sourcing lib.sh}"

log() { printf '[%s] %s\n' "$LOG_TAG" "$*" >&2; }
die() { printf '[%s] error: %s\n' "$LOG_TAG" "$*" >&2; exit 1; }

# Seconds in a wrk duration ("10s", "2m", "1h", "10"), for the safety timeout around wrk.
to_seconds() {
    local d="$1"
    case "$d" in
        *ms) echo 1 ;;
        *s) echo "${d%s}" ;;
        *m) echo $(( ${d%m} * 60 )) ;;
        *h) echo $(( ${d%h} * 3600 )) ;;
        *) echo "$d" ;;
    esac
}
[[ "$(to_seconds "$DURATION")" =~ ^[0-9]+$ ]] || die "DURATION=$DURATION: use whole seconds, e.g. 10s or 1m"

# --- processes, stopped by PID whatever happens ----------------------------------------------------
PIDS=()
stop_pid() {
    local pid="$1" i
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 1 50); do                      # up to 5 s for a clean exit
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        log "PID $pid ignored SIGTERM for 5 s; sending SIGKILL"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
}
# Drops a PID that has been waited for, so cleanup never signals a reused PID.
forget_pid() {
    local keep=() p
    for p in "${PIDS[@]+"${PIDS[@]}"}"; do [[ "$p" == "$1" ]] || keep+=("$p"); done
    PIDS=("${keep[@]+"${keep[@]}"}")
}
# Stops every PID in PIDS and empties it.
stop_pids() {
    local pid
    for pid in "${PIDS[@]+"${PIDS[@]}"}"; do stop_pid "$pid"; done
    PIDS=()
}
cleanup() { stop_pids; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- tools ---------------------------------------------------------------------------------------
# Sets SUDO to "" when root, else to "sudo"; dies with MESSAGE if not root and there is no sudo.
set_sudo() {
    SUDO=""
    if [[ "$(id -u)" != 0 ]]; then
        command -v sudo >/dev/null 2>&1 || die "$1"
        SUDO="sudo"
    fi
}
# Dies unless every TOOL is on PATH.
require_tools() {
    local tool
    for tool in "$@"; do
        command -v "$tool" >/dev/null 2>&1 || die "$tool is required"
    done
}

# --- helpers -------------------------------------------------------------------------------------
# Two distinct free ephemeral ports on 127.0.0.1 (both held open while the second is picked).
free_ports() {
    python3 -c 'import socket
a = socket.socket(); a.bind(("127.0.0.1", 0))
b = socket.socket(); b.bind(("127.0.0.1", 0))
print(a.getsockname()[1], b.getsockname()[1])
a.close(); b.close()'
}

# VmRSS of a PID in kB (0 if it is gone).
rss_kb() { awk '/^VmRSS:/ { print $2; found = 1 } END { if (!found) print 0 }' "/proc/$1/status" 2>/dev/null || echo 0; }
mib() { awk -v kb="$1" 'BEGIN { printf "%.1f MiB", kb / 1024 }'; }

# Waits (at most 10 s) until URL answers 200; fails if PID dies first. LOGFILE is named on failure.
wait_ready() {
    local name="$1" pid="$2" port="$3" target="$4" logfile="$5" deadline=$(( SECONDS + ${READY_SECONDS:-10} ))
    while (( SECONDS < deadline )); do
        kill -0 "$pid" 2>/dev/null || die "$name (PID $pid) exited before answering; see $logfile"
        if [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$target" || true)" == 200 ]]; then
            return 0
        fi
        sleep 0.1
    done
    die "$name did not answer on port $port within ${READY_SECONDS:-10} s; see $logfile"
}

# Runs wrk against URL with CONNS connections for DUR, writing its output to FILE; bounded by `timeout`.
run_wrk() {
    local target="$1" conns="$2" dur="$3" file="$4" limit
    limit=$(( $(to_seconds "$dur") + 30 ))
    # In the background with `wait`, so an interrupt runs the traps at once and stops wrk too.
    timeout --kill-after=5 "$limit" \
        wrk -t"$THREADS" -c"$conns" -d"$dur" --latency "$target" >"$file" 2>&1 &
    local pid=$! rc=0
    PIDS+=("$pid")
    wait "$pid" || rc=$?
    forget_pid "$pid"
    (( rc == 0 )) || die "wrk failed or timed out (exit $rc); see $file"
}

# A wrk latency ("812.00us", "1.23ms", "1.02s", "1.5m") in milliseconds.
latency_ms() {
    awk -v v="$1" 'BEGIN {
        n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
        if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
        printf "%.3f", n }'
}

# Fields of one wrk output file: req/s, a percentile (raw), total requests, non-2xx, socket errors.
wrk_rps()  { awk '/^Requests\/sec:/ { print $2 }' "$1"; }
wrk_pct()  { awk -v p="$2%" '$1 == p { print $2; exit }' "$1"; }
wrk_reqs() { awk '/requests in/ { print $1; exit }' "$1"; }
wrk_non2xx() { awk '/Non-2xx or 3xx responses:/ { print $NF; found = 1 } END { if (!found) print 0 }' "$1"; }
wrk_sockerr() { awk '/Socket errors:/ { sub(/^ *Socket errors: */, ""); print; found = 1 } END { if (!found) print "none" }' "$1"; }

# --- report --------------------------------------------------------------------------------------
# Sets CPU, COMMIT and DIRTY (a note when Package.swift, Sources/ or Examples/ have uncommitted changes).
report_facts() {
    CPU="$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
    COMMIT="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
    DIRTY="$(git -C "$ROOT" status --porcelain -- Package.swift Sources Examples 2>/dev/null | grep -q . \
        && echo ' plus uncommitted changes in Sources/, Examples/ or Package.swift' || true)"
}
# The report's "- date" and "- machine" lines (after report_facts).
report_machine() {
    echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "- machine: $(nproc) CPUs, ${CPU:-unknown CPU}; wrk and both servers share them"
}
swift_version() { swift --version 2>/dev/null | awk '/Swift version/ { print $3; exit }'; }
wrk_version() { wrk -v 2>&1 | awk 'NR == 1 { print $2 }'; }
# The report after its table head: TABLE_ROWS, then RATIOS, then NOTES.
report_rows_and_notes() {
    printf '%s\n' "${TABLE_ROWS[@]}"
    echo
    printf -- '- %s\n' "${RATIOS[@]}"
    echo
    echo "Notes:"
    echo
    printf -- '- %s\n' "${NOTES[@]}"
}

# Sets PYTHON to a Python that imports Tornado 6: PYTHON itself, else the venv at TORNADO_VENV,
# made with pip on first use. For the benchmarks that run Tornado beside Gale.
use_tornado6() {
    tornado_ok() { "$1" -c 'import sys, tornado; sys.exit(tornado.version_info[0] != 6)' >/dev/null 2>&1; }
    tornado_ok "$PYTHON" && return 0
    if [[ -x "$TORNADO_VENV/bin/python" ]] && tornado_ok "$TORNADO_VENV/bin/python"; then
        log "using Tornado from the venv at $TORNADO_VENV"
    else
        command -v "$PYTHON" >/dev/null 2>&1 || die "no $PYTHON; set PYTHON to a Python 3"
        log "$PYTHON cannot import Tornado 6; installing it with pip into a venv at $TORNADO_VENV"
        "$PYTHON" -m venv "$TORNADO_VENV" >&2 \
            || die "$PYTHON -m venv failed (on Debian's own python3: apt-get install python3-venv)"
        timeout 300 "$TORNADO_VENV/bin/python" -m pip install --quiet 'tornado>=6,<7' >&2 \
            || die "pip install tornado into $TORNADO_VENV failed"
        tornado_ok "$TORNADO_VENV/bin/python" || die "Tornado 6 still not importable from $TORNADO_VENV"
    fi
    PYTHON="$TORNADO_VENV/bin/python"
}

# Instructions a server spends per request: `callgrind_per_request NAME PORT SECONDS OUTDIR CMD...`
# starts CMD (which must serve on 127.0.0.1:PORT) under callgrind, zeroes the counters when it
# answers, loads it with wrk (4 connections, SECONDS), dumps the counters, stops it, and sets
# CG_INSTRUCTIONS, CG_REQUESTS and CG_PER_REQUEST (in this shell: call it without a subshell,
# so its PIDs are stopped on exit). User-space instructions only, but they do not drift with
# the machine's load as wrk's figures do. valgrind 3.x cannot read the DWARF of Swift 6.3's
# release builds ("Possibly corrupted debuginfo file"), so CMD runs from a copy without debug
# information (symbols stay, for callgrind_annotate). CG_PATH (default `/`) is the path loaded.
callgrind_per_request() {
    local name="$1" port="$2" seconds="$3" outdir="$4"
    shift 4
    local binary="$outdir/$name-stripped" out="$outdir/callgrind.$name" pid
    cp "$1" "$binary"
    strip --strip-debug "$binary"
    shift
    valgrind --tool=callgrind --callgrind-out-file="$out.%p" "$binary" "$@" >"$outdir/$name-callgrind.log" 2>&1 &
    pid=$!
    PIDS+=("$pid")
    READY_SECONDS=120 wait_ready "$name" "$pid" "$port" "http://127.0.0.1:$port${CG_PATH:-/}" "$outdir/$name-callgrind.log"
    callgrind_control --zero "$pid" >/dev/null 2>&1
    run_wrk "http://127.0.0.1:$port${CG_PATH:-/}" 4 "${seconds}s" "$outdir/callgrind-$name-wrk.txt"
    CG_REQUESTS=$(wrk_reqs "$outdir/callgrind-$name-wrk.txt")
    callgrind_control --dump "$pid" >/dev/null 2>&1
    stop_pid "$pid"
    forget_pid "$pid"
    # The dump made while loaded holds the most instructions (the one at exit, the shutdown).
    CG_INSTRUCTIONS=$(for f in "$out".*; do awk '/^summary:/ { print $2 }' "$f"; done | sort -g | tail -1)
    [[ -n "$CG_INSTRUCTIONS" && "$CG_REQUESTS" -gt 0 ]] || die "no callgrind figures for $name"
    CG_PER_REQUEST=$(awk -v i="$CG_INSTRUCTIONS" -v r="$CG_REQUESTS" 'BEGIN { printf "%.0f", i / r }')
}

# N distinct free ephemeral ports on 127.0.0.1, on one line (all held open while the others are
# picked).
free_port_list() {
    python3 -c 'import socket, sys
held = []
for _ in range(int(sys.argv[1])):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); held.append(s)
print(" ".join(str(s.getsockname()[1]) for s in held))
for s in held: s.close()' "$1"
}

# The median of the numbers given as arguments (the mean of the middle two for an even count).
median() {
    printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
        if (NR == 0) exit 1
        if (NR % 2) printf "%s\n", v[(NR + 1) / 2]; else printf "%s\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# run_wrk with more wrk options: `run_wrk_with URL CONNS DUR FILE OPTION...` (e.g. --timeout 10s).
run_wrk_with() {
    local target="$1" conns="$2" dur="$3" file="$4" limit
    shift 4
    limit=$(( $(to_seconds "$dur") + 30 ))
    timeout --kill-after=5 "$limit" \
        wrk -t"$THREADS" -c"$conns" -d"$dur" --latency "$@" "$target" >"$file" 2>&1 &
    local pid=$! rc=0
    PIDS+=("$pid")
    wait "$pid" || rc=$?
    forget_pid "$pid"
    (( rc == 0 )) || die "wrk failed or timed out (exit $rc); see $file"
}

# --- the engine benchmarks (template.sh, blog.sh): Tornado's script against a Gale binary --------
# Runs one bench ("tornado": $PYTHON $PY_BENCH, or "gale": $BIN) with ARGS, `--templates
# $TEMPLATES --seconds SECONDS`, into FILE; bounded by `timeout`, stopped by PID.
run_bench() {
    local engine="$1" file="$2" seconds="$3" rc=0 pid limit
    shift 3
    local cmd
    case "$engine" in
        tornado) cmd=("$PYTHON" "$PY_BENCH") ;;
        gale) cmd=("$BIN") ;;
    esac
    limit=$(awk -v s="$seconds" -v w="$WARMUP" 'BEGIN { printf "%d", s + w + 60 }')
    # In the background with `wait`, so an interrupt runs the traps at once and stops it too.
    timeout --kill-after=5 "$limit" "${cmd[@]}" --templates "$TEMPLATES" --seconds "$seconds" "$@" \
        >"$file" 2>&1 &
    pid=$!
    PIDS+=("$pid")
    wait "$pid" || rc=$?
    forget_pid "$pid"
    (( rc == 0 )) || { sed 's/^/    /' "$file" >&2; die "$engine failed or timed out (exit $rc); see $file"; }
}
# The value of `KEY: value` line KEY in FILE: `field FILE KEY`.
field() { awk -F': ' -v k="$2" '$1 == k { print $2; exit }' "$1"; }
fmt0() { awk -v v="$1" 'BEGIN { printf "%.0f", v }'; }
fmt1() { awk -v v="$1" 'BEGIN { printf "%.1f", v }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
greater() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a > b) }'; }
# Microseconds a render at RATE renders a second.
us() { awk -v r="$1" 'BEGIN { printf "%.1f", 1e6 / r }'; }
