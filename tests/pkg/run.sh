#!/usr/bin/env bash
# make pkg-test: builds the Debian package (tests/pkg/build-deb.sh, as make deb
# does) and checks it: name and version against debian/changelog (read with
# dpkg-parsechangelog), lintian (any error fails; every warning or
# experimental tag kept must be explained in debian/README.lintian), the file
# list, conffiles, Depends, a static binary whose --version is the package's,
# the unit and its environment file, the man page and completion, and the
# maintainer scripts. Ends with "N passed, N failed".
# Usage: tests/pkg/run.sh [OUT]   (OUT defaults to build)
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/pkg/lib.sh
out=${1:-build}
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; }
# t NAME CMD...: CMD's exit status decides; its output is shown on failure
t() {
	local name=$1 o
	shift
	if o=$("$@" 2>&1); then ok "$name"; else bad "$name"; printf '%s\n' "$o" | sed 's/^/     /'; fi
}
finish() {
	echo "pkg-test: $(( $(date +%s) - t0 )) s in all"
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit
}

t0=$(date +%s)
version=$(dpkg-parsechangelog -SVersion)
arch=$(dpkg-architecture -qDEB_HOST_ARCH)
deb=$out/numa-migrate_${version}_${arch}.deb
rm -f "$deb"
s=$(date +%s)
if tests/pkg/build-deb.sh "$out"; then
	ok "make deb builds $deb ($(( $(date +%s) - s )) s, $(stat -c %s "$deb" 2>/dev/null) bytes)"
else
	bad "make deb: tests/pkg/build-deb.sh failed"
	finish
fi
[ -f "$deb" ] && ok "the .deb is named after debian/changelog's version" ||
	{ bad "no $deb (version from dpkg-parsechangelog: $version)"; finish; }

tmp=$(mktemp -d /var/tmp/nm-pkg.XXXXXX)
trap 'rm -rf --one-file-system "$tmp"' EXIT
dpkg-deb -x "$deb" "$tmp/root"
dpkg-deb -e "$deb" "$tmp/DEBIAN"

field() { dpkg-deb -f "$deb" "$1"; }
# the git tag, when HEAD has one, is derived from the changelog (make
# release-tag); without one there is nothing to compare and nothing counted
if tag=$(git describe --tags --exact-match --match 'v*' HEAD 2>/dev/null); then
	t "git tag at HEAD ($tag) is v + the changelog's version" test "$tag" = "v$version"
else
	echo "note: HEAD has no v* tag (make release-tag derives it from debian/changelog): not compared"
fi
t "control: Version is the changelog's ($version)" test "$(field Version)" = "$version"
t "control: Architecture $arch" test "$(field Architecture)" = "$arch"
# a static binary needs no library: only what dh adds, and no lib*
t "control: no library in Depends/Pre-Depends ($(field Depends))" \
	bash -c '! dpkg-deb -f "$1" Depends Pre-Depends | grep -q "lib"' _ "$deb"
t "control: Built-Using names the embedded libraries' sources" \
	bash -c 'b=$(dpkg-deb -f "$1" Built-Using); for s in glibc zlib elfutils libbpf numactl json-c; do grep -q "\b$s (= " <<<"$b" || { echo "missing $s in: $b"; exit 1; }; done' _ "$deb"

# ---- lintian ---------------------------------------------------------------
# the exit status without --show-overrides (which makes lintian exit 2 when
# an error-level tag is overridden)
lintian --pedantic -I -E "$deb" > /dev/null 2>&1
lrc=$?
lintian --pedantic -I -E --show-overrides "$deb" > "$tmp/lintian" 2>&1
echo "---- lintian --pedantic -I -E --show-overrides:"
grep -v 'running with root privileges' "$tmp/lintian" | sed 's/^/     /'
echo "----"
t "lintian: no error" bash -c '! grep -q "^E: " "$1"' _ "$tmp/lintian"
t "lintian --pedantic -I -E: exit status 0 (was $lrc)" test "$lrc" -eq 0
t "lintian: every warning and experimental tag kept is explained in debian/README.lintian" \
	bash -c 'for tag in $(sed -n "s/^[WX]: [^:]*: \([a-z0-9-]*\).*/\1/p" "$1"); do
		grep -qw -- "$tag" debian/README.lintian || { echo "unexplained: $tag"; exit 1; }; done' _ "$tmp/lintian"
t "lintian: every override is explained in debian/README.lintian" \
	bash -c 'for tag in $(sed -n "s/^O: [^:]*: \([a-z0-9-]*\).*/\1/p" "$1"); do
		grep -qw -- "$tag" debian/README.lintian || { echo "unexplained: $tag"; exit 1; }; done' _ "$tmp/lintian"

# ---- files -----------------------------------------------------------------
cat > "$tmp/want" <<'EOF'
-rw-r--r-- ./etc/default/numa-migrate-auto
-rw-r--r-- ./lib/systemd/system/numa-migrate-auto.service
-rw-r--r-- ./lib/systemd/system/numa-migrate-auto@.service
-rwxr-xr-x ./usr/sbin/numa-migrate
-rw-r--r-- ./usr/share/bash-completion/completions/numa-migrate
-rw-r--r-- ./usr/share/doc/numa-migrate/changelog.gz
-rw-r--r-- ./usr/share/doc/numa-migrate/copyright
-rw-r--r-- ./usr/share/lintian/overrides/numa-migrate
-rw-r--r-- ./usr/share/man/man8/numa-migrate.8.gz
-rw-r--r-- ./usr/lib/tmpfiles.d/numa-migrate.conf
EOF
LC_ALL=C sort -o "$tmp/want" "$tmp/want"
dpkg-deb -c "$deb" | awk '$1 !~ /^d/ { print $1, $6 }' | LC_ALL=C sort > "$tmp/have"
t "dpkg-deb -c: exactly the expected files and modes" diff "$tmp/want" "$tmp/have"
t "dpkg-deb -c: everything owned by root:root" \
	bash -c '! dpkg-deb -c "$1" | awk "\$2 != \"root/root\"" | grep .' _ "$deb"
t "conffiles: /etc/default/numa-migrate-auto" grep -qx /etc/default/numa-migrate-auto "$tmp/DEBIAN/conffiles"

bin=$tmp/root/usr/sbin/numa-migrate
t "the binary is static (no interpreter, no NEEDED)" \
	bash -c '! readelf -lW "$1" | grep -q "INTERP" && ! readelf -dW "$1" | grep -q "(NEEDED)"' _ "$bin"
t "numa-migrate --version prints the package's version" \
	test "$("$bin" --version)" = "numa-migrate $(field Version)"
t "man page is the binary's 'help --man'" \
	bash -c 'cmp <(zcat "$2/usr/share/man/man8/numa-migrate.8.gz") <("$1" help --man)' _ "$bin" "$tmp/root"
t "bash completion is the binary's 'help --bash-completion'" \
	cmp "$tmp/root/usr/share/bash-completion/completions/numa-migrate" <("$bin" help --bash-completion)

# the per-pid template and the server-wide unit
for u in numa-migrate-auto@.service numa-migrate-auto.service; do
	unit=$tmp/root/lib/systemd/system/$u
	inst=${u/@/@42}
	t "$u: ExecStart runs the packaged binary" grep -q '^ExecStart=/usr/sbin/numa-migrate auto ' "$unit"
	t "$u: no @PLACEHOLDER@ left" bash -c '! grep -n "@[A-Z]*@" "$1"' _ "$unit"
	envfile=$(sed -n 's/^EnvironmentFile=-\{0,1\}//p' "$unit")
	t "$u: its EnvironmentFile ($envfile) is in the package" test -f "$tmp/root$envfile"
	t "$u: the environment file sets every \$VARIABLE its ExecStart uses" \
		bash -c 'for v in $(sed -n "s/^ExecStart=//p" "$1" | grep -o "\$[A-Z_]*" | tr -d "\$"); do
			grep -q "^$v=" "$2" || { echo "$v not set in $2"; exit 1; }; done' _ "$unit" "$tmp/root$envfile"
	if command -v systemd-analyze >/dev/null; then
		# as systemctl would start it (an instance of the template), running the extracted binary
		sed "s|/usr/sbin/numa-migrate|$bin|" "$unit" > "$tmp/$inst"
		t "systemd-analyze verify $inst: no complaint" \
			bash -c '! systemd-analyze verify --man=no "$1" 2>&1 | grep .' _ "$tmp/$inst"
	else
		bad "systemd-analyze missing (systemd, tests/deps.sh)"
	fi
done
t "environment file is valid shell-style assignments (sh -n)" sh -n "$tmp/root/etc/default/numa-migrate-auto"

for s in postinst postrm; do
	t "$s reloads systemd" grep -q 'systemctl --system daemon-reload' "$tmp/DEBIAN/$s"
done
t "postinst creates /run/numa-migrate (systemd-tmpfiles --create)" \
	grep -q 'systemd-tmpfiles .*--create numa-migrate.conf' "$tmp/DEBIAN/postinst"
for s in postinst prerm postrm; do
	t "$s: sh -n" sh -n "$tmp/DEBIAN/$s"
done
t "prerm stops running numa-migrate-auto@ instances on remove" \
	grep -q "deb-systemd-invoke stop 'numa-migrate-auto@\*.service'" "$tmp/DEBIAN/prerm"

# ---- dpkg on a bare Debian 12 ------------------------------------------------
# a fresh copy of the cached minbase chroot (made when missing): the package
# installs with nothing else (its Depends are met by the base system), its
# maintainer scripts run (no systemd running there: they must say nothing
# and succeed), and remove and purge leave nothing behind
if ensure_base; then
	cp -a "$base" "$tmp/bare"
	cp "$deb" "$tmp/bare/tmp/nm.deb"
	in_bare() { chroot "$tmp/bare" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 sh -c "$1"; }
	t "bare Debian 12: dpkg -i installs it with nothing else" in_bare 'dpkg -i /tmp/nm.deb'
	t "bare Debian 12: installed, --version is the package's" \
		test "$(in_bare 'numa-migrate --version')" = "numa-migrate $version"
	t "bare Debian 12: the unit and /etc/default/numa-migrate-auto are there" \
		in_bare 'test -f /lib/systemd/system/numa-migrate-auto@.service && test -f /etc/default/numa-migrate-auto'
	t "bare Debian 12: dpkg -r removes it, keeping only the conffile" \
		in_bare 'dpkg -r numa-migrate && ! test -e /usr/sbin/numa-migrate && test -f /etc/default/numa-migrate-auto'
	t "bare Debian 12: dpkg -P purges the conffile" \
		in_bare 'dpkg -P numa-migrate && ! test -e /etc/default/numa-migrate-auto && ! dpkg -s numa-migrate'
else
	bad "bare Debian 12: no minbase chroot (ensure_base failed: see above)"
fi
finish
