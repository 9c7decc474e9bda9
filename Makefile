# ContivKsr: the two set-up commands are `make demo` and `make test` (see README.md).
SHELL := /bin/bash
DOTNET ?= dotnet
CONFIGURATION ?= Release
RESULTS := $(CURDIR)/artifacts/test-results

.PHONY: deps restore build test demo clean

deps:
	scripts/install-deps.sh

restore:
	$(DOTNET) restore ContivKsr.sln

build: restore
	$(DOTNET) build ContivKsr.sln -c $(CONFIGURATION) --no-restore

# Runs every test project against real servers the tests start themselves, then prints one
# "N passed, N failed, N skipped" line summed over all projects.
test: deps build
	rm -rf $(RESULTS)
	$(DOTNET) test ContivKsr.sln -c $(CONFIGURATION) --no-build \
	  --logger "trx" --results-directory $(RESULTS) --blame-hang-timeout 5m; \
	  status=$$?; scripts/test-summary.sh $(RESULTS); exit $$status

demo: deps build
	scripts/demo.sh

clean:
	rm -rf artifacts */*/bin */*/obj

# contiv-ksr sync benchmark: real contiv-ksr against the fake API server (200 ns, 10k pods, 1k
# policies) and a local etcd; prints start-to-ready, update throughput, latency p50/p99, peak RSS.
.PHONY: bench-ksr
bench-ksr:
	$(DOTNET) run --project bench/Ksr.Bench -c $(CONFIGURATION)
