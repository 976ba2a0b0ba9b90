#!/bin/sh
# Builds a two-layer test image offline with umoci, and converts it with skopeo.
#   layer 1: /bin/busybox (+ sh, ls, cat links), /data/{keep,gone,hard}, /opq/a
#   layer 2: deletes /data/gone, replaces /opq's content by /opq/b, makes /data/keep setuid
# Outputs in $1: oci/ (layout, tags fx:v1 and fx:v2), fx-docker.tar (docker-archive),
# fx-oci.tar (oci-archive, gzip layers), fx-zstd.tar (oci-archive, zstd layers), flat/ (umoci raw unpack).
set -eu
out=$1
busybox=${2:-/bin/busybox}
cd "$out"
umoci init --layout oci
umoci new --image oci:fx
umoci unpack --image oci:fx b1 >/dev/null
r=b1/rootfs
mkdir -p $r/bin $r/data $r/opq
cp "$busybox" $r/bin/busybox
for a in sh ls cat; do ln -s busybox $r/bin/$a; done
echo keep > $r/data/keep
echo gone > $r/data/gone
ln $r/data/keep $r/data/hard
echo a > $r/opq/a
umoci repack --image oci:fx:v1 b1
umoci unpack --image oci:fx:v1 b2 >/dev/null
r=b2/rootfs
rm $r/data/gone
rm -r $r/opq
mkdir $r/opq
echo b > $r/opq/b
chmod 4755 $r/data/keep
umoci repack --image oci:fx:v2 b2
umoci config --image oci:fx:v2 --config.cmd sh --config.env A=1 --config.workingdir /data
skopeo copy -q oci:oci:fx:v2 docker-archive:fx-docker.tar:fixture:v2
skopeo copy -q oci:oci:fx:v2 oci-archive:fx-oci.tar:v2
skopeo copy -q --dest-compress --dest-compress-format zstd oci:oci:fx:v2 oci-archive:fx-zstd.tar:v2
umoci raw unpack --image oci:fx:v2 flat >/dev/null 2>&1
rm -rf b1 b2
