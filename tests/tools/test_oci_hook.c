// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests for the policy of "pzonectl oci-hook" (oci_hook.c): the
 * JSON reader, every refused input with its exact message, the default
 * name and node, and the state files.  Prints TAP.
 * Built and run by `make -C tools/pzonectl test`.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oci_hook.h"

static int nr_tests, nr_failed;

__attribute__((format(printf, 2, 3)))
static void ok(int cond, const char *fmt, ...)
{
	va_list ap;

	nr_tests++;
	if (!cond)
		nr_failed++;
	printf("%sok %d - ", cond ? "" : "not ", nr_tests);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* ---- state JSON ---- */

static int state(const char *json, struct oci_state *st, char *err)
{
	return oci_state_parse(json, strlen(json), st, err, OCI_ERR_MAX);
}

/* @json is refused by the parser, or by oci_check_state() for @act. */
static void state_bad(const char *json, enum oci_action act, const char *want)
{
	static struct oci_state st;
	char err[OCI_ERR_MAX] = "";
	int ret = state(json, &st, err);

	if (!ret)
		ret = oci_check_state(&st, act, err, sizeof(err));
	ok(ret == -EINVAL && !strcmp(err, want), "state refused: %s", want);
	if (ret != -EINVAL || strcmp(err, want))
		printf("# input %s\n# got %d '%s'\n", json, ret, err);
}

static void test_state(void)
{
	static struct oci_state st;
	char err[OCI_ERR_MAX], big[4096], *deep;
	int ret, i;

	ret = state("{\"ociVersion\": \"1.2.0\", \"id\": \"c1\", \"status\": \"creating\","
		    " \"pid\": 4242, \"bundle\": \"/run/b\", \"extra\": [1, 2.5e3, true,"
		    " null, {\"x\": [\"y\"]}], \"annotations\": {\"org.pzone.size\": \"64M\","
		    " \"org.pzone.node\": \"1\", \"io.other\": \"v\", \"org.pzoneX\": 1}}",
		    &st, err);
	ok(!ret, "full state parses");
	ok(!strcmp(st.id, "c1") && !strcmp(st.status, "creating") && st.has_pid &&
	   st.pid == 4242 && st.has_bundle && !strcmp(st.bundle, "/run/b"),
	   "state fields");
	ok(st.ann.found && st.ann.any && st.ann.set[OCI_ANN_SIZE] &&
	   !strcmp(st.ann.val[OCI_ANN_SIZE], "64M") && st.ann.set[OCI_ANN_NODE] &&
	   !st.ann.set[OCI_ANN_NAME], "state annotations: only org.pzone.* kept");
	ok(oci_check_state(&st, OCI_ACT_CREATE, err, sizeof(err)) == 0,
	   "createRuntime state passes the checks");

	ret = state(" {\"id\":\"a\\u00e9\\ud83d\\ude00\\n\\t\\\"\\\\\\/\",\"status\":\"stopped\","
		    "\"annotations\":null}\n", &st, err);
	ok(!ret && !strcmp(st.id, "a\xc3\xa9\xf0\x9f\x98\x80\n\t\"\\/"),
	   "escapes: \\u (BMP and surrogate pair) and the short ones");
	ok(!ret && !st.ann.found && !st.ann.any, "annotations: null is absent");
	ok(!ret && !st.has_pid, "stopped without pid parses");
	ok(oci_check_state(&st, OCI_ACT_DESTROY, err, sizeof(err)) == -EINVAL &&
	   !strcmp(err, "state: \"id\" contains a control character"),
	   "id with a control character refused");
	ret = state("{\"id\":\"a\",\"status\":\"stopped\"}", &st, err);
	ok(!ret && !oci_check_state(&st, OCI_ACT_DESTROY, err, sizeof(err)),
	   "poststop needs no pid");
	ret = state("{\"id\":\"a\",\"status\":\"running\",\"pid\":1,\"annotations\":{}}",
		    &st, err);
	ok(!ret && st.ann.found && !st.ann.any, "empty annotations object");

	/* malformed JSON: offset and what */
	state_bad("", OCI_ACT_CREATE, "state: empty (want a JSON object)");
	state_bad(" \n", OCI_ACT_CREATE, "state: empty (want a JSON object)");
	state_bad("[1]", OCI_ACT_CREATE, "state: not a JSON object");
	state_bad("\"x\"", OCI_ACT_CREATE, "state: not a JSON object");
	state_bad("{\"id\": \"a\",}", OCI_ACT_CREATE,
		  "state: malformed JSON at offset 11: expected a string (object key)");
	state_bad("{\"id\": \"a\"", OCI_ACT_CREATE,
		  "state: malformed JSON at offset 10: unexpected end of input");
	state_bad("{\"id\" \"a\"}", OCI_ACT_CREATE,
		  "state: malformed JSON at offset 6: expected ':'");
	state_bad("{\"id\": \"a\" \"status\": \"x\"}", OCI_ACT_CREATE,
		  "state: malformed JSON at offset 11: expected ',' or '}'");
	state_bad("{\"id\": \"a}", OCI_ACT_CREATE,
		  "state: malformed JSON at offset 10: unterminated string");
	state_bad("{\"id\": \"a\\x\"}", OCI_ACT_CREATE,
		  "state: malformed JSON at offset 10: bad escape in a string");
	state_bad("{\"id\": \"a\\u12g4\"}", OCI_ACT_CREATE,
		  "state: malformed JSON at offset 11: bad hex digit in \\u escape");
	state_bad("{\"id\": \"\\ud800x\"}", OCI_ACT_CREATE,
		  "state: malformed JSON at offset 14: lone high surrogate in \\u escape");
	state_bad("{\"id\": \"\\udc00\"}", OCI_ACT_CREATE,
		  "state: malformed JSON at offset 14: lone low surrogate in \\u escape");
	state_bad("{\"id\": \"\\u0000\"}", OCI_ACT_CREATE,
		  "state: malformed JSON at offset 14: \\u0000 in a string");
	state_bad("{\"id\": \"a\tb\"}", OCI_ACT_CREATE,
		  "state: malformed JSON at offset 9: control character in a string");
	state_bad("{\"id\": \"a\"} x", OCI_ACT_CREATE,
		  "state: malformed JSON at offset 12: trailing characters after the JSON value");
	state_bad("{\"x\": tru}", OCI_ACT_CREATE,
		  "state: malformed JSON at offset 6: unexpected character");
	state_bad("{\"x\": 01}", OCI_ACT_CREATE,
		  "state: malformed JSON at offset 6: bad number (leading zero)");
	state_bad("{\"x\": 1.}", OCI_ACT_CREATE,
		  "state: malformed JSON at offset 8: bad number");
	state_bad("{\"x\": -}", OCI_ACT_CREATE,
		  "state: malformed JSON at offset 7: bad number");
	state_bad("{\"x\": [1 2]}", OCI_ACT_CREATE,
		  "state: malformed JSON at offset 9: expected ',' or ']'");
	deep = malloc(200);
	strcpy(deep, "{\"x\":");
	for (i = 0; i < 70; i++)
		strcat(deep, "[");
	state_bad(deep, OCI_ACT_CREATE,
		  "state: malformed JSON at offset 68: nested too deeply");
	free(deep);

	/* well-formed, refused */
	state_bad("{\"status\": \"creating\", \"pid\": 1}", OCI_ACT_CREATE,
		  "state: missing \"id\"");
	state_bad("{\"id\": \"a\", \"pid\": 1}", OCI_ACT_CREATE,
		  "state: missing \"status\"");
	state_bad("{\"id\": \"a\", \"status\": \"creating\"}", OCI_ACT_CREATE,
		  "state: missing \"pid\"");
	state_bad("{\"id\": \"\", \"status\": \"creating\", \"pid\": 1}", OCI_ACT_CREATE,
		  "state: \"id\" is empty");
	state_bad("{\"id\": 7, \"status\": \"creating\"}", OCI_ACT_CREATE,
		  "state: \"id\" is not a string");
	state_bad("{\"id\": \"a\", \"status\": null}", OCI_ACT_CREATE,
		  "state: \"status\" is not a string");
	state_bad("{\"id\": \"a\", \"status\": \"creating\", \"bundle\": []}", OCI_ACT_CREATE,
		  "state: \"bundle\" is not a string");
	state_bad("{\"id\": \"a\", \"status\": \"creating\", \"pid\": \"1\"}", OCI_ACT_CREATE,
		  "state: \"pid\" is not a number");
	state_bad("{\"id\": \"a\", \"status\": \"creating\", \"pid\": 1.5}", OCI_ACT_CREATE,
		  "state: \"pid\" is not an integer");
	state_bad("{\"id\": \"a\", \"status\": \"creating\", \"pid\": 99999999999999999999}",
		  OCI_ACT_CREATE, "state: \"pid\" is not an integer");
	state_bad("{\"id\": \"a\", \"status\": \"creating\", \"pid\": 0}", OCI_ACT_CREATE,
		  "state: \"pid\" must be a positive integer, not 0");
	state_bad("{\"id\": \"a\", \"status\": \"created\", \"pid\": -3}", OCI_ACT_CREATE,
		  "state: \"pid\" must be a positive integer, not -3");
	state_bad("{\"id\": \"a\", \"status\": \"creating\", \"pid\": 4294967296}", OCI_ACT_CREATE,
		  "state: \"pid\" must be a positive integer, not 4294967296");
	state_bad("{\"id\": \"a\", \"status\": \"creating\", \"annotations\": []}", OCI_ACT_CREATE,
		  "state: \"annotations\" is not an object");
	state_bad("{\"id\": \"a\", \"annotations\": {\"org.pzone.size\": 64}}", OCI_ACT_CREATE,
		  "state: annotation \"org.pzone.size\" is not a string");
	state_bad("{\"id\": \"a\", \"annotations\": {\"org.pzone.sise\": \"64M\"}}", OCI_ACT_CREATE,
		  "state: unknown annotation \"org.pzone.sise\"");
	memset(big, 'x', sizeof(big));
	memcpy(big, "{\"id\": \"a\", \"annotations\": {\"org.pzone.name\": \"", 47);
	strcpy(big + 47 + 300, "\"}}");
	state_bad(big, OCI_ACT_CREATE,
		  "state: annotation \"org.pzone.name\" is longer than 255 bytes");
	memset(big, 'x', sizeof(big));
	memcpy(big, "{\"id\": \"", 8);
	strcpy(big + 8 + 1100, "\"}");
	state_bad(big, OCI_ACT_CREATE, "state: \"id\" is longer than 1024 bytes");

	ok(oci_status_action("creating") == OCI_ACT_CREATE &&
	   oci_status_action("created") == OCI_ACT_CREATE, "creating/created: create");
	ok(oci_status_action("stopped") == OCI_ACT_DESTROY, "stopped: destroy");
	ok(oci_status_action("running") == OCI_ACT_NONE &&
	   oci_status_action("") == OCI_ACT_NONE && oci_status_action("Creating") == OCI_ACT_NONE,
	   "other statuses: nothing");
}

static void test_config(void)
{
	static struct oci_annotations ann;
	char err[OCI_ERR_MAX];
	const char *cfg = "{\"ociVersion\":\"1.2.0\",\"process\":{\"args\":[\"sh\"],"
			  "\"env\":[\"A=1\"]},\"linux\":{\"resources\":{\"memory\":"
			  "{\"limit\":1e9}}},\"annotations\":{\"org.pzone.size\":\"128M\","
			  "\"org.pzone.limit\":\"1G\"},\"hooks\":{}}";
	int ret;

	ret = oci_config_parse(cfg, strlen(cfg), "/b/config.json", &ann, err, sizeof(err));
	ok(!ret && ann.any && !strcmp(ann.val[OCI_ANN_SIZE], "128M") &&
	   !strcmp(ann.val[OCI_ANN_LIMIT], "1G") && !ann.set[OCI_ANN_NODE],
	   "config.json annotations after nested members");
	ret = oci_config_parse("{\"process\":{}}", 14, "/b/config.json", &ann, err, sizeof(err));
	ok(!ret && !ann.found && !ann.any, "config.json without annotations");
	ret = oci_config_parse("{\"annotations\":{\"org.pzone.kernel\":[]}}", 39,
			       "/b/config.json", &ann, err, sizeof(err));
	ok(ret == -EINVAL && !strcmp(err, "/b/config.json: annotation \"org.pzone.kernel\" is not a string"),
	   "config.json: refused with its path: %s", err);
	ret = oci_config_parse("{\"process\":", 11, "/b/config.json", &ann, err, sizeof(err));
	ok(ret == -EINVAL && !strcmp(err, "/b/config.json: malformed JSON at offset 11: unexpected end of input"),
	   "config.json: malformed, with its path: %s", err);
}

/* ---- names ---- */

static void name_is(const char *id, const char *want)
{
	char name[PZONE_NAME_MAX + 1];

	oci_derive_name(id, name, sizeof(name));
	ok(!strcmp(name, want) && !pzone_name_error(name), "name of '%s' is %s", id, want);
	if (strcmp(name, want))
		printf("# got %s\n", name);
}

static void test_names(void)
{
	char a[PZONE_NAME_MAX + 1], b[PZONE_NAME_MAX + 1];
	const char *hex = "4f3c2a1b0e9d8c7b6a5f4e3d2c1b0a99887766554433221100ffeeddccbbaa99";

	name_is("web", "oci-web");
	name_is(hex, "oci-4f3c2a1b0e9d8c7b6a-5c7142a6");	/* the example in pzone.rst */
	name_is("my_ctr-1", "oci-my_ctr-1");
	name_is("abcdefghijklmnopqrstuvwxyz0", "oci-abcdefghijklmnopqrstuvwxyz0");	/* 27 */
	oci_derive_name("abcdefghijklmnopqrstuvwxyz01", a, sizeof(a));		/* 28 */
	ok(strlen(a) == 31 && !strncmp(a, "oci-abcdefghijklmnopqr-", 23) &&
	   !pzone_name_error(a), "28 characters: truncated to 18 plus a hash (%s)", a);
	oci_derive_name(hex, a, sizeof(a));
	ok(strlen(a) == 31 && !strncmp(a, "oci-4f3c2a1b0e9d8c7b6a-", 23) && !pzone_name_error(a),
	   "64-hex docker id: %s", a);
	oci_derive_name("4f3c2a1b0e9d8c7b6a5f4e3d2c1b0a99887766554433221100ffeeddccbbaa98", b,
			sizeof(b));
	ok(strcmp(a, b), "ids that differ only at the end get different names");
	oci_derive_name("Web", a, sizeof(a));
	oci_derive_name("web", b, sizeof(b));
	ok(strcmp(a, b) && strlen(a) == 16 && !strncmp(a, "oci-web-", 8) && !pzone_name_error(a),
	   "uppercase is lowered and hashed: %s differs from %s", a, b);
	oci_derive_name("my.ctr/1", a, sizeof(a));
	ok(!strncmp(a, "oci-my-ctr-1-", 13) && !pzone_name_error(a),
	   "other characters become '-', plus a hash: %s", a);
	oci_derive_name("a.b", a, sizeof(a));
	oci_derive_name("a-b", b, sizeof(b));
	ok(strcmp(a, b) && !strcmp(b, "oci-a-b"), "'a.b' and 'a-b' differ (%s, %s)", a, b);
}

/* ---- node lists ---- */

static void test_nodelist(void)
{
	bool m[OCI_MAX_NODES];

	ok(!oci_parse_nodelist("0-3,5\n", m, OCI_MAX_NODES) && m[0] && m[3] && !m[4] && m[5] &&
	   !m[6], "nodelist 0-3,5");
	ok(!oci_parse_nodelist("", m, OCI_MAX_NODES) && !m[0], "empty nodelist");
	ok(!oci_parse_nodelist("1023", m, OCI_MAX_NODES) && m[1023], "nodelist 1023");
	ok(oci_parse_nodelist("1024", m, OCI_MAX_NODES) == -EINVAL, "nodelist 1024 refused");
	ok(oci_parse_nodelist("3-1", m, OCI_MAX_NODES) == -EINVAL, "nodelist 3-1 refused");
	ok(oci_parse_nodelist("0,", m, OCI_MAX_NODES) == -EINVAL, "nodelist '0,' refused");
	ok(oci_parse_nodelist("x", m, OCI_MAX_NODES) == -EINVAL, "nodelist 'x' refused");
}

/* ---- annotations -> parameters ---- */

#define MIB (1024ULL * 1024ULL)

static const struct oci_node nodes[] = {
	{ .id = 0, .online = true, .has_normal = true, .free_normal = 1024 * MIB },
	{ .id = 1, .online = true, .has_normal = true, .free_normal = 3072 * MIB },
	{ .id = 2, .online = true, .pzone = true, .has_normal = true, .free_normal = 9999 * MIB },
	{ .id = 3, .pzone = true },
	{ .id = 4 },
	{ .id = 5, .online = true },
};
#define NR_NODES ((int)(sizeof(nodes) / sizeof(nodes[0])))

/* @kv: "key=value" pairs (key without "org.pzone."), NULL-terminated. */
static int params(struct oci_params *p, char *err, const struct oci_node *n, int nr, ...)
{
	static struct oci_annotations ann;
	const char *kv;
	va_list ap;
	int i;

	memset(&ann, 0, sizeof(ann));
	va_start(ap, nr);
	while ((kv = va_arg(ap, const char *))) {
		const char *eq = strchr(kv, '=');

		for (i = 0; i < NR_OCI_ANNS; i++)
			if (!strncmp(oci_ann_keys[i] + strlen(OCI_ANN_PREFIX), kv,
				     (size_t)(eq - kv)) &&
			    strlen(oci_ann_keys[i] + strlen(OCI_ANN_PREFIX)) == (size_t)(eq - kv))
				break;
		if (i == NR_OCI_ANNS)
			abort();
		ann.set[i] = true;
		snprintf(ann.val[i], sizeof(ann.val[i]), "%s", eq + 1);
	}
	va_end(ap);
	err[0] = '\0';
	return oci_params_validate(&ann, "ctr1", 4 * MIB, n, nr, p, err, OCI_ERR_MAX);
}

#define BAD(want, ...) do {							\
	struct oci_params p_;							\
	char e_[OCI_ERR_MAX];							\
	int r_ = params(&p_, e_, nodes, NR_NODES, __VA_ARGS__, NULL);		\
	ok(r_ == -EINVAL && !strcmp(e_, want), "refused: %s", want);		\
	if (r_ != -EINVAL || strcmp(e_, want))					\
		printf("# got %d '%s'\n", r_, e_);				\
} while (0)

static void test_params(void)
{
	static const struct oci_node none[] = {
		{ .id = 0, .online = true, .pzone = true, .has_normal = true, .free_normal = MIB },
		{ .id = 1, .has_normal = false },
		{ .id = 2, .online = true },
	};
	static const struct oci_node tie[] = {
		{ .id = 3, .online = true, .has_normal = true, .free_normal = 64 * MIB },
		{ .id = 7, .online = true, .has_normal = true, .free_normal = 64 * MIB },
	};
	struct oci_params p;
	char err[OCI_ERR_MAX];
	int ret;

	ret = params(&p, err, nodes, NR_NODES, "size=64M", NULL);
	ok(!ret && !strcmp(p.name, "oci-ctr1") && p.node == 1 && p.size == 64 * MIB &&
	   !p.has_kernel && p.standby == 0 && p.limit == 64 * MIB,
	   "defaults: derived name, node with most free ZONE_NORMAL (not a pzone node), limit = size");
	ret = params(&p, err, nodes, NR_NODES, "size=5M", "kernel=1M", "standby=6M", "name=web",
		     "node=0", NULL);
	ok(!ret && p.size == 8 * MIB && p.has_kernel && p.kernel == 4 * MIB &&
	   p.standby == 8 * MIB && p.limit == 16 * MIB && p.node == 0 && !strcmp(p.name, "web"),
	   "sizes rounded up to blocks; limit defaults to size + standby");
	ret = params(&p, err, nodes, NR_NODES, "size=64M", "kernel=0", "limit=1G", "standby=960M",
		     NULL);
	ok(!ret && p.has_kernel && !p.kernel && p.limit == 1024 * MIB && p.standby == 960 * MIB,
	   "kernel 0 (movable only), standby = limit - size");
	ok(!ret && !p.fallback, "strict unless org.pzone.fallback says otherwise");
	ret = params(&p, err, nodes, NR_NODES, "size=64M", "fallback=true", NULL);
	ok(!ret && p.fallback, "fallback=true");
	ret = params(&p, err, nodes, NR_NODES, "size=64M", "fallback=false", NULL);
	ok(!ret && !p.fallback, "fallback=false");
	ret = params(&p, err, tie, 2, "size=4M", NULL);
	ok(!ret && p.node == 3, "equal free memory: the lowest node id");

	BAD("org.pzone.size: missing", "name=web");
	BAD("org.pzone.size: \"0\": must be greater than 0", "size=0");
	BAD("org.pzone.size: \"0M\": must be greater than 0", "size=0M");
	BAD("org.pzone.size: \"12Q\": not a size (bytes with optional K/M/G/T suffix)", "size=12Q");
	BAD("org.pzone.size: \"\": not a size (bytes with optional K/M/G/T suffix)", "size=");
	BAD("org.pzone.size: \"-64M\": not a size (bytes with optional K/M/G/T suffix)", "size=-64M");
	BAD("org.pzone.size: \" 64M\": not a size (bytes with optional K/M/G/T suffix)", "size= 64M");
	BAD("org.pzone.size: \"99999999999999999999\": size too large", "size=99999999999999999999");
	BAD("org.pzone.size: \"99999999T\": size too large", "size=99999999T");
	BAD("org.pzone.kernel: \"x\": not a size (bytes with optional K/M/G/T suffix)",
	    "size=64M", "kernel=x");
	BAD("org.pzone.kernel: \"128M\" is larger than org.pzone.size \"64M\"",
	    "size=64M", "kernel=128M");
	BAD("org.pzone.limit: \"lots\": not a size (bytes with optional K/M/G/T suffix)",
	    "size=64M", "limit=lots");
	BAD("org.pzone.limit: \"32M\" is smaller than org.pzone.size \"64M\"",
	    "size=64M", "limit=32M");
	BAD("org.pzone.standby: \"1x\": not a size (bytes with optional K/M/G/T suffix)",
	    "size=64M", "standby=1x");
	BAD("org.pzone.standby: \"64M\" is more than org.pzone.limit - org.pzone.size (0 bytes)",
	    "size=64M", "limit=64M", "standby=64M");
	BAD("org.pzone.standby: \"68M\" is more than org.pzone.limit - org.pzone.size (67108864 bytes)",
	    "size=64M", "limit=128M", "standby=68M");
	BAD("org.pzone.fallback: \"yes\": not \"true\" or \"false\"", "size=64M", "fallback=yes");
	BAD("org.pzone.fallback: \"\": not \"true\" or \"false\"", "size=64M", "fallback=");
	BAD("org.pzone.name: \"Web\": name may only contain [a-z0-9_-]", "size=64M", "name=Web");
	BAD("org.pzone.name: \"a/b\": name may only contain [a-z0-9_-]", "size=64M", "name=a/b");
	BAD("org.pzone.name: \"\": name is empty", "size=64M", "name=");
	BAD("org.pzone.name: \"0123456789012345678901234567890123\": name is longer than 31 characters",
	    "size=64M", "name=0123456789012345678901234567890123");
	BAD("org.pzone.name: \"destroy\": name is reserved (a file in /sys/devices/system/pzone)",
	    "size=64M", "name=destroy");
	BAD("org.pzone.node: \"x\": not a node number", "size=64M", "node=x");
	BAD("org.pzone.node: \"-1\": not a node number", "size=64M", "node=-1");
	BAD("org.pzone.node: \"1 \": not a node number", "size=64M", "node=1 ");
	BAD("org.pzone.node: node 9 does not exist", "size=64M", "node=9");
	BAD("org.pzone.node: node 2 is a pzone node, not an ordinary node", "size=64M", "node=2");
	BAD("org.pzone.node: node 3 is a pzone node, not an ordinary node", "size=64M", "node=3");
	BAD("org.pzone.node: node 4 is offline", "size=64M", "node=4");
	/* node 5 has no ZONE_NORMAL: the kernel says so, not the policy */
	ret = params(&p, err, nodes, NR_NODES, "size=64M", "node=5", NULL);
	ok(!ret && p.node == 5, "a node without ZONE_NORMAL is left to the kernel");
	/* order: the first refusal is reported */
	BAD("org.pzone.size: \"0\": must be greater than 0", "size=0", "name=Web", "node=x");
	BAD("org.pzone.name: \"Web\": name may only contain [a-z0-9_-]", "size=4M", "name=Web",
	    "node=x");
	ret = params(&p, err, none, 3, "size=64M", NULL);
	ok(ret == -EINVAL && !strcmp(err, "org.pzone.node: not given, and no online ordinary node has ZONE_NORMAL memory"),
	   "no node to pick: %s", err);
}

/* ---- state files ---- */

static void record_bad(const char *text, const char *want)
{
	struct oci_record r;
	char err[OCI_ERR_MAX] = "";
	int ret = oci_record_parse(text, &r, err, sizeof(err));

	ok(ret == -EINVAL && !strcmp(err, want), "record refused: %s", want);
	if (ret != -EINVAL || strcmp(err, want))
		printf("# got %d '%s'\n", ret, err);
}

static void test_records(void)
{
	struct oci_record r = {
		.id = "4f3c2a", .name = "oci-4f3c2a", .base_node = 1, .node = 2,
		.guarantee = 64 * MIB, .limit = 256 * MIB, .standby = 16 * MIB,
		.cgroup = "/machine.slice/libpod-4f3c2a.scope",
	}, back;
	char buf[8192], err[OCI_ERR_MAX];
	int ret;

	ret = oci_record_format(&r, buf, sizeof(buf));
	ok(!ret && strstr(buf, "\nid=4f3c2a\nname=oci-4f3c2a\nbase_node=1\nnode=2\n"
			  "guarantee_bytes=67108864\nlimit_bytes=268435456\nstandby_bytes=16777216\n"
			  "cgroup=/machine.slice/libpod-4f3c2a.scope\n"), "record format");
	ret = oci_record_parse(buf, &back, err, sizeof(err));
	ok(!ret && !strcmp(back.id, r.id) && !strcmp(back.name, r.name) && back.base_node == 1 &&
	   back.node == 2 && back.guarantee == r.guarantee && back.limit == r.limit &&
	   back.standby == r.standby && !strcmp(back.cgroup, r.cgroup), "record round trip");
	ret = oci_record_parse("id=a\nname=b\nbase_node=0\nguarantee_bytes=4194304\n"
			       "limit_bytes=4194304\nfuture_key=1\n# comment\n\n", &back, err,
			       sizeof(err));
	ok(!ret && back.node == -1 && back.standby == 0 && !back.cgroup[0],
	   "record: optional keys default, unknown keys ignored");
	snprintf(r.id, sizeof(r.id), "a\nb");
	ok(oci_record_format(&r, buf, sizeof(buf)) == -EINVAL, "record: a newline in a value refused");
	ok(oci_record_format(&back, buf, 16) == -ENAMETOOLONG, "record: buffer too small");

	record_bad("id=a\nname=b\nbase_node=0\nguarantee_bytes=1\n", "missing \"limit_bytes\"");
	record_bad("name=b\n", "missing \"id\"");
	record_bad("id=a\nname=B\n", "name \"B\": name may only contain [a-z0-9_-]");
	record_bad("id=a\njunk\n", "line 2: not key=value");
	record_bad("id=a\nname=b\nbase_node=x\n", "base_node \"x\": not a number");
	record_bad("id=a\nname=b\nbase_node=5000\n", "base_node \"5000\": not a node number");
	record_bad("id=a\nname=b\nbase_node=0\nguarantee_bytes=-1\n",
		   "guarantee_bytes \"-1\": not a number");
	record_bad("id=a\nname=b\nbase_node=0\nguarantee_bytes=0\nlimit_bytes=1\n",
		   "guarantee_bytes must be greater than 0");
	record_bad("id=a\nname=b\nbase_node=0\nguarantee_bytes=8\nlimit_bytes=4\n",
		   "limit_bytes is smaller than guarantee_bytes");
	record_bad("id=a\nname=b\nbase_node=0\nguarantee_bytes=8\nlimit_bytes=8\nstandby_bytes=1\n",
		   "standby_bytes is more than limit_bytes - guarantee_bytes");
}

int main(void)
{
	printf("TAP version 13\n");
	test_state();
	test_config();
	test_names();
	test_nodelist();
	test_params();
	test_records();
	printf("1..%d\n", nr_tests);
	if (nr_failed)
		printf("# %d of %d failed\n", nr_failed, nr_tests);
	return nr_failed ? 1 : 0;
}
