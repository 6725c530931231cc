#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# cli.t - the command line: -V, -h, -n, -q and the daemon's refusals to
# start, against the sample policy and small policies written here.
# Prints TAP; run by "make check" (top_srcdir and top_builddir are set).

set -u
: "${top_srcdir:=.}" "${top_builddir:=.}"
bin="$top_builddir/tls-policy-milter"
sample="$top_srcdir/etc/tls-policy-milter.conf"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cli.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM

. "$top_srcdir/t/lib/tap.sh"	# ok, not_ok, skip, diag
# run CMD...: run with stdout, stderr and status kept in $tmp
run() {
	"$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}
# expect_run DESCRIPTION STATUS STDOUT-PATTERN STDERR-PATTERN CMD...
# The patterns are grep -E expressions; "" means "must be empty".
expect_run() {
	desc=$1 want=$2 outpat=$3 errpat=$4
	shift 4
	run "$@"
	why=""
	[ "$rc" -eq "$want" ] || why="exit status $rc, wanted $want"
	if [ -z "$outpat" ]; then
		[ -s "$tmp/out" ] && why="$why; stdout not empty"
	elif ! grep -Eq -- "$outpat" "$tmp/out"; then
		why="$why; stdout does not match $outpat"
	fi
	if [ -z "$errpat" ]; then
		[ -s "$tmp/err" ] && why="$why; stderr not empty"
	elif ! grep -Eq -- "$errpat" "$tmp/err"; then
		why="$why; stderr does not match $errpat"
	fi
	if [ -z "$why" ]; then
		ok "$desc"
	else
		not_ok "$desc" "$why
stdout: $(cat "$tmp/out")
stderr: $(cat "$tmp/err")"
	fi
}



expect_run "-V prints the version" 0 '^tls-policy-milter [0-9]+\.[0-9]+' "" "$bin" -V
expect_run "-h prints the usage" 0 '^usage: tls-policy-milter' "" "$bin" -h
expect_run "an unknown option is a usage error (64)" 64 "" '^usage:' "$bin" -Z
expect_run "-n on the sample policy: valid, silent" 0 "" "" "$bin" -n -c "$sample"

cat >"$tmp/broken.conf" <<'EOF'
# two problems, reported together
rule "a" {
    client_addr = {"10.0.0.1/8"}
    require     = "encrypt"
}
rule "b" {
    require         = "encrypt"
    min_protocol    = "TLSv1.4"
}
EOF
expect_run "-n on a broken policy exits 78 (EX_CONFIG)" 78 "" "broken.conf:3: client_addr" "$bin" -n -c "$tmp/broken.conf"
if grep -q "broken.conf:3: " "$tmp/err" && grep -q "broken.conf:8: min_protocol" "$tmp/err" &&
    [ "$(wc -l <"$tmp/err")" -eq 2 ]; then
	ok "-n reports every problem as FILE:LINE: message"
else
	not_ok "-n reports every problem as FILE:LINE: message" "$(cat "$tmp/err")"
fi
expect_run "-n on a missing file exits 78" 78 "" "nonexistent.conf: cannot open" "$bin" -n -c "$tmp/nonexistent.conf"
expect_run "the daemon refuses to start on a broken policy (78)" 78 "" "broken.conf:3: " "$bin" -f -c "$tmp/broken.conf" -p "unix:$tmp/sock"
[ -e "$tmp/sock" ] && not_ok "no socket is created by a refused start" "$tmp/sock exists" ||
	ok "no socket is created by a refused start"
# include: -n checks the included files, each problem at its own FILE:LINE.
mkdir "$tmp/d" && chmod 755 "$tmp/d"
printf 'rule "b" {\n    sender = {"b.example"}\n    require = "encrypt"\n}\n' >"$tmp/d/b.conf"
printf '# partner a\nrule "a" {\n    sender = {"a.example"}\n    require = "bogus"\n}\n' >"$tmp/d/a.conf"
printf 'include "d/*.conf"\nrule "all" {\n    require = "nonee"\n}\n' >"$tmp/inc.conf"
chmod 644 "$tmp/inc.conf" "$tmp/d/a.conf" "$tmp/d/b.conf"
expect_run "-n reports a problem in an included file at its FILE:LINE" 78 "" \
	"^$tmp/d/a.conf:4: require: \"bogus\"" "$bin" -n -c "$tmp/inc.conf"
if [ "$(cat "$tmp/err")" = "$tmp/d/a.conf:4: require: \"bogus\" is not one of none, encrypt, verify, secure
$tmp/inc.conf:3: require: \"nonee\" is not one of none, encrypt, verify, secure" ]; then
	ok "-n: the main file's lines after an include are its own"
else
	not_ok "-n: the main file's lines after an include are its own" "$(cat "$tmp/err")"
fi
printf 'rule "a" {\n    sender = {"a.example"}\n    require = "encrypt"\n}\n' >"$tmp/d/a.conf"
sed -i 's/nonee/none/' "$tmp/inc.conf"
expect_run "-n on a valid policy with includes: silent" 0 "" "" "$bin" -n -c "$tmp/inc.conf"
chmod 664 "$tmp/d/b.conf"
expect_run "-n refuses an included file its group may write" 78 "" \
	"^$tmp/inc.conf:1: included file $tmp/d/b.conf: may be written by its group" "$bin" -n -c "$tmp/inc.conf"
chmod 644 "$tmp/d/b.conf"
rm "$tmp/d/a.conf" "$tmp/d/b.conf"
expect_run "-n refuses an include that matches no file" 78 "" \
	"^$tmp/inc.conf:1: include \"$tmp/d/\*\.conf\" matches no file" "$bin" -n -c "$tmp/inc.conf"
# Warnings: on stderr after FILE:LINE: warning:, and the status stays 0.
cat >"$tmp/warn.conf" <<'EOF'
rule "a" {
    sender = {"a.example", "A.example."}
    require = "encrypt"
    exclude_ciphers = {"RC4"}
}
rule "b" {
    sender = {"a.example"}
    require = "none"
}
EOF
chmod 644 "$tmp/warn.conf"
run "$bin" -n -c "$tmp/warn.conf"
if [ "$rc" -eq 0 ] && [ ! -s "$tmp/out" ] && [ "$(cat "$tmp/err")" = "$tmp/warn.conf:2: warning: sender: \"A.example.\" in rule \"a\" is the same entry as \"a.example\" (line 2)
$tmp/warn.conf:4: warning: exclude_ciphers: \"RC4\" is no cipher name the MTAs report, so it excludes nothing (patterns match the whole OpenSSL name, e.g. \"ECDHE-RSA-AES256-GCM-SHA384\"): did you mean \"*RC4*\"?
$tmp/warn.conf:6: warning: rule \"b\" can never apply: rule \"a\" (line 1) has the same selectors and always decides first" ]; then
	ok "-n: warnings on stderr as FILE:LINE: warning: ..., exit 0"
else
	not_ok "-n: warnings on stderr as FILE:LINE: warning: ..., exit 0" "rc=$rc
$(cat "$tmp/err")"
fi
printf 'rule "c" {\n    require = "nope"\n}\n' >>"$tmp/warn.conf"
expect_run "-n: a problem with warnings still exits 78" 78 "" \
	'warn.conf:11: require: "nope"' "$bin" -n -c "$tmp/warn.conf"
grep -q 'warn.conf:4: warning: exclude_ciphers' "$tmp/err" &&
	ok "-n: the warnings are printed with the problems" ||
	not_ok "-n: the warnings are printed with the problems" "$(cat "$tmp/err")"
printf 'rule "all" { require = "encrypt" }\n' >"$tmp/nosocket.conf"
expect_run "the daemon needs a socket from -p or the file (78)" 78 "" "no socket" "$bin" -f -c "$tmp/nosocket.conf"
expect_run "KEY=VALUE words without -q are a usage error" 64 "" "KEY=VALUE words go with -q" "$bin" -c "$sample" sender=a@b.example

# -q: the examples the README and the sample policy show.
q() { "$bin" -c "$sample" -q "$@"; }
expect_run "-q: partner mail without a verified certificate is refused at MAIL (exit 1)" 1 \
	'^reject rule="partner" stage=mail .*reply="554 5\.7\.0 Command refused due to lack of security" reason="no verified client certificate \(Postfix tells of one only if asked for, smtpd_tls_ask_ccert, and trusted, smtpd_tls_CAfile\)" format=1$' "" \
	q client_addr=192.0.2.7 tls_version=TLSv1.2 cipher_bits=128 sender=a@partner.example recipient=b@example.org
expect_run "-q: partner mail with the right certificate is accepted" 0 \
	'^accept rule="partner" stage=mail .*cert="mx1.partner.example" cert_name=mx1.partner.example issuer="Partner Issuing CA" reason="requirements met" format=1$' "" \
	q client_addr=192.0.2.7 tls_version=TLSv1.3 cipher_bits=256 cert_subject=mx1.partner.example "cert_issuer=Partner Issuing CA" sender=a@partner.example recipient=b@example.org
expect_run "-q: a certificate for another host is refused (exit 1)" 1 \
	'^reject rule="partner" .*reason="certificate name does not match" format=1$' "" \
	q tls_version=TLSv1.3 cipher_bits=256 cert_subject=mx9.other.example "cert_issuer=Partner Issuing CA" sender=a@partner.example
expect_run "-q: plaintext to finance is refused at RCPT (exit 1)" 1 \
	'^reject rule="finance" stage=rcpt .*to=<b@finance.example.org> tls=none .*reason="TLS not in use" format=1$' "" \
	q client_addr=192.0.2.7 sender=a@example.net recipient=b@finance.example.org
expect_run "-q: TLS 1.2 to finance is accepted" 0 \
	'^accept rule="finance" stage=rcpt .*tls=TLSv1.2 ' "" \
	q client_addr=192.0.2.7 tls_version=TLSv1.2 cipher=ECDHE-RSA-AES256-GCM-SHA384 cipher_bits=256 sender=a@example.net recipient=b@finance.example.org
expect_run "-q: an excluded cipher to finance is refused (exit 1)" 1 \
	'^reject rule="finance" .*reason="cipher DES-CBC3-SHA is excluded" format=1$' "" \
	q tls_version=TLSv1.2 cipher=DES-CBC3-SHA cipher_bits=112 sender=a@example.net recipient=b@finance.example.org
expect_run "-q: TLS 1.0 to finance is refused (exit 1)" 1 \
	'^reject rule="finance" .*reason="TLS version TLSv1 is below TLSv1.2" format=1$' "" \
	q tls_version=TLSv1 cipher_bits=256 sender=a@example.net recipient=b@finance.example.org
expect_run "-q: plaintext elsewhere: no rule, accepted" 0 \
	'^accept rule=- stage=rcpt .*reason="no rule applies" format=1$' "" \
	q client_addr=192.0.2.7 sender=a@example.net recipient=b@example.org
expect_run "-q: localhost needs nothing" 0 \
	'^accept rule="localhost" stage=mail .*tls=none reason="nothing required" format=1$' "" \
	q client_addr=127.0.0.1 sender=a@partner.example recipient=b@finance.example.org
expect_run "-q: a SASL client in plaintext gets the rule's 454 (exit 1)" 1 \
	'^tempfail rule="submission" .*reply="454 4\.7\.0 Use STARTTLS before sending mail"' "" \
	q client_addr=192.0.2.9 auth=alice sender=alice@example.org recipient=bob@example.com
expect_run "-q: a non-numeric cipher_bits is no MTA's: usage error" 64 "" \
	'^tls-policy-milter: -q: cipher_bits: "lots" is not a number$' \
	q tls_version=TLSv1.3 cipher_bits=lots cert_subject=mx1.partner.example "cert_issuer=Partner Issuing CA" sender=a@partner.example
expect_run "-q: an unknown key is a usage error" 64 "" 'is not KEY=VALUE with a known key' \
	q colour=blue
expect_run "-q: a key given twice is a usage error" 64 "" 'sender is given twice' \
	q sender=a@b.example sender=c@d.example
expect_run "-q: a recipient-dependent decision without recipient says so" 0 \
	'^accept rule=- stage=rcpt ' 'depends on the recipient, and none was given' \
	q client_addr=192.0.2.7 sender=a@example.net

# -n -v: the policy as loaded is itself a policy file: it loads without a
# word, prints the same again, and judges sessions as the original does.
expect_run "-n -v prints the policy as loaded" 0 '^rule "partner" \{$' "" \
	"$bin" -n -v -c "$sample"
grep -q '^    client_addr = {"127.0.0.1/32", "::1/128"}$' "$tmp/out" &&
    grep -q '^mta = "auto"$' "$tmp/out" &&
    grep -q '^    reply_xcode = "4.7.0"$' "$tmp/out" &&
	ok "-n -v: networks canonical, defaults filled in" ||
	not_ok "-n -v: networks canonical, defaults filled in" "$(cat "$tmp/out")"
(umask 077 && cp "$tmp/out" "$tmp/printed.conf")
expect_run "-n on the printed policy: valid, silent" 0 "" "" \
	"$bin" -n -c "$tmp/printed.conf"
run "$bin" -n -v -c "$tmp/printed.conf"
cmp -s "$tmp/out" "$tmp/printed.conf" && [ "$rc" -eq 0 ] &&
	ok "-n -v on the printed policy prints it again (a fixed point)" ||
	not_ok "-n -v on the printed policy prints it again (a fixed point)" \
	    "$(diff "$tmp/printed.conf" "$tmp/out")"
same=0 differ=""
while read -r words; do
	eval "set -- $words"	# KEY=VALUE words, quoted as in a shell
	run "$bin" -c "$sample" -q "$@"
	cp "$tmp/out" "$tmp/want"; want_rc=$rc
	run "$bin" -c "$tmp/printed.conf" -q "$@"
	if [ "$rc" -eq "$want_rc" ] && cmp -s "$tmp/out" "$tmp/want"; then
		same=$((same + 1))
	else
		differ="$differ
$words: $(cat "$tmp/want") / $(cat "$tmp/out")"
	fi
done <<'EOF2'
client_addr=192.0.2.7 tls_version=TLSv1.2 cipher_bits=128 sender=a@partner.example recipient=b@example.org
client_addr=192.0.2.7 tls_version=TLSv1.3 cipher_bits=256 cert_subject=mx1.partner.example "cert_issuer=Partner Issuing CA" sender=a@partner.example
client_addr=192.0.2.7 sender=a@example.net recipient=b@finance.example.org
tls_version=TLSv1.2 cipher=DES-CBC3-SHA cipher_bits=112 sender=a@example.net recipient=b@finance.example.org
client_addr=127.0.0.1 sender=a@partner.example recipient=b@finance.example.org
client_addr=::1 "sender=<>" recipient=b@example.org
client_addr=192.0.2.9 auth=alice sender=alice@example.org recipient=bob@example.com
client_addr=192.0.2.9 auth=alice tls_version=TLSv1.3 cipher_bits=256 sender=alice@example.org recipient=bob@example.com
EOF2
[ -z "$differ" ] && [ "$same" -eq 8 ] &&
	ok "-q gives the same verdicts with the printed policy ($same sessions)" ||
	not_ok "-q gives the same verdicts with the printed policy" "$differ"
expect_run "-v without -n is a usage error" 64 "" "-v goes with -n" \
	"$bin" -v -c "$sample"

# -q with several recipients: a line each, in order; the status follows
# the verdicts (0 all accept, 1 one refuses).
run q client_addr=192.0.2.7 sender=a@example.net recipient=b@finance.example.org \
	recipient=c@example.org recipient=d@finance.example.org
got=$(sed 's/ .*to=</ </; s/>.*//' "$tmp/out")
if [ "$rc" -eq 1 ] && [ "$got" = "reject <b@finance.example.org
accept <c@example.org
reject <d@finance.example.org" ] && [ ! -s "$tmp/err" ]; then
	ok "-q: several recipients, a decision line each in order, exit 1"
else
	not_ok "-q: several recipients, a decision line each in order, exit 1" "rc=$rc
$(cat "$tmp/out" "$tmp/err")"
fi
expect_run "-q: every recipient accepted: exit 0" 0 \
	'^accept rule=- stage=rcpt .*to=<c@example.org>' "" \
	q client_addr=192.0.2.7 sender=a@example.net recipient=b@example.org recipient=c@example.org
expect_run "-q: decided at MAIL: one line for all recipients" 0 \
	'^accept rule="localhost" stage=mail ' "" \
	q client_addr=127.0.0.1 sender=a@example.net recipient=b@finance.example.org recipient=c@example.org
[ "$(wc -l <"$tmp/out")" -eq 1 ] && ok "-q: decided at MAIL: exactly one line" ||
	not_ok "-q: decided at MAIL: exactly one line" "$(cat "$tmp/out")"
# Values no MTA could send are usage errors, each with its reason.
expect_run "-q: client_addr that is no IP address: exit 64" 64 "" \
	'^tls-policy-milter: -q: client_addr: "203\.0\.113\.999" is not an IP address$' \
	q client_addr=203.0.113.999 sender=a@example.net
expect_run "-q: listener_port 0: exit 64" 64 "" \
	'^tls-policy-milter: -q: listener_port: "0" is not a port number \(1 to 65535\)$' \
	q listener_port=0
expect_run "-q: listener_port 65536: exit 64" 64 "" 'listener_port: "65536" is not a port' \
	q listener_port=65536
expect_run "-q: listener_addr that is no IP address: exit 64" 64 "" \
	'listener_addr: "mx\.example" is not an IP address' q listener_addr=mx.example
expect_run "-q: tls_version may be anything an MTA sends" 1 '^reject ' "" \
	q tls_version=garbage cipher_bits=256 sender=a@example.net recipient=b@finance.example.org
expect_run "-q: a policy problem: exit 78" 78 "" "broken.conf:3: " \
	"$bin" -c "$tmp/broken.conf" -q sender=a@example.net

# -q -: one session a line on stdin, the policy loaded once; a bad line is
# reported with its number and skipped, and the status is then 64.
printf '%s\n' 'client_addr=127.0.0.1 sender=a@x.example' \
	'client_addr=192.0.2.7 sender=a@example.net recipient=b@finance.example.org recipient=c@example.org' \
	'' \
	'tls_version=TLSv1.3 cipher_bits=256 cert_subject=mx1.partner.example cert_issuer="Partner Issuing CA" sender=a@partner.example' \
	>"$tmp/q.in"
run "$bin" -c "$sample" -q - <"$tmp/q.in"
got=$(cut -d' ' -f1-3 "$tmp/out")
if [ "$rc" -eq 1 ] && [ "$got" = 'accept rule="localhost" stage=mail
reject rule="finance" stage=rcpt
accept rule=- stage=rcpt
accept rule="partner" stage=mail' ] && [ ! -s "$tmp/err" ]; then
	ok "-q -: the lines of each session, quotes kept together, exit 1 for a refusal"
else
	not_ok "-q -: the lines of each session, quotes kept together, exit 1 for a refusal" "rc=$rc
$(cat "$tmp/out" "$tmp/err")"
fi
printf '%s\n' 'client_addr=127.0.0.1 sender=a@x.example' 'client_addr=203.0.113.999' \
	'colour=blue' 'cert_issuer="open' 'client_addr=192.0.2.7 sender=a@example.net recipient=b@example.org' \
	>"$tmp/q.in"
run "$bin" -c "$sample" -q - <"$tmp/q.in"
if [ "$rc" -eq 64 ] && [ "$(cut -d' ' -f1 "$tmp/out" | tr '\n' ' ')" = "accept accept " ] &&
    [ "$(sed 's/ (.*//' "$tmp/err")" = 'tls-policy-milter: -q: line 2: client_addr: "203.0.113.999" is not an IP address
tls-policy-milter: -q: line 3: "colour=blue" is not KEY=VALUE with a known key
tls-policy-milter: -q: line 4: a '"'"'"'"'"' is never closed' ]; then
	ok "-q -: bad lines reported with their numbers and skipped, the rest judged, exit 64"
else
	not_ok "-q -: bad lines reported with their numbers and skipped, the rest judged, exit 64" "rc=$rc
$(cat "$tmp/out" "$tmp/err")"
fi
: >"$tmp/q.in"
expect_run "-q -: no input, nothing to refuse: exit 0" 0 "" "" "$bin" -c "$sample" -q - <"$tmp/q.in"

echo "1..$T"
