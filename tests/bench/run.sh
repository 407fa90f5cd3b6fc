#!/bin/sh
# tests/bench/run.sh - `make bench`: the pzone performance table.
#
# Boots the guest five times with -icount shift=0,sleep=off (guest time
# counts instructions, so it repeats from run to run), runs
# tests/bench/guest_bench.sh in each, and turns the "BENCH ..." lines it
# prints into medians and ratios (tests/bench/report.py):
#	main      pzone_nodes=4:  rows 1 (fault), 3 (page cache), 5 (resize),
#	          the CONFIG_PZONE=y side of row 4, the 4-id side of row 8
#	scaling   pzone_nodes=62: row 2 (1, 8, 32, 62 pzones online; the kernel
#	          has NODES_SHIFT=6, 64 ids of which 2 are the real nodes)
#	overhead  pzone_nodes=62: row 6 (kernel memory per pzone, over 32), the
#	          62-id side of row 8 (memory cgroups), row 9 (pzoned)
#	nopzone   the CONFIG_PZONE=n kernel (build/obj-nopzone): row 4
#	smp       BENCH_SMP vCPUs (4): row 7, one faulting task per vCPU
# The other boots have VM_SMP vCPUs (2).  Writes build/bench/{table.md,
# results.json,scaling.dat,scaling.png}, one FAMILY.dat and FAMILY.png per
# row family (plots.gp) and the console log of each boot (NAME.log).  Never
# a pass/fail gate: exits 0 whenever the report could be written, even if
# goals are missed or a boot failed (that shows up as null and a note).
#
# Environment: BENCH_REPS (5), BENCH_PC_REPS (11, row 3), BENCH_OUT
# (build/bench), BENCH_QUICK=1 (tiny sizes, to try the scripts out),
# BENCH_BOOTS ("main scaling overhead nopzone smp"), BENCH_SMP (4),
# BENCH_TIMEOUT (1500 s per boot), BENCH_KERNEL (build/obj's bzImage),
# BENCH_JOBS (1; N: up to N boots at once, and main split into three boots:
# config/fault/cgroups, page cache, resize, joined into main.log), VM_SMP (2).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
here=$top/tests/bench
out=${BENCH_OUT:-$top/build/bench}
reps=${BENCH_REPS:-5}
pc_reps=${BENCH_PC_REPS:-11}
quick=${BENCH_QUICK:-0}
boots=${BENCH_BOOTS:-main scaling overhead nopzone smp}
timeout=${BENCH_TIMEOUT:-1500}
smp=${BENCH_SMP:-4}
jobs=${BENCH_JOBS:-1}
bg_pids=
export VM_SMP=${VM_SMP:-2}
kernel_n=$top/build/obj-nopzone/arch/x86/boot/bzImage
# BENCH_KERNEL: another CONFIG_PZONE=y bzImage (a before/after comparison)
kernel=${BENCH_KERNEL:-$top/build/obj/arch/x86/boot/bzImage}

for f in "$kernel" "$top/build/initramfs.cpio.gz"; do
	[ -r "$f" ] || { echo "bench: $f not built (make kernel initramfs)" >&2; exit 2; }
done
command -v python3 >/dev/null 2>&1 || { echo "bench: python3 is needed" >&2; exit 2; }
mkdir -p "$out"
rm -f "$out/boots.txt" "$out/table.md" "$out/results.json" "$out/"*.dat \
	"$out/"*.png "$out/plots.gp"

# boot NAME [run.sh options]: one guest boot; its console goes to NAME.log,
# progress (the guest's "#" and BENCH lines) to the terminal.  With
# BENCH_JOBS > 1 the boot runs in the background, without progress lines,
# and at most BENCH_JOBS boots run at once (wait_boots waits for all).
boot()
{
	name=$1
	shift
	if [ "$jobs" -gt 1 ]; then
		while :; do
			alive=
			for p in $bg_pids; do
				kill -0 "$p" 2>/dev/null && alive="$alive $p"
			done
			bg_pids=$alive
			[ "$(echo $bg_pids | wc -w)" -lt "$jobs" ] && break
			sleep 5
		done
		echo "bench: boot '$name' ($(date +%H:%M:%S)), in the background"
		boot_one "$name" "$@" >/dev/null &
		bg_pids="$bg_pids $!"
		return
	fi
	echo "bench: boot '$name' ($(date +%H:%M:%S))"
	boot_one "$name" "$@"
}

boot_one()
{
	name=$1
	shift
	rm -f "$out/$name.log" "$out/$name.rc"
	start=$(date +%s)
	{
		"$top/tests/qemu/run.sh" -b -t "$timeout" -l "$out/$name.log" -k "$kernel" "$@" \
			script "$here/guest_bench.sh" >/dev/null 2>&1
		echo $? >"$out/$name.rc"
	} &
	pid=$!
	# Follow the log while the guest runs.
	while [ ! -e "$out/$name.log" ] && kill -0 $pid 2>/dev/null; do
		sleep 1
	done
	tail -n +1 -f "$out/$name.log" 2>/dev/null --pid=$pid |
		grep --line-buffered -E '^(BENCH|# \[)' | sed -u 's/^/  /'
	wait $pid
	rc=$(cat "$out/$name.rc" 2>/dev/null || echo 125)
	echo "$name $rc $(($(date +%s) - start))" >>"$out/boots.txt"
	[ "$rc" = 0 ] || echo "bench: boot '$name' exited with status $rc (see $out/$name.log)" >&2
}

args="pzbench_reps=$reps pzbench_pc_reps=$pc_reps pzbench_quick=$quick"
for b in $boots; do
	case $b in
	main)
		if [ "$jobs" -gt 1 ]; then
			# The three parts of main as boots of their own, at once;
			# their logs are joined into main.log below.
			boot main -a "pzbench=main1 $args"
			boot main_pc -a "pzbench=pagecache $args"
			boot main_rs -a "pzbench=resize $args"
		else
			boot main -a "pzbench=main $args"
		fi
		;;
	scaling)
		# A later pzone_nodes= wins over run.sh's pzone_nodes=4
		# (early_param handlers run in command-line order).
		boot scaling -a "pzone_nodes=62 pzbench=scaling $args"
		;;
	overhead)
		boot overhead -a "pzone_nodes=62 pzbench=overhead $args"
		;;
	nopzone)
		if [ -r "$kernel_n" ]; then
			boot nopzone -k "$kernel_n" -a "pzbench=config $args"
		else
			echo "bench: $kernel_n not built (make kernel-nopzone); row 4 skipped" >&2
		fi
		;;
	smp)
		boot smp -s "$smp" -a "pzbench=smp $args"
		;;
	*)
		echo "bench: unknown boot '$b'" >&2
		;;
	esac
done
wait
for part in main_pc main_rs; do
	[ -e "$out/$part.log" ] && cat "$out/$part.log" >>"$out/main.log"
done

python3 "$here/report.py" "$out" || { echo "bench: report.py failed" >&2; exit 1; }

# The plots: one per row family (plots.gp), and the scaling curve.
if ! command -v gnuplot >/dev/null 2>&1 && [ "$(id -u)" = 0 ] &&
	command -v apt-get >/dev/null 2>&1; then
	echo "bench: installing gnuplot-nox"
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
		gnuplot-nox >/dev/null 2>&1 ||
		{ apt-get update >/dev/null 2>&1 &&
		  DEBIAN_FRONTEND=noninteractive apt-get install -y \
			--no-install-recommends gnuplot-nox >/dev/null 2>&1; }
fi
if ! command -v gnuplot >/dev/null 2>&1; then
	echo "bench: gnuplot not installed (not root?): no plots" >&2
	printf '\nNo plots: gnuplot is not installed.\n' >>"$out/table.md"
else
	gnuplot "$out/plots.gp" || echo "bench: gnuplot failed on $out/plots.gp" >&2
fi
if command -v gnuplot >/dev/null 2>&1 && [ -s "$out/scaling.dat" ] && [ "$(grep -vc '^#' "$out/scaling.dat")" -gt 0 ]; then
	gnuplot <<EOF || echo "bench: gnuplot failed" >&2
set terminal png size 800,500
set output "$out/scaling.png"
set title "Anonymous fault throughput vs pzones online (THP off, guest time)"
set xlabel "pzones online"
set ylabel "MiB/s (guest time)"
set y2label "pzone / unbound"
set y2range [0.9:1.02]
set y2tics
set ytics nomirror
set key bottom left
set grid
plot "$out/scaling.dat" using 1:2 with linespoints title "unbound", \
     "$out/scaling.dat" using 1:3 with linespoints title "in a pzone", \
     "$out/scaling.dat" using 1:4 axes x1y2 with linespoints lw 2 title "ratio (right axis)", \
     0.98 axes x1y2 with lines dt 2 title "goal 0.98"
EOF
fi

echo
cat "$out/table.md"
echo
echo "bench: $out/table.md, $out/results.json, plots: $(cd "$out" && ls ./*.png 2>/dev/null | tr '\n' ' ')"
exit 0
