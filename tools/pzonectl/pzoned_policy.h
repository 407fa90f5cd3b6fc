/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pzoned's policy: when to grow a pzone, whom to take the memory from,
 * when to shrink it, and what to do after an error.  No I/O of its own:
 * the clock, every sysfs read and write and the log are operations of
 * struct pzd_ops, which pzoned.c implements on libpzone and the host tests
 * (tests/tools/test_pzoned_policy.c) implement on a fake machine.  All
 * state is in struct pzd.  The rules are in pzoned(8) ("POLICY",
 * "ERRORS") and pzone.rst ("pzoned").
 */
#ifndef PZONED_POLICY_H
#define PZONED_POLICY_H

#include <stdbool.h>
#include <stdint.h>

#include "libpzone.h"
#include "pzoned_config.h"

#define PZD_HOT_MS		1000	/* re-check a pzone this long after an event */
#define PZD_HOT_CHECK_MS	50	/* ... this often */
#define PZD_NOEVENTS_MS		100	/* free_bytes polling without an events file */
#define PZD_STEP_RESET_MS	1000	/* grows further apart than this restart at the minimum step */
#define PZD_DONOR_QUIET_MS	2000	/* a pzone that grew this recently lends nothing */
#define PZD_LEND_SHRINK_MS	250	/* at most one lending shrink per donor per this */
#define PZD_BACKOFF_MIN_MS	100
#define PZD_BACKOFF_MAX_MS	10000
#define PZD_EAGAIN_RETRIES	3

/* Tunables: command-line options, documented in pzoned(8). */
struct pzd_tunables {
	uint64_t grow_step;		/* smallest grow */
	uint64_t grow_max;		/* largest grow (the step doubles up to it) */
	uint64_t low_free;		/* a pzone with less free than this grows */
	unsigned int shrink_free_pct;	/* idle: more than this % of the size free ... */
	unsigned int shrink_after_ms;	/* ... for this long (and no grow for as long) */
	unsigned int shrink_every_ms;	/* at most one idle shrink per pzone per this */
	uint64_t base_keep;		/* free memory the base node keeps for itself */
	unsigned int tick_ms;		/* the slow timer */
};

extern const struct pzd_tunables pzd_default_tunables;

/*
 * The world the policy acts on.  Every function gets the @priv of
 * pzd_init(); the sysfs ones return 0 or a negative errno as libpzone's
 * functions of the same name do.
 */
struct pzd_ops {
	uint64_t (*now_us)(void *priv);		/* CLOCK_MONOTONIC, microseconds */
	bool (*exists)(void *priv, const char *name);
	int (*read_s64)(void *priv, const char *name, const char *file, int64_t *val);
	int (*read_kv)(void *priv, const char *name, const char *file,
		       const char *key, int64_t *val);
	int (*node_meminfo)(void *priv, int node, const char *field, uint64_t *bytes);
	int (*zone_info)(void *priv, int node, const char *zone, uint64_t *free_bytes,
			 uint64_t *managed_bytes);
	int (*wmark_high)(void *priv, int node, uint64_t *bytes);
	int (*events_open)(void *priv, const char *name);	/* fd or -errno */
	int (*events_read)(void *priv, int fd, struct pzone_events *ev);
	void (*events_close)(void *priv, int fd);
	int (*create)(void *priv, const char *name, int base, uint64_t bytes);
	int (*resize)(void *priv, const char *name, uint64_t bytes, bool reclaim);
	int (*set_standby)(void *priv, const char *name, uint64_t bytes);
	/* NAME/kernel_limit_bytes and memory.kmem.max of its cgroup, if any */
	int (*set_kernel_limit)(void *priv, const char *name, uint64_t bytes);
	void (*reason)(void *priv, const char *name, int err, char *buf, size_t len);
	/* one decision; @t_event: receipt of the event it answers, 0 if none */
	void (*log_decision)(void *priv, const char *name, const char *action,
			     int64_t from, int64_t to, const char *reason,
			     uint64_t t_event);
	void (*log_note)(void *priv, const char *name, const char *msg);
};

struct pz {
	struct pz_conf c;
	bool present;		/* exists in sysfs */
	bool managed;		/* false after an error we cannot handle */
	bool wait_config;	/* ENOSPC on create: wait for SIGHUP */
	bool has_standby;	/* kernel has NAME/standby_bytes */
	bool at_limit_logged;
	int fd;			/* NAME/events, -1 without */
	struct pzone_events ev;
	int64_t node, size, free_bytes, standby;
	int64_t inactive_file;	/* Inactive(file) of node D: cold, clean-able cache */
	uint64_t wmark_high;	/* sum of node D's zone high watermarks, bytes */
	int64_t refaults;	/* pressure: refaults at the last check, -1 unknown */
	uint64_t t_event;	/* receipt of the first event not answered yet, 0 if none */
	const char *event_reason;
	uint64_t t_last_grow, t_last_shrink, t_last_lend, t_free_since;
	uint64_t hot_until, t_next_poll, backoff_until;
	unsigned int backoff_ms;
	uint64_t step;
	int64_t last_grow_from;
};

struct pzd {
	const struct pzd_ops *ops;
	void *priv;
	struct pzd_tunables tun;
	uint64_t block;
	bool debug;		/* log every event and every decision not to act */
	bool noevents_logged;
	int nr_pzs;
	struct pz pzs[PZD_MAX_PZONES];
	struct pz old[PZD_MAX_PZONES];	/* scratch of pzd_apply() */
};

void pzd_init(struct pzd *d, const struct pzd_ops *ops, void *priv,
	      const struct pzd_tunables *tun, uint64_t block);
/* Make @c the running config, keeping the state of pzones still in it. */
void pzd_apply(struct pzd *d, const struct config *c, bool startup);
/* The slow timer. */
void pzd_tick(struct pzd *d, uint64_t now);
/* The events file of pzs[@i] is readable (poll() returned at @t_recv). */
void pzd_events(struct pzd *d, int i, uint64_t t_recv);
/* After every poll(): the fast re-checks of pzones under pressure. */
void pzd_recheck(struct pzd *d);
/* The earliest fast re-check due, if before @deadline. */
uint64_t pzd_deadline(const struct pzd *d, uint64_t now, uint64_t deadline);
/* Drop every pzone (close its events file). */
void pzd_release(struct pzd *d);

#endif /* PZONED_POLICY_H */
