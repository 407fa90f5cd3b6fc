#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# shared_pool.sh - a shared page-cache pool bound to a directory hierarchy
# (pzonectl bind-dir, NAME/dirs).  On the ext2 disk, DIR holds 64 MiB of
# library-like files: an executable (a copy of pzone_touch) and a 62 MiB
# library.  Four containers in four 64 MiB pzones each exec the executable
# from DIR and mmap and read the library, and hold it mapped:
#   - without a binding (today's behaviour, a copy of DIR), printed: the
#     first container's pzone takes the whole cache, the others hit it;
#   - with DIR bound to a 128 MiB pool: pages already cached elsewhere
#     move into the pool at bind time; each container's pzone grows by
#     less than 2 MiB of page cache (its node's FilePages; its MemUsed is
#     printed too, but counts the pages waiting on per-CPU free lists and
#     so moves by a few MiB either way with any allocation);
#     64 MiB of cache in total, all on the pool's node
#     (numa_maps of every container, through a bind mount at /common and,
#     for the fourth, through an overlayfs whose lower layer is DIR);
#     destroying the first container changes nothing for the other three.
# Then abuse: a container reads 2x the pool's size of files under DIR
# while another pzone holds 32 MiB of unbound page cache: it completes,
# its own pzone does not grow, the other pzone loses no page, the pool
# stays inside its size and nothing fell back; a file outside DIR does
# not land in the pool; a container writing 2x the pool's size into DIR
# completes with the pool's dirty and writeback pages below half the pool
# (the pool's own dirty limit throttles it).  Rejected cases change
# nothing; unbind-dir stops new placement.
# pzone-timeout: 1200

. "$(dirname "$0")/pzone_lib.sh"

POOL=kst_pool
POOL_MIB=128
CMIB=96		# each container's pzone
VIC=kst_vic
DIR=$PZ_DISK/kst_common
PLAIN=$PZ_DISK/kst_plain
MNT=/kst_common_bind
OVL=/kst_common_ovl
LIB_MIB=62
GROW_MAX_KB=2048

ktap_header
pz_require
pz_require_disk
for n in $POOL $VIC kst_c1 kst_c2 kst_c3 kst_c4; do
	pzone_exists "$n" && ktap_skip_all "pzone $n exists"
done
grep -q overlay /proc/filesystems || ktap_skip_all "no overlayfs in this kernel"
ktap_plan 41
kmsg_mark

test_cleanup()
{
	umount "$OVL" 2>/dev/null
	umount "$MNT" 2>/dev/null
	rm -rf "$DIR" "$PLAIN" "$PZ_DISK/kst_vic.dat" "$PZ_DISK/kst_outside.dat" \
		"$PZ_TMP/ovl"
	rmdir "$MNT" "$OVL" 2>/dev/null
}

# pool_diag: what the pool's reclaim saw, for a failure.
pool_diag()
{
	ktap_diag "pool node $P vmstat: $(grep -E '^(nr_(in)?active_file|nr_isolated_file|nr_dirty|nr_writeback|workingset_refault_file|nr_mapped) ' "$PZ_NODE_SYSFS/node$P/vmstat" | tr '\n' ' ')"
	ktap_diag "/proc/vmstat: $(grep -E '^(pgscan|pgsteal)_(kswapd|direct) |^allocstall_movable ' /proc/vmstat | tr '\n' ' ')"
	ktap_diag "swaps: $(tail -n +2 /proc/swaps | wc -l); lru_gen: $(cat /sys/kernel/mm/lru_gen/enabled 2>/dev/null); draining: '$(draining_nodes)'"
	ktap_diag "zoneinfo node $P: $(awk -v n="$P" '$1 == "Node" { on = ($2 == n ",") } on && /zone|pages free|min |low |high |node_unreclaimable|start_pfn|present|managed/' /proc/zoneinfo | tr -s ' ' | tr '\n' ';')"
	ktap_diag "pool events: $(tr '\n' ' ' <"$PZ_SYSFS/$POOL/events")"
	if [ -r /sys/kernel/debug/lru_gen ]; then
		awk -v n="$P" '/^memcg/ { m = $0 } $1 == "node" && $2 == n { print m; show = 1; next }
			$1 == "node" { show = 0 } show' /sys/kernel/debug/lru_gen | head -n 40 | sed 's/^/#   /'
	fi
	return 1
}

used_kb()
{
	node_meminfo_kb "$1" MemUsed
}

file_kb()
{
	node_meminfo_kb "$1" FilePages
}

# make_set D: the library-like set under D (bin/, lib/).
make_set()
{
	mkdir -p "$1/bin" "$1/lib" &&
		cp "$(command -v pzone_touch)" "$1/bin/pzone_touch" &&
		dd if=/dev/zero of="$1/lib/libbig.so" bs=1048576 count=$LIB_MIB 2>/dev/null
}

# hold C ROOT OUT: in container C, exec ROOT/bin/pzone_touch, which reads
# and maps ROOT/lib/libbig.so and holds it; $PZ_LAST_PID is the holder.
hold()
{
	pz_bg "$3" pzonectl exec "$1" -- "$2/bin/pzone_touch" \
		--read "$2/lib/libbig.so" --map --hold 0
	pz_wait_ready "$3" "$PZ_LAST_PID" 300
}

for c in 1 2 3 4; do
	pz_create_checked kst_c$c "$PZ_BASE" ${CMIB}M
done
pz_create_checked "$POOL" "$PZ_BASE" ${POOL_MIB}M --kernel 0
P=$(pzone_node "$POOL")
make_set "$DIR" || ktap_exit_fail_msg "cannot write the files under $DIR"
make_set "$PLAIN" || ktap_exit_fail_msg "cannot write the files under $PLAIN"
SET_KB=$(du -sk "$DIR" | awk '{ print $1 }')
LIB_PAGES=$((LIB_MIB * 256))
mkdir -p "$MNT" "$OVL" "$PZ_TMP/ovl/up" "$PZ_TMP/ovl/work"
mount --bind "$DIR" "$MNT" || ktap_exit_fail_msg "cannot bind-mount $DIR"
mount -t overlay overlay -o "lowerdir=$DIR,upperdir=$PZ_TMP/ovl/up,workdir=$PZ_TMP/ovl/work" \
	"$OVL" || ktap_exit_fail_msg "cannot mount an overlayfs on $DIR"

# ---- without a binding: today's behaviour, printed ----
drop_caches
line="without a binding ($PLAIN):"
for c in 1 2 3 4; do
	n=$(pzone_node kst_c$c)
	before=$(file_kb "$n")
	ubefore=$(used_kb "$n")
	hold kst_c$c "$PLAIN" "$PZ_TMP/plain$c" || ktap_exit_fail_msg "holder in kst_c$c"
	eval "pid$c=$PZ_LAST_PID"
	eval "plain$c=$(($(file_kb "$n") - before))"
	line="$line kst_c$c +$(eval echo \$plain$c) kB (MemUsed +$(($(used_kb "$n") - ubefore)) kB)"
done
ktap_diag "page cache on each pzone's node, $line"
ktap_check "without a binding, the first reader's pzone takes the cache (+$plain1 kB >= 32 MiB)" \
	[ "$plain1" -ge 32768 ]
for c in 1 2 3 4; do
	pz_stop "$(eval echo \$pid$c)"
done
rm -rf "$PLAIN"

# ---- bind: the cache already on other nodes moves into the pool ----
drop_caches
cat "$DIR/lib/libbig.so" "$DIR/bin/pzone_touch" >/dev/null
pool_before=$(file_kb "$P")
pz_run pzonectl bind-dir "$POOL" "$DIR"
rc=$PZ_RC
ktap_diag "bind-dir: exit $rc: $(cat "$PZ_OUT" "$PZ_ERR")"
[ "$rc" -eq 0 ] && grep -q "pages moved into the pool" "$PZ_OUT"
ktap_result "pzonectl bind-dir $POOL $DIR succeeds and reports what moved"
pzonectl show "$POOL" --json >"$PZ_TMP/show.json"
moved=$(sed -n 's/.*"moved_pages": \([0-9]*\).*/\1/p' "$PZ_TMP/show.json")
unmoved=$(sed -n 's/.*"unmoved_pages": \([0-9]*\).*/\1/p' "$PZ_TMP/show.json")
ktap_diag "show --json: $(grep '"dirs"' "$PZ_TMP/show.json"); moved $moved, unmoved $unmoved pages"
grep -qF "\"dirs\": [\"$DIR\"]" "$PZ_TMP/show.json"
ktap_result "show --json lists \"dirs\": [\"$DIR\"]"
ktap_check "the $LIB_MIB MiB already cached moved into the pool ($moved pages moved, $unmoved not)" \
	[ "${moved:-0}" -ge "$LIB_PAGES" ]
d=$(($(file_kb "$P") - pool_before))
ktap_check "pool node $P grew by the cached set ($d kB of page cache)" \
	[ "$d" -ge $(((LIB_MIB - 1) * 1024)) ]

# ---- four containers exec and map the bound files ----
drop_caches
pool_before=$(file_kb "$P")
for c in 1 2 3 4; do
	n=$(pzone_node kst_c$c)
	root=$MNT
	[ "$c" = 4 ] && root=$OVL
	before=$(file_kb "$n")
	ubefore=$(used_kb "$n")
	hold kst_c$c "$root" "$PZ_TMP/bound$c" || ktap_exit_fail_msg "holder in kst_c$c"
	eval "pid$c=$PZ_LAST_PID"
	g=$(($(file_kb "$n") - before))
	ktap_check "with $DIR bound, kst_c$c (through $root): page cache on its node +$g kB (< $GROW_MAX_KB; MemUsed +$(($(used_kb "$n") - ubefore)) kB)" \
		[ "$g" -lt "$GROW_MAX_KB" ]
done
pool_grew=$(($(file_kb "$P") - pool_before))
ktap_diag "the pool's page cache grew by $pool_grew kB for a $SET_KB kB set read by 4 containers"
ktap_check "one copy of the set, in the pool ($pool_grew kB for $SET_KB kB)" \
	[ "$pool_grew" -ge $((SET_KB - 1024)) ] && [ "$pool_grew" -le $((SET_KB + 2048)) ]
for c in 1 2 3 4; do
	check_numa_maps "kst_c$c: all its libbig.so pages on the pool's node $P" \
		"$(eval echo \$pid$c)" "$P" "*libbig.so" "$LIB_PAGES"
done
# The executable's file pages (its mappings without private anon= copies:
# those are the task's own memory, in its pzone).
set -- $(awk -v node="$P" '/ file=[^ ]*bin\/pzone_touch / && !/ anon=/ {
	for (i = 2; i <= NF; i++) if ($i ~ /^N[0-9]+=/) {
		split(substr($i, 2), kv, "="); if (kv[1] == node) on += kv[2]; else off += kv[2] } }
	END { printf "%d %d\n", on, off }' "/proc/$pid1/numa_maps")
ktap_check "kst_c1: the file pages of its executable are on the pool's node $P ($1 there, $2 elsewhere)" \
	[ "$1" -gt 0 ] && [ "$2" -eq 0 ]

# ---- destroying the first container changes nothing for the others ----
pool_before=$(file_kb "$P")
pz_stop "$pid1"
pz_destroy kst_c1
ktap_check "kst_c1 destroyed" [ "$PZ_RC" -eq 0 ]
for c in 2 3 4; do
	check_numa_maps "after kst_c1 is gone, kst_c$c's libbig.so pages are still on node $P" \
		"$(eval echo \$pid$c)" "$P" "*libbig.so" "$LIB_PAGES"
done
d=$(($(file_kb "$P") - pool_before))
ktap_check "the pool kept its cache when kst_c1 went (change $d kB)" \
	[ "$d" -gt -1024 ] && [ "$d" -lt 1024 ]
n2=$(pzone_node kst_c2)
before=$(file_kb "$n2")
pzonectl exec kst_c2 -- cat "$MNT/lib/libbig.so" >/dev/null
g=$(($(file_kb "$n2") - before))
ktap_check "kst_c2 reads the set again: its page cache grew by $g kB (< $GROW_MAX_KB)" \
	[ "$g" -lt "$GROW_MAX_KB" ]
for c in 2 3 4; do
	pz_stop "$(eval echo \$pid$c)"
done

# ---- abuse: reading 2x the pool's size of bound files ----
mkdir -p "$DIR/big"
i=0
while [ $i -lt 4 ]; do
	dd if=/dev/zero of="$DIR/big/f$i" bs=1048576 count=$((POOL_MIB / 2)) 2>/dev/null ||
		ktap_exit_fail_msg "cannot write $DIR/big/f$i"
	i=$((i + 1))
done
pz_file "$PZ_DISK/kst_vic.dat"
dd if=/dev/zero of="$PZ_DISK/kst_vic.dat" bs=1048576 count=32 2>/dev/null
dd if=/dev/zero of="$PZ_DISK/kst_outside.dat" bs=1048576 count=16 2>/dev/null
drop_caches
pz_create_checked "$VIC" "$PZ_BASE" ${CMIB}M
V=$(pzone_node "$VIC")
pz_bg "$PZ_TMP/vic" pzonectl exec "$VIC" -- pzone_touch --read "$PZ_DISK/kst_vic.dat" --map --hold 0
vic_pid=$PZ_LAST_PID
pz_wait_ready "$PZ_TMP/vic" "$vic_pid" 300 || ktap_exit_fail_msg "victim holder"
vic_before=$(file_kb "$V")
steal_before=$(vmstat_get pgsteal_direct)
before=$(file_kb "$n2")
pz_run pzonectl exec kst_c2 -- sh -c "cat $DIR/big/f0 $DIR/big/f1 $DIR/big/f2 $DIR/big/f3 >/dev/null"
rc=$PZ_RC
g=$(($(file_kb "$n2") - before))
ktap_check "kst_c2 read $((POOL_MIB * 2)) MiB under $DIR through a $POOL_MIB MiB pool (exit $rc)" \
	[ "$rc" -eq 0 ]
ktap_check "kst_c2's own page cache grew by $g kB while it did (< $GROW_MAX_KB)" \
	[ "$g" -lt "$GROW_MAX_KB" ]
[ "$g" -lt "$GROW_MAX_KB" ] || pool_diag
pzone_touch --resident "$PZ_DISK/kst_vic.dat" >"$PZ_TMP/res"
set -- $(grep '^resident ' "$PZ_TMP/res")
vic_after=$(file_kb "$V")
ktap_diag "victim: $2 of $3 pages of kst_vic.dat resident; node $V page cache $vic_before -> $vic_after kB; pgsteal_direct +$(($(vmstat_get pgsteal_direct) - steal_before))"
# node meminfo sums per-CPU counters late: +-0.5 MiB on two CPUs
[ "${2:-0}" -eq "${3:-1}" ] && [ "$vic_after" -ge $((vic_before - 1024)) ]
ktap_result "no page of the other pzone ($VIC) was reclaimed for it"
pool_file=$(file_kb "$P")
fallbacks=$(pzonectl show "$POOL" --json | sed -n 's/.*"fallbacks": \([0-9]*\).*/\1/p' | head -n 1)
ktap_check "the pool reclaimed its own cache, nothing fell back ($pool_file kB cached, $fallbacks fallbacks)" \
	[ "${fallbacks:-1}" -eq 0 ]
pz_stop "$vic_pid"
dmesg_since_mark | grep -E 'Killed process|invoked oom-killer' | sed 's/^/#   /'
[ "$(pzone_attr "$POOL" events | awk '$1 == "oom_kill" { print $2 }')" = 0 ] &&
	[ "$(pzone_attr kst_c2 events | awk '$1 == "oom_kill" { print $2 }')" = 0 ] &&
	! dmesg_since_mark | grep -qE 'Killed process|invoked oom-killer'
ktap_result "no OOM kill anywhere: not in the pool, not in the reader's pzone"
rm -rf "$DIR/big"

# ---- a file outside DIR never lands in the pool ----
drop_caches
pool_before=$(file_kb "$P")
n2_before=$(file_kb "$n2")
pz_bg "$PZ_TMP/out" pzonectl exec kst_c2 -- pzone_touch --read "$PZ_DISK/kst_outside.dat" --map --hold 0
out_pid=$PZ_LAST_PID
pz_wait_ready "$PZ_TMP/out" "$out_pid" 300
check_numa_maps "a file outside $DIR read in kst_c2 stays on kst_c2's node $n2" \
	"$out_pid" "$n2" "$PZ_DISK/kst_outside.dat" 4096
d=$(($(file_kb "$P") - pool_before))
ktap_check "the pool did not grow for it ($d kB)" [ "$d" -lt 1024 ]
pz_stop "$out_pid"

# ---- writes into DIR go to the pool, with the pool's dirty pages bounded ----
n3=$(pzone_node kst_c3)
before=$(file_kb "$n3")
pz_file "$DIR/w.dat"
pz_bg "$PZ_TMP/dd" pzonectl exec kst_c3 -- dd if=/dev/zero of="$DIR/w.dat" bs=1048576 \
	count=$((POOL_MIB * 2))
dd_pid=$PZ_LAST_PID
max=0
while kill -0 "$dd_pid" 2>/dev/null; do
	v=$(( $(node_meminfo_kb "$P" Dirty) + $(node_meminfo_kb "$P" Writeback) ))
	[ "$v" -gt "$max" ] && max=$v
	g=$(($(file_kb "$n3") - before))
	[ "$g" -gt "${gmax:-0}" ] && gmax=$g
	sleep 0.2
done
pz_reap "$dd_pid"
ktap_check "kst_c3 wrote $((POOL_MIB * 2)) MiB into $DIR (exit $PZ_RC)" [ "$PZ_RC" -eq 0 ]
ktap_diag "the pool's dirty + writeback peaked at $max kB ($POOL_MIB MiB pool, dirty_ratio $(cat /proc/sys/vm/dirty_ratio) %)"
ktap_check "the pool's dirty + writeback pages stayed below half the pool ($max kB)" \
	[ "$max" -lt $((POOL_MIB * 512)) ]
ktap_check "kst_c3's page cache grew by at most ${gmax:-0} kB while writing (< $GROW_MAX_KB)" \
	[ "${gmax:-0}" -lt "$GROW_MAX_KB" ]

# ---- rejected cases change nothing ----
pzonectl show "$POOL" --json | grep '"dirs"' >"$PZ_TMP/dirs.before"
pz_run pzonectl bind-dir "$POOL" "$DIR/bin/pzone_touch"
[ "$PZ_RC" -eq 1 ] && [ "$(wc -l <"$PZ_ERR")" -eq 1 ] && grep -q "not a directory" "$PZ_ERR"
ktap_result "bind-dir of a file: exit 1, one line: $(cat "$PZ_ERR")"
pz_run pzonectl bind-dir kst_c2 "$DIR"
[ "$PZ_RC" -eq 1 ] && [ "$(wc -l <"$PZ_ERR")" -eq 1 ] && grep -q "already bound to another pzone" "$PZ_ERR"
ktap_result "bind-dir of a directory bound to another pzone: exit 1, one line: $(cat "$PZ_ERR")"
pz_run pzonectl bind-dir kst_nosuch "$DIR"
[ "$PZ_RC" -eq 1 ] && [ "$(wc -l <"$PZ_ERR")" -eq 1 ] && grep -q "no such pzone" "$PZ_ERR"
ktap_result "bind-dir to a pzone that does not exist: exit 1, one line: $(cat "$PZ_ERR")"
pz_run pzonectl bind-dir "$POOL" "$PZ_TMP"
[ "$PZ_RC" -eq 1 ] && [ "$(wc -l <"$PZ_ERR")" -eq 1 ] && grep -q "on tmpfs, which a pool cannot reclaim" "$PZ_ERR"
ktap_result "bind-dir of a tmpfs directory: exit 1, one line: $(cat "$PZ_ERR")"
pz_run pzonectl bind-dir "$POOL" "$OVL"
[ "$PZ_RC" -eq 1 ] && [ "$(wc -l <"$PZ_ERR")" -eq 1 ] && grep -q "on overlayfs: bind its lower directory" "$PZ_ERR"
ktap_result "bind-dir of an overlayfs directory: exit 1, one line: $(cat "$PZ_ERR")"
pzonectl show "$POOL" --json | grep '"dirs"' >"$PZ_TMP/dirs.after"
pzonectl show kst_c2 --json | grep -q '"dirs": \[\]' &&
	cmp -s "$PZ_TMP/dirs.before" "$PZ_TMP/dirs.after"
ktap_result "the refused binds changed nothing"

# ---- unbind-dir: no new placement, the pool's pages stay ----
pool_before=$(file_kb "$P")
pz_run pzonectl unbind-dir "$POOL" "$DIR"
[ "$PZ_RC" -eq 0 ] && pzonectl show "$POOL" --json | grep -q '"dirs": \[\]'
ktap_result "unbind-dir: exit $PZ_RC, dirs is [] ($(cat "$PZ_OUT" "$PZ_ERR"))"
dd if=/dev/zero of="$DIR/after.dat" bs=1048576 count=8 2>/dev/null
sync
echo 1 >/proc/sys/vm/drop_caches
pz_bg "$PZ_TMP/after" pzonectl exec kst_c2 -- pzone_touch --read "$DIR/after.dat" --map --hold 0
after_pid=$PZ_LAST_PID
pz_wait_ready "$PZ_TMP/after" "$after_pid" 300
check_numa_maps "after unbind-dir, a new file under $DIR read in kst_c2 is on node $n2" \
	"$after_pid" "$n2" "$DIR/after.dat" 2048
pz_stop "$after_pid"

# ---- a bound directory removed since is unbound by its name ----
mkdir -p "$PZ_DISK/kst_gone"
pzonectl bind-dir "$POOL" "$PZ_DISK/kst_gone" >/dev/null
rmdir "$PZ_DISK/kst_gone"
ktap_diag "dirs after rmdir: $(pzonectl show "$POOL" --json | grep '"dirs"')"
pz_run pzonectl unbind-dir "$POOL" "$PZ_DISK/kst_gone"
[ "$PZ_RC" -eq 0 ] && pzonectl show "$POOL" --json | grep -q '"dirs": \[\]'
ktap_result "unbind-dir of a bound directory removed since: exit $PZ_RC ($(cat "$PZ_OUT" "$PZ_ERR"))"

check_dmesg_clean
ktap_finish
