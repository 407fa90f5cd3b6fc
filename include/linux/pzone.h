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
#include <linux/gfp_types.h>
#include <linux/jump_label.h>
#include <linux/nodemask.h>
#include <linux/bits.h>

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
 * @PZONE_STATE_BROKEN:   An invariant broke (a block could not be moved back,
 *                        or a transplant was interrupted).  Only destroy
 *                        is allowed.
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
};

struct pzone;
struct page;
struct file;

/**
 * struct pzone_range - Physical addresses a range pzone's blocks lie in.
 * @start: first address.
 * @end: end address, exclusive.
 */
struct pzone_range {
	u64 start;
	u64 end;
};

/**
 * struct pzone_err - Why an operation failed, for its caller.
 * @reason: one line, without a newline; "" if the operation succeeded or
 *	    failed for a reason its errno says well enough.
 */
struct pzone_err {
	char reason[PZONE_ERR_LEN];
};

/**
 * struct pzone_notifier - Told when the events of a pzone change.
 * @notify: called in any context, at most every few milliseconds, while
 *	    the notifier is set (see pzone_set_notifier()).
 */
struct pzone_notifier {
	void (*notify)(struct pzone_notifier *nb);
};

/* pzone_destroy() flags */
#define PZONE_DESTROY_EVACUATE	BIT(0)	/* also with tasks confined to it */
#define PZONE_DESTROY_FORCE	BIT(1)	/* never refuse: leave a zombie */

/*
 * Bits of address_space->flags that hold the id of the directory binding a
 * mapping's page cache is placed by (mm/pzone_pool.c); 0 is none.  The AS_*
 * flags end below bit 32.
 */
#define PZONE_AS_DIR_SHIFT	32

#ifdef CONFIG_PZONE
extern nodemask_t pzone_reserved_nodes;
DECLARE_STATIC_KEY_FALSE(pzone_dirs_key);
extern nodemask_t pzone_pool_nodes;

/**
 * pzone_dirs_bound() - Is a directory bound to a page-cache pool?
 *
 * Context: Any context.  A patched-out branch while no directory is bound.
 * Return: true while at least one binding exists.
 */
static inline bool pzone_dirs_bound(void)
{
	return static_branch_unlikely(&pzone_dirs_key);
}

/**
 * pzone_pool_node_allowed() - May an allocation outside the cpuset use @nid?
 * @nid: a node outside the current task's cpuset.
 * @gfp: the allocation's mask.
 *
 * The page cache of a bound directory is the pool's, not the reader's
 * (Documentation/admin-guide/mm/pzone.rst, "Shared page-cache pools"): a
 * __GFP_THISNODE allocation or reclaim naming a pool node is not refused
 * by the cpuset of the task that happens to fault the page in.
 *
 * Context: Any context.  Called only for nodes the cpuset refuses.
 * Return: true if @nid is a pool node and @gfp names it alone.
 */
static inline bool pzone_pool_node_allowed(int nid, gfp_t gfp)
{
	return pzone_dirs_bound() && (gfp & __GFP_THISNODE) &&
	       node_isset(nid, pzone_pool_nodes);
}

void __pzone_file_opened(struct file *file);

/**
 * pzone_file_opened() - Hook for do_dentry_open(): place a file's cache.
 * @file: a file just opened.
 *
 * A regular file reached through a directory bound to a pool gets its page
 * cache placed there, whoever opened it; one that is not loses the mark.
 *
 * Context: Process context.  Nothing while no directory is bound.
 */
static inline void pzone_file_opened(struct file *file)
{
	if (pzone_dirs_bound())
		__pzone_file_opened(file);
}

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
 * pzone_have_derived_nodes() - Were node ids reserved for pzones at boot?
 *
 * Context: Any context.
 * Return: true if pzone_nodes= reserved at least one node id.
 */
static inline bool pzone_have_derived_nodes(void)
{
	return !nodes_empty(pzone_reserved_nodes);
}

const char *pzone_state_name(enum pzone_state state);
const char *pzone_reason_name(enum pzone_reason reason);
const char *pzone_event_name(enum pzone_event ev);
u64 pzone_block_size_bytes(void);
int pzone_create(const char *name, int base_nid, u64 size_bytes,
		 u64 kernel_bytes, struct pzone **pzp, struct pzone_err *err);
int pzone_create_range(const char *name, int base_nid, u64 size_bytes,
		       u64 kernel_bytes, const struct pzone_range *range,
		       struct pzone **pzp, struct pzone_err *err);
int pzone_destroy(struct pzone *pz, unsigned int flags,
		  struct pzone_err *err);
int pzone_resize(struct pzone *pz, u64 size_bytes, bool reclaim,
		 struct pzone_err *err);
int pzone_set_standby(struct pzone *pz, u64 bytes, struct pzone_err *err);
int pzone_set_fallback_cgroup(struct pzone *pz, const char *path, bool on,
			      struct pzone_err *err);
size_t pzone_print_fallback_cgroups(struct pzone *pz, char *buf, size_t len);
size_t pzone_print_blocks(struct pzone *pz, char *buf, size_t len);
int pzone_nid(struct pzone *pz);
struct page *pzone_alloc_pages(struct pzone *pz, gfp_t gfp, unsigned int order);
struct pzone *pzone_get_by_name(const char *name);
void pzone_put(struct pzone *pz);
void pzone_set_priv(struct pzone *pz, void *priv);
void *pzone_priv(struct pzone *pz);
void pzone_set_notifier(struct pzone *pz, struct pzone_notifier *nb);
void pzone_get_info(struct pzone *pz, struct pzone_info *info);
void pzone_available_nodes(nodemask_t *mask);
void pzone_draining_nodes(nodemask_t *mask);
int pzone_kernel_node(void);
int pzone_bind_dir(struct pzone *pz, const char *path, struct pzone_err *err);
int pzone_unbind_dir(struct pzone *pz, const char *path,
		     struct pzone_err *err);
size_t pzone_print_dirs(struct pzone *pz, char *buf, size_t len);
#else
static inline int pzone_kernel_node(void)
{
	return NUMA_NO_NODE;
}

static inline bool pzone_dirs_bound(void)
{
	return false;
}

static inline bool pzone_pool_node_allowed(int nid, gfp_t gfp)
{
	return false;
}

static inline void pzone_file_opened(struct file *file)
{
}

static inline bool pzone_is_derived_node(int nid)
{
	return false;
}

static inline bool pzone_have_derived_nodes(void)
{
	return false;
}
#endif /* CONFIG_PZONE */

#endif /* _LINUX_PZONE_H */
