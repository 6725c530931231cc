#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# daemon.t - the daemon as a daemon: its unix socket (mode, group, a stale
# one removed, a live one or an unsafe directory refused, removed at stop),
# the pidfile, the switch from root to another user, the refusal to stay
# root, the signals (HUP reloads and never stops it, USR1 logs statistics,
# TERM and INT stop it within a second), the background mode.
# Prints TAP; run by "make check" (top_srcdir and top_builddir are set).
# Every daemon started here is stopped by PID; the directory is removed.

set -u
: "${top_srcdir:=.}" "${top_builddir:=.}"
bin="$top_builddir/tls-policy-milter"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/daemon.XXXXXX") || exit 99
PIDS=
cleanup() {
	for _p in $PIDS; do kill -KILL "$_p" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

. "$top_srcdir/t/lib/tap.sh"	# ok, not_ok, skip, diag
check() {	# check DESCRIPTION DETAIL CMD...: ok when CMD succeeds
	_d=$1 _x=$2; shift 2
	if "$@"; then ok "$_d"; else not_ok "$_d" "$_x"; fi
}
now_ms() { echo $(($(date +%s%N) / 1000000)); }
. "$top_srcdir/t/lib/proc.sh"	# alive, thread_stacks
# wait_for SECONDS CMD...: until CMD succeeds; false on timeout.
wait_for() {
	_end=$(($(now_ms) + $1 * 1000)); shift
	until "$@"; do
		[ "$(now_ms)" -lt "$_end" ] || return 1
		sleep 0.02
	done
}
# start NAME ARGS...: the daemon in the foreground, log in $tmp/NAME.log;
# sets PID.
start() {
	_name=$1; shift
	"$bin" -f "$@" >"$tmp/$_name.log" 2>&1 &
	PID=$!
	PIDS="$PIDS $PID"
}
logged() { grep -q -- "$2" "$tmp/$1.log"; }
# stop_ms SIGNAL PID: send it, wait (5 s at most); prints the milliseconds.
stop_ms() {
	_t0=$(now_ms)
	kill "-$1" "$2"
	wait_for 5 eval "! alive $2"
	wait "$2" 2>/dev/null
	echo $(($(now_ms) - _t0))
}
policy() {	# policy FILE [TOP-LEVEL LINES...]
	_f=$1; shift
	printf '%s\n' "$@" 'rule "all" { require = "encrypt" }' >"$_f"
}

echo "1..40"
chmod 755 "$tmp"
policy "$tmp/root.conf" "allow_root = true"
policy "$tmp/plain.conf"

# ---------------------------------------------------------------- socket
mkdir "$tmp/run" && chmod 750 "$tmp/run"
SOCK=$tmp/run/milter.sock
start sock -c "$tmp/root.conf" -p "unix:$SOCK"
check "the daemon opens its unix socket" "$(cat "$tmp/sock.log")" wait_for 5 test -S "$SOCK"
check "socket mode 0660 by default" "$(ls -l "$SOCK")" test "$(stat -c %a "$SOCK")" = 660
logged sock "starting: policy $tmp/root.conf with 1 rules, mode enforce," &&
	ok "start-up logged" ||
	not_ok "start-up logged" "$(cat "$tmp/sock.log")"
FIRST=$PID
start second -c "$tmp/root.conf" -p "unix:$SOCK"
wait_for 5 eval "! alive $PID"; wait "$PID"; rc=$?
check "a second daemon on a live socket is refused (69)" "rc=$rc $(cat "$tmp/second.log")" \
	eval "[ $rc -eq 69 ] && logged second 'a running process answers on it'"
check "the first daemon's socket is still there" "" test -S "$SOCK"

ms=$(stop_ms TERM "$FIRST")
check "SIGTERM stops it within a second (took $ms ms)" "$(cat "$tmp/sock.log")" test "$ms" -lt 1000
check "the socket is removed at stop" "$(ls -l "$tmp/run")" test ! -e "$SOCK"
logged sock "stopped on SIGTERM" && ok "stop logged" || not_ok "stop logged" "$(cat "$tmp/sock.log")"
logged sock "stats: decisions accept=0" && ok "statistics written at stop" ||
	not_ok "statistics written at stop" "$(cat "$tmp/sock.log")"

# A policy with many warnings (here 24 rules another always decides
# first): the start logs 20 of them and how many more; -n lists all.
{ echo 'allow_root = true'
  for _i in $(seq 1 25); do
	echo "rule \"r$_i\" { sender = {\"a@x.example\"} require = \"encrypt\" }"
  done; } >"$tmp/warn.conf"
start warn -c "$tmp/warn.conf" -p "unix:$SOCK"
wait_for 5 logged warn "starting: policy"; stop_ms TERM "$PID" >/dev/null
check "a start logs 20 warnings, then how many more (24 in all)" "$(cat "$tmp/warn.log")" \
	eval "[ \$(grep -c 'can never apply' '$tmp/warn.log') -eq 20 ] &&
	logged warn 'and 4 more warnings (tls-policy-milter -n -c FILE lists every one)' &&
	[ \$('$bin' -n -c '$tmp/warn.conf' 2>&1 | grep -c 'can never apply') -eq 24 ]"

# A stale socket (its daemon killed) is removed; a plain file is not.
start stale -c "$tmp/root.conf" -p "unix:$SOCK"
wait_for 5 test -S "$SOCK"; kill -KILL "$PID"; wait "$PID" 2>/dev/null
check "SIGKILL leaves the socket behind" "" test -S "$SOCK"
start stale2 -c "$tmp/root.conf" -p "unix:$SOCK"
check "a stale socket is removed and the daemon starts" "$(cat "$tmp/stale2.log" 2>/dev/null)" \
	wait_for 5 logged stale2 "removed the stale socket $SOCK"
ms=$(stop_ms INT "$PID")
check "SIGINT stops it within a second (took $ms ms)" "" test "$ms" -lt 1000
logged stale2 "stopped on SIGINT" && ok "SIGINT logged" || not_ok "SIGINT logged" "$(cat "$tmp/stale2.log")"
: >"$SOCK.file"
"$bin" -f -c "$tmp/root.conf" -p "unix:$SOCK.file" >"$tmp/file.log" 2>&1; rc=$?
check "a file that is not a socket is refused and kept" "rc=$rc $(cat "$tmp/file.log")" \
	eval "[ $rc -eq 69 ] && [ -f '$SOCK.file' ] && logged file 'exists and is not a socket'"
mkdir "$tmp/open" && chmod 1777 "$tmp/open"
"$bin" -f -c "$tmp/root.conf" -p "unix:$tmp/open/s" >"$tmp/open.log" 2>&1; rc=$?
check "a socket directory writable by others is refused" "rc=$rc $(cat "$tmp/open.log")" \
	eval "[ $rc -eq 69 ] && logged open 'is writable by others (sticky)' && [ ! -e '$tmp/open/s' ]"

# ---------------------------------------------------------------- root
"$bin" -f -c "$tmp/plain.conf" -p "unix:$SOCK" >"$tmp/root.log" 2>&1; rc=$?
if [ "$(id -u)" -eq 0 ]; then
	check "as root without user or allow_root it refuses to start (78)" \
		"rc=$rc $(cat "$tmp/root.log")" eval "[ $rc -eq 78 ] && logged root 'refusing to run as root' && [ ! -e '$SOCK' ]"
else
	skip "as root without user or allow_root it refuses to start (78)" "not root"
fi
"$bin" -f -c "$tmp/root.conf" -u no-such-user-here -p "unix:$SOCK" >"$tmp/nouser.log" 2>&1; rc=$?
check "an unknown user is refused (67)" "rc=$rc $(cat "$tmp/nouser.log")" \
	eval "[ $rc -eq 67 ] && logged nouser 'unknown user \"no-such-user-here\"'"

if [ "$(id -u)" -eq 0 ] && id nobody >/dev/null 2>&1 && getent group nogroup >/dev/null; then
	chown nobody "$tmp/run"
	policy "$tmp/drop.conf" 'user = "nobody"' 'socket_group = "nogroup"' 'socket_mode = 0640' \
		"pidfile = \"$tmp/run/milter.pid\""
	chmod 644 "$tmp/drop.conf"
	start drop -c "$tmp/drop.conf" -p "unix:$SOCK"
	wait_for 5 test -S "$SOCK"
	uid=$(id -u nobody) gid=$(id -g nobody)
	check "it runs as nobody: uid, gid, no other group" "$(grep -E '^(Uid|Gid|Groups)' /proc/$PID/status)" \
		eval "grep -Eq '^Uid:[[:space:]]+$uid[[:space:]]+$uid[[:space:]]+$uid[[:space:]]+$uid\$' /proc/$PID/status &&
		grep -Eq '^Gid:[[:space:]]+$gid[[:space:]]+$gid[[:space:]]+$gid[[:space:]]+$gid\$' /proc/$PID/status &&
		grep -Eq '^Groups:[[:space:]]*($gid)?[[:space:]]*\$' /proc/$PID/status"
	check "it keeps no capability" "$(grep ^Cap /proc/$PID/status)" \
		grep -Eq '^CapEff:[[:space:]]+0+$' "/proc/$PID/status"
	check "socket_mode 0640, owner nobody, socket_group nogroup" "$(ls -l "$SOCK")" \
		test "$(stat -c '%a %U %G' "$SOCK")" = "640 nobody nogroup"
	check "the pidfile names the daemon" "$(cat "$tmp/run/milter.pid" 2>&1)" \
		test "$(cat "$tmp/run/milter.pid" 2>/dev/null)" = "$PID"
	kill -HUP "$PID"
	check "as nobody it still reloads the policy" "$(cat "$tmp/drop.log")" \
		wait_for 5 logged drop "reloaded: policy $tmp/drop.conf"
	ms=$(stop_ms TERM "$PID")
	check "as nobody it stops within a second (took $ms ms)" "" test "$ms" -lt 1000
	check "as nobody it removes its socket and pidfile" "$(ls -l "$tmp/run"; cat "$tmp/drop.log")" \
		eval "[ ! -e '$SOCK' ] && [ ! -e '$tmp/run/milter.pid' ]"
else
	for _t in "runs as nobody" "no capability" "socket_mode and socket_group" \
		"pidfile" "reload as nobody" "stop as nobody" "cleanup as nobody"; do
		skip "$_t" "needs root and user nobody"
	done
fi

# ---------------------------------------------------------------- signals
start sig -c "$tmp/root.conf" -p "unix:$SOCK"
wait_for 5 test -S "$SOCK"
i=0
while [ $i -lt 20 ]; do kill -HUP "$PID"; sleep 0.01; i=$((i + 1)); done
sleep 0.3
check "20 SIGHUPs reload and never stop the daemon" "$(cat "$tmp/sig.log")" \
	eval "alive $PID && logged sig 'reloaded: policy' && ! logged sig stopped"
check "libmilter's own signal thread does not act on them" "$(cat "$tmp/sig.log")" \
	eval "! logged sig 'terminating\|was not parked'"
kill -USR1 "$PID"
check "SIGUSR1 logs the statistics" "$(cat "$tmp/sig.log")" \
	wait_for 5 logged sig "stats: tls none=0 unknown=0"
kill -USR2 "$PID"; sleep 0.1
check "SIGUSR2 (used inside) does nothing" "" alive "$PID"
policy "$tmp/root.conf" "allow_root = true" 'mode = "sometimes"'
kill -HUP "$PID"
check "a broken policy on SIGHUP: one line with FILE:LINE, the old one stays" "$(cat "$tmp/sig.log")" \
	wait_for 5 logged sig "reload failed, the policy in force stays: $tmp/root.conf:2: mode: \"sometimes\" is not one of enforce, monitor$"
ms=$(stop_ms TERM "$PID")
check "and it still stops within a second (took $ms ms)" "" test "$ms" -lt 1000

# ---------------------------------------------------------------- statistics
# Four sessions with known TLS facts, then SIGUSR1: exact counts.
printf '%s\n' 'allow_root = true' \
	'rule "strong" { client_addr = {"192.0.2.1"} require = "encrypt" min_protocol = "TLSv1.3" }' \
	'rule "any" { require = "none" }' >"$tmp/stats.conf"
start stats -c "$tmp/stats.conf" -p "unix:$SOCK"
wait_for 5 test -S "$SOCK"
# mta ADDR MACROS EXPECT: one session, MAIL with the TLS macros given.
mta() {
	printf '%s\n' optneg "macro C {client_addr} $1" "connect mx 4 $1 25" \
	    'expect noreply' "macro H $2" 'helo mx' 'expect noreply' \
	    "macro M {mail_addr} a@example.net $2" 'mail <a@example.net>' \
	    "match $3" quit | "$top_builddir/t/mtaclient" "unix:$SOCK" >>"$tmp/mta.out" 2>&1
}
mta 192.0.2.1 "" "reply 554 *" &&
	mta 192.0.2.1 "{tls_version} TLSv1.2 {cipher} AES128-GCM-SHA256 {cipher_bits} 128" "reply 554 *" &&
	mta 192.0.2.1 "{tls_version} TLSv1.3 {cipher} TLS_AES_256_GCM_SHA384 {cipher_bits} 256 {cert_subject} mx.example {cert_issuer} CA" accept &&
	mta 192.0.2.9 "" accept
rc=$?
kill -USR1 "$PID"
wait_for 5 logged stats "stats: rules=2"
want='connections=4 transactions=4 reloads=0 reload_failures=0
stats: decisions accept=2 reject=2 tempfail=0 monitor=0 internal_error=0
stats: tls none=2 unknown=0 SSLv3=0 TLSv1=0 TLSv1.1=0 TLSv1.2=1 TLSv1.3=1 other=0
stats: cipher_bits none=0 below_112=0 112_127=0 128_255=1 256_up=1
stats: cert none=0 unverified=1 verified=1
stats: rule="strong" hits=3 refused=2 monitored=0
stats: rule="any" hits=1 refused=0 monitored=0
stats: rules=2 used=2 since='
got=$(sed -n 's/^tls-policy-milter\[[0-9]*\]: //p' "$tmp/stats.log" | grep '^stats:' |
	sed 's/^stats: since=[0-9]* uptime=[0-9]* //; s/since=[0-9]*.*/since=/')
[ $rc -eq 0 ] && [ "$got" = "$want" ] && ok "SIGUSR1: exact counts after four known sessions" ||
	not_ok "SIGUSR1: exact counts after four known sessions" "mtaclient: $rc $(cat "$tmp/mta.out")
got:
$got"
kill -HUP "$PID"
check "a reload with the same rules keeps the rule counters" "$(cat "$tmp/stats.log")" \
	wait_for 5 logged stats "generation 2; rule statistics kept (same rules)"
sed -i 's/"any"/"other"/' "$tmp/stats.conf"
kill -HUP "$PID"
check "a reload that changes the rule list says the counters restart" "$(cat "$tmp/stats.log")" \
	wait_for 5 logged stats "generation 3; rule statistics restart (the rule list changed)"
: >"$tmp/stats.log.mark"
kill -USR1 "$PID"
check "after it, no rule has counts; the totals go on" "$(cat "$tmp/stats.log")" \
	wait_for 5 eval "[ \$(grep -c 'stats: rules=2 used=0' '$tmp/stats.log') -eq 1 ] &&
		[ \$(grep -c 'connections=4 transactions=4 reloads=2' '$tmp/stats.log') -eq 1 ]"
ms=$(stop_ms TERM "$PID")
check "the statistics are logged again at stop" "$(cat "$tmp/stats.log")" \
	eval "[ \$(grep -c 'connections=4 transactions=4 reloads=2' '$tmp/stats.log') -eq 2 ]"

# ---------------------------------------------------------------- threads
# Every thread but the first has a stack of 256 KiB (milter/threads.c says
# why; 2 MiB in a sanitizer build), libmilter's workers among them, not
# glibc's 8 MiB.
# Ended threads' stacks stay mapped in glibc's cache (thread_stacks(),
# t/lib/proc.sh), so there may be more stacks than threads.
kib=256
ldd "$bin" 2>/dev/null | grep -Eq 'lib(a|t)san' && kib=2048
LOAD=$top_builddir/bench/milter-load
if [ -x "$LOAD" ]; then
	policy "$tmp/stack.conf" "allow_root = true"
	start stack -c "$tmp/stack.conf" -p "unix:$SOCK"
	wait_for 5 test -S "$SOCK"
	"$LOAD" -q -c 8 -n 8 -H 2 "unix:$SOCK" >/dev/null 2>&1 &
	lpid=$!
	sleep 1		# the sessions held open, libmilter's workers started
	thread_stacks "$PID" | cut -d' ' -f1 >"$tmp/stacks"
	threads=$(($(ls "/proc/$PID/task" | wc -l) - 1))
	# glibc keeps ended threads' stacks mapped for reuse: more of them
	check "its $threads threads have stacks of $kib KiB, none of 8 MiB" \
		"$(sort "$tmp/stacks" | uniq -c) $(cat "$tmp/stack.log")" \
		eval "[ $threads -ge 3 ] &&
		[ \$(grep -cx $kib '$tmp/stacks') -ge $threads ] &&
		! grep -qx 8192 '$tmp/stacks'"
	wait "$lpid"
	stop_ms TERM "$PID" >/dev/null
else
	skip "its threads have stacks of $kib KiB" "bench/milter-load is not built"
fi

# ---------------------------------------------------------------- background
policy "$tmp/bg.conf" "allow_root = true"
"$bin" -c "$tmp/bg.conf" -p "unix:$SOCK" -P "$tmp/run/bg.pid" >"$tmp/bg.log" 2>&1; rc=$?
check "without -f it goes into the background (status 0)" "rc=$rc $(cat "$tmp/bg.log")" \
	eval "[ $rc -eq 0 ] && wait_for 5 test -s '$tmp/run/bg.pid' -a -S '$SOCK'"
bgpid=$(cat "$tmp/run/bg.pid" 2>/dev/null)
PIDS="$PIDS $bgpid"
check "the background daemon runs with the pid in its pidfile" "" eval "[ -n '$bgpid' ] && alive '$bgpid'"
kill -TERM "$bgpid" 2>/dev/null
check "it stops on SIGTERM and removes its socket and pidfile" "$(ls -l "$tmp/run")" \
	wait_for 2 eval "! alive '$bgpid' && [ ! -e '$SOCK' ] && [ ! -e '$tmp/run/bg.pid' ]"
