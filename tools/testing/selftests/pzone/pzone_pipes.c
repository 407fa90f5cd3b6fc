// SPDX-License-Identifier: GPL-2.0
/*
 * pzone_pipes - fill pipes with data and hold them: kernel memory that a
 * task allocates with __GFP_HARDWALL and without __GFP_MOVABLE (pipe
 * buffers are GFP_HIGHUSER pages).
 *
 *   pzone_pipes --mib M
 *
 * Opens pipes of 1 MiB (F_SETPIPE_SZ) and writes to each until M MiB sit
 * in pipes.  Prints "filled BYTES", then "ready", and waits for
 * SIGTERM/SIGINT; then reads every pipe back, checks the pattern, prints
 * "done" and exits 0 (3 if the data changed, 1 if a system call failed,
 * e.g. a write that got ENOMEM, 2 on a usage error).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <unistd.h>

#define PROG		"pzone_pipes"
#include "pzone_util.h"

#define PIPE_BYTES	MIB
#define CHUNK		65536

static unsigned char pattern(size_t pipe, size_t off)
{
	return (unsigned char)(pipe * 131 + off / 4096 * 7 + off);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "mib", required_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 }
	};
	static unsigned char buf[CHUNK];
	unsigned long mib = 0;
	size_t nr, i, off, filled = 0;
	int (*fds)[2], c, sig, bad = 0;
	sigset_t set;

	while ((c = getopt_long(argc, argv, "m:", opts, NULL)) != -1) {
		if (c != 'm') {
			fprintf(stderr, "usage: %s --mib M\n", PROG);
			return 2;
		}
		mib = parse_ul(optarg, "size");
	}
	if (!mib) {
		fprintf(stderr, "usage: %s --mib M\n", PROG);
		return 2;
	}
	nr = mib * MIB / PIPE_BYTES;
	fds = calloc(nr, sizeof(*fds));
	if (!fds)
		die("calloc");
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);

	for (i = 0; i < nr; i++) {
		if (pipe(fds[i]))
			die("pipe %zu", i);
		if (fcntl(fds[i][1], F_SETPIPE_SZ, PIPE_BYTES) < (int)PIPE_BYTES)
			die("F_SETPIPE_SZ %lu on pipe %zu", PIPE_BYTES, i);
		for (off = 0; off < PIPE_BYTES; off += CHUNK) {
			size_t j;

			for (j = 0; j < CHUNK; j++)
				buf[j] = pattern(i, off + j);
			if (write(fds[i][1], buf, CHUNK) != CHUNK)
				die("write to pipe %zu at %zu", i, off);
			filled += CHUNK;
		}
	}
	say("filled %zu\n", filled);
	say("ready\n");
	do
		sig = sigwaitinfo(&set, NULL);
	while (sig < 0 && errno == EINTR);

	for (i = 0; i < nr; i++) {
		for (off = 0; off < PIPE_BYTES; off += CHUNK) {
			size_t j;

			if (read(fds[i][0], buf, CHUNK) != CHUNK)
				die("read from pipe %zu at %zu", i, off);
			for (j = 0; j < CHUNK; j++)
				bad |= buf[j] != pattern(i, off + j);
		}
	}
	if (bad) {
		say("# data in a pipe changed\n");
		return 3;
	}
	say("done\n");
	return 0;
}
