#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# errors.sh - bad requests fail cleanly.  Every rejected pzonectl command
# exits 1 or 2 with exactly one line on stderr starting "pzonectl: ", and
# leaves the MemTotal sum, node/online, available_nodes and the pzone list
# as they were.  Direct writes to the sysfs command files fail with the
# errno INTERFACE.md gives.  Nothing may reach the kernel log as WARNING,
# BUG or Oops.

. "$(dirname "$0")/pzone_lib.sh"

LONG_NAME=abcdefghijklmnopqrstuvwxyz012345	# 32 characters
BUSY=kst_err_busy
DUP=kst_err_dup

# Anything that should fail but might not is destroyed at exit.
PZ_CREATED="kst_err_n7 kst_err_n0 kst_err_z kst_err_big kst_err_k $DUP UPPER
	$LONG_NAME kst_err_usage $BUSY kst_err_full kst_err_nobody kst_m kst_err_d"

# expect_fail CODES DESC CMD [ARGS...]: CMD exits with one of CODES ("12"
# means 1 or 2), prints exactly one stderr line starting "pzonectl: " and
# changes nothing.
expect_fail()
{
	_codes=$1
	_desc=$2
	shift 2
	_snap0=$(pz_snapshot)
	pz_run "$@"
	_snap1=$(pz_snapshot)
	_lines=$(awk 'END { print NR }' "$PZ_ERR")
	_first=$(head -n 1 "$PZ_ERR")
	_ok=1
	case $_codes in
	*"$PZ_RC"*) [ "$PZ_RC" -ne 0 ] || _ok=0 ;;
	*) _ok=0 ;;
	esac
	[ $_ok = 1 ] || ktap_diag "exit status $PZ_RC, want one of '$_codes'"
	if [ "$_lines" -ne 1 ]; then
		ktap_diag "$_lines lines on stderr, want 1:"
		sed 's/^/#   /' "$PZ_ERR"
		_ok=0
	fi
	case $_first in
	"pzonectl: "*) ;;
	*) ktap_diag "stderr does not start with 'pzonectl: '"; _ok=0 ;;
	esac
	if [ "$_snap0" != "$_snap1" ]; then
		ktap_diag "state changed: '$_snap0' -> '$_snap1'"
		_ok=0
	fi
	ktap_diag "$*: exit $PZ_RC: $_first"
	[ $_ok = 1 ]
	ktap_result "$_desc"
}

# expect_reason DESC ERE: one KTAP line; ok if the message of the last
# pz_run ($PZ_ERR) matches ERE, a distinctive fixed part of the reason the
# kernel gives (mm/pzone.c), which pzonectl passes on.
expect_reason()
{
	if grep -qE "$2" "$PZ_ERR"; then
		ktap_ok "$1"
	else
		ktap_diag "message '$(cat "$PZ_ERR")' does not match '$2'"
		ktap_fail "$1"
	fi
}

# node_has_normal N: node N has managed ZONE_NORMAL memory.
node_has_normal()
{
	awk -v n="$1," '
		$1 == "Node" { cur = ($2 == n && $4 == "Normal") }
		cur && $1 == "managed" { found = ($2 > 0); cur = 0 }
		END { exit !found }' /proc/zoneinfo
}

# contains STRING SUBSTRING
contains()
{
	case $1 in
	*"$2"*) return 0 ;;
	esac
	return 1
}

ktap_header
pz_require
ktap_plan 52

kmsg_mark
snap_start=$(pz_snapshot)

# --- pzonectl create with bad arguments ---------------------------------
expect_fail 12 "create on unknown base node 7 fails" \
	pzonectl create kst_err_n7 --node 7 --size 64M
expect_reason "its message: base node 7 is not an online ordinary node" \
	'base node 7 is not an online ordinary node'

desc="create on node 0 (no ZONE_NORMAL) fails cleanly or works cleanly"
if node_has_normal 0; then
	ktap_skip "$desc" "node 0 has ZONE_NORMAL memory"
elif [ "$PZ_BASE" = 0 ]; then
	ktap_skip "$desc" "node 0 is the base node"
else
	snap0=$(pz_snapshot)
	pz_run pzonectl create kst_err_n0 --node 0 --size 64M
	if [ "$PZ_RC" -eq 0 ]; then
		ktap_diag "node 0 accepted as a base node; destroying"
		pz_destroy kst_err_n0
		[ "$PZ_RC" -eq 0 ] && [ "$(pz_snapshot)" = "$snap0" ]
		ktap_result "$desc"
	else
		expect_fail 12 "$desc" pzonectl create kst_err_n0 --node 0 --size 64M
	fi
fi

expect_fail 12 "create with size 0 fails" \
	pzonectl create kst_err_z --node "$PZ_BASE" --size 0
expect_fail 12 "create larger than the base node's free memory (64G) fails" \
	pzonectl create kst_err_big --node "$PZ_BASE" --size 64G
expect_reason "its message: base node $PZ_BASE has N MiB free in ZONE_NORMAL, 65536 MiB needed" \
	"base node $PZ_BASE has [0-9]+ MiB free in ZONE_NORMAL, 65536 MiB needed"
expect_fail 12 "create with kernel reserve > size fails" \
	pzonectl create kst_err_k --node "$PZ_BASE" --size 8M --kernel 16M
expect_fail 2 "create without --size is a usage error (exit 2)" \
	pzonectl create kst_err_usage --node "$PZ_BASE"

pz_create "$DUP" "$PZ_BASE" 8M
ktap_check "create $DUP" [ "$PZ_RC" -eq 0 ]
expect_fail 12 "create with a name in use fails" \
	pzonectl create "$DUP" --node "$PZ_BASE" --size 8M
expect_reason "its message: a pzone named $DUP exists" "a pzone named $DUP exists"
for name in UPPER a/b "$LONG_NAME" create; do
	expect_fail 12 "create with bad name '$name' fails" \
		pzonectl create "$name" --node "$PZ_BASE" --size 8M
done
pz_destroy "$DUP"
ktap_check "destroy $DUP" [ "$PZ_RC" -eq 0 ]
expect_fail 1 "destroy of an unknown pzone fails (exit 1)" \
	pzonectl destroy kst_err_nonexistent

# --- destroy while a task is bound ---------------------------------------
pz_create "$BUSY" "$PZ_BASE" 16M
ktap_check "create $BUSY" [ "$PZ_RC" -eq 0 ]
pz_bg "$PZ_TMP/busy.out" pzonectl exec "$BUSY" -- sleep 1000
busy_pid=$PZ_LAST_PID
procs=$(pzone_cgroup "$BUSY")/cgroup.procs
i=0
while [ $i -lt 50 ] && ! grep -qx "$busy_pid" "$procs" 2>/dev/null; do
	sleep 0.2
	i=$((i + 1))
done
grep -qx "$busy_pid" "$procs" 2>/dev/null
ktap_result "pzonectl exec $BUSY -- sleep 1000 runs in the pzone cgroup"
size_busy=$(pzone_attr "$BUSY" size_bytes)
d_busy=$(pzone_node "$BUSY")

expect_fail 1 "destroy of a pzone with a task fails (exit 1)" \
	pzonectl destroy "$BUSY"
pzone_exists "$BUSY" && [ "$(pzone_attr "$BUSY" state)" = on ] &&
	[ "$(pzone_attr "$BUSY" size_bytes)" = "$size_busy" ] &&
	node_is_online "$d_busy" && kill -0 "$busy_pid" 2>/dev/null
ktap_result "the pzone and its task are intact after the refused destroy"
ensure_write_fails "$PZ_SYSFS/destroy" "$BUSY" EBUSY \
	"writing destroy while a task is bound gives EBUSY"
reason="$(cat "$PZ_SYSFS/last_error" 2>/dev/null)$(pzone_attr "$BUSY" last_error)"
ktap_diag "last_error: $reason"
contains "$reason" "task(s) still bound to node $d_busy (pid "
ktap_result "last_error gives the reason for the EBUSY: task(s) still bound to node $d_busy"
pz_stop "$busy_pid"
pz_destroy "$BUSY"
ktap_check "destroy succeeds once the task has exited" [ "$PZ_RC" -eq 0 ]

# --- every reserved node id in use ---------------------------------------
# A destroyed pzone's node that still drains its kernel reserve is reused
# by the next create from the same base node: count it as free.
avail=$(expand_nodelist "$(cat "$PZ_SYSFS/available_nodes"),$(cat "$PZ_SYSFS/draining_nodes")")
full=""
ok=1
for n in $avail; do
	pz_create "kst_err_full$n" "$PZ_BASE" 4M || ok=0
	full="$full kst_err_full$n"
done
[ -n "$full" ] && [ $ok = 1 ] && [ -z "$(cat "$PZ_SYSFS/available_nodes")" ] &&
	[ -z "$(cat "$PZ_SYSFS/draining_nodes")" ]
ktap_result "one 4M pzone on each available node id ($(echo $avail))"
expect_fail 1 "create with every reserved node id in use fails (exit 1)" \
	pzonectl create kst_err_full --node "$PZ_BASE" --size 4M
nres=$(expand_nodelist "$(cat "$PZ_SYSFS/reserved_nodes")" | wc -w)
expect_reason "its message: all $nres reserved node ids are in use" \
	"all $nres reserved node ids are in use"
ensure_write_fails "$PZ_SYSFS/create" "kst_err_full $PZ_BASE 4M" ENOSPC
ok=1
for name in $full; do
	pz_destroy "$name" || ok=0
done
ktap_check "destroy them all" [ $ok = 1 ]

# --- not root -------------------------------------------------------------
out=$(run_as_nobody pzone_write "$PZ_SYSFS/create" "kst_err_nobody $PZ_BASE 8M")
rc=$?
ktap_diag "as nobody: write create: exit $rc: $out"
if [ $rc -eq 126 ] || [ $rc -eq 127 ]; then
	ktap_skip "writing create as nobody fails with EACCES" "cannot run as nobody"
	ktap_skip "pzonectl create as nobody fails (exit 1)" "cannot run as nobody"
	ktap_skip "its message says permission denied" "cannot run as nobody"
else
	[ $rc -eq 1 ] && { [ "$out" = EACCES ] || [ "$out" = EPERM ]; }
	ktap_result "writing create as nobody fails with EACCES"
	expect_fail 1 "pzonectl create as nobody fails (exit 1)" \
		run_as_nobody pzonectl create kst_err_nobody --node "$PZ_BASE" --size 8M
	# The kernel never saw this write: a stale last_error is not the reason.
	ktap_check "its message says permission denied" \
		grep -qiE 'permission|denied|not permitted' "$PZ_ERR"
fi

# --- malformed writes to the command files ----------------------------
snap0=$(pz_snapshot)
C=$PZ_SYSFS/create
ensure_write_fails "$C" "" EINVAL "create: empty line gives EINVAL"
ensure_write_fails "$C" "kst_m" EINVAL "create: name only gives EINVAL"
ensure_write_fails "$C" "kst_m $PZ_BASE" EINVAL "create: no size gives EINVAL"
ensure_write_fails "$C" "kst_m $PZ_BASE 0" EINVAL "create: size 0 gives EINVAL"
ensure_write_fails "$C" "kst_m x 64M" EINVAL "create: node 'x' gives EINVAL"
ensure_write_fails "$C" "kst_m -1 64M" EINVAL "create: node -1 gives EINVAL"
ensure_write_fails "$C" "kst_m $PZ_BASE abc" EINVAL "create: size 'abc' gives EINVAL"
ensure_write_fails "$C" "kst_m $PZ_BASE 8M 16M" EINVAL \
	"create: kernel size > size gives EINVAL"
ensure_write_fails "$C" "UPPER $PZ_BASE 8M" EINVAL "create: name 'UPPER' gives EINVAL"
ensure_write_fails "$C" "create $PZ_BASE 8M" EINVAL "create: name 'create' gives EINVAL"
ensure_write_fails "$C" "kst_m 7 64M" EINVAL "create: base node 7 gives EINVAL"
reason=$(cat "$PZ_SYSFS/last_error")
ktap_diag "last_error: $reason"
contains "$reason" "base node 7 is not an online ordinary node"
ktap_result "last_error explains the failed create: base node 7 is not an online ordinary node"
ensure_write_fails "$C" "kst_m $PZ_BASE 64G" ENOMEM \
	"create: 64G on base node $PZ_BASE gives ENOMEM"
ensure_write_fails "$PZ_SYSFS/destroy" "kst_err_nonexistent" ENOENT \
	"destroy: unknown name gives ENOENT"
ensure_write_ok "$C" "kst_err_d $PZ_BASE 8M" "create: direct write succeeds"
ensure_write_fails "$C" "kst_err_d $PZ_BASE 8M" EEXIST "create: name in use gives EEXIST"
ensure_write_ok "$PZ_SYSFS/destroy" "kst_err_d" "destroy: direct write succeeds"
snap1=$(pz_snapshot)
[ "$snap0" = "$snap1" ] || ktap_diag "'$snap0' -> '$snap1'"
ktap_check "state unchanged after the direct writes" [ "$snap0" = "$snap1" ]

snap_end=$(pz_snapshot)
[ "$snap_end" = "$snap_start" ] || ktap_diag "'$snap_start' -> '$snap_end'"
ktap_check "state at the end equals the state at the start" \
	[ "$snap_end" = "$snap_start" ]
check_dmesg_clean

ktap_finish
