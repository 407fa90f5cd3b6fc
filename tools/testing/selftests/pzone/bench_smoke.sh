#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# bench_smoke.sh - the benchmark programs of `make bench` (tests/bench/),
# each run once with tiny sizes, so that they keep building and working.
# Every check only asks for a sane positive number: the numbers themselves
# mean nothing at these sizes and are never a pass/fail criterion.

. "$(dirname "$0")/pzone_lib.sh"

NAME=kst_bench
GROW=kst_bgrow
SHRINK=kst_bshr
FILE=$PZ_DISK/kst_bench.dat

# value KEY FILE: the number after "KEY " in FILE.
value()
{
	awk -v k="$1" '$1 == k { print $2; exit }' "$2"
}

# positive NUMBER: a decimal number > 0.
positive()
{
	awk -v v="$1" 'BEGIN { exit !(v ~ /^[0-9]+(\.[0-9]+)?$/ && v + 0 > 0) }'
}

# check_positive DESC KEY: one KTAP line for KEY in $PZ_OUT after a pz_run.
check_positive()
{
	_cp_v=$(value "$2" "$PZ_OUT")
	if [ "$PZ_RC" -eq 0 ] && positive "$_cp_v"; then
		ktap_ok "$1 ($2 $_cp_v)"
	else
		ktap_diag "exit $PZ_RC, $2 '${_cp_v}'"
		sed 's/^/#   /' "$PZ_OUT" "$PZ_ERR"
		ktap_fail "$1"
	fi
}

ktap_header
pz_require
pz_require_disk
for p in fault_throughput pagecache_read resize_timing memcpy_rate migrate_rate; do
	command -v $p >/dev/null 2>&1 || ktap_skip_all "$p not built"
done
ktap_plan 10
kmsg_mark

pz_create_checked "$NAME" "$PZ_BASE" 16M
pz_create_checked "$GROW" "$PZ_BASE" 4M
pz_create_checked "$SHRINK" "$PZ_BASE" 32M

pz_run fault_throughput --mib 4 --iters 2 --cpu 1
check_positive "fault_throughput, unbound" mib_per_s

pz_run pzonectl exec "$NAME" -- fault_throughput --mib 4 --iters 2 --cpu 1
check_positive "fault_throughput in pzone $NAME" mib_per_s

pz_run memcpy_rate --mib 4 --iters 1
check_positive "memcpy_rate: memset of 4 MiB" memset_4m_ns
check_positive "memcpy_rate: memcpy" memcpy_mib_per_s

pz_run migrate_rate --mib 4 --cpu 1 --to 0
check_positive "migrate_rate: move_pages from node 1 to node 0" migrate_mib_per_s

pz_dd "$FILE" 24 || ktap_exit_fail_msg "cannot write $FILE"
pz_run pzonectl exec "$NAME" -- pagecache_read --file "$FILE" --skip-mib 8 --cpu 1
check_positive "pagecache_read of 24 MiB in a 16 MiB pzone" mib_per_s
rm -f "$FILE"
drop_caches

pz_run resize_timing --file "$PZ_SYSFS/$GROW/size_bytes" --to 12M
check_positive "resize_timing: grow by 2 blocks" ns_per_block
ktap_check "size_bytes is 12M after the grow" \
	[ "$(pzone_attr "$GROW" size_bytes)" = 12582912 ]

# Shrink while holding 8 MiB spread over 16 MiB: blocks must be emptied.
pz_run pzonectl exec "$SHRINK" -- resize_timing \
	--file "$PZ_SYSFS/$SHRINK/size_bytes" --to 16M --hold 16 --keep-every 2
case $PZ_RC in
0)
	ktap_diag "migrated_pages $(value migrated_pages "$PZ_OUT")," \
		"evacuated_blocks $(value evacuated_blocks "$PZ_OUT")"
	check_positive "resize_timing: shrink 32M -> 16M holding fragmented memory" ns
	;;
1)
	# 8 MiB of data and its page tables fit in 16 MiB, and a shrink needs
	# nothing from the base node: a refusal is a failure, whatever the
	# kernel's reason (printed).
	sed 's/^/#   /' "$PZ_OUT" "$PZ_ERR"
	if grep -q '^error ' "$PZ_OUT"; then
		why="$(value error "$PZ_OUT"): $(sed -n 's/^last_error //p' "$PZ_OUT")"
		ktap_fail "resize_timing: shrink with migration (the kernel refused: $why)"
	else
		ktap_fail "resize_timing: shrink with migration"
	fi
	;;
*)
	sed 's/^/#   /' "$PZ_OUT" "$PZ_ERR"
	ktap_fail "resize_timing: shrink with migration (exit $PZ_RC; 3 = memory changed)"
	;;
esac

pz_destroy "$SHRINK"
pz_destroy "$GROW"
pz_destroy "$NAME"
check_dmesg_clean

ktap_finish
