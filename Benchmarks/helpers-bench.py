#!/usr/bin/env python3
"""Tornado 6's side of the template helper benchmark (Benchmarks/helpers.sh).

Calls each of Tornado's template helpers (xhtml_escape, url_escape, json_encode, squeeze,
linkify, `%` formatting, locale.format_date) on the same inputs as helper-bench
(Benchmarks/TemplateBench/Sources/HelperBench) and measures nanoseconds a call.

Usage: helpers-bench.py [--seconds S] [--warmup S] [--recent UNIX_TIME] [--output FILE] [--only NAME]
                        [--calls N]

With --calls N, each case runs exactly N calls (in batches of 100) and no warm-up: for
callgrind, whose instruction counts do not drift with the machine's load.

Prints `name<TAB>ns_per_call<TAB>calls` lines on stdout, after `tornado:` and `python:` lines.
"""

import argparse
import platform
import sys
import time

import tornado
import tornado.locale
from tornado.escape import json_encode, linkify, squeeze, url_escape, xhtml_escape

# The same inputs as Benchmarks/TemplateBench/Sources/HelperBench/main.swift.
LINK_TEXT = (
    "Shipped the new release today! Notes at https://example.com/blog/2024/release-notes?utm_source=feed&ref=home "
    + "and the docs moved to www.example.org/docs/latest (see https://github.com/example/project/issues/42). "
    + "Thanks, Zoë & team."
)
PLAIN_TEXT = "Nothing to link in this sentence, only words and commas. " * 4
ESCAPE_TEXT = "Tom & Jerry <tom@example.com> said \"hi\" & it's <b>bold</b> — café crème, 5 > 3 & 2 < 4."
PLAIN_ESCAPE_TEXT = "A plain sentence of about one hundred characters with no markup at all in it, café crème."
URL_TEXT = "Zoë's café & bar/menu?item=crème brûlée&page=2"
SQUEEZE_TEXT = (
    "  The quick\tbrown fox\n\n   jumps over\r\n the lazy dog.   Again:\t\tthe quick brown fox\n jumps over the lazy dog.  "
)
JSON_VALUE = {
    "id": 42, "title": "Hello </script> world", "author": "Zoë", "tags": ["swift", "tornado", "<web>"],
    "score": 3.25, "published": True, "ratio": 0.1, "parent": None,
}
OLD_DATE = 1589896800.0 + 3723


def cases(recent):
    english = tornado.locale.get("en_US")
    format_date = english.format_date

    def percent(pattern, argument):
        value = tuple(argument) if isinstance(argument, list) else argument
        return ("percent %s" % pattern, lambda: pattern % value)

    return [
        ("xhtml_escape 100 chars, 12 specials", lambda: xhtml_escape(ESCAPE_TEXT)),
        ("xhtml_escape 100 chars, none", lambda: xhtml_escape(PLAIN_ESCAPE_TEXT)),
        ("url_escape plus", lambda: url_escape(URL_TEXT)),
        ("url_escape path", lambda: url_escape(URL_TEXT, plus=False)),
        ("json_encode dict of 8", lambda: json_encode(JSON_VALUE)),
        ("squeeze 120 chars", lambda: squeeze(SQUEEZE_TEXT)),
        ("linkify 250 chars, 3 links", lambda: linkify(LINK_TEXT)),
        ("linkify 230 chars, no link", lambda: linkify(PLAIN_TEXT)),
        ("linkify shorten + extra_params", lambda: linkify(LINK_TEXT, shorten=True, extra_params='rel="nofollow"')),
        percent("%.2f", 3.14159),
        percent("%d comments", 12),
        percent("%5.1f%%", 42.25),
        percent("%(name)s has %(count)d posts", {"name": "Zoë", "count": 3}),
        percent("%s and %s", ["a", 1]),
        ("format_date old (full)", lambda: format_date(OLD_DATE)),
        ("format_date recent (weekday)", lambda: format_date(recent)),
    ]


def loop(run, length, count=None):
    """Calls `run` in batches of 100 until `length` seconds have passed (or `count` calls)."""
    clock = time.perf_counter
    start = clock()
    deadline = start + length
    calls = 0
    while True:
        for _ in range(100):
            run()
        calls += 100
        if (calls >= count) if count else (clock() >= deadline):
            break
    return calls, clock() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=0.5)
    parser.add_argument("--warmup", type=float, default=0.1)
    parser.add_argument("--recent", type=int, default=int(time.time()) - 3 * 86400 - 1234)
    parser.add_argument("--output")
    parser.add_argument("--only")
    parser.add_argument("--calls", type=int)
    args = parser.parse_args()
    if tornado.version_info[0] != 6:
        sys.exit("helpers-bench.py: needs Tornado 6, found %s" % tornado.version)
    selected = [c for c in cases(args.recent) if args.only is None or args.only in c[0]]
    if not selected:
        sys.exit("helpers-bench.py: no case matches --only %s" % args.only)
    if args.output:
        with open(args.output, "w", encoding="utf-8", newline="") as f:
            for name, run in selected:
                f.write("== %s\n%s\n" % (name, run()))
    print("tornado: %s" % tornado.version)
    print("python: %s %s (%s)" % (platform.python_implementation(), platform.python_version(), sys.executable))
    for name, run in selected:
        if args.warmup > 0 and not args.calls:
            loop(run, args.warmup)
        calls, elapsed = loop(run, args.seconds, args.calls)
        print("%s\t%r\t%d" % (name, elapsed / calls * 1e9, calls))


if __name__ == "__main__":
    main()
