#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Checks batch.sh's isolation on one kernel: after leave_state.sh (state of every kind left
# behind) expect_clean.sh finds the guest as it was at boot, in the same boot; after
# lock_modules.sh (a module that cannot be unloaded) expect_clean_again.sh runs in a new boot,
# and the locking scenario's output says so.
#
#   tests/lab/batch-selftest.sh KERNEL RESULTS-DIR
set -uo pipefail
dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/batch-selftest
kernel=${1:?KERNEL} results=${2:?RESULTS-DIR}
fail() { printf 'batch-selftest: FAIL: %s\n' "$*"; exit 1; }

names=(leave_state expect_clean lock_modules expect_clean_again)
files=("${names[@]/#/$dir/}")
"$dir/../batch.sh" --kernel "$kernel" --results "$results" "${files[@]/%/.sh}" ||
    fail "batch.sh failed"
rc=0
for name in "${names[@]}"; do
    "$dir/../batch.sh" --result "$results" "$name" || rc=1
done
((rc == 0)) || fail "a scenario failed (output above)"
grep -qx '+ module openvswitch' "$results/results/leave_state.left" ||
    fail "leave_state.left does not list openvswitch"
grep -q 'could not restore the guest' "$results/results/lock_modules.out" ||
    fail "lock_modules.out does not say that the teardown gave up"
grep -q '^lab-batch: expect_clean: exit 0 after .* slowdown x[1-8])$' "$results/boot-1.log" ||
    fail "boot-1.log does not give expect_clean's slowdown factor"
[[ -e $results/boot-2.log && ! -e $results/boot-3.log ]] ||
    fail "expected exactly 2 boots (a new one after lock_modules)"
echo "batch-selftest: ok: isolation within a boot, and a new boot after an incomplete teardown"
