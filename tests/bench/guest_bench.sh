#!/bin/sh
# guest_bench.sh - the guest side of `make bench` (tests/bench/run.sh boots
# the guest with -icount shift=0,sleep=off and runs this script in /job).
#
# It prints one line per measurement,
#	BENCH <what> key=value ...
# and "BENCH-NOTE <key> <text>" for anything that could not be measured;
# the host takes medians and ratios.  Which part runs is chosen by kernel
# command-line parameters, which init passes on as environment variables:
#	pzbench=main      config, fault (row 1), pagecache (3), pool (10), resize (5),
#	                  memory of 200 memory cgroups (row 8)
#	pzbench=scaling   fault throughput with 1, 8, 32, 62 pzones (row 2)
#	pzbench=overhead  memory of 200 memory cgroups (row 8), kernel memory
#	                  per online pzone (row 6), pzoned with 1 and 16
#	                  pzones (row 9)
#	pzbench=config    only the unbound fault throughput (row 4; this is
#	                  also all that "main" does on a CONFIG_PZONE=n kernel)
#	pzbench=pagecache rows 3 and 10 (run.sh's main_pc boot with BENCH_JOBS > 1)
#	pzbench=pool      only row 10: reads with a shared pool (bind-dir)
#	pzbench=fallback  only row 11: unbound faults with a fallback cgroup marked
#	pzbench=smp       N tasks faulting in one pzone vs on the base node, one
#	                  per vCPU (row 7; run.sh boots it with -s 4)
#	pzbench=memcg     only row 8's cgroup measurement (for looking into it)
#	pzbench=resize    only row 5 (for before/after comparisons)
#	pzbench_wsf=N     vm.watermark_scale_factor for row 3 (default: as booted)
#	pzbench_reps=N    repetitions of each measurement (default 5)
#	pzbench_pc_reps=N repetitions of row 3 (default 11)
#	pzbench_quick=1   small sizes, for trying the script out
# Busybox ash; the programs come from /usr/lib/pzone/selftests (on PATH).

PHASE=${pzbench:-main}
REPS=${pzbench_reps:-5}
PC_REPS=${pzbench_pc_reps:-11}
QUICK=${pzbench_quick:-0}
SYS=/sys/devices/system/pzone
NODES=/sys/devices/system/node
CG=/sys/fs/cgroup
THP=/sys/kernel/mm/transparent_hugepage/enabled
DISK=/mnt/disk
BASE=1		# base node of every pzone (4 GiB)
CPU=1		# every measured task runs on CPU 1, the CPU of node 1

# Sizes (MiB).  Row 1/2: one 32 MiB mapping (the issue's), 4 timed rounds after 1 warm-up.
FAULT_MIB=32
FAULT_ITERS=4
FAULT_PZ=160M			# pzone and memcg limit for row 1/2
FAULT_SIZES="512M 1G 2G"	# row 1 again (b/a only) with larger pzones
PC_LIMIT=64M			# row 3: pzone size = memory.max
PC_FILE_MIB=256			# row 3: file 4 x the limit
PC_SKIP_MIB=96			# untimed start, until reclaim runs
GROW_MIB=256			# row 5: grow 4M -> 4M + GROW_MIB
SHRINK_SIZE=256			# row 5: pzone of 256M, task holds
SHRINK_HOLD=192			# 192 MiB with every 2nd page freed,
SHRINK_TO=128			# then shrink to 128M
MEMCPY_MIB=64
OVERHEAD_N=32
SMP_PZ=512M			# row 7: one pzone for all the tasks
MEMCG_N=200			# row 8: memory cgroups created
PZD_N=16			# row 9: pzones under pzoned
PZD_PEAK=160			# row 9: MiB per peak, at 50 MiB/s
PZD_CYCLES=2			# ... peaks per pzone (x 4 with one pzone)
PZD_STAGGER=0.5			# ... seconds between the starts of the workloads
POOL_FILE_MIB=64		# row 10: each file read
if [ "$QUICK" = 1 ]; then
	FAULT_MIB=8 FAULT_ITERS=2 FAULT_SIZES=1G PC_FILE_MIB=96 PC_SKIP_MIB=72 GROW_MIB=32
	SHRINK_SIZE=64 SHRINK_HOLD=48 SHRINK_TO=32 MEMCPY_MIB=8 MEMCG_N=20
	PZD_N=4 PZD_PEAK=48 PZD_CYCLES=1 PC_REPS=3
fi
NCPU=$(grep -c '^processor' /proc/cpuinfo)

say()
{
	echo "# [$(cut -d' ' -f1 /proc/uptime)] $*"
}

emit()
{
	echo "BENCH $*"
}

note()
{
	echo "BENCH-NOTE $*"
}

drop_caches()
{
	sync
	echo 3 >/proc/sys/vm/drop_caches
}

# get KEY CMD...: run CMD, print the value of its "KEY value" output line.
# On failure, its output goes to stderr (the console) and get fails.
get()
{
	_key=$1
	shift
	_out=$("$@" 2>&1)
	_rc=$?
	_v=$(echo "$_out" | awk -v k="$_key" '$1 == k { print $2; exit }')
	LAST_OUT=$_out
	if [ $_rc -ne 0 ] || [ -z "$_v" ]; then
		echo "$_out" | sed 's/^/#   /' >&2
		echo "# $*: exit $_rc" >&2
		return 1
	fi
	echo "$_v"
}

# field KEY: from the output of the last successful get (call get without
# a subshell to use it: get ... >file).
field()
{
	echo "$LAST_OUT" | awk -v k="$1" '$1 == k { print $2; exit }'
}

# in_cg DIR CMD...: run CMD in cgroup DIR.
in_cg()
{
	sh -c 'echo $$ >"$0/cgroup.procs" && exec "$@"' "$@"
}

pz_node()
{
	cat "$SYS/$1/node"
}

pz_create()
{
	pzonectl create "$1" --node "$BASE" --size "$2" >/dev/null || {
		note "create_$1" "pzonectl create $1 --size $2 failed: $(cat "$SYS/last_error" 2>/dev/null)"
		return 1
	}
}

pz_destroy()
{
	for _i in 1 2 3 4 5; do
		pzonectl destroy "$1" 2>/dev/null && return 0
		drop_caches
		sleep 1
	done
	say "could not destroy pzone $1"
	return 1
}

set_thp()
{
	[ -w "$THP" ] && echo "$1" >"$THP"
}

# fault_run CASE: one fault_throughput measurement; prints "MIB_S MINFLT".
#   a: unbound   b: pzonectl exec bench   c: memcg with memory.max
#   d: cgroup with cpuset.mems = the base node
fault_run()
{
	set -- "$1" fault_throughput --mib "$FAULT_MIB" --iters "$FAULT_ITERS" --cpu "$CPU"
	_case=$1
	shift
	case $_case in
	a) ;;
	b) set -- pzonectl exec bench -- "$@" ;;
	c) set -- in_cg "$CG/bench-memcg" "$@" ;;
	d) set -- in_cg "$CG/bench-node" "$@" ;;
	esac
	get mib_per_s "$@" >/tmp/fault.v || return 1
	echo "$(cat /tmp/fault.v) $(field minflt)"
}

# fault_reps_ab TAG MAX: cases a and b, min(REPS, MAX) times, interleaved;
# emits "TAG case=C rep=R mib_s=... minflt=...".
fault_reps_ab()
{
	_fr_tag=$1
	_fr_max=$2
	_fr_r=1
	while [ $_fr_r -le "$REPS" ] && [ $_fr_r -le "$_fr_max" ]; do
		for _fr_c in a b; do
			if _fr_v=$(fault_run $_fr_c); then
				set -- $_fr_v
				emit "$_fr_tag case=$_fr_c rep=$_fr_r mib_s=$1 minflt=$2"
			fi
		done
		_fr_r=$((_fr_r + 1))
	done
}

# ------------------------------------------------------------------ row 4

phase_config()
{
	kconf=n
	[ -d "$SYS" ] && kconf=y
	say "config: unbound fault throughput, CONFIG_PZONE=$kconf, no pzone"
	set_thp never
	r=1
	while [ $r -le "$REPS" ]; do
		if v=$(fault_run a); then
			set -- $v
			emit "config pzone=$kconf rep=$r mib_s=$1 minflt=$2"
		fi
		r=$((r + 1))
	done
}

# ------------------------------------------------------------------ row 1

phase_fault()
{
	emit "cfg fault_mib=$FAULT_MIB fault_iters=$FAULT_ITERS fault_pz=$FAULT_PZ" \
	     "pc_file_mib=$PC_FILE_MIB pc_limit=$PC_LIMIT pc_skip_mib=$PC_SKIP_MIB" \
	     "grow_mib=$GROW_MIB shrink_size=$SHRINK_SIZE shrink_hold=$SHRINK_HOLD" \
	     "shrink_to=$SHRINK_TO memcpy_mib=$MEMCPY_MIB"
	pz_create bench "$FAULT_PZ" || return
	D=$(pz_node bench)
	mkdir -p "$CG/bench-memcg" "$CG/bench-node"
	echo "$FAULT_PZ" >"$CG/bench-memcg/memory.max"
	echo "$BASE" >"$CG/bench-node/cpuset.mems"
	for thp in never always; do
		say "fault: THP $thp, cases a b c d, pzone node $D"
		set_thp $thp || { note "fault_thp" "cannot set THP $thp"; continue; }
		r=1
		while [ $r -le "$REPS" ]; do
			for c in a b c d; do
				h0=$(awk '$1 == "numa_hit" { print $2 }' "$NODES/node$D/numastat")
				if v=$(fault_run $c); then
					set -- $v
					h1=$(awk '$1 == "numa_hit" { print $2 }' "$NODES/node$D/numastat")
					emit "fault thp=$thp case=$c rep=$r mib_s=$1 minflt=$2 pzone_hits=$((h1 - h0))"
				fi
			done
			r=$((r + 1))
		done
	done
	set_thp never
	pcp_info "$BASE"
	pcp_info "$D"
	phase_fallback_cost
	pz_destroy bench
	rmdir "$CG/bench-memcg" "$CG/bench-node"
}

# Row 11 (issue 12's cost): an unbound task's fault throughput while a
# cgroup is marked for fallback (pzone_fallback_key on) against none
# marked, interleaved.  Needs pzone bench.
phase_fallback_cost()
{
	say "fallback cost: unbound faults, no cgroup marked / pzone-bench/fallback marked"
	r=1
	while [ $r -le "$REPS" ]; do
		for c in off on; do
			if [ $c = on ]; then
				pzonectl exec bench --fallback -- true >/dev/null 2>&1 ||
					{ note fallback_cost "exec --fallback failed"; return; }
			fi
			if v=$(fault_run a); then
				set -- $v
				emit "fallback_cost case=$c rep=$r mib_s=$1 minflt=$2 marked=$(cat "$SYS/bench/fallback_cgroups" | wc -l)"
			fi
			[ $c = on ] && echo "-/pzone-bench/fallback" >"$SYS/bench/fallback_cgroups"
		done
		r=$((r + 1))
	done
}

# Row 1, THP off, with larger pzones: how much of the gap is the size of
# the pzone (its per-CPU free lists are sized from the zone, like any node's).
phase_fault_sizes()
{
	set_thp never
	for size in $FAULT_SIZES; do
		pz_create bench "$size" || continue
		say "fault: THP never, pzone of $size"
		fault_reps_ab "fault_size size=$size" 3
		pcp_info "$(pz_node bench)" | sed "s/^BENCH pcp /BENCH pcp size=$size /"
		pz_destroy bench
	done
}

# pcp_info NODE: the per-CPU page list size (high) and batch of CPU $CPU for
# each populated zone of NODE, from /proc/zoneinfo.
pcp_info()
{
	awk -v node="$1" -v cpu="$CPU" '
	$1 == "Node" { n = $2; sub(",", "", n); z = $4; c = -1; next }
	n != node { next }
	$1 == "managed" { managed[z] = $2 }
	$1 == "cpu:" { c = $2; next }
	c == cpu && $1 == "high:" { high[z] = $2 }
	c == cpu && $1 == "batch:" { batch[z] = $2 }
	END {
		for (z in high)
			if (managed[z] > 0)
				printf "BENCH pcp node=%s zone=%s managed=%d high=%d batch=%d\n",
					node, z, managed[z], high[z], batch[z]
	}' /proc/zoneinfo
}

# ------------------------------------------------------------------ row 3

# counters: "name value" lines of what the page-cache runs are compared by:
# read requests to the disk, and reclaim and refault events.
counters()
{
	awk '{ print "disk_reads", $1 }' /sys/block/vda/stat 2>/dev/null
	awk '$1 ~ /^(pgscan_kswapd|pgscan_direct|pgsteal_kswapd|pgsteal_direct|allocstall_movable|workingset_refault_file|pgpgin)$/' /proc/vmstat
}

phase_pagecache()
{
	file=$DISK/bench_pagecache.dat
	say "pagecache: writing $PC_FILE_MIB MiB"
	dd if=/dev/zero of="$file" bs=1048576 count="$PC_FILE_MIB" 2>/dev/null || {
		note pagecache "cannot write $file"
		return
	}
	if [ -n "${pzbench_wsf:-}" ]; then
		wsf0=$(cat /proc/sys/vm/watermark_scale_factor)
		echo "$pzbench_wsf" >/proc/sys/vm/watermark_scale_factor
		emit "pagecache_wsf wsf=$pzbench_wsf"
	fi
	pz_create pc "$PC_LIMIT" || return
	D=$(pz_node pc)
	awk -v node="$D" '$1 == "Node" { n = $2; sub(",", "", n); z = $4 }
		n == node && ($1 == "min" || $1 == "low" || $1 == "high") { printf "%s_%s=%s ", z, $1, $2 }
		n == node && $1 == "managed" { printf "%s_managed=%s ", z, $2 }' /proc/zoneinfo >/tmp/pc.wm
	emit "pagecache_wmark node=$D $(cat /tmp/pc.wm)"
	mkdir -p "$CG/bench-pc"
	echo "$PC_LIMIT" >"$CG/bench-pc/memory.max"
	say "pagecache: $PC_FILE_MIB MiB file, pzone pc (node $D) vs memcg, $PC_LIMIT each, $PC_REPS + 1 runs"
	# Run 0 of each case is a warm-up, not reported: the first reads of a
	# boot also pay for the ext2 metadata and the first reclaim of the
	# cgroup or node.
	r=0
	while [ $r -le "$PC_REPS" ]; do
		for c in pzone memcg; do
			set -- pagecache_read --file "$file" --skip-mib "$PC_SKIP_MIB" --cpu "$CPU"
			if [ $c = pzone ]; then
				set -- pzonectl exec pc -- "$@"
			else
				set -- in_cg "$CG/bench-pc" "$@"
			fi
			drop_caches
			counters >/tmp/pc.c0
			if get mib_per_s "$@" >/tmp/pc.v; then
				counters >/tmp/pc.c1
				# Where the cache went: node D's FilePages, or the memcg's peak.
				if [ $c = pzone ]; then
					where="d_filepages_kb=$(awk '$3 == "FilePages:" { print $4 }' "$NODES/node$D/meminfo")"
				else
					where="memcg_peak_kb=$(($(cat "$CG/bench-pc/memory.peak" 2>/dev/null || echo 0) / 1024))"
				fi
				[ $r -eq 0 ] && continue
				emit "pagecache case=$c rep=$r mib_s=$(cat /tmp/pc.v)" \
				     "cpu_mib_s=$(field cpu_mib_per_s) kswapd_ns=$(field kswapd_ns)" \
				     "ns=$(field ns) cpu_ns=$(field cpu_ns) $where" \
				     "$(paste -d' ' /tmp/pc.c0 /tmp/pc.c1 | awk '{ printf "%s=%d ", $1, $4 - $2 }')"
			fi
		done
		r=$((r + 1))
	done
	rm -f "$file"
	drop_caches
	pz_destroy pc
	rmdir "$CG/bench-pc"
	[ -n "${pzbench_wsf:-}" ] && echo "$wsf0" >/proc/sys/vm/watermark_scale_factor
}

# ------------------------------------------------------------------ row 5

phase_resize()
{
	say "resize: memset/memcpy yardsticks"
	r=1
	while [ $r -le "$REPS" ]; do
		if get memset_4m_ns memcpy_rate --mib "$MEMCPY_MIB" --iters 4 --cpu "$CPU" >/tmp/mc.v; then
			emit "memcpy rep=$r memset_4m_ns=$(cat /tmp/mc.v) mib_s=$(field memcpy_mib_per_s)"
		fi
		r=$((r + 1))
	done

	say "resize: move_pages yardstick, node $BASE -> node 0"
	r=1
	while [ $r -le "$REPS" ]; do
		if get migrate_mib_per_s migrate_rate --mib "$MEMCPY_MIB" --cpu "$CPU" --to 0 >/tmp/mr.v; then
			emit "migrate rep=$r mib_s=$(cat /tmp/mr.v) moved_pages=$(field moved_pages)"
		fi
		r=$((r + 1))
	done

	say "resize: grow 4M -> +${GROW_MIB}M"
	if pz_create grow 4M; then
		r=1
		while [ $r -le "$REPS" ]; do
			drop_caches
			if get ns_per_block resize_timing --file "$SYS/grow/size_bytes" \
				--to "$((4 + GROW_MIB))M" >/tmp/gr.v; then
				emit "grow rep=$r ns_per_block=$(cat /tmp/gr.v) blocks=$(field blocks) ns=$(field ns)" \
				     "evacuated_blocks=$(field evacuated_blocks) migrated_pages=$(field migrated_pages)"
			else
				note grow "$(echo "$LAST_OUT" | grep -E '^(error|last_error)' | tr '\n' ' ')"
			fi
			pzone_write "$SYS/grow/size_bytes" 4M >/dev/null ||
				say "could not shrink grow back to 4M: $(cat "$SYS/grow/last_error")"
			r=$((r + 1))
		done
		pz_destroy grow
	fi

	say "resize: shrink ${SHRINK_SIZE}M -> ${SHRINK_TO}M holding ${SHRINK_HOLD} MiB, every 2nd page freed"
	pz_create shr "${SHRINK_SIZE}M" || return
	r=1
	while [ $r -le "$REPS" ]; do
		drop_caches
		out=$(pzonectl exec shr -- resize_timing --file "$SYS/shr/size_bytes" \
			--to "${SHRINK_TO}M" --hold "$SHRINK_HOLD" --keep-every 2 2>&1)
		rc=$?
		echo "$out" | sed 's/^/#   /'
		kv() { echo "$out" | awk -v k="$1" '$1 == k { $1 = ""; sub(/^ /, ""); print; exit }'; }
		if [ $rc -eq 0 ] && [ "$(kv migrated_pages)" -gt 0 ] 2>/dev/null; then
			emit "shrink rep=$r mib_s=$(kv migrated_mib_per_s) migrated_pages=$(kv migrated_pages)" \
			     "evacuated_blocks=$(kv evacuated_blocks) blocks=$(kv blocks) ns=$(kv ns)"
		elif [ $rc -eq 0 ]; then
			note shrink "rep $r: the shrink migrated no pages (evacuated_blocks $(kv evacuated_blocks)); not a migration measurement"
		elif [ $rc -eq 3 ]; then
			note shrink "rep $r: the held memory changed during the shrink (pattern mismatch)"
		else
			note shrink "rep $r: exit $rc: $(kv error): $(kv last_error)"
		fi
		pzone_write "$SYS/shr/size_bytes" "${SHRINK_SIZE}M" >/dev/null ||
			say "could not grow shr back: $(cat "$SYS/shr/last_error")"
		r=$((r + 1))
	done
	pz_destroy shr
}

# ------------------------------------------------------------------ row 2

phase_scaling()
{
	nres=$(ls -d "$NODES"/node* | wc -l)
	avail=$(cat "$SYS/available_nodes")
	say "scaling: reserved ids $(cat "$SYS/reserved_nodes"), available $avail"
	set_thp never
	pz_create bench "$FAULT_PZ" || return
	n=1
	for want in 1 8 32 62; do
		while [ $n -lt $want ]; do
			n=$((n + 1))
			pz_create "$(printf 'f%02d' $n)" 4M || break 2
		done
		online=$(ls -d "$SYS"/*/ 2>/dev/null | wc -l)
		say "scaling: $online pzones online"
		drop_caches
		fault_reps_ab "scale n=$online" "$REPS"
	done
	[ "$n" -lt 62 ] && note scaling "only $n pzones could be created ($nres node dirs)"
}

# ------------------------------------------------------------------ row 6

# snapshot TAG: node 0/1 MemFree and free pages on their per-CPU lists,
# pzone sizes and used memory inside the pzones, and /proc/meminfo kernel
# counters (all kB).
snapshot()
{
	drop_caches
	sleep 2
	drop_caches
	# Fold the per-CPU vmstat deltas into the counters read below.
	echo 1 >/proc/sys/vm/stat_refresh 2>/dev/null
	free01=0
	for n in 0 1; do
		free01=$((free01 + $(awk '$3 == "MemFree:" { print $4 }' "$NODES/node$n/meminfo")))
	done
	# Free pages on the per-CPU lists are not in MemFree, and there can be
	# tens of MiB of them (pcp high is auto-tuned): count them as free.
	pcp01=$(awk '$1 == "Node" { n = $2; sub(",", "", n) }
		(n == 0 || n == 1) && $1 == "count:" { c += $2 }
		END { print c * 4 }' /proc/zoneinfo)
	sizes=0
	inside=0
	npz=0
	for d in "$SYS"/*/; do
		[ -f "$d/node" ] || continue
		npz=$((npz + 1))
		sizes=$((sizes + $(cat "$d/size_bytes") / 1024))
		nd=$(cat "$d/node")
		t=$(awk '$3 == "MemTotal:" { print $4 }' "$NODES/node$nd/meminfo")
		f=$(awk '$3 == "MemFree:" { print $4 }' "$NODES/node$nd/meminfo")
		inside=$((inside + t - f))
	done
	m() { awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo; }
	emit "overhead tag=$1 pzones=$npz free01_kb=$free01 pcp01_kb=$pcp01 sizes_kb=$sizes inside_used_kb=$inside" \
	     "slab_kb=$(m Slab) percpu_kb=$(m Percpu) kernelstack_kb=$(m KernelStack)" \
	     "pagetables_kb=$(m PageTables) memfree_kb=$(m MemFree)"
}

phase_overhead()
{
	say "overhead: $OVERHEAD_N pzones of 4M"
	# A first pzone, not counted: its creation drains the per-CPU free
	# page lists of the base node, which would otherwise show up as memory
	# freed by the pzones that follow.
	pz_create ov00 4M
	snapshot 0
	i=1
	while [ $i -le "$OVERHEAD_N" ]; do
		pz_create "$(printf 'ov%02d' $i)" 4M || break
		[ $i -eq $((OVERHEAD_N / 2)) ] && snapshot $i
		i=$((i + 1))
	done
	snapshot "$OVERHEAD_N"
}

# ------------------------------------------------------------------ row 7

# Fault throughput of NCPU tasks at once, one per vCPU, in one pzone (b) and
# in a cgroup with cpuset.mems = the base node (d): the zone lock and the
# per-CPU lists of one zone shared by every CPU.  Each task does 4 x the
# rounds of row 1, so that the few milliseconds between their starts are
# small against the time they run together.  Emits the MiB of all tasks
# over the timed part of the slowest (mib_s), and the sum of the tasks' own
# rates (sum_mib_s).
phase_smp()
{
	say "smp: $NCPU tasks, one per vCPU, in a pzone of $SMP_PZ vs cpuset.mems=$BASE"
	set_thp never
	pz_create bench "$SMP_PZ" || return
	mkdir -p "$CG/bench-node"
	echo "$BASE" >"$CG/bench-node/cpuset.mems"
	r=1
	while [ $r -le "$REPS" ]; do
		for c in b d; do
			i=0
			while [ $i -lt "$NCPU" ]; do
				set -- fault_throughput --mib "$FAULT_MIB" --iters $((FAULT_ITERS * 4)) --cpu $i
				case $c in
				b) set -- pzonectl exec bench -- "$@" ;;
				d) set -- in_cg "$CG/bench-node" "$@" ;;
				esac
				"$@" >/tmp/smp.$i 2>&1 &
				i=$((i + 1))
			done
			wait
			sum=$(cat /tmp/smp.* | awk -v mib=$((FAULT_MIB * FAULT_ITERS * 4)) '
				$1 == "mib_per_s" { s += $2; n++ }
				$1 == "ns" && $2 > max { max = $2 }
				END { if (n && max) printf "%.3f %d %.3f", n * mib / (max / 1e9), n, s }')
			set -- $sum
			if [ "${2:-0}" -eq "$NCPU" ]; then
				emit "fault_smp ncpu=$NCPU case=$c rep=$r mib_s=$1 sum_mib_s=$3"
			else
				note fault_smp "rep $r case $c: only ${2:-0} of $NCPU tasks reported"
				cat /tmp/smp.* | sed 's/^/#   /'
			fi
			rm -f /tmp/smp.*
		done
		r=$((r + 1))
	done
	pz_destroy bench
	rmdir "$CG/bench-node"
}

# ------------------------------------------------------------------ row 8

# free_kb: free memory of the whole machine (MemFree plus the free pages on
# the per-CPU lists), settled.
free_kb()
{
	drop_caches
	sleep 1
	drop_caches
	echo 1 >/proc/sys/vm/stat_refresh 2>/dev/null
	awk '$1 == "MemFree:" { print $2 }' /proc/meminfo
	awk '$1 == "count:" { c += $2 } END { print c * 4 }' /proc/zoneinfo
}

# Memory of MEMCG_N new memory cgroups, twice (the second MEMCG_N next to
# the first: removed cgroups would leave slab objects and per-CPU chunks
# behind for the next ones to reuse): the host divides the difference
# between the boots with 4 and 62 reserved ids by the ids.
phase_memcg()
{
	say "memcg: memory of $MEMCG_N memory cgroups, twice, $(cat "$NODES/possible") possible nodes"
	m() { awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo; }
	i=0
	r=1
	while [ $r -le 2 ]; do
		set -- $(free_kb)
		f0=$(($1 + $2)) sl0=$(m Slab) pc0=$(m Percpu)
		n=0
		while [ $n -lt "$MEMCG_N" ]; do
			mkdir "$CG/bench-id$i" || break
			i=$((i + 1))
			n=$((n + 1))
		done
		[ -e "$CG/bench-id0/memory.current" ] || note memcg_ids "the new cgroups have no memory controller"
		set -- $(free_kb)
		f1=$(($1 + $2))
		emit "memcg_ids rep=$r cgroups=$n possible_nodes=$(cat "$NODES/possible")" \
		     "possible_cpus=$(cat /sys/devices/system/cpu/possible)" \
		     "kb=$((f0 - f1)) slab_kb=$(($(m Slab) - sl0)) percpu_kb=$(($(m Percpu) - pc0))"
		r=$((r + 1))
	done
	while [ $i -gt 0 ]; do
		i=$((i - 1))
		rmdir "$CG/bench-id$i"
	done
}

# ------------------------------------------------------------------ row 9

# pzoned_run N CYCLES: N pzones under pzoned (guarantee 32M, limit 512M,
# standby 16M, two-block steps, no free-memory threshold, as in
# pzoned_reaction.sh), one workload each touching CYCLES peaks of PZD_PEAK
# MiB at 50 MiB/s in 1 MiB bursts, the workloads started PZD_STAGGER s
# apart.  Emits the median, p99 and max latency from event receipt to
# block granted over every grow that answers an event.
pzoned_run()
{
	_n=$1
	_cyc=$2
	_conf=/tmp/pzoned.conf
	: >"$_conf"
	i=0
	while [ $i -lt "$_n" ]; do
		echo "$(printf 'pd%02d' $i) $BASE 32M 512M 10 16M" >>"$_conf"
		i=$((i + 1))
	done
	pzoned --json-log --grow-step 8M --grow-max 8M --low-free 1 \
		--shrink-after 1 --shrink-every 1 "$_conf" >/tmp/pzoned.log 2>&1 &
	_d=$!
	i=0
	while [ $i -lt 200 ] && [ "$(ls -d "$SYS"/pd*/ 2>/dev/null | wc -l)" -lt "$_n" ]; do
		sleep 0.2
		i=$((i + 1))
	done
	# every pzone at its guarantee
	i=0
	while [ $i -lt 100 ] && [ "$(cat "$SYS"/pd*/size_bytes | sort -u)" != 33554432 ]; do
		sleep 0.2
		i=$((i + 1))
	done
	pids=
	i=0
	while [ $i -lt "$_n" ]; do
		pzonectl exec "$(printf 'pd%02d' $i)" -- pzoned_load --anon "$PZD_PEAK" --rate 50 \
			--chunk 1 --hold 1 --cycles "$_cyc" >/tmp/pzload.$i 2>&1 &
		pids="$pids $!"
		sleep "$PZD_STAGGER"
		i=$((i + 1))
	done
	ok=0
	for p in $pids; do
		wait "$p" && ok=$((ok + 1))
	done
	kill -TERM $_d
	wait $_d
	verified=$(cat /tmp/pzload.* | grep -c verified)
	ooms=0
	for e in "$SYS"/pd*/events; do
		ooms=$((ooms + $(awk '$1 == "oom_kill" { print $2 }' "$e")))
	done
	sed -n 's/.*"action":"grow".*"latency_us":\([0-9]*\).*/\1/p' /tmp/pzoned.log |
		sort -n >/tmp/pzlat
	stats=$(awk '{ v[NR] = $1 } END {
		if (!NR) { print "0 0 0 0"; exit }
		m = int((NR + 1) / 2); p = int(NR * 0.99 + 0.999); if (p > NR) p = NR
		print NR, v[m], v[p], v[NR] }' /tmp/pzlat)
	set -- $stats
	emit "pzoned pzones=$_n events=$1 median_us=$2 p99_us=$3 max_us=$4" \
	     "completed=$ok verified=$verified expected=$((_n * _cyc)) oom_kills=$ooms"
	[ "$ok" -eq "$_n" ] || { note "pzoned_$_n" "$((_n - ok)) of $_n workloads failed"; tail -n 5 /tmp/pzload.* | sed 's/^/#   /'; }
	for e in "$SYS"/pd*/; do
		echo 0 >"$e/standby_bytes"
	done
	for e in "$SYS"/pd*/; do
		pz_destroy "$(basename "$e")"
	done
	rm -f /tmp/pzload.* /tmp/pzlat
}

phase_pzoned()
{
	command -v pzoned >/dev/null 2>&1 || { note pzoned "pzoned not installed"; return; }
	wsf=/proc/sys/vm/watermark_scale_factor
	wsf0=$(cat $wsf)
	echo 1000 >$wsf
	say "pzoned: 1 pzone, $((PZD_CYCLES * 4)) peaks of $PZD_PEAK MiB"
	pzoned_run 1 $((PZD_CYCLES * 4))
	say "pzoned: $PZD_N pzones, $PZD_CYCLES peaks of $PZD_PEAK MiB each, started ${PZD_STAGGER} s apart"
	pzoned_run "$PZD_N" "$PZD_CYCLES"
	echo "$wsf0" >$wsf
}

# ----------------------------------------------------------------- row 10

# pool_read FILE KIND: pagecache_read of FILE by a task in pzone rd;
# KIND cold (dropped caches, one pass) or warm (first pass untimed).
# Prints "mib_s=X cpu_mib_s=Y": elapsed guest time, and the reader's plus
# kswapd's CPU time (a cold read's elapsed time is mostly the disk's).
pool_read()
{
	if [ "$2" = cold ]; then
		drop_caches
		set -- pagecache_read --file "$1" --passes 1 --skip-mib 0 --cpu "$CPU"
	else
		set -- pagecache_read --file "$1" --passes 4 --skip-mib "$POOL_FILE_MIB" --cpu "$CPU"
	fi
	get mib_per_s pzonectl exec rd -- "$@" >/tmp/pool.v || return 1
	echo "mib_s=$(cat /tmp/pool.v) cpu_mib_s=$(field cpu_mib_per_s)"
}

# Row 10: the page-cache read path with a shared pool (bind-dir), against
# the same kernel with no directory bound.  Cases, interleaved per
# repetition: none (no binding anywhere: the static keys off), unbound (a
# directory is bound, the file is not below it) and bound (the file is
# below a directory bound to pzone pool).  The reader is in pzone rd.
phase_pool()
{
	say "pool: $POOL_FILE_MIB MiB files, cold and warm reads, $REPS runs of none/unbound/bound"
	mkdir -p "$DISK/pool_b" "$DISK/pool_u"
	for d in pool_b pool_u; do
		dd if=/dev/zero of="$DISK/$d/f" bs=1048576 count="$POOL_FILE_MIB" 2>/dev/null || {
			note pool "cannot write $DISK/$d/f"
			return
		}
	done
	pz_create rd 256M || return
	pz_create pool 128M || { pz_destroy rd; return; }
	if [ ! -e "$SYS/pool/dirs" ]; then
		note pool "kernel without bind-dir (no $SYS/pool/dirs)"
		pz_destroy pool
		pz_destroy rd
		return
	fi
	r=1
	while [ $r -le "$REPS" ]; do
		for kind in cold warm; do
			v=$(pool_read "$DISK/pool_u/f" $kind) && emit "pool case=none kind=$kind rep=$r $v"
		done
		pzonectl bind-dir pool "$DISK/pool_b" >/dev/null || {
			note pool "bind-dir failed"
			break
		}
		for kind in cold warm; do
			v=$(pool_read "$DISK/pool_u/f" $kind) && emit "pool case=unbound kind=$kind rep=$r $v"
			v=$(pool_read "$DISK/pool_b/f" $kind) && emit "pool case=bound kind=$kind rep=$r $v"
		done
		node=$(pz_node pool)
		emit "pool_place rep=$r pool_file_kb=$(awk '$3 == "FilePages:" { print $4 }' "$NODES/node$node/meminfo")"
		pzonectl unbind-dir pool "$DISK/pool_b" >/dev/null
		r=$((r + 1))
	done
	pz_destroy pool
	pz_destroy rd
	rm -rf "$DISK/pool_b" "$DISK/pool_u"
}

# ------------------------------------------------------------------ main

say "guest_bench: phase $PHASE, $REPS repetitions, $(uname -r)"
emit "info phase=$PHASE reps=$REPS quick=$QUICK ncpu=$NCPU pzone=$([ -d "$SYS" ] && echo y || echo n)" \
     "reserved=$(cat "$SYS/reserved_nodes" 2>/dev/null)"
case $PHASE in
config)
	phase_config
	;;
main)
	phase_config
	if [ -d "$SYS" ]; then
		phase_fault
		phase_fault_sizes
		phase_pagecache
		phase_pool
		phase_resize
		phase_memcg
	fi
	;;
main1)
	# main without page cache and resize (run.sh with BENCH_JOBS > 1
	# boots those on their own, at the same time)
	phase_config
	if [ -d "$SYS" ]; then
		phase_fault
		phase_fault_sizes
		phase_memcg
	fi
	;;
smp)
	phase_smp
	;;
resize)
	# Not one of run.sh's boots: row 5 alone (a before/after comparison).
	phase_resize
	;;
memcg)
	phase_memcg
	;;
pagecache)
	# run.sh's main_pc boot (BENCH_JOBS > 1), and for looking at row 3.
	phase_pagecache
	phase_pool
	;;
pool)
	# Not one of run.sh's boots: row 10 alone.
	phase_pool
	;;
fallback)
	# Not one of run.sh's boots: row 11 alone.
	pz_create bench "$FAULT_PZ" && set_thp never && phase_fallback_cost
	pz_destroy bench
	;;
scaling)
	phase_scaling
	;;
overhead)
	phase_memcg
	phase_overhead
	phase_pzoned
	;;
*)
	echo "guest_bench: unknown phase '$PHASE'" >&2
	exit 2
	;;
esac
say "guest_bench: done"
exit 0
