/* SPDX-License-Identifier: GPL-2.0 */
/* Constants shared by every part of numa-migrate's user space. */
#ifndef NM_NM_H
#define NM_NM_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

/* Node numbers we count per node; a node >= NM_MAX_NODES is reported as an
 * error naming the node rather than silently dropped. */
#define NM_MAX_NODES 64

#define NM_PAGE_SIZE_DEFAULT 4096ULL
#define NM_HPAGE_PMD_SIZE (2ULL << 20)

/* Exit codes: documented in --help, the man page and the README. */
enum nm_exit {
	NM_EXIT_OK = 0,
	NM_EXIT_USAGE = 1,	/* invalid arguments, or process not found */
	NM_EXIT_PERM = 2,	/* permission denied */
	NM_EXIT_MIGRATE = 3,	/* pages failed, verification too low, target exited */
	NM_EXIT_UNSUPPORTED = 4,/* auto: one NUMA node, or hinting faults not attributable */
};

struct nm_nodemask {
	uint64_t bits;		/* bit N = node N; NM_MAX_NODES == 64 */
};

static inline bool nm_nodemask_test(const struct nm_nodemask *m, int node)
{
	return node >= 0 && node < NM_MAX_NODES && (m->bits >> node) & 1;
}

static inline void nm_nodemask_set(struct nm_nodemask *m, int node)
{
	if (node >= 0 && node < NM_MAX_NODES)
		m->bits |= 1ULL << node;
}

/* The monotonic clock in seconds: the one clock for timing and pacing. */
static inline double nm_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#define NM_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Makes room for element N of the growable array ARR of CAP elements:
 * doubles it (FIRST elements the first time). 0, or -ENOMEM with ARR and
 * CAP unchanged. ARR and CAP are lvalues, evaluated more than once. */
#define nm_grow(arr, n, cap, first) __extension__ ({				\
	int nm_grow_rc = 0;							\
	if ((size_t)(n) >= (cap)) {						\
		size_t nm_grow_c = (cap) ? (cap) * 2 : (size_t)(first);	\
		__typeof__(arr) nm_grow_p = nm_grow_c > SIZE_MAX / sizeof(*(arr)) ? \
			NULL : realloc((arr), nm_grow_c * sizeof(*(arr)));	\
		if (nm_grow_p) {						\
			(arr) = nm_grow_p;					\
			(cap) = nm_grow_c;					\
		} else {							\
			nm_grow_rc = -ENOMEM;					\
		}								\
	}									\
	nm_grow_rc; })

/* The index of the first element of ARR[0..N), sorted by FIELD, whose
 * FIELD is >= KEY (N when none is): a binary search, O(log N). */
#define nm_lower_bound(arr, n, field, key) __extension__ ({			\
	size_t nm_lb_lo = 0, nm_lb_hi = (n);					\
	while (nm_lb_lo < nm_lb_hi) {						\
		size_t nm_lb_mid = nm_lb_lo + (nm_lb_hi - nm_lb_lo) / 2;	\
		if ((arr)[nm_lb_mid].field < (key))				\
			nm_lb_lo = nm_lb_mid + 1;				\
		else								\
			nm_lb_hi = nm_lb_mid;					\
	}									\
	nm_lb_lo; })

#endif
