// SPDX-License-Identifier: GPL-2.0
/* Unit tests of userspace/range.c. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "testutil.h"
#include "range.h"

#define PS 4096ULL

/* The same process as tests/unit/fixtures/root/proc/1234/maps; the index
 * of each line is what nm_range.vma refers to. */
static const char maps_text[] =
	/*  0 */ "55d0c09ff000-55d0c0a00000 r--p 00000000 fd:01 1048601 /usr/bin/app\n"
	/*  1 */ "55d0c0a00000-55d0c0a21000 rw-p 00000000 00:00 0 [heap]\n"
	/*  2 */ "7f3a2c000000-7f3a4c000000 rw-p 00000000 00:00 0 \n"
	/*  3 */ "7f3a4c000000-7f3a4c001000 ---p 00000000 00:00 0 \n"
	/*  4 */ "7f3a4c001000-7f3a4c801000 rw-p 00000000 00:00 0 [anon:worker arena]\n"
	/*  5 */ "7f3a50000000-7f3a50028000 r--p 00000000 fd:01 2097300 /usr/lib/x86_64-linux-gnu/libc.so.6\n"
	/*  6 */ "7f3a50028000-7f3a501bd000 r-xp 00028000 fd:01 2097300 /usr/lib/x86_64-linux-gnu/libc.so.6\n"
	/*  7 */ "7f3a501bd000-7f3a501be000 ---p 001bd000 fd:01 2097300 /usr/lib/x86_64-linux-gnu/libc.so.6\n"
	/*  8 */ "7f3a60000000-7f3a60100000 rw-s 00000000 00:05 4242 /tmp/my data file (deleted)\n"
	/*  9 */ "7f3a70000000-7f3a70800000 rw-p 00000000 00:0f 77 /anon_hugepage (deleted)\n"
	/* 10 */ "7ffd1c000000-7ffd1c021000 rw-p 00000000 00:00 0 [stack]\n"
	/* 11 */ "7ffd1c1f0000-7ffd1c1f4000 r--p 00000000 00:00 0 [vvar]\n"
	/* 12 */ "7ffd1c1f4000-7ffd1c1f6000 r-xp 00000000 00:00 0 [vdso]\n"
	/* 13 */ "ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0 [vsyscall]\n";

static struct nm_vma_list load(const char *text)
{
	struct nm_vma_list l;

	assert_int_equal(nm_maps_parse(text, &l, NULL), 0);
	return l;
}

static struct nm_range_spec spec_of(const char *s)
{
	struct nm_range_spec spec;
	char err[256];

	if (nm_range_spec_parse(s, &spec, err, sizeof(err)))
		fail_msg("nm_range_spec_parse(\"%s\"): %s", s, err);
	return spec;
}

/* Resolves TEXT against L with PAGE_SIZE into *R, which must succeed. */
static void resolve(const struct nm_vma_list *l, const char *text, uint64_t page_size,
		    struct nm_range_list *r)
{
	struct nm_range_spec spec = spec_of(text);
	char err[256];

	if (nm_range_resolve(&spec, l, page_size, r, err, sizeof(err)))
		fail_msg("resolving '%s': %s", text, err);
}

/* R's piece count N, its PAGES, and whether it was ROUNDED and CLAMPED;
 * ANY leaves one unchecked. Fails at the caller's line. */
#define ANY (-1LL)
#define COUNTS(r, n, pages, rounded, clamped)					\
	assert_counts_((r), (n), (pages), (rounded), (clamped), __FILE__, __LINE__)

static void assert_counts_(const struct nm_range_list *r, long long n, long long pages,
			   long long rounded, long long clamped, const char *file, int line)
{
	const long long got[] = { (long long)r->n, (long long)r->pages, r->rounded, r->clamped };
	const long long want[] = { n, pages, rounded, clamped };
	static const char *const what[] = { "pieces", "pages", "rounded", "clamped" };

	for (int i = 0; i < 4; i++)
		if (want[i] != ANY && got[i] != want[i])
			fail_msg_at(file, line, "%s: %lld, want %lld", what[i], got[i], want[i]);
}

static void assert_piece(const struct nm_range_list *r, size_t i, uint64_t start,
			 uint64_t end, size_t vma)
{
	assert_true(i < r->n);
	assert_int_equal(r->r[i].start, start);
	assert_int_equal(r->r[i].end, end);
	assert_int_equal(r->r[i].vma, vma);
}

/* ---- parsing --------------------------------------------------------------- */

static void test_spec_good(void **state)
{
	struct nm_range_spec s;

	s = spec_of("0x1000-0x2000");
	assert_int_equal(s.kind, NM_RSPEC_ABS);
	assert_int_equal(s.start, 0x1000);
	assert_int_equal(s.end, 0x2000);
	assert_string_equal(s.text, "0x1000-0x2000");

	s = spec_of("4096+4K");
	assert_int_equal(s.kind, NM_RSPEC_ABS);
	assert_int_equal(s.start, 4096);
	assert_int_equal(s.end, 8192);

	s = spec_of("1M-2M");
	assert_int_equal(s.start, 1 << 20);
	assert_int_equal(s.end, 2 << 20);

	s = spec_of("0x7f3a2c000001-0x7f3a2c001fff");	/* unrounded as given */
	assert_int_equal(s.start, 0x7f3a2c000001);
	assert_int_equal(s.end, 0x7f3a2c001fff);

	s = spec_of("0xffffffffffffe000+0x1fff");	/* ends at 2^64 - 1 */
	assert_int_equal(s.end, UINT64_MAX);

	assert_int_equal(spec_of("heap").kind, NM_RSPEC_HEAP);
	assert_int_equal(spec_of("stack").kind, NM_RSPEC_STACK);
	assert_int_equal(spec_of("anon").kind, NM_RSPEC_ANON);

	s = spec_of("/usr/lib/x86_64-linux-gnu/libc.so.6");
	assert_int_equal(s.kind, NM_RSPEC_PATH);
	assert_string_equal(s.path, "/usr/lib/x86_64-linux-gnu/libc.so.6");

	s = spec_of("/tmp/a-b+c d");		/* '-' and '+' inside a path */
	assert_int_equal(s.kind, NM_RSPEC_PATH);
	assert_string_equal(s.path, "/tmp/a-b+c d");

	s = spec_of("512M");
	assert_int_equal(s.kind, NM_RSPEC_SIZE);
	assert_int_equal(s.size, 512ULL << 20);
	assert_string_equal(s.text, "512M");

	s = spec_of("0x1000");
	assert_int_equal(s.kind, NM_RSPEC_SIZE);
	assert_int_equal(s.size, 0x1000);
}

static void check_spec_bad(const char *in, const char *want_err)
{
	struct nm_range_spec s;
	char err[256] = "unchanged";
	int rc = nm_range_spec_parse(in, &s, err, sizeof(err));

	if (rc != -EINVAL || strcmp(err, want_err))
		fail_msg("nm_range_spec_parse(\"%s\") = %d \"%s\"; want -EINVAL \"%s\"",
			 in, rc, err, want_err);
}

#define NOT_A_NUMBER "not a number (decimal or 0x hex, optional K/M/G suffix)"
#define EXPECTED "expected START-END, START+LEN, SIZE, heap, stack, anon or /path"

static void test_spec_bad(void **state)
{
	char toolong[5000];

	check_spec_bad("", "invalid range '': empty");
	check_spec_bad("12-4", "invalid range '12-4': END must be above START");
	check_spec_bad("4-4", "invalid range '4-4': END must be above START");
	check_spec_bad("0x1000+0", "invalid range '0x1000+0': LEN must be above 0");
	check_spec_bad("0xffffffffffffffff+1",
		       "invalid range '0xffffffffffffffff+1': START+LEN is beyond the address space");
	check_spec_bad("0", "invalid range '0': SIZE must be above 0");
	check_spec_bad("0K", "invalid range '0K': SIZE must be above 0");
	check_spec_bad("heapx", "invalid range 'heapx': " EXPECTED);
	check_spec_bad("Heap", "invalid range 'Heap': " EXPECTED);
	check_spec_bad("relative/path", "invalid range 'relative/path': " EXPECTED);
	check_spec_bad(" 1M", "invalid range ' 1M': " EXPECTED);
	check_spec_bad("1.5M", "invalid range '1.5M': " EXPECTED);
	check_spec_bad("99999999999999999999",
		       "invalid range '99999999999999999999': SIZE is too large for 64 bits");
	check_spec_bad("-4", "invalid range '-4': START '' is " NOT_A_NUMBER);
	check_spec_bad("+4", "invalid range '+4': START '' is " NOT_A_NUMBER);
	check_spec_bad("1-", "invalid range '1-': END '' is " NOT_A_NUMBER);
	check_spec_bad("1+", "invalid range '1+': LEN '' is " NOT_A_NUMBER);
	check_spec_bad("1-2-3", "invalid range '1-2-3': END '2-3' is " NOT_A_NUMBER);
	check_spec_bad("1 - 2", "invalid range '1 - 2': START '1 ' is " NOT_A_NUMBER);
	check_spec_bad("0x1000-heap", "invalid range '0x1000-heap': END 'heap' is " NOT_A_NUMBER);
	check_spec_bad("1-99999999999999999999", "invalid range '1-99999999999999999999': "
		       "END '99999999999999999999' is too large for 64 bits");

	memset(toolong, '1', sizeof(toolong) - 1);
	toolong[sizeof(toolong) - 1] = '\0';
	check_spec_bad(toolong, "invalid range '...': longer than 4159 characters");
}

/* A path one character too long for spec.path: message names the limit. */
static void test_spec_long_path(void **state)
{
	struct nm_range_spec s;
	char path[4097], err[8192];

	path[0] = '/';
	memset(path + 1, 'a', sizeof(path) - 2);
	path[sizeof(path) - 1] = '\0';
	assert_int_equal(nm_range_spec_parse(path, &s, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "': path longer than 4095 characters"));
	path[4095] = '\0';			/* 4095: fits */
	assert_int_equal(nm_range_spec_parse(path, &s, err, sizeof(err)), 0);
	assert_int_equal(s.kind, NM_RSPEC_PATH);
	assert_string_equal(err, "");

	/* No room for a message: still an error, nothing written. */
	assert_int_equal(nm_range_spec_parse("12-4", &s, NULL, 0), -EINVAL);
	assert_int_equal(nm_range_spec_parse(NULL, &s, err, sizeof(err)), -EINVAL);
}

/* ---- resolution ------------------------------------------------------------ */

static void test_all(void **state)
{
	struct nm_vma_list l = load(maps_text);
	struct nm_range_spec spec = { .kind = NM_RSPEC_ALL };
	struct nm_range_list r;
	char err[256];

	assert_int_equal(nm_range_resolve(&spec, &l, PS, &r, err, sizeof(err)), 0);
	assert_string_equal(err, "");
	/* Not 3 (guard), 7 (libc guard), 11-13 ([vvar], [vdso], [vsyscall]). */
	COUNTS(&r, 9, 1 + 33 + 131072 + 2048 + 40 + 405 + 256 + 2048 + 33, 0, 0);
	assert_piece(&r, 0, 0x55d0c09ff000, 0x55d0c0a00000, 0);
	assert_piece(&r, 1, 0x55d0c0a00000, 0x55d0c0a21000, 1);
	assert_piece(&r, 2, 0x7f3a2c000000, 0x7f3a4c000000, 2);
	assert_piece(&r, 3, 0x7f3a4c001000, 0x7f3a4c801000, 4);
	assert_piece(&r, 4, 0x7f3a50000000, 0x7f3a50028000, 5);
	assert_piece(&r, 5, 0x7f3a50028000, 0x7f3a501bd000, 6);
	assert_piece(&r, 6, 0x7f3a60000000, 0x7f3a60100000, 8);
	assert_piece(&r, 7, 0x7f3a70000000, 0x7f3a70800000, 9);
	assert_piece(&r, 8, 0x7ffd1c000000, 0x7ffd1c021000, 10);
	nm_range_list_free(&r);
	assert_null(r.r);
	assert_int_equal(r.n, 0);
	nm_vma_list_free(&l);
}

static void test_abs_rounding(void **state)
{
	struct nm_vma_list l = load(maps_text);
	struct nm_range_list r;

	resolve(&l, "0x7f3a2c000001-0x7f3a2c001fff", PS, &r);
	COUNTS(&r, 1, 2, 1, ANY);
	assert_piece(&r, 0, 0x7f3a2c000000, 0x7f3a2c002000, 2);
	assert_int_equal(r.req_start, 0x7f3a2c000001);
	assert_int_equal(r.req_end, 0x7f3a2c001fff);
	assert_int_equal(r.round_start, 0x7f3a2c000000);
	assert_int_equal(r.round_end, 0x7f3a2c002000);
	nm_range_list_free(&r);

	/* Only START, or only END, off a page boundary: still rounded. */
	resolve(&l, "0x7f3a2c000800-0x7f3a2c002000", PS, &r);
	assert_piece(&r, 0, 0x7f3a2c000000, 0x7f3a2c002000, 2);
	assert_int_equal(r.round_end, r.req_end);
	assert_int_equal(r.rounded, 1);
	nm_range_list_free(&r);
	resolve(&l, "0x7f3a2c000000-0x7f3a2c001001", PS, &r);
	assert_piece(&r, 0, 0x7f3a2c000000, 0x7f3a2c002000, 2);
	assert_int_equal(r.round_start, r.req_start);
	assert_int_equal(r.rounded, 1);
	nm_range_list_free(&r);

	/* Aligned: nothing to report. */
	resolve(&l, "0x7f3a2c000000+8K", PS, &r);
	COUNTS(&r, ANY, 2, 0, ANY);
	assert_int_equal(r.round_start, 0x7f3a2c000000);
	assert_int_equal(r.round_end, 0x7f3a2c002000);
	nm_range_list_free(&r);

	/* Rounding with 2 MiB pages. */
	resolve(&l, "0x7f3a2c000000+1", 2ULL << 20, &r);
	assert_piece(&r, 0, 0x7f3a2c000000, 0x7f3a2c200000, 2);
	COUNTS(&r, ANY, 1, 1, ANY);
	nm_range_list_free(&r);
	nm_vma_list_free(&l);
}

static void test_abs_spanning(void **state)
{
	struct nm_vma_list l = load(maps_text);
	struct nm_range_list r;

	/* One piece per mapping, the guard page between them skipped. */
	resolve(&l, "0x7f3a4bfff000-0x7f3a4c002000", PS, &r);
	COUNTS(&r, 2, 2, ANY, ANY);
	assert_piece(&r, 0, 0x7f3a4bfff000, 0x7f3a4c000000, 2);
	assert_piece(&r, 1, 0x7f3a4c001000, 0x7f3a4c002000, 4);
	nm_range_list_free(&r);

	/* Up to the top of the address space: rounding END saturates. */
	resolve(&l, "0x7ffd1c020000-0xffffffffffffffff", PS, &r);
	assert_int_equal(r.n, 1);			/* [stack]; not vvar/vdso/vsyscall */
	assert_piece(&r, 0, 0x7ffd1c020000, 0x7ffd1c021000, 10);
	assert_int_equal(r.round_end, 0xfffffffffffff000ULL);
	assert_int_equal(r.rounded, 1);
	nm_range_list_free(&r);

	/* Whole libc: its ---p piece is left out. */
	resolve(&l, "0x7f3a50000000-0x7f3a501be000", PS, &r);
	assert_int_equal(r.n, 2);
	assert_piece(&r, 1, 0x7f3a50028000, 0x7f3a501bd000, 6);
	nm_range_list_free(&r);
	nm_vma_list_free(&l);
}

static void check_enoent(const char *text, const char *in, const char *want)
{
	struct nm_vma_list l = load(text);
	struct nm_range_spec spec = spec_of(in);
	struct nm_range_list r;
	char err[256] = "unchanged";
	int rc = nm_range_resolve(&spec, &l, PS, &r, err, sizeof(err));

	if (rc != -ENOENT || strcmp(err, want))
		fail_msg("resolve(\"%s\") = %d \"%s\"; want -ENOENT \"%s\"", in, rc, err, want);
	assert_int_equal(r.n, 0);
	assert_null(r.r);
	nm_vma_list_free(&l);
}

static void test_abs_nothing(void **state)
{
	check_enoent(maps_text, "0x1000-0x2000",
		     "range 0x1000-0x2000 covers no migratable mapping of the process");
	/* Only the guard page. */
	check_enoent(maps_text, "0x7f3a4c000000+4K",
		     "range 0x7f3a4c000000-0x7f3a4c001000 covers no migratable mapping of the process");
	/* [vvar] and [vdso]. */
	check_enoent(maps_text, "0x7ffd1c1f0000-0x7ffd1c1f6000",
		     "range 0x7ffd1c1f0000-0x7ffd1c1f6000 covers no migratable mapping of the process");
	/* [vsyscall]. */
	check_enoent(maps_text, "0xffffffffff600000+1",
		     "range 0xffffffffff600000-0xffffffffff600001 covers no migratable mapping of the process");
}

static void test_kinds(void **state)
{
	struct nm_vma_list l = load(maps_text);
	struct nm_range_list r;

	resolve(&l, "heap", PS, &r);
	COUNTS(&r, 1, 33, ANY, ANY);
	assert_piece(&r, 0, 0x55d0c0a00000, 0x55d0c0a21000, 1);
	nm_range_list_free(&r);

	resolve(&l, "stack", PS, &r);
	assert_int_equal(r.n, 1);
	assert_piece(&r, 0, 0x7ffd1c000000, 0x7ffd1c021000, 10);
	nm_range_list_free(&r);

	/* Unnamed and [anon:..] alike; not the guard page. */
	resolve(&l, "anon", PS, &r);
	COUNTS(&r, 2, 131072 + 2048, ANY, ANY);
	assert_piece(&r, 0, 0x7f3a2c000000, 0x7f3a4c000000, 2);
	assert_piece(&r, 1, 0x7f3a4c001000, 0x7f3a4c801000, 4);
	nm_range_list_free(&r);
	nm_vma_list_free(&l);
}

static void test_path(void **state)
{
	struct nm_vma_list l = load(maps_text);
	struct nm_range_list r;

	resolve(&l, "/usr/lib/x86_64-linux-gnu/libc.so.6", PS, &r);
	COUNTS(&r, 2, 40 + 405, ANY, ANY);
	assert_piece(&r, 0, 0x7f3a50000000, 0x7f3a50028000, 5);
	assert_piece(&r, 1, 0x7f3a50028000, 0x7f3a501bd000, 6);
	nm_range_list_free(&r);

	resolve(&l, "/tmp/my data file (deleted)", PS, &r);
	assert_int_equal(r.n, 1);
	assert_piece(&r, 0, 0x7f3a60000000, 0x7f3a60100000, 8);
	nm_range_list_free(&r);
	nm_vma_list_free(&l);

	/* Exact match only: a prefix is not the file. */
	check_enoent(maps_text, "/tmp/my data file", "no mapping of /tmp/my data file");
	check_enoent(maps_text, "/usr/lib", "no mapping of /usr/lib");
	check_enoent(maps_text, "/x", "no mapping of /x");
	check_enoent("1000-2000 ---p 00000000 08:01 9 /lib/guard.so\n", "/lib/guard.so",
		     "no migratable mapping of /lib/guard.so (mapped without access)");
}

static void test_missing_kinds(void **state)
{
	static const char only_file[] =
		"1000-2000 r--p 00000000 08:01 9 /bin/x\n"
		"2000-3000 ---p 00000000 00:00 0 \n"
		"ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0 [vsyscall]\n";

	check_enoent(only_file, "heap", "the process has no [heap] mapping");
	check_enoent(only_file, "stack", "the process has no [stack] mapping");
	check_enoent(only_file, "anon", "the process has no anonymous mapping");
	check_enoent(only_file, "4K", "the process has no anonymous mapping");
}

static void test_all_nothing(void **state)
{
	struct nm_vma_list l = load("2000-3000 ---p 00000000 00:00 0 \n"
				    "7ffd1c1f4000-7ffd1c1f6000 r-xp 00000000 00:00 0 [vdso]\n");
	struct nm_range_spec spec = { .kind = NM_RSPEC_ALL };
	struct nm_range_list r;
	char err[256];

	assert_int_equal(nm_range_resolve(&spec, &l, PS, &r, err, sizeof(err)), -ENOENT);
	assert_string_equal(err, "the process has no migratable mapping");
	nm_vma_list_free(&l);
	l = load("");
	assert_int_equal(nm_range_resolve(&spec, &l, PS, &r, err, sizeof(err)), -ENOENT);
	assert_int_equal(nm_range_resolve(&spec, &l, PS, &r, NULL, 0), -ENOENT);
	nm_vma_list_free(&l);
}

static void test_size(void **state)
{
	struct nm_vma_list l = load(maps_text);
	struct nm_range_list r;

	/* The first 1 MiB of the largest anonymous mapping (512 MiB, #2). */
	resolve(&l, "1M", PS, &r);
	COUNTS(&r, 1, 256, 0, 0);
	assert_piece(&r, 0, 0x7f3a2c000000, 0x7f3a2c100000, 2);
	assert_int_equal(r.req_start, 0x7f3a2c000000);
	assert_int_equal(r.req_end, 0x7f3a2c100000);
	nm_range_list_free(&r);

	/* Rounded up to a whole page. */
	resolve(&l, "4097", PS, &r);
	assert_piece(&r, 0, 0x7f3a2c000000, 0x7f3a2c002000, 2);
	COUNTS(&r, ANY, 2, 1, 0);
	assert_int_equal(r.req_end, 0x7f3a2c001001);
	assert_int_equal(r.round_end, 0x7f3a2c002000);
	nm_range_list_free(&r);

	/* Exactly the mapping: not clamped. */
	resolve(&l, "512M", PS, &r);
	assert_piece(&r, 0, 0x7f3a2c000000, 0x7f3a4c000000, 2);
	assert_int_equal(r.clamped, 0);
	nm_range_list_free(&r);

	/* Larger than the mapping: clamped to it. */
	resolve(&l, "1G", PS, &r);
	COUNTS(&r, 1, 131072, 0, 1);
	assert_piece(&r, 0, 0x7f3a2c000000, 0x7f3a4c000000, 2);
	assert_int_equal(r.clamped_to, 512ULL << 20);
	nm_range_list_free(&r);

	/* Huge SIZE: no overflow of START + SIZE. */
	resolve(&l, "0xffffffffffffffff", PS, &r);
	assert_piece(&r, 0, 0x7f3a2c000000, 0x7f3a4c000000, 2);
	assert_int_equal(r.clamped, 1);
	nm_range_list_free(&r);
	nm_vma_list_free(&l);
}

static void test_size_choice(void **state)
{
	/* Equal sizes: the lowest address wins, whatever the list order. A
	 * larger guard region and a larger file mapping do not count. */
	struct nm_vma_list l = load("30000-40000 rw-p 00000000 00:00 0 \n"
				    "10000-20000 rw-p 00000000 00:00 0 [anon:b]\n"
				    "50000-90000 ---p 00000000 00:00 0 \n"
				    "a0000-f0000 rw-p 00000000 08:01 3 /big\n");
	struct nm_range_list r;

	resolve(&l, "8K", PS, &r);
	assert_int_equal(r.n, 1);
	assert_piece(&r, 0, 0x10000, 0x12000, 1);
	nm_range_list_free(&r);
	nm_vma_list_free(&l);
}

static void test_sorted(void **state)
{
	struct nm_vma_list l = load("7000-8000 rw-p 00000000 00:00 0 \n"
				    "1000-2000 rw-p 00000000 00:00 0 \n"
				    "4000-6000 rw-p 00000000 00:00 0 [heap]\n");
	struct nm_range_spec spec = { .kind = NM_RSPEC_ALL };
	struct nm_range_list r;
	char err[256];

	assert_int_equal(nm_range_resolve(&spec, &l, PS, &r, err, sizeof(err)), 0);
	COUNTS(&r, 3, 4, ANY, ANY);
	assert_piece(&r, 0, 0x1000, 0x2000, 1);
	assert_piece(&r, 1, 0x4000, 0x6000, 2);
	assert_piece(&r, 2, 0x7000, 0x8000, 0);
	nm_range_list_free(&r);

	resolve(&l, "0x1800-0x7800", PS, &r);
	assert_int_equal(r.n, 3);
	assert_piece(&r, 0, 0x1000, 0x2000, 1);
	assert_piece(&r, 2, 0x7000, 0x8000, 0);
	nm_range_list_free(&r);
	nm_vma_list_free(&l);
}

static void test_bad_page_size(void **state)
{
	struct nm_vma_list l = load(maps_text);
	struct nm_range_spec spec = { .kind = NM_RSPEC_ALL };
	struct nm_range_list r;
	char err[256];

	assert_int_equal(nm_range_resolve(&spec, &l, 0, &r, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "page size 0 is not a power of two");
	assert_int_equal(nm_range_resolve(&spec, &l, 3000, &r, err, sizeof(err)), -EINVAL);
	spec.kind = (enum nm_rspec_kind)99;
	assert_int_equal(nm_range_resolve(&spec, &l, PS, &r, err, sizeof(err)), -EINVAL);
	nm_vma_list_free(&l);
}

/* Clipping a range list to [start, end): pieces cut at both ends, vma kept,
 * pages recounted, the output's old pieces dropped. */
static void test_clip(void **state)
{
	struct nm_range r[3] = { { 0x10000, 0x20000, 4 }, { 0x30000, 0x40000, 5 },
				 { 0x50000, 0x60000, 6 } };
	struct nm_range_list all = { .r = r, .n = 3, .cap = 3, .pages = 0x30 }, out = { .r = NULL };

	assert_int_equal(nm_range_list_clip(&all, 0x18000, 0x52000, &out), 0);
	assert_int_equal(out.n, 3);
	assert_int_equal(out.r[0].start, 0x18000);
	assert_int_equal(out.r[0].end, 0x20000);
	assert_int_equal(out.r[0].vma, 4);
	assert_int_equal(out.r[1].start, 0x30000);
	assert_int_equal(out.r[1].end, 0x40000);
	assert_int_equal(out.r[2].start, 0x50000);
	assert_int_equal(out.r[2].end, 0x52000);
	assert_int_equal(out.r[2].vma, 6);
	assert_int_equal(out.pages, 8 + 16 + 2);
	assert_int_equal(nm_range_list_clip(&all, 0x20000, 0x30000, &out), 0);	/* a gap */
	assert_int_equal(out.n, 0);
	assert_int_equal(out.pages, 0);
	nm_range_list_free(&out);
}

NM_TEST_MAIN(
	cmocka_unit_test(test_spec_good),
	cmocka_unit_test(test_spec_bad),
	cmocka_unit_test(test_spec_long_path),
	cmocka_unit_test(test_all),
	cmocka_unit_test(test_abs_rounding),
	cmocka_unit_test(test_abs_spanning),
	cmocka_unit_test(test_abs_nothing),
	cmocka_unit_test(test_kinds),
	cmocka_unit_test(test_path),
	cmocka_unit_test(test_missing_kinds),
	cmocka_unit_test(test_all_nothing),
	cmocka_unit_test(test_size),
	cmocka_unit_test(test_size_choice),
	cmocka_unit_test(test_sorted),
	cmocka_unit_test(test_bad_page_size),
	cmocka_unit_test(test_clip))
