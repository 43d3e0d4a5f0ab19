/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pacing of a move under a stall bound (move --max-stall, auto's default).
 *
 * A thread that touches a page under migration waits until the kernel has
 * unmapped, copied and remapped the whole batch the page is in (since 6.3 the
 * kernel migrates a call's pages in batches of up to 512 folios), so the
 * longest page-touch stall is about the time of one move_pages call of up to
 * 512 pages. The pacer sizes each call so its measured time stays under a
 * share of the bound, from the seconds per page the calls so far took, and
 * asks for a short pause after each call so the application's threads that
 * queued behind the call (page locks, mmap_lock, the CPU) run before the
 * next one. Pure arithmetic: the engine measures and sleeps.
 */
#ifndef NM_PACE_H
#define NM_PACE_H

#include <stddef.h>

/* The call's target time as a share of the bound: the per-page time of the
 * next call is not known in advance (it varies call to call), so aim at half. */
#define NM_PACE_AIM 0.5
/* Pages of the first call, before anything is measured. */
#define NM_PACE_FIRST 16
/* Largest call: four of the kernel's migration batches. Beyond that a call
 * saves nothing per page and a stall cannot grow (the batch is 512). */
#define NM_PACE_MAX 2048
/* The pause after a call, as a share of the call's time. */
#define NM_PACE_PAUSE 0.25
/* ... and at least this many microseconds (one scheduler wake-up). */
#define NM_PACE_PAUSE_MIN_US 100
/* auto's bound when --max-stall is not given, milliseconds: it moves the
 * memory of processes that are serving */
#define NM_AUTO_MAX_STALL_MS 5

struct nm_pace {
	double bound_s;		/* the stall bound, seconds (> 0) */
	double per_page_s;	/* smoothed seconds per base page; 0: none yet */
	size_t batch;		/* base pages for the next call */
	unsigned long calls;	/* calls recorded */
	double worst_call_s;	/* longest call recorded */
};

/* Starts pacing under a bound of MAX_STALL_US microseconds (> 0). */
void nm_pace_init(struct nm_pace *p, unsigned int max_stall_us);

/* Base pages to give the next call (at least 1: one THP head may exceed it,
 * the caller passes at least one entry). */
size_t nm_pace_batch(const struct nm_pace *p);

/* Records a call over PAGES base pages that took SECONDS; resizes the next
 * batch and returns the pause to take before the next call, microseconds. */
unsigned int nm_pace_done(struct nm_pace *p, size_t pages, double seconds);

#endif
