// SPDX-License-Identifier: GPL-2.0
/* Unit tests of userspace/numa_maps.c. */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include "numa_maps.h"
#include "testutil.h"

/* The fake ROOT (testutil.h: $NM_FIXTURES, next to the sources, or
 * repo-relative). */
static const char *fixture_root(char *buf, size_t len)
{
	return nm_test_fixtures(buf, len, "root");
}

/* E is WANT in every field: start, policy, node pages, every counter,
 * kernelpagesize_kB, the heap/stack/huge marks and the file. */
static void assert_entry(const struct nm_numa_maps_entry *e, const struct nm_numa_maps_entry *want)
{
	size_t from = offsetof(struct nm_numa_maps_entry, node_pages);
	size_t to = offsetof(struct nm_numa_maps_entry, heap);

	assert_int_equal(e->start, want->start);
	assert_string_equal(e->policy, want->policy);
	assert_memory_equal((const char *)e + from, (const char *)want + from, to - from);
	assert_int_equal(e->heap, want->heap);
	assert_int_equal(e->stack, want->stack);
	assert_int_equal(e->huge, want->huge);
	if (want->file)
		assert_string_equal(e->file, want->file);
	else
		assert_null(e->file);
}

static void test_anon(void **state)
{
	const struct nm_numa_maps_entry want = {
		.start = 0x7f3a2c000000, .policy = "default", .anon = 131072, .dirty = 131072,
		.node_pages = { [0] = 131072 }, .kernelpagesize_kb = 4,
	};
	struct nm_numa_maps_entry e;

	assert_int_equal(nm_numa_maps_parse_line("7f3a2c000000 default anon=131072 dirty=131072"
		" active=0 N0=131072 kernelpagesize_kB=4", &e), 0);
	assert_entry(&e, &want);
	assert_int_equal(nm_numa_maps_entry_total(&e), 131072);
}

static void test_heap_stack(void **state)
{
	struct nm_numa_maps_entry e;

	assert_int_equal(nm_numa_maps_parse_line(
		"55d0c0a00000 default heap anon=3 dirty=3 N0=3 kernelpagesize_kB=4\n", &e), 0);
	assert_int_equal(e.start, 0x55d0c0a00000);
	assert_int_equal(e.heap, 1);
	assert_int_equal(e.stack, 0);
	assert_int_equal(e.anon, 3);
	assert_int_equal(nm_numa_maps_entry_total(&e), 3);

	assert_int_equal(nm_numa_maps_parse_line(
		"7ffd1c000000 default stack anon=5 dirty=5 N0=5 kernelpagesize_kB=4", &e), 0);
	assert_int_equal(e.stack, 1);
	assert_int_equal(e.heap, 0);
	assert_int_equal(e.node_pages[0], 5);
}

/* file= lines: each parsed alone and checked whole (assert_entry), and its
 * total where the case names one. */
static const struct file_case {
	const char *line;
	struct nm_numa_maps_entry want;
	uint64_t total;		/* nm_numa_maps_entry_total, or 0: not checked */
} file_cases[] = {
	{ "7f3a50000000 default file=/usr/lib/x86_64-linux-gnu/libc.so.6"
	  " mapped=40 mapmax=30 N0=40 kernelpagesize_kB=4",
	  { .start = 0x7f3a50000000, .policy = "default", .mapped = 40, .mapmax = 30,
	    .node_pages = { [0] = 40 }, .kernelpagesize_kb = 4,
	    .file = "/usr/lib/x86_64-linux-gnu/libc.so.6" }, 0 },
	/* A path with spaces runs to the first known key... */
	{ "7f3a60000000 interleave:0-1 file=/tmp/my  data file (deleted)"
	  " dirty=256 N0=128 N1=128 kernelpagesize_kB=4",
	  { .start = 0x7f3a60000000, .policy = "interleave:0-1", .dirty = 256,
	    .node_pages = { [0] = 128, [1] = 128 }, .kernelpagesize_kb = 4,
	    .file = "/tmp/my  data file (deleted)" }, 256 },
	/* ... or to "huge", an N<node>=, or the end of the line. */
	{ "1000 default file=/a b huge anon=1 N0=1",
	  { .start = 0x1000, .policy = "default", .huge = 1, .anon = 1, .node_pages = { [0] = 1 },
	    .file = "/a b" }, 0 },
	{ "1000 default file=/a b N3=7",
	  { .start = 0x1000, .policy = "default", .node_pages = { [3] = 7 }, .file = "/a b" }, 0 },
	/* unknown keys belong to the path */
	{ "1000 default file=/a b x=y\n",
	  { .start = 0x1000, .policy = "default", .file = "/a b x=y" }, 0 },
	/* The kernel's own escape of a space is kept verbatim. */
	{ "7f3a70000000 prefer:0 file=/anon_hugepage\\040(deleted)"
	  " huge anon=4 dirty=4 N0=4 kernelpagesize_kB=2048",
	  { .start = 0x7f3a70000000, .policy = "prefer:0", .huge = 1, .anon = 4, .dirty = 4,
	    .node_pages = { [0] = 4 }, .kernelpagesize_kb = 2048,
	    .file = "/anon_hugepage\\040(deleted)" }, 0 },
};

static void test_file(void **state)
{
	for (size_t i = 0; i < sizeof(file_cases) / sizeof(file_cases[0]); i++) {
		const struct file_case *c = &file_cases[i];
		struct nm_numa_maps_entry e;

		assert_int_equal(nm_numa_maps_parse_line(c->line, &e), 0);
		assert_entry(&e, &c->want);
		if (c->total)
			assert_int_equal(nm_numa_maps_entry_total(&e), c->total);
		free(e.file);
	}
}

static void test_policies(void **state)
{
	static const struct {
		const char *line, *policy;
	} cases[] = {
		{ "1000 bind:1 anon=1 N1=1", "bind:1" },
		{ "1000 prefer:0", "prefer:0" },
		{ "1000 interleave:0-1 anon=2", "interleave:0-1" },
		{ "1000 local", "local" },
		{ "1000 bind=static:0-3 anon=1", "bind=static:0-3" },
		{ "1000 interleave=relative|balancing:0,2", "interleave=relative|balancing:0,2" },
		/* The two names with a space in them (mm/mempolicy.c). */
		{ "1000 weighted interleave:0-1 anon=1 N0=1", "weighted interleave:0-1" },
		{ "1000 prefer (many):0-1 anon=1", "prefer (many):0-1" },
		{ "1000 prefer (many)=static:2", "prefer (many)=static:2" },
		/* Too long for the field: truncated, like the kernel's buffer. */
		{ "1000 bind:0,2,4,6,8,10,12,14,16,18,20,22,24,26,28,30,32,34,36,38,40,"
		  "42,44,46,48,50,52,54,56,58,60,62 anon=1",
		  "bind:0,2,4,6,8,10,12,14,16,18,20,22,24,26,28,30,32,34,36,38,40," },
	};
	struct nm_numa_maps_entry e;

	for (size_t i = 0; i < NM_ARRAY_SIZE(cases); i++) {
		int rc = nm_numa_maps_parse_line(cases[i].line, &e);

		if (rc || strcmp(e.policy, cases[i].policy))
			fail_msg("\"%s\": rc %d policy \"%s\"; want \"%s\"", cases[i].line,
				 rc, rc ? "" : e.policy, cases[i].policy);
	}
}

static void test_counters(void **state)
{
	struct nm_numa_maps_entry e;

	assert_int_equal(nm_numa_maps_parse_line("1000 default anon=1 dirty=2 mapped=3 mapmax=4"
		" swapcache=5 active=6 writeback=7 unevictable=8 N0=9 N63=10"
		" kernelpagesize_kB=64", &e), 0);
	assert_int_equal(e.anon, 1);
	assert_int_equal(e.dirty, 2);
	assert_int_equal(e.mapped, 3);
	assert_int_equal(e.mapmax, 4);
	assert_int_equal(e.swapcache, 5);
	assert_int_equal(e.active, 6);
	assert_int_equal(e.writeback, 7);
	assert_int_equal(e.unevictable, 8);
	assert_int_equal(e.node_pages[0], 9);
	assert_int_equal(e.node_pages[63], 10);
	assert_int_equal(e.kernelpagesize_kb, 64);
	assert_int_equal(nm_numa_maps_entry_total(&e), 19);

	/* No counters at all: an unpopulated mapping. */
	assert_int_equal(nm_numa_maps_parse_line("7f3a4c000000 default", &e), 0);
	assert_int_equal(e.kernelpagesize_kb, 0);
	assert_int_equal(nm_numa_maps_entry_total(&e), 0);

	/* Forward compatible: unknown tokens and keys are ignored. */
	assert_int_equal(nm_numa_maps_parse_line("1000 default shiny anon=2 future=x"
		" N=4 Nx=5 other=99999999999999999999999 N0=2", &e), 0);
	assert_int_equal(e.anon, 2);
	assert_int_equal(e.node_pages[0], 2);
	assert_int_equal(nm_numa_maps_entry_total(&e), 2);

	/* Uppercase hex in the address, extra spaces between tokens. */
	assert_int_equal(nm_numa_maps_parse_line("7F00  default  anon=1", &e), 0);
	assert_int_equal(e.start, 0x7f00);
	assert_int_equal(e.anon, 1);

	/* A total that would overflow saturates. */
	assert_int_equal(nm_numa_maps_parse_line("1000 default N0=18446744073709551615 N1=1", &e), 0);
	assert_int_equal(nm_numa_maps_entry_total(&e), UINT64_MAX);
}

static void check_bad(const char *line, int want)
{
	struct nm_numa_maps_entry e;
	int rc = nm_numa_maps_parse_line(line, &e);

	if (rc != want)
		fail_msg("nm_numa_maps_parse_line(\"%s\") = %d, want %d", line, rc, want);
	if (rc == 0)
		free(e.file);
}

static void test_bad(void **state)
{
	check_bad("", -EINVAL);
	check_bad("\n", -EINVAL);
	check_bad("7f3a2c000000", -EINVAL);		/* truncated: no policy */
	check_bad("7f3a2c000000 ", -EINVAL);
	check_bad(" 7f3a2c000000 default", -EINVAL);
	check_bad("0x7f3a2c000000 default", -EINVAL);
	check_bad("-7f3a2c000000 default", -EINVAL);
	check_bad("xyz default", -EINVAL);
	check_bad("7f3a2c000000x default", -EINVAL);
	check_bad("10000000000000000 default", -EINVAL);	/* 17 hex digits */
	check_bad("1000 default anon=", -EINVAL);
	check_bad("1000 default anon=12x", -EINVAL);
	check_bad("1000 default anon=-1", -EINVAL);
	check_bad("1000 default anon=+1", -EINVAL);
	check_bad("1000 default anon=0x10", -EINVAL);
	check_bad("1000 default dirty=1.5", -EINVAL);
	check_bad("1000 default kernelpagesize_kB=four", -EINVAL);
	check_bad("1000 default N0=", -EINVAL);
	check_bad("1000 default N0=x", -EINVAL);
	check_bad("1000 default N0=-3", -EINVAL);
	check_bad("1000 default file=", -EINVAL);
	check_bad("1000 default file= anon=1", -EINVAL);
	check_bad("1000 default anon=1\n2000 default", -EINVAL);
	check_bad("1000 default anon=99999999999999999999", -ERANGE);
	check_bad("1000 default N64=1", -ERANGE);
	check_bad("1000 default N1000=1", -ERANGE);
	check_bad("1000 default N99999999999999999999=1", -ERANGE);
	check_bad("1000 default N0=99999999999999999999", -ERANGE);
	assert_int_equal(nm_numa_maps_parse_line(NULL, &(struct nm_numa_maps_entry){ 0 }), -EINVAL);
}

static void test_parse_text_and_find(void **state)
{
	struct nm_numa_maps m;
	const struct nm_numa_maps_entry *e;
	size_t bad = 0;

	assert_int_equal(nm_numa_maps_parse("1000 default anon=1 N0=1\n"
					    "3000 bind:1 file=/x y N1=2\n"
					    "5000 default stack anon=3 N1=3", &m, &bad), 0);
	assert_int_equal(m.n, 3);
	e = nm_numa_maps_find(&m, 0x3000);
	assert_non_null(e);
	assert_ptr_equal(e, &m.e[1]);
	assert_string_equal(e->file, "/x y");
	assert_int_equal(e->node_pages[1], 2);
	assert_null(nm_numa_maps_find(&m, 0x2000));
	assert_int_equal(nm_numa_maps_find(&m, 0x5000)->stack, 1);
	nm_numa_maps_free(&m);
	assert_null(m.e);
	assert_int_equal(m.n, 0);

	assert_int_equal(nm_numa_maps_parse("1000 default anon=1\n2000 default N77=1\n",
					    &m, &bad), -ERANGE);
	assert_int_equal(bad, 2);
	assert_int_equal(m.n, 0);
	assert_int_equal(nm_numa_maps_parse("1000 default\n\n", &m, &bad), -EINVAL);
	assert_int_equal(bad, 2);
	assert_int_equal(nm_numa_maps_parse("", &m, &bad), 0);
	assert_int_equal(m.n, 0);
	nm_numa_maps_free(&m);

	/* out of address order (no kernel prints it, but a fixture could):
	 * found all the same, and the first and last entries too */
	assert_int_equal(nm_numa_maps_parse("5000 default N0=5\n1000 default N0=1\n"
					    "3000 default N0=3\n", &m, &bad), 0);
	assert_int_equal(nm_numa_maps_find(&m, 0x1000)->node_pages[0], 1);
	assert_int_equal(nm_numa_maps_find(&m, 0x3000)->node_pages[0], 3);
	assert_int_equal(nm_numa_maps_find(&m, 0x5000)->node_pages[0], 5);
	assert_null(nm_numa_maps_find(&m, 0x6000));
	assert_null(nm_numa_maps_find(&m, 0));
	nm_numa_maps_free(&m);
}

static void test_read_fixture(void **state)
{
	struct nm_numa_maps m;
	const struct nm_numa_maps_entry *e;
	char root[PATH_MAX];

	fixture_root(root, sizeof(root));
	assert_int_equal(nm_numa_maps_read(root, 1234, &m), 0);
	assert_int_equal(m.n, 13);

	e = nm_numa_maps_find(&m, 0x7f3a2c000000);
	assert_non_null(e);
	assert_int_equal(e->node_pages[0], 65536);
	assert_int_equal(e->node_pages[1], 65536);
	assert_int_equal(nm_numa_maps_entry_total(e), 131072);

	e = nm_numa_maps_find(&m, 0x7f3a4c001000);
	assert_non_null(e);
	assert_string_equal(e->policy, "bind:1");
	assert_int_equal(e->node_pages[1], 2048);

	e = nm_numa_maps_find(&m, 0x7f3a60000000);
	assert_non_null(e);
	assert_string_equal(e->file, "/tmp/my data file (deleted)");
	assert_int_equal(e->swapcache, 3);
	assert_int_equal(e->writeback, 1);

	e = nm_numa_maps_find(&m, 0x55d0c0a00000);
	assert_non_null(e);
	assert_int_equal(e->heap, 1);
	nm_numa_maps_free(&m);
}

static int read_numa_maps(const char *root, pid_t pid, void *out)
{
	return nm_numa_maps_read(root, pid, out);
}

static void test_read_errors(void **state)
{
	struct nm_numa_maps m;

	assert_fixture_read_errors(read_numa_maps, &m);	/* 1236: anon=12x */
	assert_int_equal(m.n, 0);
}

/* Our own numa_maps, when the kernel has NUMA: every line parses. */
static void test_read_self(void **state)
{
	struct nm_numa_maps m;
	int rc = nm_numa_maps_read("", getpid(), &m);

	if (rc == -ENOENT)
		skip();		/* CONFIG_NUMA=n */
	assert_int_equal(rc, 0);
	assert_true(m.n > 3);
	nm_numa_maps_free(&m);
}

struct streamed {
	int ready_calls, lines;
	uint64_t first_start, n0;
};

static int count_entry(void *ctx, const struct nm_numa_maps_entry *e)
{
	struct streamed *st = ctx;

	if (!st->lines++)
		st->first_start = e->start;
	st->n0 += e->node_pages[0];
	return 0;
}

/* READY gets the caller's context, not the reader's own */
static int streamed_ready(void *ctx, bool block)
{
	struct streamed *st = ctx;

	st->ready_calls++;
	return block || st->ready_calls > 1;
}

/* Streaming gives the entries nm_numa_maps_read keeps, with or without a
 * READY gate. */
static void test_each_streams_entries(void **state)
{
	struct nm_numa_maps m;
	struct streamed a = { 0 }, b = { 0 };
	char root[PATH_MAX];
	uint64_t n0 = 0;

	fixture_root(root, sizeof(root));
	assert_int_equal(nm_numa_maps_read(root, 1234, &m), 0);
	for (size_t i = 0; i < m.n; i++)
		n0 += m.e[i].node_pages[0];
	assert_int_equal(nm_numa_maps_each(root, 1234, count_entry, &a, NULL), 0);
	assert_int_equal(nm_numa_maps_each(root, 1234, count_entry, &b, streamed_ready), 0);
	assert_int_equal(a.lines, m.n);
	assert_int_equal(b.lines, m.n);
	assert_int_equal(a.first_start, m.e[0].start);
	assert_int_equal(b.n0, n0);
	assert_int_equal(a.ready_calls, 0);
	assert_true(b.ready_calls >= 1);
	assert_int_equal(nm_numa_maps_each(root, 999, count_entry, &a, NULL), -ESRCH);
	nm_numa_maps_free(&m);
}

/* A streamed line is parsed in place with no allocation: no path kept. */
static int no_file(void *ctx, const struct nm_numa_maps_entry *e)
{
	size_t *files = ctx;

	*files += e->file != NULL;
	return 0;
}

static void test_each_keeps_no_path(void **state)
{
	char root[PATH_MAX];
	size_t files = 0;
	struct nm_numa_maps m;
	size_t with_path = 0;

	fixture_root(root, sizeof(root));
	assert_int_equal(nm_numa_maps_read(root, 1234, &m), 0);
	for (size_t i = 0; i < m.n; i++)
		with_path += m.e[i].file != NULL;
	assert_true(with_path > 0);	/* the fixture has file= lines */
	assert_int_equal(nm_numa_maps_each(root, 1234, no_file, &files, NULL), 0);
	assert_int_equal(files, 0);
	nm_numa_maps_free(&m);
	(void)state;
}

/* Pages by node in base pages: hugetlb lines count in their page size. */
static void test_entry_pages(void **state)
{
	struct nm_numa_maps_entry e;
	uint64_t node[NM_MAX_NODES] = { 0 };

	assert_int_equal(nm_numa_maps_parse_line("7f0000000000 default anon=3 N0=1 N2=2 "
						 "kernelpagesize_kB=4", &e), 0);
	assert_int_equal(nm_numa_maps_entry_pages(&e, 4096, node), 3);
	assert_int_equal(nm_numa_maps_parse_line("7f0000200000 default file=/h huge "
						 "dirty=1 N1=1 kernelpagesize_kB=2048", &e), 0);
	assert_int_equal(nm_numa_maps_entry_pages(&e, 4096, node), 512);
	free(e.file);
	assert_int_equal(node[0], 1);
	assert_int_equal(node[1], 512);
	assert_int_equal(node[2], 2);
	assert_int_equal(node[3], 0);
	(void)state;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_anon),
		cmocka_unit_test(test_heap_stack),
		cmocka_unit_test(test_file),
		cmocka_unit_test(test_policies),
		cmocka_unit_test(test_counters),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_parse_text_and_find),
		cmocka_unit_test(test_read_fixture),
		cmocka_unit_test(test_read_errors),
		cmocka_unit_test(test_read_self),
		cmocka_unit_test(test_each_streams_entries),
		cmocka_unit_test(test_each_keeps_no_path),
		cmocka_unit_test(test_entry_pages),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
