// SPDX-License-Identifier: GPL-2.0
/*
 * libpzone: sysfs and cgroup access for pzonectl and pzoned.
 *
 * Layout (see notes/INTERFACE.md):
 *   $PZONE_SYSFS_ROOT/devices/system/pzone/{create,destroy,last_error,...}
 *   $PZONE_SYSFS_ROOT/devices/system/pzone/NAME/{node,base_node,size_bytes,...}
 *   $PZONE_CGROUP_ROOT[/PARENT]/pzone-NAME/{cgroup.procs,cpuset.mems}
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libpzone.h"

#define PZONE_SYSFS_DIR		"devices/system/pzone"

static const char * const pzone_reserved_names[] = {
	"block_size_bytes", "reserved_nodes", "available_nodes",
	"create", "destroy", "last_error",
};

static void pzone_root_env(char *dst, size_t len, const char *env,
			   const char *def)
{
	const char *val = getenv(env);

	if (!val || !*val)
		val = def;
	snprintf(dst, len, "%s", val);
}

/* $PZONE_PROC_ROOT, default /proc: where /proc files are read. */
const char *pzone_proc_root(void)
{
	const char *root = getenv("PZONE_PROC_ROOT");

	return root && *root ? root : "/proc";
}

/*
 * The mount point of the first cgroup2 mount in /proc/self/mountinfo
 * ("ID PARENT MAJ:MIN ROOT MOUNTPOINT ... - cgroup2 ..."), octal escapes
 * undone.  Return: true if there is one.
 */
static bool pzone_cg_mount(char *dst, size_t len)
{
	char path[PZONE_PATH_MAX], *line = NULL;
	bool found = false;
	size_t cap = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/self/mountinfo", pzone_proc_root());
	f = fopen(path, "re");
	if (!f)
		return false;
	while (!found && getline(&line, &cap, f) > 0) {
		char *sep = strstr(line, " - "), *mnt, *save = NULL;
		size_t n = 0;
		int i;

		if (!sep || strncmp(sep + 3, "cgroup2 ", 8))
			continue;
		*sep = '\0';
		mnt = strtok_r(line, " ", &save);
		for (i = 0; i < 4 && mnt; i++)
			mnt = strtok_r(NULL, " ", &save);
		if (!mnt || mnt[0] != '/')
			continue;
		for (; *mnt && n + 1 < len; mnt++) {
			if (mnt[0] == '\\' && mnt[1] >= '0' && mnt[1] <= '3' &&
			    mnt[2] >= '0' && mnt[2] <= '7' && mnt[3] >= '0' && mnt[3] <= '7') {
				dst[n++] = (char)((mnt[1] - '0') * 64 + (mnt[2] - '0') * 8 +
						  (mnt[3] - '0'));
				mnt += 3;
			} else {
				dst[n++] = *mnt;
			}
		}
		dst[n] = '\0';
		found = n > 0;
	}
	free(line);
	fclose(f);
	return found;
}

void pzone_ctx_init(struct pzone_ctx *ctx, const char *prog)
{
	const char *cg = getenv("PZONE_CGROUP_ROOT");

	memset(ctx, 0, sizeof(*ctx));
	pzone_root_env(ctx->sysfs_root, sizeof(ctx->sysfs_root),
		       "PZONE_SYSFS_ROOT", "/sys");
	if ((cg && *cg) ||
	    !pzone_cg_mount(ctx->cgroup_root, sizeof(ctx->cgroup_root)))
		pzone_root_env(ctx->cgroup_root, sizeof(ctx->cgroup_root),
			       "PZONE_CGROUP_ROOT", "/sys/fs/cgroup");
	ctx->prog = prog ? prog : "libpzone";
}

/**
 * pzone_parse_size() - parse "N[K|M|G|T][i][B]" (suffix case-insensitive).
 * Return: 0, -EINVAL for malformed input, -ERANGE when it overflows 64 bits.
 */
int pzone_parse_size(const char *s, uint64_t *bytes)
{
	uint64_t val = 0;
	unsigned int shift = 0;
	const char *p = s;

	if (!s || !isdigit((unsigned char)*p))
		return -EINVAL;
	for (; isdigit((unsigned char)*p); p++) {
		unsigned int d = (unsigned int)(*p - '0');

		if (val > (UINT64_MAX - d) / 10)
			return -ERANGE;
		val = val * 10 + d;
	}
	switch (tolower((unsigned char)*p)) {
	case 'k': shift = 10; break;
	case 'm': shift = 20; break;
	case 'g': shift = 30; break;
	case 't': shift = 40; break;
	}
	if (shift) {
		p++;
		if (tolower((unsigned char)p[0]) == 'i' &&
		    tolower((unsigned char)p[1]) == 'b')
			p += 2;
		else if (tolower((unsigned char)p[0]) == 'b')
			p++;
	}
	if (*p)
		return -EINVAL;
	if (shift && val > (UINT64_MAX >> shift))
		return -ERANGE;
	*bytes = val << shift;
	return 0;
}

/* Round @bytes up to a multiple of @block; -ERANGE on overflow. */
int pzone_round_up(uint64_t bytes, uint64_t block, uint64_t *out)
{
	uint64_t rem;

	if (!block)
		return -EINVAL;
	rem = bytes % block;
	if (rem && bytes > UINT64_MAX - (block - rem))
		return -ERANGE;
	*out = rem ? bytes + (block - rem) : bytes;
	return 0;
}

/* Return NULL if @name is a valid pzone name, else why it is not. */
const char *pzone_name_error(const char *name)
{
	size_t i, len = name ? strlen(name) : 0;

	if (!len)
		return "name is empty";
	if (len > PZONE_NAME_MAX)
		return "name is longer than 31 characters";
	for (i = 0; i < len; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-'))
			return "name may only contain [a-z0-9_-]";
	}
	for (i = 0; i < sizeof(pzone_reserved_names) / sizeof(pzone_reserved_names[0]); i++)
		if (!strcmp(name, pzone_reserved_names[i]))
			return "name is reserved (a file in /sys/devices/system/pzone)";
	return NULL;
}

/*
 * JSON-escape @src (without the surrounding quotes) into @dst, snprintf
 * style: always NUL-terminates when @len > 0, returns the length needed.
 */
size_t pzone_json_escape(char *dst, size_t len, const char *src)
{
	size_t n = 0;

	for (; *src; src++) {
		unsigned char c = (unsigned char)*src;
		char tmp[8];
		size_t i, tlen;

		switch (c) {
		case '"':  strcpy(tmp, "\\\""); break;
		case '\\': strcpy(tmp, "\\\\"); break;
		case '\b': strcpy(tmp, "\\b"); break;
		case '\f': strcpy(tmp, "\\f"); break;
		case '\n': strcpy(tmp, "\\n"); break;
		case '\r': strcpy(tmp, "\\r"); break;
		case '\t': strcpy(tmp, "\\t"); break;
		default:
			if (c < 0x20)
				snprintf(tmp, sizeof(tmp), "\\u%04x", c);
			else
				snprintf(tmp, sizeof(tmp), "%c", c);
		}
		tlen = strlen(tmp);
		for (i = 0; i < tlen; i++, n++)
			if (n + 1 < len)
				dst[n] = tmp[i];
	}
	if (len)
		dst[n < len ? n : len - 1] = '\0';
	return n;
}

/* Human-readable size: "64M" when exact, "1.5G" otherwise, "?" if unknown. */
int pzone_fmt_size(char *buf, size_t len, int64_t bytes)
{
	static const char units[] = "KMGT";
	int i;

	if (bytes < 0)
		return snprintf(buf, len, "?");
	for (i = 3; i >= 0; i--) {
		int64_t unit = (int64_t)1 << (10 * (i + 1));

		if (bytes < unit)
			continue;
		if (bytes % unit == 0)
			return snprintf(buf, len, "%" PRId64 "%c",
					bytes / unit, units[i]);
		return snprintf(buf, len, "%.1f%c", (double)bytes / unit,
				units[i]);
	}
	return snprintf(buf, len, "%" PRId64, bytes);
}

/* "$ROOT/devices/system/pzone[/NAME][/FILE]" */
int pzone_path(const struct pzone_ctx *ctx, char *buf, size_t len,
	       const char *name, const char *file)
{
	int n = snprintf(buf, len, "%s/%s%s%s%s%s", ctx->sysfs_root,
			 PZONE_SYSFS_DIR, name ? "/" : "", name ? name : "",
			 file ? "/" : "", file ? file : "");

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

static bool pzone_is_dir(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

bool pzone_is_supported(const struct pzone_ctx *ctx)
{
	char path[PZONE_PATH_MAX];

	return !pzone_path(ctx, path, sizeof(path), NULL, NULL) &&
	       pzone_is_dir(path);
}

bool pzone_exists(const struct pzone_ctx *ctx, const char *name)
{
	char path[PZONE_PATH_MAX];

	return !pzone_name_error(name) &&
	       !pzone_path(ctx, path, sizeof(path), name, NULL) &&
	       pzone_is_dir(path);
}

static void pzone_trace(const struct pzone_ctx *ctx, const char *op,
			const char *path, const char *val, int err)
{
	if (!ctx->trace)
		return;
	if (err)
		fprintf(ctx->trace, "%s: %s %s: %s\n", ctx->prog, op, path,
			strerror(-err));
	else
		fprintf(ctx->trace, "%s: %s %s: \"%s\"\n", ctx->prog, op, path,
			val);
}

/* Read a small file into @buf, trailing newlines stripped. */
int pzone_read_file(const struct pzone_ctx *ctx, const char *path,
		    char *buf, size_t len)
{
	size_t n = 0;
	int fd, err = 0;

	if (!len)
		return -EINVAL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		goto out;
	}
	while (n + 1 < len) {
		ssize_t r = read(fd, buf + n, len - 1 - n);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			break;
		}
		if (!r)
			break;
		n += (size_t)r;
	}
	close(fd);
out:
	if (err)
		n = 0;
	buf[n] = '\0';
	while (n && buf[n - 1] == '\n')
		buf[--n] = '\0';
	pzone_trace(ctx, "read", path, buf, err);
	return err;
}

/* Write "@val\n" with a single write(), as echo(1) does. */
int pzone_write_file(const struct pzone_ctx *ctx, const char *path,
		     const char *val)
{
	char buf[PZONE_PATH_MAX];
	int fd, n, err = 0;
	ssize_t w;

	n = snprintf(buf, sizeof(buf), "%s\n", val);
	if (n < 0 || (size_t)n >= sizeof(buf))
		return -E2BIG;
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		goto out;
	}
	do {
		w = write(fd, buf, (size_t)n);
	} while (w < 0 && errno == EINTR);
	if (w < 0)
		err = -errno;
	else if (w != n)
		err = -EIO;
	if (close(fd) && !err)
		err = -errno;
out:
	pzone_trace(ctx, "write", path, val, err);
	return err;
}

int pzone_attr_read(const struct pzone_ctx *ctx, const char *name,
		    const char *file, char *buf, size_t len)
{
	char path[PZONE_PATH_MAX];
	int err = pzone_path(ctx, path, sizeof(path), name, file);

	if (err) {
		if (len)
			buf[0] = '\0';
		return err;
	}
	return pzone_read_file(ctx, path, buf, len);
}

int pzone_attr_read_s64(const struct pzone_ctx *ctx, const char *name,
			const char *file, int64_t *val)
{
	char buf[64], *end;
	long long v;
	int err = pzone_attr_read(ctx, name, file, buf, sizeof(buf));

	if (err)
		return err;
	errno = 0;
	v = strtoll(buf, &end, 10);
	if (end == buf || *end || errno)
		return -EINVAL;
	*val = v;
	return 0;
}

int pzone_attr_write(const struct pzone_ctx *ctx, const char *name,
		     const char *file, const char *val)
{
	char path[PZONE_PATH_MAX];
	int err = pzone_path(ctx, path, sizeof(path), name, file);

	return err ? err : pzone_write_file(ctx, path, val);
}

/*
 * Explain a failed write: the kernel's last_error (of pzone @name, or of
 * the root for create/destroy when @name is NULL), else strerror(-@err).
 */
void pzone_reason(const struct pzone_ctx *ctx, const char *name, int err,
		  char *buf, size_t len)
{
	/* The kernel never saw a write refused by the file's mode. */
	if (err != -EACCES && err != -EPERM &&
	    !pzone_attr_read(ctx, name, "last_error", buf, len) && buf[0])
		return;
	snprintf(buf, len, "%s", strerror(-err));
}

uint64_t pzone_block_size(const struct pzone_ctx *ctx)
{
	int64_t v;

	if (pzone_attr_read_s64(ctx, NULL, "block_size_bytes", &v) || v <= 0)
		return PZONE_BLOCK_DEFAULT;
	return (uint64_t)v;
}

int pzone_get(const struct pzone_ctx *ctx, const char *name,
	      struct pzone_info *info)
{
	static const struct {
		const char *file;
		size_t off;
	} nums[] = {
		{ "node",	  offsetof(struct pzone_info, node) },
		{ "base_node",	  offsetof(struct pzone_info, base_node) },
		{ "size_bytes",	  offsetof(struct pzone_info, size_bytes) },
		{ "kernel_bytes", offsetof(struct pzone_info, kernel_bytes) },
		{ "free_bytes",	  offsetof(struct pzone_info, free_bytes) },
		{ "nr_blocks",	  offsetof(struct pzone_info, nr_blocks) },
	};
	size_t i;

	if (pzone_name_error(name))
		return -EINVAL;
	if (!pzone_exists(ctx, name))
		return -ENOENT;
	memset(info, 0, sizeof(*info));
	snprintf(info->name, sizeof(info->name), "%s", name);
	for (i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
		int64_t *val = (int64_t *)((char *)info + nums[i].off);

		if (pzone_attr_read_s64(ctx, name, nums[i].file, val))
			*val = -1;
	}
	pzone_attr_read(ctx, name, "state", info->state, sizeof(info->state));
	pzone_attr_read(ctx, name, "last_error", info->last_error,
			sizeof(info->last_error));
	return 0;
}

static int pzone_cmp_names(const void *a, const void *b)
{
	return strcmp(*(char * const *)a, *(char * const *)b);
}

/*
 * List pzones: subdirectories of the root with a valid name that hold a
 * base_node file (so driver-core dirs such as "power" are skipped).
 * Return: the number of names (sorted, in *@names; free with
 * pzone_list_free()) or -errno.
 */
int pzone_list(const struct pzone_ctx *ctx, char ***names)
{
	char path[PZONE_PATH_MAX];
	char **list = NULL;
	struct dirent *de;
	int nr = 0, cap = 0, err;
	DIR *dir;

	*names = NULL;
	err = pzone_path(ctx, path, sizeof(path), NULL, NULL);
	if (err)
		return err;
	dir = opendir(path);
	if (!dir)
		return -errno;
	while ((de = readdir(dir))) {
		char file[PZONE_PATH_MAX];

		if (pzone_name_error(de->d_name) ||
		    pzone_path(ctx, file, sizeof(file), de->d_name, "base_node") ||
		    access(file, F_OK))
			continue;
		if (nr == cap) {
			char **tmp;

			cap = cap ? cap * 2 : 8;
			tmp = realloc(list, (size_t)cap * sizeof(*list));
			if (!tmp)
				goto err_nomem;
			list = tmp;
		}
		list[nr] = strdup(de->d_name);
		if (!list[nr])
			goto err_nomem;
		nr++;
	}
	closedir(dir);
	if (nr)
		qsort(list, (size_t)nr, sizeof(*list), pzone_cmp_names);
	*names = list;
	return nr;

err_nomem:
	closedir(dir);
	pzone_list_free(list, nr);
	return -ENOMEM;
}

void pzone_list_free(char **names, int nr)
{
	int i;

	for (i = 0; i < nr; i++)
		free(names[i]);
	free(names);
}

int pzone_create(const struct pzone_ctx *ctx, const char *name, int base_node,
		 uint64_t size_bytes, const uint64_t *kernel_bytes)
{
	return pzone_create_range(ctx, name, base_node, size_bytes, kernel_bytes,
				  NULL);
}

/* @range: NULL, or the physical addresses {start, end} of a range pzone. */
int pzone_create_range(const struct pzone_ctx *ctx, const char *name,
		       int base_node, uint64_t size_bytes,
		       const uint64_t *kernel_bytes, const uint64_t *range)
{
	char line[192], kernel[32] = "", rng[64] = "";

	if (pzone_name_error(name))
		return -EINVAL;
	if (kernel_bytes)
		snprintf(kernel, sizeof(kernel), " %" PRIu64, *kernel_bytes);
	if (range)
		snprintf(rng, sizeof(rng), " range=%" PRIu64 "-%" PRIu64,
			 range[0], range[1]);
	snprintf(line, sizeof(line), "%s %d %" PRIu64 "%s%s", name, base_node,
		 size_bytes, kernel, rng);
	return pzone_attr_write(ctx, NULL, "create", line);
}

int pzone_destroy(const struct pzone_ctx *ctx, const char *name, bool evacuate)
{
	char line[64];

	if (pzone_name_error(name))
		return -EINVAL;
	snprintf(line, sizeof(line), "%s%s", name, evacuate ? " evacuate" : "");
	return pzone_attr_write(ctx, NULL, "destroy", line);
}

int pzone_resize(const struct pzone_ctx *ctx, const char *name,
		 uint64_t size_bytes, bool reclaim)
{
	char val[48];

	if (pzone_name_error(name))
		return -EINVAL;
	snprintf(val, sizeof(val), "%" PRIu64 "%s", size_bytes,
		 reclaim ? " reclaim" : "");
	return pzone_attr_write(ctx, name, "size_bytes", val);
}

/**
 * pzone_set_cgroup_parent() - Put pzone-NAME cgroups under @dir.
 * @ctx: the context.
 * @dir: relative to the cgroup2 mount ("a/b", "/a/b"), or an absolute path
 *	 under it ("/sys/fs/cgroup/a/b"); NULL or "" is the root.
 *
 * Return: 0, or -EINVAL if @dir has a ".." component, -ENAMETOOLONG.
 */
int pzone_set_cgroup_parent(struct pzone_ctx *ctx, const char *dir)
{
	size_t rl = strlen(ctx->cgroup_root), n = 0;
	char buf[PZONE_PATH_MAX];
	const char *p;

	if (!dir)
		dir = "";
	while (rl > 1 && ctx->cgroup_root[rl - 1] == '/')
		rl--;
	p = dir;
	if (!strncmp(dir, ctx->cgroup_root, rl) && (dir[rl] == '/' || !dir[rl]))
		p = dir + rl;
	for (;;) {
		const char *e;
		size_t l;

		while (*p == '/')
			p++;
		if (!*p)
			break;
		e = strchrnul(p, '/');
		l = (size_t)(e - p);
		if (l == 2 && !strncmp(p, "..", 2))
			return -EINVAL;
		if (!(l == 1 && *p == '.')) {
			if (n + l + 2 > sizeof(buf))
				return -ENAMETOOLONG;
			if (n)
				buf[n++] = '/';
			memcpy(buf + n, p, l);
			n += l;
		}
		p = e;
	}
	buf[n] = '\0';
	memcpy(ctx->cgroup_parent, buf, n + 1);
	return 0;
}

/* The cgroup of pzone @name as people see it: "[PARENT/]pzone-NAME". */
int pzone_cg_name(const struct pzone_ctx *ctx, const char *name, char *buf,
		  size_t len)
{
	int n = snprintf(buf, len, "%s%s" PZONE_CGROUP_PREFIX "%s",
			 ctx->cgroup_parent, ctx->cgroup_parent[0] ? "/" : "", name);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* "$CGROUP_ROOT[/PARENT][/pzone-NAME][/FILE]" */
int pzone_cg_path(const struct pzone_ctx *ctx, char *buf, size_t len,
		  const char *name, const char *file)
{
	int n;

	if (name && pzone_name_error(name))
		return -EINVAL;
	n = snprintf(buf, len, "%s%s%s%s%s%s%s", ctx->cgroup_root,
		     ctx->cgroup_parent[0] ? "/" : "", ctx->cgroup_parent,
		     name ? "/" PZONE_CGROUP_PREFIX : "", name ? name : "",
		     file ? "/" : "", file ? file : "");
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

bool pzone_cg_exists(const struct pzone_ctx *ctx, const char *name)
{
	char path[PZONE_PATH_MAX];

	return !pzone_cg_path(ctx, path, sizeof(path), name, NULL) &&
	       pzone_is_dir(path);
}

bool pzone_cg_parent_exists(const struct pzone_ctx *ctx)
{
	char path[PZONE_PATH_MAX];

	return !pzone_cg_path(ctx, path, sizeof(path), NULL, NULL) &&
	       pzone_is_dir(path);
}

/* "$CGROUP_ROOT/REL[/FILE]" for any cgroup REL ("/a/b", "a/b" or "/"). */
int pzone_cg_rel_path(const struct pzone_ctx *ctx, char *buf, size_t len,
		      const char *rel, const char *file)
{
	int n;

	while (*rel == '/')
		rel++;
	n = snprintf(buf, len, "%s%s%s%s%s", ctx->cgroup_root, *rel ? "/" : "",
		     rel, file ? "/" : "", file ? file : "");
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* "cpuset" in REL's cgroup.subtree_control; *@did: this call wrote it. */
static int pzone_cg_enable_one(const struct pzone_ctx *ctx, const char *rel,
			       bool *did)
{
	char path[PZONE_PATH_MAX], buf[PZONE_VAL_MAX], *tok, *save;
	int err = pzone_cg_rel_path(ctx, path, sizeof(path), rel,
				    "cgroup.subtree_control");

	*did = false;
	if (err)
		return err;
	err = pzone_read_file(ctx, path, buf, sizeof(buf));
	if (err)
		return err;
	for (tok = strtok_r(buf, " \t\n", &save); tok;
	     tok = strtok_r(NULL, " \t\n", &save))
		if (!strcmp(tok, "cpuset") || !strcmp(tok, "+cpuset"))
			return 0;
	err = pzone_write_file(ctx, path, "+cpuset");
	*did = !err;
	return err;
}

/* The prefixes of @rel: "", "a", "a/b", ...; Return: their number or -errno. */
static int pzone_cg_prefixes(const char *rel, char (*pref)[PZONE_PATH_MAX])
{
	const char *p = rel;
	size_t n = 0;
	int nr = 1;

	pref[0][0] = '\0';
	for (;;) {
		const char *e;
		size_t l;

		while (*p == '/')
			p++;
		if (!*p)
			return nr;
		if (nr == PZONE_CG_DEPTH_MAX)
			return -ENAMETOOLONG;
		e = strchrnul(p, '/');
		l = (size_t)(e - p);
		if (n + l + 2 > PZONE_PATH_MAX)
			return -ENAMETOOLONG;
		memcpy(pref[nr], pref[nr - 1], n);
		if (n)
			pref[nr][n++] = '/';
		memcpy(pref[nr] + n, p, l);
		n += l;
		pref[nr][n] = '\0';
		nr++;
		p = e;
	}
}

/**
 * pzone_cg_enable_cpuset_in() - Make cpuset available to the children of
 * cgroup @rel: "+cpuset" in cgroup.subtree_control of the root, of every
 * ancestor of @rel and of @rel itself, where it is not there yet.
 * @ctx: the context.
 * @rel: the cgroup, relative to the mount ("" is the root).
 * @changed: NULL, or PZONE_CG_DEPTH_MAX flags: level k (0 the root) was
 *	     written by this call.
 * @nr_levels: NULL, or the number of levels done; on failure the ones
 *	       before the failing level, for pzone_cg_disable_cpuset_in().
 *
 * Return: 0 or -errno.
 */
int pzone_cg_enable_cpuset_in(const struct pzone_ctx *ctx, const char *rel,
			      bool *changed, int *nr_levels)
{
	static char pref[PZONE_CG_DEPTH_MAX][PZONE_PATH_MAX];
	int nr = pzone_cg_prefixes(rel, pref), i, err;
	bool did;

	if (nr_levels)
		*nr_levels = 0;
	if (nr < 0)
		return nr;
	for (i = 0; i < nr; i++) {
		err = pzone_cg_enable_one(ctx, pref[i], &did);
		if (err)
			return err;
		if (changed)
			changed[i] = did;
		if (nr_levels)
			*nr_levels = i + 1;
	}
	return 0;
}

/* Undo pzone_cg_enable_cpuset_in(): "-cpuset" where it wrote, deepest first. */
void pzone_cg_disable_cpuset_in(const struct pzone_ctx *ctx, const char *rel,
				const bool *changed, int nr_levels)
{
	static char pref[PZONE_CG_DEPTH_MAX][PZONE_PATH_MAX];
	char path[PZONE_PATH_MAX];
	int nr = pzone_cg_prefixes(rel, pref), i;

	if (nr < nr_levels)
		nr_levels = nr;
	for (i = nr_levels - 1; i >= 0; i--)
		if (changed[i] &&
		    !pzone_cg_rel_path(ctx, path, sizeof(path), pref[i],
				       "cgroup.subtree_control"))
			pzone_write_file(ctx, path, "-cpuset");
}

/*
 * pzone_cg_of_pid() - The cgroup v2 path of @pid ("/a/b"), from the "0::"
 * line of $PZONE_PROC_ROOT/PID/cgroup.
 * Return: 0; -ENODATA if there is no such line; -errno from reading it.
 */
int pzone_cg_of_pid(const struct pzone_ctx *ctx, pid_t pid, char *buf,
		    size_t len)
{
	char path[PZONE_PATH_MAX], *line = NULL;
	int err = -ENODATA;
	size_t cap = 0;
	ssize_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%ld/cgroup", pzone_proc_root(), (long)pid);
	f = fopen(path, "re");
	if (!f) {
		err = -errno;
		pzone_trace(ctx, "read", path, "", err);
		return err;
	}
	while ((n = getline(&line, &cap, f)) > 0) {
		if (strncmp(line, "0::", 3))
			continue;
		while (n > 0 && line[n - 1] == '\n')
			line[--n] = '\0';
		if ((size_t)n - 3 >= len) {
			err = -ENAMETOOLONG;
			break;
		}
		memcpy(buf, line + 3, (size_t)n - 2);
		err = 0;
		break;
	}
	free(line);
	fclose(f);
	pzone_trace(ctx, "read", path, err ? "" : buf, err);
	return err;
}

/* Make sure "cpuset" is in cgroup.subtree_control from the root to the parent. */
int pzone_cg_enable_cpuset(const struct pzone_ctx *ctx)
{
	return pzone_cg_enable_cpuset_in(ctx, ctx->cgroup_parent, NULL, NULL);
}

/* mkdir the pzone's cgroup; an existing one is fine. */
int pzone_cg_create(const struct pzone_ctx *ctx, const char *name)
{
	char path[PZONE_PATH_MAX];
	int err = pzone_cg_path(ctx, path, sizeof(path), name, NULL);

	if (err)
		return err;
	if (mkdir(path, 0755) && errno != EEXIST)
		err = -errno;
	pzone_trace(ctx, "mkdir", path, "", err);
	return err;
}

int pzone_cg_remove(const struct pzone_ctx *ctx, const char *name)
{
	char path[PZONE_PATH_MAX];
	int err = pzone_cg_path(ctx, path, sizeof(path), name, PZONE_CGROUP_FALLBACK);

	if (err)
		return err;
	if (!rmdir(path))
		pzone_trace(ctx, "rmdir", path, "", 0);
	else if (errno != ENOENT)
		pzone_trace(ctx, "rmdir", path, "", -errno);
	err = pzone_cg_path(ctx, path, sizeof(path), name, NULL);
	if (err)
		return err;
	if (rmdir(path))
		err = -errno;
	pzone_trace(ctx, "rmdir", path, "", err);
	return err;
}

int pzone_cg_set_mems(const struct pzone_ctx *ctx, const char *name, int node)
{
	char path[PZONE_PATH_MAX], val[16];
	int err = pzone_cg_path(ctx, path, sizeof(path), name, "cpuset.mems");

	if (err)
		return err;
	snprintf(val, sizeof(val), "%d", node);
	return pzone_write_file(ctx, path, val);
}

int pzone_cg_attach(const struct pzone_ctx *ctx, const char *name, pid_t pid)
{
	char path[PZONE_PATH_MAX], val[24];
	int err = pzone_cg_path(ctx, path, sizeof(path), name, "cgroup.procs");

	if (err)
		return err;
	snprintf(val, sizeof(val), "%ld", (long)pid);
	return pzone_write_file(ctx, path, val);
}

/* Processes listed in the cgroup.procs file @path. */
static int pzone_count_procs(const struct pzone_ctx *ctx, const char *path)
{
	char line[64];
	int nr = 0, err = 0;
	FILE *f;

	f = fopen(path, "re");
	if (!f) {
		err = -errno;
		pzone_trace(ctx, "read", path, "", err);
		return err;
	}
	while (fgets(line, sizeof(line), f))
		if (isdigit((unsigned char)line[0]))
			nr++;
	if (ferror(f))
		err = -EIO;
	fclose(f);
	if (ctx->trace && !err)
		fprintf(ctx->trace, "%s: read %s: %d task(s)\n", ctx->prog,
			path, nr);
	return err ? err : nr;
}

/*
 * Number of processes in the pzone's cgroup and its fallback child;
 * -ENOENT if there is no cgroup.
 */
int pzone_cg_nr_tasks(const struct pzone_ctx *ctx, const char *name)
{
	char path[PZONE_PATH_MAX];
	int nr, nr_fb, err;

	err = pzone_cg_path(ctx, path, sizeof(path), name, "cgroup.procs");
	if (err)
		return err;
	if (!pzone_cg_exists(ctx, name))
		return -ENOENT;
	nr = pzone_count_procs(ctx, path);
	if (nr < 0)
		return nr;
	err = pzone_cg_path(ctx, path, sizeof(path), name,
			    PZONE_CGROUP_FALLBACK "/cgroup.procs");
	if (err)
		return err;
	if (access(path, F_OK))
		return nr;
	nr_fb = pzone_count_procs(ctx, path);
	return nr_fb < 0 ? nr_fb : nr + nr_fb;
}

/*
 * The fallback child of the pzone's cgroup: created if missing, and marked
 * in the pzone's fallback_cgroups so that its tasks may fall back to the
 * base node.  The pzone's cgroup must exist (pzone_cg_setup()).
 */
int pzone_cg_fallback_setup(const struct pzone_ctx *ctx, const char *name)
{
	char path[PZONE_PATH_MAX], cg[PZONE_PATH_MAX];
	int err = pzone_cg_path(ctx, path, sizeof(path), name, PZONE_CGROUP_FALLBACK);

	if (err)
		return err;
	if (mkdir(path, 0755) && errno != EEXIST)
		err = -errno;
	pzone_trace(ctx, "mkdir", path, "", err);
	if (err)
		return err;
	err = pzone_cg_name(ctx, name, path, sizeof(path));
	if (err)
		return err;
	if (snprintf(cg, sizeof(cg), "/%s/" PZONE_CGROUP_FALLBACK, path) >=
	    (int)sizeof(cg))
		return -ENAMETOOLONG;
	return pzone_set_fallback(ctx, name, cg, true);
}

/* Move @pid into the fallback child of the pzone's cgroup. */
int pzone_cg_attach_fallback(const struct pzone_ctx *ctx, const char *name,
			     pid_t pid)
{
	char path[PZONE_PATH_MAX], val[24];
	int err = pzone_cg_path(ctx, path, sizeof(path), name,
				PZONE_CGROUP_FALLBACK "/cgroup.procs");

	if (err)
		return err;
	snprintf(val, sizeof(val), "%ld", (long)pid);
	return pzone_write_file(ctx, path, val);
}

/* Write "PATH" (@on) or "-PATH" to @file of pzone @name; PATH absolute. */
static int set_path_attr(const struct pzone_ctx *ctx, const char *name,
			 const char *file, const char *path, bool on)
{
	char val[PZONE_PATH_MAX + 2];

	if (pzone_name_error(name) || path[0] != '/')
		return -EINVAL;
	if (snprintf(val, sizeof(val), "%s%s", on ? "" : "-", path) >=
	    (int)sizeof(val))
		return -ENAMETOOLONG;
	return pzone_attr_write(ctx, name, file, val);
}

/*
 * Mark (@on) or unmark cgroup @cgroup ("/a/b", from the cgroup2 root) in
 * the fallback_cgroups file of pzone @name.
 */
int pzone_set_fallback(const struct pzone_ctx *ctx, const char *name,
		       const char *cgroup, bool on)
{
	return set_path_attr(ctx, name, "fallback_cgroups", cgroup, on);
}

/*
 * pzone_parse_dirs() - The lines of a NAME/dirs file:
 * "PATH<tab>MOVED<tab>UNMOVED<tab>FALLBACKS".  PATH never holds a tab or a
 * newline (the kernel refuses to bind such a path).
 * Return: the number of entries (at most @max), -EINVAL for a bad line.
 */
int pzone_parse_dirs(const char *buf, struct pzone_dir *dirs, int max)
{
	const char *p = buf;
	int n = 0;

	while (*p && n < max) {
		const char *nl = strchr(p, '\n'), *tab = strchr(p, '\t');
		long long v[3];
		char *end;
		int i;

		if (!nl)
			nl = p + strlen(p);
		if (!tab || tab > nl || (size_t)(tab - p) >= sizeof(dirs[n].path) ||
		    tab == p)
			return -EINVAL;
		memcpy(dirs[n].path, p, (size_t)(tab - p));
		dirs[n].path[tab - p] = '\0';
		p = tab + 1;
		for (i = 0; i < 3; i++) {
			errno = 0;
			v[i] = strtoll(p, &end, 10);
			if (end == p || errno || v[i] < 0 ||
			    (i < 2 ? *end != '\t' : end != nl))
				return -EINVAL;
			p = end + 1;
		}
		dirs[n].moved_pages = v[0];
		dirs[n].unmoved_pages = v[1];
		dirs[n].fallbacks = v[2];
		n++;
		p = *nl ? nl + 1 : nl;
	}
	return n;
}

/* The directories bound to pzone @name; -ENOENT without the dirs file. */
int pzone_dirs_get(const struct pzone_ctx *ctx, const char *name,
		   struct pzone_dir *dirs, int max)
{
	char buf[16384];
	int err = pzone_attr_read(ctx, name, "dirs", buf, sizeof(buf));

	return err ? err : pzone_parse_dirs(buf, dirs, max);
}

/*
 * The pzone that directory @dir (a path as the kernel prints it) is bound
 * to, in @owner.  Return: 0, -ENOENT if none, or a read error.
 */
int pzone_dir_find_owner(const struct pzone_ctx *ctx, const char *dir,
			 char *owner, size_t len)
{
	static struct pzone_dir dirs[PZONE_MAX_DIRS];
	char **names = NULL;
	int nr, i, j, n, err = -ENOENT;

	nr = pzone_list(ctx, &names);
	if (nr < 0)
		return nr;
	for (i = 0; i < nr && err == -ENOENT; i++) {
		n = pzone_dirs_get(ctx, names[i], dirs, PZONE_MAX_DIRS);
		for (j = 0; j < n; j++)
			if (!strcmp(dirs[j].path, dir)) {
				snprintf(owner, len, "%s", names[i]);
				err = 0;
				break;
			}
	}
	for (i = 0; i < nr; i++)
		free(names[i]);
	free(names);
	return err;
}

/* Bind (@on) or unbind directory @dir, an absolute path, to pzone @name. */
int pzone_set_dir(const struct pzone_ctx *ctx, const char *name,
		  const char *dir, bool on)
{
	return set_path_attr(ctx, name, "dirs", dir, on);
}

/* cpuset on from the root to the parent, pzone-NAME created, cpuset.mems = @node. */
int pzone_cg_setup(const struct pzone_ctx *ctx, const char *name, int node)
{
	int err = pzone_cg_enable_cpuset(ctx);

	if (!err)
		err = pzone_cg_create(ctx, name);
	if (!err)
		err = pzone_cg_set_mems(ctx, name, node);
	return err;
}

/*
 * pzone_kv_get() - value of @key in "key value" lines (stats, events,
 * pressure files).
 * Return: 0, -ENOENT if @key is absent, -EINVAL if its value is not a number.
 */
int pzone_kv_get(const char *buf, const char *key, int64_t *val)
{
	size_t klen = strlen(key);
	const char *p = buf;

	while (p && *p) {
		if (!strncmp(p, key, klen) && (p[klen] == ' ' || p[klen] == '\t')) {
			char *end;
			long long v;

			errno = 0;
			v = strtoll(p + klen, &end, 10);
			if (end == p + klen || errno ||
			    (*end && *end != '\n' && *end != ' '))
				return -EINVAL;
			*val = v;
			return 0;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return -ENOENT;
}

/*
 * pzone_node_meminfo() - a field of $ROOT/devices/system/node/nodeN/meminfo
 * ("Node N FIELD:   VALUE kB"), in bytes.
 * Return: 0, -ENOENT if the node or the field does not exist.
 */
int pzone_node_meminfo(const struct pzone_ctx *ctx, int node,
		       const char *field, uint64_t *bytes)
{
	char path[PZONE_PATH_MAX], line[256];
	size_t flen = strlen(field);
	int n, err = -ENOENT;
	FILE *f;

	n = snprintf(path, sizeof(path), "%s/devices/system/node/node%d/meminfo",
		     ctx->sysfs_root, node);
	if (n < 0 || (size_t)n >= sizeof(path))
		return -ENAMETOOLONG;
	f = fopen(path, "re");
	if (!f) {
		err = -errno;
		pzone_trace(ctx, "read", path, "", err);
		return err;
	}
	while (fgets(line, sizeof(line), f)) {
		unsigned long long kb;
		char *p = line;
		int skip = 0;

		/* "Node 1 MemFree:" */
		if (sscanf(p, "Node %*d %n", &skip) < 0 || !skip)
			continue;
		p += skip;
		if (strncmp(p, field, flen) || p[flen] != ':')
			continue;
		if (sscanf(p + flen + 1, "%llu", &kb) != 1) {
			err = -EINVAL;
			break;
		}
		/* the HugePages_* fields are counts, everything else kB */
		*bytes = strstr(p + flen + 1, "kB") ? (uint64_t)kb * 1024 : kb;
		err = 0;
		break;
	}
	fclose(f);
	if (ctx->trace)
		fprintf(ctx->trace, "%s: read %s: %s%s\n", ctx->prog, path, field,
			err ? " (missing)" : "");
	return err;
}

/* Open NAME/events for poll(); returns the fd or -errno. */
int pzone_events_open(const struct pzone_ctx *ctx, const char *name)
{
	char path[PZONE_PATH_MAX];
	int fd, err = pzone_path(ctx, path, sizeof(path), name, "events");

	if (err)
		return err;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	err = fd < 0 ? -errno : 0;
	pzone_trace(ctx, "open", path, "", err);
	return fd < 0 ? err : fd;
}

static void pzone_events_parse(const char *buf, struct pzone_events *ev)
{
	if (pzone_kv_get(buf, "low", &ev->low))
		ev->low = -1;
	if (pzone_kv_get(buf, "reclaim_failing", &ev->reclaim_failing))
		ev->reclaim_failing = -1;
	if (pzone_kv_get(buf, "oom", &ev->oom))
		ev->oom = -1;
	if (pzone_kv_get(buf, "oom_kill", &ev->oom_kill))
		ev->oom_kill = -1;
	if (pzone_kv_get(buf, "standby_used", &ev->standby_used))
		ev->standby_used = -1;
}

/*
 * pzone_events_read() - rewind @fd (from pzone_events_open()) and read it
 * to EOF, as sysfs_notify() pollers must before the next poll().
 * Return: 0 or -errno.
 */
int pzone_events_read(int fd, struct pzone_events *ev)
{
	char buf[1024];
	size_t n = 0;

	if (lseek(fd, 0, SEEK_SET) < 0)
		return -errno;
	for (;;) {
		ssize_t r = read(fd, buf + n, sizeof(buf) - 1 - n);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (!r)
			break;
		n += (size_t)r;
		if (n == sizeof(buf) - 1) {
			/* drain: the poller must reach EOF */
			char tmp[256];

			while (read(fd, tmp, sizeof(tmp)) > 0)
				;
			break;
		}
	}
	buf[n] = '\0';
	pzone_events_parse(buf, ev);
	return 0;
}

/* Read NAME/events by path (no fd kept). */
int pzone_events_get(const struct pzone_ctx *ctx, const char *name,
		     struct pzone_events *ev)
{
	char buf[1024];
	int err = pzone_attr_read(ctx, name, "events", buf, sizeof(buf));

	if (err)
		return err;
	pzone_events_parse(buf, ev);
	return 0;
}

/* One "key value" of NAME/FILE (stats, events, pressure). */
int pzone_attr_kv(const struct pzone_ctx *ctx, const char *name,
		  const char *file, const char *key, int64_t *val)
{
	char buf[2048];
	int err = pzone_attr_read(ctx, name, file, buf, sizeof(buf));

	return err ? err : pzone_kv_get(buf, key, val);
}

/* Does NAME/FILE exist (NAME NULL: the root)? */
bool pzone_has_attr(const struct pzone_ctx *ctx, const char *name,
		    const char *file)
{
	char path[PZONE_PATH_MAX];

	return !pzone_path(ctx, path, sizeof(path), name, file) &&
	       !access(path, F_OK);
}

/* Write NAME/standby_bytes. */
int pzone_set_standby(const struct pzone_ctx *ctx, const char *name,
		      uint64_t bytes)
{
	char val[32];

	if (pzone_name_error(name))
		return -EINVAL;
	snprintf(val, sizeof(val), "%" PRIu64, bytes);
	return pzone_attr_write(ctx, name, "standby_bytes", val);
}

/* Open $PZONE_PROC_ROOT/zoneinfo (default /proc/zoneinfo); path to @path. */
static FILE *zoneinfo_open(const struct pzone_ctx *ctx, char *path, size_t len,
			   int *err)
{
	const char *root = getenv("PZONE_PROC_ROOT");
	FILE *f;

	snprintf(path, len, "%s/zoneinfo", root && *root ? root : "/proc");
	f = fopen(path, "re");
	if (!f) {
		*err = -errno;
		pzone_trace(ctx, "read", path, "", *err);
	}
	return f;
}

/*
 * pzone_node_wmark_high() - sum of the high watermarks of @node's zones, in
 * bytes, from zoneinfo.  A shrink must leave this much free in the pzone
 * (the kernel's headroom rule).
 * Return: 0, -ENOENT if the node has no zone, -errno if unreadable.
 */
int pzone_node_wmark_high(const struct pzone_ctx *ctx, int node,
			  uint64_t *bytes)
{
	char path[PZONE_PATH_MAX], line[256];
	unsigned long long sum = 0, v;
	bool in = false, found = false;
	int n, err;
	FILE *f = zoneinfo_open(ctx, path, sizeof(path), &err);

	if (!f)
		return err;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "Node %d,", &n) == 1) {
			in = n == node;
			found |= in;
		} else if (in && sscanf(line, " high %llu", &v) == 1) {
			sum += v;
		}
	}
	fclose(f);
	if (!found)
		return -ENOENT;
	*bytes = (uint64_t)sum * (uint64_t)sysconf(_SC_PAGESIZE);
	return 0;
}

/*
 * pzone_zone_info() - free and managed bytes of zone @zone ("Normal") of
 * @node, from zoneinfo.  A grow takes blocks from the base node's
 * ZONE_NORMAL only, so this is what a base node can lend.
 * Return: 0, -ENOENT if there is no such zone.
 */
int pzone_zone_info(const struct pzone_ctx *ctx, int node, const char *zone,
		    uint64_t *free_bytes, uint64_t *managed_bytes)
{
	char path[PZONE_PATH_MAX], line[256], name[64];
	unsigned long long fr = 0, mg = 0, v;
	bool in = false;
	int found = 0, n, err;
	FILE *f = zoneinfo_open(ctx, path, sizeof(path), &err);

	if (!f)
		return err;
	while (fgets(line, sizeof(line), f)) {
		/* "Node 1, zone   Normal" */
		if (sscanf(line, "Node %d, zone %63s", &n, name) == 2) {
			in = n == node && !strcmp(name, zone);
			continue;
		}
		if (!in)
			continue;
		if (sscanf(line, " pages free %llu", &v) == 1) {
			fr = v;
			found |= 1;
		} else if (sscanf(line, " managed %llu", &v) == 1) {
			mg = v;
			found |= 2;
		}
	}
	fclose(f);
	if (found != 3)
		return -ENOENT;
	*free_bytes = (uint64_t)fr * (uint64_t)sysconf(_SC_PAGESIZE);
	*managed_bytes = (uint64_t)mg * (uint64_t)sysconf(_SC_PAGESIZE);
	if (ctx->trace)
		fprintf(ctx->trace, "%s: read %s: node %d zone %s free %llu managed %llu pages\n",
			ctx->prog, path, node, zone, fr, mg);
	return 0;
}

/*
 * pzone_kv_parse() - every "key value" line of @buf (stats, events,
 * pressure) into @kv, in file order, at most @max of them.  Keys are
 * [a-z0-9_], values decimal integers; blank lines are skipped.
 * Return: the number of pairs, -EINVAL on a line that is not "key value",
 * -E2BIG if there are more than @max.
 */
int pzone_kv_parse(const char *buf, struct pzone_kv *kv, int max)
{
	const char *p = buf;
	int nr = 0;

	while (*p) {
		const char *k = p, *eol = strchr(p, '\n');
		size_t klen = 0;
		long long v;
		char *end;

		if (!eol)
			eol = p + strlen(p);
		if (eol == p) {
			p++;
			continue;
		}
		while (k + klen < eol && (islower((unsigned char)k[klen]) ||
					  isdigit((unsigned char)k[klen]) || k[klen] == '_'))
			klen++;
		if (!klen || klen >= PZONE_KEY_MAX || k + klen == eol ||
		    (k[klen] != ' ' && k[klen] != '\t'))
			return -EINVAL;
		errno = 0;
		v = strtoll(k + klen, &end, 10);
		if (end == k + klen || errno || end != eol)
			return -EINVAL;
		if (nr == max)
			return -E2BIG;
		memcpy(kv[nr].key, k, klen);
		kv[nr].key[klen] = '\0';
		kv[nr].val = v;
		nr++;
		p = *eol ? eol + 1 : eol;
	}
	return nr;
}

/* Every "key value" pair of NAME/FILE; the count or -errno. */
int pzone_attr_kv_all(const struct pzone_ctx *ctx, const char *name,
		      const char *file, struct pzone_kv *kv, int max)
{
	char buf[4096];
	int err = pzone_attr_read(ctx, name, file, buf, sizeof(buf));

	return err ? err : pzone_kv_parse(buf, kv, max);
}

/*
 * pzone_counters_get() - NAME's stats, events and pressure files and its
 * standby_bytes.  A file the kernel does not have leaves its count at
 * -ENOENT (standby_bytes at -1); other read or parse errors are returned.
 * Return: 0, -ENOENT if there is no such pzone, or -errno.
 */
int pzone_counters_get(const struct pzone_ctx *ctx, const char *name,
		       struct pzone_counters *c)
{
	static const char * const files[] = { "stats", "events", "pressure" };
	struct pzone_kv *kv[] = { c->stats, c->events, c->pressure };
	int *nr[] = { &c->nr_stats, &c->nr_events, &c->nr_pressure };
	size_t i;
	int err;

	memset(c, 0, sizeof(*c));
	if (!pzone_exists(ctx, name))
		return -ENOENT;
	for (i = 0; i < 3; i++) {
		*nr[i] = pzone_attr_kv_all(ctx, name, files[i], kv[i], PZONE_KV_MAX);
		if (*nr[i] < 0 && *nr[i] != -ENOENT)
			return *nr[i];
	}
	err = pzone_attr_read_s64(ctx, name, "standby_bytes", &c->standby_bytes);
	if (err == -ENOENT)
		c->standby_bytes = -1;
	else if (err)
		return err;
	return 0;
}

/*
 * Kernel-memory limit: the kernel keeps it in NAME/kernel_limit_bytes
 * (0: none), the memory cgroup enforces it in memory.kmem.max of every
 * cgroup the pzone's tasks are put in.
 */

/* NAME/kernel_limit_bytes; 0 (no limit) on a kernel without the file. */
int pzone_kernel_limit(const struct pzone_ctx *ctx, const char *name,
		       uint64_t *bytes)
{
	int64_t v;
	int err;

	*bytes = 0;
	if (!pzone_has_attr(ctx, name, "kernel_limit_bytes"))
		return 0;
	err = pzone_attr_read_s64(ctx, name, "kernel_limit_bytes", &v);
	if (err)
		return err;
	if (v < 0)
		return -EINVAL;
	*bytes = (uint64_t)v;
	return 0;
}

/* Write NAME/kernel_limit_bytes; -EOPNOTSUPP if the kernel has no such file. */
int pzone_set_kernel_limit(const struct pzone_ctx *ctx, const char *name,
			   uint64_t bytes)
{
	char val[32];

	if (pzone_name_error(name))
		return -EINVAL;
	if (!pzone_has_attr(ctx, name, "kernel_limit_bytes"))
		return -EOPNOTSUPP;
	snprintf(val, sizeof(val), "%" PRIu64, bytes);
	return pzone_attr_write(ctx, name, "kernel_limit_bytes", val);
}

/* "memory" in REL's cgroup.subtree_control. */
static int pzone_cg_enable_memory_one(const struct pzone_ctx *ctx,
				      const char *rel)
{
	char path[PZONE_PATH_MAX], buf[PZONE_VAL_MAX], *tok, *save;
	int err = pzone_cg_rel_path(ctx, path, sizeof(path), rel,
				    "cgroup.subtree_control");

	if (!err)
		err = pzone_read_file(ctx, path, buf, sizeof(buf));
	if (err)
		return err;
	for (tok = strtok_r(buf, " \t\n", &save); tok;
	     tok = strtok_r(NULL, " \t\n", &save))
		if (!strcmp(tok, "memory") || !strcmp(tok, "+memory"))
			return 0;
	return pzone_write_file(ctx, path, "+memory");
}

/**
 * pzone_cg_apply_kernel_limit() - memory.kmem.max of cgroup @rel = @bytes.
 * @ctx: the context.
 * @rel: the cgroup, relative to the mount.
 * @bytes: the limit; 0 writes "max" where the file exists, and is a no-op
 *	   where it does not.
 *
 * For a limit, "+memory" goes into cgroup.subtree_control of the root and
 * of every ancestor of @rel where it is missing (it is never taken out
 * again: other controllers of a container may need it).
 *
 * Return: 0; -EOPNOTSUPP if the kernel has no memory.kmem.max; -errno.
 */
int pzone_cg_apply_kernel_limit(const struct pzone_ctx *ctx, const char *rel,
				uint64_t bytes)
{
	static char pref[PZONE_CG_DEPTH_MAX][PZONE_PATH_MAX];
	char path[PZONE_PATH_MAX], parent[PZONE_PATH_MAX], val[32], *slash;
	int nr, i, err;

	err = pzone_cg_rel_path(ctx, path, sizeof(path), rel, "memory.kmem.max");
	if (err)
		return err;
	if (!bytes) {
		err = access(path, F_OK) ? 0 : pzone_write_file(ctx, path, "max");
		return err == -EOPNOTSUPP ? 0 : err;	/* no counting: no limit */
	}
	snprintf(parent, sizeof(parent), "%s", rel);
	while ((slash = strrchr(parent, '/')) && !slash[1])
		*slash = '\0';	/* trailing slashes */
	slash = strrchr(parent, '/');
	if (slash)
		*slash = '\0';
	else
		parent[0] = '\0';
	nr = pzone_cg_prefixes(parent, pref);
	if (nr < 0)
		return nr;
	for (i = 0; i < nr; i++) {
		err = pzone_cg_enable_memory_one(ctx, pref[i]);
		if (err)
			return err;
	}
	if (access(path, F_OK))
		return errno == ENOENT ? -EOPNOTSUPP : -errno;
	snprintf(val, sizeof(val), "%" PRIu64, bytes);
	return pzone_write_file(ctx, path, val);
}

/* memory.kmem.current of cgroup @rel, in bytes. */
int pzone_cg_kernel_used(const struct pzone_ctx *ctx, const char *rel,
			 int64_t *bytes)
{
	char path[PZONE_PATH_MAX], buf[64], *end;
	long long v;
	int err = pzone_cg_rel_path(ctx, path, sizeof(path), rel,
				    "memory.kmem.current");

	if (!err)
		err = pzone_read_file(ctx, path, buf, sizeof(buf));
	if (err)
		return err;
	errno = 0;
	v = strtoll(buf, &end, 10);
	if (end == buf || *end || errno || v < 0)
		return -EINVAL;
	*bytes = v;
	return 0;
}
