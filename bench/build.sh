#!/bin/bash
# Builds one Dockerfile (three RUN steps, two COPY steps, a config step) with `mini build` and with
# `podman build`, first cold (an empty cache: a fresh store each time) and then cached (the same
# build again, every step answered from the cache); prints the medians side by side and mini's ratios.
#
#   bench/build.sh [RUNS]            (run as root; default 3 runs)
#
# Both start from the same base: mini's default busybox image, saved and loaded into podman. podman
# runs with vfs storage, cgroupfs, runc, no network and the ulimits this machine needs (PLATFORM.md);
# mini runs its RUN steps without a network too.
set -euo pipefail
runs=${1:-3}
here=$(cd "$(dirname "$0")/.." && pwd)
export LC_ALL=C.UTF-8
[ "$(id -u)" = 0 ] || { echo "build.sh: run as root (RUN steps are containers)" >&2; exit 1; }
for tool in podman runc bc java mvn; do
    command -v $tool >/dev/null || { echo "build.sh: $tool is missing (see .ci/install-packages)" >&2; exit 1; }
done
run=$(mktemp -d "${BENCH_OUT:-/var/tmp}/mbb.XXXXXX")
cleanup() {
    for d in "$run"/podman-*; do
        [ -d "$d" ] && pod "$d" rmi -a -f >/dev/null 2>&1 || true
    done
    rm -rf "$run"
}
trap cleanup EXIT
pod() { local d=$1; shift; podman --root "$d/root" --runroot "$d/run" --tmpdir "$d/tmp" --storage-driver vfs \
    --cgroup-manager cgroupfs --events-backend file --runtime runc "$@"; }

# The context: a few MB of files to copy, and a Dockerfile whose RUN steps write and delete files.
ctx=$run/ctx
mkdir -p "$ctx"
cp -r /usr/share/doc/bash /usr/share/doc/coreutils "$ctx"/ 2>/dev/null || cp -r /usr/share/doc "$ctx"/docs
head -c 4000000 /dev/urandom > "$ctx/blob.bin"
cat > "$ctx/Dockerfile" <<'DF'
FROM busybox
RUN mkdir -p /opt/app && seq 1 20000 > /opt/app/numbers && rm /etc/group
COPY . /src/
RUN cd /src && find . -type f | sort > /opt/app/files && rm -rf /src/blob.bin
ENV APP=/opt/app
COPY blob.bin /opt/app/
RUN wc -l /opt/app/files > /opt/app/count
CMD ["cat", "/opt/app/count"]
DF

echo "building mini..."
"$here/mini" --version >/dev/null
base=$run/base
MINI_ROOT=$base MINI_NO_BUILD=1 "$here/mini" images >/dev/null
MINI_ROOT=$base MINI_NO_BUILD=1 "$here/mini" run --rm --network none busybox true >/dev/null 2>&1 # makes busybox
MINI_ROOT=$base MINI_NO_BUILD=1 "$here/mini" save -o "$run/busybox.tar" busybox

time_one() { # prints the seconds one command takes
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null 2>"$run/last.err" || { echo "failed: $*" >&2; cat "$run/last.err" >&2; exit 1; }
    end=$(date +%s.%N)
    echo "$end - $start" | bc
}
median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.2f", m}'; }
podman_build() { pod "$1" build --pull=never --network none --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 \
    -t bench:1 "$ctx"; }

declare -A times
for ((i = 1; i <= runs; i++)); do
    # fresh stores, each with the base image only (not timed)
    m=$run/mini-$i
    cp -a "$base" "$m"
    rm -rf "$m/buildcache"
    p=$run/podman-$i
    mkdir -p "$p"
    pod "$p" load -i "$run/busybox.tar" >/dev/null 2>&1
    sync
    times[mini-cold]="${times[mini-cold]:-} $(MINI_ROOT=$m MINI_NO_BUILD=1 time_one "$here/mini" build -t bench:1 "$ctx")"
    times[mini-cached]="${times[mini-cached]:-} $(MINI_ROOT=$m MINI_NO_BUILD=1 time_one "$here/mini" build -t bench:1 "$ctx")"
    times[podman-cold]="${times[podman-cold]:-} $(time_one podman_build "$p")"
    times[podman-cached]="${times[podman-cached]:-} $(time_one podman_build "$p")"
    grep -q CACHED <(MINI_ROOT=$m MINI_NO_BUILD=1 "$here/mini" build -t bench:1 "$ctx") || { echo "mini's rebuild was not cached" >&2; exit 1; }
    pod "$p" rmi -a -f >/dev/null 2>&1 || true
    rm -rf "$m" "$p"
    echo "round $i done"
done
declare -A result
for k in mini-cold podman-cold mini-cached podman-cached; do
    # shellcheck disable=SC2086
    result[$k]=$(printf '%s\n' ${times[$k]} | median)
    printf '%-14s median %6ss   runs:%s\n' "$k" "${result[$k]}" "$(printf ' %.2f' ${times[$k]})"
done
printf 'mini / podman build: cold %.2fx, cached %.2fx\n' \
    "$(echo "${result[mini-cold]} / ${result[podman-cold]}" | bc -l)" \
    "$(echo "${result[mini-cached]} / ${result[podman-cached]}" | bc -l)"
