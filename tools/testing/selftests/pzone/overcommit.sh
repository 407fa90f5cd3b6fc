#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# overcommit.sh - pzoned lends the base node's spare memory to the pzone
# whose workload is at its peak, and takes it back afterwards.
#
# Four pzones on base node 1, each with a guarantee and a limit four times
# larger.  Four workloads, one per pzone, each holding a little memory all
# along; their peaks (checksummed anonymous memory twice the guarantee plus
# page cache read from $PZ_DISK) come one after another: each holds its
# peak for 3 s, verifies the checksum, then drops back before the next one
# starts.
#
# Sizes: the issue's scenario.  512 MiB guarantees, 2 GiB limits, 64 MiB
# standby, 100 MiB held all along and peaks of 1 GiB anon + 512 MiB page
# cache (1.6 GiB) on node 1 (4 GiB, all ZONE_NORMAL in the QEMU guest):
# guarantees add up to 2 GiB, one peak to 1.1 GiB above its guarantee.
# OVERCOMMIT_HALF=1 halves every size, for a smaller machine.
#
# Run twice:
#   daemon: pzoned manages the pzones: no OOM kill, every workload
#           completes, every checksum matches;
#   static: the same pzones held at their guarantee, no daemon: every
#           workload is OOM-killed at its peak (1 GiB of anonymous memory
#           does not fit in 512 MiB and there is no swap).
# Prints, last, one JSON line per mode:
#   {"scenario":"overcommit","daemon":true|false,"oom_kills":N,"completed":N,"mismatches":N}
#
# Runs alone with
#	make vm-run SCRIPT=tools/testing/selftests/pzone/overcommit.sh
#
# --plot DIR: also record, in DIR, every pzone's size twice a second in
# both modes (sizes.dat: "MODE SECONDS SIZE1..SIZE4", MiB, seconds since
# the mode started) and the OOM kills (kills.dat: "MODE SECONDS PZONE"),
# and print both files last, each line prefixed with "PZPLOT ", for the
# host to pick out of the console log: tests/qemu/plot_overcommit.sh
# draws build/demo/overcommit.png from them (make demo does both).

if [ -f "$(dirname "$0")/pzone_lib.sh" ]; then
	. "$(dirname "$0")/pzone_lib.sh"
else
	cd /usr/lib/pzone/selftests || exit 4
	. ./pzone_lib.sh
fi

NR=4
if [ "${OVERCOMMIT_HALF:-0}" = 1 ]; then
	GUAR_MIB=256 LIMIT_MIB=1024 STANDBY_MIB=32 BASE_MIB=64 ANON_MIB=512 FILE_MIB=256
	scaled=" (half of the issue's sizes)"
else
	GUAR_MIB=512 LIMIT_MIB=2048 STANDBY_MIB=64 BASE_MIB=100 ANON_MIB=1024 FILE_MIB=512
	scaled=""
fi
PLOT_DIR=
if [ "${1:-}" = --plot ]; then
	PLOT_DIR=${2:?overcommit.sh: --plot needs a directory}
	mkdir -p "$PLOT_DIR" || exit 1
	: >"$PLOT_DIR/sizes.dat"
	: >"$PLOT_DIR/kills.dat"
fi
HOLD_S=3
PEAK_TIMEOUT_S=120
FILE=$PZ_DISK/pzoned_overcommit.dat

ktap_header
pz_require
pz_require_disk
command -v pzoned >/dev/null 2>&1 || ktap_skip_all "pzoned not installed"
command -v pzoned_load >/dev/null 2>&1 || ktap_skip_all "pzoned_load not built"

# Scale to the guest: the 4 GiB node 1 of the QEMU guest runs full size.
node_kb=$(node_memtotal_kb "$PZ_BASE")
for n in $(ls "$PZ_SYSFS"); do
	[ -f "$PZ_SYSFS/$n/base_node" ] || continue
	ktap_skip_all "pzone $n exists: this test needs node $PZ_BASE to itself"
done
ktap_diag "node $PZ_BASE: MemTotal $((node_kb / 1024)) MiB, free $(($(node_meminfo_kb "$PZ_BASE" MemFree) / 1024)) MiB"
ktap_diag "$NR pzones: guarantee $GUAR_MIB MiB, limit $LIMIT_MIB MiB, standby $STANDBY_MIB MiB;" \
	"workloads: $BASE_MIB MiB always, peak +$ANON_MIB MiB anon +$FILE_MIB MiB page cache, one after another$scaled"

ktap_plan 11

sum0=$(sum_memtotal_kb)
kmsg_mark
pz_file "$FILE"
dd if=/dev/zero of="$FILE" bs=1048576 count="$FILE_MIB" 2>/dev/null ||
	ktap_exit_fail_msg "cannot write $FILE_MIB MiB to $FILE"
drop_caches

CONF=$PZ_TMP/pzoned.conf
{
	echo "# NAME BASE_NODE GUARANTEE LIMIT PRIORITY STANDBY"
	i=1
	while [ $i -le $NR ]; do
		echo "oc$i $PZ_BASE ${GUAR_MIB}M ${LIMIT_MIB}M 10 ${STANDBY_MIB}M"
		PZ_CREATED="$PZ_CREATED oc$i"
		i=$((i + 1))
	done
} >"$CONF"

DAEMON=
SAMPLER=
test_cleanup()
{
	[ -n "$SAMPLER" ] && kill -TERM "$SAMPLER" 2>/dev/null
	[ -n "$DAEMON" ] && kill -TERM "$DAEMON" 2>/dev/null
	for _i in 1 2 3 4; do
		[ -d "$PZ_SYSFS/oc$_i" ] && echo 0 >"$PZ_SYSFS/oc$_i/standby_bytes"
	done
}

# size_of NAME
size_of()
{
	pzone_attr "$1" size_bytes
}

# wait_for SECS CMD...: poll CMD every 0.2 s
wait_for()
{
	_wf_left=$(($1 * 5))
	shift
	while [ $_wf_left -gt 0 ]; do
		"$@" && return 0
		sleep 0.2
		_wf_left=$((_wf_left - 1))
	done
	"$@"
}

all_at_guarantee()
{
	for _i in $(seq $NR); do
		[ "$(size_of "oc$_i")" = $((GUAR_MIB * 1048576)) ] || return 1
	done
}

uptime_s()
{
	cut -d' ' -f1 /proc/uptime
}

# plot_start MODE: with --plot, sample the sizes in the background.
plot_start()
{
	[ -n "$PLOT_DIR" ] || return 0
	PLOT_T0=$(uptime_s)
	(
		while :; do
			_t=$(uptime_s)
			_l="$1 $(echo "$_t $PLOT_T0" | awk '{ printf "%.1f", $1 - $2 }')"
			for _j in $(seq $NR); do
				_l="$_l $(($(size_of "oc$_j") / 1048576))"
			done
			echo "$_l" >>"$PLOT_DIR/sizes.dat"
			sleep 0.5
		done
	) &
	SAMPLER=$!
}

# plot_stop MODE: stop sampling; the OOM kills of the workloads of MODE
# (kernel log times) into kills.dat.
plot_stop()
{
	[ -n "$PLOT_DIR" ] || return 0
	kill -TERM "$SAMPLER" 2>/dev/null
	wait "$SAMPLER" 2>/dev/null
	SAMPLER=
	for _i in $(seq $NR); do
		eval "_p=\$_pid$_i"
		sed -n "s/^\[ *\([0-9.]*\)\] Out of memory: Killed process $_p (.*/\1/p" \
			"$PZ_TMP/dmesg.$1" | while read -r _t; do
			echo "$1 $(echo "$_t $PLOT_T0" | awk '{ printf "%.1f", $1 - $2 }') $_i"
		done >>"$PLOT_DIR/kills.dat"
	done
}

# run_workloads MODE: start the NR workloads, peak them one after another;
# sets OOM, DONE, BAD.
run_workloads()
{
	_mode=$1
	_pids=""
	for _i in $(seq $NR); do
		pz_bg "$PZ_TMP/w$_mode$_i.out" pzonectl exec "oc$_i" -- pzoned_load \
			--base "$BASE_MIB" --anon "$ANON_MIB" --file "$FILE" \
			--hold "$HOLD_S" --wait --linger
		_pids="$_pids $PZ_LAST_PID"
		eval "_pid$_i=$PZ_LAST_PID"
	done
	_ready=0
	for _i in $(seq $NR); do
		eval "_p=\$_pid$_i"
		pz_wait_ready "$PZ_TMP/w$_mode$_i.out" "$_p" 60 && _ready=$((_ready + 1))
	done
	WL_READY=$_ready
	for _i in $(seq $NR); do
		eval "_p=\$_pid$_i"
		_t0=$(date +%s)
		kill -USR1 "$_p" 2>/dev/null
		_left=$((PEAK_TIMEOUT_S * 5))
		while [ $_left -gt 0 ] && kill -0 "$_p" 2>/dev/null &&
			! grep -qx dropped "$PZ_TMP/w$_mode$_i.out"; do
			sleep 0.2
			_left=$((_left - 1))
		done
		_st="dropped"
		kill -0 "$_p" 2>/dev/null || _st="died"
		[ $_left -gt 0 ] || _st="timed out"
		ktap_diag "$_mode: workload $_i peak: $_st after $(($(date +%s) - _t0)) s;" \
			"pzone sizes:$(for _j in $(seq $NR); do printf ' %s' $(($(size_of "oc$_j") / 1048576)); done) MiB," \
			"node $PZ_BASE free $(($(node_meminfo_kb "$PZ_BASE" MemFree) / 1024)) MiB"
	done
	OOM=0 DONE=0 BAD=0
	for _i in $(seq $NR); do
		eval "_p=\$_pid$_i"
		kill -TERM "$_p" 2>/dev/null
		pz_reap "$_p"
		_out=$PZ_TMP/w$_mode$_i.out
		grep '^#' "$_out" | sed "s/^# /#   $_mode w$_i: /"
		[ "$PZ_RC" -eq 137 ] && OOM=$((OOM + 1))
		[ "$PZ_RC" -eq 0 ] && grep -qx verified "$_out" && grep -qx done "$_out" &&
			DONE=$((DONE + 1))
		BAD=$((BAD + $(grep -c mismatch "$_out")))
		[ "$PZ_RC" -eq 0 ] || ktap_diag "$_mode: workload $_i exit status $PZ_RC"
	done
	dmesg_since_mark >"$PZ_TMP/dmesg.$_mode"
	KILLED=$(grep -c 'Killed process' "$PZ_TMP/dmesg.$_mode")
	kmsg_mark
}

# ---- with pzoned ----
start=$(date +%s)
pz_bg "$PZ_TMP/pzoned.log" pzoned --json-log "$CONF"
DAEMON=$PZ_LAST_PID
wait_for 60 all_at_guarantee
ktap_result "pzoned creates the $NR pzones at their guarantee ($GUAR_MIB MiB)"

plot_start daemon
run_workloads daemon
plot_stop daemon
D_OOM=$KILLED D_DONE=$DONE D_BAD=$BAD D_READY=$WL_READY
[ "$D_READY" -eq $NR ] && [ "$D_OOM" -eq 0 ] && [ "$OOM" -eq 0 ]
ktap_result "with pzoned: 0 OOM kills (kernel log: $D_OOM, killed workloads: $OOM)"
ktap_check "with pzoned: every workload completes ($D_DONE of $NR)" [ "$D_DONE" -eq $NR ]
ktap_check "with pzoned: every checksum verified ($D_BAD mismatches)" [ "$D_BAD" -eq 0 ]

grows=$(grep -c '"action":"grow"' "$PZ_TMP/pzoned.log")
shrinks=$(grep -c '"action":"shrink"' "$PZ_TMP/pzoned.log")
below=$(awk -v g=$((GUAR_MIB * 1048576)) -F'"to_bytes":' '
	/"action":"shrink"/ { split($2, a, ","); if (a[1] + 0 < g) n++ }
	END { print n + 0 }' "$PZ_TMP/pzoned.log")
for i in $(seq $NR); do
	[ "$(size_of "oc$i")" -ge $((GUAR_MIB * 1048576)) ] || below=$((below + 1))
done
ktap_check "every pzone kept at least its guarantee ($below shrinks below it)" [ "$below" -eq 0 ]
[ "$grows" -ge $NR ] && [ "$shrinks" -ge 1 ]
ktap_result "pzoned lent memory and took it back ($grows grows, $shrinks shrinks)"
grep -E '"action":"(grow|shrink|error|standby)"' "$PZ_TMP/pzoned.log" | head -n 60 | sed 's/^/#   pzoned: /'

kill -TERM "$DAEMON"
pz_reap "$DAEMON"
DAEMON=
sizes=$(for i in $(seq $NR); do printf '%s ' "$(size_of "oc$i")"; done)
ktap_check "pzoned exits 0 on SIGTERM, pzones left as they are" [ "$PZ_RC" -eq 0 ]
ktap_diag "daemon mode took $(($(date +%s) - start)) s; sizes left: $sizes"

# ---- static: the same pzones at their guarantee, no daemon ----
start=$(date +%s)
for i in $(seq $NR); do
	echo 0 >"$PZ_SYSFS/oc$i/standby_bytes" 2>/dev/null
	pzonectl resize "oc$i" "${GUAR_MIB}M" --reclaim >/dev/null 2>"$PZ_ERR" ||
		ktap_diag "resize oc$i to ${GUAR_MIB}M: $(cat "$PZ_ERR")"
done
all_at_guarantee
ktap_result "static: the $NR pzones back at their guarantee, no daemon"
plot_start static
run_workloads static
plot_stop static
S_OOM=$KILLED S_DONE=$DONE S_BAD=$BAD
[ "$S_OOM" -eq $NR ] && [ "$OOM" -eq $NR ] && [ "$S_DONE" -eq 0 ]
ktap_result "static: every workload above its guarantee is OOM-killed ($S_OOM kills, $S_DONE completed)"
ktap_diag "static mode took $(($(date +%s) - start)) s"

for i in $(seq $NR); do
	pz_destroy "oc$i" >/dev/null
done
ktap_check "sum of MemTotal over all nodes unchanged" [ "$(sum_memtotal_kb)" = "$sum0" ]
# OOM reports carry call traces by design: look for warnings only.
dmesg_since_mark >"$PZ_TMP/dmesg.end"
cat "$PZ_TMP/dmesg.daemon" "$PZ_TMP/dmesg.static" "$PZ_TMP/dmesg.end" >"$PZ_TMP/dmesg.all"
grep -E -A3 'WARNING:|BUG:|Oops|general protection|Kernel panic' "$PZ_TMP/dmesg.all" |
	head -n 40 | sed 's/^/#   /'
! grep -qE 'WARNING:|BUG:|Oops|general protection|Kernel panic' "$PZ_TMP/dmesg.all"
ktap_result "kernel log has no WARNING, BUG or Oops"

# KTAP summary, the plot data, then the two result lines last.
ktap_diag "pass:$KTAP_CNT_PASS fail:$KTAP_CNT_FAIL skip:$KTAP_CNT_SKIP"
if [ -n "$PLOT_DIR" ]; then
	sed 's/^/PZPLOT sizes /' "$PLOT_DIR/sizes.dat"
	sed 's/^/PZPLOT kills /' "$PLOT_DIR/kills.dat"
fi
echo "{\"scenario\":\"overcommit\",\"daemon\":true,\"oom_kills\":$D_OOM,\"completed\":$D_DONE,\"mismatches\":$D_BAD}"
echo "{\"scenario\":\"overcommit\",\"daemon\":false,\"oom_kills\":$S_OOM,\"completed\":$S_DONE,\"mismatches\":$S_BAD}"
[ "$KTAP_TESTNO" -eq "$KTAP_PLAN" ] || exit $KSFT_FAIL
[ "$KTAP_CNT_FAIL" -eq 0 ] || exit $KSFT_FAIL
exit $KSFT_PASS
