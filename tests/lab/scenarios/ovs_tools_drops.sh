#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# shellcheck source-path=SCRIPTDIR
# lab-options: --timeout 300
# Drops in the Open vSwitch kernel datapath, caused on purpose through the real OVS user space
# (ovsdb-server + ovs-vswitchd private to the scenario, bridge br0 in fail-mode secure, the
# OpenFlow rules below), seen by ovs-kernel-module-drop-monitor:
#   - UDP to port 9999: an OpenFlow drop rule;
#   - IPv4 to 10.64.0.3: output to port od2, which is down (do_output frees it);
#   - TCP from oda through ct(zone=5,table=1): RSTs without a connection are +inv there and
#     dropped by the rule for ct_state=+inv.
# Pings between oda and odb pass through the same ct() (decoy). trace-ovs-ct-invalid, started
# after the drop monitor, sees the ct() action's invalid verdicts: the RSTs, not the pings. One packet of each kind goes first, before the tool
# starts: the first packet of a flow is an upcall that ovs-vswitchd handles in user space (a
# drop rule's packet is dropped there, the kernel never frees it); the datapath flows it then
# installs drop the counted packets.
# The drop monitor reads struct sw_flow_key, an openvswitch type: on kernels without module
# BTF (5.10) it runs with the lab's generated BTF (BPFNET_BTF).
set -euo pipefail
source "$(dirname "$0")/../lib/ovs.sh"
source "$(dirname "$0")/../lib/tool.sh"
source "$(dirname "$0")/../lib/kernel.sh"

PY=/usr/bin/python3
lab_tool_workdir
WORK=$LAB_TOOL_WORK
N_RULE=4 N_DOWN=3 N_INV=5 N_PING=3
BPFNET_BTF=$(lab_btf_dir)
export BPFNET_BTF

lab_modprobe nf_conntrack
lab_ovs_vswitchd_start "$WORK/ovs"
lab_netns_attach oda 10.64.0.1 od0 eth0
lab_netns_attach odb 10.64.0.2 od1 eth0
lab_netns_attach odc 10.64.0.3 od2 eth0
lab_ovs_bridge_add br0 od0 od1 od2
lab_netns_static_neigh oda eth0 10.64.0.1 odb eth0 10.64.0.2
lab_netns_static_neigh oda eth0 10.64.0.1 odc eth0 10.64.0.3
ovs-ofctl add-flows br0 - <<'FLOWS' || lab_fail "ovs-ofctl add-flows br0 failed"
table=0,priority=300,udp,tp_dst=9999,actions=drop
table=0,priority=200,ip,nw_dst=10.64.0.3,actions=output:od2
table=0,priority=100,tcp,actions=ct(zone=5,table=1)
table=0,priority=100,icmp,actions=ct(zone=5,table=1)
table=0,priority=10,in_port=od0,actions=output:od1
table=0,priority=10,in_port=od1,actions=output:od0
table=1,priority=100,ct_state=+trk+inv,actions=drop
table=1,priority=10,ip,in_port=od0,actions=ct(commit,zone=5),output:od1
table=1,priority=10,ip,in_port=od1,actions=ct(commit,zone=5),output:od0
FLOWS
ip link set od2 down

# TCP RSTs from oda to odb port 7000, from port 40000, with correct checksums: conntrack
# takes up no connection from a RST, so each one is invalid.
cat >"$WORK/rst.py" <<'PYEOF'
import socket, struct, sys
src, dst, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
def csum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xffff)
    return ~(s + (s >> 16)) & 0xffff
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_TCP)
for i in range(count):
    hdr = struct.pack("!HHIIBBHHH", 40000, 7000, 1000 + i, 0, 5 << 4, 0x04, 0, 0, 0)
    pseudo = socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack("!BBH", 0, 6, len(hdr))
    hdr = hdr[:16] + struct.pack("!H", csum(pseudo + hdr)) + hdr[18:]
    s.sendto(hdr, (dst, 0))
PYEOF
send_rst() { lab_nsexec oda "$PY" "$WORK/rst.py" 10.64.0.1 10.64.0.2 "$1"; }

# Warm-up: one packet of each kind, then the datapath flows are there.
lab_ping oda 10.64.0.2 1 >/dev/null || lab_fail "no ping through br0"
lab_udp_send oda 10.64.0.2 9999 1 64
lab_udp_send oda 10.64.0.3 7100 1 64
send_rst 1
lab_wait_for 20 test "$(ovs-appctl dpctl/dump-flows | grep -c 'recirc_id(0x[1-9a-f]')" -ge 1 ||
    lab_fail "no datapath flow after ct() recirculation: $(ovs-appctl dpctl/dump-flows)"

OUT=$WORK/drops.json
lab_tool_start "$OUT" ovs-kernel-module-drop-monitor --json
replies=$(lab_ping oda 10.64.0.2 "$N_PING" 0.2) || lab_fail "ping through br0 failed"
lab_expect "$replies" -eq "$N_PING" "echo replies through br0 (decoy)"
lab_udp_send oda 10.64.0.2 9999 "$N_RULE" 64
lab_udp_send oda 10.64.0.3 7100 "$N_DOWN" 64
send_rst "$N_INV"
lab_tool_await "$((N_RULE + N_DOWN + N_INV))" '"reason"' 30
# The tool's record of the actions running on the CPU, the datapath idle: on 5.10 (one CPU, no
# preemption: one kretprobe instance) a nested call's return is lost, and the records of such
# calls once piled up, 11 after three pings, until no call was recorded at all.
running=$(bpftool -j map dump name actions_running | jq '[.. | .depth? | numbers] | max')
lab_expect "$running" -le 2 "calls of do_execute_actions recorded as running, the datapath idle"
lab_tool_stop
[[ -s $OUT.err ]] && lab_log "stderr: $(cat "$OUT.err")"
lab_json_split "$OUT" "the drop monitor's run"

od0_port=$(lab_ovs_port_no ovs-system od0)
# One jq for every fact: counts per kind, and what the kinds were reported with.
facts=$(jq -rs '
    def fn: .location | sub("\\+.*"; "");
    [ ([.[] | select(.protocol == "UDP" and .dst_port == 9999)] | length),
      ([.[] | select(.protocol == "UDP" and .dst_port == 9999 and .src_ip == "10.64.0.1" and .device == "od0"
              and .flow.recirc_id == 0)] | length),
      ([.[] | select(.dst_ip == "10.64.0.3")] | length),
      ([.[] | select(.dst_ip == "10.64.0.3") | fn] | unique | join(",")),
      ([.[] | select(.protocol == "TCP" and .dst_port == 7000)] | length),
      ([.[] | select(.protocol == "TCP" and .dst_port == 7000 and .src_port == 40000
              and .flow.ct_zone == 5 and .flow.ct_state_flags == "INVALID, TRACKED" and .flow.recirc_id > 0)] | length),
      ([.[] | select(.protocol == "ICMP")] | length),
      length,
      ([.[] | select(.flow.in_port == $port and (.device == "od0" or .dst_ip == "10.64.0.3"))] | length),
      ([.[] | select(.dst_ip == "10.64.0.3") | .device] | unique | join(",")),
      ([.[] | select(.dst_port == 9999) | .reason // "none"] | unique | join(",")),
      ([.[] | select(.dst_ip == "10.64.0.3") | .reason // "none"] | unique | join(",")),
      ([.[] | select(.dst_port == 7000) | .reason // "none"] | unique | join(",")),
      ([.[] | select(.dst_port == 9999) | fn] | unique | join(",")) ] | map(tostring) | join("|")' --argjson port "$od0_port" "$OUT.events")
IFS='|' read -r rule rule_flow down down_fn inv inv_flow icmp total from_od0 down_dev rule_reason down_reason inv_reason rule_fn <<<"$facts"
lab_log "reasons: drop rule $rule_reason at $rule_fn, port down $down_reason at $down_fn, ct invalid $inv_reason"
lab_expect "$rule" -eq "$N_RULE" "drops by the OpenFlow drop rule"
lab_expect "$rule_flow" -eq "$N_RULE" "drop-rule drops with their flow (10.64.0.1 -> :9999, od0, recirc_id 0)"
lab_expect "$down" -eq "$N_DOWN" "drops of output to the port that is down"
lab_expect "$inv" -eq "$N_INV" "drops of TCP RSTs that ct() found invalid"
lab_expect "$inv_flow" -eq "$N_INV" "ct-invalid drops with ct_zone 5, ct_state INVALID|TRACKED after recirculation"
lab_expect "$icmp" -eq 0 "drops of the pings that passed (decoy)"
lab_expect "$total" -eq "$((N_RULE + N_DOWN + N_INV))" "drops in all"
lab_expect "$from_od0" -eq "$total" "drops with in_port $od0_port (od0's datapath port), device od0 but for port down"
# The reasons each kernel gives: OVS's own from 6.8, the core's from 5.17, the empty action
# list (a consume_skb, no drop reason) before 6.8.
case $(uname -r) in
    5.10.* | 6.1.*)
        [[ $rule_reason == EMPTY_ACTIONS && $inv_reason == EMPTY_ACTIONS && $rule_fn == do_execute_actions ]] ||
            lab_fail "drop rule / ct-invalid reasons: '$rule_reason' '$inv_reason' at '$rule_fn', expected EMPTY_ACTIONS" ;;
    *)
        [[ $rule_reason =~ ^OVS_DROP_(LAST_ACTION|EXPLICIT)$ && $inv_reason == "$rule_reason" ]] ||
            lab_fail "drop rule / ct-invalid reasons: '$rule_reason' '$inv_reason', expected OVS_DROP_LAST_ACTION or OVS_DROP_EXPLICIT" ;;
esac
# A port that is down: from 6.0 the output action (do_output, inlined in do_execute_actions or
# not) checks the device and frees the packet itself; 5.10 hands it to dev_queue_xmit, which
# frees it (through kfree_skb_list) while the actions run, the skb already sent to od2.
case $(uname -r) in
    5.10.*) [[ $down_reason == none && $down_fn == kfree_skb_list && $down_dev == od2 ]] ||
        lab_fail "port down on 5.10: reason '$down_reason' at '$down_fn' on '$down_dev', expected none at kfree_skb_list on od2" ;;
    6.1.*) [[ $down_reason == NOT_SPECIFIED && $down_fn =~ ^(do_output|do_execute_actions)$ && $down_dev == od0 ]] ||
        lab_fail "port down on 6.1: reason '$down_reason' at '$down_fn' on '$down_dev', expected NOT_SPECIFIED in do_output on od0" ;;
    *) [[ $down_reason == DEV_READY && $down_fn =~ ^(do_output|do_execute_actions)$ && $down_dev == od0 ]] ||
        lab_fail "port down: reason '$down_reason' at '$down_fn' on '$down_dev', expected DEV_READY in do_output on od0" ;;
esac
lab_ok "drop reasons as this kernel gives them"

# trace-ovs-ct-invalid: the RSTs again, among pings, both through ct(zone=5,table=1) on od0.
OUT=$WORK/ct-invalid.json
lab_tool_start "$OUT" trace-ovs-ct-invalid --device od0 --json
replies=$(lab_ping oda 10.64.0.2 "$N_PING" 0.2) || lab_fail "ping through ct() failed"
lab_expect "$replies" -eq "$N_PING" "echo replies through ct(zone=5,table=1) (decoy)"
send_rst "$N_INV"
lab_tool_await "$N_INV" '"zone"' 30
lab_tool_stop
[[ -s $OUT.err ]] && lab_log "stderr: $(cat "$OUT.err")"
lab_json_split "$OUT" "trace-ovs-ct-invalid's run"
facts=$(jq -rs '
    [ length,
      ([.[] | select(.protocol == 6 and .src_ip == "10.64.0.1" and .dst_ip == "10.64.0.2" and .src_port == 40000
              and .dst_port == 7000 and .zone == 5 and .ct_state == 48 and .device == "od0"
              and .steps[-1].probe == "ovs ct_update_key" and .steps[-1].nfct == 0
              and (.steps[-1].kstack | map(test("ovs_ct_update_key")) | any))] | length),
      ([.[] | select(.protocol == 1)] | length),
      ([.[] | select(.steps | map(.probe == "nf_conntrack_in") | any)] | length),
      ([.[0].steps[].probe] | join(",")) ] | map(tostring) | join("|")' "$OUT.events")
IFS='|' read -r ct_total ct_rst ct_icmp ct_in ct_steps <<<"$facts"
lab_log "steps of an invalid RST: $ct_steps"
lab_expect "$ct_total" -eq "$N_INV" "invalid packets reported by trace-ovs-ct-invalid"
lab_expect "$ct_rst" -eq "$N_INV" "invalid RSTs with their flow, zone 5, ct_state INVALID|TRACKED, nfct 0 at the verdict"
lab_expect "$ct_icmp" -eq 0 "pings reported as invalid (decoy)"
lab_expect "$ct_in" -eq "$N_INV" "invalid RSTs with their nf_conntrack_in step"

# Function entries: fentry programs (BPF trampolines) where openvswitch has BTF of its own
# (5.11+), else kprobes; BPFNET_FORCE_KPROBE=1 keeps the kprobe fallback (--list-probes).
E=fentry
[[ $(uname -r) == 5.10.* ]] && E=kprobe
"$BPFNET_BIN/ovs-kernel-module-drop-monitor" --list-probes >"$WORK/ovs-kernel-module-drop-monitor.plan"
grep -qx "  chosen: $E do_execute_actions" "$WORK/ovs-kernel-module-drop-monitor.plan" || { cat "$WORK/ovs-kernel-module-drop-monitor.plan" >&2; lab_fail "ovs-kernel-module-drop-monitor: do_execute_actions is not $E"; }
BPFNET_FORCE_KPROBE=1 "$BPFNET_BIN/ovs-kernel-module-drop-monitor" --list-probes >"$WORK/ovs-kernel-module-drop-monitor.kprobe.plan"
lab_expect "$(grep -c '^  chosen: fentry' "$WORK/ovs-kernel-module-drop-monitor.kprobe.plan")" -eq 0 "ovs-kernel-module-drop-monitor, BPFNET_FORCE_KPROBE: no fentry"
grep -qx "  chosen: kprobe do_execute_actions" "$WORK/ovs-kernel-module-drop-monitor.kprobe.plan" || lab_fail "ovs-kernel-module-drop-monitor, BPFNET_FORCE_KPROBE: do_execute_actions is not a kprobe"
# Its return: fexit with the fentry entry, else a kretprobe.
R=fexit
[[ $E == kprobe ]] && R=kretprobe
grep -qx "  chosen: $R do_execute_actions" "$WORK/ovs-kernel-module-drop-monitor.plan" ||
    lab_fail "ovs-kernel-module-drop-monitor: do_execute_actions' return is not $R"
grep -qx "  chosen: kretprobe do_execute_actions" "$WORK/ovs-kernel-module-drop-monitor.kprobe.plan" ||
    lab_fail "ovs-kernel-module-drop-monitor, BPFNET_FORCE_KPROBE: do_execute_actions' return is not a kretprobe"
lab_expect "$(grep -c '^  chosen: fexit' "$WORK/ovs-kernel-module-drop-monitor.kprobe.plan")" -eq 0 "ovs-kernel-module-drop-monitor, BPFNET_FORCE_KPROBE: no fexit"
"$BPFNET_BIN/trace-ovs-ct-invalid" --list-probes >"$WORK/trace-ovs-ct-invalid.plan"
grep -qx "  chosen: $E ovs_ct_execute" "$WORK/trace-ovs-ct-invalid.plan" || { cat "$WORK/trace-ovs-ct-invalid.plan" >&2; lab_fail "trace-ovs-ct-invalid: ovs_ct_execute is not $E"; }
BPFNET_FORCE_KPROBE=1 "$BPFNET_BIN/trace-ovs-ct-invalid" --list-probes >"$WORK/trace-ovs-ct-invalid.kprobe.plan"
lab_expect "$(grep -c '^  chosen: fentry' "$WORK/trace-ovs-ct-invalid.kprobe.plan")" -eq 0 "trace-ovs-ct-invalid, BPFNET_FORCE_KPROBE: no fentry"
grep -qx "  chosen: kprobe ovs_ct_execute" "$WORK/trace-ovs-ct-invalid.kprobe.plan" || lab_fail "trace-ovs-ct-invalid, BPFNET_FORCE_KPROBE: ovs_ct_execute is not a kprobe"

lab_tool_no_leftovers
lab_log "passed in $(lab_elapsed)"
