// SPDX-License-Identifier: GPL-2.0
/*
 * nmb-workload faults|access MB ROUNDS: the trace-overhead workloads.
 * Prints "READY pid=P", waits for SIGUSR1 (so a tracer can attach first),
 * runs the timed part, prints "ELAPSED s=S" and exits; with NMB_HOLD=1 in
 * the environment it then waits for a second SIGUSR1 before exiting, so the
 * agent's BPF programs (trace ends with its target) can be read while they
 * are still attached.
 *   faults  map MB of fresh memory, touch every page, unmap: ROUNDS times
 *           (page-fault heavy: every touch runs page_fault_user)
 *   access  write one word per 64 bytes over MB, ROUNDS sweeps, from a CPU
 *           of the last node while the memory was first touched on node 0
 *           (access heavy; with NUMA balancing on, hinting-fault heavy)
 */
#include <numa.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include "nmb.h"
#include <unistd.h>

int main(int argc, char **argv)
{
	size_t len;
	long rounds;
	sigset_t set;
	int sig;
	double t0;
	volatile uint8_t *p = NULL;

	if (argc != 4 || (strcmp(argv[1], "faults") && strcmp(argv[1], "access"))) {
		fprintf(stderr, "usage: nmb-workload faults|access MB ROUNDS\n");
		return 2;
	}
	len = strtoul(argv[2], NULL, 10) << 20;
	rounds = strtol(argv[3], NULL, 10);
	if (!strcmp(argv[1], "access")) {
		if (numa_available() >= 0)
			numa_run_on_node(0);
		p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return 3;
		madvise((void *)p, len, MADV_NOHUGEPAGE);
		memset((void *)p, 1, len);
		if (numa_available() >= 0)
			numa_run_on_node(numa_max_node() > 0 ? 1 : 0);
	}
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	printf("READY pid=%d\n", getpid());
	fflush(stdout);
	sigwait(&set, &sig);
	t0 = nmb_now();
	for (long r = 0; r < rounds; r++) {
		if (p) {
			for (size_t o = 0; o < len; o += 64)
				p[o] += 1;
		} else {
			uint8_t *q = mmap(NULL, len, PROT_READ | PROT_WRITE,
					  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

			if (q == MAP_FAILED)
				return 3;
			madvise(q, len, MADV_NOHUGEPAGE);
			for (size_t o = 0; o < len; o += 4096)
				q[o] = 1;
			munmap(q, len);
		}
	}
	printf("ELAPSED s=%.6f\n", nmb_now() - t0);
	fflush(stdout);
	if (getenv("NMB_HOLD") && !strcmp(getenv("NMB_HOLD"), "1"))
		sigwait(&set, &sig);
	return 0;
}
