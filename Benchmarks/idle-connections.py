#!/usr/bin/env python3
"""Holds many idle HTTP/1.1 keep-alive connections open to one server, for Benchmarks/memory.sh.

usage: idle-connections.py HOST PORT COUNT DEADLINE_SECONDS

Steps, each driven by one line on standard input, each answered with one line on standard
output, so the caller can read the server's RSS between them:

  (start)    opens COUNT connections                 -> "connected N"
  "request"  sends one GET / on each, reads its answer,
             and keeps the connection open            -> "served N"   (N: 200 answers)
  "close"    (or end of input) closes them all        -> "closed"

A connection the server refused or closed counts as missing from N, so the caller can check.
The whole run ends by itself after DEADLINE_SECONDS, whatever the caller does.
"""

import asyncio
import os
import sys

CONNECT_AT_ONCE = 200  # connects in flight; beyond the listen backlog they would stall in SYN retries


async def open_all(host, port, count):
    gate = asyncio.Semaphore(CONNECT_AT_ONCE)

    async def one():
        async with gate:
            try:
                return await asyncio.open_connection(host, port)
            except OSError:
                return None

    pairs = await asyncio.gather(*(one() for _ in range(count)))
    return [p for p in pairs if p is not None]


async def request_all(host, port, pairs):
    request = f"GET / HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode()
    gate = asyncio.Semaphore(CONNECT_AT_ONCE)

    async def one(reader, writer):
        async with gate:
            try:
                writer.write(request)
                await writer.drain()
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n")[1:]:
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value.strip())
                await reader.readexactly(length)
                return head.startswith(b"HTTP/1.1 200")
            except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError):
                return False

    results = await asyncio.gather(*(one(r, w) for r, w in pairs))
    return sum(results)


async def next_command():
    line = await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    return line.strip() or "close"


def say(text):
    print(text, flush=True)


async def main(host, port, count):
    pairs = await open_all(host, port, count)
    say(f"connected {len(pairs)}")
    command = await next_command()
    if command == "request":
        say(f"served {await request_all(host, port, pairs)}")
        command = await next_command()
    for _, writer in pairs:
        writer.close()
    say("closed")


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    host, port, count, deadline = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
    try:
        asyncio.run(asyncio.wait_for(main(host, port, count), deadline))
    except asyncio.TimeoutError:
        print(f"idle-connections: gave up after {deadline:.0f} s", file=sys.stderr, flush=True)
        os._exit(1)  # a thread may still be blocked reading standard input
