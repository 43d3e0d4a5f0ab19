// SPDX-License-Identifier: GPL-2.0
/* Text and JSON of the diagnosis, the causes of failed pages, drift attribution. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "diagreport.h"
#include "json.h"

/* ---- findings ------------------------------------------------------------ */

static const char *verdict(const struct nm_diagnosis *d)
{
	return d->worst == NM_DIAG_BLOCKS ? "blocked" : d->worst == NM_DIAG_WARN ?
	       "warnings" : "ok";
}

void nm_diagnosis_text(FILE *out, const struct nm_diag_facts *f, const struct nm_diagnosis *d)
{
	size_t blocks = 0, warns = 0;
	char comm[4 * sizeof(f->comm)];

	nm_text_escape(f->comm, comm, sizeof(comm));
	if (f->target >= 0)
		fprintf(out, "Diagnosis of pid %d (%s) for a move to node %d\n", f->pid, comm,
			f->target);
	else
		fprintf(out, "Diagnosis of pid %d (%s)\n", f->pid, comm);
	for (size_t i = 0; i < d->n; i++) {
		const struct nm_finding *x = &d->f[i];

		blocks += x->sev == NM_DIAG_BLOCKS;
		warns += x->sev == NM_DIAG_WARN;
		fprintf(out, "  %-9s %s: %s\n", x->sev == NM_DIAG_BLOCKS ? "[BLOCKS]" :
			x->sev == NM_DIAG_WARN ? "[warn]" : x->sev == NM_DIAG_INFO ? "[info]" :
			"[ok]", x->id, x->what);
		if (x->fix[0] && x->sev != NM_DIAG_OK)
			fprintf(out, "  %-9s fix: %s\n", "", x->fix);
	}
	if (blocks)
		fprintf(out, "Verdict: blocked: %zu finding%s block%s a move to node %d\n", blocks,
			blocks == 1 ? "" : "s", blocks == 1 ? "s" : "", f->target);
	else if (warns)
		fprintf(out, "Verdict: %zu warning%s; nothing blocks the move\n", warns,
			warns == 1 ? "" : "s");
	else
		fprintf(out, "Verdict: ok; nothing blocks the move\n");
}

static struct json_object *node_list(const struct nm_nodemask *m)
{
	struct json_object *a = json_object_new_array();

	for (int n = 0; n < NM_MAX_NODES; n++)
		if (nm_nodemask_test(m, n))
			json_object_array_add(a, json_object_new_int(n));
	return a;
}

static struct json_object *privileges_json(const struct nm_diag_facts *f)
{
	struct json_object *x = json_object_new_object();

	json_object_object_add(x, "root", json_object_new_boolean(f->root));
	json_object_object_add(x, "cap_sys_nice", json_object_new_boolean(f->cap_sys_nice));
	json_object_object_add(x, "cap_bpf", json_object_new_boolean(f->cap_bpf));
	json_object_object_add(x, "cap_perfmon", json_object_new_boolean(f->cap_perfmon));
	json_object_object_add(x, "ptrace", json_object_new_boolean(!f->ptrace_err));
	return x;
}

static struct json_object *threads_json(const struct nm_diag_facts *f)
{
	struct json_object *x = json_object_new_object();
	uint64_t ran[NM_MAX_NODES];

	for (int n = 0; n < NM_MAX_NODES; n++)
		ran[n] = f->ran_on[n];
	json_object_object_add(x, "count", json_object_new_int((int)f->threads));
	json_object_object_add(x, "may_run_on_target",
			       json_object_new_int((int)f->may_run_on_target));
	json_object_object_add(x, "may_run_nodes", node_list(&f->may_run_nodes));
	json_object_object_add(x, "last_ran_on_node", nm_json_by_node(ran, NM_MAX_NODES));
	return x;
}

static struct json_object *free_json(const struct nm_diag_facts *f)
{
	struct json_object *x = json_object_new_object();

	for (int n = 0; f->free_known && n < NM_MAX_NODES; n++)
		if (nm_nodemask_test(&f->mem_nodes, n))
			nm_json_add_node(x, n, json_object_new_double(
				(double)(int64_t)(f->free_kb[n] * 10 / 1024) / 10.0));
	return x;
}

static struct json_object *pages_json(const struct nm_diag_facts *f)
{
	struct json_object *p;

	if (!f->pages_known)
		return NULL;
	p = json_object_new_object();
	json_object_object_add(p, "present", json_object_new_uint64(f->present));
	json_object_object_add(p, "not_present", json_object_new_uint64(f->not_present));
	json_object_object_add(p, "to_move", json_object_new_uint64(f->to_move));
	json_object_object_add(p, "shared", f->shared_known ?
			       json_object_new_uint64(f->shared) : NULL);
	json_object_object_add(p, "locked_kb", f->locked_known ?
			       json_object_new_uint64(f->locked_kb) : NULL);
	json_object_object_add(p, "by_node", nm_json_by_node(f->on_node, NM_MAX_NODES));
	return p;
}

static struct json_object *policies_json(const struct nm_diag_facts *f)
{
	struct json_object *x = json_object_new_array();

	for (const struct nm_diag_policy *p = f->policy; p < f->policy + f->npolicies; p++)
		json_object_array_add(x, nm_json_obj("policy", nm_json_str(p->policy),
			"mappings", json_object_new_uint64(p->mappings),
			"pages", json_object_new_uint64(p->pages), "example", nm_json_hex(p->example),
			NULL));
	return x;
}

/* The memory tiers (fastest first), demotion and the promotion rate limit. */
static struct json_object *tiers_json(const struct nm_diag_facts *f)
{
	struct json_object *o = json_object_new_object(), *a = json_object_new_array();

	for (int i = 0; i < f->tiers.n; i++) {
		struct json_object *t = json_object_new_object();

		json_object_object_add(t, "id", json_object_new_int(f->tiers.id[i]));
		json_object_object_add(t, "nodes", node_list(&f->tiers.nodes[i]));
		json_object_array_add(a, t);
	}
	json_object_object_add(o, "tiers", a);
	json_object_object_add(o, "demotion_enabled", f->tiers.demotion < 0 ? NULL :
			       json_object_new_boolean(f->tiers.demotion));
	json_object_object_add(o, "promote_rate_limit_mbps", f->tiers.promote_mbps < 0 ? NULL :
			       json_object_new_int64(f->tiers.promote_mbps));
	return o;
}

static struct json_object *facts_json(const struct nm_diag_facts *f)
{
	struct json_object *o = json_object_new_object(), *x;

	json_object_object_add(o, "privileges", privileges_json(f));
	json_object_object_add(o, "btf", json_object_new_boolean(f->btf));
	json_object_object_add(o, "tracefs", json_object_new_boolean(f->tracefs));
	json_object_object_add(o, "numa_balancing", f->numa_balancing < 0 ? NULL :
			       json_object_new_int(f->numa_balancing));
	json_object_object_add(o, "nodes_with_memory", node_list(&f->mem_nodes));
	json_object_object_add(o, "nodes_with_cpus", f->cpus_known ?
			       node_list(&f->cpu_nodes) : NULL);
	json_object_object_add(o, "mems_allowed", f->mems_known ?
			       node_list(&f->mems_allowed) : NULL);
	json_object_object_add(o, "threads", threads_json(f));
	json_object_object_add(o, "free_mib_by_node", free_json(f));
	json_object_object_add(o, "pages", pages_json(f));
	json_object_object_add(o, "policies", policies_json(f));
	json_object_object_add(o, "memory_tiers", tiers_json(f));
	x = json_object_new_object();
	json_object_object_add(x, "enabled", f->thp_enabled[0] ?
			       nm_json_str(f->thp_enabled) : NULL);
	json_object_object_add(x, "defrag", f->thp_defrag[0] ?
			       nm_json_str(f->thp_defrag) : NULL);
	json_object_object_add(o, "thp", x);
	return o;
}

static struct json_object *diagnosis_json(const struct nm_diag_facts *f,
					  const struct nm_diagnosis *d, int exit_code)
{
	struct json_object *o = json_object_new_object(), *a = json_object_new_array();

	json_object_object_add(o, "pid", json_object_new_int(f->pid));
	json_object_object_add(o, "comm", nm_json_str(f->comm));
	json_object_object_add(o, "target_node", f->target >= 0 ?
			       json_object_new_int(f->target) : NULL);
	json_object_object_add(o, "verdict", nm_json_str(verdict(d)));
	json_object_object_add(o, "exit_code", json_object_new_int(exit_code));
	for (size_t i = 0; i < d->n; i++) {
		struct json_object *x = json_object_new_object();

		json_object_object_add(x, "id", nm_json_str(d->f[i].id));
		json_object_object_add(x, "severity",
				       nm_json_str(nm_diag_sev_name(d->f[i].sev)));
		json_object_object_add(x, "blocks",
				       json_object_new_boolean(d->f[i].sev == NM_DIAG_BLOCKS));
		json_object_object_add(x, "what", nm_json_str(d->f[i].what));
		json_object_object_add(x, "fix", d->f[i].fix[0] ?
				       nm_json_str(d->f[i].fix) : NULL);
		json_object_array_add(a, x);
	}
	json_object_object_add(o, "findings", a);
	json_object_object_add(o, "facts", facts_json(f));
	return o;
}

struct json_object *nm_diagnosis_json(const struct nm_diag_facts *f,
				      const struct nm_diagnosis *d)
{
	return diagnosis_json(f, d, nm_diagnosis_exit(d));
}

/* ---- the diagnose command's report --------------------------------------- */

void nm_diagnose_report_text(FILE *out, const struct nm_diag_facts *f,
			     const struct nm_diagnosis *d, const struct nm_diag_watch *w)
{
	nm_diagnosis_text(out, f, d);
	if (!w || !w->seconds)
		return;
	if (w->attr)
		nm_drift_attr_text(out, w->attr);
	if (w->why && w->why[0])
		fprintf(out, "Watch %s: %s\n", w->attr ? "partial" : "not traced", w->why);
}

struct json_object *nm_diagnose_report_json(const struct nm_diag_facts *f,
					    const struct nm_diagnosis *d,
					    const struct nm_diag_watch *w, int exit_code)
{
	struct json_object *o = diagnosis_json(f, d, exit_code), *x;

	if (!w || !w->seconds)
		return o;
	x = json_object_new_object();
	json_object_object_add(x, "seconds", json_object_new_int((int)w->seconds));
	json_object_object_add(x, "attribution", w->attr ? nm_drift_attr_json(w->attr) : NULL);
	json_object_object_add(x, "why", w->why && w->why[0] ? nm_json_str(w->why) : NULL);
	json_object_object_add(o, "watch", x);
	return o;
}

/* ---- causes of failed pages ---------------------------------------------- */

void nm_causes_text(FILE *out, const struct nm_cause_group *g, size_t n)
{
	char mapping[4 * sizeof(g->ex[0].mapping)];

	if (!n)
		return;
	fprintf(out, "Why pages did not land:\n");
	for (size_t i = 0; i < n; i++) {
		fprintf(out, "  %s: %" PRIu64 " pages (%s): %s\n", nm_cause_name(g[i].cause),
			g[i].pages, g[i].errnos, g[i].reason);
		fprintf(out, "    fix: %s\n", g[i].fix);
		for (unsigned int k = 0; k < g[i].nex; k++)
			fprintf(out, "    e.g. 0x%" PRIx64 " in %s\n", g[i].ex[k].addr,
				nm_text_escape(g[i].ex[k].mapping, mapping, sizeof(mapping)));
	}
}

struct json_object *nm_causes_json(const struct nm_cause_group *g, size_t n)
{
	struct json_object *a = json_object_new_array();

	for (size_t i = 0; i < n; i++) {
		struct json_object *x = json_object_new_object(), *e = json_object_new_array();

		json_object_object_add(x, "cause", nm_json_str(nm_cause_name(g[i].cause)));
		json_object_object_add(x, "pages", json_object_new_uint64(g[i].pages));
		json_object_object_add(x, "from", nm_json_str(g[i].errnos));
		json_object_object_add(x, "reason", nm_json_str(g[i].reason));
		json_object_object_add(x, "fix", nm_json_str(g[i].fix));
		for (unsigned int k = 0; k < g[i].nex; k++) {
			struct json_object *y = json_object_new_object();

			json_object_object_add(y, "addr", nm_json_hex(g[i].ex[k].addr));
			json_object_object_add(y, "mapping", nm_json_str(g[i].ex[k].mapping));
			json_object_array_add(e, y);
		}
		json_object_object_add(x, "examples", e);
		json_object_array_add(a, x);
	}
	return a;
}

/* ---- drift attribution --------------------------------------------------- */

void nm_drift_attr_text(FILE *out, const struct nm_drift_attr *a)
{
	char fix[320], comm[4 * sizeof(a->actor[0].comm)];
	uint64_t total = 0;

	for (int c = 0; c < NM_DRIFT_CAUSES; c++)
		total += a->pages[c];
	if (a->target >= 0)
		fprintf(out, "Drift causes (kernel migrations traced: %" PRIu64 " events, %" PRIu64
			" pages left node %d, %" PRIu64 " failed):%s\n", a->events, total,
			a->target, a->failed, total ? "" : " none");
	else
		fprintf(out, "Migrations of the pages (traced: %" PRIu64 " events, %" PRIu64
			" pages moved between nodes, %" PRIu64 " failed):%s\n", a->events, total,
			a->failed, total ? "" : " none");
	for (int c = 0; c < NM_DRIFT_CAUSES; c++) {
		if (!a->pages[c])
			continue;
		fprintf(out, "  %s: %" PRIu64 " pages", nm_drift_cause_name(c), a->pages[c]);
		for (int n = 0; n < NM_MAX_NODES; n++)
			if (a->to_node[c][n])
				fprintf(out, ", to node %d: %" PRIu64, n, a->to_node[c][n]);
		if (c == NM_DRIFT_BALANCING)
			for (int n = 0; n < NM_MAX_NODES; n++)
				if (a->cpu_node[n])
					fprintf(out, "; faulting CPUs on node %d: %" PRIu64, n,
						a->cpu_node[n]);
		nm_drift_fix(a, c, fix, sizeof(fix));
		fprintf(out, "\n    fix: %s\n", fix);
	}
	for (size_t i = 0; i < a->nactors; i++)
		fprintf(out, "  actor %s (pid %d), %s: %" PRIu64 " pages\n",
			nm_text_escape(a->actor[i].comm, comm, sizeof(comm)),
			(int)a->actor[i].tgid, a->actor[i].reason, a->actor[i].pages);
}

struct json_object *nm_drift_attr_json(const struct nm_drift_attr *a)
{
	struct json_object *o = json_object_new_object(), *cs = json_object_new_array(),
			   *ac = json_object_new_array();
	char fix[320];

	json_object_object_add(o, "events", json_object_new_uint64(a->events));
	json_object_object_add(o, "failed", json_object_new_uint64(a->failed));
	for (int c = 0; c < NM_DRIFT_CAUSES; c++) {
		struct json_object *x;

		if (!a->pages[c])
			continue;
		x = json_object_new_object();
		json_object_object_add(x, "cause", nm_json_str(nm_drift_cause_name(c)));
		json_object_object_add(x, "pages", json_object_new_uint64(a->pages[c]));
		json_object_object_add(x, "to_nodes", nm_json_by_node(a->to_node[c], NM_MAX_NODES));
		if (c == NM_DRIFT_BALANCING)
			json_object_object_add(x, "cpu_nodes",
					       nm_json_by_node(a->cpu_node, NM_MAX_NODES));
		nm_drift_fix(a, c, fix, sizeof(fix));
		json_object_object_add(x, "fix", nm_json_str(fix));
		json_object_array_add(cs, x);
	}
	json_object_object_add(o, "causes", cs);
	for (size_t i = 0; i < a->nactors; i++)
		json_object_array_add(ac, nm_json_obj(
			"pid", json_object_new_int(a->actor[i].tgid),
			"comm", nm_json_str(a->actor[i].comm),
			"reason", nm_json_str(a->actor[i].reason),
			"pages", json_object_new_uint64(a->actor[i].pages), NULL));
	json_object_object_add(o, "actors", ac);
	return o;
}
