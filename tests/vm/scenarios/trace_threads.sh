# trace_threads: the scheduler's NUMA moves of the target's threads are in the
# report. A thread starts on node 0 working on memory first-touched on node 1
# and is free to run anywhere. The process is bound to node 1 with
# MPOL_F_NUMA_BALANCING (see nmt-wander.c), so NUMA balancing scans the pages
# but cannot bring them to the thread and has to take the thread to its
# pages: the report's thread_moves must show a move (or swap) from node 0 to
# node 1.
# An earlier form filled node 0 to its low watermark instead (kswapd0 then
# woke on node 0's CPU). Once in CI the ordinary load balancer took the
# thread to node 1 before NUMA balancing saw it (49152 hinting faults, all
# from node 1, no event): nothing but the thread may run on node 0's CPU.
# A 15 s session: the scheduler acts only after a few scan periods.
# Two nodes only, so the thread has one place to go.
# nodes: 2
# kernels: 6.12
# timeout: 150

t_trace_threads() {
	local pid tpid rc i ev from to c total=0 toward1=0 from0 mask1
	echo 0 >/proc/sys/kernel/numa_balancing
	# Everything but the thread runs on node 1's CPUs (this shell, so also
	# the tracer): a second runnable task on node 0's CPU lets the NUMA-aware
	# load balancer pull the thread to node 1, which emits no sched_*_numa
	# event (seen: 1 run in 3 without this, the thread on node 1 for 2/3 of
	# the session and no event).
	taskset -p -c "$(cat /sys/devices/system/node/node1/cpulist)" $$ >/dev/null ||
		fail "cannot run the scenario on node 1's CPUs"
	# The guest's /init too: it polls the scenario every 0.2 s, forking a
	# sleep each time, and ran on node 0's CPU as often as not. In one CI
	# run that was enough for the load balancer to take the thread to node
	# 1 before NUMA balancing saw it (sched_migrate_task from
	# sched_balance_rq with init on CPU 0, seen with ftrace).
	mask1=$(taskset -p 1 | awk '{ print $NF }')
	taskset -p -c "$(cat /sys/devices/system/node/node1/cpulist)" 1 >/dev/null ||
		fail "cannot run the guest's init on node 1's CPUs"
	at_exit "taskset -p $mask1 1 >/dev/null"
	nmt-wander 64 >wander.out 2>&1 &
	pid=$!
	nmt_track_pid "$pid"
	wait_until 30 grep -q '^WANDER ' wander.out || fail "workload did not start: $(cat wander.out)"
	info "$(grep '^WANDER ' wander.out)"

	# the thread stays on node 0 until the tracer is attached (see nmt-wander.c)
	"$NM" trace --pid "$pid" --duration 15 --json --enable-balancing >trace.out 2>trace.err &
	tpid=$!
	nmt_track_pid "$tpid"
	wait_until 60 grep -q 'tracing pid' trace.err || fail "trace did not start: $(cat trace.err)"
	kill -USR1 "$pid"
	wait "$tpid"
	rc=$?
	sed 's/^/    err| /' trace.err >&2
	assert_eq 0 "$rc" "trace's exit status"
	OUT=$(cat trace.out)
	save_out trace.threads.json
	printf '%s\n' "$OUT" | nmt-jflat >flat || fail "trace --json does not parse: $OUT"
	# what the session saw, so a failure says why (thread already local?
	# pages migrated to the thread instead?)
	from0=$(sed -n 's/^regions\.[0-9]*\.accesses_by_node\.0=//p' flat | awk '{ s += $1 } END { print s + 0 }')
	info "hint_faults $(sed -n 's/^hint_faults=//p' flat), accesses from node 0: $from0," \
		"from node 1: $(sed -n 's/^regions\.[0-9]*\.accesses_by_node\.1=//p' flat | awk '{ s += $1 } END { print s + 0 }')," \
		"kernel migrations: $(grep '^kernel_migrations\.' flat | tr '\n' ' ')"
	# the premise: the thread ran on node 0 while NUMA balancing looked
	assert_gt "$from0" 0 "hinting faults taken on node 0 (else the thread left node 0 before NUMA balancing saw it: not a NUMA move)"
	grep '^thread_moves' flat >moves || true
	info "thread_moves: $(tr '\n' ' ' <moves)"
	i=0
	while ev=$(sed -n "s/^thread_moves\\.$i\\.event=//p" moves) && [ -n "$ev" ]; do
		from=$(sed -n "s/^thread_moves\\.$i\\.from_node=//p" moves)
		to=$(sed -n "s/^thread_moves\\.$i\\.to_node=//p" moves)
		c=$(sed -n "s/^thread_moves\\.$i\\.count=//p" moves)
		total=$((total + c))
		case "$ev:$from:$to" in
		move:0:1|swap:0:1) toward1=$((toward1 + c)) ;;
		esac
		i=$((i + 1))
	done
	assert_gt "$total" 0 "scheduler NUMA events for the target's threads"
	assert_gt "$toward1" 0 "moves or swaps of a thread from node 0 to node 1"
}
