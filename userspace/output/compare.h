/* SPDX-License-Identifier: GPL-2.0 */
/*
 * numa_maps against move_pages, over the mappings wholly inside the range:
 * check's and move's cross-check. numa_maps is matched to the mappings as it
 * is read (nm_nmaps_match_line), so no copy of it is kept: memory is a few
 * bytes a mapping. Pure.
 */
#ifndef NM_COMPARE_H
#define NM_COMPARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "engine.h"
#include "maps.h"
#include "numa_maps.h"
#include "range.h"

struct nm_compare {
	bool available;			/* numa_maps could be read */
	size_t vmas_compared, vmas_partial;
	uint64_t numa_maps[NM_MAX_NODES];	/* base pages by node */
	uint64_t queried[NM_MAX_NODES];		/* same mappings, move_pages */
	uint64_t numa_maps_total, queried_total;
	uint64_t diff_pages;		/* sum over nodes of |numa_maps - queried| */
};

/* numa_maps lines matched to a mapping list as they are read. */
struct nm_nmaps_match {
	const struct nm_vma_list *vmas;
	uint64_t page_size;
	uint64_t *covered;		/* bytes of each mapping the ranges cover */
	uint8_t *seen;			/* numa_maps has the mapping's line */
	uint64_t numa_maps[NM_MAX_NODES];	/* over mappings wholly covered */
	/* with policies kept: the mapping's policy at policy[v] - 1 in arena
	 * (0: no line), consecutive equal policies stored once */
	uint32_t *policy;
	char *arena;
	size_t alen, acap, last;
	bool read_ok;			/* set by the caller: every line was read */
};

/* Prepares M for VMAS and RANGES; KEEP_POLICY keeps each mapping's policy
 * for nm_nmaps_policy. 0 or -ENOMEM. */
int nm_nmaps_match_init(struct nm_nmaps_match *m, const struct nm_vma_list *vmas,
			const struct nm_range_list *ranges, uint64_t page_size,
			bool keep_policy);
/* An nm_numa_maps_fn: matches one numa_maps line (CTX is the match). */
int nm_nmaps_match_line(void *ctx, const struct nm_numa_maps_entry *e);
/* The policy numa_maps gave mapping V, or NULL (no line, or not kept). */
const char *nm_nmaps_policy(const struct nm_nmaps_match *m, size_t v);
void nm_nmaps_match_free(struct nm_nmaps_match *m);

/* Fills OUT with mapping V's move_pages counts; false when there are none. */
typedef bool (*nm_vma_hist_fn)(const void *arg, size_t v, struct nm_hist *out);

/* CMP from a finished match M (NULL or !read_ok: numa_maps unavailable)
 * and the query's per-mapping counts from ROW. */
void nm_compare_finish(const struct nm_nmaps_match *m, nm_vma_hist_fn row,
		       const void *arg, struct nm_compare *cmp);

/* The whole cross-check from a query with per-vma histograms and a
 * numa_maps already read. NMAPS may be NULL. */
void nm_compare_compute(const struct nm_vma_list *vmas,
			const struct nm_range_list *ranges,
			const struct nm_query_result *q,
			const struct nm_numa_maps *nmaps, uint64_t page_size,
			struct nm_compare *cmp);

#endif
