// SPDX-License-Identifier: GPL-2.0
/* nmb-mappings N [PAGES]: maps N separate anonymous mappings of PAGES pages
 * (default 1), alternating PROT_READ|PROT_WRITE and PROT_READ so the kernel
 * cannot merge neighbours, touches every page, prints "READY pid=P" and
 * sleeps until killed: a process shaped like a JVM or a database with many
 * arenas, for timing check against numastat -p. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 60000;
	long pages = argc > 2 ? strtol(argv[2], NULL, 10) : 1;
	long ps = sysconf(_SC_PAGESIZE);

	if (n <= 0 || pages <= 0) {
		fprintf(stderr, "usage: nmb-mappings N [PAGES]\n");
		return 2;
	}
	for (long i = 0; i < n; i++) {
		char *p = mmap(NULL, (size_t)(pages * ps), PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED) {
			perror("mmap");
			return 1;
		}
		memset(p, 1, (size_t)(pages * ps));
		if (i % 2 && mprotect(p, (size_t)(pages * ps), PROT_READ)) {
			perror("mprotect");
			return 1;
		}
	}
	printf("READY pid=%d mappings=%ld\n", (int)getpid(), n);
	fflush(stdout);
	pause();
	return 0;
}
