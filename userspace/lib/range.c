// SPDX-License-Identifier: GPL-2.0
/*
 * --range: parsing of the specification and its resolution into
 * page-aligned pieces, each inside one migratable mapping.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "parse.h"
#include "range.h"

/* Writes "invalid range 'TEXT': REASON" into err (when there is one). */
__attribute__((format(printf, 4, 5)))
static int fail(char *err, size_t errlen, const char *text, const char *fmt, ...)
{
	char reason[256];
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(reason, sizeof(reason), fmt, ap);
		va_end(ap);
		snprintf(err, errlen, "invalid range '%s': %s", text, reason);
	}
	return -EINVAL;
}

/* Like fail() but the message is the whole text: used for -ENOENT. */
__attribute__((format(printf, 3, 4)))
static void say(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static const char *number_problem(int rc)
{
	return rc == -ERANGE ? "too large for 64 bits"
			     : "not a number (decimal or 0x hex, optional K/M/G suffix)";
}

/* Parses one number of an absolute range; NAME is "START", "END", "LEN". */
static int range_number(const char *s, const char *name, uint64_t *v,
			const struct nm_range_spec *spec, char *err, size_t errlen)
{
	int rc = nm_parse_size(s, v);

	if (rc)
		return fail(err, errlen, spec->text, "%s '%s' is %s", name, s,
			    number_problem(rc));
	return 0;
}

/* "START-END" or "START+LEN", split at SEP (which the numbers never hold). */
static int parse_abs(char *s, char *sep, struct nm_range_spec *out,
		     char *err, size_t errlen)
{
	bool plus = *sep == '+';
	uint64_t a, b;
	int rc;

	*sep = '\0';
	rc = range_number(s, "START", &a, out, err, errlen);
	if (!rc)
		rc = range_number(sep + 1, plus ? "LEN" : "END", &b, out, err, errlen);
	if (rc)
		return rc;
	if (plus) {
		if (b == 0)
			return fail(err, errlen, out->text, "LEN must be above 0");
		if (b > UINT64_MAX - a)
			return fail(err, errlen, out->text,
				    "START+LEN is beyond the address space");
		b += a;
	} else if (b <= a) {
		return fail(err, errlen, out->text, "END must be above START");
	}
	out->kind = NM_RSPEC_ABS;
	out->start = a;
	out->end = b;
	return 0;
}

static int parse_size_spec(const char *s, struct nm_range_spec *out,
			   char *err, size_t errlen)
{
	int rc = nm_parse_size(s, &out->size);

	if (rc == -ERANGE)
		return fail(err, errlen, out->text, "SIZE is too large for 64 bits");
	if (rc)
		return fail(err, errlen, out->text,
			    "expected START-END, START+LEN, SIZE, heap, stack, anon or /path");
	if (out->size == 0)
		return fail(err, errlen, out->text, "SIZE must be above 0");
	out->kind = NM_RSPEC_SIZE;
	return 0;
}

int nm_range_spec_parse(const char *s, struct nm_range_spec *out,
			char *err, size_t errlen)
{
	char buf[sizeof(out->text)];
	char *sep;

	if (err && errlen)
		err[0] = '\0';
	if (!s || !out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	if (strlen(s) >= sizeof(out->text))
		return fail(err, errlen, "...", "longer than %zu characters",
			    sizeof(out->text) - 1);
	strcpy(out->text, s);
	if (!*s)
		return fail(err, errlen, s, "empty");
	if (!strcmp(s, "heap") || !strcmp(s, "stack") || !strcmp(s, "anon")) {
		out->kind = s[0] == 'h' ? NM_RSPEC_HEAP :
			    s[0] == 's' ? NM_RSPEC_STACK : NM_RSPEC_ANON;
		return 0;
	}
	if (s[0] == '/') {
		if (strlen(s) >= sizeof(out->path))
			return fail(err, errlen, s, "path longer than %zu characters",
				    sizeof(out->path) - 1);
		strcpy(out->path, s);
		out->kind = NM_RSPEC_PATH;
		return 0;
	}
	strcpy(buf, s);
	sep = strpbrk(buf, "-+");
	if (sep)
		return parse_abs(buf, sep, out, err, errlen);
	return parse_size_spec(s, out, err, errlen);
}

/* ---- resolution ---------------------------------------------------------- */

static int push(struct nm_range_list *l, uint64_t start, uint64_t end, size_t vma)
{
	if (nm_grow(l->r, l->n, l->cap, 16))
		return -ENOMEM;
	l->r[l->n++] = (struct nm_range){ .start = start, .end = end, .vma = vma };
	return 0;
}

static uint64_t round_down(uint64_t v, uint64_t ps)
{
	return v & ~(ps - 1);
}

/* Rounds up, saturating at the last page boundary rather than wrapping to 0
 * (no mapping reaches that high anyway). */
static uint64_t round_up(uint64_t v, uint64_t ps)
{
	if (v > UINT64_MAX - (ps - 1))
		return round_down(UINT64_MAX, ps);
	return round_down(v + ps - 1, ps);
}

/* Whether a vma takes part, by spec kind (ALL, ABS and SIZE take any
 * migratable one; the bounds then decide). */
static bool vma_selected(const struct nm_range_spec *spec, const struct nm_vma *v)
{
	if (!nm_vma_is_migratable(v))
		return false;
	switch (spec->kind) {
	case NM_RSPEC_HEAP:
		return v->kind == NM_VMA_HEAP;
	case NM_RSPEC_STACK:
		return v->kind == NM_VMA_STACK;
	case NM_RSPEC_ANON:
	case NM_RSPEC_SIZE:
		return v->kind == NM_VMA_ANON;
	case NM_RSPEC_PATH:
		return v->kind == NM_VMA_FILE && v->path && !strcmp(v->path, spec->path);
	case NM_RSPEC_ALL:
	case NM_RSPEC_ABS:
		return true;
	}
	return false;
}

/* Adds the part of every selected vma inside [lo, hi), one piece each. */
static int collect(const struct nm_range_spec *spec, const struct nm_vma_list *vmas,
		   uint64_t lo, uint64_t hi, struct nm_range_list *out)
{
	for (size_t i = 0; i < vmas->n; i++) {
		const struct nm_vma *v = &vmas->v[i];
		uint64_t s = v->start > lo ? v->start : lo;
		uint64_t e = v->end < hi ? v->end : hi;
		int rc;

		if (s >= e || !vma_selected(spec, v))
			continue;
		rc = push(out, s, e, i);
		if (rc)
			return rc;
	}
	return 0;
}

/* The largest selected (anonymous) vma, the lowest on ties; -1 if none. */
static long largest_anon(const struct nm_range_spec *spec, const struct nm_vma_list *vmas)
{
	long best = -1;

	for (size_t i = 0; i < vmas->n; i++) {
		const struct nm_vma *v = &vmas->v[i], *b;

		if (!vma_selected(spec, v))
			continue;
		b = best < 0 ? NULL : &vmas->v[best];
		if (!b || v->end - v->start > b->end - b->start ||
		    (v->end - v->start == b->end - b->start && v->start < b->start))
			best = (long)i;
	}
	return best;
}

static void note_rounding(struct nm_range_list *out, uint64_t req_start,
			  uint64_t req_end, uint64_t ps)
{
	out->req_start = req_start;
	out->req_end = req_end;
	out->round_start = round_down(req_start, ps);
	out->round_end = round_up(req_end, ps);
	out->rounded = out->round_start != req_start || out->round_end != req_end;
}

static int resolve_abs(const struct nm_range_spec *spec, const struct nm_vma_list *vmas,
		       uint64_t ps, struct nm_range_list *out, char *err, size_t errlen)
{
	int rc;

	note_rounding(out, spec->start, spec->end, ps);
	rc = collect(spec, vmas, out->round_start, out->round_end, out);
	if (!rc && out->n == 0) {
		say(err, errlen, "range 0x%" PRIx64 "-0x%" PRIx64
		    " covers no migratable mapping of the process",
		    spec->start, spec->end);
		rc = -ENOENT;
	}
	return rc;
}

/* The first SIZE bytes of the largest anonymous mapping. The rounding
 * recorded is that of SIZE; clamping to the mapping is recorded apart. */
static int resolve_size(const struct nm_range_spec *spec, const struct nm_vma_list *vmas,
			uint64_t ps, struct nm_range_list *out, char *err, size_t errlen)
{
	long i = largest_anon(spec, vmas);
	const struct nm_vma *v;
	uint64_t len, want;

	if (i < 0) {
		say(err, errlen, "the process has no anonymous mapping");
		return -ENOENT;
	}
	v = &vmas->v[i];
	len = v->end - v->start;
	want = spec->size > UINT64_MAX - v->start ? UINT64_MAX - v->start : spec->size;
	note_rounding(out, v->start, v->start + want, ps);
	if (out->round_end - v->start > len) {
		out->clamped = 1;
		out->clamped_to = len;
	}
	return push(out, v->start, out->clamped ? v->end : out->round_end, (size_t)i);
}

/* Why a kind-based spec matched nothing. */
static void explain_none(const struct nm_range_spec *spec, const struct nm_vma_list *vmas,
			 char *err, size_t errlen)
{
	switch (spec->kind) {
	case NM_RSPEC_HEAP:
		say(err, errlen, "the process has no [heap] mapping");
		break;
	case NM_RSPEC_STACK:
		say(err, errlen, "the process has no [stack] mapping");
		break;
	case NM_RSPEC_ANON:
		say(err, errlen, "the process has no anonymous mapping");
		break;
	case NM_RSPEC_PATH:
		for (size_t i = 0; i < vmas->n; i++) {
			if (vmas->v[i].path && !strcmp(vmas->v[i].path, spec->path)) {
				say(err, errlen, "no migratable mapping of %s "
				    "(mapped without access)", spec->path);
				return;
			}
		}
		say(err, errlen, "no mapping of %s", spec->path);
		break;
	default:
		say(err, errlen, "the process has no migratable mapping");
		break;
	}
}

static int cmp_range(const void *a, const void *b)
{
	const struct nm_range *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

static int resolve_kind(const struct nm_range_spec *spec, const struct nm_vma_list *vmas,
			uint64_t ps, struct nm_range_list *out, char *err, size_t errlen)
{
	switch (spec->kind) {
	case NM_RSPEC_ABS:
		return resolve_abs(spec, vmas, ps, out, err, errlen);
	case NM_RSPEC_SIZE:
		return resolve_size(spec, vmas, ps, out, err, errlen);
	case NM_RSPEC_ALL:
	case NM_RSPEC_HEAP:
	case NM_RSPEC_STACK:
	case NM_RSPEC_ANON:
	case NM_RSPEC_PATH: {
		int rc = collect(spec, vmas, 0, UINT64_MAX, out);

		if (!rc && out->n == 0) {
			explain_none(spec, vmas, err, errlen);
			rc = -ENOENT;
		}
		return rc;
	}
	}
	say(err, errlen, "unknown range kind %d", (int)spec->kind);
	return -EINVAL;
}

int nm_range_resolve(const struct nm_range_spec *spec,
		     const struct nm_vma_list *vmas, uint64_t ps,
		     struct nm_range_list *out, char *err, size_t errlen)
{
	int rc;

	if (err && errlen)
		err[0] = '\0';
	if (!spec || !vmas || !out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	if (ps == 0 || (ps & (ps - 1))) {
		say(err, errlen, "page size %" PRIu64 " is not a power of two", ps);
		return -EINVAL;
	}
	rc = resolve_kind(spec, vmas, ps, out, err, errlen);
	if (rc) {
		nm_range_list_free(out);
		return rc;
	}
	/* /proc lists vmas in address order, but a caller's list need not be. */
	qsort(out->r, out->n, sizeof(*out->r), cmp_range);
	for (size_t i = 0; i < out->n; i++) {
		uint64_t len = out->r[i].end - out->r[i].start;

		/* Pieces are page-aligned unless a mapping's bounds were not. */
		out->pages += len / ps + (len % ps != 0);
	}
	return 0;
}

void nm_range_list_free(struct nm_range_list *l)
{
	if (!l)
		return;
	free(l->r);
	memset(l, 0, sizeof(*l));
}

int nm_range_list_clip(const struct nm_range_list *all, uint64_t start, uint64_t end,
		       struct nm_range_list *out)
{
	size_t lo = 0, hi = all->n;

	out->n = 0;
	out->pages = 0;
	/* ALL is in address order without overlaps (nm_range_resolve): start
	 * at its first piece that ends after START, not at its first piece,
	 * or auto's executor walks every mapping for every decision */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (all->r[mid].end <= start)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < all->n && all->r[i].start < end; i++) {
		uint64_t s = all->r[i].start > start ? all->r[i].start : start;
		uint64_t e = all->r[i].end < end ? all->r[i].end : end;

		if (s >= e)
			continue;
		if (push(out, s, e, all->r[i].vma))
			return -ENOMEM;
		out->pages += (e - s) / NM_PAGE_SIZE_DEFAULT;
	}
	return 0;
}
