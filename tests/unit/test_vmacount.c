// SPDX-License-Identifier: GPL-2.0
/* Unit tests of userspace/lib/vmacount.c: compact per-mapping counts. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "vmacount.h"

static struct nm_hist hist(int node, uint64_t pages)
{
	struct nm_hist h = { .max_node = -1 };

	if (node >= 0) {
		h.node[node] = pages;
		h.present = pages;
		h.max_node = node;
	}
	return h;
}

static void test_rows_add_up(void **state)
{
	struct nm_vmacount vc;
	struct nm_hist h = hist(1, 5), g;

	(void)state;
	assert_int_equal(nm_vmacount_init(&vc, 3, 2), 0);
	h.not_present = 7;
	h.error = 1;
	h.thp = 2;
	h.thp_pages = 1024;
	assert_int_equal(nm_vmacount_add(&vc, 1, &h), 0);
	h = hist(0, 4);
	assert_int_equal(nm_vmacount_add(&vc, 1, &h), 0);
	assert_int_equal(nm_vmacount_add(&vc, 9, &h), 0);	/* past the rows: ignored */
	nm_vmacount_get(&vc, 1, &g);
	assert_int_equal(g.node[0], 4);
	assert_int_equal(g.node[1], 5);
	assert_int_equal(g.present, 9);
	assert_int_equal(g.max_node, 1);
	assert_int_equal(g.not_present, 7);
	assert_int_equal(g.error, 1);
	assert_int_equal(g.thp, 2);
	assert_int_equal(g.thp_pages, 1024);
	nm_vmacount_get(&vc, 0, &g);
	assert_int_equal(g.present, 0);
	assert_int_equal(g.max_node, -1);
	nm_vmacount_get(&vc, 2, &g);
	assert_int_equal(g.present, 0);
	nm_vmacount_free(&vc);
}

/* A page on a node past the columns widens every row, keeping the rest. */
static void test_widen_keeps_rows(void **state)
{
	struct nm_vmacount vc;
	struct nm_hist h = hist(0, 3), g;

	(void)state;
	assert_int_equal(nm_vmacount_init(&vc, 2, 1), 0);
	h.not_present = 2;
	assert_int_equal(nm_vmacount_add(&vc, 0, &h), 0);
	assert_int_equal(nm_vmacount_add(&vc, 1, &h), 0);
	h = hist(5, 11);
	assert_int_equal(nm_vmacount_add(&vc, 1, &h), 0);
	assert_int_equal(vc.nodes, 6);
	nm_vmacount_get(&vc, 0, &g);
	assert_int_equal(g.node[0], 3);
	assert_int_equal(g.not_present, 2);
	assert_int_equal(g.max_node, 0);
	nm_vmacount_get(&vc, 1, &g);
	assert_int_equal(g.node[0], 3);
	assert_int_equal(g.node[5], 11);
	assert_int_equal(g.present, 14);
	assert_int_equal(g.not_present, 2);
	assert_int_equal(g.max_node, 5);
	nm_vmacount_free(&vc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows_add_up),
		cmocka_unit_test(test_widen_keeps_rows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
