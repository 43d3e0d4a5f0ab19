# seed_failure: the original bug report's command against a pid that does not
# exist must say so and exit 1, in the legacy and the subcommand forms.

t_seed_failure() {
	local pid_max
	pid_max=$(cat /proc/sys/kernel/pid_max)
	[ ! -e /proc/99999 ] || fail "pid 99999 exists in the guest (pid_max=$pid_max); the scenario needs it absent"

	assert_exit 1 "$NM" --pid 99999 --range 1G --to-node 1
	assert_match '^ERROR: process not found' "$ALL" "legacy move of pid 99999"

	assert_exit 1 "$NM" move --pid 99999 --range 1G --to-node 1
	assert_match 'process not found' "$ALL" "move of pid 99999"

	assert_exit 1 "$NM" check --pid 99999
	assert_match 'process not found' "$ALL" "check of pid 99999"
}
