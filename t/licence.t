#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# t/licence.t - every source file of the project names its licence on an
# SPDX line near its top (LICENSE holds the text).  Prose (README files,
# HACKING), test data kept byte for byte (fuzz/regress) and .gitignore are
# exempt, and so are the Debian files whose format has no comments: the
# changelog, source/format, and copyright, which names the licence in its
# own way (DEP-5 "License: BSD-2-Clause", checked instead).
# Needs the git tree; skipped in a tarball, whose files came from one.

: "${top_srcdir:=.}"
. "$top_srcdir/t/lib/tap.sh"

if ! git -C "$top_srcdir" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	echo "1..0 # SKIP not a git checkout"
	exit 0
fi
echo "1..2"

if grep -q '^BSD 2-Clause License$' "$top_srcdir/LICENSE"; then
	ok "LICENSE holds the BSD 2-Clause text"
else
	not_ok "LICENSE holds the BSD 2-Clause text"
fi

missing=$(git -C "$top_srcdir" ls-files | while read -r f; do
	case $f in
	.gitignore | LICENSE | README | HACKING | */README | fuzz/regress/*) continue ;;
	debian/README.Debian | debian/changelog | debian/source/format) continue ;;
	debian/copyright)
		grep -qx 'License: BSD-2-Clause' "$top_srcdir/$f" || echo "$f"
		continue ;;
	esac
	head -n 3 "$top_srcdir/$f" | grep -q 'SPDX-License-Identifier: BSD-2-Clause' ||
		echo "$f"
done)
if [ -z "$missing" ]; then
	ok "every source file has an SPDX line in its first three lines"
else
	not_ok "every source file has an SPDX line in its first three lines"
	echo "$missing" | diag
fi
exit 0
