/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reports of check and move: text (with the seed's exact lines), JSON
 * (json-c, so strings are fully escaped) and CSV. Pure: takes results,
 * writes to a FILE.
 */
#ifndef NM_REPORT_H
#define NM_REPORT_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>
#include <json-c/json.h>
#include "json.h"
#include "compare.h"
#include "kcounts.h"
#include "diagreport.h"
#include "engine.h"
#include "spreadmove.h"
#include "maps.h"
#include "numa_maps.h"
#include "pin.h"
#include "range.h"
#include "stick.h"
#include "vmacount.h"

enum nm_format { NM_FMT_TEXT, NM_FMT_JSON, NM_FMT_CSV };

struct nm_check_report {
	pid_t pid;
	const char *comm;
	uint64_t page_size;
	const char *range_text;		/* NULL: whole process */
	const struct nm_vma_list *vmas;
	const struct nm_range_list *ranges;
	const struct nm_query_result *q;	/* totals */
	const struct nm_vmacount *by_vma;	/* rows like the vma list */
	const struct nm_nmaps_match *nmaps;	/* policies; may be NULL */
	const struct nm_compare *cmp;
	struct nm_nodemask nodes;	/* nodes with memory: always listed */
	bool by_mapping;
	bool from_numa_maps;		/* counts read from numa_maps, no query */
	bool partial;			/* the query stopped early: */
	const char *partial_why;	/* why (NULL: the target exited) */
};

void nm_report_check(FILE *f, enum nm_format fmt, const struct nm_check_report *r);
/* check --by-mapping --json at any number of mappings: the document of R
 * whose "mappings" rows are built and written one at a time while the
 * document is printed to OUT (by nm_json_print), not held as json-c objects
 * (4 KB a row). It takes over the contents of VMAS, VC and NMAPS (left
 * empty) for as long as it lives. NULL when out of memory. */
struct json_object *nm_check_json_streamed(const struct nm_check_report *r,
					   struct nm_vma_list *vmas, struct nm_vmacount *vc,
					   struct nm_nmaps_match *nmaps, FILE *out);
struct json_object *nm_check_json(const struct nm_check_report *r);

/* Verification after a move. */
struct nm_verify {
	int node;
	uint64_t pages_on_target, pages_present, pages_examined;
	double percent;			/* on target / present */
	struct nm_compare cmp;		/* numa_maps re-read */
	double numa_maps_percent;	/* -1 when not comparable */
	double min_percent;		/* --min-verified */
	bool drift_done;
	unsigned int after_s;
	struct nm_drift drift;
};

/* A change move made to the target before moving (--pin-threads, --policy
 * bind) that the run undid because it did not complete. */
struct nm_move_change {
	const char *kind;		/* "pin_threads", "policy" */
	const char *what;		/* what was changed */
	const char *undo;		/* the command that undoes it by hand */
	bool restored;			/* false: restoring failed, UNDO is needed */
};

struct nm_move_report {
	pid_t pid;
	const char *comm;
	uint64_t page_size;
	const char *range_text;
	const struct nm_range_list *ranges;
	const struct nm_move_request *req;
	const struct nm_move_result *res;
	unsigned int jobs;			/* the engine's settings */
	size_t batch_pages;
	unsigned int max_stall_ms;		/* --max-stall in force, 0: unpaced */
	const char *mover_cpus;			/* paced on these CPUs, off the process's, without
						 * pauses; NULL: where numa-migrate runs */
	const struct nm_verify *verify;		/* NULL without --verify */
	const struct nm_kernel_counts *kernel;	/* NULL when not traced */
	const char *fatal_msg;			/* why it stopped, or NULL */
	int exit_code;
	const struct nm_pin_result *pin;	/* --pin-threads, or NULL */
	const struct nm_policy_result *policy;	/* --policy bind, or NULL */
	bool explain;				/* --explain */
	const struct nm_cause_group *causes;	/* pages that did not land, by cause */
	size_t ncauses;
	const struct nm_diag_facts *facts;	/* --explain: diagnose's findings */
	const struct nm_diagnosis *diag;	/* (NULL when they could not be gathered) */
	const struct nm_drift_attr *drift_attr;	/* --verify=S --explain: who moved pages */
	const char *drift_attr_why;		/* why it is missing or partial */
	int stop_signal;			/* the signal that interrupted the run, or 0 */
	const struct nm_move_change *changes;	/* undone (the run did not complete) */
	size_t nchanges;
	const struct nm_spread *spread;		/* --to-node N:W,...: the spread, or NULL */
	const struct nm_spread_check *spread_check;	/* its achieved split, or NULL */
};

void nm_report_move(FILE *f, enum nm_format fmt, const struct nm_move_report *r);
/* The report for stdout: printed now (text, CSV) or, in JSON mode, handed
 * to nm_out_json() as the run's one document. */
void nm_move_out(enum nm_format fmt, const struct nm_move_report *r);
void nm_check_out(enum nm_format fmt, const struct nm_check_report *r);
struct json_object *nm_move_json(const struct nm_move_report *r);

/* Writes S as one CSV field: double-quoted, inner quotes doubled. */
void nm_csv_field(FILE *f, const char *s);

/* {"EBUSY": n, ...} of the non-zero classes. */
struct json_object *nm_json_errslots(const uint64_t *by);

/* Percent with one decimal, as the seed prints it ("95.8"). 0 when den==0. */
double nm_percent(uint64_t num, uint64_t den);

#endif
