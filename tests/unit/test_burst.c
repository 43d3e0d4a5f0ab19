// SPDX-License-Identifier: GPL-2.0
/* Unit tests of userspace/lib/burst.c: when auto's round may come early. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "burst.h"

/* A burst of 4096 faults arrives at 3.0-3.1 s into a slot that ends at 4.0:
 * not ready while the count moves, ready once it has stood for the settle
 * time. */
static void test_burst_settles(void **state)
{
	struct nm_burst b;

	(void)state;
	nm_burst_init(&b, 0.0, 100, 8);
	assert_false(nm_burst_ready(&b, 1.0, 100));	/* nothing new */
	assert_false(nm_burst_ready(&b, 3.0, 2000));	/* arriving */
	assert_false(nm_burst_ready(&b, 3.1, 4196));
	assert_false(nm_burst_ready(&b, 3.2, 4196));	/* 0.10 s still */
	assert_true(nm_burst_ready(&b, 3.3, 4196));	/* 0.20 s */
}

/* Fewer than 4 x --min-samples new faults is no burst, however long they
 * stand (the guest's auto_cooldown once spent its round on 7). */
static void test_too_few(void **state)
{
	struct nm_burst b;

	(void)state;
	nm_burst_init(&b, 0.0, 100, 8);
	assert_false(nm_burst_ready(&b, 0.5, 107));
	assert_false(nm_burst_ready(&b, 1.5, 107));
	assert_false(nm_burst_ready(&b, 1.6, 131));	/* 31: still too few */
	assert_false(nm_burst_ready(&b, 1.9, 131));
	assert_false(nm_burst_ready(&b, 2.0, 132));	/* 32, moving */
	assert_true(nm_burst_ready(&b, 2.2, 132));
}

/* A steady trickle (a fault every 0.1 s) never settles: no early round. */
static void test_trickle(void **state)
{
	struct nm_burst b;
	uint64_t f = 0;

	(void)state;
	nm_burst_init(&b, 0.0, 0, 8);
	for (int i = 1; i <= 40; i++)
		assert_false(nm_burst_ready(&b, i * 0.05, f += i % 2));
}

/* After an early round at 3.3 s in the slot ending at 4.0, the next burst
 * counts from that round's count and may not start a round before 4.0. */
static void test_one_round_per_slot(void **state)
{
	struct nm_burst b;

	(void)state;
	nm_burst_init(&b, 0.0, 0, 8);
	assert_false(nm_burst_ready(&b, 3.0, 4096));
	assert_true(nm_burst_ready(&b, 3.3, 4096));
	nm_burst_round(&b, 3.3, 4096, 4.0);
	assert_false(nm_burst_ready(&b, 3.4, 4096));	/* the same burst: taken */
	assert_false(nm_burst_ready(&b, 3.5, 8192));	/* a new one, arriving */
	assert_false(nm_burst_ready(&b, 3.9, 8192));	/* settled, but in the slot */
	assert_true(nm_burst_ready(&b, 4.0, 8192));
	nm_burst_round(&b, 4.0, 8192, 5.0);
	assert_false(nm_burst_ready(&b, 4.9, 8192));	/* nothing new since */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_burst_settles),
		cmocka_unit_test(test_too_few),
		cmocka_unit_test(test_trickle),
		cmocka_unit_test(test_one_round_per_slot),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
