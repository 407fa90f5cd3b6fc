// SPDX-License-Identifier: GPL-2.0
/*
 * The command-line option parser shared by pzonectl and pzoned
 * (see opts.h).
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "opts.h"

void opts_init(struct opts *p, const struct opt *table, size_t nr,
	       unsigned int mask, unsigned int flags, int argc, char **argv,
	       int first)
{
	memset(p, 0, sizeof(*p));
	p->table = table;
	p->nr = nr;
	p->mask = mask;
	p->flags = flags;
	p->argc = argc;
	p->argv = argv;
	p->next = first;
}

static bool usable(const struct opts *p, const struct opt *o)
{
	return !o->mask || (o->mask & p->mask);
}

const struct opt *opts_find(const struct opt *table, size_t nr, const char *name)
{
	size_t i;

	for (i = 0; i < nr; i++)
		if (!strcmp(table[i].name, name))
			return &table[i];
	return NULL;
}

bool opts_is_option(const struct opts *p, const char *s)
{
	if (p->dashdash || s[0] != '-' || !s[1])
		return false;
	if ((p->flags & OPTS_NEGATIVE) && isdigit((unsigned char)s[1]))
		return false;
	return true;
}

static int found(struct opts *p, const struct opt *o, const char *val)
{
	p->opt = o;
	p->arg = val;
	return o->id;
}

static int error(struct opts *p, const char *fmt, const char *what)
{
	snprintf(p->err, sizeof(p->err), fmt, what);
	return OPTS_ERROR;
}

static int next_short(struct opts *p)
{
	const struct opt *o = NULL;
	char c = *p->bundle++;
	char name[3] = { '-', c, '\0' };
	size_t i;

	for (i = 0; i < p->nr; i++)
		if (p->table[i].short_name == c && usable(p, &p->table[i]))
			o = &p->table[i];
	if (!o) {
		p->bundle = NULL;
		return error(p, "unknown option '%s'", name);
	}
	if (!o->has_arg) {
		if (!*p->bundle)
			p->bundle = NULL;
		return found(p, o, NULL);
	}
	if (*p->bundle) {		/* -s4M */
		const char *val = p->bundle;

		p->bundle = NULL;
		return found(p, o, val);
	}
	p->bundle = NULL;
	if (p->next >= p->argc)
		return error(p, "option '%s' needs a value", name);
	return found(p, o, p->argv[p->next++]);
}

int opts_next(struct opts *p)
{
	const struct opt *o = NULL;
	const char *s, *eq;
	size_t i, n;

	p->opt = NULL;
	p->arg = NULL;
	if (p->bundle)
		return next_short(p);
	for (;;) {
		if (p->next >= p->argc)
			return OPTS_END;
		s = p->argv[p->next++];
		if (!p->dashdash && !strcmp(s, "--")) {
			p->dashdash = true;
			continue;
		}
		break;
	}
	if (!opts_is_option(p, s)) {
		p->arg = s;
		return OPTS_ARG;
	}
	if (s[1] != '-') {
		p->bundle = s + 1;
		return next_short(p);
	}
	eq = strchr(s, '=');
	n = eq ? (size_t)(eq - s - 2) : strlen(s + 2);
	for (i = 0; i < p->nr; i++)
		if (usable(p, &p->table[i]) && strlen(p->table[i].name) == n &&
		    !strncmp(s + 2, p->table[i].name, n))
			o = &p->table[i];
	if (!o)
		return error(p, "unknown option '%s'", s);
	if (!o->has_arg && eq)
		return error(p, "option '--%s' takes no value", o->name);
	if (o->has_arg && eq)
		return found(p, o, eq + 1);
	if (o->has_arg) {
		if (p->next >= p->argc)
			return error(p, "option '--%s' needs a value", o->name);
		return found(p, o, p->argv[p->next++]);
	}
	return found(p, o, NULL);
}
