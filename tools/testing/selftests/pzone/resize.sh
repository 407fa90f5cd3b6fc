#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# resize.sh - resizing a pzone (writes to NAME/size_bytes, pzonectl resize).
#  1. An empty pzone (64M, 8M kernel reserve) grows by +64M from free
#     memory and shrinks back: size_bytes, nr_blocks and nodeD MemTotal say
#     the new size exactly, the base node's MemTotal moves by exactly the
#     difference, the MemTotal sum never changes, stats count the blocks.
#     A size is rounded up to 4 MiB; it can go down to kernel_bytes (ZONE_MOVABLE
#     empties) and up again.
#  2. Sizes below kernel_bytes, 0 and garbage fail with EINVAL and change
#     nothing.
#  3. A 128M pzone holding 100 MiB of anonymous memory with the free memory
#     scattered over every block shrinks by what its headroom allows
#     (free - removed >= high watermarks of the node's zones): pages are
#     migrated inside the pzone and their data stays intact.  A shrink
#     below what the pages need fails with ENOSPC, a reason in last_error,
#     and changes nothing.
#  4. With the base node's ZONE_NORMAL full (a second pzone takes most of
#     it, page cache of a file on the disk and a task's anonymous memory,
#     bound to the base node, the rest), a grow still succeeds: blocks of
#     the base node are emptied by migration (or reclaim).  The data of the
#     pzone's task and of the tasks on the base node stay intact.

. "$(dirname "$0")/pzone_lib.sh"
. "$(dirname "$0")/resize_lib.sh"

NAME=kst_rs
FULL=kst_rs_full
GROW=kst_rs_grow
M=$PZ_MIB

ktap_header
pz_require
pz_require_disk
command -v pzone_integrity >/dev/null 2>&1 || ktap_skip_all "pzone_integrity not built"
ktap_plan 60

kmsg_mark
sum0=$(sum_memtotal_kb)
base_mark
base0=$PZ_BASE_KB0

# --- 1. grow and shrink an empty pzone ------------------------------------
pz_create_checked "$NAME" "$PZ_BASE" 64M --kernel 8M
D=$(pzone_node "$NAME")
base1=$(node_memtotal_kb "$PZ_BASE")
in0=$(pz_stat "$NAME" blocks_moved_in)
out0=$(pz_stat "$NAME" blocks_moved_out)
evac0=$(pz_stat "$NAME" blocks_evacuated)
ktap_diag "$NAME: node $D, $(pz_geom "$NAME"); base MemTotal $base0 -> $base1 kB"

pz_run pzonectl resize "$NAME" +64M
ktap_diag "pzonectl resize $NAME +64M: exit $PZ_RC: $(cat "$PZ_OUT" "$PZ_ERR")"
[ "$PZ_RC" -eq 0 ] && grep -q "size $((128 * M)) bytes (was $((64 * M)))" "$PZ_OUT"
ktap_result "pzonectl resize +64M succeeds and prints the new size"
ktap_diag "after grow: $(pz_geom "$NAME")"
ktap_check "size_bytes, nr_blocks, node $D MemTotal say 128M" \
	pz_geom_is "$NAME" $((128 * M))
ktap_check "kernel_bytes still 8M" [ "$(pzone_attr "$NAME" kernel_bytes)" = $((8 * M)) ]
ktap_check "base node MemTotal dropped by exactly 64M" \
	[ $(((base1 - $(node_memtotal_kb "$PZ_BASE")) * 1024)) = $((64 * M)) ]
ktap_check "sum of MemTotal unchanged by the grow" [ "$(sum_memtotal_kb)" = "$sum0" ]
ktap_check "stats: blocks_moved_in grew by 16" \
	[ $(($(pz_stat "$NAME" blocks_moved_in) - in0)) = 16 ]

pz_run pzonectl resize "$NAME" -64M
ktap_check "pzonectl resize -64M succeeds" [ "$PZ_RC" -eq 0 ]
ktap_check "size_bytes, nr_blocks, node $D MemTotal say 64M" \
	pz_geom_is "$NAME" $((64 * M))
ktap_check "base node MemTotal back to its value after create" \
	[ "$(node_memtotal_kb "$PZ_BASE")" = "$base1" ]
ktap_check "sum of MemTotal unchanged by the shrink" [ "$(sum_memtotal_kb)" = "$sum0" ]
[ $(($(pz_stat "$NAME" blocks_moved_out) - out0)) = 16 ] &&
	[ "$(pz_stat "$NAME" blocks_evacuated)" = "$evac0" ]
ktap_result "stats: blocks_moved_out grew by 16, nothing evacuated (free blocks only)"

ensure_write_ok "$PZ_SYSFS/$NAME/size_bytes" 98M "write 98M to size_bytes succeeds"
ktap_check "98M is rounded up to 100M" pz_geom_is "$NAME" $((100 * M))
ensure_write_ok "$PZ_SYSFS/$NAME/size_bytes" $((8 * M)) \
	"shrink to exactly kernel_bytes (8M) succeeds"
ktap_check "size_bytes, nr_blocks, node $D MemTotal say 8M" pz_geom_is "$NAME" $((8 * M))
ktap_check "state is on" [ "$(pzone_attr "$NAME" state)" = on ]
pz_run pzonectl resize "$NAME" 64M
ktap_check "grow from kernel_bytes only back to 64M succeeds" [ "$PZ_RC" -eq 0 ]
ktap_check "size_bytes, nr_blocks, node $D MemTotal say 64M" \
	pz_geom_is "$NAME" $((64 * M))

# --- 2. bad sizes -----------------------------------------------------------
snap=$(pz_snapshot)
geom=$(pz_geom "$NAME")
ensure_write_fails "$PZ_SYSFS/$NAME/size_bytes" $((4 * M)) EINVAL \
	"a size below kernel_bytes (4M < 8M) gives EINVAL"
reason=$(pzone_attr "$NAME" last_error)
ktap_diag "last_error: $reason"
ktap_check "last_error gives a reason" [ -n "$reason" ]
ensure_write_fails "$PZ_SYSFS/$NAME/size_bytes" 0 EINVAL "size 0 gives EINVAL"
for garbage in abc 12Q "" "64M junk" -4M; do
	ensure_write_fails "$PZ_SYSFS/$NAME/size_bytes" "$garbage" EINVAL \
		"size '$garbage' gives EINVAL"
done
pz_run pzonectl resize "$NAME" 4M
ktap_diag "pzonectl resize $NAME 4M: exit $PZ_RC: $(cat "$PZ_ERR")"
[ "$PZ_RC" -eq 1 ] && grep -q "^pzonectl: " "$PZ_ERR"
ktap_result "pzonectl resize below kernel_bytes exits 1 with a message"
[ "$(pz_geom "$NAME")" = "$geom" ] && [ "$(pz_snapshot)" = "$snap" ] &&
	[ "$(pzone_attr "$NAME" state)" = on ]
ktap_result "the refused writes changed nothing ($geom)"
pz_destroy "$NAME"
ktap_check "destroy $NAME" [ "$PZ_RC" -eq 0 ]

# --- 3. shrink a pzone that is mostly used ------------------------------------
pz_create_checked "$FULL" "$PZ_BASE" 128M
D=$(pzone_node "$FULL")
pz_bg "$PZ_TMP/full.out" pzonectl exec "$FULL" -- pzone_integrity \
	--anon 100 --fragment 16
fpid=$PZ_LAST_PID
pz_wait_ready "$PZ_TMP/full.out" "$fpid" 120 ||
	ktap_exit_fail_msg "pzone_integrity in $FULL did not get ready"
check_numa_maps "100 MiB of anonymous memory on node $D only" \
	"$fpid" "$D" anon $((100 * 256))
# Free pages on per-CPU lists are not in free_bytes.  A shrink that the
# headroom rule refuses drains them first: ask for one (64M with 100 MiB
# in use is always refused), so that free_bytes counts them.
echo 64M >"$PZ_SYSFS/$FULL/size_bytes" 2>/dev/null &&
	ktap_exit_fail_msg "shrink of $FULL to 64M with 100 MiB in use succeeded"
free_pg=$(($(pzone_attr "$FULL" free_bytes) / 4096))
high=$(node_high_pages "$D")
fb=$(node_free_blocks "$D")
k=$(((free_pg - high) / 1024 - 1))
[ $k -gt 4 ] && k=4
ktap_diag "$FULL: node $D: $(pz_geom "$FULL"); free $free_pg pages, high watermarks" \
	"$high pages, $fb free 4 MiB chunks; shrinking by $k blocks"
[ $k -ge 2 ] && [ $fb -lt $k ]
ktap_result "setup: headroom for >= 2 blocks, fewer free 4 MiB chunks than that"

base1=$(node_memtotal_kb "$PZ_BASE")
evac0=$(pz_stat "$FULL" blocks_evacuated)
new=$((128 * M - k * PZ_BLOCK))
pz_run pzonectl resize "$FULL" -$((k * 4))M
ktap_diag "pzonectl resize $FULL -$((k * 4))M: exit $PZ_RC: $(cat "$PZ_ERR")"
ktap_check "shrink by $k blocks within the headroom succeeds" [ "$PZ_RC" -eq 0 ]
ktap_check "size_bytes, nr_blocks, node $D MemTotal say $((new / M))M" \
	pz_geom_is "$FULL" "$new"
ktap_check "base node MemTotal grew by exactly $((k * 4))M" \
	[ $((($(node_memtotal_kb "$PZ_BASE") - base1) * 1024)) = $((k * PZ_BLOCK)) ]
ktap_check "sum of MemTotal unchanged" [ "$(sum_memtotal_kb)" = "$sum0" ]
evac=$(($(pz_stat "$FULL" blocks_evacuated) - evac0))
ktap_diag "blocks_evacuated +$evac, free 4 MiB chunks before: $fb"
ktap_check "stats: >= $((k - fb)) blocks emptied by migration" [ $evac -ge $((k - fb)) ]
# >= 95%: a page being migrated at the moment of reading is briefly not
# counted; "0 elsewhere" is the invariant.
check_numa_maps "the anonymous memory is still on node $D only" \
	"$fpid" "$D" anon $((100 * 256 * 95 / 100))

geom=$(pz_geom "$FULL")
base2=$(node_memtotal_kb "$PZ_BASE")
ensure_write_fails "$PZ_SYSFS/$FULL/size_bytes" $((64 * M)) ENOSPC \
	"shrink to 64M with 100 MiB in use gives ENOSPC"
reason=$(pzone_attr "$FULL" last_error)
ktap_diag "last_error: $reason"
ktap_check "last_error says there is not enough free memory" \
	contains "$reason" "not enough free memory"
[ "$(pz_geom "$FULL")" = "$geom" ] && [ "$(node_memtotal_kb "$PZ_BASE")" = "$base2" ] &&
	[ "$(sum_memtotal_kb)" = "$sum0" ] && [ "$(pzone_attr "$FULL" state)" = on ]
ktap_result "the refused shrink changed nothing ($geom)"
pz_run pzonectl resize "$FULL" 64M
ktap_diag "pzonectl resize $FULL 64M: exit $PZ_RC: $(cat "$PZ_ERR")"
[ "$PZ_RC" -eq 1 ] && grep -q "not enough free memory" "$PZ_ERR"
ktap_result "pzonectl resize 64M fails (exit 1) with the kernel's reason"
ktap_check "the workload survived" kill -0 "$fpid"
integrity_stop "the 100 MiB of data are intact" "$fpid" "$PZ_TMP/full.out"
pz_destroy "$FULL"
ktap_check "destroy $FULL" [ "$PZ_RC" -eq 0 ]

# --- 3b. shrink right after freeing: free pages on per-CPU lists count ------
# Reproducer: with per-CPU lists sized from the base zone, a task that frees
# every 2nd page of 192 MiB leaves tens of MiB on them (more from the second
# round on, once the lists have grown), which NR_FREE_PAGES does not count:
# the headroom check refused the shrink ("96 MiB free, 129 MiB needed")
# until shrink drained the lists before counting.
pz_create_checked "$FULL" "$PZ_BASE" 256M
bad=""
for r in 1 2 3; do
	pz_run pzonectl exec "$FULL" -- resize_timing \
		--file "$PZ_SYSFS/$FULL/size_bytes" --to 128M --hold 192 --keep-every 2
	[ "$PZ_RC" -eq 0 ] && [ "$(pzone_attr "$FULL" size_bytes)" = 134217728 ] ||
		bad="$bad round $r: exit $PZ_RC $(grep -E '^(error|last_error)' "$PZ_OUT" | tr '\n' ' ');"
	pzone_write "$PZ_SYSFS/$FULL/size_bytes" 256M >/dev/null
done
[ -n "$bad" ] && ktap_diag "$bad"
[ -z "$bad" ]
ktap_result "shrink 256M -> 128M right after freeing every 2nd page of 192 MiB, 3 rounds"
pz_destroy "$FULL"

# --- 4. grow while the base node is full ---------------------------------------
# A movable-only "ballast" pzone takes all but 384 MiB of the base node's free
# ZONE_NORMAL (no page faults: quick), then page cache of a file on the disk
# (256 MiB) and anonymous memory (192 MiB), both bound to the base node and
# checksummed, fill the rest.
TMPFILE=/tmp/kst_rs_grow.shm
DISKFILE=$PZ_DISK/kst_rs_grow.dat
FILL=$PZ_DISK/kst_rs_fill.dat
BALLAST=kst_rs_ballast
pz_file "$TMPFILE"
pz_file "$DISKFILE"
pz_file "$FILL"

pz_create_checked "$GROW" "$PZ_BASE" 64M
D=$(pzone_node "$GROW")
pz_bg "$PZ_TMP/grow.out" pzonectl exec "$GROW" -- pzone_integrity \
	--anon 16 --tmpfs "$TMPFILE" --tmpfs-mib 8 --disk "$DISKFILE" --disk-mib 8
gpid=$PZ_LAST_PID
pz_wait_ready "$PZ_TMP/grow.out" "$gpid" 120 ||
	ktap_exit_fail_msg "pzone_integrity in $GROW did not get ready"

nfree=$(zone_field "$PZ_BASE" Normal free)
nhigh=$(zone_field "$PZ_BASE" Normal high)
ballast=$((((nfree - nhigh) / 256 - 384) / 4 * 4))
ktap_diag "node $PZ_BASE ZONE_NORMAL: free $nfree high $nhigh pages; ballast pzone of ${ballast}M"
[ "$ballast" -gt 0 ] && pz_create_checked "$BALLAST" "$PZ_BASE" "${ballast}M" --kernel 0
pz_bg "$PZ_TMP/fill.out" numactl --membind="$PZ_BASE" pzone_integrity \
	--disk "$FILL" --disk-mib 256 --interval 600000
cpid=$PZ_LAST_PID
pz_wait_ready "$PZ_TMP/fill.out" "$cpid" 120 ||
	ktap_exit_fail_msg "the page cache filler did not get ready"
pz_bg "$PZ_TMP/hog.out" numactl --membind="$PZ_BASE" pzone_integrity \
	--anon 192 --rewrite 0 --interval 600000
hpid=$PZ_LAST_PID
pz_wait_ready "$PZ_TMP/hog.out" "$hpid" 120 ||
	ktap_exit_fail_msg "the anonymous memory filler did not get ready"
sleep 1
nfree=$(zone_field "$PZ_BASE" Normal free)
nhigh=$(zone_field "$PZ_BASE" Normal high)
ktap_diag "node $PZ_BASE: MemFree $(node_meminfo_kb "$PZ_BASE" MemFree) kB," \
	"FilePages $(node_meminfo_kb "$PZ_BASE" FilePages) kB, AnonPages" \
	"$(node_meminfo_kb "$PZ_BASE" AnonPages) kB; ZONE_NORMAL free $nfree high $nhigh pages"
ktap_check "setup: base ZONE_NORMAL has less than 64M free above its high watermark" \
	[ $((nfree - nhigh)) -lt $((64 * 256)) ]

evac0=$(pz_stat "$GROW" blocks_evacuated)
t0=$(date +%s)
pz_run pzonectl resize "$GROW" +64M
ktap_diag "pzonectl resize $GROW +64M: exit $PZ_RC after $(($(date +%s) - t0)) s:" \
	"$(cat "$PZ_OUT" "$PZ_ERR")"
ktap_check "grow by 64M with the base node full succeeds" [ "$PZ_RC" -eq 0 ]
ktap_check "size_bytes, nr_blocks, node $D MemTotal say 128M" \
	pz_geom_is "$GROW" $((128 * M))
ktap_check "sum of MemTotal unchanged" [ "$(sum_memtotal_kb)" = "$sum0" ]
ktap_diag "stats: blocks_evacuated +$(($(pz_stat "$GROW" blocks_evacuated) - evac0));" \
	"node $PZ_BASE ZONE_NORMAL free now $(zone_field "$PZ_BASE" Normal free) pages"
check_numa_maps "the pzone's anonymous memory is still on node $D only" \
	"$gpid" "$D" anon $((16 * 256))
check_numa_maps "its tmpfs file is still on node $D only" \
	"$gpid" "$D" "$TMPFILE" $((8 * 256))
integrity_stop "the page cache on the base node is intact" "$cpid" "$PZ_TMP/fill.out"
integrity_stop "the anonymous memory on the base node is intact" "$hpid" "$PZ_TMP/hog.out"
integrity_stop "the data in the pzone are intact" "$gpid" "$PZ_TMP/grow.out"
rm -f "$TMPFILE" "$DISKFILE" "$FILL"
drop_caches
pz_destroy "$GROW"
ktap_check "destroy $GROW" [ "$PZ_RC" -eq 0 ]
pzone_exists "$BALLAST" && pz_destroy "$BALLAST"
ktap_check "destroy $BALLAST" [ "$PZ_RC" -eq 0 ]

check_base_restored
ktap_check "sum of MemTotal unchanged at the end" [ "$(sum_memtotal_kb)" = "$sum0" ]
check_dmesg_clean

ktap_finish
