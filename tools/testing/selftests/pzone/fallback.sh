#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# fallback.sh - strict and fallback placement.  In a 128 MiB movable-only
# pzone (--kernel 0), pzone_spill writes 192 MiB of anonymous memory (1.5x
# the pzone) in 1 MiB steps and asks move_pages(2) where each step landed:
#   - fallback (exec --fallback): completes; when its first page lands
#     outside D, at least 95 % of D holds its pages; the rest is on the base
#     node (the spill shows as the base node's share of the task's pages,
#     move_pages here, N<base>= in numa_maps); D's kswapd was woken (the
#     pzone's "low" event);
#   - the same with bind --fallback of a running process;
# each run in a new pzone, so that no free page of an earlier run waits
# in another CPU's per-CPU lists of D (the allocator does not drain them
# before it leaves a node, for any node);
#   - strict (exec): OOM-killed inside the pzone;
#   - unbound: none of its pages on D.
# The pzone's fallback_cgroups lists the marked cgroup.

. "$(dirname "$0")/pzone_lib.sh"

NAME=kst_fb
SIZE_MIB=128
MIB=192

ktap_header
pz_require
pzone_exists "$NAME" && ktap_skip_all "pzone $NAME exists"
ktap_plan 15
kmsg_mark

CG=$(pzone_cgroup "$NAME")

# fresh_pzone: (re)create the pzone; sets D
fresh_pzone()
{
	if pzone_exists "$NAME"; then
		pz_destroy "$NAME"
		[ "$PZ_RC" -eq 0 ] || ktap_exit_fail_msg "cannot destroy $NAME"
	fi
	pz_create_checked "$NAME" "$PZ_BASE" ${SIZE_MIB}M --kernel 0
	D=$(pzone_node "$NAME")
}

# spill_checks LABEL OUTFILE RC SECS: the checks of one fallback run
spill_checks()
{
	[ "$3" -eq 0 ] && grep -q '^done ' "$2"
	ktap_result "$1: $MIB MiB in a $SIZE_MIB MiB pzone completed (exit $3, ${4}s)"
	set -- "$1" $(grep '^first_spill ' "$2") $(grep '^done ' "$2")
	# $3 MiB before the spill, $4 pages on D, $5 used kB, $6 total kB;
	# $8 pages on D, $9 pages elsewhere
	if [ -z "$6" ]; then
		ktap_fail "$1: no page outside node $D: nothing spilled"
		ktap_skip "$1: no spill to measure"
		return
	fi
	ktap_diag "$1: first page outside node $D after $3 MiB; node $D: $(($4 * PZ_PAGE_KB)) kB of the task, $5 of $6 kB in use; at the end $(($8 * PZ_PAGE_KB)) kB on node $D, $(($9 * PZ_PAGE_KB)) kB elsewhere"
	ktap_check "$1: when the first page left node $D, $(($4 * PZ_PAGE_KB)) kB of its $6 kB held the task's pages (>= 95 %)" \
		[ $(($4 * PZ_PAGE_KB * 100)) -ge $(($6 * 95)) ]
	base=$(awk -v b="$PZ_BASE" '$1 == "node" && $2 == b { print $3 }' "$SPILL_OUT")
	[ "${base:-0}" -gt 0 ] && [ "${base:-0}" -eq "$9" ]
	ktap_result "$1: the spill is on base node $PZ_BASE: $((${base:-0} * PZ_PAGE_KB)) kB of $(($9 * PZ_PAGE_KB)) kB outside node $D"
}

fresh_pzone
low0=$(pzone_attr "$NAME" events | awk '$1 == "low" { print $2 }')
SPILL_OUT=$PZ_TMP/fb.out
t0=$(date +%s)
pzonectl exec "$NAME" --fallback -- pzone_spill --node "$D" --mib $MIB --step-mib 1 >"$SPILL_OUT" 2>&1
rc=$?
spill_checks "exec --fallback" "$SPILL_OUT" $rc $(($(date +%s) - t0))
low1=$(pzone_attr "$NAME" events | awk '$1 == "low" { print $2 }')
ktap_check "node $D's kswapd was woken by the fallback task (low events $low0 -> $low1)" \
	[ "$low1" -gt "$low0" ]
fb=$(cat "$PZ_SYSFS/$NAME/fallback_cgroups")
ktap_check "fallback_cgroups lists /pzone-$NAME/fallback ('$fb')" \
	[ "$fb" = "/pzone-$NAME/fallback" ]

# bind --fallback of a running process
fresh_pzone
SPILL_OUT=$PZ_TMP/bind.out
pz_bg "$SPILL_OUT" pzone_spill --wait --node "$D" --mib $MIB --step-mib 1
pid=$PZ_LAST_PID
left=300
until grep -qx waiting "$SPILL_OUT" || [ $left -eq 0 ]; do
	sleep 0.2
	left=$((left - 1))
done
pz_run pzonectl bind "$NAME" --fallback "$pid"
[ "$PZ_RC" -eq 0 ] && grep -qx "$pid" "$CG/fallback/cgroup.procs"
ktap_result "bind --fallback $pid (exit $PZ_RC: $(cat "$PZ_OUT" "$PZ_ERR"))"
t0=$(date +%s)
kill -USR1 "$pid"
pz_reap "$pid"
spill_checks "bind --fallback" "$SPILL_OUT" $PZ_RC $(($(date +%s) - t0))

# strict: the same workload is OOM-killed inside the pzone
fresh_pzone
check_dmesg_clean "kernel log has no WARNING, BUG or Oops (fallback runs)"
kmsg_mark
SPILL_OUT=$PZ_TMP/strict.out
t0=$(date +%s)
pzonectl exec "$NAME" -- pzone_spill --node "$D" --mib $MIB --step-mib 1 >"$SPILL_OUT" 2>&1
rc=$?
t1=$(date +%s)
oom=$(dmesg_since_mark | grep -c 'oom-kill:.*task=pzone_spill')
ktap_diag "strict: exit $rc after $((t1 - t0))s; $(dmesg_since_mark | grep -m1 'Killed process' | sed 's/^\[[^]]*\] //')"
[ "$rc" -eq 137 ] && [ "$oom" -ge 1 ]
ktap_result "strict: OOM-killed (exit $rc, want 137; $oom oom-kill line(s) for pzone_spill)"
! grep -q '^first_spill' "$SPILL_OUT"
ktap_result "strict: it never got a page outside node $D"

# unbound: no page from D
kmsg_mark
SPILL_OUT=$PZ_TMP/unbound.out
pzone_spill --node "$D" --mib $MIB --step-mib 1 >"$SPILL_OUT" 2>&1
rc=$?
set -- $(grep '^done ' "$SPILL_OUT")
[ "$rc" -eq 0 ] && [ "${2:-1}" -eq 0 ]
ktap_result "unbound: $MIB MiB, none on node $D (exit $rc, pages on D: ${2:-?})"

pz_destroy "$NAME"
ktap_check "destroy (exit $PZ_RC)" [ "$PZ_RC" -eq 0 ]
check_dmesg_clean
ktap_finish
