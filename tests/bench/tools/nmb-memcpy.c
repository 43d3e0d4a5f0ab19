// SPDX-License-Identifier: GPL-2.0
/* nmb-memcpy SIZE_MB FROM TO: copy bandwidth between two nodes' memory,
 * the ceiling any migration approaches. Best of 3 copies, in GB/s. */
#include <numa.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "nmb.h"

int main(int argc, char **argv)
{
	size_t sz;
	char *a, *b;
	double best = 1e9;

	if (argc != 4 || numa_available() < 0) {
		fprintf(stderr, "usage: nmb-memcpy SIZE_MB FROM TO (needs NUMA)\n");
		return 2;
	}
	sz = strtoul(argv[1], NULL, 10) << 20;
	a = numa_alloc_onnode(sz, atoi(argv[2]));
	b = numa_alloc_onnode(sz, atoi(argv[3]));
	if (!a || !b)
		return 3;
	memset(a, 1, sz);
	memset(b, 2, sz);
	numa_run_on_node(atoi(argv[3]));
	for (int i = 0; i < 3; i++) {
		double t0 = nmb_now();

		memcpy(b, a, sz);
		t0 = nmb_now() - t0;
		if (t0 < best)
			best = t0;
	}
	printf("memcpy bytes=%zu seconds=%.6f gbps=%.3f check=%d\n", sz, best,
	       (double)sz / best / 1e9, b[sz - 1]);
	return 0;
}
