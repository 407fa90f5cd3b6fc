#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Host tests for pzoned against a fake sysfs tree (no guest, no root):
# config parsing, --check, "nothing applied" on a bad config, adoption and
# creation at start, SIGHUP with a bad config, SIGTERM.  Prints TAP; exits
# non-zero if any check fails.
# Usage: PZONED=/path/to/pzoned test_pzoned.sh

PZONED=${PZONED:-$(dirname "$0")/../../tools/pzonectl/pzoned}
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh" pzoned-test
daemon=
trap '[ -n "$daemon" ] && kill -KILL "$daemon" 2>/dev/null; rm -rf "$T"' EXIT
UNDER_TEST=(timeout 10 "$PZONED")

NODES=$SYS/devices/system/node
export PZONE_PROC_ROOT=$T/proc
export PZONE_OCI_DIR=$T/oci	# records of pzonectl oci-hook (none until the OCI section)

err_lines()	{ [ "$(wc -l <"$T/err")" -eq "$1" ]; }

# mknode N MEMTOTAL_KB MEMFREE_KB
mknode()
{
	mkdir -p "$NODES/node$1"
	printf 'Node %d MemTotal:       %d kB\nNode %d MemFree:        %d kB\nNode %d Inactive(file):  0 kB\n' \
		"$1" "$2" "$1" "$3" "$1" >"$NODES/node$1/meminfo"
}

mkpzone()	# NAME NODE BASE SIZE
{
	fake_pzone "$@"
	mknode "$2" $(($4 / 1024)) 61440
}

setup()
{
	fake_pzone_root 2-5
	mknode 0 2097152 1048576
	mknode 1 4194304 3145728	# 4 GiB: margin 512 MiB, 3.5 GiB promisable
}

cfg()	# FILE LINES...: write a config file
{
	local f=$1

	shift
	printf '%s\n' "$@" >"$f"
}

echo "TAP version 13"
setup

# ---- usage ----
expect 0 "--help" --help
check "--help on stdout" out_has "usage: pzoned"
check "--help documents the config line" out_has "NAME BASE_NODE GUARANTEE LIMIT PRIORITY STANDBY"
expect 0 "--version" --version
check "--version prints 'pzoned VERSION'" grep -qE '^pzoned [0-9]+\.[0-9]+' "$T/out"
PZONED_CONFIG=$T/absent.conf expect 0 "no CONFIG, default file missing: built-in defaults" --check
check "no CONFIG: checks the default path, no pzones" out_has "$T/absent.conf: ok: 0 pzones"
cfg "$T/default.conf" "web 1 512M 1G 10 0"
PZONED_CONFIG=$T/default.conf expect 0 "no CONFIG: the default file is read" --check
check "no CONFIG: the default file's pzone" out_has "$T/default.conf: ok: 1 pzone"
printf 'web 1\n' >"$T/default.conf"
PZONED_CONFIG=$T/default.conf expect 1 "no CONFIG: a bad default file is an error" --check
check "usage error is one line 'pzoned: usage: ...'" grep -q '^pzoned: usage: --grow-step' \
	<("$PZONED" --grow-step 12Q x.conf 2>&1)
expect 2 "option without its value" x.conf --grow-step
check "option without its value: message" err_has "pzoned: usage: option '--grow-step' needs a value"
expect 2 "a flag with a value" --check=1 x.conf
check "a flag with a value: message" err_has "option '--check' takes no value"
expect 1 "short options bundle (-cj)" -cj "$T/none.conf"
check "-cj: --check ran on the file" err_has "pzoned: $T/none.conf: No such file or directory"
expect 2 "unknown option" --bogus x.conf
expect 2 "bad --grow-step" --grow-step 12Q x.conf
expect 2 "extra argument" a.conf b.conf
expect 1 "missing config file" --check "$T/none.conf"
check "missing file reported with its path" err_has "pzoned: $T/none.conf: No such file or directory"

# ---- a valid config ----
cfg "$T/good.conf" \
	"# NAME BASE_NODE GUARANTEE LIMIT PRIORITY STANDBY" \
	"" \
	"web  1 512M 2G 50 64M    # trailing comment" \
	"	db 1 512m 2g 90 0" \
	"batch 1 256M 256M 0 0" \
	"cache 1 524288K 1G 10 4M" \
	"tiny 0 1 4M 0 0" \
	"klim 1 256M 1G 0 0 kernel_limit=32M"
expect 0 "--check good config" --check "$T/good.conf"
check "--check says ok and counts the pzones" out_has "good.conf: ok: 6 pzones"
check "kernel_limit=SIZE, field 7" out_has "klim: base node 1, guarantee 268435456, limit 1073741824, priority 0, standby 0, kernel limit 33554432"
check "sizes with K/M/G, any case" out_has "db: base node 1, guarantee 536870912, limit 2147483648, priority 90, standby 0"
check "K suffix" out_has "cache: base node 1, guarantee 536870912, limit 1073741824"
check "sizes rounded up to 4 MiB blocks" out_has "tiny: base node 0, guarantee 4194304, limit 4194304"
check "--check writes nothing to sysfs" file_is "$PZ/create" ""
expect 0 "-c is --check" -c "$T/good.conf"

# ---- bad lines: each reported with its line number, nothing applied ----
cfg "$T/bad.conf" \
	"# a comment" \
	"ok1 1 512M 1G 10 0" \
	"short 1 512M 1G 10" \
	"Bad! 1 512M 1G 10 0" \
	"sz 1 12Q 1G 10 0" \
	"lim 1 1G 512M 10 0" \
	"pri 1 512M 1G 101 0" \
	"sb 1 512M 1G 10 1G" \
	"ok1 1 512M 1G 10 0" \
	"node x 512M 1G 10 0" \
	"zero 1 0 1G 10 0" \
	"long 1 512M 1G 10 0 extra" \
	"kz 1 512M 1G 10 0 kernel_limit=0" \
	"k8 1 512M 1G 10 0 kernel_limit=32M x"
expect 1 "--check bad config" --check "$T/bad.conf"
check "line 3: missing field named" err_has "pzoned: $T/bad.conf:3: 5 fields, want 6: NAME BASE_NODE GUARANTEE LIMIT PRIORITY STANDBY (missing STANDBY)"
check "line 4: bad name" err_has "pzoned: $T/bad.conf:4: bad name 'Bad!'"
check "line 5: bad size" err_has "pzoned: $T/bad.conf:5: GUARANTEE '12Q': not a size"
check "line 6: limit < guarantee" err_has "pzoned: $T/bad.conf:6: LIMIT 512M is smaller than GUARANTEE 1G"
check "line 7: priority out of range" err_has "pzoned: $T/bad.conf:7: PRIORITY '101': not an integer from 0 to 100"
check "line 8: standby above limit - guarantee" err_has "pzoned: $T/bad.conf:8: STANDBY 1G is more than LIMIT - GUARANTEE"
check "line 9: duplicate name" err_has "pzoned: $T/bad.conf:9: pzone 'ok1' already defined on line 2"
check "line 10: bad node" err_has "pzoned: $T/bad.conf:10: BASE_NODE 'x': not a node number"
check "line 11: zero guarantee" err_has "pzoned: $T/bad.conf:11: GUARANTEE must be greater than 0"
check "line 12: field 7 is not kernel_limit=" err_has "pzoned: $T/bad.conf:12: field 7 'extra': want kernel_limit=SIZE"
check "line 13: kernel_limit=0" err_has "pzoned: $T/bad.conf:13: kernel_limit must be greater than 0"
check "line 14: too many fields" err_has "pzoned: $T/bad.conf:14: more than 7 fields"
check "summary line: 12 errors, nothing applied" err_has "pzoned: $T/bad.conf: 12 errors, nothing applied"
check "one line per error plus the summary" err_lines 13
check "nothing on stdout" [ ! -s "$T/out" ]

# The daemon itself refuses the same file and touches nothing.
expect 1 "pzoned (no --check) refuses a bad config" "$T/bad.conf"
check "nothing applied: create not written" file_is "$PZ/create" ""
check "the daemon reports the same line numbers" err_has "$T/bad.conf:9: pzone 'ok1' already defined on line 2"

# ---- guarantees against the base node ----
cfg "$T/big.conf" \
	"a 1 1G 2G 0 0" \
	"b 1 1G 2G 0 0" \
	"other 0 128M 1G 0 0" \
	"c 1 1G 2G 0 256M" \
	"d 1 260M 2G 0 0"
expect 1 "guarantee sum over MemTotal minus margin refused" --check "$T/big.conf"
check "the message names the node, the sum, MemTotal and the margin" \
	err_has "pzoned: $T/big.conf:5: base node 1: guarantees plus standby add up to 3.5G (3762290688 bytes), more than the 3.5G it can promise (MemTotal 4G minus a safety margin of 512M)"
expect 1 "the daemon refuses it too" --tick 100 "$T/big.conf"
check "nothing applied" file_is "$PZ/create" ""
cfg "$T/fit.conf" "a 1 1G 2G 0 0" "b 1 1G 2G 0 0" "c 1 1G 2G 0 256M" "d 1 252M 2G 0 0"
expect 0 "one block less fits (3.5 GiB - 4 MiB)" --check "$T/fit.conf"
# A grow takes ZONE_NORMAL blocks only: /proc/zoneinfo bounds the capacity.
mkdir -p "$T/proc"
printf 'Node 1, zone    DMA32\n  pages free     1000\n        managed  262144\nNode 1, zone   Normal\n  pages free     700000\n        managed  786432\n' >"$T/proc/zoneinfo"
expect 1 "ZONE_NORMAL (3 GiB of node 1's 4 GiB) bounds the guarantees" --check "$T/fit.conf"
check "the message says ZONE_NORMAL" err_has "more than the 2.6G it can promise (ZONE_NORMAL 3G minus a safety margin of 384M)"
rm -rf "$T/proc"
cfg "$T/nonode.conf" "a 7 64M 128M 0 0"
expect 1 "a base node that does not exist" --check "$T/nonode.conf"
check "reported as such" err_has "pzoned: $T/nonode.conf:1: base node 7: no such node"

# Existing pzones: their size counts back into the base node's capacity,
# and a pzone that exists on another base node is refused.
mkpzone web 2 1 1073741824
mknode 1 3145728 2097152	# MemTotal after web took 1 GiB
cfg "$T/adopt.conf" "web 1 1G 2G 0 0" "x 1 1G 2G 0 0" "y 1 1G 2G 0 0" "z 1 252M 2G 0 0"
expect 0 "an existing pzone's size counts as capacity" --check "$T/adopt.conf"
cfg "$T/moved.conf" "web 0 64M 128M 0 0"
expect 1 "an existing pzone on another base node" --check "$T/moved.conf"
check "refused with the reason" err_has "pzoned: $T/moved.conf:1: pzone 'web' exists with base node 1, not 0"

# ---- the daemon on the fake tree: adopt, create, SIGHUP, SIGTERM ----
setup
mkpzone web 2 1 268435456		# 256 MiB, below its guarantee
mknode 1 3932160 3145728
cfg "$T/run.conf" "web 1 512M 1G 10 0" "db 1 128M 256M 10 0"
"$PZONED" --json-log --tick 100 "$T/run.conf" >"$T/log" 2>"$T/derr" &
daemon=$!
for _ in $(seq 50); do
	grep -q '"action":"grow"' "$T/log" 2>/dev/null && break
	sleep 0.1
done
cp "$T/log" "$T/out"; cp "$T/derr" "$T/err"
check "daemon: every log line is a JSON object" python3 -c '
import json, sys
for l in open(sys.argv[1]):
    d = json.loads(l)
    assert {"ts", "pzone", "action"} <= set(d), d
' "$T/log"
check "daemon: adopts the existing pzone" \
	grep -q '"pzone":"web","action":"adopt","from_bytes":268435456,"to_bytes":268435456' "$T/log"
check "daemon: grows it to its guarantee" \
	grep -q '"pzone":"web","action":"grow","from_bytes":268435456,"to_bytes":536870912,"reason":"below its guarantee"' "$T/log"
check "daemon: wrote size_bytes" file_is "$PZ/web/size_bytes" 536870912
check "daemon: creates the missing pzone at its guarantee" \
	grep -q '"pzone":"db","action":"create","from_bytes":0,"to_bytes":134217728' "$T/log"
check "daemon: wrote create" grep -q '^db 1 134217728$' "$PZ/create"
check "daemon: says it falls back to polling without events files" \
	grep -q 'no events file.*falling back to polling free_bytes' "$T/log"

cfg "$T/run.conf" "web 1 512M 1G 10 0" "web 1 128M 256M 10 0"
kill -HUP "$daemon"
for _ in $(seq 50); do
	grep -q 'new config rejected' "$T/log" && break
	sleep 0.1
done
cp "$T/log" "$T/out"
check "SIGHUP with a bad config: rejected, old one kept" grep -q 'new config rejected: keeping the old one' "$T/log"
check "SIGHUP: the bad line is logged with its number" grep -q "run.conf:2: pzone 'web' already defined on line 1" "$T/log"
check "SIGHUP: still running" kill -0 "$daemon"
kill -TERM "$daemon"
wait "$daemon"
rc=$?
daemon=
check "SIGTERM: exit 0 (status $rc)" [ "$rc" = 0 ]
check "SIGTERM: pzones left as they are" file_is "$PZ/web/size_bytes" 536870912
check "SIGTERM: logged" grep -q 'exiting, pzones left as they are' "$T/log"

# ---- systemd's readiness protocol ($NOTIFY_SOCKET) ----
setup
mkpzone web 2 1 536870912
cfg "$T/run.conf" "web 1 512M 1G 10 0"
python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
open(sys.argv[1] + ".up", "w").close()
with open(sys.argv[2], "a") as log:
    while True:
        m = s.recv(4096).decode()
        log.write(m.replace("\n", " ") + "\n")
        log.flush()
        if "STOPPING=1" in m:
            break
' "$T/notify" "$T/notify.log" &
listener=$!
for _ in $(seq 50); do [ -e "$T/notify.up" ] && break; sleep 0.1; done
NOTIFY_SOCKET=$T/notify "$PZONED" --tick 100 "$T/run.conf" >"$T/log" 2>"$T/derr" &
daemon=$!
for _ in $(seq 50); do grep -q 'READY=1' "$T/notify.log" 2>/dev/null && break; sleep 0.1; done
cp "$T/log" "$T/out"; cp "$T/derr" "$T/err"
check "sd_notify: READY=1 once started" grep -q '^READY=1' "$T/notify.log"
kill -HUP "$daemon"
for _ in $(seq 50); do [ "$(grep -c 'READY=1' "$T/notify.log")" -ge 2 ] && break; sleep 0.1; done
check "sd_notify: SIGHUP sends RELOADING=1 ..." grep -q '^RELOADING=1' "$T/notify.log"
check "sd_notify: ... then READY=1" [ "$(grep -c '^READY=1' "$T/notify.log")" = 2 ]
kill -TERM "$daemon"; wait "$daemon"; daemon=
for _ in $(seq 50); do grep -q 'STOPPING=1' "$T/notify.log" && break; sleep 0.1; done
check "sd_notify: STOPPING=1 on SIGTERM" grep -q '^STOPPING=1' "$T/notify.log"
kill "$listener" 2>/dev/null; wait "$listener" 2>/dev/null

# human log format
setup
mkpzone web 2 1 268435456
cfg "$T/run.conf" "web 1 512M 1G 10 0"
"$PZONED" --tick 100 "$T/run.conf" >"$T/log" 2>&1 &
daemon=$!
sleep 0.5
kill -TERM "$daemon"; wait "$daemon"; daemon=
cp "$T/log" "$T/out"
check "human log: 'pzoned: NAME: ACTION FROM -> TO (REASON)'" \
	grep -q '^pzoned: web: grow 256M -> 512M (below its guarantee)$' "$T/log"

# ---- pzones of OCI containers: records of pzonectl oci-hook ----
record()	# NAME ID GUARANTEE LIMIT: a record as the hook writes it
{
	mkdir -p "$T/oci"
	printf '# pzonectl oci-hook\nid=%s\nname=%s\nbase_node=1\nnode=2\nguarantee_bytes=%s\nlimit_bytes=%s\nstandby_bytes=0\ncgroup=/ctr/%s\n' \
		"$2" "$1" "$3" "$4" "$2" >"$T/oci/$1"
}
setup
rm -rf "$T/oci"
mkpzone oci-c1 2 1 67108864		# 64 MiB, below its guarantee
record oci-c1 c1 134217728 268435456
record oci-c2 c2 67108864 67108864	# its pzone does not exist
record web c3 67108864 67108864		# the config file names web
printf 'junk\n' >"$T/oci/oci-bad"
cfg "$T/oci.conf" "web 1 64M 128M 10 0"
expect 0 "--check with records" --check "$T/oci.conf"
check "--check counts the records" out_has "oci.conf: ok: 3 pzones (2 from $T/oci)"
check "--check lists a record" out_has "oci-c1: base node 1, guarantee 134217728, limit 268435456, priority 0, standby 0 (OCI container)"
check "a bad record is reported and skipped" err_has "pzoned: $T/oci/oci-bad: line 1: not key=value: ignored"
check "the config file wins over a record" err_has "pzoned: $T/oci/web: pzone web is in the config file (line 1), which wins: ignored"
expect 0 "--oci-dir '' ignores the records" --check --oci-dir '' "$T/oci.conf"
check "--oci-dir '': one pzone" out_has "oci.conf: ok: 1 pzone"
rm -f "$T/oci/oci-bad" "$T/oci/web"
cfg "$T/empty.conf" "# pzones of OCI containers only"
"$PZONED" --json-log --tick 100 "$T/empty.conf" >"$T/log" 2>"$T/derr" &
daemon=$!
for _ in $(seq 50); do
	grep -q '"pzone":"oci-c1","action":"grow"' "$T/log" 2>/dev/null && break
	sleep 0.1
done
cp "$T/log" "$T/out"; cp "$T/derr" "$T/err"
check "daemon: adopts the pzone of a record" \
	grep -q '"pzone":"oci-c1","action":"adopt","from_bytes":67108864,"to_bytes":67108864,"reason":"pzone of an OCI container (oci-hook record)"' "$T/log"
check "daemon: grows it to the record's guarantee" \
	grep -q '"pzone":"oci-c1","action":"grow","from_bytes":67108864,"to_bytes":134217728,"reason":"below its guarantee"' "$T/log"
check "daemon: never creates the pzone of a record" sh -c "! grep -q oci-c2 '$PZ/create' && ! grep -q '\"oci-c2\",\"action\":\"create\"' '$T/log'"
mkpzone oci-c3 3 1 134217728
record oci-c3 c3 134217728 134217728
for _ in $(seq 50); do
	grep -q '"pzone":"oci-c3","action":"adopt"' "$T/log" && break
	sleep 0.1
done
cp "$T/log" "$T/out"
check "daemon: a new record is picked up without SIGHUP" grep -q '"pzone":"oci-c3","action":"adopt"' "$T/log"
rm -f "$T/oci/oci-c1"
for _ in $(seq 50); do
	grep -q 'oci-c1.*not in the config any more' "$T/log" && break
	sleep 0.1
done
cp "$T/log" "$T/out"
check "daemon: a removed record is no longer managed" grep -q 'oci-c1.*not in the config any more' "$T/log"
kill -TERM "$daemon"; wait "$daemon"; daemon=
rm -rf "$T/oci"

# no pzone support
rm -rf "$PZ"
expect 3 "daemon on a kernel without pzone" "$T/good.conf"

echo "1..$n"
[ "$failed" = 0 ] && echo "# all pzoned tests passed" || echo "# $failed failed"
[ "$failed" = 0 ]
