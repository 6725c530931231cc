#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# t/syslog.t - the daemon's own syslog client (milter/log.c), as a syslogd
# sees it: each line one datagram in syslog(3)'s format (priority, local
# time, ident and the pid of the daemon after it went into the
# background, no newline); -f copies lines to stderr, and writes nothing
# there when stderr is /dev/null; a syslogd that restarts gets the next
# line on its new socket; lines sent while there is no syslogd are counted
# and reported once it is back; a syslogd that stops reading holds no
# session for more than a second once, and the lines it missed are
# reported when it reads again.
#
# The daemon runs in a private mount namespace whose /dev/log is a symbolic
# link (as on a systemd host) to t/syslogcap's socket, which keeps each
# datagram as a file; the stalled syslogd has a receive queue of 3
# datagrams (net.unix.max_dgram_qlen in a private network namespace).
# Needs root and unshare; skips otherwise.  Prints TAP.

set -u

: "${top_srcdir:?top_srcdir must be set}" "${top_builddir:?top_builddir must be set}"
SYSLOGCAP=$top_builddir/t/syslogcap	# keeps each datagram as a file
MILTER=$top_builddir/tls-policy-milter
CLIENT=$top_builddir/t/mtaclient	# one session
LOAD=$top_builddir/bench/milter-load	# many

if [ "$(id -u)" -ne 0 ] || ! command -v unshare >/dev/null ||
    ! command -v strace >/dev/null; then
	echo "1..0 # SKIP needs root, unshare and strace"
	exit 0
fi
for _f in "$MILTER" "$CLIENT" "$SYSLOGCAP" "$LOAD"; do
	[ -x "$_f" ] || { echo "Bail out! $_f is not built"; exit 1; }
done
# Everything below runs with /dev/log a symbolic link to $TMP/log.sock, in
# a mount namespace of its own.
if [ -z "${TPM_SYSLOG_TMP:-}" ]; then
	TPM_SYSLOG_TMP=$(mktemp -d "${TMPDIR:-/tmp}/tpm-syslog.XXXXXX") || exit 1
	export TPM_SYSLOG_TMP
	exec unshare -m sh "$top_srcdir/t/lib/devlog.sh" -l \
	    "$TPM_SYSLOG_TMP/log.sock" "$BASH" "$0" "$@"
fi
. "$top_srcdir/t/lib/proc.sh"
. "$top_srcdir/t/lib/tap.sh"

TMP=$TPM_SYSLOG_TMP
MPID=
CPID=
check() {	# check DESCRIPTION CONDITION...
	_d=$1
	shift
	if "$@"; then ok "$_d"; else not_ok "$_d"; fi
}

cleanup() {
	[ -n "$MPID" ] && stop "$MPID"
	[ -n "$CPID" ] && stop "$CPID"
	rm -rf "$TMP"
}
tap_traps cleanup

# syslogd DIR [QLEN]: start t/syslogcap on $TMP/log.sock keeping datagrams
# in DIR (with a receive queue of QLEN datagrams); its pid in CPID.
syslogd() {
	mkdir -p "$1"
	if [ $# -gt 1 ]; then
		unshare -n sh -c "echo $2 >/proc/sys/net/unix/max_dgram_qlen &&
		    exec '$SYSLOGCAP' '$TMP/log.sock' '$1'" &
	else
		"$SYSLOGCAP" "$TMP/log.sock" "$1" &
	fi
	CPID=$!
	wait_socket "$TMP/log.sock"
}

# nmsgs DIR: how many datagrams DIR holds; waitfor DIR N: until it holds N
# (3 s at most).
nmsgs() { find "$1" -type f | wc -l; }
waitfor() {
	_i=0
	while [ "$(nmsgs "$1")" -lt "$2" ] && [ $_i -lt 60 ]; do
		sleep 0.05
		_i=$((_i + 1))
	done
}

cat >"$TMP/policy.conf" <<'EOF'
allow_root = true
rule "all" { require = "encrypt" }
EOF
SOCK=$TMP/milter.sock

# One plaintext session: one decision, a refusal at MAIL.
session() {
	printf '%s\n' optneg 'macro C {client_addr} 192.0.2.1' \
	    'connect mx 4 192.0.2.1 25' 'expect noreply' 'macro H' 'helo mx' \
	    'expect noreply' 'macro M {mail_addr} a@example.net' \
	    'mail <a@example.net>' 'match reply 554 *' quit |
	    "$CLIENT" "unix:$SOCK" >"$TMP/mta.out" 2>&1
}

# start_daemon ARGS...: the daemon on $SOCK; MPID its pid.
start_daemon() {
	rm -f "$SOCK"
	"$@" &
	MPID=$!
	wait_socket "$SOCK"
}

echo "1..9"

# --- the format, in the background (-P): the pid is the daemon's own
syslogd "$TMP/m1"
start_daemon "$MILTER" -c "$TMP/policy.conf" -p "unix:$SOCK" \
    -P "$TMP/pid"
wait_file "$TMP/pid"	# written after the socket appears
MPID=$(cat "$TMP/pid" 2>/dev/null)
session
waitfor "$TMP/m1" 2
_start=$(find "$TMP/m1" -type f | sort | head -n 1)
_line=$(find "$TMP/m1" -type f | sort | sed -n 2p)
_mon='(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)'
_hdr="^<%d>$_mon [ 1-3][0-9] [0-2][0-9]:[0-5][0-9]:[0-6][0-9] tls-policy-milter\\[$MPID\\]: "
if [ -n "$MPID" ] && [ -n "$_line" ] &&
    LC_ALL=C grep -Eq "$(printf "$_hdr" 22)starting: " "$_start" &&
    LC_ALL=C grep -Eq "$(printf "$_hdr" 21)NOQUEUE: action=reject rule=\"all\" stage=mail " "$_line" &&
    [ "$(tail -c 9 "$_line")" = ' format=1' ]; then
	ok "one datagram a line, as syslog(3) writes it: <mail.info>, <mail.notice>, local time, ident[pid of the daemon], no newline"
else
	not_ok "one datagram a line, as syslog(3) writes it"
	cat "$TMP/m1"/* | diag
fi
# the time is now's, local
_stamp=$(sed -n 's/^<[0-9]*>\(.\{15\}\) .*/\1/p' "$_line")
_then=$(date -d "$_stamp" +%s 2>/dev/null || echo 0)
_now=$(date +%s)
check "the timestamp is the local time ($_stamp)" \
    [ $((_now - _then)) -le 5 -a $((_then - _now)) -le 5 ]

# --- syslogd restarts: the next line goes to its new socket
stop "$CPID"
syslogd "$TMP/m2"
session
waitfor "$TMP/m2" 1
sleep 0.2
if [ "$(nmsgs "$TMP/m2")" -eq 1 ] &&
    grep -q 'action=reject rule="all"' "$TMP/m2"/*; then
	ok "syslogd restarted: the next line reaches its new socket, none lost"
else
	not_ok "syslogd restarted: the next line reaches its new socket"
	cat "$TMP/m2"/* 2>/dev/null | diag
fi

# --- no syslogd: the lines are counted, and reported once it is back
stop "$CPID"
session
session
syslogd "$TMP/m3"
sleep 1.1	# a new socket is tried at most once a second
session
waitfor "$TMP/m3" 2
sleep 0.2
if [ "$(nmsgs "$TMP/m3")" -eq 2 ] &&
    grep -q 'action=reject rule="all"' "$TMP/m3/000001" &&
    grep -q ': 2 log lines lost: syslog was not taking them$' \
    "$TMP/m3/000002"; then
	ok "no syslogd for two lines: the next line after it is back, then \"2 log lines lost\""
else
	not_ok "no syslogd for two lines: counted and reported"
	cat "$TMP/m3"/* 2>/dev/null | diag
fi

# --- syslogd stops reading: the first line it cannot take waits a second,
# then lines are counted, not waited for
stop "$CPID"
syslogd "$TMP/m4" 3
session			# reconnect: takes up to a second after the restart
waitfor "$TMP/m4" 1
sleep 1.1
kill -STOP "$CPID"
_t0=$(date +%s%N)
"$LOAD" -q -c 1 -n 12 -t 5 "unix:$SOCK" >"$TMP/load.out" 2>&1
_lrc=$?
_t1=$(date +%s%N)
_ms=$(((_t1 - _t0) / 1000000))
check "12 sessions while syslogd reads nothing: done in ${_ms} ms (one line waits a second, no other)" \
    [ $_lrc -eq 0 -a $_ms -lt 1900 ]
sleep 1
kill -CONT "$CPID"
sleep 0.3
session
waitfor "$TMP/m4" 6
sleep 0.3
_lost=$(cat "$TMP/m4"/* | grep -o ': [0-9]* log lines lost: ' |
    awk '{ n += $2 } END { print n + 0 }')
_got=$(grep -l ' action=' "$TMP/m4"/* | wc -l)
check "its queue held some lines ($_got decisions logged), the rest were counted ($_lost lost): 14 in all" \
    [ -n "$_lost" -a $((_got + ${_lost:-0})) -eq 14 ]
check "the last line was logged, then the count" \
    grep -q ' lost: syslog was not taking them$' \
    "$(find "$TMP/m4" -type f | sort | tail -n 1)"
stop "$MPID"
MPID=

# --- -f: a copy on stderr, but no write at all when stderr is /dev/null
# traced TRACE STDERR: one session through the daemon under strace (its
# writes), stderr to STDERR.  (--enable-sanitizers: LeakSanitizer cannot
# work under ptrace; these are the last daemons started here.)
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
export ASAN_OPTIONS
traced() {
	rm -f "$TMP/pid"
	start_daemon strace -f -qq -e trace=write,writev -o "$1" "$MILTER" \
	    -f -c "$TMP/policy.conf" -p "unix:$SOCK" -P "$TMP/pid" 2>"$2"
	_tracer=$MPID
	wait_file "$TMP/pid"	# written after the socket appears
	MPID=$(cat "$TMP/pid" 2>/dev/null)
	session
	[ -n "$MPID" ] && stop "$MPID"
	MPID=
	_i=0	# strace ends with its tracee; if not in 10 s, never hang here
	while alive "$_tracer" && [ $_i -lt 200 ]; do sleep 0.05; _i=$((_i + 1)); done
	stop "$_tracer"
}
traced "$TMP/trace1" "$TMP/stderr"
check "-f: each line also on stderr, with ident[pid] and a newline" \
    grep -Eq '^tls-policy-milter\[[0-9]+\]: NOQUEUE: action=reject rule="all" ' \
    "$TMP/stderr"
traced "$TMP/trace2" /dev/null
if grep -Eq '^[0-9]+ +writev?\(2,' "$TMP/trace1" &&
    ! grep -Eq '^[0-9]+ +writev?\(2,' "$TMP/trace2"; then
	ok "-f with stderr on /dev/null: no write to it (the systemd unit's way)"
else
	not_ok "-f with stderr on /dev/null: no write to it"
	grep -E '\((1|2),' "$TMP/trace2" | diag
fi

[ $FAILED -eq 0 ]
