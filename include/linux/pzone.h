/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pzone: derived memory nodes for containers.
 *
 * A pzone is a memory-only NUMA node id reserved at boot and brought online
 * at runtime, filled with MAX_ORDER blocks moved out of a base node.  See
 * Documentation/admin-guide/mm/pzone.rst.
 */
#ifndef _LINUX_PZONE_H
#define _LINUX_PZONE_H

#include <linux/types.h>
#include <linux/jump_label.h>
#include <linux/nodemask.h>
#include <linux/preempt.h>
#include <linux/topology.h>

struct task_struct;
struct kernfs_node;

/* Longest pzone name, without the terminating NUL. */
#define PZONE_NAME_MAX		31
/* Longest reason string kept in last_error, with the NUL. */
#define PZONE_ERR_LEN		128

/**
 * enum pzone_state - Lifecycle state of a pzone.
 * @PZONE_STATE_STARTING: Node id claimed; memory moving in from the base node.
 * @PZONE_STATE_ON:       Node online, holding the last committed size.
 * @PZONE_STATE_RESIZING: A resize is moving blocks in or out.
 * @PZONE_STATE_DRAINING: Memory moving back to the base node; being destroyed.
 * @PZONE_STATE_BROKEN:   A rollback failed.  Only destruction is allowed.
 * @NR_PZONE_STATES:      Number of states.  Keep last.
 */
enum pzone_state {
	PZONE_STATE_STARTING,
	PZONE_STATE_ON,
	PZONE_STATE_RESIZING,
	PZONE_STATE_DRAINING,
	PZONE_STATE_BROKEN,
	NR_PZONE_STATES,
};

/**
 * enum pzone_reason - What a page that kept a block from being emptied was.
 * @PZONE_REASON_BUDDY:  Free (counted for the whole block, for reference).
 * @PZONE_REASON_LRU:    On an LRU list: movable, but migration failed.
 * @PZONE_REASON_SLAB:   A slab page.
 * @PZONE_REASON_PINNED: A user page pinned for DMA (io_uring, vmsplice...).
 * @PZONE_REASON_OTHER:  Any other page in use (page tables, stacks...).
 * @NR_PZONE_REASONS:    Number of reasons.  Keep last.
 */
enum pzone_reason {
	PZONE_REASON_BUDDY,
	PZONE_REASON_LRU,
	PZONE_REASON_SLAB,
	PZONE_REASON_PINNED,
	PZONE_REASON_OTHER,
	NR_PZONE_REASONS,
};

/**
 * enum pzone_event - Events counted per pzone and reported in "events".
 * @PZONE_EVENT_LOW:		The node's kswapd was woken: below low watermark.
 * @PZONE_EVENT_RECLAIM_FAILING: ... while kswapd had given up on the node.
 * @PZONE_EVENT_OOM:		An allocation confined to the node reached OOM.
 * @PZONE_EVENT_OOM_KILL:	... and no standby was left: a task is killed.
 * @PZONE_EVENT_STANDBY_USED:	... and the standby was released instead.
 * @NR_PZONE_EVENTS:		Number of events.  Keep last.
 */
enum pzone_event {
	PZONE_EVENT_LOW,
	PZONE_EVENT_RECLAIM_FAILING,
	PZONE_EVENT_OOM,
	PZONE_EVENT_OOM_KILL,
	PZONE_EVENT_STANDBY_USED,
	NR_PZONE_EVENTS,
};

/**
 * struct pzone_info - Snapshot of a pzone, for the sysfs interface.
 * @name:		Name given at creation.
 * @nid:		Derived node id.
 * @base_nid:		Node the blocks came from.
 * @size_bytes:		Bytes in the pzone (kernel reserve included).
 * @kernel_bytes:	Bytes of the ZONE_NORMAL kernel reserve.
 * @free_bytes:		Free bytes in the derived node.
 * @nr_blocks:		Number of blocks.
 * @state:		Lifecycle state.
 * @blocks_in:		Blocks moved in since creation.
 * @blocks_out:		Blocks moved out since creation.
 * @blocks_evacuated:	Blocks emptied by migrating their pages.
 * @blocks_failed:	Blocks that could not be emptied.
 * @nr_reason:		Pages that kept blocks from being emptied, by reason.
 * @standby_bytes:	Bytes held back for an OOM, not in @size_bytes.
 * @events:		Event counters.
 * @refaults:		Workingset refaults in the node.
 * @last_error:		Reason of the last failed operation, or "".
 */
struct pzone_info {
	char name[PZONE_NAME_MAX + 1];
	int nid;
	int base_nid;
	u64 size_bytes;
	u64 kernel_bytes;
	u64 free_bytes;
	unsigned long nr_blocks;
	enum pzone_state state;
	unsigned long blocks_in;
	unsigned long blocks_out;
	unsigned long blocks_evacuated;
	unsigned long blocks_failed;
	unsigned long nr_reason[NR_PZONE_REASONS];
	u64 standby_bytes;
	unsigned long events[NR_PZONE_EVENTS];
	unsigned long refaults;
	char last_error[PZONE_ERR_LEN];
};

struct pzone;

#ifdef CONFIG_PZONE
extern nodemask_t pzone_reserved_nodes;
DECLARE_STATIC_KEY_FALSE(pzone_active_key);

/**
 * pzone_active() - Is at least one derived node online?
 *
 * Context: Any context.  A static branch.
 * Return: true while a pzone exists.
 */
static inline bool pzone_active(void)
{
	return static_branch_unlikely(&pzone_active_key);
}

void __init pzone_reserve_node_ids(void);
void pzone_kswapd_woken(int nid, int failures);
int pzone_node_distance(int from, int to);
bool pzone_oom_task_eligible(struct task_struct *tsk,
			     const nodemask_t *domain);

/**
 * pzone_is_derived_node() - Is @nid one of the node ids reserved for pzones?
 * @nid: node id, may be %NUMA_NO_NODE.
 *
 * Context: Any context.
 * Return: true if @nid was reserved at boot for pzones, used or not.
 */
static inline bool pzone_is_derived_node(int nid)
{
	return nid >= 0 && nid < MAX_NUMNODES &&
	       node_isset(nid, pzone_reserved_nodes);
}

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

int pzone_current_base_node(void);
int pzone_base_node(int nid);
unsigned long pzone_derived_pcp_pages(int nid, unsigned long managed);

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
	if (!in_task())
		return NUMA_NO_NODE;
	base = pzone_current_base_node();
	if (base == NUMA_NO_NODE || node == NUMA_NO_NODE)
		return base;
	return node;
}

const char *pzone_state_name(enum pzone_state state);
const char *pzone_reason_name(enum pzone_reason reason);
const char *pzone_event_name(enum pzone_event ev);
void pzone_set_events_kn(struct pzone *pz, struct kernfs_node *kn);
int pzone_set_standby(struct pzone *pz, u64 bytes);
u64 pzone_block_size_bytes(void);
int pzone_create(const char *name, int base_nid, u64 size_bytes,
		 u64 kernel_bytes, struct pzone **pzp);
int pzone_destroy(struct pzone *pz, bool evacuate);
void pzone_free(struct pzone *pz);
int pzone_resize(struct pzone *pz, u64 size_bytes, bool reclaim);
void pzone_get_info(struct pzone *pz, struct pzone_info *info);
void pzone_available_nodes(nodemask_t *mask);
void pzone_draining_nodes(nodemask_t *mask);
void pzone_last_error(char *buf, size_t len);
void pzone_set_last_error(const char *fmt, ...) __printf(1, 2);
#else
static inline bool pzone_active(void)
{
	return false;
}

static inline void pzone_reserve_node_ids(void)
{
}

static inline bool pzone_is_derived_node(int nid)
{
	return false;
}

static inline void pzone_note_kswapd_wakeup(int nid, int failures)
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

#endif /* _LINUX_PZONE_H */
