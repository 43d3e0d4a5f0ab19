# features_damon: features lists DAMON as the guest's kernel has it. Debian's
# 6.1 has no DAMON (CONFIG_DAMON unset): absent, not usable. Debian's 6.12
# has DAMON with its sysfs interface and no kdamond configured at boot:
# usable, and listing it configures nothing.
# timeout: 60

t_features_damon() {
	local adm=/sys/kernel/mm/damon/admin
	assert_exit 0 "$NM" features --json
	save_out features.damon.json
	case $(uname -r) in
	6.1.*)
		[ ! -e "$adm" ] || fail "Debian's 6.1 was expected without DAMON, but $adm exists"
		assert_eq false "$(jget damon.present)" "damon.present on 6.1"
		assert_eq false "$(jget damon.sysfs)" "damon.sysfs on 6.1"
		assert_eq null "$(jget damon.nr_kdamonds)" "damon.nr_kdamonds on 6.1"
		assert_eq false "$(jget damon.usable)" "damon.usable on 6.1"
		assert_match 'CONFIG_DAMON_SYSFS' "$(jget damon.why)" "why on 6.1"
		assert_exit 0 "$NM" features
		assert_match '^DAMON: not in this kernel' "$OUT" "text on 6.1" ;;
	6.12.*)
		[ -d "$adm" ] || fail "Debian's 6.12 was expected with DAMON's sysfs interface: no $adm"
		assert_eq 0 "$(cat $adm/kdamonds/nr_kdamonds)" "kdamonds at boot (read from sysfs)"
		assert_eq true "$(jget damon.present)" "damon.present on 6.12"
		assert_eq true "$(jget damon.sysfs)" "damon.sysfs on 6.12"
		assert_eq 0 "$(jnum damon.nr_kdamonds)" "damon.nr_kdamonds on 6.12"
		assert_eq 0 "$(jnum damon.running)" "damon.running on 6.12"
		assert_eq true "$(jget damon.usable)" "damon.usable on 6.12"
		assert_eq 0 "$(cat $adm/kdamonds/nr_kdamonds)" "kdamonds after features"
		assert_exit 0 "$NM" features
		assert_match '^DAMON: yes; sysfs interface yes; kdamonds configured 0, running 0' "$OUT" "text on 6.12"
		assert_match 'usable: yes' "$OUT" "text usable on 6.12" ;;
	*) fail "no expectation for kernel $(uname -r)" ;;
	esac
}
