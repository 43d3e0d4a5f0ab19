// SPDX-License-Identifier: GPL-2.0
/* auto's queue of moves cut short by the rate cap (see autopend.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "autopend.h"

/* The first span whose start is >= START. */
static size_t lower_bound(const struct nm_pending_queue *q, uint64_t start)
{
	return nm_lower_bound(q->span, q->nspan, start, start);
}

bool nm_pending_overlaps(const struct nm_pending_queue *q, uint64_t start, uint64_t end)
{
	size_t i = lower_bound(q, start);

	/* disjoint spans: only the one before START and the first at or after
	 * it can overlap */
	if (i > 0 && q->span[i - 1].end > start)
		return true;
	return i < q->nspan && q->span[i].start < end;
}

static int span_insert(struct nm_pending_queue *q, uint64_t start, uint64_t end)
{
	size_t i;

	if (nm_grow(q->span, q->nspan, q->capspan, 8))
		return -ENOMEM;
	i = lower_bound(q, start);
	memmove(q->span + i + 1, q->span + i, (q->nspan - i) * sizeof(*q->span));
	q->span[i] = (struct nm_pspan){ start, end };
	q->nspan++;
	return 0;
}

int nm_pending_add(struct nm_pending_queue *q, const struct nm_decision *d, long interval,
		   int node, uint64_t resume)
{
	if (nm_grow(q->p, q->n, q->cap, 8) ||
	    span_insert(q, d->start, d->end))
		return -ENOMEM;
	q->p[q->n++] = (struct nm_pending){ *d, interval, node, resume };
	return 0;
}

static int cmp_span(const void *a, const void *b)
{
	const struct nm_pspan *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

void nm_pending_compact(struct nm_pending_queue *q)
{
	size_t k = 0;

	for (size_t i = 0; i < q->n; i++)
		if (q->p[i].resume)
			q->p[k++] = q->p[i];
	q->n = k;
	/* the index of what stays: rebuilt once per interval, k <= nspan */
	for (size_t i = 0; i < k; i++)
		q->span[i] = (struct nm_pspan){ q->p[i].d.start, q->p[i].d.end };
	q->nspan = k;
	if (k > 1)
		qsort(q->span, k, sizeof(*q->span), cmp_span);
}

void nm_pending_free(struct nm_pending_queue *q)
{
	free(q->p);
	free(q->span);
	memset(q, 0, sizeof(*q));
}
