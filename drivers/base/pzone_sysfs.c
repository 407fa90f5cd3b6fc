// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/devices/system/pzone: control files for pzones, in the style of
 * memory hotplug's probe file.  A client of <linux/pzone.h> only: it never
 * reaches into struct pzone and never takes a pzone lock.  The core finds a
 * pzone by name; its directory is the pzone's pzone_priv().
 *
 * pzone_sysfs_mutex serialises create and destroy, so that a pzone the core
 * knows always has its directory while a destroy looks for it.  Resizes do
 * not take it: one pzone's slow resize never waits for another's.
 */

#define pr_fmt(fmt) "pzone: " fmt

#include <linux/device.h>
#include <linux/init.h>
#include <linux/kernfs.h>
#include <linux/kobject.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/node.h>
#include <linux/nodemask.h>
#include <linux/pzone.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/sysfs.h>

/**
 * struct pzone_sysfs_pzone - The directory of one pzone.
 * @kobj:	/sys/devices/system/pzone/<name>.
 * @pz:		The pzone, with the creator's reference, dropped after the
 *		directory is gone.
 * @nb:		Notifier of the pzone's events.
 * @events_kn:	The events file, which @nb notifies; we hold a ref.
 * @lock:	Protects @last_error.
 * @last_error:	Reason of the last failed write to a file of the pzone.
 * @kernel_limit: Kernel-memory limit in bytes for the pzone's cgroups
 *		(memory.kmem.max), 0 for none.  Kept here for the tools that
 *		bind tasks; the memory cgroup enforces it.
 */
struct pzone_sysfs_pzone {
	struct kobject kobj;
	struct pzone *pz;
	struct pzone_notifier nb;
	struct kernfs_node *events_kn;
	spinlock_t lock;	/* @last_error */
	char last_error[PZONE_ERR_LEN];
	u64 kernel_limit;
};

static DEFINE_MUTEX(pzone_sysfs_mutex);
/* Reason of the last failed create or destroy; under pzone_sysfs_err_lock. */
static DEFINE_SPINLOCK(pzone_sysfs_err_lock);
static char pzone_sysfs_err[PZONE_ERR_LEN];

static __printf(1, 2) void pzone_sysfs_set_error(const char *fmt, ...)
{
	va_list args;

	spin_lock(&pzone_sysfs_err_lock);
	va_start(args, fmt);
	vscnprintf(pzone_sysfs_err, sizeof(pzone_sysfs_err), fmt, args);
	va_end(args);
	spin_unlock(&pzone_sysfs_err_lock);
}

static const struct bus_type pzone_subsys = {
	.name = "pzone",
	.dev_name = "pzone",
};

/* Names that would collide with the files of the root directory. */
static const char * const pzone_sysfs_reserved_names[] = {
	"block_size_bytes", "reserved_nodes", "available_nodes",
	"draining_nodes", "create",
	"destroy", "last_error", "power", "uevent", "subsystem",
};

static struct pzone_sysfs_pzone *to_spz(struct kobject *kobj)
{
	return container_of(kobj, struct pzone_sysfs_pzone, kobj);
}

/* Remember why the last write to a file of @spz failed; "" if it did not. */
static void pzone_sysfs_pzone_error(struct pzone_sysfs_pzone *spz,
				    const struct pzone_err *err)
{
	spin_lock(&spz->lock);
	strscpy(spz->last_error, err->reason, sizeof(spz->last_error));
	spin_unlock(&spz->lock);
}

static void pzone_sysfs_notify(struct pzone_notifier *nb)
{
	kernfs_notify(container_of(nb, struct pzone_sysfs_pzone, nb)->events_kn);
}

#define PZONE_SYSFS_SHOW(field, fmt)					\
static ssize_t pzone_sysfs_##field##_show(struct kobject *kobj,		\
					  struct kobj_attribute *attr,	\
					  char *buf)			\
{									\
	struct pzone_info info;						\
									\
	pzone_get_info(to_spz(kobj)->pz, &info);			\
	return sysfs_emit(buf, fmt "\n", info.field);			\
}

PZONE_SYSFS_SHOW(nid, "%d")
PZONE_SYSFS_SHOW(base_nid, "%d")
PZONE_SYSFS_SHOW(kernel_bytes, "%llu")
PZONE_SYSFS_SHOW(free_bytes, "%llu")
PZONE_SYSFS_SHOW(nr_blocks, "%lu")
PZONE_SYSFS_SHOW(size_bytes, "%llu")
PZONE_SYSFS_SHOW(standby_bytes, "%llu")

static ssize_t pzone_sysfs_last_error_show(struct kobject *kobj,
					   struct kobj_attribute *attr,
					   char *buf)
{
	struct pzone_sysfs_pzone *spz = to_spz(kobj);
	ssize_t len;

	spin_lock(&spz->lock);
	len = sysfs_emit(buf, "%s\n", spz->last_error);
	spin_unlock(&spz->lock);
	return len;
}

static ssize_t pzone_sysfs_state_show(struct kobject *kobj,
				      struct kobj_attribute *attr, char *buf)
{
	struct pzone_info info;

	pzone_get_info(to_spz(kobj)->pz, &info);
	return sysfs_emit(buf, "%s\n", pzone_state_name(info.state));
}

static ssize_t pzone_sysfs_stats_show(struct kobject *kobj,
				      struct kobj_attribute *attr, char *buf)
{
	struct pzone_info info;
	int len, r;

	pzone_get_info(to_spz(kobj)->pz, &info);
	len = sysfs_emit(buf,
			 "blocks_moved_in %lu\nblocks_moved_out %lu\nblocks_evacuated %lu\nblocks_failed %lu\n",
			 info.blocks_in, info.blocks_out,
			 info.blocks_evacuated, info.blocks_failed);
	for (r = 0; r < NR_PZONE_REASONS; r++)
		len += sysfs_emit_at(buf, len, "failed_pages_%s %lu\n",
				     pzone_reason_name(r), info.nr_reason[r]);
	return len;
}

static ssize_t pzone_sysfs_events_show(struct kobject *kobj,
				       struct kobj_attribute *attr, char *buf)
{
	struct pzone_info info;
	int len = 0, ev;

	pzone_get_info(to_spz(kobj)->pz, &info);
	for (ev = 0; ev < NR_PZONE_EVENTS; ev++)
		len += sysfs_emit_at(buf, len, "%s %lu\n", pzone_event_name(ev),
				     info.events[ev]);
	return len;
}

static ssize_t pzone_sysfs_pressure_show(struct kobject *kobj,
					 struct kobj_attribute *attr, char *buf)
{
	struct pzone_info info;

	pzone_get_info(to_spz(kobj)->pz, &info);
	return sysfs_emit(buf,
			  "refaults %lu\nkswapd_wakeups %lu\nfree_bytes %llu\n",
			  info.refaults, info.events[PZONE_EVENT_LOW],
			  info.free_bytes);
}

static ssize_t pzone_sysfs_standby_bytes_store(struct kobject *kobj,
					       struct kobj_attribute *attr,
					       const char *buf, size_t count)
{
	struct pzone_sysfs_pzone *spz = to_spz(kobj);
	unsigned long long size;
	struct pzone_err err;
	char *end;
	int ret;

	size = memparse(buf, &end);
	if (end == buf || (*end && *end != '\n') ||
	    size > U64_MAX - pzone_block_size_bytes()) {
		strscpy(err.reason, "invalid size", sizeof(err.reason));
		pzone_sysfs_pzone_error(spz, &err);
		return -EINVAL;
	}
	size = round_up(size, pzone_block_size_bytes());

	ret = pzone_set_standby(spz->pz, size, &err);
	pzone_sysfs_pzone_error(spz, &err);
	return ret ? ret : count;
}

static ssize_t pzone_sysfs_size_bytes_store(struct kobject *kobj,
					    struct kobj_attribute *attr,
					    const char *buf, size_t count)
{
	struct pzone_sysfs_pzone *spz = to_spz(kobj);
	u64 block = pzone_block_size_bytes();
	unsigned long long size;
	struct pzone_err err;
	bool reclaim = false;
	char *end;
	int ret;

	/* "SIZE" or "SIZE reclaim" */
	strscpy(err.reason, "usage: SIZE [reclaim]", sizeof(err.reason));
	size = memparse(buf, &end);
	if (end == buf || size > U64_MAX - block)
		goto err_inval;
	if (*end == ' ') {
		end = skip_spaces(end);
		if (strncmp(end, "reclaim", 7))
			goto err_inval;
		reclaim = true;
		end += 7;
	}
	if (*end && *end != '\n')
		goto err_inval;
	size = round_up(size, block);

	ret = pzone_resize(spz->pz, size, reclaim, &err);
	pzone_sysfs_pzone_error(spz, &err);
	return ret ? ret : count;

err_inval:
	pzone_sysfs_pzone_error(spz, &err);
	return -EINVAL;
}

static ssize_t pzone_sysfs_kernel_limit_bytes_show(struct kobject *kobj,
						   struct kobj_attribute *attr,
						   char *buf)
{
	return sysfs_emit(buf, "%llu\n", READ_ONCE(to_spz(kobj)->kernel_limit));
}

static ssize_t pzone_sysfs_kernel_limit_bytes_store(struct kobject *kobj,
						    struct kobj_attribute *attr,
						    const char *buf,
						    size_t count)
{
	struct pzone_sysfs_pzone *spz = to_spz(kobj);
	unsigned long long size;
	struct pzone_err err;
	char *end;

	err.reason[0] = '\0';
	size = memparse(buf, &end);
	if (end == buf || (*end && *end != '\n') ||
	    size > U64_MAX - PAGE_SIZE) {
		strscpy(err.reason, "invalid size", sizeof(err.reason));
		pzone_sysfs_pzone_error(spz, &err);
		return -EINVAL;
	}
	WRITE_ONCE(spz->kernel_limit, PAGE_ALIGN(size));
	pzone_sysfs_pzone_error(spz, &err);
	return count;
}

static ssize_t pzone_sysfs_blocks_show(struct kobject *kobj,
				       struct kobj_attribute *attr, char *buf)
{
	return pzone_print_blocks(to_spz(kobj)->pz, buf, PAGE_SIZE);
}

static ssize_t pzone_sysfs_fallback_cgroups_show(struct kobject *kobj,
						 struct kobj_attribute *attr,
						 char *buf)
{
	return pzone_print_fallback_cgroups(to_spz(kobj)->pz, buf, PAGE_SIZE);
}

/*
 * Parse "PATH" (on) or "-PATH" (off), PATH absolute.  Return it, to be
 * freed by the caller, or an ERR_PTR() with @err set.
 */
static char *pzone_sysfs_parse_path(const char *buf, size_t count, bool *on,
				    const char *usage, struct pzone_err *err)
{
	char *path;

	path = kstrndup(buf, count, GFP_KERNEL);
	if (!path)
		return ERR_PTR(-ENOMEM);
	strim(path);
	*on = true;
	if (path[0] == '-') {
		*on = false;
		memmove(path, path + 1, strlen(path));
	}
	if (path[0] != '/') {
		kfree(path);
		strscpy(err->reason, usage, sizeof(err->reason));
		return ERR_PTR(-EINVAL);
	}
	return path;
}

/*
 * A "[-]PATH" write: parse it and hand it to @apply, which sets (on) or
 * clears (off) PATH for the pzone; its reason goes to last_error.
 */
static ssize_t pzone_sysfs_path_store(struct kobject *kobj, const char *buf,
				      size_t count, const char *usage,
				      int (*apply)(struct pzone *pz,
						   const char *path, bool on,
						   struct pzone_err *err))
{
	struct pzone_sysfs_pzone *spz = to_spz(kobj);
	struct pzone_err err = { "" };
	char *path;
	bool on;
	int ret;

	path = pzone_sysfs_parse_path(buf, count, &on, usage, &err);
	if (IS_ERR(path)) {
		ret = PTR_ERR(path);
	} else {
		ret = apply(spz->pz, path, on, &err);
		kfree(path);
	}
	pzone_sysfs_pzone_error(spz, &err);
	return ret ? ret : count;
}

/* "PATH" marks a cgroup, "-PATH" unmarks it. */
static ssize_t pzone_sysfs_fallback_cgroups_store(struct kobject *kobj,
						  struct kobj_attribute *attr,
						  const char *buf, size_t count)
{
	return pzone_sysfs_path_store(kobj, buf, count, "usage: [-]/CGROUP/PATH",
				      pzone_set_fallback_cgroup);
}

static ssize_t pzone_sysfs_dirs_show(struct kobject *kobj,
				     struct kobj_attribute *attr, char *buf)
{
	return pzone_print_dirs(to_spz(kobj)->pz, buf, PAGE_SIZE);
}

static int pzone_sysfs_set_dir(struct pzone *pz, const char *path, bool on,
			       struct pzone_err *err)
{
	return on ? pzone_bind_dir(pz, path, err) : pzone_unbind_dir(pz, path, err);
}

/* "PATH" binds a directory to the pool, "-PATH" unbinds it. */
static ssize_t pzone_sysfs_dirs_store(struct kobject *kobj,
				      struct kobj_attribute *attr,
				      const char *buf, size_t count)
{
	return pzone_sysfs_path_store(kobj, buf, count, "usage: [-]/DIRECTORY",
				      pzone_sysfs_set_dir);
}

static struct kobj_attribute pzone_sysfs_node_attr =
	__ATTR(node, 0444, pzone_sysfs_nid_show, NULL);
static struct kobj_attribute pzone_sysfs_base_node_attr =
	__ATTR(base_node, 0444, pzone_sysfs_base_nid_show, NULL);
static struct kobj_attribute pzone_sysfs_size_bytes_attr =
	__ATTR_PREALLOC(size_bytes, 0644, pzone_sysfs_size_bytes_show,
			pzone_sysfs_size_bytes_store);
static struct kobj_attribute pzone_sysfs_kernel_bytes_attr =
	__ATTR(kernel_bytes, 0444, pzone_sysfs_kernel_bytes_show, NULL);
static struct kobj_attribute pzone_sysfs_free_bytes_attr =
	__ATTR(free_bytes, 0444, pzone_sysfs_free_bytes_show, NULL);
static struct kobj_attribute pzone_sysfs_nr_blocks_attr =
	__ATTR(nr_blocks, 0444, pzone_sysfs_nr_blocks_show, NULL);
static struct kobj_attribute pzone_sysfs_state_attr =
	__ATTR(state, 0444, pzone_sysfs_state_show, NULL);
static struct kobj_attribute pzone_sysfs_last_error_attr =
	__ATTR(last_error, 0444, pzone_sysfs_last_error_show, NULL);
static struct kobj_attribute pzone_sysfs_stats_attr =
	__ATTR(stats, 0444, pzone_sysfs_stats_show, NULL);
static struct kobj_attribute pzone_sysfs_events_attr =
	__ATTR(events, 0444, pzone_sysfs_events_show, NULL);
static struct kobj_attribute pzone_sysfs_pressure_attr =
	__ATTR(pressure, 0444, pzone_sysfs_pressure_show, NULL);
static struct kobj_attribute pzone_sysfs_standby_bytes_attr =
	__ATTR_PREALLOC(standby_bytes, 0644, pzone_sysfs_standby_bytes_show,
			pzone_sysfs_standby_bytes_store);
static struct kobj_attribute pzone_sysfs_blocks_attr =
	__ATTR(blocks, 0444, pzone_sysfs_blocks_show, NULL);
static struct kobj_attribute pzone_sysfs_fallback_cgroups_attr =
	__ATTR(fallback_cgroups, 0644, pzone_sysfs_fallback_cgroups_show,
	       pzone_sysfs_fallback_cgroups_store);

static struct kobj_attribute pzone_sysfs_dirs_attr =
	__ATTR(dirs, 0644, pzone_sysfs_dirs_show, pzone_sysfs_dirs_store);

static struct kobj_attribute pzone_sysfs_kernel_limit_bytes_attr =
	__ATTR_PREALLOC(kernel_limit_bytes, 0644,
			pzone_sysfs_kernel_limit_bytes_show,
			pzone_sysfs_kernel_limit_bytes_store);

static struct attribute *pzone_sysfs_pzone_attrs[] = {
	&pzone_sysfs_node_attr.attr,
	&pzone_sysfs_base_node_attr.attr,
	&pzone_sysfs_size_bytes_attr.attr,
	&pzone_sysfs_kernel_bytes_attr.attr,
	&pzone_sysfs_free_bytes_attr.attr,
	&pzone_sysfs_nr_blocks_attr.attr,
	&pzone_sysfs_state_attr.attr,
	&pzone_sysfs_last_error_attr.attr,
	&pzone_sysfs_stats_attr.attr,
	&pzone_sysfs_events_attr.attr,
	&pzone_sysfs_pressure_attr.attr,
	&pzone_sysfs_standby_bytes_attr.attr,
	&pzone_sysfs_kernel_limit_bytes_attr.attr,
	&pzone_sysfs_fallback_cgroups_attr.attr,
	&pzone_sysfs_blocks_attr.attr,
	&pzone_sysfs_dirs_attr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(pzone_sysfs_pzone);

static void pzone_sysfs_pzone_release(struct kobject *kobj)
{
	kfree(to_spz(kobj));
}

static const struct kobj_type pzone_sysfs_pzone_ktype = {
	.release = pzone_sysfs_pzone_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = pzone_sysfs_pzone_groups,
};

static struct kobject *pzone_sysfs_node_kobj(struct pzone *pz)
{
	struct pzone_info info;

	pzone_get_info(pz, &info);
	if (!node_devices[info.nid])
		return NULL;
	return &node_devices[info.nid]->dev.kobj;
}

/* Give @pz a directory.  Caller holds pzone_sysfs_mutex. */
static int pzone_sysfs_add(struct pzone *pz, const char *name)
{
	struct kobject *node_kobj = pzone_sysfs_node_kobj(pz);
	struct pzone_sysfs_pzone *spz;
	struct device *root;
	int ret;

	lockdep_assert_held(&pzone_sysfs_mutex);

	spz = kzalloc(sizeof(*spz), GFP_KERNEL);
	if (!spz)
		return -ENOMEM;
	spz->pz = pz;
	spz->nb.notify = pzone_sysfs_notify;
	spin_lock_init(&spz->lock);
	root = bus_get_dev_root(&pzone_subsys);
	if (!root) {
		kfree(spz);
		return -ENODEV;
	}
	ret = kobject_init_and_add(&spz->kobj, &pzone_sysfs_pzone_ktype,
				   &root->kobj, "%s", name);
	put_device(root);
	if (ret)
		goto err_put;
	spz->events_kn = sysfs_get_dirent(spz->kobj.sd, "events");
	if (!spz->events_kn) {
		ret = -ENOENT;
		goto err_put;
	}
	if (node_kobj) {
		ret = sysfs_create_link(node_kobj, &spz->kobj, "pzone");
		if (ret)
			goto err_kn;
	}
	pzone_set_priv(pz, spz);
	pzone_set_notifier(pz, &spz->nb);
	kobject_uevent(&spz->kobj, KOBJ_ADD);
	return 0;

err_kn:
	sysfs_put(spz->events_kn);
err_put:
	kobject_put(&spz->kobj);
	return ret;
}

/*
 * Take the directory of a destroyed pzone away and drop the creator's
 * reference.  Caller holds pzone_sysfs_mutex.
 */
static void pzone_sysfs_remove(struct pzone_sysfs_pzone *spz)
{
	struct pzone *pz = spz->pz;

	lockdep_assert_held(&pzone_sysfs_mutex);

	/* After this, no event and no timer touches the events file. */
	pzone_set_notifier(pz, NULL);
	pzone_set_priv(pz, NULL);
	sysfs_put(spz->events_kn);
	/* Waits for readers and writers of the directory. */
	kobject_del(&spz->kobj);
	kobject_put(&spz->kobj);
	pzone_put(pz);
}

static bool pzone_sysfs_name_reserved(const char *name)
{
	return match_string(pzone_sysfs_reserved_names,
			    ARRAY_SIZE(pzone_sysfs_reserved_names), name) >= 0;
}

/* "START-END" with K/M/G suffixes into @range; Return: 0 or -EINVAL. */
static int pzone_sysfs_parse_range(const char *s, struct pzone_range *range)
{
	char *end;

	range->start = memparse(s, &end);
	if (end == s || *end != '-' || s[0] == '-')
		return -EINVAL;
	s = end + 1;
	range->end = memparse(s, &end);
	if (end == s || *end || s[0] == '-')
		return -EINVAL;
	return 0;
}

/*
 * "NAME BASE_NODE SIZE [KERNEL_SIZE] [range=START-END]"; sizes and
 * addresses take K/M/G suffixes.
 */
static ssize_t create_store(struct device *dev, struct device_attribute *attr,
			    const char *buf, size_t count)
{
	u64 block = pzone_block_size_bytes();
	char name[PZONE_NAME_MAX + 2], size[24], opt[2][48];
	unsigned long long size_bytes, kernel_bytes = block;
	struct pzone_range range, *rangep = NULL;
	bool has_kernel = false;
	struct pzone_err err;
	struct pzone *pz;
	char *end;
	int base, n, i, ret;

	n = sscanf(buf, "%32s %d %23s %47s %47s", name, &base, size, opt[0],
		   opt[1]);
	if (n < 3) {
		pzone_sysfs_set_error("usage: NAME BASE_NODE SIZE [KERNEL_SIZE] [range=START-END]");
		return -EINVAL;
	}
	/* The name rules are the core's; these are the names of our files. */
	if (pzone_sysfs_name_reserved(name)) {
		pzone_sysfs_set_error("invalid name: %s is a file of this directory",
				      name);
		return -EINVAL;
	}
	size_bytes = memparse(size, &end);
	if (*end || size[0] == '-') {
		pzone_sysfs_set_error("invalid size \"%s\"", size);
		return -EINVAL;
	}
	for (i = 0; i < n - 3; i++) {
		if (!strncmp(opt[i], "range=", 6) && !rangep) {
			if (pzone_sysfs_parse_range(opt[i] + 6, &range)) {
				pzone_sysfs_set_error("invalid range \"%s\": START-END",
						      opt[i] + 6);
				return -EINVAL;
			}
			rangep = &range;
			continue;
		}
		kernel_bytes = memparse(opt[i], &end);
		if (*end || opt[i][0] == '-' || has_kernel) {
			pzone_sysfs_set_error("invalid kernel size \"%s\"", opt[i]);
			return -EINVAL;
		}
		has_kernel = true;
	}
	size_bytes = round_up(size_bytes, block);
	kernel_bytes = round_up(kernel_bytes, block);
	if (!has_kernel && kernel_bytes > size_bytes)
		kernel_bytes = size_bytes;

	mutex_lock(&pzone_sysfs_mutex);
	ret = pzone_create_range(name, base, size_bytes, kernel_bytes, rangep,
				 &pz, &err);
	if (ret) {
		pzone_sysfs_set_error("%s", err.reason);
		goto out_unlock;
	}
	ret = pzone_sysfs_add(pz, name);
	if (ret) {
		pzone_sysfs_set_error("cannot add the sysfs directory: %d", ret);
		/* Nothing else can reach it: never leave it behind. */
		pzone_destroy(pz, PZONE_DESTROY_EVACUATE | PZONE_DESTROY_FORCE,
			      &err);
		pzone_put(pz);
		goto out_unlock;
	}
	pzone_sysfs_set_error("%s", "");
out_unlock:
	mutex_unlock(&pzone_sysfs_mutex);
	return ret ? ret : count;
}

/* Preallocated buffers: a write fails in pzone or not at all. */
static DEVICE_ATTR_PREALLOC(create, 0200, NULL, create_store);

/* "NAME [evacuate]" */
static ssize_t destroy_store(struct device *dev, struct device_attribute *attr,
			     const char *buf, size_t count)
{
	char name[PZONE_NAME_MAX + 2], opt[16];
	struct pzone_sysfs_pzone *spz;
	struct kobject *node_kobj;
	unsigned int flags = 0;
	struct pzone_err err;
	struct pzone *pz;
	int n, ret;

	n = sscanf(buf, "%32s %15s", name, opt);
	if (n < 1 || !name[0]) {
		pzone_sysfs_set_error("usage: NAME [evacuate]");
		return -EINVAL;
	}
	if (n == 2) {
		if (strcmp(opt, "evacuate")) {
			pzone_sysfs_set_error("unknown option \"%s\"", opt);
			return -EINVAL;
		}
		flags |= PZONE_DESTROY_EVACUATE;
	}

	mutex_lock(&pzone_sysfs_mutex);
	pz = pzone_get_by_name(name);
	spz = pz ? pzone_priv(pz) : NULL;
	if (!spz) {
		pzone_sysfs_set_error("no pzone named %s", name);
		ret = -ENOENT;
		goto out_unlock;
	}
	/* The node's directory goes away with the node: unlink first. */
	node_kobj = pzone_sysfs_node_kobj(pz);
	if (node_kobj)
		sysfs_remove_link(node_kobj, "pzone");
	ret = pzone_destroy(pz, flags, &err);
	if (ret) {
		pzone_sysfs_set_error("%s", err.reason);
		if (node_kobj && sysfs_create_link(node_kobj, &spz->kobj, "pzone"))
			pr_warn("%s: cannot restore the nodeN/pzone link\n", name);
		goto out_unlock;
	}
	pzone_sysfs_remove(spz);
	pzone_sysfs_set_error("%s", "");
out_unlock:
	mutex_unlock(&pzone_sysfs_mutex);
	pzone_put(pz);
	return ret ? ret : count;
}
static DEVICE_ATTR_PREALLOC(destroy, 0200, NULL, destroy_store);

static ssize_t block_size_bytes_show(struct device *dev,
				     struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n", pzone_block_size_bytes());
}
static DEVICE_ATTR_RO(block_size_bytes);

static ssize_t reserved_nodes_show(struct device *dev,
				   struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%*pbl\n", nodemask_pr_args(&pzone_reserved_nodes));
}
static DEVICE_ATTR_RO(reserved_nodes);

static ssize_t available_nodes_show(struct device *dev,
				    struct device_attribute *attr, char *buf)
{
	nodemask_t mask;

	pzone_available_nodes(&mask);
	return sysfs_emit(buf, "%*pbl\n", nodemask_pr_args(&mask));
}
static DEVICE_ATTR_RO(available_nodes);

static ssize_t draining_nodes_show(struct device *dev,
				   struct device_attribute *attr, char *buf)
{
	nodemask_t mask;

	pzone_draining_nodes(&mask);
	return sysfs_emit(buf, "%*pbl\n", nodemask_pr_args(&mask));
}
static DEVICE_ATTR_RO(draining_nodes);

static ssize_t last_error_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	ssize_t len;

	spin_lock(&pzone_sysfs_err_lock);
	len = sysfs_emit(buf, "%s\n", pzone_sysfs_err);
	spin_unlock(&pzone_sysfs_err_lock);
	return len;
}
static DEVICE_ATTR_RO(last_error);

static struct attribute *pzone_sysfs_root_attrs[] = {
	&dev_attr_create.attr,
	&dev_attr_destroy.attr,
	&dev_attr_block_size_bytes.attr,
	&dev_attr_reserved_nodes.attr,
	&dev_attr_available_nodes.attr,
	&dev_attr_draining_nodes.attr,
	&dev_attr_last_error.attr,
	NULL,
};

static const struct attribute_group pzone_sysfs_root_group = {
	.attrs = pzone_sysfs_root_attrs,
};

static const struct attribute_group *pzone_sysfs_root_groups[] = {
	&pzone_sysfs_root_group,
	NULL,
};

static int __init pzone_sysfs_init(void)
{
	int ret;

	ret = subsys_system_register(&pzone_subsys, pzone_sysfs_root_groups);
	if (ret)
		pr_err("cannot register /sys/devices/system/pzone: %d\n", ret);
	return ret;
}
subsys_initcall(pzone_sysfs_init);
