/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bench_util.h - the helpers the benchmark programs share: error exits in
 * the "PROGRAM: what: why" form, strict number parsing, a monotonic clock.
 * Include after <errno.h>, <stdint.h>, <stdio.h>, <stdlib.h>, <string.h>
 * and <time.h>, with _GNU_SOURCE defined.
 */
#ifndef PZONE_BENCH_UTIL_H
#define PZONE_BENCH_UTIL_H

#define MIB	(1024UL * 1024UL)

/* A system call failed: "PROGRAM: what: strerror", exit 1. */
static inline void die(const char *what)
{
	fprintf(stderr, "%s: %s: %s\n", program_invocation_short_name, what,
		strerror(errno));
	exit(1);
}

/* A decimal argument, or "PROGRAM: bad what: 's'" and exit 2. */
static inline unsigned long parse_ul(const char *s, const char *what)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end) {
		fprintf(stderr, "%s: bad %s: '%s'\n",
			program_invocation_short_name, what, s);
		exit(2);
	}
	return v;
}

/* CLOCK_MONOTONIC in ns: guest time under -icount. */
static inline uint64_t now_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts))
		die("clock_gettime");
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

#endif /* PZONE_BENCH_UTIL_H */
