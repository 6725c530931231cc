#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# t/metrics.t - the metrics file (stats_file): the built daemon, driven
# over its milter socket by t/mtaclient as in t/protocol.t, rewrites it
# every second; check its counters after a few decisions and reloads,
# promtool's verdict on it (skipped without promtool: Debian package
# prometheus), that a reader never sees part of a file while it is
# rewritten, and that a file that cannot be written is said once and
# stops no mail.  Prints TAP.
#
# Run by Automake's TAP driver with top_srcdir and top_builddir set.

set -u

: "${top_srcdir:?top_srcdir must be set}"
: "${top_builddir:?top_builddir must be set}"
MILTER=$top_builddir/tls-policy-milter
CLIENT=$top_builddir/t/mtaclient
M=tls_policy_milter_

echo "1..17"

TMP=
MPID=
. "$top_srcdir/t/lib/tap.sh"
. "$top_srcdir/t/lib/proc.sh"

cleanup() {
	[ -n "$MPID" ] && stop "$MPID"
	[ -n "$TMP" ] && rm -rf "$TMP"
}
tap_tmpdir metrics

for _f in "$MILTER" "$CLIENT"; do
	[ -x "$_f" ] || { echo "Bail out! $_f is not built"; exit 1; }
done

# check DESCRIPTION WANT GOT: ok when equal, else both as diagnostics.
check() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1"
		printf 'want: %s\ngot:  %s\n' "$2" "$3" | diag
	fi
}

# policy FILE STATS_FILE: a policy with three rules and that stats_file.
policy() {
	cat >"$1" <<EOF
allow_root = true
stats_file = "$2"
stats_interval = 1
rule "modern" {
	sender       = {"modern.example"}
	require      = "encrypt"
	min_protocol = "TLSv1.2"
}
rule "watch" {
	sender  = {"watch.example"}
	require = "encrypt"
	action  = "monitor"
}
rule "unused" {
	sender  = {"unused.example"}
	require = "none"
}
EOF
}

# start NAME POLICY: the daemon in the foreground on $TMP/NAME.sock,
# logging to $TMP/NAME.log; bails out unless it listens within 10 s.
start() {
	MSOCK=$TMP/$1.sock
	MLOG=$TMP/$1.log
	"$MILTER" -f -c "$2" -p "unix:$MSOCK" >"$MLOG" 2>&1 &
	MPID=$!
	_i=0
	while [ ! -S "$MSOCK" ] && alive "$MPID" && [ $_i -lt 100 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	[ -S "$MSOCK" ] && alive "$MPID" && return 0
	diag <"$MLOG"
	echo "Bail out! the daemon did not start"
	exit 1
}

# play DESCRIPTION FROM TLS EXPECT: one connection, MAIL FROM FROM with
# the TLS macros TLS (plaintext when empty), EXPECT on MAIL's reply.
play() {
	"$CLIENT" "unix:$MSOCK" >"$TMP/out" 2>&1 <<EOF
optneg
macro C {daemon_name} smtpd {client_addr} 192.0.2.1 {client_name} mx.example {client_resolve} OK v "Postfix 3.7.11"
connect mx.example 4 192.0.2.1 40000
expect noreply
macro H $3
helo mx.example
expect noreply
macro M {mail_addr} $2 $3
mail <$2>
$4
quit
EOF
	if [ $? -eq 0 ]; then
		ok "$1"
	else
		not_ok "$1"
		diag <"$TMP/out"
	fi
}

# metric NAME: its value in $PROM ("" when absent, or no file).
metric() {
	[ -f "$PROM" ] && awk -v n="$M$1" '$1 == n { print $2 }' "$PROM"
}

# wait_metric NAME VALUE: until NAME has VALUE in $PROM, 5 s at most.
wait_metric() {
	_i=0
	while [ "$(metric "$1")" != "$2" ] && [ $_i -lt 50 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
}

TLS13='{tls_version} TLSv1.3 {cipher} TLS_AES_256_GCM_SHA384 {cipher_bits} 256'
PROM=$TMP/tls-policy-milter.prom
policy "$TMP/p.conf" "$PROM"

# --------------------------------------------------------- the settings

printf 'stats_interval = 5\nrule "a" {\n\trequire = "none"\n}\n' \
    >"$TMP/lone.conf"
out=$("$MILTER" -n -c "$TMP/lone.conf" 2>&1)
check "-n: stats_interval without stats_file is an error (78)" \
    "78 $TMP/lone.conf:1: stats_interval is set but stats_file is not: there is no metrics file to rewrite" \
    "$? $out"

# ------------------------------------------------------------ the file

start m "$TMP/p.conf"
wait_metric connections_total 0
check "the file is written at start" "0" "$(metric connections_total)"
check "it has the start time" "1" \
    "$(awk -v n="${M}start_time_seconds" '$1 == n && $2 > 1700000000' \
    "$PROM" | wc -l)"

play "TLS 1.3 to modern: accepted" a@modern.example "$TLS13" "expect accept"
play "plaintext to modern: rejected" a@modern.example "" \
    "match reply 554 5.7.0 *"
play "plaintext to watch: only logged, accepted" a@watch.example "" \
    "expect accept"
kill -HUP "$MPID"
sleep 0.3
echo 'rule "broken" {' >>"$TMP/p.conf"
kill -HUP "$MPID"
wait_metric 'reloads_total{result="failed"}' 1
wait_metric connections_total 3

check "counters after three sessions and two reloads" "$(cat <<EOF
connections_total 3
transactions_total{tls_version="none"} 2
transactions_total{tls_version="TLSv1.3"} 1
tls_transactions_cipher_strength_total{cipher_bits="256_or_more"} 1
tls_transactions_certificate_total{certificate="unverified"} 1
decisions_total{verdict="accept"} 2
decisions_total{verdict="reject"} 1
decisions_total{verdict="tempfail"} 0
monitor_would_refuse_total{verdict="reject"} 1
internal_errors_total 0
reloads_total{result="ok"} 1
reloads_total{result="failed"} 1
rules 3
EOF
)" "$(for _m in connections_total 'transactions_total{tls_version="none"}' \
    'transactions_total{tls_version="TLSv1.3"}' \
    'tls_transactions_cipher_strength_total{cipher_bits="256_or_more"}' \
    'tls_transactions_certificate_total{certificate="unverified"}' \
    'decisions_total{verdict="accept"}' 'decisions_total{verdict="reject"}' \
    'decisions_total{verdict="tempfail"}' \
    'monitor_would_refuse_total{verdict="reject"}' internal_errors_total \
    'reloads_total{result="ok"}' 'reloads_total{result="failed"}' rules; do
	echo "$_m $(metric "$_m")"; done)"

check "per rule: the rules that decided, by verdict" "$(cat <<EOF
${M}rule_decisions_total{rule="modern",verdict="accept"} 1
${M}rule_decisions_total{rule="modern",verdict="reject"} 1
${M}rule_decisions_total{rule="modern",verdict="tempfail"} 0
${M}rule_decisions_total{rule="watch",verdict="accept"} 0
${M}rule_decisions_total{rule="watch",verdict="reject"} 0
${M}rule_decisions_total{rule="watch",verdict="tempfail"} 0
${M}rule_monitor_would_refuse_total{rule="modern",verdict="reject"} 0
${M}rule_monitor_would_refuse_total{rule="modern",verdict="tempfail"} 0
${M}rule_monitor_would_refuse_total{rule="watch",verdict="reject"} 1
${M}rule_monitor_would_refuse_total{rule="watch",verdict="tempfail"} 0
EOF
)" "$(grep "^${M}rule_[a-z_]*{" "$PROM")"

if command -v promtool >/dev/null 2>&1; then
	if promtool check metrics <"$PROM" >"$TMP/promtool" 2>&1; then
		ok "promtool check metrics accepts the file"
	else
		not_ok "promtool check metrics accepts the file"
		diag <"$TMP/promtool"
	fi
else
	skip "promtool check metrics accepts the file" \
	    "promtool is not installed (Debian package prometheus)"
fi

# A whole file ends with the last sample of the last family.
LAST="${M}rule_monitor_would_refuse_total{rule=\"watch\",verdict=\"tempfail\"} 0"
bad=0
_i=0
while [ $_i -lt 300 ]; do
	[ $((_i % 3)) -eq 0 ] && kill -USR1 "$MPID"
	_f=$(cat "$PROM"; echo x)
	case $_f in
	"# HELP ${M}start_time_seconds "*"$LAST
x") ;;
	*) bad=$((bad + 1)); printf '%s\n' "$_f" >"$TMP/partial" ;;
	esac
	_i=$((_i + 1))
done
if [ $bad -eq 0 ]; then
	ok "300 reads while it is rewritten: each one a whole file"
else
	not_ok "300 reads while it is rewritten: each one a whole file"
	{ echo "$bad partial reads; the last:"; tail -n 3 "$TMP/partial"; } |
	    diag
fi
# Replaced, not rewritten in place: while the old file is held open, the
# name comes to stand for another inode.
exec 3<"$PROM"
sleep 1.5
check "the file is replaced by a new one, not rewritten in place" "new" \
    "$([ "$(stat -c %i "$PROM")" != "$(stat -L -c %i /proc/$$/fd/3)" ] &&
    echo new)"
exec 3<&-
check "no temporary file stays next to it" "" \
    "$(ls "$TMP" | grep -F '.prom.tmp.')"

if stop "$MPID"; then ok "the daemon stops on SIGTERM"; else
	not_ok "the daemon stops on SIGTERM (needed SIGKILL)"; fi
MPID=
check "the file is left with the last counts" "3" \
    "$(metric connections_total)"

# ------------------------------------------------- a file it cannot write

policy "$TMP/q.conf" "$TMP/missing/dir/m.prom"
start q "$TMP/q.conf"
play "with an unwritable file, mail goes on" a@modern.example "$TLS13" \
    "expect accept"
sleep 2.5
check "the failure is logged once, as a warning" "1" \
    "$(grep -c "cannot write the metrics file $TMP/missing/dir/m.prom: No such file or directory" "$MLOG")"
mkdir -p "$TMP/missing/dir"
PROM=$TMP/missing/dir/m.prom
wait_metric connections_total 1
check "when the directory appears: written, and said so" "1 1" \
    "$(metric connections_total) $(grep -c 'is written again' "$MLOG")"
stop "$MPID"
MPID=

exit $((FAILED > 0))
