#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# kmem_limit.sh - a pzone's kernel-memory limit (create --kernel-limit,
# memory.kmem.max of its cgroup) bounds what a kernel-memory bomb inside it
# takes from the base node.
#
# The bomb (kmem_bomb), in a 256M pzone: 1M lookups of missing names on
# the ext2 disk (negative dentries, 48-byte external names), 200k empty
# tmpfs files, 10k pipes with a page each; then it holds everything.  Slab
# of a confined task comes from the base node (patch 0009), pipe buffers
# fall back to it (0014), so without a limit the base node pays for all
# of it.  Run twice:
#  - no limit (today): every step succeeds; the base node's MemFree drop is
#    printed and must exceed limit + slack, or the bound checked below
#    would prove nothing;
#  - --kernel-limit 32M: the drop is at most limit + SLACK_MIB (slab pages
#    partly used by other objects, unaccounted maple-tree nodes of tmpfs
#    directories, per-CPU free lists), memory.kmem.current is at most the
#    limit, and some of the bomb's allocations fail (inodes and pipes
#    cannot be reclaimed; negative dentries can, and are).
# Both runs: a task in another pzone and one on the host still run, and
# nothing is OOM-killed.
# 330 to 630 s under TCG on a loaded host (1M lookups, 200k creates, twice):
# pzone-timeout: 1200

. "$(dirname "$0")/pzone_lib.sh"

NAME=kst_kmem
OTHER=kst_kmem_o
LIMIT_MIB=32
SLACK_MIB=16
NEG=${KMEM_NEG:-1000000}
INODES=${KMEM_INODES:-200000}
PIPES=${KMEM_PIPES:-10000}
TMPFS=$PZ_TMP/tmpfs
NEGDIR=$PZ_DISK/kst_kmem_neg

test_cleanup()
{
	rm -rf "$TMPFS"/* 2>/dev/null
	umount "$TMPFS" 2>/dev/null
	rmdir "$NEGDIR" 2>/dev/null
}

ktap_header
pz_require
pz_require_disk
pzone_exists "$NAME" && ktap_skip_all "pzone $NAME exists"
pzone_exists "$OTHER" && ktap_skip_all "pzone $OTHER exists"
ktap_plan 17
kmsg_mark

mkdir -p "$TMPFS" "$NEGDIR" || ktap_exit_fail_msg "mkdir $TMPFS $NEGDIR"
mount -t tmpfs -o size=64m,nr_inodes=0 kst_kmem "$TMPFS" ||
	ktap_exit_fail_msg "mount tmpfs on $TMPFS"
pz_create_checked "$OTHER" "$PZ_BASE" 64M

# field PHASE KEY: KEY=value of the bomb's PHASE line
field()
{
	sed -n "s/^$1 .*$2=\([^ ]*\).*/\1/p" "$PZ_TMP/bomb.out"
}

# bomb MODE: run the bomb in pzone $NAME; sets DROP_KB, USED, ASKED, GOT
bomb()
{
	_mode=$1
	if [ "$_mode" = limit ]; then
		pz_create_checked "$NAME" "$PZ_BASE" 256M --kernel-limit ${LIMIT_MIB}M
	else
		pz_create_checked "$NAME" "$PZ_BASE" 256M
	fi
	drop_caches
	_free0=$(node_meminfo_kb "$PZ_BASE" MemFree)
	pz_bg "$PZ_TMP/bomb.out" pzonectl exec "$NAME" -- kmem_bomb \
		--neg-dir "$NEGDIR" --neg "$NEG" --tmpfs-dir "$TMPFS" \
		--inodes "$INODES" --pipes "$PIPES"
	_pid=$PZ_LAST_PID
	READY=0
	pz_wait_ready "$PZ_TMP/bomb.out" "$_pid" 1200 && READY=1
	_free1=$(node_meminfo_kb "$PZ_BASE" MemFree)
	DROP_KB=$((_free0 - _free1))
	USED=$(cat "$(pzone_cgroup "$NAME")/memory.kmem.current" 2>/dev/null)
	KMAX=$(cat "$(pzone_cgroup "$NAME")/memory.kmem.max" 2>/dev/null)
	sed 's/^/# bomb: /' "$PZ_TMP/bomb.out" | grep -v ': ready$'
	ktap_diag "$_mode: base node $PZ_BASE MemFree $_free0 -> $_free1 kB: dropped $((DROP_KB / 1024)) MiB; memory.kmem.current ${USED:-?}"
	ASKED=$((NEG + INODES + PIPES))
	GOT=$(($(field neg ok) + $(field inodes ok) + $(field pipes ok)))
	ktap_check "$_mode: the bomb ran all its phases" [ "$READY" = 1 ]

	# The rest of the machine while the bomb holds its memory.
	pz_run pzonectl exec "$OTHER" -- pzone_touch --anon 32
	ktap_check "$_mode: a task in pzone $OTHER touches 32 MiB (exit $PZ_RC)" [ "$PZ_RC" -eq 0 ]
	pz_run sh -c 'i=0; while [ $i -lt 200 ]; do echo $i >"$1/host.$i" || exit 1; i=$((i + 1)); done; rm -f "$1"/host.*' sh "$PZ_TMP"
	ktap_check "$_mode: the host creates 200 files and forks (exit $PZ_RC)" [ "$PZ_RC" -eq 0 ]

	pz_stop "$_pid"
	ktap_diag "$_mode: the bomb exited $PZ_RC"
	rm -rf "${TMPFS:?}"/*
	pz_destroy "$NAME"
	ktap_check "$_mode: pzone $NAME destroyed (exit $PZ_RC)" [ "$PZ_RC" -eq 0 ]
	drop_caches
}

bomb nolimit
ktap_check "no limit: the bomb got all $ASKED objects ($GOT)" [ "$GOT" -eq "$ASKED" ]
ktap_check "no limit: the base node lost $((DROP_KB / 1024)) MiB, more than limit + slack ($((LIMIT_MIB + SLACK_MIB)) MiB): the bound below means something" \
	[ "$DROP_KB" -gt $(((LIMIT_MIB + SLACK_MIB) * 1024)) ]

bomb limit
ktap_check "limit ${LIMIT_MIB}M: exec set memory.kmem.max of $(pzone_cgroup "$NAME") (${KMAX:-none})" \
	[ "$KMAX" = $((LIMIT_MIB * 1048576)) ]
ktap_check "limit ${LIMIT_MIB}M: the base node lost $((DROP_KB / 1024)) MiB, at most limit + slack ($((LIMIT_MIB + SLACK_MIB)) MiB)" \
	[ "$DROP_KB" -le $(((LIMIT_MIB + SLACK_MIB) * 1024)) ]
ktap_check "limit ${LIMIT_MIB}M: memory.kmem.current ${USED:-?} <= $((LIMIT_MIB * 1048576))" \
	[ "${USED:-999999999999}" -le $((LIMIT_MIB * 1048576)) ]
ktap_check "limit ${LIMIT_MIB}M: some allocations of the bomb failed ($GOT of $ASKED objects)" \
	[ "$GOT" -lt "$ASKED" ]

# bind applies the limit too.
pz_create_checked "$NAME" "$PZ_BASE" 64M --kernel-limit 8M
pz_bg "$PZ_TMP/sleep.out" sleep 600
spid=$PZ_LAST_PID
pz_run pzonectl bind "$NAME" "$spid"
KMAX=$(cat "$(pzone_cgroup "$NAME")/memory.kmem.max" 2>/dev/null)
[ "$PZ_RC" -eq 0 ] && [ "$KMAX" = 8388608 ]
ktap_result "bind (exit $PZ_RC) set memory.kmem.max to 8M (${KMAX:-none})"
pz_stop "$spid"
pz_destroy "$NAME"

oom=$(dmesg_since_mark | grep -c -i "out of memory\|oom-kill")
ktap_check "no OOM kill ($oom kernel messages)" [ "$oom" -eq 0 ]
check_dmesg_clean
ktap_finish
