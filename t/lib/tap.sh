# SPDX-License-Identifier: BSD-2-Clause
# t/lib/tap.sh - TAP output and a private temporary directory for the
# script tests.  Sourced (POSIX sh and bash).

# The one TAP counter of every script test (t/lib/scenarios.sh counts with
# it too): T counts the test points, FAILED the failures.
#
# ok DESCRIPTION: the next test point passed.
# not_ok DESCRIPTION [DETAIL]: it failed; DETAIL, when given and not
#     empty, follows as TAP comments.
# skip DESCRIPTION REASON: it could not be run here ("# SKIP REASON").
# diag: its standard input as TAP comments.
T=0
FAILED=0
ok() { T=$((T + 1)); echo "ok $T - $1"; }
not_ok() {
	T=$((T + 1)); FAILED=$((FAILED + 1)); echo "not ok $T - $1"
	[ -z "${2:-}" ] || printf '%s\n' "$2" | diag
}
skip() { T=$((T + 1)); echo "ok $T - $1 # SKIP $2"; }
diag() { sed 's/^/# /'; }

# tap_traps COMMAND: run COMMAND (the script's cleanup) on exit, and exit
# on HUP, INT and TERM (129, 130, 143), which runs it too.
tap_traps() {
	trap "$1" EXIT
	trap 'exit 129' HUP
	trap 'exit 130' INT
	trap 'exit 143' TERM
}

# tap_tmpdir NAME: TMP a new directory ${TMPDIR:-/tmp}/tpm-NAME.XXXXXX,
# and tap_traps cleanup (the script defines cleanup, which removes TMP).
# Bails out when the directory cannot be made.
tap_tmpdir() {
	TMP=$(mktemp -d "${TMPDIR:-/tmp}/tpm-$1.XXXXXX") || {
		echo "Bail out! cannot create a temporary directory"
		exit 1
	}
	tap_traps cleanup
}
