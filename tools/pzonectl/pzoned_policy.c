// SPDX-License-Identifier: GPL-2.0
/*
 * pzoned's policy (see pzoned_policy.h): every decision of the daemon,
 * on the state of struct pzd and the operations of struct pzd_ops.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libpzone.h"
#include "pzoned_policy.h"

#define MIB		(1024ULL * 1024ULL)

const struct pzd_tunables pzd_default_tunables = {
	.grow_step = 64 * MIB,
	.grow_max = 512 * MIB,
	.low_free = 32 * MIB,
	.shrink_free_pct = 25,
	.shrink_after_ms = 10000,
	.shrink_every_ms = 30000,
	.base_keep = 256 * MIB,
	.tick_ms = 1000,
};

static uint64_t ms_us(unsigned int ms)
{
	return (uint64_t)ms * 1000;
}

static void log_decision(struct pzd *d, const char *name, const char *action,
			 int64_t from, int64_t to, const char *reason,
			 uint64_t t_event)
{
	d->ops->log_decision(d->priv, name, action, from, to, reason, t_event);
}

/* A note that is not a decision. */
static __attribute__((format(printf, 3, 4)))
void note(struct pzd *d, const char *name, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	d->ops->log_note(d->priv, name, msg);
}

/* ---- sysfs state ---- */

static void pz_close_events(struct pzd *d, struct pz *p)
{
	if (p->fd >= 0)
		d->ops->events_close(d->priv, p->fd);
	p->fd = -1;
}

static void pz_open_events(struct pzd *d, struct pz *p)
{
	int fd;

	if (p->fd >= 0)
		return;
	fd = d->ops->events_open(d->priv, p->c.name);
	if (fd < 0) {
		if (!d->noevents_logged) {
			note(d, p->c.name, "no events file (%s): kernel without pzone events, falling back to polling free_bytes every %d ms",
				 strerror(-fd), PZD_NOEVENTS_MS);
			d->noevents_logged = true;
		}
		return;
	}
	p->fd = fd;
	/* read to EOF before the first poll() */
	if (d->ops->events_read(d->priv, fd, &p->ev))
		memset(&p->ev, 0xff, sizeof(p->ev));
}

/* Re-read size, free memory and standby; false if the pzone is gone. */
/*
 * A configured kernel_limit=SIZE is applied when pzoned creates or adopts
 * the pzone and whenever it finds another value there (an absolute number:
 * resizes do not change it).  An OCI container's pzone keeps its hook's.
 */
static void pz_kernel_limit(struct pzd *d, struct pz *p)
{
	char why[256];
	int64_t v;
	int err;

	if (!p->c.kernel_limit || p->c.oci ||
	    (!d->ops->read_s64(d->priv, p->c.name, "kernel_limit_bytes", &v) &&
	     (uint64_t)v == p->c.kernel_limit))
		return;
	err = d->ops->set_kernel_limit(d->priv, p->c.name, p->c.kernel_limit);
	if (err) {
		d->ops->reason(d->priv, p->c.name, err, why, sizeof(why));
		log_decision(d, p->c.name, "error", -1, (int64_t)p->c.kernel_limit, why, 0);
		/* not again every tick: until the config is loaded again */
		p->c.kernel_limit = 0;
		return;
	}
	log_decision(d, p->c.name, "kernel_limit", -1, (int64_t)p->c.kernel_limit,
		     "kernel_limit= in config", 0);
}

static bool pz_refresh(struct pzd *d, struct pz *p)
{
	int64_t v;

	if (d->ops->read_s64(d->priv, p->c.name, "size_bytes", &p->size)) {
		p->present = false;
		pz_close_events(d, p);
		return false;
	}
	p->present = true;
	if (d->ops->read_s64(d->priv, p->c.name, "free_bytes", &p->free_bytes))
		p->free_bytes = -1;
	if (p->node < 0 && !d->ops->read_s64(d->priv, p->c.name, "node", &v))
		p->node = v;
	p->has_standby = !d->ops->read_s64(d->priv, p->c.name, "standby_bytes", &v);
	p->standby = p->has_standby ? v : 0;
	pz_kernel_limit(d, p);
	p->inactive_file = -1;
	if (p->node >= 0) {
		uint64_t ib;

		if (!d->ops->node_meminfo(d->priv, (int)p->node, "Inactive(file)", &ib))
			p->inactive_file = (int64_t)ib;
	}
	return true;
}

/*
 * pz_refresh(d) and the high watermarks, which only shrinks need: kept out
 * of pz_refresh(d) so that answering an event does not parse zoneinfo.
 */
static bool pz_refresh_all(struct pzd *d, struct pz *p)
{
	if (!pz_refresh(d, p))
		return false;
	if (p->node < 0 || d->ops->wmark_high(d->priv, (int)p->node, &p->wmark_high))
		p->wmark_high = 0;
	return true;
}

static int64_t base_free(struct pzd *d, int base)
{
	uint64_t v;

	if (d->ops->node_meminfo(d->priv, base, "MemFree", &v))
		return -1;
	return (int64_t)v;
}

static uint64_t round_down(struct pzd *d, uint64_t v)
{
	return v - v % d->block;
}

/*
 * What base node @base can lend now: its free memory above base_keep, and
 * no more than the free memory of its ZONE_NORMAL, the only zone a grow
 * takes blocks from (when /proc/zoneinfo says).
 */
static uint64_t base_lendable(struct pzd *d, int base)
{
	uint64_t nfree, managed, lend;
	int64_t bf = base_free(d, base);

	if (bf < 0 || (uint64_t)bf <= d->tun.base_keep)
		return 0;
	lend = (uint64_t)bf - d->tun.base_keep;
	if (!d->ops->zone_info(d->priv, base, "Normal", &nfree, &managed) && nfree < lend)
		lend = nfree;
	return round_down(d, lend);
}

static uint64_t round_up(struct pzd *d, uint64_t v)
{
	uint64_t r;

	return pzone_round_up(v, d->block, &r) ? v : r;
}

/* ---- error policy (STYLE.md section 8) ---- */

enum verdict { V_OK, V_RETRY, V_BACKOFF, V_WAIT_CONFIG, V_STOP, V_NOROOM };

static void backoff(struct pz *p, uint64_t now)
{
	p->backoff_ms = p->backoff_ms ? p->backoff_ms * 2 : PZD_BACKOFF_MIN_MS;
	if (p->backoff_ms > PZD_BACKOFF_MAX_MS)
		p->backoff_ms = PZD_BACKOFF_MAX_MS;
	p->backoff_until = now + ms_us(p->backoff_ms);
}

static void error_reason(struct pzd *d, struct pz *p, int err, const char *what, char *buf,
			 size_t len)
{
	char why[PZONE_VAL_MAX];

	d->ops->reason(d->priv, p ? p->c.name : NULL, err, why, sizeof(why));
	snprintf(buf, len, "%s: %s (%s)", what, why, strerror(-err));
}

/*
 * Resize @p to @target (with "reclaim" if asked).  Handles the error policy
 * and logs the decision.  @t_event is the event this answers, for the
 * latency field.  Returns a verdict.
 */
static enum verdict pz_resize(struct pzd *d, struct pz *p, uint64_t target, bool reclaim,
			      const char *reason, uint64_t t_event)
{
	int64_t from = p->size;
	bool grow = (int64_t)target > from;
	char why[PZONE_VAL_MAX * 2 + 64], what[64];
	int err = 0, i;

	if ((int64_t)target == from)
		return V_OK;
	for (i = 0; i < PZD_EAGAIN_RETRIES; i++) {
		err = d->ops->resize(d->priv, p->c.name, target, reclaim);
		if (err != -EAGAIN)
			break;
	}
	if (!err) {
		p->size = (int64_t)target;
		if (p->free_bytes >= 0)
			p->free_bytes += (int64_t)target - from;
		p->backoff_ms = 0;
		log_decision(d, p->c.name, grow ? "grow" : "shrink", from, (int64_t)target,
			     reason, t_event);
		return V_OK;
	}
	snprintf(what, sizeof(what), "%s to %" PRIu64 "%s", grow ? "grow" : "shrink",
		 target, reclaim ? " reclaim" : "");
	error_reason(d, p, err, what, why, sizeof(why));
	switch (err) {
	case -EAGAIN:
	case -EBUSY:
	case -ENOMEM:
	case -EINTR:
		backoff(p, d->ops->now_us(d->priv));
		log_decision(d, p->c.name, "error", from, (int64_t)target, why, 0);
		return V_BACKOFF;
	case -ENOSPC:
		/* shrink: the headroom rule; grow: nothing left to give */
		log_decision(d, p->c.name, "error", from, (int64_t)target, why, 0);
		if (grow)
			backoff(p, d->ops->now_us(d->priv));
		return V_NOROOM;
	default:
		log_decision(d, p->c.name, "error", from, (int64_t)target, why, 0);
		note(d, p->c.name, "no longer managed after this error (SIGHUP to retry)");
		p->managed = false;
		pz_close_events(d, p);
		return V_STOP;
	}
}

/* Set the standby of @p to what its config and limit allow. */
static void pz_standby(struct pzd *d, struct pz *p, uint64_t now)
{
	uint64_t want, room;
	char why[PZONE_VAL_MAX * 2 + 64], what[64];
	int err = 0, i;

	if (!p->has_standby || !p->present || p->size < 0 || now < p->backoff_until)
		return;
	room = (uint64_t)p->size < p->c.limit ? p->c.limit - (uint64_t)p->size : 0;
	want = round_down(d, p->c.standby < room ? p->c.standby : room);
	if ((int64_t)want == p->standby)
		return;
	/* taking a standby is a grow of the base node's lending: keep its reserve */
	if ((int64_t)want > p->standby &&
	    base_lendable(d, p->c.base) < want - (uint64_t)p->standby)
		return;
	for (i = 0; i < PZD_EAGAIN_RETRIES; i++) {
		err = d->ops->set_standby(d->priv, p->c.name, want);
		if (err != -EAGAIN)
			break;
	}
	if (!err) {
		log_decision(d, p->c.name, "standby", p->standby, (int64_t)want,
			     (int64_t)want > p->standby ? "refill standby" :
			     "standby must fit under the limit", 0);
		p->standby = (int64_t)want;
		return;
	}
	snprintf(what, sizeof(what), "standby to %" PRIu64, want);
	error_reason(d, p, err, what, why, sizeof(why));
	log_decision(d, p->c.name, "error", p->standby, (int64_t)want, why, 0);
	backoff(p, now);
}

/* ---- policy ---- */

static bool pz_usable(const struct pz *p)
{
	return p->managed && p->present && p->size >= 0;
}

/*
 * Free memory a pzone keeps when it shrinks: --low-free, or the high
 * watermarks of its zones if larger (the kernel refuses a shrink that
 * leaves less: vm.watermark_scale_factor makes them large), plus one grow
 * step.
 */
static uint64_t pz_keep(struct pzd *d, const struct pz *p)
{
	uint64_t wm = p->wmark_high;

	return (wm > d->tun.low_free ? wm : d->tun.low_free) + d->tun.grow_step;
}

/* Free memory above the working set of @q that it can lend now. */
static uint64_t pz_slack(struct pzd *d, const struct pz *q, uint64_t now)
{
	uint64_t keep = pz_keep(d, q), above, freeb;

	if (!pz_usable(q) || q->free_bytes < 0 || (uint64_t)q->size <= q->c.guarantee)
		return 0;
	if (q->t_last_grow && now - q->t_last_grow < ms_us(PZD_DONOR_QUIET_MS))
		return 0;
	if (q->t_last_lend && now - q->t_last_lend < ms_us(PZD_LEND_SHRINK_MS))
		return 0;
	freeb = (uint64_t)q->free_bytes;
	if (freeb <= keep)
		return 0;
	above = (uint64_t)q->size - q->c.guarantee;
	return round_down(d, freeb - keep < above ? freeb - keep : above);
}

/*
 * Take @need bytes back from other pzones of base node @base (not @p) so the
 * base node can give them to @p (or keep them, @p NULL).  First free memory
 * above each donor's working set (lowest priority first, then most slack);
 * then, if @p outranks the donor or @p is NULL, "SIZE reclaim" down to the
 * donor's guarantee, which drops its clean page cache.  Returns the bytes
 * given back.
 */
static uint64_t reclaim_lent(struct pzd *d, int base, struct pz *p, uint64_t need,
			     const char *reason, uint64_t now)
{
	uint64_t got = 0;
	int pass, i;

	/* free memory may have changed since the last tick: re-read once */
	for (i = 0; i < d->nr_pzs; i++)
		if (&d->pzs[i] != p && d->pzs[i].c.base == base && pz_usable(&d->pzs[i]))
			pz_refresh_all(d, &d->pzs[i]);
	for (pass = 0; pass < 2 && got < need; pass++) {
		for (;;) {
			struct pz *best = NULL;
			uint64_t best_amt = 0, amt, target;

			for (i = 0; i < d->nr_pzs; i++) {
				struct pz *q = &d->pzs[i];

				if (q == p || q->c.base != base || !pz_usable(q) ||
				    now < q->backoff_until)
					continue;
				if (pass == 0) {
					amt = pz_slack(d, q, now);
				} else {
					uint64_t cold, keep = pz_keep(d, q);

					if (p && q->c.priority > p->c.priority)
						continue;
					if (q->t_last_lend && now - q->t_last_lend < ms_us(PZD_LEND_SHRINK_MS))
						continue;
					amt = (uint64_t)q->size > q->c.guarantee ?
					      (uint64_t)q->size - q->c.guarantee : 0;
					/* an equal peer gives free memory and cold cache only */
					cold = (q->free_bytes > 0 ? (uint64_t)q->free_bytes : 0) +
					       (q->inactive_file > 0 ? (uint64_t)q->inactive_file : 0);
					cold = cold > keep ? round_down(d, cold - keep) : 0;
					if (p && q->c.priority == p->c.priority && amt > cold)
						amt = cold;
				}
				if (!amt)
					continue;
				if (!best || q->c.priority < best->c.priority ||
				    (q->c.priority == best->c.priority && amt > best_amt)) {
					best = q;
					best_amt = amt;
				}
			}
			if (!best)
				break;
			amt = round_up(d, need - got);
			/*
			 * Free memory above a working set goes back to the base
			 * node in one go, up to the largest grow: the next steps
			 * of a growing pzone find it there instead of waiting
			 * for another lending shrink.
			 */
			if (pass == 0 && amt < d->tun.grow_max)
				amt = d->tun.grow_max;
			if (amt > best_amt)
				amt = best_amt;
			target = (uint64_t)best->size - amt;
			best->t_last_lend = now;
			if (pz_resize(d, best, target, pass == 1, reason, 0) == V_OK)
				got += amt;
			else if (pass == 0 && amt > d->block &&
				 pz_resize(d, best, (uint64_t)best->size - round_down(d, amt / 2),
					   false, reason, 0) == V_OK)
				got += round_down(d, amt / 2);
			if (got >= need)
				break;
		}
	}
	return got;
}

/* Grow @p by one step (answering the event at @p->t_event, if any). */
static void pz_grow(struct pzd *d, struct pz *p, const char *reason, uint64_t now)
{
	uint64_t step, target, need, lendable;
	char why[160];

	if ((uint64_t)p->size >= p->c.limit) {
		if (!p->at_limit_logged)
			note(d, p->c.name, "under pressure (%s) but at its limit (%" PRIu64 " bytes)",
				 reason, p->c.limit);
		p->at_limit_logged = true;
		p->t_event = 0;
		return;
	}
	p->at_limit_logged = false;
	/* consecutive grows double the step: a fast allocator gets ahead */
	if (p->t_last_grow && now - p->t_last_grow < ms_us(PZD_STEP_RESET_MS))
		step = p->step * 2;
	else
		step = d->tun.grow_step;
	if (step > d->tun.grow_max)
		step = d->tun.grow_max;
	if (step < d->tun.grow_step)
		step = d->tun.grow_step;
	/* after the standby was used, make room for a new one at once */
	if (p->c.standby > step && p->event_reason && !strcmp(p->event_reason, "oom"))
		step = p->c.standby;
	target = round_up(d, (uint64_t)p->size + step);
	if (target > p->c.limit)
		target = p->c.limit;
	need = target - (uint64_t)p->size;

	lendable = base_lendable(d, p->c.base);
	if (lendable < need) {
		snprintf(why, sizeof(why), "lend to %s", p->c.name);
		lendable += reclaim_lent(d, p->c.base, p, need - lendable, why, now);
	}
	if (lendable < need) {
		if (lendable < d->block) {
			if (p->backoff_until <= now) {
				log_decision(d, p->c.name, "error", p->size, (int64_t)target,
					     "no memory to lend: base node and other pzones have none to spare", 0);
				backoff(p, now);
			}
			return;
		}
		target = (uint64_t)p->size + round_down(d, lendable);
	}
	snprintf(why, sizeof(why), "%s", reason);
	if (pz_resize(d, p, target, false, why, p->t_event) == V_OK) {
		bool oom = p->event_reason && !strcmp(p->event_reason, "oom");

		p->step = step;
		p->t_last_grow = now;
		p->t_free_since = 0;
		p->t_event = 0;
		p->event_reason = NULL;
		if (oom && p->has_standby) {
			p->standby = -1;	/* released by the kernel: re-read */
			if (pz_refresh(d, p))
				pz_standby(d, p, now);
		}
	}
}

/*
 * Can kswapd make room in @p by itself?  True while the pzone holds more
 * cold page cache (Inactive(file)) than two grow steps and its working set
 * is not refaulting: a grow would only feed the page cache.
 */
static bool pz_cache_covers(struct pzd *d, struct pz *p)
{
	int64_t rf = -1;
	bool refaulting;

	if (d->ops->read_kv(d->priv, p->c.name, "pressure", "refaults", &rf))
		rf = -1;
	refaulting = rf >= 0 && p->refaults >= 0 && rf > p->refaults;
	p->refaults = rf;
	return !refaulting && p->inactive_file >= 0 &&
	       (uint64_t)p->inactive_file > 2 * d->tun.grow_step;
}

/* Called on an event and on the fast re-checks: does @p need to grow? */
static void pz_pressure(struct pzd *d, struct pz *p, uint64_t now)
{
	const char *reason;

	if (!p->managed || now < p->backoff_until)
		return;
	if (!pz_refresh(d, p))
		return;
	if (p->t_event) {
		reason = p->event_reason ? p->event_reason : "event";
		/* a low event with plenty of cold cache: let kswapd work */
		if (strcmp(reason, "low") || !pz_cache_covers(d, p)) {
			pz_grow(d, p, reason, now);
			return;
		}
		if (d->debug)
			note(d, p->c.name, "low event: not growing, kswapd can reclaim %" PRId64
				 " bytes of cold page cache (free %" PRId64 ")",
				 p->inactive_file, p->free_bytes);
		p->t_event = 0;
		p->event_reason = NULL;
		return;
	}
	if (p->free_bytes >= 0 && (uint64_t)p->free_bytes < d->tun.low_free &&
	    !pz_cache_covers(d, p))
		pz_grow(d, p, "free below low_free", now);
}

/* Read the events file after a wake-up; note new pressure events. */
static void pz_events(struct pzd *d, struct pz *p, uint64_t t_recv)
{
	struct pzone_events old = p->ev;
	const char *reason = NULL;

	if (d->ops->events_read(d->priv, p->fd, &p->ev)) {
		pz_close_events(d, p);
		return;
	}
	if (p->ev.standby_used > old.standby_used || p->ev.oom > old.oom)
		reason = "oom";
	else if (p->ev.reclaim_failing > old.reclaim_failing)
		reason = "reclaim_failing";
	else if (p->ev.low > old.low)
		reason = "low";
	if (p->ev.oom_kill > old.oom_kill && old.oom_kill >= 0)
		note(d, p->c.name, "the kernel OOM-killed a task in this pzone (oom_kill %" PRId64 ")",
			 p->ev.oom_kill);
	if (d->debug)
		note(d, p->c.name, "events: low %" PRId64 " reclaim_failing %" PRId64
			 " oom %" PRId64 " oom_kill %" PRId64 " standby_used %" PRId64 "%s",
			 p->ev.low, p->ev.reclaim_failing, p->ev.oom, p->ev.oom_kill,
			 p->ev.standby_used, p->t_event ? " (a grow is already due)" : "");
	if (!reason)
		return;
	if (!p->t_event) {
		p->t_event = t_recv;
		p->event_reason = reason;
	} else if (!strcmp(reason, "oom")) {
		p->event_reason = reason;
	}
	p->hot_until = t_recv + ms_us(PZD_HOT_MS);
}

/* Create or adopt @p; once at start, after SIGHUP and on retries. */
static void pz_attach(struct pzd *d, struct pz *p, bool log_adopt)
{
	uint64_t now = d->ops->now_us(d->priv);
	char why[PZONE_VAL_MAX * 2 + 64];
	bool was_present = p->present;
	int64_t b;
	int err;

	if (!p->managed || p->wait_config || now < p->backoff_until)
		return;
	if (d->ops->exists(d->priv, p->c.name)) {
		if (!d->ops->read_s64(d->priv, p->c.name, "base_node", &b) &&
		    b != p->c.base) {
			snprintf(why, sizeof(why), "exists with base node %" PRId64
				 ", config says %d: not managed", b, p->c.base);
			log_decision(d, p->c.name, "error", -1, -1, why, 0);
			p->managed = false;
			return;
		}
		p->node = -1;
		if (!pz_refresh(d, p))
			return;
		pz_open_events(d, p);
		if (log_adopt || (p->c.oci && !was_present))
			log_decision(d, p->c.name, "adopt", p->size, p->size, p->c.oci ?
				     "pzone of an OCI container (oci-hook record)" :
				     "existing pzone taken over", 0);
		return;
	}
	/* a hook's pzone comes and goes with its container */
	if (p->c.oci)
		return;
	err = d->ops->create(d->priv, p->c.name, p->c.base, p->c.guarantee);
	if (err) {
		error_reason(d, NULL, err, "create", why, sizeof(why));
		log_decision(d, p->c.name, "error", 0, (int64_t)p->c.guarantee, why, 0);
		if (err == -ENOSPC) {
			p->wait_config = true;
			note(d, p->c.name, "waiting for a config change (SIGHUP)");
		} else if (err == -ENOMEM || err == -EBUSY || err == -EAGAIN) {
			backoff(p, now);
		} else if (err != -EEXIST) {
			p->managed = false;
		}
		return;
	}
	log_decision(d, p->c.name, "create", 0, (int64_t)p->c.guarantee, "in config", 0);
	p->node = -1;
	p->backoff_ms = 0;
	if (pz_refresh(d, p))
		pz_open_events(d, p);
}

/* Idle shrink: hysteresis and rate limits (see the documentation). */
static void pz_idle(struct pzd *d, struct pz *p, uint64_t now)
{
	uint64_t used, target, keep = pz_keep(d, p), slack;
	bool reclaim;

	slack = p->free_bytes < 0 ? 0 : (uint64_t)p->free_bytes;
	if (p->inactive_file > 0)
		slack += (uint64_t)p->inactive_file;
	if (p->free_bytes < 0 || (uint64_t)p->size <= p->c.guarantee ||
	    slack * 100 <= (uint64_t)p->size * d->tun.shrink_free_pct) {
		p->t_free_since = 0;
		return;
	}
	if (!p->t_free_since) {
		p->t_free_since = now;
		return;
	}
	if (now - p->t_free_since < ms_us(d->tun.shrink_after_ms) ||
	    (p->t_last_grow && now - p->t_last_grow < ms_us(d->tun.shrink_after_ms)) ||
	    (p->t_last_shrink && now - p->t_last_shrink < ms_us(d->tun.shrink_every_ms)))
		return;
	used = (uint64_t)p->size - (slack < (uint64_t)p->size ? slack : (uint64_t)p->size);
	target = round_up(d, used + keep);
	if (target < p->c.guarantee)
		target = p->c.guarantee;
	if (target + d->tun.grow_step > (uint64_t)p->size)
		return;
	/* dropping cold cache is needed when the free memory alone is short */
	reclaim = (uint64_t)p->size - target + keep > (uint64_t)p->free_bytes;
	p->t_last_shrink = now;
	if (pz_resize(d, p, target, reclaim, reclaim ?
		      "idle: free memory and cold page cache above the working set" :
		      "idle: free memory above the working set", 0) == V_OK)
		p->t_free_since = 0;
}

/* The slow timer: guarantees, limits, base node pressure, idle shrinks, standby. */
void pzd_tick(struct pzd *d, uint64_t now)
{
	int i, j;

	for (i = 0; i < d->nr_pzs; i++) {
		struct pz *p = &d->pzs[i];

		if (!p->managed)
			continue;
		if (!p->present) {
			pz_attach(d, p, false);
			continue;
		}
		if (!pz_refresh_all(d, p)) {
			log_decision(d, p->c.name, "error", -1, -1, p->c.oci ?
				     "pzone disappeared from sysfs (its container stopped?)" :
				     "pzone disappeared from sysfs; will recreate it", 0);
			continue;
		}
		if (p->fd < 0)
			pz_open_events(d, p);
		if (now < p->backoff_until)
			continue;
		if ((uint64_t)p->size < p->c.guarantee)
			pz_resize(d, p, p->c.guarantee, false, "below its guarantee", 0);
		else if ((uint64_t)p->size > p->c.limit)
			pz_resize(d, p, p->c.limit, true, "above its limit", 0);
		else if (p->t_event || (p->free_bytes >= 0 &&
					(uint64_t)p->free_bytes < d->tun.low_free))
			pz_pressure(d, p, now);
		else
			pz_idle(d, p, now);
	}
	/* the base node's own needs come first: take lent memory back */
	for (i = 0; i < d->nr_pzs; i++) {
		int base = d->pzs[i].c.base;
		int64_t bf;

		for (j = 0; j < i; j++)
			if (d->pzs[j].c.base == base)
				break;
		if (j < i)
			continue;
		bf = base_free(d, base);
		if (bf >= 0 && (uint64_t)bf < d->tun.base_keep / 2) {
			char why[64];

			snprintf(why, sizeof(why), "base node %d low on free memory", base);
			reclaim_lent(d, base, NULL, d->tun.base_keep - (uint64_t)bf, why, now);
		}
	}
	for (i = 0; i < d->nr_pzs; i++)
		if (pz_usable(&d->pzs[i]))
			pz_standby(d, &d->pzs[i], now);
}

/* ---- config application ---- */

static void pz_init(struct pzd *d, struct pz *p, const struct pz_conf *c)
{
	memset(p, 0, sizeof(*p));
	p->c = *c;
	p->managed = true;
	p->fd = -1;
	p->node = -1;
	p->size = -1;
	p->free_bytes = -1;
	p->inactive_file = -1;
	p->refaults = -1;
	p->step = d->tun.grow_step;
	memset(&p->ev, 0xff, sizeof(p->ev));
}

void pzd_apply(struct pzd *d, const struct config *c, bool startup)
{
	struct pz *old = d->old;
	int nr_old = d->nr_pzs, i, j;

	memcpy(old, d->pzs, sizeof(d->pzs));
	for (i = 0; i < c->nr; i++) {
		struct pz *p = &d->pzs[i];

		for (j = 0; j < nr_old; j++)
			if (old[j].c.name[0] && !strcmp(old[j].c.name, c->pz[i].name))
				break;
		if (j < nr_old) {
			*p = old[j];
			old[j].c.name[0] = '\0';
			p->c = c->pz[i];
			p->managed = true;
			p->wait_config = false;
			p->backoff_until = 0;
			p->backoff_ms = 0;
		} else {
			pz_init(d, p, &c->pz[i]);
		}
	}
	for (j = 0; j < nr_old; j++) {
		if (!old[j].c.name[0])
			continue;
		if (old[j].fd >= 0)
			d->ops->events_close(d->priv, old[j].fd);
		note(d, old[j].c.name, "not in the config any more: no longer managed, left as it is");
	}
	d->nr_pzs = c->nr;
	for (i = 0; i < d->nr_pzs; i++) {
		bool existed = d->pzs[i].present;

		pz_attach(d, &d->pzs[i], startup || !existed);
	}
	pzd_tick(d, d->ops->now_us(d->priv));
}

void pzd_events(struct pzd *d, int i, uint64_t t_recv)
{
	if (i >= 0 && i < d->nr_pzs)
		pz_events(d, &d->pzs[i], t_recv);
}

void pzd_recheck(struct pzd *d)
{
	int i;

	for (i = 0; i < d->nr_pzs; i++) {
		struct pz *p = &d->pzs[i];
		uint64_t now = d->ops->now_us(d->priv);

		if (!p->managed || !p->present)
			continue;
		if (p->t_event ||
		    ((p->fd < 0 || now < p->hot_until) && now >= p->t_next_poll)) {
			p->t_next_poll = now + ms_us(p->fd < 0 ? PZD_NOEVENTS_MS : PZD_HOT_CHECK_MS);
			pz_pressure(d, p, now);
		}
	}
}

uint64_t pzd_deadline(const struct pzd *d, uint64_t now, uint64_t deadline)
{
	int i;

	for (i = 0; i < d->nr_pzs; i++) {
		const struct pz *p = &d->pzs[i];
		uint64_t t;

		if (!p->managed || !p->present)
			continue;
		/* fast re-checks: pressure, or no events file */
		if (p->fd < 0 || p->t_event || now < p->hot_until) {
			t = p->t_next_poll;
			if (p->backoff_until > t)
				t = p->backoff_until;
			if (t < deadline)
				deadline = t;
		}
	}
	return deadline;
}

void pzd_init(struct pzd *d, const struct pzd_ops *ops, void *priv,
	      const struct pzd_tunables *tun, uint64_t block)
{
	memset(d, 0, sizeof(*d));
	d->ops = ops;
	d->priv = priv;
	d->tun = *tun;
	d->block = block;
}

void pzd_release(struct pzd *d)
{
	int i;

	for (i = 0; i < d->nr_pzs; i++)
		pz_close_events(d, &d->pzs[i]);
	d->nr_pzs = 0;
}
