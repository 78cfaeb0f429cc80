#!/usr/bin/env bash
# Benchmarks/helpers.sh: each template helper of Gale against Tornado 6's, one by one (issue 14).
#
# Gale: Benchmarks/TemplateBench's `helper-bench` (a release build) calls Escape.xhtmlEscape,
# urlEscape, jsonEncode, squeeze, linkify, PercentFormat.apply (Python's `%`) and
# Locale.formatDate; Tornado: Benchmarks/helpers-bench.py calls tornado.escape's xhtml_escape,
# url_escape, json_encode, squeeze, linkify, Python's `%` and tornado.locale's format_date, on
# the same inputs (a 250-character post with three links, text with & < > " ', non-ASCII ...).
#
# First each side writes every helper's output once and the two files are compared case by
# case; a case whose outputs differ is shown (diff kept) and marked in the table, never hidden.
# Then ROUNDS rounds alternate Tornado, Gale, Tornado, Gale ..., each timing every helper for
# SECONDS; the table gives each helper's median ns a call and Gale's speed over Tornado's
# (Tornado's ns / Gale's ns).
#
# Prints a Markdown table and writes it to Benchmarks/results/helpers-latest.md; raw output goes
# to Benchmarks/results/helpers-last-run/ (all of results/ is gitignored).
#
# Environment (all optional):
#   SECONDS_EACH=0.5  length of each helper's measured loop, in seconds
#   WARMUP=0.1        an unmeasured loop before each, in seconds
#   ROUNDS=3          measured runs per side, alternating Tornado, Gale, ...
#   ONLY=...          only the helpers whose name contains this (e.g. linkify)
#   INSTRUCTIONS=1    also count instructions a call of each helper on both sides under callgrind
#                     (valgrind): the count of CALLS_HIGH calls minus that of CALLS_LOW, so start-up
#                     cancels out. Counts do not drift with the machine's load as times do.
#   CALLS_LOW=200 CALLS_HIGH=2200
#   PYTHON=...        the Python for Tornado, as Benchmarks/template.sh picks it (default
#                     /usr/bin/python3, with a venv at TORNADO_VENV when it lacks Tornado 6)
#   SKIP_BUILD=1      use the helper-bench already built
#
# Every run is bounded by `timeout` and stopped by PID on exit or Ctrl-C.
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
RESULTS="$BENCH/results"
RAW="$RESULTS/helpers-last-run"
PKG="$BENCH/TemplateBench"
SCRATCH="$PKG/.build-release"
PY_BENCH="$BENCH/helpers-bench.py"

SECONDS_EACH="${SECONDS_EACH:-0.5}"
WARMUP="${WARMUP:-0.1}"
ROUNDS="${ROUNDS:-3}"
ONLY="${ONLY:-}"
INSTRUCTIONS="${INSTRUCTIONS:-0}"
CALLS_LOW="${CALLS_LOW:-200}"
CALLS_HIGH="${CALLS_HIGH:-2200}"
if [[ -z "${PYTHON:-}" ]]; then
    if [[ -x /usr/bin/python3 ]]; then PYTHON=/usr/bin/python3; else PYTHON=python3; fi
fi
TORNADO_VENV="${TORNADO_VENV:-${TMPDIR:-/tmp}/gale-template-bench-venv}"
SKIP_BUILD="${SKIP_BUILD:-0}"
DURATION=1s  # lib.sh checks it; each run's length is SECONDS_EACH a helper
LOG_TAG=helpers

source "$BENCH/lib.sh"
[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || die "ROUNDS=$ROUNDS: a whole number >= 1"
[[ "$SECONDS_EACH" =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "SECONDS_EACH=$SECONDS_EACH: seconds, e.g. 0.5"
[[ "$WARMUP" =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "WARMUP=$WARMUP: seconds, e.g. 0.1"
[[ -f "$PY_BENCH" && -f "$PKG/Package.swift" ]] || die "no $PY_BENCH or $PKG/Package.swift"
require_tools swift timeout cmp diff awk sort
[[ "$INSTRUCTIONS" != 1 ]] || require_tools valgrind callgrind_annotate strip

use_tornado6

if [[ "$SKIP_BUILD" != 1 ]]; then
    log "building helper-bench (release, $SCRATCH)"
    # SwiftPM keeps the file list of a path dependency (Gale) from its last plan: a source file
    # added to Gale since would be missing from the build. Planning again takes seconds.
    rm -f "$SCRATCH/release.yaml"
    timeout 1800 swift build -c release --package-path "$PKG" --product helper-bench --scratch-path "$SCRATCH" >&2 \
        || die "building helper-bench failed"
fi
BIN="$(swift build -c release --package-path "$PKG" --scratch-path "$SCRATCH" --show-bin-path)/helper-bench"
[[ -x "$BIN" ]] || die "no $BIN (run without SKIP_BUILD=1)"

# Runs one side ("tornado" or "gale") with ARGS into FILE, bounded by `timeout`, stopped by PID.
run_side() {
    local side="$1" file="$2" rc=0 pid limit
    shift 2
    local cmd
    case "$side" in
        tornado) cmd=("$PYTHON" "$PY_BENCH") ;;
        gale) cmd=("$BIN") ;;
    esac
    # 20 helpers at most, each SECONDS_EACH + WARMUP, plus a minute.
    limit=$(awk -v s="$SECONDS_EACH" -v w="$WARMUP" 'BEGIN { printf "%d", 20 * (s + w) + 60 }')
    [[ -n "$ONLY" ]] && cmd+=(--only "$ONLY")
    timeout --kill-after=5 "$limit" "${cmd[@]}" --recent "$RECENT" "$@" >"$file" 2>&1 &
    pid=$!
    PIDS+=("$pid")
    wait "$pid" || rc=$?
    forget_pid "$pid"
    (( rc == 0 )) || { sed 's/^/    /' "$file" >&2; die "$side failed or timed out (exit $rc); see $file"; }
}

rm -rf "$RAW"
mkdir -p "$RAW"
# One "recent" date for both sides (3 days and 1234 s ago), so format_date's outputs agree.
RECENT=$(( $(date +%s) - 3 * 86400 - 1234 ))
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
log "SECONDS_EACH=${SECONDS_EACH}s WARMUP=${WARMUP}s ROUNDS=$ROUNDS; Python: $PYTHON; load average before: $LOAD_BEFORE"

# --- the same outputs from both? -------------------------------------------------------------------
log "writing every helper's output once with each side"
run_side tornado "$RAW/check-tornado.txt" --seconds 0.01 --warmup 0 --output "$RAW/tornado-outputs.txt"
run_side gale "$RAW/check-gale.txt" --seconds 0.01 --warmup 0 --output "$RAW/gale-outputs.txt"
TORNADO_VERSION="$(awk -F': ' '$1 == "tornado" { print $2; exit }' "$RAW/check-tornado.txt")"
PY_LINE="$(awk -F': ' '$1 == "python" { print $2; exit }' "$RAW/check-tornado.txt")"
# The names of the cases whose outputs differ (a case is `== name` and the lines after it).
DIFFERING=()
if cmp -s "$RAW/tornado-outputs.txt" "$RAW/gale-outputs.txt"; then
    log "every output is byte-identical"
else
    diff -u --label tornado --label gale "$RAW/tornado-outputs.txt" "$RAW/gale-outputs.txt" >"$RAW/outputs.diff" || true
    while IFS= read -r name; do DIFFERING+=("$name"); done < <(
        awk '/^== / { name = substr($0, 4); next } FNR == NR { a[name] = a[name] $0 "\n"; next } { b[name] = b[name] $0 "\n" }
             END { for (n in a) if (a[n] != b[n]) print n; for (n in b) if (!(n in a)) print n }' \
            "$RAW/tornado-outputs.txt" "$RAW/gale-outputs.txt" | sort)
    log "OUTPUTS DIFFER for: ${DIFFERING[*]}; first lines of $RAW/outputs.diff:"
    head -30 "$RAW/outputs.diff" | sed 's/^/    /' >&2
fi

# --- measured rounds -----------------------------------------------------------------------------
for round in $(seq 1 "$ROUNDS"); do
    for side in tornado gale; do
        log "round $round: $side"
        run_side "$side" "$RAW/r$round-$side.txt" --seconds "$SECONDS_EACH" --warmup "$WARMUP"
    done
done
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"

# Median ns a call of each case for SIDE, as "name<TAB>median" lines in the order helper-bench runs them.
medians() {
    local side="$1"
    cat "$RAW"/r*-"$side".txt | awk -F'\t' 'NF == 3 { print }' | awk -F'\t' '
        { if (!($1 in seen)) { seen[$1] = 1; order[++n] = $1 } v[$1] = v[$1] " " $2 }
        END {
            for (i = 1; i <= n; i++) {
                k = split(substr(v[order[i]], 2), xs, " ")
                for (a = 1; a <= k; a++) for (b = a + 1; b <= k; b++) if (xs[b] + 0 < xs[a] + 0) { t = xs[a]; xs[a] = xs[b]; xs[b] = t }
                m = (k % 2) ? xs[(k + 1) / 2] : (xs[k / 2] + xs[k / 2 + 1]) / 2
                printf "%s\t%s\n", order[i], m
            }
        }'
}
medians tornado >"$RAW/median-tornado.tsv"
medians gale >"$RAW/median-gale.tsv"

# --- instructions a call (optional) ----------------------------------------------------------------
# Runs SIDE with --calls N under callgrind into FILE, once per case (so each count is one case's).
callgrind_total() { callgrind_annotate "$1" 2>/dev/null | awk '/PROGRAM TOTALS/ && !done { gsub(",", "", $1); print $1; done = 1 }'; }
instructions() {
    local side="$1" name n out totals cmd
    case "$side" in
        tornado) cmd=("$PYTHON" "$PY_BENCH") ;;
        gale)
            cp "$BIN" "$RAW/helper-bench-stripped"
            strip --strip-debug "$RAW/helper-bench-stripped"  # valgrind cannot read Swift 6.3's DWARF
            cmd=("$RAW/helper-bench-stripped") ;;
    esac
    cut -f1 "$RAW/median-$side.tsv" | while IFS= read -r name; do
        totals=()
        for n in "$CALLS_LOW" "$CALLS_HIGH"; do
            out="$RAW/callgrind-$side-$n.out"
            timeout 600 valgrind --tool=callgrind --callgrind-out-file="$out" "${cmd[@]}" --only "$name" \
                --calls "$n" --recent "$RECENT" >/dev/null 2>&1 || die "callgrind of $side ($name) failed"
            totals+=("$(callgrind_total "$out")")
        done
        printf '%s\t%s\n' "$name" "$(awk -v a="${totals[0]}" -v b="${totals[1]}" -v n="$((CALLS_HIGH - CALLS_LOW))" \
            'BEGIN { printf "%.0f", (b - a) / n }')"
    done
}
if [[ "$INSTRUCTIONS" == 1 ]]; then
    for side in tornado gale; do
        log "counting instructions a call ($side, callgrind)"
        instructions "$side" >"$RAW/instructions-$side.tsv"
    done
fi

report_facts
REPORT="$RESULTS/helpers-latest.md"
{
    echo "# Template helpers: Gale against Tornado 6 (issue 14)"
    echo
    echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'), commit \`$COMMIT\`$DIRTY"
    echo "- machine: $(nproc) CPUs, ${CPU:-unknown CPU}; load average before $LOAD_BEFORE, after $LOAD_AFTER"
    echo "- Gale: helper-bench, Swift $(swift_version), release; Tornado $TORNADO_VERSION on $PY_LINE"
    echo "- each helper timed ${SECONDS_EACH} s a round after a ${WARMUP} s warm-up, in batches of 100 calls; $ROUNDS round(s) alternating Tornado, Gale; medians"
    echo
    if [[ "$INSTRUCTIONS" == 1 ]]; then
        echo "| helper, input | Tornado ns/call | Gale ns/call | Gale speed / Tornado's | Tornado instructions/call | Gale instructions/call | Tornado/Gale instructions |"
        echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
    else
        echo "| helper, input | Tornado ns/call | Gale ns/call | Gale speed / Tornado's |"
        echo "| --- | ---: | ---: | ---: |"
    fi
    awk -F'\t' -v differing="$(printf '%s\n' "${DIFFERING[@]+"${DIFFERING[@]}"}")" -v counted="$INSTRUCTIONS" '
        BEGIN { n = split(differing, d, "\n"); for (i = 1; i <= n; i++) bad[d[i]] = 1 }
        FILENAME ~ /median-tornado/ { t[$1] = $2; next }
        FILENAME ~ /instructions-tornado/ { ti[$1] = $2; next }
        FILENAME ~ /instructions-gale/ { gi[$1] = $2; next }
        FILENAME ~ /median-gale/ { order[++rows] = $1; g[$1] = $2 }
        END {
            for (r = 1; r <= rows; r++) {
                k = order[r]
                if (!(k in t)) continue
                line = sprintf("| %s%s | %.0f | %.0f | %.1fx |", k, (k in bad) ? " (**outputs differ**)" : "", t[k], g[k], t[k] / g[k])
                if (counted == 1) line = line sprintf(" %d | %d | %.1fx |", ti[k], gi[k], (gi[k] > 0) ? ti[k] / gi[k] : 0)
                print line
            }
        }' "$RAW/median-tornado.tsv" \
        $([[ "$INSTRUCTIONS" == 1 ]] && echo "$RAW/instructions-tornado.tsv" "$RAW/instructions-gale.tsv") \
        "$RAW/median-gale.tsv"
    echo
    if [[ "$INSTRUCTIONS" == 1 ]]; then
        echo "- instructions a call: callgrind's user-space count of $CALLS_HIGH calls minus that of $CALLS_LOW, over the difference (start-up cancels out; each side's loop and call overhead stay in)"
    fi
    if (( ${#DIFFERING[@]} )); then
        echo "- **outputs differ** for: ${DIFFERING[*]}; see results/helpers-last-run/outputs.diff"
    else
        echo "- outputs: every helper's output byte-identical to Tornado's (checked before timing)"
    fi
} | tee "$REPORT"
log "wrote $REPORT; raw output in $RAW"
