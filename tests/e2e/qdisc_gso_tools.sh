#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The GSO anomaly detectors on the host's raw tracepoints (trace-qdisc-dequeue: qdisc:qdisc_dequeue
# and net:net_dev_queue; trace_dev_queue_xmit: net:net_dev_queue for __dev_queue_xmit).
# Namespace A holds a bridge with a tap (frames written by tap_frames as a VM would) and the
# veth towards B, under HTB. No kernel path makes a GSO size without a type on purpose:
# virtio_net_hdr_to_skb drops gso_size when gso_type is NONE (checked below: such frames cross
# the qdisc unreported even when every GSO type counts as missing). So the positive checks use
# the test switch BPFNET_TEST_GSO_TYPE_IGNORE: UFO frames from the tap (gso_type UDP|DODGY)
# and the TCP stream's TSO skbs (TCPV4) count as anomalies; the same traffic without the
# switch must report nothing.
. "$(dirname "$0")/lib.sh"
TAP_FRAMES=${TAP_FRAMES:?set TAP_FRAMES to the tap_frames program}
e2e_setup qgso 217

BR=qgsobr TAP=qgsot0
ip -n "$NS_A" addr del "$IP_A/24" dev "$DEV_A"
ip -n "$NS_A" link add "$BR" type bridge
ip -n "$NS_A" tuntap add dev "$TAP" mode tap vnet_hdr
ip -n "$NS_A" link set "$DEV_A" master "$BR"
ip -n "$NS_A" link set "$TAP" master "$BR"
ip -n "$NS_A" addr add "$IP_A/24" dev "$BR"
ip -n "$NS_A" link set "$TAP" up
ip -n "$NS_A" link set "$BR" up
ip -n "$NS_A" neigh replace "$IP_B" lladdr "$(e2e_mac "$NS_B" "$DEV_B")" dev "$BR" nud permanent
ip -n "$NS_B" neigh replace "$IP_A" lladdr "$(e2e_mac "$NS_A" "$BR")" dev "$DEV_B" nud permanent
tc -n "$NS_A" qdisc add dev "$DEV_A" root handle 1: htb default 10
tc -n "$NS_A" class add dev "$DEV_A" parent 1: classid 1:10 htb rate 10gbit quantum 60000
ip netns exec "$NS_B" socat -u TCP-LISTEN:7000,reuseaddr,fork OPEN:/dev/null >/dev/null 2>&1 &
E2E_HELPERS+=($!)
MAC_B=$(e2e_mac "$NS_B" "$DEV_B")
btf_enum() { bpftool btf dump file /sys/kernel/btf/vmlinux format raw | sed -n "s/^\t'$1' val=//p"; }
GSO_UDP=$(btf_enum SKB_GSO_UDP) GSO_DODGY=$(btf_enum SKB_GSO_DODGY) GSO_TCPV4=$(btf_enum SKB_GSO_TCPV4)
UFO_TYPE=$((GSO_UDP | GSO_DODGY))
IGNORE=$((GSO_UDP | GSO_DODGY | GSO_TCPV4))

# The traffic of every run: a TSO stream A -> B, then 3 UFO frames (gso_size 1000, 2500 bytes
# of payload, UDP 4001 -> 7777) and 3 frames with gso_size 500 but type NONE (UDP 4002 -> 7778),
# 100 ms apart so that each is dequeued alone; then 2 UFO frames from the DHCP client port
# (trace_dev_queue_xmit leaves DHCP out).
traffic() {
	ip netns exec "$NS_A" bash -c "head -c 3000000 /dev/zero | socat -u - TCP:$IP_B:7000" ||
		e2e_fail "the TCP stream did not go through"
	ip netns exec "$NS_A" "$TAP_FRAMES" "$TAP" --count 3 --gap-ms 100 --gso udp --gso-size 1000 --payload 2500 \
		--src-ip "$E2E_NET.9" --dst-ip "$IP_B" --sport 4001 --dport 7777 --dst-mac "$MAC_B" ||
		e2e_fail "tap_frames (UFO) failed"
	ip netns exec "$NS_A" "$TAP_FRAMES" "$TAP" --count 3 --gap-ms 100 --gso none --gso-size 500 --payload 1200 \
		--src-ip "$E2E_NET.9" --dst-ip "$IP_B" --sport 4002 --dport 7778 --dst-mac "$MAC_B" ||
		e2e_fail "tap_frames (gso_size, type NONE) failed"
	ip netns exec "$NS_A" "$TAP_FRAMES" "$TAP" --count 2 --gap-ms 100 --gso udp --gso-size 1000 --payload 2500 \
		--src-ip "$E2E_NET.9" --dst-ip "$IP_B" --sport 68 --dport 67 --dst-mac "$MAC_B" ||
		e2e_fail "tap_frames (DHCP) failed"
	sleep 0.3
}

class_packets() {
	tc -n "$NS_A" -s class show dev "$DEV_A" classid 1:10 | sed -nE 's/.*Sent [0-9]+ bytes ([0-9]+) pkt.*/\1/p'
}

# --- trace-qdisc-dequeue, no switch: nothing is an anomaly.
out=$E2E_TMP/qdq.txt
E2E_STDERR=$E2E_TMP/qdq.err e2e_start "$out" trace-qdisc-dequeue --device "$DEV_A"
before=$(class_packets)
traffic
e2e_stop
sent=$(($(class_packets) - before))
[ "$sent" -ge 7 ] && e2e_pass "the traffic crossed HTB on $DEV_A ($sent packets)" ||
	e2e_fail "only $sent packets crossed HTB on $DEV_A"
grep -q '^Attaching 2 probes\.\.\.$' "$out" && e2e_pass "trace-qdisc-dequeue: Attaching 2 probes..." ||
	e2e_fail "no 'Attaching 2 probes...' line: $(cat "$out")"
n=$(count_lines "$out" '^######')
[ "$n" -eq 0 ] && e2e_pass "trace-qdisc-dequeue: TSO, UFO and gso_size-without-type frames: 0 reports" ||
	e2e_fail "trace-qdisc-dequeue reported $n lines of normal traffic: $(head -20 "$out")"
grep -q 'kprobe' "$E2E_TMP/qdq.err" && e2e_pass "the missing kprobes are warnings" ||
	e2e_fail "no warning for the kprobes: $(cat "$E2E_TMP/qdq.err")"

# --- trace-qdisc-dequeue with the switch, in JSON: the UFO frames and the TSO skbs count.
out=$E2E_TMP/qdq.json
BPFNET_TEST_GSO_TYPE_IGNORE=$IGNORE E2E_STDERR=$E2E_TMP/qdq2.err e2e_start "$out" trace-qdisc-dequeue \
	--device "$DEV_A" --json
traffic
e2e_stop
facts=$(jq -rs --arg dev "$DEV_A" --argjson ufo "$UFO_TYPE" --argjson tso "$GSO_TCPV4" '
	def n(f): [.[] | select(.probe != null) | select(f)] | length;
	[n(.probe == "net_dev_queue" and .dev == $dev and .gso_type == $ufo and .gso_size == 1000 and .dst_port == 7777
	   and .src_port == 4001 and .len == 2542 and .ip_protocol == 17),
	 n(.probe == "qdisc_dequeue" and .dev == $dev and .gso_type == $ufo and .gso_size == 1000 and .dst_port == 7777),
	 n(.dst_port == 7778),
	 n(.gso_type == $tso and .dst_port == 7000),
	 n(.dev != $dev),
	 ([.[] | select(.final)][0].anomalies.net_dev_queue // 0),
	 n(.probe == "net_dev_queue" and ((.stack[0] // "") | startswith("__dev_queue_xmit+") | not))] | @tsv' "$out")
read -r ufo_q ufo_dq none tso other final_q badstack <<<"$facts"
[ "$ufo_q" -eq 3 ] && e2e_pass "net_dev_queue: 3 UFO frames reported (3 sent), gso_size 1000, len 2542, ports 4001->7777" ||
	e2e_fail "net_dev_queue: $ufo_q of the 3 UFO frames reported as sent: $(head -c 2000 "$out")"
[ "$ufo_dq" -eq 3 ] && e2e_pass "qdisc_dequeue: 3 UFO frames reported (3 sent)" ||
	e2e_fail "qdisc_dequeue: $ufo_dq of the 3 UFO frames reported"
[ "$none" -eq 0 ] && e2e_pass "gso_size with type NONE: the kernel drops the size (0 reported of 3)" ||
	e2e_fail "$none reports of the frames with gso_size but type NONE"
[ "$tso" -ge 2 ] && e2e_pass "TSO skbs of the stream counted when TCPV4 is ignored ($tso)" ||
	e2e_fail "only $tso TSO skbs of the stream reported"
[ "$other" -eq 0 ] && e2e_pass "no report from another device" || e2e_fail "$other reports from other devices"
[ "$final_q" -ge 3 ] && e2e_pass "the final object counts $final_q net_dev_queue anomalies" ||
	e2e_fail "final object: $final_q net_dev_queue anomalies"
# The raw tracepoints (the classic ones under BPFNET_FORCE_KPROBE); either way a stack starts
# where the kernel fires the tracepoint, not in the program or the tracepoint's runner.
[ "$badstack" -eq 0 ] && e2e_pass "net_dev_queue stacks start at __dev_queue_xmit" ||
	e2e_fail "$badstack net_dev_queue stacks do not start at __dev_queue_xmit: $(head -c 2000 "$out")"
for tp in qdisc:qdisc_dequeue net:net_dev_queue; do
	"$BIN/trace-qdisc-dequeue" --list-probes 2>/dev/null | grep -qx "  chosen: raw_tracepoint $tp" &&
		e2e_pass "trace-qdisc-dequeue: $tp is a raw tracepoint" || e2e_fail "trace-qdisc-dequeue: $tp is not a raw tracepoint"
	BPFNET_FORCE_KPROBE=1 "$BIN/trace-qdisc-dequeue" --list-probes 2>/dev/null | grep -qx "  chosen: tracepoint $tp" &&
		e2e_pass "trace-qdisc-dequeue, BPFNET_FORCE_KPROBE: $tp is a classic tracepoint" ||
		e2e_fail "trace-qdisc-dequeue, BPFNET_FORCE_KPROBE: $tp is not a classic tracepoint"
done

# --- trace_dev_queue_xmit with the switch: __dev_queue_xmit through net:net_dev_queue.
out=$E2E_TMP/dqx.json
BPFNET_TEST_GSO_TYPE_IGNORE=$IGNORE E2E_STDERR=$E2E_TMP/dqx.err e2e_start "$out" trace_dev_queue_xmit \
	--device "$DEV_A" --json
traffic
e2e_stop
facts=$(jq -rs --arg dev "$DEV_A" --argjson ufo "$UFO_TYPE" --argjson tso "$GSO_TCPV4" '
	def n(f): [.[] | select(.probe != null) | select(f)] | length;
	[n(.probe == "__dev_queue_xmit" and .dev == $dev and .gso_type == $ufo and .gso_size == 1000
	   and .dst_port == 7777 and ((.stack[0] // "") | startswith("__dev_queue_xmit+"))),
	 n(.src_port == 68), n(.dst_port == 7778), n(.gso_type == $tso and .dst_port == 7000),
	 n(.probe != "__dev_queue_xmit")] | @tsv' "$out")
read -r ufo dhcp none tso other <<<"$facts"
[ "$ufo" -eq 3 ] && e2e_pass "trace_dev_queue_xmit: 3 UFO frames reported at __dev_queue_xmit (3 sent), stacks from there" ||
	e2e_fail "trace_dev_queue_xmit: $ufo of the 3 UFO frames reported: $(head -c 1500 "$out")"
[ "$dhcp" -eq 0 ] && e2e_pass "trace_dev_queue_xmit: DHCP left out (0 of 2)" || e2e_fail "$dhcp DHCP frames reported"
[ "$none" -eq 0 ] && e2e_pass "trace_dev_queue_xmit: gso_size with type NONE: 0 of 3" ||
	e2e_fail "trace_dev_queue_xmit: $none frames with type NONE reported"
[ "$tso" -ge 1 ] && e2e_pass "trace_dev_queue_xmit: TSO skbs counted when TCPV4 is ignored ($tso)" ||
	e2e_fail "trace_dev_queue_xmit: no TSO skb reported"
[ "$other" -eq 0 ] && e2e_pass "trace_dev_queue_xmit: no other probe (no kprobes here)" || e2e_fail "$other reports of other probes"
grep -q 'sch_direct_xmit' "$E2E_TMP/dqx.err" && e2e_pass "trace_dev_queue_xmit: sch_direct_xmit missing is a warning" ||
	e2e_fail "no warning for sch_direct_xmit: $(cat "$E2E_TMP/dqx.err")"

# --- trace-abnormal-arp on the tracepoints (netif_receive_skb for __netif_receive_skb,
# net_dev_start_xmit for tun_net_xmit), watching the tap for sender 10.S.0.50 (X). Into the
# tap (received from the "VM"): 3 ARP replies from X (reported), 2 requests from Y = 10.S.0.60
# for the bridge's address (not reported; the bridge answers each into the tap). Through a
# second tap: 2 gratuitous ARPs from X and 1 from Y, flooded into the watched tap (X's
# reported at tun_net_xmit). So 10 packets crossed the tap in tap_frames' context (the tool
# counts every packet on it, per process), 5 are reported.
TAP2=qgsot1
ip -n "$NS_A" tuntap add dev "$TAP2" mode tap vnet_hdr
ip -n "$NS_A" link set "$TAP2" master "$BR"
ip -n "$NS_A" link set "$TAP2" up
MAC_BR=$(e2e_mac "$NS_A" "$BR")
X=$E2E_NET.50 Y=$E2E_NET.60
out=$E2E_TMP/arp.json
forwarding() {
	[ "$(ip netns exec "$NS_A" cat "/sys/class/net/$1/brport/state")" = 3 ]
}
E2E_STDERR=$E2E_TMP/arp.err e2e_start "$out" trace-abnormal-arp --device "$TAP" --sender-ip "$X" --json
ip netns exec "$NS_A" "$TAP_FRAMES" "$TAP" --arp reply --sender-ip "$X" --target-ip "$IP_A" --count 3 \
	--src-mac 02:00:00:00:00:05 --dst-mac "$MAC_BR" --hold-ms 1500 &
holder=$!
for _ in $(seq 1 50); do forwarding "$TAP" && break; sleep 0.1; done
forwarding "$TAP" || e2e_fail "$TAP is not forwarding in the bridge"
ip netns exec "$NS_A" "$TAP_FRAMES" "$TAP2" --arp gratuitous --sender-ip "$X" --count 2 --src-mac 02:00:00:00:00:05 &&
	ip netns exec "$NS_A" "$TAP_FRAMES" "$TAP2" --arp gratuitous --sender-ip "$Y" --src-mac 02:00:00:00:00:06 ||
	e2e_fail "tap_frames (gratuitous ARP) failed"
wait "$holder" || e2e_fail "tap_frames (ARP replies) failed"
ip netns exec "$NS_A" "$TAP_FRAMES" "$TAP" --arp request --sender-ip "$Y" --target-ip "$IP_A" --count 2 \
	--src-mac 02:00:00:00:00:06 --hold-ms 300 || e2e_fail "tap_frames (ARP requests) failed"
e2e_stop
facts=$(jq -rs --arg x "$X" --arg tap "$TAP" '
	def n(f): [.[] | select(.probe != null) | select(f)] | length;
	[n(.probe == "__netif_receive_skb" and .op == 2 and .op_name == "Reply" and .spa == $x and .dev == $tap
	   and .sha == "02:00:00:00:00:05" and .eth_src == "02:00:00:00:00:05" and .comm == "tap_frames"),
	 n(.probe == "tun_net_xmit" and .op == 1 and .spa == $x and .eth_dst == "ff:ff:ff:ff:ff:ff"
	   and (.stack | length) > 0),
	 n(.spa != $x),
	 ([.[] | select(.final)][0].packets | map(select(.dev == $tap and .comm == "tap_frames")) | map(.count) | add // 0)]
	| @tsv' "$out")
read -r replies grat other counted <<<"$facts"
[ "$replies" -eq 3 ] && e2e_pass "trace-abnormal-arp: 3 of 3 replies from $X received from the tap" ||
	e2e_fail "trace-abnormal-arp: $replies of 3 replies reported: $(head -c 1500 "$out")"
[ "$grat" -eq 2 ] && e2e_pass "trace-abnormal-arp: 2 of 2 gratuitous ARPs from $X sent into the tap" ||
	e2e_fail "trace-abnormal-arp: $grat of 2 gratuitous ARPs reported"
[ "$other" -eq 0 ] && e2e_pass "trace-abnormal-arp: nothing from other senders" || e2e_fail "$other reports of other senders"
[ "$counted" -eq 10 ] && e2e_pass "trace-abnormal-arp: @[tap_frames, $TAP]: 10 (10 crossed the tap)" ||
	e2e_fail "trace-abnormal-arp: $counted packets of tap_frames counted on the tap, 10 crossed it: $(tail -1 "$out")"

expect_no_leftovers
[ "$E2E_FAILS" -eq 0 ] || exit 1
