#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Host tests for pzonectl against a fake sysfs and cgroup tree (no guest,
# no root).  Prints TAP; exits non-zero if any check fails.
# Usage: PZONECTL=/path/to/pzonectl test_pzonectl.sh

PZONECTL=${PZONECTL:-$(dirname "$0")/../../tools/pzonectl/pzonectl}
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh" pzonectl-test
UNDER_TEST=("$PZONECTL")

err_one_line()	{ head -n1 "$T/err" | grep -q '^pzonectl: [^:]*: '; }

# py EXPR: evaluate a python3 assertion on the JSON document in $T/out
py()
{
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert '"$1"', d
' "$T/out" 2>>"$T/err"
}

mkpzone()	# NAME NODE BASE SIZE
{
	fake_pzone "$@"
	echo "blocks_moved_in 16" >"$PZ/$1/stats"
}

setup()
{
	fake_pzone_root 3-5
	mkdir -p "$PZ/power"		# driver-core dir: not a pzone
	mkpzone web 2 1 67108864
	echo memory >"$CG/cgroup.subtree_control"
}

mkcgroup()	# NAME [PID]
{
	mkdir -p "$CG/pzone-$1"
	: >"$CG/pzone-$1/cpuset.mems"
	if [ -n "$2" ]; then echo "$2"; fi >"$CG/pzone-$1/cgroup.procs"
}

KEYS='["base_node","cgroup","dir_stats","dirs","free_bytes","kernel_bytes","kernel_limit_bytes","kernel_used_bytes","last_error","name","node","nr_blocks","size_bytes","state"]'

echo "TAP version 13"
setup

# ---- help ----
for args in --help -h help "-v --help"; do
	# shellcheck disable=SC2086
	expect 0 "pzonectl $args" $args
	check "pzonectl $args prints usage on stdout" out_has "usage: pzonectl"
done
for c in create destroy resize list show stats top features version exec bind oci-hook; do
	expect 0 "$c --help" "$c" --help
	check "$c --help on stdout" out_has "usage: pzonectl $c"
	expect 0 "help $c" help "$c"
	expect 0 "$c -h" "$c" -h
done

# ---- version, features ----
expect 0 "--version" --version
check "--version: 'pzonectl VERSION'" grep -qxE 'pzonectl [0-9]+\.[0-9]+(\.[0-9]+)?' "$T/out"
ver=$(cat "$T/out")
expect 0 "version" version
check "version: same first line as --version" [ "$(head -1 "$T/out")" = "$ver" ]
check "version: kernel with pzone support" grep -q '^kernel .*, with pzone support$' "$T/out"
expect 0 "version --json" version --json
check "version --json" py "d['version'] == '${ver#pzonectl }' and d['pzone'] is True and isinstance(d['kernel'], str)"
PZONE_SYSFS_ROOT=$T/nosys expect 0 "version without pzone support" version -j
check "version -j: pzone false" py "d['pzone'] is False"
mv "$PZ/web" "$T/web.saved"		# no pzone for a while
expect 0 "features, no pzone" features
check "features: pzone yes" grep -qE '^pzone +yes ' "$T/out"
check "features: per-pzone features unknown without a pzone" grep -qE '^events +unknown ' "$T/out"
check "features: says why" out_has "no pzone exists"
expect 0 "features --json, no pzone" features --json
check "features --json, no pzone: null" py "d['pzone'] is True and d['events'] is None and d['standby'] is None and d['draining_nodes'] is False"
mkpzone feat 2 1 67108864
: >"$PZ/feat/events"
echo 1-2 >"$PZ/draining_nodes"
expect 0 "features --json with a pzone" features --json
check "features --json: by the files of the pzone" py "d['events'] is True and d['standby'] is False and d['stats'] is True and d['pressure'] is False and d['draining_nodes'] is True"
expect 0 "features with a pzone" features
check "features: events yes" grep -qE '^events +yes ' "$T/out"
check "features: standby no" grep -qE '^standby +no ' "$T/out"
rm -rf "${PZ:?}/feat" "$PZ/draining_nodes"
mv "$T/web.saved" "$PZ/web"
PZONE_SYSFS_ROOT=$T/nosys expect 0 "features without pzone support" features -j
check "features without support: all false" py "all(v is False for v in d.values())"

# ---- usage errors ----
expect 2 "no command"
expect 2 "unknown command" frobnicate
check "unknown command message" err_has "pzonectl: frobnicate: unknown command"
check "hint" err_has "try 'pzonectl --help'"
expect 2 "unknown option" list --bogus
check "usage error is 'pzonectl: <what>: <why>'" err_one_line
expect 2 "unknown top-level option" --bogus list
expect 2 "create without --size" create db --node 0
check "missing --size message" err_has "pzonectl: create: missing --size"
expect 2 "create without --node" create db --size 4M
expect 2 "create without NAME" create --node 0 --size 4M
expect 2 "create bad size" create db --node 0 --size 12x
check "bad size message" err_has "--size '12x': bad size"
expect 2 "create negative size" create db --node 0 --size -1
expect 2 "create zero size" create db --node 0 --size 0
expect 2 "create huge size" create db --node 0 --size 99999999999999999999
expect 2 "create bad kernel size" create db --node 0 --size 4M --kernel 4Q
expect 2 "create bad node" create db --node x --size 4M
expect 2 "create bad name (uppercase)" create Web --node 0 --size 4M
check "bad name message" err_has "pzonectl: create: bad name 'Web'"
expect 2 "create bad name (slash)" create a/b --node 0 --size 4M
expect 2 "create bad name (reserved)" create destroy --node 0 --size 4M
expect 2 "create bad name (32 chars)" create 01234567890123456789012345678901 --node 0 --size 4M
expect 2 "create --kernel > --size" create db --node 0 --size 4M --kernel 8M
expect 2 "--size needs a value" create db --node 0 --size
expect 2 "create --range without END" create db --node 0 --size 4M --range 1G
check "--range message" err_has "pzonectl: create: --range '1G': not START-END"
expect 2 "create --range bad START" create db --node 0 --size 4M --range x-1G
expect 2 "create --range bad END" create db --node 0 --size 4M --range 0-1Q
expect 2 "--json takes no value" list --json=1
expect 2 "show without NAME" show
expect 2 "show extra argument" show web web
expect 2 "resize without SIZE" resize web
expect 2 "resize bad size" resize web +x
expect 2 "resize below zero" resize web -64M
expect 2 "bind without PID" bind web
expect 2 "bind non-numeric PID" bind web 12abc
expect 2 "exec without command" exec web --
check "nothing was written to create" file_is "$PZ/create" ""

# ---- no kernel support ----
PZONE_SYSFS_ROOT=$T/nosys expect 3 "list without pzone sysfs" list
check "exit 3 message" err_has "pzonectl: list: kernel has no pzone support (no /sys/devices/system/pzone)"
PZONE_SYSFS_ROOT=$T/nosys expect 3 "show without pzone sysfs" show web
PZONE_SYSFS_ROOT=$T/nosys expect 3 "create without pzone sysfs" create db --node 0 --size 4M
PZONE_SYSFS_ROOT=$T/nosys expect 3 "destroy without pzone sysfs" destroy web
PZONE_SYSFS_ROOT=$T/nosys expect 3 "exec without pzone sysfs" exec web -- true

# ---- list / show ----
expect 0 "list" list
check "list header" grep -qE '^NAME +NODE +BASE +SIZE +KERNEL +FREE +STATE$' "$T/out"
check "list row" grep -qE '^web +2 +1 +64M +4M +60M +on$' "$T/out"
check "list skips non-pzone dirs" test "$(wc -l <"$T/out")" = 2
expect 0 "list --json" list --json
check "list --json is valid JSON" python3 -m json.tool "$T/out" /dev/null
check "list --json: one object" py "isinstance(d, list) and len(d) == 1"
check "list --json: keys" py "sorted(d[0]) == $KEYS"
check "list --json: values" py "d[0]['name'] == 'web' and d[0]['node'] == 2 and d[0]['base_node'] == 1 and d[0]['size_bytes'] == 67108864 and d[0]['kernel_bytes'] == 4194304 and d[0]['free_bytes'] == 62914560 and d[0]['nr_blocks'] == 16 and d[0]['state'] == 'on' and d[0]['last_error'] == '' and d[0]['cgroup'] is None"

mkpzone db 3 0 8388608
expect 0 "list two pzones" list --json
check "list --json: sorted" py "[p['name'] for p in d] == ['db', 'web']"
rm -rf "${PZ:?}/db"

expect 0 "show" show web
check "show node" out_has "node: 2"
check "show base_node" out_has "base_node: 1"
check "show size_bytes" out_has "size_bytes: 67108864 (64M)"
check "show state" out_has "state: on"
check "show cgroup" out_has "cgroup: none"
mkcgroup web 4242
printf 'bad "quote" \\ back\ttab\n' >"$PZ/web/last_error"
expect 0 "show --json" show web --json
check "show --json is valid JSON" python3 -m json.tool "$T/out" /dev/null
check "show --json: keys" py "sorted(d) == $KEYS"
check "show --json: numbers are integers" py "all(type(d[k]) is int for k in ['node','base_node','size_bytes','kernel_bytes','free_bytes','nr_blocks'])"
check "show --json: escaped last_error" py "d['last_error'] == 'bad \"quote\" \\\\ back\ttab'"
check "show --json: cgroup" py "d['cgroup'] == 'pzone-web'"
check "show --json: no kernel_limit_bytes file: null" py "d['kernel_limit_bytes'] is None and d['kernel_used_bytes'] is None"
check "show --json: no dirs file: dirs and dir_stats null" py "d['dirs'] is None and d['dir_stats'] is None"
printf '/srv/com mon\t16062\t3\t0\n/opt/x"y\t0\t0\t5\n' >"$PZ/web/dirs"
expect 0 "show --json with a dirs file" show web --json
check "show --json with dirs is valid JSON" python3 -m json.tool "$T/out" /dev/null
check "show --json: dirs" py "d['dirs'] == ['/srv/com mon', '/opt/x\"y']"
check "show --json: dir_stats" py "d['dir_stats'] == [{'path': '/srv/com mon', 'moved_pages': 16062, 'unmoved_pages': 3, 'fallbacks': 0}, {'path': '/opt/x\"y', 'moved_pages': 0, 'unmoved_pages': 0, 'fallbacks': 5}]"
expect 0 "show with a dirs file" show web
check "show lists the bound directories" out_has "dir: /srv/com mon (16062 pages moved in, 3 could not move, 0 fallbacks)"
rm -f "$PZ/web/dirs"
expect 0 "show with cgroup" show web
check "show cgroup tasks" out_has "cgroup: pzone-web (1 task)"
echo 33554432 >"$PZ/web/kernel_limit_bytes"
echo 1212416 >"$CG/pzone-web/memory.kmem.current"
expect 0 "show --json with a kernel limit" show web --json
check "show --json: kernel_limit_bytes, kernel_used_bytes" py "d['kernel_limit_bytes'] == 33554432 and d['kernel_used_bytes'] == 1212416"
expect 0 "show with a kernel limit" show web
check "show kernel_limit_bytes" out_has "kernel_limit_bytes: 33554432 (32M)"
check "show kernel_used_bytes" out_has "kernel_used_bytes: 1212416"
echo 0 >"$PZ/web/kernel_limit_bytes"
expect 0 "show without a kernel limit" show web
check "show kernel_limit_bytes: none" out_has "kernel_limit_bytes: none"
rm -f "$PZ/web/kernel_limit_bytes" "$CG/pzone-web/memory.kmem.current"
echo >"$PZ/web/last_error"
expect 1 "show unknown pzone" show nope
check "show unknown message" err_has "pzonectl: show nope: no such pzone"

# ---- stats ----
printf 'blocks_moved_in 16\nblocks_moved_out 2\nfailed_pages_pinned 7\n' >"$PZ/web/stats"
printf 'low 5\nreclaim_failing 0\noom 1\noom_kill 0\nstandby_used 1\n' >"$PZ/web/events"
printf 'refaults 123\nkswapd_wakeups 5\nfree_bytes 62914560\n' >"$PZ/web/pressure"
echo 33554432 >"$PZ/web/standby_bytes"
expect 0 "stats" stats web
check "stats: stats section" grep -qE '^  blocks_moved_in +16$' "$T/out"
check "stats: events section" grep -qE '^  oom +1$' "$T/out"
check "stats: pressure sizes in K/M/G" grep -qE '^  free_bytes +62914560 \(60M\)$' "$T/out"
check "stats: standby" out_has "standby_bytes: 33554432 (32M)"
expect 0 "stats --json" stats web --json
check "stats --json is valid JSON" python3 -m json.tool "$T/out" /dev/null
check "stats --json: top-level keys" py "list(d) == ['name', 'stats', 'events', 'pressure', 'standby_bytes']"
check "stats --json: stats keys are the sysfs keys" py "d['stats'] == {'blocks_moved_in': 16, 'blocks_moved_out': 2, 'failed_pages_pinned': 7}"
check "stats --json: events" py "d['events'] == {'low': 5, 'reclaim_failing': 0, 'oom': 1, 'oom_kill': 0, 'standby_used': 1}"
check "stats --json: pressure" py "d['pressure'] == {'refaults': 123, 'kswapd_wakeups': 5, 'free_bytes': 62914560}"
check "stats --json: raw integers" py "d['standby_bytes'] == 33554432 and all(type(v) is int for s in ('stats', 'events', 'pressure') for v in d[s].values())"
rm "$PZ/web/events" "$PZ/web/standby_bytes"
expect 0 "stats --json without events and standby" stats web --json
check "stats --json: missing file is null" py "d['events'] is None and d['standby_bytes'] is None and d['stats']['blocks_moved_in'] == 16"
echo "blocks_moved_in lots" >"$PZ/web/stats"
expect 1 "stats with a bad stats line" stats web
check "stats: bad line message" err_has "pzonectl: stats web: unexpected line in a counters file"
rm "$PZ/web/stats" "$PZ/web/pressure"
expect 1 "stats unknown pzone" stats nope
check "stats unknown message" err_has "pzonectl: stats nope: no such pzone"
expect 2 "stats without NAME" stats

expect 0 "-v traces reads" -v show web
check "-v trace line" err_has "read $PZ/web/node: \"2\""

# ---- create ----
mkpzone db 3 0 8388608
expect 0 "create (read back pre-created dir)" create db --node 0 --size 5M
check "create line" file_is "$PZ/create" "db 0 8388608"
check "create rounding note" err_has "pzonectl: note: size 5242880 rounded up to 8388608 bytes (4 MiB blocks)"
check "create result" file_is "$T/out" "db: node 3 (base node 0, 8388608 bytes, kernel 4194304 bytes)"
expect 0 "create --kernel 0" create db --node 0 --size 8M --kernel 0
check "create line with kernel 0" file_is "$PZ/create" "db 0 8388608 0"
check "no note when aligned" test ! -s "$T/err"
expect 0 "create --kernel=1M --size=8MiB" create db --node=0 --size=8MiB --kernel=1M
check "create line with kernel rounded" file_is "$PZ/create" "db 0 8388608 4194304"
check "kernel rounding note" err_has "note: kernel size 1048576 rounded up to 4194304 bytes"
expect 0 "create --range 0-2G" create db --node 0 --size 8M --range 0-2G
check "create line with a range" file_is "$PZ/create" "db 0 8388608 range=0-2147483648"
expect 0 "create --kernel 8M --range 1M-3G" create db --node 0 --size 8M --kernel 8M --range 1M-3G
check "create line with kernel and range" file_is "$PZ/create" "db 0 8388608 8388608 range=1048576-3221225472"
expect 0 "create --json" create db --node 0 --size 8M --json
check "create --json object" py "d['name'] == 'db' and d['node'] == 3"
expect 0 "create with short options -n -s -k -j" create db -n 0 -s 8M -k 0 -j
check "short options: the create line" file_is "$PZ/create" "db 0 8388608 0"
check "short options: -j is JSON" py "d['name'] == 'db' and d['node'] == 3"
expect 0 "short options bundled and attached (-js8M -n0)" create db -js8M -n0
check "bundled: the create line" file_is "$PZ/create" "db 0 8388608"
echo 0 >"$PZ/db/kernel_limit_bytes"
expect 0 "create --kernel-limit" create db --node 0 --size 8M --kernel-limit 32M
check "create --kernel-limit: create line" file_is "$PZ/create" "db 0 8388608"
check "create --kernel-limit: kernel_limit_bytes written" file_is "$PZ/db/kernel_limit_bytes" 33554432
expect 0 "create --kernel-limit rounds up to pages" create db --node 0 --size 8M --kernel-limit 5000
check "create --kernel-limit: 5000 -> 8192" file_is "$PZ/db/kernel_limit_bytes" 8192
expect 2 "create --kernel-limit 0" create db --node 0 --size 8M --kernel-limit 0
check "--kernel-limit 0 message" err_has "pzonectl: create: --kernel-limit '0': must be greater than 0"
expect 2 "create --kernel-limit bad" create db --node 0 --size 8M --kernel-limit 3X
rm -f "$PZ/db/kernel_limit_bytes"
: >"$PZ/destroy"
expect 1 "create --kernel-limit on a kernel without it" create db --node 0 --size 8M --kernel-limit 32M
check "no kernel limit: one line" file_is "$T/err" "pzonectl: create db: --kernel-limit: kernel without a kernel-memory limit (no db/kernel_limit_bytes)"
check "no kernel limit: the new pzone is destroyed" file_is "$PZ/destroy" "db"
: >"$PZ/destroy"
rm -rf "${PZ:?}/db"
expect 1 "create, no read back" create new --node 1 --size 4M
check "create line written" file_is "$PZ/create" "new 1 4194304"
check "read back failure message" err_has "pzonectl: create new: created, but reading it back failed"

rm -f "$PZ/create"; mkdir "$PZ/create"	# writes now fail with EISDIR
echo "base node 7 is not online" >"$PZ/last_error"
expect 1 "create fails" create db --node 7 --size 4M
check "create failure uses last_error" file_is "$T/err" "pzonectl: create db: base node 7 is not online"
echo >"$PZ/last_error"
expect 1 "create fails without last_error" create db --node 7 --size 4M
check "create failure uses strerror" file_is "$T/err" "pzonectl: create db: Is a directory"
rmdir "$PZ/create"; : >"$PZ/create"

# ---- destroy ----
mkcgroup web 4242
expect 1 "destroy refuses with tasks" destroy web
check "destroy refusal message" file_is "$T/err" "pzonectl: destroy web: 1 task(s) still in the pzone (cgroup pzone-web); move them out or kill them first"
check "destroy not written" file_is "$PZ/destroy" ""
expect 0 "destroy --evacuate passes through" destroy web --evacuate
check "destroy evacuate line" file_is "$PZ/destroy" "web evacuate"
: >"$PZ/destroy"
# A refused destroy must leave the cgroup: nothing is removed before the
# kernel destroy succeeded (here it fails: destroy is a directory).
mkcgroup web	# no tasks
rm -f "$PZ/destroy"; mkdir "$PZ/destroy"
echo "1 task(s) still bound to node 2 (pid 99)" >"$PZ/last_error"
expect 1 "refused destroy" destroy web
check "refused destroy: the kernel's reason" file_is "$T/err" "pzonectl: destroy web: 1 task(s) still bound to node 2 (pid 99)"
check "refused destroy: cgroup kept" test -f "$CG/pzone-web/cgroup.procs"
expect 1 "refused destroy, traced" -v destroy web
check "refused destroy: no rmdir tried" sh -c "! grep -q rmdir '$T/err'"
rmdir "$PZ/destroy"; : >"$PZ/destroy"; echo >"$PZ/last_error"
# the fake dir holds files, so the rmdir after the destroy fails
expect 1 "destroy with empty cgroup: destroy, then rmdir" -v destroy web
check "destroy written before the rmdir" sh -c "grep -n 'write $PZ/destroy\|rmdir ' '$T/err' | head -n1 | grep -q 'write $PZ/destroy'"
check "rmdir failure message" err_has "pzonectl: destroy web: destroyed, but removing cgroup pzone-web failed: Directory not empty"
check "destroy written" file_is "$PZ/destroy" "web"
: >"$PZ/destroy"
rm -f "$CG/pzone-web/"*
expect 1 "destroy with unreadable cgroup.procs" destroy web
check "destroy not written with unreadable cgroup" file_is "$PZ/destroy" ""
rmdir "$CG/pzone-web"
expect 0 "destroy without cgroup" destroy web
check "destroy line" file_is "$PZ/destroy" "web"
check "destroy output" file_is "$T/out" "web: destroyed"
expect 1 "destroy unknown pzone" destroy nope
check "destroy unknown message" err_has "pzonectl: destroy nope: no such pzone"

# ---- resize ----
resize_to()	# DESC SPEC EXPECTED
{
	echo 67108864 >"$PZ/web/size_bytes"
	expect 0 "resize $2" resize web "$2"
	check "resize $2 writes $3" file_is "$PZ/web/size_bytes" "$3"
}
resize_to "grow" +64M 134217728
check "resize output" file_is "$T/out" "web: size 134217728 bytes (was 67108864)"
resize_to "shrink" -32M 33554432
resize_to "absolute" 100M 104857600
resize_to "round" +1 71303168
check "resize rounding note" err_has "note: size 67108865 rounded up to 71303168 bytes"
rm -f "$PZ/web/size_bytes"; mkdir "$PZ/web/size_bytes"
echo "not enough free memory on node 1" >"$PZ/web/last_error"
expect 1 "resize unreadable size" resize web +4M
rmdir "$PZ/web/size_bytes"; echo 67108864 >"$PZ/web/size_bytes"
echo >"$PZ/web/last_error"
expect 1 "resize unknown pzone" resize nope +4M

# ---- exec / bind ----
setup
mkcgroup web
expect 0 "exec" exec web -- sh -c 'echo $$'
check "exec moved itself (pid in cgroup.procs)" file_is "$CG/pzone-web/cgroup.procs" "$(cat "$T/out")"
check "exec set cpuset.mems" file_is "$CG/pzone-web/cpuset.mems" 2
check "exec enabled cpuset" file_is "$CG/cgroup.subtree_control" "+cpuset"
echo "memory cpuset" >"$CG/cgroup.subtree_control"
expect 0 "exec without -- " exec web true
check "cpuset already enabled: not rewritten" file_is "$CG/cgroup.subtree_control" "memory cpuset"
expect 127 "exec missing program" exec web -- /nonexistent/prog
check "exec failure message" err_has "pzonectl: exec web: /nonexistent/prog: No such file or directory"
echo 33554432 >"$PZ/web/kernel_limit_bytes"
echo "cpuset" >"$CG/cgroup.subtree_control"
echo max >"$CG/pzone-web/memory.kmem.max"
expect 0 "exec with a kernel limit" exec web -- true
check "exec set memory.kmem.max" file_is "$CG/pzone-web/memory.kmem.max" 33554432
check "exec enabled memory" file_is "$CG/cgroup.subtree_control" "+memory"
echo 0 >"$PZ/web/kernel_limit_bytes"
expect 0 "bind without a kernel limit" bind web 33
check "bind wrote memory.kmem.max = max" file_is "$CG/pzone-web/memory.kmem.max" max
echo 4096 >"$PZ/web/kernel_limit_bytes"
rm "$CG/pzone-web/memory.kmem.max"
expect 1 "exec with a kernel limit, no memory.kmem.max" exec web -- true
check "no memory.kmem.max: one line" file_is "$T/err" "pzonectl: exec web: kernel limit 4096: kernel without memory.kmem.max (pzone node ids reserved?)"
rm "$PZ/web/kernel_limit_bytes"
# --fallback: the child cgroup pzone-NAME/fallback, marked in fallback_cgroups
mkdir -p "$CG/pzone-web/fallback"; : >"$CG/pzone-web/fallback/cgroup.procs"
: >"$PZ/web/fallback_cgroups"
expect 0 "exec --fallback" exec web --fallback -- sh -c 'echo $$'
check "exec --fallback: pid in pzone-web/fallback/cgroup.procs" file_is "$CG/pzone-web/fallback/cgroup.procs" "$(cat "$T/out")"
check "exec --fallback: cgroup marked" file_is "$PZ/web/fallback_cgroups" "/pzone-web/fallback"
check "exec --fallback: cpuset.mems on pzone-web" file_is "$CG/pzone-web/cpuset.mems" 2
: >"$PZ/web/fallback_cgroups"
expect 0 "bind --fallback" bind web --fallback 33 34
check "bind --fallback output" file_is "$T/out" "web: moved 2 of 2 task(s) to cgroup pzone-web/fallback"
check "bind --fallback: cgroup marked" file_is "$PZ/web/fallback_cgroups" "/pzone-web/fallback"
rmdir "$PZ/web/fallback_cgroups" 2>/dev/null || rm -f "$PZ/web/fallback_cgroups"
mkdir "$PZ/web/fallback_cgroups"
echo "/pzone-web/fallback is not a cgroup v2 cgroup" >"$PZ/web/last_error"
expect 1 "bind --fallback, marking fails" bind web --fallback 33
check "marking failure message" file_is "$T/err" "pzonectl: bind web: setting up cgroup pzone-web/fallback: /pzone-web/fallback is not a cgroup v2 cgroup"
rmdir "$PZ/web/fallback_cgroups"; echo >"$PZ/web/last_error"
rm -rf "${CG:?}/pzone-web"
expect 1 "exec, cgroup files missing" exec web -- true
check "exec cgroup failure message" err_has "pzonectl: exec web: setting cpuset.mems to 2"

# --cgroup-parent / PZONE_CGROUP_PARENT: pzone-NAME under a subtree,
# cpuset enabled from the root down to it.
setup
mkdir -p "$CG/a/b/pzone-web"
: >"$CG/a/cgroup.subtree_control"; echo memory >"$CG/a/b/cgroup.subtree_control"
: >"$CG/a/b/pzone-web/cpuset.mems"; : >"$CG/a/b/pzone-web/cgroup.procs"
expect 0 "exec --cgroup-parent a/b" exec web --cgroup-parent a/b -- sh -c 'echo $$'
check "exec under the parent (pid in a/b/pzone-web)" file_is "$CG/a/b/pzone-web/cgroup.procs" "$(cat "$T/out")"
check "exec under the parent: cpuset.mems" file_is "$CG/a/b/pzone-web/cpuset.mems" 2
check "cpuset enabled in the root" file_is "$CG/cgroup.subtree_control" "+cpuset"
check "cpuset enabled in a" file_is "$CG/a/cgroup.subtree_control" "+cpuset"
check "cpuset enabled in a/b" file_is "$CG/a/b/cgroup.subtree_control" "+cpuset"
check "no pzone-web at the root" test ! -e "$CG/pzone-web"
: >"$CG/a/b/pzone-web/cpuset.mems"
PZONE_CGROUP_PARENT=/a/b/ expect 0 "exec with PZONE_CGROUP_PARENT=/a/b/" exec web -- true
check "PZONE_CGROUP_PARENT: cpuset.mems" file_is "$CG/a/b/pzone-web/cpuset.mems" 2
: >"$CG/a/b/pzone-web/cpuset.mems"
PZONE_CGROUP_PARENT=x expect 0 "the option wins over the environment" exec web --cgroup-parent "$CG/a/./b" -- true
check "absolute path under the mount" file_is "$CG/a/b/pzone-web/cpuset.mems" 2
expect 0 "show --cgroup-parent" show web --json --cgroup-parent a/b
check "show --json: cgroup under the parent" py "d['cgroup'] == 'a/b/pzone-web'"
expect 0 "bind --cgroup-parent" bind web --cgroup-parent a/b 33
check "bind output names the cgroup" file_is "$T/out" "web: moved 1 of 1 task(s) to cgroup a/b/pzone-web"
expect 2 "--cgroup-parent with .." exec web --cgroup-parent a/../b -- true
check "'..' refused" file_is "$T/err" "pzonectl: exec: --cgroup-parent 'a/../b': not a cgroup path (no '..', at most 4095 bytes) (try 'pzonectl exec --help')"
PZONE_CGROUP_PARENT=../x expect 2 "PZONE_CGROUP_PARENT with .." exec web -- true
expect 1 "missing parent" exec web --cgroup-parent nope -- true
check "missing parent message" file_is "$T/err" "pzonectl: exec web: cgroup parent $CG/nope: No such file or directory"
expect 2 "--cgroup-parent is not a create option" create db --node 0 --size 4M --cgroup-parent a

setup
mkcgroup web
expect 0 "bind" -v bind web 11 22
check "bind wrote pid 11" err_has "write $CG/pzone-web/cgroup.procs: \"11\""
check "bind wrote pid 22" file_is "$CG/pzone-web/cgroup.procs" 22
rm -f "$CG/pzone-web/cgroup.procs"
expect 1 "bind failure" bind web 11
check "bind per-pid message" err_has "pzonectl: bind web: pid 11: No such file or directory"
expect 1 "bind unknown pzone" bind nope 11

# ---- oci-hook on the fake tree (the policy: test_oci_hook.c) ----
export PZONE_PROC_ROOT=$T/proc PZONE_OCI_DIR=$T/oci
NODES=$SYS/devices/system/node
one_line()	{ [ "$(wc -l <"$T/err")" = 1 ] && file_is "$T/err" "$1"; }
hook()		# JSON: run the hook with JSON on stdin
{
	printf '%s' "$1" >"$T/state.json"
	run "$PZONECTL" oci-hook <"$T/state.json"
}
oci_setup()
{
	setup
	mkdir -p "$NODES" "$T/proc/4242" "$CG/ctr/c1" "$T/bundle"
	echo 0-5 >"$NODES/possible"; echo 0-2 >"$NODES/online"
	printf 'Node 0, zone   Normal\n  pages free     1000\n        managed  2000\nNode 1, zone   Normal\n  pages free     700000\n        managed  786432\n' >"$T/proc/zoneinfo"
	echo "0::/ctr/c1" >"$T/proc/4242/cgroup"
	echo "cpuset memory" >"$CG/cgroup.subtree_control"
	: >"$CG/ctr/cgroup.subtree_control"
	echo 0-1 >"$CG/ctr/c1/cpuset.mems"
	rm -rf "$T/oci"
	fake_pzone oci-c1 2 1 67108864	# what the kernel would make
}
CREATE='{"ociVersion":"1.2.0","id":"c1","status":"creating","pid":4242,"bundle":"'$T'/bundle","annotations":{"org.pzone.size":"64M"}}'
STOP='{"ociVersion":"1.2.0","id":"c1","status":"stopped","bundle":"'$T'/bundle"}'

oci_setup
hook "$CREATE"
[ "$rc" = 0 ] && [ ! -s "$T/err" ]; ok $? "oci-hook createRuntime: exit 0, nothing on stderr (rc $rc)"
check "oci-hook: create line (default node: most free ZONE_NORMAL)" file_is "$PZ/create" "oci-c1 1 67108864"
check "oci-hook: cpuset enabled in the container's parent" file_is "$CG/ctr/cgroup.subtree_control" "+cpuset"
check "oci-hook: root's subtree_control left alone" file_is "$CG/cgroup.subtree_control" "cpuset memory"
check "oci-hook: container cpuset.mems = D" file_is "$CG/ctr/c1/cpuset.mems" 2
check "oci-hook: record for pzoned" grep -qx "guarantee_bytes=67108864" "$T/oci/oci-c1"
check "oci-hook: record names the container and the cgroup" sh -c "grep -qx id=c1 '$T/oci/oci-c1' && grep -qx cgroup=/ctr/c1 '$T/oci/oci-c1' && grep -qx limit_bytes=67108864 '$T/oci/oci-c1' && grep -qx node=2 '$T/oci/oci-c1' && grep -qx base_node=1 '$T/oci/oci-c1'"
check "oci-hook: no temporary file left" [ "$(ls -A "$T/oci")" = oci-c1 ]
: >"$PZ/create"
hook "$CREATE"
check "oci-hook run again for the same container: exit 0 (rc $rc)" [ "$rc" = 0 ]
check "oci-hook run again: no second create" file_is "$PZ/create" ""
hook "$(echo "$CREATE" | sed 's/creating/running/')"
[ "$rc" = 0 ] && [ ! -s "$T/err" ]; ok $? "oci-hook: status running is ignored (rc $rc)"
hook "$STOP"
[ "$rc" = 0 ] && [ ! -s "$T/err" ]; ok $? "oci-hook poststop: exit 0 (rc $rc)"
check "oci-hook poststop: destroy with evacuation" file_is "$PZ/destroy" "oci-c1 evacuate"
check "oci-hook poststop: record removed" [ ! -e "$T/oci/oci-c1" ]
: >"$PZ/destroy"
hook "$STOP"
[ "$rc" = 0 ] && file_is "$PZ/destroy" ""; ok $? "oci-hook poststop again: exit 0, nothing done (rc $rc)"

# org.pzone.kernel_limit: NAME/kernel_limit_bytes and the container's memory.kmem.max
KLIM='{"ociVersion":"1.2.0","id":"c1","status":"creating","pid":4242,"bundle":"'$T'/bundle","annotations":{"org.pzone.size":"64M","org.pzone.kernel_limit":"32M"}}'
oci_setup
echo 0 >"$PZ/oci-c1/kernel_limit_bytes"
echo max >"$CG/ctr/c1/memory.kmem.max"
hook "$KLIM"
[ "$rc" = 0 ] && [ ! -s "$T/err" ]; ok $? "oci-hook kernel_limit: exit 0, nothing on stderr (rc $rc)"
check "oci-hook kernel_limit: kernel_limit_bytes written" file_is "$PZ/oci-c1/kernel_limit_bytes" 33554432
check "oci-hook kernel_limit: container memory.kmem.max" file_is "$CG/ctr/c1/memory.kmem.max" 33554432
check "oci-hook kernel_limit: root already has memory" file_is "$CG/cgroup.subtree_control" "cpuset memory"
oci_setup
echo 0 >"$PZ/oci-c1/kernel_limit_bytes"
hook "$KLIM"
[ "$rc" = 1 ] && one_line "pzonectl: oci-hook: cgroup /ctr/c1: kernel without memory.kmem.max"; ok $? "oci-hook kernel_limit: no memory.kmem.max in the cgroup (rc $rc)"
check "oci-hook kernel_limit: failure: the pzone is destroyed" file_is "$PZ/destroy" "oci-c1 evacuate"
check "oci-hook kernel_limit: failure: cpuset.mems restored" file_is "$CG/ctr/c1/cpuset.mems" 0-1
check "oci-hook kernel_limit: failure: no record" [ ! -e "$T/oci/oci-c1" ]
oci_setup
hook "$(echo "$KLIM" | sed 's/"32M"/"0"/')"
[ "$rc" = 1 ] && one_line 'pzonectl: oci-hook: org.pzone.kernel_limit: "0": must be greater than 0'; ok $? "oci-hook kernel_limit 0 refused (rc $rc)"
check "oci-hook kernel_limit 0: nothing created" file_is "$PZ/create" ""
oci_setup
hook "$KLIM"
[ "$rc" = 1 ] && one_line "pzonectl: oci-hook: org.pzone.kernel_limit oci-c1: kernel without a kernel-memory limit"; ok $? "oci-hook kernel_limit on a kernel without it (rc $rc)"
check "oci-hook kernel_limit, old kernel: the pzone is destroyed" file_is "$PZ/destroy" "oci-c1 evacuate"

oci_setup
printf '{"ociVersion":"1.2.0","process":{"args":["sh"]},"annotations":{"org.pzone.size":"8M","org.pzone.node":"0","org.pzone.name":"web","org.pzone.kernel":"0","org.pzone.standby":"4M"}}' >"$T/bundle/config.json"
fake_pzone web 3 0 8388608
echo 0 >"$PZ/web/standby_bytes"
hook '{"id":"c1","status":"created","pid":4242,"bundle":"'$T'/bundle"}'
check "oci-hook: annotations from the bundle's config.json (rc $rc)" [ "$rc" = 0 ]
check "oci-hook: name, node, kernel from config.json" file_is "$PZ/create" "web 0 8388608 0"
check "oci-hook: standby written" file_is "$PZ/web/standby_bytes" 4194304
check "oci-hook: limit defaults to size + standby" grep -qx "limit_bytes=12582912" "$T/oci/web"
hook '{"id":"c1","status":"created","pid":4242,"bundle":"'$T'/nobundle"}'
[ "$rc" = 1 ] && one_line "pzonectl: oci-hook: $T/nobundle/config.json: No such file or directory"; ok $? "oci-hook: unreadable config.json (rc $rc)"
hook '{"id":"c9","status":"creating","pid":4242,"bundle":"'$T'/bundle","annotations":{"io.x":"y"}}'
[ "$rc" = 0 ] && file_is "$PZ/create" "web 0 8388608 0"; ok $? "oci-hook: state without org.pzone.*: config.json's are used (rc $rc)"
rm -rf "$T/bundle/config.json"

oci_setup
hook '{"id":"c1","status":"creating","pid":4242,"annotations":{"org.pzone.node":"1"}}'
[ "$rc" = 0 ] && [ ! -s "$T/err" ] && file_is "$PZ/create" ""; ok $? "oci-hook: no org.pzone.size: nothing done (rc $rc)"
hook '{"id":"c1","status":"creating","pid":4242,"annotations":{"org.pzone.size":"0"}}'
[ "$rc" = 1 ] && one_line 'pzonectl: oci-hook: org.pzone.size: "0": must be greater than 0'; ok $? "oci-hook: size 0 refused (rc $rc)"
check "oci-hook: nothing written after a refusal" file_is "$PZ/create" ""
hook '{"id":"c1","status":"creating","pid":4242'
[ "$rc" = 1 ] && one_line "pzonectl: oci-hook: state: malformed JSON at offset 41: unexpected end of input"; ok $? "oci-hook: malformed state (rc $rc)"
hook '{"id":"c1","status":"creating","pid":4242,"annotations":{"org.pzone.size":"64M","org.pzone.node":"2"}}'
[ "$rc" = 1 ] && one_line "pzonectl: oci-hook: org.pzone.node: node 2 is a pzone node, not an ordinary node"; ok $? "oci-hook: a pzone node as base (rc $rc)"
hook '{"id":"c1","status":"creating","pid":4243,"annotations":{"org.pzone.size":"64M"}}'
[ "$rc" = 1 ] && one_line "pzonectl: oci-hook: cgroup of pid 4243: $T/proc/4243/cgroup: No such file or directory"; ok $? "oci-hook: pid without /proc/PID/cgroup (rc $rc)"
echo "0::/" >"$T/proc/4242/cgroup"
hook "$CREATE"
[ "$rc" = 1 ] && one_line "pzonectl: oci-hook: cgroup of pid 4242: it is in the root cgroup; the runtime must give the container a cgroup"; ok $? "oci-hook: pid in the root cgroup (rc $rc)"
echo "1:name=systemd:/x" >"$T/proc/4242/cgroup"
hook "$CREATE"
[ "$rc" = 1 ] && one_line "pzonectl: oci-hook: cgroup of pid 4242: no cgroup v2 line (0::) in $T/proc/4242/cgroup"; ok $? "oci-hook: no cgroup v2 line (rc $rc)"
check "oci-hook: nothing created on cgroup lookup failures" file_is "$PZ/create" ""

# failures after the create: everything undone
oci_setup
rm "$CG/ctr/c1/cpuset.mems"
hook "$CREATE"
[ "$rc" = 1 ] && one_line "pzonectl: oci-hook: cgroup /ctr/c1: reading $CG/ctr/c1/cpuset.mems: No such file or directory"; ok $? "oci-hook: cgroup step fails (rc $rc)"
check "oci-hook: cgroup failure: the pzone is destroyed" file_is "$PZ/destroy" "oci-c1 evacuate"
check "oci-hook: cgroup failure: cpuset in the parent undone" file_is "$CG/ctr/cgroup.subtree_control" "-cpuset"
check "oci-hook: cgroup failure: no record" [ ! -e "$T/oci/oci-c1" ]
oci_setup
: >"$T/notadir"
PZONE_OCI_DIR=$T/notadir hook "$CREATE"
[ "$rc" = 1 ] && one_line "pzonectl: oci-hook: state file $T/notadir/oci-c1: Not a directory"; ok $? "oci-hook: state file fails (rc $rc)"
check "oci-hook: state file failure: cpuset.mems untouched (the record is written first)" file_is "$CG/ctr/c1/cpuset.mems" 0-1
check "oci-hook: state file failure: parent's subtree_control untouched" file_is "$CG/ctr/cgroup.subtree_control" ""
check "oci-hook: state file failure: no temporary record left" [ ! -e "$T/notadir/.oci-c1.tmp" ]
check "oci-hook: state file failure: the pzone is destroyed" file_is "$PZ/destroy" "oci-c1 evacuate"
oci_setup
rm -f "$PZ/create"; mkdir "$PZ/create"
echo "base node 1 has 3000 MiB free in ZONE_NORMAL, 65536 MiB needed" >"$PZ/last_error"
hook "$CREATE"
[ "$rc" = 1 ] && one_line "pzonectl: oci-hook: create oci-c1: base node 1 has 3000 MiB free in ZONE_NORMAL, 65536 MiB needed"; ok $? "oci-hook: the kernel refuses: its reason (rc $rc)"
check "oci-hook: kernel refusal: cgroup untouched" file_is "$CG/ctr/c1/cpuset.mems" 0-1
check "oci-hook: kernel refusal: nothing destroyed" file_is "$PZ/destroy" ""
rmdir "$PZ/create"; : >"$PZ/create"; echo >"$PZ/last_error"
oci_setup
: >"$T/oci-dir-file"
mkdir -p "$T/oci"; printf 'id=c1\nname=oci-c1\nbase_node=1\nguarantee_bytes=4194304\nlimit_bytes=4194304\n' >"$T/oci/oci-c1"
rm -f "$PZ/destroy"; mkdir "$PZ/destroy"
echo "pzone oci-c1 is resizing" >"$PZ/last_error"
hook "$STOP"
[ "$rc" = 1 ] && one_line "pzonectl: oci-hook: destroy oci-c1: pzone oci-c1 is resizing"; ok $? "oci-hook poststop: a refused destroy fails (rc $rc)"
check "oci-hook poststop: refused: record kept" [ -e "$T/oci/oci-c1" ]
rmdir "$PZ/destroy"; : >"$PZ/destroy"; echo >"$PZ/last_error"
rm -rf "${PZ:?}/oci-c1"
hook "$STOP"
[ "$rc" = 0 ] && [ ! -e "$T/oci/oci-c1" ]; ok $? "oci-hook poststop: pzone already gone: exit 0, record removed (rc $rc)"
PZONE_SYSFS_ROOT=$T/nosys hook "$CREATE"
[ "$rc" = 3 ] && one_line "pzonectl: oci-hook: kernel: no pzone support (no /sys/devices/system/pzone)"; ok $? "oci-hook: no kernel support: exit 3 (rc $rc)"
expect 2 "oci-hook takes no arguments" oci-hook extra
unset PZONE_PROC_ROOT PZONE_OCI_DIR

# ---- top --once ----
setup
mkpzone web 2 1 67108864
printf 'refaults 10\nkswapd_wakeups 3\nfree_bytes 62914560\n' >"$PZ/web/pressure"
printf 'low 3\noom 0\n' >"$PZ/web/events"
mkdir -p "$SYS/devices/system/node/node1" "$SYS/devices/system/node/node2"
ln -s "$PZ/web" "$SYS/devices/system/node/node2/pzone"
printf 'Node 1 MemTotal: 4194304 kB\nNode 1 MemFree: 1048576 kB\n' >"$SYS/devices/system/node/node1/meminfo"
printf 'Node 2 Active(file): 8192 kB\nNode 2 Inactive(file): 8192 kB\nNode 2 Active(anon): 1024 kB\nNode 2 Inactive(anon): 1024 kB\n' \
	>"$SYS/devices/system/node/node2/meminfo"
COLUMNS=80 expect 0 "top --once" top --once
check "top --once: header" grep -qE '^NAME +NODE +SIZE +USED +FREE +FILE +ANON +KSWAPD/s +REFLT/s +EVENTS$' "$T/out"
check "top --once: the pzone's line" grep -qE '^web +2 +64M +4M +60M +16M +2M +0\.0 +0\.0 +0$' "$T/out"
check "top --once: base node line (node 2 is a pzone's, not listed)" \
	[ "$(grep '^base node' "$T/out")" = "base node 1: 1G free of 4G" ]
check "top --once: no escape sequences" [ "$(grep -c $'\033' "$T/out")" = 0 ]
check "top --once: fits COLUMNS=80" [ "$(awk '{ if (length($0) > m) m = length($0) } END { print m }' "$T/out")" -le 80 ]
COLUMNS=50 expect 0 "top --once, COLUMNS=50" top --once
check "top --once: fits COLUMNS=50" [ "$(awk '{ if (length($0) > m) m = length($0) } END { print m }' "$T/out")" -le 50 ]
expect 0 "top --once --json" top --once --json
check "top --once --json is valid JSON" python3 -m json.tool "$T/out" /dev/null
check "top --once --json: the pzone, raw integers" py "d['pzones'] == [{'name': 'web', 'node': 2, 'base_node': 1, 'size_bytes': 67108864, 'free_bytes': 62914560, 'file_bytes': 16777216, 'anon_bytes': 2097152, 'kswapd_wakeups': 3, 'refaults': 10, 'events': 3}]"
check "top --once --json: base nodes and the interval" py "d['base_nodes'] == [{'node': 1, 'free_bytes': 1073741824, 'total_bytes': 4294967296}] and d['interval_us'] >= 900000"
expect 2 "top --json needs --once" top --json
expect 2 "top takes no NAME" top web
PZONE_SYSFS_ROOT=$T/nosys expect 3 "top without pzone sysfs" top --once

# ---- bash completion ----
COMPLETION=$(cd "$(dirname "$0")/../../tools/pzonectl" && pwd)/pzonectl.bash-completion
setup
mkpzone web 2 1 67108864
mkdir -p "$SYS/devices/system/node/node0" "$SYS/devices/system/node/node1"
# comp PROG WORDS...: what bash completion offers for the last word
comp()
{
	local fn=_$1

	shift
	bash -c '. "$1"; shift; f=$1; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); "$f"; printf "%s\n" "${COMPREPLY[@]}"' \
		_ "$COMPLETION" "$fn" "$@" | sort | tr '\n' ' ' | sed 's/ $//'
}
check "completion: file parses" bash -n "$COMPLETION"
check "completion: commands" [ "$(comp pzonectl pzonectl s)" = "show stats" ]
check "completion: pzone names" [ "$(comp pzonectl pzonectl show '')" = "web" ]
check "completion: no name after NAME" [ "$(comp pzonectl pzonectl resize web '')" = "" ]
check "completion: --node takes node numbers" [ "$(comp pzonectl pzonectl create db --node '')" = "0 1" ]
check "completion: -n too" [ "$(comp pzonectl pzonectl create db -n '')" = "0 1" ]
check "completion: top-level options" [ "$(comp pzonectl pzonectl --v)" = "--verbose --version" ]
# every option of every command's synopsis is offered
for c in create destroy resize list show stats top features version exec bind; do
	run "$PZONECTL" "$c" --help
	offered=" $(comp pzonectl pzonectl "$c" -) "
	missing=
	for o in $(head -1 "$T/out" | grep -oE -- '--[a-z-]+'); do
		case $offered in *" $o "*) ;; *) missing="$missing $o" ;; esac
	done
	[ -z "$missing" ]; ok $? "completion: every option of '$c' offered${missing:+ (missing:$missing)}"
done
run "$PZONED" --help
offered=" $(comp pzoned pzoned -) "
missing=
for o in $(grep -oE -- '--[a-z-]+' "$T/out" | sort -u); do
	case $offered in *" $o "*) ;; *) missing="$missing $o" ;; esac
done
[ -z "$missing" ]; ok $? "completion: every option of pzoned offered${missing:+ (missing:$missing)}"

echo "1..$n"
[ "$failed" = 0 ] || echo "# $failed of $n failed"
[ "$failed" = 0 ]
