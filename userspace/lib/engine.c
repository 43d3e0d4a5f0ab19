// SPDX-License-Identifier: GPL-2.0
/*
 * The migration engine's batching (see engine.h, engine_int.h). Work is cut
 * into chunks of at most batch_pages pages: whole small range pieces packed
 * together, or part of a large one, whose chunk ends fall on PMD boundaries
 * so a THP is never split between two chunks. Workers take chunks from a
 * shared cursor, query each (move_pages without nodes, pagemap, kpageflags)
 * and hand it to the operation (engine_query.c, engine_move.c); each keeps
 * its own buffers and counters and merges them at the end, so memory is
 * O(batch x jobs).
 */
#include <errno.h>
#include <stddef.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "engine_int.h"
#include "pagemap.h"
#include "quietthread.h"

void nm_engine_opts_default(struct nm_engine_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->page_size = NM_PAGE_SIZE_DEFAULT;
	o->batch_pages = NM_BATCH_DEFAULT;
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

/* Appends pages of the current range piece to CH; false when the piece
 * does not fit in what is left of a chunk that holds something already. */
static bool cursor_take(struct cursor *c, struct chunk *ch, size_t limit)
{
	const struct nm_range *r = &c->rl->r[c->ri];
	uint64_t ps = c->o->page_size, pmd = NM_HPAGE_PMD_SIZE;
	uint64_t start = r->start + c->off;
	uint64_t left = (r->end - start) / ps;
	uint64_t n = left;

	if (left > limit - ch->n) {
		if (ch->n)
			return false;
		n = limit;
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

/* A small chunk: a sixteenth of a batch, at least a PMD, at most a batch.
 * A prefetching run's first chunk is one, so the query before the first
 * call is short; with several jobs no chunk is smaller (share_limit). */
static size_t small_batch(const struct nm_engine_opts *o)
{
	size_t pmdn = PMD_PAGES(o->page_size), n = o->batch_pages / 16;

	n = n < pmdn ? pmdn : n;
	return n < o->batch_pages ? n : o->batch_pages;
}

/*
 * With several jobs a chunk is at most the jobs' share of what is left
 * (guided self-scheduling), and no smaller than small_batch(): chunks
 * shrink toward the end, so the jobs finish together. With whole batches
 * to the end, a job that took the last batch just before another finished
 * its own left that one idle for most of a batch: two jobs moving 256 MiB
 * of THP in four batches spent 1.66-1.96 times the wall time inside their
 * calls (1.82 on average), 1.93-1.97 with batches an eighth as large.
 */
static size_t share_limit(const struct cursor *c, size_t limit)
{
	uint64_t left = c->rl->pages > c->gidx ? c->rl->pages - c->gidx : 0;
	uint64_t share = (left + c->jobs - 1) / c->jobs;
	size_t floor = small_batch(c->o);

	if (share < floor)
		share = floor;
	return share < limit ? (size_t)share : limit;
}

static bool cursor_next(struct cursor *c, struct chunk *ch)
{
	size_t limit = c->o->batch_pages;
	bool ok;

	ch->nseg = 0;
	ch->n = 0;
	pthread_mutex_lock(&c->mu);
	if (!c->fatal && c->o->stop && c->o->stop())
		c->fatal = -EINTR;
	if (c->o->prefetch && c->gidx == 0)
		limit = small_batch(c->o);
	else if (c->jobs > 1)
		limit = share_limit(c, limit);
	while (!c->fatal && c->ri < c->rl->n && ch->n < limit) {
		const struct nm_range *r = &c->rl->r[c->ri];

		if (r->start + c->off >= r->end) {
			c->ri++;
			c->off = 0;
			continue;
		}
		if (!cursor_take(c, ch, limit))
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
			if (nm_eng_not_present(b->status[i]) && !settled[i] &&
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
			if (nm_eng_not_present(b->status[i]) && !(b->pm[i] & NM_PM_SWAP))
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
 * move_pages in query mode for the N entries of ADDRS into STATUS, which
 * holds the sentinel: a query that stops early is resumed from the first
 * unwritten entry; an entry that stays unwritten after the retries keeps
 * the sentinel. Returns 0 or the -errno of a failed call.
 */
static int query_list(const struct nm_sys *sys, pid_t pid, size_t n, void **addrs,
		      int *status, int retries)
{
	size_t from = 0;

	for (int attempt = 0; attempt <= retries && from < n; attempt++) {
		long r = sys->move_pages(sys->ctx, pid, n - from, addrs + from, NULL,
					 status + from, 0);

		if (r < 0)
			return (int)r;
		while (from < n && status[from] != NM_STATUS_SENTINEL)
			from++;
	}
	return 0;
}

/*
 * With sys->pfn_node (engine.h): the status of the N pages whose pagemap
 * entry tells it, the node of a frame the process maps alone or a file
 * page's, "not present" when pagemap sees neither a page nor a swap entry.
 * The others (the zero page, pages shared with other processes, special
 * mappings, frames of no memory block, swap and migration entries) go on
 * the move list for move_pages. Returns how many.
 */
static size_t nodes_from_pfns(const struct nm_sys *sys, size_t n, struct wbuf *b)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		uint64_t pm = b->pm[i], pfn = pm & NM_PM_PFN_MASK;
		int node = -1;

		if (!(pm & (NM_PM_PRESENT | NM_PM_SWAP))) {
			b->status[i] = -ENOENT;
			continue;
		}
		if ((pm & NM_PM_PRESENT) && (pm & (NM_PM_EXCLUSIVE | NM_PM_FILE)) && pfn)
			node = sys->pfn_node(sys->pfn_ctx, pfn);
		if (node >= 0 && node < NM_MAX_NODES) {
			b->status[i] = node;
			continue;
		}
		b->mv_addrs[k] = b->addrs[i];
		b->mv_status[k] = NM_STATUS_SENTINEL;
		b->mv_page[k++] = i;
	}
	return k;
}

/* The status of every page of CH into b->status: from pagemap PFNs where
 * they tell (sys->pfn_node), move_pages for the rest. */
static int query_status(const struct nm_sys *sys, pid_t pid, const struct chunk *ch,
			const struct nm_engine_opts *o, struct wbuf *b, bool *pm_ok)
{
	size_t k;
	int err;

	if (!sys->pfn_node || !sys->pagemap || read_pagemap(sys, ch, o->page_size, b)) {
		err = query_list(sys, pid, ch->n, b->addrs, b->status, o->busy_retries);
		*pm_ok = !err && sys->pagemap && read_pagemap(sys, ch, o->page_size, b) == 0;
		return err;
	}
	*pm_ok = true;
	k = nodes_from_pfns(sys, ch->n, b);
	err = query_list(sys, pid, k, b->mv_addrs, b->mv_status, o->busy_retries);
	for (size_t j = 0; j < k && !err; j++)
		b->status[b->mv_page[j]] = b->mv_status[j];
	return err;
}

/*
 * Queries the node of every page of CH into b->status (query_status), the
 * pagemap entries into b->pm, pages in flight again, and the THPs.
 */
static int query_chunk(const struct nm_sys *sys, pid_t pid, const struct chunk *ch,
		       const struct nm_engine_opts *o, struct wbuf *b, bool *pm_ok,
		       bool *kpf_ok)
{
	uint64_t ps = o->page_size;
	int err;

	for (size_t k = 0; k < ch->nseg; k++)
		for (size_t j = 0, i = ch->seg[k].off; j < ch->seg[k].n; j++, i++) {
			b->addrs[i] = (void *)(uintptr_t)(ch->seg[k].start + j * ps);
			b->status[i] = NM_STATUS_SENTINEL;
			b->thp[i] = 0;
		}
	err = query_status(sys, pid, ch, o, b, pm_ok);
	if (err || !*pm_ok)
		return err;
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

/* ---- workers -------------------------------------------------------------- */

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
			const struct nm_engine_opts *o, unsigned int jobs)
{
	memset(c, 0, sizeof(*c));
	pthread_mutex_init(&c->mu, NULL);
	c->rl = rl;
	c->o = o;
	c->jobs = jobs;
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

/* A chunk, its buffers and its query's outcome. */
struct fetch {
	struct nm_eng *e;
	struct chunk ch;
	struct wbuf b;
	bool got;		/* the cursor gave a chunk */
	bool pm_ok, kpf_ok;
	int err;
};

/* Takes the next chunk from the cursor and queries it. */
static void fetch_one(struct fetch *f)
{
	struct nm_eng *e = f->e;

	f->err = 0;
	f->got = cursor_next(&e->cur, &f->ch);
	if (!f->got)
		return;
	if (e->sys->alive && (f->err = e->sys->alive(e->sys->ctx)) != 0)
		return;
	f->err = query_chunk(e->sys, e->pid, &f->ch, e->cur.o, &f->b, &f->pm_ok, &f->kpf_ok);
}

static void *fetch_thread(void *arg)
{
	fetch_one(arg);
	return NULL;
}

/*
 * One worker of E: its counters, its buffers, batch after batch. With
 * o->prefetch it has two sets of buffers and queries the next chunk on a
 * second thread (signals blocked: quietthread.h) while CHUNK handles the
 * current one; without a thread it queries after, as without prefetch.
 */
static void *worker(void *arg)
{
	struct nm_eng *e = arg;
	void *local = calloc(1, e->local_size);
	unsigned int nbuf = e->cur.o->prefetch ? 2 : 1, cur = 0;
	struct fetch f[2];
	int err = local ? 0 : -ENOMEM;

	memset(f, 0, sizeof(f));
	if (local && e->init)
		e->init(local);
	for (unsigned int i = 0; i < nbuf && !err; i++) {
		f[i].e = e;
		err = wbuf_init(&f[i].b, e->cur.o->batch_pages);
		f[i].ch.seg = f[i].b.seg;
	}
	if (!err) {
		fetch_one(&f[0]);
		err = f[0].err;
	}
	while (!err && f[cur].got) {
		struct fetch *now = &f[cur], *next = &f[(cur + 1) % nbuf];
		pthread_t t;
		bool ahead = nbuf == 2 && nm_thread_start_quiet(&t, fetch_thread, next) == 0;

		err = e->chunk(e, local, &now->ch, &now->b, now->pm_ok, now->kpf_ok);
		if (ahead)
			pthread_join(t, NULL);
		if (err)
			break;
		cursor_done(&e->cur, now->ch.n);
		if (!ahead)
			fetch_one(next);
		err = next->err;
		cur = (cur + 1) % nbuf;
	}
	if (err)
		cursor_fail(&e->cur, err);
	if (local) {
		pthread_mutex_lock(&e->mu);
		e->merge(e, local);
		pthread_mutex_unlock(&e->mu);
	}
	free(local);
	for (unsigned int i = 0; i < nbuf; i++)
		wbuf_free(&f[i].b);
	return NULL;
}

int nm_eng_run(struct nm_eng *e, const struct nm_range_list *rl,
	       const struct nm_engine_opts *o)
{
	int err;

	cursor_init(&e->cur, rl, o, effective_jobs(o, rl));
	pthread_mutex_init(&e->mu, NULL);
	err = run_workers(e->cur.jobs, worker, e);
	if (!err)
		err = e->cur.fatal;
	err = fatal_cause(e->sys, err);
	pthread_mutex_destroy(&e->mu);
	pthread_mutex_destroy(&e->cur.mu);
	return err;
}
