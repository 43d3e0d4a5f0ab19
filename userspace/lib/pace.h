/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pacing of a move under a stall bound (move --max-stall, auto's default).
 *
 * A thread that touches a page under migration waits until the kernel has
 * unmapped, copied and remapped the whole batch the page is in (since 6.3 the
 * kernel migrates a call's pages in batches of up to 512 folios), so the
 * longest page-touch stall grows with the pages of one move_pages call. A
 * call's time is a fixed part (lru_cache_disable: an RCU grace period and a
 * drain on every CPU, which waits for those CPUs) plus a part per page (the
 * unmap, copy and remap a toucher waits for). The pacer fits both from the
 * calls so far (a least-squares line over a decaying window; calls alternate
 * between the full and half size so the line stays determined) and sizes
 * each call so its per-page part is half the bound. The pauses between
 * calls take a tenth of the calls' time, so the application's threads
 * queued behind a call (page locks, mmap_lock, the CPU) run before the
 * next one. A tenth of the pauses' real length, not of what was asked: a
 * sleep of 0.24 ms lasted 1.3-1.5 ms in the 2-node guest (the wake-up, then
 * a CPU the application's threads hold), which made the pauses a third of a
 * paced move (tests/bench/results/2026-12-06-disruption-split-6.12.txt). So
 * the pacer keeps the pause owed: each call adds a tenth of its time, each
 * pause takes off what it really lasted, and no pause comes while the
 * account is short. Pure arithmetic: the engine measures and sleeps.
 */
#ifndef NM_PACE_H
#define NM_PACE_H

#include <stddef.h>

/* The per-page part of a call as a share of the bound: the estimate is of
 * past calls, and the next one varies, so aim at half. */
#define NM_PACE_AIM 0.5
/* Pages of the first call, before anything is measured. */
#define NM_PACE_FIRST 16
/* Largest call: four of the kernel's migration batches. Beyond that a call
 * saves nothing per page and a stall cannot grow (the batch is 512). */
#define NM_PACE_MAX 2048
/* Smallest full call: its half (the dither) still differs from it, so the fit
 * stays determined and can find its way back from a burst of noise. */
#define NM_PACE_MIN 8
/* Weight of the older calls in the fit, per call. */
#define NM_PACE_DECAY 0.95
/* The pauses, as a share of the calls' time (one pause at most the bound;
 * none under NM_PACE_PAUSE_MIN_US: a sleep that short is all wake-up). */
#define NM_PACE_PAUSE 0.1
#define NM_PACE_PAUSE_MIN_US 50
/* auto's bound when --max-stall is not given, milliseconds (0: unpaced).
 * Not paced by default: a paced move lasts longer. At 5 ms, the bound that
 * keeps a toucher's longest block to 0.12x migratepages'
 * (tests/bench/results/2026-12-05-disruption-blocked-6.12.txt), auto took
 * 5.73 s to place the benchmark's buffer against 5.32 s unpaced: 5.8x the
 * kernel's balancing instead of 6.3x (2026-12-05-auto-vs-kernel-maxstall5-
 * 6.12.txt and -d.txt). And with NUMA balancing on (as auto runs) the kernel migrates
 * some of the same pages while we move them, so our counts and the migrate
 * tracepoint's disagree more (5.4% in the 6.1 guest's auto_loop,
 * 2026-12-03). --max-stall turns it on. */
#define NM_AUTO_MAX_STALL_MS 0

struct nm_pace {
	double bound_s;		/* the stall bound, seconds (> 0) */
	/* decayed sums of the fit: weight, pages, seconds, pages^2, pages*seconds */
	double w, sn, st, snn, snt;
	double per_page_s;	/* the fitted seconds per page; 0: none yet */
	double fixed_s;		/* the fitted seconds per call */
	size_t batch;		/* base pages for the next full call */
	unsigned long calls;	/* calls recorded */
	double worst_call_s;	/* longest call recorded */
	double pause_owed_s;	/* pause time the calls earned and no pause took */
};

/* Starts pacing under a bound of MAX_STALL_US microseconds (> 0). */
void nm_pace_init(struct nm_pace *p, unsigned int max_stall_us);

/* Base pages to give the next call (at least 1: one THP head may exceed it,
 * the caller passes at least one entry). Every other call gets half. */
size_t nm_pace_batch(const struct nm_pace *p);

/* Records a call over PAGES base pages that took SECONDS; refits, resizes
 * the next batch and returns the pause to take before the next call, in
 * microseconds (0: none), which it takes off the pause owed. */
unsigned int nm_pace_done(struct nm_pace *p, size_t pages, double seconds);

/* A pause of ASKED_US microseconds (nm_pace_done's) lasted SECONDS: the
 * overrun is owed back by the next calls' pauses. */
void nm_pace_paused(struct nm_pace *p, unsigned int asked_us, double seconds);

#endif
