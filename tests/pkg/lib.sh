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
