#!/usr/bin/env bash
# Times the lab: how long a trivial command takes, from `mini lab run` to its exit, N times,
# with the boot/command split that --stats prints. The first run prepares the cache (timed apart).
# Usage: lab/bench-boot.sh [N] [--cgroup v2|hybrid]
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-5}"; shift || true
./mini lab prepare >/dev/null
walls=()
for i in $(seq "$n"); do
  start=$(date +%s.%N)
  stats=$(./mini lab run --stats "$@" -- true 2>&1 >/dev/null | grep 'boot to command' || true)
  end=$(date +%s.%N)
  wall=$(awk "BEGIN {print $end - $start}")
  walls+=("$wall")
  printf 'run %d: wall %.1f s  (%s)\n' "$i" "$wall" "${stats#mini lab: }"
done
printf '%s\n' "${walls[@]}" | sort -n | awk '{a[NR]=$1} END {printf "median wall of %d runs: %.1f s (load %s)\n", NR, a[int((NR+1)/2)], "'"$(cut -d' ' -f1-3 /proc/loadavg)"'"}'
