#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# run_all.sh - run every pzone selftest in a fixed order, each under a
# timeout, as one KTAP subtest each (its own output indented by four
# spaces), then print
#	PZONE-SELFTESTS: pass=P fail=F skip=S
# Exit 1 if any test failed, else 0.
#
# A test NAME is the script NAME.sh, or else the program NAME (a
# kselftest_harness test: exit 0 with every case skipped counts as a skip).
#
# Usage: run_all.sh [TEST...]	(default: all, e.g. run_all.sh sysfs errors)
# Environment: PZONE_TEST_TIMEOUT (seconds per test, default 300).  A
# test script that needs more says so in a line "# pzone-timeout: SECS"
# (kmem_limit.sh); the larger of the two applies.  shared_pool needs six
# node ids (pzone_nodes=6): make test runs it in a boot of its own, and
# "run_all.sh shared_pool" runs it here.

DIR=$(cd "$(dirname "$0")" && pwd)
TIMEOUT=${PZONE_TEST_TIMEOUT:-300}
TESTS="sysfs sysfs_abi accounting errors churn membind confinement thp thp_zero hardwall_fallback fallback range reclaim resize resize_pinned resize_unmovable resize_torture concurrency containment oci_runtime swapfile bench_smoke pzoned_config pzoned_kill pzoned_reaction overcommit oci_hook kmem_limit top events_lost_wakeup reserve_left_draining standby_refused_destroy distance_symmetric grow_under_shrink numa_balancing ksm khugepaged fault_inject relink_stress"
[ $# -gt 0 ] && TESTS="$*"

LOG=$(mktemp "${TMPDIR:-/tmp}/pzone-run_all.XXXXXX") || exit 1
trap 'rm -f "$LOG"' EXIT

n=0
for t in $TESTS; do
	n=$((n + 1))
done

echo "TAP version 13"
echo "1..$n"

pass=0
fail=0
skip=0
i=0
for t in $TESTS; do
	i=$((i + 1))
	t=${t%.sh}
	echo "# selftests: pzone: $t"
	start=$(date +%s)
	tmo=$TIMEOUT
	if [ -f "$DIR/$t.sh" ]; then
		want=$(sed -n 's/^# pzone-timeout: \([0-9][0-9]*\)$/\1/p' "$DIR/$t.sh" | head -n 1)
		[ -n "$want" ] && [ "$want" -gt "$tmo" ] && tmo=$want
	fi
	if [ -f "$DIR/$t.sh" ]; then
		# Output goes to a file, not a pipe: a task the test leaves
		# behind after a timeout must not hold up the next test.
		timeout -k 20 "$tmo" sh "$DIR/$t.sh" >"$LOG" 2>&1
		rc=$?
		sed 's/^/    /' "$LOG"
	elif [ -f "$DIR/$t" ] && [ -x "$DIR/$t" ]; then
		timeout -k 20 "$tmo" "$DIR/$t" >"$LOG" 2>&1
		rc=$?
		sed 's/^/    /' "$LOG"
		# The harness exits 0 when every case was skipped.
		if [ $rc -eq 0 ] &&
		   grep -q '^# Totals: pass:0 fail:0 xfail:0 xpass:0 skip:[1-9][0-9]* error:0$' "$LOG"; then
			rc=4
		fi
	else
		echo "    # neither $DIR/$t.sh nor an executable $DIR/$t found"
		rc=1
	fi
	echo "# $t: exit status $rc after $(($(date +%s) - start)) s"
	case $rc in
	0)
		pass=$((pass + 1))
		echo "ok $i $t"
		;;
	4)
		skip=$((skip + 1))
		echo "ok $i $t # SKIP"
		;;
	124 | 137 | 143)
		# GNU timeout exits 124; busybox timeout execs the test,
		# which then dies of the SIGTERM (SIGKILL 20 s later) it sends.
		fail=$((fail + 1))
		echo "not ok $i $t # TIMEOUT ${tmo}s (or killed)"
		;;
	*)
		fail=$((fail + 1))
		echo "not ok $i $t # exit=$rc"
		;;
	esac
done

echo "PZONE-SELFTESTS: pass=$pass fail=$fail skip=$skip"
[ $fail -eq 0 ]
