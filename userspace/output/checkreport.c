// SPDX-License-Identifier: GPL-2.0
/*
 * The check report: text (the seed's "Node 0: 4.2% pages" lines, a table
 * by node, the numa_maps cross-check, rows by mapping), JSON and CSV.
 * Rows come from the compact per-mapping counts (vmacount.h), expanded one
 * at a time.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/printbuf.h>
#include "parse.h"
#include "json.h"
#include "report_int.h"

/* ---- check ------------------------------------------------------------------ */

/* The number of mapping rows R holds. */
static size_t mapping_rows(const struct nm_check_report *r)
{
	size_t n = r->by_vma ? r->by_vma->n : 0;

	return n < r->vmas->n ? n : r->vmas->n;
}

static void check_text_mappings(FILE *f, const struct nm_check_report *r)
{
	const struct nm_query_result *q = r->q;
	int last = last_node(&r->nodes, &q->total);

	fprintf(f, "\n%-33s %-4s %-7s %9s", "mapping", "perm", "kind", "pages");
	for (int n = 0; n <= last; n++)
		if (show_node(&r->nodes, &q->total, n))
			fprintf(f, " %8s%-2d", "node", n);
	fprintf(f, " %9s %6s  %s\n", "absent", "thp", "path");
	for (size_t v = 0; v < mapping_rows(r); v++) {
		const struct nm_vma *vm = &r->vmas->v[v];
		struct nm_hist hv, *h = &hv;
		uint64_t pages;

		nm_vmacount_get(r->by_vma, v, h);
		pages = h->present + h->not_present + h->error;

		if (!pages)
			continue;
		fprintf(f, "%016" PRIx64 "-%016" PRIx64 " %-4s %-7s %9" PRIu64,
			vm->start, vm->end, vm->perms, nm_vma_kind_name(vm->kind), pages);
		for (int n = 0; n <= last; n++)
			if (show_node(&r->nodes, &q->total, n))
				fprintf(f, " %10" PRIu64, h->node[n]);
		fprintf(f, " %9" PRIu64, h->not_present);
		if (r->from_numa_maps)	/* numa_maps has no huge page count */
			fprintf(f, " %6s  ", "-");
		else
			fprintf(f, " %6" PRIu64 "  ", h->thp);
		put_escaped(f, vm->path ? vm->path : "");
		fputc('\n', f);
	}
}

void nm_check_text(FILE *f, const struct nm_check_report *r)
{
	const struct nm_query_result *q = r->q;
	const struct nm_compare *c = r->cmp;
	int last = last_node(&r->nodes, &q->total);
	char b1[32], comm[256];

	fprintf(f, "pid %d (%s): %" PRIu64 " pages %s (%s)", r->pid,
		comm_text(r->comm, comm, sizeof(comm)), q->examined,
		r->from_numa_maps ? "mapped" : "examined",
		nm_fmt_bytes(q->examined * r->page_size, b1, sizeof(b1)));
	fprintf(f, ", %" PRIu64 " present, %" PRIu64 " not present%s",
		q->total.present, q->total.not_present, r->range_text ? ", range " : "");
	put_escaped(f, r->range_text ? r->range_text : "");
	fputc('\n', f);
	if (r->from_numa_maps)
		fprintf(f, "source: numa_maps (one read of /proc/%d/numa_maps, as numastat -p; "
			"--exact adds the page-exact move_pages query and cross-checks the two)\n",
			r->pid);
	else
		fprintf(f, "source: page_exact (move_pages query of every page, cross-checked "
			"with numa_maps)\n");
	if (r->partial)
		fprintf(f, "PARTIAL: %s; counts cover only the pages examined before\n",
			r->partial_why ? r->partial_why : "the process exited during the query");
	for (int n = 0; n <= last; n++)
		if (show_node(&r->nodes, &q->total, n))
			fprintf(f, "Node %d: %.1f%% pages\n", n,
				nm_percent(q->total.node[n], q->total.present));

	/* from numa_maps, the pages column is numa_maps' */
	fprintf(f, "\n%-8s %12s %12s %7s", "node", "pages", "bytes", "share");
	fprintf(f, r->from_numa_maps ? "\n" : " %12s\n", "numa_maps");
	for (int n = 0; n <= last; n++) {
		if (!show_node(&r->nodes, &q->total, n))
			continue;
		fprintf(f, "%-8d %12" PRIu64 " %12s %6.1f%%", n, q->total.node[n],
			nm_fmt_bytes(q->total.node[n] * r->page_size, b1, sizeof(b1)),
			nm_percent(q->total.node[n], q->total.present));
		if (c && c->available)
			fprintf(f, " %12" PRIu64 "\n", c->numa_maps[n]);
		else
			fprintf(f, r->from_numa_maps ? "\n" : " %12s\n", "-");
	}
	fprintf(f, "%-8s %12" PRIu64 "\n", "absent", q->total.not_present);
	if (q->total.error)
		fprintf(f, "%-8s %12" PRIu64 "  (move_pages query returned an error)\n",
			"error", q->total.error);
	if (r->from_numa_maps)
		fprintf(f, "THP: not counted (numa_maps has no huge page count; --exact counts them)\n");
	else if (q->kpageflags_ok)
		fprintf(f, "THP: %" PRIu64 " huge pages (%" PRIu64 " base pages)\n",
			q->total.thp, q->total.thp_pages);
	else
		fprintf(f, "THP: cannot tell (needs CAP_SYS_ADMIN for PFNs and /proc/kpageflags)\n");

	if (r->from_numa_maps) {
		/* the source line says it: nothing to cross-check against */
	} else if (!c || !c->available) {
		fprintf(f, "numa_maps: not readable, no cross-check\n");
	} else if (!c->vmas_compared) {
		fprintf(f, "numa_maps: no mapping lies wholly in the range, no cross-check\n");
	} else if (!c->diff_pages) {
		fprintf(f, "numa_maps agrees with move_pages over %zu mapping(s) (%" PRIu64
			" pages)\n", c->vmas_compared, c->queried_total);
	} else {
		fprintf(f, "numa_maps DISAGREES with move_pages by %" PRIu64
			" pages over %zu mapping(s):", c->diff_pages, c->vmas_compared);
		for (int n = 0; n < NM_MAX_NODES; n++)
			if (c->numa_maps[n] != c->queried[n])
				fprintf(f, " node %d numa_maps %" PRIu64 " move_pages %" PRIu64 ";",
					n, c->numa_maps[n], c->queried[n]);
		fprintf(f, " (pages changed between the two reads, or numa_maps counts "
			"pages move_pages cannot see)\n");
	}
	if (c && c->vmas_partial)
		fprintf(f, "numa_maps: %zu mapping(s) only partly in the range are not "
			"cross-checked (numa_maps counts whole mappings)\n", c->vmas_partial);
	if (r->by_mapping)
		check_text_mappings(f, r);
}

static struct json_object *nodes_json(const struct nm_nodemask *m,
				      const struct nm_hist *h, uint64_t ps,
				      const struct nm_compare *c)
{
	struct json_object *o = json_object_new_object();
	int last = last_node(m, h);

	for (int n = 0; n <= last; n++) {
		struct json_object *e;
		char key[12];

		if (!show_node(m, h, n))
			continue;
		e = json_object_new_object();
		json_object_object_add(e, "pages", j_u64(h->node[n]));
		json_object_object_add(e, "bytes", j_u64(h->node[n] * ps));
		json_object_object_add(e, "percent", nm_json_pct(nm_percent(h->node[n], h->present)));
		if (c && c->available)
			json_object_object_add(e, "numa_maps_pages", j_u64(c->numa_maps[n]));
		snprintf(key, sizeof(key), "%d", n);
		json_object_object_add(o, key, e);
	}
	return o;
}

/* Row V as JSON, or NULL when the mapping had no page in the range. */
static struct json_object *mapping_json(const struct nm_check_report *r, size_t v)
{
	const struct nm_vma *vm = &r->vmas->v[v];
	const char *policy = nm_nmaps_policy(r->nmaps, v);
	struct nm_hist hv, *h = &hv;
	struct json_object *m;
	uint64_t pages;

	nm_vmacount_get(r->by_vma, v, h);
	pages = h->present + h->not_present + h->error;
	if (!pages)
		return NULL;
	m = json_object_new_object();
	json_object_object_add(m, "start", nm_json_hex(vm->start));
	json_object_object_add(m, "end", nm_json_hex(vm->end));
	json_object_object_add(m, "perms", nm_json_str(vm->perms));
	json_object_object_add(m, "kind", nm_json_str(nm_vma_kind_name(vm->kind)));
	json_object_object_add(m, "path", vm->path ? nm_json_str(vm->path) : NULL);
	json_object_object_add(m, "pages", j_u64(pages));
	json_object_object_add(m, "present", j_u64(h->present));
	json_object_object_add(m, "not_present", j_u64(h->not_present));
	json_object_object_add(m, "huge_pages", j_u64(h->thp));
	json_object_object_add(m, "nodes", nodes_json(&r->nodes, h, r->page_size, NULL));
	if (policy)
		json_object_object_add(m, "policy", nm_json_str(policy));
	return m;
}

struct json_object *nm_check_json(const struct nm_check_report *r)
{
	const struct nm_query_result *q = r->q;
	const struct nm_compare *c = r->cmp;
	struct json_object *o = json_object_new_object(), *t;

	json_object_object_add(o, "pid", json_object_new_int(r->pid));
	json_object_object_add(o, "comm", nm_json_str(r->comm ? r->comm : ""));
	json_object_object_add(o, "page_size", j_u64(r->page_size));
	json_object_object_add(o, "range", r->range_text ?
			       nm_json_str(r->range_text) : NULL);
	json_object_object_add(o, "source", json_object_new_string(r->from_numa_maps ?
			       "numa_maps" : "page_exact"));
	json_object_object_add(o, "partial", json_object_new_boolean(r->partial));
	json_object_object_add(o, "pages", j_u64(q->examined));
	json_object_object_add(o, "present", j_u64(q->total.present));
	json_object_object_add(o, "not_present", j_u64(q->total.not_present));
	json_object_object_add(o, "errors", j_u64(q->total.error));
	json_object_object_add(o, "nodes", nodes_json(&r->nodes, &q->total, r->page_size, c));
	t = json_object_new_object();
	json_object_object_add(t, "detected", json_object_new_boolean(q->kpageflags_ok));
	json_object_object_add(t, "huge_pages", j_u64(q->total.thp));
	json_object_object_add(t, "base_pages", j_u64(q->total.thp_pages));
	json_object_object_add(o, "thp", t);
	json_object_object_add(o, "numa_maps_available",
			       json_object_new_boolean(r->from_numa_maps || (c && c->available)));
	/* null when nothing was compared: neither agreement nor its opposite */
	json_object_object_add(o, "numa_maps_agrees", c && c->available && c->vmas_compared ?
			       json_object_new_boolean(!c->diff_pages) : NULL);
	json_object_object_add(o, "numa_maps_diff_pages", j_u64(c ? c->diff_pages : 0));
	json_object_object_add(o, "numa_maps_compared_mappings",
			       j_u64(c ? c->vmas_compared : 0));
	if (r->by_mapping) {
		struct json_object *a = json_object_new_array(), *m;

		for (size_t v = 0; v < mapping_rows(r); v++)
			if ((m = mapping_json(r, v)))
				json_object_array_add(a, m);
		json_object_object_add(o, "mappings", a);
	}
	return o;
}

/* ---- --by-mapping --json, written as it is printed ----------------------- */

/* What the rows need once check has returned: the document is printed by
 * main, later. */
struct rows {
	struct nm_check_report r;	/* vmas, by_vma, nmaps, nodes, page_size */
	struct nm_vma_list vmas;
	struct nm_vmacount vc;
	struct nm_nmaps_match nm;
	FILE *out;
};

/* Writes what PB holds to OUT (when streaming) once it is large. */
static void drain(struct rows *k, struct printbuf *pb, int at_least)
{
	if (k->out && pb->bpos >= at_least) {
		fwrite(pb->buf, 1, (size_t)pb->bpos, k->out);
		printbuf_reset(pb);
	}
}

static void indent(struct printbuf *pb, int level, int flags)
{
	if (flags & JSON_C_TO_STRING_PRETTY)
		printbuf_memset(pb, -1, (flags & JSON_C_TO_STRING_PRETTY_TAB) ? '\t' : ' ',
				(flags & JSON_C_TO_STRING_PRETTY_TAB) ? level : level * 2);
}

/* S, the text of a value serialized alone, as json-c writes it LEVEL deep:
 * every line after the first indented LEVEL more. */
static void put_at_level(struct printbuf *pb, const char *s, int level, int flags)
{
	for (const char *nl; (nl = strchr(s, '\n')); s = nl + 1) {
		printbuf_memappend(pb, s, (int)(nl - s + 1));
		indent(pb, level, flags);
	}
	printbuf_memappend(pb, s, (int)strlen(s));
}

/*
 * The "mappings" array, a row at a time: the same text json-c's array
 * writer gives (brackets, commas, newlines and indents by FLAGS), each row
 * built, written and freed before the next, and the text so far handed to
 * OUT as it grows, so memory stays one row whatever the mapping count.
 */
static int rows_to_json(struct json_object *jso, struct printbuf *pb, int level, int flags)
{
	struct rows *k = json_object_get_userdata(jso);
	bool any = false;
	struct json_object *m;

	drain(k, pb, 0);
	printbuf_strappend(pb, "[");
	if (flags & JSON_C_TO_STRING_PRETTY)
		printbuf_strappend(pb, "\n");
	for (size_t v = 0; v < mapping_rows(&k->r); v++) {
		if (!(m = mapping_json(&k->r, v)))
			continue;
		if (any) {
			printbuf_strappend(pb, ",");
			if (flags & JSON_C_TO_STRING_PRETTY)
				printbuf_strappend(pb, "\n");
		}
		any = true;
		if ((flags & JSON_C_TO_STRING_SPACED) && !(flags & JSON_C_TO_STRING_PRETTY))
			printbuf_strappend(pb, " ");
		indent(pb, level + 1, flags);
		put_at_level(pb, json_object_to_json_string_ext(m, flags), level + 1, flags);
		json_object_put(m);
		drain(k, pb, 1 << 16);
	}
	if (flags & JSON_C_TO_STRING_PRETTY) {
		if (any)
			printbuf_strappend(pb, "\n");
		indent(pb, level, flags);
	}
	if ((flags & JSON_C_TO_STRING_SPACED) && !(flags & JSON_C_TO_STRING_PRETTY))
		return printbuf_strappend(pb, " ]");
	return printbuf_strappend(pb, "]");
}

static void rows_free(struct json_object *jso, void *userdata)
{
	struct rows *k = userdata;

	(void)jso;
	nm_vma_list_free(&k->vmas);
	nm_vmacount_free(&k->vc);
	nm_nmaps_match_free(&k->nm);
	free(k);
}

struct json_object *nm_check_json_streamed(const struct nm_check_report *r,
					   struct nm_vma_list *vmas, struct nm_vmacount *vc,
					   struct nm_nmaps_match *nmaps, FILE *out)
{
	struct rows *k = calloc(1, sizeof(*k));
	struct json_object *o, *a;

	if (!k)
		return NULL;
	k->vmas = *vmas;
	k->vc = *vc;
	k->nm = *nmaps;
	k->nm.vmas = &k->vmas;
	memset(vmas, 0, sizeof(*vmas));
	memset(vc, 0, sizeof(*vc));
	memset(nmaps, 0, sizeof(*nmaps));
	k->out = out;
	k->r = *r;
	k->r.vmas = &k->vmas;
	k->r.by_vma = &k->vc;
	k->r.nmaps = &k->nm;
	k->r.by_mapping = false;
	o = nm_check_json(&k->r);
	/* the rows need only what K owns */
	k->r.q = NULL;
	k->r.cmp = NULL;
	k->r.ranges = NULL;
	k->r.comm = k->r.range_text = k->r.partial_why = NULL;
	a = json_object_new_array();
	json_object_set_serializer(a, rows_to_json, k, rows_free);
	json_object_object_add(o, "mappings", a);
	return o;
}

void nm_check_csv(FILE *f, const struct nm_check_report *r)
{
	const struct nm_query_result *q = r->q;
	const struct nm_compare *c = r->cmp;
	int last = last_node(&r->nodes, &q->total);

	fprintf(f, "pid,node,pages,bytes,percent,numa_maps_pages\n");
	for (int n = 0; n <= last; n++) {
		if (!show_node(&r->nodes, &q->total, n))
			continue;
		fprintf(f, "%d,%d,%" PRIu64 ",%" PRIu64 ",%.1f,", r->pid, n,
			q->total.node[n], q->total.node[n] * r->page_size,
			nm_percent(q->total.node[n], q->total.present));
		if (c && c->available)
			fprintf(f, "%" PRIu64, c->numa_maps[n]);
		fputc('\n', f);
	}
	fprintf(f, "%d,absent,%" PRIu64 ",%" PRIu64 ",,\n", r->pid, q->total.not_present,
		q->total.not_present * r->page_size);
	if (r->by_mapping) {
		fprintf(f, "\npid,start,end,perms,kind,path,node,pages\n");
		for (size_t v = 0; v < mapping_rows(r); v++) {
			const struct nm_vma *vm = &r->vmas->v[v];
			struct nm_hist h;

			nm_vmacount_get(r->by_vma, v, &h);
			for (int n = 0; n <= last; n++) {
				if (!h.node[n])
					continue;
				fprintf(f, "%d,0x%" PRIx64 ",0x%" PRIx64 ",%s,%s,", r->pid,
					vm->start, vm->end, vm->perms,
					nm_vma_kind_name(vm->kind));
				nm_csv_field(f, vm->path ? vm->path : "");
				fprintf(f, ",%d,%" PRIu64 "\n", n, h.node[n]);
			}
		}
	}
}
