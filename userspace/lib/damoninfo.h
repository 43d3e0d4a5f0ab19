/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What `features` says about DAMON (filled by kernel/damon.c's
 * nm_damon_info_read, printed by output/kfeatures.c): whether the kernel has
 * DAMON and its sysfs interface, how many kdamonds are configured and how
 * many run, and so whether numa-migrate may start its own (only when none is
 * configured: a kdamond someone else set up is never touched). Pure data.
 */
#ifndef NM_DAMONINFO_H
#define NM_DAMONINFO_H

#include <stdbool.h>

#define NM_DAMON_ADMIN "/sys/kernel/mm/damon/admin"

struct nm_damon_info {
	bool sysfs;		/* /sys/kernel/mm/damon/admin exists (CONFIG_DAMON_SYSFS) */
	bool present;		/* DAMON in the kernel: sysfs, or a DAMON module's parameters */
	int nr_kdamonds;	/* configured kdamonds (sysfs), -1 unknown */
	int running;		/* of those, state "on" */
	int first_running_pid;	/* the first running one's pid, 0 if none or unknown */
	int reclaim;		/* DAMON_RECLAIM enabled: 1, 0, -1 absent */
	int lru_sort;		/* DAMON_LRU_SORT enabled: 1, 0, -1 absent */
	bool usable;		/* numa-migrate may start its own kdamond here */
	char why[256];		/* why not usable ("" when usable) */
};

#endif
