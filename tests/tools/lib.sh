# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# What the host tests share (sourced by test_pzonectl.sh and test_pzoned.sh):
# a temporary directory $T with a fake sysfs ($SYS, the pzone directory $PZ)
# and cgroup tree ($CG) that PZONE_SYSFS_ROOT and PZONE_CGROUP_ROOT point
# to, and TAP checks numbered in $n, failures counted in $failed.
#
# Usage: . lib.sh PREFIX	(the temporary directory is PREFIX.XXXXXX,
#				 removed on exit unless the test replaces the
#				 EXIT trap with its own)
# Then set UNDER_TEST to the command that expect() runs, e.g.
# UNDER_TEST=("$PZONECTL").

T=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT

SYS=$T/sys
PZ=$SYS/devices/system/pzone
CG=$T/cgroup
export PZONE_SYSFS_ROOT=$SYS PZONE_CGROUP_ROOT=$CG

n=0
failed=0

ok()
{
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		failed=$((failed + 1))
		echo "not ok $n - $2"
		sed 's/^/# stdout: /' "$T/out"
		sed 's/^/# stderr: /' "$T/err"
	fi
}

# run CMD...: sets $rc, leaves output in $T/out and $T/err
run()
{
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
}

# expect RC DESC ARGS...: run "${UNDER_TEST[@]}" ARGS and check the exit
# status
expect()
{
	local want=$1 desc=$2

	shift 2
	run "${UNDER_TEST[@]}" "$@"
	[ "$rc" = "$want" ]
	ok $? "$desc (exit $rc, want $want)"
}

# check DESC CMD...: a shell condition
check()
{
	local desc=$1

	shift
	"$@"
	ok $? "$desc"
}

file_is()	{ [ "$(cat "$1")" = "$2" ]; }
out_has()	{ grep -qF -- "$1" "$T/out"; }
err_has()	{ grep -qF -- "$1" "$T/err"; }

# fake_pzone_root AVAILABLE_NODES: a new, empty fake sysfs and cgroup tree
fake_pzone_root()
{
	rm -rf "$SYS" "$CG"
	mkdir -p "$PZ" "$CG"
	echo 4194304 >"$PZ/block_size_bytes"
	echo 2-5 >"$PZ/reserved_nodes"
	echo "$1" >"$PZ/available_nodes"
	: >"$PZ/create"
	: >"$PZ/destroy"
	echo >"$PZ/last_error"
}

# fake_pzone NAME NODE BASE SIZE: a pzone directory under $PZ
fake_pzone()
{
	local d=$PZ/$1

	mkdir -p "$d"
	echo "$2" >"$d/node"
	echo "$3" >"$d/base_node"
	echo "$4" >"$d/size_bytes"
	echo 4194304 >"$d/kernel_bytes"
	echo 62914560 >"$d/free_bytes"
	echo on >"$d/state"
	echo >"$d/last_error"
	echo $(($4 / 4194304)) >"$d/nr_blocks"
}
