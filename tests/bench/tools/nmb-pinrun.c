// SPDX-License-Identifier: GPL-2.0
/* nmb-pinrun CPU CMD ARGS...: runs CMD with its CPU affinity set to CPU.
 * nmb-pinrun CPU --spin: busy-loops on CPU until killed, keeping that vCPU
 * out of its idle state (the throughput benchmark's single callers: under
 * TCG a function-call IPI to an idle vCPU is slow, see README.md). */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	cpu_set_t set;
	char *end;
	long cpu;

	if (argc < 3) {
		fprintf(stderr, "usage: nmb-pinrun CPU CMD [ARGS...] | nmb-pinrun CPU --spin\n");
		return 2;
	}
	errno = 0;
	cpu = strtol(argv[1], &end, 10);
	if (errno || end == argv[1] || *end || cpu < 0 || cpu >= CPU_SETSIZE) {
		fprintf(stderr, "nmb-pinrun: CPU '%s' is not a CPU number\n", argv[1]);
		return 2;
	}
	CPU_ZERO(&set);
	CPU_SET((int)cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		fprintf(stderr, "nmb-pinrun: cannot run on CPU %ld: %s\n", cpu, strerror(errno));
		return 1;
	}
	if (!strcmp(argv[2], "--spin")) {
		volatile unsigned long x = 0;

		for (;;)
			x++;
	}
	execvp(argv[2], argv + 2);
	fprintf(stderr, "nmb-pinrun: cannot run %s: %s\n", argv[2], strerror(errno));
	return 127;
}
