#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# systemd.t - the systemd files: the unit passes systemd-analyze verify
# (with the built daemon and man pages standing in for the installed
# ones) and systemd-analyze security rates it at 2.0 or better (the figure
# is printed); the sysusers.d file creates the user and the tmpfiles.d file
# the socket directory in a scratch root; the sample policy's socket is in
# the unit's RuntimeDirectory; and, traced with strace, the daemon makes
# no system call the unit's SystemCallFilter would refuse while it serves
# a connection, reloads, reports and stops.  Needs systemd-analyze
# (Debian: systemd), not a running systemd.  Prints TAP; run by "make
# check".

set -u
: "${top_srcdir:=.}" "${top_builddir:=.}"
unit=$top_builddir/systemd/tls-policy-milter.service
tmp=$(mktemp -d "${TMPDIR:-/tmp}/systemd.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM
abs() { (cd "$(dirname "$1")" && printf '%s/%s\n' "$(pwd)" "$(basename "$1")"); }
. "$top_srcdir/t/lib/proc.sh"	# stop

. "$top_srcdir/t/lib/tap.sh"	# ok, not_ok, skip, diag

echo "1..7"
if ! command -v systemd-analyze >/dev/null 2>&1; then
	echo "Bail out! systemd-analyze is missing (Debian: apt-get install systemd)"
	exit 1
fi
[ -f "$unit" ] || { echo "Bail out! $unit is not built"; exit 1; }

# verify: the installed paths replaced by the built daemon and the sample.
mkdir -p "$tmp/man/man5" "$tmp/man/man8" "$tmp/unit"
ln -s "$(abs "$top_srcdir/man/tls-policy-milter.8")" "$tmp/man/man8/"
ln -s "$(abs "$top_srcdir/man/tls-policy-milter.conf.5")" "$tmp/man/man5/"
sed -e "s|^ExecStart=[^ ]*|ExecStart=$(abs "$top_builddir/tls-policy-milter")|" \
    -e "s|-c [^ ]*\$|-c $(abs "$top_srcdir/etc/tls-policy-milter.conf")|" \
    "$unit" >"$tmp/unit/tls-policy-milter.service"
out=$(cd "$tmp/unit" && MANPATH=$tmp/man systemd-analyze verify \
    ./tls-policy-milter.service 2>&1)
rc=$?
[ $rc -eq 0 ] && [ -z "$out" ] && ok "systemd-analyze verify: no complaint" ||
	not_ok "systemd-analyze verify: no complaint" "status $rc: $out"

# security: the unit as installed.
out=$(systemd-analyze security --offline=true "$unit" 2>&1)
level=$(printf '%s\n' "$out" | sed -n 's/.*Overall exposure level for tls-policy-milter.service: \([0-9.]*\).*/\1/p')
echo "# systemd-analyze security --offline=true: exposure $level"
printf '%s\n' "$out" | grep -a '✗' | sed 's/  */ /g; s/^/#   /'
if [ -n "$level" ] && awk -v l="$level" 'BEGIN { exit !(l <= 2.0) }'; then
	ok "systemd-analyze security: exposure $level, at most 2.0"
else
	not_ok "systemd-analyze security: exposure at most 2.0" "$out"
fi
grep -q '^ExecReload=/bin/kill -HUP \$MAINPID$' "$unit" && grep -q '^User=tls-policy-milter$' "$unit" &&
	grep -q '^ExecStart=.* -f ' "$unit" &&
	ok "the unit runs it in the foreground as tls-policy-milter and reloads with SIGHUP" ||
	not_ok "the unit runs it in the foreground as tls-policy-milter and reloads with SIGHUP" "$(cat "$unit")"

# sysusers.d and tmpfiles.d, in a scratch root.
mkdir -p "$tmp/root/etc"
out=$(systemd-sysusers --root="$tmp/root" "$(abs "$top_srcdir/systemd/sysusers.d/tls-policy-milter.conf")" 2>&1)
grep -q '^tls-policy-milter:x:[0-9]*:[0-9]*:[^:]*:/:/usr/sbin/nologin$' "$tmp/root/etc/passwd" &&
	grep -q '^tls-policy-milter:x:' "$tmp/root/etc/group" &&
	ok "sysusers.d: user and group tls-policy-milter, no login" ||
	not_ok "sysusers.d: user and group tls-policy-milter, no login" "$out"
out=$(systemd-tmpfiles --root="$tmp/root" --create "$(abs "$top_srcdir/systemd/tmpfiles.d/tls-policy-milter.conf")" 2>&1)
uid=$(sed -n 's/^tls-policy-milter:x:\([0-9]*\):.*/\1/p' "$tmp/root/etc/passwd")
[ "$(stat -c '%a %u' "$tmp/root/run/tls-policy-milter" 2>/dev/null)" = "750 $uid" ] &&
	ok "tmpfiles.d: /run/tls-policy-milter, 0750, owned by the user" ||
	not_ok "tmpfiles.d: /run/tls-policy-milter, 0750, owned by the user" "$out"
rundir=$(sed -n 's/^RuntimeDirectory=//p' "$unit")
grep -q "^socket = \"unix:/run/$rundir/" "$top_srcdir/etc/tls-policy-milter.conf" &&
	ok "the sample policy's socket is in the unit's RuntimeDirectory ($rundir)" ||
	not_ok "the sample policy's socket is in the unit's RuntimeDirectory" "$rundir"

# ---------------------------------------------------------------- seccomp
# expand SET: the system calls of a systemd set, nested sets expanded.
expand() {
	systemd-analyze syscall-filter "$1" | sed '1d; /^ *#/d' | tr -s ' ' '\n' |
		grep -v '^$' | while read -r _s; do
			case $_s in @*) expand "$_s" ;; *) echo "$_s" ;; esac
		done
}
if [ "$(id -u)" -ne 0 ] || ! command -v strace >/dev/null 2>&1 ||
	! command -v setpriv >/dev/null 2>&1 || ! id nobody >/dev/null 2>&1; then
	echo "ok 7 - the daemon stays within SystemCallFilter # SKIP needs root, strace, setpriv"
	exit 0
fi
: >"$tmp/allow"
: >"$tmp/deny"
sed -n 's/^SystemCallFilter=//p' "$unit" | while read -r _line; do
	case $_line in
	"~"*) for _set in ${_line#"~"}; do expand "$_set"; done >>"$tmp/deny" ;;
	*) for _set in $_line; do expand "$_set"; done >>"$tmp/allow" ;;
	esac
done
sort -u "$tmp/allow" >"$tmp/allow.s"
sort -u "$tmp/deny" >"$tmp/deny.s"
comm -23 "$tmp/allow.s" "$tmp/deny.s" >"$tmp/filter"
# Run as the unit would (already its user, foreground), traced.  (In a
# --enable-sanitizers build: LeakSanitizer cannot work under ptrace.)
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
export ASAN_OPTIONS
mkdir "$tmp/run" && chown nobody "$tmp/run" && chmod 755 "$tmp"
printf '%s\n' 'rule "all" { require = "encrypt" }' >"$tmp/run/p.conf"
chmod 644 "$tmp/run/p.conf"
# With unshare, in a mount namespace whose /dev/log is t/syslogcap, so that
# the calls of the daemon's syslog client are traced too.
cat >"$tmp/traced.sh" <<EOF
exec strace -f -qq -o "$tmp/trace" setpriv --reuid=nobody --regid=nogroup \\
    --clear-groups "$(abs "$top_builddir/tls-policy-milter")" -f \\
    -c "$tmp/run/p.conf" -p "unix:$tmp/run/s.sock"
EOF
logcap=
if command -v unshare >/dev/null 2>&1 && [ -x "$top_builddir/t/syslogcap" ]; then
	mkdir "$tmp/msgs"
	"$top_builddir/t/syslogcap" "$tmp/log.sock" "$tmp/msgs" &
	logcap=$!
	i=0
	while [ ! -S "$tmp/log.sock" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
	unshare -m sh "$top_srcdir/t/lib/devlog.sh" "$tmp/log.sock" \
	    sh "$tmp/traced.sh" >"$tmp/run/log" 2>&1 &
else
	sh "$tmp/traced.sh" >"$tmp/run/log" 2>&1 &
fi
tracer=$!
# Its socket appears before its "starting" line (which names its pid):
# wait for both, 10 s at most.
started() {
	[ -S "$tmp/run/s.sock" ] &&
	    grep -q '^tls-policy-milter\[[0-9]*\]: starting' "$tmp/run/log"
}
i=0
while ! started && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
pid=$(sed -n 's/^tls-policy-milter\[\([0-9]*\)\]: starting.*/\1/p' "$tmp/run/log")
[ -n "$pid" ] ||	# not started in time: it still must not outlive us
	pid=$(sed -n 's/^\([0-9]*\) *execve("[^"]*\/tls-policy-milter".*/\1/p' \
	    "$tmp/trace" | head -n 1)
printf '%s\n' optneg 'macro C {client_addr} 192.0.2.1' 'connect mx 4 192.0.2.1 25' \
    'expect noreply' 'macro H' 'helo mx' 'expect noreply' \
    'macro M {mail_addr} a@example.net' 'mail <a@example.net>' 'match reply 554 *' quit |
	"$top_builddir/t/mtaclient" "unix:$tmp/run/s.sock" >"$tmp/mta.out" 2>&1
mrc=$?
if [ -n "$pid" ]; then
	kill -HUP "$pid"; sleep 0.3
	kill -USR1 "$pid"; sleep 0.2
	stop "$pid"	# SIGTERM; SIGKILL after 10 s: never hang here
else
	kill -TERM "$tracer"	# strace, which detaches and ends
fi
wait "$tracer"
[ -n "$logcap" ] && kill -TERM "$logcap" && wait "$logcap"
# The daemon's calls: those after it was executed.
awk '/execve\("[^"]*\/tls-policy-milter"/ { on = 1 } on' "$tmp/trace" |
	sed -n 's/^[0-9]* *\([a-z_0-9]*\)(.*/\1/p' | sort -u >"$tmp/used"
outside=$(comm -23 "$tmp/used" "$tmp/filter" | tr '\n' ' ')
syslog="no /dev/log"
if [ -n "$logcap" ]; then
	syslog="$(find "$tmp/msgs" -type f | wc -l) lines to a /dev/log"
	grep -qx sendmsg "$tmp/used" || outside="$outside(no sendmsg: syslog not traced)"
fi
if [ $mrc -eq 0 ] && [ -n "$pid" ] && grep -q 'reloaded:' "$tmp/run/log" &&
	grep -q 'stopped on SIGTERM' "$tmp/run/log" && [ -s "$tmp/used" ] && [ -z "$outside" ]; then
	ok "the daemon stays within SystemCallFilter ($(wc -l <"$tmp/used") calls used, $(wc -l <"$tmp/filter") allowed; $syslog)"
else
	not_ok "the daemon stays within SystemCallFilter" "outside: $outside; mtaclient $mrc; $(cat "$tmp/run/log" "$tmp/mta.out")"
fi
