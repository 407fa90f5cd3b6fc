// SPDX-License-Identifier: GPL-2.0
/*
 * sysfs_abi.c - the sysfs ABI of pzone (Documentation/ABI/testing/
 * sysfs-devices-system-pzone), with kselftest_harness:
 *   - create and destroy lines and their errnos: EINVAL for a malformed
 *     line, EEXIST for a name in use, ENOENT for destroy of an unknown name;
 *   - the mode of every file in /sys/devices/system/pzone/ and in a pzone's
 *     directory (0444 read-only, 0200 create/destroy, 0644 size_bytes,
 *     standby_bytes, fallback_cgroups and dirs), and no file the ABI does not list;
 *   - one value per file: node, base_node, size_bytes, kernel_bytes,
 *     nr_blocks and state each hold one token and a newline;
 *   - sizes written to create and size_bytes round up to block_size_bytes;
 *   - nodeN/pzone links to the pzone's directory while it exists and is
 *     gone after the destroy.
 * Every pzone a test creates is destroyed by the fixture's teardown.
 * Skips only if /sys/devices/system/pzone does not exist.
 *
 * Environment: PZ_BASE, the base node (default 1, the guest's 4 GiB node).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"

#define PZ_SYSFS	"/sys/devices/system/pzone"
#define NODE_SYSFS	"/sys/devices/system/node"
#define MIB		(1024LL * 1024LL)
#define MAX_NAMES	20
/* Seconds per test: creates and destroys are slow in a TCG guest. */
#define TIMEOUT		120

/* One write(2) of @s to @path: 0 or the errno. */
static int write_str(const char *path, const char *s)
{
	size_t len = strlen(s);
	ssize_t r;
	int fd, err = 0;

	fd = open(path, O_WRONLY);
	if (fd < 0)
		return errno;
	r = write(fd, s, len);
	if (r < 0)
		err = errno;
	else if ((size_t)r != len)
		err = EIO;
	close(fd);
	return err;
}

/* @fmt... and a newline, written in one write(2) to @path. */
__attribute__((format(printf, 2, 3)))
static int write_line(const char *path, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	if (n < 0 || n >= (int)sizeof(buf) - 1)
		return E2BIG;
	buf[n] = '\n';
	buf[n + 1] = '\0';
	return write_str(path, buf);
}

/* The whole of @path in @buf (NUL-terminated): its length, or -errno. */
static ssize_t read_all(const char *path, char *buf, size_t len)
{
	ssize_t r, n = 0;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -errno;
	while ((size_t)n < len - 1) {
		r = read(fd, buf + n, len - 1 - n);
		if (r < 0) {
			r = -errno;
			close(fd);
			return r;
		}
		if (!r)
			break;
		n += r;
	}
	buf[n] = '\0';
	close(fd);
	return n;
}

/*
 * One value per file: @path holds exactly one token and a newline; the
 * token (without the newline) in @val.  0 or an errno-like code (EBADMSG
 * for a file that is not one token and a newline).
 */
static int read_value(const char *path, char *val, size_t len)
{
	char buf[4096];
	ssize_t n = read_all(path, buf, sizeof(buf));

	if (n < 0)
		return -n;
	if (n < 2 || buf[n - 1] != '\n' || strcspn(buf, " \t\n") != (size_t)n - 1 ||
	    (size_t)n > len)
		return EBADMSG;
	buf[n - 1] = '\0';
	strcpy(val, buf);
	return 0;
}

/* A decimal value from a one-value file; -1 if it is not one. */
static long long read_num(const char *path)
{
	char val[64], *end;
	long long v;

	if (read_value(path, val, sizeof(val)) || val[0] < '0' || val[0] > '9')
		return -1;
	errno = 0;
	v = strtoll(val, &end, 10);
	return errno || *end ? -1 : v;
}

static int pz_exists(const char *name)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), PZ_SYSFS "/%s", name);
	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

static int pz_create(const char *name, int base, const char *size)
{
	return write_line(PZ_SYSFS "/create", "%s %d %s", name, base, size);
}

static int pz_destroy(const char *name)
{
	return write_line(PZ_SYSFS "/destroy", "%s", name);
}

static long long pz_num(const char *name, const char *file)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), PZ_SYSFS "/%s/%s", name, file);
	return read_num(path);
}

static int base_node(void)
{
	const char *s = getenv("PZ_BASE");

	return s && *s ? atoi(s) : 1;
}

static const char *last_error(void)
{
	static char buf[512];

	if (read_all(PZ_SYSFS "/last_error", buf, sizeof(buf)) < 0)
		strcpy(buf, "?");
	buf[strcspn(buf, "\n")] = '\0';
	return buf;
}

/* The expected mode of every file of a directory; the rest must not exist. */
struct mode_entry {
	const char *name;
	mode_t mode;
	int seen;	/* set by check_modes() */
};

/*
 * Check the regular files of @dir against @tab: each listed file exists with
 * its mode, and no other regular file exists.  Directories (pzones, power)
 * and symlinks (subsystem) are not files of the ABI.  Returns the number of
 * mismatches, each logged.
 */
static int check_modes(struct __test_metadata *_metadata, const char *dir,
		       struct mode_entry *tab, size_t n)
{
	char path[PATH_MAX];
	struct dirent *de;
	struct stat st;
	int bad = 0;
	size_t i;
	DIR *d;

	d = opendir(dir);
	if (!d) {
		TH_LOG("opendir %s: %s", dir, strerror(errno));
		return 1;
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (lstat(path, &st)) {
			TH_LOG("lstat %s: %s", path, strerror(errno));
			bad++;
			continue;
		}
		if (!S_ISREG(st.st_mode))
			continue;
		for (i = 0; i < n; i++)
			if (!strcmp(tab[i].name, de->d_name))
				break;
		if (i == n) {
			TH_LOG("%s: a file the ABI does not list (mode %04o)", path,
			       st.st_mode & 07777);
			bad++;
			continue;
		}
		tab[i].seen = 1;
		if ((st.st_mode & 07777) != tab[i].mode) {
			TH_LOG("%s: mode %04o, want %04o", path, st.st_mode & 07777,
			       tab[i].mode);
			bad++;
		}
	}
	closedir(d);
	for (i = 0; i < n; i++) {
		if (!tab[i].seen) {
			TH_LOG("%s/%s: missing", dir, tab[i].name);
			bad++;
		}
	}
	return bad;
}

/* ------------------------------------------------------------------ */

/* No pzone to start with; every name a test creates is destroyed after it. */
FIXTURE(root) {
	int base;
	long long block;
	int nr_names;
	char names[MAX_NAMES][64];
};

FIXTURE_SETUP(root)
{
	if (access(PZ_SYSFS, F_OK))
		SKIP(return, "%s does not exist (kernel without CONFIG_PZONE_SYSFS)",
		     PZ_SYSFS);
	self->base = base_node();
	self->nr_names = 0;
	self->block = read_num(PZ_SYSFS "/block_size_bytes");
	ASSERT_GT(self->block, 0);
}

FIXTURE_TEARDOWN(root)
{
	int i;

	for (i = 0; i < self->nr_names; i++) {
		if (!pz_exists(self->names[i]))
			continue;
		EXPECT_EQ(0, pz_destroy(self->names[i])) {
			TH_LOG("teardown: destroy %s: %s", self->names[i], last_error());
		}
	}
}

/* Remember @name for the teardown, then create it: 0 or the errno. */
static int root_create(struct __test_metadata *_metadata,
		       FIXTURE_DATA(root) *self, const char *name, const char *size)
{
	ASSERT_LT(self->nr_names, MAX_NAMES);
	snprintf(self->names[self->nr_names++], sizeof(self->names[0]), "%s", name);
	return pz_create(name, self->base, size);
}

TEST_F_TIMEOUT(root, create_malformed_einval, TIMEOUT)
{
	const char *lines[] = {
		"",			/* empty */
		"kst_abi_m",		/* name only */
		"kst_abi_m %d",		/* no size */
		"kst_abi_m %d 0",	/* size 0 */
		"kst_abi_m x 64M",	/* base node not a number */
		"kst_abi_m -1 64M",	/* negative base node */
		"kst_abi_m 7 64M",	/* no such base node */
		"kst_abi_m %d abc",	/* size not a number */
		"kst_abi_m %d -4M",	/* negative size */
		"kst_abi_m %d 8M 16M",	/* kernel size > size */
		"kst_abi_m %d 8M 4X",	/* kernel size not a number */
		"UPPER %d 8M",		/* bad name */
		"a/b %d 8M",		/* bad name */
		"create %d 8M",		/* a file name of the root */
		"abcdefghijklmnopqrstuvwxyz012345 %d 8M",	/* 32 characters */
	};
	char line[128], name[64];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(lines); i++) {
		snprintf(line, sizeof(line), lines[i], self->base);
		/* Should one be accepted after all, the teardown destroys it. */
		if (sscanf(line, "%63s", name) == 1 && self->nr_names < MAX_NAMES)
			snprintf(self->names[self->nr_names++], sizeof(self->names[0]),
				 "%s", name);
		EXPECT_EQ(EINVAL, write_line(PZ_SYSFS "/create", "%s", line)) {
			TH_LOG("create '%s': last_error '%s'", line, last_error());
		}
	}
	EXPECT_FALSE(pz_exists("kst_abi_m"));
}

TEST_F_TIMEOUT(root, create_duplicate_eexist, TIMEOUT)
{
	ASSERT_EQ(0, root_create(_metadata, self, "kst_abi_dup", "8M")) {
		TH_LOG("create kst_abi_dup: %s", last_error());
	}
	EXPECT_EQ(EEXIST, pz_create("kst_abi_dup", self->base, "8M"));
	EXPECT_EQ(EEXIST, pz_create("kst_abi_dup", self->base, "16M"));
	/* The refused creates did not touch the pzone. */
	EXPECT_EQ(8 * MIB, pz_num("kst_abi_dup", "size_bytes"));
	EXPECT_EQ(0, pz_destroy("kst_abi_dup"));
	EXPECT_FALSE(pz_exists("kst_abi_dup"));
}

TEST_F_TIMEOUT(root, destroy_errnos, TIMEOUT)
{
	EXPECT_EQ(ENOENT, pz_destroy("kst_abi_nonexistent"));
	ASSERT_EQ(0, root_create(_metadata, self, "kst_abi_opt", "8M")) {
		TH_LOG("create kst_abi_opt: %s", last_error());
	}
	EXPECT_EQ(EINVAL, write_line(PZ_SYSFS "/destroy", "kst_abi_opt bogus"));
	EXPECT_TRUE(pz_exists("kst_abi_opt"));
	EXPECT_EQ(0, pz_destroy("kst_abi_opt"));
	/* Destroyed is unknown. */
	EXPECT_EQ(ENOENT, pz_destroy("kst_abi_opt"));
}

TEST_F_TIMEOUT(root, create_size_rounds_up, TIMEOUT)
{
	/* 5 MiB and 1 byte more than 8 MiB round up to whole blocks. */
	ASSERT_EQ(0, root_create(_metadata, self, "kst_abi_r1", "5M")) {
		TH_LOG("create kst_abi_r1 5M: %s", last_error());
	}
	EXPECT_EQ((5 * MIB + self->block - 1) / self->block * self->block,
		  pz_num("kst_abi_r1", "size_bytes"));
	ASSERT_EQ(0, root_create(_metadata, self, "kst_abi_r2", "8388609")) {
		TH_LOG("create kst_abi_r2 8388609: %s", last_error());
	}
	EXPECT_EQ((8 * MIB + 1 + self->block - 1) / self->block * self->block,
		  pz_num("kst_abi_r2", "size_bytes"));
	EXPECT_EQ(pz_num("kst_abi_r2", "size_bytes") / self->block,
		  pz_num("kst_abi_r2", "nr_blocks"));
}

TEST_F_TIMEOUT(root, root_file_modes, TIMEOUT)
{
	struct mode_entry tab[] = {
		{ "block_size_bytes", 0444, 0 }, { "reserved_nodes", 0444, 0 },
		{ "available_nodes", 0444, 0 }, { "draining_nodes", 0444, 0 },
		{ "last_error", 0444, 0 }, { "create", 0200, 0 }, { "destroy", 0200, 0 },
		{ "uevent", 0644, 0 },	/* every device's, from the driver core */
	};

	EXPECT_EQ(0, check_modes(_metadata, PZ_SYSFS, tab,
				 ARRAY_SIZE(tab)));
}

/* ------------------------------------------------------------------ */

#define PZ_NAME		"kst_abi"
#define PZ_SIZE		(64 * MIB)
#define PZ_DIR		PZ_SYSFS "/" PZ_NAME

/* One 64M pzone named PZ_NAME on the base node. */
FIXTURE(pzone) {
	int base;
	long long block;
	int node;
};

FIXTURE_SETUP(pzone)
{
	int err;

	if (access(PZ_SYSFS, F_OK))
		SKIP(return, "%s does not exist (kernel without CONFIG_PZONE_SYSFS)",
		     PZ_SYSFS);
	self->base = base_node();
	self->block = read_num(PZ_SYSFS "/block_size_bytes");
	ASSERT_GT(self->block, 0);
	ASSERT_FALSE(pz_exists(PZ_NAME)) {
		TH_LOG("pzone %s exists already", PZ_NAME);
	}
	err = pz_create(PZ_NAME, self->base, "64M");
	/* A failed create must leave nothing; the teardown would not run. */
	if (err && pz_exists(PZ_NAME))
		pz_destroy(PZ_NAME);
	ASSERT_EQ(0, err) {
		TH_LOG("create %s %d 64M: %s: %s", PZ_NAME, self->base,
		       strerror(err), last_error());
	}
	/* Nothing may fail after this: the teardown runs only after setup. */
	self->node = (int)pz_num(PZ_NAME, "node");
}

FIXTURE_TEARDOWN(pzone)
{
	if (!pz_exists(PZ_NAME))
		return;
	EXPECT_EQ(0, pz_destroy(PZ_NAME)) {
		TH_LOG("teardown: destroy %s: %s", PZ_NAME, last_error());
	}
}

TEST_F_TIMEOUT(pzone, pzone_file_modes, TIMEOUT)
{
	struct mode_entry tab[] = {
		{ "node", 0444, 0 }, { "base_node", 0444, 0 }, { "kernel_bytes", 0444, 0 },
		{ "free_bytes", 0444, 0 }, { "nr_blocks", 0444, 0 }, { "state", 0444, 0 },
		{ "last_error", 0444, 0 }, { "stats", 0444, 0 }, { "events", 0444, 0 },
		{ "pressure", 0444, 0 }, { "blocks", 0444, 0 },
		{ "size_bytes", 0644, 0 }, { "standby_bytes", 0644, 0 },
		{ "kernel_limit_bytes", 0644, 0 },
		{ "fallback_cgroups", 0644, 0 }, { "dirs", 0644, 0 },
	};

	EXPECT_EQ(0, check_modes(_metadata, PZ_DIR, tab,
				 ARRAY_SIZE(tab)));
}

TEST_F_TIMEOUT(pzone, one_value_per_file, TIMEOUT)
{
	const char *files[] = {
		"node", "base_node", "size_bytes", "kernel_bytes", "nr_blocks", "state",
	};
	char path[PATH_MAX], val[64];
	size_t i;
	int err;

	for (i = 0; i < ARRAY_SIZE(files); i++) {
		snprintf(path, sizeof(path), PZ_DIR "/%s", files[i]);
		err = read_value(path, val, sizeof(val));
		EXPECT_EQ(0, err) {
			TH_LOG("%s: not one value and a newline (%s)", path,
			       err == EBADMSG ? "format" : strerror(err));
		}
		if (!err)
			TH_LOG("%s: %s", files[i], val);
	}
	ASSERT_GE(self->node, 0);
	EXPECT_EQ(self->base, pz_num(PZ_NAME, "base_node"));
	EXPECT_EQ(PZ_SIZE, pz_num(PZ_NAME, "size_bytes"));
	EXPECT_EQ(self->block, pz_num(PZ_NAME, "kernel_bytes"));	/* default */
	EXPECT_EQ(PZ_SIZE / self->block, pz_num(PZ_NAME, "nr_blocks"));
	snprintf(path, sizeof(path), PZ_DIR "/state");
	ASSERT_EQ(0, read_value(path, val, sizeof(val)));
	EXPECT_STREQ("on", val);
}

TEST_F_TIMEOUT(pzone, size_bytes_rounds_up, TIMEOUT)
{
	char path[PATH_MAX];
	long long want;

	snprintf(path, sizeof(path), PZ_DIR "/size_bytes");
	/* One byte more than 64 MiB: one block more. */
	ASSERT_EQ(0, write_line(path, "%lld", PZ_SIZE + 1));
	want = (PZ_SIZE + 1 + self->block - 1) / self->block * self->block;
	EXPECT_EQ(want, pz_num(PZ_NAME, "size_bytes"));
	EXPECT_EQ(want / self->block, pz_num(PZ_NAME, "nr_blocks"));
	/* 70M (not a multiple of 4 MiB) rounds up too. */
	ASSERT_EQ(0, write_line(path, "70M"));
	want = (70 * MIB + self->block - 1) / self->block * self->block;
	EXPECT_EQ(want, pz_num(PZ_NAME, "size_bytes"));
	EXPECT_EQ(want / self->block, pz_num(PZ_NAME, "nr_blocks"));
	/* Back down to an exact multiple: no rounding. */
	ASSERT_EQ(0, write_line(path, "%lld", PZ_SIZE));
	EXPECT_EQ(PZ_SIZE, pz_num(PZ_NAME, "size_bytes"));
}

TEST_F_TIMEOUT(pzone, kernel_limit_bytes, TIMEOUT)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), PZ_DIR "/kernel_limit_bytes");
	/* No limit by default; sizes round up to pages; 0 is none again. */
	EXPECT_EQ(0, pz_num(PZ_NAME, "kernel_limit_bytes"));
	ASSERT_EQ(0, write_line(path, "32M"));
	EXPECT_EQ(32 * MIB, pz_num(PZ_NAME, "kernel_limit_bytes"));
	ASSERT_EQ(0, write_line(path, "5000"));
	EXPECT_EQ(8192, pz_num(PZ_NAME, "kernel_limit_bytes"));
	EXPECT_EQ(EINVAL, write_line(path, "12x"));
	EXPECT_EQ(8192, pz_num(PZ_NAME, "kernel_limit_bytes"));
	ASSERT_EQ(0, write_line(path, "0"));
	EXPECT_EQ(0, pz_num(PZ_NAME, "kernel_limit_bytes"));
}

TEST_F_TIMEOUT(pzone, node_link_follows_pzone, TIMEOUT)
{
	char link[PATH_MAX], *target, *dir;
	struct stat st;

	ASSERT_GE(self->node, 0);
	snprintf(link, sizeof(link), NODE_SYSFS "/node%d/pzone", self->node);
	ASSERT_EQ(0, lstat(link, &st)) {
		TH_LOG("%s: %s", link, strerror(errno));
	}
	EXPECT_TRUE(S_ISLNK(st.st_mode));
	target = realpath(link, NULL);
	dir = realpath(PZ_DIR, NULL);
	ASSERT_NE(NULL, target);
	ASSERT_NE(NULL, dir);
	EXPECT_STREQ(dir, target);
	free(target);
	free(dir);

	ASSERT_EQ(0, pz_destroy(PZ_NAME)) {
		TH_LOG("destroy %s: %s", PZ_NAME, last_error());
	}
	EXPECT_FALSE(pz_exists(PZ_NAME));
	EXPECT_EQ(-1, lstat(link, &st));
	EXPECT_EQ(ENOENT, errno);
}

TEST_HARNESS_MAIN
