#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# t/badconf.t - one corpus of broken policy files, checked three ways.
#
# The corpus is t/conf_test.c's table of broken files (written out by
# t/conf_corpus, each with the exact problems it must give), plus what a
# table row cannot be: a directory, a missing file, a dangling symlink, a
# file larger than the limit (sparse), and a file the daemon's user cannot
# read.  For every file:
#   -n        exits 78 and prints exactly its problems, FILE:LINE each;
#   start     the daemon refuses to start (78) and opens no socket;
#   reload    a running daemon keeps its policy: it logs one line with the
#             first problem (FILE:LINE), and a session then still gets the
#             old policy's verdict.
# Prints TAP: one point per file and way.

set -u

: "${top_srcdir:?top_srcdir must be set}"
: "${top_builddir:?top_builddir must be set}"
MILTER=$top_builddir/tls-policy-milter
CLIENT=$top_builddir/t/mtaclient
CORPUS_BIN=$top_builddir/t/conf_corpus

TMP=
MPID=
. "$top_srcdir/t/lib/tap.sh"
. "$top_srcdir/t/lib/proc.sh"
cleanup() {
	[ -n "$MPID" ] && stop "$MPID"
	[ -n "$TMP" ] && rm -rf "$TMP"
}
for _f in "$MILTER" "$CLIENT" "$CORPUS_BIN"; do
	[ -x "$_f" ] || { echo "Bail out! $_f is not built"; exit 1; }
done
tap_tmpdir badconf
chmod 755 "$TMP"

# As root the daemon runs as nobody, as in production (and a file only
# root may read is one it cannot reload); otherwise as the caller.
RUNAS=
[ "$(id -u)" -eq 0 ] && id nobody >/dev/null 2>&1 && RUNAS=nobody

# ------------------------------------------------------------ the corpus

C=$TMP/corpus
mkdir "$C"
"$CORPUS_BIN" "$C" || { echo "Bail out! t/conf_corpus failed"; exit 1; }
# What a table row cannot be.
mkdir "$C/dir.conf"
printf 'P: not a regular file\n' >"$C/dir.want"
printf 'a directory' >"$C/dir.label"
ln -s "$TMP/nowhere.conf" "$C/dangling.conf"
printf 'P: cannot open: No such file or directory\n' >"$C/dangling.want"
printf 'a dangling symlink' >"$C/dangling.label"
truncate -s $((256 * 1024 * 1024 + 1)) "$C/huge.conf"
printf 'P: file is larger than 268435456 bytes\n' >"$C/huge.want"
printf 'a file of 256 MiB + 1 byte' >"$C/huge.label"
printf 'rule "a" {\n    require = "none"\n}\n' >"$C/groupw.conf"
printf 'P: may be written by its group, not only by its owner, who could lift the policy (chmod go-w it)\n' >"$C/groupw.want"
printf 'a file its group may write' >"$C/groupw.label"
printf 'rule "a" {\n    require = "none"\n}\n' >"$C/worldw.conf"
printf 'P: may be written by anyone, not only by its owner, who could lift the policy (chmod go-w it)\n' >"$C/worldw.want"
printf 'a file anyone may write' >"$C/worldw.label"
if [ -n "$RUNAS" ]; then
	printf 'rule "a" {\n    require = "none"\n}\n' >"$C/secret.conf"
	chmod 600 "$C/secret.conf"
	printf 'P: cannot open: Permission denied\n' >"$C/secret.want"
	printf 'a file only root may read (checked as %s)' "$RUNAS" >"$C/secret.label"
fi
for _f in "$C"/*.conf; do chmod go+r "$_f" 2>/dev/null; done
chmod 600 "$C/secret.conf" 2>/dev/null
chmod 664 "$C/groupw.conf"
chmod 666 "$C/worldw.conf"
chmod 755 "$C" "$C/dir.conf"
NFILES=$(ls "$C"/*.want | wc -l)
echo "# $NFILES broken files"

# check NAME: run the daemon (as $RUNAS for the unreadable file) on FILE.
as_user() {
	if [ -n "$RUNAS" ] && [ "$1" = secret ]; then
		shift
		setpriv --reuid="$RUNAS" --regid="$(id -g "$RUNAS")" --clear-groups "$@"
	else
		shift
		"$@"
	fi
}

# ----------------------------------------------------------------- -n
for _w in "$C"/*.want; do
	_b=$(basename "$_w" .want)
	_f=$C/$_b.conf
	_label=$(cat "$C/$_b.label")
	as_user "$_b" "$MILTER" -n -c "$_f" >"$TMP/out" 2>"$TMP/err"
	_rc=$?
	sed "s|^P|$_f|" "$_w" >"$TMP/want"
	if [ $_rc -eq 78 ] && [ ! -s "$TMP/out" ] && cmp -s "$TMP/err" "$TMP/want"; then
		ok "-n: $_label"
	else
		not_ok "-n: $_label"
		{ echo "exit $_rc; got:"; cat "$TMP/out" "$TMP/err"; echo "want:"; cat "$TMP/want"; } | diag
	fi
done

# ---------------------------------------------------------------- start
for _w in "$C"/*.want; do
	_b=$(basename "$_w" .want)
	_f=$C/$_b.conf
	_label=$(cat "$C/$_b.label")
	rm -f "$TMP/s.sock"
	if [ -n "$RUNAS" ] && [ "$_b" = secret ]; then
		# Started as the user who cannot read it.
		as_user "$_b" timeout 10 "$MILTER" -f -c "$_f" -p "unix:$TMP/s.sock" \
			>"$TMP/err" 2>&1
	else
		timeout 10 "$MILTER" -f -c "$_f" -p "unix:$TMP/s.sock" \
			${RUNAS:+-u $RUNAS} >"$TMP/err" 2>&1
	fi
	_rc=$?
	_first=$(sed -n "1s|^P|$_f|p" "$_w")
	if [ $_rc -eq 78 ] && [ ! -e "$TMP/s.sock" ] &&
		grep -qF -- "$_first" "$TMP/err"; then
		ok "start refused: $_label"
	else
		not_ok "start refused: $_label"
		{ echo "exit $_rc, want 78; want a line with: $_first"; cat "$TMP/err"; } | diag
	fi
done

# ------------------------------------------------ the file's directories
# A file in a directory others may write could be replaced: refused, also
# through a symlink from a safe place; the sticky bit (/tmp) makes it safe.
mkdir -m 0755 "$TMP/dirs"
mkdir -m 0777 "$TMP/dirs/open"
mkdir -m 1777 "$TMP/dirs/sticky"
chmod 0777 "$TMP/dirs/open"	# whatever the umask
chmod 1777 "$TMP/dirs/sticky"
for _d in open sticky; do
	printf '%s\n' 'rule "a" {' '    require = "none"' '}' >"$TMP/dirs/$_d/p.conf"
done
ln -s "$TMP/dirs/open/p.conf" "$TMP/dirs/link.conf"
_open="directory $TMP/dirs/open may be written by others, who could replace the file (chmod go-w $TMP/dirs/open)"
for _case in "open/p.conf:78:$_open" "link.conf:78:$_open" "sticky/p.conf:0:"; do
	_f=$TMP/dirs/${_case%%:*}
	_rest=${_case#*:}
	_want=${_rest%%:*}
	_msg=${_rest#*:}
	"$MILTER" -n -c "$_f" >"$TMP/out" 2>&1
	_rc=$?
	if [ $_rc -eq "$_want" ] && { [ -z "$_msg" ] && [ ! -s "$TMP/out" ] ||
	    [ "$(cat "$TMP/out")" = "$_f: $_msg" ]; }; then
		ok "-n: ${_case%%:*} in a directory of mode $(stat -L -c %a "$(dirname "$(readlink -f "$_f")")"): exit $_want"
	else
		not_ok "-n: ${_case%%:*}: exit $_rc, want $_want"
		{ echo "want: ${_msg:+$_f: $_msg}"; cat "$TMP/out"; } | diag
	fi
done

# ---------------------------------------------------------------- reload
# The daemon runs on a good policy at $POL; each broken file is put in its
# place (a copy, or for the special ones the thing itself), then SIGHUP.
POL=$TMP/policy.conf
GOOD='rule "all" {
    require    = "encrypt"
    reply_text = "the old policy is in force"
}'
printf '%s\n' "$GOOD" >"$POL"
chmod 644 "$POL"
SOCK=$TMP/m.sock
"$MILTER" -f -c "$POL" -p "unix:$SOCK" ${RUNAS:+-u $RUNAS} >"$TMP/mlog" 2>&1 &
MPID=$!
_i=0
while [ ! -S "$SOCK" ] && alive "$MPID" && [ $_i -lt 100 ]; do sleep 0.1; _i=$((_i + 1)); done
[ -S "$SOCK" ] || { echo "Bail out! the daemon did not start: $(cat "$TMP/mlog")"; exit 1; }

PROBE='optneg
macro C {client_addr} 192.0.2.7 {client_name} mx.example {client_resolve} OK
connect mx.example 4 192.0.2.7 40000
expect noreply
macro H
helo mx.example
expect noreply
macro M {mail_addr} a@example.net
mail <a@example.net>
expect reply 554 5.7.0 the old policy is in force
quit'

# place FILE: make $POL be FILE (what a reload will find at that name).
place() {
	rm -rf "$POL"
	case $(basename "$1") in
	dir.conf) mkdir "$POL" ;;
	dangling.conf) ln -s "$TMP/nowhere.conf" "$POL" ;;
	huge.conf) truncate -s $((256 * 1024 * 1024 + 1)) "$POL" ;;
	*) cp -p "$1" "$POL" ;;
	esac
}

# hup TEXT: SIGHUP the daemon and wait (up to 5 s) until it has logged
# one more line with TEXT; _n is how many it had logged before.
hup() {
	_n=$(grep -c "$1" "$TMP/mlog")
	kill -HUP "$MPID"
	_i=0
	while [ "$(grep -c "$1" "$TMP/mlog")" -le "$_n" ] && [ $_i -lt 100 ]; do
		sleep 0.05
		_i=$((_i + 1))
	done
}

for _w in "$C"/*.want; do
	_b=$(basename "$_w" .want)
	_label=$(cat "$C/$_b.label")
	place "$C/$_b.conf"
	hup 'reload failed'
	_first=$(sed -n "1s|^P|$POL|p" "$_w")
	_line=$(grep 'reload failed' "$TMP/mlog" | tail -n 1)
	printf '%s\n' "$PROBE" | "$CLIENT" -t 5 "unix:$SOCK" >"$TMP/out" 2>&1
	_prc=$?
	case $_line in
	*"reload failed, the policy in force stays: $_first"*) _lok=1 ;;
	*) _lok= ;;
	esac
	if [ -n "$_lok" ] && [ $_prc -eq 0 ] && alive "$MPID"; then
		ok "reload keeps the old policy: $_label"
	else
		not_ok "reload keeps the old policy: $_label"
		{ echo "want: $_first"; echo "got:  $_line"; echo "probe (exit $_prc):"; cat "$TMP/out"; } | diag
	fi
done

# The good policy back: a reload takes it, the daemon is whole.
rm -rf "$POL"
printf '%s\n' "$GOOD" >"$POL"
chmod 644 "$POL"
hup 'reloaded: policy'
printf '%s\n' "$PROBE" | "$CLIENT" -t 5 "unix:$SOCK" >"$TMP/out" 2>&1
if [ $? -eq 0 ] && [ "$(grep -c 'reloaded: policy' "$TMP/mlog")" -gt "$_n" ]; then
	ok "after $NFILES failed reloads a valid file reloads and serves"
else
	not_ok "after $NFILES failed reloads a valid file reloads and serves"
	tail -n 5 "$TMP/mlog" | diag
fi
stop "$MPID"
MPID=
if grep -q "reload_failures=$NFILES" "$TMP/mlog"; then
	ok "its statistics count $NFILES failed reloads"
else
	not_ok "its statistics count $NFILES failed reloads"
	grep 'stats:' "$TMP/mlog" | head -n 2 | diag
fi
echo "1..$T"
[ $FAILED -eq 0 ]
