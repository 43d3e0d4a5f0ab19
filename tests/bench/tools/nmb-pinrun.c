// SPDX-License-Identifier: GPL-2.0
/* nmb-pinrun CPU CMD ARGS...: runs CMD with its CPU affinity set to CPU.
 * nmb-pinrun CPU,CPU2 CMD ARGS...: CMD starts on CPU and may also run on
 * CPU2 (one job's second thread in the throughput benchmark).
 * nmb-pinrun CPU --spin: busy-loops on CPU until killed, keeping that vCPU
 * out of its idle state (the throughput benchmark's single callers: under
 * TCG a function-call IPI to an idle vCPU is slow, see README.md).
 * nmb-pinrun CPU --idle-spin: the same as a SCHED_IDLE task, which any
 * other task on that CPU preempts at once: the vCPU never halts, and a
 * thread placed there still has the whole CPU. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int cpu_arg(const char *s, char **end)
{
	long cpu;

	errno = 0;
	cpu = strtol(s, end, 10);
	if (errno || *end == s || cpu < 0 || cpu >= CPU_SETSIZE)
		return -1;
	return (int)cpu;
}

static int pin(int a, int b)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(a, &set);
	if (b >= 0)
		CPU_SET(b, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		fprintf(stderr, "nmb-pinrun: cannot run on CPU %d: %s\n", a, strerror(errno));
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int cpu, cpu2 = -1;
	char *end;

	if (argc < 3) {
		fprintf(stderr, "usage: nmb-pinrun CPU[,CPU2] CMD [ARGS...] | nmb-pinrun CPU --spin|--idle-spin\n");
		return 2;
	}
	cpu = cpu_arg(argv[1], &end);
	if (cpu >= 0 && *end == ',')
		cpu2 = cpu_arg(end + 1, &end);
	if (cpu < 0 || *end || (strchr(argv[1], ',') && cpu2 < 0)) {
		fprintf(stderr, "nmb-pinrun: '%s' is not CPU or CPU,CPU2\n", argv[1]);
		return 2;
	}
	/* on CPU alone first, so CMD starts there; then CPU2 is allowed too */
	if (pin(cpu, -1) || (cpu2 >= 0 && pin(cpu, cpu2)))
		return 1;
	if (!strcmp(argv[2], "--idle-spin")) {
		struct sched_param p = { 0 };

		if (sched_setscheduler(0, SCHED_IDLE, &p)) {
			fprintf(stderr, "nmb-pinrun: cannot become SCHED_IDLE: %s\n", strerror(errno));
			return 1;
		}
	}
	if (!strcmp(argv[2], "--spin") || !strcmp(argv[2], "--idle-spin")) {
		volatile unsigned long x = 0;

		for (;;)
			x++;
	}
	execvp(argv[2], argv + 2);
	fprintf(stderr, "nmb-pinrun: cannot run %s: %s\n", argv[2], strerror(errno));
	return 127;
}
