# SPDX-License-Identifier: BSD-2-Clause
# t/lib/sendmail.sh: a private Sendmail 8.17 on loopback, from Debian's
# packages unpacked at test time.  Sourced, after t/lib/pki.sh, by
# t/sendmail.t (bash); brings in t/lib/e2e.sh (temporary directory, ports,
# the milter, SMTP clients) and t/lib/sendmail-debs.sh (the packages).
#
# Debian's sendmail-bin conflicts with postfix, so it is never installed:
# the install step downloads sendmail-bin, sendmail-base, sendmail-cf,
# libwrap0 and liblockfile1 into a cache directory (t/sendmail-fetch.sh),
# and sm_start unpacks them with dpkg-deb -x under $E2E_TMP/sendmail.
# What it took to run that copy (measured with 8.17.1.9 on Debian 12):
#
#   - the binary is setgid smmsp, and ld.so ignores LD_LIBRARY_PATH for a
#     setgid program: the private copy loses the bit;
#   - libwrap.so.0 and liblockfile.so.1 come from the unpacked packages
#     (LD_LIBRARY_PATH); the other libraries are the system's;
#   - Sendmail canonicalises its own host name before reading its cf and
#     sleeps 60 s when it cannot: it runs under "unshare -mu", with the
#     host name mx.e2e.test and private files bind-mounted over /etc/hosts
#     (mx.e2e.test is 127.0.0.1) and /etc/nsswitch.conf ("hosts: files":
#     no DNS query, also for the clients' reverse names);
#   - it logs through syslog(3) only: in the same namespace a tmpfs over
#     /dev holds the few devices it needs and a /dev/log bound to a
#     datagram socket whose receiver (perl) writes $SM_LOG;
#   - a server key readable by others, or a world-writable directory
#     above it (the sticky /tmp), silently disables STARTTLS: keys are
#     0600 and DontBlameSendmail=TrustStickyBit;
#   - sendmail.cf is built from the m4 files with every path (queue, pid,
#     status, help, service switch, hosts) inside $E2E_TMP/sendmail, one
#     listener on 127.0.0.1, the stock milter macro lists, and a "sink"
#     mailer that writes each message for e2e.test into a Maildir under
#     $E2E_TMP/mail, as user nobody.  Nothing is ever relayed elsewhere.
#
# Nothing of the host is changed: the namespace's mounts and host name go
# with its last process.  sm_stop (called by e2e_cleanup) stops Sendmail,
# its children and the log receiver by PID.  Requires root.
#
# Variables for callers (and those of e2e.sh):
#   SM_DEBS     the package cache (t/lib/sendmail-debs.sh)
#   SM_DIR      the instance's directory; SM_LOG its log
#   SM_VERSION  the version of the sendmail-bin package
#   SM_LISTEN_MC  (set before sm_start) sendmail.mc lines that replace the
#               one listener on $SMTP_PORT with the milter on $MT_PORT
#   SM_SASL     (set to 1 before sm_start) offer SASL AUTH (PLAIN, LOGIN)
#               for $SASL_USER/$SASL_PASSWORD (e2e.sh), see sm_write_sasl.
#               Check e2e_sasl_ready first.

. "$(dirname "${BASH_SOURCE[0]}")/e2e.sh"
. "$(dirname "${BASH_SOURCE[0]}")/sendmail-debs.sh"

SM_HOSTNAME=mx.$E2E_DOMAIN
SM_PID=
SM_LOGD_PID=

# sm_unpack: unpack the cached packages into $SM_DIR/root and make the
# private binary usable (see above).  Sets SM_BIN, SM_LIBS, SM_CF_DIR.
sm_unpack() {
	SM_ROOT=$SM_DIR/root
	mkdir -p "$SM_ROOT" || return 1
	for _su_p in $SM_PACKAGES; do
		dpkg-deb -x "$(ls "$SM_DEBS/${_su_p}_"*.deb | tail -n 1)" "$SM_ROOT" ||
			return 1
	done
	SM_BIN=$SM_ROOT/usr/libexec/sendmail/sendmail
	SM_LIBS=$SM_ROOT/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null ||
		echo x86_64-linux-gnu)
	SM_CF_DIR=$SM_ROOT/usr/share/sendmail/cf
	chmod g-s "$SM_BIN" || return 1
	if LD_LIBRARY_PATH=$SM_LIBS ldd "$SM_BIN" | grep -q 'not found'; then
		echo "e2e: libraries Sendmail needs are missing:" >&2
		LD_LIBRARY_PATH=$SM_LIBS ldd "$SM_BIN" | grep 'not found' >&2
		return 1
	fi
	# (Not "sendmail -d0.1": outside the namespace it would sleep 60 s.)
	SM_VERSION=$(dpkg-deb -f "$(ls "$SM_DEBS/sendmail-bin_"*.deb |
		tail -n 1)" Version)
}

# sm_write_config: sendmail.mc -> sendmail.cf and the files it names, the
# sink mailer, and the namespace script ns.sh that starts Sendmail.
sm_write_config() {
	SM_QUEUE=$SM_DIR/queue
	SM_MAILDIR=$E2E_TMP/mail
	mkdir -p "$SM_QUEUE" "$SM_MAILDIR" || return 1
	chmod 0700 "$SM_QUEUE" || return 1
	chown nobody "$SM_MAILDIR" || return 1
	: >"$SM_DIR/statistics"
	: >"$SM_DIR/local-host-names"
	echo "hosts files" >"$SM_DIR/service.switch"
	echo "127.0.0.1 $SM_HOSTNAME localhost" >"$SM_DIR/hosts"
	echo "hosts: files" >"$SM_DIR/nsswitch.conf"

	# The sink mailer: one message on stdin for user $1 into its Maildir
	# (Sendmail gives a mailer almost no environment: the path is here).
	cat >"$SM_DIR/sink.sh" <<-SINK
	#!/bin/sh
	d=$SM_MAILDIR/\$1
	mkdir -p "\$d/tmp" "\$d/new" || exit 75
	f=\$(date +%s).\$\$
	cat >"\$d/tmp/\$f" && mv "\$d/tmp/\$f" "\$d/new/\$f" || exit 75
	SINK
	chmod 0755 "$SM_DIR/sink.sh" || return 1

	_wc_auth=
	_wc_mount_sasl=
	if [ -n "${SM_SASL:-}" ]; then
		sm_write_sasl || return 1
		_wc_auth="define(\`confAUTH_MECHANISMS', \`PLAIN LOGIN')dnl
TRUST_AUTH_MECH(\`PLAIN LOGIN')dnl"
		_wc_mount_sasl="mount --bind $SM_DIR/sasl2 /usr/lib/sasl2"
	fi

	# Listeners on $SMTP_PORT and $SMTP_PORT2 (and on [::1]:$SMTP_PORT),
	# the milter on $MT_PORT, unless the caller has its own.
	_wc_v6=
	[ -z "${E2E_IPV6:-}" ] ||
		_wc_v6="DAEMON_OPTIONS(\`Port=$SMTP_PORT, Addr=::1, Family=inet6, Name=MTA-v6')dnl"
	_wc_listen=${SM_LISTEN_MC:-"DAEMON_OPTIONS(\`Port=$SMTP_PORT, Addr=127.0.0.1, Name=MTA')dnl
DAEMON_OPTIONS(\`Port=$SMTP_PORT2, Addr=127.0.0.1, Name=MTA2')dnl
$_wc_v6
INPUT_MAIL_FILTER(\`tls-policy-milter', \`S=inet:$MT_PORT@127.0.0.1, F=T, T=C:10s;S:10s;R:10s;E:30s')dnl"}

	# Every path inside $SM_DIR; the stock milter macro lists (the milter
	# asks for what it needs); no DNS, no ident, no other listener.
	cat >"$SM_DIR/sendmail.mc" <<-MC
	divert(-1)
	divert(0)dnl
	VERSIONID(\`tls-policy-milter e2e')dnl
	OSTYPE(\`linux')dnl
	define(\`confDOMAIN_NAME', \`$SM_HOSTNAME')dnl
	define(\`QUEUE_DIR', \`$SM_QUEUE')dnl
	define(\`STATUS_FILE', \`$SM_DIR/statistics')dnl
	define(\`HELP_FILE', \`$SM_ROOT/etc/mail/helpfile')dnl
	define(\`ALIAS_FILE', \`')dnl
	define(\`confPID_FILE', \`$SM_DIR/sendmail.pid')dnl
	define(\`confSERVICE_SWITCH_FILE', \`$SM_DIR/service.switch')dnl
	define(\`confHOSTS_FILE', \`$SM_DIR/hosts')dnl
	define(\`confCW_FILE', \`-o $SM_DIR/local-host-names')dnl
	define(\`confDONT_BLAME_SENDMAIL', \`TrustStickyBit')dnl
	define(\`confDONT_PROBE_INTERFACES', \`true')dnl
	define(\`confTO_IDENT', \`0s')dnl
	define(\`confLOG_LEVEL', \`14')dnl
	define(\`confMILTER_LOG_LEVEL', \`4')dnl
	define(\`confCACERT_PATH', \`$PKI')dnl
	define(\`confCACERT', \`$PKI/cas.pem')dnl
	define(\`confSERVER_CERT', \`$PKI/server.pem')dnl
	define(\`confSERVER_KEY', \`$PKI/server.key')dnl
	define(\`confDEF_USER_ID', \`nobody')dnl
	define(\`confPRIVACY_FLAGS', \`goaway')dnl
	${SM_EXTRA_MC:-}
	$_wc_auth
	FEATURE(\`no_default_msa')dnl
	FEATURE(\`accept_unresolvable_domains')dnl
	FEATURE(\`nocanonify')dnl
	RELAY_DOMAIN(\`$E2E_DOMAIN')dnl
	$_wc_listen
	MAILER(\`smtp')dnl
	MAILER_DEFINITIONS
	Msink,	P=/bin/sh, F=lsDFMnu8, S=EnvFromL, R=EnvToL, U=nobody, T=DNS/RFC822/X-Unix, A=sh $SM_DIR/sink.sh \$u
	LOCAL_RULE_0
	R\$+ < @ $E2E_DOMAIN \$* > \$*	\$#sink \$@ $E2E_DOMAIN \$: \$1
	MC
	m4 -D_CF_DIR_="$SM_CF_DIR/" "$SM_CF_DIR/m4/cf.m4" "$SM_DIR/sendmail.mc" \
		>"$SM_DIR/sendmail.cf" 2>"$SM_DIR/m4.err" || {
		cat "$SM_DIR/m4.err" >&2
		return 1
	}

	# Run inside "unshare -mu": host name, /etc/hosts, /etc/nsswitch.conf,
	# and a /dev of its own with /dev/log.
	cat >"$SM_DIR/ns.sh" <<-NS
	#!/bin/sh
	set -e
	hostname $SM_HOSTNAME
	mount --bind $SM_DIR/hosts /etc/hosts
	mount --bind $SM_DIR/nsswitch.conf /etc/nsswitch.conf
	$_wc_mount_sasl
	mkdir -p $SM_DIR/hostdev
	mount --bind /dev $SM_DIR/hostdev
	mount -t tmpfs -o mode=0755 tmpfs /dev
	for n in null zero random urandom full tty; do
		[ -e $SM_DIR/hostdev/\$n ] || continue
		touch /dev/\$n
		mount --bind $SM_DIR/hostdev/\$n /dev/\$n
	done
	ln -s /proc/self/fd /dev/fd
	touch /dev/log
	mount --bind $SM_DIR/log.sock /dev/log
	umount -l $SM_DIR/hostdev
	export LD_LIBRARY_PATH=$SM_LIBS
	exec $SM_BIN -bD -C $SM_DIR/sendmail.cf
	NS
	chmod 0755 "$SM_DIR/ns.sh"
}

# sm_write_sasl: Sendmail.conf and a sasldb for Cyrus SASL under
# $SM_DIR/sasl2.  Sendmail sets no configuration path of its own, so Cyrus
# looks in its built-in ones, /etc/sasl2 and /usr/lib/sasl2 on Debian:
# ns.sh bind-mounts this directory over /usr/lib/sasl2 (which libsasl2-2,
# a library Sendmail links, provides: nothing is created on the host).
# Cyrus's realm is Sendmail's host name; {auth_authen} is the login as
# the client typed it ("$SASL_USER").  Sendmail checks the sasldb's
# safety: root's, 0600.
sm_write_sasl() {
	[ -d /usr/lib/sasl2 ] || {
		echo "e2e: no /usr/lib/sasl2 to put Sendmail.conf over" >&2
		return 1
	}
	mkdir -p "$SM_DIR/sasl2" || return 1
	e2e_sasl_db "$SM_DIR/sasl2/sasldb2" "$SM_HOSTNAME" || return 1
	chmod 0600 "$SM_DIR/sasl2/sasldb2" || return 1
	e2e_sasl_conf "$SM_DIR/sasl2/Sendmail.conf" "$SM_DIR/sasl2/sasldb2"
}

# sm_start_logd: a syslog receiver on $SM_DIR/log.sock writing $SM_LOG.
sm_start_logd() {
	SM_LOG=$SM_DIR/maillog
	rm -f "$SM_DIR/log.sock"
	: >"$SM_LOG"
	perl -MIO::Socket::UNIX -MSocket -e '
		my ($path, $log) = @ARGV;
		my $s = IO::Socket::UNIX->new(Type => SOCK_DGRAM, Local => $path)
			or die "log.sock: $!\n";
		chmod 0666, $path;
		open(my $out, ">>", $log) or die "$log: $!\n";
		$out->autoflush(1);
		while (defined $s->recv(my $msg, 8192)) {
			$msg =~ s/\n*$//;
			print $out $msg, "\n";
		}' "$SM_DIR/log.sock" "$SM_LOG" 2>"$SM_DIR/logd.err" &
	SM_LOGD_PID=$!
	_sl_end=$((SECONDS + 5))
	until [ -S "$SM_DIR/log.sock" ]; do
		[ $SECONDS -lt $_sl_end ] || { cat "$SM_DIR/logd.err" >&2; return 1; }
		sleep 0.05
	done
}

# sm_start: unpack, configure and start the private Sendmail; wait until
# it listens on 127.0.0.1:$SMTP_PORT.  Returns non-zero, with the reason on
# stderr, on failure.
sm_start() {
	SM_DIR=$E2E_TMP/sendmail
	mkdir -p "$SM_DIR" || return 1
	sm_unpack || return 1
	sm_write_config || return 1
	sm_start_logd || return 1
	# Its own session, so that sm_stop finds its children.
	setsid unshare -mu "$SM_DIR/ns.sh" >"$SM_DIR/out" 2>&1 </dev/null &
	SM_PID=$!
	if ! port_wait_listen "$SMTP_PORT" 20; then
		echo "e2e: Sendmail does not listen on 127.0.0.1:$SMTP_PORT" >&2
		cat "$SM_DIR/out" "$SM_LOG" >&2 2>/dev/null
		return 1
	fi
	grep -q "STARTTLS=server, init=1" "$SM_LOG" || {
		echo "e2e: Sendmail offers no STARTTLS:" >&2
		cat "$SM_LOG" >&2
		return 1
	}
}

# sm_stop: stop Sendmail and its children (SIGTERM, then SIGKILL after
# 10 s), and the log receiver.  Idempotent.
sm_stop() {
	if [ -n "$SM_PID" ]; then
		_ss_group=$(e2e_pgrp_members "$SM_PID")
		kill -TERM $_ss_group 2>/dev/null
		if ! e2e_wait_gone 10 $_ss_group; then
			echo "# e2e: Sendmail did not stop on SIGTERM, killing" >&2
			kill -KILL $(e2e_pgrp_members "$SM_PID") 2>/dev/null
			e2e_wait_gone 5 $_ss_group
		fi
		wait "$SM_PID" 2>/dev/null
		SM_PID=
	fi
	if [ -n "$SM_LOGD_PID" ]; then
		kill -TERM "$SM_LOGD_PID" 2>/dev/null
		wait "$SM_LOGD_PID" 2>/dev/null
		SM_LOGD_PID=
	fi
}

# ------------------------------------------------ what the scenarios use

sm_log_since() {
	tail -n +"$((${SM_LOG_MARK:-0} + 1))" "$SM_LOG" 2>/dev/null
}

# sm_queue_idle [SECONDS]: wait (default 10 s) until no message is in the
# queue (Sendmail delivers in a child, in the background) and no child
# is left delivering.  False on timeout.
sm_queue_idle() {
	_sq_end=$((SECONDS + ${1:-10}))
	while [ -n "$(find "$SM_QUEUE" -maxdepth 1 -type f -name '[dqtx]f*' -print -quit)" ]; do
		[ $SECONDS -lt $_sq_end ] || return 1
		sleep 0.05
	done
}

mta_stop() { sm_stop; }
mta_log_mark() { SM_LOG_MARK=$(wc -l <"$SM_LOG" 2>/dev/null || echo 0); }
mta_log_since() { sm_log_since; }
mta_queue_idle() { sm_queue_idle "$@"; }

# mta_mailbox_count USER SUBJECT: messages with "Subject: SUBJECT" in
# USER's Maildir.
mta_mailbox_count() {
	_mc_n=0
	for _mc_f in "$SM_MAILDIR/$1"/new/*; do
		[ -f "$_mc_f" ] || continue
		grep -qFx "Subject: $2" "$_mc_f" && _mc_n=$((_mc_n + 1))
	done
	echo "$_mc_n"
}
mta_mailbox_has() {
	_mh_end=$((SECONDS + ${3:-10}))
	until [ "$(mta_mailbox_count "$1" "$2")" -gt 0 ]; do
		[ $SECONDS -lt $_mh_end ] || return 1
		sleep 0.05
	done
}
mta_mailbox_lacks() {
	sm_queue_idle 10
	[ "$(mta_mailbox_count "$1" "$2")" -eq 0 ]
}

# Sendmail logs "STARTTLS=server, relay=..., version=..., verify=X": NO
# when the client sent no certificate, FAIL when it could not be verified.
mta_tls_seen() {
	case $1 in
	none) mta_log_has "STARTTLS=server, .* verify=NO," ;;
	unverified) mta_log_has "STARTTLS=server, .* verify=FAIL," ;;
	verified) mta_log_has "STARTTLS=server, .* verify=OK," ;;
	*) return 1 ;;
	esac
}

# Sendmail logs no command counts: the client's transcript shows MAIL as
# the first command after the handshake, and Sendmail's log the TLS
# session.
mta_no_second_ehlo() {
	mta_log_has "STARTTLS=server, " &&
	awk '/^S: \*\*\* Starting TLS handshake/ { tls = 1; next }
		tls && /^C: / { exit !($0 ~ /^C: MAIL FROM/) }
		END { if (!tls) exit 1 }' "$GC_LOG"
}
