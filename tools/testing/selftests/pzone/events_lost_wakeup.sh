#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# events_lost_wakeup.sh - regression: the last change of a pzone's "events"
# file inside a rate-limit interval woke nobody.
#
# Wake-ups of an events file are limited to one per 10 ms.  The counters
# changed inside the interval after a wake-up used to be counted silently:
# a task faulting memory in bursts below the low watermark bumps "low"
# hundreds of times in a few ms, so a poller read the first count of each
# burst and never the last one, until the next burst.  Now the change that
# rate limiting holds back is notified when the interval ends.
#
# A 32M pzone, vm.watermark_scale_factor 3000 (30 %) so that a third of
# it is below the low watermark, a task touching 22 MiB in it, and
# events_poll waiting on its events file: after the task is gone, what the
# poller read last must be what the file says.
#
# The bursts are 4 KiB faults: THP is set to "never" for the test.  With
# THP "always" (Debian's default) and defrag "madvise", the task's faults
# are huge pages allocated with GFP_TRANSHUGE_LIGHT, which has no
# __GFP_KSWAPD_RECLAIM: they take the pzone down to its min watermark and
# never call wakeup_kswapd(), so "low" stays 0 (notes/oci-runtimes.md).

if [ -f "$(dirname "$0")/pzone_lib.sh" ]; then
	. "$(dirname "$0")/pzone_lib.sh"
else
	cd /usr/lib/pzone/selftests || exit 4
	. ./pzone_lib.sh
fi

NAME=kst_evwake

ktap_header
pz_require
command -v events_poll >/dev/null 2>&1 || ktap_skip_all "events_poll not built"
pzone_exists "$NAME" && ktap_skip_all "pzone $NAME exists"
ktap_plan 4

WSF=/proc/sys/vm/watermark_scale_factor
THP=/sys/kernel/mm/transparent_hugepage/enabled
wsf0=$(cat "$WSF")
thp0=$(sed 's/.*\[\(.*\)\].*/\1/' "$THP" 2>/dev/null)
test_cleanup()
{
	echo "$wsf0" >"$WSF"
	[ -n "$thp0" ] && echo "$thp0" >"$THP"
}
echo 3000 >"$WSF"
[ -n "$thp0" ] && echo never >"$THP"
kmsg_mark

pz_create_checked "$NAME" "$PZ_BASE" 32M
ev=$PZ_SYSFS/$NAME/events
pz_bg "$PZ_TMP/poll.out" events_poll "$ev" 4
poller=$PZ_LAST_PID
pz_wait_ready "$PZ_TMP/poll.out" "$poller" 10
pz_run pzonectl exec "$NAME" -- pzone_touch --anon 22
ktap_diag "pzone_touch --anon 22 in a 32M pzone: exit $PZ_RC"
pz_reap "$poller"
final=$(cat "$ev")
last=$(sed -n '/^wakeups /,$p' "$PZ_TMP/poll.out" | sed 1d)
wakeups=$(sed -n 's/^wakeups //p' "$PZ_TMP/poll.out")
low=$(echo "$final" | awk '$1 == "low" { print $2 }')
ktap_diag "events after the task: $(echo "$final" | tr '\n' ' ')"
ktap_diag "last read by the poller ($wakeups wake-ups): $(echo "$last" | tr '\n' ' ')"

ktap_check "the task woke kswapd of the pzone (low $low)" [ "${low:-0}" -gt 0 ]
ktap_check "the poller was woken ($wakeups times)" [ "${wakeups:-0}" -gt 0 ]
ktap_check "the poller's last read equals the final counters" [ "$last" = "$final" ]
pz_destroy "$NAME" >/dev/null
check_dmesg_clean
ktap_finish
