# SPDX-License-Identifier: BSD-2-Clause
# t/lib/scenarios.sh: the end-to-end scenarios every MTA must pass, and
# the TAP and scenario helpers they use.  Sourced by t/postfix.t,
# t/faults.t and t/sendmail.t (bash) after t/lib/postfix.sh or
# t/lib/sendmail.sh, which provide the MTA's side:
#
#   mta_log_mark, mta_log_since       the MTA's log since the last mark
#   mta_tls_seen KIND                 the MTA logged a TLS session whose client
#                                     certificate was KIND: none, unverified,
#                                     verified
#   mta_no_second_ehlo                the MTA saw MAIL right after STARTTLS
#   mta_mailbox_count USER SUBJECT    messages USER got with this subject
#   mta_mailbox_has USER SUBJECT [S]  wait until one is there
#   mta_mailbox_lacks USER SUBJECT    none there once the MTA is idle
#   MTA_NAME                          "Postfix", "Sendmail"
#   MTA_MILTER_DOWN_SETTING, MTA_MILTER_DOWN_REPLY
#                                     what makes the MTA tempfail while the
#                                     milter is down, and the client's reply
#   MTA_SASL_SKIP                     empty when the MTA offers SASL AUTH to
#                                     $SASL_USER/$SASL_PASSWORD (e2e.sh), else
#                                     why not: the z scenarios are skipped
#
# e2e_scenarios runs them all; the policies are the same for every MTA.

# ------------------------------------------------------------ TAP output
# The counter and the lines are t/lib/tap.sh's (T, FAILED); what follows
# adds a scenario's transcript and logs to a failure.

. "$top_srcdir/t/lib/tap.sh"

# t_result STATUS DESC: report test DESC as passed (STATUS 0) or failed.
t_result() {
	if [ "$1" -eq 0 ]; then
		ok "$2"
	else
		not_ok "$2"
		t_scenario_diag
	fi
}

# t_diag TEXT...: TAP diagnostics, one "# " line per input line.
t_diag() {
	printf '%s\n' "$@" | diag
}

# t_skip COUNT REASON: COUNT tests skipped (TAP "# SKIP REASON").
t_skip() {
	_tk_i=0
	while [ $_tk_i -lt "$1" ]; do
		_tk_i=$((_tk_i + 1))
		skip "not run" "$2"
	done
}

# t_ok DESC COMMAND...: pass when COMMAND succeeds.
t_ok() {
	_to_desc=$1
	shift
	"$@"
	t_result $? "$_to_desc"
}

# t_is GOT WANT DESC: pass when GOT equals WANT.
t_is() {
	[ "$1" = "$2" ]
	_ti_rc=$?
	t_result $_ti_rc "$3"
	[ $_ti_rc -eq 0 ] || t_diag "     got: '$1'" "expected: '$2'"
	return $_ti_rc
}

# t_like GOT PATTERN DESC: pass when GOT matches the shell PATTERN.
t_like() {
	case $1 in
	$2) t_result 0 "$3" ;;
	*)  t_result 1 "$3"; t_diag "     got: '$1'" "expected: '$2'"; return 1 ;;
	esac
}

# ------------------------------------------------------------- scenarios
#
# A scenario is one SMTP session.  It gets a unique Subject, and on a
# failed check the diagnostics show its client transcript and what the
# milter and Postfix logged meanwhile.

S_TRANSCRIPT=
S_NAME=

# scenario NAME: start a scenario; sets SUBJ, marks the logs.
scenario() {
	S_NAME=$1
	SUBJ="e2e $1 $$.$RANDOM"
	S_TRANSCRIPT=$E2E_TMP/client.$T.$1
	mta_log_mark
	MT_LOG_MARK=$(wc -l <"$MT_LOG" 2>/dev/null || echo 0)
}

# mt_log_since: what the milter logged since the scenario started.
mt_log_since() {
	tail -n +"$((${MT_LOG_MARK:-0} + 1))" "$MT_LOG" 2>/dev/null
}

# t_scenario_diag: after a failed check, show the current scenario's
# client transcript and logs (once per scenario).
T_DIAG_SHOWN=
t_scenario_diag() {
	[ -n "$S_NAME" ] || return 0
	if [ "$T_DIAG_SHOWN" = "$S_NAME" ]; then
		t_diag "(scenario $S_NAME: transcript and logs above)"
		return 0
	fi
	T_DIAG_SHOWN=$S_NAME
	t_diag "scenario $S_NAME, subject '$SUBJ'" "client transcript:"
	if [ -n "$S_TRANSCRIPT" ] && [ -s "$S_TRANSCRIPT" ]; then
		t_diag "$(grep -v '^ *<[-~*]  250-' "$S_TRANSCRIPT")"
	elif [ -n "${GC_LOG:-}" ] && [ -s "$GC_LOG" ]; then
		# Without gnutls-cli's certificate printout.
		t_diag "$(grep -vE '^S: ([[:space:]]|- |$|Processed|Resolving|Connecting)' "$GC_LOG")"
	fi
	t_diag "milter log:" "$(mt_log_since)" "$MTA_NAME log:" "$(mta_log_since)"
}

# expect_mail WANT DESC: check the reply to the scenario's MAIL FROM.
expect_mail() {
	t_is "$(e2e_code "$(sw_reply "$S_TRANSCRIPT" 'MAIL FROM')")" "$1" "$2"
}

# expect_rcpt ADDR WANT DESC: check the reply to RCPT TO:<ADDR>.
expect_rcpt() {
	t_is "$(e2e_code "$(sw_reply "$S_TRANSCRIPT" "RCPT TO:<$1>")")" "$2" "$3"
}

# expect_delivered USER DESC / expect_not_delivered USER DESC: check
# USER's Maildir for the scenario's message (exactly one copy).
expect_delivered() {
	mta_mailbox_has "$1" "$SUBJ" 10
	t_is "$(mta_mailbox_count "$1" "$SUBJ")" 1 "$2"
}
expect_not_delivered() {
	t_ok "$2" mta_mailbox_lacks "$1" "$SUBJ"
}

# expect_mta_tls KIND DESC: the MTA logged that the client's certificate
# was KIND (none, unverified, verified) in this scenario: proof that the
# client did what the scenario means.
expect_mta_tls() {
	t_ok "$2" mta_tls_seen "$1"
}

# expect_no_second_ehlo DESC: the client really sent MAIL right after the
# TLS handshake, without a second EHLO (as the MTA saw it).
expect_no_second_ehlo() {
	t_ok "$1" mta_no_second_ehlo
}

# swaks_case NAME DESC WANT-MAIL [SWAKS-OPTIONS...]: one message from
# $FROM to alice with swaks; checks the MAIL reply and, when it is 250,
# delivery, else non-delivery.
swaks_case() {
	_sc_name=$1 _sc_desc=$2 _sc_want=$3
	shift 3
	scenario "$_sc_name"
	sw "$S_TRANSCRIPT" --from "$FROM" --to "alice@$E2E_DOMAIN" \
		--header "Subject: $SUBJ" "$@"
	expect_mail "$_sc_want" "$_sc_name) $_sc_desc: MAIL FROM gets $_sc_want"
	case $_sc_want in
	250*) expect_delivered alice "$_sc_name) $_sc_desc: delivered" ;;
	*)    expect_not_delivered alice "$_sc_name) $_sc_desc: not delivered" ;;
	esac
}

# gc_mail FROM TO: MAIL, RCPT, DATA (as far as the server lets us) in the
# current gnutls-cli session, with the scenario's subject.  Sets
# GC_MAIL_REPLY to the reply to MAIL.
gc_mail() {
	GC_MAIL_REPLY=
	gc_cmd "MAIL FROM:<$1>" || return 1
	GC_MAIL_REPLY=$GC_REPLY
	case $GC_REPLY in 250*) ;; *) return 0 ;; esac
	gc_cmd "RCPT TO:<$2>" || return 1
	case $GC_REPLY in 250*) ;; *) return 0 ;; esac
	gc_data "$SUBJ" "$2"
}

# gc_case NAME DESC WANT-MAIL EHLO1 EHLO2 [GNUTLS-CLI-OPTIONS...]: one
# message from $FROM to alice through gnutls-cli: EHLO EHLO1, STARTTLS,
# then EHLO EHLO2 unless EHLO2 is "-" (MAIL right after the handshake).
# Checks the MAIL reply and delivery as swaks_case does.
gc_case() {
	_gc_name=$1 _gc_desc=$2 _gc_want=$3 _gc_ehlo1=$4 _gc_ehlo2=$5
	shift 5
	scenario "$_gc_name"
	S_TRANSCRIPT=
	if gc_open "$@" && gc_cmd "EHLO $_gc_ehlo1" && gc_starttls &&
		{ [ "$_gc_ehlo2" = - ] || gc_cmd "EHLO $_gc_ehlo2"; }; then
		gc_mail "$FROM" "alice@$E2E_DOMAIN"
	else
		GC_MAIL_REPLY="(session failed: ${GC_REPLY:-no reply})"
	fi
	gc_close
	t_is "$(e2e_code "$GC_MAIL_REPLY")" "$_gc_want" \
		"$_gc_name) $_gc_desc: MAIL FROM gets $_gc_want"
	case $_gc_want in
	250*) expect_delivered alice "$_gc_name) $_gc_desc: delivered" ;;
	*)    expect_not_delivered alice "$_gc_name) $_gc_desc: not delivered" ;;
	esac
}

# policy NAME: write the policy file given on stdin and restart the milter
# with it (one test).
policy() {
	cat >"$E2E_TMP/policy.$1.conf"
	S_NAME=
	t_ok "milter starts with policy '$1'" mt_start "$E2E_TMP/policy.$1.conf"
}

# --------------------------------------------------- the prediction's run
#
# The scenarios of "a replay's prediction, then live": one swaks session
# each, from postmaster@NAME.predict.test, NAME and swaks's options a line
# each ($TLS and cert are e2e_scenarios's).
predict_cases() {
	cat <<-CASES
	p1 $TLS
	p2 $TLS $(cert selfsigned)
	p3 $TLS $(cert mx1)
	p4 $TLS --tls-protocol tlsv1_2 $(cert mx1)
	p5 $TLS $(cert mx9)
	CASES
}

# predict_pass PASS: run each of predict_cases once, as scenario
# NAME-PASS; set PREDICT_ACCEPTED to the names whose MAIL and RCPT got 250,
# PREDICT_REFUSED to those refused at either (4xx or 5xx), PREDICT_ODD to
# the others, "NAME:REPLY" (a session that failed).
predict_pass() {
	PREDICT_ACCEPTED= PREDICT_REFUSED= PREDICT_ODD=
	while read -r _pp_name _pp_opts; do
		scenario "predict-$_pp_name-$1"
		sw "$S_TRANSCRIPT" --from "postmaster@$_pp_name.predict.test" \
			--to "alice@$E2E_DOMAIN" --header "Subject: $SUBJ" \
			$_pp_opts </dev/null
		_pp_mail=$(sw_reply "$S_TRANSCRIPT" 'MAIL FROM')
		_pp_rcpt=$(sw_reply "$S_TRANSCRIPT" 'RCPT TO')
		case $_pp_mail/$_pp_rcpt in
		250*/250*)
			PREDICT_ACCEPTED="$PREDICT_ACCEPTED $_pp_name" ;;
		[45]*/ | 250*/[45]*)
			PREDICT_REFUSED="$PREDICT_REFUSED $_pp_name" ;;
		*)	PREDICT_ODD="$PREDICT_ODD $_pp_name:$(e2e_code "$_pp_mail")/$(e2e_code "$_pp_rcpt")" ;;
		esac
	done < <(predict_cases)
	PREDICT_ACCEPTED=${PREDICT_ACCEPTED# }
	PREDICT_REFUSED=${PREDICT_REFUSED# }
	PREDICT_ODD=${PREDICT_ODD# }
}

# predict_prom_fresh: wait until $PREDICT_PROM has been written twice
# since now (5 s each at most).
predict_prom_fresh() {
	for _pf_i in 1 2; do
		touch "$E2E_TMP/stats.mark"
		_pf_end=$((SECONDS + 5))
		until [ "$PREDICT_PROM" -nt "$E2E_TMP/stats.mark" ]; do
			[ $SECONDS -lt $_pf_end ] || return 1
			sleep 0.1
		done
	done
}

# ------------------------------------------------------------- the table

# e2e_scenarios: every shared scenario, policy by policy.  Needs the MTA
# and e2e_setup's PKI and ports; stops the milter at the end.
e2e_scenarios() {
	# certificate unless $(cert NAME) or, for gnutls-cli, $(gcert NAME) adds
	# one from the PKI; e2e_setup made sure its path has no blanks).
	FROM=sender@client.test
	PLAIN=
	TLS=-tls
	cert() {
		echo "--tls-cert $PKI/$1.pem --tls-key $PKI/$1.key"
	}
	gcert() {
		echo "--x509certfile $PKI/$1.pem --x509keyfile $PKI/$1.key"
	}

	# ----------------------------------------------------- require = encrypt

	policy encrypt <<'EOF'
rule "all" { require = "encrypt" }
EOF

	swaks_case a "plaintext under encrypt" "554 5.7.0" $PLAIN
	t_like "$(sw_reply "$S_TRANSCRIPT" 'MAIL FROM')" \
		"554 5.7.0 Command refused due to lack of security*" \
		"a) the refusal has the default reply text"
	t_like "$(mt_log_since)" '*action=reject*rule="all"*stage=mail*' \
		"a) the milter logs action=reject rule=\"all\" stage=mail"

	swaks_case b "TLS without a client certificate under encrypt" "250 2.1.0" $TLS

	# o) STARTTLS is never refused, even when everything plaintext is, and a
	# refusal before STARTTLS does not stick to the TLS session.
	scenario o
	S_TRANSCRIPT=
	O_EHLO= O_PLAIN_MAIL= O_STARTTLS= O_TLS_MAIL=
	if gc_open && gc_cmd "EHLO client.test"; then
		O_EHLO=$GC_REPLY_ALL
		gc_mail "$FROM" "alice@$E2E_DOMAIN"
		O_PLAIN_MAIL=$GC_MAIL_REPLY
		gc_starttls
		_o_tls=$?
		O_STARTTLS=$GC_REPLY
		if [ $_o_tls -eq 0 ] && gc_cmd "EHLO client.test"; then
			gc_mail "$FROM" "alice@$E2E_DOMAIN"
			O_TLS_MAIL=$GC_MAIL_REPLY
		fi
	fi
	gc_close
	t_like "$O_EHLO" "*250-STARTTLS*" "o) EHLO advertises STARTTLS under a policy refusing plaintext"
	t_is "$(e2e_code "$O_PLAIN_MAIL")" "554 5.7.0" "o) plaintext MAIL FROM refused"
	t_like "$O_STARTTLS" "220 *" "o) STARTTLS after the refusal gets 220"
	t_is "$(e2e_code "${O_TLS_MAIL:-}")" "250 2.1.0" "o) MAIL FROM in the same session after STARTTLS accepted"
	expect_delivered alice "o) message sent after STARTTLS delivered"

	# l) STARTTLS then MAIL FROM at once, no second EHLO: the TLS facts must
	# reach the milter anyway.
	gc_case l1 "STARTTLS then MAIL without a second EHLO under encrypt" \
		"250 2.1.0" client.test -
	expect_no_second_ehlo "l1) $MTA_NAME saw no second EHLO"

	# ------------------------------------------------------ require = verify

	policy verify <<'EOF'
rule "all" { require = "verify" }
EOF

	swaks_case c "TLS without a client certificate under verify" "554 5.7.0" $TLS
	expect_mta_tls none "c) $MTA_NAME saw no client certificate"
	swaks_case d "self-signed client certificate under verify" "554 5.7.0" $TLS $(cert selfsigned)
	expect_mta_tls unverified "d) $MTA_NAME saw an unverified certificate"
	swaks_case d2 "certificate of an unknown CA under verify" "554 5.7.0" $TLS $(cert other-mx1)
	expect_mta_tls unverified "d2) $MTA_NAME saw an unverified certificate"
	swaks_case e "CA-verified client certificate under verify" "250 2.1.0" $TLS $(cert mx1)
	expect_mta_tls verified "e) $MTA_NAME verified the certificate"
	gc_case l2 "STARTTLS + verified cert, MAIL without a second EHLO, under verify" \
		"250 2.1.0" client.test - $(gcert mx1)
	expect_no_second_ehlo "l2) $MTA_NAME saw no second EHLO"
	gc_case l3 "STARTTLS without cert, MAIL without a second EHLO, under verify" \
		"554 5.7.0" client.test -

	# ------------------------------------------------------ require = secure

	policy secure <<'EOF'
rule "partner" {
		sender    = {"partner.test", ".partner.test"}
	require   = "secure"
		cert_name = {"mx1.partner.test"}
	}
EOF

	FROM=postmaster@partner.test
	swaks_case f "secure, certificate mx1.partner.test matches cert_name" "250 2.1.0" $TLS $(cert mx1)
	swaks_case g "secure, certificate mx9.partner.test does not match" "554 5.7.0" $TLS $(cert mx9)
	expect_mta_tls verified "g) $MTA_NAME verified the certificate (only the name is wrong)"
	swaks_case f2 "secure, wildcard certificate *.partner.test matches" "250 2.1.0" $TLS $(cert wild)
	swaks_case g2 "secure, matching name from an unknown CA" "554 5.7.0" $TLS $(cert other-mx1)
	swaks_case g3 "secure, plaintext" "554 5.7.0" $PLAIN
	FROM=someone@elsewhere.test
	swaks_case g4 "a sender the secure rule does not select, plaintext" "250 2.1.0" $PLAIN
	FROM=sender@client.test

	# --------------------------------------------------------- min_protocol

	policy tls13 <<'EOF'
rule "all" { require = "encrypt"  min_protocol = "TLSv1.3" }
EOF

	swaks_case h1 "TLS 1.2 client under min_protocol TLSv1.3" "554 5.7.0" $TLS --tls-protocol tlsv1_2
	swaks_case h2 "TLS 1.3 client under min_protocol TLSv1.3" "250 2.1.0" $TLS --tls-protocol tlsv1_3

	# ------------------------------------------------------ min_cipher_bits

	policy bits256 <<'EOF'
rule "all" { require = "encrypt"  min_cipher_bits = 256 }
EOF

	swaks_case i1 "TLS 1.2 AES-128 under min_cipher_bits 256" "554 5.7.0" \
		$TLS --tls-protocol tlsv1_2 --tls-cipher AES128
	gc_case i2 "TLS 1.3 AES-128-GCM under min_cipher_bits 256" "554 5.7.0" \
		client.test client.test --priority "NORMAL:-CIPHER-ALL:+AES-128-GCM"
	swaks_case i3 "TLS 1.2 AES-256 under min_cipher_bits 256" "250 2.1.0" \
		$TLS --tls-protocol tlsv1_2 --tls-cipher AES256

	# ------------------------------------- recipient rule, client_addr rule

	policy rcpt <<'EOF'
rule "exempt"  { client_addr = {"127.0.0.2"}  require = "none" }
rule "finance" { recipient = {"finance@e2e.test"}  require = "encrypt" }
EOF

	# j) One transaction, two recipients: finance refused, alice accepted.
	scenario j
	sw "$S_TRANSCRIPT" --from "$FROM" --to "finance@$E2E_DOMAIN,alice@$E2E_DOMAIN" \
		--header "Subject: $SUBJ"
	expect_mail "250 2.1.0" "j) plaintext to finance and alice: MAIL FROM accepted"
	expect_rcpt "finance@$E2E_DOMAIN" "554 5.7.0" "j) RCPT finance refused"
	expect_rcpt "alice@$E2E_DOMAIN" "250 2.1.5" "j) RCPT alice accepted in the same transaction"
	t_like "$(sw_reply "$S_TRANSCRIPT" "DATA")" "354 *" "j) DATA goes ahead"
	expect_delivered alice "j) delivered to alice"
	expect_not_delivered finance "j) not delivered to finance"

	# k) The exemption by client address: 127.0.0.2 may send plaintext to
	# finance, 127.0.0.3 may not.
	scenario k1
	sw "$S_TRANSCRIPT" --from "$FROM" --to "finance@$E2E_DOMAIN" \
		--header "Subject: $SUBJ" --local-interface 127.0.0.2
	expect_rcpt "finance@$E2E_DOMAIN" "250 2.1.5" "k1) plaintext from exempt 127.0.0.2: RCPT finance accepted"
	expect_delivered finance "k1) delivered"
	scenario k2
	sw "$S_TRANSCRIPT" --from "$FROM" --to "finance@$E2E_DOMAIN" \
		--header "Subject: $SUBJ" --local-interface 127.0.0.3
	expect_rcpt "finance@$E2E_DOMAIN" "554 5.7.0" "k2) plaintext from 127.0.0.3: RCPT finance refused"
	expect_not_delivered finance "k2) not delivered"

	# ------------------------------------------------------------ helo rule

	policy helo <<'EOF'
rule "pre" { helo = {"pre.partner.test"}  require = "none" }
rule "all" { require = "verify" }
EOF

	swaks_case m0 "plaintext, EHLO pre.partner.test (the helo rule applies)" "250 2.1.0" \
		--ehlo pre.partner.test
	swaks_case m0b "plaintext, EHLO other.test" "554 5.7.0" --ehlo other.test
	gc_case m1 "EHLO pre.partner.test, STARTTLS, EHLO other.test: pre-TLS name ignored" \
		"554 5.7.0" pre.partner.test other.test
	gc_case m2 "EHLO pre.partner.test, STARTTLS, MAIL: no HELO name at all" \
		"554 5.7.0" pre.partner.test -
	expect_no_second_ehlo "m2) $MTA_NAME saw no second EHLO"
	gc_case m3 "EHLO other.test, STARTTLS, EHLO pre.partner.test: post-TLS name counts" \
		"250 2.1.0" other.test pre.partner.test

	# --------------------------------------------------------- monitor mode

	policy monitor <<'EOF'
mode = "monitor"
rule "all" { require = "encrypt" }
EOF

	swaks_case n "plaintext under encrypt in monitor mode" "250 2.1.0" $PLAIN
	t_like "$(mt_log_since)" "*action=monitor*would=reject*" \
		"n) the milter logs action=monitor would=reject"

	# y) A rule in monitor never exempts anyone: a partner network rolled
	# out in monitor above "all" leaves "all" in force for it.  Both
	# lines are logged, the monitor one first.
	policy monitor-rule <<'EOF'
rule "partner-net" {
	client_addr = {"127.0.0.0/8"}
	require     = "verify"
	action      = "monitor"
}
rule "all" { require = "encrypt" }
EOF

	swaks_case y1 "monitor rule above an enforced one, plaintext" "554 5.7.0" $PLAIN
	t_like "$(mt_log_since | tr '\n' ' ')" \
		'*action=monitor would=reject rule="partner-net"*action=reject rule="all"*' \
		"y1) the monitor line, then the enforced rule's refusal"
	swaks_case y2 "monitor rule above an enforced one, TLS without a certificate" \
		"250 2.1.0" $TLS
	t_like "$(mt_log_since | tr '\n' ' ')" \
		'*action=monitor would=reject rule="partner-net"*client certificate*action=accept rule="all"*' \
		"y2) the monitor line, then the acceptance"

	# ------------------------------------ names with escapes, a long DN

	# The issuer's CN holds "," "+" "/" and a UTF-8 "u umlaut": Postfix
	# passes it raw, Sendmail xtext-encoded; one policy fits both.
	policy issuer <<EOF
rule "partner" {
	sender      = {"partner.test"}
	require     = "secure"
	cert_name   = {"mx1.partner.test"}
	cert_issuer = {"$PKI_ESC_CA_CN"}
}
EOF
	FROM=postmaster@partner.test
	swaks_case q1 "issuer CN with escapes, as the policy names it" "250 2.1.0" \
		$TLS $(cert esc-mx1)
	t_like "$(mt_log_since)" "*action=accept*issuer=\"Esc, CA +1/\\\\xc3\\\\xbc\"*" \
		"q1) the milter logs the issuer decoded"
	swaks_case q2 "another issuer" "554 5.7.0" $TLS $(cert mx1)
	t_like "$(mt_log_since)" '*reason="certificate issuer not accepted"*' \
		"q2) the milter says the issuer is not accepted"
	# A verified certificate whose CN is no host name.
	swaks_case q3 "CN with escapes is no host name" "554 5.7.0" $TLS $(cert escn)
	t_like "$(mt_log_since)" "*cert=\"mx, +1/\\\\xc3\\\\xbc.partner.test\"*reason=\"certificate name is not a DNS name\"*" \
		"q3) the milter logs the CN decoded, and why"

	policy longdn <<'EOF'
rule "partner" {
	sender    = {"partner.test"}
	require   = "secure"
	cert_name = {"mx1.partner.test"}
}
EOF
	# Sendmail's {cert_subject} loses this DN's CN; {cn_subject} keeps it.
	swaks_case r "subject DN over 255 bytes, CN last" "250 2.1.0" \
		$TLS $(cert longdn)
	FROM=sender@client.test

	# ------------------------------------------------ a "%" in the reply

	policy percent <<'EOF'
rule "all" { require = "encrypt"  reply_text = "100% TLS or nothing" }
EOF
	swaks_case v "reply text with a per cent sign" "554 5.7.0" $PLAIN
	t_like "$(sw_reply "$S_TRANSCRIPT" 'MAIL FROM')" "554 5.7.0 100% TLS or nothing" \
		"v) the client reads the text as written"

	# ------------------------------------------- the language of issue 13

	# Selectors a stock MTA serves: the port the client reached (a second
	# listener, configured like the first), the TLS state ("if TLS is
	# used, it must be strong"), an address extension (recipient_delimiter
	# as the MTA's), and a client over IPv6.
	policy language <<EOF
recipient_delimiter = "+"
rule "second-port" {
	listener_port = {$SMTP_PORT2}
	require       = "encrypt"
}
rule "over-ipv6" {
	client_addr = {"::1"}
	require     = "encrypt"
}
rule "strong-if-tls" {
	tls          = true
	require      = "encrypt"
	min_protocol = "TLSv1.3"
}
rule "legal" {
	recipient = {"bob@$E2E_DOMAIN"}
	require   = "encrypt"
}
EOF
	swaks_case x1 "plaintext: tls = true does not select it" "250 2.1.0" $PLAIN
	t_like "$(mt_log_since)" "*action=accept*port=$SMTP_PORT *tls=none*reason=\"no rule applies\"*" \
		"x1) the milter logs the listener's port and no rule"
	gc_case x2 "TLS 1.2 under tls = true, min_protocol TLSv1.3" "554 5.7.0" \
		client.test client.test --priority "NORMAL:-VERS-TLS1.3"
	t_like "$(mt_log_since)" '*action=reject*rule="strong-if-tls"*reason="TLS version TLSv1.2 is below TLSv1.3"*' \
		"x2) the milter says the TLS version is too low"
	swaks_case x3 "TLS 1.3 under tls = true" "250 2.1.0" $TLS
	t_like "$(mt_log_since)" '*action=accept*rule="strong-if-tls"*tls=TLSv1.3*' \
		"x3) the milter logs the acceptance by the TLS rule"
	for _x_to in "bob+urgent@$E2E_DOMAIN" "bob@$E2E_DOMAIN"; do
		scenario "x4${_x_to%%@*}"
		sw "$S_TRANSCRIPT" --from "$FROM" --to "$_x_to" \
			--header "Subject: $SUBJ" $PLAIN
		expect_rcpt "$_x_to" "554 5.7.0" \
			"x4) plaintext to <$_x_to> under a rule for bob@: refused"
		t_like "$(mt_log_since)" "*action=reject*rule=\"legal\"*to=<$_x_to>*" \
			"x4) the milter logs the rule for bob@ and <$_x_to>"
	done
	SW_PORT=$SMTP_PORT2 swaks_case x5 "plaintext on the second listener" \
		"554 5.7.0" $PLAIN
	t_like "$(mt_log_since)" "*action=reject*rule=\"second-port\"*port=$SMTP_PORT2 *" \
		"x5) the milter logs the rule for that port"
	if [ -n "${E2E_IPV6:-}" ]; then
		SW_SERVER=::1 swaks_case x6 "plaintext over IPv6 (::1)" \
			"554 5.7.0" $PLAIN
		t_like "$(mt_log_since)" '*action=reject*rule="over-ipv6"*client=*[*::1]*' \
			"x6) the milter logs the IPv6 client and its rule"
		SW_SERVER=::1 swaks_case x7 "TLS 1.3 over IPv6 (::1)" "250 2.1.0" $TLS
	else
		t_skip 5 "loopback has no ::1"
	fi

	# ------------------------------------------------------ authenticated

	# Rules by SASL login: the milter reads {auth_authen} at MAIL.  A
	# client that logged in needs only TLS, anyone else a verified
	# certificate.  Asserted on the replies and the deciding rule only
	# (what the decision line says of the login is not fixed yet).
	if [ -n "${MTA_SASL_SKIP:-}" ]; then
		t_skip 12 "no SASL AUTH: $MTA_SASL_SKIP"
	else
		policy sasl <<'EOF'
rule "submitters" { authenticated = true   require = "encrypt" }
rule "others"     { authenticated = false  require = "verify" }
EOF
		AUTH="--auth PLAIN --auth-user $SASL_USER --auth-password $SASL_PASSWORD"
		swaks_case z1 "logged in over STARTTLS, no client certificate" \
			"250 2.1.0" $TLS $AUTH
		t_like "$(sw_reply "$S_TRANSCRIPT" 'AUTH PLAIN')" "235 *" \
			"z1) $MTA_NAME accepted the login"
		t_like "$(mt_log_since)" "*action=accept*rule=\"submitters\"*auth=\"$SASL_USER*" \
			"z1) the milter logs action=accept rule=\"submitters\" and the login"
		swaks_case z2 "the same client over STARTTLS without logging in" \
			"554 5.7.0" $TLS
		t_like "$(mt_log_since)" '*action=reject*rule="others"*' \
			"z2) the milter logs action=reject rule=\"others\""
		swaks_case z3 "logged in, plaintext" "554 5.7.0" $PLAIN $AUTH
		t_like "$(sw_reply "$S_TRANSCRIPT" 'AUTH PLAIN')" "235 *" \
			"z3) $MTA_NAME accepted the login"
		t_like "$(mt_log_since)" '*action=reject*rule="submitters"*' \
			"z3) the milter logs action=reject rule=\"submitters\""
	fi

	# ------------------------------- a replay's prediction, then live

	# What "tls-policy-report -c" predicts, checked live.  Five senders,
	# one session each, whose sender domain (pN.predict.test) names the
	# scenario in the log, all accepted by a policy asking for TLS only;
	# tls-policy-report -c -j on that log says which a stricter policy
	# (a verified certificate, TLS 1.3) would newly refuse.  The milter
	# reloads the stricter policy (SIGHUP) and the five run again: exactly
	# the predicted ones must be refused.  This milter also writes a
	# metrics file, checked against its log afterwards.
	mkdir -p "$E2E_TMP/stats"
	[ "$(id -u)" -ne 0 ] || chown nobody "$E2E_TMP/stats"
	PREDICT_PROM=$E2E_TMP/stats/tls-policy-milter.prom
	policy predict <<EOF
stats_file     = "$PREDICT_PROM"
stats_interval = 1
rule "predict" {
	sender  = {".predict.test"}
	require = "encrypt"
}
EOF
	cat >"$E2E_TMP/policy.predict-stricter.conf" <<EOF
stats_file     = "$PREDICT_PROM"
stats_interval = 1
rule "predict" {
	sender       = {".predict.test"}
	require      = "verify"
	min_protocol = "TLSv1.3"
}
EOF
	predict_pass base
	t_is "$PREDICT_ACCEPTED|$PREDICT_ODD" "p1 p2 p3 p4 p5|" \
		"predict) five senders over TLS, under require = encrypt: all accepted"
	S_NAME=
	_p_json=$("$REPORT" -j -t 1000 -c "$E2E_TMP/policy.predict-stricter.conf" \
		"$MT_LOG" 2>&1)
	_p_rc=$?
	# Each change the replay groups by rule, client network and sender
	# domain: one pN.predict.test each.
	PREDICTED=$(printf '%s\n' "$_p_json" |
		grep -o '"key":"newly refused rule=[^"]* from-domain=[^"]*"' |
		sed 's/.* from-domain=\(p[0-9]*\)\.predict\.test"$/\1/' | sort |
		tr '\n' ' ')
	PREDICTED=${PREDICTED% }
	_p_n=$(wc -w <<<"$PREDICTED")
	t_is "$_p_rc $(printf '%s\n' "$_p_json" |
		grep -o '"newly_refused":[0-9]*,"newly_accepted":[0-9]*')" \
		"1 \"newly_refused\":$_p_n,\"newly_accepted\":0" \
		"predict) replayed under a stricter policy with -c -j: exit 1, a scenario for each newly refused decision (predicted: ${PREDICTED:-none})" ||
		t_diag "$_p_json"
	t_ok "predict) the prediction is some of the five, not all" \
		test "$_p_n" -gt 0 -a "$_p_n" -lt 5
	t_ok "predict) the milter reloads the stricter policy on SIGHUP" \
		mt_reload "$E2E_TMP/policy.predict-stricter.conf"
	predict_pass live
	t_is "$PREDICT_REFUSED|$PREDICT_ODD" "$PREDICTED|" \
		"predict) live under the stricter policy, $MTA_NAME refuses exactly the predicted scenarios"

	# The metrics file, once rewritten twice since the last session (the
	# first rewrite after it may have counted before it), against the
	# decision lines of the same milter: its two passes and the reload.
	S_NAME=
	t_ok "predict) the metrics file is rewritten every second" predict_prom_fresh
	_p_want=
	for _p_v in accept reject tempfail; do
		_p_want="$_p_want
decisions_total{verdict=\"$_p_v\"} $(grep -c ": action=$_p_v " "$MT_LOG")"
	done
	_p_want="$_p_want
rule_decisions_total{rule=\"predict\",verdict=\"reject\"} $(grep -c ': action=reject rule="predict" ' "$MT_LOG")
monitor_would_refuse_total{verdict=\"reject\"} $(grep -c ': action=monitor would=reject ' "$MT_LOG")
transactions_total{tls_version=\"TLSv1.2\"} $(grep -c ': action=.* tls=TLSv1.2 ' "$MT_LOG")
transactions_total{tls_version=\"TLSv1.3\"} $(grep -c ': action=.* tls=TLSv1.3 ' "$MT_LOG")
tls_transactions_certificate_total{certificate=\"verified\"} $(grep -c ': action=.* cert_state=verified ' "$MT_LOG")
connections_total $((2 * $(predict_cases | wc -l)))
reloads_total{result=\"ok\"} 1
reloads_total{result=\"failed\"} 0"
	_p_got=
	while read -r _p_m _p_v; do
		[ -n "$_p_m" ] || continue
		_p_got="$_p_got
$_p_m $(awk -v n="tls_policy_milter_$_p_m" '$1 == n { print $2 }' "$PREDICT_PROM")"
	done <<<"$_p_want"
	t_is "$_p_got" "$_p_want" \
		"predict) the metrics file counts what the milter logged: decisions by verdict, TLS, the sessions of both passes, the reload"
	if command -v promtool >/dev/null 2>&1; then
		promtool check metrics <"$PREDICT_PROM" >"$E2E_TMP/promtool.out" 2>&1
		_p_rc=$?
		t_result $_p_rc "predict) promtool check metrics accepts the metrics file"
		[ $_p_rc -eq 0 ] || t_diag "$(cat "$E2E_TMP/promtool.out")"
	else
		t_skip 1 "promtool is not installed (Debian package prometheus)"
	fi

	# ------------------------------------------------------- milter is down

	S_NAME=
	mt_stop
	_replay=$(e2e_replay)
	_replay_rc=$?
	t_result $_replay_rc "replay: every decision of every policy above, read back from the milter's log by tls-policy-report, is decided the same ($(printf '%s' "$_replay" | tail -n 1))"
	[ $_replay_rc -eq 0 ] || t_diag "$_replay"
	stopped_in_time() {
		[ -n "$MT_STOP_MS" ] && [ "$MT_STOP_MS" -lt 1000 ]
	}
	t_ok "the milter exits on SIGTERM within a second (took ${MT_STOP_MS:-?} ms)" stopped_in_time
	swaks_case p "milter down, $MTA_MILTER_DOWN_SETTING" "$MTA_MILTER_DOWN_REPLY" $PLAIN

	# ------------------------------------ a suggestion from these logs

	# The policy tls-policy-report --suggest draws from every decision
	# above (-m 1: every sender domain seen), taken as a postmaster
	# would: -n loads it without a word, the logs replayed under it have
	# nothing newly refused, and each sender domain that came with a
	# verified certificate every time gets a rule stricter than none:
	# one that refuses a session of that domain without a certificate.
	S_NAME=
	_sg_logs=$(cut -d' ' -f1 "$E2E_TMP/milter.runs" | uniq)
	_sg_conf=$E2E_TMP/policy.suggested.conf
	"$REPORT" -s -m 1 $_sg_logs >"$_sg_conf" 2>"$E2E_TMP/suggest.err"
	_sg_rc=$?
	chmod 600 "$_sg_conf"
	_sg_n=$("$MILTER" -n -c "$_sg_conf" 2>&1)
	t_is "$_sg_rc $? $_sg_n" "0 0 " \
		"suggest: -s -m 1 on every decision logged: a policy -n loads without a word ($(grep -c '^rule ' "$_sg_conf") rules)"
	[ "$_sg_rc" -eq 0 ] || t_diag "$(cat "$E2E_TMP/suggest.err")"
	_sg_out=$("$REPORT" -t 3 -c "$_sg_conf" $_sg_logs 2>&1)
	_sg_rc=$?
	_sg_sum=$(printf '%s\n' "$_sg_out" | grep '^replayed ')
	t_like "$_sg_rc $_sg_sum" \
		"0 replayed [1-9]* decisions under the candidate: * unchanged, 0 newly refused, *" \
		"suggest: every decision replayed under the suggestion: nothing newly refused, exit 0"
	[ "$_sg_rc" -eq 0 ] || t_diag "$_sg_out" "$(cat "$_sg_conf")"
	# The sender domains whose every decision line says cert_state=verified.
	_sg_verified=$(cat $_sg_logs | awk '
		/: action=/ && match($0, / from=<[^>]*@[^>@]*>/) {
			d = substr($0, RSTART, RLENGTH)
			sub(/.*@/, "", d); sub(/>$/, "", d)
			seen[d] = 1
			if ($0 !~ / cert_state=verified /) mixed[d] = 1
		}
		END { for (d in seen) if (!(d in mixed)) print d }' | sort | tr '\n' ' ')
	_sg_verified=${_sg_verified% }
	_sg_bad=
	for _sg_d in $_sg_verified; do
		_sg_q=$("$MILTER" -c "$_sg_conf" -q client_addr=127.0.0.1 \
			sender="postmaster@$_sg_d" recipient="alice@$E2E_DOMAIN" \
			tls_version=TLSv1.3 cipher=TLS_AES_256_GCM_SHA384 \
			cipher_bits=256 2>&1)
		case $?/$_sg_q in
		"1/reject rule=\"suggest-$_sg_d\" "*) ;;
		*) _sg_bad="$_sg_bad $_sg_d: $_sg_q" ;;
		esac
	done
	t_is "${_sg_verified:+some}|$_sg_bad" "some|" \
		"suggest: the senders always verified (${_sg_verified:-none}) get a rule that refuses them without a certificate"

}
