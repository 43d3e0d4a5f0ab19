// SPDX-License-Identifier: GPL-2.0
/* The log lines, final report and metrics of 'numa-migrate auto'. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "autoreport.h"
#include "autospreadreport.h"
#include "json.h"
#include "report.h"

static struct json_object *evidence_json(const struct nm_evidence *e)
{
	struct json_object *o = json_object_new_object();
	double loc = nm_evidence_locality(e);

	json_object_object_add(o, "samples", json_object_new_uint64(e->samples));
	json_object_object_add(o, "by_cpu_node", nm_json_by_node(e->by_node, NM_HF_MAX_NODES));
	json_object_object_add(o, "by_page_node", nm_json_by_node(e->page_node, NM_HF_MAX_NODES));
	json_object_object_add(o, "local", json_object_new_uint64(e->local));
	json_object_object_add(o, "locality", loc < 0 ? NULL : nm_json_pct(loc));
	json_object_object_add(o, "kernel_migrated", json_object_new_uint64(e->kernel_migrated));
	return o;
}

/* What the cold sensor saw of a region it calls cold. */
static struct json_object *sensor_json(const struct nm_decision *d)
{
	struct json_object *o = json_object_new_object();
	char buf[32];

	if (d->seen.known) {
		json_object_object_add(o, "name", nm_json_str("damon"));
		json_object_object_add(o, "nr_accesses", json_object_new_int64(d->seen.nr_accesses));
		snprintf(buf, sizeof(buf), "%.1f", d->seen.idle_s);
		json_object_object_add(o, "idle_s", json_object_new_double_s(d->seen.idle_s, buf));
	} else {
		json_object_object_add(o, "name", nm_json_str("faults"));
		json_object_object_add(o, "intervals_without_samples",
				       json_object_new_int64(d->quiet));
	}
	return o;
}

struct json_object *nm_auto_decision_json(long interval, double t, const struct nm_decision *d,
					  const struct nm_action *a, bool dry_run)
{
	struct json_object *o = json_object_new_object(), *r;

	json_object_object_add(o, "type", nm_json_str("decision"));
	json_object_object_add(o, "interval", json_object_new_int64(interval));
	json_object_object_add(o, "t", nm_json_secs(t));
	json_object_object_add(o, "scope", nm_json_str(d->mapping ? "mapping" : "region"));
	json_object_object_add(o, "start", nm_json_hex(d->start));
	json_object_object_add(o, "end", nm_json_hex(d->end));
	json_object_object_add(o, "bytes", json_object_new_uint64(d->end - d->start));
	json_object_object_add(o, "evidence", evidence_json(&d->ev));
	if (d->mapping)
		json_object_object_add(o, "regions_agreeing", json_object_new_int64(d->agree));
	if (d->covered)
		json_object_object_add(o, "covered_by_mapping", json_object_new_boolean(true));
	json_object_object_add(o, "node", json_object_new_int(a && a->node >= 0 ? a->node : d->node));
	json_object_object_add(o, "share", nm_json_pct(d->share));
	json_object_object_add(o, "streak", json_object_new_int64(d->streak));
	if (d->cpu_confirmed)
		json_object_object_add(o, "cpu_confirmed", json_object_new_boolean(true));
	json_object_object_add(o, "reason", nm_json_str(nm_reason_name(d->reason)));
	if (d->reason == NM_R_DEMOTE)
		json_object_object_add(o, "sensor", sensor_json(d));
	json_object_object_add(o, "dry_run", json_object_new_boolean(dry_run));
	r = json_object_new_object();
	json_object_object_add(r, "action", nm_json_str(nm_act_name(a ? a->what : NM_ACT_NONE)));
	if (a && a->what != NM_ACT_NONE && a->what != NM_ACT_PENDING && a->what != NM_ACT_COVERED) {
		json_object_object_add(r, "moved", json_object_new_uint64(a->res.moved));
		json_object_object_add(r, "would_move", json_object_new_uint64(a->res.would_move));
		json_object_object_add(r, "already", json_object_new_uint64(a->res.already));
		json_object_object_add(r, "not_present", json_object_new_uint64(a->res.not_present));
		json_object_object_add(r, "busy", json_object_new_uint64(a->res.busy));
		json_object_object_add(r, "failed", json_object_new_uint64(a->res.failed));
		json_object_object_add(r, "failed_by_errno", nm_json_errslots(a->res.by_errno));
		json_object_object_add(r, "from_nodes", nm_json_by_node(a->res.from_node, NM_MAX_NODES));
		if (a->verified) {
			json_object_object_add(r, "present", json_object_new_uint64(a->present));
			json_object_object_add(r, "on_target", json_object_new_uint64(a->on_target));
		}
		json_object_object_add(r, "seconds", nm_json_secs(a->res.seconds));
		/* where the move's seconds went: its moving calls, the time
		 * inside them and the pauses between them (--max-stall); the
		 * rest is the engine's query and planning */
		json_object_object_add(r, "move_pages_calls", json_object_new_uint64(a->res.calls));
		json_object_object_add(r, "move_pages_seconds", nm_json_secs(a->res.call_s));
		json_object_object_add(r, "paused_seconds", nm_json_secs(a->res.pause_s));
		if (a->fatal)
			json_object_object_add(r, "error", nm_json_str(nm_errno_name(-a->fatal)));
		if (a->resume)
			json_object_object_add(r, "resume_at", nm_json_hex(a->resume));
		if (a->continues >= 0)
			json_object_object_add(r, "continues_interval", json_object_new_int64(a->continues));
	}
	json_object_object_add(o, "result", r);
	return o;
}

static struct json_object *migr_json(const struct nm_auto_migr *m)
{
	struct json_object *o = json_object_new_object(), *x;

	x = json_object_new_object();
	json_object_object_add(x, "succeeded", json_object_new_uint64(m->ours_ok));
	json_object_object_add(x, "failed", json_object_new_uint64(m->ours_failed));
	json_object_object_add(o, "ours", x);
	x = json_object_new_object();
	json_object_object_add(x, "succeeded", json_object_new_uint64(m->kernel_ok));
	json_object_object_add(x, "failed", json_object_new_uint64(m->kernel_failed));
	json_object_object_add(x, "numa_misplaced", json_object_new_uint64(m->kernel_numa));
	json_object_object_add(o, "kernel", x);
	return o;
}

struct json_object *nm_auto_ranges_json(long interval, const struct nm_policy_range *r, size_t n)
{
	struct json_object *o = json_object_new_object(), *a = json_object_new_array();

	json_object_object_add(o, "type", nm_json_str("ranges"));
	json_object_object_add(o, "interval", json_object_new_int64(interval));
	for (size_t i = 0; i < n; i++) {
		struct json_object *e = json_object_new_array();

		json_object_array_add(e, nm_json_hex(r[i].start));
		json_object_array_add(e, nm_json_hex(r[i].end));
		json_object_array_add(e, nm_json_hex(r[i].map_start));
		json_object_array_add(e, nm_json_hex(r[i].map_end));
		json_object_array_add(a, e);
	}
	json_object_object_add(o, "ranges", a);
	return o;
}

static struct json_object *env_json(const struct nm_node_env *env)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "allowed", nm_json_hex(env->allowed.bits));
	json_object_object_add(o, "has_memory", nm_json_hex(env->has_memory.bits));
	json_object_object_add(o, "has_cpu", nm_json_hex(env->has_cpu.bits));
	json_object_object_add(o, "free_known", json_object_new_boolean(env->free_known));
	json_object_object_add(o, "free_bytes", nm_json_by_node(env->free_bytes, NM_MAX_NODES));
	return o;
}

struct json_object *nm_auto_interval_json(const struct nm_auto_interval *iv,
					  const struct nm_node_env *env)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "type", nm_json_str("interval"));
	json_object_object_add(o, "interval", json_object_new_int64(iv->interval));
	json_object_object_add(o, "t", nm_json_secs(iv->t));
	json_object_object_add(o, "seconds", nm_json_secs(iv->seconds));
	json_object_object_add(o, "evidence", evidence_json(&iv->ev));
	json_object_object_add(o, "unmanaged_samples_cumulative", json_object_new_uint64(iv->unmanaged));
	json_object_object_add(o, "decisions", json_object_new_uint64(iv->decisions));
	json_object_object_add(o, "moves", json_object_new_uint64(iv->moves));
	json_object_object_add(o, "pages_moved", json_object_new_uint64(iv->pages_moved));
	json_object_object_add(o, "bytes_moved", json_object_new_uint64(iv->bytes_moved));
	json_object_object_add(o, "migrations", migr_json(&iv->mig));
	json_object_object_add(o, "early", json_object_new_boolean(iv->early));
	if (iv->cpu_known) {
		struct json_object *c = json_object_new_object();

		json_object_object_add(c, "seconds", nm_json_secs(iv->cpu_s));
		json_object_object_add(c, "steady_by_node",
				       nm_json_by_node_secs(iv->cpu_s_by_node, NM_MAX_NODES));
		json_object_object_add(o, "cpu", c);
	}
	if (iv->mover_cpus[0])
		json_object_object_add(o, "mover_cpus", nm_json_str(iv->mover_cpus));
	if (iv->max_stall_ms)
		json_object_object_add(o, "max_stall_ms", json_object_new_int64(iv->max_stall_ms));
	if (env)
		json_object_object_add(o, "env", env_json(env));
	return o;
}

struct json_object *nm_auto_summary_json(const struct nm_auto_summary *s)
{
	struct json_object *o = json_object_new_object(), *x;
	char buf[32];

	json_object_object_add(o, "pid", json_object_new_int(s->pid));
	json_object_object_add(o, "comm", nm_json_str(s->comm ? s->comm : ""));
	json_object_object_add(o, "dry_run", json_object_new_boolean(s->dry_run));
	json_object_object_add(o, "ended_by", nm_json_str(s->ended_by));
	json_object_object_add(o, "seconds", nm_json_secs(s->seconds));
	json_object_object_add(o, "intervals", json_object_new_int64(s->intervals));
	if (s->early_on)
		json_object_object_add(o, "early_rounds", json_object_new_int64(s->early_rounds));
	x = json_object_new_object();
	json_object_object_add(x, "interval_s", json_object_new_int64(s->interval_s));
	json_object_object_add(x, "granularity", json_object_new_uint64(s->granularity));
	json_object_object_add(x, "share_pct", nm_json_pct(s->opts->share_pct));
	json_object_object_add(x, "min_samples", json_object_new_uint64(s->opts->min_samples));
	json_object_object_add(x, "stable", json_object_new_int64(s->opts->stable));
	json_object_object_add(x, "cpu_confirm", json_object_new_boolean(s->opts->cpu_confirm &&
									  s->cpu_measured));
	json_object_object_add(x, "cooldown", json_object_new_int64(s->opts->cooldown));
	json_object_object_add(x, "reserve_bytes", json_object_new_uint64(s->opts->reserve_bytes));
	json_object_object_add(x, "mapping_quorum", json_object_new_int64(s->opts->mapping_quorum));
	json_object_object_add(x, "demote_cold", json_object_new_int64(s->opts->demote_cold));
	json_object_object_add(x, "max_rate_mbs", json_object_new_double(s->max_rate_mbs));
	json_object_object_add(x, "max_stall_ms", json_object_new_int64(s->max_stall_ms));
	json_object_object_add(x, "max_stall_shared_ms", json_object_new_int64(s->max_stall_shared_ms));
	json_object_object_add(x, "mover_any_cpu", json_object_new_boolean(s->mover_any_cpu));
	json_object_object_add(o, "options", x);
	x = json_object_new_object();
	json_object_object_add(x, "intervals_with_moves", json_object_new_int64(s->move_intervals));
	json_object_object_add(x, "off_process_cpus", json_object_new_int64(s->mover_off_intervals));
	json_object_object_add(o, "mover", x);
	if (s->sensor) {
		x = json_object_new_object();
		json_object_object_add(x, "name", nm_json_str(s->sensor));
		json_object_object_add(x, "why", nm_json_str(s->sensor_why));
		json_object_object_add(x, "trust", nm_json_str(s->sensor_trust));
		json_object_object_add(o, "cold_sensor", x);
	} else {
		json_object_object_add(o, "cold_sensor", NULL);
	}
	json_object_object_add(o, "samples", json_object_new_uint64(s->samples));
	json_object_object_add(o, "local_samples", json_object_new_uint64(s->local));
	if (s->region_map_entries) {	/* auto --pid: the map is the process's own */
		json_object_object_add(o, "samples_dropped", json_object_new_uint64(s->samples_dropped));
		json_object_object_add(o, "region_map_entries",
				       json_object_new_uint64(s->region_map_entries));
	}
	x = json_object_new_object();
	json_object_object_add(x, "before", s->locality_before < 0 ? NULL : nm_json_pct(s->locality_before));
	json_object_object_add(x, "before_interval", json_object_new_int64(s->before_interval));
	json_object_object_add(x, "after", s->locality_after < 0 ? NULL : nm_json_pct(s->locality_after));
	json_object_object_add(x, "after_interval", json_object_new_int64(s->after_interval));
	json_object_object_add(o, "locality", x);
	x = json_object_new_object();
	for (int r = 0; r < NM_R_NREASONS; r++)
		if (s->ex->decisions[r])
			json_object_object_add(x, nm_reason_name((enum nm_reason)r),
					       json_object_new_uint64(s->ex->decisions[r]));
	json_object_object_add(o, "decisions", x);
	x = json_object_new_object();
	json_object_object_add(x, "moves_done", json_object_new_uint64(s->ex->moves_done));
	json_object_object_add(x, "moves_deferred", json_object_new_uint64(s->ex->moves_deferred));
	json_object_object_add(x, "pages_moved", json_object_new_uint64(s->ex->res.moved));
	json_object_object_add(x, "pages_would_move", json_object_new_uint64(s->ex->res.would_move));
	json_object_object_add(x, "pages_already", json_object_new_uint64(s->ex->res.already));
	json_object_object_add(x, "pages_busy", json_object_new_uint64(s->ex->res.busy));
	json_object_object_add(x, "pages_failed", json_object_new_uint64(s->ex->res.failed));
	json_object_object_add(x, "failed_by_errno", nm_json_errslots(s->ex->res.by_errno));
	snprintf(buf, sizeof(buf), "%.1f", s->max_bytes_1s / (1024.0 * 1024.0));
	json_object_object_add(x, "max_mb_in_1s",
			       json_object_new_double_s(s->max_bytes_1s / (1024.0 * 1024.0), buf));
	json_object_object_add(o, "ours", x);
	if (s->spreads)
		json_object_object_add(o, "spreads", nm_aspreads_json(s->spreads));
	if (s->migr_available) {
		json_object_object_add(o, "migrations", migr_json(&s->mig));
	} else {
		json_object_object_add(o, "migrations", NULL);
		json_object_object_add(o, "migrations_unavailable",
				       nm_json_str(s->migr_why));
	}
	if (s->error)
		json_object_object_add(o, "error", nm_json_str(s->error));
	json_object_object_add(o, "exit_code", json_object_new_int(s->exit_code));
	return o;
}

static void pct_text(FILE *f, double v)
{
	if (v < 0)
		fprintf(f, "n/a (no samples)");
	else
		fprintf(f, "%.1f%%", v);
}

void nm_auto_summary_text(FILE *f, const struct nm_auto_summary *s)
{
	char comm[96];

	/* comm is the target's choice: escaped, it cannot drive the terminal */
	nm_text_escape(s->comm ? s->comm : "", comm, sizeof(comm));
	fprintf(f, "numa-migrate auto: pid %d (%s)%s, %ld intervals of %ld s", s->pid, comm,
		s->dry_run ? " DRY RUN" : "", s->intervals, s->interval_s);
	if (s->early_on && s->early_rounds)
		fprintf(f, " (%ld decided early, on a settled burst of samples)", s->early_rounds);
	fprintf(f, " in %.1f s, ended by %s\n", s->seconds, s->ended_by);
	fprintf(f, "  Samples:          %" PRIu64 " hinting faults, %" PRIu64 " local", s->samples,
		s->local);
	if (s->region_map_entries)
		fprintf(f, ", %" PRIu64 " dropped (region map of %" PRIu32 ")", s->samples_dropped,
			s->region_map_entries);
	fputc('\n', f);
	fprintf(f, "  Locality before:  ");
	pct_text(f, s->locality_before);
	fprintf(f, " (interval %ld)\n  Locality after:   ", s->before_interval);
	pct_text(f, s->locality_after);
	fprintf(f, " (interval %ld)\n", s->after_interval);
	if (s->sensor)
		fprintf(f, "  Cold sensor:      %s: %s; %s\n", s->sensor, s->sensor_why,
			s->sensor_trust);
	fprintf(f, "  Decisions:       ");
	for (int r = 0; r < NM_R_NREASONS; r++)
		if (s->ex->decisions[r])
			fprintf(f, " %s=%" PRIu64, nm_reason_name((enum nm_reason)r), s->ex->decisions[r]);
	fprintf(f, "\n");
	if (s->opts->cpu_confirm && s->cpu_measured)
		fprintf(f, "  Stable rule:      %u intervals, or one while the threads stayed on "
			"the node (%" PRIu64 " move%s decided so)\n", s->opts->stable,
			s->cpu_confirmed, s->cpu_confirmed == 1 ? "" : "s");
	else
		fprintf(f, "  Stable rule:      %u intervals%s\n", s->opts->stable,
			s->opts->cpu_confirm ? " (the CPUs' nodes could not be read)" : "");
	if (s->dry_run)
		fprintf(f, "  Would move:       %" PRIu64 " pages\n", s->ex->res.would_move);
	fprintf(f, "  Moved by us:      %" PRIu64 " pages in %" PRIu64 " moves (%" PRIu64
		" deferred by the rate cap), %" PRIu64 " already there, %" PRIu64 " busy, %"
		PRIu64 " failed\n", s->ex->res.moved, s->ex->moves_done, s->ex->moves_deferred,
		s->ex->res.already, s->ex->res.busy, s->ex->res.failed);
	for (int e = 0; e < NM_ERR_SLOTS; e++)
		if (s->ex->res.by_errno[e])
			fprintf(f, "    %s: %" PRIu64 " pages: %s\n", nm_errslot_name((enum nm_errslot)e),
				s->ex->res.by_errno[e], nm_errslot_reason((enum nm_errslot)e));
	nm_aspreads_text(f, s->spreads);
	if (!s->max_stall_ms)
		fprintf(f, "  Stall bound:      none (--max-stall 0)\n");
	else if (s->max_stall_set)
		fprintf(f, "  Stall bound:      %ld ms (--max-stall): moves in paced calls\n",
			s->max_stall_ms);
	else
		fprintf(f, "  Stall bound:      %ld ms on CPUs the process's threads may not run on, %ld ms "
			"beside them (default; --max-stall sets one): moves in paced calls\n",
			s->max_stall_ms, s->max_stall_shared_ms);
	if (s->move_intervals)
		fprintf(f, "  Mover CPUs:       off the process's CPUs in %ld of %ld intervals with "
			"moves%s\n", s->mover_off_intervals, s->move_intervals,
			s->mover_any_cpu ? " (--mover-any-cpu)" : "");
	if (s->max_rate_mbs > 0)
		fprintf(f, "  Rate cap:         %.0f MB/s; most moved in any 1 s: %.1f MB\n",
			s->max_rate_mbs, s->max_bytes_1s / (1024.0 * 1024.0));
	if (s->migr_available)
		fprintf(f, "  Migrate tracepoint: ours %" PRIu64 " succeeded, %" PRIu64 " failed; "
			"the kernel (target's tasks) %" PRIu64 " succeeded (%" PRIu64
			" numa_misplaced), %" PRIu64 " failed\n", s->mig.ours_ok, s->mig.ours_failed,
			s->mig.kernel_ok, s->mig.kernel_numa, s->mig.kernel_failed);
	else
		fprintf(f, "  Migrate tracepoint: unavailable (%s)\n", s->migr_why);
	if (s->error)
		fprintf(f, "  Stopped:          %s\n", s->error);
}

int nm_auto_metrics(FILE *f, const struct nm_auto_summary *s)
{
	fprintf(f, "# HELP numa_migrate_auto_locality_percent Share of the last interval's "
		"hinting-fault samples that were local.\n"
		"# TYPE numa_migrate_auto_locality_percent gauge\n");
	if (s->locality_after >= 0)
		fprintf(f, "numa_migrate_auto_locality_percent{pid=\"%d\"} %.1f\n", s->pid,
			s->locality_after);
	fprintf(f, "# HELP numa_migrate_auto_pages_moved_total Pages numa-migrate auto moved.\n"
		"# TYPE numa_migrate_auto_pages_moved_total counter\n"
		"numa_migrate_auto_pages_moved_total{pid=\"%d\"} %" PRIu64 "\n", s->pid, s->ex->res.moved);
	fprintf(f, "# HELP numa_migrate_auto_pages_failed_total Pages that failed to move.\n"
		"# TYPE numa_migrate_auto_pages_failed_total counter\n"
		"numa_migrate_auto_pages_failed_total{pid=\"%d\"} %" PRIu64 "\n", s->pid, s->ex->res.failed);
	fprintf(f, "# HELP numa_migrate_auto_kernel_pages_migrated_total Pages the kernel "
		"migrated for the target's tasks (NUMA balancing and others).\n"
		"# TYPE numa_migrate_auto_kernel_pages_migrated_total counter\n"
		"numa_migrate_auto_kernel_pages_migrated_total{pid=\"%d\"} %" PRIu64 "\n", s->pid,
		s->mig.kernel_ok);
	fprintf(f, "# HELP numa_migrate_auto_samples_total Hinting-fault samples seen.\n"
		"# TYPE numa_migrate_auto_samples_total counter\n"
		"numa_migrate_auto_samples_total{pid=\"%d\"} %" PRIu64 "\n", s->pid, s->samples);
	fprintf(f, "# HELP numa_migrate_auto_intervals_total Intervals completed.\n"
		"# TYPE numa_migrate_auto_intervals_total counter\n"
		"numa_migrate_auto_intervals_total{pid=\"%d\"} %ld\n", s->pid, s->intervals);
	return ferror(f) ? -EIO : 0;
}
