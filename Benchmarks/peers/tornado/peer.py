#!/usr/bin/env python3
"""Tornado 6's side of Benchmarks/bench-peers.sh: the routes every peer serves
(Benchmarks/peers/README.md), written as a Tornado app would be.

    GET /             "Hello, world"
    GET /json         an order (the same as PeerData's Order), made per request, `write(dict)`
    GET /page         Benchmarks/templates/table.html, 100 rows made per request, `render`
    GET /static/NAME  the files under --static-path (the static_path setting)
    anything else     404

Usage: peer.py --port N --static-path DIR [--template-path DIR]   (binds 127.0.0.1 only)

One process, on asyncio's default event loop, as `app.listen(port)` in Tornado's guide; nothing
is logged per request (the access log is turned off, errors still go to stderr).
"""

import argparse
import asyncio
import logging
import os
import sys

import tornado
import tornado.web

BASE_NAMES = ["Ann & Bob", "<script>alert('x')</script>", "O'Brien \"OB\"", "Zoë Ångström", "Plain Name"]
TAG_SETS = [["admin", "staff"], ["user", "beta", "<new>"], ["guest", "a&b"]]
PAGE_TITLE = "Users & <Teams>"


def make_rows(count):
    """Rows 1 to count, as PeerData's TableRow.make and Benchmarks/template-bench.py build them."""
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


def make_order():
    """The order of PeerData's Order.make: 10 lines, prices in quarters."""
    lines = [
        {
            "sku": "SKU-%d" % (1000 + i),
            "name": "Item number %d" % i,
            "quantity": i % 4 + 1,
            "price": i * 2.25,
            "inStock": i % 3 != 0,
        }
        for i in range(1, 11)
    ]
    return {
        "id": 4217,
        "customer": "Ann & Bob <Teams>",
        "email": "orders+4217@example.com",
        "status": "shipped",
        "paid": True,
        "currency": "EUR",
        "tags": ["express", "gift", "fragile"],
        "lines": lines,
        "total": sum(line["quantity"] * line["price"] for line in lines),
    }


class HelloHandler(tornado.web.RequestHandler):
    def get(self):
        self.write("Hello, world")


class JSONHandler(tornado.web.RequestHandler):
    def get(self):
        self.write(make_order())


class PageHandler(tornado.web.RequestHandler):
    def get(self):
        self.render("table.html", title=PAGE_TITLE, rows=make_rows(100))


async def main():
    default_templates = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "templates")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8892)
    parser.add_argument("--static-path", required=True)
    parser.add_argument("--template-path", default=os.path.normpath(default_templates))
    args = parser.parse_args()
    if tornado.version_info[0] != 6:
        sys.exit("peer.py: needs Tornado 6, found %s" % tornado.version)
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("tornado.access").disabled = True
    app = tornado.web.Application(
        [(r"/", HelloHandler), (r"/json", JSONHandler), (r"/page", PageHandler)],
        static_path=args.static_path,
        template_path=args.template_path,
    )
    app.listen(args.port, address="127.0.0.1")
    print("tornado peer listening on http://127.0.0.1:%d/" % args.port, flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
