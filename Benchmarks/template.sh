#!/usr/bin/env bash
# Benchmarks/template.sh: Gale's template engine against Tornado 6's, on the same page (issue 5).
#
# Both engines render Benchmarks/templates/table.html, a page with a 100-row table that extends
# base.html, with the same data (100 rows: id, a name needing escaping, email, a float score, an
# active flag, 2-3 tags). Gale: Benchmarks/TemplateBench (`template-bench`, a release build).
# Tornado: Benchmarks/template-bench.py with tornado.template.Loader. Each side compiles the
# template once, then renders in a loop for a fixed time. The headline is what a handler pays
# (issue 14): Gale turns its rows (Encodable structs) into template values on every render, as
# `render` does with a handler's fresh values; Tornado's rows are Python dicts, which its
# templates take as they are. Target: Gale's renders/s >= 5x Tornado's.
#
# Before measuring, one render from each engine is compared byte for byte; a difference is shown
# (and kept as a diff) and named in the report, never hidden. Then ROUNDS rounds alternate
# Tornado, Gale, Tornado, Gale ..., so drifting noise falls on both. After them, three informational
# Gale runs: `--mode render` (the rows turned into TemplateValues once, issue 5's measure),
# `--mode convert` (the rows' values built directly, as a `TemplateValueConvertible` conformance
# does) and `--mode parse` (no template cache: both files read and parsed on every render). None
# bears on the verdict.
#
# Prints a Markdown table and writes it to Benchmarks/results/template-latest.md; each run's raw
# output and both pages go to Benchmarks/results/template-last-run/ (all of results/ is gitignored).
#
# Environment (all optional):
#   DURATION=5s     length of each measured run (whole seconds: 5s or 5)
#   WARMUP=0.5      an unmeasured loop before each measured one, in seconds (0 skips it)
#   ROUNDS=3        measured runs per engine, alternating Tornado, Gale, ...
#   EXTRA=1         the three informational Gale runs; 0 skips them
#   PYTHON=...      the Python for Tornado: default /usr/bin/python3 (Debian's build, about 30 %
#                   faster on this page than pyenv's 3.11.7 here, so Tornado is not handicapped),
#                   else python3. If it cannot import Tornado 6, a venv is made from it at
#                   TORNADO_VENV (default ${TMPDIR:-/tmp}/gale-template-bench-venv, kept for the next
#                   run) and `pip install 'tornado>=6,<7'` runs there
#   SKIP_BUILD=1    use the template-bench already built
#
# Every run is bounded by `timeout` (its duration plus 60 s) and stopped by PID on exit or Ctrl-C.
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
RESULTS="$BENCH/results"
RAW="$RESULTS/template-last-run"
TEMPLATES="$BENCH/templates"
PKG="$BENCH/TemplateBench"
SCRATCH="$PKG/.build-release"
PY_BENCH="$BENCH/template-bench.py"

DURATION="${DURATION:-5s}"
WARMUP="${WARMUP:-0.5}"
ROUNDS="${ROUNDS:-3}"
EXTRA="${EXTRA:-1}"
if [[ -z "${PYTHON:-}" ]]; then
    if [[ -x /usr/bin/python3 ]]; then PYTHON=/usr/bin/python3; else PYTHON=python3; fi
fi
TORNADO_VENV="${TORNADO_VENV:-${TMPDIR:-/tmp}/gale-template-bench-venv}"
SKIP_BUILD="${SKIP_BUILD:-0}"
TARGET=5
LOG_TAG=template

# log, die, PIDS and cleanup (stopping processes by PID on exit), to_seconds, report_facts.
source "$BENCH/lib.sh"
SECS="$(to_seconds "$DURATION")"
(( SECS > 0 )) || die "DURATION=$DURATION: at least 1 second"
[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || die "ROUNDS=$ROUNDS: a whole number >= 1"
[[ "$WARMUP" =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "WARMUP=$WARMUP: seconds, e.g. 0.5"
for f in "$TEMPLATES/table.html" "$TEMPLATES/base.html" "$PY_BENCH" "$PKG/Package.swift"; do
    [[ -f "$f" ]] || die "no $f"
done
require_tools swift timeout cmp diff awk

# --- Tornado 6 -----------------------------------------------------------------------------------
use_tornado6

# --- build ---------------------------------------------------------------------------------------
if [[ "$SKIP_BUILD" != 1 ]]; then
    log "building template-bench (release, $SCRATCH)"
    timeout 1800 swift build -c release --package-path "$PKG" --product template-bench --scratch-path "$SCRATCH" >&2 \
        || die "building template-bench failed"
fi
BIN="$(swift build -c release --package-path "$PKG" --scratch-path "$SCRATCH" --show-bin-path)/template-bench"
[[ -x "$BIN" ]] || die "no $BIN (run without SKIP_BUILD=1)"

# --- helpers: run_bench, field, fmt0, fmt1, ratio, greater, us (lib.sh) ---------------------------

rm -rf "$RAW"
mkdir -p "$RAW"
NOTES=()
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
log "DURATION=${SECS}s WARMUP=${WARMUP}s ROUNDS=$ROUNDS; Python: $PYTHON; load average before: $LOAD_BEFORE"

# --- the same page from both? ---------------------------------------------------------------------
log "rendering the page once with each engine"
run_bench tornado "$RAW/check-tornado.txt" 0.05 --warmup 0 --output "$RAW/tornado.html"
run_bench gale "$RAW/check-gale.txt" 0.05 --warmup 0 --output "$RAW/gale.html"
TORNADO_VERSION="$(field "$RAW/check-tornado.txt" tornado)"
PY_EXE="$(field "$RAW/check-tornado.txt" executable)"
PY_VERSION="$(field "$RAW/check-tornado.txt" python)"
PAGE_BYTES="$(wc -c <"$RAW/tornado.html" | tr -d ' ')"
GALE_BYTES="$(wc -c <"$RAW/gale.html" | tr -d ' ')"
if cmp -s "$RAW/tornado.html" "$RAW/gale.html"; then
    SAME=1
    OUTPUT_LINE="byte-identical: $PAGE_BYTES bytes, SHA-256 $(field "$RAW/check-gale.txt" sha256)"
    log "outputs are $OUTPUT_LINE"
else
    SAME=0
    diff -u --label tornado.html --label gale.html "$RAW/tornado.html" "$RAW/gale.html" >"$RAW/page.diff" || true
    OUTPUT_LINE="**they differ**: Tornado $PAGE_BYTES bytes, Gale $GALE_BYTES bytes; $(grep -c '^[-+][^-+]' "$RAW/page.diff" || true) changed lines, diff in results/template-last-run/page.diff"
    log "THE OUTPUTS DIFFER (Tornado $PAGE_BYTES bytes, Gale $GALE_BYTES); first lines of $RAW/page.diff:"
    head -40 "$RAW/page.diff" | sed 's/^/    /' >&2
    NOTES+=("The two pages differ, so the figures compare slightly different work; see page.diff.")
fi

# --- measured rounds -----------------------------------------------------------------------------
declare -A BEST ALL
BEST[tornado]=0; BEST[gale]=0; ALL[tornado]=""; ALL[gale]=""
ROUND_RATIOS=()
for round in $(seq 1 "$ROUNDS"); do
    declare -A THIS=()
    for e in tornado gale; do                                 # alternate, so noise hits both
        f="$RAW/r$round-$e.txt"
        log "round $round: $e, ${SECS}s"
        run_bench "$e" "$f" "$SECS" --warmup "$WARMUP"
        rps="$(field "$f" renders_per_s)"
        [[ -n "$rps" ]] || die "no renders_per_s in $f"
        [[ "$(field "$f" bytes)" == "$(wc -c <"$RAW/$e.html" | tr -d ' ')" ]] || die "$e's page length changed; see $f"
        THIS[$e]="$rps"
        ALL[$e]+="${ALL[$e]:+, }$(fmt0 "$rps")"
        greater "$rps" "${BEST[$e]}" && BEST[$e]="$rps"
        log "  $e: $(fmt0 "$rps") renders/s ($(fmt1 "$(field "$f" us_per_render)") µs a render, $(field "$f" renders) renders)"
    done
    ROUND_RATIOS+=("$(ratio "${THIS[gale]}" "${THIS[tornado]}")")
done
RATIO="$(ratio "${BEST[gale]}" "${BEST[tornado]}")"
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"

# --- informational Gale runs ---------------------------------------------------------------------
EXTRA_ROWS=()
if [[ "$EXTRA" == 1 ]]; then
    for mode in render convert parse; do
        f="$RAW/gale-$mode.txt"
        log "informational: gale --mode $mode, ${SECS}s"
        run_bench gale "$f" "$SECS" --warmup "$WARMUP" --mode "$mode"
        rps="$(field "$f" renders_per_s)"
        case "$mode" in
            render) what="Gale, the rows encoded to TemplateValue once, not per render (informational)" ;;
            convert) what="Gale, the rows' values built directly (TemplateValueConvertible) per render (informational)" ;;
            parse) what="Gale, no template cache: both files parsed on every render (informational)" ;;
        esac
        EXTRA_ROWS+=("| $what | $(fmt0 "$rps") | $(fmt1 "$(field "$f" us_per_render)") | one run | $(ratio "$rps" "${BEST[tornado]}")x |")
    done
fi

# --- report --------------------------------------------------------------------------------------
report_facts
RANGE="$(printf '%s\n' "${ROUND_RATIOS[@]}" | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { print lo "-" hi }')"
ALL_MEET=1
for r in "${ROUND_RATIOS[@]}"; do awk -v r="$r" -v t="$TARGET" 'BEGIN { exit !(r >= t) }' || ALL_MEET=0; done
if awk -v r="$RATIO" -v t="$TARGET" 'BEGIN { exit !(r >= t) }'; then
    if (( ALL_MEET )); then VERDICT="**met**: ${RATIO}x (every round ${RANGE}x)"
    else VERDICT="**met on the best rounds (${RATIO}x) but not in every round** (${RANGE}x)"; fi
else
    VERDICT="**missed**: ${RATIO}x against ${TARGET}x (rounds ${RANGE}x); Gale would need $(fmt0 "$(awk -v b="${BEST[tornado]}" -v t="$TARGET" 'BEGIN { print b * t }')") renders/s"
fi
(( SAME )) || VERDICT+=" — and the pages differ (next line)"

REPORT="$RESULTS/template-latest.md"
{
    echo "# Templates: Gale against Tornado 6 (issue 5)"
    echo
    echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'), commit \`$COMMIT\`$DIRTY"
    echo "- machine: $(nproc) CPUs, ${CPU:-unknown CPU}; load average before $LOAD_BEFORE, after the rounds $LOAD_AFTER"
    echo "- Gale: template-bench, Swift $(swift_version), release; Tornado $TORNADO_VERSION on $PY_VERSION (${PY_EXE:-$PYTHON})"
    echo "- page: Benchmarks/templates/table.html extending base.html, 100 rows; ${SECS} s a run after a ${WARMUP} s warm-up; $ROUNDS round(s) alternating Tornado, Gale"
    echo
    echo "| engine | renders/s | µs a render | every round (renders/s) | Gale/Tornado |"
    echo "| --- | ---: | ---: | --- | ---: |"
    echo "| Tornado $TORNADO_VERSION (tornado.template.Loader) | $(fmt0 "${BEST[tornado]}") | $(us "${BEST[tornado]}") | ${ALL[tornado]} | 1.00x |"
    echo "| Gale (GaleTemplate, TemplateLoader), Encodable rows converted on every render | $(fmt0 "${BEST[gale]}") | $(us "${BEST[gale]}") | ${ALL[gale]} | ${RATIO}x |"
    if (( ${#EXTRA_ROWS[@]} )); then printf '%s\n' "${EXTRA_ROWS[@]}"; fi
    echo
    echo "- renders/s: the best of the $ROUNDS round(s) for each engine; Gale/Tornado of the bests: **${RATIO}x**; by round: $(IFS=,; echo "${ROUND_RATIOS[*]}" | sed 's/,/, /g')"
    echo "- target (Gale >= ${TARGET}x Tornado): $VERDICT"
    echo "- output: $OUTPUT_LINE"
    if (( ${#NOTES[@]} )); then
        echo
        printf -- '- %s\n' "${NOTES[@]}"
    fi
} | tee "$REPORT"
log "wrote $REPORT; raw output in $RAW"
