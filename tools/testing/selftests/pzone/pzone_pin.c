// SPDX-License-Identifier: GPL-2.0
/*
 * pzone_pin - hold references on anonymous pages so that they cannot be
 * migrated: vmsplice(2) puts the pages into pipes that are never read,
 * and each page in a pipe holds a reference on it.
 *
 *   pzone_pin --mib M [--every K] [--sparse] [--pfns FILE]
 *
 * Maps M MiB of anonymous memory, writes a known pattern to every page,
 * then vmsplices one page out of every K (default 256: one a MiB) into
 * pipes.  --sparse then drops (MADV_DONTNEED) every page that is not in a
 * pipe, so that only the held pages stay in memory, spread over the blocks
 * the mapping was in.  Prints
 *	pinned N
 *	ready
 *	blocks B	(4 MiB blocks holding them, from /proc/self/pagemap;
 *			 "blocks unknown" without the privilege to see PFNs)
 * (--pfns also writes their PFNs to FILE, one decimal number a line)
 * and waits for SIGTERM/SIGINT; then checks the pattern of the held pages,
 * prints "done" and exits 0 (3 if the pattern changed, 1 if a system call
 * failed, 2 on a usage error).  SIGUSR1 prints "report node N PAGES" lines
 * for the held pages (move_pages(2) query) and "report-end".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#define PROG		"pzone_pin"
#include "pzone_util.h"

#define PAGE		4096UL
#define PIPE_BYTES	(1024UL * 1024UL)

static volatile sig_atomic_t stop, want_report;

/* A decimal argument greater than 0, or bad_arg(). */
static unsigned long parse_count(const char *s, const char *what)
{
	unsigned long v = parse_ul(s, what);

	if (!v)
		bad_arg(what, s);
	return v;
}

static uint64_t pattern(size_t page, size_t word)
{
	return ((uint64_t)page << 32 | word) * 0x9e3779b97f4a7c15ULL;
}

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		want_report = 1;
	else
		stop = 1;
}

static void report(char *addr, size_t pages, size_t every)
{
	unsigned long count[MAX_NODES] = { 0 }, absent = 0;
	size_t i;
	int node;

	for (i = 0; i < pages; i += every) {
		void *p = addr + i * PAGE;
		int status = -1;

		if (syscall(SYS_move_pages, 0, 1UL, &p, NULL, &status, 0))
			die("move_pages");
		if (status >= 0 && status < MAX_NODES)
			count[status]++;
		else
			absent++;
	}
	for (node = 0; node < MAX_NODES; node++)
		if (count[node])
			say("report node %d %lu\n", node, count[node]);
	if (absent)
		say("report absent %lu\n", absent);
	say("report-end\n");
}

/* Distinct 4 MiB blocks holding the held pages, or -1 if PFNs are hidden. */
static long count_blocks(char *addr, size_t pages, size_t every, FILE *out)
{
	uint64_t *blk;
	size_t i, j, n = 0;
	long ret = 0;
	int fd;

	fd = open("/proc/self/pagemap", O_RDONLY);
	if (fd < 0)
		return -1;
	blk = calloc(pages / every + 1, sizeof(*blk));
	if (!blk)
		die("calloc");
	for (i = 0; i < pages; i += every) {
		uint64_t e, pfn;
		off_t off = (off_t)((uintptr_t)(addr + i * PAGE) / PAGE * 8);

		if (pread(fd, &e, sizeof(e), off) != (ssize_t)sizeof(e))
			die("read /proc/self/pagemap");
		pfn = e & ((1ULL << 55) - 1);
		if (!(e >> 63) || !pfn) {
			ret = -1;
			break;
		}
		if (out)
			fprintf(out, "%llu\n", (unsigned long long)pfn);
		for (j = 0; j < n && blk[j] != pfn >> 10; j++)
			;
		if (j == n)
			blk[n++] = pfn >> 10;
	}
	close(fd);
	free(blk);
	return ret ? ret : (long)n;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "mib",	required_argument, NULL, 'm' },
		{ "every",	required_argument, NULL, 'e' },
		{ "sparse",	no_argument,	   NULL, 's' },
		{ "pfns",	required_argument, NULL, 'p' },
		{ "help",	no_argument,	   NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	size_t mib = 0, every = 256, pages, i, w, pinned = 0, room = 0;
	int sparse = 0, c, pfd[2] = { -1, -1 };
	unsigned long bad = 0;
	long blocks;
	const char *pfns = NULL;
	FILE *out = NULL;
	struct sigaction sa;
	sigset_t none, block;
	char *addr;

	while ((c = getopt_long(argc, argv, "m:e:sh", opts, NULL)) != -1) {
		switch (c) {
		case 'm': mib = parse_count(optarg, "size"); break;
		case 'e': every = parse_count(optarg, "interval"); break;
		case 's': sparse = 1; break;
		case 'p': pfns = optarg; break;
		case 'h':
		default:
			fputs("Usage: pzone_pin --mib M [--every K] [--sparse] [--pfns FILE]\n",
			      c == 'h' ? stdout : stderr);
			return c == 'h' ? 0 : 2;
		}
	}
	if (optind != argc || !mib) {
		fputs("Usage: pzone_pin --mib M [--every K] [--sparse] [--pfns FILE]\n",
		      stderr);
		return 2;
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGTERM, &sa, NULL) || sigaction(SIGINT, &sa, NULL) ||
	    sigaction(SIGUSR1, &sa, NULL))
		die("sigaction");

	pages = mib * MIB / PAGE;
	addr = map_anon(pages * PAGE);
	/* No THP: the held pages must be single pages spread over blocks. */
	madvise(addr, pages * PAGE, MADV_NOHUGEPAGE);
	for (i = 0; i < pages; i++) {
		uint64_t *p = (uint64_t *)(addr + i * PAGE);

		for (w = 0; w < PAGE / sizeof(*p); w++)
			p[w] = pattern(i, w);
	}

	for (i = 0; i < pages; i += every) {
		struct iovec iov = { .iov_base = addr + i * PAGE, .iov_len = PAGE };
		ssize_t n;

		if (room < PAGE) {
			if (pipe(pfd))
				die("pipe");
			/* Root may go past pipe-max-size; else keep the default. */
			n = fcntl(pfd[1], F_SETPIPE_SZ, (int)PIPE_BYTES);
			room = n > 0 ? (size_t)n : 16 * PAGE;
		}
		n = vmsplice(pfd[1], &iov, 1, SPLICE_F_NONBLOCK);
		if (n == -1 && errno == EAGAIN) {
			room = 0;	/* full: the next page goes to a new pipe */
			i -= every;
			continue;
		}
		if (n != (ssize_t)PAGE)
			die("vmsplice page %zu", i);
		room -= PAGE;
		pinned++;
	}
	if (sparse) {
		for (i = 0; i < pages; i += every) {
			size_t next = i + every < pages ? i + every : pages;

			if (next > i + 1 &&
			    madvise(addr + (i + 1) * PAGE, (next - i - 1) * PAGE,
				    MADV_DONTNEED))
				die("madvise(MADV_DONTNEED)");
		}
	}
	say("pinned %zu\n", pinned);
	if (pfns) {
		out = fopen(pfns, "we");
		if (!out)
			die("%s", pfns);
	}
	blocks = count_blocks(addr, pages, every, out);
	if (out && fclose(out))
		die("%s", pfns);
	if (blocks < 0)
		say("blocks unknown\n");
	else
		say("blocks %ld\n", blocks);
	say("ready\n");

	/* Blocked except inside sigsuspend(): no wake-up is lost. */
	sigemptyset(&none);
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGUSR1);
	if (sigprocmask(SIG_BLOCK, &block, NULL))
		die("sigprocmask");
	while (!stop) {
		sigsuspend(&none);
		if (want_report) {
			want_report = 0;
			report(addr, pages, every);
		}
	}

	for (i = 0; i < pages; i += every) {
		uint64_t *p = (uint64_t *)(addr + i * PAGE);

		for (w = 0; w < PAGE / sizeof(*p); w++)
			if (p[w] != pattern(i, w))
				bad++;
	}
	if (bad)
		say("# %lu words of the held pages changed\n", bad);
	say("done\n");
	return bad ? 3 : 0;
}
