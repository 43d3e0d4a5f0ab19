// SPDX-License-Identifier: GPL-2.0
/* Unit tests of userspace/autoreport.c: the log lines, report and metrics of auto. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "autoreport.h"
#include "textfile.h"
#include "testutil.h"

#define get nm_test_json_get

static void assert_path_int(struct json_object *o, const char *path, int64_t want)
{
	struct json_object *v = get(o, path);

	if (!v)
		fail_msg("no %s in %s", path, json_object_to_json_string(o));
	assert_int_equal(json_object_get_int64(v), want);
}

static void assert_path_str(struct json_object *o, const char *path, const char *want)
{
	struct json_object *v = get(o, path);

	if (!v)
		fail_msg("no %s in %s", path, json_object_to_json_string(o));
	assert_string_equal(json_object_get_string(v), want);
}

/* A decision line carries the region, the evidence by node, the choice,
 * the reason and the result, and survives a round trip through the parser. */
static void test_decision_line(void **state)
{
	struct nm_decision d = { .mapping = true, .start = 0x7f0000000000ULL,
				 .end = 0x7f0000400000ULL, .node = 1, .share = 90.0,
				 .streak = 2, .agree = 3, .reason = NM_R_MOVE_MAPPING };
	struct nm_action a = { .what = NM_ACT_PARTIAL, .node = 1, .continues = -1,
			       .resume = 0x7f0000200000ULL };
	struct json_object *o, *back;

	d.ev.samples = 100;
	d.ev.by_node[0] = 10;
	d.ev.by_node[1] = 90;
	d.ev.page_node[0] = 100;
	d.ev.local = 10;
	a.res.moved = 512;
	a.res.by_errno[NM_ERR_EBUSY] = 3;
	a.res.busy = 3;
	a.res.from_node[0] = 512;
	a.res.seconds = 0.5;
	a.res.calls = 7;
	a.res.call_s = 0.375;
	a.res.pause_s = 0.125;
	o = nm_auto_decision_json(4, 8.5, &d, &a, false);
	back = json_tokener_parse(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	assert_non_null(back);
	assert_path_str(back, "type", "decision");
	assert_path_int(back, "interval", 4);
	assert_path_str(back, "scope", "mapping");
	assert_path_str(back, "start", "0x7f0000000000");
	assert_path_str(back, "end", "0x7f0000400000");
	assert_path_int(back, "bytes", 4 << 20);
	assert_path_int(back, "evidence.samples", 100);
	assert_path_int(back, "evidence.by_cpu_node.1", 90);
	assert_path_int(back, "evidence.by_cpu_node.0", 10);
	assert_path_int(back, "evidence.by_page_node.0", 100);
	assert_null(get(back, "evidence.by_page_node.1"));	/* zero: left out */
	assert_path_int(back, "evidence.local", 10);
	assert_path_int(back, "regions_agreeing", 3);
	assert_path_int(back, "node", 1);
	assert_path_str(back, "reason", "move_mapping");
	assert_path_str(back, "result.action", "partial");
	assert_path_int(back, "result.moved", 512);
	assert_path_int(back, "result.failed_by_errno.EBUSY", 3);
	assert_path_int(back, "result.from_nodes.0", 512);
	assert_path_str(back, "result.resume_at", "0x7f0000200000");
	/* where the move's time went */
	assert_path_int(back, "result.move_pages_calls", 7);
	assert_true(json_object_get_double(get(back, "result.seconds")) == 0.5);
	assert_true(json_object_get_double(get(back, "result.move_pages_seconds")) == 0.375);
	assert_true(json_object_get_double(get(back, "result.paused_seconds")) == 0.125);
	assert_null(get(back, "result.continues_interval"));
	json_object_put(o);
	json_object_put(back);

	/* a decision that is not a move: a result with only the action */
	d.mapping = false;
	d.reason = NM_R_COOLDOWN;
	o = nm_auto_decision_json(5, 9.0, &d, NULL, true);
	assert_path_str(o, "result.action", "none");
	assert_null(get(o, "result.moved"));
	assert_null(get(o, "regions_agreeing"));
	assert_true(json_object_get_boolean(get(o, "dry_run")));
	json_object_put(o);
}

static struct nm_exec_totals tot;

static void fill_summary(struct nm_auto_summary *s, struct nm_policy_opts *po)
{
	memset(s, 0, sizeof(*s));
	memset(&tot, 0, sizeof(tot));
	s->ex = &tot;
	nm_policy_opts_default(po);
	s->pid = 4321;
	s->comm = "work";
	s->ended_by = "signal";
	s->seconds = 12.25;
	s->intervals = 6;
	s->opts = po;
	s->interval_s = 2;
	s->granularity = 2 << 20;
	s->samples = 1000;
	s->local = 600;
	s->locality_before = 5.0;
	s->locality_after = 97.5;
	s->before_interval = 0;
	s->after_interval = 5;
	tot.decisions[NM_R_MOVE_MAPPING] = 1;
	tot.decisions[NM_R_COOLDOWN] = 4;
	tot.res.moved = 65536;
	tot.res.failed = 2;
	tot.res.by_errno[NM_ERR_EACCES] = 2;
	s->migr_available = true;
	s->mig.ours_ok = 65530;
	s->mig.kernel_ok = 900;
	s->mig.kernel_numa = 880;
	s->exit_code = 3;
}

/* An interval line says where its moves ran and under which stall bound,
 * and says neither for an interval that moved nothing. */
static void test_interval_line(void **state)
{
	struct nm_auto_interval iv = { .interval = 3, .moves = 1, .max_stall_ms = 5 };
	struct json_object *o;

	snprintf(iv.mover_cpus, sizeof(iv.mover_cpus), "0-1");
	o = nm_auto_interval_json(&iv, NULL);
	assert_path_str(o, "mover_cpus", "0-1");
	assert_path_int(o, "max_stall_ms", 5);
	json_object_put(o);
	/* beside the process's threads: the shared bound, no CPUs */
	iv.mover_cpus[0] = '\0';
	iv.max_stall_ms = 2;
	o = nm_auto_interval_json(&iv, NULL);
	assert_null(get(o, "mover_cpus"));
	assert_path_int(o, "max_stall_ms", 2);
	json_object_put(o);
	iv.moves = 0;
	iv.max_stall_ms = 0;
	o = nm_auto_interval_json(&iv, NULL);
	assert_null(get(o, "max_stall_ms"));
	json_object_put(o);
	(void)state;
}

static void test_summary(void **state)
{
	/* the summary's numbers, from fill_summary */
	static const struct { const char *path; int64_t want; } ints[] = {
		{ "pid", 4321 }, { "options.stable", 2 }, { "options.cooldown", 5 },
		{ "options.mapping_quorum", 2 }, { "options.reserve_bytes", 256 << 20 },
		{ "decisions.cooldown", 4 }, { "ours.pages_moved", 65536 },
		{ "ours.failed_by_errno.EACCES", 2 }, { "migrations.ours.succeeded", 65530 },
		{ "migrations.kernel.numa_misplaced", 880 }, { "exit_code", 3 },
	};
	struct nm_policy_opts po;
	struct nm_auto_summary s;
	struct json_object *o;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	fill_summary(&s, &po);
	s.max_stall_ms = 5;		/* auto's defaults (pace.h) */
	s.max_stall_shared_ms = 2;
	s.move_intervals = 3;
	s.mover_off_intervals = 2;
	o = nm_auto_summary_json(&s);
	for (size_t i = 0; i < NM_ARRAY_SIZE(ints); i++)
		assert_path_int(o, ints[i].path, ints[i].want);
	assert_path_int(o, "options.max_stall_ms", 5);
	assert_path_int(o, "options.max_stall_shared_ms", 2);
	assert_path_int(o, "mover.intervals_with_moves", 3);
	assert_path_int(o, "mover.off_process_cpus", 2);
	assert_non_null(get(o, "options.mover_any_cpu"));
	assert_false(json_object_get_boolean(get(o, "options.mover_any_cpu")));
	assert_path_str(o, "ended_by", "signal");
	assert_true(json_object_get_double(get(o, "locality.after")) > 97.4);
	assert_null(get(o, "samples_dropped"));	/* no map of its own (auto --all) */
	assert_null(get(o, "decisions.move"));
	json_object_put(o);

	s.region_map_entries = 131072;
	s.samples_dropped = 7;
	o = nm_auto_summary_json(&s);
	assert_path_int(o, "region_map_entries", 131072);
	assert_path_int(o, "samples_dropped", 7);
	json_object_put(o);

	s.migr_available = false;
	snprintf(s.migr_why, sizeof(s.migr_why), "tracepoint missing");
	s.locality_before = -1;
	o = nm_auto_summary_json(&s);
	assert_true(json_object_object_get_ex(o, "migrations", NULL));
	assert_null(get(o, "migrations"));
	assert_path_str(o, "migrations_unavailable", "tracepoint missing");
	assert_null(get(o, "locality.before"));
	json_object_put(o);

	f = open_memstream(&text, &len);
	nm_auto_summary_text(f, &s);
	fclose(f);
	assert_contains(text, "ended by signal", "Locality before:  n/a (no samples)",
			      "Locality after:   97.5%", "EACCES: 2 pages",
			      "Stall bound:      5 ms on CPUs the process's threads may not run on, "
			      "2 ms beside them (default; --max-stall sets one): moves in paced calls\n",
			      "Mover CPUs:       off the process's CPUs in 2 of 3 intervals with moves\n",
			      "Migrate tracepoint: unavailable (tracepoint missing)",
			      "local, 7 dropped (region map of 131072)");
	free(text);

	/* --max-stall 3 sets both bounds: one figure, said to be the option's */
	s.max_stall_set = true;
	s.max_stall_ms = s.max_stall_shared_ms = 3;
	text = NULL;
	f = open_memstream(&text, &len);
	nm_auto_summary_text(f, &s);
	fclose(f);
	assert_contains(text, "Stall bound:      3 ms (--max-stall): moves in paced calls\n");
	free(text);
	o = nm_auto_summary_json(&s);
	assert_path_int(o, "options.max_stall_ms", 3);
	assert_path_int(o, "options.max_stall_shared_ms", 3);
	json_object_put(o);

	/* the target names itself: control bytes are shown, not sent */
	s.comm = "evil\x1b[2J\r";
	text = NULL;
	f = open_memstream(&text, &len);
	nm_auto_summary_text(f, &s);
	fclose(f);
	assert_non_null(strstr(text, "(evil\\x1b[2J\\x0d)"));
	assert_null(strchr(text, 0x1b));
	assert_null(strchr(text, '\r'));
	free(text);
}

/* Prometheus text format: HELP and TYPE before each family, one sample line
 * per family with the pid label. */
static void test_metrics(void **state)
{
	struct nm_policy_opts po;
	struct nm_auto_summary s;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	fill_summary(&s, &po);
	f = open_memstream(&text, &len);
	assert_int_equal(nm_auto_metrics(f, &s), 0);
	fclose(f);
	assert_lines(text, "numa_migrate_auto_locality_percent{pid=\"4321\"} 97.5",
			   "numa_migrate_auto_pages_moved_total{pid=\"4321\"} 65536",
			   "numa_migrate_auto_pages_failed_total{pid=\"4321\"} 2",
			   "numa_migrate_auto_kernel_pages_migrated_total{pid=\"4321\"} 900",
			   "numa_migrate_auto_intervals_total{pid=\"4321\"} 6",
			   "# TYPE numa_migrate_auto_pages_moved_total counter",
			   "# TYPE numa_migrate_auto_locality_percent gauge");
	free(text);
	/* no locality yet: the gauge has no sample rather than a made-up one */
	s.locality_after = -1;
	text = NULL;
	f = open_memstream(&text, &len);
	nm_auto_metrics(f, &s);
	fclose(f);
	assert_null(strstr(text, "numa_migrate_auto_locality_percent{"));
	free(text);
}

static int fill_text(FILE *f, const void *arg)
{
	return fputs(arg, f) < 0 ? -EIO : 0;
}

static int fill_fails(FILE *f, const void *arg)
{
	(void)f;
	(void)arg;
	return -ENOSPC;
}

static char *read_back(const char *path)
{
	static char buf[256];
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* Names in DIR other than the ones expected: temporaries left behind. */
static int count_entries(const char *dir)
{
	char cmd[512];
	FILE *p;
	int n = 0;
	char line[512];

	snprintf(cmd, sizeof(cmd), "ls -A '%s'", dir);
	p = popen(cmd, "r");
	assert_non_null(p);
	while (fgets(line, sizeof(line), p))
		n++;
	pclose(p);
	return n;
}

/* --metrics (issue #11 point 6): the temporary file is not created under a
 * predictable name, so a symlink planted at the old name (PATH.tmp.<pid>)
 * is not followed: its target stays unwritten. The file is replaced whole,
 * readable by others, and nothing is left behind, also when filling fails. */
static void test_textfile_no_symlink(void **state)
{
	char dir[] = "/tmp/nm-metrics.XXXXXX", path[256], trap[300], victim[256];
	struct stat st;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/auto.prom", dir);
	snprintf(victim, sizeof(victim), "%s/victim", dir);
	snprintf(trap, sizeof(trap), "%s.tmp.%d", path, (int)getpid());
	assert_int_equal(symlink(victim, trap), 0);

	assert_int_equal(nm_textfile_write(path, fill_text, "a 1\n"), 0);
	assert_int_equal(lstat(victim, &st), -1);	/* the symlink's target: never created */
	assert_int_equal(lstat(trap, &st), 0);
	assert_true(S_ISLNK(st.st_mode));		/* the planted link is untouched */
	assert_string_equal(read_back(path), "a 1\n");
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
	/* the second interval replaces it whole */
	assert_int_equal(nm_textfile_write(path, fill_text, "a 2\n"), 0);
	assert_string_equal(read_back(path), "a 2\n");
	assert_int_equal(lstat(victim, &st), -1);
	/* a failed fill leaves the old file and no temporary */
	assert_int_equal(nm_textfile_write(path, fill_fails, NULL), -ENOSPC);
	assert_string_equal(read_back(path), "a 2\n");
	assert_int_equal(count_entries(dir), 2);	/* auto.prom and the trap */
	/* a directory that does not exist: an error, nothing written */
	snprintf(path, sizeof(path), "%s/no/such/auto.prom", dir);
	assert_int_equal(nm_textfile_write(path, fill_text, "x\n"), -ENOENT);

	unlink(trap);
	snprintf(path, sizeof(path), "%s/auto.prom", dir);
	unlink(path);
	assert_int_equal(rmdir(dir), 0);
}

NM_TEST_MAIN(
	cmocka_unit_test(test_decision_line),
	cmocka_unit_test(test_interval_line),
	cmocka_unit_test(test_summary),
	cmocka_unit_test(test_metrics),
	cmocka_unit_test(test_textfile_no_symlink))
