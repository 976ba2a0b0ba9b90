#!/usr/bin/env bash
# Start latency: `mini run --rm busybox true` against `runc run` and `podman --runtime runc run --rm`
# of the same root filesystem, median of N runs each, side by side, with ratios.
# Usage: sudo bench/start-latency.sh [N]      (installs runc and podman with apt-get when missing)
set -euo pipefail
N="${1:-10}"
HERE="$(cd "$(dirname "$0")/.." && pwd)"
MINI="$HERE/mini"
WORK="$(mktemp -d /tmp/mini-bench.XXXXXX)"
trap 'rm -rf "$WORK"; podman rmi -f localhost/mini-bench-busybox >/dev/null 2>&1 || true' EXIT

[ "$(id -u)" = 0 ] || { echo "bench: run as root (sudo)" >&2; exit 1; }
for tool in runc podman; do
  command -v "$tool" >/dev/null || { echo "bench: installing $tool" >&2; apt-get install -y -qq "$tool" >/dev/null; }
done

"$MINI" run --rm --network none busybox true   # builds mini and the busybox image if needed

# The same root filesystem for everyone: the busybox image's unpacked layer.
export MINI_ROOT="${MINI_ROOT:-/var/lib/mini-docker}"
LAYER="$(find "$MINI_ROOT" -path '*/layers/*' -name bin -type d -prune -print | head -1 | xargs dirname)"
[ -n "$LAYER" ] || { echo "bench: cannot find the busybox layer under $MINI_ROOT" >&2; exit 1; }

# runc: an OCI bundle whose rootfs is a copy of the layer.
mkdir -p "$WORK/bundle/rootfs"
cp -a "$LAYER/." "$WORK/bundle/rootfs/"
(cd "$WORK/bundle" && runc spec && sed -i 's/"terminal": true/"terminal": false/; s/"sh"/"true"/' config.json)

# podman: import the same tree as an image.
tar -C "$WORK/bundle/rootfs" -cf "$WORK/rootfs.tar" .
podman import -q "$WORK/rootfs.tar" localhost/mini-bench-busybox >/dev/null
PODMAN=(podman --runtime runc run --rm --net none --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 localhost/mini-bench-busybox true)

median_ms() { # command... ; prints the median wall time in ms of N runs
  local times=()
  for _ in $(seq "$N"); do
    local t0 t1
    t0=$(date +%s%N); "$@" >/dev/null 2>&1; t1=$(date +%s%N)
    times+=($(( (t1 - t0) / 1000000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'
}

"${PODMAN[@]}" >/dev/null 2>&1 || true   # warm podman's storage
i=0
runc_one() { i=$((i+1)); (cd "$WORK/bundle" && runc run "bench-$$-$RANDOM" ); }
# --network none, like podman --net none and runc's spec: start latency without network setup
mini_ms=$(median_ms env MINI_NO_BUILD=1 "$MINI" run --rm --network none busybox true)
runc_ms=$(median_ms runc_one)
podman_ms=$(median_ms "${PODMAN[@]}")

printf '%-44s %8s %10s\n' "start latency, /bin/true (median of $N)" "ms" "vs mini"
printf '%-44s %8d %10s\n' "mini run --rm --network none busybox true" "$mini_ms" "1.00"
printf '%-44s %8d %10s\n' "runc run (same rootfs)" "$runc_ms" "$(awk -v a="$mini_ms" -v b="$runc_ms" 'BEGIN{printf "%.2fx", a/b}')"
printf '%-44s %8d %10s\n' "podman --runtime runc run --rm" "$podman_ms" "$(awk -v a="$mini_ms" -v b="$podman_ms" 'BEGIN{printf "%.2fx", a/b}')"
echo "(ratios: mini's time divided by the peer's; below 1.00 means mini is faster)"
