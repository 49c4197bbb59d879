#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# eth_drop reports the UDP datagrams dropped at a closed port, with flow, interface, protocol and
# reason, and its filters keep out the other drops the scenario causes.
. "$(dirname "$0")/lib.sh"
e2e_setup edf 201

out=$E2E_TMP/out
e2e_start "$out" eth_drop --type ipv4 --l4-protocol udp --src-ip "$IP_A" --dst-port 9999 --interface "$DEV_B"
udp_to "$NS_A" "$IP_B" 9999 5      # counted
udp_to "$NS_A" "$IP_B" 8888 3      # other port: filtered out
tcp_syn_to "$NS_A" "$IP_B" 9999     # TCP RST path: filtered out by --l4-protocol
ip netns exec "$NS_B" bash -c "echo x > /dev/udp/$IP_A/9999"   # reverse direction: filtered out
sleep 0.5
e2e_stop

expect_count "events reported" "$out" '^\[[0-9:]+\] PID: [0-9]+ TGID' 5
expect_count "UDP ports line" "$out" "^  UDP Ports: [0-9]+ -> 9999$" 5
expect_count "source address" "$out" "^  Source IP:  $IP_A$" 5
expect_count "destination address" "$out" "^  Dest IP:    $IP_B$" 5
expect_count "protocol number" "$out" "^  Protocol:   17$" 5
expect_count "interface" "$out" "^Interface: $DEV_B$" 5
expect_count "drop reason" "$out" "^Drop reason: NO_SOCKET$" 5
expect_grep "stack starts at the free function" "$out" "^  (kfree_skb|kfree_skb_reason|sk_skb_reason_drop)\+0x"
expect_grep "stack shows the UDP receive path" "$out" "^  __udp4_lib_rcv\+0x[0-9a-f]+$"
expect_grep "banner echoes filters" "$out" "^Protocol filter: ipv4 \(0x0800\)$"
expect_grep "banner shows the interface filter" "$out" "^Interface filter: $DEV_B$"
expect_grep "lost events reported" "$out" "^Lost events: 0$"
expect_no_leftovers
e2e_finish
