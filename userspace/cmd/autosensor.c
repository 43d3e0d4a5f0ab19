// SPDX-License-Identifier: GPL-2.0
/*
 * The cold sensor of one process under auto --demote-cold (see coldsense.h
 * for the rule, autoproc.h for the calls): picks DAMON or hinting faults,
 * starts numa-migrate's own kdamond on the target (registered with the
 * session: removed on every exit path), and every interval maps DAMON's
 * regions onto the policy's.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "autoproc.h"
#include "damon.h"
#include "errors.h"

/* What was asked for (NULL: auto). */
static enum nm_cold_sensor wanted(const struct nm_args *a)
{
	enum nm_cold_sensor s = NM_SENSOR_AUTO;

	if (a->cold_sensor)
		nm_cold_sensor_parse(a->cold_sensor, &s);	/* checked by the option table */
	return s;
}

int nm_auto_sensor_pick(const struct nm_args *a, char *why, size_t len)
{
	char dwhy[256];

	if (!a->demote_cold) {
		snprintf(why, len, "--demote-cold is off");
		return NM_SENSOR_FAULTS;
	}
	dwhy[0] = '\0';
	nm_damon_probe("", dwhy, sizeof(dwhy));
	return nm_cold_sensor_pick(wanted(a), a->all, dwhy, why, len);
}

int nm_auto_sensor_check(const struct nm_args *a)
{
	char why[512];

	if (nm_auto_sensor_pick(a, why, sizeof(why)) >= 0)
		return 0;
	nm_error("%s", why);
	return NM_EXIT_UNSUPPORTED;
}

void nm_auto_sensor_note(const struct nm_args *a)
{
	char why[512];

	if (!a->demote_cold)
		return;
	nm_auto_sensor_pick(a, why, sizeof(why));
	nm_warn("--demote-cold: %s", why);
}

void nm_autoproc_sensor_init(struct nm_autoproc *p)
{
	int s = nm_auto_sensor_pick(p->a, p->sensor_why, sizeof(p->sensor_why));

	p->sensor = s < 0 ? NM_SENSOR_FAULTS : s;
	p->sum.sensor = p->a->demote_cold ? nm_cold_sensor_name(p->sensor) : NULL;
	p->sum.sensor_why = p->sensor_why;
	p->sum.sensor_trust = nm_cold_sensor_trust(p->sensor);
}

void nm_autoproc_sensor_start(struct nm_autoproc *p)
{
	char why[256];
	int err;

	if (p->sensor != NM_SENSOR_DAMON)
		return;
	nm_damon_attrs_default(&p->damon_attrs);
	err = nm_damon_start("", p->t.pid, &p->damon_attrs, &p->damon, why, sizeof(why));
	if (!err) {
		/* N intervals of wall time without an access make a region cold */
		p->pol.o.cold_idle_s = (double)p->a->demote_cold * (double)p->a->interval;
		return;
	}
	if (wanted(p->a) == NM_SENSOR_DAMON) {
		snprintf(p->errbuf, sizeof(p->errbuf), "--cold-sensor damon: %s; use "
			 "--cold-sensor faults (or auto)", why);
		return;
	}
	p->sensor = NM_SENSOR_FAULTS;
	snprintf(p->sensor_why, sizeof(p->sensor_why), "DAMON could not be started (%s): "
		 "cold means no hinting-fault sample", why);
	p->sum.sensor = nm_cold_sensor_name(p->sensor);
	p->sum.sensor_trust = nm_cold_sensor_trust(p->sensor);
	nm_warn("%s", p->sensor_why);
}

int nm_autoproc_sensor_read(struct nm_autoproc *p)
{
	struct nm_damon_region *r = NULL;
	size_t n = 0;
	int err;

	if (!p->damon)
		return 0;
	err = nm_damon_regions(p->damon, &r, &n);
	if (err == -ESRCH && p->t.sys.alive && p->t.sys.alive(p->t.sys.ctx))
		return 0;	/* the kdamond stopped as its target exited: the next
				 * refresh ends the run as target_exit */
	if (!err)
		err = nm_policy_damon(&p->pol, r, n, p->damon_attrs.aggr_us);
	free(r);
	if (err)
		snprintf(p->errbuf, sizeof(p->errbuf), "reading DAMON's regions of pid %d "
			 "failed: %s", p->t.pid, strerror(-err));
	return err;
}

void nm_autoproc_sensor_stop(struct nm_autoproc *p)
{
	nm_damon_stop(p->damon);
	p->damon = NULL;
}
