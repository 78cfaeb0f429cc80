#!/usr/bin/env python3
# Benchmarks/gateway/hello-cgi.py: the Python baseline for the CGI one-shot in
# Benchmarks/gateway.sh. Writes the same CGI answer as hello-cgi.c to stdout and exits.
import sys

BODY = b'{"hello":"world"}'
sys.stdout.buffer.write(
    b"Status: 200 OK\r\n"
    b"Content-Type: application/json\r\n"
    b"Content-Length: %d\r\n\r\n" % len(BODY) + BODY
)
sys.stdout.buffer.flush()
