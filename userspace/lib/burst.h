/* SPDX-License-Identifier: GPL-2.0 */
/*
 * When auto's decision round may come before its interval ends.
 *
 * The kernel's NUMA scanner makes hinting faults in bursts: each pass
 * protects scan_size_mb of the process, the threads fault on those pages
 * within a moment, then nothing until the next pass (a second or more).
 * Waiting for the interval's end after a burst only delays the decision. A
 * round may therefore come as soon as a burst of at least
 * NM_BURST_MIN_FACTOR x --min-samples faults since the last round has
 * arrived and the count has not moved for NM_BURST_SETTLE_S (a steady
 * trickle never settles: its rounds stay at the intervals' ends). At most
 * one round per interval slot: after an early round the next may come no
 * sooner than the slot's end, so rounds, and the --stable and --cooldown
 * counts made of them, keep the interval's pace. That is also why a burst
 * must be large: an early round spent on a few faults, which decide
 * nothing, leaves the rest of its slot's evidence to the next slot's round
 * (the guest's auto_cooldown lost a round to 7 faults so). A scan pass over
 * 4 KiB pages gives hundreds to thousands of faults; one over THP a few,
 * which keep the intervals' ends.
 * Pure arithmetic on the times and counts the caller reads.
 */
#ifndef NM_BURST_H
#define NM_BURST_H

#include <stdbool.h>
#include <stdint.h>

/* Seconds without a new fault that end a burst. */
#define NM_BURST_SETTLE_S 0.15
/* A burst: at least this many times --min-samples new faults. */
#define NM_BURST_MIN_FACTOR 4

struct nm_burst {
	uint64_t base;		/* fault count at the last round */
	uint64_t last;		/* fault count at the last look */
	double changed_s;	/* when the count last moved */
	double not_before_s;	/* no early round before this (the slot's end) */
	uint64_t min;		/* faults that make a burst */
};

/* Starts at NOW_S with FAULTS counted so far, under --min-samples
 * MIN_SAMPLES (a burst needs NM_BURST_MIN_FACTOR times that). */
void nm_burst_init(struct nm_burst *b, double now_s, uint64_t faults, uint64_t min_samples);
/* Looks at the fault count FAULTS at NOW_S: true when a burst has come and
 * settled, so the round may start now. */
bool nm_burst_ready(struct nm_burst *b, double now_s, uint64_t faults);
/* A round read FAULTS at NOW_S, in the slot that ends at SLOT_END_S. */
void nm_burst_round(struct nm_burst *b, double now_s, uint64_t faults, double slot_end_s);

#endif
