// SPDX-License-Identifier: GPL-2.0
/* nmb-time CMD ARGS...: runs CMD, prints "elapsed_s=S.SSSSSS rc=N maxrss_kb=K
 * cpu_s=S.SSSSSS" on stderr (maxrss and cpu_s, user plus system time, from
 * wait4's rusage of CMD alone).
 * busybox's time has 10 ms resolution; migrations under test take ~0.1-5 s. */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct timespec a, b;
	struct rusage ru = { 0 };
	int st = 0;
	pid_t p;

	if (argc < 2) {
		fprintf(stderr, "usage: nmb-time CMD [ARGS...]\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	p = fork();
	if (p == 0) {
		execvp(argv[1], argv + 1);
		perror(argv[1]);
		_exit(127);
	}
	wait4(p, &st, 0, &ru);
	clock_gettime(CLOCK_MONOTONIC, &b);
	fprintf(stderr, "elapsed_s=%.6f rc=%d maxrss_kb=%ld cpu_s=%.6f\n",
		(double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9,
		WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st), ru.ru_maxrss,
		(double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
		(double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}
