/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libpzone: the only code that knows the pzone sysfs and cgroup layout.
 * Shared by pzonectl and pzoned.
 *
 * Every function that can fail returns 0 (or a count) on success and a
 * negative errno on failure; none of them prints anything except the
 * optional trace, and none of them exits.
 */
#ifndef LIBPZONE_H
#define LIBPZONE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#define PZONE_NAME_MAX		31
#define PZONE_BLOCK_DEFAULT	4194304ULL
#define PZONE_PATH_MAX		4096
#define PZONE_VAL_MAX		256
#define PZONE_MAX_DIRS		256	/* directories bound at once (the kernel's limit) */
#define PZONE_CGROUP_PREFIX	"pzone-"
/* Child of pzone-NAME for the tasks that may fall back to the base node. */
#define PZONE_CGROUP_FALLBACK	"fallback"
#define PZONE_TOOLS_VERSION	"0.2"		/* pzonectl and pzoned */

struct pzone_ctx {
	char sysfs_root[PZONE_PATH_MAX];	/* $PZONE_SYSFS_ROOT or "/sys" */
	char cgroup_root[PZONE_PATH_MAX];	/* $PZONE_CGROUP_ROOT, else the cgroup2
						 * mount, else "/sys/fs/cgroup" */
	char cgroup_parent[PZONE_PATH_MAX];	/* where pzone-NAME lives, relative
						 * to cgroup_root; "" is the root */
	const char *prog;			/* prefix of trace lines */
	FILE *trace;				/* each read/write is logged here if set */
};

/* One pzone as read from sysfs; numbers are -1 when a file was unreadable. */
struct pzone_info {
	char name[PZONE_NAME_MAX + 1];
	int64_t node;
	int64_t base_node;
	int64_t size_bytes;
	int64_t kernel_bytes;
	int64_t free_bytes;
	int64_t nr_blocks;
	char state[PZONE_VAL_MAX];
	char last_error[PZONE_VAL_MAX];
};

/* Context: roots from the environment; trace off. */
void pzone_ctx_init(struct pzone_ctx *ctx, const char *prog);

/* Pure helpers (no I/O). */
int pzone_parse_size(const char *s, uint64_t *bytes);
int pzone_round_up(uint64_t bytes, uint64_t block, uint64_t *out);
const char *pzone_name_error(const char *name);
size_t pzone_json_escape(char *dst, size_t len, const char *src);
int pzone_fmt_size(char *buf, size_t len, int64_t bytes);

/* sysfs: name == NULL means the root directory /sys/devices/system/pzone. */
int pzone_path(const struct pzone_ctx *ctx, char *buf, size_t len,
	       const char *name, const char *file);
bool pzone_is_supported(const struct pzone_ctx *ctx);
bool pzone_exists(const struct pzone_ctx *ctx, const char *name);
int pzone_read_file(const struct pzone_ctx *ctx, const char *path,
		    char *buf, size_t len);
int pzone_write_file(const struct pzone_ctx *ctx, const char *path,
		     const char *val);
int pzone_attr_read(const struct pzone_ctx *ctx, const char *name,
		    const char *file, char *buf, size_t len);
int pzone_attr_read_s64(const struct pzone_ctx *ctx, const char *name,
			const char *file, int64_t *val);
int pzone_attr_write(const struct pzone_ctx *ctx, const char *name,
		     const char *file, const char *val);
void pzone_reason(const struct pzone_ctx *ctx, const char *name, int err,
		  char *buf, size_t len);
uint64_t pzone_block_size(const struct pzone_ctx *ctx);
int pzone_get(const struct pzone_ctx *ctx, const char *name,
	      struct pzone_info *info);
int pzone_list(const struct pzone_ctx *ctx, char ***names);
void pzone_list_free(char **names, int nr);

/* Operations: write the kernel ABI lines. */
int pzone_create(const struct pzone_ctx *ctx, const char *name, int base_node,
		 uint64_t size_bytes, const uint64_t *kernel_bytes);
int pzone_create_range(const struct pzone_ctx *ctx, const char *name,
		       int base_node, uint64_t size_bytes,
		       const uint64_t *kernel_bytes, const uint64_t *range);
int pzone_destroy(const struct pzone_ctx *ctx, const char *name, bool evacuate);
int pzone_resize(const struct pzone_ctx *ctx, const char *name,
		 uint64_t size_bytes, bool reclaim);

/*
 * cgroup v2: $CGROUP_ROOT[/PARENT]/pzone-NAME; name == NULL means the
 * parent itself.
 */
int pzone_set_cgroup_parent(struct pzone_ctx *ctx, const char *dir);
int pzone_cg_name(const struct pzone_ctx *ctx, const char *name, char *buf,
		  size_t len);
int pzone_cg_path(const struct pzone_ctx *ctx, char *buf, size_t len,
		  const char *name, const char *file);
bool pzone_cg_parent_exists(const struct pzone_ctx *ctx);
bool pzone_cg_exists(const struct pzone_ctx *ctx, const char *name);
int pzone_cg_enable_cpuset(const struct pzone_ctx *ctx);
int pzone_cg_create(const struct pzone_ctx *ctx, const char *name);
int pzone_cg_remove(const struct pzone_ctx *ctx, const char *name);
int pzone_cg_set_mems(const struct pzone_ctx *ctx, const char *name, int node);
int pzone_cg_attach(const struct pzone_ctx *ctx, const char *name, pid_t pid);
int pzone_cg_nr_tasks(const struct pzone_ctx *ctx, const char *name);
int pzone_cg_fallback_setup(const struct pzone_ctx *ctx, const char *name);
int pzone_cg_attach_fallback(const struct pzone_ctx *ctx, const char *name,
			     pid_t pid);
/* One line of NAME/dirs: a directory bound to the pzone's page-cache pool. */
struct pzone_dir {
	char path[PZONE_PATH_MAX];
	int64_t moved_pages;	/* moved into the pool at bind time */
	int64_t unmoved_pages;	/* cached elsewhere, could not move */
	int64_t fallbacks;	/* allocations the full pool could not take */
};

int pzone_parse_dirs(const char *buf, struct pzone_dir *dirs, int max);
int pzone_dirs_get(const struct pzone_ctx *ctx, const char *name,
		   struct pzone_dir *dirs, int max);
int pzone_dir_find_owner(const struct pzone_ctx *ctx, const char *dir,
			 char *owner, size_t len);
int pzone_set_dir(const struct pzone_ctx *ctx, const char *name,
		  const char *dir, bool on);
int pzone_set_fallback(const struct pzone_ctx *ctx, const char *name,
		       const char *cgroup, bool on);
int pzone_cg_setup(const struct pzone_ctx *ctx, const char *name, int node);

/*
 * Any cgroup by its path relative to the cgroup2 mount ("/a/b" or "a/b"),
 * for cgroups that are not pzonectl's own (an OCI container's).
 */
#define PZONE_CG_DEPTH_MAX	64
int pzone_cg_rel_path(const struct pzone_ctx *ctx, char *buf, size_t len,
		      const char *rel, const char *file);
int pzone_cg_of_pid(const struct pzone_ctx *ctx, pid_t pid, char *buf,
		    size_t len);
int pzone_cg_enable_cpuset_in(const struct pzone_ctx *ctx, const char *rel,
			      bool *changed, int *nr_levels);
void pzone_cg_disable_cpuset_in(const struct pzone_ctx *ctx, const char *rel,
				const bool *changed, int nr_levels);
const char *pzone_proc_root(void);

/*
 * Additions for pzoned (events, pressure, standby; notes/INTERFACE.md,
 * "Events, pressure and standby").
 */

/* Counters of NAME/events; -1 when the kernel does not report one. */
struct pzone_events {
	int64_t low;
	int64_t reclaim_failing;
	int64_t oom;
	int64_t oom_kill;
	int64_t standby_used;
};

int pzone_kv_get(const char *buf, const char *key, int64_t *val);
int pzone_node_meminfo(const struct pzone_ctx *ctx, int node,
		       const char *field, uint64_t *bytes);
int pzone_events_open(const struct pzone_ctx *ctx, const char *name);
int pzone_events_read(int fd, struct pzone_events *ev);
int pzone_events_get(const struct pzone_ctx *ctx, const char *name,
		     struct pzone_events *ev);
int pzone_attr_kv(const struct pzone_ctx *ctx, const char *name,
		  const char *file, const char *key, int64_t *val);
bool pzone_has_attr(const struct pzone_ctx *ctx, const char *name,
		    const char *file);
int pzone_node_wmark_high(const struct pzone_ctx *ctx, int node,
			  uint64_t *bytes);
int pzone_zone_info(const struct pzone_ctx *ctx, int node, const char *zone,
		    uint64_t *free_bytes, uint64_t *managed_bytes);
int pzone_set_standby(const struct pzone_ctx *ctx, const char *name,
		      uint64_t bytes);

/* All "key value" pairs of a stats, events or pressure file. */
#define PZONE_KEY_MAX	48
#define PZONE_KV_MAX	32
struct pzone_kv {
	char key[PZONE_KEY_MAX];
	int64_t val;
};

/* pzonectl stats: nr_* is the number of pairs, -ENOENT without the file. */
struct pzone_counters {
	struct pzone_kv stats[PZONE_KV_MAX];
	struct pzone_kv events[PZONE_KV_MAX];
	struct pzone_kv pressure[PZONE_KV_MAX];
	int nr_stats, nr_events, nr_pressure;
	int64_t standby_bytes;		/* -1 without the file */
};

int pzone_kv_parse(const char *buf, struct pzone_kv *kv, int max);
int pzone_attr_kv_all(const struct pzone_ctx *ctx, const char *name,
		      const char *file, struct pzone_kv *kv, int max);
int pzone_counters_get(const struct pzone_ctx *ctx, const char *name,
		       struct pzone_counters *c);

/*
 * Kernel-memory limit: NAME/kernel_limit_bytes, applied as memory.kmem.max
 * of the cgroups the pzone's tasks are put in (notes/INTERFACE.md).
 */
int pzone_kernel_limit(const struct pzone_ctx *ctx, const char *name,
		       uint64_t *bytes);
int pzone_set_kernel_limit(const struct pzone_ctx *ctx, const char *name,
			   uint64_t bytes);
int pzone_cg_apply_kernel_limit(const struct pzone_ctx *ctx, const char *rel,
				uint64_t bytes);
int pzone_cg_kernel_used(const struct pzone_ctx *ctx, const char *rel,
			 int64_t *bytes);

#endif /* LIBPZONE_H */
