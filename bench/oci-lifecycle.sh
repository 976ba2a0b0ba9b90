#!/usr/bin/env bash
# OCI lifecycle: create + start + delete of one bundle running /bin/true, mini-runc against runc
# (and crun where crun works: it refuses hybrid cgroup hosts), and a whole `podman run --rm` with
# --runtime mini-runc against podman with runc; medians of N runs, side by side, with ratios.
# Usage: sudo bench/oci-lifecycle.sh [N]
set -euo pipefail
N="${1:-10}"
HERE="$(cd "$(dirname "$0")/.." && pwd)"
MINI_RUNC="$HERE/mini-runc"
WORK="$(mktemp -d /tmp/mini-bench-oci.XXXXXX)"
PODMAN_BASE=(podman --root "$WORK/podman-root" --runroot "$WORK/podman-run" --storage-driver vfs
             --cgroup-manager cgroupfs --events-backend file)
trap '"${PODMAN_BASE[@]}" rm -a -f >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT

[ "$(id -u)" = 0 ] || { echo "bench: run as root (sudo)" >&2; exit 1; }
for tool in runc podman; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (sudo .ci/install-packages)" >&2; exit 1; }
done
"$MINI_RUNC" --version >/dev/null   # builds mini if needed

# One bundle for every runtime: a static busybox, config.json from runc spec running /bin/true.
mkdir -p "$WORK/bundle/rootfs/bin"
cp /bin/busybox "$WORK/bundle/rootfs/bin/"
ln -s busybox "$WORK/bundle/rootfs/bin/true"
ln -s busybox "$WORK/bundle/rootfs/bin/sh"
(cd "$WORK/bundle" && runc spec && sed -i 's/"terminal": true/"terminal": false/; s/"sh"/"true"/' config.json)
tar -C "$WORK/bundle/rootfs" -cf "$WORK/rootfs.tar" .
"${PODMAN_BASE[@]}" import -q "$WORK/rootfs.tar" localhost/mini-bench-oci >/dev/null

median_ms() { # command... ; the median wall time in ms of N runs
  local times=()
  for _ in $(seq "$N"); do
    local t0 t1
    t0=$(date +%s%N); "$@" >/dev/null 2>&1; t1=$(date +%s%N)
    times+=($(( (t1 - t0) / 1000000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'
}

lifecycle() { # runtime-binary: create, start, wait for the end, delete
  local id="bench-$$-$RANDOM" bin="$1"
  "$bin" --root "$WORK/state-$(basename "$bin")" create --bundle "$WORK/bundle" "$id" </dev/null
  "$bin" --root "$WORK/state-$(basename "$bin")" start "$id"
  while "$bin" --root "$WORK/state-$(basename "$bin")" state "$id" 2>/dev/null | grep -q '"running"'; do sleep 0.01; done
  "$bin" --root "$WORK/state-$(basename "$bin")" delete --force "$id"
}
export MINI_NO_BUILD=1

runc_ms=$(median_ms lifecycle "$(command -v runc)")
mini_ms=$(median_ms lifecycle "$MINI_RUNC")
crun_ms=""
# crun refuses hybrid hosts at create ("cgroups in hybrid mode not supported"): only time it where create works
if command -v crun >/dev/null && crun --root "$WORK/state-probe" create --bundle "$WORK/bundle" "probe-$$" </dev/null >/dev/null 2>&1; then
  crun --root "$WORK/state-probe" delete --force "probe-$$" >/dev/null 2>&1 || true
  crun_ms=$(median_ms lifecycle "$(command -v crun)")
fi
podman_runc_ms=$(median_ms "${PODMAN_BASE[@]}" --runtime runc run --rm --net none --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 localhost/mini-bench-oci true)
podman_mini_ms=$(median_ms "${PODMAN_BASE[@]}" --runtime "$MINI_RUNC" run --rm --net none --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 localhost/mini-bench-oci true)

ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2fx", a/b}'; }
printf '%-52s %8s %10s\n' "OCI lifecycle, /bin/true (median of $N)" "ms" "mini/peer"
printf '%-52s %8d %10s\n' "mini-runc create+start+delete" "$mini_ms" "1.00"
printf '%-52s %8d %10s\n' "runc create+start+delete" "$runc_ms" "$(ratio "$mini_ms" "$runc_ms")"
if [ -n "$crun_ms" ]; then
  printf '%-52s %8d %10s\n' "crun create+start+delete" "$crun_ms" "$(ratio "$mini_ms" "$crun_ms")"
else
  printf '%-52s %8s %10s\n' "crun create+start+delete" "-" "(crun refuses this host: hybrid cgroups)"
fi
printf '%-52s %8d %10s\n' "podman --runtime mini-runc run --rm" "$podman_mini_ms" "1.00"
printf '%-52s %8d %10s\n' "podman --runtime runc run --rm" "$podman_runc_ms" "$(ratio "$podman_mini_ms" "$podman_runc_ms")"
echo "(ratios: mini's time divided by the peer's; below 1.00 means mini is faster)"
