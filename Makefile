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
# `make soak` runs 10 minutes (SOAK_SECONDS) of mixed traffic against the examples on Gale's server
# and under FastCGI behind nginx (Benchmarks/soak/soak.sh); `make test` runs a 30-second form.
# `make scan` runs the Wapiti scanner against FriendFeed and Chat (Scripts/scan.sh, Docs/Security.md).
# `make fuzz-templates` renders FUZZ_CASES (default 20,000) generated templates and strings with
# GaleTemplate and with Tornado 6 and compares them (Tests/Fuzz/Differential/README.md); `make
# test` runs a short form (1,000 cases).
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
BUILD_DEPS   := /usr/include/fcgiapp.h:libfcgi-dev /usr/include/sqlite3.h:libsqlite3-dev
TEST_DEPS    := $(BUILD_DEPS) curl:curl python3:python3 cgi-fcgi:libfcgi-bin /usr/sbin/nginx:nginx \
                spawn-fcgi:spawn-fcgi /usr/sbin/lighttpd:lighttpd /usr/bin/chromium:chromium \
                /usr/bin/chromedriver:chromium-driver /usr/bin/systemd-socket-activate:systemd \
                /usr/sbin/haproxy:haproxy /usr/bin/supervisord:supervisor /usr/sbin/ip:iproute2 \
                openssl:openssl unshare:util-linux ldd:libc-bin \
                /usr/share/doc/python3-venv:python3-venv
# Python clients the tests drive: the `websockets` client against Examples/Chat, and selenium for
# headless Chromium, and the Prometheus project's own parser for the text `/metrics` serves.
PY_TEST_DEPS := websockets>=12 selenium>=4.20 prometheus-client>=0.20
# The differential template fuzz: Tornado 6 in a venv of its own, the case count of the long form
# and its seed (the same seed generates the same cases).
TORNADO_VENV ?= $(HOME)/.cache/gale-tests/tornado-venv
FUZZ_CASES   ?= 20000
FUZZ_SEED    ?= 15

.PHONY: run dev test build lint format docs fuzz fuzz-smoke sanitize sanitize-address sanitize-thread bench bench-static bench-gateway bench-template bench-helpers bench-blog bench-websocket bench-processes bench-metrics bench-instructions bench-memory bench-peers bench-allocations soak soak-short scan fuzz-templates fuzz-templates-smoke fuzz-templates-run cgi-static deps-build deps-test clean

# Serves Examples/FriendFeed; a development cookie secret is generated into .gale/ on first run.
run: deps-build
	$(SWIFT) build --product friendfeed
	$$($(SWIFT) build --show-bin-path)/friendfeed serve --port $(PORT) --address 127.0.0.1

# FriendFeed in debug mode under gale-autoreload: every saved edit is rebuilt and served.
dev: deps-build
	$(SWIFT) run gale-autoreload friendfeed serve --port $(PORT) --address 127.0.0.1 --debug

build:
	$(SWIFT) build --build-tests

# NoFastCGITraitTests and StarterAppTests each build a package of their own (an app using Gale
# without the FastCGI trait, and Docs/Guide.md's "Your own app", in ~/.cache/gale-tests/):
# minutes on a machine that never built them, about a minute for a fresh clone after that,
# seconds on a rerun. They run first, one at a time, so that their builds do not slow the
# other tests past their timeouts. The parallel run puts 500 tests on two cores: no test
# waits for a process or a socket on a thread of Swift's cooperative pool (GaleTesting's
# `ChildProcess`, `DedicatedThread`), and the helpers' waits for an answer or an event are
# stretched four times (GALE_TEST_TIMEOUT_SCALE), since a 5 s wait for a plain answer was seen
# to run out in 4 of 10 runs. The timeouts tests set on servers and clients are never scaled, so
# the tests in TIMING_TESTS, which need a peer to keep within such a bound (a WebSocket ping
# answered within 5 s, streams finished within a grace period, a normal client's latency during
# an attack), run alone afterwards: in a clean-clone run at ac0fbb3, with the rest in parallel,
# the ping test's client answered too late.
TIMING_TESTS := HostileClientTests noAnswerIs599 gracefulShutdownFinishesInFlightStreams idleConnectionsAreClosed \
                answeredPingsKeepTheConnection runInExecutorKeepsTheLoopServingOthers
empty :=
space := $(empty) $(empty)
test: deps-test lint build
	$(SWIFT) test --skip-build --no-parallel --filter 'NoFastCGITraitTests|StarterAppTests'
	GALE_TEST_TIMEOUT_SCALE=4 $(SWIFT) test --skip-build --skip NoFastCGITraitTests --skip StarterAppTests \
		$(foreach name,$(TIMING_TESTS),--skip $(name))
	$(SWIFT) test --skip-build --filter '$(subst $(space),|,$(TIMING_TESTS))'
	$(MAKE) docs
	$(MAKE) soak-short
	$(MAKE) fuzz-templates-smoke
	$(MAKE) fuzz-smoke

# `make sanitize`: the test suite under AddressSanitizer, then ThreadSanitizer, each built into a
# scratch path of its own (.build-asan, .build-tsan), examples and test servers included. Waits
# in the test helpers are stretched by GALE_TEST_TIMEOUT_SCALE (GaleTesting's TestTimeouts); a
# test that fails in the parallel run is run again alone, and every process writes its reports
# to a file (Tests/Sanitizers/sanitize.sh).
# ASan and TSan are never in one build (Swift allows one of them at a time). What a sanitizer
# reports in a dependency, not in Gale, is silenced in Tests/Sanitizers/*.supp with the reason.
# Not part of `make test`: each sanitizer build is a whole second build of the package and its
# dependencies (NIO, swift-crypto's BoringSSL...), and one did not finish in 45 minutes on the
# 2-core machine under load (Docs/Sanitizers.md), far past the ~3 minutes `make test` could
# spare; a TSan build of fewer suites still builds every dependency, so no short form fits.
# Skipped under both, each for its reason:
#   NoFastCGITraitTests   builds a package of its own with the plain toolchain: nothing of it is
#                         sanitized, and it needs minutes (`make test` runs it).
SANITIZE_SKIP        := --skip NoFastCGITraitTests
# Under AddressSanitizer only:
#   oneGibibyteUploadIsHandledInConstantMemory  bounds the server's RSS growth at 64 MiB, and
#                         ASan's quarantine holds 256 MiB of freed buffers on purpose.
ASAN_SKIP            := --skip oneGibibyteUploadIsHandledInConstantMemory
TSAN_SKIP            :=
SANITIZE_ASAN_SCALE  ?= 3
SANITIZE_TSAN_SCALE  ?= 10

sanitize: sanitize-address sanitize-thread

sanitize-address: deps-test
	SWIFT=$(SWIFT) bash Tests/Sanitizers/sanitize.sh address .build-asan $(SANITIZE_ASAN_SCALE) $(SANITIZE_SKIP) $(ASAN_SKIP)

sanitize-thread: deps-test
	SWIFT=$(SWIFT) bash Tests/Sanitizers/sanitize.sh thread .build-tsan $(SANITIZE_TSAN_SCALE) $(SANITIZE_SKIP) $(TSAN_SKIP)

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

# API documentation (DocC) of the modules an app imports, one archive each in
# .build/plugins/Swift-DocC/outputs/; a DocC warning (a broken symbol link, say) fails it.
# GALE_DOCS=1 adds swift-docc-plugin to the package for this command only (Package.swift).
DOC_TARGETS := Gale GaleServer GaleCommand GaleTesting
docs: build
	GALE_DOCS=1 $(SWIFT) package generate-documentation $(foreach target,$(DOC_TARGETS),--target $(target)) \
		--warnings-as-errors

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

SOAK_SECONDS ?= 600
soak:
	SOAK_SECONDS=$(SOAK_SECONDS) bash Benchmarks/soak/soak.sh

# The soak's short form, in `make test`: the same mix and checks for 30 s a mode, RSS judged loosely.
soak-short:
	SOAK_SECONDS=30 bash Benchmarks/soak/soak.sh

scan:
	bash Scripts/scan.sh

# The differential fuzz of templates and Escape against Tornado 6. Tornado comes from pip into
# TORNADO_VENV; when that fails the run fails under CI=true and is skipped, saying so, elsewhere.
fuzz-templates:
	@$(MAKE) --no-print-directory fuzz-templates-run CASES=$(FUZZ_CASES) SEED=$(FUZZ_SEED)

fuzz-templates-smoke:
	@$(MAKE) --no-print-directory fuzz-templates-run CASES=1000 SEED=$(FUZZ_SEED)

fuzz-templates-run:
	@if ! "$(TORNADO_VENV)/bin/python" -c 'import sys, tornado; sys.exit(tornado.version_info[0] != 6)' 2>/dev/null; then \
	  echo "installing Tornado 6 into $(TORNADO_VENV)"; \
	  { python3 -m venv "$(TORNADO_VENV)" && timeout 300 "$(TORNADO_VENV)/bin/python" -m pip install -q 'tornado>=6,<7'; } \
	  || if [ "$$CI" = true ]; then echo "no Tornado 6 for the template fuzz" >&2; exit 1; \
	     else echo "skipping the template fuzz: no Tornado 6 (pip install failed)" >&2; exit 0; fi; \
	fi
	cd Tests/Fuzz/Differential && $(SWIFT) build --product template-diff
	"$(TORNADO_VENV)/bin/python" Tests/Fuzz/Differential/fuzz.py --cases $(CASES) --seed $(SEED) \
	    --gale "$$(cd Tests/Fuzz/Differential && $(SWIFT) build --show-bin-path)/template-diff" \
	    --out Tests/Fuzz/Differential/.build/mismatches

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
	rm -rf .build .build-asan .build-tsan Tests/Fuzz/.build Tests/Fuzz/Differential/.build
