// SPDX-License-Identifier: GPL-2.0
/* nmb-single-move PID START LEN NODE: the naive baseline, one move_pages(2)
 * call with every 4 KiB address of [START, START+LEN) and no pre-query.
 * Prints how many pages ended on NODE according to the status array. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <numaif.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	unsigned long start, len, n, on = 0;
	void **pages;
	int *nodes, *status, node, pid;
	long r;

	if (argc != 5) {
		fprintf(stderr, "usage: nmb-single-move PID START LEN NODE\n");
		return 2;
	}
	pid = atoi(argv[1]);
	start = strtoul(argv[2], NULL, 0);
	len = strtoul(argv[3], NULL, 0);
	node = atoi(argv[4]);
	n = len / 4096;
	pages = calloc(n, sizeof(*pages));
	nodes = calloc(n, sizeof(*nodes));
	status = calloc(n, sizeof(*status));
	if (!pages || !nodes || !status)
		return 3;
	for (unsigned long i = 0; i < n; i++) {
		pages[i] = (void *)(start + i * 4096);
		nodes[i] = node;
		status[i] = -1000;
	}
	r = syscall(SYS_move_pages, pid, n, pages, nodes, status, MPOL_MF_MOVE);
	for (unsigned long i = 0; i < n; i++)
		on += status[i] == node;
	printf("single_move ret=%ld errno=%d pages=%lu on_target_status=%lu\n", r,
	       r < 0 ? errno : 0, n, on);
	return r < 0;
}
