#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# t/sendmail.t: end-to-end tests of tls-policy-milter behind a real
# Sendmail 8.17.
#
# Unpacks Debian's Sendmail packages from the cache the install step
# filled (t/sendmail-fetch.sh, t/lib/sendmail-debs.sh), starts that
# Sendmail privately on a free port of 127.0.0.1 (t/lib/sendmail.sh) with
# a throwaway PKI (t/lib/pki.sh), and runs the scenarios t/postfix.t
# runs, with the same policies (t/lib/scenarios.sh), then what only
# Sendmail can do: pinning by fingerprint and issuers named by DN.
# Sendmail's sendmail.cf keeps its stock milter macro lists: the milter
# asks for what it needs.  TAP output.
#
# Needs root, the cached packages, dpkg-deb, unshare, m4, perl, swaks,
# gnutls-cli (gnutls-bin), certtool; skips only without root or without
# the packages, and never downloads anything.  The SASL scenarios need
# sasl2-bin and libsasl2-modules and are skipped without.  Sends traffic
# only to 127.0.0.0/8; stops every process it started and removes its
# temporary directory, also on failure or ^C.  E2E_KEEP=1 keeps the
# directory.

[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"

top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}

# ---------------------------------------------------------------- checks

MTA_NAME=Sendmail
MTA_MILTER_DOWN_SETTING="F=T"
MTA_MILTER_DOWN_REPLY="451 4.3.2"

. "$top_srcdir/t/lib/pki.sh"
. "$top_srcdir/t/lib/sendmail.sh"
. "$top_srcdir/t/lib/scenarios.sh"

[ "$(id -u)" -eq 0 ] || skip_all "needs root to run a private Sendmail"
PATH=$PATH:/usr/sbin:/sbin
for _tool in dpkg-deb unshare setsid m4 perl swaks gnutls-cli certtool; do
	command -v "$_tool" >/dev/null 2>&1 || {
		echo "Bail out! $_tool is missing"
		exit 1
	}
done
id nobody >/dev/null 2>&1 || { echo "Bail out! no user nobody"; exit 1; }

MILTER=$top_builddir/tls-policy-milter
if [ ! -x "$MILTER" ]; then
	echo "Bail out! $MILTER is not built"
	exit 1
fi

T_START=$SECONDS
_missing=$(sm_debs_missing)
[ -z "$_missing" ] || skip_all "Sendmail's Debian packages are not in" \
	"$SM_DEBS (missing: ${_missing% }): \"make sendmail-debs\" downloads" \
	"them (./quickstart check and .ci/run do, with t/sendmail-fetch.sh)"
# SASL AUTH for the "authenticated" scenarios, when Cyrus SASL is here.
if ! MTA_SASL_SKIP=$(e2e_sasl_ready); then
	:
elif [ ! -d /usr/lib/sasl2 ]; then
	MTA_SASL_SKIP="no /usr/lib/sasl2 for Sendmail.conf (Debian: libsasl2-2)"
else
	SM_SASL=1
fi
e2e_setup || { echo "Bail out! cannot set up the test directory and PKI"; exit 1; }
if ! sm_start 2>"$E2E_TMP/sm_start.err"; then
	t_diag "$(cat "$E2E_TMP/sm_start.err")"
	echo "Bail out! cannot start a private Sendmail"
	exit 1
fi
t_diag "Sendmail $SM_VERSION on 127.0.0.1:$SMTP_PORT, milter on 127.0.0.1:$MT_PORT, in $E2E_TMP"

e2e_scenarios

# ------------------------------------------------------- Sendmail only

# What the milter saw: Sendmail's verdict, which its stock macro lists do
# not send, reached it (the milter's request replaced the list).
FROM=sender@client.test
policy verify-again <<'EOF'
rule "all" { require = "verify" }
EOF
swaks_case s1 "verified certificate, Sendmail's stock macro lists" "250 2.1.0" \
	$TLS $(cert mx1)
t_like "$(mt_log_since)" '*action=accept*verify=OK*cert="mx1.partner.test"*' \
	"s1) the milter got {verify} and {cn_subject} although sendmail.cf does not list them"

# Pinning: a self-signed certificate by its MD5 (Sendmail's {cert_md5}).
policy pin <<EOF
rule "all" {
	require          = "encrypt"
	cert_fingerprint = {"md5:$(pki_fingerprint "$PKI/selfsigned.pem" md5)"}
}
EOF
swaks_case u1 "pinned self-signed certificate" "250 2.1.0" $TLS $(cert selfsigned)
expect_mta_tls unverified "u1) Sendmail could not verify it"
swaks_case u2 "a CA-verified certificate that is not pinned" "554 5.7.0" \
	$TLS $(cert mx1)
t_like "$(mt_log_since)" '*reason="certificate fingerprint (md5) not pinned"*' \
	"u2) the milter says the fingerprint is not pinned"
swaks_case u3 "no certificate under a pin" "554 5.7.0" $TLS
t_like "$(mt_log_since)" '*reason="no client certificate"*' \
	"u3) the milter says there is no certificate"

# The issuer by its whole DN, with OpenSSL's and Sendmail's escapes.
policy issuer-dn <<EOF
rule "partner" {
	sender      = {"partner.test"}
	require     = "verify"
	cert_issuer = {"/O=$PKI_ESC_CA_O/CN=$PKI_ESC_CA_CN"}
}
EOF
FROM=postmaster@partner.test
swaks_case t1 "issuer DN with escapes, as the policy writes it" "250 2.1.0" \
	$TLS $(cert esc-mx1)
swaks_case t2 "another issuer DN" "554 5.7.0" $TLS $(cert mx1)
FROM=sender@client.test
mt_stop

# Sendmail with CertFingerprintAlgorithm=sha256 sends {cert_fp} instead.
S_NAME=
sm_stop
SM_EXTRA_MC="define(\`confCERT_FINGERPRINT_ALGORITHM', \`sha256')dnl"
t_ok "Sendmail restarts with CertFingerprintAlgorithm=sha256" sm_start
policy pin256 <<EOF
rule "all" {
	require          = "verify"
	cert_fingerprint = {"sha256:$(pki_fingerprint "$PKI/mx1.pem" sha256)",
	                    "md5:$(pki_fingerprint "$PKI/mx9.pem" md5)"}
}
EOF
swaks_case w1 "sha256 pin, {cert_fp}" "250 2.1.0" $TLS $(cert mx1)
swaks_case w2 "md5 pin while Sendmail sends sha256" "554 5.7.0" $TLS $(cert mx9)
t_like "$(mt_log_since)" '*reason="certificate fingerprint (sha256) not pinned"*' \
	"w2) the milter says which fingerprint it got"
mt_stop

# ------------------------------------------------------------------ end

S_NAME=
t_ok "nothing left in Sendmail's queue" mta_queue_idle 10
t_diag "runtime $((SECONDS - T_START)) s"
echo "1..$T"
[ "$FAILED" -eq 0 ]
