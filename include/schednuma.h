/* SPDX-License-Identifier: GPL-2.0 */
/* Types shared by bpf/schednuma.bpf.c and user space: the scheduler's NUMA
 * placement of the target's threads, counted by event and CPU pair. */
#ifndef NM_INCLUDE_SCHEDNUMA_H
#define NM_INCLUDE_SCHEDNUMA_H

#ifndef __BPF__
#include <linux/types.h>
#endif

enum nm_sched_event {
	NM_SCHED_MOVE,		/* sched_move_numa: thread moved to a CPU of another node */
	NM_SCHED_SWAP,		/* sched_swap_numa: swapped with a thread of another node */
	NM_SCHED_STICK,		/* sched_stick_numa: a move was considered and refused */
	NM_SCHED_NEVENTS
};

struct nm_sched_key {
	__u32 event;
	__u32 src_cpu;
	__u32 dst_cpu;
	__u32 pad;
};

#define NM_SCHED_MAX_KEYS 4096

_Static_assert(sizeof(struct nm_sched_key) == 16, "nm_sched_key layout is shared with BPF");

#endif
