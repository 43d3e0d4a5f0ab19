/* SPDX-License-Identifier: GPL-2.0 */
/*
 * auto's executor: turns one policy decision into an action. Moves go
 * through the engine in chunks the rate cap allows (one target node per
 * call), are verified by a re-query, and a move the cap cut short is queued
 * (autopend.h) to go on next interval. Pure apart from the engine's struct
 * nm_sys, and the wait / stop callbacks the caller gives (the session's), so
 * unit tests drive it with a fake target.
 */
#ifndef NM_AUTOEXEC_H
#define NM_AUTOEXEC_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "autopend.h"
#include "chunklog.h"
#include "engine.h"
#include "policy.h"
#include "range.h"

/* What became of one decision, and the log's name for it: the enum and
 * nm_act_name's table are both made from this one list. */
#define NM_ACTS(X)							\
	X(NONE, "none")			/* not a move */		\
	X(MOVED, "moved")		/* the whole range was done */	\
	X(WOULD_MOVE, "would_move")	/* dry run */			\
	X(DEFERRED, "deferred")	/* the rate cap left it all for the next interval */ \
	X(PARTIAL, "partial")		/* ... part of it */		\
	X(FAILED, "failed")		/* a whole-call error */	\
	X(ALREADY_THERE, "already_there") /* a demotion: nothing present, or in a slow tier already */ \
	X(NO_TIER, "no_tier")		/* a demotion without a memory-only node */ \
	X(PENDING, "pending")		/* an earlier move of the range still goes on */ \
	X(COVERED, "covered")		/* its mapping moves whole */

#define NM_ACT_ENUM(id, name) NM_ACT_##id,
enum nm_act {
	NM_ACTS(NM_ACT_ENUM)
	NM_ACT_N
};
#undef NM_ACT_ENUM

const char *nm_act_name(enum nm_act a);

struct nm_action {
	enum nm_act what;
	bool executed;		/* the engine was called (a move, a dry run) */
	int node;		/* where it went (a demotion's node is picked here) */
	struct nm_move_result res;	/* summed over its chunks */
	uint64_t present, on_target;	/* re-query after the move */
	bool verified;
	int fatal;		/* -errno of a whole-call error, 0 */
	uint64_t resume;	/* where a move cut short stopped (0: done) */
	long continues;		/* interval of the decision this continues, -1 */
};

/* What the executor did over the session. */
struct nm_exec_totals {
	uint64_t decisions[NM_R_NREASONS];	/* new decisions by reason */
	uint64_t moves_done;		/* decisions whose whole range was done */
	uint64_t moves_deferred;	/* decisions the cap cut short (once each) */
	struct nm_move_result res;	/* the engine's counts, summed */
};

struct nm_exec {
	/* the target, as the engine sees it */
	const struct nm_sys *sys;
	pid_t pid;
	const struct nm_engine_opts *eo;
	const struct nm_range_list *ranges;	/* moves stay inside these */
	bool dry_run;
	/* sleeps S seconds; false when asked to stop */
	bool (*wait)(double s);
	/* nonzero once asked to stop */
	int (*stopped)(void);
	struct nm_rate rate;		/* bytes_per_s 0: no cap */
	struct nm_chunk_log chunks;
	struct nm_pending_queue pend;
	struct nm_exec_totals tot;
};

/* Acts on decision D of POL's last interval (P: the queued move it
 * continues, or NULL), moving only until DEADLINE (monotonic seconds).
 * Fills ACT. Returns 0, or -errno of an error that ends the loop: the
 * target exited (-ESRCH), permission (-EPERM), no such node (-ENODEV),
 * memory. ACT is worth logging unless the error came before any action
 * (ACT->what NONE and an error). */
int nm_exec_decision(struct nm_exec *x, struct nm_policy *pol, const struct nm_node_env *env,
		     const struct nm_decision *d, double deadline, struct nm_pending *p,
		     struct nm_action *act);
/* Drops the queued moves that are done: after the queue's turn in an
 * interval, before the new decisions. */
void nm_exec_pending_done(struct nm_exec *x);
void nm_exec_free(struct nm_exec *x);

#endif
