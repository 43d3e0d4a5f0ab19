// SPDX-License-Identifier: GPL-2.0
/* The node of a page frame (see pfnnode.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "memblocks.h"
#include "nm.h"
#include "pfnnode.h"

static int put_block(void *ctx, uint64_t block, int node)
{
	struct nm_pfn_nodes *t = ctx;

	if (node < 0 || node >= NM_MAX_NODES || block > (1ULL << 32))
		return 0;	/* not a node we count, or not a sane block */
	if (block >= t->n) {
		size_t n = t->n ? t->n : 64;
		int16_t *p;

		while (n <= block)
			n *= 2;
		p = realloc(t->node, n * sizeof(*p));
		if (!p)
			return -ENOMEM;
		for (size_t i = t->n; i < n; i++)
			p[i] = -1;
		t->node = p;
		t->n = n;
	}
	/* a block listed under two nodes says nothing: move_pages decides */
	t->node[block] = t->node[block] == -1 || t->node[block] == node ? (int16_t)node : -2;
	return 0;
}

int nm_pfn_nodes_read(const char *root, uint64_t page_size, struct nm_pfn_nodes *t)
{
	uint64_t bytes = 0;
	int rc;

	memset(t, 0, sizeof(*t));
	rc = nm_memblocks_read(root, &bytes, put_block, t);
	if (!rc && (bytes < page_size || !page_size))
		rc = -EINVAL;
	if (rc) {
		nm_pfn_nodes_free(t);
		return rc;
	}
	t->block_pages = bytes / page_size;
	return 0;
}

int nm_pfn_node(const struct nm_pfn_nodes *t, uint64_t pfn)
{
	uint64_t b;

	if (!t->block_pages)
		return -1;
	b = pfn / t->block_pages;
	return b < t->n && t->node[b] >= 0 ? t->node[b] : -1;
}

void nm_pfn_nodes_free(struct nm_pfn_nodes *t)
{
	free(t->node);
	memset(t, 0, sizeof(*t));
}
