# features: on Debian's 6.1 and 6.12 (BTF, kprobes) every hook numa-migrate
# uses attaches: the migrate tracepoint as a raw tracepoint (its arguments
# differ between 6.1 and 6.12), task_numa_fault by fentry or (as a
# named fallback) kprobe, and the fault addresses by fentry on the kernel's
# own function (numa_migrate_prep on 6.1, numa_migrate_check on 6.12), so
# page_fault_user, which every page fault passes, is not attached.
# timeout: 120

t_features() {
	local state kver fn other
	assert_exit 0 "$NM" features --json
	save_out features.guest.json
	assert_eq attached "$(features_state migrate:mm_migrate_pages)" "migrate:mm_migrate_pages"
	assert_eq raw_tp "$(features_field migrate:mm_migrate_pages via)" "migrate:mm_migrate_pages via"
	state=$(features_state task_numa_fault)
	case $state in
	attached) assert_eq fentry "$(features_field task_numa_fault via)" "task_numa_fault via" ;;
	fallback) assert_eq kprobe "$(features_field task_numa_fault via)" "task_numa_fault via"
		assert_match 'fentry refused' "$(features_field task_numa_fault detail)" "why fentry was not used" ;;
	*) fail "task_numa_fault is '$state' on a kernel with kprobes: $(features_field task_numa_fault detail)" ;;
	esac
	for h in migrate:mm_migrate_pages_start migrate:set_migration_pte migrate:remove_migration_pte \
		 migrate:set_migration_pmd migrate:remove_migration_pmd sched:sched_move_numa \
		 sched:sched_swap_numa sched:sched_stick_numa; do
		assert_eq attached "$(features_state "$h")" "$h"
		assert_eq tp_btf "$(features_field "$h" via)" "$h via"
	done
	kver=$(uname -r)
	case $kver in
	6.1.*) fn=numa_migrate_prep; other=numa_migrate_check ;;
	6.12.*) fn=numa_migrate_check; other=numa_migrate_prep ;;
	*) fail "features: no expectation for kernel $kver" ;;
	esac
	assert_eq absent "$(features_state $other)" "$other on $kver"
	if [ "$state" = attached ]; then
		assert_eq attached "$(features_state $fn)" "$fn on $kver"
		assert_eq fentry "$(features_field $fn via)" "$fn via"
		assert_eq available "$(features_state page_fault_user)" "page_fault_user, served by $fn"
		assert_match "not attached: $fn gives" "$(features_field page_fault_user detail)" \
			"why page_fault_user is not attached"
	else	# fentry refused: the addresses from the tracepoint
		assert_eq missing "$(features_state $fn)" "$fn without fentry"
		assert_eq attached "$(features_state page_fault_user)" "page_fault_user"
		assert_eq tp_btf "$(features_field page_fault_user via)" "page_fault_user via"
	fi
	# the text form says the same
	assert_exit 0 "$NM" features
	assert_match '^task_numa_fault +(attached +fentry|fallback +kprobe)' "$OUT" "text row of task_numa_fault"
}

# the JSON has one object per hook; pick one by name (busybox: no jq)
features_hook() {
	printf '%s\n' "$OUT" | tr -d '\n' | sed 's/},/}\n/g' | grep "\"name\": \"$1\""
}
features_state() { features_hook "$1" | sed -n 's/.*"state": "\([a-z]*\)".*/\1/p'; }
features_field() { features_hook "$1" | sed -n "s/.*\"$2\": \"\\([^\"]*\\)\".*/\\1/p"; }
