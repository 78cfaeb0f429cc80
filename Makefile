# Gale — two commands on a fresh Debian machine:
#   make run    builds and serves the example app on http://127.0.0.1:8888
#   make test   installs what the tests need and runs every test
# `make dev` serves it in debug mode, rebuilt and restarted on every saved edit (gale-autoreload).
# `make bench`, `bench-static`, `bench-gateway`, `bench-template`, `bench-helpers`, `bench-blog`,
# `bench-metrics`, `bench-instructions` and `bench-memory` run the benchmarks
# (Benchmarks/README.md).
# `make bench-peers` runs Gale, bare SwiftNIO, Hummingbird, Vapor, Tornado and nginx through one
# wrk matrix in one run; `make bench-allocations` counts Gale's heap allocations per request.
# Neither is part of `make test`.
# `make fuzz` runs each libFuzzer target in Tests/Fuzz for FUZZ_SECONDS (default 60);
# `make fuzz-smoke`, 10 s each, is the last step of `make test` (Tests/Fuzz/README.md).

SWIFT        ?= swift
PORT         ?= 8888
SOURCES      := Sources Tests Examples Benchmarks/BareNIO/Sources Benchmarks/TemplateBench/Sources \
                Benchmarks/WebSocketBench/Sources Benchmarks/peers/GalePeer/Sources \
                Benchmarks/peers/HummingbirdPeer/Sources Benchmarks/peers/VaporPeer/Sources \
                Benchmarks/peers/PeerData/Sources Package.swift
# System packages, each as PROOF:PACKAGE (a command or a file that shows it is installed).
# Building this package needs libfcgi's headers: its FastCGI trait (the FastCGI gateway) is on by
# default. An app that depends on Gale with `traits: []` builds without them (README,
# "Dependencies"). The tests also drive real clients (curl, with HTTP/2), make TLS certificates
# with openssl, and build such an app with libfcgi-dev hidden (unshare, ldd).
BUILD_DEPS   := /usr/include/fcgiapp.h:libfcgi-dev
TEST_DEPS    := $(BUILD_DEPS) curl:curl python3:python3 cgi-fcgi:libfcgi-bin /usr/sbin/nginx:nginx \
                spawn-fcgi:spawn-fcgi /usr/sbin/lighttpd:lighttpd /usr/bin/chromium:chromium \
                /usr/bin/chromedriver:chromium-driver /usr/bin/systemd-socket-activate:systemd \
                /usr/sbin/haproxy:haproxy /usr/bin/supervisord:supervisor /usr/sbin/ip:iproute2 \
                openssl:openssl unshare:util-linux ldd:libc-bin
# Python clients the tests drive: the `websockets` client against Examples/Chat, and selenium for
# headless Chromium, and the Prometheus project's own parser for the text `/metrics` serves.
PY_TEST_DEPS := websockets>=12 selenium>=4.20 prometheus-client>=0.20

.PHONY: run dev test build lint format fuzz fuzz-smoke bench bench-static bench-gateway bench-template bench-helpers bench-blog bench-websocket bench-processes bench-metrics bench-instructions bench-memory bench-peers bench-allocations cgi-static deps-build deps-test clean

# Serves Examples/FriendFeed; a development cookie secret is generated into .gale/ on first run.
run: deps-build
	$(SWIFT) build --product friendfeed
	$$($(SWIFT) build --show-bin-path)/friendfeed serve --port $(PORT) --address 127.0.0.1

# FriendFeed in debug mode under gale-autoreload: every saved edit is rebuilt and served.
dev: deps-build
	$(SWIFT) run gale-autoreload friendfeed serve --port $(PORT) --address 127.0.0.1 --debug

build:
	$(SWIFT) build --build-tests

# NoFastCGITraitTests builds a package of its own (an app using Gale without the FastCGI trait,
# in ~/.cache/gale-tests/no-fastcgi-app): minutes on a machine that never built it, about a
# minute for a fresh clone after that, seconds on a rerun. It runs first and alone, so that its
# build does not slow the other tests past their timeouts.
test: deps-test lint build
	$(SWIFT) test --skip-build --filter NoFastCGITraitTests
	$(SWIFT) test --skip-build --skip NoFastCGITraitTests
	$(MAKE) fuzz-smoke

# The fuzz package builds Gale again with -sanitize=fuzzer,address, in Tests/Fuzz/.build.
FUZZ_SECONDS ?= 60
fuzz: deps-build
	SWIFT=$(SWIFT) FUZZ_SECONDS=$(FUZZ_SECONDS) bash Tests/Fuzz/fuzz.sh

fuzz-smoke: deps-build
	SWIFT=$(SWIFT) FUZZ_SECONDS=10 bash Tests/Fuzz/fuzz.sh

lint:
	$(SWIFT) format lint --strict --recursive $(SOURCES)

format:
	$(SWIFT) format format --in-place --recursive $(SOURCES)

bench:
	bash Benchmarks/run.sh

bench-static:
	bash Benchmarks/static.sh

bench-gateway:
	bash Benchmarks/gateway.sh

bench-template:
	bash Benchmarks/template.sh

bench-helpers:
	bash Benchmarks/helpers.sh

bench-blog:
	bash Benchmarks/blog.sh

bench-websocket:
	bash Benchmarks/websocket.sh

bench-processes:
	bash Benchmarks/processes.sh

bench-metrics:
	bash Benchmarks/metrics.sh

bench-instructions:
	bash Benchmarks/instructions.sh

bench-peers:
	bash Benchmarks/bench-peers.sh

bench-allocations:
	bash Benchmarks/allocations.sh

bench-memory:
	bash Benchmarks/memory.sh

# An app for CGI hosts as one static executable (PRODUCT=hello for the hello example): each CGI
# request starts a process, and loading shared libraries is most of its cost (hello: 1.3 ms
# static against 4.3 ms dynamic and 0.5 ms for C). glibc warns that getpwnam and friends need
# its shared NSS modules at run time; Gale's request path calls none of them.
PRODUCT ?= friendfeed
cgi-static: deps-build
	$(SWIFT) build -c release --static-swift-stdlib -Xswiftc -static-executable --product $(PRODUCT) \
	    --scratch-path .build-static
	@echo "built $$($(SWIFT) build -c release --scratch-path .build-static --show-bin-path)/$(PRODUCT)"

# Installs missing packages with apt-get; a package that still cannot be had fails the run
# (under CI too: a missing tool is a failure, never a skip).
define install_missing
	@missing=""; for pair in $(1); do \
	  proof=$${pair%%:*}; package=$${pair#*:}; \
	  if [ "$${proof#/}" != "$$proof" ]; then [ -e "$$proof" ] || missing="$$missing $$package"; \
	  else command -v "$$proof" >/dev/null 2>&1 || missing="$$missing $$package"; fi; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing) \
	    || { echo "could not install$$missing" >&2; exit 1; }; \
	fi
endef

deps-build:
	$(call install_missing,$(BUILD_DEPS))

deps-test:
	$(call install_missing,$(TEST_DEPS))
	@python3 -c "import websockets, selenium, prometheus_client" 2>/dev/null || python3 -m pip install -q $(PY_TEST_DEPS) \
	    || { echo "could not install $(PY_TEST_DEPS)" >&2; exit 1; }

clean:
	rm -rf .build Tests/Fuzz/.build
