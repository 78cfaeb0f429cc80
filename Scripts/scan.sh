#!/usr/bin/env bash
# Scripts/scan.sh (`make scan`): Wapiti, Debian's web application scanner, against
# Examples/FriendFeed (signed in, with its XSRF cookie) and Examples/Chat, each served by Gale's
# own server on 127.0.0.1. Docs/Security.md records what a run found and what was done.
#
# Nikto, the scanner the issue names first, is in Debian's non-free component; this machine's apt
# sources have main only. Wapiti (main) ships its own port of Nikto's checks (the `nikto` module).
#
# Environment (all optional):
#   SCAN_MODULES=all     Wapiti modules (-m); `all` is every module, the ones that need the
#                        internet (ssrf, xxe: an external endpoint; wapp: a download) left out
#   SCAN_LEVEL=2         Wapiti's attack level (1 or 2)
#   SCAN_MAX_SECONDS=900 bound on each target's scan (--max-scan-time)
#   SCAN_BIN=DIR         run friendfeed and chat from DIR instead of building them (debug)
# Reports (txt and json) go to Benchmarks/results/scan-last-run/; every process is stopped by PID.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/Benchmarks"
RAW="$BENCH/results/scan-last-run"
SCAN_MODULES="${SCAN_MODULES:-all,-ssrf,-xxe,-wapp}"
SCAN_LEVEL="${SCAN_LEVEL:-2}"
SCAN_MAX_SECONDS="${SCAN_MAX_SECONDS:-900}"
HOST=127.0.0.1
LOG_TAG=scan
DURATION="${SCAN_MAX_SECONDS}s"
source "$BENCH/lib.sh"

if ! command -v wapiti >/dev/null 2>&1; then
    log "installing wapiti with apt-get"
    set_sudo "wapiti is missing and this is not root: install it"
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq wapiti
fi
require_tools wapiti curl python3 swift timeout

cd "$ROOT"
if [[ -z "${SCAN_BIN:-}" ]]; then
    swift build --product friendfeed >&2
    swift build --product chat >&2
    SCAN_BIN="$(swift build --show-bin-path)"
fi
rm -rf "$RAW"
mkdir -p "$RAW"
SESSION="$(mktemp -d /tmp/gale-scan.XXXXXX)"
cleanup() { stop_pids; rm -rf "$SESSION"; }
STATUS=0
SECRET="scan-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"

read -r FF_PORT CHAT_PORT < <(free_ports)
"$SCAN_BIN/friendfeed" serve --address "$HOST" --port "$FF_PORT" --cookie-secret "$SECRET" >"$RAW/friendfeed.log" 2>&1 &
FF_PID=$!; PIDS+=("$FF_PID")
"$SCAN_BIN/chat" serve --address "$HOST" --port "$CHAT_PORT" --cookie-secret "$SECRET" >"$RAW/chat.log" 2>&1 &
CHAT_PID=$!; PIDS+=("$CHAT_PID")
READY_SECONDS=60 wait_ready friendfeed "$FF_PID" "$FF_PORT" "http://$HOST:$FF_PORT/whoami" "$RAW/friendfeed.log"
READY_SECONDS=60 wait_ready chat "$CHAT_PID" "$CHAT_PORT" "http://$HOST:$CHAT_PORT/" "$RAW/chat.log"

# Signs in to FriendFeed as a browser would (the form's XSRF token, then the POST), so the scan
# reaches the signed-in page too; prints the Cookie header value.
sign_in() {
    local jar="$SESSION/jar" token
    token="$(curl -s -c "$jar" "http://$HOST:$FF_PORT/login" | sed -n 's/.*name="_xsrf" value="\([^"]*\)".*/\1/p')"
    [[ -n "$token" ]] || die "no XSRF token in FriendFeed's /login"
    curl -s -b "$jar" -c "$jar" -o /dev/null --data-urlencode "name=scanner" --data-urlencode "_xsrf=$token" \
        "http://$HOST:$FF_PORT/login"
    awk '!/^#/ || /^#HttpOnly_/ { if (NF >= 7) printf "%s%s=%s", (n++ ? "; " : ""), $6, $7 }' "$jar"
}
COOKIE="$(sign_in)"
[[ "$COOKIE" == *user=* ]] || die "signing in to FriendFeed set no user cookie ($COOKIE)"

scan() {  # NAME URL [wapiti arguments]
    local name="$1" url="$2" rc=0
    shift 2
    log "$name: wapiti $(wapiti --version 2>/dev/null | grep -o 'Wapiti-[0-9.]*' | head -1) on $url, modules $SCAN_MODULES, level $SCAN_LEVEL"
    timeout $(( SCAN_MAX_SECONDS + 300 )) wapiti -u "$url" --scope folder -m "$SCAN_MODULES" -l "$SCAN_LEVEL" \
        --max-scan-time "$SCAN_MAX_SECONDS" --flush-session --store-session "$SESSION/$name" \
        --store-config "$SESSION/$name-config" --no-bugreport -v 1 -f json -o "$RAW/$name.json" "$@" \
        >"$RAW/$name-wapiti.log" 2>&1 || rc=$?
    (( rc == 0 )) || log "$name: wapiti exited with $rc (see $RAW/$name-wapiti.log)"
    python3 - "$RAW/$name.json" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
for section in ("vulnerabilities", "anomalies", "additionals"):
    for kind, items in sorted(report.get(section, {}).items()):
        for item in items:
            print(f"  {section[:-1] if section != 'anomalies' else 'anomaly'}: {kind}: {item.get('method')} "
                  f"{item.get('path')} {item.get('parameter') or ''} -- {item.get('info')}")
print(f"  ({sum(len(v) for v in report.get('vulnerabilities', {}).values())} vulnerabilities, "
      f"{sum(len(v) for v in report.get('anomalies', {}).values())} anomalies)")
PY
    kill -0 "$FF_PID" && kill -0 "$CHAT_PID" || die "a server died during the $name scan"
}

# No `-x /logout`: Debian's wapiti 3.0.4 fails on any -x under Python 3.11 (its wildcard regex puts
# `(?ms)` last). Signing out does not end the scan's session: the Cookie header goes on every request.
scan friendfeed "http://$HOST:$FF_PORT/" -H "Cookie: $COOKIE" -s "http://$HOST:$FF_PORT/login?next=%2F" \
    -s "http://$HOST:$FF_PORT/robots.txt"
scan chat "http://$HOST:$CHAT_PORT/"
# What the servers answered the scanner, by status, from their request logs (Tornado's format).
for name in friendfeed chat; do
    log "$name answered: $(awk '$4 ~ /^Gale:/ && $5 ~ /^[0-9][0-9][0-9]$/ { n[$5]++ } END { for (s in n) printf "%s %d, ", s, n[s] }' "$RAW/$name.log")"
    ! grep -qE 'Gale:[0-9]+\] 5[0-9][0-9] ' "$RAW/$name.log" || { log "$name answered 5xx"; STATUS=1; }
done
log "reports in $RAW"
exit "$STATUS"
