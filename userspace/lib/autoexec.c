// SPDX-License-Identifier: GPL-2.0
/* auto's executor: a decision becomes a rate-capped, verified move. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "autoexec.h"

#define NM_ACT_NAME(id, name) [NM_ACT_##id] = name,
static const char *const act_names[NM_ACT_N] = { NM_ACTS(NM_ACT_NAME) };
#undef NM_ACT_NAME

const char *nm_act_name(enum nm_act a)
{
	return (unsigned int)a < NM_ACT_N ? act_names[a] : "?";
}

/* The node most of RL's present pages are on, -1 when none is present. */
static int dominant_node(struct nm_exec *x, const struct nm_range_list *rl)
{
	struct nm_query_result q;
	int best = -1;

	if (nm_engine_query(x->sys, x->pid, rl, x->eo, 0, NULL, -1, &q))
		return -1;
	for (int n = 0; n < NM_MAX_NODES; n++)
		if (q.total.node[n] && (best < 0 || q.total.node[n] > q.total.node[best]))
			best = n;
	nm_query_result_free(&q);
	return best;
}

static uint64_t chunk_bytes(const struct nm_exec *x)
{
	uint64_t chunk = x->rate.bytes_per_s > 0 ? (uint64_t)x->rate.burst : 64ULL << 20;

	chunk &= ~(NM_PAGE_SIZE_DEFAULT - 1);
	return chunk < NM_PAGE_SIZE_DEFAULT ? NM_PAGE_SIZE_DEFAULT : chunk;
}

/* Moves RL to NODE in chunks the rate cap allows, until DEADLINE. */
static void execute(struct nm_exec *x, const struct nm_range_list *rl, int node,
		    double deadline, struct nm_action *act)
{
	struct nm_move_request req = { .target_node = node, .dry_run = x->dry_run };
	uint64_t chunk = chunk_bytes(x);
	struct nm_range one;
	struct nm_range_list piece = { .r = &one, .n = 1, .cap = 1 };
	bool stopped = false;

	act->executed = true;
	for (size_t i = 0; i < rl->n && !stopped; i++) {
		for (uint64_t a = rl->r[i].start; a < rl->r[i].end && !stopped;) {
			uint64_t e = a + chunk < rl->r[i].end ? a + chunk : rl->r[i].end;
			struct nm_move_result res;
			double w = x->dry_run ? 0 : nm_rate_wait(&x->rate, (double)(e - a), nm_mono());
			int r;

			if ((w > 0 && (nm_mono() + w > deadline || !x->wait(w))) || x->stopped()) {
				stopped = true;	/* the rest waits for the next interval */
				act->resume = a;
				break;
			}
			one = (struct nm_range){ a, e, rl->r[i].vma };
			piece.pages = (e - a) / NM_PAGE_SIZE_DEFAULT;
			r = nm_engine_move(x->sys, x->pid, &piece, x->eo, &req, &res);
			if (r == -ESRCH) {
				/* the process exited: the pages its exit left
				 * unprocessed went with it, they did not fail
				 * (auto ends with the process, not in error) */
				uint64_t gone = res.by_errno[NM_ERR_UNPROCESSED];

				res.failed -= gone;	/* counted there too */
				res.by_errno[NM_ERR_UNPROCESSED] = 0;
				res.nexample[NM_ERR_UNPROCESSED] = 0;
				res.not_present += gone;
			}
			nm_move_result_add(&act->res, &res);
			act->res.seconds += res.seconds;
			if (!x->dry_run) {
				uint64_t b = res.moved * NM_PAGE_SIZE_DEFAULT;

				nm_rate_spend(&x->rate, (double)b, nm_mono());
				nm_chunk_log_add(&x->chunks, nm_mono(), b);
			}
			if (r == -EINTR) {
				/* a stop signal inside the chunk: cut short, not failed */
				stopped = true;
				act->resume = a;
				break;
			}
			if (r) {
				act->fatal = r;
				stopped = true;
			}
			a = e;
		}
	}
	if (act->fatal)
		act->what = NM_ACT_FAILED;
	else if (x->dry_run)
		act->what = NM_ACT_WOULD_MOVE;
	else if (stopped)
		act->what = act->res.moved ? NM_ACT_PARTIAL : NM_ACT_DEFERRED;
	else
		act->what = NM_ACT_MOVED;
	if (!x->dry_run && !act->fatal) {
		struct nm_query_result q;

		if (!nm_engine_query(x->sys, x->pid, rl, x->eo, 0, NULL, -1, &q)) {
			act->verified = true;
			act->present = q.total.present;
			act->on_target = q.total.node[node];
			nm_query_result_free(&q);
		}
	}
}

static bool is_move(enum nm_reason r)
{
	return r == NM_R_MOVE || r == NM_R_MOVE_MAPPING || r == NM_R_DEMOTE;
}

/* A demotion's node: the memory-only node nearest to where the pages are.
 * False when there is nothing to do (ACT says why). */
static bool demote_target(struct nm_exec *x, struct nm_policy *pol, const struct nm_node_env *env,
			  const struct nm_decision *d, const struct nm_range_list *rl,
			  struct nm_action *act)
{
	int cur = dominant_node(x, rl);

	act->node = cur < 0 ? -1 : nm_nearest_memory_only(env, cur);
	if (cur < 0 || !nm_nodemask_test(&env->has_cpu, cur)) {
		act->what = NM_ACT_ALREADY_THERE;	/* nothing present, or already in a slow tier */
		nm_policy_acted(pol, d, cur);
		return false;
	}
	if (act->node < 0) {
		act->what = NM_ACT_NO_TIER;
		nm_policy_acted(pol, d, cur);
		return false;
	}
	return true;
}

int nm_exec_decision(struct nm_exec *x, struct nm_policy *pol, const struct nm_node_env *env,
		     const struct nm_decision *d, double deadline, struct nm_pending *p,
		     struct nm_action *act)
{
	struct nm_range_list rl = { 0 };
	int err = 0;

	memset(act, 0, sizeof(*act));
	act->what = NM_ACT_NONE;
	act->node = p ? p->node : d->node;
	act->continues = p ? p->interval : -1;
	if (d->covered) {
		act->what = NM_ACT_COVERED;
		return 0;
	}
	if (!p) {
		x->tot.decisions[d->reason]++;
		if (is_move(d->reason) && nm_pending_overlaps(&x->pend, d->start, d->end)) {
			act->what = NM_ACT_PENDING;
			return 0;
		}
	}
	if (!is_move(d->reason))
		return 0;
	err = nm_range_list_clip(x->ranges, p ? p->resume : d->start, d->end, &rl);
	if (err)
		return err;
	if (d->reason == NM_R_DEMOTE && !p && !demote_target(x, pol, env, d, &rl, act))
		goto out;
	execute(x, &rl, act->node, deadline, act);
	nm_move_result_add(&x->tot.res, &act->res);
	if (!p && (act->what == NM_ACT_DEFERRED || act->what == NM_ACT_PARTIAL))
		x->tot.moves_deferred++;
	if (act->what == NM_ACT_MOVED)
		x->tot.moves_done++;
	/* the cooldown starts once the whole range was done: a move the rate
	 * cap cut short goes on next interval (its streak holds while the
	 * evidence agrees); a dry run never starts one, it would hide the next
	 * intervals' view of the same decision */
	if (act->what == NM_ACT_MOVED && (act->res.moved || act->res.already || p))
		nm_policy_acted(pol, d, act->node);
	if (act->resume && !x->dry_run && !act->fatal) {
		if (p)
			p->resume = act->resume;
		else
			err = nm_pending_add(&x->pend, d, pol->interval - 1, act->node, act->resume);
	} else if (p) {
		p->resume = 0;	/* done (or failed): dropped at the end of the interval */
	}
	if (act->fatal == -ESRCH || act->fatal == -EPERM || act->fatal == -ENODEV)
		err = act->fatal;
out:
	free(rl.r);
	return err;
}

void nm_exec_pending_done(struct nm_exec *x)
{
	nm_pending_compact(&x->pend);
}

void nm_exec_free(struct nm_exec *x)
{
	nm_chunk_log_free(&x->chunks);
	nm_pending_free(&x->pend);
}
