#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# shellcheck source-path=SCRIPTDIR
# lab-options: --timeout 240
# The OVS slow path with the real ovs-vswitchd: a bridge with two namespaces' veths and
# OpenFlow rules, one rule per UDP destination port, so that each datagram to a new port is one
# upcall (MISS) that ovs-vswitchd answers with one datapath flow and one execute of the packet.
# ovs_upcall_latency_summary: N datagrams complete N upcalls (MISS), a decoy to another address
# is not counted, and K datagrams sent while ovs-vswitchd is stopped for STOP_S seconds take at
# least that long: the percentiles of the interval they complete in move by a wide factor
# (seen: 1.5-250 ms against 3-5 s, the fast P50s 19 to 650 times below the slow ones).
set -euo pipefail
source "$(dirname "$0")/../lib/ovs.sh"
source "$(dirname "$0")/../lib/tool.sh"
source "$(dirname "$0")/../lib/kernel.sh"

N=6 K=3 STOP_S=4
SINK=10.50.0.9 DECOY=10.50.0.8
BPFNET_BTF=$(lab_btf_dir)
export BPFNET_BTF
lab_tool_workdir
work=$LAB_TOOL_WORK

lab_ovs_vswitchd_start "$work/ovs"
lab_netns_attach a 10.50.0.1 pa
lab_netns_attach b 10.50.0.2 pb
lab_ovs_bridge_add br0 pa pb
# Datagrams go to addresses b does not own, at b's MAC: b drops them without an ICMP error
# (which would be one more upcall), and nobody ARPs.
mac_b=$(ip -n b -br link show eth0 | awk '{ print $3 }')
for ip in $SINK $DECOY; do
    ip -n a neigh replace "$ip" lladdr "$mac_b" dev eth0 nud permanent
done
{
    for p in $(seq 5001 5009) $(seq 5011 5013); do
        echo "priority=10,in_port=pa,udp,tp_dst=$p,actions=output:pb"
    done
    # One rule per kind of datapath action, for ovs_userspace_megaflow.
    echo "priority=10,in_port=pa,udp,tp_dst=5021,actions=output:pb"
    echo "priority=10,in_port=pa,udp,tp_dst=5022,actions=ct(commit),output:pb"
    echo "priority=10,in_port=pa,udp,tp_dst=5023,actions=mod_vlan_vid:10,output:pb"
    echo "priority=10,in_port=pa,udp,tp_dst=5024,actions=mod_nw_tos:32,output:pb"
    echo "priority=10,in_port=pa,udp,tp_dst=5025,actions=drop"
    echo "priority=10,in_port=pa,udp,tp_dst=5026,actions=controller"
} >"$work/flows"
ovs-ofctl add-flows br0 "$work/flows" || lab_fail "ovs-ofctl add-flows failed"
vswitchd_pid=$(<"$OVS_RUNDIR/ovs-vswitchd.pid")
missed0=$(lab_ovs_stat ovs-system missed)
lab_log "setup done at $(lab_elapsed)"

# ---- ovs_upcall_latency_summary ----
OUT=$work/summary.json
lab_tool_start "$OUT" ovs_upcall_latency_summary --json --interval 1 --proto udp --dst-ip $SINK \
    --prometheus-textfile "$work/upcall.prom"
for p in $(seq 5001 $((5000 + N))); do lab_udp_send a $SINK "$p" 1 64; done
lab_udp_send a $DECOY 5009 1 64
lab_tool_await 1 "\"completed_upcalls\":$N,"
kill -STOP "$vswitchd_pid"
lab_on_exit "kill -CONT $vswitchd_pid"
for p in $(seq 5011 $((5010 + K))); do lab_udp_send a $SINK "$p" 1 64; done
sleep $STOP_S
kill -CONT "$vswitchd_pid"
lab_tool_await 1 "\"completed_upcalls\":$((N + K)),"
lab_tool_stop 1
lab_json_check "$OUT" "ovs_upcall_latency_summary"
missed=$(($(lab_ovs_stat ovs-system missed) - missed0))
lab_log "ovs-dpctl show: $missed misses; ovs-appctl upcall/show: $(ovs-appctl upcall/show | tr -s ' \n' ' ')"

# One jq for the facts: the final counters; per interval with samples, whether all of them
# are slow (min >= STOP_S: they waited for the stopped daemon) or all fast (max < STOP_S),
# their samples and P50.
read -r total completed types samples slow_n fast_n slow_p50 fast_p50 fast_max mixed <<<"$(jq -rs --argjson stop_us $((STOP_S * 1000000)) '
    (map(select(.final)) | .[0]) as $f
    | map(select(.samples > 0)) as $iv
    | ($iv | map(select(.min_us >= $stop_us))) as $slow
    | ($iv | map(select(.max_us < $stop_us))) as $fast
    | [$f.total_upcalls, $f.completed_upcalls,
       (map(.upcall_types | .MISS + .ACTION * 1000 + .OTHER * 1000) | add),
       (map(.samples) | add),
       ($slow | map(.samples) | add // 0), ($fast | map(.samples) | add // 0),
       ($slow | map(.p50_us) | min // 0 | floor), ($fast | map(.p50_us) | max // 0 | ceil),
       ($fast | map(.max_us) | max // 0 | ceil),
       ($iv | length) - ($slow | length) - ($fast | length)] | @tsv' "$OUT")"
lab_log "latency P50: fast intervals <= $fast_p50 us (max $fast_max us), slow intervals >= $slow_p50 us"
lab_expect "$total" -eq $((N + K)) "upcalls counted: the N + K datagrams to $SINK, not the decoy"
lab_expect "$missed" -eq $((N + K + 1)) "the datapath missed N + K + the decoy (ovs-dpctl show)"
lab_expect "$completed" -eq $((N + K)) "completed upcalls: ovs-vswitchd executed every one"
lab_expect "$types" -eq $((N + K)) "upcall types: all MISS"
lab_expect "$samples" -eq "$completed" "the histograms' samples add up to the completed upcalls"
lab_expect "$mixed" -eq 0 "no interval mixes fast and slow upcalls"
lab_expect "$slow_n" -eq $K "upcalls that waited for the stopped ovs-vswitchd: >= $STOP_S s each"
lab_expect "$fast_n" -eq $N "the others: < $STOP_S s each"
lab_expect "$slow_p50" -ge $((fast_p50 * 5)) "P50 moved by a factor of 5 or more"
# Its metrics file (--prometheus-textfile): the final report's counts, the histogram since the start.
promtool check metrics <"$work/upcall.prom" || lab_fail "promtool rejects the metrics file"
metric() { awk -v m="bpfnet_ovs_upcall_latency_$1" '$1 == m { print $2 }' "$work/upcall.prom"; }
lab_expect "$(metric upcalls_total)" -eq "$total" "metrics: upcalls_total = the final report's total"
lab_expect "$(metric completed_upcalls_total)" -eq "$completed" "metrics: completed_upcalls_total = completed"
lab_expect "$(metric 'upcalls_by_command_total{command="miss"}')" -eq $((N + K)) "metrics: all MISS"
lab_expect "$(metric seconds_count)" -eq "$samples" "metrics: the histogram's _count = the reports' samples"
lab_expect "$(metric 'seconds_bucket{le="2.097151"}')" -eq $N \
    "metrics: the N fast upcalls in the buckets up to 2.1 s, the K slow ones (>= $STOP_S s) above"

# ---- ovs_userspace_megaflow ----
# Six new megaflows, one per kind of action, and a decoy flow to another address that the
# filters must mark as not matching (--debug shows it, with the netlink bytes in hex: the
# fixtures of tests/fixtures/ovs_flow came from here).
OUT=$work/megaflow.json
lab_tool_start "$OUT" ovs_userspace_megaflow --json --debug --dst-ip $SINK --protocol udp
for p in $(seq 5021 5026); do lab_udp_send a $SINK "$p" 1 64; done
lab_udp_send a $DECOY 5007 1 64
lab_tool_await 7 '"event":"FLOW_INSTALL"'
ovs-dpctl dump-flows ovs-system >"$work/dump"
lab_tool_stop 1
lab_json_check "$OUT" "ovs_userspace_megaflow"
# Field by field: every megaflow ovs-dpctl shows for the ports 5021-5026 against the
# FLOW_INSTALL events, both written as sorted key=value lists plus the actions.
python3 - "$work/dump" "$OUT" >"$work/compare" <<'PY'
import json, re, sys
def dpctl(line):
    match, _, actions = line.partition(" actions:")
    fields = []
    for name, inner in re.findall(r"(\w+)\(([^()]*)\)", match.split(", packets:")[0]):
        if "=" not in inner:
            if inner:
                fields.append("%s=%s" % (name, inner))
            continue
        for kv in inner.split(","):
            k, v = kv.split("=", 1)
            fields.append("%s=%s" % ({"ipv4": "ip", "udp": "udp"}.get(name, name) + "_" + k, v))
    actions = re.sub(r"userspace\(pid=(\d+),.*", r"userspace(pid=\1)", actions.strip())
    actions = ",".join("output:" + a if a.isdigit() else a for a in re.split(r",(?![^()]*\))", actions))
    return " ".join(sorted(fields)) + " actions=" + actions
def tool(ev):
    return " ".join(sorted("%s=%s" % kv for kv in ev["key"].items())) + " actions=" + ev["actions"]
want = sorted(dpctl(l) for l in open(sys.argv[1]) if re.search(r"udp\(dst=502[1-6]\)", l))
events = [json.loads(l) for l in open(sys.argv[2])]
flows = [e for e in events if e.get("event") == "FLOW_INSTALL"]
got = sorted(tool(e) for e in flows if e["match"] and re.search(r"udp_dst=502[1-6]", tool(e)))
print("dpctl", len(want)); print("tool", len(got)); print("same", sum(1 for w in want if w in got))
print("decoy_hidden", sum(1 for e in flows if not e["match"] and "udp_dst=5007" in tool(e)))
upcalls = [e for e in events if e.get("event") == "UPCALL_EVENT" and e["match"]]
for kind in ("MISS", "ACTION"):
    print(kind, sum(1 for e in upcalls if e["upcall_type"] == kind))
print("hex", sum(1 for e in flows if len(e.get("netlink_hex", "")) > 48))
for w in want:
    print("dpctl: " + w, file=sys.stderr)
for g in got:
    print("tool:  " + g, file=sys.stderr)
PY
cat "$work/compare" >&2
fact() { awk -v k="$1" '$1 == k { print $2 }' "$work/compare"; }
lab_expect "$(fact dpctl)" -eq 6 "ovs-dpctl dump-flows: one megaflow per rule 5021-5026"
lab_expect "$(fact tool)" -eq 6 "FLOW_INSTALL events for them"
lab_expect "$(fact same)" -eq 6 "identical key, mask and actions, field by field"
lab_expect "$(fact decoy_hidden)" -eq 1 "the decoy's flow is marked as not matching --dst-ip"
lab_expect "$(fact MISS)" -eq 6 "MISS upcalls matching the filters: the six datagrams"
# ovs-vswitchd executes the 5026 datagram with its flow's userspace() action: it comes back.
lab_expect "$(fact ACTION)" -eq 1 "ACTION upcalls: the controller rule's datagram, sent up again"
lab_expect "$(fact hex)" -ge 7 "--debug: every flow request's bytes (fixtures: $LAB_IO/outputs)"
# Function entries: fentry programs (BPF trampolines) where openvswitch has BTF of its own
# (5.11+), else kprobes; BPFNET_FORCE_KPROBE=1 keeps the kprobe fallback (--list-probes).
E=fentry
[[ $(uname -r) == 5.10.* ]] && E=kprobe
"$BPFNET_BIN/ovs_upcall_latency_summary" --list-probes >"$work/ovs_upcall_latency_summary.plan"
grep -qx "  chosen: $E ovs_flow_key_extract_userspace" "$work/ovs_upcall_latency_summary.plan" || { cat "$work/ovs_upcall_latency_summary.plan" >&2; lab_fail "ovs_upcall_latency_summary: ovs_flow_key_extract_userspace is not $E"; }
BPFNET_FORCE_KPROBE=1 "$BPFNET_BIN/ovs_upcall_latency_summary" --list-probes >"$work/ovs_upcall_latency_summary.kprobe.plan"
lab_expect "$(grep -c '^  chosen: fentry' "$work/ovs_upcall_latency_summary.kprobe.plan")" -eq 0 "ovs_upcall_latency_summary, BPFNET_FORCE_KPROBE: no fentry"
grep -qx "  chosen: kprobe ovs_flow_key_extract_userspace" "$work/ovs_upcall_latency_summary.kprobe.plan" || lab_fail "ovs_upcall_latency_summary, BPFNET_FORCE_KPROBE: ovs_flow_key_extract_userspace is not a kprobe"
"$BPFNET_BIN/ovs_userspace_megaflow" --list-probes >"$work/ovs_userspace_megaflow.plan"
grep -qx "  chosen: $E ovs_flow_cmd_new" "$work/ovs_userspace_megaflow.plan" || { cat "$work/ovs_userspace_megaflow.plan" >&2; lab_fail "ovs_userspace_megaflow: ovs_flow_cmd_new is not $E"; }
BPFNET_FORCE_KPROBE=1 "$BPFNET_BIN/ovs_userspace_megaflow" --list-probes >"$work/ovs_userspace_megaflow.kprobe.plan"
lab_expect "$(grep -c '^  chosen: fentry' "$work/ovs_userspace_megaflow.kprobe.plan")" -eq 0 "ovs_userspace_megaflow, BPFNET_FORCE_KPROBE: no fentry"
grep -qx "  chosen: kprobe ovs_flow_cmd_new" "$work/ovs_userspace_megaflow.kprobe.plan" || lab_fail "ovs_userspace_megaflow, BPFNET_FORCE_KPROBE: ovs_flow_cmd_new is not a kprobe"

lab_tool_no_leftovers
lab_log "all checks passed in $(lab_elapsed)"
