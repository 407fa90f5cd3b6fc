// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for pzone: node id reservation, the distance function, the
 * block move invariants, the state machine, standby, events, reaping,
 * adoption and range pzones.  Built on its own; it sees what mm/pzone_internal.h shares with
 * KUnit builds.  Needs a boot with pzone_nodes= of at least 1 and a node
 * with ZONE_NORMAL.
 */
#define PZONE_CORE

#include <kunit/test.h>
#include <linux/cpuset.h>
#include <linux/delay.h>
#include <linux/gfp.h>
#include <linux/memory.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/pagemap.h>
#include <linux/sort.h>
#include <linux/workqueue.h>

#include "../internal.h"
#include "../pzone_internal.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

static struct pzone_err kerr;

static struct pzone *pzone_kunit_create(struct kunit *test, const char *name,
					int base, unsigned long nr,
					unsigned long nr_kernel)
{
	struct pzone *pz = NULL;
	int ret;

	ret = pzone_create(name, base, nr * PZONE_BLOCK_BYTES,
			   nr_kernel * PZONE_BLOCK_BYTES, &pz, &kerr);
	KUNIT_ASSERT_EQ_MSG(test, ret, 0, "create %s: %s", name, kerr.reason);
	return pz;
}

/* Run the reaper of zombie @pz now; a queued reap work holds a reference. */
static void pzone_kunit_reap_now(struct pzone *pz)
{
	if (!mod_delayed_work(pzone_wq, &pz->reap_work, 0))
		kref_get(&pz->ref);	/* it was not queued: it had none */
}

static void pzone_kunit_destroy(struct kunit *test, struct pzone *pz)
{
	int ret = pzone_destroy(pz, 0, &kerr);

	KUNIT_ASSERT_EQ_MSG(test, ret, 0, "destroy: %s", kerr.reason);
	pzone_put(pz);
}

/* The first online ordinary node with ZONE_NORMAL memory, or NUMA_NO_NODE. */
static int pzone_kunit_base_node(void)
{
	int nid;

	for_each_online_node(nid)
		if (!pzone_is_derived_node(nid) &&
		    populated_zone(&NODE_DATA(nid)->node_zones[ZONE_NORMAL]))
			return nid;
	return NUMA_NO_NODE;
}

static void pzone_reserve_node_ids_above_firmware_nodes(struct kunit *test)
{
	int nid, last_real = -1, first_reserved;

	if (nodes_empty(pzone_reserved_nodes))
		kunit_skip(test, "booted without pzone_nodes=");

	for_each_node_state(nid, N_MEMORY)
		if (!pzone_is_derived_node(nid))
			last_real = max(last_real, nid);
	first_reserved = first_node(pzone_reserved_nodes);
	KUNIT_EXPECT_GT(test, first_reserved, last_real);
	for_each_node_mask(nid, pzone_reserved_nodes) {
		KUNIT_EXPECT_TRUE(test, node_possible(nid));
		KUNIT_EXPECT_LT(test, nid, (int)nr_node_ids);
		KUNIT_EXPECT_TRUE(test, pzone_is_derived_node(nid));
	}
	KUNIT_EXPECT_FALSE(test, pzone_is_derived_node(last_real));
	KUNIT_EXPECT_FALSE(test, pzone_is_derived_node(NUMA_NO_NODE));
	KUNIT_EXPECT_FALSE(test, pzone_is_derived_node(MAX_NUMNODES));
}

static void pzone_node_distance_sorts_derived_last(struct kunit *test)
{
	int d, x, y, saved;

	if (nodes_empty(pzone_reserved_nodes))
		kunit_skip(test, "booted without pzone_nodes=");
	d = find_last_bit(pzone_reserved_nodes.bits, MAX_NUMNODES);
	if (node_online(d))
		kunit_skip(test, "node %d in use", d);

	KUNIT_EXPECT_EQ(test, node_distance(d, d), LOCAL_DISTANCE);
	for_each_node_state(x, N_MEMORY) {
		KUNIT_EXPECT_GT(test, node_distance(x, d), pzone_distance);
		KUNIT_EXPECT_EQ(test, node_distance(d, x), node_distance(x, d));
	}

	/* While in use, d is nearest to its base, and last for everyone. */
	x = first_node(node_states[N_MEMORY]);
	saved = pzone_base[d];
	pzone_base[d] = x;
	KUNIT_EXPECT_EQ(test, node_distance(d, x), pzone_distance);
	KUNIT_EXPECT_EQ(test, node_distance(x, d), pzone_distance);
	for_each_node_state(y, N_MEMORY) {
		if (y == x || pzone_is_derived_node(y))
			continue;
		KUNIT_EXPECT_GT(test, node_distance(d, y), node_distance(d, x));
		KUNIT_EXPECT_EQ(test, node_distance(d, y), node_distance(y, d));
		KUNIT_EXPECT_GT(test, node_distance(y, d), node_distance(y, x));
	}
	pzone_base[d] = saved;
}

/* The table is symmetric for every pair of possible nodes, in use or not. */
static void pzone_node_distance_is_symmetric(struct kunit *test)
{
	struct pzone *pz;
	int a, b, base = NUMA_NO_NODE;

	for_each_online_node(a)
		if (!pzone_is_derived_node(a) &&
		    populated_zone(&NODE_DATA(a)->node_zones[ZONE_NORMAL]))
			base = a;
	if (nodes_empty(pzone_reserved_nodes) || base == NUMA_NO_NODE)
		kunit_skip(test, "no pzone node ids or no base node");
	pz = pzone_kunit_create(test, "kunit_dist", base, 2, 1);
	for_each_node(a)
		for_each_node(b) {
			KUNIT_EXPECT_EQ(test, node_distance(a, b),
					node_distance(b, a));
			KUNIT_EXPECT_LE(test, node_distance(a, b), 254);
		}
	pzone_kunit_destroy(test, pz);
}

struct pzone_kunit_counts {
	unsigned long present, managed, spanned, early;
	unsigned long node_present;
};

static void pzone_kunit_snapshot(struct zone *zone,
				 struct pzone_kunit_counts *c)
{
	c->present = zone->present_pages;
	c->managed = zone_managed_pages(zone);
	c->spanned = zone->spanned_pages;
	c->early = zone->present_early_pages;
	c->node_present = zone->zone_pgdat->node_present_pages;
	/*
	 * Not totalram_pages(): other boot work (late frees of reserved
	 * memory) changes it while the suite runs.  Moves between zones
	 * never touch it; the zone and node counts above are exact.
	 */
}

/* Does every block of @pz, and every page in it, sit where it should? */
static void pzone_kunit_check_blocks(struct kunit *test, struct pzone *pz)
{
	unsigned long idx, i, n[MAX_NR_ZONES] = { 0 };
	void *entry;

	xa_for_each(&pz->blocks, idx, entry) {
		struct page *page = pfn_to_page(idx << PZONE_BLOCK_ORDER);
		enum zone_type zid = page_zonenum(page);
		unsigned long bad = 0;

		KUNIT_EXPECT_TRUE(test, zid == ZONE_NORMAL || zid == ZONE_MOVABLE);
		n[zid]++;
		for (i = 0; i < PZONE_BLOCK_PAGES; i++)
			if (page_to_nid(page + i) != pz->nid ||
			    page_zonenum(page + i) != zid)
				bad++;
		KUNIT_EXPECT_EQ(test, bad, 0UL);
		KUNIT_EXPECT_TRUE(test, zone_spans_pfn(page_zone(page),
						       page_to_pfn(page)));
	}
	KUNIT_EXPECT_EQ(test, n[ZONE_NORMAL], pz->nr_blocks[ZONE_NORMAL]);
	KUNIT_EXPECT_EQ(test, n[ZONE_MOVABLE], pz->nr_blocks[ZONE_MOVABLE]);
}

static void pzone_create_moves_blocks_and_destroy_restores(struct kunit *test)
{
	const unsigned long nr = 16, nr_kernel = 1;
	struct pzone_kunit_counts before, during, after;
	struct zone *base_zone, *dz;
	struct zoneref *z;
	struct zonelist *zl;
	struct pzone *pz;
	struct page *page;
	unsigned int on;
	int base, d, last = NUMA_NO_NODE;

	if (nodes_empty(pzone_reserved_nodes))
		kunit_skip(test, "booted without pzone_nodes=");
	base = pzone_kunit_base_node();
	if (base == NUMA_NO_NODE)
		kunit_skip(test, "no node with ZONE_NORMAL");
	base_zone = &NODE_DATA(base)->node_zones[ZONE_NORMAL];
	pzone_kunit_snapshot(base_zone, &before);

	on = pzone_nr_in_state(PZONE_STATE_ON);
	pz = pzone_kunit_create(test, "kunit", base, nr, nr_kernel);
	d = pz->nid;
	KUNIT_EXPECT_EQ(test, pzone_nr_in_state(PZONE_STATE_ON), on + 1);
	KUNIT_EXPECT_PTR_EQ(test, pzone_get_by_name("kunit"), pz);
	pzone_put(pz);	/* the lookup's */

	pzone_kunit_snapshot(base_zone, &during);
	KUNIT_EXPECT_EQ(test, before.present - during.present,
			nr * PZONE_BLOCK_PAGES);
	KUNIT_EXPECT_EQ(test, before.managed - during.managed,
			nr * PZONE_BLOCK_PAGES);
	KUNIT_EXPECT_EQ(test, before.node_present - during.node_present,
			nr * PZONE_BLOCK_PAGES);
	KUNIT_EXPECT_EQ(test, during.spanned, before.spanned);
	KUNIT_EXPECT_EQ(test, NODE_DATA(d)->node_present_pages,
			nr * PZONE_BLOCK_PAGES);
	dz = &NODE_DATA(d)->node_zones[ZONE_MOVABLE];
	KUNIT_EXPECT_EQ(test, zone_managed_pages(dz),
			(nr - nr_kernel) * PZONE_BLOCK_PAGES);
	dz = &NODE_DATA(d)->node_zones[ZONE_NORMAL];
	KUNIT_EXPECT_EQ(test, zone_managed_pages(dz),
			nr_kernel * PZONE_BLOCK_PAGES);
	KUNIT_EXPECT_TRUE(test, node_state(d, N_MEMORY));
	KUNIT_EXPECT_TRUE(test, node_state(d, N_NORMAL_MEMORY));
	KUNIT_EXPECT_NOT_NULL(test, NODE_DATA(d)->kswapd);
	pzone_kunit_check_blocks(test, pz);

	/* d is last in the base node's fallback list. */
	zl = node_zonelist(base, GFP_HIGHUSER_MOVABLE);
	for_each_zone_zonelist(dz, z, zl, ZONE_MOVABLE)
		last = zone_to_nid(dz);
	KUNIT_EXPECT_EQ(test, last, d);

	page = alloc_pages_node(d, GFP_KERNEL | __GFP_THISNODE | __GFP_NOWARN, 0);
	KUNIT_EXPECT_NOT_NULL(test, page);
	if (page) {
		KUNIT_EXPECT_EQ(test, page_to_nid(page), d);
		__free_pages(page, 0);
	}

	pzone_kunit_destroy(test, pz);
	KUNIT_EXPECT_EQ(test, pzone_nr_in_state(PZONE_STATE_ON), on);

	pzone_kunit_snapshot(base_zone, &after);
	KUNIT_EXPECT_EQ(test, after.present, before.present);
	KUNIT_EXPECT_EQ(test, after.managed, before.managed);
	KUNIT_EXPECT_EQ(test, after.early, before.early);
	KUNIT_EXPECT_EQ(test, after.node_present, before.node_present);
	KUNIT_EXPECT_EQ(test, after.spanned, before.spanned);
	KUNIT_EXPECT_FALSE(test, node_online(d));
	KUNIT_EXPECT_EQ(test, node_spanned_pages(d), 0UL);
}

static void pzone_create_rejects_bad_params(struct kunit *test)
{
	struct pzone *sentinel = ERR_PTR(-ESRCH), *pz = sentinel;
	unsigned int on = pzone_nr_in_state(PZONE_STATE_ON);
	unsigned int starting = pzone_nr_in_state(PZONE_STATE_STARTING);
	int base = pzone_kunit_base_node();
	nodemask_t avail_before, avail_after;

	if (nodes_empty(pzone_reserved_nodes) || base == NUMA_NO_NODE)
		kunit_skip(test, "no pzone node ids or no base node");

	pzone_available_nodes(&avail_before);
	KUNIT_EXPECT_EQ(test, pzone_create("Bad", base, PZONE_BLOCK_BYTES, 0,
					   &pz, &kerr), -EINVAL);
	KUNIT_EXPECT_STREQ(test, kerr.reason,
			   "invalid name: use 1-31 characters of [a-z0-9_-]");
	KUNIT_EXPECT_EQ(test, pzone_create("k", base, 0, 0, &pz, &kerr), -EINVAL);
	KUNIT_EXPECT_EQ(test, pzone_create("k", base, PZONE_BLOCK_BYTES + 1, 0,
					   &pz, &kerr), -EINVAL);
	KUNIT_EXPECT_EQ(test, pzone_create("k", base, PZONE_BLOCK_BYTES,
					   2 * PZONE_BLOCK_BYTES, &pz, &kerr),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, pzone_create("k", MAX_NUMNODES, PZONE_BLOCK_BYTES,
					   0, &pz, &kerr), -EINVAL);
	KUNIT_EXPECT_EQ(test, pzone_create("k", first_node(pzone_reserved_nodes),
					   PZONE_BLOCK_BYTES, 0, &pz, &kerr),
			-EINVAL);
	KUNIT_EXPECT_NE(test, kerr.reason[0], '\0');
	/* A refused create leaves *pzp, the node ids and the registry alone. */
	KUNIT_EXPECT_PTR_EQ(test, pz, sentinel);
	pzone_available_nodes(&avail_after);
	KUNIT_EXPECT_TRUE(test, nodes_equal(avail_before, avail_after));
	KUNIT_EXPECT_EQ(test, pzone_nr_in_state(PZONE_STATE_ON), on);
	KUNIT_EXPECT_EQ(test, pzone_nr_in_state(PZONE_STATE_STARTING), starting);
	KUNIT_EXPECT_NULL(test, pzone_get_by_name("k"));
}

static void pzone_headroom_ok_keeps_high_wmark(struct kunit *test)
{
	const unsigned long b = PZONE_BLOCK_PAGES;

	/* Free pages must cover the blocks leaving plus the high watermark. */
	KUNIT_EXPECT_TRUE(test, pzone_headroom_ok(2 * b + 100, 2, 100));
	KUNIT_EXPECT_FALSE(test, pzone_headroom_ok(2 * b + 99, 2, 100));
	KUNIT_EXPECT_TRUE(test, pzone_headroom_ok(100, 0, 100));
	KUNIT_EXPECT_FALSE(test, pzone_headroom_ok(0, 1, 0));
	/* No overflow with absurd requests. */
	KUNIT_EXPECT_FALSE(test, pzone_headroom_ok(ULONG_MAX, ULONG_MAX / 2, 1));
	KUNIT_EXPECT_FALSE(test, pzone_headroom_ok(ULONG_MAX, 1, ULONG_MAX));
}

static void pzone_block_score_orders_candidates(struct kunit *test)
{
	unsigned long free_block[NR_PZONE_REASONS] = {
		[PZONE_REASON_BUDDY] = PZONE_BLOCK_PAGES };
	unsigned long half[NR_PZONE_REASONS] = {
		[PZONE_REASON_BUDDY] = PZONE_BLOCK_PAGES / 2,
		[PZONE_REASON_LRU] = PZONE_BLOCK_PAGES / 2 };
	unsigned long full[NR_PZONE_REASONS] = {
		[PZONE_REASON_LRU] = PZONE_BLOCK_PAGES };
	unsigned long pinned[NR_PZONE_REASONS] = {
		[PZONE_REASON_BUDDY] = PZONE_BLOCK_PAGES - 1,
		[PZONE_REASON_PINNED] = 1 };
	unsigned long slab[NR_PZONE_REASONS] = {
		[PZONE_REASON_SLAB] = 10, [PZONE_REASON_LRU] = 5 };
	struct pzone_cand c[] = {
		{ .pfn = 5 * PZONE_BLOCK_PAGES, .score = pzone_block_score(slab) },
		{ .pfn = 4 * PZONE_BLOCK_PAGES, .score = pzone_block_score(full) },
		{ .pfn = 3 * PZONE_BLOCK_PAGES, .score = pzone_block_score(pinned) },
		{ .pfn = 2 * PZONE_BLOCK_PAGES, .score = pzone_block_score(half) },
		{ .pfn = 1 * PZONE_BLOCK_PAGES, .score = pzone_block_score(free_block) },
	};

	KUNIT_EXPECT_GT(test, pzone_block_score(free_block), pzone_block_score(half));
	KUNIT_EXPECT_GT(test, pzone_block_score(half), pzone_block_score(full));
	KUNIT_EXPECT_GE(test, pzone_block_score(full), 0L);
	KUNIT_EXPECT_LT(test, pzone_block_score(pinned), 0L);
	KUNIT_EXPECT_LT(test, pzone_block_score(slab), pzone_block_score(pinned));

	sort(c, ARRAY_SIZE(c), sizeof(c[0]), pzone_cand_cmp, NULL);
	KUNIT_EXPECT_EQ(test, c[0].pfn, 1 * PZONE_BLOCK_PAGES);
	KUNIT_EXPECT_EQ(test, c[1].pfn, 2 * PZONE_BLOCK_PAGES);
	KUNIT_EXPECT_EQ(test, c[2].pfn, 4 * PZONE_BLOCK_PAGES);
	KUNIT_EXPECT_EQ(test, c[3].pfn, 3 * PZONE_BLOCK_PAGES);
	KUNIT_EXPECT_EQ(test, c[4].pfn, 5 * PZONE_BLOCK_PAGES);
}

static void pzone_kunit_release_held(struct list_head *held)
{
	struct page *page, *next;

	list_for_each_entry_safe(page, next, held, lru) {
		list_del(&page->lru);
		__free_pages(page, PZONE_BLOCK_ORDER);
	}
}

/*
 * Hold free blocks of @zone's node until at most @left free blocks remain
 * there, so that a grow passes the size check (managed memory) but cannot
 * gather its blocks and takes its error path after taking some.
 */
static void pzone_kunit_hold_base(struct zone *zone, unsigned long left,
				  struct list_head *held)
{
	gfp_t gfp = GFP_KERNEL | __GFP_THISNODE | __GFP_NORETRY | __GFP_NOWARN |
		    __GFP_COMP;
	struct page *page;

	while (zone_page_state(zone, NR_FREE_PAGES) >
	       (left + 1) * PZONE_BLOCK_PAGES + high_wmark_pages(zone)) {
		page = alloc_pages_node(zone_to_nid(zone), gfp, PZONE_BLOCK_ORDER);
		if (!page)
			break;
		list_add(&page->lru, held);
	}
}

static void pzone_resize_rolls_back_on_failure(struct kunit *test)
{
	struct pzone_kunit_counts before, after;
	struct zone *base_zone;
	struct pzone *pz;
	unsigned long blocks, in_before;
	LIST_HEAD(held);
	u64 too_big;
	int base, ret;

	base = pzone_kunit_base_node();
	if (nodes_empty(pzone_reserved_nodes) || base == NUMA_NO_NODE)
		kunit_skip(test, "no pzone node ids or no base node");
	base_zone = &NODE_DATA(base)->node_zones[ZONE_NORMAL];

	pz = pzone_kunit_create(test, "kunit_rb", base, 8, 1);
	pzone_kunit_snapshot(base_zone, &before);
	blocks = pzone_nr_blocks(pz);

	/* A grow larger than the base node: refused before anything moves. */
	too_big = DIV_ROUND_UP(zone_managed_pages(base_zone), PZONE_BLOCK_PAGES);
	too_big = (too_big + blocks + 1) * PZONE_BLOCK_BYTES;
	ret = pzone_resize(pz, too_big, false, &kerr);
	KUNIT_EXPECT_EQ(test, ret, -ENOMEM);
	pzone_kunit_snapshot(base_zone, &after);
	KUNIT_EXPECT_EQ(test, pzone_nr_blocks(pz), blocks);
	KUNIT_EXPECT_EQ(test, after.present, before.present);
	KUNIT_EXPECT_EQ(test, after.managed, before.managed);

	/*
	 * A grow that passes the check but finds too few blocks: it takes
	 * some, then must give every one of them back (the error path).
	 */
	in_before = pz->blocks_in;
	pzone_kunit_hold_base(base_zone, 4, &held);
	ret = pzone_resize(pz, (blocks + 64) * PZONE_BLOCK_BYTES, false, &kerr);
	pzone_kunit_release_held(&held);
	KUNIT_EXPECT_EQ(test, ret, -ENOMEM);
	KUNIT_EXPECT_NOT_NULL(test, strstr(kerr.reason, "gave only"));
	KUNIT_EXPECT_EQ(test, pz->blocks_in, in_before);
	pzone_kunit_snapshot(base_zone, &after);
	KUNIT_EXPECT_EQ(test, pzone_nr_blocks(pz), blocks);
	KUNIT_EXPECT_EQ(test, after.present, before.present);
	KUNIT_EXPECT_EQ(test, after.managed, before.managed);
	KUNIT_EXPECT_EQ(test, READ_ONCE(pz->state), PZONE_STATE_ON);
	pzone_kunit_check_blocks(test, pz);

	/* Below the kernel reserve: refused before anything moves. */
	KUNIT_EXPECT_EQ(test, pzone_resize(pz, 0, false, &kerr), -EINVAL);
	/* Grow and shrink by free blocks: exact both ways. */
	KUNIT_EXPECT_EQ(test, pzone_resize(pz, 16 * PZONE_BLOCK_BYTES, false,
					   &kerr), 0);
	KUNIT_EXPECT_EQ(test, pzone_nr_blocks(pz), 16UL);
	KUNIT_EXPECT_EQ(test, pzone_resize(pz, 8 * PZONE_BLOCK_BYTES, false,
					   &kerr), 0);
	KUNIT_EXPECT_EQ(test, pzone_nr_blocks(pz), 8UL);
	pzone_kunit_destroy(test, pz);
	pzone_kunit_snapshot(base_zone, &after);
	KUNIT_EXPECT_EQ(test, after.present, before.present + 8 * PZONE_BLOCK_PAGES);
	KUNIT_EXPECT_EQ(test, after.managed, before.managed + 8 * PZONE_BLOCK_PAGES);
}

/*
 * A derived zone's per-CPU lists are sized like its base zone's, bounded by
 * four times its own size: larger than its own size gives, and the high
 * limits of all CPUs together stay within half of the zone.
 */
static void pzone_pcp_lists_sized_from_base_zone(struct kunit *test)
{
	struct zone *base_zone, *mz;
	struct pzone *pz;
	unsigned long managed;
	int base;

	base = pzone_kunit_base_node();
	if (nodes_empty(pzone_reserved_nodes) || base == NUMA_NO_NODE)
		kunit_skip(test, "no pzone node ids or no base node");
	base_zone = &NODE_DATA(base)->node_zones[ZONE_NORMAL];
	if (zone_managed_pages(base_zone) < SZ_1G / PAGE_SIZE)
		kunit_skip(test, "base zone smaller than 1 GiB");

	/* 160 MiB: the size whose lists made faults 7 % slower */
	pz = pzone_kunit_create(test, "kunit_pcp", base, 40, 1);
	mz = &NODE_DATA(pz->nid)->node_zones[ZONE_MOVABLE];
	managed = zone_managed_pages(mz);
	KUNIT_EXPECT_EQ(test, pzone_pcp_pages(pz->nid, managed),
			min(zone_managed_pages(base_zone), 4 * managed));
	KUNIT_EXPECT_EQ(test, pzone_pcp_pages(base, 1000), 1000UL);
	/* what the zone's own size gives: batch 7, high 1/8 of it per CPU */
	KUNIT_EXPECT_GT(test, mz->pageset_batch, 7);
	KUNIT_EXPECT_GT(test, mz->pageset_high_max,
			managed / 8 / num_online_cpus());
	KUNIT_EXPECT_LE(test, mz->pageset_high_max * num_online_cpus(),
			managed / 2);

	pzone_kunit_destroy(test, pz);
}

/* No slab page is asked of a derived node, in use or not. */
static void pzone_slab_node_is_never_derived(struct kunit *test)
{
	struct pzone *pz;
	int base, free_id = NUMA_NO_NODE, n;

	base = pzone_kunit_base_node();
	if (nodes_empty(pzone_reserved_nodes) || base == NUMA_NO_NODE)
		kunit_skip(test, "no pzone node ids or no base node");
	for_each_node_mask(n, pzone_reserved_nodes)
		if (!node_online(n) && pzone_base_node(n) == NUMA_NO_NODE) {
			free_id = n;
			break;
		}
	if (free_id == NUMA_NO_NODE)
		kunit_skip(test, "no unused pzone node id");

	/* the test runs in a kthread: not confined, ordinary nodes unchanged */
	KUNIT_EXPECT_EQ(test, pzone_slab_node(NUMA_NO_NODE), NUMA_NO_NODE);
	KUNIT_EXPECT_EQ(test, pzone_slab_node(base), NUMA_NO_NODE);
	/* an id not in use: the local memory node, never a derived one */
	KUNIT_EXPECT_EQ(test, pzone_slab_node(free_id), numa_mem_id());
	KUNIT_EXPECT_FALSE(test, pzone_is_derived_node(numa_mem_id()));

	pz = pzone_kunit_create(test, "kunit_slab", base, 2, 1);
	KUNIT_EXPECT_EQ(test, pzone_slab_node(pz->nid), base);
	pzone_kunit_destroy(test, pz);
}

/* pzone_nr_in_state() of every state, for before/after comparisons. */
static void pzone_kunit_states(unsigned int n[NR_PZONE_STATES])
{
	int i;

	for (i = 0; i < NR_PZONE_STATES; i++)
		n[i] = pzone_nr_in_state(i);
}

/*
 * A refused destroy keeps the standby (it used to free it into the node
 * first); a smaller standby moves blocks straight back; an OOM releases
 * the rest into the node.
 */
static void pzone_standby_all_or_nothing(struct kunit *test)
{
	struct pzone_kunit_counts before, after;
	struct zone *base_zone, *mz;
	unsigned long managed;
	struct pzone *pz;
	struct page *page;
	int base, ret, nid, i;

	base = pzone_kunit_base_node();
	if (nodes_empty(pzone_reserved_nodes) || base == NUMA_NO_NODE)
		kunit_skip(test, "no pzone node ids or no base node");
	base_zone = &NODE_DATA(base)->node_zones[ZONE_NORMAL];
	pzone_kunit_snapshot(base_zone, &before);

	/* no kernel reserve: a failed destroy cannot turn into a zombie */
	pz = pzone_kunit_create(test, "kunit_sb", base, 4, 0);
	mz = &NODE_DATA(pz->nid)->node_zones[ZONE_MOVABLE];
	ret = pzone_set_standby(pz, 2 * PZONE_BLOCK_BYTES, &kerr);
	KUNIT_ASSERT_EQ_MSG(test, ret, 0, "standby: %s", kerr.reason);
	KUNIT_EXPECT_EQ(test, READ_ONCE(pz->nr_standby), 2UL);
	KUNIT_EXPECT_EQ(test, pzone_nr_blocks(pz), 4UL);
	KUNIT_EXPECT_EQ(test, zone_managed_pages(mz), 4 * PZONE_BLOCK_PAGES);
	KUNIT_EXPECT_EQ(test, NODE_DATA(pz->nid)->node_present_pages,
			6 * PZONE_BLOCK_PAGES);
	managed = zone_managed_pages(base_zone);

	/* A page that cannot move: not on an LRU, referenced. */
	page = alloc_pages_node(pz->nid, GFP_HIGHUSER_MOVABLE | __GFP_THISNODE |
				__GFP_NOWARN, 0);
	KUNIT_ASSERT_NOT_NULL(test, page);
	ret = pzone_destroy(pz, PZONE_DESTROY_EVACUATE, &kerr);
	KUNIT_EXPECT_EQ(test, ret, -EBUSY);
	KUNIT_EXPECT_NE(test, kerr.reason[0], '\0');
	KUNIT_EXPECT_EQ(test, READ_ONCE(pz->state), PZONE_STATE_ON);
	KUNIT_EXPECT_EQ(test, READ_ONCE(pz->nr_standby), 2UL);
	KUNIT_EXPECT_EQ(test, pzone_nr_blocks(pz), 4UL);
	KUNIT_EXPECT_EQ(test, zone_managed_pages(mz), 4 * PZONE_BLOCK_PAGES);
	KUNIT_EXPECT_EQ(test, zone_managed_pages(base_zone), managed);
	KUNIT_EXPECT_PTR_EQ(test, rcu_access_pointer(pzone_by_nid[pz->nid]), pz);

	/* Smaller: straight back to the base node, never into the pzone. */
	ret = pzone_set_standby(pz, PZONE_BLOCK_BYTES, &kerr);
	KUNIT_EXPECT_EQ_MSG(test, ret, 0, "standby: %s", kerr.reason);
	KUNIT_EXPECT_EQ(test, READ_ONCE(pz->nr_standby), 1UL);
	KUNIT_EXPECT_EQ(test, zone_managed_pages(mz), 4 * PZONE_BLOCK_PAGES);
	KUNIT_EXPECT_EQ(test, zone_managed_pages(base_zone),
			managed + PZONE_BLOCK_PAGES);

	/* What the OOM notifier does. */
	KUNIT_EXPECT_EQ(test, pzone_release_standby(pz), 1UL);
	KUNIT_EXPECT_EQ(test, READ_ONCE(pz->nr_standby), 0UL);
	KUNIT_EXPECT_EQ(test, pzone_nr_blocks(pz), 5UL);
	KUNIT_EXPECT_EQ(test, zone_managed_pages(mz), 5 * PZONE_BLOCK_PAGES);

	/*
	 * A forced destroy (sysfs, when it cannot make the directory of a
	 * new pzone) never refuses: what cannot go now waits in a zombie.
	 */
	nid = pz->nid;
	ret = pzone_destroy(pz, PZONE_DESTROY_EVACUATE | PZONE_DESTROY_FORCE,
			    &kerr);
	KUNIT_EXPECT_EQ_MSG(test, ret, 0, "forced destroy: %s", kerr.reason);
	KUNIT_EXPECT_TRUE(test, pz->zombie);
	KUNIT_EXPECT_TRUE(test, node_online(nid));
	__free_pages(page, 0);
	pzone_kunit_reap_now(pz);
	pzone_put(pz);
	for (i = 0; i < 100 && node_online(nid); i++) {
		flush_workqueue(pzone_wq);
		msleep(20);
	}
	KUNIT_EXPECT_FALSE(test, node_online(nid));
	pzone_kunit_snapshot(base_zone, &after);
	KUNIT_EXPECT_EQ(test, after.present, before.present);
	KUNIT_EXPECT_EQ(test, after.managed, before.managed);
}

/*
 * An OOM may release the standby while a shrink collects candidates, so
 * more blocks than the pzone's size qualify.  The old code sized the array
 * by the size and wrote past it.
 */
static void pzone_collect_cands_is_bounded(struct kunit *test)
{
	struct pzone_cand *cand;
	unsigned long flags, all;
	struct pzone *pz;
	struct page *page;
	int base, ret;

	base = pzone_kunit_base_node();
	if (nodes_empty(pzone_reserved_nodes) || base == NUMA_NO_NODE)
		kunit_skip(test, "no pzone node ids or no base node");
	pz = pzone_kunit_create(test, "kunit_cand", base, 4, 0);
	ret = pzone_set_standby(pz, 2 * PZONE_BLOCK_BYTES, &kerr);
	KUNIT_ASSERT_EQ_MSG(test, ret, 0, "standby: %s", kerr.reason);
	all = pzone_nr_all_blocks(pz);
	KUNIT_EXPECT_EQ(test, all, 6UL);
	cand = kunit_kcalloc(test, all, sizeof(*cand), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, cand);

	/* The notifier's window: marks gone, nr_standby not yet seen. */
	spin_lock_irqsave(&pz->standby_lock, flags);
	list_for_each_entry(page, &pz->standby, lru)
		xa_clear_mark(&pz->blocks, pzone_block_idx(page),
			      PZONE_MARK_STANDBY);
	spin_unlock_irqrestore(&pz->standby_lock, flags);

	mutex_lock(&pz->mutex);
	KUNIT_EXPECT_EQ(test, pzone_collect_cands(pz, MAX_NR_ZONES, cand,
						  pzone_nr_blocks(pz)),
			pzone_nr_blocks(pz));
	KUNIT_EXPECT_EQ(test, pzone_collect_cands(pz, MAX_NR_ZONES, cand, all),
			all);
	mutex_unlock(&pz->mutex);

	spin_lock_irqsave(&pz->standby_lock, flags);
	list_for_each_entry(page, &pz->standby, lru)
		xa_set_mark(&pz->blocks, pzone_block_idx(page),
			    PZONE_MARK_STANDBY);
	spin_unlock_irqrestore(&pz->standby_lock, flags);
	KUNIT_EXPECT_EQ(test, pzone_set_standby(pz, 0, &kerr), 0);
	pzone_kunit_destroy(test, pz);
}

struct pzone_kunit_nb {
	struct pzone_notifier nb;
	atomic_t calls;
};

static void pzone_kunit_notify(struct pzone_notifier *nb)
{
	atomic_inc(&container_of(nb, struct pzone_kunit_nb, nb)->calls);
}

/* Events are counted, notified rate-limited, and never after NULL. */
static void pzone_events_notify_until_cleared(struct kunit *test)
{
	struct pzone_kunit_nb k = { .nb.notify = pzone_kunit_notify };
	struct pzone *pz;
	int base, i, calls;

	base = pzone_kunit_base_node();
	if (nodes_empty(pzone_reserved_nodes) || base == NUMA_NO_NODE)
		kunit_skip(test, "no pzone node ids or no base node");
	atomic_set(&k.calls, 0);
	pz = pzone_kunit_create(test, "kunit_ev", base, 2, 1);
	pzone_set_notifier(pz, &k.nb);

	pzone_kswapd_woken(pz->nid, 0);
	pzone_kswapd_woken(pz->nid, 0);	/* inside the interval: the timer */
	KUNIT_EXPECT_EQ(test, atomic_long_read(&pz->events[PZONE_EVENT_LOW]), 2L);
	for (i = 0; i < 100 && atomic_read(&k.calls) < 2; i++)
		msleep(20);
	KUNIT_EXPECT_EQ(test, atomic_read(&k.calls), 2);

	/* Arm the timer again, then take the notifier away before it fires. */
	msleep(20);
	pzone_kswapd_woken(pz->nid, MAX_RECLAIM_RETRIES);
	KUNIT_EXPECT_TRUE(test, timer_pending(&pz->notify_timer));
	pzone_set_notifier(pz, NULL);
	calls = atomic_read(&k.calls);
	KUNIT_EXPECT_FALSE(test, timer_pending(&pz->notify_timer));
	pzone_kswapd_woken(pz->nid, 0);
	msleep(50);
	KUNIT_EXPECT_EQ(test, atomic_read(&k.calls), calls);
	KUNIT_EXPECT_EQ(test,
			atomic_long_read(&pz->events[PZONE_EVENT_RECLAIM_FAILING]),
			1L);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&pz->events[PZONE_EVENT_LOW]), 4L);
	pzone_kunit_destroy(test, pz);
}

/*
 * A zombie adopted, destroyed and released while its reaper has started
 * but not yet locked it: the reaper's own reference keeps it alive, and it
 * is freed exactly once, by the reaper.  The old code freed it under the
 * worker (use-after-free, seen by KASAN).
 */
static void pzone_reap_survives_adoption(struct kunit *test)
{
	unsigned int states[NR_PZONE_STATES], now[NR_PZONE_STATES];
	struct pzone *pz, *pz2;
	nodemask_t draining;
	struct page *page;
	int base, nid, i, ret;

	base = pzone_kunit_base_node();
	if (nodes_empty(pzone_reserved_nodes) || base == NUMA_NO_NODE)
		kunit_skip(test, "no pzone node ids or no base node");
	pzone_kunit_states(states);
	pz = pzone_kunit_create(test, "kunit_zmb", base, 2, 1);
	nid = pz->nid;
	/* A kernel page in the reserve: destroy leaves a zombie. */
	page = alloc_pages_node(nid, GFP_KERNEL | __GFP_THISNODE | __GFP_NOWARN,
				0);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_ASSERT_EQ(test, page_zonenum(page), ZONE_NORMAL);
	ret = pzone_destroy(pz, 0, &kerr);
	KUNIT_ASSERT_EQ_MSG(test, ret, 0, "destroy: %s", kerr.reason);
	KUNIT_EXPECT_TRUE(test, pz->zombie);
	pzone_draining_nodes(&draining);
	KUNIT_EXPECT_TRUE(test, node_isset(nid, draining));
	KUNIT_EXPECT_NULL(test, pzone_get_by_name("kunit_zmb"));
	pzone_put(pz);		/* the creator's; the zombie's remains */
	__free_pages(page, 0);

	/* Start the reaper now and hold it before it locks the zombie. */
	WRITE_ONCE(pzone_reap_test_delay_ms, 2000);
	pzone_kunit_reap_now(pz);
	for (i = 0; i < 200 && !(work_busy(&pz->reap_work.work) &
				 WORK_BUSY_RUNNING); i++)
		msleep(20);
	KUNIT_EXPECT_TRUE(test, work_busy(&pz->reap_work.work) &
			  WORK_BUSY_RUNNING);

	pz2 = pzone_kunit_create(test, "kunit_adopt", base, 2, 1);
	KUNIT_EXPECT_PTR_EQ(test, pz2, pz);
	KUNIT_EXPECT_EQ(test, pz2->nid, nid);
	pzone_kunit_destroy(test, pz2);	/* may free only after the reaper */

	WRITE_ONCE(pzone_reap_test_delay_ms, 0);
	flush_workqueue(pzone_wq);
	KUNIT_EXPECT_FALSE(test, node_online(nid));
	pzone_draining_nodes(&draining);
	KUNIT_EXPECT_FALSE(test, node_isset(nid, draining));
	pzone_kunit_states(now);
	for (i = 0; i < NR_PZONE_STATES; i++)
		KUNIT_EXPECT_EQ_MSG(test, now[i], states[i], "state %s",
				    pzone_state_name(i));
}

/*
 * The OOM notifier, for an allocation confined to the pzone: the standby
 * goes into the node and counts as freed; with none left, the OOM goes on
 * to kill.  Tasks not confined to one pzone are left alone.
 */
static void pzone_oom_releases_standby(struct kunit *test)
{
	nodemask_t saved = current->mems_allowed, only;
	unsigned long freed = 0;
	struct pzone *pz;
	int base, ret;

	base = pzone_kunit_base_node();
	if (nodes_empty(pzone_reserved_nodes) || base == NUMA_NO_NODE)
		kunit_skip(test, "no pzone node ids or no base node");
	pz = pzone_kunit_create(test, "kunit_oom", base, 2, 1);
	ret = pzone_set_standby(pz, 2 * PZONE_BLOCK_BYTES, &kerr);
	KUNIT_ASSERT_EQ_MSG(test, ret, 0, "standby: %s", kerr.reason);

	/* not confined: nothing happens */
	pzone_oom_notify(NULL, 0, &freed);
	KUNIT_EXPECT_EQ(test, freed, 0UL);
	KUNIT_EXPECT_EQ(test, READ_ONCE(pz->nr_standby), 2UL);

	nodes_clear(only);
	node_set(pz->nid, only);
	set_mems_allowed(only);
	pzone_oom_notify(NULL, 0, &freed);
	KUNIT_EXPECT_EQ(test, freed, 2 * PZONE_BLOCK_PAGES);
	pzone_oom_notify(NULL, 0, &freed);
	set_mems_allowed(saved);
	KUNIT_EXPECT_EQ(test, freed, 2 * PZONE_BLOCK_PAGES);
	KUNIT_EXPECT_EQ(test, READ_ONCE(pz->nr_standby), 0UL);
	KUNIT_EXPECT_EQ(test, pzone_nr_blocks(pz), 4UL);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&pz->events[PZONE_EVENT_OOM]), 2L);
	KUNIT_EXPECT_EQ(test,
			atomic_long_read(&pz->events[PZONE_EVENT_STANDBY_USED]), 1L);
	KUNIT_EXPECT_EQ(test,
			atomic_long_read(&pz->events[PZONE_EVENT_OOM_KILL]), 1L);
	pzone_kunit_destroy(test, pz);
}

/* The first online ordinary node with ZONE_DMA32 memory, or NUMA_NO_NODE. */
static int pzone_kunit_dma32_node(void)
{
#ifdef CONFIG_ZONE_DMA32
	int nid;

	for_each_online_node(nid)
		if (!pzone_is_derived_node(nid) &&
		    populated_zone(&NODE_DATA(nid)->node_zones[ZONE_DMA32]))
			return nid;
#endif
	return NUMA_NO_NODE;
}

/*
 * A range pzone below 2^31 made of ZONE_DMA32 blocks, all of it kernel
 * reserve: every page a driver allocates through the API, with GFP_KERNEL
 * or movable, lies below 2^31, and the blocks go back to ZONE_DMA32.
 */
static void pzone_range_pool_is_below_2g(struct kunit *test)
{
	const unsigned long nr = 8, limit = PHYS_PFN(SZ_2G);
	struct pzone_range range = { .start = 0, .end = SZ_2G };
	unsigned long dma32_before, i, n = 0, bad = 0;
	struct pzone *pz = NULL, *found;
	struct page *page;
	LIST_HEAD(pages);
	struct zone *zone;
	int base, ret;

	if (nodes_empty(pzone_reserved_nodes))
		kunit_skip(test, "booted without pzone_nodes=");
	base = pzone_kunit_dma32_node();
	if (base == NUMA_NO_NODE)
		kunit_skip(test, "no node with ZONE_DMA32");
	zone = &NODE_DATA(base)->node_zones[ZONE_DMA32];
	if (zone->zone_start_pfn >= limit)
		kunit_skip(test, "ZONE_DMA32 of node %d starts above 2 GiB", base);
	dma32_before = zone_managed_pages(zone);

	ret = pzone_create_range("kunit_rng", base, nr * PZONE_BLOCK_BYTES,
				 nr * PZONE_BLOCK_BYTES, &range, &pz, &kerr);
	KUNIT_ASSERT_EQ_MSG(test, ret, 0, "create: %s", kerr.reason);
	KUNIT_EXPECT_EQ(test, zone_managed_pages(zone),
			dma32_before - nr * PZONE_BLOCK_PAGES);
	found = pzone_get_by_name("kunit_rng");
	KUNIT_ASSERT_PTR_EQ(test, found, pz);
	KUNIT_EXPECT_EQ(test, pzone_nid(found), pz->nid);
	KUNIT_EXPECT_EQ(test, pz->nr_blocks[ZONE_NORMAL], nr);

	/* All of it, order 0 and order 3, through the API. */
	for (i = 0; i < nr * PZONE_BLOCK_PAGES; i++) {
		page = pzone_alloc_pages(found, GFP_KERNEL | __GFP_NOWARN | __GFP_NORETRY,
					 i & 1 ? 3 : 0);
		if (!page)
			break;
		n += 1UL << (i & 1 ? 3 : 0);
		if (page_to_pfn(page) + (1UL << (i & 1 ? 3 : 0)) > limit ||
		    page_to_nid(page) != pz->nid)
			bad++;
		set_page_private(page, i & 1 ? 3 : 0);
		list_add(&page->lru, &pages);
	}
	kunit_info(test, "%lu pages from node %d, %lu outside it or above 2 GiB\n",
		   n, pz->nid, bad);
	KUNIT_EXPECT_GT(test, n, (nr - 1) * PZONE_BLOCK_PAGES);
	KUNIT_EXPECT_EQ(test, bad, 0UL);
	while (!list_empty(&pages)) {
		page = list_first_entry(&pages, struct page, lru);
		list_del(&page->lru);
		i = page_private(page);
		set_page_private(page, 0);
		__free_pages(page, i);
	}
	pzone_put(found);

	pzone_kunit_destroy(test, pz);
	KUNIT_EXPECT_EQ(test, zone_managed_pages(zone), dma32_before);
}

/* Bad ranges are refused with a reason before anything changes. */
static void pzone_range_check_rejects(struct kunit *test)
{
	unsigned long start, end;
	struct pzone_range r;
	int base;

	base = pzone_kunit_dma32_node();
	if (base == NUMA_NO_NODE)
		kunit_skip(test, "no node with ZONE_DMA32");
	r = (struct pzone_range){ .start = SZ_1G, .end = SZ_1G };
	KUNIT_EXPECT_EQ(test, pzone_range_check(base, 1, &r, &start, &end, &kerr),
			-EINVAL);
	KUNIT_EXPECT_NOT_NULL(test, strstr(kerr.reason, "not above its start"));
	r = (struct pzone_range){
		.start = PFN_PHYS(node_end_pfn(base)),
		.end = PFN_PHYS(node_end_pfn(base)) + SZ_1G,
	};
	KUNIT_EXPECT_EQ(test, pzone_range_check(base, 1, &r, &start, &end, &kerr),
			-EINVAL);
	KUNIT_EXPECT_NOT_NULL(test, strstr(kerr.reason, "outside base node"));
	/* 4 MiB not block aligned holds no whole block */
	r = (struct pzone_range){ .start = SZ_1G + SZ_2M, .end = SZ_1G + SZ_4M + SZ_2M };
	KUNIT_EXPECT_EQ(test, pzone_range_check(base, 1, &r, &start, &end, &kerr),
			-EINVAL);
	KUNIT_EXPECT_NOT_NULL(test, strstr(kerr.reason, "0 whole 4 MiB blocks"));
	/* ZONE_DMA (the first 16 MiB on x86) never counts */
	if (IS_ENABLED(CONFIG_ZONE_DMA) &&
	    populated_zone(&NODE_DATA(base)->node_zones[0]) &&
	    zone_end_pfn(&NODE_DATA(base)->node_zones[0]) >= PHYS_PFN(SZ_16M)) {
		r = (struct pzone_range){ .start = 0, .end = SZ_16M };
		KUNIT_EXPECT_EQ(test, pzone_range_check(base, 1, &r, &start,
							&end, &kerr), -EINVAL);
	}
	r = (struct pzone_range){ .start = SZ_1G - 1, .end = SZ_1G + SZ_8M + 1 };
	KUNIT_EXPECT_EQ(test, pzone_range_check(base, 2, &r, &start, &end, &kerr), 0);
	KUNIT_EXPECT_EQ(test, start, PHYS_PFN(SZ_1G));
	KUNIT_EXPECT_EQ(test, end, PHYS_PFN(SZ_1G + SZ_8M));
}

/*
 * A pool's binding id lives in mapping->flags above the AS_* flags: setting
 * and clearing it keeps every AS_* bit and the folio order range, and the
 * flags' other users see them unchanged.
 */
static void pzone_mapping_dir_keeps_as_flags(struct kunit *test)
{
	struct address_space *mapping;
	unsigned long low;

	mapping = kunit_kzalloc(test, sizeof(*mapping), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, mapping);
	set_bit(AS_EIO, &mapping->flags);
	set_bit(AS_UNEVICTABLE, &mapping->flags);
	mapping_set_folio_order_range(mapping, 2, 5);
	low = mapping->flags;
	KUNIT_EXPECT_EQ(test, pzone_mapping_dir(mapping), 0U);

	pzone_mapping_set_dir(mapping, 0xfffffffeU);
	KUNIT_EXPECT_EQ(test, pzone_mapping_dir(mapping), 0xfffffffeU);
	KUNIT_EXPECT_EQ(test, mapping->flags & GENMASK(PZONE_AS_DIR_SHIFT - 1, 0),
			low);
	KUNIT_EXPECT_TRUE(test, test_bit(AS_EIO, &mapping->flags));
	KUNIT_EXPECT_TRUE(test, mapping_unevictable(mapping));
	KUNIT_EXPECT_EQ(test, mapping_min_folio_order(mapping), 2U);
	KUNIT_EXPECT_EQ(test, mapping_max_folio_order(mapping), 5U);

	clear_bit(AS_EIO, &mapping->flags);
	KUNIT_EXPECT_EQ(test, pzone_mapping_dir(mapping), 0xfffffffeU);
	pzone_mapping_set_dir(mapping, 7);
	KUNIT_EXPECT_EQ(test, pzone_mapping_dir(mapping), 7U);
	pzone_mapping_set_dir(mapping, 0);
	KUNIT_EXPECT_EQ(test, pzone_mapping_dir(mapping), 0U);
	KUNIT_EXPECT_EQ(test, mapping->flags, low & ~BIT(AS_EIO));
}

static struct kunit_case pzone_test_cases[] = {
	KUNIT_CASE(pzone_reserve_node_ids_above_firmware_nodes),
	KUNIT_CASE(pzone_node_distance_sorts_derived_last),
	KUNIT_CASE(pzone_create_rejects_bad_params),
	KUNIT_CASE(pzone_create_moves_blocks_and_destroy_restores),
	KUNIT_CASE(pzone_headroom_ok_keeps_high_wmark),
	KUNIT_CASE(pzone_block_score_orders_candidates),
	KUNIT_CASE(pzone_resize_rolls_back_on_failure),
	KUNIT_CASE(pzone_pcp_lists_sized_from_base_zone),
	KUNIT_CASE(pzone_slab_node_is_never_derived),
	KUNIT_CASE(pzone_node_distance_is_symmetric),
	KUNIT_CASE(pzone_standby_all_or_nothing),
	KUNIT_CASE(pzone_collect_cands_is_bounded),
	KUNIT_CASE(pzone_events_notify_until_cleared),
	KUNIT_CASE(pzone_reap_survives_adoption),
	KUNIT_CASE(pzone_oom_releases_standby),
	KUNIT_CASE(pzone_range_pool_is_below_2g),
	KUNIT_CASE(pzone_range_check_rejects),
	KUNIT_CASE(pzone_mapping_dir_keeps_as_flags),
	{}
};

static struct kunit_suite pzone_test_suite = {
	.name = "pzone",
	.test_cases = pzone_test_cases,
};

kunit_test_suite(pzone_test_suite);
