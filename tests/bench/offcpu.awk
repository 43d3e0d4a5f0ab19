# offcpu.awk: where two threads of tools/nmb-disrupt spent their time off a
# CPU, from a tracefs text trace of sched:sched_switch and sched:sched_waking
# (disrupt-steps records one per mover, trace_clock mono). Given
#   -v toucher=TID -v mapper=TID
# it prints one line
#   OFFCPU toucher_blocked_worst_us=.. toucher_blocked_over1ms=..
#          toucher_blocked_total_us=.. toucher_wait_worst_us=..
#          mapper_blocked_worst_us=.. mapper_blocked_over1ms=..
#          mapper_blocked_total_us=.. mapper_wait_worst_us=..
#          mover_preempted_in_worst_block_us=.. mover_threads=N events=N lost=N
# With -v mover=COMM (the mover's command name, as the trace gives it) it also
# follows the mover's threads: the time they were preempted (switched out
# runnable, until switched in again) within the toucher's longest block,
# summed over the threads. A call preempted mid-batch keeps that batch's pages
# unmapped, so a block much longer than its call's fit shows up there.
# "blocked": from the thread's switch-out in a sleeping state (D: a page under
# migration, mmap_lock; S) to its wake-up, the time something held it;
# "wait": from a wake-up or a preemption (switch-out in state R) to its next
# switch-in, the time it was runnable with no CPU free. Under TCG the first is
# what a mover does to the application, the second includes the emulated
# CPUs' sharing (the mover, the application's two threads, the guest's own).
# An interval open when the trace starts or ends is left out; lost events
# (the ring buffer overflowed) are counted, and the caller fails on any.
# Runs under busybox awk (the guest's): no gawk extensions.

function field(name) {	# value of " name=VALUE" on this line
	if (!match($0, " " name "=[^ ]*"))
		return ""
	return substr($0, RSTART + length(name) + 2, RLENGTH - length(name) - 2)
}

function role(tid) {
	return tid == toucher ? "toucher" : tid == mapper ? "mapper" : ""
}

function blocked_end(r, ts,    d) {
	d = ts - bstart[r]
	if (d > bworst[r]) {
		bworst[r] = d
		wfrom[r] = bstart[r]; wto[r] = ts	# the longest block's window
	}
	btotal[r] += d
	bover1[r] += d > 0.001
	bstart[r] = ""
}

function wait_end(r, ts,    d) {
	d = ts - wstart[r]
	if (d > wworst[r])
		wworst[r] = d
	wstart[r] = ""
}

BEGIN {
	lost = 0; events = 0
	split("toucher mapper", roles, " ")
	for (i = 1; i <= 2; i++) {
		r = roles[i]
		bstart[r] = ""; wstart[r] = ""
		bworst[r] = 0; btotal[r] = 0; bover1[r] = 0; wworst[r] = 0
		wfrom[r] = ""; wto[r] = ""
	}
	np = 0; nmovers = 0
}

/LOST [0-9]+ EVENTS/ {
	s = $0
	sub(/.*LOST /, "", s)
	sub(/ EVENTS.*/, "", s)
	lost += s
	next
}

match($0, /[0-9]+\.[0-9]+: sched_(switch|waking): /) {
	s = substr($0, RSTART, RLENGTH)
	ev = s
	sub(/: .*/, "", s)
	ts = s + 0
	events++
	if (ev ~ /sched_waking/) {
		r = role(field("pid"))
		if (r != "" && bstart[r] != "") {
			blocked_end(r, ts)
			wstart[r] = ts
		}
		next
	}
	if (mover != "" && field("prev_comm") == mover) {
		t = field("prev_pid")
		mpre[t] = field("prev_state") ~ /^R/ ? ts : ""
	}
	if (mover != "" && field("next_comm") == mover) {
		t = field("next_pid")
		if (!(t in mseen)) {
			mseen[t] = 1; nmovers++
		}
		if (t in mpre && mpre[t] != "") {
			np++; pfrom[np] = mpre[t]; pto[np] = ts
		}
		mpre[t] = ""
	}
	r = role(field("prev_pid"))
	if (r != "") {
		if (field("prev_state") ~ /^R/) {
			wstart[r] = ts; bstart[r] = ""
		} else {
			bstart[r] = ts; wstart[r] = ""
		}
	}
	r = role(field("next_pid"))
	if (r != "") {
		if (bstart[r] != "")	# its wake-up was not seen: all of it
			blocked_end(r, ts)
		if (wstart[r] != "")
			wait_end(r, ts)
	}
}

END {
	printf "OFFCPU"
	for (i = 1; i <= 2; i++) {
		r = roles[i]
		printf " %s_blocked_worst_us=%d %s_blocked_over1ms=%d %s_blocked_total_us=%d %s_wait_worst_us=%d",
			r, bworst[r] * 1e6 + 0.5, r, bover1[r], r, btotal[r] * 1e6 + 0.5, r, wworst[r] * 1e6 + 0.5
	}
	over = 0
	if (wto["toucher"] != "")
		for (i = 1; i <= np; i++) {
			a = pfrom[i] > wfrom["toucher"] ? pfrom[i] : wfrom["toucher"]
			b = pto[i] < wto["toucher"] ? pto[i] : wto["toucher"]
			if (b > a)
				over += b - a
		}
	printf " mover_preempted_in_worst_block_us=%d mover_threads=%d", over * 1e6 + 0.5, nmovers
	printf " events=%d lost=%d\n", events, lost
}
