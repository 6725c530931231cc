#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# man.t - the man pages match the code and render cleanly:
#   - every key the policy parser accepts (t/confkeys, from its option
#     tables) has an entry in tls-policy-milter.conf(5) under the right
#     heading (TOP-LEVEL SETTINGS or RULES), and every entry there is a key
#     the parser accepts;
#   - every option of "tls-policy-milter -h" has an entry under OPTIONS in
#     tls-policy-milter(8), and the reverse; every -q key -h lists is named
#     in the -q entry; SIGNALS names the signals;
#   - mandoc -T lint and groff -ww -z find nothing in either page.
# Prints TAP; run by "make check".

set -u
: "${top_srcdir:=.}" "${top_builddir:=.}"
conf5=$top_srcdir/man/tls-policy-milter.conf.5
page8=$top_srcdir/man/tls-policy-milter.8
page1=$top_srcdir/man/tls-policy-report.1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/man.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM

. "$top_srcdir/t/lib/tap.sh"	# ok, not_ok, skip, diag
# same DESCRIPTION A B: the sorted lists in files A and B agree.
same() {
	if diff "$2" "$3" >"$tmp/diff"; then
		ok "$1 ($(wc -l <"$2") entries)"
	else
		not_ok "$1" "< the code, > the page:
$(cat "$tmp/diff")"
	fi
}
# entries PAGE: "SECTION KEY" for each .TP whose tag line starts with a
# bold word (.B or .BI, quoted or not), SECTION the .SH above it.
entries() {
	awk '
		/^\.SH / { sec = $0; sub(/^\.SH +/, "", sec); gsub(/"/, "", sec); next }
		/^\.TP/ { tag = 1; next }
		tag && /^\.BI? / {
			w = $0; sub(/^\.BI? +"?/, "", w); sub(/[ "].*$/, "", w)
			print sec " " w
		}
		{ tag = 0 }
	' "$1"
}

echo "1..11"

# ---------------------------------------------------------------- keys
"$top_builddir/t/confkeys" | sort >"$tmp/code.keys"
entries "$conf5" | sed -n 's/^TOP-LEVEL SETTINGS /top /p; s/^RULES /rule /p' |
	sort >"$tmp/page.keys"
same "every key the parser accepts is in tls-policy-milter.conf(5), and only those" \
	"$tmp/code.keys" "$tmp/page.keys"


# ---------------------------------------------------------------- options
"$top_builddir/tls-policy-milter" -h | sed -n 's/^  -\([A-Za-z]\) .*/\1/p' |
	sort >"$tmp/code.opts"
entries "$page8" | sed -n 's/^OPTIONS \\-\([A-Za-z]\).*/\1/p' | sort >"$tmp/page.opts"
same "every option of -h is under OPTIONS in tls-policy-milter(8), and only those" \
	"$tmp/code.opts" "$tmp/page.opts"
# -h lists the -q keys (from the code's tables) after "keys:" to the next
# option; the -q entry names each one in bold.
"$top_builddir/tls-policy-milter" -h |
	awk '/-q .*keys:/ { on = 1; sub(/.*keys:/, "") } /^  -[A-Za-z] / && !/-q/ { on = 0 } on' |
	tr ' ' '\n' | sed '/^$/d' | sort >"$tmp/code.qkeys"
awk '/^\.B \\-q$/ { on = 1; next } /^\.TP/ { on = 0 } on && /^\.BR? / { print $2 }' "$page8" |
	tr -d ',' | sort -u >"$tmp/page.qkeys"
missing=$(comm -23 "$tmp/code.qkeys" "$tmp/page.qkeys" | tr '\n' ' ')
[ -s "$tmp/code.qkeys" ] && [ -z "$missing" ] &&
	ok "every -q key of -h is named under -q in tls-policy-milter(8)" ||
	not_ok "every -q key of -h is named under -q in tls-policy-milter(8)" \
	"missing: $missing (-h gave $(wc -l <"$tmp/code.qkeys"))"
missing=
for sig in SIGHUP SIGUSR1 SIGTERM SIGINT; do
	awk '/^\.SH SIGNALS/ { on = 1; next } /^\.SH / { on = 0 } on' "$page8" |
		grep -q "$sig" || missing="$missing $sig"
done
[ -z "$missing" ] && ok "tls-policy-milter(8) SIGNALS covers HUP, USR1, TERM, INT" ||
	not_ok "tls-policy-milter(8) SIGNALS covers HUP, USR1, TERM, INT" "missing:$missing"

# ---------------------------------------------------------------- rendering
# tls-policy-report(1): every option of its -h under OPTIONS (mdoc .It Fl).
"$top_builddir/tls-policy-report" -h | sed -n 's/^  -\([A-Za-z]\) .*/\1/p' |
	sort >"$tmp/code.ropts"
sed -n '/^\.Sh OPTIONS/,/^\.Sh /s/^\.It Fl \([A-Za-z]\).*/\1/p' "$page1" |
	sort >"$tmp/page.ropts"
same "every option of tls-policy-report -h is under OPTIONS in tls-policy-report(1), and only those" \
	"$tmp/code.ropts" "$tmp/page.ropts"

for page in "$page8" "$conf5" "$page1"; do
	name=$(basename "$page")
	if command -v mandoc >/dev/null 2>&1; then
		out=$(mandoc -T lint -W warning "$page" 2>&1)
		[ -z "$out" ] && ok "mandoc -T lint: $name is clean" ||
			not_ok "mandoc -T lint: $name is clean" "$out"
	else
		skip "mandoc -T lint: $name is clean" "mandoc is not installed"
	fi
	out=$(groff -ww -z -mandoc "$page" 2>&1)
	[ -z "$out" ] && ok "groff -ww -z: $name is clean" ||
		not_ok "groff -ww -z: $name is clean" "$out"
done
