# SPDX-License-Identifier: BSD-2-Clause
# t/lib/devlog.sh - run a command with a /dev/log of its own.
#
#	unshare -m sh t/lib/devlog.sh [-l] SOCKET COMMAND [ARG...]
#
# In the new mount namespace unshare gives it (private: nothing here is
# seen outside), mounts a tmpfs on /dev with null, zero, random and
# urandom bound from the host's, makes /dev/log the unix socket SOCKET
# (bound over it; with -l a symbolic link to it, as systemd makes
# /dev/log, so that a syslogd started again on the same path is found
# again), and executes COMMAND.  For the tests that read what the daemon
# sends to syslog (t/syslogcap keeps each datagram).

set -e
link=
if [ "$1" = -l ]; then
	link=1
	shift
fi
sock=$1
shift
host=$(mktemp -d "${TMPDIR:-/tmp}/devlog.XXXXXX")
mount --bind /dev "$host"
mount -t tmpfs -o mode=0755 tmpfs /dev
for d in null zero random urandom; do
	touch "/dev/$d"
	mount --bind "$host/$d" "/dev/$d"
done
umount -l "$host"
rmdir "$host"
if [ -n "$link" ]; then
	ln -s "$sock" /dev/log
else
	touch /dev/log
	mount --bind "$sock" /dev/log
fi
exec "$@"
