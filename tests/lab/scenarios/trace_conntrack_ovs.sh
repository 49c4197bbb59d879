#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# shellcheck source-path=SCRIPTDIR
# lab-options: --timeout 300
# trace_conntrack on the OVS kernel datapath's ct() action: two namespaces behind datapath
# dp0 whose IPv4 flows go through ct(commit,zone=7) (no ovs-vswitchd). With openvswitch
# loaded the tool attaches __ovs_ct_lookup and ovs_ct_execute (and ovs_ct_update_key where the
# compiler left a copy of it: otherwise a warning, not an error).
#
# Each packet of a ping through dp0 runs the action once: ovs_ct_execute, __ovs_ct_lookup
# (commit looks up first), nf_conntrack_in with the action's template attached to the skb
# (TEMPLATE, zone 7) and __nf_ct_refresh_acct on the zone-7 entry. Asserted per probe for 3
# echo requests and 3 replies, with the action's arguments (commit=1, zone 7, both directions,
# a template conntrack) decoded; UDP sent through the same action is filtered out
# (--protocol icmp). Events on the datapath's path are told apart by their stacks.
# The tool reads the action's struct ovs_conntrack_info, an openvswitch type: on kernels without
# module BTF (5.10) it runs as the README tells users to, with the BTF directory (BPFNET_BTF).
set -euo pipefail
source "$(dirname "$0")/../lib/ovs.sh"
source "$(dirname "$0")/../lib/tool.sh"
source "$(dirname "$0")/../lib/kernel.sh"

PY=/usr/bin/python3
lab_tool_workdir
WORK=$LAB_TOOL_WORK
COUNT=3
BPFNET_BTF=$(lab_btf_dir)
export BPFNET_BTF
[[ -z $BPFNET_BTF ]] || lab_log "openvswitch types from BPFNET_BTF=$BPFNET_BTF"

lab_modprobe nf_conntrack
lab_ovs_dp_add dp0
lab_ovs_ns_port dp0 ova 10.62.0.1 ovp0
lab_ovs_ns_port dp0 ovb 10.62.0.2 ovp1
lab_ovs_link dp0 ovp0 ovp1 7
lab_netns_static_neigh ova eth0 10.62.0.1 ovb eth0 10.62.0.2
lab_ping ova 10.62.0.2 1 >/dev/null || lab_fail "no ping through dp0's ct() flows"

# A UDP receiver in ovb, so that the noise datagrams cause no ICMP errors.
cat >"$WORK/sink.py" <<'EOF'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.62.0.2", 7100))
open(sys.argv[1], "w").write("ready\n")
while True:
    s.recvfrom(2048)
EOF
lab_nsexec ovb "$PY" "$WORK/sink.py" "$WORK/sink.ready" &
lab_on_exit "kill $! 2>/dev/null"
lab_wait_for 20 test -s "$WORK/sink.ready" || lab_fail "UDP sink did not start in ovb"

# Banner: which OVS probes attached (text mode, no traffic), as kprobes (BPFNET_FORCE_KPROBE:
# the fallback of the fentry programs the JSON run below and trace_conntrack_netfilter use).
OUT0=$WORK/banner.txt
BPFNET_FORCE_KPROBE=1 lab_tool_start "$OUT0" trace_conntrack --duration 1
lab_tool_wait
for line in "Attached kprobe to __ovs_ct_lookup" "Attached kprobe to ovs_ct_execute" \
    "Attached kprobe to nf_conntrack_in"; do
    grep -qF "$line" "$OUT0" || lab_fail "banner: no line '$line'"
done
grep -q "openvswitch module is not loaded" "$OUT0" && lab_fail "banner claims openvswitch is not loaded"
if grep -q "^Attached kprobe to ovs_ct_update_key" "$OUT0"; then
    lab_ok "ovs_ct_update_key attached on $(uname -r)"
else
    grep -q "^WARN: Failed to attach kprobe to ovs_ct_update_key: " "$OUT0.err" ||
        lab_fail "no warning for ovs_ct_update_key: $(cat "$OUT0.err")"
    lab_ok "ovs_ct_update_key: $(head -1 "$OUT0.err")"
fi

OUT=$WORK/ovs.json
lab_tool_start "$OUT" trace_conntrack --src-ip 10.62.0.1 --dst-ip 10.62.0.2 --protocol icmp --json
replies=$(lab_ping ova 10.62.0.2 "$COUNT" 0.2) || lab_fail "ping through dp0 failed"
lab_expect "$replies" -eq "$COUNT" "echo replies through ct(commit,zone=7)"
lab_udp_send ova 10.62.0.2 7100 4 64       # through the same ct() action, other protocol
sleep 1
lab_tool_stop
[[ -s $OUT.err ]] && lab_log "stderr: $(cat "$OUT.err")"
lab_json_check "$OUT" "the run"
lab_log "events: $(jq -r .func "$OUT" | sort | uniq -c | tr -s ' \n' ' ')"

count() { lab_json_count "$OUT" "$1"; }
# Events on the datapath's ct() path (the namespaces' own conntrack, if the kernel enabled it
# there, sees the same pings in zone 0).
OVS='(.stack | map(test("ovs_ct_execute")) | any)'
FLAGS='(.ct.status_flags // "")'
packets=$((2 * COUNT))
lab_expect "$(count '.func == "ovs_ct_execute"')" -eq "$packets" "ovs_ct_execute: one per request and reply"
lab_expect "$(count '.func == "ovs_ct_execute" and .ovs.commit == 1 and .ovs.zone_id == 7 and .ovs.zone_dir == 3 and .ovs.template_ct != null and .ovs.template_ct != "0x0"')" -eq "$packets" \
    "ovs_ct_execute decodes ct(commit,zone=7) and its template"
lab_expect "$(count '.func == "__ovs_ct_lookup" and .ovs.commit == 1 and .ovs.zone_id == 7')" -eq "$packets" \
    "__ovs_ct_lookup: one per packet (commit looks up first)"
lab_expect "$(count ".func == \"nf_conntrack_in\" and $OVS")" -eq "$packets" "nf_conntrack_in called by the action"
lab_expect "$(count ".func == \"nf_conntrack_in\" and $OVS and ($FLAGS | test(\"TEMPLATE\")) and .ct.zone_id == 7 and .ct.ctinfo == 2")" -eq "$packets" \
    "nf_conntrack_in sees the action's zone-7 template on the skb"
lab_expect "$(count ".func == \"__nf_ct_refresh_acct\" and $OVS and .ct.zone_id == 7 and ($FLAGS | test(\"TEMPLATE\") | not)")" -eq "$packets" \
    "__nf_ct_refresh_acct refreshes the zone-7 entry"
lab_expect "$(count ".func == \"__nf_ct_refresh_acct\" and $OVS and .ct.ctinfo == 3")" -eq "$COUNT" "refreshes by echo replies"
# The conntrack GC worker deletes the warm-up ping's zone-7 entry 30 s after it (ICMP timeout):
# with a slow attach that falls inside the run.
GC='(.func == "nf_ct_delete" and (.stack | map(test("gc_worker")) | any))'
lab_expect "$(count "($OVS | not) and ($GC | not) and .ct.zone_id == 7")" -eq 0 "zone 7 outside the datapath and the GC worker"
lab_expect "$(count '.packet.protocol != 1')" -eq 0 "events of the UDP datagrams (--protocol icmp)"
lab_expect "$(count '.dev == "ovp0" or .dev == "ovp1"')" -ge "$packets" "events name the datapath ports"
entries=$(lab_ovs_ct_count 7)
lab_expect "$entries" -ge 1 "ovs-dpctl dump-conntrack zone=7 entries"

lab_tool_no_leftovers
lab_log "passed in $(lab_elapsed)"
