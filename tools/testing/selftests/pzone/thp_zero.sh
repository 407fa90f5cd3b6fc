#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# thp_zero.sh - the huge zero page works for Mode A tasks and never lands
# in a pzone.
#
# With THP "always", a read fault on untouched anonymous memory maps the
# huge zero page, allocated on first use by whichever task faults.  For a
# task confined to a pzone that allocation is hardwall and not movable, so
# stock 6.12 can only take it from the pzone's ZONE_NORMAL kernel reserve:
# with no reserve (--kernel 0) it always fails (thp_zero_page_alloc_failed
# grows and the task gets 4 KiB zero pages); with one, a 2 MiB page either
# fails the watermarks or sits in the reserve, shared by every task, until
# the shrinker frees it, and the destroyed pzone drains meanwhile.
#
# For each reserve size the test frees the huge zero page (drop_caches),
# has a confined task read 16 MiB with MADV_HUGEPAGE, and checks that the
# kernel allocated the huge zero page once and never failed to, that it is
# not on the pzone's node, and that the destroy leaves no node draining.

. "$(dirname "$0")/pzone_lib.sh"

NAME=kst_thpz
THP=/sys/kernel/mm/transparent_hugepage
SAVED=""

test_cleanup()
{
	[ -n "$SAVED" ] && echo "$SAVED" >"$THP/enabled"
}

ktap_header
pz_require
[ -w "$THP/enabled" ] || ktap_skip_all "no $THP (CONFIG_TRANSPARENT_HUGEPAGE=n)"
[ "$(cat "$THP/use_zero_page")" = 1 ] ||
	ktap_skip_all "$THP/use_zero_page is not 1"
pzone_exists "$NAME" && ktap_skip_all "pzone $NAME exists"
ktap_plan 9
kmsg_mark
SAVED=$(sed 's/.*\[\(.*\)\].*/\1/' "$THP/enabled")
echo always >"$THP/enabled"

for kernel in 0 4M; do
	pz_create_checked "$NAME" "$PZ_BASE" 64M --kernel "$kernel"
	D=$(pzone_node "$NAME")
	# The shrinker frees the huge zero page once nobody maps it.
	echo 2 >/proc/sys/vm/drop_caches
	a0=$(vmstat_get thp_zero_page_alloc)
	f0=$(vmstat_get thp_zero_page_alloc_failed)
	free0=$(node_meminfo_kb "$D" MemFree)
	pz_bg "$PZ_TMP/z.out" pzonectl exec "$NAME" -- pzone_touch \
		--read-anon 16 --thp --hold 0
	pid=$PZ_LAST_PID
	pz_wait_ready "$PZ_TMP/z.out" "$pid" 120 ||
		ktap_exit_fail_msg "pzone_touch in $NAME did not get ready: $(cat "$PZ_TMP/z.out")"
	a1=$(vmstat_get thp_zero_page_alloc)
	f1=$(vmstat_get thp_zero_page_alloc_failed)
	free1=$(node_meminfo_kb "$D" MemFree)
	pz_stop "$pid"
	ktap_diag "kernel reserve $kernel: thp_zero_page_alloc +$((a1 - a0))," \
		"failed +$((f1 - f0)); node $D MemFree $free0 -> $free1 kB"
	ktap_check "reserve $kernel: no failed huge zero page allocation (+$((f1 - f0)))" \
		[ "$f1" -eq "$f0" ]
	ktap_check "reserve $kernel: the confined task allocated the huge zero page (+$((a1 - a0)))" \
		[ "$a1" -eq $((a0 + 1)) ]
	# 2 MiB less free in D would be the huge zero page
	ktap_check "reserve $kernel: node $D did not lose 2 MiB to it ($free0 -> $free1 kB)" \
		[ $((free0 - free1)) -lt 2048 ]
	pz_destroy "$NAME"
	# The reaper retries after 1 s, doubling: 40 s cover five of its tries.
	wait_no_draining 40
	rc=$PZ_RC drain=$(draining_nodes)
	ktap_check "reserve $kernel: destroyed (exit $rc), no node draining ('$drain')" \
		[ "$rc" -eq 0 -a -z "$drain" ]
done

echo "$SAVED" >"$THP/enabled"
SAVED=""
check_dmesg_clean
ktap_finish
