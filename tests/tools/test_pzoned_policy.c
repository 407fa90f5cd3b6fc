// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of pzoned's policy (tools/pzonectl/pzoned_policy.c):
 * the policy runs against a fake machine (struct fake: pzones, base
 * nodes, a clock that only moves when a test moves it) through its
 * struct pzd_ops, and every test drives one rule of pzoned(8) ("POLICY",
 * "ERRORS") through an event sequence of the overcommit scenario
 * (overcommit.sh: four pzones on base node 1, 512 MiB guarantees, 2 GiB
 * limits) or the reaction test (pzoned_reaction.sh: low/oom events
 * answered by grows).  One TAP line per test, named after the rule it
 * guards; tests/tools/policy_mutations.sh removes each rule in turn and
 * checks that its test fails.
 *
 * Usage: test_pzoned_policy [TEST...]   (no argument: all tests)
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libpzone.h"
#include "pzoned_config.h"
#include "pzoned_policy.h"

#define MIB	((int64_t)1024 * 1024)
#define GIB	(1024LL * MIB)
#define MS	1000ULL			/* the clock is in microseconds */
#define SEC	1000000ULL
#define FAKE_FD	100			/* events "fd" of fake pzone i: FAKE_FD + i */

/* ---- the fake machine ---- */

struct fake_pz {
	char name[PZONE_NAME_MAX + 1];
	bool exists;
	int64_t node, base, size, free_bytes, standby, inactive_file, refaults;
	int64_t kernel_limit;
	int nr_kernel_limit_writes;
	bool has_standby;
	struct pzone_events ev;
};

struct logline {
	char name[PZONE_NAME_MAX + 1];
	char action[16];
	int64_t from, to;
	char reason[256];
	uint64_t t_event;
	uint64_t when;
	bool reclaim;		/* resizes: with "reclaim" */
};

#define MAX_LOG	512
#define NR_BASE	2

struct fake {
	uint64_t now;
	struct fake_pz pz[8];
	int nr;
	int64_t base_free[NR_BASE];	/* MemFree of base node N (all ZONE_NORMAL) */
	int resize_err;			/* next resizes fail with this ... */
	int resize_err_nr;		/* ... this many times (-1: always) */
	int create_err;
	int nr_resize_calls;
	bool last_reclaim;
	struct logline log[MAX_LOG];
	int nlog;
};

static struct fake *F;		/* the fake of the running test (priv is it too) */

static struct fake_pz *fpz(struct fake *f, const char *name)
{
	int i;

	for (i = 0; i < f->nr; i++)
		if (!strcmp(f->pz[i].name, name))
			return &f->pz[i];
	return NULL;
}

static uint64_t f_now(void *priv)
{
	return ((struct fake *)priv)->now;
}

static bool f_exists(void *priv, const char *name)
{
	struct fake_pz *z = fpz(priv, name);

	return z && z->exists;
}

static int f_read_s64(void *priv, const char *name, const char *file, int64_t *val)
{
	struct fake_pz *z = fpz(priv, name);

	if (!z || !z->exists)
		return -ENOENT;
	if (!strcmp(file, "size_bytes"))
		*val = z->size;
	else if (!strcmp(file, "free_bytes"))
		*val = z->free_bytes;
	else if (!strcmp(file, "node"))
		*val = z->node;
	else if (!strcmp(file, "base_node"))
		*val = z->base;
	else if (!strcmp(file, "standby_bytes") && z->has_standby)
		*val = z->standby;
	else if (!strcmp(file, "kernel_limit_bytes"))
		*val = z->kernel_limit;
	else
		return -ENOENT;
	return 0;
}

static int f_read_kv(void *priv, const char *name, const char *file,
		     const char *key, int64_t *val)
{
	struct fake_pz *z = fpz(priv, name);

	if (!z || strcmp(file, "pressure") || strcmp(key, "refaults"))
		return -ENOENT;
	*val = z->refaults;
	return 0;
}

static int f_node_meminfo(void *priv, int node, const char *field, uint64_t *bytes)
{
	struct fake *f = priv;
	int i;

	if (node >= 0 && node < NR_BASE && !strcmp(field, "MemFree")) {
		*bytes = f->base_free[node] > 0 ? (uint64_t)f->base_free[node] : 0;
		return 0;
	}
	for (i = 0; i < f->nr; i++) {
		if (f->pz[i].node == node && !strcmp(field, "Inactive(file)")) {
			*bytes = (uint64_t)f->pz[i].inactive_file;
			return 0;
		}
	}
	return -ENOENT;
}

static int f_zone_info(void *priv, int node, const char *zone, uint64_t *free_bytes,
		       uint64_t *managed_bytes)
{
	struct fake *f = priv;

	if (node < 0 || node >= NR_BASE || strcmp(zone, "Normal"))
		return -ENOENT;
	*free_bytes = f->base_free[node] > 0 ? (uint64_t)f->base_free[node] : 0;
	*managed_bytes = 4 * GIB;
	return 0;
}

static int f_wmark_high(void *priv, int node, uint64_t *bytes)
{
	(void)priv;
	(void)node;
	*bytes = 0;
	return 0;
}

static int f_events_open(void *priv, const char *name)
{
	struct fake *f = priv;
	struct fake_pz *z = fpz(f, name);

	return z ? FAKE_FD + (int)(z - f->pz) : -ENOENT;
}

static int f_events_read(void *priv, int fd, struct pzone_events *ev)
{
	struct fake *f = priv;

	if (fd < FAKE_FD || fd >= FAKE_FD + f->nr)
		return -EBADF;
	*ev = f->pz[fd - FAKE_FD].ev;
	return 0;
}

static void f_events_close(void *priv, int fd)
{
	(void)priv;
	(void)fd;
}

static int f_create(void *priv, const char *name, int base, uint64_t bytes)
{
	struct fake *f = priv;
	struct fake_pz *z = fpz(f, name);

	if (f->create_err)
		return f->create_err;
	if (!z)
		return -EINVAL;
	z->exists = true;
	z->base = base;
	z->size = (int64_t)bytes;
	f->base_free[base] -= (int64_t)bytes;
	return 0;
}

static int f_resize(void *priv, const char *name, uint64_t bytes, bool reclaim)
{
	struct fake *f = priv;
	struct fake_pz *z = fpz(f, name);
	int64_t delta;

	f->nr_resize_calls++;
	f->last_reclaim = reclaim;
	if (f->resize_err && f->resize_err_nr) {
		if (f->resize_err_nr > 0)
			f->resize_err_nr--;
		return f->resize_err;
	}
	if (!z || !z->exists)
		return -ENOENT;
	delta = (int64_t)bytes - z->size;
	z->size = (int64_t)bytes;
	z->free_bytes += delta;
	if (z->free_bytes < 0) {	/* a reclaim shrink drops cold cache */
		z->inactive_file += z->free_bytes;
		z->free_bytes = 0;
	}
	f->base_free[z->base] -= delta;
	return 0;
}

static int f_set_standby(void *priv, const char *name, uint64_t bytes)
{
	struct fake *f = priv;
	struct fake_pz *z = fpz(f, name);

	if (!z || !z->has_standby)
		return -ENOENT;
	f->base_free[z->base] -= (int64_t)bytes - z->standby;
	z->standby = (int64_t)bytes;
	return 0;
}

static int f_set_kernel_limit(void *priv, const char *name, uint64_t bytes)
{
	struct fake_pz *z = fpz(priv, name);

	if (!z || !z->exists)
		return -ENOENT;
	z->kernel_limit = (int64_t)bytes;
	z->nr_kernel_limit_writes++;
	return 0;
}

static void f_reason(void *priv, const char *name, int err, char *buf, size_t len)
{
	(void)priv;
	(void)name;
	snprintf(buf, len, "%s", strerror(-err));
}

static void f_log_decision(void *priv, const char *name, const char *action,
			   int64_t from, int64_t to, const char *reason,
			   uint64_t t_event)
{
	struct fake *f = priv;
	struct logline *l;

	if (f->nlog == MAX_LOG)
		return;
	l = &f->log[f->nlog++];
	snprintf(l->name, sizeof(l->name), "%s", name ? name : "");
	snprintf(l->action, sizeof(l->action), "%s", action);
	snprintf(l->reason, sizeof(l->reason), "%s", reason ? reason : "");
	l->from = from;
	l->to = to;
	l->t_event = t_event;
	l->when = f->now;
	l->reclaim = f->last_reclaim;
	if (getenv("POLICY_TRACE"))
		printf("# %8.3f s %s: %s %" PRId64 " -> %" PRId64 " (%s)\n",
		       (double)f->now / SEC, l->name, action, from / MIB, to / MIB, l->reason);
}

static void f_log_note(void *priv, const char *name, const char *msg)
{
	(void)priv;
	if (getenv("POLICY_TRACE"))
		printf("# note %s: %s\n", name ? name : "-", msg);
}

static const struct pzd_ops fake_ops = {
	.now_us = f_now,
	.exists = f_exists,
	.read_s64 = f_read_s64,
	.read_kv = f_read_kv,
	.node_meminfo = f_node_meminfo,
	.zone_info = f_zone_info,
	.wmark_high = f_wmark_high,
	.events_open = f_events_open,
	.events_read = f_events_read,
	.events_close = f_events_close,
	.create = f_create,
	.resize = f_resize,
	.set_standby = f_set_standby,
	.set_kernel_limit = f_set_kernel_limit,
	.reason = f_reason,
	.log_decision = f_log_decision,
	.log_note = f_log_note,
};

/* ---- scenario helpers ---- */

static struct pzd D;
static struct config C;
static struct pzd_tunables T;

/* A fresh machine: base node 1 with @base_free free, default tunables. */
static void setup(int64_t base_free)
{
	static struct fake fake;

	memset(&fake, 0, sizeof(fake));
	memset(&C, 0, sizeof(C));
	F = &fake;
	F->now = 1000 * SEC;
	F->base_free[0] = 1 * GIB;
	F->base_free[1] = base_free;
	T = pzd_default_tunables;
}

/*
 * Pzone @name on base node 1 (node 2 + index): config guarantee, limit,
 * priority, standby; it exists with @size bytes, @free of them free.
 */
static void add_pz(const char *name, int64_t guarantee, int64_t limit, int prio,
		   int64_t standby, int64_t size, int64_t free_bytes)
{
	struct pz_conf *c = &C.pz[C.nr];
	struct fake_pz *z = &F->pz[F->nr];

	snprintf(c->name, sizeof(c->name), "%s", name);
	c->base = 1;
	c->guarantee = (uint64_t)guarantee;
	c->limit = (uint64_t)limit;
	c->priority = prio;
	c->standby = (uint64_t)standby;
	c->line = C.nr + 1;
	snprintf(z->name, sizeof(z->name), "%s", name);
	z->exists = size > 0;
	z->node = 2 + F->nr;
	z->base = 1;
	z->size = size;
	z->free_bytes = free_bytes;
	z->has_standby = true;
	z->standby = standby;
	C.nr++;
	F->nr++;
}

/* Start the policy on the config (adopts the pzones, first tick). */
static void start(void)
{
	pzd_init(&D, &fake_ops, F, &T, 4 * MIB);
	pzd_apply(&D, &C, true);
}

static int idx(const char *name)
{
	return (int)(fpz(F, name) - F->pz);
}

static void advance(uint64_t us)
{
	F->now += us;
}

/* The kernel raises event counter @which of @name; pzoned wakes up. */
static void event(const char *name, const char *which)
{
	struct fake_pz *z = fpz(F, name);

	if (!strcmp(which, "low"))
		z->ev.low++;
	else if (!strcmp(which, "oom"))
		z->ev.oom++;
	else if (!strcmp(which, "reclaim_failing"))
		z->ev.reclaim_failing++;
	pzd_events(&D, idx(name), F->now);
	pzd_recheck(&D);
}

static void tick(void)
{
	pzd_tick(&D, F->now);
}

/* Decisions @action of @name logged at or after log index @from. */
static int count(int from, const char *name, const char *action)
{
	int i, n = 0;

	for (i = from; i < F->nlog; i++)
		if (!strcmp(F->log[i].name, name) && !strcmp(F->log[i].action, action))
			n++;
	return n;
}

/* The last decision @action of @name, or NULL. */
static const struct logline *last(const char *name, const char *action)
{
	int i;

	for (i = F->nlog - 1; i >= 0; i--)
		if (!strcmp(F->log[i].name, name) && !strcmp(F->log[i].action, action))
			return &F->log[i];
	return NULL;
}

static int64_t size_of(const char *name)
{
	return fpz(F, name)->size;
}

/* ---- checks ---- */

static int test_failed;

static void expect(bool cond, const char *fmt, ...)
{
	va_list ap;

	if (cond)
		return;
	test_failed = 1;
	printf("#   failed: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

#define EXPECT_EQ(a, b) \
	expect((int64_t)(a) == (int64_t)(b), "%s == %s: %" PRId64 " != %" PRId64, \
	       #a, #b, (int64_t)(a), (int64_t)(b))

/* ---- grows ---- */

/* overcommit: a pzone at its guarantee gets a low event and grows one step */
static void t_low_event_grows(void)
{
	setup(4 * GIB);
	add_pz("a", 512 * MIB, 2 * GIB, 0, 0, 512 * MIB, 40 * MIB);
	start();
	advance(10 * MS);
	event("a", "low");
	EXPECT_EQ(size_of("a"), 576 * MIB);
	expect(last("a", "grow") && last("a", "grow")->t_event == F->now,
	       "the grow answers the event (event_mono_us)");
	expect(last("a", "grow") && !strcmp(last("a", "grow")->reason, "low"),
	       "reason 'low'");
}

/* reaction test: an oom event (standby released) grows */
static void t_oom_event_grows(void)
{
	setup(4 * GIB);
	add_pz("a", 512 * MIB, 2 * GIB, 0, 0, 512 * MIB, 40 * MIB);
	start();
	advance(10 * MS);
	event("a", "oom");
	EXPECT_EQ(size_of("a"), 576 * MIB);
	expect(last("a", "grow") && !strcmp(last("a", "grow")->reason, "oom"),
	       "reason 'oom'");
}

/* after an OOM the grow is at least the standby (room for a new one at once) */
static void t_oom_step_at_least_standby(void)
{
	setup(4 * GIB);
	add_pz("a", 512 * MIB, 2 * GIB, 0, 128 * MIB, 512 * MIB, 40 * MIB);
	start();
	advance(10 * MS);
	fpz(F, "a")->standby = 0;	/* the kernel released it into the pzone */
	event("a", "oom");
	EXPECT_EQ(size_of("a"), 640 * MIB);
}

/* grows less than 1 s apart double the step: 64, 128, 256, 512 MiB */
static void t_step_doubles(void)
{
	static const int64_t want[] = { 64, 128, 256, 512 };
	int64_t before;
	size_t i;

	setup(4 * GIB);
	add_pz("a", 512 * MIB, 2 * GIB, 0, 0, 512 * MIB, 40 * MIB);
	start();
	for (i = 0; i < 4; i++) {
		advance(300 * MS);
		before = size_of("a");
		fpz(F, "a")->free_bytes = 40 * MIB;
		event("a", "low");
		expect(size_of("a") - before == want[i] * MIB,
		       "grow %zu: %" PRId64 " MiB, want %" PRId64, i + 1,
		       (size_of("a") - before) / MIB, want[i]);
	}
}

/* ... up to --grow-max */
static void t_step_capped_at_grow_max(void)
{
	int64_t before;
	int i;

	setup(4 * GIB);
	T.grow_max = 128 * MIB;
	add_pz("a", 512 * MIB, 2 * GIB, 0, 0, 512 * MIB, 40 * MIB);
	start();
	for (i = 0; i < 4; i++) {
		advance(300 * MS);
		before = size_of("a");
		fpz(F, "a")->free_bytes = 40 * MIB;
		event("a", "low");
	}
	EXPECT_EQ(size_of("a") - before, 128 * MIB);
}

/* grows more than 1 s apart restart at --grow-step */
static void t_step_resets_after_1s(void)
{
	int64_t before;

	setup(4 * GIB);
	add_pz("a", 512 * MIB, 2 * GIB, 0, 0, 512 * MIB, 40 * MIB);
	start();
	advance(10 * MS);
	event("a", "low");
	advance(300 * MS);
	fpz(F, "a")->free_bytes = 40 * MIB;
	event("a", "low");			/* 128 MiB */
	advance(1500 * MS);
	before = size_of("a");
	fpz(F, "a")->free_bytes = 40 * MIB;
	event("a", "low");
	EXPECT_EQ(size_of("a") - before, 64 * MIB);
}

/* no event, but less than --low-free free: the fast path grows too */
static void t_free_below_low_free_grows(void)
{
	setup(4 * GIB);
	add_pz("a", 512 * MIB, 2 * GIB, 0, 0, 512 * MIB, 100 * MIB);
	start();
	EXPECT_EQ(size_of("a"), 512 * MIB);
	fpz(F, "a")->free_bytes = 20 * MIB;
	advance(1 * SEC);
	tick();
	EXPECT_EQ(size_of("a"), 576 * MIB);
}

/* a low event with more than two steps of cold cache and no refaults: kswapd's job */
static void t_low_event_cold_cache_no_grow(void)
{
	setup(4 * GIB);
	add_pz("a", 512 * MIB, 2 * GIB, 0, 0, 512 * MIB, 40 * MIB);
	fpz(F, "a")->inactive_file = 200 * MIB;
	start();
	advance(10 * MS);
	event("a", "low");
	advance(10 * MS);
	event("a", "low");
	EXPECT_EQ(size_of("a"), 512 * MIB);
	EXPECT_EQ(count(0, "a", "grow"), 0);
}

/* ... but a refaulting working set grows even with cold cache */
static void t_low_event_refaults_grow(void)
{
	setup(4 * GIB);
	add_pz("a", 512 * MIB, 2 * GIB, 0, 0, 512 * MIB, 40 * MIB);
	fpz(F, "a")->inactive_file = 200 * MIB;
	start();
	advance(10 * MS);
	event("a", "low");		/* first look at the refaults counter */
	advance(10 * MS);
	fpz(F, "a")->refaults += 100;
	event("a", "low");
	EXPECT_EQ(size_of("a"), 576 * MIB);
}

/* a grow stops at the limit */
static void t_grow_capped_at_limit(void)
{
	setup(4 * GIB);
	add_pz("a", 512 * MIB, 540 * MIB, 0, 0, 512 * MIB, 20 * MIB);
	start();
	advance(10 * MS);
	event("a", "low");
	EXPECT_EQ(size_of("a"), 540 * MIB);
}

/* the base node keeps --base-keep: only what is above it is lent */
static void t_base_keep(void)
{
	setup(256 * MIB + 32 * MIB);
	add_pz("a", 512 * MIB, 2 * GIB, 0, 0, 512 * MIB, 40 * MIB);
	start();
	advance(10 * MS);
	event("a", "low");
	EXPECT_EQ(size_of("a"), 544 * MIB);
}

/* ---- whom to take from ---- */

/*
 * overcommit: the base node has nothing to lend; "a" at its peak takes
 * free memory from the donor of lowest priority ("b", 10), although "c"
 * (priority 20, and first in the config) has more to spare.
 */
static void t_donor_lowest_priority_first(void)
{
	setup(256 * MIB);
	add_pz("a", 512 * MIB, 2 * GIB, 50, 0, 512 * MIB, 40 * MIB);
	add_pz("c", 512 * MIB, 2 * GIB, 20, 0, 1536 * MIB, 900 * MIB);
	add_pz("b", 512 * MIB, 2 * GIB, 10, 0, 1024 * MIB, 400 * MIB);
	start();
	advance(3 * SEC);
	event("a", "low");
	EXPECT_EQ(size_of("a"), 576 * MIB);
	expect(size_of("b") < 1024 * MIB, "b (priority 10) lent");
	EXPECT_EQ(size_of("c"), 1536 * MIB);
}

/* equal priority: the donor with the most to spare */
static void t_donor_most_slack_among_equals(void)
{
	setup(256 * MIB);
	add_pz("a", 512 * MIB, 2 * GIB, 50, 0, 512 * MIB, 40 * MIB);
	add_pz("b", 512 * MIB, 2 * GIB, 10, 0, 1024 * MIB, 300 * MIB);
	add_pz("c", 512 * MIB, 2 * GIB, 10, 0, 1536 * MIB, 900 * MIB);
	start();
	advance(3 * SEC);
	event("a", "low");
	EXPECT_EQ(size_of("a"), 576 * MIB);
	EXPECT_EQ(size_of("b"), 1024 * MIB);
	expect(size_of("c") < 1536 * MIB, "c (more slack) lent");
}

/* a donor keeps --low-free + --grow-step free above its working set */
static void t_donor_keeps_low_free_plus_step(void)
{
	setup(256 * MIB);
	T.grow_max = 64 * MIB;
	add_pz("a", 512 * MIB, 2 * GIB, 50, 0, 512 * MIB, 40 * MIB);
	add_pz("b", 512 * MIB, 2 * GIB, 60, 0, 1024 * MIB, 96 * MIB + 32 * MIB);
	start();
	advance(3 * SEC);
	event("a", "low");
	/* 128 MiB free - (32 + 64) kept: 32 MiB to lend */
	EXPECT_EQ(size_of("b"), 992 * MIB);
	EXPECT_EQ(size_of("a"), 544 * MIB);
}

/* cold page cache ("SIZE reclaim") only from a donor "a" outranks */
static void t_reclaim_only_from_lower_priority(void)
{
	setup(256 * MIB);
	add_pz("a", 512 * MIB, 2 * GIB, 50, 0, 512 * MIB, 40 * MIB);
	add_pz("b", 512 * MIB, 2 * GIB, 80, 0, 1024 * MIB, 0);
	fpz(F, "b")->inactive_file = 400 * MIB;
	start();
	advance(3 * SEC);
	event("a", "low");
	EXPECT_EQ(size_of("b"), 1024 * MIB);
	EXPECT_EQ(size_of("a"), 512 * MIB);
	EXPECT_EQ(count(0, "a", "error"), 1);
}

/* ... and from one it outranks, with reclaim */
static void t_reclaim_from_lower_priority(void)
{
	setup(256 * MIB);
	add_pz("a", 512 * MIB, 2 * GIB, 50, 0, 512 * MIB, 40 * MIB);
	add_pz("b", 512 * MIB, 2 * GIB, 10, 0, 1024 * MIB, 0);
	fpz(F, "b")->inactive_file = 400 * MIB;
	start();
	advance(3 * SEC);
	event("a", "low");
	EXPECT_EQ(size_of("b"), 960 * MIB);
	expect(last("b", "shrink") && last("b", "shrink")->reclaim, "b shrunk with reclaim");
	EXPECT_EQ(size_of("a"), 576 * MIB);
}

/* an equal peer gives free memory and cold cache only, not its working set */
static void t_equal_peer_gives_cold_only(void)
{
	setup(256 * MIB);
	T.grow_max = 256 * MIB;
	T.grow_step = 256 * MIB;
	add_pz("a", 512 * MIB, 2 * GIB, 50, 0, 512 * MIB, 40 * MIB);
	add_pz("b", 512 * MIB, 2 * GIB, 50, 0, 1024 * MIB, 0);
	/* cold 400 MiB - keep (32 + 256) = 112 MiB */
	fpz(F, "b")->inactive_file = 400 * MIB;
	start();
	advance(3 * SEC);
	event("a", "low");
	EXPECT_EQ(size_of("b"), 912 * MIB);
	EXPECT_EQ(size_of("a"), 624 * MIB);
}

/* a pzone that grew in the last 2 s lends nothing */
static void t_donor_quiet_2s_after_grow(void)
{
	setup(256 * MIB + 64 * MIB);
	add_pz("a", 512 * MIB, 2 * GIB, 50, 0, 512 * MIB, 40 * MIB);
	add_pz("b", 512 * MIB, 2 * GIB, 60, 0, 1024 * MIB, 40 * MIB);
	start();
	advance(10 * MS);
	event("b", "low");		/* b takes the base node's last 64 MiB */
	EXPECT_EQ(size_of("b"), 1088 * MIB);
	fpz(F, "b")->free_bytes = 600 * MIB;	/* b's peak is over */
	advance(1500 * MS);
	event("a", "low");
	EXPECT_EQ(size_of("a"), 512 * MIB);
	EXPECT_EQ(size_of("b"), 1088 * MIB);
	advance(600 * MS);		/* 2.1 s after b's grow, a's backoff over */
	pzd_recheck(&D);
	EXPECT_EQ(size_of("a"), 576 * MIB);
	expect(size_of("b") < 1088 * MIB, "b lends 2 s after its grow");
}

/* a donor lends free memory at most once every 250 ms */
static void t_lend_once_per_250ms(void)
{
	setup(256 * MIB);
	T.grow_max = 64 * MIB;
	add_pz("a", 512 * MIB, 2 * GIB, 50, 0, 512 * MIB, 40 * MIB);
	add_pz("b", 512 * MIB, 2 * GIB, 60, 0, 1536 * MIB, 900 * MIB);
	start();
	advance(3 * SEC);
	event("a", "low");
	EXPECT_EQ(size_of("b"), 1472 * MIB);
	EXPECT_EQ(size_of("a"), 576 * MIB);
	advance(100 * MS);
	fpz(F, "a")->free_bytes = 20 * MIB;
	event("a", "low");
	EXPECT_EQ(size_of("b"), 1472 * MIB);
	EXPECT_EQ(size_of("a"), 576 * MIB);
	advance(200 * MS);		/* 300 ms after the first lend */
	pzd_recheck(&D);
	EXPECT_EQ(size_of("b"), 1408 * MIB);
	EXPECT_EQ(size_of("a"), 640 * MIB);
}

/* ... and its cache ("SIZE reclaim") at most once every 250 ms too */
static void t_reclaim_once_per_250ms(void)
{
	setup(256 * MIB);
	T.grow_max = 64 * MIB;
	add_pz("a", 512 * MIB, 2 * GIB, 50, 0, 512 * MIB, 40 * MIB);
	add_pz("b", 512 * MIB, 2 * GIB, 10, 0, 1536 * MIB, 0);
	fpz(F, "b")->inactive_file = 900 * MIB;
	start();
	advance(3 * SEC);
	event("a", "low");
	EXPECT_EQ(size_of("b"), 1472 * MIB);
	advance(100 * MS);
	fpz(F, "a")->free_bytes = 20 * MIB;
	event("a", "low");
	EXPECT_EQ(size_of("b"), 1472 * MIB);
	EXPECT_EQ(size_of("a"), 576 * MIB);
	advance(200 * MS);
	pzd_recheck(&D);
	EXPECT_EQ(size_of("b"), 1408 * MIB);
	EXPECT_EQ(size_of("a"), 640 * MIB);
}

/* free memory above a working set goes back in one shrink of up to --grow-max */
static void t_lend_in_one_go(void)
{
	setup(256 * MIB);
	add_pz("a", 512 * MIB, 2 * GIB, 50, 0, 512 * MIB, 40 * MIB);
	add_pz("b", 512 * MIB, 2 * GIB, 10, 0, 1536 * MIB, 900 * MIB);
	start();
	advance(3 * SEC);
	event("a", "low");
	EXPECT_EQ(size_of("b"), 1024 * MIB);	/* 512 MiB, not 64 */
	EXPECT_EQ(count(0, "b", "shrink"), 1);
}

/* the base node's own needs: below base_keep / 2 free, lent memory comes back */
static void t_base_low_takes_back(void)
{
	setup(2 * GIB);
	add_pz("b", 512 * MIB, 2 * GIB, 10, 0, 1536 * MIB, 900 * MIB);
	start();
	EXPECT_EQ(size_of("b"), 1536 * MIB);
	F->base_free[1] = 100 * MIB;
	advance(3 * SEC);
	tick();
	expect(size_of("b") <= 1536 * MIB - 156 * MIB, "b gave back at least 156 MiB (size %" PRId64 " MiB)",
	       size_of("b") / MIB);
}

/* ---- idle shrink ---- */

/* more than 25 % free for 10 s: shrink to used + low_free + grow_step */
static void t_idle_shrink_after_10s(void)
{
	setup(2 * GIB);
	add_pz("a", 512 * MIB, 2 * GIB, 0, 0, 1024 * MIB, 600 * MIB);
	start();				/* the idle timer starts */
	advance(9 * SEC);
	tick();
	EXPECT_EQ(size_of("a"), 1024 * MIB);
	advance(1500 * MS);
	tick();
	/* used 424 MiB + 32 + 64 */
	EXPECT_EQ(size_of("a"), 520 * MIB);
}

/* the idle time restarts when free memory drops under 25 % (hysteresis) */
static void t_idle_timer_restarts(void)
{
	setup(2 * GIB);
	add_pz("a", 512 * MIB, 2 * GIB, 0, 0, 1024 * MIB, 600 * MIB);
	start();
	advance(5 * SEC);
	fpz(F, "a")->free_bytes = 200 * MIB;	/* under 25 % */
	tick();
	advance(1 * SEC);
	fpz(F, "a")->free_bytes = 600 * MIB;
	tick();
	advance(9 * SEC);			/* 15 s since the start, 9 s idle */
	tick();
	EXPECT_EQ(size_of("a"), 1024 * MIB);
	advance(1500 * MS);
	tick();
	EXPECT_EQ(size_of("a"), 520 * MIB);
}

/* not more than 25 %: no shrink, however long */
static void t_idle_threshold_25pct(void)
{
	setup(2 * GIB);
	add_pz("a", 512 * MIB, 2 * GIB, 0, 0, 1024 * MIB, 256 * MIB);
	start();
	advance(11 * SEC);
	tick();
	advance(11 * SEC);
	tick();
	EXPECT_EQ(size_of("a"), 1024 * MIB);
}

/* cold page cache counts as idle memory; dropping it needs "reclaim" */
static void t_idle_counts_cold_cache(void)
{
	setup(2 * GIB);
	add_pz("a", 512 * MIB, 2 * GIB, 0, 0, 1024 * MIB, 100 * MIB);
	fpz(F, "a")->inactive_file = 400 * MIB;
	start();
	advance(11 * SEC);
	tick();
	/* used 1024 - 500 = 524 MiB + 96 = 620 MiB */
	EXPECT_EQ(size_of("a"), 620 * MIB);
	expect(last("a", "shrink") && last("a", "shrink")->reclaim, "with reclaim");
}

/* no idle shrink within --shrink-after of a grow */
static void t_idle_not_after_grow(void)
{
	setup(4 * GIB);
	add_pz("a", 512 * MIB, 2 * GIB, 0, 0, 1024 * MIB, 600 * MIB);
	start();
	advance(8 * SEC);
	fpz(F, "a")->free_bytes = 20 * MIB;
	event("a", "low");				/* grow at 8 s */
	EXPECT_EQ(size_of("a"), 1088 * MIB);
	fpz(F, "a")->free_bytes = 600 * MIB;
	advance(3 * SEC);
	tick();						/* 11 s idle-ish, 3 s after the grow */
	EXPECT_EQ(size_of("a"), 1088 * MIB);
}

/* at most one idle shrink per pzone per --shrink-every (30 s) */
static void t_idle_shrink_every_30s(void)
{
	setup(2 * GIB);
	add_pz("a", 512 * MIB, 2 * GIB, 0, 0, 1536 * MIB, 1100 * MIB);
	start();
	advance(11 * SEC);
	tick();
	EXPECT_EQ(size_of("a"), 532 * MIB);	/* 436 + 96 */
	fpz(F, "a")->size = 1536 * MIB;		/* grown back behind our back */
	fpz(F, "a")->free_bytes = 1100 * MIB;
	advance(1 * SEC);
	tick();
	advance(11 * SEC);
	tick();
	EXPECT_EQ(size_of("a"), 1536 * MIB);
	advance(20 * SEC);			/* 32 s after the first shrink */
	tick();
	EXPECT_EQ(size_of("a"), 532 * MIB);
}

/* never below the guarantee */
static void t_idle_not_below_guarantee(void)
{
	setup(2 * GIB);
	add_pz("a", 512 * MIB, 2 * GIB, 0, 0, 1024 * MIB, 1000 * MIB);
	start();
	advance(11 * SEC);
	tick();
	EXPECT_EQ(size_of("a"), 512 * MIB);
}

/* only if it frees at least one grow step */
static void t_idle_at_least_one_step(void)
{
	setup(2 * GIB);
	/* 152 of 600 MiB free (25.3 %): to 448 + 96 = 544, frees 56 MiB < 64 */
	add_pz("a", 512 * MIB, 2 * GIB, 0, 0, 600 * MIB, 152 * MIB);
	start();
	advance(11 * SEC);
	tick();
	EXPECT_EQ(size_of("a"), 600 * MIB);
	/* 160 MiB free: to 536, frees 64 MiB */
	fpz(F, "a")->free_bytes = 160 * MIB;
	advance(11 * SEC);
	tick();
	advance(11 * SEC);
	tick();
	EXPECT_EQ(size_of("a"), 536 * MIB);
}

/* ---- limits and standby ---- */

static void t_below_guarantee_grown(void)
{
	setup(2 * GIB);
	add_pz("a", 512 * MIB, 2 * GIB, 0, 0, 256 * MIB, 100 * MIB);
	start();
	EXPECT_EQ(size_of("a"), 512 * MIB);
}

static void t_above_limit_shrunk_reclaim(void)
{
	setup(2 * GIB);
	add_pz("a", 512 * MIB, 1 * GIB, 0, 0, 1536 * MIB, 100 * MIB);
	start();
	EXPECT_EQ(size_of("a"), 1024 * MIB);
	expect(last("a", "shrink") && last("a", "shrink")->reclaim, "with reclaim");
}

static void t_standby_fits_under_limit(void)
{
	setup(2 * GIB);
	add_pz("a", 512 * MIB, 1 * GIB, 0, 64 * MIB, 1000 * MIB, 100 * MIB);
	fpz(F, "a")->standby = 0;
	start();
	EXPECT_EQ(fpz(F, "a")->standby, 24 * MIB);
}

static void t_standby_refilled(void)
{
	setup(2 * GIB);
	add_pz("a", 512 * MIB, 2 * GIB, 0, 64 * MIB, 512 * MIB, 100 * MIB);
	fpz(F, "a")->standby = 0;
	start();
	EXPECT_EQ(fpz(F, "a")->standby, 64 * MIB);
}

/* ---- errors ---- */

/* EBUSY/ENOMEM: back off 100 ms, doubling */
static void t_error_backoff_doubles(void)
{
	int calls;

	setup(4 * GIB);
	add_pz("a", 512 * MIB, 2 * GIB, 0, 0, 512 * MIB, 40 * MIB);
	start();
	F->resize_err = -EBUSY;
	F->resize_err_nr = -1;
	advance(10 * MS);
	event("a", "low");
	EXPECT_EQ(F->nr_resize_calls, 1);
	advance(90 * MS);
	pzd_recheck(&D);
	EXPECT_EQ(F->nr_resize_calls, 1);	/* 90 ms: still backing off */
	advance(20 * MS);
	pzd_recheck(&D);
	EXPECT_EQ(F->nr_resize_calls, 2);	/* 110 ms: retried */
	calls = F->nr_resize_calls;
	advance(150 * MS);
	pzd_recheck(&D);
	EXPECT_EQ(F->nr_resize_calls, calls);	/* second backoff: 200 ms */
	advance(60 * MS);
	pzd_recheck(&D);
	EXPECT_EQ(F->nr_resize_calls, calls + 1);
	F->resize_err_nr = 0;
	advance(500 * MS);
	pzd_recheck(&D);
	EXPECT_EQ(size_of("a"), 576 * MIB);
}

/* ... up to 10 s */
static void t_error_backoff_capped_10s(void)
{
	int i, calls;

	setup(4 * GIB);
	add_pz("a", 512 * MIB, 2 * GIB, 0, 0, 512 * MIB, 40 * MIB);
	start();
	F->resize_err = -ENOMEM;
	F->resize_err_nr = -1;
	advance(10 * MS);
	event("a", "low");
	for (i = 0; i < 12; i++) {		/* 100 ms .. 204.8 s uncapped */
		advance(10 * SEC + 1);
		pzd_recheck(&D);
	}
	calls = F->nr_resize_calls;
	advance(10 * SEC + 1);
	pzd_recheck(&D);
	EXPECT_EQ(F->nr_resize_calls, calls + 1);
}

/* EAGAIN is retried at once, 3 times */
static void t_error_eagain_retried(void)
{
	setup(4 * GIB);
	add_pz("a", 512 * MIB, 2 * GIB, 0, 0, 512 * MIB, 40 * MIB);
	start();
	F->resize_err = -EAGAIN;
	F->resize_err_nr = 2;
	advance(10 * MS);
	event("a", "low");
	EXPECT_EQ(size_of("a"), 576 * MIB);
	EXPECT_EQ(F->nr_resize_calls, 3);
	EXPECT_EQ(count(0, "a", "error"), 0);
}

/* ENOSPC on an idle shrink: no backoff, the shrink waits for its period */
static void t_error_enospc_shrink_no_backoff(void)
{
	setup(4 * GIB);
	add_pz("a", 512 * MIB, 2 * GIB, 0, 0, 1024 * MIB, 600 * MIB);
	start();
	advance(11 * SEC);
	F->resize_err = -ENOSPC;
	F->resize_err_nr = 1;
	tick();
	EXPECT_EQ(count(0, "a", "error"), 1);
	EXPECT_EQ(D.pzs[0].backoff_until, 0);
	advance(10 * MS);
	fpz(F, "a")->free_bytes = 20 * MIB;
	event("a", "low");		/* no backoff: the grow goes ahead */
	EXPECT_EQ(size_of("a"), 1088 * MIB);
}

/* any other error: the pzone is no longer managed */
static void t_error_other_stops(void)
{
	int calls;

	setup(4 * GIB);
	add_pz("a", 512 * MIB, 2 * GIB, 0, 0, 512 * MIB, 40 * MIB);
	start();
	F->resize_err = -EINVAL;
	F->resize_err_nr = -1;
	advance(10 * MS);
	event("a", "low");
	calls = F->nr_resize_calls;
	expect(!D.pzs[0].managed, "unmanaged");
	advance(20 * SEC);
	tick();
	event("a", "low");
	EXPECT_EQ(F->nr_resize_calls, calls);
}

/* ENOSPC on create waits for a config change */
static void t_error_create_enospc_waits(void)
{
	setup(4 * GIB);
	add_pz("a", 512 * MIB, 2 * GIB, 0, 0, 0, 0);
	F->create_err = -ENOSPC;
	start();
	expect(D.pzs[0].wait_config, "waiting for SIGHUP");
	F->create_err = 0;
	advance(20 * SEC);
	tick();
	expect(!fpz(F, "a")->exists, "not created without a config change");
	pzd_apply(&D, &C, false);		/* SIGHUP */
	expect(fpz(F, "a")->exists, "created after the config change");
}

static void t_kernel_limit_applied(void)
{
	setup(4 * GIB);
	add_pz("a", 512 * MIB, 2 * GIB, 0, 0, 0, 0);		/* created */
	add_pz("b", 512 * MIB, 2 * GIB, 0, 0, 512 * MIB, 0);	/* adopted */
	add_pz("c", 512 * MIB, 2 * GIB, 0, 0, 512 * MIB, 0);	/* no key */
	C.pz[0].kernel_limit = 32 * MIB;
	C.pz[1].kernel_limit = 64 * MIB;
	fpz(F, "c")->kernel_limit = 8 * MIB;
	start();
	EXPECT_EQ(fpz(F, "a")->kernel_limit, 32 * MIB);
	EXPECT_EQ(fpz(F, "b")->kernel_limit, 64 * MIB);
	EXPECT_EQ(fpz(F, "c")->kernel_limit, 8 * MIB);
	expect(fpz(F, "c")->nr_kernel_limit_writes == 0, "no key: never written");
	advance(20 * SEC);
	tick();
	expect(fpz(F, "a")->nr_kernel_limit_writes == 1, "written once while it holds");
	fpz(F, "b")->kernel_limit = 0;				/* someone cleared it */
	advance(20 * SEC);
	tick();
	EXPECT_EQ(fpz(F, "b")->kernel_limit, 64 * MIB);
	expect(count(0, "b", "kernel_limit") == 2, "logged at adoption and when put back");
}

struct test {
	const char *name;
	const char *rule;
	void (*fn)(void);
};

#define T_(fn, rule) { #fn + 2, rule, fn }

static const struct test tests[] = {
	T_(t_low_event_grows, "a low event grows the pzone by --grow-step"),
	T_(t_oom_event_grows, "an oom event grows the pzone"),
	T_(t_oom_step_at_least_standby, "after an OOM the grow is at least the standby"),
	T_(t_step_doubles, "grows less than 1 s apart double the step"),
	T_(t_step_capped_at_grow_max, "the step doubles up to --grow-max"),
	T_(t_step_resets_after_1s, "grows more than 1 s apart restart at --grow-step"),
	T_(t_free_below_low_free_grows, "less than --low-free free grows without an event"),
	T_(t_low_event_cold_cache_no_grow, "a low event with > 2 steps of cold cache and no refaults does not grow"),
	T_(t_low_event_refaults_grow, "a refaulting pzone grows despite cold cache"),
	T_(t_grow_capped_at_limit, "a grow stops at the limit"),
	T_(t_base_keep, "the base node lends only what is above --base-keep"),
	T_(t_donor_lowest_priority_first, "donors: lowest priority first"),
	T_(t_donor_most_slack_among_equals, "donors of equal priority: most to spare first"),
	T_(t_donor_keeps_low_free_plus_step, "a donor keeps --low-free + --grow-step free"),
	T_(t_reclaim_only_from_lower_priority, "SIZE reclaim not from a donor of higher priority"),
	T_(t_reclaim_from_lower_priority, "SIZE reclaim from a donor of lower priority"),
	T_(t_equal_peer_gives_cold_only, "an equal peer gives free memory and cold cache only"),
	T_(t_donor_quiet_2s_after_grow, "a pzone that grew in the last 2 s lends nothing"),
	T_(t_lend_once_per_250ms, "a pzone lends free memory at most once every 250 ms"),
	T_(t_reclaim_once_per_250ms, "a pzone is reclaimed at most once every 250 ms"),
	T_(t_lend_in_one_go, "free memory above a working set goes back in one shrink up to --grow-max"),
	T_(t_base_low_takes_back, "below --base-keep / 2 free the base node takes lent memory back"),
	T_(t_idle_shrink_after_10s, "idle shrink after --shrink-after (10 s) of > 25 % free"),
	T_(t_idle_timer_restarts, "idle time restarts when free drops to 25 % or less"),
	T_(t_idle_threshold_25pct, "no idle shrink at 25 % or less free"),
	T_(t_idle_counts_cold_cache, "cold cache counts as idle; dropping it uses reclaim"),
	T_(t_idle_not_after_grow, "no idle shrink within --shrink-after of a grow"),
	T_(t_idle_shrink_every_30s, "at most one idle shrink per --shrink-every (30 s)"),
	T_(t_idle_not_below_guarantee, "idle shrink never below the guarantee"),
	T_(t_idle_at_least_one_step, "idle shrink only if it frees at least one grow step"),
	T_(t_below_guarantee_grown, "a pzone below its guarantee is grown to it"),
	T_(t_above_limit_shrunk_reclaim, "a pzone above its limit is shrunk to it with reclaim"),
	T_(t_standby_fits_under_limit, "standby is min(STANDBY, LIMIT - size)"),
	T_(t_standby_refilled, "a used standby is refilled"),
	T_(t_error_backoff_doubles, "EBUSY/ENOMEM back off from 100 ms, doubling"),
	T_(t_error_backoff_capped_10s, "the backoff is at most 10 s"),
	T_(t_error_eagain_retried, "EAGAIN is retried at once, 3 times"),
	T_(t_error_enospc_shrink_no_backoff, "ENOSPC on a shrink does not back off"),
	T_(t_error_other_stops, "any other error stops managing the pzone"),
	T_(t_error_create_enospc_waits, "ENOSPC on create waits for a config change"),
	T_(t_kernel_limit_applied, "kernel_limit= is applied at create and adoption, and kept"),
};

int main(int argc, char **argv)
{
	size_t i;
	int n = 0, failed = 0, a;

	printf("TAP version 13\n");
	for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		bool run = argc < 2;

		for (a = 1; a < argc; a++)
			if (!strcmp(argv[a], tests[i].name))
				run = true;
		if (!run)
			continue;
		test_failed = 0;
		tests[i].fn();
		n++;
		failed += test_failed;
		printf("%sok %d - %s: %s\n", test_failed ? "not " : "", n,
		       tests[i].name, tests[i].rule);
	}
	printf("1..%d\n", n);
	if (failed)
		printf("# %d of %d policy tests failed\n", failed, n);
	return failed ? 1 : 0;
}
