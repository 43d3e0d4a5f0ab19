// SPDX-License-Identifier: GPL-2.0
/* Diagnosis: runs the rule table over the facts; the exit code of diagnose. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "diagnose.h"
#include "parse.h"

static const char *const sev_names[] = { "ok", "info", "warn", "blocks" };

const char *nm_diag_sev_name(enum nm_diag_sev s)
{
	return (unsigned)s < NM_ARRAY_SIZE(sev_names) ? sev_names[s] : "?";
}

void nm_diag_facts_init(struct nm_diag_facts *f)
{
	memset(f, 0, sizeof(*f));
	f->target = -1;
	f->numa_balancing = -1;
	f->page_size = NM_PAGE_SIZE_DEFAULT;
}

void nm_diag_add_policy(struct nm_diag_facts *f, const char *policy, uint64_t start,
			uint64_t pages)
{
	size_t i;

	for (i = 0; i < f->npolicies; i++)
		if (!strcmp(f->policy[i].policy, policy))
			break;
	if (i == f->npolicies) {
		if (i == NM_DIAG_MAX_POLICIES)
			return;
		f->npolicies++;
		memset(&f->policy[i], 0, sizeof(f->policy[i]));
		snprintf(f->policy[i].policy, sizeof(f->policy[i].policy), "%s", policy);
		f->policy[i].example = start;
	}
	f->policy[i].mappings++;
	f->policy[i].pages += pages;
}

/* "bind:0-1", "bind=static:1", "prefer (many):0", "interleave:0-1",
 * "weighted interleave:0-1", "prefer=relative:1": the list after the last ':'. */
bool nm_policy_allows(const char *policy, int node, struct nm_nodemask *nodes)
{
	const char *colon = strrchr(policy, ':');
	struct nm_nodemask m = { 0 };

	if (nodes)
		nodes->bits = 0;
	if (!colon || !strncmp(policy, "default", 7) || !strncmp(policy, "local", 5))
		return true;
	if (nm_parse_nodelist(colon + 1, &m))
		return true;	/* unknown form: do not claim a conflict */
	if (nodes)
		*nodes = m;
	return nm_nodemask_test(&m, node);
}

struct nm_finding *nm_diag_emit(struct nm_diag_emit *e, enum nm_diag_sev sev, const char *fix,
				const char *fmt, ...)
{
	struct nm_diagnosis *d = e->d;
	struct nm_finding *x;
	va_list ap;

	if (d->n == NM_DIAG_MAX_FINDINGS)
		return NULL;
	x = &d->f[d->n++];
	snprintf(x->id, sizeof(x->id), "%s", e->id);
	x->sev = sev;
	va_start(ap, fmt);
	vsnprintf(x->what, sizeof(x->what), fmt, ap);
	va_end(ap);
	snprintf(x->fix, sizeof(x->fix), "%s", fix ? fix : "");
	if (sev > d->worst)
		d->worst = sev;
	return x;
}

void nm_diag_emit_privilege(struct nm_diag_emit *e)
{
	e->d->blocked_by_privilege = true;
}

void nm_diagnose(const struct nm_diag_facts *in, struct nm_diagnosis *d)
{
	struct nm_diag_facts f = *in;

	memset(d, 0, sizeof(*d));
	for (size_t i = 0; i < nm_diag_nrules; i++) {
		struct nm_diag_emit e = { d, nm_diag_rules[i].id };

		if (!nm_diag_rules[i].fn(&f, &e))
			f.target = -1;	/* no node to judge the rest against */
	}
}

int nm_diagnosis_exit(const struct nm_diagnosis *d)
{
	if (d->worst < NM_DIAG_BLOCKS)
		return NM_EXIT_OK;
	return d->blocked_by_privilege ? NM_EXIT_PERM : NM_EXIT_MIGRATE;
}

int nm_diagnose_exit_code(const struct nm_diagnosis *d, bool facts_missing, bool watch_failed)
{
	int rc = nm_diagnosis_exit(d);

	if (rc == NM_EXIT_OK && (facts_missing || watch_failed))
		rc = NM_EXIT_MIGRATE;
	return rc;
}

const struct nm_finding *nm_diagnosis_find(const struct nm_diagnosis *d, const char *id)
{
	for (size_t i = 0; i < d->n; i++)
		if (!strcmp(d->f[i].id, id))
			return &d->f[i];
	return NULL;
}
