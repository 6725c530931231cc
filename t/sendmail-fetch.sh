#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# t/sendmail-fetch.sh - download Debian's Sendmail packages, those not
# there yet, into the cache t/sendmail.t unpacks them from: $SM_DEBS when
# set, else t/sendmail-debs under $top_builddir or the current directory
# (t/lib/sendmail-debs.sh).  The install step runs it, ./quickstart check
# and .ci/run ("make sendmail-debs" too, for the build tree); the test
# itself never downloads.  Exits 0, or 1 with apt-get's complaint.

. "$(dirname "$0")/lib/sendmail-debs.sh"
sm_fetch || exit 1
