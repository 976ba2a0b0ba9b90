#!/bin/bash
# Pulls one multi-layer image of a few hundred MB from a local registry (Debian's docker-registry on
# 127.0.0.1, started here with its own storage) with `mini pull`, `skopeo copy` and `podman pull`,
# each into a fresh destination every time; prints the median of several runs of each, side by side,
# and mini's ratio to the others.
#
#   bench/pull.sh [RUNS]                         (run as root; default 3 runs)
#   BENCH_SRC="/usr/share/doc /usr/bin" bench/pull.sh   (one layer per directory)
#   BENCH_OUT=/var/tmp bench/pull.sh             (where the registry and the pulls write; default a
#                                                 tmpfs, /dev/shm, so that the shared disk's write-back
#                                                 does not drown the differences)
#
# What each one does: mini downloads (3 layers at a time), checks every digest and unpacks every
# layer into its store; podman does the same into containers-storage (overlay driver); skopeo only
# downloads and checks, into an OCI layout, so it is the floor for the network part.
set -euo pipefail
runs=${1:-3}
here=$(cd "$(dirname "$0")/.." && pwd)
work=${BENCH_DIR:-/var/tmp/mini-bench-pull}
src=${BENCH_SRC:-/usr/share/locale /usr/share/doc /usr/libexec /usr/lib/python3}
export LC_ALL=C.UTF-8

[ "$(id -u)" = 0 ] || { echo "pull.sh: run as root (mini and podman unpack layers with their owners)" >&2; exit 1; }
for tool in docker-registry skopeo podman umoci tar bc java mvn; do
    command -v $tool >/dev/null || { echo "pull.sh: $tool is missing (see .ci/install-packages)" >&2; exit 1; }
done
mkdir -p "$work"

# The image: one gzip layer per source directory, made once by umoci.
if [ ! -f "$work/oci/index.json" ]; then
    echo "making the image from: $src"
    rm -rf "$work/oci"
    umoci init --layout "$work/oci" >/dev/null
    umoci new --image "$work/oci:bench" >/dev/null
    for d in $src; do
        tar -C / -cf "$work/layer.tar" "${d#/}"
        umoci raw add-layer --image "$work/oci:bench" "$work/layer.tar" >/dev/null
    done
    rm -f "$work/layer.tar"
fi
layers=$(find "$work/oci/blobs/sha256" -type f -size +1M | wc -l)
echo "image: $layers layers, $(du -sh "$work/oci" | cut -f1) compressed"

# The registry: our own configuration, storage and port; stopped on exit.
run=$(mktemp -d "${BENCH_OUT:-/dev/shm}/mbp.XXXXXX")   # short: podman's runroot must stay under 50 characters
reg_pid=
cleanup() {
    [ -n "$reg_pid" ] && kill "$reg_pid" 2>/dev/null && wait "$reg_pid" 2>/dev/null || true
    for d in "$run"/podman-*; do
        [ -d "$d" ] && podman --root "$d/root" --runroot "$d/run" --storage-driver overlay rmi -a -f >/dev/null 2>&1 || true
    done
    rm -rf "$run"
}
trap cleanup EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat > "$run/registry.yml" <<YML
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $run/registry
http:
  addr: 127.0.0.1:$port
YML
docker-registry serve "$run/registry.yml" > "$run/registry.log" 2>&1 &
reg_pid=$!
for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    sleep 0.1
done
image=127.0.0.1:$port/bench/big:v1
skopeo copy --dest-tls-verify=false "oci:$work/oci:bench" "docker://$image" >/dev/null
echo "pushed to $image; pulls write to $run ($(df --output=fstype "$run" | tail -1)), $runs runs each"

echo "building mini..."
"$here/mini" --version >/dev/null

time_one() { # prints the seconds one command takes
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null 2>"$run/last.err" || { echo "failed: $*" >&2; cat "$run/last.err" >&2; exit 1; }
    end=$(date +%s.%N)
    echo "$end - $start" | bc
}
median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.2f", m}'; }

declare -A times
tools="mini skopeo podman"
# Rounds take each tool in turn, so that a change in the machine's load falls on all of them.
for ((i = 1; i <= runs; i++)); do
    for tool in $tools; do
        out=$run/$tool-$i
        sync
        case $tool in
        mini) t=$(MINI_ROOT=$out MINI_NO_BUILD=1 time_one "$here/mini" pull "$image") ;;
        skopeo) t=$(time_one skopeo copy --src-tls-verify=false "docker://$image" "oci:$out:v1") ;;
        podman)
            out=$run/podman-$i
            t=$(time_one podman --root "$out/root" --runroot "$out/run" --storage-driver overlay \
                --cgroup-manager cgroupfs --events-backend file pull --tls-verify=false "$image") ;;
        esac
        times[$tool]="${times[$tool]:-} $t"
    done
    # the round's copies go before the next round: the disk is shared
    for d in "$run"/podman-"$i"; do
        podman --root "$d/root" --runroot "$d/run" --storage-driver overlay rmi -a -f >/dev/null 2>&1 || true
    done
    rm -rf "$run"/mini-"$i" "$run"/skopeo-"$i" "$run"/podman-"$i"
    echo "round $i done"
done
declare -A result
for tool in $tools; do
    # shellcheck disable=SC2086
    result[$tool]=$(printf '%s\n' ${times[$tool]} | median)
    printf '%-8s median %6ss   runs:%s\n' "$tool" "${result[$tool]}" "$(printf ' %.2f' ${times[$tool]})"
done
printf 'mini / skopeo copy: %.2fx   mini / podman pull: %.2fx\n' \
    "$(echo "${result[mini]} / ${result[skopeo]}" | bc -l)" "$(echo "${result[mini]} / ${result[podman]}" | bc -l)"
