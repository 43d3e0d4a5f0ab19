// SPDX-License-Identifier: GPL-2.0
/* The DAMON sensor's reading, mapped onto the policy's regions (policy.h). */
#include <errno.h>
#include <stdlib.h>
#include "policy.h"

int nm_policy_damon(struct nm_policy *p, const struct nm_damon_region *r, size_t n,
		    unsigned long aggr_us)
{
	struct nm_span *sp;
	struct nm_cold_seen *seen;
	int err;

	if (!p->nreg)
		return 0;
	sp = malloc(p->nreg * sizeof(*sp));
	seen = malloc(p->nreg * sizeof(*seen));
	if (!sp || !seen) {
		free(sp);
		free(seen);
		return -ENOMEM;
	}
	for (size_t i = 0; i < p->nreg; i++)
		sp[i] = (struct nm_span){ p->reg[i].start, p->reg[i].end };
	err = nm_damon_fold(r, n, aggr_us, sp, p->nreg, seen);
	for (size_t i = 0; !err && i < p->nreg; i++)
		p->reg[i].seen = seen[i];
	free(sp);
	free(seen);
	return err;
}
