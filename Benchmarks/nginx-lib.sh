# Sourced after lib.sh by the benchmarks that run nginx (static.sh, gateway.sh). The script
# sets TMP, NGINX_MASTER and POLICY_RC_CREATED before sourcing lib.sh, so the exit trap never
# sees them unset.
# shellcheck shell=bash

# The PIDs of nginx's workers: the children of its master.
nginx_workers() { ps --ppid "$1" -o pid= 2>/dev/null | tr -d ' ' || true; }
# Replaces lib.sh's cleanup (which the exit trap calls): PIDS, then nginx workers, policy-rc.d, TMP.
cleanup() {
    local pid workers=""
    if [[ -n "$NGINX_MASTER" ]] && kill -0 "$NGINX_MASTER" 2>/dev/null; then
        workers="$(nginx_workers "$NGINX_MASTER")"
    fi
    stop_pids
    # A worker outlives its master only if the master was SIGKILLed; stop such a worker by PID,
    # after checking that the PID is still an nginx process.
    for pid in $workers; do
        if kill -0 "$pid" 2>/dev/null && [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == nginx ]]; then
            log "nginx worker $pid outlived its master; stopping it"
            kill -KILL "$pid" 2>/dev/null || true
        fi
    done
    NGINX_MASTER=""
    if (( POLICY_RC_CREATED )); then rm -f /usr/sbin/policy-rc.d; POLICY_RC_CREATED=0; fi
    if [[ -n "$TMP" && -d "$TMP" ]]; then
        [[ ! -f "$TMP/nginx/error.log" ]] || cp "$TMP/nginx/error.log" "$RAW/nginx-error.log" 2>/dev/null || true
        rm -rf "$TMP"
    fi
}

# Installs nginx and wrk (and whatever the caller already put in MISSING) with apt-get, keeping
# the nginx package from starting its own server on port 80; sets NGINX_BIN.
install_nginx_tools() {
    NGINX_BIN="$(command -v nginx 2>/dev/null || true)"
    [[ -n "$NGINX_BIN" || ! -x /usr/sbin/nginx ]] || NGINX_BIN=/usr/sbin/nginx
    [[ -n "$NGINX_BIN" ]] || MISSING+=(nginx)
    command -v wrk >/dev/null 2>&1 || MISSING+=(wrk)
    if (( ${#MISSING[@]} )); then
        log "installing ${MISSING[*]} with apt-get"
        set_sudo "${MISSING[*]} missing and this is not root: install them"
        # The nginx package starts its own server on port 80 unless policy-rc.d forbids it; forbid it
        # for the install only (removed again right after, and by the exit trap).
        if [[ ! -e /usr/sbin/policy-rc.d ]]; then
            printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
            $SUDO chmod +x /usr/sbin/policy-rc.d
            POLICY_RC_CREATED=1
        fi
        $SUDO apt-get update
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${MISSING[@]}"
        if (( POLICY_RC_CREATED )); then $SUDO rm -f /usr/sbin/policy-rc.d; POLICY_RC_CREATED=0; fi
        NGINX_BIN="$(command -v nginx 2>/dev/null || echo /usr/sbin/nginx)"
    fi
    [[ -x "$NGINX_BIN" ]] || die "nginx is required"
}
