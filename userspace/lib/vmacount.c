// SPDX-License-Identifier: GPL-2.0
/* Per-mapping page counts, compact (see vmacount.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "vmacount.h"

enum { X_NOT_PRESENT, X_ERROR, X_THP_PAGES, X_THP };

static size_t stride(unsigned int nodes)
{
	return (size_t)nodes + NM_VMACOUNT_EXTRA;
}

int nm_vmacount_init(struct nm_vmacount *vc, size_t n, unsigned int nodes)
{
	if (!nodes)
		nodes = 1;
	vc->n = n;
	vc->nodes = nodes;
	vc->c = calloc(n ? n * stride(nodes) : 1, sizeof(*vc->c));
	return vc->c ? 0 : -ENOMEM;
}

/* Widens every row to NODES node columns. */
static int widen(struct nm_vmacount *vc, unsigned int nodes)
{
	size_t os = stride(vc->nodes), ns = stride(nodes);
	uint64_t *c = calloc(vc->n ? vc->n * ns : 1, sizeof(*c));

	if (!c)
		return -ENOMEM;
	for (size_t v = 0; v < vc->n; v++) {
		memcpy(c + v * ns, vc->c + v * os, vc->nodes * sizeof(*c));
		memcpy(c + v * ns + nodes, vc->c + v * os + vc->nodes,
		       NM_VMACOUNT_EXTRA * sizeof(*c));
	}
	free(vc->c);
	vc->c = c;
	vc->nodes = nodes;
	return 0;
}

int nm_vmacount_add(struct nm_vmacount *vc, size_t v, const struct nm_hist *h)
{
	uint64_t *row;

	if (v >= vc->n)
		return 0;
	if (h->max_node >= (int)vc->nodes) {
		int rc = widen(vc, (unsigned int)h->max_node + 1);

		if (rc)
			return rc;
	}
	row = vc->c + v * stride(vc->nodes);
	for (int n = 0; n <= h->max_node; n++)
		row[n] += h->node[n];
	row += vc->nodes;
	row[X_NOT_PRESENT] += h->not_present;
	row[X_ERROR] += h->error;
	row[X_THP_PAGES] += h->thp_pages;
	row[X_THP] += h->thp;
	return 0;
}

void nm_vmacount_get(const struct nm_vmacount *vc, size_t v, struct nm_hist *out)
{
	const uint64_t *row = vc->c + v * stride(vc->nodes);

	memset(out, 0, sizeof(*out));
	out->max_node = -1;
	for (unsigned int n = 0; n < vc->nodes; n++) {
		out->node[n] = row[n];
		out->present += row[n];
		if (row[n])
			out->max_node = (int)n;
	}
	row += vc->nodes;
	out->not_present = row[X_NOT_PRESENT];
	out->error = row[X_ERROR];
	out->thp_pages = row[X_THP_PAGES];
	out->thp = row[X_THP];
}

void nm_vmacount_free(struct nm_vmacount *vc)
{
	free(vc->c);
	memset(vc, 0, sizeof(*vc));
}
