#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# reload.t - reload under load: while MTA sessions are in flight (t/mtaclient,
# many at once, each spanning several reloads), the policy file is switched
# between two valid policies and a broken one, with a SIGHUP each time.
#
# Policy A refuses plaintext mail ("554 5.7.0 policy A"); policy B accepts
# it.  Each session sends MAIL twice, with a pause between, on one
# connection.  Checked:
#   - every session ran to its end (none dropped: mtaclient exits 0);
#   - each session got the same verdict for both of its MAILs, and its two
#     log lines name the same rule: it kept the policy it started with;
#   - one decision line per MAIL sent, nothing else refused or failed;
#   - after each valid reload a new session gets the new policy; after each
#     broken one it gets the previous policy, and the log has one line with
#     FILE:LINE and the reason;
#   - with the rules in an included file, a reload rereads it: a change
#     there alone is seen, and a problem there is logged at its FILE:LINE.
# Prints TAP and a summary ("# N sessions, M reloads ...").

set -u
: "${top_srcdir:=.}" "${top_builddir:=.}"
MILTER=$top_builddir/tls-policy-milter
CLIENT=$top_builddir/t/mtaclient
SESSIONS=${RELOAD_SESSIONS:-240}	# sessions in the load
PARALLEL=${RELOAD_PARALLEL:-24}		# at most this many at once
tmp=$(mktemp -d "${TMPDIR:-/tmp}/reload.XXXXXX") || exit 99
MPID=
LOAD_PIDS=
cleanup() {
	for _p in $LOAD_PIDS; do kill -KILL "$_p" 2>/dev/null; done
	[ -n "$MPID" ] && kill -KILL "$MPID" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

. "$top_srcdir/t/lib/tap.sh"	# ok, not_ok, skip, diag
now_ms() { echo $(($(date +%s%N) / 1000000)); }

POLICY=$tmp/policy.conf
SOCK=$tmp/milter.sock
# install A|B|broken: replace the policy file atomically.
install() {
	case $1 in
	A) printf '%s\n' 'allow_root = true' \
		'rule "a" { require = "encrypt"  reply_text = "policy A" }' ;;
	B) printf '%s\n' 'allow_root = true' 'rule "b" { require = "none" }' ;;
	broken) printf '%s\n' 'allow_root = true' 'mode = "sometimes"' \
		'rule "b" { require = "none" }' ;;
	inc*) install_included "${1#inc}"
		printf '%s\n' 'allow_root = true' 'include "policy.d/*.conf"' ;;
	esac >"$tmp/next.conf"
	chmod 644 "$tmp/next.conf"
	mv "$tmp/next.conf" "$POLICY"
}
# install_included A|B|broken: the same rules, in policy.d/rules.conf.
install_included() {
	mkdir -p "$tmp/policy.d" && chmod 755 "$tmp/policy.d"
	case $1 in
	A) printf '%s\n' 'rule "a" { require = "encrypt"  reply_text = "policy A" }' ;;
	B) printf '%s\n' '# B' 'rule "b" { require = "none" }' ;;
	broken) printf '%s\n' '# broken' 'rule "b" { require = "nonee" }' ;;
	esac >"$tmp/policy.d/next"
	chmod 644 "$tmp/policy.d/next"
	mv "$tmp/policy.d/next" "$tmp/policy.d/rules.conf"
}

# session ID PAUSE: one connection, MAIL twice with PAUSE seconds between.
session() {
	cat <<EOF
optneg
macro C {daemon_name} smtpd {client_addr} 192.0.2.1 {client_name} mx.example {client_resolve} OK
connect mx.example 4 192.0.2.1 40000
expect noreply
macro H
helo mx.example
expect noreply
macro M {mail_addr} s$1-1@example.net
mail <s$1-1@example.net>
match *
sleep $2
abort
macro M {mail_addr} s$1-2@example.net
mail <s$1-2@example.net>
match *
quit
EOF
}
# verdict OUTFILE: "A" or "B" when both verdicts of a session agree, else
# what it got.
verdict() {
	_v=$(grep -E '^(accept|reply |reject|tempfail|continue)' "$1" | sort -u)
	case $_v in
	"reply 554 5.7.0 policy A") echo A ;;
	accept) echo B ;;
	*) echo "mixed: $(tr '\n' '|' <"$1")" ;;
	esac
}
probe() {	# probe: the verdict a new session gets now
	session "probe$PROBES" 0 | "$CLIENT" "unix:$SOCK" >"$tmp/probe.out" 2>&1
	verdict "$tmp/probe.out"
}
# reload_to KIND: install it, SIGHUP, wait for the log line; sets RESULT.
reload_to() {
	_before=$(grep -cE 'reloaded:|reload failed' "$tmp/milter.log")
	install "$1"
	kill -HUP "$MPID"
	_end=$(($(now_ms) + 5000))
	while [ "$(grep -cE 'reloaded:|reload failed' "$tmp/milter.log")" -le "$_before" ]; do
		[ "$(now_ms)" -lt "$_end" ] || { RESULT=timeout; return; }
		sleep 0.01
	done
	RESULT=$(grep -E 'reloaded:|reload failed' "$tmp/milter.log" | tail -n 1)
}

echo "1..8"
install A
"$MILTER" -f -c "$POLICY" -p "unix:$SOCK" >"$tmp/milter.log" 2>&1 &
MPID=$!
for _i in $(seq 100); do [ -S "$SOCK" ] && break; sleep 0.05; done
[ -S "$SOCK" ] || { echo "Bail out! the daemon did not start"; cat "$tmp/milter.log"; exit 1; }
PROBES=0

# The load: SESSIONS sessions, PARALLEL at a time, each pausing 0.1 to
# 0.5 s between its two MAILs, started in the background.
load() {
	_i=0
	while [ $_i -lt "$SESSIONS" ]; do
		while [ "$(jobs -pr | wc -l)" -ge "$PARALLEL" ]; do sleep 0.01; done
		session "$_i" "0.$((1 + _i % 5))" |
			"$CLIENT" "unix:$SOCK" >"$tmp/s.$_i.out" 2>&1 &
		_i=$((_i + 1))
		sleep 0.01
	done
	wait
}
load &
LOAD_PIDS=$!
t0=$(now_ms)

# Meanwhile: B, broken, A, broken, ... with a probe after each.
reloads=0 failed=0 bad_probe= cur=A k=0
while kill -0 "$LOAD_PIDS" 2>/dev/null; do
	case $((k % 4)) in 0) want=B ;; 1) want=broken ;; 2) want=A ;; 3) want=broken ;; esac
	reload_to "$want"
	case $want:$RESULT in
	broken:*"reload failed, the policy in force stays: $POLICY:2: mode: \"sometimes\" is not one of enforce, monitor") failed=$((failed + 1)) ;;
	[AB]:*reloaded:*) cur=$want; reloads=$((reloads + 1)) ;;
	*) bad_probe="$bad_probe
reload to $want: $RESULT" ;;
	esac
	got=$(probe)
	PROBES=$((PROBES + 1))
	[ "$got" = "$cur" ] || bad_probe="$bad_probe
after reload to $want: probe got $got, want $cur"
	k=$((k + 1))
	sleep 0.05
done
wait "$LOAD_PIDS"
LOAD_PIDS=
elapsed=$(($(now_ms) - t0))

dropped= mixed= a=0 b=0
for _i in $(seq 0 $((SESSIONS - 1))); do
	if grep -q '^mtaclient:' "$tmp/s.$_i.out"; then
		dropped="$dropped
session $_i: $(cat "$tmp/s.$_i.out")"
		continue
	fi
	case $(verdict "$tmp/s.$_i.out") in
	A) a=$((a + 1)) ;;
	B) b=$((b + 1)) ;;
	*) mixed="$mixed
session $_i: $(verdict "$tmp/s.$_i.out")" ;;
	esac
done
[ -z "$dropped" ] && ok "all $SESSIONS sessions ran to their end, none dropped" ||
	not_ok "all $SESSIONS sessions ran to their end, none dropped" "$dropped"
[ -z "$mixed" ] && ok "each session kept one policy for both its MAILs ($a on A, $b on B)" ||
	not_ok "each session kept one policy for both its MAILs" "$mixed"
[ "$a" -gt 0 ] && [ "$b" -gt 0 ] && ok "sessions ran under both policies" ||
	not_ok "sessions ran under both policies" "A $a, B $b"

# The log: two decisions per session, the same rule for both.
grep -F 'action=' "$tmp/milter.log" | grep -E 'from=<s[0-9]' |
	sed -n 's/.*action=\([a-z]*\) rule="\([a-z]\)".*from=<s\([0-9]*\)-[12]@.*/\3 \1 \2/p' |
	sort -n | uniq -c >"$tmp/pairs"
lines=$(grep -F 'action=' "$tmp/milter.log" | grep -cE 'from=<s[0-9]')
odd=$(awk '$1 != 2' "$tmp/pairs")
[ "$lines" -eq $((2 * SESSIONS)) ] && [ -z "$odd" ] &&
	[ "$(wc -l <"$tmp/pairs")" -eq "$SESSIONS" ] &&
	ok "log: two decision lines per session, by one rule ($lines lines)" ||
	not_ok "log: two decision lines per session, by one rule" "lines $lines; $odd"
others=$(grep -E 'internal error|tempfail|mi_|terminating' "$tmp/milter.log")
[ -z "$others" ] && ok "log: no internal error, no tempfail, libmilter silent" ||
	not_ok "log: no internal error, no tempfail, libmilter silent" "$others"
[ -z "$bad_probe" ] && [ "$reloads" -ge 4 ] && [ "$failed" -ge 4 ] &&
	ok "valid reloads take effect for new sessions, broken ones leave the policy in force ($reloads valid, $failed broken)" ||
	not_ok "valid reloads take effect, broken ones leave the policy in force" \
		"$reloads valid, $failed broken; $bad_probe"
# Included files are read again on each reload: changing only the
# included file changes the policy; breaking it keeps the policy in force
# and the log names the included file and its line.
inc_bad=
for want in incA incB incbroken incA; do
	reload_to "$want"
	case $want:$RESULT in
	incbroken:*"reload failed, the policy in force stays: $tmp/policy.d/rules.conf:2: require: \"nonee\" is not one of none, encrypt, verify, secure") failed=$((failed + 1)) ;;
	inc[AB]:*reloaded:*) cur=${want#inc}; reloads=$((reloads + 1)) ;;
	*) inc_bad="$inc_bad
reload to $want: $RESULT" ;;
	esac
	got=$(probe)
	PROBES=$((PROBES + 1))
	[ "$got" = "$cur" ] || inc_bad="$inc_bad
after reload to $want: probe got $got, want $cur"
done
[ -z "$inc_bad" ] &&
	ok "a reload rereads the included files; a broken one is reported at its FILE:LINE and the policy stays" ||
	not_ok "a reload rereads the included files" "$inc_bad"
kill -TERM "$MPID"; wait "$MPID"; rc=$?; MPID=
[ $rc -eq 0 ] && grep -q "reloads=$reloads reload_failures=$failed" "$tmp/milter.log" &&
	ok "stops cleanly; its statistics count $reloads reloads and $failed failures" ||
	not_ok "stops cleanly; its statistics count the reloads" "rc $rc; $(grep 'stats:' "$tmp/milter.log")"
echo "# $SESSIONS sessions ($PARALLEL at a time) over ${elapsed} ms, $((reloads + failed)) reloads ($reloads valid, $failed broken) while they ran, $PROBES probe sessions"
