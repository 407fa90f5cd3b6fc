#!/bin/sh
# `make soak`: the long resize torture (2000 random resizes under a
# checksummed workload) and a long concurrency run.
cd /usr/lib/pzone/selftests || exit 1
rc=0
PZONE_TORTURE_OPS=${PZONE_TORTURE_OPS:-2000} ./resize_torture.sh || rc=1
PZONE_CONC_SECS=${PZONE_CONC_SECS:-120} ./concurrency.sh || rc=1
exit $rc
