// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of auto's executor (lib/autoexec.c), its pending queue
 * (lib/autopend.c) and chunk log (lib/chunklog.c), on a fake target whose
 * pages sit on nodes in an array: decisions become actions (the enum), the
 * rate cap and a stop cut moves short and queue them, the queue answers
 * overlaps, and the totals are the engine's counts. No root.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "testutil.h"
#include "fakepages.h"
#include "autoexec.h"
#include "autopend.h"
#include "chunklog.h"

#define PS 4096ULL
#define BASE 0x7f0000000000ULL
#define NPAGES 64

struct fake {
	int node[NPAGES];
	unsigned int moves;
	unsigned int exit_after;	/* moving calls before the process exits; 0: never */
	bool exited;
};

static long fake_move_pages(void *ctx, pid_t pid, unsigned long count, void **pages,
			    const int *nodes, int *status, int flags)
{
	struct fake *f = ctx;

	(void)pid;
	(void)flags;
	if (nodes && f->exit_after && f->moves >= f->exit_after)
		f->exited = true;
	if (f->exited)
		return -ESRCH;
	if (nodes)
		f->moves++;
	fake_pages_move(f->node, NPAGES, BASE, count, pages, nodes, status);
	return 0;
}

static int fake_alive(void *ctx)
{
	return ((struct fake *)ctx)->exited ? -ESRCH : 0;
}

static void fake_sleep(void *ctx, unsigned int us)
{
	(void)ctx;
	(void)us;
}

static int stop_now;

static int stopped(void)
{
	return stop_now;
}

static bool no_wait(double s)
{
	(void)s;
	return !stop_now;
}

struct rig {
	struct fake f;
	struct nm_sys sys;
	struct nm_engine_opts eo;
	struct nm_range_list ranges;
	struct nm_range one;
	struct nm_policy pol;
	struct nm_node_env env;
	struct nm_exec x;
};

static struct nm_decision move_decision(uint64_t start, uint64_t end, int node)
{
	return (struct nm_decision){ .start = start, .end = end, .node = node,
				     .reason = NM_R_MOVE };
}

/* A fresh rig; returns a move of its first NPAGES pages to node 1. */
static struct nm_decision rig_init(struct rig *r, int npages)
{
	struct nm_policy_opts po;

	memset(r, 0, sizeof(*r));
	stop_now = 0;
	r->sys = (struct nm_sys){ .move_pages = fake_move_pages, .alive = fake_alive,
				  .sleep_us = fake_sleep, .ctx = &r->f };
	nm_engine_opts_default(&r->eo);
	r->eo.page_size = PS;
	r->one = (struct nm_range){ BASE, BASE + NPAGES * PS, 0 };
	r->ranges = (struct nm_range_list){ .r = &r->one, .n = 1, .cap = 1, .pages = NPAGES };
	nm_policy_opts_default(&po);
	assert_int_equal(nm_policy_init(&r->pol, &po, 2 << 20), 0);
	r->pol.interval = 1;	/* as after one nm_policy_decide */
	r->env.has_cpu.bits = r->env.has_memory.bits = r->env.allowed.bits = 0x3;
	r->x = (struct nm_exec){ .sys = &r->sys, .pid = 1, .eo = &r->eo, .ranges = &r->ranges,
				 .wait = no_wait, .stopped = stopped };
	return move_decision(BASE, BASE + (uint64_t)npages * PS, 1);
}

/* D executed on the rig (succeeding) with DEADLINE and queued move P: what
 * became of it (also in *ACT). */
static enum nm_act exec(struct rig *r, const struct nm_decision *d, double deadline,
			struct nm_pending *p, struct nm_action *act)
{
	assert_int_equal(nm_exec_decision(&r->x, &r->pol, &r->env, d, deadline, p, act), 0);
	return act->what;
}

static void rig_free(struct rig *r)
{
	nm_exec_free(&r->x);
	nm_policy_free(&r->pol);
}

/* The process exits in the middle of a paced move: the action ends with
 * -ESRCH (auto ends with the process) and the pages its exit left behind
 * are not failed pages (auto --all exited 3 on a process stopped mid-move). */
static void test_exec_target_exits_midmove(void **state)
{
	struct rig r;
	struct nm_decision d = rig_init(&r, NPAGES);
	struct nm_action act;

	(void)state;
	r.eo.max_stall_us = 5000;	/* many small calls */
	r.f.exit_after = 1;
	assert_int_equal(nm_exec_decision(&r.x, &r.pol, &r.env, &d, nm_mono() + 10, NULL, &act),
			 -ESRCH);
	assert_true(r.f.exited);
	assert_true(act.res.moved > 0 && act.res.moved < NPAGES);
	assert_int_equal(act.res.failed, 0);
	assert_int_equal(act.res.by_errno[NM_ERR_UNPROCESSED], 0);
	assert_int_equal(r.x.tot.res.failed, 0);
	rig_free(&r);
}

/* A whole move: MOVED, verified by the re-query, totals from the engine. */
static void test_exec_moves(void **state)
{
	struct rig r;
	struct nm_decision d = rig_init(&r, 16);
	struct nm_action act;

	assert_int_equal(exec(&r, &d, nm_mono() + 10, NULL, &act), NM_ACT_MOVED);
	assert_string_equal(nm_act_name(act.what), "moved");
	assert_true(act.executed);
	assert_int_equal(act.res.moved, 16);
	assert_true(act.verified);
	assert_int_equal(act.on_target, 16);
	assert_int_equal(act.present, 16);
	assert_int_equal(r.x.tot.res.moved, 16);
	assert_int_equal(r.x.tot.moves_done, 1);
	assert_int_equal(r.x.tot.decisions[NM_R_MOVE], 1);
	for (int i = 0; i < 16; i++)
		assert_int_equal(r.f.node[i], 1);
	assert_int_equal(r.f.node[16], 0);
	assert_int_equal(r.x.pend.n, 0);
	/* the same range again: already there, counted by the engine */
	exec(&r, &d, nm_mono() + 10, NULL, &act);
	assert_int_equal(r.x.tot.res.moved, 16);
	assert_int_equal(r.x.tot.res.already, 16);
	rig_free(&r);
}

/* Not a move, covered, dry run: the action says so, nothing moves. */
static void test_exec_kinds(void **state)
{
	struct rig r;
	struct nm_decision d = rig_init(&r, 4);
	struct nm_action act;

	d.reason = NM_R_COOLDOWN;
	assert_int_equal(exec(&r, &d, nm_mono() + 10, NULL, &act), NM_ACT_NONE);
	assert_false(act.executed);
	assert_int_equal(r.x.tot.decisions[NM_R_COOLDOWN], 1);
	d.reason = NM_R_MOVE;
	d.covered = true;
	assert_int_equal(exec(&r, &d, nm_mono() + 10, NULL, &act), NM_ACT_COVERED);
	assert_int_equal(r.x.tot.decisions[NM_R_MOVE], 0);	/* covered: not counted */
	d.covered = false;
	r.x.dry_run = true;
	assert_int_equal(exec(&r, &d, nm_mono() + 10, NULL, &act), NM_ACT_WOULD_MOVE);
	assert_int_equal(act.res.would_move, 4);
	assert_int_equal(r.f.moves, 0);
	assert_int_equal(r.f.node[0], 0);
	assert_int_equal(r.x.tot.moves_done, 0);
	rig_free(&r);
}

/* The rate cap cuts a move short at the deadline: DEFERRED/PARTIAL, queued
 * with its resume point; a later decision overlapping it is PENDING; the
 * queued move goes on from where it stopped and is dropped when done. */
static void test_exec_rate_cap_queue(void **state)
{
	struct rig r;
	struct nm_decision d = rig_init(&r, 8);
	struct nm_decision inside = move_decision(BASE + 2 * PS, BASE + 3 * PS, 1);
	struct nm_decision after = move_decision(BASE + 8 * PS, BASE + 10 * PS, 1);
	struct nm_action act;
	double now = nm_mono();

	/* 2 pages of burst, 1 page per 100 s: the first chunk goes now, the
	 * second would wait past the deadline */
	nm_rate_init(&r.x.rate, (double)PS / 100.0, 2.0 * PS, now);
	assert_int_equal(exec(&r, &d, now + 1, NULL, &act), NM_ACT_PARTIAL);
	assert_int_equal(act.res.moved, 2);
	assert_int_equal(act.resume, BASE + 2 * PS);
	assert_int_equal(r.x.tot.moves_deferred, 1);
	assert_int_equal(r.x.pend.n, 1);
	assert_int_equal(r.x.pend.p[0].resume, BASE + 2 * PS);
	assert_true(nm_pending_overlaps(&r.x.pend, inside.start, inside.end));
	assert_int_equal(exec(&r, &inside, now + 1, NULL, &act), NM_ACT_PENDING);
	assert_false(act.executed);
	/* a neighbour that does not overlap moves (DEFERRED: the bucket is empty) */
	assert_int_equal(exec(&r, &after, now + 1, NULL, &act), NM_ACT_DEFERRED);
	assert_int_equal(act.resume, after.start);
	assert_int_equal(r.x.pend.n, 2);
	/* the cap lifted: the queued move goes on from its resume point */
	r.x.rate.bytes_per_s = 0;
	nm_rate_init(&r.x.rate, 0, 0, now);
	assert_int_equal(exec(&r, &r.x.pend.p[0].d, now + 10,
					  &r.x.pend.p[0], &act), NM_ACT_MOVED);
	assert_int_equal(act.continues, 0);
	assert_int_equal(act.res.moved, 6);	/* pages 2..7, not again 0..1 */
	assert_int_equal(r.x.pend.p[0].resume, 0);
	assert_int_equal(r.x.tot.moves_deferred, 2);	/* a continuation is not counted again */
	nm_exec_pending_done(&r.x);
	assert_int_equal(r.x.pend.n, 1);
	assert_int_equal(r.x.pend.p[0].d.start, after.start);
	assert_false(nm_pending_overlaps(&r.x.pend, inside.start, inside.end));
	assert_true(nm_pending_overlaps(&r.x.pend, after.start, after.start + PS));
	rig_free(&r);
}

/* A stop signal before a chunk: the move is cut short where it was. */
static void test_exec_stop(void **state)
{
	struct rig r;
	struct nm_decision d = rig_init(&r, 8);
	struct nm_action act;

	stop_now = 1;
	assert_int_equal(exec(&r, &d, nm_mono() + 10, NULL, &act), NM_ACT_DEFERRED);
	assert_int_equal(act.resume, BASE);
	assert_int_equal(r.f.moves, 0);
	stop_now = 0;
	rig_free(&r);
}

static int engine_stop_now;

static int engine_stop(void)
{
	return engine_stop_now;
}

/* A stop signal the engine sees inside a chunk (-EINTR): cut short where the
 * chunk began, not a failed move. */
static void test_exec_stop_in_chunk(void **state)
{
	struct rig r;
	struct nm_decision d = rig_init(&r, 8);
	struct nm_action act;

	r.eo.stop = engine_stop;
	engine_stop_now = 1;
	exec(&r, &d, nm_mono() + 10, NULL, &act);
	engine_stop_now = 0;
	assert_int_equal(act.what, NM_ACT_DEFERRED);
	assert_int_equal(act.fatal, 0);
	assert_int_equal(act.resume, BASE);
	assert_int_equal(r.x.tot.res.failed, 0);
	assert_int_equal(r.x.pend.n, 1);
	rig_free(&r);
}

static void test_pending_queue(void **state)
{
	struct nm_pending_queue q = { 0 };
	struct nm_decision d;

	(void)state;
	assert_false(nm_pending_overlaps(&q, 0, 100));
	/* added out of address order; disjoint */
	for (int i = 9; i >= 0; i--) {
		d = move_decision(1000 + (uint64_t)i * 100, 1000 + (uint64_t)i * 100 + 50, 1);
		assert_int_equal(nm_pending_add(&q, &d, i, 1, d.start + 10), 0);
	}
	assert_int_equal(q.n, 10);
	assert_int_equal(q.p[0].d.start, 1900);	/* the queue keeps the decided order */
	assert_false(nm_pending_overlaps(&q, 0, 1000));
	assert_true(nm_pending_overlaps(&q, 0, 1001));
	assert_false(nm_pending_overlaps(&q, 1050, 1100));
	assert_true(nm_pending_overlaps(&q, 1049, 1100));
	assert_true(nm_pending_overlaps(&q, 1420, 1430));
	assert_true(nm_pending_overlaps(&q, 1940, 5000));
	assert_false(nm_pending_overlaps(&q, 1950, 5000));
	/* half of them done */
	for (size_t i = 0; i < q.n; i += 2)
		q.p[i].resume = 0;
	nm_pending_compact(&q);
	assert_int_equal(q.n, 5);
	assert_int_equal(q.p[0].d.start, 1800);
	assert_false(nm_pending_overlaps(&q, 1900, 1950));	/* dropped */
	assert_true(nm_pending_overlaps(&q, 1800, 1801));
	nm_pending_free(&q);
}

/* The most bytes inside any one second, over a sliding window. */
static void test_chunk_log(void **state)
{
	struct nm_chunk_log c = { 0 };

	(void)state;
	assert_int_equal(nm_chunk_log_add(&c, 10.0, 100), 0);
	assert_int_equal(nm_chunk_log_add(&c, 10.5, 100), 0);
	assert_int_equal(nm_chunk_log_add(&c, 10.9, 100), 0);
	assert_true(c.max_1s == 300.0);
	assert_int_equal(nm_chunk_log_add(&c, 11.0, 50), 0);	/* 10.0 has left */
	assert_true(c.max_1s == 300.0);
	assert_int_equal(c.window, 250);
	assert_int_equal(nm_chunk_log_add(&c, 11.4, 500), 0);	/* 10.5 to 11.4 */
	assert_true(c.max_1s == 750.0);
	/* many chunks: the window stays the last second, the arrays stay small */
	for (int i = 0; i < 100000; i++)
		assert_int_equal(nm_chunk_log_add(&c, 20.0 + i * 0.01, 1), 0);
	assert_in_range(c.window, 99, 101);	/* float steps */
	assert_true(c.cap < 1024);
	assert_true(c.max_1s == 750.0);
	nm_chunk_log_free(&c);
}

NM_TEST_MAIN(
	cmocka_unit_test(test_exec_moves),
		cmocka_unit_test(test_exec_target_exits_midmove),
	cmocka_unit_test(test_exec_kinds),
	cmocka_unit_test(test_exec_rate_cap_queue),
	cmocka_unit_test(test_exec_stop),
	cmocka_unit_test(test_exec_stop_in_chunk),
	cmocka_unit_test(test_pending_queue),
	cmocka_unit_test(test_chunk_log))
