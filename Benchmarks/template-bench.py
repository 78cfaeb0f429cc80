#!/usr/bin/env python3
"""Tornado 6's side of issue 5's template benchmark (Benchmarks/template.sh).

Renders Benchmarks/templates/table.html (a 100-row table extending base.html) with
tornado.template.Loader for a fixed time, with the same data that template-bench
(Benchmarks/TemplateBench) builds, here as dicts. The template is compiled once by the
loader and the rows are built once, as on the Gale side; each iteration is one `generate`.

Usage: template-bench.py [--seconds S] [--warmup S] [--templates DIR] [--output FILE]

Prints `key: value` lines (renders, seconds, renders_per_s, bytes, sha256 ...) on stdout.
"""

import argparse
import hashlib
import os
import platform
import sys
import time

import tornado
import tornado.template

# The same data as Benchmarks/TemplateBench/Sources/TemplateBench/main.swift.
BASE_NAMES = ["Ann & Bob", "<script>alert('x')</script>", "O'Brien \"OB\"", "Zoë Ångström", "Plain Name"]
TAG_SETS = [["admin", "staff"], ["user", "beta", "<new>"], ["guest", "a&b"]]
PAGE_TITLE = "Users & <Teams>"


def make_rows(count):
    return [
        {
            "id": i,
            "name": "%s #%d" % (BASE_NAMES[(i - 1) % len(BASE_NAMES)], i),
            "email": "user%d+tag@example.com" % i,
            "score": (i % 40) * 2.5 + i * 0.1,
            "active": i % 3 != 0,
            "tags": list(TAG_SETS[i % 3]),
        }
        for i in range(1, count + 1)
    ]


def main():
    default_templates = os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="length of the measured loop (default 5)")
    parser.add_argument("--warmup", type=float, default=0.5, help="an unmeasured loop before it (default 0.5)")
    parser.add_argument("--templates", default=default_templates, help="folder with table.html and base.html")
    parser.add_argument("--output", help="write one render there, byte for byte")
    args = parser.parse_args()
    if not 0 < args.seconds <= 3600 or not 0 <= args.warmup <= 600:
        parser.error("--seconds: 0 < S <= 3600; --warmup: 0 <= S <= 600")
    if tornado.version_info[0] != 6:
        sys.exit("template-bench.py: needs Tornado 6, found %s" % tornado.version)

    loader = tornado.template.Loader(args.templates)  # .html: whitespace "single", xhtml_escape
    template = loader.load("table.html")
    namespace = {"title": PAGE_TITLE, "rows": make_rows(100)}

    page = template.generate(**namespace)  # bytes (UTF-8)
    if template.generate(**namespace) != page:
        sys.exit("template-bench.py: two renders differ")
    if args.output:
        with open(args.output, "wb") as f:
            f.write(page)

    def loop(length):
        generate = template.generate
        clock = time.perf_counter
        start = clock()
        deadline = start + length
        renders = 0
        total = 0
        while True:
            total += len(generate(**namespace))
            renders += 1
            if clock() >= deadline:
                break
        return renders, clock() - start, total

    if args.warmup > 0:
        loop(args.warmup)
    renders, elapsed, total = loop(args.seconds)
    if total != renders * len(page):
        sys.exit("template-bench.py: a render in the loop had another length")

    print("engine: tornado")
    print("tornado: %s" % tornado.version)
    print("python: %s %s" % (platform.python_implementation(), platform.python_version()))
    print("executable: %s" % sys.executable)
    print("renders: %d" % renders)
    print("seconds: %r" % elapsed)
    print("renders_per_s: %r" % (renders / elapsed))
    print("us_per_render: %r" % (elapsed / renders * 1e6))
    print("bytes: %d" % len(page))
    print("sha256: %s" % hashlib.sha256(page).hexdigest())


if __name__ == "__main__":
    main()
