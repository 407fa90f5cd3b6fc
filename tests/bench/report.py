#!/usr/bin/env python3
"""report.py - turn the guest logs of tests/bench/run.sh into the benchmark
table (table.md), results.json and the data of the scaling plot.

usage: report.py OUTDIR
OUTDIR holds main.log, scaling.log, overhead.log, nopzone.log (QEMU console
logs with the "BENCH ..." lines of guest_bench.sh) and boots.txt ("NAME RC
SECONDS" per boot).  Writes OUTDIR/table.md, OUTDIR/results.json and
OUTDIR/scaling.dat.
"""
import json
import os
import re
import statistics
import sys

BOOTS = ("main", "scaling", "overhead", "nopzone")
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
                 "%s / %s MiB/s" % (fmt(pc["pzone", "cpu_mib_s"], 1), fmt(pc["memcg", "cpu_mib_s"], 1)),
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
    a4, a62 = logs["main"][2], logs["scaling"][2]
    if a4 and a62 and ids.get("main") and ids.get("scaling", 0) > ids["main"]:
        d = ids["scaling"] - ids["main"]
        rows.append(("6", "boot: memory per reserved node id (pzone_nodes=%d vs %d, dmesg \"Memory: ... available\")"
                     % (ids["main"], ids["scaling"]),
                     "%d KiB" % round((a4 - a62) / d), None, None))

    # Table.
    lines = ["| Row | Measurement | Medians | Ratio | Goal | Met |",
             "|---|---|---|---|---|---|"]
    for row, what, v, r, goal in rows:
        g = "" if goal is None else "%s %s" % ("≥" if goal[0] == ">=" else "≤", goal[1])
        lines.append("| %s | %s | %s | %s | %s | %s |" % (
            row, what, v, fmt(r, 4) if r is not None else "", g,
            goal_met(r, goal) if goal else ""))
    reps = {b: len(vals(b, "config", "mib_s")) for b in ("main", "nopzone")}
    header = ["# pzone benchmark", "",
              "Guest: QEMU TCG `-icount shift=0,sleep=off` (1 guest ns = 1 instruction), "
              "2 vCPUs, 6 GiB; medians of %d repetitions in one boot; (±x%%) = half the "
              "max-min spread over the median." % max(reps.values() or [0]), ""]
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
    if notes:
        footer.append("Notes:")
        footer.append("")
        for k in sorted(notes):
            footer.append("- %s: %s" % (k, notes[k]))
    footer.append("")
    footer.append("Boots (status, wall seconds): " + ", ".join(
        "%s %s/%ss" % (b, *boots[b]) for b in BOOTS if b in boots))
    with open(os.path.join(out, "table.md"), "w") as f:
        f.write("\n".join(header + lines + footer) + "\n")

    res = {k: (round(v, 5) if isinstance(v, float) else v) for k, v in res.items()}
    order = ["fault_pzone_over_unbound", "fault_pzone_over_unbound_thp",
             "fault_memcg_over_unbound", "fault_node_over_unbound",
             "fault_64pzones_over_unbound", "pagecache_pzone_over_memcg",
             "config_y_over_n", "grow_block_over_memset", "shrink_over_memcpy",
             "overhead_bytes_per_pzone"]
    obj = {k: res.get(k) for k in order}
    obj["notes"] = notes
    with open(os.path.join(out, "results.json"), "w") as f:
        json.dump(obj, f, indent=2, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
