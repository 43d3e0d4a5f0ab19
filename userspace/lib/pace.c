// SPDX-License-Identifier: GPL-2.0
/* Pacing of a move under a stall bound: see pace.h. */
#include "pace.h"

void nm_pace_init(struct nm_pace *p, unsigned int max_stall_us)
{
	p->bound_s = (max_stall_us ? max_stall_us : 1) / 1e6;
	p->per_page_s = 0;
	p->batch = NM_PACE_FIRST;
	p->calls = 0;
	p->worst_call_s = 0;
}

size_t nm_pace_batch(const struct nm_pace *p)
{
	return p->batch ? p->batch : 1;
}

unsigned int nm_pace_done(struct nm_pace *p, size_t pages, double seconds)
{
	double pp, want, pause;

	if (seconds < 0)
		seconds = 0;
	p->calls++;
	if (seconds > p->worst_call_s)
		p->worst_call_s = seconds;
	if (pages) {
		pp = seconds / (double)pages;
		/* slower: believe it at once; faster: move halfway (one quick
		 * call, a page already there, must not double the next stall) */
		if (p->per_page_s <= 0 || pp > p->per_page_s)
			p->per_page_s = pp;
		else
			p->per_page_s = (p->per_page_s + pp) / 2;
	}
	if (p->per_page_s > 0) {
		want = p->bound_s * NM_PACE_AIM / p->per_page_s;
		/* grow at most twice per call, shrink at once */
		if (want > 2.0 * (double)p->batch)
			want = 2.0 * (double)p->batch;
		if (want < 1)
			want = 1;
		if (want > NM_PACE_MAX)
			want = NM_PACE_MAX;
		p->batch = (size_t)(want + 1e-6);	/* 49.9999999 is 50 */
	}
	pause = seconds * NM_PACE_PAUSE;
	if (pause > p->bound_s)
		pause = p->bound_s;
	if (pause * 1e6 < NM_PACE_PAUSE_MIN_US)
		pause = NM_PACE_PAUSE_MIN_US / 1e6;
	return (unsigned int)(pause * 1e6 + 0.5);
}
