#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# numa_balancing.sh - automatic NUMA balancing neither moves a pzone task's
# memory out of its pzone nor slows its page faults down.
# With kernel.numa_balancing = 1, a task started by pzonectl exec on a CPU
# of the base node (so the balancer's target, the CPU's node, is not the
# pzone's node D) writes 64 MiB over and over until the scanner has made
# its PTEs hinting-fault (numa_pte_updates, numa_hint_faults in
# /proc/vmstat grow by the task's page count, within 90 s); all its
# anonymous memory must still be on N<D>.  Then fault_throughput runs in
# the pzone REPS times with balancing off and REPS times with it on,
# interleaved ABBA, each run long enough for the scanner to act on it
# (numa_pte_updates must grow during the runs with balancing on); the
# median MiB/s with balancing on must be at least MIN_RATIO of the median
# with it off.  The goal is 0.98; TCG's wall-clock timing spreads by about
# 10 %, so make test checks a sanity bound of 0.80 and the goal is checked
# with guest time counting instructions:
#   tests/qemu/run.sh -b -a "pztests=numa_balancing PZ_NB_MIN_RATIO=0.98" test
# The sysctl is restored at the end.

. "$(dirname "$0")/pzone_lib.sh"

NAME=kst_numab
NB=/proc/sys/kernel/numa_balancing
WALK_MIB=64
WALK_PAGES=$((WALK_MIB * 1024 / PZ_PAGE_KB))
SCAN_WAIT=90
REPS=${PZ_NB_REPS:-9}
FT_MIB=64
FT_SECS=3		# each run lasts this long: past the 1 s scan delay
MIN_RATIO=${PZ_NB_MIN_RATIO:-0.80}

test_cleanup()
{
	[ -n "$nb_saved" ] && echo "$nb_saved" >"$NB"
}

# median: the median of the numbers on stdin, one a line.
median()
{
	sort -n | awk '{ v[NR] = $1 } END {
		if (NR == 0) exit 1
		if (NR % 2) print v[(NR + 1) / 2]
		else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# ft_run MODE: one fault_throughput in the pzone with numa_balancing MODE;
# appends its MiB/s to $PZ_TMP/ft.MODE.  Fails if it does not run.
ft_run()
{
	echo "$1" >"$NB" || return 1
	_fr_hint=$(vmstat_get numa_hint_faults)
	_fr_fail=$(vmstat_get pgmigrate_fail)
	_fr_upd=$(vmstat_get numa_pte_updates)
	pz_run pzonectl exec "$NAME" -- fault_throughput --mib $FT_MIB \
		--iters "$FT_ITERS" --warmup 1 --cpu "$CPU" --nothp || {
		ktap_diag "fault_throughput (balancing $1): exit $PZ_RC: $(cat "$PZ_ERR")"
		return 1
	}
	_fr=$(awk '$1 == "mib_per_s" { print $2 }' "$PZ_OUT")
	[ -n "$_fr" ] || return 1
	echo "$_fr" >>"$PZ_TMP/ft.$1"
	ft_hint=$((ft_hint + $(vmstat_get numa_hint_faults) - _fr_hint))
	ft_fail=$((ft_fail + $(vmstat_get pgmigrate_fail) - _fr_fail))
	eval "ft_upd$1=\$((ft_upd$1 + $(vmstat_get numa_pte_updates) - _fr_upd))"
}

ktap_header
pz_require
[ -w "$NB" ] || ktap_skip_all "no $NB (CONFIG_NUMA_BALANCING=n)"
command -v pzone_walk >/dev/null 2>&1 || ktap_skip_all "pzone_walk not built"
# A CPU of the base node: the balancer would move pages to its node.
CPU=$(cut -d, -f1 "$PZ_NODE_SYSFS/node$PZ_BASE/cpulist" | cut -d- -f1)
[ -n "$CPU" ] || ktap_skip_all "base node $PZ_BASE has no CPU"
ktap_plan 9

nb_saved=$(cat "$NB")
ktap_diag "numa_balancing was $nb_saved; CPU $CPU (node $PZ_BASE); $REPS runs each of" \
	"fault_throughput --mib $FT_MIB --nothp, ${FT_SECS} s a run"
echo 1 >"$NB"

sum0=$(sum_memtotal_kb)
pz_create_checked "$NAME" "$PZ_BASE" 256M
D=$(pzone_node "$NAME")
ktap_check "create a 256M pzone (node $D)" [ "$PZ_RC" -eq 0 ]

upd0=$(vmstat_get numa_pte_updates)
hint0=$(vmstat_get numa_hint_faults)
mig0=$(vmstat_get numa_pages_migrated)
fail0=$(vmstat_get pgmigrate_fail)
pz_bg "$PZ_TMP/walk.out" pzonectl exec "$NAME" -- pzone_walk \
	--mib $WALK_MIB --cpu "$CPU" --nothp
walk=$PZ_LAST_PID
pz_wait_ready "$PZ_TMP/walk.out" "$walk" 60 ||
	ktap_exit_fail_msg "pzone_walk in $NAME did not get ready"

# Bounded wait for the scanner: PTE updates covering the task's pages and
# hinting faults on a quarter of them.
left=$((SCAN_WAIT * 2))
while :; do
	upd=$(($(vmstat_get numa_pte_updates) - upd0))
	hint=$(($(vmstat_get numa_hint_faults) - hint0))
	[ $upd -ge $WALK_PAGES ] && [ $hint -ge $((WALK_PAGES / 4)) ] && break
	[ $left -le 0 ] && break
	kill -0 "$walk" 2>/dev/null || break
	sleep 0.5
	left=$((left - 1))
done
ktap_diag "after $(((SCAN_WAIT * 2 - left) / 2)) s: numa_pte_updates +$upd," \
	"numa_hint_faults +$hint, numa_pages_migrated" \
	"+$(($(vmstat_get numa_pages_migrated) - mig0)), pgmigrate_fail" \
	"+$(($(vmstat_get pgmigrate_fail) - fail0)) (task: $WALK_PAGES pages)"
[ $upd -ge $WALK_PAGES ] && [ $hint -ge $((WALK_PAGES / 4)) ]
ktap_result "the balancing scanner ran: >= $WALK_PAGES PTE updates, >= $((WALK_PAGES / 4)) hinting faults within ${SCAN_WAIT} s"
check_numa_maps "anonymous memory of the task is on node $D only after the scans" \
	"$walk" "$D" anon $((WALK_PAGES * 9 / 10))

pz_stop "$walk"
grep -E "^(passes|report) " "$PZ_TMP/walk.out" | sed "s/^/#   /"
[ "$PZ_RC" -eq 0 ] && grep -qx "report walk node $D $WALK_PAGES" "$PZ_TMP/walk.out" &&
	[ "$(grep -c '^report ' "$PZ_TMP/walk.out")" -eq 1 ]
ktap_result "the task exits cleanly, pattern intact, all $WALK_PAGES pages on node $D (move_pages)"

# Throughput, ABBA: off on, on off, ...
rm -f "$PZ_TMP/ft.0" "$PZ_TMP/ft.1"
ft_ok=1
ft_hint=0
ft_fail=0
ft_upd0=0
ft_upd1=0
# Calibration: enough iterations for FT_SECS seconds a run, so that the
# scanner (first scan after scan_delay_ms, 1 s) acts during the runs.
pz_run pzonectl exec "$NAME" -- fault_throughput --mib $FT_MIB --iters 2 \
	--warmup 0 --cpu "$CPU" --nothp
ns=$(awk '$1 == "ns" { print $2 }' "$PZ_OUT")
FT_ITERS=$(awk -v ns="${ns:-0}" -v s=$FT_SECS 'BEGIN {
	n = ns > 0 ? int(s * 1e9 / (ns / 2)) + 1 : 6
	print n < 2 ? 2 : (n > 60 ? 60 : n) }')
ktap_diag "calibration: 2 iterations in ${ns:-?} ns: $FT_ITERS iterations a run"
i=0
while [ $i -lt "$REPS" ]; do
	if [ $((i % 2)) -eq 0 ]; then
		ft_run 0 && ft_run 1 || ft_ok=0
	else
		ft_run 1 && ft_run 0 || ft_ok=0
	fi
	i=$((i + 1))
done
off=$(median <"$PZ_TMP/ft.0" 2>/dev/null)
on=$(median <"$PZ_TMP/ft.1" 2>/dev/null)
ktap_diag "MiB/s, balancing off: $(tr '\n' ' ' <"$PZ_TMP/ft.0" 2>/dev/null)"
ktap_diag "MiB/s, balancing on:  $(tr '\n' ' ' <"$PZ_TMP/ft.1" 2>/dev/null)"
ratio=$(awk -v a="${on:-0}" -v b="${off:-0}" 'BEGIN { if (b > 0) printf "%.4f", a / b; else print 0 }')
ktap_diag "during the runs: numa_pte_updates +$ft_upd1 (balancing on), +$ft_upd0 (off);" \
	"numa_hint_faults +$ft_hint, pgmigrate_fail +$ft_fail"
ktap_diag "median off $off MiB/s, median on $on MiB/s, ratio on/off $ratio (want >= $MIN_RATIO)"
ktap_check "all $((REPS * 2)) fault_throughput runs in the pzone succeed" [ $ft_ok -eq 1 ]
ktap_check "the scanner worked during the runs with balancing on (numa_pte_updates +$ft_upd1)" \
	[ "$ft_upd1" -gt 0 ]
ktap_check "fault throughput with balancing on >= $MIN_RATIO x off (median of $REPS)" \
	awk -v r="$ratio" -v m=$MIN_RATIO 'BEGIN { exit !(r >= m) }'

echo "$nb_saved" >"$NB"
ktap_check "numa_balancing restored to $nb_saved" [ "$(cat "$NB")" = "$nb_saved" ]
nb_saved=""

pz_destroy "$NAME"
[ "$PZ_RC" -eq 0 ] && [ "$(sum_memtotal_kb)" = "$sum0" ]
ktap_result "destroy; sum of MemTotal unchanged"

ktap_finish
