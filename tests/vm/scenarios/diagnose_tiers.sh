# diagnose_tiers: the 4-node guest's HMAT tiers (nodes 2 and 3 CPU-less, in
# a lower memory tier). With kernel.numa_balancing=2 and demotion enabled,
# diagnose says a move of the helper's memory (threads on node 1) to node 3
# is undone by promotion, names both tiers as sysfs lists them, and that a
# move to node 1 can be undone by demotion; trace warns that mode 2 leaves
# the top tier unsampled, in text and JSON.
# nodes: 4
# kernels: 6.12
# timeout: 120

# tier_of NODE: the memory_tierN whose nodelist holds NODE (sysfs, read here)
tier_of() {
	local t
	for t in /sys/devices/virtual/memory_tiering/memory_tier*; do
		case " $(nodes_in "$(cat "$t/nodelist")") " in *" $1 "*) echo "${t##*/}"; return 0 ;; esac
	done
	return 1
}

t_diagnose_tiers() {
	local t1 t3 ntiers old_bal old_dem
	need_nodes 4
	t1=$(tier_of 1) || fail "node 1 is in no memory tier"
	t3=$(tier_of 3) || fail "node 3 is in no memory tier"
	[ "${t1#memory_tier}" -lt "${t3#memory_tier}" ] || fail "expected node 3 in a lower tier than node 1: $t1, $t3"
	ntiers=$(ls -d /sys/devices/virtual/memory_tiering/memory_tier* | wc -l)
	info "tiers: node 1 in $t1, node 3 in $t3 ($ntiers tiers)"
	old_bal=$(cat /proc/sys/kernel/numa_balancing)
	old_dem=$(cat /sys/kernel/mm/numa/demotion_enabled)
	at_exit "echo $old_bal >/proc/sys/kernel/numa_balancing; echo $old_dem >/sys/kernel/mm/numa/demotion_enabled"
	echo 2 >/proc/sys/kernel/numa_balancing || fail "cannot set numa_balancing=2"
	echo 1 >/sys/kernel/mm/numa/demotion_enabled || fail "cannot enable demotion"
	helper_start --size 16M --node 1 --access-node 1 --threads 1 --no-thp

	assert_exit 0 "$NM" diagnose --pid "$H_PID" --range "$H_START+$H_LEN" --to-node 3 --json
	save_out diagnose.tier-lower.json
	assert_eq warn "$(finding tier_promotion severity)" "tier_promotion severity (to node 3)"
	assert_match "node 3 is on a lower memory tier \\($t3, nodes 2-3\\) than node [01] where the threads run \\($t1" \
		"$(finding tier_promotion what)" "tier_promotion names the tiers"
	assert_match 'kernel.numa_balancing=0' "$(finding tier_promotion fix)" "tier_promotion fix"
	assert_eq "$ntiers" "$(jlen facts.memory_tiers.tiers)" "tiers in the facts"
	assert_eq true "$(jget facts.memory_tiers.demotion_enabled)" "demotion_enabled in the facts"
	assert_eq "$(cat /proc/sys/kernel/numa_balancing_promote_rate_limit_MBps)" \
		"$(jnum facts.memory_tiers.promote_rate_limit_mbps)" "promotion limit in the facts"
	if finding tier_demotion severity >/dev/null; then
		fail "a move to node 3 (the lowest tier) has nothing to be demoted to: $(finding tier_demotion what)"
	fi

	assert_exit 0 "$NM" diagnose --pid "$H_PID" --range "$H_START+$H_LEN" --to-node 1 --json
	assert_eq ok "$(finding tier_promotion severity)" "tier_promotion severity (to node 1)"
	assert_match 'node 1 is on the top tier' "$(finding tier_promotion what)" "top tier not scanned"
	assert_match '^(info|warn)$' "$(finding tier_demotion severity)" "tier_demotion severity (to node 1)"
	assert_match 'reclaim demotes .*lower tier \(nodes 2-3\)' "$(finding tier_demotion what)" "tier_demotion names the lower tier"
	assert_exit 0 "$NM" diagnose --pid "$H_PID" --range "$H_START+$H_LEN" --to-node 3
	assert_match "tier_promotion: node 3 is on a lower memory tier" "$OUT" "text finding"

	assert_exit 0 "$NM" trace --pid "$H_PID" --duration 1 --json
	save_out trace.mode2.json
	assert_match 'numa_balancing=2 \(memory tiering\): the kernel does not scan the top tier \(nodes 0-1\)' \
		"$(jget warnings.0)" "trace's JSON warning"
	assert_exit 0 "$NM" trace --pid "$H_PID" --duration 1
	assert_match 'warning: kernel.numa_balancing=2 .*does not scan the top tier' "$ERR" "trace's text warning"
	echo 1 >/proc/sys/kernel/numa_balancing
	assert_exit 0 "$NM" trace --pid "$H_PID" --duration 1 --json
	assert_eq 0 "$(jlen warnings)" "no tier warning in mode 1"
}
