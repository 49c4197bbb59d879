#!/bin/bash
# The system-network latency tools (summary, details, metrics) on bad input: argparse-style
# errors naming the flag (exit 2), and one clear line for what is missing at run time
# (exit 1): an interface that does not exist, the openvswitch module. Their hooks are kprobes
# and openvswitch functions: the tools themselves are tested in the kernel lab
# (tests/lab/scenarios/system_network_{latency_summary,latency_details,perfomance_metrics}.sh).
. "$(dirname "$0")/expect.sh"

S=$BIN/system_network_latency_summary
D=$BIN/system_network_latency_details
M=$BIN/system_network_perfomance_metrics

expect 2 "^system_network_latency_summary: error: the following arguments are required: --phy-interface, --direction$" "$S"
expect 2 "^system_network_latency_summary: error: argument --direction: invalid choice: 'up' \(choose from 'tx', 'rx', 'both'\)$" "$S" --phy-interface lo --direction up
expect 2 "^system_network_latency_summary: error: argument --protocol: invalid choice: 'icmp' \(choose from 'tcp', 'udp', 'all'\)$" "$S" --phy-interface lo --direction tx --protocol icmp
expect 2 "^system_network_latency_summary: error: argument --interval: invalid int value: '5.5'$" "$S" --phy-interface lo --direction tx --interval 5.5
expect 2 "^system_network_latency_summary: error: argument --src-ip: invalid IP address format: '10.0.0.300'$" "$S" --phy-interface lo --direction tx --src-ip 10.0.0.300
expect 2 "^system_network_latency_summary: error: argument --dst-port: invalid port: 65536" "$S" --phy-interface lo --direction tx --dst-port 65536
expect 2 "^system_network_latency_summary: error: argument --phy-interface: empty interface name in 'lo,,lo'$" "$S" --phy-interface lo,,lo --direction tx
expect 2 "^system_network_latency_summary: error: argument --phy-interface: at most 4 interfaces" "$S" --phy-interface a,b,c,d,e --direction tx
expect 2 "^system_network_latency_summary: error: argument --phy-interface: interface name 'averyveryverylongname' too long" "$S" --phy-interface averyveryverylongname --direction tx
expect 2 "^system_network_latency_summary: error: argument --session-timeout: must be more than 0" "$S" --phy-interface lo --direction tx --session-timeout 0
expect 2 "^system_network_latency_summary: error: ambiguous option: --src could match --src-ip, --src-port$" "$S" --phy-interface lo --direction tx --src 1
expect 2 "^system_network_latency_details: error: the following arguments are required: --direction, --phy-interface$" "$D"
expect 2 "^system_network_latency_details: error: argument --latency-us: invalid float value: '1x'$" "$D" --phy-interface lo --direction rx --latency-us 1x
expect 2 "^system_network_perfomance_metrics: error: the following arguments are required: --internal-interface, --phy-interface$" "$M"
expect 2 "^system_network_perfomance_metrics: error: argument --direction: invalid choice: 'in'" "$M" --internal-interface lo --phy-interface lo --direction in
expect 2 "^system_network_perfomance_metrics: error: argument --internal-interface: interface name 'averyveryverylongname' too long" "$M" --internal-interface averyveryverylongname --phy-interface lo

expect 1 "^Error: interface 'nosuchnic0' not found" "$S" --phy-interface nosuchnic0 --direction tx
expect 1 "^Error: interface 'nosuchnic0' not found" "$D" --phy-interface lo,nosuchnic0 --direction tx
expect 1 "^Error: interface 'nosuchint0' not found" "$M" --internal-interface nosuchint0 --phy-interface lo
if [ ! -e /sys/module/openvswitch ]; then
	for tool in "$S --direction both" "$D --direction tx" "$M --internal-interface lo"; do
		# shellcheck disable=SC2086 # tool and its flags
		expect 1 "^Error: kernel module openvswitch is not loaded .*modprobe openvswitch" $tool --phy-interface lo
	done
else
	echo "skip: openvswitch is loaded here, no missing-module check"
fi

# Long-option prefixes and --opt=value, as argparse: parsed up to the missing module.
if [ ! -e /sys/module/openvswitch ]; then
	expect 1 "openvswitch is not loaded" "$S" --phy=lo --dir=rx --proto=udp --inter=2 --src-ip=10.1
fi
for tool in "$S" "$D" "$M"; do
	expect_check "$(basename "$tool") --help lists --phy-interface" \
		sh -c "'$tool' --help | grep -q -- --phy-interface"
done
expect_finish system_network_latency_bad_input
