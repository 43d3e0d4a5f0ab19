/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What 'numa-migrate auto --all' reports (pure: json-c and stdio only): a
 * line per process (the single-process report's fields, pages_moved among
 * them, and its state), the totals, the processes left alone and why, and
 * the Prometheus textfile with per-process series for the top N only.
 */
#ifndef NM_AUTOALLREPORT_H
#define NM_AUTOALLREPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <json-c/json.h>
#include "autoreport.h"

/* One process's record, kept after it leaves (its summary points into it). */
struct nm_autoall_rec {
	struct nm_auto_summary sum;
	struct nm_exec_totals ex;
	struct nm_policy_opts opts;	/* the summary's, which lived in the freed policy */
	char comm[64];
	const char *state;	/* "managed", "exited", "left" (no longer eligible), "error" */
};

/* Copies S (and what it points to) into R. */
void nm_autoall_rec_set(struct nm_autoall_rec *r, const struct nm_auto_summary *s,
			const char *state);

/* A process auto --all left alone, and why. */
struct nm_autoall_skip {
	pid_t pid;
	char comm[64];
	char why[512];
};

struct nm_autoall_totals {
	size_t managed;		/* at the end */
	size_t joined;		/* over the run */
	size_t exited, left, failed;	/* dropped: exited, not eligible any more, error */
	size_t waiting;		/* eligible past the bound, not managed */
	size_t max_procs;	/* the bound */
	size_t not_listed;	/* dropped processes past the bound of the list */
	uint64_t pages_moved, pages_would_move, pages_failed, pages_busy;
	uint64_t moves_done, moves_deferred, samples, local;
	double seconds;
	long intervals;
	double max_rate_mbs;
	bool single_node;	/* nothing can move: listed and locked only */
	const char *ended_by;
	const char *error;
	int exit_code;
};

/* Adds one process's counts to T. */
void nm_autoall_totals_add(struct nm_autoall_totals *t, const struct nm_auto_summary *s);

/* {"processes": [...], "totals": {...}, "skipped": [...]}. */
struct json_object *nm_autoall_json(const struct nm_autoall_rec *const *r, size_t n,
				    const struct nm_autoall_skip *sk, size_t nsk,
				    const struct nm_autoall_totals *t);
/* One process's line: "  PID COMM state pages moved, locality". */
void nm_autoall_line_text(FILE *f, const struct nm_autoall_rec *r);
void nm_autoall_text(FILE *f, const struct nm_autoall_rec *const *r, size_t n,
		     const struct nm_autoall_skip *sk, size_t nsk,
		     const struct nm_autoall_totals *t);
/* Per-process series for the TOP processes that moved the most pages
 * (ties: lower pid), totals unlabelled. 0 or -EIO. ORDER: scratch for N. */
int nm_autoall_metrics(FILE *f, const struct nm_autoall_rec *const *r, size_t n, size_t top,
		       const struct nm_autoall_totals *t, size_t *order);

#endif
