# thp: a THP-backed region moves as huge pages, and the report counts base
# pages (pages, moved, ... add up) with the huge pages counted apart.
# timeout: 240

t_thp() {
	local enabled anon_huge huge_ex huge_mv
	enabled=$(cat /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null) ||
		skip "no /sys/kernel/mm/transparent_hugepage (kernel without THP)"
	case $enabled in
	*'[never]'*) skip "THP disabled: transparent_hugepage/enabled is '$enabled'" ;;
	esac
	info "transparent_hugepage/enabled: $enabled"

	helper_start --size 256M --node 0 --thp
	anon_huge=$(awk '/^AnonHugePages:/ { s += $2 } END { print s + 0 }' "/proc/$H_PID/smaps")
	info "helper AnonHugePages: $anon_huge kB"
	assert_ge "$anon_huge" 131072 "AnonHugePages (kB) of a 256M --thp helper (THP allocation failed?)"

	assert_exit 0 "$NM" move --pid "$H_PID" --range 256M --to-node 1 --verify --json
	move_json_sane
	assert_eq $((H_LEN / 4096)) "$M_PAGES" "pages (base pages in 256M)"
	huge_ex=$(jnum huge_pages.examined)
	huge_mv=$(jnum huge_pages.moved)
	assert_gt "$huge_mv" 0 "huge_pages.moved"
	assert_ge "$huge_ex" "$huge_mv" "huge_pages.examined vs huge_pages.moved"
	assert_ge "$M_MOVED" $((huge_mv * 512)) "moved counts base pages (>= 512 x huge_pages.moved)"
	assert_gt $((M_MOVED * 2)) "$M_PAGES" "moved is the majority of pages"
	assert_ge "$(jnum verification.percent)" 95 "verification.percent"
	assert_eq 1 "$(jnum verification.node)" "verification.node"
	assert_ge "$(numa_maps_percent "$H_PID" "$H_START" "$H_LEN" 1)" 95 "numa_maps: share on node 1"
	helper_stop
}
