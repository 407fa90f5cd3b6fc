// SPDX-License-Identifier: GPL-2.0
/*
 * pagecache_read - sequential read(2) throughput of a file through the page
 * cache, meant for a file larger than the memory the reader may use, so that
 * reclaim runs in steady state.
 *
 * The file is read from its start to its end with 1 MiB reads, PASSES times.
 * The first SKIP MiB of the first pass are not timed (the page cache fills up
 * to the limit there); everything after is.  Two times are taken:
 *   - elapsed guest time, clock_gettime(CLOCK_MONOTONIC);
 *   - CPU time: this process plus every kswapd thread (their
 *     CLOCK_PROCESS_CPUTIME clocks), i.e. the reading and the reclaim, but
 *     not the time spent waiting for the disk.
 *
 * Usage: pagecache_read --file PATH [--passes N] [--skip-mib SKIP] [--cpu C]
 *
 * Output: "# ..." comments, then
 *   bytes B           bytes read in the timed part
 *   ns NS             elapsed guest nanoseconds of the timed part
 *   cpu_ns NS         reader + kswapd CPU nanoseconds of the timed part
 *   kswapd_ns NS      the kswapd part of cpu_ns
 *   mib_per_s X       B / ns
 *   cpu_mib_per_s X   B / cpu_ns
 * Exit: 0 ok, 1 a system call failed, 2 usage.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "pzone_util.h"

#define CHUNK		MIB
#define MAX_KSWAPD	128

static pid_t kswapd[MAX_KSWAPD];
static int nr_kswapd;

static uint64_t clock_ns(clockid_t clk)
{
	struct timespec ts;

	if (clock_gettime(clk, &ts))
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* Every kswapdN thread running now. */
static void find_kswapd(void)
{
	DIR *d = opendir("/proc");
	struct dirent *de;

	if (!d)
		die("opendir /proc");
	nr_kswapd = 0;
	while ((de = readdir(d)) && nr_kswapd < MAX_KSWAPD) {
		char path[300], comm[32] = "";
		FILE *f;

		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", de->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(comm, sizeof(comm), f) && !strncmp(comm, "kswapd", 6))
			kswapd[nr_kswapd++] = (pid_t)atoi(de->d_name);
		fclose(f);
	}
	closedir(d);
}

/* CPU time of the kswapd threads found by find_kswapd(). */
static uint64_t kswapd_ns(void)
{
	uint64_t sum = 0;
	clockid_t clk;
	int i;

	for (i = 0; i < nr_kswapd; i++)
		if (!clock_getcpuclockid(kswapd[i], &clk))
			sum += clock_ns(clk);
	return sum;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "file", required_argument, NULL, 'f' },
		{ "passes", required_argument, NULL, 'p' },
		{ "skip-mib", required_argument, NULL, 's' },
		{ "cpu", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 }
	};
	unsigned long passes = 1, skip_mib = 0, pass;
	uint64_t t0 = 0, c0 = 0, k0 = 0, t1, c1, k1, bytes = 0, seen = 0;
	const char *path = NULL;
	int cpu = -1, opt, timing = 0;
	double mib;
	char *buf;

	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 'f':
			path = optarg;
			break;
		case 'p':
			passes = parse_ul(optarg, "--passes");
			break;
		case 's':
			skip_mib = parse_ul(optarg, "--skip-mib");
			break;
		case 'c':
			cpu = (int)parse_ul(optarg, "--cpu");
			break;
		default:
			fprintf(stderr, "usage: pagecache_read --file PATH [--passes N] [--skip-mib SKIP] [--cpu C]\n");
			return 2;
		}
	}
	if (!path || optind != argc || !passes) {
		fprintf(stderr, "usage: pagecache_read --file PATH [--passes N] [--skip-mib SKIP] [--cpu C]\n");
		return 2;
	}
	if (cpu >= 0)
		pin_cpu(cpu);
	buf = malloc(CHUNK);
	if (!buf)
		die("malloc");
	memset(buf, 0, CHUNK);

	for (pass = 0; pass < passes; pass++) {
		int fd = open(path, O_RDONLY);

		if (fd < 0)
			die("%s", path);
		for (;;) {
			ssize_t r;

			if (!timing && seen >= skip_mib * MIB) {
				/* kswapd threads of new nodes appear late. */
				find_kswapd();
				timing = 1;
				k0 = kswapd_ns();
				c0 = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
				t0 = clock_ns(CLOCK_MONOTONIC);
			}
			r = read(fd, buf, CHUNK);
			if (r < 0) {
				if (errno == EINTR)
					continue;
				die("read");
			}
			if (r == 0)
				break;
			seen += (uint64_t)r;
			if (timing)
				bytes += (uint64_t)r;
		}
		close(fd);
	}
	t1 = clock_ns(CLOCK_MONOTONIC);
	c1 = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
	k1 = kswapd_ns();
	if (!timing || !bytes) {
		fprintf(stderr, "pagecache_read: nothing timed (file %s shorter than --skip-mib?)\n",
			path);
		return 1;
	}

	mib = (double)bytes / MIB;
	printf("# %s: %lu passes, %lu MiB skipped, %d kswapd threads, cpu %d\n",
	       path, passes, skip_mib, nr_kswapd, sched_getcpu());
	printf("bytes %llu\n", (unsigned long long)bytes);
	printf("ns %llu\n", (unsigned long long)(t1 - t0));
	printf("cpu_ns %llu\n", (unsigned long long)((c1 - c0) + (k1 - k0)));
	printf("kswapd_ns %llu\n", (unsigned long long)(k1 - k0));
	printf("mib_per_s %.3f\n", t1 > t0 ? mib / ((double)(t1 - t0) / 1e9) : 0.0);
	printf("cpu_mib_per_s %.3f\n", (c1 - c0) + (k1 - k0) ?
	       mib / ((double)((c1 - c0) + (k1 - k0)) / 1e9) : 0.0);
	free(buf);
	return 0;
}
