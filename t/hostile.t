#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# t/hostile.t - a table of hostile and broken MTA input, each row one milter
# session played by t/mtaclient: 64 KiB EHLO names, certificate subjects,
# senders and macros; control bytes and ANSI escapes; invalid UTF-8; printf
# directives; Sendmail's NUL placeholders; non-numeric, negative and huge
# {cipher_bits}; unknown {tls_version}s; missing macros; STARTTLS twice;
# MAIL without EHLO or CONNECT; events out of order.  Every row must end in
# its defined verdict (a refusal wherever a requirement cannot be shown to
# hold), exactly one log message for a decision (none when the session
# ends without one), no raw control byte in anything the daemon logged,
# and the daemon alive.
#
# The log is what syslog receives: the daemon runs in a private mount
# namespace whose /dev/log is t/syslogcap, which keeps each datagram as
# a file.  Needs root (mount namespace); skips otherwise.  Prints TAP.

set -u

: "${top_srcdir:?top_srcdir must be set}"
: "${top_builddir:?top_builddir must be set}"
MILTER=$top_builddir/tls-policy-milter
CLIENT=$top_builddir/t/mtaclient
SYSLOGCAP=$top_builddir/t/syslogcap

if [ "$(id -u)" -ne 0 ] || ! command -v unshare >/dev/null; then
	echo "1..0 # SKIP needs root and unshare for a private /dev/log"
	exit 0
fi
for _f in "$MILTER" "$CLIENT" "$SYSLOGCAP"; do
	[ -x "$_f" ] || { echo "Bail out! $_f is not built"; exit 1; }
done

TMP=
MPID=
CPID=
. "$top_srcdir/t/lib/tap.sh"
. "$top_srcdir/t/lib/proc.sh"

cleanup() {
	[ -n "$MPID" ] && stop "$MPID"
	[ -n "$CPID" ] && stop "$CPID"
	[ -n "$TMP" ] && rm -rf "$TMP"
}
tap_tmpdir hostile

# ------------------------------------------------- syslog and the daemon

MSGS=$TMP/msgs
mkdir "$MSGS"
"$SYSLOGCAP" "$TMP/log.sock" "$MSGS" 2>"$TMP/syslogcap.err" &
CPID=$!
_i=0
while [ ! -S "$TMP/log.sock" ] && [ $_i -lt 100 ]; do sleep 0.05; _i=$((_i + 1)); done

cat >"$TMP/policy.conf" <<'EOF'
allow_root = true
rule "partner" {
    sender          = {"partner.example", ".partner.example"}
    require         = "secure"
    min_protocol    = "TLSv1.2"
    min_cipher_bits = 128
    cert_name       = {"mx1.partner.example"}
    cert_issuer     = {"Partner CA"}
}
rule "all" {
    require         = "encrypt"
    min_protocol    = "TLSv1.2"
    min_cipher_bits = 128
}
EOF

SOCK=$TMP/milter.sock
unshare -m sh "$top_srcdir/t/lib/devlog.sh" "$TMP/log.sock" \
    "$MILTER" -c "$TMP/policy.conf" -f -p "unix:$SOCK" >"$TMP/stderr" 2>&1 &
MPID=$!
_i=0
while [ ! -S "$SOCK" ] && alive "$MPID" && [ $_i -lt 100 ]; do
	sleep 0.1
	_i=$((_i + 1))
done
if ! [ -S "$SOCK" ] || ! alive "$MPID"; then
	echo "Bail out! the daemon did not start: $(cat "$TMP/stderr")"
	exit 1
fi

# nmsgs: how many messages syslog got so far.
nmsgs() {
	find "$MSGS" -type f | wc -l
}
# Wait for the start-up line, and trigger the one-time warning about an
# MTA that does not take macro requests, so that no row sees either.
_i=0
while [ "$(nmsgs)" -lt 1 ] && [ $_i -lt 50 ]; do sleep 0.1; _i=$((_i + 1)); done
printf 'optneg 0xff\nquit\n' | "$CLIENT" "unix:$SOCK" >/dev/null 2>&1
sleep 0.3

# ------------------------------------------------------------ the rows

# row NAME ACTION [RC] < SCRIPT: play SCRIPT (its "expect" lines check the
# replies); mtaclient must exit RC (default 0).  ACTION is the decision the
# one message logged must carry ("action=reject"), or "none": no message
# at all.  Then: no control byte in any message so far, the daemon alive.
row() {
	_name=$1 _want=$2 _wantrc=${3:-0}
	_mark=$(nmsgs)
	"$CLIENT" -t 5 "unix:$SOCK" >"$TMP/out" 2>"$TMP/err"
	_rc=$?
	_want_n=1
	[ "$_want" = none ] && _want_n=0
	_i=0
	while [ "$(nmsgs)" -lt $((_mark + _want_n)) ] && [ $_i -lt 30 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	sleep 0.1	# anything more would have arrived by now
	_bad=
	[ $_rc -eq "$_wantrc" ] || _bad="mtaclient exit $_rc, want $_wantrc"
	_new=$(find "$MSGS" -type f | sort | tail -n +$((_mark + 1)))
	_n=$(printf '%s' "$_new" | grep -c .)
	[ "$_n" -eq $_want_n ] || _bad="${_bad:+$_bad; }$_n messages, want $_want_n"
	if [ "$_want" != none ] && [ "$_n" -ge 1 ]; then
		_first=$(printf '%s\n' "$_new" | head -n 1)
		grep -qF -- " $_want " "$_first" ||
			_bad="${_bad:+$_bad; }no \"$_want\""
	fi
	for _m in $_new; do
		if LC_ALL=C grep -q '[[:cntrl:]]' "$_m"; then
			_bad="${_bad:+$_bad; }control byte in $(basename "$_m")"
		fi
	done
	alive "$MPID" || _bad="${_bad:+$_bad; }the daemon died"
	if [ -z "$_bad" ]; then
		ok "$_name"
	else
		not_ok "$_name"
		{
			echo "$_bad"
			echo "mtaclient:"; cut -c1-300 "$TMP/out" "$TMP/err"
			for _m in $_new; do echo "syslog:"; cut -c1-600 "$_m" | od -c | head -n 12; done
		} | diag
	fi
}

REFUSED='reply 554 5.7.0 Command refused due to lack of security'
UNKNOWN='match reply 451 4.3.5 *'
TLS13='{tls_version} TLSv1.3 {cipher} TLS_AES_256_GCM_SHA384 {cipher_bits} 256'
CERT='{cert_subject} mx1.partner.example {cert_issuer} "Partner CA"'

line() { printf '%s\n' "$*"; }
conn() {
	line "macro C {daemon_name} smtpd {client_addr} ${2:-192.0.2.7}" \
	    "{client_name} ${1:-mx.example} {client_resolve} OK v \"Postfix 3.7.11\""
	line "connect ${1:-mx.example} 4 ${2:-192.0.2.7} 40000"
	line "expect noreply"
}
helo() {
	line "macro H ${2:-}"
	line "helo $1"
	line "expect noreply"
}
mail() {
	line "macro M {mail_addr} $1 ${2:-}"
	line "mail $1"
}

# Long values: a name of 64 KiB less what the packet needs besides (a
# libmilter packet holds at most 64 KiB), a quoted script word of it.
LONG=$(head -c 65000 /dev/zero | tr '\0' 'a')
LONGNAME=$(for _i in $(seq 1 16000); do printf 'ab.'; done)example
CTL='"mx1\x01.partner\x1b[31m.example\x0d\x0aaction=accept\x07\x7f"'
ANSI='"\x1b]0;owned\x07\x1b[2J\x1b[1;31mmx1.partner.example\x1b[0m"'
BADUTF8='"mx1.p\xc3\x28rtner.example\xff\xfe\xc0\xaf\xed\xa0\x80"'


# -------------------------------------------- enormous values (64 KiB)
row "64 KiB EHLO name, plaintext: refused" action=reject <<EOF
optneg
$(conn)
$(helo "$LONG")
$(mail "<a@example.net>")
expect $REFUSED
quit
EOF
row "64 KiB EHLO name of 16,000 labels, with TLS: accepted" action=accept <<EOF
optneg
$(conn)
$(helo "$LONGNAME" "$TLS13")
$(mail "<a@example.net>" "$TLS13")
expect accept
quit
EOF
row "64 KiB certificate subject: not a name, refused" action=reject <<EOF
optneg
$(conn)
$(helo mx1.partner.example "$TLS13")
$(mail "<a@partner.example>" "$TLS13 {cert_subject} $LONG {cert_issuer} \"Partner CA\"")
expect $REFUSED
quit
EOF
row "64 KiB certificate issuer: not the issuer, refused" action=reject <<EOF
optneg
$(conn)
$(helo mx1.partner.example "$TLS13")
$(mail "<a@partner.example>" "$TLS13 {cert_subject} mx1.partner.example {cert_issuer} $LONG")
expect $REFUSED
quit
EOF
row "64 KiB sender under a partner domain, plaintext: refused" action=reject <<EOF
optneg
$(conn)
$(helo mx.example)
$(mail "<${LONG:0:64000}@partner.example>")
expect $REFUSED
quit
EOF
row "64 KiB cipher and tls_version: refused" action=reject <<EOF
optneg
$(conn)
$(helo mx.example)
$(mail "<a@example.net>" "{tls_version} ${LONG:0:30000} {cipher} ${LONG:0:30000} {cipher_bits} 256")
expect $REFUSED
quit
EOF
row "64 KiB client name and address: refused" action=reject <<EOF
optneg
macro C {client_addr} ${LONG:0:30000} {client_name} ${LONG:0:30000}
connect ${LONG:0:1000} 4 192.0.2.7 40000
expect noreply
$(helo mx.example)
$(mail "<a@example.net>")
expect $REFUSED
quit
EOF
row "a macro packet over 64 KiB: libmilter drops the connection, nothing decided" none 2 <<EOF
optneg
$(conn)
$(helo mx.example "$TLS13")
macro M {mail_addr} a@example.net {cert_subject} $LONG {cert_issuer} $LONG
mail <a@example.net>
expect accept
EOF

# ---------------------------------- control bytes, escapes, bad UTF-8
row "control bytes in HELO, certificate, issuer, cipher: refused" action=reject <<EOF
optneg
$(conn)
$(helo "$CTL" "$TLS13")
$(mail "<a@partner.example>" "{tls_version} TLSv1.3 {cipher} $CTL {cipher_bits} 256 {cert_subject} $CTL {cert_issuer} \"Partner CA\x0a\"")
expect $REFUSED
quit
EOF
row "ANSI escapes in HELO, certificate, sender: refused" action=reject <<EOF
optneg
$(conn)
$(helo "$ANSI" "$TLS13")
$(mail "<\x1b[2Ja@partner.example>" "$TLS13 {cert_subject} $ANSI {cert_issuer} \"Partner CA\"")
expect $REFUSED
quit
EOF
row "control bytes in the client name, address, listener: refused" action=reject <<EOF
optneg
macro C {daemon_name} "smtpd\x0a\x1b[1m" {client_addr} "192.0.2.7\x0d\x0aaction=accept" {client_name} $CTL {client_resolve} OK
connect $CTL 4 192.0.2.7 40000
expect noreply
$(helo mx.example)
$(mail "<a@example.net>")
expect $REFUSED
quit
EOF
row "control bytes and blanks in the queue id: refused" action=reject <<EOF
optneg
$(conn)
$(helo mx.example)
$(mail "<a@example.net>" "i \"4Xq\x0a: action=accept\x1b\"")
expect $REFUSED
quit
EOF
row "control bytes in the SASL login name: refused" action=reject <<EOF
optneg
$(conn)
$(helo mx.example)
$(mail "<a@example.net>" '{auth_authen} "bob\x0a\x1b[2J" {auth_type} PLAIN')
expect $REFUSED
quit
EOF
row "invalid UTF-8 in HELO and certificate subject: refused" action=reject <<EOF
optneg
$(conn)
$(helo "$BADUTF8" "$TLS13")
$(mail "<a@partner.example>" "$TLS13 {cert_subject} $BADUTF8 {cert_issuer} \"Partner CA\"")
expect $REFUSED
quit
EOF
row "invalid UTF-8 in the sender's domain: refused" action=reject <<EOF
optneg
$(conn)
$(helo mx.example)
$(mail '"<a@partner.ex\xffample>"')
expect $REFUSED
quit
EOF
row "an IDN look-alike certificate name (fullwidth letters): refused" action=reject <<EOF
optneg
$(conn)
$(helo mx1.partner.example "$TLS13")
$(mail "<a@partner.example>" "$TLS13 {cert_subject} \"\xef\xbd\x8dx1.partner.example\" {cert_issuer} \"Partner CA\"")
expect $REFUSED
quit
EOF

# -------------------------------------------------- format directives
row "printf directives in every peer string: refused, logged as written" action=reject <<EOF
optneg
macro C {client_addr} 192.0.2.7 {client_name} %n%s%x.example {daemon_name} %n
connect %s%n 4 192.0.2.7 40000
expect noreply
$(helo '%n%n%n%s%s%s' "{tls_version} %n%s {cipher} %s%p%n {cipher_bits} %d")
$(mail "<%s%n@partner.example>" "{tls_version} %n%s {cipher} %s%p%n {cipher_bits} %d {cert_subject} %n.example {cert_issuer} %s%n i %n%n")
expect $REFUSED
quit
EOF

# ---------------------------------------------- certificate placeholders
row "Sendmail {cn_subject} BadCertificateContainsNUL, verified: refused" action=reject <<EOF
optneg
$(conn)
$(helo mx1.partner.example "$TLS13 {verify} OK {cn_subject} BadCertificateContainsNUL {cn_issuer} Partner+20CA")
$(mail "<a@partner.example>" "$TLS13 {verify} OK {cn_subject} BadCertificateContainsNUL {cn_issuer} Partner+20CA")
expect $REFUSED
quit
EOF
row "Sendmail {cn_subject} BadCertificateTooLong: refused" action=reject <<EOF
optneg
$(conn)
$(mail "<a@partner.example>" "$TLS13 {verify} OK {cn_subject} BadCertificateTooLong {cn_issuer} Partner+20CA")
expect $REFUSED
quit
EOF
row "Sendmail xtext NUL (+00) in {cn_subject}: refused" action=reject <<EOF
optneg
$(conn)
$(mail "<a@partner.example>" "$TLS13 {verify} OK {cn_subject} mx1.partner.example+00.evil {cn_issuer} Partner+20CA")
expect $REFUSED
quit
EOF
row "Postfix empty {cert_subject} (a CN it would not pass): refused" action=reject <<EOF
optneg
$(conn)
$(mail "<a@partner.example>" "$TLS13 {cert_subject} \"\" {cert_issuer} \"Partner CA\"")
expect $REFUSED
quit
EOF
row "a DN where Postfix sends a CN, no {verify}: unverified, refused" action=reject <<EOF
optneg
$(conn)
$(mail "<a@partner.example>" "$TLS13 {cert_subject} /CN=mx1.partner.example {cert_issuer} \"Partner CA\"")
expect $REFUSED
quit
EOF

# ------------------------------------------------------ {cipher_bits}
for _b in abc -1 -256 "" 0x100 " 256" 256abc 99999999999999999999 1e3 "+256"; do
	row "{cipher_bits}=\"$_b\" under min_cipher_bits 128: refused" action=reject <<EOF
optneg
$(conn)
$(mail "<a@example.net>" "{tls_version} TLSv1.3 {cipher} TLS_AES_256_GCM_SHA384 {cipher_bits} \"$_b\"")
expect $REFUSED
quit
EOF
done

# ------------------------------------------------------ {tls_version}
for _v in TLSv9.9 SSLv2 DTLSv1.2 "TLSv1.2 " "TLSv1.3\x01" unknown; do
	row "{tls_version}=\"$_v\": not recognised, refused" action=reject <<EOF
optneg
$(conn)
$(mail "<a@example.net>" "{tls_version} \"$_v\" {cipher} TLS_AES_256_GCM_SHA384 {cipher_bits} 256")
expect $REFUSED
quit
EOF
done

# ----------------------------------------------------- missing macros
row "no macro at all at MAIL (request not honoured): 451 4.3.5" action=tempfail <<EOF
optneg
$(conn)
macro M
mail <a@example.net>
$UNKNOWN
quit
EOF
row "no CONNECT information (family unknown), no macros: 451 4.3.5" action=tempfail <<EOF
optneg 0xff
macro C
connect unknown U
expect noreply
mail <a@example.net>
$UNKNOWN
quit
EOF

# ------------------------------------------------ events out of order
row "STARTTLS twice (two EHLO with TLS): accepted" action=accept <<EOF
optneg
$(conn)
$(helo mx.example)
abort
$(helo mx.example "$TLS13")
abort
$(helo other.example "$TLS13")
$(mail "<a@example.net>" "$TLS13")
expect accept
quit
EOF
row "TLS macros at EHLO only, none with MAIL: libmilter keeps them, accepted" action=accept <<EOF
optneg
$(conn)
$(helo mx.example "$TLS13")
$(mail "<a@example.net>")
expect accept
quit
EOF
row "MAIL without EHLO, plaintext: refused" action=reject <<EOF
optneg
$(conn)
$(mail "<a@example.net>")
expect $REFUSED
quit
EOF
row "MAIL without CONNECT or EHLO: refused" action=reject <<EOF
optneg
$(mail "<a@example.net>")
expect $REFUSED
quit
EOF
row "RCPT without MAIL: libmilter ignores it, nothing decided" none 2 <<EOF
optneg
$(conn)
macro R {rcpt_addr} b@example.org
rcpt <b@example.org>
expect continue
EOF

# --------------------------------------------------------------- end
if [ -s "$TMP/syslogcap.err" ]; then
	not_ok "t/syslogcap kept every message"
	diag <"$TMP/syslogcap.err"
fi
stop "$MPID"
MPID=
_stats=$(cat "$MSGS"/* | LC_ALL=C grep -c 'stats: ')
if [ "$_stats" -gt 0 ] && ! LC_ALL=C grep -lq '[[:cntrl:]]' "$MSGS"/*; then
	ok "stopped cleanly; nothing it ever sent to syslog holds a control byte ($(nmsgs) messages)"
else
	not_ok "stopped cleanly; nothing it ever sent to syslog holds a control byte"
	LC_ALL=C grep -l '[[:cntrl:]]' "$MSGS"/* | diag
fi
echo "1..$T"
[ $FAILED -eq 0 ]
