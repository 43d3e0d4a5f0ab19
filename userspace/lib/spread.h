/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Weighted spreads: "0:3,2:1" puts three parts on node 0 for each part on
 * node 2. A mover asks, chunk by chunk (chunks that keep THPs whole), which
 * node the next chunk goes to; the answer keeps every node's share within
 * one chunk of its weight at every point, so any prefix of the range is
 * spread as asked too. Pure.
 */
#ifndef NM_SPREAD_H
#define NM_SPREAD_H

#include <stdint.h>
#include "nm.h"

struct nm_spread {
	int n;				/* nodes in the spread (1: a plain --to-node) */
	int node[NM_MAX_NODES];
	unsigned int weight[NM_MAX_NODES];
	unsigned long total;		/* sum of the weights */
};

struct nm_spread_state {
	uint64_t assigned[NM_MAX_NODES];	/* bytes given to each entry so far */
	uint64_t total;
};

/* "1" or "0:3,2:1" (weights 1-1000, each node once). 0 or -EINVAL; WHY
 * names the problem. */
int nm_spread_parse(const char *s, struct nm_spread *out, char *why, size_t len);

/* The node for the next chunk of BYTES, accounted in ST: the entry furthest
 * below its share once the chunk is counted (ties: the first listed). */
int nm_spread_next(const struct nm_spread *sp, struct nm_spread_state *st, uint64_t bytes);

/* Entry I's requested share in percent. */
double nm_spread_share(const struct nm_spread *sp, int i);

#endif
