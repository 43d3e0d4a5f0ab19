// SPDX-License-Identifier: GPL-2.0
/* When auto's decision round may come early: see burst.h. */
#include "burst.h"

void nm_burst_init(struct nm_burst *b, double now_s, uint64_t faults, uint64_t min_samples)
{
	b->base = faults;
	b->last = faults;
	b->changed_s = now_s;
	b->not_before_s = now_s;
	b->min = (min_samples ? min_samples : 1) * NM_BURST_MIN_FACTOR;
}

bool nm_burst_ready(struct nm_burst *b, double now_s, uint64_t faults)
{
	if (faults != b->last) {
		b->last = faults;
		b->changed_s = now_s;
		return false;
	}
	if (now_s < b->not_before_s || faults < b->base + b->min)
		return false;
	return now_s - b->changed_s >= NM_BURST_SETTLE_S;
}

void nm_burst_round(struct nm_burst *b, double now_s, uint64_t faults, double slot_end_s)
{
	b->base = faults;
	b->last = faults;
	b->changed_s = now_s;
	b->not_before_s = slot_end_s;
}
