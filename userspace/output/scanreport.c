// SPDX-License-Identifier: GPL-2.0
/* numa-migrate scan's reports (see scanreport.h). */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "json.h"
#include "parse.h"
#include "report.h"
#include "scanreport.h"
#include "textfile.h"

static const char *fix_name(enum nm_scan_fix f)
{
	switch (f) {
	case NM_SCAN_FIX_MOVE: return "move";
	case NM_SCAN_FIX_AUTO: return "auto";
	case NM_SCAN_FIX_IDLE: return "idle";
	default: return "none";
	}
}

static const char *cpu_nodes_text(const struct nm_scan_proc *p, char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = '\0';
	for (int n = 0; n < NM_MAX_NODES && o < len; n++)
		if (p->cpu_s_by_node[n] > 0)
			o += (size_t)snprintf(buf + o, len - o, "%s%d:%.2f", o ? " " : "", n,
					      p->cpu_s_by_node[n]);
	if (!buf[0])
		snprintf(buf, len, "idle");
	return buf;
}

/*
 * Why P has no locality although it was measured (R->locality_why NULL):
 * it had no hinting fault in the window. From mm->numa_scan_seq at the
 * window's ends: the kernel completed no scan pass over it (its scan period
 * grows while its faults are local, up to scan_period_max_ms), or it did and
 * nothing faulted. NULL when P has a locality or the whole report has none.
 */
static const char *proc_locality_why(const struct nm_scan_report *r,
				     const struct nm_scan_proc *p, char *buf, size_t len)
{
	const long *q = p->scan_seq;

	if (r->locality_why || p->locality >= 0)
		return NULL;
	if (q[0] < 0 || q[1] < 0)
		snprintf(buf, len, "no hinting fault in the %.1f s window (mm->numa_scan_seq "
			 "unreadable in /proc/%d/sched, so whether the kernel scanned it is not "
			 "known); a longer --duration may see one", r->window_s, (int)p->pid);
	else if (q[0] == q[1])
		snprintf(buf, len, "no hinting fault in the %.1f s window: the kernel completed "
			 "no NUMA scan pass over it (mm->numa_scan_seq stayed at %ld); it scans a "
			 "process once a scan period: the first after scan_delay_ms, then longer "
			 "while its faults are local (up to scan_period_max_ms); a --duration "
			 "longer than that period sees a pass",
			 r->window_s, q[0]);
	else
		snprintf(buf, len, "no hinting fault in the %.1f s window although the kernel "
			 "scanned it (mm->numa_scan_seq %ld -> %ld): its memory was not touched, "
			 "or is not scanned (a memory policy without MPOL_F_MOF, such as "
			 "numactl --membind, or hugetlb)", r->window_s, q[0], q[1]);
	return buf;
}

void nm_scan_text(FILE *f, const struct nm_scan_report *r, bool tty)
{
	char b1[32], b2[32], comm[64], cg[40], cpu[96], fix[96];

	fprintf(f, "numa-migrate scan: %zu processes with at least %s%s%s (of %zu); CPU time "
		"over %.1f s; sorted by %s\n", r->n, nm_fmt_bytes(r->min_size, b1, sizeof(b1)),
		r->cgroup ? " in cgroup " : "", r->cgroup ? r->cgroup : "", r->examined,
		r->window_s, r->sort);
	fprintf(f, "%8s %-16s %-24s %10s", "PID", "COMM", "CGROUP", "RSS");
	for (int n = 0; n < NM_MAX_NODES; n++)
		if (nm_nodemask_test(&r->mem_nodes, n)) {
			snprintf(b1, sizeof(b1), "NODE%d", n);
			fprintf(f, " %10s", b1);
		}
	fprintf(f, " %10s %6s  %-20s %s\n", "REMOTE", "LOCAL", "CPU-S BY NODE", "FIX");
	for (size_t i = 0; i < r->n; i++) {
		const struct nm_scan_proc *p = &r->p[i];

		nm_text_escape(p->comm, comm, tty ? 17 : sizeof(comm));
		nm_text_escape(p->cgroup[0] ? p->cgroup : "-", cg, tty ? 25 : sizeof(cg));
		fprintf(f, "%8d %-16s %-24s %10s", (int)p->pid, comm, cg,
			nm_fmt_bytes(p->bytes, b1, sizeof(b1)));
		for (int n = 0; n < NM_MAX_NODES; n++)
			if (nm_nodemask_test(&r->mem_nodes, n))
				fprintf(f, " %10s", nm_fmt_bytes(p->bytes_by_node[n], b2, sizeof(b2)));
		if (p->locality >= 0)
			snprintf(b2, sizeof(b2), "%.1f%%", p->locality);
		else
			snprintf(b2, sizeof(b2), "-");
		nm_scan_fix_cmd(p, fix, sizeof(fix));
		fprintf(f, " %10s %6s  %-20s %s\n",
			p->fix == NM_SCAN_FIX_IDLE ? "?" : nm_fmt_bytes(p->remote_bytes, b1, sizeof(b1)),
			b2, cpu_nodes_text(p, cpu, sizeof(cpu)),
			fix[0] ? fix : p->fix == NM_SCAN_FIX_IDLE ? "(no CPU time in the window)" : "-");
	}
	if (r->locality_why)
		fprintf(f, "locality not measured: %s\n", r->locality_why);
	for (size_t i = 0; i < r->n; i++) {
		char why[400];

		if (proc_locality_why(r, &r->p[i], why, sizeof(why)))
			fprintf(f, "locality of pid %d not measured: %s\n", (int)r->p[i].pid, why);
	}
	for (size_t i = 0; r->agents && i < r->agents->n; i++)
		fprintf(f, "other placement agent: %s; %s\n", r->agents->a[i].what,
			r->agents->a[i].fix);
	for (size_t i = 0; i < r->nskip; i++) {
		nm_text_escape(r->skip[i].comm, comm, sizeof(comm));
		fprintf(f, "not read: pid %d (%s): %s\n", (int)r->skip[i].pid,
			comm[0] ? comm : "?", r->skip[i].why);
	}
}

static struct json_object *proc_json(const struct nm_scan_report *r, const struct nm_scan_proc *p)
{
	struct json_object *o = json_object_new_object();
	char fix[96], why[400];

	json_object_object_add(o, "pid", json_object_new_int(p->pid));
	json_object_object_add(o, "comm", nm_json_str(p->comm));
	json_object_object_add(o, "cgroup", p->cgroup[0] ? nm_json_str(p->cgroup) : NULL);
	json_object_object_add(o, "bytes", json_object_new_uint64(p->bytes));
	json_object_object_add(o, "bytes_by_node", nm_json_by_node(p->bytes_by_node, NM_MAX_NODES));
	json_object_object_add(o, "cpu_seconds", nm_json_secs(p->cpu_s));
	json_object_object_add(o, "cpu_seconds_by_node", nm_json_by_node_secs(p->cpu_s_by_node, NM_MAX_NODES));
	json_object_object_add(o, "remote_bytes", p->fix == NM_SCAN_FIX_IDLE ? NULL :
			       json_object_new_uint64(p->remote_bytes));
	json_object_object_add(o, "locality", p->locality >= 0 ? nm_json_pct(p->locality) : NULL);
	json_object_object_add(o, "locality_samples", json_object_new_uint64(p->samples));
	json_object_object_add(o, "locality_why", proc_locality_why(r, p, why, sizeof(why)) ?
			       nm_json_str(why) : NULL);
	json_object_object_add(o, "fix_kind", json_object_new_string(fix_name(p->fix)));
	nm_scan_fix_cmd(p, fix, sizeof(fix));
	json_object_object_add(o, "fix", fix[0] ? nm_json_str(fix) : NULL);
	return o;
}

struct json_object *nm_scan_json(const struct nm_scan_report *r)
{
	struct json_object *o = json_object_new_object(), *a = json_object_new_array();
	struct json_object *s = json_object_new_array();

	json_object_object_add(o, "window_s", nm_json_secs(r->window_s));
	json_object_object_add(o, "min_size", json_object_new_uint64(r->min_size));
	json_object_object_add(o, "cgroup", r->cgroup ? nm_json_str(r->cgroup) : NULL);
	json_object_object_add(o, "sort", json_object_new_string(r->sort));
	json_object_object_add(o, "examined", json_object_new_uint64(r->examined));
	json_object_object_add(o, "below_min_size", json_object_new_uint64(r->below_min));
	json_object_object_add(o, "outside_cgroup", json_object_new_uint64(r->outside_cgroup));
	json_object_object_add(o, "locality_why", r->locality_why ? nm_json_str(r->locality_why) : NULL);
	for (size_t i = 0; i < r->n; i++)
		json_object_array_add(a, proc_json(r, &r->p[i]));
	json_object_object_add(o, "processes", a);
	for (size_t i = 0; i < r->nskip; i++) {
		struct json_object *x = json_object_new_object();

		json_object_object_add(x, "pid", json_object_new_int(r->skip[i].pid));
		json_object_object_add(x, "comm", r->skip[i].comm[0] ? nm_json_str(r->skip[i].comm) : NULL);
		json_object_object_add(x, "why", nm_json_str(r->skip[i].why));
		json_object_array_add(s, x);
	}
	json_object_object_add(o, "not_read", s);
	json_object_object_add(o, "agents", nm_agents_json(r->agents));
	return o;
}

void nm_scan_csv(FILE *f, const struct nm_scan_report *r)
{
	char fix[96], buf[32];

	fprintf(f, "pid,comm,cgroup,bytes");
	for (int n = 0; n < NM_MAX_NODES; n++)
		if (nm_nodemask_test(&r->mem_nodes, n))
			fprintf(f, ",bytes_node%d", n);
	for (int n = 0; n < NM_MAX_NODES; n++)
		if (nm_nodemask_test(&r->mem_nodes, n))
			fprintf(f, ",cpu_seconds_node%d", n);
	fprintf(f, ",remote_bytes,locality,fix\n");
	for (size_t i = 0; i < r->n; i++) {
		const struct nm_scan_proc *p = &r->p[i];
		char *comm = nm_text_escape_dup(p->comm), *cg = nm_text_escape_dup(p->cgroup);

		fprintf(f, "%d,", (int)p->pid);
		nm_csv_field(f, comm ? comm : "");
		fputc(',', f);
		nm_csv_field(f, cg ? cg : "");
		free(comm);
		free(cg);
		fprintf(f, ",%" PRIu64, p->bytes);
		for (int n = 0; n < NM_MAX_NODES; n++)
			if (nm_nodemask_test(&r->mem_nodes, n))
				fprintf(f, ",%" PRIu64, p->bytes_by_node[n]);
		for (int n = 0; n < NM_MAX_NODES; n++)
			if (nm_nodemask_test(&r->mem_nodes, n))
				fprintf(f, ",%.3f", p->cpu_s_by_node[n]);
		if (p->fix == NM_SCAN_FIX_IDLE)
			fprintf(f, ",");
		else
			fprintf(f, ",%" PRIu64, p->remote_bytes);
		if (p->locality >= 0)
			snprintf(buf, sizeof(buf), "%.1f", p->locality);
		else
			buf[0] = '\0';
		fprintf(f, ",%s,", buf);
		nm_csv_field(f, nm_scan_fix_cmd(p, fix, sizeof(fix)));
		fputc('\n', f);
	}
}

static void proc_labels(FILE *f, const struct nm_scan_proc *p)
{
	fprintf(f, "{pid=\"%d\",comm=\"", (int)p->pid);
	nm_prom_label(f, p->comm);
	fprintf(f, "\"}");
}

int nm_scan_metrics(FILE *f, const struct nm_scan_report *r)
{
	uint64_t node_bytes[NM_MAX_NODES] = { 0 }, node_remote[NM_MAX_NODES] = { 0 };
	size_t top = r->top < 0 ? 0 : (size_t)r->top;

	if (top > r->n)
		top = r->n;
	fprintf(f, "# HELP numa_migrate_scan_remote_bytes Resident bytes of a process on nodes "
		"where none of its CPU time ran in the scan window (the worst-placed processes "
		"only, see numa_migrate_scan_labelled_processes).\n"
		"# TYPE numa_migrate_scan_remote_bytes gauge\n");
	for (size_t i = 0; i < top; i++) {
		if (r->p[i].fix == NM_SCAN_FIX_IDLE)
			continue;
		fprintf(f, "numa_migrate_scan_remote_bytes");
		proc_labels(f, &r->p[i]);
		fprintf(f, " %" PRIu64 "\n", r->p[i].remote_bytes);
	}
	fprintf(f, "# HELP numa_migrate_scan_locality_ratio Share of a process's NUMA hinting "
		"faults that were local in the scan window (measured processes only).\n"
		"# TYPE numa_migrate_scan_locality_ratio gauge\n");
	for (size_t i = 0; i < top; i++) {
		if (r->p[i].locality < 0)
			continue;
		fprintf(f, "numa_migrate_scan_locality_ratio");
		proc_labels(f, &r->p[i]);
		fprintf(f, " %.4f\n", r->p[i].locality / 100.0);
	}
	for (size_t i = 0; i < r->n; i++)
		for (int n = 0; n < NM_MAX_NODES; n++) {
			node_bytes[n] += r->p[i].bytes_by_node[n];
			if (r->p[i].fix != NM_SCAN_FIX_IDLE && !nm_nodemask_test(&r->p[i].home, n))
				node_remote[n] += r->p[i].bytes_by_node[n];
		}
	fprintf(f, "# HELP numa_migrate_scan_node_bytes Resident bytes on the node of all "
		"scanned processes.\n# TYPE numa_migrate_scan_node_bytes gauge\n");
	for (int n = 0; n < NM_MAX_NODES; n++)
		if (nm_nodemask_test(&r->mem_nodes, n))
			fprintf(f, "numa_migrate_scan_node_bytes{node=\"%d\"} %" PRIu64 "\n", n,
				node_bytes[n]);
	fprintf(f, "# HELP numa_migrate_scan_node_remote_bytes Of those, bytes of processes "
		"none of whose CPU time ran on the node.\n"
		"# TYPE numa_migrate_scan_node_remote_bytes gauge\n");
	for (int n = 0; n < NM_MAX_NODES; n++)
		if (nm_nodemask_test(&r->mem_nodes, n))
			fprintf(f, "numa_migrate_scan_node_remote_bytes{node=\"%d\"} %" PRIu64 "\n", n,
				node_remote[n]);
	fprintf(f, "# HELP numa_migrate_scan_processes Processes scanned (above --min-size).\n"
		"# TYPE numa_migrate_scan_processes gauge\n"
		"numa_migrate_scan_processes %zu\n"
		"# HELP numa_migrate_scan_labelled_processes Processes with their own series "
		"(at most --top).\n"
		"# TYPE numa_migrate_scan_labelled_processes gauge\n"
		"numa_migrate_scan_labelled_processes %zu\n"
		"# HELP numa_migrate_scan_unreadable_processes Processes that could not be read.\n"
		"# TYPE numa_migrate_scan_unreadable_processes gauge\n"
		"numa_migrate_scan_unreadable_processes %zu\n", r->n, top, r->nskip);
	return ferror(f) ? -EIO : 0;
}
