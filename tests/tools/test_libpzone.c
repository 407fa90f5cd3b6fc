// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests for libpzone's pure helpers; prints TAP.
 * Built and run by `make -C tools/pzonectl test`.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libpzone.h"

static int nr_tests, nr_failed;

static void ok(int cond, const char *fmt, const char *arg)
{
	nr_tests++;
	if (!cond)
		nr_failed++;
	printf("%sok %d - ", cond ? "" : "not ", nr_tests);
	printf(fmt, arg);
	putchar('\n');
}

static void size_ok(const char *s, uint64_t want)
{
	uint64_t got = 0;
	int err = pzone_parse_size(s, &got);

	ok(!err && got == want, "parse_size \"%s\"", s);
	if (err || got != want)
		printf("# err %d got %" PRIu64 " want %" PRIu64 "\n", err, got, want);
}

static void size_bad(const char *s, int want_err)
{
	uint64_t got = 0;
	int err = pzone_parse_size(s, &got);

	ok(err == want_err, "parse_size rejects \"%s\"", s);
	if (err != want_err)
		printf("# err %d want %d\n", err, want_err);
}

static void round_ok(uint64_t in, uint64_t want)
{
	uint64_t got = 0;
	char label[32];

	snprintf(label, sizeof(label), "%" PRIu64, in);
	ok(!pzone_round_up(in, 4194304, &got) && got == want,
	   "round_up %s to 4 MiB", label);
}

static void name_ok(const char *name, int valid)
{
	ok((pzone_name_error(name) == NULL) == valid, valid ? "name \"%s\" valid" :
	   "name \"%s\" invalid", name);
}

static void json_ok(const char *in, const char *want, const char *label)
{
	char buf[64];
	size_t n = pzone_json_escape(buf, sizeof(buf), in);

	ok(!strcmp(buf, want) && n == strlen(want), "json_escape %s", label);
	if (strcmp(buf, want))
		printf("# got '%s' want '%s'\n", buf, want);
}

/* zoneinfo parsing: the high watermarks of every zone of one node */
static void wmark_tests(void)
{
	char dir[] = "/tmp/test_libpzone.XXXXXX", path[64];
	struct pzone_ctx ctx = { .prog = "test" };
	uint64_t v = 0;
	FILE *f;

	if (!mkdtemp(dir)) {
		ok(0, "mkdtemp %s", dir);
		return;
	}
	snprintf(path, sizeof(path), "%s/zoneinfo", dir);
	f = fopen(path, "w");
	if (!f) {
		ok(0, "create %s", path);
		return;
	}
	fputs("Node 1, zone   Normal\n  pages free     100\n        min      10\n"
	      "        low      20\n        high     30\n        managed  400\n  pagesets\n"
	      "    cpu: 0\n              high:  600\n              batch: 63\n"
	      "Node 12, zone   Normal\n        high     5\n"
	      "Node 12, zone  Movable\n        high     7\n", f);
	fclose(f);
	setenv("PZONE_PROC_ROOT", dir, 1);
	ok(!pzone_node_wmark_high(&ctx, 12, &v) && v == 12 * (uint64_t)sysconf(_SC_PAGESIZE),
	   "node_wmark_high %s: sums the zones, not node 1's", "node 12");
	ok(!pzone_node_wmark_high(&ctx, 1, &v) && v == 30 * (uint64_t)sysconf(_SC_PAGESIZE),
	   "node_wmark_high %s: pageset 'high:' lines are not watermarks", "node 1");
	ok(pzone_node_wmark_high(&ctx, 2, &v) == -ENOENT, "node_wmark_high %s", "no node 2");
	{
		uint64_t fr = 0, mg = 0;
		long pg = sysconf(_SC_PAGESIZE);

		ok(!pzone_zone_info(&ctx, 1, "Normal", &fr, &mg) &&
		   fr == 100 * (uint64_t)pg && mg == 400 * (uint64_t)pg,
		   "zone_info %s: free and managed of the padded zone line", "node 1 Normal");
		ok(pzone_zone_info(&ctx, 12, "Normal", &fr, &mg) == -ENOENT,
		   "zone_info %s: no free/managed lines", "node 12 Normal");
		ok(pzone_zone_info(&ctx, 1, "Movable", &fr, &mg) == -ENOENT,
		   "zone_info %s", "no node 1 Movable");
	}
	unsetenv("PZONE_PROC_ROOT");
	unlink(path);
	rmdir(dir);
}

static void kv_tests(void)
{
	struct pzone_kv kv[4];
	int nr;

	nr = pzone_kv_parse("blocks_moved_in 12\nfailed_pages_pinned 3\n", kv, 4);
	ok(nr == 2 && !strcmp(kv[0].key, "blocks_moved_in") && kv[0].val == 12 &&
	   !strcmp(kv[1].key, "failed_pages_pinned") && kv[1].val == 3,
	   "kv_parse %s", "two pairs in order");
	nr = pzone_kv_parse("free_bytes 18446744073709551615\n", kv, 4);
	ok(nr == -EINVAL, "kv_parse %s", "out of range is an error");
	nr = pzone_kv_parse("free_bytes 9223372036854775807", kv, 4);
	ok(nr == 1 && kv[0].val == INT64_MAX, "kv_parse %s", "no final newline, int64 max");
	ok(pzone_kv_parse("", kv, 4) == 0, "kv_parse %s", "empty file");
	ok(pzone_kv_parse("\n\nlow 1\n\n", kv, 4) == 1, "kv_parse %s", "blank lines");
	ok(pzone_kv_parse("low\n", kv, 4) == -EINVAL, "kv_parse %s", "no value");
	ok(pzone_kv_parse("low 1x\n", kv, 4) == -EINVAL, "kv_parse %s", "junk after value");
	ok(pzone_kv_parse("Low 1\n", kv, 4) == -EINVAL, "kv_parse %s", "bad key");
	ok(pzone_kv_parse("a 1\nb 2\nc 3\nd 4\ne 5\n", kv, 4) == -E2BIG,
	   "kv_parse %s", "more than max");
}

/* NAME/dirs parsing: "PATH\tMOVED\tUNMOVED\tFALLBACKS" lines */
static void dirs_tests(void)
{
	static struct pzone_dir d[4];
	int n;

	n = pzone_parse_dirs("", d, 4);
	ok(n == 0, "parse_dirs %s: none", "empty");
	n = pzone_parse_dirs("/common\t16384\t3\t0\n/srv/a b\t0\t0\t7\n", d, 4);
	ok(n == 2 && !strcmp(d[0].path, "/common") && d[0].moved_pages == 16384 &&
	   d[0].unmoved_pages == 3 && d[0].fallbacks == 0 &&
	   !strcmp(d[1].path, "/srv/a b") && d[1].fallbacks == 7,
	   "parse_dirs %s", "two lines, a space in a path");
	n = pzone_parse_dirs("/x\t1\t2\t3", d, 4);
	ok(n == 1 && d[0].fallbacks == 3, "parse_dirs %s", "no final newline");
	n = pzone_parse_dirs("/a\t1\t1\t1\n/b\t1\t1\t1\n/c\t1\t1\t1\n", d, 2);
	ok(n == 2 && !strcmp(d[1].path, "/b"), "parse_dirs %s", "stops at max");
	ok(pzone_parse_dirs("/a 1 2 3\n", d, 4) == -EINVAL, "parse_dirs rejects %s",
	   "no tabs");
	ok(pzone_parse_dirs("/a\t1\t2\n", d, 4) == -EINVAL, "parse_dirs rejects %s",
	   "a missing column");
	ok(pzone_parse_dirs("/a\t1\tx\t3\n", d, 4) == -EINVAL, "parse_dirs rejects %s",
	   "a non-number");
	ok(pzone_parse_dirs("/a\t1\t-2\t3\n", d, 4) == -EINVAL, "parse_dirs rejects %s",
	   "a negative count");
	ok(pzone_parse_dirs("\t1\t2\t3\n", d, 4) == -EINVAL, "parse_dirs rejects %s",
	   "an empty path");
	ok(pzone_parse_dirs("/a\t1\t2\t3\t4\n", d, 4) == -EINVAL, "parse_dirs rejects %s",
	   "an extra column");
}

int main(void)
{
	char buf[8];
	uint64_t v;

	printf("TAP version 13\n");

	size_ok("4M", 4ULL << 20);
	size_ok("4m", 4ULL << 20);
	size_ok("4MiB", 4ULL << 20);
	size_ok("4mib", 4ULL << 20);
	size_ok("4MB", 4ULL << 20);
	size_ok("64K", 64ULL << 10);
	size_ok("1G", 1ULL << 30);
	size_ok("2GiB", 2ULL << 30);
	size_ok("1T", 1ULL << 40);
	size_ok("0", 0);
	size_ok("4194305", 4194305);
	size_ok("18446744073709551615", UINT64_MAX);
	size_bad("", -EINVAL);
	size_bad("-1", -EINVAL);
	size_bad("+1", -EINVAL);
	size_bad("12x", -EINVAL);
	size_bad("M", -EINVAL);
	size_bad("4 M", -EINVAL);
	size_bad("4MiBs", -EINVAL);
	size_bad("1.5G", -EINVAL);
	size_bad("18446744073709551616", -ERANGE);
	size_bad("99999999999999999999999", -ERANGE);
	size_bad("17179869184G", -ERANGE);
	ok(pzone_parse_size(NULL, &v) == -EINVAL, "parse_size rejects %s", "NULL");

	round_ok(0, 0);
	round_ok(1, 4194304);
	round_ok(4194304, 4194304);
	round_ok(4194305, 8388608);
	round_ok(67108864, 67108864);
	ok(pzone_round_up(UINT64_MAX, 4194304, &v) == -ERANGE,
	   "round_up %s overflows", "UINT64_MAX");
	ok(pzone_round_up(1, 0, &v) == -EINVAL, "round_up block %s rejected", "0");

	name_ok("web", 1);
	name_ok("a", 1);
	name_ok("db_1-x", 1);
	name_ok("0123456789012345678901234567890", 1);	/* 31 */
	name_ok("01234567890123456789012345678901", 0);	/* 32 */
	name_ok("", 0);
	name_ok("Web", 0);
	name_ok("a/b", 0);
	name_ok("..", 0);
	name_ok("a b", 0);
	name_ok("create", 0);
	name_ok("destroy", 0);
	name_ok("last_error", 0);
	name_ok("block_size_bytes", 0);
	name_ok("reserved_nodes", 0);
	name_ok("available_nodes", 0);
	ok(pzone_name_error(NULL) != NULL, "name %s invalid", "NULL");
	dirs_tests();

	wmark_tests();
	kv_tests();

	json_ok("plain", "plain", "plain");
	json_ok("a\"b", "a\\\"b", "quote");
	json_ok("a\\b", "a\\\\b", "backslash");
	json_ok("\n\t\r\b\f", "\\n\\t\\r\\b\\f", "short escapes");
	json_ok("\x01\x1f", "\\u0001\\u001f", "control chars");
	json_ok("", "", "empty");
	ok(pzone_json_escape(buf, sizeof(buf), "\"\"\"\"\"") == 10 &&
	   strlen(buf) == 7, "json_escape %s", "truncates like snprintf");

	pzone_fmt_size(buf, sizeof(buf), 64 << 20);
	ok(!strcmp(buf, "64M"), "fmt_size %s", "64M");
	pzone_fmt_size(buf, sizeof(buf), 3 << 29);
	ok(!strcmp(buf, "1.5G"), "fmt_size %s", "1.5G");
	pzone_fmt_size(buf, sizeof(buf), 100);
	ok(!strcmp(buf, "100"), "fmt_size %s", "100");
	pzone_fmt_size(buf, sizeof(buf), -1);
	ok(!strcmp(buf, "?"), "fmt_size %s", "unknown");

	printf("1..%d\n", nr_tests);
	if (nr_failed)
		printf("# %d of %d failed\n", nr_failed, nr_tests);
	return nr_failed ? 1 : 0;
}
