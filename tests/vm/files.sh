# shellcheck shell=bash
# tests/vm/files.sh - files a guest hands back (sourced by vm.sh).
#
# A scenario calls save_file NAME FILE (guest/lib.sh); after the scenario the
# guest prints the file on the console:
#   NMTEST-FILE-BEGIN SCENARIO/NAME SIZE MD5
#   the file gzipped, as base64 lines
#   NMTEST-FILE-END SCENARIO/NAME
# vm_files writes each to DIR/SCENARIO/NAME (vm.sh: build/vm/files/LEG/),
# checks its size and MD5 (a kernel message printed into the middle of a
# file would damage it), and validates the JSON outputs among them
# (NAME <schema>.<label>.json or .jsonl) against docs/schema with
# tests/schema/validate.sh.

# vm_files CONSOLE DIR: sets FILES_REASONS (why the leg fails; empty when
# all is well) and FILES_LINE (what came back, what validated).
vm_files() {
	local clean=$1 dir=$2 name size sum b64 n=0 njson out rc
	FILES_REASONS=()
	FILES_LINE=
	rm -rf "$dir"
	mkdir -p "$dir"
	# base64 lines inside a block go to one file each; anything else printed
	# meanwhile (a kernel message) is left out, and the MD5 tells
	awk -v dir="$dir" '
		/^NMTEST-FILE-BEGIN / { n++; out = dir "/.b64." n; printf "" > out
			print $2, $3, $4, out > (dir "/.index"); inside = 1; next }
		/^NMTEST-FILE-END / { if (inside) close(out); inside = 0; next }
		inside && /^[A-Za-z0-9+\/=]+$/ { print > out }' "$clean"
	[ -f "$dir/.index" ] || { FILES_LINE="no files returned"; return 0; }
	while read -r name size sum b64; do
		n=$((n + 1))
		if ! [[ $name =~ ^[a-z0-9_]+/[A-Za-z0-9_-][A-Za-z0-9._-]*$ ]]; then
			FILES_REASONS+=("the guest returned a file with a bad name '$name' (SCENARIO/NAME, NAME of letters, digits, . _ -)")
			continue
		fi
		mkdir -p "$dir/${name%/*}"
		if ! base64 -d <"$b64" 2>/dev/null | gunzip -c >"$dir/$name" 2>/dev/null ||
			[ "$(wc -c <"$dir/$name")" != "$size" ] ||
			[ "$(md5sum <"$dir/$name" | cut -d' ' -f1)" != "$sum" ]; then
			FILES_REASONS+=("file $name came back damaged (size or MD5 differs from what the guest sent: something printed into it on the console, or the guest stopped while printing it)")
		fi
	done <"$dir/.index"
	rm -f "$dir"/.b64.* "$dir/.index"
	njson=$(find "$dir" -type f \( -name '*.json' -o -name '*.jsonl' \) | wc -l)
	FILES_LINE="$n file(s) returned to $(rel "$dir")"
	[ "$njson" -gt 0 ] || return 0
	rc=0
	out=$("$ROOT/tests/schema/validate.sh" "$dir" 2>&1) || rc=$?
	FILES_LINE="$FILES_LINE; $(tail -n 1 <<<"$out")"
	if [ "$rc" -ne 0 ]; then
		FILES_REASONS+=("JSON outputs do not match docs/schema (file, JSON pointer, rule):
$(head -n 30 <<<"$out" | sed 's/^/    /')")
	fi
	return 0
}
