// SPDX-License-Identifier: GPL-2.0
/*
 * The migration engine (see engine.h). Work is cut into chunks of at most
 * batch_pages pages, never crossing a range piece, and chunk ends fall on
 * PMD boundaries so a THP is never split between two chunks. Workers take
 * chunks from a shared cursor; each keeps its own buffers and counters and
 * merges them at the end, so memory is O(batch x jobs).
 */
#include <errno.h>
#include <stddef.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <numaif.h>
#include "engine.h"
#include "pagemap.h"

#define PMD_PAGES(ps) ((size_t)(NM_HPAGE_PMD_SIZE / (ps)))

void nm_engine_opts_default(struct nm_engine_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->page_size = NM_PAGE_SIZE_DEFAULT;
	o->batch_pages = 16384;
	o->jobs = 1;
	o->busy_retries = 5;
	o->backoff_us = 1000;
}

void nm_hist_add(struct nm_hist *d, const struct nm_hist *s)
{
	for (int i = 0; i < NM_MAX_NODES; i++)
		d->node[i] += s->node[i];
	d->present += s->present;
	d->not_present += s->not_present;
	d->error += s->error;
	d->thp_pages += s->thp_pages;
	d->thp += s->thp;
	if (s->max_node > d->max_node)
		d->max_node = s->max_node;
}

/* ---- work distribution ------------------------------------------------ */

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
	int fatal;		/* first fatal -errno, stops everyone */
};

/* Appends pages of the current range piece to CH; false when the piece
 * does not fit in what is left of a chunk that holds something already. */
static bool cursor_take(struct cursor *c, struct chunk *ch)
{
	const struct nm_range *r = &c->rl->r[c->ri];
	uint64_t ps = c->o->page_size, pmd = NM_HPAGE_PMD_SIZE;
	uint64_t start = r->start + c->off;
	uint64_t left = (r->end - start) / ps;
	uint64_t n = left;

	if (left > c->o->batch_pages - ch->n) {
		if (ch->n)
			return false;
		n = c->o->batch_pages;
		/* end on a PMD boundary when that leaves something */
		uint64_t end = (start + n * ps) & ~(pmd - 1);

		if (end > start)
			n = (end - start) / ps;
	}
	ch->seg[ch->nseg++] = (struct seg){ c->ri, start, ch->n, (size_t)n };
	ch->n += n;
	c->off += n * ps;
	if (r->start + c->off >= r->end) {
		c->ri++;
		c->off = 0;
	}
	return n == left;
}

static bool cursor_next(struct cursor *c, struct chunk *ch)
{
	bool ok;

	ch->nseg = 0;
	ch->n = 0;
	pthread_mutex_lock(&c->mu);
	if (!c->fatal && c->o->stop && c->o->stop())
		c->fatal = -EINTR;
	while (!c->fatal && c->ri < c->rl->n && ch->n < c->o->batch_pages) {
		const struct nm_range *r = &c->rl->r[c->ri];

		if (r->start + c->off >= r->end) {
			c->ri++;
			c->off = 0;
			continue;
		}
		if (!cursor_take(c, ch))
			break;
	}
	ch->gidx = c->gidx;
	c->gidx += ch->n;
	ok = ch->n > 0;
	pthread_mutex_unlock(&c->mu);
	return ok;
}

static void cursor_fail(struct cursor *c, int err)
{
	pthread_mutex_lock(&c->mu);
	if (!c->fatal)
		c->fatal = err;
	pthread_mutex_unlock(&c->mu);
}

static void cursor_done(struct cursor *c, size_t n)
{
	pthread_mutex_lock(&c->mu);
	c->done += n;
	if (c->o->progress)
		c->o->progress(c->o->progress_arg, c->done, c->rl->pages);
	pthread_mutex_unlock(&c->mu);
}

/* ---- per-chunk query --------------------------------------------------- */

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

static int wbuf_init(struct wbuf *b, size_t cap)
{
	memset(b, 0, sizeof(*b));
	b->cap = cap;
	b->addrs = calloc(cap, sizeof(*b->addrs));
	b->status = calloc(cap, sizeof(*b->status));
	b->nodes = calloc(cap, sizeof(*b->nodes));
	b->pm = calloc(cap, sizeof(*b->pm));
	b->thp = calloc(cap, sizeof(*b->thp));
	b->mv_addrs = calloc(cap, sizeof(*b->mv_addrs));
	b->mv_status = calloc(cap, sizeof(*b->mv_status));
	b->mv_page = calloc(cap, sizeof(*b->mv_page));
	b->seg = calloc(cap, sizeof(*b->seg));
	b->span = calloc(cap, sizeof(*b->span));
	if (!b->addrs || !b->status || !b->nodes || !b->pm || !b->thp ||
	    !b->mv_addrs || !b->mv_status || !b->mv_page || !b->seg || !b->span)
		return -ENOMEM;
	return 0;
}

static void wbuf_free(struct wbuf *b)
{
	free(b->addrs);
	free(b->status);
	free(b->nodes);
	free(b->pm);
	free(b->thp);
	free(b->mv_addrs);
	free(b->mv_status);
	free(b->mv_page);
	free(b->seg);
	free(b->span);
}

static bool is_not_present(int st)
{
	return st == -ENOENT || st == -EFAULT;
}

/*
 * Reads the pagemap entries of CH's pages into b->pm, packed like the
 * chunk. A piece alone is read in place; pieces close together (within a
 * batch of each other) are read in one call over the span that holds them
 * (a hole between mappings reads as zeros) and copied to their packed
 * places: neighbouring small mappings cost one read, not one each.
 * Returns 0 or the -errno of a failed read.
 */
static int read_pagemap(const struct nm_sys *sys, const struct chunk *ch, uint64_t ps,
			struct wbuf *b)
{
	for (size_t i = 0, j; i < ch->nseg; i = j + 1) {
		const struct seg *a = &ch->seg[i];
		uint64_t span;
		int r;

		for (j = i; j + 1 < ch->nseg; j++) {
			const struct seg *x = &ch->seg[j], *y = &ch->seg[j + 1];

			if (y->start < x->start + x->n * ps ||
			    (y->start + y->n * ps - a->start) / ps > b->cap)
				break;
		}
		if (j == i) {
			r = sys->pagemap(sys->ctx, a->start, a->n, b->pm + a->off);
			if (r)
				return r;
			continue;
		}
		span = (ch->seg[j].start + ch->seg[j].n * ps - a->start) / ps;
		r = sys->pagemap(sys->ctx, a->start, (size_t)span, b->span);
		if (r)
			return r;
		for (size_t k = i; k <= j; k++) {
			const struct seg *x = &ch->seg[k];

			memcpy(b->pm + x->off, b->span + (x->start - a->start) / ps,
			       x->n * sizeof(*b->pm));
		}
	}
	return 0;
}

/*
 * A page the kernel is migrating right now (NUMA balancing, compaction,
 * another mover) has a migration entry in place of its PTE: the query says
 * -ENOENT or -EFAULT, as for a page never touched, but pagemap marks it
 * "swapped". Such entries are queried again, a few times with a short
 * pause, so a page in flight is not counted as not present (which made
 * --verify's percent wrong while balancing ran). A page really swapped out
 * stays not present. Uses the move list's buffers as scratch.
 */
static void requery_in_flight(const struct nm_sys *sys, pid_t pid, const struct chunk *ch,
			      uint64_t ps, struct wbuf *b)
{
	size_t n = ch->n;
	int *settled = b->nodes;	/* 1: mapped but not movable memory (zero page) */

	for (size_t i = 0; i < n; i++)
		settled[i] = 0;
	for (int round = 0; round < 3; round++) {
		size_t k = 0;
		bool swapped = false;

		/* pagemap may call a page present already: the migration ended
		 * between the query and the pagemap read */
		for (size_t i = 0; i < n; i++)
			if (is_not_present(b->status[i]) && !settled[i] &&
			    (b->pm[i] & (NM_PM_SWAP | NM_PM_PRESENT))) {
				swapped |= (b->pm[i] & NM_PM_SWAP) != 0;
				b->mv_addrs[k] = b->addrs[i];
				b->mv_page[k++] = i;
			}
		if (!k)
			return;
		if (swapped && sys->sleep_us)
			sys->sleep_us(sys->ctx, 1000u << round);
		for (size_t j = 0; j < k; j++)
			b->mv_status[j] = NM_STATUS_SENTINEL;
		if (sys->move_pages(sys->ctx, pid, k, b->mv_addrs, NULL, b->mv_status, 0) < 0)
			return;
		for (size_t j = 0; j < k; j++) {
			size_t i = b->mv_page[j];

			if (b->mv_status[j] != NM_STATUS_SENTINEL)
				b->status[i] = b->mv_status[j];
			/* present in pagemap and still not found: the zero page */
			if (is_not_present(b->status[i]) && !(b->pm[i] & NM_PM_SWAP))
				settled[i] = 1;
		}
		read_pagemap(sys, ch, ps, b);
	}
}

/* Marks the THPs of piece S in b->thp; clears *KPF_OK when kpageflags
 * cannot be read. */
static void find_thps(const struct nm_sys *sys, const struct seg *s, uint64_t ps,
		      struct wbuf *b, bool *kpf_ok)
{
	size_t pmdn = PMD_PAGES(ps);

	for (size_t j = 0; j + pmdn <= s->n; j++) {
		size_t i = s->off + j;
		uint64_t a = s->start + j * ps, fl;

		if (a & (NM_HPAGE_PMD_SIZE - 1))
			continue;
		if (!nm_pagemap_pmd_contiguous(b->pm + i, pmdn))
			continue;
		if (sys->kpageflags(sys->ctx, b->pm[i] & NM_PM_PFN_MASK, &fl) != 0) {
			*kpf_ok = false;
			return;
		}
		if (!nm_kpf_test(fl, NM_KPF_THP) || !nm_kpf_test(fl, NM_KPF_COMPOUND_HEAD))
			continue;
		b->thp[i] = 1;
		memset(b->thp + i + 1, 2, pmdn - 1);
		j += pmdn - 1;
	}
}

/*
 * Queries the node of every page of CH into b->status. A query that stops
 * early (sentinel left) is resumed from the first unwritten entry; an entry
 * that stays unwritten after the retries keeps the sentinel.
 */
static int query_chunk(const struct nm_sys *sys, pid_t pid, const struct chunk *ch,
		       const struct nm_engine_opts *o, struct wbuf *b, bool *pm_ok,
		       bool *kpf_ok)
{
	uint64_t ps = o->page_size;
	size_t from = 0;
	long r;

	for (size_t k = 0; k < ch->nseg; k++)
		for (size_t j = 0, i = ch->seg[k].off; j < ch->seg[k].n; j++, i++) {
			b->addrs[i] = (void *)(uintptr_t)(ch->seg[k].start + j * ps);
			b->status[i] = NM_STATUS_SENTINEL;
			b->thp[i] = 0;
		}
	for (int attempt = 0; attempt <= o->busy_retries && from < ch->n; attempt++) {
		r = sys->move_pages(sys->ctx, pid, ch->n - from, b->addrs + from, NULL,
				    b->status + from, 0);
		if (r < 0)
			return (int)r;
		while (from < ch->n && b->status[from] != NM_STATUS_SENTINEL)
			from++;
	}

	*pm_ok = sys->pagemap && read_pagemap(sys, ch, ps, b) == 0;
	if (!*pm_ok)
		return 0;
	requery_in_flight(sys, pid, ch, ps, b);

	/* THP detection needs PFNs (CAP_SYS_ADMIN) and kpageflags: say whether
	 * it was possible, so "0 THPs" is not confused with "could not tell". */
	*kpf_ok = false;
	for (size_t i = 0; i < ch->n && sys->kpageflags; i++) {
		if ((b->pm[i] & NM_PM_PRESENT) && (b->pm[i] & NM_PM_PFN_MASK)) {
			*kpf_ok = true;
			break;
		}
	}

	/* a PMD-aligned, fully present, physically contiguous block of one
	 * piece whose first page kpageflags calls a THP head */
	for (size_t k = 0; k < ch->nseg && *kpf_ok; k++)
		find_thps(sys, &ch->seg[k], ps, b, kpf_ok);
	return 0;
}

static void hist_page(struct nm_hist *h, int st, size_t n)
{
	if (st >= 0 && st < NM_MAX_NODES) {
		h->node[st] += n;
		h->present += n;
		if (st > h->max_node)
			h->max_node = st;
	} else if (is_not_present(st)) {
		h->not_present += n;
	} else {
		h->error += n;
	}
}

/* ---- query --------------------------------------------------------------- */

struct qctx {
	struct cursor cur;
	const struct nm_sys *sys;
	pid_t pid;
	nm_query_piece_fn piece;
	void *piece_arg;
	uint8_t *bitmap;
	int bitmap_node;
	pthread_mutex_t mu;
	struct nm_query_result *res;
};

static void bitmap_set(uint8_t *bm, uint64_t i)
{
	__atomic_fetch_or(&bm[i / 8], (uint8_t)(1u << (i % 8)), __ATOMIC_RELAXED);
}

static bool bitmap_test(const uint8_t *bm, uint64_t i)
{
	return (bm[i / 8] >> (i % 8)) & 1;
}

/* Counts piece SG of the chunk into CHV, marks the bitmap, and counts the
 * pages shared with other processes. */
static void count_piece(struct qctx *q, const struct wbuf *b, const struct seg *sg,
			uint64_t gidx, bool pm_ok, struct nm_hist *chv, uint64_t *shared,
			uint64_t *shared_ex)
{
	for (size_t i = sg->off; i < sg->off + sg->n; i++) {
		int st = b->status[i];

		hist_page(chv, st, 1);
		if (b->thp[i]) {
			chv->thp_pages++;
			chv->thp += b->thp[i] == 1;
		}
		if (q->bitmap && st == q->bitmap_node)
			bitmap_set(q->bitmap, gidx + i);
		/* mapped by other processes too: move_pages says EACCES
		 * without MPOL_MF_MOVE_ALL */
		if (pm_ok && st >= 0 && st != q->bitmap_node &&
		    (b->pm[i] & NM_PM_PRESENT) && !(b->pm[i] & NM_PM_EXCLUSIVE)) {
			if (!(*shared)++)
				*shared_ex = (uint64_t)(uintptr_t)b->addrs[i];
		}
	}
}

static void *query_worker(void *arg)
{
	struct qctx *q = arg;
	const struct nm_engine_opts *o = q->cur.o;
	struct nm_hist total = { .max_node = -1 };
	struct nm_hist chv;	/* one piece's pages (a piece lies in one mapping) */
	bool pm_ok = false, kpf_ok = false, any_pm = false, any_kpf = false;
	uint64_t shared = 0, shared_ex = 0;
	struct wbuf b;
	struct chunk ch;
	int err;

	err = wbuf_init(&b, o->batch_pages);
	if (err) {
		cursor_fail(&q->cur, err);
		goto out;
	}
	ch.seg = b.seg;
	while (cursor_next(&q->cur, &ch)) {
		if (q->sys->alive && (err = q->sys->alive(q->sys->ctx)) != 0) {
			cursor_fail(&q->cur, err);
			break;
		}
		err = query_chunk(q->sys, q->pid, &ch, o, &b, &pm_ok, &kpf_ok);
		if (err) {
			cursor_fail(&q->cur, err);
			break;
		}
		any_pm |= pm_ok;
		any_kpf |= kpf_ok;
		for (size_t k = 0; k < ch.nseg; k++) {
			const struct seg *sg = &ch.seg[k];

			memset(&chv, 0, sizeof(chv));
			chv.max_node = -1;
			count_piece(q, &b, sg, ch.gidx, pm_ok, &chv, &shared, &shared_ex);
			nm_hist_add(&total, &chv);
			/* into the per-mapping counts: one lock a piece, and one
			 * array whatever the number of workers */
			if (q->piece) {
				pthread_mutex_lock(&q->mu);
				q->piece(q->piece_arg, q->cur.rl->r[sg->ri].vma, &chv);
				pthread_mutex_unlock(&q->mu);
			}
		}
		cursor_done(&q->cur, ch.n);
	}
out:
	pthread_mutex_lock(&q->mu);
	nm_hist_add(&q->res->total, &total);
	q->res->examined += total.present + total.not_present + total.error;
	if (shared && (!q->res->shared || shared_ex < q->res->shared_example))
		q->res->shared_example = shared_ex;
	q->res->shared += shared;
	q->res->pagemap_ok |= any_pm;
	q->res->kpageflags_ok |= any_kpf;
	pthread_mutex_unlock(&q->mu);
	wbuf_free(&b);
	return NULL;
}

typedef void *(*worker_fn)(void *);

/* Runs FN on JOBS threads (the calling thread is one of them). */
static int run_workers(unsigned int jobs, worker_fn fn, void *arg)
{
	pthread_t *t;
	unsigned int started = 0;

	if (jobs <= 1) {
		fn(arg);
		return 0;
	}
	t = calloc(jobs - 1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	for (unsigned int i = 0; i < jobs - 1; i++) {
		if (pthread_create(&t[i], NULL, fn, arg) != 0)
			break;
		started++;
	}
	fn(arg);
	for (unsigned int i = 0; i < started; i++)
		pthread_join(t[i], NULL);
	free(t);
	return 0;
}

static void cursor_init(struct cursor *c, const struct nm_range_list *rl,
			const struct nm_engine_opts *o)
{
	memset(c, 0, sizeof(*c));
	pthread_mutex_init(&c->mu, NULL);
	c->rl = rl;
	c->o = o;
}

static unsigned int effective_jobs(const struct nm_engine_opts *o,
				   const struct nm_range_list *rl)
{
	uint64_t chunks = (rl->pages + o->batch_pages - 1) / o->batch_pages;
	unsigned int j = o->jobs ? o->jobs : 1;

	if (chunks < j)
		j = chunks ? (unsigned int)chunks : 1;
	return j;
}

/*
 * A whole-call error from a target that is being killed is its exit: once
 * its mm is torn down move_pages fails with EINVAL (6.1) and pagemap reads
 * come back short, a moment before the pidfd turns readable. Errors that
 * say something about the request (privilege, node, cpuset) are kept; any
 * other is re-checked against the pidfd for up to a second.
 */
static int fatal_cause(const struct nm_sys *sys, int err)
{
	if (!err || err == -ESRCH || !sys->alive)
		return err;
	if (err == -EPERM || err == -EACCES || err == -ENODEV || err == -E2BIG || err == -EINTR)
		return err;
	for (int i = 0; i < 100; i++) {
		if (sys->alive(sys->ctx) == -ESRCH)
			return -ESRCH;
		if (!sys->sleep_us)
			break;
		sys->sleep_us(sys->ctx, 10000);
	}
	return err;
}

struct by_vma {
	struct nm_hist *h;
	size_t n;
};

static void add_by_vma(void *arg, size_t vma, const struct nm_hist *h)
{
	struct by_vma *bv = arg;

	if (vma < bv->n)
		nm_hist_add(&bv->h[vma], h);
}

int nm_engine_query(const struct nm_sys *sys, pid_t pid,
		    const struct nm_range_list *ranges,
		    const struct nm_engine_opts *opts, size_t by_vma_n,
		    uint8_t *on_node_bitmap, int bitmap_node,
		    struct nm_query_result *res)
{
	struct by_vma bv = { NULL, by_vma_n };
	int err;

	if (by_vma_n) {
		bv.h = calloc(by_vma_n, sizeof(*bv.h));
		if (!bv.h) {
			memset(res, 0, sizeof(*res));
			return -ENOMEM;
		}
		for (size_t i = 0; i < by_vma_n; i++)
			bv.h[i].max_node = -1;
	}
	err = nm_engine_query_each(sys, pid, ranges, opts, bv.h ? add_by_vma : NULL, &bv,
				   on_node_bitmap, bitmap_node, res);
	res->by_vma = bv.h;
	res->nvma = by_vma_n;
	return err;
}

int nm_engine_query_each(const struct nm_sys *sys, pid_t pid,
			 const struct nm_range_list *ranges,
			 const struct nm_engine_opts *opts, nm_query_piece_fn piece,
			 void *piece_arg, uint8_t *on_node_bitmap, int bitmap_node,
			 struct nm_query_result *res)
{
	struct qctx q = { .sys = sys, .pid = pid, .piece = piece, .piece_arg = piece_arg,
			  .bitmap = on_node_bitmap, .bitmap_node = bitmap_node,
			  .res = res };
	int err;

	memset(res, 0, sizeof(*res));
	res->total.max_node = -1;
	cursor_init(&q.cur, ranges, opts);
	pthread_mutex_init(&q.mu, NULL);
	err = run_workers(effective_jobs(opts, ranges), query_worker, &q);
	if (!err)
		err = q.cur.fatal;
	err = fatal_cause(sys, err);
	pthread_mutex_destroy(&q.mu);
	pthread_mutex_destroy(&q.cur.mu);
	return err;
}

void nm_query_result_free(struct nm_query_result *res)
{
	free(res->by_vma);
	res->by_vma = NULL;
	res->nvma = 0;
}

/* ---- move ------------------------------------------------------------------ */

struct mctx {
	struct cursor cur;
	const struct nm_sys *sys;
	pid_t pid;
	const struct nm_move_request *req;
	pthread_mutex_t mu;
	struct nm_move_result *res;
};

static void note_example(struct nm_move_result *r, enum nm_errslot s, uint64_t addr)
{
	if (r->nexample[s] < NM_ARRAY_SIZE(r->example[s]))
		r->example[s][r->nexample[s]++] = addr;
}

static void count_fail(struct nm_move_result *r, enum nm_errslot s, size_t np,
		       uint64_t addr)
{
	r->by_errno[s] += np;
	if (s == NM_ERR_EBUSY)
		r->busy += np;
	else
		r->failed += np;
	note_example(r, s, addr);
}

/* Pages behind move entry K: a THP head stands for a whole PMD. */
static size_t entry_pages(const struct wbuf *b, size_t k, size_t pmdn)
{
	return b->thp[b->mv_page[k]] == 1 ? pmdn : 1;
}

/*
 * Entries whose outcome move_pages did not write: a call that failed as a
 * whole with ENOMEM (target node full) after moving part of its list, or
 * entries still unwritten when the retries ran out. The kernel stops a call
 * at the first batch with a page it cannot migrate (one pinned page) without
 * writing the status of the others, even those it did move, and on a retry
 * stops again before reaching them. Re-query the N entries: those on the
 * target were moved by us, the rest count as SLOT.
 * Returns 0 or a fatal -errno of the query.
 */
static long settle(struct mctx *m, struct wbuf *b, size_t n, struct nm_move_result *r,
		   enum nm_errslot slot)
{
	size_t pmdn = PMD_PAGES(m->cur.o->page_size);
	int target = m->req->target_node;
	long ret;

	for (size_t k = 0; k < n; k++)
		b->mv_status[k] = NM_STATUS_SENTINEL;
	ret = m->sys->move_pages(m->sys->ctx, m->pid, n, b->mv_addrs, NULL,
				 b->mv_status, 0);
	if (ret < 0)
		return ret;
	for (size_t k = 0; k < n; k++) {
		size_t np = entry_pages(b, k, pmdn);
		int st = b->mv_status[k];

		if (st == target) {
			r->moved += np;
			r->from_node[b->status[b->mv_page[k]]] += np;
			r->huge_moved += b->thp[b->mv_page[k]] == 1;
		} else if (is_not_present(st)) {
			r->not_present += np;
		} else {
			count_fail(r, slot, np, (uint64_t)(uintptr_t)b->mv_addrs[k]);
		}
	}
	return 0;
}

/*
 * Moves the entries of b's move list to the target. Retries entries left
 * unwritten (early stop) or EBUSY up to busy_retries times with doubling
 * backoff. Returns 0 or a fatal -errno; entries not settled by a fatal error
 * are counted as UNPROCESSED.
 */
static int move_list(struct mctx *m, struct wbuf *b, struct nm_move_result *r)
{
	const struct nm_engine_opts *o = m->cur.o;
	const struct nm_sys *sys = m->sys;
	int target = m->req->target_node;
	int flags = m->req->move_all ? MPOL_MF_MOVE_ALL : MPOL_MF_MOVE;
	size_t pmdn = PMD_PAGES(o->page_size);
	size_t n = b->nmv;
	int fatal = 0;

	for (size_t k = 0; k < n; k++)
		b->nodes[k] = target;

	for (int attempt = 0; n > 0; attempt++) {
		long ret;
		size_t keep = 0;
		bool sentinel_left = false;

		for (size_t k = 0; k < n; k++)
			b->mv_status[k] = NM_STATUS_SENTINEL;
		ret = sys->move_pages(sys->ctx, m->pid, n, b->mv_addrs, b->nodes,
				      b->mv_status, flags);
		r->calls++;
		if (ret == -ENOMEM) {
			/* 6.12 fails the whole call when the target fills up, after
			 * moving what fitted: ask where each page is now. */
			ret = settle(m, b, n, r, NM_ERR_ENOMEM);
			n = 0;
		}
		if (ret < 0) {
			fatal = (int)ret;
			break;
		}
		for (size_t k = 0; k < n; k++) {
			int st = b->mv_status[k];
			size_t np = entry_pages(b, k, pmdn);
			uint64_t addr = (uint64_t)(uintptr_t)b->mv_addrs[k];
			bool last = attempt >= o->busy_retries;

			if (st == NM_STATUS_SENTINEL || st == -EBUSY) {
				sentinel_left |= st == NM_STATUS_SENTINEL;
				if (!last || st == NM_STATUS_SENTINEL) {
					/* the last round's unwritten ones are settled below */
					b->mv_addrs[keep] = b->mv_addrs[k];
					b->mv_page[keep] = b->mv_page[k];
					keep++;
				} else {
					count_fail(r, NM_ERR_EBUSY, np, addr);
				}
			} else if (st == target) {
				r->moved += np;
				r->from_node[b->status[b->mv_page[k]]] += np;
				r->huge_moved += np == pmdn && b->thp[b->mv_page[k]] == 1;
			} else if (st >= 0) {
				count_fail(r, NM_ERR_WRONG_NODE, np, addr);
			} else if (is_not_present(st)) {
				r->not_present += np;	/* unmapped meanwhile */
			} else {
				count_fail(r, nm_errslot_of(-st), np, addr);
			}
		}
		if (sentinel_left)
			r->early_stops++;
		n = keep;
		if (n && attempt >= o->busy_retries) {
			ret = settle(m, b, n, r, NM_ERR_UNPROCESSED);
			n = 0;
			if (ret < 0) {
				fatal = (int)ret;
				break;
			}
		}
		if (n) {
			r->retries++;
			if (sys->sleep_us)
				sys->sleep_us(sys->ctx, o->backoff_us << attempt);
		}
	}
	if (fatal) {
		for (size_t k = 0; k < n; k++)
			count_fail(r, NM_ERR_UNPROCESSED, entry_pages(b, k, pmdn),
				   (uint64_t)(uintptr_t)b->mv_addrs[k]);
	}
	b->nmv = 0;
	return fatal;
}

/* Classifies the queried pages of CH and builds the move list. */
static void plan_chunk(struct mctx *m, const struct chunk *ch, struct wbuf *b,
		       struct nm_move_result *r)
{
	const struct nm_move_request *q = m->req;
	size_t pmdn = PMD_PAGES(m->cur.o->page_size);

	b->nmv = 0;
	for (size_t i = 0; i < ch->n;) {
		int st = b->status[i];
		bool huge = b->thp[i] == 1;
		size_t np = huge ? pmdn : 1;
		uint64_t addr = (uint64_t)(uintptr_t)b->addrs[i];

		r->examined += np;
		r->huge_examined += huge;
		if (st == q->target_node) {
			r->already += np;
		} else if (is_not_present(st)) {
			r->not_present += np;
		} else if (st == NM_STATUS_SENTINEL) {
			count_fail(r, NM_ERR_UNPROCESSED, np, addr);
		} else if (st < 0) {
			count_fail(r, nm_errslot_of(-st), np, addr);
		} else if (st >= NM_MAX_NODES) {
			count_fail(r, NM_ERR_OTHER, np, addr);
		} else if (q->from_set && !nm_nodemask_test(&q->from, st)) {
			r->skipped_filter += np;
		} else if (q->dry_run) {
			r->would_move += np;
			r->from_node[st] += np;
		} else {
			b->mv_addrs[b->nmv] = b->addrs[i];
			b->mv_page[b->nmv] = i;
			b->nmv++;
		}
		i += np;
	}
}

const struct nm_move_counter nm_move_counters[] = {
#define NM_X_ENTRY(field, key, what) { key, what, offsetof(struct nm_move_result, field) },
	NM_MOVE_COUNTERS(NM_X_ENTRY)
#undef NM_X_ENTRY
};
const size_t nm_move_ncounters = NM_ARRAY_SIZE(nm_move_counters);

uint64_t nm_move_counter_get(const struct nm_move_result *r, const struct nm_move_counter *c)
{
	uint64_t v;

	memcpy(&v, (const char *)r + c->offset, sizeof(v));
	return v;
}

void nm_move_result_add(struct nm_move_result *d, const struct nm_move_result *s)
{
#define NM_X_ADD(field, key, what) d->field += s->field;
	NM_MOVE_COUNTERS(NM_X_ADD)
#undef NM_X_ADD
	for (int i = 0; i < NM_ERR_SLOTS; i++) {
		d->by_errno[i] += s->by_errno[i];
		for (unsigned int k = 0; k < s->nexample[i]; k++)
			note_example(d, (enum nm_errslot)i, s->example[i][k]);
	}
	for (int i = 0; i < NM_MAX_NODES; i++)
		d->from_node[i] += s->from_node[i];
}

static void *move_worker(void *arg)
{
	struct mctx *m = arg;
	const struct nm_engine_opts *o = m->cur.o;
	struct nm_move_result r;
	bool pm_ok, kpf_ok = false;
	struct wbuf b;
	struct chunk ch;
	int err;

	memset(&r, 0, sizeof(r));
	err = wbuf_init(&b, o->batch_pages);
	if (err) {
		cursor_fail(&m->cur, err);
		goto out;
	}
	ch.seg = b.seg;
	while (cursor_next(&m->cur, &ch)) {
		if (m->sys->alive && (err = m->sys->alive(m->sys->ctx)) != 0) {
			cursor_fail(&m->cur, err);
			break;
		}
		err = query_chunk(m->sys, m->pid, &ch, o, &b, &pm_ok, &kpf_ok);
		if (err) {
			cursor_fail(&m->cur, err);
			break;
		}
		plan_chunk(m, &ch, &b, &r);
		if (b.nmv) {
			err = move_list(m, &b, &r);
			if (err) {
				cursor_fail(&m->cur, err);
				break;
			}
		}
		cursor_done(&m->cur, ch.n);
	}
out:
	pthread_mutex_lock(&m->mu);
	nm_move_result_add(m->res, &r);
	pthread_mutex_unlock(&m->mu);
	wbuf_free(&b);
	return NULL;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int nm_engine_move(const struct nm_sys *sys, pid_t pid,
		   const struct nm_range_list *ranges,
		   const struct nm_engine_opts *opts,
		   const struct nm_move_request *req,
		   struct nm_move_result *res)
{
	struct mctx m = { .sys = sys, .pid = pid, .req = req, .res = res };
	double t0 = now_s();
	int err;

	memset(res, 0, sizeof(*res));
	if (req->target_node < 0 || req->target_node >= NM_MAX_NODES)
		return -EINVAL;
	cursor_init(&m.cur, ranges, opts);
	pthread_mutex_init(&m.mu, NULL);
	err = run_workers(effective_jobs(opts, ranges), move_worker, &m);
	if (!err)
		err = m.cur.fatal;
	err = fatal_cause(sys, err);
	res->seconds = now_s() - t0;
	if (err) {
		res->fatal = err;
		res->fatal_after_pages = res->examined;
	}
	pthread_mutex_destroy(&m.mu);
	pthread_mutex_destroy(&m.cur.mu);
	return err;
}

int nm_move_exit_code(const struct nm_move_result *r)
{
	if (r->fatal || r->busy || r->failed)
		return NM_EXIT_MIGRATE;
	return NM_EXIT_OK;
}

/* ---- drift ------------------------------------------------------------------ */

struct dctx {
	struct cursor cur;
	const struct nm_sys *sys;
	pid_t pid;
	int target;
	const uint8_t *bitmap;
	pthread_mutex_t mu;
	struct nm_drift *out;
};

static void *drift_worker(void *arg)
{
	struct dctx *d = arg;
	struct nm_drift loc;
	bool pm_ok, kpf_ok = false;
	struct wbuf b;
	struct chunk ch;
	int err;

	memset(&loc, 0, sizeof(loc));
	err = wbuf_init(&b, d->cur.o->batch_pages);
	if (err) {
		cursor_fail(&d->cur, err);
		goto out;
	}
	ch.seg = b.seg;
	while (cursor_next(&d->cur, &ch)) {
		if (d->sys->alive && (err = d->sys->alive(d->sys->ctx)) != 0) {
			cursor_fail(&d->cur, err);
			break;
		}
		err = query_chunk(d->sys, d->pid, &ch, d->cur.o, &b, &pm_ok, &kpf_ok);
		if (err) {
			cursor_fail(&d->cur, err);
			break;
		}
		for (size_t i = 0; i < ch.n; i++) {
			int st = b.status[i];
			bool was = bitmap_test(d->bitmap, ch.gidx + i);

			if (was) {
				loc.on_target_before++;
				if (st == d->target)
					continue;
				loc.left_target++;
				if (st >= 0 && st < NM_MAX_NODES)
					loc.to_node[st]++;
				else
					loc.gone++;
			} else if (st == d->target) {
				loc.arrived++;
			}
		}
		cursor_done(&d->cur, ch.n);
	}
out:
	pthread_mutex_lock(&d->mu);
	d->out->on_target_before += loc.on_target_before;
	d->out->left_target += loc.left_target;
	d->out->gone += loc.gone;
	d->out->arrived += loc.arrived;
	for (int i = 0; i < NM_MAX_NODES; i++)
		d->out->to_node[i] += loc.to_node[i];
	pthread_mutex_unlock(&d->mu);
	wbuf_free(&b);
	return NULL;
}

int nm_engine_drift(const struct nm_sys *sys, pid_t pid,
		    const struct nm_range_list *ranges,
		    const struct nm_engine_opts *opts, int target,
		    const uint8_t *bitmap, struct nm_drift *out)
{
	struct dctx d = { .sys = sys, .pid = pid, .target = target,
			  .bitmap = bitmap, .out = out };
	int err;

	memset(out, 0, sizeof(*out));
	cursor_init(&d.cur, ranges, opts);
	pthread_mutex_init(&d.mu, NULL);
	err = run_workers(effective_jobs(opts, ranges), drift_worker, &d);
	if (!err)
		err = d.cur.fatal;
	err = fatal_cause(sys, err);
	pthread_mutex_destroy(&d.mu);
	pthread_mutex_destroy(&d.cur.mu);
	return err;
}
