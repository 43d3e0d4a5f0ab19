// SPDX-License-Identifier: GPL-2.0
/*
 * Parsers of command-line values.
 *
 * strtoull() and friends accept leading whitespace and a sign ("-1" becomes
 * 2^64-1), so the integer parsers here walk the digits themselves: what the
 * user typed is either exactly a number or an error, never a surprise.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "parse.h"

/* PID_MAX_LIMIT on 64-bit kernels (include/linux/threads.h). */
#define NM_PID_MAX (1L << 22)

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Parses the digits at *s in BASE (10 or 16), stopping at the first
 * non-digit, and advances *s past them. At least one digit is required.
 */
int nm_scan_digits(const char **s, unsigned int base, uint64_t *out)
{
	const char *p = *s;
	uint64_t v = 0;
	int d;

	for (; (d = hex_value(*p)) >= 0 && (unsigned int)d < base; p++) {
		if (v > (UINT64_MAX - (uint64_t)d) / base)
			return -ERANGE;
		v = v * base + (uint64_t)d;
	}
	if (p == *s)
		return -EINVAL;
	*s = p;
	*out = v;
	return 0;
}

/* An unsigned decimal or 0x-hex number at *s; advances *s past it. */
static int scan_u64(const char **s, uint64_t *out)
{
	const char *p = *s;
	int rc;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		p += 2;
		rc = nm_scan_digits(&p, 16, out);
	} else {
		rc = nm_scan_digits(&p, 10, out);
	}
	if (rc == 0)
		*s = p;
	return rc;
}

int nm_parse_u64(const char *s, uint64_t *out)
{
	uint64_t v;
	int rc;

	if (!s)
		return -EINVAL;
	rc = scan_u64(&s, &v);
	if (rc)
		return rc;
	if (*s)
		return -EINVAL;
	*out = v;
	return 0;
}

/*
 * The shift for a size suffix: "", "B", or a unit K/M/G/T followed by
 * nothing, "B" or "iB"; case-insensitive. Returns -1 for anything else.
 */
static int suffix_shift(const char *s)
{
	static const char units[4] = { 'K', 'M', 'G', 'T' };
	const char *u;
	int shift;

	if (!*s)
		return 0;
	if ((*s | 0x20) == 'b' && !s[1])
		return 0;
	u = memchr(units, *s & ~0x20, sizeof(units));
	if (!u)
		return -1;
	shift = 10 * (int)(u - units + 1);
	s++;
	if (!*s)
		return shift;
	if ((*s | 0x20) == 'i')
		s++;
	return (*s | 0x20) == 'b' && !s[1] ? shift : -1;
}

/*
 * Hex digits are consumed greedily, so "0x1B" is 27 and a bytes suffix on
 * a hex number must follow a unit ("0x10KB"); decimal has no such clash.
 */
int nm_parse_size(const char *s, uint64_t *out)
{
	uint64_t v;
	int rc, shift;

	if (!s)
		return -EINVAL;
	rc = scan_u64(&s, &v);
	if (rc)
		return rc;
	shift = suffix_shift(s);
	if (shift < 0)
		return -EINVAL;
	if (shift && v > (UINT64_MAX >> shift))
		return -ERANGE;
	*out = v << shift;
	return 0;
}

/*
 * A '-' is accepted only when MIN is negative: for the usual non-negative
 * options a sign is a typo, not a value. '+' is never accepted.
 */
int nm_parse_long(const char *s, long min, long max, long *out)
{
	bool neg = false;
	uint64_t mag;
	long v;
	int rc;

	if (!s || min > max)
		return -EINVAL;
	if (*s == '-' && min < 0) {
		neg = true;
		s++;
	}
	rc = nm_scan_digits(&s, 10, &mag);
	if (rc)
		return rc;
	if (*s)
		return -EINVAL;
	if (neg) {
		/* -LONG_MIN does not fit a long: compare magnitudes. */
		if (mag > (uint64_t)LONG_MAX + 1)
			return -ERANGE;
		v = mag == (uint64_t)LONG_MAX + 1 ? LONG_MIN : -(long)mag;
	} else {
		if (mag > (uint64_t)LONG_MAX)
			return -ERANGE;
		v = (long)mag;
	}
	if (v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

int nm_parse_pid(const char *s, pid_t *out)
{
	long v;
	int rc = nm_parse_long(s, 1, NM_PID_MAX, &v);

	if (rc == 0)
		*out = (pid_t)v;
	return rc;
}

int nm_parse_node(const char *s, int *out)
{
	long v;
	int rc = nm_parse_long(s, 0, NM_MAX_NODES - 1, &v);

	if (rc == 0)
		*out = (int)v;
	return rc;
}

/* A decimal node number at *s, range-checked; advances *s. */
static int scan_node(const char **s, int *node)
{
	uint64_t v;
	int rc = nm_scan_digits(s, 10, &v);

	if (rc)
		return rc;
	if (v >= NM_MAX_NODES)
		return -ERANGE;
	*node = (int)v;
	return 0;
}

/* One element, "N" or "N-M" with N <= M, at *s; advances *s. */
static int scan_node_range(const char **s, struct nm_nodemask *m)
{
	int lo, hi, rc;

	rc = scan_node(s, &lo);
	if (rc)
		return rc;
	hi = lo;
	if (**s == '-') {
		(*s)++;
		rc = scan_node(s, &hi);
		if (rc)
			return rc;
		if (hi < lo)
			return -EINVAL;
	}
	for (int n = lo; n <= hi; n++)
		nm_nodemask_set(m, n);
	return 0;
}

int nm_parse_nodelist(const char *s, struct nm_nodemask *out)
{
	struct nm_nodemask m = { 0 };
	int rc;

	if (!s)
		return -EINVAL;
	for (;;) {
		rc = scan_node_range(&s, &m);
		if (rc)
			return rc;
		if (!*s)
			break;
		if (*s != ',')
			return -EINVAL;
		s++;	/* an element must follow: "0," is an error */
	}
	*out = m;
	return 0;
}

/*
 * strtod() would also take " 5", "+5", "1e2", "0x10", "nan" and "inf";
 * checking the shape DIGITS[.DIGITS] first leaves it only the arithmetic.
 */
int nm_parse_percent(const char *s, double *out)
{
	const char *p = s;
	char *end;
	double v;

	if (!s)
		return -EINVAL;
	while (*p >= '0' && *p <= '9')
		p++;
	if (p == s)
		return -EINVAL;
	if (*p == '.') {
		const char *frac = ++p;

		while (*p >= '0' && *p <= '9')
			p++;
		if (p == frac)
			return -EINVAL;
	}
	if (*p)
		return -EINVAL;
	/* errno is not consulted: overflow gives HUGE_VAL, caught by the
	 * bound below, and underflow of "0.000...1" is a fine 0. */
	v = strtod(s, &end);
	if (end != p)
		return -EINVAL;
	if (v > 100.0)
		return -ERANGE;
	*out = v;
	return 0;
}

const char *nm_fmt_bytes(uint64_t bytes, char *buf, size_t len)
{
	static const char *const units[] = {
		"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"
	};
	double v = (double)bytes;
	size_t u = 0;

	if (!buf || !len)
		return buf;
	if (bytes < 1024) {
		snprintf(buf, len, "%llu B", (unsigned long long)bytes);
		return buf;
	}
	v /= 1024.0;
	/* Move up while the value would print as 1024.0 or more, so 1 MiB - 1
	 * shows as "1.0 MiB" rather than "1024.0 KiB". */
	while (v >= 1023.95 && u + 1 < NM_ARRAY_SIZE(units)) {
		v /= 1024.0;
		u++;
	}
	snprintf(buf, len, "%.1f %s", v, units[u]);
	return buf;
}
