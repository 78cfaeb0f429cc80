# Gale — two commands on a fresh Debian machine:
#   make run    builds and serves the example app on http://127.0.0.1:8888
#   make test   installs what the tests need and runs every test
# `make bench` and `make bench-static` run the benchmarks (Benchmarks/README.md).

SWIFT        ?= swift
PORT         ?= 8888
SOURCES      := Sources Tests Examples Benchmarks/BareNIO/Sources Package.swift
# System packages the tests and the example need, by the command that proves each is there.
TEST_TOOLS   := curl:curl python3:python3

.PHONY: run test build lint format bench bench-static deps-test clean

# Serves Examples/FriendFeed; a development cookie secret is generated into .gale/ on first run.
run:
	$(SWIFT) build --product friendfeed
	$$($(SWIFT) build --show-bin-path)/friendfeed serve --port $(PORT) --address 127.0.0.1

build:
	$(SWIFT) build --build-tests

test: deps-test lint build
	$(SWIFT) test --skip-build

lint:
	$(SWIFT) format lint --strict --recursive $(SOURCES)

format:
	$(SWIFT) format format --in-place --recursive $(SOURCES)

bench:
	bash Benchmarks/run.sh

bench-static:
	bash Benchmarks/static.sh

# Installs missing tools with apt-get; under CI a tool that still cannot be found fails the run.
deps-test:
	@missing=""; for pair in $(TEST_TOOLS); do \
	  command -v $${pair%%:*} >/dev/null 2>&1 || missing="$$missing $${pair#*:}"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing) \
	    || { echo "could not install$$missing" >&2; exit 1; }; \
	fi

clean:
	rm -rf .build
