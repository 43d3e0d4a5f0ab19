// SPDX-License-Identifier: GPL-2.0
/* Unit tests of userspace/pattern.c: the helper's fill pattern. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "testutil.h"
#include "helper.h"

#define LEN 4096
#define SEED 42

/* An 8-byte aligned buffer of LEN bytes. */
static uint64_t buf[LEN / 8];

static unsigned char *bytes(void)
{
	return (unsigned char *)buf;
}

static void test_fill_then_check_is_clean(void **state)
{
	size_t first = 777;

	nm_pattern_fill(buf, LEN, SEED);
	assert_int_equal(nm_pattern_check(buf, LEN, SEED, &first), 0);
	/* also with first == NULL */
	assert_int_equal(nm_pattern_check(buf, LEN, SEED, NULL), 0);
	/* every word is what nm_pattern_word says for its byte offset */
	for (size_t i = 0; i < LEN / 8; i++)
		assert_int_equal(buf[i], nm_pattern_word(SEED, i * 8));
}

static void test_one_flipped_byte(void **state)
{
	static const size_t offs[] = { 0, 1, 7, 8, 1234, 2047, 4088, LEN - 1 };

	for (size_t k = 0; k < sizeof(offs) / sizeof(offs[0]); k++) {
		size_t first = 999999;

		nm_pattern_fill(buf, LEN, SEED);
		bytes()[offs[k]] ^= 0x01;
		assert_int_equal(nm_pattern_check(buf, LEN, SEED, &first), 1);
		assert_int_equal(first, offs[k]);
	}
}

struct flip {
	size_t off;
	uint8_t mask;
};

/* A filled buffer with the N bytes of F flipped (xor'ed with their masks)
 * checks as COUNT bytes changed, the first at FIRST. */
static void check_flips(const struct flip *f, size_t n, int count, size_t first)
{
	size_t got = 999999;

	nm_pattern_fill(buf, LEN, SEED);
	for (size_t i = 0; i < n; i++)
		bytes()[f[i].off] ^= f[i].mask;
	assert_int_equal(nm_pattern_check(buf, LEN, SEED, &got), count);
	assert_int_equal(got, first);
}

static void test_three_bytes_in_one_word(void **state)
{
	/* word at 2008: bytes 2009, 2012 and 2015 change, 2008 does not */
	static const struct flip f[] = { { 2009, 0xff }, { 2012, 0x80 }, { 2015, 0x10 } };

	check_flips(f, 3, 3, 2009);
}

static void test_whole_word_counts_eight_bytes(void **state)
{
	size_t first = 999999;

	nm_pattern_fill(buf, LEN, SEED);
	buf[100] = ~buf[100];
	assert_int_equal(nm_pattern_check(buf, LEN, SEED, &first), 8);
	assert_int_equal(first, 800);
}

static void test_first_is_lowest_offset(void **state)
{
	static const struct flip f[] = { { 3000, 0x42 }, { 101, 0x42 }, { 4095, 0x42 } };

	check_flips(f, 3, 3, 101);
}

static void test_copy_to_wrong_place_detected(void **state)
{
	/* A page's content moved to another offset must not check clean. */
	static uint64_t two[2 * 512];
	size_t first = 999999;

	nm_pattern_fill(two, sizeof(two), SEED);
	memcpy(&two[512], &two[0], 4096);
	assert_true(nm_pattern_check(two, sizeof(two), SEED, &first) > 4000);
	assert_int_equal(first, 4096);
}

static void test_fill_stays_in_bounds(void **state)
{
	uint64_t b[6];

	memset(b, 0xa5, sizeof(b));
	nm_pattern_fill(&b[1], 32, SEED);
	assert_int_equal(b[0], 0xa5a5a5a5a5a5a5a5ULL);
	assert_int_equal(b[5], 0xa5a5a5a5a5a5a5a5ULL);
	for (int i = 0; i < 4; i++)
		assert_int_equal(b[1 + i], nm_pattern_word(SEED, (uint64_t)i * 8));
	/* the check reads only LEN bytes too */
	assert_int_equal(nm_pattern_check(&b[1], 32, SEED, NULL), 0);
}

static void test_seeds_differ(void **state)
{
	size_t first = 999999;
	uint64_t n;

	assert_true(nm_pattern_word(1, 0) != nm_pattern_word(2, 0));
	assert_true(nm_pattern_word(42, 0) != nm_pattern_word(43, 0));
	assert_true(nm_pattern_word(42, 8) != nm_pattern_word(43, 8));
	for (uint64_t off = 0; off < LEN; off += 8)
		assert_true(nm_pattern_word(SEED, off) != nm_pattern_word(SEED + 1, off));

	/* memory filled with one seed does not check clean with another */
	nm_pattern_fill(buf, LEN, 1);
	n = nm_pattern_check(buf, LEN, 2, &first);
	assert_true(n > LEN - LEN / 32);	/* nearly every byte differs */
	assert_true(n <= LEN);
	assert_int_equal(first, 0);
}

static void test_word_deterministic(void **state)
{
	for (uint64_t off = 0; off < 4096 * 8; off += 8) {
		assert_int_equal(nm_pattern_word(SEED, off), nm_pattern_word(SEED, off));
		assert_int_equal(nm_pattern_word(0x123456789abcdefULL, off),
				 nm_pattern_word(0x123456789abcdefULL, off));
	}
	/* and fill is deterministic too */
	{
		static uint64_t a[512], b[512];

		nm_pattern_fill(a, sizeof(a), 7);
		nm_pattern_fill(b, sizeof(b), 7);
		assert_memory_equal(a, b, sizeof(a));
	}
}

static int cmp_u64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;

	return a < b ? -1 : a > b;
}

static void assert_no_collisions(uint64_t seed, uint64_t step)
{
	enum { N = 4096 };
	uint64_t *w = malloc(N * sizeof(*w));

	assert_non_null(w);
	for (uint64_t i = 0; i < N; i++)
		w[i] = nm_pattern_word(seed, i * step);
	qsort(w, N, sizeof(*w), cmp_u64);
	for (size_t i = 1; i < N; i++)
		if (w[i] == w[i - 1]) {
			uint64_t dup = w[i];

			free(w);
			fail_msg("seed %llu: two of the first %d offsets (step %llu) share "
				 "the word 0x%llx", (unsigned long long)seed, N,
				 (unsigned long long)step, (unsigned long long)dup);
		}
	free(w);
}

static void test_word_no_collisions(void **state)
{
	/* the first 4096 word offsets (multiples of 8) ... */
	assert_no_collisions(SEED, 8);
	assert_no_collisions(0, 8);
	assert_no_collisions(1, 8);
	/* ... and the first 4096 byte offsets */
	assert_no_collisions(SEED, 1);
}

static void test_word_not_trivial(void **state)
{
	/* Words look random: not equal to the offset, and both halves used. */
	uint64_t orv = 0, andv = ~0ULL;

	for (uint64_t off = 0; off < LEN; off += 8) {
		uint64_t w = nm_pattern_word(SEED, off);

		assert_true(w != 0);
		assert_true(w != off);
		orv |= w;
		andv &= w;
	}
	assert_int_equal(orv, ~0ULL);
	assert_int_equal(andv, 0);
}

NM_TEST_MAIN(
	cmocka_unit_test(test_fill_then_check_is_clean),
	cmocka_unit_test(test_one_flipped_byte),
	cmocka_unit_test(test_three_bytes_in_one_word),
	cmocka_unit_test(test_whole_word_counts_eight_bytes),
	cmocka_unit_test(test_first_is_lowest_offset),
	cmocka_unit_test(test_copy_to_wrong_place_detected),
	cmocka_unit_test(test_fill_stays_in_bounds),
	cmocka_unit_test(test_seeds_differ),
	cmocka_unit_test(test_word_deterministic),
	cmocka_unit_test(test_word_no_collisions),
	cmocka_unit_test(test_word_not_trivial))
