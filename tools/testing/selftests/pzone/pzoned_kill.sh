#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# pzoned_kill.sh - kill -9 of pzoned in the middle of a resize leaves every
# pzone consistent, and a restarted pzoned adopts the pzones and continues.
#
# Two pzones (standby 0, so that MemTotal accounts for every block).  Each
# round switches the config of kst_k1 between "guarantee 768 MiB" (pzoned
# grows it) and "limit 128 MiB" (pzoned shrinks it, dropping cache), sends
# SIGHUP and kills pzoned with SIGKILL a few ms later, while it is writing
# size_bytes.  After each kill:
#   - every pzone is "on", nr_blocks * 4 MiB == size_bytes == nodeD MemTotal
#   - MemTotal summed over all nodes is what it was before the test
# then pzoned is restarted: it logs "adopt" for both pzones (same names,
# nothing created) and brings kst_k1 to the size the config asks for.

if [ -f "$(dirname "$0")/pzone_lib.sh" ]; then
	. "$(dirname "$0")/pzone_lib.sh"
else
	cd /usr/lib/pzone/selftests || exit 4
	. ./pzone_lib.sh
fi

ROUNDS=6
MIB=1048576

ktap_header
pz_require
command -v pzoned >/dev/null 2>&1 || ktap_skip_all "pzoned not installed"
for n in kst_k1 kst_k2; do
	pzone_exists "$n" && ktap_skip_all "pzone $n exists"
done
ktap_plan $((2 + ROUNDS * 3 + 1))

CONF=$PZ_TMP/pzoned.conf
PZ_CREATED="$PZ_CREATED kst_k1 kst_k2"
sum0=$(sum_memtotal_kb)
kmsg_mark

conf_grow()
{
	printf 'kst_k1 %s 768M 1G 10 0\nkst_k2 %s 128M 512M 10 0\n' "$PZ_BASE" "$PZ_BASE" >"$CONF"
	WANT=$((768 * MIB))
}

conf_shrink()
{
	printf 'kst_k1 %s 128M 128M 10 0\nkst_k2 %s 128M 512M 10 0\n' "$PZ_BASE" "$PZ_BASE" >"$CONF"
	WANT=$((128 * MIB))
}

# consistent: every pzone on, nr_blocks*4M == size_bytes == nodeD MemTotal
consistent()
{
	_ok=0
	for _n in kst_k1 kst_k2; do
		_st=$(pzone_attr "$_n" state)
		_sz=$(pzone_attr "$_n" size_bytes)
		_nb=$(pzone_attr "$_n" nr_blocks)
		_mt=$(($(node_memtotal_kb "$(pzone_node "$_n")") * 1024))
		if [ "$_st" != on ] || [ "$_sz" != $((_nb * PZ_BLOCK)) ] || [ "$_sz" != "$_mt" ]; then
			ktap_diag "$_n: state $_st size_bytes $_sz nr_blocks $_nb MemTotal $_mt"
			_ok=1
		fi
	done
	return $_ok
}

# wait_state: until no pzone is "resizing" (10 s)
wait_state()
{
	for _w in $(seq 50); do
		[ "$(pzone_attr kst_k1 state)" = on ] && [ "$(pzone_attr kst_k2 state)" = on ] &&
			return 0
		sleep 0.2
	done
	return 1
}

start_daemon()
{
	pz_bg "$PZ_TMP/pzoned.$1.log" pzoned --json-log "$CONF"
	DAEMON=$PZ_LAST_PID
}

conf_shrink
start_daemon 0
for i in $(seq 100); do
	[ "$(pzone_attr kst_k1 size_bytes)" = $((128 * MIB)) ] &&
		[ "$(pzone_attr kst_k2 size_bytes)" = $((128 * MIB)) ] && break
	sleep 0.2
done
ktap_check "pzoned creates both pzones" grep -q '"pzone":"kst_k2","action":"create"' "$PZ_TMP/pzoned.0.log"
# page cache in kst_k1, so that shrinks have something to drop
pz_file "$PZ_TMP/cache"
pzonectl exec kst_k1 -- sh -c "dd if=/dev/zero of=$PZ_TMP/cache bs=1M count=64 2>/dev/null"
ktap_check "both consistent before the first kill" consistent

# adopted ROUND: kst_k1 has the wanted size and the daemon of ROUND logged
# that it adopted both pzones
adopted()
{
	[ "$(pzone_attr kst_k1 size_bytes)" = "$WANT" ] &&
		grep -q '"pzone":"kst_k1","action":"adopt"' "$PZ_TMP/pzoned.$1.log" &&
		grep -q '"pzone":"kst_k2","action":"adopt"' "$PZ_TMP/pzoned.$1.log"
}

midway=0
r=1
while [ $r -le $ROUNDS ]; do
	if [ $((r % 2)) = 1 ]; then conf_grow; else conf_shrink; fi
	kill -HUP "$DAEMON"
	# SIGHUP is handled within a few ms; the resize takes longer in TCG
	usleep $((2000 * r)) 2>/dev/null || sleep 0.01
	st=$(pzone_attr kst_k1 state)
	kill -KILL "$DAEMON"
	pz_reap "$DAEMON" 2>/dev/null
	[ "$st" = resizing ] && midway=$((midway + 1))
	wait_state
	ktap_check "round $r: kill -9 (kst_k1 was '$st', size now $(($(pzone_attr kst_k1 size_bytes) / MIB)) MiB): every pzone consistent" consistent
	ktap_check "round $r: sum of MemTotal unchanged" [ "$(sum_memtotal_kb)" = "$sum0" ]
	start_daemon $r
	# wait for the size and the adoption lines: when the kill landed after
	# the resize, the size is right before the new daemon has even started
	for i in $(seq 150); do
		adopted "$r" && break
		sleep 0.2
	done
	adopted "$r" && ! grep -q '"action":"create"' "$PZ_TMP/pzoned.$r.log"
	ktap_result "round $r: restarted pzoned adopts both and brings kst_k1 to $((WANT / MIB)) MiB"
	r=$((r + 1))
done
ktap_diag "$midway of $ROUNDS kills landed while kst_k1 was resizing"
kill -TERM "$DAEMON"
pz_reap "$DAEMON"
rm -f "$PZ_TMP/cache"
pz_destroy kst_k1 >/dev/null
pz_destroy kst_k2 >/dev/null
ktap_check "sum of MemTotal back to the start after destroy" [ "$(sum_memtotal_kb)" = "$sum0" ]
ktap_finish
