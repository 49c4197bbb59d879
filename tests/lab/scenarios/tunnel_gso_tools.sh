#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# shellcheck source-path=SCRIPTDIR
# lab-options: --timeout 300
# The offload tracers of other/ on real GSO traffic, one start each:
#   trace_offloading_segment: a Geneve tunnel gnv0 (UDP 6081) between namespaces ga and gb
#     over veth to-gb, whose UDP-tunnel segmentation offload is off, so that the kernel
#     segments each tunnel GSO packet in skb_udp_tunnel_segment. ga sends 3 UDP GSO datagrams
#     of 10 x 1000 bytes (UDP_SEGMENT) into gnv0. Where gnv0 takes UDP GSO (6.x): 3 tunnel
#     transmits of inner UDP to 6081 and 3 segmentations of gso_size 1000 (UDP_L4|UDP_TUNNEL);
#     where it does not (5.10: the datagrams are cut before the tunnel): 30 tunnel transmits
#     and no UDP segmentation. 30 datagrams arrive in gb either way. A TCP transfer through
#     gnv0 is segmented after encapsulation on every kernel (TCPV4|UDP_TUNNEL, gso_size = the
#     inner MSS). The same UDP through the decoy tunnel gnv1 (UDP 6082): banner lines only.
#   trace_vlanvm_udp_workload: namespaces va/vb joined by veth to-vb with a VLAN device
#     vlan100 (tag 100) on it, --device vlan100,to-vb --phy-interface to-vb: 3 UDP datagrams
#     from 10.85.0.1:5002 show at validate_xmit_skb and netif_skb_features on vlan100 and on
#     to-vb (there with the accelerated tag 100), and at __ip_finish_output on vlan100; a
#     DHCP-port datagram (sport 68) only at __ip_finish_output; UDP through the unlisted veth
#     to-vc nowhere.
#   vpc-vm-udp-datapath: ga as the VPC host, --device gnv0 (the tunnel port) --phy-interface
#     to-gb --bridge gnv1, UDP segmentation off on both tunnels: 2 UDP GSO datagrams (10 x 1000)
#     into gnv0 are each cut once at gnv0 (__skb_gso_segment, __udp_gso_segment, skb_segment,
#     validate_xmit_skb, netif_skb_features), then 20 tunnel packets to 6081 leave to-gb
#     (validate_xmit_skb, with a DHCP-port datagram and a ping: 22); 1 through gnv1 shows at
#     validate_xmit_skb on gnv1 (the bridge) and its 10 packets to 6082 on to-gb, nowhere else;
#     the unfiltered tunnel probes count every tunnel packet of gnv0 (23, gb's ping reply too)
#     and of gnv1 (10). The DHCP-port datagram and the ping are not shown on gnv0. mlx5e_xmit:
#     no such module, a warning.
# Cost on 6.12: 36 core-s (lab.sh under /usr/bin/time: 28.8 user + 7.2 sys, boot included).
# With the vpc-vm-udp-datapath section, back to back on the loaded host (load 13 on 2 cores):
# 49.4 core-s (40.1 user + 9.3 sys) against 49.2 (40.2 + 9.0) without it.
set -euo pipefail
source "$(dirname "$0")/../lib/netns.sh"
source "$(dirname "$0")/../lib/tool.sh"

PY=/usr/bin/python3
lab_require_cmd ethtool ethtool
lab_modprobe geneve
lab_tool_workdir
WORK=$LAB_TOOL_WORK

lab_netns_pair ga gb 10.81.0.1 10.81.0.2
# Underlay: the kernel, not the veth, segments the tunnel's GSO packets.
lab_nsexec ga ethtool -K to-gb tx-udp_tnl-segmentation off tx-udp_tnl-csum-segmentation off >/dev/null 2>&1 ||
    lab_fail "cannot turn off UDP tunnel segmentation on to-gb"
# tunnel NS DEV ID PORT REMOTE LOCAL_MAC LOCAL_IP PEER_MAC PEER_IP: a Geneve device with a
# static neighbour entry for the peer (no ARP through the tunnel).
tunnel() {
    ip -n "$1" link add "$2" address "$6" type geneve id "$3" dstport "$4" remote "$5" ||
        lab_fail "cannot create geneve $2 in $1"
    lab_netns_addr "$1" "$2" "$7"
    ip -n "$1" neigh add "${9%/*}" lladdr "$8" dev "$2" nud permanent
}
tunnel ga gnv0 100 6081 10.81.0.2 02:00:00:82:00:01 10.82.0.1/24 02:00:00:82:00:02 10.82.0.2
tunnel gb gnv0 100 6081 10.81.0.1 02:00:00:82:00:02 10.82.0.2/24 02:00:00:82:00:01 10.82.0.1
tunnel ga gnv1 200 6082 10.81.0.2 02:00:00:83:00:01 10.83.0.1/24 02:00:00:83:00:02 10.83.0.2
tunnel gb gnv1 200 6082 10.81.0.1 02:00:00:83:00:02 10.83.0.2/24 02:00:00:83:00:01 10.83.0.1
lab_log "to-gb: $(lab_nsexec ga ethtool -k to-gb | grep -E 'udp_tnl|generic-segm|udp-segm' | tr -s '\n\t' '  ')"
lab_log "gnv0: $(lab_nsexec ga ethtool -k gnv0 | grep -E 'udp-segm|generic-segm' | tr -s '\n\t' '  ')"

# Receiver in gb: datagrams per address, written after each one.
cat >"$WORK/sink.py" <<'PYEOF'
import selectors, socket, sys
out, addrs = sys.argv[1], sys.argv[2:]
sel = selectors.DefaultSelector()
counts = {}
for a in addrs:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((a, 7001))
    sel.register(s, selectors.EVENT_READ, a)
    counts[a] = 0
open(out + ".ready", "w").write("ready\n")
while True:
    for key, _ in sel.select():
        key.fileobj.recv(65535)
        counts[key.data] += 1
        open(out, "w").write(" ".join("%s:%d" % (a, counts[a]) for a in addrs) + "\n")
PYEOF
lab_nsexec gb "$PY" "$WORK/sink.py" "$WORK/gb.count" 10.82.0.2 10.83.0.2 &
lab_on_exit "kill $! 2>/dev/null"
lab_wait_for 20 test -s "$WORK/gb.count.ready" || lab_fail "receiver did not start in gb"

# gso_send SRC DST COUNT: COUNT UDP GSO datagrams of 10 x 1000 bytes from SRC:5001 to DST:7001.
gso_send() {
    lab_nsexec ga "$PY" - "$@" <<'PYEOF' || lab_fail "UDP GSO send failed"
import socket, sys
src, dst, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_UDP, 103, 1000)  # UDP_SEGMENT
s.bind((src, 5001))
for i in range(count):
    s.sendto(bytes([65 + i]) * 10000, (dst, 7001))
PYEOF
}

# ---- trace_offloading_segment ----
# tcp_send DST PORT BYTES: one TCP connection from ga sending BYTES to DST:PORT (gb's sink).
lab_nsexec gb "$PY" -c '
import socket, sys
t = socket.socket()
t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
t.bind(("10.82.0.2", 7002))
t.listen()
open(sys.argv[1], "w").write("ready\n")
while True:
    c, _ = t.accept()
    n = 0
    while True:
        b = c.recv(65536)
        if not b:
            break
        n += len(b)
    open(sys.argv[1] + ".bytes", "w").write("%d\n" % n)
    c.close()
' "$WORK/tcp.ready" &
lab_on_exit "kill $! 2>/dev/null"
lab_wait_for 20 test -s "$WORK/tcp.ready" || lab_fail "TCP sink did not start in gb"
if lab_nsexec ga ethtool -k gnv0 | grep -q '^tx-udp-segmentation: on'; then
    udp_xmit=3 udp_seg=3 decoy_seg=2
else
    udp_xmit=30 udp_seg=0 decoy_seg=0
fi
OUT=$WORK/offseg.txt
lab_tool_start "$OUT" trace_offloading_segment
gso_send 10.82.0.1 10.82.0.2 3
gso_send 10.83.0.1 10.83.0.2 2
lab_nsexec ga "$PY" -c '
import socket
s = socket.create_connection(("10.82.0.2", 7002), timeout=10)
s.sendall(b"t" * 60000)
s.close()
' || lab_fail "TCP transfer through gnv0 failed"
lab_wait_for 20 grep -qx "60000" "$WORK/tcp.ready.bytes" || lab_fail "gb's TCP sink got $(cat "$WORK/tcp.ready.bytes" 2>/dev/null)"
lab_wait_for 20 grep -q "10.82.0.2:30 10.83.0.2:20" "$WORK/gb.count" ||
    lab_fail "gb received: $(cat "$WORK/gb.count" 2>/dev/null)"
lab_tool_await "$udp_xmit" '^geneve tunnel encaped data: 10\.82\.0\.1:'
lab_tool_stop
[[ -s $OUT.err ]] && lab_log "stderr: $(cat "$OUT.err")"
# One awk for every fact of the run: per block its func, flow, GSO fields.
facts=$(awk '
    function bit(v, b) { return int(v / b) % 2 }
    /^Attaching / { attaching = $0 }
    /^ip tunnel xmit probe$/ { xmit_banner++ }
    /^udp tunnel segemtation probe$/ { seg_banner++ }
    /^\*\*\*\*\*\*\*\*\* command: / { func = $NF; blocks[func]++ }
    /^geneve tunnel encaped data: / { flow = $5 " " $6 " " $7 }
    /^inner_protocol_type: / { encap = $NF }
    /^gso_size: / { gso = $2 + 0; gtype = $4 + 0 }
    /^end \*\*\*\*\*\*\*\*\*\* $/ {
        outer = flow ~ /^10\.81\.0\.1:[0-9]+ => 10\.81\.0\.2:6081$/
        if (func == "iptunnel_xmit" && flow ~ /^10\.82\.0\.1:[0-9]+ => 10\.82\.0\.2:6081$/) xmit_udp++
        if (func == "skb_udp_tunnel_segment" && outer && encap == 1 && bit(gtype, 1024)) {
            if (gso == 1000 && bit(gtype, 131072)) seg_udp++
            if ((gso == 1398 || gso == 1410) && bit(gtype, 1)) seg_tcp++
        }
        if (flow !~ /:6081$/) other_port++
    }
    END {
        printf "%s|%d|%d|%d|%d|%d|%d|%d|%d|%d\n", attaching, xmit_banner, seg_banner, blocks["iptunnel_xmit"],
            blocks["skb_udp_tunnel_segment"], xmit_udp, seg_udp, seg_tcp, other_port, blocks["__kfree_skb"]
    }' "$OUT")
IFS='|' read -r attaching xmit_banner seg_banner xmit_blocks seg_blocks xmit_udp seg_udp seg_tcp other_port free_blocks <<<"$facts"
lab_log "trace_offloading_segment: $facts"
[[ $attaching == "Attaching 3 probes..." ]] || lab_fail "start line: $attaching"
lab_expect "$xmit_blocks" -eq "$udp_xmit" "iptunnel_xmit blocks (inner UDP to port 6081; TCP and port 6082 are not shown)"
lab_expect "$xmit_udp" -eq "$udp_xmit" "iptunnel_xmit blocks with the inner addresses and outer port 6081"
lab_expect "$xmit_banner" -gt $((udp_xmit + udp_xmit * 2 / 3)) "iptunnel_xmit banner lines (UDP to 6081 and 6082, TCP)"
lab_expect "$seg_udp" -eq "$udp_seg" "UDP segmentations: gso_size 1000, UDP_L4|UDP_TUNNEL, encapsulated, 10.81.0.1 => 10.81.0.2:6081"
lab_expect "$seg_tcp" -ge 1 "TCP segmentations: gso_size = MSS, TCPV4|UDP_TUNNEL, encapsulated, to 6081"
lab_expect "$seg_blocks" -eq $((seg_udp + seg_tcp)) "skb_udp_tunnel_segment blocks (no others)"
lab_expect "$seg_banner" -eq $((seg_blocks + decoy_seg)) "skb_udp_tunnel_segment banner lines (shown + decoy tunnel)"
lab_expect "$other_port" -eq 0 "blocks of the decoy tunnel (port 6082)"
lab_log "__kfree_skb blocks: $free_blocks"

# ---- trace_vlanvm_udp_workload ----
lab_modprobe 8021q
lab_netns_pair va vb 10.84.0.1 10.84.0.2
lab_netns_pair va vc 10.87.0.1 10.87.0.2
ip -n va link add link to-vb name vlan100 address 02:00:00:85:00:01 type vlan id 100 || lab_fail "cannot create vlan100"
ip -n vb link add link to-va name vlan100 address 02:00:00:85:00:02 type vlan id 100 || lab_fail "cannot create vlan100 in vb"
lab_netns_addr va vlan100 10.85.0.1/24
lab_netns_addr vb vlan100 10.85.0.2/24
ip -n va neigh add 10.85.0.2 lladdr 02:00:00:85:00:02 dev vlan100 nud permanent
ip -n va neigh add 10.87.0.2 lladdr "$(ip -n vc -br link show to-va | awk '{ print $3 }')" dev to-vc nud permanent
# udp_send SPORT DST DPORT COUNT: COUNT datagrams of 500 bytes from va.
udp_send() {
    lab_nsexec va "$PY" - "$@" <<'PYEOF' || lab_fail "UDP send from va failed"
import socket, sys
sport, dst, dport, count = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", sport))
for i in range(count):
    s.sendto(b"v" * 500, (dst, dport))
PYEOF
}
OUT=$WORK/vlanvm.txt
lab_tool_start "$OUT" trace_vlanvm_udp_workload --device vlan100,to-vb --phy-interface to-vb
udp_send 5002 10.85.0.2 7001 3
udp_send 68 10.85.0.2 67 1
udp_send 5003 10.87.0.2 7001 3
lab_tool_await 6 '^####### udp header info: 10\.85\.0\.1:5002 => 10\.85\.0\.2:7001$'
lab_tool_stop
[[ -s $OUT.err ]] && lab_log "stderr: $(cat "$OUT.err")"
facts=$(awk '
    /^Attaching / { attaching = $0 }
    /^[a-z_]/ && / probe$/ { probe = $0 }
    /^####### skb info, / { dev = $5; sub(/\t.*/, "", dev) }
    /^####### udp header info: 10\.85\.0\.1:5002 => 10\.85\.0\.2:7001$/ { n[probe "|" dev]++ }
    /^####### vlan tag: 100$/ { tag[probe "|" dev]++ }
    /header info.*:68 =>/ { dhcp[probe]++ }
    /10\.87\.0\.2/ || /dev_name: to-vc/ { decoy++ }
    END {
        printf "%s|%d|%d|%d|%d|%d|%d|%d|%d|%d|%d\n", attaching,
            n["validate transmit skb probe|vlan100"], n["validate transmit skb probe|to-vb"],
            tag["validate transmit skb probe|to-vb"], n["netif skb features probe|vlan100"],
            n["netif skb features probe|to-vb"], n["ip finish output probe|vlan100"],
            dhcp["ip finish output probe"], dhcp["validate transmit skb probe"] + dhcp["netif skb features probe"],
            decoy, tag["validate transmit skb probe|vlan100"]
    }' "$OUT")
IFS='|' read -r attaching val_vlan val_veth val_tag nf_vlan nf_veth ipfo dhcp_ipfo dhcp_val decoy vlan_untagged <<<"$facts"
lab_log "trace_vlanvm_udp_workload: $facts"
[[ $attaching =~ ^Attaching\ 1[0-9]\ probes\.\.\.$ ]] || lab_fail "start line: $attaching"
lab_expect "$val_vlan" -eq 3 "validate_xmit_skb blocks on vlan100"
lab_expect "$vlan_untagged" -eq 0 "tags on vlan100 (the tag is added after its validate_xmit_skb)"
lab_expect "$val_veth" -eq 3 "validate_xmit_skb blocks on to-vb"
lab_expect "$val_tag" -eq 3 "validate_xmit_skb blocks on to-vb with VLAN tag 100"
lab_expect "$nf_vlan" -eq 3 "netif_skb_features blocks on vlan100"
lab_expect "$nf_veth" -eq 3 "netif_skb_features blocks on to-vb"
if grep -q "__ip_finish_output" "$OUT.err"; then
    lab_log "__ip_finish_output not probed here: $(grep __ip_finish_output "$OUT.err")"
else
    lab_expect "$ipfo" -eq 3 "__ip_finish_output blocks on vlan100"
    lab_expect "$dhcp_ipfo" -eq 1 "__ip_finish_output block of the DHCP-port datagram"
fi
lab_expect "$dhcp_val" -eq 0 "validate_xmit_skb / netif_skb_features blocks of the DHCP-port datagram"
lab_expect "$decoy" -eq 0 "blocks of the traffic through the unlisted to-vc"

# ---- vpc-vm-udp-datapath ----
# ga is the VPC host: gnv0 its Geneve port (--device), to-gb its NIC (--phy-interface), gnv1
# stands for its bridge (--bridge: shown at validate_xmit_skb only). With UDP segmentation off
# on both tunnels, every kernel cuts each GSO datagram at the tunnel's validate_xmit_skb.
for dev in gnv0 gnv1; do
    lab_nsexec ga ethtool -K "$dev" tx-udp-segmentation off >/dev/null 2>&1 || true
    lab_nsexec ga ethtool -k "$dev" | grep -q '^tx-udp-segmentation: off' ||
        lab_fail "cannot turn off UDP segmentation on $dev"
done
OUT=$WORK/vpc.txt
lab_tool_start "$OUT" vpc-vm-udp-datapath --device gnv0 --phy-interface to-gb --bridge gnv1
gso_send 10.82.0.1 10.82.0.2 2
gso_send 10.83.0.1 10.83.0.2 1
lab_nsexec ga "$PY" -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.82.0.1", 68))
s.sendto(b"d" * 200, ("10.82.0.2", 7001))
' || lab_fail "DHCP-port datagram through gnv0 failed"
lab_ping ga 10.82.0.2 1 >/dev/null || lab_fail "ping through gnv0 failed"
lab_wait_for 20 grep -q "10.82.0.2:51 10.83.0.2:30" "$WORK/gb.count" ||
    lab_fail "gb received: $(cat "$WORK/gb.count" 2>/dev/null)"
lab_tool_await 35 '^validate transmit skb probe$'
lab_tool_stop
facts=$(awk '
    function hex(s,    v, i) {
        for (i = 1; i <= length(s); i++)
            v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
        return v
    }
    function flow_class(f) {
        if (f == "10.82.0.1:5001 => 10.82.0.2:7001") return "in0"
        if (f == "10.83.0.1:5001 => 10.83.0.2:7001") return "in1"
        if (f ~ /^10\.81\.0\.1:[0-9]+ => 10\.81\.0\.2:6081$/) return "out0"
        if (f ~ /^10\.81\.0\.1:[0-9]+ => 10\.81\.0\.2:6082$/) return "out1"
        return "other"
    }
    function close_block() { n[probe "|" dev "|" flow_class(flow)]++; total[probe]++; probe = dev = flow = "" }
    /^Attaching / { attaching = $0 }
    /^####### ip tunnel handle offload, dev_name: / { tunnel["offload|" $7]++ }
    /^####### udp tunnel transmix skb, dev_name: / { tunnel["xmit|" $7]++ }
    /^__udp_gso_segemt probe$/ { probe = "udp_gso" }
    /^__skb_gso_segemt probe$/ { probe = "skb_gso" }
    /^###### skb_segemt probe$/ { probe = "segment" }
    /^mlx5e transmit probe$/ { probe = "mlx5e" }
    /^validate transmit skb probe$/ { probe = "validate" }
    /^netif skb features probe$/ { probe = "netif" }
    /^, ####### dev_name: / {
        dev = $4
        t = $0
        sub(/.*gso_type: 0x/, "", t)
        sub(/,.*/, "", t)
        if ($0 ~ /gso_size: 1000,/ && int(hex(t) / 131072) % 2) udp_l4++
    }
    /^netdev name: / { dev = $3 }
    /^, kstack: $/ { first_frame = 1; next }
    first_frame { first_frame = 0; if (probe == "udp_gso" && $1 ~ /^__udp_gso_segment\+[0-9]+$/) udp_gso_frame++ }
    /^####### udp header info: / || /^geneve tunnel encaped data: / { flow = $(NF - 2) " " $(NF - 1) " " $NF }
    /^####### MAC src: 02:00:00:82:00:01, MAC dst: 02:00:00:82:00:02$/ && probe == "validate" { macs++ }
    /^netdev_feature: .*, gso_size: 1000$/ && probe == "segment" { seg_1000++ }
    /^end _udp_gso_segemt probe$/ || /^end .*skb_gso_segment ######### $/ || /^end skb_segemt probe$/ ||
        /^end mlx5e port transmit probe$/ || /^end validate transmit skb probe$/ || /^end netif skb feature probe$/ { close_block() }
    END {
        printf "%s|%d|%d|%d|%d", attaching, tunnel["offload|gnv0,"], tunnel["offload|gnv1,"], tunnel["xmit|gnv0,"], tunnel["xmit|gnv1,"]
        printf "|%d|%d|%d|%d|%d|%d|%d", n["udp_gso|gnv0|in0"], total["udp_gso"], udp_gso_frame, n["skb_gso|gnv0|in0"], total["skb_gso"], udp_l4, n["segment|gnv0|other"]
        printf "|%d|%d|%d|%d|%d|%d|%d|%d", total["segment"], seg_1000, n["validate|gnv0|in0"], n["validate|to-gb|out0"], n["validate|to-gb|out1"], n["validate|gnv1|in1"], total["validate"], macs
        printf "|%d|%d|%d\n", n["netif|gnv0|in0"], total["netif"], total["mlx5e"]
    }' "$OUT")
IFS='|' read -r attaching offl0 offl1 xmit0 xmit1 udpgso udpgso_all udpgso_frame skbgso skbgso_all skbgso_l4 seg seg_all seg_1000 \
    val_in0 val_out0 val_out1 val_in1 val_all val_macs netif netif_all mlx5e <<<"$facts"
lab_log "vpc-vm-udp-datapath: $facts"
[[ $attaching == "Attaching 7 probes..." ]] || lab_fail "start line: $attaching (mlx5e_xmit absent, the 7 others)"
grep -q "mlx5_core" "$OUT.err" || lab_fail "no warning about the missing mlx5_core: $(cat "$OUT.err")"
lab_expect "$offl0" -eq 23 "iptunnel_handle_offloads on gnv0 (20 segments, DHCP-port datagram, ping and gb's reply)"
lab_expect "$offl1" -eq 10 "iptunnel_handle_offloads on gnv1 (unlisted: the tunnel probes show every device)"
lab_expect "$xmit0" -eq 23 "udp_tunnel_xmit_skb on gnv0"
lab_expect "$xmit1" -eq 10 "udp_tunnel_xmit_skb on gnv1"
lab_expect "$udpgso" -eq 2 "__udp_gso_segment blocks on gnv0, 10.82.0.1:5001 => 10.82.0.2:7001"
lab_expect "$udpgso_all" -eq 2 "__udp_gso_segment blocks (gnv1 and to-gb are not in --device)"
lab_expect "$udpgso_frame" -eq 2 "__udp_gso_segment blocks whose stack starts at __udp_gso_segment"
lab_expect "$skbgso" -eq 2 "__skb_gso_segment blocks on gnv0 with the datagram's flow"
lab_expect "$skbgso_all" -eq 2 "__skb_gso_segment blocks"
lab_expect "$skbgso_l4" -eq 2 "__skb_gso_segment blocks with gso_size 1000 and SKB_GSO_UDP_L4"
lab_expect "$seg" -eq 2 "skb_segment blocks on gnv0"
lab_expect "$seg_all" -eq 2 "skb_segment blocks"
lab_expect "$seg_1000" -eq 2 "skb_segment blocks with gso_size 1000"
lab_expect "$val_in0" -eq 2 "validate_xmit_skb blocks on gnv0 (the GSO datagrams; not the DHCP port, not ICMP)"
lab_expect "$val_macs" -eq 2 "validate_xmit_skb blocks with gnv0's MACs"
lab_expect "$val_out0" -eq 22 "validate_xmit_skb blocks on to-gb to 6081 (20 segments, DHCP-port datagram, ping)"
lab_expect "$val_out1" -eq 10 "validate_xmit_skb blocks on to-gb to 6082"
lab_expect "$val_in1" -eq 1 "validate_xmit_skb blocks on gnv1 (--bridge)"
lab_expect "$val_all" -eq 35 "validate_xmit_skb blocks"
lab_expect "$netif" -eq 2 "netif_skb_features blocks on gnv0"
lab_expect "$netif_all" -eq 2 "netif_skb_features blocks (not on to-gb or gnv1; not the DHCP port, not ICMP)"
lab_expect "$mlx5e" -eq 0 "mlx5e_xmit blocks"

# The function entries above are fentry programs (BPF trampolines; these tools print no probe
# banner, --list-probes says), kprobes under BPFNET_FORCE_KPROBE=1.
for t in trace_offloading_segment:skb_udp_tunnel_segment trace_vlanvm_udp_workload:__udp_gso_segment vpc-vm-udp-datapath:__udp_gso_segment; do
    "$BPFNET_BIN/${t%%:*}" --list-probes >"$WORK/${t%%:*}.plan"
    grep -qx "  chosen: fentry ${t#*:}" "$WORK/${t%%:*}.plan" ||
        { cat "$WORK/${t%%:*}.plan" >&2; lab_fail "${t%%:*}: ${t#*:} is not an fentry program"; }
    BPFNET_FORCE_KPROBE=1 "$BPFNET_BIN/${t%%:*}" --list-probes >"$WORK/${t%%:*}.kprobe.plan"
    lab_expect "$(grep -c '^  chosen: fentry' "$WORK/${t%%:*}.kprobe.plan")" -eq 0 "${t%%:*}, BPFNET_FORCE_KPROBE: no fentry"
    grep -qx "  chosen: kprobe ${t#*:}" "$WORK/${t%%:*}.kprobe.plan" ||
        { cat "$WORK/${t%%:*}.kprobe.plan" >&2; lab_fail "${t%%:*}, BPFNET_FORCE_KPROBE: ${t#*:} is not a kprobe"; }
done
lab_tool_no_leftovers
lab_log "passed in $(lab_elapsed)"
