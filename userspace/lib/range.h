/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --range specifications and their resolution against a process's mappings.
 *
 *   START-END, START+LEN   absolute (hex or decimal, K/M/G suffixes)
 *   heap, stack, anon      every mapping of that kind
 *   /path/to/file          every mapping of that file
 *   SIZE                   the first SIZE bytes of the largest anonymous mapping
 *   (no --range)           every migratable mapping
 */
#ifndef NM_RANGE_H
#define NM_RANGE_H

#include <stddef.h>
#include <stdint.h>
#include "maps.h"

enum nm_rspec_kind {
	NM_RSPEC_ALL,
	NM_RSPEC_ABS,
	NM_RSPEC_SIZE,
	NM_RSPEC_HEAP,
	NM_RSPEC_STACK,
	NM_RSPEC_ANON,
	NM_RSPEC_PATH,
};

struct nm_range_spec {
	enum nm_rspec_kind kind;
	uint64_t start, end;	/* ABS: [start, end) as given (unrounded) */
	uint64_t size;		/* SIZE */
	char path[4096];	/* PATH */
	char text[4160];	/* what the user typed, for messages */
};

/* One page-aligned piece [start, end) inside one mapping. */
struct nm_range {
	uint64_t start, end;
	size_t vma;		/* index into the nm_vma_list used to resolve */
};

struct nm_range_list {
	struct nm_range *r;
	size_t n, cap;
	uint64_t pages;		/* total pages over all pieces */
	/* Rounding and clamping applied, for reporting: filled for ABS and SIZE
	 * only (0 otherwise). For SIZE, round_end is the requested end rounded
	 * up before clamping; clamped_to is what was used. */
	uint64_t req_start, req_end;	/* what was asked (ABS/SIZE) */
	uint64_t round_start, round_end; /* after rounding to pages */
	int rounded;			/* 1 if req != round */
	int clamped;			/* SIZE larger than the mapping: clamped */
	uint64_t clamped_to;		/* bytes actually used when clamped */
};

/* Parses --range. Returns 0, or -EINVAL with a reason in err. */
int nm_range_spec_parse(const char *s, struct nm_range_spec *out,
			char *err, size_t errlen);

/* Resolves SPEC against VMAS (page size PS). Pieces are sorted by address,
 * each inside one migratable mapping. Returns 0, -ENOENT when nothing of
 * the process matches (err says why), -ENOMEM. */
int nm_range_resolve(const struct nm_range_spec *spec,
		     const struct nm_vma_list *vmas, uint64_t ps,
		     struct nm_range_list *out, char *err, size_t errlen);

void nm_range_list_free(struct nm_range_list *l);

/* OUT = the pieces of ALL inside [start, end), clipped, each keeping its
 * vma index (OUT's old pieces are dropped; its buffer is reused). ALL must
 * be in address order without overlaps, as nm_range_resolve makes it: the
 * first piece is found by binary search. Returns 0 or -ENOMEM. */
int nm_range_list_clip(const struct nm_range_list *all, uint64_t start, uint64_t end,
		       struct nm_range_list *out);

#endif
