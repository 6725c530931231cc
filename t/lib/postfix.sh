# SPDX-License-Identifier: BSD-2-Clause
# t/lib/postfix.sh: a private Postfix on loopback.  Sourced, after
# t/lib/pki.sh, by t/postfix.t and t/demo.sh (bash); brings in t/lib/e2e.sh
# (temporary directory, ports, the milter, SMTP clients).
#
# Nothing of the host's mail system is read or touched: Postfix gets its
# own (absolute) config_directory, queue_directory, data_directory and
# maillog_file, its own master.cf with chroot "n", listens on a free high
# port of 127.0.0.1 and delivers with virtual(8) into one Maildir per user
# under $E2E_TMP/mail, owned by "nobody".  Mail to any other domain goes to
# the error transport, so nothing ever leaves the machine.  Requires root:
# Postfix's master runs as root.
#
# Variables for callers (and those of e2e.sh):
#   PF_PORT     Postfix's SMTP port on 127.0.0.1 ($SMTP_PORT)
#   PF_DOMAIN   the domain Postfix accepts mail for; users: $PF_USERS,
#               whose Maildirs are named after the user ("alice")
#   PF_EXTRA_MAILBOXES  (set before pf_start) more addresses Postfix accepts,
#               whose Maildirs are named after the address
#   PF_MAILLOG  Postfix's log file
#   PF_EXTRA_MASTER_CF  (set before pf_start) more master.cf lines, such
#               as further smtpd listeners with their own -o settings
#   PF_SASL     (set to 1 before pf_start) offer SASL AUTH (PLAIN, LOGIN)
#               for $SASL_USER/$SASL_PASSWORD (e2e.sh): Cyrus SASL with
#               smtpd.conf and a sasldb under $config_directory/sasl.
#               Check e2e_sasl_ready first.

. "$(dirname "${BASH_SOURCE[0]}")/e2e.sh"

PF_DOMAIN=$E2E_DOMAIN
PF_USERS="alice bob finance"
PF_MASTER_PID=

# pf_require: skip the whole test (skip_all) unless it runs as root, with
# postfix, postconf, swaks, gnutls-cli and certtool (/usr/sbin added to
# PATH) and the users postfix and nobody.
pf_require() {
	[ "$(id -u)" -eq 0 ] || skip_all "needs root to run a private Postfix"
	PATH=$PATH:/usr/sbin:/sbin
	for _tool in postfix postconf swaks gnutls-cli certtool; do
		command -v "$_tool" >/dev/null 2>&1 || skip_all "$_tool is not installed"
	done
	for _user in postfix nobody; do
		id "$_user" >/dev/null 2>&1 || skip_all "no user $_user"
	done
}

# --------------------------------------------------------------- Postfix

# pf_write_config: write main.cf, master.cf and the mailbox table for the
# private instance under $E2E_TMP/postfix.  $PF_EXTRA_MAIN_CF may hold
# main.cf settings ("name = value", one a line) that override ours.
pf_write_config() {
	PF_DIR=$E2E_TMP/postfix
	PF_CONF=$PF_DIR/etc
	PF_QUEUE=$PF_DIR/queue
	PF_DATA=$PF_DIR/data
	PF_MAILDIR=$E2E_TMP/mail
	PF_MAILLOG=$PF_DIR/maillog
	mkdir -p "$PF_CONF" "$PF_QUEUE" "$PF_DATA" "$PF_MAILDIR" || return 1
	chown postfix "$PF_DATA" || return 1
	chown nobody "$PF_MAILDIR" || return 1

	_wc_domains=$PF_DOMAIN
	for _wc_a in ${PF_EXTRA_MAILBOXES:-}; do
		case " $_wc_domains " in
		*" ${_wc_a#*@} "*) ;;
		*) _wc_domains="$_wc_domains ${_wc_a#*@}" ;;
		esac
	done

	# Postfix's TLS logging is how a test can tell what the server saw;
	# no peer name lookups (no DNS), no error or flow-control sleeps.
	_wc_protocols=ipv4
	[ -z "${E2E_IPV6:-}" ] || _wc_protocols=all	# then also on [::1]
	cat >"$PF_CONF/main.cf" <<-MAINCF
	compatibility_level = 3.6
	config_directory = $PF_CONF
	queue_directory = $PF_QUEUE
	data_directory = $PF_DATA
	maillog_file = $PF_MAILLOG
	maillog_file_prefixes = $PF_DIR
	myhostname = mx.$PF_DOMAIN
	mydomain = $PF_DOMAIN
	myorigin = $PF_DOMAIN
	mydestination =
	inet_interfaces = 127.0.0.1
	inet_protocols = $_wc_protocols
	recipient_delimiter = +
	mynetworks = 127.0.0.1/32
	alias_maps =
	alias_database =
	smtpd_peername_lookup = no
	smtpd_error_sleep_time = 0
	in_flow_delay = 0
	biff = no
	default_transport = error:5.7.1 e2e tests deliver nowhere
	relay_transport = error:5.7.1 e2e tests deliver nowhere
	virtual_mailbox_domains = $_wc_domains
	virtual_mailbox_base = $PF_MAILDIR
	virtual_mailbox_maps = texthash:$PF_CONF/vmailbox
	virtual_uid_maps = static:$(id -u nobody)
	virtual_gid_maps = static:$(id -g nobody)
	smtpd_tls_security_level = may
	smtpd_tls_cert_file = $PKI/server.pem
	smtpd_tls_key_file = $PKI/server.key
	smtpd_tls_CAfile = $PKI/cas.pem
	smtpd_tls_ask_ccert = yes
	smtpd_tls_loglevel = 1
	smtpd_tls_received_header = yes
	smtpd_milters = inet:127.0.0.1:$MT_PORT
	milter_default_action = tempfail
	milter_protocol = 6
	milter_connect_timeout = 10s
	milter_command_timeout = 10s
	MAINCF
	[ -z "${PF_SASL:-}" ] || pf_write_sasl || return 1
	# Caller's overrides, one "name = value" a line.
	printf '%s\n' "${PF_EXTRA_MAIN_CF:-}" | while IFS= read -r _wc_line; do
		[ -z "$_wc_line" ] || postconf -c "$PF_CONF" -e "$_wc_line" || exit 1
	done || return 1

	# Maildirs (trailing slash): one file per delivered message.
	{
		for _wc_user in $PF_USERS; do
			echo "$_wc_user@$PF_DOMAIN $_wc_user/"
		done
		for _wc_a in ${PF_EXTRA_MAILBOXES:-}; do
			echo "$_wc_a $_wc_a/"
		done
	} >"$PF_CONF/vmailbox"

	# Only the services this instance needs, none chrooted.  With
	# E2E_VERBOSE set, smtpd logs which macros go to the milter.
	_wc_v=
	[ -z "${E2E_VERBOSE:-}" ] || _wc_v=" -v"
	cat >"$PF_CONF/master.cf" <<-MASTERCF
	127.0.0.1:$PF_PORT inet n - n - - smtpd$_wc_v
	127.0.0.1:$SMTP_PORT2 inet n - n - - smtpd$_wc_v
	${E2E_IPV6:+[::1]:$PF_PORT inet n - n - - smtpd$_wc_v}
	cleanup   unix n - n - 0 cleanup
	qmgr      unix n - n 300 1 qmgr
	tlsmgr    unix - - n 1000? 1 tlsmgr
	rewrite   unix - - n - - trivial-rewrite
	bounce    unix - - n - 0 bounce
	defer     unix - - n - 0 bounce
	trace     unix - - n - 0 bounce
	verify    unix - - n - 1 verify
	flush     unix n - n 1000? 0 flush
	proxymap  unix - - n - - proxymap
	showq     unix n - n - - showq
	error     unix - - n - - error
	retry     unix - - n - - error
	discard   unix - - n - - discard
	virtual   unix - n n - - virtual
	anvil     unix - - n - 1 anvil
	scache    unix - - n - 1 scache
	postlog   unix-dgram n - n - 1 postlogd
	MASTERCF
	[ -z "${PF_EXTRA_MASTER_CF:-}" ] ||
		printf '%s\n' "$PF_EXTRA_MASTER_CF" >>"$PF_CONF/master.cf"
}

# pf_write_sasl: SASL AUTH for the private instance, with nothing outside
# $PF_CONF.  Debian's Postfix has Cyrus read smtpd.conf (smtpd_sasl_path)
# from $config_directory/sasl/ whatever cyrus_sasl_config_path says (measured
# with strace, 3.7.11); an upstream build reads cyrus_sasl_config_path:
# both point there.  smtpd (user postfix) opens the sasldb per login.
# Cyrus appends smtpd_sasl_local_domain to a login without "@", so
# $SASL_USER's realm is $PF_DOMAIN and {auth_authen} "$SASL_USER@$PF_DOMAIN".
pf_write_sasl() {
	mkdir -p "$PF_CONF/sasl" || return 1
	e2e_sasl_db "$PF_CONF/sasl/sasldb2" "$PF_DOMAIN" || return 1
	e2e_sasl_conf "$PF_CONF/sasl/smtpd.conf" "$PF_CONF/sasl/sasldb2" || return 1
	chown postfix "$PF_CONF/sasl/sasldb2" || return 1
	chmod 0600 "$PF_CONF/sasl/sasldb2" || return 1
	cat >>"$PF_CONF/main.cf" <<-MAINCF
	smtpd_sasl_auth_enable = yes
	smtpd_sasl_type = cyrus
	smtpd_sasl_path = smtpd
	cyrus_sasl_config_path = $PF_CONF/sasl
	smtpd_sasl_local_domain = $PF_DOMAIN
	smtpd_sasl_security_options = noanonymous
	smtpd_tls_auth_only = no
	MAINCF
}

# pf_start: configure and start the private Postfix, wait until it listens
# on 127.0.0.1:$PF_PORT.  Sets PF_MASTER_PID.  Returns non-zero, with the
# reason on stderr, on failure.
pf_start() {
	pf_write_config || return 1
	# "postfix start" checks the instance (creating the queue's
	# subdirectories), starts master(8) and waits until it runs.  It
	# reports problems only to a terminal or to the maillog.
	if ! postfix -c "$PF_CONF" start >"$PF_DIR/start.out" 2>&1; then
		echo "e2e: postfix start failed:" >&2
		cat "$PF_DIR/start.out" "$PF_MAILLOG" >&2 2>/dev/null
		return 1
	fi
	read -r PF_MASTER_PID <"$PF_QUEUE/pid/master.pid" || return 1
	if ! port_wait_listen "$PF_PORT" 20; then
		echo "e2e: Postfix does not listen on 127.0.0.1:$PF_PORT" >&2
		cat "$PF_MAILLOG" >&2 2>/dev/null
		return 1
	fi
}

# pf_stop: stop the private Postfix: SIGTERM to master (which terminates
# its process group), wait until every process of the group is gone,
# SIGKILL stragglers by PID.  Idempotent.
pf_stop() {
	[ -n "$PF_MASTER_PID" ] || return 0
	# master(8) is a session leader: its children share its process group.
	_pf_group=$(e2e_pgrp_members "$PF_MASTER_PID")
	kill -TERM "$PF_MASTER_PID" 2>/dev/null
	if ! e2e_wait_gone 10 "$PF_MASTER_PID" $_pf_group; then
		echo "# e2e: Postfix did not stop on SIGTERM, killing" >&2
		kill -KILL $(e2e_pgrp_members "$PF_MASTER_PID") 2>/dev/null
		e2e_wait_gone 5 $_pf_group
	fi
	PF_MASTER_PID=
}

# pf_log: print Postfix's log.  pf_log_mark remembers its current end;
# pf_log_since prints what was logged after the last mark.
pf_log() {
	cat "$PF_MAILLOG" 2>/dev/null
}
pf_log_mark() {
	PF_LOG_MARK=$(wc -l <"$PF_MAILLOG" 2>/dev/null || echo 0)
}
pf_log_since() {
	tail -n +"$((${PF_LOG_MARK:-0} + 1))" "$PF_MAILLOG" 2>/dev/null
}

# pf_queue_busy: true while a message is being received or delivered
# (files in incoming, active or maildrop; deferred mail is settled).
pf_queue_busy() {
	[ -n "$(find "$PF_QUEUE/incoming" "$PF_QUEUE/active" \
		"$PF_QUEUE/maildrop" -type f -print -quit 2>/dev/null)" ]
}

# pf_wait_queue_idle [SECONDS]: wait (default 10 s) until nothing is being
# received or delivered.  False on timeout.
pf_wait_queue_idle() {
	_wq_end=$((SECONDS + ${1:-10}))
	while pf_queue_busy; do
		[ $SECONDS -lt $_wq_end ] || return 1
		sleep 0.05
	done
}

# pf_mailbox_count MAILBOX SUBJECT: print how many messages with the header
# line "Subject: SUBJECT" the Maildir MAILBOX (a user of $PF_DOMAIN, or an
# address of $PF_EXTRA_MAILBOXES) holds now.
pf_mailbox_count() {
	_mc_n=0
	for _mc_f in "$PF_MAILDIR/$1"/new/* "$PF_MAILDIR/$1"/cur/*; do
		[ -f "$_mc_f" ] || continue
		grep -qFx "Subject: $2" "$_mc_f" && _mc_n=$((_mc_n + 1))
	done
	echo "$_mc_n"
}

# pf_mailbox_has USER SUBJECT [SECONDS]: wait (default 10 s) until the
# message reaches USER's Maildir.  Delivery is asynchronous, hence the
# polling.  False on timeout.
pf_mailbox_has() {
	_mh_end=$((SECONDS + ${3:-10}))
	until [ "$(pf_mailbox_count "$1" "$2")" -gt 0 ]; do
		[ $SECONDS -lt $_mh_end ] || return 1
		sleep 0.05
	done
}

# pf_mailbox_lacks USER SUBJECT: wait until the queue is idle (so that a
# message Postfix accepted would have been delivered by now), then true
# when USER's Maildir has no such message.
pf_mailbox_lacks() {
	pf_wait_queue_idle 10
	[ "$(pf_mailbox_count "$1" "$2")" -eq 0 ]
}

# The names the shared scenarios (t/lib/scenarios.sh) use.  Postfix logs
# "Anonymous" (no client certificate), "Untrusted" or "Trusted" TLS
# connections, and counts the commands of a session at its end.
mta_tls_seen() {
	case $1 in
	none) mta_log_has "Anonymous TLS connection established" ;;
	unverified) mta_log_has "Untrusted TLS connection established" ;;
	verified) mta_log_has "Trusted TLS connection established" ;;
	*) return 1 ;;
	esac
}
mta_no_second_ehlo() {
	mta_log_has "disconnect from .* ehlo=1 starttls=1 mail="
}
mta_stop() { pf_stop; }
mta_log_mark() { pf_log_mark; }
mta_log_since() { pf_log_since; }
mta_mailbox_count() { pf_mailbox_count "$@"; }
mta_mailbox_has() { pf_mailbox_has "$@"; }
mta_mailbox_lacks() { pf_mailbox_lacks "$@"; }
mta_queue_idle() { pf_wait_queue_idle "$@"; }
