// SPDX-License-Identifier: GPL-2.0
/*
 * pzone: derived memory nodes for containers.  Registry, node lifecycle,
 * block transplant, lending and the reaper; resizing, events and the OOM
 * standby are in mm/pzone_reclaim.c.
 *
 * A pzone is a memory-only NUMA node id reserved at boot (pzone_nodes=K) and
 * brought online at runtime.  Its memory is MAX_ORDER blocks moved out of the
 * ZONE_NORMAL of a base node: a block is owned as one compound page, its
 * pages are relinked to the derived node's zone (ZONE_NORMAL for the kernel
 * reserve, ZONE_MOVABLE for the rest), the span, present and managed counts
 * move with it, and it is freed into the derived node's buddy allocator.
 * Buddies never merge across a MAX_ORDER boundary or a zone, so a block can
 * change zone without touching its neighbours.  Moving a block back is the
 * same operation with the roles swapped.  See mm/pzone_internal.h for the
 * lock order.
 */

#define pr_fmt(fmt) "pzone: " fmt
#define PZONE_CORE

#include <linux/cgroup.h>
#include <linux/cpuset.h>
#include <linux/delay.h>
#include <linux/memory.h>
#include <linux/memory_hotplug.h>
#include <linux/mempolicy.h>
#include <linux/mm.h>
#include <linux/node.h>
#include <linux/nsproxy.h>
#include <linux/page-isolation.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/swap.h>
#include <linux/writeback.h>
#include <linux/compaction.h>

#include "internal.h"
#include "pzone_internal.h"

/* Reaper backoff: first retry after a second, then doubling up to this. */
#define PZONE_REAP_MAX_DELAY	(600 * HZ)
/* A full reap attempt is tried while at most this many pages are in use. */
#define PZONE_REAP_SLACK_PAGES	256

DEFINE_STATIC_KEY_FALSE(pzone_active_key);

/*
 * pzone_mutex protects the registry (pzone_list, pzone_zombies, the names,
 * pzone_by_nid, pzone_base), the lent memory blocks and the commit of a
 * transplant.  It is never held across migration or reclaim.  It must never
 * be taken from a memory notifier or the allocator.
 */
DEFINE_MUTEX(pzone_mutex);
static LIST_HEAD(pzone_list);
/* Destroyed pzones whose node waits for blocks still in use. */
static LIST_HEAD(pzone_zombies);

/*
 * The pzone of each derived node in use, for the hooks that run in any
 * context (kswapd wakeup, OOM).  Set when a pzone is on; cleared, followed
 * by synchronize_rcu(), before it goes away or changes.
 */
struct pzone __rcu *pzone_by_nid[MAX_NUMNODES];

/* Reaping, and nothing else: flushing it in tests waits for reapers only. */
struct workqueue_struct *pzone_wq;

nodemask_t pzone_reserved_nodes __ro_after_init;
static unsigned int pzone_nr_nodes __initdata = CONFIG_PZONE_DEFAULT_NODES;
VISIBLE_IF_KUNIT int pzone_distance __ro_after_init = PZONE_DEFAULT_DISTANCE;
/* Base node of each derived node in use, NUMA_NO_NODE otherwise. */
VISIBLE_IF_KUNIT int pzone_base[MAX_NUMNODES] __read_mostly = {
	[0 ... MAX_NUMNODES - 1] = NUMA_NO_NODE
};

static void pzone_reap_workfn(struct work_struct *work);
static void pzone_fallback_forget(int nid);

static const char * const pzone_state_names[] = {
	[PZONE_STATE_STARTING]	= "starting",
	[PZONE_STATE_ON]	= "on",
	[PZONE_STATE_RESIZING]	= "resizing",
	[PZONE_STATE_DRAINING]	= "draining",
	[PZONE_STATE_BROKEN]	= "broken",
};

static_assert(ARRAY_SIZE(pzone_state_names) == NR_PZONE_STATES);

static const char * const pzone_reason_names[] = {
	[PZONE_REASON_BUDDY]	= "buddy",
	[PZONE_REASON_LRU]	= "lru",
	[PZONE_REASON_SLAB]	= "slab",
	[PZONE_REASON_PINNED]	= "pinned",
	[PZONE_REASON_OTHER]	= "other",
};

static_assert(ARRAY_SIZE(pzone_reason_names) == NR_PZONE_REASONS);

/*
 * The legal state transitions.  A pzone is born STARTING and freed from
 * any state.
 *   STARTING -> ON        created, or a zombie adopted
 *   STARTING -> DRAINING  an adopted zombie's grow failed: zombie again
 *   ON -> RESIZING -> ON  a resize
 *   ON -> DRAINING        destroy started
 *   DRAINING -> ON        destroy refused, nothing changed
 *   DRAINING -> STARTING  a zombie adopted by a new pzone
 *   any -> BROKEN         an invariant broke; then only destroy
 *   BROKEN -> DRAINING    destroy of a broken pzone
 */
static const bool pzone_transitions[NR_PZONE_STATES][NR_PZONE_STATES] = {
	[PZONE_STATE_STARTING] = {
		[PZONE_STATE_ON] = true, [PZONE_STATE_DRAINING] = true,
		[PZONE_STATE_BROKEN] = true,
	},
	[PZONE_STATE_ON] = {
		[PZONE_STATE_RESIZING] = true, [PZONE_STATE_DRAINING] = true,
		[PZONE_STATE_BROKEN] = true,
	},
	[PZONE_STATE_RESIZING] = {
		[PZONE_STATE_ON] = true, [PZONE_STATE_BROKEN] = true,
	},
	[PZONE_STATE_DRAINING] = {
		[PZONE_STATE_ON] = true, [PZONE_STATE_STARTING] = true,
		[PZONE_STATE_BROKEN] = true,
	},
	[PZONE_STATE_BROKEN] = {
		[PZONE_STATE_DRAINING] = true,
	},
};

/* pzones in each state, zombies included. */
static atomic_t pzone_state_count[NR_PZONE_STATES];

/**
 * pzone_set_state() - Move a pzone to another state.
 * @pz: the pzone.
 * @state: the new state.
 *
 * Every state change goes through here.  An illegal transition is a bug: it
 * warns and leaves the state as it was.
 *
 * Context: Caller holds @pz->mutex.
 * Return: true if @pz is now in @state.
 */
bool pzone_set_state(struct pzone *pz, enum pzone_state state)
{
	enum pzone_state old = pz->state;

	lockdep_assert_held(&pz->mutex);

	if (old == state)
		return true;
	if (WARN_ONCE(state >= NR_PZONE_STATES || !pzone_transitions[old][state],
		      "pzone %s: illegal state change %s -> %s\n", pz->name,
		      pzone_state_name(old), pzone_state_name(state)))
		return false;
	atomic_dec(&pzone_state_count[old]);
	atomic_inc(&pzone_state_count[state]);
	WRITE_ONCE(pz->state, state);
	return true;
}

/**
 * pzone_nr_in_state() - How many pzones are in a state.
 * @state: the state.
 *
 * Context: Any context.
 * Return: the number of pzones, zombies included, in @state.
 */
VISIBLE_IF_KUNIT unsigned int pzone_nr_in_state(enum pzone_state state)
{
	return atomic_read(&pzone_state_count[state]);
}
EXPORT_SYMBOL_IF_KUNIT(pzone_nr_in_state);

static int __init pzone_nodes_setup(char *str)
{
	return kstrtouint(str, 0, &pzone_nr_nodes);
}
early_param("pzone_nodes", pzone_nodes_setup);

static int __init pzone_distance_setup(char *str)
{
	int d, err;

	err = kstrtoint(str, 0, &d);
	if (err)
		return err;
	/* Room above it for a far base node: see pzone_node_distance(). */
	if (d <= REMOTE_DISTANCE || d > PZONE_MAX_DISTANCE - 32)
		return -EINVAL;
	pzone_distance = d;
	return 0;
}
early_param("pzone_distance", pzone_distance_setup);

/**
 * pzone_reserve_node_ids() - Reserve node ids for pzones.
 *
 * Marks pzone_nodes= ids above the highest possible node as possible, so
 * that every per-node structure sized from nr_node_ids has room for them and
 * their pgdat is allocated at boot.  Ids that would reach MAX_NUMNODES are
 * not reserved.
 *
 * Context: Early boot, from numa_memblks_init(), before nr_node_ids is set.
 */
void __init pzone_reserve_node_ids(void)
{
	unsigned int i;
	int last = find_last_bit(node_possible_map.bits, MAX_NUMNODES);

	if (!pzone_nr_nodes)
		return;
	if (last >= MAX_NUMNODES)
		last = -1;
	for (i = 0; i < pzone_nr_nodes; i++) {
		int nid = last + 1 + i;

		if (nid >= MAX_NUMNODES) {
			pr_warn("only %u of %u node ids reserved: MAX_NUMNODES is %d\n",
				i, pzone_nr_nodes, MAX_NUMNODES);
			break;
		}
		node_set(nid, node_possible_map);
		node_set(nid, pzone_reserved_nodes);
	}
	pr_info("reserved node ids %*pbl, distance %d\n",
		nodemask_pr_args(&pzone_reserved_nodes), pzone_distance);
}

/**
 * pzone_node_distance() - Distance between two nodes when one is derived.
 * @from: node id.
 * @to: node id.
 *
 * The table is symmetric, as a SLIT must be.  A derived node in use is
 * pzone_distance away from its base node, and pzone_distance plus the base
 * node's distance beyond it from every other ordinary node, so it sorts
 * last in every ordinary node's fallback list while its own list starts at
 * its base node.  Two different derived nodes, and an id not in use, are
 * farthest from everything.
 *
 * Context: Any context.
 * Return: the distance.
 */
int pzone_node_distance(int from, int to)
{
	int bf = from, bt = to, d;

	if (from == to)
		return LOCAL_DISTANCE;
	if (pzone_is_derived_node(from) && pzone_is_derived_node(to))
		return PZONE_MAX_DISTANCE;
	if (pzone_is_derived_node(from))
		bf = READ_ONCE(pzone_base[from]);
	else
		bt = READ_ONCE(pzone_base[to]);
	if (bf == NUMA_NO_NODE || bt == NUMA_NO_NODE)
		return PZONE_MAX_DISTANCE;
	d = __node_distance(bf, bt);
	return min(pzone_distance + d - LOCAL_DISTANCE, PZONE_MAX_DISTANCE);
}

/**
 * pzone_ordinary_nodes() - Nodes with memory that are not derived.
 * @mask: filled with them: the nodes a container escapes to.
 *
 * Context: Any context.
 */
void pzone_ordinary_nodes(nodemask_t *mask)
{
	nodes_andnot(*mask, node_states[N_MEMORY], pzone_reserved_nodes);
}

/*
 * Is @tsk confined to nodes that intersect @domain?  A task whose cpuset and
 * bind policy allow every ordinary memory node is not confined to anything.
 */
static bool pzone_task_confined(struct task_struct *tsk,
				const nodemask_t *domain)
{
	struct mempolicy *pol;
	nodemask_t mems, ordinary;

	task_lock(tsk);
	mems = tsk->mems_allowed;
	pol = tsk->mempolicy;
	if (pol && pol->mode == MPOL_BIND)
		nodes_and(mems, mems, pol->nodes);
	task_unlock(tsk);

	if (!nodes_intersects(mems, *domain))
		return false;
	pzone_ordinary_nodes(&ordinary);
	return !nodes_subset(ordinary, mems);
}

/**
 * pzone_oom_task_eligible() - May an OOM in @domain kill @tsk?
 * @tsk: candidate victim.
 * @domain: nodes the allocation that failed was allowed to use.
 *
 * If @domain lies inside derived nodes, only a task confined to nodes that
 * intersect it is eligible: killing a task that may use every ordinary node
 * frees nothing the pzone can use.  Other OOMs are not affected.
 *
 * Context: Process context, from the OOM killer.  Takes task_lock().
 * Return: false if @tsk must be spared.
 */
bool pzone_oom_task_eligible(struct task_struct *tsk, const nodemask_t *domain)
{
	struct task_struct *t;
	bool ret = false;

	if (nodes_empty(*domain) || !nodes_subset(*domain, pzone_reserved_nodes))
		return true;

	rcu_read_lock();
	for_each_thread(tsk, t) {
		if (pzone_task_confined(t, domain)) {
			ret = true;
			break;
		}
	}
	rcu_read_unlock();
	return ret;
}

/**
 * pzone_current_base_node() - Base node of the pzone the current task is in.
 *
 * Context: Process context.
 * Return: the base node if the cpuset of the current task allows only pzone
 * nodes (the first of them decides), %NUMA_NO_NODE otherwise.
 */
int pzone_current_base_node(void)
{
	nodemask_t mems = current->mems_allowed;

	if (nodes_empty(mems) || !nodes_subset(mems, pzone_reserved_nodes))
		return NUMA_NO_NODE;
	return READ_ONCE(pzone_base[first_node(mems)]);
}

/**
 * pzone_kernel_node() - Node for kernel memory that outlives the current task.
 *
 * Some kernel memory is allocated by whichever task happens to need it and
 * kept for good or for long, shared by everyone: stack depot pools, for
 * one.  Taken by a task confined to a pzone, it would come from the
 * pzone's kernel reserve and keep that block from ever going back.  Such
 * allocators try the node this returns first, with __GFP_THISNODE and
 * without __GFP_HARDWALL (the page allocator's slow path lets such an
 * allocation leave the cpuset), and choose their own fallback: stack depot
 * allocates as usual, the huge zero page does without.
 *
 * Context: Any context.
 * Return: the base node of the pzone the current task is confined to, or
 * %NUMA_NO_NODE (not confined, not in a task, or no pzone node ids).
 */
int pzone_kernel_node(void)
{
	return pzone_slab_node(NUMA_NO_NODE);
}

/**
 * pzone_base_node() - Base node of a derived node in use.
 * @nid: a derived node id.
 *
 * Context: Any context.
 * Return: the base node, or %NUMA_NO_NODE if no pzone uses @nid.
 */
int pzone_base_node(int nid)
{
	return READ_ONCE(pzone_base[nid]);
}

/*
 * A derived zone's pages come out of its base zone and its tasks allocate
 * like the base node's, but zone_batchsize() and zone_highsize() size the
 * per-CPU lists from the zone's own size: a 160 MiB pzone got a batch of 7
 * and a high limit of 2496 pages where its 4 GiB base zone has 63 and
 * 91072, and anonymous faults cycling through 64 MiB in it ran 7 % slower
 * (make bench): every page freed overflowed into the buddy lists.  Size
 * the lists from the base zone instead, bounded by PZONE_PCP_MAX_SCALE
 * times the derived zone, so that the per-CPU lists of all CPUs together
 * can hold at most half of it (zone_highsize() allows 1/8 of its basis);
 * the automatic tuning of pcp->high shrinks them when the zone runs short.
 */
#define PZONE_PCP_MAX_SCALE	4

/**
 * pzone_derived_pcp_pages() - Zone size to size a derived zone's pcp lists.
 * @nid: a derived node.
 * @managed: managed pages of the zone being sized.
 *
 * Context: Any context.
 * Return: pages to use in place of @managed: the managed pages of the base
 * node's ZONE_NORMAL, at least @managed and at most PZONE_PCP_MAX_SCALE
 * times @managed.
 */
unsigned long pzone_derived_pcp_pages(int nid, unsigned long managed)
{
	int base = pzone_base_node(nid);
	unsigned long base_pages;

	if (base == NUMA_NO_NODE || managed > ULONG_MAX / PZONE_PCP_MAX_SCALE)
		return managed;
	base_pages = zone_managed_pages(&NODE_DATA(base)->node_zones[ZONE_NORMAL]);
	return clamp(base_pages, managed, managed * PZONE_PCP_MAX_SCALE);
}

/**
 * pzone_state_name() - Keyword of a state.
 * @state: the state.
 *
 * Context: Any context.
 * Return: the keyword, "unknown" for an invalid state.
 */
const char *pzone_state_name(enum pzone_state state)
{
	if (state >= NR_PZONE_STATES)
		return "unknown";
	return pzone_state_names[state];
}

/**
 * pzone_reason_name() - Keyword of a reason a block could not be emptied.
 * @reason: the reason.
 *
 * Context: Any context.
 * Return: the keyword, "unknown" for an invalid reason.
 */
const char *pzone_reason_name(enum pzone_reason reason)
{
	if (reason >= NR_PZONE_REASONS)
		return "unknown";
	return pzone_reason_names[reason];
}

/**
 * pzone_block_size_bytes() - Size of the unit pzones grow and shrink by.
 *
 * Context: Any context.
 * Return: bytes in one block (MAX_ORDER pages).
 */
u64 pzone_block_size_bytes(void)
{
	return PZONE_BLOCK_BYTES;
}

/**
 * pzone_err_set() - Tell the caller of an operation why it failed.
 * @err: the caller's error.
 * @fmt: printf format of a one-line reason.
 *
 * Context: Any context.
 */
void pzone_err_set(struct pzone_err *err, const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	vscnprintf(err->reason, sizeof(err->reason), fmt, args);
	va_end(args);
	pr_debug("%s\n", err->reason);
}

/**
 * pzone_nr_all_blocks() - Blocks in the pzone's zones, standby included.
 * @pz: the pzone.
 *
 * Context: Any context.
 * Return: the number of blocks.
 */
unsigned long pzone_nr_all_blocks(const struct pzone *pz)
{
	return READ_ONCE(pz->nr_blocks[ZONE_NORMAL]) +
	       READ_ONCE(pz->nr_blocks[ZONE_MOVABLE]);
}

/**
 * pzone_nr_blocks() - Blocks the pzone's tasks can use: its size.
 * @pz: the pzone.
 *
 * Context: Any context.
 * Return: the number of blocks, standby excluded.
 */
unsigned long pzone_nr_blocks(const struct pzone *pz)
{
	unsigned long all = pzone_nr_all_blocks(pz);

	return all - min(all, READ_ONCE(pz->nr_standby));
}

/**
 * pzone_node_free_pages() - Free pages of a node, per-CPU lists excluded.
 * @nid: the node.
 *
 * Exact: folds in the per-CPU counter deltas, which a zone losing its last
 * block frees (zone_pcp_reset()).
 *
 * Context: Caller holds the mutex of the pzone of @nid.
 * Return: the sum over its zones.
 */
unsigned long pzone_node_free_pages(int nid)
{
	struct zone *zones = NODE_DATA(nid)->node_zones;
	unsigned long nr = 0;
	int i;

	for (i = 0; i < MAX_NR_ZONES; i++)
		nr += zone_page_state_snapshot(&zones[i], NR_FREE_PAGES);
	return nr;
}

/*
 * Free pages of the node of @pz for its user interface, pages cached on the
 * per-CPU lists included: they are free memory its tasks can allocate, and
 * after a container frees a lot they can be a large part of a small node.
 * Without @pz->mutex; @pz->lock keeps zone_pcp_reset() from freeing the
 * lists meanwhile.
 */
static unsigned long pzone_free_pages_reported(struct pzone *pz)
{
	struct zone *zones = NODE_DATA(pz->nid)->node_zones;
	unsigned long nr = 0;
	int i, cpu;

	spin_lock(&pz->lock);
	for (i = 0; i < MAX_NR_ZONES; i++) {
		nr += zone_page_state(&zones[i], NR_FREE_PAGES);
		if (!populated_zone(&zones[i]))
			continue;
		for_each_online_cpu(cpu)
			nr += READ_ONCE(per_cpu_ptr(zones[i].per_cpu_pageset,
						    cpu)->count);
	}
	spin_unlock(&pz->lock);
	return nr;
}

/**
 * pzone_get_info() - Snapshot a pzone for reporting.
 * @pz: the pzone.
 * @info: filled in.
 *
 * Does not take @pz->mutex, so it answers while a resize runs; the sizes
 * are each consistent, not necessarily with each other.
 *
 * Context: Process context.
 */
void pzone_get_info(struct pzone *pz, struct pzone_info *info)
{
	int i;

	memset(info, 0, sizeof(*info));
	/* Only adoption renames, before the new pzone has a user interface. */
	strscpy(info->name, pz->name, sizeof(info->name));
	info->nid = pz->nid;
	info->base_nid = pz->base_nid;
	info->nr_blocks = pzone_nr_blocks(pz);
	info->size_bytes = (u64)info->nr_blocks * PZONE_BLOCK_BYTES;
	info->kernel_bytes = (u64)READ_ONCE(pz->nr_blocks[ZONE_NORMAL]) *
			     PZONE_BLOCK_BYTES;
	info->free_bytes = (u64)pzone_free_pages_reported(pz) << PAGE_SHIFT;
	info->state = READ_ONCE(pz->state);
	info->standby_bytes = (u64)READ_ONCE(pz->nr_standby) * PZONE_BLOCK_BYTES;
	for (i = 0; i < NR_PZONE_EVENTS; i++)
		info->events[i] = atomic_long_read(&pz->events[i]);
	info->refaults = node_page_state(NODE_DATA(pz->nid),
					 WORKINGSET_REFAULT_ANON) +
			 node_page_state(NODE_DATA(pz->nid),
					 WORKINGSET_REFAULT_FILE);
	spin_lock(&pz->lock);
	info->blocks_in = pz->blocks_in;
	info->blocks_out = pz->blocks_out;
	info->blocks_evacuated = pz->blocks_evacuated;
	info->blocks_failed = pz->blocks_failed;
	memcpy(info->nr_reason, pz->nr_reason, sizeof(info->nr_reason));
	spin_unlock(&pz->lock);
}

/* ------------------------------------------------------------------------
 * Block transplant
 */

/**
 * pzone_block_idx() - Index of a block in pzone->blocks.
 * @page: the first page of the block.
 *
 * Context: Any context.
 * Return: the index.
 */
unsigned long pzone_block_idx(struct page *page)
{
	return page_to_pfn(page) >> PZONE_BLOCK_ORDER;
}

/*
 * Relink one page to @zid of @nid.  A try_cmpxchg() loop, because page flag
 * bitops of other users may run concurrently on a page we own (the plain
 * read-modify-write of set_page_links() could lose them).
 */
static void pzone_set_page_links(struct page *page, enum zone_type zid, int nid)
{
	unsigned long old = READ_ONCE(page->flags), new;

	do {
		new = old & ~((ZONES_MASK << ZONES_PGSHIFT) |
			      (NODES_MASK << NODES_PGSHIFT));
		new |= ((unsigned long)zid & ZONES_MASK) << ZONES_PGSHIFT;
		new |= ((unsigned long)nid & NODES_MASK) << NODES_PGSHIFT;
	} while (!try_cmpxchg(&page->flags, &old, new));
}

/* Grow the spans of @zone and its node to cover the block at @pfn. */
static void pzone_span_add(struct zone *zone, unsigned long pfn)
{
	struct pglist_data *pgdat = zone->zone_pgdat;
	unsigned long end = pfn + PZONE_BLOCK_PAGES;
	unsigned long start, flags;

	/* Readers run under zone->lock with irqs off (DEBUG_VM bad_range()). */
	local_irq_save(flags);
	zone_span_writelock(zone);
	if (zone_is_empty(zone)) {
		zone->zone_start_pfn = pfn;
		zone->spanned_pages = PZONE_BLOCK_PAGES;
	} else if (pfn < zone->zone_start_pfn || end > zone_end_pfn(zone)) {
		start = min(pfn, zone->zone_start_pfn);
		zone->spanned_pages = max(end, zone_end_pfn(zone)) - start;
		zone->zone_start_pfn = start;
	}
	zone_span_writeunlock(zone);
	local_irq_restore(flags);

	pgdat_resize_lock(pgdat, &flags);
	if (!pgdat->node_spanned_pages) {
		pgdat->node_start_pfn = pfn;
		pgdat->node_spanned_pages = PZONE_BLOCK_PAGES;
	} else if (pfn < pgdat->node_start_pfn || end > pgdat_end_pfn(pgdat)) {
		start = min(pfn, pgdat->node_start_pfn);
		pgdat->node_spanned_pages = max(end, pgdat_end_pfn(pgdat)) - start;
		pgdat->node_start_pfn = start;
	}
	pgdat_resize_unlock(pgdat, &flags);
}

/*
 * Recompute the spans of the derived node from its blocks.  The base node's
 * spans never shrink: a lent block leaves a hole, which is legal.
 */
static void pzone_span_recompute(struct pzone *pz)
{
	struct pglist_data *pgdat = NODE_DATA(pz->nid);
	unsigned long lo[MAX_NR_ZONES], hi[MAX_NR_ZONES];
	unsigned long idx, flags, nlo = ULONG_MAX, nhi = 0;
	void *entry;
	int i;

	lockdep_assert_held(&pz->mutex);

	for (i = 0; i < MAX_NR_ZONES; i++) {
		lo[i] = ULONG_MAX;
		hi[i] = 0;
	}
	xa_for_each(&pz->blocks, idx, entry) {
		unsigned long pfn = idx << PZONE_BLOCK_ORDER;

		i = page_zonenum(pfn_to_page(pfn));
		lo[i] = min(lo[i], pfn);
		hi[i] = max(hi[i], pfn + PZONE_BLOCK_PAGES);
	}
	for (i = 0; i < MAX_NR_ZONES; i++) {
		struct zone *zone = &pgdat->node_zones[i];

		local_irq_save(flags);
		zone_span_writelock(zone);
		if (hi[i]) {
			zone->zone_start_pfn = lo[i];
			zone->spanned_pages = hi[i] - lo[i];
			nlo = min(nlo, lo[i]);
			nhi = max(nhi, hi[i]);
		} else {
			zone->zone_start_pfn = 0;
			zone->spanned_pages = 0;
		}
		zone_span_writeunlock(zone);
		local_irq_restore(flags);
	}
	pgdat_resize_lock(pgdat, &flags);
	pgdat->node_start_pfn = nhi ? nlo : 0;
	pgdat->node_spanned_pages = nhi ? nhi - nlo : 0;
	pgdat_resize_unlock(pgdat, &flags);
}

/*
 * Move one owned block (a compound MAX_ORDER page) into zone @to.  The pages
 * are relinked under the *source* zone lock: walkers that read page_zone()
 * and then lock that zone re-check under the lock (page_zone_lock_irqsave()
 * and the compaction re-check), and a page is only ever relinked while we
 * own it.  A @held block (standby) is not managed memory anywhere: @held
 * says whether it was, @hold whether it stays so; a block that does not
 * stay held is freed into @to.  Caller holds mem_hotplug_lock for write.
 */
static void pzone_move_block(struct page *page, struct zone *to, bool held,
			     bool hold)
{
	struct zone *from = page_zone(page);
	unsigned long pfn = page_to_pfn(page);
	unsigned long flags, i;

	clear_zone_contiguous(from);
	clear_zone_contiguous(to);
	pzone_span_add(to, pfn);

	adjust_present_page_count(page, NULL, -(long)PZONE_BLOCK_PAGES);
	if (!held && hold)
		adjust_managed_page_count(page, -(long)PZONE_BLOCK_PAGES);
	else if (!held)
		atomic_long_sub(PZONE_BLOCK_PAGES, &from->managed_pages);

	spin_lock_irqsave(&from->lock, flags);
	for (i = 0; i < PZONE_BLOCK_PAGES; i++)
		pzone_set_page_links(page + i, zone_idx(to), zone_to_nid(to));
	spin_unlock_irqrestore(&from->lock, flags);

	adjust_present_page_count(page, NULL, PZONE_BLOCK_PAGES);
	for (i = 0; i < PZONE_BLOCK_PAGES; i += pageblock_nr_pages)
		set_pageblock_migratetype(page + i, MIGRATE_MOVABLE);
	if (hold)
		return;
	if (held)
		adjust_managed_page_count(page, PZONE_BLOCK_PAGES);
	else
		atomic_long_add(PZONE_BLOCK_PAGES, &to->managed_pages);
	__free_pages(page, PZONE_BLOCK_ORDER);
}

/**
 * pzone_free_list() - Free the owned blocks on a list where they are.
 * @list: blocks linked by page->lru; emptied.
 *
 * Context: Any context that may free pages.
 */
void pzone_free_list(struct list_head *list)
{
	struct page *page, *next;

	list_for_each_entry_safe(page, next, list, lru) {
		list_del(&page->lru);
		__free_pages(page, PZONE_BLOCK_ORDER);
	}
}

/* ------------------------------------------------------------------------
 * Lending: memory blocks of the base node that have blocks in a pzone
 */

/**
 * struct pzone_lent - A memory block that lends blocks to pzones.
 * @nr:		Blocks of it that are in a pzone.
 * @zone:	Its mem->zone before the first one left.
 */
struct pzone_lent {
	unsigned long nr;
	struct zone *zone;
};

/*
 * Memory block id -> struct pzone_lent.  While a memory block lends blocks,
 * its mem->zone is NULL, so memory_block_offline() refuses it: offlining
 * charges the whole range to one zone and would corrupt the accounting.
 * Changed under device_hotplug_lock (which orders it against offlining) and
 * pzone_mutex.
 */
static DEFINE_XARRAY(pzone_lent_blocks);

static unsigned long pzone_memblock_id(unsigned long pfn)
{
	return pfn / (memory_block_size_bytes() >> PAGE_SHIFT);
}

/* The block at @pfn leaves its memory block for a pzone.  Return: 0, -ENOMEM. */
static int pzone_lend(unsigned long pfn)
{
	unsigned long id = pzone_memblock_id(pfn);
	struct memory_block *mem;
	struct pzone_lent *l;

	lockdep_assert_held(&pzone_mutex);

	l = xa_load(&pzone_lent_blocks, id);
	if (l) {
		l->nr++;
		return 0;
	}
	l = kzalloc(sizeof(*l), GFP_KERNEL);
	if (!l)
		return -ENOMEM;
	if (xa_insert(&pzone_lent_blocks, id, l, GFP_KERNEL)) {
		kfree(l);
		return -ENOMEM;
	}
	l->nr = 1;
	mem = find_memory_block(pfn_to_section_nr(pfn));
	if (mem) {
		l->zone = mem->zone;
		mem->zone = NULL;
		put_device(&mem->dev);
	}
	return 0;
}

/* The block at @pfn is back in its memory block. */
static void pzone_unlend(unsigned long pfn)
{
	unsigned long id = pzone_memblock_id(pfn);
	struct memory_block *mem;
	struct pzone_lent *l;

	lockdep_assert_held(&pzone_mutex);

	l = xa_load(&pzone_lent_blocks, id);
	if (WARN_ON_ONCE(!l) || --l->nr)
		return;
	mem = find_memory_block(pfn_to_section_nr(pfn));
	if (mem) {
		mem->zone = l->zone;
		put_device(&mem->dev);
	}
	xa_erase(&pzone_lent_blocks, id);
	kfree(l);
}

/* Unlend the first @nr blocks of @lists (in order), all if @nr is ULONG_MAX. */
static void pzone_unlend_lists(struct list_head **lists, int nr_lists,
			       unsigned long nr)
{
	struct page *page;
	int i;

	for (i = 0; i < nr_lists; i++) {
		list_for_each_entry(page, lists[i], lru) {
			if (!nr--)
				return;
			pzone_unlend(page_to_pfn(page));
		}
	}
}

/* Lend every block of @lists.  All or nothing.  Return: 0 or -ENOMEM. */
static int pzone_lend_lists(struct list_head **lists, int nr_lists)
{
	unsigned long done = 0;
	struct page *page;
	int i, ret;

	for (i = 0; i < nr_lists; i++) {
		list_for_each_entry(page, lists[i], lru) {
			ret = pzone_lend(page_to_pfn(page));
			if (ret) {
				pzone_unlend_lists(lists, nr_lists, done);
				return ret;
			}
			done++;
		}
	}
	return 0;
}

/* ------------------------------------------------------------------------
 * Node lifecycle: zones gaining their first block and losing their last
 */

/* What changes for the node when zones gain or lose their last block. */
/*
 * With CONFIG_DEBUG_VM, check after every commit that the derived node holds
 * exactly the blocks @pz records: each one linked to the node, its memory
 * block lent (mem->zone NULL, so memory offlining refuses it), and the
 * node's present and managed pages matching.  A block that something else
 * relinked shows up here, at the first commit after it happened.
 */
static void pzone_check_blocks(struct pzone *pz, const char *when)
{
	struct pglist_data *pgdat = NODE_DATA(pz->nid);
	unsigned long present[MAX_NR_ZONES] = { 0 };
	unsigned long idx, held, managed = 0;
	bool bad = false;
	void *entry;
	int i;

	if (!IS_ENABLED(CONFIG_DEBUG_VM))
		return;
	lockdep_assert_held(&pz->mutex);

	xa_for_each(&pz->blocks, idx, entry) {
		unsigned long pfn = idx << PZONE_BLOCK_ORDER;
		struct page *page = pfn_to_page(pfn);
		struct memory_block *mem;

		if (page_to_nid(page) != pz->nid) {
			pr_err("%s: %s: block at pfn %#lx is in node %d zone %d\n",
			       pz->name, when, pfn, page_to_nid(page),
			       page_zonenum(page));
			bad = true;
			continue;
		}
		present[page_zonenum(page)] += PZONE_BLOCK_PAGES;
		mem = find_memory_block(pfn_to_section_nr(pfn));
		if (mem) {
			if (mem->zone) {
				pr_err("%s: %s: memory block %u of pfn %#lx is not lent\n",
				       pz->name, when, mem->dev.id, pfn);
				bad = true;
			}
			put_device(&mem->dev);
		}
	}
	for (i = 0; i < MAX_NR_ZONES; i++) {
		struct zone *zone = &pgdat->node_zones[i];

		managed += zone_managed_pages(zone);
		if (zone->present_pages != present[i]) {
			pr_err("%s: %s: zone %d of node %d: %lu present pages, %lu in blocks\n",
			       pz->name, when, i, pz->nid, zone->present_pages,
			       present[i]);
			bad = true;
		}
	}
	/*
	 * An OOM releases standby blocks without @pz->mutex: it clears
	 * nr_standby first and adds the managed pages after.  Read the
	 * managed pages before the standby and check only for too many: the
	 * sum can then only come out low while a release runs (as it does
	 * for memory a balloon driver took).
	 */
	smp_rmb();
	held = READ_ONCE(pz->nr_standby) * PZONE_BLOCK_PAGES;
	if (managed + held > pgdat->node_present_pages) {
		pr_err("%s: %s: node %d: %lu managed + %lu standby pages, %lu present\n",
		       pz->name, when, pz->nid, managed, held,
		       pgdat->node_present_pages);
		bad = true;
	}
	WARN_ONCE(bad, "pzone: %s: the derived node does not hold what the pzone records\n",
		  pz->name);
}

static void pzone_notify_arg(struct pzone *pz, struct memory_notify *arg,
			     bool normal_changes, bool node_changes)
{
	memset(arg, 0, sizeof(*arg));
	/* Status-only events: no pfn range, see DESIGN.md section 5. */
	arg->status_change_nid = node_changes ? pz->nid : NUMA_NO_NODE;
	arg->status_change_nid_normal = normal_changes ? pz->nid : NUMA_NO_NODE;
}

/*
 * Move the blocks on @list into zone @zid of the derived node.  Populates the
 * zone first if it is empty.  Caller holds mem_hotplug_lock (write); the
 * caller rebuilds zonelists and watermarks afterwards.
 * Return: true if the zone was empty before.
 */
static bool pzone_move_in(struct pzone *pz, struct list_head *list,
			  enum zone_type zid, bool hold)
{
	struct zone *zone = &NODE_DATA(pz->nid)->node_zones[zid];
	struct page *page, *next;
	bool was_empty = !populated_zone(zone);
	unsigned long n = 0;

	if (list_empty(list))
		return false;
	if (was_empty) {
		page = list_first_entry(list, struct page, lru);
		init_currently_empty_zone(zone, page_to_pfn(page),
					  PZONE_BLOCK_PAGES);
		setup_zone_pageset(zone);
	}
	list_for_each_entry_safe(page, next, list, lru) {
		unsigned long flags;

		list_del(&page->lru);
		pzone_move_block(page, zone, false, hold);
		n++;
		if (!hold)
			continue;
		xa_set_mark(&pz->blocks, pzone_block_idx(page),
			    PZONE_MARK_STANDBY);
		spin_lock_irqsave(&pz->standby_lock, flags);
		list_add_tail(&page->lru, &pz->standby);
		WRITE_ONCE(pz->nr_standby, pz->nr_standby + 1);
		spin_unlock_irqrestore(&pz->standby_lock, flags);
	}
	WRITE_ONCE(pz->nr_blocks[zid], pz->nr_blocks[zid] + n);
	spin_lock(&pz->lock);
	pz->blocks_in += n;
	spin_unlock(&pz->lock);
	return was_empty;
}

/**
 * pzone_commit_grow() - Move prepared blocks into the derived node.
 * @pz: the pzone.
 * @kernel: owned base blocks for the kernel reserve (ZONE_NORMAL).
 * @movable: owned base blocks for ZONE_MOVABLE.
 * @standby: owned base blocks to hold as standby, or NULL.
 * @err: why it failed.
 *
 * Lends the blocks, then brings them in, populating zones and the node as
 * memory hotplug does.  Cannot fail once the MEM_GOING_ONLINE notifier
 * accepted.  On failure the lists are as they were: the caller gives them
 * back.
 *
 * Context: Caller holds @pz->mutex.  Takes device_hotplug_lock, pzone_mutex
 * and mem_hotplug_lock.
 * Return: 0; -ENOMEM; the notifier's error.
 */
int pzone_commit_grow(struct pzone *pz, struct list_head *kernel,
		      struct list_head *movable, struct list_head *standby,
		      struct pzone_err *err)
{
	struct pglist_data *pgdat = NODE_DATA(pz->nid);
	struct zone *normal = &pgdat->node_zones[ZONE_NORMAL];
	struct list_head *lists[] = { kernel, movable, standby };
	int nr_lists = standby ? 3 : 2;
	bool normal_changes, node_changes, rebuild;
	struct memory_notify arg;
	int ret;

	lockdep_assert_held(&pz->mutex);

	lock_device_hotplug();
	mutex_lock(&pzone_mutex);
	ret = pzone_lend_lists(lists, nr_lists);
	if (ret) {
		pzone_err_set(err, "no memory to record lent memory blocks");
		goto err_unlock;
	}

	mem_hotplug_begin();
	node_changes = !node_state(pz->nid, N_MEMORY);
	normal_changes = !list_empty(kernel) && !populated_zone(normal);
	pzone_notify_arg(pz, &arg, normal_changes, node_changes);
	if (node_changes || normal_changes) {
		ret = notifier_to_errno(memory_notify(MEM_GOING_ONLINE, &arg));
		if (ret) {
			memory_notify(MEM_CANCEL_ONLINE, &arg);
			pzone_err_set(err, "a memory notifier refused node %d: %d",
				      pz->nid, ret);
			goto err_unlend;
		}
	}

	rebuild = pzone_move_in(pz, kernel, ZONE_NORMAL, false);
	rebuild |= pzone_move_in(pz, movable, ZONE_MOVABLE, false);
	if (standby)
		rebuild |= pzone_move_in(pz, standby, ZONE_MOVABLE, true);
	pzone_check_blocks(pz, "grow");

	if (normal_changes)
		node_set_state(pz->nid, N_NORMAL_MEMORY);
	if (node_changes)
		node_set_state(pz->nid, N_MEMORY);
	if (rebuild)
		build_all_zonelists(NULL);
	init_per_zone_wmark_min();
	if (node_changes) {
		kswapd_run(pz->nid);
		kcompactd_run(pz->nid);
	}
	writeback_set_ratelimit();
	if (node_changes || normal_changes)
		memory_notify(MEM_ONLINE, &arg);
	mem_hotplug_done();
	mutex_unlock(&pzone_mutex);
	unlock_device_hotplug();
	return 0;

err_unlend:
	mem_hotplug_done();
	pzone_unlend_lists(lists, nr_lists, ULONG_MAX);
err_unlock:
	mutex_unlock(&pzone_mutex);
	unlock_device_hotplug();
	return ret;
}

/*
 * Move the owned derived-node blocks on @list back to the base zones they
 * came from; @held: they are standby blocks.  Caller holds pzone_mutex and
 * mem_hotplug_lock (write).
 * Return: the number of blocks moved.
 */
static unsigned long pzone_move_out(struct pzone *pz, struct list_head *list,
				    bool held)
{
	struct zone *base_zones = NODE_DATA(pz->base_nid)->node_zones;
	struct page *page, *next;
	unsigned long n = 0;

	list_for_each_entry_safe(page, next, list, lru) {
		void *entry = xa_erase(&pz->blocks, pzone_block_idx(page));
		enum zone_type zid = page_zonenum(page);

		list_del(&page->lru);
		if (WARN_ON_ONCE(!entry)) {
			/* not ours: leave it where it is, allocated */
			pzone_set_state(pz, PZONE_STATE_BROKEN);
			continue;
		}
		WRITE_ONCE(pz->nr_blocks[zid], pz->nr_blocks[zid] - 1);
		pzone_move_block(page, &base_zones[xa_to_value(entry)], held,
				 false);
		pzone_unlend(page_to_pfn(page));
		n++;
	}
	spin_lock(&pz->lock);
	pz->blocks_out += n;
	spin_unlock(&pz->lock);
	return n;
}

/**
 * pzone_commit_shrink() - Move taken blocks back to the base node.
 * @pz: the pzone.
 * @list: owned blocks of the derived node's ZONE_MOVABLE, taken already.
 * @standby: standby blocks taken off @pz->standby.
 * @nr_kernel: blocks of the kernel reserve to take now and move too.
 * @target: where in-use pages of the kernel reserve may be migrated to, or
 *	    NULL for free blocks only.
 * @err: why it failed.
 *
 * The kernel reserve is taken here, after the MEM_GOING_OFFLINE notifier
 * let SLUB give back the free slabs it keeps in the node, when the reserve
 * goes away entirely.  When the node loses its last block it goes down as
 * in offline_pages().  On failure @list and @standby are as they were and
 * no block moved.
 *
 * Context: Caller holds @pz->mutex.  Takes device_hotplug_lock, pzone_mutex
 * and mem_hotplug_lock.
 * Return: 0; -EBUSY if the kernel reserve could not be emptied; the
 * notifier's error.
 */
int pzone_commit_shrink(struct pzone *pz, struct list_head *list,
			struct list_head *standby, unsigned long nr_kernel,
			nodemask_t *target, struct pzone_err *err)
{
	struct pglist_data *pgdat = NODE_DATA(pz->nid);
	unsigned long nr = nr_kernel, got;
	bool normal_changes, node_changes, rebuild = false;
	bool populated[MAX_NR_ZONES];
	struct memory_notify arg;
	struct page *page;
	LIST_HEAD(kernel);
	int i, ret = 0;

	lockdep_assert_held(&pz->mutex);

	list_for_each_entry(page, list, lru)
		nr++;
	list_for_each_entry(page, standby, lru)
		nr++;
	if (!nr)
		return 0;

	lock_device_hotplug();
	mutex_lock(&pzone_mutex);
	mem_hotplug_begin();
	normal_changes = nr_kernel && nr_kernel == pz->nr_blocks[ZONE_NORMAL];
	node_changes = nr == pzone_nr_all_blocks(pz);
	pzone_notify_arg(pz, &arg, normal_changes, node_changes);
	if (normal_changes || node_changes) {
		ret = notifier_to_errno(memory_notify(MEM_GOING_OFFLINE, &arg));
		if (ret) {
			pzone_err_set(err, "a memory notifier refused to offline node %d: %d",
				      pz->nid, ret);
			goto err_cancel;
		}
	}
	if (nr_kernel) {
		got = pzone_take_own_blocks(pz, nr_kernel, ZONE_NORMAL, target,
					    &kernel);
		if (got < nr_kernel) {
			pzone_err_set(err,
				      "%lu of %lu kernel reserve blocks hold pages that cannot be moved (unmovable so far: slab %lu, pinned %lu, other %lu)",
				      nr_kernel - got, nr_kernel,
				      pz->nr_reason[PZONE_REASON_SLAB],
				      pz->nr_reason[PZONE_REASON_PINNED],
				      pz->nr_reason[PZONE_REASON_OTHER]);
			pzone_free_list(&kernel);
			ret = -EBUSY;
			goto err_cancel;
		}
	}

	for (i = 0; i < MAX_NR_ZONES; i++)
		populated[i] = populated_zone(&pgdat->node_zones[i]);
	pzone_move_out(pz, list, false);
	pzone_move_out(pz, &kernel, false);
	pzone_move_out(pz, standby, true);
	pzone_span_recompute(pz);
	pzone_check_blocks(pz, "shrink");
	for (i = 0; i < MAX_NR_ZONES; i++) {
		struct zone *zone = &pgdat->node_zones[i];

		if (populated[i] && !populated_zone(zone)) {
			/* pzone_free_pages_reported() reads the lists */
			spin_lock(&pz->lock);
			zone_pcp_reset(zone);
			spin_unlock(&pz->lock);
			rebuild = true;
		}
	}
	if (normal_changes)
		node_clear_state(pz->nid, N_NORMAL_MEMORY);
	if (node_changes)
		node_clear_state(pz->nid, N_MEMORY);
	if (rebuild)
		build_all_zonelists(NULL);
	init_per_zone_wmark_min();
	if (node_changes) {
		kcompactd_stop(pz->nid);
		kswapd_stop(pz->nid);
	}
	writeback_set_ratelimit();
	if (normal_changes || node_changes)
		memory_notify(MEM_OFFLINE, &arg);
	goto out_unlock;

err_cancel:
	if (normal_changes || node_changes)
		memory_notify(MEM_CANCEL_OFFLINE, &arg);
out_unlock:
	mem_hotplug_done();
	mutex_unlock(&pzone_mutex);
	unlock_device_hotplug();
	return ret;
}

/* ------------------------------------------------------------------------
 * Registry
 */

static bool pzone_name_valid(const char *name)
{
	size_t i, len = strlen(name);

	if (!len || len > PZONE_NAME_MAX)
		return false;
	for (i = 0; i < len; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-'))
			return false;
	}
	return true;
}

static struct pzone *pzone_find_locked(const char *name)
{
	struct pzone *pz;

	lockdep_assert_held(&pzone_mutex);

	list_for_each_entry(pz, &pzone_list, list)
		if (!strcmp(pz->name, name))
			return pz;
	return NULL;
}

/* The reserved ids that no pzone, live or zombie, holds. */
static void pzone_free_nodes_locked(nodemask_t *free)
{
	struct pzone *pz;

	lockdep_assert_held(&pzone_mutex);

	*free = pzone_reserved_nodes;
	list_for_each_entry(pz, &pzone_list, list)
		node_clear(pz->nid, *free);
	list_for_each_entry(pz, &pzone_zombies, list)
		node_clear(pz->nid, *free);
}

/**
 * pzone_available_nodes() - Reserved node ids no pzone uses.
 * @mask: filled with the ids.
 *
 * Context: Process context; takes pzone_mutex.
 */
void pzone_available_nodes(nodemask_t *mask)
{
	mutex_lock(&pzone_mutex);
	pzone_free_nodes_locked(mask);
	mutex_unlock(&pzone_mutex);
}

/**
 * pzone_draining_nodes() - Nodes of destroyed pzones waiting for blocks.
 * @mask: filled with the ids.
 *
 * Context: Process context; takes pzone_mutex.
 */
void pzone_draining_nodes(nodemask_t *mask)
{
	struct pzone *pz;

	nodes_clear(*mask);
	mutex_lock(&pzone_mutex);
	list_for_each_entry(pz, &pzone_zombies, list)
		node_set(pz->nid, *mask);
	mutex_unlock(&pzone_mutex);
}

static void pzone_release(struct kref *ref)
{
	struct pzone *pz = container_of(ref, struct pzone, ref);

	WARN_ON_ONCE(!list_empty(&pz->list) || pzone_nr_all_blocks(pz));
	atomic_dec(&pzone_state_count[pz->state]);
	timer_shutdown_sync(&pz->notify_timer);
	xa_destroy(&pz->blocks);
	mutex_destroy(&pz->mutex);
	kfree(pz);
}

/**
 * pzone_put() - Drop a reference to a pzone.
 * @pz: the pzone, or NULL.
 *
 * The creator's reference is dropped once pzone_destroy() succeeded, a
 * lookup's when done with it.  The last one frees the pzone.
 *
 * Context: Process context; may sleep.
 */
void pzone_put(struct pzone *pz)
{
	if (pz)
		kref_put(&pz->ref, pzone_release);
}

/**
 * pzone_get_by_name() - Look a live pzone up by name.
 * @name: its name.
 *
 * Context: Process context; takes pzone_mutex.
 * Return: the pzone with a reference the caller drops with pzone_put(), or
 * NULL if no live pzone (destroyed ones included) has that name.
 */
struct pzone *pzone_get_by_name(const char *name)
{
	struct pzone *pz;

	mutex_lock(&pzone_mutex);
	pz = pzone_find_locked(name);
	if (pz)
		kref_get(&pz->ref);
	mutex_unlock(&pzone_mutex);
	return pz;
}

/**
 * pzone_nid() - Node id of a pzone, for drivers.
 * @pz: a pzone, referenced (pzone_get_by_name()).
 *
 * Context: Any context.
 * Return: the derived node id; memory of the pzone is allocated with
 * alloc_pages_node(nid, gfp | __GFP_THISNODE, order) or pzone_alloc_pages().
 */
int pzone_nid(struct pzone *pz)
{
	return pz->nid;
}

/**
 * pzone_alloc_pages() - Allocate pages from a pzone only.
 * @pz: a pzone, referenced (pzone_get_by_name()).
 * @gfp: the allocation's flags, GFP_KERNEL for the kernel reserve (a range
 *	 pzone created with its whole size as kernel reserve is a pool of
 *	 kernel memory), with __GFP_MOVABLE for its movable part.
 * @order: the order.
 *
 * alloc_pages_node() on the derived node with __GFP_THISNODE: the pages
 * come from the pzone or not at all, so those of a range pzone lie in its
 * range, whatever zone they came from (ZONE_DMA32 blocks are in the
 * derived node's ZONE_NORMAL: GFP_DMA32 would find no zone there).
 *
 * Context: As alloc_pages_node() with @gfp.
 * Return: the pages, or NULL.
 */
struct page *pzone_alloc_pages(struct pzone *pz, gfp_t gfp, unsigned int order)
{
	return alloc_pages_node(pz->nid, gfp | __GFP_THISNODE, order);
}

/**
 * pzone_print_blocks() - Physical ranges of the blocks of a pzone.
 * @pz: the pzone.
 * @buf: where to print them: "0xSTART-0xEND\n" (END exclusive), lowest
 *	 first, contiguous blocks merged.
 * @len: size of @buf.
 *
 * A snapshot that does not stop a resize: blocks that one is moving in or
 * out may or may not be listed.
 *
 * Context: Any context.
 * Return: bytes printed, without a terminating NUL; what does not fit is
 * left out.
 */
size_t pzone_print_blocks(struct pzone *pz, char *buf, size_t len)
{
	unsigned long idx, first = 0, next = 0;
	bool open = false;
	size_t off = 0;
	void *entry;

	xa_for_each(&pz->blocks, idx, entry) {
		if (open && idx == next) {
			next++;
			continue;
		}
		if (open)
			off += scnprintf(buf + off, len - off, "0x%llx-0x%llx\n",
					 PFN_PHYS(first << PZONE_BLOCK_ORDER),
					 PFN_PHYS(next << PZONE_BLOCK_ORDER));
		first = idx;
		next = idx + 1;
		open = true;
	}
	if (open)
		off += scnprintf(buf + off, len - off, "0x%llx-0x%llx\n",
				 PFN_PHYS(first << PZONE_BLOCK_ORDER),
				 PFN_PHYS(next << PZONE_BLOCK_ORDER));
	return off;
}

/**
 * pzone_set_priv() - Attach the user interface's handle to a pzone.
 * @pz: the pzone.
 * @priv: the handle, or NULL.
 *
 * Context: Any context.  The caller serialises its own handles.
 */
void pzone_set_priv(struct pzone *pz, void *priv)
{
	WRITE_ONCE(pz->priv, priv);
}

/**
 * pzone_priv() - The handle pzone_set_priv() attached.
 * @pz: the pzone.
 *
 * Context: Any context.
 * Return: the handle, or NULL.
 */
void *pzone_priv(struct pzone *pz)
{
	return READ_ONCE(pz->priv);
}

/**
 * pzone_publish() - Show @pz to the hooks, or hide it.
 * @pz: the pzone.
 * @on: show.
 *
 * Hiding waits until no hook sees @pz any more.
 *
 * Context: Process context.  Caller holds @pz->mutex.
 */
void pzone_publish(struct pzone *pz, bool on)
{
	lockdep_assert_held(&pz->mutex);

	mutex_lock(&pzone_mutex);
	if (on)
		rcu_assign_pointer(pzone_by_nid[pz->nid], pz);
	else
		RCU_INIT_POINTER(pzone_by_nid[pz->nid], NULL);
	mutex_unlock(&pzone_mutex);
	if (!on)
		synchronize_rcu();
}

/* ------------------------------------------------------------------------
 * Create and destroy
 */

static int pzone_params_check(const char *name, int base_nid, u64 size_bytes,
			      u64 kernel_bytes, bool range,
			      struct pzone_err *err)
{
	if (!pzone_name_valid(name)) {
		pzone_err_set(err, "invalid name: use 1-%d characters of [a-z0-9_-]",
			      PZONE_NAME_MAX);
		return -EINVAL;
	}
	if (base_nid < 0 || base_nid >= MAX_NUMNODES || !node_online(base_nid) ||
	    pzone_is_derived_node(base_nid)) {
		pzone_err_set(err, "base node %d is not an online ordinary node",
			      base_nid);
		return -EINVAL;
	}
	if (!range &&
	    !populated_zone(&NODE_DATA(base_nid)->node_zones[ZONE_NORMAL])) {
		pzone_err_set(err, "base node %d has no ZONE_NORMAL memory",
			      base_nid);
		return -EINVAL;
	}
	if (!size_bytes || size_bytes % PZONE_BLOCK_BYTES ||
	    size_bytes / PZONE_BLOCK_BYTES > ULONG_MAX / 2) {
		pzone_err_set(err, "size must be a non-zero multiple of %lu bytes",
			      PZONE_BLOCK_BYTES);
		return -EINVAL;
	}
	if (kernel_bytes % PZONE_BLOCK_BYTES || kernel_bytes > size_bytes) {
		pzone_err_set(err, "kernel reserve: a multiple of %lu bytes, at most the size",
			      PZONE_BLOCK_BYTES);
		return -EINVAL;
	}
	return 0;
}

/**
 * pzone_range_check() - Validate the range of a range pzone.
 * @base_nid: its base node, checked already.
 * @nr: blocks it needs.
 * @range: the physical address range asked for.
 * @start: set to the first pfn of the first whole block in @range and the
 *	   base node.
 * @end: set to the end pfn of the last such block.
 * @err: why it failed.
 *
 * Context: Process context.
 * Return: 0; -EINVAL if the range is empty, outside the base node, or
 * holds fewer than @nr whole blocks that a range pzone may take.
 */
VISIBLE_IF_KUNIT int pzone_range_check(int base_nid, unsigned long nr,
				       const struct pzone_range *range,
				       unsigned long *start, unsigned long *end,
				       struct pzone_err *err)
{
	unsigned long ns = node_start_pfn(base_nid), ne = node_end_pfn(base_nid);
	unsigned long pfn, n = 0;

	if (range->end <= range->start) {
		pzone_err_set(err, "range end 0x%llx is not above its start 0x%llx",
			      range->end, range->start);
		return -EINVAL;
	}
	if (range->start >= PFN_PHYS(ne) || range->end <= PFN_PHYS(ns)) {
		pzone_err_set(err, "range 0x%llx-0x%llx is outside base node %d (0x%llx-0x%llx)",
			      range->start, range->end, base_nid,
			      PFN_PHYS(ns), PFN_PHYS(ne));
		return -EINVAL;
	}
	*start = ALIGN(max(PFN_UP(range->start), ns), PZONE_BLOCK_PAGES);
	*end = ALIGN_DOWN(min(PHYS_PFN(range->end), ne), PZONE_BLOCK_PAGES);
	for (pfn = *start; pfn + PZONE_BLOCK_PAGES <= *end;
	     pfn += PZONE_BLOCK_PAGES)
		if (pzone_range_zone(base_nid, pfn))
			n++;
	if (n < nr) {
		pzone_err_set(err,
			      "range 0x%llx-0x%llx holds %lu whole 4 MiB blocks of node %d above ZONE_DMA, %lu needed",
			      range->start, range->end, n, base_nid, nr);
		return -EINVAL;
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(pzone_range_check);

static struct pzone *pzone_alloc(const char *name, int base_nid)
{
	struct pzone *pz = kzalloc(sizeof(*pz), GFP_KERNEL);

	if (!pz)
		return NULL;
	kref_init(&pz->ref);
	INIT_LIST_HEAD(&pz->list);
	strscpy(pz->name, name, sizeof(pz->name));
	pz->nid = NUMA_NO_NODE;
	pz->base_nid = base_nid;
	mutex_init(&pz->mutex);
	xa_init(&pz->blocks);
	INIT_DELAYED_WORK(&pz->reap_work, pzone_reap_workfn);
	timer_setup(&pz->notify_timer, pzone_notify_timer_fn, 0);
	spin_lock_init(&pz->standby_lock);
	INIT_LIST_HEAD(&pz->standby);
	spin_lock_init(&pz->lock);
	pz->state = PZONE_STATE_STARTING;
	atomic_inc(&pzone_state_count[PZONE_STATE_STARTING]);
	return pz;
}

/* Queue the reaper of @pz after pz->reap_delay; the work holds a reference. */
static void pzone_reap_queue(struct pzone *pz)
{
	kref_get(&pz->ref);
	if (!queue_delayed_work(pzone_wq, &pz->reap_work, pz->reap_delay))
		pzone_put(pz);
}

/*
 * Park @pz on pzone_zombies: its name is free, its node id stays taken and
 * the reaper gives its blocks back once they are free.  The zombie holds a
 * reference until then.
 */
static void pzone_zombie(struct pzone *pz)
{
	lockdep_assert_held(&pz->mutex);

	pzone_set_state(pz, PZONE_STATE_DRAINING);
	kref_get(&pz->ref);
	mutex_lock(&pzone_mutex);
	pz->zombie = true;
	list_move_tail(&pz->list, &pzone_zombies);
	mutex_unlock(&pzone_mutex);
	pz->reap_delay = HZ;
	pz->reap_tries = 1;
	pzone_reap_queue(pz);
}

/*
 * A zombie of @base_nid that holds only a kernel reserve, and one that fits
 * in @nr_kernel blocks (ULONG_MAX: any), with a reference, or NULL.
 */
static struct pzone *pzone_zombie_get_locked(int base_nid,
					     unsigned long nr_kernel)
{
	struct pzone *z;

	lockdep_assert_held(&pzone_mutex);

	list_for_each_entry(z, &pzone_zombies, list) {
		/* only a kernel reserve left, and nothing broken */
		if (z->base_nid != base_nid ||
		    READ_ONCE(z->nr_blocks[ZONE_MOVABLE]) ||
		    READ_ONCE(z->state) == PZONE_STATE_BROKEN ||
		    (nr_kernel != ULONG_MAX &&
		     z->nr_blocks[ZONE_NORMAL] > nr_kernel))
			continue;
		kref_get(&z->ref);
		return z;
	}
	return NULL;
}

/*
 * Make zombie @z the pzone @name: its node is online and its reserve is what
 * the new pzone needs anyway.  The zombie's reference becomes the creator's.
 * Return: 0, -EEXIST if @name was taken meanwhile, -EAGAIN if @z was
 * reaped meanwhile.
 */
static int pzone_adopt(struct pzone *z, const char *name,
		       struct pzone_err *err)
{
	int i;

	lockdep_assert_held(&z->mutex);

	mutex_lock(&pzone_mutex);
	if (pzone_find_locked(name)) {
		mutex_unlock(&pzone_mutex);
		pzone_err_set(err, "a pzone named %s exists", name);
		return -EEXIST;
	}
	if (!z->zombie || z->state == PZONE_STATE_BROKEN ||
	    z->nr_blocks[ZONE_MOVABLE]) {
		mutex_unlock(&pzone_mutex);
		return -EAGAIN;
	}
	z->zombie = false;
	strscpy(z->name, name, sizeof(z->name));
	/* the adopter is no range pzone (a range create never adopts) */
	z->range_start = 0;
	z->range_end = 0;
	list_move_tail(&z->list, &pzone_list);
	mutex_unlock(&pzone_mutex);

	/* A reaper that runs already waits for z->mutex, then sees !zombie. */
	if (cancel_delayed_work(&z->reap_work))
		pzone_put(z);
	spin_lock(&z->lock);
	z->blocks_in = 0;
	z->blocks_out = 0;
	z->blocks_evacuated = 0;
	z->blocks_failed = 0;
	memset(z->nr_reason, 0, sizeof(z->nr_reason));
	spin_unlock(&z->lock);
	for (i = 0; i < NR_PZONE_EVENTS; i++)
		atomic_long_set(&z->events[i], 0);
	pzone_set_state(z, PZONE_STATE_STARTING);
	return 0;
}

/*
 * Create @name on zombie @z (referenced): grow it to the new size.
 * Return: 0; -EAGAIN if @z is gone meanwhile; another error.
 */
static int pzone_create_on_zombie(struct pzone *z, const char *name,
				  unsigned long nr_kernel,
				  unsigned long nr_movable,
				  struct pzone_err *err)
{
	unsigned long reserve;
	int ret;

	mutex_lock(&z->mutex);
	ret = pzone_adopt(z, name, err);
	if (ret)
		goto out_unlock;
	/*
	 * Only when no id is free: a reserve larger than asked for stays the
	 * kernel reserve, within the size if it fits.
	 */
	reserve = z->nr_blocks[ZONE_NORMAL];
	if (reserve > nr_kernel) {
		nr_movable -= min(nr_movable, reserve - nr_kernel);
		nr_kernel = reserve;
	}
	ret = pzone_grow(z, nr_kernel - reserve, nr_movable, false, err);
	if (ret) {
		/* a zombie again, the reference back to it */
		pzone_zombie(z);
		pzone_put(z);
		goto out_unlock;
	}
	pzone_set_state(z, PZONE_STATE_ON);
	pzone_publish(z, true);
out_unlock:
	mutex_unlock(&z->mutex);
	return ret;
}

/* Bring node @pz->nid online.  Return: 0 or an error of try_online_node(). */
static int pzone_online_node(struct pzone *pz)
{
	int ret;

	lock_device_hotplug();
	ret = try_online_node(pz->nid);
	unlock_device_hotplug();
	if (ret < 0)
		return ret;
	static_branch_inc(&pzone_active_key);
	return 0;
}

/* Take the emptied node of @pz offline and forget it. */
static void pzone_offline_node(struct pzone *pz)
{
	lockdep_assert_held(&pz->mutex);

	lock_device_hotplug();
	mem_hotplug_begin();
	try_offline_node(pz->nid);
	WARN_ONCE(node_present_pages(pz->nid),
		  "pzone: %s: node %d keeps %lu pages it does not record\n",
		  pz->name, pz->nid, node_present_pages(pz->nid));
	mem_hotplug_done();
	mutex_lock(&pzone_mutex);
	WRITE_ONCE(pzone_base[pz->nid], NUMA_NO_NODE);
	list_del_init(&pz->list);
	mutex_unlock(&pzone_mutex);
	unlock_device_hotplug();
	static_branch_dec(&pzone_active_key);
}

/**
 * pzone_create() - Create a pzone and bring its node online.
 * @name: unique name, 1-31 characters of [a-z0-9_-].
 * @base_nid: node to take the memory from.
 * @size_bytes: size, a multiple of pzone_block_size_bytes().
 * @kernel_bytes: part of @size_bytes kept as ZONE_NORMAL kernel reserve.
 * @pzp: set to the new pzone on success; the caller owns a reference.
 * @err: why it failed.
 *
 * pzone_create_range() without a range.
 *
 * Context: Process context; sleeps.  Takes device_hotplug_lock,
 * pzone_mutex and mem_hotplug_lock.
 * Return: as pzone_create_range().
 */
int pzone_create(const char *name, int base_nid, u64 size_bytes,
		 u64 kernel_bytes, struct pzone **pzp, struct pzone_err *err)
{
	return pzone_create_range(name, base_nid, size_bytes, kernel_bytes,
				  NULL, pzp, err);
}

/**
 * pzone_create_range() - Create a pzone, its blocks in a physical range.
 * @name: unique name, 1-31 characters of [a-z0-9_-].
 * @base_nid: node to take the memory from.
 * @size_bytes: size, a multiple of pzone_block_size_bytes().
 * @kernel_bytes: part of @size_bytes kept as ZONE_NORMAL kernel reserve;
 *		  all of it for a pool of kernel memory (a driver's).
 * @range: physical addresses [start, end) every block must lie in, now
 *	   and in every later grow, or NULL for anywhere in the base node.
 * @pzp: set to the new pzone on success; the caller owns a reference.
 * @err: why it failed.
 *
 * Claims a reserved node id, moves the blocks in from the base node's free
 * memory and brings the node online with its kswapd and kcompactd.  The node
 * of a destroyed pzone of the same base node that still waits for its kernel
 * reserve is reused first, with that reserve (not for a range pzone).  A
 * range pzone takes the free blocks of the range first, then empties
 * movable ones by migration; it may take blocks of ZONE_DMA32 (which become
 * the derived node's ZONE_NORMAL or ZONE_MOVABLE), never of ZONE_DMA.  All
 * or nothing: on failure the node id, the memory and the registry are as
 * before.
 *
 * Context: Process context; sleeps.  Takes device_hotplug_lock,
 * pzone_mutex and mem_hotplug_lock.
 * Return: 0; -EINVAL for invalid parameters or a range that cannot hold
 * the size; -EEXIST if @name is used; -ENOSPC if no reserved node id is
 * free; -ENODEV if none was reserved; -ENOMEM if the base node (or the
 * range) lacks memory that is free or can be emptied.
 */
int pzone_create_range(const char *name, int base_nid, u64 size_bytes,
		       u64 kernel_bytes, const struct pzone_range *range,
		       struct pzone **pzp, struct pzone_err *err)
{
	unsigned long nr_kernel, nr_movable, start = 0, end = 0;
	struct pzone *pz, *z;
	nodemask_t free;
	int nid, ret;

	err->reason[0] = '\0';
	if (nodes_empty(pzone_reserved_nodes)) {
		pzone_err_set(err, "no node ids reserved: boot with pzone_nodes=N");
		return -ENODEV;
	}
	ret = pzone_params_check(name, base_nid, size_bytes, kernel_bytes,
				 range, err);
	if (ret)
		return ret;
	nr_kernel = kernel_bytes / PZONE_BLOCK_BYTES;
	nr_movable = size_bytes / PZONE_BLOCK_BYTES - nr_kernel;
	if (range) {
		ret = pzone_range_check(base_nid, nr_kernel + nr_movable, range,
					&start, &end, err);
		if (ret)
			return ret;
	}

	/* Locked before pzone_mutex, as the lock order wants it. */
	pz = pzone_alloc(name, base_nid);
	if (!pz) {
		pzone_err_set(err, "no memory for the pzone");
		return -ENOMEM;
	}
	pz->range_start = start;
	pz->range_end = end;
	mutex_lock(&pz->mutex);
again:
	mutex_lock(&pzone_mutex);
	if (pzone_find_locked(name)) {
		mutex_unlock(&pzone_mutex);
		pzone_err_set(err, "a pzone named %s exists", name);
		ret = -EEXIST;
		goto err_put;
	}
	pzone_free_nodes_locked(&free);
	/* a zombie's reserve may lie anywhere: not for a range pzone */
	z = range ? NULL : pzone_zombie_get_locked(base_nid, nr_kernel);
	if (!z && !range && nodes_empty(free))
		z = pzone_zombie_get_locked(base_nid, ULONG_MAX);
	if (z) {
		/* @pz is unused and nobody sees it: no nesting of pzone locks */
		mutex_unlock(&pzone_mutex);
		mutex_unlock(&pz->mutex);
		ret = pzone_create_on_zombie(z, name, nr_kernel, nr_movable,
					     err);
		if (ret == -EAGAIN) {
			pzone_put(z);
			mutex_lock(&pz->mutex);
			goto again;
		}
		pzone_put(pz);
		if (ret) {
			pzone_put(z);
			return ret;
		}
		*pzp = z;	/* the zombie's reference is the creator's */
		pzone_put(z);	/* the lookup's */
		goto out_created;
	}
	if (nodes_empty(free)) {
		mutex_unlock(&pzone_mutex);
		pzone_err_set(err, "all %d reserved node ids are in use",
			      nodes_weight(pzone_reserved_nodes));
		ret = -ENOSPC;
		goto err_put;
	}
	/* The id and the name are taken from here on; distances first. */
	nid = first_node(free);
	pz->nid = nid;
	WRITE_ONCE(pzone_base[nid], base_nid);
	list_add_tail(&pz->list, &pzone_list);
	mutex_unlock(&pzone_mutex);

	ret = pzone_online_node(pz);
	if (ret) {
		pzone_err_set(err, "cannot online node %d: %d", nid, ret);
		goto err_unlist;
	}
	ret = pzone_grow(pz, nr_kernel, nr_movable, false, err);
	if (ret)
		goto err_offline;
	pzone_set_state(pz, PZONE_STATE_ON);
	pzone_publish(pz, true);
	mutex_unlock(&pz->mutex);
	*pzp = pz;
out_created:
	pr_info("%s: node %d, %llu MiB from node %d (kernel reserve %llu MiB)%s\n",
		name, (*pzp)->nid, size_bytes >> 20, base_nid,
		kernel_bytes >> 20, range ? ", in a range" : "");
	return 0;

err_offline:
	pzone_offline_node(pz);
	goto err_put;
err_unlist:
	mutex_lock(&pzone_mutex);
	WRITE_ONCE(pzone_base[nid], NUMA_NO_NODE);
	list_del_init(&pz->list);
	mutex_unlock(&pzone_mutex);
err_put:
	mutex_unlock(&pz->mutex);
	pzone_put(pz);
	return ret;
}

/* Count the tasks confined to @nid; Return: the count. */
static unsigned int pzone_nr_bound_tasks(int nid, pid_t *first)
{
	struct task_struct *g, *t;
	unsigned int n = 0;
	nodemask_t domain;

	nodes_clear(domain);
	node_set(nid, domain);
	rcu_read_lock();
	for_each_process_thread(g, t) {
		if (t->flags & PF_KTHREAD)
			continue;
		if (pzone_task_confined(t, &domain)) {
			if (!n)
				*first = task_pid_nr(t);
			n++;
		}
	}
	rcu_read_unlock();
	return n;
}

/* Every block of @pz back to the base node, in-use pages to @target. */
static int pzone_shrink_all(struct pzone *pz, nodemask_t *target,
			    struct pzone_err *err)
{
	return pzone_shrink(pz, pz->nr_blocks[ZONE_NORMAL],
			    pz->nr_blocks[ZONE_MOVABLE] - pz->nr_standby,
			    ULONG_MAX, target, err);
}

/**
 * pzone_destroy() - Give every block back and take the node offline.
 * @pz: the pzone.
 * @flags: %PZONE_DESTROY_EVACUATE: also when tasks are still confined to
 *	   the node; %PZONE_DESTROY_FORCE: never refuse (for a caller that
 *	   cannot keep the pzone), leave a zombie instead.
 * @err: why it failed.
 *
 * Refuses while tasks are confined to the node unless evacuating.  Pages
 * still in the node (page cache or tmpfs files left by a container that
 * exited) are migrated to the base node.  If only the kernel reserve cannot
 * be emptied (slab objects still in use), or with %PZONE_DESTROY_FORCE, the
 * pzone is destroyed anyway: its name is free at once and its node goes
 * offline when the reaper has taken the rest back.  Otherwise all or
 * nothing: on failure the pzone keeps every block, its standby included
 * (pages already migrated stay, intact, on the base node).  On success the
 * caller drops its reference with pzone_put().
 *
 * Context: Process context; sleeps.  Takes @pz->mutex,
 * device_hotplug_lock, pzone_mutex and mem_hotplug_lock.
 * Return: 0; -EBUSY if tasks are confined to the node, pages could not be
 * moved, or @pz is not on or broken.
 */
int pzone_destroy(struct pzone *pz, unsigned int flags, struct pzone_err *err)
{
	nodemask_t target = NODE_MASK_NONE;
	enum pzone_state old;
	unsigned int nr_tasks;
	pid_t pid = 0;
	int ret;

	err->reason[0] = '\0';
	mutex_lock(&pz->mutex);
	old = pz->state;
	if (old != PZONE_STATE_ON && old != PZONE_STATE_BROKEN) {
		pzone_err_set(err, "pzone %s is %s", pz->name,
			      pzone_state_name(old));
		ret = -EBUSY;
		goto out_unlock;
	}
	nr_tasks = pzone_nr_bound_tasks(pz->nid, &pid);
	if (nr_tasks && !(flags & (PZONE_DESTROY_EVACUATE | PZONE_DESTROY_FORCE))) {
		pzone_err_set(err, "%u task(s) still bound to node %d (pid %d)",
			      nr_tasks, pz->nid, pid);
		ret = -EBUSY;
		goto out_unlock;
	}

	pzone_set_state(pz, PZONE_STATE_DRAINING);
	/* No OOM may release the standby now: it leaves with the rest. */
	pzone_publish(pz, false);
	/* Nor may page cache of bound directories come in. */
	pzone_dirs_suspend(pz->nid, true);
	node_set(pz->base_nid, target);
	lru_add_drain_all();
	ret = pzone_shrink_all(pz, &target, err);
	if (ret == -EBUSY) {
		/*
		 * The kernel reserve may still hold slab objects of the
		 * container: dentries and inodes it left behind, objects
		 * waiting for an RCU grace period.  Only @pz->mutex is held:
		 * no other pzone waits for this.
		 */
		rcu_barrier();
		drop_slab();
		lru_add_drain_all();
		ret = pzone_shrink_all(pz, &target, err);
	}
	if ((ret == -EBUSY && pz->nr_blocks[ZONE_NORMAL]) ||
	    (ret && (flags & PZONE_DESTROY_FORCE))) {
		/* Give back what can go now, leave the rest to the reaper. */
		pzone_shrink(pz, 0, pz->nr_blocks[ZONE_MOVABLE] - pz->nr_standby,
			     ULONG_MAX, &target, err);
		if (!pz->nr_blocks[ZONE_MOVABLE] || (flags & PZONE_DESTROY_FORCE)) {
			pr_info("%s: node %d: %lu blocks still in use (pages: slab %lu, lru %lu, pinned %lu, other %lu), retrying later\n",
				pz->name, pz->nid, pzone_nr_all_blocks(pz),
				pz->nr_reason[PZONE_REASON_SLAB],
				pz->nr_reason[PZONE_REASON_LRU],
				pz->nr_reason[PZONE_REASON_PINNED],
				pz->nr_reason[PZONE_REASON_OTHER]);
			pzone_zombie(pz);
			pzone_fallback_forget(pz->nid);
			pzone_dirs_forget(pz->nid);
			ret = 0;
			goto out_unlock;
		}
	}
	if (ret) {
		/* back as it was, unless an invariant broke meanwhile */
		if (pz->state == PZONE_STATE_DRAINING)
			pzone_set_state(pz, old);
		pzone_publish(pz, true);
		pzone_dirs_suspend(pz->nid, false);
		goto out_unlock;
	}
	pzone_offline_node(pz);
	pzone_fallback_forget(pz->nid);
	pzone_dirs_forget(pz->nid);
	pr_info("%s: node %d destroyed\n", pz->name, pz->nid);
out_unlock:
	mutex_unlock(&pz->mutex);
	return ret;
}

/* ------------------------------------------------------------------------
 * Fallback: cgroups whose confined tasks may leave the pzone
 */

/* Most cgroups that may be marked at once, live or not yet pruned. */
#define PZONE_MAX_FALLBACK_CGROUPS	4096

/*
 * Cgroup v2 id to xa_mk_value() of the derived node its tasks may fall back
 * from.  Written under pzone_fallback_mutex; read under RCU by the page
 * allocator's slow path.  pzone_fallback_key is on while it is not empty.
 */
static DEFINE_XARRAY(pzone_fallback_cgroups);
static DEFINE_MUTEX(pzone_fallback_mutex);
static unsigned long pzone_nr_fallback;
DEFINE_STATIC_KEY_FALSE(pzone_fallback_key);

/* Forget one cgroup id.  Caller holds pzone_fallback_mutex. */
static void pzone_fallback_erase_locked(unsigned long id)
{
	lockdep_assert_held(&pzone_fallback_mutex);

	if (!xa_erase(&pzone_fallback_cgroups, id))
		return;
	pzone_nr_fallback--;
	static_branch_dec(&pzone_fallback_key);
}

/* Forget the cgroups that are gone.  Caller holds pzone_fallback_mutex. */
static void pzone_fallback_prune_locked(void)
{
	unsigned long id;
	struct cgroup *cgrp;
	void *entry;

	lockdep_assert_held(&pzone_fallback_mutex);

	xa_for_each(&pzone_fallback_cgroups, id, entry) {
		cgrp = cgroup_get_from_id(id);
		if (IS_ERR(cgrp)) {
			pzone_fallback_erase_locked(id);
			continue;
		}
		cgroup_put(cgrp);
	}
}

/* Forget every cgroup marked for derived node @nid. */
static void pzone_fallback_forget(int nid)
{
	unsigned long id;
	void *entry;

	mutex_lock(&pzone_fallback_mutex);
	xa_for_each(&pzone_fallback_cgroups, id, entry)
		if (xa_to_value(entry) == nid)
			pzone_fallback_erase_locked(id);
	mutex_unlock(&pzone_fallback_mutex);
}

/**
 * pzone_set_fallback_cgroup() - Let the tasks of a cgroup fall back.
 * @pz: the pzone.
 * @path: a cgroup v2 path, from the root of the caller's cgroup namespace.
 * @on: mark the cgroup (true) or unmark it (false).
 * @err: why it failed.
 *
 * A task confined to @pz's node (cpuset.mems is that node) whose cgroup is
 * @path or below it allocates like any other confined task until the node
 * cannot satisfy an allocation at its min watermark, with its kswapd
 * woken; then the allocation goes to the base node, and past it along the
 * node's fallback list, instead of reclaiming and OOM-killing inside the
 * pzone.  Kernel memory already does that (pzone_kernel_may_leave()).
 * The mark belongs to the cgroup, so every task in it, present or future,
 * has it; it is forgotten when the cgroup or @pz is removed.  Marking a
 * cgroup again moves it to @pz.
 *
 * Context: Process context; sleeps.
 * Return: 0; -EINVAL if @path is not a cgroup, -ENOENT if @on is false and
 * @path is not marked for @pz, -ENOSPC if too many cgroups are marked,
 * -ENOMEM.
 */
int pzone_set_fallback_cgroup(struct pzone *pz, const char *path, bool on,
			      struct pzone_err *err)
{
	struct cgroup *cgrp;
	unsigned long id;
	void *old;
	int ret = 0;

	err->reason[0] = '\0';
	cgrp = cgroup_get_from_path(path);
	if (IS_ERR(cgrp)) {
		pzone_err_set(err, "%s is not a cgroup v2 cgroup", path);
		return -EINVAL;
	}
	id = cgroup_id(cgrp);
	cgroup_put(cgrp);

	mutex_lock(&pzone_fallback_mutex);
	old = xa_load(&pzone_fallback_cgroups, id);
	if (!on) {
		if (!old || xa_to_value(old) != pz->nid) {
			pzone_err_set(err, "cgroup %s is not marked for %s",
				      path, pz->name);
			ret = -ENOENT;
			goto out_unlock;
		}
		pzone_fallback_erase_locked(id);
		goto out_unlock;
	}
	if (!old) {
		pzone_fallback_prune_locked();
		if (pzone_nr_fallback >= PZONE_MAX_FALLBACK_CGROUPS) {
			pzone_err_set(err, "%u cgroups are marked already",
				      PZONE_MAX_FALLBACK_CGROUPS);
			ret = -ENOSPC;
			goto out_unlock;
		}
	}
	ret = xa_err(xa_store(&pzone_fallback_cgroups, id,
			      xa_mk_value(pz->nid), GFP_KERNEL));
	if (ret) {
		pzone_err_set(err, "no memory to mark cgroup %s", path);
		goto out_unlock;
	}
	if (!old) {
		pzone_nr_fallback++;
		static_branch_inc(&pzone_fallback_key);
	}
out_unlock:
	mutex_unlock(&pzone_fallback_mutex);
	return ret;
}

/**
 * pzone_print_fallback_cgroups() - The cgroups marked for a pzone.
 * @pz: the pzone.
 * @buf: where to print them, one path per line.
 * @len: size of @buf.
 *
 * Paths are from the root of the caller's cgroup namespace; cgroups
 * outside it and cgroups that are gone are left out.
 *
 * Context: Process context; sleeps.
 * Return: bytes printed, without a terminating NUL; what does not fit is
 * left out.
 */
size_t pzone_print_fallback_cgroups(struct pzone *pz, char *buf, size_t len)
{
	size_t off = 0;
	unsigned long id;
	struct cgroup *cgrp;
	void *entry;
	int n;

	mutex_lock(&pzone_fallback_mutex);
	xa_for_each(&pzone_fallback_cgroups, id, entry) {
		if (xa_to_value(entry) != pz->nid)
			continue;
		cgrp = cgroup_get_from_id(id);
		if (IS_ERR(cgrp))
			continue;
		n = len - off > 1 ? cgroup_path_ns(cgrp, buf + off, len - off - 1,
						   current->nsproxy->cgroup_ns) : -E2BIG;
		cgroup_put(cgrp);
		if (n < 0 || n >= len - off - 1)
			break;
		off += n;
		buf[off++] = '\n';
	}
	mutex_unlock(&pzone_fallback_mutex);
	return off;
}

/* Per derived node: no drain of its per-CPU lists before these jiffies. */
static unsigned long pzone_fallback_no_drain_until[MAX_NUMNODES];
#define PZONE_FALLBACK_DRAIN_BACKOFF	(HZ / 10)

/*
 * Free pages of derived node @nid may wait in per-CPU lists, where the
 * watermark checks do not count them: a task that moved between CPUs
 * leaves up to pcp->high pages of the node behind, and its own CPU's list
 * is refilled a batch at a time.  Strict tasks drain them in direct
 * reclaim before an OOM; drain them before an allocation leaves the node,
 * so that it takes them first.  A drain that gives nothing back (the lists
 * are empty: the node is really full) backs off for
 * PZONE_FALLBACK_DRAIN_BACKOFF, so that a task that lives above its pzone
 * does not scan every CPU's lists at each allocation.
 */
static void pzone_fallback_drain(int nid, gfp_t gfp)
{
	struct zone *zones = NODE_DATA(nid)->node_zones;
	unsigned long before = 0, after = 0;
	int i;

	if (!gfpflags_allow_blocking(gfp) ||
	    time_before(jiffies, READ_ONCE(pzone_fallback_no_drain_until[nid])))
		return;
	for (i = ZONE_NORMAL; i <= ZONE_MOVABLE; i++) {
		if (!populated_zone(&zones[i]))
			continue;
		before += zone_page_state_snapshot(&zones[i], NR_FREE_PAGES);
		drain_all_pages(&zones[i]);
		after += zone_page_state_snapshot(&zones[i], NR_FREE_PAGES);
	}
	if (after <= before)
		WRITE_ONCE(pzone_fallback_no_drain_until[nid],
			   jiffies + PZONE_FALLBACK_DRAIN_BACKOFF);
}

/**
 * pzone_current_may_fall_back() - May the current task leave its pzone?
 * @gfp: the allocation's mask.
 *
 * When it may, the free pages of the pzone's node that wait in per-CPU
 * lists are drained first (if @gfp may sleep; see pzone_fallback_drain()),
 * so that the allocation finds them before it leaves the node.
 *
 * Context: Process context, the page allocator's slow path, behind
 * pzone_fallback_key.
 * Return: true if the current task is confined to derived nodes and its
 * cgroup, or an ancestor, is marked for one of them.
 */
bool pzone_current_may_fall_back(gfp_t gfp)
{
	nodemask_t mems = current->mems_allowed;
	struct cgroup *cgrp;
	bool ret = false;
	void *entry;
	int nid = NUMA_NO_NODE;

	if (nodes_empty(mems) || !nodes_subset(mems, pzone_reserved_nodes))
		return false;
	rcu_read_lock();
	for (cgrp = task_dfl_cgroup(current); cgrp; cgrp = cgroup_parent(cgrp)) {
		entry = xa_load(&pzone_fallback_cgroups, cgroup_id(cgrp));
		if (entry) {
			nid = xa_to_value(entry);
			ret = node_isset(nid, mems);
			break;
		}
	}
	rcu_read_unlock();
	if (ret)
		pzone_fallback_drain(nid, gfp);
	return ret;
}

/* ------------------------------------------------------------------------
 * Reaper
 */

/* Full reap attempts before they are rationed, about the first minute. */
#define PZONE_REAP_EAGER_TRIES	6

/*
 * Is a full reap attempt worth its cost?  Each attempt sends
 * MEM_GOING_OFFLINE, which makes SLUB shrink every cache.  Most reserves
 * are free within seconds (kernel stacks wait for an RCU grace period;
 * empty slabs go only with that shrink), so the first attempts are all
 * made; later ones only when almost nothing is in use in the node, and
 * every 8th time regardless.
 */
static bool pzone_reap_worth_trying(struct pzone *pz, unsigned int tries)
{
	unsigned long pages = pzone_nr_all_blocks(pz) * PZONE_BLOCK_PAGES;
	unsigned long free = pzone_node_free_pages(pz->nid) +
			     READ_ONCE(pz->nr_standby) * PZONE_BLOCK_PAGES;

	return tries <= PZONE_REAP_EAGER_TRIES || !(tries % 8) ||
	       free + PZONE_REAP_SLACK_PAGES >= pages;
}

/* KUnit widens the window between the worker's start and its lock. */
VISIBLE_IF_KUNIT unsigned int pzone_reap_test_delay_ms;
EXPORT_SYMBOL_IF_KUNIT(pzone_reap_test_delay_ms);

static void pzone_reap_workfn(struct work_struct *work)
{
	struct pzone *pz = container_of(to_delayed_work(work), struct pzone,
					reap_work);
	nodemask_t target = NODE_MASK_NONE;
	struct pzone_err err;
	bool done = false;

	if (IS_ENABLED(CONFIG_PZONE_KUNIT_TEST) &&
	    READ_ONCE(pzone_reap_test_delay_ms))
		msleep(READ_ONCE(pzone_reap_test_delay_ms));
	node_set(pz->base_nid, target);
	mutex_lock(&pz->mutex);
	/* Adopted by a new pzone meanwhile: nothing to do. */
	if (!pz->zombie)
		goto out_unlock;
	if (pzone_reap_worth_trying(pz, pz->reap_tries++) &&
	    !pzone_shrink_all(pz, &target, &err)) {
		mutex_lock(&pzone_mutex);
		pz->zombie = false;
		mutex_unlock(&pzone_mutex);
		pzone_offline_node(pz);
		pr_info("%s: node %d: blocks given back, node offline\n",
			pz->name, pz->nid);
		done = true;
	} else {
		pz->reap_delay = min(pz->reap_delay * 2, PZONE_REAP_MAX_DELAY);
		pzone_reap_queue(pz);
	}
out_unlock:
	mutex_unlock(&pz->mutex);
	if (done)
		pzone_put(pz);	/* the zombie's */
	pzone_put(pz);		/* the work's */
}

static int __init pzone_init(void)
{
	if (nodes_empty(pzone_reserved_nodes))
		return 0;
	/* Resizes take mem_hotplug_lock for write, often: no grace period. */
	mem_hotplug_favor_writers();
	pzone_wq = alloc_workqueue("pzone_reap", WQ_UNBOUND, 0);
	if (!pzone_wq)
		return -ENOMEM;
	return pzone_reclaim_init();
}
subsys_initcall(pzone_init);
