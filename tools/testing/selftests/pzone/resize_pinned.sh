#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# resize_pinned.sh - a shrink around pages that cannot be migrated.  In a
# 64M pzone (4M kernel reserve, 15 movable blocks) pzone_pin maps 16 MiB,
# puts one page of every MiB into a pipe with vmsplice(2) (an extra
# reference: migration fails) and drops the rest, so that the 16 held pages
# sit in several blocks and most of the pzone is free.
#   - Shrinking to 32M needs 8 blocks and there are more free ones: it
#     succeeds without touching the held pages.
#   - Shrinking to 8M (one movable block left) passes the headroom check
#     but must empty blocks holding held pages: EBUSY, the pzone is as
#     before, stats count the failed block and the held (lru or pinned)
#     pages, last_error says how many blocks could not be emptied.
#   - The held pages are intact and still in the pzone; once the task has
#     exited the same shrink succeeds.

. "$(dirname "$0")/pzone_lib.sh"
. "$(dirname "$0")/resize_lib.sh"

NAME=kst_rs_pin
M=$PZ_MIB

ktap_header
pz_require
command -v pzone_pin >/dev/null 2>&1 || ktap_skip_all "pzone_pin not built"
ktap_plan 22

kmsg_mark
sum0=$(sum_memtotal_kb)
base_mark

pz_create_checked "$NAME" "$PZ_BASE" 64M
D=$(pzone_node "$NAME")
pz_bg "$PZ_TMP/pin.out" pzonectl exec "$NAME" -- pzone_pin --mib 16 --sparse
pid=$PZ_LAST_PID
pz_wait_ready "$PZ_TMP/pin.out" "$pid" 60 ||
	ktap_exit_fail_msg "pzone_pin in $NAME did not get ready"
pinned=$(awk '$1 == "pinned" { print $2 }' "$PZ_TMP/pin.out")
blocks=$(awk '$1 == "blocks" { print $2 }' "$PZ_TMP/pin.out")
ktap_diag "pzone_pin: $pinned pages held, in $blocks blocks"
ktap_check "16 pages held in pipes" [ "$pinned" = 16 ]
check_numa_maps "the held pages are on node $D only" "$pid" "$D" anon 16
ktap_diag "node $D: $(pz_geom "$NAME"), free $(pzone_attr "$NAME" free_bytes) bytes," \
	"$(node_free_blocks "$D") free 4 MiB chunks, high watermarks $(node_high_pages "$D") pages"

# --- shrink that free blocks can serve ---------------------------------------
failed0=$(pz_stat "$NAME" blocks_failed)
pz_run pzonectl resize "$NAME" 32M
ktap_diag "pzonectl resize $NAME 32M: exit $PZ_RC: $(cat "$PZ_ERR")"
ktap_check "shrink to 32M (free blocks suffice) succeeds" [ "$PZ_RC" -eq 0 ]
ktap_check "size_bytes, nr_blocks, node $D MemTotal say 32M" pz_geom_is "$NAME" $((32 * M))
ktap_check "stats: no block failed" [ "$(pz_stat "$NAME" blocks_failed)" = "$failed0" ]
check_numa_maps "the held pages are still on node $D only" "$pid" "$D" anon 16

# --- shrink that must take a block with held pages ----------------------------
free_pg=$(($(pzone_attr "$NAME" free_bytes) / 4096))
high=$(node_high_pages "$D")
ktap_diag "node $D: free $free_pg pages, high watermarks $high pages," \
	"$(node_free_blocks "$D") free 4 MiB chunks"
ktap_check "setup: the headroom allows removing 6 blocks" \
	[ $((free_pg - high)) -ge $((6 * 1024)) ]
geom=$(pz_geom "$NAME")
snap=$(pz_snapshot)
base1=$(node_memtotal_kb "$PZ_BASE")
ensure_write_fails "$PZ_SYSFS/$NAME/size_bytes" $((8 * M)) EBUSY \
	"shrink to 8M (blocks with held pages must go) gives EBUSY"
reason=$(pzone_attr "$NAME" last_error)
ktap_diag "last_error: $reason"
ktap_diag "stats: $(tr '\n' ' ' <"$PZ_SYSFS/$NAME/stats")"
[ "$(pz_geom "$NAME")" = "$geom" ] && [ "$(pz_snapshot)" = "$snap" ] &&
	[ "$(node_memtotal_kb "$PZ_BASE")" = "$base1" ] &&
	[ "$(pzone_attr "$NAME" state)" = on ]
ktap_result "the refused shrink changed nothing ($geom)"
ktap_check "stats: blocks_failed grew" \
	[ "$(pz_stat "$NAME" blocks_failed)" -gt "$failed0" ]
ktap_check "stats: failed_pages_pinned + failed_pages_lru > 0" \
	[ $(($(pz_stat "$NAME" failed_pages_pinned) + $(pz_stat "$NAME" failed_pages_lru))) -gt 0 ]
ktap_check "last_error says which blocks could not be emptied" \
	contains "$reason" "blocks"
pz_run pzonectl resize "$NAME" 8M
ktap_diag "pzonectl resize $NAME 8M: exit $PZ_RC: $(cat "$PZ_ERR")"
[ "$PZ_RC" -eq 1 ] && grep -q "blocks" "$PZ_ERR"
ktap_result "pzonectl resize 8M fails (exit 1) with the kernel's reason"
check_numa_maps "the held pages are still on node $D only" "$pid" "$D" anon 16

pz_stop "$pid"
grep -qx "done" "$PZ_TMP/pin.out" && [ "$PZ_RC" -eq 0 ]
ktap_result "the held pages are intact (pzone_pin exit $PZ_RC)"

# --- without the held pages, the same shrink works ------------------------------
pz_run pzonectl resize "$NAME" 8M
ktap_diag "pzonectl resize $NAME 8M: exit $PZ_RC: $(cat "$PZ_ERR")"
ktap_check "once the task has exited, shrink to 8M succeeds" [ "$PZ_RC" -eq 0 ]
ktap_check "size_bytes, nr_blocks, node $D MemTotal say 8M" pz_geom_is "$NAME" $((8 * M))
ktap_check "sum of MemTotal unchanged" [ "$(sum_memtotal_kb)" = "$sum0" ]
pz_destroy "$NAME"
ktap_check "destroy $NAME" [ "$PZ_RC" -eq 0 ]
check_base_restored
check_dmesg_clean

ktap_finish
