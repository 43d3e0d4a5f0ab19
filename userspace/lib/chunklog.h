/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The bytes auto moved, per completed chunk, to report the most moved
 * inside any one second (what the rate cap promises). A sliding window:
 * each chunk enters once and leaves once, so adding is amortised O(1).
 */
#ifndef NM_CHUNKLOG_H
#define NM_CHUNKLOG_H

#include <stddef.h>
#include <stdint.h>

struct nm_chunk_log {
	double *t;		/* completion times (monotonic, non-decreasing) */
	uint64_t *bytes;
	size_t lo, n, cap;	/* [lo, n): the chunks of the last second */
	uint64_t window;	/* their bytes */
	double max_1s;		/* the most bytes inside any 1 s so far */
};

/* Records BYTES moved by a chunk that completed at T. 0 or -ENOMEM (the
 * chunk then counts for max_1s but leaves no window entry). */
int nm_chunk_log_add(struct nm_chunk_log *c, double t, uint64_t bytes);
void nm_chunk_log_free(struct nm_chunk_log *c);

#endif
