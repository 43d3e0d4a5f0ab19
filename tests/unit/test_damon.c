// SPDX-License-Identifier: GPL-2.0
/* DAMON as a sensor, against a fake sysfs tree in a temporary directory:
 * what it writes, what it reads back, that it leaves someone else's
 * kdamonds alone, and that the session undoes its kdamond. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include "testutil.h"
#include "damon.h"
#include "session.h"

static char root[64];

static void put(const char *rel, const char *text)
{
	char path[512], *p;
	FILE *f;

	snprintf(path, sizeof(path), "%s%s/%s", root, NM_DAMON_ADMIN, rel);
	for (p = path + strlen(root) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static const char *get(const char *rel)
{
	static char buf[128];
	char path[512];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s%s/%s", root, NM_DAMON_ADMIN, rel);
	f = fopen(path, "r");
	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

/* What the kernel shows once nr_kdamonds is 1 (the fake cannot create it). */
static int setup(void **state)
{
	strcpy(root, "/tmp/nm-damon-XXXXXX");
	assert_non_null(mkdtemp(root));
	put("kdamonds/nr_kdamonds", "0\n");
	put("kdamonds/0/state", "off\n");
	put("kdamonds/0/pid", "4242\n");
	put("kdamonds/0/contexts/nr_contexts", "0\n");
	put("kdamonds/0/contexts/0/operations", "paddr\n");
	put("kdamonds/0/contexts/0/monitoring_attrs/intervals/sample_us", "0\n");
	put("kdamonds/0/contexts/0/monitoring_attrs/intervals/aggr_us", "0\n");
	put("kdamonds/0/contexts/0/monitoring_attrs/intervals/update_us", "0\n");
	put("kdamonds/0/contexts/0/monitoring_attrs/nr_regions/min", "0\n");
	put("kdamonds/0/contexts/0/monitoring_attrs/nr_regions/max", "0\n");
	put("kdamonds/0/contexts/0/targets/nr_targets", "0\n");
	put("kdamonds/0/contexts/0/targets/0/pid_target", "0\n");
	put("kdamonds/0/contexts/0/schemes/nr_schemes", "0\n");
	put("kdamonds/0/contexts/0/schemes/0/action", "pageout\n");
	put("kdamonds/0/contexts/0/schemes/0/access_pattern/sz/max", "0\n");
	put("kdamonds/0/contexts/0/schemes/0/access_pattern/nr_accesses/max", "0\n");
	put("kdamonds/0/contexts/0/schemes/0/access_pattern/age/max", "0\n");
	put("kdamonds/0/contexts/0/schemes/0/tried_regions/0/start", "4096\n");
	put("kdamonds/0/contexts/0/schemes/0/tried_regions/0/end", "1052672\n");
	put("kdamonds/0/contexts/0/schemes/0/tried_regions/0/nr_accesses", "20\n");
	put("kdamonds/0/contexts/0/schemes/0/tried_regions/0/age", "3\n");
	put("kdamonds/0/contexts/0/schemes/0/tried_regions/1/start", "1052672\n");
	put("kdamonds/0/contexts/0/schemes/0/tried_regions/1/end", "3149824\n");
	put("kdamonds/0/contexts/0/schemes/0/tried_regions/1/nr_accesses", "0\n");
	put("kdamonds/0/contexts/0/schemes/0/tried_regions/1/age", "57\n");
	return 0;
}

static int teardown(void **state)
{
	char cmd[96];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	assert_int_equal(system(cmd), 0);
	return 0;
}

static void test_start_read_stop(void **state)
{
	struct nm_damon_attrs a;
	struct nm_damon *d;
	struct nm_damon_region *r;
	size_t n;
	char why[256];

	nm_damon_attrs_default(&a);
	assert_int_equal(nm_damon_start(root, 777, &a, &d, why, sizeof(why)), 0);
	assert_string_equal(get("kdamonds/nr_kdamonds"), "1");
	assert_string_equal(get("kdamonds/0/contexts/0/operations"), "vaddr");
	assert_string_equal(get("kdamonds/0/contexts/0/targets/0/pid_target"), "777");
	/* a scheme that acts on nothing: numa-migrate only watches */
	assert_string_equal(get("kdamonds/0/contexts/0/schemes/0/action"), "stat");
	/* the kernel's ranges start at [0, 0], matching no region: opened up */
	assert_string_equal(get("kdamonds/0/contexts/0/schemes/0/access_pattern/sz/max"),
			    "18446744073709551615");
	assert_string_equal(get("kdamonds/0/contexts/0/schemes/0/access_pattern/age/max"),
			    "4294967295");
	assert_string_equal(get("kdamonds/0/contexts/0/monitoring_attrs/intervals/aggr_us"), "100000");
	assert_string_equal(get("kdamonds/0/state"), "on");
	assert_int_equal(nm_damon_pid(d), 4242);

	assert_int_equal(nm_damon_regions(d, &r, &n), 0);
	assert_string_equal(get("kdamonds/0/state"), "update_schemes_tried_regions");
	assert_int_equal(n, 2);
	assert_int_equal(r[0].start, 4096);
	assert_int_equal(r[0].nr_accesses, 20);
	assert_int_equal(r[1].end, 3149824);
	assert_int_equal(r[1].nr_accesses, 0);
	assert_int_equal(r[1].age, 57);
	free(r);

	assert_int_equal(nm_damon_stop(d), 0);
	assert_string_equal(get("kdamonds/0/state"), "off\n");
	assert_string_equal(get("kdamonds/nr_kdamonds"), "0\n");
}

static void test_session_end_removes_it(void **state)
{
	struct nm_damon_attrs a;
	struct nm_damon *d;
	char why[256];

	nm_damon_attrs_default(&a);
	assert_int_equal(nm_damon_start(root, 777, &a, &d, why, sizeof(why)), 0);
	/* an exit path that never called stop: main's session end */
	assert_int_equal(nm_session_end(), 0);
	assert_string_equal(get("kdamonds/0/state"), "off\n");
	assert_string_equal(get("kdamonds/nr_kdamonds"), "0\n");
	free(d);
}

static void test_someone_elses_kdamond_left_alone(void **state)
{
	struct nm_damon_attrs a;
	struct nm_damon *d = NULL;
	char why[256];

	put("kdamonds/nr_kdamonds", "1\n");
	put("kdamonds/0/state", "on\n");
	nm_damon_attrs_default(&a);
	assert_int_equal(nm_damon_start(root, 777, &a, &d, why, sizeof(why)), -EBUSY);
	assert_null(d);
	assert_non_null(strstr(why, "already configured by someone else"));
	assert_string_equal(get("kdamonds/0/state"), "on\n");
	assert_string_equal(get("kdamonds/0/contexts/0/targets/0/pid_target"), "0\n");
}

static void test_no_damon(void **state)
{
	char why[256];

	assert_int_equal(nm_damon_probe("/nonexistent-nm", why, sizeof(why)), -ENOENT);
	assert_non_null(strstr(why, "CONFIG_DAMON_SYSFS"));
}

/* What features lists: a free DAMON, a busy one (left alone), and none. */
static void test_info(void **state)
{
	struct nm_damon_info i;
	char path[256];
	FILE *f;

	nm_damon_info_read(root, &i);
	assert_true(i.present);
	assert_true(i.sysfs);
	assert_int_equal(i.nr_kdamonds, 0);
	assert_int_equal(i.running, 0);
	assert_int_equal(i.first_running_pid, 0);
	assert_int_equal(i.reclaim, -1);
	assert_true(i.usable);
	assert_string_equal(i.why, "");

	put("kdamonds/nr_kdamonds", "1\n");
	put("kdamonds/0/state", "on\n");
	snprintf(path, sizeof(path), "%s/sys/module", root);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/sys/module/damon_reclaim", root);
	mkdir(path, 0755);
	strcat(path, "/parameters");
	mkdir(path, 0755);
	strcat(path, "/enabled");
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("N\n", f);
	fclose(f);
	nm_damon_info_read(root, &i);
	assert_int_equal(i.nr_kdamonds, 1);
	assert_int_equal(i.running, 1);
	assert_int_equal(i.first_running_pid, 4242);
	assert_int_equal(i.reclaim, 0);
	assert_int_equal(i.lru_sort, -1);
	assert_false(i.usable);
	assert_non_null(strstr(i.why, "someone else"));
	/* reading changed nothing */
	assert_string_equal(get("kdamonds/0/state"), "on\n");

	put("kdamonds/0/state", "off\n");
	nm_damon_info_read(root, &i);
	assert_int_equal(i.running, 0);
	assert_false(i.usable);		/* configured, even if off: still someone else's */

	nm_damon_info_read("/nonexistent-nm", &i);
	assert_false(i.present);
	assert_false(i.sysfs);
	assert_int_equal(i.nr_kdamonds, -1);
	assert_false(i.usable);
	assert_non_null(strstr(i.why, "CONFIG_DAMON_SYSFS"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_start_read_stop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_session_end_removes_it, setup, teardown),
		cmocka_unit_test_setup_teardown(test_someone_elses_kdamond_left_alone, setup, teardown),
		cmocka_unit_test(test_no_damon),
		cmocka_unit_test_setup_teardown(test_info, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
