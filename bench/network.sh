#!/usr/bin/env bash
# Container networking: connections per second and TCP throughput, from the host to a published
# port and from one container to another, for mini against podman (netavark) and Docker (dockerd,
# whose -p goes through docker-proxy here). The same busybox root and the same busybox httpd
# everywhere; medians of N rounds, with ratios (mini divided by the peer: above 1.00 mini is faster).
#
# All three engines run inside a network namespace of their own that plays the host (nsenter
# --net), so their bridges, veths, firewall rules and ip_forward never touch the machine's own.
# Usage: sudo bench/network.sh [N]        (needs ab from apache2-utils, curl, podman with netavark, dockerd)
set -euo pipefail
N="${1:-5}"
HERE="$(cd "$(dirname "$0")/.." && pwd)"
MINI="$HERE/mini"
[ "$(id -u)" = 0 ] || { echo "bench: run as root (sudo)" >&2; exit 1; }
for tool in ab curl; do
  command -v "$tool" >/dev/null || { echo "bench: $tool not found (apt-get install apache2-utils curl)" >&2; exit 1; }
done

WORK="$(mktemp -d /tmp/mini-netbench.XXXXXX)"
NS="mini-bench-$$"
IN=(nsenter "--net=/run/netns/$NS")
HOST_IP=198.51.100.1              # the "host"'s address (TEST-NET-2), on a link of its namespace
# a store of its own: its default network is chosen from the routes of the bench namespace
export MINI_ROOT="$WORK/mini-root" MINI_RUN_ROOT="$WORK/mini-run"
PODMAN=(podman --network-backend netavark --root "$WORK/podman/root" --runroot "$WORK/podman/run" --runtime runc)
DOCKER=(docker -H "unix://$WORK/d/docker.sock")
MINI_PIDS=()

cleanup() {
  set +e
  for p in "${MINI_PIDS[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  "${IN[@]}" "${PODMAN[@]}" rm -f -t 0 bench-web bench-client >/dev/null 2>&1
  "${IN[@]}" "${PODMAN[@]}" rmi -f localhost/mini-netbench >/dev/null 2>&1
  if [ -f "$WORK/d/docker.pid" ]; then
    "${DOCKER[@]}" rm -f bench-web bench-client >/dev/null 2>&1
    kill "$(cat "$WORK/d/docker.pid")" 2>/dev/null
    for _ in $(seq 50); do [ -e "$WORK/d/docker.pid" ] || break; sleep 0.2; done
  fi
  "${IN[@]}" "$MINI" network ls >/dev/null 2>&1   # reclaims what mini's killed runs left
  ip netns del "$NS" 2>/dev/null
  grep -o " $WORK[^ ]*" /proc/self/mountinfo | sort -r | xargs -r -n1 umount -l 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

ip netns add "$NS"
ip -n "$NS" link set lo up
ip -n "$NS" link add bench0 type veth peer name bench1   # (a dummy link would do, where the module exists)
ip -n "$NS" addr add "$HOST_IP/24" dev bench0
ip -n "$NS" link set bench1 up
ip -n "$NS" link set bench0 up

"$MINI" run --rm --network none busybox true >/dev/null   # builds mini and the busybox image if needed
export MINI_NO_BUILD=1
LAYER="$(find "$MINI_ROOT/layers" -path '*/bin/busybox' | head -1)"; LAYER="${LAYER%/bin/busybox}"
[ -n "$LAYER" ] || { echo "bench: cannot find the busybox layer under $MINI_ROOT" >&2; exit 1; }
tar -C "$LAYER" -cf "$WORK/rootfs.tar" .
IMAGE_PATH='PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'   # an imported tar has no config

# The same server everywhere: 1 KiB for connections per second, 64 MiB for throughput.
SERVE='mkdir -p /www && echo hello > /www/small && dd if=/dev/zero of=/www/big bs=1M count=64 2>/dev/null && exec httpd -f -p 80 -h /www'

wait_http() { # URL [nsenter prefix...]: until the server answers (at most about 30 s)
  local url="$1"; shift
  for _ in $(seq 150); do "$@" curl -sf -o /dev/null "$url" && return 0; sleep 0.2; done
  echo "bench: no answer from $url" >&2; return 1
}
address_of() { nsenter "--net=/proc/$1/ns/net" ip -4 -o addr show dev eth0 | awk '{print $4}' | cut -d/ -f1; }
median() { sort -n | awk '{a[NR]=$1} END {if (NR==0) print "n/a"; else if (NR%2) print a[(NR+1)/2]; else printf "%.1f\n", (a[NR/2]+a[NR/2+1])/2}'; }
cps() { "$@" ab -q -n 2000 -c 4 "$URL_SMALL" 2>/dev/null | awk '/Requests per second/ {print $4}'; }
mbps() { "$@" curl -s -o /dev/null -w '%{speed_download}' "$URL_BIG" | awk '{printf "%.1f\n", $1/1048576}'; }

# measure ENGINE WEB_PID CLIENT_PID HOST_PORT: four medians into RESULT[ENGINE,...]
declare -A RESULT
measure() {
  local engine="$1" web="$2" client="$3" port="$4" ip
  ip="$(address_of "$web")"
  URL_SMALL="http://$HOST_IP:$port/small"; URL_BIG="http://$HOST_IP:$port/big"
  wait_http "$URL_SMALL" "${IN[@]}"
  RESULT[$engine,hcps]=$(for _ in $(seq "$N"); do cps "${IN[@]}"; done | median)
  RESULT[$engine,hmbps]=$(for _ in $(seq "$N"); do mbps "${IN[@]}"; done | median)
  URL_SMALL="http://$ip/small"; URL_BIG="http://$ip/big"
  local from=(nsenter "--net=/proc/$client/ns/net")
  wait_http "$URL_SMALL" "${from[@]}"
  RESULT[$engine,ccps]=$(for _ in $(seq "$N"); do cps "${from[@]}"; done | median)
  RESULT[$engine,cmbps]=$(for _ in $(seq "$N"); do mbps "${from[@]}"; done | median)
}

# mini: foreground runs in the background, as a user would start them in two terminals
"${IN[@]}" "$MINI" run --rm --name bench-web -p 18080:80 busybox sh -c "$SERVE" >/dev/null 2>&1 & MINI_PIDS+=($!)
"${IN[@]}" "$MINI" run --rm --name bench-client busybox sleep 3600 >/dev/null 2>&1 & MINI_PIDS+=($!)
mini_pid() { for _ in $(seq 150); do
    local p; p=$("${IN[@]}" "$MINI" ps | awk -v n="$1" '$NF == n {print}' | sed -n 's/.*Up (pid \([0-9]*\)).*/\1/p')
    [ -n "$p" ] && { echo "$p"; return; }; sleep 0.2; done; echo "bench: mini container $1 did not start" >&2; exit 1; }
measure mini "$(mini_pid bench-web)" "$(mini_pid bench-client)" 18080

# podman with netavark
if command -v podman >/dev/null && [ -x /usr/lib/podman/netavark ]; then
  "${IN[@]}" "${PODMAN[@]}" import -q --change "ENV $IMAGE_PATH" "$WORK/rootfs.tar" localhost/mini-netbench >/dev/null
  P_OPTS=(--ulimit nofile=1024:1024 --ulimit nproc=1024:1024)
  "${IN[@]}" "${PODMAN[@]}" run -d --name bench-web -p 18081:80 "${P_OPTS[@]}" localhost/mini-netbench sh -c "$SERVE" >/dev/null
  "${IN[@]}" "${PODMAN[@]}" run -d --name bench-client "${P_OPTS[@]}" localhost/mini-netbench sleep 3600 >/dev/null
  measure podman "$("${PODMAN[@]}" inspect -f '{{.State.Pid}}' bench-web)" \
    "$("${PODMAN[@]}" inspect -f '{{.State.Pid}}' bench-client)" 18081
else
  echo "bench: podman with netavark not found: skipping it (apt-get install podman netavark)" >&2
fi

# Docker: its own dockerd (and containerd) in the namespace, state in $WORK; no iptables, so -p is docker-proxy
if command -v dockerd >/dev/null; then
  mkdir -p "$WORK/d"
  "${IN[@]}" dockerd --data-root "$WORK/d/data" --exec-root "$WORK/d/exec" -H "unix://$WORK/d/docker.sock" \
    --pidfile "$WORK/d/docker.pid" --iptables=false --userland-proxy=true >"$WORK/d/log" 2>&1 &
  for _ in $(seq 150); do "${DOCKER[@]}" info >/dev/null 2>&1 && break; sleep 0.2; done
  if "${DOCKER[@]}" info >/dev/null 2>&1; then
    "${DOCKER[@]}" import -c "ENV $IMAGE_PATH" "$WORK/rootfs.tar" mini-netbench >/dev/null
    "${DOCKER[@]}" run -d --name bench-web -p 18082:80 mini-netbench sh -c "$SERVE" >/dev/null
    "${DOCKER[@]}" run -d --name bench-client mini-netbench sleep 3600 >/dev/null
    measure docker "$("${DOCKER[@]}" inspect -f '{{.State.Pid}}' bench-web)" \
      "$("${DOCKER[@]}" inspect -f '{{.State.Pid}}' bench-client)" 18082
  else
    echo "bench: dockerd did not start: skipping it ($(tail -1 "$WORK/d/log"))" >&2
  fi
fi

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || a == "n/a" || b == "n/a" || b == 0) print "n/a"; else printf "%.2f", a/b }'; }
printf '%-38s %10s %10s %10s %12s %12s\n' "median of $N (higher is better)" mini podman docker mini/podman mini/docker
for row in "hcps:host -> published port, conn/s" "hmbps:host -> published port, MiB/s" \
           "ccps:container -> container, conn/s" "cmbps:container -> container, MiB/s"; do
  k="${row%%:*}"; label="${row#*:}"
  m="${RESULT[mini,$k]:-n/a}"; p="${RESULT[podman,$k]:-n/a}"; d="${RESULT[docker,$k]:-n/a}"
  printf '%-38s %10s %10s %10s %12s %12s\n' "$label" "$m" "$p" "$d" "$(ratio "$m" "$p")" "$(ratio "$m" "$d")"
done
echo "(conn/s: ab -n 2000 -c 4 of a 1 KiB file, one connection per request; MiB/s: curl of 64 MiB)"
