// SPDX-License-Identifier: GPL-2.0
/* Weighted spreads: parsing and the chunk-by-chunk split (issue #16 point 2). */
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
#include "spread.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_split_tracks_weights),
		cmocka_unit_test(test_split_uneven_chunks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
