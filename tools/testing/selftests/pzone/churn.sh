#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# churn.sh - create and destroy a pzone 20 times.  Every round must
# succeed, and afterwards the MemTotal sum, the base node's MemTotal,
# node/online, available_nodes and the entries of /sys/devices/system/pzone
# must be exactly what they were, with nothing new in the kernel log.

. "$(dirname "$0")/pzone_lib.sh"

NAME=kst_churn
ROUNDS=20

ktap_header
pz_require
ktap_plan 8

kmsg_mark
sum0=$(sum_memtotal_kb)
base0=$(node_memtotal_kb "$PZ_BASE")
online0=$(online_nodes)
avail0=$(cat "$PZ_SYSFS/available_nodes")
entries0=$(ls "$PZ_SYSFS" | tr '\n' ' ')

fail_create=0
fail_destroy=0
nodes=""
i=0
while [ $i -lt $ROUNDS ]; do
	i=$((i + 1))
	if ! pz_create "$NAME" "$PZ_BASE" 32M; then
		fail_create=$((fail_create + 1))
		continue
	fi
	nodes="$nodes $(pzone_node "$NAME")"
	pz_destroy "$NAME" || fail_destroy=$((fail_destroy + 1))
	pzone_exists "$NAME" && break	# stuck: the rest would only fail
done
ktap_diag "$i rounds, node ids used:$nodes"
[ $i -eq $ROUNDS ] && [ $fail_create -eq 0 ]
ktap_result "$ROUNDS creates succeed"
[ $i -eq $ROUNDS ] && [ $fail_destroy -eq 0 ]
ktap_result "$ROUNDS destroys succeed, each at the first try ($PZ_DESTROY_RETRIES retries)"
ktap_check "sum of MemTotal unchanged" [ "$(sum_memtotal_kb)" = "$sum0" ]
ktap_check "node $PZ_BASE MemTotal restored exactly" \
	[ "$(node_memtotal_kb "$PZ_BASE")" = "$base0" ]
ktap_check "node/online unchanged ($online0)" [ "$(online_nodes)" = "$online0" ]
ktap_check "available_nodes unchanged ($avail0)" \
	[ "$(cat "$PZ_SYSFS/available_nodes")" = "$avail0" ]
ktap_check "entries of $PZ_SYSFS unchanged" \
	[ "$(ls "$PZ_SYSFS" | tr '\n' ' ')" = "$entries0" ]
check_dmesg_clean

ktap_finish
