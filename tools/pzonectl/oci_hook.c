// SPDX-License-Identifier: GPL-2.0
/*
 * oci_hook: the policy of "pzonectl oci-hook" (see oci_hook.h), and the
 * small JSON reader it needs.  No I/O: every input is a buffer or a list,
 * every result a struct or a message.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oci_hook.h"

const char * const oci_ann_keys[NR_OCI_ANNS] = {
	[OCI_ANN_SIZE]		= OCI_ANN_PREFIX "size",
	[OCI_ANN_NODE]		= OCI_ANN_PREFIX "node",
	[OCI_ANN_NAME]		= OCI_ANN_PREFIX "name",
	[OCI_ANN_KERNEL]	= OCI_ANN_PREFIX "kernel",
	[OCI_ANN_STANDBY]	= OCI_ANN_PREFIX "standby",
	[OCI_ANN_LIMIT]		= OCI_ANN_PREFIX "limit",
	[OCI_ANN_KERNEL_LIMIT]	= OCI_ANN_PREFIX "kernel_limit",
	[OCI_ANN_FALLBACK]	= OCI_ANN_PREFIX "fallback",
};
_Static_assert(sizeof(oci_ann_keys) / sizeof(oci_ann_keys[0]) == NR_OCI_ANNS,
	       "oci_ann_keys must match enum oci_ann");

/* org.pzone.kernel_limit is rounded up to pages, not blocks. */
#define OCI_PAGE_SIZE	4096

/* Largest size accepted; pzoned adds sizes, so keep two bits of room. */
#define OCI_SIZE_MAX	(UINT64_MAX >> 2)

/* Copy @src into @dst of @len bytes, truncating. */
static void oci_copy(char *dst, size_t len, const char *src)
{
	size_t n = strlen(src);

	if (n >= len)
		n = len - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static int oci_err(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* ---- a small JSON reader: walks one value, keeps what callbacks ask for ---- */

struct json {
	const char *s;
	size_t len, pos;
	int depth;
	const char *label;	/* "state" or the config.json path */
	char *err;
	size_t errlen;
};

typedef int (*json_member_fn)(struct json *j, const char *key, void *ctx);

/* A syntax error: "LABEL: malformed JSON at offset N: WHAT". */
static int json_syntax(struct json *j, const char *what)
{
	snprintf(j->err, j->errlen, "%s: malformed JSON at offset %zu: %s",
		 j->label, j->pos, what);
	return -EINVAL;
}

/* A well-formed document with content the hook refuses: "LABEL: WHY". */
static int json_refuse(struct json *j, const char *fmt, ...)
{
	char msg[OCI_ERR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(j->err, j->errlen, "%s: %s", j->label, msg);
	return -EINVAL;
}

static void json_ws(struct json *j)
{
	while (j->pos < j->len && (j->s[j->pos] == ' ' || j->s[j->pos] == '\t' ||
				   j->s[j->pos] == '\n' || j->s[j->pos] == '\r'))
		j->pos++;
}

/* The next character after white space, or -1 at the end. */
static int json_peek(struct json *j)
{
	json_ws(j);
	return j->pos < j->len ? (unsigned char)j->s[j->pos] : -1;
}

/*
 * After a member or element: 1 if a ',' says another follows, 0 if @close
 * ends the object or array; both are consumed.  Otherwise a syntax error.
 */
static int json_next(struct json *j, char close)
{
	int c = json_peek(j);

	if (c == ',' || c == close) {
		j->pos++;
		return c == ',';
	}
	if (c < 0)
		return json_syntax(j, "unexpected end of input");
	return json_syntax(j, close == '}' ? "expected ',' or '}'" :
					     "expected ',' or ']'");
}

static int json_hex4(struct json *j, unsigned int *cp)
{
	unsigned int v = 0;
	int i;

	if (j->len - j->pos < 4)
		return json_syntax(j, "unterminated \\u escape");
	for (i = 0; i < 4; i++) {
		int c = (unsigned char)j->s[j->pos + i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned int)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned int)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned int)(c - 'A' + 10);
		else
			return json_syntax(j, "bad hex digit in \\u escape");
	}
	j->pos += 4;
	*cp = v;
	return 0;
}

/* Append @c to @out if it fits; *n counts every byte, fitting or not. */
static void json_put(char *out, size_t outlen, size_t *n, char c)
{
	if (out && *n + 1 < outlen)
		out[*n] = c;
	(*n)++;
}

static void json_put_utf8(char *out, size_t outlen, size_t *n, unsigned int cp)
{
	if (cp < 0x80) {
		json_put(out, outlen, n, (char)cp);
	} else if (cp < 0x800) {
		json_put(out, outlen, n, (char)(0xc0 | (cp >> 6)));
		json_put(out, outlen, n, (char)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		json_put(out, outlen, n, (char)(0xe0 | (cp >> 12)));
		json_put(out, outlen, n, (char)(0x80 | ((cp >> 6) & 0x3f)));
		json_put(out, outlen, n, (char)(0x80 | (cp & 0x3f)));
	} else {
		json_put(out, outlen, n, (char)(0xf0 | (cp >> 18)));
		json_put(out, outlen, n, (char)(0x80 | ((cp >> 12) & 0x3f)));
		json_put(out, outlen, n, (char)(0x80 | ((cp >> 6) & 0x3f)));
		json_put(out, outlen, n, (char)(0x80 | (cp & 0x3f)));
	}
}

/*
 * A string at j->pos (which must be '"'), unescaped into @out (NULL: skip
 * it).  Return: 0; -E2BIG if it did not fit in @outlen (consumed anyway,
 * @out holds a prefix); -EINVAL on a syntax error.
 */
static int json_string(struct json *j, char *out, size_t outlen)
{
	size_t n = 0;
	int ret;

	j->pos++;
	for (;;) {
		unsigned int cp, lo;
		int c;

		if (j->pos >= j->len)
			return json_syntax(j, "unterminated string");
		c = (unsigned char)j->s[j->pos];
		if (c == '"') {
			j->pos++;
			break;
		}
		if (c < 0x20)
			return json_syntax(j, "control character in a string");
		j->pos++;
		if (c != '\\') {
			json_put(out, outlen, &n, (char)c);
			continue;
		}
		if (j->pos >= j->len)
			return json_syntax(j, "unterminated string");
		c = (unsigned char)j->s[j->pos++];
		switch (c) {
		case '"': case '\\': case '/':
			json_put(out, outlen, &n, (char)c);
			break;
		case 'b': json_put(out, outlen, &n, '\b'); break;
		case 'f': json_put(out, outlen, &n, '\f'); break;
		case 'n': json_put(out, outlen, &n, '\n'); break;
		case 'r': json_put(out, outlen, &n, '\r'); break;
		case 't': json_put(out, outlen, &n, '\t'); break;
		case 'u':
			ret = json_hex4(j, &cp);
			if (ret)
				return ret;
			if (cp >= 0xdc00 && cp <= 0xdfff)
				return json_syntax(j, "lone low surrogate in \\u escape");
			if (cp >= 0xd800 && cp <= 0xdbff) {
				if (j->len - j->pos < 2 || j->s[j->pos] != '\\' ||
				    j->s[j->pos + 1] != 'u')
					return json_syntax(j, "lone high surrogate in \\u escape");
				j->pos += 2;
				ret = json_hex4(j, &lo);
				if (ret)
					return ret;
				if (lo < 0xdc00 || lo > 0xdfff)
					return json_syntax(j, "lone high surrogate in \\u escape");
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			}
			if (!cp)
				return json_syntax(j, "\\u0000 in a string");
			json_put_utf8(out, outlen, &n, cp);
			break;
		default:
			j->pos--;
			return json_syntax(j, "bad escape in a string");
		}
	}
	if (out && outlen)
		out[n < outlen ? n : outlen - 1] = '\0';
	return out && n >= outlen ? -E2BIG : 0;
}

/*
 * A number at j->pos.  *@is_int is true when it is an integer that fits
 * in int64_t, and then *@val holds it.
 */
static int json_number(struct json *j, int64_t *val, bool *is_int)
{
	size_t start = j->pos;
	bool neg = false, intg = true, digits = false;
	uint64_t v = 0;

	if (j->s[j->pos] == '-') {
		neg = true;
		j->pos++;
	}
	if (j->pos < j->len && j->s[j->pos] == '0') {
		j->pos++;
		digits = true;
	} else {
		while (j->pos < j->len && isdigit((unsigned char)j->s[j->pos])) {
			unsigned int d = (unsigned int)(j->s[j->pos] - '0');

			if (v > ((uint64_t)INT64_MAX - d) / 10)
				intg = false;
			else
				v = v * 10 + d;
			j->pos++;
			digits = true;
		}
	}
	if (!digits)
		return json_syntax(j, "bad number");
	if (j->pos < j->len && j->s[j->pos] == '.') {
		j->pos++;
		intg = false;
		if (j->pos >= j->len || !isdigit((unsigned char)j->s[j->pos]))
			return json_syntax(j, "bad number");
		while (j->pos < j->len && isdigit((unsigned char)j->s[j->pos]))
			j->pos++;
	}
	if (j->pos < j->len && (j->s[j->pos] == 'e' || j->s[j->pos] == 'E')) {
		j->pos++;
		intg = false;
		if (j->pos < j->len && (j->s[j->pos] == '+' || j->s[j->pos] == '-'))
			j->pos++;
		if (j->pos >= j->len || !isdigit((unsigned char)j->s[j->pos]))
			return json_syntax(j, "bad number");
		while (j->pos < j->len && isdigit((unsigned char)j->s[j->pos]))
			j->pos++;
	}
	if (j->pos < j->len && isdigit((unsigned char)j->s[j->pos])) {
		j->pos = start;
		return json_syntax(j, "bad number (leading zero)");
	}
	*is_int = intg;
	if (intg)
		*val = neg ? -(int64_t)v : (int64_t)v;
	return 0;
}

static int json_skip(struct json *j);

/*
 * An object at j->pos (which must be '{'): @fn is called for each member
 * with the key, positioned at the value, and must consume the value.  Keys
 * too long for the buffer cannot be one the hook knows: their values are
 * skipped.
 */
static int json_object(struct json *j, json_member_fn fn, void *ctx)
{
	char key[128];
	int c, ret;

	if (++j->depth > OCI_JSON_DEPTH)
		return json_syntax(j, "nested too deeply");
	j->pos++;
	if (json_peek(j) == '}') {
		j->pos++;
		j->depth--;
		return 0;
	}
	for (;;) {
		bool toolong;

		c = json_peek(j);
		if (c < 0)
			return json_syntax(j, "unexpected end of input");
		if (c != '"')
			return json_syntax(j, "expected a string (object key)");
		ret = json_string(j, key, sizeof(key));
		if (ret && ret != -E2BIG)
			return ret;
		toolong = ret == -E2BIG;
		c = json_peek(j);
		if (c != ':')
			return json_syntax(j, c < 0 ? "unexpected end of input" : "expected ':'");
		j->pos++;
		if (json_peek(j) < 0)
			return json_syntax(j, "unexpected end of input");
		ret = toolong || !fn ? json_skip(j) : fn(j, key, ctx);
		if (ret)
			return ret;
		ret = json_next(j, '}');
		if (ret < 0)
			return ret;
		if (!ret)
			break;
	}
	j->depth--;
	return 0;
}

static int json_array_skip(struct json *j)
{
	int ret;

	if (++j->depth > OCI_JSON_DEPTH)
		return json_syntax(j, "nested too deeply");
	j->pos++;
	if (json_peek(j) == ']') {
		j->pos++;
		j->depth--;
		return 0;
	}
	for (;;) {
		if (json_peek(j) < 0)
			return json_syntax(j, "unexpected end of input");
		ret = json_skip(j);
		if (ret)
			return ret;
		ret = json_next(j, ']');
		if (ret < 0)
			return ret;
		if (!ret)
			break;
	}
	j->depth--;
	return 0;
}

static int json_literal(struct json *j, const char *word)
{
	size_t n = strlen(word);

	if (j->len - j->pos < n || memcmp(j->s + j->pos, word, n))
		return json_syntax(j, "unexpected character");
	j->pos += n;
	return 0;
}

/* Any value at j->pos, read and dropped. */
static int json_skip(struct json *j)
{
	int64_t v;
	bool is_int;

	switch (json_peek(j)) {
	case -1:
		return json_syntax(j, "unexpected end of input");
	case '"':
		return json_string(j, NULL, 0);
	case '{':
		return json_object(j, NULL, NULL);
	case '[':
		return json_array_skip(j);
	case 't':
		return json_literal(j, "true");
	case 'f':
		return json_literal(j, "false");
	case 'n':
		return json_literal(j, "null");
	default:
		if (j->s[j->pos] == '-' || isdigit((unsigned char)j->s[j->pos]))
			return json_number(j, &v, &is_int);
		return json_syntax(j, "unexpected character");
	}
}

/* The whole document: one object, members to @fn, nothing after it. */
static int json_document(struct json *j, json_member_fn fn, void *ctx)
{
	int c = json_peek(j), ret;

	if (c < 0)
		return json_refuse(j, "empty (want a JSON object)");
	if (c != '{') {
		ret = json_skip(j);
		return ret ? ret : json_refuse(j, "not a JSON object");
	}
	ret = json_object(j, fn, ctx);
	if (ret)
		return ret;
	if (json_peek(j) >= 0)
		return json_syntax(j, "trailing characters after the JSON value");
	return 0;
}

/* A string member the hook needs: type and length checked. */
static int json_member_string(struct json *j, const char *key, char *out,
			      size_t len)
{
	int ret;

	if (json_peek(j) != '"')
		return json_refuse(j, "\"%s\" is not a string", key);
	ret = json_string(j, out, len);
	if (ret == -E2BIG)
		return json_refuse(j, "\"%s\" is longer than %zu bytes", key, len - 1);
	return ret;
}

static int annotation_member(struct json *j, const char *key, void *ctx)
{
	struct oci_annotations *ann = ctx;
	int i, ret;

	if (strncmp(key, OCI_ANN_PREFIX, strlen(OCI_ANN_PREFIX)))
		return json_skip(j);
	for (i = 0; i < NR_OCI_ANNS; i++)
		if (!strcmp(key, oci_ann_keys[i]))
			break;
	if (i == NR_OCI_ANNS)
		return json_refuse(j, "unknown annotation \"%s\"", key);
	if (json_peek(j) != '"')
		return json_refuse(j, "annotation \"%s\" is not a string", key);
	ret = json_string(j, ann->val[i], sizeof(ann->val[i]));
	if (ret == -E2BIG)
		return json_refuse(j, "annotation \"%s\" is longer than %d bytes",
				   key, OCI_VAL_MAX - 1);
	if (ret)
		return ret;
	ann->set[i] = true;
	ann->any = true;
	return 0;
}

/* The value of an "annotations" member: an object, or null (absent). */
static int annotations_value(struct json *j, struct oci_annotations *ann)
{
	int c = json_peek(j);

	if (c == 'n')
		return json_literal(j, "null");
	if (c != '{')
		return json_refuse(j, "\"annotations\" is not an object");
	ann->found = true;
	return json_object(j, annotation_member, ann);
}

struct state_ctx {
	struct oci_state *st;
	bool has_id, has_status;
};

static int state_member(struct json *j, const char *key, void *ctx)
{
	struct state_ctx *sc = ctx;
	struct oci_state *st = sc->st;
	bool is_int;
	int64_t v;
	int ret;

	if (!strcmp(key, "id")) {
		sc->has_id = true;
		return json_member_string(j, key, st->id, sizeof(st->id));
	}
	if (!strcmp(key, "status")) {
		sc->has_status = true;
		return json_member_string(j, key, st->status, sizeof(st->status));
	}
	if (!strcmp(key, "bundle")) {
		st->has_bundle = true;
		return json_member_string(j, key, st->bundle, sizeof(st->bundle));
	}
	if (!strcmp(key, "annotations"))
		return annotations_value(j, &st->ann);
	if (strcmp(key, "pid"))
		return json_skip(j);
	if (json_peek(j) != '-' && !isdigit(json_peek(j)))
		return json_refuse(j, "\"pid\" is not a number");
	ret = json_number(j, &v, &is_int);
	if (ret)
		return ret;
	if (!is_int)
		return json_refuse(j, "\"pid\" is not an integer");
	st->has_pid = true;
	st->pid = v;
	return 0;
}

/**
 * oci_state_parse() - Parse the OCI state JSON a runtime gives a hook.
 * @buf, @len: the document.
 * @st: the fields the hook uses; id and status are "" when absent.
 * @err, @errlen: "state: <why>" on failure.
 *
 * Return: 0, or -EINVAL for malformed JSON, a value of the wrong type or
 * an unknown org.pzone.* annotation.
 */
int oci_state_parse(const char *buf, size_t len, struct oci_state *st,
		    char *err, size_t errlen)
{
	struct json j = { .s = buf, .len = len, .label = "state",
			  .err = err, .errlen = errlen };
	struct state_ctx sc = { .st = st };
	int ret;

	memset(st, 0, sizeof(*st));
	err[0] = '\0';
	ret = json_document(&j, state_member, &sc);
	if (ret)
		return ret;
	if (!sc.has_id)
		return oci_err(err, errlen, "state: missing \"id\"");
	if (!sc.has_status)
		return oci_err(err, errlen, "state: missing \"status\"");
	return 0;
}

static int config_member(struct json *j, const char *key, void *ctx)
{
	if (strcmp(key, "annotations"))
		return json_skip(j);
	return annotations_value(j, ctx);
}

/**
 * oci_config_parse() - The org.pzone.* annotations of a bundle's config.json.
 * @buf, @len: the document.
 * @label: its path, for messages.
 * @ann: the annotations found.
 * @err, @errlen: "LABEL: <why>" on failure.
 *
 * Return: 0 or -EINVAL.
 */
int oci_config_parse(const char *buf, size_t len, const char *label,
		     struct oci_annotations *ann, char *err, size_t errlen)
{
	struct json j = { .s = buf, .len = len, .label = label,
			  .err = err, .errlen = errlen };

	memset(ann, 0, sizeof(*ann));
	err[0] = '\0';
	return json_document(&j, config_member, ann);
}

/* ---- the hook's policy ---- */

/* createRuntime sees "creating" (runtime-spec) or "created" (some runtimes). */
enum oci_action oci_status_action(const char *status)
{
	if (!strcmp(status, "creating") || !strcmp(status, "created"))
		return OCI_ACT_CREATE;
	if (!strcmp(status, "stopped"))
		return OCI_ACT_DESTROY;
	return OCI_ACT_NONE;
}

/**
 * oci_check_state() - The fields action @act needs are there and sane.
 * @st: a parsed state.
 * @act: what the hook is about to do.
 * @err, @errlen: the reason.
 *
 * Return: 0 or -EINVAL.
 */
int oci_check_state(const struct oci_state *st, enum oci_action act,
		    char *err, size_t errlen)
{
	const char *p;

	if (!st->id[0])
		return oci_err(err, errlen, "state: \"id\" is empty");
	for (p = st->id; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return oci_err(err, errlen, "state: \"id\" contains a control character");
	if (act != OCI_ACT_CREATE)
		return 0;
	if (!st->has_pid)
		return oci_err(err, errlen, "state: missing \"pid\"");
	if (st->pid <= 0 || st->pid > INT_MAX)
		return oci_err(err, errlen, "state: \"pid\" must be a positive integer, not %" PRId64,
			       st->pid);
	return 0;
}

/* FNV-1a, 32 bits. */
static uint32_t oci_hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 16777619u;
	}
	return h;
}

/**
 * oci_derive_name() - The default pzone name of container @id.
 * @id: the container id (non-empty).
 * @name, @len: the result, at least PZONE_NAME_MAX + 1 bytes.
 *
 * "oci-" + @id when @id is at most 27 characters of [a-z0-9_-].  Otherwise
 * "oci-" + the first 18 characters of @id, lowercased, others replaced by
 * '-', + "-" + 8 hex digits of a hash of the whole @id: 31 characters, so
 * that ids that differ only after their 18th character, or only in what was
 * replaced, still get different names.
 */
void oci_derive_name(const char *id, char *name, size_t len)
{
	const size_t room = PZONE_NAME_MAX - strlen(OCI_NAME_PREFIX);
	const size_t keep = room - 9;	/* "-" and 8 hex digits */
	char clean[PZONE_NAME_MAX + 1];
	size_t i, n = strlen(id);
	bool exact = n <= room;

	for (i = 0; i < n && i < room; i++) {
		char c = id[i];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
			   c == '_' || c == '-'))
			c = '-';
		if (c != id[i])
			exact = false;
		clean[i] = c;
	}
	clean[i] = '\0';
	if (exact) {
		snprintf(name, len, OCI_NAME_PREFIX "%s", clean);
		return;
	}
	clean[n < keep ? n : keep] = '\0';
	snprintf(name, len, OCI_NAME_PREFIX "%s-%08" PRIx32, clean, oci_hash(id));
}

/**
 * oci_parse_nodelist() - "0-3,5" into @mask[0..@max-1].
 * Return: 0, or -EINVAL if malformed or an id is @max or more.
 */
int oci_parse_nodelist(const char *s, bool *mask, int max)
{
	const char *p = s;

	memset(mask, 0, (size_t)max * sizeof(*mask));
	while (*p == ' ' || *p == '\n')
		p++;
	if (!*p)
		return 0;
	for (;;) {
		long lo, hi;
		char *end;

		if (!isdigit((unsigned char)*p))
			return -EINVAL;
		lo = strtol(p, &end, 10);
		hi = lo;
		p = end;
		if (*p == '-') {
			if (!isdigit((unsigned char)p[1]))
				return -EINVAL;
			hi = strtol(p + 1, &end, 10);
			p = end;
		}
		if (lo > hi || hi >= max)
			return -EINVAL;
		for (; lo <= hi; lo++)
			mask[lo] = true;
		if (*p != ',')
			break;
		p++;
	}
	while (*p == ' ' || *p == '\n')
		p++;
	return *p ? -EINVAL : 0;
}

/* Size annotation @i into @out, rounded up to @block. */
static int ann_size(const struct oci_annotations *ann, int i, uint64_t block,
		    uint64_t *out, char *err, size_t errlen)
{
	const char *v = ann->val[i];
	uint64_t bytes;
	int ret = pzone_parse_size(v, &bytes);

	if (ret == -ERANGE)
		return oci_err(err, errlen, "%s: \"%s\": size too large", oci_ann_keys[i], v);
	if (ret)
		return oci_err(err, errlen, "%s: \"%s\": not a size (bytes with optional K/M/G/T suffix)",
			       oci_ann_keys[i], v);
	if (pzone_round_up(bytes, block, out) || *out > OCI_SIZE_MAX)
		return oci_err(err, errlen, "%s: \"%s\": size too large", oci_ann_keys[i], v);
	return 0;
}

static int pick_node(const struct oci_annotations *ann, const struct oci_node *nodes,
		     int nr_nodes, int *node, char *err, size_t errlen)
{
	const char *key = oci_ann_keys[OCI_ANN_NODE], *v = ann->val[OCI_ANN_NODE];
	const struct oci_node *best = NULL;
	int i;

	if (ann->set[OCI_ANN_NODE]) {
		char *end;
		long n;

		errno = 0;
		n = strtol(v, &end, 10);
		if (!isdigit((unsigned char)v[0]) || *end || errno)
			return oci_err(err, errlen, "%s: \"%s\": not a node number", key, v);
		for (i = 0; i < nr_nodes; i++)
			if (nodes[i].id == n)
				break;
		if (i == nr_nodes)
			return oci_err(err, errlen, "%s: node %ld does not exist", key, n);
		if (nodes[i].pzone)
			return oci_err(err, errlen, "%s: node %ld is a pzone node, not an ordinary node",
				       key, n);
		if (!nodes[i].online)
			return oci_err(err, errlen, "%s: node %ld is offline", key, n);
		*node = (int)n;
		return 0;
	}
	for (i = 0; i < nr_nodes; i++) {
		const struct oci_node *c = &nodes[i];

		if (!c->online || c->pzone || !c->has_normal)
			continue;
		if (!best || c->free_normal > best->free_normal)
			best = c;
	}
	if (!best)
		return oci_err(err, errlen, "%s: not given, and no online ordinary node has ZONE_NORMAL memory",
			       key);
	*node = best->id;
	return 0;
}

/**
 * oci_params_validate() - Turn annotations into what createRuntime does.
 * @ann: annotations with org.pzone.size set.
 * @id: the container id, for the default name.
 * @block: block_size_bytes.
 * @nodes, @nr_nodes: every possible node.
 * @p: the result.
 * @err, @errlen: the first refusal, in the order size, kernel, limit,
 *		  standby, kernel_limit, fallback, name, node.
 *
 * The limit defaults to size + standby.  Whether the base node can give
 * the size, and whether the name is free, is the kernel's to say.
 *
 * Return: 0 or -EINVAL.
 */
int oci_params_validate(const struct oci_annotations *ann, const char *id,
			uint64_t block, const struct oci_node *nodes, int nr_nodes,
			struct oci_params *p, char *err, size_t errlen)
{
	const char *sz = ann->val[OCI_ANN_SIZE];
	int ret;

	memset(p, 0, sizeof(*p));
	if (!ann->set[OCI_ANN_SIZE])
		return oci_err(err, errlen, "%s: missing", oci_ann_keys[OCI_ANN_SIZE]);
	ret = ann_size(ann, OCI_ANN_SIZE, block, &p->size, err, errlen);
	if (ret)
		return ret;
	if (!p->size)
		return oci_err(err, errlen, "%s: \"%s\": must be greater than 0",
			       oci_ann_keys[OCI_ANN_SIZE], sz);
	if (ann->set[OCI_ANN_KERNEL]) {
		ret = ann_size(ann, OCI_ANN_KERNEL, block, &p->kernel, err, errlen);
		if (ret)
			return ret;
		if (p->kernel > p->size)
			return oci_err(err, errlen, "%s: \"%s\" is larger than %s \"%s\"",
				       oci_ann_keys[OCI_ANN_KERNEL], ann->val[OCI_ANN_KERNEL],
				       oci_ann_keys[OCI_ANN_SIZE], sz);
		p->has_kernel = true;
	}
	if (ann->set[OCI_ANN_LIMIT]) {
		ret = ann_size(ann, OCI_ANN_LIMIT, block, &p->limit, err, errlen);
		if (ret)
			return ret;
		if (p->limit < p->size)
			return oci_err(err, errlen, "%s: \"%s\" is smaller than %s \"%s\"",
				       oci_ann_keys[OCI_ANN_LIMIT], ann->val[OCI_ANN_LIMIT],
				       oci_ann_keys[OCI_ANN_SIZE], sz);
	}
	if (ann->set[OCI_ANN_STANDBY]) {
		ret = ann_size(ann, OCI_ANN_STANDBY, block, &p->standby, err, errlen);
		if (ret)
			return ret;
		if (ann->set[OCI_ANN_LIMIT] && p->standby > p->limit - p->size)
			return oci_err(err, errlen, "%s: \"%s\" is more than %s - %s (%" PRIu64 " bytes)",
				       oci_ann_keys[OCI_ANN_STANDBY], ann->val[OCI_ANN_STANDBY],
				       oci_ann_keys[OCI_ANN_LIMIT], oci_ann_keys[OCI_ANN_SIZE],
				       p->limit - p->size);
	}
	if (!ann->set[OCI_ANN_LIMIT])
		p->limit = p->size + p->standby;
	if (ann->set[OCI_ANN_KERNEL_LIMIT]) {
		ret = ann_size(ann, OCI_ANN_KERNEL_LIMIT, OCI_PAGE_SIZE, &p->kernel_limit,
			       err, errlen);
		if (ret)
			return ret;
		if (!p->kernel_limit)
			return oci_err(err, errlen, "%s: \"%s\": must be greater than 0",
				       oci_ann_keys[OCI_ANN_KERNEL_LIMIT],
				       ann->val[OCI_ANN_KERNEL_LIMIT]);
	}
	if (ann->set[OCI_ANN_FALLBACK]) {
		const char *v = ann->val[OCI_ANN_FALLBACK];

		if (strcmp(v, "true") && strcmp(v, "false"))
			return oci_err(err, errlen, "%s: \"%s\": not \"true\" or \"false\"",
				       oci_ann_keys[OCI_ANN_FALLBACK], v);
		p->fallback = !strcmp(v, "true");
	}
	if (ann->set[OCI_ANN_NAME]) {
		const char *why = pzone_name_error(ann->val[OCI_ANN_NAME]);

		if (why)
			return oci_err(err, errlen, "%s: \"%s\": %s", oci_ann_keys[OCI_ANN_NAME],
				       ann->val[OCI_ANN_NAME], why);
		oci_copy(p->name, sizeof(p->name), ann->val[OCI_ANN_NAME]);
	} else {
		oci_derive_name(id, p->name, sizeof(p->name));
	}
	return pick_node(ann, nodes, nr_nodes, &p->node, err, errlen);
}

/* ---- state files ---- */

/**
 * oci_record_format() - The state file of @r: "key=value" lines.
 * Return: 0; -EINVAL if a value holds a newline; -ENAMETOOLONG if @len is
 * too small.
 */
int oci_record_format(const struct oci_record *r, char *buf, size_t len)
{
	int n;

	if (strchr(r->id, '\n') || strchr(r->cgroup, '\n'))
		return -EINVAL;
	n = snprintf(buf, len,
		     "# pzonectl oci-hook: the pzone of an OCI container, for pzoned(8)\n"
		     "id=%s\nname=%s\nbase_node=%d\nnode=%" PRId64 "\n"
		     "guarantee_bytes=%" PRIu64 "\nlimit_bytes=%" PRIu64 "\n"
		     "standby_bytes=%" PRIu64 "\ncgroup=%s\n",
		     r->id, r->name, r->base_node, r->node, r->guarantee, r->limit,
		     r->standby, r->cgroup);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

static int record_u64(const char *key, const char *v, uint64_t *out, char *err,
		      size_t errlen)
{
	char *end;

	errno = 0;
	if (!isdigit((unsigned char)v[0]))
		return oci_err(err, errlen, "%s \"%s\": not a number", key, v);
	*out = strtoull(v, &end, 10);
	if (*end || errno || *out > OCI_SIZE_MAX)
		return oci_err(err, errlen, "%s \"%s\": not a number", key, v);
	return 0;
}

/**
 * oci_record_parse() - Read a state file (NUL-terminated @buf) into @r.
 * Unknown keys are ignored; id, name, base_node, guarantee_bytes and
 * limit_bytes are required.
 * Return: 0 or -EINVAL with the reason in @err.
 */
int oci_record_parse(const char *buf, struct oci_record *r, char *err,
		     size_t errlen)
{
	enum { R_ID = 1, R_NAME = 2, R_BASE = 4, R_GUAR = 8, R_LIMIT = 16 };
	static const char * const req[] = {
		"id", "name", "base_node", "guarantee_bytes", "limit_bytes",
	};
	unsigned int seen = 0;
	const char *p = buf, *why;
	int line = 0, ret, i;

	memset(r, 0, sizeof(*r));
	r->node = -1;
	while (*p) {
		const char *nl = strchr(p, '\n'), *eq;
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char l[PZONE_PATH_MAX + 32], *v;

		line++;
		if (n >= sizeof(l))
			return oci_err(err, errlen, "line %d: too long", line);
		memcpy(l, p, n);
		l[n] = '\0';
		p += n + (nl ? 1 : 0);
		if (!l[0] || l[0] == '#')
			continue;
		eq = strchr(l, '=');
		if (!eq)
			return oci_err(err, errlen, "line %d: not key=value", line);
		v = l + (eq - l) + 1;
		l[eq - l] = '\0';
		ret = 0;
		if (!strcmp(l, "id")) {
			if (strlen(v) > OCI_ID_MAX)
				return oci_err(err, errlen, "id: longer than %d bytes", OCI_ID_MAX);
			oci_copy(r->id, sizeof(r->id), v);
			seen |= R_ID;
		} else if (!strcmp(l, "name")) {
			why = pzone_name_error(v);
			if (why)
				return oci_err(err, errlen, "name \"%s\": %s", v, why);
			oci_copy(r->name, sizeof(r->name), v);
			seen |= R_NAME;
		} else if (!strcmp(l, "base_node")) {
			uint64_t b;

			ret = record_u64(l, v, &b, err, errlen);
			if (!ret && b >= OCI_MAX_NODES)
				ret = oci_err(err, errlen, "base_node \"%s\": not a node number", v);
			r->base_node = (int)b;
			seen |= R_BASE;
		} else if (!strcmp(l, "node")) {
			uint64_t d;

			ret = record_u64(l, v, &d, err, errlen);
			r->node = (int64_t)d;
		} else if (!strcmp(l, "guarantee_bytes")) {
			ret = record_u64(l, v, &r->guarantee, err, errlen);
			seen |= R_GUAR;
		} else if (!strcmp(l, "limit_bytes")) {
			ret = record_u64(l, v, &r->limit, err, errlen);
			seen |= R_LIMIT;
		} else if (!strcmp(l, "standby_bytes")) {
			ret = record_u64(l, v, &r->standby, err, errlen);
		} else if (!strcmp(l, "cgroup")) {
			oci_copy(r->cgroup, sizeof(r->cgroup), v);
		}
		if (ret)
			return ret;
	}
	for (i = 0; i < 5; i++)
		if (!(seen & (1u << i)))
			return oci_err(err, errlen, "missing \"%s\"", req[i]);
	if (!r->guarantee)
		return oci_err(err, errlen, "guarantee_bytes must be greater than 0");
	if (r->limit < r->guarantee)
		return oci_err(err, errlen, "limit_bytes is smaller than guarantee_bytes");
	if (r->standby > r->limit - r->guarantee)
		return oci_err(err, errlen, "standby_bytes is more than limit_bytes - guarantee_bytes");
	return 0;
}
