// SPDX-License-Identifier: GPL-2.0
/* Pacing of a move under a stall bound: see pace.h. */
#include "pace.h"

void nm_pace_init(struct nm_pace *p, unsigned int max_stall_us)
{
	*p = (struct nm_pace){ .bound_s = (max_stall_us ? max_stall_us : 1) / 1e6,
			       .batch = NM_PACE_FIRST };
}

size_t nm_pace_batch(const struct nm_pace *p)
{
	size_t b = p->batch;

	if (p->calls % 2)
		b /= 2;		/* the dither that keeps the fit determined */
	return b ? b : 1;
}

/* Fits seconds = fixed + pages * per_page over the decayed window. Without
 * two different sizes in it yet the whole time is taken as per page (the
 * safe side: smaller calls); a noisy window whose slope says pages cost
 * nothing keeps the slope it had. */
static void refit(struct nm_pace *p, size_t pages, double seconds)
{
	double n = (double)pages, den, slope;

	p->w = p->w * NM_PACE_DECAY + 1;
	p->sn = p->sn * NM_PACE_DECAY + n;
	p->st = p->st * NM_PACE_DECAY + seconds;
	p->snn = p->snn * NM_PACE_DECAY + n * n;
	p->snt = p->snt * NM_PACE_DECAY + n * seconds;
	den = p->w * p->snn - p->sn * p->sn;
	slope = den > 1e-9 * p->w * p->snn ? (p->w * p->snt - p->sn * p->st) / den : 0;
	if (slope <= 0 && p->per_page_s > 0)
		return;
	if (slope <= 0 || slope > p->st / p->sn)
		slope = p->st / p->sn;
	p->fixed_s = (p->st - slope * p->sn) / p->w;
	p->per_page_s = slope;
}

unsigned int nm_pace_done(struct nm_pace *p, size_t pages, double seconds)
{
	double want, pause;

	if (seconds < 0)
		seconds = 0;
	p->calls++;
	if (seconds > p->worst_call_s)
		p->worst_call_s = seconds;
	if (pages)		/* a call that moved nothing says nothing of speed */
		refit(p, pages, seconds);
	if (p->per_page_s > 0) {
		want = p->bound_s * NM_PACE_AIM / p->per_page_s;
		/* grow at most twice per call, shrink at once */
		if (want > 2.0 * (double)p->batch)
			want = 2.0 * (double)p->batch;
		if (want < NM_PACE_MIN)
			want = NM_PACE_MIN;
		if (want > NM_PACE_MAX)
			want = NM_PACE_MAX;
		p->batch = (size_t)(want + 1e-6);	/* 49.9999999 is 50 */
	}
	pause = seconds * NM_PACE_PAUSE;
	if (pause > p->bound_s)
		pause = p->bound_s;
	if (pause * 1e6 < NM_PACE_PAUSE_MIN_US)
		return 0;
	return (unsigned int)(pause * 1e6 + 0.5);
}
