#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# resize_unmovable.sh - a grow fails cleanly when the base node is full of
# memory that cannot move: every MiB of node 1 holds a page pinned in a
# pipe (vmsplice), so there are neither free blocks nor blocks that can be
# evacuated.  The grow must fail with a reason and leave the pzone, the
# MemTotal sum and the pinned data exactly as they were.

. "$(dirname "$0")/pzone_lib.sh"

NAME=kst_unmov

ktap_header
pz_require
ktap_plan 6
kmsg_mark

pz_create "$NAME" "$PZ_BASE" 64M
ktap_check "create a 64M pzone on node $PZ_BASE" [ "$PZ_RC" -eq 0 ]
size0=$(pzone_attr "$NAME" size_bytes)

# Grows take ZONE_NORMAL memory only: fill that, leave ~96 MiB free.
free_mib=$(awk -v n="$PZ_BASE," '
	$1 == "Node" { cur = ($2 == n && $4 == "Normal") }
	cur && $1 == "pages" && $2 == "free" { print int($3 / 256); exit }' /proc/zoneinfo)
pin_mib=$((free_mib - 96))
ktap_diag "node $PZ_BASE ZONE_NORMAL has $free_mib MiB free; filling $pin_mib MiB, one page a MiB pinned"
pz_bg "$PZ_TMP/pin.out" numactl --membind="$PZ_BASE" pzone_pin --mib "$pin_mib"
pin_pid=$PZ_LAST_PID
pz_wait_ready "$PZ_TMP/pin.out" "$pin_pid" 400
ktap_result "node $PZ_BASE is full of pinned memory ($(node_meminfo_kb "$PZ_BASE" MemFree) kB free)"

sum0=$(sum_memtotal_kb)
pz_run pzonectl resize "$NAME" +256M
ktap_diag "resize +256M: exit $PZ_RC: $(head -n 1 "$PZ_ERR")"
[ "$PZ_RC" -eq 1 ] && grep -q "pzonectl: " "$PZ_ERR"
ktap_result "grow by 256M fails with a reason"
[ "$(pzone_attr "$NAME" size_bytes)" = "$size0" ] &&
	[ "$(sum_memtotal_kb)" = "$sum0" ] &&
	[ "$(node_memtotal_kb "$(pzone_node "$NAME")")" = "$((size0 / 1024))" ]
ktap_result "pzone size, its MemTotal and the MemTotal sum unchanged"

pz_stop "$pin_pid"
grep -q "^done" "$PZ_TMP/pin.out"
ktap_result "the pinned pages kept their data"
check_dmesg_clean
ktap_finish
