// SPDX-License-Identifier: GPL-2.0
/* The page heat report: aggregation by region and nm_heat_finish (the writers:
 * heatreport.c for text, JSON and CSV, heatsvg.c for the SVG). */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "heatmap.h"
#include "nm.h"

int nm_heat_init(struct nm_heat *h, uint64_t gran)
{
	memset(h, 0, sizeof(*h));
	if (gran < 4096 || (gran & (gran - 1)))
		return -EINVAL;
	h->granularity = gran;
	return 0;
}

void nm_heat_free(struct nm_heat *h)
{
	for (size_t i = 0; i < h->n; i++) {
		free(h->r[i].win);
		free(h->r[i].kmig);
		free(h->r[i].flows);
	}
	free(h->r);
	free(h->slot);
	memset(h, 0, sizeof(*h));
}

static size_t hash(uint64_t k, size_t n)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	return (size_t)(k & (n - 1));
}

static int rehash(struct nm_heat *h, size_t nslot)
{
	size_t *s = calloc(nslot, sizeof(*s));

	if (!s)
		return -ENOMEM;
	for (size_t i = 0; i < h->n; i++) {
		size_t j = hash(h->r[i].start, nslot);

		while (s[j])
			j = (j + 1) & (nslot - 1);
		s[j] = i + 1;
	}
	free(h->slot);
	h->slot = s;
	h->nslot = nslot;
	return 0;
}

/* The region holding START, created when missing; NULL on -ENOMEM or after
 * nm_heat_finish (the order is final then). */
static struct nm_heat_region *region(struct nm_heat *h, uint64_t start)
{
	struct nm_heat_region *r;
	size_t j;

	if (h->finished)
		return NULL;
	start &= ~(h->granularity - 1);
	if (h->nslot) {
		for (j = hash(start, h->nslot); h->slot[j]; j = (j + 1) & (h->nslot - 1))
			if (h->r[h->slot[j] - 1].start == start)
				return &h->r[h->slot[j] - 1];
	}
	if ((h->n + 1) * 2 > h->nslot && rehash(h, h->nslot ? h->nslot * 2 : 1024))
		return NULL;
	if (nm_grow(h->r, h->n, h->cap, 256))
		return NULL;
	r = &h->r[h->n];
	memset(r, 0, sizeof(*r));
	r->start = start;
	r->resident = -1;
	r->dominant = -1;
	for (j = hash(start, h->nslot); h->slot[j]; j = (j + 1) & (h->nslot - 1))
		;
	h->slot[j] = ++h->n;
	return r;
}

int nm_heat_add_faults(struct nm_heat *h, uint64_t start, const struct nm_hf_region *f)
{
	struct nm_heat_region *r = region(h, start);

	if (!r)
		return h->finished ? -EINVAL : -ENOMEM;
	uint64_t cpu = 0, mem = 0, faults;

	for (int n = 0; n < NM_HEAT_NODES; n++) {
		r->access[n] += f->by_cpu_node[n];
		r->fault_page_node[n] += f->by_mem_node[n];
		cpu += f->by_cpu_node[n];
		mem += f->by_mem_node[n];
	}
	/* the kernel's other_node counts both a CPU node and a page node past
	 * the array; each fault adds exactly one CPU and one page count, so
	 * faults = (cpu + mem + other) / 2 and the CPU side's share is the rest */
	faults = (cpu + mem + f->other_node) / 2;
	r->other_access += faults > cpu ? faults - cpu : 0;
	r->migrated += f->migrated;
	r->migrate_failed += f->migrate_failed;
	return 0;
}

int nm_heat_add_pages(struct nm_heat *h, uint64_t start, int node, uint64_t pages)
{
	struct nm_heat_region *r;

	if (node < 0)
		return -EINVAL;	/* before region(): no empty region left behind */
	r = region(h, start);
	if (!r)
		return h->finished ? -EINVAL : -ENOMEM;
	if (node < NM_HEAT_NODES)
		r->pages[node] += pages;
	else
		r->other_pages += pages;
	return 0;
}

int nm_heat_add_thread_moves(struct nm_heat *h, const char *event, int from, int to,
			     uint64_t count)
{
	size_t i;

	h->moves_traced = true;
	for (i = 0; i < h->nmoves; i++)
		if (!strncmp(h->moves[i].event, event, sizeof(h->moves[i].event) - 1) &&
		    h->moves[i].from == from && h->moves[i].to == to)
			break;
	if (i == h->nmoves) {
		if (i == NM_ARRAY_SIZE(h->moves))
			return -ENOSPC;
		snprintf(h->moves[i].event, sizeof(h->moves[i].event), "%s", event);
		h->moves[i].from = from;
		h->moves[i].to = to;
		h->nmoves++;
	}
	h->moves[i].count += count;
	return 0;
}

int nm_heat_set_windows(struct nm_heat *h, uint32_t nwin, double window_s)
{
	if (h->n || !nwin || nwin > 1000 || window_s <= 0)
		return -EINVAL;
	h->nwin = nwin;
	h->window_s = window_s;
	return 0;
}

int nm_heat_window_total(struct nm_heat *h, uint32_t w, uint64_t start, uint64_t cumulative)
{
	struct nm_heat_region *r;
	uint64_t before = 0;

	if (w >= h->nwin)
		return -EINVAL;
	r = region(h, start);
	if (!r)
		return h->finished ? -EINVAL : -ENOMEM;
	if (!r->win) {
		r->win = calloc(h->nwin, sizeof(*r->win));
		if (!r->win)
			return -ENOMEM;
	}
	for (uint32_t k = 0; k < w; k++)
		before += r->win[k];
	r->win[w] = cumulative > before ? (uint32_t)(cumulative - before) : 0;
	return 0;
}

void nm_heat_window_done(struct nm_heat *h, uint32_t w)
{
	if (w < h->nwin && w + 1 > h->wins_done)
		h->wins_done = w + 1;
}

/* Index of REASON in h->reason, added when new; -ENOSPC when full. */
static int reason_index(struct nm_heat *h, const char *reason)
{
	char name[sizeof(h->reason[0].name)];
	size_t i;

	/* compare as stored: a long name is kept truncated, and the same long
	 * name must find that entry again */
	snprintf(name, sizeof(name), "%s", reason);
	for (i = 0; i < h->nreasons; i++)
		if (!strcmp(h->reason[i].name, name))
			return (int)i;
	if (i == NM_ARRAY_SIZE(h->reason))
		return -ENOSPC;
	memcpy(h->reason[i].name, name, sizeof(name));
	h->nreasons++;
	return (int)i;
}

static bool node_ok(int n)
{
	return n >= 0 && n < NM_HEAT_NODES;
}

static int add_flow(struct nm_heat_region *r, int reason, int from, int to, uint64_t pages)
{
	struct nm_heat_flow *nf;

	from = node_ok(from) ? from : -1;
	to = node_ok(to) ? to : -1;
	for (size_t i = 0; i < r->nflows; i++)
		if (r->flows[i].reason == reason && r->flows[i].from == from &&
		    r->flows[i].to == to) {
			r->flows[i].pages += pages;
			return 0;
		}
	nf = realloc(r->flows, (r->nflows + 1) * sizeof(*nf));
	if (!nf)
		return -ENOMEM;
	r->flows = nf;
	nf[r->nflows++] = (struct nm_heat_flow){ (uint16_t)reason, (int16_t)from, (int16_t)to,
						 pages };
	return 0;
}

int nm_heat_add_region_migration(struct nm_heat *h, uint64_t start, const char *reason,
				 int from, int to, uint64_t pages)
{
	struct nm_heat_region *r;
	int i, err;

	/* refuse before creating anything: no empty region or reason left */
	if (h->finished)
		return -EINVAL;
	i = reason_index(h, reason);
	if (i < 0)
		return i;
	r = region(h, start);
	if (!r)
		return -ENOMEM;
	if (!r->kmig) {
		r->kmig = calloc(NM_ARRAY_SIZE(h->reason), sizeof(*r->kmig));
		if (!r->kmig)
			return -ENOMEM;
	}
	err = add_flow(r, i, from, to, pages);
	if (err)
		return err;
	r->kmig[i] += pages;
	r->kmig_total += pages;
	if (!node_ok(from) || !node_ok(to)) {
		r->kmig_unknown_node += pages;
	} else if (from == to) {
		r->kmig_failed += pages;
	} else {
		r->kmig_out[from] += pages;
		r->kmig_in[to] += pages;
	}
	return 0;
}

int nm_heat_add_kernel_migrations(struct nm_heat *h, const char *reason,
				  uint64_t succeeded, uint64_t failed)
{
	int i = reason_index(h, reason);

	if (i < 0)
		return i;
	h->reason[i].succeeded += succeeded;
	h->reason[i].failed += failed;
	return 0;
}

void nm_heat_set_meta(struct nm_heat *h, pid_t pid, double duration_s,
		      uint64_t hint_faults, uint64_t dropped, uint64_t no_addr)
{
	h->pid = pid;
	h->duration_s = duration_s;
	h->hint_faults = hint_faults;
	h->dropped = dropped;
	h->no_addr = no_addr;
}

void nm_heat_set_comm(struct nm_heat *h, const char *comm)
{
	snprintf(h->comm, sizeof(h->comm), "%s", comm ? comm : "");
}

static int by_heat(const void *a, const void *b)
{
	const struct nm_heat_region *x = a, *y = b;

	if (x->total_access != y->total_access)
		return x->total_access > y->total_access ? -1 : 1;
	return x->start < y->start ? -1 : x->start > y->start;
}

static const char *mapping_name(const struct nm_vma *v)
{
	if (v->path)
		return v->path;
	return v->kind == NM_VMA_HEAP ? "[heap]" : v->kind == NM_VMA_STACK ? "[stack]" : "anon";
}

static int by_vma_start(const void *a, const void *b)
{
	const struct nm_vma *x = *(const struct nm_vma *const *)a;
	const struct nm_vma *y = *(const struct nm_vma *const *)b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* The mapping holding most of [S, S + LEN) (ties: the lower address) among
 * the N mappings of BY_START (sorted by start, not overlapping); "unmapped"
 * when none reaches into it. A binary search finds the first mapping ending
 * after S; only the mappings overlapping the region are looked at. */
static const char *label_region(const struct nm_vma *const *by_start, size_t n, uint64_t s,
				uint64_t len)
{
	const char *best = "unmapped";
	uint64_t most = 0;
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (by_start[mid]->end <= s)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t v = lo; v < n && by_start[v]->start < s + len; v++) {
		uint64_t a = by_start[v]->start > s ? by_start[v]->start : s;
		uint64_t e = by_start[v]->end < s + len ? by_start[v]->end : s + len;

		if (e > a && e - a > most) {
			most = e - a;
			best = mapping_name(by_start[v]);
		}
	}
	return best;
}

void nm_heat_finish(struct nm_heat *h, const struct nm_vma_list *vmas)
{
	const struct nm_vma **by_start = NULL;
	size_t nv = 0;

	/* without memory for the index every region says "unmapped" */
	if (vmas && vmas->n && (by_start = calloc(vmas->n, sizeof(*by_start)))) {
		for (size_t v = 0; v < vmas->n; v++)
			by_start[nv++] = &vmas->v[v];
		qsort(by_start, nv, sizeof(*by_start), by_vma_start);
	}
	for (size_t i = 0; i < h->n; i++) {
		struct nm_heat_region *r = &h->r[i];
		uint64_t best = 0;

		r->total_access = r->other_access;
		r->dominant = -1;
		for (int n = 0; n < NM_HEAT_NODES; n++) {
			r->total_access += r->access[n];
			if (r->access[n] > best) {
				best = r->access[n];
				r->dominant = n;
			}
		}
		r->resident = -1;
		best = 0;
		for (int n = 0; n < NM_HEAT_NODES; n++)
			if (r->pages[n] > best) {
				best = r->pages[n];
				r->resident = n;
			}
		r->misplaced = 0;
		if (r->dominant >= 0) {
			r->misplaced = r->other_pages;
			for (int n = 0; n < NM_HEAT_NODES; n++)
				if (n != r->dominant)
					r->misplaced += r->pages[n];
		}
		r->mapping = label_region(by_start, nv, r->start, h->granularity);
	}
	free(by_start);
	if (h->n)	/* qsort(NULL, 0, ...) is undefined behaviour */
		qsort(h->r, h->n, sizeof(*h->r), by_heat);
	free(h->slot);
	h->slot = NULL;
	h->nslot = 0;
	h->finished = true;
}

uint64_t nm_heat_samples(const struct nm_heat *h)
{
	uint64_t s = 0;

	for (size_t i = 0; i < h->n; i++) {
		s += h->r[i].other_access;
		for (int n = 0; n < NM_HEAT_NODES; n++)
			s += h->r[i].access[n];
	}
	return s;
}

/* Highest node with pages or accesses anywhere, for columns. */
int nm_heat_max_node(const struct nm_heat *h)
{
	int m = 0;

	for (size_t i = 0; i < h->n; i++)
		for (int n = NM_HEAT_NODES - 1; n > m; n--)
			if (h->r[i].pages[n] || h->r[i].access[n] || h->r[i].kmig_in[n] ||
			    h->r[i].kmig_out[n])
				m = n;
	return m;
}

uint64_t nm_heat_region_pages(const struct nm_heat_region *r)
{
	uint64_t p = r->other_pages;

	for (int n = 0; n < NM_HEAT_NODES; n++)
		p += r->pages[n];
	return p;
}

bool nm_heat_region_misplaced(const struct nm_heat_region *r)
{
	return r->dominant >= 0 && r->resident >= 0 && r->dominant != r->resident;
}
