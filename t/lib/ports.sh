# SPDX-License-Identifier: BSD-2-Clause
# t/lib/ports.sh - TCP ports on 127.0.0.1 for the tests and benchmarks:
# a free one, and waiting until one listens.  Sourced (POSIX sh and bash).
# Everything is read from /proc/net/tcp{,6}: a probe connection would be
# an SMTP or milter session of its own.

# port_used PORT: true when any TCP socket (IPv4 or IPv6, any state) has
# PORT as its local port.
port_used() {
	awk -v p="$(printf ':%04X' "$1")" \
		'FNR > 1 && substr($2, length($2) - 4) == p { found = 1 }
		 END { exit !found }' /proc/net/tcp /proc/net/tcp6 2>/dev/null
}

# port_free [EXCLUDED...]: print a random port in 20000-59999 that no
# socket uses and that is not among EXCLUDED.
port_free() {
	_fp_seed=$$$(date +%N)
	_fp_try=0
	while [ $_fp_try -lt 50 ]; do
		_fp_try=$((_fp_try + 1))
		_fp=$(awk -v s="$_fp_seed$_fp_try" \
		    'BEGIN { srand(s % 2147483647); print 20000 + int(rand() * 40000) }')
		case " $* " in *" $_fp "*) continue ;; esac
		port_used "$_fp" && continue
		echo "$_fp"
		return 0
	done
	echo "ports: no free port found" >&2
	return 1
}

# port_listening PORT: true when 127.0.0.1:PORT is in LISTEN state.
port_listening() {
	awk -v a="$(printf '0100007F:%04X' "$1")" \
		'NR > 1 && $2 == a && $4 == "0A" { found = 1 }
		 END { exit !found }' /proc/net/tcp
}

# port_wait_listen PORT [SECONDS]: wait (default 20 s) until
# 127.0.0.1:PORT listens.  False on timeout.
port_wait_listen() {
	_wl_i=0
	until port_listening "$1"; do
		[ $_wl_i -lt "$((${2:-20} * 20))" ] || return 1
		sleep 0.05
		_wl_i=$((_wl_i + 1))
	done
}
