#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# t/soak.t - many sessions through the daemon with the project's load
# generator (bench/milter-load, which plays Postfix 3.7): no protocol
# error, and the daemon's memory and open files flat.
#
#   SOAK_SESSIONS=N  sessions in all (default 40,000: what CI runs; the
#                    long form is SOAK_SESSIONS=1000000)
#   SOAK_CONC=C      sessions at once (default 64)
#
# The daemon runs as in production (in the background, with -P; as root
# as user nobody) on a generated policy of 1,000 rules (bench/gen-policy)
# over the same numbered domains the sessions are drawn from.  After a
# warm-up of 5% of the sessions (at least 10,000: libmilter's thread pool
# and malloc's arenas reach their size), its resident memory (VmRSS, and
# how much of it is thread stacks) and open file descriptors are sampled,
# then after each tenth of the run; the resident size outside thread
# stacks may grow by less than a byte a session (12 for a short run: see
# below), descriptors not at all.  In a
# --enable-sanitizers build, whose allocator keeps freed memory in
# quarantine by design, only descriptors and errors are held to that.  Prints TAP; the samples as diagnostics.

set -u

: "${top_srcdir:?top_srcdir must be set}"
: "${top_builddir:?top_builddir must be set}"
MILTER=$top_builddir/tls-policy-milter
LOAD=$top_builddir/bench/milter-load
GEN=$top_builddir/bench/gen-policy
N=${SOAK_SESSIONS:-40000}
C=${SOAK_CONC:-64}
DOMAINS=2000
WARM=$((N / 20))
[ $WARM -ge 40000 ] || WARM=40000
CHUNKS=10

for _f in "$MILTER" "$LOAD" "$GEN"; do
	[ -x "$_f" ] || { echo "Bail out! $_f is not built"; exit 1; }
done

TMP=
MPID=
. "$top_srcdir/t/lib/tap.sh"
. "$top_srcdir/t/lib/proc.sh"
cleanup() {
	[ -n "$MPID" ] && alive "$MPID" && stop "$MPID"
	[ -n "$TMP" ] && rm -rf "$TMP"
}
tap_tmpdir soak
chmod 755 "$TMP"

"$GEN" -d $DOMAINS 1000 >"$TMP/policy.conf" || { echo "Bail out! gen-policy failed"; exit 1; }
chmod 644 "$TMP/policy.conf"
USER_OPT=
[ "$(id -u)" -eq 0 ] && id nobody >/dev/null 2>&1 && USER_OPT="-u nobody"
# shellcheck disable=SC2086
"$MILTER" -c "$TMP/policy.conf" -p "unix:$TMP/m.sock" -P "$TMP/pid" $USER_OPT \
	>"$TMP/start.log" 2>&1
_i=0
while { [ ! -s "$TMP/pid" ] || [ ! -S "$TMP/m.sock" ]; } && [ $_i -lt 100 ]; do
	sleep 0.1
	_i=$((_i + 1))
done
MPID=$(cat "$TMP/pid" 2>/dev/null)
if [ -z "$MPID" ] || ! alive "$MPID"; then
	echo "Bail out! the daemon did not start: $(cat "$TMP/start.log")"
	exit 1
fi

# stacks_rest PID: "STACKS_KB REST_KB", the resident kB of thread stacks
# (thread_stacks(), t/lib/proc.sh) and of the rest, from /proc/PID/smaps.
# glibc keeps the stacks of ended threads for reuse, up to 40 MiB of them:
# 160 of the daemon's 256 KiB stacks, each keeping the pages its threads
# touched.  So the stacks' share grows until
# as many stacks exist as libmilter ever ran threads at once, and stops:
# a cache, not a leak, which the rest (heap, policy, libraries) would show.
stacks_rest() {
	_stk=$(thread_stacks "$1" | awk '{ s += $2 } END { print s + 0 }')
	_all=$(awk '/^Rss:/ { s += $2 } END { print s + 0 }' "/proc/$1/smaps")
	echo "$_stk" $((_all - _stk))
}

# sample: "RSS_KB FDS THREADS ANON_KB FILE_KB HWM_KB STACKS_KB REST_KB" of
# the daemon, settled (the peak, VmHWM, counts the stacks of threads
# libmilter started under load and let go: reported, not judged).
sample() {
	sleep 0.5
	echo "$(awk '/^VmRSS:/ { print $2 }' "/proc/$MPID/status")" \
	    "$(ls "/proc/$MPID/fd" | wc -l)" \
	    "$(awk '/^Threads:/ { print $2 }' "/proc/$MPID/status")" \
	    "$(awk '/^RssAnon:/ { print $2 }' "/proc/$MPID/status")" \
	    "$(awk '/^RssFile:/ { print $2 }' "/proc/$MPID/status")" \
	    "$(awk '/^VmHWM:/ { print $2 }' "/proc/$MPID/status")" \
	    "$(stacks_rest "$MPID")"
}

# run SESSIONS SEED: one milter-load run; adds to DONE and ERRORS.
DONE=0 ERRORS=0 LOAD_FAILED=0 SECS=0
run() {
	"$LOAD" -q -c "$C" -n "$1" -d $DOMAINS -s "$2" -p "$MPID" \
		"unix:$TMP/m.sock" >"$TMP/load.json" 2>"$TMP/load.err"
	_rc=$?
	[ $_rc -eq 0 ] || LOAD_FAILED=$((LOAD_FAILED + 1))
	_e=$(sed -n 's/.*"errors":\([0-9]*\).*/\1/p' "$TMP/load.json")
	_s=$(sed -n 's/.*"seconds":\([0-9.]*\).*/\1/p' "$TMP/load.json")
	ERRORS=$((ERRORS + ${_e:-1}))
	DONE=$((DONE + $1))
	SECS=$(awk -v a="$SECS" -v b="${_s:-0}" 'BEGIN { print a + b }')
	if [ $_rc -ne 0 ] || [ "${_e:-1}" -ne 0 ]; then
		{ echo "milter-load exit $_rc:"; cat "$TMP/load.err" "$TMP/load.json"; } |
			head -n 20 | diag
	fi
}

START_T=$SECONDS
run "$WARM" 1
WARM_ERRORS=$ERRORS
read -r RSS0 FD0 TH0 ANON0 FILE0 HWM0 STK0 REST0 <<<"$(sample)"
echo "# after a warm-up of $WARM sessions: rss=${RSS0} kB (anon $ANON0, file $FILE0; thread stacks $STK0, the rest $REST0) peak=$HWM0 kB fds=$FD0 threads=$TH0"
echo "0 $REST0" >"$TMP/rss"
DONE=0
CHUNK=$((N / CHUNKS))
for _k in $(seq 1 $CHUNKS); do
	run "$CHUNK" $((_k + 1))
	read -r RSS FD TH ANON FILE HWM STK REST <<<"$(sample)"
	echo "# $DONE sessions: rss=$RSS kB (anon $ANON, file $FILE; thread stacks $STK, the rest $REST) peak=$HWM kB fds=$FD threads=$TH"
	echo "$DONE $REST" >>"$TMP/rss"
	alive "$MPID" || break
done
TOTAL_T=$((SECONDS - START_T))

if alive "$MPID"; then
	ok "the daemon is alive after $DONE sessions at concurrency $C"
else
	not_ok "the daemon is alive after $DONE sessions at concurrency $C"
fi
if [ "$ERRORS" -eq 0 ] && [ "$LOAD_FAILED" -eq 0 ]; then
	ok "no protocol error in $((DONE + WARM)) sessions"
else
	not_ok "protocol errors: $ERRORS (milter-load failed $LOAD_FAILED times)"
fi
if [ "$FD" -le "$FD0" ]; then
	ok "open descriptors flat: $FD0 after the warm-up, $FD at the end"
else
	not_ok "open descriptors grew: $FD0 after the warm-up, $FD at the end"
fi
# Flat: the resident memory outside thread stacks (stacks_rest() says
# why) may not grow with the sessions.  Judged by the slope of the
# samples (least squares, bytes a session), not by the last against the
# first: malloc's arenas creep up a few hundred kB over a million
# sessions, more slowly as they go (0.2-0.5 bytes a session measured at
# 0f4c470 and since, single samples moving 3% either way), where a leak
# grows with every session, the smallest one (a malloc(8) left in
# conn_new(), a 32-byte chunk) by 25 bytes a session.  Under 1 byte a
# session for a long run; a short one (CI) cannot be held that close (40,000
# sessions: up to 4 bytes a session of noise), so 12, which that leak
# still exceeds twice over.
LIMIT=1
[ "$N" -ge 100000 ] || LIMIT=12
med3() { printf '%s\n' "$@" | sort -n | sed -n 2p; }
FIRST=$(med3 $(sed -n 1,3p "$TMP/rss" | cut -d' ' -f2))
LAST=$(med3 $(tail -n 3 "$TMP/rss" | cut -d' ' -f2))
SLOPE=$(awk '{ n++; sx += $1; sy += $2; sxx += $1 * $1; sxy += $1 * $2 }
	END { d = n * sxx - sx * sx
		printf "%.2f", (d > 0 ? (n * sxy - sx * sy) / d * 1024 : 0) }' "$TMP/rss")
MEM="$SLOPE bytes a session, limit $LIMIT ($FIRST kB after the warm-up, $LAST kB at the end, outside thread stacks, medians of three samples)"
if [ -n "${SANITIZER_REPORTS:-}" ]; then
	ok "resident memory not judged under ASan (quarantine): $MEM # SKIP sanitizer build"
elif [ -n "$SLOPE" ] && awk -v g="$SLOPE" -v l="$LIMIT" 'BEGIN { exit !(g < l) }'; then
	ok "resident memory flat: $MEM"
else
	not_ok "resident memory grows: $MEM"
fi
kill -TERM "$MPID"
_i=0
while alive "$MPID" && [ $_i -lt 100 ]; do sleep 0.1; _i=$((_i + 1)); done
if ! alive "$MPID"; then
	ok "it stops on SIGTERM"
	MPID=
else
	not_ok "it stops on SIGTERM"
fi
echo "# $DONE sessions (+$WARM warm-up) at concurrency $C in ${SECS%.*} s of load, $TOTAL_T s in all"
echo "1..$T"
[ $FAILED -eq 0 ]
