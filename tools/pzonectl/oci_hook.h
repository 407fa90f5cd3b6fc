/* SPDX-License-Identifier: GPL-2.0 */
/*
 * oci_hook: the policy of "pzonectl oci-hook", with no I/O.
 *
 * It parses the OCI state JSON a runtime writes to a hook's stdin and the
 * "annotations" of a bundle's config.json, validates the org.pzone.*
 * annotations, derives a pzone name from a container id, picks a base
 * node from a list of nodes, and formats and parses the state files that
 * tell pzoned about hook-made pzones.  pzonectl.c does the I/O; host unit
 * tests (tests/tools/test_oci_hook.c) drive every function here.
 *
 * Functions that can fail return 0 or a negative errno and put the reason
 * in @err as "<what>: <why>", which the caller prints after
 * "pzonectl: oci-hook: ".
 */
#ifndef OCI_HOOK_H
#define OCI_HOOK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "libpzone.h"

#define OCI_ID_MAX		1024	/* longest container id accepted */
#define OCI_STATUS_MAX		32
#define OCI_VAL_MAX		256	/* longest annotation value */
#define OCI_ERR_MAX		512
#define OCI_MAX_NODES		1024	/* MAX_NUMNODES with NODES_SHIFT=10 */
#define OCI_JSON_DEPTH		64	/* deepest nesting a JSON reader accepts */
#define OCI_ANN_PREFIX		"org.pzone."
#define OCI_NAME_PREFIX		"oci-"
#define OCI_STATE_DIR		"/run/pzone/oci"

enum oci_ann {
	OCI_ANN_SIZE,
	OCI_ANN_NODE,
	OCI_ANN_NAME,
	OCI_ANN_KERNEL,
	OCI_ANN_STANDBY,
	OCI_ANN_LIMIT,
	OCI_ANN_KERNEL_LIMIT,
	OCI_ANN_FALLBACK,
	NR_OCI_ANNS,
};

/* "org.pzone.size", ...; indexed by enum oci_ann. */
extern const char * const oci_ann_keys[NR_OCI_ANNS];

/* The org.pzone.* annotations of one source (state or config.json). */
struct oci_annotations {
	bool found;			/* an "annotations" object was there */
	bool any;			/* it had at least one org.pzone.* key */
	bool set[NR_OCI_ANNS];
	char val[NR_OCI_ANNS][OCI_VAL_MAX];
};

/* The fields of the OCI state the hook uses. */
struct oci_state {
	char id[OCI_ID_MAX + 1];
	char status[OCI_STATUS_MAX];
	bool has_pid;
	int64_t pid;
	bool has_bundle;
	char bundle[PZONE_PATH_MAX];
	struct oci_annotations ann;
};

enum oci_action {
	OCI_ACT_NONE,		/* a status the hook ignores */
	OCI_ACT_CREATE,		/* createRuntime: "creating" or "created" */
	OCI_ACT_DESTROY,	/* poststop: "stopped" */
};

/* One node as the I/O side found it. */
struct oci_node {
	int id;
	bool online;
	bool pzone;		/* a reserved pzone id (in use or not) */
	bool has_normal;	/* has a populated ZONE_NORMAL */
	uint64_t free_normal;	/* its free bytes */
};

/* What createRuntime does; sizes in bytes, rounded up to whole blocks. */
struct oci_params {
	char name[PZONE_NAME_MAX + 1];
	int node;
	uint64_t size;
	bool has_kernel;
	uint64_t kernel;
	uint64_t standby;
	uint64_t limit;
	uint64_t kernel_limit;	/* memory.kmem.max of the cgroup; 0: none */
	bool fallback;		/* org.pzone.fallback=true */
};

/* A state file in OCI_STATE_DIR: what pzoned needs to manage the pzone. */
struct oci_record {
	char id[OCI_ID_MAX + 1];
	char name[PZONE_NAME_MAX + 1];
	int base_node;
	int64_t node;
	uint64_t guarantee;
	uint64_t limit;
	uint64_t standby;
	char cgroup[PZONE_PATH_MAX];
};

int oci_state_parse(const char *buf, size_t len, struct oci_state *st,
		    char *err, size_t errlen);
int oci_config_parse(const char *buf, size_t len, const char *label,
		     struct oci_annotations *ann, char *err, size_t errlen);
enum oci_action oci_status_action(const char *status);
int oci_check_state(const struct oci_state *st, enum oci_action act,
		    char *err, size_t errlen);
void oci_derive_name(const char *id, char *name, size_t len);
int oci_parse_nodelist(const char *s, bool *mask, int max);
int oci_params_validate(const struct oci_annotations *ann, const char *id,
			uint64_t block, const struct oci_node *nodes, int nr_nodes,
			struct oci_params *p, char *err, size_t errlen);
int oci_record_format(const struct oci_record *r, char *buf, size_t len);
int oci_record_parse(const char *buf, struct oci_record *r, char *err,
		     size_t errlen);

#endif /* OCI_HOOK_H */
