// SPDX-License-Identifier: GPL-2.0
/*
 * pzone_write - write one string to a (sysfs) file with a single write(2)
 * and report the errno by name, so shell tests can check the exact error.
 *
 * Usage: pzone_write [-n] PATH STRING
 *   -n  do not append a newline to STRING
 *
 * Exit 0 and print nothing when open() and write() succeed.  Otherwise print
 * the errno name ("EINVAL", "EACCES", ...) on stdout and exit 1.  Exit 2 on a
 * usage error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define E(x) { x, #x }
static const struct {
	int err;
	const char *name;
} errnames[] = {
	E(EPERM), E(ENOENT), E(ESRCH), E(EINTR), E(EIO), E(ENXIO), E(E2BIG),
	E(EBADF), E(EAGAIN), E(ENOMEM), E(EACCES), E(EFAULT), E(EBUSY),
	E(EEXIST), E(ENODEV), E(ENOTDIR), E(EISDIR), E(EINVAL), E(ENOSPC),
	E(EROFS), E(ERANGE), E(ENAMETOOLONG), E(ENOSYS), E(EOPNOTSUPP),
	E(ETIMEDOUT), E(EALREADY),
};

static void print_errno(int err)
{
	size_t i;

	for (i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++) {
		if (errnames[i].err == err) {
			printf("%s\n", errnames[i].name);
			return;
		}
	}
	printf("E%d\n", err);
}

int main(int argc, char **argv)
{
	int newline = 1, argi = 1, fd;
	size_t len;
	ssize_t r;
	char *buf;

	if (argc > 1 && !strcmp(argv[1], "-n")) {
		newline = 0;
		argi++;
	}
	if (argc - argi != 2) {
		fprintf(stderr, "Usage: pzone_write [-n] PATH STRING\n");
		return 2;
	}
	len = strlen(argv[argi + 1]);
	buf = malloc(len + 2);
	if (!buf)
		return 2;
	memcpy(buf, argv[argi + 1], len);
	if (newline)
		buf[len++] = '\n';
	buf[len] = '\0';

	fd = open(argv[argi], O_WRONLY);
	if (fd < 0) {
		print_errno(errno);
		return 1;
	}
	r = write(fd, buf, len);
	if (r < 0) {
		print_errno(errno);
		close(fd);
		return 1;
	}
	if ((size_t)r != len) {
		printf("SHORT\n");
		close(fd);
		return 1;
	}
	if (close(fd)) {
		print_errno(errno);
		return 1;
	}
	return 0;
}
