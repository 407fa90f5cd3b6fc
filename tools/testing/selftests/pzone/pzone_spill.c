// SPDX-License-Identifier: GPL-2.0
/*
 * pzone_spill - fill anonymous memory step by step and say where each step
 * landed, for the strict/fallback test (fallback.sh).
 *
 *   pzone_spill --node D --mib N [--step-mib S] [--wait]
 *
 * --wait first prints "waiting" and waits for SIGUSR1 (so that a shell can
 * bind the running process).  Then N MiB are mapped (no THP, so that every
 * step is 4 KiB pages) and written S MiB (default 4) at a time.  After each
 * step, move_pages(2) says where the step's pages are; at the first step
 * with a page outside node D it prints
 *	first_spill MIB D_PAGES USED_KB TOTAL_KB
 * MIB being how much was written before that step, D_PAGES the pages of
 * this task on node D before it, USED_KB and TOTAL_KB node D's
 * MemTotal - MemFree and MemTotal after it.  At the end:
 *	done D_PAGES OTHER_PAGES ABSENT_PAGES
 *	node N PAGES		(one line a node holding some)
 *
 * Exit: 0 ok, 1 a system call failed, 2 usage.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define PROG		"pzone_spill"
#include "pzone_util.h"

static volatile sig_atomic_t go;

static void on_usr1(int sig)
{
	(void)sig;
	go = 1;
}

/* "KEY: N kB" of node @node's meminfo, in kB. */
static unsigned long node_meminfo(int node, const char *key)
{
	char path[96], line[256], *p;
	unsigned long v = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/devices/system/node/node%d/meminfo",
		 node);
	f = fopen(path, "re");
	if (!f)
		die("%s", path);
	while (fgets(line, sizeof(line), f)) {
		p = strstr(line, key);
		if (p && p[strlen(key)] == ':') {
			v = strtoul(p + strlen(key) + 1, NULL, 10);
			break;
		}
	}
	fclose(f);
	return v;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "node", required_argument, NULL, 'n' },
		{ "mib", required_argument, NULL, 'm' },
		{ "step-mib", required_argument, NULL, 's' },
		{ "wait", no_argument, NULL, 'w' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long count[MAX_NODES] = { 0 };
	unsigned long mib = 0, step = 4, on_d = 0, other = 0, absent = 0;
	size_t page_size = (size_t)sysconf(_SC_PAGESIZE), npages, per_step, i, j;
	void *pages[QUERY_BATCH];
	int status[QUERY_BATCH];
	int c, node = -1, wait_sig = 0, spilled = 0;
	char *buf;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			node = (int)parse_ul(optarg, "node");
			break;
		case 'm':
			mib = parse_ul(optarg, "size in MiB");
			break;
		case 's':
			step = parse_ul(optarg, "step in MiB");
			break;
		case 'w':
			wait_sig = 1;
			break;
		default:
			return 2;
		}
	}
	if (node < 0 || node >= MAX_NODES || !mib || !step || optind != argc) {
		fprintf(stderr, "usage: %s --node D --mib N [--step-mib S] [--wait]\n",
			PROG);
		return 2;
	}
	if (wait_sig) {
		sigset_t none;

		sigemptyset(&none);
		if (signal(SIGUSR1, on_usr1) == SIG_ERR)
			die("signal");
		say("waiting\n");
		while (!go)
			sigsuspend(&none);
	}

	npages = mib * MIB / page_size;
	per_step = step * MIB / page_size;
	buf = map_anon(mib * MIB);
	if (madvise(buf, mib * MIB, MADV_NOHUGEPAGE))
		die("madvise");
	for (i = 0; i < npages; i += per_step) {
		size_t n = npages - i < per_step ? npages - i : per_step;
		unsigned long before = on_d;

		for (j = 0; j < n; j++)
			buf[(i + j) * page_size] = 1;
		for (j = 0; j < n; j += QUERY_BATCH) {
			size_t k, batch = n - j < QUERY_BATCH ? n - j : QUERY_BATCH;

			for (k = 0; k < batch; k++)
				pages[k] = buf + (i + j + k) * page_size;
			if (syscall(SYS_move_pages, 0, batch, pages, NULL, status, 0))
				die("move_pages");
			for (k = 0; k < batch; k++) {
				if (status[k] == node)
					on_d++;
				else if (status[k] < 0)
					absent++;
				else
					other++;
				if (status[k] >= 0 && status[k] < MAX_NODES)
					count[status[k]]++;
			}
		}
		if (!spilled && on_d - before < n) {
			unsigned long total = node_meminfo(node, "MemTotal");

			spilled = 1;
			say("first_spill %zu %lu %lu %lu\n", i * page_size / MIB,
			    before, total - node_meminfo(node, "MemFree"), total);
		}
	}
	say("done %lu %lu %lu\n", on_d, other, absent);
	for (c = 0; c < MAX_NODES; c++)
		if (count[c])
			say("node %d %lu\n", c, count[c]);
	return 0;
}
