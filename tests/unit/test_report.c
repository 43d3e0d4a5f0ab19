// SPDX-License-Identifier: GPL-2.0
/* Unit tests of userspace/report.c: check and move reports in text, JSON
 * and CSV, nm_compare_compute and nm_percent. */
#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "testutil.h"
#include <json-c/json.h>
#include "report.h"

#define PS 4096ULL

/* ---- helpers ---------------------------------------------------------------- */

/* Report M, or C when M is NULL, in FMT as a string. noinline: gcc -O3
 * otherwise takes the memstream buffer for a dangling pointer to the local
 * that open_memstream() fills in */
static __attribute__((noinline)) char *
render(enum nm_format fmt, const struct nm_move_report *m, const struct nm_check_report *c)
{
	char *s = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&s, &len);

	assert_non_null(f);
	if (m)
		nm_report_move(f, fmt, m);
	else
		nm_report_check(f, fmt, c);
	assert_int_equal(fclose(f), 0);
	assert_non_null(s);
	return s;
}

#define render_move(fmt, r) render((fmt), (r), NULL)
#define render_check(fmt, r) render((fmt), NULL, (r))

/* Renders M or C in FMT, checks that every string of WANT is a whole line of
 * it, and frees it: the render, assert, free of a one-look case. */
static void has_lines_(enum nm_format fmt, const struct nm_move_report *m,
		    const struct nm_check_report *c, const char *const *want, int ln)
{
	char *t = render(fmt, m, c);

	assert_all_(t, want, true, __FILE__, ln);
	free(t);
}
#define move_has_lines(fmt, ...) \
	has_lines_((fmt), &fx.rep, NULL, (const char *const[]){ __VA_ARGS__, NULL }, __LINE__)
#define check_has_lines(fmt, ...) \
	has_lines_((fmt), NULL, &cx.rep, (const char *const[]){ __VA_ARGS__, NULL }, __LINE__)


static void assert_no_line_prefix(const char *text, const char *prefix)
{
	size_t n = strlen(prefix);

	for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (!strncmp(p, prefix, n))
			fail_msg("unexpected line starting '%s' in:\n%s", prefix, text);
}

/* Parses a whole JSON text; fails unless it is one object. */
static struct json_object *parse_json(const char *text)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *o;

	assert_non_null(tok);
	o = json_tokener_parse_ex(tok, text, (int)strlen(text));
	if (!o || json_tokener_get_error(tok) != json_tokener_success)
		fail_msg("not JSON: %s\n%s", json_tokener_error_desc(json_tokener_get_error(tok)),
			 text);
	/* nothing but white space after the object */
	for (const char *p = text + json_tokener_get_parse_end(tok); *p; p++)
		assert_true(*p == '\n' || *p == ' ');
	json_tokener_free(tok);
	assert_true(json_object_is_type(o, json_type_object));
	return o;
}

/* The member at a dotted PATH ("a.b.c"); fails when absent. */
static struct json_object *jget_(struct json_object *o, const char *path, int ln)
{
	char buf[256], *save = NULL;

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *k = strtok_r(buf, ".", &save); k; k = strtok_r(NULL, ".", &save)) {
		struct json_object *next = NULL;

		if (!json_object_is_type(o, json_type_object) ||
		    !json_object_object_get_ex(o, k, &next))
			fail_msg_at(__FILE__, ln, "JSON has no '%s' (at '%s')", path, k);
		o = next;
	}
	return o;
}
#define jget(o, path) jget_((o), (path), __LINE__)

/* Renders M or C as JSON and parses it: one object, or the test fails. */
static struct json_object *render_json(const struct nm_move_report *m,
				       const struct nm_check_report *c)
{
	char *t = render(NM_FMT_JSON, m, c);
	struct json_object *o = parse_json(t);

	free(t);
	return o;
}
#define move_json() render_json(&fx.rep, NULL)
#define check_json() render_json(NULL, &cx.rep)

static bool jhas(struct json_object *o, const char *key)
{
	return json_object_object_get_ex(o, key, NULL);
}

static void assert_ju64_(struct json_object *o, const char *path, uint64_t want, int ln)
{
	struct json_object *v = jget_(o, path, ln);

	if (!json_object_is_type(v, json_type_int))
		fail_msg_at(__FILE__, ln, "'%s' is not an integer: %s", path,
			     json_object_to_json_string(v));
	if (json_object_get_uint64(v) != want)
		fail_msg_at(__FILE__, ln, "'%s' is %" PRIu64 ", expected %" PRIu64, path,
			     json_object_get_uint64(v), want);
}
#define assert_ju64(o, path, want) assert_ju64_((o), (path), (want), __LINE__)

static void assert_jdouble_(struct json_object *o, const char *path, double want, int ln)
{
	struct json_object *v = jget_(o, path, ln);
	double got;

	if (!json_object_is_type(v, json_type_double) && !json_object_is_type(v, json_type_int))
		fail_msg_at(__FILE__, ln, "'%s' is not a number", path);
	got = json_object_get_double(v);
	if (got < want - 1e-9 || got > want + 1e-9)
		fail_msg_at(__FILE__, ln, "'%s' is %.10g, expected %.10g", path, got, want);
}
#define assert_jdouble(o, path, want) assert_jdouble_((o), (path), (want), __LINE__)

static void assert_jstr_(struct json_object *o, const char *path, const char *want, int ln)
{
	struct json_object *v = jget_(o, path, ln);

	if (!json_object_is_type(v, json_type_string))
		fail_msg_at(__FILE__, ln, "'%s' is not a string", path);
	if (strcmp(json_object_get_string(v), want))
		fail_msg_at(__FILE__, ln, "'%s' is '%s', expected '%s'", path,
			     json_object_get_string(v), want);
}
#define assert_jstr(o, path, want) assert_jstr_((o), (path), (want), __LINE__)

static void assert_jbool_(struct json_object *o, const char *path, bool want, int ln)
{
	struct json_object *v = jget_(o, path, ln);

	if (!json_object_is_type(v, json_type_boolean))
		fail_msg_at(__FILE__, ln, "'%s' is not a boolean", path);
	if (json_object_get_boolean(v) != want)
		fail_msg_at(__FILE__, ln, "'%s' is %d, expected %d", path,
			     json_object_get_boolean(v), want);
}
#define assert_jbool(o, path, want) assert_jbool_((o), (path), (want), __LINE__)

static void assert_jnull_(struct json_object *o, const char *path, int ln)
{
	if (jget_(o, path, ln) != NULL)
		fail_msg_at(__FILE__, ln, "'%s' is not null", path);
}
#define assert_jnull(o, path) assert_jnull_((o), (path), __LINE__)

/* Splits a CSV line without quoted fields; returns the field count. */
static size_t csv_split(const char *line, char fields[][64], size_t max)
{
	size_t n = 0, k = 0;

	for (const char *p = line;; p++) {
		if (*p == ',' || *p == '\n' || *p == '\0') {
			assert_true(n < max);
			fields[n][k] = '\0';
			n++;
			k = 0;
			if (*p != ',')
				break;
		} else {
			assert_true(k < 63);
			fields[n][k++] = *p;
		}
	}
	return n;
}

static size_t count_lines(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* ---- nm_percent --------------------------------------------------------------- */

static void test_percent(void **state)
{
	assert_true(nm_percent(0, 0) == 0.0);
	assert_true(nm_percent(5, 0) == 0.0);
	assert_true(nm_percent(UINT64_MAX, 0) == 0.0);
	assert_true(nm_percent(1, 4) == 25.0);
	assert_true(nm_percent(4, 4) == 100.0);
	assert_true(nm_percent(0, 7) == 0.0);
	assert_true(nm_percent(958, 1000) > 95.79 && nm_percent(958, 1000) < 95.81);
	assert_true(nm_percent(2, 3) > 66.666 && nm_percent(2, 3) < 66.667);
}

/* ---- move fixture --------------------------------------------------------------- */

struct move_fx {
	struct nm_move_request req;
	struct nm_move_result res;
	struct nm_verify ver;
	struct nm_move_report rep;
};

static struct move_fx fx;

static int move_setup(void **state)
{
	memset(&fx, 0, sizeof(fx));
	fx.req.target_node = 1;

	fx.res.examined = 131072;
	fx.res.moved = 130000;
	fx.res.already = 1000;
	fx.res.not_present = 50;
	fx.res.busy = 12;
	fx.res.failed = 10;
	fx.res.by_errno[NM_ERR_EBUSY] = 12;
	fx.res.by_errno[NM_ERR_EACCES] = 10;
	fx.res.example[NM_ERR_EBUSY][0] = 0x7f0000001000ULL;
	fx.res.example[NM_ERR_EBUSY][1] = 0x7f0000002000ULL;
	fx.res.nexample[NM_ERR_EBUSY] = 2;
	fx.res.example[NM_ERR_EACCES][0] = 0x7f0000003000ULL;
	fx.res.nexample[NM_ERR_EACCES] = 1;
	fx.res.from_node[0] = 130000;
	fx.res.huge_examined = 3;
	fx.res.huge_moved = 2;
	fx.res.calls = 8;
	fx.res.retries = 2;
	fx.res.early_stops = 1;
	fx.res.seconds = 1.5;

	fx.ver.node = 1;
	fx.ver.pages_on_target = 125519;
	fx.ver.pages_present = 131022;
	fx.ver.pages_examined = 131072;
	fx.ver.percent = 95.8;
	fx.ver.cmp.available = true;
	fx.ver.cmp.vmas_compared = 1;
	fx.ver.numa_maps_percent = 95.7;
	fx.ver.min_percent = 90.0;
	fx.ver.drift_done = true;
	fx.ver.after_s = 10;
	fx.ver.drift.on_target_before = 125519;
	fx.ver.drift.left_target = 300;
	fx.ver.drift.to_node[0] = 250;
	fx.ver.drift.gone = 50;

	fx.rep.pid = 1234;
	fx.rep.comm = "app";
	fx.rep.page_size = PS;
	fx.rep.range_text = "anon";
	fx.rep.ranges = NULL;
	fx.rep.req = &fx.req;
	fx.rep.res = &fx.res;
	fx.rep.verify = &fx.ver;
	fx.rep.kernel = NULL;
	fx.rep.fatal_msg = NULL;
	fx.rep.exit_code = 3;
	return 0;
}

/* ---- move: text ------------------------------------------------------------------ */

static void test_move_text(void **state)
{
	char *t = render_move(NM_FMT_TEXT, &fx.rep);
	char want[512];

	assert_lines(t, "Moving pid 1234 (app) to node 1, range anon", "Pages examined: 131072",
			"Moved: 130000", "Already on target: 1000", "Not present: 50", "Busy: 12",
			"Failed: 10");
	snprintf(want, sizeof(want), "  EBUSY: 12 pages: %s (e.g. 0x7f0000001000, 0x7f0000002000)",
		 nm_errslot_reason(NM_ERR_EBUSY));
	assert_line(t, want);
	snprintf(want, sizeof(want), "  EACCES: 10 pages: %s (e.g. 0x7f0000003000)",
		 nm_errslot_reason(NM_ERR_EACCES));
	assert_line(t, want);
	assert_lines(t, "  from node 0: 130000 pages", "Huge pages: 3 examined, 2 moved",
			"Bytes moved: 532480000 (507.8 MiB)", "Time: 1.500 s",
			"Throughput: 0.355 GB/s", "Verification: 95.8% on node 1",
			"  125519 of 131022 present pages on node 1; numa_maps: 95.7% over 1 mapping(s)",
			"Drift: 300 pages left node 1 after 10 s", "  to node 0: 250",
			"  no longer present: 50");
	/* only the classes and nodes that have pages */
	assert_lacks(t, "  EPERM:", "  OTHER:", "from node 1:", "to node 1:", "arrived on node");
	/* not a dry run, no filter, not partial, above the minimum, no kernel counts */
	assert_no_line_prefix(t, "Would move:");
	assert_no_line_prefix(t, "Skipped");
	assert_no_line_prefix(t, "PARTIAL:");
	assert_no_line_prefix(t, "Kernel migration counters");
	assert_null(strstr(t, "below --min-verified"));
	assert_no_line_prefix(t, "Range ");
	/* order of the seed's lines */
	assert_true(strstr(t, "Pages examined:") < strstr(t, "\nMoved:"));
	assert_true(strstr(t, "\nMoved:") < strstr(t, "\nBusy:"));
	assert_true(strstr(t, "\nBusy:") < strstr(t, "\nFailed:"));
	assert_true(strstr(t, "\nFailed:") < strstr(t, "\nVerification:"));
	assert_true(strstr(t, "\nVerification:") < strstr(t, "\nDrift:"));
	free(t);
}

/* Where the move's time went: in the calls (summed over the jobs), and under
 * --max-stall the bound and the pauses; unpaced, no stall line. */
static void test_move_time_split(void **state)
{
	struct json_object *o;
	char *t;

	(void)state;
	fx.res.call_s = 2.25;
	fx.rep.jobs = 2;
	t = render_move(NM_FMT_TEXT, &fx.rep);
	assert_lines(t, "Time: 1.500 s", "  in 8 move_pages calls: 2.250 s (summed over 2 jobs)");
	assert_lacks(t, "stall bound", "paused");
	free(t);
	o = move_json();
	assert_jdouble(o, "move_pages_seconds", 2.25);
	assert_jdouble(o, "paused_seconds", 0);
	assert_ju64(o, "max_stall_ms", 0);
	json_object_put(o);

	fx.res.pause_s = 0.125;
	fx.rep.max_stall_ms = 5;
	fx.rep.jobs = 1;
	t = render_move(NM_FMT_TEXT, &fx.rep);
	assert_lines(t, "  in 8 move_pages calls: 2.250 s (summed over 1 job)",
		     "  stall bound 5 ms (--max-stall): paced calls, paused 0.125 s between them");
	free(t);
	o = move_json();
	assert_jdouble(o, "paused_seconds", 0.125);
	assert_ju64(o, "max_stall_ms", 5);
	assert_false(json_object_object_get_ex(o, "mover_cpus", NULL));
	json_object_put(o);

	/* off the process's CPUs: where, and no pause */
	fx.res.pause_s = 0;
	fx.rep.mover_cpus = "0,2-3";
	t = render_move(NM_FMT_TEXT, &fx.rep);
	assert_lines(t, "  stall bound 5 ms (--max-stall): paced calls on CPUs 0,2-3, where the "
		     "process's running threads may not run, without pauses");
	assert_lacks(t, "paused");
	free(t);
	o = move_json();
	assert_jstr(o, "mover_cpus", "0,2-3");
	json_object_put(o);
	fx.rep.mover_cpus = NULL;
}

static void test_move_text_no_verify(void **state)
{
	char *t;

	fx.rep.verify = NULL;
	fx.rep.range_text = NULL;
	fx.rep.comm = NULL;
	t = render_move(NM_FMT_TEXT, &fx.rep);
	assert_lines(t, "Moving pid 1234 (?) to node 1", "Moved: 130000");
	assert_lacks(t, "Verification", "Drift");
	free(t);
}

static void test_move_text_verify_details(void **state)
{
	char *t;

	/* below the minimum, numa_maps not comparable, no drift check */
	fx.ver.percent = 80.04;
	fx.ver.numa_maps_percent = -1;
	fx.ver.drift_done = false;
	fx.ver.drift.arrived = 5;
	t = render_move(NM_FMT_TEXT, &fx.rep);
	assert_lines(t, "Verification: 80.0% on node 1",
			"  125519 of 131022 present pages on node 1; numa_maps: no mapping wholly "
			"in the range", "  below --min-verified 90.0%");
	assert_null(strstr(t, "Drift"));
	free(t);

	/* drift with pages arriving */
	fx.ver.drift_done = true;
	move_has_lines(NM_FMT_TEXT, "  arrived on node 1 meanwhile: 5");
}

static void test_move_text_from_filter_and_ranges(void **state)
{
	struct nm_range_list rl;

	memset(&rl, 0, sizeof(rl));
	rl.rounded = 1;
	rl.req_start = 0x1001;
	rl.req_end = 0x2fff;
	rl.round_start = 0x1000;
	rl.round_end = 0x3000;
	rl.clamped = 1;
	rl.clamped_to = 1ULL << 30;
	fx.rep.ranges = &rl;
	fx.req.from_set = true;
	fx.req.move_all = true;
	fx.res.skipped_filter = 7;
	move_has_lines(NM_FMT_TEXT,
		       "Moving pid 1234 (app) to node 1, range anon (--all: MPOL_MF_MOVE_ALL)",
		       "Range rounded to pages: 0x1001-0x2fff became 0x1000-0x3000",
		       "Range clamped to the whole mapping: 1.0 GiB",
		       "Skipped (not on --from-node): 7");
}

static void test_move_text_dry_run(void **state)
{
	char *t;
	struct json_object *o;

	fx.req.dry_run = true;
	fx.res.moved = 0;
	fx.res.would_move = 500;
	fx.res.busy = fx.res.failed = 0;
	memset(fx.res.by_errno, 0, sizeof(fx.res.by_errno));
	fx.rep.verify = NULL;
	fx.rep.exit_code = 0;
	t = render_move(NM_FMT_TEXT, &fx.rep);
	assert_lines(t, "Dry run: would move pid 1234 (app) to node 1, range anon",
			"Would move: 500", "Moved: 0", "Busy: 0", "Failed: 0",
			"Bytes moved: 0 (0 B)");
	assert_null(strstr(t, "EBUSY"));
	free(t);

	o = move_json();
	assert_jbool(o, "dry_run", true);
	assert_ju64(o, "would_move", 500);
	assert_ju64(o, "moved", 0);
	assert_int_equal(json_object_object_length(jget(o, "failed_by_errno")), 0);
	assert_false(jhas(o, "verification"));
	assert_ju64(o, "exit_code", 0);
	json_object_put(o);
}

static void test_move_partial(void **state)
{
	char *t;
	struct json_object *o;

	fx.rep.fatal_msg = "the process exited during the move (after 65536 pages)";
	t = render_move(NM_FMT_TEXT, &fx.rep);
	assert_line(t, "PARTIAL: the process exited during the move (after 65536 pages)");
	/* the counts so far are still reported */
	assert_line(t, "Moved: 130000");
	free(t);

	o = move_json();
	assert_jbool(o, "partial", true);
	assert_jstr(o, "error", "the process exited during the move (after 65536 pages)");
	assert_ju64(o, "moved", 130000);
	json_object_put(o);
}

static void test_move_kernel_counts(void **state)
{
	struct nm_kernel_counts k;
	struct json_object *o;

	memset(&k, 0, sizeof(k));
	k.available = true;
	k.nreasons = 2;
	snprintf(k.reason[0].name, sizeof(k.reason[0].name), "syscall");
	k.reason[0].events = 3;
	k.reason[0].succeeded = 130000;
	k.reason[0].failed = 22;
	k.reason[0].thp_succeeded = 2;
	snprintf(k.reason[1].name, sizeof(k.reason[1].name), "numa_misplaced");
	k.reason[1].events = 1;
	k.reason[1].succeeded = 250;
	fx.rep.kernel = &k;
	move_has_lines(NM_FMT_TEXT, "Kernel migration counters (migrate:mm_migrate_pages, this process): "
				    "syscall 130000 succeeded 22 failed; numa_misplaced 250 succeeded 0 failed");

	o = move_json();
	assert_jbool(o, "kernel_migrations.available", true);
	assert_ju64(o, "kernel_migrations.reasons.syscall.events", 3);
	assert_ju64(o, "kernel_migrations.reasons.syscall.succeeded", 130000);
	assert_ju64(o, "kernel_migrations.reasons.syscall.failed", 22);
	assert_ju64(o, "kernel_migrations.reasons.syscall.thp_succeeded", 2);
	assert_ju64(o, "kernel_migrations.reasons.numa_misplaced.succeeded", 250);
	json_object_put(o);

	memset(&k, 0, sizeof(k));
	snprintf(k.why, sizeof(k.why), "BPF not loaded: \"EPERM\"");
	move_has_lines(NM_FMT_TEXT, "Kernel migration counters: unavailable (BPF not loaded: \"EPERM\")");
	o = move_json();
	assert_jbool(o, "kernel_migrations.available", false);
	assert_jstr(o, "kernel_migrations.why", "BPF not loaded: \"EPERM\"");
	json_object_put(o);
}

/* ---- move: JSON ------------------------------------------------------------------ */

static void test_move_json(void **state)
{
	char *t = render_move(NM_FMT_JSON, &fx.rep);
	struct json_object *o = parse_json(t), *fe;

	assert_ju64(o, "pid", 1234);
	assert_jstr(o, "comm", "app");
	assert_jstr(o, "range", "anon");
	assert_ju64(o, "target_node", 1);
	assert_jbool(o, "dry_run", false);
	assert_jbool(o, "move_all", false);
	assert_ju64(o, "pages", 131072);
	assert_ju64(o, "moved", 130000);
	assert_ju64(o, "would_move", 0);
	assert_ju64(o, "already_on_target", 1000);
	assert_ju64(o, "not_present", 50);
	assert_ju64(o, "skipped_filter", 0);
	assert_ju64(o, "busy", 12);
	assert_ju64(o, "failed", 10);
	fe = jget(o, "failed_by_errno");
	assert_int_equal(json_object_object_length(fe), 2);
	assert_ju64(o, "failed_by_errno.EACCES", 10);
	assert_ju64(o, "failed_by_errno.EBUSY", 12);
	assert_int_equal(json_object_object_length(jget(o, "from_nodes")), 1);
	assert_ju64(o, "from_nodes.0", 130000);
	assert_ju64(o, "huge_pages.examined", 3);
	assert_ju64(o, "huge_pages.moved", 2);
	assert_ju64(o, "bytes_moved", 130000ULL * 4096);
	assert_jdouble(o, "seconds", 1.5);
	assert_jdouble(o, "throughput_gbps", 130000.0 * 4096 / 1.5 / 1e9);
	assert_ju64(o, "move_pages_calls", 8);
	assert_ju64(o, "retries", 2);
	assert_ju64(o, "early_stops", 1);
	assert_false(jhas(o, "kernel_migrations"));
	assert_ju64(o, "verification.node", 1);
	assert_jdouble(o, "verification.percent", 95.8);
	assert_ju64(o, "verification.pages_on_target", 125519);
	assert_ju64(o, "verification.pages_present", 131022);
	assert_jdouble(o, "verification.numa_maps_percent", 95.7);
	assert_jdouble(o, "verification.min_percent", 90.0);
	assert_jbool(o, "verification.passed", true);
	assert_ju64(o, "drift.after_s", 10);
	assert_ju64(o, "drift.on_target_before", 125519);
	assert_ju64(o, "drift.left_target", 300);
	assert_int_equal(json_object_object_length(jget(o, "drift.to_nodes")), 1);
	assert_ju64(o, "drift.to_nodes.0", 250);
	assert_ju64(o, "drift.gone", 50);
	assert_ju64(o, "drift.arrived", 0);
	assert_jbool(o, "partial", false);
	assert_false(jhas(o, "error"));
	assert_ju64(o, "exit_code", 3);
	json_object_put(o);
	/* nm_move_json gives the same object */
	o = nm_move_json(&fx.rep);
	assert_ju64(o, "moved", 130000);
	assert_ju64(o, "drift.to_nodes.0", 250);
	json_object_put(o);
	free(t);
}

static void test_move_json_percent_one_decimal(void **state)
{
	struct json_object *o;

	/* percentages are numbers with one decimal, like the text */
	fx.ver.percent = 95.8374;
	fx.ver.numa_maps_percent = -1;
	fx.ver.min_percent = 99.5;
	o = move_json();
	assert_true(json_object_is_type(jget(o, "verification.percent"), json_type_double));
	assert_jdouble(o, "verification.percent", 95.8);
	assert_jnull(o, "verification.numa_maps_percent");
	assert_jdouble(o, "verification.min_percent", 99.5);
	assert_jbool(o, "verification.passed", false);
	json_object_put(o);
}

static void test_move_json_large_counts(void **state)
{
	/* 64-bit counts survive exactly (no detour through double) */
	struct json_object *o;

	fx.res.examined = (1ULL << 62) + 1;
	fx.res.moved = (1ULL << 40) + 1;
	o = move_json();
	assert_ju64(o, "pages", (1ULL << 62) + 1);
	assert_ju64(o, "moved", (1ULL << 40) + 1);
	assert_ju64(o, "bytes_moved", ((1ULL << 40) + 1) * 4096);
	json_object_put(o);
}

static const char weird[] = "we\"ird\\na/me\nwith\ttab\x01" "and\x1f" "end";

static void assert_escaped(const char *t)
{
	/* no raw control characters except the pretty-printer's newlines */
	for (const char *p = t; *p; p++)
		if ((unsigned char)*p < 0x20 && *p != '\n')
			fail_msg("raw control character 0x%02x in JSON output", *p);
}

static void test_move_json_escaping(void **state)
{
	char *t;
	struct json_object *o;

	fx.rep.comm = weird;
	fx.rep.range_text = "/tmp/a \"b\"\\c";
	fx.rep.fatal_msg = "stopped:\n\"why\"\t\x01";
	t = render_move(NM_FMT_JSON, &fx.rep);
	assert_escaped(t);
	o = parse_json(t);
	assert_jstr(o, "comm", weird);
	assert_jstr(o, "range", "/tmp/a \"b\"\\c");
	assert_jstr(o, "error", "stopped:\n\"why\"\t\x01");
	json_object_put(o);
	free(t);
}

/* ---- move: CSV --------------------------------------------------------------------- */

static void test_move_csv(void **state)
{
	char *t = render_move(NM_FMT_CSV, &fx.rep);
	char *nl = strchr(t, '\n');
	char head[64][64], row[64][64];
	size_t nh, nr;
	char want[32];

	assert_int_equal(count_lines(t), 2);
	assert_non_null(nl);
	nh = csv_split(t, head, 64);
	nr = csv_split(nl + 1, row, 64);
	/* 8 counts, one column per errno class, 7 more */
	assert_int_equal(nh, 8 + NM_ERR_SLOTS + 7);
	assert_int_equal(nr, nh);
	for (size_t i = 0; i < nh; i++) {
		static const struct { const char *col, *val; } expect[] = {
			{ "pid", "1234" }, { "target_node", "1" }, { "pages", "131072" },
			{ "moved", "130000" }, { "already_on_target", "1000" },
			{ "not_present", "50" }, { "busy", "12" }, { "failed", "10" },
			{ "failed_EBUSY", "12" }, { "failed_EACCES", "10" }, { "failed_EPERM", "0" },
			{ "failed_OTHER", "0" }, { "huge_examined", "3" }, { "huge_moved", "2" },
			{ "bytes_moved", "532480000" }, { "seconds", "1.500000" },
			{ "verification_percent", "95.8" }, { "drift_left_target", "300" },
			{ "exit_code", "3" },
		};

		for (size_t k = 0; k < NM_ARRAY_SIZE(expect); k++)
			if (!strcmp(head[i], expect[k].col) && strcmp(row[i], expect[k].val))
				fail_msg("CSV column %s is '%s', expected '%s'", head[i], row[i],
					 expect[k].val);
	}
	assert_string_equal(head[0], "pid");
	assert_string_equal(head[nh - 1], "exit_code");
	for (int s = 0; s < NM_ERR_SLOTS; s++) {
		snprintf(want, sizeof(want), "failed_%s", nm_errslot_name(s));
		assert_string_equal(head[8 + s], want);
	}
	free(t);

	/* without verification the two columns are empty, the count stays */
	fx.rep.verify = NULL;
	t = render_move(NM_FMT_CSV, &fx.rep);
	nl = strchr(t, '\n');
	nr = csv_split(nl + 1, row, 64);
	assert_int_equal(nr, nh);
	assert_string_equal(row[nh - 3], "");
	assert_string_equal(row[nh - 2], "");
	assert_string_equal(row[nh - 1], "3");
	free(t);
}

/* ---- check fixture -------------------------------------------------------------------- */

#define V0 0x10000000ULL	/* 256 pages, fully in the range */
#define V1 0x20000000ULL	/* 512 pages, half in the range */
#define V2 0x30000000ULL	/* 1024 pages, not in the range */

static char weird_path[] = "/tmp/my \"data\", file";

struct check_fx {
	struct nm_vma vma[3];
	struct nm_vma_list vmas;
	struct nm_range r[2];
	struct nm_range_list ranges;
	struct nm_hist by_vma[3];
	struct nm_query_result q;
	struct nm_numa_maps_entry e[3];
	struct nm_numa_maps nmaps;
	struct nm_compare cmp;
	struct nm_vmacount vc;		/* the report's rows, from by_vma */
	struct nm_nmaps_match mm;	/* the report's policies, from e */
	struct nm_check_report rep;
};

static struct check_fx cx;

/* The report's compact rows and policies from the fixture's histograms and
 * numa_maps lines, as check builds them from the query and the stream. */
static void build_rows(void)
{
	nm_vmacount_free(&cx.vc);
	nm_nmaps_match_free(&cx.mm);
	assert_int_equal(nm_vmacount_init(&cx.vc, cx.q.by_vma ? cx.q.nvma : 0, 1), 0);
	for (size_t v = 0; v < cx.vc.n; v++)
		assert_int_equal(nm_vmacount_add(&cx.vc, v, &cx.by_vma[v]), 0);
	assert_int_equal(nm_nmaps_match_init(&cx.mm, &cx.vmas, &cx.ranges, PS, true), 0);
	for (size_t i = 0; i < cx.nmaps.n; i++)
		assert_int_equal(nm_nmaps_match_line(&cx.mm, &cx.nmaps.e[i]), 0);
	cx.mm.read_ok = true;
	cx.rep.by_vma = &cx.vc;
	cx.rep.nmaps = &cx.mm;
}

static int check_teardown(void **state)
{
	nm_vmacount_free(&cx.vc);
	nm_nmaps_match_free(&cx.mm);
	return 0;
}

static int check_setup(void **state)
{
	memset(&cx, 0, sizeof(cx));
	cx.vma[0] = (struct nm_vma){ V0, V0 + 256 * PS, "rw-p", 0, 0, NM_VMA_ANON, NULL };
	cx.vma[1] = (struct nm_vma){ V1, V1 + 512 * PS, "rw-s", 0, 4242, NM_VMA_FILE, weird_path };
	cx.vma[2] = (struct nm_vma){ V2, V2 + 1024 * PS, "rw-p", 0, 0, NM_VMA_ANON, NULL };
	cx.vmas = (struct nm_vma_list){ cx.vma, 3, 3 };

	cx.r[0] = (struct nm_range){ V0, V0 + 256 * PS, 0 };
	cx.r[1] = (struct nm_range){ V1, V1 + 256 * PS, 1 };
	cx.ranges = (struct nm_range_list){ .r = cx.r, .n = 2, .cap = 2, .pages = 512 };

	cx.by_vma[0].node[0] = 192;
	cx.by_vma[0].node[1] = 64;
	cx.by_vma[0].present = 256;
	cx.by_vma[0].max_node = 1;
	cx.by_vma[1].node[0] = 108;
	cx.by_vma[1].node[1] = 36;
	cx.by_vma[1].present = 144;
	cx.by_vma[1].not_present = 112;
	cx.by_vma[1].max_node = 1;
	cx.by_vma[2].max_node = -1;
	cx.q.total.node[0] = 300;
	cx.q.total.node[1] = 100;
	cx.q.total.present = 400;
	cx.q.total.not_present = 112;
	cx.q.total.max_node = 1;
	cx.q.by_vma = cx.by_vma;
	cx.q.nvma = 3;
	cx.q.examined = 512;
	cx.q.pagemap_ok = true;

	cx.e[0].start = V0;
	snprintf(cx.e[0].policy, sizeof(cx.e[0].policy), "default");
	cx.e[0].node_pages[0] = 192;
	cx.e[0].node_pages[1] = 64;
	cx.e[0].kernelpagesize_kb = 4;
	cx.e[1].start = V1;
	snprintf(cx.e[1].policy, sizeof(cx.e[1].policy), "bind:0");
	cx.e[1].node_pages[0] = 500;
	cx.e[1].kernelpagesize_kb = 4;
	cx.e[2].start = V2;
	snprintf(cx.e[2].policy, sizeof(cx.e[2].policy), "default");
	cx.e[2].node_pages[1] = 9;
	cx.e[2].kernelpagesize_kb = 4;
	cx.nmaps = (struct nm_numa_maps){ cx.e, 3, 3 };

	cx.rep.pid = 1234;
	cx.rep.comm = "app";
	cx.rep.page_size = PS;
	cx.rep.range_text = NULL;
	cx.rep.vmas = &cx.vmas;
	cx.rep.ranges = &cx.ranges;
	cx.rep.q = &cx.q;
	cx.rep.cmp = &cx.cmp;
	cx.rep.nodes.bits = (1ULL << 0) | (1ULL << 2);	/* memory on 0 and 2 */
	build_rows();
	return 0;
}

static bool row_of(const void *arg, size_t v, struct nm_hist *out)
{
	(void)arg;
	if (v >= cx.vc.n)
		return false;
	nm_vmacount_get(&cx.vc, v, out);
	return true;
}

static void compute(void)
{
	struct nm_compare streamed;

	nm_compare_compute(&cx.vmas, &cx.ranges, &cx.q, &cx.nmaps, PS, &cx.cmp);
	/* check's streamed path gives the same comparison */
	build_rows();
	if (cx.q.by_vma) {
		nm_compare_finish(&cx.mm, row_of, NULL, &streamed);
		assert_memory_equal(&streamed, &cx.cmp, sizeof(streamed));
	}
}

/* ---- nm_compare_compute ------------------------------------------------------------------ */

static void test_compare_full_and_partial(void **state)
{
	compute();
	assert_true(cx.cmp.available);
	assert_int_equal(cx.cmp.vmas_compared, 1);
	assert_int_equal(cx.cmp.vmas_partial, 1);
	/* only vma 0: the partly covered vma 1 (N0=500) and the uncovered
	 * vma 2 (N1=9) are not counted */
	assert_int_equal(cx.cmp.numa_maps[0], 192);
	assert_int_equal(cx.cmp.numa_maps[1], 64);
	assert_int_equal(cx.cmp.queried[0], 192);
	assert_int_equal(cx.cmp.queried[1], 64);
	for (int n = 2; n < NM_MAX_NODES; n++) {
		assert_int_equal(cx.cmp.numa_maps[n], 0);
		assert_int_equal(cx.cmp.queried[n], 0);
	}
	assert_int_equal(cx.cmp.numa_maps_total, 256);
	assert_int_equal(cx.cmp.queried_total, 256);
	assert_int_equal(cx.cmp.diff_pages, 0);
}

static void test_compare_diff_is_absolute(void **state)
{
	/* 2 fewer on node 0, 6 more on node 1: diff 8, not |256 - 260| = 4 */
	cx.e[0].node_pages[0] = 190;
	cx.e[0].node_pages[1] = 70;
	compute();
	assert_int_equal(cx.cmp.vmas_compared, 1);
	assert_int_equal(cx.cmp.numa_maps[0], 190);
	assert_int_equal(cx.cmp.numa_maps[1], 70);
	assert_int_equal(cx.cmp.numa_maps_total, 260);
	assert_int_equal(cx.cmp.queried_total, 256);
	assert_int_equal(cx.cmp.diff_pages, 8);
}

static void test_compare_hugetlb_scale(void **state)
{
	/* a 4 MiB hugetlb mapping: numa_maps counts 2 huge pages on node 0,
	 * move_pages 1024 base pages */
	struct nm_vma v = { 0x40000000ULL, 0x40400000ULL, "rw-p", 0, 77, NM_VMA_FILE,
			    (char *)"/anon_hugepage (deleted)" };
	struct nm_vma_list vl = { &v, 1, 1 };
	struct nm_range r = { 0x40000000ULL, 0x40400000ULL, 0 };
	struct nm_range_list rl = { .r = &r, .n = 1, .cap = 1, .pages = 1024 };
	struct nm_hist h = { .present = 1024, .max_node = 0 };
	struct nm_query_result q = { .by_vma = &h, .nvma = 1, .examined = 1024 };
	struct nm_numa_maps_entry e = { .start = 0x40000000ULL, .kernelpagesize_kb = 2048,
					 .huge = 1 };
	struct nm_numa_maps m = { &e, 1, 1 };
	struct nm_compare c;

	h.node[0] = 1024;
	q.total = h;
	e.node_pages[0] = 2;
	nm_compare_compute(&vl, &rl, &q, &m, PS, &c);
	assert_true(c.available);
	assert_int_equal(c.vmas_compared, 1);
	assert_int_equal(c.vmas_partial, 0);
	assert_int_equal(c.numa_maps[0], 1024);
	assert_int_equal(c.numa_maps_total, 1024);
	assert_int_equal(c.diff_pages, 0);

	/* one huge page elsewhere: 512 base pages of difference each way */
	e.node_pages[0] = 1;
	e.node_pages[1] = 1;
	nm_compare_compute(&vl, &rl, &q, &m, PS, &c);
	assert_int_equal(c.numa_maps[0], 512);
	assert_int_equal(c.numa_maps[1], 512);
	assert_int_equal(c.diff_pages, 1024);

	/* kernelpagesize_kB absent: base pages as they are */
	e.kernelpagesize_kb = 0;
	e.node_pages[0] = 1024;
	e.node_pages[1] = 0;
	nm_compare_compute(&vl, &rl, &q, &m, PS, &c);
	assert_int_equal(c.numa_maps[0], 1024);
	assert_int_equal(c.diff_pages, 0);
}

static void test_compare_split_pieces(void **state)
{
	/* vma 0 covered by two pieces is still wholly covered */
	struct nm_range r[3] = {
		{ V0, V0 + 100 * PS, 0 }, { V0 + 100 * PS, V0 + 256 * PS, 0 },
		{ V1, V1 + 256 * PS, 1 },
	};

	cx.ranges.r = r;
	cx.ranges.n = 3;
	compute();
	assert_int_equal(cx.cmp.vmas_compared, 1);
	assert_int_equal(cx.cmp.vmas_partial, 1);
	assert_int_equal(cx.cmp.numa_maps[0], 192);
}

static void test_compare_unavailable(void **state)
{
	/* without numa_maps, or without per-vma histograms: nothing */
	memset(&cx.cmp, 0x5a, sizeof(cx.cmp));
	nm_compare_compute(&cx.vmas, &cx.ranges, &cx.q, NULL, PS, &cx.cmp);
	assert_false(cx.cmp.available);
	assert_int_equal(cx.cmp.vmas_compared, 0);
	assert_int_equal(cx.cmp.diff_pages, 0);
	assert_int_equal(cx.cmp.numa_maps[0], 0);

	cx.q.by_vma = NULL;
	memset(&cx.cmp, 0x5a, sizeof(cx.cmp));
	compute();
	assert_false(cx.cmp.available);
	assert_int_equal(cx.cmp.vmas_partial, 0);
	assert_int_equal(cx.cmp.queried_total, 0);
}

static void test_compare_missing_entry(void **state)
{
	/* a wholly covered mapping without a numa_maps line is not compared */
	cx.e[0].start = 0x99000000ULL;
	compute();
	assert_true(cx.cmp.available);
	assert_int_equal(cx.cmp.vmas_compared, 0);
	assert_int_equal(cx.cmp.numa_maps_total, 0);
	assert_int_equal(cx.cmp.queried_total, 0);
}

/* ---- check: text ------------------------------------------------------------------------ */

static void test_check_text_agrees(void **state)
{
	char *t;
	char want[256];

	compute();
	cx.rep.range_text = "anon";
	t = render_check(NM_FMT_TEXT, &cx.rep);
	assert_lines(t, "pid 1234 (app): 512 pages examined (2.0 MiB), 400 present, 112 not present, "
			"range anon", "Node 0: 75.0% pages");
	assert_line(t, "Node 1: 25.0% pages");	/* has pages, not in the mask */
	assert_line(t, "Node 2: 0.0% pages");	/* in the mask, no pages */
	assert_null(strstr(t, "Node 3:"));
	assert_true(strstr(t, "Node 0:") < strstr(t, "Node 1:"));
	assert_true(strstr(t, "Node 1:") < strstr(t, "Node 2:"));
	/* the table: pages, bytes, share, numa_maps */
	snprintf(want, sizeof(want), "%-8d %12d %12s %6.1f%% %12d", 0, 300, "1.2 MiB", 75.0, 192);
	assert_line(t, want);
	snprintf(want, sizeof(want), "%-8d %12d %12s %6.1f%% %12d", 1, 100, "400.0 KiB", 25.0, 64);
	assert_line(t, want);
	snprintf(want, sizeof(want), "%-8d %12d %12s %6.1f%% %12d", 2, 0, "0 B", 0.0, 0);
	assert_line(t, want);
	snprintf(want, sizeof(want), "%-8s %12d", "absent", 112);
	assert_line(t, want);
	assert_lines(t, "THP: cannot tell (needs CAP_SYS_ADMIN for PFNs and /proc/kpageflags)",
			"numa_maps agrees with move_pages over 1 mapping(s) (256 pages)",
			"numa_maps: 1 mapping(s) only partly in the range are not cross-checked "
			"(numa_maps counts whole mappings)");
	assert_null(strstr(t, "DISAGREES"));
	assert_no_line_prefix(t, "PARTIAL:");
	assert_no_line_prefix(t, "error ");
	assert_null(strstr(t, "mapping                           perm"));
	free(t);
}

static void test_check_text_disagrees(void **state)
{
	char *t;

	cx.e[0].node_pages[0] = 190;
	cx.e[0].node_pages[1] = 70;
	compute();
	t = render_check(NM_FMT_TEXT, &cx.rep);
	assert_lines(t, "pid 1234 (app): 512 pages examined (2.0 MiB), 400 present, 112 not present",
			"numa_maps DISAGREES with move_pages by 8 pages over 1 mapping(s): "
			"node 0 numa_maps 190 move_pages 192; node 1 numa_maps 70 move_pages 64; "
			"(pages changed between the two reads, or numa_maps counts pages move_pages "
			"cannot see)");
	assert_null(strstr(t, "agrees"));
	free(t);
}

static void test_check_text_no_cross_check(void **state)
{
	char *t;

	/* numa_maps not read */
	nm_compare_compute(&cx.vmas, &cx.ranges, &cx.q, NULL, PS, &cx.cmp);
	t = render_check(NM_FMT_TEXT, &cx.rep);
	assert_lines(t, "numa_maps: not readable, no cross-check", "Node 0: 75.0% pages");
	{
		char want[128];

		snprintf(want, sizeof(want), "%-8d %12d %12s %6.1f%% %12s", 0, 300, "1.2 MiB",
			 75.0, "-");
		assert_line(t, want);
	}
	free(t);

	/* read, but nothing wholly in the range */
	cx.r[0].end = V0 + 255 * PS;
	compute();
	assert_int_equal(cx.cmp.vmas_compared, 0);
	assert_int_equal(cx.cmp.vmas_partial, 2);
	check_has_lines(NM_FMT_TEXT, "numa_maps: no mapping lies wholly in the range, no cross-check",
				     "numa_maps: 2 mapping(s) only partly in the range are not cross-checked "
				     "(numa_maps counts whole mappings)");

	/* no cmp at all */
	cx.rep.cmp = NULL;
	check_has_lines(NM_FMT_TEXT, "numa_maps: not readable, no cross-check");
}

static void test_check_text_partial_thp_errors(void **state)
{
	char *t;
	char want[128];

	compute();
	cx.rep.partial = true;
	cx.q.kpageflags_ok = true;
	cx.q.total.thp = 1;
	cx.q.total.thp_pages = 512;
	cx.q.total.error = 3;
	t = render_check(NM_FMT_TEXT, &cx.rep);
	assert_lines(t, "PARTIAL: the process exited during the query; counts cover only the pages "
			"examined before", "THP: 1 huge pages (512 base pages)");
	snprintf(want, sizeof(want), "%-8s %12d  (move_pages query returned an error)", "error", 3);
	assert_line(t, want);
	free(t);
}

static void test_check_text_by_mapping(void **state)
{
	char *t;
	char want[256];

	compute();
	cx.rep.by_mapping = true;
	cx.by_vma[0].thp = 0;
	t = render_check(NM_FMT_TEXT, &cx.rep);
	snprintf(want, sizeof(want), "%-33s %-4s %-7s %9s %8s%-2d %8s%-2d %8s%-2d %9s %6s  %s",
		 "mapping", "perm", "kind", "pages", "node", 0, "node", 1, "node", 2, "absent",
		 "thp", "path");
	assert_line(t, want);
	snprintf(want, sizeof(want), "%016llx-%016llx %-4s %-7s %9d %10d %10d %10d %9d %6d  %s",
		 V0, V0 + 256 * PS, "rw-p", "anon", 256, 192, 64, 0, 0, 0, "");
	assert_line(t, want);
	snprintf(want, sizeof(want), "%016llx-%016llx %-4s %-7s %9d %10d %10d %10d %9d %6d  %s",
		 V1, V1 + 512 * PS, "rw-s", "file", 256, 108, 36, 0, 112, 0, weird_path);
	assert_line(t, want);
	/* the mapping with no page in the range is left out */
	snprintf(want, sizeof(want), "%016llx-", V2);
	assert_null(strstr(t, want));
	free(t);
}

/* ---- check: JSON ------------------------------------------------------------------------ */

static void test_check_json(void **state)
{
	struct json_object *o, *nodes;

	compute();
	o = check_json();
	assert_ju64(o, "pid", 1234);
	assert_jstr(o, "comm", "app");
	assert_ju64(o, "page_size", 4096);
	assert_jnull(o, "range");
	assert_jbool(o, "partial", false);
	assert_ju64(o, "pages", 512);
	assert_ju64(o, "present", 400);
	assert_ju64(o, "not_present", 112);
	assert_ju64(o, "errors", 0);
	nodes = jget(o, "nodes");
	assert_int_equal(json_object_object_length(nodes), 3);
	assert_ju64(o, "nodes.0.pages", 300);
	assert_ju64(o, "nodes.0.bytes", 300 * 4096);
	assert_jdouble(o, "nodes.0.percent", 75.0);
	assert_ju64(o, "nodes.0.numa_maps_pages", 192);
	assert_ju64(o, "nodes.1.pages", 100);
	assert_jdouble(o, "nodes.1.percent", 25.0);
	assert_ju64(o, "nodes.1.numa_maps_pages", 64);
	assert_ju64(o, "nodes.2.pages", 0);
	assert_jdouble(o, "nodes.2.percent", 0.0);
	assert_ju64(o, "nodes.2.numa_maps_pages", 0);
	assert_false(jhas(nodes, "3"));
	assert_jbool(o, "thp.detected", false);
	assert_ju64(o, "thp.huge_pages", 0);
	assert_jbool(o, "numa_maps_available", true);
	assert_jbool(o, "numa_maps_agrees", true);
	assert_ju64(o, "numa_maps_diff_pages", 0);
	assert_ju64(o, "numa_maps_compared_mappings", 1);
	assert_false(jhas(o, "mappings"));
	json_object_put(o);
}

/* From numa_maps (check's default): the source is said, in text and JSON;
 * no cross-check line, no numa_maps column, no THP count; the query's
 * report says page_exact. */
static void test_check_source(void **state)
{
	struct json_object *o;
	char want[128], *t;

	compute();
	t = render_check(NM_FMT_TEXT, &cx.rep);
	assert_line(t, "source: page_exact (move_pages query of every page, cross-checked "
		       "with numa_maps)");
	free(t);
	o = check_json();
	assert_jstr(o, "source", "page_exact");
	json_object_put(o);

	cx.rep.from_numa_maps = true;
	cx.rep.cmp = NULL;
	t = render_check(NM_FMT_TEXT, &cx.rep);
	assert_lines(t, "pid 1234 (app): 512 pages mapped (2.0 MiB), 400 present, 112 not present",
			"source: numa_maps (one read of /proc/1234/numa_maps, as numastat -p; "
			"--exact adds the page-exact move_pages query and cross-checks the two)",
			"THP: not counted (numa_maps has no huge page count; --exact counts them)");
	snprintf(want, sizeof(want), "%-8s %12s %12s %7s", "node", "pages", "bytes", "share");
	assert_line(t, want);
	snprintf(want, sizeof(want), "%-8d %12d %12s %6.1f%%", 0, 300, "1.2 MiB", 75.0);
	assert_line(t, want);
	assert_null(strstr(t, "cross-check\n"));
	assert_null(strstr(t, "agrees"));
	assert_null(strstr(t, "not readable"));
	free(t);
	o = check_json();
	assert_jstr(o, "source", "numa_maps");
	assert_jbool(o, "numa_maps_available", true);
	assert_jnull(o, "numa_maps_agrees");
	assert_ju64(o, "numa_maps_compared_mappings", 0);
	assert_false(jhas(jget(o, "nodes.0"), "numa_maps_pages"));
	json_object_put(o);
	/* the rows: no THP count from numa_maps, "-" rather than 0 */
	cx.rep.by_mapping = true;
	t = render_check(NM_FMT_TEXT, &cx.rep);
	snprintf(want, sizeof(want), "%016llx-%016llx %-4s %-7s %9d %10d %10d %10d %9d %6s  %s",
		 V0, V0 + 256 * PS, "rw-p", "anon", 256, 192, 64, 0, 0, "-", "");
	assert_line(t, want);
	free(t);
	(void)state;
}

static void test_check_json_disagrees_and_unavailable(void **state)
{
	struct json_object *o;

	cx.e[0].node_pages[0] = 190;
	cx.e[0].node_pages[1] = 70;
	compute();
	cx.rep.partial = true;
	cx.rep.range_text = "heap";
	o = check_json();
	assert_jstr(o, "range", "heap");
	assert_jbool(o, "partial", true);
	assert_jbool(o, "numa_maps_agrees", false);
	assert_ju64(o, "numa_maps_diff_pages", 8);
	assert_ju64(o, "nodes.0.numa_maps_pages", 190);
	assert_ju64(o, "nodes.1.numa_maps_pages", 70);
	json_object_put(o);

	/* no numa_maps: no numa_maps_pages per node; agreement is unknown (null),
	 * neither true nor false */
	nm_compare_compute(&cx.vmas, &cx.ranges, &cx.q, NULL, PS, &cx.cmp);
	o = check_json();
	assert_jbool(o, "numa_maps_available", false);
	assert_true(jhas(o, "numa_maps_agrees"));
	assert_null(jget(o, "numa_maps_agrees"));
	assert_false(jhas(jget(o, "nodes.0"), "numa_maps_pages"));
	assert_ju64(o, "nodes.0.pages", 300);
	json_object_put(o);

	/* numa_maps read but nothing compared: unknown too (was false, which
	 * reads as a disagreement that never happened) */
	cx.r[0].end = V0 + 255 * PS;
	compute();
	o = check_json();
	assert_jbool(o, "numa_maps_available", true);
	assert_true(jhas(o, "numa_maps_agrees"));
	assert_null(jget(o, "numa_maps_agrees"));
	assert_ju64(o, "numa_maps_compared_mappings", 0);
	json_object_put(o);
}

static void test_check_json_by_mapping(void **state)
{
	char *t;
	struct json_object *o, *a, *m;

	compute();
	cx.rep.by_mapping = true;
	cx.rep.comm = weird;
	t = render_check(NM_FMT_JSON, &cx.rep);
	assert_escaped(t);
	o = parse_json(t);
	assert_jstr(o, "comm", weird);
	a = jget(o, "mappings");
	assert_true(json_object_is_type(a, json_type_array));
	assert_int_equal(json_object_array_length(a), 2);	/* vma 2 has no pages */

	m = json_object_array_get_idx(a, 0);
	assert_jstr(m, "start", "0x10000000");
	assert_jstr(m, "end", "0x10100000");
	assert_jstr(m, "perms", "rw-p");
	assert_jstr(m, "kind", "anon");
	assert_jnull(m, "path");
	assert_ju64(m, "pages", 256);
	assert_ju64(m, "present", 256);
	assert_ju64(m, "not_present", 0);
	assert_ju64(m, "huge_pages", 0);
	assert_jstr(m, "policy", "default");
	assert_int_equal(json_object_object_length(jget(m, "nodes")), 3);
	assert_ju64(m, "nodes.0.pages", 192);
	assert_jdouble(m, "nodes.0.percent", 75.0);
	assert_ju64(m, "nodes.1.pages", 64);
	assert_jdouble(m, "nodes.1.percent", 25.0);
	assert_ju64(m, "nodes.2.pages", 0);
	assert_false(jhas(jget(m, "nodes.0"), "numa_maps_pages"));

	m = json_object_array_get_idx(a, 1);
	assert_jstr(m, "start", "0x20000000");
	assert_jstr(m, "end", "0x20200000");
	assert_jstr(m, "perms", "rw-s");
	assert_jstr(m, "kind", "file");
	assert_jstr(m, "path", weird_path);
	assert_ju64(m, "pages", 256);
	assert_ju64(m, "present", 144);
	assert_ju64(m, "not_present", 112);
	assert_jstr(m, "policy", "bind:0");
	assert_ju64(m, "nodes.0.pages", 108);
	assert_jdouble(m, "nodes.0.percent", 75.0);
	assert_ju64(m, "nodes.1.pages", 36);
	json_object_put(o);
	free(t);

	/* nm_check_json: the same, as an object */
	o = nm_check_json(&cx.rep);
	assert_int_equal(json_object_array_length(jget(o, "mappings")), 2);
	json_object_put(o);

	/* a large address keeps all its hex digits */
	cx.vma[0].start = 0x7ffd1c000000ULL;
	cx.vma[0].end = 0xffffffffff601000ULL;
	o = nm_check_json(&cx.rep);
	m = json_object_array_get_idx(jget(o, "mappings"), 0);
	assert_jstr(m, "start", "0x7ffd1c000000");
	assert_jstr(m, "end", "0xffffffffff601000");
	json_object_put(o);
}

/* ---- check: CSV ----------------------------------------------------------------------- */

static void test_check_csv(void **state)
{
	char *t;

	compute();
	t = render_check(NM_FMT_CSV, &cx.rep);
	assert_string_equal(t,
		"pid,node,pages,bytes,percent,numa_maps_pages\n"
		"1234,0,300,1228800,75.0,192\n"
		"1234,1,100,409600,25.0,64\n"
		"1234,2,0,0,0.0,0\n"
		"1234,absent,112,458752,,\n");
	free(t);

	/* without numa_maps the last column is empty */
	nm_compare_compute(&cx.vmas, &cx.ranges, &cx.q, NULL, PS, &cx.cmp);
	t = render_check(NM_FMT_CSV, &cx.rep);
	assert_string_equal(t,
		"pid,node,pages,bytes,percent,numa_maps_pages\n"
		"1234,0,300,1228800,75.0,\n"
		"1234,1,100,409600,25.0,\n"
		"1234,2,0,0,0.0,\n"
		"1234,absent,112,458752,,\n");
	free(t);
}

/* check --by-mapping --json written a row at a time as it is printed: the
 * same text as the document built whole, and the report's data taken over. */
static void test_check_json_streamed_same_text(void **state)
{
	struct nm_vma_list vl = { calloc(3, sizeof(struct nm_vma)), 3, 3 };
	char *want, *got = NULL;
	size_t len = 0;
	FILE *f;

	compute();
	cx.rep.by_mapping = true;
	want = render_check(NM_FMT_JSON, &cx.rep);
	assert_non_null(vl.v);
	for (int i = 0; i < 3; i++) {
		vl.v[i] = cx.vma[i];
		vl.v[i].path = cx.vma[i].path ? strdup(cx.vma[i].path) : NULL;
	}
	f = open_memstream(&got, &len);
	assert_non_null(f);
	assert_int_equal(nm_json_print(f, nm_check_json_streamed(&cx.rep, &vl, &cx.vc, &cx.mm,
								 f)), 0);
	assert_int_equal(fclose(f), 0);
	assert_string_equal(got, want);
	assert_true(strstr(got, "\"mappings\": [") != NULL);
	assert_null(vl.v);
	assert_null(cx.vc.c);
	free(got);
	free(want);
}

static void test_check_csv_by_mapping(void **state)
{
	char *t;

	compute();
	cx.rep.by_mapping = true;
	t = render_check(NM_FMT_CSV, &cx.rep);
	assert_string_equal(t,
		"pid,node,pages,bytes,percent,numa_maps_pages\n"
		"1234,0,300,1228800,75.0,192\n"
		"1234,1,100,409600,25.0,64\n"
		"1234,2,0,0,0.0,0\n"
		"1234,absent,112,458752,,\n"
		"\n"
		"pid,start,end,perms,kind,path,node,pages\n"
		"1234,0x10000000,0x10100000,rw-p,anon,\"\",0,192\n"
		"1234,0x10000000,0x10100000,rw-p,anon,\"\",1,64\n"
		"1234,0x20000000,0x20200000,rw-s,file,\"/tmp/my \"\"data\"\", file\",0,108\n"
		"1234,0x20000000,0x20200000,rw-s,file,\"/tmp/my \"\"data\"\", file\",1,36\n");
	free(t);
}

/* ---- issue #11/#12: escaping, interrupted runs, the counter table ------------------- */

/* no byte below 0x20 other than newline, no DEL */
static void assert_no_control_bytes(const char *t)
{
	for (const unsigned char *p = (const unsigned char *)t; *p; p++)
		if ((*p < 0x20 && *p != '\n') || *p == 0x7f)
			fail_msg("raw control byte 0x%02x at offset %td in:\n%s", *p,
				 (const char *)p - t, t);
}

static void test_move_text_escapes_control_bytes(void **state)
{
	char *t;

	fx.rep.comm = "a\x1b[2J\a\rb";
	fx.rep.range_text = "/tmp/x\x1b";
	t = render_move(NM_FMT_TEXT, &fx.rep);
	assert_no_control_bytes(t);
	assert_line(t, "Moving pid 1234 (a\\x1b[2J\\x07\\x0db) to node 1, range /tmp/x\\x1b");
	free(t);
}

static void test_move_text_policy_paths_escaped(void **state)
{
	struct nm_policy_result pol = { .pid = 1234, .node = 1 };
	char *t;

	snprintf(pol.from, sizeof(pol.from), "/sys/fs/cgroup/u\x1b");
	snprintf(pol.to, sizeof(pol.to), "/sys/fs/cgroup/u\x1b/numa-migrate-1234");
	snprintf(pol.undo, sizeof(pol.undo), "echo 1234 > %s/cgroup.procs && rmdir %s", pol.from,
		 pol.to);
	fx.rep.policy = &pol;
	t = render_move(NM_FMT_TEXT, &fx.rep);
	assert_no_control_bytes(t);
	assert_lines(t, "Policy: bind to node 1: pid 1234 moved from cgroup /sys/fs/cgroup/u\\x1b to "
			"/sys/fs/cgroup/u\\x1b/numa-migrate-1234 with cpuset.mems=1 (the kernel moves "
			"its memory there and keeps new and returning pages there)",
			"  undo: echo 1234 > /sys/fs/cgroup/u\\x1b/cgroup.procs && rmdir "
			"/sys/fs/cgroup/u\\x1b/numa-migrate-1234");
	free(t);
}

static void test_move_interrupted_text_and_json(void **state)
{
	struct nm_pin_result pin = { .node = 1, .threads = 2, .pinned = 2 };
	struct nm_move_change ch[2] = {
		{ "pin_threads", "the CPU affinity of pid 1234's 2 pinned threads",
		  "taskset -a -p -c 0 1234", true },
		{ "policy", "the cgroup of pid 1234", "echo 1234 > /x/cgroup.procs", false },
	};
	struct nm_policy_result pol = { .pid = 1234, .node = 1 };
	struct json_object *o;

	snprintf(pin.cpus, sizeof(pin.cpus), "1");
	snprintf(pin.undo, sizeof(pin.undo), "taskset -a -p -c 0 1234");
	fx.rep.pin = &pin;
	fx.rep.policy = &pol;
	fx.rep.stop_signal = 2;
	fx.rep.fatal_msg = "interrupted by SIGINT after 5 of 131072 pages were examined";
	fx.rep.changes = ch;
	fx.rep.nchanges = 2;
	move_has_lines(NM_FMT_TEXT, "Restored: the CPU affinity of pid 1234's 2 pinned threads",
				    "NOT restored: the cgroup of pid 1234; undo it by hand: "
				    "echo 1234 > /x/cgroup.procs",
				    "PARTIAL: interrupted by SIGINT after 5 of 131072 pages were examined");

	o = nm_move_json(&fx.rep);
	assert_jbool(o, "interrupted", true);
	assert_jbool(o, "partial", true);
	{
		struct json_object *a = json_object_object_get(o, "changes_undone");
		struct json_object *c0 = json_object_array_get_idx(a, 0);
		struct json_object *c1 = json_object_array_get_idx(a, 1);

		assert_int_equal(json_object_array_length(a), 2);
		assert_jstr(c0, "kind", "pin_threads");
		assert_jbool(c0, "restored", true);
		assert_jstr(c0, "undo", "taskset -a -p -c 0 1234");
		assert_jstr(c1, "what", "the cgroup of pid 1234");
		assert_jbool(c1, "restored", false);
		assert_jstr(c1, "undo", "echo 1234 > /x/cgroup.procs");
	}
	assert_jbool(o, "pin_threads.restored", true);
	assert_jbool(o, "policy.restored", false);
	json_object_put(o);

	/* a completed run: nothing undone, nothing interrupted */
	fx.rep.stop_signal = 0;
	fx.rep.fatal_msg = NULL;
	fx.rep.nchanges = 0;
	o = nm_move_json(&fx.rep);
	assert_jbool(o, "interrupted", false);
	assert_false(json_object_object_get_ex(o, "changes_undone", NULL));
	assert_false(json_object_object_get_ex(json_object_object_get(o, "pin_threads"),
					       "restored", NULL));
	json_object_put(o);
}

/* Every counter of engine.h's table is in move's JSON under its key, with
 * its own value: a counter added to the table needs no report.c change. */
static void test_move_json_every_counter(void **state)
{
	struct json_object *o;

	for (size_t i = 0; i < nm_move_ncounters; i++) {
		uint64_t v = 1000 + i;

		memcpy((char *)&fx.res + nm_move_counters[i].offset, &v, sizeof(v));
	}
	o = nm_move_json(&fx.rep);
	for (size_t i = 0; i < nm_move_ncounters; i++)
		assert_ju64(o, nm_move_counters[i].key, 1000 + i);
	json_object_put(o);
}

static void test_check_text_escapes_control_bytes(void **state)
{
	static char path[] = "/tmp/\x1b]0;owned\a\r";
	char *t;

	compute();
	cx.vma[1].path = path;
	cx.rep.comm = "x\x1b[31m";
	cx.rep.by_mapping = true;
	t = render_check(NM_FMT_TEXT, &cx.rep);
	assert_no_control_bytes(t);
	assert_contains(t, "pid 1234 (x\\x1b[31m): 512 pages examined",
			   "  /tmp/\\x1b]0;owned\\x07\\x0d\n");
	free(t);
	t = render_check(NM_FMT_CSV, &cx.rep);
	assert_no_control_bytes(t);
	assert_non_null(strstr(t, ",\"/tmp/\\x1b]0;owned\\x07\\x0d\",0,108\n"));
	free(t);
}

static void test_check_json_invalid_utf8(void **state)
{
	static char path[] = "/tmp/a\xff" "b";
	struct json_object *o;
	char *t;

	compute();
	cx.vma[1].path = path;
	cx.rep.comm = "c\xff";
	cx.rep.by_mapping = true;
	t = render_check(NM_FMT_JSON, &cx.rep);
	assert_null(strchr(t, '\xff'));
	o = parse_json(t);
	assert_jstr(o, "comm", "c\\xff");
	assert_jstr(json_object_array_get_idx(json_object_object_get(o, "mappings"), 1), "path",
		    "/tmp/a\\xffb");
	json_object_put(o);
	free(t);
}

int main(void)
{
#define M(f) cmocka_unit_test_setup(f, move_setup)
#define C(f) cmocka_unit_test_setup_teardown(f, check_setup, check_teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_percent),
		M(test_move_text),
		M(test_move_time_split),
		M(test_move_text_no_verify),
		M(test_move_text_verify_details),
		M(test_move_text_from_filter_and_ranges),
		M(test_move_text_dry_run),
		M(test_move_partial),
		M(test_move_kernel_counts),
		M(test_move_json),
		M(test_move_json_percent_one_decimal),
		M(test_move_json_large_counts),
		M(test_move_json_escaping),
		M(test_move_csv),
		C(test_compare_full_and_partial),
		C(test_compare_diff_is_absolute),
		C(test_compare_hugetlb_scale),
		C(test_compare_split_pieces),
		C(test_compare_unavailable),
		C(test_compare_missing_entry),
		C(test_check_text_agrees),
		C(test_check_text_disagrees),
		C(test_check_text_no_cross_check),
		C(test_check_text_partial_thp_errors),
		C(test_check_text_by_mapping),
		C(test_check_json),
		C(test_check_json_disagrees_and_unavailable),
		C(test_check_source),
		C(test_check_json_by_mapping),
		C(test_check_csv),
		C(test_check_csv_by_mapping),
		C(test_check_json_streamed_same_text),
		M(test_move_text_escapes_control_bytes),
		M(test_move_text_policy_paths_escaped),
		M(test_move_interrupted_text_and_json),
		M(test_move_json_every_counter),
		C(test_check_text_escapes_control_bytes),
		C(test_check_json_invalid_utf8),
	};
#undef M
#undef C

	return cmocka_run_group_tests(tests, NULL, NULL);
}
