#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# distance_symmetric.sh - regression: the NUMA distance table was
# asymmetric.  Every node reached a derived node at pzone_distance, but the
# derived node reported its base node's row (D -> B read 11), which tools
# that check the SLIT reject.  The table in nodeN/distance must be
# symmetric with a pzone online, the derived node must be last for every
# ordinary node and nearest to its base node, and numactl --hardware must
# accept it.

if [ -f "$(dirname "$0")/pzone_lib.sh" ]; then
	. "$(dirname "$0")/pzone_lib.sh"
else
	cd /usr/lib/pzone/selftests || exit 4
	. ./pzone_lib.sh
fi

NAME=kst_dist

# dist FROM TO: the distance nodeFROM/distance gives for TO
dist()
{
	_i=0
	for _n in $(expand_nodelist "$(online_nodes)"); do
		[ "$_n" = "$2" ] && break
		_i=$((_i + 1))
	done
	set -- $(cat "$PZ_NODE_SYSFS/node$1/distance")
	shift $_i
	echo "$1"
}

ktap_header
pz_require
command -v numactl >/dev/null || ktap_skip_all "numactl is not installed"
pzone_exists "$NAME" && ktap_skip_all "pzone $NAME exists"
ktap_plan 5
kmsg_mark

pz_create_checked "$NAME" "$PZ_BASE" 16M
D=$(pzone_attr "$NAME" node)
asym=""
last=""
near=""
nodes=$(expand_nodelist "$(online_nodes)")
for a in $nodes; do
	for b in $nodes; do
		[ "$(dist "$a" "$b")" = "$(dist "$b" "$a")" ] ||
			asym="$asym $a->$b=$(dist "$a" "$b")/$b->$a=$(dist "$b" "$a")"
		[ "$a" = "$D" ] || [ "$b" = "$D" ] || [ "$a" = "$b" ] ||
			[ "$(dist "$a" "$D")" -gt "$(dist "$a" "$b")" ] ||
			last="$last $a:$b"
		[ "$b" = "$D" ] || [ "$b" = "$PZ_BASE" ] ||
			[ "$(dist "$D" "$b")" -gt "$(dist "$D" "$PZ_BASE")" ] ||
			near="$near $b"
	done
done
ktap_diag "distances of node $D: $(cat "$PZ_NODE_SYSFS/node$D/distance")"
ktap_check "distance table symmetric${asym:+ (not:$asym)}" [ -z "$asym" ]
ktap_check "node $D last for every ordinary node${last:+ (not:$last)}" [ -z "$last" ]
ktap_check "node $D nearest to its base node $PZ_BASE${near:+ (not:$near)}" [ -z "$near" ]
numactl --hardware >"$PZ_TMP/hw" 2>&1
hw_rc=$?
ktap_check "numactl --hardware accepts the table (exit $hw_rc)" \
	sh -c "[ $hw_rc -eq 0 ] && grep -q '^node distances' '$PZ_TMP/hw' &&
	       ! grep -qi 'error\|warning\|asymmetric' '$PZ_TMP/hw'"
pz_destroy "$NAME" >/dev/null
check_dmesg_clean
ktap_finish
