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
 * each call so its per-page part is half the bound. After a call it asks
 * for a pause of a tenth of the call's time, so the application's threads
 * queued behind the call (page locks, mmap_lock, the CPU) run before the
 * next one. Under load a pause lasts longer than asked (the wake-up, then a
 * CPU the application's threads hold): 1.3-1.5 ms for 0.24 ms in the 2-node
 * guest, a third of a paced move's time (results/2026-12-06-disruption-
 * split-6.12.txt; move's report gives paused_seconds). That is kept on
 * purpose: a pacer that owed the overrun back, so the pauses took a tenth,
 * moved faster (1.00x migratepages' throughput against 0.87x) but blocked
 * the application longer (median of 10 rounds' worst block 2.65 ms
 * against 1.52 ms, -owed-6.12.txt): the movers kept the CPUs, and a call
 * preempted mid-batch holds its pages unmapped longer.
 * Pure arithmetic: the engine measures and sleeps.
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
/* The pause after a call, as a share of the call's time (at most the bound;
 * none under NM_PACE_PAUSE_MIN_US: a sleep that short is all wake-up). */
#define NM_PACE_PAUSE 0.1
#define NM_PACE_PAUSE_MIN_US 50
/* auto's bounds when --max-stall is not given, milliseconds. auto moves
 * memory of processes that are serving, so it paces (issue #14 point 2: the
 * longest page-touch stall at most a quarter of migratepages', at at least
 * half its throughput). Which bound depends on where a move runs:
 *  - NM_AUTO_MAX_STALL_MS, on CPUs of its own: where the process's working
 *    threads are confined to some CPUs, auto's paced moves run on the others
 *    without pauses (autoproc.c). There 5 ms blocked a touching thread 0.16x
 *    as long as migratepages did at 0.71x its throughput (tests/bench/
 *    results/2026-12-06-disruption-appnode-6.12.txt), and auto placed the
 *    benchmark's buffer 5.7x and 5.96x faster than the kernel's balancing
 *    (two runs; 5.9x over their six, 2026-12-06-auto-vs-kernel-paced-6.12.txt
 *    and -paced-b), where unpaced it did 6.1-6.3x. Later, interleaved with
 *    unpaced runs: 6.3x against 6.4x (-unpaced-interleaved); 5.5x in a
 *    slower hour of the guest (-r9); 5.99x over those 13 runs.
 *  - NM_AUTO_MAX_STALL_SHARED_MS, beside the process's threads: a move that
 *    shares CPUs with them adds its own time on those CPUs to their stalls.
 *    There 5 ms gave 0.26x at 1.00x (within the quarter in 4 rounds of 9),
 *    2 ms a tenth at 0.70x (6 of 9; -disruption-paired-6.12.txt).
 * --max-stall N sets both; --max-stall 0 moves unpaced. */
#define NM_AUTO_MAX_STALL_MS 5
#define NM_AUTO_MAX_STALL_SHARED_MS 2

struct nm_pace {
	double bound_s;		/* the stall bound, seconds (> 0) */
	/* decayed sums of the fit: weight, pages, seconds, pages^2, pages*seconds */
	double w, sn, st, snn, snt;
	double per_page_s;	/* the fitted seconds per page; 0: none yet */
	double fixed_s;		/* the fitted seconds per call */
	size_t batch;		/* base pages for the next full call */
	unsigned long calls;	/* calls recorded */
	double worst_call_s;	/* longest call recorded */
};

/* Starts pacing under a bound of MAX_STALL_US microseconds (> 0). */
void nm_pace_init(struct nm_pace *p, unsigned int max_stall_us);

/* Base pages to give the next call (at least 1: one THP head may exceed it,
 * the caller passes at least one entry). Every other call gets half. */
size_t nm_pace_batch(const struct nm_pace *p);

/* Records a call over PAGES base pages that took SECONDS; refits, resizes
 * the next batch and returns the pause to take before the next call, in
 * microseconds (0: none). */
unsigned int nm_pace_done(struct nm_pace *p, size_t pages, double seconds);

#endif
