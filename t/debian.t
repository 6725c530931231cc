#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# t/debian.t - the Debian package on this machine, behind the system
# Postfix set up as README's "Attaching it to Postfix" says.
#
# Builds the package (dpkg-buildpackage -us -uc -b in a copy of the
# source; TPM_DEB=/path/to.deb takes a built one instead), runs lintian,
# installs it with apt-get and checks what it made (user, directories,
# conffile, unit).  Then the system Postfix, as Debian ships it (smtpd
# chrooted in /var/spool/postfix): installed with "No configuration" it
# has no main.cf, so this test writes a minimal loopback-only one (what
# "Internet Site" would write, its certificate from a test PKI) and
# applies README's "postconf -e" lines, read from README itself.  The
# daemon is started as its unit would start it (systemd is not PID 1
# here): "systemd-analyze verify" on the installed unit, then the unit's
# ExecStart as its User and Group, with its UMask and RuntimeDirectory
# (not its namespaces: ProtectSystem= is checked by reading
# ReadWritePaths=).  Postfix is started as postfix@-.service would.
# Mail goes to 127.0.0.1 port 25: refused with 554 5.7.0 without a
# verified client certificate, accepted with one; the policy is reloaded
# the unit's way (ExecReload) and the new rule refuses.  Then the package
# is installed over itself (the edited policy stays), removed, purged;
# Postfix's directories are restored from a copy, and every path under
# /etc /usr /var /opt /srv /run (but logs, caches and the package
# databases) is as before.
#
# It changes the system: it runs only as root on Debian, with
# TPM_SYSTEM_TESTS=1 (.ci/run sets it), and only where that is harmless:
# the package not installed, no user tls-policy-milter, the system
# Postfix stopped with an empty queue and port 25 free.  Without them,
# or without the tools and build dependencies, it is skipped.  Kills
# only what it started, by PID.  E2E_KEEP=1 keeps its directory.  TAP.

[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
PATH=$PATH:/usr/sbin:/sbin

skip_all() { echo "1..0 # SKIP $*"; exit 0; }

# ---------------------------------------------------------------- checks
[ "${TPM_SYSTEM_TESTS:-}" = 1 ] ||
	skip_all "installs a package and runs the system Postfix: set TPM_SYSTEM_TESTS=1 (.ci/run does)"
# (Mode bits, not test -w, which is always true for root.)
[ -n "$(find "$top_srcdir" -maxdepth 0 -perm -u=w)" ] ||
	skip_all "a read-only source tree (make distcheck's): the system test runs from the checkout"
[ "$(id -u)" -eq 0 ] || skip_all "needs root"
[ -f /etc/debian_version ] || skip_all "not Debian"
for _tool in dpkg dpkg-query apt-get lintian postfix postconf postmulti \
	swaks certtool systemd-analyze setpriv tar; do
	command -v "$_tool" >/dev/null 2>&1 || skip_all "$_tool is not installed"
done
if [ -z "${TPM_DEB:-}" ]; then
	[ -f "$top_srcdir/debian/control" ] || skip_all "no debian/ here"
	command -v dpkg-buildpackage >/dev/null 2>&1 ||
		skip_all "dpkg-buildpackage is not installed (dpkg-dev)"
	_missing=$(cd "$top_srcdir" && dpkg-checkbuilddeps 2>&1) ||
		skip_all "build dependencies missing: ${_missing##*: }"
fi
case $(dpkg-query -W -f='${db:Status-Status}' tls-policy-milter 2>/dev/null) in
'' | not-installed) ;;
*) skip_all "tls-policy-milter is installed here already" ;;
esac
getent passwd tls-policy-milter >/dev/null || getent group tls-policy-milter >/dev/null &&
	skip_all "a user or group tls-policy-milter exists here already"
[ ! -e /var/spool/postfix/tls-policy-milter ] ||
	skip_all "/var/spool/postfix/tls-policy-milter exists here already"
# Without main.cf ("No configuration"), postconf knows only the defaults.
QUEUE=$(postconf -h queue_directory 2>/dev/null || postconf -dh queue_directory)
read -r _pid 2>/dev/null <"$QUEUE/pid/master.pid" && kill -0 "$_pid" 2>/dev/null &&
	skip_all "the system Postfix is running: this test would reconfigure a live MTA"
[ -z "$(find "$QUEUE/incoming" "$QUEUE/active" "$QUEUE/deferred" "$QUEUE/hold" \
	"$QUEUE/maildrop" -type f -print -quit 2>/dev/null)" ] ||
	skip_all "the system Postfix's queue holds mail"
# Listening (0A) on port 25, any address (not the TIME_WAIT of a last run).
awk 'FNR > 1 && $2 ~ /:0019$/ && $4 == "0A" { f = 1 } END { exit !f }' \
	/proc/net/tcp /proc/net/tcp6 2>/dev/null && skip_all "something listens on port 25"

. "$top_srcdir/t/lib/tap.sh"	# ok, not_ok, diag, tap_tmpdir
. "$top_srcdir/t/lib/proc.sh"	# alive, wait_socket
. "$top_srcdir/t/lib/pki.sh"	# pki_make
. "$top_srcdir/t/lib/e2e.sh"	# port_wait_listen, e2e_pgrp_members, e2e_wait_gone

T0=$SECONDS
PKG=tls-policy-milter
PF_DIRS="etc/postfix var/spool/postfix var/lib/postfix"
PF_UNIT=/lib/systemd/system/postfix@.service
MILTER_PID= PF_MASTER= PF_STARTED= INSTALLED= PF_SAVED=

# --------------------------------------------------------------- helpers

# phase NAME: the seconds since the last phase, for the summary.
PHASES= T_PHASE=$SECONDS
phase() {
	PHASES="$PHASES${PHASES:+, }$1 $((SECONDS - T_PHASE)) s"
	T_PHASE=$SECONDS
}

# done_testing: the plan, and the exit status (the EXIT trap cleans up).
done_testing() {
	diag <<-EOF
	runtime $((SECONDS - T0)) s: $PHASES
	EOF
	echo "1..$T"
	[ "$FAILED" -eq 0 ]
	exit
}

# check DESCRIPTION COMMAND...: ok when COMMAND succeeds.
check() {
	_d=$1
	shift
	if "$@"; then ok "$_d"; else not_ok "$_d"; return 1; fi
}

# fs_list: every path under /etc /usr /var /opt /srv /run with its type,
# mode and owner, except logs, caches, the package databases and the
# shadow tools' backups; the account files' and Postfix's files'
# checksums.
fs_list() {
	find /etc /usr /var /opt /srv /run -xdev \( -path /var/log -o \
	    -path /var/cache -o -path /var/lib/apt -o -path /var/lib/dpkg -o \
	    -path /var/tmp -o -path /etc/passwd- -o -path /etc/group- -o \
	    -path /etc/shadow- -o -path /etc/gshadow- \) -prune -o \
	    -printf '%y %m %u:%g %p\n' 2>/dev/null | sort
	(cd / && sha256sum etc/passwd etc/group etc/shadow etc/gshadow &&
	    find $PF_DIRS -xdev -type f -exec sha256sum {} + | sort -k 2)
}

# unit_get FILE KEY: the last KEY= setting of systemd unit FILE.
unit_get() {
	sed -n "s/^$2=//p" "$1" | tail -n 1
}

# pf_save, pf_restore: Postfix's directories as this test found them.
# pf_restore removes what is new in them, then unpacks the copy over
# them: nothing that was there before is ever removed.
pf_save() {
	(cd / && find $PF_DIRS -xdev | sort) >"$TMP/pf.paths" &&
		tar -C / --numeric-owner --xattrs --acls -cpf "$TMP/pf.tar" \
		    $PF_DIRS 2>"$TMP/pf.tar.err" && PF_SAVED=1
}
pf_restore() {
	[ -n "$PF_SAVED" ] || return 0
	(cd / && find $PF_DIRS -xdev | sort) >"$TMP/pf.paths.now"
	comm -13 "$TMP/pf.paths" "$TMP/pf.paths.now" | sort -r |
		while IFS= read -r _p; do rm -rf "/${_p:?}"; done
	tar -C / --numeric-owner --xattrs --acls -xpf "$TMP/pf.tar" &&
		PF_SAVED=
}

# pf_up: the system Postfix, started as postfix@-.service starts it.
pf_up() {
	_pre=$(unit_get "$PF_UNIT" ExecStartPre | sed 's/%i/-/g')
	_start=$(unit_get "$PF_UNIT" ExecStart | sed 's/%i/-/g')
	[ -n "$_pre" ] && [ -n "$_start" ] || return 1
	PF_STARTED=1
	$_pre >"$TMP/pf.start" 2>&1 && $_start >>"$TMP/pf.start" 2>&1
	_rc=$?
	read -r PF_MASTER 2>/dev/null <"$QUEUE/pid/master.pid"
	[ $_rc -eq 0 ] && [ -n "$PF_MASTER" ] && port_wait_listen 25 20
}

# pf_down: Postfix stopped as postfix@-.service stops it; every process
# of master's group gone (killed by PID after 10 s).
pf_down() {
	[ -n "$PF_STARTED" ] || return 0
	PF_STARTED=
	[ -n "$PF_MASTER" ] || read -r PF_MASTER 2>/dev/null <"$QUEUE/pid/master.pid"
	[ -n "$PF_MASTER" ] || return 0
	_group=$(e2e_pgrp_members "$PF_MASTER")
	$(unit_get "$PF_UNIT" ExecStop | sed 's/%i/-/g') >>"$TMP/pf.start" 2>&1
	if ! e2e_wait_gone 10 "$PF_MASTER" $_group; then
		kill -KILL $(e2e_pgrp_members "$PF_MASTER") 2>/dev/null
		e2e_wait_gone 5 $_group
		PF_MASTER=
		return 1
	fi
	PF_MASTER=
}

# milter_down: SIGTERM to the daemon, as systemctl stop sends it; its
# exit status in MILTER_RC.  Then its RuntimeDirectory goes, as systemd
# removes it.
milter_down() {
	MILTER_RC=
	[ -n "$MILTER_PID" ] || return 0
	kill -TERM "$MILTER_PID" 2>/dev/null
	e2e_wait_gone 10 "$MILTER_PID" || kill -KILL "$MILTER_PID" 2>/dev/null
	wait "$MILTER_PID"
	MILTER_RC=$?
	MILTER_PID=
	[ -z "${RUNDIR:-}" ] || rm -rf "$RUNDIR"
}

cleanup() {
	_rc=$?
	trap - EXIT
	trap '' HUP INT TERM
	milter_down
	pf_down
	[ -z "$INSTALLED" ] || DEBIAN_FRONTEND=noninteractive \
		apt-get purge -y "$PKG" >>"$TMP/apt.log" 2>&1
	pf_restore
	if [ -n "${E2E_KEEP:-}" ]; then
		echo "# kept $TMP" >&2
	else
		rm -rf "$TMP"
	fi
	exit $_rc
}

# smtp NAME SWAKS-OPTIONS...: a session with the system Postfix on
# 127.0.0.1 port 25; its exchange (C: sent, S: the last line of each
# reply, the message itself left out) in $TMP/smtp.NAME.
smtp() {
	_n=$1
	shift
	timeout 60 swaks --server 127.0.0.1 --port 25 --ehlo client.debian.test \
	    --timeout 20 --to alice@debian.test --header "Subject: $_n" "$@" \
	    >"$TMP/swaks.$_n" 2>&1
	tr -d '\r' <"$TMP/swaks.$_n" | awk '
		/^ *[-~]> / { c = $0; sub(/^ *[-~]> /, "", c)
			if (body) { if (c == ".") { body = 0; print "C: ." }; next }
			print "C: " c; data = (c == "DATA"); next }
		/^<[-~*]+ / { r = $0; sub(/^<[-~*]+ +/, "", r)
			if (r ~ /^[0-9][0-9][0-9]-/) next
			print "S: " r; if (data && r ~ /^354/) body = 1; next }
		/^=== TLS started/ { print "   (TLS started)" }' >"$TMP/smtp.$_n"
}
# replied NAME ERE: the session NAME got a reply matching ERE.
replied() {
	grep -qE "^S: $2" "$TMP/smtp.$1"
}
# show NAME: the session's exchange, as TAP comments.
show() {
	sed "s/^/    $1: /" "$TMP/smtp.$1" | diag
}
# delivered SUBJECT: alice's Maildir holds it (10 s at most).
delivered() {
	_i=0
	while ! grep -qslx "Subject: $1" "$TMP/mail/alice/new/"* 2>/dev/null; do
		[ $_i -lt 100 ] || return 1
		sleep 0.1
		_i=$((_i + 1))
	done
}

tap_tmpdir debian
chmod 0755 "$TMP"	# Postfix's users, virtual(8) and lintian (nobody) read below
PKI=$TMP/pki
pki_make "$PKI" 2>"$TMP/pki.err" || { echo "Bail out! pki: $(cat "$TMP/pki.err")"; exit 1; }

# ------------------------------------------------------- build, lintian
DEB=${TPM_DEB:-}
if [ -z "$DEB" ]; then
	mkdir -p "$TMP/build/src"
	if git -C "$top_srcdir" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
		(cd "$top_srcdir" && git ls-files -z -co --exclude-standard |
		    while IFS= read -r -d '' _f; do
			[ ! -f "$_f" ] || printf '%s\0' "$_f"
		    done | xargs -0 cp --parents -t "$TMP/build/src")
	else
		cp -a "$top_srcdir/." "$TMP/build/src/"
	fi
	_t=$SECONDS
	# Not make check's variables: the package builds as from a shell.
	# nocheck: the unit tests the build would run have run in make check
	# (it halves the build's CPU time).
	(cd "$TMP/build/src" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
	    -u MAKEOVERRIDES -u top_srcdir -u top_builddir \
	    DEB_BUILD_OPTIONS="${DEB_BUILD_OPTIONS:+$DEB_BUILD_OPTIONS }nocheck" \
	    dpkg-buildpackage -us -uc -b -J"$(nproc)") >"$TMP/build.log" 2>&1
	_rc=$?
	DEB=$(ls "$TMP"/build/"$PKG"_*.deb 2>/dev/null | head -n 1)
	if [ $_rc -eq 0 ] && [ -f "$DEB" ]; then
		ok "dpkg-buildpackage -us -uc -b builds $(basename "$DEB") ($((SECONDS - _t)) s)"
	else
		not_ok "dpkg-buildpackage -us -uc -b builds the package"
		tail -n 40 "$TMP/build.log" | diag
		done_testing
	fi
	LINTED=$(ls "$TMP"/build/"$PKG"_*.changes)
else
	case $DEB in /*) ;; *) DEB=$(pwd)/$DEB ;; esac
	[ -f "$DEB" ] || { echo "Bail out! TPM_DEB: no $DEB"; exit 1; }
	LINTED=$DEB
fi

# lintian as nobody (it warns when run as root), with a home of its own.
mkdir "$TMP/lintian" && chown nobody "$TMP/lintian"
as_lintian=
if id nobody >/dev/null 2>&1 && [ -r "$LINTED" ]; then
	as_lintian="setpriv --reuid=nobody --regid=nogroup --clear-groups"
fi
$as_lintian env HOME="$TMP/lintian" lintian --fail-on error,warning -I \
	--show-overrides "$LINTED" >"$TMP/lintian.out" 2>&1
_rc=$?
diag <<-EOF
lintian -I --show-overrides $(basename "$LINTED"):
$(sed 's/^/    /' "$TMP/lintian.out")
EOF
if [ $_rc -eq 0 ] && ! grep -q '^[EW]: ' "$TMP/lintian.out"; then
	ok "lintian: no error, no warning"
else
	not_ok "lintian: no error, no warning (status $_rc)"
fi

phase "build and lintian"

# -------------------------------------------------------------- install
fs_list >"$TMP/fs.before"
pf_save || { echo "Bail out! cannot copy Postfix's directories"; cat "$TMP/pf.tar.err"; exit 1; }
INSTALLED=1
if DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
	"$DEB" >"$TMP/apt.log" 2>&1; then
	ok "apt-get install $(basename "$DEB")"
else
	not_ok "apt-get install $(basename "$DEB")"
	diag <"$TMP/apt.log"
	done_testing
fi

UNIT=$(dpkg -L "$PKG" | grep '/systemd/system/.*\.service$' | head -n 1)
EXECSTART=$(unit_get "$UNIT" ExecStart)
USER_=$(unit_get "$UNIT" User)
GROUP_=$(unit_get "$UNIT" Group)
RUNDIR=/run/$(unit_get "$UNIT" RuntimeDirectory)
POLICY=$(printf '%s\n' "$EXECSTART" | sed -n 's/.* -c \([^ ]*\).*/\1/p')
SOCKET=$(sed -n 's/^socket *= *"unix:\(.*\)"$/\1/p' "$POLICY" 2>/dev/null)
SOCKDIR=${SOCKET%/*}

check "user $USER_ and group $GROUP_: a system user without login" \
	sh -c "getent passwd '$USER_' | awk -F: '\$3 < 1000 && \$7 == \"/usr/sbin/nologin\" { f = 1 } END { exit !f }' &&
	    getent group '$GROUP_' >/dev/null"
check "the runtime directory $RUNDIR: $USER_, mode 750 (tmpfiles.d)" \
	test "$(stat -c '%U %a' "$RUNDIR" 2>&1)" = "$USER_ 750"
check "$POLICY is a conffile" \
	sh -c "dpkg-query -W -f='\${Conffiles}\n' $PKG | grep -q '^ $POLICY '"
check "the policy's socket is below Postfix's chroot: $SOCKET" \
	sh -c "case '$SOCKET' in '$QUEUE'/*) true ;; *) false ;; esac"
check "the socket's directory: $USER_, group postfix, mode 2750" \
	test "$(stat -c '%U %G %a' "$SOCKDIR" 2>&1)" = "$USER_ postfix 2750"
_rw=$(sed -n 's/^ReadWritePaths=//p' "$UNIT" | tr ' ' '\n' | sed 's/^-//' | grep -Fx "$SOCKDIR")
check "the unit can write the socket's directory (ProtectSystem=$(unit_get "$UNIT" ProtectSystem), ReadWritePaths=)" \
	test -n "$_rw"
check "daemon, tls-policy-report, man pages, sysusers.d and tmpfiles.d installed" \
	sh -c "test -x /usr/sbin/tls-policy-milter && test -x /usr/bin/tls-policy-report &&
	    test -f /usr/share/man/man8/tls-policy-milter.8.gz &&
	    test -f /usr/share/man/man5/tls-policy-milter.conf.5.gz &&
	    test -f /usr/share/man/man1/tls-policy-report.1.gz &&
	    test -f /usr/lib/sysusers.d/$PKG.conf && test -f /usr/lib/tmpfiles.d/$PKG.conf"
check "removing the package stops the unit (prerm: deb-systemd-invoke stop)" \
	grep -q "deb-systemd-invoke stop '$PKG.service'" "/var/lib/dpkg/info/$PKG.prerm"
# (It runs man for Documentation=: on copies of the installed pages in a
# MANPATH of its own, or man-db would cache formatted pages in /var/cache;
# it follows symbolic links to /usr/share/man.)
for _page in $(dpkg -L "$PKG" | grep '^/usr/share/man/man./'); do
	_sec=${_page%/*}
	mkdir -p "$TMP/man/${_sec##*/}" && cp "$_page" "$TMP/man/${_sec##*/}/"
done
_out=$(MANPATH=$TMP/man systemd-analyze verify "$UNIT" 2>&1)
_rc=$?
if [ $_rc -eq 0 ] && [ -z "$_out" ]; then
	ok "systemd-analyze verify $UNIT: no complaint"
else
	not_ok "systemd-analyze verify $UNIT: no complaint"
	printf '%s\n' "$_out" | diag
fi

phase "file list, install and its checks"

# ------------------------------------------------------ the system Postfix
# "No configuration" leaves no main.cf: a minimal loopback-only one in its
# place, with what "Internet Site" would set for TLS (the test PKI's
# server certificate for ssl-cert's), delivering to a Maildir here.
mkdir "$TMP/mail" && chown nobody "$TMP/mail"
cat >/etc/postfix/main.cf <<EOF
# Written by tls-policy-milter's t/debian.t, removed when it ends.
compatibility_level = 3.6
myhostname = mx.debian.test
mydomain = debian.test
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
alias_maps =
alias_database =
smtpd_tls_cert_file = $PKI/server.pem
smtpd_tls_key_file = $PKI/server.key
smtpd_tls_security_level = may
smtpd_tls_loglevel = 1
smtpd_error_sleep_time = 0
virtual_mailbox_domains = debian.test
virtual_mailbox_base = $TMP/mail
virtual_mailbox_maps = inline:{ alice@debian.test=alice/ }
virtual_uid_maps = static:$(id -u nobody)
virtual_gid_maps = static:$(id -g nobody)
default_transport = error:5.7.1 t/debian.t delivers nowhere else
relay_transport = error:5.7.1 t/debian.t delivers nowhere else
maillog_file = $TMP/maillog
maillog_file_prefixes = $TMP
EOF
check "Debian's master.cf runs smtpd chrooted" \
	test "$(postconf -M smtp/inet | awk '{ print $5 }')" = y

# README's lines, as README has them.
awk '/^-+$/ && prev != "" { if (prev == "Attaching it to Postfix") on = 1; else if (on) exit }
	on && /^ +postconf -e / { sub(/^ +/, ""); print }
	{ prev = $0 }' "$top_srcdir/README" >"$TMP/readme.postconf"
diag <<-EOF
README's lines:
$(sed 's/^/    /' "$TMP/readme.postconf")
EOF
_bad=
while IFS= read -r _line; do
	sh -c "$_line" >>"$TMP/postconf.out" 2>&1 || _bad="$_bad [$_line]"
done <"$TMP/readme.postconf"
for _p in smtpd_milters milter_default_action smtpd_tls_ask_ccert smtpd_tls_CAfile; do
	grep -q "^postconf -e '$_p = " "$TMP/readme.postconf" || _bad="$_bad [no $_p]"
done
if [ -z "$_bad" ]; then
	ok "README's postconf -e lines apply ($(wc -l <"$TMP/readme.postconf") lines)"
else
	not_ok "README's postconf -e lines apply:$_bad"
	diag <"$TMP/postconf.out"
fi
# The CAs README's smtpd_tls_CAfile names: the test PKI's.
CAFILE=$(postconf -h smtpd_tls_CAfile)
[ -n "$CAFILE" ] && cp "$PKI/ca.pem" "$CAFILE"

if pf_up; then
	ok "the system Postfix starts as postfix@-.service would, on 127.0.0.1:25"
else
	not_ok "the system Postfix starts as postfix@-.service would"
	cat "$TMP/pf.start" "$TMP/maillog" 2>/dev/null | tail -n 30 | diag
	done_testing
fi

# ------------------------------------------------------------ the milter
# The policy: the packaged settings, the test's rules for the sample's.
sed '/^rule /,/^}/d' "$POLICY" >"$TMP/policy.base"
cat "$TMP/policy.base" - >"$POLICY" <<'EOF'
# t/debian.t: mail from partner.test needs a client certificate that
# Postfix asked for and verified.
rule "partner" {
    sender  = {"partner.test"}
    require = "verify"
}
EOF
check "README step 1: tls-policy-milter -n -c $POLICY" \
	/usr/sbin/tls-policy-milter -n -c "$POLICY"

# As the unit runs it: its user and group, UMask, RuntimeDirectory, a
# clean environment, / as working directory.  (-f copies the log to
# stderr, which the unit discards and this test keeps.)
install -d -o "$USER_" -g "$GROUP_" -m "$(unit_get "$UNIT" RuntimeDirectoryMode)" "$RUNDIR"
set -f
(cd / && umask "$(unit_get "$UNIT" UMask)" &&
    exec setpriv --reuid="$USER_" --regid="$GROUP_" --init-groups \
    env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    HOME=/ USER="$USER_" LOGNAME="$USER_" SHELL=/usr/sbin/nologin \
    $EXECSTART) </dev/null >"$TMP/milter.log" 2>&1 &
MILTER_PID=$!
set +f
wait_socket "$SOCKET"
if [ -S "$SOCKET" ] && alive "$MILTER_PID"; then
	ok "the unit's ExecStart as $USER_: $EXECSTART"
else
	not_ok "the unit's ExecStart as $USER_: $EXECSTART"
	diag <"$TMP/milter.log"
	done_testing
fi
check "its socket is $USER_, group postfix (from the directory), mode 660" \
	test "$(stat -c '%U %G %a' "$SOCKET")" = "$USER_ postfix 660"

# ------------------------------------------------------------------ mail
smtp plain-partner --from a@partner.test
show plain-partner
check "plaintext from partner.test: 554 5.7.0" \
	sh -c "grep -qE '^S: 554 5\.7\.0 ' '$TMP/smtp.plain-partner' && ! grep -q '^S: 250 2.0.0 Ok: queued' '$TMP/smtp.plain-partner'"
smtp tls-nocert --from a@partner.test --tls
show tls-nocert
check "STARTTLS without a client certificate from partner.test: 554 5.7.0" \
	sh -c "grep -qE '^S: 554 5\.7\.0 ' '$TMP/smtp.tls-nocert' && ! grep -q '^S: 250 2.0.0 Ok: queued' '$TMP/smtp.tls-nocert'"
smtp tls-cert --from a@partner.test --tls --tls-cert "$PKI/mx1.pem" --tls-key "$PKI/mx1.key"
show tls-cert
check "STARTTLS with a client certificate the CAfile verifies: accepted" \
	sh -c "grep -q '^S: 250 2.0.0 Ok: queued' '$TMP/smtp.tls-cert'" &&
	check "  ... and delivered to the Maildir" delivered tls-cert
check "Postfix saw it as a trusted client certificate" \
	grep -q 'Trusted TLS connection established from' "$TMP/maillog"
smtp plain-other-1 --from b@other.test
show plain-other-1
check "plaintext from other.test, which no rule names: accepted" \
	replied plain-other-1 '250 2\.0\.0 Ok: queued'

# ---------------------------------------------------------------- reload
cp "$POLICY" "$TMP/policy.a"
cat "$TMP/policy.a" - >"$POLICY" <<'EOF'
rule "other" {
    sender  = {"other.test"}
    require = "encrypt"
}
EOF
cp "$POLICY" "$TMP/policy.b"
check "README step 1 again on the new policy" /usr/sbin/tls-policy-milter -n -c "$POLICY"
RELOAD=$(unit_get "$UNIT" ExecReload)
env MAINPID="$MILTER_PID" sh -c "$RELOAD"
_i=0
while ! grep -q 'reloaded:' "$TMP/milter.log" && [ $_i -lt 50 ]; do sleep 0.1; _i=$((_i + 1)); done
check "the unit's ExecReload ($RELOAD): the daemon reloaded" grep -q 'reloaded:' "$TMP/milter.log"
smtp plain-other-2 --from b@other.test
show plain-other-2
check "the new rule in force: plaintext from other.test now 554 5.7.0" \
	sh -c "grep -qE '^S: 554 5\.7\.0 ' '$TMP/smtp.plain-other-2' && ! grep -q '^S: 250 2.0.0 Ok: queued' '$TMP/smtp.plain-other-2'"
diag <<-EOF
the milter's log:
$(sed -n 's/^/    /; /action=/p' "$TMP/milter.log")
EOF

phase "Postfix, milter and mail"

# ------------------------------------------------------------------ stop
milter_down
check "the daemon stops on SIGTERM with status 0 and removes its socket" \
	sh -c "[ '$MILTER_RC' = 0 ] && [ ! -e '$SOCKET' ]"
check "the system Postfix stops" pf_down

# --------------------------------------------- upgrade, remove, purge
if DEBIAN_FRONTEND=noninteractive dpkg -i "$DEB" </dev/null >>"$TMP/apt.log" 2>&1 &&
	cmp -s "$POLICY" "$TMP/policy.b" && [ -z "$(ls "$POLICY".dpkg-* 2>/dev/null)" ]; then
	ok "installed over itself, the edited policy stays"
else
	not_ok "installed over itself, the edited policy stays"
	tail -n 20 "$TMP/apt.log" | diag
fi
DEBIAN_FRONTEND=noninteractive apt-get remove -y "$PKG" >>"$TMP/apt.log" 2>&1
check "removed: the daemon is gone, the policy, user and socket directory stay" \
	sh -c "[ ! -e /usr/sbin/tls-policy-milter ] && cmp -s '$POLICY' '$TMP/policy.b' &&
	    getent passwd '$USER_' >/dev/null && [ -d '$SOCKDIR' ]"
DEBIAN_FRONTEND=noninteractive apt-get purge -y "$PKG" >>"$TMP/apt.log" 2>&1 && INSTALLED=
check "purged: no policy, socket directory, runtime directory, user or group" \
	sh -c "[ -z \"\$(dpkg-query -W -f='\${db:Status-Status}' $PKG 2>/dev/null | grep -v not-installed)\" ] &&
	    [ ! -e '$POLICY' ] && [ ! -e '$SOCKDIR' ] && [ ! -e '$RUNDIR' ] &&
	    ! getent passwd '$USER_' >/dev/null && ! getent group '$GROUP_' >/dev/null &&
	    [ -z \"\$(ls /var/lib/dpkg/info/$PKG.* 2>/dev/null)\" ]"

# Postfix as found; then every path as before the installation.
pf_restore
fs_list >"$TMP/fs.after"
if diff "$TMP/fs.before" "$TMP/fs.after" >"$TMP/fs.diff"; then
	ok "after the purge and Postfix's restoration, the file system is as before ($(wc -l <"$TMP/fs.before") paths and checksums)"
else
	not_ok "after the purge and Postfix's restoration, the file system is as before"
	head -n 40 "$TMP/fs.diff" | diag
fi
phase "stop, upgrade, remove, purge, restore, file list"
done_testing
