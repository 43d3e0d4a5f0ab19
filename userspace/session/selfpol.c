// SPDX-License-Identifier: GPL-2.0
/* Our own memory out of the kernel's NUMA balancing (see selfpol.h). */
#include <errno.h>
#include <numaif.h>
#include <stddef.h>
#include "selfpol.h"

int nm_self_unbalanced(void)
{
	return set_mempolicy(MPOL_LOCAL, NULL, 0) ? -errno : 0;
}
