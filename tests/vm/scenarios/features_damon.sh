# features_damon: features lists DAMON as the guest's kernel has it. Debian's
# 6.1 has no DAMON (CONFIG_DAMON unset): absent, not usable. Debian's 6.12
# has DAMON with its sysfs interface and no kdamond configured at boot:
# usable, and listing it configures nothing. features then names the cold
# sensor auto --demote-cold would use (6.1: faults; 6.12: damon), and on 6.1 an
# auto's report says the same, with why and how far to trust it.
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
		assert_eq faults "$(jget cold_sensor.name)" "features' cold sensor on 6.1"
		assert_match 'DAMON' "$(jget cold_sensor.why)" "why the faults sensor on 6.1"
		assert_exit 0 "$NM" features
		assert_match '^DAMON: not in this kernel' "$OUT" "text on 6.1"
		# the report of an auto with --demote-cold names the sensor it used
		helper_start --size 8M --node 0 --access-node 1 --threads 1 --no-thp
		assert_exit 0 "$NM" auto --pid "$H_PID" --interval 1 --duration 2 --demote-cold 5 \
			--enable-balancing --json
		save_out auto.sensor-6.1.json
		assert_eq faults "$(jget cold_sensor.name)" "auto's cold sensor on 6.1"
		assert_match 'DAMON' "$(jget cold_sensor.why)" "auto's why on 6.1"
		assert_match 'scan' "$(jget cold_sensor.trust)" "auto's trust on 6.1"
		helper_stop ;;
	6.12.*)
		[ -d "$adm" ] || fail "Debian's 6.12 was expected with DAMON's sysfs interface: no $adm"
		assert_eq 0 "$(cat $adm/kdamonds/nr_kdamonds)" "kdamonds at boot (read from sysfs)"
		assert_eq true "$(jget damon.present)" "damon.present on 6.12"
		assert_eq true "$(jget damon.sysfs)" "damon.sysfs on 6.12"
		assert_eq 0 "$(jnum damon.nr_kdamonds)" "damon.nr_kdamonds on 6.12"
		assert_eq 0 "$(jnum damon.running)" "damon.running on 6.12"
		assert_eq true "$(jget damon.usable)" "damon.usable on 6.12"
		assert_eq damon "$(jget cold_sensor.name)" "features' cold sensor on 6.12"
		assert_eq 0 "$(cat $adm/kdamonds/nr_kdamonds)" "kdamonds after features"
		assert_exit 0 "$NM" features
		assert_match '^DAMON: yes; sysfs interface yes; kdamonds configured 0, running 0' "$OUT" "text on 6.12"
		assert_match 'usable: yes' "$OUT" "text usable on 6.12"
		assert_match "^auto --demote-cold's cold sensor here: damon" "$OUT" "text cold sensor on 6.12" ;;
	*) fail "no expectation for kernel $(uname -r)" ;;
	esac
}
