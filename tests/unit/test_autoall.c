// SPDX-License-Identifier: GPL-2.0
/* auto --all's pure parts and the per-pid lock (issue #13 points 2 and 3):
 * the lock on a temporary directory, who joins and leaves the managed set
 * over recorded rescans, --exclude, the fair share of one --max-rate, and
 * the report's shape. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include "testutil.h"
#include "autoallreport.h"
#include "autoset.h"
#include "pidlock.h"

static char dir[64];

static int setup_dir(void **state)
{
	snprintf(dir, sizeof(dir), "/tmp/nm-lock-XXXXXX");
	assert_non_null(mkdtemp(dir));
	strcat(dir, "/run");	/* not there yet: take creates it */
	return 0;
}

static int remove_dir(void **state)
{
	char cmd[128];

	*strrchr(dir, '/') = '\0';
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd);
}

static void test_lock_second_refused_with_holder(void **state)
{
	struct nm_pidlock_holder h;
	char path[128], buf[64], self[64], fmt[400];
	int fd1, fd2;
	struct stat st;
	FILE *f;

	assert_int_equal(nm_pidlock_take("", dir, 4242, &fd1, &h), 0);
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	snprintf(path, sizeof(path), "%s/pid-4242.lock", dir);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(buf, sizeof(buf), f));
	fclose(f);
	snprintf(self, sizeof(self), "%d ", (int)getpid());
	assert_int_equal(strncmp(buf, self, strlen(self)), 0);
	/* another open file description: flock refuses it even in this process */
	assert_int_equal(nm_pidlock_take("", dir, 4242, &fd2, &h), -EWOULDBLOCK);
	assert_int_equal(fd2, -1);
	assert_int_equal(h.pid, getpid());
	assert_true(h.alive);
	assert_non_null(strstr(h.cmdline, "test_autoall"));
	nm_pidlock_holder_fmt(&h, fmt, sizeof(fmt));
	snprintf(buf, sizeof(buf), "pid %d (", (int)getpid());
	assert_int_equal(strncmp(fmt, buf, strlen(buf)), 0);
	/* another pid is another lock */
	assert_int_equal(nm_pidlock_take("", dir, 4243, &fd2, &h), 0);
	nm_pidlock_release(dir, 4243, fd2);
	/* released: the file is gone and the lock free */
	nm_pidlock_release(dir, 4242, fd1);
	assert_int_not_equal(access(path, F_OK), 0);
	assert_int_equal(nm_pidlock_take("", dir, 4242, &fd1, &h), 0);
	nm_pidlock_release(dir, 4242, fd1);
}

static void test_lock_stale_file_is_free(void **state)
{
	struct nm_pidlock_holder h;
	char path[128];
	int fd;
	FILE *f;

	assert_int_equal(nm_pidlock_take("", dir, 7, &fd, &h), 0);
	nm_pidlock_release(dir, 7, fd);
	/* what a crashed auto leaves: a file naming a dead holder, no flock */
	snprintf(path, sizeof(path), "%s/pid-7.lock", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "999999999 12345\n");
	fclose(f);
	assert_int_equal(nm_pidlock_take("", dir, 7, &fd, &h), 0);
	nm_pidlock_release(dir, 7, fd);
}

static void test_lock_refuses_symlinks(void **state)
{
	struct nm_pidlock_holder h;
	char path[128], link[128];
	int fd;

	assert_int_equal(nm_pidlock_take("", dir, 8, &fd, &h), 0);
	nm_pidlock_release(dir, 8, fd);
	/* a symlink where the lock file goes (O_NOFOLLOW) */
	snprintf(path, sizeof(path), "%s/pid-9.lock", dir);
	assert_int_equal(symlink("/etc/passwd", path), 0);
	assert_int_equal(nm_pidlock_take("", dir, 9, &fd, &h), -ELOOP);
	unlink(path);
	/* a symlink as the directory */
	snprintf(link, sizeof(link), "%s.link", dir);
	assert_int_equal(symlink(dir, link), 0);
	assert_int_equal(nm_pidlock_take("", link, 9, &fd, &h), -ELOOP);
	unlink(link);
	/* a directory others can write to */
	assert_int_equal(chmod(dir, 0777), 0);
	assert_int_equal(nm_pidlock_take("", dir, 9, &fd, &h), -EPERM);
	assert_int_equal(chmod(dir, 0700), 0);
}

static void test_pidlist_parse(void **state)
{
	pid_t *p;
	size_t n;

	assert_int_equal(nm_pidlist_parse("30,4,30,12", &p, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(p[0], 4);
	assert_int_equal(p[1], 12);
	assert_int_equal(p[2], 30);
	assert_true(nm_pidlist_has(p, n, 12));
	assert_false(nm_pidlist_has(p, n, 13));
	free(p);
	assert_int_equal(nm_pidlist_parse(NULL, &p, &n), 0);
	assert_int_equal(n, 0);
	assert_false(nm_pidlist_has(p, n, 4));
	assert_int_equal(nm_pidlist_parse("4,x", &p, &n), -EINVAL);
	assert_int_equal(nm_pidlist_parse(",", &p, &n), -EINVAL);
	assert_int_equal(nm_pidlist_parse("0", &p, &n), -EINVAL);
}

/* Rescans recorded one after another: the managed set follows them. */
static void test_rescans_join_and_leave(void **state)
{
	static const pid_t scans[][6] = {
		{ 10, 20, 30, 0 },		/* start: three processes */
		{ 10, 20, 30, 40, 0 },		/* 40 started after auto */
		{ 10, 30, 40, 0 },		/* 20 exited */
		{ 5, 10, 30, 40, 50, 0 },	/* two more, one slot of four left */
		{ 0 },				/* everything exited */
	};
	static const char *want[] = { "+10+20+30", "+40", "-20", "+5w1", "-5-10-30-40" };
	pid_t cur[8], add[8], del[8];
	size_t ncur = 0, nadd, ndel, waiting;

	for (size_t s = 0; s < 5; s++) {
		size_t nseen = 0;
		char got[64] = "";

		while (scans[s][nseen])
			nseen++;
		nm_autoset_diff(cur, ncur, scans[s], nseen, 4 - ncur, add, &nadd, del, &ndel,
				&waiting);
		for (size_t i = 0; i < ndel; i++)
			snprintf(got + strlen(got), sizeof(got) - strlen(got), "-%d", del[i]);
		for (size_t i = 0; i < nadd; i++)
			snprintf(got + strlen(got), sizeof(got) - strlen(got), "+%d", add[i]);
		if (waiting)
			snprintf(got + strlen(got), sizeof(got) - strlen(got), "w%zu", waiting);
		assert_string_equal(got, want[s]);
		/* apply: what the driver does */
		{
			pid_t next[8];
			size_t k = 0;

			for (size_t i = 0; i < ncur; i++)
				if (!nm_pidlist_has(del, ndel, cur[i]))
					next[k++] = cur[i];
			for (size_t i = 0; i < nadd; i++)
				next[k++] = add[i];
			ncur = nm_pidlist_sort(next, k);
			memcpy(cur, next, ncur * sizeof(*cur));
		}
	}
	assert_int_equal(ncur, 0);
}

static void test_share_budget_max_min_fair(void **state)
{
	uint64_t need[4] = { 10, 1000, 100, 1000 }, out[4];
	size_t order[4];

	/* 10 and 100 are served in full, the two big ones split the rest */
	nm_share_budget(need, 4, 1110, out, order);
	assert_int_equal(out[0], 10);
	assert_int_equal(out[2], 100);
	assert_int_equal(out[1], 500);
	assert_int_equal(out[3], 500);
	/* enough for everyone: each gets its need, no more */
	nm_share_budget(need, 4, 1 << 20, out, order);
	assert_int_equal(out[0], 10);
	assert_int_equal(out[1], 1000);
	assert_int_equal(out[2], 100);
	assert_int_equal(out[3], 1000);
	/* less than the smallest need times four: equal parts */
	nm_share_budget(need, 4, 20, out, order);
	assert_int_equal(out[0], 5);
	assert_int_equal(out[1], 5);
	assert_int_equal(out[2], 5);
	assert_int_equal(out[3], 5);
	/* nothing to share; a process wanting nothing gets nothing */
	need[0] = 0;
	nm_share_budget(need, 4, 0, out, order);
	for (int i = 0; i < 4; i++)
		assert_int_equal(out[i], 0);
	nm_share_budget(need, 4, 3000, out, order);
	assert_int_equal(out[0], 0);
	assert_int_equal(out[1] + out[2] + out[3], 2100);
}

static void test_report_shape(void **state)
{
	struct nm_exec_totals ex = { 0 };
	struct nm_policy_opts po;
	struct nm_auto_summary s = { .pid = 77, .comm = "db\x1b", .ended_by = "target_exit",
				     .ex = &ex, .opts = &po, .locality_after = 96.5 };
	struct nm_autoall_rec r;
	const struct nm_autoall_rec *rp[1] = { &r };
	struct nm_autoall_totals t = { .ended_by = "duration", .max_procs = 4096 };
	struct nm_autoall_skip sk = { .pid = 78, .comm = "other", .why = "locked" };
	struct json_object *o, *p, *v;

	nm_policy_opts_default(&po);
	ex.res.moved = 1234;
	nm_autoall_rec_set(&r, &s, "exited");
	ex.res.moved = 1;	/* the record is a copy */
	po.share_pct = -1;	/* so are the options (the policy is freed when it leaves) */
	assert_ptr_not_equal(r.sum.opts, &po);
	assert_true(r.sum.opts->share_pct == 75.0);
	nm_autoall_totals_add(&t, &r.sum);
	assert_int_equal(t.pages_moved, 1234);
	o = nm_autoall_json(rp, 1, &sk, 1, &t);
	assert_true(json_object_object_get_ex(o, "processes", &v));
	assert_int_equal(json_object_array_length(v), 1);
	p = json_object_array_get_idx(v, 0);
	assert_true(json_object_object_get_ex(p, "pid", &v));
	assert_int_equal(json_object_get_int(v), 77);
	assert_true(json_object_object_get_ex(p, "pages_moved", &v));
	assert_int_equal(json_object_get_int64(v), 1234);
	assert_true(json_object_object_get_ex(p, "state", &v));
	assert_string_equal(json_object_get_string(v), "exited");
	assert_true(json_object_object_get_ex(o, "totals", &p));
	assert_true(json_object_object_get_ex(p, "pages_moved", &v));
	assert_int_equal(json_object_get_int64(v), 1234);
	assert_true(json_object_object_get_ex(p, "max_processes", &v));
	assert_int_equal(json_object_get_int(v), 4096);
	assert_true(json_object_object_get_ex(o, "skipped", &v));
	assert_int_equal(json_object_array_length(v), 1);
	json_object_put(o);
}

/* One rescan over ascending PIDS whose sizes are SIZE[i] (small below 10):
 * READS[i] counts the statm reads the memo lets through; returns how many
 * were read this time. */
static size_t memo_rescan(struct nm_smallmemo *m, const pid_t *pids, const int *size,
			  size_t n, unsigned int *reads)
{
	size_t r = 0;

	nm_smallmemo_begin(m);
	for (size_t i = 0; i < n; i++) {
		if (nm_smallmemo_skip(m, pids[i]))
			continue;
		reads[i]++;
		r++;
		if (size[i] < 10)
			assert_int_equal(nm_smallmemo_small(m, pids[i]), 0);
	}
	nm_smallmemo_end(m);
	return r;
}

/* Small processes are read at every rescan until they have been small for
 * PERIOD in a row, then once per PERIOD rescans each, spread so that every
 * rescan reads a share of them; a large one is read every time. */
static void test_smallmemo_settled_read_on_their_turn(void **state)
{
	struct nm_smallmemo m = { .period = 3 };
	pid_t pids[] = { 2, 5, 10, 300, 301, 4000 };
	int size[] = { 0, 1, 100, 0, 5, 0 };	/* pid 10 is large */
	unsigned int reads[6] = { 0 };

	(void)state;
	for (int k = 0; k < 3; k++)
		assert_int_equal(memo_rescan(&m, pids, size, 6, reads), 6);
	for (size_t i = 0; i < 6; i++)
		assert_int_equal(reads[i], 3);
	memset(reads, 0, sizeof(reads));
	for (int k = 0; k < 9; k++) {
		size_t r = memo_rescan(&m, pids, size, 6, reads);

		/* the large one, and about a third of the five small ones */
		assert_in_range(r, 1 + 1, 1 + 2);
	}
	for (size_t i = 0; i < 6; i++)
		assert_int_equal(reads[i], pids[i] == 10 ? 9 : 3);
	nm_smallmemo_free(&m);

	/* period 1: every process at every rescan */
	m = (struct nm_smallmemo){ .period = 1 };
	memset(reads, 0, sizeof(reads));
	for (int k = 0; k < 5; k++)
		assert_int_equal(memo_rescan(&m, pids, size, 6, reads), 6);
	nm_smallmemo_free(&m);
}

/* A settled small process that grows is read as large at its next turn,
 * at most PERIOD rescans later, and from then on at every rescan. */
static void test_smallmemo_growth_seen_within_a_period(void **state)
{
	struct nm_smallmemo m = { .period = 5 };
	pid_t pids[] = { 7, 8, 9 };
	int size[] = { 0, 0, 0 };
	unsigned int reads[3] = { 0 }, before;
	int k;

	(void)state;
	for (k = 0; k < 12; k++)
		memo_rescan(&m, pids, size, 3, reads);
	size[1] = 50;	/* pid 8 grows past the minimum */
	for (k = 1; k <= 5; k++) {
		before = reads[1];
		memo_rescan(&m, pids, size, 3, reads);
		if (reads[1] > before)
			break;
	}
	assert_in_range(k, 1, 5);
	before = reads[1];
	for (int j = 0; j < 4; j++)
		memo_rescan(&m, pids, size, 3, reads);
	assert_int_equal(reads[1], before + 4);
	nm_smallmemo_free(&m);
}

/* A pid not in the last rescan is new (or a reused number): read at once,
 * even when the same number was settled small before it went away. */
static void test_smallmemo_new_and_returning_pids_read(void **state)
{
	struct nm_smallmemo m = { .period = 4 };
	pid_t all[] = { 3, 4, 6 }, without[] = { 3, 6 }, later[] = { 3, 4, 5, 6 };
	int size[] = { 0, 0, 0, 0 };
	unsigned int reads[4] = { 0 };

	(void)state;
	for (int k = 0; k < 8; k++)
		memo_rescan(&m, all, size, 3, reads);
	memo_rescan(&m, without, size, 2, reads);	/* 4 exits */
	memset(reads, 0, sizeof(reads));
	memo_rescan(&m, later, size, 4, reads);	/* 4 again and a new 5 */
	assert_int_equal(reads[1], 1);
	assert_int_equal(reads[2], 1);
	nm_smallmemo_free(&m);
}

/* A pid read without an address space (a kernel thread) is settled at once
 * and read again only every NOMM_PERIOD rescans, on its turn; if its number
 * then belongs to a process with memory, that process is read from its
 * turn on, within NOMM_PERIOD rescans. */
static void test_smallmemo_kernel_threads_read_rarely(void **state)
{
	struct nm_smallmemo m = { .period = 3, .nomm_period = 12 };
	pid_t pids[] = { 2, 3, 40, 41 };
	unsigned int reads[4] = { 0 }, before;
	bool nomm[4] = { true, true, false, false };
	int k;

	(void)state;
	for (k = 0; k < 24; k++) {
		nm_smallmemo_begin(&m);
		for (size_t i = 0; i < 4; i++) {
			if (nm_smallmemo_skip(&m, pids[i]))
				continue;
			reads[i]++;
			if (nomm[i])
				assert_int_equal(nm_smallmemo_nomm(&m, pids[i]), 0);
			else
				assert_int_equal(nm_smallmemo_small(&m, pids[i]), 0);
		}
		nm_smallmemo_end(&m);
	}
	/* the first read, then one turn in each 12 rescans */
	assert_in_range(reads[0], 2, 3);
	assert_in_range(reads[1], 2, 3);
	/* small processes: 3 to settle, then one turn in each 3 of the 21 left */
	assert_int_equal(reads[2], 3 + 7);
	assert_int_equal(reads[3], 3 + 7);

	/* pid 3 is now a process with memory, large: read within 12 rescans,
	 * then at every rescan */
	for (k = 1; k <= 12; k++) {
		before = reads[1];
		nm_smallmemo_begin(&m);
		for (size_t i = 0; i < 4; i++) {
			if (nm_smallmemo_skip(&m, pids[i]))
				continue;
			reads[i]++;
			if (i == 0)
				nm_smallmemo_nomm(&m, pids[i]);
			else if (i > 1)
				nm_smallmemo_small(&m, pids[i]);
		}
		nm_smallmemo_end(&m);
		if (reads[1] > before)
			break;
	}
	assert_in_range(k, 1, 12);
	before = reads[1];
	for (k = 0; k < 4; k++) {
		nm_smallmemo_begin(&m);
		for (size_t i = 0; i < 4; i++)
			if (!nm_smallmemo_skip(&m, pids[i]) && i == 1)
				reads[1]++;
		nm_smallmemo_end(&m);
	}
	assert_int_equal(reads[1], before + 4);
	nm_smallmemo_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_lock_second_refused_with_holder, setup_dir,
						remove_dir),
		cmocka_unit_test_setup_teardown(test_lock_stale_file_is_free, setup_dir, remove_dir),
		cmocka_unit_test_setup_teardown(test_lock_refuses_symlinks, setup_dir, remove_dir),
		cmocka_unit_test(test_pidlist_parse),
		cmocka_unit_test(test_rescans_join_and_leave),
		cmocka_unit_test(test_share_budget_max_min_fair),
		cmocka_unit_test(test_smallmemo_settled_read_on_their_turn),
		cmocka_unit_test(test_smallmemo_growth_seen_within_a_period),
		cmocka_unit_test(test_smallmemo_new_and_returning_pids_read),
		cmocka_unit_test(test_smallmemo_kernel_threads_read_rarely),
		cmocka_unit_test(test_report_shape),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
