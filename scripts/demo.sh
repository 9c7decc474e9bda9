#!/usr/bin/env bash
# The seed README's libkv scenario, end to end, with its own files verbatim (make demo):
#   1. publish libkv (Native AOT)
#   2. make a throw-away "node": a network namespace that plays the host, so the bridge cni2, its
#      NAT rules and the etcd below never touch this machine's own network
#   3. on the node: etcd with the v2 API at localhost:2379, as the seed assumes, and the seed's
#      `etcdctl set cni/testcontainer` of conf/testcontainer.json
#   4. conf/10-mylibkv.conf, unchanged, in a temporary NETCONFPATH; libkv and the reference plugins
#      (/usr/lib/cni) on CNI_PATH
#   5. ip netns add testcontainer; exec-plugins.sh add testcontainer /var/run/netns/testcontainer
#   6. ip a inside the container (eth0 and veth200 with 10.23.x.x addresses, lo UP), checked
#   7. exec-plugins.sh del, checked, then everything made here is removed (also on failure): the
#      namespaces (and with the node's, its bridge and NAT rules), etcd, host-local's leases,
#      libkv's state and the temp dirs.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
contid=testcontainer
netnspath=/var/run/netns/$contid
node=libkv-demo-node

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
on_node() { ip netns exec "$node" "$@"; }

[ "$(id -u)" -eq 0 ] || { echo "demo: run as root (it creates network namespaces)" >&2; exit 1; }
for tool in etcd etcdctl ip jq iptables /usr/lib/cni/bridge; do
  command -v "$tool" >/dev/null || { echo "demo: $tool missing; run scripts/install-deps.sh" >&2; exit 1; }
done
for ns in "$contid" "$node"; do
  if ip netns list | grep -qw "$ns"; then
    echo "demo: a network namespace '$ns' already exists; remove it first (ip netns delete $ns)" >&2
    exit 1
  fi
done
# host-local keeps its leases and libkv its state on the file system, in their default places.
leases=/var/lib/cni/networks/mynet
state=/var/lib/cni/libkv/libkv
for dir in "$leases" "$state"; do
  if [ -e "$dir" ]; then
    echo "demo: $dir exists: a network named like the demo's is in use on this machine; the demo stops here" >&2
    exit 1
  fi
done

work=$(mktemp -d /tmp/libkv-demo.XXXXXX)
etcd_pid=
added=0
cleanup() {
  status=$?
  set +e
  if [ "$added" = 1 ]; then
    on_node "$repo/exec-plugins.sh" del "$contid" "$netnspath" >/dev/null 2>&1
  fi
  [ -n "$etcd_pid" ] && { kill "$etcd_pid" 2>/dev/null; wait "$etcd_pid" 2>/dev/null; }
  ip netns delete "$contid" 2>/dev/null
  ip netns delete "$node" 2>/dev/null
  rm -rf "$leases" "$state"
  rmdir /var/lib/cni/libkv /var/lib/cni/networks 2>/dev/null
  rm -rf "$work"
  [ $status -eq 0 ] && say "clean: namespaces $contid and $node (with cni2 and its NAT rules), etcd, leases, state and temp dirs removed" \
    || echo "demo: failed (exit $status); everything it made was removed" >&2
}
trap cleanup EXIT INT TERM

say "publishing libkv (Native AOT)"
dotnet publish src/Cni.LibKv/Cni.LibKv.csproj -c Release -o "$repo/artifacts/libkv" -nologo -v q

say "a throw-away node: network namespace $node plays the host"
ip netns add "$node"
on_node ip link set lo up

say "etcd on the node at localhost:2379, with the v2 API the seed's etcdctl set uses"
ETCD_UNSUPPORTED_ARCH=$(dpkg --print-architecture 2>/dev/null || echo amd64) on_node \
  etcd --name demo --data-dir "$work/etcd-data" --enable-v2 \
  --listen-client-urls http://127.0.0.1:2379 --advertise-client-urls http://127.0.0.1:2379 \
  --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
  --initial-cluster demo=http://127.0.0.1:2380 --log-level error >"$work/etcd.log" 2>&1 &
etcd_pid=$!
for _ in $(seq 100); do
  on_node env ETCDCTL_API=3 etcdctl --endpoints 127.0.0.1:2379 endpoint health >/dev/null 2>&1 && break
  kill -0 "$etcd_pid" 2>/dev/null || { cat "$work/etcd.log" >&2; exit 1; }
  sleep 0.1
done

say "ETCDCTL_API=2 etcdctl set cni/$contid < conf/testcontainer.json"
on_node env ETCDCTL_API=2 etcdctl --endpoints http://127.0.0.1:2379 set "cni/$contid" <conf/testcontainer.json >/dev/null
on_node env ETCDCTL_API=2 etcdctl --endpoints http://127.0.0.1:2379 get "cni/$contid" | jq -c '.[] | {type, name, ifName: .args.ifName}'

mkdir -p "$work/net.d" "$work/bin"
cp conf/10-mylibkv.conf "$work/net.d/10-mylibkv.conf"
ln -s "$repo/artifacts/libkv/libkv" "$work/bin/libkv"
export NETCONFPATH=$work/net.d CNI_PATH=$work/bin:/usr/lib/cni
say "conf/10-mylibkv.conf, as the seed prints it, in NETCONFPATH=$NETCONFPATH"
cat "$NETCONFPATH/10-mylibkv.conf"

say "ip netns add $contid; exec-plugins.sh add $contid $netnspath"
ip netns add "$contid"
added=1
on_node "$repo/exec-plugins.sh" add "$contid" "$netnspath" | jq .

say "ip netns exec $contid ip a"
ip netns exec "$contid" ip a

# The same, checked, so the demo fails loudly if the scenario did not come out as the seed says.
for ifname in eth0 veth200; do
  ip netns exec "$contid" ip -4 -o addr show dev "$ifname" | grep -q ' 10\.23\.' \
    || { echo "demo: $ifname has no 10.23.x.x address" >&2; exit 1; }
done
ip netns exec "$contid" ip -o link show lo | grep -q 'UP' || { echo "demo: lo is not up" >&2; exit 1; }

say "exec-plugins.sh del $contid $netnspath"
on_node "$repo/exec-plugins.sh" del "$contid" "$netnspath"
added=0
left=$(ip netns exec "$contid" ip -o link show | awk -F': ' '{print $2}' | grep -v '^lo$' || true)
[ -z "$left" ] || { echo "demo: interfaces left in $contid: $left" >&2; exit 1; }
if on_node iptables -t nat -S | grep -q "$contid"; then
  echo "demo: ipMasq rules for $contid are still there" >&2
  exit 1
fi
[ -z "$(find "$leases" -type f -name '10.*' 2>/dev/null)" ] || { echo "demo: host-local leases left in $leases" >&2; exit 1; }
[ -z "$(find "$state" -type f 2>/dev/null)" ] || { echo "demo: libkv state left in $state" >&2; exit 1; }
echo "only lo left in $contid; no NAT rules, leases or libkv state left"
