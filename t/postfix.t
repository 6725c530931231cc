#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# t/postfix.t: end-to-end tests of tls-policy-milter behind a real Postfix.
#
# Starts a private Postfix on a free port of 127.0.0.1 (t/lib/postfix.sh)
# with a throwaway PKI (t/lib/pki.sh) and runs the scenarios every MTA
# must pass (t/lib/scenarios.sh, also run by t/sendmail.t): the built
# daemon with one policy per group of scenarios, SMTP to Postfix with
# swaks and gnutls-cli, checking both the reply the client saw and whether
# the message reached (or did not reach) the recipient's Maildir.  TAP.
#
# Needs root and postfix, swaks, gnutls-cli (gnutls-bin), certtool; skips
# without them.  The SASL scenarios need sasl2-bin and libsasl2-modules
# and are skipped without.  Sends traffic only to 127.0.0.0/8; stops every process it
# started and removes its temporary directory, also on failure or ^C.
# E2E_KEEP=1 keeps the directory, E2E_VERBOSE=1 runs smtpd with -v.

[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"

top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}

# ---------------------------------------------------------------- checks

MTA_NAME=Postfix
MTA_MILTER_DOWN_SETTING="milter_default_action = tempfail"
MTA_MILTER_DOWN_REPLY="451 4.7.1"

. "$top_srcdir/t/lib/pki.sh"
. "$top_srcdir/t/lib/postfix.sh"
. "$top_srcdir/t/lib/scenarios.sh"
pf_require

MILTER=$top_builddir/tls-policy-milter
if [ ! -x "$MILTER" ]; then
	echo "Bail out! $MILTER is not built"
	exit 1
fi

# SASL AUTH for the "authenticated" scenarios, when Cyrus SASL is here.
if ! MTA_SASL_SKIP=$(e2e_sasl_ready); then
	:
elif ! postconf -a | grep -qx cyrus; then
	MTA_SASL_SKIP="this Postfix has no Cyrus SASL (postconf -a)"
else
	PF_SASL=1
fi

T_START=$SECONDS
e2e_setup || { echo "Bail out! cannot set up the test directory and PKI"; exit 1; }
if ! pf_start 2>"$E2E_TMP/pf_start.err"; then
	t_diag "$(cat "$E2E_TMP/pf_start.err")"
	echo "Bail out! cannot start a private Postfix"
	exit 1
fi
t_diag "Postfix on 127.0.0.1:$PF_PORT, milter on 127.0.0.1:$MT_PORT, in $E2E_TMP"

e2e_scenarios

# ------------------------------------------------------------------ end

S_NAME=
t_ok "nothing left in Postfix's queue" mta_queue_idle 10
t_is "$(find "$PF_QUEUE/deferred" "$PF_QUEUE/hold" -type f | wc -l)" 0 \
	"no deferred or held mail"
t_diag "runtime $((SECONDS - T_START)) s"
echo "1..$T"
[ "$FAILED" -eq 0 ]
