// SPDX-License-Identifier: GPL-2.0
/*
 * memcpy_rate - guest time of memset() of 4 MiB and memcpy() throughput,
 * the yardsticks the resize timings are divided by.  All buffers are
 * faulted in before the timing, so only the C library's memset/memcpy are
 * measured.
 *
 * Usage: memcpy_rate [--mib MIB] [--iters N] [--cpu C]
 *   --mib    size of the memcpy source and destination (default 64)
 *   --iters  memcpy repetitions, and 16 x N memsets (default 4)
 *
 * Output: "# ..." comments, then
 *   memset_4m_ns NS    mean guest nanoseconds of one memset of 4 MiB
 *   memcpy_mib_per_s X MiB copied per second
 * Exit: 0 ok, 1 a system call failed, 2 usage.
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
#include <time.h>
#include <unistd.h>

#include "pzone_util.h"

#define BLOCK		(4UL * MIB)

static char *map_filled(size_t len, int c)
{
	char *p = map_anon(len);

	memset(p, c, len);
	return p;
}

/* Keep the compiler from dropping stores nobody reads. */
static void clobber(void *p)
{
	__asm__ volatile("" : : "r"(p) : "memory");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "mib", required_argument, NULL, 'm' },
		{ "iters", required_argument, NULL, 'i' },
		{ "cpu", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 }
	};
	unsigned long mib = 64, iters = 4, i;
	int cpu = -1, opt;
	char *blk, *src, *dst;
	uint64_t t0, t1, set_ns, cpy_ns;
	unsigned long sum = 0;

	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 'm':
			mib = parse_ul(optarg, "--mib");
			break;
		case 'i':
			iters = parse_ul(optarg, "--iters");
			break;
		case 'c':
			cpu = (int)parse_ul(optarg, "--cpu");
			break;
		default:
			fprintf(stderr, "usage: memcpy_rate [--mib MIB] [--iters N] [--cpu C]\n");
			return 2;
		}
	}
	if (optind != argc || !mib || !iters) {
		fprintf(stderr, "memcpy_rate: --mib and --iters must be > 0, no operands\n");
		return 2;
	}
	if (cpu >= 0)
		pin_cpu(cpu);

	blk = map_filled(BLOCK, 1);
	t0 = now_ns();
	for (i = 0; i < 16 * iters; i++) {
		memset(blk, (int)(i & 0xff), BLOCK);
		clobber(blk);
	}
	t1 = now_ns();
	set_ns = (t1 - t0) / (16 * iters);
	sum += (unsigned char)blk[BLOCK - 1];

	src = map_filled(mib * MIB, 2);
	dst = map_filled(mib * MIB, 3);
	t0 = now_ns();
	for (i = 0; i < iters; i++) {
		src[i] = (char)i;
		memcpy(dst, src, mib * MIB);
		clobber(dst);
	}
	t1 = now_ns();
	cpy_ns = t1 - t0;
	sum += (unsigned char)dst[mib * MIB / 2];

	printf("# %lu x memcpy of %lu MiB, %lu x memset of 4 MiB, cpu %d (%lu)\n",
	       iters, mib, 16 * iters, sched_getcpu(), sum);
	printf("memset_4m_ns %llu\n", (unsigned long long)set_ns);
	printf("memcpy_mib_per_s %.3f\n",
	       cpy_ns ? (double)(mib * iters) / ((double)cpy_ns / 1e9) : 0.0);
	return 0;
}
