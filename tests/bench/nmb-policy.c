// SPDX-License-Identifier: GPL-2.0
/*
 * nmb-policy: what one auto interval costs in user space on a process with
 * many mappings (issue #14 point 1: auto's refresh is linear). Builds the
 * policy over N mappings of 4 MiB (two 2 MiB regions each, 4 KiB gaps
 * between them, as a JVM's or an allocator's arenas), then runs intervals
 * in which every region has hinting-fault samples from node 1 on pages of
 * node 0: each interval observes every region, decides, clips each move to
 * the managed ranges (what the executor does before moving) and records the
 * moves as acted. Prints the seconds of the slowest interval for each N,
 * and the growth per doubling of N (2 is linear, 4 quadratic).
 *   nmb-policy [N...]          (default 7500 15000 30000 60000)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "hintfault.h"
#include "policy.h"
#include "range.h"

#define MB (1ULL << 20)
#define BASE 0x7f0000000000ULL
#define MAP_LEN (4 * MB)
#define STRIDE (MAP_LEN + 4096)

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void env_two_nodes(struct nm_node_env *e)
{
	memset(e, 0, sizeof(*e));
	e->allowed.bits = 0x3;
	e->has_memory.bits = 0x3;
	e->has_cpu.bits = 0x3;
	for (int a = 0; a < NM_MAX_NODES; a++)
		for (int b = 0; b < NM_MAX_NODES; b++)
			e->distance[a][b] = UINT32_MAX;
}

/* Runs INTERVALS intervals over N mappings; returns the slowest interval's
 * seconds (or -1), and the moves decided in all into *MOVES. */
static double run(size_t n, int intervals, size_t *moves)
{
	struct nm_policy p;
	struct nm_policy_opts o;
	struct nm_node_env env;
	struct nm_policy_range *r = calloc(n, sizeof(*r));
	struct nm_range *lr = calloc(n, sizeof(*lr));
	struct nm_hf_region *cum = calloc(2 * n, sizeof(*cum));
	struct nm_range_list all = { 0 }, clip = { 0 };
	double worst = 0;

	if (!r || !lr || !cum)
		return -1;
	for (size_t i = 0; i < n; i++) {
		uint64_t s = BASE + i * STRIDE;

		r[i] = (struct nm_policy_range){ s, s + MAP_LEN, s, s + MAP_LEN };
		lr[i] = (struct nm_range){ s, s + MAP_LEN, i };
	}
	all.r = lr;
	all.n = all.cap = n;
	nm_policy_opts_default(&o);
	env_two_nodes(&env);
	if (nm_policy_init(&p, &o, 2 * MB) || nm_policy_set_ranges(&p, r, n))
		return -1;
	*moves = 0;
	for (int iv = 0; iv < intervals; iv++) {
		struct nm_decision *d;
		size_t nd;
		double t0 = now(), t;

		nm_policy_begin(&p);
		for (size_t k = 0; k < 2 * n; k++) {
			uint64_t start = BASE + (k / 2) * STRIDE + (k % 2) * 2 * MB;

			cum[k].by_cpu_node[1] += 12;	/* threads on node 1 */
			cum[k].by_mem_node[0] += 12;	/* pages on node 0 */
			nm_policy_observe(&p, start, &cum[k]);
		}
		if (nm_policy_decide(&p, &env, &d, &nd))
			return -1;
		for (size_t k = 0; k < nd; k++) {
			if (d[k].reason != NM_R_MOVE && d[k].reason != NM_R_MOVE_MAPPING)
				continue;
			if (d[k].covered)
				continue;
			if (nm_range_list_clip(&all, d[k].start, d[k].end, &clip))
				return -1;
			nm_policy_acted(&p, &d[k], 1);
			(*moves)++;
		}
		t = now() - t0;
		if (t > worst)
			worst = t;
	}
	nm_policy_free(&p);
	free(clip.r);
	free(cum);
	free(lr);
	free(r);
	return worst;
}

int main(int argc, char **argv)
{
	size_t def[] = { 7500, 15000, 30000, 60000 }, ns[16];
	int nn = 0;
	double prev = 0;

	for (int i = 1; i < argc && nn < 16; i++) {
		char *end;
		unsigned long long v = strtoull(argv[i], &end, 10);

		if (!*argv[i] || *end || v == 0 || v > 10000000) {
			fprintf(stderr, "nmb-policy: '%s' is not a mapping count (1..10000000)\n",
				argv[i]);
			return 2;
		}
		ns[nn++] = (size_t)v;
	}
	if (!nn)
		for (nn = 0; nn < 4; nn++)
			ns[nn] = def[nn];
	for (int i = 0; i < nn; i++) {
		size_t moves;
		double t = run(ns[i], 4, &moves);

		if (t < 0) {
			fprintf(stderr, "nmb-policy: the policy failed at %zu mappings\n", ns[i]);
			return 1;
		}
		printf("POLICY mappings=%zu regions=%zu slowest_interval_s=%.4f moves=%zu",
		       ns[i], 2 * ns[i], t, moves);
		if (i && prev > 0 && ns[i] == 2 * ns[i - 1])
			printf(" growth_per_doubling=%.2f", t / prev);
		printf("\n");
		prev = t;
	}
	return 0;
}
