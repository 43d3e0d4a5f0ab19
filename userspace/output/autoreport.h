/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What 'numa-migrate auto' writes (pure: json-c and stdio only): one JSON
 * line per decision and per interval for --log, the final report (text and
 * JSON) and the Prometheus textfile of --metrics.
 */
#ifndef NM_AUTOREPORT_H
#define NM_AUTOREPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <json-c/json.h>
#include "engine.h"
#include "policy.h"

/* What became of one decision. */
struct nm_action {
	const char *what;	/* "moved", "would_move", "deferred", "partial",
				 * "failed", "none", "already_there", "no_tier",
				 * "pending" (an earlier move of the range is
				 * still going on under the rate cap),
				 * "covered" (its mapping moves whole) */
	int node;		/* where it went (a demotion's node is picked here) */
	struct nm_move_result res;	/* summed over its chunks */
	uint64_t present, on_target;	/* re-query after the move */
	bool verified;
	int fatal;		/* -errno of a whole-call error, 0 */
	uint64_t resume;	/* where a move cut short stopped (0: done) */
	long continues;		/* interval of the decision this continues, -1 */
};

struct json_object *nm_auto_decision_json(long interval, double t, const struct nm_decision *d,
					  const struct nm_action *a, bool dry_run);

/* Counts of the migrate tracepoint over a stretch of time. */
struct nm_auto_migr {
	uint64_t ours_ok, ours_failed;		/* our move_pages calls (reason syscall) */
	uint64_t kernel_ok, kernel_failed;	/* the target's own tasks, any reason */
	uint64_t kernel_numa;			/* of which numa_misplaced */
};

struct nm_auto_interval {
	long interval;
	double t, seconds;		/* since start; this interval's length */
	struct nm_evidence ev;		/* pooled over every managed region */
	uint64_t unmanaged;
	size_t decisions, moves;
	uint64_t pages_moved;		/* engine: moved by us this interval */
	uint64_t bytes_moved;
	struct nm_auto_migr mig;	/* this interval */
};

/* ENV (nullable) is recorded so the log can be replayed through the policy. */
struct json_object *nm_auto_interval_json(const struct nm_auto_interval *iv,
					  const struct nm_node_env *env);
/* {"type":"ranges", "interval": the next interval, "ranges": [[start, end,
 * mapping start, mapping end] as hex strings, ...]}: logged at the start and
 * whenever the managed ranges change. */
struct json_object *nm_auto_ranges_json(long interval, const struct nm_policy_range *r, size_t n);

struct nm_auto_summary {
	pid_t pid;
	const char *comm;
	bool dry_run;
	const char *ended_by;		/* "duration", "signal", "target_exit", "error" */
	double seconds;
	long intervals;
	const struct nm_policy_opts *opts;
	long interval_s;
	uint64_t granularity;
	double max_rate_mbs;		/* 0: none */
	double max_bytes_1s;		/* most bytes we moved inside any 1 s */
	uint64_t samples, local;
	double locality_before, locality_after;	/* percent, -1: no samples */
	long before_interval, after_interval;
	uint64_t decisions[NM_R_NREASONS];
	uint64_t moves_done, moves_deferred;
	uint64_t pages_moved, pages_already, pages_busy, pages_failed, pages_would_move;
	uint64_t failed_by_errno[NM_ERR_SLOTS];
	bool migr_available;
	char migr_why[256];
	struct nm_auto_migr mig;
	const char *error;		/* what stopped the loop, or NULL */
	int exit_code;
};

struct json_object *nm_auto_summary_json(const struct nm_auto_summary *s);
void nm_auto_summary_text(FILE *f, const struct nm_auto_summary *s);
/* Prometheus text exposition format. */
void nm_auto_metrics(FILE *f, const struct nm_auto_summary *s);

#endif
