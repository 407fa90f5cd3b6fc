#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# hardwall_fallback.sh - kernel memory a confined task may not take outside
# its cpuset (__GFP_HARDWALL) and that is not movable falls back to other
# nodes when the pzone's kernel reserve cannot hold it.
#
# Pipe buffers are GFP_HIGHUSER pages.  A task in a 64M pzone fills 16 MiB
# of pipes, four times a 4 MiB reserve.  Stock 6.12 can only take them from
# the reserve: with --kernel 0 the first write fails with ENOMEM; with a
# 4 MiB reserve the writes reclaim in it and then OOM-kill inside the
# pzone, while its ZONE_MOVABLE is almost all free.  Expected, for both
# reserve sizes: every write succeeds, the task is not killed, the data
# reads back intact, node D keeps its movable memory (MemFree drops by no
# more than the reserve plus 2 MiB), and the destroy leaves nothing draining.

. "$(dirname "$0")/pzone_lib.sh"

NAME=kst_hwfb
MIB=16

ktap_header
pz_require
pzone_exists "$NAME" && ktap_skip_all "pzone $NAME exists"
ktap_plan 9
kmsg_mark

for kernel in 0 4; do
	pz_create_checked "$NAME" "$PZ_BASE" 64M --kernel "${kernel}M"
	D=$(pzone_node "$NAME")
	free0=$(node_meminfo_kb "$D" MemFree)
	pz_bg "$PZ_TMP/p.out" pzonectl exec "$NAME" -- pzone_pipes --mib $MIB
	pid=$PZ_LAST_PID
	if pz_wait_ready "$PZ_TMP/p.out" "$pid" 120; then
		free1=$(node_meminfo_kb "$D" MemFree)
		ktap_diag "reserve ${kernel}M: $(grep '^filled' "$PZ_TMP/p.out"); node $D MemFree $free0 -> $free1 kB"
		ktap_check "reserve ${kernel}M: $MIB MiB in pipes, node $D MemFree dropped by $((free0 - free1)) kB (at most $((kernel * 1024 + 2048)))" \
			[ $((free0 - free1)) -le $((kernel * 1024 + 2048)) ]
	else
		ktap_fail "reserve ${kernel}M: the confined task filled $MIB MiB of pipes: $(tail -n 2 "$PZ_TMP/p.out" | tr '\n' ' ')"
	fi
	pz_stop "$pid"
	ktap_check "reserve ${kernel}M: the task read its data back and exited 0 (exit $PZ_RC)" \
		[ "$PZ_RC" -eq 0 ]
	pz_destroy "$NAME"
	rc=$PZ_RC
	# The reaper retries after 1 s, doubling: 40 s cover five of its tries.
	wait_no_draining 40
	drain=$(draining_nodes)
	ktap_check "reserve ${kernel}M: destroyed (exit $rc), no node draining ('$drain')" \
		[ "$rc" -eq 0 -a -z "$drain" ]
	oom=$(dmesg_since_mark | grep -c -i "out of memory\|oom-kill")
	ktap_check "reserve ${kernel}M: no OOM kill ($oom kernel messages)" [ "$oom" -eq 0 ]
done
check_dmesg_clean
ktap_finish
