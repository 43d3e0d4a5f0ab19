// SPDX-License-Identifier: GPL-2.0
/* Migration reasons' names from mm_migrate_pages' format in tracefs. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include "migrate.h"
#include "reasonfmt.h"
#include "tracefs.h"

/* the print fmt lines of 6.18 (this build machine) and 6.1 */
#define FMT_618 "print fmt: \"nr_succeeded=%lu nr_failed=%lu nr_thp_succeeded=%lu " \
	"nr_thp_failed=%lu nr_thp_split=%lu nr_split=%lu mode=%s reason=%s\", REC->succeeded, " \
	"REC->failed, REC->thp_succeeded, REC->thp_failed, REC->thp_split, " \
	"REC->large_folio_split, __print_symbolic(REC->mode, {0, \"MIGRATE_ASYNC\"}, " \
	"{1, \"MIGRATE_SYNC_LIGHT\"}, {2, \"MIGRATE_SYNC\"}), __print_symbolic(REC->reason, " \
	"{0, \"compaction\"}, {1, \"memory_failure\"}, {2, \"memory_hotplug\"}, " \
	"{3, \"syscall_or_cpuset\"}, {4, \"mempolicy_mbind\"}, {5, \"numa_misplaced\"}, " \
	"{6, \"contig_range\"}, {7, \"longterm_pin\"}, {8, \"demotion\"}, {9, \"damon\"})\n"
#define FMT_61 "print fmt: \"nr_succeeded=%lu nr_failed=%lu nr_thp_succeeded=%lu " \
	"nr_thp_failed=%lu nr_thp_split=%lu mode=%s reason=%s\", REC->succeeded, " \
	"REC->failed, REC->thp_succeeded, REC->thp_failed, REC->thp_split, " \
	"__print_symbolic(REC->mode, {0, \"MIGRATE_ASYNC\"}, {1, \"MIGRATE_SYNC_LIGHT\"}, " \
	"{2, \"MIGRATE_SYNC\"}), __print_symbolic(REC->reason, {0, \"compaction\"}, " \
	"{1, \"memory_failure\"}, {2, \"memory_hotplug\"}, {3, \"syscall_or_cpuset\"}, " \
	"{4, \"mempolicy_mbind\"}, {5, \"numa_misplaced\"}, {6, \"contig_range\"}, " \
	"{7, \"longterm_pin\"}, {8, \"demotion\"})\n"

static char names[NM_MIGRATE_MAX_REASONS][NM_REASON_NAME_LEN];
static bool named[NM_MIGRATE_MAX_REASONS];

static void clear(void)
{
	for (int i = 0; i < NM_MIGRATE_MAX_REASONS; i++)
		snprintf(names[i], sizeof(names[i]), "reason_%d", i);
	memset(named, 0, sizeof(named));
}

/* 6.18's enum is the known list in its order: every name is the one the
 * BTF path gives (MR_SYSCALL -> "syscall", not the event's own) */
static void test_names_match_btf_names(void **state)
{
	static const char *const known[] = {
#define NAME(id, name) name,
		NM_MIGRATE_KNOWN_REASONS(NAME)
#undef NAME
	};

	(void)state;
	clear();
	assert_int_equal(nm_reason_names_parse(FMT_618, names, named, NM_MIGRATE_MAX_REASONS), 10);
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		assert_true(named[i]);
		assert_string_equal(names[i], known[i]);
	}
	assert_false(named[10]);
	assert_string_equal(names[10], "reason_10");
}

static void test_names_61(void **state)
{
	(void)state;
	clear();
	assert_int_equal(nm_reason_names_parse(FMT_61, names, named, NM_MIGRATE_MAX_REASONS), 9);
	assert_string_equal(names[3], "syscall");
	assert_string_equal(names[8], "demotion");
	assert_false(named[9]);
}

/* a value past MAX is left out, the rest named */
static void test_names_past_max(void **state)
{
	(void)state;
	clear();
	assert_int_equal(nm_reason_names_parse(FMT_61, names, named, 4), 4);
	assert_string_equal(names[3], "syscall");
	assert_false(named[4]);
}

/* whatever is malformed names nothing: the BTF path names instead */
static void test_names_malformed(void **state)
{
	static const char *const bad[] = {
		/* a value the kernel left as the enum's name */
		"__print_symbolic(REC->reason, {0, \"compaction\"}, {MR_SYSCALL, \"syscall_or_cpuset\"})",
		"__print_symbolic(REC->mode, {0, \"MIGRATE_ASYNC\"})",	/* no reason list */
		"__print_symbolic(REC->reason, {0, \"compaction\"}",	/* cut short */
		"__print_symbolic(REC->reason, {0 \"compaction\"})",
		"__print_symbolic(REC->reason, {1x, \"compaction\"})",
		"__print_symbolic(REC->reason, {0, \"Compaction\"})",
		"__print_symbolic(REC->reason, {0, \"\"})",
		"__print_symbolic(REC->reason, {0, \"a_name_longer_than_thirty_one_chars\"})",
		"",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		clear();
		assert_int_equal(nm_reason_names_parse(bad[i], names, named, NM_MIGRATE_MAX_REASONS),
				 -EINVAL);
		for (int k = 0; k < NM_MIGRATE_MAX_REASONS; k++)
			assert_false(named[k]);
		assert_string_equal(names[0], "reason_0");
	}
	assert_int_equal(nm_reason_names_parse(NULL, names, named, NM_MIGRATE_MAX_REASONS), -EINVAL);
}

/* tracefs under debugfs when /sys/kernel/tracing has no events; -ENOENT
 * when neither has the event */
static void test_names_read_root(void **state)
{
	static const char *const dirs[] = {
		"sys", "sys/kernel", "sys/kernel/tracing", "sys/kernel/debug",
		"sys/kernel/debug/tracing", "sys/kernel/debug/tracing/events",
		"sys/kernel/debug/tracing/events/migrate",
		"sys/kernel/debug/tracing/events/migrate/mm_migrate_pages",
	};
	char root[64] = "/tmp/nm-reasonfmt-XXXXXX", path[256], cmd[128];
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(root));
	clear();
	assert_int_equal(nm_reason_names_read(root, names, named, NM_MIGRATE_MAX_REASONS), -ENOENT);
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", root, dirs[i]);
		assert_int_equal(mkdir(path, 0755), 0);
	}
	snprintf(path, sizeof(path), "%s/%s/format", root, dirs[7]);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("name: mm_migrate_pages\n" FMT_618, f);
	fclose(f);
	assert_int_equal(nm_reason_names_read(root, names, named, NM_MIGRATE_MAX_REASONS), 10);
	assert_string_equal(names[5], "numa_misplaced");
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	assert_int_equal(system(cmd), 0);
}

/* the first mount point that has REL; -ENOENT for neither, -ENAMETOOLONG
 * when the path does not fit */
static void test_tracefs_path(void **state)
{
	char root[64] = "/tmp/nm-tracefs-XXXXXX", path[256], want[256], cmd[128];
	static const char *const dirs[] = {
		"sys", "sys/kernel", "sys/kernel/tracing", "sys/kernel/debug",
		"sys/kernel/debug/tracing", "sys/kernel/debug/tracing/events",
	};

	(void)state;
	assert_non_null(mkdtemp(root));
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", root, dirs[i]);
		assert_int_equal(mkdir(path, 0755), 0);
	}
	assert_int_equal(nm_tracefs_path(root, "/events", path, sizeof(path)), 0);
	snprintf(want, sizeof(want), "%s/sys/kernel/debug/tracing/events", root);
	assert_string_equal(path, want);
	snprintf(path, sizeof(path), "%s/sys/kernel/tracing/events", root);
	assert_int_equal(mkdir(path, 0755), 0);
	assert_int_equal(nm_tracefs_path(root, "/events", path, sizeof(path)), 0);
	snprintf(want, sizeof(want), "%s/sys/kernel/tracing/events", root);
	assert_string_equal(path, want);
	assert_int_equal(nm_tracefs_path(root, "/kprobe_events", path, sizeof(path)), -ENOENT);
	assert_int_equal(nm_tracefs_path(root, "/events", path, 16), -ENAMETOOLONG);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_match_btf_names),
		cmocka_unit_test(test_names_61),
		cmocka_unit_test(test_names_past_max),
		cmocka_unit_test(test_names_malformed),
		cmocka_unit_test(test_names_read_root),
		cmocka_unit_test(test_tracefs_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
