#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The lab's time limits scale with LAB_SLOWDOWN (tests/lab/lib/common.sh): a measured factor
# is 1 to 8, and lab_wait_for waits its limit times the factor before giving up.
set -uo pipefail
fail() { echo "lab_slowdown: FAIL: $*"; exit 1; }
# shellcheck source=../lab/lib/common.sh
source "$1/tests/lab/lib/common.sh"

[[ $LAB_SLOWDOWN =~ ^[1-8]$ ]] || fail "measured factor '$LAB_SLOWDOWN' is not 1..8"
f=$(lab_measure_slowdown)
[[ $f =~ ^[1-8]$ ]] || fail "lab_measure_slowdown printed '$f'"

LAB_SLOWDOWN=3
start=$SECONDS
lab_wait_for 1 false && fail "lab_wait_for 1 false succeeded"
waited=$((SECONDS - start))
((waited >= 3)) || fail "with LAB_SLOWDOWN=3, lab_wait_for 1 gave up after $waited s, not 3"
((waited <= 30)) || fail "lab_wait_for 1 with LAB_SLOWDOWN=3 waited $waited s"
start=$SECONDS
lab_wait_for 1 true || fail "lab_wait_for 1 true failed"
((SECONDS - start <= 1)) || fail "lab_wait_for 1 true did not return at once"
echo "lab_slowdown: ok (measured x$f here; limits x3 waited $waited s)"
