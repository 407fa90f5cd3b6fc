#!/bin/sh
# Boot the pzone test guest under QEMU TCG and run one job in it.
# usage: run.sh [-k BZIMAGE] [-i INITRAMFS] [-t TIMEOUT_S] [-l LOG] [-a "KERNEL ARGS"]
#               [-s NCPUS] [-b] MODE [SCRIPT [FILES...]]
#   MODE: test (selftests), script / demo (run SCRIPT with FILES next to it), shell
#   -b: benchmark mode (-icount shift=0,sleep=off)
#   -s: number of vCPUs (default $VM_SMP, else 2), spread over the two NUMA
#       nodes: even CPUs on node 0, odd ones on node 1, so CPU 1 is always
#       a CPU of node 1 and CPU 0 one of node 0
# Exits with the status the guest reported, 124 if it hung, 125 if it never
# reported one (crash), 126 if the kernel logged warnings.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
kernel=$top/build/obj/arch/x86/boot/bzImage
initrd=$top/build/initramfs.cpio.gz
timeout=900
log=
extra=
bench=
smp=${VM_SMP:-2}
while getopts k:i:t:l:a:s:b opt; do
	case $opt in
	k) kernel=$OPTARG ;;
	i) initrd=$OPTARG ;;
	t) timeout=$OPTARG ;;
	l) log=$OPTARG ;;
	a) extra=$OPTARG ;;
	b) bench=1 ;;
	s) smp=$OPTARG ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
mode=${1:-}
[ -n "$mode" ] || { echo "run.sh: missing MODE" >&2; exit 2; }
shift
for f in "$kernel" "$initrd"; do
	[ -r "$f" ] || { echo "run.sh: $f: not built (run make)" >&2; exit 2; }
done
case $smp in
''|*[!0-9]*) echo "run.sh: -s $smp: not a number of CPUs" >&2; exit 2 ;;
esac
[ "$smp" -ge 2 ] && [ "$smp" -le 8 ] ||
	{ echo "run.sh: -s $smp: 2 to 8 CPUs (CONFIG_NR_CPUS=8 in configs/base.config)" >&2; exit 2; }
# One socket per vCPU; socket i goes to node i % 2.
numa_cpus=
i=0
while [ $i -lt "$smp" ]; do
	numa_cpus="$numa_cpus -numa cpu,node-id=$((i % 2)),socket-id=$i"
	i=$((i + 1))
done

work=$(mktemp -d "${TMPDIR:-/tmp}/pzone-vm.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
script=
if [ "$mode" = script ] || [ "$mode" = demo ]; then
	[ $# -ge 1 ] || { echo "run.sh: $mode needs a SCRIPT" >&2; exit 2; }
	mkdir -p "$work/job/job"
	for f in "$@"; do
		[ -r "$f" ] || { echo "run.sh: $f: no such file" >&2; exit 2; }
		cp "$f" "$work/job/job/"
	done
	script=$(basename "$1")
	(cd "$work/job" && find job | cpio -o -H newc --quiet -R 0:0) | gzip -1 > "$work/job.cpio.gz"
	cat "$initrd" "$work/job.cpio.gz" > "$work/initrd.gz"
	initrd=$work/initrd.gz
fi

# A fresh ext2 disk each boot, for real (reclaimable) page cache.
truncate -s 1G "$work/disk.img"
mkfs.ext2 -q -F "$work/disk.img" || exit 2

cmdline="console=ttyS0 panic=-1 pzone_nodes=4 pzmode=$mode pzscript=$script $extra"
icount=
[ -n "$bench" ] && icount="-icount shift=0,sleep=off"
[ -n "$log" ] || log=$work/console.log

serial="-serial stdio"
[ "$mode" = shell ] && serial="-serial mon:stdio"
# shellcheck disable=SC2086
timeout --foreground -k 10 "$timeout" qemu-system-x86_64 -accel tcg $icount \
	-machine pc,max-ram-below-4g=2G -cpu max -smp "$smp,sockets=$smp,cores=1,threads=1" -m 6G \
	-object memory-backend-ram,id=m0,size=2G -object memory-backend-ram,id=m1,size=4G \
	-numa node,nodeid=0,memdev=m0 -numa node,nodeid=1,memdev=m1 $numa_cpus \
	-numa dist,src=0,dst=1,val=21 \
	-kernel "$kernel" -initrd "$initrd" -append "$cmdline" \
	-drive file="$work/disk.img",if=virtio,format=raw \
	-display none -vga none $serial -no-reboot 2>&1 | tee "$log"
qrc=$?
[ "$mode" = shell ] && exit 0
if grep -q "PZONE-KERNEL-WARNINGS: yes" "$log"; then
	echo "run.sh: the guest kernel logged warnings (see above)" >&2
	exit 126
fi
rc=$(sed -n 's/^PZONE-EXIT: \([0-9]*\).*/\1/p' "$log" | tail -n 1)
if [ -z "$rc" ]; then
	if ! grep -q "Power down\|reboot: " "$log"; then
		echo "run.sh: the guest did not finish within ${timeout}s (hang?): killed" >&2
		exit 124
	fi
	echo "run.sh: the guest stopped without reporting a status (crash?)" >&2
	exit 125
fi
exit "$rc"
