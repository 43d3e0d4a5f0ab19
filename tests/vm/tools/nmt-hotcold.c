// SPDX-License-Identifier: GPL-2.0
/*
 * nmt-hotcold [MB [SLOW [CPU]]]: the tiered-memory workload. Two buffers of
 * MB MiB (default 32), 4 KiB pages (MADV_NOHUGEPAGE), first-touched on node
 * CPU (default 0) and filled with a pattern derived from each word's address:
 *   hot   moved to memory-only node SLOW (default 2) with move_pages (its
 *         policy stays default, so NUMA balancing scans it), then read and
 *         written continuously by a thread on node CPU: each pass checks
 *         every page's first word and bumps a counter byte further in, then
 *         flushes the CPU's TLB (see flush_tlb)
 *   cold  never touched again
 * Prints "HOTCOLD pid=P hot=0xA cold=0xB len=N hot_on_slow=K" and runs until
 * killed. SIGUSR1 checks the pattern (every word of the cold buffer, the first
 * word of each hot page) and prints "VERIFY cold_bad=N hot_bad=M
 * hot_checks_bad=E passes=P" (hot_checks_bad: mismatches the thread saw).
 */
#include <numa.h>
#include <numaif.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE 4096UL

static size_t len;
static int cpu_node = 0, slow_node = 2;
static uint64_t *hot, *cold;
static volatile uint64_t hot_checks_bad, passes;

static uint64_t tag(const volatile void *a)
{
	return (uint64_t)(uintptr_t)a * 0x9e3779b97f4a7c15ULL ^ 0x5bd1e9955bd1e995ULL;
}

static uint64_t *alloc(void)
{
	size_t align = 2UL << 20;
	uint8_t *p = mmap(NULL, len + align, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint64_t *w;

	if (p == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	p = (uint8_t *)(((uintptr_t)p + align - 1) & ~(align - 1));
	madvise(p, len, MADV_NOHUGEPAGE);
	w = (uint64_t *)p;
	for (size_t i = 0; i < len / 8; i++)	/* first touch, on cpu_node */
		w[i] = tag(&w[i]);
	return w;
}

/*
 * Ends a pass as a hardware TLB would: with the buffer's translations gone.
 * DAMON clears a page's accessed bit without a TLB flush (x86 does not flush
 * on clearing it), so the bit is set again only once the CPU walks the page
 * table anew. A real TLB (some 2,000 entries) cannot hold a 32 MiB sweep of 4
 * KiB pages and walks again each pass; QEMU's software TLB grows to hold it
 * all and keeps it until the guest flushes, so under TCG DAMON would see a
 * buffer in constant use as idle. Unmapping 64 touched pages makes the kernel
 * flush this CPU's whole TLB (more pages than it invalidates one by one).
 */
static void flush_tlb(void)
{
	size_t n = 64 * PAGE;
	uint8_t *s = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (s == MAP_FAILED)
		return;
	for (size_t o = 0; o < n; o += PAGE)
		s[o] = 1;
	munmap(s, n);
}

static void *hot_thread(void *arg)
{
	volatile uint8_t *b = (volatile uint8_t *)hot;

	(void)arg;
	if (numa_run_on_node(cpu_node) < 0) {
		perror("numa_run_on_node");
		exit(1);
	}
	for (;;) {
		for (size_t o = 0; o < len; o += PAGE) {
			if (*(volatile uint64_t *)(b + o) != tag(b + o))
				hot_checks_bad++;
			b[o + 2048]++;	/* a word the pattern check leaves out */
		}
		passes++;
		flush_tlb();
	}
	return NULL;
}

static size_t move_to_slow(void)
{
	size_t n = len / PAGE, on = 0;
	void **pages = calloc(n, sizeof(*pages));
	int *nodes = calloc(n, sizeof(*nodes)), *status = calloc(n, sizeof(*status));

	if (!pages || !nodes || !status) {
		perror("calloc");
		exit(1);
	}
	for (size_t i = 0; i < n; i++) {
		pages[i] = (uint8_t *)hot + i * PAGE;
		nodes[i] = slow_node;
	}
	if (numa_move_pages(0, n, pages, nodes, status, MPOL_MF_MOVE) < 0) {
		perror("move_pages");
		exit(1);
	}
	for (size_t i = 0; i < n; i++)
		on += status[i] == slow_node;
	free(pages);
	free(nodes);
	free(status);
	return on;
}

static void verify(void)
{
	uint64_t cold_bad = 0, hot_bad = 0;

	for (size_t i = 0; i < len / 8; i++)
		cold_bad += cold[i] != tag(&cold[i]);
	for (size_t o = 0; o < len; o += PAGE) {
		uint64_t *w = (uint64_t *)((uint8_t *)hot + o);

		hot_bad += *w != tag(w);
	}
	printf("VERIFY cold_bad=%llu hot_bad=%llu hot_checks_bad=%llu passes=%llu\n",
	       (unsigned long long)cold_bad, (unsigned long long)hot_bad,
	       (unsigned long long)hot_checks_bad, (unsigned long long)passes);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	pthread_t t;
	sigset_t set;
	size_t on;
	int sig;

	len = (argc > 1 ? strtoul(argv[1], NULL, 10) : 32) << 20;
	slow_node = argc > 2 ? atoi(argv[2]) : 2;
	cpu_node = argc > 3 ? atoi(argv[3]) : 0;
	if (numa_available() < 0 || numa_max_node() < slow_node) {
		fprintf(stderr, "nmt-hotcold: needs node %d\n", slow_node);
		return 1;
	}
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &set, NULL);	/* the thread inherits it */
	numa_run_on_node(cpu_node);
	hot = alloc();
	cold = alloc();
	on = move_to_slow();
	printf("HOTCOLD pid=%d hot=%p cold=%p len=%zu hot_on_slow=%zu\n", getpid(), (void *)hot,
	       (void *)cold, len, on);
	fflush(stdout);
	pthread_create(&t, NULL, hot_thread, NULL);
	for (;;)
		if (!sigwait(&set, &sig))
			verify();
	return 0;
}
