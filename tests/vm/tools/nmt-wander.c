// SPDX-License-Identifier: GPL-2.0
/*
 * nmt-wander [MB]: a thread the NUMA scheduler should move. MB MiB (default
 * 64) are first-touched from node 1; then one thread starts on node 0, is
 * allowed every CPU, and keeps reading and writing the memory. With NUMA
 * balancing on, its hinting faults make node 1 its preferred node and the
 * scheduler moves (or swaps) it there: sched_move_numa / sched_swap_numa.
 * Early in a task's life the kernel would rather move the pages to the
 * thread (private faults migrate at once), so the process runs under
 * MPOL_BIND to node 1 with MPOL_F_NUMA_BALANCING: the pages are still
 * scanned and every hinting fault still counts for the task's placement,
 * but the kernel may not migrate them off node 1 (mpol_misplaced: the
 * accessing node is not in the bound set), so the thread has to go to its
 * memory instead. Prints
 * "WANDER pid=P tid=T start=0xA len=N", then stays on node 0 until SIGUSR1
 * (sent once the tracer is attached: while the tracer loads its programs
 * the ordinary load balancer would take a free thread off the busy node 0
 * CPU, and NUMA balancing would find it local already), and runs until
 * killed.
 */
#define _GNU_SOURCE
#include <numa.h>
#include <numaif.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

static size_t len;
static volatile uint8_t *mem;

static void *wanderer(void *arg)
{
	struct bitmask *all = numa_allocate_cpumask();
	sigset_t go;
	int sig;

	(void)arg;
	sigemptyset(&go);
	sigaddset(&go, SIGUSR1);
	if (numa_run_on_node(0) < 0) {
		perror("numa_run_on_node 0");
		exit(1);
	}
	printf("WANDER pid=%d tid=%ld start=%p len=%zu\n", getpid(), syscall(SYS_gettid),
	       (void *)mem, len);
	fflush(stdout);
	if (sigwait(&go, &sig)) {
		fprintf(stderr, "nmt-wander: sigwait failed\n");
		exit(1);
	}
	/* free to run anywhere from now on: where it runs is the scheduler's call */
	numa_bitmask_setall(all);
	if (numa_sched_setaffinity(0, all) < 0) {
		perror("numa_sched_setaffinity");
		exit(1);
	}
	for (uint64_t round = 0;; round++)
		for (size_t o = 0; o < len; o += 4096)
			mem[o] += (uint8_t)round;
	return NULL;
}

int main(int argc, char **argv)
{
	unsigned long node1 = 1UL << 1;
	pthread_t a;
	sigset_t go;
	uint8_t *p;

	len = (size_t)(argc > 1 ? atoi(argv[1]) : 64) << 20;
	if (numa_available() < 0 || numa_max_node() < 1) {
		fprintf(stderr, "nmt-wander: needs two NUMA nodes\n");
		return 1;
	}
	if (numa_run_on_node(1) < 0) {
		perror("numa_run_on_node 1");
		return 1;
	}
	/* inherited by the wanderer: its pages stay on node 1 (see above) */
	if (set_mempolicy(MPOL_BIND | MPOL_F_NUMA_BALANCING, &node1, sizeof(node1) * 8 + 1) < 0) {
		perror("set_mempolicy MPOL_BIND|MPOL_F_NUMA_BALANCING node 1");
		return 1;
	}
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	madvise(p, len, MADV_NOHUGEPAGE);
	memset(p, 1, len);	/* first touch, on node 1 */
	mem = p;
	/* SIGUSR1 stays pending for the wanderer's sigwait, in every thread */
	sigemptyset(&go);
	sigaddset(&go, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &go, NULL);
	if (pthread_create(&a, NULL, wanderer, NULL)) {
		fprintf(stderr, "nmt-wander: pthread_create failed\n");
		return 1;
	}
	pthread_join(a, NULL);
	return 0;
}
