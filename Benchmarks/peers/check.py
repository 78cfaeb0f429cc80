#!/usr/bin/env python3
"""Checks one peer's answer to one route of Benchmarks/bench-peers.sh before anything is measured.

Usage: check.py ROUTE STATUS BODY_FILE [REFERENCE_FILE]

ROUTE is hello, json, page, static1k, static1m or notfound; STATUS the HTTP status the peer
answered; BODY_FILE its body. REFERENCE_FILE: for page, another peer's page to compare with;
for static1k/static1m, the file served. Prints nothing and exits 0 when the answer is right,
else prints why and exits 1.

Pages are compared after normalising what differs between template engines and not in content:
runs of whitespace (each engine keeps a template's line breaks and indents its own way), and
the entity for an apostrophe (Tornado and Gale write &#x27;, Mustache and Leaf &#39;).
"""

import importlib.util
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def reference_order():
    """The order as tornado/peer.py builds it (the same values as PeerData's Order.make)."""
    spec = importlib.util.spec_from_file_location("peer", os.path.join(HERE, "tornado", "peer.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.make_order()


def normalise_page(text):
    text = text.replace("&#39;", "&#x27;")
    text = re.sub(r">\s+<", "><", text)
    text = re.sub(r"\s+", " ", text)
    return text.strip()


def check(route, status, body, reference):
    if route == "notfound":
        return None if status == 404 else "status %d, want 404" % status
    if status != 200:
        return "status %d, want 200" % status
    if route == "hello":
        return None if body == b"Hello, world" else "body %r, want 'Hello, world'" % body[:80]
    if route == "json":
        try:
            value = json.loads(body)
        except ValueError as error:
            return "not JSON: %s" % error
        want = reference_order()
        if value != want:
            return "JSON differs from the reference order: %r" % value
        return None
    if route == "page":
        page = body.decode("utf-8", "replace")
        rows = len(re.findall(r'<tr class="(?:odd|even)', page))
        if rows != 100:
            return "%d table rows, want 100" % rows
        if reference is not None:
            want = normalise_page(reference.decode("utf-8", "replace"))
            got = normalise_page(page)
            if got != want:
                at = next((i for i, (a, b) in enumerate(zip(got, want)) if a != b), min(len(got), len(want)))
                return "page differs from the reference at character %d: %r vs %r" % (
                    at, got[max(at - 40, 0) : at + 40], want[max(at - 40, 0) : at + 40])
        return None
    if route in ("static1k", "static1m"):
        return None if body == reference else "body of %d bytes differs from the file (%d bytes)" % (
            len(body), len(reference or b""))
    return "unknown route %s" % route


def main():
    if len(sys.argv) not in (4, 5):
        sys.exit(__doc__.strip().splitlines()[2])
    route, status, body_file = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    with open(body_file, "rb") as f:
        body = f.read()
    reference = None
    if len(sys.argv) == 5:
        with open(sys.argv[4], "rb") as f:
            reference = f.read()
    problem = check(route, status, body, reference)
    if problem:
        print(problem)
        sys.exit(1)


if __name__ == "__main__":
    main()
