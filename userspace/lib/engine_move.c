// SPDX-License-Identifier: GPL-2.0
/*
 * The engine's move (see engine.h): per batch, the pages to move (not on
 * the target, on a --from-node, one address per THP), one move_pages call
 * for them, EBUSY and early stops retried with bounded backoff, and every
 * page's outcome counted.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <numaif.h>
#include "engine_int.h"
#include "pace.h"

struct mctx {
	struct nm_eng e;	/* first: the worker hands back &e */
	const struct nm_move_request *req;
	struct nm_move_result *res;
	struct nm_pace pace;	/* under e.mu; used when opts->max_stall_us */
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
	size_t pmdn = PMD_PAGES(m->e.cur.o->page_size);
	int target = m->req->target_node;
	long ret;

	for (size_t k = 0; k < n; k++)
		b->mv_status[k] = NM_STATUS_SENTINEL;
	ret = m->e.sys->move_pages(m->e.sys->ctx, m->e.pid, n, b->mv_addrs, NULL,
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
		} else if (nm_eng_not_present(st)) {
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
	const struct nm_engine_opts *o = m->e.cur.o;
	const struct nm_sys *sys = m->e.sys;
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
		double t0;

		for (size_t k = 0; k < n; k++)
			b->mv_status[k] = NM_STATUS_SENTINEL;
		t0 = nm_mono();
		ret = sys->move_pages(sys->ctx, m->e.pid, n, b->mv_addrs, b->nodes,
				      b->mv_status, flags);
		r->call_s += nm_mono() - t0;
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
			} else if (nm_eng_not_present(st)) {
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
	size_t pmdn = PMD_PAGES(m->e.cur.o->page_size);

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
		} else if (nm_eng_not_present(st)) {
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
	d->call_s += s->call_s;
	d->pause_s += s->pause_s;
}

int nm_move_exit_code(const struct nm_move_result *r)
{
	if (r->fatal || r->busy || r->failed)
		return NM_EXIT_MIGRATE;
	return NM_EXIT_OK;
}

/*
 * Under a stall bound: b's move list in slices of the pacer's size, each its
 * own call (move_list on a view of the slice), timed, then the pacer's pause.
 */
static int move_paced(struct mctx *m, struct wbuf *b, struct nm_move_result *r)
{
	size_t pmdn = PMD_PAGES(m->e.cur.o->page_size), all = b->nmv, k = 0;
	int err = 0;

	while (k < all && !err) {
		struct wbuf v = *b;
		size_t want, pages = 0;
		unsigned int pause;
		double t0;

		pthread_mutex_lock(&m->e.mu);
		want = nm_pace_batch(&m->pace);
		pthread_mutex_unlock(&m->e.mu);
		v.mv_addrs += k, v.mv_page += k, v.mv_status += k, v.nmv = 0;
		while (k + v.nmv < all && (!v.nmv || pages < want))
			pages += entry_pages(b, k + v.nmv++, pmdn);
		k += v.nmv;
		t0 = nm_mono();
		err = move_list(m, &v, r);
		pthread_mutex_lock(&m->e.mu);
		pause = nm_pace_done(&m->pace, pages, nm_mono() - t0);
		pthread_mutex_unlock(&m->e.mu);
		if (m->e.sys->sleep_us && pause && k < all && !m->e.cur.o->pace_no_pause) {
			t0 = nm_mono();
			m->e.sys->sleep_us(m->e.sys->ctx, pause);
			r->pause_s += nm_mono() - t0;	/* the wake-up's delay too */
		}
	}
	b->nmv = 0;
	return err;
}

static int move_chunk(struct nm_eng *e, void *local, const struct chunk *ch, struct wbuf *b,
		      bool pm_ok, bool kpf_ok)
{
	struct mctx *m = (struct mctx *)e;

	(void)pm_ok;
	(void)kpf_ok;
	plan_chunk(m, ch, b, local);
	if (b->nmv && m->e.cur.o->max_stall_us)
		return move_paced(m, b, local);
	return b->nmv ? move_list(m, b, local) : 0;
}

static void move_merge(struct nm_eng *e, void *local)
{
	nm_move_result_add(((struct mctx *)e)->res, local);
}

int nm_engine_move(const struct nm_sys *sys, pid_t pid,
		   const struct nm_range_list *ranges,
		   const struct nm_engine_opts *opts,
		   const struct nm_move_request *req,
		   struct nm_move_result *res)
{
	struct mctx m = { .e = { .sys = sys, .pid = pid, .local_size = sizeof(*res),
				 .chunk = move_chunk, .merge = move_merge },
			  .req = req, .res = res };
	double t0 = nm_mono();
	int err;

	memset(res, 0, sizeof(*res));
	nm_pace_init(&m.pace, opts->max_stall_us);
	if (req->target_node < 0 || req->target_node >= NM_MAX_NODES)
		return -EINVAL;
	err = nm_eng_run(&m.e, ranges, opts);
	res->seconds = nm_mono() - t0;
	if (err) {
		res->fatal = err;
		res->fatal_after_pages = res->examined;
	}
	return err;
}
