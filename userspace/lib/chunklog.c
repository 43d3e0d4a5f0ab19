// SPDX-License-Identifier: GPL-2.0
/* The most bytes moved inside any one second (see chunklog.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "chunklog.h"

static int make_room(struct nm_chunk_log *c)
{
	size_t nc;
	double *nt;
	uint64_t *nb;

	if (c->lo && c->lo >= c->n / 2) {	/* drop what left the window: amortised */
		memmove(c->t, c->t + c->lo, (c->n - c->lo) * sizeof(*c->t));
		memmove(c->bytes, c->bytes + c->lo, (c->n - c->lo) * sizeof(*c->bytes));
		c->n -= c->lo;
		c->lo = 0;
		if (c->n < c->cap)
			return 0;
	}
	nc = c->cap ? c->cap * 2 : 256;
	nt = realloc(c->t, nc * sizeof(*nt));
	if (!nt)
		return -ENOMEM;
	c->t = nt;
	nb = realloc(c->bytes, nc * sizeof(*nb));
	if (!nb)
		return -ENOMEM;
	c->bytes = nb;
	c->cap = nc;
	return 0;
}

int nm_chunk_log_add(struct nm_chunk_log *c, double t, uint64_t bytes)
{
	int err = 0;

	while (c->lo < c->n && t - c->t[c->lo] >= 1.0)
		c->window -= c->bytes[c->lo++];
	if (c->n == c->cap)
		err = make_room(c);
	if (!err) {
		c->t[c->n] = t;
		c->bytes[c->n++] = bytes;
		c->window += bytes;
	}
	if ((double)(err ? bytes : c->window) > c->max_1s)
		c->max_1s = (double)(err ? bytes : c->window);
	return err;
}

void nm_chunk_log_free(struct nm_chunk_log *c)
{
	free(c->t);
	free(c->bytes);
	memset(c, 0, sizeof(*c));
}
