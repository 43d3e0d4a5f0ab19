// SPDX-License-Identifier: GPL-2.0
/*
 * The move report, and what the reports share. The text form keeps the
 * seed's lines exactly ("Pages examined: N", "Moved: N", "Busy: N",
 * "Failed: N", "Verification: 95.8% on node 1"); JSON goes through json-c
 * so every string is escaped; CSV is one header and one row. The check
 * report is in checkreport.c.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "parse.h"
#include "json.h"
#include "report_int.h"
#include "spreadreport.h"

double nm_percent(uint64_t num, uint64_t den)
{
	return den ? 100.0 * (double)num / (double)den : 0.0;
}

void nm_csv_field(FILE *f, const char *s)
{
	char *e = nm_text_escape_dup(s);
	const char *p = e ? e : "?";

	fputc('"', f);
	for (; *p; p++) {
		if (*p == '"')
			fputc('"', f);
		fputc(*p, f);
	}
	fputc('"', f);
	free(e);
}

struct json_object *nm_json_errslots(const uint64_t *by)
{
	struct json_object *o = json_object_new_object();

	for (int s = 0; s < NM_ERR_SLOTS; s++)
		if (by[s])
			json_object_object_add(o, nm_errslot_name((enum nm_errslot)s), j_u64(by[s]));
	return o;
}

/* ---- move ------------------------------------------------------------------- */

static double gbps(uint64_t bytes, double s)
{
	return s > 0 ? (double)bytes / s / 1e9 : 0.0;
}

static void pin_text(FILE *f, const struct nm_pin_result *p)
{
	fprintf(f, "Pinned threads: %u of %u to node %d's CPUs %s", p->pinned, p->threads,
		p->node, p->cpus);
	for (size_t i = 0; i < p->nprev; i++)
		fprintf(f, "%s%s (%u thread%s)", i ? ", " : "; previous affinity: ",
			p->prev[i].cpus, p->prev[i].threads, p->prev[i].threads == 1 ? "" : "s");
	fprintf(f, "%s\n", p->prev_truncated ? ", ..." : "");
	if (p->failed)
		fprintf(f, "  %u thread%s refused (thread %d: %s)\n", p->failed,
			p->failed == 1 ? "" : "s", (int)p->first_failed_tid, strerror(p->first_err));
	if (p->undo[0])
		fprintf(f, "  undo: %s\n", p->undo);
}

static struct json_object *pin_json(const struct nm_pin_result *p)
{
	struct json_object *o = json_object_new_object(), *a = json_object_new_array();

	json_object_object_add(o, "node", json_object_new_int(p->node));
	json_object_object_add(o, "cpus", nm_json_str(p->cpus));
	json_object_object_add(o, "threads", json_object_new_int((int)p->threads));
	json_object_object_add(o, "pinned", json_object_new_int((int)p->pinned));
	json_object_object_add(o, "failed", json_object_new_int((int)p->failed));
	json_object_object_add(o, "error", p->failed ?
			       nm_json_str(nm_errno_name(p->first_err)) : NULL);
	for (size_t i = 0; i < p->nprev; i++) {
		struct json_object *x = json_object_new_object();

		json_object_object_add(x, "cpus", nm_json_str(p->prev[i].cpus));
		json_object_object_add(x, "threads", json_object_new_int((int)p->prev[i].threads));
		json_object_array_add(a, x);
	}
	json_object_object_add(o, "previous", a);
	json_object_object_add(o, "undo", nm_json_str(p->undo));
	return o;
}

static void move_text(FILE *f, const struct nm_move_report *r)
{
	const struct nm_move_result *m = r->res;
	const struct nm_verify *v = r->verify;
	uint64_t bytes = m->moved * r->page_size;
	char b1[32], comm[256], spec[640], to[680];

	if (r->spread)	/* spreadreport.c */
		snprintf(to, sizeof(to), "by spread %s", nm_spread_fmt(r->spread, spec, sizeof(spec)));
	else
		snprintf(to, sizeof(to), "to node %d", r->req->target_node);
	fprintf(f, "%s pid %d (%s) %s%s",
		r->req->dry_run ? "Dry run: would move" : "Moving",
		r->pid, comm_text(r->comm, comm, sizeof(comm)), to,
		r->range_text ? ", range " : "");
	put_escaped(f, r->range_text ? r->range_text : "");
	fprintf(f, "%s\n", r->req->move_all ? " (--all: MPOL_MF_MOVE_ALL)" : "");
	if (r->pin)
		pin_text(f, r->pin);
	if (r->policy) {
		fprintf(f, "Policy: bind to node %d: pid %d moved from cgroup ", r->policy->node,
			r->pid);
		put_escaped(f, r->policy->from);
		fputs(" to ", f);
		put_escaped(f, r->policy->to);
		fprintf(f, " with cpuset.mems=%d (the kernel moves its memory there and keeps new "
			"and returning pages there)\n  undo: ", r->policy->node);
		put_escaped(f, r->policy->undo);
		fputc('\n', f);
	}
	if (r->ranges && r->ranges->rounded)
		fprintf(f, "Range rounded to pages: 0x%" PRIx64 "-0x%" PRIx64
			" became 0x%" PRIx64 "-0x%" PRIx64 "\n", r->ranges->req_start,
			r->ranges->req_end, r->ranges->round_start, r->ranges->round_end);
	if (r->ranges && r->ranges->clamped)
		fprintf(f, "Range clamped to the whole mapping: %s\n",
			nm_fmt_bytes(r->ranges->clamped_to, b1, sizeof(b1)));
	fprintf(f, "Pages examined: %" PRIu64 "\n", m->examined);
	fprintf(f, "Moved: %" PRIu64 "\n", m->moved);
	if (r->req->dry_run)
		fprintf(f, "Would move: %" PRIu64 "\n", m->would_move);
	fprintf(f, "Already on target: %" PRIu64 "\n", m->already);
	fprintf(f, "Not present: %" PRIu64 "\n", m->not_present);
	if (r->req->from_set)
		fprintf(f, "Skipped (not on --from-node): %" PRIu64 "\n", m->skipped_filter);
	fprintf(f, "Busy: %" PRIu64 "\n", m->busy);
	fprintf(f, "Failed: %" PRIu64 "\n", m->failed);
	for (int s = 0; s < NM_ERR_SLOTS; s++) {
		if (!m->by_errno[s])
			continue;
		fprintf(f, "  %s: %" PRIu64 " pages: %s", nm_errslot_name(s),
			m->by_errno[s], nm_errslot_reason(s));
		for (unsigned int k = 0; k < m->nexample[s]; k++)
			fprintf(f, "%s0x%" PRIx64, k ? ", " : " (e.g. ", m->example[s][k]);
		fprintf(f, "%s\n", m->nexample[s] ? ")" : "");
	}
	for (int n = 0; n < NM_MAX_NODES; n++)
		if (m->from_node[n])
			fprintf(f, "  from node %d: %" PRIu64 " pages\n", n, m->from_node[n]);
	fprintf(f, "Huge pages: %" PRIu64 " examined, %" PRIu64 " moved\n",
		m->huge_examined, m->huge_moved);
	fprintf(f, "Bytes moved: %" PRIu64 " (%s)\n", bytes, nm_fmt_bytes(bytes, b1, sizeof(b1)));
	fprintf(f, "Time: %.3f s\n", m->seconds);
	if (m->calls)
		fprintf(f, "  in %" PRIu64 " move_pages calls: %.3f s (summed over %u job%s)\n",
			m->calls, m->call_s, r->jobs, r->jobs == 1 ? "" : "s");
	if (r->max_stall_ms && r->mover_cpus)
		fprintf(f, "  stall bound %u ms (--max-stall): paced calls on CPUs %s, where the "
			"process's running threads may not run, without pauses\n", r->max_stall_ms,
			r->mover_cpus);
	else if (r->max_stall_ms)
		fprintf(f, "  stall bound %u ms (--max-stall): paced calls, paused %.3f s between "
			"them\n", r->max_stall_ms, m->pause_s);
	fprintf(f, "Throughput: %.3f GB/s\n", gbps(bytes, m->seconds));
	if (r->kernel) {
		if (!r->kernel->available) {
			fprintf(f, "Kernel migration counters: unavailable (%s)\n", r->kernel->why);
		} else {
			fprintf(f, "Kernel migration counters (migrate:mm_migrate_pages, this process):");
			if (!r->kernel->nreasons)
				fprintf(f, " none");
			for (size_t i = 0; i < r->kernel->nreasons; i++)
				fprintf(f, " %s %" PRIu64 " succeeded %" PRIu64 " failed%s",
					r->kernel->reason[i].name,
					r->kernel->reason[i].succeeded,
					r->kernel->reason[i].failed,
					i + 1 < r->kernel->nreasons ? ";" : "");
			fprintf(f, "\n");
		}
	}
	if (r->spread)
		nm_spread_text(f, r->spread, r->spread_check);
	if (v) {
		fprintf(f, "Verification: %.1f%% on node %d\n", v->percent, v->node);
		fprintf(f, "  %" PRIu64 " of %" PRIu64 " present pages on node %d",
			v->pages_on_target, v->pages_present, v->node);
		if (v->numa_maps_percent >= 0)
			fprintf(f, "; numa_maps: %.1f%% over %zu mapping(s)\n",
				v->numa_maps_percent, v->cmp.vmas_compared);
		else
			fprintf(f, "; numa_maps: no mapping wholly in the range\n");
		if (v->percent < v->min_percent)
			fprintf(f, "  below --min-verified %.1f%%\n", v->min_percent);
		if (v->drift_done) {
			fprintf(f, "Drift: %" PRIu64 " pages left node %d after %u s\n",
				v->drift.left_target, v->node, v->after_s);
			for (int n = 0; n < NM_MAX_NODES; n++)
				if (v->drift.to_node[n])
					fprintf(f, "  to node %d: %" PRIu64 "\n", n, v->drift.to_node[n]);
			if (v->drift.gone)
				fprintf(f, "  no longer present: %" PRIu64 "\n", v->drift.gone);
			if (v->drift.arrived)
				fprintf(f, "  arrived on node %d meanwhile: %" PRIu64 "\n", v->node,
					v->drift.arrived);
			if (r->drift_attr)
				nm_drift_attr_text(f, r->drift_attr);
			if (r->drift_attr_why)
				fprintf(f, "Drift causes %s: %s\n", r->drift_attr ? "partly traced" :
					"not traced", r->drift_attr_why);
		}
	}
	if (r->explain) {
		if (r->ncauses)
			nm_causes_text(f, r->causes, r->ncauses);
		else
			fprintf(f, "Why pages did not land: every present page is on node %d\n",
				r->req->target_node);
		if (r->diag)
			nm_diagnosis_text(f, r->facts, r->diag);
	}
	for (size_t i = 0; i < r->nchanges; i++) {
		const struct nm_move_change *c = &r->changes[i];

		fputs(c->restored ? "Restored: " : "NOT restored: ", f);
		put_escaped(f, c->what);
		if (!c->restored) {
			fputs("; undo it by hand: ", f);
			put_escaped(f, c->undo);
		}
		fputc('\n', f);
	}
	if (r->fatal_msg)
		fprintf(f, "PARTIAL: %s\n", r->fatal_msg);
}

/* Every engine counter (engine.h's table) under its key; "group.key" goes
 * into the object "group". */
static void move_counters_json(struct json_object *o, const struct nm_move_result *m)
{
	for (size_t i = 0; i < nm_move_ncounters; i++) {
		const struct nm_move_counter *c = &nm_move_counters[i];
		const char *dot = strchr(c->key, '.');
		struct json_object *into = o;

		if (dot) {
			char group[64];

			snprintf(group, sizeof(group), "%.*s", (int)(dot - c->key), c->key);
			if (!json_object_object_get_ex(o, group, &into)) {
				into = json_object_new_object();
				json_object_object_add(o, group, into);
			}
		}
		json_object_object_add(into, dot ? dot + 1 : c->key,
				       j_u64(nm_move_counter_get(m, c)));
	}
}

struct json_object *nm_move_json(const struct nm_move_report *r)
{
	const struct nm_move_result *m = r->res;
	const struct nm_verify *v = r->verify;
	struct json_object *o = json_object_new_object();
	uint64_t bytes = m->moved * r->page_size;

	json_object_object_add(o, "pid", json_object_new_int(r->pid));
	json_object_object_add(o, "comm", nm_json_str(r->comm ? r->comm : ""));
	json_object_object_add(o, "target_node", r->spread ? NULL :
			       json_object_new_int(r->req->target_node));
	if (r->spread)
		json_object_object_add(o, "spread", nm_spread_json(r->spread, r->spread_check));
	json_object_object_add(o, "range", r->range_text ?
			       nm_json_str(r->range_text) : NULL);
	json_object_object_add(o, "dry_run", json_object_new_boolean(r->req->dry_run));
	json_object_object_add(o, "move_all", json_object_new_boolean(r->req->move_all));
	move_counters_json(o, m);
	json_object_object_add(o, "jobs", json_object_new_int((int)r->jobs));
	json_object_object_add(o, "batch_pages", j_u64(r->batch_pages));
	json_object_object_add(o, "max_stall_ms", json_object_new_int64(r->max_stall_ms));
	if (r->mover_cpus)
		json_object_object_add(o, "mover_cpus", nm_json_str(r->mover_cpus));
	json_object_object_add(o, "move_pages_seconds", json_object_new_double(m->call_s));
	json_object_object_add(o, "paused_seconds", json_object_new_double(m->pause_s));
	json_object_object_add(o, "failed_by_errno", nm_json_errslots(m->by_errno));
	json_object_object_add(o, "from_nodes", nm_json_by_node(m->from_node, NM_MAX_NODES));
	json_object_object_add(o, "bytes_moved", j_u64(bytes));
	json_object_object_add(o, "seconds", json_object_new_double(m->seconds));
	json_object_object_add(o, "throughput_gbps", json_object_new_double(gbps(bytes, m->seconds)));
	if (r->kernel) {
		struct json_object *k = json_object_new_object(), *rs = json_object_new_object();

		json_object_object_add(k, "available", json_object_new_boolean(r->kernel->available));
		if (!r->kernel->available)
			json_object_object_add(k, "why", nm_json_str(r->kernel->why));
		for (size_t i = 0; i < r->kernel->nreasons; i++) {
			struct json_object *x = json_object_new_object();

			json_object_object_add(x, "events", j_u64(r->kernel->reason[i].events));
			json_object_object_add(x, "succeeded", j_u64(r->kernel->reason[i].succeeded));
			json_object_object_add(x, "failed", j_u64(r->kernel->reason[i].failed));
			json_object_object_add(x, "thp_succeeded",
					       j_u64(r->kernel->reason[i].thp_succeeded));
			json_object_object_add(x, "thp_failed", j_u64(r->kernel->reason[i].thp_failed));
			json_object_object_add(rs, r->kernel->reason[i].name, x);
		}
		json_object_object_add(k, "reasons", rs);
		json_object_object_add(o, "kernel_migrations", k);
	}
	if (v) {
		struct json_object *x = json_object_new_object();

		json_object_object_add(x, "node", json_object_new_int(v->node));
		json_object_object_add(x, "percent", nm_json_pct(v->percent));
		json_object_object_add(x, "pages_on_target", j_u64(v->pages_on_target));
		json_object_object_add(x, "pages_present", j_u64(v->pages_present));
		json_object_object_add(x, "numa_maps_percent", v->numa_maps_percent >= 0 ?
				       nm_json_pct(v->numa_maps_percent) : NULL);
		json_object_object_add(x, "min_percent", nm_json_pct(v->min_percent));
		json_object_object_add(x, "passed",
				       json_object_new_boolean(v->percent >= v->min_percent));
		json_object_object_add(o, "verification", x);
		if (v->drift_done) {
			struct json_object *d = json_object_new_object(), *tn = json_object_new_object();

			json_object_object_add(d, "after_s", json_object_new_int((int)v->after_s));
			json_object_object_add(d, "on_target_before", j_u64(v->drift.on_target_before));
			json_object_object_add(d, "left_target", j_u64(v->drift.left_target));
			for (int n = 0; n < NM_MAX_NODES; n++) {
				char key[12];

				if (!v->drift.to_node[n])
					continue;
				snprintf(key, sizeof(key), "%d", n);
				json_object_object_add(tn, key, j_u64(v->drift.to_node[n]));
			}
			json_object_object_add(d, "to_nodes", tn);
			json_object_object_add(d, "gone", j_u64(v->drift.gone));
			json_object_object_add(d, "arrived", j_u64(v->drift.arrived));
			if (r->explain) {
				json_object_object_add(d, "attribution", r->drift_attr ?
						       nm_drift_attr_json(r->drift_attr) : NULL);
				json_object_object_add(d, "attribution_why", r->drift_attr_why ?
						       nm_json_str(r->drift_attr_why) : NULL);
			}
			json_object_object_add(o, "drift", d);
		}
	}
	if (r->pin)
		json_object_object_add(o, "pin_threads", pin_json(r->pin));
	if (r->policy) {
		struct json_object *x = json_object_new_object();

		json_object_object_add(x, "mode", nm_json_str("bind"));
		json_object_object_add(x, "mechanism", nm_json_str("cgroup cpuset.mems"));
		json_object_object_add(x, "node", json_object_new_int(r->policy->node));
		json_object_object_add(x, "cgroup_before", nm_json_str(r->policy->from));
		json_object_object_add(x, "cgroup", nm_json_str(r->policy->to));
		json_object_object_add(x, "undo", nm_json_str(r->policy->undo));
		json_object_object_add(o, "policy", x);
	}
	if (r->explain) {
		struct json_object *x = json_object_new_object();

		json_object_object_add(x, "causes", nm_causes_json(r->causes, r->ncauses));
		json_object_object_add(x, "diagnosis", r->diag ?
				       nm_diagnosis_json(r->facts, r->diag) : NULL);
		json_object_object_add(o, "explain", x);
	}
	if (r->nchanges) {
		struct json_object *a = json_object_new_array();

		for (size_t i = 0; i < r->nchanges; i++) {
			const struct nm_move_change *c = &r->changes[i];
			struct json_object *x = json_object_new_object(), *k;

			json_object_object_add(x, "kind", nm_json_str(c->kind));
			json_object_object_add(x, "what", nm_json_str(c->what));
			json_object_object_add(x, "restored", json_object_new_boolean(c->restored));
			json_object_object_add(x, "undo", nm_json_str(c->undo));
			json_object_array_add(a, x);
			if (json_object_object_get_ex(o, c->kind, &k))
				json_object_object_add(k, "restored",
						       json_object_new_boolean(c->restored));
		}
		json_object_object_add(o, "changes_undone", a);
	}
	json_object_object_add(o, "interrupted", json_object_new_boolean(r->stop_signal != 0));
	json_object_object_add(o, "partial", json_object_new_boolean(r->fatal_msg != NULL));
	if (r->fatal_msg)
		json_object_object_add(o, "error", nm_json_str(r->fatal_msg));
	json_object_object_add(o, "exit_code", json_object_new_int(r->exit_code));
	return o;
}

static void move_csv(FILE *f, const struct nm_move_report *r)
{
	const struct nm_move_result *m = r->res;
	const struct nm_verify *v = r->verify;

	fprintf(f, "pid,target_node,pages,moved,already_on_target,not_present,busy,failed");
	for (int s = 0; s < NM_ERR_SLOTS; s++)
		fprintf(f, ",failed_%s", nm_errslot_name(s));
	fprintf(f, ",huge_examined,huge_moved,bytes_moved,seconds,verification_percent,"
		"drift_left_target,exit_code\n");
	fprintf(f, "%d,%d,%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64,
		r->pid, r->req->target_node, m->examined, m->moved, m->already,
		m->not_present, m->busy, m->failed);
	for (int s = 0; s < NM_ERR_SLOTS; s++)
		fprintf(f, ",%" PRIu64, m->by_errno[s]);
	fprintf(f, ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%.6f,", m->huge_examined,
		m->huge_moved, m->moved * r->page_size, m->seconds);
	if (v)
		fprintf(f, "%.1f", v->percent);
	fputc(',', f);
	if (v && v->drift_done)
		fprintf(f, "%" PRIu64, v->drift.left_target);
	fprintf(f, ",%d\n", r->exit_code);
}

/* Prints the move report M, or with M NULL the check report C, in FMT to F;
 * with F NULL to the program's output: stdout, and JSON held as the one
 * document nm_out_finish prints. */
static void report_to(FILE *f, enum nm_format fmt, const struct nm_move_report *m,
		      const struct nm_check_report *c)
{
	FILE *out = f ? f : stdout;

	if (fmt == NM_FMT_JSON) {
		struct json_object *doc = m ? nm_move_json(m) : nm_check_json(c);

		if (f)
			nm_json_print(f, doc);
		else
			nm_out_json(doc);
	} else if (fmt == NM_FMT_CSV) {
		if (m)
			move_csv(out, m);
		else
			nm_check_csv(out, c);
	} else if (m) {
		move_text(out, m);
	} else {
		nm_check_text(out, c);
	}
}

void nm_report_move(FILE *f, enum nm_format fmt, const struct nm_move_report *r)
{
	report_to(f, fmt, r, NULL);
}

void nm_move_out(enum nm_format fmt, const struct nm_move_report *r)
{
	report_to(NULL, fmt, r, NULL);
}

void nm_report_check(FILE *f, enum nm_format fmt, const struct nm_check_report *r)
{
	report_to(f, fmt, NULL, r);
}

void nm_check_out(enum nm_format fmt, const struct nm_check_report *r)
{
	report_to(NULL, fmt, NULL, r);
}
