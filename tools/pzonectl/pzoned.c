// SPDX-License-Identifier: GPL-2.0
/*
 * pzoned: the pzone overcommit daemon.
 *
 * Every pzone in the config file keeps at least its guarantee.  Free memory
 * of the base node, and free memory above the working set of other pzones,
 * is lent to pzones under pressure up to their limit, and taken back when
 * its owner (the base node, or a pzone that needs to grow) needs it.  The
 * policy, its thresholds and the log format are in
 * Documentation/admin-guide/mm/pzone.rst ("pzoned") and pzoned(8).
 *
 * One single-threaded loop: poll() on every pzone's "events" file
 * (POLLPRI, sysfs_notify semantics) and on a signalfd, with a timeout that
 * is the next timer deadline (1 s tick for the shrink side; 50 ms re-checks
 * while a pzone is under pressure, since event notifications are
 * rate-limited and can be coalesced).  All sysfs access goes through
 * libpzone.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "libpzone.h"
#include "oci_hook.h"

#define PROG		"pzoned"
#define EXIT_USAGE	2
#define EXIT_NOSUPPORT	3

#define MIB		(1024ULL * 1024ULL)
#define MAX_PZONES	64
#define MAX_PRIORITY	100
#define MAX_ERRORS	32		/* config errors reported per file */

#define HOT_MS		1000		/* re-check a pzone this long after an event */
#define HOT_CHECK_MS	50		/* ... this often */
#define NOEVENTS_MS	100		/* free_bytes polling without an events file */
#define STEP_RESET_MS	1000		/* grows further apart than this restart at the minimum step */
#define DONOR_QUIET_MS	2000		/* a pzone that grew this recently lends nothing */
#define LEND_SHRINK_MS	250		/* at most one lending shrink per donor per this */
#define BACKOFF_MIN_MS	100
#define BACKOFF_MAX_MS	10000
#define EAGAIN_RETRIES	3

/* ---- configuration ---- */

struct pz_conf {
	char name[PZONE_NAME_MAX + 1];
	int base;
	uint64_t guarantee;
	uint64_t limit;
	int priority;
	uint64_t standby;
	int line;
	bool oci;		/* from a record of pzonectl oci-hook: adopt, never create */
};

struct config {
	struct pz_conf pz[MAX_PZONES];
	int nr;
};

/* Tunables: command-line options, documented in pzoned(8). */
struct tunables {
	uint64_t grow_step;		/* smallest grow */
	uint64_t grow_max;		/* largest grow (the step doubles up to it) */
	uint64_t low_free;		/* a pzone with less free than this grows */
	unsigned int shrink_free_pct;	/* idle: more than this % of the size free ... */
	unsigned int shrink_after_ms;	/* ... for this long (and no grow for as long) */
	unsigned int shrink_every_ms;	/* at most one idle shrink per pzone per this */
	uint64_t base_keep;		/* free memory the base node keeps for itself */
	unsigned int tick_ms;		/* the slow timer */
};

static struct tunables tun = {
	.grow_step = 64 * MIB,
	.grow_max = 512 * MIB,
	.low_free = 32 * MIB,
	.shrink_free_pct = 25,
	.shrink_after_ms = 10000,
	.shrink_every_ms = 30000,
	.base_keep = 256 * MIB,
	.tick_ms = 1000,
};

/* ---- runtime state ---- */

struct pz {
	struct pz_conf c;
	bool present;		/* exists in sysfs */
	bool managed;		/* false after an error we cannot handle */
	bool wait_config;	/* ENOSPC on create: wait for SIGHUP */
	bool has_standby;	/* kernel has NAME/standby_bytes */
	bool at_limit_logged;
	int fd;			/* NAME/events, -1 without */
	struct pzone_events ev;
	int64_t node, size, free_bytes, standby;
	int64_t inactive_file;	/* Inactive(file) of node D: cold, clean-able cache */
	uint64_t wmark_high;	/* sum of node D's zone high watermarks, bytes */
	int64_t refaults;	/* pressure: refaults at the last check, -1 unknown */
	uint64_t t_event;	/* receipt of the first event not answered yet, 0 if none */
	const char *event_reason;
	uint64_t t_last_grow, t_last_shrink, t_last_lend, t_free_since;
	uint64_t hot_until, t_next_poll, backoff_until;
	unsigned int backoff_ms;
	uint64_t step;
	int64_t last_grow_from;
};

static struct pzone_ctx ctx;
static struct config cfg;
static const char *cfg_path;
static struct pz pzs[MAX_PZONES];
static int nr_pzs;
static uint64_t block = PZONE_BLOCK_DEFAULT;
static bool json_log;
static bool dry_run;
static bool debug;
static bool noevents_logged;
static const char *oci_dir;	/* records of pzonectl oci-hook; NULL: none */
static uint64_t oci_sig;	/* what the directory held at the last load */

/* ---- time and logging ---- */

static uint64_t mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

static uint64_t ms_us(unsigned int ms)
{
	return (uint64_t)ms * 1000;
}

static void fmt_bytes(char *buf, size_t len, int64_t bytes)
{
	pzone_fmt_size(buf, len, bytes);
}

/*
 * One line per decision.  JSON: {"ts", "mono_us", "pzone", "action",
 * "from_bytes", "to_bytes", "reason"[, "event_mono_us", "latency_us"]}.
 * Human: "pzoned: NAME: ACTION FROM -> TO (REASON)".  @t_event is the
 * receipt of the event this answers (0: none).
 */
static void log_decision(const char *name, const char *action, int64_t from,
			 int64_t to, const char *reason, uint64_t t_event)
{
	uint64_t now = mono_us();

	if (json_log) {
		char ename[PZONE_NAME_MAX * 6 + 1], ereason[1024];
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		pzone_json_escape(ename, sizeof(ename), name ? name : "");
		pzone_json_escape(ereason, sizeof(ereason), reason ? reason : "");
		printf("{\"ts\":%lld.%06ld,\"mono_us\":%" PRIu64 ",\"pzone\":\"%s\","
		       "\"action\":\"%s\",\"from_bytes\":%" PRId64 ",\"to_bytes\":%"
		       PRId64 ",\"reason\":\"%s\"", (long long)ts.tv_sec,
		       ts.tv_nsec / 1000, now, ename, action, from, to, ereason);
		if (t_event)
			printf(",\"event_mono_us\":%" PRIu64 ",\"latency_us\":%" PRIu64,
			       t_event, now - t_event);
		printf("}\n");
	} else {
		char f[32], t[32];

		fmt_bytes(f, sizeof(f), from);
		fmt_bytes(t, sizeof(t), to);
		printf(PROG ": %s: %s %s -> %s (%s", name && *name ? name : "-",
		       action, f, t, reason ? reason : "");
		if (t_event)
			printf("; %.1f ms after the event",
			       (double)(now - t_event) / 1000.0);
		printf(")\n");
	}
	fflush(stdout);
}

/* A note that is not a decision: human lines only, or a JSON "info" line. */
static void log_note(const char *name, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (json_log) {
		char ename[PZONE_NAME_MAX * 6 + 1], emsg[sizeof(msg) * 6];

		pzone_json_escape(ename, sizeof(ename), name ? name : "");
		pzone_json_escape(emsg, sizeof(emsg), msg);
		printf("{\"ts\":%lld,\"mono_us\":%" PRIu64 ",\"pzone\":\"%s\","
		       "\"action\":\"info\",\"reason\":\"%s\"}\n",
		       (long long)time(NULL), mono_us(), ename, emsg);
	} else if (name && *name) {
		printf(PROG ": %s: %s\n", name, msg);
	} else {
		printf(PROG ": %s\n", msg);
	}
	fflush(stdout);
}

/* ---- config parsing ---- */

struct cfg_err {
	int nr;
	FILE *out;		/* NULL: collect into log_note instead */
	const char *path;
};

static void cfg_error(struct cfg_err *e, int line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	e->nr++;
	if (e->nr > MAX_ERRORS)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (e->out) {
		if (line)
			fprintf(e->out, PROG ": %s:%d: %s\n", e->path, line, msg);
		else
			fprintf(e->out, PROG ": %s: %s\n", e->path, msg);
	} else {
		if (line)
			log_note(NULL, "%s:%d: %s", e->path, line, msg);
		else
			log_note(NULL, "%s: %s", e->path, msg);
	}
}

static int parse_conf_size(struct cfg_err *e, int line, const char *what,
			   const char *s, uint64_t *out)
{
	uint64_t v;
	int err = pzone_parse_size(s, &v);

	if (err == -ERANGE) {
		cfg_error(e, line, "%s '%s': size too large", what, s);
		return -1;
	}
	if (err) {
		cfg_error(e, line, "%s '%s': not a size (bytes with optional K/M/G suffix)",
			  what, s);
		return -1;
	}
	if (pzone_round_up(v, block, out) || *out > (UINT64_MAX >> 2)) {
		cfg_error(e, line, "%s '%s': size too large", what, s);
		return -1;
	}
	return 0;
}

static int parse_int(const char *s, long max, long *out)
{
	char *end;
	long v;

	if (!isdigit((unsigned char)s[0]))
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (*end || errno || v > max)
		return -1;
	*out = v;
	return 0;
}

/* Parse one non-comment line into @pc; errors go to @e. */
static void parse_line(struct cfg_err *e, int line, char *s, struct config *c)
{
	static const char * const fields[] = {
		"NAME", "BASE_NODE", "GUARANTEE", "LIMIT", "PRIORITY", "STANDBY",
	};
	char *tok[8], *save = NULL, *t;
	struct pz_conf pc = { .line = line };
	const char *why;
	int nr = 0, bad = e->nr, i;
	long v;

	for (t = strtok_r(s, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
		if (nr == 7)
			break;
		tok[nr++] = t;
	}
	if (nr != 6) {
		if (nr < 6)
			cfg_error(e, line, "%d field%s, want 6: NAME BASE_NODE GUARANTEE LIMIT PRIORITY STANDBY (missing %s)",
				  nr, nr == 1 ? "" : "s", fields[nr]);
		else
			cfg_error(e, line, "more than 6 fields, want NAME BASE_NODE GUARANTEE LIMIT PRIORITY STANDBY");
		return;
	}
	why = pzone_name_error(tok[0]);
	if (why)
		cfg_error(e, line, "bad name '%s': %s", tok[0], why);
	else
		snprintf(pc.name, sizeof(pc.name), "%s", tok[0]);
	if (parse_int(tok[1], 1023, &v))
		cfg_error(e, line, "BASE_NODE '%s': not a node number", tok[1]);
	else
		pc.base = (int)v;
	parse_conf_size(e, line, "GUARANTEE", tok[2], &pc.guarantee);
	parse_conf_size(e, line, "LIMIT", tok[3], &pc.limit);
	if (parse_int(tok[4], MAX_PRIORITY, &v))
		cfg_error(e, line, "PRIORITY '%s': not an integer from 0 to %d",
			  tok[4], MAX_PRIORITY);
	else
		pc.priority = (int)v;
	parse_conf_size(e, line, "STANDBY", tok[5], &pc.standby);
	if (e->nr != bad)
		return;
	if (!pc.guarantee) {
		cfg_error(e, line, "GUARANTEE must be greater than 0");
		return;
	}
	if (pc.limit < pc.guarantee) {
		cfg_error(e, line, "LIMIT %s is smaller than GUARANTEE %s", tok[3], tok[2]);
		return;
	}
	if (pc.standby > pc.limit - pc.guarantee) {
		cfg_error(e, line, "STANDBY %s is more than LIMIT - GUARANTEE (%" PRIu64
			  " bytes): standby is released into the pzone on OOM and must fit under the limit",
			  tok[5], pc.limit - pc.guarantee);
		return;
	}
	for (i = 0; i < c->nr; i++) {
		if (!strcmp(c->pz[i].name, pc.name)) {
			cfg_error(e, line, "pzone '%s' already defined on line %d",
				  pc.name, c->pz[i].line);
			return;
		}
	}
	if (c->nr == MAX_PZONES) {
		cfg_error(e, line, "more than %d pzones", MAX_PZONES);
		return;
	}
	c->pz[c->nr++] = pc;
}

/* Safety margin of a base node: max(256 MiB, capacity / 8), whole blocks. */
static uint64_t base_margin(uint64_t capacity)
{
	uint64_t m = capacity / 8;

	if (m < 256 * MIB)
		m = 256 * MIB;
	return m - m % block;
}

/*
 * Memory of base node @base that guarantees may promise: its MemTotal plus
 * what the pzones of @c built on it hold now (their size and standby left
 * the base node's MemTotal).  Pzones not in @c stay subtracted.
 */
static int base_capacity(const struct config *c, int base, uint64_t *cap,
			 bool *normal)
{
	uint64_t total, nfree, managed;
	int i, err;

	err = pzone_node_meminfo(&ctx, base, "MemTotal", &total);
	if (err)
		return err;
	/* pzones are made of ZONE_NORMAL blocks only */
	*normal = !pzone_zone_info(&ctx, base, "Normal", &nfree, &managed) &&
		  managed < total;
	if (*normal)
		total = managed;
	for (i = 0; i < c->nr; i++) {
		int64_t b, sz, sb;

		if (c->pz[i].base != base || c->pz[i].oci ||
		    !pzone_exists(&ctx, c->pz[i].name))
			continue;
		if (pzone_attr_read_s64(&ctx, c->pz[i].name, "base_node", &b) ||
		    b != base)
			continue;
		if (!pzone_attr_read_s64(&ctx, c->pz[i].name, "size_bytes", &sz) &&
		    sz > 0)
			total += (uint64_t)sz;
		if (!pzone_attr_read_s64(&ctx, c->pz[i].name, "standby_bytes", &sb) &&
		    sb > 0)
			total += (uint64_t)sb;
	}
	*cap = total;
	return 0;
}

/* Checks against the running system: base nodes exist, guarantees fit. */
static void check_system(struct cfg_err *e, const struct config *c)
{
	int i, j;

	for (i = 0; i < c->nr; i++) {
		const struct pz_conf *p = &c->pz[i];
		uint64_t cap, margin, sum = 0;
		int last = p->line, seen = 0;
		bool normal = false;
		char s1[32], s2[32], s3[32], s4[32];
		int64_t b;
		int err;

		/* a hook's pzone exists already: nothing to promise */
		if (p->oci)
			continue;
		if (pzone_exists(&ctx, p->name) &&
		    !pzone_attr_read_s64(&ctx, p->name, "base_node", &b) && b != p->base)
			cfg_error(e, p->line, "pzone '%s' exists with base node %" PRId64
				  ", not %d (destroy it first to move it)", p->name, b, p->base);
		for (j = 0; j < i; j++)
			if (c->pz[j].base == p->base && !c->pz[j].oci)
				seen = 1;
		if (seen)
			continue;
		err = base_capacity(c, p->base, &cap, &normal);
		if (err) {
			cfg_error(e, p->line, "base node %d: %s", p->base,
				  err == -ENOENT ? "no such node (no nodeN/meminfo)" :
				  strerror(-err));
			continue;
		}
		for (j = i; j < c->nr; j++) {
			if (c->pz[j].base != p->base || c->pz[j].oci)
				continue;
			sum += c->pz[j].guarantee + c->pz[j].standby;
			last = c->pz[j].line;
		}
		margin = base_margin(cap);
		if (sum + margin > cap) {
			fmt_bytes(s1, sizeof(s1), (int64_t)sum);
			fmt_bytes(s2, sizeof(s2), cap > margin ? (int64_t)(cap - margin) : 0);
			fmt_bytes(s3, sizeof(s3), (int64_t)cap);
			fmt_bytes(s4, sizeof(s4), (int64_t)margin);
			cfg_error(e, last, "base node %d: guarantees plus standby add up to %s (%"
				  PRIu64 " bytes), more than the %s it can promise (%s %s minus a safety margin of %s)",
				  p->base, s1, sum, s2, normal ? "ZONE_NORMAL" : "MemTotal", s3, s4);
		}
	}
}

static uint64_t oci_signature(void);
static void oci_load(struct config *c, FILE *out);

/*
 * Parse and validate @path into @c (and the records of oci_dir).  Errors go to @out (or the log when
 * NULL), one line each, "pzoned: PATH:LINE: why".
 * Return: the number of errors (0: @c is valid).
 */
static int config_load(const char *path, struct config *c, FILE *out,
		       bool system)
{
	struct cfg_err e = { .out = out, .path = path };
	char *buf = NULL;
	size_t cap = 0;
	int line = 0;
	FILE *f;

	memset(c, 0, sizeof(*c));
	/* before reading: a record that changes meanwhile reloads again */
	oci_sig = oci_signature();
	f = fopen(path, "re");
	if (!f) {
		cfg_error(&e, 0, "%s", strerror(errno));
		return e.nr;
	}
	while (getline(&buf, &cap, f) >= 0) {
		char *s = buf, *hash;

		line++;
		hash = strchr(s, '#');
		if (hash)
			*hash = '\0';
		s[strcspn(s, "\r\n")] = '\0';
		while (isspace((unsigned char)*s))
			s++;
		if (!*s)
			continue;
		parse_line(&e, line, s, c);
	}
	if (ferror(f))
		cfg_error(&e, 0, "read error");
	free(buf);
	fclose(f);
	if (!e.nr)
		oci_load(c, out);
	if (!e.nr && system)
		check_system(&e, c);
	if (e.nr > MAX_ERRORS) {
		if (out)
			fprintf(out, PROG ": %s: %d more errors not shown\n", path,
				e.nr - MAX_ERRORS);
		else
			log_note(NULL, "%s: %d more errors not shown", path,
				 e.nr - MAX_ERRORS);
	}
	return e.nr;
}

/* ---- pzones of OCI containers (records of pzonectl oci-hook) ---- */

/*
 * A signature of the records directory: names, inodes, sizes and change
 * times of its entries.  The tick compares it to see records come and go
 * (a directory's own mtime has only jiffy resolution).
 */
static uint64_t oci_signature(void)
{
	uint64_t h = 1469598103934665603ULL;
	struct dirent *de;
	DIR *dir;

	if (!oci_dir || !(dir = opendir(oci_dir)))
		return 0;
	while ((de = readdir(dir))) {
		char path[PZONE_PATH_MAX];
		const char *n;
		struct stat st;
		uint64_t v[4];
		size_t i;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", oci_dir, de->d_name);
		if (stat(path, &st))
			continue;
		v[0] = (uint64_t)st.st_ino;
		v[1] = (uint64_t)st.st_size;
		v[2] = (uint64_t)st.st_ctim.tv_sec;
		v[3] = (uint64_t)st.st_ctim.tv_nsec;
		for (n = de->d_name; *n; n++)
			h = (h ^ (unsigned char)*n) * 1099511628211ULL;
		for (i = 0; i < 4; i++)
			h = (h ^ v[i]) * 1099511628211ULL;
	}
	closedir(dir);
	return h ? h : 1;
}

/* A record that cannot be used is reported and skipped; the config stands. */
static void oci_skip(FILE *out, const char *file, const char *why)
{
	if (out)
		fprintf(out, PROG ": %s/%s: %s: ignored\n", oci_dir, file, why);
	else
		log_note(NULL, "%s/%s: %s: ignored", oci_dir, file, why);
}

/*
 * Add a pzone for every record in oci_dir to @c, after the config file's:
 * guarantee and limit from the record, priority 0.  They are adopted when
 * they exist and never created; pzones the config file names win.
 */
static void oci_load(struct config *c, FILE *out)
{
	struct dirent *de;
	DIR *dir;
	int i;

	if (!oci_dir || !(dir = opendir(oci_dir)))
		return;
	while ((de = readdir(dir))) {
		char path[PZONE_PATH_MAX], buf[8192], why[OCI_ERR_MAX];
		struct pz_conf pc = { .oci = true };
		struct oci_record r;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", oci_dir, de->d_name);
		if (pzone_read_file(&ctx, path, buf, sizeof(buf))) {
			oci_skip(out, de->d_name, "unreadable");
			continue;
		}
		if (oci_record_parse(buf, &r, why, sizeof(why))) {
			oci_skip(out, de->d_name, why);
			continue;
		}
		if (strcmp(r.name, de->d_name)) {
			oci_skip(out, de->d_name, "the file name is not the pzone's name");
			continue;
		}
		for (i = 0; i < c->nr; i++)
			if (!strcmp(c->pz[i].name, r.name))
				break;
		if (i < c->nr) {
			snprintf(why, sizeof(why), "pzone %s is in the config file (line %d), which wins",
				 r.name, c->pz[i].line);
			oci_skip(out, de->d_name, why);
			continue;
		}
		if (c->nr == MAX_PZONES) {
			oci_skip(out, de->d_name, "more than 64 pzones");
			continue;
		}
		snprintf(pc.name, sizeof(pc.name), "%s", r.name);
		pc.base = r.base_node;
		pc.guarantee = r.guarantee;
		pc.limit = r.limit;
		pc.standby = r.standby;
		c->pz[c->nr++] = pc;
	}
	closedir(dir);
}

/* ---- sysfs state ---- */

static void pz_close_events(struct pz *p)
{
	if (p->fd >= 0)
		close(p->fd);
	p->fd = -1;
}

static void pz_open_events(struct pz *p)
{
	int fd;

	if (p->fd >= 0)
		return;
	fd = pzone_events_open(&ctx, p->c.name);
	if (fd < 0) {
		if (!noevents_logged) {
			log_note(p->c.name, "no events file (%s): kernel without pzone events, falling back to polling free_bytes every %d ms",
				 strerror(-fd), NOEVENTS_MS);
			noevents_logged = true;
		}
		return;
	}
	p->fd = fd;
	/* read to EOF before the first poll() */
	if (pzone_events_read(fd, &p->ev))
		memset(&p->ev, 0xff, sizeof(p->ev));
}

/* Re-read size, free memory and standby; false if the pzone is gone. */
static bool pz_refresh(struct pz *p)
{
	int64_t v;

	if (pzone_attr_read_s64(&ctx, p->c.name, "size_bytes", &p->size)) {
		p->present = false;
		pz_close_events(p);
		return false;
	}
	p->present = true;
	if (pzone_attr_read_s64(&ctx, p->c.name, "free_bytes", &p->free_bytes))
		p->free_bytes = -1;
	if (p->node < 0 && !pzone_attr_read_s64(&ctx, p->c.name, "node", &v))
		p->node = v;
	p->has_standby = !pzone_attr_read_s64(&ctx, p->c.name, "standby_bytes", &v);
	p->standby = p->has_standby ? v : 0;
	p->inactive_file = -1;
	if (p->node >= 0) {
		uint64_t ib;

		if (!pzone_node_meminfo(&ctx, (int)p->node, "Inactive(file)", &ib))
			p->inactive_file = (int64_t)ib;
	}
	return true;
}

/*
 * pz_refresh() and the high watermarks, which only shrinks need: kept out
 * of pz_refresh() so that answering an event does not parse zoneinfo.
 */
static bool pz_refresh_all(struct pz *p)
{
	if (!pz_refresh(p))
		return false;
	if (p->node < 0 || pzone_node_wmark_high(&ctx, (int)p->node, &p->wmark_high))
		p->wmark_high = 0;
	return true;
}

static int64_t base_free(int base)
{
	uint64_t v;

	if (pzone_node_meminfo(&ctx, base, "MemFree", &v))
		return -1;
	return (int64_t)v;
}

static uint64_t round_down(uint64_t v)
{
	return v - v % block;
}

/*
 * What base node @base can lend now: its free memory above base_keep, and
 * no more than the free memory of its ZONE_NORMAL, the only zone a grow
 * takes blocks from (when /proc/zoneinfo says).
 */
static uint64_t base_lendable(int base)
{
	uint64_t nfree, managed, lend;
	int64_t bf = base_free(base);

	if (bf < 0 || (uint64_t)bf <= tun.base_keep)
		return 0;
	lend = (uint64_t)bf - tun.base_keep;
	if (!pzone_zone_info(&ctx, base, "Normal", &nfree, &managed) && nfree < lend)
		lend = nfree;
	return round_down(lend);
}

static uint64_t round_up(uint64_t v)
{
	uint64_t r;

	return pzone_round_up(v, block, &r) ? v : r;
}

/* ---- error policy (STYLE.md section 8) ---- */

enum verdict { V_OK, V_RETRY, V_BACKOFF, V_WAIT_CONFIG, V_STOP, V_NOROOM };

static void backoff(struct pz *p, uint64_t now)
{
	p->backoff_ms = p->backoff_ms ? p->backoff_ms * 2 : BACKOFF_MIN_MS;
	if (p->backoff_ms > BACKOFF_MAX_MS)
		p->backoff_ms = BACKOFF_MAX_MS;
	p->backoff_until = now + ms_us(p->backoff_ms);
}

static void error_reason(struct pz *p, int err, const char *what, char *buf,
			 size_t len)
{
	char why[PZONE_VAL_MAX];

	pzone_reason(&ctx, p ? p->c.name : NULL, err, why, sizeof(why));
	snprintf(buf, len, "%s: %s (%s)", what, why, strerror(-err));
}

/*
 * Resize @p to @target (with "reclaim" if asked).  Handles the error policy
 * and logs the decision.  @t_event is the event this answers, for the
 * latency field.  Returns a verdict.
 */
static enum verdict pz_resize(struct pz *p, uint64_t target, bool reclaim,
			      const char *reason, uint64_t t_event)
{
	int64_t from = p->size;
	bool grow = (int64_t)target > from;
	char why[PZONE_VAL_MAX * 2 + 64], what[64];
	int err = 0, i;

	if ((int64_t)target == from)
		return V_OK;
	for (i = 0; i < EAGAIN_RETRIES; i++) {
		err = dry_run ? 0 : pzone_resize(&ctx, p->c.name, target, reclaim);
		if (err != -EAGAIN)
			break;
	}
	if (!err) {
		p->size = (int64_t)target;
		if (p->free_bytes >= 0)
			p->free_bytes += (int64_t)target - from;
		p->backoff_ms = 0;
		log_decision(p->c.name, grow ? "grow" : "shrink", from, (int64_t)target,
			     reason, t_event);
		return V_OK;
	}
	snprintf(what, sizeof(what), "%s to %" PRIu64 "%s", grow ? "grow" : "shrink",
		 target, reclaim ? " reclaim" : "");
	error_reason(p, err, what, why, sizeof(why));
	switch (err) {
	case -EAGAIN:
	case -EBUSY:
	case -ENOMEM:
	case -EINTR:
		backoff(p, mono_us());
		log_decision(p->c.name, "error", from, (int64_t)target, why, 0);
		return V_BACKOFF;
	case -ENOSPC:
		/* shrink: the headroom rule; grow: nothing left to give */
		log_decision(p->c.name, "error", from, (int64_t)target, why, 0);
		if (grow)
			backoff(p, mono_us());
		return V_NOROOM;
	default:
		log_decision(p->c.name, "error", from, (int64_t)target, why, 0);
		log_note(p->c.name, "no longer managed after this error (SIGHUP to retry)");
		p->managed = false;
		pz_close_events(p);
		return V_STOP;
	}
}

/* Set the standby of @p to what its config and limit allow. */
static void pz_standby(struct pz *p, uint64_t now)
{
	uint64_t want, room;
	char why[PZONE_VAL_MAX * 2 + 64], what[64];
	int err = 0, i;

	if (!p->has_standby || !p->present || p->size < 0 || now < p->backoff_until)
		return;
	room = (uint64_t)p->size < p->c.limit ? p->c.limit - (uint64_t)p->size : 0;
	want = round_down(p->c.standby < room ? p->c.standby : room);
	if ((int64_t)want == p->standby)
		return;
	/* taking a standby is a grow of the base node's lending: keep its reserve */
	if ((int64_t)want > p->standby &&
	    base_lendable(p->c.base) < want - (uint64_t)p->standby)
		return;
	for (i = 0; i < EAGAIN_RETRIES; i++) {
		err = dry_run ? 0 : pzone_set_standby(&ctx, p->c.name, want);
		if (err != -EAGAIN)
			break;
	}
	if (!err) {
		log_decision(p->c.name, "standby", p->standby, (int64_t)want,
			     (int64_t)want > p->standby ? "refill standby" :
			     "standby must fit under the limit", 0);
		p->standby = (int64_t)want;
		return;
	}
	snprintf(what, sizeof(what), "standby to %" PRIu64, want);
	error_reason(p, err, what, why, sizeof(why));
	log_decision(p->c.name, "error", p->standby, (int64_t)want, why, 0);
	backoff(p, now);
}

/* ---- policy ---- */

static bool pz_usable(const struct pz *p)
{
	return p->managed && p->present && p->size >= 0;
}

/*
 * Free memory a pzone keeps when it shrinks: --low-free, or the high
 * watermarks of its zones if larger (the kernel refuses a shrink that
 * leaves less: vm.watermark_scale_factor makes them large), plus one grow
 * step.
 */
static uint64_t pz_keep(const struct pz *p)
{
	uint64_t wm = p->wmark_high;

	return (wm > tun.low_free ? wm : tun.low_free) + tun.grow_step;
}

/* Free memory above the working set of @q that it can lend now. */
static uint64_t pz_slack(const struct pz *q, uint64_t now)
{
	uint64_t keep = pz_keep(q), above, freeb;

	if (!pz_usable(q) || q->free_bytes < 0 || (uint64_t)q->size <= q->c.guarantee)
		return 0;
	if (q->t_last_grow && now - q->t_last_grow < ms_us(DONOR_QUIET_MS))
		return 0;
	if (q->t_last_lend && now - q->t_last_lend < ms_us(LEND_SHRINK_MS))
		return 0;
	freeb = (uint64_t)q->free_bytes;
	if (freeb <= keep)
		return 0;
	above = (uint64_t)q->size - q->c.guarantee;
	return round_down(freeb - keep < above ? freeb - keep : above);
}

/*
 * Take @need bytes back from other pzones of base node @base (not @p) so the
 * base node can give them to @p (or keep them, @p NULL).  First free memory
 * above each donor's working set (lowest priority first, then most slack);
 * then, if @p outranks the donor or @p is NULL, "SIZE reclaim" down to the
 * donor's guarantee, which drops its clean page cache.  Returns the bytes
 * given back.
 */
static uint64_t reclaim_lent(int base, struct pz *p, uint64_t need,
			     const char *reason, uint64_t now)
{
	uint64_t got = 0;
	int pass, i;

	/* free memory may have changed since the last tick: re-read once */
	for (i = 0; i < nr_pzs; i++)
		if (&pzs[i] != p && pzs[i].c.base == base && pz_usable(&pzs[i]))
			pz_refresh_all(&pzs[i]);
	for (pass = 0; pass < 2 && got < need; pass++) {
		for (;;) {
			struct pz *best = NULL;
			uint64_t best_amt = 0, amt, target;

			for (i = 0; i < nr_pzs; i++) {
				struct pz *q = &pzs[i];

				if (q == p || q->c.base != base || !pz_usable(q) ||
				    now < q->backoff_until)
					continue;
				if (pass == 0) {
					amt = pz_slack(q, now);
				} else {
					uint64_t cold, keep = pz_keep(q);

					if (p && q->c.priority > p->c.priority)
						continue;
					if (q->t_last_lend && now - q->t_last_lend < ms_us(LEND_SHRINK_MS))
						continue;
					amt = (uint64_t)q->size > q->c.guarantee ?
					      (uint64_t)q->size - q->c.guarantee : 0;
					/* an equal peer gives free memory and cold cache only */
					cold = (q->free_bytes > 0 ? (uint64_t)q->free_bytes : 0) +
					       (q->inactive_file > 0 ? (uint64_t)q->inactive_file : 0);
					cold = cold > keep ? round_down(cold - keep) : 0;
					if (p && q->c.priority == p->c.priority && amt > cold)
						amt = cold;
				}
				if (!amt)
					continue;
				if (!best || q->c.priority < best->c.priority ||
				    (q->c.priority == best->c.priority && amt > best_amt)) {
					best = q;
					best_amt = amt;
				}
			}
			if (!best)
				break;
			amt = round_up(need - got);
			/*
			 * Free memory above a working set goes back to the base
			 * node in one go, up to the largest grow: the next steps
			 * of a growing pzone find it there instead of waiting
			 * for another lending shrink.
			 */
			if (pass == 0 && amt < tun.grow_max)
				amt = tun.grow_max;
			if (amt > best_amt)
				amt = best_amt;
			target = (uint64_t)best->size - amt;
			best->t_last_lend = now;
			if (pz_resize(best, target, pass == 1, reason, 0) == V_OK)
				got += amt;
			else if (pass == 0 && amt > block &&
				 pz_resize(best, (uint64_t)best->size - round_down(amt / 2),
					   false, reason, 0) == V_OK)
				got += round_down(amt / 2);
			if (got >= need)
				break;
		}
	}
	return got;
}

/* Grow @p by one step (answering the event at @p->t_event, if any). */
static void pz_grow(struct pz *p, const char *reason, uint64_t now)
{
	uint64_t step, target, need, lendable;
	char why[160];

	if ((uint64_t)p->size >= p->c.limit) {
		if (!p->at_limit_logged)
			log_note(p->c.name, "under pressure (%s) but at its limit (%" PRIu64 " bytes)",
				 reason, p->c.limit);
		p->at_limit_logged = true;
		p->t_event = 0;
		return;
	}
	p->at_limit_logged = false;
	/* consecutive grows double the step: a fast allocator gets ahead */
	if (p->t_last_grow && now - p->t_last_grow < ms_us(STEP_RESET_MS))
		step = p->step * 2;
	else
		step = tun.grow_step;
	if (step > tun.grow_max)
		step = tun.grow_max;
	if (step < tun.grow_step)
		step = tun.grow_step;
	/* after the standby was used, make room for a new one at once */
	if (p->c.standby > step && p->event_reason && !strcmp(p->event_reason, "oom"))
		step = p->c.standby;
	target = round_up((uint64_t)p->size + step);
	if (target > p->c.limit)
		target = p->c.limit;
	need = target - (uint64_t)p->size;

	lendable = base_lendable(p->c.base);
	if (lendable < need) {
		snprintf(why, sizeof(why), "lend to %s", p->c.name);
		lendable += reclaim_lent(p->c.base, p, need - lendable, why, now);
	}
	if (lendable < need) {
		if (lendable < block) {
			if (p->backoff_until <= now) {
				log_decision(p->c.name, "error", p->size, (int64_t)target,
					     "no memory to lend: base node and other pzones have none to spare", 0);
				backoff(p, now);
			}
			return;
		}
		target = (uint64_t)p->size + round_down(lendable);
	}
	snprintf(why, sizeof(why), "%s", reason);
	if (pz_resize(p, target, false, why, p->t_event) == V_OK) {
		bool oom = p->event_reason && !strcmp(p->event_reason, "oom");

		p->step = step;
		p->t_last_grow = now;
		p->t_free_since = 0;
		p->t_event = 0;
		p->event_reason = NULL;
		if (oom && p->has_standby) {
			p->standby = -1;	/* released by the kernel: re-read */
			if (pz_refresh(p))
				pz_standby(p, now);
		}
	}
}

/*
 * Can kswapd make room in @p by itself?  True while the pzone holds more
 * cold page cache (Inactive(file)) than two grow steps and its working set
 * is not refaulting: a grow would only feed the page cache.
 */
static bool pz_cache_covers(struct pz *p)
{
	int64_t rf = -1;
	bool refaulting;

	if (pzone_attr_kv(&ctx, p->c.name, "pressure", "refaults", &rf))
		rf = -1;
	refaulting = rf >= 0 && p->refaults >= 0 && rf > p->refaults;
	p->refaults = rf;
	return !refaulting && p->inactive_file >= 0 &&
	       (uint64_t)p->inactive_file > 2 * tun.grow_step;
}

/* Called on an event and on the fast re-checks: does @p need to grow? */
static void pz_pressure(struct pz *p, uint64_t now)
{
	const char *reason;

	if (!p->managed || now < p->backoff_until)
		return;
	if (!pz_refresh(p))
		return;
	if (p->t_event) {
		reason = p->event_reason ? p->event_reason : "event";
		/* a low event with plenty of cold cache: let kswapd work */
		if (strcmp(reason, "low") || !pz_cache_covers(p)) {
			pz_grow(p, reason, now);
			return;
		}
		if (debug)
			log_note(p->c.name, "low event: not growing, kswapd can reclaim %" PRId64
				 " bytes of cold page cache (free %" PRId64 ")",
				 p->inactive_file, p->free_bytes);
		p->t_event = 0;
		p->event_reason = NULL;
		return;
	}
	if (p->free_bytes >= 0 && (uint64_t)p->free_bytes < tun.low_free &&
	    !pz_cache_covers(p))
		pz_grow(p, "free below low_free", now);
}

/* Read the events file after a wake-up; note new pressure events. */
static void pz_events(struct pz *p, uint64_t t_recv)
{
	struct pzone_events old = p->ev;
	const char *reason = NULL;

	if (pzone_events_read(p->fd, &p->ev)) {
		pz_close_events(p);
		return;
	}
	if (p->ev.standby_used > old.standby_used || p->ev.oom > old.oom)
		reason = "oom";
	else if (p->ev.reclaim_failing > old.reclaim_failing)
		reason = "reclaim_failing";
	else if (p->ev.low > old.low)
		reason = "low";
	if (p->ev.oom_kill > old.oom_kill && old.oom_kill >= 0)
		log_note(p->c.name, "the kernel OOM-killed a task in this pzone (oom_kill %" PRId64 ")",
			 p->ev.oom_kill);
	if (debug)
		log_note(p->c.name, "events: low %" PRId64 " reclaim_failing %" PRId64
			 " oom %" PRId64 " oom_kill %" PRId64 " standby_used %" PRId64 "%s",
			 p->ev.low, p->ev.reclaim_failing, p->ev.oom, p->ev.oom_kill,
			 p->ev.standby_used, p->t_event ? " (a grow is already due)" : "");
	if (!reason)
		return;
	if (!p->t_event) {
		p->t_event = t_recv;
		p->event_reason = reason;
	} else if (!strcmp(reason, "oom")) {
		p->event_reason = reason;
	}
	p->hot_until = t_recv + ms_us(HOT_MS);
}

/* Create or adopt @p; once at start, after SIGHUP and on retries. */
static void pz_attach(struct pz *p, bool log_adopt)
{
	uint64_t now = mono_us();
	char why[PZONE_VAL_MAX * 2 + 64];
	bool was_present = p->present;
	int64_t b;
	int err;

	if (!p->managed || p->wait_config || now < p->backoff_until)
		return;
	if (pzone_exists(&ctx, p->c.name)) {
		if (!pzone_attr_read_s64(&ctx, p->c.name, "base_node", &b) &&
		    b != p->c.base) {
			snprintf(why, sizeof(why), "exists with base node %" PRId64
				 ", config says %d: not managed", b, p->c.base);
			log_decision(p->c.name, "error", -1, -1, why, 0);
			p->managed = false;
			return;
		}
		p->node = -1;
		if (!pz_refresh(p))
			return;
		pz_open_events(p);
		if (log_adopt || (p->c.oci && !was_present))
			log_decision(p->c.name, "adopt", p->size, p->size, p->c.oci ?
				     "pzone of an OCI container (oci-hook record)" :
				     "existing pzone taken over", 0);
		return;
	}
	/* a hook's pzone comes and goes with its container */
	if (p->c.oci)
		return;
	err = dry_run ? 0 : pzone_create(&ctx, p->c.name, p->c.base, p->c.guarantee, NULL);
	if (err) {
		error_reason(NULL, err, "create", why, sizeof(why));
		log_decision(p->c.name, "error", 0, (int64_t)p->c.guarantee, why, 0);
		if (err == -ENOSPC) {
			p->wait_config = true;
			log_note(p->c.name, "waiting for a config change (SIGHUP)");
		} else if (err == -ENOMEM || err == -EBUSY || err == -EAGAIN) {
			backoff(p, now);
		} else if (err != -EEXIST) {
			p->managed = false;
		}
		return;
	}
	log_decision(p->c.name, "create", 0, (int64_t)p->c.guarantee, "in config", 0);
	p->node = -1;
	p->backoff_ms = 0;
	if (pz_refresh(p))
		pz_open_events(p);
}

/* Idle shrink: hysteresis and rate limits (see the documentation). */
static void pz_idle(struct pz *p, uint64_t now)
{
	uint64_t used, target, keep = pz_keep(p), slack;
	bool reclaim;

	slack = p->free_bytes < 0 ? 0 : (uint64_t)p->free_bytes;
	if (p->inactive_file > 0)
		slack += (uint64_t)p->inactive_file;
	if (p->free_bytes < 0 || (uint64_t)p->size <= p->c.guarantee ||
	    slack * 100 <= (uint64_t)p->size * tun.shrink_free_pct) {
		p->t_free_since = 0;
		return;
	}
	if (!p->t_free_since) {
		p->t_free_since = now;
		return;
	}
	if (now - p->t_free_since < ms_us(tun.shrink_after_ms) ||
	    (p->t_last_grow && now - p->t_last_grow < ms_us(tun.shrink_after_ms)) ||
	    (p->t_last_shrink && now - p->t_last_shrink < ms_us(tun.shrink_every_ms)))
		return;
	used = (uint64_t)p->size - (slack < (uint64_t)p->size ? slack : (uint64_t)p->size);
	target = round_up(used + keep);
	if (target < p->c.guarantee)
		target = p->c.guarantee;
	if (target + tun.grow_step > (uint64_t)p->size)
		return;
	/* dropping cold cache is needed when the free memory alone is short */
	reclaim = (uint64_t)p->size - target + keep > (uint64_t)p->free_bytes;
	p->t_last_shrink = now;
	if (pz_resize(p, target, reclaim, reclaim ?
		      "idle: free memory and cold page cache above the working set" :
		      "idle: free memory above the working set", 0) == V_OK)
		p->t_free_since = 0;
}

/* The slow timer: guarantees, limits, base node pressure, idle shrinks, standby. */
static void tick(uint64_t now)
{
	int i, j;

	for (i = 0; i < nr_pzs; i++) {
		struct pz *p = &pzs[i];

		if (!p->managed)
			continue;
		if (!p->present) {
			pz_attach(p, false);
			continue;
		}
		if (!pz_refresh_all(p)) {
			log_decision(p->c.name, "error", -1, -1, p->c.oci ?
				     "pzone disappeared from sysfs (its container stopped?)" :
				     "pzone disappeared from sysfs; will recreate it", 0);
			continue;
		}
		if (p->fd < 0)
			pz_open_events(p);
		if (now < p->backoff_until)
			continue;
		if ((uint64_t)p->size < p->c.guarantee)
			pz_resize(p, p->c.guarantee, false, "below its guarantee", 0);
		else if ((uint64_t)p->size > p->c.limit)
			pz_resize(p, p->c.limit, true, "above its limit", 0);
		else if (p->t_event || (p->free_bytes >= 0 &&
					(uint64_t)p->free_bytes < tun.low_free))
			pz_pressure(p, now);
		else
			pz_idle(p, now);
	}
	/* the base node's own needs come first: take lent memory back */
	for (i = 0; i < nr_pzs; i++) {
		int base = pzs[i].c.base;
		int64_t bf;

		for (j = 0; j < i; j++)
			if (pzs[j].c.base == base)
				break;
		if (j < i)
			continue;
		bf = base_free(base);
		if (bf >= 0 && (uint64_t)bf < tun.base_keep / 2) {
			char why[64];

			snprintf(why, sizeof(why), "base node %d low on free memory", base);
			reclaim_lent(base, NULL, tun.base_keep - (uint64_t)bf, why, now);
		}
	}
	for (i = 0; i < nr_pzs; i++)
		if (pz_usable(&pzs[i]))
			pz_standby(&pzs[i], now);
}

/* ---- config application ---- */

static void pz_init(struct pz *p, const struct pz_conf *c)
{
	memset(p, 0, sizeof(*p));
	p->c = *c;
	p->managed = true;
	p->fd = -1;
	p->node = -1;
	p->size = -1;
	p->free_bytes = -1;
	p->inactive_file = -1;
	p->refaults = -1;
	p->step = tun.grow_step;
	memset(&p->ev, 0xff, sizeof(p->ev));
}

/* Make @c the running config: keep the state of pzones still in it. */
static void config_apply(const struct config *c, bool startup)
{
	static struct pz old[MAX_PZONES];
	int nr_old = nr_pzs, i, j;

	memcpy(old, pzs, sizeof(pzs));
	for (i = 0; i < c->nr; i++) {
		struct pz *p = &pzs[i];

		for (j = 0; j < nr_old; j++)
			if (old[j].c.name[0] && !strcmp(old[j].c.name, c->pz[i].name))
				break;
		if (j < nr_old) {
			*p = old[j];
			old[j].c.name[0] = '\0';
			p->c = c->pz[i];
			p->managed = true;
			p->wait_config = false;
			p->backoff_until = 0;
			p->backoff_ms = 0;
		} else {
			pz_init(p, &c->pz[i]);
		}
	}
	for (j = 0; j < nr_old; j++) {
		if (!old[j].c.name[0])
			continue;
		if (old[j].fd >= 0)
			close(old[j].fd);
		log_note(old[j].c.name, "not in the config any more: no longer managed, left as it is");
	}
	nr_pzs = c->nr;
	cfg = *c;
	for (i = 0; i < nr_pzs; i++) {
		bool existed = pzs[i].present;

		pz_attach(&pzs[i], startup || !existed);
	}
	tick(mono_us());
}

static void reload(const char *why)
{
	static struct config c;
	int nr;

	log_note(NULL, "%s: reloading %s", why, cfg_path);
	block = pzone_block_size(&ctx);
	nr = config_load(cfg_path, &c, NULL, true);
	if (nr) {
		log_decision("", "error", -1, -1,
			     "new config rejected: keeping the old one (see the lines above)", 0);
		return;
	}
	config_apply(&c, false);
	log_note(NULL, "config reloaded: %d pzone%s", c.nr, c.nr == 1 ? "" : "s");
}

/* Pzones of @c from the config file and from oci-hook records. */
static int nr_oci(const struct config *c)
{
	int i, n = 0;

	for (i = 0; i < c->nr; i++)
		n += c->pz[i].oci;
	return n;
}

/* ---- the loop ---- */

static int run(void)
{
	struct pollfd fds[MAX_PZONES + 1];
	int map[MAX_PZONES + 1];
	uint64_t next_tick;
	sigset_t mask;
	int sfd;

	sigemptyset(&mask);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	if (sigprocmask(SIG_BLOCK, &mask, NULL)) {
		fprintf(stderr, PROG ": sigprocmask: %s\n", strerror(errno));
		return EXIT_FAILURE;
	}
	sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sfd < 0) {
		fprintf(stderr, PROG ": signalfd: %s\n", strerror(errno));
		return EXIT_FAILURE;
	}
	signal(SIGPIPE, SIG_IGN);

	log_note(NULL, "started (pid %d): %d pzone%s from %s; grow_step %" PRIu64
		 " grow_max %" PRIu64 " low_free %" PRIu64 " shrink_free_pct %u shrink_after_ms %u shrink_every_ms %u base_keep %"
		 PRIu64 " tick_ms %u", (int)getpid(), cfg.nr, cfg.nr == 1 ? "" : "s",
		 cfg_path, tun.grow_step, tun.grow_max, tun.low_free,
		 tun.shrink_free_pct, tun.shrink_after_ms, tun.shrink_every_ms,
		 tun.base_keep, tun.tick_ms);
	config_apply(&cfg, true);
	next_tick = mono_us() + ms_us(tun.tick_ms);

	for (;;) {
		uint64_t now = mono_us(), deadline = next_tick, t_recv;
		int nfds = 0, timeout, n, i;

		fds[nfds].fd = sfd;
		fds[nfds].events = POLLIN;
		map[nfds++] = -1;
		for (i = 0; i < nr_pzs; i++) {
			struct pz *p = &pzs[i];

			if (!p->managed || !p->present)
				continue;
			if (p->fd >= 0) {
				fds[nfds].fd = p->fd;
				fds[nfds].events = POLLPRI | POLLERR;
				map[nfds++] = i;
			}
			/* fast re-checks: pressure, or no events file */
			if (p->fd < 0 || p->t_event || now < p->hot_until) {
				uint64_t t = p->t_next_poll;

				if (p->backoff_until > t)
					t = p->backoff_until;
				if (t < deadline)
					deadline = t;
			}
		}
		timeout = deadline > now ? (int)((deadline - now + 999) / 1000) : 0;
		n = poll(fds, (nfds_t)nfds, timeout);
		t_recv = mono_us();
		if (n < 0 && errno != EINTR) {
			log_note(NULL, "poll: %s", strerror(errno));
			return EXIT_FAILURE;
		}
		if (n > 0 && (fds[0].revents & POLLIN)) {
			struct signalfd_siginfo si;

			while (read(sfd, &si, sizeof(si)) == sizeof(si)) {
				if (si.ssi_signo == SIGHUP) {
					reload("SIGHUP");
				} else {
					log_note(NULL, "%s: exiting, pzones left as they are",
						 strsignal((int)si.ssi_signo));
					return 0;
				}
			}
		}
		/* events first: they are what the latency is measured on */
		for (i = 1; n > 0 && i < nfds; i++) {
			if (map[i] < 0 || map[i] >= nr_pzs ||
			    !(fds[i].revents & (POLLPRI | POLLERR)))
				continue;
			if (pzs[map[i]].fd == fds[i].fd)
				pz_events(&pzs[map[i]], t_recv);
		}
		for (i = 0; i < nr_pzs; i++) {
			struct pz *p = &pzs[i];

			now = mono_us();
			if (!p->managed || !p->present)
				continue;
			if (p->t_event ||
			    ((p->fd < 0 || now < p->hot_until) && now >= p->t_next_poll)) {
				p->t_next_poll = now + ms_us(p->fd < 0 ? NOEVENTS_MS : HOT_CHECK_MS);
				pz_pressure(p, now);
			}
		}
		now = mono_us();
		if (now >= next_tick && oci_dir && oci_signature() != oci_sig)
			reload(oci_dir);
		if (now >= next_tick) {
			tick(now);
			next_tick = now + ms_us(tun.tick_ms);
		}
	}
}

/* ---- main ---- */

static void usage(FILE *f)
{
	fprintf(f,
		"usage: " PROG " [options] CONFIG\n"
		"       " PROG " --check CONFIG\n\n"
		"pzone overcommit daemon: keeps every pzone of CONFIG at or above its\n"
		"guarantee and lends spare memory of the base node to pzones under\n"
		"pressure, up to their limit.\n\n"
		"CONFIG: one pzone per line, '#' comments, blank lines ok:\n"
		"  NAME BASE_NODE GUARANTEE LIMIT PRIORITY STANDBY\n"
		"  sizes in bytes with K/M/G suffix (rounded up to 4 MiB blocks),\n"
		"  PRIORITY 0-%d (higher keeps its memory longer).\n\n"
		"options:\n"
		"  -c, --check              validate CONFIG (syntax, base nodes, guarantee sums) and exit\n"
		"  -j, --json-log           log one JSON object per line\n"
		"  -n, --dry-run            decide and log, but write nothing\n"
		"  -v, --verbose            trace every sysfs read and write on stderr\n"
		"  -d, --debug              also log every event and every decision not to act\n"
		"      --grow-step SIZE     smallest grow (default 64M)\n"
		"      --grow-max SIZE      largest grow; consecutive grows double (default 512M)\n"
		"      --low-free SIZE      grow a pzone with less free memory (default 32M)\n"
		"      --shrink-free PCT    idle when more than PCT%% of it is free (default 25)\n"
		"      --shrink-after SECS  ... for SECS seconds, and no grow for as long (default 10)\n"
		"      --shrink-every SECS  at most one idle shrink per pzone per SECS (default 30)\n"
		"      --base-keep SIZE     free memory the base node keeps (default 256M)\n"
		"      --tick MS            slow timer period (default 1000)\n"
		"      --oci-dir DIR        also manage the pzones of OCI containers recorded\n"
		"                           in DIR by 'pzonectl oci-hook' (default $PZONE_OCI_DIR,\n"
		"                           else " OCI_STATE_DIR "; '' for none)\n"
		"  -h, --help               this help\n\n"
		"signals: SIGHUP reloads CONFIG (a bad one is rejected, the old one kept);\n"
		"SIGTERM/SIGINT exit and leave the pzones as they are.\n"
		"exit status: 0 ok, 1 invalid config or failure, 2 usage error,\n"
		"3 kernel without pzone support.\n", MAX_PRIORITY);
}

static int usage_err(const char *fmt, ...)
{
	va_list ap;

	fputs(PROG ": usage: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(" (try '" PROG " --help')\n", stderr);
	return EXIT_USAGE;
}

static int opt_size(const char *opt, const char *s, uint64_t *v)
{
	if (pzone_parse_size(s, v) || !*v)
		return usage_err("--%s '%s': not a size", opt, s);
	return 0;
}

static int opt_uint(const char *opt, const char *s, unsigned long max,
		    unsigned int *v)
{
	long l;

	if (parse_int(s, (long)max, &l))
		return usage_err("--%s '%s': not an integer from 0 to %lu", opt, s, max);
	*v = (unsigned int)l;
	return 0;
}

enum {
	O_GROW_STEP = 256, O_GROW_MAX, O_LOW_FREE, O_SHRINK_FREE,
	O_SHRINK_AFTER, O_SHRINK_EVERY, O_BASE_KEEP, O_TICK, O_OCI_DIR,
};

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "check",	  no_argument,	     NULL, 'c' },
		{ "json-log",	  no_argument,	     NULL, 'j' },
		{ "dry-run",	  no_argument,	     NULL, 'n' },
		{ "verbose",	  no_argument,	     NULL, 'v' },
		{ "debug",	  no_argument,	     NULL, 'd' },
		{ "help",	  no_argument,	     NULL, 'h' },
		{ "grow-step",	  required_argument, NULL, O_GROW_STEP },
		{ "grow-max",	  required_argument, NULL, O_GROW_MAX },
		{ "low-free",	  required_argument, NULL, O_LOW_FREE },
		{ "shrink-free",  required_argument, NULL, O_SHRINK_FREE },
		{ "shrink-after", required_argument, NULL, O_SHRINK_AFTER },
		{ "shrink-every", required_argument, NULL, O_SHRINK_EVERY },
		{ "base-keep",	  required_argument, NULL, O_BASE_KEEP },
		{ "tick",	  required_argument, NULL, O_TICK },
		{ "oci-dir",	  required_argument, NULL, O_OCI_DIR },
		{ NULL, 0, NULL, 0 },
	};
	bool check = false;
	unsigned int secs;
	int opt, ret = 0, nr, i;

	pzone_ctx_init(&ctx, PROG);
	setvbuf(stdout, NULL, _IOLBF, 0);
	oci_dir = getenv("PZONE_OCI_DIR");
	if (!oci_dir || !*oci_dir)
		oci_dir = OCI_STATE_DIR;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":cjnvdh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'c': check = true; break;
		case 'j': json_log = true; break;
		case 'n': dry_run = true; break;
		case 'v': ctx.trace = stderr; break;
		case 'd': debug = true; break;
		case 'h': usage(stdout); return 0;
		case O_GROW_STEP: ret = opt_size("grow-step", optarg, &tun.grow_step); break;
		case O_GROW_MAX: ret = opt_size("grow-max", optarg, &tun.grow_max); break;
		case O_LOW_FREE: ret = opt_size("low-free", optarg, &tun.low_free); break;
		case O_BASE_KEEP: ret = opt_size("base-keep", optarg, &tun.base_keep); break;
		case O_SHRINK_FREE:
			ret = opt_uint("shrink-free", optarg, 100, &tun.shrink_free_pct);
			break;
		case O_SHRINK_AFTER:
			ret = opt_uint("shrink-after", optarg, 86400, &secs);
			tun.shrink_after_ms = secs * 1000;
			break;
		case O_SHRINK_EVERY:
			ret = opt_uint("shrink-every", optarg, 86400, &secs);
			tun.shrink_every_ms = secs * 1000;
			break;
		case O_OCI_DIR:
			oci_dir = *optarg ? optarg : NULL;
			break;
		case O_TICK:
			ret = opt_uint("tick", optarg, 60000, &tun.tick_ms);
			if (!ret && tun.tick_ms < 10)
				ret = usage_err("--tick '%s': at least 10 ms", optarg);
			break;
		case ':':
			return usage_err("option '%s' needs a value", argv[optind - 1]);
		default:
			return usage_err("unknown option '%s'", argv[optind - 1]);
		}
		if (ret)
			return ret;
	}
	if (optind >= argc)
		return usage_err("missing CONFIG");
	if (optind + 1 < argc)
		return usage_err("unexpected argument '%s'", argv[optind + 1]);
	cfg_path = argv[optind];
	if (tun.grow_max < tun.grow_step)
		tun.grow_max = tun.grow_step;

	if (pzone_is_supported(&ctx))
		block = pzone_block_size(&ctx);
	else if (!check) {
		fprintf(stderr, PROG ": kernel has no pzone support (no /sys/devices/system/pzone)\n");
		return EXIT_NOSUPPORT;
	}
	tun.grow_step = round_up(tun.grow_step);
	tun.grow_max = round_up(tun.grow_max);

	nr = config_load(cfg_path, &cfg, stderr, true);
	if (nr) {
		fprintf(stderr, PROG ": %s: %d error%s, nothing applied\n", cfg_path, nr,
			nr == 1 ? "" : "s");
		return EXIT_FAILURE;
	}
	if (check) {
		printf("%s: ok: %d pzone%s", cfg_path, cfg.nr, cfg.nr == 1 ? "" : "s");
		if (nr_oci(&cfg))
			printf(" (%d from %s)", nr_oci(&cfg), oci_dir);
		printf("\n");
		for (i = 0; i < cfg.nr; i++) {
			const struct pz_conf *p = &cfg.pz[i];

			printf("  %s: base node %d, guarantee %" PRIu64 ", limit %" PRIu64
			       ", priority %d, standby %" PRIu64 "%s\n", p->name, p->base,
			       p->guarantee, p->limit, p->priority, p->standby,
			       p->oci ? " (OCI container)" : "");
		}
		return 0;
	}
	return run();
}
