// SPDX-License-Identifier: GPL-2.0
/*
 * nmt-misplaced [MB [DIR]]: the heat map's example workload. Three private
 * mappings of MB MiB (default 16) of files DIR/NAME (so /proc/PID/maps names
 * them: Debian's kernels lack CONFIG_ANON_VMA_NAME), written at once, so
 * their pages are anonymous copies, all first-touched from node 0. Without
 * DIR, memfds named NAME ("/memfd:NAME (deleted)"); 6.1 does not scan
 * mappings of shmem files (memfd, tmpfs) for NUMA balancing, so the scenario
 * passes a ramfs folder. The regions:
 *   local   read and written by a thread on node 0: local all along
 *   moving  read and written by a thread on node 1 with the default policy:
 *           NUMA balancing moves it to node 1 while traced
 *   stuck   read and written by a thread on node 1 whose policy is
 *           MPOL_BIND to node 0 with MPOL_F_NUMA_BALANCING: its pages are
 *           scanned (hinting faults from node 1) but the kernel never moves
 *           them off node 0, so it stays misplaced for the whole session
 * Prints "MISPLACED pid=P local=0xA moving=0xB stuck=0xC len=N" and runs
 * until killed. 4 KiB pages (MADV_NOHUGEPAGE) so faults stay in a region.
 */
#define _GNU_SOURCE
#include <numa.h>
#include <fcntl.h>
#include <numaif.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MPOL_F_NUMA_BALANCING
#define MPOL_F_NUMA_BALANCING (1 << 13)
#endif

static size_t len;
static const char *dir;

struct job {
	int node;
	bool bind0;
	volatile uint8_t *p;
};

static void *worker(void *arg)
{
	struct job *j = arg;
	unsigned long mask = 1;		/* node 0 */

	if (numa_run_on_node(j->node) < 0) {
		perror("numa_run_on_node");
		exit(1);
	}
	if (j->bind0 && set_mempolicy(MPOL_BIND | MPOL_F_NUMA_BALANCING, &mask, 64) < 0) {
		perror("set_mempolicy(MPOL_BIND | MPOL_F_NUMA_BALANCING)");
		exit(1);
	}
	for (uint64_t round = 0;; round++)
		for (size_t o = 0; o < len; o += 4096)
			j->p[o] += (uint8_t)round;
	return NULL;
}

static volatile uint8_t *alloc(const char *name)
{
	size_t align = 2UL << 20;
	char path[4096];
	int fd;
	uint8_t *p;

	snprintf(path, sizeof(path), "%s/%s", dir ? dir : "", name);
	fd = dir ? open(path, O_RDWR | O_CREAT | O_TRUNC, 0600) : memfd_create(name, 0);
	if (fd < 0 || ftruncate(fd, (off_t)(len + 2 * align)) < 0) {
		perror(dir ? path : "memfd_create");
		exit(1);
	}
	p = mmap(NULL, len + 2 * align, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	close(fd);
	/* a hole after each region keeps the three apart in the maps */
	p = (uint8_t *)(((uintptr_t)p + align - 1) & ~(align - 1));
	munmap(p + len, 4096);
	madvise(p, len, MADV_NOHUGEPAGE);
	memset(p, 1, len);	/* first touch, on node 0: private anonymous copies */
	return p;
}

int main(int argc, char **argv)
{
	static struct job jl = { 0, false, NULL }, jm = { 1, false, NULL }, js = { 1, true, NULL };
	pthread_t t;

	len = (argc > 1 ? strtoul(argv[1], NULL, 10) : 16) << 20;
	dir = argc > 2 ? argv[2] : NULL;
	if (numa_available() < 0 || numa_max_node() < 1) {
		fprintf(stderr, "nmt-misplaced: needs two NUMA nodes\n");
		return 1;
	}
	numa_run_on_node(0);
	jl.p = alloc("local");
	jm.p = alloc("moving");
	js.p = alloc("stuck");
	printf("MISPLACED pid=%d local=%p moving=%p stuck=%p len=%zu\n", getpid(),
	       (void *)jl.p, (void *)jm.p, (void *)js.p, len);
	fflush(stdout);
	pthread_create(&t, NULL, worker, &jl);
	pthread_create(&t, NULL, worker, &jm);
	pthread_create(&t, NULL, worker, &js);
	pthread_join(t, NULL);
	return 0;
}
