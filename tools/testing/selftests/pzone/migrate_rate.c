// SPDX-License-Identifier: GPL-2.0
/*
 * migrate_rate - throughput of the kernel's page migration between two
 * ordinary nodes with move_pages(2): the yardstick for a pzone shrink that
 * has to migrate pages, next to memcpy (memcpy_rate).
 *
 * MIB MiB of anonymous memory (no THP) are faulted in where the task runs
 * (first touch, --cpu), then moved to node NODE with one move_pages() call.
 *
 * Usage: migrate_rate --to NODE [--mib MIB] [--cpu C]
 *
 * Output: "# ..." comments, then
 *   moved_pages N          pages that ended up on NODE
 *   ns NS                  guest nanoseconds of the move_pages() call
 *   migrate_mib_per_s X    N * page size / NS
 * Exit: 0 ok, 1 a system call failed or no page moved, 2 usage.
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
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "pzone_util.h"

#define MPOL_MF_MOVE	(1 << 1)	/* <linux/mempolicy.h> */

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "to", required_argument, NULL, 't' },
		{ "mib", required_argument, NULL, 'm' },
		{ "cpu", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 }
	};
	unsigned long mib = 64, i, n, moved = 0;
	int to = -1, cpu = -1, opt, *nodes, *status;
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	void **pages;
	uint64_t t0, t1;
	char *p;
	long r;

	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 't':
			to = (int)parse_ul(optarg, "--to");
			break;
		case 'm':
			mib = parse_ul(optarg, "--mib");
			break;
		case 'c':
			cpu = (int)parse_ul(optarg, "--cpu");
			break;
		default:
			goto usage;
		}
	}
	if (to < 0 || !mib || optind != argc)
		goto usage;
	if (cpu >= 0)
		pin_cpu(cpu);
	n = mib * MIB / page;
	p = map_anon(mib * MIB);
	if (madvise(p, mib * MIB, MADV_NOHUGEPAGE))
		die("madvise");
	pages = calloc(n, sizeof(*pages));
	nodes = calloc(n, sizeof(*nodes));
	status = calloc(n, sizeof(*status));
	if (!pages || !nodes || !status)
		die("calloc");
	for (i = 0; i < n; i++) {
		p[i * page] = (char)i;
		pages[i] = p + i * page;
		nodes[i] = to;
	}

	t0 = now_ns();
	r = syscall(SYS_move_pages, 0, n, pages, nodes, status, MPOL_MF_MOVE);
	t1 = now_ns();
	if (r < 0)
		die("move_pages");
	for (i = 0; i < n; i++)
		if (status[i] == to)
			moved++;
	printf("# %lu pages to node %d from cpu %d, %ld not moved\n",
	       n, to, sched_getcpu(), r);
	printf("moved_pages %lu\n", moved);
	printf("ns %llu\n", (unsigned long long)(t1 - t0));
	printf("migrate_mib_per_s %.3f\n", t1 > t0 ?
	       (double)moved * (double)page / MIB / ((double)(t1 - t0) / 1e9) : 0.0);
	return moved ? 0 : 1;
usage:
	fprintf(stderr, "usage: migrate_rate --to NODE [--mib MIB] [--cpu C]\n");
	return 2;
}
