# Sourced by the benchmarks that time whole commands: rounds that take each command in turn (so that
# a change in the machine's load falls on all of them), wall and CPU time of each run, medians, ratios.
# Needs WORK (a scratch directory), the arrays names and cmds (shell command lines), and N (rounds).
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is missing (apt-get install time)" >&2; exit 1; }

# Runs the rounds; sets load_before and load_after (the load average around them).
run_rounds() {
  load_before=$(cut -d' ' -f1-3 /proc/loadavg)
  for ((r = 1; r <= N; r++)); do
    for k in "${!names[@]}"; do
      # wall seconds, then user+sys seconds of the command and everything it waited for
      /usr/bin/time -f "%e %U %S" -o "$WORK/t" bash -c "${cmds[$k]}" >/dev/null 2>&1 || true
      awk -v n="${names[$k]}" '{printf "%s %d %d\n", n, $1*1000, ($2+$3)*1000}' "$WORK/t" >> "$WORK/times"
    done
  done
  load_after=$(cut -d' ' -f1-3 /proc/loadavg)
}

median() { # name column (2: wall ms, 3: CPU ms)
  awk -v n="$1" -v c="$2" '$1==n {print $c}' "$WORK/times" | sort -n \
    | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2fx", (b > 0 ? a/b : 0)}'; }
