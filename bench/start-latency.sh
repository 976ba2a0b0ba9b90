#!/usr/bin/env bash
# Start latency: `mini run --rm --network none busybox true` against `runc run` and
# `podman --runtime runc run --rm` of the same root filesystem. Rounds take each command in turn
# (so that a change in the machine's load falls on all of them); medians of N rounds of wall time
# and of CPU time (user+sys of the command and its children), with ratios, and the load average.
# Usage: sudo bench/start-latency.sh [N]      (installs runc and podman with apt-get when missing)
#        MINI_BEFORE=/path/to/other/checkout sudo bench/start-latency.sh   (also times that
#        checkout's ./mini in the same rounds: a before/after comparison under the same load)
set -euo pipefail
N="${1:-10}"
HERE="$(cd "$(dirname "$0")/.." && pwd)"
. "$HERE/bench/rounds.sh"
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
"${PODMAN[@]}" >/dev/null 2>&1 || true   # warm podman's storage

runc_one() { (cd "$WORK/bundle" && runc run "bench-$$-$RANDOM"); }
# --network none, like podman --net none and runc's spec: start latency without network setup
names=(mini runc podman)
cmds=("env MINI_NO_BUILD=1 $MINI run --rm --network none busybox true" runc_one "${PODMAN[*]}")
if [ -n "${MINI_BEFORE:-}" ]; then
  "$MINI_BEFORE/mini" run --rm --network none busybox true >/dev/null
  names+=(mini-before)
  cmds+=("env MINI_NO_BUILD=1 $MINI_BEFORE/mini run --rm --network none busybox true")
fi
export -f runc_one; export WORK

run_rounds
mini_wall=$(median mini 2); mini_cpu=$(median mini 3)
printf '%-44s %8s %8s %10s %10s\n' "start, /bin/true (median of $N rounds)" "wall ms" "CPU ms" "mini/wall" "mini/CPU"
labels=("mini run --rm --network none busybox true" "runc run (same rootfs)" "podman --runtime runc run --rm" "mini before (${MINI_BEFORE:-})")
for k in "${!names[@]}"; do
  w=$(median "${names[$k]}" 2); c=$(median "${names[$k]}" 3)
  printf '%-44s %8d %8d %10s %10s\n' "${labels[$k]:0:44}" "$w" "$c" "$(ratio "$mini_wall" "$w")" "$(ratio "$mini_cpu" "$c")"
done
echo "(ratios: mini's time divided by the other's; below 1.00 means mini is faster; CPU counts the waited-for"
echo " processes only: podman's conmon and the container it reaps are not in podman's CPU)"
echo "load average before: $load_before, after: $load_after ($(nproc) CPUs)"
