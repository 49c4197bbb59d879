#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Checks batch.sh's isolation on one kernel: after leave_state.sh (state of every kind left
# behind) expect_clean.sh finds the guest as it was at boot, in the same boot; after
# lock_modules.sh (a module that cannot be unloaded) expect_clean_again.sh runs in a new boot,
# and the locking scenario's output says so; wedge_once.sh stops the guest's batch, which lab.sh
# must end at its deadline (with the watchdog's task dump on the console), and batch.sh must
# run it again in a new boot.
#
#   tests/lab/batch-selftest.sh KERNEL RESULTS-DIR
set -uo pipefail
dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/batch-selftest
kernel=${1:?KERNEL} results=${2:?RESULTS-DIR}
fail() { printf 'batch-selftest: FAIL: %s\n' "$*"; exit 1; }

names=(leave_state expect_clean lock_modules expect_clean_again wedge_once)
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
[[ -e $results/boot-3.log && ! -e $results/boot-4.log ]] ||
    fail "expected exactly 3 boots (a new one after lock_modules, one after wedge_once's first run)"
died=$results/results/wedge_once.died.out
grep -q '^wedging the guest' "$died" || fail "wedge_once.died.out lacks the first run's output"
grep -q 'the guest went past its deadline' "$died" || fail "wedge_once.died.out does not say lab.sh killed the guest at its deadline"
grep -q 'lab-batch watchdog: wedge_once is [0-9]* s past its deadline' "$died" ||
    fail "the watchdog's line is not in the console tail of wedge_once.died.out"
grep -q 'sysrq: Show Blocked State' "$died" || fail "the watchdog's task dump is not in the console tail of wedge_once.died.out"
grep -q 'this is the second run of wedge_once' "$results/results/wedge_once.out" ||
    fail "wedge_once.out does not say it is a second run"
echo "batch-selftest: ok: isolation within a boot, a new boot after an incomplete teardown, a wedged guest killed at its deadline and its scenario run again"
