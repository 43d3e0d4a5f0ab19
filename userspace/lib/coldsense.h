/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The cold sensor of 'auto --demote-cold' (pure: no syscalls, unit-tested).
 *
 * Two sensors say that a policy region is cold:
 *  - damon: DAMON's regions of the target (kernel/damon.c reads them every
 *    interval). A policy region is cold when every DAMON region overlapping
 *    it saw no access (nr_accesses 0) for at least the wanted idle time
 *    (age * aggr_us), and DAMON's regions cover it whole. This does not
 *    depend on when NUMA balancing scans.
 *  - faults: no hinting-fault sample for N active intervals (policy.h).
 * nm_cold_sensor_pick chooses between them (--cold-sensor auto|damon|faults)
 * and says why; nm_damon_fold maps DAMON's regions onto the policy's,
 * linear in both.
 */
#ifndef NM_COLDSENSE_H
#define NM_COLDSENSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum nm_cold_sensor {
	NM_SENSOR_FAULTS = 0,
	NM_SENSOR_DAMON,
	NM_SENSOR_AUTO,		/* only as what was asked: DAMON where usable */
};

const char *nm_cold_sensor_name(enum nm_cold_sensor s);	/* "faults", "damon", "auto" */
/* Parses "auto", "damon" or "faults": 0 or -EINVAL. */
int nm_cold_sensor_parse(const char *s, enum nm_cold_sensor *out);

/* One region as DAMON reports it (a scheme's tried region). */
struct nm_damon_region {
	uint64_t start, end;
	unsigned int nr_accesses;	/* samples that saw an access, per aggregation */
	unsigned int age;		/* aggregation intervals it has looked like this */
};

/* What the sensor saw of one policy region in the last reading. */
struct nm_cold_seen {
	bool known;			/* DAMON's regions covered it whole */
	unsigned int nr_accesses;	/* the most of any overlapping DAMON region */
	double idle_s;			/* the least idle time of them (0 if accessed) */
};

/* The sensor auto --demote-cold uses: WANT asked for; ALL (auto --all: no
 * kdamond per process); DAMON_WHY empty when DAMON is usable here, else why
 * not (nm_damon_probe's words). Returns the sensor, or -1 when WANT is
 * damon and it cannot be had (WHY then says the cause and the fix). WHY
 * says why this sensor in one sentence. */
int nm_cold_sensor_pick(enum nm_cold_sensor want, bool all, const char *damon_why,
			char *why, size_t len);
/* How much to trust the sensor's "cold", one sentence. */
const char *nm_cold_sensor_trust(enum nm_cold_sensor s);

/* Maps DAMON's regions R (N of them, sorted by start, not overlapping)
 * onto the policy regions [START[i], END[i]) (NP of them, sorted, not
 * overlapping), filling SEEN[i]. AGGR_US: DAMON's aggregation interval.
 * Linear: O(N + NP). Returns -EINVAL when R is not sorted. */
struct nm_span {
	uint64_t start, end;
};
int nm_damon_fold(const struct nm_damon_region *r, size_t n, unsigned long aggr_us,
		  const struct nm_span *p, size_t np, struct nm_cold_seen *seen);

/* Cold by DAMON: seen whole, no access, idle at least IDLE_S. */
bool nm_damon_cold(const struct nm_cold_seen *s, double idle_s);

#endif
