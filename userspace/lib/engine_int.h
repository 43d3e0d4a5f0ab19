/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside the engine (engine.c, engine_query.c, engine_move.c): the batches
 * workers take from a shared cursor, their buffers, the per-batch query,
 * and the worker loop each operation plugs into. Not for other callers.
 */
#ifndef NM_ENGINE_INT_H
#define NM_ENGINE_INT_H

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include "engine.h"

#define PMD_PAGES(ps) ((size_t)(NM_HPAGE_PMD_SIZE / (ps)))

/* A piece of a chunk: pages [off, off + n) of the chunk are N pages of range
 * piece RI from address START. */
struct seg {
	size_t ri;
	uint64_t start;
	size_t off, n;
};

/* One batch: up to batch_pages pages, whole small range pieces packed
 * together (one move_pages call for many small mappings), or a part of
 * one large piece. */
struct chunk {
	struct seg *seg;	/* the worker's array (batch_pages entries) */
	size_t nseg;
	size_t n;		/* pages */
	uint64_t gidx;		/* global index of the first page */
};

struct cursor {
	pthread_mutex_t mu;
	const struct nm_range_list *rl;
	const struct nm_engine_opts *o;
	size_t ri;
	uint64_t off;
	uint64_t gidx;
	uint64_t done;
	unsigned int jobs;	/* workers taking chunks (share_limit) */
	int fatal;		/* first fatal -errno, stops everyone */
};

/* Appends pages of the current range piece to CH; false when the piece
 * does not fit in what is left of a chunk that holds something already. */
struct wbuf {
	size_t cap;
	void **addrs;
	int *status;
	int *nodes;
	uint64_t *pm;
	uint8_t *thp;		/* 1 = first page of a detected THP, 2 = tail */
	/* move list */
	void **mv_addrs;
	int *mv_status;
	size_t *mv_page;	/* index of the entry's first page in the chunk */
	size_t nmv;
	struct seg *seg;	/* the chunk's pieces */
	uint64_t *span;		/* pagemap of several pieces and the holes between */
};

static inline bool nm_eng_not_present(int st)
{
	return st == -ENOENT || st == -EFAULT;
}

/*
 * One engine operation over a range list. Each worker thread zeroes
 * LOCAL_SIZE bytes of its own counters (then INIT, may be NULL), queries
 * batch after batch (pagemap, move_pages query, THPs) and hands each to
 * CHUNK (0, or a -errno that stops every worker); at the end MERGE adds its
 * counters to the shared result, under MU, which CHUNK may take too.
 */
struct nm_eng {
	struct cursor cur;
	const struct nm_sys *sys;
	pid_t pid;
	pthread_mutex_t mu;
	size_t local_size;
	void (*init)(void *local);
	int (*chunk)(struct nm_eng *e, void *local, const struct chunk *ch, struct wbuf *b,
		     bool pm_ok, bool kpf_ok);
	void (*merge)(struct nm_eng *e, void *local);
};

/* Runs E over RL: 0, or the -errno that stopped it (-ESRCH when the
 * target exited, -EINTR on a stop request). */
int nm_eng_run(struct nm_eng *e, const struct nm_range_list *rl,
	       const struct nm_engine_opts *o);

#endif
