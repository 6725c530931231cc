#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# t/protocol.t - drive the built daemon over its milter socket exactly as
# Postfix 3.7 or Sendmail 8.17 would, with t/mtaclient, and check its
# replies and its one log line per decision.  Prints TAP.
#
# Run by Automake's TAP driver from the build tree with top_srcdir and
# top_builddir set (absolute).  The daemon runs in the foreground on a unix
# socket in a private temporary directory, logging to stderr, which goes to
# a file read by the checks.  Every process started here is stopped by PID
# and the directory is removed on exit.
#
# Each scenario is an mtaclient script (see the header of t/mtaclient.c):
# it sends the macros the MTA sends given the lists the daemon requests,
# and "expect" lines check each reply.  Policies: t/data/protocol/*.conf.

set -u

: "${top_srcdir:?top_srcdir must be set}"
: "${top_builddir:?top_builddir must be set}"
MILTER=$top_builddir/tls-policy-milter
CLIENT=$top_builddir/t/mtaclient
DATA=$top_srcdir/t/data/protocol

echo "1..94"

TMP=
MPID=
BG_PIDS=
. "$top_srcdir/t/lib/tap.sh"
. "$top_srcdir/t/lib/proc.sh"
. "$top_srcdir/t/lib/ports.sh"

cleanup() {
	for _p in $BG_PIDS; do
		alive "$_p" && kill -KILL "$_p" 2>/dev/null
	done
	[ -n "$MPID" ] && stop "$MPID"
	[ -n "$TMP" ] && rm -rf "$TMP"
}
tap_tmpdir proto

for _f in "$MILTER" "$CLIENT"; do
	[ -x "$_f" ] || { echo "Bail out! $_f is not built"; exit 1; }
done

# ------------------------------------------------------------- the daemon

# start_milter POLICY NAME [PORT]: start the daemon on the unix socket
# $TMP/NAME.sock, or with PORT on inet:PORT@127.0.0.1, logging to $MLOG,
# and wait (up to 10 s) until it listens.  MSPEC is its socket.
start_milter() {
	MLOG=$TMP/$2.log
	if [ -n "${3:-}" ]; then
		MSPEC=inet:$3@127.0.0.1
	else
		MSPEC=unix:$TMP/$2.sock
	fi
	# MILTER_WRAPPER: t/valgrind.t runs the daemon under valgrind.
	${MILTER_WRAPPER:-} "$MILTER" -f -c "$1" -p "$MSPEC" >"$MLOG" 2>&1 &
	MPID=$!
	_i=0
	while ! listens && alive "$MPID" && [ $_i -lt 100 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	if listens && alive "$MPID"; then
		ok "daemon starts on $(basename "$1") and listens on ${MSPEC%%:*}"
		return 0
	fi
	not_ok "daemon starts on $(basename "$1") and listens on ${MSPEC%%:*}"
	diag <"$MLOG"
	echo "Bail out! the daemon did not start"
	exit 1
}

# listens: the daemon's socket ($MSPEC) is there.
listens() {
	case $MSPEC in
	unix:*) [ -S "${MSPEC#unix:}" ] ;;
	*) _l=${MSPEC#inet:}; port_listening "${_l%@*}" ;;
	esac
}

# stop_milter: SIGTERM, and check it goes within 10 s.
stop_milter() {
	if stop "$MPID"; then
		ok "daemon stops on SIGTERM"
	else
		not_ok "daemon stops on SIGTERM (needed SIGKILL)"
	fi
	MPID=
}

# ------------------------------------------------------------- the checks

LOG_MARK=0

# decisions: the decision lines logged since the last play.
decisions() {
	tail -n "+$((LOG_MARK + 1))" "$MLOG" | grep -F 'action='
}

# play DESCRIPTION < SCRIPT: one connection; ok if every expect held.
play() {
	LOG_MARK=$(wc -l <"$MLOG")
	"$CLIENT" "$MSPEC" >"$TMP/out" 2>"$TMP/err"
	_rc=$?
	if [ $_rc -eq 0 ]; then
		ok "$1"
	else
		not_ok "$1"
		{ echo "mtaclient exit $_rc; its output:"; cat "$TMP/out" \
		    "$TMP/err"; } | diag
	fi
}

# logged DESCRIPTION K N STRING...: since the last play exactly N decision
# lines were logged, and the K-th contains every STRING (a STRING !S: does
# not contain S).
logged() {
	_desc=$1 _k=$2 _n=$3
	shift 3
	_i=0
	while [ "$(decisions | wc -l)" -lt "$_n" ] && [ $_i -lt 20 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	decisions >"$TMP/dec"
	_line=$(sed -n "${_k}p" "$TMP/dec")
	_bad=
	[ "$(wc -l <"$TMP/dec")" -eq "$_n" ] ||
		_bad="$(wc -l <"$TMP/dec") decision lines, want $_n"
	for _s; do
		case $_s in
		!*)	case $_line in *"${_s#!}"*)
				_bad="${_bad:+$_bad; }has ${_s#!}" ;; esac ;;
		*)	case $_line in *"$_s"*) ;;
			*) _bad="${_bad:+$_bad; }lacks $_s" ;; esac ;;
		esac
	done
	if [ -z "$_bad" ]; then
		ok "log: $_desc"
	else
		not_ok "log: $_desc"
		{ echo "$_bad; decision lines:"; cat "$TMP/dec"; } | diag
	fi
}

# ------------------------------------------------------- script fragments

# What Postfix sends, given the macro lists the daemon asks for.
REFUSED='reply 554 5.7.0 Command refused due to lack of security'
TLS13='{tls_version} TLSv1.3 {cipher} TLS_AES_256_GCM_SHA384 {cipher_bits} 256'
TLS12='{tls_version} TLSv1.2 {cipher} AES128-GCM-SHA256 {cipher_bits} 128'

# line TEXT...: print one script line (printf: no backslash processing).
line() { printf '%s\n' "$*"; }

# conn NAME ADDR: the connect event (no reply asked for).
conn() {
	line "macro C {daemon_name} smtpd {client_addr} $2 {client_name} $1" \
	    '{client_resolve} OK v "Postfix 3.7.11"'
	line "connect $1 4 $2 40000"
	line "expect noreply"
}

# helo NAME [MACROS]: EHLO, with the TLS macros when after STARTTLS.
helo() {
	line "macro H ${2:-}"
	line "helo $1"
	line "expect noreply"
}

# mail ADDR [MACROS]: MAIL FROM with our ENVFROM list's macros.
mail() {
	line "macro M {mail_addr} $1 ${2:-}"
	line "mail <$1> SIZE=1000"
}

# rcpt ADDR: RCPT TO with Postfix's default ENVRCPT macros.
rcpt() {
	line "macro R {rcpt_addr} $1 {rcpt_host} ${1#*@} {rcpt_mailer} smtp"
	line "rcpt <$1>"
}

# play_mail DESCRIPTION CONN NAME ADDR FROM MACROS CHECK: play the
# commonest session: CONN (conn, or smconn for Sendmail) from NAME at ADDR,
# EHLO NAME and MAIL FROM with the TLS MACROS ("": plaintext), and CHECK
# ("expect accept", "match reply 454 4.7.0 *") on MAIL's reply.
play_mail() {
	play "$1" <<EOF
optneg
$($2 "$3" "$4")
$(helo "$3" "$6")
$(mail "$5" "$6")
$7
quit
EOF
}

# per_recipient: a TLS 1.2 session whose MAIL continues; two finance
# recipients refused, another accepted between them.
per_recipient() {
	cat <<EOF
optneg
$(conn mx.bank.example 192.0.2.8)
$(helo mx.bank.example "$TLS12")
$(mail clerk@bank.example "$TLS12")
expect continue
$(rcpt boss@finance.example.org)
expect $REFUSED
$(rcpt someone@example.org)
expect continue
$(rcpt cfo@finance.example.org)
expect $REFUSED
quit
EOF
}

# ================================================= enforce mode: enforce.conf
start_milter "$DATA/enforce.conf" enforce

CONNECT_LIST='{client_addr} {client_name} {daemon_name} {daemon_port} {daemon_addr} {client_resolve} v'
HELO_LIST='{tls_version} {cipher} {cipher_bits} {cert_subject} {cert_issuer} {verify} {cn_subject} {cn_issuer} {cert_fp} {cert_md5}'
MAIL_LIST="i {mail_addr} {auth_authen} $HELO_LIST"
LISTS="macros.connect=\"$CONNECT_LIST\" macros.helo=\"$HELO_LIST\" macros.envfrom=\"$MAIL_LIST\" macros.envrcpt=\"\""

play "negotiation: SETSYMLIST, DATA but no headers/body/EOH/unknown, no reply at CONNECT/HELO, four macro lists (RCPT's empty)" <<EOF
optneg
expect optneg version=6 actions=0x100 protocol=0x3170 $LISTS
quit
EOF

play "negotiation without SMFIF_SETSYMLIST offered: none requested, no lists" <<EOF
optneg 0xff
expect optneg version=6 actions=0x0 protocol=0x3170
quit
EOF

play "negotiation without SMFIP_NR_* offered: CONNECT and HELO answered continue, even in plaintext" <<EOF
optneg default 0xfff
expect optneg version=6 actions=0x100 protocol=0x170 $LISTS
macro C {daemon_name} smtpd {client_addr} 192.0.2.7
connect mx.example 4 192.0.2.7 40000
expect continue
macro H
helo mx.example
expect continue
$(mail a@example.net)
expect $REFUSED
quit
EOF

play_mail "plaintext MAIL refused under encrypt with 554 5.7.0" \
    conn mx.example 192.0.2.7 a@example.net "" "expect $REFUSED"
logged "plaintext refusal" 1 1 'action=reject' 'rule="all"' 'stage=mail' \
    'client=mx.example[192.0.2.7]' 'helo=<mx.example>' 'from=<a@example.net>'

play "the listener's port and address and the SASL login reach the decision" <<EOF
optneg
macro C {daemon_name} mx.example {daemon_port} 587 {daemon_addr} 192.0.2.25 {client_addr} 192.0.2.7 {client_name} mx.example v "Postfix 3.7.11"
connect mx.example 4 192.0.2.7 40000
expect noreply
$(helo mx.example)
macro M {mail_addr} a@example.net {auth_authen} "al ice\"x"
mail <a@example.net>
expect $REFUSED
quit
EOF
logged "listener=, port=, laddr= and auth= (sanitised) on the decision" 1 1 \
    'listener=mx.example port=587 laddr=[192.0.2.25] auth="al ice\x22x" tls=none'

play "TLS MAIL accepted (STARTTLS then EHLO)" <<EOF
optneg
$(conn mx.example 192.0.2.7)
$(helo mx.example)
abort
$(helo mx.example "$TLS13")
$(mail a@example.net "$TLS13")
expect accept
quit
EOF
logged "TLS acceptance" 1 1 'action=accept' 'rule="all"' 'stage=mail' \
    'tls=TLSv1.3' 'cipher=TLS_AES_256_GCM_SHA384' 'bits=256' \
    'from=<a@example.net>'

play "per-recipient: MAIL continues, finance recipients refused, another accepted" <<EOF
$(per_recipient)
EOF
logged "per-recipient refusal" 1 3 'action=reject' 'rule="finance"' \
    'stage=rcpt' 'boss@finance.example.org' 'from=<clerk@bank.example>'
logged "per-recipient acceptance" 2 3 'action=accept' 'rule="all"' \
    'stage=rcpt' 'someone@example.org'

play "several transactions: plaintext refused twice, then after STARTTLS accepted, refused, accepted" <<EOF
optneg
$(conn mx.example 192.0.2.9)
$(helo mx.example)
$(mail a@example.net)
expect $REFUSED
abort
$(mail b@example.net)
expect $REFUSED
abort
$(helo mx.example "$TLS13")
$(mail c@example.net "$TLS13")
expect accept
abort
$(mail d@partner.example "$TLS13")
expect reply 554 5.7.0 Partner mail needs a verified certificate
abort
$(mail e@example.net "$TLS13")
expect accept
quit
EOF
logged "several transactions: five decisions, the second plaintext one" \
    2 5 'action=reject' 'from=<b@example.net>'
logged "several transactions: the partner refusal after STARTTLS" \
    4 5 'action=reject' 'rule="partner"' 'from=<d@partner.example>' \
    'tls=TLSv1.3'

play "STARTTLS then MAIL without EHLO: the pre-TLS HELO name is forgotten" <<EOF
optneg
$(conn mx.example 192.0.2.10)
$(helo strict.example)
abort
$(mail a@example.net "$TLS13")
expect accept
quit
EOF
logged "pre-TLS HELO name not used" 1 1 'action=accept' 'rule="all"' \
    '!rule="helo-strict"' '!strict.example'

play "STARTTLS then EHLO: the post-TLS HELO name counts" <<EOF
optneg
$(conn mx.example 192.0.2.10)
$(helo other.example)
abort
$(helo strict.example "$TLS13")
$(mail a@example.net "$TLS13")
expect $REFUSED
quit
EOF
logged "post-TLS HELO name used" 1 1 'action=reject' 'rule="helo-strict"' \
    'helo=<strict.example>'

play "plaintext session: its HELO name counts" <<EOF
optneg
$(conn mx.example 192.0.2.10)
$(helo strict.example)
$(mail a@example.net)
expect $REFUSED
quit
EOF
logged "plaintext HELO name used" 1 1 'rule="helo-strict"'

# --- the MTA did not send what we asked for: TLS state unknown, fail closed
play "SETSYMLIST not offered, no TLS macro: 451 4.3.5" <<EOF
optneg 0xff
$(conn mx.example 192.0.2.11)
$(helo mx.example)
macro M i @none {auth_type} @none {mail_addr} a@example.net {mail_host} example.net {mail_mailer} smtp
mail <a@example.net>
match reply 451 4.3.5 *
quit
EOF
logged "unknown TLS state tempfails" 1 1 'action=tempfail' 'rule="all"' \
    'stage=mail'

play "SETSYMLIST offered but {mail_addr} missing at MAIL: 451 4.3.5" <<EOF
optneg
$(conn mx.example 192.0.2.11)
$(helo mx.example)
macro M
mail <a@example.net>
match reply 451 4.3.5 *
quit
EOF

play "SETSYMLIST not offered, TLS macros with EHLO: accepted" <<EOF
optneg 0xff
$(conn mx.example 192.0.2.11)
$(helo mx.example)
abort
$(helo mx.example "$TLS13")
macro M {mail_addr} a@example.net
mail <a@example.net>
expect accept
quit
EOF

play "SETSYMLIST not offered, rule needing no TLS: accepted" <<EOF
optneg 0xff
$(conn localhost 127.0.0.1)
$(helo localhost)
macro M {mail_addr} a@example.net
mail <a@example.net>
expect accept
quit
EOF
logged "client_addr exemption" 1 1 'action=accept' 'rule="internal"'

# --- values the milter cannot interpret count as not meeting the rule
for _c in "abc:$REFUSED" "64:$REFUSED" "256:accept"; do
	_m="{tls_version} TLSv1.3 {cipher} TLS_AES_256_GCM_SHA384 {cipher_bits} ${_c%%:*}"
	play_mail "min_cipher_bits 128, {cipher_bits}=${_c%%:*}: ${_c#*:}" \
	    conn mx.strong.example 192.0.2.12 a@strong.example "$_m" "expect ${_c#*:}"
done

for _v in "SuperTLS:$REFUSED" "TLSv1.1:$REFUSED" "TLSv1.2:accept"; do
	_m="{tls_version} ${_v%%:*} {cipher} AES128-GCM-SHA256 {cipher_bits} 128"
	play_mail "min_protocol TLSv1.2, {tls_version}=${_v%%:*}: ${_v#*:}" \
	    conn mx.modern.example 192.0.2.13 a@modern.example "$_m" "expect ${_v#*:}"
done

play_mail "action tempfail: 454 4.7.0" \
    conn mx.slow.example 192.0.2.14 a@slow.example "" \
    "match reply 454 4.7.0 *"
logged "tempfail rule" 1 1 'action=tempfail' 'rule="slow"'

play_mail "a '%' in reply_text reaches the MTA doubled (Postfix and Sendmail undo it)" \
    conn mx.percent.example 192.0.2.19 a@percent.example "" \
    "expect reply 554 5.7.0 100%% TLS or nothing"
logged "the log shows the text as written" 1 1 'rule="percent"' \
    'reply="554 5.7.0 100% TLS or nothing"'

CERT_MX9='{cert_subject} mx9.partner.example {cert_issuer} "Partner CA"'
CERT_MX1='{cert_subject} mx1.partner.example {cert_issuer} "Partner CA"'
play_mail "secure: certificate name mismatch refused with the rule's text" \
    conn mx9.partner.example 192.0.2.15 a@partner.example "$TLS12 $CERT_MX9" \
    "expect reply 554 5.7.0 Partner mail needs a verified certificate"
logged "certificate name mismatch" 1 1 'action=reject' 'rule="partner"' \
    'cert="mx9.partner.example"' 'issuer="Partner CA"' 'reason="' \
    'tls=TLSv1.2' 'bits=128'

play_mail "secure: matching verified certificate accepted" \
    conn mx1.partner.example 192.0.2.16 a@partner.example "$TLS12 $CERT_MX1" \
    "expect accept"

play_mail "secure: unverified certificate (no {cert_subject}) refused" \
    conn mx1.partner.example 192.0.2.16 a@partner.example "$TLS12" \
    "expect reply 554 5.7.0 Partner mail needs a verified certificate"

# A monitor rule never decides (nor exempts): it is logged, and the rules
# below it decide, as Postfix's warn_if_reject.
play_mail "action monitor above an enforced rule: plaintext still refused by the enforced one" \
    conn mx.watch.example 192.0.2.17 a@watch.example "" "expect $REFUSED"
logged "action monitor: the monitor line first" 1 2 \
    'action=monitor would=reject' 'rule="watch"' 'reason="TLS not in use"'
logged "action monitor: then the enforced rule's refusal" 2 2 \
    'action=reject' 'rule="all"' 'stage=mail'
play_mail "action monitor above an enforced rule: TLS without a certificate accepted by the enforced one" \
    conn mx.watch.example 192.0.2.17 a@watch.example "$TLS13" "expect accept"
logged "action monitor: what it would refuse" 1 2 \
    'action=monitor would=reject' 'rule="watch"' 'no verified client certificate'
logged "action monitor: then the accept" 2 2 'action=accept' 'rule="all"'

# --- hostile peer strings: nothing raw in the log
EVIL_CERT='{cert_subject} "mx1.partner.example\x0aaction=accept injected\x0d\x1b[2J" {cert_issuer} "Partner CA\x07\x7f"'
play "control bytes in HELO and certificate: refused" <<EOF
optneg
$(conn mx1.partner.example 192.0.2.18)
$(helo '"mx1\x01.partner.example\x1b[31m"' "$TLS12 $EVIL_CERT")
$(mail a@partner.example "$TLS12 $EVIL_CERT")
expect reply 554 5.7.0 Partner mail needs a verified certificate
quit
EOF
logged "control bytes: one line for the decision" 1 1 'action=reject' \
    'rule="partner"' 'helo=<mx1' 'cert="mx1.partner.example' 'issuer="Partner CA'
if LC_ALL=C tr -d '\n' <"$MLOG" | LC_ALL=C grep -q '[[:cntrl:]]' ||
	grep -q '^action=accept injected' "$MLOG"; then
	not_ok "log: no raw control byte, no injected line"
	LC_ALL=C grep -n '[[:cntrl:]]\|^action=accept injected' "$MLOG" |
		od -c | diag
else
	ok "log: no raw control byte, no injected line"
fi

# --- two connections at once, interleaved: no verdict leaks
LOG_MARK=$(wc -l <"$MLOG")
"$CLIENT" "$MSPEC" >"$TMP/outA" 2>&1 <<EOF &
optneg
$(conn a.example 192.0.2.31)
$(helo a.example)
sleep 0.4
$(mail x@example.net)
expect $REFUSED
sleep 0.4
abort
$(mail y@example.net)
expect $REFUSED
quit
EOF
PID_A=$!
"$CLIENT" "$MSPEC" >"$TMP/outB" 2>&1 <<EOF &
sleep 0.2
optneg
$(conn b.example 192.0.2.32)
$(helo b.example "$TLS13")
sleep 0.4
$(mail x@example.org "$TLS13")
expect accept
sleep 0.4
abort
$(mail y@example.org "$TLS13")
expect accept
quit
EOF
PID_B=$!
BG_PIDS="$PID_A $PID_B"
for _x in A B; do
	eval "_p=\$PID_$_x"
	if wait "$_p"; then
		ok "concurrent connection $_x: its own verdicts"
	else
		not_ok "concurrent connection $_x: its own verdicts"
		diag <"$TMP/out$_x"
	fi
done
BG_PIDS=
decisions >"$TMP/dec"
_rejA=$(grep -c 'action=reject.*192\.0\.2\.31.*helo=<a\.example>' "$TMP/dec")
_accB=$(grep -c 'action=accept.*192\.0\.2\.32.*helo=<b\.example>' "$TMP/dec")
_all=$(wc -l <"$TMP/dec")
if [ "$_rejA" -eq 2 ] && [ "$_accB" -eq 2 ] && [ "$_all" -eq 4 ]; then
	ok "log: concurrent connections logged with their own client and HELO"
else
	not_ok "log: concurrent connections logged with their own client and HELO"
	diag <"$TMP/dec"
fi

# ================================================= Sendmail 8.17's macros
# What Sendmail 8.17.1.9 sends given the daemon's macro lists (measured:
# t/sendmail.t): "v" is its bare version, names are xtext-encoded, the
# certificate macros come for any certificate and are '' without one.

# smconn NAME ADDR: Sendmail's connect event.
smconn() {
	line "macro C {daemon_name} MTA {client_addr} $2 {client_name} $1" \
	    '{client_resolve} OK v 8.17.1.9'
	line "connect $1 4 $2 40000"
	line "expect noreply"
}
# smcert VERIFY CN ISSUER-CN [MORE]: the TLS macros after STARTTLS.
smcert() {
	printf '%s' "$TLS13 {verify} $1 {cn_subject} $2 {cn_issuer} $3 ${4:-}"
}
SM_NOCERT="$TLS13 {cert_subject} \"\" {cert_issuer} \"\" {verify} NO {cn_subject} \"\" {cn_issuer} \"\" {cert_md5} \"\""
SM_MX1=$(smcert OK mx1.partner.example Partner+20CA '{cert_subject} /CN=mx1.partner.example {cert_issuer} /CN=Partner+20CA')

play_mail "Sendmail: plaintext MAIL refused" \
    smconn mx.example 192.0.2.50 a@example.net "" "expect $REFUSED"

play_mail "Sendmail: verify OK, CN and issuer match: accepted" \
    smconn mx1.partner.example 192.0.2.51 a@partner.example "$SM_MX1" \
    "expect accept"
logged "Sendmail verified certificate" 1 1 'action=accept' 'rule="partner"' \
    'verify=OK' 'cert="mx1.partner.example"' 'issuer="Partner CA"'

_c=$(smcert FAIL mx1.partner.example Partner+20CA)
play_mail "Sendmail: verify FAIL with the right CN: refused" \
    smconn mx1.partner.example 192.0.2.52 a@partner.example "$_c" \
    "expect reply 554 5.7.0 Partner mail needs a verified certificate"
logged "Sendmail verify FAIL" 1 1 'action=reject' 'verify=FAIL' \
    'reason="client certificate not verified (verify=FAIL)"'

play_mail "Sendmail: no certificate (verify NO, empty macros): refused" \
    smconn mx1.partner.example 192.0.2.53 a@partner.example "$SM_NOCERT" \
    "expect reply 554 5.7.0 Partner mail needs a verified certificate"
logged "Sendmail no certificate" 1 1 'verify=NO' '!cert=' \
    'reason="no client certificate"'

_c=$(smcert OK BadCertificateTooLong Partner+20CA)
play_mail "Sendmail: placeholder CN never matches cert_name" \
    smconn mx1.partner.example 192.0.2.54 a@partner.example "$_c" \
    "expect reply 554 5.7.0 Partner mail needs a verified certificate"
logged "Sendmail placeholder" 1 1 'cert="BadCertificateTooLong"' \
    'reason="certificate name is not a DNS name"'

play_mail "Sendmail-looking macros under a Postfix \"v\": not trusted" \
    conn mx1.partner.example 192.0.2.55 a@partner.example "$SM_MX1" \
    "expect reply 554 5.7.0 Partner mail needs a verified certificate"

_c=$(smcert FAIL selfsigned.partner.test selfsigned.partner.test '{cert_md5} 01:DF:CB:95:50:EA:FC:1A:F4:08:51:DD:4F:E0:3C:1D')
play_mail "Sendmail: pinned md5, self-signed (verify FAIL): accepted" \
    smconn mx.pinned.example 192.0.2.56 a@pinned.example "$_c" "expect accept"
_c=$(smcert OK mx.pinned.example CA '{cert_md5} 01:DF:CB:95:50:EA:FC:1A:F4:08:51:DD:4F:E0:3C:1E')
play_mail "Sendmail: another md5, although verified: refused" \
    smconn mx.pinned.example 192.0.2.56 a@pinned.example "$_c" \
    "expect $REFUSED"
logged "pin not matched" 1 1 'rule="pinned"' \
    'reason="certificate fingerprint (md5) not pinned"'
_c=$(smcert FAIL x x '{cert_fp} 69:85:E9:15:D4:B7:33:A5:D5:9C:4F:9A:AC:C4:DD:EA:9D:FC:28:37:32:D6:CA:63:D8:F6:39:8D:14:92:51:07')
play_mail "Sendmail: pinned sha256 in {cert_fp}: accepted" \
    smconn mx.pinned.example 192.0.2.56 a@pinned.example "$_c" "expect accept"

_c=$(smcert OK mx1.partner.test 'Esc,+20CA+20+2B1/+C3+BC' '{cert_issuer} /O=Escapes+20+5C+2B+20Co,+20Ltd.+5C/+5CxC3+5Cx9C/CN=Esc,+20CA+20+5C+2B1+5C/+5CxC3+5CxBC')
play_mail "Sendmail: issuer DN with escapes matches the policy's DN" \
    smconn mx.dn.example 192.0.2.57 a@dn.example "$_c" "expect accept"
logged "decoded issuer CN in the log" 1 1 'rule="dn"' \
    'issuer="Esc, CA +1/\xc3\xbc"'

play "Sendmail: STARTTLS then MAIL without EHLO: TLS macros with MAIL" <<EOF
optneg
$(smconn mx.example 192.0.2.58)
$(helo mx.example)
$(mail a@example.net "$SM_NOCERT")
expect accept
quit
EOF

# Sendmail's stock lists, when the milter cannot ask for its own: the TLS
# macros come with the post-STARTTLS EHLO only, without {verify}.
play "Sendmail stock macro lists: TLS facts from EHLO, no {verify}: unverified" <<EOF
optneg 0xff
$(smconn mx1.partner.example 192.0.2.59)
macro H {tls_version} TLSv1.3 {cipher} TLS_AES_256_GCM_SHA384 {cipher_bits} 256 {cert_subject} /CN=mx1.partner.example {cert_issuer} /CN=Partner+20CA
helo mx1.partner.example
expect noreply
macro M i 6AT0u9LM030380 {auth_type} @none {mail_addr} a@partner.example {mail_host} partner.example {mail_mailer} esmtp
mail <a@partner.example>
expect reply 554 5.7.0 Partner mail needs a verified certificate
quit
EOF
logged "Sendmail's queue id starts the line" 1 1 '6AT0u9LM030380: action=reject' \
    'reason="no verified client certificate"'

stop_milter

# ================================================= monitor mode: monitor.conf
start_milter "$DATA/monitor.conf" monitor

play_mail "monitor mode: plaintext MAIL under a sender rule accepted" \
    conn mx.partner.example 192.0.2.40 a@partner.example "" "expect accept"
logged "monitor mode at MAIL" 1 1 'action=monitor would=reject' \
    'rule="partner"' 'stage=mail'

play "monitor mode: recipient rule defers, every recipient continues" <<EOF
optneg
$(conn mx.example 192.0.2.41)
$(helo mx.example)
$(mail a@example.net)
expect continue
$(rcpt boss@finance.example.org)
expect continue
$(rcpt someone@example.org)
expect continue
quit
EOF
logged "monitor mode at RCPT: finance" 1 2 \
    'action=monitor would=reject' 'rule="finance"' 'stage=rcpt'
logged "monitor mode at RCPT: all" 2 2 \
    'action=monitor would=reject' 'rule="all"' 'stage=rcpt'

play "monitor mode: TLS recipients continue" <<EOF
optneg
$(conn mx.example 192.0.2.42)
$(helo mx.example "$TLS13")
$(mail a@example.net "$TLS13")
expect continue
$(rcpt boss@finance.example.org)
expect continue
quit
EOF
logged "monitor mode: acceptance logged as accept" 1 1 'action=accept' \
    'rule="finance"' '!would='

stop_milter

# --- log_accepts = false: refusals logged, accepts only counted
{ echo 'log_accepts = false'; cat "$DATA/enforce.conf"; } >"$TMP/quiet.conf"
start_milter "$TMP/quiet.conf" quiet

play "log_accepts false: two recipients refused, one accepted" <<EOF
$(per_recipient)
EOF
logged "log_accepts false: the first refusal logged" 1 2 'action=reject' \
    'rule="finance"' 'boss@finance.example.org'
logged "log_accepts false: the second, and no line for the accept" 2 2 \
    'action=reject' 'rule="finance"' 'cfo@finance.example.org'

play_mail "log_accepts false: an accepted message" \
    conn mx.example 192.0.2.43 a@example.net "$TLS13" "expect accept"
kill -USR1 "$MPID"
_i=0
while ! grep -q 'stats: decisions ' "$MLOG" && [ $_i -lt 50 ]; do
	sleep 0.1
	_i=$((_i + 1))
done
if [ "$(decisions | grep -vc '^.*stats: ')" -eq 0 ] &&
    grep -q 'stats: decisions accept=2 reject=2 ' "$MLOG"; then
	ok "log_accepts false: no line for the accepted message; the statistics count both accepts"
else
	not_ok "log_accepts false: no line for the accepted message; the statistics count both accepts"
	diag <"$MLOG"
fi

stop_milter

# ===================================================== on TCP: enforce.conf
# On TCP an MTA that writes twice before the milter answers waits up to
# 40 ms: Nagle's algorithm holds its second small write until the first
# is acknowledged, and the milter's kernel delays that ACK while it has
# no reply to carry it.  Postfix writes the macros of DATA even to a
# milter that skips DATA (SMFIP_NODATA), alone, and every message then
# waited for its end of message; so the daemon asks for DATA and answers
# it "accept" (no end of message follows).  Sendmail writes a stage's
# macros and its command apart; so the daemon asks for no macros at RCPT
# (the empty list above) and RCPT comes in one write.  CONNECT and HELO
# go unanswered, but Postfix writes them together with MAIL.
start_milter "$DATA/enforce.conf" tcp "$(port_free)"

play "TCP: a message through: CONNECT, HELO unanswered, MAIL continues, RCPT (no macros) continues, DATA (with its macros) answered accept" <<EOF
optneg
expect optneg version=6 actions=0x100 protocol=0x3170 $LISTS
$(conn mx.bank.example 192.0.2.8)
$(helo mx.bank.example "$TLS12")
$(mail clerk@bank.example "$TLS12")
expect continue
rcpt <someone@example.org>
expect continue
macro T i 4F2A1B3C
data
expect accept
abort
quit
EOF
logged "TCP: one decision, at RCPT; none at DATA" 1 1 'action=accept' \
    'stage=rcpt' 'someone@example.org'

stop_milter

