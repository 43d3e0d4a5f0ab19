/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What BPF tracing needs from the kernel's environment, probed in one place:
 * kernel BTF (CO-RE, tp_btf, fentry), tracefs (reported; no program of ours
 * needs it since the migration counter became a raw tracepoint) and
 * kprobes. The checks take a root path ("" for the live system) so
 * diagnose's fact gathering can use them on a fixture tree.
 */
#ifndef NM_BPFENV_H
#define NM_BPFENV_H

#include <stdbool.h>

/* ROOT/sys/kernel/btf/vmlinux exists. */
bool nm_btf_present(const char *root);
/* tracefs is mounted: ROOT/sys/kernel/tracing/events or the debugfs
 * path ROOT/sys/kernel/debug/tracing/events exists. */
bool nm_tracefs_mounted(const char *root);
/* The kernel has kprobes: the kprobe PMU or tracefs's kprobe_events. */
bool nm_kprobes_present(const char *root);

#endif
