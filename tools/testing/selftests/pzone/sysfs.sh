#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# sysfs.sh - shape of /sys/devices/system/pzone: root files and their modes,
# the per-pzone directory, the nodeD/pzone link, and the derived node showing
# up (and going away) in node/online and numactl -H.

. "$(dirname "$0")/pzone_lib.sh"

NAME=kst_sysfs
SIZE=67108864		# 64 MiB

ktap_header
pz_require
ktap_plan 42

# Root files.
ensure_file "$PZ_SYSFS/block_size_bytes" 0444
ensure_file "$PZ_SYSFS/reserved_nodes" 0444
ensure_file "$PZ_SYSFS/available_nodes" 0444
ensure_file "$PZ_SYSFS/draining_nodes" 0444
ensure_file "$PZ_SYSFS/create" 0200
ensure_file "$PZ_SYSFS/destroy" 0200
ensure_file "$PZ_SYSFS/last_error" 0444

ktap_check "block_size_bytes is $PZ_BLOCK" \
	[ "$(cat "$PZ_SYSFS/block_size_bytes")" = "$PZ_BLOCK" ]

reserved=$(expand_nodelist "$(cat "$PZ_SYSFS/reserved_nodes")")
avail_before=$(cat "$PZ_SYSFS/available_nodes")
ok=1
for n in $(expand_nodelist "$avail_before"); do
	case " $reserved " in
	*" $n "*) ;;
	*) ktap_diag "available id $n is not reserved"; ok=0 ;;
	esac
	if node_is_online "$n"; then
		ktap_diag "available id $n is online"
		ok=0
	fi
done
ktap_check "available_nodes are reserved ids that are not online" [ $ok = 1 ]
ktap_diag "reserved_nodes: $reserved; available_nodes: $avail_before"
[ -n "$avail_before" ] || ktap_exit_fail_msg "no available node id to test with"

ktap_check "create (0200) cannot be read" \
	sh -c "! cat '$PZ_SYSFS/create' >/dev/null 2>&1"
ensure_write_fails "$PZ_SYSFS/block_size_bytes" 8388608 "" \
	"block_size_bytes (0444) cannot be written"

# One pzone.
pz_create "$NAME" "$PZ_BASE" 64M
ktap_check "pzonectl create $NAME --node $PZ_BASE --size 64M" [ "$PZ_RC" -eq 0 ]
pzone_exists "$NAME" || ktap_exit_fail_msg "no $PZ_SYSFS/$NAME after create"
D=$(pzone_node "$NAME")
ktap_diag "$NAME is node $D"

for f in node base_node kernel_bytes free_bytes state last_error nr_blocks stats blocks; do
	ensure_file "$PZ_SYSFS/$NAME/$f" 0444
done
ensure_file "$PZ_SYSFS/$NAME/size_bytes" 0644
ensure_file "$PZ_SYSFS/$NAME/fallback_cgroups" 0644

in_reserved=0
case " $reserved " in *" $D "*) in_reserved=1 ;; esac
in_avail=0
for n in $(expand_nodelist "$(cat "$PZ_SYSFS/available_nodes")"); do
	[ "$n" = "$D" ] && in_avail=1
done
[ "$in_reserved" = 1 ] && [ "$in_avail" = 0 ]
ktap_result "node $D is a reserved id and no longer available"
ktap_check "base_node is $PZ_BASE" [ "$(pzone_attr "$NAME" base_node)" = "$PZ_BASE" ]
ktap_check "size_bytes is $SIZE" [ "$(pzone_attr "$NAME" size_bytes)" = "$SIZE" ]
ktap_check "kernel_bytes defaults to one block" \
	[ "$(pzone_attr "$NAME" kernel_bytes)" = "$PZ_BLOCK" ]
ktap_check "nr_blocks is size_bytes / block_size_bytes" \
	[ "$(pzone_attr "$NAME" nr_blocks)" = "$((SIZE / PZ_BLOCK))" ]
# blocks: 0xSTART-0xEND lines, block aligned, ascending, merged, summing to the size
blocks_ok=1
blocks_sum=0
blocks_prev=-1
for r in $(pzone_attr "$NAME" blocks); do
	s=$((${r%-*})); e=$((${r#*-}))
	if [ $((s % PZ_BLOCK)) -ne 0 ] || [ $((e % PZ_BLOCK)) -ne 0 ] || [ "$e" -le "$s" ] ||
	   [ "$s" -le "$blocks_prev" ]; then
		ktap_diag "blocks: bad line $r"
		blocks_ok=0
	fi
	blocks_sum=$((blocks_sum + e - s))
	blocks_prev=$e
done
[ "$blocks_ok" = 1 ] && [ "$blocks_sum" = "$SIZE" ]
ktap_result "blocks lists block-aligned, ascending, merged ranges summing to size_bytes ($blocks_sum)"
free=$(pzone_attr "$NAME" free_bytes)
ktap_diag "free_bytes: $free"
[ "${free:-0}" -gt 0 ] && [ "${free:-0}" -le "$SIZE" ]
ktap_result "0 < free_bytes <= size_bytes"
state=$(pzone_attr "$NAME" state)
ktap_check "state is on" [ "$state" = on ]
ktap_check "last_error is empty" [ -z "$(pzone_attr "$NAME" last_error)" ]

pzone_attr "$NAME" stats >"$PZ_TMP/stats"
sed 's/^/#   stats: /' "$PZ_TMP/stats"
ktap_check "stats has 'key value' lines with integer values" \
	awk 'NF != 2 || $2 !~ /^[0-9]+$/ { bad = 1 } END { exit bad || NR == 0 }' \
	"$PZ_TMP/stats"

[ -L "$PZ_NODE_SYSFS/node$D/pzone" ] &&
	[ "$(readlink -f "$PZ_NODE_SYSFS/node$D/pzone")" = "$(readlink -f "$PZ_SYSFS/$NAME")" ]
ktap_result "node$D/pzone links to $PZ_SYSFS/$NAME"
ktap_check "node $D is in node/online ($(online_nodes))" node_is_online "$D"
ktap_check "node$D has meminfo" [ -f "$PZ_NODE_SYSFS/node$D/meminfo" ]
if command -v numactl >/dev/null 2>&1; then
	numactl -H >"$PZ_TMP/numactl" 2>&1
	ktap_check "numactl -H lists node $D" grep -q "^node $D size:" "$PZ_TMP/numactl"
else
	ktap_skip "numactl -H lists node $D" "numactl not installed"
fi
ensure_write_fails "$PZ_SYSFS/$NAME/node" 7 "" "node (0444) cannot be written"

pz_destroy "$NAME"
ktap_check "pzonectl destroy $NAME" [ "$PZ_RC" -eq 0 ]
[ ! -e "$PZ_SYSFS/$NAME" ] && [ ! -e "$PZ_NODE_SYSFS/node$D/pzone" ]
ktap_result "$PZ_SYSFS/$NAME and node$D/pzone are gone"
! node_is_online "$D"
ktap_result "node $D is no longer online"
ktap_check "available_nodes is back to '$avail_before'" \
	[ "$(cat "$PZ_SYSFS/available_nodes")" = "$avail_before" ]

ktap_finish
