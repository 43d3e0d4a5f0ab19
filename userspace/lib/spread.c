// SPDX-License-Identifier: GPL-2.0
/* Weighted spreads (see spread.h). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "parse.h"
#include "spread.h"

int nm_spread_parse(const char *s, struct nm_spread *out, char *why, size_t len)
{
	char buf[256], *save = NULL, *tok;
	bool pairs = s && strchr(s, ':');

	memset(out, 0, sizeof(*out));
	if (!s || !*s || strlen(s) >= sizeof(buf)) {
		snprintf(why, len, "expected a node or node:weight pairs such as 0:3,2:1");
		return -EINVAL;
	}
	snprintf(buf, sizeof(buf), "%s", s);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *colon = strchr(tok, ':');
		long w = 1;
		int node;

		if (colon)
			*colon = '\0';
		if (nm_parse_node(tok, &node)) {
			snprintf(why, len, "'%s' is not a node number (0-63)", tok);
			return -EINVAL;
		}
		if (colon && nm_parse_long(colon + 1, 1, 1000, &w)) {
			snprintf(why, len, "weight '%s' of node %d: expected 1-1000", colon + 1, node);
			return -EINVAL;
		}
		if (!colon && (pairs || out->n > 0)) {
			snprintf(why, len, "node %d has no weight: in a spread every node has one "
				 "(node:weight, such as 0:3,2:1)", node);
			return -EINVAL;
		}
		for (int i = 0; i < out->n; i++)
			if (out->node[i] == node) {
				snprintf(why, len, "node %d is named twice", node);
				return -EINVAL;
			}
		out->node[out->n] = node;
		out->weight[out->n] = (unsigned int)w;
		out->total += (unsigned long)w;
		out->n++;
	}
	if (!out->n) {
		snprintf(why, len, "expected a node or node:weight pairs such as 0:3,2:1");
		return -EINVAL;
	}
	return 0;
}

int nm_spread_next(const struct nm_spread *sp, struct nm_spread_state *st, uint64_t bytes)
{
	int best = 0;
	double best_gap = 0;
	uint64_t total = st->total + bytes;

	for (int i = 0; i < sp->n; i++) {
		/* how far below its share entry i would be after the chunk */
		double want = (double)total * sp->weight[i] / (double)sp->total;
		double gap = want - (double)st->assigned[i];

		if (i == 0 || gap > best_gap) {
			best = i;
			best_gap = gap;
		}
	}
	st->assigned[best] += bytes;
	st->total = total;
	return sp->node[best];
}

double nm_spread_share(const struct nm_spread *sp, int i)
{
	return sp->total ? 100.0 * sp->weight[i] / (double)sp->total : 0;
}
