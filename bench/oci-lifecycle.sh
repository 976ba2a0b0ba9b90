#!/usr/bin/env bash
# OCI lifecycle: create + start + delete of one bundle running /bin/true, mini-runc against runc
# (and crun where crun works: it refuses hybrid cgroup hosts), and a whole `podman run --rm` with
# --runtime mini-runc against podman with runc; medians of N interleaved rounds of wall and CPU time,
# with ratios and the load average.
# Usage: sudo bench/oci-lifecycle.sh [N]
#        MINI_BEFORE=/path/to/other/checkout sudo bench/oci-lifecycle.sh   (also times that checkout's mini-runc)
set -euo pipefail
N="${1:-10}"
HERE="$(cd "$(dirname "$0")/.." && pwd)"
. "$HERE/bench/rounds.sh"
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

lifecycle() { # runtime-binary: create, start, wait for the end, delete
  local id="bench-$$-$RANDOM" bin="$1" root="$WORK/state-$(echo "$1" | tr / _)"
  "$bin" --root "$root" create --bundle "$WORK/bundle" "$id" </dev/null
  "$bin" --root "$root" start "$id"
  while "$bin" --root "$root" state "$id" 2>/dev/null | grep -q '"running"'; do sleep 0.01; done
  "$bin" --root "$root" delete --force "$id"
}
export -f lifecycle; export WORK MINI_NO_BUILD=1

names=(mini-runc runc podman-mini-runc podman-runc)
cmds=("lifecycle $MINI_RUNC" "lifecycle $(command -v runc)" "${PODMAN_BASE[*]} --runtime $MINI_RUNC run --rm --net none --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 localhost/mini-bench-oci true"
      "${PODMAN_BASE[*]} --runtime runc run --rm --net none --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 localhost/mini-bench-oci true")
# crun refuses hybrid hosts at create ("cgroups in hybrid mode not supported"): only time it where create works
if command -v crun >/dev/null && crun --root "$WORK/state-probe" create --bundle "$WORK/bundle" "probe-$$" </dev/null >/dev/null 2>&1; then
  crun --root "$WORK/state-probe" delete --force "probe-$$" >/dev/null 2>&1 || true
  names+=(crun); cmds+=("lifecycle $(command -v crun)")
fi
if [ -n "${MINI_BEFORE:-}" ]; then   # another checkout's mini-runc in the same rounds: before/after under the same load
  names+=(mini-runc-before); cmds+=("lifecycle $MINI_BEFORE/mini-runc")
fi
run_rounds
printf '%-44s %8s %8s %10s %10s\n' "OCI lifecycle, /bin/true (median of $N rounds)" "wall ms" "CPU ms" "mini/wall" "mini/CPU"
for k in "${!names[@]}"; do
  n="${names[$k]}"
  case "$n" in podman-*) ref=podman-mini-runc ;; *) ref=mini-runc ;; esac
  label="$n create+start+delete"; case "$n" in podman-mini-runc) label="podman --runtime mini-runc run --rm" ;; podman-runc) label="podman --runtime runc run --rm" ;; esac
  printf '%-44s %8d %8d %10s %10s\n' "$label" "$(median "$n" 2)" "$(median "$n" 3)" \
    "$(ratio "$(median "$ref" 2)" "$(median "$n" 2)")" "$(ratio "$(median "$ref" 3)" "$(median "$n" 3)")"
done
if [ -z "$(printf '%s\n' "${names[@]}" | grep -x crun)" ]; then
  echo "crun: not timed (crun refuses this host: hybrid cgroups)"
fi
echo "(ratios: mini's time divided by the other's; below 1.00 means mini is faster; CPU counts the waited-for"
echo " processes only: podman's conmon and the containers it reaps are not in podman's CPU)"
echo "load average before: $load_before, after: $load_after ($(nproc) CPUs)"
