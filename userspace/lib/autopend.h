/* SPDX-License-Identifier: GPL-2.0 */
/*
 * auto's pending queue: moves the rate cap cut short. Each goes on from
 * RESUME in the next intervals, in the order they were decided, before new
 * decisions and on the evidence it was decided on. A new decision that
 * overlaps a pending move waits for it ("pending"), so the pending ranges
 * never overlap each other: a sorted index of them answers "overlaps?" by
 * binary search.
 */
#ifndef NM_AUTOPEND_H
#define NM_AUTOPEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "policy.h"

struct nm_pending {
	struct nm_decision d;
	long interval;		/* when it was decided */
	int node;
	uint64_t resume;	/* where it goes on; 0: done, dropped at the next compact */
};

struct nm_pending_queue {
	struct nm_pending *p;	/* in the order decided */
	size_t n, cap;
	struct nm_pspan {
		uint64_t start, end;
	} *span;		/* the decided ranges, sorted by start */
	size_t nspan, capspan;
};

/* Whether [START, END) overlaps a queued move's range. */
bool nm_pending_overlaps(const struct nm_pending_queue *q, uint64_t start, uint64_t end);
/* Queues D (decided in INTERVAL) to go on from RESUME to NODE. 0 or -ENOMEM. */
int nm_pending_add(struct nm_pending_queue *q, const struct nm_decision *d, long interval,
		   int node, uint64_t resume);
/* Drops the entries that are done (resume 0), keeping the order. */
void nm_pending_compact(struct nm_pending_queue *q);
void nm_pending_free(struct nm_pending_queue *q);

#endif
