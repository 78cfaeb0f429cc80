#!/usr/bin/env python3
"""Tornado 6's side of the blog page benchmark (Benchmarks/blog.sh).

Renders Benchmarks/templates/blog.html (30 entries, each through entry.html, inside
blog-base.html) with tornado.template.Loader for a fixed time. The page uses the template
helpers: linkify, squeeze, url_escape, json_encode, xhtml_escape and `%` formatting.

The handler's data (the blog, its entries and their authors) exists once, as Python objects;
each render builds the template's dicts from them, as a handler building its namespace on
every request does. blog-bench (Benchmarks/TemplateBench/Sources/BlogBench) does the same from
Swift structs with `TemplateValue(encoding:)`.

Usage: blog-bench.py [--seconds S] [--warmup S] [--templates DIR] [--output FILE] [--renders N]

With --renders N, exactly N renders and no warm-up instead of a timed loop (for callgrind).

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


# The handler's data, as Benchmarks/TemplateBench/Sources/BlogBench/main.swift builds it.
class Author:
    __slots__ = ("name", "url", "bio")

    def __init__(self, name, url, bio):
        self.name, self.url, self.bio = name, url, bio


class Entry:
    __slots__ = ("id", "slug", "title", "author", "date", "score", "comments", "body", "tags")

    def __init__(self, i):
        self.id = 1000 + i
        self.slug = "post-" + str(i) + "-" + SLUGS[i % 3]
        prefix, suffix = TITLES[i % 4]
        self.title = prefix + str(i) + suffix
        self.author = AUTHORS[i % 3]
        self.date = "2021-" + two(i % 12 + 1) + "-" + two(i % 28 + 1)
        self.score = (i * 37 % 100) / 8.0 + 0.125  # multiples of 1/8: %.2f meets exact ties
        self.comments = i * 7 % 23
        self.body = BODIES[i % 3](str(i))
        self.tags = TAGS[i % 3]


def two(n):
    return ("0" if n < 10 else "") + str(n)


AUTHORS = [
    Author("Zoë Ångström", "https://example.com/~zoe", "Writes about <Swift> & \"servers\"; café owner."),
    Author("Tom O'Brien", "https://example.com/~tom", "Tornado fan since 2009 & proud of it."),
    Author("Ann & Bob", "https://example.com/~annbob", "Two people, one blog: 'we' write <b>together</b>."),
]
SLUGS = ["release notes", "zoë's café", "a&b/c"]
TITLES = [
    ("Release notes for v", ""), ("Tom & Jerry's <guide>, part ", ""), ("Ünïcödé and you, chapter ", "!"),
    ("Escaping </script> in JSON, take ", ""),
]
BODIES = [
    lambda i: "We shipped version " + i + " today.\n\nRead the notes at https://example.com/releases/v" + i
    + "?ref=blog&lang=en and   the migration guide at www.example.org/guide/" + i
    + ".\tQuestions? (see https://github.com/example/project/issues/" + i + ").",
    lambda i: "A  short   post   about   <templates>  &  escaping.\nNo links here, just   words, spaces and    tabs\t\t"
    + "to squeeze. Entry " + i + " of the series, with a café and some crème brûlée.",
    lambda i: "Links in parentheses (like https://en.wikipedia.org/wiki/Python_(programming_language)) are hard; "
    + "so are trailing dots: http://tornadoweb.org/en/stable/. And ftp://files.example.com/pub/" + i
    + " stays text. Also \"quoted\" & 'single' marks.",
]
TAGS = [["swift", "web"], ["tornado", "python & swift"], ["templates", "ünïcode", "c++"]]
BLOG_TITLE = "Gale & Tornado <Notes>"
BLOG_ABOUT = (
    "  A blog about   Swift & Python web servers.\n Source at https://github.com/example/gale and docs at "
    + "www.example.org/docs.  "
)
ENTRY_COUNT = 120
PAGE = 2
TAG = "swift & python"
ENTRIES = [Entry(i) for i in range(1, 31)]


def namespace():
    """The template's values, built from the handler's objects (every render)."""
    entries = [
        {
            "id": e.id,
            "slug": e.slug,
            "title": e.title,
            "author": {"name": e.author.name, "url": e.author.url, "bio": e.author.bio},
            "date": e.date,
            "score": e.score,
            "comments": e.comments,
            "body": e.body,
            "tags": list(e.tags),
            "data": {"id": e.id, "slug": e.slug, "score": e.score, "tags": list(e.tags), "title": e.title},
        }
        for e in ENTRIES
    ]
    total_comments = 0
    total_score = 0.0
    for e in ENTRIES:
        total_comments += e.comments
        total_score += e.score
    return {
        "blog": {"title": BLOG_TITLE, "about": BLOG_ABOUT, "entry_count": ENTRY_COUNT},
        "entries": entries,
        "page": PAGE,
        "tag": TAG,
        "meta": {"page": PAGE, "tag": TAG, "count": len(entries), "note": "</script><script>alert(1)</script>"},
        "total_comments": total_comments,
        "average_score": total_score / len(entries),
    }


def main():
    default_templates = os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="length of the measured loop (default 5)")
    parser.add_argument("--warmup", type=float, default=0.5, help="an unmeasured loop before it (default 0.5)")
    parser.add_argument("--templates", default=default_templates, help="folder with blog.html and its parts")
    parser.add_argument("--output", help="write one render there, byte for byte")
    parser.add_argument("--renders", type=int, help="exactly N renders, no warm-up (for callgrind)")
    args = parser.parse_args()
    if not 0 < args.seconds <= 3600 or not 0 <= args.warmup <= 600:
        parser.error("--seconds: 0 < S <= 3600; --warmup: 0 <= S <= 600")
    if tornado.version_info[0] != 6:
        sys.exit("blog-bench.py: needs Tornado 6, found %s" % tornado.version)

    loader = tornado.template.Loader(args.templates)  # .html: whitespace "single", xhtml_escape
    template = loader.load("blog.html")

    page = template.generate(**namespace())  # bytes (UTF-8)
    if template.generate(**namespace()) != page:
        sys.exit("blog-bench.py: two renders differ")
    if args.output:
        with open(args.output, "wb") as f:
            f.write(page)

    def loop(length, count=None):
        generate = template.generate
        clock = time.perf_counter
        start = clock()
        deadline = start + length
        renders = 0
        total = 0
        while True:
            total += len(generate(**namespace()))
            renders += 1
            if (renders >= count) if count else (clock() >= deadline):
                break
        return renders, clock() - start, total

    if args.warmup > 0 and not args.renders:
        loop(args.warmup)
    renders, elapsed, total = loop(args.seconds, args.renders)
    if total != renders * len(page):
        sys.exit("blog-bench.py: a render in the loop had another length")

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
