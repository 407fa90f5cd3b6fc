/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pzoned's configuration: the CONFIG file (one pzone per line) and the
 * records of pzonectl oci-hook, parsed and checked against the running
 * system.  Used by pzoned.c; the format is in pzoned(8).
 */
#ifndef PZONED_CONFIG_H
#define PZONED_CONFIG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "libpzone.h"

#define PZD_MAX_PZONES	64
#define PZD_MAX_PRIORITY	100
#define PZD_MAX_ERRORS	32	/* config errors reported per file */
#define PZD_DEFAULT_CONFIG	"/etc/pzone/pzoned.conf"

struct pz_conf {
	char name[PZONE_NAME_MAX + 1];
	int base;
	uint64_t guarantee;
	uint64_t limit;
	int priority;
	uint64_t standby;
	uint64_t kernel_limit;	/* kernel_limit=SIZE; 0: leave kernel_limit_bytes alone */
	int line;
	bool oci;		/* from a record of pzonectl oci-hook: adopt, never create */
};

struct config {
	struct pz_conf pz[PZD_MAX_PZONES];
	int nr;
};

/* What loading a config needs from its caller. */
struct pzd_cfg_env {
	const struct pzone_ctx *ctx;
	uint64_t block;			/* sizes are rounded up to it */
	const char *oci_dir;		/* records of pzonectl oci-hook; NULL: none */
	uint64_t oci_sig;		/* what oci_dir held at the last load */
	bool missing_ok;		/* a missing file is an empty config (the default path) */
	/* errors when no FILE is given: one message, no newline */
	void (*note)(const char *msg);
};

int pzd_config_load(struct pzd_cfg_env *env, const char *path,
		    struct config *c, FILE *out, bool system);
uint64_t pzd_oci_signature(const char *oci_dir);
int pzd_parse_int(const char *s, long max, long *out);
int pzd_nr_oci(const struct config *c);

#endif /* PZONED_CONFIG_H */
