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
 * Lock order: pzone->mutex, then pzone_dir_mutex.  Readers (the open hook,
 * the allocation) use RCU only.
 */

#define pr_fmt(fmt) "pzone: " fmt
#define PZONE_CORE

#include <linux/dcache.h>
#include <linux/fs.h>
#include <linux/migrate.h>
#include <linux/mm.h>
#include <linux/namei.h>
#include <linux/pagemap.h>
#include <linux/pagevec.h>
#include <linux/path.h>
#include <linux/rculist.h>
#include <linux/slab.h>
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
};

static LIST_HEAD(pzone_dirs);
static DEFINE_MUTEX(pzone_dir_mutex);
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

	lockdep_assert_held(&pzone_dir_mutex);

	list_for_each_entry(d, &pzone_dirs, list)
		if (d->nid != NUMA_NO_NODE)
			node_set(d->nid, nodes);
	pzone_pool_nodes = nodes;
}

/**
 * __pzone_file_opened() - Mark the mapping of a file just opened.
 * @file: the file.
 *
 * Context: Process context, from pzone_file_opened().
 */
void __pzone_file_opened(struct file *file)
{
	struct pzone_dir *d;
	u32 id = 0;

	if (!S_ISREG(file_inode(file)->i_mode) || !file->f_mapping)
		return;
	rcu_read_lock();
	d = pzone_dir_find(file->f_path.dentry);
	if (d)
		id = d->id;
	rcu_read_unlock();
	if (id != pzone_mapping_dir(file->f_mapping))
		pzone_mapping_set_dir(file->f_mapping, id);
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
static void pzone_pool_dirty_throttle(int nid, gfp_t gfp)
{
	pg_data_t *pgdat = NODE_DATA(nid);
	int i;

	if (!(gfp & __GFP_WRITE) || !gfpflags_allow_blocking(gfp))
		return;
	for (i = 0; i < PZONE_DIRTY_WAITS && !node_dirty_ok(pgdat); i++) {
		if (!i)
			wakeup_flusher_threads(WB_REASON_VMSCAN);
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
 * (pzone_pool_dirty_throttle()).  The folio comes from the pool's node
 * alone: its kswapd and, for the
 * caller's direct reclaim, its LRU make room (pzone_pool_node_allowed() lets
 * both past the caller's cpuset), and there is no OOM kill for a
 * __GFP_THISNODE allocation.  If even that fails, the allocation is made
 * as if the file were not bound, and counted, unless @gfp says the caller
 * copes with a failure (__GFP_NORETRY: readahead).  A mapping whose binding
 * is gone, or whose pool is being destroyed, is allocated as usual.
 *
 * Context: Process context, from mapping_alloc_folio().
 * Return: the folio, or NULL.
 */
struct folio *pzone_alloc_folio_noprof(struct address_space *mapping,
				       gfp_t gfp, unsigned int order)
{
	u32 id = pzone_mapping_dir(mapping);
	struct pzone_dir *d;
	struct folio *folio;
	nodemask_t nodes;
	int nid = NUMA_NO_NODE;

	rcu_read_lock();
	d = xa_load(&pzone_dir_ids, id);
	if (d)
		nid = READ_ONCE(d->nid);
	rcu_read_unlock();
	if (nid == NUMA_NO_NODE)
		return filemap_alloc_folio_noprof(gfp, order);

	pzone_pool_dirty_throttle(nid, gfp);
	nodes = nodemask_of_node(nid);
	folio = __folio_alloc_noprof(gfp | __GFP_THISNODE | __GFP_NOWARN, order,
				     nid, &nodes);
	if (folio || (gfp & __GFP_NORETRY))
		return folio;

	rcu_read_lock();
	d = xa_load(&pzone_dir_ids, id);
	if (d)
		atomic_long_inc(&d->fallbacks);
	rcu_read_unlock();
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
		.gfp_mask = GFP_HIGHUSER_MOVABLE | __GFP_THISNODE | __GFP_NOWARN,
		.reason = MR_SYSCALL,
	};
	unsigned int succeeded = 0;

	if (migrate_pages(list, alloc_migration_target, NULL,
			  (unsigned long)&mtc, MIGRATE_SYNC, MR_SYSCALL,
			  &succeeded))
		putback_movable_pages(list);
	d->moved += succeeded;
	d->unmoved += nr - min_t(unsigned long, nr, succeeded);
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
				d->unmoved += folio_nr_pages(folio);
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
	struct dentry *alias = d_find_alias(inode);
	struct pzone_dir *found;

	if (!alias)
		return;
	found = pzone_dir_find(alias);
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
 * cache; they are marked when opened.  Caller holds pzone_dir_mutex.
 */
static void pzone_dir_populate(struct pzone_dir *d)
{
	struct super_block *sb = d->sb;
	struct inode *inode, *toput = NULL;

	lockdep_assert_held(&pzone_dir_mutex);

	lru_add_drain_all();
	spin_lock(&sb->s_inode_list_lock);
	list_for_each_entry(inode, &sb->s_inodes, i_sb_list) {
		spin_lock(&inode->i_lock);
		if ((inode->i_state & (I_FREEING | I_WILL_FREE | I_NEW)) ||
		    !S_ISREG(inode->i_mode)) {
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

/* Unlink @d; the caller frees it with pzone_dir_free() after a grace period. */
static void pzone_dir_unlink_locked(struct pzone_dir *d)
{
	lockdep_assert_held(&pzone_dir_mutex);

	list_del_rcu(&d->list);
	xa_erase(&pzone_dir_ids, d->id);
	pzone_nr_dirs--;
	pzone_pool_nodes_update_locked();
	static_branch_dec(&pzone_dirs_key);
}

static void pzone_dir_free(struct pzone_dir *d)
{
	path_put(&d->path);
	kfree(d);
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
	pzone_nr_dirs++;
	pzone_pool_nodes_update_locked();
	/* The state is checked; destroy now waits for pzone_dir_mutex. */
	mutex_unlock(&pz->mutex);
	static_branch_inc(&pzone_dirs_key);

	pzone_dir_populate(d);
	pr_info("%s: %s bound: %lu pages moved in, %lu could not move\n",
		pz->name, path, d->moved, d->unmoved);
	mutex_unlock(&pzone_dir_mutex);
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
 * Context: Process context; sleeps (a grace period).
 * Return: 0; -EINVAL, -ENOENT or -ENOTDIR as for pzone_bind_dir(), -ENOENT
 * if @path is not bound to @pz.
 */
int pzone_unbind_dir(struct pzone *pz, const char *path,
		     struct pzone_err *err)
{
	struct pzone_dir *d, *found = NULL;
	struct path p;
	int ret;

	err->reason[0] = '\0';
	ret = pzone_dir_lookup(path, &p, err);
	if (ret)
		return ret;
	mutex_lock(&pzone_dir_mutex);
	list_for_each_entry(d, &pzone_dirs, list) {
		if (d->path.dentry == p.dentry && d->pool_nid == pz->nid) {
			found = d;
			break;
		}
	}
	if (found)
		pzone_dir_unlink_locked(found);
	mutex_unlock(&pzone_dir_mutex);
	path_put(&p);
	if (!found) {
		pzone_err_set(err, "%s is not bound to pzone %s", path,
			      pz->name);
		return -ENOENT;
	}
	synchronize_rcu();
	pzone_dir_free(found);
	return 0;
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

	mutex_lock(&pzone_dir_mutex);
	list_for_each_entry(d, &pzone_dirs, list)
		if (d->pool_nid == nid)
			WRITE_ONCE(d->nid, suspend ? NUMA_NO_NODE : nid);
	pzone_pool_nodes_update_locked();
	mutex_unlock(&pzone_dir_mutex);
}

/**
 * pzone_dirs_forget() - Unbind every directory bound to a pool.
 * @nid: the pool's node, which is going away.
 *
 * Context: Process context; sleeps.
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
	synchronize_rcu();
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
			     d->moved, d->unmoved,
			     atomic_long_read(&d->fallbacks));
		if (n >= len - off)
			break;
		off += n;
	}
	mutex_unlock(&pzone_dir_mutex);
	kfree(tmp);
	return off;
}
