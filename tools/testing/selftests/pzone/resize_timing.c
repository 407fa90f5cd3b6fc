// SPDX-License-Identifier: GPL-2.0
/*
 * resize_timing - guest time of one pzone resize (a write to
 * /sys/devices/system/pzone/NAME/size_bytes), optionally while this process
 * holds fragmented anonymous memory in the pzone, so that a shrink has to
 * empty blocks by migrating pages.
 *
 * With --hold MIB, the process first maps MIB MiB of anonymous memory (no
 * THP), fills every page with a pattern, then frees all pages but every
 * KEEP-th one (MADV_DONTNEED), which leaves every block it touched partly
 * used.  Run it inside the pzone (pzonectl exec NAME -- resize_timing ...).
 * After the resize it checks that the pages it kept still hold the pattern.
 *
 * Usage: resize_timing --file SIZE_BYTES_PATH --to BYTES[K|M|G]
 *                      [--hold MIB [--keep-every KEEP]]
 *
 * Output: "# ..." comments, then
 *   from_bytes F, to_bytes T   the size before and after
 *   ns NS                      guest nanoseconds of the write(2)
 *   blocks N                   4 MiB blocks moved (|T - F| / 4 MiB)
 *   ns_per_block X
 *   migrated_pages P           pgmigrate_success delta (/proc/vmstat)
 *   evacuated_blocks E         blocks_evacuated delta (stats), -1 if unknown
 *   migrated_mib_per_s X       P * page size / NS (0 if nothing migrated)
 * On a failed write: "error ENAME" and "last_error TEXT", exit 1.
 * Exit: 0 ok, 1 a system call or the resize failed, 2 usage, 3 the kept
 * pages lost their pattern.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define PROG		"resize_timing"
#include "pzone_util.h"

#define BLOCK_BYTES	(4ULL * MIB)

static size_t page_size;

static unsigned long long parse_size(const char *s, const char *what)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s)
		goto bad;
	switch (*end) {
	case 'G': case 'g':
		v <<= 10;
		/* fall through */
	case 'M': case 'm':
		v <<= 10;
		/* fall through */
	case 'K': case 'k':
		v <<= 10;
		end++;
		break;
	default:
		break;
	}
	if (!*end)
		return v;
bad:
	bad_arg(what, s);
}

/* "key value" line of a file; -1 if missing. */
static long long read_key(const char *path, const char *key)
{
	char line[256];
	size_t klen = strlen(key);
	long long v = -1;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, key, klen) && line[klen] == ' ') {
			v = strtoll(line + klen + 1, NULL, 10);
			break;
		}
	}
	fclose(f);
	return v;
}

static unsigned long long read_size(const char *path)
{
	char buf[64] = "";
	FILE *f = fopen(path, "r");

	if (!f || !fgets(buf, sizeof(buf), f))
		die("%s", path);
	fclose(f);
	return strtoull(buf, NULL, 10);
}

static void print_file_line(const char *key, const char *path)
{
	char buf[512] = "";
	FILE *f = fopen(path, "r");

	if (f) {
		if (!fgets(buf, sizeof(buf), f))
			buf[0] = '\0';
		fclose(f);
	}
	buf[strcspn(buf, "\n")] = '\0';
	printf("%s %s\n", key, buf);
}

static uint64_t pattern(size_t i)
{
	return (uint64_t)i * 0x9e3779b97f4a7c15ULL ^ 0x7265736974ULL;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "file", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "hold", required_argument, NULL, 'h' },
		{ "keep-every", required_argument, NULL, 'k' },
		{ NULL, 0, NULL, 0 }
	};
	unsigned long long to = 0, from, hold_mib = 0, keep = 2, blocks, now;
	const char *path = NULL;
	char dir[4096], stats[4200], lasterr[4200], buf[64];
	long long mig0, mig1, ev0, ev1;
	uint64_t t0, t1;
	size_t i, j, npages = 0, words;
	uint64_t *mem = NULL;
	int opt, fd, err = 0, bad = 0;
	ssize_t r;

	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 'f':
			path = optarg;
			break;
		case 't':
			to = parse_size(optarg, "--to");
			break;
		case 'h':
			hold_mib = parse_size(optarg, "--hold");
			break;
		case 'k':
			keep = parse_size(optarg, "--keep-every");
			break;
		default:
			goto usage;
		}
	}
	if (!path || !to || !keep || optind != argc)
		goto usage;
	page_size = (size_t)sysconf(_SC_PAGESIZE);
	words = page_size / sizeof(uint64_t);
	snprintf(dir, sizeof(dir), "%s", path);
	snprintf(stats, sizeof(stats), "%s/stats", dirname(dir));
	snprintf(dir, sizeof(dir), "%s", path);
	snprintf(lasterr, sizeof(lasterr), "%s/last_error", dirname(dir));

	if (hold_mib) {
		npages = hold_mib * MIB / page_size;
		mem = map_anon(hold_mib * MIB);
		if (madvise(mem, hold_mib * MIB, MADV_NOHUGEPAGE))
			die("madvise(MADV_NOHUGEPAGE)");
		for (i = 0; i < npages * words; i++)
			mem[i] = pattern(i);
		for (i = 0; i < npages; i++)
			if (i % keep &&
			    madvise((char *)mem + i * page_size, page_size, MADV_DONTNEED))
				die("madvise(MADV_DONTNEED)");
		printf("# holding %llu of %zu pages (every %llu-th)\n",
		       (npages + keep - 1) / keep, npages, keep);
	}

	from = read_size(path);
	snprintf(buf, sizeof(buf), "%llu\n", to);
	mig0 = read_key("/proc/vmstat", "pgmigrate_success");
	ev0 = read_key(stats, "blocks_evacuated");
	fd = open(path, O_WRONLY);
	if (fd < 0)
		die("%s", path);
	t0 = now_ns();
	r = write(fd, buf, strlen(buf));
	t1 = now_ns();
	if (r < 0)
		err = errno;
	close(fd);
	mig1 = read_key("/proc/vmstat", "pgmigrate_success");
	ev1 = read_key(stats, "blocks_evacuated");
	now = read_size(path);

	for (i = 0; i < npages; i += keep) {
		for (j = 0; j < words; j++) {
			if (mem[i * words + j] != pattern(i * words + j)) {
				printf("# pattern mismatch in page %zu word %zu\n", i, j);
				bad = 1;
				break;
			}
		}
		if (bad)
			break;
	}

	blocks = (from > to ? from - to : to - from) / BLOCK_BYTES;
	printf("from_bytes %llu\n", from);
	printf("to_bytes %llu\n", now);
	printf("ns %llu\n", (unsigned long long)(t1 - t0));
	if (err) {
		printf("error %s\n", strerrorname_np(err) ? strerrorname_np(err) : "E?");
		print_file_line("last_error", lasterr);
		return 1;
	}
	printf("blocks %llu\n", blocks);
	printf("ns_per_block %.1f\n", blocks ? (double)(t1 - t0) / (double)blocks : 0.0);
	printf("migrated_pages %lld\n", mig0 >= 0 && mig1 >= 0 ? mig1 - mig0 : -1);
	printf("evacuated_blocks %lld\n", ev0 >= 0 && ev1 >= 0 ? ev1 - ev0 : -1);
	printf("migrated_mib_per_s %.3f\n", mig1 > mig0 && t1 > t0 ?
	       (double)(mig1 - mig0) * (double)page_size / MIB /
	       ((double)(t1 - t0) / 1e9) : 0.0);
	if (bad)
		return 3;
	return 0;
usage:
	fprintf(stderr, "usage: resize_timing --file SIZE_BYTES_PATH --to BYTES[K|M|G] [--hold MIB [--keep-every KEEP]]\n");
	return 2;
}
