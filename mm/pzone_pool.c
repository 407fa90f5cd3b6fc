// SPDX-License-Identifier: GPL-2.0
/*
 * pzone shared page-cache pools: a directory hierarchy bound to a pzone.
 *
 * The page cache of every regular file under a bound directory is allocated
 * on the pool pzone's node, whoever reads, maps, executes or writes it, and
 * the pool's own kswapd and direct reclaim keep it inside the pool.  What a
 * file is bound to is an id in the high bits of its mapping's flags
 * (PZONE_AS_DIR_SHIFT), set when the file is opened (pzone_file_opened(),
 * from do_dentry_open()) and, at bind time, on every regular inode of the
 * directory's superblock that is cached below it.  The id leads to the
 * binding through pzone_dir_ids; an id whose binding is gone leads nowhere,
 * so unbinding never has to find the mappings it marked.
 *
 * Bindings are found by dentry ancestry (is_subdir()), not by path, so a
 * bind mount of the directory, or an overlayfs whose lower layer is the
 * directory (its real files are opened through backing_file_open()), reach
 * the same binding.  The nearest bound ancestor of a file wins.
 *
 * Lock order: pzone->mutex, then pzone_dir_mutex, then
 * pzone_dir_populate_mutex.  The last serialises the moves of binds: a bind
 * takes it and then lets the other two go, so that reading the bindings or
 * suspending another pool never waits for a long move; nothing that holds
 * it takes another of them.
 * Readers use RCU (the open hook) or SRCU (the allocation, which sleeps
 * and must be waited for when a pool is suspended); a binding is freed
 * after both grace periods.
 */

#define pr_fmt(fmt) "pzone: " fmt
#define PZONE_CORE

#include <linux/backing-dev.h>
#include <linux/dcache.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <linux/migrate.h>
#include <linux/mm.h>
#include <linux/namei.h>
#include <linux/pagemap.h>
#include <linux/pagevec.h>
#include <linux/path.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/srcu.h>
#include <linux/swap.h>
#include <linux/writeback.h>

#include "internal.h"
#include "pzone_internal.h"

/* Most directories bound at once. */
#define PZONE_MAX_DIRS		256
/* Pages isolated at bind time before they are migrated as one batch. */
#define PZONE_DIR_BATCH		512
/* Waits of up to HZ/10 for writeback of a pool over its dirty limit. */
#define PZONE_DIRTY_WAITS	20
/* After the pool could not take an allocation, go around it this long. */
#define PZONE_FALLBACK_BACKOFF	(HZ / 10)
/* Retries of a failed pool allocation, each after a wait for reclaim. */
#define PZONE_POOL_RETRIES	2

/**
 * struct pzone_dir - A directory hierarchy bound to a pzone.
 * @list:	Entry in pzone_dirs: RCU for readers, pzone_dir_mutex for
 *		writers.
 * @gone:	Entry in a list of bindings to free after a grace period.
 * @path:	The directory; a reference.
 * @sb:		Its superblock, compared by readers without a reference.
 * @id:		The id stored in the mappings it places; never reused
 *		before 2^32 bindings.
 * @pool_nid:	The pool pzone's node.
 * @nid:	@pool_nid, or %NUMA_NO_NODE while the pool is being destroyed;
 *		READ_ONCE() by the allocation.
 * @pz_name:	The pool pzone's name, for error messages.
 * @moved:	Pages moved into the pool at bind time.
 * @unmoved:	Pages of the hierarchy that could not be moved at bind time.
 * @fallbacks:	Allocations the pool could not satisfy even after reclaim,
 *		made as if the file were not bound.
 * @no_pool_until: jiffies before which allocations go around the pool, after
 *		a fallback (PZONE_FALLBACK_BACKOFF).
 */
struct pzone_dir {
	struct list_head list;
	struct list_head gone;
	struct path path;
	struct super_block *sb;
	u32 id;
	int pool_nid;
	int nid;
	char pz_name[PZONE_NAME_MAX + 1];
	unsigned long moved;
	unsigned long unmoved;
	atomic_long_t fallbacks;
	unsigned long no_pool_until;
};

static LIST_HEAD(pzone_dirs);
static DEFINE_MUTEX(pzone_dir_mutex);
static DEFINE_MUTEX(pzone_dir_populate_mutex);
DEFINE_STATIC_SRCU(pzone_dir_srcu);
/* Bumped by every bind and unbind, for the open hook's recheck. */
static atomic_t pzone_dir_gen;
static DEFINE_XARRAY_ALLOC1(pzone_dir_ids);
static u32 pzone_dir_next_id;
static unsigned int pzone_nr_dirs;
DEFINE_STATIC_KEY_FALSE(pzone_dirs_key);
/* Nodes with an active binding, for pzone_pool_node_allowed(). */
nodemask_t pzone_pool_nodes;

static_assert(AS_FOLIO_ORDER_MAX + AS_FOLIO_ORDER_BITS <= PZONE_AS_DIR_SHIFT);
static_assert(PZONE_AS_DIR_SHIFT + 32 <= BITS_PER_LONG);

VISIBLE_IF_KUNIT u32 pzone_mapping_dir(struct address_space *mapping)
{
	return READ_ONCE(mapping->flags) >> PZONE_AS_DIR_SHIFT;
}
EXPORT_SYMBOL_IF_KUNIT(pzone_mapping_dir);

/* Store @id in @mapping's flags; the AS_* bits change under us atomically. */
VISIBLE_IF_KUNIT void pzone_mapping_set_dir(struct address_space *mapping,
					    u32 id)
{
	unsigned long old = READ_ONCE(mapping->flags), new;

	do {
		new = (old & GENMASK(PZONE_AS_DIR_SHIFT - 1, 0)) |
		      ((unsigned long)id << PZONE_AS_DIR_SHIFT);
		if (new == old)
			return;
	} while (!try_cmpxchg(&mapping->flags, &old, new));
}
EXPORT_SYMBOL_IF_KUNIT(pzone_mapping_set_dir);

/*
 * The binding nearest above @dentry, or NULL.  Caller holds rcu_read_lock()
 * or pzone_dir_mutex.
 */
static struct pzone_dir *pzone_dir_find(struct dentry *dentry)
{
	struct pzone_dir *d, *best = NULL;

	list_for_each_entry_rcu(d, &pzone_dirs, list,
				lockdep_is_held(&pzone_dir_mutex)) {
		if (d->sb != dentry->d_sb || !is_subdir(dentry, d->path.dentry))
			continue;
		if (!best || is_subdir(d->path.dentry, best->path.dentry))
			best = d;
	}
	return best;
}

/* Recompute pzone_pool_nodes.  Caller holds pzone_dir_mutex. */
static void pzone_pool_nodes_update_locked(void)
{
	nodemask_t nodes = NODE_MASK_NONE;
	struct pzone_dir *d;
	int nid;

	lockdep_assert_held(&pzone_dir_mutex);

	list_for_each_entry(d, &pzone_dirs, list)
		if (d->nid != NUMA_NO_NODE)
			node_set(d->nid, nodes);
	/* read locklessly, a bit at a time: change it a bit at a time */
	for_each_node_mask(nid, pzone_reserved_nodes) {
		if (node_isset(nid, nodes))
			node_set(nid, pzone_pool_nodes);
		else
			node_clear(nid, pzone_pool_nodes);
	}
}

/**
 * __pzone_file_opened() - Mark the mapping of a file just opened.
 * @file: the file.
 *
 * Context: Process context, from pzone_file_opened().
 */
void __pzone_file_opened(struct file *file)
{
	struct dentry *dentry = file->f_path.dentry;
	struct pzone_dir *d;
	int gen, tries = 3;
	u32 id;

	/*
	 * A disconnected dentry (nfsd, open_by_handle_at()) has no known
	 * ancestors: keep the mark the file has.
	 */
	if (!S_ISREG(file_inode(file)->i_mode) || !file->f_mapping ||
	    (dentry->d_flags & DCACHE_DISCONNECTED))
		return;
	do {
		gen = atomic_read(&pzone_dir_gen);
		smp_rmb();	/* the list after the generation */
		id = 0;
		rcu_read_lock();
		d = pzone_dir_find(dentry);
		if (d)
			id = d->id;
		rcu_read_unlock();
		if (id != pzone_mapping_dir(file->f_mapping))
			pzone_mapping_set_dir(file->f_mapping, id);
		/* A bind that marked the file meanwhile may have been overwritten. */
		smp_mb();
	} while (atomic_read(&pzone_dir_gen) != gen && --tries);
}

/*
 * A writer about to dirty a new page of a pool whose dirty and writeback
 * pages are over the pool's own dirty limit (vm.dirty_ratio or
 * vm.dirty_bytes of the pool node's dirtyable memory, node_dirty_ok())
 * waits for writeback in the pool, as reclaim does, for at most
 * PZONE_DIRTY_WAITS tenths of a second.  balance_dirty_pages() throttles
 * against the whole machine's (or the writer's memcg's) limit, which a
 * small pool is far below; without this a writer fills the pool with
 * dirty pages that its reclaim can only wait for.
 */
static void pzone_pool_dirty_throttle(struct address_space *mapping, int nid,
				      gfp_t gfp)
{
	pg_data_t *pgdat = NODE_DATA(nid);
	int i;

	/*
	 * Not with filesystem locks or a transaction held (FGP_NOFS: no
	 * __GFP_FS), nor for a task that writeback itself waits for.
	 */
	if (!(gfp & __GFP_WRITE) || !(gfp & __GFP_FS) ||
	    !gfpflags_allow_blocking(gfp) ||
	    (current->flags & (PF_LOCAL_THROTTLE | PF_MEMALLOC_NOFS |
			       PF_MEMALLOC_NOIO)))
		return;
	for (i = 0; i < PZONE_DIRTY_WAITS && !node_dirty_ok(pgdat); i++) {
		if (!i)
			wakeup_flusher_threads_bdi(inode_to_bdi(mapping->host),
						   WB_REASON_VMSCAN);
		reclaim_throttle(pgdat, VMSCAN_THROTTLE_WRITEBACK);
		if (fatal_signal_pending(current))
			break;
	}
}

/**
 * pzone_alloc_folio() - Allocate a page-cache folio of a bound file.
 * @mapping: the file's mapping, marked by a binding.
 * @gfp: the allocation's mask.
 * @order: the folio's order.
 *
 * A writer waits first while the pool is over its dirty limit
 * (pzone_pool_dirty_throttle()).  The binding is held under SRCU for the
 * whole attempt, so that a pool being destroyed waits for it
 * (pzone_dirs_suspend()).  The folio comes from the pool's node alone: its
 * kswapd and, for the caller's direct reclaim, its LRU make room
 * (pzone_pool_node_allowed() lets both past the caller's cpuset), and
 * there is no OOM kill for a __GFP_THISNODE allocation.  A failure is
 * retried PZONE_POOL_RETRIES times, after a wait for reclaim and a drain
 * of the per-CPU lists.  If even that fails, the allocation is made as if
 * the file were not bound, and counted, unless @gfp says the caller copes
 * with a failure (__GFP_NORETRY: readahead); for the next
 * PZONE_FALLBACK_BACKOFF, allocations go around the pool.  A mapping whose
 * binding is gone, or whose pool is being destroyed, is allocated as usual.
 *
 * Context: Process context, from mapping_alloc_folio().
 * Return: the folio, or NULL.
 */
struct folio *pzone_alloc_folio_noprof(struct address_space *mapping,
				       gfp_t gfp, unsigned int order)
{
	u32 id = pzone_mapping_dir(mapping);
	struct folio *folio = NULL;
	struct pzone_dir *d;
	nodemask_t nodes;
	int nid, idx, tries;
	gfp_t pool_gfp;

	idx = srcu_read_lock(&pzone_dir_srcu);
	d = xa_load(&pzone_dir_ids, id);
	nid = d ? READ_ONCE(d->nid) : NUMA_NO_NODE;
	if (nid == NUMA_NO_NODE ||
	    time_before(jiffies, READ_ONCE(d->no_pool_until)))
		goto out_unlock;

	pzone_pool_dirty_throttle(mapping, nid, gfp);
	/*
	 * The page is the pool's, not the caller's: no __GFP_HARDWALL.  With
	 * it, once any cpuset holds only movable-only nodes (a pzone with no
	 * kernel reserve) cpusets_insane_config() sends every slow-path
	 * attempt of a reader whose cpuset has no zone in the pool's
	 * zonelist to nopage, and the pool never gets to reclaim for it.
	 */
	pool_gfp = (gfp | __GFP_THISNODE | __GFP_NOWARN) & ~__GFP_HARDWALL;
	nodes = nodemask_of_node(nid);
	folio = __folio_alloc_noprof(pool_gfp, order, nid, &nodes);
	/*
	 * Reclaim in the pool may have lost a race with other reclaimers
	 * (pages isolated by the pool's kswapd, freed to other CPUs' lists):
	 * wait for it, drain the lists, try again, before leaving the pool.
	 */
	for (tries = 0; !folio && !(gfp & __GFP_NORETRY) &&
	     gfpflags_allow_blocking(gfp) && tries < PZONE_POOL_RETRIES; tries++) {
		reclaim_throttle(NODE_DATA(nid), VMSCAN_THROTTLE_ISOLATED);
		drain_all_pages(NULL);
		folio = __folio_alloc_noprof(pool_gfp, order, nid, &nodes);
	}
	if (folio || (gfp & __GFP_NORETRY)) {
		srcu_read_unlock(&pzone_dir_srcu, idx);
		return folio;
	}
	atomic_long_inc(&d->fallbacks);
	WRITE_ONCE(d->no_pool_until, jiffies + PZONE_FALLBACK_BACKOFF);
out_unlock:
	srcu_read_unlock(&pzone_dir_srcu, idx);
	return filemap_alloc_folio_noprof(gfp, order);
}

/* Migrate @nr isolated pages on @list into @d's pool. */
static void pzone_dir_migrate(struct pzone_dir *d, struct list_head *list,
			      unsigned long nr)
{
	nodemask_t nodes = nodemask_of_node(d->pool_nid);
	struct migration_target_control mtc = {
		.nid = d->pool_nid,
		.nmask = &nodes,
		/* never evict what was just moved in to move more */
		.gfp_mask = (GFP_HIGHUSER_MOVABLE & ~__GFP_HARDWALL) |
			    __GFP_THISNODE | __GFP_NOWARN | __GFP_NORETRY,
		.reason = MR_SYSCALL,
	};
	unsigned int succeeded = 0;

	if (migrate_pages(list, alloc_migration_target, NULL,
			  (unsigned long)&mtc, MIGRATE_SYNC, MR_SYSCALL,
			  &succeeded))
		putback_movable_pages(list);
	WRITE_ONCE(d->moved, d->moved + succeeded);
	WRITE_ONCE(d->unmoved, d->unmoved + nr - min_t(unsigned long, nr, succeeded));
}

/* Move the cached folios of @mapping that are outside @d's pool into it. */
static void pzone_dir_move_mapping(struct pzone_dir *d,
				   struct address_space *mapping)
{
	struct folio_batch fbatch;
	unsigned long nr = 0;
	pgoff_t index = 0;
	LIST_HEAD(list);
	unsigned int i;

	folio_batch_init(&fbatch);
	while (filemap_get_folios(mapping, &index, ULONG_MAX, &fbatch)) {
		for (i = 0; i < folio_batch_count(&fbatch); i++) {
			struct folio *folio = fbatch.folios[i];

			if (folio_nid(folio) == d->pool_nid)
				continue;
			if (!isolate_folio_to_list(folio, &list)) {
				WRITE_ONCE(d->unmoved,
					   d->unmoved + folio_nr_pages(folio));
				continue;
			}
			nr += folio_nr_pages(folio);
		}
		folio_batch_release(&fbatch);
		if (nr >= PZONE_DIR_BATCH) {
			pzone_dir_migrate(d, &list, nr);
			nr = 0;
		}
		cond_resched();
	}
	if (nr)
		pzone_dir_migrate(d, &list, nr);
}

/* Mark and move @inode if its nearest bound ancestor is @d. */
static void pzone_dir_adopt_inode(struct pzone_dir *d, struct inode *inode)
{
	struct pzone_dir *found;
	struct dentry *alias;

	if (!S_ISREG(inode->i_mode))
		return;
	alias = d_find_alias(inode);
	if (!alias)
		return;
	rcu_read_lock();
	found = pzone_dir_find(alias);
	rcu_read_unlock();
	dput(alias);
	if (found != d)
		return;
	pzone_mapping_set_dir(inode->i_mapping, d->id);
	if (inode->i_mapping->nrpages)
		pzone_dir_move_mapping(d, inode->i_mapping);
}

/*
 * Mark every regular inode of @d's superblock cached below @d and move its
 * page cache into the pool.  Inodes not in the inode cache have no page
 * cache; they are marked when opened.  Caller holds
 * pzone_dir_populate_mutex, which keeps @d from being freed.
 */
static void pzone_dir_populate(struct pzone_dir *d)
{
	struct super_block *sb = d->sb;
	struct inode *inode, *toput = NULL;

	lockdep_assert_held(&pzone_dir_populate_mutex);

	lru_add_drain_all();
	spin_lock(&sb->s_inode_list_lock);
	list_for_each_entry(inode, &sb->s_inodes, i_sb_list) {
		spin_lock(&inode->i_lock);
		/*
		 * As drop_pagecache_sb(): inodes in unusual states are
		 * skipped, other inodes only when no reschedule is due.
		 */
		if ((inode->i_state & (I_FREEING | I_WILL_FREE | I_NEW)) ||
		    (!S_ISREG(inode->i_mode) && !need_resched())) {
			spin_unlock(&inode->i_lock);
			continue;
		}
		__iget(inode);
		spin_unlock(&inode->i_lock);
		spin_unlock(&sb->s_inode_list_lock);

		pzone_dir_adopt_inode(d, inode);

		/* The reference keeps our place in the list; drop the last. */
		iput(toput);
		toput = inode;
		cond_resched();
		spin_lock(&sb->s_inode_list_lock);
	}
	spin_unlock(&sb->s_inode_list_lock);
	iput(toput);
}

/* Unlink @d; the caller frees it with pzone_dir_free(). */
static void pzone_dir_unlink_locked(struct pzone_dir *d)
{
	lockdep_assert_held(&pzone_dir_mutex);

	list_del_rcu(&d->list);
	xa_erase(&pzone_dir_ids, d->id);
	atomic_inc(&pzone_dir_gen);
	pzone_nr_dirs--;
	pzone_pool_nodes_update_locked();
	static_branch_dec(&pzone_dirs_key);
}

/*
 * Wait for the readers of unlinked bindings: RCU (the open hook), SRCU (the
 * allocation), and a bind still moving pages in.
 */
static void pzone_dir_wait_readers(void)
{
	synchronize_rcu();
	synchronize_srcu(&pzone_dir_srcu);
	mutex_lock(&pzone_dir_populate_mutex);
	mutex_unlock(&pzone_dir_populate_mutex);
}

static void pzone_dir_free(struct pzone_dir *d)
{
	path_put(&d->path);
	kfree(d);
}

/*
 * Is @name the path of @d as pzone_print_dirs() prints it, or, for a
 * directory removed since, that path without d_path()'s " (deleted)"?
 * @buf holds PATH_MAX bytes.
 */
static bool pzone_dir_name_is(struct pzone_dir *d, const char *name, char *buf)
{
	static const char deleted[] = " (deleted)";
	char *p = d_path(&d->path, buf, PATH_MAX);
	size_t len, dl = sizeof(deleted) - 1;

	if (IS_ERR(p))
		return false;
	if (!strcmp(p, name))
		return true;
	len = strlen(p);
	return len > dl && !strcmp(p + len - dl, deleted) &&
	       strlen(name) == len - dl && !strncmp(p, name, len - dl);
}

/* Is @path a directory that may be bound?  Sets @err if not. */
static int pzone_dir_lookup(const char *path, struct path *p,
			    struct pzone_err *err)
{
	int ret;

	if (path[0] != '/' || strpbrk(path, "\t\n")) {
		pzone_err_set(err, "%s: not an absolute path without tabs or newlines",
			      path);
		return -EINVAL;
	}
	ret = kern_path(path, LOOKUP_FOLLOW, p);
	if (ret) {
		pzone_err_set(err, "%s: no such directory", path);
		return ret;
	}
	if (!d_is_dir(p->dentry)) {
		pzone_err_set(err, "%s is not a directory", path);
		path_put(p);
		return -ENOTDIR;
	}
	return 0;
}

/*
 * Can the pool hold the page cache of @p's filesystem?  Not of tmpfs,
 * ramfs or hugetlbfs, whose pages a pool without swap cannot reclaim and
 * which do not allocate through the page cache's allocator, nor of an
 * overlayfs, whose files' cache is its layers' (bind the lower directory).
 */
static int pzone_dir_fs_ok(const char *path, struct path *p,
			   struct pzone_err *err)
{
	switch (p->dentry->d_sb->s_magic) {
	case TMPFS_MAGIC:
	case RAMFS_MAGIC:
	case HUGETLBFS_MAGIC:
		pzone_err_set(err, "%s is on %s, which a pool cannot reclaim",
			      path, p->dentry->d_sb->s_type->name);
		return -EINVAL;
	case OVERLAYFS_SUPER_MAGIC:
		pzone_err_set(err, "%s is on overlayfs: bind its lower directory",
			      path);
		return -EINVAL;
	}
	return 0;
}

/**
 * pzone_bind_dir() - Bind a directory hierarchy to a pzone's pool.
 * @pz: the pool pzone.
 * @path: an absolute path to a directory, from the caller's root.
 * @err: why it failed.
 *
 * From now on, the page cache of the regular files below @path, through
 * any mount of them, is allocated on @pz's node.  Pages of those files
 * already cached elsewhere are moved there now; those that cannot move
 * (pinned, or whose migration failed) are counted.
 *
 * Context: Process context; sleeps, for as long as the move takes.
 * Return: 0; -EINVAL for a relative path, -ENOENT, -ENOTDIR, -EEXIST if
 * the directory is bound already (to @pz or another pzone), -EBUSY if @pz
 * is not on, -ENOSPC if too many directories are bound, -ENOMEM.
 */
int pzone_bind_dir(struct pzone *pz, const char *path, struct pzone_err *err)
{
	struct pzone_dir *d, *old;
	struct path p;
	int ret;

	err->reason[0] = '\0';
	ret = pzone_dir_lookup(path, &p, err);
	if (ret)
		return ret;
	ret = pzone_dir_fs_ok(path, &p, err);
	if (ret)
		goto out_put;
	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d) {
		ret = -ENOMEM;
		goto out_put;
	}

	mutex_lock(&pz->mutex);
	if (pz->state != PZONE_STATE_ON && pz->state != PZONE_STATE_RESIZING) {
		pzone_err_set(err, "pzone %s is %s", pz->name,
			      pzone_state_name(pz->state));
		ret = -EBUSY;
		goto out_unlock_pz;
	}
	mutex_lock(&pzone_dir_mutex);
	list_for_each_entry(old, &pzone_dirs, list) {
		if (old->path.dentry == p.dentry) {
			pzone_err_set(err, "%s is already bound to pzone %s",
				      path, old->pz_name);
			ret = -EEXIST;
			goto out_unlock;
		}
	}
	if (pzone_nr_dirs >= PZONE_MAX_DIRS) {
		pzone_err_set(err, "%u directories are bound already",
			      PZONE_MAX_DIRS);
		ret = -ENOSPC;
		goto out_unlock;
	}
	d->path = p;
	d->sb = p.dentry->d_sb;
	d->pool_nid = pz->nid;
	d->nid = pz->nid;
	strscpy(d->pz_name, pz->name, sizeof(d->pz_name));
	atomic_long_set(&d->fallbacks, 0);
	ret = xa_alloc_cyclic(&pzone_dir_ids, &d->id, d, xa_limit_32b,
			      &pzone_dir_next_id, GFP_KERNEL);
	if (ret < 0) {
		pzone_err_set(err, "no memory to bind %s", path);
		goto out_unlock;
	}
	list_add_tail_rcu(&d->list, &pzone_dirs);
	atomic_inc(&pzone_dir_gen);
	pzone_nr_dirs++;
	pzone_pool_nodes_update_locked();
	static_branch_inc(&pzone_dirs_key);
	/*
	 * Move the cache in holding only pzone_dir_populate_mutex: an unbind
	 * or destroy meanwhile unlinks @d and waits for it before freeing.
	 */
	mutex_lock(&pzone_dir_populate_mutex);
	mutex_unlock(&pzone_dir_mutex);
	mutex_unlock(&pz->mutex);

	pzone_dir_populate(d);
	pr_info("%s: %s bound: %lu pages moved in, %lu could not move\n",
		d->pz_name, path, READ_ONCE(d->moved), READ_ONCE(d->unmoved));
	mutex_unlock(&pzone_dir_populate_mutex);
	return 0;

out_unlock:
	mutex_unlock(&pzone_dir_mutex);
out_unlock_pz:
	mutex_unlock(&pz->mutex);
	kfree(d);
out_put:
	path_put(&p);
	return ret;
}

/**
 * pzone_unbind_dir() - Stop placing a directory hierarchy in a pool.
 * @pz: the pool pzone.
 * @path: the directory, as given to pzone_bind_dir() or another path to it.
 * @err: why it failed.
 *
 * New page cache of the files below @path is allocated as usual again;
 * what the pool holds stays there until it is reclaimed.
 *
 * @path that no longer leads to the directory (removed, unmounted, another
 * mount namespace) is matched against the bound directories' paths as
 * pzone_print_dirs() prints them.
 *
 * Context: Process context; sleeps (grace periods, a bind's move).
 * Return: 0; -EINVAL for a relative path, -ENOENT if @path is not bound to
 * @pz, -ENOMEM.
 */
int pzone_unbind_dir(struct pzone *pz, const char *path,
		     struct pzone_err *err)
{
	struct pzone_dir *d, *found = NULL;
	struct path p;
	int ret = 0;
	char *buf;

	err->reason[0] = '\0';
	if (path[0] != '/') {
		pzone_err_set(err, "%s: not an absolute path", path);
		return -EINVAL;
	}
	/* A directory removed or unmounted since is found by its name. */
	if (kern_path(path, LOOKUP_FOLLOW, &p))
		p.dentry = NULL;
	buf = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!buf) {
		ret = -ENOMEM;
		goto out_put;
	}
	mutex_lock(&pzone_dir_mutex);
	list_for_each_entry(d, &pzone_dirs, list) {
		if (d->pool_nid != pz->nid)
			continue;
		if (p.dentry ? d->path.dentry == p.dentry :
		    pzone_dir_name_is(d, path, buf)) {
			found = d;
			break;
		}
	}
	if (found)
		pzone_dir_unlink_locked(found);
	mutex_unlock(&pzone_dir_mutex);
	kfree(buf);
	if (!found) {
		pzone_err_set(err, "%s is not bound to pzone %s", path,
			      pz->name);
		ret = -ENOENT;
		goto out_put;
	}
	pzone_dir_wait_readers();
	pzone_dir_free(found);
out_put:
	if (p.dentry)
		path_put(&p);
	return ret;
}

/**
 * pzone_dirs_suspend() - Stop or restart placing page cache in a pool.
 * @nid: the pool's node.
 * @suspend: stop (true) or restart (false).
 *
 * A pool being destroyed takes no new page cache, so that its node can be
 * emptied; if the destroy fails, the bindings work again.
 *
 * Context: Process context; sleeps.  Caller holds the pool's pzone->mutex.
 */
void pzone_dirs_suspend(int nid, bool suspend)
{
	struct pzone_dir *d;

	bool any = false;

	mutex_lock(&pzone_dir_mutex);
	list_for_each_entry(d, &pzone_dirs, list) {
		if (d->pool_nid == nid) {
			WRITE_ONCE(d->nid, suspend ? NUMA_NO_NODE : nid);
			any = true;
		}
	}
	pzone_pool_nodes_update_locked();
	mutex_unlock(&pzone_dir_mutex);
	/* Allocations that read the node before: done before the drain. */
	if (any && suspend)
		synchronize_srcu(&pzone_dir_srcu);
}

/**
 * pzone_dirs_forget() - Unbind every directory bound to a pool.
 * @nid: the pool's node, which is going away.
 *
 * Context: Process context; sleeps.  Caller holds the pool's pzone->mutex.
 */
void pzone_dirs_forget(int nid)
{
	struct pzone_dir *d, *tmp;
	LIST_HEAD(gone);

	mutex_lock(&pzone_dir_mutex);
	list_for_each_entry_safe(d, tmp, &pzone_dirs, list) {
		if (d->pool_nid != nid)
			continue;
		pzone_dir_unlink_locked(d);
		/* Readers may still walk @d->list until a grace period. */
		list_add(&d->gone, &gone);
	}
	mutex_unlock(&pzone_dir_mutex);
	if (list_empty(&gone))
		return;
	pzone_dir_wait_readers();
	list_for_each_entry_safe(d, tmp, &gone, gone)
		pzone_dir_free(d);
}

/**
 * pzone_print_dirs() - The directories bound to a pool.
 * @pz: the pool pzone.
 * @buf: where to print them, one per line: the path from the caller's
 *	 root, a tab, the pages moved in at bind time, a tab, the pages
 *	 that could not move, a tab, the allocations that fell back.
 * @len: size of @buf.
 *
 * Context: Process context; sleeps.
 * Return: bytes printed, without a terminating NUL; what does not fit is
 * left out.
 */
size_t pzone_print_dirs(struct pzone *pz, char *buf, size_t len)
{
	struct pzone_dir *d;
	size_t off = 0;
	char *tmp, *p;
	int n;

	tmp = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!tmp)
		return 0;
	mutex_lock(&pzone_dir_mutex);
	list_for_each_entry(d, &pzone_dirs, list) {
		if (d->pool_nid != pz->nid)
			continue;
		p = d_path(&d->path, tmp, PATH_MAX);
		if (IS_ERR(p))
			continue;
		n = snprintf(buf + off, len - off, "%s\t%lu\t%lu\t%ld\n", p,
			     READ_ONCE(d->moved), READ_ONCE(d->unmoved),
			     atomic_long_read(&d->fallbacks));
		if (n >= len - off)
			break;
		off += n;
	}
	mutex_unlock(&pzone_dir_mutex);
	kfree(tmp);
	return off;
}
