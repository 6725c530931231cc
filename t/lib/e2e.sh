# SPDX-License-Identifier: BSD-2-Clause
# t/lib/e2e.sh: what the end-to-end tests share, whatever the MTA: the
# temporary directory and test PKI, free ports, processes, the milter,
# and the SMTP clients (swaks, gnutls-cli), all on loopback.  Sourced by
# t/lib/postfix.sh and t/lib/sendmail.sh (bash), which provide mta_stop.
#
# Everything lives under one temporary directory, $E2E_TMP; e2e_cleanup
# (the EXIT trap) stops every process started here, by PID, and removes
# it.
#
# Variables for callers:
#   E2E_DOMAIN  the domain the MTA delivers locally (e2e.test)
#   E2E_TMP     the temporary directory
#   PKI         the test PKI (see pki.sh): ca.pem, mx1.pem/.key, ...
#   SMTP_PORT   the MTA's SMTP port on 127.0.0.1 (also PF_PORT), and on
#               ::1 when E2E_IPV6 is set (loopback has ::1)
#   SMTP_PORT2  a second SMTP listener on 127.0.0.1, set up alike (a stock
#               master.cf line, a DaemonPortOptions without Name tricks)
#   MT_PORT     the milter's port on 127.0.0.1
#   MT_LOG      what the current milter instance wrote (stderr and stdout)
#   MILTER      the daemon (default: $top_builddir/tls-policy-milter)
#   REPORT      tls-policy-report (default: $top_builddir/tls-policy-report)

. "$(dirname "${BASH_SOURCE[0]}")/ports.sh"

E2E_DOMAIN=e2e.test		# the domain the MTA accepts mail for
E2E_TMP=
MT_PID=
MT_SEQ=0
GC_CPID=

# skip_all REASON: skip the whole test (TAP "1..0 # SKIP") and exit.
skip_all() {
	echo "1..0 # SKIP $*"
	exit 0
}

# --------------------------------------------------------------- set-up

# e2e_setup: create $E2E_TMP and the test PKI, pick three free ports and
# install the cleanup traps.  Returns non-zero, with a message on stderr,
# on failure.
e2e_setup() {
	E2E_TMP=$(mktemp -d "${TMPDIR:-/tmp}/tpm-e2e.XXXXXX") || return 1
	trap e2e_cleanup EXIT
	trap 'exit 129' HUP
	trap 'exit 130' INT
	trap 'exit 143' TERM
	# mktemp makes 0700, but the MTA's unprivileged users (postfix,
	# nobody) must reach the queue, the keys and the mailboxes: this
	# directory and every parent must be searchable by others.
	chmod 0755 "$E2E_TMP" || return 1
	# MTA settings are blank-separated lists: no blanks in paths.
	case $E2E_TMP in
	*[[:space:]]*)
		echo "e2e: '$E2E_TMP' has blanks; set TMPDIR to a path without" >&2
		return 1 ;;
	esac
	_es_dir=$E2E_TMP
	while [ "$_es_dir" != / ]; do
		_es_dir=$(dirname "$_es_dir")
		case $(stat -L -c %A "$_es_dir") in
		*[xt]) ;;
		*)	echo "e2e: $_es_dir is not searchable by others" >&2
			return 1 ;;
		esac
	done
	PKI=$E2E_TMP/pki
	pki_make "$PKI" || return 1
	SMTP_PORT=$(port_free) || return 1
	PF_PORT=$SMTP_PORT		# the name t/demo.sh knows
	MT_PORT=$(port_free "$SMTP_PORT") || return 1
	SMTP_PORT2=$(port_free "$SMTP_PORT" "$MT_PORT") || return 1
	E2E_IPV6=
	! e2e_has_ipv6 || E2E_IPV6=1
	MILTER=${MILTER:-${top_builddir:-.}/tls-policy-milter}
	REPORT=${REPORT:-${top_builddir:-.}/tls-policy-report}
}

# e2e_has_ipv6: the loopback interface has ::1 (the MTAs then listen
# there too, on $SMTP_PORT).
e2e_has_ipv6() {
	grep -q '^00000000000000000000000000000001 .* lo$' /proc/net/if_inet6 \
		2>/dev/null
}

# e2e_cleanup: stop any client, the milter and the MTA (mta_stop), then remove
# $E2E_TMP (kept when E2E_KEEP is set, for debugging).  Idempotent.
e2e_cleanup() {
	_ec_rc=$?
	# A second ^C must not cut the clean-up short.
	trap - EXIT
	trap '' HUP INT TERM
	gc_close >/dev/null 2>&1
	mt_stop
	mta_stop
	if [ -n "$E2E_TMP" ] && [ -d "$E2E_TMP" ]; then
		if [ -n "${E2E_KEEP:-}" ]; then
			echo "# e2e: kept $E2E_TMP" >&2
		else
			rm -rf "$E2E_TMP"
		fi
	fi
	E2E_TMP=
	return $_ec_rc
}

# ------------------------------------------------------------ processes

# e2e_proc_state PID: print the state letter of process PID (R, S, Z...),
# nothing when it does not exist.
e2e_proc_state() {
	read -r _ps_line 2>/dev/null <"/proc/$1/stat" || return 0
	# The command (field 2) may hold blanks and parentheses: the fields
	# after the last ") " are state, ppid, pgrp, ...
	_ps_rest=${_ps_line##*) }
	echo "${_ps_rest%% *}"
}

# e2e_pgrp_members PGID: print the PIDs of the live (non-zombie) processes
# of process group PGID, one a line.
e2e_pgrp_members() {
	_pm_pgid=$1
	for _pm_stat in /proc/[0-9]*/stat; do
		read -r _pm_line 2>/dev/null <"$_pm_stat" || continue
		set -- ${_pm_line##*) }
		if [ "$#" -ge 3 ] && [ "$3" = "$_pm_pgid" ] && [ "$1" != Z ]; then
			_pm_pid=${_pm_stat#/proc/}
			echo "${_pm_pid%/stat}"
		fi
	done
}

# e2e_wait_gone SECONDS PID...: wait until none of the PIDs is alive (a
# zombie counts as gone).  False on timeout.
e2e_wait_gone() {
	_wg_end=$((SECONDS + $1))
	shift
	for _wg_pid in "$@"; do
		while :; do
			case $(e2e_proc_state "$_wg_pid") in
			'' | Z) break ;;
			esac
			[ $SECONDS -lt $_wg_end ] || return 1
			sleep 0.05
		done
	done
}

# ---------------------------------------------------------------- milter

# mt_start POLICYFILE: start the daemon in the foreground on
# inet:$MT_PORT@127.0.0.1 with POLICYFILE, its output in a fresh $MT_LOG,
# and wait until it listens.  Returns non-zero, with its log on stderr,
# when it exits or does not listen within 10 s.
mt_start() {
	mt_stop
	MT_SEQ=$((MT_SEQ + 1))
	MT_LOG=$E2E_TMP/milter.$MT_SEQ.log
	# For e2e_replay: which lines of which log were decided under which
	# policy (mt_reload splits a run in two).
	echo "$MT_LOG $1 1 \$" >>"$E2E_TMP/milter.runs"
	# As root, it gives root up for user nobody (-u), as in production.
	"$MILTER" -f -c "$1" -p "inet:$MT_PORT@127.0.0.1" \
	    $( [ "$(id -u)" -ne 0 ] || echo "-u nobody" ) >"$MT_LOG" 2>&1 &
	MT_PID=$!
	_ms_end=$((SECONDS + 10))
	until port_listening "$MT_PORT"; do
		if [ $SECONDS -ge $_ms_end ] || [ -z "$(e2e_proc_state "$MT_PID")" ] ||
			[ "$(e2e_proc_state "$MT_PID")" = Z ]; then
			echo "e2e: the milter did not start on $1:" >&2
			sed 's/^/    /' "$MT_LOG" >&2
			mt_stop
			return 1
		fi
		sleep 0.05
	done
}

# mt_reload POLICYFILE: put POLICYFILE's text in the file the milter
# started with, send it SIGHUP and wait (up to 10 s) until it logs that it
# reloaded.  For e2e_replay, the old text is kept in a file of its own and
# the run's log split at the reload: the lines before it were decided
# under the old text, those after under the new.  Returns non-zero, with
# what the milter logged on stderr, when the reload fails or is not
# logged in time.
mt_reload() {
	_mr_runs=$E2E_TMP/milter.runs
	read -r _mr_log _mr_policy _mr_first _mr_last < <(tail -n 1 "$_mr_runs")
	if [ "$_mr_log" != "$MT_LOG" ] || [ -z "$MT_PID" ]; then
		echo "e2e: mt_reload: no milter running" >&2
		return 1
	fi
	_mr_old=$E2E_TMP/milter.$MT_SEQ.from-line-$_mr_first.conf
	cp "$_mr_policy" "$_mr_old" || return 1
	_mr_mark=$(wc -l <"$MT_LOG")
	cat "$1" >"$_mr_policy" || return 1
	kill -HUP "$MT_PID" || return 1
	_mr_end=$((SECONDS + 10))
	until _mr_at=$(awk -v from="$_mr_mark" 'NR > from && /: reload(ed:| failed)/ {
			print NR, ($0 ~ /: reloaded:/) ? "ok" : "failed"; exit }' "$MT_LOG") &&
		[ -n "$_mr_at" ]; do
		if [ $SECONDS -ge $_mr_end ]; then
			echo "e2e: the milter did not log a reload within 10 s:" >&2
			tail -n +"$((_mr_mark + 1))" "$MT_LOG" | sed 's/^/    /' >&2
			return 1
		fi
		sleep 0.05
	done
	_mr_line=${_mr_at% *}
	{
		sed '$d' "$_mr_runs"
		echo "$MT_LOG $_mr_old $_mr_first $_mr_line"
		echo "$MT_LOG $_mr_policy $((_mr_line + 1)) \$"
	} >"$_mr_runs.new" && mv "$_mr_runs.new" "$_mr_runs" || return 1
	if [ "${_mr_at#* }" != ok ]; then
		echo "e2e: the reload failed:" >&2
		sed -n "${_mr_line}p" "$MT_LOG" | sed 's/^/    /' >&2
		return 1
	fi
}

# e2e_replay: every decision each milter instance logged, replayed with
# tls-policy-report under the policy it ran with, is decided the same.
# Prints "N decisions" or, on failure, what differs; returns non-zero
# then, or when there was nothing to replay.
e2e_replay() {
	_er_total=0
	while read -r _er_log _er_policy _er_first _er_last; do
		_er_out=$(sed -n "${_er_first:-1},${_er_last:-\$}p" "$_er_log" |
			"$REPORT" -t 3 -c "$_er_policy" 2>&1)
		_er_rc=$?
		_er_n=$(printf '%s\n' "$_er_out" |
			sed -n 's/^replayed \([0-9]*\) decisions under the candidate: \1 unchanged, 0 .*, 0 .*, 0 .*, 0 .*$/\1/p')
		if [ $_er_rc -ne 0 ] || [ -z "$_er_n" ] ||
			printf '%s\n' "$_er_out" | grep -q '^skipped lines'; then
			echo "$_er_log under $_er_policy (exit $_er_rc):"
			printf '%s\n' "$_er_out"
			return 1
		fi
		_er_total=$((_er_total + _er_n))
	done <"$E2E_TMP/milter.runs"
	echo "$_er_total decisions"
	[ "$_er_total" -gt 0 ]
}

# mt_stop: stop the milter started by mt_start: SIGTERM, wait up to 10 s
# (it should take well under a second), then SIGKILL.  Idempotent.  Sets
# MT_STOP_MS, the milliseconds it took.
mt_stop() {
	MT_STOP_MS=
	[ -n "$MT_PID" ] || return 0
	_mt_t0=$(date +%s%N)
	kill -TERM "$MT_PID" 2>/dev/null
	if ! e2e_wait_gone 10 "$MT_PID"; then
		echo "# e2e: milter $MT_PID ignored SIGTERM for 10 s, killing" >&2
		kill -KILL "$MT_PID" 2>/dev/null
	fi
	wait "$MT_PID" 2>/dev/null
	MT_STOP_MS=$((($(date +%s%N) - _mt_t0) / 1000000))
	MT_PID=
	mt_wait_closed
}

# mt_kill: kill the milter started by mt_start with SIGKILL, as a crash
# would (no clean-up of any kind), and wait until it is gone and its port
# closed.  Idempotent.
mt_kill() {
	[ -n "$MT_PID" ] || return 0
	kill -KILL "$MT_PID" 2>/dev/null
	wait "$MT_PID" 2>/dev/null
	MT_PID=
	mt_wait_closed
}

# mt_wait_closed: wait (up to 5 s) until nothing listens on the milter's
# port, which the next instance binds.
mt_wait_closed() {
	_mw_end=$((SECONDS + 5))
	while port_listening "$MT_PORT" && [ $SECONDS -lt $_mw_end ]; do
		sleep 0.05
	done
}

# mt_log: print what the current (or last) milter instance logged.
mt_log() {
	cat "$MT_LOG" 2>/dev/null
}

# mta_log_has ERE [SECONDS]: wait (default 5 s) until the MTA has logged a
# line matching the extended regular expression ERE since the last
# mta_log_mark (its log is written asynchronously).  False on timeout.
# The MTA's file provides mta_log_since.
mta_log_has() {
	_lh_end=$((SECONDS + ${2:-5}))
	until mta_log_since | grep -qE -- "$1"; do
		[ $SECONDS -lt $_lh_end ] || return 1
		sleep 0.05
	done
}

# ------------------------------------------------------------------ SASL
#
# SASL AUTH through Cyrus SASL with a sasldb of the test's own, for the
# scenarios of rules with "authenticated" (t/lib/scenarios.sh).  The MTA
# helpers (pf_start with PF_SASL=1, sm_start with SM_SASL=1) point their
# Cyrus configuration at the file e2e_sasl_db makes; nothing in /etc is
# read or written.  Clients log in as $SASL_USER with $SASL_PASSWORD.

SASL_USER=sasluser
SASL_PASSWORD=e2e-sasl-secret

# e2e_sasl_ready: true when SASL AUTH can be tested here; else false,
# printing why: saslpasswd2 (sasl2-bin) makes the sasldb, the
# PLAIN and LOGIN mechanisms come from libsasl2-modules, the sasldb
# plugin from libsasl2-modules-db.
e2e_sasl_ready() {
	command -v saslpasswd2 >/dev/null 2>&1 || {
		echo "saslpasswd2 is not installed (Debian: sasl2-bin)"
		return 1
	}
	for _sa_plugin in plain login sasldb; do
		_sa_found=
		for _sa_f in /usr/lib/*/sasl2/lib$_sa_plugin.so* \
			/usr/lib/sasl2/lib$_sa_plugin.so*; do
			[ -e "$_sa_f" ] && _sa_found=1
		done
		[ -n "$_sa_found" ] || {
			echo "no Cyrus SASL $_sa_plugin plugin (Debian: libsasl2-modules)"
			return 1
		}
	done
}

# e2e_sasl_db FILE REALM: a fresh sasldb FILE holding $SASL_USER@REALM.
e2e_sasl_db() {
	rm -f "$1"
	printf '%s' "$SASL_PASSWORD" |
		saslpasswd2 -f "$1" -c -p -u "$2" "$SASL_USER" || return 1
	[ -s "$1" ] || { echo "e2e: saslpasswd2 made no $1" >&2; return 1; }
}

# e2e_sasl_conf FILE DB: a Cyrus application configuration FILE (such as
# smtpd.conf, Sendmail.conf) checking passwords against the sasldb DB only.
e2e_sasl_conf() {
	cat >"$1" <<-SASLCONF
	pwcheck_method: auxprop
	auxprop_plugin: sasldb
	sasldb_path: $2
	mech_list: PLAIN LOGIN
	SASLCONF
}

# ---------------------------------------------------------- SMTP clients

# e2e_code REPLY: print the reply code and, when present, the enhanced
# status code of an SMTP reply line ("554 5.7.0 text" -> "554 5.7.0").
e2e_code() {
	set -- $1
	case ${2:-} in
	[245].[0-9]*.[0-9]*) echo "$1 $2" ;;
	*) echo "${1:-}" ;;
	esac
}

# sw TRANSCRIPT [SWAKS-OPTIONS...]: run swaks against the private MTA
# (EHLO client.e2e.test unless overridden), its transcript in TRANSCRIPT;
# on $SW_SERVER port $SW_PORT when set (default 127.0.0.1 $SMTP_PORT).
# Returns swaks's exit status (non-zero when anything was refused).
sw() {
	_sw_out=$1
	shift
	timeout 60 swaks --server "${SW_SERVER:-127.0.0.1}" \
		--port "${SW_PORT:-$SMTP_PORT}" \
		--ehlo client.e2e.test --timeout 20 "$@" >"$_sw_out" 2>&1
}

# sw_replies TRANSCRIPT TEXT: print every line of the reply (for EHLO: the
# advertised extensions) to the first command swaks sent that contains
# TEXT, e.g. "MAIL FROM", "RCPT TO:<bob@", "STARTTLS" or "EHLO", without
# swaks's "<-"/"<~*" prefix.
sw_replies() {
	awk -v cmd="$2" '
		!sent && /^ *[-~]> / { if (index($0, cmd)) sent = 1; next }
		sent && /^<[-~*]/ {
			line = $0
			sub(/^<[-~*]+ +/, "", line)
			sub(/\r$/, "", line)
			print line
			if (line ~ /^[0-9][0-9][0-9]( |$)/) exit
		}' "$1"
}

# sw_reply TRANSCRIPT TEXT: the same reply's last line only ("250 2.1.0 Ok").
sw_reply() {
	sw_replies "$1" "$2" | grep -E '^[0-9]{3}( |$)'
}

# A hand-driven SMTP session through "gnutls-cli --starttls", for what
# swaks cannot do: choosing the EHLO names around STARTTLS, or sending MAIL
# right after STARTTLS without a second EHLO.  gnutls-cli runs as a bash
# coprocess: it relays our lines in plaintext until SIGALRM, then performs
# the TLS handshake and relays them encrypted.  Only one session at a time.
#
#   gc_open [GNUTLS-CLI-OPTIONS...]   connect, read the greeting
#   gc_cmd LINE                       send LINE, read the reply
#   gc_starttls                       STARTTLS, then the TLS handshake
#   gc_data SUBJECT TO                DATA with a small message
#   gc_close                          QUIT and stop gnutls-cli
#
# After each step GC_REPLY holds the reply's last line, GC_REPLY_ALL all of
# it; $GC_LOG is the transcript (C: sent, S: received, incl. gnutls-cli's
# own chatter).  Steps return non-zero when the server does not answer.
GC_SEQ=0

gc_open() {
	GC_SEQ=$((GC_SEQ + 1))
	GC_LOG=$E2E_TMP/gc.$GC_SEQ.log
	: >"$GC_LOG"
	coproc GC { exec gnutls-cli --starttls --x509cafile "$PKI/ca.pem" \
		-p "$SMTP_PORT" "$@" 127.0.0.1 2>&1; }
	GC_CPID=$GC_PID
	# Keep our own copies of the pipes: bash closes the coprocess's when
	# it exits, and we may still want to read what it said last.
	exec {GC_OUT}<&"${GC[0]}" {GC_IN}>&"${GC[1]}"
	gc_reply
}

# gc_reply: read one SMTP reply (skipping gnutls-cli's chatter).
gc_reply() {
	GC_REPLY=
	GC_REPLY_ALL=
	while IFS= read -r -t "${GC_TIMEOUT:-15}" _gr_line <&"$GC_OUT"; do
		_gr_line=${_gr_line%$'\r'}
		echo "S: $_gr_line" >>"$GC_LOG"
		case $_gr_line in
		[0-9][0-9][0-9]-*)
			GC_REPLY_ALL="$GC_REPLY_ALL$_gr_line"$'\n' ;;
		[0-9][0-9][0-9] | [0-9][0-9][0-9]" "*)
			GC_REPLY_ALL="$GC_REPLY_ALL$_gr_line"
			GC_REPLY=$_gr_line
			return 0 ;;
		"*** Handshake has failed"* | "- Peer has closed"* | \
		"*** Server has terminated"* | "*** Fatal error"*)
			return 1 ;;
		esac
	done
	echo "S: (no reply: timeout or end of stream)" >>"$GC_LOG"
	return 1
}

# gc_send LINE: send LINE with CRLF, read no reply.
gc_send() {
	echo "C: $1" >>"$GC_LOG"
	printf '%s\r\n' "$1" >&"$GC_IN"
}

gc_cmd() {
	gc_send "$1" && gc_reply
}

# gc_starttls: send STARTTLS; on 220, make gnutls-cli do the handshake and
# wait until it reports the negotiated session.  GC_TLS is then its
# "(TLS1.3-X.509)-(ECDHE-...)-(AES-256-GCM)" description.
gc_starttls() {
	GC_TLS=
	gc_cmd STARTTLS || return 1
	case $GC_REPLY in 220*) ;; *) return 1 ;; esac
	kill -ALRM "$GC_CPID" || return 1
	_gs_started=
	_gs_end=$((SECONDS + 15))
	while [ $SECONDS -lt $_gs_end ]; do
		if ! IFS= read -r -t 1 _gs_line <&"$GC_OUT"; then
			# gnutls-cli checks for the signal only between two
			# waits for input: a signal that arrived just before it
			# went back to waiting is seen late.  Nudge it again.
			[ -n "$_gs_started" ] || kill -ALRM "$GC_CPID" 2>/dev/null
			continue
		fi
		echo "S: $_gs_line" >>"$GC_LOG"
		case $_gs_line in
		"*** Starting TLS handshake"*) _gs_started=1 ;;
		"- Description: "*) GC_TLS=${_gs_line#- Description: }; return 0 ;;
		"*** Handshake has failed"* | "*** Fatal error"*) return 1 ;;
		esac
	done
	return 1
}

# gc_data SUBJECT TO: send DATA and, on 354, a short message with header
# "Subject: SUBJECT"; GC_REPLY is then the reply to the final dot.
gc_data() {
	gc_cmd DATA || return 1
	case $GC_REPLY in 354*) ;; *) return 0 ;; esac
	gc_send "From: <sender@client.e2e.test>"
	gc_send "To: <$2>"
	gc_send "Subject: $1"
	gc_send "Message-ID: <${1// /.}@client.e2e.test>"
	gc_send "Date: $(LC_ALL=C date -R)"
	gc_send ""
	gc_send "A test message sent through gnutls-cli."
	gc_cmd "."
}

# gc_close: say QUIT (when the session is still up) and stop gnutls-cli by
# PID.  Idempotent.
gc_close() {
	[ -n "$GC_CPID" ] || return 0
	if [ -n "$(e2e_proc_state "$GC_CPID")" ]; then
		GC_TIMEOUT=2 gc_cmd QUIT 2>/dev/null
	fi
	kill -TERM "$GC_CPID" 2>/dev/null
	e2e_wait_gone 5 "$GC_CPID" || kill -KILL "$GC_CPID" 2>/dev/null
	wait "$GC_CPID" 2>/dev/null
	exec {GC_OUT}<&- {GC_IN}>&-
	GC_CPID=
}
