/* SPDX-License-Identifier: GPL-2.0 */
/*
 * move --policy bind: keep a process's memory on a node. A memory policy
 * (mbind, set_mempolicy) can only be set by the process itself, so this uses
 * the one control another process has: a cgroup v2 cpuset. The target moves
 * into a child of its cgroup whose cpuset.mems is the node; the kernel then
 * migrates its memory there (cgroup v2 always migrates on attach), allocates
 * new pages there, and NUMA balancing stays inside it.
 */
#ifndef NM_STICK_H
#define NM_STICK_H

#include <limits.h>
#include <stddef.h>
#include <sys/types.h>

struct nm_policy_result {
	pid_t pid;
	int node;
	char from[PATH_MAX];		/* the cgroup it was in (/sys/fs/cgroup/...) */
	char to[PATH_MAX];		/* the cpuset child it is in now */
	char undo[2 * PATH_MAX + 64];	/* shell commands that put it back */
};

/* Returns 0, or -errno with a message naming the object, cause and fix in ERR. */
int nm_policy_bind_cpuset(pid_t pid, int node, struct nm_policy_result *r, char *err,
			  size_t errlen);

/* Puts the process back into R->from and removes R->to (a struct
 * nm_policy_result; a process that exited meanwhile only has the cgroup
 * removed). 0 or -errno, described in ERR. The signature of a session undo
 * function. */
int nm_policy_unbind(void *r, char *err, size_t errlen);

#endif
