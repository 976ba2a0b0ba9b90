#!/usr/bin/env bash
# VM exits per second: mini-vmm's run loop (Java, jnr-ffi) against a minimal C loop, same guest.
# The guest (port-writes) does N `out 0x80, al`, each one a KVM_EXIT_IO handled in user space.
# Usage: bench/vm-exits.sh [N]      (default 200000; needs /dev/kvm, gcc, and a built mini-vmm)
set -euo pipefail
N=${1:-200000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

[ -r /dev/kvm ] && [ -w /dev/kvm ] || { echo "vm-exits: needs read/write access to /dev/kvm" >&2; exit 125; }
command -v gcc >/dev/null || { echo "vm-exits: needs gcc (apt-get install gcc)" >&2; exit 125; }

cd "$ROOT"
if [ ! -d mini-vmm/target/classes ] || [ ! -f mini-vmm/target/vmm.classpath ]; then
  mvn -q -o -pl mini-vmm -am compile >/dev/null
  mvn -q -o -pl mini-vmm dependency:build-classpath -Dmdep.outputFile=target/vmm.classpath >/dev/null
fi
# the sibling modules' classes, not a possibly stale jar in ~/.m2
CP="mini-vmm/target/classes:mini-sys/target/classes:$(tr ':' '\n' < mini-vmm/target/vmm.classpath | grep -v '/mini-sys-' | paste -sd:)"
VM=(java -XX:+UseSerialGC -cp "$CP" dev.minidocker.vmm.cli.VmCommand)

"${VM[@]}" guests --bytes port-writes > "$WORK/port-writes.bin"
gcc -O2 -o "$WORK/vm-exits-c" bench/vm-exits.c

echo "guest: port-writes, N=$N port writes (+1 debug exit), $(nproc) cores, $(uname -r)"
c_line=$("$WORK/vm-exits-c" "$WORK/port-writes.bin" "$N")
c_rate=$(sed -n 's/.*exits_per_second=\([0-9]*\).*/\1/p' <<<"$c_line")

start=$(date +%s.%N)
j_stats=$("${VM[@]}" run --stats --count "$N" port-writes 2>&1 >/dev/null)
end=$(date +%s.%N)
j_rate=$(sed -n 's/^ *\([0-9]*\) exits\/s.*/\1/p' <<<"$j_stats")
j_exits=$(sed -n 's/^ *total *\([0-9]*\)$/\1/p' <<<"$j_stats")

printf '%-10s %12s %14s\n' "run loop" "exits" "exits/second"
printf '%-10s %12s %14s\n' "C" "$(sed -n 's/exits=\([0-9]*\).*/\1/p' <<<"$c_line")" "$c_rate"
printf '%-10s %12s %14s   (JVM start to exit: %.2f s)\n' "mini-vmm" "$j_exits" "$j_rate" "$(echo "$end - $start" | bc)"
echo "ratio mini-vmm / C: $(echo "scale=2; $j_rate / $c_rate" | bc)   (goal: at least 0.5)"
