// SPDX-License-Identifier: GPL-2.0
/* Weighted spreads: parsing, the chunk-by-chunk split, moving a range by a
 * spread through the engine against a fake move_pages (2 MiB-aligned pieces,
 * a 3:1 move), and the verification of the achieved split (issue #16 point 2). */
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
#include "spreadmove.h"

#define MIB (1ULL << 20)

static void test_parse(void **state)
{
	struct nm_spread sp;
	char why[128];

	assert_int_equal(nm_spread_parse("1", &sp, why, sizeof(why)), 0);
	assert_int_equal(sp.n, 1);
	assert_int_equal(sp.node[0], 1);
	assert_int_equal(nm_spread_parse("0:3,2:1", &sp, why, sizeof(why)), 0);
	assert_int_equal(sp.n, 2);
	assert_int_equal(sp.node[1], 2);
	assert_int_equal(sp.weight[0], 3);
	assert_int_equal(sp.total, 4);
	assert_float_equal(nm_spread_share(&sp, 0), 75.0, 1e-9);
	assert_int_equal(nm_spread_parse("0:3,2", &sp, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "node 2 has no weight"));
	assert_int_equal(nm_spread_parse("0,2", &sp, why, sizeof(why)), -EINVAL);
	assert_int_equal(nm_spread_parse("0:3,0:1", &sp, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "named twice"));
	assert_int_equal(nm_spread_parse("0:0", &sp, why, sizeof(why)), -EINVAL);
	assert_int_equal(nm_spread_parse("0:3x", &sp, why, sizeof(why)), -EINVAL);
	assert_int_equal(nm_spread_parse("64:1", &sp, why, sizeof(why)), -EINVAL);
	assert_int_equal(nm_spread_parse("", &sp, why, sizeof(why)), -EINVAL);
}

static void test_split_tracks_weights(void **state)
{
	struct nm_spread sp;
	struct nm_spread_state st;
	uint64_t on[NM_MAX_NODES] = { 0 };
	char why[128];

	memset(&st, 0, sizeof(st));
	assert_int_equal(nm_spread_parse("0:3,2:1", &sp, why, sizeof(why)), 0);
	/* 256 MiB in 2 MiB chunks: every prefix within one chunk of 75/25 */
	for (int c = 1; c <= 128; c++) {
		on[nm_spread_next(&sp, &st, 2 * MIB)] += 2 * MIB;
		assert_true(on[0] + on[2] == (uint64_t)c * 2 * MIB);
		assert_true(llabs((long long)on[0] * 4 - (long long)(on[0] + on[2]) * 3) <=
			    (long long)(4 * 2 * MIB));
	}
	assert_int_equal(on[0], 192 * MIB);
	assert_int_equal(on[2], 64 * MIB);
	assert_int_equal(on[1], 0);
}

static void test_split_uneven_chunks(void **state)
{
	struct nm_spread sp;
	struct nm_spread_state st;
	uint64_t on[NM_MAX_NODES] = { 0 }, total = 0;
	char why[128];

	memset(&st, 0, sizeof(st));
	assert_int_equal(nm_spread_parse("1:1,0:1,3:2", &sp, why, sizeof(why)), 0);
	/* ranges cut at odd places: a 12 KiB head, 2 MiB chunks, odd tails */
	for (int c = 0; c < 300; c++) {
		uint64_t b = c % 7 == 0 ? 12288 : 2 * MIB;

		on[nm_spread_next(&sp, &st, b)] += b;
		total += b;
	}
	/* each within one chunk of its share */
	assert_true(llabs((long long)on[1] * 4 - (long long)total) <= (long long)(4 * 2 * MIB));
	assert_true(llabs((long long)on[0] * 4 - (long long)total) <= (long long)(4 * 2 * MIB));
	assert_true(llabs((long long)on[3] * 2 - (long long)total) <= (long long)(2 * 2 * MIB));
}

/* ---- moving by a spread (spreadmove.c) ---- */

#define BASE 0x7f0000000000ULL	/* 2 MiB-aligned */
#define PS 4096ULL
#define NPAGES 16384		/* 64 MiB */

/* The fake process: each page's node; move_pages moves what it is asked. */
static int page_node[NPAGES];
static int move_calls;

static long fake_move_pages(void *ctx, pid_t pid, unsigned long count, void **pages,
			    const int *nodes, int *status, int flags)
{
	move_calls += nodes != NULL;
	fake_pages_move(page_node, NPAGES, BASE, count, pages, nodes, status);
	return 0;
}

static int fake_alive(void *ctx) { return 0; }
static void fake_sleep(void *ctx, unsigned int us) { }

static const struct nm_sys SYS = { .move_pages = fake_move_pages, .alive = fake_alive,
				   .sleep_us = fake_sleep };

static struct nm_spread spread_of(const char *s)
{
	struct nm_spread sp;
	char why[160];

	assert_int_equal(nm_spread_parse(s, &sp, why, sizeof(why)), 0);
	return sp;
}

static void test_chunk(void **state)
{
	assert_int_equal(nm_spread_chunk(0), 2 * MIB);
	assert_int_equal(nm_spread_chunk(64 * MIB), 2 * MIB);
	assert_int_equal(nm_spread_chunk(8192 * MIB), 2 * MIB);		/* 4096 chunks */
	assert_int_equal(nm_spread_chunk(8194 * MIB), 4 * MIB);
	assert_int_equal(nm_spread_chunk(16384 * MIB), 4 * MIB);
	assert_int_equal(nm_spread_chunk(1ULL << 40) % (2 * MIB), 0);
	assert_true((1ULL << 40) / nm_spread_chunk(1ULL << 40) <= NM_SPREAD_MAX_CHUNKS);
}

/* Pieces never cut a 2 MiB-aligned block (a THP) except at the range's own
 * ends, keep their mapping, cover the range once, and give node 0 three
 * quarters to within a chunk. */
static void test_split_3_1(void **state)
{
	struct nm_spread sp = spread_of("0:3,2:1");
	struct nm_range r[2] = {
		{ BASE + 1 * MIB, BASE + 41 * MIB, 4 },		/* starts and ends mid-block */
		{ BASE + 64 * MIB, BASE + 88 * MIB + 8192, 5 },	/* ends mid-block */
	};
	struct nm_range_list all = { .r = r, .n = 2, .cap = 2 };
	struct nm_range_list out[2];
	uint64_t bytes[2] = { 0, 0 }, total = 0;

	all.pages = (40 * MIB + 24 * MIB + 8192) / PS;
	memset(out, 0, sizeof(out));
	assert_int_equal(nm_spread_split(&all, &sp, 2 * MIB, out), 0);
	for (int i = 0; i < 2; i++) {
		uint64_t pages = 0;

		for (size_t k = 0; k < out[i].n; k++) {
			const struct nm_range *p = &out[i].r[k];
			bool in0 = p->start >= r[0].start && p->end <= r[0].end;
			bool in1 = p->start >= r[1].start && p->end <= r[1].end;

			assert_true(in0 || in1);
			assert_int_equal(p->vma, in0 ? 4 : 5);
			if (p->start != r[0].start && p->start != r[1].start)
				assert_int_equal(p->start % (2 * MIB), 0);
			if (p->end != r[0].end && p->end != r[1].end)
				assert_int_equal(p->end % (2 * MIB), 0);
			if (k)	/* sorted, and adjacent pieces merged */
				assert_true(out[i].r[k - 1].end < p->start ||
					    out[i].r[k - 1].vma != p->vma);
			bytes[i] += p->end - p->start;
			pages += (p->end - p->start) / PS;
		}
		assert_int_equal(out[i].pages, pages);
		total += bytes[i];
	}
	assert_int_equal(total, all.pages * PS);
	/* within one chunk of 75% */
	assert_true(bytes[0] >= total / 4 * 3 - 2 * MIB && bytes[0] <= total / 4 * 3 + 2 * MIB);
	nm_range_list_free(&out[0]);
	nm_range_list_free(&out[1]);
}

static void test_move_3_1(void **state)
{
	struct nm_spread sp = spread_of("0:3,2:1");
	struct nm_range r = { BASE, BASE + NPAGES * PS, 0 };
	struct nm_range_list all = { .r = &r, .n = 1, .cap = 1, .pages = NPAGES };
	struct nm_move_request req = { .target_node = -1 };
	struct nm_engine_opts o;
	struct nm_move_result res;
	struct nm_hist h;
	struct nm_spread_check c;

	for (int i = 0; i < NPAGES; i++)
		page_node[i] = 1;
	nm_engine_opts_default(&o);
	o.batch_pages = 1024;
	assert_int_equal(nm_spread_move(&SYS, 1, &all, &o, &req, &sp, &res), 0);
	assert_int_equal(res.examined, NPAGES);
	assert_int_equal(res.moved, NPAGES);
	assert_int_equal(res.from_node[1], NPAGES);
	memset(&h, 0, sizeof(h));
	for (int i = 0; i < NPAGES; i++) {
		/* every 2 MiB block on one node */
		assert_int_equal(page_node[i], page_node[i & ~511]);
		h.node[page_node[i]]++;
		h.present++;
	}
	assert_int_equal(h.node[0], NPAGES / 4 * 3);
	assert_int_equal(h.node[2], NPAGES / 4);
	nm_spread_verify(&sp, &h, 1.0, &c);
	assert_false(c.missed);
	assert_int_equal(c.pages[0], NPAGES / 4 * 3);
	assert_true(c.worst_miss < 0.01);

	/* again: everything is where the spread wants it already */
	move_calls = 0;
	assert_int_equal(nm_spread_move(&SYS, 1, &all, &o, &req, &sp, &res), 0);
	assert_int_equal(res.moved, 0);
	assert_int_equal(res.already, NPAGES);
	assert_int_equal(move_calls, 0);
}

static void test_verify(void **state)
{
	struct nm_spread sp = spread_of("0:3,2:1");
	struct nm_hist h;
	struct nm_spread_check c;

	memset(&h, 0, sizeof(h));
	h.present = 1000;
	h.node[0] = 759;	/* 75.9%: 0.9 points off */
	h.node[2] = 241;
	nm_spread_verify(&sp, &h, 1.0, &c);
	assert_false(c.missed);
	h.node[0] = 800;	/* 80/20: 5 points off */
	h.node[2] = 200;
	nm_spread_verify(&sp, &h, 1.0, &c);
	assert_true(c.missed);
	assert_true(c.worst_miss > 4.99 && c.worst_miss < 5.01);
	assert_true(c.requested[0] == 75.0 && c.achieved[0] == 80.0);
	/* pages on a node outside the spread count against it */
	h.node[0] = 730;
	h.node[2] = 240;
	h.node[1] = 30;
	nm_spread_verify(&sp, &h, 1.0, &c);
	assert_true(c.missed);
	assert_int_equal(c.worst, 0);
	/* nothing present: missed, no worst node */
	memset(&h, 0, sizeof(h));
	nm_spread_verify(&sp, &h, 1.0, &c);
	assert_true(c.missed);
	assert_int_equal(c.worst, -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_split_tracks_weights),
		cmocka_unit_test(test_split_uneven_chunks),
		cmocka_unit_test(test_chunk),
		cmocka_unit_test(test_split_3_1),
		cmocka_unit_test(test_move_3_1),
		cmocka_unit_test(test_verify),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
