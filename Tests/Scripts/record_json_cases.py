#!/usr/bin/env python3
"""Records what Tornado's RequestHandler.write(dict) sends, for Tests/GaleTests/JSONOutputTests.swift
(and WebSocketJSONTests).

A real Tornado application on 127.0.0.1 (port 0) serves each case below through `self.write(dict)`;
the script prints each body (and the Content-Type once) as a Swift raw string. The dictionaries
mirror the Swift values the tests write: a struct's fields in declaration order (a Python dict
keeps insertion order), a Swift [String: ...] dictionary with its keys sorted.

Run: python3 -m venv /tmp/venv && /tmp/venv/bin/pip install 'tornado>=6,<7' &&
     /tmp/venv/bin/python Tests/Scripts/record_json_cases.py
"""
import asyncio
import platform

import tornado
import tornado.httpclient
import tornado.web

LINES = [
    {"sku": "SKU-%d" % (1000 + i), "name": "Item number %d" % i, "quantity": i % 4 + 1,
     "price": i * 2.25, "inStock": i % 3 != 0}
    for i in range(1, 4)
]

CASES = {
    # struct Shipment: fields in declaration order, a nil optional as null.
    "shipment": {
        "id": 4217, "customer": "Ann & Bob <Teams>", "note": "</script><script>alert(1)</script>",
        "paid": True, "coupon": None, "tags": ["express", "gift"], "lines": LINES,
        "total": sum(line["quantity"] * line["price"] for line in LINES),
    },
    # struct Texts: what json.dumps escapes, and </ after it.
    "strings": {
        "quote": 'say "hi" \\ back',
        "controls": "tab\tnl\ncr\rnul\x00bell\x07bs\bff\fesc\x1bdel\x7f",
        "latin": "Zo\u00eb \u00c5ngstr\u00f6m",
        "astral": "\U0001F600 \U0001D11E",
        "separators": "\u2028\u2029\ufeff",
        "slashes": "a/b </c> <\\/d> //",
        "empty": "",
    },
    # struct Numbers: Python's float repr is Swift's shortest form, exponents aside.
    "numbers": {
        "doubles": [0.1, 1e16, 1e-05, 100.0, -0.0, 2.25, 1.5e300, 123456789.125, 5e-324,
                    1.7976931348623157e308, 1e22, 0.000123],
        "float": 0.10000000149011612,
        "ints": [0, -1, 9223372036854775807, -9223372036854775808],
        "small": 7,
        "flags": [True, False],
    },
    # [String: Int]: keys sorted in Swift, so sorted here.
    "sorted": dict(sorted({"zeta": 1, "alpha": 2, "Beta": 3, "_": 4, "\u00e9t\u00e9": 5, "a b": 6}.items())),
    # struct Nested: optionals, nested optionals and empty containers.
    # struct Message, which Tests/GaleServerTests/WebSocketJSONTests.swift sends as a WebSocket
    # message: write_message(dict) sends json_encode(dict) too.
    "message": {"user": "ann", "text": "</script> \u2603", "at": 1.5, "seen": None},
    "nested": {"maybe": None, "twice": None, "some": "x", "list": [None, 1, None], "empty": [], "object": {}},
}


class CaseHandler(tornado.web.RequestHandler):
    def get(self, name):
        self.write(CASES[name])


async def main():
    app = tornado.web.Application([(r"/(\w+)", CaseHandler)])
    server = app.listen(0, "127.0.0.1")
    port = next(iter(server._sockets.values())).getsockname()[1]
    client = tornado.httpclient.AsyncHTTPClient()
    print("    // Recorded from Tornado %s on CPython %s by Tests/Scripts/record_json_cases.py."
          % (tornado.version, platform.python_version()))
    content_type = None
    for name in CASES:
        response = await client.fetch("http://127.0.0.1:%d/%s" % (port, name))
        content_type = response.headers["Content-Type"]
        body = response.body.decode("ascii")
        print('    static let %s =\n        #"%s"#' % (name, body))
    print('    static let contentType = "%s"' % content_type)
    server.stop()


asyncio.run(main())
