# diagnose_causes: nmt-hold keeps one cause per region (pages not present,
# mlocked, pinned by a pipe, bound to node 0 by mbind). diagnose names each
# before a move to node 1; move --explain names what did not land after it.
# nodes: 2
# timeout: 150

t_diagnose_causes() {
	local line pid len pages half_p pin_p bound
	need_nm
	tool_start HOLD nmt-hold 4
	line=$T_LINE
	pid=$(nmt_field pid "$line")
	nmt_track_pid "$pid"
	len=$(nmt_field len "$line")
	pages=$((len / 4096))
	half_p=$((pages / 2))
	pin_p=$(($(nmt_field pinned_len "$line") / 4096))
	bound=$(nmt_field bound "$line")

	# before: the preflight
	assert_exit 0 "$NM" diagnose --pid "$pid" --to-node 1 --json
	save_out diagnose.causes.json
	assert_eq warnings "$(jget verdict)" "verdict"
	assert_eq warn "$(finding policy severity)" "policy finding"
	assert_match "bind:0" "$(finding policy what)" "policy finding names the policy"
	assert_match "$bound" "$(finding policy what)" "policy finding names the bound mapping"
	assert_eq info "$(finding mlocked severity)" "mlocked finding"
	assert_eq $((len / 1024)) "$(jnum facts.pages.locked_kb)" "facts.pages.locked_kb"
	assert_ge "$(jnum facts.pages.not_present)" "$half_p" "facts.pages.not_present"
	assert_eq 0 "$(jnum facts.pages.shared)" "facts.pages.shared (nothing forked)"
	assert_eq ok "$(finding cpuset severity)" "cpuset finding"

	# the control: every page of 'plain' moves, nothing to explain
	assert_exit 0 "$NM" move --pid "$pid" --range "$(nmt_field plain "$line")+$len" --to-node 1 --explain --json
	assert_eq "$pages" "$(jnum moved)" "moved from 'plain'"
	assert_eq 0 "$(cause_pages busy)" "busy pages of 'plain'"
	jget explain.causes.0.cause >/dev/null && fail "'plain' has a cause: $(jget explain.causes)"

	# not present: the untouched half of 'half' is named, the rest moves
	assert_exit 0 "$NM" move --pid "$pid" --range "$(nmt_field half "$line")+$len" --to-node 1 --explain --json
	assert_eq "$half_p" "$(jnum moved)" "moved from 'half'"
	assert_eq "$half_p" "$(cause_pages not_present)" "not_present pages of 'half'"

	# pinned by the pipe: busy after the retries, exit 3, the rest moves
	assert_exit 3 "$NM" move --pid "$pid" --range "$(nmt_field pinned "$line")+$len" --to-node 1 --explain --json
	save_out move.explain-pinned.json
	info "pinned: moved $(jget moved), failed_by_errno $(jget failed_by_errno)"
	assert_eq "$pin_p" "$(cause_pages busy)" "busy pages of 'pinned' (held by the pipe)"
	assert_eq $((pages - pin_p)) "$(jnum moved)" "moved from 'pinned'"
	assert_match "retry" "$(jget explain.causes.0.fix)" "fix for busy pages"
	assert_match "$(nmt_field pinned "$line" | sed 's/^0x//')" "$(jget explain.causes.0.examples.0.mapping)" \
		"the busy example names its mapping"

	# mlocked: as the finding says, the kernel migrates mlocked pages
	assert_exit 0 "$NM" move --pid "$pid" --range "$(nmt_field locked "$line")+$len" --to-node 1 --explain --json
	assert_eq "$pages" "$(jnum moved)" "moved from 'locked'"

	# bound to node 0: move_pages moves it anyway, as the finding says
	assert_exit 0 "$NM" move --pid "$pid" --range "$bound+$len" --to-node 1 --verify --json
	save_out move.verify.json
	assert_eq "$pages" "$(jnum moved)" "moved from 'bound'"
	assert_ge "$(numa_maps_percent "$pid" "$bound" "$len" 1)" 99 "numa_maps: 'bound' on node 1"
}
