// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of userspace/policy.c (the decisions of 'numa-migrate auto')
 * and of the node readers it uses (target.c), on sample sequences: each
 * step gives, per region, the samples of that interval by accessing node;
 * the test accumulates them into the cumulative counters the BPF map holds,
 * so the policy's differencing is exercised too. No root, no BPF.
 */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>
#include "diagread.h"
#include "policy.h"
#include "target.h"
#include "testutil.h"

#define MB (1ULL << 20)
#define G2 (2 * MB)
#define BASE 0x7f0000000000ULL

/* A fixture: a policy over one mapping of NREG 2 MiB regions at BASE, and
 * the cumulative counters of each region. */
struct fx {
	struct nm_policy p;
	struct nm_node_env env;
	struct nm_hf_region cum[64];
	size_t nreg;
	struct nm_decision *d;
	size_t nd;
};

static void env_two_nodes(struct nm_node_env *e)
{
	memset(e, 0, sizeof(*e));
	e->allowed.bits = 0x3;
	e->has_memory.bits = 0x3;
	e->has_cpu.bits = 0x3;
	e->free_known = true;
	e->free_bytes[0] = e->free_bytes[1] = 1024 * MB;
	for (int a = 0; a < NM_MAX_NODES; a++)
		for (int b = 0; b < NM_MAX_NODES; b++)
			e->distance[a][b] = UINT32_MAX;
}

static void fx_init(struct fx *f, size_t nreg, const struct nm_policy_opts *o)
{
	struct nm_policy_opts def;
	struct nm_policy_range r = { BASE, BASE + nreg * G2, BASE, BASE + nreg * G2 };

	memset(f, 0, sizeof(*f));
	nm_policy_opts_default(&def);
	assert_int_equal(nm_policy_init(&f->p, o ? o : &def, G2), 0);
	assert_int_equal(nm_policy_set_ranges(&f->p, &r, 1), 0);
	assert_int_equal(f->p.nreg, nreg);
	f->nreg = nreg;
	env_two_nodes(&f->env);
}

/* An interval's evidence, SAMPLES[i] = { from node 0, from node 1, local }
 * for region i (local <= the sum), then the decision. */
static void fx_feed(struct fx *f, const uint64_t (*samples)[3])
{
	for (size_t i = 0; i < f->nreg; i++) {
		f->cum[i].by_cpu_node[0] += samples[i][0];
		f->cum[i].by_cpu_node[1] += samples[i][1];
		f->cum[i].local += samples[i][2];
		if (f->cum[i].by_cpu_node[0] + f->cum[i].by_cpu_node[1])
			nm_policy_observe(&f->p, BASE + i * G2 + 4096, &f->cum[i]);
	}
	assert_int_equal(nm_policy_decide(&f->p, &f->env, &f->d, &f->nd), 0);
}

/* One interval of SAMPLES, without a reading of the threads' placement. */
static void fx_step(struct fx *f, const uint64_t (*samples)[3])
{
	nm_policy_begin(&f->p);
	fx_feed(f, samples);
}

/* The decision about region I (or the mapping when I < 0), NULL if none. */
static const struct nm_decision *fx_dec(struct fx *f, long i)
{
	for (size_t k = 0; k < f->nd; k++) {
		if (i < 0 && f->d[k].mapping)
			return &f->d[k];
		if (i >= 0 && !f->d[k].mapping && f->d[k].start == BASE + (uint64_t)i * G2)
			return &f->d[k];
	}
	return NULL;
}

static enum nm_reason fx_reason(struct fx *f, long i)
{
	const struct nm_decision *d = fx_dec(f, i);

	if (!d)
		fail_msg("no decision for %s %ld", i < 0 ? "mapping" : "region", i);
	return d->reason;
}

/* fx_init with the default options but FIELD = VALUE. */
#define FX_INIT_WITH(f, nreg, field, value) do {				\
		struct nm_policy_opts o_;					\
		nm_policy_opts_default(&o_);					\
		o_.field = (value);						\
		fx_init((f), (nreg), &o_);					\
	} while (0)

/* One interval of SAMPLES, after which region 0's reason is WANT (failing
 * at the caller's line). */
#define STEP_IS(f, samples, want) do {						\
		fx_step((f), (samples));					\
		if (fx_reason((f), 0) != (want))				\
			fail_msg_at(__FILE__, __LINE__, "region 0: %s, want %s",	\
				    nm_reason_name(fx_reason((f), 0)),		\
				    nm_reason_name(want));			\
	} while (0)

static void fx_free(struct fx *f)
{
	nm_policy_free(&f->p);
}

/* Share below the threshold never moves; at it, after `stable` intervals, it does. */
static void test_threshold(void **state)
{
	struct nm_policy_opts o;
	struct fx f;
	const uint64_t s70[1][3] = { { 30, 70, 0 } };	/* 70% node 1 */
	const uint64_t s80[1][3] = { { 20, 80, 0 } };	/* 80% node 1 */

	nm_policy_opts_default(&o);
	fx_init(&f, 1, &o);
	for (int i = 0; i < 4; i++) {
		STEP_IS(&f, s70, NM_R_NO_MAJORITY);
		assert_int_equal(fx_dec(&f, 0)->node, 1);	/* the best, even if rejected */
	}
	STEP_IS(&f, s80, NM_R_NOT_STABLE);
	assert_int_equal(fx_dec(&f, 0)->streak, 1);
	STEP_IS(&f, s80, NM_R_MOVE);
	assert_int_equal(fx_dec(&f, 0)->node, 1);
	assert_int_equal(fx_dec(&f, 0)->ev.samples, 100);
	assert_int_equal(fx_dec(&f, 0)->ev.by_node[1], 80);	/* this interval's, not cumulative */
	assert_true(fx_dec(&f, 0)->share >= 79.9 && fx_dec(&f, 0)->share <= 80.1);
	fx_free(&f);
}

/* Below min_samples an interval neither advances nor breaks a streak. */
static void test_min_samples_hold(void **state)
{
	struct fx f;
	const uint64_t many[1][3] = { { 0, 20, 0 } };
	const uint64_t few[1][3] = { { 5, 0, 0 } };	/* 5 < 8, all node 0 */

	fx_init(&f, 1, NULL);
	STEP_IS(&f, many, NM_R_NOT_STABLE);
	STEP_IS(&f, few, NM_R_FEW_SAMPLES);
	STEP_IS(&f, many, NM_R_MOVE);	/* streak 2 across the gap */
	fx_free(&f);
}

/* One interval as fx_step, with the process's CPU time on the nodes as
 * nm_scan_account_steady measured it (CPU0, CPU1 seconds of TOTAL). */
static void fx_step_cpu(struct fx *f, const uint64_t (*samples)[3], double cpu0, double cpu1,
			double total)
{
	double by[NM_MAX_NODES] = { cpu0, cpu1 };

	nm_policy_begin(&f->p);
	nm_policy_cpu(&f->p, by, total);
	fx_feed(f, samples);
}

#define CPU_STEP_IS(f, samples, c0, c1, tot, want) do {						fx_step_cpu((f), (samples), (c0), (c1), (tot));					if (fx_reason((f), 0) != (want))							fail_msg_at(__FILE__, __LINE__, "region 0: %s, want %s",					    nm_reason_name(fx_reason((f), 0)),						    nm_reason_name(want));				} while (0)

/* The threads' placement confirms a node after one interval only when at
 * least --share of the process's CPU time stayed on that node all through
 * it, and there was enough of it; else --stable intervals as before. */
static void test_cpu_confirm(void **state)
{
	struct fx f;
	const uint64_t n1[1][3] = { { 20, 80, 0 } };
	const uint64_t n0[1][3] = { { 20, 0, 0 } };

	fx_init(&f, 1, NULL);
	assert_true(f.p.o.cpu_confirm);		/* on by default */
	CPU_STEP_IS(&f, n1, 0, 1.0, 1.0, NM_R_MOVE);
	assert_int_equal(fx_dec(&f, 0)->streak, 1);
	assert_int_equal(fx_dec(&f, 0)->node, 1);
	assert_true(fx_dec(&f, 0)->cpu_confirmed);
	assert_int_equal(f.p.cpu_node, 1);
	/* the cooldown still holds: the evidence flips, the threads with it */
	nm_policy_acted(&f.p, fx_dec(&f, 0), 1);
	CPU_STEP_IS(&f, n0, 1.0, 0, 1.0, NM_R_COOLDOWN);
	fx_free(&f);

	/* a transient: accesses from node 1, the threads' time on node 0 */
	fx_init(&f, 1, NULL);
	CPU_STEP_IS(&f, n1, 0.9, 0.1, 1.0, NM_R_NOT_STABLE);
	assert_false(fx_dec(&f, 0)->cpu_confirmed);
	assert_int_equal(f.p.cpu_node, 0);
	fx_free(&f);

	/* split below --share (75%): 70% on node 1 */
	fx_init(&f, 1, NULL);
	CPU_STEP_IS(&f, n1, 0.3, 0.7, 1.0, NM_R_NOT_STABLE);
	assert_int_equal(f.p.cpu_node, -1);
	fx_free(&f);

	/* threads that moved count in the total, on no node: 0.5 of 1.0 steady */
	fx_init(&f, 1, NULL);
	CPU_STEP_IS(&f, n1, 0, 0.5, 1.0, NM_R_NOT_STABLE);
	fx_free(&f);

	/* too little CPU time to say where the process lives */
	fx_init(&f, 1, NULL);
	CPU_STEP_IS(&f, n1, 0, NM_POLICY_CPU_MIN_S * 0.8, NM_POLICY_CPU_MIN_S * 0.8,
		    NM_R_NOT_STABLE);
	CPU_STEP_IS(&f, n1, 0, NM_POLICY_CPU_MIN_S, NM_POLICY_CPU_MIN_S, NM_R_MOVE);
	fx_free(&f);

	/* --no-cpu-confirm: --stable intervals whatever the threads did */
	FX_INIT_WITH(&f, 1, cpu_confirm, false);
	CPU_STEP_IS(&f, n1, 0, 1.0, 1.0, NM_R_NOT_STABLE);
	CPU_STEP_IS(&f, n1, 0, 1.0, 1.0, NM_R_MOVE);
	assert_false(fx_dec(&f, 0)->cpu_confirmed);
	fx_free(&f);

	/* an interval without a reading confirms nothing (begin clears it) */
	fx_init(&f, 1, NULL);
	nm_policy_begin(&f.p);
	nm_policy_cpu(&f.p, (double[NM_MAX_NODES]){ 0, 1.0 }, 1.0);
	STEP_IS(&f, n1, NM_R_NOT_STABLE);
	STEP_IS(&f, n1, NM_R_MOVE);		/* streak 2: the stable rule */
	assert_false(fx_dec(&f, 0)->cpu_confirmed);
	fx_free(&f);
}

/* A mapping's pooled evidence is confirmed the same way: the whole mapping
 * moves on the first interval with a quorum. */
static void test_cpu_confirm_mapping(void **state)
{
	struct fx f;
	const uint64_t s[4][3] = { { 0, 20, 0 }, { 1, 30, 0 }, { 0, 0, 0 }, { 0, 0, 0 } };
	const struct nm_decision *m;

	fx_init(&f, 4, NULL);
	fx_step_cpu(&f, s, 0, 2.0, 2.0);
	m = fx_dec(&f, -1);
	assert_non_null(m);
	assert_int_equal(m->reason, NM_R_MOVE_MAPPING);
	assert_int_equal(m->node, 1);
	assert_true(m->cpu_confirmed);
	fx_free(&f);

	fx_init(&f, 4, NULL);
	fx_step_cpu(&f, s, 2.0, 0, 2.0);	/* the threads were on node 0 */
	m = fx_dec(&f, -1);
	assert_non_null(m);
	assert_int_equal(m->reason, NM_R_NOT_STABLE);
	fx_free(&f);
}

/* Another node winning breaks the streak; K=3 needs three in a row. */
static void test_stable_k(void **state)
{
	struct fx f;
	const uint64_t n1[1][3] = { { 0, 20, 0 } };
	const uint64_t n0[1][3] = { { 20, 0, 20 } };

	FX_INIT_WITH(&f, 1, stable, 3);
	fx_step(&f, n1);
	STEP_IS(&f, n1, NM_R_NOT_STABLE);
	STEP_IS(&f, n0, NM_R_NOT_STABLE);	/* every sample local: already there */
	assert_int_equal(fx_dec(&f, 0)->node, 0);
	fx_step(&f, n1);
	STEP_IS(&f, n1, NM_R_NOT_STABLE);
	STEP_IS(&f, n1, NM_R_MOVE);
	fx_free(&f);
}

/* After a move the region stays put for `cooldown` intervals even when the
 * evidence flips (ping-pong), then may move again. */
static void test_cooldown(void **state)
{
	struct fx f;
	const uint64_t n1[1][3] = { { 0, 20, 0 } };
	const uint64_t n0[1][3] = { { 20, 0, 0 } };
	int i;

	FX_INIT_WITH(&f, 1, cooldown, 3);
	fx_step(&f, n1);
	STEP_IS(&f, n1, NM_R_MOVE);
	nm_policy_acted(&f.p, fx_dec(&f, 0), 1);
	/* flips to node 0 at once: stable after 2, but cooling down for 3 */
	for (i = 0; i < 3; i++) {
		STEP_IS(&f, n0, i == 0 ? NM_R_NOT_STABLE : NM_R_COOLDOWN);
	}
	STEP_IS(&f, n0, NM_R_MOVE);
	assert_int_equal(fx_dec(&f, 0)->node, 0);
	fx_free(&f);
}

/* A region whose granule holds the end of one mapping and the start of the
 * next (the failure seen in the guest's auto_cooldown: a buffer mapped 0xe7000
 * into its 2 MiB granule). Its samples count for the mapping with more bytes
 * in it. When the second mapping moves whole, that region moved with it: it
 * is covered in that interval and cools down with it, so it is not moved
 * back the moment the accesses flip. */
static void test_cooldown_straddling_region(void **state)
{
	struct fx f;
	uint64_t s[4][3];
	const uint64_t split = BASE + G2 + 0xe7000;
	const struct nm_policy_range r[3] = {
		{ BASE, BASE + G2, BASE, split },		/* mapping A */
		{ BASE + G2, split, BASE, split },
		{ split, BASE + 4 * G2, split, BASE + 4 * G2 },	/* mapping B */
	};
	const struct nm_decision *d;
	int i;

	FX_INIT_WITH(&f, 4, cooldown, 6);
	assert_int_equal(nm_policy_set_ranges(&f.p, r, 3), 0);
	assert_int_equal(f.p.nmap, 2);
	assert_int_equal(f.p.nreg, 4);
	assert_int_equal(f.p.reg[1].start, BASE + G2);	/* A's tail and B's head */
	assert_int_equal(f.p.reg[1].end, BASE + 2 * G2);
	assert_int_equal(f.p.reg[1].mapping, 0);
	assert_int_equal(f.p.reg[1].mapping_last, 1);
	assert_int_equal(f.p.reg[1].owner, 1);	/* B has 0x119000 of it, A 0xe7000 */
	memset(s, 0, sizeof(s));
	s[1][1] = s[2][1] = s[3][1] = 40;
	fx_step(&f, s);
	fx_step(&f, s);
	d = fx_dec(&f, -1);
	assert_non_null(d);
	assert_int_equal(d->reason, NM_R_MOVE_MAPPING);
	assert_int_equal(d->start, split);
	assert_int_equal(d->ev.samples, 120);	/* the shared region's samples are B's */
	assert_int_equal(d->agree, 3);
	assert_true(fx_dec(&f, 1)->covered);	/* not moved on its own as well */
	nm_policy_acted(&f.p, d, 1);
	for (i = 1; i < 4; i++)
		assert_true(f.p.reg[i].cooldown_until > f.p.interval);
	assert_int_equal(f.p.reg[0].cooldown_until, 0);	/* A's own region did not move */
	/* the threads flip to node 0: every region of B, the shared one too,
	 * holds for the 6 intervals of the cooldown */
	memset(s, 0, sizeof(s));
	s[1][0] = s[2][0] = s[3][0] = 40;
	for (i = 0; i < 6; i++) {
		fx_step(&f, s);
		for (long k = 1; k < 4; k++)
			if (fx_reason(&f, k) == NM_R_MOVE)
				fail_msg("interval %d after the move: region %ld moves back", i + 1, k);
		if (i > 0)
			assert_int_equal(fx_reason(&f, 1), NM_R_COOLDOWN);
	}
	fx_step(&f, s);
	assert_int_equal(fx_reason(&f, 1), NM_R_MOVE);	/* and after the cooldown it may */
	assert_int_equal(fx_dec(&f, 1)->node, 0);
	fx_free(&f);
}

/* Four regions in one mapping, --cooldown 6: region 0 alone sampled from
 * node 1 for two intervals and moved there. S is zeroed for the next step. */
static void fx_region_moved(struct fx *f, uint64_t (*s)[3])
{
	FX_INIT_WITH(f, 4, cooldown, 6);
	memset(s, 0, 4 * sizeof(*s));
	s[0][1] = 40;
	fx_step(f, s);
	STEP_IS(f, s, NM_R_MOVE);
	assert_int_equal(fx_dec(f, 0)->node, 1);
	nm_policy_acted(&f->p, fx_dec(f, 0), 1);
	memset(s, 0, 4 * sizeof(*s));
}

/* A region moved on its own, then the whole mapping's evidence flips (the
 * guest's auto_cooldown at 2026-12-05: region moved to node 1 at interval
 * 0, its 32 MiB mapping moved whole to node 0 at interval 2, taking the
 * region's pages back inside its cooldown). The mapping is held while a
 * region moved to another node cools down; its other regions still move
 * one by one. */
static void test_cooldown_region_holds_mapping(void **state)
{
	struct fx f;
	uint64_t s[4][3];
	int i;

	fx_region_moved(&f, s);
	for (i = 0; i < 4; i++)
		s[i][0] = 40;
	for (i = 0; i < 6; i++) {
		fx_step(&f, s);
		assert_non_null(fx_dec(&f, -1));	/* 4 regions agree: a mapping decision */
		if (fx_reason(&f, -1) == NM_R_MOVE_MAPPING)
			fail_msg("interval %d after the region's move: its mapping moves whole", i + 1);
		if (fx_reason(&f, 0) == NM_R_MOVE || fx_dec(&f, 0)->covered)
			fail_msg("interval %d after the move: region 0 moves back", i + 1);
		if (i > 0) {
			assert_int_equal(fx_reason(&f, -1), NM_R_COOLDOWN);
			for (long k = 1; k < 4; k++)
				assert_int_equal(fx_reason(&f, k), NM_R_MOVE);
		}
	}
	fx_step(&f, s);	/* the cooldown is over: the mapping may move whole */
	assert_int_equal(fx_reason(&f, -1), NM_R_MOVE_MAPPING);
	assert_int_equal(fx_dec(&f, -1)->node, 0);
	fx_free(&f);
}

/* The same region moved on its own, then the whole mapping's evidence says
 * the same node (the guest's auto_grow at 2026-12-05: a buffer mapped while
 * auto ran, its first region moved at interval 3, the kernel's balancing
 * then reaching the rest first while the mapping waited out the region's
 * cooldown). Moving the rest to where the region went undoes nothing: the
 * mapping moves whole at once, covering the region. */
static void test_cooldown_same_node_mapping_moves(void **state)
{
	struct fx f;
	uint64_t s[4][3];
	const struct nm_decision *d;
	int i;

	fx_region_moved(&f, s);
	for (i = 0; i < 4; i++)
		s[i][1] = 40;
	fx_step(&f, s);
	fx_step(&f, s);
	d = fx_dec(&f, -1);
	assert_non_null(d);
	assert_int_equal(d->reason, NM_R_MOVE_MAPPING);
	assert_int_equal(d->node, 1);
	assert_true(fx_dec(&f, 0)->covered);	/* the region goes with it, nothing back */
	fx_free(&f);
}

/* The mapping decision starting at START, NULL if none. */
static const struct nm_decision *fx_map_dec(struct fx *f, uint64_t start)
{
	for (size_t k = 0; k < f->nd; k++)
		if (f->d[k].mapping && f->d[k].start == start)
			return &f->d[k];
	return NULL;
}

/* Three mappings side by side: each pools only its own regions (A's node-1
 * samples never count for B's node-0 ones), a disagreement holds only its
 * own mapping, and a moved mapping cools down its own regions, not its
 * neighbours' (the pooling is one pass over the regions and the cooldown
 * finds a mapping's regions by binary search: bench-policy). */
static void test_mappings_pool_apart(void **state)
{
	struct fx f;
	uint64_t s[9][3];
	const struct nm_policy_range r[3] = {
		{ BASE, BASE + 3 * G2, BASE, BASE + 3 * G2 },			/* A */
		{ BASE + 3 * G2, BASE + 6 * G2, BASE + 3 * G2, BASE + 6 * G2 },	/* B */
		{ BASE + 6 * G2, BASE + 9 * G2, BASE + 6 * G2, BASE + 9 * G2 },	/* C */
	};
	const struct nm_decision *a, *b;
	struct nm_decision da, db;

	fx_init(&f, 9, NULL);
	assert_int_equal(nm_policy_set_ranges(&f.p, r, 3), 0);
	assert_int_equal(f.p.nmap, 3);
	memset(s, 0, sizeof(s));
	s[0][1] = s[1][1] = s[2][1] = 40;	/* A: node 1 */
	s[3][0] = s[4][0] = 40;			/* B: node 0, region 5 unsampled */
	s[6][1] = 40;				/* C: one region each way */
	s[7][0] = 40;
	fx_step(&f, s);
	fx_step(&f, s);
	a = fx_map_dec(&f, BASE);
	b = fx_map_dec(&f, BASE + 3 * G2);
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(a->reason, NM_R_MOVE_MAPPING);
	assert_int_equal(a->node, 1);
	assert_int_equal(a->ev.samples, 120);
	assert_int_equal(a->agree, 3);
	assert_int_equal(b->reason, NM_R_MOVE_MAPPING);
	assert_int_equal(b->node, 0);
	assert_int_equal(b->end, BASE + 6 * G2);
	assert_int_equal(b->ev.samples, 80);
	assert_int_equal(b->agree, 2);
	if (fx_map_dec(&f, BASE + 6 * G2))
		assert_int_not_equal(fx_map_dec(&f, BASE + 6 * G2)->reason, NM_R_MOVE_MAPPING);
	assert_int_equal(f.p.map[2].disagree, 1);
	da = *a;
	db = *b;
	nm_policy_acted(&f.p, &db, 0);
	for (int i = 0; i < 9; i++)
		if ((f.p.reg[i].cooldown_until > f.p.interval) != (i >= 3 && i < 6))
			fail_msg("after B moved: region %d cooling down is %d", i,
				 f.p.reg[i].cooldown_until > f.p.interval);
	nm_policy_acted(&f.p, &da, 1);
	for (int i = 0; i < 9; i++)
		if ((f.p.reg[i].cooldown_until > f.p.interval) != (i < 6))
			fail_msg("after A moved too: region %d cooling down is %d", i,
				 f.p.reg[i].cooldown_until > f.p.interval);
	assert_int_equal(f.p.reg[4].moved_to, 0);
	assert_int_equal(f.p.reg[1].moved_to, 1);
	fx_free(&f);
}

/* The region's samples go to the mapping with the most bytes in it; on a
 * tie, to the first. */
static void test_region_owner(void **state)
{
	struct nm_policy p;
	struct nm_policy_opts o;
	const struct nm_policy_range big_first[3] = {
		{ BASE, BASE + 0x180000, BASE, BASE + 0x180000 },
		{ BASE + 0x180000, BASE + G2, BASE + 0x180000, BASE + 4 * G2 },
		{ BASE + G2, BASE + 4 * G2, BASE + 0x180000, BASE + 4 * G2 },
	};
	const struct nm_policy_range tie[2] = {
		{ BASE, BASE + MB, BASE, BASE + MB },
		{ BASE + MB, BASE + G2, BASE + MB, BASE + G2 },
	};
	const struct nm_policy_range holes[3] = {	/* A: 0.5 + 0.5 MiB, B: 0.75 */
		{ BASE, BASE + MB / 2, BASE, BASE + 5 * MB / 4 },
		{ BASE + 3 * MB / 4, BASE + 5 * MB / 4, BASE, BASE + 5 * MB / 4 },
		{ BASE + 5 * MB / 4, BASE + G2, BASE + 5 * MB / 4, BASE + G2 },
	};

	(void)state;
	nm_policy_opts_default(&o);
	assert_int_equal(nm_policy_init(&p, &o, G2), 0);
	assert_int_equal(nm_policy_set_ranges(&p, big_first, 3), 0);
	assert_int_equal(p.nreg, 4);
	assert_int_equal(p.reg[0].owner, 0);	/* 1.5 MiB of A, 0.5 of B */
	assert_int_equal(p.reg[0].mapping_last, 1);
	assert_int_equal(nm_policy_set_ranges(&p, tie, 2), 0);
	assert_int_equal(p.nreg, 1);
	assert_int_equal(p.reg[0].owner, 0);
	assert_int_equal(nm_policy_set_ranges(&p, holes, 3), 0);
	assert_int_equal(p.nreg, 1);
	assert_int_equal(p.reg[0].owner, 0);	/* A's 1 MiB in two pieces beats B's 0.75 */
	nm_policy_free(&p);
}

/* Never to a node outside the cpuset or without memory. */
static void test_cpuset_and_memory(void **state)
{
	struct fx f;
	const uint64_t n1[1][3] = { { 0, 20, 0 } };

	fx_init(&f, 1, NULL);
	f.env.allowed.bits = 0x1;	/* mems 0 only */
	fx_step(&f, n1);
	STEP_IS(&f, n1, NM_R_OUTSIDE_CPUSET);
	f.env.allowed.bits = 0x3;
	f.env.has_memory.bits = 0x1;
	STEP_IS(&f, n1, NM_R_NO_MEMORY);
	f.env.has_memory.bits = 0x3;
	STEP_IS(&f, n1, NM_R_MOVE);
	fx_free(&f);
}

/* The reserve counts what this interval already planned for the node. */
static void test_reserve(void **state)
{
	struct nm_policy_opts o;
	struct fx f;
	const uint64_t s[2][3] = { { 0, 30, 0 }, { 0, 20, 0 } };

	nm_policy_opts_default(&o);
	o.mapping_quorum = 0;		/* region by region */
	o.reserve_bytes = 10 * MB;
	fx_init(&f, 2, &o);
	f.env.free_bytes[1] = 13 * MB;	/* room for one 2 MiB region above 10 MiB */
	fx_step(&f, s);
	STEP_IS(&f, s, NM_R_MOVE);	/* more samples: first */
	assert_int_equal(fx_reason(&f, 1), NM_R_RESERVE);
	assert_true(f.d[0].reason == NM_R_MOVE);	/* moves come first */
	f.env.free_bytes[1] = 9 * MB;	/* already below: nothing */
	STEP_IS(&f, s, NM_R_RESERVE);
	f.env.free_known = false;	/* unknown free memory: not applied */
	STEP_IS(&f, s, NM_R_MOVE);
	fx_free(&f);
}

/* Every sample local: nothing to gain. */
static void test_already_local(void **state)
{
	struct fx f;
	const uint64_t s[1][3] = { { 0, 20, 20 } };

	fx_init(&f, 1, NULL);
	fx_step(&f, s);
	STEP_IS(&f, s, NM_R_ALREADY_LOCAL);
	fx_free(&f);
}

/* A mapping sampled a slice at a time (as the kernel's scan_size_mb does):
 * two slices agreeing on node 1 for two intervals move the whole mapping,
 * the never-sampled regions with it. */
static void test_mapping_generalises(void **state)
{
	struct fx f;
	uint64_t s[16][3];
	const struct nm_decision *d;

	fx_init(&f, 16, NULL);
	memset(s, 0, sizeof(s));
	s[0][1] = s[1][1] = 40;		/* interval 1: regions 0, 1 */
	fx_step(&f, s);
	assert_int_equal(fx_reason(&f, -1), NM_R_NOT_STABLE);
	memset(s, 0, sizeof(s));
	s[2][1] = s[3][1] = 40;		/* interval 2: regions 2, 3 */
	s[3][0] = 2;
	fx_step(&f, s);
	d = fx_dec(&f, -1);
	assert_non_null(d);
	assert_int_equal(d->reason, NM_R_MOVE_MAPPING);
	assert_int_equal(d->node, 1);
	assert_int_equal(d->start, BASE);
	assert_int_equal(d->end, BASE + 16 * G2);
	assert_int_equal(d->agree, 2);
	assert_int_equal(d->ev.samples, 82);
	/* its sampled regions are recorded (the log is replayable), covered */
	assert_non_null(fx_dec(&f, 2));
	assert_true(fx_dec(&f, 2)->covered);
	assert_int_equal(fx_dec(&f, 2)->reason, NM_R_NOT_STABLE);
	assert_null(fx_dec(&f, 5));	/* no samples: nothing to record */
	assert_true(f.d[0].mapping);
	for (size_t k = 1; k < f.nd; k++)
		assert_true(f.d[k].covered);	/* no region moves on its own */
	nm_policy_acted(&f.p, d, 1);
	for (size_t i = 0; i < 16; i++)
		assert_true(f.p.reg[i].cooldown_until > f.p.interval);
	fx_free(&f);
}

/* One region with a majority for another node blocks the generalisation;
 * the agreeing regions still move on their own. */
static void test_mapping_disagreement(void **state)
{
	struct fx f;
	uint64_t s[8][3];

	fx_init(&f, 8, NULL);
	memset(s, 0, sizeof(s));
	s[0][1] = s[1][1] = s[2][1] = 40;
	s[5][0] = 20;			/* node 0 uses region 5 */
	fx_step(&f, s);
	fx_step(&f, s);
	if (fx_dec(&f, -1))
		assert_int_not_equal(fx_reason(&f, -1), NM_R_MOVE_MAPPING);
	assert_int_equal(fx_reason(&f, 0), NM_R_MOVE);
	assert_int_equal(fx_reason(&f, 5), NM_R_MOVE);
	assert_int_equal(fx_dec(&f, 5)->node, 0);
	assert_null(fx_dec(&f, 6));	/* no samples, no decision */
	fx_free(&f);
}

/* --mapping-quorum 0 turns generalisation off. */
static void test_mapping_off(void **state)
{
	struct fx f;
	uint64_t s[4][3];

	FX_INIT_WITH(&f, 4, mapping_quorum, 0);
	memset(s, 0, sizeof(s));
	s[0][1] = s[1][1] = 40;
	fx_step(&f, s);
	fx_step(&f, s);
	assert_null(fx_dec(&f, -1));
	assert_int_equal(fx_reason(&f, 0), NM_R_MOVE);
	assert_null(fx_dec(&f, 3));
	fx_free(&f);
}

/* Cold regions become demotion candidates after N intervals without samples. */
static void test_demote_cold(void **state)
{
	struct nm_policy_opts o;
	struct fx f;
	uint64_t s[2][3] = { { 0, 20, 20 }, { 0, 0, 0 } };

	nm_policy_opts_default(&o);
	o.demote_cold = 3;
	o.mapping_quorum = 0;
	fx_init(&f, 2, &o);
	fx_step(&f, s);
	assert_null(fx_dec(&f, 1));
	fx_step(&f, s);
	assert_null(fx_dec(&f, 1));
	fx_step(&f, s);
	assert_int_equal(fx_reason(&f, 1), NM_R_DEMOTE);
	assert_int_equal(fx_reason(&f, 0), NM_R_ALREADY_LOCAL);	/* hot stays */
	nm_policy_acted(&f.p, fx_dec(&f, 1), 2);
	fx_step(&f, s);
	assert_null(fx_dec(&f, 1));	/* cooling down */
	fx_free(&f);
}

/* Ranges change: surviving regions keep their streaks, new ones start fresh. */
static void test_ranges_keep_state(void **state)
{
	struct fx f;
	const uint64_t s[2][3] = { { 0, 20, 0 }, { 0, 0, 0 } };
	struct nm_policy_range r[2] = {
		{ BASE, BASE + 2 * G2, BASE, BASE + 2 * G2 },
		{ BASE + 10 * G2, BASE + 11 * G2, BASE + 10 * G2, BASE + 11 * G2 },
	};

	fx_init(&f, 2, NULL);
	fx_step(&f, s);
	assert_int_equal(f.p.reg[0].streak, 1);
	assert_int_equal(nm_policy_set_ranges(&f.p, r, 2), 0);
	assert_int_equal(f.p.nreg, 3);
	assert_int_equal(f.p.nmap, 2);
	assert_int_equal(f.p.reg[0].streak, 1);
	assert_int_equal(f.p.reg[2].streak, 0);
	assert_int_equal(f.p.reg[2].mapping, 1);
	STEP_IS(&f, s, NM_R_MOVE);
	fx_free(&f);
}

/* Faults outside every managed range are not evidence. */
static void test_unmanaged(void **state)
{
	struct fx f;
	struct nm_hf_region r = { 0 };

	fx_init(&f, 1, NULL);
	nm_policy_begin(&f.p);
	r.by_cpu_node[1] = 50;
	nm_policy_observe(&f.p, BASE + 100 * G2, &r);
	assert_int_equal(f.p.unmanaged, 50);
	assert_int_equal(nm_policy_decide(&f.p, &f.env, &f.d, &f.nd), 0);
	assert_int_equal(f.nd, 0);
	fx_free(&f);
}

/* The interval's evidence pooled over every managed region is the policy's
 * one sum (auto logs it as is): it matches the regions', starts over each
 * interval, and feeds the session totals. */
static void test_pooled_evidence(void **state)
{
	static const uint64_t s1[3][3] = { { 10, 30, 10 }, { 0, 8, 8 }, { 5, 0, 0 } };
	static const uint64_t s2[3][3] = { { 0, 0, 0 }, { 0, 4, 4 }, { 0, 0, 0 } };
	struct fx f;

	fx_init(&f, 3, NULL);
	fx_step(&f, s1);
	assert_int_equal(f.p.ev.samples, 53);
	assert_int_equal(f.p.ev.by_node[0], 15);
	assert_int_equal(f.p.ev.by_node[1], 38);
	assert_int_equal(f.p.ev.local, 18);
	assert_int_equal(f.p.total_samples, 53);
	assert_int_equal(f.p.active, 1);
	fx_step(&f, s2);
	assert_int_equal(f.p.ev.samples, 4);		/* this interval only */
	assert_int_equal(f.p.ev.by_node[0], 0);
	assert_int_equal(f.p.ev.local, 4);
	assert_int_equal(f.p.total_samples, 57);
	assert_int_equal(f.p.total_local, 22);
	assert_int_equal(f.p.active, 1);		/* 4 < min_samples */
	nm_policy_begin(&f.p);
	assert_int_equal(f.p.ev.samples, 0);
	fx_free(&f);
}

/* No region, no decision: decide sorts nothing (it once passed qsort a
 * NULL array, which UBSan reports: issue #11 point 7). */
static void test_no_regions(void **state)
{
	struct nm_policy_opts o;
	struct nm_policy p;
	struct nm_node_env env;
	struct nm_decision *d = (void *)1;
	size_t n = 99;

	nm_policy_opts_default(&o);
	env_two_nodes(&env);
	assert_int_equal(nm_policy_init(&p, &o, G2), 0);
	nm_policy_begin(&p);
	assert_int_equal(nm_policy_decide(&p, &env, &d, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(p.interval, 1);
	assert_int_equal(p.ev.samples, 0);
	nm_policy_free(&p);
}

/* The token bucket: over any stretch T, bytes spent <= rate x T + burst. */
static void test_rate_bucket(void **state)
{
	struct nm_rate r;
	double now = 100.0, spent = 0, chunk = 1 * MB;

	nm_rate_init(&r, 4.0 * MB, 1.0 * MB, now);
	assert_true(nm_rate_wait(&r, chunk, now) == 0.0);	/* the burst is there */
	while (spent < 40.0 * MB) {
		double w = nm_rate_wait(&r, chunk, now);

		now += w;
		assert_true(nm_rate_wait(&r, chunk, now) < 1e-9);
		nm_rate_spend(&r, chunk, now);
		spent += chunk;
	}
	/* 40 MiB at 4 MiB/s with a 1 MiB burst: at least 39/4 s */
	assert_true(now - 100.0 >= 39.0 / 4.0 - 1e-6);
	assert_true(now - 100.0 <= 40.0 / 4.0 + 1e-6);
	/* asking for more than the burst waits only for the burst */
	nm_rate_init(&r, 4.0 * MB, 1.0 * MB, 0);
	nm_rate_spend(&r, 1.0 * MB, 0);
	assert_true(nm_rate_wait(&r, 8.0 * MB, 0) <= 0.25 + 1e-9);
	nm_rate_init(&r, 0, 0, 0);	/* no cap */
	assert_true(nm_rate_wait(&r, 1e12, 0) == 0.0);
}

#define fixtures(buf, len, sub) nm_test_fixtures((buf), (len), (sub))

/* The 4-node guest's tiers from sysfs fixtures: CPU nodes, free memory,
 * distances, and the nearest memory-only node of each CPU node. */
static void test_tier_fixture(void **state)
{
	char root[PATH_MAX];
	struct nm_node_env e;
	uint64_t fb;

	fixtures(root, sizeof(root), "tier");
	memset(&e, 0, sizeof(e));
	assert_int_equal(nm_nodes_with_cpus(root, &e.has_cpu), 0);
	assert_int_equal(e.has_cpu.bits, 0x3);
	assert_int_equal(nm_nodes_with_memory(root, &e.has_memory), 0);
	assert_int_equal(e.has_memory.bits, 0xf);
	assert_int_equal(nm_node_free_kb(root, 2, &fb), 0);
	assert_int_equal(fb, 300000ULL);
	assert_int_equal(nm_node_free_kb(root, 7, &fb), -ENOENT);
	for (int n = 0; n < 4; n++)
		assert_int_equal(nm_node_distances(root, n, e.distance[n]), 0);
	assert_int_equal(e.distance[0][2], 14);
	assert_int_equal(e.distance[1][3], 14);
	assert_int_equal(e.distance[2][3], 26);
	assert_int_equal(e.distance[0][5], UINT32_MAX);
	assert_int_equal(nm_nearest_memory_only(&e, 0), 2);
	assert_int_equal(nm_nearest_memory_only(&e, 1), 3);
	e.allowed.bits = 0xb;		/* cpuset without node 2 */
	assert_int_equal(nm_nearest_memory_only(&e, 0), 3);
	e.allowed.bits = 0x3;		/* no memory-only node allowed */
	assert_int_equal(nm_nearest_memory_only(&e, 0), -1);
	/* the build host's layout: no has_cpu file in the fixture root */
	fixtures(root, sizeof(root), "root");
	assert_int_equal(nm_nodes_with_cpus(root, &e.has_cpu), -ENOENT);
}

static void test_reason_names(void **state)
{
	for (int r = 0; r < NM_R_NREASONS; r++) {
		assert_non_null(nm_reason_name((enum nm_reason)r));
		assert_string_not_equal(nm_reason_name((enum nm_reason)r), "unknown");
		for (int k = 0; k < r; k++)
			assert_string_not_equal(nm_reason_name((enum nm_reason)r),
						nm_reason_name((enum nm_reason)k));
	}
	assert_string_equal(nm_reason_name(NM_R_NREASONS), "unknown");
}

NM_TEST_MAIN(
	cmocka_unit_test(test_threshold),
	cmocka_unit_test(test_min_samples_hold),
	cmocka_unit_test(test_stable_k),
	cmocka_unit_test(test_cpu_confirm),
	cmocka_unit_test(test_cpu_confirm_mapping),
	cmocka_unit_test(test_cooldown),
	cmocka_unit_test(test_cooldown_straddling_region),
	cmocka_unit_test(test_cooldown_region_holds_mapping),
	cmocka_unit_test(test_cooldown_same_node_mapping_moves),
	cmocka_unit_test(test_mappings_pool_apart),
	cmocka_unit_test(test_region_owner),
	cmocka_unit_test(test_cpuset_and_memory),
	cmocka_unit_test(test_reserve),
	cmocka_unit_test(test_already_local),
	cmocka_unit_test(test_mapping_generalises),
	cmocka_unit_test(test_mapping_disagreement),
	cmocka_unit_test(test_mapping_off),
	cmocka_unit_test(test_demote_cold),
	cmocka_unit_test(test_ranges_keep_state),
	cmocka_unit_test(test_unmanaged),
	cmocka_unit_test(test_pooled_evidence),
	cmocka_unit_test(test_no_regions),
	cmocka_unit_test(test_rate_bucket),
	cmocka_unit_test(test_tier_fixture),
	cmocka_unit_test(test_reason_names))
