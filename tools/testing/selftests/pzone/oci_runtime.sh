#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# oci_runtime.sh - containers started by real OCI runtimes (Debian's crun
# and runc, unmodified) get their memory from a pzone.  For each runtime:
#
#   - a container whose config.json has linux.resources.cpu.mems = D (the
#     node of a 256M pzone) and cpus = all writes 64 MiB of anonymous
#     memory, a 32 MiB file on its own tmpfs /tmp and reads a 32 MiB disk
#     file (bind-mounted, written outside and dropped from the page cache);
#     /proc/PID/numa_maps of the container process must show those pages on
#     N<D> only, and node D's meminfo must have grown by them;
#   - "RUNTIME update --cpuset-mems D2 ID" moves it to a second pzone: at
#     least 99 % of its anonymous pages must be on D2 within 30 s (cgroup v2
#     cpuset always migrates on a mems change, kernel/cgroup/cpuset.c sets
#     CS_MEMORY_MIGRATE on the default hierarchy);
#   - a container asking for more than its pzone holds is OOM-killed, the
#     OOM report names its task and cgroup and no other task is killed; a
#     600 MiB task outside keeps its memory intact and a page-cache file on
#     the base node stays resident (nothing outside was reclaimed for it);
#   - with "pzonectl oci-hook" (createRuntime/poststop hooks), the hook's
#     pzone exists while the container runs and holds its pages, and is
#     gone afterwards (skipped until pzonectl has the command).
#
# Both runtimes must be installed: a missing one fails.  The guest's root is
# the initramfs, where pivot_root(2) is refused, so the runtimes run with
# --no-pivot (MS_MOVE and chroot instead; memory placement is the same).

. "$(dirname "$0")/pzone_lib.sh"

RUNTIMES=${OCI_RUNTIMES:-crun runc}
ANON_MIB=64
FILE_MIB=32
OOM_ASK_MIB=400
HOG_MIB=600
MOVE_SECS=30
CHECKS_PER_RT=16
DATADIR=$PZ_DISK/kst_oci
DISKFILE=$DATADIR/kst_oci.dat
OUTSIDE=$PZ_DISK/kst_oci_outside.dat

# at_least_90 KB MIB: KB >= 90 % of MIB MiB
at_least_90()
{
	[ "${1:-0}" -ge $(($2 * 1024 * 9 / 10)) ]
}

# make_rootfs DIR: a busybox root with pzone_touch, built from the guest's
# own static binaries (the guest has no network to pull an image).
make_rootfs()
{
	mkdir -p "$1/bin" "$1/proc" "$1/sys" "$1/dev" "$1/tmp" "$1/data" \
		"$1/etc" || return 1
	cp /bin/busybox "$1/bin/busybox" || return 1
	for _app in $(/bin/busybox --list); do
		[ -e "$1/bin/$_app" ] || ln -s busybox "$1/bin/$_app"
	done
	cp "$(command -v pzone_touch)" "$1/bin/pzone_touch" || return 1
	printf 'root:x:0:0:root:/:/bin/sh\n' >"$1/etc/passwd"
	printf 'root:x:0:\n' >"$1/etc/group"
}

# json_args WORD...: a JSON array of strings (no quoting needed here).
json_args()
{
	printf '['
	_ja_sep=
	for _w in "$@"; do
		printf '%s"%s"' "$_ja_sep" "$_w"
		_ja_sep=', '
	done
	printf ']'
}

# write_config BUNDLE CGROUP MEMS EXTRA ARGS...: BUNDLE/config.json as
# "runc spec" writes it (namespaces, mounts), plus the cgroup, cpu.mems,
# the /tmp tmpfs, the /data bind mount and EXTRA (more top-level members,
# each ending with a comma).  MEMS may be empty: no linux.resources.
write_config()
{
	_wc_bundle=$1 _wc_cg=$2 _wc_mems=$3 _wc_extra=$4
	shift 4
	_wc_res=
	[ -n "$_wc_mems" ] &&
		_wc_res="\"resources\": { \"cpu\": { \"cpus\": \"$(cat /sys/devices/system/cpu/online)\", \"mems\": \"$_wc_mems\" } },"
	cat >"$_wc_bundle/config.json" <<EOF
{
	"ociVersion": "1.0.2",
	"process": {
		"terminal": false,
		"user": { "uid": 0, "gid": 0 },
		"args": $(json_args "$@"),
		"env": [ "PATH=/bin", "TERM=xterm" ],
		"cwd": "/",
		"noNewPrivileges": true
	},
	"root": { "path": "rootfs", "readonly": false },
	"hostname": "kst-oci",
	$_wc_extra
	"mounts": [
		{ "destination": "/proc", "type": "proc", "source": "proc" },
		{ "destination": "/dev", "type": "tmpfs", "source": "tmpfs",
		  "options": [ "nosuid", "strictatime", "mode=755", "size=65536k" ] },
		{ "destination": "/dev/pts", "type": "devpts", "source": "devpts",
		  "options": [ "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5" ] },
		{ "destination": "/dev/shm", "type": "tmpfs", "source": "shm",
		  "options": [ "nosuid", "noexec", "nodev", "mode=1777", "size=65536k" ] },
		{ "destination": "/dev/mqueue", "type": "mqueue", "source": "mqueue",
		  "options": [ "nosuid", "noexec", "nodev" ] },
		{ "destination": "/sys", "type": "sysfs", "source": "sysfs",
		  "options": [ "nosuid", "noexec", "nodev", "ro" ] },
		{ "destination": "/sys/fs/cgroup", "type": "cgroup", "source": "cgroup",
		  "options": [ "nosuid", "noexec", "nodev", "relatime", "ro" ] },
		{ "destination": "/tmp", "type": "tmpfs", "source": "tmpfs",
		  "options": [ "nosuid", "nodev", "mode=1777" ] },
		{ "destination": "/data", "type": "bind", "source": "$DATADIR",
		  "options": [ "rbind", "rw" ] }
	],
	"linux": {
		$_wc_res
		"cgroupsPath": "$_wc_cg",
		"namespaces": [
			{ "type": "pid" }, { "type": "network" }, { "type": "ipc" },
			{ "type": "uts" }, { "type": "mount" }, { "type": "cgroup" }
		],
		"maskedPaths": [ "/proc/kcore", "/proc/keys", "/proc/timer_list" ],
		"readonlyPaths": [ "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys" ]
	}
}
EOF
}

# rt_start OUT RT ID BUNDLE: "RT run" in the background; the container's
# pid (host pid namespace) in $CPID once its pid file is there.
rt_start()
{
	rm -f "$4.pid"
	pz_bg "$1" "$2" run --no-pivot --bundle "$4" --pid-file "$4.pid" "$3"
	RTPID=$PZ_LAST_PID
	CPID=
	_rs_left=300
	while [ $_rs_left -gt 0 ]; do
		CPID=$(cat "$4.pid" 2>/dev/null)
		[ -n "$CPID" ] && return 0
		kill -0 "$RTPID" 2>/dev/null || break
		sleep 0.2
		_rs_left=$((_rs_left - 1))
	done
	CPID=$(cat "$4.pid" 2>/dev/null)
	[ -n "$CPID" ] && return 0
	ktap_diag "$2 run $3: no pid file; its output:"
	sed 's/^/#   /' "$1"
	return 1
}

# cgroup_of PID: the cgroup v2 directory of PID.
cgroup_of()
{
	echo "$PZ_CGROUP_ROOT$(sed -n 's/^0:://p' "/proc/$1/cgroup" 2>/dev/null)"
}

# check_file_pages DESC PID NODE SUFFIX MIN: one KTAP line: at least MIN
# pages of the files whose path ends in SUFFIX on NODE, none elsewhere.
check_file_pages()
{
	check_numa_maps "$1" "$2" "$3" "*$4" "$5"
}

# not_run N REASON: N checks reported failed, so the plan adds up.
not_run()
{
	_nr=$1
	while [ "$_nr" -gt 0 ]; do
		ktap_fail "not run: $2"
		_nr=$((_nr - 1))
	done
}

# rt_stop RT ID: "RT kill ID TERM", wait for "RT run"; status in $PZ_RC.
rt_stop()
{
	"$1" kill "$2" TERM >"$PZ_TMP/kill.out" 2>&1 ||
		ktap_diag "$1 kill $2 TERM: $(cat "$PZ_TMP/kill.out")"
	_st_left=300
	while [ $_st_left -gt 0 ] && kill -0 "$RTPID" 2>/dev/null; do
		sleep 0.2
		_st_left=$((_st_left - 1))
	done
	kill -0 "$RTPID" 2>/dev/null && "$1" kill "$2" KILL >/dev/null 2>&1
	pz_reap "$RTPID"
}

test_cleanup()
{
	for _rt in $RUNTIMES; do
		command -v "$_rt" >/dev/null 2>&1 || continue
		for _id in "kst-oci-$_rt" "kst-oci-$_rt-oom" "kst-oci-$_rt-hook"; do
			"$_rt" kill "$_id" KILL >/dev/null 2>&1
			"$_rt" delete --force "$_id" >/dev/null 2>&1
		done
	done
	rm -rf "$DATADIR"
}

# ---------------------------------------------------------------------------

# test_runtime RT: CHECKS_PER_RT KTAP lines.
test_runtime()
{
	rt=$1
	id=kst-oci-$rt
	bundle=$PZ_TMP/bundle-$rt
	if ! command -v "$rt" >/dev/null 2>&1 || ! "$rt" --version >"$PZ_TMP/version" 2>&1; then
		ktap_fail "$rt: installed and runs ($rt --version)"
		not_run $((CHECKS_PER_RT - 1)) "$rt is missing"
		return
	fi
	ktap_ok "$rt: installed and runs ($(head -n 1 "$PZ_TMP/version"))"
	if ! mkdir -p "$bundle" || ! make_rootfs "$bundle/rootfs"; then
		ktap_exit_fail_msg "cannot build the busybox bundle in $bundle"
	fi

	sum0=$(sum_memtotal_kb)
	pz_create "kst_oci_a" "$PZ_BASE" 256M && pz_create "kst_oci_b" "$PZ_BASE" 256M
	ktap_result "$rt: create two 256M pzones"
	[ "$PZ_RC" -eq 0 ] || { not_run $((CHECKS_PER_RT - 2)) "no pzones"; return; }
	D=$(pzone_node kst_oci_a)
	D2=$(pzone_node kst_oci_b)
	ktap_diag "$rt: pzones kst_oci_a on node $D, kst_oci_b on node $D2"

	# --- a container on pzone a
	anon0=$(node_meminfo_kb "$D" AnonPages)
	shmem0=$(node_meminfo_kb "$D" Shmem)
	file0=$(node_meminfo_kb "$D" FilePages)
	write_config "$bundle" "/$id" "$D" "" /bin/pzone_touch --anon "$ANON_MIB" \
		--write /tmp/kst_oci.shm --file-mib "$FILE_MIB" \
		--read /data/kst_oci.dat --map --hold 0
	t0=$(date +%s)
	if rt_start "$PZ_TMP/$rt.out" "$rt" "$id" "$bundle" &&
	   pz_wait_ready "$PZ_TMP/$rt.out" "$RTPID" 120; then
		cg=$(cgroup_of "$CPID")
		mems=$(cat "$cg/cpuset.mems.effective" 2>/dev/null)
		ktap_diag "$rt: container pid $CPID ready after $(($(date +%s) - t0)) s" \
			"in $cg, cpuset.mems.effective '$mems'"
		[ "$mems" = "$D" ]
		ktap_result "$rt: container runs in its cgroup with cpuset.mems $D"
	else
		ktap_fail "$rt: container runs in its cgroup with cpuset.mems $D"
		not_run $((CHECKS_PER_RT - 3)) "the $rt container did not start"
		return
	fi
	check_numa_maps "$rt: the container's anonymous memory is on node $D only" \
		"$CPID" "$D" anon $((ANON_MIB * 1024 / PZ_PAGE_KB * 9 / 10))
	check_file_pages "$rt: the container's tmpfs file is on node $D only" \
		"$CPID" "$D" /kst_oci.shm $((FILE_MIB * 1024 / PZ_PAGE_KB * 9 / 10))
	check_file_pages "$rt: the page cache of the disk file it read is on node $D only" \
		"$CPID" "$D" /kst_oci.dat $((FILE_MIB * 1024 / PZ_PAGE_KB * 9 / 10))
	anon1=$(node_meminfo_kb "$D" AnonPages)
	shmem1=$(node_meminfo_kb "$D" Shmem)
	file1=$(node_meminfo_kb "$D" FilePages)
	ktap_diag "$rt: node $D AnonPages $anon0 -> $anon1 kB, Shmem $shmem0 -> $shmem1 kB," \
		"FilePages $file0 -> $file1 kB"
	grep -E '^[0-9a-f]+ .*N[0-9]+=' "/proc/$CPID/numa_maps" | head -n 12 | sed 's/^/#   numa_maps: /'
	at_least_90 $((anon1 - anon0)) "$ANON_MIB" &&
		at_least_90 $((shmem1 - shmem0)) "$FILE_MIB" &&
		at_least_90 $((file1 - file0)) $((2 * FILE_MIB))
	ktap_result "$rt: node $D AnonPages, Shmem and FilePages grew by >= 90% of what it wrote"

	# --- move it to pzone b
	t0=$(date +%s)
	pz_run "$rt" update --cpuset-mems "$D2" "$id"
	urc=$PZ_RC
	mems=$(cat "$cg/cpuset.mems" 2>/dev/null)
	ktap_diag "$rt update --cpuset-mems $D2 $id: exit $urc after $(($(date +%s) - t0)) s" \
		"$(cat "$PZ_ERR")"
	[ "$urc" -eq 0 ] && [ "$mems" = "$D2" ]
	ktap_result "$rt: update --cpuset-mems $D2 sets the container's cpuset.mems ($mems)"
	pct=0
	while :; do
		set -- $(numa_maps_pages "$CPID" "$D2" anon)
		on=${1:-0} off=${2:-0}
		[ $((on + off)) -gt 0 ] && pct=$((on * 1000 / (on + off)))
		el=$(($(date +%s) - t0))
		[ "$pct" -ge 990 ] && break
		[ "$el" -ge "$MOVE_SECS" ] && break
		sleep 0.5
	done
	ktap_diag "$rt: $on of $((on + off)) anonymous pages on node $D2" \
		"($((pct / 10)).$((pct % 10)) %) $el s after the update"
	for suf in /kst_oci.shm /kst_oci.dat; do
		set -- $(numa_maps_pages "$CPID" "$D2" "*$suf")
		ktap_diag "$rt: mapped *$suf: $1 pages on node $D2, $2 elsewhere"
	done
	ktap_diag "$rt: node $D AnonPages $(node_meminfo_kb "$D" AnonPages) kB," \
		"node $D2 AnonPages $(node_meminfo_kb "$D2" AnonPages) kB"
	[ "$pct" -ge 990 ]
	ktap_result "$rt: >= 99% of the container's anonymous pages on node $D2 within $MOVE_SECS s"

	rt_stop "$rt" "$id"
	ktap_diag "$rt run $id: exit $PZ_RC; output:"
	sed 's/^/#   /' "$PZ_TMP/$rt.out"
	src=$PZ_RC
	! "$rt" state "$id" >/dev/null 2>&1 && [ "$src" -eq 0 ] && [ ! -d "$cg" ]
	ktap_result "$rt: the container stops on SIGTERM, exit 0, its state and cgroup are gone"

	# --- an OOM inside pzone a
	pz_bg "$PZ_TMP/hog.out" pzone_touch --anon "$HOG_MIB" --check --hold 0
	hog=$PZ_LAST_PID
	pz_wait_ready "$PZ_TMP/hog.out" "$hog" 120 ||
		ktap_exit_fail_msg "the $HOG_MIB MiB task outside the pzones did not get ready"
	pz_run pzone_touch --membind "$PZ_BASE" --read "$OUTSIDE" --resident "$OUTSIDE"
	set -- $(grep '^resident ' "$PZ_OUT")
	res0=${2:-0}
	steal0=$(($(vmstat_get pgsteal_kswapd) + $(vmstat_get pgsteal_direct)))
	write_config "$bundle" "/$id-oom" "$D" "" /bin/pzone_touch --anon "$OOM_ASK_MIB"
	kmsg_mark
	if rt_start "$PZ_TMP/$rt-oom.out" "$rt" "$id-oom" "$bundle"; then
		pz_reap "$RTPID"
	else
		PZ_RC=-1
	fi
	ktap_diag "$rt run $id-oom (container pid $CPID): exit $PZ_RC; output:"
	sed 's/^/#   /' "$PZ_TMP/$rt-oom.out"
	ktap_check "$rt: the container asking for $OOM_ASK_MIB MiB in 256M is SIGKILLed (exit 137)" \
		[ "$PZ_RC" -eq 137 ]
	dmesg_since_mark >"$PZ_TMP/oom.log"
	grep -E 'oom-kill:|Killed process|invoked oom-killer' "$PZ_TMP/oom.log" | head -n 8 |
		sed 's/^/#   dmesg: /'
	killed=$(sed -n 's/.*Killed process \([0-9]*\) .*/\1/p' "$PZ_TMP/oom.log" | sort -u | tr '\n' ' ')
	[ -n "$CPID" ] && [ "$killed" = "$CPID " ] &&
		grep -q "Killed process $CPID (pzone_touch)" "$PZ_TMP/oom.log" &&
		grep -q "oom-kill:.*task_memcg=/$id-oom,task=pzone_touch,pid=$CPID," "$PZ_TMP/oom.log"
	ktap_result "$rt: the OOM report names the container task (pid $CPID, cgroup /$id-oom) and only it"
	steal1=$(($(vmstat_get pgsteal_kswapd) + $(vmstat_get pgsteal_direct)))
	pz_run pzone_touch --resident "$OUTSIDE"
	set -- $(grep '^resident ' "$PZ_OUT")
	res1=${2:-0}
	hog_alive=0
	kill -0 "$hog" 2>/dev/null && hog_alive=1
	pz_stop "$hog"
	ktap_diag "$rt: outside task alive $hog_alive, exit $PZ_RC; outside file resident" \
		"$res0 -> $res1 pages; pgsteal $steal0 -> $steal1"
	[ $hog_alive = 1 ] && [ "$PZ_RC" -eq 0 ] && [ "$res0" -gt 0 ] && [ "$res1" -ge "$res0" ]
	ktap_result "$rt: outside, a $HOG_MIB MiB task kept its memory and a base-node file stayed resident"

	drop_caches
	pz_destroy kst_oci_a && pz_destroy kst_oci_b && [ "$(sum_memtotal_kb)" = "$sum0" ]
	ktap_result "$rt: destroy both pzones; sum of MemTotal unchanged"

	test_hook "$rt" "$bundle"
}

# test_hook RT BUNDLE: 2 KTAP lines.
test_hook()
{
	rt=$1 bundle=$2 id=kst-oci-$1-hook
	hook="{ \"path\": \"$(command -v pzonectl)\", \"args\": [ \"pzonectl\", \"oci-hook\" ] }"
	sum0=$(sum_memtotal_kb)
	write_config "$bundle" "/$id" "" \
		"\"annotations\": { \"org.pzone.size\": \"128M\", \"org.pzone.node\": \"$PZ_BASE\" },
	\"hooks\": { \"createRuntime\": [ $hook ], \"poststop\": [ $hook ] }," \
		/bin/pzone_touch --anon 32 --hold 0
	if rt_start "$PZ_TMP/$rt-hook.out" "$rt" "$id" "$bundle" &&
	   pz_wait_ready "$PZ_TMP/$rt-hook.out" "$RTPID" 120; then
		hn=$(pzone_node "oci-$id")
		ktap_diag "$rt: hook pzone oci-$id: node '${hn:-none}'," \
			"container cpuset.mems.effective $(cat "$(cgroup_of "$CPID")/cpuset.mems.effective")"
		if [ -n "$hn" ]; then
			check_numa_maps "$rt: oci-hook: the hook's pzone holds the running container" \
				"$CPID" "$hn" anon $((32 * 1024 / PZ_PAGE_KB * 9 / 10))
		else
			ktap_fail "$rt: oci-hook: the hook's pzone holds the running container"
		fi
		rt_stop "$rt" "$id"
	else
		ktap_fail "$rt: oci-hook: the hook's pzone holds the running container"
		sed 's/^/#   /' "$PZ_TMP/$rt-hook.out"
	fi
	drop_caches
	! pzone_exists "oci-$id" && [ "$(sum_memtotal_kb)" = "$sum0" ]
	ktap_result "$rt: oci-hook: the pzone is gone after the container exits, sum of MemTotal exact"
}

ktap_header
pz_require
pz_require_disk
set -- $RUNTIMES
ktap_plan $(($# * CHECKS_PER_RT))

mkdir -p "$DATADIR"
pz_dd "$DISKFILE" "$FILE_MIB" || ktap_exit_fail_msg "cannot write $DISKFILE"
pz_dd "$OUTSIDE" "$FILE_MIB" || ktap_exit_fail_msg "cannot write $OUTSIDE"
# No check_dmesg_clean: an OOM report has a Call Trace by design (init
# checks the whole log for WARNING, BUG and Oops at the end).
for r in $RUNTIMES; do
	test_runtime "$r"
done

ktap_finish
