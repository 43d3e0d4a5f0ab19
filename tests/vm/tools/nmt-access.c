// SPDX-License-Identifier: GPL-2.0
/*
 * nmt-access [MB]: the trace accuracy workload. Four regions of MB MiB
 * (default 32), all first-touched from node 0:
 *   n0    read and written only by a thread on node 0
 *   n1    read and written only by a thread on node 1
 *   both  read and written by both threads
 *   none  never touched again
 * Prints "ACCESS pid=P n0=0xA n1=0xB both=0xC none=0xD len=N" and runs until
 * killed. 4 KiB pages (MADV_NOHUGEPAGE) so faults stay within a region.
 */
#include <numa.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static size_t len;
static volatile uint8_t *reg[4];

struct job {
	int node;
	int regions[2];
	int nregions;
};

static void *worker(void *arg)
{
	struct job *j = arg;

	if (numa_run_on_node(j->node) < 0) {
		perror("numa_run_on_node");
		exit(1);
	}
	for (uint64_t round = 0;; round++)
		for (int k = 0; k < j->nregions; k++)
			for (size_t o = 0; o < len; o += 4096)
				reg[j->regions[k]][o] += (uint8_t)round;
	return NULL;
}

static volatile uint8_t *alloc(void)
{
	size_t align = 2UL << 20;
	uint8_t *p = mmap(NULL, len + align, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	p = (uint8_t *)(((uintptr_t)p + align - 1) & ~(align - 1));
	madvise(p, len, MADV_NOHUGEPAGE);
	memset(p, 1, len);	/* first touch, on node 0 */
	return p;
}

int main(int argc, char **argv)
{
	static struct job j0 = { 0, { 0, 2 }, 2 }, j1 = { 1, { 1, 2 }, 2 };
	pthread_t t0, t1;

	len = (argc > 1 ? strtoul(argv[1], NULL, 10) : 32) << 20;
	if (numa_available() < 0 || numa_max_node() < 1) {
		fprintf(stderr, "nmt-access: needs two NUMA nodes\n");
		return 1;
	}
	numa_run_on_node(0);
	for (int i = 0; i < 4; i++)
		reg[i] = alloc();
	printf("ACCESS pid=%d n0=%p n1=%p both=%p none=%p len=%zu\n", getpid(),
	       (void *)reg[0], (void *)reg[1], (void *)reg[2], (void *)reg[3], len);
	fflush(stdout);
	pthread_create(&t0, NULL, worker, &j0);
	pthread_create(&t1, NULL, worker, &j1);
	pthread_join(t0, NULL);
	return 0;
}
