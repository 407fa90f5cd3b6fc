#!/bin/sh
# The `make demo` scenario: what a pzone is, then overcommit with pzoned
# (tools/testing/selftests/pzone/overcommit.sh), in about three minutes.
set -e
say() { printf '\n### %s\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }
memtotal_sum() { cat /sys/devices/system/node/node*/meminfo | awk '/MemTotal/ { s += $4 } END { print s }'; }

say "Nodes before: $(cat /sys/devices/system/node/online); node ids reserved for pzones: $(cat /sys/devices/system/pzone/reserved_nodes)"
before=$(memtotal_sum)
echo "sum of MemTotal over all nodes: $before kB"

say "Create a 256 MiB pzone from node 1"
run pzonectl create web --node 1 --size 256M
D=$(cat /sys/devices/system/pzone/web/node)
run pzonectl list
run numactl -H
grep -E "MemTotal|MemFree" /sys/devices/system/node/node$D/meminfo

say "Run a container in it: 64 MiB anonymous + 32 MiB tmpfs file"
run pzonectl exec web -- sh -c "pzone_touch --anon 64 --write /tmp/demo-file --file-mib 32 --hold 5 & sleep 4; grep -E \"AnonPages|Shmem:|FilePages\" /sys/devices/system/node/node$D/meminfo; wait"
grep -E "AnonPages|Shmem:|FilePages" /sys/devices/system/node/node$D/meminfo
rm -f /tmp/demo-file

say "The container cannot take more than its pzone: 400 MiB in a 256 MiB pzone is OOM-killed inside"
set +e
pzonectl exec web -- pzone_touch --anon 400 >/dev/null 2>&1
rc=$?
set -e
echo "workload exit status: $rc (137 = SIGKILL by the OOM killer); this shell is still here"

say "Destroy it: every block goes back to node 1"
run pzonectl destroy web
after=$(memtotal_sum)
echo "sum of MemTotal: before $before kB, after $after kB"
[ "$before" = "$after" ]

say "Overcommit: 4 pzones of 512 MiB guaranteed (2 GiB limit) on node 1, four 1.6 GiB peaks one after another; first with pzoned lending memory, then held static"
set +e
overcommit.sh --plot /tmp/overcommit-plot >/tmp/overcommit.out 2>&1
rc=$?
set -e
grep -E '^(ok|not ok) |^# (daemon|static)(:| mode)|^\{' /tmp/overcommit.out
# every pzone's size over time, for the host's picture (make demo)
grep '^PZPLOT ' /tmp/overcommit.out || true
[ "$rc" -eq 0 ] || { tail -n 40 /tmp/overcommit.out; echo "demo: overcommit.sh failed ($rc)"; exit 1; }
echo "demo: ok"
