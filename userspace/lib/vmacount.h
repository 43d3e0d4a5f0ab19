/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-mapping page counts in memory sized by the nodes present: a row per
 * mapping of one counter per node 0..nodes-1 and four more (not present,
 * error, THP base pages, THPs), where a struct nm_hist takes 560 bytes
 * whatever the machine. 60,000 mappings on two nodes: 2.9 MB, not 34 MB.
 * A page on a node past the columns widens every row once (linear).
 */
#ifndef NM_VMACOUNT_H
#define NM_VMACOUNT_H

#include <stddef.h>
#include <stdint.h>
#include "engine.h"

struct nm_vmacount {
	size_t n;		/* mappings (rows) */
	unsigned int nodes;	/* node columns */
	uint64_t *c;		/* n rows of nodes + NM_VMACOUNT_EXTRA */
};

#define NM_VMACOUNT_EXTRA 4

/* N rows of zeros with NODES node columns (at least 1). 0 or -ENOMEM. */
int nm_vmacount_init(struct nm_vmacount *vc, size_t n, unsigned int nodes);
/* Adds H's counts to row V (ignored past the rows). 0 or -ENOMEM. */
int nm_vmacount_add(struct nm_vmacount *vc, size_t v, const struct nm_hist *h);
/* Row V as an nm_hist (present and max_node derived from the nodes). */
void nm_vmacount_get(const struct nm_vmacount *vc, size_t v, struct nm_hist *out);
void nm_vmacount_free(struct nm_vmacount *vc);

#endif
