// SPDX-License-Identifier: GPL-2.0
/* Memory block -> node table from a fake sysfs built in a temporary folder. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include "testutil.h"
#include "memblocks.h"

static char root[64];

static void mk(const char *fmt, ...)
{
	char path[256], rel[192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(rel, sizeof(rel), fmt, ap);
	va_end(ap);
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	assert_true(mkdir(path, 0755) == 0 || errno == EEXIST);
}

static void put(const char *rel, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup(void **state)
{
	(void)state;
	snprintf(root, sizeof(root), "/tmp/nm-memblocks-XXXXXX");
	assert_non_null(mkdtemp(root));
	mk("sys");
	mk("sys/devices");
	mk("sys/devices/system");
	mk("sys/devices/system/memory");
	mk("sys/devices/system/node");
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	return system(cmd) ? -1 : 0;
}

struct seen {
	int node[16];
	int calls;
};

static int record(void *ctx, uint64_t block, int node)
{
	struct seen *s = ctx;

	if (block >= 16)
		return -ERANGE;
	s->node[block] = node;
	s->calls++;
	return 0;
}

/* Two nodes; memory_failure and other entries that merely start with
 * "memory" or "node" are not blocks. */
static void test_two_nodes(void **state)
{
	struct seen s;
	uint64_t bytes = 0;

	(void)state;
	memset(&s, 0xff, sizeof(s));
	s.calls = 0;
	put("sys/devices/system/memory/block_size_bytes", "8000000\n");
	mk("sys/devices/system/node/node0");
	mk("sys/devices/system/node/node0/memory0");
	mk("sys/devices/system/node/node0/memory1");
	mk("sys/devices/system/node/node0/memory_failure");
	mk("sys/devices/system/node/node1");
	mk("sys/devices/system/node/node1/memory12");
	mk("sys/devices/system/node/nodefoo");
	put("sys/devices/system/node/possible", "0-1\n");
	assert_int_equal(nm_memblocks_read(root, &bytes, record, &s), 0);
	assert_int_equal(bytes, 128ULL << 20);
	assert_int_equal(s.calls, 3);
	assert_int_equal(s.node[0], 0);
	assert_int_equal(s.node[1], 0);
	assert_int_equal(s.node[12], 1);
	assert_int_equal(s.node[2], -1);
}

/* A callback error stops the walk and comes back. */
static void test_callback_error(void **state)
{
	struct seen s = { 0 };
	uint64_t bytes;

	(void)state;
	put("sys/devices/system/memory/block_size_bytes", "8000000\n");
	mk("sys/devices/system/node/node0");
	mk("sys/devices/system/node/node0/memory99");
	assert_int_equal(nm_memblocks_read(root, &bytes, record, &s), -ERANGE);
}

/* The block size must be a power of two of at least a page, whole string. */
static void test_bad_block_size(void **state)
{
	static const char *bad[] = { "", "zz\n", "1000 x\n", "3000\n", "800\n" };
	uint64_t bytes;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		put("sys/devices/system/memory/block_size_bytes", bad[i]);
		assert_int_equal(nm_memblocks_block_bytes(root, &bytes), -EINVAL);
	}
	put("sys/devices/system/memory/block_size_bytes", "80000000\n");
	assert_int_equal(nm_memblocks_block_bytes(root, &bytes), 0);
	assert_int_equal(bytes, 2ULL << 30);
}

static void test_no_sysfs(void **state)
{
	uint64_t bytes;

	(void)state;
	assert_int_equal(nm_memblocks_block_bytes("/nonexistent-nm-root", &bytes), -ENOENT);
}

NM_TEST_MAIN(
	cmocka_unit_test_setup_teardown(test_two_nodes, setup, teardown),
	cmocka_unit_test_setup_teardown(test_callback_error, setup, teardown),
	cmocka_unit_test_setup_teardown(test_bad_block_size, setup, teardown),
	cmocka_unit_test_setup_teardown(test_no_sysfs, setup, teardown))
