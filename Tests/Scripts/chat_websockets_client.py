"""Drives `chat serve` with the `websockets` client from PyPI, as another language's client would.

Usage: python3 chat_websockets_client.py PORT. Prints what it checked; exits non-zero on the first
mismatch. Every wait is bounded.
"""

import asyncio
import json
import re
import sys
import urllib.request

import websockets


async def main(port: int) -> None:
    uri = f"ws://127.0.0.1:{port}/chatsocket"
    async with websockets.connect(uri, compression="deflate", open_timeout=30) as alice, websockets.connect(
        uri, compression=None, open_timeout=30
    ) as bob:
        extensions = alice.response.headers.get("Sec-WebSocket-Extensions", "")
        assert extensions.startswith("permessage-deflate"), f"no compression negotiated: {extensions!r}"
        assert "Sec-WebSocket-Extensions" not in bob.response.headers, "compression without an offer"

        body = "see http://example.com/a?b=c&d <script>"
        await alice.send(json.dumps({"body": body}))
        for name, socket in (("alice", alice), ("bob", bob)):
            message = json.loads(await asyncio.wait_for(socket.recv(), 30))
            assert set(message) == {"id", "body", "html"}, message
            assert message["body"] == body, message
            expected = (
                f'<div class="message" id="m{message["id"]}">see '
                '<a href="http://example.com/a?b=c&amp;d">http://example.com/a?b=c&amp;d</a> &lt;script&gt;</div>\n'
            )
            assert message["html"] == expected, (message["html"], expected)
            print(f"{name} got the broadcast")

        # A large message goes out compressed and comes back whole.
        long_body = "gale " * 20000
        await bob.send(json.dumps({"body": long_body}))
        assert json.loads(await asyncio.wait_for(alice.recv(), 30))["body"] == long_body
        assert json.loads(await asyncio.wait_for(bob.recv(), 30))["body"] == long_body
        print("a 100 KB message went round")

        # Bad input closes only that socket, with 1011; the others go on.
        await bob.send("not json")
        try:
            await asyncio.wait_for(bob.recv(), 30)
            raise AssertionError("the socket stayed open after bad JSON")
        except websockets.ConnectionClosed as closed:
            assert closed.rcvd is not None and closed.rcvd.code == 1011, closed
        await alice.send(json.dumps({"body": "still here"}))
        assert json.loads(await asyncio.wait_for(alice.recv(), 30))["body"] == "still here"
        print("bad JSON closed one socket with 1011")

    # The inbox keeps the last 200 messages, in order.
    async with websockets.connect(uri, open_timeout=30) as carol:
        for index in range(205):
            await carol.send(json.dumps({"body": f"message {index}"}))
        for index in range(205):
            assert json.loads(await asyncio.wait_for(carol.recv(), 30))["body"] == f"message {index}"
    page = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30).read().decode()
    bodies = re.findall(r'<div class="message" id="m[0-9a-f-]+">(.*?)</div>', page)
    assert len(bodies) == 200, len(bodies)
    assert bodies[0] == "message 5" and bodies[-1] == "message 204", (bodies[0], bodies[-1])
    print("the page shows the last 200 messages")


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))
    print("ok")
