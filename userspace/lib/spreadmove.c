// SPDX-License-Identifier: GPL-2.0
/* Moving a range by a weighted spread (see spreadmove.h). */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "spreadmove.h"

uint64_t nm_spread_chunk(uint64_t bytes)
{
	uint64_t units = (bytes + NM_SPREAD_ALIGN - 1) / NM_SPREAD_ALIGN;
	uint64_t per = (units + NM_SPREAD_MAX_CHUNKS - 1) / NM_SPREAD_MAX_CHUNKS;

	return (per ? per : 1) * NM_SPREAD_ALIGN;
}

static int append(struct nm_range_list *l, uint64_t start, uint64_t end, size_t vma)
{
	struct nm_range *last = l->n ? &l->r[l->n - 1] : NULL;

	l->pages += (end - start) / NM_PAGE_SIZE_DEFAULT;
	if (last && last->end == start && last->vma == vma) {
		last->end = end;
		return 0;
	}
	if (nm_grow(l->r, l->n, l->cap, 64))
		return -ENOMEM;
	l->r[l->n++] = (struct nm_range){ start, end, vma };
	return 0;
}

int nm_spread_split(const struct nm_range_list *ranges, const struct nm_spread *sp,
		    uint64_t chunk, struct nm_range_list *out)
{
	struct nm_spread_state st;
	int i = 0;

	memset(&st, 0, sizeof(st));
	for (size_t k = 0; k < ranges->n; k++) {
		const struct nm_range *r = &ranges->r[k];

		for (uint64_t s = r->start, e; s < r->end; s = e) {
			int node;

			e = (s / chunk + 1) * chunk;	/* the next chunk boundary */
			if (e > r->end)
				e = r->end;
			node = nm_spread_next(sp, &st, e - s);
			for (i = 0; i < sp->n && sp->node[i] != node; i++)
				;
			if (append(&out[i], s, e, r->vma)) {
				for (int j = 0; j < sp->n; j++)
					nm_range_list_free(&out[j]);
				return -ENOMEM;
			}
		}
	}
	return 0;
}

int nm_spread_move(const struct nm_sys *sys, pid_t pid, const struct nm_range_list *ranges,
		   const struct nm_engine_opts *o, const struct nm_move_request *req,
		   const struct nm_spread *sp, struct nm_move_result *res)
{
	struct nm_range_list part[NM_MAX_NODES];
	struct nm_move_request rq = *req;
	struct nm_move_result one;
	int r;

	memset(part, 0, sizeof(part));
	memset(res, 0, sizeof(*res));
	r = nm_spread_split(ranges, sp, nm_spread_chunk(ranges->pages * NM_PAGE_SIZE_DEFAULT),
			    part);
	for (int i = 0; !r && i < sp->n; i++) {
		if (!part[i].n)
			continue;
		rq.target_node = sp->node[i];
		r = nm_engine_move(sys, pid, &part[i], o, &rq, &one);
		nm_move_result_add(res, &one);
		res->seconds += one.seconds;
		if (r) {
			res->fatal = one.fatal;
			res->fatal_after_pages = res->examined;
		}
	}
	for (int i = 0; i < sp->n; i++)
		nm_range_list_free(&part[i]);
	return r;
}

void nm_spread_verify(const struct nm_spread *sp, const struct nm_hist *h, double tolerance,
		      struct nm_spread_check *c)
{
	memset(c, 0, sizeof(*c));
	c->present = h->present;
	c->tolerance = tolerance;
	c->worst = -1;
	for (int i = 0; i < sp->n; i++) {
		double miss;

		c->pages[i] = h->node[sp->node[i]];
		c->requested[i] = nm_spread_share(sp, i);
		c->achieved[i] = h->present ? 100.0 * (double)c->pages[i] / (double)h->present : 0;
		miss = fabs(c->achieved[i] - c->requested[i]);
		if (h->present && (c->worst < 0 || miss > c->worst_miss)) {
			c->worst = i;
			c->worst_miss = miss;
		}
	}
	c->missed = !h->present || c->worst_miss > tolerance;
}
