// SPDX-License-Identifier: GPL-2.0
/*
 * pzoned_load - a workload with a memory peak, for the pzoned tests.
 *
 *   --base MIB       anonymous memory held from start to end (checked)
 *   --anon MIB       anonymous memory of the peak, every word written with
 *                    a pattern whose checksum is verified before it is freed
 *   --file PATH      read PATH (page cache) during the peak ...
 *   --file-mib MIB   ... up to this many MiB (default: all of it)
 *   --rate MIBPS     touch the peak at most this fast (default: unlimited)
 *   --chunk MIB      ... in bursts of this many MiB (default 4)
 *   --hold SECS      hold the peak this long (default 3)
 *   --cycles N       peaks, one after the other (default 1)
 *   --wait           print "ready" after the baseline, wait for SIGUSR1
 *                    before each peak
 *   --linger         after the last peak, hold the baseline until SIGTERM
 *
 * Each peak: touch, read the file, hold, verify the checksum ("verified" or
 * "mismatch"), munmap, POSIX_FADV_DONTNEED the file, print "dropped".
 * Exit: 0 ok, 1 a system call failed, 2 usage, 3 a checksum mismatch.
 * An OOM kill shows as death by SIGKILL.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define PROG		"pzoned_load"
#include "pzone_util.h"

static size_t step = 4 * MIB;	/* --chunk */
#define GOLDEN		0x9e3779b97f4a7c15ULL

static volatile sig_atomic_t got_usr1, got_term;

static void on_sig(int sig)
{
	if (sig == SIGUSR1)
		got_usr1 = 1;
	else
		got_term = 1;
}

static double now_s(void)
{
	return (double)now_ns() / 1e9;
}

static unsigned long num(const char *s, const char *opt)
{
	unsigned long v;

	if (!str_to_ul(s, &v)) {
		fprintf(stderr, PROG ": %s '%s': not a number\n", opt, s);
		exit(2);
	}
	return v;
}

/* Write the pattern of @seed over [off, off+len) and return its checksum. */
static uint64_t fill(char *buf, size_t off, size_t len, uint64_t seed)
{
	uint64_t *w = (uint64_t *)(buf + off), sum = 0;
	size_t i, n = len / sizeof(*w);

	for (i = 0; i < n; i++) {
		uint64_t v = (seed + off / 8 + i) * GOLDEN;

		w[i] = v;
		sum += v ^ (v >> 29);
	}
	return sum;
}

static uint64_t checksum(const char *buf, size_t len)
{
	const uint64_t *w = (const uint64_t *)buf;
	uint64_t sum = 0;
	size_t i, n = len / sizeof(*w);

	for (i = 0; i < n; i++)
		sum += w[i] ^ (w[i] >> 29);
	return sum;
}

/* Touch @len bytes in --chunk bursts, at most @rate MiB/s (0: unlimited). */
static uint64_t touch(char *buf, size_t len, uint64_t seed, unsigned long rate)
{
	double t0 = now_s();
	uint64_t sum = 0;
	size_t off;

	for (off = 0; off < len; off += step) {
		size_t n = len - off < step ? len - off : step;

		sum += fill(buf, off, n, seed);
		if (rate) {
			double due = t0 + (double)(off + n) / MIB / rate;
			double d = due - now_s();

			if (d > 0) {
				struct timespec ts = {
					.tv_sec = (time_t)d,
					.tv_nsec = (long)((d - (time_t)d) * 1e9),
				};

				nanosleep(&ts, NULL);
			}
		}
	}
	return sum;
}

static void read_file(const char *path, unsigned long mib)
{
	static char chunk[1 << 20];
	unsigned long done = 0;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		die("%s", path);
	while (!mib || done < mib) {
		ssize_t r = read(fd, chunk, sizeof(chunk));

		if (r < 0)
			die("read");
		if (!r)
			break;
		done++;
	}
	close(fd);
}

static void drop_file(const char *path)
{
	int fd = open(path, O_RDONLY);

	if (fd >= 0) {
		posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
		close(fd);
	}
}

static void wait_sig(volatile sig_atomic_t *flag)
{
	sigset_t none;

	sigemptyset(&none);
	while (!*flag && !got_term)
		sigsuspend(&none);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "base", required_argument, NULL, 'b' },
		{ "anon", required_argument, NULL, 'a' },
		{ "file", required_argument, NULL, 'f' },
		{ "file-mib", required_argument, NULL, 'F' },
		{ "rate", required_argument, NULL, 'r' },
		{ "chunk", required_argument, NULL, 'C' },
		{ "hold", required_argument, NULL, 'H' },
		{ "cycles", required_argument, NULL, 'c' },
		{ "wait", no_argument, NULL, 'w' },
		{ "linger", no_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long base = 0, anon = 0, file_mib = 0, rate = 0, hold = 3, cycles = 1, c;
	const char *file = NULL;
	bool wait = false, linger = false;
	uint64_t base_sum = 0;
	char *basebuf = NULL;
	struct sigaction sa;
	sigset_t block;
	int opt, bad = 0;

	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 'b': base = num(optarg, "--base"); break;
		case 'a': anon = num(optarg, "--anon"); break;
		case 'f': file = optarg; break;
		case 'F': file_mib = num(optarg, "--file-mib"); break;
		case 'r': rate = num(optarg, "--rate"); break;
		case 'C': step = num(optarg, "--chunk") * MIB; break;
		case 'H': hold = num(optarg, "--hold"); break;
		case 'c': cycles = num(optarg, "--cycles"); break;
		case 'w': wait = true; break;
		case 'l': linger = true; break;
		default: return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "pzoned_load: unexpected argument '%s'\n", argv[optind]);
		return 2;
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sig;
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	/* signals only interrupt sigsuspend(), never a page fault loop */
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, NULL);

	if (base) {
		basebuf = map_anon(base * MIB);
		base_sum = touch(basebuf, base * MIB, 7, 0);
	}
	say("ready\n");
	for (c = 0; c < cycles && !got_term; c++) {
		double t0, t1;
		uint64_t sum = 0;
		char *buf = NULL;

		if (wait) {
			wait_sig(&got_usr1);
			got_usr1 = 0;
			if (got_term)
				break;
		}
		say("peak %lu\n", c + 1);
		t0 = now_s();
		if (anon) {
			buf = map_anon(anon * MIB);
			sum = touch(buf, anon * MIB, 1000 + c, rate);
		}
		if (file)
			read_file(file, file_mib);
		t1 = now_s();
		say("# peak %lu: %lu MiB anon%s in %.1f s\n", c + 1, anon,
		    file ? " + file" : "", t1 - t0);
		say("held\n");
		sleep((unsigned int)hold);
		if (anon) {
			if (checksum(buf, anon * MIB) != sum) {
				say("mismatch\n");
				bad = 1;
			} else {
				say("verified\n");
			}
			munmap(buf, anon * MIB);
		}
		if (file)
			drop_file(file);
		say("dropped\n");
	}
	if (linger)
		wait_sig(&got_term);
	if (basebuf && checksum(basebuf, base * MIB) != base_sum) {
		say("base mismatch\n");
		bad = 1;
	}
	say("done\n");
	return bad ? 3 : 0;
}
