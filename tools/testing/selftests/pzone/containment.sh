#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# containment.sh - an OOM inside a pzone stays inside it.  A task outside
# any pzone holds 600 MiB of anonymous memory (so it is the biggest task on
# the machine); a task in a 128 MiB pzone then asks for 400 MiB.  The pzone
# task must be the one killed (SIGKILL, "Killed process PID" in the kernel
# log) and the only one; the big task must live on with its memory intact;
# a small marker task outside the pzone must still be alive afterwards and
# answer SIGTERM with its own line; and the pzone must still be destroyable.

. "$(dirname "$0")/pzone_lib.sh"

NAME=kst_oom
HOG_MIB=600
ASK_MIB=400

ktap_header
pz_require
ktap_plan 9

sum0=$(sum_memtotal_kb)
pz_create_checked "$NAME" "$PZ_BASE" 128M
D=$(pzone_node "$NAME")
ktap_check "create a 128M pzone (node $D)" [ "$PZ_RC" -eq 0 ]

# The hog: outside the pzone, a checked pattern so we know it survived whole.
pz_bg "$PZ_TMP/hog.out" pzone_touch --anon "$HOG_MIB" --check --hold 0
hog=$PZ_LAST_PID
pz_wait_ready "$PZ_TMP/hog.out" "$hog" 60 ||
	ktap_exit_fail_msg "the $HOG_MIB MiB task outside the pzone did not get ready"

# The marker: a small shell outside the pzone that, on SIGTERM, prints
# "alive PID" and exits 0.  Only a live marker can do that.
pz_bg "$PZ_TMP/marker.out" sh -c \
	'trap "echo alive \$\$; exit 0" TERM; echo ready; while :; do sleep 0.2; done'
marker=$PZ_LAST_PID
pz_wait_ready "$PZ_TMP/marker.out" "$marker" 30 ||
	ktap_exit_fail_msg "the marker task outside the pzone did not start"

kmsg_mark
pz_bg "$PZ_TMP/victim.out" timeout 60 pzonectl exec "$NAME" -- \
	pzone_touch --anon "$ASK_MIB"
victim=$PZ_LAST_PID
pz_reap "$victim"
ktap_diag "pzone task (pid $victim) exit status $PZ_RC; output:"
sed 's/^/#   /' "$PZ_TMP/victim.out"
# busybox timeout execs its command, so the status is the task's own:
# 128 + 9 for SIGKILL (143 would mean the 60 s timeout fired).
ktap_check "the pzone task asking for $ASK_MIB MiB is killed by SIGKILL" \
	[ "$PZ_RC" -eq 137 ]

dmesg_since_mark >"$PZ_TMP/oom.log"
grep -iE 'oom|out of memory|Killed process' "$PZ_TMP/oom.log" | head -n 20 |
	sed 's/^/#   dmesg: /'
ktap_check "kernel log reports an OOM kill" \
	grep -qiE 'oom-kill|out of memory' "$PZ_TMP/oom.log"
ktap_check "the OOM victim is the pzone task (Killed process $victim)" \
	grep -q "Killed process $victim " "$PZ_TMP/oom.log"
ktap_check "the $HOG_MIB MiB task outside the pzone is alive" kill -0 "$hog"
# Every task the OOM killer took is the pzone task; the marker is alive
# (signal 0) and answers SIGTERM itself.
killed=$(sed -n 's/.*Killed process \([0-9]*\) .*/\1/p' "$PZ_TMP/oom.log" | sort -u | tr '\n' ' ')
marker_alive=0
kill -0 "$marker" 2>/dev/null && marker_alive=1
pz_stop "$marker"
ktap_diag "killed pids: '$killed'; marker $marker: alive $marker_alive," \
	"exit $PZ_RC, output: $(tr '\n' ' ' <"$PZ_TMP/marker.out")"
[ "$killed" = "$victim " ] && [ $marker_alive = 1 ] && [ "$PZ_RC" -eq 0 ] &&
	grep -qx "alive $marker" "$PZ_TMP/marker.out"
ktap_result "only the pzone task was killed; the marker task outside (pid $marker) lived on"

pz_stop "$hog"
ktap_check "the outside task's memory is intact (pattern verified)" [ "$PZ_RC" -eq 0 ]

pz_destroy "$NAME"
ktap_check "destroy after the OOM kill" [ "$PZ_RC" -eq 0 ]
ktap_check "sum of MemTotal unchanged" [ "$(sum_memtotal_kb)" = "$sum0" ]

ktap_finish
