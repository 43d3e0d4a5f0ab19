#!/usr/bin/env bash
# The documentation cannot silently fall behind the program:
#   1. every relative link (and #anchor) in README.md, docs/*.md,
#      tests/bench/README.md and tests/vm/README.md resolves to a file or
#      folder in the repository (and to a heading of it); HTML comments and
#      code are not links;
#   2. every command of 'numa-migrate --help' (the table of cmd/cmdtab.c) has
#      docs/COMMAND.md, and every option of 'numa-migrate COMMAND --help' is
#      in that page's option table (the first cell of a '|' row);
#   3. the man page ('help --man') has a section per command, every option,
#      and a SEE ALSO that names the docs.
# Usage: tests/host/docs.sh [BIN]. Prints each failure, then "docs: N checked,
# N failed"; exit status 1 when anything failed.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=$(realpath "${1:-$ROOT/build/numa-migrate}")
cd "$ROOT" || exit 2
checked=0 failed=0
bad() { echo "FAIL $*"; failed=$((failed + 1)); }
ok() { checked=$((checked + 1)); }

# The text of a markdown file as it renders: no HTML comments, no fenced
# code, no inline code spans.
prose() {
	sed -e ':a' -e '/<!--/{ /-->/!{ N; ba; }; s/<!--.*-->//; }' "$1" |
		awk '/^[ \t]*```/ { f = !f; next } !f' | sed 's/`[^`]*`//g'
}
# GitHub's heading anchors of a file.
anchors() {
	awk '/^[ \t]*```/ { f = !f; next } !f && /^#+ /' "$1" |
		sed -e 's/^#* //' -e 's/[A-Z]/\L&/g' -e 's/[^a-z0-9 _-]//g' -e 's/ /-/g'
}

# 1. links
files=(README.md docs/*.md tests/bench/README.md tests/vm/README.md)
for f in "${files[@]}"; do
	[ -f "$f" ] || { bad "$f: missing"; continue; }
	while IFS= read -r link; do
		target=${link%%#*} anchor=
		[ "$target" != "$link" ] && anchor=${link#*#}
		case $target in http://* | https://* | mailto:*) continue ;; esac
		ok
		if [ -z "$target" ]; then
			path=$f
		else
			path=$(realpath -m "$(dirname "$f")/$target")
			case $path in "$ROOT"/*) path=${path#"$ROOT"/} ;; *) bad "$f: link ($link) leaves the repository"; continue ;; esac
			if [ ! -e "$path" ]; then
				bad "$f: link ($link): no file $path in the repository"
				continue
			fi
		fi
		if [ -n "$anchor" ] && ! { [ -f "$path" ] && anchors "$path" | grep -qxF -- "$anchor"; }; then
			bad "$f: link ($link): $path has no heading with the anchor #$anchor"
		fi
	done < <(prose "$f" | grep -o '\](\([^)]*\))' | sed 's/^](\(.*\))$/\1/')
done

# 2. a page per command, every option in its table
cmds=$("$BIN" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z]\+\) .*/\1/p')
[ -n "$cmds" ] || bad "'$BIN --help' lists no commands"
man=$("$BIN" help --man)
for c in $cmds; do
	page=docs/$c.md
	ok
	if [ ! -f "$page" ]; then
		bad "command '$c' (cmd/cmdtab.c) has no page $page"
		continue
	fi
	opts=$("$BIN" "$c" --help | sed -n '/^Options:/,/^$/s/^  \(--[a-z-]\+\).*/\1/p' | grep -vx -- --help)
	# the first cells of the page's table rows
	cells=$(awk '/^[ \t]*```/ { f = !f; next } !f' "$page" | sed -n 's/^|\([^|]*\)|.*/\1/p')
	mansec=$(printf '%s\n' "$man" | sed -n "/^\.SS $c\$/,/^\.S[SH] /p")
	[ -n "$mansec" ] || bad "man page: no section '.SS $c'"
	for o in $opts; do
		ok
		grep -q -- "\`$o[]\` =[]" <<<"$cells" ||
			bad "$page: option $o ('numa-migrate $c --help') is not in the page's option table"
		grep -qF -- "${o//-/\\-}" <<<"$mansec" ||
			bad "man page: option $o of '$c' is missing"
	done
done

# 3. the man page points to the docs
ok
printf '%s\n' "$man" | sed -n '/^\.SH SEE ALSO/,$p' | grep -q 'docs/README.md' ||
	bad "man page: SEE ALSO does not name docs/README.md"

echo "docs: $checked checked, $failed failed"
[ "$failed" -eq 0 ]
