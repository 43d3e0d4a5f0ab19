// SPDX-License-Identifier: GPL-2.0
/*
 * nmt-hold [MB]: a process whose memory holds one cause of a failed or
 * short-lived move per region, for the diagnose scenarios. Every region is
 * MB MiB (default 4), 4 KiB pages (MADV_NOHUGEPAGE), first-touched from a
 * CPU of node 0:
 *   plain   every page written: moves (the control)
 *   half    every other page written: the rest is not present
 *   locked  written, then mlock()ed
 *   pinned  written, then its first 1 MiB handed to a pipe with vmsplice()
 *           and never read, so the pipe holds references to those pages
 *   bound   mbind(MPOL_BIND, node 0) before it is written
 * Prints "HOLD pid=P plain=0xA half=0xB locked=0xC pinned=0xD bound=0xE
 * len=N pinned_len=M" and sleeps until killed.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <numa.h>
#include <numaif.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

#define PS 4096UL

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static char *region(size_t len)
{
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		die("mmap");
	if (madvise(p, len, MADV_NOHUGEPAGE) < 0)
		die("madvise(MADV_NOHUGEPAGE)");
	return p;
}

static void fill(char *p, size_t len, size_t step)
{
	for (size_t o = 0; o < len; o += step)
		p[o] = (char)(o / PS + 1);
}

int main(int argc, char **argv)
{
	size_t mb = argc > 1 ? strtoul(argv[1], NULL, 10) : 4;
	size_t len = mb << 20, plen = 1UL << 20;
	unsigned long node0 = 1;
	char *plain, *half, *locked, *pinned, *bound;
	struct iovec iov;
	int pfd[2];

	if (mb < 1 || numa_available() < 0)
		die("usage: nmt-hold [MB >= 1] on a NUMA kernel");
	if (numa_run_on_node(0) < 0)
		die("numa_run_on_node(0)");
	plain = region(len);
	half = region(len);
	locked = region(len);
	pinned = region(len);
	bound = region(len);
	fill(plain, len, PS);
	fill(half, len, 2 * PS);
	fill(locked, len, PS);
	if (mlock(locked, len) < 0)
		die("mlock");
	fill(pinned, len, PS);
	if (pipe(pfd) < 0)
		die("pipe");
	if (fcntl(pfd[1], F_SETPIPE_SZ, (int)plen) < (int)plen)
		die("F_SETPIPE_SZ 1 MiB");
	iov = (struct iovec){ pinned, plen };
	if (vmsplice(pfd[1], &iov, 1, 0) != (ssize_t)plen)
		die("vmsplice");
	if (mbind(bound, len, MPOL_BIND, &node0, sizeof(node0) * 8, 0) < 0)
		die("mbind(MPOL_BIND, node 0)");
	fill(bound, len, PS);
	numa_run_on_node(-1);
	printf("HOLD pid=%d plain=%p half=%p locked=%p pinned=%p bound=%p len=%zu pinned_len=%zu\n",
	       (int)getpid(), (void *)plain, (void *)half, (void *)locked, (void *)pinned,
	       (void *)bound, len, plen);
	fflush(stdout);
	for (;;)
		pause();
}
