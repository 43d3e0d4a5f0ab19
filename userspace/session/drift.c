// SPDX-License-Identifier: GPL-2.0
/* Watching the target's pages after a move: who moved them (see drift.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "attach.h"
#include "drift.h"
#include "errors.h"
#include "migtrace.h"
#include "session.h"

static int drift_event(void *ctx, const struct nm_mig_event *e)
{
	nm_drift_attr_add(ctx, e->reason, e->actor_tgid, e->comm, e->from_node, e->to_node,
			  e->cpu_node, e->order);
	return 0;
}

/* Sleeps S seconds unless a stop signal arrives; returns false if cut short.
 * With MT, the kernel's migrations of the target's pages are attributed
 * into ATTR meanwhile. */
bool nm_wait_seconds(long s, struct nm_migtrace *mt, struct nm_drift_attr *attr,
		     bool *traced)
{
	double end = nm_mono() + (double)s;

	while (!nm_session_stopped()) {
		double left = end - nm_mono();

		if (left <= 0)
			break;
		if (mt) {
			int ms = left > 0.25 ? 250 : (int)(left * 1000) + 1;
			int pr = nm_migtrace_poll_events(mt, ms, drift_event, attr);

			if (pr < 0 && pr != -EINTR) {
				nm_warn("reading migration events failed (%s); the rest of the "
					"window is not traced", strerror(-pr));
				mt = NULL;	/* sleep out the rest */
				if (traced)
					*traced = false;
			}
		} else {
			nm_session_sleep(left);
		}
	}
	if (mt)	/* what is still in the ring buffer */
		nm_migtrace_poll_events(mt, 0, drift_event, attr);
	return !nm_session_stopped();
}

/* Opens the migration tracer with events for drift attribution over T's
 * ranges. Returns NULL and writes why into WHY when it cannot. */
struct nm_migtrace *nm_drift_trace_open(struct nm_target *t, char *why, size_t len)
{
	struct nm_migtrace_opts o = { .tgid = t->pid, .region_shift = 21, .regions = true,
				      .events = true };
	struct nm_kernel_counts kc;
	struct nm_migtrace *mt = NULL;
	size_t added = 0;

	if (nm_migtrace_open(&mt, &o, &kc) < 0) {
		snprintf(why, len, "%s", kc.why);
		return NULL;
	}
	if (!kc.regions) {
		snprintf(why, len, "migration events need tp_btf on "
			 "migrate:mm_migrate_pages_start and set_migration_pte: %s", kc.regions_why);
		nm_migtrace_stop(mt);
		return NULL;
	}
	for (size_t i = 0; i < t->ranges.n; i++)
		for (uint64_t a = t->ranges.r[i].start & ~((1ULL << 21) - 1);
		     a < t->ranges.r[i].end && added < 65536; a += 1ULL << 21, added++)
			nm_migtrace_add_target_region(mt, a);
	if (added >= 65536)
		snprintf(why, len, "only the first 128 GiB of the range are watched for other "
			 "processes' migrations");
	return mt;
}

