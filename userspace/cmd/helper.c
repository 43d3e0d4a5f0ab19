// SPDX-License-Identifier: GPL-2.0
/*
 * numa-migrate helper: the deterministic fixture. Allocates SIZE bytes,
 * first-touches them from a CPU of NODE (no MPOL_BIND, so NUMA balancing may
 * still act), fills them with the seed's pattern, prints one line
 *   HELPER pid=P start=0xA len=N node=N seed=S thp=0|1 [child=C]
 * and waits. SIGUSR1 checks the pattern (VERIFY ...); SIGTERM/SIGINT check
 * it and exit 0 when intact, 1 when any byte changed.
 */
#include <errno.h>
#include <inttypes.h>
#include <numa.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include "cli.h"
#include "errors.h"
#include "helper.h"

struct region {
	uint8_t *p;
	size_t len;
	uint64_t seed;
	int access_node;
	long threads;
	atomic_bool stop;
	atomic_uint_fast64_t sweeps;
	atomic_uint_fast64_t mismatches;	/* seen by access threads */
};

struct worker {
	struct region *r;
	long id;
};

/* Each access thread strides over its share of pages: reads the first word
 * of each 64-byte line it visits, checks it, and writes the expected value
 * back, so NUMA balancing sees both reads and writes from ACCESS_NODE. */
static void *access_thread(void *arg)
{
	struct worker *w = arg;
	struct region *r = w->r;
	size_t pages = r->len / 4096;

	if (numa_run_on_node(r->access_node) < 0)
		fprintf(stderr, "helper: cannot run access thread on node %d: %s\n",
			r->access_node, strerror(errno));
	while (!atomic_load_explicit(&r->stop, memory_order_relaxed)) {
		for (size_t pg = (size_t)w->id; pg < pages; pg += (size_t)r->threads) {
			for (size_t off = 0; off < 4096; off += 512) {
				size_t o = pg * 4096 + off;
				volatile uint64_t *q = (volatile uint64_t *)(r->p + o);
				uint64_t want = nm_pattern_word(r->seed, o);

				if (*q != want)
					atomic_fetch_add(&r->mismatches, 1);
				*q = want;
			}
			if (atomic_load_explicit(&r->stop, memory_order_relaxed))
				break;
		}
		atomic_fetch_add(&r->sweeps, 1);
	}
	return NULL;
}

static void report_verify(const struct region *r, bool final_)
{
	size_t first = 0;
	uint64_t bad = nm_pattern_check(r->p, r->len, r->seed, &first);

	if (!bad)
		printf("VERIFY ok bytes=%zu changed=0 sweeps=%" PRIuFAST64 "%s\n", r->len,
		       atomic_load(&r->sweeps), final_ ? " final=1" : "");
	else
		printf("VERIFY FAILED bytes=%zu changed=%" PRIu64 " first=0x%" PRIxPTR
		       " sweeps=%" PRIuFAST64 "%s\n", r->len, bad, (uintptr_t)(r->p + first),
		       atomic_load(&r->sweeps), final_ ? " final=1" : "");
	fflush(stdout);
}

static uint8_t *alloc_region(size_t len, int thp)
{
	size_t align = 2UL << 20, map = len + align;
	uint8_t *raw = mmap(NULL, map, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	uint8_t *p;

	if (raw == MAP_FAILED)
		return NULL;
	/* 2 MiB alignment so THPs can back the region; trim the slack */
	p = (uint8_t *)(((uintptr_t)raw + align - 1) & ~(align - 1));
	if (p > raw)
		munmap(raw, (size_t)(p - raw));
	if (raw + map > p + len)
		munmap(p + len, (size_t)(raw + map - (p + len)));
	if (thp == 1 && madvise(p, len, MADV_HUGEPAGE) < 0)
		fprintf(stderr, "helper: MADV_HUGEPAGE failed: %s (THP disabled?)\n",
			strerror(errno));
	if (thp == 0 && madvise(p, len, MADV_NOHUGEPAGE) < 0)
		fprintf(stderr, "helper: MADV_NOHUGEPAGE failed: %s\n", strerror(errno));
	return p;
}

int nm_helper_run(struct nm_args *a)
{
	struct region r = { 0 };
	struct worker *w = NULL;
	pthread_t *tid = NULL;
	sigset_t set;
	pid_t child = 0;
	int sig, node = a->node_set ? a->node : 0;
	long started = 0;

	if (!a->size_set) {
		nm_error("helper needs --size SIZE (for example --size 512M)");
		return NM_EXIT_USAGE;
	}
	if (a->size % 4096) {
		nm_error("invalid --size %" PRIu64 ": must be a multiple of 4096", a->size);
		return NM_EXIT_USAGE;
	}
	if (numa_available() < 0) {
		nm_error("helper: NUMA is not available on this kernel (no /sys/devices/system/node)");
		return NM_EXIT_USAGE;
	}
	if (node > numa_max_node() || numa_node_size64(node, NULL) <= 0) {
		nm_error("invalid --node %d: no such node with memory (highest node %d)", node,
			 numa_max_node());
		return NM_EXIT_USAGE;
	}
	if (a->threads && !a->access_set) {
		nm_error("--threads needs --access-node NODE");
		return NM_EXIT_USAGE;
	}
	if (a->access_set && (a->access_node > numa_max_node() ||
			      numa_num_configured_cpus() <= 0)) {
		nm_error("invalid --access-node %d: no such node", a->access_node);
		return NM_EXIT_USAGE;
	}
	if (numa_run_on_node(node) < 0) {
		nm_error("helper: cannot run on a CPU of node %d (%s); is it a CPU-less "
			 "memory node? pick a node with CPUs", node, strerror(errno));
		return NM_EXIT_USAGE;
	}

	/* Signals are taken synchronously by sigwait below; block them before
	 * any thread exists so every thread inherits the mask. */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);

	r.len = a->size;
	r.seed = a->seed;
	r.p = alloc_region(r.len, a->thp);
	if (!r.p) {
		nm_error("helper: cannot map %" PRIu64 " bytes: %s", a->size, strerror(errno));
		return NM_EXIT_MIGRATE;
	}
	nm_pattern_fill(r.p, r.len, r.seed);	/* first touch, from node's CPU */
	numa_run_on_node(-1);			/* the waiting thread may run anywhere */

	if (a->fork_child) {
		child = fork();
		if (child == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			for (;;)
				pause();
		}
		if (child < 0) {
			nm_error("helper: fork failed: %s", strerror(errno));
			return NM_EXIT_MIGRATE;
		}
	}

	if (a->threads) {
		r.access_node = a->access_node;
		r.threads = a->threads;
		tid = calloc((size_t)a->threads, sizeof(*tid));
		w = calloc((size_t)a->threads, sizeof(*w));
		if (!tid || !w) {
			nm_error("helper: out of memory");
			return NM_EXIT_MIGRATE;
		}
		for (long i = 0; i < a->threads; i++) {
			w[i] = (struct worker){ &r, i };
			if (pthread_create(&tid[i], NULL, access_thread, &w[i]) != 0)
				break;
			started++;
		}
	}

	printf("HELPER pid=%d start=0x%" PRIxPTR " len=%zu node=%d seed=%" PRIu64 " thp=%d",
	       getpid(), (uintptr_t)r.p, r.len, node, r.seed, a->thp == 1);
	if (child > 0)
		printf(" child=%d", child);
	if (a->threads)
		printf(" access_node=%d threads=%ld", r.access_node, started);
	printf("\n");
	fflush(stdout);

	for (;;) {
		if (sigwait(&set, &sig) != 0)
			continue;
		if (sig == SIGUSR1) {
			report_verify(&r, false);
			continue;
		}
		break;
	}
	atomic_store(&r.stop, true);
	for (long i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
	report_verify(&r, true);
	if (atomic_load(&r.mismatches))
		printf("ACCESS mismatches=%" PRIuFAST64 "\n", atomic_load(&r.mismatches));
	if (child > 0) {
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
	}
	free(tid);
	free(w);
	return nm_pattern_check(r.p, r.len, r.seed, NULL) || atomic_load(&r.mismatches) ?
	       NM_EXIT_USAGE : NM_EXIT_OK;
}
