/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DAMON as a sensor: a virtual-address monitoring context on one process,
 * set up through DAMON's sysfs interface and read for each region's access
 * frequency and age (how long it has looked the same). numa-migrate only
 * watches: the scheme it installs is "stat", which acts on nothing.
 *
 * A kdamond someone else configured is never touched: DAMON is used only
 * when no kdamond exists (nr_kdamonds is 0), and numa-migrate's own is
 * registered with the session (turned off and removed on every exit path).
 * All paths are under a root ("" for the real /sys) so tests can stand in.
 */
#ifndef NM_DAMON_H
#define NM_DAMON_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "damoninfo.h"
#include "coldsense.h"	/* lib/: struct nm_damon_region */

struct nm_damon;

struct nm_damon_attrs {
	unsigned long sample_us;	/* default 5000 */
	unsigned long aggr_us;		/* default 100000: nr_accesses counts per this */
	unsigned long update_us;	/* default 1000000 */
	unsigned long min_regions, max_regions;	/* default 10, 1000 */
};

void nm_damon_attrs_default(struct nm_damon_attrs *a);

/* Whether DAMON can be used here: 0; -ENOENT (no DAMON sysfs interface:
 * kernel without CONFIG_DAMON_SYSFS), -EBUSY (kdamonds already configured:
 * someone else's, left alone), or -errno. WHY says it in words. */
int nm_damon_probe(const char *root, char *why, size_t len);

/* Starts monitoring PID. 0 or -errno with WHY. */
int nm_damon_start(const char *root, pid_t pid, const struct nm_damon_attrs *a,
		   struct nm_damon **out, char *why, size_t len);

/* The regions as DAMON sees them now (*OUT malloc'ed, by address). 0 or
 * -errno (-ESRCH when the kdamond stopped: the process exited). */
int nm_damon_regions(struct nm_damon *d, struct nm_damon_region **out, size_t *n);

/* The kdamond's pid (0 if unknown). */
pid_t nm_damon_pid(const struct nm_damon *d);

/* What features says about DAMON under ROOT (see damoninfo.h). Reads only. */
void nm_damon_info_read(const char *root, struct nm_damon_info *info);

/* Stops and removes our kdamond now (also done by the session at exit). */
int nm_damon_stop(struct nm_damon *d);

#endif
