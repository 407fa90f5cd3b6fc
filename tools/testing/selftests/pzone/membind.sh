#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# membind.sh - Mode B: a movable-only pzone (--kernel 0) and a task bound
# to it with numactl --membind=D, without any cgroup.  Its 64 MiB of
# anonymous memory must all be on N<D>, and node D, having no ZONE_NORMAL,
# must hold no kernel memory (Slab, KernelStack, PageTables).

. "$(dirname "$0")/pzone_lib.sh"

NAME=kst_memb
ANON_MIB=64

ktap_header
pz_require
command -v numactl >/dev/null 2>&1 || ktap_skip_all "numactl not installed"
ktap_plan 8

sum0=$(sum_memtotal_kb)
pz_create_checked "$NAME" "$PZ_BASE" 128M --kernel 0
D=$(pzone_node "$NAME")
ktap_check "create a 128M pzone with --kernel 0 (node $D)" [ "$PZ_RC" -eq 0 ]
ktap_check "kernel_bytes is 0" [ "$(pzone_attr "$NAME" kernel_bytes)" = 0 ]
anon0=$(node_meminfo_kb "$D" AnonPages)

pz_bg "$PZ_TMP/touch.out" numactl --membind="$D" pzone_touch \
	--anon "$ANON_MIB" --check --report --hold 0
pid=$PZ_LAST_PID
pz_wait_ready "$PZ_TMP/touch.out" "$pid" 60 ||
	ktap_exit_fail_msg "numactl --membind=$D pzone_touch did not get ready"
sed -n 's/^report /#   move_pages: /p' "$PZ_TMP/touch.out"

check_numa_maps "anonymous memory is on node $D only" "$pid" "$D" anon \
	$((ANON_MIB * 1024 / PZ_PAGE_KB * 9 / 10))
anon1=$(node_meminfo_kb "$D" AnonPages)
ktap_diag "node $D AnonPages $anon0 -> $anon1 kB"
ktap_check "node $D AnonPages grew by >= 90% of $ANON_MIB MiB" \
	[ $((anon1 - anon0)) -ge $((ANON_MIB * 1024 * 9 / 10)) ]

kmem=0
for f in Slab KernelStack PageTables; do
	v=$(node_meminfo_kb "$D" "$f") || v=0
	ktap_diag "node $D $f: $v kB"
	kmem=$((kmem + v))
done
ktap_check "no kernel memory on the movable-only node $D" [ "$kmem" -eq 0 ]

pz_stop "$pid"
ktap_check "task exits cleanly, memory intact (pattern verified)" [ "$PZ_RC" -eq 0 ]

pz_destroy "$NAME"
ktap_check "destroy" [ "$PZ_RC" -eq 0 ]
ktap_check "sum of MemTotal unchanged" [ "$(sum_memtotal_kb)" = "$sum0" ]

ktap_finish
