# SPDX-License-Identifier: BSD-2-Clause
# bench/lib.sh - what bench/run and bench/postfix share: a private
# /dev/log, the milters started behind it, and the arithmetic of rounds.
# Sourced (POSIX sh and bash) after T (the run's private directory) and B
# (the built bench/ directory) are set.  Programs started here write their
# PID to $T/NAME.pid; the caller stops them by PID on exit.

# wait_socket PATH [SECONDS]: until the milter has created its socket (10 s
# at most, or SECONDS).  Exits the script when it does not appear.
wait_socket() {
	_i=0
	while [ ! -S "$1" ] && [ $_i -lt "$((${2:-10} * 10))" ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	[ -S "$1" ] || { echo "bench: no socket $1" >&2; exit 1; }
}

# stats: median, min and max of the numbers on stdin, one a line.
stats() {
	sort -g | awk '{ v[NR] = $1 } END {
		if (NR == 0) { print "- - -"; exit }
		m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "%.3f %.3f %.3f\n", m, v[1], v[NR] }'
}

# busy: what else the machine is doing (processes above 10% of a CPU).
busy() {
	ps -eo pcpu=,comm= --sort=-pcpu | awk '$1 >= 10 { printf " %s %s%%", $2, $1 }'
}

# logns_open: as root, start bench/logsink on $T/log.sock (PID in
# $T/logsink.pid) and set NS=1, so that logns_start gives each milter a
# private mount namespace whose /dev/log is that socket: a log line then
# costs one send(2), as next to a syslog daemon.  Otherwise NS=0 and there
# is no /dev/log (glibc retries socket(2) and connect(2) on every line).
# SYSLOG says which.
logns_open() {
	SYSLOG="none (glibc retries /dev/log for every line)"
	NS=0
	[ "$(id -u)" -eq 0 ] && command -v unshare >/dev/null || return 0
	# syslogd's queue as on a Debian host: 512 datagrams (systemd's
	# sysctl.d/50-default.conf; the kernel's own default since Linux
	# 6.5), not the 10 an older kernel without systemd keeps.  The
	# sysctl is per network namespace: logsink gets one of its own.
	unshare -n sh -c 'echo 512 > /proc/sys/net/unix/max_dgram_qlen &&
	    exec "$0" "$1"' "$B/logsink" "$T/log.sock" > "$T/log.count" &
	echo $! > "$T/logsink.pid"
	wait_socket "$T/log.sock"
	NS=1
	SYSLOG="bench/logsink on a private /dev/log"
}

# logns_start NAME COMMAND: run the shell command COMMAND (it must go to
# the background by itself) with the private /dev/log when there is one.
logns_start() {
	_n=$1
	if [ "$NS" = 0 ]; then
		eval "$2"
		return
	fi
	cat > "$T/ns.$_n.sh" <<-NS
	set -e
	mkdir "$T/hostdev.$_n"
	mount --bind /dev "$T/hostdev.$_n"
	mount -t tmpfs -o mode=0755 tmpfs /dev
	for d in null zero random urandom; do
		touch /dev/\$d
		mount --bind "$T/hostdev.$_n/\$d" /dev/\$d
	done
	touch /dev/log
	mount --bind "$T/log.sock" /dev/log
	umount -l "$T/hostdev.$_n"
	$2
	NS
	unshare -m sh "$T/ns.$_n.sh"
}

# cg_open NAME: a control group that counts the CPU of everything started
# in it (cg_enter), ended processes and orphans included: cgroup v1's
# cpuacct, else a cgroup v2 directory (its cpu.stat).  CG is its
# directory, empty when neither can be made (cg_cpu then prints "-").
cg_open() {
	CG=
	for _cg in /sys/fs/cgroup/cpuacct /sys/fs/cgroup/unified /sys/fs/cgroup; do
		[ -w "$_cg" ] && [ -e "$_cg/cgroup.procs" ] || continue
		mkdir "$_cg/$1" 2>/dev/null || continue
		if [ -e "$_cg/$1/cpuacct.usage" ] || [ -e "$_cg/$1/cpu.stat" ]; then
			CG=$_cg/$1
			return 0
		fi
		rmdir "$_cg/$1"
	done
}

# cg_enter, cg_leave: move this shell into the control group (what it
# starts from then on is counted), and back to the group's parent.
cg_enter() {
	[ -z "$CG" ] || echo 0 > "$CG/cgroup.procs"
}
cg_leave() {
	[ -z "$CG" ] || echo 0 > "$(dirname "$CG")/cgroup.procs"
}

# cg_cpu: the seconds of CPU the control group has used, "-" without one.
cg_cpu() {
	if [ -z "$CG" ]; then
		echo -
	elif [ -e "$CG/cpuacct.usage" ]; then
		awk '{ printf "%.6f\n", $1 / 1e9 }' "$CG/cpuacct.usage"
	else
		awk '$1 == "usage_usec" { printf "%.6f\n", $2 / 1e6 }' "$CG/cpu.stat"
	fi
}

# cg_close: SIGKILL whatever is left in the control group (what an MTA
# forked and orphaned too), then remove it.
cg_close() {
	[ -n "$CG" ] || return 0
	_cg_i=0
	while [ -s "$CG/cgroup.procs" ] && [ $_cg_i -lt 50 ]; do
		# shellcheck disable=SC2046
		kill -KILL $(cat "$CG/cgroup.procs") 2>/dev/null
		sleep 0.1
		_cg_i=$((_cg_i + 1))
	done
	rmdir "$CG" 2>/dev/null
}
