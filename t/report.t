#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# report.t - tls-policy-report on logs made of the daemon's own lines
# (tls-policy-milter -q prints the fields a decision line carries) in
# every form the report reads, mixed with hostile ones: another
# program's line holding a forged decision, lines cut short, of a future
# format, badly escaped, 70 KiB long, with a NUL byte or invalid UTF-8.
# Checks the counts, what is skipped and why, the replay under the same
# policy (nothing changes), under a stricter one (exactly the session it
# refuses is newly refused, exit 1), under a broken one (exit 2), and
# gzip and standard input; and -s: the policy the log supports, which
# loads without a warning and refuses nothing of the log it came
# from; and journalctl -o json: the same decisions as strings and as
# byte arrays read as the syslog lines do, and hostile entries (the
# milter's identifier forged inside another's MESSAGE, cut short, bad
# escapes, a field twice, 70 KiB) are not counted or are skipped with
# their reasons.  (The end-to-end tests replay every decision
# the real MTAs' sessions made: t/lib/scenarios.sh.)
# Prints TAP.

set -u
: "${top_srcdir:=.}" "${top_builddir:=.}"
MILTER=$top_builddir/tls-policy-milter
REPORT=$top_builddir/tls-policy-report
SAMPLE=$top_srcdir/etc/tls-policy-milter.conf
TMP=
. "$top_srcdir/t/lib/tap.sh"
cleanup() { [ -z "$TMP" ] || rm -rf "$TMP"; }
tap_tmpdir report

echo "1..27"

# line PREFIX WORDS...: the decision -q makes, as the daemon logs it after
# PREFIX ("Dec  6 08:30:00 mx1 tls-policy-milter[42]:").
line() {
	_p=$1
	shift
	"$MILTER" -c "$SAMPLE" -q "$@" 2>/dev/null | head -n 1 |
	    sed "s/^\([a-z]*\) /$_p NOQUEUE: action=\1 /"
}
B='Dec  6 08:30:00 mx1 tls-policy-milter[42]:'
I='2026-12-06T08:30:02.123456+00:00 mx2 tls-policy-milter[43]:'
{
	line "$B" client_addr=192.0.2.7 tls_version=TLSv1.2 cipher_bits=128 \
	    sender=a@partner.example recipient=b@example.org
	line "$B" client_addr=192.0.2.7 sender=a@example.net \
	    recipient=b@finance.example.org
	line "$I" client_addr=192.0.2.8 tls_version=TLSv1.2 \
	    cipher=ECDHE-RSA-AES256-GCM-SHA384 cipher_bits=256 \
	    sender=a@example.net recipient=b@finance.example.org
	line "$I" client_addr=198.51.100.9 sender=a@example.net \
	    recipient=b@example.org
	line 'tls-policy-milter[44]:' client_addr=127.0.0.1 sender=x@y.example \
	    recipient=b@example.org
	# the milter's other lines
	echo "$B starting: policy /etc/x.conf with 4 rules"
	# another program's line carrying a decision a client wrote
	echo 'Dec  6 08:30:01 mx1 postfix/smtpd[9]: warning: helo=<mx1 tls-policy-milter[42]: NOQUEUE: action=reject rule="partner" stage=mail mta=postfix client=unknown[192.0.2.1] tls=none reason="r" format=1>'
	echo 'tls-policy-milterX[1]: NOQUEUE: action=reject rule="partner" stage=mail mta=postfix client=unknown[192.0.2.1] tls=none reason="r" format=1'
	# the milter's, unreadable
	echo "$B NOQUEUE: action=reject rule=\"partner\" stage=mail mta=postfix client=unknown[192.0.2.1] tls=none reason=\"r"
	echo "$B NOQUEUE: action=reject rule=\"partner\" stage=mail shiny=1 reason=\"r\" format=2"
	echo "$B NOQUEUE: action=reject rule=\"partner\" stage=mail mta=postfix client=unknown[192.0.2.1] helo=<a\\qb> tls=none reason=\"r\" format=1"
	printf '%s NOQUEUE: action=reject rule="p" stage=mail mta=postfix client=unknown[192.0.2.1] helo=<\303\050> tls=none reason="r" format=1\n' "$B"
	printf '%s NOQUEUE: action=reject rule="p" stage=mail mta=postfix client=unknown[192.0.2.1] helo=<a\000b> tls=none reason="r" format=1\n' "$B"
	printf '%s NOQUEUE: action=reject rule="p" stage=mail mta=postfix client=unknown[192.0.2.1] helo=<' "$B"
	head -c 70000 /dev/zero | tr '\0' a
	printf '> tls=none reason="r" format=1\n'
} >"$TMP/mail.log"

out=$("$REPORT" "$TMP/mail.log" 2>&1)
rc=$?
case $out in
"5 decisions from Dec  6 08:30:00 to 2026-12-06T08:30:02.123456+00:00 (1 other lines of the milter's, 2 of other programs)"*)
	[ $rc -eq 0 ] && ok "summary: 5 decisions, the milter's other line, two forged ones not counted" ||
		{ not_ok "summary exits 0"; echo "$out" | diag; } ;;
*)	not_ok "summary: 5 decisions, the milter's other line, two forged ones not counted"
	echo "$out" | diag ;;
esac

# skipped, each with its reason
for why in "the line is cut short" "another format version" \
    "a value badly escaped" "a line longer than 64 KiB"; do
	if printf '%s\n' "$out" | grep -Eq "^ +[0-9]+  $why\$"; then
		ok "skipped with a reason: $why"
	else
		not_ok "skipped with a reason: $why"
		echo "$out" | diag
	fi
done

# the tables a person reads
if printf '%s\n' "$out" | grep -Eq '^ +1 +1 +0 +0  finance$' &&
    printf '%s\n' "$out" | grep -Eq '^ +2 +0  192\.0\.2\.0/24$' &&
    printf '%s\n' "$out" | grep -Eq '^ +0 +2 +0 +0  mx1$' &&
    printf '%s\n' "$out" | grep -Eq '^ +2 +0 +0 +0  mx2$'; then
	ok "per rule and action, per client network, per host"
else
	not_ok "per rule and action, per client network, per host"
	echo "$out" | diag
fi

# replay under the same policy: nothing changes
out=$("$REPORT" -c "$SAMPLE" "$TMP/mail.log" 2>&1)
rc=$?
if [ $rc -eq 0 ] && printf '%s\n' "$out" |
    grep -q '^replayed 5 decisions under the candidate: 5 unchanged, 0 newly refused, 0 newly accepted, 0 decided by another rule, 0 monitor lines not reproduced$'; then
	ok "replay under the same policy: 5 unchanged, exit 0"
else
	not_ok "replay under the same policy: 5 unchanged, exit 0 (exit $rc)"
	echo "$out" | diag
fi

# a stricter policy: exactly the plaintext session nobody refused is
# newly refused, with its line
cp "$SAMPLE" "$TMP/strict.conf"
printf 'rule "everyone" {\n    require = "encrypt"\n}\n' >>"$TMP/strict.conf"
chmod 600 "$TMP/strict.conf"
out=$("$REPORT" -c "$TMP/strict.conf" "$TMP/mail.log" 2>&1)
rc=$?
if [ $rc -eq 1 ] && printf '%s\n' "$out" |
    grep -q '^replayed 5 decisions under the candidate: 4 unchanged, 1 newly refused, ' &&
    printf '%s\n' "$out" | grep -q '^ *1  newly refused rule=everyone client=198.51.100.0/24 from-domain=example.net$' &&
    printf '%s\n' "$out" | grep -q 'e\.g\. NOQUEUE: action=accept rule=- stage=rcpt .*client=unknown\[198\.51\.100\.9\]'; then
	ok "replay under a stricter policy: the one session it refuses, exit 1"
else
	not_ok "replay under a stricter policy: the one session it refuses, exit 1 (exit $rc)"
	echo "$out" | diag
fi

# a broken candidate
printf 'rule "x" {\n    require = "maybe"\n}\n' >"$TMP/broken.conf"
chmod 600 "$TMP/broken.conf"
out=$("$REPORT" -c "$TMP/broken.conf" "$TMP/mail.log" 2>&1)
rc=$?
[ $rc -eq 2 ] && printf '%s\n' "$out" | grep -q 'broken.conf:2: require' &&
	ok "a broken candidate: its problems, exit 2" ||
	{ not_ok "a broken candidate: its problems, exit 2 (exit $rc)"; echo "$out" | diag; }

# gzip, standard input, and a missing file
gzip -c "$TMP/mail.log" >"$TMP/mail.log.1.gz"
a=$("$REPORT" "$TMP/mail.log" | head -n 1)
b=$("$REPORT" "$TMP/mail.log.1.gz" | head -n 1)
c=$("$REPORT" <"$TMP/mail.log" | head -n 1)
[ "$a" = "$b" ] && ok "a gzip log reads as the plain one" ||
	{ not_ok "a gzip log reads as the plain one"; printf '%s\n%s\n' "$a" "$b" | diag; }
[ "$a" = "$c" ] && ok "standard input reads as the file" ||
	{ not_ok "standard input reads as the file"; printf '%s\n%s\n' "$a" "$c" | diag; }
# The reader's edges: lines across every boundary of its 256 KiB reads,
# a line of 64 KiB exactly (read), one byte more and 600 KiB (skipped
# whole, the next line read), a last line with no newline; plain, gzip
# and standard input alike.
d=$(head -n 1 "$TMP/mail.log")	# a decision line
{
	for i in $(seq 4000); do printf '%s\n' "$d"; done
	head -c 65536 /dev/zero | tr '\0' x; echo
	head -c 65537 /dev/zero | tr '\0' x; echo
	head -c 614400 /dev/zero | tr '\0' x; echo
	printf '%s\n%s' "$d" "$d"
} >"$TMP/edges.log"
gzip -c "$TMP/edges.log" >"$TMP/edges.log.gz"
bad=
for how in file gzip stdin; do
	case $how in
	file) out=$("$REPORT" "$TMP/edges.log" 2>&1) ;;
	gzip) out=$("$REPORT" "$TMP/edges.log.gz" 2>&1) ;;
	stdin) out=$("$REPORT" <"$TMP/edges.log" 2>&1) ;;
	esac
	case $out in
	"4002 decisions "*" 1 of other programs)"*) ;;
	*) bad="$bad $how" ;;
	esac
	printf '%s\n' "$out" | grep -Eq '^ +2  a line longer than 64 KiB$' ||
		bad="$bad $how"
done
[ -z "$bad" ] && ok "the reader: lines across its reads, 64 KiB read, longer skipped whole, no last newline" ||
	{ not_ok "the reader's edges (wrong:$bad)"; echo "$out" | diag; }

"$REPORT" "$TMP/nonesuch" >/dev/null 2>"$TMP/err"
rc=$?
[ $rc -eq 2 ] && grep -q 'nonesuch: No such file' "$TMP/err" &&
	ok "a missing input: exit 2" || not_ok "a missing input: exit 2 (exit $rc)"

# JSON: one object, with the replay's counts
out=$("$REPORT" -j -c "$TMP/strict.conf" "$TMP/mail.log")
case $out in
'{"decisions":5,'*'"newly_refused":1,'*'}') ok "-j: one JSON object with the counts" ;;
*) not_ok "-j: one JSON object with the counts"; echo "$out" | diag ;;
esac
[ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] && ok "-j: on one line" ||
	not_ok "-j: on one line"

# -s: partner.example always came over TLS 1.3 with its verified
# certificate; sometimes.example once in plaintext; quote.example's
# issuer needs quoting (", \ and "${" in a libconfuse string)
{
	for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
		line "$B" client_addr=192.0.2.7 client_name=mx1.partner.example \
		    tls_version=TLSv1.3 cipher_bits=256 \
		    cert_subject=mx1.partner.example \
		    'cert_issuer=Partner Issuing CA' \
		    sender="a$i@partner.example" recipient=b@example.org
		line "$I" client_addr="198.51.100.$i" tls_version=TLSv1.2 \
		    cipher_bits=128 sender=x@sometimes.example \
		    recipient=b@finance.example.org
		line "$I" client_addr=2001:db8:1::5 tls_version=TLSv1.2 \
		    cipher_bits=128 cert_subject=a.quote.example \
		    'cert_issuer=Q"uote ${HOME}\ CA' sender=x@quote.example \
		    recipient=b@example.org
	done
	line "$B" client_addr=198.51.100.99 sender=x@sometimes.example \
	    recipient=b@example.org
	line "$B" sender='<>' recipient=b@example.org
} >"$TMP/suggest.log"
"$REPORT" --suggest "$TMP/suggest.log" >"$TMP/suggest.conf" 2>"$TMP/err"
rc=$?
chmod 600 "$TMP/suggest.conf"
out=$("$MILTER" -n -c "$TMP/suggest.conf" 2>&1)
nrc=$?
if [ $rc -eq 0 ] && [ $nrc -eq 0 ] && [ -z "$out" ] &&
    grep -q '^tls-policy-report: 4 rules from 38 decisions' "$TMP/err"; then
	ok "-s: 4 rules, a policy -n loads without a word"
else
	not_ok "-s: 4 rules, a policy -n loads without a word (exit $rc)"
	{ echo "$out"; cat "$TMP/err" "$TMP/suggest.conf"; } | diag
fi
if awk '/^rule "suggest-partner.example" \{$/,/^\}$/' "$TMP/suggest.conf" |
    tr -s ' ' | tr '\n' '|' | grep -qx '[^|]*| sender = {"partner.example"}| require = "secure"| min_protocol = "TLSv1.3"| min_cipher_bits = 256| cert_name = {"mx1.partner.example"}| cert_issuer = {"Partner Issuing CA"}|}|' &&
    grep -q '^# 12 decisions, from Dec  6 08:30:00 to Dec  6 08:30:00, logged by mx1$' "$TMP/suggest.conf"; then
	ok "-s: partner.example must come secure, TLSv1.3, its name and CA; the evidence"
else
	not_ok "-s: partner.example must come secure, TLSv1.3, its name and CA; the evidence"
	diag <"$TMP/suggest.conf"
fi
if ! grep -q 'sometimes\.example\|198\.51\.100' "$TMP/suggest.conf" &&
    grep -q 'cert_issuer     = {"Q\\"uote \\x24{HOME}\\\\ CA"}' "$TMP/suggest.conf" &&
    grep -q '^    client_addr     = {"2001:db8:1::/48"}$' "$TMP/suggest.conf"; then
	ok "-s: no rule for a domain or network once in plaintext; quoting; an IPv6 /48"
else
	not_ok "-s: no rule for a domain or network once in plaintext; quoting; an IPv6 /48"
	diag <"$TMP/suggest.conf"
fi
out=$("$REPORT" -c "$TMP/suggest.conf" "$TMP/suggest.log" 2>&1)
rc=$?
if [ $rc -eq 0 ] && printf '%s\n' "$out" |
    grep -q '^replayed 38 decisions under the candidate: [0-9]* unchanged, 0 newly refused, '; then
	ok "-s: the log replayed under its suggestion: 0 newly refused, exit 0"
else
	not_ok "-s: the log replayed under its suggestion: 0 newly refused, exit 0 (exit $rc)"
	echo "$out" | diag
fi
"$REPORT" -s --min-sessions 13 "$TMP/suggest.log" >"$TMP/none.conf" 2>/dev/null
rc=$?
"$REPORT" -s -m x "$TMP/suggest.log" >/dev/null 2>&1
rc_m=$?
"$REPORT" -s -c "$SAMPLE" "$TMP/suggest.log" >/dev/null 2>&1
rc_c=$?
if [ $rc -eq 0 ] && ! grep -q '^rule' "$TMP/none.conf" && [ $rc_m -eq 2 ] &&
    [ $rc_c -eq 2 ]; then
	ok "-s -m 13: nobody seen that often; -m x and -s -c: exit 2"
else
	not_ok "-s -m 13: nobody seen that often; -m x and -s -c: exit 2 ($rc $rc_m $rc_c)"
	diag <"$TMP/none.conf"
fi
# A value decoded from the log holds whatever bytes the client sent (the
# line writes them as \xHH): the tables must not hand them to a terminal.
for a in reject accept; do
	printf '%s NOQUEUE: action=%s rule="p" stage=mail mta=postfix client=evil\\x1bname[192.0.2.9] from=<a@x\\x07.example> tls=none reason="r\\x1b]0;owned\\x07" format=1\n' "$B" $a
done >"$TMP/escape.log"
for opt in "" "-c $TMP/strict.conf"; do
	# shellcheck disable=SC2086
	out=$("$REPORT" $opt "$TMP/escape.log" 2>&1)
	if ! printf '%s' "$out" | tr -d '\n' | LC_ALL=C grep -q '[[:cntrl:]]' &&
	    printf '%s\n' "$out" | grep -qF 'x\x07.example'; then
		ok "tables ${opt:+of -c }show a control byte a client sent as \\xHH"
	else
		not_ok "tables ${opt:+of -c }show a control byte a client sent as \\xHH"
		printf '%s\n' "$out" | od -c | head -20 | diag
	fi
done
# Rotated logs globbed newest first (mail.log mail.log.1): the period
# still runs from the earliest stamp to the latest.
line 'Dec  6 09:00:00 mx1 tls-policy-milter[42]:' client_addr=192.0.2.7 \
    sender=a@example.net recipient=b@example.org >"$TMP/new.log"
line 'Nov 27 07:00:00 mx1 tls-policy-milter[42]:' client_addr=192.0.2.7 \
    sender=a@example.net recipient=b@example.org >"$TMP/old.log"
line 'Dec  1 12:00:00 mx1 tls-policy-milter[42]:' client_addr=192.0.2.7 \
    sender=a@example.net recipient=b@example.org >>"$TMP/old.log"
out=$("$REPORT" "$TMP/new.log" "$TMP/old.log" 2>&1)
case $out in
"3 decisions from Nov 27 07:00:00 to Dec  6 09:00:00 "*)
	ok "the period from the earliest stamp to the latest, files read newest first" ;;
*)	not_ok "the period from the earliest stamp to the latest, files read newest first"
	echo "$out" | diag ;;
esac

# ------------------------------------------------------ journalctl -o json

# jstr TEXT: TEXT inside a JSON string; jbytes TEXT: as an array of byte
# values; jentry HOST MESSAGE-JSON [MORE]: a line of journalctl -o json,
# the milter's, logged at 08:30:00.123456 UTC on HOST ("" for none).
jstr() { printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g'; }
jbytes() {
	printf '[%s]' "$(printf '%s' "$1" | od -An -v -tu1 | tr -s ' \n' ',,' |
	    sed 's/^,//; s/,$//')"
}
jentry() {
	printf '{"__CURSOR":"s=1","__REALTIME_TIMESTAMP":"1796545800123456",%s"SYSLOG_IDENTIFIER":"tls-policy-milter","SYSLOG_PID":"42","MESSAGE":%s%s}\n' \
	    "${1:+\"_HOSTNAME\":\"$1\",}" "$2" "${3:-}"
}

# The decisions of mail.log, as the journal gives them: a string with
# its escapes, or (every other one) an array of byte values.
n=0
grep -a 'tls-policy-milter\[[0-9]*\]: NOQUEUE: action=.* format=1$' \
    "$TMP/mail.log" | grep -av 'helo=<' |
while IFS= read -r l; do
	m=${l#*tls-policy-milter\[*\]: }
	case $l in
	tls-policy-milter*) h= ;;
	*) h=${l%% tls-policy-milter\[*}; h=${h##* } ;;
	esac
	n=$((n + 1))
	if [ $((n % 2)) -eq 0 ]; then
		jentry "$h" "$(jbytes "$m")"
	else
		jentry "$h" "\"$(jstr "$m")\""
	fi
done >"$TMP/journal.json"
a=$("$REPORT" -c "$SAMPLE" "$TMP/mail.log" 2>&1 | sed 1d |
    sed '/^skipped lines/,/^$/d')
b=$("$REPORT" -c "$SAMPLE" "$TMP/journal.json" 2>&1)
if [ "$(printf '%s\n' "$b" | sed 1d)" = "$a" ] &&
    [ "$(grep -c '"MESSAGE":\[' "$TMP/journal.json")" -eq 2 ]; then
	ok "-o json: strings and byte arrays read as the syslog lines (tables, hosts, replay)"
else
	not_ok "-o json: strings and byte arrays read as the syslog lines (tables, hosts, replay)"
	{ echo "syslog:"; echo "$a"; echo "journal:"; echo "$b"; } | diag
fi
case $b in
"5 decisions from 2026-12-06T08:30:00.123456+00:00 to 2026-12-06T08:30:00.123456+00:00 (0 other lines of the milter's, 0 of other programs)"*)
	ok "-o json: the time from __REALTIME_TIMESTAMP, in UTC" ;;
*)	not_ok "-o json: the time from __REALTIME_TIMESTAMP, in UTC"
	echo "$b" | diag ;;
esac

# Hostile entries, each with the reason it is skipped, or not the
# milter's at all.
D=$(line '' client_addr=192.0.2.9 sender=a/b@example.net \
    recipient=b@example.org | sed 's/^ //')
DJ=$(jstr "$D")
{
	# read: escapes decoded (\u002d "-", \u0040 "@", \/ "/", a surrogate
	# pair in another field), no host but SYSLOG_TIMESTAMP; the milter's
	# other line
	printf '{"SYSLOG_IDENTIFIER":"tls-policy-milter","SYSLOG_TIMESTAMP":"Dec  6 08:30:09 ","_COMM":"\\ud83d\\ude00","MESSAGE":"%s"}\n' \
	    "$(printf '%s' "$DJ" | sed 's/rule=-/rule=\\u002d/; s|a/b@|a\\/b\\u0040|')"
	jentry mx1 '"starting: \u00fc\ud83d\ude00"'
	# forged: another program's entry holding the milter's in its MESSAGE
	printf '{"_HOSTNAME":"mx1","SYSLOG_IDENTIFIER":"postfix/smtpd","MESSAGE":"warning: helo=<x\\",\\"SYSLOG_IDENTIFIER\\":\\"tls-policy-milter\\",\\"MESSAGE\\":\\"%s>"}\n' \
	    "$(jstr "$DJ")"
	printf '{"SYSLOG_IDENTIFIER":"tls-policy-milter[42]","MESSAGE":"%s"}\n' "$DJ"
	printf '{"SYSLOG_IDENTIFIER":"tls-policy-milter\\u0000","MESSAGE":"%s"}\n' "$DJ"
	printf '{"MESSAGE":"%s"}\n' "$DJ"
	printf '{"SYSLOG_IDENTIFIER":"postfix","MESSAGE":"%s","SYSLOG\\u005fIDENTIFIER":"tls-policy-milter"}\n' "$DJ"
	# unreadable
	jentry mx1 "\"$DJ\"" | cut -c 1-200
	jentry mx1 "\"$DJ"
	jentry mx1 '"NOQUEUE: action=accept \x41"'
	jentry mx1 '"NOQUEUE: action=accept \u12G4"'
	jentry mx1 '"NOQUEUE: action=accept \ud800 alone"'
	jentry mx1 '"NOQUEUE: action=accept \udc00"'
	jentry mx1 "\"$(printf 'NOQUEUE: action=accept\tx')\""
	jentry mx1 "\"$(printf '%s' "$DJ" | sed 's/format=1/\\u0000format=1/')\""
	jentry mx1 "\"$(printf '%s' "$DJ" | sed 's/ format=1/\\nformat=1/')\""
	jentry mx1 null
	jentry mx1 '["a","b"]'
	jentry mx1 '[78,79,256]'
	jentry mx1 '[78,79,]'
	jentry mx1 "\"$DJ\"" ',"MESSAGE":"x"'
	jentry mx1 "\"$DJ\"" ',"X":[[[[[[[[[1]]]]]]]]]'
	printf '{"SYSLOG_IDENTIFIER":"tls-policy-milter"}\n'
	printf '{"SYSLOG_IDENTIFIER" "tls-policy-milter"}\n'
	jentry mx1 "\"$DJ\"" | sed 's/$/ x/'
	jentry mx1 "\"$(printf '%s' "$DJ" | sed 's/format=1/format=2/')\""
	jentry mx1 "\"$(printf '%s' "$DJ" | sed 's/format=1/x=&/')" |
	    sed "s/x=/$(head -c 70000 /dev/zero | tr '\0' a)/"
} >"$TMP/hostile.json"
out=$("$REPORT" -t 30 "$TMP/hostile.json" 2>&1)
case $out in
"1 decisions from Dec  6 08:30:09 to Dec  6 08:30:09 (1 other lines of the milter's, 4 of other programs)"*)
	ok "-o json: the one decision escaped, the milter's other line; 4 forged or another's not counted" ;;
*)	not_ok "-o json: the one decision escaped, the milter's other line; 4 forged or another's not counted"
	echo "$out" | diag ;;
esac
want="4 an invalid escape in a JSON string
2 a JSON line cut short
2 a JSON object with a field twice
2 a byte value that is none in a JSON array
2 a control byte in a MESSAGE
1 JSON nested too deeply
1 a JSON line malformed
1 a MESSAGE journalctl left out (over 4096 bytes: journalctl --all)
1 a MESSAGE that is not one value
1 a control byte in a JSON string
1 a journal entry without a MESSAGE
1 a line longer than 64 KiB
1 another format version
1 text after a JSON object"
got=$(printf '%s\n' "$out" | sed -n '/^skipped lines/,/^$/p' | sed '1d;$d' |
    sed 's/^ *\([0-9]*\)  /\1 /' | LC_ALL=C sort -k1,1nr -k2)
if [ "$got" = "$(printf '%s\n' "$want" | LC_ALL=C sort -k1,1nr -k2)" ]; then
	ok "-o json: each hostile entry skipped with its reason"
else
	not_ok "-o json: each hostile entry skipped with its reason"
	printf 'want:\n%s\ngot:\n%s\n' "$want" "$got" | diag
fi
exit 0
