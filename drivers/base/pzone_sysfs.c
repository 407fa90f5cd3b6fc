// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/devices/system/pzone: control files for pzones, in the style of
 * memory hotplug's probe file.  A client of <linux/pzone.h> only: it never
 * reaches into struct pzone and never takes pzone_mutex.
 *
 * create, destroy and size_bytes writes take device_hotplug_lock with
 * lock_device_hotplug_sysfs(); that lock also protects pzone_sysfs_list.
 */

#define pr_fmt(fmt) "pzone: " fmt

#include <linux/device.h>
#include <linux/init.h>
#include <linux/kobject.h>
#include <linux/mm.h>
#include <linux/node.h>
#include <linux/nodemask.h>
#include <linux/pzone.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>

/**
 * struct pzone_sysfs_pzone - The directory of one pzone.
 * @kobj:	/sys/devices/system/pzone/<name>.
 * @pz:		The pzone; valid until the directory is gone.
 * @list:	Entry in pzone_sysfs_list, under device_hotplug_lock.
 * @events_kn:	The events file, which the pzone notifies; we hold a ref.
 */
struct pzone_sysfs_pzone {
	struct kobject kobj;
	struct pzone *pz;
	struct list_head list;
	struct kernfs_node *events_kn;
};

static LIST_HEAD(pzone_sysfs_list);

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

static struct pzone_sysfs_pzone *pzone_sysfs_find(const char *name)
{
	struct pzone_sysfs_pzone *spz;

	list_for_each_entry(spz, &pzone_sysfs_list, list)
		if (!strcmp(kobject_name(&spz->kobj), name))
			return spz;
	return NULL;
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
PZONE_SYSFS_SHOW(last_error, "%s")
PZONE_SYSFS_SHOW(standby_bytes, "%llu")

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
	unsigned long long size;
	char *end;
	int ret;

	size = memparse(buf, &end);
	if (end == buf || (*end && *end != '\n'))
		return -EINVAL;
	size = round_up(size, pzone_block_size_bytes());

	ret = lock_device_hotplug_sysfs();
	if (ret)
		return ret;
	ret = pzone_set_standby(to_spz(kobj)->pz, size);
	unlock_device_hotplug();
	return ret ? ret : count;
}

static ssize_t pzone_sysfs_size_bytes_store(struct kobject *kobj,
					    struct kobj_attribute *attr,
					    const char *buf, size_t count)
{
	u64 block = pzone_block_size_bytes();
	unsigned long long size;
	bool reclaim = false;
	char *end;
	int ret;

	/* "SIZE" or "SIZE reclaim" */
	size = memparse(buf, &end);
	if (end == buf)
		return -EINVAL;
	if (*end == ' ') {
		end = skip_spaces(end);
		if (strncmp(end, "reclaim", 7))
			return -EINVAL;
		reclaim = true;
		end += 7;
	}
	if (*end && *end != '\n')
		return -EINVAL;
	size = round_up(size, block);

	ret = lock_device_hotplug_sysfs();
	if (ret)
		return ret;
	ret = pzone_resize(to_spz(kobj)->pz, size, reclaim);
	unlock_device_hotplug();
	return ret ? ret : count;
}

static struct kobj_attribute pzone_sysfs_node_attr =
	__ATTR(node, 0444, pzone_sysfs_nid_show, NULL);
static struct kobj_attribute pzone_sysfs_base_node_attr =
	__ATTR(base_node, 0444, pzone_sysfs_base_nid_show, NULL);
static struct kobj_attribute pzone_sysfs_size_bytes_attr =
	__ATTR(size_bytes, 0644, pzone_sysfs_size_bytes_show,
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
	__ATTR(standby_bytes, 0644, pzone_sysfs_standby_bytes_show,
	       pzone_sysfs_standby_bytes_store);

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

/* Caller holds device_hotplug_lock. */
static int pzone_sysfs_add(struct pzone *pz, const char *name)
{
	struct kobject *node_kobj = pzone_sysfs_node_kobj(pz);
	struct pzone_sysfs_pzone *spz;
	struct device *root;
	int ret;

	spz = kzalloc(sizeof(*spz), GFP_KERNEL);
	if (!spz)
		return -ENOMEM;
	spz->pz = pz;
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
	if (node_kobj) {
		ret = sysfs_create_link(node_kobj, &spz->kobj, "pzone");
		if (ret)
			goto err_put;
	}
	spz->events_kn = sysfs_get_dirent(spz->kobj.sd, "events");
	if (spz->events_kn)
		pzone_set_events_kn(pz, spz->events_kn);
	list_add_tail(&spz->list, &pzone_sysfs_list);
	kobject_uevent(&spz->kobj, KOBJ_ADD);
	return 0;

err_put:
	kobject_put(&spz->kobj);
	return ret;
}

static bool pzone_sysfs_name_reserved(const char *name)
{
	return match_string(pzone_sysfs_reserved_names,
			    ARRAY_SIZE(pzone_sysfs_reserved_names), name) >= 0;
}

/* "NAME BASE_NODE SIZE [KERNEL_SIZE]"; sizes take K/M/G suffixes. */
static ssize_t create_store(struct device *dev, struct device_attribute *attr,
			    const char *buf, size_t count)
{
	u64 block = pzone_block_size_bytes();
	char name[PZONE_NAME_MAX + 2], size[24], kernel[24];
	unsigned long long size_bytes, kernel_bytes = block;
	struct pzone *pz;
	char *end;
	int base, n, ret;

	pzone_set_last_error("%s", "");
	n = sscanf(buf, "%32s %d %23s %23s", name, &base, size, kernel);
	if (n < 3) {
		pzone_set_last_error("usage: NAME BASE_NODE SIZE [KERNEL_SIZE]");
		return -EINVAL;
	}
	if (strlen(name) > PZONE_NAME_MAX || pzone_sysfs_name_reserved(name)) {
		pzone_set_last_error("invalid name: 1-%d characters of [a-z0-9_-], not a file name",
				     PZONE_NAME_MAX);
		return -EINVAL;
	}
	size_bytes = memparse(size, &end);
	if (*end || size[0] == '-') {
		pzone_set_last_error("invalid size \"%s\"", size);
		return -EINVAL;
	}
	if (n == 4) {
		kernel_bytes = memparse(kernel, &end);
		if (*end || kernel[0] == '-') {
			pzone_set_last_error("invalid kernel size \"%s\"", kernel);
			return -EINVAL;
		}
	}
	size_bytes = round_up(size_bytes, block);
	kernel_bytes = round_up(kernel_bytes, block);
	if (n < 4 && kernel_bytes > size_bytes)
		kernel_bytes = size_bytes;

	ret = lock_device_hotplug_sysfs();
	if (ret)
		return ret;
	if (pzone_sysfs_find(name)) {
		pzone_set_last_error("a pzone named %s exists", name);
		ret = -EEXIST;
		goto out_unlock;
	}
	ret = pzone_create(name, base, size_bytes, kernel_bytes, &pz);
	if (ret)
		goto out_unlock;
	ret = pzone_sysfs_add(pz, name);
	if (ret) {
		pzone_set_last_error("cannot add the sysfs directory: %d", ret);
		if (!pzone_destroy(pz, true))
			pzone_free(pz);
		goto out_unlock;
	}
	pzone_set_last_error("%s", "");
out_unlock:
	unlock_device_hotplug();
	return ret ? ret : count;
}
static DEVICE_ATTR_WO(create);

/* "NAME [evacuate]" */
static ssize_t destroy_store(struct device *dev, struct device_attribute *attr,
			     const char *buf, size_t count)
{
	char name[PZONE_NAME_MAX + 2], opt[16];
	struct kobject *node_kobj;
	struct pzone_sysfs_pzone *spz;
	bool evacuate = false;
	struct pzone *pz;
	int n, ret;

	pzone_set_last_error("%s", "");
	n = sscanf(buf, "%32s %15s", name, opt);
	if (n < 1) {
		pzone_set_last_error("usage: NAME [evacuate]");
		return -EINVAL;
	}
	if (n == 2) {
		if (strcmp(opt, "evacuate")) {
			pzone_set_last_error("unknown option \"%s\"", opt);
			return -EINVAL;
		}
		evacuate = true;
	}

	ret = lock_device_hotplug_sysfs();
	if (ret)
		return ret;
	spz = pzone_sysfs_find(name);
	if (!spz) {
		pzone_set_last_error("no pzone named %s", name);
		ret = -ENOENT;
		goto out_unlock;
	}
	pz = spz->pz;
	/* The node's directory goes away with the node: unlink first. */
	node_kobj = pzone_sysfs_node_kobj(pz);
	if (node_kobj)
		sysfs_remove_link(node_kobj, "pzone");
	ret = pzone_destroy(pz, evacuate);
	if (ret) {
		if (node_kobj && sysfs_create_link(node_kobj, &spz->kobj, "pzone"))
			pr_warn("%s: cannot restore the nodeN/pzone link\n", name);
		goto out_unlock;
	}
	list_del(&spz->list);
	/* pzone_destroy() unpublished @pz: nothing notifies the file now. */
	sysfs_put(spz->events_kn);
	/* Waits for readers of the directory; then nobody can see @pz. */
	kobject_del(&spz->kobj);
	kobject_put(&spz->kobj);
	pzone_free(pz);
	pzone_set_last_error("%s", "");
out_unlock:
	unlock_device_hotplug();
	return ret ? ret : count;
}
static DEVICE_ATTR_WO(destroy);

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
	char err[PZONE_ERR_LEN];

	pzone_last_error(err, sizeof(err));
	return sysfs_emit(buf, "%s\n", err);
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
