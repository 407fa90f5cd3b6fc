// SPDX-License-Identifier: GPL-2.0
/*
 * pzone_integrity - keep checksummed data in memory of three kinds and check
 * it over and over while the memory under it moves (pzone resize, destroy
 * --evacuate, compaction).
 *
 *   --anon MIB        anonymous memory
 *   --tmpfs PATH      a file of --tmpfs-mib MiB (on tmpfs: shmem), mapped
 *                     shared; part of it is rewritten every pass
 *   --disk PATH       a file of --disk-mib MiB written, fsync'ed and mapped
 *                     read-only: clean page cache, kept cached by the checks
 *   --fragment MIB    while filling the anonymous memory, fault in MIB MiB of
 *                     scratch pages in between and free them at the end, so
 *                     that free memory is scattered over every block
 *
 * Every 4 KiB page holds a header (magic ^ region, page index, generation)
 * and 509 words derived from (region, index, generation).  A pass checks
 * every page of every region, then rewrites --rewrite percent of the
 * anonymous and tmpfs pages with the next generation.  Passes run until
 * SIGTERM or SIGINT (or --passes), then one last full check runs and
 *	mismatches N passes P
 * is printed; exit 0 if N is 0, 3 if not, 1 if a system call failed, 2 on a
 * usage error.  SIGUSR2 asks for a "refragment" after the current pass: the
 * anonymous data move to newly faulted pages, 1 MiB at a time (mremap), with
 * scratch pages in between again (as many as --fragment, at most a third of
 * the node's free memory), freed at the end, so that the free memory is
 * scattered again after migrations compacted it; then
 *	refragmented N	(N: how many so far)
 * is printed.  It needs that much memory for a moment: the caller makes
 * sure there is room.  "ready" is printed once the data is in place.  SIGUSR1 (and
 * --report, at ready and at exit) prints where the pages are, as found by
 * move_pages(2) without moving:
 *	report REGION node N PAGES	(REGION: anon, tmpfs, disk)
 *	report REGION absent PAGES
 *	report-end
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

#define PROG		"pzone_integrity"
#include "pzone_util.h"

#define PAGE		4096UL
#define WORDS		(PAGE / sizeof(uint64_t))
#define MAGIC		0x707a6f6e65636b31ULL	/* "pzoneck1" */
#define MAX_SHOWN	10

enum { R_ANON, R_TMPFS, R_DISK, NR_REGIONS };
static const char *const region_name[NR_REGIONS] = { "anon", "tmpfs", "disk" };

struct region {
	char *addr;
	size_t pages;
	uint32_t *gen;		/* expected generation of each page */
	size_t cursor;		/* next page to rewrite */
	int writable;
};

static struct region regions[NR_REGIONS];
static size_t frag_pages;
static volatile sig_atomic_t stop, want_report, want_refrag;
static unsigned long mismatches, shown;

static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static uint64_t page_seed(int r, size_t idx, uint32_t gen)
{
	return mix(mix(((uint64_t)r << 56) ^ idx) ^ gen);
}

static void fill_page(uint64_t *w, int r, size_t idx, uint32_t gen)
{
	uint64_t seed = page_seed(r, idx, gen);
	size_t k;

	w[0] = MAGIC ^ (uint64_t)r;
	w[1] = idx;
	w[2] = gen;
	for (k = 3; k < WORDS; k++)
		w[k] = seed ^ (k * 0x9e3779b97f4a7c15ULL);
}

/* The node page @p is on (move_pages query), or a negative errno. */
static int page_node(void *p)
{
	int status = -1;

	if (syscall(SYS_move_pages, 0, 1UL, &p, NULL, &status, 0))
		return -errno;
	return status;
}

static void check_page(int r, size_t idx)
{
	const uint64_t *w = (const uint64_t *)(regions[r].addr + idx * PAGE);
	uint32_t gen = regions[r].gen[idx];
	uint64_t seed = page_seed(r, idx, gen);
	size_t k, bad = 0, first = 0;

	if (w[0] != (MAGIC ^ (uint64_t)r) || w[1] != idx || w[2] != gen) {
		bad = 1;
	} else {
		for (k = 3; k < WORDS; k++) {
			if (w[k] != (seed ^ (k * 0x9e3779b97f4a7c15ULL))) {
				if (!bad++)
					first = k;
			}
		}
	}
	if (!bad)
		return;
	mismatches++;
	if (shown++ < MAX_SHOWN)
		say("# mismatch %s page %zu (node %d): want index %zu gen %" PRIu32
		    ", have magic %s index %" PRIu64 " gen %" PRIu64
		    "; %zu bad words from word %zu\n",
		    region_name[r], idx, page_node((void *)w), idx, gen,
		    w[0] == (MAGIC ^ (uint64_t)r) ? "ok" : "BAD", w[1], w[2],
		    bad, first);
}

static void rewrite_pages(int r, size_t n)
{
	struct region *reg = &regions[r];
	size_t i;

	for (i = 0; i < n && reg->pages; i++) {
		size_t idx = reg->cursor;

		reg->gen[idx]++;
		fill_page((uint64_t *)(reg->addr + idx * PAGE), r, idx,
			  reg->gen[idx]);
		reg->cursor = (idx + 1) % reg->pages;
	}
}

static void report(void)
{
	int r;

	for (r = 0; r < NR_REGIONS; r++)
		report_pages(region_name[r], regions[r].addr, regions[r].pages,
			     PAGE);
	say("report-end\n");
}

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		want_report = 1;
	else if (sig == SIGUSR2)
		want_refrag = 1;
	else
		stop = 1;
}

static uint32_t *alloc_gens(size_t pages)
{
	uint32_t *gen = calloc(pages ? pages : 1, sizeof(*gen));

	if (!gen)
		die("calloc");
	return gen;
}

/*
 * Anonymous memory; with @frag_pages, one scratch page is faulted in after
 * every few data pages and all of them are freed at the end.
 */
static void setup_anon(size_t pages, size_t nr_frag)
{
	struct region *reg = &regions[R_ANON];
	char *scratch = NULL;
	size_t i, s = 0, every = 0;

	reg->pages = pages;
	reg->writable = 1;
	reg->gen = alloc_gens(pages);
	reg->addr = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (reg->addr == MAP_FAILED)
		die("mmap %zu anonymous pages", pages);
	if (nr_frag) {
		scratch = mmap(NULL, nr_frag * PAGE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (scratch == MAP_FAILED)
			die("mmap %zu scratch pages", nr_frag);
		every = pages / nr_frag;
		if (!every)
			every = 1;
	}
	for (i = 0; i < pages; i++) {
		fill_page((uint64_t *)(reg->addr + i * PAGE), R_ANON, i, 0);
		if (scratch && s < nr_frag && i % every == every - 1)
			*(volatile char *)(scratch + s++ * PAGE) = 1;
	}
	while (scratch && s < nr_frag)
		*(volatile char *)(scratch + s++ * PAGE) = 1;
	if (scratch && munmap(scratch, nr_frag * PAGE))
		die("munmap scratch");
}

/* MemFree of the node page @p is on, in pages; 0 if unknown. */
static size_t node_free_pages(void *p)
{
	char path[96], line[160];
	size_t kb = 0;
	int node = page_node(p);
	FILE *f;

	if (node < 0)
		return 0;
	snprintf(path, sizeof(path), "/sys/devices/system/node/node%d/meminfo",
		 node);
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Node %*d MemFree: %zu kB", &kb) == 1)
			break;
	fclose(f);
	return kb / (PAGE / 1024);
}

/*
 * Copy the anonymous data to new pages, a chunk at a time, faulting scratch
 * pages in between, and free the scratch pages at the end.  The data keep
 * their addresses (mremap over the old chunk) and contents.
 */
static void refragment(void)
{
	struct region *reg = &regions[R_ANON];
	const size_t chunk = MIB / PAGE;
	size_t scratch_pages = frag_pages, free_pg, every, c, i, s = 0;
	char *scratch;

	free_pg = node_free_pages(reg->addr);
	if (scratch_pages > free_pg / 3)
		scratch_pages = free_pg / 3;
	if (!reg->pages || scratch_pages < chunk)
		return;
	every = reg->pages / scratch_pages;
	if (!every)
		every = 1;
	scratch = mmap(NULL, scratch_pages * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (scratch == MAP_FAILED)
		die("mmap %zu scratch pages", scratch_pages);
	for (c = 0; c < reg->pages && !stop; c += chunk) {
		size_t n = reg->pages - c < chunk ? reg->pages - c : chunk;
		char *old = reg->addr + c * PAGE, *tmp;

		tmp = mmap(NULL, n * PAGE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (tmp == MAP_FAILED)
			die("mmap %zu pages", n);
		for (i = 0; i < n; i++) {
			memcpy(tmp + i * PAGE, old + i * PAGE, PAGE);
			if (s < scratch_pages && (c + i) % every == every - 1)
				*(volatile char *)(scratch + s++ * PAGE) = 1;
		}
		if (mremap(tmp, n * PAGE, n * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED,
			   old) == MAP_FAILED)
			die("mremap");
	}
	if (munmap(scratch, scratch_pages * PAGE))
		die("munmap scratch");
}

/* Write @pages pages of region @r to @path, then map it. */
static void setup_file(int r, const char *path, size_t pages)
{
	struct region *reg = &regions[r];
	uint64_t buf[WORDS];
	int fd, writable = r == R_TMPFS;
	size_t i;

	reg->pages = pages;
	reg->writable = writable;
	reg->gen = alloc_gens(pages);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		die("open %s", path);
	for (i = 0; i < pages; i++) {
		size_t done = 0;

		fill_page(buf, r, i, 0);
		while (done < PAGE) {
			ssize_t n = write(fd, (char *)buf + done, PAGE - done);

			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				die("write %s", path);
			done += (size_t)n;
		}
	}
	if (fsync(fd))
		die("fsync %s", path);
	reg->addr = mmap(NULL, pages * PAGE,
			 writable ? PROT_READ | PROT_WRITE : PROT_READ,
			 MAP_SHARED, fd, 0);
	if (reg->addr == MAP_FAILED)
		die("mmap %s", path);
	close(fd);
	/* Check it once: maps every page (numa_maps, move_pages see them). */
	for (i = 0; i < pages; i++)
		check_page(r, i);
}

/* Check every page once; returns early (partial pass) if stopping. */
static int check_all(int final)
{
	int r;
	size_t i;

	for (r = 0; r < NR_REGIONS; r++) {
		for (i = 0; i < regions[r].pages; i++) {
			if (stop && !final)
				return 0;
			check_page(r, i);
		}
	}
	return 1;
}

static void sleep_ms(unsigned long ms)
{
	struct timespec ts = { .tv_sec = (time_t)(ms / 1000),
			       .tv_nsec = (long)(ms % 1000) * 1000000L };

	while (!stop && nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static void usage(FILE *f)
{
	fputs("Usage: pzone_integrity [OPTIONS]\n"
	      "  -a, --anon MIB         checksummed anonymous memory\n"
	      "  -F, --fragment MIB     scatter MIB MiB of freed scratch pages between them\n"
	      "  -t, --tmpfs PATH       checksummed file, mapped shared and rewritten\n"
	      "  -T, --tmpfs-mib MIB    its size (default 16)\n"
	      "  -d, --disk PATH        checksummed file, fsync'ed, mapped read-only\n"
	      "  -D, --disk-mib MIB     its size (default 16)\n"
	      "  -w, --rewrite PCT      percent of anon/tmpfs pages rewritten a pass (12)\n"
	      "  -i, --interval MS      sleep between passes (0)\n"
	      "  -n, --passes N         stop after N passes (0: at SIGTERM)\n"
	      "  -p, --report           print where the pages are at ready and at exit\n"
	      "  -h, --help             this text\n"
	      "SIGUSR1 prints where the pages are; SIGUSR2 moves the anonymous data to\n"
	      "new pages with --fragment scratch pages in between again; SIGTERM/SIGINT\n"
	      "stop after a last check.\n",
	      f);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "anon",	required_argument, NULL, 'a' },
		{ "fragment",	required_argument, NULL, 'F' },
		{ "tmpfs",	required_argument, NULL, 't' },
		{ "tmpfs-mib",	required_argument, NULL, 'T' },
		{ "disk",	required_argument, NULL, 'd' },
		{ "disk-mib",	required_argument, NULL, 'D' },
		{ "rewrite",	required_argument, NULL, 'w' },
		{ "interval",	required_argument, NULL, 'i' },
		{ "passes",	required_argument, NULL, 'n' },
		{ "report",	no_argument,	   NULL, 'p' },
		{ "help",	no_argument,	   NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	unsigned long anon_mib = 0, frag_mib = 0, tmpfs_mib = 16, disk_mib = 16;
	unsigned long rewrite_pct = 12, interval = 0, max_passes = 0, passes = 0;
	unsigned long refrags = 0;
	const char *tmpfs_path = NULL, *disk_path = NULL;
	int do_report = 0, c, r;
	struct sigaction sa;

	while ((c = getopt_long(argc, argv, "a:F:t:T:d:D:w:i:n:ph", opts,
				NULL)) != -1) {
		switch (c) {
		case 'a': anon_mib = parse_ul(optarg, "size"); break;
		case 'F': frag_mib = parse_ul(optarg, "size"); break;
		case 't': tmpfs_path = optarg; break;
		case 'T': tmpfs_mib = parse_ul(optarg, "size"); break;
		case 'd': disk_path = optarg; break;
		case 'D': disk_mib = parse_ul(optarg, "size"); break;
		case 'w': rewrite_pct = parse_ul(optarg, "percentage"); break;
		case 'i': interval = parse_ul(optarg, "interval"); break;
		case 'n': max_passes = parse_ul(optarg, "passes"); break;
		case 'p': do_report = 1; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc || rewrite_pct > 100) {
		usage(stderr);
		return 2;
	}
	if ((size_t)sysconf(_SC_PAGESIZE) != PAGE) {
		fprintf(stderr, "pzone_integrity: needs 4 KiB pages\n");
		return 2;
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGTERM, &sa, NULL) || sigaction(SIGINT, &sa, NULL) ||
	    sigaction(SIGUSR1, &sa, NULL) || sigaction(SIGUSR2, &sa, NULL))
		die("sigaction");

	frag_pages = frag_mib * MIB / PAGE;
	if (anon_mib)
		setup_anon(anon_mib * MIB / PAGE, frag_pages);
	if (tmpfs_path)
		setup_file(R_TMPFS, tmpfs_path, tmpfs_mib * MIB / PAGE);
	if (disk_path)
		setup_file(R_DISK, disk_path, disk_mib * MIB / PAGE);
	say("# anon %zu tmpfs %zu disk %zu pages\n", regions[R_ANON].pages,
	    regions[R_TMPFS].pages, regions[R_DISK].pages);
	say("ready\n");
	if (do_report)
		report();

	while (!stop && (!max_passes || passes < max_passes)) {
		if (!check_all(0))
			break;
		passes++;
		for (r = 0; r < NR_REGIONS; r++)
			if (regions[r].writable)
				rewrite_pages(r, regions[r].pages * rewrite_pct / 100);
		if (want_refrag) {
			want_refrag = 0;
			refragment();
			say("refragmented %lu\n", ++refrags);
		}
		if (want_report) {
			want_report = 0;
			report();
		}
		if (interval)
			sleep_ms(interval);
	}
	/* A last full check, after whatever moved the pages last. */
	check_all(1);
	passes++;
	if (do_report)
		report();
	say("mismatches %lu passes %lu\n", mismatches, passes);
	return mismatches ? 3 : 0;
}
