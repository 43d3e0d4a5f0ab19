// SPDX-License-Identifier: GPL-2.0
/*
 * nmt-layout DIR MB [GROW_MB]: a live process with one of each kind of mapping that
 * --range names, every page first-touched from a CPU of node 0, 4 KiB pages
 * (MADV_NOHUGEPAGE where it applies):
 *   heap   MB MiB grown with sbrk() (the [heap] mapping)
 *   stack  MB/2 MiB (at most 4) of the main thread's stack (the [stack] mapping)
 *   anon   MB MiB mmap(MAP_ANONYMOUS), between two PROT_NONE guard pages
 *   file   DIR/layout.dat, MB MiB written, then mapped MAP_SHARED and touched
 *          (DIR on tmpfs: shmem pages, which the kernel migrates)
 * Prints "LAYOUT pid=P heap=0xA heap_len=N stack=0xB stack_len=N anon=0xC
 * anon_len=N file=PATH file_addr=0xD file_len=N" and waits.
 * SIGUSR1 maps a second anonymous buffer of GROW_MB MiB (default 2*MB; the mapping created
 * after a tool started), first-touches it from node 0 and starts one thread
 * on node 1 that keeps writing one byte per page of it; prints
 * "GREW start=0xE len=N" once the thread runs. Runs until killed.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <numa.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PS 4096UL

static volatile sig_atomic_t want_grow;
static size_t grow_len;
static unsigned long grow_mb;
static volatile uint8_t *grow_buf;

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void on_usr1(int sig)
{
	(void)sig;
	want_grow = 1;
}

static void *guarded(size_t len)
{
	uint8_t *p = mmap(NULL, len + 2 * PS, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED || mprotect(p + PS, len, PROT_READ | PROT_WRITE))
		die("mmap");
	p += PS;
	madvise(p, len, MADV_NOHUGEPAGE);
	return p;
}

static void *writer(void *arg)
{
	(void)arg;
	if (numa_run_on_node(1) < 0)
		die("numa_run_on_node(1)");
	printf("GREW start=%p len=%zu\n", (void *)grow_buf, grow_len);
	fflush(stdout);
	for (uint64_t round = 1;; round++)
		for (size_t o = 0; o < grow_len; o += PS)
			grow_buf[o] += (uint8_t)round;
	return NULL;
}

/* The main thread's stack: STACK bytes of this frame stay live while it waits. */
static void run(const char *dir, size_t len, uint8_t *heap, uint8_t *anon)
{
	size_t stack_len = len / 2 < (4UL << 20) ? len / 2 : (4UL << 20);
	uint8_t *stack = alloca(stack_len);
	char path[4096];
	uint8_t *file;
	int fd;

	memset(stack, 3, stack_len);
	if ((size_t)snprintf(path, sizeof(path), "%s/layout.dat", dir) >= sizeof(path)) {
		fprintf(stderr, "nmt-layout: directory name too long\n");
		exit(1);
	}
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || ftruncate(fd, (off_t)len))
		die(path);
	file = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (file == MAP_FAILED)
		die("mmap file");
	madvise(file, len, MADV_NOHUGEPAGE);
	memset(file, 4, len);
	close(fd);

	printf("LAYOUT pid=%d heap=%p heap_len=%zu stack=%p stack_len=%zu anon=%p anon_len=%zu "
	       "file=%s file_addr=%p file_len=%zu\n", getpid(), (void *)heap, len, (void *)stack,
	       stack_len, (void *)anon, len, path, (void *)file, len);
	fflush(stdout);
	for (;;) {
		pause();
		if (want_grow && !grow_buf) {
			pthread_t t;
			uint8_t *g;

			grow_len = grow_mb << 20;
			g = guarded(grow_len);
			memset(g, 5, grow_len);	/* first touch, on node 0 */
			grow_buf = g;
			if (pthread_create(&t, NULL, writer, NULL))
				die("pthread_create");
		}
	}
	/* keep the frame (and so the stack pages) live */
	__asm__ volatile("" : : "r"(stack) : "memory");
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	char *end;
	unsigned long mb;
	size_t len;
	uint8_t *heap, *anon;

	if (argc != 3 && argc != 4) {
		fprintf(stderr, "usage: nmt-layout DIR MB [GROW_MB]\n");
		return 2;
	}
	mb = strtoul(argv[2], &end, 10);
	if (*end || !mb || mb > 1024) {
		fprintf(stderr, "nmt-layout: MB must be 1-1024, not '%s'\n", argv[2]);
		return 2;
	}
	grow_mb = 2 * mb;
	if (argc == 4) {
		grow_mb = strtoul(argv[3], &end, 10);
		if (*end || !grow_mb || grow_mb > 1024) {
			fprintf(stderr, "nmt-layout: GROW_MB must be 1-1024, not '%s'\n", argv[3]);
			return 2;
		}
	}
	len = mb << 20;
	if (numa_available() < 0 || numa_max_node() < 1) {
		fprintf(stderr, "nmt-layout: needs two NUMA nodes\n");
		return 1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGUSR1, &sa, NULL))
		die("sigaction");
	if (numa_run_on_node(0) < 0)
		die("numa_run_on_node(0)");

	heap = sbrk(0);
	if (heap == (void *)-1 || sbrk((intptr_t)len) == (void *)-1)
		die("sbrk");
	madvise(heap, len, MADV_NOHUGEPAGE);
	memset(heap, 1, len);
	anon = guarded(len);
	memset(anon, 2, len);
	run(argv[1], len, heap, anon);
	return 0;
}
