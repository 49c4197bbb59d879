#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# shellcheck source-path=SCRIPTDIR
# lab-options: --timeout 240
# system_network_icmp_rtt through the OVS upcall path, both directions. Datapath flows send
# every ICMP packet to userspace (action userspace(pid=...)), where a minimal stand-in for
# ovs-vswitchd (a Python generic-netlink loop, below) executes it with an output action: each
# echo request and reply then passes ovs_dp_upcall and ovs_flow_key_extract_userspace, so all
# 14 stages and the segments [2->3] [3->4] [4->5] / [9->10] [10->11] [11->12] must appear,
# with the tracepoints (tx) and with the kprobe fallbacks (rx, BPFNET_FORCE_KPROBE=1).
# (ovs-vswitchd itself loses every upcall in this guest: its per-CPU dispatch finds no handler.)
# A last phase stops the stand-in and forwards in the kernel after the upcall: the upcall
# stage is seen, the key extraction is not: "(S4 N/A)" / "(S11 N/A)".
set -euo pipefail
source "$(dirname "$0")/../lib/netstage.sh"

lab_require_cmd python3 python3
COUNT=4
LOCAL=10.73.0.254 REMOTE=10.73.0.1
lab_tool_workdir
work=$LAB_TOOL_WORK

lab_ovs_host_setup dp0 $LOCAL $REMOTE
port_int0=$(lab_ovs_port_no dp0 int0)
port_phys0=$(lab_ovs_port_no dp0 phys0)

# The stand-in for ovs-vswitchd: receives OVS_PACKET_CMD_ACTION upcalls on a generic netlink
# socket and sends each packet back with OVS_PACKET_CMD_EXECUTE, output to the other port.
# usage: ovs_userspace.py PORTID_FILE IN:OUT[,IN:OUT] DATAPATH
cat >"$work/ovs_userspace.py" <<'EOF'
import socket, struct, sys

GENL_ID_CTRL, CTRL_CMD_GETFAMILY, CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME = 16, 3, 1, 2
NLMSG_ERROR, NLM_F_REQUEST, NLM_F_ACK = 2, 1, 4
OVS_PACKET_CMD_MISS, OVS_PACKET_CMD_ACTION, OVS_PACKET_CMD_EXECUTE = 1, 2, 3
OVS_PACKET_ATTR_PACKET, OVS_PACKET_ATTR_KEY, OVS_PACKET_ATTR_ACTIONS = 1, 2, 3
OVS_KEY_ATTR_IN_PORT, OVS_ACTION_ATTR_OUTPUT = 3, 1
OVS_DP_CMD_GET, OVS_DP_CMD_SET = 3, 4
OVS_DP_ATTR_NAME, OVS_DP_ATTR_USER_FEATURES, OVS_DP_ATTR_PER_CPU_PIDS = 1, 5, 8
OVS_DP_F_DISPATCH_UPCALL_PER_CPU = 1 << 3

def nla(kind, payload):
    size = 4 + len(payload)
    return struct.pack("HH", size, kind) + payload + b"\0" * (-size % 4)

def attrs(buf):
    out, off = {}, 0
    while off + 4 <= len(buf):
        size, kind = struct.unpack_from("HH", buf, off)
        out[kind & 0x3FFF] = buf[off + 4:off + size]
        off += (size + 3) & ~3
    return out

def message(family, cmd, version, header, payload, seq, flags=NLM_F_REQUEST):
    body = struct.pack("BBH", cmd, version, 0) + header + payload
    return struct.pack("IHHII", 16 + len(body), family, flags, seq, 0) + body

out_port = dict((int(a), int(b)) for a, b in (p.split(":") for p in sys.argv[2].split(",")))
sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 16)
sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
sock.bind((0, 0))
def family_id(name, seq):
    sock.send(message(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, b"", nla(CTRL_ATTR_FAMILY_NAME, name + b"\0"), seq))
    return struct.unpack("H", attrs(sock.recv(65536)[20:])[CTRL_ATTR_FAMILY_ID][:2])[0]

family = family_id(b"ovs_packet", 1)
# A datapath in per-CPU upcall dispatch mode ignores the pid of userspace(): register this
# socket as every CPU's handler (one entry serves all CPUs).
dp_family = family_id(b"ovs_datapath", 2)
sock.send(message(dp_family, OVS_DP_CMD_GET, 2, struct.pack("i", 0), nla(OVS_DP_ATTR_NAME, sys.argv[3].encode() + b"\0"), 3))
reply = sock.recv(65536)
dp_ifindex = reply[20:24]
features, = struct.unpack("I", attrs(reply[24:])[OVS_DP_ATTR_USER_FEATURES][:4])
if features & OVS_DP_F_DISPATCH_UPCALL_PER_CPU:
    portid = struct.pack("I", sock.getsockname()[0])
    sock.send(message(dp_family, OVS_DP_CMD_SET, 2, dp_ifindex,
                      nla(OVS_DP_ATTR_USER_FEATURES, struct.pack("I", features)) +
                      nla(OVS_DP_ATTR_PER_CPU_PIDS, portid), 4, NLM_F_REQUEST | NLM_F_ACK))
    err, = struct.unpack_from("i", sock.recv(65536), 16)
    if err:
        sys.exit("ovs_userspace: cannot register as the datapath's upcall handler: %d" % err)
print("ovs_userspace: datapath features 0x%x" % features, file=sys.stderr, flush=True)
with open(sys.argv[1], "w") as f:
    f.write("%d\n" % sock.getsockname()[0])
executed, seq = 0, 2
while True:
    data = sock.recv(65536)
    kind, = struct.unpack_from("H", data, 4)
    if kind == NLMSG_ERROR:
        err, = struct.unpack_from("i", data, 16)
        if err:
            print("ovs_userspace: execute failed: %d" % err, file=sys.stderr, flush=True)
        continue
    if kind != family or data[16] not in (OVS_PACKET_CMD_MISS, OVS_PACKET_CMD_ACTION):
        continue
    dp_ifindex = data[20:24]
    a = attrs(data[24:])
    in_port, = struct.unpack("I", attrs(a[OVS_PACKET_ATTR_KEY])[OVS_KEY_ATTR_IN_PORT][:4])
    actions = nla(OVS_ACTION_ATTR_OUTPUT, struct.pack("I", out_port[in_port]))
    payload = (nla(OVS_PACKET_ATTR_PACKET, a[OVS_PACKET_ATTR_PACKET]) +
               nla(OVS_PACKET_ATTR_KEY, a[OVS_PACKET_ATTR_KEY]) + nla(OVS_PACKET_ATTR_ACTIONS, actions))
    sock.send(message(family, OVS_PACKET_CMD_EXECUTE, 1, dp_ifindex, payload, seq))
    seq += 1
    executed += 1
    print("ovs_userspace: executed %d (in_port %d -> %d)" % (executed, in_port, out_port[in_port]),
          file=sys.stderr, flush=True)
EOF
python3 "$work/ovs_userspace.py" "$work/portid" "$port_int0:$port_phys0,$port_phys0:$port_int0" dp0 \
    2>"$work/userspace.log" &
userspace_pid=$!
lab_on_exit "kill $userspace_pid"
lab_wait_for 10 test -s "$work/portid" || lab_fail "the userspace stand-in did not start: $(cat "$work/userspace.log")"
portid=$(<"$work/portid")

# ICMP both ways goes to userspace; nothing else is needed (static neighbours).
for p in $port_int0 $port_phys0; do
    lab_ovs_flow_add dp0 "in_port($p),eth(),eth_type(0x0800),ipv4(proto=1,frag=no),icmp()" "userspace(pid=$portid)"
done
replies=$(ping -n -q -c 2 -i 0.3 -W 3 $REMOTE | sed -n 's/.* \([0-9]*\) received.*/\1/p') || true
[[ ${replies:-0} == 2 ]] || lab_fail "ping int0 -> remote through userspace: ${replies:-0} of 2 answered; stand-in log: $(tail -n 5 "$work/userspace.log"); $(ovs-dpctl show dp0 | grep lookups)"
lab_ok "ping int0 -> remote through userspace answered"
lab_log "$(tail -n 1 "$work/userspace.log")"

# check_stages OUT WHAT STAGES SEG1 SEG2 NOTE1 NOTE2: every event has exactly these stages and
# these segments ([[from,to],...] per path) with a latency, and these notes on the OVS segment.
check_stages() {
    local out=$1 what=$2 stages=$3 seg1=$4 seg2=$5 note1=$6 note2=$7
    lab_expect "$(jq -s length "$out")" -eq $COUNT "$what: one event per echo"
    lab_expect "$(jq -s "[.[] | select(.id == 4242 and ([.stages[].stage] == $stages))] | length" "$out")" \
        -eq $COUNT "$what: stages $stages in every event"
    lab_expect "$(jq -s "[.[] | select((.path1.segments | map([.from, .to])) == $seg1 and (.path2.segments | map([.from, .to])) == $seg2)] | length" "$out")" \
        -eq $COUNT "$what: segments $seg1 and $seg2"
    lab_expect "$(jq -s '[.[] | .path1.segments[], .path2.segments[] | select(.latency_us == null or .latency_us < 0)] | length' "$out")" \
        -eq 0 "$what: every segment has a latency"
    lab_expect "$(jq -s "[.[] | select(([.path1.segments[].note | values] == $note1) and ([.path2.segments[].note | values] == $note2))] | length" "$out")" \
        -eq $COUNT "$what: notes $note1 $note2"
}

ALL='[0,1,2,3,4,5,6,7,8,9,10,11,12,13]'
UP1='[[0,1],[1,2],[2,3],[3,4],[4,5],[5,6]]'
UP2='[[7,8],[8,9],[9,10],[10,11],[11,12],[12,13]]'

# tx_pings OUT WHAT: the tool (JSON, tx) while ping -e 4242 sends COUNT echoes; OUT.events gets
# the events.
tx_pings() {
    lab_tool_start "$1" system_network_icmp_rtt --src-ip $LOCAL --dst-ip $REMOTE --phy-interface phys0 --json --disable-kernel-stacks
    ping -n -q -e 4242 -c $COUNT -i 0.3 -W 3 $REMOTE >/dev/null || lab_fail "$2: ping failed"
    lab_tool_await $COUNT '"rtt_us":'
    lab_tool_stop
    lab_json_split "$1" "$2"
}

# tx with the preferred probes (raw tracepoint net:net_dev_queue, tracepoint openvswitch:ovs_dp_upcall).
out=$work/tx.json
tx_pings "$out" "tx through userspace"
check_stages "$out.events" "tx through userspace" "$ALL" "$UP1" "$UP2" '[]' '[]'

# rx with the kprobe fallbacks (BPFNET_FORCE_KPROBE=1): __dev_queue_xmit and ovs_dp_upcall, and the
# classic tracepoint net:netif_receive_skb for the raw one.
out=$work/rx.txt
BPFNET_FORCE_KPROBE=1 lab_tool_start "$out" system_network_icmp_rtt --src-ip $REMOTE --dst-ip $LOCAL \
    --phy-interface phys0 --direction rx
ip netns exec remote ping -n -q -e 4242 -c $COUNT -i 0.3 -W 3 $LOCAL >/dev/null || lab_fail "rx ping through userspace failed"
lab_tool_await $COUNT '^=== ICMP RTT Trace'
lab_tool_stop
lab_expect "$(grep -c '^=== ICMP RTT Trace' "$out")" -eq $COUNT "rx through userspace: one report per echo"
lab_expect "$(grep -cE '^Session: 10\.73\.0\.1 \(10\.73\.0\.1\) -> 10\.73\.0\.254 \(10\.73\.0\.254\) \(ID: 4242, Seq: [1-4]\)$' "$out")" \
    -eq $COUNT "rx through userspace: every report is 10.73.0.1 -> 10.73.0.254, id 4242"
for seg in '\[ 2->3 \] P1:S2_OVS_DP_PROC \(ovs_dp_process_packet\) -> P1:S3_OVS_UPCALL \(ovs_dp_upcall\) +: +[0-9.]+ us$' \
    '\[ 3->4 \] P1:S3_OVS_UPCALL \(ovs_dp_upcall\) -> P1:S4_OVS_KEYEXT \(ovs_flow_key_extract_userspace\) +: +[0-9.]+ us$' \
    '\[ 4->5 \] P1:S4_OVS_KEYEXT \(ovs_flow_key_extract_userspace\) -> P1:S5_OVS_VPORT_SND \(ovs_vport_send\) +: +[0-9.]+ us$' \
    '\[ 5->6 \] P1:S5_OVS_VPORT_SND \(ovs_vport_send\) -> P1:S6_FINAL \(icmp_rcv\) +: +[0-9.]+ us$' \
    '\[ 9->10\] P2:S2_OVS_DP_PROC \(ovs_dp_process_packet\) -> P2:S3_OVS_UPCALL \(ovs_dp_upcall\) +: +[0-9.]+ us$' \
    '\[10->11\] P2:S3_OVS_UPCALL \(ovs_dp_upcall\) -> P2:S4_OVS_KEYEXT \(ovs_flow_key_extract_userspace\) +: +[0-9.]+ us$' \
    '\[11->12\] P2:S4_OVS_KEYEXT \(ovs_flow_key_extract_userspace\) -> P2:S5_OVS_VPORT_SND \(ovs_vport_send\) +: +[0-9.]+ us$' \
    '\[12->13\] P2:S5_OVS_VPORT_SND \(ovs_vport_send\) -> P2:S6_FINAL \(dev_queue_xmit\) +: +[0-9.]+ us$'; do
    [[ $(grep -cE "$seg" "$out") == "$COUNT" ]] || { cat "$out" >&2; lab_fail "rx through userspace: not $COUNT lines matching '$seg'"; }
done
lab_ok "rx through userspace: the upcall, key extraction and send segments of both paths in every report"
lab_expect "$(grep -cE '^    ovs_flow_key_extract_userspace\+0x[0-9a-f]+$' "$out")" -eq $((2 * COUNT)) \
    "rx through userspace: the stage-4/11 stacks start in ovs_flow_key_extract_userspace"
lab_expect "$(grep -cE '^    ovs_packet_cmd_execute\+0x[0-9a-f]+$' "$out")" -ge $((2 * COUNT)) \
    "rx through userspace: the packet came back through OVS_PACKET_CMD_EXECUTE"
for probe in 'ovs_dp_upcall -> kprobe ovs_dp_upcall' 'dev_queue_xmit -> kprobe (__)?dev_queue_xmit' \
    '__netif_receive_skb -> tracepoint net:netif_receive_skb' \
    'ovs_flow_key_extract_userspace -> kprobe ovs_flow_key_extract_userspace' 'icmp_rcv -> kprobe icmp_rcv'; do
    grep -qE "^Probe: $probe\$" "$out" || lab_fail "rx, kprobe fallbacks: no 'Probe: $probe' line"
done
lab_ok "rx, kprobe fallbacks: $(grep -E '^Probe: (ovs_dp_upcall|dev_queue_xmit)' "$out" | paste -sd ';')"
lab_log "$(tail -n 1 "$work/userspace.log")"

# Upcalls that nobody reads (the stand-in is gone) while the kernel forwards the packet itself:
# no key extraction.
kill "$userspace_pid"
wait "$userspace_pid" 2>/dev/null || true
lab_ovs_flows_del dp0
lost0=$(lab_ovs_stat dp0 lost)
lab_ovs_flow_add dp0 "in_port($port_int0),eth(),eth_type(0x0800),ipv4(proto=1,frag=no),icmp()" "userspace(pid=1),$port_phys0"
lab_ovs_flow_add dp0 "in_port($port_phys0),eth(),eth_type(0x0800),ipv4(proto=1,frag=no),icmp()" "userspace(pid=1),$port_int0"
out=$work/tx-lost.json
tx_pings "$out" "tx, upcalls to nobody"
check_stages "$out.events" "tx, upcalls to nobody" '[0,1,2,3,5,6,7,8,9,10,12,13]' \
    '[[0,1],[1,2],[2,3],[3,5],[5,6]]' '[[7,8],[8,9],[9,10],[10,12],[12,13]]' '["(S4 N/A)"]' '["(S11 N/A)"]'
lab_expect "$(($(lab_ovs_stat dp0 lost) - lost0))" -ge $((2 * COUNT)) "the datapath counted those upcalls as lost"
lab_tool_no_leftovers
lab_log "passed in $(lab_elapsed)"
