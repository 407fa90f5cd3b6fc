// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for pzone: node id reservation, the distance function and the
 * block move invariants.  Included from mm/pzone.c, so it sees its statics.
 * Needs a boot with pzone_nodes= of at least 1 and a node with ZONE_NORMAL.
 */
#include <kunit/test.h>
#include <linux/device.h>

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
		KUNIT_EXPECT_EQ(test, node_distance(x, d), pzone_distance);
		KUNIT_EXPECT_EQ(test, node_distance(d, x), pzone_distance);
	}

	/* While in use, d sees the others as its base does. */
	x = first_node(node_states[N_MEMORY]);
	saved = pzone_base[d];
	pzone_base[d] = x;
	KUNIT_EXPECT_EQ(test, node_distance(d, x), LOCAL_DISTANCE + 1);
	KUNIT_EXPECT_EQ(test, node_distance(x, d), pzone_distance);
	for_each_node_state(y, N_MEMORY)
		if (y != x && !pzone_is_derived_node(y))
			KUNIT_EXPECT_EQ(test, node_distance(d, y),
					node_distance(x, y));
	pzone_base[d] = saved;
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
	struct pzone *pz = NULL;
	struct page *page;
	int base, d, last = NUMA_NO_NODE, ret;

	if (nodes_empty(pzone_reserved_nodes))
		kunit_skip(test, "booted without pzone_nodes=");
	base = pzone_kunit_base_node();
	if (base == NUMA_NO_NODE)
		kunit_skip(test, "no node with ZONE_NORMAL");
	base_zone = &NODE_DATA(base)->node_zones[ZONE_NORMAL];
	pzone_kunit_snapshot(base_zone, &before);

	lock_device_hotplug();
	ret = pzone_create("kunit", base, nr * PZONE_BLOCK_BYTES,
			   nr_kernel * PZONE_BLOCK_BYTES, &pz);
	unlock_device_hotplug();
	KUNIT_ASSERT_EQ(test, ret, 0);
	d = pz->nid;

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

	lock_device_hotplug();
	ret = pzone_destroy(pz, false);
	unlock_device_hotplug();
	KUNIT_ASSERT_EQ(test, ret, 0);
	pzone_free(pz);

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
	struct pzone *pz = NULL;
	int base = pzone_kunit_base_node();

	if (nodes_empty(pzone_reserved_nodes) || base == NUMA_NO_NODE)
		kunit_skip(test, "no pzone node ids or no base node");

	lock_device_hotplug();
	KUNIT_EXPECT_EQ(test, pzone_create("Bad", base, PZONE_BLOCK_BYTES, 0, &pz),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, pzone_create("k", base, 0, 0, &pz), -EINVAL);
	KUNIT_EXPECT_EQ(test, pzone_create("k", base, PZONE_BLOCK_BYTES + 1, 0,
					   &pz), -EINVAL);
	KUNIT_EXPECT_EQ(test, pzone_create("k", base, PZONE_BLOCK_BYTES,
					   2 * PZONE_BLOCK_BYTES, &pz), -EINVAL);
	KUNIT_EXPECT_EQ(test, pzone_create("k", MAX_NUMNODES, PZONE_BLOCK_BYTES,
					   0, &pz), -EINVAL);
	KUNIT_EXPECT_EQ(test, pzone_create("k", first_node(pzone_reserved_nodes),
					   PZONE_BLOCK_BYTES, 0, &pz), -EINVAL);
	unlock_device_hotplug();
	KUNIT_EXPECT_NULL(test, pz);
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

static void pzone_resize_rolls_back_on_failure(struct kunit *test)
{
	struct pzone_kunit_counts before, after;
	struct zone *base_zone;
	struct pzone *pz = NULL;
	unsigned long blocks;
	u64 too_big;
	int base, ret;

	base = pzone_kunit_base_node();
	if (nodes_empty(pzone_reserved_nodes) || base == NUMA_NO_NODE)
		kunit_skip(test, "no pzone node ids or no base node");
	base_zone = &NODE_DATA(base)->node_zones[ZONE_NORMAL];

	lock_device_hotplug();
	ret = pzone_create("kunit_rb", base, 8 * PZONE_BLOCK_BYTES,
			   PZONE_BLOCK_BYTES, &pz);
	unlock_device_hotplug();
	KUNIT_ASSERT_EQ(test, ret, 0);
	pzone_kunit_snapshot(base_zone, &before);
	blocks = pzone_nr_blocks(pz);

	/* A grow the base node cannot give: nothing may change. */
	too_big = DIV_ROUND_UP(zone_managed_pages(base_zone), PZONE_BLOCK_PAGES);
	too_big = (too_big + blocks + 1) * PZONE_BLOCK_BYTES;
	lock_device_hotplug();
	ret = pzone_resize(pz, too_big, false);
	unlock_device_hotplug();
	KUNIT_EXPECT_EQ(test, ret, -ENOMEM);
	pzone_kunit_snapshot(base_zone, &after);
	KUNIT_EXPECT_EQ(test, pzone_nr_blocks(pz), blocks);
	KUNIT_EXPECT_EQ(test, after.present, before.present);
	KUNIT_EXPECT_EQ(test, after.managed, before.managed);
	pzone_kunit_check_blocks(test, pz);

	/* Below the kernel reserve: refused before anything moves. */
	lock_device_hotplug();
	KUNIT_EXPECT_EQ(test, pzone_resize(pz, 0, false), -EINVAL);
	/* Grow and shrink by free blocks: exact both ways. */
	KUNIT_EXPECT_EQ(test, pzone_resize(pz, 16 * PZONE_BLOCK_BYTES, false), 0);
	KUNIT_EXPECT_EQ(test, pzone_nr_blocks(pz), 16UL);
	KUNIT_EXPECT_EQ(test, pzone_resize(pz, 8 * PZONE_BLOCK_BYTES, false), 0);
	KUNIT_EXPECT_EQ(test, pzone_nr_blocks(pz), 8UL);
	ret = pzone_destroy(pz, false);
	unlock_device_hotplug();
	KUNIT_ASSERT_EQ(test, ret, 0);
	pzone_free(pz);
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
	struct pzone *pz = NULL;
	unsigned long managed;
	int base, ret;

	base = pzone_kunit_base_node();
	if (nodes_empty(pzone_reserved_nodes) || base == NUMA_NO_NODE)
		kunit_skip(test, "no pzone node ids or no base node");
	base_zone = &NODE_DATA(base)->node_zones[ZONE_NORMAL];
	if (zone_managed_pages(base_zone) < SZ_1G / PAGE_SIZE)
		kunit_skip(test, "base zone smaller than 1 GiB");

	/* 160 MiB: the size whose lists made faults 7 % slower */
	lock_device_hotplug();
	ret = pzone_create("kunit_pcp", base, 40 * PZONE_BLOCK_BYTES,
			   PZONE_BLOCK_BYTES, &pz);
	unlock_device_hotplug();
	KUNIT_ASSERT_EQ(test, ret, 0);
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

	lock_device_hotplug();
	ret = pzone_destroy(pz, false);
	unlock_device_hotplug();
	KUNIT_ASSERT_EQ(test, ret, 0);
	pzone_free(pz);
}

/* No slab page is asked of a derived node, in use or not. */
static void pzone_slab_node_is_never_derived(struct kunit *test)
{
	struct pzone *pz = NULL;
	int base, free_id = NUMA_NO_NODE, n, ret;

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

	lock_device_hotplug();
	ret = pzone_create("kunit_slab", base, 2 * PZONE_BLOCK_BYTES,
			   PZONE_BLOCK_BYTES, &pz);
	unlock_device_hotplug();
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, pzone_slab_node(pz->nid), base);
	lock_device_hotplug();
	ret = pzone_destroy(pz, false);
	unlock_device_hotplug();
	KUNIT_ASSERT_EQ(test, ret, 0);
	pzone_free(pz);
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
	{}
};

static struct kunit_suite pzone_test_suite = {
	.name = "pzone",
	.test_cases = pzone_test_cases,
};

kunit_test_suite(pzone_test_suite);
