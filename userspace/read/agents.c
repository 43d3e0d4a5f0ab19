// SPDX-License-Identifier: GPL-2.0
/* Other placement agents on the host (see agents.h). */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "agents.h"
#include "autoset.h"
#include "nm.h"
#include "parse.h"
#include "procfs.h"

const char *nm_agent_name(enum nm_agent_kind k)
{
	static const char *const names[] = {
		[NM_AGENT_NUMAD] = "numad", [NM_AGENT_MEMTIERD] = "memtierd",
		[NM_AGENT_AUTO] = "auto", [NM_AGENT_DAMON] = "damon",
		[NM_AGENT_TIERING] = "tiering", [NM_AGENT_DEMOTION] = "demotion",
	};

	return (size_t)k < NM_ARRAY_SIZE(names) ? names[k] : "?";
}

static struct nm_agent *add(struct nm_agents *a, enum nm_agent_kind k, pid_t pid, pid_t target)
{
	struct nm_agent *x;

	if (nm_grow(a->a, a->n, a->cap, 4))
		return NULL;
	x = &a->a[a->n++];
	memset(x, 0, sizeof(*x));
	x->kind = k;
	x->pid = pid;
	x->target = target;
	return x;
}

/* The text of ROOT/FMT..., trailing newline cut; NULL when unreadable. */
static char *read_trim(const char *root, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static char *read_trim(const char *root, const char *fmt, ...)
{
	char rel[1024], path[2048], *text = NULL;
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	vsnprintf(rel, sizeof(rel), fmt, ap);
	va_end(ap);
	snprintf(path, sizeof(path), "%s%s", root, rel);
	if (nm_read_text_file(path, &text))
		return NULL;
	n = strlen(text);
	while (n && (text[n - 1] == '\n' || text[n - 1] == ' '))
		text[--n] = '\0';
	return text;
}

/* argv of ROOT/proc/PID/cmdline as NUL-separated words; *N words. */
static char *cmdline(const char *root, pid_t pid, size_t *len)
{
	char path[1024], *text = NULL;
	FILE *f;

	snprintf(path, sizeof(path), "%s/proc/%d/cmdline", root, (int)pid);
	f = fopen(path, "re");
	if (!f)
		return NULL;
	text = malloc(8192);
	if (text)
		*len = fread(text, 1, 8191, f);
	fclose(f);
	if (text)
		text[*len] = '\0';
	return text;
}

/* Whether the comma list S (an --exclude value) names PID. */
static bool excluded(const char *s, pid_t pid)
{
	pid_t *v = NULL;
	size_t n = 0;
	bool hit = false;

	if (pid && !nm_pidlist_parse(s, &v, &n))
		for (size_t i = 0; i < n; i++)
			hit = hit || v[i] == pid;
	free(v);
	return hit;
}

/* Whether a numa-migrate command line is an auto that manages TARGET
 * (--pid TARGET, or --all without TARGET in its --exclude; TARGET 0: any
 * auto). *MANAGED gets its --pid. */
static bool is_auto_for(const char *argv, size_t len, pid_t target, pid_t *managed)
{
	const char *w = argv, *end = argv + len;
	const char *base = strrchr(w, '/');
	bool is_auto = false, all = false, out = false;
	pid_t p = 0;

	if (strcmp(base ? base + 1 : w, "numa-migrate"))
		return false;
	for (w += strlen(w) + 1; w < end; w += strlen(w) + 1) {
		if (!strcmp(w, "auto"))
			is_auto = true;
		else if (!strcmp(w, "--all"))
			all = true;
		else if (!strcmp(w, "--pid") && w + strlen(w) + 1 < end)
			nm_parse_pid(w + strlen(w) + 1, &p);
		else if (!strncmp(w, "--pid=", 6))
			nm_parse_pid(w + 6, &p);
		else if (!strcmp(w, "--exclude") && w + strlen(w) + 1 < end)
			out = out || excluded(w + strlen(w) + 1, target);
		else if (!strncmp(w, "--exclude=", 10))
			out = out || excluded(w + 10, target);
	}
	*managed = all ? 0 : p;
	return is_auto && (!target || (all && !out) || p == target);
}

static int processes(const char *root, pid_t target, pid_t self, struct nm_agents *out)
{
	char path[1024];
	struct dirent *e;
	DIR *d;

	snprintf(path, sizeof(path), "%s/proc", root);
	d = opendir(path);
	if (!d)
		return 0;
	while ((e = readdir(d))) {
		pid_t pid, managed = 0;
		char *comm;
		struct nm_agent *x = NULL;
		bool tried = false;

		if (e->d_name[0] < '1' || e->d_name[0] > '9' || nm_parse_pid(e->d_name, &pid) ||
		    pid == self)
			continue;
		comm = read_trim(root, "/proc/%d/comm", (int)pid);
		if (!comm)
			continue;
		if (!strcmp(comm, "numad")) {
			tried = true;
			x = add(out, NM_AGENT_NUMAD, pid, 0);
			if (x) {
				snprintf(x->what, sizeof(x->what), "numad (pid %d) is running: it "
					 "moves whole processes between nodes by its own rule",
					 (int)pid);
				if (target)
					snprintf(x->fix, sizeof(x->fix), "stop it (systemctl stop "
						 "numad), or keep it off this process with "
						 "'numad -x %d'", (int)target);
				else	/* not its own pid: the processes it should leave */
					snprintf(x->fix, sizeof(x->fix), "stop it (systemctl stop "
						 "numad), or keep it off the processes numa-migrate "
						 "manages with 'numad -x PID' for each");
			}
		} else if (!strcmp(comm, "memtierd")) {
			tried = true;
			x = add(out, NM_AGENT_MEMTIERD, pid, 0);
			if (x) {
				snprintf(x->what, sizeof(x->what), "memtierd (pid %d) is running: it "
					 "moves pages between memory tiers by its own tracking", (int)pid);
				snprintf(x->fix, sizeof(x->fix), "stop it, or leave this process out of "
					 "its policy's pidwatcher");
			}
		} else if (!strcmp(comm, "numa-migrate")) {
			size_t len = 0;
			char *argv = cmdline(root, pid, &len);

			if (argv && is_auto_for(argv, len, target, &managed)) {
				tried = true;
				x = add(out, NM_AGENT_AUTO, pid, managed);
				if (x) {
					if (managed)
						snprintf(x->what, sizeof(x->what), "another numa-migrate "
							 "auto (pid %d) manages pid %d", (int)pid,
							 (int)managed);
					else
						snprintf(x->what, sizeof(x->what), "another numa-migrate "
							 "auto --all (pid %d) manages every process",
							 (int)pid);
					snprintf(x->fix, sizeof(x->fix), "leave the process to it, or "
						 "stop it first (kill %d)", (int)pid);
				}
			}
			free(argv);
		}
		free(comm);
		if (tried && !x) {
			closedir(d);
			return -ENOMEM;
		}
	}
	closedir(d);
	return 0;
}

/* The holder of TARGET's auto lock (ROOT/run/numa-migrate/pid-TARGET.lock,
 * session/pidlock.h: "PID START"), when that pid is a numa-migrate running
 * now: it may hold the lock as an auto --all whose command line names no
 * pid. A crash leaves the file naming a process that is gone: not listed. */
static int lock_holder(const char *root, pid_t target, pid_t self, struct nm_agents *out)
{
	char *text = read_trim(root, "/run/numa-migrate/pid-%d.lock", (int)target), *comm;
	struct nm_agent *x = NULL;
	int holder = 0;

	if (!text)
		return 0;
	if (sscanf(text, "%d", &holder) != 1 || holder <= 0 || holder == self) {
		free(text);
		return 0;
	}
	free(text);
	comm = read_trim(root, "/proc/%d/comm", holder);
	if (!comm || strcmp(comm, "numa-migrate")) {
		free(comm);
		return 0;
	}
	free(comm);
	for (size_t i = 0; i < out->n; i++)
		if (out->a[i].kind == NM_AGENT_AUTO && out->a[i].pid == holder)
			x = &out->a[i];
	if (!x)
		x = add(out, NM_AGENT_AUTO, holder, target);
	if (!x)
		return -ENOMEM;
	x->target = target;
	snprintf(x->what, sizeof(x->what), "another numa-migrate auto (pid %d) manages pid %d "
		 "(it holds /run/numa-migrate/pid-%d.lock)", holder, (int)target, (int)target);
	snprintf(x->fix, sizeof(x->fix), "leave the process to it, or stop it first (kill %d)",
		 holder);
	return 0;
}

static int damon(const char *root, pid_t target, struct nm_agents *out)
{
	static const char base[] = "/sys/kernel/mm/damon/admin/kdamonds";

	for (int k = 0; k < 64; k++) {
		char *state = read_trim(root, "%s/%d/state", base, k), *kpid;
		long kp = 0;

		if (!state)
			break;
		if (strcmp(state, "on")) {
			free(state);
			continue;
		}
		free(state);
		kpid = read_trim(root, "%s/%d/pid", base, k);
		if (kpid)
			nm_parse_long(kpid, 0, 1L << 22, &kp);
		free(kpid);
		for (int c = 0; c < 64; c++) {
			char *ops = read_trim(root, "%s/%d/contexts/%d/operations", base, k, c);
			pid_t tpid = 0;
			bool vaddr, hits_target;

			if (!ops)
				break;
			vaddr = !strcmp(ops, "vaddr") || !strcmp(ops, "fvaddr");
			free(ops);
			hits_target = !vaddr || !target;
			for (int t = 0; vaddr && t < 64; t++) {
				char *pt = read_trim(root, "%s/%d/contexts/%d/targets/%d/pid_target",
						     base, k, c, t);
				long v;

				if (!pt)
					break;
				if (!nm_parse_long(pt, 0, 1L << 22, &v) && (!target || v == target)) {
					hits_target = true;
					tpid = (pid_t)v;
				}
				free(pt);
			}
			if (!hits_target)
				continue;
			for (int s = 0; s < 64; s++) {
				char *act = read_trim(root, "%s/%d/contexts/%d/schemes/%d/action",
						      base, k, c, s);
				struct nm_agent *x;

				if (!act)
					break;
				if (strcmp(act, "migrate_hot") && strcmp(act, "migrate_cold")) {
					free(act);
					continue;
				}
				x = add(out, NM_AGENT_DAMON, (pid_t)kp, vaddr ? tpid : 0);
				if (!x) {
					free(act);
					return -ENOMEM;
				}
				snprintf(x->what, sizeof(x->what), "DAMON kdamond %d (pid %ld) runs a "
					 "%s scheme on %s", k, kp, act,
					 vaddr ? "a process's memory" : "all physical memory");
				snprintf(x->fix, sizeof(x->fix), "it moves pages by its own access "
					 "rule: turn it off with 'echo off > %s/%d/state', or leave "
					 "this process to it", base, k);
				free(act);
				break;
			}
		}
	}
	return 0;
}

static int settings(const char *root, struct nm_agents *out)
{
	char *v = read_trim(root, "/proc/sys/kernel/numa_balancing");
	long mode;
	struct nm_agent *x;

	if (v && !nm_parse_long(v, 0, 255, &mode) && (mode & 2)) {
		x = add(out, NM_AGENT_TIERING, 0, 0);
		if (!x) {
			free(v);
			return -ENOMEM;
		}
		if (mode & 1)
			snprintf(x->what, sizeof(x->what), "kernel.numa_balancing=%ld includes "
				 "memory-tiering mode: the kernel also promotes pages from slower "
				 "tiers by its own rule", mode);
		else
			snprintf(x->what, sizeof(x->what), "kernel.numa_balancing=%ld is memory-"
				 "tiering mode: the kernel does not scan pages on the top tier, so "
				 "hinting-fault heat is blind there, and it promotes by its own "
				 "rule", mode);
		snprintf(x->fix, sizeof(x->fix), "for numa-migrate's evidence on every node: "
			 "sysctl kernel.numa_balancing=1");
	}
	free(v);
	v = read_trim(root, "/sys/kernel/mm/numa/demotion_enabled");
	if (v && (!strcmp(v, "true") || !strcmp(v, "1"))) {
		x = add(out, NM_AGENT_DEMOTION, 0, 0);
		if (!x) {
			free(v);
			return -ENOMEM;
		}
		snprintf(x->what, sizeof(x->what), "demotion is enabled: under memory pressure "
			 "the kernel moves cold pages to a slower node, which can undo a move to "
			 "DRAM");
		snprintf(x->fix, sizeof(x->fix), "if numa-migrate is to own placement: echo false "
			 "> /sys/kernel/mm/numa/demotion_enabled");
	}
	free(v);
	return 0;
}

int nm_agents_read(const char *root, pid_t target, pid_t self, struct nm_agents *out)
{
	int r;

	memset(out, 0, sizeof(*out));
	root = root ? root : "";
	r = processes(root, target, self, out);
	if (!r && target)
		r = lock_holder(root, target, self, out);
	if (!r)
		r = damon(root, target, out);
	if (!r)
		r = settings(root, out);
	if (r)
		nm_agents_free(out);
	return r;
}

void nm_agents_free(struct nm_agents *a)
{
	free(a->a);
	memset(a, 0, sizeof(*a));
}
