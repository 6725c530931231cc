#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# t/demo.sh: "see it work" -- the quick start's first command (make demo).
#
# Starts a throwaway Postfix on 127.0.0.1 (own configuration, queue and log
# in a temporary directory; the machine's mail system is not touched),
# attaches tls-policy-milter running the sample policy
# etc/tls-policy-milter.conf, sends one message in plaintext (refused) and
# one over STARTTLS (accepted and delivered), shows the milter's log lines,
# and cleans everything up.  Builds nothing: "make demo" built the daemon.
# Needs root (Postfix's master runs as root), swaks, gnutls-bin.

[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"

top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
if [ -z "${top_builddir:-}" ]; then
	# make demo runs us from the build directory.
	if [ -x ./tls-policy-milter ]; then top_builddir=$PWD; else top_builddir=$top_srcdir; fi
fi
PATH=$PATH:/usr/sbin:/sbin

die() {
	echo "demo: $*" >&2
	exit 1
}

[ "$(id -u)" -eq 0 ] ||
	die "runs a private Postfix, which needs root: try 'sudo make demo'"
for _tool in postfix swaks gnutls-cli certtool; do
	command -v "$_tool" >/dev/null 2>&1 ||
		die "$_tool is missing (Debian: apt-get install postfix swaks gnutls-bin)"
done
MILTER=$top_builddir/tls-policy-milter
[ -x "$MILTER" ] || die "$MILTER is not built: run 'make demo' (or 'make' first)"
POLICY=$top_srcdir/etc/tls-policy-milter.conf
[ -r "$POLICY" ] || die "the sample policy $POLICY is missing"

. "$top_srcdir/t/lib/pki.sh"
. "$top_srcdir/t/lib/postfix.sh"

# show_session TRANSCRIPT: the interesting part of a swaks transcript,
# indented: the commands (not the message itself) and the replies, a
# multi-line EHLO reply folded into one line.
show_session() {
	awk '
		/^ *[-~]> / {
			line = $0; sub(/^ *[-~]> /, "", line)
			if (indata) next
			if (line == "DATA") indata = 1
			if (line != "QUIT") print "     client: " line
			next
		}
		/^ *<[-~*]/ {
			line = $0; sub(/^ *<[-~*]+ +/, "", line)
			if (line ~ /^[0-9][0-9][0-9]-/) {
				if (multi == "") multi = substr(line, 5) " offers:"
				else multi = multi " " substr(line, 5)
				next
			}
			if (multi != "") {
				line = substr(line, 1, 4) multi " " substr(line, 5)
				multi = ""
			}
			if (indata && line ~ /^250 /) indata = 0
			if (line !~ /^221 /) print "     server: " line
			next
		}
		/^=== TLS started/ { sub(/^=== /, ""); print "     (" $0 ")" }
	' "$1"
}

# The sample policy's rule "finance" requires encryption for mail to
# finance.example.org; its rule "localhost" exempts 127.0.0.1 only, so the
# demo client connects from 127.0.0.2 to count as an outside client.
FROM=someone@example.net
TO=pay@finance.example.org
CLIENT=127.0.0.2
PF_EXTRA_MAILBOXES=$TO

e2e_setup || die "cannot create the temporary directory and test PKI"
echo "Starting a throwaway Postfix on 127.0.0.1:$PF_PORT (all its files in $E2E_TMP) ..."
pf_start || die "cannot start Postfix"
echo "Starting tls-policy-milter on 127.0.0.1:$MT_PORT with the sample policy"
echo "    $POLICY ..."
mt_start "$POLICY" || die "cannot start the milter"

echo
echo "1. A message to $TO from $CLIENT in plaintext (no STARTTLS):"
sw "$E2E_TMP/plain" --local-interface "$CLIENT" --from "$FROM" --to "$TO" \
	--header "Subject: demo plaintext"
show_session "$E2E_TMP/plain"

echo
echo "2. The same message over STARTTLS:"
sw "$E2E_TMP/tls" --local-interface "$CLIENT" -tls --from "$FROM" --to "$TO" \
	--header "Subject: demo STARTTLS"
show_session "$E2E_TMP/tls"

pf_mailbox_has "$TO" "demo STARTTLS" 10 && tls_delivered=yes || tls_delivered=no
pf_mailbox_lacks "$TO" "demo plaintext" && plain_delivered=no || plain_delivered=yes

echo
echo "3. The mailbox of $TO now holds:"
echo "     'demo plaintext': $(pf_mailbox_count "$TO" "demo plaintext") message(s)"
echo "     'demo STARTTLS':  $(pf_mailbox_count "$TO" "demo STARTTLS") message(s)"

echo
echo "4. The milter's log, one line per decision (it also goes to syslog, facility mail):"
mt_log | grep 'action=' | sed 's/^/     /'

echo
echo "What happened: Postfix asked the milter about each recipient.  The sample"
echo "policy's rule \"finance\" requires TLS for mail to finance.example.org, so the"
echo "plaintext RCPT TO got 554 5.7.0 and nothing was queued; over STARTTLS the"
echo "same message met the rule and was delivered.  Copy the policy, edit it, rerun."

e2e_cleanup
if [ "$plain_delivered" = no ] && [ "$tls_delivered" = yes ]; then
	echo
	echo "Demo OK.  The throwaway Postfix and milter are stopped and their files removed."
	exit 0
fi
echo >&2
echo "Demo did NOT behave as described (plaintext delivered: $plain_delivered," \
	"STARTTLS delivered: $tls_delivered)." >&2
exit 1
