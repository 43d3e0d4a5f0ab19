// SPDX-License-Identifier: GPL-2.0
/* The option rules (see cli.h): kept beside the option table of cli.c. */
#include <stddef.h>
#include "cli.h"
#include "nm.h"

/*
 * Pairs of options a form accepts that make no sense together: one would be
 * silently ignored, or they contradict. A rule is checked only in a form that
 * offers both options.
 */
const struct nm_optrule nm_optrules[] = {
	{ OPT_MAN, OPT_BASH, false, "help prints one document at a time" },
	{ OPT_JSON, OPT_CSV, false, "a report has one format" },
	{ OPT_THP, OPT_NO_THP, false, "they ask for opposite things" },
	/* the seed form with --check is the check command: move's options
	 * would be ignored */
#define SEED_CHECK "with --check the seed form only counts pages, as 'numa-migrate check' does"
	{ OPT_CHECK, OPT_TO_NODE, false, SEED_CHECK },
	{ OPT_CHECK, OPT_FROM_NODE, false, SEED_CHECK },
	{ OPT_CHECK, OPT_ALL, false, SEED_CHECK },
	{ OPT_CHECK, OPT_VERIFY, false, SEED_CHECK },
	{ OPT_CHECK, OPT_MIN_VERIFIED, false, SEED_CHECK },
	{ OPT_CHECK, OPT_DRY_RUN, false, SEED_CHECK },
	{ OPT_CHECK, OPT_NO_BPF, false, SEED_CHECK },
	{ OPT_BY_MAPPING, OPT_CHECK, true, "the move form has no per-mapping breakdown" },
	/* check reads numa_maps unless --exact: the query's tuning would be ignored */
	{ OPT_BATCH, OPT_EXACT, true, "it sizes the page-exact query's calls" },
	{ OPT_JOBS, OPT_EXACT, true, "it sets the page-exact query's callers" },
	/* a dry run moves nothing, so there is nothing to verify or trace, and
	 * it must not change the process */
	{ OPT_DRY_RUN, OPT_VERIFY, false, "a dry run moves nothing, so nothing is verified" },
	{ OPT_DRY_RUN, OPT_NO_BPF, false, "a dry run loads no BPF anyway" },
	{ OPT_DRY_RUN, OPT_PIN_THREADS, false,
	  "--pin-threads changes the process, which a --dry-run must not do" },
	{ OPT_DRY_RUN, OPT_POLICY, false,
	  "--policy changes the process, which a --dry-run must not do" },
	{ OPT_MIN_VERIFIED, OPT_VERIFY, true, "it is the threshold of --verify's check" },
	/* the helper's access threads: how many and where */
	{ OPT_THREADS, OPT_ACCESS_NODE, true, "the threads run on that node" },
	{ OPT_ACCESS_NODE, OPT_THREADS, true, "it places the access threads, none without it" },
	{ OPT_EXCLUDE, OPT_ALL, true, "it leaves processes out of --all" },
	{ OPT_CGROUP, OPT_ALL, true, "it narrows --all to a cgroup" },
	{ OPT_COLD_SENSOR, OPT_DEMOTE_COLD, true, "it picks how --demote-cold tells cold memory" },
	{ OPT_MIN_SIZE, OPT_ALL, true, "it narrows --all to large processes" },
	{ OPT_TOP, OPT_ALL, true, "it bounds the per-process metrics of --all" },
	{ OPT_SPREAD, OPT_ALL, false,
	  "a spread names addresses, which belong to one process: use auto --pid P --spread" },
	{ OPT_DAEMON, OPT_JSON, false,
	  "a daemon's standard output is /dev/null, so the report would be lost (use --log FILE)" },
};
#undef SEED_CHECK
const size_t nm_noptrules = NM_ARRAY_SIZE(nm_optrules);
