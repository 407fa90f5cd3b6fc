#!/bin/sh
# Cost of the kmem counter: kmem_bomb in a non-root memory cgroup (no pzone),
# elapsed guest time until it holds everything, 3 runs.  Boot with
# pzone_nodes=4 (counter on) and pzone_nodes=0 (off).
# Run: tests/qemu/run.sh -b script tests/bench/kmem_cost.sh, then again with
# -a pzone_nodes=0 (the later pzone_nodes= wins).  pzone.rst, "Kernel-memory limit".
echo "cmdline: $(cat /proc/cmdline)"
echo "reserved: '$(cat /sys/devices/system/pzone/reserved_nodes 2>/dev/null)'"
mkdir -p /sys/fs/cgroup/kc /tmp/kc /mnt/disk/kcneg
echo $$ > /sys/fs/cgroup/kc/cgroup.procs
up() { awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime; }
for r in 1 2 3; do
	rm -rf /tmp/kc/*; sync; echo 3 > /proc/sys/vm/drop_caches
	: >/tmp/kc.out
	t0=$(up)
	kmem_bomb --neg-dir /mnt/disk/kcneg --neg 200000 --tmpfs-dir /tmp/kc --inodes 50000 --pipes 2000 > /tmp/kc.out 2>&1 &
	pid=$!
	while ! grep -q ready /tmp/kc.out; do sleep 0.05; done
	t1=$(up)
	echo "run $r: $((t1 - t0)) ms; kmem.current $(cat /sys/fs/cgroup/kc/memory.kmem.current 2>/dev/null || echo none); $(tr '\n' ' ' < /tmp/kc.out)"
	kill $pid; wait $pid
done
