// SPDX-License-Identifier: GPL-2.0
/*
 * events_poll - wait on a pzone's "events" file the way a daemon does, and
 * report what the last wake-up let it read.
 *
 *   events_poll FILE SECS
 *
 * Reads FILE, then for SECS seconds: poll() for POLLPRI, and after each
 * wake-up seek to 0 and read it again.  Prints "ready" after the first read,
 * then at the end "wakeups N" and the contents of the last read, one
 * "key value" line each.  Exit: 0 ok, 1 a system call failed, 2 usage.
 */
#define _GNU_SOURCE
#define PROG "events_poll"
#include <fcntl.h>
#include <poll.h>

#include "pzone_util.h"

static ssize_t read_events(int fd, char *buf, size_t len)
{
	ssize_t n;

	if (lseek(fd, 0, SEEK_SET) < 0)
		die("lseek");
	n = read(fd, buf, len - 1);
	if (n < 0)
		die("read");
	buf[n] = '\0';
	return n;
}

int main(int argc, char **argv)
{
	char buf[4096];
	unsigned long secs, wakeups = 0;
	uint64_t end;
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: events_poll FILE SECS\n");
		return 2;
	}
	secs = parse_ul(argv[2], "SECS");
	fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die("open %s", argv[1]);
	read_events(fd, buf, sizeof(buf));
	say("ready\n");
	end = now_ns() + secs * 1000000000ULL;
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLPRI };
		uint64_t now = now_ns();
		int n;

		if (now >= end)
			break;
		n = poll(&p, 1, (int)((end - now) / 1000000) + 1);
		if (n < 0 && errno != EINTR)
			die("poll");
		if (n > 0 && (p.revents & (POLLPRI | POLLERR))) {
			wakeups++;
			read_events(fd, buf, sizeof(buf));
		}
	}
	say("wakeups %lu\n%s", wakeups, buf);
	return 0;
}
