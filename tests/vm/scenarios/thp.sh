# thp: a THP-backed region moves as huge pages, and the report counts base
# pages (pages, moved, ... add up) with the huge pages counted apart; after
# the move the pages are still huge (AnonHugePages in smaps), now on node 1.
# timeout: 240

t_thp() {
	local enabled anon_huge huge_ex huge_mv huge_after
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
	# still huge: a move that split them would leave AnonHugePages near 0
	huge_after=$(vma_anon_huge "$H_PID" "$H_START")
	info "AnonHugePages of the buffer after the move: $huge_after kB (before: $anon_huge kB in the process)"
	assert_ge "$huge_after" $((anon_huge * 95 / 100)) "AnonHugePages (kB) of the moved buffer (split by the move?)"
	assert_ge "$huge_after" $((huge_mv * 2048)) "AnonHugePages (kB) vs huge_pages.moved x 2048"
	helper_stop
}

# vma_anon_huge PID ADDR: AnonHugePages (kB) of the VMA holding ADDR (smaps).
vma_anon_huge() {
	local a=$(($2))
	awk -v a="$a" '
		/^[0-9a-f]+-[0-9a-f]+ / { split($1, r, "-"); cur = (hex(r[1]) <= a && a < hex(r[2])); next }
		cur && /^AnonHugePages:/ { s += $2 }
		END { print s + 0 }
		function hex(h,   i, v, c) {
			v = 0
			for (i = 1; i <= length(h); i++) {
				c = index("0123456789abcdef", substr(h, i, 1)) - 1
				v = v * 16 + c
			}
			return v
		}' "/proc/$1/smaps"
}
