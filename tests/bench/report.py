#!/usr/bin/env python3
"""report.py - turn the guest logs of tests/bench/run.sh into the benchmark
table (table.md), results.json and the data of the scaling plot.

usage: report.py OUTDIR
OUTDIR holds main.log, scaling.log, overhead.log, nopzone.log, smp.log (QEMU
console logs with the "BENCH ..." lines of guest_bench.sh) and boots.txt
("NAME RC SECONDS" per boot).  Writes OUTDIR/table.md, OUTDIR/results.json,
OUTDIR/scaling.dat, and for the plots one OUTDIR/FAMILY.dat per row family
and OUTDIR/plots.gp (gnuplot, run by run.sh).
"""
import json
import os
import re
import statistics
import sys

BOOTS = ("main", "scaling", "overhead", "nopzone", "smp")
LINE = re.compile(r"^BENCH (\S+)((?: \S+=\S*)*)\s*$")
NOTE = re.compile(r"^BENCH-NOTE (\S+) (.*)$")
MEM = re.compile(r"Memory: (\d+)K/(\d+)K available")


def num(s):
    try:
        return float(s)
    except ValueError:
        return s


def parse(path):
    recs, notes, avail = [], [], None
    if not os.path.exists(path):
        return recs, notes, avail
    with open(path, errors="replace") as f:
        for line in f:
            line = line.rstrip("\r\n")
            m = LINE.match(line)
            if m:
                kv = dict(p.split("=", 1) for p in m.group(2).split())
                recs.append((m.group(1), {k: num(v) for k, v in kv.items()}))
                continue
            m = NOTE.match(line)
            if m:
                notes.append((m.group(1), m.group(2)))
                continue
            m = MEM.search(line)
            if m and avail is None:
                avail = int(m.group(1))
    return recs, notes, avail


def nodelist_len(s):
    """Number of ids in a nodelist such as "2-5,7"."""
    n = 0
    for part in str(s or "").split(","):
        if not part or part == "None":
            continue
        lo, _, hi = part.partition("-")
        try:
            n += int(hi or lo) - int(lo) + 1
        except ValueError:
            pass
    return n


def med(vals):
    vals = [v for v in vals if isinstance(v, float)]
    return statistics.median(vals) if vals else None


def spread(vals):
    """(max - min) / median, the run-to-run noise of one measurement."""
    vals = [v for v in vals if isinstance(v, float)]
    if len(vals) < 2 or not statistics.median(vals):
        return None
    return (max(vals) - min(vals)) / statistics.median(vals)


def ratio(a, b):
    return a / b if a is not None and b else None


def lohi(vals):
    vals = [v for v in vals if isinstance(v, float)]
    return (min(vals), max(vals)) if vals else (None, None)


GOALS = [
    # (key, what, (op, goal)); "p99_1x2" is 2 x the 1-pzone p99
    ("pagecache_pzone_over_memcg", "page cache under reclaim, elapsed time", (">=", 1.0)),
    ("pagecache_cpu_pzone_over_memcg", "page cache, reader + kswapd CPU time", (">=", 1.0)),
    ("shrink_over_move_pages", "shrink migration rate / move_pages(2), same pages", (">=", 1.0)),
    ("fault_pzone_over_cpuset", "faults THP off, pzone / cpuset.mems cgroup", (">=", 0.999)),
    ("fault_pzone_over_memcg", "faults THP off, pzone / memcg", (">=", 1.0)),
    ("memcg_bytes_per_unused_id", "bytes per memory cgroup per reserved unused id", ("<=", 100)),
    ("boot_bytes_per_reserved_id", "boot memory per reserved id (bytes)", ("<=", 16384)),
    ("first_grow_over_steady", "first grow of a boot / steady grows (per block)", ("<=", 1.5)),
    ("fault_4cpu_pzone_over_node", "faults, one task per vCPU, pzone / cpuset.mems", (">=", 0.95)),
    ("pzoned_16_reaction_p99_ms", "pzoned, 16 pzones, reaction p99 (ms)", ("<=", "p99_1x2")),
    ("pzoned_1_reaction_p99_ms", "pzoned, 1 pzone, reaction p99 (ms)", None),
    ("fallback_marked_over_none", "unbound faults, a fallback cgroup marked / none marked", (">=", 0.99)),
    ("pool_cold_unbound_over_none", "uncached read (CPU time), a directory bound, file outside it / nothing bound", (">=", 0.99)),
    ("pool_cold_bound_over_none", "uncached read (CPU time) of a bound file / nothing bound", (">=", 0.99)),
    ("pool_warm_unbound_over_none", "cached read, a directory bound, file outside it / nothing bound", (">=", 0.99)),
    ("pool_warm_bound_over_none", "cached read of a bound file / nothing bound", (">=", 0.99)),
]


def main():
    out = sys.argv[1]
    logs = {b: parse(os.path.join(out, b + ".log")) for b in BOOTS}
    boots = {}
    if os.path.exists(os.path.join(out, "boots.txt")):
        with open(os.path.join(out, "boots.txt")) as f:
            for line in f:
                p = line.split()
                if len(p) >= 3:
                    boots[p[0]] = (int(p[1]), int(p[2]))
    notes = {}

    def note(key, text):
        notes[key] = (notes[key] + "; " + text) if key in notes else text

    for b in boots:
        if b not in BOOTS and boots[b][0] != 0:
            note("boot_" + b, "the %s boot (part of main) exited with status %d (see %s.log)"
                 % (b, boots[b][0], b))
    for b in BOOTS:
        rc = boots.get(b, (None, 0))[0]
        if rc is None:
            note("boot_" + b, "the %s boot did not run" % b)
        elif rc == 126:
            note("boot_" + b, "the %s boot's kernel logged warnings (see %s.log)" % (b, b))
        elif rc != 0:
            note("boot_" + b, "the %s boot exited with status %d (124 = timeout, 125 = crash; see %s.log)"
                 % (b, rc, b))
        for k, t in logs[b][1]:
            note(k, t)

    def recs(boot, kind, **match):
        return [r for k, r in logs[boot][0] if k == kind and
                all(r.get(mk) == mv for mk, mv in match.items())]

    def vals(boot, kind, field, **match):
        return [r.get(field) for r in recs(boot, kind, **match)]

    cfg = {}
    for r in recs("main", "cfg"):
        cfg.update(r)

    def c(key, default):
        v = cfg.get(key, default)
        return "%d" % v if isinstance(v, float) else str(v)

    rows = []   # (row, measurement, values, ratio, goal, met)
    footer_pc = []
    res = {}

    def goal_met(r, goal):
        if r is None or goal is None:
            return "—" if goal is None else "n/a"
        op, g = goal
        ok = r >= g if op == ">=" else r <= g
        return "yes" if ok else "**no**"

    def fmt(v, d=3):
        return "n/a" if v is None else ("%.*f" % (d, v))

    def noise(vs):
        s = spread(vs)
        return "" if s is None else " (±%.1f%%)" % (50 * s)

    # Row 1: fault throughput a/b/c/d, THP never and always.
    case_name = {"a": "unbound", "b": "pzone of %s (pzonectl exec)" % c("fault_pz", "160M"),
                 "c": "memcg, memory.max=%s" % c("fault_pz", "160M"),
                 "d": "cgroup with cpuset.mems=1"}
    fault = {}
    for thp in ("never", "always"):
        for k in "abcd":
            vs = vals("main", "fault", "mib_s", thp=thp, case=k)
            fault[thp, k] = med(vs)
            fault[thp, k, "n"] = noise(vs)
    for thp, label in (("never", "THP off"), ("always", "THP always")):
        a = fault[thp, "a"]
        rows.append(("1", "fault, %s: (a) %s" % (label, case_name["a"]),
                     "%s MiB/s%s" % (fmt(a, 1), fault[thp, "a", "n"]), None, None))
        for k in "bcd":
            r = ratio(fault[thp, k], a)
            goal = (">=", 0.99) if k == "b" else None
            rows.append(("1", "fault, %s: (%s) %s / (a)" % (label, k, case_name[k]),
                         "%s MiB/s%s" % (fmt(fault[thp, k], 1), fault[thp, k, "n"]),
                         r, goal))
        rows.append(("1", "fault, %s: (b) pzone / (d) cpuset.mems=1 (both tasks in a non-root cgroup)" % label,
                     "", ratio(fault[thp, "b"], fault[thp, "d"]), None))
    sizes = []
    for r in recs("main", "fault_size"):
        if r["size"] not in sizes:
            sizes.append(r["size"])
    for size in sizes:
        a = vals("main", "fault_size", "mib_s", size=size, case="a")
        b = vals("main", "fault_size", "mib_s", size=size, case="b")
        rows.append(("1", "fault, THP off, pzone of %s instead of %s: (b) / (a)"
                     % (size, c("fault_pz", "160M")),
                     "%s / %s MiB/s" % (fmt(med(b), 1), fmt(med(a), 1)),
                     ratio(med(b), med(a)), None))
    res["fault_pzone_over_unbound"] = ratio(fault["never", "b"], fault["never", "a"])
    res["fault_pzone_over_unbound_thp"] = ratio(fault["always", "b"], fault["always", "a"])
    res["fault_memcg_over_unbound"] = ratio(fault["never", "c"], fault["never", "a"])
    res["fault_node_over_unbound"] = ratio(fault["never", "d"], fault["never", "a"])
    for key in ("fault_pzone_over_unbound", "fault_pzone_over_unbound_thp",
                "fault_memcg_over_unbound", "fault_node_over_unbound"):
        if res[key] is None:
            note(key, "no fault measurements in main.log")
    # THP really used?
    mf = med(vals("main", "fault", "minflt", thp="always", case="b"))
    mf0 = med(vals("main", "fault", "minflt", thp="never", case="b"))
    if mf is not None and mf0 and mf > mf0 / 10:
        note("fault_pzone_over_unbound_thp",
             "with THP always the pzone task took %d faults vs %d with THP off: few huge pages"
             % (mf, mf0))

    # Row 2: scaling.
    scale = []
    for n in sorted({r["n"] for r in recs("scaling", "scale")}):
        a = vals("scaling", "scale", "mib_s", n=n, case="a")
        b = vals("scaling", "scale", "mib_s", n=n, case="b")
        scale.append((int(n), med(a), med(b), ratio(med(b), med(a)), noise(a), noise(b)))
    for n, a, b, r, na, nb in scale:
        rows.append(("2", "fault, THP off, %d pzones online: pzone / unbound" % n,
                     "%s / %s MiB/s" % (fmt(b, 1), fmt(a, 1)), r,
                     (">=", 0.98) if n == max(s[0] for s in scale) else None))
    if scale and scale[-1][0] >= 32:
        res["fault_64pzones_over_unbound"] = scale[-1][3]
        if scale[-1][0] != 64:
            note("fault_64pzones_over_unbound",
                 "measured with %d pzones: NODES_SHIFT=6 allows 64 node ids, 2 are real nodes"
                 % scale[-1][0])
    else:
        res["fault_64pzones_over_unbound"] = None
        note("fault_64pzones_over_unbound", "no scaling measurements in scaling.log")
    with open(os.path.join(out, "scaling.dat"), "w") as f:
        f.write("# pzones unbound_mib_s pzone_mib_s ratio\n")
        for n, a, b, r, _, _ in scale:
            if r is not None:
                f.write("%d %.3f %.3f %.5f\n" % (n, a, b, r))

    # Row 3: page cache.
    pc = {}
    for k in ("pzone", "memcg"):
        for fld in ("mib_s", "cpu_mib_s"):
            vs = vals("main", "pagecache", fld, case=k)
            pc[k, fld] = med(vs)
            pc[k, fld, "n"] = noise(vs)
    res["pagecache_pzone_over_memcg"] = ratio(pc["pzone", "mib_s"], pc["memcg", "mib_s"])
    if res["pagecache_pzone_over_memcg"] is None:
        note("pagecache_pzone_over_memcg", "no page-cache measurements in main.log")
    rows.append(("3", "page-cache read, %s MiB file, %s limit: pzone / memcg (guest time)"
                 % (c("pc_file_mib", 256), c("pc_limit", "64M")),
                 "%s%s / %s%s MiB/s" % (fmt(pc["pzone", "mib_s"], 1), pc["pzone", "mib_s", "n"],
                                        fmt(pc["memcg", "mib_s"], 1), pc["memcg", "mib_s", "n"]),
                 res["pagecache_pzone_over_memcg"], None))
    rows.append(("3", "  same, CPU time of reader + kswapd: pzone / memcg",
                 "%s%s / %s%s MiB/s" % (fmt(pc["pzone", "cpu_mib_s"], 1), pc["pzone", "cpu_mib_s", "n"],
                                        fmt(pc["memcg", "cpu_mib_s"], 1), pc["memcg", "cpu_mib_s", "n"]),
                 ratio(pc["pzone", "cpu_mib_s"], pc["memcg", "cpu_mib_s"]), None))
    cpu_ratio = ratio(pc["pzone", "cpu_mib_s"], pc["memcg", "cpu_mib_s"])
    if res["pagecache_pzone_over_memcg"] is not None:
        text = ("ratio of medians of elapsed guest time; by CPU time of the reader plus "
                "kswapd it is %s" % fmt(cpu_ratio, 3))
        for k in ("pzone", "memcg"):
            st = [r for r in recs("main", "pagecache", case=k)
                  if isinstance(r.get("ns"), float) and isinstance(r.get("cpu_ns"), float)
                  and r["ns"] > 1.5 * r["cpu_ns"]]
            if st:
                text += ("; %d of %d %s runs stalled (elapsed > 1.5 x CPU time, worst %.1f s "
                         "elapsed for %.2f s CPU)" % (
                             len(st), len(recs("main", "pagecache", case=k)), k,
                             max(r["ns"] for r in st) / 1e9,
                             max(st, key=lambda r: r["ns"])["cpu_ns"] / 1e9))
        note("pagecache_pzone_over_memcg", text)
    for k in ("pzone", "memcg"):
        dr = med(vals("main", "pagecache", "disk_reads", case=k))
        ds = med(vals("main", "pagecache", "allocstall_movable", case=k))
        if dr is not None:
            footer_pc.append("%s: %d disk reads, %d direct-reclaim stalls (allocstall_movable), "
                             "kswapd CPU %.0f ms per run" % (
                                 k, dr, ds or 0,
                                 (med(vals("main", "pagecache", "kswapd_ns", case=k)) or 0) / 1e6))
    dfp = vals("main", "pagecache", "d_filepages_kb", case="pzone")
    if dfp and max(v for v in dfp if isinstance(v, float)) < 16384:
        note("pagecache_pzone_over_memcg",
             "node D held only %d kB of page cache after a pzone run" % max(dfp))

    # Row 4: CONFIG_PZONE=y vs n.
    y = vals("main", "config", "mib_s", pzone="y")
    n = vals("nopzone", "config", "mib_s", pzone="n")
    res["config_y_over_n"] = ratio(med(y), med(n))
    if res["config_y_over_n"] is None:
        note("config_y_over_n", "missing the %s side" % ("CONFIG_PZONE=y" if not y else "CONFIG_PZONE=n"))
    rows.append(("4", "fault, THP off, unbound: CONFIG_PZONE=y (no pzone) / =n",
                 "%s%s / %s%s MiB/s" % (fmt(med(y), 1), noise(y), fmt(med(n), 1), noise(n)),
                 res["config_y_over_n"], (">=", 0.995)))

    # Row 5: resize.
    memset = vals("main", "memcpy", "memset_4m_ns")
    memcpy = vals("main", "memcpy", "mib_s")
    grow = vals("main", "grow", "ns_per_block")
    shrink = vals("main", "shrink", "mib_s")
    res["grow_block_over_memset"] = ratio(med(grow), med(memset))
    res["shrink_over_memcpy"] = ratio(med(shrink), med(memcpy))
    if res["grow_block_over_memset"] is None:
        note("grow_block_over_memset", "no grow or memset measurement")
    if res["shrink_over_memcpy"] is None:
        note("shrink_over_memcpy", "no successful shrink with migration (see shrink notes)")
    rows.append(("5", "grow: guest time per 4 MiB block / memset of 4 MiB",
                 "%s µs / %s µs" % (fmt(med(grow) and med(grow) / 1e3, 1),
                                     fmt(med(memset) and med(memset) / 1e3, 1)),
                 res["grow_block_over_memset"], ("<=", 0.1)))
    mp = med(vals("main", "shrink", "migrated_pages"))
    hold = cfg.get("shrink_hold", 192)
    rows.append(("5", "shrink %sM -> %sM, %s MiB held in every 2nd page: migration rate / memcpy"
                 % (c("shrink_size", 256), c("shrink_to", 128),
                    "%d" % (hold / 2) if isinstance(hold, float) else hold),
                 "%s / %s MiB/s%s" % (fmt(med(shrink), 1), fmt(med(memcpy), 1),
                                      "" if mp is None else " (%d pages migrated)" % mp),
                 res["shrink_over_memcpy"], (">=", 0.5)))
    mig = vals("main", "migrate", "mib_s")
    rows.append(("5", "  reference: shrink migration rate / move_pages(2) node 1 -> 0 (%s MiB)"
                 % c("memcpy_mib", 64),
                 "%s / %s MiB/s" % (fmt(med(shrink), 1), fmt(med(mig), 1)),
                 ratio(med(shrink), med(mig)), None))

    # Row 6: overhead.
    snaps = {int(r["tag"]): r for r in recs("overhead", "overhead")}
    if 0 in snaps and len(snaps) > 1:
        top = max(snaps)
        s0, s1 = snaps[0], snaps[top]
        npz = s1["pzones"] - s0["pzones"]
        free0 = s0["free01_kb"] + s0.get("pcp01_kb", 0)
        free1 = s1["free01_kb"] + s1.get("pcp01_kb", 0)
        tot = ((free0 - free1) - (s1["sizes_kb"] - s0["sizes_kb"]) +
               (s1["inside_used_kb"] - s0["inside_used_kb"])) * 1024 / npz
        parts = {k: (s1[k + "_kb"] - s0[k + "_kb"]) * 1024 / npz
                 for k in ("slab", "percpu", "kernelstack", "pagetables")}
        res["overhead_bytes_per_pzone"] = round(tot)

        def per(a, b):
            fa = a["free01_kb"] + a.get("pcp01_kb", 0)
            fb = b["free01_kb"] + b.get("pcp01_kb", 0)
            return ((fa - fb) - (b["sizes_kb"] - a["sizes_kb"]) +
                    (b["inside_used_kb"] - a["inside_used_kb"])) / (b["pzones"] - a["pzones"])
        halves = ""
        mids = sorted(t for t in snaps if 0 < t < top)
        if mids:
            m = snaps[mids[0]]
            halves = " (first %d: %.0f KiB, last %d: %.0f KiB)" % (
                m["pzones"] - s0["pzones"], per(s0, m), s1["pzones"] - m["pzones"], per(m, s1))
        rows.append(("6", "kernel memory per online pzone (free memory of nodes 0+1, MemFree + per-CPU lists, minus pzone sizes, over %d)"
                     % npz, "%d KiB%s" % (round(tot / 1024), halves), None, None))
        rows.append(("6", "  of which Slab / Percpu / KernelStack / PageTables",
                     " / ".join("%.1f KiB" % (parts[k] / 1024)
                                for k in ("slab", "percpu", "kernelstack", "pagetables")),
                     None, None))
    else:
        res["overhead_bytes_per_pzone"] = None
        note("overhead_bytes_per_pzone", "no overhead snapshots in overhead.log")
    # Boot-time cost of a reserved id: "Memory: N K available" with
    # pzone_nodes=4 (main) vs 62 (scaling).
    ids = {b: nodelist_len(r.get("reserved")) for b in ("main", "scaling")
           for k, r in logs[b][0] if k == "info"}
    ids_of = {b: nodelist_len(r.get("reserved")) for b in ("main", "overhead")
              for k, r in logs[b][0] if k == "info"}
    a4, a62 = logs["main"][2], logs["scaling"][2]
    if a4 and a62 and ids.get("main") and ids.get("scaling", 0) > ids["main"]:
        d = ids["scaling"] - ids["main"]
        rows.append(("6", "boot: memory per reserved node id (pzone_nodes=%d vs %d, dmesg \"Memory: ... available\")"
                     % (ids["main"], ids["scaling"]),
                     "%d KiB" % round((a4 - a62) / d), None, None))

    # Keys of issue 13 from the rows above.
    ncpu_main = next((r.get("ncpu") for k, r in logs["main"][0] if k == "info"), None)
    res["pagecache_memcg_spread"] = spread(vals("main", "pagecache", "mib_s", case="memcg"))
    res["pagecache_pzone_spread"] = spread(vals("main", "pagecache", "mib_s", case="pzone"))
    res["pagecache_memcg_cpu_spread"] = spread(vals("main", "pagecache", "cpu_mib_s", case="memcg"))
    res["pagecache_pzone_cpu_spread"] = spread(vals("main", "pagecache", "cpu_mib_s", case="pzone"))
    for k in ("memcg", "pzone", "memcg_cpu", "pzone_cpu"):
        if res["pagecache_%s_spread" % k] is not None:
            res["pagecache_%s_spread" % k] /= 2   # the table's ±: half the max-min over the median
    res["pagecache_cpu_pzone_over_memcg"] = cpu_ratio
    res["fault_pzone_over_cpuset"] = ratio(fault["never", "b"], fault["never", "d"])
    res["fault_pzone_over_memcg"] = ratio(fault["never", "b"], fault["never", "c"])
    res["shrink_over_move_pages"] = ratio(med(shrink), med(mig))
    # The boot cost per reserved id, from the main boot against scaling
    # (or overhead, the same command line).
    res["boot_bytes_per_reserved_id"] = None
    for other in ("scaling", "overhead"):
        ids_o = next((nodelist_len(r.get("reserved")) for k, r in logs[other][0] if k == "info"), 0)
        if a4 and logs[other][2] and ids.get("main") and ids_o > ids["main"]:
            res["boot_bytes_per_reserved_id"] = round((a4 - logs[other][2]) * 1024 /
                                                      (ids_o - ids["main"]))
            break
    if res["boot_bytes_per_reserved_id"] is None:
        note("boot_bytes_per_reserved_id", "needs the main boot and the scaling or overhead boot")
    # Row 5: the first grow of the boot (rep 1) against the others.
    g = [(r["rep"], r["ns_per_block"]) for r in recs("main", "grow")]
    first = [v for rep, v in g if rep == 1]
    steady = [v for rep, v in g if rep > 1]
    res["first_grow_over_steady"] = ratio(first[0] if first else None, med(steady))
    if res["first_grow_over_steady"] is None:
        note("first_grow_over_steady", "needs 2 or more grow repetitions")
    rows.append(("5", "grow: first grow of the boot (rep 1) / median of reps 2..%d, per block" % (len(g)),
                 "%s µs / %s µs%s" % (fmt(first[0] / 1e3 if first else None, 1),
                                      fmt(med(steady) and med(steady) / 1e3, 1), noise(steady)),
                 res["first_grow_over_steady"], ("<=", 1.5)))

    # Row 7: one faulting task per vCPU.
    smp_n = {r.get("ncpu") for r in recs("smp", "fault_smp")}
    sb = vals("smp", "fault_smp", "mib_s", case="b")
    sd = vals("smp", "fault_smp", "mib_s", case="d")
    res["fault_4cpu_pzone_over_node"] = ratio(med(sb), med(sd))
    ncpu = int(max(smp_n)) if smp_n else None
    if res["fault_4cpu_pzone_over_node"] is None:
        note("fault_4cpu_pzone_over_node", "no smp measurements (smp boot)")
    elif ncpu != 4:
        note("fault_4cpu_pzone_over_node", "measured with %d vCPUs, not 4" % ncpu)
    rows.append(("7", "fault, THP off, %s tasks (one per vCPU) in one pzone of 512M / in cpuset.mems=1, MiB of all over the slowest task's time"
                 % (ncpu or "N"),
                 "%s%s / %s%s MiB/s" % (fmt(med(sb), 1), noise(sb), fmt(med(sd), 1), noise(sd)),
                 res["fault_4cpu_pzone_over_node"], (">=", 0.95)))

    # Row 8: memory cgroups against reserved ids.
    mc = {}
    for b in ("main", "overhead"):
        rs = recs(b, "memcg_ids")
        if rs:
            mc[b] = (med([r["kb"] for r in rs]), rs[0]["cgroups"], ids_of.get(b),
                     med([r["percpu_kb"] for r in rs]), med([r["slab_kb"] for r in rs]),
                     [r["kb"] for r in rs], rs[0].get("possible_cpus"))
    res["memcg_bytes_per_unused_id"] = None
    for b in ("main", "overhead"):
        if b in mc:
            kb, n, nid, pc_kb, sl_kb, allkb, pcpus = mc[b]
            rows.append(("8", "memory of %d new memory cgroups, %d reserved ids (%s boot; possible CPUs %s)"
                         % (n, nid or 0, b, pcpus),
                         "%.0f KiB (%.1f KiB each; Percpu %.0f KiB, Slab %.0f KiB)%s"
                         % (kb, kb / n, pc_kb, sl_kb, noise(allkb)), None, None))
    if "main" in mc and "overhead" in mc and mc["overhead"][2] and mc["main"][2] and \
            mc["overhead"][2] > mc["main"][2] and mc["main"][1] == mc["overhead"][1]:
        d = mc["overhead"][2] - mc["main"][2]
        per = (mc["overhead"][0] - mc["main"][0]) * 1024 / mc["main"][1] / d
        res["memcg_bytes_per_unused_id"] = round(per)
        rows.append(("8", "  per memory cgroup per reserved unused id (%d vs %d ids)"
                     % (mc["overhead"][2], mc["main"][2]),
                     "%.0f bytes (Percpu %.0f, Slab %.0f)" % (
                         per, (mc["overhead"][3] - mc["main"][3]) * 1024 / mc["main"][1] / d,
                         (mc["overhead"][4] - mc["main"][4]) * 1024 / mc["main"][1] / d),
                     per, ("<=", 100)))
    else:
        note("memcg_bytes_per_unused_id", "needs the memcg measurement of the main and overhead boots")

    # Row 9: pzoned reaction.
    pzd = {int(r["pzones"]): r for r in recs("overhead", "pzoned")}
    for n in sorted(pzd):
        r = pzd[n]
        rows.append(("9", "pzoned reaction (event receipt to block granted), %d pzone%s: median / p99 / max"
                     % (n, "s" if n > 1 else ""),
                     "%.1f / %.1f / %.1f ms (%d events; %d of %d peaks verified, %d OOM kills)"
                     % (r["median_us"] / 1e3, r["p99_us"] / 1e3, r["max_us"] / 1e3, r["events"],
                        r["verified"], r["expected"], r["oom_kills"]), None, None))
    p1 = pzd.get(1)
    p16 = pzd.get(max(pzd)) if pzd and max(pzd) > 1 else None
    res["pzoned_1_reaction_p99_ms"] = p1["p99_us"] / 1e3 if p1 and p1["events"] else None
    res["pzoned_1_reaction_median_ms"] = p1["median_us"] / 1e3 if p1 and p1["events"] else None
    res["pzoned_16_reaction_p99_ms"] = p16["p99_us"] / 1e3 if p16 and p16["events"] else None
    res["pzoned_16_reaction_median_ms"] = p16["median_us"] / 1e3 if p16 and p16["events"] else None
    if p16 and int(p16["pzones"]) != 16:
        note("pzoned_16_reaction_p99_ms", "measured with %d pzones" % p16["pzones"])
    if res["pzoned_16_reaction_p99_ms"] is None:
        note("pzoned_16_reaction_p99_ms", "no pzoned measurement (overhead boot)")
    for k, r in (("pzoned_1_reaction_p99_ms", p1), ("pzoned_16_reaction_p99_ms", p16)):
        if r and (r["verified"] < r["expected"] or r["oom_kills"]):
            note(k, "%d of %d peaks verified, %d OOM kills" % (r["verified"], r["expected"], r["oom_kills"]))
    if res["pzoned_16_reaction_p99_ms"] is not None and res["pzoned_1_reaction_p99_ms"]:
        rows.append(("9", "pzoned reaction p99, %d pzones / 1 pzone" % p16["pzones"], "",
                     res["pzoned_16_reaction_p99_ms"] / res["pzoned_1_reaction_p99_ms"], ("<=", 2.0)))

    # Row 10: reads with a shared page-cache pool (bind-dir).
    # A cold read's elapsed time is mostly the disk's, which -icount does
    # not make repeatable: it is compared by CPU time (reader + kswapd).
    for kind, label, field in (("cold", "uncached (CPU time)", "cpu_mib_s"),
                               ("warm", "cached", "mib_s")):
        none = vals("main", "pool", field, case="none", kind=kind)
        rows.append(("10", "%s read, 64 MiB, reader in a pzone, nothing bound" % label,
                     "%s MiB/s%s" % (fmt(med(none), 1), noise(none)), None, None))
        for case, what in (("unbound", "a directory bound, file outside it"),
                           ("bound", "file bound to a pool pzone")):
            vs = vals("main", "pool", field, case=case, kind=kind)
            key = "pool_%s_%s_over_none" % (kind, case)
            res[key] = ratio(med(vs), med(none))
            if res[key] is None:
                note(key, "no row 10 measurement (main boot, phase_pool)")
            rows.append(("10", "%s read: %s / nothing bound" % (label, what),
                         "%s MiB/s%s" % (fmt(med(vs), 1), noise(vs)), res[key], (">=", 0.99)))

    # Row 11: the cost of fallback placement for tasks in no pzone.
    off = vals("main", "fallback_cost", "mib_s", case="off")
    on = vals("main", "fallback_cost", "mib_s", case="on")
    res["fallback_marked_over_none"] = ratio(med(on), med(off))
    if res["fallback_marked_over_none"] is None:
        note("fallback_marked_over_none", "no row 11 measurement (main boot, phase_fallback_cost)")
    rows.append(("11", "unbound faults, THP off: a cgroup marked for fallback / none marked",
                 "%s / %s MiB/s%s" % (fmt(med(on), 1), fmt(med(off), 1), noise(on + off)),
                 res["fallback_marked_over_none"], (">=", 0.99)))

    # Reclaim counters of row 3, medians per run.
    for k in ("pzone", "memcg"):
        sc = {f: med(vals("main", "pagecache", f, case=k)) for f in
              ("pgscan_kswapd", "pgscan_direct", "pgsteal_kswapd", "pgsteal_direct",
               "allocstall_movable")}
        if sc["pgscan_kswapd"] is not None:
            tot = (sc["pgscan_kswapd"] or 0) + (sc["pgscan_direct"] or 0)
            footer_pc.append("%s: pgscan_kswapd %d, pgscan_direct %d (%.0f%% direct), "
                             "pgsteal_kswapd %d, pgsteal_direct %d" % (
                                 k, sc["pgscan_kswapd"], sc["pgscan_direct"] or 0,
                                 100 * (sc["pgscan_direct"] or 0) / tot if tot else 0,
                                 sc["pgsteal_kswapd"] or 0, sc["pgsteal_direct"] or 0))

    # Plots: one per row family, bars of the medians with the min-max range
    # and the goal, written as FAMILY.dat and plots.gp.
    plots = []

    def paired(boot, kind, field, ka, kb, **match):
        """Per-repetition ratios of case ka over case kb (same rep)."""
        a = {r["rep"]: r.get(field) for r in recs(boot, kind, case=ka, **match)}
        b = {r["rep"]: r.get(field) for r in recs(boot, kind, case=kb, **match)}
        return [a[k] / b[k] for k in a if k in b and isinstance(a[k], float) and
                isinstance(b[k], float) and b[k]]

    def bar(label, value, spread_vals):
        lo, hi = lohi(spread_vals)
        if value is None:
            return None
        return (label, value, lo if lo is not None else value, hi if hi is not None else value)

    def add_plot(name, title, ylabel, bars, goal=None, goal_label=None):
        bars = [b for b in bars if b]
        if bars:
            plots.append((name, title, ylabel, bars, goal, goal_label))

    fb = []
    for thp in ("never", "always"):
        for k in "bcd":
            fb.append(bar("%s (%s)/(a) THP %s" % (k, {"b": "pzone", "c": "memcg", "d": "cpuset"}[k],
                                                    "off" if thp == "never" else "on"),
                          ratio(fault[thp, k], fault[thp, "a"]),
                          paired("main", "fault", "mib_s", k, "a", thp=thp)))
    fb.append(bar("pzone/cpuset THP off", res["fault_pzone_over_cpuset"],
                  paired("main", "fault", "mib_s", "b", "d", thp="never")))
    fb.append(bar("pzone/memcg THP off", res["fault_pzone_over_memcg"],
                  paired("main", "fault", "mib_s", "b", "c", thp="never")))
    add_plot("fault", "Row 1: anonymous fault throughput, ratios (bars: median, range: per-repetition ratios)",
             "ratio", fb, [(0.99, "goal (b)/(a) 0.99"), (0.999, "goal pzone/cpuset 0.999"),
                           (1.0, "goal pzone/memcg 1.0")])
    add_plot("fault_scaling", "Row 2: faults THP off, pzone / unbound, by pzones online",
             "ratio", [bar("%d pzones" % n, r,
                           paired("scaling", "scale", "mib_s", "b", "a", n=float(n)))
                       for n, a, b, r, _, _ in scale], 0.98, "goal 0.98")
    add_plot("pagecache", "Row 3: page-cache reads under reclaim, pzone / memcg",
             "ratio", [bar("elapsed", res["pagecache_pzone_over_memcg"],
                           paired("main", "pagecache", "mib_s", "pzone", "memcg")),
                       bar("reader+kswapd CPU", cpu_ratio,
                           paired("main", "pagecache", "cpu_mib_s", "pzone", "memcg"))],
             1.0, "goal 1.0")
    yv = [v for v in y if isinstance(v, float)]
    nz = med(vals("nopzone", "config", "mib_s", pzone="n"))
    add_plot("config", "Row 4: faults unbound, CONFIG_PZONE=y (no pzone) / =n",
             "ratio", [bar("y/n", res["config_y_over_n"],
                           [v / nz for v in yv] if nz else [])], 0.995, "goal 0.995")
    mg = med(mig)
    add_plot("resize", "Row 5: resize ratios",
             "ratio", [bar("grow block/memset", res["grow_block_over_memset"],
                           [v / med(memset) for v in grow if isinstance(v, float)] if med(memset) else []),
                       bar("first grow/steady", res["first_grow_over_steady"], []),
                       bar("shrink/move_pages", res["shrink_over_move_pages"],
                           [v / mg for v in shrink if isinstance(v, float)] if mg else [])],
             [(0.1, "goal grow/memset <= 0.1"), (1.5, "goal first/steady <= 1.5"),
              (1.0, "goal shrink/move_pages >= 1.0")])
    ov = []
    if res.get("overhead_bytes_per_pzone") is not None:
        v = res["overhead_bytes_per_pzone"] / 1024
        ov.append(("KiB per online pzone", v, v, v))
    if res["boot_bytes_per_reserved_id"] is not None:
        v = res["boot_bytes_per_reserved_id"] / 1024
        ov.append(("KiB at boot per reserved id", v, v, v))
    add_plot("overhead", "Row 6: kernel memory (single measurements)", "KiB", ov, 16, "goal 16 KiB per reserved id")
    add_plot("fault_smp", "Row 7: faults, one task per vCPU, pzone / cpuset.mems=1",
             "ratio", [bar("%s vCPUs" % (ncpu or "N"), res["fault_4cpu_pzone_over_node"],
                           paired("smp", "fault_smp", "mib_s", "b", "d"))], 0.95, "goal 0.95")
    mb = []
    for b in ("main", "overhead"):
        if b in mc:
            kb, n, nid, _, _, allkb, _ = mc[b]
            mb.append(bar("per cgroup, %d ids" % nid, kb * 1024 / n,
                          [v * 1024 / n for v in allkb]))
    if res["memcg_bytes_per_unused_id"] is not None:
        mb.append(("unused id (62 vs 4)", res["memcg_bytes_per_unused_id"],
                   res["memcg_bytes_per_unused_id"], res["memcg_bytes_per_unused_id"]))
    add_plot("memcg_ids", "Row 8: memory of a new memory cgroup (log scale)", "bytes", mb, 100,
             "goal 100 bytes per unused id")
    pb = []
    for n in sorted(pzd):
        r = pzd[n]
        pb.append(("%d pzone%s median" % (n, "s" if n > 1 else ""), r["median_us"] / 1e3,
                   r["median_us"] / 1e3, r["median_us"] / 1e3))
        pb.append(("%d pzone%s p99" % (n, "s" if n > 1 else ""), r["p99_us"] / 1e3,
                   r["median_us"] / 1e3, r["max_us"] / 1e3))
    add_plot("pzoned", "Row 9: pzoned reaction (range of p99 bars: median to max)", "ms", pb,
             2 * res["pzoned_1_reaction_p99_ms"] if res["pzoned_1_reaction_p99_ms"] else None,
             "goal: 2 x the 1-pzone p99")
    gp = []
    for name, title, ylabel, bars, goal, goal_label in plots:
        with open(os.path.join(out, name + ".dat"), "w") as f:
            f.write("# label median low high\n")
            for i, (label, v, lo, hi) in enumerate(bars):
                f.write('%d "%s" %.6g %.6g %.6g\n' % (i, label, v, lo, hi))
        vals_all = [x for b_ in bars for x in b_[1:]] + (
            [g_[0] for g_ in goal] if isinstance(goal, list) else [goal] if goal is not None else [])
        lo_y, hi_y = min(vals_all), max(vals_all)
        pad = (hi_y - lo_y) * 0.15 or abs(hi_y) * 0.05 or 1
        ymin = 0 if ylabel != "ratio" else max(0, lo_y - pad)
        gp.append("unset logscale y")
        if name == "memcg_ids":
            gp.append("set logscale y")
            ymin, hi_y, pad = max(1, lo_y / 2), hi_y * 2, 0
        gp.append('set output "%s/%s.png"' % (out, name))
        gp.append('set title "%s"' % title.replace('"', "'"))
        gp.append('set ylabel "%s"' % ylabel)
        gp.append("set yrange [%g:%g]" % (ymin, hi_y + pad))
        gp.append("set xrange [-0.6:%g]" % (len(bars) - 0.4))
        line = ('plot "%s/%s.dat" using 1:3:xtic(2) with boxes fs solid 0.5 title "median", '
                '"" using 1:3:4:5 with yerrorbars lc rgb "black" pt 0 title "range"'
                % (out, name))
        goals = goal if isinstance(goal, list) else ([(goal, goal_label)] if goal is not None else [])
        for i, (gv, gl) in enumerate(goals):
            line += ', %g with lines dt %d lw 2 lc rgb "%s" title "%s"' % (
                gv, 2 + i, ("red", "dark-orange", "dark-green")[i % 3], gl)
        gp.append(line)
    with open(os.path.join(out, "plots.gp"), "w") as f:
        f.write("set terminal png size 1000,560\nset boxwidth 0.6\nset grid ytics\n"
                "set xtics rotate by -20 font \",9\"\nset key outside bottom center horizontal\n")
        f.write("\n".join(gp) + "\n")

    # Table.
    lines = ["| Row | Measurement | Medians | Ratio | Goal | Met |",
             "|---|---|---|---|---|---|"]
    rows.sort(key=lambda r_: int(r_[0]))
    for row, what, v, r, goal in rows:
        g = "" if goal is None else "%s %s" % ("≥" if goal[0] == ">=" else "≤", goal[1])
        lines.append("| %s | %s | %s | %s | %s | %s |" % (
            row, what, v, fmt(r, 4) if r is not None else "", g,
            goal_met(r, goal) if goal else ""))
    glines = ["", "## Goals (issue 13)", "",
              "| `results.json` key | Measured | Goal | Met |", "|---|---|---|---|"]
    for key, what, goal in GOALS:
        v = res.get(key)
        if goal is None:
            g, met = "reported", ""
        else:
            op, gv = goal
            if gv == "p99_1x2":
                gv = 2 * res["pzoned_1_reaction_p99_ms"] if res.get("pzoned_1_reaction_p99_ms") else None
            g = "%s %s" % ("≥" if op == ">=" else "≤", fmt(gv, 3) if isinstance(gv, float) else gv)
            met = goal_met(v, (op, gv)) if gv is not None else "n/a"
        lines_v = "n/a" if v is None else (("%d" % v) if isinstance(v, int) or (isinstance(v, float) and v > 1000)
                                           else "%.4f" % v)
        glines.append("| `%s` (%s) | %s | %s | %s |" % (key, what, lines_v, g, met))
    lines = lines + glines
    reps = {b: len(vals(b, "config", "mib_s")) for b in ("main", "nopzone")}
    header = ["# pzone benchmark", "",
              "Guest: QEMU TCG `-icount shift=0,sleep=off` (1 guest ns = 1 instruction), "
              "%s vCPUs (row 7: %s), 6 GiB; medians of %d repetitions in one boot (row 3: %d, "
              "after an untimed warm-up run); (±x%%) = half the max-min spread over the median."
              % (int(ncpu_main) if ncpu_main else "?", ncpu or "?", max(reps.values() or [0]),
                 len(vals("main", "pagecache", "mib_s", case="memcg"))), ""]
    footer = [""]
    if footer_pc:
        footer.append("Row 3 medians per run: " + "; ".join(footer_pc) + ".")
        footer.append("")
    pcp = recs("main", "pcp")
    if pcp:
        footer.append("Per-CPU free page lists of CPU 1 after the fault runs (/proc/zoneinfo): " + "; ".join(
            "%snode %d %s: %d pages managed, high %d, batch %d"
            % ("" if "size" not in r else "pzone of %s: " % r["size"],
               r["node"], r["zone"], r["managed"], r["high"], r["batch"]) for r in pcp) + ".")
        footer.append("")
    if plots:
        footer.append("Plots (bars: median, range: per-repetition spread, dashed: goal): " +
                      ", ".join("%s.png (%s)" % (p_[0], p_[1].split(":")[0]) for p_ in plots) +
                      ", scaling.png (row 2 curve).")
        footer.append("")
    if notes:
        footer.append("Notes:")
        footer.append("")
        for k in sorted(notes):
            footer.append("- %s: %s" % (k, notes[k]))
    footer.append("")
    footer.append("Boots (status, wall seconds): " + ", ".join(
        "%s %s/%ss" % (b, *boots[b]) for b in boots))
    with open(os.path.join(out, "table.md"), "w") as f:
        f.write("\n".join(header + lines + footer) + "\n")
    # The same tables as reStructuredText list-tables, for pzone.rst.
    rst = []
    for tab in ([l_ for l_ in lines[:lines.index("") if "" in lines else len(lines)]],
                [l_ for l_ in glines if l_.startswith("|")]):
        cells = [[c.strip() for c in l_.strip("|").split("|")] for l_ in tab if l_.startswith("|")]
        cells = [r_ for r_ in cells if not all(set(c) <= set("-") for c in r_)]
        if not cells:
            continue
        rst.append(".. list-table::")
        rst.append("   :header-rows: 1")
        rst.append("")
        for r_ in cells:
            for i, c in enumerate(r_):
                c = re.sub(r"`([^`]+)`", r"``\1``", c.replace("**", ""))
                rst.append("   %s %s" % ("* -" if i == 0 else "  -", c) if c else
                           "   %s" % ("* -" if i == 0 else "  -"))
        rst.append("")
    with open(os.path.join(out, "table.rst"), "w") as f:
        f.write("\n".join(rst) + "\n")

    res = {k: (round(v, 5) if isinstance(v, float) else v) for k, v in res.items()}
    order = ["fault_pzone_over_unbound", "fault_pzone_over_unbound_thp",
             "fault_memcg_over_unbound", "fault_node_over_unbound",
             "fault_64pzones_over_unbound", "pagecache_pzone_over_memcg",
             "config_y_over_n", "grow_block_over_memset", "shrink_over_memcpy",
             "overhead_bytes_per_pzone"] + [k for k, _, _ in GOALS
                                            if k != "pagecache_pzone_over_memcg"] + [
             "pzoned_1_reaction_median_ms", "pzoned_16_reaction_median_ms",
             "pagecache_memcg_spread", "pagecache_pzone_spread",
             "pagecache_memcg_cpu_spread", "pagecache_pzone_cpu_spread"]
    obj = {k: res.get(k) for k in order}
    obj["notes"] = notes
    with open(os.path.join(out, "results.json"), "w") as f:
        json.dump(obj, f, indent=2, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
