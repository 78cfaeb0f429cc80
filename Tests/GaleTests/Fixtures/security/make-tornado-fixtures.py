#!/usr/bin/env python3
"""Writes tornado-signed-values.json beside this script: signed values and XSRF tokens made by
Tornado 6, which SecurityParityTests checks Gale against (Gale must decode Tornado's values and
produce the same bytes for the same inputs, so Tornado decodes Gale's).

Run once when the fixture should change:  python3 -m pip install tornado && python3 make-tornado-fixtures.py
The clock is frozen, so the output is the same on every run."""
import binascii
import json
import os

from tornado import web

NOW = 1_700_000_000
clock = lambda: NOW

cases = []
for version in (1, 2):
    for name, value in [("user", "ann"), ("user", "Zoë & <friends>"), ("session", "a|b=c;d,e f"), ("empty", "")]:
        signed = web.create_signed_value("secret", name, value, version=version, clock=clock)
        assert web.decode_signed_value("secret", name, signed, clock=clock) == value.encode()
        cases.append({"secret": "secret", "name": name, "value": value, "version": version,
                      "now": NOW, "signed": signed.decode()})

# Key rotation: a dictionary of secrets with key_version.
rotation = []
for key_version in (1, 2):
    signed = web.create_signed_value({1: "old-key", 2: "new-key"}, "user", "bo", version=2, clock=clock,
                                     key_version=key_version)
    rotation.append({"keyVersion": key_version, "signed": signed.decode()})

# What Tornado refuses (decode -> None), each for one reason.
good = web.create_signed_value("secret", "user", "ann", clock=clock).decode()
refused = {
    "tampered value": good.replace("YW5u", "Ym9i"),
    "truncated": good[:-5],
    "wrong name": web.create_signed_value("secret", "other", "ann", clock=clock).decode(),
    "wrong secret": web.create_signed_value("not-secret", "user", "ann", clock=clock).decode(),
    "expired": web.create_signed_value("secret", "user", "ann", clock=lambda: NOW - 32 * 86400).decode(),
    "version 3": "3" + good[1:],
    "garbage": "2|xx:|||",
}
for reason, value in refused.items():
    assert web.decode_signed_value("secret", "user", value, clock=clock) is None, reason

# XSRF: version-2 tokens for a known raw token, with Tornado's masking.
token = bytes(range(16))
xsrf = []
for mask in (b"\x00\x00\x00\x00", b"\x01\x02\x03\x04", b"\xff\xfe\xfd\xfc"):
    masked = bytes(t ^ mask[i % 4] for i, t in enumerate(token))
    xsrf.append({"mask": binascii.b2a_hex(mask).decode(),
                 "encoded": "|".join(["2", binascii.b2a_hex(mask).decode(), binascii.b2a_hex(masked).decode(), str(NOW)])})
# Check the encoding with Tornado's own decoder.
handler = web.RequestHandler.__new__(web.RequestHandler)
for entry in xsrf:
    _, decoded, _ = handler._decode_xsrf_token(entry["encoded"])
    assert decoded == token

json.dump({"now": NOW, "cases": cases, "rotation": rotation, "refused": refused,
           "xsrfToken": binascii.b2a_hex(token).decode(), "xsrf": xsrf},
          open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "tornado-signed-values.json"), "w"),
          indent=1, ensure_ascii=False)
print("wrote tornado-signed-values.json")
