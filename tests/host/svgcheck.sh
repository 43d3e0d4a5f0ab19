#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# svgcheck.sh SVG...: renders each heat map SVG in headless Chromium and checks
# that a reader can read it (svgcheck.js: parses as SVG, title, a legend per
# colour scale, node and region labels present with real boxes inside the
# viewBox, text >= 10 px and dark enough, no text overlapping another or a
# panel of cells). One Chromium run for all files. Prints one line per file:
#   SVGCHECK <file name> OK texts=N regions=N marks=N legends=N
#   SVGCHECK <file name> FAIL <reasons>
# Exit status: 0 when every file is OK, 1 when one is not, 2 when Chromium
# could not run (missing: tests/deps.sh installs the Debian package).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
[ $# -gt 0 ] || { echo "usage: $0 SVG..." >&2; exit 2; }
command -v chromium >/dev/null || { echo "svgcheck: chromium missing (tests/deps.sh installs it)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

{
	printf '<!DOCTYPE html>\n<html><head><meta charset="utf-8"></head><body>\n'
	printf '<div id="host"></div><pre id="result">NOT RUN</pre>\n<script>\nwindow.NM_SVGS = [\n'
	for f in "$@"; do
		[ -r "$f" ] || { echo "svgcheck: cannot read $f" >&2; exit 2; }
		printf '{ name: "%s", b64: "%s" },\n' "$(basename "$f" | tr -cd 'A-Za-z0-9._-')" \
			"$(base64 -w 0 "$f")"
	done
	printf '];\n</script>\n<script>\n'
	cat "$HERE/svgcheck.js"
	printf '</script>\n</body></html>\n'
} >"$work/check.html"

timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
	--disable-background-networking --disable-component-update --disable-sync \
	--user-data-dir="$work/profile" --window-size=1600,1200 \
	--dump-dom "file://$work/check.html" >"$work/dom.html" 2>"$work/chromium.log" || {
	echo "svgcheck: chromium failed: $(tail -3 "$work/chromium.log")" >&2
	exit 2
}
# the result lines, HTML entities of the reasons decoded
sed 's/.*<pre id="result">//' "$work/dom.html" | grep -a '^SVGCHECK ' |
	sed 's/<\/pre>.*//; s/&quot;/"/g; s/&lt;/</g; s/&gt;/>/g; s/&amp;/\&/g' >"$work/result"
[ "$(grep -c '^SVGCHECK ' "$work/result")" -eq $# ] || {
	echo "svgcheck: the check page reported on $(grep -c '^SVGCHECK ' "$work/result") of $# files:" >&2
	grep -a -A3 'id="result"' "$work/dom.html" | head -5 >&2
	exit 2
}
cat "$work/result"
! grep -q '^SVGCHECK [^ ]* FAIL' "$work/result"
