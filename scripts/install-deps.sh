#!/usr/bin/env bash
# Installs what building and testing ContivKsr needs on a fresh Debian 12 machine (run as root):
# real etcd and ZooKeeper servers for the tests, the reference CNI plugins as libkv's delegates,
# iproute2 for network namespaces, clang and zlib for Native AOT. Idempotent and quick when done.
set -euo pipefail

# jq: exec-plugins.sh reads each conf's type; time: the libkv benchmark's peak-RSS figure; iptables:
# the bridge plugin's ipMasq rules in the demo and tests; golang-go and golang-github-appc-cni-dev:
# Go and libcni's source, from which the tests build a libcni client to run libkv as runtimes do.
packages=(etcd-server etcd-client zookeeper containernetworking-plugins iproute2 clang zlib1g-dev procps jq time iptables
  golang-go golang-github-appc-cni-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: missing ${missing[*]}; run as root (or install them yourself)" >&2
    exit 1
  fi
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Debian's zookeeper package ships the server but does not start it; the tests start their own.
command -v etcd >/dev/null
test -x /usr/share/zookeeper/bin/zkServer.sh
test -x /usr/lib/cni/bridge
command -v go >/dev/null
test -d /usr/share/gocode/src/github.com/containernetworking/cni/libcni
