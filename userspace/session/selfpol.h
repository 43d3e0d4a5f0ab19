/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Keeps the kernel's NUMA balancing off numa-migrate's own memory while auto
 * runs (issue #13). auto's threads run on every node, so with balancing on
 * the kernel migrated auto's own heap and thread arenas after them: about
 * 2,000 pages in a 40 s auto --all run of the peers benchmark, the whole
 * excess over the misplaced pages. task_numa_work skips every VMA whose
 * policy lacks MPOL_F_MOF (vma_policy_mof), and a VMA without its own
 * policy takes the policy of the task that scans it; the default task policy
 * carries MPOL_F_MOF, an explicit MPOL_LOCAL does not. MPOL_LOCAL allocates
 * where the default does (the node of the allocating CPU), so nothing else
 * changes. It is this process's own policy, inherited by the threads it
 * starts later and by the --daemon child, gone when it exits: not a system
 * change, so nothing to register with the session.
 */
#ifndef NM_SELFPOL_H
#define NM_SELFPOL_H

/* Sets MPOL_LOCAL as the calling thread's task policy. Call it before any
 * other thread starts. Returns 0 or -errno. */
int nm_self_unbalanced(void);

#endif
