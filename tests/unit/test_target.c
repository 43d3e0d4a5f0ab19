// SPDX-License-Identifier: GPL-2.0
/* Unit tests of userspace/target.c. */
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
#include <unistd.h>
#include <cmocka.h>
#include "target.h"
#include "testutil.h"

static void test_comm(void **state)
{
	char root[PATH_MAX], buf[32], small[3];

	nm_test_fixtures(root, sizeof(root), "root");
	memset(buf, 'x', sizeof(buf));
	assert_int_equal(nm_target_comm(root, 1234, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "app");		/* newline stripped */
	assert_int_equal(nm_target_comm(root, 1234, small, sizeof(small)), 0);
	assert_string_equal(small, "ap");		/* truncated, terminated */
	assert_int_equal(nm_target_comm(root, 999, buf, sizeof(buf)), -ESRCH);
	assert_int_equal(nm_target_comm(root, 1236, buf, sizeof(buf)), -ENOENT);
	assert_int_equal(nm_target_comm(root, 1234, buf, 0), -EINVAL);
}

/* Our own comm through the real /proc matches what the kernel says. */
static void test_comm_self(void **state)
{
	char buf[64], want[64] = "";
	FILE *f = fopen("/proc/self/comm", "r");

	assert_non_null(f);
	assert_non_null(fgets(want, sizeof(want), f));
	fclose(f);
	want[strcspn(want, "\n")] = '\0';
	assert_int_equal(nm_target_comm("", getpid(), buf, sizeof(buf)), 0);
	assert_string_equal(buf, want);
	assert_true(strlen(buf) > 0);
}

static void test_nodes_with_memory(void **state)
{
	struct nm_nodemask m = { 0xff00 };
	char root[PATH_MAX];

	nm_test_fixtures(root, sizeof(root), "root");
	assert_int_equal(nm_nodes_with_memory(root, &m), 0);
	assert_int_equal(m.bits, 0x3);			/* has_memory "0-1" */

	/* No has_memory: "online" ("0,2-3"). */
	nm_test_fixtures(root, sizeof(root), "root-online");
	assert_int_equal(nm_nodes_with_memory(root, &m), 0);
	assert_int_equal(m.bits, 0xd);

	/* Neither (CONFIG_NUMA=n). */
	assert_int_equal(nm_nodes_with_memory("/nonexistent-root", &m), -ENOENT);
}

/* A sysfs node list that is an empty line is an empty mask, not an error;
 * a malformed one is an error. */
static void test_nodes_with_memory_written(void **state)
{
	char dir[] = "/tmp/nm-target-XXXXXX", path[PATH_MAX];
	struct nm_nodemask m = { 0xff };
	const char *sub[] = { "/sys", "/sys/devices", "/sys/devices/system",
			      "/sys/devices/system/node" };
	FILE *f;

	assert_non_null(mkdtemp(dir));
	for (size_t i = 0; i < NM_ARRAY_SIZE(sub); i++) {
		snprintf(path, sizeof(path), "%s%s", dir, sub[i]);
		assert_int_equal(mkdir(path, 0700), 0);
	}
	snprintf(path, sizeof(path), "%s/sys/devices/system/node/has_memory", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("\n", f);
	fclose(f);
	assert_int_equal(nm_nodes_with_memory(dir, &m), 0);
	assert_int_equal(m.bits, 0);

	f = fopen(path, "w");
	assert_non_null(f);
	fputs("0-x\n", f);
	fclose(f);
	assert_int_equal(nm_nodes_with_memory(dir, &m), -EINVAL);

	unlink(path);
	for (size_t i = NM_ARRAY_SIZE(sub); i-- > 0;) {
		snprintf(path, sizeof(path), "%s%s", dir, sub[i]);
		rmdir(path);
	}
	rmdir(dir);
}

static void test_mems_allowed(void **state)
{
	struct nm_nodemask m = { 0 };
	char root[PATH_MAX];

	nm_test_fixtures(root, sizeof(root), "root");
	assert_int_equal(nm_target_mems_allowed(root, 1234, &m), 0);
	assert_int_equal(m.bits, 0x3);
	/* Neither "Mems_allowed:" nor "Mems_allowed_listing:" is the field. */
	assert_int_equal(nm_target_mems_allowed(root, 1235, &m), -ENODATA);
	/* Node 70 does not fit our mask: an error naming it, not a drop. */
	assert_int_equal(nm_target_mems_allowed(root, 1236, &m), -ERANGE);
	assert_int_equal(nm_target_mems_allowed(root, 999, &m), -ESRCH);
}

static void test_mems_allowed_self(void **state)
{
	struct nm_nodemask m = { 0 };

	assert_int_equal(nm_target_mems_allowed("", getpid(), &m), 0);
	assert_true(m.bits != 0);	/* every task may use some node */
}

static void check_fmt(uint64_t bits, const char *want)
{
	struct nm_nodemask m = { bits };
	char buf[256];

	memset(buf, 'x', sizeof(buf));
	assert_ptr_equal(nm_nodemask_fmt(&m, buf, sizeof(buf)), buf);
	if (strcmp(buf, want))
		fail_msg("nm_nodemask_fmt(%#llx) = \"%s\"; want \"%s\"",
			 (unsigned long long)bits, buf, want);
}

static void test_nodemask_fmt(void **state)
{
	struct nm_nodemask m = { 0xb };
	char small[4];

	check_fmt(0, "");
	check_fmt(0x1, "0");
	check_fmt(0x3, "0-1");
	check_fmt(0xb, "0-1,3");
	check_fmt(0x15, "0,2,4");
	check_fmt(0xe, "1-3");
	check_fmt(1ULL << 63, "63");
	check_fmt(UINT64_MAX, "0-63");
	check_fmt(0x5555555555555555ULL, "0,2,4,6,8,10,12,14,16,18,20,22,24,26,28,30,"
		  "32,34,36,38,40,42,44,46,48,50,52,54,56,58,60,62");
	check_fmt((3ULL << 62) | 0x7, "0-2,62-63");

	/* Truncated, terminated. */
	nm_nodemask_fmt(&m, small, sizeof(small));
	assert_string_equal(small, "0-1");
	small[0] = 'q';
	nm_nodemask_fmt(&m, small, 0);
	assert_int_equal(small[0], 'q');
}

/* Whatever our privileges, the answer matches bit 23 of CapEff. */
static void test_cap_sys_nice(void **state)
{
	char line[256];
	unsigned long long eff = 0;
	int found = 0;
	FILE *f = fopen("/proc/self/status", "r");

	assert_non_null(f);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "CapEff: %llx", &eff) == 1)
			found = 1;
	fclose(f);
	assert_true(found);
	assert_int_equal(nm_have_cap_sys_nice(), (eff >> 23) & 1);
}

NM_TEST_MAIN(
	cmocka_unit_test(test_comm),
	cmocka_unit_test(test_comm_self),
	cmocka_unit_test(test_nodes_with_memory),
	cmocka_unit_test(test_nodes_with_memory_written),
	cmocka_unit_test(test_mems_allowed),
	cmocka_unit_test(test_mems_allowed_self),
	cmocka_unit_test(test_nodemask_fmt),
	cmocka_unit_test(test_cap_sys_nice))
