# Sourced by tests/pkg/*.sh.

# copy_tree DEST: copies the source tree into DEST (which must exist): the
# files git knows, committed or not, minus ignored ones such as build/; the
# whole tree minus build/ when this is not a git checkout (or git is missing).
copy_tree() {
	local dest=$1
	if command -v git >/dev/null && git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
		# files deleted in the work tree but still in the index are skipped
		git ls-files -z --cached --others --exclude-standard |
			tar -c --null -T - --ignore-failed-read -f - 2>/dev/null | tar -x -C "$dest"
	else
		tar -c --exclude=./build -f - . | tar -x -C "$dest"
	fi
}

# readme_setup_lines: the lines of README.md's first code block under
# "## The two commands", comments removed, one a line.
readme_setup_lines() {
	awk '/^## The two commands/ { sec = 1; next }
	     sec && /^## / { exit }
	     sec && /^```/ { if (blk) exit; blk = 1; next }
	     blk { sub(/[ \t]+#.*/, ""); if ($0 != "") print }' README.md
}

# ensure_base: sets cache and base; makes $base, a pristine
# 'debootstrap --variant=minbase bookworm' root file system, when it is
# missing (once, under a lock; about a minute). Never modify $base: copy it.
ensure_base() { ensure_debootstrap bookworm-minbase; }

# ensure_debootstrap NAME [PKG,PKG...]: sets cache and base; makes $base
# ($cache/NAME), a pristine 'debootstrap --variant=minbase
# [--include=PKG,...] bookworm' root file system (with Debian 12's sources
# list), when it is missing: once, under a lock. Never modify $base: copy it.
ensure_debootstrap() {
	local name=$1 include=${2:-} mirror=${NM_DEBIAN_MIRROR:-http://deb.debian.org/debian} s
	cache=${XDG_CACHE_HOME:-$HOME/.cache}/numa-migrate
	base=$cache/$name
	command -v debootstrap >/dev/null || {
		echo "debootstrap missing; install it with 'make deps' (tests/deps.sh)" >&2; return 1; }
	mkdir -p "$cache"
	exec 9>"$cache/$name.lock"
	flock 9
	if [ ! -f "$base/.nm-complete" ]; then
		s=$(date +%s)
		echo "making $base (debootstrap --variant=minbase${include:+ --include=$include} bookworm; once)"
		rm -rf --one-file-system "$base.tmp"
		debootstrap --variant=minbase ${include:+--include="$include"} bookworm "$base.tmp" "$mirror" \
			> "$cache/$name.debootstrap.log" 2>&1 || {
			echo "debootstrap failed (network? mirror $mirror); last lines of $cache/$name.debootstrap.log:" >&2
			tail -20 "$cache/$name.debootstrap.log" >&2
			flock -u 9
			return 1
		}
		# the sources a Debian 12 installation has: the release, its
		# updates and security (debootstrap writes only the first)
		rm -f "$base.tmp/etc/apt/sources.list"
		cat > "$base.tmp/etc/apt/sources.list.d/debian.sources" <<-EOF
		Types: deb
		URIs: $mirror
		Suites: bookworm bookworm-updates
		Components: main
		Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

		Types: deb
		URIs: ${mirror%/debian}/debian-security
		Suites: bookworm-security
		Components: main
		Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
		EOF
		rm -rf --one-file-system "$base"
		touch "$base.tmp/.nm-complete"
		mv "$base.tmp" "$base"
		echo "base made in $(( $(date +%s) - s )) s"
	fi
	flock -u 9
	exec 9>&-
}
