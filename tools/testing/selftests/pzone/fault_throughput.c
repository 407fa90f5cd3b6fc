// SPDX-License-Identifier: GPL-2.0
/*
 * fault_throughput - anonymous page-fault throughput of one thread.
 *
 * Each iteration maps MIB MiB of private anonymous memory, writes one word
 * in every 4 KiB page (one page fault a page, or one a huge page when THP is
 * in use), and unmaps it.  The time of the timed iterations, from
 * clock_gettime(CLOCK_MONOTONIC), covers mmap, the faults and munmap.
 *
 * Usage: fault_throughput [--mib MIB] [--iters N] [--warmup N] [--cpu C]
 *                         [--thp | --nothp]
 *   --mib     size of one mapping in MiB (default 64)
 *   --iters   timed iterations (default 4)
 *   --warmup  untimed iterations first (default 1)
 *   --cpu     pin the thread to CPU C first
 *   --thp     madvise(MADV_HUGEPAGE) the mapping; --nothp: MADV_NOHUGEPAGE.
 *             Default: neither, the system-wide THP setting decides.
 *
 * Output: "# ..." comments, then
 *   ns NS            guest nanoseconds of the timed iterations
 *   minflt N         minor faults taken by the timed iterations
 *   mib_per_s X      MiB faulted in per second
 * Exit: 0 ok, 1 a system call failed, 2 usage.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "pzone_util.h"

static long minflt(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru))
		die("getrusage");
	return ru.ru_minflt;
}

static void one_round(size_t len, size_t page, int advice)
{
	char *p;
	size_t off;

	p = map_anon(len);
	if (advice >= 0 && madvise(p, len, advice))
		die("madvise");
	for (off = 0; off < len; off += page)
		*(volatile uint64_t *)(p + off) = off;
	if (munmap(p, len))
		die("munmap");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "mib", required_argument, NULL, 'm' },
		{ "iters", required_argument, NULL, 'i' },
		{ "warmup", required_argument, NULL, 'w' },
		{ "cpu", required_argument, NULL, 'c' },
		{ "thp", no_argument, NULL, 't' },
		{ "nothp", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	unsigned long mib = 64, iters = 4, warmup = 1, i;
	int cpu = -1, advice = -1, opt;
	uint64_t t0, t1;
	long f0, f1;
	size_t page, len;
	double secs;

	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 'm':
			mib = parse_ul(optarg, "--mib");
			break;
		case 'i':
			iters = parse_ul(optarg, "--iters");
			break;
		case 'w':
			warmup = parse_ul(optarg, "--warmup");
			break;
		case 'c':
			cpu = (int)parse_ul(optarg, "--cpu");
			break;
		case 't':
			advice = MADV_HUGEPAGE;
			break;
		case 'n':
			advice = MADV_NOHUGEPAGE;
			break;
		default:
			fprintf(stderr, "usage: fault_throughput [--mib MIB] [--iters N] [--warmup N] [--cpu C] [--thp|--nothp]\n");
			return 2;
		}
	}
	if (optind != argc || !mib || !iters) {
		fprintf(stderr, "fault_throughput: --mib and --iters must be > 0, no operands\n");
		return 2;
	}
	if (cpu >= 0)
		pin_cpu(cpu);
	page = (size_t)sysconf(_SC_PAGESIZE);
	len = mib * MIB;

	for (i = 0; i < warmup; i++)
		one_round(len, page, advice);
	f0 = minflt();
	t0 = now_ns();
	for (i = 0; i < iters; i++)
		one_round(len, page, advice);
	t1 = now_ns();
	f1 = minflt();

	secs = (double)(t1 - t0) / 1e9;
	printf("# %lu x %lu MiB, cpu %d, page %zu\n", iters, mib, sched_getcpu(), page);
	printf("ns %llu\n", (unsigned long long)(t1 - t0));
	printf("minflt %ld\n", f1 - f0);
	printf("mib_per_s %.3f\n", secs > 0 ? (double)(mib * iters) / secs : 0.0);
	return 0;
}
