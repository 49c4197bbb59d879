#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# shellcheck source-path=SCRIPTDIR
# lab-options: --timeout 300
# The offload tracers of other/ on real GSO traffic, one start each:
#   trace_offloading_segment: a Geneve tunnel gnv0 (UDP 6081) between namespaces ga and gb
#     over veth to-gb, whose UDP-tunnel segmentation offload is off, so that the kernel
#     segments each tunnel GSO packet in skb_udp_tunnel_segment. ga sends 3 UDP GSO datagrams
#     of 10 x 1000 bytes (UDP_SEGMENT) into gnv0: 3 tunnel transmits of a UDP packet to 6081
#     and 3 segmentations with gso_size 1000 and 10 segments each, 30 datagrams arriving in
#     gb. The same through the decoy tunnel gnv1 (UDP 6082, 2 datagrams): banner lines only.
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
OUT=$WORK/offseg.txt
lab_tool_start "$OUT" trace_offloading_segment
gso_send 10.82.0.1 10.82.0.2 3
gso_send 10.83.0.1 10.83.0.2 2
lab_wait_for 20 grep -q "10.82.0.2:30 10.83.0.2:20" "$WORK/gb.count" ||
    lab_fail "gb received: $(cat "$WORK/gb.count" 2>/dev/null)"
lab_tool_await 3 '^udp tunnel segemtation probe$'
lab_tool_stop
[[ -s $OUT.err ]] && lab_log "stderr: $(cat "$OUT.err")"
# One awk for every fact of the run: per block its func, flow, GSO fields and device.
facts=$(awk '
    /^Attaching / { attaching = $0 }
    /^ip tunnel xmit probe$/ { xmit_banner++ }
    /^udp tunnel segemtation probe$/ { seg_banner++ }
    /^\*\*\*\*\*\*\*\*\* command: / { func = $NF; blocks[func]++ }
    /^geneve tunnel encaped data: / { flow = $5 " " $6 " " $7 }
    /^inner_protocol_type: / { encap = $NF }
    /^gso_size: / { gso = $2; gtype = $4 }
    /^end \*\*\*\*\*\*\*\*\*\* $/ {
        if (func == "iptunnel_xmit" && flow ~ /^10\.82\.0\.1:[0-9]+ => 10\.82\.0\.2:6081$/) xmit_ok++
        if (func == "skb_udp_tunnel_segment" && flow ~ /^10\.81\.0\.1:[0-9]+ => 10\.81\.0\.2:6081$/ &&
            gso == "1000," && encap == 1 && int(gtype) % 2048 >= 1024 && int(gtype / 131072) % 2 == 1) seg_ok++
        if (flow !~ /:6081$/) other_port++
    }
    END {
        printf "%s|%d|%d|%d|%d|%d|%d|%d|%d\n", attaching, xmit_banner, seg_banner, blocks["iptunnel_xmit"],
            blocks["skb_udp_tunnel_segment"], xmit_ok, seg_ok, other_port, blocks["__kfree_skb"]
    }' "$OUT")
IFS='|' read -r attaching xmit_banner seg_banner xmit_blocks seg_blocks xmit_ok seg_ok other_port free_blocks <<<"$facts"
lab_log "trace_offloading_segment: $facts"
[[ $attaching == "Attaching 3 probes..." ]] || lab_fail "start line: $attaching"
lab_expect "$xmit_banner" -eq 5 "iptunnel_xmit banner lines (3 to 6081 + 2 to 6082)"
lab_expect "$seg_banner" -eq 5 "skb_udp_tunnel_segment banner lines (3 + 2)"
lab_expect "$xmit_blocks" -eq 3 "iptunnel_xmit blocks (inner UDP to port 6081)"
lab_expect "$xmit_ok" -eq 3 "iptunnel_xmit blocks with the inner addresses and outer port 6081"
lab_expect "$seg_blocks" -eq 3 "skb_udp_tunnel_segment blocks"
lab_expect "$seg_ok" -eq 3 "segmentations of gso_size 1000, UDP_TUNNEL|UDP_L4, encapsulated, outer 10.81.0.1 => 10.81.0.2:6081"
lab_expect "$other_port" -eq 0 "blocks of the decoy tunnel (port 6082)"
lab_log "__kfree_skb blocks: $free_blocks"

lab_tool_no_leftovers
lab_log "passed in $(lab_elapsed)"
