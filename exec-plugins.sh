#!/usr/bin/env bash
# Runs every CNI network config in $NETCONFPATH against one container, as a runtime would, the way
# containernetworking's scripts/exec-plugins.sh does:
#
#   exec-plugins.sh add|del CONTAINER-ID NETNS-PATH
#
# ADD runs the *.conf files in name order with CNI_IFNAME eth0, eth1, ...; DEL runs them in
# reverse order. Plugins are looked up on $CNI_PATH. On a failure the plugin's CNI error is
# printed and the script exits non-zero.
#   NETCONFPATH  directory of *.conf files (default /etc/cni/net.d)
#   CNI_PATH     plugin directories, ':'-separated (default /opt/cni/bin)
#   CNI_ARGS     passed on unchanged
set -uo pipefail

NETCONFPATH=${NETCONFPATH:-/etc/cni/net.d}
CNI_PATH=${CNI_PATH:-/opt/cni/bin}

usage() {
  echo "usage: $0 add|del CONTAINER-ID NETNS-PATH" >&2
  exit 2
}

# The top-level "type" of a network config (jq when present; nested ipam types never match first
# because jq reads the top level only).
plugin_type() {
  jq -er '.type | select(type == "string")' <"$1" 2>/dev/null
}

find_plugin() {
  local dir
  IFS=: read -ra dirs <<<"$CNI_PATH"
  for dir in "${dirs[@]}"; do
    [ -x "$dir/$1" ] && { echo "$dir/$1"; return 0; }
  done
  return 1
}

[ $# -eq 3 ] || usage
case "$1" in
  add | ADD) command=ADD ;;
  del | DEL) command=DEL ;;
  *) usage ;;
esac
command -v jq >/dev/null || { echo "exec-plugins: jq is needed (apt-get install jq)" >&2; exit 1; }

shopt -s nullglob
confs=("$NETCONFPATH"/*.conf)
if [ ${#confs[@]} -eq 0 ]; then
  echo "exec-plugins: no *.conf files in $NETCONFPATH" >&2
  exit 1
fi

export CNI_COMMAND=$command CNI_CONTAINERID=$2 CNI_NETNS=$3 CNI_PATH
export CNI_ARGS=${CNI_ARGS:-}

order=("${!confs[@]}")
if [ "$command" = DEL ]; then
  order=()
  for ((i = ${#confs[@]} - 1; i >= 0; i--)); do order+=("$i"); done
fi

status=0
for i in "${order[@]}"; do
  conf=${confs[$i]}
  if ! type=$(plugin_type "$conf"); then
    echo "exec-plugins: $conf is not a network config with a \"type\"" >&2
    exit 1
  fi
  if ! plugin=$(find_plugin "$type"); then
    echo "exec-plugins: plugin '$type' (from $conf) not found in CNI_PATH=$CNI_PATH" >&2
    exit 1
  fi
  export CNI_IFNAME=eth$i
  if ! result=$("$plugin" <"$conf"); then
    msg=$(jq -r '"code \(.code): \(.msg)" + (if .details then " (\(.details))" else "" end)' <<<"$result" 2>/dev/null || echo "$result")
    echo "exec-plugins: $command with $conf ($type, $CNI_IFNAME) failed: $msg" >&2
    # DEL goes on with the other configs so one failure does not leak the rest.
    [ "$command" = DEL ] || exit 1
    status=1
    continue
  fi
  [ -n "$result" ] && echo "$result"
done
exit $status
