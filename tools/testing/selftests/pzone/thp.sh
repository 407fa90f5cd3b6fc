#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# thp.sh - a Mode A task gets transparent huge pages from its pzone.
# With THP "always", a task started by pzonectl exec that touches 64 MiB
# with MADV_HUGEPAGE must raise node D's AnonHugePages by at least 32 MiB
# and keep all of it on N<D>.  (On stock 6.12 a cpuset-bound task on a CPU
# of another node falls back to 4 KiB pages; DESIGN.md decision 9.)  The
# same task without a pzone is measured as a reference.  The THP setting is
# restored at the end.

. "$(dirname "$0")/pzone_lib.sh"

NAME=kst_thp
ANON_MIB=64
WANT_KB=32768
THP=/sys/kernel/mm/transparent_hugepage/enabled

thp_mode()
{
	sed 's/.*\[\(.*\)\].*/\1/' "$THP"
}

test_cleanup()
{
	[ -n "$thp_saved" ] && echo "$thp_saved" >"$THP"
}

ktap_header
pz_require
[ -w "$THP" ] || ktap_skip_all "no $THP (CONFIG_TRANSPARENT_HUGEPAGE=n)"
ktap_plan 7

thp_saved=$(thp_mode)
ktap_diag "THP enabled was '$thp_saved'; setting 'always'"
echo always >"$THP"

# Reference: the same task, no pzone.
pz_bg "$PZ_TMP/ref.out" pzone_touch --anon "$ANON_MIB" --thp --hold 0
ref=$PZ_LAST_PID
if pz_wait_ready "$PZ_TMP/ref.out" "$ref" 60; then
	ref_kb=$(smaps_kb "$ref" AnonHugePages)
else
	ref_kb=0
fi
pz_stop "$ref"
ktap_diag "unbound task: AnonHugePages ${ref_kb:-?} kB"
if [ "${ref_kb:-0}" -ge $WANT_KB ]; then
	ktap_ok "reference: an unbound task gets >= 32 MiB of THP"
else
	ktap_skip "reference: an unbound task gets >= 32 MiB of THP" \
		"THP not available here even without a pzone"
fi

sum0=$(sum_memtotal_kb)
pz_create_checked "$NAME" "$PZ_BASE" 256M
D=$(pzone_node "$NAME")
ktap_check "create a 256M pzone (node $D)" [ "$PZ_RC" -eq 0 ]
thp0=$(node_meminfo_kb "$D" AnonHugePages)

pz_bg "$PZ_TMP/touch.out" pzonectl exec "$NAME" -- pzone_touch \
	--anon "$ANON_MIB" --thp --hold 0
pid=$PZ_LAST_PID
pz_wait_ready "$PZ_TMP/touch.out" "$pid" 60 ||
	ktap_exit_fail_msg "pzone_touch in $NAME did not get ready"
thp1=$(node_meminfo_kb "$D" AnonHugePages)
task_kb=$(smaps_kb "$pid" AnonHugePages)
ktap_diag "pzone task: AnonHugePages ${task_kb:-?} kB; node $D AnonHugePages" \
	"$thp0 -> $thp1 kB (unbound reference ${ref_kb:-?} kB)"
ktap_check "node $D AnonHugePages grew by >= 32 MiB" \
	[ $((thp1 - thp0)) -ge $WANT_KB ]
check_numa_maps "anonymous memory is on node $D only" "$pid" "$D" anon \
	$((ANON_MIB * 1024 / PZ_PAGE_KB * 9 / 10))

pz_stop "$pid"
ktap_check "task exits cleanly" [ "$PZ_RC" -eq 0 ]

echo "$thp_saved" >"$THP"
ktap_check "THP setting restored to '$thp_saved'" [ "$(thp_mode)" = "$thp_saved" ]
thp_saved=""

pz_destroy "$NAME"
[ "$PZ_RC" -eq 0 ] && [ "$(sum_memtotal_kb)" = "$sum0" ]
ktap_result "destroy; sum of MemTotal unchanged"

ktap_finish
