# shellcheck shell=bash
# Sourced by vm.sh (which defines log and die).
# guest_deb_bin PKG PATH: prints the absolute path of PATH (e.g. usr/bin/numad)
# inside Debian package PKG, downloaded once with apt-get (as root, like the
# kernels, kernels.sh) and unpacked under the cache:
#   ${XDG_CACHE_HOME:-$HOME/.cache}/numa-migrate/debs/PKG/root/PATH
# The guest gets it through initramfs.sh's NMT_HOST_BINS (with the shared
# libraries ldd names from the host, which runs the same Debian release).
guest_deb_bin() {
	local pkg=$1 path=$2 dir tmp
	dir=${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/numa-migrate/debs/$pkg
	if [ ! -x "$dir/root/$path" ]; then
		[ "$(id -u)" -eq 0 ] || die "apt needs root to download $pkg for the guest; run as root once"
		mkdir -p "$dir"
		tmp=$(mktemp -d "$dir/fetch.XXXXXX")
		log "downloading $pkg for the guest (once; cached in $dir)"
		if ! (cd "$tmp" && apt-get -o APT::Sandbox::User=root download "$pkg" >&2); then
			apt-get update >&2 || true
			(cd "$tmp" && apt-get -o APT::Sandbox::User=root download "$pkg" >&2) ||
				{ rm -rf "$tmp"; die "apt-get download $pkg failed: check the network to the Debian mirror"; }
		fi
		set -- "$tmp"/*.deb
		rm -rf "$dir/root"
		dpkg -x "$1" "$dir/root" || { rm -rf "$tmp"; die "cannot unpack $pkg's .deb ($1)"; }
		rm -rf "$tmp"
		[ -x "$dir/root/$path" ] || die "package $pkg has no $path"
	fi
	echo "$dir/root/$path"
}
