#!/bin/sh
# Check the KUnit results the guest printed at boot (KTAP on the console).
# usage: check-kunit.sh CONSOLE_LOG
set -u
log=$1
suites="pzone"
rc=0
for s in $suites; do
	res=$(sed -n "s/.*# $s: pass:\([0-9]*\) fail:\([0-9]*\) skip:\([0-9]*\) total:\([0-9]*\).*/\1 \2 \3 \4/p" "$log" | tail -n 1)
	if [ -z "$res" ]; then
		echo "kunit: suite $s did not run" >&2
		rc=1
		continue
	fi
	set -- $res
	echo "kunit: suite $s: pass $1 fail $2 skip $3 total $4"
	if [ "$2" != 0 ] || [ "$1" = 0 ]; then
		grep -E "not ok|Expected|ASSERT" "$log" | sed 's/^/kunit: /' >&2
		rc=1
	fi
done
exit $rc
