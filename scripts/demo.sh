#!/usr/bin/env bash
# The seed's libkv scenario end to end, on a throw-away etcd (make demo):
#   1. publish libkv (Native AOT) and build kvctl
#   2. start etcd on free loopback ports
#   3. store conf/testcontainer.json at cni/testcontainer with kvctl
#   4. create the network namespace "testcontainer"
#   5. exec-plugins.sh add, with a temporary NETCONFPATH holding conf/10-mylibkv.conf pointed at
#      that etcd and a temporary CNI_PATH holding libkv and the reference plugins (/usr/lib/cni)
#   6. show `ip a` inside the namespace (eth0 and veth200 with 10.23.x.x addresses, lo UP)
#   7. exec-plugins.sh del, then remove everything made here (also on failure): the namespace,
#      the cni2 bridge, the host-local leases, etcd and the temp dirs.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
contid=testcontainer
netnspath=/var/run/netns/$contid
bridge=cni2

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

[ "$(id -u)" -eq 0 ] || { echo "demo: run as root (it creates a network namespace and a bridge)" >&2; exit 1; }
for tool in etcd etcdctl ip jq iptables /usr/lib/cni/bridge; do
  command -v "$tool" >/dev/null || { echo "demo: $tool missing; run scripts/install-deps.sh" >&2; exit 1; }
done
if ip netns list | grep -qw "$contid"; then
  echo "demo: a network namespace '$contid' already exists; remove it first (ip netns delete $contid)" >&2
  exit 1
fi
leases=(/var/lib/cni/networks/mynet /var/lib/cni/networks/mynet-veth200)
for dir in "${leases[@]}"; do
  if [ -e "$dir" ]; then
    echo "demo: $dir exists: another network named like the demo's keeps host-local leases there; the demo stops here" >&2
    exit 1
  fi
done
if ip link show "$bridge" >/dev/null 2>&1; then
  echo "demo: a '$bridge' link already exists on this host; the demo would share it, so it stops here" >&2
  exit 1
fi

. scripts/lib-etcd.sh
work=$(mktemp -d /tmp/libkv-demo.XXXXXX)
added=0
cleanup() {
  status=$?
  set +e
  if [ "$added" = 1 ]; then
    "$repo/exec-plugins.sh" del "$contid" "$netnspath" >/dev/null 2>&1
  fi
  ip netns delete "$contid" 2>/dev/null
  ip link delete "$bridge" 2>/dev/null
  rm -rf "${leases[@]}"
  stop_etcd
  rm -rf "$work"
  [ $status -eq 0 ] && say "clean: namespace, bridge $bridge, leases, etcd and temp dirs removed" \
    || echo "demo: failed (exit $status); everything it made was removed" >&2
}
trap cleanup EXIT INT TERM

say "publishing libkv (Native AOT) and building kvctl"
dotnet publish src/Cni.LibKv/Cni.LibKv.csproj -c Release -o "$repo/artifacts/libkv" -nologo -v q
dotnet build src/Kv.Cli/Kv.Cli.csproj -c Release -nologo -v q -o "$work/kvctl"
kvctl() { "$work/kvctl/kvctl" --backend etcd --uri "$ETCD_ENDPOINT" "$@"; }

say "starting a throw-away etcd"
start_etcd "$work"
echo "etcd at $ETCD_ENDPOINT (pid $ETCD_PID)"

say "storing conf/testcontainer.json at cni/$contid with kvctl"
kvctl put "cni/$contid" @conf/testcontainer.json
kvctl get "cni/$contid" | jq -c '.[] | {type, name, ifName: .args.ifName}'

# The example conf, pointed at this etcd, with its state and the leases kept in the temp dir.
mkdir -p "$work/net.d" "$work/bin" "$work/state"
jq --arg uri "$ETCD_ENDPOINT" --arg state "$work/state" '.uri = $uri | .stateDir = $state' \
  conf/10-mylibkv.conf >"$work/net.d/10-mylibkv.conf"
ln -s "$repo/artifacts/libkv/libkv" "$work/bin/libkv"
export NETCONFPATH=$work/net.d CNI_PATH=$work/bin:/usr/lib/cni
say "libkv conf in $NETCONFPATH"
cat "$NETCONFPATH/10-mylibkv.conf"

say "ip netns add $contid; exec-plugins.sh add $contid $netnspath"
ip netns add "$contid"
added=1
"$repo/exec-plugins.sh" add "$contid" "$netnspath" | jq .

say "ip netns exec $contid ip a"
ip netns exec "$contid" ip a

# The same, checked, so the demo fails loudly if the scenario did not come out as the seed says.
for ifname in eth0 veth200; do
  ip netns exec "$contid" ip -4 -o addr show dev "$ifname" | grep -q ' 10\.23\.' \
    || { echo "demo: $ifname has no 10.23.x.x address" >&2; exit 1; }
done
ip netns exec "$contid" ip -o link show lo | grep -q 'UP' || { echo "demo: lo is not up" >&2; exit 1; }

say "exec-plugins.sh del $contid $netnspath"
"$repo/exec-plugins.sh" del "$contid" "$netnspath"
added=0
echo "interfaces left in $contid: $(ip netns exec "$contid" ip -o link show | awk -F': ' '{print $2}' | tr '\n' ' ')"
if iptables -t nat -S | grep -q "$contid"; then
  echo "demo: ipMasq rules for $contid are still there" >&2
  exit 1
fi
echo "no NAT rules left for $contid; libkv state left: $(find "$work/state" -type f | wc -l) file(s)"
