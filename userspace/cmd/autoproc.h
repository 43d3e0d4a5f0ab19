/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One process under auto: its policy, executor, log lines and summary, and
 * the interval's step after the evidence is read (decide, act, log). Shared
 * by the two forms of auto: --pid (cmd_auto.c) and --all (autoall.c),
 * which read the hinting faults (one set of BPF programs) and feed each
 * process's policy through nm_autoproc_observe.
 */
#ifndef NM_AUTOPROC_H
#define NM_AUTOPROC_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "attach.h"
#include "autoexec.h"
#include "autoreport.h"
#include "policy.h"
#include "damon.h"
#include "diagread.h"
#include "scan.h"

struct nm_migtrace;
struct nm_change;
struct nm_aspreads;

struct nm_autoproc {
	const struct nm_args *a;
	struct nm_target t;		/* opened by the caller */
	struct nm_policy pol;
	struct nm_node_env env;
	struct nm_exec x;
	FILE *log;			/* --log, shared: not owned */
	bool log_pid;			/* --all: every log line names the process */
	double t0;
	struct nm_auto_summary sum;
	struct nm_auto_interval iv;
	bool first_locality_set;
	struct nm_policy_range *logged;	/* the ranges last written to the log */
	size_t nlogged;
	struct nm_migtrace *mt_ours, *mt_kern;	/* not owned; NULL: not counted */
	struct nm_auto_migr m0, mprev;
	struct nm_decision *dec;	/* this interval's decisions (the policy's) */
	size_t ndec;
	uint64_t need;			/* bytes its queued and new moves want now */
	struct nm_change *lock;		/* --all: the pid lock, released when it leaves */
	const char *leaving;		/* --all: why it leaves after this interval */
	char errbuf[512];		/* what ended its management, "" */
	struct nm_aspreads *spread;	/* auto --spread (autospread.h), owned; NULL: none */
	struct nm_change *bal_on;	/* --enable-balancing's change (session), NULL: none */
	/* --demote-cold's cold sensor (autosensor.c) */
	enum nm_cold_sensor sensor;	/* the one in use */
	char sensor_why[512];		/* why that one */
	struct nm_damon *damon;		/* our kdamond on the target, NULL: none */
	struct nm_damon_attrs damon_attrs;
	/* where its threads ran (policy.h, cpu_confirm): set by the caller
	 * before nm_autoproc_start, NULL: not measured */
	const struct nm_cpu_nodes *cpus;
	struct nm_scan_sample cpu_prev, cpu_cur;
	bool cpu_prev_ok;
	/* cpu_cur (the sample before) and cpu_prev (the last one, after the
	 * swap) tell which threads ran in the last interval: where a paced
	 * move may run off their CPUs (nm_mover_cpus, read when one is due) */
	bool mover_pair;
};

/* The cold sensor (autosensor.c): which one A's --demote-cold would use and
 * why (-1: --cold-sensor damon where it cannot be had; WHY: cause and fix). */
int nm_auto_sensor_pick(const struct nm_args *a, char *why, size_t len);
/* Says the error and returns the exit code when the sensor asked for cannot
 * be had; 0 otherwise. */
int nm_auto_sensor_check(const struct nm_args *a);
/* Warns once which sensor --demote-cold uses and why (auto --all: its fallback). */
void nm_auto_sensor_note(const struct nm_args *a);
/* Picks P's sensor (init), starts our kdamond (start: after --daemon, so
 * the session that undoes it is the one that runs), maps DAMON's regions
 * onto the policy's each interval (read: 0 or -errno with errbuf), and
 * removes the kdamond (stop; the session also does on every exit path). */
void nm_autoproc_sensor_init(struct nm_autoproc *p);
void nm_autoproc_sensor_start(struct nm_autoproc *p);
int nm_autoproc_sensor_read(struct nm_autoproc *p);
void nm_autoproc_sensor_stop(struct nm_autoproc *p);

/* Sets up P's policy (auto's knobs from A), managed ranges and executor for
 * the target P->t the caller opened; P->env must hold the static node facts.
 * 0 or -errno. */
int nm_autoproc_init(struct nm_autoproc *p, const struct nm_args *a, FILE *log, bool log_pid);
/* The session starts now (T0): the migrate tracepoint's counts so far. */
void nm_autoproc_start(struct nm_autoproc *p, double t0);
/* Re-reads the process's mappings (the ranges the policy manages). 0 or
 * -errno (-ESRCH, -ENOENT: the process exited). */
int nm_autoproc_refresh(struct nm_autoproc *p);
/* A new interval: evidence starts from zero. */
void nm_autoproc_begin(struct nm_autoproc *p);
void nm_autoproc_observe(struct nm_autoproc *p, uint64_t start, const struct nm_hf_region *r);
/* Decides on the interval's evidence and says in P->need how many bytes the
 * queued and new moves want. 0 or -errno (P->errbuf says what). */
int nm_autoproc_decide(struct nm_autoproc *p);
/* Acts on the decisions (queued moves first) until DEADLINE, logs them and
 * the interval, updates the summary. Returns 0 or the -errno of the first
 * action that failed as a whole (-ESRCH: the process exited). */
int nm_autoproc_act(struct nm_autoproc *p, double deadline);
/* The summary as of now; returns the process's exit code (0, or
 * NM_EXIT_MIGRATE for an error or failed pages). */
int nm_autoproc_finish(struct nm_autoproc *p);
/* Writes O (consumed) as one --log line. */
void nm_autoproc_log(struct nm_autoproc *p, struct json_object *o);
/* Writes the summary to the log as {"type":"summary", ...}. */
void nm_autoproc_log_summary(struct nm_autoproc *p);
void nm_autoproc_free(struct nm_autoproc *p);
/* What both forms run: SETUP (0 or the exit code), STEP until it returns
 * false, SUMMARY (the exit code). */
int nm_auto_loop(void *ctx, int (*setup)(void *), bool (*step)(void *), int (*summary)(void *));
/* Writes --metrics (if asked) with FILL; a failure is said in ERRBUF, which
 * ends the run. */
void nm_auto_metrics_write(const struct nm_args *a, int (*fill)(FILE *f, const void *arg),
			   const void *arg, char *errbuf, size_t len);
/* After an interval's work: true when --duration (counted from T0) is over. */
bool nm_auto_duration_over(const struct nm_args *a, double t0);
/* Opens the hinting-fault programs for TGID (0: the pid set) at
 * --granularity; refuses a kernel where faults get no address. */
struct nm_hintfault;
int nm_auto_hintfault_open(const struct nm_args *a, pid_t tgid, struct nm_hintfault **hf);
/* --daemon: detaches. */
int nm_auto_daemonize(const struct nm_args *a);
/* Says so and returns the exit code. */
int nm_auto_out_of_memory(void);

/* auto --all (autoall.c): the auto command's form for the whole server,
 * called by nm_cmd_auto. Returns the exit code. */
int nm_auto_all(struct nm_args *a);

/* What auto --pid and auto --all hold for the whole run, released at its
 * end (each may be NULL or empty): the tracer of our migrations, the
 * hinting-fault programs, the agents read at the start, the --log file. */
struct nm_agents;
void nm_auto_release(struct nm_migtrace *mt_ours, struct nm_hintfault *hf,
		     struct nm_agents *agents, FILE *log);

#endif

/* What both forms set up, each printing its error and returning the exit
 * code (0: done). Opens --log for appending. */
int nm_auto_open_log(const struct nm_args *a, FILE **log);
/* Reads kernel.numa_balancing into *PREV; refuses 0 without --enable-balancing,
 * and a --cold-sensor that cannot be had here (nm_auto_sensor_check). */
int nm_auto_balancing_check(const struct nm_args *a, int *prev);
/* After --daemon: the --pid-file, and balancing on when PREV_BAL was 0
 * (both registered with the session; *BAL_ON, if BAL_ON is not NULL, gets
 * the balancing change, NULL when none was made). */
int nm_auto_session_setup(const struct nm_args *a, int prev_bal, struct nm_change **bal_on);
/* Takes PID's lock (pidlock.h) for the session. 0; -EWOULDBLOCK when another
 * auto holds it, or another -errno, both after printing the error (the
 * holder's pid and command line, and the fix). */
int nm_auto_lock(pid_t pid, struct nm_change **lock);
/* The other placement agents acting on PID (0: on any process), read into
 * OUT: a warning each, and a {"type": "agents"} line in LOG (may be NULL).
 * 0 (agents that cannot be read are only warned about: OUT empty), or the
 * exit code after the error when LOG cannot be written. */
struct nm_agents;
int nm_auto_agents(pid_t pid, FILE *log, struct nm_agents *out);
