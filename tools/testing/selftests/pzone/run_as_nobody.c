// SPDX-License-Identifier: GPL-2.0
/*
 * run_as_nobody - drop to uid/gid 65534 with no supplementary groups, then
 * exec CMD.  Busybox su needs a passwd entry and busybox setpriv cannot
 * change ids, so the tests carry this instead.
 *
 * Usage: run_as_nobody CMD [ARGS...]
 * Exit 126 if the ids could not be changed, 127 if CMD could not be run.
 */
#define _GNU_SOURCE
#include <grp.h>
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>

#define NOBODY 65534

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "Usage: run_as_nobody CMD [ARGS...]\n");
		return 2;
	}
	if (setgroups(0, NULL) || setgid(NOBODY) || setuid(NOBODY)) {
		fprintf(stderr, "run_as_nobody: %s\n", strerror(errno));
		return 126;
	}
	if (getuid() != NOBODY || geteuid() != NOBODY) {
		fprintf(stderr, "run_as_nobody: still uid %d\n", (int)geteuid());
		return 126;
	}
	execvp(argv[1], argv + 1);
	fprintf(stderr, "run_as_nobody: %s: %s\n", argv[1], strerror(errno));
	return 127;
}
