/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The migration engine: streams a list of ranges in fixed-size batches, so
 * memory stays O(batch x jobs) whatever the range size. For each batch it
 * reads pagemap, takes every page's node from its PFN where pfn_node tells
 * it and from move_pages(nodes=NULL) for the rest,
 * skips pages not present or already on the target, passes one address per
 * THP, pre-fills status with a sentinel to detect an early stop, retries
 * EBUSY with bounded backoff, and classifies every page's final state.
 *
 * All system access goes through struct nm_sys so tests can wrap it.
 */
#ifndef NM_ENGINE_H
#define NM_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "nm.h"
#include "errors.h"
#include "range.h"

/* Pages per move_pages call by default, and with one job (attach.c) */
#define NM_BATCH_DEFAULT 16384
#define NM_BATCH_ONE_JOB 65536

/* Status value the kernel never writes: marks entries move_pages skipped. */
#define NM_STATUS_SENTINEL 0x7ffffff0

struct nm_sys {
	/* move_pages(2); returns >= 0 or -errno. */
	long (*move_pages)(void *ctx, pid_t pid, unsigned long count,
			   void **pages, const int *nodes, int *status,
			   int flags);
	/* N raw pagemap entries from ADDR; -errno when unavailable. May be NULL. */
	int (*pagemap)(void *ctx, uint64_t addr, size_t n, uint64_t *out);
	/* kpageflags of PFN; -errno when unavailable. May be NULL. */
	int (*kpageflags)(void *ctx, uint64_t pfn, uint64_t *flags);
	/* 0 while the target process lives (pidfd), -ESRCH once it exited. */
	int (*alive)(void *ctx);
	void (*sleep_us)(void *ctx, unsigned int us);
	void *ctx;
	/* The node of page frame PFN, or -1 when unknown. May be NULL. When
	 * set, a query takes a present page's node from its pagemap PFN if the
	 * process maps it alone or it is a file page (not the zero page, not a
	 * special mapping: those are not exclusive), calls a page pagemap sees
	 * nothing at not present, and asks move_pages only about the rest:
	 * the same answers for a pagemap read instead of a page-table walk per
	 * page in move_pages. */
	int (*pfn_node)(const void *pfn_ctx, uint64_t pfn);
	const void *pfn_ctx;
};

struct nm_engine_opts {
	uint64_t page_size;
	size_t batch_pages;		/* pages per move_pages call (NM_BATCH_DEFAULT) */
	unsigned int jobs;		/* worker threads (default: 1) */
	int busy_retries;		/* retries of EBUSY and of early stops */
	unsigned int backoff_us;	/* first backoff, doubled each retry */
	/* progress: called with pages done so far (serialised). May be NULL. */
	void (*progress)(void *arg, uint64_t done, uint64_t total);
	void *progress_arg;
	/* non-zero when the run must stop (a signal): no new batch starts and
	 * the operation ends with -EINTR. May be NULL. */
	int (*stop)(void);
	/* 0, or a page-touch stall bound in microseconds: moves are cut into
	 * calls paced to stay under it (pace.h) */
	unsigned int max_stall_us;
	/* paced calls follow each other without the pacer's pause: the mover
	 * runs on CPUs the process's threads may not use (nm_mover_enter), so
	 * there is no CPU to give back between calls */
	bool pace_no_pause;
	/* query the next batch on a second thread while the current one is
	 * handled (one job's moves: cmd_move.c); the first batch is then a
	 * sixteenth of batch_pages, so little is queried before the first call */
	bool prefetch;
};

void nm_engine_opts_default(struct nm_engine_opts *o);

struct nm_hist {
	uint64_t node[NM_MAX_NODES];	/* present pages by node */
	uint64_t present;
	uint64_t not_present;		/* never touched, swapped out, zero page */
	uint64_t error;			/* query returned another error */
	uint64_t thp_pages;		/* base pages inside THPs (needs kpageflags) */
	uint64_t thp;			/* THPs */
	int max_node;			/* highest node seen, -1 if none */
};

void nm_hist_add(struct nm_hist *dst, const struct nm_hist *src);

struct nm_query_result {
	struct nm_hist total;
	struct nm_hist *by_vma;		/* indexed like the vma list; may be NULL */
	size_t nvma;
	uint64_t examined;
	bool pagemap_ok, kpageflags_ok;
	/* present pages not on BITMAP_NODE (any node when it is -1) whose
	 * pagemap exclusive bit is clear: mapped by other processes too, so
	 * move_pages refuses them without MPOL_MF_MOVE_ALL. Needs pagemap. */
	uint64_t shared;
	uint64_t shared_example;	/* lowest such address */
};

/*
 * Query every page of RANGES. If BY_VMA_N > 0, per-vma histograms are kept
 * (res->by_vma is allocated). If ON_NODE_BITMAP is not NULL, bit i (global
 * page index over the range list) is set when page i is on node BITMAP_NODE.
 * Returns 0 or -errno (-ESRCH when the target exited: partial result kept).
 */
int nm_engine_query(const struct nm_sys *sys, pid_t pid,
		    const struct nm_range_list *ranges,
		    const struct nm_engine_opts *opts, size_t by_vma_n,
		    uint8_t *on_node_bitmap, int bitmap_node,
		    struct nm_query_result *res);
void nm_query_result_free(struct nm_query_result *res);

/* Called with the counts of one piece of a range (serialised, in no set
 * order with several jobs): VMA is the piece's vma index. A mapping may
 * come in several pieces. */
typedef void (*nm_query_piece_fn)(void *arg, size_t vma, const struct nm_hist *h);

/* nm_engine_query without per-vma histograms: PIECE (may be NULL) gets
 * each piece's counts instead, so the caller keeps them as it likes (in
 * memory sized by what it needs, not 560 bytes a mapping). res->by_vma
 * stays NULL. */
int nm_engine_query_each(const struct nm_sys *sys, pid_t pid,
			 const struct nm_range_list *ranges,
			 const struct nm_engine_opts *opts, nm_query_piece_fn piece,
			 void *piece_arg, uint8_t *on_node_bitmap, int bitmap_node,
			 struct nm_query_result *res);

struct nm_move_request {
	int target_node;
	struct nm_nodemask from;	/* only pages on these nodes; */
	bool from_set;			/* ... when from_set */
	bool move_all;			/* MPOL_MF_MOVE_ALL */
	bool dry_run;			/* only query and count */
};

/*
 * The counters of a move, declared once: FIELD of struct nm_move_result,
 * its JSON key in move's report ("group.key" nests it in "group"), and what
 * it counts. nm_move_result_add and the JSON report iterate this table, so
 * a new counter is one line here and the code that counts it (engine.c).
 */
#define NM_MOVE_COUNTERS(X)							\
	X(examined, "pages", "base pages in the range")				\
	X(moved, "moved", "now on target because we moved them")		\
	X(would_move, "would_move", "dry run: pages that would move")		\
	X(already, "already_on_target", "were on target already")		\
	X(not_present, "not_present", "nothing to move")			\
	X(skipped_filter, "skipped_filter", "on a node not in --from-node")	\
	X(busy, "busy", "still EBUSY after retries")				\
	X(failed, "failed", "failed for another reason")			\
	X(huge_examined, "huge_pages.examined", "THPs seen")			\
	X(huge_moved, "huge_pages.moved", "THPs moved (one address each)")	\
	X(calls, "move_pages_calls", "move_pages calls (moving)")		\
	X(retries, "retries", "retry rounds")					\
	X(early_stops, "early_stops", "calls that stopped early (sentinel left)")

struct nm_move_result {
#define NM_X_FIELD(field, key, what) uint64_t field;
	NM_MOVE_COUNTERS(NM_X_FIELD)
#undef NM_X_FIELD
	uint64_t by_errno[NM_ERR_SLOTS];/* busy + failed, by class */
	uint64_t from_node[NM_MAX_NODES]; /* moved (or would move) from node */
	double seconds;
	/* Where the time went, summed over the jobs (so with several jobs it
	 * may exceed seconds): inside moving move_pages calls, and in the
	 * pauses between paced calls (--max-stall). The rest is the engine's
	 * own work: the query, the pagemap reads, planning. */
	double call_s;
	double pause_s;
	int fatal;			/* 0 or the -errno that stopped the move */
	uint64_t fatal_after_pages;	/* examined when it stopped */
	/* Example addresses per class (first few), for explanations. */
	uint64_t example[NM_ERR_SLOTS][4];
	unsigned int nexample[NM_ERR_SLOTS];
};

/* The counter table as data: NAME (the JSON key), and the offset of its
 * field in struct nm_move_result. */
struct nm_move_counter {
	const char *key;
	const char *what;
	size_t offset;
};
extern const struct nm_move_counter nm_move_counters[];
extern const size_t nm_move_ncounters;
/* The value of counter C in R. */
uint64_t nm_move_counter_get(const struct nm_move_result *r, const struct nm_move_counter *c);

/* Adds S's page counts, calls, retries and examples to D (not seconds:
 * the caller knows whether the moves overlapped in time). */
void nm_move_result_add(struct nm_move_result *d, const struct nm_move_result *s);

/* Moves RANGES of PID. Returns 0, or -errno of a fatal whole-call error
 * (ESRCH target exited, EPERM, ENODEV, EACCES cpuset...), in which case the
 * counts so far are still in RES (a partial report). */
int nm_engine_move(const struct nm_sys *sys, pid_t pid,
		   const struct nm_range_list *ranges,
		   const struct nm_engine_opts *opts,
		   const struct nm_move_request *req,
		   struct nm_move_result *res);

struct nm_drift {
	uint64_t on_target_before;	/* pages on target at first verify */
	uint64_t left_target;		/* of those, now elsewhere or gone */
	uint64_t to_node[NM_MAX_NODES];
	uint64_t gone;			/* no longer present */
	uint64_t arrived;		/* not on target before, on target now */
};

/* Compares BITMAP (from nm_engine_query with bitmap_node=TARGET) with the
 * pages' current nodes. */
int nm_engine_drift(const struct nm_sys *sys, pid_t pid,
		    const struct nm_range_list *ranges,
		    const struct nm_engine_opts *opts, int target,
		    const uint8_t *bitmap, struct nm_drift *out);

/* Exit code of a finished move: 0, or NM_EXIT_MIGRATE when any page is busy
 * or failed or the move stopped early. */
int nm_move_exit_code(const struct nm_move_result *r);

#endif
