// SPDX-License-Identifier: GPL-2.0
/* auto --spread: parsing, resolution and checks (see aspread.h). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "aspread.h"
#include "parse.h"

int nm_aspread_parse(const char *arg, struct nm_aspread *out, char *why, size_t len)
{
	const char *eq = arg ? strrchr(arg, '=') : NULL;	/* a path may hold '=' */
	char sw[160], rw[200];
	size_t wl;

	memset(out, 0, sizeof(*out));
	out->arg = arg;
	if (!eq || eq == arg || !eq[1]) {
		snprintf(why, len, "expected WHERE=SPREAD, such as 0x7f0000000000+1G=0:3,2:1 (a "
			 "range or an address inside a mapping, '=', node:weight pairs)");
		return -EINVAL;
	}
	wl = (size_t)(eq - arg);
	if (wl >= sizeof(out->where)) {
		snprintf(why, len, "WHERE is longer than %zu characters", sizeof(out->where) - 1);
		return -EINVAL;
	}
	memcpy(out->where, arg, wl);
	out->where[wl] = '\0';
	if (nm_spread_parse(eq + 1, &out->sp, sw, sizeof(sw))) {
		snprintf(why, len, "spread '%s': %s", eq + 1, sw);
		return -EINVAL;
	}
	if (nm_range_spec_parse(out->where, &out->spec, rw, sizeof(rw))) {
		snprintf(why, len, "WHERE '%s': %s", out->where, rw);
		return -EINVAL;
	}
	if (out->spec.kind == NM_RSPEC_SIZE) {	/* a bare number: an address */
		if (nm_parse_u64(out->where, &out->addr)) {
			snprintf(why, len, "WHERE '%s': a bare number is an address inside a "
				 "mapping (hex 0x... or decimal, no suffix); for a range write "
				 "START+LEN", out->where);
			return -EINVAL;
		}
		out->at_addr = true;
	}
	return 0;
}

int nm_aspread_resolve(struct nm_aspread *s, const struct nm_vma_list *vmas, char *why,
		       size_t len)
{
	struct nm_range_spec spec;
	char err[256];
	int r;

	nm_range_list_free(&s->ranges);
	memset(&s->ranges, 0, sizeof(s->ranges));
	if (s->at_addr) {
		size_t i;

		for (i = 0; i < vmas->n; i++)
			if (vmas->v[i].start <= s->addr && s->addr < vmas->v[i].end)
				break;
		if (i == vmas->n) {
			snprintf(why, len, "address 0x%" PRIx64 " is inside no mapping of the "
				 "process", s->addr);
			return -ENOENT;
		}
		memset(&spec, 0, sizeof(spec));
		spec.kind = NM_RSPEC_ABS;
		spec.start = vmas->v[i].start;
		spec.end = vmas->v[i].end;
		snprintf(spec.text, sizeof(spec.text), "%s", s->where);
	} else {
		spec = s->spec;
	}
	r = nm_range_resolve(&spec, vmas, NM_PAGE_SIZE_DEFAULT, &s->ranges, err, sizeof(err));
	if (r == -ENOENT)
		snprintf(why, len, "%s", err);
	return r;
}

int nm_aspread_bad_node(const struct nm_aspread *s, const struct nm_nodemask *has_memory,
			const struct nm_nodemask *allowed, char *why, size_t len)
{
	for (int i = 0; i < s->sp.n; i++) {
		int node = s->sp.node[i];

		if (!nm_nodemask_test(has_memory, node)) {
			snprintf(why, len, "node %d has no memory on this host", node);
			return node;
		}
		if (allowed->bits && !nm_nodemask_test(allowed, node)) {
			snprintf(why, len, "node %d is outside the process's allowed memory "
				 "nodes (its cpuset)", node);
			return node;
		}
	}
	return -1;
}

struct piece {
	uint64_t start, end;
	int owner;
};

static int cmp_piece(const void *a, const void *b)
{
	const struct piece *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->owner - y->owner;
}

/* Every piece of the N spreads, sorted by start. */
static int pieces(const struct nm_aspread *s, int n, struct piece **out, size_t *nout)
{
	size_t k = 0, total = 0;
	struct piece *p;

	for (int i = 0; i < n; i++)
		total += s[i].ranges.n;
	p = calloc(total ? total : 1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	for (int i = 0; i < n; i++)
		for (size_t j = 0; j < s[i].ranges.n; j++)
			p[k++] = (struct piece){ s[i].ranges.r[j].start, s[i].ranges.r[j].end, i };
	if (k > 1)
		qsort(p, k, sizeof(*p), cmp_piece);
	*out = p;
	*nout = k;
	return 0;
}

int nm_aspread_overlap(const struct nm_aspread *s, int n, int *a, int *b, uint64_t *at)
{
	struct piece *p;
	uint64_t reach = 0;
	int reacher = -1;
	size_t k;

	if (pieces(s, n, &p, &k))
		return -ENOMEM;
	for (size_t i = 0; i < k; i++) {
		/* REACH: the furthest end so far, of spread REACHER */
		if (reacher >= 0 && p[i].start < reach && p[i].owner != reacher) {
			*a = reacher < p[i].owner ? reacher : p[i].owner;
			*b = reacher < p[i].owner ? p[i].owner : reacher;
			*at = p[i].start;
			free(p);
			return 1;
		}
		if (p[i].end > reach) {
			reach = p[i].end;
			reacher = p[i].owner;
		}
	}
	free(p);
	return 0;
}

int nm_aspread_excl(const struct nm_aspread *s, int n, struct nm_policy_excl **out,
		    size_t *nout)
{
	struct piece *p;
	struct nm_policy_excl *x;
	size_t k, m = 0;

	*out = NULL;
	*nout = 0;
	if (pieces(s, n, &p, &k))
		return -ENOMEM;
	x = calloc(k ? k : 1, sizeof(*x));
	if (!x) {
		free(p);
		return -ENOMEM;
	}
	for (size_t i = 0; i < k; i++) {
		if (m && p[i].start <= x[m - 1].end) {
			if (p[i].end > x[m - 1].end)
				x[m - 1].end = p[i].end;
			continue;
		}
		x[m++] = (struct nm_policy_excl){ p[i].start, p[i].end };
	}
	free(p);
	*out = x;
	*nout = m;
	return 0;
}

bool nm_aspread_due(const struct nm_aspread *s)
{
	if (!s->applied)
		return true;
	return s->measured && s->check.present && s->check.worst_miss > NM_ASPREAD_TOLERANCE;
}

void nm_aspreads_free(struct nm_aspreads *s)
{
	if (!s)
		return;
	for (int i = 0; i < s->n; i++)
		nm_range_list_free(&s->s[i].ranges);
	free(s->excl);
	free(s);
}
