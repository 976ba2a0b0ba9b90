#!/usr/bin/env bash
# The third way's costs (issue 16): containers whose boundary is a VM (mini run --isolation vm).
#  1. Start: from the command's start to the container command's first output line, for
#     --isolation pivot_root, --isolation vm, and qemu -enable-kvm booting the same kernel and
#     the same initramfs (the image's root and mini's init); medians of ROUNDS, ratios.
#  2. Memory: N VM-isolated containers of one image at once; the host's used memory
#     (MemTotal - MemAvailable) they add, with KSM off and then on (/sys/kernel/mm/ksm/run),
#     and KSM's pages_sharing. The KSM settings read at the start are written back at the end.
# Needs hardware-style KVM: where /dev/kvm is software-only (kvm_pvm) it runs itself inside the
# lab guest. Usage: bench/vm-isolation.sh [N] [ROUNDS]   (defaults 4 and 3)
set -euo pipefail
N=${1:-4}
ROUNDS=${2:-3}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

if [ -z "${MINI_LAB:-}" ] && [ -e /sys/module/kvm_pvm ]; then
  echo "vm-isolation: /dev/kvm here is software-only (kvm_pvm); running inside the lab guest" >&2
  ./mini vm --help >/dev/null   # build here, not in the guest
  exec ./mini lab run --timeout 1800 -- bench/vm-isolation.sh "$N" "$ROUNDS"
fi
[ "$(id -u)" = 0 ] || { echo "vm-isolation: run as root (mini run, KSM settings)" >&2; exit 125; }
[ -r /dev/kvm ] && [ -w /dev/kvm ] || { echo "vm-isolation: needs read/write access to /dev/kvm" >&2; exit 125; }
command -v qemu-system-x86_64 >/dev/null || { echo "vm-isolation: needs qemu-system-x86_64 (apt-get install qemu-system-x86)" >&2; exit 125; }
KSM=/sys/kernel/mm/ksm
[ -w "$KSM/run" ] || { echo "vm-isolation: needs KSM ($KSM/run; CONFIG_KSM)" >&2; exit 125; }

WORK=$(mktemp -d)
export MINI_ROOT="$WORK/store"
MINI=(env MINI_NO_BUILD=1 ./mini)
if [ -z "${MINI_LAB:-}" ]; then ./mini vm --help >/dev/null; fi   # builds when sources changed
CLI=mini-cli/target
JAVA=(java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData "-Djffi.boot.library.path=$CLI/jffi/jni/x86_64-Linux"
      -cp "$CLI/mini-cli.jar:$CLI/lib/*")

# KSM as found, written back however this ends; every VM this script started is stopped
ksm_run=$(cat "$KSM/run"); ksm_scan=$(cat "$KSM/pages_to_scan"); ksm_sleep=$(cat "$KSM/sleep_millisecs")
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "$ksm_scan" > "$KSM/pages_to_scan"; echo "$ksm_sleep" > "$KSM/sleep_millisecs"
  # run=2 unmerges everything; then the value read
  echo 2 > "$KSM/run"; echo "$ksm_run" > "$KSM/run"
  rm -rf "$WORK"
}
trap cleanup EXIT

now() { date +%s%N; }
# runs "$@" and prints the ms from its start to its first line of output (0: none)
first_line() {
  local start
  start=$(now)
  # a status is no failure here (qemu's debug-exit makes every status odd): only the output counts
  { "$@" 2>>"$WORK/stderr.log" || true; } | {
    first=0
    while IFS= read -r line; do
      [ "$first" = 0 ] && first=$(( ($(now) - start) / 1000000 ))
    done
    echo "$first"
  }
}
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ratio() { awk "BEGIN {printf \"%.1f\", $1 / $2}"; }

# the image (busybox, made offline), its initramfs, and the kernel mini vm boot uses
"${MINI[@]}" run --isolation vm --rm busybox true </dev/null 2>"$WORK/first.log" \
  || { cat "$WORK/first.log" >&2; echo "vm-isolation: mini run --isolation vm failed" >&2; exit 125; }
KERNEL=$("${JAVA[@]}" dev.minidocker.vmm.boot.DefaultKernel 2>/dev/null || true)
[ -n "$KERNEL" ] || { echo "vm-isolation: no kernel found (see mini vm boot --help)" >&2; exit 125; }
"${JAVA[@]}" dev.minidocker.container.vm.VmContainer "$WORK/initrd" busybox echo first 2>/dev/null
echo "kernel: $KERNEL; initramfs (busybox image + init): $(stat -c %s "$WORK/initrd") bytes; guests 256 MiB, 1 vCPU"
echo "$(nproc) cores, $(uname -r)${MINI_LAB:+, inside the lab guest (nested KVM under TCG)}; load $(cut -d' ' -f1-3 /proc/loadavg)"

echo
echo "== start: ms from the command's start to the container command's first output ($ROUNDS rounds, alternating)"
printf '%-6s %12s %12s %12s\n' round pivot_root vm qemu
pr=(); vm=(); qe=()
for ((i = 1; i <= ROUNDS; i++)); do
  a=$(first_line "${MINI[@]}" run --rm --network none busybox echo first </dev/null)
  b=$(first_line "${MINI[@]}" run --isolation vm busybox echo first </dev/null)
  c=$(first_line qemu-system-x86_64 -enable-kvm -cpu host -m 256 -smp 1 -nodefaults -no-user-config -display none \
        -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x01 -serial null -serial stdio -serial null \
        -kernel "$KERNEL" -initrd "$WORK/initrd" \
        -append "console=ttyS0 reboot=k panic=-1 acpi=off pci=off i8042.noaux quiet rdinit=/.mini/init" </dev/null)
  printf '%-6s %12s %12s %12s\n' "$i" "$a" "$b" "$c"
  pr+=("$a"); vm+=("$b"); qe+=("$c")
done
a=$(median "${pr[@]}"); b=$(median "${vm[@]}"); c=$(median "${qe[@]}")
if [ "$a" = 0 ] || [ "$b" = 0 ] || [ "$c" = 0 ]; then
  echo "vm-isolation: a run printed nothing; errors:" >&2; tail -20 "$WORK/stderr.log" >&2; exit 1
fi
echo "median: pivot_root $a ms, vm $b ms, qemu $c ms; vm/pivot_root $(ratio "$b" "$a"), vm/qemu $(ratio "$b" "$c")"

echo
echo "== memory: $N VM-isolated containers of busybox at once (each 'sh -c \"echo up; cat\"', waiting on stdin)"
used_kib() { awk '/^MemTotal:/ {t=$2} /^MemAvailable:/ {a=$2} END {print t - a}' /proc/meminfo; }
start_vms() {
  pids=()
  for ((i = 1; i <= N; i++)); do
    mkfifo "$WORK/in$i"
    sleep 3600 > "$WORK/in$i" &
    pids+=("$!")
    "${MINI[@]}" run --isolation vm busybox sh -c 'echo up; cat' < "$WORK/in$i" > "$WORK/out$i" 2>&1 &
    pids+=("$!")
  done
  for ((t = 0; t < 900; t++)); do
    [ "$(cat "$WORK"/out* 2>/dev/null | grep -c '^up')" -ge "$N" ] && return 0
    sleep 1
  done
  echo "vm-isolation: not all $N guests started; their output:" >&2; tail -5 "$WORK"/out* >&2; exit 1
}
stop_vms() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  pids=(); rm -f "$WORK"/in* "$WORK"/out*
}

echo 2 > "$KSM/run"; echo 0 > "$KSM/run"   # off, nothing merged
base=$(used_kib)
start_vms
sleep 5
off=$(( $(used_kib) - base ))
echo "KSM off: $N guests add $((off / 1024)) MiB ($((off / 1024 / N)) MiB each: guest RAM touched + a JVM)"
echo 1000 > "$KSM/pages_to_scan"; echo 10 > "$KSM/sleep_millisecs"; echo 1 > "$KSM/run"
# let ksmd scan until pages_sharing stops growing (at most about 3 minutes)
prev=-1
for ((t = 0; t < 36; t++)); do
  sleep 5
  cur=$(cat "$KSM/pages_sharing")
  [ "$cur" = "$prev" ] && [ "$cur" != 0 ] && break
  prev=$cur
done
on=$(( $(used_kib) - base ))
sharing=$(cat "$KSM/pages_sharing"); shared=$(cat "$KSM/pages_shared")
echo "KSM on:  $N guests add $((on / 1024)) MiB ($((on / 1024 / N)) MiB each); pages_sharing $sharing, pages_shared $shared" \
     "(saved about $((sharing * 4 / 1024)) MiB), full scans $(cat "$KSM/full_scans")"
echo "ratio used with KSM on / off: $(ratio "$on" "$off")"
stop_vms
