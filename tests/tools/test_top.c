// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of pzonectl top's frame rendering
 * (tools/pzonectl/top.c, top_render()) with fixed samples; prints TAP.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "top.h"

#define MIB	(1024LL * 1024LL)

static int nr_tests, nr_failed;

static void ok(int cond, const char *what)
{
	nr_tests++;
	if (!cond)
		nr_failed++;
	printf("%sok %d - %s\n", cond ? "" : "not ", nr_tests, what);
}

static void pz(struct top_sample *s, const char *name, int node, long long size,
	       long long free_b, long long kswapd, long long refaults, long long events)
{
	struct top_pzone *p = &s->pz[s->nr++];

	snprintf(p->name, sizeof(p->name), "%s", name);
	p->node = node;
	p->base_node = 1;
	p->size = size;
	p->free_bytes = free_b;
	p->file = 300 * MIB;
	p->anon = 100 * MIB;
	p->kswapd_wakeups = kswapd;
	p->refaults = refaults;
	p->events = events;
}

static void samples(struct top_sample *a, struct top_sample *b)
{
	memset(a, 0, sizeof(*a));
	memset(b, 0, sizeof(*b));
	a->t_us = 10000000;
	b->t_us = 12000000;		/* 2 s later */
	snprintf(b->clock, sizeof(b->clock), "12:34:56");
	pz(a, "web", 2, 512 * MIB, 100 * MIB, 10, 1000, 5);
	pz(b, "web", 2, 576 * MIB, 64 * MIB, 30, 1500, 9);
	pz(a, "db", 3, 1024 * MIB, 512 * MIB, 0, 0, 0);
	pz(b, "db", 3, 1024 * MIB, 512 * MIB, 0, 0, 0);
	pz(b, "new", 4, 64 * MIB, 60 * MIB, 1, 1, 1);	/* not in @a */
	b->nr_nodes = 1;
	b->nodes[0].node = 1;
	b->nodes[0].free_bytes = 1536 * MIB;
	b->nodes[0].total = 4096 * MIB;
}

static const char *want_plain =
	"pzonectl top  12:34:56  3 pzones  rates over 2.0 s  (q quits)\n"
	"NAME NODE   SIZE   USED   FREE   FILE   ANON KSWAPD/s  REFLT/s EVENTS\n"
	"web     2   576M   512M    64M   300M   100M     10.0      250      4\n"
	"db      3     1G   512M   512M   300M   100M      0.0      0.0      0\n"
	"new     4    64M     4M    60M   300M   100M        -        -      -\n"
	"\n"
	"base node 1: 1.5G free of 4G\n";

/* Every line (between newlines) of @s is at most @cols visible characters. */
static int max_width(const char *s)
{
	int w = 0, max = 0;

	for (; *s; s++) {
		if (*s == '\033') {		/* skip CSI ... final byte */
			s++;
			while (s[1] && !((s[1] >= '@' && s[1] <= '~') && s[1] != '['))
				s++;
			s++;
			continue;
		}
		if (*s == '\n') {
			w = 0;
			continue;
		}
		if (++w > max)
			max = w;
	}
	return max;
}

static int count(const char *s, const char *what)
{
	int n = 0;

	for (s = strstr(s, what); s; s = strstr(s + 1, what))
		n++;
	return n;
}

int main(void)
{
	static struct top_sample a, b, many;
	static char buf[65536];
	char sz[16];
	int i;

	printf("TAP version 13\n");
	samples(&a, &b);
	top_render(buf, sizeof(buf), &a, &b, 80, 24, false);
	ok(!strcmp(buf, want_plain), "plain frame: columns, sizes, rates per second, events since the last sample");
	if (strcmp(buf, want_plain))
		printf("# got:\n%s# want:\n%s", buf, want_plain);
	ok(max_width(buf) <= 80, "plain frame fits 80 columns");

	top_render(buf, sizeof(buf), &a, &b, 80, 24, true);
	ok(!strncmp(buf, "\033[H", 3), "ansi: starts with cursor home");
	ok(!strstr(buf, "\033[2J"), "ansi: no full clear (no flicker)");
	ok(count(buf, "\033[K\n") == 7, "ansi: every line ends with clear-to-EOL");
	ok(strlen(buf) >= 3 && !strcmp(buf + strlen(buf) - 3, "\033[J"),
	   "ansi: ends with clear-to-end-of-screen");
	ok(max_width(buf) <= 80, "ansi frame fits 80 columns");

	top_render(buf, sizeof(buf), NULL, &b, 80, 24, false);
	ok(count(buf, "        -        -      -\n") == 3, "first frame: no rates yet");

	top_render(buf, sizeof(buf), &a, &b, 40, 24, false);
	ok(max_width(buf) <= 40, "cut to 40 columns");
	top_render(buf, sizeof(buf), &a, &b, 80, 3, false);
	ok(count(buf, "\n") == 3, "at most LINES lines");

	memset(&many, 0, sizeof(many));
	many.t_us = 12000000;
	for (i = 0; i < 3; i++)
		pz(&many, i ? "b" : "a-very-long-name-of-31-chars-xx", 2 + i, 4 * MIB, 0, 0, 0, 0);
	top_render(buf, sizeof(buf), NULL, &many, 80, 24, false);
	ok(max_width(buf) <= 80, "a 31-character name still fits 80 columns");
	ok(strstr(buf, "a-very-long-nam ") != NULL, "... cut to 15 characters");
	top_render(buf, sizeof(buf), NULL, &many, 60, 24, false);
	ok(strstr(buf, "\nb    ") != NULL && strstr(buf, "a-very-long-nam ") != NULL,
	   "60 columns: names keep 15 characters, the right-hand columns go");
	ok(max_width(buf) <= 60, "... and the lines are cut at 60");
	top_render(buf, sizeof(buf), NULL, &many, 100, 24, false);
	ok(strstr(buf, "a-very-long-name-of-31-chars-xx ") != NULL, "100 columns: the whole name");

	many.nr = 0;
	top_render(buf, sizeof(buf), NULL, &many, 80, 24, false);
	ok(strstr(buf, "(no pzones)\n") != NULL, "no pzones: says so");

	top_fmt_size(sz, sizeof(sz), 1023 * MIB + 512 * 1024);
	ok(!strcmp(sz, "1024M") || !strcmp(sz, "1023M"), "fmt_size: at most 5 characters");
	top_fmt_size(sz, sizeof(sz), 0);
	ok(!strcmp(sz, "0"), "fmt_size 0");
	top_fmt_size(sz, sizeof(sz), -1);
	ok(!strcmp(sz, "?"), "fmt_size unknown");
	printf("1..%d\n", nr_tests);
	if (nr_failed)
		printf("# %d of %d failed\n", nr_failed, nr_tests);
	return nr_failed ? 1 : 0;
}
