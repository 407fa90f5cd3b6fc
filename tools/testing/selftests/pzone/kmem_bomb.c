// SPDX-License-Identifier: GPL-2.0
/*
 * kmem_bomb - fill kernel memory the way a hostile container can, and hold
 * it: negative dentries, tmpfs inodes, pipes with data.
 *
 *   kmem_bomb --neg-dir DIR --neg N --tmpfs-dir DIR --inodes N --pipes N
 *
 * In this order:
 *  1. N lookups of names that do not exist in DIR (on a disk filesystem,
 *     which keeps negative dentries; tmpfs does not), 48-byte names so
 *     that each also has an external name (DNAME_INLINE_LEN is 40);
 *  2. N empty files created in the tmpfs directory (inode + dentry each);
 *  3. N pipes, each holding one page of data (raises RLIMIT_NOFILE).
 * A step that fails is counted and the phase goes on, until 200 failures
 * in a row end it.  Prints one line per phase:
 *	neg ok=A fail=B first_fail=C errno=E
 *	inodes ok=... / pipes ok=...
 * then "ready", and waits for SIGTERM/SIGINT; then closes the pipes and
 * exits 0 (1 if a setup system call failed, 2 on a usage error).  The
 * files are left for the caller to remove.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#define PROG		"kmem_bomb"
#include "pzone_util.h"

#define FAIL_RUN	200	/* failures in a row that end a phase */

struct phase {
	const char *name;
	unsigned long ok, fail, first_fail;
	int err;
	unsigned long run;	/* failures in a row */
};

/* Count one step; Return: false when the phase should stop. */
static int step(struct phase *p, unsigned long i, int failed)
{
	if (!failed) {
		p->ok++;
		p->run = 0;
		return 1;
	}
	if (!p->fail++) {
		p->first_fail = i;
		p->err = errno;
	}
	return ++p->run < FAIL_RUN;
}

static void report(const struct phase *p)
{
	printf("%s ok=%lu fail=%lu first_fail=%lu errno=%s\n", p->name, p->ok,
	       p->fail, p->fail ? p->first_fail : 0,
	       p->fail ? strerrorname_np(p->err) : "none");
	fflush(stdout);
}

static void usage(void)
{
	fprintf(stderr, "usage: %s --neg-dir DIR --neg N --tmpfs-dir DIR --inodes N --pipes N\n",
		PROG);
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "neg-dir", required_argument, NULL, 'd' },
		{ "neg", required_argument, NULL, 'n' },
		{ "tmpfs-dir", required_argument, NULL, 't' },
		{ "inodes", required_argument, NULL, 'i' },
		{ "pipes", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 }
	};
	struct phase neg = { .name = "neg" }, ino = { .name = "inodes" };
	struct phase pip = { .name = "pipes" };
	const char *negdir = NULL, *tmpdir = NULL;
	unsigned long nneg = 0, nino = 0, npipe = 0, i;
	static char path[4096], page[4096];
	int (*fds)[2] = NULL, c, sig;
	struct rlimit rl;
	struct stat st;
	sigset_t set;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': negdir = optarg; break;
		case 'n': nneg = parse_ul(optarg, "--neg"); break;
		case 't': tmpdir = optarg; break;
		case 'i': nino = parse_ul(optarg, "--inodes"); break;
		case 'p': npipe = parse_ul(optarg, "--pipes"); break;
		default: usage();
		}
	}
	if (!negdir || !tmpdir || optind != argc)
		usage();
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		die("sigprocmask");
	if (npipe) {
		rl.rlim_cur = rl.rlim_max = 2 * npipe + 64;
		if (setrlimit(RLIMIT_NOFILE, &rl))
			die("setrlimit(RLIMIT_NOFILE, %lu)", 2 * npipe + 64);
		fds = malloc(npipe * sizeof(*fds));
		if (!fds)
			die("malloc");
		memset(fds, 0xff, npipe * sizeof(*fds));	/* all -1 */
	}
	memset(page, 0x5a, sizeof(page));

	for (i = 0; i < nneg; i++) {
		snprintf(path, sizeof(path), "%s/no-such-file-%035lu", negdir, i);
		if (!stat(path, &st)) {
			fprintf(stderr, "%s: %s exists\n", PROG, path);
			return 1;
		}
		if (!step(&neg, i, errno != ENOENT))
			break;
	}
	report(&neg);

	for (i = 0; i < nino; i++) {
		int fd;

		snprintf(path, sizeof(path), "%s/f%lu", tmpdir, i);
		fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
		if (fd >= 0)
			close(fd);
		if (!step(&ino, i, fd < 0))
			break;
	}
	report(&ino);

	for (i = 0; i < npipe; i++) {
		int failed = pipe(fds[i]) != 0;

		if (failed) {
			fds[i][0] = fds[i][1] = -1;
		} else if (write(fds[i][1], page, sizeof(page)) != sizeof(page)) {
			failed = 1;
			close(fds[i][0]);
			close(fds[i][1]);
			fds[i][0] = fds[i][1] = -1;
		}
		if (!step(&pip, i, failed))
			break;
	}
	report(&pip);

	printf("ready\n");
	fflush(stdout);
	if (sigwait(&set, &sig))
		die("sigwait");
	for (i = 0; i < npipe && fds; i++) {
		if (fds[i][0] >= 0)
			close(fds[i][0]);
		if (fds[i][1] >= 0)
			close(fds[i][1]);
	}
	printf("done\n");
	return 0;
}
