// SPDX-License-Identifier: GPL-2.0
/* Unit tests of the hook table (userspace/kernel/hooks.c): every row is
 * complete, and the details, warnings and attempt lists written from it.
 * hooks.c has no libbpf, so it is compiled in here directly. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "testutil.h"
#include "hooks.c"

/* bpfenv.c is a kernel-layer file: this stands in for it */
static bool kprobes_present = true;
bool nm_kprobes_present(const char *root)
{
	(void)root;
	return kprobes_present;
}

static void test_table_complete(void **state)
{
	(void)state;
	for (int id = NM_HK_NONE + 1; id < NM_HK_COUNT; id++) {
		const struct nm_hook_def *d = nm_hook(id);

		assert_non_null(d);
		assert_non_null(d->name);
		assert_non_null(d->role);
		assert_int_not_equal(d->method[0], NM_AT_NONE);
		if (d->serves) {
			/* gives another hook's data: that one warns, and is
			 * itself served by no one */
			assert_null(d->warn);
			assert_non_null(nm_hook(d->serves));
			assert_non_null(nm_hook(d->serves)->warn);
			assert_int_equal(nm_hook(d->serves)->serves, NM_HK_NONE);
		}
		if (!d->lost)
			fail_msg("hook %s does not say what is lost without it", d->name);
		for (int j = id + 1; j < NM_HK_COUNT; j++)
			if (!strcmp(d->name, nm_hook(j)->name))
				fail_msg("hook %s listed twice", d->name);
		assert_true(d->depends == NM_HK_NONE || nm_hook(d->depends));
	}
	assert_null(nm_hook(NM_HK_NONE));
	assert_null(nm_hook(NM_HK_COUNT));
	/* the fallback order the loaders follow */
	assert_int_equal(nm_hook(NM_HK_TASK_NUMA_FAULT)->method[0], NM_AT_FENTRY);
	assert_int_equal(nm_hook(NM_HK_TASK_NUMA_FAULT)->method[1], NM_AT_KPROBE);
	assert_int_equal(nm_hook(NM_HK_NUMA_MIGRATE_CHECK)->serves, NM_HK_PAGE_FAULT_USER);
	assert_int_equal(nm_hook(NM_HK_NUMA_MIGRATE_PREP)->serves, NM_HK_PAGE_FAULT_USER);
	assert_string_equal(nm_attach_name(NM_AT_TP_BTF), "tp_btf");
}

static void test_detail(void **state)
{
	struct nm_hook_status s[NM_HK_COUNT];
	char buf[512];

	(void)state;
	nm_hook_status_init(s, NM_HK_COUNT);
	/* fentry refused, kprobe attached: a fallback that says why */
	nm_hook_result(&s[NM_HK_TASK_NUMA_FAULT], 0, -EPERM);
	nm_hook_result(&s[NM_HK_TASK_NUMA_FAULT], 1, 0);
	assert_int_equal(s[NM_HK_TASK_NUMA_FAULT].used, 1);
	assert_string_equal(nm_hook_detail(NM_HK_TASK_NUMA_FAULT, &s[NM_HK_TASK_NUMA_FAULT],
					   buf, sizeof(buf)),
			    "fentry refused: Operation not permitted (EPERM)");
	assert_null(nm_hook_warning(NM_HK_TASK_NUMA_FAULT, s, buf, sizeof(buf)));
	assert_string_equal(nm_hook_tried(NM_HK_TASK_NUMA_FAULT, &s[NM_HK_TASK_NUMA_FAULT], buf,
					  sizeof(buf)),
			    "task_numa_fault by fentry: Operation not permitted, by kprobe: ok");
	/* a free-text reason wins over the errno list */
	nm_hook_result(&s[NM_HK_MIGRATE_PAGES], 0, -ENOENT);
	snprintf(s[NM_HK_MIGRATE_PAGES].why, sizeof(s->why), "BPF load failed: nope");
	assert_string_equal(nm_hook_detail(NM_HK_MIGRATE_PAGES, &s[NM_HK_MIGRATE_PAGES], buf,
					   sizeof(buf)), "BPF load failed: nope");
	/* one refused tp_btf */
	nm_hook_result(&s[NM_HK_SCHED_MOVE_NUMA], 0, -EINVAL);
	assert_string_equal(nm_hook_detail(NM_HK_SCHED_MOVE_NUMA, &s[NM_HK_SCHED_MOVE_NUMA], buf,
					   sizeof(buf)), "tp_btf: Invalid argument (EINVAL)");
}

static void test_warnings(void **state)
{
	struct nm_hook_status s[NM_HK_COUNT];
	char buf[1024];
	const char *w;

	(void)state;
	nm_hook_status_init(s, NM_HK_COUNT);
	nm_hook_result(&s[NM_HK_TASK_NUMA_FAULT], 0, -EPERM);
	nm_hook_result(&s[NM_HK_TASK_NUMA_FAULT], 1, -ENOENT);
	nm_hook_result(&s[NM_HK_PAGE_FAULT_USER], 0, -EINVAL);
	nm_hook_result(&s[NM_HK_SCHED_MOVE_NUMA], 0, -EINVAL);
	nm_hook_result(&s[NM_HK_SCHED_SWAP_NUMA], 0, -EINVAL);
	w = nm_hook_warning(NM_HK_TASK_NUMA_FAULT, s, buf, sizeof(buf));
	assert_non_null(w);
	{
		static const char want[] = "hinting faults unavailable (fentry: Operation not "
			"permitted (EPERM); kprobe: No such file or directory (ENOENT)";

		assert_true(!strncmp(w, want, strlen(want)));
	}
	assert_non_null(strstr(w, "(ENOENT)): no hinting faults: which node touches which page"));
	/* a kernel without kprobes is named as such */
	kprobes_present = false;
	w = nm_hook_warning(NM_HK_TASK_NUMA_FAULT, s, buf, sizeof(buf));
	assert_non_null(strstr(w, "(ENOENT) - this kernel has no kprobes (CONFIG_KPROBES unset)): "));
	kprobes_present = true;
	/* the address hook's loss is moot without the fault hook */
	assert_null(nm_hook_warning(NM_HK_PAGE_FAULT_USER, s, buf, sizeof(buf)));
	/* one warning for the three sched hooks, from the first */
	assert_non_null(nm_hook_warning(NM_HK_SCHED_MOVE_NUMA, s, buf, sizeof(buf)));
	assert_null(nm_hook_warning(NM_HK_SCHED_SWAP_NUMA, s, buf, sizeof(buf)));
	/* with the fault hook attached, the missing address hook warns */
	nm_hook_status_init(&s[NM_HK_TASK_NUMA_FAULT], 1);
	nm_hook_result(&s[NM_HK_TASK_NUMA_FAULT], 0, 0);
	w = nm_hook_warning(NM_HK_PAGE_FAULT_USER, s, buf, sizeof(buf));
	assert_non_null(w);
	assert_string_equal(w, "fault addresses unavailable (tp_btf: Invalid argument (EINVAL)): "
			    "hinting faults cannot be placed in address regions (counted as "
			    "without address); see 'numa-migrate features'");
	/* unless a function that serves it attached instead (6.1, 6.12) */
	nm_hook_result(&s[NM_HK_NUMA_MIGRATE_CHECK], 0, -ESRCH);
	assert_non_null(nm_hook_warning(NM_HK_PAGE_FAULT_USER, s, buf, sizeof(buf)));
	nm_hook_result(&s[NM_HK_NUMA_MIGRATE_PREP], 0, 0);
	assert_null(nm_hook_warning(NM_HK_PAGE_FAULT_USER, s, buf, sizeof(buf)));
	assert_null(nm_hook_warning(NM_HK_NUMA_MIGRATE_CHECK, s, buf, sizeof(buf)));
}

NM_TEST_MAIN(
	cmocka_unit_test(test_table_complete),
	cmocka_unit_test(test_detail),
	cmocka_unit_test(test_warnings))
