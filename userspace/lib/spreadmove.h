/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Moving a range by a weighted spread (spread.h): the range is cut into
 * chunks aligned to 2 MiB (a THP never straddles two chunks, so it moves
 * whole), each chunk is given a node by nm_spread_next, and the engine moves
 * each node's chunks with its ordinary move path (nm_engine_move, once per
 * node). The verification compares the nodes' shares of the present pages
 * with the requested shares.
 */
#ifndef NM_SPREADMOVE_H
#define NM_SPREADMOVE_H

#include <stdbool.h>
#include <stdint.h>
#include "engine.h"
#include "range.h"
#include "spread.h"

#define NM_SPREAD_ALIGN (2ULL << 20)	/* a PMD-sized THP */
#define NM_SPREAD_MAX_CHUNKS 4096

/* The chunk size for a range of BYTES: 2 MiB, or a larger multiple of it so
 * that there are at most NM_SPREAD_MAX_CHUNKS chunks. */
uint64_t nm_spread_chunk(uint64_t bytes);

/* Cuts RANGES at multiples of CHUNK (a multiple of 2 MiB) and gives each
 * piece its node: OUT[i] (SP->n lists, zeroed by the caller; free with
 * nm_range_list_free) gets the pieces of SP entry i, adjacent ones merged.
 * Returns 0 or -ENOMEM (OUT freed). */
int nm_spread_split(const struct nm_range_list *ranges, const struct nm_spread *sp,
		    uint64_t chunk, struct nm_range_list *out);

/* Moves RANGES of PID by SP: REQ as for nm_engine_move, its target_node set
 * per entry. RES sums the entries' moves (seconds: their sum). Returns 0 or
 * the first entry's fatal -errno (the later entries are not moved). */
int nm_spread_move(const struct nm_sys *sys, pid_t pid, const struct nm_range_list *ranges,
		   const struct nm_engine_opts *o, const struct nm_move_request *req,
		   const struct nm_spread *sp, struct nm_move_result *res);

/* The achieved split against the requested one. */
struct nm_spread_check {
	uint64_t present;		/* present pages of the range */
	uint64_t pages[NM_MAX_NODES];	/* of those, on each spread entry's node */
	double requested[NM_MAX_NODES];	/* percent, by spread entry */
	double achieved[NM_MAX_NODES];
	double tolerance;		/* percentage points */
	double worst_miss;		/* largest |achieved - requested| */
	int worst;			/* its entry, -1 when nothing is present */
	bool missed;			/* worst_miss > tolerance, or nothing present */
};

/* From a query's histogram of the range (present pages by node). */
void nm_spread_verify(const struct nm_spread *sp, const struct nm_hist *h, double tolerance,
		      struct nm_spread_check *c);

#endif
