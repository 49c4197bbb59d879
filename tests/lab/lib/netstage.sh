# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
# shellcheck source-path=SCRIPTDIR
# The host of the system_network_* scenarios: this host owns LOCAL on the internal port int0
# of datapath dp0, the "remote host" is namespace "remote" (REMOTE on its eth0) behind the
# veth port phys0, the scenario's physical NIC. No ovs-vswitchd: ovs-dpctl flows link the two.
#
#   lab_netstage_host LOCAL REMOTE [CT_ZONE]   the host above, flows int0 <-> phys0 (through
#                                              ct(commit,zone=CT_ZONE) if given), checked with
#                                              a ping from the remote host
#   lab_netstage_upcall_losses OUT PORT COUNT TOOL ARGS...
#                                              TOOL runs with dp0's flows deleted (every packet
#                                              an upcall nobody reads) while COUNT datagrams go
#                                              from this host to REMOTE:PORT; it stops once they
#                                              have been idle past its --session-timeout 0.5;
#                                              then the flows are back
#
# Threshold checks put a netem delay of LAB_DELAY_MS on a device and report only what takes
# LAB_THRESHOLD_MS or more: an undelayed packet stays under ~20 ms even under TCG on a loaded
# 2-core host (worst seen: 12 ms in one stage), so each class is a factor 5 from the threshold.

# shellcheck source=ovs.sh
source "$(dirname "${BASH_SOURCE[0]}")/ovs.sh"
# shellcheck source=tool.sh
source "$(dirname "${BASH_SOURCE[0]}")/tool.sh"

# shellcheck disable=SC2034 # used by the scenarios
LAB_DELAY_MS=500 LAB_THRESHOLD_MS=100
LAB_NETSTAGE_ZONE=
LAB_NETSTAGE_REMOTE=

lab_netstage_host() {
    local local_ip=$1 remote_ip=$2
    LAB_NETSTAGE_REMOTE=$remote_ip LAB_NETSTAGE_ZONE=${3:-}
    lab_ovs_host_setup dp0 "$local_ip" "$remote_ip"
    lab_ovs_link dp0 int0 phys0 "$LAB_NETSTAGE_ZONE"
    lab_ping remote "$local_ip" 2 >/dev/null || lab_fail "no ping between int0 and the remote namespace through dp0"
}

lab_netstage_upcall_losses() {
    local out=$1 port=$2 count=$3 tool=$4
    shift 4
    lab_ovs_flows_del dp0
    lab_tool_start "$out" "$tool" "$@" --session-timeout 0.5
    lab_udp_send - "$LAB_NETSTAGE_REMOTE" "$port" "$count"
    # The datagrams left synchronously: after 1 s of guest time they are idle for longer than
    # 0.5 s, and the tool's last sweep at exit counts them.
    lab_tool_stop 1
    lab_ovs_link dp0 int0 phys0 "$LAB_NETSTAGE_ZONE"
}
