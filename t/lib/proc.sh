# SPDX-License-Identifier: BSD-2-Clause
# t/lib/proc.sh - the processes a script test starts, by PID.  Sourced.

# alive PID: the process exists and is not a zombie.
alive() {
	kill -0 "$1" 2>/dev/null || return 1
	[ "$(sed 's/^.*) \([A-Z]\).*$/\1/' "/proc/$1/stat" 2>/dev/null)" != Z ]
}

# stop PID: SIGCONT (for a stopped one) and SIGTERM, up to 10 s, then
# SIGKILL; reaps it when it is a child.  Returns 0 if it went on SIGTERM
# alone, 1 if it needed SIGKILL.
stop() {
	kill -CONT "$1" 2>/dev/null
	kill -TERM "$1" 2>/dev/null
	_i=0
	while alive "$1" && [ $_i -lt 100 ]; do sleep 0.1; _i=$((_i + 1)); done
	_st=0
	if alive "$1"; then
		kill -KILL "$1" 2>/dev/null
		_st=1
	fi
	wait "$1" 2>/dev/null
	return $_st
}

# wait_socket PATH: until PATH is a socket, 5 s at most.
wait_socket() {
	_i=0
	while [ ! -S "$1" ] && [ $_i -lt 100 ]; do sleep 0.05; _i=$((_i + 1)); done
}

# wait_file PATH: until PATH is a file with something in it (a pidfile,
# written after the socket appears), 5 s at most.
wait_file() {
	_i=0
	while [ ! -s "$1" ] && [ $_i -lt 100 ]; do sleep 0.05; _i=$((_i + 1)); done
}

# thread_stacks PID: "SIZE_KIB RSS_KB" for each thread stack of PID (a
# rw-p mapping right after its 4 KiB ---p guard page) in /proc/PID/smaps,
# ended threads' stacks that glibc keeps for reuse among them.
thread_stacks() {
	awk 'function hex(x,   i, v) { v = 0; x = tolower(x)
		for (i = 1; i <= length(x); i++)
			v = v * 16 + index("0123456789abcdef", substr(x, i, 1)) - 1
		return v }
	/^[0-9a-f]+-[0-9a-f]+ / { split($1, r, "-"); b = hex(r[1]); e = hex(r[2])
		stack = $2 == "rw-p" && NF == 5 && pp == "---p" && pe == b &&
		    pe - pb == 4096
		pb = b; pe = e; pp = $2; next }
	/^Rss:/ && stack { print (pe - pb) / 1024, $2 }' "/proc/$1/smaps"
}
