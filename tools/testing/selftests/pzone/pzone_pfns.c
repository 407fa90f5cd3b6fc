// SPDX-License-Identifier: GPL-2.0
/*
 * pzone_pfns - where does my memory lie physically?  Maps --mib MiB of
 * anonymous memory (no THP), writes every page, and prints the PFN of each
 * from /proc/self/pagemap (root sees PFNs), one decimal number a line,
 * then "done PAGES".  For range pzones: a task bound to one checks that
 * its pages lie in the pzone's blocks.
 *
 *   pzone_pfns --mib M
 *
 * Exit: 0 ok, 1 a system call failed or a PFN was hidden, 2 usage.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#define PROG		"pzone_pfns"
#include "pzone_util.h"

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "mib", required_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 },
	};
	size_t page_size = (size_t)sysconf(_SC_PAGESIZE), pages, i;
	unsigned long mib = 0;
	char *buf;
	int c, fd;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'm')
			return 2;
		mib = parse_ul(optarg, "size in MiB");
	}
	if (!mib || optind != argc) {
		fprintf(stderr, "usage: %s --mib M\n", PROG);
		return 2;
	}
	pages = mib * MIB / page_size;
	buf = map_anon(pages * page_size);
	if (madvise(buf, pages * page_size, MADV_NOHUGEPAGE))
		die("madvise");
	for (i = 0; i < pages; i++)
		buf[i * page_size] = 1;
	fd = open("/proc/self/pagemap", O_RDONLY);
	if (fd < 0)
		die("/proc/self/pagemap");
	for (i = 0; i < pages; i++) {
		uint64_t e;
		off_t off = (off_t)((uintptr_t)(buf + i * page_size) / page_size * 8);

		if (pread(fd, &e, sizeof(e), off) != (ssize_t)sizeof(e))
			die("read /proc/self/pagemap");
		if (!(e >> 63) || !(e & ((1ULL << 55) - 1))) {
			fprintf(stderr, "%s: page %zu: no PFN (not present, or not root)\n",
				PROG, i);
			return 1;
		}
		printf("%llu\n", (unsigned long long)(e & ((1ULL << 55) - 1)));
	}
	printf("done %zu\n", pages);
	return fflush(stdout) ? 1 : 0;
}
