// SPDX-License-Identifier: GPL-2.0
/*
 * pzone_ksm - anonymous memory for KSM to merge, with known duplicates.
 *
 *   pzone_ksm --mib M [--cpu C]
 *
 * Maps M MiB of anonymous memory (MADV_NOHUGEPAGE), in two halves of H
 * pages each: page K of the first half and page K of the second half hold
 * the same content, and page K of every pzone_ksm holds the same content
 * as page K of any other (a fixed pattern of K, never all zeroes).  So
 * KSM can merge pages within one task, and pages of two tasks.  Then
 * MADV_MERGEABLE, "ready", and wait:
 *	SIGUSR1		print "report ksm node N PAGES" lines (move_pages(2)
 *			query: where the M MiB are) and "report-end"
 *	SIGTERM/SIGINT	check every word of the pattern, print the report,
 *			"done", exit
 * Exit: 0 ok, 1 a system call failed, 2 usage, 3 the pattern changed.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#define PROG		"pzone_ksm"
#include "pzone_util.h"

static volatile sig_atomic_t stop, want_report;

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		want_report = 1;
	else
		stop = 1;
}

static uint64_t pattern(size_t key, size_t word)
{
	return ((uint64_t)(key + 1) << 32 | word) * 0x9e3779b97f4a7c15ULL;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "mib", required_argument, NULL, 'm' },
		{ "cpu", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 }
	};
	struct sigaction sa = { .sa_handler = on_signal };
	unsigned long mib = 0, bad = 0;
	size_t page, words, pages, half, i, w;
	int cpu = -1, opt;
	sigset_t block, none;
	char *p;

	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 'm':
			mib = parse_ul(optarg, "--mib");
			break;
		case 'c':
			cpu = (int)parse_ul(optarg, "--cpu");
			break;
		default:
			fprintf(stderr, "usage: pzone_ksm --mib M [--cpu C]\n");
			return 2;
		}
	}
	if (optind != argc || !mib) {
		fprintf(stderr, "pzone_ksm: --mib must be > 0, no operands\n");
		return 2;
	}
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGTERM, &sa, NULL) || sigaction(SIGINT, &sa, NULL) ||
	    sigaction(SIGUSR1, &sa, NULL))
		die("sigaction");
	if (cpu >= 0)
		pin_cpu(cpu);
	page = (size_t)sysconf(_SC_PAGESIZE);
	words = page / sizeof(uint64_t);
	pages = mib * MIB / page;
	half = pages / 2;
	p = map_anon(pages * page);
	if (madvise(p, pages * page, MADV_NOHUGEPAGE))
		die("madvise(MADV_NOHUGEPAGE)");
	for (i = 0; i < pages; i++) {
		uint64_t *q = (uint64_t *)(p + i * page);

		for (w = 0; w < words; w++)
			q[w] = pattern(i % half, w);
	}
	if (madvise(p, pages * page, MADV_MERGEABLE))
		die("madvise(MADV_MERGEABLE)");
	say("pages %zu distinct %zu\n", pages, half);

	/* Blocked except inside sigsuspend(): no wake-up is lost. */
	sigemptyset(&none);
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGUSR1);
	if (sigprocmask(SIG_BLOCK, &block, NULL))
		die("sigprocmask");
	say("ready\n");
	while (!stop) {
		sigsuspend(&none);
		if (want_report) {
			want_report = 0;
			report_pages("ksm", p, pages, page);
			say("report-end\n");
		}
	}

	for (i = 0; i < pages; i++) {
		const uint64_t *q = (const uint64_t *)(p + i * page);

		for (w = 0; w < words; w++)
			if (q[w] != pattern(i % half, w))
				bad++;
	}
	report_pages("ksm", p, pages, page);
	if (bad) {
		say("# %lu words changed\n", bad);
		return 3;
	}
	say("done\n");
	return 0;
}
