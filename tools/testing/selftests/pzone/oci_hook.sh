#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# oci_hook.sh - "pzonectl oci-hook" driven the way an OCI runtime drives
# it: the state JSON on stdin, no runtime needed.
#
# createRuntime with a real task in a fresh cgroup two levels below the
# root: the pzone exists, the task's cgroup has cpuset.mems = D (and,
# with org.pzone.fallback=true, is in the pzone's fallback_cgroups), and a
# memory-touching child in that cgroup has all its pages on D; a running
# pzoned adopts the pzone from the hook's record.  poststop: the pzone and
# its record are gone, pzoned lets go of it without recreating it, and the
# sum of MemTotal is exact.
# Every refused input: exit status not 0, exactly the expected line on
# stderr, and nothing left (pzones, node ids, MemTotal, records, the
# container's cpuset.mems and its ancestors' subtree_control as before).
# Also --cgroup-parent / PZONE_CGROUP_PARENT for exec and destroy, and a
# destroy the kernel refuses keeps the cgroup.

if [ -f "$(dirname "$0")/pzone_lib.sh" ]; then
	. "$(dirname "$0")/pzone_lib.sh"
else
	cd /usr/lib/pzone/selftests || exit 4
	. ./pzone_lib.sh
fi

ID=kst-oci-1
NAME=oci-$ID		# the name the hook derives from the id
ID2=kst-oci-2
NAME2=oci-$ID2
OTHER=kst_oci_o		# a pzone the hook did not make
CGP=$PZ_CGROUP_ROOT/kst_oci
CTR=$CGP/ctr
BUSY=$CGP/busy
OCI=$PZ_TMP/oci
export PZONE_OCI_DIR="$OCI"
BUNDLE=$PZ_TMP/bundle

test_cleanup()
{
	for _n in $NAME $NAME2; do
		pzone_exists "$_n" && pzonectl destroy "$_n" --evacuate >/dev/null 2>&1
	done
	for _p in $PZ_PIDS; do
		kill -KILL "$_p" 2>/dev/null
		wait "$_p" 2>/dev/null
	done
	PZ_PIDS=
	for _d in "$BUSY/ctr" "$BUSY" "$CTR" "$CGP/pzone-$OTHER" "$CGP"; do
		[ -d "$_d" ] && rmdir "$_d" 2>/dev/null
	done
}

# state STATUS ID PID ANNOTATIONS: an OCI state document (ANNOTATIONS is
# the inside of the object; PID "" leaves the pid out).
state()
{
	printf '{"ociVersion":"1.2.0","id":"%s","status":"%s",%s"bundle":"%s","annotations":{%s}}' \
		"$2" "$1" "${3:+\"pid\":$3,}" "$BUNDLE" "$4"
}

# hook JSON: run the hook with JSON on stdin; status in $PZ_RC.
hook()
{
	printf '%s' "$1" | pzonectl oci-hook >"$PZ_OUT" 2>"$PZ_ERR"
	PZ_RC=$?
}

# start_task CGROUP OUT CMD...: CMD in CGROUP (it moves itself there
# before exec), in the background; waits until /proc/PID/cgroup shows it.
start_task()
{
	_st_cg=$1
	_st_out=$2
	shift 2
	pz_bg "$_st_out" sh -c 'echo $$ > "$0/cgroup.procs" && exec "$@"' "$_st_cg" "$@"
	_st_rel=0::${_st_cg#"$PZ_CGROUP_ROOT"}
	for _i in $(seq 100); do
		grep -qx "$_st_rel" "/proc/$PZ_LAST_PID/cgroup" 2>/dev/null && return 0
		kill -0 "$PZ_LAST_PID" 2>/dev/null || break
		sleep 0.1
	done
	ktap_diag "task $PZ_LAST_PID not in $_st_cg: $(cat "/proc/$PZ_LAST_PID/cgroup" 2>/dev/null)"
	return 1
}

# snap CGROUP: what a refused hook must leave as it was.
snap()
{
	echo "$(pz_snapshot) records=$(ls -A "$OCI" 2>/dev/null | tr '\n' ' ')" \
	     "mems=$(cat "$1/cpuset.mems" 2>/dev/null || echo none)" \
	     "sub=$(cat "$CGP/cgroup.subtree_control") $(cat "$(dirname "$1")/cgroup.subtree_control")"
}

# bad DESC WANT JSON [CGROUP]: the hook refuses JSON with exactly the line
# WANT ("KERNEL:WHAT" means "WHAT: " plus the kernel's last_error) and
# leaves everything as it was (CGROUP: the container's, default $CTR).
bad()
{
	_b_cg=${4:-$CTR}
	_b_before=$(snap "$_b_cg")
	hook "$3"
	_b_want=$2
	case $_b_want in
	KERNEL:*)
		_b_want="pzonectl: oci-hook: ${_b_want#KERNEL:}: $(cat "$PZ_SYSFS/last_error")"
		;;
	esac
	_b_after=$(snap "$_b_cg")
	if [ "$PZ_RC" -ne 0 ] && [ "$(wc -l <"$PZ_ERR")" -eq 1 ] &&
	   [ "$(cat "$PZ_ERR")" = "$_b_want" ] && [ "$_b_after" = "$_b_before" ]; then
		ktap_ok "refused: $1"
	else
		ktap_diag "exit $PZ_RC; stderr:"
		sed 's/^/#   /' "$PZ_ERR"
		ktap_diag "want: $_b_want"
		[ "$_b_after" = "$_b_before" ] ||
			ktap_diag "before: $_b_before" "after:  $_b_after"
		ktap_fail "refused: $1"
	fi
}

# wait_log FILE PATTERN [SECS]: until a line of FILE matches PATTERN (grep -E).
wait_log()
{
	_wl_left=$((${3:-30} * 10))
	while [ "$_wl_left" -gt 0 ]; do
		grep -qE "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
		_wl_left=$((_wl_left - 1))
	done
	grep -qE "$2" "$1" 2>/dev/null
}

ktap_header
pz_require
for _n in $NAME $NAME2 $OTHER; do
	pzone_exists "$_n" && ktap_skip_all "pzone $_n exists"
done
[ -e "$CGP" ] && ktap_skip_all "$CGP exists"
ktap_plan 57
kmsg_mark
sum0=$(sum_memtotal_kb)
mkdir -p "$BUNDLE" "$CTR" || ktap_exit_fail_msg "cannot make $CTR"

# ---- createRuntime and poststop with a real task ----
command -v pzoned >/dev/null 2>&1 || ktap_exit_fail_msg "pzoned not found"
echo "# only the pzones of OCI containers" >"$PZ_TMP/empty.conf"
pz_bg "$PZ_TMP/pzoned.log" pzoned --json-log --tick 200 --oci-dir "$OCI" "$PZ_TMP/empty.conf"
PZONED=$PZ_LAST_PID
start_task "$CTR" "$PZ_TMP/sleep.out" sleep 1000 ||
	ktap_exit_fail_msg "container task did not start"
CPID=$PZ_LAST_PID
ktap_check "cpuset not yet in $CGP's subtree_control" \
	sh -c "! grep -qw cpuset '$CGP/cgroup.subtree_control'"
hook "$(state creating "$ID" "$CPID" '"org.pzone.size":"64M","org.pzone.node":"1","org.pzone.fallback":"true","io.other":"x"')"
[ "$PZ_RC" -eq 0 ] && [ ! -s "$PZ_ERR" ]
ktap_result "createRuntime: exit 0, nothing on stderr"
[ "$PZ_RC" -eq 0 ] || ktap_diag "exit $PZ_RC: $(cat "$PZ_ERR")"
ktap_check "pzone $NAME exists" pzone_exists "$NAME"
D=$(pzone_node "$NAME")
[ "$(pzone_attr "$NAME" size_bytes)" = 67108864 ] && [ "$(pzone_attr "$NAME" base_node)" = 1 ]
ktap_result "its size is 64 MiB, base node 1"
ktap_check "cpuset enabled in $CGP" grep -qw cpuset "$CGP/cgroup.subtree_control"
ktap_check "container cgroup cpuset.mems = D ($D)" [ "$(cat "$CTR/cpuset.mems")" = "$D" ]
ktap_check "the task's mems_allowed is D" \
	[ "$(awk '/^Mems_allowed_list:/ { print $2 }' "/proc/$CPID/status")" = "$D" ]
ktap_check "record for pzoned" sh -c "grep -qx 'id=$ID' '$OCI/$NAME' &&
	grep -qx 'guarantee_bytes=67108864' '$OCI/$NAME' &&
	grep -qx 'limit_bytes=67108864' '$OCI/$NAME' && grep -qx 'node=$D' '$OCI/$NAME' &&
	grep -qx 'cgroup=/kst_oci/ctr' '$OCI/$NAME'"
ktap_check "org.pzone.fallback=true: fallback_cgroups lists /kst_oci/ctr ('$(pzone_attr "$NAME" fallback_cgroups)')" \
	[ "$(pzone_attr "$NAME" fallback_cgroups)" = "/kst_oci/ctr" ]

wait_log "$PZ_TMP/pzoned.log" "\"pzone\":\"$NAME\",\"action\":\"adopt\".*oci-hook record"
ktap_result "pzoned adopts the pzone from the hook's record"

start_task "$CTR" "$PZ_TMP/touch.out" pzone_touch --anon 32 --hold 0 ||
	ktap_exit_fail_msg "pzone_touch did not start in $CTR"
TPID=$PZ_LAST_PID
pz_wait_ready "$PZ_TMP/touch.out" "$TPID" || ktap_exit_fail_msg "pzone_touch not ready"
check_numa_maps "a child in the container's cgroup has its 32 MiB on D" "$TPID" "$D" anon 8192
anon_kb=$(node_meminfo_kb "$D" AnonPages)
ktap_check "node $D AnonPages >= 32 MiB (${anon_kb} kB)" [ "${anon_kb:-0}" -ge 32768 ]

hook "$(state creating "$ID" "$CPID" '"org.pzone.size":"64M","org.pzone.node":"1"')"
[ "$PZ_RC" -eq 0 ] && [ "$(pzone_node "$NAME")" = "$D" ]
ktap_result "createRuntime run again for the same container: exit 0, same pzone"

pz_stop "$TPID"
pz_stop "$CPID"
rmdir "$CTR"
hook "$(state stopped "$ID" "" '"org.pzone.size":"64M","org.pzone.node":"1"')"
[ "$PZ_RC" -eq 0 ] && [ ! -s "$PZ_ERR" ]
ktap_result "poststop: exit 0, nothing on stderr"
[ "$PZ_RC" -eq 0 ] || ktap_diag "exit $PZ_RC: $(cat "$PZ_ERR")"
ktap_check "poststop: pzone gone" sh -c "! [ -d '$PZ_SYSFS/$NAME' ]"
ktap_check "poststop: record gone" [ ! -e "$OCI/$NAME" ]
ktap_check "sum of MemTotal exact ($sum0 kB)" [ "$(sum_memtotal_kb)" = "$sum0" ]
wait_log "$PZ_TMP/pzoned.log" "\"pzone\":\"$NAME\".*not in the config any more" &&
	! pzone_exists "$NAME" && kill -0 "$PZONED"
ktap_result "pzoned lets go of it (record gone) and does not recreate it"
pz_stop "$PZONED"
hook "$(state stopped "$ID" "" '"org.pzone.size":"64M"')"
[ "$PZ_RC" -eq 0 ] && [ ! -s "$PZ_ERR" ]
ktap_result "poststop again: exit 0 (idempotent)"
hook "$(state running "$ID" 1 '"org.pzone.size":"64M"')"
[ "$PZ_RC" -eq 0 ] && ! pzone_exists "$NAME"
ktap_result "status running: nothing done"
hook "$(state creating "$ID" 1 '"org.pzone.node":"1"')"
[ "$PZ_RC" -eq 0 ] && ! pzone_exists "$NAME"
ktap_result "no org.pzone.size: nothing done"

# ---- refused inputs ----
mkdir -p "$CTR"
start_task "$CTR" "$PZ_TMP/sleep2.out" sleep 1000 ||
	ktap_exit_fail_msg "container task did not start"
CPID=$PZ_LAST_PID
pz_create_checked "$OTHER" "$PZ_BASE" 16M
DO=$(pzone_node "$OTHER")
FREE_ID=$(expand_nodelist "$(cat "$PZ_SYSFS/available_nodes")" | awk '{ print $1 }')
S="\"org.pzone.size\":\"64M\""
P="pzonectl: oci-hook"

bad "size 0" "$P: org.pzone.size: \"0\": must be greater than 0" \
	"$(state creating "$ID2" "$CPID" '"org.pzone.size":"0"')"
bad "garbage size" "$P: org.pzone.size: \"12Q\": not a size (bytes with optional K/M/G/T suffix)" \
	"$(state creating "$ID2" "$CPID" '"org.pzone.size":"12Q"')"
bad "unknown base node" "$P: org.pzone.node: node 9 does not exist" \
	"$(state creating "$ID2" "$CPID" "$S,\"org.pzone.node\":\"9\"")"
bad "base node that is a pzone's node" "$P: org.pzone.node: node $DO is a pzone node, not an ordinary node" \
	"$(state creating "$ID2" "$CPID" "$S,\"org.pzone.node\":\"$DO\"")"
if [ -n "$FREE_ID" ]; then
	bad "base node that is an unused pzone id" "$P: org.pzone.node: node $FREE_ID is a pzone node, not an ordinary node" \
		"$(state creating "$ID2" "$CPID" "$S,\"org.pzone.node\":\"$FREE_ID\"")"
else
	ktap_fail "refused: base node that is an unused pzone id (no free id: available_nodes empty)"
fi
bad "garbage base node" "$P: org.pzone.node: \"one\": not a node number" \
	"$(state creating "$ID2" "$CPID" "$S,\"org.pzone.node\":\"one\"")"
bad "size larger than the base node can give" "KERNEL:create $NAME2" \
	"$(state creating "$ID2" "$CPID" '"org.pzone.size":"64G","org.pzone.node":"1"')"
bad "duplicate name" "$P: create $OTHER: a pzone named $OTHER exists" \
	"$(state creating "$ID2" "$CPID" "$S,\"org.pzone.name\":\"$OTHER\"")"
bad "invalid name" "$P: org.pzone.name: \"Bad!\": name may only contain [a-z0-9_-]" \
	"$(state creating "$ID2" "$CPID" "$S,\"org.pzone.name\":\"Bad!\"")"
bad "kernel larger than size" "$P: org.pzone.kernel: \"128M\" is larger than org.pzone.size \"64M\"" \
	"$(state creating "$ID2" "$CPID" "$S,\"org.pzone.kernel\":\"128M\"")"
bad "fallback not a boolean" "$P: org.pzone.fallback: \"yes\": not \"true\" or \"false\"" \
	"$(state creating "$ID2" "$CPID" "$S,\"org.pzone.fallback\":\"yes\"")"
bad "garbage kernel" "$P: org.pzone.kernel: \"x\": not a size (bytes with optional K/M/G/T suffix)" \
	"$(state creating "$ID2" "$CPID" "$S,\"org.pzone.kernel\":\"x\"")"
bad "limit smaller than size" "$P: org.pzone.limit: \"32M\" is smaller than org.pzone.size \"64M\"" \
	"$(state creating "$ID2" "$CPID" "$S,\"org.pzone.limit\":\"32M\"")"
bad "garbage limit" "$P: org.pzone.limit: \"1Z\": not a size (bytes with optional K/M/G/T suffix)" \
	"$(state creating "$ID2" "$CPID" "$S,\"org.pzone.limit\":\"1Z\"")"
bad "standby above limit - size" "$P: org.pzone.standby: \"8M\" is more than org.pzone.limit - org.pzone.size (4194304 bytes)" \
	"$(state creating "$ID2" "$CPID" "$S,\"org.pzone.limit\":\"68M\",\"org.pzone.standby\":\"8M\"")"
bad "garbage standby" "$P: org.pzone.standby: \"-4M\": not a size (bytes with optional K/M/G/T suffix)" \
	"$(state creating "$ID2" "$CPID" "$S,\"org.pzone.standby\":\"-4M\"")"
bad "unknown annotation" "$P: state: unknown annotation \"org.pzone.sise\"" \
	"$(state creating "$ID2" "$CPID" '"org.pzone.sise":"64M"')"
bad "malformed state JSON" "$P: state: malformed JSON at offset 31: expected ',' or '}'" \
	'{"id":"kst-oci-2","status":"x" "pid":1}'
bad "state that is not an object" "$P: state: not a JSON object" '["creating"]'
bad "missing id" "$P: state: missing \"id\"" \
	"{\"status\":\"creating\",\"pid\":$CPID,\"annotations\":{$S}}"
bad "missing status" "$P: state: missing \"status\"" \
	"{\"id\":\"$ID2\",\"pid\":$CPID,\"annotations\":{$S}}"
bad "missing pid" "$P: state: missing \"pid\"" \
	"$(state creating "$ID2" "" "$S")"
bad "pid 0" "$P: state: \"pid\" must be a positive integer, not 0" \
	"$(state creating "$ID2" 0 "$S")"
bad "unreadable bundle config" "$P: $PZ_TMP/nobundle/config.json: No such file or directory" \
	"{\"id\":\"$ID2\",\"status\":\"creating\",\"pid\":$CPID,\"bundle\":\"$PZ_TMP/nobundle\"}"
printf '{"process":{"args":["sh"]},"annotations":{"org.pzone.size":"64M",}}' >"$BUNDLE/config.json"
bad "malformed bundle config" "$P: $BUNDLE/config.json: malformed JSON at offset 65: expected a string (object key)" \
	"{\"id\":\"$ID2\",\"status\":\"creating\",\"pid\":$CPID,\"bundle\":\"$BUNDLE\"}"
rm -f "$BUNDLE/config.json"
bad "container in the root cgroup" "$P: cgroup of pid 1: it is in the root cgroup; the runtime must give the container a cgroup" \
	"$(state creating "$ID2" 1 "$S")"
bad "pid that does not exist" "$P: cgroup of pid 999999: /proc/999999/cgroup: No such file or directory" \
	"$(state creating "$ID2" 999999 "$S")"

# Failures after the create: the pzone is destroyed, the cgroup restored.
mkdir -p "$BUSY/ctr"
start_task "$BUSY" "$PZ_TMP/busy.out" sleep 1000 ||
	ktap_exit_fail_msg "task did not start in $BUSY"
start_task "$BUSY/ctr" "$PZ_TMP/busyctr.out" sleep 1000 ||
	ktap_exit_fail_msg "task did not start in $BUSY/ctr"
BPID=$PZ_LAST_PID
bad "cgroup step fails (cpuset in a parent that has tasks)" \
	"$P: cgroup /kst_oci/busy/ctr: enabling cpuset in $BUSY/cgroup.subtree_control: Device or resource busy" \
	"$(state creating "$ID2" "$BPID" "$S")" "$BUSY/ctr"
: >"$PZ_TMP/afile"
PZONE_OCI_DIR=$PZ_TMP/afile
bad "state file cannot be written" \
	"$P: state file $PZ_TMP/afile/$NAME2: Not a directory" \
	"$(state creating "$ID2" "$CPID" "$S")"
PZONE_OCI_DIR=$OCI
ktap_check "no pzone left by the refused inputs" sh -c "! [ -d '$PZ_SYSFS/$NAME2' ]"

# ---- --cgroup-parent, and a refused destroy keeps the cgroup ----
pz_run pzonectl exec "$OTHER" --cgroup-parent kst_oci -- true
[ "$PZ_RC" -eq 0 ] && [ "$(cat "$CGP/pzone-$OTHER/cpuset.mems" 2>/dev/null)" = "$DO" ] &&
	[ ! -e "$PZ_CGROUP_ROOT/pzone-$OTHER" ]
ktap_result "exec --cgroup-parent kst_oci: cgroup kst_oci/pzone-$OTHER, mems $DO"
[ "$PZ_RC" -eq 0 ] || ktap_diag "exit $PZ_RC: $(cat "$PZ_ERR")"
pz_bg "$PZ_TMP/bound.out" numactl --membind="$DO" sleep 1000
BOUND=$PZ_LAST_PID
for _i in $(seq 100); do
	grep -q "^Mems_allowed_list:" "/proc/$BOUND/status" 2>/dev/null &&
		[ "$(readlink "/proc/$BOUND/exe")" != "$(command -v numactl)" ] && break
	sleep 0.1
done
export PZONE_CGROUP_PARENT=/kst_oci
pz_run pzonectl destroy "$OTHER"
[ "$PZ_RC" -eq 1 ] && grep -q "^pzonectl: destroy $OTHER: 1 task(s) still bound to node $DO" "$PZ_ERR"
ktap_result "destroy with a task bound by numactl is refused by the kernel"
[ "$PZ_RC" -eq 1 ] || ktap_diag "exit $PZ_RC: $(cat "$PZ_ERR")"
[ -d "$CGP/pzone-$OTHER" ] && pzone_exists "$OTHER"
ktap_result "refused destroy: pzone and cgroup kst_oci/pzone-$OTHER kept"
pz_stop "$BOUND"
pz_destroy "$OTHER"
[ "$PZ_RC" -eq 0 ] && [ ! -e "$CGP/pzone-$OTHER" ] && ! pzone_exists "$OTHER"
ktap_result "destroy (PZONE_CGROUP_PARENT=/kst_oci): pzone and cgroup removed"
unset PZONE_CGROUP_PARENT

test_cleanup
ktap_check "sum of MemTotal exact at the end ($sum0 kB)" [ "$(sum_memtotal_kb)" = "$sum0" ]
check_dmesg_clean
ktap_finish
