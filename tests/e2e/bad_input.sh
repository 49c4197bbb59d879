#!/bin/bash
# Bad input and missing privileges give one clear line and the documented exit status:
# 2 for usage errors (argparse style, naming the flag), 1 for run-time failures.
FIXTURE_BTF=${1:?usage: bad_input.sh BTF_WITHOUT_KERNEL_TYPES}
. "$(dirname "$0")/expect.sh"

expect 2 "^eth_drop: error: argument --src-ip: invalid IP address: '300\.1\.1\.1'$" "$BIN/eth_drop" --src-ip 300.1.1.1
expect 2 "^eth_drop: error: argument --dst-port: invalid port: 70000 \(must be between 0 and 65535\)$" "$BIN/eth_drop" --dst-port 70000
expect 2 "^eth_drop: error: argument --src-port: invalid int value: 'http'$" "$BIN/eth_drop" --src-port http
expect 2 "^eth_drop: error: argument --l4-protocol: invalid choice: 'sctp' \(choose from 'all', 'icmp', 'tcp', 'udp'\)$" "$BIN/eth_drop" --l4-protocol sctp
expect 2 "^eth_drop: error: argument --type: unknown protocol: 'ipx'" "$BIN/eth_drop" --type ipx
expect 2 "^eth_drop: error: argument --src-ip: expected one argument$" "$BIN/eth_drop" --src-ip
expect 2 "^eth_drop: error: argument --interface: interface name 'a-very-long-device-name' too long" "$BIN/eth_drop" --interface a-very-long-device-name
expect 2 "^eth_drop: error: unrecognized arguments: --bogus$" "$BIN/eth_drop" --bogus
expect 2 "^eth_drop: error: ambiguous option: --src could match --src-ip, --src-port$" "$BIN/eth_drop" --src 1.2.3.4
expect 2 "^kernel_drop_stack_stats_summary: error: argument --src-ip: expected an IPv4 address: 'fd00::1'$" "$BIN/kernel_drop_stack_stats_summary" --src-ip fd00::1
expect 2 "^kernel_drop_stack_stats_summary: error: argument -n/--name: device name too long" "$BIN/kernel_drop_stack_stats_summary" -n averyveryverylongname
expect 2 "^kernel_drop_stack_stats_summary: error: argument -i/--interval: invalid value: 0 " "$BIN/kernel_drop_stack_stats_summary" -i 0
expect 2 "^kernel_drop_stack_stats_summary_all: error: argument --group-by: invalid choice: 'flow'" "$BIN/kernel_drop_stack_stats_summary_all" --group-by flow
expect 2 "^kernel_drop_stack_stats_summary_all: error: argument --max-entries: invalid value: 0 " "$BIN/kernel_drop_stack_stats_summary_all" --max-entries 0
expect 2 "^kernel_drop_stack_stats: error: argument interval: invalid int value: 'abc'$" "$BIN/kernel_drop_stack_stats" eth0 abc
expect 2 "^kernel_drop_stack_stats: error: unrecognized arguments: extra$" "$BIN/kernel_drop_stack_stats" eth0 5 extra

# Run-time failures: one "Error:" line that names the cause.
expect 1 "^Error: eth_drop must be run as root" setpriv --reuid 65534 --regid 65534 --clear-groups "$BIN/eth_drop"
expect 1 "^Error: kernel_drop_stack_stats_summary must be run as root" \
	capsh --drop=cap_sys_admin,cap_bpf,cap_perfmon -- -c "exec $BIN/kernel_drop_stack_stats_summary"
expect 1 "^Error: BTF file /nonexistent/vmlinux.btf: No such file or directory$" "$BIN/eth_drop" --btf /nonexistent/vmlinux.btf
expect 1 "^Error: BTF file $FIXTURE_BTF lacks a type or field that eth_drop needs: failed to resolve CO-RE relocation .*struct .*; libbpf log saved to /tmp/bpfnet-eth_drop.log$" \
	env TMPDIR=/tmp "$BIN/eth_drop" --btf "$FIXTURE_BTF"
expect_check "the saved log holds libbpf's explanation" \
	grep -q "failed to resolve CO-RE relocation" /tmp/bpfnet-eth_drop.log
# A device filter naming an interface absent from this namespace is a warning: drops are
# matched by name in every namespace.
expect 1 "^Warning: no interface 'nosuchdev0' in this network namespace" "$BIN/eth_drop" --interface nosuchdev0 --btf /nonexistent

expect_finish bad_input
