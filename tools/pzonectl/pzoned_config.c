// SPDX-License-Identifier: GPL-2.0
/*
 * pzoned's configuration: parse CONFIG and the oci-hook records, check
 * them against the running system (base nodes exist, guarantees fit).
 * Format and messages: pzoned(8).
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "libpzone.h"
#include "oci_hook.h"
#include "pzoned_config.h"

#define PROG		"pzoned"
#define MIB		(1024ULL * 1024ULL)

/* ---- config parsing ---- */

struct cfg_err {
	struct pzd_cfg_env *env;
	int nr;
	FILE *out;		/* NULL: env->note() instead */
	const char *path;
};

static void cfg_error(struct cfg_err *e, int line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	e->nr++;
	if (e->nr > PZD_MAX_ERRORS)
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
		char full[1024];

		if (line)
			snprintf(full, sizeof(full), "%s:%d: %s", e->path, line, msg);
		else
			snprintf(full, sizeof(full), "%s: %s", e->path, msg);
		e->env->note(full);
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
	if (pzone_round_up(v, e->env->block, out) || *out > (UINT64_MAX >> 2)) {
		cfg_error(e, line, "%s '%s': size too large", what, s);
		return -1;
	}
	return 0;
}

int pzd_parse_int(const char *s, long max, long *out)
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
		if (nr == 8)
			break;
		tok[nr++] = t;
	}
	if (nr < 6) {
		cfg_error(e, line, "%d field%s, want 6: NAME BASE_NODE GUARANTEE LIMIT PRIORITY STANDBY (missing %s)",
			  nr, nr == 1 ? "" : "s", fields[nr]);
		return;
	}
	if (nr > 7) {
		cfg_error(e, line, "more than 7 fields, want NAME BASE_NODE GUARANTEE LIMIT PRIORITY STANDBY [kernel_limit=SIZE]");
		return;
	}
	if (nr == 7) {
		if (strncmp(tok[6], "kernel_limit=", 13)) {
			cfg_error(e, line, "field 7 '%s': want kernel_limit=SIZE", tok[6]);
			return;
		}
		parse_conf_size(e, line, "kernel_limit", tok[6] + 13, &pc.kernel_limit);
		if (e->nr != bad)
			return;
		if (!pc.kernel_limit) {
			cfg_error(e, line, "kernel_limit must be greater than 0 (leave it out for no limit)");
			return;
		}
	}
	why = pzone_name_error(tok[0]);
	if (why)
		cfg_error(e, line, "bad name '%s': %s", tok[0], why);
	else
		snprintf(pc.name, sizeof(pc.name), "%s", tok[0]);
	if (pzd_parse_int(tok[1], 1023, &v))
		cfg_error(e, line, "BASE_NODE '%s': not a node number", tok[1]);
	else
		pc.base = (int)v;
	parse_conf_size(e, line, "GUARANTEE", tok[2], &pc.guarantee);
	parse_conf_size(e, line, "LIMIT", tok[3], &pc.limit);
	if (pzd_parse_int(tok[4], PZD_MAX_PRIORITY, &v))
		cfg_error(e, line, "PRIORITY '%s': not an integer from 0 to %d",
			  tok[4], PZD_MAX_PRIORITY);
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
	if (c->nr == PZD_MAX_PZONES) {
		cfg_error(e, line, "more than %d pzones", PZD_MAX_PZONES);
		return;
	}
	c->pz[c->nr++] = pc;
}

/* Safety margin of a base node: max(256 MiB, capacity / 8), whole blocks. */
static uint64_t base_margin(uint64_t capacity, uint64_t block)
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
static int base_capacity(const struct pzone_ctx *ctx, const struct config *c,
			 int base, uint64_t *cap, bool *normal)
{
	uint64_t total, nfree, managed;
	int i, err;

	err = pzone_node_meminfo(ctx, base, "MemTotal", &total);
	if (err)
		return err;
	/* pzones are made of ZONE_NORMAL blocks only */
	*normal = !pzone_zone_info(ctx, base, "Normal", &nfree, &managed) &&
		  managed < total;
	if (*normal)
		total = managed;
	for (i = 0; i < c->nr; i++) {
		int64_t b, sz, sb;

		if (c->pz[i].base != base || c->pz[i].oci ||
		    !pzone_exists(ctx, c->pz[i].name))
			continue;
		if (pzone_attr_read_s64(ctx, c->pz[i].name, "base_node", &b) ||
		    b != base)
			continue;
		if (!pzone_attr_read_s64(ctx, c->pz[i].name, "size_bytes", &sz) &&
		    sz > 0)
			total += (uint64_t)sz;
		if (!pzone_attr_read_s64(ctx, c->pz[i].name, "standby_bytes", &sb) &&
		    sb > 0)
			total += (uint64_t)sb;
	}
	*cap = total;
	return 0;
}

/* Checks against the running system: base nodes exist, guarantees fit. */
static void check_system(struct cfg_err *e, const struct config *c)
{
	const struct pzone_ctx *ctx = e->env->ctx;
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
		if (pzone_exists(ctx, p->name) &&
		    !pzone_attr_read_s64(ctx, p->name, "base_node", &b) && b != p->base)
			cfg_error(e, p->line, "pzone '%s' exists with base node %" PRId64
				  ", not %d (destroy it first to move it)", p->name, b, p->base);
		for (j = 0; j < i; j++)
			if (c->pz[j].base == p->base && !c->pz[j].oci)
				seen = 1;
		if (seen)
			continue;
		err = base_capacity(e->env->ctx, c, p->base, &cap, &normal);
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
		margin = base_margin(cap, e->env->block);
		if (sum + margin > cap) {
			pzone_fmt_size(s1, sizeof(s1), (int64_t)sum);
			pzone_fmt_size(s2, sizeof(s2), cap > margin ? (int64_t)(cap - margin) : 0);
			pzone_fmt_size(s3, sizeof(s3), (int64_t)cap);
			pzone_fmt_size(s4, sizeof(s4), (int64_t)margin);
			cfg_error(e, last, "base node %d: guarantees plus standby add up to %s (%"
				  PRIu64 " bytes), more than the %s it can promise (%s %s minus a safety margin of %s)",
				  p->base, s1, sum, s2, normal ? "ZONE_NORMAL" : "MemTotal", s3, s4);
		}
	}
}

static void oci_load(struct cfg_err *e, struct config *c, FILE *out);

/*
 * Parse and validate @path into @c (and the records of oci_dir).  Errors go to @out (or the log when
 * NULL), one line each, "pzoned: PATH:LINE: why".
 * Return: the number of errors (0: @c is valid).
 */
int pzd_config_load(struct pzd_cfg_env *env, const char *path,
		    struct config *c, FILE *out, bool system)
{
	struct cfg_err e = { .env = env, .out = out, .path = path };
	char *buf = NULL;
	size_t cap = 0;
	int line = 0;
	FILE *f;

	memset(c, 0, sizeof(*c));
	/* before reading: a record that changes meanwhile reloads again */
	env->oci_sig = pzd_oci_signature(env->oci_dir);
	f = fopen(path, "re");
	if (!f && errno == ENOENT && env->missing_ok) {
		/* the default path, absent: built-in defaults, no pzones of its own */
		goto records;
	}
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
records:
	if (!e.nr)
		oci_load(&e, c, out);
	if (!e.nr && system)
		check_system(&e, c);
	if (e.nr > PZD_MAX_ERRORS) {
		if (out)
			fprintf(out, PROG ": %s: %d more errors not shown\n", path,
				e.nr - PZD_MAX_ERRORS);
		else
		{
			char msg[1024];

			snprintf(msg, sizeof(msg), "%s: %d more errors not shown", path,
				 e.nr - PZD_MAX_ERRORS);
			env->note(msg);
		}
	}
	return e.nr;
}

/* ---- pzones of OCI containers (records of pzonectl oci-hook) ---- */

/*
 * A signature of the records directory: names, inodes, sizes and change
 * times of its entries.  The tick compares it to see records come and go
 * (a directory's own mtime has only jiffy resolution).
 */
uint64_t pzd_oci_signature(const char *oci_dir)
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
static void oci_skip(struct cfg_err *e, FILE *out, const char *file,
		     const char *why)
{
	if (out)
		fprintf(out, PROG ": %s/%s: %s: ignored\n", e->env->oci_dir, file, why);
	else
	{
		char msg[1024];

		snprintf(msg, sizeof(msg), "%s/%s: %s: ignored", e->env->oci_dir, file, why);
		e->env->note(msg);
	}
}

/*
 * Add a pzone for every record in oci_dir to @c, after the config file's:
 * guarantee and limit from the record, priority 0.  They are adopted when
 * they exist and never created; pzones the config file names win.
 */
static void oci_load(struct cfg_err *e, struct config *c, FILE *out)
{
	const char *oci_dir = e->env->oci_dir;
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
		if (pzone_read_file(e->env->ctx, path, buf, sizeof(buf))) {
			oci_skip(e, out, de->d_name, "unreadable");
			continue;
		}
		if (oci_record_parse(buf, &r, why, sizeof(why))) {
			oci_skip(e, out, de->d_name, why);
			continue;
		}
		if (strcmp(r.name, de->d_name)) {
			oci_skip(e, out, de->d_name, "the file name is not the pzone's name");
			continue;
		}
		for (i = 0; i < c->nr; i++)
			if (!strcmp(c->pz[i].name, r.name))
				break;
		if (i < c->nr) {
			snprintf(why, sizeof(why), "pzone %s is in the config file (line %d), which wins",
				 r.name, c->pz[i].line);
			oci_skip(e, out, de->d_name, why);
			continue;
		}
		if (c->nr == PZD_MAX_PZONES) {
			oci_skip(e, out, de->d_name, "more than 64 pzones");
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

/* Pzones of @c from oci-hook records (the others come from the file). */
int pzd_nr_oci(const struct config *c)
{
	int i, n = 0;

	for (i = 0; i < c->nr; i++)
		n += c->pz[i].oci;
	return n;
}
