#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# accounting.sh - memory moves, it is not created or lost.  For a Mode A
# pzone (default kernel reserve), a Mode B pzone (--kernel 0), a larger
# kernel reserve and a size that needs rounding up:
#   - nodeD MemTotal == size_bytes exactly (the kernel reserve is part of
#     the size; no slack),
#   - ZONE_NORMAL of node D manages exactly kernel_bytes,
#   - the base node's MemTotal drops by exactly size_bytes and comes back
#     exactly on destroy,
#   - MemTotal summed over all online nodes never changes.

. "$(dirname "$0")/pzone_lib.sh"

MIB=1048576

# zone_managed_pages NODE ZONE: "managed" of that zone in /proc/zoneinfo.
zone_managed_pages()
{
	awk -v n="$1," -v z="$2" '
		$1 == "Node" { cur = ($2 == n && $4 == z) }
		cur && $1 == "managed" { v = $2; cur = 0 }
		END { print v + 0 }' /proc/zoneinfo
}

# round NAME SIZE_ARG WANT_SIZE WANT_KERNEL [create options]: 10 checks.
round()
{
	_name=$1
	_arg=$2
	_size=$3
	_kernel=$4
	shift 4
	_what="$_name (--size $_arg${*:+ $*})"

	_sum0=$(sum_memtotal_kb)
	_base0=$(node_memtotal_kb "$PZ_BASE")
	pz_create "$_name" "$PZ_BASE" "$_arg" "$@"
	ktap_check "$_what: create" [ "$PZ_RC" -eq 0 ]
	if ! pzone_exists "$_name"; then
		for _i in 1 2 3 4 5 6 7 8 9; do
			ktap_fail "$_what: not run, create failed"
		done
		return
	fi
	cp "$PZ_ERR" "$PZ_TMP/create.err"
	_d=$(pzone_node "$_name")
	_got_size=$(pzone_attr "$_name" size_bytes)
	_got_kernel=$(pzone_attr "$_name" kernel_bytes)
	_dkb=$(node_memtotal_kb "$_d")
	_base1=$(node_memtotal_kb "$PZ_BASE")
	_sum1=$(sum_memtotal_kb)
	_normal=$(zone_managed_pages "$_d" Normal)
	ktap_diag "node $_d: size_bytes $_got_size kernel_bytes $_got_kernel" \
		"MemTotal ${_dkb} kB, Normal managed $_normal pages;" \
		"base MemTotal $_base0 -> $_base1 kB; sum $_sum0 -> $_sum1 kB"

	ktap_check "$_what: size_bytes is $_size" [ "$_got_size" = "$_size" ]
	ktap_check "$_what: kernel_bytes is $_kernel" [ "$_got_kernel" = "$_kernel" ]
	ktap_check "$_what: node $_d MemTotal equals size_bytes" \
		[ "$((${_dkb:-0} * 1024))" = "$_got_size" ]
	ktap_check "$_what: zone Normal of node $_d manages kernel_bytes" \
		[ "$((_normal * PZ_PAGE_KB * 1024))" = "$_got_kernel" ]
	ktap_check "$_what: base node MemTotal dropped by exactly size_bytes" \
		[ "$(((_base0 - _base1) * 1024))" = "$_got_size" ]
	ktap_check "$_what: sum of MemTotal unchanged by create" [ "$_sum1" = "$_sum0" ]

	pz_destroy "$_name"
	ktap_check "$_what: destroy" [ "$PZ_RC" -eq 0 ]
	_base2=$(node_memtotal_kb "$PZ_BASE")
	_sum2=$(sum_memtotal_kb)
	ktap_diag "after destroy: base MemTotal $_base2 kB; sum $_sum2 kB"
	ktap_check "$_what: base node MemTotal restored exactly" [ "$_base2" = "$_base0" ]
	ktap_check "$_what: sum of MemTotal unchanged by destroy" [ "$_sum2" = "$_sum0" ]
}

ktap_header
pz_require
ktap_plan 41

round kst_acct_a 64M $((64 * MIB)) "$PZ_BLOCK"
round kst_acct_b 64M $((64 * MIB)) 0 --kernel 0
round kst_acct_k 64M $((64 * MIB)) $((16 * MIB)) --kernel 16M
round kst_acct_r 66M $((68 * MIB)) "$PZ_BLOCK"
# The 66M create above printed the rounding note; its stderr was kept.
ktap_check "pzonectl create --size 66M notes the rounding on stderr" \
	grep -q "^pzonectl: note: size 69206016 rounded up to 71303168 bytes" \
	"$PZ_TMP/create.err"

ktap_finish
