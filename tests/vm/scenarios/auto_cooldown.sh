# auto_cooldown: no ping-pong. The threads (nmt-phase) work on node 1, auto
# moves their memory there, then the threads move to node 0 at once. With
# --cooldown 0 auto follows them back within 6 intervals of its first move
# (the control: the evidence does flip); with --cooldown 6 it holds the
# memory for 6 intervals instead (decisions with reason cooldown). The
# kernel's balancing also follows the threads, so after the cooldown there
# may be nothing left for auto to move back: only the holding is asserted.
# nodes: 2
# kernels: 6.12
# timeout: 150

t_auto_cooldown() {
	local cd i1 i0 held
	echo 0 >/proc/sys/kernel/numa_balancing
	numab_scan_size 4
	for cd in 0 6; do
		phase_run "$cd"
		i1=$(awk '$7 == "moved" && $5 == 1 { print $1; exit }' cd$cd.dec)
		i0=$(awk '$7 == "moved" && $5 == 0 { print $1; exit }' cd$cd.dec)
		held=$(awk -v a="$i1" '$6 == "cooldown" && $5 == 0 && $1 > a' cd$cd.dec | wc -l)
		info "--cooldown $cd: moved to node 1 at interval $i1, to node 0 at interval ${i0:-never}; $held decisions held by the cooldown"
		is_num "$i1" || fail "--cooldown $cd: no move to node 1 in the log"
		if [ "$cd" = 0 ]; then
			is_num "$i0" || fail "--cooldown 0: auto did not follow the threads to node 0 (the control)"
			assert_lt "$i0" $((i1 + 6)) "--cooldown 0: interval of the move back (first move at $i1)"
		else
			[ -z "$i0" ] || assert_ge "$i0" $((i1 + 6)) "--cooldown 6: interval of the move back (first move at $i1)"
			assert_gt "$held" 0 "--cooldown 6: decisions for node 0 held by the cooldown"
		fi
	done
}

# phase_run COOLDOWN: nmt-phase under auto; the threads switch to node 0
# right after auto's first move. Decisions in cdCOOLDOWN.dec.
phase_run() {
	local ppid apid
	nmt-phase 32 0 1 1 0 >phase$1.out 2>&1 &
	nmt_track_pid $!
	wait_until 30 grep -q '^PHASE ' phase$1.out || fail "nmt-phase did not start: $(cat phase$1.out)"
	ppid=$(nmt_field pid "$(grep '^PHASE ' phase$1.out)")
	"$NM" auto --pid "$ppid" --interval 1 --cooldown "$1" --duration 10 --enable-balancing \
		--json --log cd$1.log >cd$1.out 2>cd$1.err &
	apid=$!
	nmt_track_pid "$apid"
	wait_until 30 grep -q '"action":"moved"' cd$1.log || fail "auto made no move in 30 s: $(cat cd$1.err)"
	kill -USR1 "$ppid"
	wait_until 10 grep -q '^SWITCHED' phase$1.out || fail "threads did not switch: $(cat phase$1.out)"
	info "threads now on node 0"
	wait "$apid"
	assert_eq 0 "$?" "auto's exit status (--cooldown $1)"
	save_file auto.cooldown-$1.json cd$1.out
	save_file auto-log.cooldown-$1.jsonl cd$1.log
	kill "$ppid"
	auto_decisions cd$1.log >cd$1.dec
	grep -v ' few_samples \| not_stable \| already_local ' cd$1.dec | sed "s/^/    dec$1| /" >&2
}
