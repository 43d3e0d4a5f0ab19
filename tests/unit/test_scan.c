// SPDX-License-Identifier: GPL-2.0
/*
 * numa-migrate scan on recorded /proc data (fixtures/scan-t0 and scan-t1:
 * the same five processes one second apart at HZ 100, on three nodes: 0
 * with CPUs 0-1, 1 with CPUs 2-3, 2 memory-only), and its pure parts: the
 * stat parser, CPU accounting per node, the verdict and the ranking.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>
#include "testutil.h"
#include "diagread.h"
#include "numaseq.h"
#include "procscan.h"
#include "scan.h"
#include "scanreport.h"
#include "autoset.h"
#include "scanset.h"

#define MIB (1ULL << 20)

static const char *fixture(const char *name, char *buf, size_t len)
{
	return nm_test_fixtures(buf, len, name);
}

static void test_parse_stat(void **state)
{
	uint64_t ticks;
	int cpu;
	char st = '?';

	/* a comm with spaces and parentheses: fields count from the last ')' */
	assert_int_equal(nm_scan_parse_stat("300 (my (weird) R comm) S 1 300 300 0 -1 4194560 100 "
					    "0 0 0 130 7 0 0 20 0 2 0 1000 100000000 2000 "
					    "18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 3 0 0 "
					    "0 0 0\n", &ticks, &cpu, &st), 0);
	assert_int_equal(ticks, 137);
	assert_int_equal(cpu, 3);
	assert_int_equal(st, 'S');
	/* cut short before the processor field */
	assert_int_equal(nm_scan_parse_stat("1 (x) S 1 1 1 0 -1 0 0 0 0 0 5 5 0 0 20 0 1", &ticks,
					    &cpu, NULL), -EINVAL);
	/* a number with trailing junk */
	assert_int_equal(nm_scan_parse_stat("1 (x) S 1 1 1 0 -1 0 0 0 0 0 5x 5 0 0 20 0 1 0 1 1 "
					    "1 1 1 1 0 0 0 0 0 0 0 0 0 0 17 0", &ticks, &cpu, NULL),
			 -EINVAL);
	assert_int_equal(nm_scan_parse_stat("no parenthesis", &ticks, &cpu, NULL), -EINVAL);
}

static cpu_set_t cpus_of(const char *list)
{
	cpu_set_t s;

	CPU_ZERO(&s);
	for (const char *c = list; *c; c++)
		if (*c >= '0' && *c <= '9')
			CPU_SET(*c - '0', &s);
	return s;
}

static void test_cpuset_format(void **state)
{
	cpu_set_t s = cpus_of("0123589");
	char buf[32], small[6];

	(void)state;
	assert_string_equal(nm_cpuset_format(&s, buf, sizeof(buf)), "0-3,5,8-9");
	CPU_ZERO(&s);
	assert_string_equal(nm_cpuset_format(&s, buf, sizeof(buf)), "");
	CPU_SET(100, &s);
	CPU_SET(101, &s);
	CPU_SET(1023, &s);
	assert_string_equal(nm_cpuset_format(&s, buf, sizeof(buf)), "100-101,1023");
	/* too small: cut, marked, terminated */
	assert_string_equal(nm_cpuset_format(&s, small, sizeof(small)), "10...");
}

/* the threads at work: run since the last sample, or running now */
static void test_scan_active(void **state)
{
	/* 10 ran, 11 ran, 12 did not run, 13 is new and ran, 14 is new and
	 * never ran */
	struct nm_scan_thread a[] = { { 10, 100, 0, 'S' }, { 11, 50, 2, 'S' }, { 12, 7, 0, 'S' } };
	struct nm_scan_thread b[] = { { 10, 130, 1, 'S' }, { 11, 90, 3, 'S' }, { 12, 7, 0, 'R' },
				      { 13, 5, 2, 'S' }, { 14, 0, 5, 'R' } };
	struct nm_scan_sample prev = { a, 3, 3 }, cur = { b, 5, 5 };
	pid_t tids[5];

	(void)state;
	assert_int_equal(nm_scan_active(&prev, &cur, tids), 3);
	assert_int_equal(tids[0], 10);
	assert_int_equal(tids[1], 11);
	assert_int_equal(tids[2], 13);
	/* one sample (move): those running or runnable now */
	assert_int_equal(nm_scan_active(NULL, &cur, tids), 2);
	assert_int_equal(tids[0], 12);
	assert_int_equal(tids[1], 14);
	/* nothing ran */
	b[0].ticks = 100;
	b[1].ticks = 50;
	b[3].ticks = 0;
	assert_int_equal(nm_scan_active(&prev, &cur, tids), 0);
}

/* the mover's CPUs: its own less those the threads may run on */
static void test_cpus_left(void **state)
{
	cpu_set_t mine = cpus_of("0123"), theirs = cpus_of("13"), out, want = cpus_of("02");

	(void)state;
	assert_int_equal(nm_cpus_left(&mine, &theirs, &out), 2);
	assert_true(CPU_EQUAL(&out, &want));
	/* theirs beyond mine change nothing */
	theirs = cpus_of("1235");
	want = cpus_of("0");
	assert_int_equal(nm_cpus_left(&mine, &theirs, &out), 1);
	assert_true(CPU_EQUAL(&out, &want));
	/* they may run everywhere the mover may: no restriction */
	theirs = cpus_of("0123");
	assert_int_equal(nm_cpus_left(&mine, &theirs, &out), 0);
	assert_true(CPU_EQUAL(&out, &mine));
	/* nothing of theirs: nothing to keep clear of */
	CPU_ZERO(&theirs);
	assert_int_equal(nm_cpus_left(&mine, &theirs, &out), 0);
	assert_true(CPU_EQUAL(&out, &mine));
}

static void test_account_merge(void **state)
{
	/* 13 starts before 14, which has not run since: the merge stands on
	 * 14 when it meets 13, a thread on 13's node */
	struct nm_scan_thread a[] = { { 10, 100, 0, 'S' }, { 11, 50, 2, 'S' }, { 12, 7, 0, 'S' },
				      { 14, 7, 2, 'S' } };
	struct nm_scan_thread b[] = { { 10, 130, 1, 'S' }, { 11, 90, 3, 'S' }, { 13, 5, 3, 'S' },
				      { 14, 7, 2, 'S' } };
	struct nm_scan_sample prev = { a, 4, 4 }, cur = { b, 4, 4 };
	int16_t cpu_node[4] = { 0, 0, 1, 1 };
	/* thread 10's CPU at the second sample; steady or not; node 0, node 1 */
	const struct { int cpu10; bool steady; double n0, n1; } c[] = {
		/* 10: +30 on cpu 1 (node 0); 11: +40 on cpu 3; 13 new: 5 on
		 * cpu 3; 12 exited: nothing */
		{ 1, false, 0.30, 0.45 },
		/* auto's reading: on a node only the time of a thread that was
		 * there at both samples (10 on node 0, 11 on node 1); 13 started
		 * in between and counts in the total only */
		{ 1, true, 0.30, 0.40 },
		{ 3, true, 0, 0.40 },		/* 10 moved to node 1 */
		{ 99, false, 0, 0.45 },		/* a CPU past the map: on no node */
	};

	for (size_t k = 0; k < sizeof(c) / sizeof(c[0]); k++) {
		double by[NM_MAX_NODES] = { 0 }, total;

		b[0].cpu = c[k].cpu10;
		total = c[k].steady ? nm_scan_account_steady(&prev, &cur, cpu_node, 4, 100, by)
				    : nm_scan_account(&prev, &cur, cpu_node, 4, 100, by);
		assert_float_equal(total, 0.75, 1e-9);	/* every thread's time */
		assert_float_equal(by[0], c[k].n0, 1e-9);
		assert_float_equal(by[1], c[k].n1, 1e-9);
	}
}

static void test_judge(void **state)
{
	struct nm_scan_proc p = { .pid = 7 };
	char buf[96];

	p.bytes_by_node[0] = 256 * MIB;
	p.cpu_s_by_node[1] = 1.0;
	p.cpu_s = 1.0;
	nm_scan_judge(&p, 90);
	assert_int_equal(p.remote_bytes, 256 * MIB);
	assert_int_equal(p.fix, NM_SCAN_FIX_MOVE);
	assert_string_equal(nm_scan_fix_cmd(&p, buf, sizeof(buf)),
			    "numa-migrate move --pid 7 --to-node 1");
	/* CPU time split 60/40 with memory on a third node: auto */
	p.cpu_s_by_node[0] = 1.5;
	p.cpu_s = 2.5;
	p.bytes_by_node[0] = 0;
	p.bytes_by_node[2] = 10 * MIB;
	nm_scan_judge(&p, 90);
	assert_int_equal(p.remote_bytes, 10 * MIB);
	assert_int_equal(p.fix, NM_SCAN_FIX_AUTO);
	assert_string_equal(nm_scan_fix_cmd(&p, buf, sizeof(buf)), "numa-migrate auto --pid 7");
	/* no CPU time: no verdict */
	memset(p.cpu_s_by_node, 0, sizeof(p.cpu_s_by_node));
	p.cpu_s = 0;
	nm_scan_judge(&p, 90);
	assert_int_equal(p.fix, NM_SCAN_FIX_IDLE);
	assert_string_equal(nm_scan_fix_cmd(&p, buf, sizeof(buf)), "");
}

static void test_rank(void **state)
{
	struct nm_scan_proc p[4] = {
		{ .pid = 1, .remote_bytes = 0, .bytes = 900, .locality = -1 },
		{ .pid = 2, .remote_bytes = 500, .bytes = 600, .locality = 80 },
		{ .pid = 3, .remote_bytes = 500, .bytes = 700, .locality = 20 },
		{ .pid = 4, .remote_bytes = 100, .bytes = 100, .locality = 50 },
	};
	enum nm_scan_sort k;

	nm_scan_rank(p, 4, NM_SCAN_SORT_REMOTE);
	/* most remote first; a tie goes to the larger process */
	assert_int_equal(p[0].pid, 3);
	assert_int_equal(p[1].pid, 2);
	assert_int_equal(p[2].pid, 4);
	assert_int_equal(p[3].pid, 1);
	assert_int_equal(nm_scan_sort_parse("locality", &k), 0);
	nm_scan_rank(p, 4, k);
	/* least local first, unmeasured last */
	assert_int_equal(p[0].pid, 3);
	assert_int_equal(p[1].pid, 4);
	assert_int_equal(p[2].pid, 2);
	assert_int_equal(p[3].pid, 1);
	assert_int_equal(nm_scan_sort_parse("rss", &k), 0);
	nm_scan_rank(p, 4, k);
	assert_int_equal(p[0].pid, 1);
	assert_int_equal(nm_scan_sort_parse("remote ", &k), -EINVAL);
}

static void test_cgroup_under(void **state)
{
	assert_true(nm_cgroup_under("/system.slice/db.service", "/system.slice"));
	assert_true(nm_cgroup_under("/system.slice", "/system.slice/"));
	assert_false(nm_cgroup_under("/system.slice2/x", "/system.slice"));
	assert_true(nm_cgroup_under("/a", "/"));
}

static const struct nm_scan_proc *find(const struct nm_scanset *s, pid_t pid)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->p[i].pid == pid)
			return &s->p[i];
	return NULL;
}

/* The command's flow: collect at t0, sample at t1, finish. */
static void scan_fixture(struct nm_scanset *s, struct nm_cpu_nodes *cpus, const char *cgroup)
{
	static char t0[512], t1[512];

	fixture("scan-t0", t0, sizeof(t0));
	fixture("scan-t1", t1, sizeof(t1));
	assert_int_equal(nm_cpu_nodes_read(t0, cpus), 0);
	*s = (struct nm_scanset){ .root = t0, .min_size = 64 * MIB, .cgroup = cgroup,
				  .sort = NM_SCAN_SORT_REMOTE, .fix_share = 90, .self = 1,
				  .hz = 100, .page_size = 4096, .cpus = cpus };
	assert_int_equal(nm_scanset_collect(s), 0);
	s->root = t1;
	nm_scanset_sample(s);
	nm_scanset_finish(s);
}

static void test_scan_recorded(void **state)
{
	struct nm_cpu_nodes cpus;
	struct nm_scanset s;
	const struct nm_scan_proc *db, *web, *weird, *idle;

	scan_fixture(&s, &cpus, NULL);
	assert_int_equal(s.examined, 6);
	assert_int_equal(s.below_min, 2);	/* "small": 400 KiB, and kernel thread 2 */
	assert_int_equal(s.n, 4);
	assert_int_equal(s.nskip, 0);
	/* ranked: db (256 MiB remote), weird (20 MiB on the memory-only node),
	 * then the two with nothing remote, larger first */
	assert_int_equal(s.p[0].pid, 100);
	assert_int_equal(s.p[1].pid, 300);
	db = find(&s, 100);
	assert_string_equal(db->comm, "db");
	assert_string_equal(db->cgroup, "/system.slice/db.service");
	/* 80 + 60 ticks of the two old threads and 5 of the new one, all on
	 * CPUs 2-3; the thread that exited adds nothing */
	assert_float_equal(db->cpu_s, 1.45, 1e-9);
	assert_float_equal(db->cpu_s_by_node[1], 1.45, 1e-9);
	assert_int_equal(db->bytes_by_node[0], 256 * MIB);
	assert_int_equal(db->remote_bytes, 256 * MIB);
	assert_int_equal(db->fix, NM_SCAN_FIX_MOVE);
	assert_int_equal(db->fix_node, 1);
	weird = find(&s, 300);
	assert_string_equal(weird->comm, "my (weird) comm");
	assert_float_equal(weird->cpu_s_by_node[0], 0.30, 1e-9);
	assert_float_equal(weird->cpu_s_by_node[1], 0.20, 1e-9);
	/* hugetlb: N2=10 pages of 2 MiB */
	assert_int_equal(weird->bytes_by_node[2], 20 * MIB);
	assert_int_equal(weird->bytes, 120 * MIB);
	assert_int_equal(weird->remote_bytes, 20 * MIB);
	assert_int_equal(weird->fix, NM_SCAN_FIX_AUTO);
	web = find(&s, 200);
	assert_int_equal(web->remote_bytes, 0);
	assert_int_equal(web->fix, NM_SCAN_FIX_NONE);
	idle = find(&s, 400);
	assert_int_equal(idle->fix, NM_SCAN_FIX_IDLE);
	nm_scanset_free(&s);
}

/* With a memo (auto --all), the kernel thread is settled at once as having
 * no address space, and the small process starts its streak. */
static void test_scan_memo_kernel_thread(void **state)
{
	struct nm_cpu_nodes cpus;
	struct nm_smallmemo m = { .period = 5, .nomm_period = 60 };
	struct nm_scanset s;
	static char t0[512];

	(void)state;
	fixture("scan-t0", t0, sizeof(t0));
	assert_int_equal(nm_cpu_nodes_read(t0, &cpus), 0);
	s = (struct nm_scanset){ .root = t0, .min_size = 64 * MIB, .self = 1, .hz = 100,
				 .page_size = 4096, .cpus = &cpus, .memo = &m,
				 .no_cpu_sample = true };
	assert_int_equal(nm_scanset_collect(&s), 0);
	assert_int_equal(m.n, 2);
	assert_int_equal(m.pid[0], 2);
	assert_int_equal(m.streak[0], NM_MEMO_NOMM);
	assert_int_equal(m.pid[1], 500);
	assert_int_equal(m.streak[1], 1);
	assert_int_equal(s.n, 4);
	nm_scanset_free(&s);
	nm_smallmemo_free(&m);
}

/* --exclude (auto --all): excluded pids are counted but not read. */
static void test_scan_exclude_not_read(void **state)
{
	struct nm_cpu_nodes cpus;
	struct nm_scanset s;
	static char t0[512];
	static const pid_t ex[] = { 100, 300 };

	(void)state;
	fixture("scan-t0", t0, sizeof(t0));
	assert_int_equal(nm_cpu_nodes_read(t0, &cpus), 0);
	s = (struct nm_scanset){ .root = t0, .min_size = 64 * MIB, .self = 1, .hz = 100,
				 .page_size = 4096, .cpus = &cpus, .exclude = ex, .nexclude = 2,
				 .no_cpu_sample = true };
	assert_int_equal(nm_scanset_collect(&s), 0);
	assert_int_equal(s.examined, 6);
	assert_int_equal(s.n, 2);
	assert_null(find(&s, 100));
	assert_null(find(&s, 300));
	assert_non_null(find(&s, 200));
	nm_scanset_free(&s);
}

static void test_scan_cgroup_filter(void **state)
{
	struct nm_cpu_nodes cpus;
	struct nm_scanset s;

	scan_fixture(&s, &cpus, "/system.slice/db.service");
	/* db and the idle one below it; web, weird outside; small below --min-size */
	assert_int_equal(s.n, 2);
	assert_int_equal(s.outside, 2);
	assert_non_null(find(&s, 100));
	assert_non_null(find(&s, 400));
	nm_scanset_free(&s);
}

static void test_scan_reports(void **state)
{
	struct nm_cpu_nodes cpus;
	struct nm_scanset s;
	struct nm_scan_report r;
	struct json_object *o, *procs, *p0, *v;
	struct capture c;
	char *out, *err;

	scan_fixture(&s, &cpus, NULL);
	r = (struct nm_scan_report){ .p = s.p, .n = s.n, .examined = s.examined,
				     .mem_nodes = { 0x7 }, .window_s = 1, .min_size = 64 * MIB,
				     .sort = "remote", .top = 1 };
	o = nm_scan_json(&r);
	assert_true(json_object_object_get_ex(o, "processes", &procs));
	assert_int_equal(json_object_array_length(procs), 4);
	p0 = json_object_array_get_idx(procs, 0);
	assert_true(json_object_object_get_ex(p0, "remote_bytes", &v));
	assert_int_equal(json_object_get_uint64(v), 256 * MIB);
	assert_true(json_object_object_get_ex(p0, "fix", &v));
	assert_string_equal(json_object_get_string(v), "numa-migrate move --pid 100 --to-node 1");
	assert_true(json_object_object_get_ex(p0, "locality", &v));
	assert_null(v);
	json_object_put(o);

	/* metrics: labels for the top 1 only; node totals for all */
	capture_begin(&c);
	assert_int_equal(nm_scan_metrics(stdout, &r), 0);
	capture_end(&c, &out, &err);
	assert_line(out, "numa_migrate_scan_remote_bytes{pid=\"100\",comm=\"db\"} 268435456");
	assert_null(strstr(out, "pid=\"300\""));
	/* node 0: db 256 MiB + web 128 MiB + weird 100 MiB = 484 MiB */
	assert_line(out, "numa_migrate_scan_node_bytes{node=\"0\"} 507510784");
	assert_line(out, "numa_migrate_scan_node_remote_bytes{node=\"2\"} 20971520");
	assert_line(out, "numa_migrate_scan_labelled_processes 1");
	free(out);
	free(err);
	nm_scanset_free(&s);
}

/* mm->numa_scan_seq from /proc/PID/sched (6.1's format), or why not */
static void test_numa_scan_seq(void **state)
{
	char root[512];
	long seq = -1;

	fixture("numaseq", root, sizeof(root));
	assert_int_equal(nm_numa_scan_seq(root, 700, &seq), 0);
	assert_int_equal(seq, 2);
	assert_int_equal(nm_numa_scan_seq(root, 701, &seq), -ENOENT);
	assert_int_equal(nm_numa_scan_seq(root, 702, &seq), -ESRCH);
}

/* A process with no locality although measured says why, from the scan
 * sequence at the window's ends; one with a locality, or every process when
 * the whole report has none (its locality_why), says nothing. */
static void test_locality_why(void **state)
{
	struct nm_scan_proc p[4] = {
		{ .pid = 1, .locality = -1, .scan_seq = { 5, 5 } },
		{ .pid = 2, .locality = -1, .scan_seq = { 5, 7 } },
		{ .pid = 3, .locality = -1, .scan_seq = { -1, -1 } },
		{ .pid = 4, .locality = 90, .samples = 10, .scan_seq = { -1, -1 } },
	};
	static const char *const want[4] = {
		"the kernel completed no NUMA scan pass over it (mm->numa_scan_seq stayed at 5)",
		"although the kernel scanned it (mm->numa_scan_seq 5 -> 7)",
		"mm->numa_scan_seq unreadable in /proc/3/sched", NULL,
	};
	struct nm_scan_report r = { .p = p, .n = 4, .mem_nodes = { 0x3 }, .window_s = 3,
				    .min_size = 64 * MIB, .sort = "remote" };
	struct json_object *o, *procs, *v;
	struct capture c;
	char *out, *err;

	o = nm_scan_json(&r);
	assert_true(json_object_object_get_ex(o, "processes", &procs));
	for (size_t i = 0; i < 4; i++) {
		assert_true(json_object_object_get_ex(json_object_array_get_idx(procs, i),
						      "locality_why", &v));
		if (!want[i]) {
			assert_null(v);
			continue;
		}
		assert_non_null(strstr(json_object_get_string(v), want[i]));
		assert_non_null(strstr(json_object_get_string(v), "no hinting fault in the 3.0 s window"));
	}
	json_object_put(o);
	capture_begin(&c);
	nm_scan_text(stdout, &r, false);
	capture_end(&c, &out, &err);
	assert_non_null(strstr(out, "locality of pid 1 not measured: no hinting fault"));
	assert_null(strstr(out, "locality of pid 4"));
	free(out);
	free(err);

	r.locality_why = "kernel.numa_balancing is 0";
	o = nm_scan_json(&r);
	assert_true(json_object_object_get_ex(o, "processes", &procs));
	for (size_t i = 0; i < 4; i++) {
		assert_true(json_object_object_get_ex(json_object_array_get_idx(procs, i),
						      "locality_why", &v));
		assert_null(v);
	}
	json_object_put(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_stat),
		cmocka_unit_test(test_account_merge),
		cmocka_unit_test(test_scan_active),
		cmocka_unit_test(test_cpus_left),
		cmocka_unit_test(test_cpuset_format),
		cmocka_unit_test(test_judge),
		cmocka_unit_test(test_rank),
		cmocka_unit_test(test_cgroup_under),
		cmocka_unit_test(test_scan_recorded),
		cmocka_unit_test(test_scan_memo_kernel_thread),
		cmocka_unit_test(test_scan_exclude_not_read),
		cmocka_unit_test(test_scan_cgroup_filter),
		cmocka_unit_test(test_scan_reports),
		cmocka_unit_test(test_numa_scan_seq),
		cmocka_unit_test(test_locality_why),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
