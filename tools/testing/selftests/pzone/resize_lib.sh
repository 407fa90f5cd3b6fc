#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# resize_lib.sh - helpers shared by the resize tests (resize.sh,
# resize_torture.sh, resize_pinned.sh, concurrency.sh).  Source it after
# pzone_lib.sh.

PZ_MIB=1048576

# pz_stat NAME KEY: the value of KEY in NAME/stats (0 if absent).
pz_stat()
{
	awk -v k="$2" '$1 == k { v = $2 } END { print v + 0 }' \
		"$PZ_SYSFS/$1/stats" 2>/dev/null
}

# pz_geom NAME: "size_bytes nr_blocks MemTotal-bytes-of-node-D", one line
# that must not change across a refused resize.
pz_geom()
{
	_pg_d=$(pzone_node "$1")
	_pg_kb=$(node_memtotal_kb "$_pg_d")
	echo "$(pzone_attr "$1" size_bytes) $(pzone_attr "$1" nr_blocks)" \
	     "$((${_pg_kb:-0} * 1024))"
}

# pz_geom_is NAME BYTES: size_bytes, nr_blocks and node D's MemTotal all say
# BYTES.
pz_geom_is()
{
	[ "$(pz_geom "$1")" = "$2 $(($2 / PZ_BLOCK)) $2" ]
}

# pz_resize NAME SIZE: one write of SIZE to NAME/size_bytes.  Returns 0 on
# success; else 1 with the errno name ("ENOSPC", ...) in PZ_ERRNO.
pz_resize()
{
	PZ_ERRNO=$(pzone_write "$PZ_SYSFS/$1/size_bytes" "$2")
	[ $? -eq 0 ] && PZ_ERRNO="" && return 0
	[ -n "$PZ_ERRNO" ] || PZ_ERRNO=unknown
	return 1
}

# node_high_pages N: the "high" watermarks of node N's zones, summed
# (pages), as /proc/zoneinfo shows them.
node_high_pages()
{
	awk -v n="$1," '$1 == "Node" { cur = ($2 == n); next }
		cur && $1 == "high" { s += $2 } END { print s + 0 }' /proc/zoneinfo
}

# zone_field NODE ZONE FIELD: a line "FIELD VALUE" of that zone in
# /proc/zoneinfo ("pages free" is FIELD "free").
zone_field()
{
	awk -v n="$1," -v z="$2" -v f="$3" '
		$1 == "Node" { cur = ($2 == n && $4 == z); next }
		cur && $1 == "pages" && $2 == f { print $3; found = 1; exit }
		cur && $1 == f { print $2; found = 1; exit }
		END { if (!found) print 0 }' /proc/zoneinfo
}

# node_free_blocks N: free 4 MiB (order 10) chunks of node N, all zones.
node_free_blocks()
{
	awk -v n="$1," '$1 == "Node" && $2 == n { s += $15 } END { print s + 0 }' \
		/proc/buddyinfo
}

# draining_kb: MemTotal of the nodes in draining_nodes, summed (kB): the
# kernel reserves destroyed pzones have not given back yet.
draining_kb()
{
	_dk=0
	for _n in $(draining_nodes); do
		_dk=$((_dk + $(node_memtotal_kb "$_n" || echo 0)))
	done
	echo "$_dk"
}

# base_mark: remember the base node's MemTotal and the reserves still
# draining, for check_base_restored.  A reserve an earlier test left
# draining gets up to 30 s to go first, so that the mark is exact.
base_mark()
{
	wait_no_draining 30 drop ||
		ktap_diag "base_mark: draining_nodes '$(cat "$PZ_SYSFS/draining_nodes")' after 30 s"
	PZ_BASE_KB0=$(node_memtotal_kb "$PZ_BASE")
	PZ_DRAIN_KB0=$(draining_kb)
}

# check_base_restored [SECS]: two KTAP lines.  Polls draining_nodes for up
# to SECS (30) seconds until no destroyed pzone's kernel reserve is left
# draining, then
#  1. the base node's MemTotal plus the reserves still draining is what it
#     was at base_mark (no memory lost), and
#  2. draining_nodes is empty and the base node's MemTotal is exactly what
#     it was at base_mark, plus the reserves that were draining then (all
#     of them given back).  Fails if a reserve still drains after SECS.
check_base_restored()
{
	_cb_secs=${1:-30}
	_cb_t0=$(date +%s)
	wait_no_draining "$_cb_secs" drop
	_cb_drained=$?
	_cb_waited=$(($(date +%s) - _cb_t0))
	_cb_base=$(node_memtotal_kb "$PZ_BASE")
	_cb_drain=$(draining_kb)
	_cb_want=$((PZ_BASE_KB0 + PZ_DRAIN_KB0))
	[ "$((_cb_base + _cb_drain))" = "$_cb_want" ]
	ktap_result "base node MemTotal + kernel reserves still draining as before"
	if [ $_cb_drained -ne 0 ] || [ "$_cb_base" != "$_cb_want" ]; then
		ktap_diag "base node MemTotal $_cb_base kB, want $_cb_want kB" \
			"($PZ_BASE_KB0 kB + $PZ_DRAIN_KB0 kB draining at the mark);" \
			"draining_nodes '$(cat "$PZ_SYSFS/draining_nodes")' ($_cb_drain kB)" \
			"after $_cb_waited s"
		for _n in $(draining_nodes); do
			ktap_diag "node $_n: $(awk '$3 ~ /^(MemUsed|Slab|SUnreclaim|SReclaimable|AnonPages|FilePages|PageTables):$/ {
				printf "%s %s kB ", $3, $4 }' "$PZ_NODE_SYSFS/node$_n/meminfo")"
		done
	fi
	[ $_cb_drained -eq 0 ] && [ "$_cb_base" = "$_cb_want" ]
	ktap_result "base node MemTotal exactly as before (every reserve given back within $_cb_secs s, took $_cb_waited s)"
}

# integrity_result OUTFILE: "MISMATCHES PASSES" from pzone_integrity's last
# line, "? ?" if it never printed one.
integrity_result()
{
	awk '$1 == "mismatches" { m = $2; p = $4 }
		END { if (m == "") print "? ?"; else print m, p }' "$1" 2>/dev/null
}

# integrity_stop DESC PID OUTFILE: one KTAP line; ok if the pzone_integrity
# PID exits 0 on SIGTERM with 0 mismatches.
integrity_stop()
{
	pz_stop "$2"
	set -- "$1" "$2" "$3" $(integrity_result "$3")
	ktap_diag "pzone_integrity $2: exit $PZ_RC, mismatches $4, passes $5"
	if [ "$PZ_RC" -eq 0 ] && [ "$4" = 0 ]; then
		ktap_ok "$1"
	else
		grep '^# mismatch' "$3" | head -n 10 | sed 's/^/#   /'
		tail -n 3 "$3" | sed 's/^/#   /'
		ktap_fail "$1"
	fi
}

# contains STRING SUBSTRING
contains()
{
	case $1 in
	*"$2"*) return 0 ;;
	esac
	return 1
}

# pzone_names: the pzones that exist now, one line, sorted.
pzone_names()
{
	for _pn in "$PZ_SYSFS"/*; do
		[ -d "$_pn" ] && [ -f "$_pn/size_bytes" ] && printf '%s ' "${_pn##*/}"
	done
	echo
}
