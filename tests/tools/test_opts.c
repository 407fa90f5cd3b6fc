// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of the option parser shared by pzonectl and pzoned
 * (tools/pzonectl/opts.c); prints TAP.  Built and run by
 * `make -C tools/pzonectl test`.
 */
#include <stdio.h>
#include <string.h>

#include "opts.h"

enum { A_NODE, A_JSON, A_VERBOSE, A_ONLY_B };

static const struct opt table[] = {
	{ "node",    'n', true,  A_NODE,    0,	"NODE" },
	{ "json",    'j', false, A_JSON,    0,	NULL },
	{ "verbose", 'v', false, A_VERBOSE, 0,	NULL },
	{ "only-b",  'b', false, A_ONLY_B,  2,	NULL },	/* mask 2 */
};

static int nr_tests, nr_failed;

/*
 * Parse the space-separated @line (mask @mask, flags @flags) and render
 * what came out: "n=VAL j v b A:ARG E:msg", space-separated.
 */
static void check(const char *line, unsigned int mask, unsigned int flags,
		  const char *want)
{
	char buf[256], got[512] = "", *argv[16], *save = NULL, *t;
	struct opts p;
	int argc = 0, id;

	snprintf(buf, sizeof(buf), "prog %s", line);
	for (t = strtok_r(buf, " ", &save); t && argc < 15; t = strtok_r(NULL, " ", &save))
		argv[argc++] = t;
	argv[argc] = NULL;
	opts_init(&p, table, sizeof(table) / sizeof(table[0]), mask, flags, argc, argv, 1);
	while ((id = opts_next(&p)) != OPTS_END) {
		char one[200];

		switch (id) {
		case A_NODE:	snprintf(one, sizeof(one), "n=%s", p.arg); break;
		case A_JSON:	snprintf(one, sizeof(one), "j"); break;
		case A_VERBOSE: snprintf(one, sizeof(one), "v"); break;
		case A_ONLY_B:	snprintf(one, sizeof(one), "b"); break;
		case OPTS_ARG:	snprintf(one, sizeof(one), "A:%s", p.arg); break;
		case OPTS_ERROR: snprintf(one, sizeof(one), "E:%s", p.err); break;
		default:	snprintf(one, sizeof(one), "?%d", id); break;
		}
		if (*got)
			strncat(got, " ", sizeof(got) - strlen(got) - 1);
		strncat(got, one, sizeof(got) - strlen(got) - 1);
		if (id == OPTS_ERROR)
			break;
	}
	nr_tests++;
	if (strcmp(got, want))
		nr_failed++;
	printf("%sok %d - '%s' -> %s\n", strcmp(got, want) ? "not " : "", nr_tests,
	       line, want);
	if (strcmp(got, want))
		printf("#   got: %s\n", got);
}

int main(void)
{
	printf("TAP version 13\n");
	check("--node 1", 0, 0, "n=1");
	check("--node=1", 0, 0, "n=1");
	check("--node= x", 0, 0, "n= A:x");
	check("-n 1", 0, 0, "n=1");
	check("-n1", 0, 0, "n=1");
	check("-jv", 0, 0, "j v");
	check("-jn 3", 0, 0, "j n=3");
	check("-jn3", 0, 0, "j n=3");
	check("a --json b", 0, 0, "A:a j A:b");
	check("-- --json -j", 0, 0, "A:--json A:-j");
	check("a -- -- b", 0, 0, "A:a A:-- A:b");
	check("-", 0, 0, "A:-");
	check("--node", 0, 0, "E:option '--node' needs a value");
	check("-n", 0, 0, "E:option '-n' needs a value");
	check("--json=1", 0, 0, "E:option '--json' takes no value");
	check("--bogus", 0, 0, "E:unknown option '--bogus'");
	check("--bogus=1", 0, 0, "E:unknown option '--bogus=1'");
	check("-x", 0, 0, "E:unknown option '-x'");
	check("-jx", 0, 0, "j E:unknown option '-x'");
	check("--no", 0, 0, "E:unknown option '--no'");	/* no abbreviations */
	check("--only-b", 0, 0, "E:unknown option '--only-b'");
	check("-b", 1, 0, "E:unknown option '-b'");
	check("--only-b -b", 2, 0, "b b");
	check("-4M", 0, 0, "E:unknown option '-4'");
	check("-4M", 0, OPTS_NEGATIVE, "A:-4M");
	check("-j -4M", 0, OPTS_NEGATIVE, "j A:-4M");
	printf("1..%d\n", nr_tests);
	if (nr_failed)
		printf("# %d of %d failed\n", nr_failed, nr_tests);
	return nr_failed ? 1 : 0;
}
