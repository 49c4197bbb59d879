#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# lab-options: --nested --timeout 300
# Self-test of lib/nested.sh: a nested KVM guest on tap0 + vhost-net boots the lab kernel,
# runs a command, pings the lab guest and is pinged by it; with --root it runs a tool of
# the shared root filesystem.
set -euo pipefail
source "$(dirname "$0")/../lib/nested.sh"

lab_nested_require
lab_nested_tap

replies=$(lab_nested_ping_from_guest 3)
lab_expect "$replies" -eq 3 "nested guest -> lab guest ping answered"

rx0=$(cat "/sys/class/net/$LAB_NESTED_TAP/statistics/rx_packets")
replies=$(lab_nested_ping_to_guest 3)
lab_expect "$replies" -eq 3 "lab guest -> nested guest ping answered"
lab_expect "$(cat "/sys/class/net/$LAB_NESTED_TAP/statistics/rx_packets")" -gt "$rx0" "tap0 received the replies"

if [[ ${LAB_SELFTEST_NESTED_ROOT:-1} == 1 ]]; then
    out=$(mktemp)
    start=$SECONDS
    lab_nested_run --root 'uname -r; command -v ovs-dpctl; ls /sys/class/net' >"$out" ||
        lab_fail "nested guest with the shared root failed: $(cat "$out")"
    sed 's/^/  nested| /' "$out" >&2
    grep -qx "$LAB_KERNEL" "$out" || lab_fail "nested guest did not run the lab kernel"
    grep -q '/ovs-dpctl$' "$out" || lab_fail "nested guest does not see the shared root's tools"
    grep -qx eth0 "$out" || lab_fail "nested guest has no eth0"
    lab_ok "nested guest with the shared root ran host tools ($((SECONDS - start)) s)"
fi
lab_log "all nested checks passed in $(lab_elapsed)"
