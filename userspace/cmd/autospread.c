// SPDX-License-Identifier: GPL-2.0
/* auto --spread: open, query, apply (see autospread.h). */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "autospread.h"
#include "autospreadreport.h"
#include "errors.h"
#include "json.h"
#include "nodeenv.h"
#include "session.h"
#include "spreadreport.h"
#include "target.h"

/* Checks spread S of T; prints the error and returns the exit code. */
static int check_one(struct nm_aspread *s, const struct nm_target *t,
		     const struct nm_node_env *env)
{
	char why[512], nodes[128], arg[512];

	nm_text_escape(s->arg, arg, sizeof(arg));
	if (nm_aspread_bad_node(s, &t->mem_nodes, &env->allowed, why, sizeof(why)) >= 0) {
		nm_error("--spread %s: %s (pid %d may use nodes %s with memory); name only those "
			 "nodes in the spread", arg, why, t->pid,
			 nm_nodemask_fmt(env->allowed.bits ? &env->allowed : &t->mem_nodes,
					 nodes, sizeof(nodes)));
		return NM_EXIT_USAGE;
	}
	switch (nm_aspread_resolve(s, &t->vmas, why, sizeof(why))) {
	case 0:
		return 0;
	case -ENOENT:
		nm_error("--spread %s: %s of pid %d; pick a range or an address inside its "
			 "mappings ('numa-migrate check --pid %d --by-mapping' lists them)", arg,
			 why, t->pid, t->pid);
		return NM_EXIT_USAGE;
	default:
		return nm_auto_out_of_memory();
	}
}

int nm_autospread_open(const struct nm_args *a, const struct nm_target *t,
		       struct nm_aspreads **out)
{
	struct nm_node_env env;
	struct nm_aspreads *s;
	char why[512], arg[512], arg2[512];
	int rc = 0, x, y, r;
	uint64_t at;

	*out = NULL;
	if (!a->spread.n)
		return 0;
	s = calloc(1, sizeof(*s));
	if (!s)
		return nm_auto_out_of_memory();
	memset(&env, 0, sizeof(env));
	nm_node_env_read_interval("", t->pid, &env);	/* its cpuset's mems */
	for (int i = 0; i < a->spread.n && !rc; i++) {
		if (nm_aspread_parse(a->spread.v[i], &s->s[i], why, sizeof(why))) {
			nm_error("invalid --spread '%s': %s; write WHERE=SPREAD, such as "
				 "0x7f0000000000+1G=0:3,2:1 (see docs/auto.md)",
				 nm_text_escape(a->spread.v[i], arg, sizeof(arg)), why);
			rc = NM_EXIT_USAGE;
			break;
		}
		s->n = i + 1;
		rc = check_one(&s->s[i], t, &env);
	}
	if (!rc) {
		r = nm_aspread_overlap(s->s, s->n, &x, &y, &at);
		if (r > 0) {
			nm_error("--spread %s and --spread %s overlap at 0x%" PRIx64 ": a page can "
				 "follow one spread only; make the ranges disjoint, or merge them "
				 "into one spread", nm_text_escape(s->s[x].arg, arg, sizeof(arg)),
				 nm_text_escape(s->s[y].arg, arg2, sizeof(arg2)), at);
			rc = NM_EXIT_USAGE;
		} else if (r < 0 || nm_aspread_excl(s->s, s->n, &s->excl, &s->nexcl)) {
			rc = nm_auto_out_of_memory();
		}
	}
	if (rc) {
		nm_aspreads_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

/* S's split now, by a query of its ranges. */
static int measure(struct nm_autoproc *p, struct nm_aspread *s)
{
	struct nm_query_result q;
	int err;

	memset(&q, 0, sizeof(q));
	err = nm_engine_query(&p->t.sys, p->t.pid, &s->ranges, &p->t.eo, 0, NULL, -1, &q);
	if (!err) {
		nm_spread_verify(&s->sp, &q.total, NM_ASPREAD_TOLERANCE, &s->check);
		s->measured = true;
	}
	nm_query_result_free(&q);
	return err;
}

static int apply(struct nm_autoproc *p, struct nm_aspread *s)
{
	struct nm_move_request req = { .dry_run = p->a->dry_run };
	struct nm_spread_check seen = s->check;
	struct nm_move_result res;
	bool again = s->applied;
	int err;

	err = nm_spread_move(&p->t.sys, p->t.pid, &s->ranges, &p->t.eo, &req, &s->sp, &res);
	s->pages_moved += res.moved;
	s->pages_failed += res.failed;
	s->reapplied += again;
	s->applied = true;
	if (!err)
		err = measure(p, s);
	nm_autoproc_log(p, nm_aspread_log_json(p->pol.interval - 1, nm_mono() - p->t0, s,
					       again ? &seen : NULL, res.moved, res.failed));
	return err;
}

/* Applications after the first, over every spread of P. */
static unsigned long reapplied(const struct nm_autoproc *p)
{
	unsigned long n = 0;

	for (int i = 0; i < p->spread->n; i++)
		n += p->spread->s[i].reapplied;
	return n;
}

int nm_autospread_settle(struct nm_autoproc *p)
{
	unsigned long before;
	int err = 0;

	if (!p->spread)
		return 0;
	if (p->bal_on) {
		nm_session_undo(p->bal_on);	/* a failure is printed with its fix */
		p->bal_on = NULL;
	}
	for (int i = 0; i < NM_ASPREAD_SETTLE_ROUNDS && !err; i++) {
		/* each check a while after the last move: the armed faults fire as
		 * the process touches its pages */
		if (!nm_session_sleep(NM_ASPREAD_SETTLE_S))
			break;
		before = reapplied(p);
		err = nm_autospread_step(p);
		if (reapplied(p) == before)
			break;		/* a check that needed no move: it holds */
	}
	return err;
}

int nm_autospread_step(struct nm_autoproc *p)
{
	int err = 0;

	for (int i = 0; p->spread && i < p->spread->n && !err; i++) {
		struct nm_aspread *s = &p->spread->s[i];

		if (s->applied)
			err = measure(p, s);
		/* a dry run moves nothing: one logged application says what it would */
		if (!err && nm_aspread_due(s) && !(p->a->dry_run && s->applied))
			err = apply(p, s);
	}
	return err;
}
