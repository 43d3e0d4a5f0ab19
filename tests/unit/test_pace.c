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

/* 1 ms a page under a 4 ms bound: aim at 2 ms, so 2 pages a call. */
static void test_sized_from_time(void **state)
{
	struct nm_pace p;

	(void)state;
	nm_pace_init(&p, 4000);
	nm_pace_done(&p, 16, 0.016);
	assert_int_equal(nm_pace_batch(&p), 2);
	/* slower still (3 ms a page): the next call is sized from it at once */
	nm_pace_done(&p, 2, 0.006);
	assert_int_equal(nm_pace_batch(&p), 1);
}

/* A fast call grows the batch at most twice per call. */
static void test_growth_capped(void **state)
{
	struct nm_pace p;

	(void)state;
	nm_pace_init(&p, 10000);
	nm_pace_done(&p, 16, 16 * 0.0001);	/* 0.1 ms a page: 50 pages would do */
	assert_int_equal(nm_pace_batch(&p), 32);
	nm_pace_done(&p, 32, 32 * 0.0001);
	assert_in_range(nm_pace_batch(&p), 49, 50);
	nm_pace_done(&p, 50, 50 * 0.0001);
	assert_in_range(nm_pace_batch(&p), 49, 50);
}

/* A faster call moves the estimate halfway only; a slower one all the way. */
static void test_estimate_smoothing(void **state)
{
	struct nm_pace p;

	(void)state;
	nm_pace_init(&p, 10000);
	nm_pace_done(&p, 100, 100 * 0.0001);
	nm_pace_done(&p, 100, 100 * 0.00002);
	assert_true(p.per_page_s > 0.0000599 && p.per_page_s < 0.0000601);
	nm_pace_done(&p, 10, 10 * 0.0002);
	assert_true(p.per_page_s > 0.000199 && p.per_page_s < 0.000201);
	/* a call that moved nothing (all there already) says nothing of speed */
	nm_pace_done(&p, 0, 0.001);
	assert_true(p.per_page_s > 0.000199 && p.per_page_s < 0.000201);
}

/* No call larger than NM_PACE_MAX however fast, none smaller than one page. */
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
	assert_int_equal(nm_pace_batch(&p), 1);
	assert_true(p.worst_call_s >= 0.5);
}

/* The pause: a quarter of the call, at least NM_PACE_PAUSE_MIN_US, at most
 * the bound. */
static void test_pause(void **state)
{
	struct nm_pace p;

	(void)state;
	nm_pace_init(&p, 8000);
	assert_int_equal(nm_pace_done(&p, 16, 0.004), 1000);
	assert_int_equal(nm_pace_done(&p, 16, 0.0001), NM_PACE_PAUSE_MIN_US);
	assert_int_equal(nm_pace_done(&p, 16, 0.100), 8000);
	assert_int_equal(p.calls, 3);
}

/* ---- the engine's paced move ------------------------------------------- */

#define BASE 0x7f0000000000ULL
#define NPAGES 3000
#define US_PER_PAGE 20

static struct {
	int node[NPAGES];
	unsigned long calls, max_count, first_count, moved;
	unsigned int sleeps, min_sleep, max_sleep;
} F;

static long fake_move_pages(void *ctx, pid_t pid, unsigned long count, void **pages,
			    const int *nodes, int *status, int flags)
{
	struct timespec ts = { 0, (long)count * US_PER_PAGE * 1000 };

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
	(void)ctx;
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
}

/* A 2 ms bound at 20 us a page: calls of at most 1 ms (50 pages) once the
 * first is measured, every page moved, a pause between calls. */
static void test_engine_paced(void **state)
{
	struct nm_move_result res;

	(void)state;
	run_move(2000, &res);
	assert_int_equal(res.moved, NPAGES);
	assert_int_equal(F.moved, NPAGES);
	assert_int_equal(res.calls, F.calls);
	assert_int_equal(F.first_count, NM_PACE_FIRST);
	/* the measured time includes the sleep's overshoot, so calls can only
	 * come out smaller than 1 ms / 20 us, never larger */
	assert_true(F.max_count <= 50);
	assert_true(F.calls >= NPAGES / 50);
	assert_int_equal(F.sleeps, F.calls - 1);
	assert_true(F.min_sleep >= NM_PACE_PAUSE_MIN_US);
	assert_true(F.max_sleep <= 2000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_batch),
		cmocka_unit_test(test_sized_from_time),
		cmocka_unit_test(test_growth_capped),
		cmocka_unit_test(test_estimate_smoothing),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_pause),
		cmocka_unit_test(test_engine_unpaced),
		cmocka_unit_test(test_engine_paced),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
