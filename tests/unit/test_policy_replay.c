// SPDX-License-Identifier: GPL-2.0
/*
 * Replays decision logs recorded by 'numa-migrate auto --log' in the guests
 * (tests/unit/fixtures/auto/, JSON lines) through the policy: the per-region
 * evidence of each interval goes in as the cumulative counts the BPF map
 * would have held, the recorded node state (cpuset, free memory) as the
 * environment, the recorded moves as actions; every decision the policy
 * makes must carry the reason that was recorded, and it must make no move
 * that was not recorded. No root, no BPF, no guest.
 */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <json-c/json.h>
#include "policy.h"
#include "testutil.h"

#define MAXREG 4096

struct cum {
	uint64_t start;
	struct nm_hf_region r;
};

struct replay {
	struct nm_policy p;
	struct nm_node_env env;
	struct cum cum[MAXREG];
	size_t ncum;
	struct json_object *pending[8192];	/* decision lines of the open interval */
	size_t npending;
	unsigned long compared, moves, mismatches;
};

#define get nm_test_json_get

static uint64_t hexv(struct json_object *o)
{
	return o ? strtoull(json_object_get_string(o), NULL, 16) : 0;
}

static uint64_t num(struct json_object *o, const char *path)
{
	struct json_object *v = get(o, path);

	return v ? (uint64_t)json_object_get_int64(v) : 0;
}

static struct cum *cum_of(struct replay *rp, uint64_t start)
{
	for (size_t i = 0; i < rp->ncum; i++)
		if (rp->cum[i].start == start)
			return &rp->cum[i];
	assert_true(rp->ncum < MAXREG);
	memset(&rp->cum[rp->ncum], 0, sizeof(rp->cum[0]));
	rp->cum[rp->ncum].start = start;
	return &rp->cum[rp->ncum++];
}

static void set_ranges(struct replay *rp, struct json_object *line)
{
	struct json_object *a = get(line, "ranges");
	size_t n = json_object_array_length(a);
	struct nm_policy_range *r = calloc(n ? n : 1, sizeof(*r));

	assert_non_null(r);
	for (size_t i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(a, i);

		r[i] = (struct nm_policy_range){ hexv(json_object_array_get_idx(e, 0)),
						 hexv(json_object_array_get_idx(e, 1)),
						 hexv(json_object_array_get_idx(e, 2)),
						 hexv(json_object_array_get_idx(e, 3)) };
	}
	assert_int_equal(nm_policy_set_ranges(&rp->p, r, n), 0);
	free(r);
}

static void set_env(struct replay *rp, struct json_object *line)
{
	struct json_object *e = get(line, "env"), *fb;

	assert_non_null(e);
	rp->env.allowed.bits = hexv(get(e, "allowed"));
	rp->env.has_memory.bits = hexv(get(e, "has_memory"));
	rp->env.has_cpu.bits = hexv(get(e, "has_cpu"));
	rp->env.free_known = json_object_get_boolean(get(e, "free_known"));
	memset(rp->env.free_bytes, 0, sizeof(rp->env.free_bytes));
	fb = get(e, "free_bytes");
	json_object_object_foreach(fb, k, v)
		rp->env.free_bytes[atoi(k)] = (uint64_t)json_object_get_int64(v);
}

static bool continuation(struct json_object *d)
{
	return get(d, "result.continues_interval") != NULL;
}

static const struct nm_decision *find(const struct nm_decision *dec, size_t n, bool mapping,
				      uint64_t start, uint64_t end)
{
	for (size_t i = 0; i < n; i++)
		if (dec[i].mapping == mapping && dec[i].start == start && dec[i].end == end)
			return &dec[i];
	return NULL;
}

/* The interval line closes an interval: feed its evidence, decide, compare. */
static void close_interval(struct replay *rp, struct json_object *iv)
{
	struct nm_decision *dec;
	size_t ndec;

	set_env(rp, iv);
	nm_policy_begin(&rp->p);
	if (get(iv, "cpu")) {	/* where the threads ran, as the run measured it */
		double by[NM_MAX_NODES] = { 0 };

		json_object_object_foreach(get(iv, "cpu.steady_by_node"), k, v)
			by[atoi(k)] = json_object_get_double(v);
		nm_policy_cpu(&rp->p, by, json_object_get_double(get(iv, "cpu.seconds")));
	}
	for (size_t i = 0; i < rp->npending; i++) {
		struct json_object *d = rp->pending[i], *by;
		uint64_t start = hexv(get(d, "start"));
		struct cum *c;

		if (strcmp(json_object_get_string(get(d, "scope")), "region") || continuation(d))
			continue;
		c = cum_of(rp, start & ~(rp->p.granularity - 1));
		by = get(d, "evidence.by_cpu_node");
		json_object_object_foreach(by, k, v)
			c->r.by_cpu_node[atoi(k)] += (uint64_t)json_object_get_int64(v);
		c->r.local += num(d, "evidence.local");
		nm_policy_observe(&rp->p, c->start, &c->r);
	}
	assert_int_equal(nm_policy_decide(&rp->p, &rp->env, &dec, &ndec), 0);
	for (size_t i = 0; i < rp->npending; i++) {
		struct json_object *d = rp->pending[i];
		bool mapping = !strcmp(json_object_get_string(get(d, "scope")), "mapping");
		const char *want = json_object_get_string(get(d, "reason"));
		const char *action = json_object_get_string(get(d, "result.action"));
		const struct nm_decision *x;

		if (continuation(d)) {
			/* a move cut short by the rate cap, finished now */
			if (!strcmp(action, "moved")) {
				struct nm_decision c = { .mapping = mapping };

				/* find what the policy knows of it by address */
				for (size_t k = 0; k < rp->p.nmap && mapping; k++)
					if (rp->p.map[k].start == hexv(get(d, "start")))
						c.index = k;
				for (size_t k = 0; k < rp->p.nreg && !mapping; k++)
					if (rp->p.reg[k].start == hexv(get(d, "start")))
						c.index = k;
				nm_policy_acted(&rp->p, &c, (int)num(d, "node"));
			}
			continue;
		}
		x = find(dec, ndec, mapping, hexv(get(d, "start")), hexv(get(d, "end")));
		rp->compared++;
		if (!x) {
			print_error("interval %ld: no replayed decision for %s %s-%s (recorded %s)\n",
				    (long)num(d, "interval"), mapping ? "mapping" : "region",
				    json_object_get_string(get(d, "start")),
				    json_object_get_string(get(d, "end")), want);
			rp->mismatches++;
			continue;
		}
		if (strcmp(nm_reason_name(x->reason), want)) {
			print_error("interval %ld: %s %s: replayed %s, recorded %s\n",
				    (long)num(d, "interval"), mapping ? "mapping" : "region",
				    json_object_get_string(get(d, "start")), nm_reason_name(x->reason),
				    want);
			rp->mismatches++;
		}
		if (!strcmp(action, "moved") || !strcmp(action, "already_there") ||
		    !strcmp(action, "no_tier")) {
			rp->moves += !strcmp(action, "moved");
			nm_policy_acted(&rp->p, x, (int)num(d, "node"));
		}
	}
	/* no move the recording does not have */
	for (size_t i = 0; i < ndec; i++) {
		bool seen = false;

		if (dec[i].covered || (dec[i].reason != NM_R_MOVE && dec[i].reason != NM_R_MOVE_MAPPING))
			continue;
		for (size_t k = 0; k < rp->npending && !seen; k++)
			seen = hexv(get(rp->pending[k], "start")) == dec[i].start &&
			       hexv(get(rp->pending[k], "end")) == dec[i].end;
		if (!seen) {
			print_error("replay moves %s 0x%llx-0x%llx, the recording does not\n",
				    dec[i].mapping ? "mapping" : "region",
				    (unsigned long long)dec[i].start, (unsigned long long)dec[i].end);
			rp->mismatches++;
		}
	}
	for (size_t i = 0; i < rp->npending; i++)
		json_object_put(rp->pending[i]);
	rp->npending = 0;
}

static void opts_from_summary(const char *path, struct nm_policy_opts *o, uint64_t *gran)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	struct json_object *last = NULL;

	assert_non_null(f);
	while (getline(&line, &cap, f) > 0) {
		struct json_object *j = json_tokener_parse(line);

		if (j && get(j, "type") && !strcmp(json_object_get_string(get(j, "type")), "summary")) {
			json_object_put(last);
			last = j;
		} else {
			json_object_put(j);
		}
	}
	free(line);
	fclose(f);
	assert_non_null(last);
	nm_policy_opts_default(o);
	o->share_pct = json_object_get_double(get(last, "options.share_pct"));
	o->min_samples = num(last, "options.min_samples");
	o->stable = (unsigned int)num(last, "options.stable");
	/* logs from before the CPU confirmation have no such option: off */
	o->cpu_confirm = get(last, "options.cpu_confirm") &&
			 json_object_get_boolean(get(last, "options.cpu_confirm"));
	o->cooldown = (unsigned int)num(last, "options.cooldown");
	o->reserve_bytes = num(last, "options.reserve_bytes");
	o->mapping_quorum = (unsigned int)num(last, "options.mapping_quorum");
	o->demote_cold = (unsigned int)num(last, "options.demote_cold");
	*gran = num(last, "options.granularity");
	json_object_put(last);
}

static void replay_file(const char *name, unsigned long min_moves)
{
	char path[PATH_MAX];
	struct nm_policy_opts o;
	struct replay *rp = calloc(1, sizeof(*rp));
	uint64_t gran;
	char *line = NULL;
	size_t cap = 0;
	FILE *f;

	assert_non_null(rp);
	nm_test_fixtures(path, sizeof(path), name);
	opts_from_summary(path, &o, &gran);
	assert_int_equal(nm_policy_init(&rp->p, &o, gran), 0);
	f = fopen(path, "r");
	assert_non_null(f);
	while (getline(&line, &cap, f) > 0) {
		struct json_object *j = json_tokener_parse(line);
		const char *type;

		assert_non_null(j);
		type = json_object_get_string(get(j, "type"));
		if (!strcmp(type, "ranges")) {
			set_ranges(rp, j);
		} else if (!strcmp(type, "decision")) {
			assert_true(rp->npending < NM_ARRAY_SIZE(rp->pending));
			rp->pending[rp->npending++] = json_object_get(j);
		} else if (!strcmp(type, "interval")) {
			assert_int_equal(num(j, "interval"), rp->p.interval);
			close_interval(rp, j);
		}
		json_object_put(j);
	}
	free(line);
	fclose(f);
	print_message("%s: %lu decisions compared, %lu moves, %lu mismatches\n", name,
		      rp->compared, rp->moves, rp->mismatches);
	assert_true(rp->compared > 10);
	assert_true(rp->moves >= min_moves);
	assert_int_equal(rp->mismatches, 0);
	nm_policy_free(&rp->p);
	free(rp);
}

/* tests/vm/scenarios/auto_loop.sh on 6.12, 2 nodes: a 64 MiB buffer sampled
 * 4 MiB at a time, moved as a whole mapping. */
static void test_replay_loop(void **state)
{
	replay_file("auto/loop-6.12.jsonl", 1);
}

NM_TEST_MAIN(
	cmocka_unit_test(test_replay_loop))
