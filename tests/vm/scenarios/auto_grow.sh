# auto_grow: auto's exit codes (1: balancing off without --enable-balancing,
# or no such process; 2: not root; 3: an error during the loop, here a
# --metrics file it cannot write) and, on a process (tools/nmt-layout) that
# maps a new buffer after auto started and has a node-1 thread write it,
# auto moves that buffer to node 1; every one of the six --metrics is in
# the file with the value the final report gives.
# Passes on 6.1 and 6.12 alike; like auto_loop it runs on the 6.1 leg only
# (the shortest), to keep the matrix time down.
# nodes: 2
# kernels: 6.1
# timeout: 200

t_auto_grow() {
	local line pid spid grow glen moved m v apid lo hi
	need_nm
	echo 0 >/proc/sys/kernel/numa_balancing
	nmt-layout "$NMT_WORK" 4 64 >layout.out 2>&1 &
	nmt_track_pid $!
	wait_until 30 grep -q '^LAYOUT ' layout.out || fail "nmt-layout did not start: $(cat layout.out)"
	line=$(grep -m1 '^LAYOUT ' layout.out)
	pid=$(nmt_field pid "$line")
	nmt_track_pid "$pid"
	info "$line"

	# exit 1: balancing off and no --enable-balancing; a process that is gone
	assert_exit 1 "$NM" auto --pid "$pid" --interval 1 --duration 2
	assert_match 'numa_balancing is 0' "$ERR" "exit 1: the reason"
	assert_match '--enable-balancing' "$ERR" "exit 1: the fix"
	sleep 0.1 &
	spid=$!
	wait "$spid"
	assert_exit 1 "$NM" auto --pid "$spid" --interval 1 --duration 2 --enable-balancing
	assert_match "$spid" "$ERR" "exit 1 (no such process): names the pid"
	assert_eq 0 "$(cat /proc/sys/kernel/numa_balancing)" "kernel.numa_balancing after the refusals"

	# exit 2: not root, on a process of its own
	nmt-runas 1000 1000 sleep 60 &	# not as_tester: $! must be the sleep
	spid=$!
	nmt_track_pid "$spid"
	wait_until 10 grep -q '^Uid:[[:space:]]*1000' "/proc/$spid/status" || fail "sleep did not start as uid 1000"
	assert_exit 2 as_tester "$NM" auto --pid "$spid" --interval 1 --duration 2 --enable-balancing
	assert_match 'root|CAP_BPF' "$ERR" "exit 2: names the privilege"

	# exit 3: the --metrics file cannot be written (its directory does not exist)
	assert_exit 3 "$NM" auto --pid "$pid" --interval 1 --duration 6 --enable-balancing \
		--metrics "$NMT_WORK/no/such/dir/m.prom" --json
	save_out auto.grow-metrics-error.json
	assert_match 'no/such/dir/m\.prom' "$ERR" "exit 3: names the metrics file"
	assert_eq error "$(jget ended_by)" "exit 3: ended_by"
	assert_eq 3 "$(jnum exit_code)" "exit 3: exit_code in the JSON"
	assert_eq 0 "$(cat /proc/sys/kernel/numa_balancing)" "kernel.numa_balancing restored after exit 3"

	# a mapping made after auto started
	numab_scan_size 4
	"$NM" auto --pid "$pid" --interval 1 --duration 18 --enable-balancing --json --log auto.log \
		--metrics auto.prom >auto.out 2>auto.err &
	apid=$!
	nmt_track_pid "$apid"
	wait_until 20 grep -q '"type": *"interval"' auto.log ||
		fail "auto logged no interval within 20 s: $(cat auto.err)"
	kill -USR1 "$pid"
	wait_until 20 grep -q '^GREW ' layout.out || fail "nmt-layout did not map its second buffer"
	line=$(grep -m1 '^GREW ' layout.out)
	info "$line (auto started before it)"
	grow=$(nmt_field start "$line")
	glen=$(nmt_field len "$line")
	wait "$apid"
	RC=$?
	OUT=$(cat auto.out)
	save_out auto.grow.json
	save_file auto-log.grow.jsonl auto.log
	sed 's/^/    err| /' auto.err >&2
	assert_eq 0 "$RC" "auto's exit status"
	assert_eq duration "$(jget ended_by)" "ended_by"
	assert_eq 0 "$(cat /proc/sys/kernel/numa_balancing)" "kernel.numa_balancing restored"

	auto_decisions auto.log >decisions
	sed 's/^/    decision| /' decisions >&2
	lo=$((grow)) hi=$((grow + glen))
	moved=$(awk '$7 == "moved" && $5 == 1 { print $3, $4, $8 }' decisions | while read -r s e n; do
			[ $((s)) -ge "$lo" ] && [ $((e)) -le "$hi" ] && echo "$n"
		done | awk '{ t += $1 } END { print t + 0 }')
	info "auto moved $moved pages of the new buffer to node 1; numa_maps: $(numa_maps_percent "$pid" "$grow" "$glen" 1)% there"
	assert_gt "$moved" 0 "pages of the buffer mapped after auto started that auto moved to node 1"
	assert_ge "$(numa_maps_percent "$pid" "$grow" "$glen" 1)" 90 "numa_maps: the new buffer on node 1"

	# the six metrics, each against the final report
	sed 's/^/    prom| /' auto.prom >&2
	metric() {
		sed -n "s/^numa_migrate_auto_$1{pid=\"$pid\"} \([0-9.]*\)$/\1/p" auto.prom
	}
	for m in locality_percent pages_moved_total pages_failed_total kernel_pages_migrated_total \
		samples_total intervals_total; do
		v=$(metric $m)
		is_num "$v" || fail "metric numa_migrate_auto_$m missing or not a number in auto.prom: '$v'"
	done
	assert_near "$(jnum locality.after)" "$(metric locality_percent)" 0.05 "locality_percent vs locality.after"
	assert_eq "$(jnum ours.pages_moved)" "$(metric pages_moved_total)" "pages_moved_total vs ours.pages_moved"
	assert_gt "$(metric pages_moved_total)" 0 "pages_moved_total"
	assert_eq "$(jnum ours.pages_failed)" "$(metric pages_failed_total)" "pages_failed_total vs ours.pages_failed"
	# the report reads the kernel's counter once more after the last
	# metrics write: at most one batch of migrations can fall in between
	assert_le "$(metric kernel_pages_migrated_total)" "$(jnum migrations.kernel.succeeded)" \
		"kernel_pages_migrated_total vs migrations.kernel.succeeded"
	assert_near "$(metric kernel_pages_migrated_total)" "$(jnum migrations.kernel.succeeded)" 512 \
		"kernel_pages_migrated_total vs migrations.kernel.succeeded"
	assert_eq "$(jnum samples)" "$(metric samples_total)" "samples_total vs samples"
	assert_gt "$(metric samples_total)" 0 "samples_total"
	assert_eq "$(jnum intervals)" "$(metric intervals_total)" "intervals_total vs intervals"
	assert_ge "$(metric intervals_total)" 15 "intervals_total (18 s at 1 s)"
}
