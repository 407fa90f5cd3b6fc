// SPDX-License-Identifier: GPL-2.0
/*
 * pzone_walk - keep touching anonymous memory, so that the NUMA balancing
 * scanner of the task has accesses to sample (hinting faults) and pages it
 * may want to move.
 *
 *   pzone_walk --mib M [--cpu C] [--nothp]
 *
 * Maps M MiB of anonymous memory (--nothp: MADV_NOHUGEPAGE), writes a
 * pattern word to every page, prints "ready", then writes every page
 * again and again until SIGTERM or SIGINT.  Then it checks the pattern,
 * prints
 *	passes N		(full walks over the memory)
 *	report walk node N PAGES	(move_pages(2) query, one a node)
 *	done
 * and exits 0 (3 if the pattern changed, 1 if a system call failed, 2 on
 * a usage error).
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#define PROG		"pzone_walk"
#include "pzone_util.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static uint64_t pattern(size_t page)
{
	return (uint64_t)page * 0x9e3779b97f4a7c15ULL ^ 0x77616c6bULL;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "mib", required_argument, NULL, 'm' },
		{ "cpu", required_argument, NULL, 'c' },
		{ "nothp", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	unsigned long mib = 0, passes = 0;
	size_t page, pages, i;
	int cpu = -1, nothp = 0, opt;
	struct sigaction sa = { .sa_handler = on_signal };
	char *p;

	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 'm':
			mib = parse_ul(optarg, "--mib");
			break;
		case 'c':
			cpu = (int)parse_ul(optarg, "--cpu");
			break;
		case 'n':
			nothp = 1;
			break;
		default:
			fprintf(stderr, "usage: pzone_walk --mib M [--cpu C] [--nothp]\n");
			return 2;
		}
	}
	if (optind != argc || !mib) {
		fprintf(stderr, "pzone_walk: --mib must be > 0, no operands\n");
		return 2;
	}
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGTERM, &sa, NULL) || sigaction(SIGINT, &sa, NULL))
		die("sigaction");
	if (cpu >= 0)
		pin_cpu(cpu);
	page = (size_t)sysconf(_SC_PAGESIZE);
	pages = mib * MIB / page;
	p = map_anon(pages * page);
	if (nothp && madvise(p, pages * page, MADV_NOHUGEPAGE))
		die("madvise(MADV_NOHUGEPAGE)");
	for (i = 0; i < pages; i++)
		*(volatile uint64_t *)(p + i * page) = pattern(i);
	say("ready\n");

	while (!stop) {
		for (i = 0; i < pages && !stop; i++)
			*(volatile uint64_t *)(p + i * page) = pattern(i);
		if (i == pages)
			passes++;
	}
	say("passes %lu\n", passes);
	report_pages("walk", p, pages, page);
	for (i = 0; i < pages; i++) {
		if (*(uint64_t *)(p + i * page) != pattern(i)) {
			say("# pattern changed in page %zu\n", i);
			return 3;
		}
	}
	say("done\n");
	return 0;
}
