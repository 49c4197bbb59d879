#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# A --btf (or BPFNET_BTF) file that cannot serve is named with the reason and how to produce a
# good one, before anything is loaded; a load failure whose log cannot be saved says where it
# could not go and prints the log's end instead; BPFNET_BTF= (empty) is "not set".
FIXTURE_BTF=${1:?usage: btf_errors.sh BTF_WITHOUT_KERNEL_TYPES}
. "$(dirname "$0")/expect.sh"
howto=": produce one from the kernel's debuginfo with \`pahole --btf_encode_detached=FILE vmlinux\` \(README: \"Kernels without BTF\"\)$"
empty=${expect_tmp:?}/empty.btf
: >"$empty"

expect 1 "^Error: BTF file /etc/passwd is not a valid BTF file$howto" "$BIN/eth_drop" --btf /etc/passwd
expect 1 "^Error: BTF file $empty is not a valid BTF file$howto" "$BIN/eth_drop" --btf "$empty"
expect 1 "^Error: BTF directory /tmp has no vmlinux file \(it holds vmlinux and one file per module, as /sys/kernel/btf does\)$howto" "$BIN/eth_drop" --btf /tmp
elf=$(readlink -f /bin/sh)
expect 1 "^Error: BTF file $elf is an ELF file without BTF \(no \.BTF section\)$howto" "$BIN/eth_drop" --btf "$elf"
expect 1 "^Error: BTF file /nonexistent/vmlinux.btf: No such file or directory$" \
	env BPFNET_BTF=/nonexistent/vmlinux.btf "$BIN/qdisc_drop_trace"
expect 1 "^Error: BTF file /etc/passwd is not a valid BTF file$howto" \
	env BPFNET_BTF=/etc/passwd "$BIN/kernel_drop_stack_stats_summary" -d 1
# The controller checks its --btf itself instead of passing a bad file to every cycle.
expect 1 "^Error: BTF file /etc/passwd is not a valid BTF file$howto" \
	"$BIN/drop_monitor_controller" --interface lo --command eth_drop --btf /etc/passwd

expect_check "BPFNET_BTF= (empty) means not set: the tool runs on the kernel's BTF" \
	bash -c "BPFNET_BTF= '$BIN/kernel_drop_stack_stats_summary' -i 1 -d 1 --json >/dev/null"

expect 1 "^Error: BTF file $FIXTURE_BTF lacks a type or field that eth_drop needs: .*; libbpf log could not be saved to /nonexistent/bpfnet-eth_drop.log \(No such file or directory\); its last lines follow$" \
	env TMPDIR=/nonexistent "$BIN/eth_drop" --btf "$FIXTURE_BTF"
tail_lines=$(sed -n '/^Error: /,$p' "$expect_tmp/err" | tail -n +2)
# The last 20 lines, or the whole log when it is shorter (it starts with the failed load).
tail_n=$(echo "$tail_lines" | wc -l)
expect_check "the log's last lines follow the error line ($tail_n, at most 20)" \
	test "$tail_n" -eq 20 -o \( "$tail_n" -lt 20 -a -n "$(echo "$tail_lines" | head -1 | grep "^libbpf: prog '.*': BPF program load failed")" \)
expect_check "they end with libbpf's last message" \
	grep -q "^libbpf: failed to load BPF skeleton 'eth_drop_bpf'" <<<"$(echo "$tail_lines" | tail -1)"

expect_finish btf_errors
