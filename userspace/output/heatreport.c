// SPDX-License-Identifier: GPL-2.0
/* The page heat report's text, JSON and CSV writers (the SVG: heatsvg.c). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "heatmap.h"
#include "json.h"
#include "report.h"

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

static void header_lines(FILE *f, const struct nm_heat *h, const char *prefix)
{
	uint64_t samples = nm_heat_samples(h);

	fprintf(f, "%spid %d: %.1f s traced, %" PRIu64 " hinting faults, %" PRIu64
		" samples placed in %zu regions of %" PRIu64 " KiB, %" PRIu64
		" dropped (region map full), %" PRIu64 " without address\n", prefix, h->pid,
		h->duration_s, h->hint_faults, samples, h->n, h->granularity / 1024, h->dropped,
		h->no_addr);
	if (h->region_bound)
		fprintf(f, "%sregion map: %" PRIu32 " entries (sized from the resident footprint)\n",
			prefix, h->region_bound);
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
	int mn = nm_heat_max_node(h);
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
			sw - (mn + 3), "", r->total_access, nm_heat_region_pages(r));
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
	json_object_object_add(o, "region_map_entries", json_object_new_uint64(h->region_bound));
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
	int mn = nm_heat_max_node(h);

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

