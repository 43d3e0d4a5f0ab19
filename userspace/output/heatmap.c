// SPDX-License-Identifier: GPL-2.0
/* The page heat report: aggregation and its four output formats. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "heatmap.h"
#include "json.h"
#include "report.h"

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
static int max_node(const struct nm_heat *h)
{
	int m = 0;

	for (size_t i = 0; i < h->n; i++)
		for (int n = NM_HEAT_NODES - 1; n > m; n--)
			if (h->r[i].pages[n] || h->r[i].access[n] || h->r[i].kmig_in[n] ||
			    h->r[i].kmig_out[n])
				m = n;
	return m;
}

/* "  0x7f..000  numa_misplaced node 0 -> 1: 8192 pages" for the listed
 * regions that the kernel migrated pages of. */
static void text_flows(FILE *f, const struct nm_heat *h, size_t max_rows)
{
	bool any = false;

	for (size_t i = 0; i < h->n && i < max_rows; i++) {
		const struct nm_heat_region *r = &h->r[i];

		for (size_t fi = 0; fi < r->nflows; fi++) {
			const struct nm_heat_flow *fl = &r->flows[fi];
			char from[12] = "?", to[12] = "?";

			if (!any)
				fprintf(f, "kernel migrations by region (reason, source -> destination "
					"node; a failed one stays on its node):\n");
			any = true;
			if (fl->from >= 0)
				snprintf(from, sizeof(from), "%d", fl->from);
			if (fl->to >= 0)
				snprintf(to, sizeof(to), "%d", fl->to);
			fprintf(f, "  0x%016" PRIx64 "  %-16s node %s -> %s: %" PRIu64 " pages%s\n",
				r->start, h->reason[fl->reason].name, from, to, fl->pages,
				fl->from >= 0 && fl->from == fl->to ? " (failed)" : "");
		}
	}
}

static uint64_t region_pages(const struct nm_heat_region *r)
{
	uint64_t p = r->other_pages;

	for (int n = 0; n < NM_HEAT_NODES; n++)
		p += r->pages[n];
	return p;
}

static void header_lines(FILE *f, const struct nm_heat *h, const char *prefix)
{
	uint64_t samples = nm_heat_samples(h);

	fprintf(f, "%spid %d: %.1f s traced, %" PRIu64 " hinting faults, %" PRIu64
		" samples placed in %zu regions of %" PRIu64 " KiB, %" PRIu64
		" dropped (region map full), %" PRIu64 " without address\n", prefix, h->pid,
		h->duration_s, h->hint_faults, samples, h->n, h->granularity / 1024, h->dropped,
		h->no_addr);
	if (!samples)
		fprintf(f, "%sWARNING: no hinting-fault samples: access heat is unknown (is "
			"kernel.numa_balancing on? see 'numa-migrate features')\n", prefix);
	if (h->dropped || h->no_addr)
		fprintf(f, "%sWARNING: %" PRIu64 " samples are missing from the regions below\n",
			prefix, h->dropped + h->no_addr);
	if (h->mig_dropped)
		fprintf(f, "%sWARNING: %" PRIu64 " kernel migrations could not be placed in "
			"regions (region map full)\n", prefix, h->mig_dropped);
}

void nm_heat_report_text(FILE *f, const struct nm_heat *h, size_t max_rows)
{
	static const char scale[] = " .:-=+*#%@";
	int mn = max_node(h);
	uint64_t top = 0;

	header_lines(f, h, "");
	for (size_t i = 0; i < h->n; i++)
		for (int n = 0; n <= mn; n++)
			if (h->r[i].access[n] > top)
				top = h->r[i].access[n];
	fprintf(f, "\nheat strip: one character per accessing node 0..%d, ' ' none to '@' "
		"the most accesses of any region and node (%" PRIu64 ")\n", mn, top);
	/* the strip column: "[" + one char per node + "]", at least "strip" wide */
	int sw = mn + 3 > 6 ? mn + 3 : 6;

	fprintf(f, "%-18s %-*s %8s %8s %4s %9s %8s  %s\n", "region", sw, "strip", "accesses",
		"pages", "dom", "misplaced", "kmigr", "mapping");
	for (size_t i = 0; i < h->n && i < max_rows; i++) {
		const struct nm_heat_region *r = &h->r[i];
		char strip[NM_HEAT_NODES + 1], name[512];

		for (int n = 0; n <= mn; n++)
			strip[n] = scale[top ? (r->access[n] * 9 + top - 1) / top : 0];
		strip[mn + 1] = 0;
		fprintf(f, "0x%016" PRIx64 " [%s]%*s %8" PRIu64 " %8" PRIu64 " ", r->start, strip,
			sw - (mn + 3), "", r->total_access, region_pages(r));
		if (r->dominant >= 0)
			fprintf(f, "%4d", r->dominant);
		else
			fprintf(f, "%4s", "-");
		fprintf(f, " %9" PRIu64 " %8" PRIu64 "  %s\n", r->misplaced, r->kmig_total,
			nm_text_escape(r->mapping ? r->mapping : "", name, sizeof(name)));
	}
	if (h->n > max_rows)
		fprintf(f, "(%zu more regions; --json or --csv list them all)\n", h->n - max_rows);
	fprintf(f, "kmigr: pages the kernel migrated in the region while traced\n");
	text_flows(f, h, max_rows);
	fprintf(f, "threads moved by the scheduler:");
	if (!h->moves_traced)
		fprintf(f, " not traced");
	else if (!h->nmoves)
		fprintf(f, " none");
	for (size_t i = 0; i < h->nmoves; i++)
		fprintf(f, " %s node %d -> %d: %" PRIu64 "%s", h->moves[i].event, h->moves[i].from,
			h->moves[i].to, h->moves[i].count, i + 1 < h->nmoves ? ";" : "");
	fprintf(f, "\n");
	fprintf(f, "kernel migrations of this process:");
	if (!h->nreasons)
		fprintf(f, " none");
	for (size_t i = 0; i < h->nreasons; i++)
		fprintf(f, " %s %" PRIu64 " succeeded %" PRIu64 " failed%s", h->reason[i].name,
			h->reason[i].succeeded, h->reason[i].failed, i + 1 < h->nreasons ? ";" : "");
	fprintf(f, "\n");
}

static struct json_object *by_node(const uint64_t *v, uint64_t other)
{
	struct json_object *o = json_object_new_object();
	char key[12];

	for (int n = 0; n < NM_HEAT_NODES; n++) {
		if (!v[n])
			continue;
		snprintf(key, sizeof(key), "%d", n);
		json_object_object_add(o, key, json_object_new_uint64(v[n]));
	}
	if (other)
		json_object_object_add(o, "other", json_object_new_uint64(other));
	return o;
}

struct json_object *nm_heat_json(const struct nm_heat *h)
{
	struct json_object *o = json_object_new_object(), *a = json_object_new_array(), *k;
	char buf[24];

	json_object_object_add(o, "pid", json_object_new_int(h->pid));
	json_object_object_add(o, "duration_s", json_object_new_double(h->duration_s));
	json_object_object_add(o, "granularity", json_object_new_uint64(h->granularity));
	json_object_object_add(o, "hint_faults", json_object_new_uint64(h->hint_faults));
	json_object_object_add(o, "samples", json_object_new_uint64(nm_heat_samples(h)));
	json_object_object_add(o, "dropped", json_object_new_uint64(h->dropped));
	json_object_object_add(o, "no_address", json_object_new_uint64(h->no_addr));
	json_object_object_add(o, "migrations_dropped", json_object_new_uint64(h->mig_dropped));
	for (size_t i = 0; i < h->n; i++) {
		const struct nm_heat_region *r = &h->r[i];
		struct json_object *e = json_object_new_object();

		snprintf(buf, sizeof(buf), "0x%" PRIx64, r->start);
		json_object_object_add(e, "start", nm_json_str(buf));
		snprintf(buf, sizeof(buf), "0x%" PRIx64, r->start + h->granularity);
		json_object_object_add(e, "end", nm_json_str(buf));
		json_object_object_add(e, "mapping", nm_json_str(r->mapping ? r->mapping : ""));
		json_object_object_add(e, "pages_by_node", by_node(r->pages, r->other_pages));
		json_object_object_add(e, "accesses_by_node", by_node(r->access, r->other_access));
		json_object_object_add(e, "accesses", json_object_new_uint64(r->total_access));
		json_object_object_add(e, "hint_faults_by_page_node", by_node(r->fault_page_node, 0));
		json_object_object_add(e, "dominant_node", r->dominant >= 0 ?
				       json_object_new_int(r->dominant) : NULL);
		json_object_object_add(e, "misplaced_pages", json_object_new_uint64(r->misplaced));
		json_object_object_add(e, "migrated_on_fault", json_object_new_uint64(r->migrated));
		json_object_object_add(e, "migrate_failed_on_fault",
				       json_object_new_uint64(r->migrate_failed));
		{
			struct json_object *km = json_object_new_object();

			for (size_t ri = 0; r->kmig && ri < h->nreasons; ri++)
				if (r->kmig[ri])
					json_object_object_add(km, h->reason[ri].name,
							       json_object_new_uint64(r->kmig[ri]));
			json_object_object_add(e, "kernel_migrations", km);
			json_object_object_add(e, "migrated_in_by_node", by_node(r->kmig_in, 0));
			json_object_object_add(e, "migrated_out_by_node", by_node(r->kmig_out, 0));
			json_object_object_add(e, "kernel_migrations_failed",
					       json_object_new_uint64(r->kmig_failed));
			json_object_object_add(e, "kernel_migrations_unknown_node",
					       json_object_new_uint64(r->kmig_unknown_node));
			km = json_object_new_array();
			for (size_t fi = 0; fi < r->nflows; fi++) {
				const struct nm_heat_flow *fl = &r->flows[fi];
				struct json_object *fo = json_object_new_object();

				json_object_object_add(fo, "reason",
						       nm_json_str(h->reason[fl->reason].name));
				json_object_object_add(fo, "from_node", fl->from >= 0 ?
						       json_object_new_int(fl->from) : NULL);
				json_object_object_add(fo, "to_node", fl->to >= 0 ?
						       json_object_new_int(fl->to) : NULL);
				json_object_object_add(fo, "pages", json_object_new_uint64(fl->pages));
				json_object_array_add(km, fo);
			}
			json_object_object_add(e, "kernel_migration_flows", km);
		}
		if (h->wins_done) {
			struct json_object *wa = json_object_new_array();

			for (uint32_t wi = 0; wi < h->wins_done; wi++)
				json_object_array_add(wa, json_object_new_uint64(r->win ? r->win[wi] : 0));
			json_object_object_add(e, "accesses_by_window", wa);
		}
		json_object_array_add(a, e);
	}
	json_object_object_add(o, "regions", a);
	if (h->wins_done) {
		struct json_object *w = json_object_new_object();

		json_object_object_add(w, "count", json_object_new_int((int)h->wins_done));
		json_object_object_add(w, "seconds", json_object_new_double(h->window_s));
		json_object_object_add(o, "windows", w);
	}
	k = json_object_new_object();
	for (size_t i = 0; i < h->nreasons; i++) {
		struct json_object *x = json_object_new_object();

		json_object_object_add(x, "succeeded", json_object_new_uint64(h->reason[i].succeeded));
		json_object_object_add(x, "failed", json_object_new_uint64(h->reason[i].failed));
		json_object_object_add(k, h->reason[i].name, x);
	}
	json_object_object_add(o, "kernel_migrations", k);
	if (h->moves_traced) {
		struct json_object *mv = json_object_new_array();

		for (size_t i = 0; i < h->nmoves; i++) {
			struct json_object *x = json_object_new_object();

			json_object_object_add(x, "event", nm_json_str(h->moves[i].event));
			json_object_object_add(x, "from_node", json_object_new_int(h->moves[i].from));
			json_object_object_add(x, "to_node", json_object_new_int(h->moves[i].to));
			json_object_object_add(x, "count", json_object_new_uint64(h->moves[i].count));
			json_object_array_add(mv, x);
		}
		json_object_object_add(o, "thread_moves", mv);
	}
	return o;
}

void nm_heat_report_meta(FILE *f, const struct nm_heat *h, const char *prefix)
{
	header_lines(f, h, prefix);
}

void nm_heat_report_csv(FILE *f, const struct nm_heat *h)
{
	int mn = max_node(h);

	fprintf(f, "start,end,mapping,accesses,dominant_node,misplaced_pages,kernel_migrated_pages");
	for (int n = 0; n <= mn; n++)
		fprintf(f, ",pages_node%d", n);
	for (int n = 0; n <= mn; n++)
		fprintf(f, ",accesses_node%d", n);
	for (int n = 0; n <= mn; n++)
		fprintf(f, ",migrated_in_node%d,migrated_out_node%d", n, n);
	fprintf(f, ",kernel_migrations_failed\n");
	for (size_t i = 0; i < h->n; i++) {
		const struct nm_heat_region *r = &h->r[i];
		fprintf(f, "0x%" PRIx64 ",0x%" PRIx64 ",", r->start, r->start + h->granularity);
		nm_csv_field(f, r->mapping ? r->mapping : "");
		fprintf(f, ",%" PRIu64 ",", r->total_access);
		if (r->dominant >= 0)
			fprintf(f, "%d", r->dominant);
		fprintf(f, ",%" PRIu64 ",%" PRIu64, r->misplaced, r->kmig_total);
		for (int n = 0; n <= mn; n++)
			fprintf(f, ",%" PRIu64, r->pages[n]);
		for (int n = 0; n <= mn; n++)
			fprintf(f, ",%" PRIu64, r->access[n]);
		for (int n = 0; n <= mn; n++)
			fprintf(f, ",%" PRIu64 ",%" PRIu64, r->kmig_in[n], r->kmig_out[n]);
		fprintf(f, ",%" PRIu64 "\n", r->kmig_failed);
	}
}

static void xml_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&apos;", f); break;
		default:
			if ((unsigned char)*s >= 0x20)
				fputc(*s, f);
		}
	}
}

static int by_start(const void *a, const void *b)
{
	const struct nm_heat_region *x = *(const struct nm_heat_region *const *)a;
	const struct nm_heat_region *y = *(const struct nm_heat_region *const *)b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* Regions (rows, by address) x accessing node (columns), colour by accesses. */
void nm_heat_report_svg(FILE *f, const struct nm_heat *h)
{
	enum { ROWS = 200, CW = 60, RH = 12, LEFT = 170, TOP = 70 };
	const struct nm_heat_region **rows = calloc(h->n ? h->n : 1, sizeof(*rows));
	int mn = max_node(h), w, ht;
	size_t nrows = h->n < ROWS ? h->n : ROWS;
	uint64_t top = 1;
	char line[256];

	for (size_t i = 0; rows && i < h->n; i++)
		rows[i] = &h->r[i];
	if (rows)
		qsort(rows, h->n, sizeof(*rows), by_start);
	for (size_t i = 0; i < h->n; i++)
		for (int n = 0; n <= mn; n++)
			if (h->r[i].access[n] > top)
				top = h->r[i].access[n];
	/* panel 2 (address x time window) sits right of panel 1's legend */
	int p2x = LEFT + (mn + 1) * CW + 110, ww;
	uint32_t nw = h->wins_done < 120 ? h->wins_done : 120;
	uint64_t wtop = 1;

	/* panel 2 is at least 480 px wide whatever the window count */
	ww = nw ? (int)(480 / nw) : 10;
	ww = ww < 4 ? 4 : ww > 40 ? 40 : ww;
	for (size_t i = 0; i < h->n; i++)
		for (uint32_t k = 0; h->r[i].win && k < nw; k++)
			if (h->r[i].win[k] > wtop)
				wtop = h->r[i].win[k];
	w = p2x + (int)(nw ? nw : 20) * ww + 40;
	if (w < 1000)
		w = 1000;	/* room for the title line */
	ht = TOP + (int)(nrows ? nrows : 1) * RH + 60;
	if (ht < TOP + 140)
		ht = TOP + 140;	/* the legend is 11 steps tall */
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		"font-family=\"monospace\" font-size=\"11\">\n"
		"<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n", w, ht);
	snprintf(line, sizeof(line), "numa-migrate trace: pid %d, %.1f s, %" PRIu64
		 " samples, %" PRIu64 " dropped, %" PRIu64 " without address", h->pid,
		 h->duration_s, nm_heat_samples(h), h->dropped, h->no_addr);
	fprintf(f, "<text x=\"10\" y=\"20\" font-size=\"14\">");
	xml_text(f, line);
	fprintf(f, "</text>\n<text x=\"10\" y=\"%d\">region start (x-axis: accessing node)</text>\n",
		TOP - 25);
	for (int n = 0; n <= mn; n++)
		fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">node %d</text>\n",
			LEFT + n * CW + CW / 2, TOP - 8, n);
	for (size_t i = 0; rows && i < nrows; i++) {
		const struct nm_heat_region *r = rows[i];
		int y = TOP + (int)i * RH;

		fprintf(f, "<text x=\"10\" y=\"%d\">0x%012" PRIx64 "</text>\n", y + RH - 2, r->start);
		for (int n = 0; n <= mn; n++) {
			unsigned int v = (unsigned int)(255 - r->access[n] * 255 / top);

			fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
				"fill=\"rgb(255,%u,%u)\" stroke=\"#ddd\"><title>0x%" PRIx64
				" node %d: %" PRIu64 " accesses</title></rect>\n", LEFT + n * CW, y,
				CW, RH, v, v, r->start, n, r->access[n]);
		}
	}
	if (h->n > nrows)
		fprintf(f, "<text x=\"10\" y=\"%d\">%zu more regions not drawn (see --json)</text>\n",
			TOP + (int)nrows * RH + 14, h->n - nrows);
	/* legend */
	fprintf(f, "<text x=\"%d\" y=\"%d\">accesses</text>\n", LEFT + (mn + 1) * CW + 20, TOP);
	for (int k = 0; k <= 10; k++) {
		unsigned int v = (unsigned int)(255 - k * 255 / 10);

		fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"20\" height=\"10\" fill=\"rgb(255,%u,%u)\" "
			"stroke=\"#ccc\"/>\n", LEFT + (mn + 1) * CW + 20, TOP + 6 + k * 10, v, v);
	}
	fprintf(f, "<text x=\"%d\" y=\"%d\">0</text>\n<text x=\"%d\" y=\"%d\">%" PRIu64 "</text>\n",
		LEFT + (mn + 1) * CW + 45, TOP + 15, LEFT + (mn + 1) * CW + 45, TOP + 115, top);
	/* panel 2: the same rows, one column per time window */
	if (!nw) {
		fprintf(f, "<text x=\"%d\" y=\"%d\">no time windows recorded</text>\n", p2x,
			TOP + 10);
	} else {
		fprintf(f, "<text x=\"%d\" y=\"%d\">accesses over time: %u windows of %.1f s "
			"(darkest: %" PRIu64 ")</text>\n", p2x, TOP - 25, nw, h->window_s, wtop);
		fprintf(f, "<text x=\"%d\" y=\"%d\">0 s</text>\n<text x=\"%d\" y=\"%d\" "
			"text-anchor=\"end\">%.0f s</text>\n", p2x, TOP - 8, p2x + (int)nw * ww,
			TOP - 8, nw * h->window_s);
		for (size_t i = 0; rows && i < nrows; i++) {
			const struct nm_heat_region *r = rows[i];

			for (uint32_t k = 0; k < nw; k++) {
				uint64_t c = r->win ? r->win[k] : 0;
				unsigned int v = (unsigned int)(255 - c * 255 / wtop);

				fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
					"fill=\"rgb(%u,%u,255)\" stroke=\"#eee\"><title>0x%" PRIx64 " window %u: %"
					PRIu64 " accesses</title></rect>\n", p2x + (int)k * ww,
					TOP + (int)i * RH, ww, RH, v, v, r->start, k, c);
			}
		}
	}
	fprintf(f, "</svg>\n");
	free(rows);
}
