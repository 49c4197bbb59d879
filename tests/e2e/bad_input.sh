#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Bad input of every option kind of every tool, from one table: each bad value exits 2 at once
# with "prog: error: argument <flag>: <why>" (argparse style); each good value is accepted
# (checked with --help after it: parsing ends before help is printed, so a rejected value
# exits 2 and an accepted one 0). Then whole command lines: required and unknown options, and
# run-time failures (exit 1, one "Error:" line naming the cause).
FIXTURE_BTF=${1:?usage: bad_input.sh BTF_WITHOUT_KERNEL_TYPES}
FIXTURES=$(cd "$(dirname "$0")/../golden/fixtures/trace_conntrack" && pwd)
. "$(dirname "$0")/expect.sh"
cd "$expect_tmp" || exit 1	# drop_monitor_controller may create ./logs
# By a short relative path: error messages cut a value at 80 characters, and the checkout's
# own path can be longer than that.
mkdir fixtures && cp "$FIXTURES"/bad_*.json fixtures/ || exit 1
FIXTURES=fixtures

# Arguments every run of a tool gets first, so that its required options are there; a row's
# own option comes after them and wins.
declare -A base=(
	[drop_monitor_controller]="--interface lo --command true"
	[iface_netstat]="-n lo"
	[cpu_monitor]="-c 0"
	[virtnet_irq_monitor]="--irqs 24"
	[kvm_irqfd_stats_summary]="1"
	[kvm_irqfd_stats_summary_arm]="1"
	[system_network_icmp_rtt]="--src-ip 10.0.0.1 --dst-ip 10.0.0.2 --phy-interface lo"
	[system_network_latency_summary]="--phy-interface lo --direction tx"
	[system_network_latency_details]="--phy-interface lo --direction tx"
	[system_network_perfomance_metrics]="--internal-interface lo --phy-interface lo"
	[vm_network_latency_summary]="--vm-interface lo --phy-interface lo --direction tx"
	[vm_network_latency_details]="--vm-interface lo --phy-interface lo --direction tx"
)

# tool | option as typed[/its other spelling in errors] | bad values (shell words) | error after "argument <option>: "
bad_table() {
	cat <<'EOF'
eth_drop|--src-ip|300.1.1.1|invalid IP address: '300\.1\.1\.1'$
eth_drop|--src-ip|'' 1.2.3 10.1 0x0a000001 host.example|invalid IP address: '.*'$
eth_drop|--dst-port|70000|invalid port: 70000 \(must be between 0 and 65535\)$
eth_drop|--dst-port|-1|invalid port: -1 \(must be between 0 and 65535\)$
eth_drop|--src-port|http 1.5 ''|invalid int value: '.*'$
eth_drop|--vlan-id|4096 -5|invalid value: -?[0-9]+ \(must be between 0 and 4095\)$
eth_drop|--l4-protocol|sctp|invalid choice: 'sctp' \(choose from 'all', 'icmp', 'tcp', 'udp'\)$
eth_drop|--type|ipx|unknown protocol: 'ipx'
eth_drop|--interface|a-very-long-device-name|interface name 'a-very-long-device-name' too long
eth_drop|--interface|''|empty interface name$
kernel_drop_stack_stats_summary|--src-ip|fd00::1|expected an IPv4 address: 'fd00::1'$
kernel_drop_stack_stats_summary|--src-ip|'' 1.2.3 10.1 256.1.1.1|invalid IPv4 address: '.*'$
kernel_drop_stack_stats_summary|-n/--name|averyveryverylongname|interface name 'averyveryverylongname' too long
kernel_drop_stack_stats_summary|--device|''|empty interface name$
kernel_drop_stack_stats_summary|-i/--interval|0 -1 1e300 99999999999999999999|(invalid int value: '.*'|invalid value: .* \(must be between 0\.1 and 31536000 seconds\))$
kernel_drop_stack_stats_summary|-i/--interval|1.5 nan|invalid int value: '.*'$
kernel_drop_stack_stats_summary|-d/--duration|-1 31536001|invalid value: .* \(must be 0 for no limit or between 0\.1 and 31536000 seconds\)$
kernel_drop_stack_stats_summary|-t/--top|0|invalid value: 0 \(must be between 1 and 100000\)$
kernel_drop_stack_stats_summary|--dst-port|65536|invalid port: 65536
kernel_drop_stack_stats_summary|--l4-protocol|sctp|invalid choice: 'sctp'
kernel_drop_stack_stats_summary_all|--group-by|flow|invalid choice: 'flow'
kernel_drop_stack_stats_summary_all|--max-entries|0|invalid value: 0 \(must be between 1 and 4000000\)$
kernel_drop_stack_stats_summary_all|--max-entries|99999999999999999999|invalid int value: '99999999999999999999'$
kernel_drop_stack_stats_summary_all|-i/--interval|0 -1|invalid value: .* \(must be between 0\.1 and 31536000 seconds\)$
kernel_drop_stack_stats_summary_all|--dst-ip|1.2.3|invalid IPv4 address: '1\.2\.3'$
qdisc_drop_trace|--interval|0|invalid value: 0 \(must be between 0\.1 and 31536000 seconds\)$
qdisc_drop_trace|--interval|ten 1.5|invalid int value: '.*'$
qdisc_drop_trace|--duration|-1|invalid value: -1 \(must be 0 for no limit or between 0\.1 and 31536000 seconds\)$
qdisc_drop_trace|--interface|a-very-long-device-name|interface name 'a-very-long-device-name' too long
qdisc_drop_trace|--interface|''|empty interface name$
drop_monitor_controller|--interval|0 -1 31536001|invalid value: .* \(must be between 0\.1 and 31536000 seconds\)$
drop_monitor_controller|--interval|1.5 nan|invalid int value: '.*'$
drop_monitor_controller|--command|"  "|empty command$
drop_monitor_controller|--command|"eth_drop --interface 'lo"|cannot split 'eth_drop --interface 'lo' into words: No closing quotation$
drop_monitor_controller|--stop-command|'pkill \'|cannot split 'pkill \\' into words: No escaped character$
drop_monitor_controller|--interface|a-very-long-device-name|interface name 'a-very-long-device-name' too long
drop_monitor_controller|--interface|''|empty interface name$
drop_monitor_controller|--log-dir|''|empty path$
trace_conntrack|--src-ip|10.0.0.300 '' 1.2.3 10.1|invalid IPv4 address: '.*'$
trace_conntrack|--dst-ip|fd00::1|expected an IPv4 address: 'fd00::1'$
trace_conntrack|--protocol|sctp|invalid choice: 'sctp' \(choose from 'all', 'icmp', 'tcp', 'udp'\)$
trace_conntrack|--dst-port|70000|invalid port: 70000 
trace_conntrack|--src-port|x|invalid int value: 'x'$
trace_conntrack|--duration|-1 1.5 99999999999999999999|(invalid value: -1 |invalid int value: ')
trace_conntrack|--filters-file|/nonexistent/rules.json|/nonexistent/rules\.json: No such file or directory$
trace_ip_defrag|--protocol|foo|invalid protocol: 'foo' \(use tcp, udp, icmp or a number 0-255\)$
trace_ip_defrag|--protocol|256 -1 ''|invalid protocol: '.*' 
trace_ip_defrag|--src-ip|1.2.3|invalid IPv4 address: '1\.2\.3'$
trace_ip_defrag|--dst-ip|'' 10.1 fd00::1|(invalid|expected an) IPv4 address: '.*'$
trace_ip_defrag|--duration|-5 1e9|(invalid value: -5 |invalid int value: '1e9')
trace_ip_defrag|--log-file|/nonexistent/dir/defrag.log|cannot open '/nonexistent/dir/defrag\.log': No such file or directory$
trace_offloading_segment|--dst-port|70000 -1 x|(invalid port: -?[0-9]+ \(must be between 0 and 65535\)|invalid int value: 'x')$
trace_offloading_segment|-d/--duration|-1 nan|(invalid value: -1 |invalid float value: 'nan')
trace_vlanvm_udp_workload|--device|'a,,b' abcdefghijklmnop 'd1,d2,d3,d4,d5,d6,d7,d8,d9'|(invalid device name '.*' in '.*' \(1 to 15 characters each\)|at most 8 devices: '.*')$
trace_vlanvm_udp_workload|--phy-interface|a-very-long-device-name|interface name 'a-very-long-device-name' too long
trace_vlanvm_udp_workload|--ip-fragment-symbol|''|empty symbol$
vpc-vm-udp-datapath|--device|'a,,b' abcdefghijklmnop 'd1,d2,d3,d4,d5,d6,d7,d8,d9'|(invalid device name '.*' in '.*' \(1 to 15 characters each\)|at most 8 devices: '.*')$
vpc-vm-udp-datapath|--phy-interface|a-very-long-device-name|interface name 'a-very-long-device-name' too long
vpc-vm-udp-datapath|--bridge|''|empty interface name$
vpc-vm-udp-datapath|--dst-port|70000 -1 x|(invalid port: -?[0-9]+ \(must be between 0 and 65535\)|invalid int value: 'x')$
qdisc_lateny_details|--src-ip|300.1.1.1|invalid IPv4 address: '300\.1\.1\.1'$
qdisc_lateny_details|--dst-ip|fd00::1|expected an IPv4 address: 'fd00::1'$
qdisc_lateny_details|--src-ip|'' 1.2.3 10.1|invalid IPv4 address: '.*'$
qdisc_lateny_details|--dst-port|70000|invalid port: 70000 \(must be between 0 and 65535\)$
qdisc_lateny_details|--src-port|http|invalid int value: 'http'$
qdisc_lateny_details|--proto|sctp|invalid choice: 'sctp' \(choose from 'tcp', 'udp', 'icmp', 'all'\)$
qdisc_lateny_details|--dev|averyveryverylongname|interface name 'averyveryverylongname' too long
qdisc_lateny_details|--dev|''|empty interface name$
qdisc_lateny_details|--max-entries|5|invalid value: 5 
qdisc_lateny_details|--expire|0 -1 31536001|invalid value: .* \(must be between 0\.1 and 31536000 seconds\)$
qdisc_lateny_details|--duration|1.5|invalid int value: '1\.5'$
iface_netstat|-n/--name|averyveryverylongname|interface name 'averyveryverylongname' too long
iface_netstat|-n/--name|''|empty interface name$
iface_netstat|-i/--interval|fast 1.2.3 0x10|invalid float value: '.*'$
iface_netstat|-i/--interval|nan inf|invalid float value: '.*'$
iface_netstat|-i/--interval|0 -2 1e300 99999999999999999999 1e-9 0.0001 31536001|invalid value: .* \(must be between 0\.1 and 31536000 seconds\)$
iface_netstat|--duration|-1 1e300|(invalid value: -1 |invalid int value: '1e300')
vm_pair_latency|--ports|70000 -1|invalid port: -?[0-9]+ \(must be between 0 and 65535\)$
vm_pair_latency|--ports|http 1.5 ''|invalid int value: '.*'$
vm_pair_latency|--send-dev|averyveryverylongname|interface name 'averyveryverylongname' too long
vm_pair_gap|--threshold|-1 1.5 x|(invalid value: -1 |invalid int value: '.*')
vm_pair_gap|--ports|70000|invalid port: 70000 \(must be between 0 and 65535\)$
multi_vm_pair_latency|--ports|70000|invalid port: 70000 \(must be between 0 and 65535\)$
multi_vm_pair_latency_pairid|--pairs|'a,b=x' 'a,b=-1'|invalid pair id: '.*'$
multi_port_gap|--threshold|-5 abc|(invalid value: -5 |invalid int value: 'abc')
multi_vm_pair_multi_port_gap|--send-dev|'tap0,averyveryverylongname'|interface name 'averyveryverylongname' too long
system_network_icmp_rtt|--src-ip|10.0.0.300 host.example '' 1.2.3 10.1|invalid IPv4 address: '.*'$
system_network_icmp_rtt|--dst-ip|fd00::1|expected an IPv4 address: 'fd00::1'$
system_network_icmp_rtt|--src-ip|0.0.0.0|0\.0\.0\.0 matches no packet: give the address of the echo request's sender$
system_network_icmp_rtt|--dst-ip|0.0.0.0|0\.0\.0\.0 matches no packet: give the address of the echo request's receiver$
system_network_icmp_rtt|--phy-interface|lo,|empty interface name in 'lo,'$
system_network_icmp_rtt|--phy-interface|''|empty interface name in ''$
system_network_icmp_rtt|--phy-interface|a-very-long-device-name|interface name 'a-very-long-device-name' too long
system_network_icmp_rtt|--phy-interface|lo,lo,lo,lo,lo|at most 4 interfaces: 'lo,lo,lo,lo,lo'$
system_network_icmp_rtt|--latency-ms|fast inf nan 0x10|invalid float value: '.*'$
system_network_icmp_rtt|--latency-ms|-5 1e9 1e20 10001|invalid value: .* \(must be between 0 and 10000\)$
system_network_icmp_rtt|--direction|both|invalid choice: 'both' \(choose from 'tx', 'rx'\)$
system_network_icmp_rtt|--duration|1.5|invalid int value: '1\.5'$
system_network_icmp_rtt|--duration|-1|invalid value: -1 
system_network_icmp_rtt|--src-ip||expected one argument$
system_network_latency_summary|--direction|up|invalid choice: 'up' \(choose from 'tx', 'rx', 'both'\)$
system_network_latency_summary|--protocol|icmp|invalid choice: 'icmp' \(choose from 'tcp', 'udp', 'all'\)$
system_network_latency_summary|--interval|5.5 nan|invalid int value: '.*'$
system_network_latency_summary|--interval|0 -1 99999999999|(invalid value: .* \(must be between 0\.1 and 31536000 seconds\)|invalid int value: '99999999999')$
system_network_latency_summary|--src-ip|10.0.0.300 10.1 ''|invalid IPv4 address: '.*'$
system_network_latency_summary|--dst-port|65536|invalid port: 65536
system_network_latency_summary|--phy-interface|lo,,lo|empty interface name in 'lo,,lo'$
system_network_latency_summary|--phy-interface|a,b,c,d,e|at most 4 interfaces
system_network_latency_summary|--phy-interface|averyveryverylongname|interface name 'averyveryverylongname' too long
system_network_latency_summary|--session-timeout|0 -1 1e-9 31536001|invalid value: .* \(must be between 0\.1 and 31536000 seconds\)$
system_network_latency_summary|--session-timeout|nan inf|invalid float value: '.*'$
system_network_latency_summary|--duration|-1|invalid value: -1 
vm_network_latency_summary|--direction|both|invalid choice: 'both' \(choose from 'tx', 'rx'\)$
vm_network_latency_summary|--protocol|sctp|invalid choice: 'sctp' \(choose from 'tcp', 'udp', 'icmp', 'all'\)$
vm_network_latency_summary|--vm-ip|10.1 300.0.0.1 ''|invalid IPv4 address: '.*'$
vm_network_latency_summary|--vm-interface|averyveryverylongname|.*too long
vm_network_latency_summary|--interval|5.5|invalid int value: '5\.5'$
vm_network_latency_summary|--src-port|65536|invalid port: 65536
vm_network_latency_details|--direction|both|invalid choice: 'both' \(choose from 'tx', 'rx'\)$
vm_network_latency_details|--latency-us|-5 1e9|invalid value: .* \(must be between 0 and 1e\+07\)$
vm_network_latency_details|--phy-interface|lo,,lo|empty interface name in 'lo,,lo'$
system_network_latency_details|--latency-us|1x nan inf|invalid float value: '.*'$
system_network_latency_details|--latency-us|-5 1e9 1e20|invalid value: .* \(must be between 0 and 1e\+07\)$
system_network_latency_details|--session-timeout|nan|invalid float value: 'nan'$
system_network_latency_details|--session-timeout|0|invalid value: 0 
system_network_perfomance_metrics|--direction|in|invalid choice: 'in'
system_network_perfomance_metrics|--internal-interface|averyveryverylongname|interface name 'averyveryverylongname' too long
system_network_perfomance_metrics|--internal-interface|''|empty interface name$
system_network_perfomance_metrics|--latency-us|-5 nan inf 1e9 1e20|invalid (float )?value: 
system_network_perfomance_metrics|--session-timeout|nan|invalid float value: 'nan'$
system_network_perfomance_metrics|--src-port|-1|invalid port: -1 
kernel_drop_stack_stats|interval|abc 1.5|invalid int value: '.*'$
kernel_drop_stack_stats|interval|99999999999|invalid value: 99999999999 
kernel_drop_stack_stats|interval|31536001|invalid value: 31536001 \(must be between 1 and 31536000 seconds\)$
kernel_drop_stack_stats|device_name|averyveryverylongname|interface name 'averyveryverylongname' too long
futex|--unit|ns s ''|invalid choice: '.*' \(choose from 'ms', 'us'\)$
futex|-p/--pid|0 -5|invalid value: -?[0-9]+ \(must be between 1 and 2147483647\)$
futex|-p/--pid|abc 1.5|invalid int value: '.*'$
futex|-d/--duration|-1 31536001|invalid value: .* \(must be 0 for no limit or between 0\.1 and 31536000 seconds\)$
futex|-i/--interval|0 -1 31536001|invalid value: .* \(must be between 0\.1 and 31536000 seconds\)$
trace-qdisc-dequeue|--device|'' a,,b 0123456789abcdefg|invalid device name '.*' in '.*' \(1 to 15 characters each\)$
trace-qdisc-dequeue|--kprobe-device|a,b,c,d,e,f,g,h,i|at most 8 devices: 'a,b,c,d,e,f,g,h,i'$
trace-qdisc-dequeue|-d/--duration|-1|invalid value: .* \(must be 0 for no limit or between 0\.1 and 31536000 seconds\)$
trace_dev_queue_xmit|--device|, 0123456789abcdefg|invalid device name '.*' in '.*' \(1 to 15 characters each\)$
trace_tc_qdisc|--fq-codel-device|'' x,|invalid device name '' in '.*' \(1 to 15 characters each\)$
trace_tc_qdisc|--device|a,b,c,d,e,f,g,h,i|at most 8 devices: '.*'$
trace-abnormal-arp|--sender-ip|1.2.3 ''|(invalid|expected an) IPv4 address: '.*'$
trace-abnormal-arp|--device|0123456789abcdefg|invalid device name '0123456789abcdefg' in '0123456789abcdefg' \(1 to 15 characters each\)$
offcputime-ts|-p/--pid|abc 1,x ''|must be integers$
offcputime-ts|-t/--tid|1,-2|must be positive ingegers$
offcputime-ts|-m/--min-block-time|0|must be nonzero$
offcputime-ts|-m/--min-block-time|-5|must be positive$
offcputime-ts|-M/--max-block-time|1.5 x|must be an integer$
offcputime-ts|--stack-storage-size|0|must be nonzero$
offcputime-ts|--state|-1|must be positive$
offcputime-ts|-I/--interval|0|must be nonzero$
offcputime-ts|duration|0|must be nonzero$
offcputime-ts|duration|five|must be an integer$
pthread_rwlock_wrlock|-p/--pid|0 -1|invalid value: -?[0-9]+ \(must be between 1 and 2147483647\)$
pthread_rwlock_wrlock|-d/--duration|-1|invalid value: -1 
pthread_rwlock_wrlock|PID|abc|invalid int value: 'abc'$
sched_latency_monitor|-t/--period|0 -1 31536001|invalid value: .* \(must be between 0\.1 and 31536000 seconds\)$
sched_latency_monitor|-i/--interval|abc ''|invalid float value: '.*'$
sched_latency_monitor|--pid|0 -5 4194305|invalid value: -?[0-9]+ \(must be between 1 and 4194304\)$
sched_latency_monitor|--duration|-1|invalid value: -1 \(must be 0 for no limit or between 0\.1 and 31536000 seconds\)$
cpu_monitor|-c/--cpus|4096 1-0 '' x 0,,1|invalid CPU number '.*', system CPU range: 0-[0-9]+$
cpu_monitor|-i/--interval|1.5 x 0|invalid (int value: '.*'|value: 0 .*)$
cpu_monitor|-t/--threshold|101 -1|invalid value: -?[0-9]+ \(must be between 0 and 100\)$
virtnet_poll_monitor|-q/--queue|-1 abc 65536|invalid (int )?value: .*$
virtnet_poll_monitor|-d/--device|abcdefghijklmnop|interface name 'abcdefghijklmnop' too long \(max 15 characters\)$
virtnet_poll_monitor|--interval|-1 x|invalid (int )?value: .*$
tun_ring_monitor|--src-ip|1.2.3 300.1.1.1 ''|invalid IPv4 address: '.*'$
tun_ring_monitor|--dst-port|70000|invalid port: 70000 \(must be between 0 and 65535\)$
tun_ring_monitor|--protocol|icmp|invalid choice: 'icmp' \(choose from 'tcp', 'udp'\)$
tun_ring_monitor|-d/--device|abcdefghijklmnop|interface name 'abcdefghijklmnop' too long \(max 15 characters\)$
tun_ring_monitor|--interval|-1 x|invalid (int )?value: .*$
tun-tx-ring-stas|-q/--queue|-1 256 x|invalid (int )?value: .*$
tun-tx-ring-stas|-d/--device|abcdefghijklmnop|interface name 'abcdefghijklmnop' too long \(max 15 characters\)$
virtnet_irq_monitor|--irqs|'' x 1,,2 '24, 2x'|Invalid IRQ number: invalid literal for int\(\) with base 10: '.*'$
virtnet_irq_monitor|--interval|0 x 86401|invalid (int )?value: .*$
vhost_eventfd_count|-i/--interval|0 1.5 x|invalid (int )?value: .*$
kvm_irqfd_stats_summary|--interval|0 1.5 x|invalid (int )?value: .*$
kvm_irqfd_stats_summary|--qemu-pid|0 x 4194305|invalid (int )?value: .*$
kvm_irqfd_stats_summary|--vhost-pid|-1 x|invalid (int )?value: .*$
kvm_irqfd_stats_summary|--category|all rx|invalid choice: '.*' \(choose from 'data', 'control'\)$
kvm_irqfd_stats_summary|--subcategory|data none|invalid choice: '.*' \(choose from 'rx', 'tx'\)$
kvm_irqfd_stats_summary_arm|--interval|0 1.5|invalid (int )?value: .*$
kvm_irqfd_stats_summary_arm|--qemu-pid|0 4194305|invalid (int )?value: .*$
kvm_irqfd_stats_summary_arm|--category|all|invalid choice: 'all' \(choose from 'data', 'control'\)$
vhost_buf_peek_stats|-i/--interval|0 -1 x|invalid (int )?value: .*$
vhost_queue_correlation_simple|-q/--queue|-1 256 x|invalid (int )?value: .*$
vhost_queue_correlation_simple|-d/--device|abcdefghijklmnop|interface name 'abcdefghijklmnop' too long \(max 15 characters\)$
vhost_queue_correlation_details|-q/--queue|-1 256 x|invalid (int )?value: .*$
vhost_queue_correlation_details|--interval|-1 86401 x|invalid (int )?value: .*$
vhost_queue_correlation_details|-d/--device|abcdefghijklmnop|interface name 'abcdefghijklmnop' too long \(max 15 characters\)$
virtionet-rx-path-summary|duration_seconds|x 1.5|invalid int value: '.*'$
ovs-kernel-module-drop-monitor|--src-ip|10.0.0.300 '' 1.2.3|invalid IPv4 address: '.*'$
ovs-kernel-module-drop-monitor|--dst|fd00::1|expected an IPv4 address: 'fd00::1'$
ovs-kernel-module-drop-monitor|--protocol|sctp|invalid choice: 'sctp' \(choose from 'all', 'icmp', 'tcp', 'udp'\)$
ovs-kernel-module-drop-monitor|--src-port|70000|invalid port: 70000 \(must be between 0 and 65535\)$
ovs-kernel-module-drop-monitor|--duration|-1|invalid value: -1 \(must be 0 for no limit or between 0\.1 and 31536000 seconds\)$
virtionet-rx-path-monitor|-i/--interval|0 -1 31536001|invalid value: -?[0-9]+ \(must be between 0\.1 and 31536000 seconds\)$
virtionet-rx-path-monitor|-i/--interval|1.5 x ''|invalid int value: '.*'$
virtionet-rx-path-monitor|-d/--duration|-1 31536001|invalid value: -?[0-9]+ \(must be 0 for no limit or between 0\.1 and 31536000 seconds\)$
trace_virtio_net_rcvbuf|-d/--duration|-1 x|invalid (int )?value: .*
trace-ovs-ct-invalid|--device|a-very-long-device-name 'a,,b' 'd1,d2,d3,d4,d5,d6,d7,d8,d9'|(invalid device name '.*' in '.*' \(1 to 15 characters each\)|at most 8 devices: '.*')$
trace-ovs-ct-invalid|--duration|-1 x|invalid (int )?value: .*$
EOF
}

# tool | option as typed | good values (shell words): each must be accepted
good_table() {
	cat <<'EOF'
eth_drop|--src-ip|10.0.0.1 2001:db8::1 0.0.0.0
eth_drop|--src-port|0 80 65535 " 8_0 "
eth_drop|--vlan-id|0 4095
eth_drop|--l4-protocol|all tcp
eth_drop|--interface|lo abcdefghijklmno nosuchdev0
kernel_drop_stack_stats_summary|--dst-ip|10.0.0.1 0.0.0.0
kernel_drop_stack_stats_summary|-i|1 31536000
kernel_drop_stack_stats_summary|-d|0 60
kernel_drop_stack_stats_summary_all|--max-entries|1 4000000
qdisc_drop_trace|--interval|1 86400 100000
qdisc_drop_trace|--duration|0 31536000
drop_monitor_controller|--interval|1 30
trace_conntrack|--src-ip|10.0.0.1 255.255.255.255
trace_conntrack|--duration|0 1
trace_ip_defrag|--protocol|tcp UDP 0 255 sctp
trace_offloading_segment|--dst-port|0 4789 65535
trace_vlanvm_udp_workload|--device|em3 'eth0,eth0.100,vnet3'
vpc-vm-udp-datapath|--device|vnet138 'd1,d2,d3,d4,d5,d6'
vpc-vm-udp-datapath|--dst-port|0 4789 65535
qdisc_lateny_details|--src-ip|10.0.0.1
qdisc_lateny_details|--expire|1 3600 86400
qdisc_lateny_details|--dev|lo
iface_netstat|-i|0.1 0.5 1 2.5 31536000
iface_netstat|--duration|0 1
vm_pair_latency|--ports|0 62109 65535 " 8_0 "
vm_pair_latency|--recv-dev|lo nosuchdev0
vm_pair_gap|--threshold|0 100 " 1_000 "
multi_port_gap|--ports|22 80 443 8080
multi_vm_pair_latency|--send-dev|vnet48 'vnet48,vnet41'
multi_vm_pair_latency_pairid|--pairs|'vnet48,vnet45=100;vnet36,vnet42=101' ''
multi_vm_pair_multi_port_gap|--send-dev|vnet45 'vnet45,vnet59' 'a b'
multi_vm_pair_multi_port_gap|--threshold|0 100
system_network_icmp_rtt|--latency-ms|0 0.5 10000 " 1_0.5 "
system_network_latency_summary|--interval|1 5 31536000
system_network_latency_summary|--session-timeout|0.1 1 3600 31536000
system_network_latency_summary|--src-ip|10.0.0.1
vm_network_latency_summary|--vm-ip|10.0.0.1
vm_network_latency_summary|--direction|tx rx
vm_network_latency_details|--latency-us|0 100 10000000
system_network_latency_details|--latency-us|0 0.5 100 10000000
system_network_perfomance_metrics|--latency-us|0 1e7
futex|--unit|ms us
futex|-p|1 2147483647
futex|--duration|0 0.5 60
futex|-i|0.1 10 31536000
trace-qdisc-dequeue|--device|lo vnet0,port-storage a,b,c,d,e,f,g,h
trace_tc_qdisc|--fq-codel-device|0,port-storage lo
trace-abnormal-arp|--sender-ip|10.0.0.5 0.0.0.0
offcputime-ts|-p|1 1,2,3
offcputime-ts|-M|18446744073709551615
offcputime-ts|--state|0 2
sched_latency_monitor|-t|0.1 2.5 127
sched_latency_monitor|--duration|0 60
cpu_monitor|-c|0 0,0 0-0
cpu_monitor|-t|0 100
virtnet_poll_monitor|-q|0 65535
virtnet_poll_monitor|--interval|0 2
tun_ring_monitor|--protocol|tcp udp
tun_ring_monitor|--src-ip|10.0.0.1 0.0.0.0
tun_ring_monitor|--interval|0 1
tun-tx-ring-stas|-q|0 255
virtnet_irq_monitor|--irqs|0 "24, 25" 1,1
virtnet_irq_monitor|--device|eth0
virtionet-rx-path-monitor|-i|1 10 31536000
virtionet-rx-path-monitor|--duration|0 60
trace_virtio_net_rcvbuf|-d|0 5
vhost_eventfd_count|-i|1 5 31536000
kvm_irqfd_stats_summary|--interval|1 5 31536000
kvm_irqfd_stats_summary|--category|data control
kvm_irqfd_stats_summary|--qemu-pid|1 4194304
kvm_irqfd_stats_summary_arm|--interval|1 31536000
kvm_irqfd_stats_summary_arm|--subcategory|rx tx
vhost_buf_peek_stats|-i|1 31536000
vhost_queue_correlation_simple|-q|0 255
vhost_queue_correlation_details|-q|0 255
vhost_queue_correlation_details|--interval|0 86400
EOF
}

# "-i/--interval" is typed "-i" and named "-i/--interval" in errors; "--src-ip" is both.
while IFS='|' read -r tool option values why; do
	typed=${option%%/*}
	label=$option
	eval "vals=($values)"
	[ ${#vals[@]} -gt 0 ] || vals=(__none__)
	for v in "${vals[@]}"; do
		# shellcheck disable=SC2086 # base arguments are words
		if [ "$v" = __none__ ]; then
			expect 2 "^$tool: error: argument $label: $why" "$BIN/$tool" ${base[$tool]:-} "$typed"
		elif [[ $typed != -* ]]; then
			# A positional: kernel_drop_stack_stats device_name interval.
			if [ "$typed" = interval ]; then
				expect 2 "^$tool: error: argument $label: $why" "$BIN/$tool" lo "$v"
			else
				expect 2 "^$tool: error: argument $label: $why" "$BIN/$tool" "$v"
			fi
		else
			expect 2 "^$tool: error: argument $label: $why" "$BIN/$tool" ${base[$tool]:-} "$typed" "$v"
		fi
	done
done < <(bad_table)

# accepts CMD...: CMD --help exits 0 with nothing on stderr (every value in CMD was accepted).
accepts() {
	timeout 10 "$@" --help >"$expect_tmp/out" 2>"$expect_tmp/err" && [ ! -s "$expect_tmp/err" ] ||
		{ cat "$expect_tmp/err"; return 1; }
}
while IFS='|' read -r tool option values; do
	eval "vals=($values)"
	for v in "${vals[@]}"; do
		# shellcheck disable=SC2086 # base arguments are words
		expect_check "$tool $option '$v' is accepted" accepts "$BIN/$tool" ${base[$tool]:-} "$option" "$v"
	done
done < <(good_table)

# A huge bad value is cut in the message (80 characters and "..."), not echoed in full.
# cut_message REGEX CMD...: CMD exits 2, stderr is under 1000 bytes and has a line matching REGEX.
cut_message() {
	local regex=$1
	shift
	timeout 10 "$@" >/dev/null 2>"$expect_tmp/err"
	[ $? -eq 2 ] && [ "$(wc -c <"$expect_tmp/err")" -lt 1000 ] && grep -qE -- "$regex" "$expect_tmp/err" ||
		{ head -c 2000 "$expect_tmp/err"; return 1; }
}
huge=$(head -c 100000 /dev/zero | tr '\0' 7)
expect_check "eth_drop --src-ip <100 KB> is cut" \
	cut_message "^eth_drop: error: argument --src-ip: invalid IP address: '7{80}\.\.\.'$" "$BIN/eth_drop" --src-ip "$huge"
expect_check "iface_netstat --<100 KB> is cut" \
	cut_message "^iface_netstat: error: unrecognized arguments: --7{78}\.\.\.$" "$BIN/iface_netstat" -n lo "--$huge"
expect_check "qdisc_lateny_details --dev <100 KB> is cut" \
	cut_message "^qdisc_lateny_details: error: argument --dev: interface name '7{80}\.\.\.' too long" \
	"$BIN/qdisc_lateny_details" --dev "$huge"

# ---- whole command lines ----

expect 2 "^eth_drop: error: argument --src-ip: expected one argument$" "$BIN/eth_drop" --src-ip
expect 2 "^eth_drop: error: unrecognized arguments: --bogus$" "$BIN/eth_drop" --bogus
expect 2 "^eth_drop: error: ambiguous option: --src could match --src-ip, --src-port$" "$BIN/eth_drop" --src 1.2.3.4
expect 2 "^kernel_drop_stack_stats: error: unrecognized arguments: extra$" "$BIN/kernel_drop_stack_stats" eth0 5 extra

tc=$BIN/trace_conntrack
expect 2 "^trace_conntrack: error: argument --stack: expected one argument$" "$tc" --stack
expect 2 "^trace_conntrack: error: argument --filters-file: $FIXTURES/bad_trailing_comma\.json: line 2, column 46: expected a member name in double quotes, found '\}'$" \
	"$tc" --filters-file "$FIXTURES/bad_trailing_comma.json"
expect 2 "^trace_conntrack: error: argument --filters-file: $FIXTURES/bad_unknown_key\.json: line 3, column 15: rule 2: unknown key 'srcip'" \
	"$tc" --filters-file "$FIXTURES/bad_unknown_key.json"
expect 2 "^trace_conntrack: error: argument --filters-file: $FIXTURES/bad_protocol\.json: line 1, column 37: rule 1: protocol: unknown protocol 'sctp'" \
	"$tc" --filters=$FIXTURES/bad_protocol.json
expect 2 "^trace_conntrack: error: argument --filters-file: $FIXTURES/bad_top_level\.json: the top level must be an array of rule objects, not an object$" \
	"$tc" --filters-file "$FIXTURES/bad_top_level.json"
printf '[{"src_ip": "10.0.0.1"}]\0' >"$expect_tmp/nul.json"
expect 2 "^trace_conntrack: error: argument --filters-file: $expect_tmp/nul\.json: the file contains a NUL byte" \
	"$tc" --filters-file "$expect_tmp/nul.json"
expect 2 "^trace_ip_defrag: error: unrecognized arguments: --interface eth0$" "$BIN/trace_ip_defrag" --interface eth0

Q=$BIN/qdisc_drop_trace
expect 2 "^qdisc_drop_trace: error: argument --interface: expected one argument$" "$Q" --interface
expect 2 "^qdisc_drop_trace: error: unrecognized arguments: --drop-only-x$" "$Q" --drop-only-x
expect 2 "^qdisc_drop_trace: error: ambiguous option: --d could match --drops-only, --duration$" "$Q" --d

C=$BIN/drop_monitor_controller
expect 2 "^drop_monitor_controller: error: the following arguments are required: --interface, --command$" "$C"
expect 2 "^drop_monitor_controller: error: the following arguments are required: --command$" "$C" --interface lo

# The flag is --proto, as in the original: --protocol is not a prefix of it.
expect 2 "^qdisc_lateny_details: error: unrecognized arguments: --protocol tcp$" "$BIN/qdisc_lateny_details" --protocol tcp
expect 2 "^iface_netstat: error: argument -n/--name: please specify a network interface$" "$BIN/iface_netstat"
expect 2 "^iface_netstat: error: unrecognized arguments: --bogus$" "$BIN/iface_netstat" -n lo --bogus
expect 2 "^iface_netstat: error: argument -t/--throughput: ignored explicit argument 'yes'$" "$BIN/iface_netstat" -n lo --throughput=yes

expect 2 "^sched_latency_monitor: error: argument -t/--period: at most 127 samples may overlap \\(period / interval\\)$" \
	"$BIN/sched_latency_monitor" -t 20 -i 0.1
expect 2 "^cpu_monitor: error: the list of CPUs to monitor is required \\(-c/--cpus\\)$" "$BIN/cpu_monitor"
# futex prints its histogram once: an interval is for the metrics file only.
expect 2 "^futex: error: argument -i/--interval: only with --prometheus-textfile \\(the histogram is printed once, at exit\\)$" \
	"$BIN/futex" -i 5
expect 2 "^futex: error: argument --quiet: only with --prometheus-textfile \\(nothing would be reported\\)$" "$BIN/futex" --quiet
expect 2 "^virtnet_irq_monitor: error: the following arguments are required: --irqs$" "$BIN/virtnet_irq_monitor"
expect 2 "^virtionet-rx-path-summary: error: unrecognized arguments: 3$" "$BIN/virtionet-rx-path-summary" 1 2 3
expect 1 "^Error: interface nosuchdev0 not found$" "$BIN/virtnet_poll_monitor" -d nosuchdev0
expect 1 "^Error: interface lo is not a virtio-net device" "$BIN/virtnet_poll_monitor" -d lo
expect 2 "^vhost_eventfd_count: error: argument --clear: not allowed with argument --at-exit$" "$BIN/vhost_eventfd_count" --at-exit -c
expect 2 "^kvm_irqfd_stats_summary: error: the following arguments are required: qemu_pid$" "$BIN/kvm_irqfd_stats_summary"
expect 2 "^kvm_irqfd_stats_summary: error: argument --vhost-pid: can only be used with --category=data$" \
	"$BIN/kvm_irqfd_stats_summary" 1 --vhost-pid 5 --category control
expect 2 "^kvm_irqfd_stats_summary: error: argument --subcategory: requires --category to be specified$" \
	"$BIN/kvm_irqfd_stats_summary" --qemu-pid 1 --subcategory rx
expect 2 "^kvm_irqfd_stats_summary: error: argument --qemu-pid: 2 differs from the positional qemu_pid 1$" \
	"$BIN/kvm_irqfd_stats_summary" 1 --qemu-pid 2
expect 1 "^Error: no process with PID 4194304: qemu_pid must be the QEMU process of the VM$" \
	"$BIN/kvm_irqfd_stats_summary" 4194304
expect 2 "^kvm_irqfd_stats_summary_arm: error: the following arguments are required: qemu_pid$" \
	"$BIN/kvm_irqfd_stats_summary_arm"
expect 2 "^kvm_irqfd_stats_summary_arm: error: argument --vhost-pid: can only be used with --category=data$" \
	"$BIN/kvm_irqfd_stats_summary_arm" 1 --vhost-pid 5
if [ "$(uname -m)" = x86_64 ]; then
	# The arm64 variant on an x86 kernel (no vGIC): one line naming the function and the x86 tool.
	expect 1 "^Error: kernel [^ ]+ has no function vgic_queue_irq_unlock \(nor vgic_v2/v3_populate_lr\): kvm_irqfd_stats_summary_arm is the arm64 variant, for hosts with KVM's vGIC; on this host use kvm_irqfd_stats_summary$" \
		"$BIN/kvm_irqfd_stats_summary_arm" 1
	expect_check "kvm_irqfd_stats_summary_arm on x86: that line only" test "$(wc -l <"$expect_tmp/err")" -eq 1
	expect_check "kvm_irqfd_stats_summary_arm on x86: nothing on standard output" test ! -s "$expect_tmp/out"
fi
expect 1 "^Error: interface nosuchdev0 not found$" "$BIN/vhost_queue_correlation_simple" -d nosuchdev0
expect 1 "^Error: interface nosuchdev0 not found$" "$BIN/vhost_queue_correlation_details" -d nosuchdev0
expect 2 "^virtionet-rx-path-monitor: error: unrecognized arguments: 10$" "$BIN/virtionet-rx-path-monitor" 10
expect 2 "^trace_virtio_net_rcvbuf: error: unrecognized arguments: --interval 1$" "$BIN/trace_virtio_net_rcvbuf" --interval 1
# offcputime-ts: the original's exclusive groups and its own checks.
expect 2 "^pthread_rwlock_wrlock: error: the callers of --stack are counted for one process: give its PID$" "$BIN/pthread_rwlock_wrlock" --stack
expect 2 "^pthread_rwlock_wrlock-stack: error: the callers of --stack are counted for one process: give its PID$" "$BIN/pthread_rwlock_wrlock-stack"
expect 2 "^pthread_rwlock_wrlock: error: argument -p/--pid: not the same as PID \\(1, 2\\)$" "$BIN/pthread_rwlock_wrlock" -p 1 2
expect 1 "^Error: --lib /nonexistent/libc\\.so\\.6: No such file or directory$" "$BIN/pthread_rwlock_wrlock" --lib /nonexistent/libc.so.6
expect 1 "^Error: --lib /bin/true does not define __pthread_rwlock_wrlock \\(give the function with --sym\\)$" "$BIN/pthread_rwlock_wrlock" --lib /bin/true
O=$BIN/offcputime-ts
expect 2 "^offcputime-ts: error: argument -t/--tid: not allowed with argument -p/--pid$" "$O" -p 1 -t 2
expect 2 "^offcputime-ts: error: argument -k/--kernel-threads-only: not allowed with argument -u/--user-threads-only$" "$O" -u -k
expect 2 "^offcputime-ts: error: argument -K/--kernel-stacks-only: not allowed with argument -U/--user-stacks-only$" "$O" -U -K
expect 2 "^ERROR: Displaying user stacks for kernel threads doesn't make sense\.$" "$O" -k -U
expect_check "offcputime-ts -f -s: the original's message on stdout, status 0" \
	bash -c '[ "$("$0" -f -s)" = "ERROR: can only use -f or -s. Exiting." ]' "$O"
expect_check "offcputime-ts --ebpf: the BPF source, status 3" \
	bash -c '"$0" --ebpf | grep -q "^SEC(\"raw_tp/sched_switch\")"; [ "${PIPESTATUS[0]}" -eq 3 ]' "$O"

T=$BIN/system_network_icmp_rtt
P=system_network_icmp_rtt
ok="--src-ip 10.0.0.1 --dst-ip 10.0.0.2"
expect 2 "^$P: error: the following arguments are required: --src-ip, --dst-ip$" "$T" --phy-interface lo
expect 2 "^$P: error: the following arguments are required: --dst-ip$" "$T" --src-ip 10.0.0.1 --phy-interface lo
expect 2 "^$P: error: the following arguments are required: --phy-interface \(or --phy-iface1\)$" "$T" $ok
expect 2 "^$P: error: the following arguments are required: --phy-interface \(or --phy-iface1\)$" "$T" $ok --phy-iface2 lo
expect 2 "^$P: error: argument --phy-iface1: not allowed with argument --phy-interface$" "$T" $ok --phy-interface lo --phy-iface1 lo
expect 2 "^$P: error: argument --phy-iface1: empty interface name$" "$T" $ok --phy-iface1 ''
expect 2 "^$P: error: ambiguous option: --phy could match --phy-interface, --phy-iface1, --phy-iface2$" "$T" $ok --phy lo
expect 2 "^$P: error: unrecognized arguments: --phy-iface3 lo$" "$T" $ok --phy-iface3 lo

S=$BIN/system_network_latency_summary
D=$BIN/system_network_latency_details
M=$BIN/system_network_perfomance_metrics
expect 2 "^system_network_latency_summary: error: the following arguments are required: --phy-interface, --direction$" "$S"
expect 2 "^system_network_latency_summary: error: ambiguous option: --src could match --src-ip, --src-port$" "$S" --phy-interface lo --direction tx --src 1
expect 2 "^system_network_latency_details: error: the following arguments are required: --direction, --phy-interface$" "$D"
expect 2 "^system_network_perfomance_metrics: error: the following arguments are required: --internal-interface, --phy-interface$" "$M"
expect 2 "^vm_network_latency_summary: error: the following arguments are required: --vm-interface, --phy-interface, --direction$" "$BIN/vm_network_latency_summary"
expect 2 "^vm_network_latency_details: error: the following arguments are required: --direction, --vm-interface, --phy-interface$" "$BIN/vm_network_latency_details"
# Long-option prefixes and --opt=value, as argparse (10.1 is not an address: one rule for IPv4).
expect 2 "^system_network_latency_summary: error: argument --src-ip: invalid IPv4 address: '10\.1'$" \
	"$S" --phy=lo --dir=rx --proto=udp --inter=2 --src-ip=10.1

# ---- run-time failures: exit 1 and one "Error:" line that names the cause ----

for tool in eth_drop trace_conntrack trace_ip_defrag qdisc_drop_trace qdisc_lateny_details trace_offloading_segment trace_vlanvm_udp_workload vpc-vm-udp-datapath; do
	expect 1 "^Error: $tool must be run as root" setpriv --reuid 65534 --regid 65534 --clear-groups "$BIN/$tool"
done
expect 1 "^Error: iface_netstat must be run as root" setpriv --reuid 65534 --regid 65534 --clear-groups "$BIN/iface_netstat" -n lo
expect 1 "^Error: $P must be run as root" setpriv --reuid 65534 --regid 65534 --clear-groups "$T" $ok --phy-interface lo
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
expect 0 "^Warning: no interface 'nosuchdev0' in this network namespace" "$Q" --interface nosuchdev0 --summary --duration 1
expect_check "qdisc_drop_trace ran to the end of --duration" grep -q "^Stopping qdisc drop monitoring\.\.\.$" "$expect_tmp/out"
expect 1 "^Error: no interface 'nosuchdev0' in this network namespace \(--interface\)$" "$C" --interface nosuchdev0 --command true
expect 1 "^Error: cannot create log directory /dev/null/logs: Not a directory$" "$C" --interface lo --command true --log-dir /dev/null/logs
expect 1 "^Error: interface 'nosuchdev0' not found" "$BIN/qdisc_lateny_details" --dev nosuchdev0
expect 1 "^Error: net interface nosuchdev0 does not exist" "$BIN/iface_netstat" -n nosuchdev0
expect 1 "^Error: interface 'nosuchnic0' not found \(see \`ip link show\`\)$" "$T" $ok --phy-interface nosuchnic0
expect 1 "^Error: interface 'nosuchnic1' not found" "$T" $ok --phy-interface "lo, nosuchnic1"
expect 1 "^Error: interface 'nosuchnic2' not found" "$T" $ok --phy-iface1 lo --phy-iface2 nosuchnic2
expect 1 "^Error: interface 'nosuchnic0' not found" "$S" --phy-interface nosuchnic0 --direction tx
expect 1 "^Error: interface 'nosuchnic0' not found" "$D" --phy-interface lo,nosuchnic0 --direction tx
expect 1 "^Error: interface 'nosuchint0' not found" "$M" --internal-interface nosuchint0 --phy-interface lo

if [ ! -e /sys/bus/event_source/devices/kprobe/type ] && [ ! -e /sys/kernel/tracing/kprobe_events ] &&
	[ ! -e /sys/kernel/debug/tracing/kprobe_events ]; then
	# This kernel has no kprobes: both tools say so instead of failing later.
	expect 1 "^Error: kernel .* cannot attach kprobes .*trace_conntrack has no other probe points$" "$tc"
	expect 1 "^Error: kernel .* cannot attach kprobes .*ip_defrag has no tracepoint to use instead$" "$BIN/trace_ip_defrag" --protocol udp
	expect 1 "^Error: kernel .* cannot attach kprobes .*irqfd_wakeup and the injection functions have no tracepoint$" \
		"$BIN/kvm_irqfd_stats_summary" 1
	expect 1 "^Error: kernel .* cannot attach kprobes .*virtnet_poll has no tracepoint to use instead$" \
		"$BIN/virtionet-rx-path-monitor" -i 2
	expect 1 "^Error: kernel .* cannot attach kprobes .*receive_buf has no tracepoint to use instead$" \
		"$BIN/trace_virtio_net_rcvbuf" --all-tx
	expect 1 "^Error: kernel .* cannot attach kprobes .*its probe points are kernel functions without tracepoints$" \
		"$BIN/trace_offloading_segment"
	expect 1 "^Error: kernel .* cannot attach kprobes .*its probe points are kernel functions without tracepoints$" \
		"$BIN/trace_vlanvm_udp_workload"
	expect 1 "^Error: kernel .* cannot attach kprobes .*its probe points are kernel functions without tracepoints$" \
		"$BIN/vpc-vm-udp-datapath" --tunnel-device-filter
else
	echo "skip: this kernel has kprobes (the lab scenarios run trace_conntrack and trace_ip_defrag end to end)"
fi
if [ ! -e /sys/module/openvswitch ]; then
	expect 1 "^Error: kernel module openvswitch is not loaded \(the internal port and datapath stages are its functions\); load it with \`modprobe openvswitch\`$" \
		"$T" $ok --phy-interface lo --latency-ms " 1_0.5 " --direction rx
	for tool in "$S --direction both" "$D --direction tx" "$M --internal-interface lo"; do
		# shellcheck disable=SC2086 # tool and its flags
		expect 1 "^Error: kernel module openvswitch is not loaded .*modprobe openvswitch" $tool --phy-interface lo
	done
	expect 1 "openvswitch is not loaded" "$S" --phy=lo --dir=rx --proto=udp --inter=2 --src-ip=10.0.0.1
	expect 1 "^Error: kernel module openvswitch is not loaded \(the drops it reports are the datapath's\); load it with \`modprobe openvswitch\`$" \
		"$BIN/ovs-kernel-module-drop-monitor" --protocol udp --stack
	expect 1 "^Error: kernel module openvswitch is not loaded \(its ct\(\) action is what the tool watches\); load it with \`modprobe openvswitch\`$" \
		"$BIN/trace-ovs-ct-invalid" --device lo --no-stack
else
	echo "skip: openvswitch is loaded here; the missing-module errors are not testable"
fi
if [ ! -e /sys/module/vhost_net ]; then
	expect 1 "^Error: kernel module vhost is not loaded \(its virtqueues are what the tool counts\); load it with \`modprobe vhost\`$" \
		"$BIN/vhost_eventfd_count" -i 2
	expect 1 "^Error: kernel module vhost_net is not loaded \(its RX queues are what the tool counts\); load it with \`modprobe vhost_net\`$" \
		"$BIN/vhost_buf_peek_stats" -c
	expect 1 "^Error: kernel module tun is not loaded \(tun_net_xmit ties a TAP queue to its socket\); load it with \`modprobe tun\`$" \
		"$BIN/vhost_queue_correlation_simple" -q 0 --debug
	expect 1 "^Error: kernel module tun is not loaded \(tun_net_xmit ties a TAP queue to its socket\); load it with \`modprobe tun\`$" \
		"$BIN/vhost_queue_correlation_details" -q 0 --interval 1
else
	echo "skip: vhost_net is loaded here; the missing-module errors are not testable"
fi

# --help works without root and lists the original's and the manual's flags.
help_lists_flags() {
	setpriv --reuid 65534 --regid 65534 --clear-groups "$T" --help >"$expect_tmp/help" 2>&1 &&
		grep -q -- '--phy-iface1 PHY_IFACE1' "$expect_tmp/help" && grep -q -- '--phy-interface PHY_INTERFACE' "$expect_tmp/help" &&
		grep -q -- '--disable-kernel-stacks' "$expect_tmp/help" && grep -q -- '--duration SECONDS' "$expect_tmp/help" ||
		{ cat "$expect_tmp/help"; return 1; }
}
expect_check "$P --help without root lists --phy-interface, --phy-iface1, --disable-kernel-stacks, --duration" help_lists_flags
for tool in "$S" "$D" "$M"; do
	expect_check "$(basename "$tool") --help lists --phy-interface" \
		sh -c "'$tool' --help | grep -q -- --phy-interface"
done
expect_check "--help states the range of times" \
	sh -c "'$BIN/iface_netstat' --help | grep -qx 'intervals, durations and timeouts: seconds from 0.1 to 31536000 (365 days)'"

expect_finish bad_input
