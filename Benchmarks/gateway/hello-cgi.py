#!/usr/bin/env python3
# Benchmarks/gateway/hello-cgi.py: the Python baseline for the CGI one-shot in
# Benchmarks/gateway.sh. Writes the same CGI answer as hello-cgi.c (and as Gale's hello example
# at GET /) to stdout and exits: the body `Hello, world`, Content-Type `text/html; charset=UTF-8`
# and a Content-Length.
import sys

BODY = b"Hello, world"
sys.stdout.buffer.write(
    b"Status: 200 OK\r\n"
    b"Content-Type: text/html; charset=UTF-8\r\n"
    b"Content-Length: %d\r\n\r\n" % len(BODY) + BODY
)
sys.stdout.buffer.flush()
