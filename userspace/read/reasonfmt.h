/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The names of enum migrate_reason's values from the format of the
 * migrate:mm_migrate_pages event in tracefs: its print fmt maps each value
 * to a name (__print_symbolic(REC->reason, {3, "syscall_or_cpuset"}, ...)).
 * A 2 KiB file instead of the kernel's BTF, which the migration counter's
 * names otherwise come from (6 MB parsed: 0.05 s of a one-job move of
 * 256 MiB under QEMU, issue 14 point 3).
 */
#ifndef NM_REASONFMT_H
#define NM_REASONFMT_H

#include <stdbool.h>

#define NM_REASON_NAME_LEN 32

/*
 * Names each value V < MAX the print fmt in TEXT lists: NAMES[V] and
 * NAMED[V] = true. A name is the one the kernel's BTF gives (MR_X -> "x"):
 * the event's own names are those, but for "syscall_or_cpuset" (MR_SYSCALL).
 * Returns how many values it named, or -EINVAL when TEXT has no such list
 * or a malformed one (a value left as an enum name: nothing is written).
 */
int nm_reason_names_parse(const char *text, char names[][NM_REASON_NAME_LEN], bool *named,
			  int max);

/* The same from ROOT/sys/kernel/tracing (or ROOT/sys/kernel/debug/tracing)
 * /events/migrate/mm_migrate_pages/format. ROOT "" or NULL: the real /sys.
 * Returns the count, -ENOENT when tracefs is not mounted, or -errno. */
int nm_reason_names_read(const char *root, char names[][NM_REASON_NAME_LEN], bool *named,
			 int max);

#endif
