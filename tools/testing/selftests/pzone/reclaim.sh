#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# reclaim.sh - page cache pressure inside a pzone is relieved inside it.
# A task in a 64 MiB pzone reads a 256 MiB file (written outside, dropped
# from the cache).  It must succeed; node D's FilePages must stay within
# the pzone size while it runs; a 128 MiB file cached on the base node
# beforehand must stay cached (>= 95 %); and kswapd must have done the
# reclaim (pgscan_kswapd or pgsteal_kswapd grew).

. "$(dirname "$0")/pzone_lib.sh"

NAME=kst_recl
SIZE=67108864		# 64 MiB
BIG=$PZ_DISK/kst_recl_big.dat
OUTSIDE=$PZ_DISK/kst_recl_outside.dat
BIG_MIB=256
OUTSIDE_MIB=128

ktap_header
pz_require
pz_require_disk
ktap_plan 10

pz_dd "$BIG" "$BIG_MIB" || ktap_exit_fail_msg "cannot write $BIG"
pz_dd "$OUTSIDE" "$OUTSIDE_MIB" || ktap_exit_fail_msg "cannot write $OUTSIDE"

# Cache the outside file on the base node.
base_file0=$(node_meminfo_kb "$PZ_BASE" FilePages)
pz_run pzone_touch --membind "$PZ_BASE" --read "$OUTSIDE" --resident "$OUTSIDE"
set -- $(grep '^resident ' "$PZ_OUT")
res0=${2:-0}
base_file1=$(node_meminfo_kb "$PZ_BASE" FilePages)
ktap_diag "outside file: $res0 of ${3:-?} pages cached; node $PZ_BASE FilePages" \
	"$base_file0 -> $base_file1 kB"
[ "$PZ_RC" -eq 0 ] && [ "$res0" -ge $((OUTSIDE_MIB * 256 * 95 / 100)) ] &&
	[ $((base_file1 - base_file0)) -ge $((OUTSIDE_MIB * 1024 * 9 / 10)) ]
ktap_result "$OUTSIDE_MIB MiB file cached on node $PZ_BASE"

sum0=$(sum_memtotal_kb)
pz_create_checked "$NAME" "$PZ_BASE" 64M
D=$(pzone_node "$NAME")
ktap_check "create a 64M pzone (node $D)" [ "$PZ_RC" -eq 0 ]

scan0=$(vmstat_get pgscan_kswapd)
steal0=$(vmstat_get pgsteal_kswapd)
pz_bg "$PZ_TMP/reader.out" pzonectl exec "$NAME" -- pzone_touch --read "$BIG"
reader=$PZ_LAST_PID
max_kb=0
while kill -0 "$reader" 2>/dev/null; do
	kb=$(node_meminfo_kb "$D" FilePages)
	[ "${kb:-0}" -gt "$max_kb" ] && max_kb=$kb
	sleep 0.2
done
pz_reap "$reader"
sed 's/^/#   /' "$PZ_TMP/reader.out"
ktap_check "reading $BIG_MIB MiB in a 64 MiB pzone succeeds" [ "$PZ_RC" -eq 0 ]

ktap_diag "node $D FilePages peaked at $max_kb kB"
ktap_check "node $D FilePages stayed within the pzone size" \
	[ $((max_kb * 1024)) -le "$SIZE" ]
ktap_check "the reader's page cache was on node $D (FilePages >= 16 MiB)" \
	[ "$max_kb" -ge 16384 ]

scan1=$(vmstat_get pgscan_kswapd)
steal1=$(vmstat_get pgsteal_kswapd)
ktap_diag "pgscan_kswapd $scan0 -> $scan1, pgsteal_kswapd $steal0 -> $steal1"
ktap_diag "pgscan_direct $(vmstat_get pgscan_direct), pgsteal_direct $(vmstat_get pgsteal_direct)"
[ "$scan1" -gt "$scan0" ] || [ "$steal1" -gt "$steal0" ]
ktap_result "kswapd reclaimed (pgscan_kswapd or pgsteal_kswapd grew)"

pz_run pzone_touch --resident "$OUTSIDE"
set -- $(grep '^resident ' "$PZ_OUT")
res1=${2:-0}
base_file2=$(node_meminfo_kb "$PZ_BASE" FilePages)
ktap_diag "outside file: $res0 -> $res1 pages cached; node $PZ_BASE FilePages" \
	"$base_file1 -> $base_file2 kB"
ktap_check "the file cached outside stays cached (>= 95%)" \
	[ "$res1" -ge $((res0 * 95 / 100)) ]
ktap_check "node $PZ_BASE FilePages did not drop by more than 5% of $OUTSIDE_MIB MiB" \
	[ "$base_file2" -ge $((base_file1 - OUTSIDE_MIB * 1024 * 5 / 100)) ]

rm -f "$BIG" "$OUTSIDE"
drop_caches
pz_destroy "$NAME"
ktap_check "destroy" [ "$PZ_RC" -eq 0 ]
ktap_check "sum of MemTotal unchanged" [ "$(sum_memtotal_kb)" = "$sum0" ]

ktap_finish
