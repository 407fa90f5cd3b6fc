#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# ksm.sh - KSM does not put one pzone's memory on another pzone's node.
# Two tasks, each in its own pzone (nodes D1, D2), hold the same 8 MiB of
# MADV_MERGEABLE pages (pzone_ksm: each content twice in a task, and the
# same contents in both tasks).  KSM runs until it has done three full
# scans (two are enough to merge everything), and must have merged the
# duplicates inside each task (pages_sharing).  Then every anonymous page
# of the task in D1 must be on N<D1>, and of the task in D2 on N<D2>:
# either KSM does not merge across pzones or it keeps each one's pages at
# home.  This is checked with merge_across_nodes = 1 (the default: one
# stable tree for all nodes), after "run = 2" has unmerged everything
# (the unmerge copies belong in the tasks' pzones too), and with
# merge_across_nodes = 0 (one tree a node) for two new tasks.  Every /sys/kernel/mm/ksm
# file the test writes is restored at the end.

. "$(dirname "$0")/pzone_lib.sh"

NAME1=kst_ksm1
NAME2=kst_ksm2
KSM=/sys/kernel/mm/ksm
KSM_MIB=8
PAGES=$((KSM_MIB * 1024 / PZ_PAGE_KB))
HALF=$((PAGES / 2))
SCAN_WAIT=120
KNOBS="run merge_across_nodes pages_to_scan sleep_millisecs"

ksm_get()
{
	cat "$KSM/$1"
}

# ksm_restore: unmerge, then put back every knob saved in $PZ_TMP/ksm.
ksm_restore()
{
	[ -n "$ksm_saved" ] || return 0
	echo 2 >"$KSM/run"
	for _k in merge_across_nodes pages_to_scan sleep_millisecs run; do
		cat "$PZ_TMP/ksm.$_k" >"$KSM/$_k" ||
			ktap_diag "cannot restore $KSM/$_k"
	done
	ksm_saved=""
}

test_cleanup()
{
	ksm_restore
}

ksm_counts()
{
	echo "pages_shared $(ksm_get pages_shared) pages_sharing $(ksm_get pages_sharing)" \
	     "pages_unshared $(ksm_get pages_unshared) full_scans $(ksm_get full_scans)"
}

# ksm_scan N: run KSM until full_scans has grown by N, at most SCAN_WAIT s.
ksm_scan()
{
	_ks_want=$(($(ksm_get full_scans) + $1))
	echo 1 >"$KSM/run" || return 1
	_ks_left=$((SCAN_WAIT * 2))
	while [ "$(ksm_get full_scans)" -lt $_ks_want ]; do
		[ $_ks_left -le 0 ] && return 1
		sleep 0.5
		_ks_left=$((_ks_left - 1))
	done
}

# check_homes WHEN: two KTAP lines, each task's anonymous memory on its node.
check_homes()
{
	set -- "$1" $(numa_maps_pages "$t1" "$D1" anon) $(numa_maps_pages "$t2" "$D2" anon)
	ktap_diag "$1: task in $NAME1: $2 pages on N$D1, $3 elsewhere;" \
		"task in $NAME2: $4 pages on N$D2, $5 elsewhere"
	check_numa_maps "$1: the task in $NAME1 has its memory on node $D1 only" \
		"$t1" "$D1" anon $((PAGES * 9 / 10))
	check_numa_maps "$1: the task in $NAME2 has its memory on node $D2 only" \
		"$t2" "$D2" anon $((PAGES * 9 / 10))
}

ktap_header
pz_require
[ -w "$KSM/run" ] || ktap_skip_all "no $KSM (CONFIG_KSM=n)"
[ -w "$KSM/merge_across_nodes" ] || ktap_skip_all "no $KSM/merge_across_nodes"
command -v pzone_ksm >/dev/null 2>&1 || ktap_skip_all "pzone_ksm not built"
ktap_plan 15

for k in $KNOBS; do
	ksm_get "$k" >"$PZ_TMP/ksm.$k"
done
ksm_saved=1
ktap_diag "ksm was: $(for k in $KNOBS; do printf '%s=%s ' "$k" "$(ksm_get "$k")"; done)"
echo 2 >"$KSM/run"
echo 1 >"$KSM/merge_across_nodes" &&
	echo 2000 >"$KSM/pages_to_scan" && echo 10 >"$KSM/sleep_millisecs" ||
	ktap_exit_fail_msg "cannot set merge_across_nodes=1 pages_to_scan=2000 sleep_millisecs=10"

sum0=$(sum_memtotal_kb)
pz_create_checked "$NAME1" "$PZ_BASE" 64M
pz_create_checked "$NAME2" "$PZ_BASE" 64M
D1=$(pzone_node "$NAME1")
D2=$(pzone_node "$NAME2")
ktap_check "create two 64M pzones (nodes $D1, $D2)" [ "$PZ_RC" -eq 0 ]

# ksm_tasks ROUND: start pzone_ksm in both pzones ($t1, $t2).
ksm_tasks()
{
	pz_bg "$PZ_TMP/t1.$1" pzonectl exec "$NAME1" -- pzone_ksm --mib $KSM_MIB
	t1=$PZ_LAST_PID
	pz_bg "$PZ_TMP/t2.$1" pzonectl exec "$NAME2" -- pzone_ksm --mib $KSM_MIB
	t2=$PZ_LAST_PID
	pz_wait_ready "$PZ_TMP/t1.$1" "$t1" 60 && pz_wait_ready "$PZ_TMP/t2.$1" "$t2" 60 ||
		ktap_exit_fail_msg "pzone_ksm did not get ready in both pzones"
}

# ksm_tasks_stop ROUND DESC: stop both, one KTAP line for their exit.
ksm_tasks_stop()
{
	pz_stop "$t1"
	_kt_rc1=$PZ_RC
	pz_stop "$t2"
	grep -h '^report ' "$PZ_TMP/t1.$1" "$PZ_TMP/t2.$1" | sed 's/^/#   at exit: /'
	[ $_kt_rc1 -eq 0 ] && [ "$PZ_RC" -eq 0 ]
	ktap_result "$2: both tasks exit cleanly, their pattern intact (exit $_kt_rc1, $PZ_RC)"
}

# merge_across_nodes = 1.  Within a task, each content is on two pages of
# one node: at least 90% of those must merge, whatever the policy.
ksm_tasks 1
ksm_scan 3
rc=$?
ktap_diag "merge_across_nodes=1, after 3 full scans: $(ksm_counts)"
[ $rc -eq 0 ] && [ "$(ksm_get pages_sharing)" -ge $((HALF * 2 * 9 / 10)) ]
ktap_result "merge_across_nodes=1: KSM merged the duplicates (pages_sharing >= $((HALF * 2 * 9 / 10)))"
check_homes "merge_across_nodes=1"

# Unmerging copies every merged page for its tasks: in their pzones.
echo 2 >"$KSM/run"
ktap_diag "run=2: $(ksm_counts)"
[ "$(ksm_get pages_shared)" -eq 0 ] && [ "$(ksm_get pages_sharing)" -eq 0 ]
ktap_result "run=2 unmerges everything (pages_shared 0, pages_sharing 0)"
check_homes "after run=2"
ksm_tasks_stop 1 "merge_across_nodes=1"

# merge_across_nodes = 0 (KSM stopped and unmerged: it may be changed),
# with new tasks, all of whose memory starts in their pzones.
pz_run pzone_write "$KSM/merge_across_nodes" 0
ktap_check "merge_across_nodes=0 can be set after run=2 (exit $PZ_RC$(sed 's/^/: /' "$PZ_OUT"))" \
	[ "$PZ_RC" -eq 0 ]
ksm_tasks 2
ksm_scan 3
rc=$?
ktap_diag "merge_across_nodes=0, after 3 full scans: $(ksm_counts)"
[ $rc -eq 0 ] && [ "$(ksm_get pages_sharing)" -ge $((HALF * 2 * 9 / 10)) ]
ktap_result "merge_across_nodes=0: KSM merged the duplicates (pages_sharing >= $((HALF * 2 * 9 / 10)))"
check_homes "merge_across_nodes=0"
# Stopped before run=2: their exit, not an unmerge, drops the KSM pages.
ksm_tasks_stop 2 "merge_across_nodes=0"

ksm_restore
restored=1
for k in $KNOBS; do
	[ "$(ksm_get "$k")" = "$(cat "$PZ_TMP/ksm.$k")" ] || restored=0
done
[ $restored -eq 1 ]
ktap_result "$KSM restored: $(for k in $KNOBS; do printf '%s=%s ' "$k" "$(ksm_get "$k")"; done)"

pz_destroy "$NAME1"
rc1=$PZ_RC
pz_destroy "$NAME2"
[ $rc1 -eq 0 ] && [ "$PZ_RC" -eq 0 ] && [ "$(sum_memtotal_kb)" = "$sum0" ]
ktap_result "destroy both; sum of MemTotal unchanged"

ktap_finish
