/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How many regions the hinting-fault map (bpf/hintfault.bpf.c) holds for a
 * target of a given footprint: the map is sized at load time from it, so a
 * large process traced at a fine granularity drops no fault for want of room.
 */
#ifndef NM_HFBOUND_H
#define NM_HFBOUND_H

#include <stdint.h>

/* Never more than this (4 Mi regions: 16 GiB at 4 KiB, 8 TiB at 2 MiB);
 * past it faults are counted as dropped and the report says so. */
#define NM_HF_REGIONS_CAP (1u << 22)

/* Entries for FOOTPRINT bytes (the target's resident size) in regions of
 * GRAN bytes (a power of two): twice the regions the footprint fills, for
 * growth and for mappings that share or straddle a region, at least
 * NM_HF_MAX_REGIONS (the fixed size before sizing) and at most
 * NM_HF_REGIONS_CAP. GRAN 0 is taken as 4096. */
uint32_t nm_hf_region_bound(uint64_t footprint, uint64_t gran);

#endif
