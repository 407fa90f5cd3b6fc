#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# swapfile.sh - the guest can swap to a file on its disk (ext2 on
# virtio-blk: ext2 has bmap, so swapon takes a file there; tmpfs cannot
# hold one).  A 128 MiB swap file is made with pz_swapfile; a task in a
# cgroup with memory.max = 32M writes a checked 64 MiB pattern, which
# must go out to swap (pswpout) and come back intact; then the same with
# zswap on (zswpout), as Debian's kernel has it (built in, off by default).

. "$(dirname "$0")/pzone_lib.sh"

SWAPFILE=$PZ_DISK/kst_swap.img
SWAP_MIB=128
ANON_MIB=64
CG=$PZ_CGROUP_ROOT/kst-swap
ZSWAP=/sys/module/zswap/parameters/enabled

swap_total_kb()
{
	awk '$1 == "SwapTotal:" { print $2 }' /proc/meminfo
}

test_cleanup()
{
	[ -n "$zswap_saved" ] && echo "$zswap_saved" >"$ZSWAP"
	rmdir "$CG" 2>/dev/null
}

# in_cgroup CMD...: run CMD in $CG; status in $PZ_RC.
in_cgroup()
{
	pz_run sh -c 'echo $$ >"$0/cgroup.procs" && exec "$@"' "$CG" "$@"
}

ktap_header
pz_require
pz_require_disk
[ -e /proc/swaps ] || ktap_skip_all "kernel without swap (CONFIG_SWAP=n)"
ktap_plan 7

total0=$(swap_total_kb)
pz_swapfile "$SWAPFILE" "$SWAP_MIB"
ktap_result "mkswap and swapon $SWAPFILE ($SWAP_MIB MiB)"
total1=$(swap_total_kb)
ktap_diag "SwapTotal $total0 -> $total1 kB; /proc/swaps:"
sed 's/^/#   /' /proc/swaps
grep -q "^$SWAPFILE " /proc/swaps && [ $((total1 - total0)) -ge $(((SWAP_MIB - 1) * 1024)) ]
ktap_result "the swap file is in /proc/swaps and SwapTotal grew by it"

mkdir -p "$CG" && echo 32M >"$CG/memory.max"
out0=$(vmstat_get pswpout)
in_cgroup pzone_touch --anon "$ANON_MIB" --check
out1=$(vmstat_get pswpout)
ktap_diag "memory.max 32M, $ANON_MIB MiB checked: exit $PZ_RC, pswpout $out0 -> $out1," \
	"pswpin $(vmstat_get pswpin)"
[ "$PZ_RC" -eq 0 ] && [ $((out1 - out0)) -ge $(((ANON_MIB - 32) * 1024 / PZ_PAGE_KB / 2)) ]
ktap_result "a task over memory.max swaps out to the file and reads its pattern back"

if [ -w "$ZSWAP" ]; then
	zswap_saved=$(cat "$ZSWAP")
	ktap_diag "zswap enabled was '$zswap_saved'"
	echo Y >"$ZSWAP"
	z0=$(vmstat_get zswpout)
	in_cgroup pzone_touch --anon "$ANON_MIB" --check
	z1=$(vmstat_get zswpout)
	ktap_diag "zswap on: exit $PZ_RC, zswpout $z0 -> $z1, zswpin $(vmstat_get zswpin)"
	[ "$PZ_RC" -eq 0 ] && [ $((z1 - z0)) -gt 0 ]
	ktap_result "with zswap on, the pages go to zswap and come back intact"
	echo "$zswap_saved" >"$ZSWAP"
	[ "$(cat "$ZSWAP")" = "$zswap_saved" ]
	ktap_result "zswap setting restored to '$zswap_saved'"
	zswap_saved=
else
	ktap_skip "with zswap on, the pages go to zswap and come back intact" "no $ZSWAP"
	ktap_skip "zswap setting restored" "no $ZSWAP"
fi

rmdir "$CG"
ktap_check "remove the cgroup" [ ! -d "$CG" ]
pz_swapoff "$SWAPFILE"
[ "$(swap_total_kb)" = "$total0" ] && ! grep -q "^$SWAPFILE " /proc/swaps
ktap_result "swapoff: SwapTotal back to $total0 kB"

ktap_finish
