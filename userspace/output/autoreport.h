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
#include "autoexec.h"
#include "policy.h"
#include "aspread.h"

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
	bool early;			/* its round came before its end: a burst
					 * of samples had settled (burst.h) */
	/* where the process's threads ran (policy.h, nm_policy_cpu): logged
	 * so a replay confirms as the run did */
	bool cpu_known;
	double cpu_s, cpu_s_by_node[NM_MAX_NODES];
	/* the CPUs its moves ran on, kept off the process's ("": where auto
	 * runs, none were free or --mover-any-cpu) */
	char mover_cpus[64];
	/* the stall bound its moves ran under, ms (0: unpaced or no move) */
	long max_stall_ms;
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
	bool early_on;			/* rounds may come early (auto --pid) */
	long early_rounds;		/* of the intervals, rounds that came early */
	const struct nm_policy_opts *opts;
	long interval_s;
	uint64_t granularity;
	double max_rate_mbs;		/* 0: none */
	/* page-touch stall bounds, ms (0: unpaced): on CPUs none of the
	 * process's working threads may run on, and beside them; the same
	 * when --max-stall set them (max_stall_set) */
	long max_stall_ms, max_stall_shared_ms;
	bool max_stall_set;
	bool mover_any_cpu;		/* --mover-any-cpu */
	long move_intervals;		/* intervals with a move */
	long mover_off_intervals;	/* of those, moves kept off the process's CPUs */
	double max_bytes_1s;		/* most bytes we moved inside any 1 s */
	uint64_t samples, local;
	uint32_t region_map_entries;	/* auto --pid: the kernel's region map; 0: not ours alone */
	uint64_t samples_dropped;	/* faults not counted: that map was full */
	double locality_before, locality_after;	/* percent, -1: no samples */
	long before_interval, after_interval;
	const struct nm_exec_totals *ex;	/* decisions, moves, the engine's counts */
	const struct nm_aspreads *spreads;	/* auto --spread; NULL: none */
	bool migr_available;
	char migr_why[256];
	struct nm_auto_migr mig;
	const char *sensor;		/* --demote-cold's cold sensor, NULL: off */
	const char *sensor_why, *sensor_trust;	/* why that one; how far to trust it */
	const char *error;		/* what stopped the loop, or NULL */
	bool cpu_measured;		/* the threads' placement is read (cpu_confirm) */
	uint64_t cpu_confirmed;		/* moves decided before --stable intervals,
					 * on the threads' placement */
	int exit_code;
};

struct json_object *nm_auto_summary_json(const struct nm_auto_summary *s);
void nm_auto_summary_text(FILE *f, const struct nm_auto_summary *s);
/* Prometheus text exposition format. Returns 0 or -EIO. */
int nm_auto_metrics(FILE *f, const struct nm_auto_summary *s);

#endif
