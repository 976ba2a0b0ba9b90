#!/usr/bin/env bash
# Boot time: `mini vm boot` against `qemu-system-x86_64 -enable-kvm`, the same kernel, initramfs
# and command line, side by side, measured from the command's start to the guest init's banner
# ("mini-vmm: init running") on the serial console, and to the end of the process.
# Needs hardware-style KVM: on a machine whose /dev/kvm is software-only (kvm_pvm) it runs itself
# inside the lab guest (./mini lab run). Usage: bench/vm-boot.sh [ROUNDS]   (default 3)
set -euo pipefail
ROUNDS=${1:-3}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

if [ -z "${MINI_LAB:-}" ] && [ -e /sys/module/kvm_pvm ]; then
  echo "vm-boot: /dev/kvm here is software-only (kvm_pvm); running inside the lab guest" >&2
  ./mini vm --help >/dev/null   # build (and train class-data sharing) here, not in the guest
  exec ./mini lab run --timeout 900 -- bench/vm-boot.sh "$ROUNDS"
fi
[ -r /dev/kvm ] && [ -w /dev/kvm ] || { echo "vm-boot: needs read/write access to /dev/kvm" >&2; exit 125; }
command -v qemu-system-x86_64 >/dev/null || { echo "vm-boot: needs qemu-system-x86_64 (apt-get install qemu-system-x86)" >&2; exit 125; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
CLI=mini-cli/target
CP="$CLI/mini-cli.jar:$CLI/lib/*"
JAVA=(java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData "-Djffi.boot.library.path=$CLI/jffi/jni/x86_64-Linux")
# as a user runs it: the launcher (class-data sharing archive and all), built beforehand
MINI=(env MINI_NO_BUILD=1 ./mini)
if [ -z "${MINI_LAB:-}" ]; then ./mini vm --help >/dev/null; fi   # builds when sources changed
CMDLINE_EXTRA="quiet"
EXEC="true"

now() { date +%s%N; }
# runs "$@", prints "<ms to banner> <ms to exit>" measured from the start
# (no process substitution: the lab guest has no /dev/fd)
timed() {
  local start
  start=$(now)
  "$@" 2>>"$WORK/stderr.log" | {
    banner=0
    while IFS= read -r line; do
      case "$line" in *"mini-vmm: init running"*) [ "$banner" = 0 ] && banner=$(( ($(now) - start) / 1000000 )) ;; esac
      printf '%s\n' "$line" >> "$WORK/console.log"
    done
    echo "$banner $(( ($(now) - start) / 1000000 ))"
  }
}

# one mini-vmm boot first: it finds the default kernel and says which, with --stats
"${MINI[@]}" vm boot --append "$CMDLINE_EXTRA" --stats --exec "$EXEC" \
  > "$WORK/first.log" 2>&1 || { cat "$WORK/first.log" >&2; echo "vm-boot: mini vm boot failed" >&2; exit 125; }
KERNEL=$(sed -n 's/^boot: kernel \(.*\), command line "\(.*\)"$/\1/p' "$WORK/first.log")
CMDLINE=$(sed -n 's/^boot: kernel \(.*\), command line "\(.*\)"$/\2/p' "$WORK/first.log")
"${JAVA[@]}" -cp "$CP" dev.minidocker.vmm.boot.DefaultInitramfs "$WORK/initramfs.cpio.gz" "$EXEC"

echo "kernel: $KERNEL"
echo "command line: $CMDLINE"
echo "initramfs: busybox + init, --exec $EXEC ($(stat -c %s "$WORK/initramfs.cpio.gz") bytes); 256 MiB, 1 vCPU"
echo "$(nproc) cores, $(uname -r)${MINI_LAB:+, inside the lab guest (nested KVM under TCG)}; $ROUNDS rounds each, alternating"
printf '%-8s %14s %14s\n' round "mini: init ms" "qemu: init ms"
mini_init=(); qemu_init=(); mini_total=(); qemu_total=()
for ((i = 1; i <= ROUNDS; i++)); do
  timed "${MINI[@]}" vm boot --kernel "$KERNEL" \
      --append "$CMDLINE_EXTRA" --exec "$EXEC" > "$WORK/mini.t" || true
  timed qemu-system-x86_64 -enable-kvm -cpu host -m 256 -smp 1 -nodefaults -no-user-config \
      -display none -serial stdio -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x01 \
      -kernel "$KERNEL" -initrd "$WORK/initramfs.cpio.gz" -append "$CMDLINE" > "$WORK/qemu.t" || true
  read -r mi mt < "$WORK/mini.t"
  read -r qi qt < "$WORK/qemu.t"
  printf '%-8s %14s %14s   (process ends: %s ms, %s ms)\n' "$i" "$mi" "$qi" "$mt" "$qt"
  mini_init+=("$mi"); qemu_init+=("$qi"); mini_total+=("$mt"); qemu_total+=("$qt")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
mi=$(median "${mini_init[@]}"); qi=$(median "${qemu_init[@]}")
mt=$(median "${mini_total[@]}"); qt=$(median "${qemu_total[@]}")
if [ "$mi" = 0 ] || [ "$qi" = 0 ]; then
  echo "vm-boot: a guest never printed its banner; console and errors:" >&2
  tail -20 "$WORK/console.log" "$WORK/stderr.log" >&2
  exit 1
fi
echo "median to init:  mini-vmm $mi ms, qemu $qi ms, ratio mini/qemu $(awk "BEGIN {printf \"%.2f\", $mi / $qi}")"
echo "median to exit:  mini-vmm $mt ms, qemu $qt ms, ratio mini/qemu $(awk "BEGIN {printf \"%.2f\", $mt / $qt}")"
echo "mini-vmm's own split (first run, --stats):"
grep '^boot: ' "$WORK/first.log" | sed 's/^/  /'
