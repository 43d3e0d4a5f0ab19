// SPDX-License-Identifier: GPL-2.0
/*
 * auto --spread (issue #16 point 2): parsing WHERE=SPREAD, resolving WHERE
 * against a process's mappings, the node checks, overlapping spreads, the
 * exclusion list, when a spread is re-applied, the policy leaving spread
 * regions and mappings alone (reason "spread", no demotion), and the
 * repeatable option with its --all rule. No root, no BPF.
 */
#include <errno.h>
#include <getopt.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "testutil.h"
#include "aspread.h"
#include "cli.h"
#include "errors.h"
#include "json.h"

#define MIB (1ULL << 20)
#define A 0x7f0000000000ULL	/* a 64 MiB anonymous mapping */
#define B 0x7f1000000000ULL	/* a 16 MiB one */

static void vmas_two(struct nm_vma_list *l)
{
	static struct nm_vma v[2];

	memset(v, 0, sizeof(v));
	v[0] = (struct nm_vma){ .start = A, .end = A + 64 * MIB, .kind = NM_VMA_ANON };
	v[1] = (struct nm_vma){ .start = B, .end = B + 16 * MIB, .kind = NM_VMA_ANON };
	memcpy(v[0].perms, "rw-p", 5);
	memcpy(v[1].perms, "rw-p", 5);
	l->v = v;
	l->n = l->cap = 2;
}

static void test_parse(void **state)
{
	struct nm_aspread s;
	char why[256];

	(void)state;
	assert_int_equal(nm_aspread_parse("0x7f0000000000+32M=0:3,2:1", &s, why, sizeof(why)), 0);
	assert_string_equal(s.where, "0x7f0000000000+32M");
	assert_false(s.at_addr);
	assert_int_equal(s.spec.kind, NM_RSPEC_ABS);
	assert_int_equal(s.sp.n, 2);
	assert_int_equal(s.sp.node[1], 2);
	assert_int_equal(s.sp.weight[0], 3);
	/* a bare number: an address, its whole mapping */
	assert_int_equal(nm_aspread_parse("0x7f1000000123=0:1,1:1", &s, why, sizeof(why)), 0);
	assert_true(s.at_addr);
	assert_int_equal(s.addr, 0x7f1000000123ULL);
	/* the other --range forms, and one node */
	assert_int_equal(nm_aspread_parse("heap=0", &s, why, sizeof(why)), 0);
	assert_int_equal(s.spec.kind, NM_RSPEC_HEAP);
	assert_int_equal(nm_aspread_parse("/dev/shm/a=b=0:1,1:1", &s, why, sizeof(why)), 0);
	assert_string_equal(s.where, "/dev/shm/a=b");	/* the last '=' splits */
	/* refused, each saying what */
	assert_int_equal(nm_aspread_parse("0x7f0000000000+32M", &s, why, sizeof(why)), -EINVAL);
	assert_contains(why, "expected WHERE=SPREAD");
	assert_int_equal(nm_aspread_parse("=0:1", &s, why, sizeof(why)), -EINVAL);
	assert_int_equal(nm_aspread_parse("heap=", &s, why, sizeof(why)), -EINVAL);
	assert_int_equal(nm_aspread_parse("heap=0:0", &s, why, sizeof(why)), -EINVAL);
	assert_contains(why, "spread '0:0'", "weight '0' of node 0");
	assert_int_equal(nm_aspread_parse("heap=0:3,0:1", &s, why, sizeof(why)), -EINVAL);
	assert_contains(why, "node 0 is named twice");
	assert_int_equal(nm_aspread_parse("heap=0:3,2", &s, why, sizeof(why)), -EINVAL);
	assert_contains(why, "node 2 has no weight");
	assert_int_equal(nm_aspread_parse("512M=0:1", &s, why, sizeof(why)), -EINVAL);
	assert_contains(why, "WHERE '512M'", "a bare number is an address");
	assert_int_equal(nm_aspread_parse("0x10-0x5=0:1", &s, why, sizeof(why)), -EINVAL);
	assert_contains(why, "WHERE '0x10-0x5'");
}

static void test_resolve(void **state)
{
	struct nm_vma_list vmas;
	struct nm_aspread s;
	char why[256];

	(void)state;
	vmas_two(&vmas);
	/* an address inside B: the whole of B */
	assert_int_equal(nm_aspread_parse("0x7f1000400000=0:1", &s, why, sizeof(why)), 0);
	assert_int_equal(nm_aspread_resolve(&s, &vmas, why, sizeof(why)), 0);
	assert_int_equal(s.ranges.n, 1);
	assert_int_equal(s.ranges.r[0].start, B);
	assert_int_equal(s.ranges.r[0].end, B + 16 * MIB);
	assert_int_equal(s.ranges.r[0].vma, 1);
	nm_range_list_free(&s.ranges);
	/* a range: that range */
	assert_int_equal(nm_aspread_parse("0x7f0000200000+4M=0:1", &s, why, sizeof(why)), 0);
	assert_int_equal(nm_aspread_resolve(&s, &vmas, why, sizeof(why)), 0);
	assert_int_equal(s.ranges.n, 1);
	assert_int_equal(s.ranges.r[0].start, A + 2 * MIB);
	assert_int_equal(s.ranges.pages, 1024);
	nm_range_list_free(&s.ranges);
	/* outside the process: an address, a range */
	assert_int_equal(nm_aspread_parse("0x1000=0:1", &s, why, sizeof(why)), 0);
	assert_int_equal(nm_aspread_resolve(&s, &vmas, why, sizeof(why)), -ENOENT);
	assert_contains(why, "address 0x1000 is inside no mapping");
	assert_int_equal(nm_aspread_parse("0x1000+4K=0:1", &s, why, sizeof(why)), 0);
	assert_int_equal(nm_aspread_resolve(&s, &vmas, why, sizeof(why)), -ENOENT);
	assert_contains(why, "0x1000");
	nm_range_list_free(&s.ranges);
}

static void test_bad_node(void **state)
{
	struct nm_nodemask mem = { .bits = 0x3 }, any = { 0 }, only0 = { .bits = 0x1 };
	struct nm_aspread s;
	char why[256];

	(void)state;
	assert_int_equal(nm_aspread_parse("heap=0:3,1:1", &s, why, sizeof(why)), 0);
	assert_int_equal(nm_aspread_bad_node(&s, &mem, &any, why, sizeof(why)), -1);
	assert_int_equal(nm_aspread_bad_node(&s, &mem, &only0, why, sizeof(why)), 1);
	assert_contains(why, "node 1 is outside the process's allowed memory nodes");
	assert_int_equal(nm_aspread_parse("heap=0:3,2:1", &s, why, sizeof(why)), 0);
	assert_int_equal(nm_aspread_bad_node(&s, &mem, &any, why, sizeof(why)), 2);
	assert_contains(why, "node 2 has no memory on this host");
}

/* S[i] resolved from WHERE[i] against the two mappings. */
static void spreads(struct nm_aspread *s, const char *const *where, int n)
{
	struct nm_vma_list vmas;
	char why[256];

	vmas_two(&vmas);
	for (int i = 0; i < n; i++) {
		assert_int_equal(nm_aspread_parse(where[i], &s[i], why, sizeof(why)), 0);
		assert_int_equal(nm_aspread_resolve(&s[i], &vmas, why, sizeof(why)), 0);
	}
}

static void free_spreads(struct nm_aspread *s, int n)
{
	for (int i = 0; i < n; i++)
		nm_range_list_free(&s[i].ranges);
}

static void test_overlap_and_excl(void **state)
{
	const char *const disjoint[] = { "0x7f0000400000+4M=0:1", "0x7f0000000000+4M=0:1",
					 "0x7f1000000000=0:1" };
	const char *const third[] = { "0x7f0000000000+4M=0:1", "0x7f1000000000=0:1",
				      "0x7f0000200000+8M=0:1" };
	struct nm_aspread s[3];
	struct nm_policy_excl *x;
	size_t nx;
	uint64_t at;
	int a, b;

	(void)state;
	/* adjacent ranges do not overlap; the exclusion list merges them */
	spreads(s, disjoint, 3);
	assert_int_equal(nm_aspread_overlap(s, 3, &a, &b, &at), 0);
	assert_int_equal(nm_aspread_excl(s, 3, &x, &nx), 0);
	assert_int_equal(nx, 2);
	assert_int_equal(x[0].start, A);
	assert_int_equal(x[0].end, A + 8 * MIB);
	assert_int_equal(x[1].start, B);
	assert_int_equal(x[1].end, B + 16 * MIB);
	free(x);
	free_spreads(s, 3);
	/* the first and the third share [A + 2M, A + 4M) */
	spreads(s, third, 3);
	assert_int_equal(nm_aspread_overlap(s, 3, &a, &b, &at), 1);
	assert_int_equal(a, 0);
	assert_int_equal(b, 2);
	assert_int_equal(at, A + 2 * MIB);
	free_spreads(s, 3);
}

static void test_due(void **state)
{
	struct nm_aspread s;

	(void)state;
	memset(&s, 0, sizeof(s));
	assert_true(nm_aspread_due(&s));		/* never applied */
	s.applied = true;
	assert_false(nm_aspread_due(&s));		/* applied, not queried since */
	s.measured = true;
	s.check.present = 1000;
	s.check.worst_miss = NM_ASPREAD_TOLERANCE;	/* 1 point: kept */
	assert_false(nm_aspread_due(&s));
	s.check.worst_miss = NM_ASPREAD_TOLERANCE + 0.01;
	assert_true(nm_aspread_due(&s));
	s.check.present = 0;				/* nothing to move */
	assert_false(nm_aspread_due(&s));
}

/* A policy over one mapping of 4 regions of 2 MiB at A, every region's
 * samples from node 1 while its pages are on node 0. */
struct pfx {
	struct nm_policy p;
	struct nm_node_env env;
	struct nm_hf_region cum[4];
	struct nm_decision *d;
	size_t nd;
};

static void pfx_init(struct pfx *f, unsigned int demote_cold)
{
	struct nm_policy_opts o;
	struct nm_policy_range r = { A, A + 8 * MIB, A, A + 8 * MIB };

	memset(f, 0, sizeof(*f));
	nm_policy_opts_default(&o);
	o.demote_cold = demote_cold;
	assert_int_equal(nm_policy_init(&f->p, &o, 2 * MIB), 0);
	assert_int_equal(nm_policy_set_ranges(&f->p, &r, 1), 0);
	f->env.has_memory.bits = f->env.has_cpu.bits = 0x3;
	for (int i = 0; i < NM_MAX_NODES; i++)
		for (int j = 0; j < NM_MAX_NODES; j++)
			f->env.distance[i][j] = UINT32_MAX;
}

/* One interval: region i gets N[i] samples from node 1, none local. */
static void pfx_step(struct pfx *f, const uint64_t *n)
{
	nm_policy_begin(&f->p);
	for (int i = 0; i < 4; i++) {
		f->cum[i].by_cpu_node[1] += n[i];
		if (f->cum[i].by_cpu_node[1])
			nm_policy_observe(&f->p, A + (uint64_t)i * 2 * MIB, &f->cum[i]);
	}
	assert_int_equal(nm_policy_decide(&f->p, &f->env, &f->d, &f->nd), 0);
}

static const struct nm_decision *pfx_dec(struct pfx *f, bool mapping, uint64_t start)
{
	for (size_t k = 0; k < f->nd; k++)
		if (f->d[k].mapping == mapping && (mapping || f->d[k].start == start))
			return &f->d[k];
	return NULL;
}

static void test_policy_leaves_spreads(void **state)
{
	const struct nm_policy_excl x[] = { { A + 2 * MIB, A + 3 * MIB } };	/* in region 1 */
	const uint64_t hot[4] = { 20, 20, 20, 0 };
	const struct nm_decision *d;
	struct pfx f;

	(void)state;
	/* without a spread the mapping moves whole on the second interval */
	pfx_init(&f, 0);
	pfx_step(&f, hot);
	pfx_step(&f, hot);
	d = pfx_dec(&f, true, 0);
	assert_non_null(d);
	assert_int_equal(d->reason, NM_R_MOVE_MAPPING);
	nm_policy_free(&f.p);
	/* with one: the mapping and region 1 are held back with reason
	 * spread, the regions outside it move */
	pfx_init(&f, 0);
	nm_policy_exclude(&f.p, x, 1);
	pfx_step(&f, hot);
	pfx_step(&f, hot);
	d = pfx_dec(&f, true, 0);
	assert_non_null(d);
	assert_int_equal(d->reason, NM_R_SPREAD);
	assert_int_equal(pfx_dec(&f, false, A + 2 * MIB)->reason, NM_R_SPREAD);
	assert_int_equal(pfx_dec(&f, false, A)->reason, NM_R_MOVE);
	assert_int_equal(pfx_dec(&f, false, A + 4 * MIB)->reason, NM_R_MOVE);
	assert_string_equal(nm_reason_name(NM_R_SPREAD), "spread");
	nm_policy_free(&f.p);
}

static void test_policy_no_demotion_in_spread(void **state)
{
	/* region 3 spread, regions 2 and 3 never sampled */
	const struct nm_policy_excl x[] = { { A + 6 * MIB, A + 8 * MIB } };
	const uint64_t some[4] = { 20, 20, 0, 0 };
	bool demoted2 = false;
	struct pfx f;

	(void)state;
	pfx_init(&f, 2);
	f.env.has_memory.bits = 0x7;	/* node 2: memory only */
	nm_policy_exclude(&f.p, x, 1);
	for (int i = 0; i < 4; i++) {
		pfx_step(&f, some);
		for (size_t k = 0; k < f.nd; k++) {
			if (f.d[k].mapping || f.d[k].reason != NM_R_DEMOTE)
				continue;
			assert_int_not_equal(f.d[k].start, A + 6 * MIB);
			demoted2 |= f.d[k].start == A + 4 * MIB;
		}
	}
	assert_true(demoted2);	/* the cold region outside the spread is */
	nm_policy_free(&f.p);
}

/* A command offering --spread and --all. */
static const enum nm_optid sp_opts[] = { OPT_PID, OPT_SPREAD, OPT_ALL, OPT_NONE };
static const struct nm_cmddef sp_cmd = { "auto", "t", "t", sp_opts, NULL, false };

static int parse(struct nm_args *a, char **argv, char **err)
{
	struct capture c;
	char *out;
	int argc = 0, r;

	while (argv[argc])
		argc++;
	nm_args_init(a);
	capture_begin(&c);
	r = nm_cli_parse(&sp_cmd, argc, argv, a);
	capture_end(&c, &out, err);
	free(out);
	return r;
}

static void test_option(void **state)
{
	char *argv[2 * (NM_STRLIST_MAX + 1) + 2] = { (char *)"auto" }, *err;
	char *two[] = { (char *)"auto", (char *)"--spread", (char *)"heap=0:1",
			(char *)"--spread=0x7f0000000000+2M=0:3,1:1", NULL };
	char *all[] = { (char *)"auto", (char *)"--all", (char *)"--spread", (char *)"heap=0:1",
			NULL };
	struct nm_args a;
	int n = 1;

	(void)state;
	nm_args_init(&a);
	assert_int_equal(a.spread.n, 0);
	assert_int_equal(parse(&a, two, &err), 0);
	free(err);
	assert_int_equal(a.spread.n, 2);	/* repeatable, in order */
	assert_string_equal(a.spread.v[0], "heap=0:1");
	assert_string_equal(a.spread.v[1], "0x7f0000000000+2M=0:3,1:1");
	/* at most NM_STRLIST_MAX */
	for (int i = 0; i < NM_STRLIST_MAX; i++) {
		argv[n++] = (char *)"--spread";
		argv[n++] = (char *)"heap=0:1";
	}
	argv[n] = NULL;
	assert_int_equal(parse(&a, argv, &err), 0);
	free(err);
	assert_int_equal(a.spread.n, NM_STRLIST_MAX);
	argv[n++] = (char *)"--spread";
	argv[n++] = (char *)"heap=0:1";
	argv[n] = NULL;
	assert_int_equal(parse(&a, argv, &err), -EINVAL);
	assert_contains(err, "invalid --spread 'heap=0:1'", "at most 16 spreads");
	free(err);
	/* addresses are per process: not with --all */
	assert_int_equal(parse(&a, all, &err), -EINVAL);
	assert_contains(err, "--spread and --all exclude each other", "belong to one process");
	free(err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_resolve),
		cmocka_unit_test(test_bad_node),
		cmocka_unit_test(test_overlap_and_excl),
		cmocka_unit_test(test_due),
		cmocka_unit_test(test_policy_leaves_spreads),
		cmocka_unit_test(test_policy_no_demotion_in_spread),
		cmocka_unit_test(test_option),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
