// SPDX-License-Identifier: GPL-2.0
/* numa_maps against move_pages (see compare.h). */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "bsearch.h"
#include "compare.h"

int nm_nmaps_match_init(struct nm_nmaps_match *m, const struct nm_vma_list *vmas,
			const struct nm_range_list *ranges, uint64_t page_size,
			bool keep_policy)
{
	size_t n = vmas->n ? vmas->n : 1;

	memset(m, 0, sizeof(*m));
	m->vmas = vmas;
	m->page_size = page_size;
	m->covered = calloc(n, sizeof(*m->covered));
	m->seen = calloc(n, sizeof(*m->seen));
	if (keep_policy)
		m->policy = calloc(n, sizeof(*m->policy));
	if (!m->covered || !m->seen || (keep_policy && !m->policy)) {
		nm_nmaps_match_free(m);
		return -ENOMEM;
	}
	/* the bytes of each mapping the ranges cover, in one pass (not a pass
	 * over the ranges per mapping: 60,000 mappings made that quadratic) */
	for (size_t i = 0; i < ranges->n; i++)
		if (ranges->r[i].vma < vmas->n)
			m->covered[ranges->r[i].vma] += ranges->r[i].end - ranges->r[i].start;
	return 0;
}

/* The mapping that starts at START, or vmas->n (the list is by address). */
static size_t vma_at(const struct nm_vma_list *vl, uint64_t start)
{
	size_t i = nm_lower_bound_u64(vl->v, vl->n, sizeof(*vl->v),
				      offsetof(struct nm_vma, start), start);

	return i < vl->n && vl->v[i].start == start ? i : vl->n;
}

static int keep_policy(struct nm_nmaps_match *m, size_t v, const char *pol)
{
	size_t len = strlen(pol) + 1;

	if (!m->last || strcmp(m->arena + m->last - 1, pol)) {
		if (m->alen + len > m->acap) {
			size_t cap = m->acap ? m->acap * 2 : 4096;
			char *a = realloc(m->arena, cap);

			if (!a)
				return -ENOMEM;
			m->arena = a;
			m->acap = cap;
		}
		memcpy(m->arena + m->alen, pol, len);
		m->last = m->alen + 1;
		m->alen += len;
	}
	m->policy[v] = (uint32_t)m->last;
	return 0;
}

int nm_nmaps_match_line(void *ctx, const struct nm_numa_maps_entry *e)
{
	struct nm_nmaps_match *m = ctx;
	size_t v = vma_at(m->vmas, e->start);
	const struct nm_vma *vm;

	if (v == m->vmas->n)
		return 0;
	vm = &m->vmas->v[v];
	m->seen[v] = 1;
	if (m->policy) {
		int rc = keep_policy(m, v, e->policy);

		if (rc)
			return rc;
	}
	if (m->covered[v] != vm->end - vm->start)
		return 0;
	/* numa_maps counts in the mapping's kernel page size */
	nm_numa_maps_entry_pages(e, m->page_size, m->numa_maps);
	return 0;
}

const char *nm_nmaps_policy(const struct nm_nmaps_match *m, size_t v)
{
	if (!m || !m->read_ok || !m->policy || v >= m->vmas->n || !m->policy[v])
		return NULL;
	return m->arena + m->policy[v] - 1;
}

void nm_nmaps_match_free(struct nm_nmaps_match *m)
{
	free(m->covered);
	free(m->seen);
	free(m->policy);
	free(m->arena);
	memset(m, 0, sizeof(*m));
}

void nm_compare_finish(const struct nm_nmaps_match *m, nm_vma_hist_fn row,
		       const void *arg, struct nm_compare *cmp)
{
	struct nm_hist h;

	memset(cmp, 0, sizeof(*cmp));
	if (!m || !m->read_ok)
		return;
	cmp->available = true;
	for (size_t v = 0; v < m->vmas->n; v++) {
		const struct nm_vma *vm = &m->vmas->v[v];

		if (!m->covered[v])
			continue;
		if (!row(arg, v, &h))
			break;
		if (m->covered[v] != vm->end - vm->start || !m->seen[v]) {
			cmp->vmas_partial++;
			continue;
		}
		cmp->vmas_compared++;
		for (int n = 0; n < NM_MAX_NODES; n++)
			cmp->queried[n] += h.node[n];
	}
	memcpy(cmp->numa_maps, m->numa_maps, sizeof(cmp->numa_maps));
	for (int n = 0; n < NM_MAX_NODES; n++) {
		uint64_t a = cmp->numa_maps[n], b = cmp->queried[n];

		cmp->numa_maps_total += a;
		cmp->queried_total += b;
		cmp->diff_pages += a > b ? a - b : b - a;
	}
}

static bool by_vma_row(const void *arg, size_t v, struct nm_hist *out)
{
	const struct nm_query_result *q = arg;

	if (v >= q->nvma)
		return false;
	*out = q->by_vma[v];
	return true;
}

void nm_compare_compute(const struct nm_vma_list *vmas,
			const struct nm_range_list *ranges,
			const struct nm_query_result *q,
			const struct nm_numa_maps *nmaps, uint64_t page_size,
			struct nm_compare *cmp)
{
	struct nm_nmaps_match m;

	memset(cmp, 0, sizeof(*cmp));
	if (!nmaps || !q->by_vma)
		return;
	if (nm_nmaps_match_init(&m, vmas, ranges, page_size, false))
		return;
	m.read_ok = true;
	for (size_t i = 0; i < nmaps->n; i++)
		nm_nmaps_match_line(&m, &nmaps->e[i]);
	nm_compare_finish(&m, by_vma_row, q, cmp);
	nm_nmaps_match_free(&m);
}
