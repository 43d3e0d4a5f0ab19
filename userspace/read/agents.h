/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Other placement agents: whatever else on this host moves pages between
 * nodes and so will fight a move (numad, memtierd, another numa-migrate
 * auto, a DAMON kdamond with a migrate scheme), and the kernel settings that
 * change what numa-migrate sees or undo what it does (numa_balancing's
 * memory-tiering mode, demotion). Each with the fix. Reads /proc and /sys
 * under a root path.
 */
#ifndef NM_AGENTS_H
#define NM_AGENTS_H

#include <stddef.h>
#include <sys/types.h>

enum nm_agent_kind {
	NM_AGENT_NUMAD,
	NM_AGENT_MEMTIERD,
	NM_AGENT_AUTO,		/* another numa-migrate auto */
	NM_AGENT_DAMON,		/* a kdamond running a migrate_hot/migrate_cold scheme */
	NM_AGENT_TIERING,	/* kernel.numa_balancing with bit 2 (memory tiering) */
	NM_AGENT_DEMOTION,	/* /sys/kernel/mm/numa/demotion_enabled */
};

struct nm_agent {
	enum nm_agent_kind kind;
	pid_t pid;		/* the agent's process, 0 for a kernel setting */
	pid_t target;		/* the process it manages, 0: any or every process */
	char what[192];
	char fix[256];
};

struct nm_agents {
	struct nm_agent *a;
	size_t n, cap;
};

/* "numad", "memtierd", "auto", "damon", "tiering", "demotion" */
const char *nm_agent_name(enum nm_agent_kind k);

/*
 * Finds the agents on the host under ROOT ("" for the real one) that can
 * act on process TARGET (0: on any process). SELF is left out. Returns 0 or
 * -ENOMEM; what cannot be read is not reported (a host without DAMON has no
 * kdamond). With TARGET, the holder of its auto lock (ROOT/run/numa-migrate/
 * pid-TARGET.lock) is named too when it is a numa-migrate running now.
 */
int nm_agents_read(const char *root, pid_t target, pid_t self, struct nm_agents *out);
void nm_agents_free(struct nm_agents *a);

#endif
