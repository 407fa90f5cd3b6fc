/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pzonectl top: one frame of the live view, rendered from two samples by
 * a pure function (no I/O), so the host tests can check it with fixed
 * input (tests/tools/test_top.c).  Sampling and the terminal are in
 * pzonectl.c.
 */
#ifndef PZONE_TOP_H
#define PZONE_TOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "libpzone.h"

#define TOP_MAX_PZONES	64
#define TOP_MAX_NODES	64

/* One pzone at one moment; -1: unknown. */
struct top_pzone {
	char name[PZONE_NAME_MAX + 1];
	int64_t node, base_node;
	int64_t size, free_bytes;
	int64_t file, anon;		/* node D's Active+Inactive (file), (anon) */
	int64_t kswapd_wakeups, refaults;	/* pressure */
	int64_t events;			/* sum of the events counters */
};

struct top_node {
	int node;
	int64_t free_bytes, total;	/* MemFree, MemTotal */
};

struct top_sample {
	uint64_t t_us;			/* CLOCK_MONOTONIC */
	char clock[16];			/* wall clock "HH:MM:SS" */
	int nr;
	struct top_pzone pz[TOP_MAX_PZONES];
	int nr_nodes;
	struct top_node nodes[TOP_MAX_NODES];	/* the base nodes */
};

/*
 * Render the frame for @cur (rates against @prev, NULL for none) into
 * @buf: at most @rows lines of at most @cols columns.  With @ansi every
 * line ends with clear-to-end-of-line and the frame starts with cursor
 * home and ends with clear-to-end-of-screen (no full clear: no flicker);
 * without, plain lines.  Returns the length (as snprintf).
 */
size_t top_render(char *buf, size_t len, const struct top_sample *prev,
		  const struct top_sample *cur, int cols, int rows, bool ansi);

/* Compact size: "512M", "1.5G", "64K", "0"; at most 5 characters. */
void top_fmt_size(char *buf, size_t len, int64_t bytes);

#endif /* PZONE_TOP_H */
