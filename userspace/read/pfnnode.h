/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The node of a page frame, from the memory block table in sysfs (see
 * memblocks.h): the page queries of check, move, diagnose, trace and auto
 * read a page's node from its pagemap PFN instead of asking move_pages
 * page by page, which costs the kernel a page-table walk per page (4x
 * numastat at 8 GiB). One int16 per memory block.
 */
#ifndef NM_PFNNODE_H
#define NM_PFNNODE_H

#include <stddef.h>
#include <stdint.h>

struct nm_pfn_nodes {
	uint64_t block_pages;	/* page frames per memory block */
	int16_t *node;		/* by block; -1 none */
	size_t n;
};

/* Reads the table for pages of PAGE_SIZE bytes. ROOT "" or NULL: the real
 * /sys. Returns 0 or -errno (-ENOENT without memory blocks). */
int nm_pfn_nodes_read(const char *root, uint64_t page_size, struct nm_pfn_nodes *t);
/* The node of frame PFN, or -1 when no memory block holds it (device memory). */
int nm_pfn_node(const struct nm_pfn_nodes *t, uint64_t pfn);
void nm_pfn_nodes_free(struct nm_pfn_nodes *t);

#endif
