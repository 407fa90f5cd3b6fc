/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pzone_util.h - the helpers the pzone selftest and benchmark programs
 * share: error exits in the "PROGRAM: what: why" form, strict number
 * parsing, flushed lines for the shell, a monotonic clock, CPU pinning,
 * anonymous mappings and the move_pages(2) report of where pages are.
 *
 * Messages start with PROG: define it to the program's name (a string)
 * before including this file; without it, program_invocation_short_name.
 * Define _GNU_SOURCE before the first #include.
 */
#ifndef PZONE_UTIL_H
#define PZONE_UTIL_H

#ifndef _GNU_SOURCE
#error "define _GNU_SOURCE before the first #include"
#endif

#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#ifndef PROG
#define PROG		program_invocation_short_name
#endif

#define MIB		(1024UL * 1024UL)
#define MAX_NODES	64	/* nodes counted by report_pages() */
#define QUERY_BATCH	1024	/* pages a move_pages(2) query asks about */

/* A system call failed: "PROG: WHAT: strerror(errno)", exit 1. */
__attribute__((format(printf, 1, 2)))
_Noreturn static inline void die(const char *fmt, ...)
{
	va_list ap;
	int err = errno;

	fprintf(stderr, "%s: ", PROG);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n", strerror(err));
	exit(1);
}

/* A bad argument @s of @what: "PROG: bad WHAT: 'S'", exit 2. */
_Noreturn static inline void bad_arg(const char *what, const char *s)
{
	fprintf(stderr, "%s: bad %s: '%s'\n", PROG, what, s);
	exit(2);
}

/* @s, all of it, as a decimal number in *@v; 0 if it is not one. */
static inline int str_to_ul(const char *s, unsigned long *v)
{
	char *end;

	errno = 0;
	*v = strtoul(s, &end, 10);
	return !errno && end != s && !*end;
}

/* A decimal argument, or bad_arg(). */
static inline unsigned long parse_ul(const char *s, const char *what)
{
	unsigned long v;

	if (!str_to_ul(s, &v))
		bad_arg(what, s);
	return v;
}

/* printf() to stdout, flushed at once: lines for the shell. */
__attribute__((format(printf, 1, 2)))
static inline void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
}

/* CLOCK_MONOTONIC in ns: guest time under -icount. */
static inline uint64_t now_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts))
		die("clock_gettime");
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* Run this thread on CPU @cpu only. */
static inline void pin_cpu(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		die("sched_setaffinity");
}

/* @len bytes of private anonymous memory, or die("mmap"). */
static inline void *map_anon(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		die("mmap");
	return p;
}

/*
 * Where the @n pages of @page_size bytes at @addr are, asked of
 * move_pages(2) without moving them, as lines for the shell:
 *	report NAME node N PAGES	(one a node that holds some)
 *	report NAME node other PAGES	(on nodes from MAX_NODES up)
 *	report NAME absent PAGES	(not present)
 */
static inline void report_pages(const char *name, char *addr, size_t n,
				size_t page_size)
{
	unsigned long count[MAX_NODES] = { 0 };
	unsigned long absent = 0, other = 0;
	void *pages[QUERY_BATCH];
	int status[QUERY_BATCH];
	size_t i, j, batch;
	int node;

	for (i = 0; i < n; i += batch) {
		batch = n - i < QUERY_BATCH ? n - i : QUERY_BATCH;
		for (j = 0; j < batch; j++)
			pages[j] = addr + (i + j) * page_size;
		if (syscall(SYS_move_pages, 0, batch, pages, NULL, status, 0))
			die("move_pages");
		for (j = 0; j < batch; j++) {
			if (status[j] >= 0 && status[j] < MAX_NODES)
				count[status[j]]++;
			else if (status[j] >= 0)
				other++;
			else
				absent++;
		}
	}
	for (node = 0; node < MAX_NODES; node++)
		if (count[node])
			say("report %s node %d %lu\n", name, node, count[node]);
	if (other)
		say("report %s node other %lu\n", name, other);
	if (absent)
		say("report %s absent %lu\n", name, absent);
}

#endif /* PZONE_UTIL_H */
