// SPDX-License-Identifier: GPL-2.0
/*
 * nmt-where PID START LEN: where the pages of [START, START+LEN) of PID are,
 * asked of the kernel directly (move_pages(2) in query mode, 4 KiB pages;
 * independent of numa-migrate's engine). Prints
 *   "WHERE pages=N present=P n0=A n1=B ... blocks=K mixed=M"
 * where n<node> counts present pages by node (up to 8 nodes), blocks counts
 * the 2 MiB-aligned blocks wholly inside the range that have present pages,
 * and mixed those of them whose present pages are not all on one node.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <numaif.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE 4096UL
#define BLOCK (2UL << 20)
#define BATCH 512	/* one 2 MiB block of 4 KiB pages */
#define MAXN 8

int main(int argc, char **argv)
{
	unsigned long long start, len, present = 0, blocks = 0, mixed = 0, on[MAXN] = { 0 };
	void *pages[BATCH];
	int status[BATCH];
	int pid;

	if (argc != 4) {
		fprintf(stderr, "usage: nmt-where PID START LEN\n");
		return 2;
	}
	pid = atoi(argv[1]);
	start = strtoull(argv[2], NULL, 0) & ~(PAGE - 1);
	len = strtoull(argv[3], NULL, 0);
	for (unsigned long long a = start; a < start + len;) {
		/* one batch per 2 MiB block (or the part of it in the range) */
		unsigned long long end = (a / BLOCK + 1) * BLOCK;
		int n = 0, first = -1, whole, mix = 0;

		if (end > start + len)
			end = start + len;
		whole = a % BLOCK == 0 && end - a == BLOCK;
		for (unsigned long long p = a; p < end; p += PAGE)
			pages[n++] = (void *)(uintptr_t)p;
		if (move_pages(pid, (unsigned long)n, pages, NULL, status, 0) < 0) {
			fprintf(stderr, "nmt-where: move_pages(%d): %s\n", pid, strerror(errno));
			return 1;
		}
		for (int i = 0; i < n; i++) {
			if (status[i] < 0)
				continue;
			present++;
			if (status[i] < MAXN)
				on[status[i]]++;
			if (first < 0)
				first = status[i];
			else if (status[i] != first)
				mix = 1;
		}
		if (whole && first >= 0) {
			blocks++;
			mixed += (unsigned long long)mix;
		}
		a = end;
	}
	printf("WHERE pages=%llu present=%llu", len / PAGE, present);
	for (int i = 0; i < MAXN; i++)
		printf(" n%d=%llu", i, on[i]);
	printf(" blocks=%llu mixed=%llu\n", blocks, mixed);
	return 0;
}
