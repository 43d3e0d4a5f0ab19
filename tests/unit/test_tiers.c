// SPDX-License-Identifier: GPL-2.0
/* Memory tiers and the kernel's tiering settings, on the 4-node guest's
 * recorded layout (fixtures/tier: tier 4 = nodes 0-1 with CPUs, tier 22 =
 * memory-only nodes 2-3; demotion on, numa_balancing 2, promotion limit
 * 65536 MB/s). On them, diagnose: when promotion undoes a move to a lower tier,
 * when demotion undoes a move to DRAM, and the tiers in the JSON facts. */
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
#include "testutil.h"
#include "diagfacts.h"
#include "diagnose.h"
#include "diagreport.h"
#include "diagtest.h"
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

/* ---- diagnose on these tiers (diagrules.c) ---- */

/* Facts as nm_diag_gather reads them from the tier fixture (it has no
 * process: the threads are set here, as if they last ran on node RAN_ON). */
static void tier_facts(struct nm_diag_facts *f, int target, int ran_on)
{
	char root[PATH_MAX];
	struct nm_locked_list l;
	struct nm_diag_source s = { .pid = 4321, .comm = "app", .target = target,
				    .mem_nodes = { 0xf } };

	nm_test_fixtures(root, sizeof(root), "tier");
	assert_int_equal(nm_diag_gather(root, &s, f, &l), 0);
	nm_locked_list_free(&l);
	assert_int_equal(f->tiers.n, 2);
	assert_int_equal(f->numa_balancing, 2);
	assert_true(f->free_known);
	assert_true(f->total_known);
	assert_int_equal(f->total_kb[2], 1572864);
	f->cpus_known = true;
	f->cpu_nodes.bits = 0x3;
	f->threads = 2;
	f->ran_on[ran_on] = 2;
}

static void test_promotion_undoes_move_to_lower_tier(void **state)
{
	struct nm_diag_facts f;
	struct nm_diagnosis d;
	const struct nm_finding *x;

	tier_facts(&f, 2, 0);
	nm_diagnose(&f, &d);
	x = must_find(&d, "tier_promotion", NM_DIAG_WARN);
	assert_non_null(strstr(x->what, "node 2 is on a lower memory tier (memory_tier22, "
				"nodes 2-3) than node 0 where the threads run (memory_tier4"));
	assert_non_null(strstr(x->what, "65536 MB/s"));
	assert_non_null(strstr(x->fix, "kernel.numa_balancing=0"));
	x = must_find(&d, "memory_tiering", NM_DIAG_INFO);
	assert_non_null(strstr(x->what, "memory_tier4, nodes 0-1; memory_tier22, nodes 2-3"));
	assert_null(nm_diagnosis_find(&d, "tier_demotion"));	/* 2-3 is the lowest tier */

	/* threads on the lower tier's own node (none has CPUs there, but if
	 * they did): nothing faster to promote to */
	f.ran_on[0] = 0;
	f.ran_on[3] = 2;
	nm_diagnose(&f, &d);
	must_find(&d, "tier_promotion", NM_DIAG_INFO);

	/* mode 1: no promotion by tier */
	tier_facts(&f, 2, 0);
	f.numa_balancing = 1;
	nm_diagnose(&f, &d);
	x = must_find(&d, "tier_promotion", NM_DIAG_OK);
	assert_non_null(strstr(x->what, "no memory tiering bit"));
	/* mode 3 = 1 | 2 promotes too */
	f.numa_balancing = 3;
	nm_diagnose(&f, &d);
	must_find(&d, "tier_promotion", NM_DIAG_WARN);

	/* to the top tier in mode 2: not scanned, nothing pulls pages away */
	tier_facts(&f, 1, 0);
	nm_diagnose(&f, &d);
	x = must_find(&d, "tier_promotion", NM_DIAG_OK);
	assert_non_null(strstr(x->what, "node 1 is on the top tier"));

	/* a kernel without memory tiers in sysfs: the generic tiering warning,
	 * no tier findings */
	nm_diag_facts_init(&f);
	f.target = 1;
	f.mem_nodes.bits = 3;
	f.numa_balancing = 2;
	nm_diagnose(&f, &d);
	must_find(&d, "memory_tiering", NM_DIAG_WARN);
	assert_null(nm_diagnosis_find(&d, "tier_promotion"));
	assert_null(nm_diagnosis_find(&d, "tier_demotion"));
}

static void test_demotion_undoes_move_to_dram(void **state)
{
	/* node 1: 200000 kB free of 1572864 (12.7%); 10% is 157286 kB */
	struct nm_diagnosis d;
	const struct nm_finding *x;
	struct nm_diag_facts f;

	tier_facts(&f, 1, 0);
	f.pages_known = true;
	f.present = f.to_move = 10000;		/* 40000 kB: 160000 kB left */
	nm_diagnose(&f, &d);
	x = must_find(&d, "tier_demotion", NM_DIAG_INFO);
	assert_non_null(strstr(x->what, "lower tier (nodes 2-3)"));
	f.present = f.to_move = 11000;		/* 44000 kB: 156000 kB left, under 10% */
	nm_diagnose(&f, &d);
	x = must_find(&d, "tier_demotion", NM_DIAG_WARN);
	assert_non_null(strstr(x->what, "152.3 MiB free of 1536.0 MiB after the move"));
	assert_non_null(strstr(x->what, "nodes 2-3"));
	assert_non_null(strstr(x->fix, "demotion_enabled"));
	/* node 0 is under 10% free before anything moves */
	tier_facts(&f, 0, 0);
	nm_diagnose(&f, &d);
	must_find(&d, "tier_demotion", NM_DIAG_WARN);
	/* demotion off: reclaim does not demote */
	f.tiers.demotion = 0;
	nm_diagnose(&f, &d);
	x = must_find(&d, "tier_demotion", NM_DIAG_OK);
	assert_non_null(strstr(x->what, "demotion_enabled is false"));
}

static void test_json_memory_tiers(void **state)
{
	struct nm_diag_facts f;
	struct nm_diagnosis d;
	struct json_object *o, *t, *x;

	tier_facts(&f, 2, 0);
	nm_diagnose(&f, &d);
	o = nm_diagnose_report_json(&f, &d, NULL, 0);
	t = json_object_object_get(json_object_object_get(o, "facts"), "memory_tiers");
	assert_non_null(t);
	x = json_object_object_get(t, "tiers");
	assert_int_equal(json_object_array_length(x), 2);
	assert_int_equal(json_object_get_int(json_object_object_get(
		json_object_array_get_idx(x, 1), "id")), 22);
	assert_int_equal(json_object_array_length(json_object_object_get(
		json_object_array_get_idx(x, 1), "nodes")), 2);
	assert_true(json_object_get_boolean(json_object_object_get(t, "demotion_enabled")));
	assert_int_equal(json_object_get_int64(json_object_object_get(t,
		"promote_rate_limit_mbps")), 65536);
	json_object_put(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tiers),
		cmocka_unit_test(test_no_tiering),
		cmocka_unit_test(test_trace_warning),
		cmocka_unit_test(test_promotion_undoes_move_to_lower_tier),
		cmocka_unit_test(test_demotion_undoes_move_to_dram),
		cmocka_unit_test(test_json_memory_tiers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
