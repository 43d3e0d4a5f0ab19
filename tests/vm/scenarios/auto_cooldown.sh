# auto_cooldown: no ping-pong. The threads (nmt-phase) work on node 1, auto
# moves their memory there, then the threads move to node 0 at once: with
# --cooldown 6 auto must hold the memory for 6 intervals (decisions with
# reason cooldown) and only then follow the threads to node 0.
# nodes: 2
# kernels: 6.12
# timeout: 150

t_auto_cooldown() {
	local ppid apid i1 i0 held
	echo 0 >/proc/sys/kernel/numa_balancing
	numab_scan_size 4
	nmt-phase 32 0 1 1 0 >phase.out 2>&1 &
	nmt_track_pid $!
	wait_until 30 grep -q '^PHASE ' phase.out || fail "nmt-phase did not start: $(cat phase.out)"
	ppid=$(nmt_field pid "$(grep '^PHASE ' phase.out)")
	"$NM" auto --pid "$ppid" --interval 1 --cooldown 6 --duration 16 --enable-balancing \
		--json --log cd.log >cd.out 2>cd.err &
	apid=$!
	nmt_track_pid "$apid"
	wait_until 30 grep -q '"action":"moved"' cd.log || fail "auto made no move in 30 s: $(cat cd.err)"
	kill -USR1 "$ppid"
	wait_until 10 grep -q '^SWITCHED' phase.out || fail "threads did not switch: $(cat phase.out)"
	info "threads now on node 0"
	wait "$apid"
	assert_eq 0 "$?" "auto's exit status"
	auto_decisions cd.log >cd.dec
	sed 's/^/    dec| /' cd.dec | grep -v ' few_samples \| not_stable ' >&2
	i1=$(awk '$7 == "moved" && $5 == 1 { print $1; exit }' cd.dec)
	i0=$(awk '$7 == "moved" && $5 == 0 { print $1; exit }' cd.dec)
	held=$(awk -v a="$i1" '$6 == "cooldown" && $5 == 0 && $1 > a' cd.dec | wc -l)
	info "moved to node 1 at interval $i1, back to node 0 at interval ${i0:-never}; $held cooldown decisions for node 0 in between"
	is_num "$i1" || fail "no move to node 1 in the log"
	is_num "$i0" || fail "auto never followed the threads back to node 0 after the cooldown"
	assert_ge "$i0" $((i1 + 6)) "interval of the move back (first move at $i1, cooldown 6)"
	assert_gt "$held" 0 "decisions held back by the cooldown"
}
