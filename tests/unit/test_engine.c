// SPDX-License-Identifier: GPL-2.0
/*
 * The engine against a fake kernel: a simulated address space whose pages
 * sit on nodes, with per-page failures, early stops, busy pages, THPs and a
 * process that exits. Every call the engine makes is checked (sorted
 * addresses, one node per call, batch bounds).
 */
#include <errno.h>
#include <pthread.h>
#include <time.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "engine.h"
#include "vmacount.h"
#include "pagemap.h"

#define BASE 0x7f0000000000ULL
#define PS 4096ULL
#define MAXP 8192

struct fake {
	int node[MAXP];		/* >= 0 node; -ENOENT not present */
	int busy[MAXP];		/* EBUSY this many more times */
	int fail[MAXP];		/* permanent -errno on move */
	uint64_t pfn[MAXP];	/* pagemap pfn (0: hidden) */
	bool shared[MAXP];	/* mapped by another process too: no exclusive bit */
	int in_flight[MAXP];	/* the next this many queries see a migration entry:
				 * -ENOENT, and pagemap says swapped */
	bool pinned[MAXP];	/* never migrates; like the kernel, a call holding
				 * one moves the others but writes no status
				 * and returns the number not migrated */
	uint64_t kpf_thp_head;	/* pfn that kpageflags calls a THP head */
	int capacity[4];	/* pages a node can still take, -1 unlimited */
	size_t npages;
	/* behaviour */
	int stop_early_after;	/* move: process only this many entries once */
	int query_stop_after;	/* query: write only this many entries once */
	int die_after_calls;	/* move calls before the process exits; 0 never */
	int die_errno;		/* what move_pages says once it died (default ESRCH) */
	int dead_after_sleeps;	/* with die_errno: the pidfd turns readable only
				   after this many sleeps (the mm goes first) */
	bool enomem_whole_call;	/* a full node fails the call (6.12), not the page */
	/* observations */
	int move_calls, query_calls, sleeps, pagemap_calls;
	unsigned long query_entries;
	unsigned int last_sleep;
	unsigned long max_count;
	unsigned long total_moved_entries;
	bool unsorted, mixed_nodes;
	int flags_seen;
};

static long fake_move_pages(void *ctx, pid_t pid, unsigned long count, void **pages,
			    const int *nodes, int *status, int flags)
{
	struct fake *f = ctx;
	unsigned long limit = count;

	if (f->die_after_calls && f->move_calls >= f->die_after_calls)
		return f->die_errno ? -f->die_errno : -ESRCH;
	if (count > f->max_count)
		f->max_count = count;
	for (unsigned long i = 1; i < count; i++)
		if ((uintptr_t)pages[i] <= (uintptr_t)pages[i - 1])
			f->unsorted = true;
	if (!nodes) {
		f->query_calls++;
		f->query_entries += count;
		if (f->query_stop_after) {
			limit = (unsigned long)f->query_stop_after;
			f->query_stop_after = 0;
		}
		for (unsigned long i = 0; i < count && i < limit; i++) {
			size_t p = ((uintptr_t)pages[i] - BASE) / PS;

			if (p < f->npages && f->in_flight[p] > 0) {
				f->in_flight[p]--;
				status[i] = -ENOENT;
				continue;
			}
			status[i] = p < f->npages ? f->node[p] : -EFAULT;
		}
		return 0;
	}
	f->move_calls++;
	f->flags_seen = flags;
	for (unsigned long i = 0; i < count; i++) {
		size_t p = ((uintptr_t)pages[i] - BASE) / PS;

		if (p < f->npages && f->pinned[p]) {
			unsigned long left = 0;

			for (unsigned long k = 0; k < count; k++) {
				size_t q = ((uintptr_t)pages[k] - BASE) / PS;

				if (f->pinned[q])
					left++;
				else if (f->node[q] >= 0)
					f->node[q] = nodes[k];
			}
			return (long)left;
		}
	}
	if (f->stop_early_after) {
		limit = (unsigned long)f->stop_early_after;
		f->stop_early_after = 0;
	}
	for (unsigned long i = 0; i < count; i++) {
		size_t p = ((uintptr_t)pages[i] - BASE) / PS;
		int t = nodes[i];

		if (t != nodes[0])
			f->mixed_nodes = true;
		if (i >= limit)
			continue;	/* status not written: early stop */
		f->total_moved_entries++;
		if (p >= f->npages || f->node[p] < 0) {
			status[i] = -ENOENT;
		} else if (f->fail[p]) {
			status[i] = f->fail[p];
		} else if (f->busy[p] > 0) {
			f->busy[p]--;
			status[i] = -EBUSY;
		} else if (f->node[p] == t) {
			status[i] = t;
		} else if (f->capacity[t] == 0) {
			if (f->enomem_whole_call)
				return -ENOMEM;	/* earlier entries moved, none written */
			status[i] = -ENOMEM;
		} else {
			/* a THP head moves its whole PMD */
			size_t n = f->pfn[p] && f->pfn[p] == f->kpf_thp_head ? 512 : 1;

			for (size_t k = 0; k < n; k++)
				f->node[p + k] = t;
			if (f->capacity[t] > 0)
				f->capacity[t]--;
			status[i] = t;
		}
	}
	return limit < count ? (long)(count - limit) : 0;
}

static int fake_pagemap(void *ctx, uint64_t addr, size_t n, uint64_t *out)
{
	struct fake *f = ctx;
	size_t p0 = (addr - BASE) / PS;

	f->pagemap_calls++;
	for (size_t i = 0; i < n; i++) {
		size_t p = p0 + i;

		out[i] = 0;
		if (p < f->npages && f->in_flight[p] > 0)
			out[i] = NM_PM_SWAP;
		else if (p < f->npages && f->node[p] >= 0)
			out[i] = NM_PM_PRESENT | f->pfn[p] |
				 (f->shared[p] ? 0 : NM_PM_EXCLUSIVE);
	}
	return 0;
}

static int fake_kpageflags(void *ctx, uint64_t pfn, uint64_t *flags)
{
	struct fake *f = ctx;

	*flags = pfn == f->kpf_thp_head ?
		 (1ULL << NM_KPF_THP) | (1ULL << NM_KPF_COMPOUND_HEAD) : 0;
	return 0;
}

static int fake_alive(void *ctx)
{
	struct fake *f = ctx;

	if (!f->die_after_calls || f->move_calls < f->die_after_calls)
		return 0;
	return f->sleeps >= f->dead_after_sleeps ? -ESRCH : 0;
}

static void fake_sleep(void *ctx, unsigned int us)
{
	struct fake *f = ctx;

	f->sleeps++;
	f->last_sleep = us;
}

static struct fake F;
static struct nm_sys SYS = {
	fake_move_pages, fake_pagemap, fake_kpageflags, fake_alive, fake_sleep, &F, NULL, NULL
};

static void fake_init(size_t npages, int node)
{
	memset(&F, 0, sizeof(F));
	F.npages = npages;
	for (size_t i = 0; i < npages; i++) {
		F.node[i] = node;
		F.pfn[i] = 0x100000 + i * 7;	/* not contiguous: no THP */
	}
	for (int i = 0; i < 4; i++)
		F.capacity[i] = -1;
}

static struct nm_range_list one_range(size_t first, size_t n)
{
	static struct nm_range r;
	struct nm_range_list l = { 0 };

	r = (struct nm_range){ BASE + first * PS, BASE + (first + n) * PS, 0 };
	l.r = &r;
	l.n = 1;
	l.cap = 1;
	l.pages = n;
	return l;
}

static struct nm_engine_opts opts(size_t batch)
{
	struct nm_engine_opts o;

	nm_engine_opts_default(&o);
	o.batch_pages = batch;
	o.jobs = 1;
	return o;
}

static void assert_sums(const struct nm_move_result *r)
{
	assert_int_equal(r->examined, r->moved + r->already + r->not_present +
			 r->skipped_filter + r->busy + r->failed + r->would_move);
	uint64_t s = 0;

	for (int i = 0; i < NM_ERR_SLOTS; i++)
		s += r->by_errno[i];
	assert_int_equal(s, r->busy + r->failed);
}

static void test_move_basic(void **state)
{
	struct nm_range_list l;
	struct nm_engine_opts o = opts(64);
	struct nm_move_request q = { .target_node = 1 };
	struct nm_move_result r;

	fake_init(1000, 0);
	for (int i = 0; i < 100; i++)
		F.node[i] = 1;		/* already there */
	for (int i = 100; i < 150; i++)
		F.node[i] = -ENOENT;	/* never touched */
	F.node[150] = -EFAULT;		/* zero page */
	l = one_range(0, 1000);
	assert_int_equal(nm_engine_move(&SYS, 1, &l, &o, &q, &r), 0);
	assert_int_equal(r.examined, 1000);
	assert_int_equal(r.already, 100);
	assert_int_equal(r.not_present, 51);
	assert_int_equal(r.moved, 849);
	assert_int_equal(r.from_node[0], 849);
	assert_int_equal(r.busy, 0);
	assert_int_equal(r.failed, 0);
	assert_sums(&r);
	assert_int_equal(nm_move_exit_code(&r), 0);
	/* only candidates are passed; calls are sorted, one node, bounded */
	assert_int_equal(F.total_moved_entries, 849);
	assert_true(F.max_count <= 64);
	assert_false(F.unsorted);
	assert_false(F.mixed_nodes);
	for (int i = 0; i < 1000; i++)
		if (i < 100 || i > 150)
			assert_int_equal(F.node[i], 1);
}

static void test_batches_never_exceed_batch(void **state)
{
	struct nm_range_list l;
	struct nm_engine_opts o = opts(16);
	struct nm_move_request q = { .target_node = 2 };
	struct nm_move_result r;

	fake_init(1000, 0);
	l = one_range(0, 1000);
	assert_int_equal(nm_engine_move(&SYS, 1, &l, &o, &q, &r), 0);
	assert_true(F.max_count <= 16);
	assert_int_equal(r.moved, 1000);
	assert_int_equal(F.move_calls, (1000 + 15) / 16);
}

static void test_early_stop_is_retried(void **state)
{
	struct nm_range_list l;
	struct nm_engine_opts o = opts(100);
	struct nm_move_request q = { .target_node = 1 };
	struct nm_move_result r;

	fake_init(100, 0);
	F.stop_early_after = 30;	/* first call writes 30 statuses */
	l = one_range(0, 100);
	assert_int_equal(nm_engine_move(&SYS, 1, &l, &o, &q, &r), 0);
	assert_int_equal(r.moved, 100);
	assert_int_equal(r.early_stops, 1);
	assert_int_equal(r.retries, 1);
	assert_int_equal(F.move_calls, 2);
	assert_sums(&r);
}

static void test_query_early_stop_is_resumed(void **state)
{
	struct nm_range_list l;
	struct nm_engine_opts o = opts(100);
	struct nm_query_result qr;

	fake_init(100, 1);
	F.query_stop_after = 40;
	l = one_range(0, 100);
	assert_int_equal(nm_engine_query(&SYS, 1, &l, &o, 0, NULL, -1, &qr), 0);
	assert_int_equal(qr.total.node[1], 100);
	assert_int_equal(qr.total.error, 0);
	assert_int_equal(F.query_calls, 2);
	nm_query_result_free(&qr);
}

/* Pages under migration (a migration entry: -ENOENT, pagemap "swapped") are
 * queried again and counted where they land; a page that stays swapped out
 * is not present. Before, all three counted as not present. */
static void test_query_requeries_pages_in_flight(void **state)
{
	struct nm_range_list l;
	struct nm_engine_opts o = opts(100);
	struct nm_query_result qr;

	fake_init(100, 1);
	F.in_flight[10] = 1;
	F.in_flight[20] = 2;
	F.in_flight[30] = 1000;	/* swapped out for good */
	l = one_range(0, 100);
	assert_int_equal(nm_engine_query(&SYS, 1, &l, &o, 0, NULL, -1, &qr), 0);
	assert_int_equal(qr.total.node[1], 99);
	assert_int_equal(qr.total.present, 99);
	assert_int_equal(qr.total.not_present, 1);
	/* bounded: the first query and three rounds of re-queries */
	assert_int_equal(F.query_calls, 4);
	nm_query_result_free(&qr);
}

static void test_busy_retried_with_backoff(void **state)
{
	struct nm_range_list l;
	struct nm_engine_opts o = opts(100);
	struct nm_move_request q = { .target_node = 1 };
	struct nm_move_result r;

	fake_init(10, 0);
	F.busy[3] = 2;		/* clears on the third try */
	F.busy[5] = 1000;	/* never clears */
	l = one_range(0, 10);
	assert_int_equal(nm_engine_move(&SYS, 1, &l, &o, &q, &r), 0);
	assert_int_equal(r.moved, 9);
	assert_int_equal(r.busy, 1);
	assert_int_equal(r.by_errno[NM_ERR_EBUSY], 1);
	assert_int_equal(r.nexample[NM_ERR_EBUSY], 1);
	assert_int_equal(r.example[NM_ERR_EBUSY][0], BASE + 5 * PS);
	/* bounded: busy_retries (5) retries, doubling from 1 ms */
	assert_int_equal(F.sleeps, 5);
	assert_int_equal(F.last_sleep, 1000u << 4);
	assert_int_equal(F.move_calls, 6);
	assert_int_equal(nm_move_exit_code(&r), NM_EXIT_MIGRATE);
	assert_sums(&r);
}

static void test_errno_classes(void **state)
{
	struct nm_range_list l;
	struct nm_engine_opts o = opts(100);
	struct nm_move_request q = { .target_node = 1 };
	struct nm_move_result r;

	fake_init(20, 0);
	F.fail[0] = -EACCES;
	F.fail[1] = -EACCES;
	F.fail[2] = -EIO;
	F.fail[3] = -EINVAL;
	F.fail[4] = -EPERM;
	F.capacity[1] = 10;	/* then ENOMEM */
	l = one_range(0, 20);
	assert_int_equal(nm_engine_move(&SYS, 1, &l, &o, &q, &r), 0);
	assert_int_equal(r.by_errno[NM_ERR_EACCES], 2);
	assert_int_equal(r.by_errno[NM_ERR_EIO], 1);
	assert_int_equal(r.by_errno[NM_ERR_EINVAL], 1);
	assert_int_equal(r.by_errno[NM_ERR_EPERM], 1);
	assert_int_equal(r.moved, 10);
	assert_int_equal(r.by_errno[NM_ERR_ENOMEM], 5);
	assert_int_equal(r.failed, 10);
	assert_int_equal(r.busy, 0);
	assert_sums(&r);
	assert_int_equal(nm_move_exit_code(&r), NM_EXIT_MIGRATE);
}

static void test_enomem_whole_call(void **state)
{
	struct nm_range_list l;
	struct nm_engine_opts o = opts(8);
	struct nm_move_request q = { .target_node = 2 };
	struct nm_move_result r;

	/* node 2 takes 20 pages; the call that overflows fails as a whole */
	fake_init(40, 0);
	F.capacity[2] = 20;
	F.enomem_whole_call = true;
	l = one_range(0, 40);
	assert_int_equal(nm_engine_move(&SYS, 1, &l, &o, &q, &r), 0);
	assert_int_equal(r.examined, 40);
	assert_int_equal(r.moved, 20);
	assert_int_equal(r.by_errno[NM_ERR_ENOMEM], 20);
	assert_int_equal(r.by_errno[NM_ERR_UNPROCESSED], 0);
	assert_int_equal(r.fatal, 0);
	assert_sums(&r);
	assert_int_equal(nm_move_exit_code(&r), NM_EXIT_MIGRATE);
}

static void test_from_node_filter(void **state)
{
	struct nm_range_list l;
	struct nm_engine_opts o = opts(100);
	struct nm_move_request q = { .target_node = 1, .from_set = true };
	struct nm_move_result r;

	fake_init(30, 0);
	for (int i = 10; i < 20; i++)
		F.node[i] = 2;
	for (int i = 20; i < 30; i++)
		F.node[i] = 3;
	nm_nodemask_set(&q.from, 2);
	nm_nodemask_set(&q.from, 3);
	l = one_range(0, 30);
	assert_int_equal(nm_engine_move(&SYS, 1, &l, &o, &q, &r), 0);
	assert_int_equal(r.moved, 20);
	assert_int_equal(r.skipped_filter, 10);
	assert_int_equal(r.from_node[2], 10);
	assert_int_equal(r.from_node[3], 10);
	assert_int_equal(F.node[0], 0);
	assert_sums(&r);
}

static void test_dry_run_moves_nothing(void **state)
{
	struct nm_range_list l;
	struct nm_engine_opts o = opts(100);
	struct nm_move_request q = { .target_node = 1, .dry_run = true };
	struct nm_move_result r;

	fake_init(50, 0);
	F.node[0] = 1;
	l = one_range(0, 50);
	assert_int_equal(nm_engine_move(&SYS, 1, &l, &o, &q, &r), 0);
	assert_int_equal(F.move_calls, 0);
	assert_int_equal(r.would_move, 49);
	assert_int_equal(r.moved, 0);
	assert_int_equal(r.already, 1);
	assert_int_equal(F.node[1], 0);
	assert_sums(&r);
}

static void test_process_exits_mid_move(void **state)
{
	struct nm_range_list l;
	struct nm_engine_opts o = opts(10);
	struct nm_move_request q = { .target_node = 1 };
	struct nm_move_result r;

	fake_init(100, 0);
	F.die_after_calls = 3;
	l = one_range(0, 100);
	assert_int_equal(nm_engine_move(&SYS, 1, &l, &o, &q, &r), -ESRCH);
	assert_int_equal(r.fatal, -ESRCH);
	assert_int_equal(r.moved, 30);
	assert_int_equal(r.examined, 30);
	assert_sums(&r);
	assert_int_equal(nm_move_exit_code(&r), NM_EXIT_MIGRATE);
}

/* Moves 100 pages in batches of 10 from a target that dies after 3 calls,
 * move_pages then saying DIE_ERRNO and the pidfd turning readable only after
 * DEAD_AFTER_SLEEPS sleeps. */
static int move_dying(int die_errno, int dead_after_sleeps, struct nm_move_result *r)
{
	struct nm_range_list l;
	struct nm_engine_opts o = opts(10);
	struct nm_move_request q = { .target_node = 1 };

	fake_init(100, 0);
	F.die_after_calls = 3;
	F.die_errno = die_errno;
	F.dead_after_sleeps = dead_after_sleeps;
	l = one_range(0, 100);
	return nm_engine_move(&SYS, 1, &l, &o, &q, r);
}

/* 6.1: a target being killed loses its mm before its pidfd turns readable,
 * and move_pages says EINVAL in between. That is the exit, not a bad call. */
static void test_exit_seen_as_einval_first(void **state)
{
	struct nm_move_result r;

	assert_int_equal(move_dying(EINVAL, 4, &r), -ESRCH);
	assert_int_equal(r.fatal, -ESRCH);
	assert_int_equal(r.moved, 30);
	assert_int_equal(nm_move_exit_code(&r), NM_EXIT_MIGRATE);
}

/* The same EINVAL from a target that stays alive is reported as EINVAL,
 * after waiting for the pidfd; EPERM is about the request: no wait. */
static void test_einval_from_live_target_kept(void **state)
{
	struct nm_move_result r;

	assert_int_equal(move_dying(EINVAL, 1000000, &r), -EINVAL);
	assert_true(F.sleeps >= 100);
	assert_int_equal(move_dying(EPERM, 1000000, &r), -EPERM);
	assert_int_equal(F.sleeps, 0);
}

static void test_thp_one_address(void **state)
{
	struct nm_range_list l;
	struct nm_engine_opts o = opts(4096);
	struct nm_move_request q = { .target_node = 1 };
	struct nm_move_result r;

	/* BASE is 2 MiB aligned; pages 0-511 form one THP */
	fake_init(1024, 0);
	for (int i = 0; i < 512; i++)
		F.pfn[i] = 0x200000 + i;	/* contiguous, 512-aligned */
	F.kpf_thp_head = 0x200000;
	l = one_range(0, 1024);
	assert_int_equal(nm_engine_move(&SYS, 1, &l, &o, &q, &r), 0);
	assert_int_equal(r.examined, 1024);
	assert_int_equal(r.moved, 1024);
	assert_int_equal(r.huge_examined, 1);
	assert_int_equal(r.huge_moved, 1);
	/* one address for the THP + 512 small pages */
	assert_int_equal(F.total_moved_entries, 513);
	assert_sums(&r);
}

static void test_query_histogram_and_thp(void **state)
{
	struct nm_range_list l;
	struct nm_engine_opts o = opts(4096);
	struct nm_query_result qr;

	fake_init(1024, 0);
	for (int i = 0; i < 512; i++)
		F.pfn[i] = 0x200000 + i;
	F.kpf_thp_head = 0x200000;
	for (int i = 600; i < 700; i++)
		F.node[i] = 3;
	for (int i = 1000; i < 1024; i++)
		F.node[i] = -ENOENT;
	l = one_range(0, 1024);
	assert_int_equal(nm_engine_query(&SYS, 1, &l, &o, 1, NULL, -1, &qr), 0);
	assert_int_equal(qr.examined, 1024);
	assert_int_equal(qr.total.node[0], 900);
	assert_int_equal(qr.total.node[3], 100);
	assert_int_equal(qr.total.not_present, 24);
	assert_int_equal(qr.total.present, 1000);
	assert_int_equal(qr.total.max_node, 3);
	assert_int_equal(qr.total.thp, 1);
	assert_int_equal(qr.total.thp_pages, 512);
	assert_int_equal(qr.by_vma[0].node[3], 100);
	assert_true(qr.kpageflags_ok);
	nm_query_result_free(&qr);
}

/* Range pieces of 1 to 3 pages, each its own mapping, with holes between
 * them (one larger than a batch): the pieces share move_pages calls and
 * pagemap reads, and every page is still counted for its own mapping. */
#define NPIECES 200
static uint64_t piece_pages[NPIECES][4];	/* node 0, node 1, absent, error */

static void count_piece(void *arg, size_t vma, const struct nm_hist *h)
{
	(void)arg;
	assert_true(vma < NPIECES);
	piece_pages[vma][0] += h->node[0];
	piece_pages[vma][1] += h->node[1];
	piece_pages[vma][2] += h->not_present;
	piece_pages[vma][3] += h->error;
}

static void small_pieces(struct nm_range_list *l, struct nm_range *r)
{
	size_t p = 0;

	memset(l, 0, sizeof(*l));
	for (size_t i = 0; i < NPIECES; i++) {
		size_t n = 1 + i % 3;

		p += i % 7 == 0 ? 2 : 0;		/* a small hole */
		p += i == 100 ? 2000 : 0;		/* a hole wider than a batch */
		r[i] = (struct nm_range){ BASE + p * PS, BASE + (p + n) * PS, i };
		l->pages += n;
		p += n;
	}
	l->r = r;
	l->n = l->cap = NPIECES;
	assert_true(p <= MAXP);
}

static void test_small_pieces_share_calls(void **state)
{
	static struct nm_range r[NPIECES];
	struct nm_range_list l;
	struct nm_engine_opts o = opts(256);
	struct nm_query_result qr;

	fake_init(MAXP, 0);
	small_pieces(&l, r);
	for (size_t i = 0; i < NPIECES; i += 5)
		F.node[(r[i].start - BASE) / PS] = 1;
	F.node[(r[150].start - BASE) / PS] = -ENOENT;
	F.in_flight[(r[151].start - BASE) / PS] = 1;	/* migrating at the first query */
	F.shared[(r[199].start - BASE) / PS] = true;
	F.shared[(r[42].start - BASE) / PS] = true;
	memset(piece_pages, 0, sizeof(piece_pages));
	assert_int_equal(nm_engine_query_each(&SYS, 1, &l, &o, count_piece, NULL, NULL, -1,
					      &qr), 0);
	assert_int_equal(qr.examined, l.pages);
	/* 399 pages in batches of 256: two queries, and one re-query of the
	 * page in flight; not one call a mapping */
	assert_int_equal(F.query_calls, 3);
	/* one pagemap read per run of close pieces: the wide hole splits the
	 * first chunk's in two, and the chunk with the page in flight is read
	 * again */
	assert_int_equal(F.pagemap_calls, 4);
	for (size_t i = 0; i < NPIECES; i++) {
		uint64_t n = 1 + i % 3, absent = i == 150;
		uint64_t one = i % 5 == 0 && !absent;

		assert_int_equal(piece_pages[i][1], one);
		assert_int_equal(piece_pages[i][2], absent);
		assert_int_equal(piece_pages[i][0], n - one - absent);
		assert_int_equal(piece_pages[i][3], 0);
	}
	assert_int_equal(qr.total.node[1], NPIECES / 5 - 1);
	assert_int_equal(qr.total.not_present, 1);
	assert_int_equal(qr.shared, 2);
	assert_int_equal(qr.shared_example, r[42].start);
	assert_null(qr.by_vma);
}

static void test_small_pieces_move(void **state)
{
	static struct nm_range r[NPIECES];
	struct nm_range_list l;
	struct nm_engine_opts o = opts(256);
	struct nm_move_request q = { .target_node = 1 };
	struct nm_move_result res;

	fake_init(MAXP, 0);
	small_pieces(&l, r);
	F.node[(r[7].start - BASE) / PS] = 1;
	assert_int_equal(nm_engine_move(&SYS, 1, &l, &o, &q, &res), 0);
	assert_int_equal(res.examined, l.pages);
	assert_int_equal(res.already, 1);
	assert_int_equal(res.moved, l.pages - 1);
	assert_int_equal(F.move_calls, 2);
	assert_false(F.unsorted);
	for (size_t i = 0; i < NPIECES; i++)
		for (uint64_t a = r[i].start; a < r[i].end; a += PS)
			assert_int_equal(F.node[(a - BASE) / PS], 1);
	/* the holes were not touched */
	assert_int_equal(F.node[0], 0);
	assert_int_equal(F.node[(r[100].start - BASE) / PS - 1], 0);
}

/* Frames 0x100000 * (node + 1) + page: what a memory block table says. */
static int fake_pfn_node(const void *ctx, uint64_t pfn)
{
	(void)ctx;
	return pfn >= 0x100000 && pfn < 0x500000 ? (int)(pfn / 0x100000) - 1 : -1;
}

/* With pfn_node the query takes a page's node from its PFN where pagemap
 * says the process maps it alone, and asks move_pages about the others
 * only: the same counts as move_pages for everything. */
static void test_query_nodes_from_pfns(void **state)
{
	struct nm_range_list l = one_range(0, 1000);
	struct nm_engine_opts o = opts(256);
	struct nm_query_result plain, fast;
	struct nm_sys sys = SYS;

	fake_init(1000, 0);
	for (int i = 0; i < 1000; i++) {
		F.node[i] = i % 3;
		F.pfn[i] = 0x100000 * (uint64_t)(i % 3 + 1) + (uint64_t)i;
	}
	for (int i = 0; i < 20; i++)
		F.shared[i] = true;		/* not exclusive: asked */
	for (int i = 20; i < 30; i++)
		F.pfn[i] = 0x900000 + (uint64_t)i;	/* in no memory block: asked */
	for (int i = 30; i < 40; i++)
		F.pfn[i] = 0;			/* PFNs hidden: asked */
	for (int i = 40; i < 50; i++)
		F.node[i] = -ENOENT;		/* not present: not asked */
	F.in_flight[60] = 1;			/* swap entry in pagemap: asked */
	assert_int_equal(nm_engine_query(&SYS, 1, &l, &o, 0, NULL, -1, &plain), 0);
	F.query_entries = 0;
	sys.pfn_node = fake_pfn_node;
	F.in_flight[60] = 1;
	assert_int_equal(nm_engine_query(&sys, 1, &l, &o, 0, NULL, -1, &fast), 0);
	assert_int_equal(F.query_entries, 20 + 10 + 10 + 1 + 1);	/* + page 60 again */
	assert_memory_equal(&fast.total, &plain.total, sizeof(fast.total));
	assert_int_equal(fast.examined, 1000);
	assert_int_equal(fast.total.not_present, 10);
	assert_int_equal(fast.total.node[2], plain.total.node[2]);
	assert_int_equal(fast.shared, plain.shared);
	assert_true(fast.pagemap_ok);
}

/* test_query_nodes_from_pfns' pages, with two EBUSY ones to retry */
static void pfn_fixture(void)
{
	fake_init(1000, 0);
	for (int i = 0; i < 1000; i++) {
		F.node[i] = i % 3;
		F.pfn[i] = 0x100000 * (uint64_t)(i % 3 + 1) + (uint64_t)i;
	}
	for (int i = 0; i < 20; i++)
		F.shared[i] = true;
	for (int i = 20; i < 30; i++)
		F.pfn[i] = 0x900000 + (uint64_t)i;
	for (int i = 30; i < 40; i++)
		F.pfn[i] = 0;
	for (int i = 40; i < 50; i++)
		F.node[i] = -ENOENT;
	F.in_flight[60] = 1;
	F.busy[500] = F.busy[502] = 1;
}

/* move with pfn_node (what move does since the batches' queries read PFNs):
 * the same outcome, page for page and counter for counter, as with a
 * move_pages query of every page, which it asks only about the rest */
static void test_move_nodes_from_pfns(void **state)
{
	struct nm_range_list l = one_range(0, 1000);
	struct nm_engine_opts o = opts(256);
	struct nm_move_request req = { .target_node = 1 };
	struct nm_move_result plain, fast;
	uint64_t want_already = 0;
	int nodes[1000];
	struct nm_sys sys = SYS;

	pfn_fixture();
	assert_int_equal(nm_engine_move(&SYS, 1, &l, &o, &req, &plain), 0);
	assert_int_equal(F.query_entries, 1000 + 1);	/* + page 60 again */
	memcpy(nodes, F.node, sizeof(nodes));
	pfn_fixture();
	sys.pfn_node = fake_pfn_node;
	assert_int_equal(nm_engine_move(&sys, 1, &l, &o, &req, &fast), 0);
	assert_int_equal(F.query_entries, 20 + 10 + 10 + 1 + 1);
	assert_memory_equal(F.node, nodes, sizeof(nodes));
	for (size_t c = 0; c < nm_move_ncounters; c++)
		assert_int_equal(nm_move_counter_get(&fast, &nm_move_counters[c]),
				 nm_move_counter_get(&plain, &nm_move_counters[c]));
	assert_memory_equal(fast.from_node, plain.from_node, sizeof(fast.from_node));
	for (int i = 0; i < 1000; i++)
		if (i < 40 || i >= 50)
			want_already += i % 3 == 1;
	assert_int_equal(fast.already, want_already);
	assert_int_equal(fast.moved, 990 - want_already);
	assert_int_equal(fast.not_present, 10);
	assert_int_equal(fast.retries, 1);
}

/* ---- nm_vmacount: the query's counts per mapping, compact ---------------- */

/* Row V of VC: nodes 0..3, present, not present, error, THP base pages,
 * THPs, max_node. */
static void assert_row(const struct nm_vmacount *vc, size_t v, const int64_t want[10])
{
	struct nm_hist g;

	nm_vmacount_get(vc, v, &g);
	for (int n = 0; n < 4; n++)
		assert_int_equal(g.node[n], want[n]);
	assert_int_equal(g.present, want[4]);
	assert_int_equal(g.not_present, want[5]);
	assert_int_equal(g.error, want[6]);
	assert_int_equal(g.thp_pages, want[7]);
	assert_int_equal(g.thp, want[8]);
	assert_int_equal(g.max_node, want[9]);
}

static void test_vmacount_rows(void **state)
{
	struct nm_vmacount vc;
	struct nm_hist h = { .node = { [1] = 5 }, .present = 5, .not_present = 7, .error = 1,
			     .thp_pages = 1024, .thp = 2, .max_node = 1 };
	struct nm_hist g = { .node = { [0] = 4 }, .present = 4, .max_node = 0 };
	struct nm_hist far = { .node = { [3] = 11 }, .present = 11, .max_node = 3 };

	assert_int_equal(nm_vmacount_init(&vc, 3, 2), 0);
	assert_int_equal(nm_vmacount_add(&vc, 1, &h), 0);
	assert_int_equal(nm_vmacount_add(&vc, 1, &g), 0);
	assert_int_equal(nm_vmacount_add(&vc, 2, &g), 0);
	assert_int_equal(nm_vmacount_add(&vc, 9, &g), 0);	/* past the rows: ignored */
	assert_row(&vc, 0, (const int64_t[10]){ 0, 0, 0, 0, 0, 0, 0, 0, 0, -1 });
	assert_row(&vc, 1, (const int64_t[10]){ 4, 5, 0, 0, 9, 7, 1, 1024, 2, 1 });
	assert_row(&vc, 2, (const int64_t[10]){ 4, 0, 0, 0, 4, 0, 0, 0, 0, 0 });
	/* a page on a node past the columns widens every row, keeping the rest */
	assert_int_equal(nm_vmacount_add(&vc, 2, &far), 0);
	assert_int_equal(vc.nodes, 4);
	assert_row(&vc, 1, (const int64_t[10]){ 4, 5, 0, 0, 9, 7, 1, 1024, 2, 1 });
	assert_row(&vc, 2, (const int64_t[10]){ 4, 0, 0, 11, 15, 0, 0, 0, 0, 3 });
	nm_vmacount_free(&vc);
}

static void test_drift(void **state)
{
	struct nm_range_list l;
	struct nm_engine_opts o = opts(64);
	struct nm_query_result qr;
	struct nm_drift d;
	uint8_t bm[128 / 8 + 1] = { 0 };

	fake_init(128, 1);
	F.node[0] = 0;		/* never on target */
	l = one_range(0, 128);
	assert_int_equal(nm_engine_query(&SYS, 1, &l, &o, 0, bm, 1, &qr), 0);
	nm_query_result_free(&qr);
	for (int i = 10; i < 20; i++)
		F.node[i] = 0;	/* balancing pulled them back */
	F.node[20] = 2;
	F.node[21] = -ENOENT;	/* unmapped */
	F.node[0] = 1;		/* arrived */
	assert_int_equal(nm_engine_drift(&SYS, 1, &l, &o, 1, bm, &d), 0);
	assert_int_equal(d.on_target_before, 127);
	assert_int_equal(d.left_target, 12);
	assert_int_equal(d.to_node[0], 10);
	assert_int_equal(d.to_node[2], 1);
	assert_int_equal(d.gone, 1);
	assert_int_equal(d.arrived, 1);
}

/* Pages whose pagemap exclusive bit is clear are counted as shared, except
 * those already on the node being asked about, across batches and jobs. */
static void test_query_counts_shared(void **state)
{
	struct nm_range_list l;
	struct nm_engine_opts o = opts(16);
	struct nm_query_result qr;

	fake_init(100, 0);
	for (int i = 30; i < 50; i++)
		F.shared[i] = true;
	F.node[31] = 1;			/* shared but on the target already */
	F.node[40] = -ENOENT;		/* not present: not counted */
	F.shared[90] = true;
	l = one_range(0, 100);
	o.jobs = 3;
	assert_int_equal(nm_engine_query(&SYS, 1, &l, &o, 0, NULL, 1, &qr), 0);
	assert_true(qr.pagemap_ok);
	assert_int_equal(qr.shared, 19);
	assert_int_equal(qr.shared_example, BASE + 30 * PS);
	nm_query_result_free(&qr);
	/* without a node (-1), every present shared page counts */
	assert_int_equal(nm_engine_query(&SYS, 1, &l, &o, 0, NULL, -1, &qr), 0);
	assert_int_equal(qr.shared, 20);
	nm_query_result_free(&qr);
}

/* A pinned page makes every call stop without writing any status, though
 * the kernel moved the others: the engine must ask where they are instead
 * of counting them all as unprocessed (seen on 6.12 with vmsplice). */
static void test_pinned_page_settled_by_query(void **state)
{
	struct nm_range_list l;
	struct nm_engine_opts o = opts(64);
	struct nm_move_request req = { .target_node = 1 };
	struct nm_move_result r;

	fake_init(64, 0);
	F.pinned[3] = true;
	F.pinned[40] = true;
	l = one_range(0, 64);
	assert_int_equal(nm_engine_move(&SYS, 1, &l, &o, &req, &r), 0);
	assert_int_equal(r.moved, 62);
	assert_int_equal(r.by_errno[NM_ERR_UNPROCESSED], 2);
	assert_int_equal(r.failed, 2);
	assert_int_equal(r.example[NM_ERR_UNPROCESSED][0], BASE + 3 * PS);
	assert_int_equal(r.example[NM_ERR_UNPROCESSED][1], BASE + 40 * PS);
	assert_sums(&r);
	assert_int_equal(nm_move_exit_code(&r), NM_EXIT_MIGRATE);
}

static void test_parallel_jobs_same_result(void **state)
{
	struct nm_range_list l;
	struct nm_engine_opts o = opts(8);
	struct nm_move_request q = { .target_node = 1, .dry_run = true };
	struct nm_move_result r;

	/* dry run only reads the fake, so several workers may share it */
	fake_init(4000, 0);
	for (int i = 0; i < 4000; i += 3)
		F.node[i] = 1;
	o.jobs = 4;
	l = one_range(0, 4000);
	assert_int_equal(nm_engine_move(&SYS, 1, &l, &o, &q, &r), 0);
	assert_int_equal(r.examined, 4000);
	assert_int_equal(r.already, 1334);
	assert_int_equal(r.would_move, 2666);
}

static void test_chunks_end_on_pmd_boundary(void **state)
{
	struct nm_range_list l;
	struct nm_engine_opts o = opts(700);	/* not a multiple of 512 */
	struct nm_move_request q = { .target_node = 1 };
	struct nm_move_result r;

	/* a THP at pages 512-1023 must not be split by a chunk boundary */
	fake_init(2048, 0);
	for (int i = 512; i < 1024; i++)
		F.pfn[i] = 0x400000 + (i - 512);
	F.kpf_thp_head = 0x400000;
	l = one_range(0, 2048);
	assert_int_equal(nm_engine_move(&SYS, 1, &l, &o, &q, &r), 0);
	assert_int_equal(r.huge_examined, 1);
	assert_int_equal(r.huge_moved, 1);
	assert_int_equal(r.moved, 2048);
	assert_true(F.max_count <= 700);
}

/* ---- one job's prefetch: the fake behind a lock, shared by two threads -- */

static pthread_mutex_t LK = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t LK_CV = PTHREAD_COND_INITIALIZER;
static uint64_t lk_first_end;	/* end of the first chunk */
static bool lk_wait_next;	/* the first move waits for the next chunk's read */
static bool lk_next_read;	/* pagemap was read past the first chunk */
static bool lk_next_during_move; /* ... while a move call was in progress */
static bool lk_in_move;
static unsigned long lk_first_count;	/* entries of the first move call */
static int lk_moves;
static uintptr_t lk_call_addr[64];	/* each move call's first address ... */
static unsigned long lk_call_count[64];	/* ... and entries, in call order */

static long locked_move_pages(void *ctx, pid_t pid, unsigned long count, void **pages,
			      const int *nodes, int *status, int flags)
{
	long r;

	pthread_mutex_lock(&LK);
	if (nodes) {
		if (lk_moves < 64) {
			lk_call_addr[lk_moves] = (uintptr_t)pages[0];
			lk_call_count[lk_moves] = count;
		}
		if (!lk_moves++)
			lk_first_count = count;
		lk_in_move = true;
		if (lk_wait_next && lk_moves == 1) {
			struct timespec until;

			clock_gettime(CLOCK_REALTIME, &until);
			until.tv_sec += 5;
			while (!lk_next_read &&
			       pthread_cond_timedwait(&LK_CV, &LK, &until) == 0)
				;
		}
	}
	r = fake_move_pages(ctx, pid, count, pages, nodes, status, flags);
	if (nodes)
		lk_in_move = false;
	pthread_mutex_unlock(&LK);
	return r;
}

static int locked_pagemap(void *ctx, uint64_t addr, size_t n, uint64_t *out)
{
	int r;

	pthread_mutex_lock(&LK);
	r = fake_pagemap(ctx, addr, n, out);
	if (addr >= lk_first_end) {
		lk_next_read = true;
		lk_next_during_move |= lk_in_move;
		pthread_cond_broadcast(&LK_CV);
	}
	pthread_mutex_unlock(&LK);
	return r;
}

static int locked_kpageflags(void *ctx, uint64_t pfn, uint64_t *flags)
{
	int r;

	pthread_mutex_lock(&LK);
	r = fake_kpageflags(ctx, pfn, flags);
	pthread_mutex_unlock(&LK);
	return r;
}

static struct nm_sys LOCKED = {
	locked_move_pages, locked_pagemap, locked_kpageflags, NULL, fake_sleep, &F, NULL, NULL
};

static void lk_reset(uint64_t first_end, bool wait_next)
{
	lk_first_end = first_end;
	lk_wait_next = wait_next;
	lk_next_read = lk_next_during_move = lk_in_move = false;
	lk_first_count = 0;
	lk_moves = 0;
}

/* The fake's mixed address space: some pages there already, some never
 * touched, busy ones, failing ones, a THP. */
static void mixed_space(void)
{
	fake_init(6000, 0);
	for (int i = 0; i < 6000; i += 5)
		F.node[i] = 1;
	for (int i = 3; i < 6000; i += 97)
		F.node[i] = -ENOENT;
	for (int i = 7; i < 6000; i += 301)
		F.busy[i] = 2;
	for (int i = 11; i < 6000; i += 503)
		F.fail[i] = -EACCES;
	for (int i = 2560; i < 3072; i++) {
		F.node[i] = 0;
		F.pfn[i] = 0x400000 + (i - 2560);
	}
	F.kpf_thp_head = 0x400000;
}

/* One job with prefetch moves the same pages with the same outcome as
 * without, and its first call covers only the first (short) chunk. */
static void test_prefetch_same_result(void **state)
{
	struct nm_range_list l;
	struct nm_engine_opts o = opts(2048);
	struct nm_move_request q = { .target_node = 1 };
	struct nm_move_result serial, ahead;

	mixed_space();
	l = one_range(0, 6000);
	assert_int_equal(nm_engine_move(&SYS, 1, &l, &o, &q, &serial), 0);
	mixed_space();
	lk_reset(BASE + 512 * PS, false);
	o.prefetch = true;
	assert_int_equal(nm_engine_move(&LOCKED, 1, &l, &o, &q, &ahead), 0);
	assert_sums(&ahead);
	for (size_t i = 0; i < nm_move_ncounters; i++)	/* pages, not calls */
		if (strcmp(nm_move_counters[i].key, "move_pages_calls") &&
		    strcmp(nm_move_counters[i].key, "retries") &&
		    strcmp(nm_move_counters[i].key, "early_stops"))
			assert_int_equal(nm_move_counter_get(&ahead, &nm_move_counters[i]),
					 nm_move_counter_get(&serial, &nm_move_counters[i]));
	for (int n = 0; n < NM_MAX_NODES; n++)
		assert_int_equal(ahead.from_node[n], serial.from_node[n]);
	assert_int_equal(ahead.huge_moved, 1);
	assert_true(ahead.moved > 4000 && ahead.failed > 0 && ahead.already > 1000);
	/* 2048 / 16 is less than a PMD: the first chunk is 512 pages */
	assert_true(lk_first_count > 0 && lk_first_count <= 512);
	assert_true(F.max_count <= 2048);
	assert_false(F.unsorted);
}

/* Several jobs take chunks that shrink toward the end, each at most the
 * jobs' share of what is left and no less than a sixteenth of a batch (at
 * least a PMD), so no job is left with a whole batch while the others
 * idle. By address the chunks are 2048 (left 8192, share 4096), 2048
 * (3072), 2048 (2048), 1024, 512, 512 (share 256: the floor); whole
 * batches to the end were 4 x 2048. */
static void test_jobs_chunks_shrink_to_the_end(void **state)
{
	struct nm_range_list l;
	struct nm_engine_opts o = opts(2048);
	struct nm_move_request q = { .target_node = 1 };
	struct nm_move_result r;
	const unsigned long want[] = { 2048, 2048, 2048, 1024, 512, 512 };
	static unsigned long at_page[8192];	/* entries of the call starting there */
	size_t p = 0, k = 0;

	fake_init(8192, 0);
	o.jobs = 2;
	lk_reset(UINT64_MAX, false);
	l = one_range(0, 8192);
	assert_int_equal(nm_engine_move(&LOCKED, 1, &l, &o, &q, &r), 0);
	assert_int_equal(r.moved, 8192);
	assert_int_equal(lk_moves, 6);
	memset(at_page, 0, sizeof(at_page));
	for (int i = 0; i < lk_moves; i++)
		at_page[(lk_call_addr[i] - BASE) / PS] = lk_call_count[i];
	/* in address order, each call starting where the last one ended */
	for (; p < 8192; p += at_page[p], k++) {
		assert_true(k < 6);
		assert_int_equal(at_page[p], want[k]);
	}
	assert_int_equal(k, 6);
	assert_false(F.unsorted);
}

/* The next chunk's pagemap is read while the first call is still in the
 * kernel: the first move waits (up to 5 s) for that read, which a worker
 * that queries only after its call never does. */
static void test_prefetch_overlaps_call(void **state)
{
	struct nm_range_list l;
	struct nm_engine_opts o = opts(4096);
	struct nm_move_request q = { .target_node = 1 };
	struct nm_move_result r;

	fake_init(8192, 0);
	o.prefetch = true;
	lk_reset(BASE + 512 * PS, true);
	l = one_range(0, 8192);
	assert_int_equal(nm_engine_move(&LOCKED, 1, &l, &o, &q, &r), 0);
	assert_true(lk_next_during_move);
	assert_int_equal(lk_first_count, 512);
	assert_int_equal(r.moved, 8192);
	assert_int_equal(lk_moves, 3);	/* 512, then 4096 and 3584 */
}

/* A stop signal (opts.stop) ends the move at the next batch with -EINTR and
 * the counts so far, and the exit code of a move that did not complete. */
static int stop_after_3_moves(void)
{
	return F.move_calls >= 3 ? 2 : 0;
}

static void test_stop_ends_move_with_eintr(void **state)
{
	struct nm_range_list l;
	struct nm_engine_opts o = opts(10);
	struct nm_move_request q = { .target_node = 1 };
	struct nm_move_result r;

	fake_init(100, 0);
	o.stop = stop_after_3_moves;
	l = one_range(0, 100);
	assert_int_equal(nm_engine_move(&SYS, 1, &l, &o, &q, &r), -EINTR);
	assert_int_equal(r.fatal, -EINTR);
	assert_int_equal(r.moved, 30);
	assert_int_equal(r.examined, 30);
	assert_int_equal(r.fatal_after_pages, 30);
	assert_sums(&r);
	assert_int_equal(nm_move_exit_code(&r), NM_EXIT_MIGRATE);
}

/* nm_move_result_add sums every counter of engine.h's table (each field
 * once: the table has no duplicate and misses none of the struct's page
 * counters that the report shows). */
static void test_result_add_every_counter(void **state)
{
	struct nm_move_result d, s;

	memset(&d, 0, sizeof(d));
	memset(&s, 0, sizeof(s));
	for (size_t i = 0; i < nm_move_ncounters; i++) {
		uint64_t a = 10 + i, b = 1000 * (i + 1);

		memcpy((char *)&d + nm_move_counters[i].offset, &a, sizeof(a));
		memcpy((char *)&s + nm_move_counters[i].offset, &b, sizeof(b));
		for (size_t k = 0; k < i; k++)
			assert_int_not_equal(nm_move_counters[k].offset, nm_move_counters[i].offset);
	}
	nm_move_result_add(&d, &s);
	for (size_t i = 0; i < nm_move_ncounters; i++)
		assert_int_equal(nm_move_counter_get(&d, &nm_move_counters[i]),
				 10 + i + 1000 * (i + 1));
	assert_int_equal(nm_move_counter_get(&d, &nm_move_counters[0]), d.examined + 0);
	assert_string_equal(nm_move_counters[0].key, "pages");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_move_basic),
		cmocka_unit_test(test_batches_never_exceed_batch),
		cmocka_unit_test(test_early_stop_is_retried),
		cmocka_unit_test(test_query_early_stop_is_resumed),
		cmocka_unit_test(test_query_requeries_pages_in_flight),
		cmocka_unit_test(test_busy_retried_with_backoff),
		cmocka_unit_test(test_errno_classes),
		cmocka_unit_test(test_enomem_whole_call),
		cmocka_unit_test(test_from_node_filter),
		cmocka_unit_test(test_dry_run_moves_nothing),
		cmocka_unit_test(test_process_exits_mid_move),
		cmocka_unit_test(test_exit_seen_as_einval_first),
		cmocka_unit_test(test_einval_from_live_target_kept),
		cmocka_unit_test(test_thp_one_address),
		cmocka_unit_test(test_query_histogram_and_thp),
		cmocka_unit_test(test_query_counts_shared),
		cmocka_unit_test(test_pinned_page_settled_by_query),
		cmocka_unit_test(test_drift),
		cmocka_unit_test(test_vmacount_rows),
		cmocka_unit_test(test_query_nodes_from_pfns),
		cmocka_unit_test(test_move_nodes_from_pfns),
		cmocka_unit_test(test_small_pieces_share_calls),
		cmocka_unit_test(test_small_pieces_move),
		cmocka_unit_test(test_parallel_jobs_same_result),
		cmocka_unit_test(test_jobs_chunks_shrink_to_the_end),
		cmocka_unit_test(test_chunks_end_on_pmd_boundary),
		cmocka_unit_test(test_result_add_every_counter),
		cmocka_unit_test(test_stop_ends_move_with_eintr),
		cmocka_unit_test(test_prefetch_same_result),
		cmocka_unit_test(test_prefetch_overlaps_call),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
