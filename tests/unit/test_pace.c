// SPDX-License-Identifier: GPL-2.0
/* Unit tests of userspace/lib/pace.c, and of the engine's paced move
 * (move --max-stall) through a fake move_pages that takes a set time per page. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>
#include "engine.h"
#include "pace.h"

static void test_first_batch(void **state)
{
	struct nm_pace p;

	(void)state;
	nm_pace_init(&p, 5000);
	assert_int_equal(nm_pace_batch(&p), NM_PACE_FIRST);
}

/* Every other call gets half the batch, so the fit sees two sizes. */
static void test_dither(void **state)
{
	struct nm_pace p;

	(void)state;
	nm_pace_init(&p, 5000);
	nm_pace_done(&p, 16, 0.001);
	assert_int_equal(nm_pace_batch(&p), p.batch / 2);
	nm_pace_done(&p, p.batch / 2, 0.001);
	assert_int_equal(nm_pace_batch(&p), p.batch);
}

/* One size seen only: the whole time counts as per page. 1 ms a page under
 * a 40 ms bound: aim at 20 ms, so 20 pages. */
static void test_one_size(void **state)
{
	struct nm_pace p;

	(void)state;
	nm_pace_init(&p, 40000);
	nm_pace_done(&p, 16, 0.016);
	assert_int_equal(p.batch, 20);
	assert_true(p.fixed_s < 1e-12);
}

/* A burst of noise (a call descheduled for 200 ms) shrinks the calls to the
 * smallest; the fit then finds the real line again (5 ms a call, 50 us a
 * page: 50 pages under a 5 ms bound) instead of staying there. */
static void test_recovers(void **state)
{
	struct nm_pace p;

	(void)state;
	nm_pace_init(&p, 5000);
	nm_pace_done(&p, 16, 0.2);
	assert_int_equal(p.batch, NM_PACE_MIN);
	for (int i = 0; i < 200; i++) {
		size_t n = nm_pace_batch(&p);

		nm_pace_done(&p, n, 0.005 + (double)n * 0.00005);
	}
	assert_in_range(p.batch, 45, 50);
}

/* Calls cost 5 ms plus 0.1 ms a page: under a 10 ms bound the pages of a
 * call may take 5 ms, so 50 pages, not the 0-3 pages that dividing the
 * whole time by the pages would give (the fixed part stalls no page). */
static void test_fixed_part(void **state)
{
	struct nm_pace p;

	(void)state;
	nm_pace_init(&p, 10000);
	for (int i = 0; i < 40; i++) {
		size_t n = nm_pace_batch(&p);

		nm_pace_done(&p, n, 0.005 + (double)n * 0.0001);
	}
	assert_true(p.per_page_s > 0.0000999 && p.per_page_s < 0.0001001);
	assert_true(p.fixed_s > 0.00499 && p.fixed_s < 0.00501);
	assert_in_range(p.batch, 49, 50);
}

/* A fast start grows the batch at most twice per call. */
static void test_growth_capped(void **state)
{
	struct nm_pace p;

	(void)state;
	nm_pace_init(&p, 10000);
	nm_pace_done(&p, 16, 16 * 0.0001);	/* 0.1 ms a page: 50 pages would do */
	assert_int_equal(p.batch, 32);
	nm_pace_done(&p, 16, 16 * 0.0001);
	assert_in_range(p.batch, 49, 50);
}

/* A slower machine shrinks the next call at once. */
static void test_slowdown(void **state)
{
	struct nm_pace p;

	(void)state;
	nm_pace_init(&p, 10000);
	for (int i = 0; i < 10; i++)
		nm_pace_done(&p, nm_pace_batch(&p), (double)nm_pace_batch(&p) * 0.0001);
	assert_in_range(p.batch, 49, 50);
	nm_pace_done(&p, nm_pace_batch(&p), (double)nm_pace_batch(&p) * 0.001);
	assert_true(p.batch < 25);
	/* a call that moved nothing (all there already) says nothing of speed */
	{
		size_t b = p.batch;

		nm_pace_done(&p, 0, 0.050);
		assert_int_equal(p.batch, b);
	}
}

/* No call larger than NM_PACE_MAX however fast, none smaller than NM_PACE_MIN
 * however slow (1 page in 0.5 s under a 1 ms bound). */
static void test_limits(void **state)
{
	struct nm_pace p;

	(void)state;
	nm_pace_init(&p, 1000000);
	for (int i = 0; i < 20; i++)
		nm_pace_done(&p, nm_pace_batch(&p), 1e-9);
	assert_int_equal(nm_pace_batch(&p), NM_PACE_MAX);
	nm_pace_init(&p, 1000);
	nm_pace_done(&p, 1, 0.5);
	assert_int_equal(p.batch, NM_PACE_MIN);
	assert_true(p.worst_call_s >= 0.5);
}

/* The pause: a tenth of the call, at most the bound, none when shorter
 * than NM_PACE_PAUSE_MIN_US. */
static void test_pause(void **state)
{
	struct nm_pace p;

	(void)state;
	nm_pace_init(&p, 8000);
	assert_int_equal(nm_pace_done(&p, 16, 0.004), 400);
	assert_int_equal(nm_pace_done(&p, 16, 0.0004), 0);
	assert_int_equal(nm_pace_done(&p, 16, 0.100), 8000);
	assert_int_equal(p.calls, 3);
}

/* ---- the engine's paced move ------------------------------------------- */

#define BASE 0x7f0000000000ULL
#define NPAGES 1000
#define US_FIXED 1000
#define US_PER_PAGE 200

static struct {
	int node[NPAGES];
	unsigned long calls, max_count, first_count, moved;
	unsigned int sleeps, min_sleep, max_sleep;
	unsigned long slept_us;
} F;

static long fake_move_pages(void *ctx, pid_t pid, unsigned long count, void **pages,
			    const int *nodes, int *status, int flags)
{
	struct timespec ts = { 0, ((long)count * US_PER_PAGE + US_FIXED) * 1000 };

	(void)ctx, (void)pid, (void)flags;
	for (unsigned long i = 0; i < count; i++) {
		size_t p = ((uintptr_t)pages[i] - BASE) / 4096;

		if (nodes && F.node[p] != nodes[i]) {
			F.node[p] = nodes[i];
			F.moved++;
		}
		status[i] = F.node[p];
	}
	if (!nodes)
		return 0;
	if (!F.calls++)
		F.first_count = count;
	if (count > F.max_count)
		F.max_count = count;
	nanosleep(&ts, NULL);	/* the copy: what the pacer measures */
	return 0;
}

static void fake_sleep(void *ctx, unsigned int us)
{
	struct timespec ts = { 0, (long)us * 1000 };

	(void)ctx;
	nanosleep(&ts, NULL);
	F.slept_us += us;
	F.sleeps++;
	if (!F.min_sleep || us < F.min_sleep)
		F.min_sleep = us;
	if (us > F.max_sleep)
		F.max_sleep = us;
}

static struct nm_sys SYS = { fake_move_pages, NULL, NULL, NULL, fake_sleep, NULL, NULL, NULL };

static void run_move(unsigned int max_stall_us, struct nm_move_result *res)
{
	struct nm_range r = { .start = BASE, .end = BASE + NPAGES * 4096ULL, .vma = 0 };
	struct nm_range_list rl = { .r = &r, .n = 1, .cap = 1, .pages = NPAGES };
	struct nm_engine_opts o;
	struct nm_move_request req = { .target_node = 1 };

	memset(&F, 0, sizeof(F));
	nm_engine_opts_default(&o);
	o.max_stall_us = max_stall_us;
	assert_int_equal(nm_engine_move(&SYS, 1, &rl, &o, &req, res), 0);
}

/* Without a bound: one call per batch (16384 pages), no pause. */
static void test_engine_unpaced(void **state)
{
	struct nm_move_result res;

	(void)state;
	run_move(0, &res);
	assert_int_equal(res.moved, NPAGES);
	assert_int_equal(F.calls, 1);
	assert_int_equal(F.sleeps, 0);
	/* the report's split of the time: all of it in the one call */
	assert_true(res.call_s >= (NPAGES * US_PER_PAGE + US_FIXED) / 1e6);
	assert_true(res.call_s <= res.seconds);
	assert_true(res.pause_s == 0);
}

/* Calls cost 1 ms plus 0.2 ms a page; a 20 ms bound lets the pages of a
 * call take 10 ms: 50 pages (25 every other call). The host's own timing
 * noise moves the fit, so allow up to twice that, not the 10-page calls that
 * counting the fixed part as per page would give, nor the unpaced 1000. */
static void test_engine_paced(void **state)
{
	struct nm_move_result res;

	(void)state;
	run_move(20000, &res);
	assert_int_equal(res.moved, NPAGES);
	assert_int_equal(F.moved, NPAGES);
	assert_int_equal(res.calls, F.calls);
	assert_int_equal(F.first_count, NM_PACE_FIRST);
	assert_in_range(F.max_count, 40, 100);
	assert_true(F.calls >= NPAGES / 100);
	assert_true(F.calls < NPAGES / 12);
	assert_int_equal(F.sleeps, F.calls - 1);
	assert_true(F.min_sleep >= 100);	/* a tenth of at least 1 ms */
	assert_true(F.max_sleep <= 20000);
	/* the report's split: the calls' copy and fixed parts, the pauses
	 * asked for (at least), and no more than the move took */
	assert_true(res.call_s >= (NPAGES * US_PER_PAGE + F.calls * US_FIXED) / 1e6);
	assert_true(res.pause_s >= F.slept_us / 1e6);
	assert_true(res.call_s + res.pause_s <= res.seconds);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_batch),
		cmocka_unit_test(test_dither),
		cmocka_unit_test(test_one_size),
		cmocka_unit_test(test_fixed_part),
		cmocka_unit_test(test_recovers),
		cmocka_unit_test(test_growth_capped),
		cmocka_unit_test(test_slowdown),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_pause),
		cmocka_unit_test(test_engine_unpaced),
		cmocka_unit_test(test_engine_paced),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
