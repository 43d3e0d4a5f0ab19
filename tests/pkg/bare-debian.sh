#!/usr/bin/env bash
# make bare-debian-test: does a bare Debian 12 follow the README as written?
#
# A 'debootstrap --variant=minbase bookworm' root file system is made once and
# cached (pristine) under ${XDG_CACHE_HOME:-$HOME/.cache}/numa-migrate/; each
# run copies it, copies the source tree in (copy_tree: what git knows), binds
# /proc, /sys and /dev, and runs as root inside it:
#   1. the base system has no make and no python3 (so the README's first
#      line is needed, and python3, which the schema checks of the host
#      tests use, must come from 'make deps');
#   2. the README's set-up lines before 'make demo', verbatim;
#   3. what 'make demo' does before its demo: 'make deps' then 'make' (the
#      demo itself needs a QEMU guest: left to the main run, as the guest
#      matrix of 'make test' is);
#   4. 'make unit-test host-test' (the unit and host part of 'make test');
#   5. the python3 the host tests ran is Debian's, installed by 'make deps'
#      (python3-jsonschema), not by hand.
# Downloaded .debs are kept in the cache (bookworm-debs/) so a warm run
# downloads nothing; every package is still installed by the README's steps.
# The copy is removed, and every mount undone, on every exit path. Each
# step's whole output is kept in build/bare-debian/N.log.
# Ends with "N passed, N failed"; exit status non-zero if any step failed.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/pkg/lib.sh

[ "$(id -u)" -eq 0 ] || { echo "bare-debian: needs root (chroot, mount); run it as root" >&2; exit 1; }
t0=$(date +%s)
ensure_base
debs=$cache/bookworm-debs
mkdir -p "$debs/partial"

# ---- this run's copy, mounts undone on every exit path ---------------------
work=$(mktemp -d /var/tmp/nm-bare.XXXXXX)
root=$work/root
mounts=()
cleanup() {
	local m left=0 i
	for (( i = ${#mounts[@]} - 1; i >= 0; i-- )); do
		m=${mounts[i]}
		umount -R "$m" 2>/dev/null || umount -R -l "$m" 2>/dev/null || true
	done
	if grep -q " $work" /proc/self/mounts; then
		left=1
		echo "bare-debian: still mounted under $work (left in place; unmount by hand):" >&2
		grep " $work" /proc/self/mounts >&2
	fi
	[ $left -eq 1 ] || rm -rf --one-file-system "$work"
	return $left
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

cp -a "$base" "$root"
rm -f "$root/.nm-complete"
mkdir -p "$root/root/numa-migrate"
copy_tree "$root/root/numa-migrate"
cp /etc/resolv.conf "$root/etc/resolv.conf"	# the network, not a package
# a throwaway copy: dpkg need not fsync every file (as Debian's own build
# chroots do); it installs the same packages, only faster
echo force-unsafe-io > "$root/etc/dpkg/dpkg.cfg.d/nm-test-unsafe-io"
# this host's apt settings that only concern reaching its mirror
for f in /etc/apt/apt.conf.d/99artifact-registry; do
	[ -f "$f" ] && cp "$f" "$root/etc/apt/apt.conf.d/"
done
for d in proc sys dev; do
	mount --rbind "/$d" "$root/$d"
	mounts+=("$root/$d")
	mount --make-rslave "$root/$d"	# unmounting must never reach the host's mounts
done
mount --bind "$debs" "$root/var/cache/apt/archives"
mounts+=("$root/var/cache/apt/archives")

# ---- steps -----------------------------------------------------------------
# each step's whole output goes to build/bare-debian/N.log (outside the
# chroot, kept after the run); the terminal gets its last lines, and on
# failure its FAIL lines too
logdir=$PWD/build/bare-debian
rm -rf "$logdir"
mkdir -p "$logdir"
pass=0 fail=0 n=0
inside() {
	chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		bash -c "cd /root/numa-migrate && $1"
}
# step NAME CMD: runs CMD in the chroot; exit status decides; time measured
step() {
	local name=$1 cmd=$2 s rc log
	n=$((n + 1))
	log=$logdir/$n.log
	s=$(date +%s)
	echo "==> [$name] # $cmd"
	rc=0
	inside "$cmd" > "$log" 2>&1 || rc=$?
	if [ "$rc" -eq 0 ]; then
		tail -n 2 "$log" | sed 's/^/    | /'
		pass=$((pass + 1)); echo "ok   $name ($(( $(date +%s) - s )) s)"
	else
		grep -E -A3 '^FAIL' "$log" | head -n 40 | sed 's/^/    | /'
		tail -n 5 "$log" | sed 's/^/    | /'
		fail=$((fail + 1)); echo "FAIL $name: exit $rc ($(( $(date +%s) - s )) s; whole output: $log)"
	fi
}

mapfile -t lines < <(readme_setup_lines)
pre=()
for l in "${lines[@]}"; do
	[ "$l" = "make demo" ] && break
	pre+=("$l")
done
if [ ${#pre[@]} -eq ${#lines[@]} ] || ! printf '%s\n' "${lines[@]}" | grep -qx 'make test'; then
	echo "FAIL README: its block under '## The two commands' has no 'make demo' and 'make test': ${lines[*]}"
	fail=$((fail + 1))
else
	step "base has no make (so the README must say how to get it)" '! command -v make'
	step "base has no python3" '! command -v python3'
	i=0
	for l in "${pre[@]}"; do
		i=$((i + 1))
		step "README set-up line $i" "$l"
	done
	step "make demo, its set-up: make deps" 'make deps'
	step "make demo, its build: make" 'make -j"$(nproc)" && ./build/numa-migrate --version'
	step "make unit-test host-test" 'make unit-test host-test'
	step "python3 came with make deps (python3-jsonschema), nothing by hand" \
		'dpkg -s python3-jsonschema >/dev/null && [ "$(command -v python3)" = /usr/bin/python3 ]'
fi
# undo the mounts and remove the copy now, so the time includes it
trap - EXIT
if ! cleanup; then
	fail=$((fail + 1)); echo "FAIL cleanup: mounts left under $work"
fi
echo "bare-debian: $(( $(date +%s) - t0 )) s in all (cached base; its .debs in $debs)"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
