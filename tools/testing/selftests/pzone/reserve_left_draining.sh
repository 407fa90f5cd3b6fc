#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# reserve_left_draining.sh - regression: destroying a Mode A pzone whose
# tasks had forked left its kernel reserve draining for good.
#
# Slab pages of the reserve pinned it: a confined task that asks for an
# ordinary node by number (kmalloc_node(..., 1) in fork paths) had its
# cpuset turn that into the pzone, and per-node structures for derived node
# ids not in use (memcg per-node info for every possible node) fell back to
# the first derived node along its zonelist.  Both now take the slab page
# from an ordinary node.  The node must leave draining_nodes within the
# reaper's first retries and node MemTotal must add up as before.

if [ -f "$(dirname "$0")/pzone_lib.sh" ]; then
	. "$(dirname "$0")/pzone_lib.sh"
else
	cd /usr/lib/pzone/selftests || exit 4
	. ./pzone_lib.sh
fi

NAME=kst_drain
ROUNDS=3

ktap_header
pz_require
pzone_exists "$NAME" && ktap_skip_all "pzone $NAME exists"
[ -z "$(cat "$PZ_SYSFS/draining_nodes")" ] ||
	ktap_skip_all "nodes $(cat "$PZ_SYSFS/draining_nodes") are draining already"
ktap_plan $((ROUNDS * 3 + 1))
kmsg_mark
sum0=$(sum_memtotal_kb)

r=1
while [ $r -le $ROUNDS ]; do
	pz_create_checked "$NAME" "$PZ_BASE" 64M
	D=$(pzone_attr "$NAME" node)
	pzonectl exec "$NAME" -- sh -c \
		'for i in 1 2 3; do sleep 0.1 & done; wait; cat /proc/self/status >/dev/null'
	pz_destroy "$NAME"
	ktap_check "round $r: destroy $NAME (node $D) at the first try" [ "$PZ_RC" -eq 0 ]
	pzone_exists "$NAME" &&
		ktap_exit_fail_msg "pzone $NAME still exists after round $r's destroy"
	# The reaper retries after 1 s, doubling: 40 s cover five of its tries.
	wait_no_draining 40
	left=$(cat "$PZ_SYSFS/draining_nodes")
	[ -n "$left" ] && ktap_diag "node $D: $(grep -E 'MemUsed|Slab:|KernelStack' \
		"/sys/devices/system/node/node$D/meminfo" 2>/dev/null | tr -s ' ' | tr '\n' ' ')"
	ktap_check "round $r: node $D's reserve given back within 10 s (draining '$left')" [ -z "$left" ]
	ktap_check "round $r: sum of MemTotal as before" [ "$(sum_memtotal_kb)" = "$sum0" ]
	r=$((r + 1))
done
check_dmesg_clean
ktap_finish
