#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# lab-options: --timeout 10
# The first run stops batch-guest.sh (SIGSTOP), so that the guest makes no more progress: lab.sh
# must kill it at the deadline, and batch.sh must run this scenario again in a new boot, where
# it passes.
set -euo pipefail
if [[ -e $LAB_IO/wedged ]]; then
    echo "second run: the guest was wedged in the first"
    exit 0
fi
: >"$LAB_IO/wedged"
read -r _ _ _ guest_batch _ <"/proc/$PPID/stat" # PPID is timeout(1), its parent batch-guest.sh
echo "wedging the guest: SIGSTOP to batch-guest.sh ($guest_batch)"
kill -STOP "$guest_batch"
