#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# standby_refused_destroy.sh - regression: a destroy that was refused left
# the pzone without its standby and bigger by as much.
#
# Destroy released the standby into the node's buddy allocator before it
# knew it would succeed.  With a page that cannot move (pinned by
# vmsplice) in a pzone without kernel reserve, the destroy must fail with
# EBUSY and leave size_bytes, standby_bytes and the node's MemTotal as
# they were.

if [ -f "$(dirname "$0")/pzone_lib.sh" ]; then
	. "$(dirname "$0")/pzone_lib.sh"
else
	cd /usr/lib/pzone/selftests || exit 4
	. ./pzone_lib.sh
fi

NAME=kst_sbd

ktap_header
pz_require
pzone_exists "$NAME" && ktap_skip_all "pzone $NAME exists"
ktap_plan 10
kmsg_mark
sum0=$(sum_memtotal_kb)

pz_create_checked "$NAME" "$PZ_BASE" 64M --kernel 0
D=$(pzone_attr "$NAME" node)
ensure_write_ok "$PZ_SYSFS/$NAME/standby_bytes" 16M "standby of 16 MiB set"
size0=$(pzone_attr "$NAME" size_bytes)
standby0=$(pzone_attr "$NAME" standby_bytes)
total0=$(node_memtotal_kb "$D")

pz_bg "$PZ_TMP/pin" numactl --membind="$D" pzone_pin --mib 8 --every 64
PIN=$PZ_LAST_PID
pz_wait_ready "$PZ_TMP/pin" "$PIN" ||
	ktap_exit_fail_msg "pzone_pin did not start"

ensure_write_fails "$PZ_SYSFS/destroy" "$NAME evacuate" "" \
	"destroy with pinned pages is refused"
ktap_diag "last_error: $(cat "$PZ_SYSFS/last_error")"
ktap_check "still there, state on" [ "$(pzone_attr "$NAME" state)" = on ]
ktap_check "standby_bytes unchanged ($standby0)" \
	[ "$(pzone_attr "$NAME" standby_bytes)" = "$standby0" ]
ktap_check "size_bytes unchanged ($size0)" \
	[ "$(pzone_attr "$NAME" size_bytes)" = "$size0" ]
ktap_check "node $D MemTotal unchanged (${total0} kB)" \
	[ "$(node_memtotal_kb "$D")" = "$total0" ]

pz_stop "$PIN"
ktap_check "pinned pages intact" grep -qx done "$PZ_TMP/pin"
pz_destroy "$NAME" >/dev/null
ktap_check "destroy succeeds once nothing is pinned" [ "$PZ_RC" -eq 0 ]
ktap_check "sum of MemTotal as before" [ "$(sum_memtotal_kb)" = "$sum0" ]
check_dmesg_clean
ktap_finish
