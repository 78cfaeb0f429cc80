#!/usr/bin/env bash
# Benchmarks/blog.sh: Gale's template engine against Tornado 6's on a blog page that leans on the
# template helpers (issue 14).
#
# Both engines render Benchmarks/templates/blog.html: 30 entries, each through entry.html
# (included in a loop), inside blog-base.html, using linkify, squeeze, url_escape, json_encode,
# xhtml_escape and `%` formatting. The data is made into template values on every render, as a
# request pays: Gale's `blog-bench` (Benchmarks/TemplateBench) turns Swift structs into
# TemplateValues with `TemplateValue(encoding:)`; Tornado's Benchmarks/blog-bench.py builds its
# dicts from Python objects. Each side compiles the templates once.
# Target: Gale's renders/s >= 3x Tornado's.
#
# Before measuring, one render from each engine is compared byte for byte; a difference is shown
# (and kept as a diff) and named in the report, never hidden. Then ROUNDS rounds alternate
# Tornado, Gale, Tornado, Gale ..., so drifting noise falls on both; the report gives each side's
# median.
#
# Prints a Markdown table and writes it to Benchmarks/results/blog-latest.md; each run's raw
# output and both pages go to Benchmarks/results/blog-last-run/ (all of results/ is gitignored).
#
# Environment (all optional):
#   DURATION=5s     length of each measured run (whole seconds: 5s or 5)
#   WARMUP=0.5      an unmeasured loop before each measured one, in seconds (0 skips it)
#   ROUNDS=5        measured runs per engine, alternating Tornado, Gale, ...
#   PYTHON=...      the Python for Tornado: default /usr/bin/python3 (Debian's build), else
#                   python3. If it cannot import Tornado 6, a venv is made from it at
#                   TORNADO_VENV (default ${TMPDIR:-/tmp}/gale-template-bench-venv, kept for the next
#                   run) and `pip install 'tornado>=6,<7'` runs there
#   SKIP_BUILD=1    use the blog-bench already built
#   PROFILE=N       after the rounds, blog-bench under callgrind (valgrind) for N and for 2N renders:
#                   instructions a render (the difference over N), and the functions that cost the
#                   most, to results/blog-last-run/callgrind-*.txt
#
# Every run is bounded by `timeout` (its duration plus 60 s) and stopped by PID on exit or Ctrl-C.
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
RESULTS="$BENCH/results"
RAW="$RESULTS/blog-last-run"
TEMPLATES="$BENCH/templates"
PKG="$BENCH/TemplateBench"
SCRATCH="$PKG/.build-release"
PY_BENCH="$BENCH/blog-bench.py"

DURATION="${DURATION:-5s}"
WARMUP="${WARMUP:-0.5}"
ROUNDS="${ROUNDS:-5}"
PROFILE="${PROFILE:-0}"
if [[ -z "${PYTHON:-}" ]]; then
    if [[ -x /usr/bin/python3 ]]; then PYTHON=/usr/bin/python3; else PYTHON=python3; fi
fi
TORNADO_VENV="${TORNADO_VENV:-${TMPDIR:-/tmp}/gale-template-bench-venv}"
SKIP_BUILD="${SKIP_BUILD:-0}"
TARGET=3
LOG_TAG=blog

# log, die, PIDS and cleanup (stopping processes by PID on exit), to_seconds, report_facts.
source "$BENCH/lib.sh"
SECS="$(to_seconds "$DURATION")"
(( SECS > 0 )) || die "DURATION=$DURATION: at least 1 second"
[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || die "ROUNDS=$ROUNDS: a whole number >= 1"
[[ "$WARMUP" =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "WARMUP=$WARMUP: seconds, e.g. 0.5"
[[ "$PROFILE" =~ ^[0-9]+$ ]] || die "PROFILE=$PROFILE: a number of renders (0 for none)"
for f in blog.html entry.html blog-base.html; do [[ -f "$TEMPLATES/$f" ]] || die "no $TEMPLATES/$f"; done
[[ -f "$PY_BENCH" && -f "$PKG/Package.swift" ]] || die "no $PY_BENCH or $PKG/Package.swift"
require_tools swift timeout cmp diff awk sort
(( PROFILE == 0 )) || require_tools valgrind callgrind_annotate strip

# --- Tornado 6 -----------------------------------------------------------------------------------
use_tornado6

# --- build ---------------------------------------------------------------------------------------
if [[ "$SKIP_BUILD" != 1 ]]; then
    log "building blog-bench (release, $SCRATCH)"
    # SwiftPM keeps the file list of a path dependency (Gale) from its last plan: a source file
    # added to Gale since would be missing from the build. Planning again takes seconds.
    rm -f "$SCRATCH/release.yaml"
    timeout 1800 swift build -c release --package-path "$PKG" --product blog-bench --scratch-path "$SCRATCH" >&2 \
        || die "building blog-bench failed"
fi
BIN="$(swift build -c release --package-path "$PKG" --scratch-path "$SCRATCH" --show-bin-path)/blog-bench"
[[ -x "$BIN" ]] || die "no $BIN (run without SKIP_BUILD=1)"

# --- helpers: run_bench, field, fmt0, ratio, us and median come from lib.sh -------------------------

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
    OUTPUT_LINE="byte-identical (cmp): $PAGE_BYTES bytes, SHA-256 $(field "$RAW/check-gale.txt" sha256)"
    log "outputs are $OUTPUT_LINE"
else
    SAME=0
    diff -u --label tornado.html --label gale.html "$RAW/tornado.html" "$RAW/gale.html" >"$RAW/page.diff" || true
    OUTPUT_LINE="**they differ**: Tornado $PAGE_BYTES bytes, Gale $GALE_BYTES bytes; $(grep -c '^[-+][^-+]' "$RAW/page.diff" || true) changed lines, diff in results/blog-last-run/page.diff"
    log "THE OUTPUTS DIFFER (Tornado $PAGE_BYTES bytes, Gale $GALE_BYTES); first lines of $RAW/page.diff:"
    head -40 "$RAW/page.diff" | sed 's/^/    /' >&2
    NOTES+=("The two pages differ, so the figures compare slightly different work; see page.diff.")
fi

# --- measured rounds -----------------------------------------------------------------------------
declare -A ALL
ALL[tornado]=""; ALL[gale]=""
TORNADO_RUNS=(); GALE_RUNS=(); ROUND_RATIOS=()
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
        log "  $e: $(fmt0 "$rps") renders/s ($(us "$rps") µs a render)"
    done
    TORNADO_RUNS+=("${THIS[tornado]}"); GALE_RUNS+=("${THIS[gale]}")
    ROUND_RATIOS+=("$(ratio "${THIS[gale]}" "${THIS[tornado]}")")
done
MEDIAN_TORNADO="$(median "${TORNADO_RUNS[@]}")"
MEDIAN_GALE="$(median "${GALE_RUNS[@]}")"
RATIO="$(ratio "$MEDIAN_GALE" "$MEDIAN_TORNADO")"
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"

# --- optional profile ----------------------------------------------------------------------------
PROFILE_LINE=""
if (( PROFILE > 0 )); then
    # valgrind cannot read the DWARF of Swift 6.3's release builds: profile a copy without it.
    cp "$BIN" "$RAW/blog-bench-stripped"
    strip --strip-debug "$RAW/blog-bench-stripped"
    log "profiling $PROFILE and $((2 * PROFILE)) renders of blog-bench under callgrind"
    for n in "$PROFILE" "$((2 * PROFILE))"; do
        timeout 1800 valgrind --tool=callgrind --callgrind-out-file="$RAW/callgrind-$n.out" \
            "$RAW/blog-bench-stripped" --templates "$TEMPLATES" --renders "$n" >"$RAW/callgrind-run-$n.txt" 2>&1 \
            || die "callgrind run failed; see $RAW/callgrind-run-$n.txt"
    done
    log "the same under callgrind for Tornado"
    for n in "$PROFILE" "$((2 * PROFILE))"; do
        timeout 1800 valgrind --tool=callgrind --callgrind-out-file="$RAW/callgrind-tornado-$n.out" \
            "$PYTHON" "$PY_BENCH" --templates "$TEMPLATES" --renders "$n" >"$RAW/callgrind-tornado-run-$n.txt" 2>&1 \
            || die "callgrind run of Tornado failed; see $RAW/callgrind-tornado-run-$n.txt"
    done
    OUT="$RAW/callgrind-$((2 * PROFILE)).out"
    callgrind_annotate --inclusive=yes "$OUT" >"$RAW/callgrind-inclusive.txt" 2>/dev/null || true
    callgrind_annotate "$OUT" >"$RAW/callgrind-self.txt" 2>/dev/null || true
    total() { callgrind_annotate "$1" 2>/dev/null | awk '/PROGRAM TOTALS/ && !done { gsub(",", "", $1); print $1; done = 1 }'; }
    PER_RENDER="$(awk -v a="$(total "$RAW/callgrind-$PROFILE.out")" -v b="$(total "$OUT")" -v n="$PROFILE" \
        'BEGIN { printf "%.0f", (b - a) / n }')"
    TORNADO_PER_RENDER="$(awk -v a="$(total "$RAW/callgrind-tornado-$PROFILE.out")" \
        -v b="$(total "$RAW/callgrind-tornado-$((2 * PROFILE)).out")" -v n="$PROFILE" 'BEGIN { printf "%.0f", (b - a) / n }')"
    PROFILE_LINE="callgrind, instructions a render: Tornado $TORNADO_PER_RENDER, Gale $PER_RENDER, $(ratio "$TORNADO_PER_RENDER" "$PER_RENDER")x fewer for Gale (the count of $((2 * PROFILE)) renders minus that of $PROFILE, so start-up and the checks cancel out); Gale's functions by cost ($((2 * PROFILE)) renders) in results/blog-last-run/callgrind-self.txt and callgrind-inclusive.txt"
fi

# --- report --------------------------------------------------------------------------------------
report_facts
RANGE="$(printf '%s\n' "${ROUND_RATIOS[@]}" | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { print lo "-" hi }')"
if awk -v r="$RATIO" -v t="$TARGET" 'BEGIN { exit !(r >= t) }'; then
    VERDICT="**met**: ${RATIO}x (rounds ${RANGE}x)"
else
    VERDICT="**missed**: ${RATIO}x against ${TARGET}x (rounds ${RANGE}x); Gale would need $(fmt0 "$(awk -v b="$MEDIAN_TORNADO" -v t="$TARGET" 'BEGIN { print b * t }')") renders/s"
fi
(( SAME )) || VERDICT+=" — and the pages differ (next line)"

REPORT="$RESULTS/blog-latest.md"
{
    echo "# The blog page: Gale against Tornado 6 (issue 14)"
    echo
    echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'), commit \`$COMMIT\`$DIRTY"
    echo "- machine: $(nproc) CPUs, ${CPU:-unknown CPU}; load average before $LOAD_BEFORE, after the rounds $LOAD_AFTER"
    echo "- Gale: blog-bench, Swift $(swift_version), release; Tornado $TORNADO_VERSION on $PY_VERSION (${PY_EXE:-$PYTHON})"
    echo "- page: Benchmarks/templates/blog.html, 30 entries through entry.html, inside blog-base.html; values made on every render; ${SECS} s a run after a ${WARMUP} s warm-up; $ROUNDS round(s) alternating Tornado, Gale"
    echo
    echo "| engine | renders/s (median) | µs a render | every round (renders/s) | Gale/Tornado |"
    echo "| --- | ---: | ---: | --- | ---: |"
    echo "| Tornado $TORNADO_VERSION (tornado.template.Loader) | $(fmt0 "$MEDIAN_TORNADO") | $(us "$MEDIAN_TORNADO") | ${ALL[tornado]} | 1.00x |"
    echo "| Gale (GaleTemplate, TemplateLoader) | $(fmt0 "$MEDIAN_GALE") | $(us "$MEDIAN_GALE") | ${ALL[gale]} | ${RATIO}x |"
    echo
    echo "- Gale/Tornado of the medians: **${RATIO}x**; by round: $(IFS=,; echo "${ROUND_RATIOS[*]}" | sed 's/,/, /g')"
    echo "- target (Gale >= ${TARGET}x Tornado): $VERDICT"
    echo "- output: $OUTPUT_LINE"
    [[ -z "$PROFILE_LINE" ]] || echo "- $PROFILE_LINE"
    if (( ${#NOTES[@]} )); then
        echo
        printf -- '- %s\n' "${NOTES[@]}"
    fi
} | tee "$REPORT"
log "wrote $REPORT; raw output in $RAW"
