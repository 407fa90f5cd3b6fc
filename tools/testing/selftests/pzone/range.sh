#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# range.sh - range pzones: every block inside physical addresses
# [START, END), taken from ZONE_DMA32 too, free blocks first, then movable
# blocks emptied by migration, never blocks that hold pinned pages.
#
# Node 0 of the guest is its first 2 GiB (ZONE_DMA and ZONE_DMA32, no
# ZONE_NORMAL).
#   1. Bad ranges fail with EINVAL or ENOMEM, a one-line reason from
#      pzonectl, and change nothing: END <= START, a range outside the base
#      node, a range too small for SIZE in whole blocks, a range over
#      memory that cannot be emptied (the kernel image).
#   2. --range 0-2G --size 512M on an idle node 0 (free blocks), timed, next
#      to 512M from node 1 without a range; its standby lies in the range.
#   3. Node 0 90 % full: page cache and anonymous memory, 1 % of its pages
#      held by vmsplice (pzone_pin --sparse spreads them over many blocks);
#      --range 0-2G --size 512M succeeds by emptying blocks, timed.  Every
#      block in "blocks" lies below 2 GiB and holds no held page; a task
#      bound to the pzone finds each of its pages in those blocks
#      (/proc/self/pagemap).
# pzone-timeout: 900

. "$(dirname "$0")/pzone_lib.sh"

NAME=kst_range
G2=2147483648
PIN_MIB=672		# every 32nd page held: 5376 pages, 1 % of 2 GiB
PIN_EVERY=32

ktap_header
pz_require
pz_require_disk
pzone_exists "$NAME" && ktap_skip_all "pzone $NAME exists"
node_is_online 0 || ktap_skip_all "no node 0"
command -v numactl >/dev/null 2>&1 || ktap_skip_all "no numactl"
ktap_plan 22
kmsg_mark
PZ_CREATED=" $NAME"	# a bad range that is not refused is cleaned up too

# uptime in centiseconds
now_cs()
{
	read -r _up _ </proc/uptime
	echo "${_up%.*}${_up#*.}" | sed 's/^0*//;s/^$/0/'
}

# cs_fmt CS: "S.SS"
cs_fmt()
{
	printf '%d.%02d' $(($1 / 100)) $(($1 % 100))
}

# ranges_of NAME: the pzone's blocks as "START END" decimal lines
ranges_of()
{
	for _r in $(pzone_attr "$1" blocks); do
		echo "$((${_r%-*})) $((${_r#*-}))"
	done
}

# ---- 1. bad ranges -------------------------------------------------------

# The kernel image: reserved memory that no migration can empty.
kstart=$(awk -F'[- :]+' '/Kernel code/ { print $2; exit }' /proc/iomem)
kend=$(awk -F'[- :]+' '/Kernel data/ { print $3; exit }' /proc/iomem)
kbase=0
[ $((0x$kstart)) -ge $G2 ] && kbase=1
kr="$(((0x$kstart / PZ_BLOCK) * PZ_BLOCK))-$((((0x$kend + PZ_BLOCK) / PZ_BLOCK) * PZ_BLOCK))"

# bad_range BASE SIZE RANGE ERRNO TEXT: create fails both through sysfs
# (ERRNO) and pzonectl (exit 1, one line with TEXT), nothing changes.
bad_range()
{
	_before=$(pz_snapshot)
	_errno=$(pzone_write "$PZ_SYSFS/create" "$NAME $1 $2 range=$3")
	_why=$(cat "$PZ_SYSFS/last_error")
	pz_run pzonectl create "$NAME" --node "$1" --size "$2" --range "$3"
	_after=$(pz_snapshot)
	ktap_diag "bad range: --node $1 --size $2 --range $3 -> ${_errno:-success} -> $(cat "$PZ_ERR")"
	[ "$_errno" = "$4" ] && [ "$PZ_RC" -eq 1 ] && [ "$(wc -l <"$PZ_ERR")" -eq 1 ] &&
		grep -q "^pzonectl: create $NAME: .*$5" "$PZ_ERR" &&
		[ "$_why" = "$(sed "s/^pzonectl: create $NAME: //" "$PZ_ERR")" ] &&
		[ "$_before" = "$_after" ] && ! pzone_exists "$NAME"
	ktap_result "--node $1 --size $2 --range $3: $4, '$5', nothing changed"
}

bad_range 0 4M 1G-1G EINVAL "range end 0x40000000 is not above its start 0x40000000"
bad_range 0 4M 1G-512M EINVAL "is not above its start"
bad_range 0 4M 4G-5G EINVAL "is outside base node 0"
bad_range 0 512M 0-64M EINVAL "whole 4 MiB blocks of node 0 above ZONE_DMA, 128 needed"
bad_range 0 4M 1026M-1030M EINVAL "holds 0 whole 4 MiB blocks"
# ZONE_DMA never counts, where the kernel has one (the guest's has not)
if awk '/^Node 0, zone +DMA$/ { z = 1; next } /^Node/ { z = 0 }
	z && $1 == "present" && $2 > 0 { f = 1 } END { exit !f }' /proc/zoneinfo; then
	bad_range 0 4M 0-16M EINVAL "holds 0 whole 4 MiB blocks"
else
	ktap_skip "--range 0-16M: node 0 has no ZONE_DMA (CONFIG_ZONE_DMA=n)"
fi
bad_range $kbase 4M "$kr" ENOMEM "gave only 0 of 1 4 MiB blocks"

# ---- 2. from free blocks -------------------------------------------------

t0=$(now_cs)
pz_create "$NAME" 0 512M --range 0-2G
t1=$(now_cs)
T_FREE=$((t1 - t0))
ktap_check "idle node 0: --range 0-2G --size 512M (exit $PZ_RC, $(cs_fmt $T_FREE) s)" \
	[ "$PZ_RC" -eq 0 ]
ensure_write_ok "$PZ_SYSFS/$NAME/standby_bytes" 8M "a standby of 8M (2 blocks) for the range pzone"
ok=1
n=0
while read -r s e; do
	[ "$e" -le $G2 ] || ok=0
	n=$((n + (e - s) / PZ_BLOCK))
done <<EOF
$(ranges_of "$NAME")
EOF
[ "$ok" = 1 ] && [ "$n" -eq 130 ]
ktap_result "idle node 0: 128 blocks and 2 of standby ($n), all below 2 GiB"
pz_destroy "$NAME"
ktap_check "destroy (exit $PZ_RC)" [ "$PZ_RC" -eq 0 ]

t0=$(now_cs)
pz_create "$NAME" "$PZ_BASE" 512M
t1=$(now_cs)
T_NODE1=$((t1 - t0))
ktap_check "node $PZ_BASE, no range: --size 512M (exit $PZ_RC, $(cs_fmt $T_NODE1) s)" \
	[ "$PZ_RC" -eq 0 ]
pz_destroy "$NAME"

# ---- 3. node 0 90 % full, 1 % held ---------------------------------------

total0=$(node_meminfo_kb 0 MemTotal)
pz_bg "$PZ_TMP/pin.out" numactl --membind=0 pzone_pin --mib $PIN_MIB \
	--every $PIN_EVERY --sparse --pfns "$PZ_TMP/pinned"
pin_pid=$PZ_LAST_PID
pz_wait_ready "$PZ_TMP/pin.out" "$pin_pid" 300 ||
	ktap_exit_fail_msg "pzone_pin did not get ready"
pinned=$(awk '$1 == "pinned" { print $2 }' "$PZ_TMP/pin.out")
on0=$(awk -v lim=$((G2 / 4096)) '$1 < lim' "$PZ_TMP/pinned" | wc -l)
ktap_check "$pinned pages held by vmsplice ($((pinned * 100 / (total0 / PZ_PAGE_KB))) % of node 0), $on0 of them below 2 GiB, in $(awk '$1 == "blocks" { print $2 }' "$PZ_TMP/pin.out") blocks" \
	[ "$pinned" -ge $((total0 / PZ_PAGE_KB / 100)) ] && [ "$on0" -eq "$pinned" ]

# Half of what is left above 9 % free as page cache, the rest anonymous.
free0=$(node_meminfo_kb 0 MemFree)
cache_mib=$(((free0 - total0 * 9 / 100) / 2048))
[ "$cache_mib" -gt 800 ] && cache_mib=800
pz_file "$PZ_DISK/kst_range.dat"
numactl --membind=0 dd if=/dev/zero of="$PZ_DISK/kst_range.dat" bs=1048576 \
	count=$cache_mib 2>/dev/null
sync
free0=$(node_meminfo_kb 0 MemFree)
anon_mib=$(((free0 - total0 * 9 / 100) / 1024))
pz_bg "$PZ_TMP/anon.out" pzone_touch --membind 0 --anon $anon_mib --hold 0
anon_pid=$PZ_LAST_PID
pz_wait_ready "$PZ_TMP/anon.out" "$anon_pid" 300 ||
	ktap_exit_fail_msg "pzone_touch did not get ready"
# one top-up if reclaim or rounding left more than 10 % free
free0=$(node_meminfo_kb 0 MemFree)
if [ "$free0" -gt $((total0 / 10)) ]; then
	pz_bg "$PZ_TMP/anon2.out" pzone_touch --membind 0 \
		--anon $(((free0 - total0 * 9 / 100) / 1024)) --hold 0
	pz_wait_ready "$PZ_TMP/anon2.out" "$PZ_LAST_PID" 300 ||
		ktap_exit_fail_msg "pzone_touch (top-up) did not get ready"
fi
free0=$(node_meminfo_kb 0 MemFree)
file0=$(node_meminfo_kb 0 FilePages)
anon0=$(node_meminfo_kb 0 AnonPages)
ktap_diag "node 0: MemTotal $total0 kB, MemFree $free0 kB, FilePages $file0 kB, AnonPages $anon0 kB (page cache $cache_mib MiB, anon $anon_mib MiB written)"
ktap_check "node 0 at least 90 % in use ($(((total0 - free0) * 100 / total0)) %)" \
	[ $(((total0 - free0) * 100)) -ge $((total0 * 90)) ]

t0=$(now_cs)
pz_create "$NAME" 0 512M --range 0-2G
t1=$(now_cs)
T_EVAC=$((t1 - t0))
ktap_check "node 0 90 % full: --range 0-2G --size 512M (exit $PZ_RC, $(cs_fmt $T_EVAC) s)" \
	[ "$PZ_RC" -eq 0 ]
pzone_exists "$NAME" || ktap_exit_fail_msg "no pzone to check"
evac=$(awk '$1 == "blocks_evacuated" { print $2 }' "$PZ_SYSFS/$NAME/stats")
ktap_check "it emptied blocks by migration (blocks_evacuated $evac)" [ "${evac:-0}" -gt 0 ]
ktap_diag "creation time for 512M: $(cs_fmt $T_FREE) s from free blocks of node 0 (range), $(cs_fmt $T_NODE1) s from node $PZ_BASE (no range), $(cs_fmt $T_EVAC) s with node 0 90 % full ($evac blocks emptied)"

ranges_of "$NAME" >"$PZ_TMP/ranges"
ok=1
n=0
while read -r s e; do
	[ "$e" -le $G2 ] || ok=0
	n=$((n + (e - s) / PZ_BLOCK))
done <"$PZ_TMP/ranges"
[ "$ok" = 1 ] && [ "$n" -eq 128 ]
ktap_result "blocks: 128 ($n), all below 2 GiB"

# no held page in a block of the pzone
inside=$(awk -v b=$PZ_BLOCK 'NR == FNR { s[NR] = $1 / 4096; e[NR] = $2 / 4096; n = NR; next }
	{ for (i = 1; i <= n; i++) if ($1 >= s[i] && $1 < e[i]) { c++; break } }
	END { print c + 0 }' "$PZ_TMP/ranges" "$PZ_TMP/pinned")
held_blocks=$(awk -v b=$((PZ_BLOCK / 4096)) '{ print int($1 / b) }' "$PZ_TMP/pinned" | sort -u | wc -l)
ktap_check "none of the $pinned held pages (in $held_blocks blocks) is in a block of the pzone ($inside are)" \
	[ "$inside" -eq 0 ]

# a task bound to the pzone: every page of it in the pzone's blocks
pzonectl exec "$NAME" -- pzone_pfns --mib 64 >"$PZ_TMP/pfns" 2>"$PZ_TMP/pfns.err"
rc=$?
out=$(awk 'NR == FNR { s[NR] = $1 / 4096; e[NR] = $2 / 4096; n = NR; next }
	$1 == "done" { next }
	{ t++; for (i = 1; i <= n; i++) if ($1 >= s[i] && $1 < e[i]) next; o++ }
	END { print t + 0, o + 0 }' "$PZ_TMP/ranges" "$PZ_TMP/pfns")
set -- $out
[ "$rc" -eq 0 ] && [ "$1" -eq 16384 ] && [ "$2" -eq 0 ]
ktap_result "a bound task's 64 MiB: $1 pages in pagemap, $2 outside the pzone's blocks (exit $rc $(cat "$PZ_TMP/pfns.err"))"

pz_destroy "$NAME"
rc=$PZ_RC
wait_no_draining 60 drop
drain=$(draining_nodes)
ktap_check "destroy (exit $rc), no node draining ('$drain')" [ "$rc" -eq 0 -a -z "$drain" ]
pz_stop "$pin_pid"
grep -qx done "$PZ_TMP/pin.out" && [ "$PZ_RC" -eq 0 ]
ktap_result "the held pages are intact (pzone_pin exit $PZ_RC)"
pz_stop "$anon_pid"
check_dmesg_clean
ktap_finish
