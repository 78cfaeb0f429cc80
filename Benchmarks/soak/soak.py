#!/usr/bin/env python3
"""Benchmarks/soak/soak.py: mixed traffic against a running Gale server, bounded in time.

Drives, from --workers asyncio tasks on keep-alive connections to 127.0.0.1:
  hello      GET /whoami (FriendFeed's smallest dynamic answer)
  static     GET /static/big.bin with a random Range (206, exact length) and GET /robots.txt
  login      the FriendFeed sign-in flow: GET /login (the _xsrf cookie and form token),
             POST /login with the token (302 to /), GET / with the signed cookie (200, the
             name escaped in the page), and a POST without the token (403)
  notfound   GET /no/such/page (404)
  malformed  a new connection sending a broken request (400 from Gale, or from nginx)
and, with --chat, a few WebSocket clients of Examples/Chat that post and receive broadcasts,
reconnecting now and then (the `websockets` client from PyPI).

Samples RSS and open fds of each --pid every --sample seconds. Prints a report and exits 1 if
any answer was 5xx or unexpected, a request failed, the server holds more than --fd-slack
fds more when idle after the run than when idle before it, or the RSS slope (least squares over the samples after the first --warmup
seconds) is above --max-rss-slope KiB per minute.
"""
import argparse
import asyncio
import json
import os
import random
import re
import sys
import time

HOST = "127.0.0.1"


class Stats:
    def __init__(self):
        self.counts = {}
        self.status = {}
        self.failures = []
        self.server_errors = 0

    def ok(self, kind):
        self.counts[kind] = self.counts.get(kind, 0) + 1

    def saw(self, status):
        self.status[status] = self.status.get(status, 0) + 1
        if status >= 500:
            self.server_errors += 1

    def fail(self, message):
        if len(self.failures) < 50:
            self.failures.append(message)
        else:
            self.failures[-1] = f"... and more (last: {message})"


class Response:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def header(self, name):
        return self.headers.get(name.lower(), [None])[0]


async def read_response(reader, head_only=False):
    line = await reader.readline()
    if not line:
        raise ConnectionError("connection closed before a status line")
    parts = line.decode("latin-1").split(" ", 2)
    status = int(parts[1])
    headers = {}
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        name, _, value = line.decode("latin-1").partition(":")
        headers.setdefault(name.strip().lower(), []).append(value.strip())
    body = b""
    if head_only or status in (204, 304):
        return Response(status, headers, body)
    if "chunked" in ",".join(headers.get("transfer-encoding", [])).lower():
        while True:
            size = int((await reader.readline()).split(b";")[0], 16)
            if size == 0:
                while (await reader.readline()) not in (b"\r\n", b""):
                    pass
                break
            body += await reader.readexactly(size)
            await reader.readexactly(2)
    elif "content-length" in headers:
        body = await reader.readexactly(int(headers["content-length"][0]))
    else:
        body = await reader.read()
    return Response(status, headers, body)


class Connection:
    """One keep-alive HTTP/1.1 connection, reopened when the server closes it."""

    def __init__(self, port, timeout):
        self.port, self.timeout = port, timeout
        self.reader = self.writer = None

    async def close(self):
        if self.writer is not None:
            self.writer.close()
            try:
                await self.writer.wait_closed()
            except Exception:
                pass
        self.reader = self.writer = None

    async def request(self, method, path, headers=None, body=b""):
        for attempt in (0, 1):
            if self.writer is None:
                self.reader, self.writer = await asyncio.wait_for(
                    asyncio.open_connection(HOST, self.port), self.timeout)
            lines = [f"{method} {path} HTTP/1.1", f"Host: {HOST}:{self.port}"]
            for name, value in (headers or {}).items():
                lines.append(f"{name}: {value}")
            if body or method == "POST":
                lines.append(f"Content-Length: {len(body)}")
            data = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
            try:
                self.writer.write(data)
                await self.writer.drain()
                response = await asyncio.wait_for(
                    read_response(self.reader, head_only=method == "HEAD"), self.timeout)
            except (ConnectionError, asyncio.IncompleteReadError) as error:
                # A keep-alive connection the server closed between requests: retry once, anew.
                await self.close()
                if attempt == 1:
                    raise error
                continue
            if "close" in ",".join(response.headers.get("connection", [])).lower():
                await self.close()
            return response


def cookies_from(response, jar):
    for value in response.headers.get("set-cookie", []):
        pair = value.split(";", 1)[0]
        name, _, val = pair.partition("=")
        jar[name.strip()] = val.strip()


def cookie_header(jar):
    return "; ".join(f"{k}={v}" for k, v in jar.items())


class Traffic:
    def __init__(self, args, stats, big_size):
        self.args, self.stats, self.big_size = args, stats, big_size

    def expect(self, kind, response, statuses, check=None):
        self.stats.saw(response.status)
        if response.status not in statuses:
            self.stats.fail(f"{kind}: status {response.status}, expected {statuses}: {response.body[:120]!r}")
            return False
        if check is not None and not check(response):
            self.stats.fail(f"{kind}: answer failed its check: {response.status} {response.body[:120]!r}")
            return False
        self.stats.ok(kind)
        return True

    async def hello(self, conn):
        r = await conn.request("GET", "/whoami")
        self.expect("hello", r, {200}, lambda r: b'"remote_ip"' in r.body)

    async def static(self, conn):
        if random.random() < 0.3:
            r = await conn.request("GET", "/robots.txt")
            self.expect("static", r, {200})
            return
        start = random.randrange(0, self.big_size - 1)
        end = min(self.big_size - 1, start + random.randrange(0, 65536))
        r = await conn.request("GET", "/static/big.bin", {"Range": f"bytes={start}-{end}"})
        self.expect("static-range", r, {206}, lambda r: len(r.body) == end - start + 1
                    and r.header("content-range") == f"bytes {start}-{end}/{self.big_size}")

    async def login(self, conn):
        jar = {}
        r = await conn.request("GET", "/login?next=%2F")
        if not self.expect("login-form", r, {200}):
            return
        cookies_from(r, jar)
        match = re.search(rb'name="_xsrf" value="([^"]+)"', r.body)
        if match is None or "_xsrf" not in jar:
            self.stats.fail("login-form: no _xsrf cookie or form field")
            return
        token = match.group(1).decode()
        name = f"soak<{random.randrange(10**6)}>"
        form = f"name={name.replace('<', '%3C').replace('>', '%3E')}&next=%2F&_xsrf={token}".encode()
        form_headers = {"Cookie": cookie_header(jar), "Content-Type": "application/x-www-form-urlencoded"}
        r = await conn.request("POST", "/login", form_headers, form)
        if not self.expect("login-post", r, {302}, lambda r: r.header("location") == "/"):
            return
        cookies_from(r, jar)
        r = await conn.request("GET", "/", {"Cookie": cookie_header(jar)})
        escaped = name.replace("<", "&lt;").replace(">", "&gt;").encode()
        self.expect("login-home", r, {200}, lambda r: escaped in r.body and name.encode() not in r.body)
        forged = f"name=x&next=%2F".encode()
        r = await conn.request("POST", "/login", {"Cookie": cookie_header(jar),
                               "Content-Type": "application/x-www-form-urlencoded"}, forged)
        self.expect("login-no-xsrf", r, {403})

    async def notfound(self, conn):
        r = await conn.request("GET", f"/no/such/page/{random.randrange(1000)}")
        self.expect("notfound", r, {404})

    MALFORMED = [
        b"GET / HTTP/1.1\r\nHost\r\n\r\n",                       # a header line with no colon
        b"GET /\x00 HTTP/1.1\r\nHost: x\r\n\r\n",                # a NUL in the target
        b"BREW /pot HTCPCP/1.0\r\n\r\n",                         # not HTTP
        b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + bytes(32),  # a TLS hello
    ]

    async def malformed(self, conn):
        payload = random.choice(self.MALFORMED)
        reader, writer = await asyncio.wait_for(asyncio.open_connection(HOST, self.args.port), self.args.timeout)
        try:
            writer.write(payload)
            await writer.drain()
            try:
                r = await asyncio.wait_for(read_response(reader), self.args.timeout)
            except (ConnectionError, asyncio.IncompleteReadError, ValueError, IndexError):
                self.stats.ok("malformed-closed")  # closed without an answer: allowed
                return
            self.expect("malformed", r, {400, 405, 501, 505})
        finally:
            writer.close()

    async def worker(self, deadline):
        conn = Connection(self.args.port, self.args.timeout)
        kinds = [(self.hello, 30), (self.static, 25), (self.login, 15), (self.notfound, 15), (self.malformed, 5)]
        population = [k for k, _ in kinds]
        weights = [w for _, w in kinds]
        while time.monotonic() < deadline:
            action = random.choices(population, weights)[0]
            try:
                await action(conn)
            except Exception as error:
                self.stats.fail(f"{action.__name__}: {type(error).__name__}: {error}")
                await conn.close()
                await asyncio.sleep(0.05)
        await conn.close()


async def chat_client(args, stats, index, deadline):
    import websockets
    uri = f"ws://{HOST}:{args.chat}/chatsocket"
    while time.monotonic() < deadline:
        try:
            async with websockets.connect(uri, open_timeout=args.timeout, close_timeout=args.timeout) as ws:
                stats.ok("ws-open")
                # Stay for a while, then reconnect, so opening and closing are soaked too.
                stay = min(deadline, time.monotonic() + random.uniform(5, 20))
                sent = 0
                while time.monotonic() < stay:
                    body = f"soak {index}-{sent} <b>&</b>"
                    await ws.send(json.dumps({"body": body}))
                    sent += 1
                    # Read until our own message comes back (others' may come first).
                    while True:
                        message = json.loads(await asyncio.wait_for(ws.recv(), args.timeout))
                        stats.ok("ws-received")
                        if message.get("body") == body:
                            if "<b>" in message.get("html", ""):
                                stats.fail(f"chat: html not escaped: {message['html'][:80]}")
                            break
                    stats.ok("ws-roundtrip")
                    await asyncio.sleep(random.uniform(0.1, 0.5))
        except Exception as error:
            stats.fail(f"chat {index}: {type(error).__name__}: {error}")
            await asyncio.sleep(0.2)


def sample(pid):
    with open(f"/proc/{pid}/status") as f:
        rss = next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
    return rss, len(os.listdir(f"/proc/{pid}/fd"))


def slope_per_minute(points):
    """Least-squares slope of (seconds, value) points, per minute."""
    if len(points) < 3:
        return 0.0
    n = len(points)
    mx = sum(t for t, _ in points) / n
    my = sum(v for _, v in points) / n
    den = sum((t - mx) ** 2 for t, _ in points)
    return 0.0 if den == 0 else 60 * sum((t - mx) * (v - my) for t, v in points) / den


async def sampler(args, start, deadline, series):
    while True:
        now = time.monotonic()
        for label, pid in args.pid:
            try:
                rss, fds = sample(pid)
                series.setdefault(label, []).append((now - start, rss, fds))
            except (OSError, StopIteration):
                series.setdefault(label + " (gone)", []).append((now - start, 0, 0))
        if now >= deadline:
            return
        await asyncio.sleep(min(args.sample, max(0.0, deadline - now)))


def parse_pid(text):
    label, _, pid = text.rpartition("=")
    return (label or pid, int(pid))


async def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, required=True, help="FriendFeed's port (the server or nginx)")
    parser.add_argument("--chat", type=int, help="Examples/Chat's port, for WebSocket clients")
    parser.add_argument("--pid", type=parse_pid, action="append", default=[], help="LABEL=PID to sample")
    parser.add_argument("--seconds", type=float, default=600)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--chat-clients", type=int, default=4)
    parser.add_argument("--sample", type=float, default=5)
    parser.add_argument("--warmup", type=float, default=30, help="seconds left out of the RSS slope")
    parser.add_argument("--timeout", type=float, default=30, help="one request's bound")
    parser.add_argument("--max-rss-slope", type=float, default=256, help="KiB per minute")
    parser.add_argument("--fd-slack", type=int, default=2, help="fds more when idle after than before")
    parser.add_argument("--settle", type=float, default=3, help="seconds idle before the last sample")
    parser.add_argument("--big-size", type=int, default=os.path.getsize(
        os.path.join(os.path.dirname(__file__), "../../Examples/FriendFeed/static/big.bin")))
    parser.add_argument("--label", default="soak")
    args = parser.parse_args()

    stats = Stats()
    start = time.monotonic()
    deadline = start + args.seconds
    series = {}
    traffic = Traffic(args, stats, args.big_size)
    tasks = [asyncio.create_task(sampler(args, start, deadline, series))]
    tasks += [asyncio.create_task(traffic.worker(deadline)) for _ in range(args.workers)]
    if args.chat:
        tasks += [asyncio.create_task(chat_client(args, stats, i, deadline)) for i in range(args.chat_clients)]
    # Everything stops at the deadline; a request in flight then gets its own timeout, no more.
    idle_before = {}
    for label, pid in args.pid:
        idle_before[label] = sample(pid)
    await asyncio.wait_for(asyncio.gather(*tasks), args.seconds + args.timeout + 10)
    # The clients have closed their connections; give the server a moment to close its ends.
    await asyncio.sleep(args.settle)
    idle_after = {}
    for label, pid in args.pid:
        try:
            idle_after[label] = sample(pid)
        except (OSError, StopIteration):
            pass

    ok = True
    out = [f"## {args.label}: {args.seconds:.0f} s, {args.workers} HTTP workers"
           + (f", {args.chat_clients} WebSocket clients" if args.chat else "")]
    total = sum(stats.counts.values())
    out.append("answers by kind: " + ", ".join(f"{k} {v}" for k, v in sorted(stats.counts.items())))
    out.append("statuses: " + ", ".join(f"{k} {v}" for k, v in sorted(stats.status.items())))
    out.append(f"5xx: {stats.server_errors}")
    if stats.server_errors:
        ok = False
    for label, points in series.items():
        if label.endswith("(gone)"):
            out.append(f"{label}: the process exited during the run")
            ok = False
            continue
        steady = [(t, rss) for t, rss, _ in points if t >= min(args.warmup, args.seconds / 3)]
        slope = slope_per_minute(steady)
        before, after = idle_before[label], idle_after.get(label, (0, 0))
        peak = max(rss for _, rss, _ in points)
        fd_peak = max(fds for _, _, fds in points)
        out.append(f"{label}: idle before/after: RSS {before[0]} -> {after[0]} KiB, fds {before[1]} -> {after[1]}; "
                   f"under load: RSS peak {peak} KiB, slope after {min(args.warmup, args.seconds / 3):.0f} s "
                   f"{slope:+.1f} KiB/min, fds peak {fd_peak} ({len(points)} samples)")
        out.append(f"{label} samples (s:RSS KiB/fds): " + " ".join(
            f"{t:.0f}:{rss}/{fds}" for t, rss, fds in points[:: max(1, len(points) // 12)]))
        if slope > args.max_rss_slope:
            out.append(f"FAIL: {label}'s RSS grows {slope:.1f} KiB/min (limit {args.max_rss_slope})")
            ok = False
        if after[1] > before[1] + args.fd_slack:
            out.append(f"FAIL: {label} holds {after[1]} fds idle after the run, {before[1]} before (slack {args.fd_slack})")
            ok = False
    if stats.failures:
        ok = False
        out.append(f"failures ({len(stats.failures)} shown):")
        out += ["  " + f for f in stats.failures]
    if total == 0:
        ok = False
        out.append("FAIL: no answers at all")
    out.append("result: " + ("PASS" if ok else "FAIL"))
    print("\n".join(out), flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
