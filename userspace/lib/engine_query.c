// SPDX-License-Identifier: GPL-2.0
/* The engine's query and drift (see engine.h): where every page of a range
 * list is, counted per mapping piece, and which pages left a node since a
 * query. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "engine_int.h"
#include "pagemap.h"

struct qctx {
	struct nm_eng e;	/* first: the worker hands back &e */
	nm_query_piece_fn piece;
	void *piece_arg;
	uint8_t *bitmap;
	int bitmap_node;
	struct nm_query_result *res;
};

/* A query worker's own counts. */
struct qlocal {
	struct nm_hist total;
	uint64_t shared, shared_ex;
	bool any_pm, any_kpf;
};

static void hist_page(struct nm_hist *h, int st, size_t n)
{
	if (st >= 0 && st < NM_MAX_NODES) {
		h->node[st] += n;
		h->present += n;
		if (st > h->max_node)
			h->max_node = st;
	} else if (nm_eng_not_present(st)) {
		h->not_present += n;
	} else {
		h->error += n;
	}
}

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
static void count_piece(const struct qctx *q, const struct wbuf *b, const struct seg *sg,
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

static void query_init(void *local)
{
	((struct qlocal *)local)->total.max_node = -1;
}

static int query_chunk_counts(struct nm_eng *e, void *local, const struct chunk *ch,
			      struct wbuf *b, bool pm_ok, bool kpf_ok)
{
	struct qctx *q = (struct qctx *)e;
	struct qlocal *l = local;
	struct nm_hist chv;	/* one piece's pages (a piece lies in one mapping) */

	l->any_pm |= pm_ok;
	l->any_kpf |= kpf_ok;
	for (size_t k = 0; k < ch->nseg; k++) {
		const struct seg *sg = &ch->seg[k];

		memset(&chv, 0, sizeof(chv));
		chv.max_node = -1;
		count_piece(q, b, sg, ch->gidx, pm_ok, &chv, &l->shared, &l->shared_ex);
		nm_hist_add(&l->total, &chv);
		/* into the per-mapping counts: one lock a piece, and one
		 * array whatever the number of workers */
		if (q->piece) {
			pthread_mutex_lock(&e->mu);
			q->piece(q->piece_arg, e->cur.rl->r[sg->ri].vma, &chv);
			pthread_mutex_unlock(&e->mu);
		}
	}
	return 0;
}

static void query_merge(struct nm_eng *e, void *local)
{
	struct nm_query_result *res = ((struct qctx *)e)->res;
	const struct qlocal *l = local;

	nm_hist_add(&res->total, &l->total);
	res->examined += l->total.present + l->total.not_present + l->total.error;
	if (l->shared && (!res->shared || l->shared_ex < res->shared_example))
		res->shared_example = l->shared_ex;
	res->shared += l->shared;
	res->pagemap_ok |= l->any_pm;
	res->kpageflags_ok |= l->any_kpf;
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
	struct qctx q = { .e = { .sys = sys, .pid = pid, .local_size = sizeof(struct qlocal),
				 .init = query_init, .chunk = query_chunk_counts,
				 .merge = query_merge },
			  .piece = piece, .piece_arg = piece_arg, .bitmap = on_node_bitmap,
			  .bitmap_node = bitmap_node, .res = res };

	memset(res, 0, sizeof(*res));
	res->total.max_node = -1;
	return nm_eng_run(&q.e, ranges, opts);
}

void nm_query_result_free(struct nm_query_result *res)
{
	free(res->by_vma);
	res->by_vma = NULL;
	res->nvma = 0;
}

/* ---- drift ------------------------------------------------------------------ */

struct dctx {
	struct nm_eng e;	/* first: the worker hands back &e */
	int target;
	const uint8_t *bitmap;
	struct nm_drift *out;
};

static int drift_chunk(struct nm_eng *e, void *local, const struct chunk *ch,
		       struct wbuf *b, bool pm_ok, bool kpf_ok)
{
	const struct dctx *d = (const struct dctx *)e;
	struct nm_drift *loc = local;

	(void)pm_ok;
	(void)kpf_ok;
	for (size_t i = 0; i < ch->n; i++) {
		int st = b->status[i];

		if (bitmap_test(d->bitmap, ch->gidx + i)) {
			loc->on_target_before++;
			if (st == d->target)
				continue;
			loc->left_target++;
			if (st >= 0 && st < NM_MAX_NODES)
				loc->to_node[st]++;
			else
				loc->gone++;
		} else if (st == d->target) {
			loc->arrived++;
		}
	}
	return 0;
}

static void drift_merge(struct nm_eng *e, void *local)
{
	struct nm_drift *out = ((struct dctx *)e)->out;
	const struct nm_drift *loc = local;

	out->on_target_before += loc->on_target_before;
	out->left_target += loc->left_target;
	out->gone += loc->gone;
	out->arrived += loc->arrived;
	for (int i = 0; i < NM_MAX_NODES; i++)
		out->to_node[i] += loc->to_node[i];
}

int nm_engine_drift(const struct nm_sys *sys, pid_t pid,
		    const struct nm_range_list *ranges,
		    const struct nm_engine_opts *opts, int target,
		    const uint8_t *bitmap, struct nm_drift *out)
{
	struct dctx d = { .e = { .sys = sys, .pid = pid, .local_size = sizeof(*out),
				 .chunk = drift_chunk, .merge = drift_merge },
			  .target = target, .bitmap = bitmap, .out = out };

	memset(out, 0, sizeof(*out));
	return nm_eng_run(&d.e, ranges, opts);
}
