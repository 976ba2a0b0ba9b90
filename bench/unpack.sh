#!/bin/bash
# Unpacks one large gzip layer (made from system directories: many small files) with
# mini-docker's LayerUnpacker, GNU tar and `umoci raw unpack`; prints the median of several
# runs of each, side by side, and mini-docker's ratio to the others. Goal: within 1.2x of GNU tar.
#
#   bench/unpack.sh [RUNS]            (run as root, like the store does; default 5 runs)
#   BENCH_SRC="/usr/share/doc /usr/share/man" bench/unpack.sh   (choose what goes in the layer)
#   BENCH_OUT=/var/tmp/x bench/unpack.sh   (where to unpack; default: a tmpfs, /dev/shm, so that
#                                           the shared disk's write-back does not drown the differences)
set -euo pipefail
runs=${1:-5}
here=$(cd "$(dirname "$0")/.." && pwd)
work=${BENCH_DIR:-/var/tmp/mini-bench-unpack}
src=${BENCH_SRC:-/usr/share/doc /usr/share/locale /usr/share/man /usr/share/perl /usr/share/vim /usr/share/i18n /usr/share/icons /usr/share/zoneinfo}
export LC_ALL=C.UTF-8   # file names in the layer are UTF-8

for tool in tar gzip umoci java mvn; do
    command -v $tool >/dev/null || { echo "unpack.sh: $tool is missing (apt-get install $tool)" >&2; exit 1; }
done
mkdir -p "$work"
layer=$work/layer.tar.gz
if [ ! -s "$layer" ]; then
    echo "making the layer from: $src"
    # shellcheck disable=SC2086
    tar -C / -cf "$work/layer.tar" $(for d in $src; do echo "${d#/}"; done)
    gzip -c "$work/layer.tar" > "$layer"
    # an OCI image holding that layer, for umoci
    rm -rf "$work/oci"
    umoci init --layout "$work/oci" >/dev/null
    umoci new --image "$work/oci:bench" >/dev/null
    umoci raw add-layer --image "$work/oci:bench" "$work/layer.tar" >/dev/null
    rm "$work/layer.tar"
fi
entries=$(gzip -dc "$layer" | tar -t | wc -l)
echo "layer: $(du -h "$layer" | cut -f1) gzip, $(gzip -l "$layer" | awk 'NR==2{printf "%.0f MB", $2/1048576}') unpacked, $entries entries"

echo "building mini-container..."
if ! (cd "$here" && mvn -q -pl mini-container -am package -DskipTests dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile="$work/cp.txt" > "$work/build.log" 2>&1); then
    cat "$work/build.log" >&2; echo "unpack.sh: the build failed" >&2; exit 1
fi
cp="$here/mini-container/target/classes:$(cat "$work/cp.txt")"
java_opts="-XX:+UseParallelGC -Xss512k"

time_one() { # prints the seconds one command takes
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }
    end=$(date +%s.%N)
    echo "$end - $start" | bc
}

median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.2f", m}'; }

outdir=${BENCH_OUT:-/dev/shm/mini-bench-unpack}
mkdir -p "$outdir"
echo "unpacking into $outdir ($(df --output=fstype "$outdir" | tail -1)), $runs runs each"
declare -A times
tools="mini-docker gnu-tar umoci"
# Rounds take each tool in turn, so that a change in the machine's load falls on all of them.
for ((i = 1; i <= runs; i++)); do
    for tool in $tools; do
        out=$outdir/out-$tool
        rm -rf "$out"; sync
        case $tool in
        mini-docker) t=$(time_one java $java_opts -cp "$cp" dev.minidocker.container.image.Unpack "$layer" "$out") ;;
        gnu-tar) mkdir -p "$out"; t=$(time_one tar -xzf "$layer" -C "$out") ;;
        umoci) t=$(time_one umoci raw unpack --image "$work/oci:bench" "$out") ;;
        esac
        times[$tool]="${times[$tool]:-} $t"
    done
    echo "round $i done"
done
declare -A result
for tool in $tools; do
    # shellcheck disable=SC2086
    result[$tool]=$(printf '%s\n' ${times[$tool]} | median)
    printf '%-12s median %6ss   runs:%s\n' "$tool" "${result[$tool]}" "$(printf ' %.2f' ${times[$tool]})"
done

# The trees must be the same: names, types, modes, owners, sizes, modification times, link targets
# (the directories tar creates for the layer's missing parents differ only in their times).
listing() { (cd "$1" && find . -mindepth 1 -printf '%p %y %m %U %G %s %T@ %l\n' | sort); }
if ! diff <(listing "$outdir/out-mini-docker") <(listing "$outdir/out-gnu-tar") | grep -v '^[<>] \./usr \|^[<>] \./usr/share ' | grep -q '^[<>]'; then
    echo "check: mini-docker unpacked the same tree as GNU tar"
else
    echo "check: the trees of mini-docker and GNU tar DIFFER:"; diff <(listing "$outdir/out-mini-docker") <(listing "$outdir/out-gnu-tar") | head
fi

# Loading: the first load unpacks the layer; a second one finds it in the store.
store=$outdir/store
load1=$(time_one java $java_opts -cp "$cp" dev.minidocker.container.image.ImageLoader "$store" "$work/oci" bench:one)
load2=$(time_one java $java_opts -cp "$cp" dev.minidocker.container.image.ImageLoader "$store" "$work/oci" bench:two)
printf 'load into an empty store: %.2fs; the same image again (layer present): %.2fs\n' "$load1" "$load2"
rm -rf "$outdir"

echo
printf 'mini-docker / gnu-tar = %.2fx   (goal: at most 1.20x)\n' "$(echo "${result[mini-docker]} / ${result[gnu-tar]}" | bc -l)"
printf 'mini-docker / umoci   = %.2fx\n' "$(echo "${result[mini-docker]} / ${result[umoci]}" | bc -l)"
