// SPDX-License-Identifier: GPL-2.0
/* The node facts auto's policy decides on (see nodeenv.h). */
#include <stdint.h>
#include "diagread.h"
#include "nodeenv.h"
#include "target.h"

void nm_node_env_read_static(const char *root, const struct nm_nodemask *mem_nodes,
			     struct nm_node_env *env)
{
	env->has_memory = *mem_nodes;
	if (nm_nodes_with_cpus(root, &env->has_cpu))
		env->has_cpu = *mem_nodes;	/* unknown: treat every node as a CPU node */
	for (int n = 0; n < NM_MAX_NODES; n++)
		if (nm_nodemask_test(mem_nodes, n) && nm_node_distances(root, n, env->distance[n]))
			for (int k = 0; k < NM_MAX_NODES; k++)
				env->distance[n][k] = UINT32_MAX;
}

void nm_node_env_read_interval(const char *root, pid_t pid, struct nm_node_env *env)
{
	struct nm_nodemask allowed = { 0 };

	if (!nm_target_mems_allowed(root, pid, &allowed))
		env->allowed = allowed;
	env->free_known = true;
	for (int n = 0; n < NM_MAX_NODES; n++) {
		uint64_t kb;

		if (!nm_nodemask_test(&env->has_memory, n))
			continue;
		if (nm_node_free_kb(root, n, &kb))
			env->free_known = false;
		else
			env->free_bytes[n] = kb * 1024;
	}
}
