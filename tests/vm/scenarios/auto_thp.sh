# auto_thp: auto on THP-backed memory. A hinting fault on a huge page is one
# sample for 512 base pages, so a 2 MiB region gets one sample per scan
# pass; auto must still bring the buffer to the node that uses it (by
# generalising to the whole mapping), count base pages in its report, agree
# with the migrate tracepoint, and fail nothing. Threads on node 1 work on
# 64 MiB of huge pages first-touched on node 0; the kernel scans 4 MiB
# (two huge pages) per period, so most of the moving is auto's.
# nodes: 2
# kernels: 6.1
# timeout: 150

t_auto_thp() {
	local enabled huge_before huge_after moved tp pct
	enabled=$(cat /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null) ||
		skip "no /sys/kernel/mm/transparent_hugepage (kernel without THP)"
	case $enabled in
	*'[never]'*) skip "THP disabled: transparent_hugepage/enabled is '$enabled'" ;;
	esac
	echo 0 >/proc/sys/kernel/numa_balancing
	numab_scan_size 4
	helper_start --size 64M --node 0 --access-node 1 --threads 1 --thp
	huge_before=$(awk '/^AnonHugePages:/ { s += $2 } END { print s + 0 }' "/proc/$H_PID/smaps")
	info "AnonHugePages before: $huge_before kB"
	assert_ge "$huge_before" 32768 "AnonHugePages (kB) of the 64M --thp helper (THP allocation failed?)"
	assert_exit 0 "$NM" auto --pid "$H_PID" --interval 1 --duration 12 --enable-balancing \
		--min-samples 2 --json --log auto.log
	save_out auto.thp.json
	save_file auto-log.thp.jsonl auto.log
	moved=$(jnum ours.pages_moved)
	tp=$(jnum migrations.ours.succeeded)
	huge_after=$(awk '/^AnonHugePages:/ { s += $2 } END { print s + 0 }' "/proc/$H_PID/smaps")
	pct=$(numa_maps_percent "$H_PID" "$H_START" "$H_LEN" 1)
	info "auto moved $moved base pages; tracepoint: $tp ours, $(jnum migrations.kernel.numa_misplaced) the kernel's; $pct% on node 1; AnonHugePages after: $huge_after kB"
	grep '"type":"decision"' auto.log | grep '"action":"moved"' | sed 's/^/    move| /' >&2
	assert_gt "$moved" 8192 "base pages auto moved (of 16384)"
	assert_eq 0 "$(jnum ours.pages_failed)" "pages failed"
	assert_eq 0 "$(jnum migrations.ours.failed)" "our failed migrations (tracepoint)"
	assert_near "$tp" "$moved" $((moved / 20)) "our migrations on the tracepoint vs base pages the engine placed"
	assert_ge "$pct" 95 "share of the buffer on node 1 (numa_maps)"
	assert_gt "$huge_after" 0 "AnonHugePages after the moves (every huge page split?)"
	helper_stop
}
