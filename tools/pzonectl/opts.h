/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one command-line option parser of pzonectl (every subcommand) and
 * pzoned: table-driven, no global state, no output.
 *
 * Accepts --name, --name=VALUE, --name VALUE, -x, -xVALUE, -x VALUE and
 * bundled flags (-jv); options and arguments in any order; "--" ends the
 * options.  No abbreviations of long names.
 */
#ifndef PZONE_OPTS_H
#define PZONE_OPTS_H

#include <stdbool.h>
#include <stddef.h>

struct opt {
	const char *name;	/* long name, without "--" */
	char short_name;	/* 0: none */
	bool has_arg;
	int id;			/* what opts_next() returns for it (>= 0) */
	unsigned int mask;	/* recognised if 0 or if it shares a bit with
				 * the parser's mask */
	const char *arg_name;	/* for help and completion: "SIZE", NULL if none */
};

enum {
	OPTS_END = -1,		/* no more arguments */
	OPTS_ARG = -2,		/* a positional argument: p->arg */
	OPTS_ERROR = -3,	/* p->err says why ("unknown option '-x'") */
};

/* Parser flags */
#define OPTS_NEGATIVE	(1u << 0)	/* "-4M" (dash, digit) is an argument */

struct opts {
	const struct opt *table;
	size_t nr;
	unsigned int mask;
	unsigned int flags;
	int argc;
	char **argv;
	int next;		/* index of the next argv element to look at */
	const char *arg;	/* value of the option, or the positional argument */
	const struct opt *opt;	/* the option just returned */
	bool dashdash;		/* "--" seen: everything is positional */
	const char *bundle;	/* rest of a bundle of short options */
	char err[160];
};

/* Parse @argv[@first..@argc-1] with @table. */
void opts_init(struct opts *p, const struct opt *table, size_t nr,
	       unsigned int mask, unsigned int flags, int argc, char **argv,
	       int first);
/* The next option's id, OPTS_ARG, OPTS_END or OPTS_ERROR. */
int opts_next(struct opts *p);
/* Would @s be taken as an option (not an argument) by @p? */
bool opts_is_option(const struct opts *p, const char *s);
/* The entry of @table named @name (long name), or NULL. */
const struct opt *opts_find(const struct opt *table, size_t nr, const char *name);

#endif /* PZONE_OPTS_H */
