// SPDX-License-Identifier: GPL-2.0
/* Memory tiers and the kernel's tiering settings, on the 4-node guest's
 * recorded layout (fixtures/tier: tier 4 = nodes 0-1 with CPUs, tier 22 =
 * memory-only nodes 2-3; demotion on, numa_balancing 2, promotion limit
 * 65536 MB/s). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>
#include "testutil.h"
#include "tiers.h"

static const char *root(void)
{
	static char buf[512];

	return nm_test_fixtures(buf, sizeof(buf), "tier");
}

static void test_tiers(void **state)
{
	struct nm_tiers t;

	assert_int_equal(nm_tiers_read(root(), &t), 0);
	assert_int_equal(t.n, 2);
	/* sorted: the fast tier first, whatever readdir's order */
	assert_int_equal(t.id[0], 4);
	assert_int_equal(t.id[1], 22);
	assert_int_equal(t.nodes[0].bits, 0x3);
	assert_int_equal(t.nodes[1].bits, 0xc);
	assert_int_equal(nm_tier_of(&t, 1), 0);
	assert_int_equal(nm_tier_of(&t, 3), 1);
	assert_int_equal(nm_tier_of(&t, 9), -1);
	assert_int_equal(t.demotion, 1);
	assert_int_equal(t.balancing, 2);
	assert_int_equal(t.promote_mbps, 65536);
	assert_true(nm_tiers_top_unsampled(&t));
	t.balancing = 3;	/* normal balancing scans every tier too */
	assert_false(nm_tiers_top_unsampled(&t));
	t.balancing = 1;
	assert_false(nm_tiers_top_unsampled(&t));
}

/* What trace says in mode 2: the top tier's nodes are named, and only then. */
static void test_trace_warning(void **state)
{
	struct nm_tiers t;
	char w[384];

	assert_int_equal(nm_tiers_read(root(), &t), 0);
	assert_int_equal(nm_tiers_trace_warning(&t, w, sizeof(w)), 1);
	assert_non_null(strstr(w, "kernel.numa_balancing=2 (memory tiering): the kernel does not "
			       "scan the top tier (nodes 0-1)"));
	assert_non_null(strstr(w, "kernel.numa_balancing=3"));
	t.balancing = 3;
	assert_int_equal(nm_tiers_trace_warning(&t, w, sizeof(w)), 0);
	assert_string_equal(w, "");
	t.balancing = 2;
	t.n = 0;	/* mode 2 on a kernel without memory_tiering in sysfs */
	assert_int_equal(nm_tiers_trace_warning(&t, w, sizeof(w)), 1);
	assert_non_null(strstr(w, "does not scan the top tier, so"));
}

static void test_no_tiering(void **state)
{
	struct nm_tiers t;

	assert_int_equal(nm_tiers_read("/nonexistent-nm", &t), 0);
	assert_int_equal(t.n, 0);
	assert_int_equal(t.demotion, -1);
	assert_int_equal(t.balancing, -1);
	assert_int_equal(t.promote_mbps, -1);
	assert_false(nm_tiers_top_unsampled(&t));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tiers),
		cmocka_unit_test(test_no_tiering),
		cmocka_unit_test(test_trace_warning),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
