#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# relink_stress.sh - the walkers that read page_zone() and then lock that
# zone, run against pzone's relinking of blocks between zones.
#
# While a pzone with checksummed anonymous and tmpfs data in it grows and
# shrinks (blocks relinked from the base node's zone to the pzone's and
# back), other tasks, for RELINK_SECS (default 30; 600 for the issue's
# 10-minute run):
#   - allocate and free a 1 GiB hugetlb page on the base node
#     (alloc_contig_range: set/unset_migratetype_isolate,
#     test_pages_isolated);
#   - try to offline memory blocks of the base node, and online them again
#     (the isolation walkers again; lent blocks must be refused);
#   - run compact_memory.
# Expected: no warning, BUG, KASAN or lockdep report; the data intact; the
# hugetlb pool back to 0; every memory block online again; after destroy,
# the base node's MemTotal and the sum over all nodes exactly as before.

if [ -f "$(dirname "$0")/pzone_lib.sh" ]; then
	. "$(dirname "$0")/pzone_lib.sh"
else
	cd /usr/lib/pzone/selftests || exit 4
	. ./pzone_lib.sh
fi

NAME=kst_relink
SECS=${RELINK_SECS:-30}
HP=$PZ_NODE_SYSFS/node$PZ_BASE/hugepages/hugepages-1048576kB/nr_hugepages
SHM=/tmp/kst_relink.shm

ktap_header
pz_require
command -v pzone_integrity >/dev/null 2>&1 || ktap_skip_all "pzone_integrity not built"
[ -w "$HP" ] || ktap_skip_all "no 1 GiB hugetlb pages on node $PZ_BASE ($HP)"
[ "$(cat "$HP")" = 0 ] || ktap_skip_all "node $PZ_BASE has 1 GiB hugetlb pages already"
pzone_exists "$NAME" && ktap_skip_all "pzone $NAME exists"
ktap_plan 10
kmsg_mark
base0=$(node_memtotal_kb "$PZ_BASE")
sum0=$(sum_memtotal_kb)
END=$(($(date +%s) + SECS))

hugetlb_loop()
{
	ok=0 fail=0
	while [ "$(date +%s)" -lt "$END" ]; do
		# bounded: a 1 GiB allocation migrates a lot under TCG
		if timeout 30 sh -c "echo 1 >'$HP'" 2>/dev/null && [ "$(cat "$HP")" = 1 ]; then
			ok=$((ok + 1))
		else
			fail=$((fail + 1))
		fi
		echo 0 >"$HP"
	done
	echo "hugetlb ok $ok fail $fail left $(cat "$HP")"
}

offline_loop()
{
	ok=0 refused=0 reonline_fail=0
	while [ "$(date +%s)" -lt "$END" ]; do
		for m in "$PZ_NODE_SYSFS/node$PZ_BASE"/memory*; do
			[ "$(date +%s)" -lt "$END" ] || break
			[ -w "$m/state" ] || continue
			[ "$(cat "$m/state")" = online ] || continue
			if timeout 10 sh -c "echo offline >'$m/state'" 2>/dev/null; then
				ok=$((ok + 1))
				echo "relink_stress: ${m##*/} offline" >/dev/kmsg
				echo online_kernel >"$m/state" 2>/dev/null ||
					echo online >"$m/state" 2>/dev/null ||
					reonline_fail=$((reonline_fail + 1))
			else
				refused=$((refused + 1))
			fi
		done
	done
	echo "offline ok $ok refused $refused reonline_fail $reonline_fail"
}

compact_loop()
{
	n=0
	while [ "$(date +%s)" -lt "$END" ]; do
		echo 1 >/proc/sys/vm/compact_memory
		n=$((n + 1))
		sleep 0.5
	done
	echo "compact $n"
}

pz_create_checked "$NAME" "$PZ_BASE" 256M
D=$(pzone_attr "$NAME" node)
pz_file "$SHM"
pz_bg "$PZ_TMP/work" pzonectl exec "$NAME" -- pzone_integrity --anon 48 \
	--tmpfs "$SHM" --tmpfs-mib 16 --fragment 32 --interval 50
WORK=$PZ_LAST_PID
pz_wait_ready "$PZ_TMP/work" "$WORK" 300 || ktap_exit_fail_msg "pzone_integrity did not start"

pz_bg "$PZ_TMP/hugetlb" hugetlb_loop
HPID=$PZ_LAST_PID
pz_bg "$PZ_TMP/offline" offline_loop
OPID=$PZ_LAST_PID
pz_bg "$PZ_TMP/compact" compact_loop
CPID=$PZ_LAST_PID

grows=0 shrinks=0 refused=0 failed=""
while [ "$(date +%s)" -lt "$END" ]; do
	for sz in 512M 256M; do
		if echo "$sz" >"$PZ_SYSFS/$NAME/size_bytes" 2>"$PZ_TMP/rs.err"; then
			[ "$sz" = 512M ] && grows=$((grows + 1)) || shrinks=$((shrinks + 1))
		else
			e=$(cat "$PZ_TMP/rs.err")
			case $e in
			*"No space left"* | *"Device or resource busy"* | *"Cannot allocate memory"*)
				refused=$((refused + 1)) ;;
			*)	failed="$failed [$sz: $e: $(pzone_attr "$NAME" last_error)]" ;;
			esac
		fi
		kill -USR2 "$WORK" 2>/dev/null	# scatter the free memory again
	done
done
pz_reap "$HPID"
pz_reap "$OPID"
pz_reap "$CPID"
pz_stop "$WORK"
ktap_diag "resizes: $grows grows, $shrinks shrinks, $refused refused"
ktap_diag "$(cat "$PZ_TMP/hugetlb") / $(cat "$PZ_TMP/offline") / $(cat "$PZ_TMP/compact")"
ktap_diag "workload: $(tail -n 1 "$PZ_TMP/work")"
ktap_check "resizes ran ($grows grows, $shrinks shrinks)" [ "$grows" -gt 0 -a "$shrinks" -gt 0 ]
ktap_check "no resize failed other than by a refusal${failed:+:$failed}" [ -z "$failed" ]
ktap_check "data intact" grep -q '^mismatches 0 ' "$PZ_TMP/work"
ktap_check "hugetlb pool back to 0 ($(cat "$HP"))" [ "$(cat "$HP")" = 0 ]
off=""
for m in /sys/devices/system/memory/memory*; do
	[ "$(cat "$m/state")" = online ] || off="$off ${m##*/}"
done
ktap_check "every memory block online${off:+ (offline:$off)}" [ -z "$off" ]
pz_destroy "$NAME" >/dev/null
ktap_check "destroyed" [ "$PZ_RC" -eq 0 ]
wait_no_draining 20
node_gone() { ! node_is_online "$1"; }
ktap_check "node $D offline once nothing drains" node_gone "$D"
base1=$(node_memtotal_kb "$PZ_BASE")
ktap_check "base node MemTotal exactly as before ($base0 kB, now $base1 kB)" \
	[ "$base1" = "$base0" ]
ktap_check "sum of MemTotal exactly as before ($sum0 kB)" [ "$(sum_memtotal_kb)" = "$sum0" ]
check_dmesg_clean
ktap_finish
