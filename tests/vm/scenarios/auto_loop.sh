# auto_loop: threads on node 1 work on 64 MiB first-touched on node 0, and
# the kernel scans 4 MiB per period (16 times less than the footprint, as
# real processes see it at the default); auto (interval 1 s, 12 s) must
# bring the buffer to node 1 itself, with its own moves
# counted alike by the engine and by the migrate tracepoint, locality
# after above before, the engine's count near the tracepoint's, every decision in the JSON-lines log with its
# evidence, numa_balancing restored, and the data intact.
# nodes: 2
# timeout: 150

t_auto_loop() {
	local moved tp before after pct nlines i line moves first cpuiv f
	echo 0 >/proc/sys/kernel/numa_balancing
	numab_scan_size 4
	helper_start --size 64M --node 0 --access-node 1 --threads 1 --no-thp
	assert_exit 0 "$NM" auto --pid "$H_PID" --interval 1 --duration 12 --enable-balancing \
		--json --log auto.log
	save_out auto.loop.json
	save_file auto-log.loop.jsonl auto.log
	assert_eq 0 "$(cat /proc/sys/kernel/numa_balancing)" "kernel.numa_balancing restored after auto"
	assert_eq duration "$(jget ended_by)" "ended_by"
	moved=$(jnum ours.pages_moved)
	tp=$(jnum migrations.ours.succeeded)
	info "auto moved $moved pages; the tracepoint counted $tp of ours; the kernel $(jnum migrations.kernel.numa_misplaced) (numa_misplaced)"
	assert_gt "$moved" 8192 "pages auto moved (of 16384)"
	# the engine counts pages found on node 1 after our calls; the kernel's
	# balancing migrates some of them during the call, which only the
	# tracepoint tells apart: they agree within 5%
	assert_near "$tp" "$moved" $((moved / 20)) "our migrations on the tracepoint vs pages the engine placed"
	assert_le "$tp" "$moved" "our migrations on the tracepoint vs pages the engine placed"
	assert_eq 0 "$(jnum migrations.ours.failed)" "our failed migrations (tracepoint)"
	assert_eq 0 "$(jnum ours.pages_failed)" "pages failed"
	before=$(jnum locality.before)
	after=$(jnum locality.after)
	info "locality before $before%, after $after%"
	assert_lt "$before" 50 "locality of the first interval (threads on node 1, memory on node 0)"
	assert_gt "$after" "$before" "locality after vs before"
	pct=$(numa_maps_percent "$H_PID" "$H_START" "$H_LEN" 1)
	info "numa_maps: $pct% of the buffer on node 1"
	assert_ge "$pct" 95 "share of the buffer on node 1 (numa_maps)"

	# the log: every line is JSON; decisions carry evidence and a result
	nlines=$(wc -l <auto.log)
	assert_gt "$nlines" 12 "log lines (12 intervals and their decisions)"
	i=0 moves=0
	while IFS= read -r line; do
		i=$((i + 1))
		printf '%s\n' "$line" | nmt-jflat >flat.$i || fail "log line $i is not JSON: $line"
		grep -q '^type=decision$' flat.$i || continue
		grep -q '^evidence\.samples=[1-9]' flat.$i || fail "decision without samples in line $i: $line"
		grep -q '^reason=[a-z_]*$' flat.$i || fail "decision without a reason in line $i: $line"
		if grep -q '^result\.action=moved$' flat.$i; then
			moves=$((moves + 1))
			assert_eq 1 "$(sed -n 's/^node=//p' flat.$i)" "node of a move (line $i)"
			assert_match '^reason=(move|move_mapping)$' "$(cat flat.$i)" "reason of a move (line $i)"
			# the evidence that justified it: node 1 has the share
			a1=$(sed -n 's/^evidence\.by_cpu_node\.1=//p' flat.$i)
			a0=$(sed -n 's/^evidence\.by_cpu_node\.0=//p' flat.$i)
			assert_gt "${a1:-0}" "${a0:-0}" "node 1's samples vs node 0's in the move of line $i"
			assert_ge "$(sed -n 's/^result\.on_target=//p' flat.$i)" 1 "pages verified on node 1 (line $i)"
		fi
	done <auto.log
	assert_gt "$moves" 0 "decisions with action moved in the log"
	# the threads stay on node 1 throughout: the first move needs no second
	# interval of evidence, their placement confirms it (docs/auto.md)
	assert_eq true "$(jget options.cpu_confirm)" "options.cpu_confirm"
	first=$(grep -l '^result\.action=moved$' flat.* | sort -t. -k2 -n | head -n 1)
	assert_eq 1 "$(sed -n 's/^streak=//p' "$first")" "streak of the first move"
	assert_eq true "$(sed -n 's/^cpu_confirmed=//p' "$first")" "the first move confirmed by the threads' placement"
	cpuiv=$(grep -l '^cpu\.steady_by_node\.1=' flat.* | wc -l)
	assert_gt "$cpuiv" 3 "interval lines with the threads' CPU time steady on node 1"
	# the moves ran on node 0's CPU, which the process's thread (on node
	# 1's) left free (docs/auto.md, where the moves run)
	assert_gt "$(jnum mover.intervals_with_moves)" 0 "intervals with moves"
	assert_eq "$(jnum mover.intervals_with_moves)" "$(jnum mover.off_process_cpus)" \
		"intervals whose moves ran off the process's CPUs"
	for f in $(grep -l '^type=interval$' flat.*); do
		grep -q '^moves=[1-9]' "$f" || continue
		assert_eq "$(cat /sys/devices/system/node/node0/cpulist)" "$(sed -n 's/^mover_cpus=//p' "$f")" \
			"the CPUs an interval's moves ran on ($f)"
		assert_eq 5 "$(sed -n 's/^max_stall_ms=//p' "$f")" \
			"the stall bound of an interval's moves on CPUs of their own ($f)"
	done
	assert_eq 5 "$(jnum options.max_stall_ms)" "options.max_stall_ms (default, CPUs of its own)"
	assert_eq 2 "$(jnum options.max_stall_shared_ms)" "options.max_stall_shared_ms (default)"
	tail -n 1 auto.log | nmt-jflat >flat.last || fail "last log line is not JSON"
	assert_eq summary "$(sed -n 's/^type=//p' flat.last)" "type of the last log line"
	sed 's/^/    log| /' auto.log >&2	# the recorded sequence (VM_VERBOSE=1 shows it)
	helper_stop
}
