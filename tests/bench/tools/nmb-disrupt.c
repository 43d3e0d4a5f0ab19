// SPDX-License-Identifier: GPL-2.0
/*
 * nmb-disrupt MB: the application a disruption benchmark moves.
 * Maps MB of 4 KiB pages (MADV_NOHUGEPAGE), first-touches them from a CPU of
 * node 0 (each page holds its index at offset 8), prints
 *   READY pid=P start=0xA len=N
 * and runs two threads until it exits:
 *   toucher  writes one byte of every page in turn, in a loop, timing each
 *            write with clock_gettime: a log2 histogram, a 10 us histogram up
 *            to 100 ms (for p99.99), the worst, counts over 1 ms and 10 ms
 *   mapper   mmap 64 KiB, write its first page, munmap, in a loop, timing
 *            each round: the worst (mmap_lock held by a migrating side)
 * SIGUSR1 starts recording (counts reset), SIGUSR2 stops it, checks every
 * page's index, asks move_pages where the pages are, prints one line
 *   DISRUPT touches=.. worst_us=.. p9999_us=.. over_1ms=.. over_10ms=..
 *           maps=.. map_worst_us=.. on_node1=.. pages=.. check=ok|bad
 * and a HIST line (log2 microsecond buckets), then exits. Never forks
 * (pages shared copy-on-write would not move). The READY line also gives
 * the two threads' ids (toucher=T mapper=M), so a scheduler trace can tell
 * their time blocked in the kernel (a page under migration, mmap_lock) from
 * their time waiting for a CPU (disrupt-steps, offcpu.awk).
 */
#include <numa.h>
#include <numaif.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define FINE_US 10		/* width of a fine bucket */
#define FINE_N 10000		/* fine buckets: up to 100 ms */
#define LOG_N 32

static uint8_t *buf;
static size_t npages;
static atomic_int rec, quit;
static atomic_long toucher_tid, mapper_tid;

static struct {
	uint64_t n, over1, over10, worst_ns;
	uint64_t fine[FINE_N + 1];
	uint64_t log2[LOG_N];
} t;				/* the toucher's, read after it stops recording */
static struct {
	uint64_t n, worst_ns;
} m;

static uint64_t ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void *toucher(void *arg)
{
	(void)arg;
	atomic_store(&toucher_tid, syscall(SYS_gettid));
	while (!atomic_load_explicit(&quit, memory_order_relaxed)) {
		for (size_t i = 0; i < npages; i++) {
			uint64_t a = ns(), d;

			buf[i * 4096] += 1;
			d = ns() - a;
			if (!atomic_load_explicit(&rec, memory_order_relaxed))
				continue;
			t.n++;
			t.over1 += d > 1000000;
			t.over10 += d > 10000000;
			if (d > t.worst_ns)
				t.worst_ns = d;
			t.fine[d / 1000 / FINE_US < FINE_N ? d / 1000 / FINE_US : FINE_N]++;
			t.log2[d / 1000 ? 64 - __builtin_clzll(d / 1000) : 0]++;
		}
	}
	return NULL;
}

static void *mapper(void *arg)
{
	(void)arg;
	atomic_store(&mapper_tid, syscall(SYS_gettid));
	while (!atomic_load_explicit(&quit, memory_order_relaxed)) {
		uint64_t a = ns(), d;
		volatile char *q = mmap(NULL, 64 << 10, PROT_READ | PROT_WRITE,
					MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (q == MAP_FAILED)
			exit(3);
		q[0] = 1;
		munmap((void *)q, 64 << 10);
		d = ns() - a;
		if (!atomic_load_explicit(&rec, memory_order_relaxed))
			continue;
		m.n++;
		if (d > m.worst_ns)
			m.worst_ns = d;
	}
	return NULL;
}

/* Upper end of the fine bucket holding the 99.99th percentile touch, us. */
static uint64_t p9999_us(void)
{
	uint64_t want = t.n - t.n / 10000, sum = 0;

	for (size_t b = 0; b <= FINE_N; b++) {
		sum += t.fine[b];
		if (sum >= want)
			return b == FINE_N ? t.worst_ns / 1000 : (b + 1) * FINE_US;
	}
	return 0;
}

int main(int argc, char **argv)
{
	pthread_t th[2];
	sigset_t set;
	int sig, bad = 0;
	uint64_t on1 = 0;
	void **addr;
	int *st;

	if (argc != 2 || atoi(argv[1]) <= 0) {
		fprintf(stderr, "usage: nmb-disrupt MB\n");
		return 2;
	}
	npages = (size_t)atoi(argv[1]) << 8;
	if (numa_available() >= 0)
		numa_run_on_node(0);
	buf = mmap(NULL, npages * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	addr = calloc(npages, sizeof(*addr));
	st = calloc(npages, sizeof(*st));
	if (buf == MAP_FAILED || !addr || !st)
		return 3;
	madvise(buf, npages * 4096, MADV_NOHUGEPAGE);
	for (size_t i = 0; i < npages; i++)
		memcpy(buf + i * 4096 + 8, &i, sizeof(i));
	if (numa_available() >= 0)
		numa_run_on_node(-1);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	if (pthread_create(&th[0], NULL, toucher, NULL) || pthread_create(&th[1], NULL, mapper, NULL))
		return 3;
	while (!atomic_load(&toucher_tid) || !atomic_load(&mapper_tid))
		usleep(1000);
	printf("READY pid=%d start=%p len=%zu toucher=%ld mapper=%ld\n", getpid(), (void *)buf,
	       npages * 4096, atomic_load(&toucher_tid), atomic_load(&mapper_tid));
	fflush(stdout);
	do
		sigwait(&set, &sig);
	while (sig != SIGUSR1);
	atomic_store(&rec, 1);
	do
		sigwait(&set, &sig);
	while (sig != SIGUSR2);
	atomic_store(&rec, 0);
	atomic_store(&quit, 1);
	pthread_join(th[0], NULL);
	pthread_join(th[1], NULL);
	for (size_t i = 0; i < npages; i++) {
		size_t v;

		memcpy(&v, buf + i * 4096 + 8, sizeof(v));
		bad += v != i;
		addr[i] = buf + i * 4096;
	}
	if (move_pages(0, npages, addr, NULL, st, 0) == 0)
		for (size_t i = 0; i < npages; i++)
			on1 += st[i] == 1;
	printf("DISRUPT touches=%llu worst_us=%llu p9999_us=%llu over_1ms=%llu over_10ms=%llu "
	       "maps=%llu map_worst_us=%llu on_node1=%llu pages=%zu check=%s\n",
	       (unsigned long long)t.n, (unsigned long long)(t.worst_ns / 1000),
	       (unsigned long long)p9999_us(), (unsigned long long)t.over1,
	       (unsigned long long)t.over10, (unsigned long long)m.n,
	       (unsigned long long)(m.worst_ns / 1000), (unsigned long long)on1, npages,
	       bad ? "bad" : "ok");
	printf("HIST");
	for (int b = 0; b < LOG_N; b++)
		if (t.log2[b])
			printf(" <%lluus:%llu", 1ULL << b, (unsigned long long)t.log2[b]);
	printf("\n");
	return bad ? 1 : 0;
}
