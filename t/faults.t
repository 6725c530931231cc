#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# t/faults.t: what happens to mail when the milter is not there, behind a
# real Postfix (t/lib/postfix.sh) with milter_default_action = tempfail,
# the setting the README recommends.  The policy refuses plaintext
# ("require = encrypt"), so a plaintext message in a mailbox would be mail
# the policy refuses that got in.
#
#   1. the milter started before Postfix: the first session is judged;
#   2. an SMTP session open when the milter is SIGKILLed: its MAIL gets
#      4xx, nothing is delivered; after a restart a new session is judged;
#   3. the milter SIGKILLed while clients send (plaintext and TLS, several
#      at once): no plaintext message reaches the mailbox, every client
#      gets a refusal or a 4xx (451 to MAIL, 454 to STARTTLS), never a 250
#      for plaintext; after a restart
#      every client that got a 4xx tries again and is judged again: the
#      plaintext ones refused, the TLS ones delivered, each exactly once;
#   4. Postfix goes on using a restarted milter (SIGTERM and start, and
#      SIGKILL and start at once on the same port);
#   5. the milter started after Postfix: until it is there every MAIL
#      gets 4xx; from then on sessions are judged, without touching
#      Postfix.
# Needs root and postfix, swaks, gnutls-cli, certtool; skips without them.
# TAP output.

[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"

top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}

MTA_NAME=Postfix
. "$top_srcdir/t/lib/pki.sh"
. "$top_srcdir/t/lib/postfix.sh"
. "$top_srcdir/t/lib/scenarios.sh"
pf_require

MILTER=$top_builddir/tls-policy-milter
[ -x "$MILTER" ] || { echo "Bail out! $MILTER is not built"; exit 1; }

T_START=$SECONDS
e2e_setup || { echo "Bail out! cannot set up the test directory and PKI"; exit 1; }
POLICY=$E2E_TMP/policy.conf
printf '%s\n' 'rule "all" { require = "encrypt" }' >"$POLICY"
chmod 644 "$POLICY"
TO=alice@$PF_DOMAIN
FROM=sender@client.test
DOWN="451 4.7.1"	# Postfix's reply to MAIL while the milter is unreachable
DOWN_TLS="454 4.3.0"	# and to STARTTLS

# send NAME TLS|PLAIN: one message to alice with swaks, subject
# "faults NAME"; prints the reply code to MAIL FROM, or when there was
# none (the session ended at STARTTLS) the reply to STARTTLS.
send() {
	_s_tr=$E2E_TMP/tr.$1
	sw "$_s_tr" --from "$FROM" --to "$TO" --header "Subject: faults $1" \
		$( [ "$2" = TLS ] && echo -tls )
	_s_r=$(sw_reply "$_s_tr" 'MAIL FROM')
	[ -n "$_s_r" ] || _s_r=$(sw_reply "$_s_tr" 'STARTTLS')
	e2e_code "$_s_r"
}

# delivered NAME: how many copies of "faults NAME" alice has.
delivered() {
	pf_mailbox_count alice "faults $1"
}

# --------------------------------------- 1. milter first, then Postfix
t_ok "1) the milter starts before Postfix" mt_start "$POLICY"
if ! pf_start 2>"$E2E_TMP/pf_start.err"; then
	t_diag "$(cat "$E2E_TMP/pf_start.err")"
	echo "Bail out! cannot start a private Postfix"
	exit 1
fi
t_is "$(send first-plain PLAIN)" "554 5.7.0" "1) Postfix started after the milter: plaintext refused"
t_is "$(send first-tls TLS)" "250 2.1.0" "1) and TLS accepted"

# --------------------------- 2. a session open when the milter is killed
scenario open-session
if gc_open && gc_cmd "EHLO client.test"; then
	mt_kill
	gc_cmd "MAIL FROM:<$FROM>"
	_mail=$GC_REPLY
	gc_cmd "RCPT TO:<$TO>"
	_rcpt=$GC_REPLY
else
	_mail="(session failed)" _rcpt=
fi
gc_close
t_is "$(e2e_code "$_mail")" "$DOWN" "2) milter SIGKILLed inside a session: its MAIL gets $DOWN"
t_like "$(e2e_code "$_rcpt")" "5*" "2) RCPT after it is refused too (${_rcpt%%$'\r'})"
t_ok "2) the milter restarts at once on the same port" mt_start "$POLICY"
t_is "$(send after-kill-plain PLAIN)" "554 5.7.0" "2) after the restart a new session is judged again: plaintext refused"

# ------------------------------------------ 3. killed while clients send
# 6 clients at once, 12 messages each, every other one plaintext; the
# milter is killed once a fifth of them have been answered.
N_WORKERS=6 N_EACH=12
for _w in $(seq 1 $N_WORKERS); do
	(
		for _i in $(seq 1 $N_EACH); do
			_n=load-$_w-$_i
			if [ $((_i % 2)) -eq 0 ]; then _k=TLS; else _k=PLAIN; fi
			echo "$_n $_k $(send "$_n" $_k)" >>"$E2E_TMP/results.$_w"
		done
	) &
	WORKERS="${WORKERS:-} $!"
done
TOTAL=$((N_WORKERS * N_EACH))
_end=$((SECONDS + 60))
while [ "$(cat "$E2E_TMP"/results.* 2>/dev/null | wc -l)" -lt $((TOTAL / 5)) ] &&
	[ $SECONDS -lt $_end ]; do
	sleep 0.05
done
KILLED_AT=$(cat "$E2E_TMP"/results.* | wc -l)
mt_kill
_kill_t=$SECONDS
# Down for a second while clients keep coming, then back.
sleep 1
mt_start "$POLICY"
RESTART_OK=$?
for _p in $WORKERS; do wait "$_p"; done
cat "$E2E_TMP"/results.* >"$E2E_TMP/results"
t_diag "$TOTAL messages from $N_WORKERS clients at once; milter SIGKILLed after $KILLED_AT answers, back after 1 s"
t_is "$RESTART_OK" 0 "3) the milter restarts after SIGKILL under load"
t_is "$(wc -l <"$E2E_TMP/results")" "$TOTAL" "3) every client got an answer"
t_is "$(awk '$2 == "PLAIN" && $3 ~ /^2/' "$E2E_TMP/results" | wc -l)" 0 \
	"3) no plaintext MAIL FROM got a 2xx, before, during or after the kill"
t_is "$(awk '$3 !~ /^(250|554|451|454)$/' "$E2E_TMP/results" | wc -l)" 0 \
	"3) every answer is 250 or 554 (judged), or 451 to MAIL, 454 to STARTTLS (milter down)"
N_DOWN=$(awk '$3 ~ /^4/' "$E2E_TMP/results" | wc -l)
t_ok "3) some clients got a 4xx while the milter was down ($N_DOWN)" test "$N_DOWN" -gt 0
t_diag "answers: $(awk '{print $2 "=" $3}' "$E2E_TMP/results" | sort | uniq -c | tr -s ' \n' ' ')"

# The clients that got a 4xx try again, as an MTA would: judged again.
retry_bad=
while read -r _n _k _code; do
	case $_code in 4*) ;; *) continue ;; esac
	_again=$(send "$_n.retry" "$_k")
	case $_k/$_again in
	PLAIN/"554 5.7.0" | TLS/"250 2.1.0") ;;
	*) retry_bad="$retry_bad $_n($_k: $_again)" ;;
	esac
	echo "$_n.retry $_k $_again" >>"$E2E_TMP/results"
done <<<"$(grep ' 4' "$E2E_TMP/results")"
t_is "${retry_bad:-none}" none "3) every retried session judged again: plaintext 554, TLS 250"

pf_wait_queue_idle 20
plain_in=0 tls_missing= tls_twice=
while read -r _n _k _code; do
	_c=$(delivered "$_n")
	if [ "$_k" = PLAIN ]; then
		plain_in=$((plain_in + _c))
	elif [ "$_code" = "250 2.1.0" ] && [ "$_c" -ne 1 ]; then
		tls_missing="$tls_missing $_n($_c)"
	fi
done <"$E2E_TMP/results"
t_is "$plain_in" 0 "3) not one plaintext message in the mailbox"
t_is "${tls_missing:-none}" none "3) every accepted TLS message delivered exactly once"

# ------------------------------ 4. Postfix goes on with a new milter
mt_stop
t_ok "4) restart after SIGTERM" mt_start "$POLICY"
t_is "$(send restart-term PLAIN)" "554 5.7.0" "4) Postfix uses the restarted milter"
mt_kill
t_ok "4) restart at once after SIGKILL" mt_start "$POLICY"
t_is "$(send restart-kill TLS)" "250 2.1.0" "4) Postfix uses the milter restarted after SIGKILL: TLS accepted"
t_is "$(send restart-kill-plain PLAIN)" "554 5.7.0" "4) and plaintext refused"

# ---------------------------------- 5. Postfix first, then the milter
mt_stop
pf_stop
if ! pf_start 2>"$E2E_TMP/pf_start.err"; then
	echo "Bail out! cannot restart the private Postfix"
	exit 1
fi
t_is "$(send pf-first-plain PLAIN)" "$DOWN" "5) Postfix up, milter not yet: plaintext MAIL gets $DOWN"
t_is "$(send pf-first-tls TLS)" "$DOWN_TLS" "5) and STARTTLS gets $DOWN_TLS: a TLS client never reaches MAIL"
t_ok "5) the milter starts after Postfix" mt_start "$POLICY"
t_is "$(send pf-first-plain.retry PLAIN)" "554 5.7.0" "5) then, without touching Postfix, plaintext refused"
t_is "$(send pf-first-tls.retry TLS)" "250 2.1.0" "5) and TLS accepted"
pf_wait_queue_idle 20
t_is "$(delivered pf-first-plain)$(delivered pf-first-tls)$(delivered pf-first-plain.retry)$(delivered pf-first-tls.retry)" \
	0001 "5) only the judged TLS message was delivered"

S_NAME=
t_ok "nothing left in Postfix's queue" pf_wait_queue_idle 10
t_is "$(find "$PF_QUEUE/deferred" "$PF_QUEUE/hold" -type f | wc -l)" 0 \
	"no deferred or held mail"
t_diag "runtime $((SECONDS - T_START)) s"
echo "1..$T"
[ "$FAILED" -eq 0 ]
