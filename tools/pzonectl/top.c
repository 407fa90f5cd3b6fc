// SPDX-License-Identifier: GPL-2.0
/*
 * pzonectl top: frame rendering (see top.h).
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "top.h"

struct out {
	char *buf;
	size_t len, pos;
	int cols, rows, lines;
	bool ansi;
};

/* One line, cut at @o->cols; dropped past @o->rows. */
static void line(struct out *o, const char *fmt, ...)
{
	char l[512];
	va_list ap;
	int n;

	if (o->lines >= o->rows)
		return;
	va_start(ap, fmt);
	n = vsnprintf(l, sizeof(l), fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if ((size_t)n >= sizeof(l))
		n = sizeof(l) - 1;
	if (n > o->cols)
		n = o->cols;
	l[n] = '\0';
	o->lines++;
	n = snprintf(o->buf + (o->pos < o->len ? o->pos : o->len),
		     o->pos < o->len ? o->len - o->pos : 0, "%s%s\n", l,
		     o->ansi ? "\033[K" : "");
	if (n > 0)
		o->pos += (size_t)n;
}

static void raw(struct out *o, const char *s)
{
	int n = snprintf(o->buf + (o->pos < o->len ? o->pos : o->len),
			 o->pos < o->len ? o->len - o->pos : 0, "%s", s);

	if (n > 0)
		o->pos += (size_t)n;
}

void top_fmt_size(char *buf, size_t len, int64_t bytes)
{
	static const char units[] = "KMGTP";
	double v = (double)bytes;
	int i = -1;

	if (bytes < 0) {
		snprintf(buf, len, "?");
		return;
	}
	while (v >= 1024 && i < 4) {
		v /= 1024;
		i++;
	}
	if (i < 0)
		snprintf(buf, len, "%" PRId64, bytes);
	else if (v >= 99.95 || v == (double)(int64_t)v)
		snprintf(buf, len, "%.0f%c", v, units[i]);
	else
		snprintf(buf, len, "%.1f%c", v, units[i]);
}

/* A per-second rate of counter @a -> @b over @dt_us, or "-". */
static void fmt_rate(char *buf, size_t len, int64_t a, int64_t b, uint64_t dt_us)
{
	double r;

	if (a < 0 || b < 0 || b < a || !dt_us) {
		snprintf(buf, len, "-");
		return;
	}
	r = (double)(b - a) * 1e6 / (double)dt_us;
	if (r >= 100)
		snprintf(buf, len, "%.0f", r);
	else
		snprintf(buf, len, "%.1f", r);
}

static const struct top_pzone *find(const struct top_sample *s, const char *name)
{
	int i;

	for (i = 0; s && i < s->nr; i++)
		if (!strcmp(s->pz[i].name, name))
			return &s->pz[i];
	return NULL;
}

size_t top_render(char *buf, size_t len, const struct top_sample *prev,
		  const struct top_sample *cur, int cols, int rows, bool ansi)
{
	struct out o = { .buf = buf, .len = len, .cols = cols, .rows = rows, .ansi = ansi };
	uint64_t dt = prev && cur->t_us > prev->t_us ? cur->t_us - prev->t_us : 0;
	int i, w = 4;

	if (len)
		buf[0] = '\0';
	if (o.cols < 20)
		o.cols = 20;
	if (o.rows < 1)
		o.rows = 1;
	if (ansi)
		raw(&o, "\033[H");
	/*
	 * NAME: the longest name, cut to what the other 65 columns leave
	 * but never below 15 characters; a narrower terminal loses the
	 * right-hand columns instead.
	 */
	for (i = 0; i < cur->nr; i++)
		if ((int)strlen(cur->pz[i].name) > w)
			w = (int)strlen(cur->pz[i].name);
	if (w > 15 && w > o.cols - 65)
		w = o.cols - 65 < 15 ? 15 : o.cols - 65;
	line(&o, "pzonectl top  %s  %d pzone%s  rates over %.1f s  (q quits)",
	     cur->clock, cur->nr, cur->nr == 1 ? "" : "s", (double)dt / 1e6);
	line(&o, "%-*s %4s %6s %6s %6s %6s %6s %8s %8s %6s", w, "NAME", "NODE",
	     "SIZE", "USED", "FREE", "FILE", "ANON", "KSWAPD/s", "REFLT/s", "EVENTS");
	for (i = 0; i < cur->nr; i++) {
		const struct top_pzone *p = &cur->pz[i], *q = find(prev, p->name);
		char node[24], sz[24], used[24], fr[24], file[24], anon[24];
		char ks[24], rf[24], ev[24];

		if (p->node < 0)
			snprintf(node, sizeof(node), "?");
		else
			snprintf(node, sizeof(node), "%" PRId64, p->node);
		top_fmt_size(sz, sizeof(sz), p->size);
		top_fmt_size(used, sizeof(used), p->size >= 0 && p->free_bytes >= 0 &&
			     p->size >= p->free_bytes ? p->size - p->free_bytes : -1);
		top_fmt_size(fr, sizeof(fr), p->free_bytes);
		top_fmt_size(file, sizeof(file), p->file);
		top_fmt_size(anon, sizeof(anon), p->anon);
		fmt_rate(ks, sizeof(ks), q ? q->kswapd_wakeups : -1, p->kswapd_wakeups, dt);
		fmt_rate(rf, sizeof(rf), q ? q->refaults : -1, p->refaults, dt);
		if (q && q->events >= 0 && p->events >= q->events)
			snprintf(ev, sizeof(ev), "%" PRId64, p->events - q->events);
		else
			snprintf(ev, sizeof(ev), "-");
		line(&o, "%-*.*s %4s %6s %6s %6s %6s %6s %8s %8s %6s", w, w, p->name,
		     node, sz, used, fr, file, anon, ks, rf, ev);
	}
	if (!cur->nr)
		line(&o, "(no pzones)");
	line(&o, "%s", "");
	for (i = 0; i < cur->nr_nodes; i++) {
		const struct top_node *n = &cur->nodes[i];
		char fr[16], tot[16];

		top_fmt_size(fr, sizeof(fr), n->free_bytes);
		top_fmt_size(tot, sizeof(tot), n->total);
		line(&o, "base node %d: %s free of %s", n->node, fr, tot);
	}
	if (ansi)
		raw(&o, "\033[J");
	return o.pos;
}
