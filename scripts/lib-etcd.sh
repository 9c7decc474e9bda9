# Sourced by the demo and the libkv benchmark: a throw-away etcd on free loopback ports.
# start_etcd DIR [ETCD-FLAG...]  -> sets ETCD_PID and ETCD_ENDPOINT (127.0.0.1:PORT); stop_etcd kills it.

free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    if [ -z "$(ss -Hltn "sport = :$port" 2>/dev/null)" ]; then
      echo "$port"
      return
    fi
  done
}

start_etcd() {
  local dir=$1 client peer
  shift
  client=$(free_port)
  peer=$(free_port)
  ETCD_ENDPOINT=127.0.0.1:$client
  ETCD_UNSUPPORTED_ARCH=$(dpkg --print-architecture 2>/dev/null || echo amd64) \
    etcd --name throwaway --data-dir "$dir/etcd-data" \
    --listen-client-urls "http://$ETCD_ENDPOINT" --advertise-client-urls "http://$ETCD_ENDPOINT" \
    --listen-peer-urls "http://127.0.0.1:$peer" --initial-advertise-peer-urls "http://127.0.0.1:$peer" \
    --initial-cluster "throwaway=http://127.0.0.1:$peer" --log-level error "$@" >"$dir/etcd.log" 2>&1 &
  ETCD_PID=$!
  for _ in $(seq 100); do
    if ETCDCTL_API=3 etcdctl --endpoints "$ETCD_ENDPOINT" endpoint health >/dev/null 2>&1; then
      return 0
    fi
    kill -0 "$ETCD_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "etcd did not start; its log:" >&2
  cat "$dir/etcd.log" >&2
  return 1
}

stop_etcd() {
  if [ -n "${ETCD_PID:-}" ]; then
    kill "$ETCD_PID" 2>/dev/null
    wait "$ETCD_PID" 2>/dev/null || true
    ETCD_PID=
  fi
}
