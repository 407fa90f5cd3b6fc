// SPDX-License-Identifier: GPL-2.0
/*
 * pzone_touch - hold memory of known kinds so that a shell test can see where
 * it landed (/proc/PID/numa_maps, nodeN/meminfo).
 *
 * Steps, in this order, each one optional:
 *   --membind N   set_mempolicy(MPOL_BIND, {N})
 *   --anon MIB    anonymous memory, every page written (--thp: MADV_HUGEPAGE,
 *                 --collapse: written as 4 KiB pages under MADV_NOHUGEPAGE,
 *                 then MADV_HUGEPAGE for khugepaged to collapse,
 *                 --check: a verifiable pattern instead of one word a page)
 *   --write PATH  write --file-mib MiB to PATH (tmpfs: shmem pages)
 *   --read PATH   read PATH to its end with read(2) (page cache)
 *   --map         mmap the --write/--read files and read every page, so they
 *                 show up in /proc/PID/numa_maps
 *   --resident P  print "resident PAGES TOTAL" of file P (mincore)
 *   --report      print "report REGION node N PAGES" (move_pages query)
 *   --hold SECS   print "ready", then wait SECS seconds, or for SIGTERM,
 *                 SIGUSR1 or SIGINT when SECS is 0
 * then verify the --check pattern and print "done".
 *
 * Exit: 0 ok, 1 a system call failed, 2 usage, 3 the --check pattern changed.
 * Lines for the shell are bare keywords; everything else starts with "# ".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define PROG		"pzone_touch"
#include "pzone_util.h"

#define THP_SIZE	(2UL * MIB)
#define IO_CHUNK	MIB
#define MPOL_BIND_MODE	2	/* MPOL_BIND in <linux/mempolicy.h> */

struct region {
	const char *name;
	char *addr;
	size_t len;
};

static size_t page_size;

static uint64_t pattern(size_t i)
{
	return (uint64_t)i * 0x9e3779b97f4a7c15ULL ^ 0x707a6f6e65ULL;
}

/* thp: 1 MADV_HUGEPAGE, 2 MADV_NOHUGEPAGE (4 KiB pages, to collapse later) */
static char *map_anon_thp(size_t len, int thp)
{
	size_t map_len = thp ? len + THP_SIZE : len;
	char *p;

	p = mmap(NULL, map_len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		die("mmap %zu bytes", map_len);
	if (thp) {
		p = (char *)(((uintptr_t)p + THP_SIZE - 1) & ~(THP_SIZE - 1));
		if (madvise(p, len, thp == 2 ? MADV_NOHUGEPAGE : MADV_HUGEPAGE))
			die("madvise(MADV_%sHUGEPAGE)", thp == 2 ? "NO" : "");
	}
	return p;
}

static void fill_anon(char *p, size_t len, int check)
{
	size_t i;

	if (check) {
		uint64_t *w = (uint64_t *)p;

		for (i = 0; i < len / sizeof(*w); i++)
			w[i] = pattern(i);
		return;
	}
	for (i = 0; i < len; i += page_size)
		*(volatile uint64_t *)(p + i) = pattern(i);
}

static int verify_anon(const char *p, size_t len)
{
	const uint64_t *w = (const uint64_t *)p;
	size_t i;

	for (i = 0; i < len / sizeof(*w); i++) {
		if (w[i] != pattern(i)) {
			say("# pattern mismatch at offset %zu\n", i * sizeof(*w));
			return 0;
		}
	}
	return 1;
}

static void write_file(const char *path, size_t len)
{
	char *buf = malloc(IO_CHUNK);
	size_t done = 0;
	int fd;

	if (!buf)
		die("malloc");
	memset(buf, 0x5a, IO_CHUNK);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		die("open %s", path);
	while (done < len) {
		size_t n = len - done < IO_CHUNK ? len - done : IO_CHUNK;
		ssize_t r = write(fd, buf, n);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			die("write %s", path);
		}
		done += (size_t)r;
	}
	if (close(fd))
		die("close %s", path);
	free(buf);
}

static size_t read_file(const char *path)
{
	char *buf = malloc(IO_CHUNK);
	size_t total = 0;
	ssize_t r;
	int fd;

	if (!buf)
		die("malloc");
	fd = open(path, O_RDONLY);
	if (fd < 0)
		die("open %s", path);
	for (;;) {
		r = read(fd, buf, IO_CHUNK);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			die("read %s", path);
		}
		if (r == 0)
			break;
		total += (size_t)r;
	}
	close(fd);
	free(buf);
	return total;
}

/*
 * Map all of @path shared, read-only; *@len: its size.  An empty file is
 * not mapped (NULL).
 */
static char *map_whole_file(const char *path, size_t *len)
{
	struct stat st;
	char *p = NULL;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		die("open %s", path);
	if (fstat(fd, &st))
		die("fstat %s", path);
	*len = (size_t)st.st_size;
	if (*len) {
		p = mmap(NULL, *len, PROT_READ, MAP_SHARED, fd, 0);
		if (p == MAP_FAILED)
			die("mmap %s", path);
	}
	close(fd);
	return p;
}

/* Map @path shared and read one byte a page; returns the mapping. */
static struct region map_file(const char *path)
{
	struct region r = { .name = path };
	volatile char sink = 0;
	size_t i;

	r.addr = map_whole_file(path, &r.len);
	for (i = 0; i < r.len; i += page_size)
		sink += r.addr[i];
	(void)sink;
	return r;
}

static void print_resident(const char *path)
{
	size_t len, pages, i, resident = 0;
	unsigned char *vec;
	void *p;

	p = map_whole_file(path, &len);
	pages = (len + page_size - 1) / page_size;
	if (!pages) {
		say("resident 0 0\n");
		return;
	}
	vec = malloc(pages);
	if (!vec)
		die("malloc");
	if (mincore(p, len, vec))
		die("mincore %s", path);
	for (i = 0; i < pages; i++)
		resident += vec[i] & 1;
	say("resident %zu %zu\n", resident, pages);
	free(vec);
	munmap(p, len);
}

static void set_membind(unsigned long node)
{
	unsigned long mask[MAX_NODES / (8 * sizeof(unsigned long))] = { 0 };
	unsigned long bits = 8 * sizeof(mask);

	if (node >= bits) {
		fprintf(stderr, "pzone_touch: node %lu >= %lu\n", node, bits);
		exit(2);
	}
	mask[node / (8 * sizeof(unsigned long))] |=
		1UL << (node % (8 * sizeof(unsigned long)));
	if (syscall(SYS_set_mempolicy, MPOL_BIND_MODE, mask, bits + 1))
		die("set_mempolicy(MPOL_BIND, %lu)", node);
}

/* Wait @secs seconds (0: forever) or until SIGTERM, SIGUSR1 or SIGINT. */
static void hold(unsigned long secs)
{
	struct timespec ts = { .tv_sec = (time_t)secs };
	sigset_t set;
	int sig;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGINT);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		die("sigprocmask");
	say("ready\n");
	do {
		sig = secs ? sigtimedwait(&set, NULL, &ts) : sigwaitinfo(&set, NULL);
	} while (sig < 0 && errno == EINTR);
	if (sig > 0)
		say("# got signal %d\n", sig);
}

static void usage(FILE *f)
{
	fputs("Usage: pzone_touch [OPTIONS]\n"
	      "  -b, --membind NODE    bind all allocations to NODE (MPOL_BIND)\n"
	      "  -a, --anon MIB        allocate MIB MiB anonymous memory, write every page\n"
	      "  -z, --read-anon MIB   map MIB MiB anonymous memory, read every page\n"
	      "                        (zero pages: the huge zero page with --thp)\n"
	      "  -H, --thp             madvise(MADV_HUGEPAGE) the anonymous memory\n"
	      "  -C, --collapse        write --anon as 4 KiB pages (MADV_NOHUGEPAGE),\n"
	      "                        then madvise(MADV_HUGEPAGE) it for khugepaged\n"
	      "  -c, --check           fill with a pattern; verify it before exiting\n"
	      "  -w, --write PATH      write --file-mib MiB to PATH\n"
	      "  -f, --file-mib MIB    size written by --write (default 64)\n"
	      "  -r, --read PATH       read PATH to its end with read(2)\n"
	      "  -m, --map             mmap the --write/--read files, read every page\n"
	      "  -R, --resident PATH   print \"resident PAGES TOTAL\" for PATH\n"
	      "  -p, --report          print \"report REGION node N PAGES\" lines\n"
	      "  -s, --hold SECS       print \"ready\", wait SECS s (0: until SIGTERM/SIGUSR1)\n"
	      "  -h, --help            this text\n", f);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "membind",	required_argument, NULL, 'b' },
		{ "anon",	required_argument, NULL, 'a' },
		{ "read-anon",	required_argument, NULL, 'z' },
		{ "thp",	no_argument,	   NULL, 'H' },
		{ "collapse",	no_argument,	   NULL, 'C' },
		{ "check",	no_argument,	   NULL, 'c' },
		{ "write",	required_argument, NULL, 'w' },
		{ "file-mib",	required_argument, NULL, 'f' },
		{ "read",	required_argument, NULL, 'r' },
		{ "map",	no_argument,	   NULL, 'm' },
		{ "resident",	required_argument, NULL, 'R' },
		{ "report",	no_argument,	   NULL, 'p' },
		{ "hold",	required_argument, NULL, 's' },
		{ "help",	no_argument,	   NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *write_path = NULL, *read_path = NULL, *resident_path = NULL;
	unsigned long anon_mib = 0, file_mib = 64, hold_secs = 0, node = 0;
	unsigned long zero_mib = 0;
	int thp = 0, collapse = 0, check = 0, map = 0, report = 0, do_hold = 0, bind = 0;
	struct region regions[3];
	int nr_regions = 0, ok = 1, c, i;

	while ((c = getopt_long(argc, argv, "b:a:z:HCcw:f:r:mR:ps:h", opts, NULL)) != -1) {
		switch (c) {
		case 'b': node = parse_ul(optarg, "node"); bind = 1; break;
		case 'a': anon_mib = parse_ul(optarg, "size"); break;
		case 'z': zero_mib = parse_ul(optarg, "size"); break;
		case 'H': thp = 1; break;
		case 'C': collapse = 1; break;
		case 'c': check = 1; break;
		case 'w': write_path = optarg; break;
		case 'f': file_mib = parse_ul(optarg, "size"); break;
		case 'r': read_path = optarg; break;
		case 'm': map = 1; break;
		case 'R': resident_path = optarg; break;
		case 'p': report = 1; break;
		case 's': hold_secs = parse_ul(optarg, "seconds"); do_hold = 1; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	page_size = (size_t)sysconf(_SC_PAGESIZE);

	if (bind)
		set_membind(node);
	if (anon_mib) {
		struct region *r = &regions[nr_regions++];

		r->name = "anon";
		r->len = anon_mib * MIB;
		r->addr = map_anon_thp(r->len, collapse ? 2 : thp);
		fill_anon(r->addr, r->len, check);
		if (collapse && madvise(r->addr, r->len, MADV_HUGEPAGE))
			die("madvise(MADV_HUGEPAGE)");
		say("# anon %lu MiB written%s\n", anon_mib,
		    collapse ? " as 4 KiB pages, now MADV_HUGEPAGE" : "");
	}
	if (zero_mib) {
		size_t len = zero_mib * MIB, i;
		char *p = map_anon_thp(len, thp);
		unsigned long sum = 0;

		for (i = 0; i < len; i += page_size)
			sum += *(volatile char *)(p + i);
		if (sum)
			die("anonymous memory never written reads as non-zero");
		say("# anon %lu MiB read\n", zero_mib);
	}
	if (write_path) {
		write_file(write_path, file_mib * MIB);
		say("# wrote %lu MiB to %s\n", file_mib, write_path);
	}
	if (read_path)
		say("# read %zu bytes from %s\n", read_file(read_path), read_path);
	if (map && write_path)
		regions[nr_regions++] = map_file(write_path);
	if (map && read_path)
		regions[nr_regions++] = map_file(read_path);
	if (resident_path)
		print_resident(resident_path);
	if (report)
		for (i = 0; i < nr_regions; i++)
			if (regions[i].len)
				report_pages(regions[i].name, regions[i].addr,
					     regions[i].len / page_size,
					     page_size);
	if (do_hold)
		hold(hold_secs);
	/* Once, at the end: the pattern must survive the hold (migration). */
	if (check && anon_mib)
		ok = verify_anon(regions[0].addr, regions[0].len);
	if (!ok)
		return 3;
	say("done\n");
	return 0;
}
