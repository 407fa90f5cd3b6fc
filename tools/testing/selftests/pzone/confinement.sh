#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# confinement.sh - Mode A: a task started with pzonectl exec gets all of its
# user memory from node D.  In a 512 MiB pzone on the base node the task
#   - writes 100 MiB of anonymous memory,
#   - writes a 64 MiB file in /tmp (tmpfs: shmem),
#   - reads a 64 MiB file from the disk that was written outside the pzone
#     and then dropped from the page cache,
# and maps both files.  Every page of those mappings in /proc/PID/numa_maps
# must be on N<D> and none on another node, and node D's AnonPages, Shmem
# and FilePages must have grown by at least 90 % of what was written.  The
# mapping of the test binary itself is not checked: its page cache was
# filled at boot, outside any pzone.

. "$(dirname "$0")/pzone_lib.sh"

NAME=kst_conf
ANON_MIB=100
FILE_MIB=64
TMPFILE=/tmp/kst_conf.shm
DISKFILE=$PZ_DISK/kst_conf.dat

# at_least_90 KB MIB: KB >= 90 % of MIB MiB
at_least_90()
{
	[ "${1:-0}" -ge $(($2 * 1024 * 9 / 10)) ]
}

ktap_header
pz_require
pz_require_disk
ktap_plan 14

pz_file "$TMPFILE"
pz_dd "$DISKFILE" "$FILE_MIB" || ktap_exit_fail_msg "cannot write $DISKFILE"
sum0=$(sum_memtotal_kb)

pz_create_checked "$NAME" "$PZ_BASE" 512M
ktap_check "create a 512M pzone on node $PZ_BASE" [ "$PZ_RC" -eq 0 ]
D=$(pzone_node "$NAME")
anon0=$(node_meminfo_kb "$D" AnonPages)
shmem0=$(node_meminfo_kb "$D" Shmem)
file0=$(node_meminfo_kb "$D" FilePages)

pz_bg "$PZ_TMP/touch.out" pzonectl exec "$NAME" -- pzone_touch \
	--anon "$ANON_MIB" --write "$TMPFILE" --file-mib "$FILE_MIB" \
	--read "$DISKFILE" --map --report --hold 0
pid=$PZ_LAST_PID
pz_wait_ready "$PZ_TMP/touch.out" "$pid" 60 ||
	ktap_exit_fail_msg "pzone_touch in $NAME did not get ready"
sed -n 's/^report /#   move_pages: /p' "$PZ_TMP/touch.out"

cg=$(pzone_cgroup "$NAME")
grep -q "^0::/pzone-$NAME\$" "/proc/$pid/cgroup" &&
	[ "$(cat "$cg/cpuset.mems.effective" 2>/dev/null)" = "$D" ]
ktap_result "task is in cgroup pzone-$NAME with effective cpuset.mems $D"

pages=$((ANON_MIB * 1024 / PZ_PAGE_KB * 9 / 10))
check_numa_maps "anonymous memory is on node $D only" "$pid" "$D" anon "$pages"
pages=$((FILE_MIB * 1024 / PZ_PAGE_KB * 9 / 10))
check_numa_maps "tmpfs file is on node $D only" "$pid" "$D" "$TMPFILE" "$pages"
check_numa_maps "page cache of the disk file is on node $D only" \
	"$pid" "$D" "$DISKFILE" "$pages"

anon1=$(node_meminfo_kb "$D" AnonPages)
shmem1=$(node_meminfo_kb "$D" Shmem)
file1=$(node_meminfo_kb "$D" FilePages)
ktap_diag "node $D: AnonPages $anon0 -> $anon1 kB, Shmem $shmem0 -> $shmem1 kB," \
	"FilePages $file0 -> $file1 kB"
ktap_check "node $D AnonPages grew by >= 90% of $ANON_MIB MiB" \
	at_least_90 $((anon1 - anon0)) "$ANON_MIB"
ktap_check "node $D Shmem grew by >= 90% of $FILE_MIB MiB" \
	at_least_90 $((shmem1 - shmem0)) "$FILE_MIB"
ktap_check "node $D FilePages grew by >= 90% of $((2 * FILE_MIB)) MiB" \
	at_least_90 $((file1 - file0)) $((2 * FILE_MIB))

# Nothing of this landed in the other nodes' view of the task either.
set -- $(numa_maps_pages "$pid" "$D" all)
ktap_diag "all mappings: $1 pages on node $D, $2 elsewhere (the binary's page cache)"

pz_stop "$pid"
ktap_check "task exits cleanly on SIGTERM" [ "$PZ_RC" -eq 0 ]

# The files must go before the pzone can give its memory back.
rm -f "$TMPFILE" "$DISKFILE"
drop_caches
shmem2=$(node_meminfo_kb "$D" Shmem)
file2=$(node_meminfo_kb "$D" FilePages)
ktap_diag "after rm: node $D Shmem $shmem2 kB, FilePages $file2 kB"
ktap_check "removing the files frees their pages on node $D" \
	[ $((file2 - file0)) -lt 4096 ]
ktap_check "free_bytes is most of the pzone again" \
	[ "$(pzone_attr "$NAME" free_bytes)" -ge $((400 * 1048576)) ]

pz_destroy "$NAME"
ktap_check "destroy" [ "$PZ_RC" -eq 0 ]
ktap_check "sum of MemTotal unchanged" [ "$(sum_memtotal_kb)" = "$sum0" ]
ktap_check "cgroup pzone-$NAME removed by destroy" [ ! -d "$cg" ]

ktap_finish
