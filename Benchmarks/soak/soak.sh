#!/usr/bin/env bash
# Benchmarks/soak/soak.sh (`make soak`): mixed traffic for SOAK_SECONDS against Examples/FriendFeed
# and Examples/Chat, checked and sampled by soak.py (hello, static with ranges, the login flow with
# XSRF, WebSocket chat, 404s, malformed requests).
#
#  async    `friendfeed serve` and `chat serve` on 127.0.0.1 (Gale's own server), WebSockets on
#  fastcgi  `friendfeed fastcgi` on a unix socket behind nginx, the same mix without WebSockets
#
# Each mode reports the answers by kind and status, the 5xx count (must be 0), and the RSS and fd
# count of each Gale process sampled every SOAK_SAMPLE seconds (slope per minute after the warm-up,
# first and last), and fails on a 5xx, an unexpected answer, fd growth or a steep RSS slope.
#
# Environment (all optional):
#   SOAK_SECONDS=600     length of each mode's run
#   SOAK_MODES="async fastcgi"
#   SOAK_WORKERS=8       HTTP workers (keep-alive connections)
#   SOAK_CHAT_CLIENTS=4  WebSocket clients of the chat
#   SOAK_MAX_RSS_SLOPE   KiB per minute allowed after the warm-up (256; 4096 under 5 minutes)
#   SOAK_CONFIG=debug    the build configuration to run (debug shares `make test`'s build)
#   SKIP_BUILD=1         use the binaries already built
#   SOAK_BIN=DIR         run friendfeed and chat from DIR (implies SKIP_BUILD=1)
# Every process is stopped by PID on exit; every request goes to 127.0.0.1 or a unix socket.
set -euo pipefail

SOAK="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BENCH="$(cd "$SOAK/.." && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
SOAK_SECONDS="${SOAK_SECONDS:-600}"
SOAK_MODES="${SOAK_MODES:-async fastcgi}"
SOAK_WORKERS="${SOAK_WORKERS:-8}"
SOAK_CHAT_CLIENTS="${SOAK_CHAT_CLIENTS:-4}"
SOAK_SAMPLE="${SOAK_SAMPLE:-}"
# A short run is judged loosely: the chat's 200-message cache and the allocator's arenas are
# still filling while a 10-minute run's slope is measured after its first minute.
SOAK_MAX_RSS_SLOPE="${SOAK_MAX_RSS_SLOPE:-$(( SOAK_SECONDS >= 300 ? 256 : 4096 ))}"
SOAK_CONFIG="${SOAK_CONFIG:-debug}"
SKIP_BUILD="${SKIP_BUILD:-0}"
HOST=127.0.0.1
LOG_TAG=soak
DURATION="${SOAK_SECONDS}s"
RAW="$BENCH/results/soak-last-run"

TMP=""
NGINX_MASTER=""
POLICY_RC_CREATED=0
source "$BENCH/lib.sh"
source "$BENCH/nginx-lib.sh"
[[ "$SOAK_SECONDS" =~ ^[0-9]+$ ]] || die "SOAK_SECONDS=$SOAK_SECONDS: whole seconds"
MISSING=()
install_nginx_tools
require_tools curl python3 swift timeout
python3 -c "import websockets" 2>/dev/null || die "the websockets client is required (python3 -m pip install 'websockets>=12')"

# Samples often enough for a slope in a short run, every 5 s in a long one.
if [[ -z "$SOAK_SAMPLE" ]]; then SOAK_SAMPLE=$(( SOAK_SECONDS >= 120 ? 5 : 1 )); fi
WARMUP=$(( SOAK_SECONDS >= 120 ? 60 : SOAK_SECONDS / 3 ))

cd "$ROOT"
[[ -z "${SOAK_BIN:-}" ]] || SKIP_BUILD=1
if [[ "$SKIP_BUILD" != 1 ]]; then
    log "building friendfeed and chat ($SOAK_CONFIG)"
    swift build -c "$SOAK_CONFIG" --product friendfeed >&2
    swift build -c "$SOAK_CONFIG" --product chat >&2
fi
BIN="${SOAK_BIN:-$(swift build -c "$SOAK_CONFIG" --show-bin-path)}"
[[ -x "$BIN/friendfeed" && -x "$BIN/chat" ]] || die "no friendfeed or chat in $BIN"

TMP="$(mktemp -d /tmp/gale-soak.XXXXXX)"
chmod 755 "$TMP"
mkdir -p "$RAW" "$TMP/nginx"
SECRET="soak-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
STATUS=0

soak() {  # LABEL, then soak.py arguments
    local label="$1" rc=0
    shift
    log "$label: ${SOAK_SECONDS} s of mixed traffic"
    timeout $(( SOAK_SECONDS + 120 )) python3 "$SOAK/soak.py" --label "$label" --seconds "$SOAK_SECONDS" \
        --workers "$SOAK_WORKERS" --chat-clients "$SOAK_CHAT_CLIENTS" --sample "$SOAK_SAMPLE" \
        --warmup "$WARMUP" --max-rss-slope "$SOAK_MAX_RSS_SLOPE" "$@" | tee "$RAW/$label.txt" || rc=$?
    (( rc == 0 )) || { log "$label: FAILED"; STATUS=1; }
}

for mode in $SOAK_MODES; do
    case "$mode" in
    async)
        read -r FF_PORT CHAT_PORT < <(free_ports)
        "$BIN/friendfeed" serve --address "$HOST" --port "$FF_PORT" --cookie-secret "$SECRET" \
            >"$RAW/friendfeed.log" 2>&1 &
        FF_PID=$!; PIDS+=("$FF_PID")
        "$BIN/chat" serve --address "$HOST" --port "$CHAT_PORT" --cookie-secret "$SECRET" \
            >"$RAW/chat.log" 2>&1 &
        CHAT_PID=$!; PIDS+=("$CHAT_PID")
        READY_SECONDS=60 wait_ready friendfeed "$FF_PID" "$FF_PORT" "http://$HOST:$FF_PORT/whoami" "$RAW/friendfeed.log"
        READY_SECONDS=60 wait_ready chat "$CHAT_PID" "$CHAT_PORT" "http://$HOST:$CHAT_PORT/" "$RAW/chat.log"
        soak async --port "$FF_PORT" --chat "$CHAT_PORT" --pid "friendfeed=$FF_PID" --pid "chat=$CHAT_PID"
        stop_pid "$FF_PID"; forget_pid "$FF_PID"
        stop_pid "$CHAT_PID"; forget_pid "$CHAT_PID"
        ;;
    fastcgi)
        read -r PORT _ < <(free_ports)
        SOCK="$TMP/friendfeed.sock"
        "$BIN/friendfeed" fastcgi --socket "$SOCK" --socket-mode 666 --cookie-secret "$SECRET" \
            >"$RAW/friendfeed-fastcgi.log" 2>&1 &
        FCGI_PID=$!; PIDS+=("$FCGI_PID")
        deadline=$(( SECONDS + 60 ))
        until [[ -S "$SOCK" ]]; do
            kill -0 "$FCGI_PID" 2>/dev/null || die "friendfeed fastcgi exited; see $RAW/friendfeed-fastcgi.log"
            (( SECONDS < deadline )) || die "friendfeed fastcgi made no socket in 60 s"
            sleep 0.1
        done
        sed -e "s|@TMP@|$TMP|g" -e "s|@PORT@|$PORT|g" -e "s|@SOCK@|$SOCK|g" \
            -e "s|@USER@|$(id -un)|g" -e "s|@GROUP@|$(id -gn)|g" "$SOAK/nginx.conf.template" >"$TMP/nginx/nginx.conf"
        "$NGINX_BIN" -c "$TMP/nginx/nginx.conf" -p "$TMP/nginx/" -e "$TMP/nginx/error.log" >"$RAW/nginx.log" 2>&1 &
        NGINX_MASTER=$!; PIDS+=("$NGINX_MASTER")
        wait_ready nginx "$NGINX_MASTER" "$PORT" "http://$HOST:$PORT/whoami" "$TMP/nginx/error.log"
        soak fastcgi --port "$PORT" --pid "friendfeed-fastcgi=$FCGI_PID"
        stop_pid "$NGINX_MASTER"; forget_pid "$NGINX_MASTER"; NGINX_MASTER=""
        stop_pid "$FCGI_PID"; forget_pid "$FCGI_PID"
        ;;
    *) die "unknown mode $mode (async, fastcgi)" ;;
    esac
done
(( STATUS == 0 )) && log "soak passed" || log "soak FAILED (reports in $RAW)"
exit "$STATUS"
