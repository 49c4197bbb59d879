#!/bin/bash
# system_network_icmp_rtt on this machine: bad input gives one clear line and the documented
# exit status (2: usage, argparse style, naming the flag; 1: run-time failure). Its hooks are
# kprobes and openvswitch functions, which this kernel does not have: the round trips
# themselves are tested in the kernel lab (tests/lab/scenarios/system_network_icmp_rtt*.sh).
. "$(dirname "$0")/expect.sh"
T=$BIN/system_network_icmp_rtt
P=system_network_icmp_rtt

ok="--src-ip 10.0.0.1 --dst-ip 10.0.0.2"
# Addresses: inet_aton forms are accepted (10.1 = 10.0.0.1), anything else is an error.
expect 2 "^$P: error: argument --src-ip: invalid IP address format: '10\.0\.0\.300'$" "$T" --src-ip 10.0.0.300 --dst-ip 10.0.0.2 --phy-interface lo
expect 2 "^$P: error: argument --dst-ip: invalid IP address format: 'fd00::1'$" "$T" --src-ip 10.0.0.1 --dst-ip fd00::1 --phy-interface lo
expect 2 "^$P: error: argument --dst-ip: invalid IP address format: 'host\.example'$" "$T" --src-ip 10.0.0.1 --dst-ip host.example --phy-interface lo
expect 2 "^$P: error: argument --src-ip: 0\.0\.0\.0 matches no packet: give the address of the echo request's sender$" "$T" --src-ip 0.0.0.0 --dst-ip 10.0.0.2 --phy-interface lo
# Required flags.
expect 2 "^$P: error: the following arguments are required: --src-ip, --dst-ip$" "$T" --phy-interface lo
expect 2 "^$P: error: the following arguments are required: --dst-ip$" "$T" --src-ip 10.0.0.1 --phy-interface lo
expect 2 "^$P: error: the following arguments are required: --phy-interface \(or --phy-iface1\)$" "$T" $ok
expect 2 "^$P: error: the following arguments are required: --phy-interface \(or --phy-iface1\)$" "$T" $ok --phy-iface2 lo
expect 2 "^$P: error: argument --phy-iface1: not allowed with argument --phy-interface$" "$T" $ok --phy-interface lo --phy-iface1 lo
expect 2 "^$P: error: argument --src-ip: expected one argument$" "$T" --src-ip
# Interfaces.
expect 2 "^$P: error: argument --phy-interface: empty interface name in 'lo,'$" "$T" $ok --phy-interface lo,
expect 2 "^$P: error: argument --phy-interface: interface name 'a-very-long-device-name' too long" "$T" $ok --phy-interface a-very-long-device-name
expect 2 "^$P: error: argument --phy-interface: at most 4 interfaces: 'lo,lo,lo,lo,lo'$" "$T" $ok --phy-interface lo,lo,lo,lo,lo
expect 1 "^Error: interface 'nosuchnic0' not found \(see \`ip link show\`\)$" "$T" $ok --phy-interface nosuchnic0
expect 1 "^Error: interface 'nosuchnic1' not found" "$T" $ok --phy-interface "lo, nosuchnic1"
expect 1 "^Error: interface 'nosuchnic2' not found" "$T" $ok --phy-iface1 lo --phy-iface2 nosuchnic2
# Other values.
expect 2 "^$P: error: argument --latency-ms: invalid float value: 'fast'$" "$T" $ok --phy-interface lo --latency-ms fast
expect 2 "^$P: error: argument --latency-ms: invalid float value: 'inf'$" "$T" $ok --phy-interface lo --latency-ms inf
expect 2 "^$P: error: argument --latency-ms: invalid float value: '0x10'$" "$T" $ok --phy-interface lo --latency-ms 0x10
expect 2 "^$P: error: argument --direction: invalid choice: 'both' \(choose from 'tx', 'rx'\)$" "$T" $ok --phy-interface lo --direction both
expect 2 "^$P: error: argument --duration: invalid int value: '1\.5'$" "$T" $ok --phy-interface lo --duration 1.5
expect 2 "^$P: error: ambiguous option: --phy could match --phy-interface, --phy-iface1, --phy-iface2$" "$T" $ok --phy lo
expect 2 "^$P: error: unrecognized arguments: --phy-iface3 lo$" "$T" $ok --phy-iface3 lo

# Run-time failures.
expect 1 "^Error: $P must be run as root" setpriv --reuid 65534 --regid 65534 --clear-groups "$T" $ok --phy-interface lo
if [ ! -e /sys/module/openvswitch ]; then
	expect 1 "^Error: kernel module openvswitch is not loaded \(the internal port and datapath stages are its functions\); load it with \`modprobe openvswitch\`$" \
		"$T" $ok --phy-interface lo --latency-ms " 1_0.5 " --direction rx
else
	echo "skip: openvswitch is loaded here; the missing-module error is not testable"
fi

# --help works without root and lists the original's and the manual's flags.
help_lists_flags() {
	setpriv --reuid 65534 --regid 65534 --clear-groups "$T" --help >"$expect_tmp/help" 2>&1 &&
		grep -q -- '--phy-iface1 PHY_IFACE1' "$expect_tmp/help" && grep -q -- '--phy-interface PHY_INTERFACE' "$expect_tmp/help" &&
		grep -q -- '--disable-kernel-stacks' "$expect_tmp/help" && grep -q -- '--duration SECONDS' "$expect_tmp/help" ||
		{ cat "$expect_tmp/help"; return 1; }
}
expect_check "--help without root lists --phy-interface, --phy-iface1, --disable-kernel-stacks, --duration" help_lists_flags

expect_finish system_network_icmp_rtt_bad_input
