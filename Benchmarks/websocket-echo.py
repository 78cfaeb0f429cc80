"""Tornado 6's side of Benchmarks/websocket.sh: `python3 websocket-echo.py PORT`, on 127.0.0.1.

The same routes as Benchmarks/WebSocketBench's gale-ws-echo and hb-ws-echo:

    GET /       200 "ok" (the script waits for it before measuring)
    WS  /echo   sends every message back as it came: text as text, binary as binary
    WS  /idle   joins `waiters` on open and leaves on close; the text message "broadcast"
                sends the same 32 bytes to every waiter, as Tornado's chat demo does

Written as Tornado's own demos write it: `write_message` from `on_message`, its future not
awaited (Tornado buffers the frame and writes it at once). Compression off (the default, no
`get_compression_options`), no pings (`websocket_ping_interval` unset), the default 10 MiB
`websocket_max_message_size`, stock asyncio event loop, one process. Nothing configures
logging, so Tornado's access log (INFO) prints nothing.
"""

import asyncio
import sys

import tornado.web
import tornado.websocket

BROADCAST = "gale-broadcast-0123456789abcdefg"  # 32 bytes, as the other servers send


class ReadyHandler(tornado.web.RequestHandler):
    def get(self):
        self.write("ok")


class BenchSocket(tornado.websocket.WebSocketHandler):
    def check_origin(self, origin):
        # swift-websocket's client sends `Origin: ws://127.0.0.1` (no port), which Tornado's
        # same-host check refuses with 403 against `Host: 127.0.0.1:PORT`. Gale lets ws://
        # origins through (no browser page has one) and Hummingbird checks none.
        return True


class EchoHandler(BenchSocket):
    def on_message(self, message):
        self.write_message(message, binary=isinstance(message, bytes))


class IdleHandler(BenchSocket):
    waiters = set()

    def open(self):
        IdleHandler.waiters.add(self)

    def on_close(self):
        IdleHandler.waiters.discard(self)

    def on_message(self, message):
        if message != "broadcast":
            return
        for waiter in list(IdleHandler.waiters):
            try:
                waiter.write_message(BROADCAST)
            except tornado.websocket.WebSocketClosedError:
                pass


async def main(port):
    app = tornado.web.Application(
        [(r"/", ReadyHandler), (r"/echo", EchoHandler), (r"/idle", IdleHandler)]
    )
    app.listen(port, address="127.0.0.1")
    await asyncio.Event().wait()


if __name__ == "__main__":
    if len(sys.argv) != 2 or not sys.argv[1].isdigit():
        sys.exit("usage: python3 websocket-echo.py PORT")
    asyncio.run(main(int(sys.argv[1])))
