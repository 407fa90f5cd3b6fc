#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# resize_torture.sh - many random resizes under a workload that checks its
# data all the time.  A 256M pzone on the base node runs pzone_integrity
# (48 MiB anonymous, 16 MiB tmpfs file, 16 MiB page cache of a disk file)
# with its anonymous memory spread over many blocks (--fragment; and every
# 10 steps the test grows the pzone to at least 192M and has the workload
# spread it again with SIGUSR2, as migrations compact it), while the
# test writes PZONE_TORTURE_OPS (200) random sizes to size_bytes: half of
# them in 64M..512M, half in 64M..160M (close to what the pages need, so
# that shrinks must migrate pages or be refused), in 4 MiB steps.  Sizes
# come from awk's rand() seeded with PZONE_TORTURE_SEED (default: the
# time), printed for reproducing a run.
#   - A grow must succeed; a shrink may be refused with ENOSPC (the pages
#     would not fit) or EBUSY (blocks could not be emptied), and then the
#     pzone must be exactly as before.
#   - After a successful resize, size_bytes, nr_blocks and nodeD MemTotal
#     say the new size exactly.
#   - After every step the MemTotal sum over all nodes is what it was.
#   - The workload stays alive; every 20 steps no page of its anonymous
#     memory and files is outside node D.
#   - Some shrinks emptied blocks by migration (stats blocks_evacuated).
#   - At the end the workload found no mismatch, the pzone is destroyed and
#     the base node's MemTotal is what it was before the create.

. "$(dirname "$0")/pzone_lib.sh"
. "$(dirname "$0")/resize_lib.sh"

NAME=kst_torture
OPS=${PZONE_TORTURE_OPS:-200}
SEED=${PZONE_TORTURE_SEED:-$(($(date +%s) % 100000 + $$))}
CHECK_EVERY=20
REFRAG_EVERY=10
REFRAG_SIZE=$((192 * 1048576))
TMPFILE=/tmp/kst_torture.shm
DISKFILE=$PZ_DISK/kst_torture.dat
MAX_DIAG=10

ktap_header
pz_require
pz_require_disk
command -v pzone_integrity >/dev/null 2>&1 || ktap_skip_all "pzone_integrity not built"
ktap_plan 14

kmsg_mark
t_start=$(date +%s)
ktap_diag "seed $SEED, $OPS resizes (PZONE_TORTURE_SEED=$SEED PZONE_TORTURE_OPS=$OPS to repeat)"
sum0=$(sum_memtotal_kb)
base_mark
pz_file "$TMPFILE"
pz_file "$DISKFILE"

pz_create_checked "$NAME" "$PZ_BASE" 256M
D=$(pzone_node "$NAME")
pz_bg "$PZ_TMP/work.out" pzonectl exec "$NAME" -- pzone_integrity \
	--anon 48 --fragment 32 --tmpfs "$TMPFILE" --tmpfs-mib 16 \
	--disk "$DISKFILE" --disk-mib 16
wpid=$PZ_LAST_PID
pz_wait_ready "$PZ_TMP/work.out" "$wpid" 120 ||
	ktap_exit_fail_msg "pzone_integrity in $NAME did not get ready"
kill -0 "$wpid" 2>/dev/null && grep -qx "$wpid" "$(pzone_cgroup "$NAME")/cgroup.procs"
ktap_result "pzone_integrity runs in $NAME (node $D)"

awk -v seed="$SEED" -v n="$OPS" \
	'BEGIN { srand(seed); for (i = 0; i < n; i++)
		print 64 + 4 * int(rand() * (rand() < 0.5 ? 113 : 25)) }' \
	>"$PZ_TMP/sizes"

# numa_ok: the workload's anonymous memory and both files are on node D only.
numa_ok()
{
	for _sel in anon "$TMPFILE" "$DISKFILE"; do
		set -- $(numa_maps_pages "$wpid" "$D" "$_sel")
		if [ "${2:-1}" -ne 0 ]; then
			bad "step $i: $_sel: ${1:-?} pages on node $D, ${2:-?} elsewhere"
			awk -v sel="$_sel" '/ N[0-9]+=/ && ((sel == "anon" && !/ file=/) ||
				index($0, " file=" sel " "))' "/proc/$wpid/numa_maps" |
				head -n 5 | sed 's/^/#   /'
			return 1
		fi
	done
	return 0
}

# The loop below forks as little as it can (a command substitution costs
# about 25 ms in the TCG guest, a builtin read well under 1 ms).

# geom_read: G = "size_bytes nr_blocks MemTotal-bytes" of the pzone.
geom_read()
{
	read -r _gs <"$PZ_SYSFS/$NAME/size_bytes"
	read -r _gn <"$PZ_SYSFS/$NAME/nr_blocks"
	read -r _ _ _ _gm _ <"$PZ_NODE_SYSFS/node$D/meminfo"	# MemTotal
	G="$_gs $_gn $((_gm * 1024))"
}

# sum_read: S = MemTotal summed over the online nodes (kB).
sum_read()
{
	read -r _on <"$PZ_NODE_SYSFS/online"
	if [ "$_on" != "${_on_cached:-}" ]; then
		_on_cached=$_on
		_on_nodes=$(expand_nodelist "$_on")
	fi
	S=0
	for _n in $_on_nodes; do
		read -r _ _ _ _kb _ <"$PZ_NODE_SYSFS/node$_n/meminfo"
		S=$((S + _kb))
	done
}

# resize_to BYTES: write size_bytes; 0 or 1 with the errno name in PZ_ERRNO.
resize_to()
{
	PZ_ERRNO=""
	pzone_write "$PZ_SYSFS/$NAME/size_bytes" "$1" >"$PZ_TMP/errno" && return 0
	read -r PZ_ERRNO <"$PZ_TMP/errno"
	return 1
}

ndiag=0
# bad MSG: a diagnostic, only the first MAX_DIAG of them.
bad()
{
	ndiag=$((ndiag + 1))
	[ $ndiag -le $MAX_DIAG ] && ktap_diag "$*"
	[ $ndiag -eq $MAX_DIAG ] && ktap_diag "(further diagnostics suppressed)"
	return 0
}

# step NEW: one resize to NEW bytes and the checks after it.
step()
{
	new=$1
	geom_read
	before=$G
	cur=$_gs
	if resize_to "$new"; then
		if [ "$new" -gt "$cur" ]; then
			grow_ok=$((grow_ok + 1))
		elif [ "$new" -lt "$cur" ]; then
			shrink_ok=$((shrink_ok + 1))
		else
			same=$((same + 1))
		fi
		geom_read
		if [ "$G" != "$new $((new / PZ_BLOCK)) $new" ]; then
			geom_bad=$((geom_bad + 1))
			bad "step $i: $cur -> $new: geometry now $G"
		fi
	else
		if [ "$new" -lt "$cur" ] &&
		   { [ "$PZ_ERRNO" = ENOSPC ] || [ "$PZ_ERRNO" = EBUSY ]; }; then
			shrink_refused=$((shrink_refused + 1))
		elif [ "$new" -lt "$cur" ]; then
			shrink_fail=$((shrink_fail + 1))
			bad "step $i: shrink $cur -> $new: $PZ_ERRNO: $(pzone_attr "$NAME" last_error)"
		else
			grow_fail=$((grow_fail + 1))
			bad "step $i: grow $cur -> $new: $PZ_ERRNO: $(pzone_attr "$NAME" last_error)"
		fi
		geom_read
		if [ "$G" != "$before" ]; then
			refused_changed=$((refused_changed + 1))
			bad "step $i: failed $cur -> $new ($PZ_ERRNO) changed '$before' to '$G'"
		fi
	fi
	sum_read
	if [ "$S" != "$sum0" ]; then
		sum_bad=$((sum_bad + 1))
		bad "step $i: $cur -> $new: MemTotal sum $S kB, was $sum0 kB"
	fi
}

# refragment: grow to REFRAG_SIZE if smaller (room for the workload's
# scratch pages), then SIGUSR2 and wait for "refragmented N".
refragment()
{
	read -r _rs <"$PZ_SYSFS/$NAME/size_bytes"
	[ "$_rs" -lt "$REFRAG_SIZE" ] && step "$REFRAG_SIZE"
	kill -USR2 "$wpid" 2>/dev/null || return 1
	nrefrag=$((nrefrag + 1))
	_rw=0
	while ! grep -qx "refragmented $nrefrag" "$PZ_TMP/work.out"; do
		kill -0 "$wpid" 2>/dev/null || return 1
		if [ $_rw -ge 300 ]; then
			bad "step $i: no 'refragmented $nrefrag' after 60 s"
			return 1
		fi
		sleep 0.2
		_rw=$((_rw + 1))
	done
	return 0
}

grow_ok=0
grow_fail=0
shrink_ok=0
shrink_refused=0
shrink_fail=0
same=0
geom_bad=0
refused_changed=0
sum_bad=0
numa_bad=0
numa_checks=0
nrefrag=0
refrag_bad=0
dead=0
i=0
t_ops=$(date +%s)
while read -r mib <&3; do
	i=$((i + 1))
	step $((mib * PZ_MIB))
	if [ $((i % REFRAG_EVERY)) -eq 0 ] && ! refragment; then
		refrag_bad=$((refrag_bad + 1))
	fi
	if [ $((i % CHECK_EVERY)) -eq 0 ]; then
		numa_checks=$((numa_checks + 1))
		numa_ok || numa_bad=$((numa_bad + 1))
	fi
	if ! kill -0 "$wpid" 2>/dev/null; then
		dead=1
		bad "step $i: the workload died"
		break
	fi
done 3<"$PZ_TMP/sizes"
t_end=$(date +%s)

ktap_diag "$i steps in $((t_end - t_ops)) s: grows ok $grow_ok, shrinks ok $shrink_ok," \
	"shrinks refused $shrink_refused, unchanged $same, refragments $nrefrag;" \
	"grows failed $grow_fail, shrinks failed otherwise $shrink_fail"
ktap_diag "stats: $(tr '\n' ' ' <"$PZ_SYSFS/$NAME/stats")"
ktap_diag "last_error: $(pzone_attr "$NAME" last_error)"

[ $i -eq "$OPS" ] && [ $dead -eq 0 ] && [ $refrag_bad -eq 0 ]
ktap_result "all $OPS steps (and $nrefrag refragments) ran with the workload alive"
ktap_check "every grow succeeded" [ $grow_fail -eq 0 ]
ktap_check "every failed shrink failed with ENOSPC or EBUSY" [ $shrink_fail -eq 0 ]
ktap_check "every successful resize: size_bytes, nr_blocks, MemTotal = new size" \
	[ $geom_bad -eq 0 ]
ktap_check "every refused resize left size_bytes, nr_blocks, MemTotal as they were" \
	[ $refused_changed -eq 0 ]
ktap_check "MemTotal sum unchanged after every step" [ $sum_bad -eq 0 ]
ktap_check "some shrinks emptied blocks by migration (blocks_evacuated > 0)" \
	[ "$(pz_stat "$NAME" blocks_evacuated)" -gt 0 ]
numa_checks=$((numa_checks + 1))
numa_ok || numa_bad=$((numa_bad + 1))
ktap_check "no page of the workload outside node $D ($numa_checks checks)" \
	[ $numa_bad -eq 0 ]
integrity_stop "the workload found every page intact" "$wpid" "$PZ_TMP/work.out"

rm -f "$TMPFILE" "$DISKFILE"
drop_caches
pz_destroy "$NAME"
destroy_rc=$PZ_RC
if pzone_exists "$NAME"; then
	# Only so that the base-node checks below can still run: the plain
	# destroy failed, and that stays a failure.
	pz_run pzonectl destroy "$NAME" --evacuate
	ktap_diag "pzonectl destroy $NAME --evacuate (cleanup): exit $PZ_RC: $(cat "$PZ_ERR")"
	[ "$PZ_RC" -eq 0 ] && PZ_CREATED=""
fi
ktap_check "destroy $NAME (without --evacuate, at the first try)" [ "$destroy_rc" -eq 0 ]
check_base_restored
check_dmesg_clean
ktap_diag "elapsed $(($(date +%s) - t_start)) s (resizes $((t_end - t_ops)) s)"

ktap_finish
