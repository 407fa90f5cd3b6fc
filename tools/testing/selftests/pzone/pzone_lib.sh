#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# pzone_lib.sh - shared helpers for the pzone selftests.  Source it, with
# $0 being the test, after which a test does:
#
#	ktap_header
#	pz_require		# exits 4 (skip) without pzone support
#	ktap_plan N
#	... one ktap_ok/ktap_fail/ktap_skip per check ...
#	ktap_finish		# exits 0 pass, 1 fail, 4 all skipped
#
# POSIX sh only (busybox ash in the guest, dash on a host).  Every pzone a
# test creates goes through pz_create and every background task through
# pz_bg, so the EXIT trap can kill the tasks, remove the files and destroy
# the pzones whatever way the test ends.  A test may define test_cleanup()
# for anything else; it runs first.

PZ_SYSFS_ROOT=${PZONE_SYSFS_ROOT:-/sys}	# as pzonectl; a fake tree for dry runs
PZ_SYSFS=$PZ_SYSFS_ROOT/devices/system/pzone
PZ_NODE_SYSFS=$PZ_SYSFS_ROOT/devices/system/node
PZ_CGROUP_ROOT=${PZONE_CGROUP_ROOT:-/sys/fs/cgroup}
PZ_BLOCK=4194304
PZ_BASE=${PZ_BASE:-1}		# base node of the guest (4 GiB, has ZONE_NORMAL)
PZ_DISK=${PZ_DISK:-/mnt/disk}	# ext2 on virtio-blk: real page cache
PZ_PAGE_KB=4			# x86_64

KSFT_PASS=0
KSFT_FAIL=1
KSFT_SKIP=4

PZ_TEST=$(basename "$0" .sh)
PZ_DIR=$(cd "$(dirname "$0")" && pwd)
PATH=$PZ_DIR:$PATH:/usr/lib/pzone/selftests
export PATH

PZ_TMP=$(mktemp -d "${TMPDIR:-/tmp}/pzone-$PZ_TEST.XXXXXX") || exit $KSFT_FAIL
PZ_CREATED=""	# pzones made by pz_create and not yet destroyed
PZ_PIDS=""	# background tasks started by pz_bg and not yet stopped
PZ_FILES=""	# files to remove at exit (before the pzones are destroyed)
PZ_SWAPS=""	# swap files made by pz_swapfile, swapped off at exit
PZ_RC=0		# exit status of the last pz_run/pz_create/pz_destroy/pz_stop
PZ_OUT=$PZ_TMP/stdout
PZ_ERR=$PZ_TMP/stderr

KTAP_TESTNO=0
KTAP_PLAN=-1
KTAP_CNT_PASS=0
KTAP_CNT_FAIL=0
KTAP_CNT_SKIP=0

# ---------------------------------------------------------------- KTAP ---

ktap_header()
{
	echo "TAP version 13"
}

ktap_plan()
{
	KTAP_PLAN=$1
	echo "1..$1"
}

# ktap_diag MSG...: a comment line; each line of a multi-line MSG gets "# ".
ktap_diag()
{
	printf '%s\n' "$*" | sed 's/^/# /'
}

ktap_ok()
{
	KTAP_TESTNO=$((KTAP_TESTNO + 1))
	KTAP_CNT_PASS=$((KTAP_CNT_PASS + 1))
	echo "ok $KTAP_TESTNO $1"
}

ktap_fail()
{
	KTAP_TESTNO=$((KTAP_TESTNO + 1))
	KTAP_CNT_FAIL=$((KTAP_CNT_FAIL + 1))
	echo "not ok $KTAP_TESTNO $1"
}

# ktap_skip DESC [REASON]
ktap_skip()
{
	KTAP_TESTNO=$((KTAP_TESTNO + 1))
	KTAP_CNT_SKIP=$((KTAP_CNT_SKIP + 1))
	echo "ok $KTAP_TESTNO $1 # SKIP${2:+ $2}"
}

# ktap_check DESC CMD [ARGS...]: one KTAP line, ok if CMD succeeds.
ktap_check()
{
	_kc_desc=$1
	shift
	if "$@"; then
		ktap_ok "$_kc_desc"
	else
		ktap_fail "$_kc_desc"
	fi
}

# ktap_result DESC: one KTAP line from the status of the previous command,
# for compound conditions:  [ "$a" = 1 ] && [ "$b" = 2 ]; ktap_result "a and b"
ktap_result()
{
	if [ $? -eq 0 ]; then
		ktap_ok "$1"
	else
		ktap_fail "$1"
	fi
}

# ktap_skip_all REASON: whole test skipped; only before ktap_plan.
ktap_skip_all()
{
	echo "1..0 # SKIP $1"
	exit $KSFT_SKIP
}

# ktap_exit_fail_msg MSG: cannot go on.  The checks not run yet are
# reported as failed so the plan still adds up.
ktap_exit_fail_msg()
{
	ktap_diag "giving up: $1"
	while [ "$KTAP_TESTNO" -lt "$KTAP_PLAN" ]; do
		ktap_fail "not run: $1"
	done
	echo "Bail out! $1"
	exit $KSFT_FAIL
}

ktap_finish()
{
	[ "$PZ_DESTROYS" -gt 0 ] &&
		ktap_diag "pz_destroy: $PZ_DESTROYS destroys, $PZ_DESTROY_RETRIES retries"
	ktap_diag "pass:$KTAP_CNT_PASS fail:$KTAP_CNT_FAIL skip:$KTAP_CNT_SKIP"
	if [ "$KTAP_PLAN" -ge 0 ] && [ "$KTAP_TESTNO" -ne "$KTAP_PLAN" ]; then
		ktap_diag "planned $KTAP_PLAN checks but ran $KTAP_TESTNO"
		exit $KSFT_FAIL
	fi
	[ "$KTAP_CNT_FAIL" -eq 0 ] || exit $KSFT_FAIL
	if [ "$KTAP_CNT_PASS" -eq 0 ] && [ "$KTAP_CNT_SKIP" -gt 0 ]; then
		exit $KSFT_SKIP
	fi
	exit $KSFT_PASS
}

# ------------------------------------------------------- preconditions ---

# pz_require: skip the whole test unless this kernel can run it.
pz_require()
{
	[ "$(id -u)" = 0 ] || ktap_skip_all "must be run as root"
	[ -d "$PZ_SYSFS" ] || ktap_skip_all "kernel without pzone ($PZ_SYSFS missing)"
	[ -n "$(cat "$PZ_SYSFS/reserved_nodes" 2>/dev/null)" ] ||
		ktap_skip_all "no reserved node ids (boot with pzone_nodes=K)"
	command -v pzonectl >/dev/null 2>&1 || ktap_skip_all "pzonectl not found"
	[ -d "$PZ_NODE_SYSFS/node$PZ_BASE" ] ||
		ktap_skip_all "base node $PZ_BASE is not online"
	command -v pzone_touch >/dev/null 2>&1 ||
		ktap_skip_all "pzone_touch not built (make OUTPUT=...)"
}

# pz_require_disk: skip unless $PZ_DISK is a mounted filesystem.
pz_require_disk()
{
	grep -q " $PZ_DISK " /proc/mounts ||
		ktap_skip_all "$PZ_DISK is not mounted (need a block device for page cache)"
}

# ---------------------------------------------------- sysfs and nodes ---

# ensure_file PATH MODE: PATH exists with permission bits MODE (e.g. 0444).
ensure_file()
{
	_ef_want=$(echo "$2" | sed 's/^0*//')
	_ef_mode=$(stat -c %a "$1" 2>/dev/null)
	if [ -e "$1" ] && [ "$_ef_mode" = "$_ef_want" ]; then
		ktap_ok "$1 has mode $2"
	else
		ktap_diag "$1: mode '${_ef_mode:-missing}'"
		ktap_fail "$1 has mode $2"
	fi
}

# ensure_write_ok PATH VALUE [DESC]: a single write(2) of VALUE succeeds.
ensure_write_ok()
{
	_ew_desc=${3:-"write '$2' to $1 succeeds"}
	_ew_err=$(pzone_write "$1" "$2")
	if [ $? -eq 0 ]; then
		ktap_ok "$_ew_desc"
	else
		ktap_diag "write '$2' to $1: $_ew_err"
		ktap_fail "$_ew_desc"
	fi
}

# ensure_write_fails PATH VALUE [ERRNO] [DESC]: the write fails, with
# ERRNO (a name such as EINVAL) when given.
ensure_write_fails()
{
	_ew_desc=${4:-"write '$2' to $1 fails${3:+ with $3}"}
	_ew_err=$(pzone_write "$1" "$2")
	_ew_rc=$?
	if [ $_ew_rc -eq 1 ] && { [ -z "$3" ] || [ "$_ew_err" = "$3" ]; }; then
		ktap_ok "$_ew_desc"
	else
		[ $_ew_rc -eq 0 ] && _ew_err="succeeded"
		ktap_diag "write '$2' to $1: $_ew_err"
		ktap_fail "$_ew_desc"
	fi
}

# expand_nodelist LIST: "0-2,5" -> "0 1 2 5"
expand_nodelist()
{
	echo "$1" | awk -F, '{
		for (i = 1; i <= NF; i++) {
			n = split($i, r, "-")
			if (r[1] == "")
				continue
			hi = (n == 2) ? r[2] : r[1]
			for (j = r[1] + 0; j <= hi + 0; j++)
				printf "%s%d", (out++ ? " " : ""), j
		}
	} END { printf "\n" }'
}

online_nodes()
{
	cat "$PZ_NODE_SYSFS/online"
}

# node_is_online N
node_is_online()
{
	for _n in $(expand_nodelist "$(online_nodes)"); do
		[ "$_n" = "$1" ] && return 0
	done
	return 1
}

# node_meminfo_kb N FIELD: the kB value of FIELD in nodeN/meminfo (pages
# for the HugePages_* fields).  Fails if the node or field is missing.
node_meminfo_kb()
{
	awk -v f="$2:" '$3 == f { print $4; found = 1; exit }
		END { exit !found }' "$PZ_NODE_SYSFS/node$1/meminfo" 2>/dev/null
}

node_memtotal_kb()
{
	node_meminfo_kb "$1" MemTotal
}

# sum_memtotal_kb: MemTotal summed over all online nodes.
sum_memtotal_kb()
{
	_sm_sum=0
	for _n in $(expand_nodelist "$(online_nodes)"); do
		_sm_kb=$(node_memtotal_kb "$_n") || _sm_kb=0
		_sm_sum=$((_sm_sum + _sm_kb))
	done
	echo "$_sm_sum"
}

# vmstat_get NAME: a counter from /proc/vmstat (0 if absent).
vmstat_get()
{
	awk -v k="$1" '$1 == k { v = $2 } END { print v + 0 }' /proc/vmstat
}

# ------------------------------------------------------------- pzones ---

# pzone_node NAME: the derived node id of pzone NAME.
pzone_node()
{
	cat "$PZ_SYSFS/$1/node" 2>/dev/null
}

# pzone_attr NAME FILE
pzone_attr()
{
	cat "$PZ_SYSFS/$1/$2" 2>/dev/null
}

# pzone_exists NAME
pzone_exists()
{
	[ -d "$PZ_SYSFS/$1" ]
}

# pzone_cgroup NAME: the cgroup pzonectl exec/bind uses for NAME.
pzone_cgroup()
{
	echo "$PZ_CGROUP_ROOT/pzone-$1"
}

# pz_snapshot: one line that must not change across a failed operation or
# a create/destroy round trip.
# Nodes of destroyed pzones still waiting for their kernel reserve
# (draining_nodes) are online but belong to no pzone: a snapshot counts them
# as free ids, not as online nodes, so that a reserve left behind by an
# earlier test, or reused by this one, does not count as a change.
draining_nodes()
{
	expand_nodelist "$(cat "$PZ_SYSFS/draining_nodes" 2>/dev/null)"
}

# wait_no_draining SECS [drop]: poll, every 0.2 s for at most SECS s, until
# no node is in draining_nodes; with "drop", drop caches once a second to
# help the reserves empty.  Return: 0 then, 1 if some still drain.
wait_no_draining()
{
	_wd_left=$(($1 * 5))
	while [ -n "$(draining_nodes)" ]; do
		[ "$_wd_left" -gt 0 ] || return 1
		[ "$2" = drop ] && [ $((_wd_left % 5)) -eq 0 ] && drop_caches
		sleep 0.2
		_wd_left=$((_wd_left - 1))
	done
	return 0
}

# nodes_minus "A B C" "B": the words of the first list not in the second.
nodes_minus()
{
	for _n in $1; do
		case " $2 " in *" $_n "*) ;; *) printf '%s ' "$_n" ;; esac
	done
	echo
}

pz_snapshot()
{
	_dr=$(draining_nodes)
	_on=$(nodes_minus "$(expand_nodelist "$(online_nodes)")" "$_dr")
	# Read after draining_nodes: a reserve given back in between then
	# shows in both lists, never in neither.
	_free=$(echo "$(expand_nodelist "$(cat "$PZ_SYSFS/available_nodes")") $_dr" |
		tr ' ' '\n' | sed '/^$/d' | sort -nu | tr '\n' ' ')
	echo "memtotal=$(sum_memtotal_kb) online=$_on free_ids=$_free" \
	     "entries=$(ls "$PZ_SYSFS" | tr '\n' ' ')"
}

# pz_run CMD [ARGS...]: run CMD with stdout in $PZ_OUT, stderr in $PZ_ERR
# and the exit status in $PZ_RC.
pz_run()
{
	"$@" >"$PZ_OUT" 2>"$PZ_ERR"
	PZ_RC=$?
	return $PZ_RC
}

# pz_create NAME BASE SIZE [pzonectl create options...]
pz_create()
{
	_pc_name=$1
	_pc_base=$2
	_pc_size=$3
	shift 3
	PZ_CREATED="$PZ_CREATED $_pc_name"
	pz_run pzonectl create "$_pc_name" --node "$_pc_base" --size "$_pc_size" "$@"
	if [ "$PZ_RC" -ne 0 ]; then
		ktap_diag "pzonectl create $_pc_name --node $_pc_base --size $_pc_size $*: exit $PZ_RC: $(cat "$PZ_ERR")"
	fi
	return $PZ_RC
}

# pz_destroy [--retry-ok REASON] NAME: pzonectl destroy, tried up to five
# times (dropping caches in between) if it fails while NAME still exists.
# Every destroy must succeed at the first try: one that needed more tries
# is reported and fails (PZ_RC=1, the pzone is gone all the same) unless
# the caller gives, with --retry-ok, the REASON a retry is legitimate there;
# the reason is printed.  PZ_DESTROYS and PZ_DESTROY_RETRIES count the
# destroys and the extra tries; ktap_finish prints them.
PZ_DESTROYS=0
PZ_DESTROY_RETRIES=0
pz_destroy()
{
	_pd_reason=""
	if [ "$1" = --retry-ok ]; then
		_pd_reason=$2
		shift 2
	fi
	PZ_DESTROYS=$((PZ_DESTROYS + 1))
	for _pd_try in 1 2 3 4 5; do
		[ "$_pd_try" -gt 1 ] && PZ_DESTROY_RETRIES=$((PZ_DESTROY_RETRIES + 1))
		pz_run pzonectl destroy "$1"
		if [ "$PZ_RC" -eq 0 ]; then
			PZ_CREATED=$(echo " $PZ_CREATED " | sed "s/ $1 / /g")
			[ "$_pd_try" -eq 1 ] && return 0
			if [ -n "$_pd_reason" ]; then
				ktap_diag "destroy $1 needed $_pd_try tries (allowed: $_pd_reason)"
				return 0
			fi
			ktap_diag "destroy $1 needed $_pd_try tries, and no retry was expected: failed"
			PZ_RC=1
			return 1
		fi
		ktap_diag "pzonectl destroy $1 (try $_pd_try): exit $PZ_RC: $(cat "$PZ_ERR")"
		pzone_exists "$1" || return $PZ_RC
		drop_caches
		sleep 1
	done
	return $PZ_RC
}

# pz_create_checked NAME BASE SIZE [options]: create or give up the test.
pz_create_checked()
{
	pz_create "$@" || ktap_exit_fail_msg "cannot create pzone $1"
}

# ------------------------------------------------------- tasks, files ---

# pz_bg OUTFILE CMD [ARGS...]: start CMD in the background, output to
# OUTFILE; its pid is left in $PZ_LAST_PID.
pz_bg()
{
	_pb_out=$1
	shift
	# Empty OUTFILE now, not when the job gets to run: a pz_wait_ready
	# right after must not find the "ready" of an earlier job there.
	: >"$_pb_out"
	"$@" >"$_pb_out" 2>&1 &
	PZ_LAST_PID=$!
	PZ_PIDS="$PZ_PIDS $PZ_LAST_PID"
}

# pz_wait_ready OUTFILE PID [SECS]: wait for the line "ready" from a
# pzone_touch --hold; fails if PID exits first or SECS (60) pass.
pz_wait_ready()
{
	_pw_left=$((${3:-60} * 5))
	while [ $_pw_left -gt 0 ]; do
		grep -qx ready "$1" 2>/dev/null && return 0
		kill -0 "$2" 2>/dev/null || break
		sleep 0.2
		_pw_left=$((_pw_left - 1))
	done
	grep -qx ready "$1" 2>/dev/null && return 0
	ktap_diag "pid $2 not ready; its output:"
	sed 's/^/#   /' "$1" 2>/dev/null
	return 1
}

# pz_stop PID: SIGTERM, wait; exit status in $PZ_RC.
pz_stop()
{
	kill -TERM "$1" 2>/dev/null
	pz_reap "$1"
}

# pz_reap PID: wait for PID (already ending); exit status in $PZ_RC.
pz_reap()
{
	wait "$1"
	PZ_RC=$?
	PZ_PIDS=$(echo " $PZ_PIDS " | sed "s/ $1 / /g")
	return 0
}

# pz_file PATH: remember PATH for removal at exit.
pz_file()
{
	PZ_FILES="$PZ_FILES $1"
}

# pz_dd PATH MIB: write MIB MiB of zeroes to PATH outside any pzone and
# make sure none of it stays in the page cache.
pz_dd()
{
	pz_file "$1"
	dd if=/dev/zero of="$1" bs=1048576 count="$2" 2>/dev/null || return 1
	drop_caches
}

# pz_swapfile PATH MIB: make PATH a MIB MiB swap file and swap on it; it
# is swapped off and removed at exit.  PATH goes on $PZ_DISK: ext2 on
# virtio-blk can hold a swap file (ext2 has bmap), tmpfs cannot.
pz_swapfile()
{
	pz_file "$1"
	dd if=/dev/zero of="$1" bs=1048576 count="$2" 2>/dev/null &&
		chmod 0600 "$1" && mkswap "$1" >/dev/null && swapon "$1" || return 1
	PZ_SWAPS="$PZ_SWAPS $1"
}

# pz_swapoff PATH: swap off a file from pz_swapfile (it is removed at exit).
pz_swapoff()
{
	PZ_SWAPS=$(echo " $PZ_SWAPS " | sed "s| $1 | |g")
	swapoff "$1"
}

drop_caches()
{
	sync
	echo 3 >/proc/sys/vm/drop_caches
}

# numa_maps_pages PID NODE SEL: "ON OFF", the pages of PID's mappings
# selected by SEL that sit on node NODE and on any other node.  SEL is
# "anon" (mappings without a file: heap, stack, anonymous mmap), "all", a
# file path (mappings with file=PATH), or "*SUFFIX" (files whose path ends
# in SUFFIX: a container's files, whose paths numa_maps prints as the
# container sees them).  Counts are base pages.
numa_maps_pages()
{
	awk -v node="$2" -v sel="$3" '
	function selected(file, suf) {
		if (sel == "all")
			return 1
		if (sel == "anon")
			return file == ""
		if (substr(sel, 1, 1) != "*")
			return file == sel
		suf = substr(sel, 2)
		return file != "" && substr(file, length(file) - length(suf) + 1) == suf
	}
	{
		file = ""
		for (i = 2; i <= NF; i++)
			if (substr($i, 1, 5) == "file=")
				file = substr($i, 6)
		if (!selected(file))
			next
		for (i = 2; i <= NF; i++) {
			if ($i !~ /^N[0-9]+=[0-9]+$/)
				continue
			split(substr($i, 2), kv, "=")
			if (kv[1] == node)
				on += kv[2]
			else
				off += kv[2]
		}
	}
	END { printf "%d %d\n", on, off }' "/proc/$1/numa_maps"
}

# check_numa_maps DESC PID NODE SEL MIN_PAGES: one KTAP line; ok if at
# least MIN_PAGES of SEL are on NODE and none elsewhere.
check_numa_maps()
{
	set -- "$1" "$2" "$3" "$4" "$5" $(numa_maps_pages "$2" "$3" "$4")
	if [ "${6:-0}" -ge "$5" ] && [ "${7:-1}" -eq 0 ]; then
		ktap_ok "$1"
	else
		ktap_diag "$4: ${6:-?} pages on node $3 (want >= $5), ${7:-?} elsewhere (want 0)"
		awk -v sel="$4" '/ N[0-9]+=/ && (sel == "all" ||
			(sel == "anon" && !/ file=/) || index($0, " file=" sel " ") ||
			(sel ~ /^\*/ && / file=/ && index($0, substr(sel, 2) " ")))' \
			"/proc/$2/numa_maps" 2>/dev/null | head -n 20 | sed 's/^/#   /'
		ktap_fail "$1"
	fi
}

# smaps_kb PID FIELD: FIELD of /proc/PID/smaps_rollup in kB.
smaps_kb()
{
	awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/smaps_rollup" 2>/dev/null
}

# ------------------------------------------------------------- dmesg ---

# kmsg_mark: note the current end of the kernel log.
kmsg_mark()
{
	PZ_MARK="pzone-selftest: $PZ_TEST $$ $(date +%s)"
	PZ_DMESG_LINES=$(dmesg | wc -l)
	echo "$PZ_MARK" >/dev/kmsg 2>/dev/null
}

# dmesg_since_mark: kernel log lines after the last kmsg_mark.
dmesg_since_mark()
{
	dmesg >"$PZ_TMP/dmesg"
	if grep -qF "$PZ_MARK" "$PZ_TMP/dmesg"; then
		awk -v m="$PZ_MARK" 'index($0, m) { buf = ""; f = 1; next }
			f { buf = buf $0 "\n" } END { printf "%s", buf }' "$PZ_TMP/dmesg"
	else
		tail -n +"$((PZ_DMESG_LINES + 1))" "$PZ_TMP/dmesg"
	fi
}

# check_dmesg_clean: one KTAP line; no WARNING/BUG/Oops since kmsg_mark.
check_dmesg_clean()
{
	dmesg_since_mark >"$PZ_TMP/dmesg.new"
	if grep -qE 'WARNING:|BUG:|Oops|general protection fault|Kernel panic|Call Trace' \
		"$PZ_TMP/dmesg.new"; then
		grep -E -A3 'WARNING:|BUG:|Oops|general protection|Kernel panic' \
			"$PZ_TMP/dmesg.new" | head -n 40 | sed 's/^/#   /'
		ktap_fail "${1:-kernel log has no WARNING, BUG or Oops}"
	else
		ktap_ok "${1:-kernel log has no WARNING, BUG or Oops}"
	fi
}

# ------------------------------------------------------------ cleanup ---

test_cleanup()
{
	:
}

pz_cleanup()
{
	trap - EXIT INT TERM
	test_cleanup
	if [ -n "$(echo $PZ_PIDS)" ]; then
		for _p in $PZ_PIDS; do
			kill -TERM "$_p" 2>/dev/null
		done
		for _i in 1 2 3 4 5 6 7 8 9 10; do
			_alive=""
			for _p in $PZ_PIDS; do
				kill -0 "$_p" 2>/dev/null && _alive="$_alive $_p"
			done
			[ -z "$_alive" ] && break
			sleep 0.5
		done
		for _p in $_alive; do
			kill -KILL "$_p" 2>/dev/null
		done
		for _p in $PZ_PIDS; do
			wait "$_p" 2>/dev/null
		done
	fi
	for _f in $PZ_SWAPS; do
		swapoff "$_f" 2>/dev/null || echo "# cleanup: could not swapoff $_f"
	done
	for _f in $PZ_FILES; do
		rm -f "$_f"
	done
	for _n in $PZ_CREATED; do
		pzone_exists "$_n" || continue
		echo "# cleanup: destroying pzone $_n"
		pzonectl destroy "$_n" >/dev/null 2>&1 ||
			pzone_write "$PZ_SYSFS/destroy" "$_n" >/dev/null 2>&1 ||
			echo "# cleanup: could not destroy pzone $_n"
	done
	rm -rf "$PZ_TMP"
}

trap pz_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
