#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# khugepaged.sh - khugepaged collapses a pzone task's memory inside its pzone.
# With THP "always", a task started by pzonectl exec on a CPU of the base
# node writes 32 MiB as 4 KiB pages under MADV_NOHUGEPAGE, then marks them
# MADV_HUGEPAGE.  khugepaged (a kernel thread of the root cpuset, which may
# allocate anywhere) must collapse at least 16 MiB of them (the task's
# AnonHugePages, within COLLAPSE_WAIT s; thp_collapse_alloc grows), node D's
# AnonHugePages must grow by as much, every anonymous page of the task must
# still be on N<D>, and the pattern the task wrote must survive.  The THP and
# khugepaged settings are restored at the end.

. "$(dirname "$0")/pzone_lib.sh"

NAME=kst_khuge
ANON_MIB=32
WANT_KB=16384
COLLAPSE_WAIT=240
THP=/sys/kernel/mm/transparent_hugepage
KH=$THP/khugepaged
KNOBS="scan_sleep_millisecs alloc_sleep_millisecs pages_to_scan"

thp_mode()
{
	sed 's/.*\[\(.*\)\].*/\1/' "$THP/enabled"
}

test_cleanup()
{
	[ -n "$saved" ] || return 0
	echo "$thp_saved" >"$THP/enabled"
	for _k in $KNOBS; do
		cat "$PZ_TMP/kh.$_k" >"$KH/$_k" || ktap_diag "cannot restore $KH/$_k"
	done
	saved=""
}

ktap_header
pz_require
[ -w "$THP/enabled" ] || ktap_skip_all "no $THP (CONFIG_TRANSPARENT_HUGEPAGE=n)"
[ -w "$KH/pages_to_scan" ] || ktap_skip_all "no $KH"
ktap_plan 8

thp_saved=$(thp_mode)
for k in $KNOBS; do
	cat "$KH/$k" >"$PZ_TMP/kh.$k"
done
saved=1
ktap_diag "THP enabled was '$thp_saved'; khugepaged:" \
	"$(for k in $KNOBS; do printf '%s=%s ' "$k" "$(cat "$KH/$k")"; done)"
echo always >"$THP/enabled" && echo 100 >"$KH/scan_sleep_millisecs" &&
	echo 100 >"$KH/alloc_sleep_millisecs" && echo 8192 >"$KH/pages_to_scan" ||
	ktap_exit_fail_msg "cannot set THP always and a fast khugepaged"
CPU=$(cut -d, -f1 "$PZ_NODE_SYSFS/node$PZ_BASE/cpulist" | cut -d- -f1)

sum0=$(sum_memtotal_kb)
pz_create_checked "$NAME" "$PZ_BASE" 256M
D=$(pzone_node "$NAME")
ktap_check "create a 256M pzone (node $D)" [ "$PZ_RC" -eq 0 ]
node0=$(node_meminfo_kb "$D" AnonHugePages)
coll0=$(vmstat_get thp_collapse_alloc)
cfail0=$(vmstat_get thp_collapse_alloc_failed)
fault0=$(vmstat_get thp_fault_alloc)

pz_bg "$PZ_TMP/touch.out" pzonectl exec "$NAME" -- taskset -c "${CPU:-0}" \
	pzone_touch --anon $ANON_MIB --collapse --check --hold 0
pid=$PZ_LAST_PID
pz_wait_ready "$PZ_TMP/touch.out" "$pid" 60 ||
	ktap_exit_fail_msg "pzone_touch in $NAME did not get ready"
# khugepaged may already be at work: count the THP faults of the writing.
faults=$(($(vmstat_get thp_fault_alloc) - fault0))
ktap_diag "written: thp_fault_alloc +$faults; task AnonHugePages" \
	"$(smaps_kb "$pid" AnonHugePages) kB already"

# Bounded wait for khugepaged to collapse WANT_KB of the task.
left=$((COLLAPSE_WAIT * 2))
while :; do
	kb=$(smaps_kb "$pid" AnonHugePages)
	[ "${kb:-0}" -ge $WANT_KB ] && break
	[ $left -le 0 ] && break
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.5
	left=$((left - 1))
done
node1=$(node_meminfo_kb "$D" AnonHugePages)
coll=$(($(vmstat_get thp_collapse_alloc) - coll0))
cfail=$(($(vmstat_get thp_collapse_alloc_failed) - cfail0))
ktap_diag "after $(((COLLAPSE_WAIT * 2 - left) / 2)) s: task AnonHugePages ${kb:-?} kB;" \
	"node $D AnonHugePages $node0 -> $node1 kB; thp_collapse_alloc +$coll," \
	"thp_collapse_alloc_failed +$cfail; full_scans $(cat "$KH/full_scans")"
ktap_check "the task was written as 4 KiB pages (thp_fault_alloc +$faults < $((WANT_KB / 2048)))" \
	[ "$faults" -lt $((WANT_KB / 2048)) ]
ktap_check "khugepaged collapsed >= $WANT_KB kB of the task within ${COLLAPSE_WAIT} s" \
	[ "${kb:-0}" -ge $WANT_KB ] && [ "$coll" -ge $((WANT_KB / 2048)) ]
ktap_check "node $D AnonHugePages grew by the collapsed amount (>= $WANT_KB kB)" \
	[ $((node1 - node0)) -ge $WANT_KB ]
check_numa_maps "anonymous memory of the task is on node $D only after the collapse" \
	"$pid" "$D" anon $((ANON_MIB * 1024 / PZ_PAGE_KB * 9 / 10))

pz_stop "$pid"
ktap_check "the task exits cleanly, its pattern intact (exit $PZ_RC)" [ "$PZ_RC" -eq 0 ]

test_cleanup
restored=1
[ "$(thp_mode)" = "$thp_saved" ] || restored=0
for k in $KNOBS; do
	[ "$(cat "$KH/$k")" = "$(cat "$PZ_TMP/kh.$k")" ] || restored=0
done
ktap_check "THP and khugepaged settings restored" [ $restored -eq 1 ]

pz_destroy "$NAME"
[ "$PZ_RC" -eq 0 ] && [ "$(sum_memtotal_kb)" = "$sum0" ]
ktap_result "destroy; sum of MemTotal unchanged"

ktap_finish
