// SPDX-License-Identifier: GPL-2.0
/* Other placement agents on recorded /proc and /sys data (fixtures/agents):
 * numad (10), memtierd (11), numa-migrate auto --pid 100 (12), auto --all
 * (13), numa-migrate scan (14, not an agent), bash (15), auto --all
 * --exclude 600,601 (16); kdamond 0 on with a
 * migrate_cold scheme on pid 100, kdamond 1 off, kdamond 2 on with pageout;
 * numa_balancing 3, demotion enabled. run/numa-migrate: pid 300's lock held
 * by 13, pid 400's by 99 (gone: a crash's leftover), pid 500's by 15 (bash). */
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
#include "agents.h"

static const char *root(void)
{
	static char buf[512];

	return nm_test_fixtures(buf, sizeof(buf), "agents");
}

static const struct nm_agent *find(const struct nm_agents *a, enum nm_agent_kind k, pid_t pid)
{
	for (size_t i = 0; i < a->n; i++)
		if (a->a[i].kind == k && a->a[i].pid == pid)
			return &a->a[i];
	return NULL;
}

static void test_for_target(void **state)
{
	struct nm_agents a;
	const struct nm_agent *x;

	assert_int_equal(nm_agents_read(root(), 100, 1, &a), 0);
	assert_int_equal(a.n, 8);
	x = find(&a, NM_AGENT_NUMAD, 10);
	assert_non_null(x);
	assert_non_null(strstr(x->fix, "numad -x 100"));
	assert_non_null(find(&a, NM_AGENT_MEMTIERD, 11));
	x = find(&a, NM_AGENT_AUTO, 12);
	assert_non_null(x);
	assert_int_equal(x->target, 100);
	assert_non_null(strstr(x->what, "auto (pid 12) manages pid 100"));
	x = find(&a, NM_AGENT_AUTO, 13);
	assert_non_null(x);
	assert_int_equal(x->target, 0);
	assert_null(find(&a, NM_AGENT_AUTO, 14));	/* scan is not an agent */
	x = find(&a, NM_AGENT_DAMON, 77);
	assert_non_null(x);
	assert_int_equal(x->target, 100);
	assert_non_null(strstr(x->what, "migrate_cold"));
	assert_non_null(strstr(x->fix, "kdamonds/0/state"));
	assert_null(find(&a, NM_AGENT_DAMON, 79));	/* pageout moves nothing between nodes */
	x = find(&a, NM_AGENT_TIERING, 0);
	assert_non_null(x);
	assert_non_null(strstr(x->what, "numa_balancing=3"));
	assert_non_null(find(&a, NM_AGENT_DEMOTION, 0));
	nm_agents_free(&a);
}

static void test_other_target_and_self(void **state)
{
	struct nm_agents a;

	/* pid 200: the auto of pid 100 and the kdamond of pid 100 do not touch it;
	 * pid 13 is us: left out */
	assert_int_equal(nm_agents_read(root(), 200, 13, &a), 0);
	assert_int_equal(a.n, 5);
	assert_null(find(&a, NM_AGENT_AUTO, 12));
	assert_null(find(&a, NM_AGENT_AUTO, 13));
	assert_null(find(&a, NM_AGENT_DAMON, 77));
	assert_string_equal(nm_agent_name(NM_AGENT_DAMON), "damon");
	nm_agents_free(&a);
}

static void test_any_target(void **state)
{
	struct nm_agents a;

	/* 0: every agent on the host */
	assert_int_equal(nm_agents_read(root(), 0, 1, &a), 0);
	assert_int_equal(a.n, 8);
	/* numad's fix names no pid then (not its own, as it once did) */
	assert_non_null(strstr(find(&a, NM_AGENT_NUMAD, 10)->fix, "'numad -x PID' for each"));
	nm_agents_free(&a);
	/* an auto --all does not manage what it --excludes */
	assert_int_equal(nm_agents_read(root(), 601, 1, &a), 0);
	assert_int_equal(a.n, 5);
	assert_null(find(&a, NM_AGENT_AUTO, 16));
	assert_non_null(find(&a, NM_AGENT_AUTO, 13));
	nm_agents_free(&a);
}

/* The agents for TARGET (we are pid 1): N of them; the auto of pid 13. */
static const struct nm_agent *auto13(struct nm_agents *a, pid_t target, size_t n)
{
	assert_int_equal(nm_agents_read(root(), target, 1, a), 0);
	assert_int_equal(a->n, n);
	return find(a, NM_AGENT_AUTO, 13);
}

static void test_lock_holder(void **state)
{
	struct nm_agents a;
	const struct nm_agent *x = auto13(&a, 300, 6);

	/* the holder of pid 300's lock is named for 300, once */
	assert_non_null(x);
	assert_int_equal(x->target, 300);
	assert_non_null(strstr(x->what, "holds /run/numa-migrate/pid-300.lock"));
	assert_non_null(strstr(x->fix, "kill 13"));
	nm_agents_free(&a);
	/* a lock naming a process that is gone, or one that is not numa-migrate:
	 * no agent beyond the --all one found by its command line */
	assert_int_equal(auto13(&a, 400, 6)->target, 0);
	assert_null(find(&a, NM_AGENT_AUTO, 99));
	nm_agents_free(&a);
	assert_int_equal(nm_agents_read(root(), 500, 1, &a), 0);
	assert_null(find(&a, NM_AGENT_AUTO, 15));
	assert_int_equal(a.n, 6);
	nm_agents_free(&a);
	/* when the holder is us, nothing */
	assert_int_equal(nm_agents_read(root(), 300, 13, &a), 0);
	assert_null(find(&a, NM_AGENT_AUTO, 13));
	nm_agents_free(&a);
}

static void test_nothing_there(void **state)
{
	struct nm_agents a;

	assert_int_equal(nm_agents_read("/nonexistent-nm-root", 100, 1, &a), 0);
	assert_int_equal(a.n, 0);
	nm_agents_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_for_target),
		cmocka_unit_test(test_other_target_and_self),
		cmocka_unit_test(test_any_target),
		cmocka_unit_test(test_lock_holder),
		cmocka_unit_test(test_nothing_there),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
