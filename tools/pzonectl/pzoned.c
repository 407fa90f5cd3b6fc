// SPDX-License-Identifier: GPL-2.0
/*
 * pzoned: the pzone overcommit daemon.
 *
 * Every pzone in the config file keeps at least its guarantee.  Free memory
 * of the base node, and free memory above the working set of other pzones,
 * is lent to pzones under pressure up to their limit, and taken back when
 * its owner (the base node, or a pzone that needs to grow) needs it.  The
 * policy, its thresholds and the log format are in
 * Documentation/admin-guide/mm/pzone.rst ("pzoned") and pzoned(8).
 *
 * Three parts: pzoned_config.c parses CONFIG, pzoned_policy.c decides
 * (no I/O: the clock, sysfs and the log are the operations of struct
 * pzd_ops), and this file does the I/O: the operations on libpzone, the
 * log, the loop, signals and main.
 *
 * One single-threaded loop: poll() on every pzone's "events" file
 * (POLLPRI, sysfs_notify semantics) and on a signalfd, with a timeout that
 * is the next timer deadline (1 s tick for the shrink side; 50 ms re-checks
 * while a pzone is under pressure, since event notifications are
 * rate-limited and can be coalesced).  All sysfs access goes through
 * libpzone.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stddef.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "libpzone.h"
#include "oci_hook.h"
#include "opts.h"
#include "pzoned_config.h"
#include "pzoned_policy.h"

#define PROG		"pzoned"
#define EXIT_USAGE	2
#define EXIT_NOSUPPORT	3

static struct pzone_ctx ctx;
static struct config cfg;
static const char *cfg_path;
static struct pzd pzd;
static struct pzd_tunables tun;
static struct pzd_cfg_env cfg_env;
static bool json_log;
static bool dry_run;
static bool debug;

/* ---- time and logging ---- */

static uint64_t mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

static uint64_t ms_us(unsigned int ms)
{
	return (uint64_t)ms * 1000;
}

static void fmt_bytes(char *buf, size_t len, int64_t bytes)
{
	pzone_fmt_size(buf, len, bytes);
}

/*
 * One line per decision.  JSON: {"ts", "mono_us", "pzone", "action",
 * "from_bytes", "to_bytes", "reason"[, "event_mono_us", "latency_us"]}.
 * Human: "pzoned: NAME: ACTION FROM -> TO (REASON)".  @t_event is the
 * receipt of the event this answers (0: none).
 */
static void log_decision(const char *name, const char *action, int64_t from,
			 int64_t to, const char *reason, uint64_t t_event)
{
	uint64_t now = mono_us();

	if (json_log) {
		char ename[PZONE_NAME_MAX * 6 + 1], ereason[1024];
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		pzone_json_escape(ename, sizeof(ename), name ? name : "");
		pzone_json_escape(ereason, sizeof(ereason), reason ? reason : "");
		printf("{\"ts\":%lld.%06ld,\"mono_us\":%" PRIu64 ",\"pzone\":\"%s\","
		       "\"action\":\"%s\",\"from_bytes\":%" PRId64 ",\"to_bytes\":%"
		       PRId64 ",\"reason\":\"%s\"", (long long)ts.tv_sec,
		       ts.tv_nsec / 1000, now, ename, action, from, to, ereason);
		if (t_event)
			printf(",\"event_mono_us\":%" PRIu64 ",\"latency_us\":%" PRIu64,
			       t_event, now - t_event);
		printf("}\n");
	} else {
		char f[32], t[32];

		fmt_bytes(f, sizeof(f), from);
		fmt_bytes(t, sizeof(t), to);
		printf(PROG ": %s: %s %s -> %s (%s", name && *name ? name : "-",
		       action, f, t, reason ? reason : "");
		if (t_event)
			printf("; %.1f ms after the event",
			       (double)(now - t_event) / 1000.0);
		printf(")\n");
	}
	fflush(stdout);
}

/* A note that is not a decision: human lines only, or a JSON "info" line. */
static void log_note(const char *name, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (json_log) {
		char ename[PZONE_NAME_MAX * 6 + 1], emsg[sizeof(msg) * 6];

		pzone_json_escape(ename, sizeof(ename), name ? name : "");
		pzone_json_escape(emsg, sizeof(emsg), msg);
		printf("{\"ts\":%lld,\"mono_us\":%" PRIu64 ",\"pzone\":\"%s\","
		       "\"action\":\"info\",\"reason\":\"%s\"}\n",
		       (long long)time(NULL), mono_us(), ename, emsg);
	} else if (name && *name) {
		printf(PROG ": %s: %s\n", name, msg);
	} else {
		printf(PROG ": %s\n", msg);
	}
	fflush(stdout);
}


/*
 * systemd's readiness protocol (sd_notify(3)), by hand: one datagram to
 * the AF_UNIX socket $NOTIFY_SOCKET ('@' first: abstract).  Without the
 * variable (not a Type=notify service) nothing is sent.
 */
static void sd_notify_msg(const char *msg)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	size_t len;
	int fd;

	if (!path || (path[0] != '/' && path[0] != '@') ||
	    (len = strlen(path)) >= sizeof(sa.sun_path))
		return;
	memcpy(sa.sun_path, path, len);
	if (sa.sun_path[0] == '@')
		sa.sun_path[0] = '\0';
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return;
	if (sendto(fd, msg, strlen(msg), MSG_NOSIGNAL, (struct sockaddr *)&sa,
		   (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len)) < 0)
		log_note(NULL, "sd_notify %s: %s", msg, strerror(errno));
	close(fd);
}

/* ---- the policy's operations, on libpzone ---- */

static uint64_t op_now_us(void *priv)
{
	(void)priv;
	return mono_us();
}

static bool op_exists(void *priv, const char *name)
{
	(void)priv;
	return pzone_exists(&ctx, name);
}

static int op_read_s64(void *priv, const char *name, const char *file, int64_t *val)
{
	(void)priv;
	return pzone_attr_read_s64(&ctx, name, file, val);
}

static int op_read_kv(void *priv, const char *name, const char *file,
		      const char *key, int64_t *val)
{
	(void)priv;
	return pzone_attr_kv(&ctx, name, file, key, val);
}

static int op_node_meminfo(void *priv, int node, const char *field, uint64_t *bytes)
{
	(void)priv;
	return pzone_node_meminfo(&ctx, node, field, bytes);
}

static int op_zone_info(void *priv, int node, const char *zone,
			uint64_t *free_bytes, uint64_t *managed_bytes)
{
	(void)priv;
	return pzone_zone_info(&ctx, node, zone, free_bytes, managed_bytes);
}

static int op_wmark_high(void *priv, int node, uint64_t *bytes)
{
	(void)priv;
	return pzone_node_wmark_high(&ctx, node, bytes);
}

static int op_events_open(void *priv, const char *name)
{
	(void)priv;
	return pzone_events_open(&ctx, name);
}

static int op_events_read(void *priv, int fd, struct pzone_events *ev)
{
	(void)priv;
	return pzone_events_read(fd, ev);
}

static void op_events_close(void *priv, int fd)
{
	(void)priv;
	close(fd);
}

/* --dry-run: decide and log, but write nothing */
static int op_create(void *priv, const char *name, int base, uint64_t bytes)
{
	(void)priv;
	return dry_run ? 0 : pzone_create(&ctx, name, base, bytes, NULL);
}

static int op_set_kernel_limit(void *priv, const char *name, uint64_t bytes)
{
	char cg[PZONE_PATH_MAX];
	int err;

	(void)priv;
	if (dry_run)
		return 0;
	err = pzone_set_kernel_limit(&ctx, name, bytes);
	if (!err && pzone_cg_exists(&ctx, name) &&
	    !pzone_cg_name(&ctx, name, cg, sizeof(cg)))
		err = pzone_cg_apply_kernel_limit(&ctx, cg, bytes);
	return err;
}

static int op_resize(void *priv, const char *name, uint64_t bytes, bool reclaim)
{
	(void)priv;
	return dry_run ? 0 : pzone_resize(&ctx, name, bytes, reclaim);
}

static int op_set_standby(void *priv, const char *name, uint64_t bytes)
{
	(void)priv;
	return dry_run ? 0 : pzone_set_standby(&ctx, name, bytes);
}

static void op_reason(void *priv, const char *name, int err, char *buf, size_t len)
{
	(void)priv;
	pzone_reason(&ctx, name, err, buf, len);
}

static void op_log_decision(void *priv, const char *name, const char *action,
			    int64_t from, int64_t to, const char *reason,
			    uint64_t t_event)
{
	(void)priv;
	log_decision(name, action, from, to, reason, t_event);
}

static void op_log_note(void *priv, const char *name, const char *msg)
{
	(void)priv;
	log_note(name, "%s", msg);
}

static void cfg_note(const char *msg)
{
	log_note(NULL, "%s", msg);
}

static const struct pzd_ops sysfs_ops = {
	.now_us = op_now_us,
	.exists = op_exists,
	.read_s64 = op_read_s64,
	.read_kv = op_read_kv,
	.node_meminfo = op_node_meminfo,
	.zone_info = op_zone_info,
	.wmark_high = op_wmark_high,
	.events_open = op_events_open,
	.events_read = op_events_read,
	.events_close = op_events_close,
	.create = op_create,
	.resize = op_resize,
	.set_standby = op_set_standby,
	.set_kernel_limit = op_set_kernel_limit,
	.reason = op_reason,
	.log_decision = op_log_decision,
	.log_note = op_log_note,
};

static uint64_t round_up(uint64_t v)
{
	uint64_t r;

	return pzone_round_up(v, cfg_env.block, &r) ? v : r;
}

/* ---- config application ---- */

static void reload(const char *why)
{
	static struct config c;
	int nr;

	log_note(NULL, "%s: reloading %s", why, cfg_path);
	sd_notify_msg("RELOADING=1");
	cfg_env.block = pzone_block_size(&ctx);
	pzd.block = cfg_env.block;
	nr = pzd_config_load(&cfg_env, cfg_path, &c, NULL, true);
	if (nr) {
		log_decision("", "error", -1, -1,
			     "new config rejected: keeping the old one (see the lines above)", 0);
		sd_notify_msg("READY=1\nSTATUS=new config rejected, running the old one");
		return;
	}
	cfg = c;
	pzd_apply(&pzd, &c, false);
	log_note(NULL, "config reloaded: %d pzone%s", c.nr, c.nr == 1 ? "" : "s");
	sd_notify_msg("READY=1\nSTATUS=config reloaded");
}

/* ---- the loop ---- */

static int run(void)
{
	struct pollfd fds[PZD_MAX_PZONES + 1];
	int map[PZD_MAX_PZONES + 1];
	uint64_t next_tick;
	sigset_t mask;
	int sfd;

	sigemptyset(&mask);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	if (sigprocmask(SIG_BLOCK, &mask, NULL)) {
		fprintf(stderr, PROG ": sigprocmask: %s\n", strerror(errno));
		return EXIT_FAILURE;
	}
	sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sfd < 0) {
		fprintf(stderr, PROG ": signalfd: %s\n", strerror(errno));
		return EXIT_FAILURE;
	}
	signal(SIGPIPE, SIG_IGN);

	log_note(NULL, "started (pid %d): %d pzone%s from %s; grow_step %" PRIu64
		 " grow_max %" PRIu64 " low_free %" PRIu64 " shrink_free_pct %u shrink_after_ms %u shrink_every_ms %u base_keep %"
		 PRIu64 " tick_ms %u", (int)getpid(), cfg.nr, cfg.nr == 1 ? "" : "s",
		 cfg_path, tun.grow_step, tun.grow_max, tun.low_free,
		 tun.shrink_free_pct, tun.shrink_after_ms, tun.shrink_every_ms,
		 tun.base_keep, tun.tick_ms);
	pzd_init(&pzd, &sysfs_ops, NULL, &tun, cfg_env.block);
	pzd.debug = debug;
	pzd_apply(&pzd, &cfg, true);
	sd_notify_msg("READY=1\nSTATUS=managing the pzones of the config");
	next_tick = mono_us() + ms_us(tun.tick_ms);

	for (;;) {
		uint64_t now = mono_us(), deadline = next_tick, t_recv;
		int nfds = 0, timeout, n, i;

		fds[nfds].fd = sfd;
		fds[nfds].events = POLLIN;
		map[nfds++] = -1;
		for (i = 0; i < pzd.nr_pzs; i++) {
			const struct pz *p = &pzd.pzs[i];

			if (p->managed && p->present && p->fd >= 0) {
				fds[nfds].fd = p->fd;
				fds[nfds].events = POLLPRI | POLLERR;
				map[nfds++] = i;
			}
		}
		deadline = pzd_deadline(&pzd, now, deadline);
		timeout = deadline > now ? (int)((deadline - now + 999) / 1000) : 0;
		n = poll(fds, (nfds_t)nfds, timeout);
		t_recv = mono_us();
		if (n < 0 && errno != EINTR) {
			log_note(NULL, "poll: %s", strerror(errno));
			return EXIT_FAILURE;
		}
		if (n > 0 && (fds[0].revents & POLLIN)) {
			struct signalfd_siginfo si;

			while (read(sfd, &si, sizeof(si)) == sizeof(si)) {
				if (si.ssi_signo == SIGHUP) {
					reload("SIGHUP");
				} else {
					log_note(NULL, "%s: exiting, pzones left as they are",
						 strsignal((int)si.ssi_signo));
					sd_notify_msg("STOPPING=1");
					return 0;
				}
			}
		}
		/* events first: they are what the latency is measured on */
		for (i = 1; n > 0 && i < nfds; i++) {
			if (map[i] < 0 || map[i] >= pzd.nr_pzs ||
			    !(fds[i].revents & (POLLPRI | POLLERR)))
				continue;
			if (pzd.pzs[map[i]].fd == fds[i].fd)
				pzd_events(&pzd, map[i], t_recv);
		}
		pzd_recheck(&pzd);
		now = mono_us();
		if (now >= next_tick && cfg_env.oci_dir &&
		    pzd_oci_signature(cfg_env.oci_dir) != cfg_env.oci_sig)
			reload(cfg_env.oci_dir);
		if (now >= next_tick) {
			pzd_tick(&pzd, now);
			next_tick = now + ms_us(tun.tick_ms);
		}
	}
}

/* ---- main ---- */

static void usage(FILE *f)
{
	fprintf(f,
		"usage: " PROG " [options] [CONFIG]\n"
		"       " PROG " --check [CONFIG]\n\n"
		"pzone overcommit daemon: keeps every pzone of CONFIG at or above its\n"
		"guarantee and lends spare memory of the base node to pzones under\n"
		"pressure, up to their limit.\n\n"
		"CONFIG: one pzone per line, '#' comments, blank lines ok:\n"
		"  NAME BASE_NODE GUARANTEE LIMIT PRIORITY STANDBY\n"
		"  sizes in bytes with K/M/G suffix (rounded up to 4 MiB blocks),\n"
		"  PRIORITY 0-%d (higher keeps its memory longer).\n"
		"Without CONFIG: $PZONED_CONFIG, else " PZD_DEFAULT_CONFIG "; if that file\n"
		"does not exist, the built-in defaults: no pzones of its own (only\n"
		"those of OCI containers) and the default tunables.\n\n"
		"options:\n"
		"  -c, --check              validate CONFIG (syntax, base nodes, guarantee sums) and exit\n"
		"  -j, --json-log           log one JSON object per line\n"
		"  -n, --dry-run            decide and log, but write nothing\n"
		"  -v, --verbose            trace every sysfs read and write on stderr\n"
		"  -d, --debug              also log every event and every decision not to act\n"
		"      --grow-step SIZE     smallest grow (default 64M)\n"
		"      --grow-max SIZE      largest grow; consecutive grows double (default 512M)\n"
		"      --low-free SIZE      grow a pzone with less free memory (default 32M)\n"
		"      --shrink-free PCT    idle when more than PCT%% of it is free (default 25)\n"
		"      --shrink-after SECS  ... for SECS seconds, and no grow for as long (default 10)\n"
		"      --shrink-every SECS  at most one idle shrink per pzone per SECS (default 30)\n"
		"      --base-keep SIZE     free memory the base node keeps (default 256M)\n"
		"      --tick MS            slow timer period (default 1000)\n"
		"      --oci-dir DIR        also manage the pzones of OCI containers recorded\n"
		"                           in DIR by 'pzonectl oci-hook' (default $PZONE_OCI_DIR,\n"
		"                           else " OCI_STATE_DIR "; '' for none)\n"
		"  -h, --help               this help\n"
		"      --version            print the version and exit\n\n"
		"signals: SIGHUP reloads CONFIG (a bad one is rejected, the old one kept);\n"
		"as a systemd service (pzoned.service), pzoned tells systemd when it is\n"
		"ready and reloading ($NOTIFY_SOCKET, Type=notify).\n"
		"SIGTERM/SIGINT exit and leave the pzones as they are.\n"
		"exit status: 0 ok, 1 invalid config or failure, 2 usage error,\n"
		"3 kernel without pzone support.\n", PZD_MAX_PRIORITY);
}

static int usage_err(const char *fmt, ...)
{
	va_list ap;

	fputs(PROG ": usage: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(" (try '" PROG " --help')\n", stderr);
	return EXIT_USAGE;
}

static int opt_size(const char *opt, const char *s, uint64_t *v)
{
	if (pzone_parse_size(s, v) || !*v)
		return usage_err("--%s '%s': not a size", opt, s);
	return 0;
}

static int opt_uint(const char *opt, const char *s, unsigned long max,
		    unsigned int *v)
{
	long l;

	if (pzd_parse_int(s, (long)max, &l))
		return usage_err("--%s '%s': not an integer from 0 to %lu", opt, s, max);
	*v = (unsigned int)l;
	return 0;
}

enum {
	O_CHECK, O_JSON_LOG, O_DRY_RUN, O_VERBOSE, O_DEBUG, O_HELP, O_VERSION,
	O_GROW_STEP, O_GROW_MAX, O_LOW_FREE, O_SHRINK_FREE, O_SHRINK_AFTER,
	O_SHRINK_EVERY, O_BASE_KEEP, O_TICK, O_OCI_DIR,
};

static const struct opt options[] = {
	{ "check",	  'c', false, O_CHECK,	      0, NULL },
	{ "json-log",	  'j', false, O_JSON_LOG,     0, NULL },
	{ "dry-run",	  'n', false, O_DRY_RUN,      0, NULL },
	{ "verbose",	  'v', false, O_VERBOSE,      0, NULL },
	{ "debug",	  'd', false, O_DEBUG,	      0, NULL },
	{ "help",	  'h', false, O_HELP,	      0, NULL },
	{ "version",	  0,   false, O_VERSION,      0, NULL },
	{ "grow-step",	  0,   true,  O_GROW_STEP,    0, "SIZE" },
	{ "grow-max",	  0,   true,  O_GROW_MAX,     0, "SIZE" },
	{ "low-free",	  0,   true,  O_LOW_FREE,     0, "SIZE" },
	{ "shrink-free",  0,   true,  O_SHRINK_FREE,  0, "PCT" },
	{ "shrink-after", 0,   true,  O_SHRINK_AFTER, 0, "SECS" },
	{ "shrink-every", 0,   true,  O_SHRINK_EVERY, 0, "SECS" },
	{ "base-keep",	  0,   true,  O_BASE_KEEP,    0, "SIZE" },
	{ "tick",	  0,   true,  O_TICK,	      0, "MS" },
	{ "oci-dir",	  0,   true,  O_OCI_DIR,      0, "DIR" },
};

int main(int argc, char **argv)
{
	const char *optarg;
	bool check = false;
	unsigned int secs;
	struct opts p;
	int opt, ret = 0, nr, i, nr_pos = 0;

	pzone_ctx_init(&ctx, PROG);
	setvbuf(stdout, NULL, _IOLBF, 0);
	tun = pzd_default_tunables;
	cfg_env.ctx = &ctx;
	cfg_env.block = PZONE_BLOCK_DEFAULT;
	cfg_env.note = cfg_note;
	cfg_env.oci_dir = getenv("PZONE_OCI_DIR");
	if (!cfg_env.oci_dir || !*cfg_env.oci_dir)
		cfg_env.oci_dir = OCI_STATE_DIR;
	opts_init(&p, options, sizeof(options) / sizeof(options[0]), 0, 0, argc, argv, 1);
	while ((opt = opts_next(&p)) != OPTS_END) {
		optarg = p.arg;
		switch (opt) {
		case OPTS_ERROR: return usage_err("%s", p.err);
		case OPTS_ARG:
			if (nr_pos++)
				return usage_err("unexpected argument '%s'", optarg);
			cfg_path = optarg;
			break;
		case O_CHECK: check = true; break;
		case O_JSON_LOG: json_log = true; break;
		case O_DRY_RUN: dry_run = true; break;
		case O_VERBOSE: ctx.trace = stderr; break;
		case O_DEBUG: debug = true; break;
		case O_HELP: usage(stdout); return 0;
		case O_VERSION: printf(PROG " %s\n", PZONE_TOOLS_VERSION); return 0;
		case O_GROW_STEP: ret = opt_size("grow-step", optarg, &tun.grow_step); break;
		case O_GROW_MAX: ret = opt_size("grow-max", optarg, &tun.grow_max); break;
		case O_LOW_FREE: ret = opt_size("low-free", optarg, &tun.low_free); break;
		case O_BASE_KEEP: ret = opt_size("base-keep", optarg, &tun.base_keep); break;
		case O_SHRINK_FREE:
			ret = opt_uint("shrink-free", optarg, 100, &tun.shrink_free_pct);
			break;
		case O_SHRINK_AFTER:
			ret = opt_uint("shrink-after", optarg, 86400, &secs);
			tun.shrink_after_ms = secs * 1000;
			break;
		case O_SHRINK_EVERY:
			ret = opt_uint("shrink-every", optarg, 86400, &secs);
			tun.shrink_every_ms = secs * 1000;
			break;
		case O_OCI_DIR:
			cfg_env.oci_dir = *optarg ? optarg : NULL;
			break;
		case O_TICK:
			ret = opt_uint("tick", optarg, 60000, &tun.tick_ms);
			if (!ret && tun.tick_ms < 10)
				ret = usage_err("--tick '%s': at least 10 ms", optarg);
			break;
		}
		if (ret)
			return ret;
	}
	/* no CONFIG: the default path; missing, it is an empty config */
	if (!cfg_path) {
		cfg_path = getenv("PZONED_CONFIG");
		if (!cfg_path || !*cfg_path)
			cfg_path = PZD_DEFAULT_CONFIG;
		cfg_env.missing_ok = true;
	}
	if (tun.grow_max < tun.grow_step)
		tun.grow_max = tun.grow_step;

	if (pzone_is_supported(&ctx))
		cfg_env.block = pzone_block_size(&ctx);
	else if (!check) {
		fprintf(stderr, PROG ": kernel has no pzone support (no /sys/devices/system/pzone)\n");
		return EXIT_NOSUPPORT;
	}
	tun.grow_step = round_up(tun.grow_step);
	tun.grow_max = round_up(tun.grow_max);

	nr = pzd_config_load(&cfg_env, cfg_path, &cfg, stderr, true);
	if (nr) {
		fprintf(stderr, PROG ": %s: %d error%s, nothing applied\n", cfg_path, nr,
			nr == 1 ? "" : "s");
		return EXIT_FAILURE;
	}
	if (check) {
		printf("%s: ok: %d pzone%s", cfg_path, cfg.nr, cfg.nr == 1 ? "" : "s");
		if (pzd_nr_oci(&cfg))
			printf(" (%d from %s)", pzd_nr_oci(&cfg), cfg_env.oci_dir);
		printf("\n");
		for (i = 0; i < cfg.nr; i++) {
			const struct pz_conf *p = &cfg.pz[i];

			printf("  %s: base node %d, guarantee %" PRIu64 ", limit %" PRIu64
			       ", priority %d, standby %" PRIu64, p->name, p->base,
			       p->guarantee, p->limit, p->priority, p->standby);
			if (p->kernel_limit)
				printf(", kernel limit %" PRIu64, p->kernel_limit);
			printf("%s\n", p->oci ? " (OCI container)" : "");
		}
		return 0;
	}
	return run();
}

