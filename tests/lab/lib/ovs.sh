# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
# The Open vSwitch kernel datapath driven with ovs-dpctl alone (no ovs-vswitchd, no ovsdb):
# the datapath does what its flow table says, and a packet without a flow becomes an upcall
# that nobody reads, counted as "missed" and "lost". Everything created here goes at exit.
#
#   lab_ovs_dp_add DP                      load openvswitch, create datapath DP
#   lab_ovs_port_add DP DEV [PORTNO]       add netdev DEV as a port, print its port number
#   lab_ovs_ns_port DP NS IP PORTDEV       namespace NS (eth0 = IP) behind veth PORTDEV, a port
#                                          of DP: a "physical NIC" or a "VM tap" of a host
#   lab_ovs_internal_add DP NAME [IP]      internal port NAME (a netdev of this namespace)
#   lab_ovs_port_no DP DEV                 port number of DEV
#   lab_ovs_flow_add DP MATCH ACTIONS      one datapath flow (ovs-dpctl syntax)
#   lab_ovs_link DP DEV1 DEV2 [CT_ZONE]    IPv4 + ARP flows both ways between two ports; with
#                                          CT_ZONE, IPv4 goes through ct(commit,zone=CT_ZONE)
#   lab_ovs_flows_del DP                   delete every flow
#   lab_ovs_stat DP hit|missed|lost|flows  one counter of "ovs-dpctl show"
#   lab_ovs_ct_count [ZONE]                conntrack entries (all zones, or one)
#
# lab_ovs_dp_add turns IPv6 off for netdevs created after it in this namespace (router
# solicitations and MLD reports would otherwise cross the datapath and move its counters).

# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
# shellcheck source=netns.sh
source "$(dirname "${BASH_SOURCE[0]}")/netns.sh"

lab_ovs_dp_add() {
    local dp=$1 v6
    lab_require_cmd ovs-dpctl openvswitch-switch
    lab_modprobe openvswitch
    v6=$(sysctl -n net.ipv6.conf.default.disable_ipv6 2>/dev/null || echo 0)
    sysctl -qw net.ipv6.conf.default.disable_ipv6=1 2>/dev/null
    lab_on_exit "sysctl -qw net.ipv6.conf.default.disable_ipv6=$v6"
    ovs-dpctl add-dp "$dp" 2>/dev/null || lab_fail "ovs-dpctl add-dp $dp failed"
    lab_on_exit "ovs-dpctl del-dp $dp"
}

lab_ovs_port_no() {
    local dp=$1 dev=$2 no
    no=$(ovs-dpctl show "$dp" | awk -v d="$dev" '$1 == "port" && $3 == d { sub(":", "", $2); print $2 }')
    [[ -n $no ]] || lab_fail "$dev is not a port of $dp"
    printf '%s\n' "$no"
}

lab_ovs_port_add() {
    local dp=$1 dev=$2 no=${3:-}
    ovs-dpctl add-if "$dp" "$dev${no:+,port_no=$no}" 2>/dev/null ||
        lab_fail "ovs-dpctl add-if $dp $dev failed"
    lab_ovs_port_no "$dp" "$dev"
}

lab_ovs_ns_port() {
    local dp=$1 ns=$2 addr=$3 portdev=$4
    lab_netns_attach "$ns" "$addr" "$portdev" eth0
    lab_ovs_port_add "$dp" "$portdev" >/dev/null
}

lab_ovs_internal_add() {
    local dp=$1 name=$2 addr=${3:-}
    ovs-dpctl add-if "$dp" "$name,type=internal" 2>/dev/null ||
        lab_fail "ovs-dpctl add-if $dp $name,type=internal failed"
    sysctl -qw "net.ipv6.conf.$name.disable_ipv6=1" 2>/dev/null
    if [[ -n $addr ]]; then
        [[ $addr == */* ]] || addr+=/24
        ip addr add "$addr" dev "$name" || lab_fail "cannot add $addr to $name"
    fi
    ip link set "$name" up
}

# The system-network scenarios' host: datapath DP with the internal port int0 owning LOCAL (the
# host's address) and the veth port phys0 (its physical NIC) towards the namespace "remote"
# owning REMOTE, with static neighbours both ways so that no ARP runs between the packets.
# Flows are the caller's (lab_ovs_link).
lab_ovs_host_setup() { # DP LOCAL REMOTE
    local dp=$1 local_ip=$2 remote_ip=$3
    lab_ovs_dp_add "$dp"
    lab_ovs_ns_port "$dp" remote "$remote_ip" phys0
    lab_ovs_internal_add "$dp" int0 "$local_ip"
    lab_netns_static_neigh - int0 "$local_ip" remote eth0 "$remote_ip"
}

lab_ovs_flow_add() {
    local dp=$1 match=$2 actions=$3 err
    err=$(ovs-dpctl add-flow "$dp" "$match" "$actions" 2>&1) ||
        lab_fail "ovs-dpctl add-flow $dp '$match' '$actions': $err"
}

lab_ovs_link() {
    local dp=$1 p1 p2 zone=${4:-} ct=""
    p1=$(lab_ovs_port_no "$dp" "$2")
    p2=$(lab_ovs_port_no "$dp" "$3")
    [[ -n $zone ]] && ct="ct(commit,zone=$zone),"
    lab_ovs_flow_add "$dp" "in_port($p1),eth(),eth_type(0x0800),ipv4()" "$ct$p2"
    lab_ovs_flow_add "$dp" "in_port($p2),eth(),eth_type(0x0800),ipv4()" "$ct$p1"
    lab_ovs_flow_add "$dp" "in_port($p1),eth(),eth_type(0x0806),arp()" "$p2"
    lab_ovs_flow_add "$dp" "in_port($p2),eth(),eth_type(0x0806),arp()" "$p1"
}

lab_ovs_flows_del() {
    ovs-dpctl del-flows "$1" || lab_fail "ovs-dpctl del-flows $1 failed"
}

lab_ovs_stat() {
    local dp=$1 what=$2 v
    case $what in
        hit | missed | lost)
            v=$(ovs-dpctl show "$dp" | awk -v w="$what" '
                $1 == "lookups:" { for (i = 2; i <= NF; i++) { split($i, kv, ":"); if (kv[1] == w) print kv[2] } }') ;;
        flows) v=$(ovs-dpctl show "$dp" | sed -n 's/^ *flows: *\([0-9]*\).*/\1/p') ;;
        *) lab_fail "lab_ovs_stat: unknown counter '$what'" ;;
    esac
    lab_assert_int "$v" "ovs-dpctl show $dp: $what"
    printf '%s\n' "$v"
}

lab_ovs_ct_count() {
    local zone=${1:-}
    ovs-dpctl dump-conntrack ${zone:+zone=$zone} 2>/dev/null | grep -c . || true
}

# The real Open vSwitch user space (Debian's openvswitch-switch), private to the scenario:
# ovsdb-server and ovs-vswitchd with their database, sockets, pid and log files in DIR, so that
# nothing of a host's own OVS is touched. Exports OVS_RUNDIR/OVS_DBDIR/OVS_LOGDIR/OVS_SYSCONFDIR
# so that ovs-vsctl, ovs-ofctl and ovs-appctl of this shell talk to it. At exit ovs-vswitchd
# removes its datapath (exit --cleanup) and both daemons stop.
#
#   lab_ovs_vswitchd_start DIR             start both daemons (loads openvswitch, IPv6 off for
#                                          new netdevs as in lab_ovs_dp_add; datapath flows idle
#                                          out after 300 s, not 10 s)
#   lab_ovs_bridge_add BR [DEV...]         bridge BR (datapath "ovs-system", kernel type) with the
#                                          netdevs DEV as ports, in one transaction; fail-mode
#                                          secure: only the caller's OpenFlow rules forward
#   lab_ovs_port_ofport DEV                OpenFlow port number of DEV
lab_ovs_vswitchd_start() {
    local dir=$1 v6 t0=$SECONDS
    lab_require_cmd ovs-vswitchd openvswitch-switch
    lab_modprobe openvswitch
    v6=$(sysctl -n net.ipv6.conf.default.disable_ipv6 2>/dev/null || echo 0)
    sysctl -qw net.ipv6.conf.default.disable_ipv6=1 2>/dev/null
    lab_on_exit "sysctl -qw net.ipv6.conf.default.disable_ipv6=$v6"
    mkdir -p "$dir"
    export OVS_RUNDIR=$dir OVS_DBDIR=$dir OVS_LOGDIR=$dir OVS_SYSCONFDIR=$dir
    ovsdb-tool create "$dir/conf.db" /usr/share/openvswitch/vswitch.ovsschema ||
        lab_fail "ovsdb-tool create $dir/conf.db failed"
    ovsdb-server "$dir/conf.db" --remote="punix:$dir/db.sock" --pidfile --detach \
        --log-file --no-chdir 2>"$dir/ovsdb-server.err" ||
        lab_fail "ovsdb-server did not start: $(tail -n 3 "$dir/ovsdb-server.err")"
    lab_on_exit "lab_ovs_daemon_stop ovsdb-server"
    ovs-vsctl --no-wait init || lab_fail "ovs-vsctl init failed"
    # Datapath flows live until idle this long (10 s by default). A scenario's flows must stay
    # until it deletes them, however slowly the tools attach on a loaded machine: under two CPU
    # hogs ovs_tools_upcall's first megaflows expired before its ovs-dpctl dump-flows.
    ovs-vsctl --no-wait set Open_vSwitch . other_config:max-idle=300000 ||
        lab_fail "ovs-vsctl set other_config:max-idle failed"
    ovs-vswitchd "unix:$dir/db.sock" --pidfile --detach --log-file --no-chdir \
        2>"$dir/ovs-vswitchd.err" ||
        lab_fail "ovs-vswitchd did not start: $(tail -n 3 "$dir/ovs-vswitchd.log")"
    lab_on_exit "lab_ovs_daemon_stop ovs-vswitchd --cleanup"
    lab_log "ovs-vswitchd $(ovs-vswitchd --version | awk 'NR == 1 { print $NF }') started in $((SECONDS - t0)) s"
}

# shellcheck disable=SC2317 # called at exit
lab_ovs_daemon_stop() { # NAME [--cleanup]
    local name=$1 pid
    pid=$(cat "$OVS_RUNDIR/$name.pid" 2>/dev/null) || return 0
    ovs-appctl -T 10 -t "$name" exit ${2:+"$2"} 2>/dev/null || kill "$pid" 2>/dev/null
    for _ in $(seq 50); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null
    return 0
}

lab_ovs_bridge_add() {
    local br=$1 dev args=()
    shift
    for dev in "$@"; do args+=(-- add-port "$br" "$dev"); done
    ovs-vsctl -- add-br "$br" -- set-fail-mode "$br" secure \
        -- set bridge "$br" other-config:disable-in-band=true "${args[@]}" ||
        lab_fail "ovs-vsctl add-br $br $*: $(tail -n 3 "$OVS_LOGDIR/ovs-vswitchd.log")"
    sysctl -qw "net.ipv6.conf.$br.disable_ipv6=1" 2>/dev/null
    return 0
}

lab_ovs_port_ofport() {
    local no
    no=$(ovs-vsctl get Interface "$1" ofport 2>/dev/null) || no=""
    [[ $no =~ ^[0-9]+$ ]] || lab_fail "$1 has no OpenFlow port number"
    printf '%s\n' "$no"
}
