#!/usr/bin/env bash
# make deb: builds OUT/numa-migrate_VERSION_amd64.deb with dpkg-buildpackage
# (debhelper, debian/rules) from a clean copy of the source tree (copy_tree in
# tests/pkg/lib.sh: no build/, no ignored files).
# Usage: tests/pkg/build-deb.sh [OUT]   (OUT defaults to build)
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/pkg/lib.sh
out=${1:-build}
version=$(sed -n '1s/^[^(]*(\([^)]*\)).*/\1/p' debian/changelog)
[ -n "$version" ] || { echo "build-deb: debian/changelog: no version in its first line" >&2; exit 1; }
arch=$(dpkg-architecture -qDEB_HOST_ARCH)
work=$out/deb
src=$work/numa-migrate-$version
rm -rf "$work"
mkdir -p "$src"
copy_tree "$src"
( cd "$src" && dpkg-buildpackage -us -uc -b ) > "$work/build.log" 2>&1 || {
	echo "build-deb: dpkg-buildpackage failed; the last lines of $work/build.log:" >&2
	tail -30 "$work/build.log" >&2
	exit 1
}
deb=numa-migrate_${version}_${arch}.deb
[ -f "$work/$deb" ] || { echo "build-deb: dpkg-buildpackage did not produce $work/$deb (see $work/build.log)" >&2; exit 1; }
cp "$work/$deb" "$out/$deb"
echo "build-deb: $out/$deb ($(stat -c %s "$out/$deb") bytes)"
