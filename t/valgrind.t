#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# t/valgrind.t - the daemon under valgrind's memcheck through the whole of
# t/protocol.t (negotiation, refusals, per-recipient decisions, STARTTLS
# resets, fail-closed cases, hostile strings, two connections at once,
# monitor mode, log_accepts = false, a stop on SIGTERM): protocol.t must
# pass as it does without valgrind, and each daemon run must end with no
# memory error (invalid read or write, use of uninitialised values, bad
# free) and no leak (definitely or indirectly lost).  Skipped without valgrind and in a
# --enable-sanitizers build (valgrind cannot run ASan programs).  TAP.

: "${top_srcdir:?top_srcdir must be set}"
: "${top_builddir:?top_builddir must be set}"

if ! command -v valgrind >/dev/null 2>&1; then
	echo "1..0 # SKIP valgrind is not installed"
	exit 0
fi
if [ -n "${SANITIZER_REPORTS:-}" ]; then
	echo "1..0 # SKIP built with --enable-sanitizers"
	exit 0
fi
. "$top_srcdir/t/lib/tap.sh"
cleanup() { rm -rf "$TMP"; }
tap_tmpdir valgrind

# The wrapper protocol.t starts the daemon through (MILTER_WRAPPER).
{
	echo '#!/bin/sh'
	echo 'exec valgrind --tool=memcheck --leak-check=full \'
	echo '    --show-leak-kinds=definite,indirect \'
	echo '    --errors-for-leak-kinds=definite,indirect \'
	echo "    --log-file=$TMP/vg.%p \"\$@\""
} >"$TMP/wrap"
chmod +x "$TMP/wrap"

MILTER_WRAPPER=$TMP/wrap sh "$top_srcdir/t/protocol.t" >"$TMP/tap" 2>&1
rc=$?
n_ok=$(grep -c '^ok ' "$TMP/tap")
n_bad=$(grep -c '^not ok ' "$TMP/tap")
if [ $rc -eq 0 ] && [ "$n_bad" -eq 0 ] && [ "$n_ok" -gt 0 ]; then
	ok "t/protocol.t passes with the daemon under valgrind ($n_ok tests)"
else
	not_ok "t/protocol.t passes with the daemon under valgrind ($n_ok ok, $n_bad not ok, exit $rc)"
	grep -A6 '^not ok\|Bail' "$TMP/tap" | sed 's/^/# /' | head -n 60
fi

runs=0
for log in "$TMP"/vg.*; do
	[ -f "$log" ] || continue
	runs=$((runs + 1))
	errors=$(sed -n 's/.*ERROR SUMMARY: \([0-9]*\) errors.*/\1/p' "$log" | tail -n 1)
	defl=$(sed -n 's/.*definitely lost: \([0-9,]*\) bytes.*/\1/p' "$log" | tail -n 1)
	indl=$(sed -n 's/.*indirectly lost: \([0-9,]*\) bytes.*/\1/p' "$log" | tail -n 1)
	heap=$(sed -n 's/.*total heap usage: //p' "$log" | tail -n 1)
	if [ "${errors:-x}" = 0 ] && [ "${defl:-0}" = 0 ] && [ "${indl:-0}" = 0 ]; then
		ok "daemon run $runs: no memory error, no leak (heap: $heap)"
	else
		not_ok "daemon run $runs: errors=${errors:-?} definitely lost=${defl:-0} indirectly lost=${indl:-0}"
		sed 's/^/# /' "$log" | head -n 100
	fi
done
if [ $runs -ge 3 ]; then
	ok "valgrind watched every daemon run of t/protocol.t ($runs)"
else
	not_ok "valgrind watched every daemon run of t/protocol.t ($runs, want 3)"
fi
echo "1..$T"
[ $FAILED -eq 0 ]
