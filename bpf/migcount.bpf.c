// SPDX-License-Identifier: GPL-2.0
/*
 * The migration counter alone (move, auto's counts): migrate:mm_migrate_pages
 * as a raw tracepoint, per reason, like migrate.bpf.c's counter but with no
 * CO-RE relocation, so libbpf loads it without parsing the kernel's BTF
 * (0.03-0.10 s a run under QEMU, more than move's own work on small ranges).
 *
 * The tracepoint's arguments are succeeded, failed, thp_succeeded,
 * thp_failed, then thp_split (5.18+) and large_folio_split (6.12+) where the
 * kernel has them, then mode and reason. How many there are is nargs, which
 * user space finds by attaching: the kernel refuses a raw tracepoint program
 * that reads past the tracepoint's last argument (bpf_probe_register), and
 * the verifier drops the branches nargs (read-only, known at load) makes
 * dead, so only the live one's reads count. The reason is the kernel's enum
 * migrate_reason value; user space names it from the BTF meanwhile. The
 * context is a plain array: vmlinux.h's struct bpf_raw_tracepoint_args
 * would make each access a CO-RE relocation (preserve_access_index).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "migstats.h"

const volatile __u32 filter_tgid = 0;
const volatile __u32 nargs = 8;

SEC("raw_tp/mm_migrate_pages")
int count_mm_migrate_pages(__u64 *args)
{
	__u64 split = 0;
	__u32 reason;

	if (filter_tgid && (bpf_get_current_pid_tgid() >> 32) != filter_tgid)
		return 0;
	if (nargs == 8) {
		split = args[4];
		reason = (__u32)args[7];
		NM_CTX_READ_DONE();
	} else if (nargs == 7) {
		split = args[4];
		reason = (__u32)args[6];
		NM_CTX_READ_DONE();
	} else {
		reason = (__u32)args[5];
		NM_CTX_READ_DONE();
	}
	nm_count_migration(args, reason, split);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
