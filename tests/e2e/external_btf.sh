#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# A kernel without BTF is served by a BTF file made the README's way (bpftool gen min_core_btf):
# with --btf, eth_drop and the summary tool load against that file alone and report the drops
# the scenario causes. The minimal file is cut from this kernel's BTF, standing for one that
# pahole produced from a debuginfo vmlinux.
. "$(dirname "$0")/lib.sh"
e2e_setup ebt 205
build=$(cd "$BIN/.." && pwd)

btf=$E2E_TMP/min.btf
bpftool gen min_core_btf /sys/kernel/btf/vmlinux "$btf" "$build"/gen/eth_drop/*.bpf.o \
	"$build"/gen/kernel_drop_stack_stats_summary/*.bpf.o || e2e_die "bpftool gen min_core_btf failed"
size=$(stat -c %s "$btf")
[ "$size" -lt 100000 ] && e2e_pass "minimal BTF is $size bytes" || e2e_fail "minimal BTF is $size bytes"

out=$E2E_TMP/eth_drop
e2e_start "$out" eth_drop --btf "$btf" --src-ip "$IP_A" --dst-port 9999
udp_to "$NS_A" "$IP_B" 9999 3
sleep 0.5
e2e_stop
expect_count "drops reported with the external BTF" "$out" '^  UDP Ports: [0-9]+ -> 9999$' 3
expect_count "drop reasons named from the external BTF" "$out" '^Drop reason: NO_SOCKET$' 3

out=$E2E_TMP/summary
BPFNET_BTF=$btf e2e_start "$out" kernel_drop_stack_stats_summary -n "$DEV_B" --dst-port 9999 -i 1 -d 2
udp_to "$NS_A" "$IP_B" 9999 4
e2e_wait_exit 10
expect_grep "BPFNET_BTF works like --btf" "$out" '^Total packet drops: 4$'
expect_no_leftovers
e2e_finish
