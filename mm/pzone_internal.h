/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pzone internals: the hooks other mm/ files call, and what mm/pzone.c
 * (registry, node lifecycle, block transplant, lending, reaper) and
 * mm/pzone_reclaim.c (resize, pressure, events, OOM standby) share.
 *
 * Lock order, outermost first:
 *
 *	pzone->mutex			one operation on one pzone at a time
 *	  pzone_fallback_mutex		the fallback cgroups (a leaf)
 *	  pzone_dir_mutex		directory bindings (mm/pzone_pool.c)
 *	  device_hotplug_lock		lending (mem->zone), node on/offline
 *	    pzone_mutex			registry, node ids, lent memory blocks
 *	      mem_hotplug_lock (write)	zone and node state, zonelists
 *	        zone->lock		relinking the pages of an owned block
 *
 * The two global locks are taken only to commit a transplant that is
 * already prepared: blocks are taken, emptied and migrated under
 * pzone->mutex alone, so a slow shrink of one pzone never stalls another.
 */
#ifndef _MM_PZONE_INTERNAL_H
#define _MM_PZONE_INTERNAL_H

#include <linux/gfp_types.h>
#include <linux/jump_label.h>
#include <linux/nodemask.h>
#include <linux/preempt.h>
#include <linux/pzone.h>
#include <linux/topology.h>

struct task_struct;
struct zone;

#ifdef CONFIG_PZONE
/* Hooks called from other mm/ files. */
DECLARE_STATIC_KEY_FALSE(pzone_active_key);
DECLARE_STATIC_KEY_FALSE(pzone_fallback_key);

/**
 * pzone_active() - Is at least one derived node online?
 *
 * Context: Any context.  A patched-out branch while no pzone exists.
 * Return: true while a derived node is online.
 */
static inline bool pzone_active(void)
{
	return static_branch_unlikely(&pzone_active_key);
}

void __init pzone_reserve_node_ids(void);
int pzone_node_distance(int from, int to);
bool pzone_oom_task_eligible(struct task_struct *tsk,
			     const nodemask_t *domain);
void pzone_kswapd_woken(int nid, int failures);
int pzone_current_base_node(void);
bool pzone_current_may_fall_back(gfp_t gfp);
int pzone_base_node(int nid);
unsigned long pzone_derived_pcp_pages(int nid, unsigned long managed);

/**
 * pzone_note_kswapd_wakeup() - Hook for wakeup_kswapd().
 * @nid: node whose kswapd is being woken.
 * @failures: its pgdat->kswapd_failures.
 *
 * Context: Any context.  One bit test unless @nid is a derived node.
 */
static inline void pzone_note_kswapd_wakeup(int nid, int failures)
{
	if (pzone_is_derived_node(nid))
		pzone_kswapd_woken(nid, failures);
}

/**
 * pzone_note_low() - Hook for a slow-path allocation that wakes no kswapd.
 * @zone: the first zone the allocation may use.
 *
 * An allocation that may not wake kswapd (THP faults with the default
 * defrag setting) takes a derived node down to its min watermark without
 * the "low" event that pzoned grows pzones on; give it the event anyway,
 * when the zone really is below its low watermark (not for a high-order
 * miss that only fragmentation caused).
 *
 * Context: The page allocator's slow path, behind pzone_active().
 */
static inline void pzone_note_low(struct zone *zone)
{
	int nid = zone_to_nid(zone);

	if (pzone_is_derived_node(nid) &&
	    zone_page_state(zone, NR_FREE_PAGES) < low_wmark_pages(zone))
		pzone_kswapd_woken(nid, zone->zone_pgdat->kswapd_failures);
}

/**
 * pzone_pcp_pages() - Zone size to compute per-CPU list batches from.
 * @nid: node of the zone.
 * @managed: managed pages of the zone.
 *
 * A derived zone is a slice of its base zone and sees the same allocation
 * pattern, so its per-CPU lists are sized like the base zone's, bounded by
 * its own size (see pzone_derived_pcp_pages()).
 *
 * Context: Any context.  Not in the allocation path: only when per-CPU
 * lists are sized.
 * Return: @managed for ordinary nodes, a larger basis for derived ones.
 */
static inline unsigned long pzone_pcp_pages(int nid, unsigned long managed)
{
	if (!pzone_is_derived_node(nid))
		return managed;
	return pzone_derived_pcp_pages(nid, managed);
}

/**
 * pzone_slab_node() - Node to take a new slab page from instead of @node.
 * @node: the node asked for, or %NUMA_NO_NODE.
 *
 * Slab pages are shared, so none is taken from a pzone.  An allocation for
 * a derived node goes to its base node (to the local memory node if the id
 * is not in use); one by a task confined to pzones goes to the pzone's base
 * node, or to @node if it names an ordinary node, which the task's cpuset
 * would otherwise replace with the pzone.
 *
 * Context: Any context.
 * Return: that node, to be tried first with __GFP_THISNODE, or
 * %NUMA_NO_NODE to allocate as usual.
 */
static inline int pzone_slab_node(int node)
{
	int base;

	if (nodes_empty(pzone_reserved_nodes))
		return NUMA_NO_NODE;
	if (node != NUMA_NO_NODE && pzone_is_derived_node(node)) {
		base = pzone_base_node(node);
		return base != NUMA_NO_NODE ? base : numa_mem_id();
	}
	/* no task can be confined to a pzone while none exists */
	if (!pzone_active() || !in_task())
		return NUMA_NO_NODE;
	base = pzone_current_base_node();
	if (base == NUMA_NO_NODE || node == NUMA_NO_NODE)
		return base;
	return node;
}

/**
 * pzone_kernel_may_leave() - May this allocation leave the task's cpuset?
 * @gfp: the allocation's mask.
 *
 * Kernel memory of a task confined to a pzone that the allocator may not
 * take outside the cpuset (__GFP_HARDWALL: pipe buffers, AIO rings, pages
 * pinned for the long term, ...) and that is not movable can only come from
 * the pzone's kernel reserve, a block or two: it failed there, or OOM-killed
 * inside the pzone, while the pzone had plenty of free movable memory.  Let
 * it fall back to other nodes (the base node first, by distance), as
 * kernel allocations without __GFP_HARDWALL already do; memcg still charges
 * it to the container.  User memory (movable) stays confined, unless the
 * task's cgroup is marked for fallback (pzone_set_fallback_cgroup()): then
 * it too goes to the base node once the pzone is at its min watermark.
 * The fallback check costs nothing while no cgroup is marked.
 *
 * Context: The page allocator's slow path, behind pzone_active().
 * Return: true if __GFP_HARDWALL may be dropped.
 */
static inline bool pzone_kernel_may_leave(gfp_t gfp)
{
	if (!(gfp & __GFP_HARDWALL) || !in_task())
		return false;
	if (!(gfp & __GFP_MOVABLE))
		return pzone_current_base_node() != NUMA_NO_NODE;
	return static_branch_unlikely(&pzone_fallback_key) &&
	       pzone_current_may_fall_back(gfp);
}
#else /* !CONFIG_PZONE */
static inline bool pzone_active(void)
{
	return false;
}

static inline bool pzone_kernel_may_leave(gfp_t gfp)
{
	return false;
}

static inline void pzone_reserve_node_ids(void)
{
}

static inline void pzone_note_kswapd_wakeup(int nid, int failures)
{
}

static inline void pzone_note_low(struct zone *zone)
{
}

static inline int pzone_slab_node(int node)
{
	return NUMA_NO_NODE;
}

static inline unsigned long pzone_pcp_pages(int nid, unsigned long managed)
{
	return managed;
}

static inline int pzone_node_distance(int from, int to)
{
	return 0;
}

static inline bool pzone_oom_task_eligible(struct task_struct *tsk,
					   const nodemask_t *domain)
{
	return true;
}
#endif /* CONFIG_PZONE */

#ifdef PZONE_CORE
/* Only mm/pzone.c, mm/pzone_reclaim.c and the KUnit test see the rest. */
#include <kunit/visibility.h>
#include <linux/gfp.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mmzone.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>
#include <linux/timer.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#define PZONE_BLOCK_ORDER	MAX_PAGE_ORDER
#define PZONE_BLOCK_PAGES	BIT(PZONE_BLOCK_ORDER)
#define PZONE_BLOCK_BYTES	(PZONE_BLOCK_PAGES << PAGE_SHIFT)
#define PZONE_DEFAULT_DISTANCE	200
/* Between two different derived nodes: after every ordinary node. */
#define PZONE_MAX_DISTANCE	254

/* Taking a block from the base node: any free block, no OOM, no warning. */
#define PZONE_GFP_BASE	(GFP_HIGHUSER_MOVABLE | __GFP_THISNODE | __GFP_COMP | \
			 __GFP_NORETRY | __GFP_NOWARN)
/* Emptying a block that holds pages in use. */
#define PZONE_GFP_EVACUATE	(GFP_KERNEL | __GFP_COMP | __GFP_NOWARN)

/*
 * May a range pzone take blocks of zone @zid?  ZONE_DMA32 too (a device
 * that reaches 31 or 32 bits), never ZONE_DMA.
 */
static inline bool pzone_range_zone_ok(enum zone_type zid)
{
#ifdef CONFIG_ZONE_DMA32
	if (zid == ZONE_DMA32)
		return true;
#endif
	return zid == ZONE_NORMAL || zid == ZONE_MOVABLE;
}

/* xarray marks of pzone->blocks */
#define PZONE_MARK_TAKEN	XA_MARK_0	/* owned by the running operation */
#define PZONE_MARK_STANDBY	XA_MARK_1	/* on pzone->standby */

/**
 * struct pzone - A derived node and the blocks it holds.
 * @ref:	References: the creator's (pzone_put()), one while a zombie,
 *		one per queued @reap_work, and lookups (pzone_get_by_name()).
 * @list:	Entry in pzone_list or pzone_zombies; under pzone_mutex.
 * @name:	Name given at creation; under pzone_mutex.
 * @nid:	Derived node id.
 * @base_nid:	Node the blocks come from and return to.
 * @range_start: First pfn of the range the blocks must lie in, block
 *		aligned; 0 with @range_end 0 when there is no range.
 * @range_end:	End pfn (exclusive) of that range, block aligned.
 * @mutex:	Serialises the operations on this pzone: resize, standby,
 *		destroy, reaping and adoption.  Holding it, no block moves.
 * @state:	Lifecycle state; only pzone_set_state() changes it, under
 *		@mutex.
 * @blocks:	Block index (pfn >> PZONE_BLOCK_ORDER) to xa_mk_value() of the
 *		base zone index the block came from.  Changed under @mutex.
 * @nr_blocks:	Blocks in the derived node's zones, standby included.
 * @lock:	Protects the counters below for lockless readers, @notifier
 *		for its writers, and the zones' per-CPU lists from
 *		zone_pcp_reset() while free memory is reported.
 * @blocks_in:	Blocks moved in since creation.
 * @blocks_out:	Blocks moved out since creation.
 * @blocks_evacuated:	Blocks emptied by migrating their pages.
 * @blocks_failed:	Blocks that could not be emptied.
 * @nr_reason:	Pages found in blocks that could not be emptied, by kind.
 * @reap_work:	Retries giving back a destroyed pzone's remaining blocks.
 * @reap_delay:	Current retry interval of @reap_work, in jiffies.
 * @reap_tries:	Retries so far.
 * @zombie:	Destroyed, but blocks still hold pages in use; on
 *		pzone_zombies.  Under @mutex and pzone_mutex.
 * @priv:	The user interface's handle (the sysfs directory).
 * @events:	Event counters, see enum pzone_event.
 * @notifier:	Told when @events change; RCU, written under @lock.
 * @last_notify: jiffies of the last notification, for rate limiting.
 * @notify_timer: Sends the notification that rate limiting held back.
 * @standby_lock: Protects @standby and @nr_standby; taken with irqs off.
 * @standby:	Blocks moved in but held out of the buddy allocator, released
 *		when an allocation confined to the node is about to OOM.
 * @nr_standby:	Number of blocks on @standby; they count in @nr_blocks.
 */
struct pzone {
	struct kref ref;
	struct list_head list;
	char name[PZONE_NAME_MAX + 1];
	int nid;
	int base_nid;
	unsigned long range_start;
	unsigned long range_end;
	struct mutex mutex;	/* see @mutex above */
	enum pzone_state state;
	struct xarray blocks;
	unsigned long nr_blocks[MAX_NR_ZONES];
	spinlock_t lock;	/* the counters below; no nesting */
	unsigned long blocks_in;
	unsigned long blocks_out;
	unsigned long blocks_evacuated;
	unsigned long blocks_failed;
	unsigned long nr_reason[NR_PZONE_REASONS];
	struct delayed_work reap_work;
	unsigned long reap_delay;
	unsigned int reap_tries;
	bool zombie;
	void *priv;
	atomic_long_t events[NR_PZONE_EVENTS];
	struct pzone_notifier __rcu *notifier;
	unsigned long last_notify;
	struct timer_list notify_timer;
	spinlock_t standby_lock;	/* @standby, @nr_standby; irq-safe */
	struct list_head standby;
	unsigned long nr_standby;
};

extern struct mutex pzone_mutex;
extern struct pzone __rcu *pzone_by_nid[MAX_NUMNODES];

/* mm/pzone.c */
__printf(2, 3) void pzone_err_set(struct pzone_err *err, const char *fmt, ...);
bool pzone_set_state(struct pzone *pz, enum pzone_state state);
unsigned long pzone_nr_all_blocks(const struct pzone *pz);
unsigned long pzone_nr_blocks(const struct pzone *pz);
unsigned long pzone_node_free_pages(int nid);
void pzone_ordinary_nodes(nodemask_t *mask);
unsigned long pzone_block_idx(struct page *page);
void pzone_free_list(struct list_head *list);
void pzone_publish(struct pzone *pz, bool on);
int pzone_commit_grow(struct pzone *pz, struct list_head *kernel,
		      struct list_head *movable, struct list_head *standby,
		      struct pzone_err *err);
int pzone_commit_shrink(struct pzone *pz, struct list_head *list,
			struct list_head *standby, unsigned long nr_kernel,
			nodemask_t *target, struct pzone_err *err);
extern struct workqueue_struct *pzone_wq;

/* mm/pzone_pool.c */
void pzone_dirs_suspend(int nid, bool suspend);
void pzone_dirs_forget(int nid);

/* mm/pzone_reclaim.c */
int pzone_grow(struct pzone *pz, unsigned long nr_kernel,
	       unsigned long nr_movable, bool use_busy, struct pzone_err *err);
int pzone_shrink(struct pzone *pz, unsigned long nr_kernel,
		 unsigned long nr_movable, unsigned long nr_standby,
		 nodemask_t *target, struct pzone_err *err);
struct zone *pzone_range_zone(int base_nid, unsigned long pfn);
unsigned long pzone_take_own_blocks(struct pzone *pz, unsigned long nr,
				    enum zone_type zid, nodemask_t *target,
				    struct list_head *list);
void pzone_event(struct pzone *pz, enum pzone_event ev);
void pzone_notify_timer_fn(struct timer_list *t);
unsigned long pzone_release_standby(struct pzone *pz);
int __init pzone_reclaim_init(void);

/**
 * struct pzone_cand - A block that a shrink may empty.
 * @pfn:	First pfn of the block.
 * @score:	pzone_block_score() of it.
 */
struct pzone_cand {
	unsigned long pfn;
	long score;
};

#if IS_ENABLED(CONFIG_KUNIT)
/* static unless KUnit is built: VISIBLE_IF_KUNIT */
unsigned int pzone_nr_in_state(enum pzone_state state);
bool pzone_headroom_ok(unsigned long free, unsigned long nr_out,
		       unsigned long wmark_high);
long pzone_block_score(const unsigned long nr[NR_PZONE_REASONS]);
int pzone_cand_cmp(const void *a, const void *b);
int pzone_range_check(int base_nid, unsigned long nr,
		      const struct pzone_range *range,
		      unsigned long *start, unsigned long *end,
		      struct pzone_err *err);
unsigned long pzone_collect_cands(struct pzone *pz, enum zone_type zid,
				  struct pzone_cand *cand, unsigned long cap);
extern int pzone_distance;
extern int pzone_base[MAX_NUMNODES];
extern unsigned int pzone_reap_test_delay_ms;
int pzone_oom_notify(struct notifier_block *nb, unsigned long unused,
		     void *parm);
struct address_space;
u32 pzone_mapping_dir(struct address_space *mapping);
void pzone_mapping_set_dir(struct address_space *mapping, u32 id);
#endif
#endif /* PZONE_CORE */

#endif /* _MM_PZONE_INTERNAL_H */
