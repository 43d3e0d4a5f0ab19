// SPDX-License-Identifier: GPL-2.0
/* numa-migrate check: where the pages are, cross-checked with numa_maps.
 * open -> gather (move_pages query, numa_maps) -> compare -> report. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "attach.h"
#include "cmds.h"
#include "errors.h"
#include "numa_maps.h"
#include "parse.h"
#include "session.h"
#include "target.h"

int nm_cmd_check(struct nm_args *a)
{
	struct nm_target t;
	struct nm_query_result q;
	struct nm_numa_maps nmaps = { 0 };
	struct nm_compare cmp;
	struct nm_check_report rep;
	char why[64] = "";
	bool have_nm;
	int r, rc;

	rc = nm_target_open(a, &t);
	if (rc)
		goto out;
	r = nm_engine_query(&t.sys, t.pid, &t.ranges, &t.eo, t.vmas.n, NULL, -1, &q);
	nm_progress_end(&t);
	if (r && r != -ESRCH && r != -EINTR) {
		rc = nm_target_error(r, t.pid, "query the pages of");
		nm_query_result_free(&q);
		goto out;
	}
	if (r == -EINTR)
		snprintf(why, sizeof(why), "interrupted by SIG%s during the query",
			 sigabbrev_np(nm_session_stopped()) ?: "?");
	have_nm = nm_numa_maps_read("", t.pid, &nmaps) == 0;
	nm_compare_compute(&t.vmas, &t.ranges, &q, have_nm ? &nmaps : NULL,
			   NM_PAGE_SIZE_DEFAULT, &cmp);
	rep = (struct nm_check_report){
		.pid = t.pid, .comm = t.comm, .page_size = NM_PAGE_SIZE_DEFAULT,
		.range_text = a->range, .vmas = &t.vmas, .ranges = &t.ranges, .q = &q,
		.nmaps = have_nm ? &nmaps : NULL, .cmp = &cmp, .nodes = t.mem_nodes,
		.by_mapping = a->by_mapping, .partial = r != 0, .partial_why = why[0] ? why : NULL,
	};
	/* JSON: the one document; the error below becomes its "error" member */
	nm_check_out(t.fmt, &rep);
	if (r == -ESRCH) {
		nm_error("process %d exited during the query; the report above is partial", t.pid);
		rc = NM_EXIT_USAGE;
	} else if (r == -EINTR) {
		nm_error("%s of pid %d; the report above is partial", why, t.pid);
		rc = NM_EXIT_MIGRATE;
	}
	nm_numa_maps_free(&nmaps);
	nm_query_result_free(&q);
out:
	nm_target_close(&t);
	return rc;
}
