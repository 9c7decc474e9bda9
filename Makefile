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

# ---- libkv (docs/libkv.md) ----
LIBKV_DIR := $(CURDIR)/artifacts/libkv
PREFIX ?= /opt/cni
CNI_BIN_DIR ?= $(PREFIX)/bin
CNI_CONF_DIR ?= /etc/cni/net.d
INSTALL_CONF ?= 0

.PHONY: publish-libkv install bench-libkv

# The Native AOT libkv binary, into artifacts/libkv/libkv.
publish-libkv:
	$(DOTNET) publish src/Cni.LibKv/Cni.LibKv.csproj -c $(CONFIGURATION) -o $(LIBKV_DIR) -nologo

# libkv into $(DESTDIR)$(CNI_BIN_DIR) (default /opt/cni/bin); the example conf into
# $(DESTDIR)$(CNI_CONF_DIR) only with INSTALL_CONF=1, and never over an existing one.
install: publish-libkv
	install -d $(DESTDIR)$(CNI_BIN_DIR)
	install -m 0755 $(LIBKV_DIR)/libkv $(DESTDIR)$(CNI_BIN_DIR)/libkv
	@if [ "$(INSTALL_CONF)" = 1 ]; then \
	  install -d $(DESTDIR)$(CNI_CONF_DIR); \
	  if [ -e $(DESTDIR)$(CNI_CONF_DIR)/10-mylibkv.conf ]; then \
	    echo "keeping existing $(DESTDIR)$(CNI_CONF_DIR)/10-mylibkv.conf"; \
	  else \
	    install -m 0644 conf/10-mylibkv.conf $(DESTDIR)$(CNI_CONF_DIR)/10-mylibkv.conf; \
	  fi; \
	fi

# libkv ADD+DEL vs the loopback plugin alone (bench/libkv-bench.sh prints medians, overhead, RSS).
bench-libkv: deps publish-libkv
	bench/libkv-bench.sh $(LIBKV_DIR)/libkv

# contiv-ksr sync benchmark: real contiv-ksr against the fake API server (200 ns, 10k pods, 1k
# policies) and a local etcd; prints start-to-ready, update throughput, latency p50/p99, peak RSS.
.PHONY: bench-ksr
bench-ksr: deps
	$(DOTNET) run --project bench/Ksr.Bench -c $(CONFIGURATION)

# IKvStore on a local etcd and ZooKeeper: one Put per key against WriteBatchAsync, List, Get.
.PHONY: bench-kv bench
bench-kv: deps
	$(DOTNET) run --project bench/KvStore.Bench -c $(CONFIGURATION) -- 2000

# Every benchmark, one after the other; each prints its own figures.
bench: bench-kv bench-libkv bench-ksr
