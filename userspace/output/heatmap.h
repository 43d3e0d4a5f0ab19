/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The page heat report of a trace session (pure: no BPF, no syscalls).
 * Regions are address ranges of one granularity (a power of two, default
 * 2 MiB), keyed by their first address. Input: hinting faults per region (as
 * the kernel aggregated them), pages per region and node (from the engine's
 * query), kernel migrations by reason. Output: text, JSON, CSV, SVG.
 */
#ifndef NM_HEATMAP_H
#define NM_HEATMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <json-c/json.h>
#include "hintfault.h"		/* include/: struct nm_hf_region, NM_HF_MAX_NODES */
#include "maps.h"

/* Nodes kept per region; pages on a higher node count in other_pages. */
#define NM_HEAT_NODES NM_HF_MAX_NODES

struct nm_heat_region {
	uint64_t start;
	uint64_t pages[NM_HEAT_NODES];		/* resident pages by node */
	uint64_t other_pages;			/* on a node >= NM_HEAT_NODES */
	uint64_t access[NM_HEAT_NODES];		/* hinting faults by accessing node */
	uint64_t other_access;
	uint64_t fault_page_node[NM_HEAT_NODES];	/* hinting faults by the page's node */
	uint64_t migrated, migrate_failed;	/* on hinting faults */
	/* filled by nm_heat_finish */
	uint64_t total_access;
	int dominant;				/* -1: no samples */
	int resident;				/* most pages now; -1: none known */
	uint64_t misplaced;			/* pages away from the dominant node */
	const char *mapping;			/* points into the vma list or a literal */
	uint32_t *win;				/* accesses per time window, or NULL */
	uint64_t *kmig;				/* pages the kernel migrated, by index
						 * into nm_heat.reason, or NULL */
	uint64_t kmig_total;			/* includes failed ones */
	/* the same by node: pages that left a node (out) and arrived on one
	 * (in); failed ones stayed where they were. Unknown nodes (a frame
	 * outside the memory block table) count only in kmig_unknown_node. */
	uint64_t kmig_in[NM_HEAT_NODES], kmig_out[NM_HEAT_NODES];
	uint64_t kmig_failed, kmig_unknown_node;
	struct nm_heat_flow {
		uint16_t reason;		/* index into nm_heat.reason */
		int16_t from, to;		/* -1: unknown */
		uint64_t pages;
	} *flows;
	size_t nflows;
};

struct nm_heat {
	uint64_t granularity;
	struct nm_heat_region *r;
	size_t n, cap;
	size_t *slot;				/* open-addressing index into r, +1 */
	size_t nslot;
	/* session */
	pid_t pid;
	char comm[64];				/* the target's name as read; "" unknown */
	double duration_s;
	uint64_t hint_faults, dropped, no_addr;
	uint64_t mig_dropped;			/* migration events not placed */
	uint32_t region_bound;			/* entries of the kernel's region map, 0: none */
	/* the scheduler moving the target's threads between nodes */
	size_t nmoves;
	struct { char event[8]; int from, to; uint64_t count; } moves[64];
	bool moves_traced;			/* the sched hooks were attached */
	size_t nreasons;
	struct { char name[32]; uint64_t succeeded, failed; } reason[32];
	bool finished;
	/* time windows (optional) */
	uint32_t nwin;				/* windows declared */
	uint32_t wins_done;			/* windows filled so far */
	double window_s;
};

/* -EINVAL unless GRAN is a power of two >= 4096. */
int nm_heat_init(struct nm_heat *h, uint64_t gran);
void nm_heat_free(struct nm_heat *h);

/* START is aligned down to the granularity; repeated adds accumulate. */
int nm_heat_add_faults(struct nm_heat *h, uint64_t start, const struct nm_hf_region *f);
int nm_heat_add_pages(struct nm_heat *h, uint64_t start, int node, uint64_t pages);
int nm_heat_add_kernel_migrations(struct nm_heat *h, const char *reason,
				  uint64_t succeeded, uint64_t failed);
/* Pages the kernel migrated in the region at START for REASON from node FROM
 * to node TO (-1: unknown; FROM == TO: the migration failed). */
int nm_heat_add_region_migration(struct nm_heat *h, uint64_t start, const char *reason,
				 int from, int to, uint64_t pages);

/* The scheduler's EVENT ("move", "swap", "stick") of the target's threads
 * from node FROM to node TO, COUNT times; -ENOSPC past 64 pairs. */
int nm_heat_add_thread_moves(struct nm_heat *h, const char *event, int from, int to,
			     uint64_t count);

/* Declares NWIN windows of WINDOW_S seconds (before any window data). */
int nm_heat_set_windows(struct nm_heat *h, uint32_t nwin, double window_s);
/* The region's CUMULATIVE accesses at the end of window W (windows filled in
 * order): the window gets what is new since the previous ones. */
int nm_heat_window_total(struct nm_heat *h, uint32_t w, uint64_t start, uint64_t cumulative);
/* Marks window W complete (regions without new faults got 0). */
void nm_heat_window_done(struct nm_heat *h, uint32_t w);

void nm_heat_set_meta(struct nm_heat *h, pid_t pid, double duration_s,
		      uint64_t hint_faults, uint64_t dropped, uint64_t no_addr);
/* The target's command name (kept up to 63 bytes, shown escaped). */
void nm_heat_set_comm(struct nm_heat *h, const char *comm);

/* Dominant node (most accesses; ties: lowest node), resident node (most
 * pages; ties: lowest node), misplaced pages, the
 * mapping of each region (the one holding most of its bytes, ties: the lower
 * address; "unmapped" when none reaches into it), and the order: hottest
 * first, ties by address. VMAS must outlive H. */
void nm_heat_finish(struct nm_heat *h, const struct nm_vma_list *vmas);

/* Samples the report rests on: hinting faults placed in regions. */
uint64_t nm_heat_samples(const struct nm_heat *h);
/* Highest node with pages, accesses or migrations in any region (0 if none). */
int nm_heat_max_node(const struct nm_heat *h);
/* Resident pages of R on every node. */
uint64_t nm_heat_region_pages(const struct nm_heat_region *r);
/* After nm_heat_finish: R is accessed mostly from one node (its dominant) but
 * most of its pages sit on another (its resident node). */
bool nm_heat_region_misplaced(const struct nm_heat_region *r);

void nm_heat_report_text(FILE *f, const struct nm_heat *h, size_t max_rows);
struct json_object *nm_heat_json(const struct nm_heat *h);
/* Pure CSV (RFC 4180): one header line, one row per region, nothing else. */
void nm_heat_report_csv(FILE *f, const struct nm_heat *h);
/* The report's summary and warnings (the text report's first lines), each
 * line prefixed with PREFIX: what --csv writes to stderr. */
void nm_heat_report_meta(FILE *f, const struct nm_heat *h, const char *prefix);
/* The picture (heatsvg.c): a title, a legend per colour scale, and for the
 * hottest NM_HEAT_SVG_ROWS regions (drawn by address) their mapping, accesses
 * by node, pages by node with misplaced regions marked, accesses over time. */
#define NM_HEAT_SVG_ROWS 200
void nm_heat_report_svg(FILE *f, const struct nm_heat *h);
/* NAME escaped like text output (\xNN) and cut to at most MAX characters
 * (MAX >= 8): ".../file" when the file name fits, else "..." and the end. */
const char *nm_heat_short_name(const char *name, char *buf, size_t size, size_t max);

#endif
