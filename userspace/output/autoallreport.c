// SPDX-License-Identifier: GPL-2.0
/* auto --all's report (see autoallreport.h). */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "autoallreport.h"
#include "json.h"
#include "textfile.h"

void nm_autoall_rec_set(struct nm_autoall_rec *r, const struct nm_auto_summary *s,
			const char *state)
{
	r->sum = *s;
	r->ex = *s->ex;
	snprintf(r->comm, sizeof(r->comm), "%s", s->comm ? s->comm : "");
	r->sum.ex = &r->ex;
	if (s->opts) {
		r->opts = *s->opts;
		r->sum.opts = &r->opts;
	}
	r->sum.comm = r->comm;
	r->sum.error = NULL;	/* the text lived in the process's state */
	r->state = state;
}

void nm_autoall_totals_add(struct nm_autoall_totals *t, const struct nm_auto_summary *s)
{
	t->pages_moved += s->ex->res.moved;
	t->pages_would_move += s->ex->res.would_move;
	t->pages_failed += s->ex->res.failed;
	t->pages_busy += s->ex->res.busy;
	t->moves_done += s->ex->moves_done;
	t->moves_deferred += s->ex->moves_deferred;
	t->samples += s->samples;
	t->local += s->local;
}

static struct json_object *totals_json(const struct nm_autoall_totals *t)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "processes_managed", json_object_new_uint64(t->managed));
	json_object_object_add(o, "processes_joined", json_object_new_uint64(t->joined));
	json_object_object_add(o, "processes_exited", json_object_new_uint64(t->exited));
	json_object_object_add(o, "processes_left", json_object_new_uint64(t->left));
	json_object_object_add(o, "processes_failed", json_object_new_uint64(t->failed));
	json_object_object_add(o, "processes_waiting", json_object_new_uint64(t->waiting));
	json_object_object_add(o, "processes_not_listed", json_object_new_uint64(t->not_listed));
	json_object_object_add(o, "max_processes", json_object_new_uint64(t->max_procs));
	json_object_object_add(o, "pages_moved", json_object_new_uint64(t->pages_moved));
	json_object_object_add(o, "pages_would_move", json_object_new_uint64(t->pages_would_move));
	json_object_object_add(o, "pages_failed", json_object_new_uint64(t->pages_failed));
	json_object_object_add(o, "pages_busy", json_object_new_uint64(t->pages_busy));
	json_object_object_add(o, "moves_done", json_object_new_uint64(t->moves_done));
	json_object_object_add(o, "moves_deferred", json_object_new_uint64(t->moves_deferred));
	json_object_object_add(o, "samples", json_object_new_uint64(t->samples));
	json_object_object_add(o, "local_samples", json_object_new_uint64(t->local));
	json_object_object_add(o, "seconds", nm_json_secs(t->seconds));
	json_object_object_add(o, "intervals", json_object_new_int64(t->intervals));
	json_object_object_add(o, "max_rate_mbs", json_object_new_double(t->max_rate_mbs));
	json_object_object_add(o, "single_node", json_object_new_boolean(t->single_node));
	json_object_object_add(o, "ended_by", nm_json_str(t->ended_by));
	json_object_object_add(o, "exit_code", json_object_new_int(t->exit_code));
	return o;
}

struct json_object *nm_autoall_json(const struct nm_autoall_rec *const *r, size_t n,
				    const struct nm_autoall_skip *sk, size_t nsk,
				    const struct nm_autoall_totals *t)
{
	struct json_object *o = json_object_new_object(), *a = json_object_new_array();

	for (size_t i = 0; i < n; i++) {
		struct json_object *p = nm_auto_summary_json(&r[i]->sum);

		json_object_object_add(p, "state", nm_json_str(r[i]->state));
		json_object_object_add(p, "pages_moved", json_object_new_uint64(r[i]->ex.res.moved));
		json_object_array_add(a, p);
	}
	json_object_object_add(o, "processes", a);
	json_object_object_add(o, "totals", totals_json(t));
	a = json_object_new_array();
	for (size_t i = 0; i < nsk; i++) {
		struct json_object *s = json_object_new_object();

		json_object_object_add(s, "pid", json_object_new_int(sk[i].pid));
		json_object_object_add(s, "comm", nm_json_str(sk[i].comm));
		json_object_object_add(s, "why", nm_json_str(sk[i].why));
		json_object_array_add(a, s);
	}
	json_object_object_add(o, "skipped", a);
	return o;
}

void nm_autoall_line_text(FILE *f, const struct nm_autoall_rec *r)
{
	const struct nm_auto_summary *s = &r->sum;
	char comm[96], loc[32];

	nm_text_escape(r->comm, comm, sizeof(comm));
	if (s->locality_after < 0)
		snprintf(loc, sizeof(loc), "n/a");
	else
		snprintf(loc, sizeof(loc), "%.1f%%", s->locality_after);
	fprintf(f, "  %7d %-16s %-8s %10" PRIu64 " %8" PRIu64 " %10" PRIu64 " %9s %6ld\n",
		(int)s->pid, comm, r->state, s->dry_run ? s->ex->res.would_move : s->ex->res.moved,
		s->ex->res.failed, s->samples, loc, s->intervals);
}

void nm_autoall_text(FILE *f, const struct nm_autoall_rec *const *r, size_t n,
		     const struct nm_autoall_skip *sk, size_t nsk,
		     const struct nm_autoall_totals *t)
{
	char comm[96], why[600];

	fprintf(f, "numa-migrate auto --all: %zu processes managed at the end, %zu joined, "
		"%zu exited, %zu no longer eligible, %zu dropped on an error; %ld intervals in "
		"%.1f s, ended by %s%s\n", t->managed, t->joined, t->exited, t->left, t->failed,
		t->intervals, t->seconds, t->ended_by,
		t->single_node ? " (one node with memory: nothing can move)" : "");
	fprintf(f, "  %7s %-16s %-8s %10s %8s %10s %9s %6s\n", "PID", "COMM", "STATE",
		"MOVED", "FAILED", "SAMPLES", "LOCALITY", "IVALS");
	for (size_t i = 0; i < n; i++)
		nm_autoall_line_text(f, r[i]);
	if (t->not_listed)
		fprintf(f, "  (%zu earlier processes not listed: the list keeps %zu)\n",
			t->not_listed, t->max_procs);
	fprintf(f, "  Total:  %" PRIu64 " pages moved in %" PRIu64 " moves (%" PRIu64
		" deferred by the rate cap), %" PRIu64 " busy, %" PRIu64 " failed; %" PRIu64
		" samples, %" PRIu64 " local\n", t->pages_moved, t->moves_done, t->moves_deferred,
		t->pages_busy, t->pages_failed, t->samples, t->local);
	if (t->max_rate_mbs > 0)
		fprintf(f, "  Rate cap: %.0f MB/s shared between the processes\n", t->max_rate_mbs);
	fprintf(f, "  Bound: at most %zu processes at once", t->max_procs);
	if (t->waiting)
		fprintf(f, " (%zu eligible processes waited for a slot)", t->waiting);
	fprintf(f, "\n");
	for (size_t i = 0; i < nsk; i++)
		fprintf(f, "  Skipped pid %d (%s): %s\n", (int)sk[i].pid,
			nm_text_escape(sk[i].comm, comm, sizeof(comm)),
			nm_text_escape(sk[i].why, why, sizeof(why)));
	if (t->error)
		fprintf(f, "  Stopped: %s\n", t->error);
}

static int cmp_moved(const void *a, const void *b, void *arg)
{
	const struct nm_autoall_rec *const *r = arg;
	const struct nm_autoall_rec *x = r[*(const size_t *)a], *y = r[*(const size_t *)b];

	if (x->ex.res.moved != y->ex.res.moved)
		return x->ex.res.moved > y->ex.res.moved ? -1 : 1;
	return (x->sum.pid > y->sum.pid) - (x->sum.pid < y->sum.pid);
}

int nm_autoall_metrics(FILE *f, const struct nm_autoall_rec *const *r, size_t n, size_t top,
		       const struct nm_autoall_totals *t, size_t *order)
{
	for (size_t i = 0; i < n; i++)
		order[i] = i;
	qsort_r(order, n, sizeof(*order), cmp_moved, (void *)r);
	if (top > n)
		top = n;
	fprintf(f, "# HELP numa_migrate_auto_all_processes Processes auto --all manages.\n"
		"# TYPE numa_migrate_auto_all_processes gauge\n"
		"numa_migrate_auto_all_processes %zu\n", t->managed);
	fprintf(f, "# HELP numa_migrate_auto_all_pages_moved_total Pages moved, every "
		"process.\n# TYPE numa_migrate_auto_all_pages_moved_total counter\n"
		"numa_migrate_auto_all_pages_moved_total %" PRIu64 "\n", t->pages_moved);
	fprintf(f, "# HELP numa_migrate_auto_all_pages_failed_total Pages that failed to move, "
		"every process.\n# TYPE numa_migrate_auto_all_pages_failed_total counter\n"
		"numa_migrate_auto_all_pages_failed_total %" PRIu64 "\n", t->pages_failed);
	fprintf(f, "# HELP numa_migrate_auto_all_process_pages_moved_total Pages moved, for the processes "
		"that moved the most (--top).\n# TYPE numa_migrate_auto_all_process_pages_moved_total counter\n");
	for (size_t k = 0; k < top; k++) {
		const struct nm_autoall_rec *x = r[order[k]];

		fprintf(f, "numa_migrate_auto_all_process_pages_moved_total{pid=\"%d\",comm=\"", (int)x->sum.pid);
		nm_prom_label(f, x->comm);
		fprintf(f, "\"} %" PRIu64 "\n", x->ex.res.moved);
	}
	fprintf(f, "# HELP numa_migrate_auto_all_process_locality_percent Share of the last interval's "
		"hinting-fault samples that were local (--top processes).\n"
		"# TYPE numa_migrate_auto_all_process_locality_percent gauge\n");
	for (size_t k = 0; k < top; k++) {
		const struct nm_autoall_rec *x = r[order[k]];

		if (x->sum.locality_after < 0)
			continue;
		fprintf(f, "numa_migrate_auto_all_process_locality_percent{pid=\"%d\",comm=\"", (int)x->sum.pid);
		nm_prom_label(f, x->comm);
		fprintf(f, "\"} %.1f\n", x->sum.locality_after);
	}
	return ferror(f) ? -EIO : 0;
}
