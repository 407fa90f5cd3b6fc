// SPDX-License-Identifier: GPL-2.0
/*
 * pzone: derived memory nodes for containers.
 *
 * A pzone is a memory-only NUMA node id reserved at boot (pzone_nodes=K) and
 * brought online at runtime.  Its memory is MAX_ORDER blocks moved out of the
 * ZONE_NORMAL of a base node: a block is owned as one compound page, its
 * pages are relinked to the derived node's zone (ZONE_NORMAL for the kernel
 * reserve, ZONE_MOVABLE for the rest), the span, present and managed counts
 * move with it, and it is freed into the derived node's buddy allocator.
 * Buddies never merge across a MAX_ORDER boundary or a zone, so a block can
 * change zone without touching its neighbours.  Moving a block back is the
 * same operation with the roles swapped.
 *
 * Lock order: device_hotplug_lock -> pzone_mutex -> mem_hotplug_lock ->
 * zone->lock.
 */

#define pr_fmt(fmt) "pzone: " fmt

#include <linux/cpuset.h>
#include <linux/gfp.h>
#include <linux/list.h>
#include <linux/memory.h>
#include <linux/memory_hotplug.h>
#include <linux/mempolicy.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/mutex.h>
#include <linux/node.h>
#include <linux/oom.h>
#include <linux/ioport.h>
#include <linux/jump_label.h>
#include <linux/nodemask.h>
#include <linux/page-isolation.h>
#include <linux/pzone.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/spinlock.h>
#include <linux/swap.h>
#include <linux/timer.h>
#include <linux/workqueue.h>
#include <linux/writeback.h>
#include <linux/xarray.h>
#include <linux/compaction.h>

#include "internal.h"

#define PZONE_BLOCK_ORDER	MAX_PAGE_ORDER
#define PZONE_BLOCK_PAGES	BIT(PZONE_BLOCK_ORDER)
#define PZONE_BLOCK_BYTES	(PZONE_BLOCK_PAGES << PAGE_SHIFT)
#define PZONE_DEFAULT_DISTANCE	250

/* Taking a block from the base node: any free block, no OOM, no warning. */
#define PZONE_GFP_BASE	(GFP_HIGHUSER_MOVABLE | __GFP_THISNODE | __GFP_COMP | \
			 __GFP_NORETRY | __GFP_NOWARN)
/*
 * Taking a free block back from a derived node.  Every page of the node is
 * ours, so the watermarks do not apply; no reclaim, no compaction.
 */
#define PZONE_GFP_OWN	(__GFP_HIGHMEM | __GFP_MOVABLE | __GFP_THISNODE | \
			 __GFP_COMP | __GFP_NOWARN | __GFP_MEMALLOC)
/* Emptying a block that holds pages in use. */
#define PZONE_GFP_EVACUATE	(GFP_KERNEL | __GFP_COMP | __GFP_NOWARN)

/**
 * struct pzone - A derived node and the blocks it holds.
 * @list:	Entry in pzone_list.
 * @name:	Name given at creation.
 * @nid:	Derived node id.
 * @base_nid:	Node the blocks come from and return to.
 * @state:	Lifecycle state; changed under pzone_mutex.
 * @blocks:	Block index (pfn >> PZONE_BLOCK_ORDER) to xa_mk_value() of the
 *		base zone index the block came from.  Changed under pzone_mutex.
 * @nr_blocks:	Blocks in the derived node's ZONE_NORMAL and ZONE_MOVABLE.
 * @lock:	Protects @last_error and the counters below for lockless readers.
 * @blocks_in:	Blocks moved in since creation.
 * @blocks_out:	Blocks moved out since creation.
 * @blocks_evacuated:	Blocks emptied by migrating their pages.
 * @blocks_failed:	Blocks that could not be emptied.
 * @nr_reason:	Pages found in blocks that could not be emptied, by kind.
 * @last_error:	Reason of the last failed operation on this pzone, or "".
 * @reap_work:	Retries giving back a destroyed pzone's kernel reserve.
 * @reap_delay:	Current retry interval of @reap_work, in jiffies.
 * @zombie:	Destroyed, but its kernel reserve still holds pages in use;
 *		on pzone_zombies and owned by @reap_work.  Under pzone_mutex.
 * @released:	pzone_free() was called while @zombie.  Under pzone_mutex.
 * @events:	Event counters, see enum pzone_event.
 * @events_kn:	The sysfs "events" file, notified when @events change.
 * @last_notify: jiffies of the last notification, for rate limiting.
 * @notify_timer: Sends the notification that rate limiting held back.
 * @standby_lock: Protects @standby and @nr_standby; taken with irqs off.
 * @standby:	Blocks moved in but held out of the buddy allocator, released
 *		when an allocation confined to the node is about to OOM.
 * @nr_standby:	Number of blocks on @standby; they count in @nr_blocks.
 */
struct pzone {
	struct list_head list;
	char name[PZONE_NAME_MAX + 1];
	int nid;
	int base_nid;
	enum pzone_state state;
	struct xarray blocks;
	unsigned long nr_blocks[MAX_NR_ZONES];
	spinlock_t lock;	/* @last_error and the counters; no nesting */
	unsigned long blocks_in;
	unsigned long blocks_out;
	unsigned long blocks_evacuated;
	unsigned long blocks_failed;
	unsigned long nr_reason[NR_PZONE_REASONS];
	char last_error[PZONE_ERR_LEN];
	struct delayed_work reap_work;
	unsigned long reap_delay;
	bool zombie;
	bool released;
	atomic_long_t events[NR_PZONE_EVENTS];
	struct kernfs_node *events_kn;
	unsigned long last_notify;
	struct timer_list notify_timer;
	spinlock_t standby_lock;	/* @standby, @nr_standby; irq-safe */
	struct list_head standby;
	unsigned long nr_standby;
};

static const char * const pzone_event_names[] = {
	[PZONE_EVENT_LOW]		= "low",
	[PZONE_EVENT_RECLAIM_FAILING]	= "reclaim_failing",
	[PZONE_EVENT_OOM]		= "oom",
	[PZONE_EVENT_OOM_KILL]		= "oom_kill",
	[PZONE_EVENT_STANDBY_USED]	= "standby_used",
};

static_assert(ARRAY_SIZE(pzone_event_names) == NR_PZONE_EVENTS);

/*
 * The pzone of each derived node in use, for the hooks that run in any
 * context (kswapd wakeup, OOM).  Set when a pzone is on; cleared, followed
 * by synchronize_rcu(), before it goes away.  Written under pzone_mutex.
 */
static struct pzone __rcu *pzone_by_nid[MAX_NUMNODES];

static const char * const pzone_reason_names[] = {
	[PZONE_REASON_BUDDY]	= "buddy",
	[PZONE_REASON_LRU]	= "lru",
	[PZONE_REASON_SLAB]	= "slab",
	[PZONE_REASON_PINNED]	= "pinned",
	[PZONE_REASON_OTHER]	= "other",
};

static_assert(ARRAY_SIZE(pzone_reason_names) == NR_PZONE_REASONS);

/*
 * pzone_mutex serialises every change of a pzone: create, resize, destroy,
 * and the registry.  Holding it guarantees that no block moves.  It is held
 * across memory hotplug calls, migration and reclaim, so it must never be
 * taken from a memory notifier or the allocator.  Order: device_hotplug_lock
 * -> pzone_mutex -> mem_hotplug_lock.
 */
static DEFINE_MUTEX(pzone_mutex);
static LIST_HEAD(pzone_list);
/* Destroyed pzones whose node waits for its kernel reserve; pzone_mutex. */
static LIST_HEAD(pzone_zombies);
/* Reason of the last failed create or destroy; under pzone_err_lock. */
static DEFINE_SPINLOCK(pzone_err_lock);
static char pzone_err[PZONE_ERR_LEN];

nodemask_t pzone_reserved_nodes __read_mostly;

/* Enabled while at least one derived node is online; see pzone_active(). */
DEFINE_STATIC_KEY_FALSE(pzone_active_key);
static unsigned int pzone_nr_nodes __initdata = CONFIG_PZONE_DEFAULT_NODES;
static int pzone_distance __read_mostly = PZONE_DEFAULT_DISTANCE;
/* Base node of each derived node in use, NUMA_NO_NODE otherwise. */
static int pzone_base[MAX_NUMNODES] __read_mostly = {
	[0 ... MAX_NUMNODES - 1] = NUMA_NO_NODE
};

static void pzone_reap_workfn(struct work_struct *work);
static void pzone_zombie_locked(struct pzone *pz);
static struct pzone *pzone_adopt_zombie_locked(const char *name, int base_nid,
					       unsigned long nr_kernel);
static unsigned long pzone_release_standby(struct pzone *pz);

static const char * const pzone_state_names[] = {
	[PZONE_STATE_STARTING]	= "starting",
	[PZONE_STATE_ON]	= "on",
	[PZONE_STATE_RESIZING]	= "resizing",
	[PZONE_STATE_DRAINING]	= "draining",
	[PZONE_STATE_BROKEN]	= "broken",
};

static_assert(ARRAY_SIZE(pzone_state_names) == NR_PZONE_STATES);

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
	if (d <= REMOTE_DISTANCE || d > 254)
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
 * Every node reaches a derived node at pzone_distance, so derived nodes sort
 * last in every fallback list.  A derived node in use sees the other nodes
 * as its base node does, its base node just after itself.
 *
 * Context: Any context.
 * Return: the distance.
 */
int pzone_node_distance(int from, int to)
{
	int base, d;

	if (from == to)
		return LOCAL_DISTANCE;
	if (pzone_is_derived_node(to))
		return pzone_distance;
	base = READ_ONCE(pzone_base[from]);
	if (base == NUMA_NO_NODE)
		return pzone_distance;
	d = __node_distance(base, to);
	return d == LOCAL_DISTANCE ? LOCAL_DISTANCE + 1 : d;
}

/* Nodes with memory that are not derived: the ones a container escapes to. */
static void pzone_ordinary_nodes(nodemask_t *mask)
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

/* Pollers of an events file are woken at most this often. */
#define PZONE_NOTIFY_MS		10

/*
 * Count @ev for @pz and wake pollers of its events file, at most every
 * PZONE_NOTIFY_MS.  A change inside the interval is not lost: the timer
 * wakes them when the interval ends.  Callers are in an RCU read-side
 * section (pzone_by_nid), so pzone_set_events_kn() can wait for them.
 */
static void pzone_event(struct pzone *pz, enum pzone_event ev)
{
	struct kernfs_node *kn = READ_ONCE(pz->events_kn);
	unsigned long last = READ_ONCE(pz->last_notify);
	unsigned long next = last + msecs_to_jiffies(PZONE_NOTIFY_MS);

	atomic_long_inc(&pz->events[ev]);
	if (!kn)
		return;
	if (time_after(jiffies, next) &&
	    cmpxchg(&pz->last_notify, last, jiffies) == last) {
		kernfs_notify(kn);
		return;
	}
	if (!timer_pending(&pz->notify_timer))
		mod_timer(&pz->notify_timer, next + 1);
}

static void pzone_notify_timer_fn(struct timer_list *t)
{
	struct pzone *pz = from_timer(pz, t, notify_timer);
	struct kernfs_node *kn = READ_ONCE(pz->events_kn);

	if (!kn)
		return;
	WRITE_ONCE(pz->last_notify, jiffies);
	kernfs_notify(kn);
}

/**
 * pzone_kswapd_woken() - Note that the kswapd of a derived node was woken.
 * @nid: the node, a derived one.
 * @failures: pgdat->kswapd_failures of the node.
 *
 * Counts a "low" event, and a "reclaim_failing" one if kswapd gave up on the
 * node, and wakes the daemon.  Called from wakeup_kswapd(), in the slow path
 * of the page allocator.
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

/*
 * Before the OOM killer picks a victim for an allocation confined to one
 * pzone, release that pzone's standby blocks instead, if it has any.  The
 * chain runs for every OOM that is not a memcg OOM, in the allocating task.
 */
static int pzone_oom_notify(struct notifier_block *nb, unsigned long unused,
			    void *parm)
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

static struct notifier_block pzone_oom_nb = {
	.notifier_call = pzone_oom_notify,
};

static int __init pzone_init(void)
{
	if (nodes_empty(pzone_reserved_nodes))
		return 0;
	return register_oom_notifier(&pzone_oom_nb);
}
subsys_initcall(pzone_init);

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

/**
 * pzone_set_events_kn() - Tell a pzone which sysfs file to notify.
 * @pz: the pzone.
 * @kn: the events file, or NULL.  The caller keeps its reference until
 *	pzone_destroy() returned 0 or until it sets NULL here.
 *
 * Context: Process context; takes pzone_mutex.
 */
void pzone_set_events_kn(struct pzone *pz, struct kernfs_node *kn)
{
	mutex_lock(&pzone_mutex);
	WRITE_ONCE(pz->events_kn, kn);
	mutex_unlock(&pzone_mutex);
	synchronize_rcu();
	/* no pzone_event() sees the old file now; nor may the timer */
	if (!kn)
		timer_delete_sync(&pz->notify_timer);
}

/* Publish or hide @pz for the hooks.  Caller holds pzone_mutex. */
static void pzone_publish_locked(struct pzone *pz, bool on)
{
	lockdep_assert_held(&pzone_mutex);

	if (on) {
		rcu_assign_pointer(pzone_by_nid[pz->nid], pz);
		return;
	}
	RCU_INIT_POINTER(pzone_by_nid[pz->nid], NULL);
	synchronize_rcu();
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
 * pzone_set_last_error() - Record why the last create or destroy failed.
 * @fmt: printf format of a one-line reason.
 *
 * Context: Any context.
 */
void pzone_set_last_error(const char *fmt, ...)
{
	va_list args;

	spin_lock(&pzone_err_lock);
	va_start(args, fmt);
	vscnprintf(pzone_err, sizeof(pzone_err), fmt, args);
	va_end(args);
	spin_unlock(&pzone_err_lock);
}

/**
 * pzone_last_error() - Copy the reason of the last failed create or destroy.
 * @buf: destination.
 * @len: size of @buf.
 *
 * Context: Any context.
 */
void pzone_last_error(char *buf, size_t len)
{
	spin_lock(&pzone_err_lock);
	strscpy(buf, pzone_err, len);
	spin_unlock(&pzone_err_lock);
}

static __printf(2, 3) void pzone_err_set(struct pzone *pz, const char *fmt, ...)
{
	va_list args;

	spin_lock(&pz->lock);
	va_start(args, fmt);
	vscnprintf(pz->last_error, sizeof(pz->last_error), fmt, args);
	va_end(args);
	spin_unlock(&pz->lock);
	pr_debug("%s: %s\n", pz->name, pz->last_error);
}

static void pzone_set_state(struct pzone *pz, enum pzone_state state)
{
	lockdep_assert_held(&pzone_mutex);
	WRITE_ONCE(pz->state, state);
}

/* Blocks in the pzone's zones, standby blocks included. */
static unsigned long pzone_nr_all_blocks(const struct pzone *pz)
{
	return READ_ONCE(pz->nr_blocks[ZONE_NORMAL]) +
	       READ_ONCE(pz->nr_blocks[ZONE_MOVABLE]);
}

/* Blocks the pzone's tasks can use: its size. */
static unsigned long pzone_nr_blocks(const struct pzone *pz)
{
	return pzone_nr_all_blocks(pz) - READ_ONCE(pz->nr_standby);
}

static unsigned long pzone_node_free_pages(int nid)
{
	struct zone *zones = NODE_DATA(nid)->node_zones;
	unsigned long nr = 0;
	int i;

	for (i = 0; i < MAX_NR_ZONES; i++)
		nr += zone_page_state_snapshot(&zones[i], NR_FREE_PAGES);
	return nr;
}

/**
 * pzone_get_info() - Snapshot a pzone for reporting.
 * @pz: the pzone.
 * @info: filled in.
 *
 * Does not take pzone_mutex, so it answers while a resize runs; the sizes
 * are each consistent, not necessarily with each other.
 *
 * Context: Process context.
 */
void pzone_get_info(struct pzone *pz, struct pzone_info *info)
{
	int i;

	memset(info, 0, sizeof(*info));
	strscpy(info->name, pz->name, sizeof(info->name));
	info->nid = pz->nid;
	info->base_nid = pz->base_nid;
	info->nr_blocks = pzone_nr_blocks(pz);
	info->size_bytes = (u64)info->nr_blocks * PZONE_BLOCK_BYTES;
	info->kernel_bytes = (u64)READ_ONCE(pz->nr_blocks[ZONE_NORMAL]) *
			     PZONE_BLOCK_BYTES;
	info->free_bytes = (u64)pzone_node_free_pages(pz->nid) << PAGE_SHIFT;
	info->state = READ_ONCE(pz->state);
	spin_lock(&pz->lock);
	info->blocks_in = pz->blocks_in;
	info->blocks_out = pz->blocks_out;
	info->blocks_evacuated = pz->blocks_evacuated;
	info->blocks_failed = pz->blocks_failed;
	info->standby_bytes = (u64)READ_ONCE(pz->nr_standby) * PZONE_BLOCK_BYTES;
	for (i = 0; i < NR_PZONE_EVENTS; i++)
		info->events[i] = atomic_long_read(&pz->events[i]);
	info->refaults = node_page_state(NODE_DATA(pz->nid),
					 WORKINGSET_REFAULT_ANON) +
			 node_page_state(NODE_DATA(pz->nid),
					 WORKINGSET_REFAULT_FILE);
	memcpy(info->nr_reason, pz->nr_reason, sizeof(info->nr_reason));
	strscpy(info->last_error, pz->last_error, sizeof(info->last_error));
	spin_unlock(&pz->lock);
}

static unsigned long pzone_block_idx(struct page *page)
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
 * Caller holds pzone_mutex and mem_hotplug_lock.
 */
static void pzone_span_recompute(struct pzone *pz)
{
	struct pglist_data *pgdat = NODE_DATA(pz->nid);
	unsigned long lo[MAX_NR_ZONES], hi[MAX_NR_ZONES];
	unsigned long idx, flags, nlo = ULONG_MAX, nhi = 0;
	void *entry;
	int i;

	lockdep_assert_held(&pzone_mutex);

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
 * Move one owned block (a compound MAX_ORDER page) into zone @to and free it
 * there.  The pages are relinked under the *source* zone lock: walkers that
 * read page_zone() and then lock that zone re-check under the lock, and a
 * page is only ever relinked while we own it.  Caller holds mem_hotplug_lock
 * in write mode.
 */
static void pzone_move_block(struct page *page, struct zone *to, bool hold)
{
	struct zone *from = page_zone(page);
	unsigned long pfn = page_to_pfn(page);
	unsigned long flags, i;

	clear_zone_contiguous(from);
	clear_zone_contiguous(to);
	pzone_span_add(to, pfn);

	adjust_present_page_count(page, NULL, -(long)PZONE_BLOCK_PAGES);
	if (hold)	/* a standby block is not managed memory anywhere */
		adjust_managed_page_count(page, -(long)PZONE_BLOCK_PAGES);
	else
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
	atomic_long_add(PZONE_BLOCK_PAGES, &to->managed_pages);
	__free_pages(page, PZONE_BLOCK_ORDER);
}

/*
 * Make a standby block ordinary memory of the derived node again.  Safe in
 * any context; the caller has taken @page off pz->standby.
 */
static void pzone_unhold_block(struct page *page)
{
	adjust_managed_page_count(page, PZONE_BLOCK_PAGES);
	__free_pages(page, PZONE_BLOCK_ORDER);
}

/*
 * Release every standby block into the buddy allocator of the node.
 * Context: any; takes standby_lock.
 * Return: number of blocks released.
 */
static unsigned long pzone_release_standby(struct pzone *pz)
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
		xa_clear_mark(&pz->blocks, pzone_block_idx(page), XA_MARK_1);
		pzone_unhold_block(page);
	}
	return n;
}

static void pzone_free_list(struct list_head *list)
{
	struct page *page, *next;

	list_for_each_entry_safe(page, next, list, lru) {
		list_del(&page->lru);
		__free_pages(page, PZONE_BLOCK_ORDER);
	}
}

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

/*
 * The block at @pfn leaves its memory block for a pzone.  Caller holds
 * device_hotplug_lock and pzone_mutex.
 * Return: 0 or -ENOMEM.
 */
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

/* The block at @pfn is back in its memory block.  Locks as pzone_lend(). */
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

/*
 * Take up to @nr free blocks from the ZONE_NORMAL (or ZONE_MOVABLE) of the
 * base node and record them in @pz->blocks.  Stops at the first block from a
 * lower zone: the higher zones are then exhausted.
 * Caller holds pzone_mutex.
 * Return: number of blocks put on @list.
 */
static unsigned long pzone_take_base_blocks(struct pzone *pz, unsigned long nr,
					    struct list_head *list)
{
	unsigned long got = 0;
	struct page *page;

	lockdep_assert_held(&pzone_mutex);

	while (got < nr) {
		page = alloc_pages_node(pz->base_nid, PZONE_GFP_BASE,
					PZONE_BLOCK_ORDER);
		if (!page)
			break;
		if (page_zonenum(page) < ZONE_NORMAL ||
		    xa_insert(&pz->blocks, pzone_block_idx(page),
			      xa_mk_value(page_zonenum(page)), GFP_KERNEL)) {
			__free_pages(page, PZONE_BLOCK_ORDER);
			break;
		}
		if (pzone_lend(page_to_pfn(page))) {
			xa_erase(&pz->blocks, pzone_block_idx(page));
			__free_pages(page, PZONE_BLOCK_ORDER);
			break;
		}
		list_add_tail(&page->lru, list);
		got++;
	}
	return got;
}

/*
 * May the block at @pfn of base zone @zone be evacuated for a pzone?  Every
 * pageblock online, in @zone and MIGRATE_MOVABLE (so not CMA or isolated),
 * and its memory block neither part of a memory group (virtio-mem), nor
 * carrying its own memmap, nor driver-managed (dax/kmem).
 */
static bool pzone_base_block_evacuable(struct zone *zone, unsigned long pfn)
{
	struct memory_block *mem;
	unsigned long i;
	bool ok;

	for (i = 0; i < PZONE_BLOCK_PAGES; i += pageblock_nr_pages) {
		struct page *page = pfn_to_online_page(pfn + i);

		if (!page || page_zone(page) != zone || PageReserved(page) ||
		    get_pageblock_migratetype(page) != MIGRATE_MOVABLE)
			return false;
	}
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

/*
 * Empty up to @nr movable blocks of the base zone by migrating their pages
 * to any ordinary node, and record them in @pz->blocks.  Each call of
 * alloc_contig_range() costs an RCU grace period, so free blocks come first.
 * Caller holds pzone_mutex.
 * Return: number of blocks put on @list.
 */
static unsigned long pzone_evacuate_base_blocks(struct pzone *pz,
						unsigned long nr,
						struct list_head *list)
{
	struct zone *zone = &NODE_DATA(pz->base_nid)->node_zones[ZONE_NORMAL];
	unsigned long pfn, end = zone_end_pfn(zone), got = 0;
	nodemask_t target;

	lockdep_assert_held(&pzone_mutex);

	pzone_ordinary_nodes(&target);
	for (pfn = ALIGN(zone->zone_start_pfn, PZONE_BLOCK_PAGES);
	     pfn + PZONE_BLOCK_PAGES <= end && got < nr;
	     pfn += PZONE_BLOCK_PAGES) {
		struct page *page;

		if (fatal_signal_pending(current))
			break;
		if (!pzone_base_block_evacuable(zone, pfn))
			continue;
		if (alloc_contig_range_target(pfn, pfn + PZONE_BLOCK_PAGES,
					      MIGRATE_MOVABLE,
					      PZONE_GFP_EVACUATE, &target))
			continue;
		page = pfn_to_page(pfn);
		if (xa_insert(&pz->blocks, pzone_block_idx(page),
			      xa_mk_value(ZONE_NORMAL), GFP_KERNEL)) {
			__free_pages(page, PZONE_BLOCK_ORDER);
			break;
		}
		if (pzone_lend(pfn)) {
			xa_erase(&pz->blocks, pzone_block_idx(page));
			__free_pages(page, PZONE_BLOCK_ORDER);
			break;
		}
		list_add_tail(&page->lru, list);
		got++;
		cond_resched();
	}
	spin_lock(&pz->lock);
	pz->blocks_evacuated += got;
	spin_unlock(&pz->lock);
	return got;
}

/* Forget the blocks on @list (taken from the base node) and free them there. */
static void pzone_untake_base_blocks(struct pzone *pz, struct list_head *list)
{
	struct page *page;

	list_for_each_entry(page, list, lru) {
		xa_erase(&pz->blocks, pzone_block_idx(page));
		pzone_unlend(page_to_pfn(page));
	}
	pzone_free_list(list);
}

/*
 * Move the blocks on @list into zone @zid of the derived node.  Populates the
 * zone first if it is empty.  Caller holds pzone_mutex and mem_hotplug_lock
 * (write); the caller rebuilds zonelists and watermarks afterwards.
 * Return: true if the zone was empty before.
 */
static bool pzone_move_in(struct pzone *pz, struct list_head *list,
			  enum zone_type zid, bool hold)
{
	struct zone *zone = &NODE_DATA(pz->nid)->node_zones[zid];
	struct page *page, *next;
	bool was_empty = !populated_zone(zone);
	unsigned long n = 0;

	lockdep_assert_held(&pzone_mutex);

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
		pzone_move_block(page, zone, hold);
		n++;
		if (!hold)
			continue;
		xa_set_mark(&pz->blocks, pzone_block_idx(page), XA_MARK_1);
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

/* What changes for the node when zones gain or lose their last block. */
static void pzone_notify_arg(struct pzone *pz, struct memory_notify *arg,
			     bool normal_changes, bool node_changes)
{
	memset(arg, 0, sizeof(*arg));
	/* Status-only events: no pfn range, see DESIGN.md section 5. */
	arg->status_change_nid = node_changes ? pz->nid : NUMA_NO_NODE;
	arg->status_change_nid_normal = normal_changes ? pz->nid : NUMA_NO_NODE;
}

/*
 * Bring the blocks of @kernel and @movable into the derived node.  Caller
 * holds pzone_mutex; takes mem_hotplug_lock.  Cannot fail after the
 * MEM_GOING_ONLINE notifier accepted.
 * Return: 0, or the notifier's error with nothing moved.
 */
static int pzone_commit_grow(struct pzone *pz, struct list_head *kernel,
			     struct list_head *movable,
			     struct list_head *standby)
{
	struct pglist_data *pgdat = NODE_DATA(pz->nid);
	struct zone *normal = &pgdat->node_zones[ZONE_NORMAL];
	bool normal_changes, node_changes, rebuild;
	struct memory_notify arg;
	int ret;

	lockdep_assert_held(&pzone_mutex);

	mem_hotplug_begin();
	node_changes = !node_state(pz->nid, N_MEMORY);
	normal_changes = !list_empty(kernel) && !populated_zone(normal);
	pzone_notify_arg(pz, &arg, normal_changes, node_changes);
	if (node_changes || normal_changes) {
		ret = notifier_to_errno(memory_notify(MEM_GOING_ONLINE, &arg));
		if (ret) {
			memory_notify(MEM_CANCEL_ONLINE, &arg);
			mem_hotplug_done();
			return ret;
		}
	}

	rebuild = pzone_move_in(pz, kernel, ZONE_NORMAL, false);
	rebuild |= pzone_move_in(pz, movable, ZONE_MOVABLE, false);
	if (standby)
		rebuild |= pzone_move_in(pz, standby, ZONE_MOVABLE, true);

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
	return 0;
}

/*
 * Grow @pz by @nr_kernel blocks of kernel reserve and @nr_movable movable
 * blocks: free blocks of the base node first, then movable blocks emptied by
 * migration.  Without @use_busy the base node must have that much free
 * memory (create); with it, memory in use may be moved away (resize).  All
 * or nothing.  Caller holds pzone_mutex.
 * Return: 0; -ENOMEM if the base node could not give enough blocks; an error
 * of the memory notifiers.
 */
static int pzone_grow_locked(struct pzone *pz, unsigned long nr_kernel,
			     unsigned long nr_movable, bool use_busy)
{
	struct zone *base = &NODE_DATA(pz->base_nid)->node_zones[ZONE_NORMAL];
	unsigned long nr = nr_kernel + nr_movable, got, avail, evacuated = 0;
	LIST_HEAD(kernel);
	LIST_HEAD(movable);
	int ret;

	lockdep_assert_held(&pzone_mutex);

	avail = use_busy ? zone_managed_pages(base) :
			   zone_page_state(base, NR_FREE_PAGES);
	avail = avail > high_wmark_pages(base) ?
		avail - high_wmark_pages(base) : 0;
	if (nr * PZONE_BLOCK_PAGES > avail) {
		pzone_err_set(pz, "base node %d has %lu MiB %s in ZONE_NORMAL, %lu MiB needed",
			      pz->base_nid, avail >> (20 - PAGE_SHIFT),
			      use_busy ? "in all" : "free",
			      (nr * PZONE_BLOCK_BYTES) >> 20);
		return -ENOMEM;
	}

	got = pzone_take_base_blocks(pz, nr_kernel, &kernel);
	if (got == nr_kernel)
		got += pzone_take_base_blocks(pz, nr_movable, &movable);
	/*
	 * Free memory that is not in whole blocks is made whole by emptying
	 * movable blocks, also when only free memory may be used (create):
	 * the check above made sure there is enough of it.
	 */
	if (got < nr && got >= nr_kernel) {
		evacuated = pzone_evacuate_base_blocks(pz, nr - got, &movable);
		got += evacuated;
	}
	if (got < nr) {
		pzone_err_set(pz, "base node %d gave only %lu of %lu 4 MiB blocks (%lu evacuated)",
			      pz->base_nid, got, nr, evacuated);
		ret = -ENOMEM;
		goto err_untake;
	}

	ret = pzone_commit_grow(pz, &kernel, &movable, NULL);
	if (ret) {
		pzone_err_set(pz, "a memory notifier refused node %d: %d",
			      pz->nid, ret);
		goto err_untake;
	}
	return 0;

err_untake:
	pzone_untake_base_blocks(pz, &movable);
	pzone_untake_base_blocks(pz, &kernel);
	return ret;
}

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
 * struct pzone_cand - A block that a shrink may empty.
 * @pfn:	First pfn of the block.
 * @score:	pzone_block_score() of it.
 */
struct pzone_cand {
	unsigned long pfn;
	long score;
};

/*
 * How good a block is to empty, from the kinds of its pages: the more free
 * pages, the less to migrate.  A block with pages that cannot move scores
 * below every other, the more such pages the lower.
 */
static long pzone_block_score(const unsigned long nr[NR_PZONE_REASONS])
{
	unsigned long stuck = nr[PZONE_REASON_SLAB] + nr[PZONE_REASON_PINNED] +
			      nr[PZONE_REASON_OTHER];

	if (stuck)
		return -1 - (long)min_t(unsigned long, stuck, LONG_MAX - 1);
	return min_t(unsigned long, nr[PZONE_REASON_BUDDY], LONG_MAX);
}

static int pzone_cand_cmp(const void *a, const void *b)
{
	const struct pzone_cand *x = a, *y = b;

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return x->pfn < y->pfn ? -1 : x->pfn > y->pfn;
}

/*
 * Take up to @nr blocks of zone @zid (or of any zone if @zid is
 * MAX_NR_ZONES) of the derived node: free blocks first, then, if @target is
 * not NULL, blocks emptied by migrating their pages to @target.  Caller holds
 * pzone_mutex and mem_hotplug_lock.
 * Return: number of blocks put on @list.
 */
static unsigned long pzone_take_own_blocks(struct pzone *pz, unsigned long nr,
					   enum zone_type zid,
					   nodemask_t *target,
					   struct list_head *list)
{
	unsigned long got = 0, idx, i, n;
	struct pzone_cand *cand;
	struct page *page, *next;
	LIST_HEAD(other);
	void *entry;

	lockdep_assert_held(&pzone_mutex);

	pzone_drain(pz);
	while (got < nr) {
		page = alloc_pages_node(pz->nid, PZONE_GFP_OWN,
					PZONE_BLOCK_ORDER);
		if (!page)
			break;
		if (zid != MAX_NR_ZONES && page_zonenum(page) != zid) {
			list_add(&page->lru, &other);
			continue;
		}
		xa_set_mark(&pz->blocks, pzone_block_idx(page), XA_MARK_0);
		list_add_tail(&page->lru, list);
		got++;
	}
	pzone_free_list(&other);
	if (!target || got == nr)
		goto out;

	n = 0;
	cand = kmalloc_array(pzone_nr_blocks(pz), sizeof(*cand), GFP_KERNEL);
	if (!cand)
		goto out;
	xa_for_each(&pz->blocks, idx, entry) {
		unsigned long why[NR_PZONE_REASONS] = { 0 };
		unsigned long pfn = idx << PZONE_BLOCK_ORDER;

		if (xa_get_mark(&pz->blocks, idx, XA_MARK_0) ||
		    xa_get_mark(&pz->blocks, idx, XA_MARK_1))
			continue;
		if (zid != MAX_NR_ZONES && page_zonenum(pfn_to_page(pfn)) != zid)
			continue;
		pzone_classify_block(pfn, why);
		cand[n].pfn = pfn;
		cand[n].score = pzone_block_score(why);
		n++;
	}
	/* Cheapest first; blocks with unmovable pages only if they must. */
	sort(cand, n, sizeof(*cand), pzone_cand_cmp, NULL);

	for (i = 0; i < n && got < nr; i++) {
		unsigned long pfn = cand[i].pfn;

		if (alloc_contig_range_target(pfn, pfn + PZONE_BLOCK_PAGES,
					      MIGRATE_MOVABLE,
					      PZONE_GFP_EVACUATE, target)) {
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
		xa_set_mark(&pz->blocks, pzone_block_idx(page), XA_MARK_0);
		list_add_tail(&page->lru, list);
		got++;
		spin_lock(&pz->lock);
		pz->blocks_evacuated++;
		spin_unlock(&pz->lock);
	}
	kfree(cand);
out:
	/* The marks only tell this call which blocks it holds. */
	list_for_each_entry_safe(page, next, list, lru)
		xa_clear_mark(&pz->blocks, pzone_block_idx(page), XA_MARK_0);
	return got;
}

/*
 * Move the owned derived-node blocks on @list back to the base zones they
 * came from.  Caller holds pzone_mutex and mem_hotplug_lock (write).
 */
static void pzone_move_out(struct pzone *pz, struct list_head *list)
{
	struct zone *base_zones = NODE_DATA(pz->base_nid)->node_zones;
	struct page *page, *next;
	unsigned long n = 0;

	lockdep_assert_held(&pzone_mutex);

	list_for_each_entry_safe(page, next, list, lru) {
		void *entry = xa_erase(&pz->blocks, pzone_block_idx(page));
		enum zone_type zid = page_zonenum(page);

		list_del(&page->lru);
		WRITE_ONCE(pz->nr_blocks[zid], pz->nr_blocks[zid] - 1);
		pzone_move_block(page, &base_zones[xa_to_value(entry)], false);
		pzone_unlend(page_to_pfn(page));
		n++;
	}
	spin_lock(&pz->lock);
	pz->blocks_out += n;
	spin_unlock(&pz->lock);
}

/*
 * Shrink @pz by @nr_kernel blocks of its kernel reserve and @nr_movable
 * movable blocks, all or nothing.  In-use pages are migrated to @target
 * (NULL: free blocks only).  Caller holds pzone_mutex.
 * Return: 0; -EBUSY if not enough blocks could be emptied; a notifier error.
 */
static int pzone_shrink_locked(struct pzone *pz, unsigned long nr_kernel,
			       unsigned long nr_movable, nodemask_t *target)
{
	struct pglist_data *pgdat = NODE_DATA(pz->nid);
	unsigned long nr = nr_kernel + nr_movable, got, used;
	bool normal_changes, node_changes, rebuild = false;
	bool populated[MAX_NR_ZONES];
	struct memory_notify arg;
	LIST_HEAD(list);
	int i, ret;

	lockdep_assert_held(&pzone_mutex);

	if (!nr)
		return 0;

	mem_hotplug_begin();
	used = pzone_nr_blocks(pz) * PZONE_BLOCK_PAGES;
	used -= min(used, pzone_node_free_pages(pz->nid));
	normal_changes = nr_kernel && nr_kernel == pz->nr_blocks[ZONE_NORMAL];
	node_changes = nr == pzone_nr_blocks(pz);
	pzone_notify_arg(pz, &arg, normal_changes, node_changes);
	if (normal_changes || node_changes) {
		/* Lets SLUB give back the free slabs it keeps in the node. */
		ret = notifier_to_errno(memory_notify(MEM_GOING_OFFLINE, &arg));
		if (ret) {
			pzone_err_set(pz, "a memory notifier refused to offline node %d: %d",
				      pz->nid, ret);
			goto err_cancel;
		}
	}

	got = pzone_take_own_blocks(pz, nr_movable, ZONE_MOVABLE, target,
				    &list);
	if (got == nr_movable)
		got += pzone_take_own_blocks(pz, nr_kernel, ZONE_NORMAL, target,
					     &list);
	if (got < nr) {
		if (target)
			pzone_err_set(pz,
				      "%lu of %lu blocks hold pages that cannot be moved (%lu pages in use; unmovable so far: slab %lu, pinned %lu, other %lu)",
				      nr - got, nr, used,
				      pz->nr_reason[PZONE_REASON_SLAB],
				      pz->nr_reason[PZONE_REASON_PINNED],
				      pz->nr_reason[PZONE_REASON_OTHER]);
		else
			pzone_err_set(pz, "%lu of %lu blocks are not free (%lu pages in use)",
				      nr - got, nr, used);
		ret = -EBUSY;
		pzone_free_list(&list);
		goto err_cancel;
	}

	for (i = 0; i < MAX_NR_ZONES; i++)
		populated[i] = populated_zone(&pgdat->node_zones[i]);
	pzone_move_out(pz, &list);
	pzone_span_recompute(pz);
	for (i = 0; i < MAX_NR_ZONES; i++) {
		struct zone *zone = &pgdat->node_zones[i];

		if (populated[i] && !populated_zone(zone)) {
			zone_pcp_reset(zone);
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
	mem_hotplug_done();
	return 0;

err_cancel:
	if (normal_changes || node_changes)
		memory_notify(MEM_CANCEL_OFFLINE, &arg);
	mem_hotplug_done();
	return ret;
}

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

/* The reserved ids that no pzone, live or draining, holds. */
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

static unsigned int pzone_free_node_ids_locked(void)
{
	nodemask_t free;

	pzone_free_nodes_locked(&free);
	return nodes_weight(free);
}

static int pzone_claim_node_locked(void)
{
	nodemask_t free;

	pzone_free_nodes_locked(&free);
	if (nodes_empty(free))
		return NUMA_NO_NODE;
	return first_node(free);
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

static int pzone_params_check(const char *name, int base_nid, u64 size_bytes,
			      u64 kernel_bytes)
{
	if (!pzone_name_valid(name)) {
		pzone_set_last_error("invalid name: use 1-%d characters of [a-z0-9_-]",
				     PZONE_NAME_MAX);
		return -EINVAL;
	}
	if (base_nid < 0 || base_nid >= MAX_NUMNODES || !node_online(base_nid) ||
	    pzone_is_derived_node(base_nid)) {
		pzone_set_last_error("base node %d is not an online ordinary node",
				     base_nid);
		return -EINVAL;
	}
	if (!populated_zone(&NODE_DATA(base_nid)->node_zones[ZONE_NORMAL])) {
		pzone_set_last_error("base node %d has no ZONE_NORMAL memory",
				     base_nid);
		return -EINVAL;
	}
	if (!size_bytes || size_bytes % PZONE_BLOCK_BYTES ||
	    size_bytes / PZONE_BLOCK_BYTES > ULONG_MAX / 2) {
		pzone_set_last_error("size must be a non-zero multiple of %lu bytes",
				     PZONE_BLOCK_BYTES);
		return -EINVAL;
	}
	if (kernel_bytes % PZONE_BLOCK_BYTES || kernel_bytes > size_bytes) {
		pzone_set_last_error("kernel reserve: a multiple of %lu bytes, at most the size",
				     PZONE_BLOCK_BYTES);
		return -EINVAL;
	}
	return 0;
}

/**
 * pzone_create() - Create a pzone and bring its node online.
 * @name: unique name, 1-31 characters of [a-z0-9_-].
 * @base_nid: node to take the memory from.
 * @size_bytes: size, a multiple of pzone_block_size_bytes().
 * @kernel_bytes: part of @size_bytes kept as ZONE_NORMAL kernel reserve.
 * @pzp: set to the new pzone on success.
 *
 * Claims a reserved node id, moves the blocks in from the base node's free
 * memory and brings the node online with its kswapd and kcompactd.  The node
 * of a destroyed pzone of the same base node that still waits for its kernel
 * reserve is reused first, with that reserve.  All or
 * nothing: on failure the node id, the memory and the registry are as
 * before, and pzone_last_error() says why.
 *
 * Context: Process context; sleeps.  Caller holds device_hotplug_lock.
 * Takes pzone_mutex and mem_hotplug_lock.
 * Return: 0; -EINVAL for invalid parameters; -EEXIST if @name is used;
 * -ENOSPC if no reserved node id is free; -ENODEV if none was reserved;
 * -ENOMEM if the base node lacks free memory.
 */
int pzone_create(const char *name, int base_nid, u64 size_bytes,
		 u64 kernel_bytes, struct pzone **pzp)
{
	unsigned long nr_kernel, nr_movable;
	struct pzone *pz, *zombie;
	int nid, ret;

	if (nodes_empty(pzone_reserved_nodes)) {
		pzone_set_last_error("no node ids reserved: boot with pzone_nodes=N");
		return -ENODEV;
	}
	ret = pzone_params_check(name, base_nid, size_bytes, kernel_bytes);
	if (ret)
		return ret;
	nr_kernel = kernel_bytes / PZONE_BLOCK_BYTES;
	nr_movable = size_bytes / PZONE_BLOCK_BYTES - nr_kernel;

	pz = kzalloc(sizeof(*pz), GFP_KERNEL);
	if (!pz)
		return -ENOMEM;
	strscpy(pz->name, name, sizeof(pz->name));
	xa_init(&pz->blocks);
	INIT_DELAYED_WORK(&pz->reap_work, pzone_reap_workfn);
	timer_setup(&pz->notify_timer, pzone_notify_timer_fn, 0);
	spin_lock_init(&pz->standby_lock);
	INIT_LIST_HEAD(&pz->standby);
	spin_lock_init(&pz->lock);
	pz->base_nid = base_nid;
	pz->state = PZONE_STATE_STARTING;

	mutex_lock(&pzone_mutex);
	if (pzone_find_locked(name)) {
		pzone_set_last_error("a pzone named %s exists", name);
		ret = -EEXIST;
		goto err_free;
	}
	zombie = pzone_adopt_zombie_locked(name, base_nid, nr_kernel);
	if (!zombie && !pzone_free_node_ids_locked())
		zombie = pzone_adopt_zombie_locked(name, base_nid, ULONG_MAX);
	if (zombie) {
		unsigned long reserve = zombie->nr_blocks[ZONE_NORMAL];

		timer_shutdown_sync(&pz->notify_timer);
		xa_destroy(&pz->blocks);
		kfree(pz);
		pz = zombie;
		nid = pz->nid;
		/*
		 * Only when no id is free: a reserve larger than asked for
		 * stays the kernel reserve, within the size if it fits.
		 */
		if (reserve > nr_kernel) {
			nr_movable -= min(nr_movable, reserve - nr_kernel);
			nr_kernel = reserve;
		}
		ret = pzone_grow_locked(pz, nr_kernel - reserve, nr_movable,
					false);
		if (ret) {
			pzone_set_last_error("%s", pz->last_error);
			pz->released = true;
			pzone_zombie_locked(pz);
			mutex_unlock(&pzone_mutex);
			return ret;
		}
		goto out_on;
	}
	nid = pzone_claim_node_locked();
	if (nid == NUMA_NO_NODE) {
		pzone_set_last_error("all %d reserved node ids are in use",
				     nodes_weight(pzone_reserved_nodes));
		ret = -ENOSPC;
		goto err_free;
	}
	pz->nid = nid;

	/* Distances first: onlining builds the node's zonelists. */
	WRITE_ONCE(pzone_base[nid], base_nid);
	ret = try_online_node(nid);
	if (ret < 0) {
		pzone_set_last_error("cannot online node %d: %d", nid, ret);
		goto err_base;
	}

	ret = pzone_grow_locked(pz, nr_kernel, nr_movable, false);
	if (ret) {
		pzone_set_last_error("%s", pz->last_error);
		goto err_offline;
	}

out_on:
	list_add_tail(&pz->list, &pzone_list);
	pzone_set_state(pz, PZONE_STATE_ON);
	pzone_publish_locked(pz, true);
	mutex_unlock(&pzone_mutex);
	pr_info("%s: node %d, %llu MiB from node %d (kernel reserve %llu MiB)\n",
		name, nid, size_bytes >> 20, base_nid, kernel_bytes >> 20);
	*pzp = pz;
	return 0;

err_offline:
	mem_hotplug_begin();
	try_offline_node(nid);
	mem_hotplug_done();
err_base:
	WRITE_ONCE(pzone_base[nid], NUMA_NO_NODE);
err_free:
	mutex_unlock(&pzone_mutex);
	timer_shutdown_sync(&pz->notify_timer);
	xa_destroy(&pz->blocks);
	kfree(pz);
	return ret;
}

/* Take the emptied node offline and forget it.  Caller holds pzone_mutex. */
static void pzone_release_node_locked(struct pzone *pz)
{
	lockdep_assert_held(&pzone_mutex);

	mem_hotplug_begin();
	try_offline_node(pz->nid);
	mem_hotplug_done();
	WRITE_ONCE(pzone_base[pz->nid], NUMA_NO_NODE);
	list_del(&pz->list);
}

static void pzone_reap_workfn(struct work_struct *work)
{
	struct pzone *pz = container_of(to_delayed_work(work), struct pzone,
					reap_work);
	nodemask_t target = NODE_MASK_NONE;
	bool done = false, free = false;

	node_set(pz->base_nid, target);
	lock_device_hotplug();
	mutex_lock(&pzone_mutex);
	if (!pz->zombie) {
		/* A new pzone adopted the node and its reserve meanwhile. */
	} else if (!pzone_shrink_locked(pz, pz->nr_blocks[ZONE_NORMAL],
				 pz->nr_blocks[ZONE_MOVABLE], &target)) {
		pzone_release_node_locked(pz);
		pr_info("%s: node %d: kernel reserve given back, node offline\n",
			pz->name, pz->nid);
		pz->zombie = false;
		free = pz->released;
		done = true;
	} else {
		pz->reap_delay = min(pz->reap_delay * 2, 60UL * HZ);
		schedule_delayed_work(&pz->reap_work, pz->reap_delay);
	}
	mutex_unlock(&pzone_mutex);
	unlock_device_hotplug();
	if (done && free)
		pzone_free(pz);
}

/* Park @pz on pzone_zombies and start reaping.  Caller holds pzone_mutex. */
static void pzone_zombie_locked(struct pzone *pz)
{
	lockdep_assert_held(&pzone_mutex);

	pz->zombie = true;
	pzone_set_state(pz, PZONE_STATE_DRAINING);
	list_add_tail(&pz->list, &pzone_zombies);
	pz->reap_delay = HZ;
	schedule_delayed_work(&pz->reap_work, pz->reap_delay);
}

/*
 * Reuse a zombie of @base_nid whose kernel reserve fits in @nr_kernel blocks
 * for a new pzone: its node is online and its reserve is what the new pzone
 * needs anyway.  Caller holds pzone_mutex.
 * Return: the zombie, now a pzone in %PZONE_STATE_STARTING, or NULL.
 */
static struct pzone *pzone_adopt_zombie_locked(const char *name, int base_nid,
					       unsigned long nr_kernel)
{
	struct pzone *z;
	int i;

	lockdep_assert_held(&pzone_mutex);

	list_for_each_entry(z, &pzone_zombies, list) {
		/* ULONG_MAX: any reserve will do, there is no free node id */
		if (z->base_nid != base_nid ||
		    (nr_kernel != ULONG_MAX &&
		     z->nr_blocks[ZONE_NORMAL] > nr_kernel))
			continue;
		/* If the worker runs already, it sees !zombie and stops. */
		cancel_delayed_work(&z->reap_work);
		list_del(&z->list);
		z->zombie = false;
		z->released = false;
		strscpy(z->name, name, sizeof(z->name));
		spin_lock(&z->lock);
		z->blocks_in = 0;
		z->blocks_out = 0;
		z->blocks_evacuated = 0;
		z->blocks_failed = 0;
		memset(z->nr_reason, 0, sizeof(z->nr_reason));
		for (i = 0; i < NR_PZONE_EVENTS; i++)
			atomic_long_set(&z->events[i], 0);
		z->events_kn = NULL;
		z->last_error[0] = '\0';
		spin_unlock(&z->lock);
		pzone_set_state(z, PZONE_STATE_STARTING);
		return z;
	}
	return NULL;
}

/**
 * pzone_draining_nodes() - Nodes of destroyed pzones waiting for their reserve.
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

/*
 * A container bound with cpuset.mems alone leaves slab objects in the kernel
 * reserve, and other tasks' objects share its slab pages.  Give back every
 * movable block now and let pzone_reap_workfn() take the reserve back once
 * those objects are freed; the node id stays taken until then.  Caller holds
 * pzone_mutex.
 * Return: 0 if @pz became a zombie; -EBUSY if movable blocks are stuck too.
 */
static int pzone_make_zombie_locked(struct pzone *pz, nodemask_t *target)
{
	lockdep_assert_held(&pzone_mutex);

	if (pzone_shrink_locked(pz, 0, pz->nr_blocks[ZONE_MOVABLE], target))
		return -EBUSY;
	pzone_publish_locked(pz, false);
	list_del(&pz->list);
	pzone_zombie_locked(pz);
	pzone_set_last_error("%s destroyed; node %d stays up until its kernel reserve is free",
			     pz->name, pz->nid);
	pr_info("%s: node %d: %lu kernel reserve blocks still in use (pages: slab %lu, lru %lu, pinned %lu, other %lu), retrying later\n",
		pz->name, pz->nid, pz->nr_blocks[ZONE_NORMAL],
		pz->nr_reason[PZONE_REASON_SLAB], pz->nr_reason[PZONE_REASON_LRU],
		pz->nr_reason[PZONE_REASON_PINNED],
		pz->nr_reason[PZONE_REASON_OTHER]);
	return 0;
}

/**
 * pzone_destroy() - Give every block back and take the node offline.
 * @pz: the pzone.
 * @evacuate: also when tasks are still confined to the node.
 *
 * Refuses while tasks are confined to the node unless @evacuate is set.
 * Pages still in the node (page cache or tmpfs files left by a container
 * that exited) are migrated to the base node.  If only the kernel reserve
 * cannot be emptied (slab objects still in use), the pzone is destroyed
 * anyway: its name is free at once and its node goes offline when a worker
 * has taken the reserve back.  Otherwise all or nothing: on failure the
 * pzone keeps every block (pages already migrated stay, intact, on the base
 * node) and pzone_last_error() says why.  On success @pz is unlinked but not
 * freed: the caller frees it with pzone_free() once nobody can look at it.
 *
 * Context: Process context; sleeps.  Caller holds device_hotplug_lock.
 * Takes pzone_mutex and mem_hotplug_lock.
 * Return: 0; -EBUSY if tasks are confined to the node or pages could not be
 * moved.
 */
int pzone_destroy(struct pzone *pz, bool evacuate)
{
	nodemask_t target = NODE_MASK_NONE;
	unsigned int nr_tasks;
	pid_t pid = 0;
	int ret;

	mutex_lock(&pzone_mutex);
	nr_tasks = pzone_nr_bound_tasks(pz->nid, &pid);
	if (nr_tasks && !evacuate) {
		pzone_set_last_error("%u task(s) still bound to node %d (pid %d)",
				     nr_tasks, pz->nid, pid);
		ret = -EBUSY;
		goto out_unlock;
	}

	pzone_set_state(pz, PZONE_STATE_DRAINING);
	node_set(pz->base_nid, target);
	pzone_release_standby(pz);
	lru_add_drain_all();
	ret = pzone_shrink_locked(pz, pz->nr_blocks[ZONE_NORMAL],
				  pz->nr_blocks[ZONE_MOVABLE], &target);
	if (ret == -EBUSY) {
		/*
		 * The kernel reserve may still hold slab objects of the
		 * container: dentries and inodes it left behind, objects
		 * waiting for an RCU grace period.  Drop what can be dropped
		 * and try once more.
		 */
		rcu_barrier();
		drop_slab();
		lru_add_drain_all();
		ret = pzone_shrink_locked(pz, pz->nr_blocks[ZONE_NORMAL],
					  pz->nr_blocks[ZONE_MOVABLE], &target);
	}
	if (ret == -EBUSY && pz->nr_blocks[ZONE_NORMAL] &&
	    !pzone_make_zombie_locked(pz, &target)) {
		ret = 0;
		goto out_unlock;
	}
	if (ret) {
		pzone_set_last_error("%s", pz->last_error);
		pzone_set_state(pz, PZONE_STATE_ON);
		goto out_unlock;
	}
	pzone_publish_locked(pz, false);
	pzone_release_node_locked(pz);
	pr_info("%s: node %d destroyed\n", pz->name, pz->nid);
out_unlock:
	mutex_unlock(&pzone_mutex);
	return ret;
}

/**
 * pzone_free() - Free a pzone that pzone_destroy() took apart.
 * @pz: the pzone, or NULL.
 *
 * If the pzone still waits for its kernel reserve, the worker frees it when
 * it is done.
 *
 * Context: Process context; takes pzone_mutex.
 */
void pzone_free(struct pzone *pz)
{
	if (!pz)
		return;
	mutex_lock(&pzone_mutex);
	if (pz->zombie) {
		pz->released = true;
		mutex_unlock(&pzone_mutex);
		return;
	}
	mutex_unlock(&pzone_mutex);
	timer_shutdown_sync(&pz->notify_timer);
	xa_destroy(&pz->blocks);
	kfree(pz);
}

/*
 * The headroom rule: may @nr_out blocks leave a node with @free free pages
 * and high watermarks summing to @wmark_high?  Their pages in use must fit
 * in what stays free, and the node must keep its high watermark free, or its
 * tasks would reclaim (or OOM) right after the shrink.
 */
static bool pzone_headroom_ok(unsigned long free, unsigned long nr_out,
			      unsigned long wmark_high)
{
	if (nr_out > (ULONG_MAX - wmark_high) / PZONE_BLOCK_PAGES)
		return false;
	return free >= nr_out * PZONE_BLOCK_PAGES + wmark_high;
}

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
 * Reclaim page cache of the derived node until @need pages are free or
 * reclaim stops making progress.  Never OOM-kills.  Caller holds pzone_mutex.
 * Return: the free pages of the node afterwards.
 */
static unsigned long pzone_reclaim_locked(struct pzone *pz, unsigned long need)
{
	struct zonelist *zl = node_zonelist(pz->nid, GFP_KERNEL);
	nodemask_t nodes = NODE_MASK_NONE;
	unsigned long free;
	int idle = 0;

	lockdep_assert_held(&pzone_mutex);

	node_set(pz->nid, nodes);
	while ((free = pzone_node_free_pages(pz->nid)) < need && idle < 4) {
		if (fatal_signal_pending(current))
			break;
		if (!try_to_free_pages(zl, 0, GFP_HIGHUSER_MOVABLE, &nodes))
			idle++;
		cond_resched();
	}
	return free;
}

/**
 * pzone_set_standby() - Set the blocks a pzone holds back for an OOM.
 * @pz: the pzone.
 * @bytes: new standby size, a multiple of pzone_block_size_bytes().
 *
 * Standby blocks are moved into the node but kept out of its buddy
 * allocator: they are not in the pzone's size, nor in the MemTotal of any
 * node.  An allocation confined to the node that is about to OOM releases
 * them all (see pzone_oom_notify()).  A larger standby takes free blocks of
 * the base node; a smaller one gives blocks back.  All or nothing.
 *
 * Context: Process context; sleeps.  Caller holds device_hotplug_lock.
 * Takes pzone_mutex and mem_hotplug_lock.
 * Return: 0; -EINVAL for a bad size; -EBUSY if @pz is not on; -ENOMEM if the
 * base node lacks free blocks.
 */
int pzone_set_standby(struct pzone *pz, u64 bytes)
{
	unsigned long nr, cur, flags, got, i;
	struct page *page;
	LIST_HEAD(list);
	LIST_HEAD(none);
	int ret = 0;

	if (bytes % PZONE_BLOCK_BYTES)
		return -EINVAL;
	nr = bytes / PZONE_BLOCK_BYTES;

	mutex_lock(&pzone_mutex);
	if (pz->state != PZONE_STATE_ON) {
		ret = -EBUSY;
		goto out_unlock;
	}
	cur = READ_ONCE(pz->nr_standby);
	if (nr > cur) {
		got = pzone_take_base_blocks(pz, nr - cur, &list);
		if (got < nr - cur) {
			pzone_err_set(pz, "base node %d gave %lu of %lu blocks for the standby",
				      pz->base_nid, got, nr - cur);
			pzone_untake_base_blocks(pz, &list);
			ret = -ENOMEM;
			goto out_unlock;
		}
		ret = pzone_commit_grow(pz, &none, &none, &list);
		if (ret)
			pzone_untake_base_blocks(pz, &list);
		goto out_unlock;
	}
	/* Smaller: make blocks ordinary free blocks, then give them back. */
	for (i = 0; i < cur - nr; i++) {
		spin_lock_irqsave(&pz->standby_lock, flags);
		page = list_first_entry_or_null(&pz->standby, struct page, lru);
		if (page) {
			list_del(&page->lru);
			WRITE_ONCE(pz->nr_standby, pz->nr_standby - 1);
		}
		spin_unlock_irqrestore(&pz->standby_lock, flags);
		if (!page)
			break;
		xa_clear_mark(&pz->blocks, pzone_block_idx(page), XA_MARK_1);
		pzone_unhold_block(page);
	}
	if (i)
		ret = pzone_shrink_locked(pz, 0, i, NULL);
	if (ret)
		pzone_err_set(pz, "%lu standby blocks released, not given back",
			      i);
out_unlock:
	mutex_unlock(&pzone_mutex);
	return ret;
}

/**
 * pzone_resize() - Grow or shrink the movable part of a pzone.
 * @pz: the pzone.
 * @size_bytes: new total size, a multiple of pzone_block_size_bytes(), at
 *		least the kernel reserve.
 * @reclaim: on shrink, reclaim the pzone's page cache to make room.
 *
 * A grow takes free blocks of the base node first, then empties movable
 * blocks of the base node by migrating their pages to other ordinary nodes.
 * A shrink gives back free blocks first, then empties blocks by migrating
 * their pages to other blocks of the pzone (never out of it), as long as the
 * pzone keeps its high watermark free afterwards; with @reclaim it first
 * reclaims page cache of the pzone to get there.  It never OOM-kills.  All
 * or nothing: on failure the pzone is as before and its last_error says why.
 *
 * Context: Process context; sleeps.  Caller holds device_hotplug_lock.
 * Takes pzone_mutex and mem_hotplug_lock.
 * Return: 0; -EINVAL for a bad size; -EBUSY if @pz is not on; -ENOMEM if the
 * base node could not give enough blocks; -ENOSPC if the pages in the pzone
 * would not fit in the smaller size; -EBUSY if blocks could not be emptied.
 */
int pzone_resize(struct pzone *pz, u64 size_bytes, bool reclaim)
{
	unsigned long nr, cur, kernel, free, wmark;
	nodemask_t target = NODE_MASK_NONE;
	int ret;

	if (size_bytes % PZONE_BLOCK_BYTES)
		return -EINVAL;
	nr = size_bytes / PZONE_BLOCK_BYTES;

	mutex_lock(&pzone_mutex);
	if (pz->state != PZONE_STATE_ON) {
		pzone_err_set(pz, "pzone is %s", pzone_state_name(pz->state));
		ret = -EBUSY;
		goto out_unlock;
	}
	cur = pzone_nr_blocks(pz);
	kernel = pz->nr_blocks[ZONE_NORMAL];
	if (nr < kernel || !nr) {
		pzone_err_set(pz, "size must be at least the kernel reserve (%lu bytes) and not 0",
			      kernel * PZONE_BLOCK_BYTES);
		ret = -EINVAL;
		goto out_unlock;
	}
	ret = 0;
	if (nr == cur)
		goto out_unlock;

	pzone_set_state(pz, PZONE_STATE_RESIZING);
	if (nr > cur) {
		ret = pzone_grow_locked(pz, 0, nr - cur, true);
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
		free = pzone_reclaim_locked(pz, (cur - nr) * PZONE_BLOCK_PAGES +
					    wmark);
	if (!pzone_headroom_ok(free, cur - nr, wmark)) {
		pzone_err_set(pz,
			      "not enough free memory in the pzone for its pages: %lu MiB free, %lu MiB needed",
			      free >> (20 - PAGE_SHIFT),
			      ((cur - nr) * PZONE_BLOCK_PAGES + wmark) >>
			      (20 - PAGE_SHIFT));
		ret = -ENOSPC;
		goto out_on;
	}
	node_set(pz->nid, target);
	ret = pzone_shrink_locked(pz, 0, cur - nr, &target);
out_on:
	pzone_set_state(pz, PZONE_STATE_ON);
out_unlock:
	mutex_unlock(&pzone_mutex);
	return ret;
}

#ifdef CONFIG_PZONE_KUNIT_TEST
#include "tests/pzone_kunit.c"
#endif
