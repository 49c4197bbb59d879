# SPDX-License-Identifier: GPL-2.0-only
# What the packaging checks share (sourced): `fail MESSAGE` prints and counts a failure, the
# check goes on; `finish` exits 1 if anything failed, 0 otherwise.
set -u
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
finish() { exit $((fails > 0)); }
