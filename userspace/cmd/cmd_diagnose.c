// SPDX-License-Identifier: GPL-2.0
/*
 * numa-migrate diagnose: gathers what the caller, the kernel and the target
 * say (system edge), lets diagnose.c classify it, prints the findings. The
 * gatherer is shared with move --explain.
 */
#include <errno.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "json.h"
#include "attach.h"
#include "cmds.h"
#include "drift.h"
#include "diagnose.h"
#include "errors.h"
#include "migtrace.h"
#include "pagemap.h"
#include "target.h"

#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif
#ifndef CAP_BPF
#define CAP_BPF 39
#endif

static bool exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

int nm_diag_gather(struct nm_args *a, struct nm_target *t, struct nm_diag_facts *f,
		   struct nm_locked_list *locked)
{
	struct nm_query_result q;
	int fd, r;

	nm_diag_facts_init(f);
	f->pid = t->pid;
	snprintf(f->comm, sizeof(f->comm), "%s", t->comm);
	f->target = a->to_node_set ? a->to_node : -1;
	f->move_all = a->all;
	f->mem_nodes = t->mem_nodes;

	f->root = geteuid() == 0;
	f->cap_sys_nice = nm_have_cap(CAP_SYS_NICE);
	f->cap_bpf = nm_have_cap(CAP_BPF);
	f->cap_perfmon = nm_have_cap(CAP_PERFMON);
	f->cap_sys_admin = nm_have_cap(CAP_SYS_ADMIN);
	fd = nm_pagemap_open("", t->pid);
	f->ptrace_err = fd < 0 ? fd : 0;
	if (fd >= 0)
		close(fd);
	f->btf = exists("/sys/kernel/btf/vmlinux");
	f->tracefs = exists("/sys/kernel/tracing/events") ||
		     exists("/sys/kernel/debug/tracing/events");
	nm_diag_read(t->pid, "", &t->vmas, &t->ranges, f, locked);

	r = nm_engine_query(&t->sys, t->pid, &t->ranges, &t->eo, 0, NULL, f->target, &q);
	nm_progress_end(t);
	if (r) {
		nm_query_result_free(&q);
		return r;
	}
	nm_diag_add_query(f, &q);
	nm_query_result_free(&q);
	return 0;
}

int nm_cmd_diagnose(struct nm_args *a)
{
	struct nm_locked_list locked = { 0 };
	struct nm_diag_facts *f = NULL;
	struct nm_diagnosis *d = NULL;
	struct nm_drift_attr *attr = NULL;
	struct nm_migtrace *mt = NULL;
	struct nm_target t;
	char why[256] = "";
	int r, rc;

	rc = nm_target_open(a, &t);
	if (rc)
		goto out;
	f = malloc(sizeof(*f));
	d = malloc(sizeof(*d));
	if (!f || !d) {
		nm_error("out of memory diagnosing pid %d", t.pid);
		rc = NM_EXIT_MIGRATE;
		goto out;
	}
	r = nm_diag_gather(a, &t, f, &locked);
	if (r == -ESRCH) {
		nm_error("process %d exited during the diagnosis", t.pid);
		rc = NM_EXIT_USAGE;
		goto out;
	}
	if (r)
		nm_warn("cannot query the pages of pid %d (%s): page findings are missing",
			t.pid, strerror(-r));
	nm_diagnose(f, d);
	if (a->watch) {
		mt = nm_drift_trace_open(&t, why, sizeof(why));
		if (!mt)
			nm_warn("--watch: cannot trace the kernel's migrations: %s", why);
		else if (!a->json)
			fprintf(stderr, "numa-migrate: watching pid %d's pages for %ld s\n",
				t.pid, a->watch);
		attr = malloc(sizeof(*attr));
		if (mt && attr) {
			bool traced = true;

			nm_drift_attr_init(attr, f->target, t.pid, getpid());
			if (!nm_wait_seconds(a->watch, mt, attr, &traced))
				snprintf(why, sizeof(why), "interrupted before %ld s", a->watch);
			if (!traced) {
				snprintf(why, sizeof(why), "reading the migration events failed");
				nm_migtrace_stop(mt);
				mt = NULL;
			}
		}
		nm_migtrace_stop(mt);
	}
	if (a->json) {
		struct json_object *o = nm_diagnosis_json(f, d);

		if (a->watch) {
			struct json_object *w = json_object_new_object();

			json_object_object_add(w, "seconds", json_object_new_int((int)a->watch));
			json_object_object_add(w, "attribution", mt && attr ?
					       nm_drift_attr_json(attr) : NULL);
			json_object_object_add(w, "why", why[0] ? nm_json_str(why) : NULL);
			json_object_object_add(o, "watch", w);
		}
		printf("%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
			JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(o);
	} else {
		nm_diagnosis_text(stdout, f, d);
		if (mt && attr)
			nm_drift_attr_text(stdout, attr);
		if (a->watch && why[0])
			printf("Watch %s: %s\n", mt ? "partial" : "not traced", why);
	}
	rc = nm_diagnosis_exit(d);
	if (a->watch && (!mt || !attr) && rc == NM_EXIT_OK)
		rc = NM_EXIT_MIGRATE;	/* asked to watch and could not */
	if (rc == NM_EXIT_OK && r)
		rc = NM_EXIT_MIGRATE;
out:
	nm_locked_list_free(&locked);
	free(attr);
	free(f);
	free(d);
	nm_target_close(&t);
	return rc;
}
