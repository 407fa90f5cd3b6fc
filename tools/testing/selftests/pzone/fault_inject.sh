#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# fault_inject.sh - allocation failures injected into create, grow, shrink,
# standby and destroy must never leave a pzone half-changed.
#
# Needs a kernel with FAULT_INJECTION_DEBUG_FS, FAIL_PAGE_ALLOC and
# FAILSLAB (the debug kernel); skips otherwise.  Failures are injected only
# into the task that writes the command (task-filter, make-it-fail), every
# Nth time with N cycling over 1..7: radix_tree_node slab objects (every
# xarray pzone keeps), and page allocations of order 9 and up (the 4 MiB
# blocks pzone takes) or, for shrinks, of any order (the pages migration
# moves data to; a task keeps checksummed data in the pzone meanwhile).
#
# After every operation, failed or not, the test compares size_bytes,
# nr_blocks, standby_bytes, state, the MemTotal of the derived and the base
# node, the sum of MemTotal over all nodes and available_nodes with what
# they must be: unchanged after a failure (which must also give an errno
# and a reason in last_error), the new values after a success.  At the end
# every block must be back: the base node's MemTotal and the sum as at the
# start.  At least FI_MIN (1000) failures must have been injected.
#
# Environment: FI_LOOPS (create/destroy rounds, default 6), FI_INNER
# (grow/shrink/standby rounds in each, default 16), FI_MIN.

if [ -f "$(dirname "$0")/pzone_lib.sh" ]; then
	. "$(dirname "$0")/pzone_lib.sh"
else
	cd /usr/lib/pzone/selftests || exit 4
	. ./pzone_lib.sh
fi

NAME=kst_fi
LOOPS=${FI_LOOPS:-6}
INNER=${FI_INNER:-16}
FI_MIN=${FI_MIN:-1000}
DBG=/sys/kernel/debug
FPA=$DBG/fail_page_alloc
FSL=$DBG/failslab
# Failures one operation may get at most: a shrink whose every migration
# target fails retries each page, and would use up any budget.
TIMES=${FI_OP_TIMES:-200}
INJECTED=0

ktap_header
pz_require
[ -d "$FPA" ] || ktap_skip_all "no $FPA: kernel without FAIL_PAGE_ALLOC and FAULT_INJECTION_DEBUG_FS"
[ -d "$FSL" ] || ktap_skip_all "no $FSL: kernel without FAILSLAB"
[ -w /sys/kernel/slab/radix_tree_node/failslab ] ||
	ktap_skip_all "no /sys/kernel/slab/radix_tree_node/failslab"
pzone_exists "$NAME" && ktap_skip_all "pzone $NAME exists"
ktap_plan 10
kmsg_mark

fi_setup()
{
	for d in "$FPA" "$FSL"; do
		echo Y >"$d/task-filter"
		echo 100 >"$d/probability"
		echo 1 >"$d/interval"
		echo $TIMES >"$d/times"
		echo 0 >"$d/space"
		echo 0 >"$d/verbose"
		echo N >"$d/ignore-gfp-wait"
	done
	echo N >"$FPA/ignore-gfp-highmem"
	echo 9 >"$FPA/min-order"
	echo Y >"$FSL/cache-filter"
	echo 1 >/sys/kernel/slab/radix_tree_node/failslab
}

fi_teardown()
{
	echo 0 >/sys/kernel/slab/radix_tree_node/failslab 2>/dev/null
	for d in "$FPA" "$FSL"; do
		echo 0 >"$d/probability" 2>/dev/null
		echo N >"$d/task-filter" 2>/dev/null
	done
}

test_cleanup()
{
	fi_teardown
}

# fi_count: add what the last operation used of its budget to INJECTED
fi_count()
{
	INJECTED=$((INJECTED + 2 * TIMES - $(cat "$FPA/times") - $(cat "$FSL/times")))
}

# fi_write FILE VALUE INTERVAL MIN_ORDER: write with failures injected into
# this write only.  Returns the write's status.
fi_write()
{
	echo "$3" >"$FPA/interval"
	echo "$3" >"$FSL/interval"
	echo "$4" >"$FPA/min-order"
	echo $TIMES >"$FPA/times"
	echo $TIMES >"$FSL/times"
	# open first: only the write itself (whose buffer the sysfs files
	# preallocate) may fail, and it fails inside pzone
	sh -c 'exec 3>"$1" && echo 1 >/proc/self/make-it-fail && echo "$2" >&3' \
		sh "$1" "$2" 2>"$PZ_TMP/fi.err"
	_fw_rc=$?
	fi_count
	return $_fw_rc
}

# state NAME: the values that must not change when an operation fails, read
# by one awk (forks are what is slow under KASAN and TCG).  The sum is over
# the nodes that have a directory, i.e. the online ones.
state()
{
	_f=""
	[ -d "$PZ_SYSFS/$1" ] && for _a in node size_bytes nr_blocks standby_bytes state; do
		_f="$_f $PZ_SYSFS/$1/$_a"
	done
	# shellcheck disable=SC2086 # word splitting of the file list is wanted
	awk -v base="$PZ_BASE" '
		FNR == 1 { f = FILENAME; k = f; sub(/.*\//, "", k) }
		k == "meminfo" {
			if ($3 == "MemTotal:") {
				n = f; sub(/.*\/node/, "", n); sub(/\/meminfo$/, "", n)
				mt[n] = $4; sum += $4
			}
			next
		}
		{ v[k] = $0 }
		END {
			if ("node" in v)
				printf "size=%s blocks=%s standby=%s state=%s memtotal=%s ",
				       v["size_bytes"], v["nr_blocks"], v["standby_bytes"],
				       v["state"], mt[v["node"]]
			else
				printf "absent "
			printf "base=%s sum=%d avail=%s\n", mt[base], sum, v["available_nodes"]
		}' $_f "$PZ_NODE_SYSFS"/node[0-9]*/meminfo "$PZ_SYSFS/available_nodes"
}

BAD=""
NFAIL=0
NOK=0
NOREASON=""
# op DESC FILE VALUE ERRFILE [MIN_ORDER]: one faulted operation; on failure
# the state must be as before and ERRFILE (a last_error) must say why.
op()
{
	_before=$(state "$NAME")
	I=$((I % 7 + 1))
	if fi_write "$2" "$3" "$I" "${5:-9}"; then
		NOK=$((NOK + 1))
		return 0
	fi
	NFAIL=$((NFAIL + 1))
	_after=$(state "$NAME")
	[ "$_after" = "$_before" ] ||
		BAD="$BAD [$1 interval $I: before '$_before' after '$_after']"
	[ -n "$(cat "$4" 2>/dev/null)" ] ||
		NOREASON="$NOREASON [$1 interval $I: $(cat "$PZ_TMP/fi.err")]"
	return 1
}

# plain FILE VALUE: a write without faults that must succeed
plain()
{
	echo "$2" >"$1" 2>"$PZ_TMP/plain.err" ||
		ktap_exit_fail_msg "write '$2' to $1: $(cat "$PZ_TMP/plain.err"): $(cat "$PZ_SYSFS/last_error") $(pzone_attr "$NAME" last_error 2>/dev/null)"
}

# refrag: have pzone_integrity move its data to newly faulted pages, and
# wait (bounded) until it did
refrag()
{
	_rf=$(grep -c '^refragmented' "$PZ_TMP/work")
	kill -USR2 "$WORK"
	_rf_n=0
	while [ "$(grep -c '^refragmented' "$PZ_TMP/work")" -le "$_rf" ] &&
	      [ $_rf_n -lt 300 ]; do
		sleep 0.1
		_rf_n=$((_rf_n + 1))
	done
}

base0=$(node_memtotal_kb "$PZ_BASE")
sum0=$(sum_memtotal_kb)
fi_setup
I=0
PZ_CREATED="$PZ_CREATED $NAME"

l=0
while [ $l -lt "$LOOPS" ]; do
	op create "$PZ_SYSFS/create" "$NAME $PZ_BASE 32M" "$PZ_SYSFS/last_error" ||
		plain "$PZ_SYSFS/create" "$NAME $PZ_BASE 32M"
	pz_bg "$PZ_TMP/work" pzonectl exec "$NAME" -- pzone_integrity --anon 12 \
		--fragment 12 --interval 100
	WORK=$PZ_LAST_PID
	pz_wait_ready "$PZ_TMP/work" "$WORK" 300 ||
		ktap_exit_fail_msg "pzone_integrity did not start"
	j=0
	while [ $j -lt "$INNER" ]; do
		op grow "$PZ_SYSFS/$NAME/size_bytes" 128M "$PZ_SYSFS/$NAME/last_error" ||
			plain "$PZ_SYSFS/$NAME/size_bytes" 128M
		# spread the data over the new blocks: the shrink must migrate
		refrag
		op shrink "$PZ_SYSFS/$NAME/size_bytes" 32M "$PZ_SYSFS/$NAME/last_error" 0 ||
			plain "$PZ_SYSFS/$NAME/size_bytes" 32M
		op standby_up "$PZ_SYSFS/$NAME/standby_bytes" 16M \
			"$PZ_SYSFS/$NAME/last_error" ||
			plain "$PZ_SYSFS/$NAME/standby_bytes" 16M
		op standby_down "$PZ_SYSFS/$NAME/standby_bytes" 0 \
			"$PZ_SYSFS/$NAME/last_error" ||
			plain "$PZ_SYSFS/$NAME/standby_bytes" 0
		j=$((j + 1))
	done
	pz_stop "$WORK"
	grep -q '^mismatches 0 ' "$PZ_TMP/work" ||
		BAD="$BAD [round $l: data changed: $(tail -n 1 "$PZ_TMP/work")]"
	# destroy, with a standby to give back
	plain "$PZ_SYSFS/$NAME/standby_bytes" 8M
	op destroy "$PZ_SYSFS/destroy" "$NAME" "$PZ_SYSFS/last_error" ||
		plain "$PZ_SYSFS/destroy" "$NAME"
	l=$((l + 1))
done
n=$INJECTED
fi_teardown

ktap_diag "$((NOK + NFAIL)) operations under fault injection: $NOK succeeded, $NFAIL failed; $n failures injected"
ktap_check "at least $FI_MIN failures injected ($n)" [ "$n" -ge "$FI_MIN" ]
ktap_check "some operations failed ($NFAIL)" [ "$NFAIL" -gt 0 ]
ktap_check "every failed operation left everything as it was, data intact${BAD:+:$BAD}" \
	[ -z "$BAD" ]
ktap_check "every failed operation gave a reason${NOREASON:+:$NOREASON}" [ -z "$NOREASON" ]
ktap_check "no pzone left" [ ! -d "$PZ_SYSFS/$NAME" ]
wait_no_draining 120
ktap_check "no node draining ('$(draining_nodes)')" [ -z "$(draining_nodes)" ]
ktap_check "base node MemTotal as at the start ($base0 kB)" \
	[ "$(node_memtotal_kb "$PZ_BASE")" = "$base0" ]
ktap_check "sum of MemTotal as at the start ($sum0 kB)" [ "$(sum_memtotal_kb)" = "$sum0" ]
ktap_check "all reserved ids available" \
	[ "$(cat "$PZ_SYSFS/available_nodes")" = "$(cat "$PZ_SYSFS/reserved_nodes")" ]
PZ_CREATED=$(echo " $PZ_CREATED " | sed "s/ $NAME / /g")
check_dmesg_clean
ktap_finish
