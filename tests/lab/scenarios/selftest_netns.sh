#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Self-test of lib/netns.sh and lib/kprobe.sh: namespaces, veth, ping, UDP, TCP, the three
# ways to make the kernel drop packets, and kprobe hit counting.
set -euo pipefail
source "$(dirname "$0")/../lib/netns.sh"
source "$(dirname "$0")/../lib/kprobe.sh"

# Two namespaces joined directly.
lab_netns_pair la lb 10.31.0.1 10.31.0.2
lab_kprobe_add icmp_rcv icmp_rcv
replies=$(lab_ping la 10.31.0.2 5) || lab_fail "no reply from lb"
lab_expect "$replies" -eq 5 "ping la -> lb answered"
# Each echo request and each reply goes through icmp_rcv once.
lab_expect "$(lab_kprobe_hits icmp_rcv)" -ge 10 "icmp_rcv kprobe counted requests and replies"
lab_expect "$(lab_link_stat lb to-la rx_packets)" -ge 5 "lb received the pings (rx_packets)"

# UDP, received and counted line by line.
sink=$(mktemp)
lab_udp_sink lb 9000 "$sink"
lab_udp_send la 10.31.0.2 9000 20 100
sink_has() { [[ $(wc -l <"$1") -ge $2 ]]; } # FILE LINES
lab_wait_for 5 sink_has "$sink" 20 || true
lab_expect "$(wc -l <"$sink")" -eq 20 "UDP datagrams delivered to the socat sink"
# UDP written by this shell itself, from the lab guest's own namespace.
lab_netns_attach lh 10.33.0.2 lh0
ip addr add 10.33.0.1/24 dev lh0
sink_lh=$(mktemp)
lab_udp_sink lh 9000 "$sink_lh"
lab_udp_send - 10.33.0.2 9000 4
lab_wait_for 5 sink_has "$sink_lh" 4 || true
lab_expect "$(wc -l <"$sink_lh")" -eq 4 "UDP datagrams sent by this shell delivered"

# TCP with iperf3.
mbits=$(lab_tcp_iperf lb 10.31.0.2 la 1)
lab_log "iperf3 TCP la -> lb: $mbits Mbit/s"
if ! [[ $mbits =~ ^[0-9.]+$ && $mbits != 0.00 ]]; then
    lab_fail "iperf3 measured no throughput ('$mbits')"
fi
lab_ok "TCP throughput measured"

# Drop 1: UDP to a closed port.
noports0=$(lab_snmp lb Udp NoPorts)
lab_udp_closed_port la 10.31.0.2 9999 7
sleep 0.3
lab_expect "$(($(lab_snmp lb Udp NoPorts) - noports0))" -eq 7 "datagrams to a closed port counted as Udp NoPorts"

# Drop 2: a firewall rule.
lab_drop_nft lb udp 9001
lab_udp_send la 10.31.0.2 9001 6
sleep 0.3
lab_expect "$(lab_drop_counter_nft lb)" -eq 6 "nft rule dropped the datagrams to 9001"
lab_drop_iptables lb udp 9002
lab_udp_send la 10.31.0.2 9002 3
sleep 0.3
ipt_drops=$(lab_nsexec lb iptables -L INPUT -v -n -x | awk '/dpt:9002/ { print $1 }')
lab_expect "$ipt_drops" -eq 3 "iptables rule dropped the datagrams to 9002"

# Drop 3: a qdisc too small for a burst.
lab_qdisc_squeeze la to-lb
lab_udp_send la 10.31.0.2 9000 200 1400
lab_expect "$(lab_qdisc_drops la to-lb)" -gt 0 "tbf qdisc dropped part of a UDP burst"

# Three namespaces, routed through the middle one.
lab_netns_routed ra rr rb 10.32.1 10.32.2
replies=$(lab_ping ra 10.32.2.2 3) || lab_fail "no reply across the router"
lab_expect "$replies" -eq 3 "ping ra -> rr -> rb answered"

lab_kprobe_report >&2
lab_log "all netns checks passed in $(lab_elapsed)"
