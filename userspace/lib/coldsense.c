// SPDX-License-Identifier: GPL-2.0
/* The cold sensor of auto --demote-cold; see coldsense.h. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "coldsense.h"

static const char *const names[] = {
	[NM_SENSOR_FAULTS] = "faults", [NM_SENSOR_DAMON] = "damon", [NM_SENSOR_AUTO] = "auto",
};

const char *nm_cold_sensor_name(enum nm_cold_sensor s)
{
	return (unsigned int)s <= NM_SENSOR_AUTO ? names[s] : "unknown";
}

int nm_cold_sensor_parse(const char *s, enum nm_cold_sensor *out)
{
	for (int i = 0; i <= NM_SENSOR_AUTO; i++)
		if (s && !strcmp(s, names[i])) {
			*out = (enum nm_cold_sensor)i;
			return 0;
		}
	return -EINVAL;
}

int nm_cold_sensor_pick(enum nm_cold_sensor want, bool all, const char *damon_why,
			char *why, size_t len)
{
	if (want == NM_SENSOR_FAULTS) {
		snprintf(why, len, "--cold-sensor faults was asked for");
		return NM_SENSOR_FAULTS;
	}
	if (all) {
		if (want == NM_SENSOR_DAMON) {
			snprintf(why, len, "--cold-sensor damon cannot be used with --all: DAMON "
				 "would need one kdamond per process, without a bound; use "
				 "--cold-sensor faults, or auto --pid for one process");
			return -1;
		}
		snprintf(why, len, "auto --all does not start one kdamond per process (no "
			 "bound): cold means no hinting-fault sample");
		return NM_SENSOR_FAULTS;
	}
	if (damon_why && damon_why[0]) {
		if (want == NM_SENSOR_DAMON) {
			snprintf(why, len, "--cold-sensor damon: DAMON is not usable here: %s; "
				 "use --cold-sensor faults (or auto)", damon_why);
			return -1;
		}
		snprintf(why, len, "DAMON is not usable here (%s): cold means no hinting-fault "
			 "sample", damon_why);
		return NM_SENSOR_FAULTS;
	}
	snprintf(why, len, "DAMON is usable here: numa-migrate starts its own kdamond on the "
		 "target (removed on exit)");
	return NM_SENSOR_DAMON;
}

const char *nm_cold_sensor_trust(enum nm_cold_sensor s)
{
	return s == NM_SENSOR_DAMON ?
		"DAMON samples every region's accessed bits continuously, so cold means "
		"not accessed for the idle time, whenever NUMA balancing scans" :
		"hinting faults come only when NUMA balancing scans, so cold means not "
		"sampled lately: memory the kernel scans rarely can look cold while in use";
}

int nm_damon_fold(const struct nm_damon_region *r, size_t n, unsigned long aggr_us,
		  const struct nm_span *p, size_t np, struct nm_cold_seen *seen)
{
	size_t j = 0;

	for (size_t i = 1; i < n; i++)
		if (r[i].start < r[i - 1].end)
			return -EINVAL;
	for (size_t i = 0; i < np; i++) {
		struct nm_cold_seen s = { .known = false, .idle_s = -1 };
		uint64_t cover = p[i].start;

		/* earlier policy regions end before this one starts: what ended
		 * before it cannot overlap a later one either */
		while (j < n && r[j].end <= p[i].start)
			j++;
		for (size_t k = j; k < n && r[k].start < p[i].end; k++) {
			double idle = r[k].nr_accesses ? 0.0 :
				(double)r[k].age * (double)aggr_us / 1e6;

			if (r[k].start > cover)
				break;		/* a gap DAMON does not watch */
			if (r[k].end > cover)
				cover = r[k].end;
			if (r[k].nr_accesses > s.nr_accesses)
				s.nr_accesses = r[k].nr_accesses;
			if (s.idle_s < 0 || idle < s.idle_s)
				s.idle_s = idle;
		}
		s.known = cover >= p[i].end;
		if (s.idle_s < 0 || !s.known)
			s.idle_s = 0;
		seen[i] = s;
	}
	return 0;
}

bool nm_damon_cold(const struct nm_cold_seen *s, double idle_s)
{
	return s->known && !s->nr_accesses && s->idle_s >= idle_s;
}
