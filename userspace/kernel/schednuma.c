// SPDX-License-Identifier: GPL-2.0
/* Loads bpf/schednuma.bpf.c (open, set rodata, load, attach) and reads it. */
#include <errno.h>
#include <numa.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "schednuma.h"		/* include/: shared with BPF */
#include "schednuma_load.h"
#include "hooks.h"
#include "nm.h"
#include "schednuma.skel.h"
#include "migtrace.h"

struct nm_schednuma {
	struct schednuma_bpf *skel;
};

int nm_schednuma_open(struct nm_schednuma **out, pid_t tgid)
{
	struct nm_schednuma *s;
	int err;

	*out = NULL;
	nm_bpf_quiet();
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->skel = schednuma_bpf__open();
	if (!s->skel) {
		err = errno ? -errno : -EINVAL;
		free(s);
		return err;
	}
	s->skel->rodata->target_tgid = (__u32)tgid;
	err = schednuma_bpf__load(s->skel);
	if (!err)
		err = schednuma_bpf__attach(s->skel);
	if (err) {
		schednuma_bpf__destroy(s->skel);
		free(s);
		return err;
	}
	*out = s;
	return 0;
}

int nm_schednuma_read(struct nm_schednuma *s,
		      int (*fn)(void *ctx, const char *event, int src_node, int dst_node,
				uint64_t count),
		      void *ctx)
{
	static const char *const names[NM_SCHED_NEVENTS] = {
		[NM_SCHED_MOVE] = "move", [NM_SCHED_SWAP] = "swap", [NM_SCHED_STICK] = "stick",
	};
	int fd = bpf_map__fd(s->skel->maps.sched_events);
	struct nm_sched_key key, next;
	void *prev = NULL;
	__u64 v;
	int err = 0;

	while (!err && !bpf_map_get_next_key(fd, prev, &next)) {
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(fd, &key, &v) || key.event >= NM_SCHED_NEVENTS)
			continue;
		err = fn(ctx, names[key.event], numa_node_of_cpu((int)key.src_cpu),
			 numa_node_of_cpu((int)key.dst_cpu), v);
	}
	return err;
}

void nm_schednuma_hooks(int err, struct nm_hook_status *st)
{
	static const enum nm_hook_id ids[] = {
		NM_HK_SCHED_MOVE_NUMA, NM_HK_SCHED_SWAP_NUMA, NM_HK_SCHED_STICK_NUMA,
	};

	for (size_t i = 0; i < NM_ARRAY_SIZE(ids); i++)
		nm_hook_result(&st[ids[i]], 0, err);
}

void nm_schednuma_close(struct nm_schednuma *s)
{
	if (!s)
		return;
	schednuma_bpf__destroy(s->skel);
	free(s);
}
