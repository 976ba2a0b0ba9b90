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
# compile (in the reactor, so mini-sys comes from this checkout) and write the runtime classpath
if ! build=$(mvn -q -pl mini-vmm -am test-compile dependency:build-classpath -Dmdep.includeScope=runtime \
    -Dmdep.outputFile=target/vmm.classpath 2>&1); then
  echo "$build" >&2
  echo "vm-exits: building mini-vmm failed" >&2
  exit 125
fi
# the sibling modules' classes, not a possibly stale jar in ~/.m2
CP="mini-vmm/target/classes:mini-sys/target/classes:$(tr ':' '\n' < mini-vmm/target/vmm.classpath | grep -v '/mini-sys-' | paste -sd:)"
VM=(java -XX:+UseSerialGC -cp "$CP" dev.minidocker.vmm.cli.VmCommand)

"${VM[@]}" guests --bytes port-writes > "$WORK/port-writes.bin"
gcc -O2 -o "$WORK/vm-exits-c" bench/vm-exits.c

ROUNDS=${ROUNDS:-3}
echo "guest: port-writes, N=$N port writes (+1 debug exit), $ROUNDS rounds each (median), $(nproc) cores, $(uname -r)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) (the machine is shared: compare the two columns of one run)"
c_rates=(); j_rates=(); walls=()
for ((i = 0; i < ROUNDS; i++)); do   # alternate, so both see the same background load
  c_line=$("$WORK/vm-exits-c" "$WORK/port-writes.bin" "$N")
  c_rates+=("$(sed -n 's/.*exits_per_second=\([0-9]*\).*/\1/p' <<<"$c_line")")
  c_exits=$(sed -n 's/exits=\([0-9]*\).*/\1/p' <<<"$c_line")
  start=$(date +%s.%N)
  j_stats=$("${VM[@]}" run --stats --count "$N" port-writes 2>&1 >/dev/null)
  end=$(date +%s.%N)
  j_rates+=("$(sed -n 's/^ *\([0-9]*\) exits\/s.*/\1/p' <<<"$j_stats")")
  j_exits=$(sed -n 's/^ *total *\([0-9]*\)$/\1/p' <<<"$j_stats")
  walls+=("$(echo "$end - $start" | bc)")
done
median() { printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"; }
c_rate=$(median "${c_rates[@]}")
j_rate=$(median "${j_rates[@]}")

printf '%-10s %12s %14s   %s\n' "run loop" "exits" "exits/second" "(each round)"
printf '%-10s %12s %14s   %s\n' "C" "$c_exits" "$c_rate" "${c_rates[*]}"
printf '%-10s %12s %14s   %s   (JVM start to exit: %.2f s)\n' "mini-vmm" "$j_exits" "$j_rate" "${j_rates[*]}" "$(median "${walls[@]}")"
echo "ratio mini-vmm / C: $(echo "scale=2; $j_rate / $c_rate" | bc)   (goal: at least 0.5)"
