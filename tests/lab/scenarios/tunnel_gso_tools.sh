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
# Cost on 6.12: 36 core-s (lab.sh under /usr/bin/time: 28.8 user + 7.2 sys, boot included).
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

lab_tool_no_leftovers
lab_log "passed in $(lab_elapsed)"
