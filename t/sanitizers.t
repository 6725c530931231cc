#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# t/sanitizers.t - in a build made with --enable-sanitizers, every
# sanitiser report of every program the tests ran (unit tests, the daemon
# also after it switched to another user, the MTA client) went to a file
# in $SANITIZER_REPORTS (see Makefile.am); this test runs after all the
# others and fails if there is any, printing them.  Skipped otherwise.

if [ -z "${SANITIZER_REPORTS:-}" ]; then
	echo "1..0 # SKIP not built with --enable-sanitizers"
	exit 0
fi
echo "1..1"
reports=$(find "$SANITIZER_REPORTS" -type f 2>/dev/null | sort)
if [ -z "$reports" ]; then
	echo "ok 1 - no AddressSanitizer, LeakSanitizer or UBSan report"
	exit 0
fi
echo "not ok 1 - sanitiser reports: $(echo "$reports" | wc -l)"
for f in $reports; do
	echo "# --- $f"
	sed 's/^/# /' "$f" | head -n 60
done
exit 1
