/* SPDX-License-Identifier: GPL-2.0 */
/* The reports of numa-migrate scan: text table, JSON, CSV and Prometheus
 * textfile metrics. Pure: takes the ranked processes, writes to a FILE. */
#ifndef NM_SCANREPORT_H
#define NM_SCANREPORT_H

#include <stdbool.h>
#include <stdio.h>
#include <json-c/json.h>
#include "nm.h"
#include "agentsout.h"
#include "scan.h"

struct nm_scan_report {
	const struct nm_scan_proc *p;	/* ranked */
	size_t n;
	const struct nm_scan_skip *skip;
	size_t nskip;
	size_t examined;		/* processes in /proc */
	size_t below_min;		/* left out by --min-size */
	size_t outside_cgroup;		/* left out by --cgroup */
	struct nm_nodemask mem_nodes;	/* columns */
	double window_s;		/* the CPU-time window */
	uint64_t min_size;
	const char *cgroup;		/* NULL: every cgroup */
	const char *sort;
	const char *locality_why;	/* why locality was not measured, or NULL */
	long top;			/* metrics: processes with labels */
	const struct nm_agents *agents;	/* other placement agents, or NULL */
};

void nm_scan_text(FILE *f, const struct nm_scan_report *r, bool tty);
struct json_object *nm_scan_json(const struct nm_scan_report *r);
void nm_scan_csv(FILE *f, const struct nm_scan_report *r);
/* Prometheus text format; 0 or -errno. */
int nm_scan_metrics(FILE *f, const struct nm_scan_report *r);

#endif
