// SPDX-License-Identifier: GPL-2.0
/*
 * pzonectl: create, resize, inspect and use pzones (derived memory zones).
 * The interface is specified in notes/INTERFACE.md; all sysfs and cgroup
 * access goes through libpzone.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/utsname.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "libpzone.h"
#include "oci_hook.h"
#include "opts.h"
#include "top.h"

#define PROG		"pzonectl"
#define EXIT_USAGE	2
#define EXIT_NOSUPPORT	3
#define EXIT_NOEXEC	127

enum {
	OPT_NODE	= 1 << 0,
	OPT_SIZE	= 1 << 1,
	OPT_KERNEL	= 1 << 2,
	OPT_JSON	= 1 << 3,
	OPT_EVACUATE	= 1 << 4,
	OPT_RECLAIM	= 1 << 5,
	OPT_CG_PARENT	= 1 << 6,
	OPT_ONCE	= 1 << 7,
	OPT_KERNEL_LIMIT = 1 << 8,
	OPT_RANGE	= 1 << 11,
	OPT_FALLBACK	= 1 << 12,
	/* not options: how positional arguments are parsed */
	ARG_NEGATIVE	= 1 << 9,	/* "-4M" is an argument, not an option */
	ARG_COMMAND	= 1 << 10,	/* everything after NAME is a command line */
};

struct args {
	const char *node;
	const char *size;
	const char *kernel;
	bool json;
	bool evacuate;
	bool reclaim;
	const char *cg_parent;
	bool once;
	const char *kernel_limit;
	bool fallback;
	const char *range;
	int nr_pos;
	char **pos;
	char **command;		/* exec: NULL-terminated argv */
};

struct cmd {
	const char *name;
	int (*fn)(struct pzone_ctx *ctx, const struct cmd *cmd, struct args *a);
	unsigned int flags;
	int min_pos, max_pos;	/* max_pos < 0: unlimited */
	const char *synopsis;
	const char *summary;
	const char *help;
};

enum { ID_NODE, ID_SIZE, ID_KERNEL, ID_JSON, ID_EVACUATE, ID_RECLAIM,
       ID_CG_PARENT, ID_ONCE, ID_KERNEL_LIMIT, ID_FALLBACK, ID_RANGE, ID_HELP,
       ID_VERBOSE, ID_VERSION };

/* Every option of every subcommand; mask: the commands that take it. */
static const struct opt options[] = {
	{ "node",	   'n', true,  ID_NODE,	     OPT_NODE,	    "NODE" },
	{ "size",	   's', true,  ID_SIZE,	     OPT_SIZE,	    "SIZE" },
	{ "kernel",	   'k', true,  ID_KERNEL,    OPT_KERNEL,    "SIZE" },
	{ "json",	   'j', false, ID_JSON,	     OPT_JSON,	    NULL },
	{ "evacuate",	   0,   false, ID_EVACUATE,  OPT_EVACUATE,  NULL },
	{ "reclaim",	   0,   false, ID_RECLAIM,   OPT_RECLAIM,   NULL },
	{ "cgroup-parent", 0,   true,  ID_CG_PARENT, OPT_CG_PARENT, "DIR" },
	{ "once",	   0,   false, ID_ONCE,	     OPT_ONCE,	    NULL },
	{ "kernel-limit", 0,  true,  ID_KERNEL_LIMIT, OPT_KERNEL_LIMIT, "SIZE" },
	{ "fallback",	   0,   false, ID_FALLBACK,  OPT_FALLBACK,  NULL },
	{ "range",	   0,   true,  ID_RANGE,     OPT_RANGE,     "START-END" },
	{ "help",	   'h', false, ID_HELP,	     0,		    NULL },
	{ "verbose",	   'v', false, ID_VERBOSE,   0,		    NULL },
};

#define NR_OPTIONS (sizeof(options) / sizeof(options[0]))

/* Before the command: -h, -v and --version only. */
static const struct opt top_options[] = {
	{ "help",	   'h', false, ID_HELP,	     0,		    NULL },
	{ "verbose",	   'v', false, ID_VERBOSE,   0,		    NULL },
	{ "version",	   0,   false, ID_VERSION,   0,		    NULL },
};

static const struct cmd commands[];

/* Ends the one-line usage error with where to look. */
static void hint(const struct cmd *cmd)
{
	if (cmd)
		fprintf(stderr, " (try '" PROG " %s --help')\n", cmd->name);
	else
		fprintf(stderr, " (try '" PROG " --help')\n");
}

/* "pzonectl: <what>: <why>" plus the help hint; returns EXIT_USAGE. */
static int usage_err(const struct cmd *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, PROG ": %s: ", cmd ? cmd->name : "usage");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	hint(cmd);
	return EXIT_USAGE;
}

/* "pzonectl: <what>: <why>"; returns 1. */
static int fail(const char *why, const char *fmt, ...)
{
	va_list ap;

	fputs(PROG ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n", why);
	return EXIT_FAILURE;
}

static int check_support(const struct pzone_ctx *ctx, const struct cmd *cmd)
{
	if (pzone_is_supported(ctx))
		return 0;
	fprintf(stderr, PROG ": %s: kernel has no pzone support (no /sys/devices/system/pzone)\n",
		cmd->name);
	return EXIT_NOSUPPORT;
}

static int check_name(const struct cmd *cmd, const char *name)
{
	const char *why = pzone_name_error(name);

	return why ? usage_err(cmd, "bad name '%s': %s", name, why) : 0;
}

/* check_name(), then check_support(): 0 or an exit code. */
static int check_name_support(const struct pzone_ctx *ctx,
			      const struct cmd *cmd, const char *name)
{
	int ret = check_name(cmd, name);

	return ret ? ret : check_support(ctx, cmd);
}

/* Parse @s; on error the message names @opt and the argument as given. */
static int parse_size_arg(const struct cmd *cmd, const char *opt,
			  const char *given, const char *s, uint64_t *bytes)
{
	int err = pzone_parse_size(s, bytes);

	if (err == -ERANGE)
		return usage_err(cmd, "%s '%s': size too large", opt, given);
	if (err)
		return usage_err(cmd, "%s '%s': bad size (bytes with optional K/M/G/T suffix)",
				 opt, given);
	return 0;
}

/* Round @bytes up to the block size, with the note INTERFACE.md asks for. */
static int round_size(const struct cmd *cmd, const char *what, uint64_t block,
		      uint64_t *bytes)
{
	uint64_t r;
	char bs[32];

	if (pzone_round_up(*bytes, block, &r))
		return usage_err(cmd, "%s %" PRIu64 ": size too large", what, *bytes);
	if (r != *bytes) {
		if (block % (1 << 20) == 0)
			snprintf(bs, sizeof(bs), "%" PRIu64 " MiB", block >> 20);
		else
			snprintf(bs, sizeof(bs), "%" PRIu64 " byte", block);
		fprintf(stderr, PROG ": note: %s %" PRIu64 " rounded up to %" PRIu64
			" bytes (%s blocks)\n", what, *bytes, r, bs);
	}
	*bytes = r;
	return 0;
}

/* ---- output ---- */

static void json_str(const char *ind, const char *key, const char *s, bool last)
{
	char buf[PZONE_VAL_MAX * 6 + 1];

	if (!s) {
		printf("%s  \"%s\": null%s\n", ind, key, last ? "" : ",");
		return;
	}
	pzone_json_escape(buf, sizeof(buf), s);
	printf("%s  \"%s\": \"%s\"%s\n", ind, key, buf, last ? "" : ",");
}

static void json_num(const char *ind, const char *key, int64_t v)
{
	if (v < 0)
		printf("%s  \"%s\": null,\n", ind, key);
	else
		printf("%s  \"%s\": %" PRId64 ",\n", ind, key, v);
}

/* The cgroup of @name ("[PARENT/]pzone-NAME") if it exists, else "". */
static void cgroup_name(const struct pzone_ctx *ctx, const char *name,
			char *buf, size_t len)
{
	if (!pzone_cg_exists(ctx, name) || pzone_cg_name(ctx, name, buf, len))
		buf[0] = '\0';
}

/* The cgroup of @name, existing or not, for messages. */
static const char *cg_label(const struct pzone_ctx *ctx, const char *name)
{
	static char buf[PZONE_PATH_MAX];

	if (pzone_cg_name(ctx, name, buf, sizeof(buf)))
		snprintf(buf, sizeof(buf), PZONE_CGROUP_PREFIX "%s", name);
	return buf;
}

/*
 * The kernel-memory limit of @name (-1: a kernel without one) and what its cgroup @cg
 * ("" if none) uses of it (-1: no cgroup, or a kernel without the limit).
 */
static void kernel_limit_get(const struct pzone_ctx *ctx, const char *name,
			     const char *cg, int64_t *limit, int64_t *used)
{
	uint64_t l;

	if (!pzone_has_attr(ctx, name, "kernel_limit_bytes") ||
	    pzone_kernel_limit(ctx, name, &l))
		*limit = -1;
	else
		*limit = (int64_t)l;
	if (!cg[0] || pzone_cg_kernel_used(ctx, cg, used))
		*used = -1;
}

static void print_json_kernel_limit(const struct pzone_ctx *ctx, const char *name,
				    const char *cg, const char *ind)
{
	int64_t limit, used;

	kernel_limit_get(ctx, name, cg, &limit, &used);
	json_num(ind, "kernel_limit_bytes", limit);
	json_num(ind, "kernel_used_bytes", used);
}

static struct pzone_dir dirs_buf[PZONE_MAX_DIRS];

/*
 * "dirs": the directories bound to the pzone's page-cache pool, and
 * "dir_stats": what binding them moved.  null on a kernel without them.
 */
static void print_json_dirs(const struct pzone_ctx *ctx, const char *name,
			    const char *ind)
{
	static char esc[PZONE_PATH_MAX * 6 + 1];
	int nr = pzone_dirs_get(ctx, name, dirs_buf, PZONE_MAX_DIRS), i;

	if (nr < 0) {
		printf("%s  \"dirs\": null,\n%s  \"dir_stats\": null,\n", ind, ind);
		return;
	}
	printf("%s  \"dirs\": [", ind);
	for (i = 0; i < nr; i++) {
		pzone_json_escape(esc, sizeof(esc), dirs_buf[i].path);
		printf("%s\"%s\"", i ? ", " : "", esc);
	}
	printf("],\n%s  \"dir_stats\": [", ind);
	for (i = 0; i < nr; i++) {
		pzone_json_escape(esc, sizeof(esc), dirs_buf[i].path);
		printf("%s\n%s    {\"path\": \"%s\", \"moved_pages\": %" PRId64
		       ", \"unmoved_pages\": %" PRId64 ", \"fallbacks\": %" PRId64 "}",
		       i ? "," : "", ind, esc, dirs_buf[i].moved_pages,
		       dirs_buf[i].unmoved_pages, dirs_buf[i].fallbacks);
	}
	printf("%s%s],\n", nr ? "\n  " : "", nr ? ind : "");
}

/* One JSON object; @ind is its indentation, @tail follows the closing brace. */
static void print_json(const struct pzone_ctx *ctx, const struct pzone_info *p,
		       const char *ind, const char *tail)
{
	char cg[PZONE_PATH_MAX];

	cgroup_name(ctx, p->name, cg, sizeof(cg));
	printf("%s{\n", ind);
	json_str(ind, "name", p->name, false);
	json_num(ind, "node", p->node);
	json_num(ind, "base_node", p->base_node);
	json_num(ind, "size_bytes", p->size_bytes);
	json_num(ind, "kernel_bytes", p->kernel_bytes);
	json_num(ind, "free_bytes", p->free_bytes);
	json_num(ind, "nr_blocks", p->nr_blocks);
	json_str(ind, "state", p->state, false);
	json_str(ind, "last_error", p->last_error, false);
	print_json_kernel_limit(ctx, p->name, cg, ind);
	print_json_dirs(ctx, p->name, ind);
	json_str(ind, "cgroup", cg[0] ? cg : NULL, true);
	printf("%s}%s\n", ind, tail);
}

static void print_num(const char *key, int64_t v, bool size)
{
	char h[32];

	if (v < 0) {
		printf("%s: ?\n", key);
	} else if (size && v >= 1024) {
		pzone_fmt_size(h, sizeof(h), v);
		printf("%s: %" PRId64 " (%s)\n", key, v, h);
	} else {
		printf("%s: %" PRId64 "\n", key, v);
	}
}

static void print_show_kernel_limit(const struct pzone_ctx *ctx, const char *name,
				    const char *cg)
{
	int64_t limit, used;

	kernel_limit_get(ctx, name, cg, &limit, &used);
	if (limit < 0)
		return;		/* a kernel without the limit */
	if (limit == 0)
		printf("kernel_limit_bytes: none\n");
	else
		print_num("kernel_limit_bytes", limit, true);
	if (used >= 0)
		print_num("kernel_used_bytes", used, true);
}

static void print_show_dirs(const struct pzone_ctx *ctx, const char *name)
{
	int nr = pzone_dirs_get(ctx, name, dirs_buf, PZONE_MAX_DIRS), i;

	for (i = 0; i < nr; i++)
		printf("dir: %s (%" PRId64 " pages moved in, %" PRId64
		       " could not move, %" PRId64 " fallbacks)\n",
		       dirs_buf[i].path, dirs_buf[i].moved_pages,
		       dirs_buf[i].unmoved_pages, dirs_buf[i].fallbacks);
}

static void print_show(const struct pzone_ctx *ctx, const struct pzone_info *p)
{
	char cg[PZONE_PATH_MAX];
	int nr;

	printf("name: %s\n", p->name);
	print_num("node", p->node, false);
	print_num("base_node", p->base_node, false);
	print_num("size_bytes", p->size_bytes, true);
	print_num("kernel_bytes", p->kernel_bytes, true);
	print_num("free_bytes", p->free_bytes, true);
	print_num("nr_blocks", p->nr_blocks, false);
	printf("state: %s\n", p->state[0] ? p->state : "?");
	printf("last_error: %s\n", p->last_error);
	cgroup_name(ctx, p->name, cg, sizeof(cg));
	print_show_kernel_limit(ctx, p->name, cg);
	print_show_dirs(ctx, p->name);
	nr = cg[0] ? pzone_cg_nr_tasks(ctx, p->name) : -1;
	if (!cg[0])
		printf("cgroup: none\n");
	else if (nr < 0)
		printf("cgroup: %s\n", cg);
	else
		printf("cgroup: %s (%d task%s)\n", cg, nr, nr == 1 ? "" : "s");
}

static void fmt_id(char *buf, size_t len, int64_t v)
{
	if (v < 0)
		snprintf(buf, len, "?");
	else
		snprintf(buf, len, "%" PRId64, v);
}

/* ---- commands ---- */

/* --kernel-limit SIZE: bytes, rounded up to pages; 0 is refused. */
static int parse_kernel_limit(const struct cmd *cmd, const char *given,
			      uint64_t *bytes)
{
	int ret = parse_size_arg(cmd, "--kernel-limit", given, given, bytes);

	if (ret)
		return ret;
	if (!*bytes)
		return usage_err(cmd, "--kernel-limit '%s': must be greater than 0", given);
	if (pzone_round_up(*bytes, 4096, bytes))
		return usage_err(cmd, "--kernel-limit '%s': size too large", given);
	return 0;
}

/*
 * NAME/kernel_limit_bytes of a pzone just created; on failure the pzone
 * is destroyed again, so that a refused create leaves nothing.
 */
static int set_kernel_limit(struct pzone_ctx *ctx, const char *name,
			    uint64_t bytes)
{
	char why[PZONE_VAL_MAX];
	int ret = pzone_set_kernel_limit(ctx, name, bytes);

	if (!ret)
		return 0;
	if (ret == -EOPNOTSUPP)
		snprintf(why, sizeof(why), "kernel without a kernel-memory limit (no %s/kernel_limit_bytes)",
			 name);
	else
		pzone_reason(ctx, name, ret, why, sizeof(why));
	if (pzone_destroy(ctx, name, false))
		return fail(why, "create %s: --kernel-limit (and destroying the new pzone failed)",
			    name);
	return fail(why, "create %s: --kernel-limit", name);
}

static int cmd_create(struct pzone_ctx *ctx, const struct cmd *cmd,
		      struct args *a)
{
	const char *name = a->pos[0];
	uint64_t size, kernel = 0, block, klimit = 0, range[2];
	struct pzone_info info;
	char why[PZONE_VAL_MAX], *end;
	long node;
	int ret;

	ret = check_name(cmd, name);
	if (ret)
		return ret;
	if (!a->node)
		return usage_err(cmd, "missing --node");
	if (!a->size)
		return usage_err(cmd, "missing --size");
	errno = 0;
	node = strtol(a->node, &end, 10);
	if (!isdigit((unsigned char)a->node[0]) || *end || errno || node > INT_MAX)
		return usage_err(cmd, "--node '%s': not a node number", a->node);
	ret = parse_size_arg(cmd, "--size", a->size, a->size, &size);
	if (!ret && a->kernel)
		ret = parse_size_arg(cmd, "--kernel", a->kernel, a->kernel, &kernel);
	if (!ret && a->kernel_limit)
		ret = parse_kernel_limit(cmd, a->kernel_limit, &klimit);
	if (ret)
		return ret;
	if (!size)
		return usage_err(cmd, "--size '%s': must be greater than 0", a->size);
	if (a->range) {
		const char *dash = strchr(a->range, '-');
		char start[64];

		if (!dash || (size_t)(dash - a->range) >= sizeof(start))
			return usage_err(cmd, "--range '%s': not START-END", a->range);
		memcpy(start, a->range, dash - a->range);
		start[dash - a->range] = '\0';
		if (pzone_parse_size(start, &range[0]) ||
		    pzone_parse_size(dash + 1, &range[1]))
			return usage_err(cmd, "--range '%s': not START-END (addresses with optional K/M/G/T suffix)",
					 a->range);
	}

	ret = check_support(ctx, cmd);
	if (ret)
		return ret;
	block = pzone_block_size(ctx);
	ret = round_size(cmd, "size", block, &size);
	if (!ret && a->kernel)
		ret = round_size(cmd, "kernel size", block, &kernel);
	if (ret)
		return ret;
	if (a->kernel && kernel > size)
		return usage_err(cmd, "--kernel %" PRIu64 " is larger than --size %" PRIu64,
				 kernel, size);

	ret = pzone_create_range(ctx, name, (int)node, size, a->kernel ? &kernel : NULL,
				 a->range ? range : NULL);
	if (ret) {
		pzone_reason(ctx, NULL, ret, why, sizeof(why));
		return fail(why, "create %s", name);
	}
	if (klimit) {
		ret = set_kernel_limit(ctx, name, klimit);
		if (ret)
			return ret;
	}
	ret = pzone_get(ctx, name, &info);
	if (!ret && info.node < 0)
		ret = -EIO;
	if (ret)
		return fail(strerror(-ret), "create %s: created, but reading it back failed",
			    name);
	if (a->json) {
		print_json(ctx, &info, "", "");
		return 0;
	}
	printf("%s: node %" PRId64 " (base node %" PRId64 ", %" PRId64
	       " bytes, kernel %" PRId64 " bytes)\n", name, info.node,
	       info.base_node, info.size_bytes, info.kernel_bytes);
	return 0;
}

/*
 * Nothing is removed before the kernel destroy succeeded: a refused
 * destroy leaves the pzone and its cgroup as they were.  Then the cgroup
 * goes if it is empty (with --evacuate it may still hold tasks).
 */
static int cmd_destroy(struct pzone_ctx *ctx, const struct cmd *cmd,
		       struct args *a)
{
	const char *name = a->pos[0];
	char why[PZONE_VAL_MAX];
	int ret, nr;

	ret = check_name_support(ctx, cmd, name);
	if (ret)
		return ret;
	if (!pzone_exists(ctx, name))
		return fail("no such pzone", "destroy %s", name);

	nr = pzone_cg_exists(ctx, name) ? pzone_cg_nr_tasks(ctx, name) : 0;
	if (nr < 0)
		return fail(strerror(-nr), "destroy %s: reading cgroup %s/cgroup.procs",
			    name, cg_label(ctx, name));
	if (nr > 0 && !a->evacuate) {
		fprintf(stderr, PROG ": destroy %s: %d task(s) still in the pzone (cgroup "
			"%s); move them out or kill them first\n", name, nr,
			cg_label(ctx, name));
		return EXIT_FAILURE;
	}
	ret = pzone_destroy(ctx, name, a->evacuate);
	if (ret) {
		pzone_reason(ctx, NULL, ret, why, sizeof(why));
		return fail(why, "destroy %s", name);
	}
	if (pzone_cg_exists(ctx, name) && pzone_cg_nr_tasks(ctx, name) == 0) {
		ret = pzone_cg_remove(ctx, name);
		if (ret)
			return fail(strerror(-ret), "destroy %s: destroyed, but removing cgroup %s failed",
				    name, cg_label(ctx, name));
	}
	printf("%s: destroyed\n", name);
	return 0;
}

static int cmd_resize(struct pzone_ctx *ctx, const struct cmd *cmd,
		      struct args *a)
{
	const char *name = a->pos[0], *spec = a->pos[1];
	uint64_t delta, target;
	char why[PZONE_VAL_MAX];
	int64_t cur, now;
	char sign = 0;
	int ret;

	ret = check_name(cmd, name);
	if (ret)
		return ret;
	if (spec[0] == '+' || spec[0] == '-')
		sign = *spec++;
	ret = parse_size_arg(cmd, "size", a->pos[1], spec, &delta);
	if (!ret)
		ret = check_support(ctx, cmd);
	if (ret)
		return ret;
	if (!pzone_exists(ctx, name))
		return fail("no such pzone", "resize %s", name);
	ret = pzone_attr_read_s64(ctx, name, "size_bytes", &cur);
	if (ret)
		return fail(strerror(-ret), "resize %s: reading size_bytes", name);

	if (sign == '+') {
		if (delta > UINT64_MAX - (uint64_t)cur)
			return usage_err(cmd, "%s: size too large", a->pos[1]);
		target = (uint64_t)cur + delta;
	} else if (sign == '-') {
		if (delta >= (uint64_t)cur)
			return usage_err(cmd, "%s: pzone %s has only %" PRId64 " bytes",
					 a->pos[1], name, cur);
		target = (uint64_t)cur - delta;
	} else {
		target = delta;
	}
	if (!target)
		return usage_err(cmd, "%s: size must be greater than 0", a->pos[1]);
	ret = round_size(cmd, "size", pzone_block_size(ctx), &target);
	if (ret)
		return ret;

	ret = pzone_resize(ctx, name, target, a->reclaim);
	if (ret) {
		pzone_reason(ctx, name, ret, why, sizeof(why));
		return fail(why, "resize %s", name);
	}
	if (pzone_attr_read_s64(ctx, name, "size_bytes", &now))
		now = (int64_t)target;
	printf("%s: size %" PRId64 " bytes (was %" PRId64 ")\n", name, now, cur);
	return 0;
}

static int cmd_list(struct pzone_ctx *ctx, const struct cmd *cmd,
		    struct args *a)
{
	struct pzone_info *info;
	char **names;
	int i, nr, w = 4, ret;

	ret = check_support(ctx, cmd);
	if (ret)
		return ret;
	nr = pzone_list(ctx, &names);
	if (nr < 0)
		return fail(strerror(-nr), "list");
	info = calloc((size_t)nr + 1, sizeof(*info));
	if (!info) {
		pzone_list_free(names, nr);
		return fail(strerror(ENOMEM), "list");
	}
	for (i = 0; i < nr; i++) {
		if (pzone_get(ctx, names[i], &info[i])) {
			/* destroyed while listing: show what we know */
			snprintf(info[i].name, sizeof(info[i].name), "%s", names[i]);
			info[i].node = info[i].base_node = -1;
			info[i].size_bytes = info[i].kernel_bytes = -1;
			info[i].free_bytes = info[i].nr_blocks = -1;
		}
		if ((int)strlen(names[i]) > w)
			w = (int)strlen(names[i]);
	}

	if (a->json) {
		printf("[\n");
		for (i = 0; i < nr; i++)
			print_json(ctx, &info[i], "  ", i + 1 < nr ? "," : "");
		printf("]\n");
	} else {
		printf("%-*s %4s %4s %8s %8s %8s %s\n", w, "NAME", "NODE",
		       "BASE", "SIZE", "KERNEL", "FREE", "STATE");
		for (i = 0; i < nr; i++) {
			const struct pzone_info *p = &info[i];
			char node[24], base[24], sz[32], kb[32], fb[32];

			fmt_id(node, sizeof(node), p->node);
			fmt_id(base, sizeof(base), p->base_node);
			pzone_fmt_size(sz, sizeof(sz), p->size_bytes);
			pzone_fmt_size(kb, sizeof(kb), p->kernel_bytes);
			pzone_fmt_size(fb, sizeof(fb), p->free_bytes);
			printf("%-*s %4s %4s %8s %8s %8s %s\n", w, p->name, node,
			       base, sz, kb, fb, p->state[0] ? p->state : "?");
		}
	}
	free(info);
	pzone_list_free(names, nr);
	return 0;
}

static int cmd_show(struct pzone_ctx *ctx, const struct cmd *cmd,
		    struct args *a)
{
	const char *name = a->pos[0];
	struct pzone_info info;
	int ret;

	ret = check_name_support(ctx, cmd, name);
	if (ret)
		return ret;
	ret = pzone_get(ctx, name, &info);
	if (ret == -ENOENT)
		return fail("no such pzone", "show %s", name);
	if (ret)
		return fail(strerror(-ret), "show %s", name);
	if (a->json)
		print_json(ctx, &info, "", "");
	else
		print_show(ctx, &info);
	return 0;
}

/* ---- stats ---- */

static void print_kv_json(const char *key, const struct pzone_kv *kv, int nr,
			  bool last)
{
	int i;

	if (nr < 0) {
		printf("  \"%s\": null%s\n", key, last ? "" : ",");
		return;
	}
	printf("  \"%s\": {", key);
	for (i = 0; i < nr; i++)
		printf("%s\n    \"%s\": %" PRId64, i ? "," : "", kv[i].key, kv[i].val);
	printf("%s}%s\n", nr ? "\n  " : "", last ? "" : ",");
}

/* Keys ending in _bytes are sizes: the human form gets a K/M/G column. */
static void print_kv_text(const char *file, const struct pzone_kv *kv, int nr)
{
	int i, w = 0;

	if (nr < 0) {
		printf("%s: (not supported by this kernel)\n", file);
		return;
	}
	printf("%s:\n", file);
	for (i = 0; i < nr; i++)
		if ((int)strlen(kv[i].key) > w)
			w = (int)strlen(kv[i].key);
	for (i = 0; i < nr; i++) {
		size_t l = strlen(kv[i].key);
		char h[32];

		if (l > 6 && !strcmp(kv[i].key + l - 6, "_bytes") && kv[i].val >= 1024) {
			pzone_fmt_size(h, sizeof(h), kv[i].val);
			printf("  %-*s %" PRId64 " (%s)\n", w, kv[i].key, kv[i].val, h);
		} else {
			printf("  %-*s %" PRId64 "\n", w, kv[i].key, kv[i].val);
		}
	}
}

static int cmd_stats(struct pzone_ctx *ctx, const struct cmd *cmd,
		     struct args *a)
{
	const char *name = a->pos[0];
	struct pzone_counters *c;
	char ename[PZONE_NAME_MAX * 6 + 1];
	int ret;

	ret = check_name_support(ctx, cmd, name);
	if (ret)
		return ret;
	c = malloc(sizeof(*c));
	if (!c)
		return fail(strerror(ENOMEM), "stats %s", name);
	ret = pzone_counters_get(ctx, name, c);
	if (ret) {
		free(c);
		if (ret == -ENOENT)
			return fail("no such pzone", "stats %s", name);
		return fail(ret == -EINVAL ? "unexpected line in a counters file" :
			    strerror(-ret), "stats %s", name);
	}
	if (a->json) {
		pzone_json_escape(ename, sizeof(ename), name);
		printf("{\n  \"name\": \"%s\",\n", ename);
		print_kv_json("stats", c->stats, c->nr_stats, false);
		print_kv_json("events", c->events, c->nr_events, false);
		print_kv_json("pressure", c->pressure, c->nr_pressure, false);
		if (c->standby_bytes < 0)
			printf("  \"standby_bytes\": null\n}\n");
		else
			printf("  \"standby_bytes\": %" PRId64 "\n}\n", c->standby_bytes);
	} else {
		printf("name: %s\n", name);
		print_kv_text("stats", c->stats, c->nr_stats);
		print_kv_text("events", c->events, c->nr_events);
		print_kv_text("pressure", c->pressure, c->nr_pressure);
		if (c->standby_bytes < 0)
			printf("standby_bytes: (not supported by this kernel)\n");
		else
			print_num("standby_bytes", c->standby_bytes, true);
	}
	free(c);
	return 0;
}

/* memory.kmem.max of cgroup pzone-NAME = NAME/kernel_limit_bytes. */
static int apply_kernel_limit(struct pzone_ctx *ctx, const struct cmd *cmd,
			      const char *name)
{
	char cg[PZONE_PATH_MAX];
	uint64_t limit;
	int ret;

	ret = pzone_kernel_limit(ctx, name, &limit);
	if (ret)
		return fail(strerror(-ret), "%s %s: reading kernel_limit_bytes", cmd->name, name);
	ret = pzone_cg_name(ctx, name, cg, sizeof(cg));
	if (!ret)
		ret = pzone_cg_apply_kernel_limit(ctx, cg, limit);
	if (ret == -EOPNOTSUPP)
		return fail("kernel without memory.kmem.max (pzone node ids reserved?)",
			    "%s %s: kernel limit %" PRIu64, cmd->name, name, limit);
	if (ret)
		return fail(strerror(-ret), "%s %s: setting memory.kmem.max of cgroup %s to %" PRIu64,
			    cmd->name, name, cg_label(ctx, name), limit);
	return 0;
}

/* Resolve NAME to its node and set up its cgroup; 0 or an exit code. */
static int setup_cgroup(struct pzone_ctx *ctx, const struct cmd *cmd,
			const char *name, bool fallback)
{
	char why[PZONE_VAL_MAX];
	int64_t node;
	int ret;

	ret = check_name_support(ctx, cmd, name);
	if (ret)
		return ret;
	if (!pzone_exists(ctx, name))
		return fail("no such pzone", "%s %s", cmd->name, name);
	ret = pzone_attr_read_s64(ctx, name, "node", &node);
	if (ret)
		return fail(strerror(-ret), "%s %s: reading node", cmd->name, name);
	if (!pzone_cg_parent_exists(ctx))
		return fail(strerror(ENOENT), "%s %s: cgroup parent %s/%s", cmd->name, name,
			    ctx->cgroup_root, ctx->cgroup_parent);
	ret = pzone_cg_enable_cpuset(ctx);
	if (ret && !ctx->cgroup_parent[0])
		return fail(strerror(-ret), "%s %s: enabling cpuset in %s/cgroup.subtree_control",
			    cmd->name, name, ctx->cgroup_root);
	if (ret)
		return fail(strerror(-ret), "%s %s: enabling cpuset in cgroup.subtree_control of %s/%s and its ancestors",
			    cmd->name, name, ctx->cgroup_root, ctx->cgroup_parent);
	ret = pzone_cg_create(ctx, name);
	if (ret)
		return fail(strerror(-ret), "%s %s: creating cgroup %s",
			    cmd->name, name, cg_label(ctx, name));
	ret = pzone_cg_set_mems(ctx, name, (int)node);
	if (ret)
		return fail(strerror(-ret), "%s %s: setting cpuset.mems to %" PRId64,
			    cmd->name, name, node);
	ret = apply_kernel_limit(ctx, cmd, name);
	if (ret || !fallback)
		return ret;
	ret = pzone_cg_fallback_setup(ctx, name);
	if (ret) {
		pzone_reason(ctx, name, ret, why, sizeof(why));
		return fail(why, "%s %s: setting up cgroup %s/" PZONE_CGROUP_FALLBACK,
			    cmd->name, name, cg_label(ctx, name));
	}
	return 0;
}

static int cmd_exec(struct pzone_ctx *ctx, const struct cmd *cmd,
		    struct args *a)
{
	const char *name = a->pos[0];
	int ret;

	if (!a->command || !a->command[0])
		return usage_err(cmd, "missing command to run");
	ret = setup_cgroup(ctx, cmd, name, a->fallback);
	if (ret)
		return ret;
	ret = a->fallback ? pzone_cg_attach_fallback(ctx, name, getpid()) :
			    pzone_cg_attach(ctx, name, getpid());
	if (ret)
		return fail(strerror(-ret), "exec %s: moving to cgroup %s%s",
			    name, cg_label(ctx, name),
			    a->fallback ? "/" PZONE_CGROUP_FALLBACK : "");
	fflush(NULL);
	execvp(a->command[0], a->command);
	fail(strerror(errno), "exec %s: %s", name, a->command[0]);
	return EXIT_NOEXEC;
}

/* ---- bind-dir, unbind-dir ---- */

/*
 * NAME and DIR checked, DIR resolved into @real.  With @gone_ok, an
 * absolute DIR that no longer exists is passed on as it is (the kernel
 * finds a removed or unmounted bound directory by its name).
 */
static int dir_args(struct pzone_ctx *ctx, const struct cmd *cmd,
		    struct args *a, char *real, bool gone_ok)
{
	const char *name = a->pos[0], *dir = a->pos[1];
	struct stat st;
	int ret;

	ret = check_name_support(ctx, cmd, name);
	if (ret)
		return ret;
	if (!pzone_exists(ctx, name))
		return fail("no such pzone", "%s %s %s", cmd->name, name, dir);
	if (gone_ok && dir[0] == '/' && strlen(dir) < PATH_MAX &&
	    stat(dir, &st) && errno == ENOENT) {
		snprintf(real, PATH_MAX, "%s", dir);
		return 0;
	}
	if (!realpath(dir, real) || stat(real, &st))
		return fail(strerror(errno), "%s %s %s", cmd->name, name, dir);
	if (!S_ISDIR(st.st_mode))
		return fail("not a directory", "%s %s %s", cmd->name, name, dir);
	if (strpbrk(real, "\t\n"))
		return fail("the path holds a tab or a newline", "%s %s %s",
			    cmd->name, name, dir);
	return 0;
}

static int cmd_bind_dir(struct pzone_ctx *ctx, const struct cmd *cmd,
			struct args *a)
{
	const char *name = a->pos[0], *dir = a->pos[1];
	char real[PATH_MAX], why[PZONE_VAL_MAX], owner[PZONE_NAME_MAX + 1];
	int ret, nr, i;

	ret = dir_args(ctx, cmd, a, real, false);
	if (ret)
		return ret;
	if (!pzone_dir_find_owner(ctx, real, owner, sizeof(owner)))
		return fail(strcmp(owner, name) ? "already bound to another pzone" :
			    "already bound to this pzone", "bind-dir %s %s (%s)",
			    name, dir, owner);
	ret = pzone_set_dir(ctx, name, real, true);
	if (ret) {
		pzone_reason(ctx, name, ret, why, sizeof(why));
		return fail(why, "bind-dir %s %s", name, dir);
	}
	nr = pzone_dirs_get(ctx, name, dirs_buf, PZONE_MAX_DIRS);
	for (i = 0; i < nr; i++)
		if (!strcmp(dirs_buf[i].path, real))
			break;
	if (i < nr)
		printf("%s: %s bound: %" PRId64 " pages moved into the pool, %" PRId64
		       " could not move\n", name, real, dirs_buf[i].moved_pages,
		       dirs_buf[i].unmoved_pages);
	else
		printf("%s: %s bound\n", name, real);
	return 0;
}

static int cmd_unbind_dir(struct pzone_ctx *ctx, const struct cmd *cmd,
			  struct args *a)
{
	const char *name = a->pos[0], *dir = a->pos[1];
	char real[PATH_MAX], why[PZONE_VAL_MAX];
	int ret;

	ret = dir_args(ctx, cmd, a, real, true);
	if (ret)
		return ret;
	ret = pzone_set_dir(ctx, name, real, false);
	if (ret) {
		pzone_reason(ctx, name, ret, why, sizeof(why));
		return fail(why, "unbind-dir %s %s", name, dir);
	}
	printf("%s: %s unbound (its pages stay in the pool until reclaimed)\n",
	       name, real);
	return 0;
}

static int cmd_bind(struct pzone_ctx *ctx, const struct cmd *cmd,
		    struct args *a)
{
	const char *name = a->pos[0];
	int i, ret, failed = 0;

	for (i = 1; i < a->nr_pos; i++) {
		const char *s = a->pos[i];
		char *end;
		long pid;

		errno = 0;
		pid = strtol(s, &end, 10);
		if (!isdigit((unsigned char)s[0]) || *end || errno || pid <= 0 ||
		    pid > INT_MAX)
			return usage_err(cmd, "'%s': not a pid", s);
	}
	ret = setup_cgroup(ctx, cmd, name, a->fallback);
	if (ret)
		return ret;
	for (i = 1; i < a->nr_pos; i++) {
		pid_t pid = (pid_t)strtol(a->pos[i], NULL, 10);

		ret = a->fallback ? pzone_cg_attach_fallback(ctx, name, pid) :
				    pzone_cg_attach(ctx, name, pid);
		if (ret) {
			fail(strerror(-ret), "bind %s: pid %s", name, a->pos[i]);
			failed++;
		}
	}
	printf("%s: moved %d of %d task(s) to cgroup %s%s\n",
	       name, a->nr_pos - 1 - failed, a->nr_pos - 1, cg_label(ctx, name),
	       a->fallback ? "/" PZONE_CGROUP_FALLBACK : "");
	return failed ? EXIT_FAILURE : 0;
}

/* ---- oci-hook ---- */

/* snprintf(3) for messages and paths: truncation is acceptable there. */
__attribute__((format(printf, 3, 4)))
static void strf(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
}

#define OCI_STDIN_MAX	(1 << 20)	/* the state is a few hundred bytes */
#define OCI_CONFIG_MAX	(16 << 20)

/* "pzonectl: oci-hook: <what>: <why>"; returns @code. */
static int hook_fail(int code, const char *fmt, ...)
{
	va_list ap;

	fputs(PROG ": oci-hook: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return code;
}

/* All of @fd, at most @max bytes, NUL-terminated in *@buf (free it). */
static int read_fd(int fd, size_t max, char **buf, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *b = malloc(cap + 1), *tmp;

	if (!b)
		return -ENOMEM;
	for (;;) {
		ssize_t r;

		if (n == cap) {
			if (cap > max) {
				free(b);
				return -EFBIG;
			}
			cap *= 2;
			tmp = realloc(b, cap + 1);
			if (!tmp) {
				free(b);
				return -ENOMEM;
			}
			b = tmp;
		}
		r = read(fd, b + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int err = -errno;

			free(b);
			return err;
		}
		if (!r)
			break;
		n += (size_t)r;
	}
	if (n > max) {
		free(b);
		return -EFBIG;
	}
	b[n] = '\0';
	*buf = b;
	*len = n;
	return 0;
}

static int read_path(const char *path, size_t max, char **buf, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), err;

	if (fd < 0)
		return -errno;
	err = read_fd(fd, max, buf, len);
	close(fd);
	return err;
}

static const char *oci_dir(void)
{
	const char *d = getenv("PZONE_OCI_DIR");

	return d && *d ? d : OCI_STATE_DIR;
}

/* The org.pzone.* annotations: the state's, else the bundle's config.json. */
static int hook_annotations(const struct oci_state *st,
			    struct oci_annotations *ann, char *err, size_t errlen)
{
	char path[PZONE_PATH_MAX + 16], *buf;
	size_t len;
	int ret;

	if (st->ann.any) {
		*ann = st->ann;
		return 0;
	}
	if (!st->has_bundle) {
		strf(err, errlen, "state: missing \"bundle\" (and no org.pzone.* annotations)");
		return -EINVAL;
	}
	strf(path, sizeof(path), "%s/config.json", st->bundle);
	ret = read_path(path, OCI_CONFIG_MAX, &buf, &len);
	if (ret) {
		strf(err, errlen, "%s: %s", path, ret == -EFBIG ?
			 "larger than 16 MiB" : strerror(-ret));
		return ret;
	}
	ret = oci_config_parse(buf, len, path, ann, err, errlen);
	free(buf);
	return ret;
}

/* Every possible node, from sysfs and zoneinfo; *@nodes is malloc'ed. */
static int hook_nodes(const struct pzone_ctx *ctx, struct oci_node **nodes,
		      int *nr, char *err, size_t errlen)
{
	static bool possible[OCI_MAX_NODES], online[OCI_MAX_NODES],
		    reserved[OCI_MAX_NODES];
	char path[PZONE_PATH_MAX], buf[PZONE_VAL_MAX];
	struct oci_node *n;
	int i, ret;

	strf(path, sizeof(path), "%s/devices/system/node/possible", ctx->sysfs_root);
	ret = pzone_read_file(ctx, path, buf, sizeof(buf));
	if (!ret && oci_parse_nodelist(buf, possible, OCI_MAX_NODES))
		ret = -EINVAL;
	if (!ret) {
		strf(path, sizeof(path), "%s/devices/system/node/online", ctx->sysfs_root);
		ret = pzone_read_file(ctx, path, buf, sizeof(buf));
		if (!ret && oci_parse_nodelist(buf, online, OCI_MAX_NODES))
			ret = -EINVAL;
	}
	if (!ret) {
		pzone_path(ctx, path, sizeof(path), NULL, "reserved_nodes");
		ret = pzone_read_file(ctx, path, buf, sizeof(buf));
		if (!ret && oci_parse_nodelist(buf, reserved, OCI_MAX_NODES))
			ret = -EINVAL;
	}
	if (ret) {
		strf(err, errlen, "nodes: %s: %s", path, strerror(-ret));
		return ret;
	}
	n = calloc(OCI_MAX_NODES, sizeof(*n));
	if (!n) {
		strf(err, errlen, "nodes: %s", strerror(ENOMEM));
		return -ENOMEM;
	}
	*nr = 0;
	for (i = 0; i < OCI_MAX_NODES; i++) {
		uint64_t fr, managed;
		struct oci_node *c;

		if (!possible[i] && !online[i])
			continue;
		c = &n[(*nr)++];
		c->id = i;
		c->online = online[i];
		c->pzone = reserved[i];
		if (c->online && !pzone_zone_info(ctx, i, "Normal", &fr, &managed) &&
		    managed) {
			c->has_normal = true;
			c->free_normal = fr;
		}
	}
	*nodes = n;
	return 0;
}

/* The record of pzone @name in the state directory, if its id is @id. */
static bool hook_record_get(const char *name, const char *id, struct oci_record *r)
{
	char path[PZONE_PATH_MAX], why[OCI_ERR_MAX], *buf;
	size_t len;
	bool ok;

	if (pzone_name_error(name))
		return false;
	strf(path, sizeof(path), "%s/%s", oci_dir(), name);
	if (read_path(path, 65536, &buf, &len))
		return false;
	ok = !oci_record_parse(buf, r, why, sizeof(why)) && !strcmp(r->id, id) &&
	     !strcmp(r->name, name);
	free(buf);
	return ok;
}

/* The record of container @id, searched in the whole state directory. */
static bool hook_record_find(const char *id, struct oci_record *r)
{
	DIR *dir = opendir(oci_dir());
	struct dirent *de;
	bool found = false;

	if (!dir)
		return false;
	while (!found && (de = readdir(dir)))
		if (de->d_name[0] != '.')
			found = hook_record_get(de->d_name, id, r);
	closedir(dir);
	return found;
}

/*
 * Write the record to a dot file @tmp that pzoned ignores; rename(2) to
 * @path commits it.  Return: 0 or -errno (@tmp removed).
 */
static int hook_record_prepare(const struct oci_record *r, char *tmp, size_t tlen,
			       char *path, size_t len)
{
	char buf[PZONE_PATH_MAX * 2];
	const char *dir = oci_dir();
	char parent[PZONE_PATH_MAX], *slash;
	int fd, err = 0;
	ssize_t n;

	strf(path, len, "%s/%s", dir, r->name);
	strf(tmp, tlen, "%s/.%s.tmp", dir, r->name);
	err = oci_record_format(r, buf, sizeof(buf));
	if (err)
		return err;
	/* mkdir -p of the directory (one level above it at most is made) */
	strf(parent, sizeof(parent), "%s", dir);
	slash = strrchr(parent, '/');
	if (slash && slash != parent) {
		*slash = '\0';
		if (mkdir(parent, 0755) && errno != EEXIST)
			return -errno;
	}
	if (mkdir(dir, 0755) && errno != EEXIST)
		return -errno;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	n = write(fd, buf, strlen(buf));
	if (n < 0)
		err = -errno;
	else if ((size_t)n != strlen(buf))
		err = -EIO;
	if (close(fd) && !err)
		err = -errno;
	if (err)
		unlink(tmp);
	return err;
}

/* What createRuntime changed in the container's cgroup, to undo it. */
struct hook_cg {
	char cg[PZONE_PATH_MAX];	/* the container's cgroup, "/a/b" */
	char parent[PZONE_PATH_MAX];	/* its parent, "/a" or "" */
	bool changed[PZONE_CG_DEPTH_MAX];
	int nr_levels;
	bool mems_written;
	char old_mems[PZONE_VAL_MAX];
};

/*
 * Undo hook_cg_apply().  A cgroup with tasks cannot go back to an empty
 * cpuset.mems (ENOSPC): then it gets its parent's effective mems, which is
 * what the empty value meant.  Only a failed rename(2) of the record, after
 * the cgroup step, needs this.
 */
static void hook_cg_undo(const struct pzone_ctx *ctx, struct hook_cg *h)
{
	char path[PZONE_PATH_MAX], eff[PZONE_PATH_MAX], val[PZONE_VAL_MAX];

	if (h->mems_written &&
	    !pzone_cg_rel_path(ctx, path, sizeof(path), h->cg, "cpuset.mems") &&
	    pzone_write_file(ctx, path, h->old_mems) &&
	    !pzone_cg_rel_path(ctx, eff, sizeof(eff), h->parent, "cpuset.mems.effective") &&
	    !pzone_read_file(ctx, eff, val, sizeof(val)))
		pzone_write_file(ctx, path, val);
	pzone_cg_disable_cpuset_in(ctx, h->parent, h->changed, h->nr_levels);
}

/* Level @k of cgroup @rel ("" the root, then "a", "a/b", ...) as a path. */
static void cg_level_path(const struct pzone_ctx *ctx, const char *rel, int k,
			  char *buf, size_t len)
{
	char pref[PZONE_PATH_MAX];
	const char *p = rel;
	size_t n = 0;

	pref[0] = '\0';
	while (k-- > 0) {
		const char *e;

		while (*p == '/')
			p++;
		e = strchrnul(p, '/');
		if (n && n + 1 < sizeof(pref))
			pref[n++] = '/';
		while (p < e && n + 1 < sizeof(pref))
			pref[n++] = *p++;
		pref[n] = '\0';
	}
	pzone_cg_rel_path(ctx, buf, len, pref, "cgroup.subtree_control");
}

/* cpuset.mems of the container's cgroup = @node; Return: 0 or an exit code. */
static int hook_cg_apply(const struct pzone_ctx *ctx, struct hook_cg *h, int64_t node,
			 char *err, size_t errlen)
{
	char path[PZONE_PATH_MAX], val[24], *slash;
	int ret;

	strf(h->parent, sizeof(h->parent), "%s", h->cg);
	slash = strrchr(h->parent, '/');
	if (slash)
		*slash = '\0';
	ret = pzone_cg_enable_cpuset_in(ctx, h->parent, h->changed, &h->nr_levels);
	if (ret) {
		cg_level_path(ctx, h->parent, h->nr_levels, path, sizeof(path));
		strf(err, errlen, "cgroup %s: enabling cpuset in %s: %s", h->cg, path,
			 strerror(-ret));
		return ret;
	}
	pzone_cg_rel_path(ctx, path, sizeof(path), h->cg, "cpuset.mems");
	ret = pzone_read_file(ctx, path, h->old_mems, sizeof(h->old_mems));
	if (ret) {
		strf(err, errlen, "cgroup %s: reading %s: %s", h->cg, path, strerror(-ret));
		return ret;
	}
	strf(val, sizeof(val), "%" PRId64, node);
	ret = pzone_write_file(ctx, path, val);
	if (ret) {
		strf(err, errlen, "cgroup %s: setting cpuset.mems to %s: %s", h->cg, val,
			 strerror(-ret));
		return ret;
	}
	h->mems_written = true;
	return 0;
}

/*
 * memory.kmem.max of the container's cgroup @cg = the pzone's kernel limit,
 * when it has one (a container without org.pzone.kernel_limit keeps what
 * its runtime set).  Undone with the pzone: a cgroup whose pzone is gone is
 * the runtime's to remove.  Return: 0 or -errno, with @err set.
 */
static int hook_kernel_limit(const struct pzone_ctx *ctx, const char *name,
			     const char *cg, char *err, size_t errlen)
{
	uint64_t limit;
	int ret = pzone_kernel_limit(ctx, name, &limit);

	if (!ret && limit)
		ret = pzone_cg_apply_kernel_limit(ctx, cg, limit);
	if (ret == -EOPNOTSUPP)
		strf(err, errlen, "cgroup %s: kernel without memory.kmem.max", cg);
	else if (ret)
		strf(err, errlen, "cgroup %s: setting memory.kmem.max to %" PRIu64 ": %s",
		     cg, limit, strerror(-ret));
	return ret;
}

/*
 * org.pzone.fallback=true: mark the container's cgroup in the pzone's
 * fallback_cgroups.  Destroying the pzone forgets the mark.
 */
static int hook_cg_fallback(const struct pzone_ctx *ctx, const struct hook_cg *h,
			    const struct oci_params *p, char *err, size_t errlen)
{
	char why[PZONE_VAL_MAX];
	int ret;

	if (!p->fallback)
		return 0;
	ret = pzone_set_fallback(ctx, p->name, h->cg, true);
	if (ret) {
		pzone_reason(ctx, p->name, ret, why, sizeof(why));
		strf(err, errlen, "cgroup %s: marking it in %s/fallback_cgroups: %s",
		     h->cg, p->name, why);
	}
	return ret;
}

/*
 * createRuntime: create the pzone, confine the container's cgroup to it,
 * write the record for pzoned.  On failure everything done is undone, in
 * reverse order.
 */
static int hook_create(struct pzone_ctx *ctx, const struct oci_state *st)
{
	static struct oci_annotations ann;
	static struct hook_cg h;
	char err[OCI_ERR_MAX], why[PZONE_VAL_MAX], path[PZONE_PATH_MAX];
	char tmp[PZONE_PATH_MAX + 8];
	struct oci_node *nodes = NULL;
	struct oci_params p;
	struct oci_record r;
	int64_t node;
	int ret, nr_nodes = 0;

	if (hook_annotations(st, &ann, err, sizeof(err)))
		return hook_fail(EXIT_FAILURE, "%s", err);
	if (!ann.set[OCI_ANN_SIZE])
		return 0;
	if (!pzone_is_supported(ctx))
		return hook_fail(EXIT_NOSUPPORT, "kernel: no pzone support (no /sys/devices/system/pzone)");
	if (hook_nodes(ctx, &nodes, &nr_nodes, err, sizeof(err)))
		return hook_fail(EXIT_FAILURE, "%s", err);
	ret = oci_params_validate(&ann, st->id, pzone_block_size(ctx), nodes, nr_nodes,
				  &p, err, sizeof(err));
	free(nodes);
	if (ret)
		return hook_fail(EXIT_FAILURE, "%s", err);

	memset(&h, 0, sizeof(h));
	ret = pzone_cg_of_pid(ctx, (pid_t)st->pid, h.cg, sizeof(h.cg));
	if (ret == -ENODATA)
		return hook_fail(EXIT_FAILURE, "cgroup of pid %" PRId64 ": no cgroup v2 line (0::) in %s/%" PRId64 "/cgroup",
				 st->pid, pzone_proc_root(), st->pid);
	if (ret)
		return hook_fail(EXIT_FAILURE, "cgroup of pid %" PRId64 ": %s/%" PRId64 "/cgroup: %s",
				 st->pid, pzone_proc_root(), st->pid, strerror(-ret));
	if (!strcmp(h.cg, "/") || !h.cg[0])
		return hook_fail(EXIT_FAILURE, "cgroup of pid %" PRId64 ": it is in the root cgroup; the runtime must give the container a cgroup",
				 st->pid);
	if (strchr(h.cg, '\n'))
		return hook_fail(EXIT_FAILURE, "cgroup of pid %" PRId64 ": the path has a newline", st->pid);

	/* The same hook run twice for one container (e.g. also as prestart). */
	if (pzone_exists(ctx, p.name) && hook_record_get(p.name, st->id, &r)) {
		if (pzone_attr_read_s64(ctx, p.name, "node", &node))
			return hook_fail(EXIT_FAILURE, "pzone %s: reading its node", p.name);
		if (hook_cg_apply(ctx, &h, node, err, sizeof(err)) ||
		    hook_kernel_limit(ctx, p.name, h.cg, err, sizeof(err)) ||
		    hook_cg_fallback(ctx, &h, &p, err, sizeof(err))) {
			hook_cg_undo(ctx, &h);
			return hook_fail(EXIT_FAILURE, "%s", err);
		}
		return 0;
	}

	ret = pzone_create(ctx, p.name, p.node, p.size, p.has_kernel ? &p.kernel : NULL);
	if (ret) {
		pzone_reason(ctx, NULL, ret, why, sizeof(why));
		return hook_fail(EXIT_FAILURE, "create %s: %s", p.name, why);
	}
	if (p.standby) {
		ret = pzone_set_standby(ctx, p.name, p.standby);
		if (ret) {
			pzone_reason(ctx, p.name, ret, why, sizeof(why));
			strf(err, sizeof(err), "standby %s: %s", p.name, why);
			goto err_destroy;
		}
	}
	if (p.kernel_limit) {
		ret = pzone_set_kernel_limit(ctx, p.name, p.kernel_limit);
		if (ret) {
			pzone_reason(ctx, p.name, ret, why, sizeof(why));
			strf(err, sizeof(err), "%s %s: %s", oci_ann_keys[OCI_ANN_KERNEL_LIMIT],
			     p.name, ret == -EOPNOTSUPP ? "kernel without a kernel-memory limit" : why);
			goto err_destroy;
		}
	}
	ret = pzone_attr_read_s64(ctx, p.name, "node", &node);
	if (ret) {
		strf(err, sizeof(err), "pzone %s: reading its node: %s", p.name,
			 strerror(-ret));
		goto err_destroy;
	}
	memset(&r, 0, sizeof(r));
	strf(r.id, sizeof(r.id), "%s", st->id);
	strf(r.name, sizeof(r.name), "%s", p.name);
	r.base_node = p.node;
	r.node = node;
	r.guarantee = p.size;
	r.limit = p.limit;
	r.standby = p.standby;
	strf(r.cgroup, sizeof(r.cgroup), "%s", h.cg);
	ret = hook_record_prepare(&r, tmp, sizeof(tmp), path, sizeof(path));
	if (ret) {
		strf(err, sizeof(err), "state file %s: %s", path, strerror(-ret));
		goto err_destroy;
	}
	/* The last step that can fail for a reason of its own... */
	ret = hook_cg_apply(ctx, &h, node, err, sizeof(err));
	if (!ret)
		ret = hook_kernel_limit(ctx, p.name, h.cg, err, sizeof(err));
	if (!ret)
		ret = hook_cg_fallback(ctx, &h, &p, err, sizeof(err));
	if (ret)
		goto err_cg;
	/* ... then the commit, a rename in one directory. */
	if (rename(tmp, path)) {
		strf(err, sizeof(err), "state file %s: %s", path, strerror(errno));
		goto err_cg;
	}
	return 0;

err_cg:
	hook_cg_undo(ctx, &h);
	unlink(tmp);
err_destroy:
	ret = pzone_destroy(ctx, p.name, true);
	if (ret) {
		pzone_reason(ctx, NULL, ret, why, sizeof(why));
		return hook_fail(EXIT_FAILURE, "%s; and destroying pzone %s failed: %s",
				 err, p.name, why);
	}
	return hook_fail(EXIT_FAILURE, "%s", err);
}

/*
 * poststop: destroy the pzone the hook made for this container (its record
 * says which), evacuating what the container left in it, then drop the
 * record.  A pzone without a record of this container is not the hook's
 * and is left alone.
 */
static int hook_destroy(struct pzone_ctx *ctx, const struct oci_state *st)
{
	char why[PZONE_VAL_MAX], path[PZONE_PATH_MAX];
	struct oci_record r;
	int ret;

	if (!hook_record_find(st->id, &r))
		return 0;
	if (pzone_is_supported(ctx) && pzone_exists(ctx, r.name)) {
		ret = pzone_destroy(ctx, r.name, true);
		if (ret) {
			pzone_reason(ctx, NULL, ret, why, sizeof(why));
			return hook_fail(EXIT_FAILURE, "destroy %s: %s", r.name, why);
		}
	}
	strf(path, sizeof(path), "%s/%s", oci_dir(), r.name);
	if (unlink(path) && errno != ENOENT)
		return hook_fail(EXIT_FAILURE, "state file %s: %s", path, strerror(errno));
	return 0;
}

static int cmd_oci_hook(struct pzone_ctx *ctx, const struct cmd *cmd,
			struct args *a)
{
	static struct oci_state st;
	char err[OCI_ERR_MAX], *buf;
	enum oci_action act;
	size_t len;
	int ret;

	(void)cmd;
	(void)a;
	ret = read_fd(STDIN_FILENO, OCI_STDIN_MAX, &buf, &len);
	if (ret == -EFBIG)
		return hook_fail(EXIT_FAILURE, "state: larger than 1 MiB");
	if (ret)
		return hook_fail(EXIT_FAILURE, "state: reading stdin: %s", strerror(-ret));
	ret = oci_state_parse(buf, len, &st, err, sizeof(err));
	free(buf);
	if (ret)
		return hook_fail(EXIT_FAILURE, "%s", err);
	act = oci_status_action(st.status);
	if (act == OCI_ACT_NONE)
		return 0;
	if (oci_check_state(&st, act, err, sizeof(err)))
		return hook_fail(EXIT_FAILURE, "%s", err);
	return act == OCI_ACT_CREATE ? hook_create(ctx, &st) : hook_destroy(ctx, &st);
}

/* ---- top ---- */

static volatile sig_atomic_t top_stop;

static void top_signal(int sig)
{
	(void)sig;
	top_stop = 1;
}

static int64_t top_attr(struct pzone_ctx *ctx, const char *name, const char *file)
{
	int64_t v;

	return pzone_attr_read_s64(ctx, name, file, &v) ? -1 : v;
}

static int64_t top_meminfo2(struct pzone_ctx *ctx, int node, const char *a,
			    const char *b)
{
	uint64_t x, y;

	if (pzone_node_meminfo(ctx, node, a, &x) || pzone_node_meminfo(ctx, node, b, &y))
		return -1;
	return (int64_t)(x + y);
}

/* Base nodes: every nodeN that is not a pzone's node (no nodeN/pzone link). */
static void top_nodes(struct pzone_ctx *ctx, struct top_sample *s)
{
	char dir[PZONE_PATH_MAX + 32], path[PZONE_PATH_MAX + 320];
	struct dirent *de;
	int ids[TOP_MAX_NODES], nr = 0, i, j;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/devices/system/node", ctx->sysfs_root);
	d = opendir(dir);
	if (!d)
		return;
	while ((de = readdir(d)) && nr < TOP_MAX_NODES) {
		struct stat st;
		char *end;
		long n;

		if (strncmp(de->d_name, "node", 4) || !isdigit((unsigned char)de->d_name[4]))
			continue;
		n = strtol(de->d_name + 4, &end, 10);
		if (*end || n > 1023)
			continue;
		snprintf(path, sizeof(path), "%s/%s/pzone", dir, de->d_name);
		if (!lstat(path, &st))
			continue;
		ids[nr++] = (int)n;
	}
	closedir(d);
	for (i = 1; i < nr; i++)		/* sort: a few nodes */
		for (j = i; j > 0 && ids[j - 1] > ids[j]; j--) {
			int t = ids[j];

			ids[j] = ids[j - 1];
			ids[j - 1] = t;
		}
	for (i = 0; i < nr; i++) {
		struct top_node *n = &s->nodes[s->nr_nodes++];
		uint64_t v;

		n->node = ids[i];
		n->free_bytes = pzone_node_meminfo(ctx, ids[i], "MemFree", &v) ? -1 : (int64_t)v;
		n->total = pzone_node_meminfo(ctx, ids[i], "MemTotal", &v) ? -1 : (int64_t)v;
	}
}

static void top_sample_get(struct pzone_ctx *ctx, struct top_sample *s)
{
	FILE *trace = ctx->trace;
	struct timespec ts;
	struct tm tm;
	char **names;
	time_t now;
	int nr, i;

	memset(s, 0, sizeof(*s));
	clock_gettime(CLOCK_MONOTONIC, &ts);
	s->t_us = (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
	now = time(NULL);
	localtime_r(&now, &tm);
	strftime(s->clock, sizeof(s->clock), "%H:%M:%S", &tm);
	nr = pzone_list(ctx, &names);
	for (i = 0; i < nr && s->nr < TOP_MAX_PZONES; i++) {
		struct top_pzone *p = &s->pz[s->nr];
		struct pzone_kv kv[PZONE_KV_MAX];
		int k, n;

		if (!pzone_exists(ctx, names[i]))
			continue;		/* destroyed meanwhile */
		s->nr++;
		snprintf(p->name, sizeof(p->name), "%s", names[i]);
		p->node = top_attr(ctx, names[i], "node");
		p->base_node = top_attr(ctx, names[i], "base_node");
		p->size = top_attr(ctx, names[i], "size_bytes");
		p->free_bytes = top_attr(ctx, names[i], "free_bytes");
		p->file = p->anon = -1;
		if (p->node >= 0) {
			p->file = top_meminfo2(ctx, (int)p->node, "Active(file)", "Inactive(file)");
			p->anon = top_meminfo2(ctx, (int)p->node, "Active(anon)", "Inactive(anon)");
		}
		if (pzone_attr_kv(ctx, names[i], "pressure", "kswapd_wakeups", &p->kswapd_wakeups))
			p->kswapd_wakeups = -1;
		if (pzone_attr_kv(ctx, names[i], "pressure", "refaults", &p->refaults))
			p->refaults = -1;
		n = pzone_attr_kv_all(ctx, names[i], "events", kv, PZONE_KV_MAX);
		p->events = n < 0 ? -1 : 0;
		for (k = 0; k < n; k++)
			p->events += kv[k].val;
	}
	if (nr > 0)
		pzone_list_free(names, nr);
	top_nodes(ctx, s);
	ctx->trace = trace;
}

/* Terminal size: the tty's, else $COLUMNS / $LINES, else 80 x 24. */
static void top_size(int *cols, int *rows)
{
	struct winsize ws;
	const char *c = getenv("COLUMNS"), *l = getenv("LINES");

	*cols = 80;
	*rows = 24;
	if (!ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) && ws.ws_col && ws.ws_row) {
		*cols = ws.ws_col;
		*rows = ws.ws_row;
		return;
	}
	if (c && atoi(c) > 0)
		*cols = atoi(c);
	if (l && atoi(l) > 0)
		*rows = atoi(l);
}

/* top --once --json: the second sample, raw; rates are the caller's. */
static void top_json(const struct top_sample *a, const struct top_sample *b)
{
	int i;

	printf("{\n  \"interval_us\": %" PRIu64 ",\n  \"pzones\": [", b->t_us - a->t_us);
	for (i = 0; i < b->nr; i++) {
		const struct top_pzone *p = &b->pz[i];

		printf("%s\n    {\n", i ? "," : "");
		json_str("    ", "name", p->name, false);
		json_num("    ", "node", p->node);
		json_num("    ", "base_node", p->base_node);
		json_num("    ", "size_bytes", p->size);
		json_num("    ", "free_bytes", p->free_bytes);
		json_num("    ", "file_bytes", p->file);
		json_num("    ", "anon_bytes", p->anon);
		json_num("    ", "kswapd_wakeups", p->kswapd_wakeups);
		json_num("    ", "refaults", p->refaults);
		if (p->events < 0)
			printf("      \"events\": null\n    }");
		else
			printf("      \"events\": %" PRId64 "\n    }", p->events);
	}
	printf("%s],\n  \"base_nodes\": [", b->nr ? "\n  " : "");
	for (i = 0; i < b->nr_nodes; i++) {
		const struct top_node *n = &b->nodes[i];

		printf("%s\n    { \"node\": %d, \"free_bytes\": %" PRId64 ", \"total_bytes\": %" PRId64 " }",
		       i ? "," : "", n->node, n->free_bytes, n->total);
	}
	printf("%s]\n}\n", b->nr_nodes ? "\n  " : "");
}

static int cmd_top(struct pzone_ctx *ctx, const struct cmd *cmd, struct args *a)
{
	struct top_sample *s = calloc(2, sizeof(*s)), *prev = NULL;
	struct termios old, rawt;
	struct sigaction sa = { .sa_handler = top_signal };
	bool tty = isatty(STDIN_FILENO);
	size_t blen = 64 * 1024;
	char *buf = malloc(blen);
	int cols, rows, cur = 0, ret;

	ret = check_support(ctx, cmd);
	if (ret || !s || !buf) {
		free(s);
		free(buf);
		return ret ? ret : fail(strerror(ENOMEM), "top");
	}
	if (a->json && !a->once) {
		free(s);
		free(buf);
		return usage_err(cmd, "--json needs --once");
	}
	if (a->once) {
		/* two samples a second apart, for the rates; plain text */
		top_sample_get(ctx, &s[0]);
		usleep(1000000);
		top_sample_get(ctx, &s[1]);
		if (a->json) {
			top_json(&s[0], &s[1]);
			free(s);
			free(buf);
			return 0;
		}
		top_size(&cols, &rows);
		if (!isatty(STDOUT_FILENO) && !getenv("LINES"))
			rows = 1 << 20;
		top_render(buf, blen, &s[0], &s[1], cols, rows, false);
		fputs(buf, stdout);
		free(s);
		free(buf);
		return 0;
	}
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	if (tty && !tcgetattr(STDIN_FILENO, &old)) {
		rawt = old;
		rawt.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
		rawt.c_cc[VMIN] = 0;
		rawt.c_cc[VTIME] = 0;
		tcsetattr(STDIN_FILENO, TCSANOW, &rawt);
	} else {
		tty = false;
	}
	/* hide the cursor, clear once; then every frame overwrites in place */
	fputs("\033[?25l\033[H\033[2J", stdout);
	while (!top_stop) {
		struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
		size_t n;

		top_sample_get(ctx, &s[cur]);
		top_size(&cols, &rows);
		n = top_render(buf, blen, prev, &s[cur], cols, rows, true);
		fwrite(buf, 1, n < blen ? n : blen - 1, stdout);
		fflush(stdout);
		prev = &s[cur];
		cur ^= 1;
		if (poll(&pfd, 1, 1000) > 0 && tty) {
			char c;

			while (read(STDIN_FILENO, &c, 1) == 1)
				if (c == 'q' || c == 'Q')
					top_stop = 1;
		}
	}
	if (tty)
		tcsetattr(STDIN_FILENO, TCSANOW, &old);
	fputs("\033[?25h\n", stdout);
	fflush(stdout);
	free(s);
	free(buf);
	return 0;
}

/* ---- version, features ---- */

static int cmd_version(struct pzone_ctx *ctx, const struct cmd *cmd,
		       struct args *a)
{
	bool sup = pzone_is_supported(ctx);
	struct utsname u;

	(void)cmd;
	if (uname(&u))
		snprintf(u.release, sizeof(u.release), "?");
	if (a->json) {
		char rel[sizeof(u.release) * 6];

		pzone_json_escape(rel, sizeof(rel), u.release);
		printf("{\n  \"version\": \"%s\",\n  \"kernel\": \"%s\",\n"
		       "  \"pzone\": %s\n}\n", PZONE_TOOLS_VERSION, rel,
		       sup ? "true" : "false");
	} else {
		printf(PROG " %s\nkernel %s, %s\n", PZONE_TOOLS_VERSION, u.release,
		       sup ? "with pzone support" : "without pzone support");
	}
	return 0;
}

/*
 * What this kernel supports, by the presence of its sysfs files.  A
 * feature of a pzone's directory can only be seen while a pzone exists:
 * without one it is unknown (null).  New features: a line here.
 */
static const struct feature {
	const char *name;
	bool per_pzone;		/* a file of NAME/, else of the root directory */
	const char *file;	/* NULL: the root directory itself */
	const char *what;
} features[] = {
	{ "pzone",	    false, NULL,	     "pzones (/sys/devices/system/pzone)" },
	{ "draining_nodes", false, "draining_nodes", "nodes of destroyed pzones still draining" },
	{ "stats",	    true,  "stats",	     "per-pzone counters (NAME/stats)" },
	{ "events",	    true,  "events",	     "pressure events, pollable (NAME/events)" },
	{ "pressure",	    true,  "pressure",	     "refaults and kswapd wake-ups (NAME/pressure)" },
	{ "standby",	    true,  "standby_bytes",  "standby blocks released on OOM (NAME/standby_bytes)" },
	{ "kernel_limit",   true,  "kernel_limit_bytes", "kernel-memory limit (NAME/kernel_limit_bytes)" },
	{ "range",	    true,  "blocks",	     "range pzones (create --range) and NAME/blocks" },
	{ "fallback",	    true,  "fallback_cgroups", "fallback placement (exec/bind --fallback, NAME/fallback_cgroups)" },
	{ "dirs",	    true,  "dirs",	     "shared page-cache pools (bind-dir, NAME/dirs)" },
};

static int cmd_features(struct pzone_ctx *ctx, const struct cmd *cmd,
			struct args *a)
{
	size_t i, nrf = sizeof(features) / sizeof(features[0]);
	bool sup = pzone_is_supported(ctx);
	char **names = NULL, *probe = NULL;
	int nr = 0;

	(void)cmd;
	if (sup) {
		nr = pzone_list(ctx, &names);
		if (nr > 0)
			probe = names[0];
	}
	if (a->json)
		printf("{\n");
	for (i = 0; i < nrf; i++) {
		const struct feature *f = &features[i];
		int v;		/* 1 yes, 0 no, -1 unknown */

		if (!sup)
			v = 0;
		else if (!f->file)
			v = 1;
		else if (f->per_pzone)
			v = probe ? pzone_has_attr(ctx, probe, f->file) : -1;
		else
			v = pzone_has_attr(ctx, NULL, f->file);
		if (a->json)
			printf("  \"%s\": %s%s\n", f->name,
			       v < 0 ? "null" : v ? "true" : "false",
			       i + 1 < nrf ? "," : "");
		else
			printf("%-15s %-7s %s\n", f->name,
			       v < 0 ? "unknown" : v ? "yes" : "no", f->what);
	}
	if (a->json)
		printf("}\n");
	else if (sup && !probe)
		printf("(no pzone exists: per-pzone features are unknown)\n");
	if (nr > 0)
		pzone_list_free(names, nr);
	return 0;
}

#define CG_PARENT_HELP \
	"--cgroup-parent DIR (or $PZONE_CGROUP_PARENT) puts pzone-NAME under\n" \
	"DIR, relative to the cgroup2 mount or absolute under it, instead of\n" \
	"the root; cpuset is enabled from the root down to DIR. On a systemd\n" \
	"host use a delegated subtree (a unit with Delegate=yes).\n"

#define FALLBACK_HELP \
	"--fallback uses the child cgroup pzone-NAME/" PZONE_CGROUP_FALLBACK " instead, marked in the\n" \
	"pzone's fallback_cgroups: its tasks fill the pzone first and take\n" \
	"memory from the base node only when the pzone cannot give it, instead\n" \
	"of being OOM-killed inside the pzone (strict, the default).\n"

static const struct cmd commands[] = {
	{ "create", cmd_create, OPT_NODE | OPT_SIZE | OPT_KERNEL | OPT_KERNEL_LIMIT |
	  OPT_RANGE | OPT_JSON, 1, 1,
	  "create NAME --node B --size SIZE [--kernel SIZE] [--kernel-limit SIZE]\n"
	  "       [--range START-END] [--json]",
	  "create pzone NAME from base node B",
	  "SIZE and KERNEL take K/M/G/T suffixes and are rounded up to the block\n"
	  "size (block_size_bytes, 4 MiB). --kernel sets the ZONE_NORMAL reserve\n"
	  "(default one block; 0 = movable only; SIZE: all of it, a pool of\n"
	  "kernel memory for a driver). --kernel-limit caps the kernel memory\n"
	  "(slab, page tables, stacks, pipe buffers) of the pzone's cgroups\n"
	  "(memory.kmem.max; default: no limit). --range takes every block, now\n"
	  "and in later grows, from physical addresses [START, END) of node B\n"
	  "(K/M/G/T suffixes; ZONE_DMA32 too, never ZONE_DMA): free blocks first,\n"
	  "then movable ones emptied by migration. Prints the new node id.\n" },
	{ "destroy", cmd_destroy, OPT_EVACUATE | OPT_CG_PARENT, 1, 1,
	  "destroy NAME [--evacuate] [--cgroup-parent DIR]",
	  "destroy pzone NAME and its cgroup",
	  "Refuses while cgroup pzone-NAME has tasks; otherwise writes NAME to\n"
	  "destroy and, once the kernel has destroyed the pzone, removes the\n"
	  "(empty) cgroup: a refused destroy leaves both as they were.\n"
	  "--evacuate writes \"NAME evacuate\" and asks the kernel to move the\n"
	  "remaining pages back.\n" },
	{ "resize", cmd_resize, ARG_NEGATIVE | OPT_RECLAIM, 2, 2,
	  "resize NAME [+|-]SIZE [--reclaim]",
	  "set, grow or shrink the size of pzone NAME",
	  "SIZE is absolute; +SIZE and -SIZE are relative to size_bytes. The\n"
	  "result is rounded up to the block size. All or nothing. A shrink\n"
	  "migrates pages inside the pzone; --reclaim also drops its page cache\n"
	  "to make room. It never kills a task.\n" },
	{ "list", cmd_list, OPT_JSON | OPT_CG_PARENT, 0, 0,
	  "list [--json] [--cgroup-parent DIR]",
	  "list all pzones",
	  "Table columns: NAME NODE BASE SIZE KERNEL FREE STATE.\n"
	  "--json prints an array of objects with the keys of 'show --json'.\n" },
	{ "show", cmd_show, OPT_JSON | OPT_CG_PARENT, 1, 1,
	  "show NAME [--json] [--cgroup-parent DIR]",
	  "show one pzone",
	  "Prints 'key: value' lines; --json prints one object with the keys\n"
	  "name node base_node size_bytes kernel_bytes free_bytes nr_blocks\n"
	  "state last_error kernel_limit_bytes (0: none) kernel_used_bytes\n"
	  "(memory.kmem.current of the cgroup, null without one) dirs (the\n"
	  "directories bound with bind-dir) dir_stats (per directory: path,\n"
	  "moved_pages, unmoved_pages, fallbacks) cgroup (numbers are raw\n"
	  "integers).\n" },
	{ "stats", cmd_stats, OPT_JSON, 1, 1,
	  "stats NAME [--json]",
	  "show the counters of one pzone",
	  "Prints the pzone's stats, events and pressure files and its\n"
	  "standby_bytes in one view. --json prints one object: \"name\", then\n"
	  "\"stats\", \"events\" and \"pressure\" as objects whose keys are the\n"
	  "keys of those files (raw integers; null when the kernel lacks the\n"
	  "file), and \"standby_bytes\".\n" },
	{ "exec", cmd_exec, ARG_COMMAND | OPT_CG_PARENT | OPT_FALLBACK, 1, 1,
	  "exec NAME [--fallback] [--cgroup-parent DIR] -- CMD [ARGS...]",
	  "run CMD with its memory in pzone NAME",
	  "Creates cgroup pzone-NAME (cpuset enabled) with cpuset.mems = the\n"
	  "pzone's node and memory.kmem.max = its kernel limit, moves itself\n"
	  "into it and execs CMD.\n"
	  FALLBACK_HELP
	  CG_PARENT_HELP },
	{ "bind", cmd_bind, OPT_CG_PARENT | OPT_FALLBACK, 2, -1,
	  "bind NAME [--fallback] [--cgroup-parent DIR] PID...",
	  "move running processes into pzone NAME",
	  "Writes each PID to cgroup pzone-NAME/cgroup.procs; cgroup v2 migrates\n"
	  "their pages to the pzone's node.\n"
	  FALLBACK_HELP
	  CG_PARENT_HELP },
	{ "bind-dir", cmd_bind_dir, 0, 2, 2,
	  "bind-dir NAME DIR",
	  "place the page cache of DIR's files in pzone NAME",
	  "From now on the page cache of every regular file below DIR (through\n"
	  "any mount of it, and overlayfs lower layers at it) is allocated on\n"
	  "pzone NAME's node, whoever reads, maps, executes or writes it; NAME\n"
	  "becomes a shared pool that reclaims its own cache. Pages of those\n"
	  "files cached elsewhere move into the pool now; prints how many, and\n"
	  "how many could not move. Refused: DIR not a directory, DIR bound\n"
	  "already, no pzone NAME, DIR on tmpfs, ramfs or hugetlbfs (the pool\n"
	  "could not reclaim it) or overlayfs (bind its lower directory).\n" },
	{ "unbind-dir", cmd_unbind_dir, 0, 2, 2,
	  "unbind-dir NAME DIR",
	  "stop placing DIR's page cache in pzone NAME",
	  "New page cache of DIR's files is allocated as usual again; what the\n"
	  "pool holds stays there until it is reclaimed. A DIR removed or\n"
	  "unmounted since is given as the path 'show' lists.\n" },
	{ "top", cmd_top, OPT_ONCE | OPT_JSON, 0, 0,
	  "top [--once [--json]]",
	  "live view of every pzone, refreshed every second",
	  "One line per pzone: NAME NODE SIZE USED FREE, FILE and ANON (page\n"
	  "cache and anonymous memory of its node), KSWAPD/s and REFLT/s (kswapd\n"
	  "wake-ups and refaults per second, from NAME/pressure), EVENTS (events\n"
	  "counted since the last refresh); then the free memory of every base\n"
	  "node. q quits. --once samples twice, a second apart, prints one frame\n"
	  "as plain text and exits; with --json, one object: interval_us, the\n"
	  "pzones with their raw values (sizes in bytes, the kswapd_wakeups,\n"
	  "refaults and events counters) and the base nodes. Fits $COLUMNS (or\n"
	  "the terminal's) columns.\n" },
	{ "features", cmd_features, OPT_JSON, 0, 0,
	  "features [--json]",
	  "what this kernel supports",
	  "One line per feature: yes, no, or unknown (a feature of a pzone's\n"
	  "directory cannot be seen while no pzone exists). Detected by the\n"
	  "presence of the sysfs files. --json prints one object, feature name\n"
	  "to true, false or null.\n" },
	{ "version", cmd_version, OPT_JSON, 0, 0,
	  "version [--json]",
	  "print the version",
	  "Prints the tools' version and the running kernel's release, and\n"
	  "whether it has pzone support. --json: {\"version\", \"kernel\",\n"
	  "\"pzone\"}. " PROG " --version prints the first line only.\n" },
	{ "oci-hook", cmd_oci_hook, 0, 0, 0,
	  "oci-hook   (reads the OCI state JSON on stdin)",
	  "OCI runtime hook: a pzone per container",
	  "For the createRuntime and poststop hooks of an OCI runtime. Acts on\n"
	  "the container's org.pzone.* annotations (from the state, else from\n"
	  "BUNDLE/config.json): size (required, else nothing is done), node,\n"
	  "name, kernel, standby, limit, kernel_limit, fallback (\"true\": the\n"
	  "container may fall back to the base node, see exec --fallback). At\n"
	  "\"creating\"/\"created\" it creates the pzone and sets the container's\n"
	  "cgroup cpuset.mems to its node (and memory.kmem.max to kernel_limit);\n"
	  "at \"stopped\" it destroys it (evacuating). A record for pzoned goes\n"
	  "to $PZONE_OCI_DIR (default " OCI_STATE_DIR "). On failure nothing is\n"
	  "left behind and one line goes to stderr.\n" },
};

#define NR_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void print_help(void)
{
	size_t i;

	printf("usage: " PROG " [-v] COMMAND [ARGS]\n\n"
	       "pzone: derived memory zones (memory-only NUMA nodes) for containers.\n\n"
	       "commands:\n");
	for (i = 0; i < NR_COMMANDS; i++)
		printf("  %-8s %s\n", commands[i].name, commands[i].summary);
	printf("  %-8s %s\n", "help", "show this help, or 'help COMMAND'");
	printf("\noptions:\n"
	       "  -v, --verbose  trace each sysfs/cgroup read and write on stderr\n"
	       "  -h, --help     show help (also after a command)\n"
	       "      --version  print the version\n"
	       "command options: -n --node, -s --size, -k --kernel, -j --json; in any\n"
	       "order, bundled (-jv), with the value attached (-s512M, --size=512M).\n"
	       "\nexit status: 0 ok, 1 operation failed, 2 usage error,\n"
	       "3 kernel without pzone support.\n"
	       "\nenvironment: PZONE_SYSFS_ROOT (default /sys),\n"
	       "PZONE_CGROUP_ROOT (default: the cgroup2 mount, else /sys/fs/cgroup),\n"
	       "PZONE_CGROUP_PARENT (as --cgroup-parent), PZONE_OCI_DIR (oci-hook\n"
	       "records, default " OCI_STATE_DIR "), PZONE_PROC_ROOT (default /proc).\n");
}

static void print_cmd_help(const struct cmd *cmd)
{
	printf("usage: " PROG " %s\n\n%s.\n\n%s", cmd->synopsis, cmd->summary,
	       cmd->help);
	printf("\n-v, --verbose traces sysfs access; -h, --help shows this help.\n");
}

static const struct cmd *find_cmd(const char *name)
{
	size_t i;

	for (i = 0; i < NR_COMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

/* Returns -1 to go on, else an exit code (help printed, usage error). */
static int parse_args(struct pzone_ctx *ctx, const struct cmd *cmd,
		      int argc, char **argv, struct args *a)
{
	struct opts p;
	int id;

	a->pos = calloc((size_t)argc + 1, sizeof(*a->pos));
	if (!a->pos)
		return fail(strerror(ENOMEM), "%s", cmd->name);
	opts_init(&p, options, NR_OPTIONS, cmd->flags,
		  (cmd->flags & ARG_NEGATIVE) ? OPTS_NEGATIVE : 0, argc, argv, 1);
	for (;;) {
		/* exec: after NAME, the first argument or "--" starts CMD */
		if ((cmd->flags & ARG_COMMAND) && a->nr_pos >= cmd->max_pos &&
		    !p.bundle && p.next < argc &&
		    (!opts_is_option(&p, argv[p.next]) || !strcmp(argv[p.next], "--"))) {
			a->command = argv + p.next + (!p.dashdash && !strcmp(argv[p.next], "--"));
			break;
		}
		id = opts_next(&p);
		if (id == OPTS_END)
			break;
		if (id == OPTS_ERROR)
			return usage_err(cmd, "%s", p.err);
		switch (id) {
		case OPTS_ARG:	    a->pos[a->nr_pos++] = (char *)p.arg; break;
		case ID_HELP:	    print_cmd_help(cmd); return 0;
		case ID_VERBOSE:    ctx->trace = stderr; break;
		case ID_NODE:	    a->node = p.arg; break;
		case ID_SIZE:	    a->size = p.arg; break;
		case ID_KERNEL:	    a->kernel = p.arg; break;
		case ID_JSON:	    a->json = true; break;
		case ID_EVACUATE:   a->evacuate = true; break;
		case ID_RECLAIM:    a->reclaim = true; break;
		case ID_CG_PARENT:  a->cg_parent = p.arg; break;
		case ID_ONCE:	    a->once = true; break;
		case ID_KERNEL_LIMIT: a->kernel_limit = p.arg; break;
		case ID_FALLBACK:   a->fallback = true; break;
		case ID_RANGE:	    a->range = p.arg; break;
		}
	}
	if (a->nr_pos < cmd->min_pos)
		return usage_err(cmd, "missing argument (usage: " PROG " %s)",
				 cmd->synopsis);
	if (cmd->max_pos >= 0 && a->nr_pos > cmd->max_pos)
		return usage_err(cmd, "unexpected argument '%s'",
				 a->pos[cmd->max_pos]);
	return -1;
}

int main(int argc, char **argv)
{
	struct pzone_ctx ctx;
	struct args a = { 0 };
	const struct cmd *cmd;
	struct opts p;
	int i, ret, id;

	pzone_ctx_init(&ctx, PROG);
	opts_init(&p, top_options, sizeof(top_options) / sizeof(top_options[0]),
		  0, 0, argc, argv, 1);
	i = argc;
	while ((id = opts_next(&p)) != OPTS_END) {
		if (id == OPTS_ARG) {		/* the command */
			i = p.next - 1;
			break;
		}
		if (id == OPTS_ERROR)
			return usage_err(NULL, "%s", p.err);
		if (id == ID_HELP) {
			print_help();
			return 0;
		}
		if (id == ID_VERSION) {
			printf(PROG " %s\n", PZONE_TOOLS_VERSION);
			return 0;
		}
		ctx.trace = stderr;		/* ID_VERBOSE */
	}
	if (i >= argc) {
		fprintf(stderr, PROG ": usage: missing command");
		hint(NULL);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[i], "help")) {
		if (i + 1 >= argc) {
			print_help();
			return 0;
		}
		cmd = find_cmd(argv[i + 1]);
		if (!cmd && strcmp(argv[i + 1], "help")) {
			fprintf(stderr, PROG ": %s: unknown command", argv[i + 1]);
			hint(NULL);
			return EXIT_USAGE;
		}
		if (cmd)
			print_cmd_help(cmd);
		else
			print_help();
		return 0;
	}
	cmd = find_cmd(argv[i]);
	if (!cmd) {
		fprintf(stderr, PROG ": %s: unknown command", argv[i]);
		hint(NULL);
		return EXIT_USAGE;
	}
	ret = parse_args(&ctx, cmd, argc - i, argv + i, &a);
	if (ret < 0 && (cmd->flags & OPT_CG_PARENT)) {
		const char *par = a.cg_parent ? a.cg_parent : getenv("PZONE_CGROUP_PARENT");

		if (par && pzone_set_cgroup_parent(&ctx, par))
			ret = usage_err(cmd, "%s '%s': not a cgroup path (no '..', at most %d bytes)",
					a.cg_parent ? "--cgroup-parent" : "PZONE_CGROUP_PARENT",
					par, PZONE_PATH_MAX - 1);
	}
	if (ret < 0)
		ret = cmd->fn(&ctx, cmd, &a);
	free(a.pos);
	return ret;
}
