// SPDX-License-Identifier: GPL-2.0
/* Unit tests of userspace/parse.c. */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "testutil.h"
#include "parse.h"

/* Canary: a failing parser must leave its output untouched. */
#define CANARY 0xdeadbeefULL

enum kind { U64, SIZE, PID, NODE, NODELIST };

static const char *const kind_name[] = {
	"nm_parse_u64", "nm_parse_size", "nm_parse_pid", "nm_parse_node", "nm_parse_nodelist",
};

/* One call: KIND's parser on IN returns RC and, when RC is 0, gives WANT. */
static const struct pcase {
	enum kind kind;
	const char *in;
	int rc;
	uint64_t want;
} pcases[] = {
	/* accepted */
	{ U64, "0", 0, 0 },
	{ U64, "42", 0, 42 },
	{ U64, "007", 0, 7 },	/* decimal, not octal */
	{ U64, "0x10", 0, 16 },
	{ U64, "0X1f", 0, 31 },
	{ U64, "0xABCdef", 0, 0xabcdef },
	{ U64, "0x0000000000000000000001", 0, 1 },
	{ SIZE, "0", 0, 0 },
	{ SIZE, "4096", 0, 4096 },
	{ SIZE, "1B", 0, 1 },
	{ SIZE, "1b", 0, 1 },
	{ SIZE, "4K", 0, 4096 },
	{ SIZE, "4k", 0, 4096 },
	{ SIZE, "4KB", 0, 4096 },
	{ SIZE, "4KiB", 0, 4096 },
	{ SIZE, "4kib", 0, 4096 },
	{ SIZE, "4KIB", 0, 4096 },
	{ SIZE, "0x1000", 0, 4096 },
	{ SIZE, "0x10K", 0, 16384 },
	{ SIZE, "0x10KiB", 0, 16384 },
	{ SIZE, "0x1B", 0, 0x1b },	/* hex digits are greedy */
	{ SIZE, "0K", 0, 0 },
	{ PID, "1", 0, 1 },
	{ PID, "1234", 0, 1234 },
	{ PID, "4194304", 0, 4194304 },
	{ NODE, "0", 0, 0 },
	{ NODE, "1", 0, 1 },
	{ NODE, "63", 0, 63 },
	{ NODELIST, "0", 0, 0x1 },
	{ NODELIST, "0,2", 0, 0x5 },
	{ NODELIST, "1-3", 0, 0xe },
	{ NODELIST, "0,2-3", 0, 0xd },
	{ NODELIST, "3-3", 0, 0x8 },
	{ NODELIST, "2,0", 0, 0x5 },	/* order of elements is free */
	{ NODELIST, "0,0-1", 0, 0x3 },	/* overlap is harmless */
	{ U64, "18446744073709551615", 0, UINT64_MAX },
	{ U64, "0xffffffffffffffff", 0, UINT64_MAX },
	{ SIZE, "18446744073709551615", 0, UINT64_MAX },
	{ NODELIST, "0-63", 0, UINT64_MAX },
	{ SIZE, "512M", 0, 512ULL << 20 },
	{ SIZE, "512MiB", 0, 512ULL << 20 },
	{ SIZE, "1G", 0, 1ULL << 30 },
	{ SIZE, "1gb", 0, 1ULL << 30 },
	{ SIZE, "2T", 0, 2ULL << 40 },
	{ SIZE, "16777215T", 0, 16777215ULL << 40 },
	{ NODELIST, "63", 0, 1ULL << 63 },
	{ NODELIST, "62-63,0", 0, (3ULL << 62) | 1 },
	/* malformed: -EINVAL */
	{ U64, NULL, -EINVAL, 0 },
	{ SIZE, NULL, -EINVAL, 0 },
	{ NODELIST, NULL, -EINVAL, 0 },
	{ U64, "", -EINVAL, 0 },
	{ U64, "-1", -EINVAL, 0 },
	{ U64, "+1", -EINVAL, 0 },
	{ U64, " 1", -EINVAL, 0 },
	{ U64, "1 ", -EINVAL, 0 },
	{ U64, "1\n", -EINVAL, 0 },
	{ U64, "1x", -EINVAL, 0 },
	{ U64, "0x", -EINVAL, 0 },
	{ U64, "0xg", -EINVAL, 0 },
	{ U64, "x10", -EINVAL, 0 },
	{ U64, "1.5", -EINVAL, 0 },
	{ U64, "1K", -EINVAL, 0 },	/* sizes are nm_parse_size's */
	{ SIZE, "", -EINVAL, 0 },
	{ SIZE, "K", -EINVAL, 0 },
	{ SIZE, "KiB", -EINVAL, 0 },
	{ SIZE, "B", -EINVAL, 0 },
	{ SIZE, "1KK", -EINVAL, 0 },
	{ SIZE, "1Ki", -EINVAL, 0 },
	{ SIZE, "1iB", -EINVAL, 0 },
	{ SIZE, "1Bi", -EINVAL, 0 },
	{ SIZE, "1KBB", -EINVAL, 0 },
	{ SIZE, "1KiBx", -EINVAL, 0 },
	{ SIZE, "1E", -EINVAL, 0 },
	{ SIZE, "1P", -EINVAL, 0 },
	{ SIZE, "1 K", -EINVAL, 0 },
	{ SIZE, " 1K", -EINVAL, 0 },
	{ SIZE, "1K ", -EINVAL, 0 },
	{ SIZE, "-1K", -EINVAL, 0 },
	{ SIZE, "+1K", -EINVAL, 0 },
	{ SIZE, "1.5G", -EINVAL, 0 },
	{ SIZE, "0x", -EINVAL, 0 },
	{ SIZE, "0xK", -EINVAL, 0 },
	{ SIZE, "1\n", -EINVAL, 0 },
	{ PID, "-1", -EINVAL, 0 },
	{ PID, "+1", -EINVAL, 0 },
	{ PID, "", -EINVAL, 0 },
	{ PID, "12a", -EINVAL, 0 },
	{ PID, "0x10", -EINVAL, 0 },
	{ PID, " 12", -EINVAL, 0 },
	{ NODE, "-1", -EINVAL, 0 },
	{ NODE, "", -EINVAL, 0 },
	{ NODE, "1 ", -EINVAL, 0 },
	{ NODE, "one", -EINVAL, 0 },
	{ NODE, "1,2", -EINVAL, 0 },
	{ NODELIST, "", -EINVAL, 0 },
	{ NODELIST, ",", -EINVAL, 0 },
	{ NODELIST, "0,", -EINVAL, 0 },
	{ NODELIST, ",0", -EINVAL, 0 },
	{ NODELIST, "0,,1", -EINVAL, 0 },
	{ NODELIST, "3-1", -EINVAL, 0 },
	{ NODELIST, "1-", -EINVAL, 0 },
	{ NODELIST, "-1", -EINVAL, 0 },
	{ NODELIST, "1-2-3", -EINVAL, 0 },
	{ NODELIST, "+1", -EINVAL, 0 },
	{ NODELIST, " 0", -EINVAL, 0 },
	{ NODELIST, "0 ", -EINVAL, 0 },
	{ NODELIST, "0, 1", -EINVAL, 0 },
	{ NODELIST, "0\n", -EINVAL, 0 },
	{ NODELIST, "a", -EINVAL, 0 },
	{ NODELIST, "0x1", -EINVAL, 0 },
	/* out of range: -ERANGE */
	{ U64, "18446744073709551616", -ERANGE, 0 },
	{ U64, "99999999999999999999999", -ERANGE, 0 },
	{ U64, "0x10000000000000000", -ERANGE, 0 },
	{ SIZE, "17179869184G", -ERANGE, 0 },	/* 2^34 GiB = 2^64 */
	{ SIZE, "16777216T", -ERANGE, 0 },
	{ SIZE, "0xffffffffffffffffK", -ERANGE, 0 },
	{ SIZE, "99999999999999999999", -ERANGE, 0 },
	{ SIZE, "99999999999999999999K", -ERANGE, 0 },
	{ PID, "4194305", -ERANGE, 0 },
	{ PID, "0", -ERANGE, 0 },
	{ PID, "99999999999999999999", -ERANGE, 0 },
	{ NODE, "64", -ERANGE, 0 },
	{ NODE, "1000", -ERANGE, 0 },
	{ NODELIST, "64", -ERANGE, 0 },
	{ NODELIST, "0-64", -ERANGE, 0 },
	{ NODELIST, "0,99999999999999999999", -ERANGE, 0 },
};

/* Runs KIND's parser on IN with its output preset to a canary: *v receives
 * the output widened to 64 bits, *canary what a failing call must leave. */
static int parse_as(enum kind kind, const char *in, uint64_t *v, uint64_t *canary)
{
	struct nm_nodemask m = { CANARY };
	pid_t pid = 777;
	int node = 777, rc = -ENOSYS;

	*v = *canary = CANARY;
	switch (kind) {
	case U64:
		return nm_parse_u64(in, v);
	case SIZE:
		return nm_parse_size(in, v);
	case PID:
		rc = nm_parse_pid(in, &pid);
		*v = (uint64_t)pid;
		*canary = 777;
		break;
	case NODE:
		rc = nm_parse_node(in, &node);
		*v = (uint64_t)node;
		*canary = 777;
		break;
	case NODELIST:
		rc = nm_parse_nodelist(in, &m);
		*v = m.bits;
		break;
	}
	return rc;
}

/* Every row of KIND (there is at least one). */
static void check_kind(enum kind kind)
{
	size_t seen = 0;

	for (size_t i = 0; i < sizeof(pcases) / sizeof(pcases[0]); i++) {
		const struct pcase *c = &pcases[i];
		uint64_t v, canary, want;
		int rc;

		if (c->kind != kind)
			continue;
		rc = parse_as(kind, c->in, &v, &canary);
		want = c->rc ? canary : c->want;
		if (rc != c->rc || v != want)
			fail_msg("%s(\"%s\") = %d, %#llx; want %d, %#llx", kind_name[kind],
				 c->in ? c->in : "(null)", rc, (unsigned long long)v, c->rc,
				 (unsigned long long)want);
		seen++;
	}
	assert_true(seen > 0);
}

static void test_u64(void **state) { check_kind(U64); }
static void test_size(void **state) { check_kind(SIZE); }
static void test_pid(void **state) { check_kind(PID); }
static void test_node(void **state) { check_kind(NODE); }
static void test_nodelist(void **state) { check_kind(NODELIST); }

static void check_long(const char *in, long min, long max, int want_rc, long want)
{
	long v = 12345;
	int rc = nm_parse_long(in, min, max, &v);

	if (rc != want_rc || v != (want_rc ? 12345 : want))
		fail_msg("nm_parse_long(\"%s\", %ld, %ld) = %d, %ld; want %d, %ld",
			 in ? in : "(null)", min, max, rc, v, want_rc, want);
}

static void test_long(void **state)
{
	check_long("5", 0, 10, 0, 5);
	check_long("0", 0, 10, 0, 0);
	check_long("10", 0, 10, 0, 10);
	check_long("-3", -5, 5, 0, -3);
	check_long("-5", -5, 5, 0, -5);
	check_long("9223372036854775807", LONG_MIN, LONG_MAX, 0, LONG_MAX);
	check_long("-9223372036854775808", LONG_MIN, LONG_MAX, 0, LONG_MIN);

	check_long("11", 0, 10, -ERANGE, 0);
	check_long("-6", -5, 5, -ERANGE, 0);
	check_long("9223372036854775808", LONG_MIN, LONG_MAX, -ERANGE, 0);
	check_long("-9223372036854775809", LONG_MIN, LONG_MAX, -ERANGE, 0);
	check_long("99999999999999999999999", 0, 10, -ERANGE, 0);
	check_long("-3", 0, 5, -EINVAL, 0);	/* no sign where none fits */
	check_long("+3", 0, 5, -EINVAL, 0);
	check_long("+3", -5, 5, -EINVAL, 0);
	check_long("-", -5, 5, -EINVAL, 0);
	check_long("--1", -5, 5, -EINVAL, 0);
	check_long("", 0, 5, -EINVAL, 0);
	check_long(NULL, 0, 5, -EINVAL, 0);
	check_long(" 1", 0, 5, -EINVAL, 0);
	check_long("1 ", 0, 5, -EINVAL, 0);
	check_long("0x3", 0, 5, -EINVAL, 0);
	check_long("3k", 0, 5, -EINVAL, 0);
	check_long("1", 5, 0, -EINVAL, 0);	/* min > max */
}

static void check_percent(const char *in, int want_rc, double want)
{
	double v = -7.0;
	int rc = nm_parse_percent(in, &v);

	if (rc != want_rc || v != (want_rc ? -7.0 : want))
		fail_msg("nm_parse_percent(\"%s\") = %d, %g; want %d, %g",
			 in ? in : "(null)", rc, v, want_rc, want);
}

static void test_percent(void **state)
{
	check_percent("0", 0, 0.0);
	check_percent("100", 0, 100.0);
	check_percent("50.5", 0, 50.5);
	check_percent("99.25", 0, 99.25);
	check_percent("0.0", 0, 0.0);
	check_percent("100.000", 0, 100.0);
	check_percent("007", 0, 7.0);

	check_percent(NULL, -EINVAL, 0);
	check_percent("", -EINVAL, 0);
	check_percent("-1", -EINVAL, 0);
	check_percent("+1", -EINVAL, 0);
	check_percent(" 5", -EINVAL, 0);
	check_percent("5 ", -EINVAL, 0);
	check_percent("5.", -EINVAL, 0);
	check_percent(".5", -EINVAL, 0);
	check_percent("5.5.5", -EINVAL, 0);
	check_percent("1e2", -EINVAL, 0);
	check_percent("nan", -EINVAL, 0);
	check_percent("inf", -EINVAL, 0);
	check_percent("infinity", -EINVAL, 0);
	check_percent("0x10", -EINVAL, 0);
	check_percent("5%", -EINVAL, 0);
	check_percent("100.1", -ERANGE, 0);
	check_percent("101", -ERANGE, 0);
	check_percent("100000000000000000000000000000000000000000000000000", -ERANGE, 0);
}

static void check_fmt(uint64_t bytes, const char *want)
{
	char buf[32];

	memset(buf, 'x', sizeof(buf));
	assert_ptr_equal(nm_fmt_bytes(bytes, buf, sizeof(buf)), buf);
	if (strcmp(buf, want))
		fail_msg("nm_fmt_bytes(%llu) = \"%s\"; want \"%s\"",
			 (unsigned long long)bytes, buf, want);
}

static void test_fmt_bytes(void **state)
{
	char small[5];

	check_fmt(0, "0 B");
	check_fmt(1, "1 B");
	check_fmt(1023, "1023 B");
	check_fmt(1024, "1.0 KiB");
	check_fmt(1536, "1.5 KiB");
	check_fmt(4096, "4.0 KiB");
	check_fmt((1ULL << 20) - 1, "1.0 MiB");	/* not "1024.0 KiB" */
	check_fmt(512ULL << 20, "512.0 MiB");
	check_fmt(3ULL << 29, "1.5 GiB");
	check_fmt(1ULL << 40, "1.0 TiB");
	check_fmt(UINT64_MAX, "16.0 EiB");

	/* Truncates, always terminated. */
	nm_fmt_bytes(512ULL << 20, small, sizeof(small));
	assert_string_equal(small, "512.");
	small[0] = 'q';
	assert_ptr_equal(nm_fmt_bytes(1, small, 0), small);
	assert_int_equal(small[0], 'q');
}

NM_TEST_MAIN(
	cmocka_unit_test(test_u64),
	cmocka_unit_test(test_size),
	cmocka_unit_test(test_long),
	cmocka_unit_test(test_pid),
	cmocka_unit_test(test_node),
	cmocka_unit_test(test_nodelist),
	cmocka_unit_test(test_percent),
	cmocka_unit_test(test_fmt_bytes))
