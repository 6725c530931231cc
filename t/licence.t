#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# t/licence.t - every source file of the project names its licence on an
# SPDX line near its top (LICENSE holds the text).  Prose (README files,
# HACKING), test data kept byte for byte (fuzz/regress) and .gitignore are
# exempt.
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
