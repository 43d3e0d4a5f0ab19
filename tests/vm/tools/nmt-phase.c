// SPDX-License-Identifier: GPL-2.0
/*
 * nmt-phase MB TOUCH_NODE ACCESS_NODE THREADS [SECOND_NODE]: the workload of
 * the auto scenarios and benchmark. MB MiB of 4 KiB pages (MADV_NOHUGEPAGE)
 * first-touched by a CPU of TOUCH_NODE, then THREADS threads on ACCESS_NODE
 * keep writing one byte per page, sweeping the buffer, each its own share.
 * SIGUSR1 moves the threads to SECOND_NODE (the phase change). Prints
 * "PHASE pid=P start=0xA len=N" when the access starts and
 * "SWITCHED node=M" once every thread runs on the new node. Runs until killed.
 */
#include <numa.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static size_t len;
static volatile uint8_t *buf;
static long nthreads;
static int second_node = -1;
static volatile sig_atomic_t want_switch;
static atomic_int switched;

static void on_usr1(int sig)
{
	(void)sig;
	want_switch = 1;
}

static void *worker(void *arg)
{
	long id = (long)arg;
	int moved = 0;

	for (uint64_t round = 0;; round++) {
		if (want_switch && !moved && second_node >= 0) {
			if (numa_run_on_node(second_node) < 0) {
				perror("numa_run_on_node");
				exit(1);
			}
			moved = 1;
			if (atomic_fetch_add(&switched, 1) + 1 == nthreads) {
				printf("SWITCHED node=%d\n", second_node);
				fflush(stdout);
			}
		}
		for (size_t o = (size_t)id * 4096; o < len; o += (size_t)nthreads * 4096)
			buf[o] += (uint8_t)round;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	int touch, access;
	uint8_t *p;

	if (argc < 5) {
		fprintf(stderr, "usage: nmt-phase MB TOUCH_NODE ACCESS_NODE THREADS [SECOND_NODE]\n");
		return 2;
	}
	len = strtoul(argv[1], NULL, 10) << 20;
	touch = atoi(argv[2]);
	access = atoi(argv[3]);
	nthreads = strtol(argv[4], NULL, 10);
	if (argc > 5)
		second_node = atoi(argv[5]);
	if (numa_available() < 0 || numa_max_node() < 1 || nthreads < 1 || !len) {
		fprintf(stderr, "nmt-phase: needs two NUMA nodes, THREADS >= 1, MB >= 1\n");
		return 1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	if (numa_run_on_node(touch) < 0) {
		perror("numa_run_on_node (touch)");
		return 1;
	}
	/* a PROT_NONE page on each side: glibc marks thread stacks
	 * MADV_NOHUGEPAGE too, and a stack mapped next to the buffer would
	 * merge with it into one VMA (seen: numa_maps then lists the buffer
	 * under the stack's start address) */
	p = mmap(NULL, len + 2 * 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED || mprotect(p + 4096, len, PROT_READ | PROT_WRITE)) {
		perror("mmap");
		return 1;
	}
	p += 4096;
	madvise(p, len, MADV_NOHUGEPAGE);
	memset(p, 1, len);	/* first touch */
	buf = p;
	/* the workers inherit this CPU affinity; the main thread only waits */
	if (numa_run_on_node(access) < 0) {
		perror("numa_run_on_node (access)");
		return 1;
	}
	for (long i = 0; i < nthreads; i++) {
		pthread_t t;

		if (pthread_create(&t, NULL, worker, (void *)i)) {
			perror("pthread_create");
			return 1;
		}
	}
	printf("PHASE pid=%d start=%p len=%zu\n", getpid(), (void *)p, len);
	fflush(stdout);
	for (;;)
		pause();
	return 0;
}
