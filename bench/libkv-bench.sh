#!/usr/bin/env bash
# Whole-process cost of libkv: ADD then DEL of a one-element array (loopback) read from a local
# etcd, against ADD then DEL of the loopback plugin called directly, in a throw-away namespace.
# Prints the medians of RUNS pairs (default 30), libkv's own overhead (the difference), the ratio,
# and libkv's peak RSS (GNU time). Runs are interleaved so background load hits both alike.
# KEYSPACE=v2 stores the array with `ETCDCTL_API=2 etcdctl set` in an etcd started with
# --enable-v2, so every ADD takes storeBackend "etcd"'s v2 fallback (a v3 miss, then the v2 key).
#
#   bench/libkv-bench.sh [LIBKV-BINARY]     (make bench-libkv publishes and runs it)
set -euo pipefail
cd "$(dirname "$0")/.."
libkv=${1:-artifacts/libkv/libkv}
runs=${RUNS:-30}
keyspace=${KEYSPACE:-v3}
loopback=/usr/lib/cni/loopback
for tool in etcd etcdctl ip ss /usr/bin/time "$loopback"; do
  command -v "$tool" >/dev/null || { echo "libkv-bench: $tool missing (run scripts/install-deps.sh)" >&2; exit 1; }
done
[ -x "$libkv" ] || { echo "libkv-bench: $libkv missing (make publish-libkv)" >&2; exit 1; }
libkv=$(realpath "$libkv")

. scripts/lib-etcd.sh
work=$(mktemp -d /tmp/libkv-bench.XXXXXX)
netns=lkvbench$$
cleanup() {
  set +e
  stop_etcd
  ip netns delete "$netns" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

case $keyspace in
  v3)
    start_etcd "$work"
    ETCDCTL_API=3 etcdctl --endpoints "$ETCD_ENDPOINT" put bench/c1 '[{"type":"loopback"}]' >/dev/null ;;
  v2)
    start_etcd "$work" --enable-v2
    ETCDCTL_API=2 etcdctl --endpoints "http://$ETCD_ENDPOINT" set bench/c1 '[{"type":"loopback"}]' >/dev/null ;;
  *) echo "libkv-bench: KEYSPACE is v3 (default) or v2" >&2; exit 1 ;;
esac
ip netns add "$netns"
cat >"$work/libkv.conf" <<CONF
{"cniVersion":"1.0.0","name":"bench","type":"libkv","storeBackend":"etcd","uri":"$ETCD_ENDPOINT",
 "basePath":"bench/","stateDir":"$work/state"}
CONF
echo '{"cniVersion":"1.0.0","name":"bench","type":"loopback"}' >"$work/loopback.conf"
export CNI_CONTAINERID=c1 CNI_NETNS=/var/run/netns/$netns CNI_IFNAME=eth0 CNI_PATH=/usr/lib/cni

micros() { echo $(( ${1/./} )); }

# One ADD+DEL pair of plugin $1 with conf $2; prints its wall time in microseconds.
pair() {
  local start end
  start=$EPOCHREALTIME
  CNI_COMMAND=ADD "$1" <"$2" >/dev/null || { echo "libkv-bench: ADD with $1 failed" >&2; exit 1; }
  CNI_COMMAND=DEL "$1" <"$2" >/dev/null || { echo "libkv-bench: DEL with $1 failed" >&2; exit 1; }
  end=$EPOCHREALTIME
  echo $(( $(micros "$end") - $(micros "$start") ))
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

# Warm the page cache and etcd's connection handling; not counted.
for _ in 1 2 3; do pair "$libkv" "$work/libkv.conf" >/dev/null; pair "$loopback" "$work/loopback.conf" >/dev/null; done

: >"$work/libkv.times"
: >"$work/loopback.times"
for _ in $(seq "$runs"); do
  pair "$libkv" "$work/libkv.conf" >>"$work/libkv.times"
  pair "$loopback" "$work/loopback.conf" >>"$work/loopback.times"
done

# Peak RSS of libkv's ADD and DEL (GNU time's %M, KiB), worst of five each.
rss=0
for _ in 1 2 3 4 5; do
  for command in ADD DEL; do
    kib=$(CNI_COMMAND=$command /usr/bin/time -f %M "$libkv" <"$work/libkv.conf" 2>&1 >/dev/null | tail -n 1)
    [ "$kib" -gt "$rss" ] && rss=$kib
  done
done

libkv_median=$(median <"$work/libkv.times")
loopback_median=$(median <"$work/loopback.times")
awk -v l="$libkv_median" -v d="$loopback_median" -v n="$runs" -v rss="$rss" -v k="$keyspace" 'BEGIN {
  printf "libkv ADD+DEL (1-element loopback array from local etcd, %s key), median of %d: %6.2f ms\n", k, n, l / 1000
  printf "loopback ADD+DEL called directly,                       median of %d: %6.2f ms\n", n, d / 1000
  printf "libkv overhead: %.2f ms (target <= 10 ms)   ratio libkv/loopback: %.2f\n", (l - d) / 1000, l / d
  printf "libkv peak RSS: %.1f MiB (target < 30 MiB)\n", rss / 1024
}'
