// SPDX-License-Identifier: GPL-2.0
/*
 * pzone: resizing (grow and evacuate, shrink and migrate, the headroom rule,
 * reclaim), pressure events and the OOM standby.  The registry, the node
 * lifecycle and the block transplant are in mm/pzone.c.
 *
 * Every operation here runs under pzone->mutex alone while it takes,
 * empties and migrates blocks; only pzone_commit_grow() and
 * pzone_commit_shrink() take the global locks, to move prepared blocks.
 */

#define pr_fmt(fmt) "pzone: " fmt
#define PZONE_CORE

#include <linux/ioport.h>
#include <linux/list_sort.h>
#include <linux/memory.h>
#include <linux/mempolicy.h>
#include <linux/mm.h>
#include <linux/oom.h>
#include <linux/page-isolation.h>
#include <linux/psi.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/swap.h>

#include "internal.h"
#include "pzone_internal.h"

/* Pollers of an events file are woken at most this often. */
#define PZONE_NOTIFY_MS		10
/* Blocks a grow may set aside as unsuitable before it gives up. */
#define PZONE_MAX_REJECTED	64

static const char * const pzone_event_names[] = {
	[PZONE_EVENT_LOW]		= "low",
	[PZONE_EVENT_RECLAIM_FAILING]	= "reclaim_failing",
	[PZONE_EVENT_OOM]		= "oom",
	[PZONE_EVENT_OOM_KILL]		= "oom_kill",
	[PZONE_EVENT_STANDBY_USED]	= "standby_used",
};

static_assert(ARRAY_SIZE(pzone_event_names) == NR_PZONE_EVENTS);

/**
 * pzone_event_name() - Keyword of an event.
 * @ev: the event.
 *
 * Context: Any context.
 * Return: the keyword, "unknown" for an invalid event.
 */
const char *pzone_event_name(enum pzone_event ev)
{
	if (ev >= NR_PZONE_EVENTS)
		return "unknown";
	return pzone_event_names[ev];
}

/* ------------------------------------------------------------------------
 * Events
 */

/**
 * pzone_event() - Count an event and tell the notifier.
 * @pz: the pzone.
 * @ev: the event.
 *
 * The notifier is called at most every PZONE_NOTIFY_MS.  A change inside
 * the interval is not lost: the timer calls it when the interval ends.
 *
 * Context: Any context, in an RCU read-side section that found @pz in
 * pzone_by_nid, so that pzone_set_notifier() can wait for it.
 */
void pzone_event(struct pzone *pz, enum pzone_event ev)
{
	struct pzone_notifier *nb = rcu_dereference(pz->notifier);
	unsigned long last = READ_ONCE(pz->last_notify);
	unsigned long next = last + msecs_to_jiffies(PZONE_NOTIFY_MS);

	atomic_long_inc(&pz->events[ev]);
	if (!nb)
		return;
	if (time_after(jiffies, next) &&
	    cmpxchg(&pz->last_notify, last, jiffies) == last) {
		nb->notify(nb);
		return;
	}
	if (!timer_pending(&pz->notify_timer))
		mod_timer(&pz->notify_timer, next + 1);
}

/**
 * pzone_notify_timer_fn() - Send the notification rate limiting held back.
 * @t: pzone->notify_timer.
 *
 * Context: Timer (softirq).
 */
void pzone_notify_timer_fn(struct timer_list *t)
{
	struct pzone *pz = from_timer(pz, t, notify_timer);
	struct pzone_notifier *nb;

	rcu_read_lock();
	nb = rcu_dereference(pz->notifier);
	if (nb) {
		WRITE_ONCE(pz->last_notify, jiffies);
		nb->notify(nb);
	}
	rcu_read_unlock();
}

/**
 * pzone_set_notifier() - Say whom to tell when the events of a pzone change.
 * @pz: the pzone.
 * @nb: the notifier, or NULL.
 *
 * When this returns after setting NULL, no event and no timer calls the old
 * notifier any more: its owner may free what it uses.
 *
 * Context: Process context; sleeps when @nb is NULL.  Takes @pz->lock, not
 * @pz->mutex: a reaper may hold that for long.
 */
void pzone_set_notifier(struct pzone *pz, struct pzone_notifier *nb)
{
	spin_lock(&pz->lock);
	rcu_assign_pointer(pz->notifier, nb);
	spin_unlock(&pz->lock);
	if (nb)
		return;
	synchronize_rcu();
	/* no pzone_event() sees the old notifier now, so none re-arms it */
	timer_delete_sync(&pz->notify_timer);
}

/**
 * pzone_kswapd_woken() - Note that the kswapd of a derived node was woken.
 * @nid: the node, a derived one.
 * @failures: pgdat->kswapd_failures of the node.
 *
 * Counts a "low" event, and a "reclaim_failing" one if kswapd gave up on the
 * node, and wakes the daemon.  Called from wakeup_kswapd() for a derived
 * node that is not balanced, and from __alloc_pages_slowpath(), through
 * pzone_note_low(), for allocations that wake no kswapd.
 *
 * Context: Any context, including hard interrupts.
 */
void pzone_kswapd_woken(int nid, int failures)
{
	struct pzone *pz;

	rcu_read_lock();
	pz = rcu_dereference(pzone_by_nid[nid]);
	if (pz) {
		if (failures >= MAX_RECLAIM_RETRIES)
			pzone_event(pz, PZONE_EVENT_RECLAIM_FAILING);
		pzone_event(pz, PZONE_EVENT_LOW);
	}
	rcu_read_unlock();
}

/* ------------------------------------------------------------------------
 * OOM standby
 */

/* The one derived node @tsk's allocations are confined to, or NUMA_NO_NODE. */
static int pzone_task_node(struct task_struct *tsk)
{
	struct mempolicy *pol;
	nodemask_t mems;

	task_lock(tsk);
	mems = tsk->mems_allowed;
	pol = tsk->mempolicy;
	if (pol && pol->mode == MPOL_BIND)
		nodes_and(mems, mems, pol->nodes);
	task_unlock(tsk);
	if (nodes_weight(mems) != 1 || !nodes_subset(mems, pzone_reserved_nodes))
		return NUMA_NO_NODE;
	return first_node(mems);
}

/**
 * pzone_release_standby() - Free every standby block into the node.
 * @pz: the pzone.
 *
 * Context: Any context; takes @pz->standby_lock.
 * Return: number of blocks released.
 */
unsigned long pzone_release_standby(struct pzone *pz)
{
	struct page *page, *next;
	unsigned long flags, n;
	LIST_HEAD(list);

	spin_lock_irqsave(&pz->standby_lock, flags);
	list_splice_init(&pz->standby, &list);
	n = pz->nr_standby;
	WRITE_ONCE(pz->nr_standby, 0);
	spin_unlock_irqrestore(&pz->standby_lock, flags);

	list_for_each_entry_safe(page, next, &list, lru) {
		list_del(&page->lru);
		xa_clear_mark(&pz->blocks, pzone_block_idx(page),
			      PZONE_MARK_STANDBY);
		adjust_managed_page_count(page, PZONE_BLOCK_PAGES);
		__free_pages(page, PZONE_BLOCK_ORDER);
	}
	return n;
}

/*
 * Before the OOM killer picks a victim for an allocation confined to one
 * pzone, release that pzone's standby blocks instead, if it has any.  The
 * chain runs for every OOM that is not a memcg OOM, in the allocating task.
 */
VISIBLE_IF_KUNIT int pzone_oom_notify(struct notifier_block *nb,
				      unsigned long unused, void *parm)
{
	unsigned long *freed = parm, n;
	struct pzone *pz;
	int nid;

	nid = pzone_task_node(current);
	if (nid == NUMA_NO_NODE)
		return NOTIFY_OK;
	rcu_read_lock();
	pz = rcu_dereference(pzone_by_nid[nid]);
	if (pz) {
		pzone_event(pz, PZONE_EVENT_OOM);
		n = pzone_release_standby(pz);
		if (n) {
			*freed += n * PZONE_BLOCK_PAGES;
			pzone_event(pz, PZONE_EVENT_STANDBY_USED);
			pr_info("%s: OOM in node %d: released %lu standby blocks\n",
				pz->name, nid, n);
		} else {
			pzone_event(pz, PZONE_EVENT_OOM_KILL);
		}
	}
	rcu_read_unlock();
	return NOTIFY_OK;
}
EXPORT_SYMBOL_IF_KUNIT(pzone_oom_notify);

static struct notifier_block pzone_oom_nb = {
	.notifier_call = pzone_oom_notify,
};

/* ------------------------------------------------------------------------
 * Grow: free blocks of the base node, then evacuated ones
 */

/*
 * May the block at @pfn leave its memory block at all?  Not if that memory
 * block belongs to a memory group (virtio-mem), carries its own memmap
 * (altmap) or is driver-managed (dax/kmem): their owners offline and remove
 * it by ranges that pzone would break.
 */
static bool pzone_memblock_lendable(unsigned long pfn)
{
	struct memory_block *mem;
	bool ok;

	if (region_intersects(PFN_PHYS(pfn), PZONE_BLOCK_BYTES,
			      IORESOURCE_SYSTEM_RAM | IORESOURCE_SYSRAM_DRIVER_MANAGED,
			      IORES_DESC_NONE) != REGION_DISJOINT)
		return false;
	mem = find_memory_block(pfn_to_section_nr(pfn));
	if (!mem)
		return false;
	ok = !mem->group && !mem->altmap;
	put_device(&mem->dev);
	return ok;
}

/* Is any pageblock of the block at @page of migratetype @mt? */
static bool pzone_block_has_migratetype(struct page *page, int mt)
{
	unsigned long i;

	for (i = 0; i < PZONE_BLOCK_PAGES; i += pageblock_nr_pages)
		if (get_pageblock_migratetype(page + i) == mt)
			return true;
	return false;
}

/* Is any pageblock of the block at @page part of a CMA area? */
static bool pzone_block_is_cma(struct page *page)
{
#ifdef CONFIG_CMA
	return pzone_block_has_migratetype(page, MIGRATE_CMA);
#else
	return false;
#endif
}

/*
 * Take up to @nr free blocks of the base node and record them in
 * @pz->blocks: from its ZONE_NORMAL for the kernel reserve (@kernel), from
 * ZONE_MOVABLE or ZONE_NORMAL otherwise.  Blocks of memory that must not
 * be lent are set aside and given back at the end.  Stops at the first
 * block from a lower zone: the higher ones are then exhausted.
 * Return: number of blocks put on @list.
 */
static unsigned long pzone_take_base_blocks(struct pzone *pz, unsigned long nr,
					    bool kernel, struct list_head *list)
{
	gfp_t gfp = kernel ? PZONE_GFP_BASE & ~__GFP_MOVABLE : PZONE_GFP_BASE;
	unsigned long got = 0, rejected = 0;
	LIST_HEAD(aside);
	struct page *page;

	lockdep_assert_held(&pz->mutex);

	while (got < nr) {
		enum zone_type zid;

		page = alloc_pages_node(pz->base_nid, gfp, PZONE_BLOCK_ORDER);
		if (!page)
			break;
		zid = page_zonenum(page);
		if (zid < ZONE_NORMAL) {
			__free_pages(page, PZONE_BLOCK_ORDER);
			break;
		}
		/* CMA areas stay where their users expect them */
		if ((kernel && zid != ZONE_NORMAL) || pzone_block_is_cma(page) ||
		    !pzone_memblock_lendable(page_to_pfn(page))) {
			list_add(&page->lru, &aside);
			if (++rejected > PZONE_MAX_REJECTED)
				break;
			continue;
		}
		if (xa_insert(&pz->blocks, pzone_block_idx(page),
			      xa_mk_value(zid), GFP_KERNEL)) {
			__free_pages(page, PZONE_BLOCK_ORDER);
			break;
		}
		list_add_tail(&page->lru, list);
		got++;
	}
	pzone_free_list(&aside);
	return got;
}

/*
 * May the block at @pfn of base zone @zone be evacuated for a pzone?  Every
 * pageblock online, in @zone and MIGRATE_MOVABLE (so not CMA or isolated),
 * and its memory block lendable.
 */
static bool pzone_base_block_evacuable(struct zone *zone, unsigned long pfn)
{
	unsigned long i;

	for (i = 0; i < PZONE_BLOCK_PAGES; i += pageblock_nr_pages) {
		struct page *page = pfn_to_online_page(pfn + i);

		if (!page || page_zone(page) != zone || PageReserved(page) ||
		    get_pageblock_migratetype(page) != MIGRATE_MOVABLE)
			return false;
	}
	return pzone_memblock_lendable(pfn);
}

static void pzone_classify_block(unsigned long pfn,
				 unsigned long nr[NR_PZONE_REASONS]);
static void pzone_untake_base_blocks(struct pzone *pz, struct list_head *list);

/* list_sort() order of blocks: lowest pfn first. */
static int pzone_page_cmp(void *priv, const struct list_head *a,
			  const struct list_head *b)
{
	unsigned long x = page_to_pfn(list_entry(a, struct page, lru));
	unsigned long y = page_to_pfn(list_entry(b, struct page, lru));

	return x < y ? -1 : x > y;
}

/**
 * pzone_range_zone() - Zone a range pzone may take the block at @pfn from.
 * @base_nid: the pzone's base node.
 * @pfn: first pfn of a block.
 *
 * A range pzone takes blocks of its base node from ZONE_DMA32, ZONE_NORMAL
 * and ZONE_MOVABLE, never from ZONE_DMA: whatever the zone, the block goes
 * into the derived node's ZONE_NORMAL (kernel reserve) or ZONE_MOVABLE,
 * and back into its own zone when it leaves.
 *
 * Context: Any context; a racy look that the caller confirms under the
 * zone's lock or by isolating the block.
 * Return: the zone, or NULL if the block may not be taken.
 */
struct zone *pzone_range_zone(int base_nid, unsigned long pfn)
{
	struct page *first = pfn_to_online_page(pfn);
	struct page *last = pfn_to_online_page(pfn + PZONE_BLOCK_PAGES - 1);
	struct zone *zone;

	if (!first || !last)
		return NULL;
	zone = page_zone(first);
	if (page_zone(last) != zone || zone_to_nid(zone) != base_nid)
		return NULL;
	if (!pzone_range_zone_ok(zone_idx(zone)))
		return NULL;
	return zone;
}

/*
 * Take up to @nr free blocks inside the range of @pz, lowest first, and
 * record them in @pz->blocks.  The buddy allocator cannot be asked for a
 * block at an address, so the range is scanned and each whole free block
 * is taken off its free list under the zone's lock, as compaction takes
 * free pages (__isolate_free_page() keeps the zone's min watermark).
 * Return: number of blocks put on @list.
 */
static unsigned long pzone_take_range_blocks(struct pzone *pz,
					     unsigned long nr,
					     struct list_head *list)
{
	unsigned long pfn, flags, got = 0;

	lockdep_assert_held(&pz->mutex);

	for (pfn = pz->range_start;
	     pfn + PZONE_BLOCK_PAGES <= pz->range_end && got < nr;
	     pfn += PZONE_BLOCK_PAGES) {
		struct page *page = pfn_to_page(pfn);
		struct zone *zone;
		bool ok;

		cond_resched();
		zone = pzone_range_zone(pz->base_nid, pfn);
		if (!zone || !PageBuddy(page) ||
		    buddy_order_unsafe(page) != PZONE_BLOCK_ORDER ||
		    pzone_block_is_cma(page) || !pzone_memblock_lendable(pfn))
			continue;
		spin_lock_irqsave(&zone->lock, flags);
		ok = page_zone(page) == zone && PageBuddy(page) &&
		     buddy_order(page) == PZONE_BLOCK_ORDER &&
		     __isolate_free_page(page, PZONE_BLOCK_ORDER);
		spin_unlock_irqrestore(&zone->lock, flags);
		if (!ok)
			continue;
		/* what prep_new_page() does for an allocated page */
		post_alloc_hook(page, PZONE_BLOCK_ORDER, PZONE_GFP_BASE);
		prep_compound_page(page, PZONE_BLOCK_ORDER);
		set_page_refcounted(page);
		if (xa_insert(&pz->blocks, pzone_block_idx(page),
			      xa_mk_value(zone_idx(zone)), GFP_KERNEL)) {
			__free_pages(page, PZONE_BLOCK_ORDER);
			break;
		}
		list_add_tail(&page->lru, list);
		got++;
	}
	return got;
}

/* Does the block at @pfn hold a page that is pinned for DMA?  Racy. */
static bool pzone_block_maybe_pinned(unsigned long pfn)
{
	unsigned long nr[NR_PZONE_REASONS] = { 0 };

	pzone_classify_block(pfn, nr);
	return nr[PZONE_REASON_PINNED] || nr[PZONE_REASON_SLAB] ||
	       nr[PZONE_REASON_OTHER];
}

/*
 * Empty up to @nr movable blocks by migrating their pages to any ordinary
 * node, and record them in @pz->blocks: blocks of the base node's
 * ZONE_NORMAL, or for a range pzone blocks inside the range (see
 * pzone_range_zone()), where blocks that hold pages which cannot move
 * (pinned, slab, other kernel pages) are skipped without trying.  Each
 * call of alloc_contig_range() costs an RCU grace period, so free blocks
 * come first.  *@skipped_out, if not NULL, counts the skipped blocks.
 * Return: number of blocks put on @list.
 */
static unsigned long pzone_evacuate_base_blocks(struct pzone *pz,
						unsigned long nr,
						struct list_head *list,
						unsigned long *skipped_out)
{
	struct zone *zone = &NODE_DATA(pz->base_nid)->node_zones[ZONE_NORMAL];
	unsigned long pfn, start, end, got = 0, skipped = 0;
	nodemask_t target;

	lockdep_assert_held(&pz->mutex);

	if (pz->range_end) {
		start = pz->range_start;
		end = pz->range_end;
	} else {
		start = ALIGN(zone->zone_start_pfn, PZONE_BLOCK_PAGES);
		end = zone_end_pfn(zone);
	}
	pzone_ordinary_nodes(&target);
	/* Once for all blocks, not in every alloc_contig_range() call. */
	lru_cache_disable();
	for (pfn = start; pfn + PZONE_BLOCK_PAGES <= end && got < nr;
	     pfn += PZONE_BLOCK_PAGES) {
		struct page *page;

		/* Every block, taken or not: a big node takes long to scan. */
		cond_resched();
		if (fatal_signal_pending(current))
			break;
		if (pz->range_end) {
			zone = pzone_range_zone(pz->base_nid, pfn);
			if (!zone)
				continue;
		}
		if (!pzone_base_block_evacuable(zone, pfn))
			continue;
		if (pz->range_end && pzone_block_maybe_pinned(pfn)) {
			skipped++;
			continue;
		}
		if (alloc_contig_range_target_flags(pfn, pfn + PZONE_BLOCK_PAGES,
						    MIGRATE_MOVABLE,
						    PZONE_GFP_EVACUATE, &target,
						    ACR_LRU_DISABLED))
			continue;
		page = pfn_to_page(pfn);
		if (xa_insert(&pz->blocks, pzone_block_idx(page),
			      xa_mk_value(zone_idx(zone)), GFP_KERNEL)) {
			__free_pages(page, PZONE_BLOCK_ORDER);
			break;
		}
		list_add_tail(&page->lru, list);
		got++;
	}
	lru_cache_enable();
	spin_lock(&pz->lock);
	pz->blocks_evacuated += got;
	spin_unlock(&pz->lock);
	if (skipped_out)
		*skipped_out = skipped;
	return got;
}

/*
 * Grow a range pzone: @nr_kernel blocks for the kernel reserve and
 * @nr_movable others, all inside the range, free ones first, then emptied
 * ones; the lowest blocks go to the kernel reserve.
 */
static int pzone_grow_range(struct pzone *pz, unsigned long nr_kernel,
			    unsigned long nr_movable, struct pzone_err *err)
{
	unsigned long nr = nr_kernel + nr_movable, got, evacuated = 0;
	unsigned long skipped = 0, i;
	LIST_HEAD(kernel);
	LIST_HEAD(blocks);
	int ret;

	lockdep_assert_held(&pz->mutex);

	got = pzone_take_range_blocks(pz, nr, &blocks);
	if (got < nr)
		evacuated = pzone_evacuate_base_blocks(pz, nr - got, &blocks,
						       &skipped);
	got += evacuated;
	if (got < nr) {
		pzone_err_set(err,
			      "range 0x%llx-0x%llx of node %d gave only %lu of %lu 4 MiB blocks (%lu emptied, %lu hold pages that cannot move)",
			      PFN_PHYS(pz->range_start), PFN_PHYS(pz->range_end),
			      pz->base_nid, got, nr, evacuated, skipped);
		ret = -ENOMEM;
		goto err_untake;
	}
	/* lowest pfns first, so that the kernel reserve is the lowest */
	list_sort(NULL, &blocks, pzone_page_cmp);
	for (i = 0; i < nr_kernel; i++)
		list_move_tail(blocks.next, &kernel);
	ret = pzone_commit_grow(pz, &kernel, &blocks, NULL, err);
	if (ret)
		goto err_untake;
	return 0;

err_untake:
	pzone_untake_base_blocks(pz, &blocks);
	pzone_untake_base_blocks(pz, &kernel);
	return ret;
}

/* Forget the blocks on @list (taken from the base node) and free them there. */
static void pzone_untake_base_blocks(struct pzone *pz, struct list_head *list)
{
	struct page *page;

	list_for_each_entry(page, list, lru)
		xa_erase(&pz->blocks, pzone_block_idx(page));
	pzone_free_list(list);
}

/* Free pages of @zone above its high watermark. */
static unsigned long pzone_zone_avail(struct zone *zone, bool use_busy)
{
	unsigned long avail;

	if (!populated_zone(zone))
		return 0;
	avail = use_busy ? zone_managed_pages(zone) :
			   zone_page_state(zone, NR_FREE_PAGES);
	return avail > high_wmark_pages(zone) ? avail - high_wmark_pages(zone) : 0;
}

/**
 * pzone_grow() - Move blocks of the base node into a pzone.
 * @pz: the pzone.
 * @nr_kernel: blocks for the kernel reserve.
 * @nr_movable: movable blocks.
 * @use_busy: memory in use may be moved away (resize); without it the base
 *	      node must have that much free memory (create).
 * @err: why it failed.
 *
 * Free blocks of the base node first, then movable blocks emptied by
 * migration; only inside its range for a range pzone.  All or nothing.
 *
 * Context: Caller holds @pz->mutex.
 * Return: 0; -ENOMEM if the base node could not give enough blocks; an error
 * of the memory notifiers.
 */
int pzone_grow(struct pzone *pz, unsigned long nr_kernel,
	       unsigned long nr_movable, bool use_busy, struct pzone_err *err)
{
	struct zone *zones = NODE_DATA(pz->base_nid)->node_zones;
	unsigned long nr = nr_kernel + nr_movable, got, evacuated = 0;
	unsigned long normal, movable;
	LIST_HEAD(kernel);
	LIST_HEAD(blocks);
	int ret;

	lockdep_assert_held(&pz->mutex);

	if (pz->range_end)
		return pzone_grow_range(pz, nr_kernel, nr_movable, err);
	normal = pzone_zone_avail(&zones[ZONE_NORMAL], use_busy);
	movable = pzone_zone_avail(&zones[ZONE_MOVABLE], use_busy);
	if (nr_kernel * PZONE_BLOCK_PAGES > normal ||
	    nr * PZONE_BLOCK_PAGES > normal + movable) {
		pzone_err_set(err, "base node %d has %lu MiB %s in %s, %lu MiB needed",
			      pz->base_nid,
			      (normal + movable) >> (20 - PAGE_SHIFT),
			      use_busy ? "in all" : "free",
			      movable ? "ZONE_NORMAL and ZONE_MOVABLE" : "ZONE_NORMAL",
			      (nr * PZONE_BLOCK_BYTES) >> 20);
		return -ENOMEM;
	}

	got = pzone_take_base_blocks(pz, nr_kernel, true, &kernel);
	if (got == nr_kernel)
		got += pzone_take_base_blocks(pz, nr_movable, false, &blocks);
	/*
	 * Free memory that is not in whole blocks is made whole by emptying
	 * movable blocks, also when only free memory may be used (create):
	 * the check above made sure there is enough of it.
	 */
	if (got < nr && got >= nr_kernel) {
		evacuated = pzone_evacuate_base_blocks(pz, nr - got, &blocks,
						       NULL);
		got += evacuated;
	}
	if (got < nr) {
		pzone_err_set(err, "base node %d gave only %lu of %lu 4 MiB blocks (%lu evacuated)",
			      pz->base_nid, got, nr, evacuated);
		ret = -ENOMEM;
		goto err_untake;
	}

	ret = pzone_commit_grow(pz, &kernel, &blocks, NULL, err);
	if (ret)
		goto err_untake;
	return 0;

err_untake:
	pzone_untake_base_blocks(pz, &blocks);
	pzone_untake_base_blocks(pz, &kernel);
	return ret;
}

/* ------------------------------------------------------------------------
 * Shrink: free blocks of the pzone, then emptied ones
 */

/* Drain the per-cpu free lists of the derived node's zones. */
static void pzone_drain(struct pzone *pz)
{
	struct zone *zones = NODE_DATA(pz->nid)->node_zones;
	int i;

	for (i = 0; i < MAX_NR_ZONES; i++)
		if (populated_zone(&zones[i]))
			drain_all_pages(&zones[i]);
}

/*
 * Count what holds the block at @pfn that could not be emptied into @nr.
 * A racy look, for the reason counters only.
 */
static void pzone_classify_block(unsigned long pfn,
				 unsigned long nr[NR_PZONE_REASONS])
{
	unsigned long end = pfn + PZONE_BLOCK_PAGES;

	while (pfn < end) {
		struct page *page = pfn_to_page(pfn);
		unsigned long step = 1;

		if (PageBuddy(page)) {
			unsigned int order = buddy_order_unsafe(page);

			if (order <= MAX_PAGE_ORDER)
				step = 1UL << order;
			nr[PZONE_REASON_BUDDY] += step;
		} else if (PageSlab(page)) {
			nr[PZONE_REASON_SLAB]++;
		} else if (PageLRU(page)) {
			struct folio *folio = page_folio(page);
			long expected = folio_mapcount(folio);

			/* References beyond mappings and the page cache pin it. */
			if (folio_mapping(folio) && !folio_test_anon(folio))
				expected += folio_nr_pages(folio);
			if (folio_maybe_dma_pinned(folio) ||
			    folio_ref_count(folio) > expected)
				nr[PZONE_REASON_PINNED]++;
			else
				nr[PZONE_REASON_LRU]++;
		} else if (page_count(page)) {
			nr[PZONE_REASON_OTHER]++;
		} else {
			nr[PZONE_REASON_BUDDY]++;
		}
		pfn += step;
	}
}

/**
 * pzone_block_score() - How good a block is to empty.
 * @nr: the kinds of its pages, as pzone_classify_block() counts them.
 *
 * The more free pages, the less to migrate.  A block with pages that cannot
 * move scores below every other, the more such pages the lower.
 *
 * Context: Any context.
 * Return: the score; higher is better.
 */
VISIBLE_IF_KUNIT long pzone_block_score(const unsigned long nr[NR_PZONE_REASONS])
{
	unsigned long stuck = nr[PZONE_REASON_SLAB] + nr[PZONE_REASON_PINNED] +
			      nr[PZONE_REASON_OTHER];

	if (stuck)
		return -1 - (long)min_t(unsigned long, stuck, LONG_MAX - 1);
	return min_t(unsigned long, nr[PZONE_REASON_BUDDY], LONG_MAX);
}
EXPORT_SYMBOL_IF_KUNIT(pzone_block_score);

/**
 * pzone_cand_cmp() - sort() order of candidates: best score, then lowest pfn.
 * @a: a struct pzone_cand.
 * @b: another.
 *
 * Context: Any context.
 * Return: <0, 0 or >0.
 */
VISIBLE_IF_KUNIT int pzone_cand_cmp(const void *a, const void *b)
{
	const struct pzone_cand *x = a, *y = b;

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return x->pfn < y->pfn ? -1 : x->pfn > y->pfn;
}
EXPORT_SYMBOL_IF_KUNIT(pzone_cand_cmp);

/**
 * pzone_collect_cands() - The blocks of a zone a shrink may empty.
 * @pz: the pzone.
 * @zid: zone of the derived node, or MAX_NR_ZONES for any.
 * @cand: filled with the blocks and their scores.
 * @cap: room in @cand.
 *
 * Skips blocks this operation holds already and standby blocks.  Standby
 * blocks can become ordinary ones at any time (an OOM releases them without
 * @pz->mutex), so more blocks than the pzone's size may qualify: never more
 * than @cap are written.
 *
 * Context: Caller holds @pz->mutex.
 * Return: number of entries written.
 */
VISIBLE_IF_KUNIT unsigned long pzone_collect_cands(struct pzone *pz,
						   enum zone_type zid,
						   struct pzone_cand *cand,
						   unsigned long cap)
{
	unsigned long idx, n = 0;
	void *entry;

	lockdep_assert_held(&pz->mutex);

	xa_for_each(&pz->blocks, idx, entry) {
		unsigned long why[NR_PZONE_REASONS] = { 0 };
		unsigned long pfn = idx << PZONE_BLOCK_ORDER;

		if (n >= cap)
			break;
		if (xa_get_mark(&pz->blocks, idx, PZONE_MARK_TAKEN) ||
		    xa_get_mark(&pz->blocks, idx, PZONE_MARK_STANDBY))
			continue;
		if (zid != MAX_NR_ZONES && page_zonenum(pfn_to_page(pfn)) != zid)
			continue;
		pzone_classify_block(pfn, why);
		cand[n].pfn = pfn;
		cand[n].score = pzone_block_score(why);
		n++;
	}
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(pzone_collect_cands);

/*
 * Take free blocks of @pz straight off the free lists of its zones: every
 * page of the node is ours, so the page allocator, with its cpuset checks
 * and watermarks, is not asked.  __isolate_free_page() still keeps the min
 * watermark plus a block free; the last blocks of a node are taken by
 * isolation instead, with the blocks in use.  A block whose pages are all
 * free is one buddy of MAX_ORDER, as buddies never merge across blocks.
 * Return: number of blocks put on @list.
 */
static unsigned long pzone_take_free_own(struct pzone *pz, unsigned long nr,
					 enum zone_type zid,
					 struct list_head *list)
{
	unsigned long idx, got = 0;
	void *entry;

	xa_for_each(&pz->blocks, idx, entry) {
		struct page *page = pfn_to_page(idx << PZONE_BLOCK_ORDER);
		/* stable: only we relink our blocks, under @pz->mutex */
		struct zone *zone = page_zone(page);
		unsigned long flags;
		int taken = 0;

		if (got >= nr)
			break;
		if (xa_get_mark(&pz->blocks, idx, PZONE_MARK_TAKEN) ||
		    xa_get_mark(&pz->blocks, idx, PZONE_MARK_STANDBY) ||
		    (zid != MAX_NR_ZONES && zone_idx(zone) != zid))
			continue;
		spin_lock_irqsave(&zone->lock, flags);
		/* not a block someone else is isolating (hwpoison, contig) */
		if (PageBuddy(page) && buddy_order(page) == PZONE_BLOCK_ORDER &&
		    !pzone_block_has_migratetype(page, MIGRATE_ISOLATE))
			taken = __isolate_free_page(page, PZONE_BLOCK_ORDER);
		spin_unlock_irqrestore(&zone->lock, flags);
		if (!taken)
			continue;
		/* now an allocated compound page, as alloc_pages() gives */
		post_alloc_hook(page, PZONE_BLOCK_ORDER, __GFP_MOVABLE);
		set_page_refcounted(page);
		prep_compound_page(page, PZONE_BLOCK_ORDER);
		xa_set_mark(&pz->blocks, idx, PZONE_MARK_TAKEN);
		list_add_tail(&page->lru, list);
		got++;
	}
	return got;
}

/**
 * pzone_take_own_blocks() - Take blocks of a pzone out of its buddy allocator.
 * @pz: the pzone.
 * @nr: blocks wanted.
 * @zid: zone of the derived node, or MAX_NR_ZONES for any.
 * @target: where in-use pages may be migrated to, or NULL for free blocks
 *	    only.
 * @list: gets the owned blocks, which stay in the node until moved.
 *
 * Free blocks first, taken off the free lists directly, then blocks
 * emptied by migrating their pages to @target, the cheapest first.
 *
 * Context: Caller holds @pz->mutex.
 * Return: number of blocks put on @list.
 */
unsigned long pzone_take_own_blocks(struct pzone *pz, unsigned long nr,
				    enum zone_type zid, nodemask_t *target,
				    struct list_head *list)
{
	unsigned long got, i, n, cap;
	struct pzone_cand *cand;
	struct page *page, *next;
	LIST_HEAD(mine);

	lockdep_assert_held(&pz->mutex);

	if (!nr)
		return 0;
	/* blocks with free pages on per-CPU lists are not whole buddies */
	pzone_drain(pz);
	got = pzone_take_free_own(pz, nr, zid, &mine);
	if (!target || got == nr)
		goto out;

	/* Standby blocks count here: an OOM may make them ordinary ones. */
	cap = pzone_nr_all_blocks(pz);
	cand = kmalloc_array(cap, sizeof(*cand), GFP_KERNEL);
	if (!cand)
		goto out;
	n = pzone_collect_cands(pz, zid, cand, cap);
	/* Cheapest first; blocks with unmovable pages only if they must. */
	sort(cand, n, sizeof(*cand), pzone_cand_cmp, NULL);

	/*
	 * Disable the per-CPU LRU caches once for all the blocks, as
	 * move_pages(2) does for all its pages: each alloc_contig_range()
	 * would otherwise wait for an RCU grace period and a drain of every
	 * CPU's LRU batches.
	 */
	lru_cache_disable();
	for (i = 0; i < n && got < nr; i++) {
		unsigned long pfn = cand[i].pfn;

		cond_resched();
		if (alloc_contig_range_target_flags(pfn, pfn + PZONE_BLOCK_PAGES,
						    MIGRATE_MOVABLE,
						    PZONE_GFP_EVACUATE, target,
						    ACR_LRU_DISABLED)) {
			unsigned long why[NR_PZONE_REASONS] = { 0 };
			int r;

			pzone_classify_block(pfn, why);
			spin_lock(&pz->lock);
			pz->blocks_failed++;
			for (r = 0; r < NR_PZONE_REASONS; r++)
				pz->nr_reason[r] += why[r];
			spin_unlock(&pz->lock);
			continue;
		}
		page = pfn_to_page(pfn);
		xa_set_mark(&pz->blocks, pzone_block_idx(page), PZONE_MARK_TAKEN);
		list_add_tail(&page->lru, &mine);
		got++;
		spin_lock(&pz->lock);
		pz->blocks_evacuated++;
		spin_unlock(&pz->lock);
	}
	lru_cache_enable();
	kfree(cand);
out:
	/* The marks only tell this call which blocks it holds. */
	list_for_each_entry_safe(page, next, &mine, lru)
		xa_clear_mark(&pz->blocks, pzone_block_idx(page),
			      PZONE_MARK_TAKEN);
	list_splice_tail(&mine, list);
	return got;
}

/* Take up to @nr (ULONG_MAX: all) standby blocks onto @list. */
static unsigned long pzone_take_standby(struct pzone *pz, unsigned long nr,
					struct list_head *list)
{
	unsigned long flags, n = 0;
	struct page *page;

	spin_lock_irqsave(&pz->standby_lock, flags);
	while (n < nr) {
		page = list_first_entry_or_null(&pz->standby, struct page, lru);
		if (!page)
			break;
		list_move_tail(&page->lru, list);
		n++;
	}
	WRITE_ONCE(pz->nr_standby, pz->nr_standby - n);
	spin_unlock_irqrestore(&pz->standby_lock, flags);
	return n;
}

/* Put standby blocks that pzone_take_standby() took back. */
static void pzone_untake_standby(struct pzone *pz, struct list_head *list)
{
	unsigned long flags, n = 0;
	struct page *page;

	list_for_each_entry(page, list, lru)
		n++;
	spin_lock_irqsave(&pz->standby_lock, flags);
	list_splice_init(list, &pz->standby);
	WRITE_ONCE(pz->nr_standby, pz->nr_standby + n);
	spin_unlock_irqrestore(&pz->standby_lock, flags);
}

/**
 * pzone_shrink() - Move blocks of a pzone back to its base node.
 * @pz: the pzone.
 * @nr_kernel: blocks of the kernel reserve.
 * @nr_movable: movable blocks, standby excluded.
 * @nr_standby: standby blocks; ULONG_MAX for all there are.
 * @target: where in-use pages may be migrated to, or NULL for free blocks
 *	    only.
 * @err: why it failed.
 *
 * All or nothing: on failure every block is still in the pzone, the standby
 * included.  Pages already migrated stay where they went, intact.
 *
 * Context: Caller holds @pz->mutex.
 * Return: 0; -EBUSY if not enough blocks could be emptied; a notifier error.
 */
int pzone_shrink(struct pzone *pz, unsigned long nr_kernel,
		 unsigned long nr_movable, unsigned long nr_standby,
		 nodemask_t *target, struct pzone_err *err)
{
	unsigned long got, used, nr = nr_kernel + nr_movable;
	LIST_HEAD(standby);
	LIST_HEAD(list);
	int ret;

	lockdep_assert_held(&pz->mutex);

	used = pzone_nr_blocks(pz) * PZONE_BLOCK_PAGES;
	used -= min(used, pzone_node_free_pages(pz->nid));
	got = pzone_take_own_blocks(pz, nr_movable, ZONE_MOVABLE, target, &list);
	if (got < nr_movable) {
		if (target)
			pzone_err_set(err,
				      "%lu of %lu blocks hold pages that cannot be moved (%lu pages in use; unmovable so far: slab %lu, pinned %lu, other %lu)",
				      nr - got, nr, used,
				      pz->nr_reason[PZONE_REASON_SLAB],
				      pz->nr_reason[PZONE_REASON_PINNED],
				      pz->nr_reason[PZONE_REASON_OTHER]);
		else
			pzone_err_set(err, "%lu of %lu blocks are not free (%lu pages in use)",
				      nr - got, nr, used);
		ret = -EBUSY;
		goto err_free;
	}
	got = pzone_take_standby(pz, nr_standby, &standby);
	if (nr_standby != ULONG_MAX && got < nr_standby) {
		pzone_err_set(err, "an OOM released the standby meanwhile");
		ret = -EBUSY;
		goto err_untake;
	}
	ret = pzone_commit_shrink(pz, &list, &standby, nr_kernel, target, err);
	if (ret)
		goto err_untake;
	return 0;

err_untake:
	pzone_untake_standby(pz, &standby);
err_free:
	pzone_free_list(&list);
	return ret;
}

/* ------------------------------------------------------------------------
 * The headroom rule and reclaim
 */

/**
 * pzone_headroom_ok() - May blocks leave a node and keep it working?
 * @free: free pages of the node.
 * @nr_out: blocks that would leave.
 * @wmark_high: sum of the high watermarks of its zones.
 *
 * The pages in use of the leaving blocks must fit in what stays free, and
 * the node must keep its high watermark free, or its tasks would reclaim
 * (or OOM) right after the shrink.
 *
 * Context: Any context.
 * Return: true if they may leave.
 */
VISIBLE_IF_KUNIT bool pzone_headroom_ok(unsigned long free,
					unsigned long nr_out,
					unsigned long wmark_high)
{
	if (nr_out > (ULONG_MAX - wmark_high) / PZONE_BLOCK_PAGES)
		return false;
	return free >= nr_out * PZONE_BLOCK_PAGES + wmark_high;
}
EXPORT_SYMBOL_IF_KUNIT(pzone_headroom_ok);

static unsigned long pzone_node_high_wmark(int nid)
{
	struct zone *zones = NODE_DATA(nid)->node_zones;
	unsigned long wmark = 0;
	int i;

	for (i = 0; i < MAX_NR_ZONES; i++)
		if (populated_zone(&zones[i]))
			wmark += high_wmark_pages(&zones[i]);
	return wmark;
}

/*
 * One round of direct reclaim in @nodes, set up as the page allocator sets
 * up its own (__perform_reclaim()): a memory stall for PSI, the fs_reclaim
 * lockdep map, and PF_MEMALLOC so that reclaim does not recurse.
 */
static unsigned long pzone_direct_reclaim(int nid, nodemask_t *nodes)
{
	struct zonelist *zl = node_zonelist(nid, GFP_HIGHUSER_MOVABLE);
	unsigned long progress, pflags;
	unsigned int noreclaim_flag;

	psi_memstall_enter(&pflags);
	fs_reclaim_acquire(GFP_HIGHUSER_MOVABLE);
	noreclaim_flag = memalloc_noreclaim_save();
	progress = try_to_free_pages(zl, 0, GFP_HIGHUSER_MOVABLE, nodes);
	memalloc_noreclaim_restore(noreclaim_flag);
	fs_reclaim_release(GFP_HIGHUSER_MOVABLE);
	psi_memstall_leave(&pflags);
	return progress;
}

/*
 * Reclaim page cache of the derived node until @need pages are free or
 * reclaim stops making progress.  Never OOM-kills.
 * Return: the free pages of the node afterwards.
 */
static unsigned long pzone_reclaim(struct pzone *pz, unsigned long need)
{
	nodemask_t nodes = NODE_MASK_NONE;
	unsigned long free;
	int idle = 0;

	lockdep_assert_held(&pz->mutex);

	node_set(pz->nid, nodes);
	while ((free = pzone_node_free_pages(pz->nid)) < need && idle < 4) {
		if (fatal_signal_pending(current))
			break;
		if (!pzone_direct_reclaim(pz->nid, &nodes))
			idle++;
		cond_resched();
	}
	return free;
}

/* ------------------------------------------------------------------------
 * The operations
 */

/*
 * Start an operation on @pz that sets a size of @bytes: @bytes must be whole
 * blocks (*@nr of them) and @pz on.  Clears @err.
 * Return: 0 with @pz->mutex held; -EINVAL or -EBUSY without it.
 */
static int pzone_op_begin(struct pzone *pz, u64 bytes, const char *what,
			  unsigned long *nr, struct pzone_err *err)
{
	err->reason[0] = '\0';
	if (bytes % PZONE_BLOCK_BYTES) {
		pzone_err_set(err, "%s must be a multiple of %lu bytes", what,
			      PZONE_BLOCK_BYTES);
		return -EINVAL;
	}
	*nr = bytes / PZONE_BLOCK_BYTES;
	mutex_lock(&pz->mutex);
	if (pz->state != PZONE_STATE_ON) {
		pzone_err_set(err, "pzone is %s", pzone_state_name(pz->state));
		mutex_unlock(&pz->mutex);
		return -EBUSY;
	}
	return 0;
}

/**
 * pzone_set_standby() - Set the blocks a pzone holds back for an OOM.
 * @pz: the pzone.
 * @bytes: new standby size, a multiple of pzone_block_size_bytes().
 * @err: why it failed.
 *
 * Standby blocks are moved into the node but kept out of its buddy
 * allocator: they are not in the pzone's size, nor in the MemTotal of any
 * node.  An allocation confined to the node that is about to OOM releases
 * them all (see pzone_oom_notify()).  A larger standby takes free blocks of
 * the base node; a smaller one moves standby blocks straight back to it.
 * All or nothing.
 *
 * Context: Process context; sleeps.  Takes @pz->mutex,
 * device_hotplug_lock, pzone_mutex and mem_hotplug_lock.
 * Return: 0; -EINVAL for a bad size; -EBUSY if @pz is not on; -ENOMEM if the
 * base node lacks free blocks.
 */
int pzone_set_standby(struct pzone *pz, u64 bytes, struct pzone_err *err)
{
	unsigned long nr, cur, got;
	LIST_HEAD(list);
	LIST_HEAD(none);
	int ret;

	ret = pzone_op_begin(pz, bytes, "standby", &nr, err);
	if (ret)
		return ret;
	cur = READ_ONCE(pz->nr_standby);
	if (nr == cur)
		goto out_unlock;
	/* a range pzone: the range decides, pzone_take_range_blocks() says */
	if (nr > cur && !pz->range_end) {
		struct zone *zones = NODE_DATA(pz->base_nid)->node_zones;
		unsigned long avail = pzone_zone_avail(&zones[ZONE_NORMAL], false) +
				      pzone_zone_avail(&zones[ZONE_MOVABLE], false);

		if ((nr - cur) > avail / PZONE_BLOCK_PAGES) {
			pzone_err_set(err,
				      "base node %d has %lu MiB free, %lu MiB needed for the standby",
				      pz->base_nid, avail >> (20 - PAGE_SHIFT),
				      ((nr - cur) * PZONE_BLOCK_BYTES) >> 20);
			ret = -ENOMEM;
			goto out_unlock;
		}
	}
	pzone_set_state(pz, PZONE_STATE_RESIZING);
	if (nr < cur) {
		ret = pzone_shrink(pz, 0, 0, cur - nr, NULL, err);
		goto out_on;
	}
	/* a range pzone's standby lies in its range too */
	got = pz->range_end ? pzone_take_range_blocks(pz, nr - cur, &list) :
			      pzone_take_base_blocks(pz, nr - cur, false, &list);
	if (got < nr - cur) {
		pzone_err_set(err, "base node %d gave %lu of %lu blocks for the standby",
			      pz->base_nid, got, nr - cur);
		ret = -ENOMEM;
		goto err_untake;
	}
	ret = pzone_commit_grow(pz, &none, &none, &list, err);
	if (!ret)
		goto out_on;
err_untake:
	pzone_untake_base_blocks(pz, &list);
out_on:
	/* not if an invariant broke meanwhile: broken stays broken */
	if (pz->state == PZONE_STATE_RESIZING)
		pzone_set_state(pz, PZONE_STATE_ON);
out_unlock:
	mutex_unlock(&pz->mutex);
	return ret;
}

/**
 * pzone_resize() - Grow or shrink the movable part of a pzone.
 * @pz: the pzone.
 * @size_bytes: new total size, a multiple of pzone_block_size_bytes(), at
 *		least the kernel reserve.
 * @reclaim: on shrink, reclaim the pzone's page cache to make room.
 * @err: why it failed.
 *
 * A grow takes free blocks of the base node first, then empties movable
 * blocks of the base node by migrating their pages to other ordinary nodes.
 * A shrink gives back free blocks first, then empties blocks by migrating
 * their pages to other blocks of the pzone (never out of it), as long as the
 * pzone keeps its high watermark free afterwards; with @reclaim it first
 * reclaims page cache of the pzone to get there.  It never OOM-kills.  All
 * or nothing: on failure the pzone is as before.
 *
 * Context: Process context; sleeps.  Takes @pz->mutex, and briefly
 * device_hotplug_lock, pzone_mutex and mem_hotplug_lock.
 * Return: 0; -EINVAL for a bad size; -EBUSY if @pz is not on; -ENOMEM if the
 * base node could not give enough blocks; -ENOSPC if the pages in the pzone
 * would not fit in the smaller size; -EBUSY if blocks could not be emptied.
 */
int pzone_resize(struct pzone *pz, u64 size_bytes, bool reclaim,
		 struct pzone_err *err)
{
	unsigned long nr, cur, kernel, free, wmark;
	nodemask_t target = NODE_MASK_NONE;
	int ret;

	ret = pzone_op_begin(pz, size_bytes, "size", &nr, err);
	if (ret)
		return ret;
	cur = pzone_nr_blocks(pz);
	kernel = pz->nr_blocks[ZONE_NORMAL];
	if (nr < kernel || !nr) {
		pzone_err_set(err, "size must be at least the kernel reserve (%lu bytes) and not 0",
			      kernel * PZONE_BLOCK_BYTES);
		ret = -EINVAL;
		goto out_unlock;
	}
	ret = 0;
	if (nr == cur)
		goto out_unlock;

	pzone_set_state(pz, PZONE_STATE_RESIZING);
	if (nr > cur) {
		ret = pzone_grow(pz, 0, nr - cur, true, err);
		goto out_on;
	}

	wmark = pzone_node_high_wmark(pz->nid);
	free = pzone_node_free_pages(pz->nid);
	/* pages on the per-CPU lists are free but not counted: bring them in */
	if (!pzone_headroom_ok(free, cur - nr, wmark)) {
		pzone_drain(pz);
		free = pzone_node_free_pages(pz->nid);
	}
	if (!pzone_headroom_ok(free, cur - nr, wmark) && reclaim)
		free = pzone_reclaim(pz, (cur - nr) * PZONE_BLOCK_PAGES + wmark);
	if (!pzone_headroom_ok(free, cur - nr, wmark)) {
		pzone_err_set(err,
			      "not enough free memory in the pzone for its pages: %lu MiB free, %lu MiB needed",
			      free >> (20 - PAGE_SHIFT),
			      ((cur - nr) * PZONE_BLOCK_PAGES + wmark) >>
			      (20 - PAGE_SHIFT));
		ret = -ENOSPC;
		goto out_on;
	}
	node_set(pz->nid, target);
	ret = pzone_shrink(pz, 0, cur - nr, 0, &target, err);
out_on:
	/* not if an invariant broke meanwhile: broken stays broken */
	if (pz->state == PZONE_STATE_RESIZING)
		pzone_set_state(pz, PZONE_STATE_ON);
out_unlock:
	mutex_unlock(&pz->mutex);
	return ret;
}

/**
 * pzone_reclaim_init() - Register the OOM notifier.
 *
 * Context: Boot, from pzone_init().
 * Return: 0 or an error of register_oom_notifier().
 */
int __init pzone_reclaim_init(void)
{
	return register_oom_notifier(&pzone_oom_nb);
}
