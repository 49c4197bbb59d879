#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# lab-options: --timeout 60
# Fails on anything leave_state.sh or lock_modules.sh left.
set -uo pipefail
bad=0
fail() { echo "left over: $*"; bad=1; }
for m in openvswitch nf_conntrack nf_defrag_ipv4 veth sch_tbf nf_tables; do
    [[ -e /sys/module/$m ]] && fail "module $m"
done
[[ $(cat /proc/sys/kernel/modules_disabled) == 0 ]] || fail "modules_disabled"
[[ -z $(ip netns list) ]] || fail "namespaces: $(ip netns list)"
ip -o link show | grep -q leftover && fail "links"
[[ $(sysctl -n net.core.somaxconn) != 77 ]] || fail "net.core.somaxconn"
[[ -z $(cat /sys/kernel/tracing/kprobe_events) ]] || fail "kprobe_events"
tc qdisc show dev lo | grep -q tbf && fail "tbf on lo"
[[ -z $(ls /sys/fs/bpf) ]] || fail "bpffs: $(ls /sys/fs/bpf)"
grep -q ' /tmp/leftover ' /proc/mounts && fail "mount /tmp/leftover"
pgrep -x sleep >/dev/null && fail "sleep process"
((bad == 0)) && echo "clean"
exit "$bad"
