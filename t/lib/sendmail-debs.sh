# SPDX-License-Identifier: BSD-2-Clause
# t/lib/sendmail-debs.sh: the cache of Debian's Sendmail packages that
# t/sendmail.t unpacks (Debian's sendmail-bin conflicts with postfix, so
# it is never installed).  The install step fills it (t/sendmail-fetch.sh,
# which ./quickstart check and .ci/run run, as does "make sendmail-debs");
# the test only reads it, and skips when it is incomplete.  Sourced (POSIX
# sh and bash) by t/lib/sendmail.sh and t/sendmail-fetch.sh.
#
#   SM_DEBS      the cache: set it to share one between build trees
#                (default $top_builddir/t/sendmail-debs, which "make
#                clean" keeps)
#   SM_PACKAGES  the packages it holds

SM_DEBS=${SM_DEBS:-${top_builddir:-.}/t/sendmail-debs}
SM_PACKAGES="sendmail-bin sendmail-base sendmail-cf libwrap0 liblockfile1"

# sm_debs_missing: print the packages of SM_PACKAGES not in $SM_DEBS
# (nothing when all are there).
sm_debs_missing() {
	for _sd_p in $SM_PACKAGES; do
		ls "$SM_DEBS/${_sd_p}_"*.deb >/dev/null 2>&1 || printf '%s ' "$_sd_p"
	done
}

# sm_fetch: download into $SM_DEBS, with "apt-get download", the packages
# that are not there yet.  Returns non-zero, with apt-get's complaint on
# stderr, when they cannot be had.
sm_fetch() {
	_sf_missing=$(sm_debs_missing)
	[ -n "$_sf_missing" ] || return 0
	mkdir -p "$SM_DEBS" || return 1
	# apt's download user must be able to write there, else it warns.
	chown _apt "$SM_DEBS" 2>/dev/null
	# shellcheck disable=SC2086
	(cd "$SM_DEBS" && apt-get download -q $_sf_missing) >"$SM_DEBS/download.log" 2>&1 ||
		{ cat "$SM_DEBS/download.log" >&2; return 1; }
}
