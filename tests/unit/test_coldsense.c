// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the cold sensor (lib/coldsense.c, lib/policydamon.c): which
 * sensor auto --demote-cold picks and why, DAMON's regions folded onto the
 * policy's (overlaps, gaps, the idle time), and the policy demoting by
 * DAMON's reading rather than by the absence of hinting faults.
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
#include "coldsense.h"
#include "policy.h"

#define MB (1ULL << 20)
#define G2 (2 * MB)
#define BASE 0x7f0000000000ULL

static void test_pick(void **state)
{
	char why[512];

	(void)state;
	assert_int_equal(nm_cold_sensor_pick(NM_SENSOR_AUTO, false, "", why, sizeof(why)),
			 NM_SENSOR_DAMON);
	assert_non_null(strstr(why, "own kdamond"));
	/* someone else's kdamond: auto falls back and says why */
	assert_int_equal(nm_cold_sensor_pick(NM_SENSOR_AUTO, false, "1 kdamond(s) already "
					     "configured by someone else", why, sizeof(why)),
			 NM_SENSOR_FAULTS);
	assert_non_null(strstr(why, "someone else"));
	/* asked for DAMON where it is unusable: an error naming cause and fix */
	assert_int_equal(nm_cold_sensor_pick(NM_SENSOR_DAMON, false, "no DAMON sysfs interface",
					     why, sizeof(why)), -1);
	assert_non_null(strstr(why, "no DAMON sysfs interface"));
	assert_non_null(strstr(why, "--cold-sensor faults"));
	/* faults when asked, even where DAMON is usable */
	assert_int_equal(nm_cold_sensor_pick(NM_SENSOR_FAULTS, false, "", why, sizeof(why)),
			 NM_SENSOR_FAULTS);
	/* --all: no kdamond per process */
	assert_int_equal(nm_cold_sensor_pick(NM_SENSOR_AUTO, true, "", why, sizeof(why)),
			 NM_SENSOR_FAULTS);
	assert_non_null(strstr(why, "--all"));
	assert_int_equal(nm_cold_sensor_pick(NM_SENSOR_DAMON, true, "", why, sizeof(why)), -1);
	assert_non_null(strstr(nm_cold_sensor_trust(NM_SENSOR_DAMON), "DAMON"));
	assert_non_null(strstr(nm_cold_sensor_trust(NM_SENSOR_FAULTS), "scans"));
}

static void test_parse(void **state)
{
	enum nm_cold_sensor s;

	(void)state;
	assert_int_equal(nm_cold_sensor_parse("damon", &s), 0);
	assert_int_equal(s, NM_SENSOR_DAMON);
	assert_int_equal(nm_cold_sensor_parse("faults", &s), 0);
	assert_int_equal(s, NM_SENSOR_FAULTS);
	assert_int_equal(nm_cold_sensor_parse("auto", &s), 0);
	assert_int_equal(s, NM_SENSOR_AUTO);
	assert_int_equal(nm_cold_sensor_parse("idle", &s), -EINVAL);
	assert_string_equal(nm_cold_sensor_name(NM_SENSOR_DAMON), "damon");
}

/* Policy regions [0,2M) [2M,4M) [4M,6M) [6M,8M) at BASE. */
static void spans(struct nm_span *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (struct nm_span){ BASE + i * G2, BASE + (i + 1) * G2 };
}

static void test_fold(void **state)
{
	struct nm_span p[4];
	struct nm_cold_seen s[4];
	/* one DAMON region over regions 0-1 (idle 5 s), a hot one over the
	 * first half of region 2, a cold one (idle 0.8 s) over its second
	 * half and region 3 but for a gap at region 3's end */
	const struct nm_damon_region r[] = {
		{ BASE, BASE + 2 * G2, 0, 50 },
		{ BASE + 2 * G2, BASE + 2 * G2 + MB, 12, 90 },
		{ BASE + 2 * G2 + MB, BASE + 4 * G2 - 4096, 0, 8 },
	};

	(void)state;
	spans(p, 4);
	assert_int_equal(nm_damon_fold(r, 3, 100000, p, 4, s), 0);
	assert_true(s[0].known);
	assert_int_equal(s[0].nr_accesses, 0);
	assert_true(s[0].idle_s > 4.99 && s[0].idle_s < 5.01);
	assert_true(nm_damon_cold(&s[0], 5.0));
	assert_false(nm_damon_cold(&s[0], 5.1));
	assert_true(s[1].known);
	assert_true(nm_damon_cold(&s[1], 3.0));
	/* half hot: the most accesses of any overlapping region, idle 0 */
	assert_true(s[2].known);
	assert_int_equal(s[2].nr_accesses, 12);
	assert_true(s[2].idle_s == 0.0);
	assert_false(nm_damon_cold(&s[2], 0.0));
	/* a gap DAMON does not watch: not known, never cold */
	assert_false(s[3].known);
	assert_false(nm_damon_cold(&s[3], 0.0));
}

static void test_fold_edges(void **state)
{
	struct nm_span p[4];
	struct nm_cold_seen s[4];
	const struct nm_damon_region unsorted[] = {
		{ BASE + G2, BASE + 2 * G2, 0, 1 }, { BASE, BASE + G2, 0, 1 },
	};
	/* a region starting inside policy region 1 leaves its head unwatched */
	const struct nm_damon_region late[] = { { BASE + G2 + 4096, BASE + 4 * G2, 0, 100 } };

	(void)state;
	spans(p, 4);
	assert_int_equal(nm_damon_fold(unsorted, 2, 100000, p, 4, s), -EINVAL);
	assert_int_equal(nm_damon_fold(late, 1, 100000, p, 4, s), 0);
	assert_false(s[0].known);
	assert_false(s[1].known);
	assert_true(s[2].known && s[3].known);
	assert_true(s[3].idle_s > 9.99);
	/* no DAMON regions at all: nothing known */
	assert_int_equal(nm_damon_fold(NULL, 0, 100000, p, 4, s), 0);
	for (int i = 0; i < 4; i++)
		assert_false(s[i].known);
}

/* Many DAMON regions over many policy regions: one pass (each DAMON region
 * visited about once per policy region it overlaps). */
static void test_fold_large(void **state)
{
	enum { NP = 30000, ND = 60000 };
	struct nm_span *p = calloc(NP, sizeof(*p));
	struct nm_cold_seen *s = calloc(NP, sizeof(*s));
	struct nm_damon_region *r = calloc(ND, sizeof(*r));

	(void)state;
	assert_non_null(p);
	assert_non_null(s);
	assert_non_null(r);
	spans(p, NP);
	for (size_t i = 0; i < ND; i++)	/* two per policy region; odd ones hot */
		r[i] = (struct nm_damon_region){ BASE + i * MB, BASE + (i + 1) * MB,
						 (i / 2) % 2 ? 3 : 0, 40 };
	assert_int_equal(nm_damon_fold(r, ND, 100000, p, NP, s), 0);
	for (size_t i = 0; i < NP; i++) {
		assert_true(s[i].known);
		assert_int_equal(nm_damon_cold(&s[i], 4.0), i % 2 == 0);
	}
	free(p);
	free(s);
	free(r);
}

/* The policy with the DAMON sensor: a region is demoted when DAMON saw it
 * idle for cold_idle_s, whatever the hinting faults did; a region DAMON saw
 * accessed is not, even with no hinting-fault sample for many intervals. */
static void test_policy_damon(void **state)
{
	struct nm_policy_opts o;
	struct nm_policy p;
	struct nm_node_env env;
	struct nm_decision *d;
	size_t nd;
	struct nm_policy_range rg = { BASE, BASE + 2 * G2, BASE, BASE + 2 * G2 };
	struct nm_damon_region r[] = {
		{ BASE, BASE + G2, 5, 30 },		/* accessed */
		{ BASE + G2, BASE + 2 * G2, 0, 20 },	/* idle 2 s */
	};

	(void)state;
	memset(&env, 0, sizeof(env));
	nm_policy_opts_default(&o);
	o.demote_cold = 3;
	o.cold_idle_s = 3.0;
	assert_int_equal(nm_policy_init(&p, &o, G2), 0);
	assert_int_equal(nm_policy_set_ranges(&p, &rg, 1), 0);
	for (int i = 0; i < 5; i++) {	/* no samples at all: faults would say cold */
		nm_policy_begin(&p);
		assert_int_equal(nm_policy_damon(&p, r, 2, 100000), 0);
		assert_int_equal(nm_policy_decide(&p, &env, &d, &nd), 0);
		assert_int_equal(nd, 0);
	}
	r[1].age = 35;		/* idle 3.5 s */
	nm_policy_begin(&p);
	assert_int_equal(nm_policy_damon(&p, r, 2, 100000), 0);
	assert_int_equal(nm_policy_decide(&p, &env, &d, &nd), 0);
	assert_int_equal(nd, 1);
	assert_int_equal(d[0].reason, NM_R_DEMOTE);
	assert_int_equal(d[0].start, BASE + G2);
	assert_true(d[0].seen.known);
	assert_int_equal(d[0].seen.nr_accesses, 0);
	assert_true(d[0].seen.idle_s > 3.49 && d[0].seen.idle_s < 3.51);
	/* the ranges change: the region keeps what DAMON saw until the next reading */
	assert_int_equal(nm_policy_set_ranges(&p, &rg, 1), 0);
	assert_true(p.reg[1].seen.known);
	nm_policy_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pick),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_fold),
		cmocka_unit_test(test_fold_edges),
		cmocka_unit_test(test_fold_large),
		cmocka_unit_test(test_policy_damon),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
