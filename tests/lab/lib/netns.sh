# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
# Network namespaces joined by veth, traffic generators and ways to make the kernel drop
# packets, for scenarios inside the lab guest. Everything created here is removed at exit.
#
# Topologies
#   lab_netns_add NS                          empty namespace, lo up, IPv6 off (no noise)
#   lab_netns_pair NS1 NS2 IP1 IP2            NS1 <-veth-> NS2 (devices "to-NS2", "to-NS1")
#   lab_netns_attach NS IP ROOTDEV [NSDEV]    veth from the lab guest's own namespace (ROOTDEV,
#                                             no address: e.g. an OVS port) to NS (NSDEV, IP)
#   lab_netns_routed NS1 NSR NS2 NET1 NET2    NS1 -- router NSR -- NS2 over NET1.0/24 and
#                                             NET2.0/24 (e.g. 10.31.1 10.31.2): .1 = NSR
#   lab_netns_static_neigh NS1 DEV1 IP1 NS2 DEV2 IP2
#                                             permanent neighbours both ways (no ARP between
#                                             the packets a scenario counts); NS "-": this one
# Traffic
#   lab_ping NS DST [COUNT] [INTERVAL]        ping, prints the number of replies (NS "-": from
#                                             this shell's namespace, as for lab_nsexec)
#   lab_udp_send NS DST PORT [COUNT] [SIZE]   COUNT datagrams (bash /dev/udp); NS "-": sent by
#                                             this shell itself (its PID is the sender's)
#   lab_udp_burst NS DST PORT COUNT SIZE      the same from one socket, back to back (python3):
#                                             it outpaces a slow qdisc however slow the guest is
#   lab_udp_sink NS PORT FILE                 receive datagrams into FILE (socat, background)
#   lab_tcp_iperf NS_SRV SRV_IP NS_CLI [SEC]  iperf3 TCP, prints receiver Mbit/s
# Drops
#   lab_drop_nft NS PROTO PORT                nftables rule dropping PROTO to PORT on input
#   lab_drop_iptables NS PROTO PORT           the same with iptables
#   lab_drop_counter_nft NS                   packets the nft rule dropped
#   lab_udp_closed_port NS DST PORT [COUNT]   datagrams to a port with no socket
#   lab_qdisc_squeeze NS DEV                  tiny tbf qdisc on DEV: bursts overflow it
#   lab_qdisc_drops NS DEV                    packets that qdisc dropped
# Counters
#   lab_link_stat NS DEV COUNTER              /sys/class/net/DEV/statistics/COUNTER
#   lab_snmp NS PROTO FIELD                   /proc/net/snmp (e.g. Udp NoPorts)

# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

LAB_NETNS_LIST=()

# Short veth name from a prefix and a namespace name (interface names stop at 15 bytes).
lab_netns_devname() {
    local name="$1$2"
    printf '%s\n' "${name:0:15}"
}

# Runs a command in namespace NS ("-": this shell's own namespace).
lab_nsexec() {
    local ns=$1
    shift
    if [[ $ns == - ]]; then
        "$@"
    else
        ip netns exec "$ns" "$@"
    fi
}

lab_netns_add() {
    local ns=$1
    [[ -e /run/netns/$ns ]] && return 0
    ip netns add "$ns" || lab_fail "ip netns add $ns failed"
    if ((${#LAB_NETNS_LIST[@]} == 0)); then
        lab_on_exit lab_netns_cleanup
    fi
    LAB_NETNS_LIST+=("$ns")
    ip -n "$ns" link set lo up
    # IPv6 router solicitations and MLD reports would add packets no test asked for.
    lab_nsexec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
}

# Adds IP (CIDR, /24 when no prefix is given) to DEV in NS and brings DEV up.
lab_netns_addr() {
    local ns=$1 dev=$2 addr=$3
    [[ $addr == */* ]] || addr+=/24
    ip -n "$ns" addr add "$addr" dev "$dev" || lab_fail "cannot add $addr to $dev in $ns"
    ip -n "$ns" link set "$dev" up
}

lab_netns_pair() {
    local ns1=$1 ns2=$2 ip1=$3 ip2=$4 dev1 dev2
    dev1=$(lab_netns_devname to- "$ns2")
    dev2=$(lab_netns_devname to- "$ns1")
    lab_netns_add "$ns1"
    lab_netns_add "$ns2"
    ip link add "$dev1" netns "$ns1" type veth peer name "$dev2" netns "$ns2" ||
        lab_fail "cannot create veth $dev1/$dev2 between $ns1 and $ns2"
    lab_netns_addr "$ns1" "$dev1" "$ip1"
    lab_netns_addr "$ns2" "$dev2" "$ip2"
}

lab_netns_attach() {
    local ns=$1 addr=$2 rootdev=$3 nsdev=${4:-eth0}
    lab_netns_add "$ns"
    ip link add "$rootdev" type veth peer name "$nsdev" netns "$ns" ||
        lab_fail "cannot create veth $rootdev <-> $ns:$nsdev"
    lab_on_exit "ip link del $rootdev"
    # Off as well on the root side: the root namespace keeps IPv6.
    sysctl -qw "net.ipv6.conf.$rootdev.disable_ipv6=1" 2>/dev/null
    ip link set "$rootdev" up
    lab_netns_addr "$ns" "$nsdev" "$addr"
}

lab_netns_routed() {
    local ns1=$1 nsr=$2 ns2=$3 net1=$4 net2=$5
    lab_netns_pair "$nsr" "$ns1" "$net1.1" "$net1.2"
    lab_netns_pair "$nsr" "$ns2" "$net2.1" "$net2.2"
    lab_nsexec "$nsr" sysctl -qw net.ipv4.ip_forward=1
    ip -n "$ns1" route add default via "$net1.1"
    ip -n "$ns2" route add default via "$net2.1"
}

lab_netns_static_neigh() {
    local ns1=$1 dev1=$2 ip1=$3 ns2=$4 dev2=$5 ip2=$6 mac1 mac2
    mac1=$(lab_nsexec "$ns1" ip -br link show "$dev1" | awk '{ print $3 }')
    mac2=$(lab_nsexec "$ns2" ip -br link show "$dev2" | awk '{ print $3 }')
    lab_nsexec "$ns1" ip neigh replace "$ip2" lladdr "$mac2" dev "$dev1" nud permanent
    lab_nsexec "$ns2" ip neigh replace "$ip1" lladdr "$mac1" dev "$dev2" nud permanent
}

lab_netns_cleanup() {
    local ns
    for ns in "${LAB_NETNS_LIST[@]}"; do
        ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null
        ip netns del "$ns" 2>/dev/null
    done
    LAB_NETNS_LIST=()
    return 0
}

# Prints the number of echo replies; returns non-zero when none came back.
lab_ping() {
    local ns=$1 dst=$2 count=${3:-3} interval=${4:-0.2} out received
    out=$(lab_nsexec "$ns" ping -n -q -c "$count" -i "$interval" -W 2 "$dst" 2>&1)
    received=$(sed -n 's/.* \([0-9][0-9]*\) received.*/\1/p' <<<"$out")
    printf '%s\n' "${received:-0}"
    ((${received:-0} > 0))
}

# Sends COUNT datagrams of SIZE bytes (a newline ends each, so a sink file counts lines).
# bash opens a new UDP socket for each redirection: no helper binary needed.
lab_udp_send() {
    local ns=$1
    shift
    if [[ $ns == - ]]; then
        lab_udp_write "$@"	# by this shell itself, not a child: its PID is the sender's
    else
        lab_nsexec "$ns" bash -c "$(declare -f lab_udp_write); lab_udp_write \"\$@\"" lab_udp_send "$@"
    fi
}

# lab_udp_send's writer, run by this shell or by a bash in the namespace.
lab_udp_write() {
    local dst=$1 port=$2 count=${3:-1} size=${4:-64} payload i
    payload=$(head -c "$((size - 1))" /dev/zero | tr "\0" x)
    for ((i = 0; i < count; i++)); do
        printf "%s\n" "$payload" >"/dev/udp/$dst/$port" || return 1
    done
}

# lab_udp_send's datagrams without a process or a socket per datagram: under TCG on a loaded
# host bash took longer per datagram than a 256 kbit/s token bucket takes to send one, and no
# backlog built up.
lab_udp_burst() {
    local ns=$1 dst=$2 port=$3 count=$4 size=$5
    lab_require_cmd python3 python3
    lab_nsexec "$ns" python3 -c '
import socket, sys
dst, port, count, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
payload = b"x" * (size - 1) + b"\n"
for _ in range(count):
    s.sendto(payload, (dst, port))
' "$dst" "$port" "$count" "$size" || lab_fail "UDP burst from $ns to $dst:$port failed"
}

# Starts a UDP receiver on PORT in NS appending every datagram to FILE; waits until it listens.
lab_udp_sink() {
    local ns=$1 port=$2 file=$3
    lab_require_cmd socat socat
    : >"$file"
    lab_nsexec "$ns" socat -u "UDP-RECV:$port,reuseaddr" "OPEN:$file,creat,append" &
    lab_on_exit "kill $! 2>/dev/null"
    lab_wait_for 5 lab_udp_listening "$ns" "$port" ||
        lab_fail "socat did not listen on UDP $port in $ns"
}

lab_udp_listening() {
    [[ -n $(lab_nsexec "$1" ss -Hlun "sport = :$2") ]]
}

# Runs a TCP test of SEC seconds from NS_CLI to an iperf3 server in NS_SRV on SRV_IP and
# prints the receiver's throughput in Mbit/s.
lab_tcp_iperf() {
    local ns_srv=$1 srv_ip=$2 ns_cli=$3 secs=${4:-2} out
    lab_require_cmd iperf3 iperf3
    lab_nsexec "$ns_srv" iperf3 -s -1 -B "$srv_ip" >/dev/null 2>&1 &
    lab_on_exit "kill $! 2>/dev/null"
    lab_wait_for 10 lab_tcp_listening "$ns_srv" 5201 || lab_fail "iperf3 server did not start in $ns_srv"
    out=$(lab_nsexec "$ns_cli" iperf3 -c "$srv_ip" -t "$secs" -f m 2>&1) ||
        lab_fail "iperf3 client failed: $out"
    awk '/receiver/ { for (i = 1; i <= NF; i++) if ($i == "Mbits/sec") print $(i - 1) }' <<<"$out" | tail -n1
}

lab_tcp_listening() {
    [[ -n $(lab_nsexec "$1" ss -Hltn "sport = :$2") ]]
}

# Drops PROTO (tcp/udp) packets to PORT arriving in NS, counting them.
lab_drop_nft() {
    local ns=$1 proto=$2 port=$3
    lab_require_cmd nft nftables
    lab_nsexec "$ns" nft -f - <<EOF || lab_fail "nft rule in $ns failed"
table inet lab_drop {
    chain input {
        type filter hook input priority 0; policy accept;
        $proto dport $port counter drop
    }
}
EOF
}

# Packets dropped so far by lab_drop_nft's rule in NS.
lab_drop_counter_nft() {
    lab_nsexec "$1" nft list table inet lab_drop 2>/dev/null |
        sed -n 's/.*counter packets \([0-9]*\) bytes.*/\1/p' | head -n1
}

lab_drop_iptables() {
    local ns=$1 proto=$2 port=$3
    lab_require_cmd iptables iptables
    lab_nsexec "$ns" iptables -I INPUT -p "$proto" --dport "$port" -j DROP ||
        lab_fail "iptables rule in $ns failed"
}

# Datagrams to a port nobody listens on: the kernel drops them and answers ICMP
# port unreachable (Udp NoPorts grows in the receiver's namespace).
lab_udp_closed_port() {
    lab_udp_send "$1" "$2" "$3" "${4:-1}" 32
}

# A token bucket of 1 Mbit/s with a queue of ~3 packets on DEV: any burst overflows it and
# the qdisc drops (veth never pushes back, so a plain small pfifo would not).
lab_qdisc_squeeze() {
    local ns=$1 dev=$2
    lab_nsexec "$ns" tc qdisc replace dev "$dev" root tbf rate 1mbit burst 1600 limit 4500 ||
        lab_fail "tc qdisc on $dev in $ns failed"
}

lab_qdisc_drops() {
    lab_nsexec "$1" tc -s qdisc show dev "$2" |
        sed -n 's/.*(dropped \([0-9]*\),.*/\1/p' | head -n1
}

# lab_qdisc_empty NS DEV: true when DEV's root qdisc holds no packet.
lab_qdisc_empty() {
    lab_nsexec "$1" tc -s qdisc show dev "$2" | grep -q ' backlog 0b 0p'
}

lab_link_stat() {
    lab_nsexec "$1" cat "/sys/class/net/$2/statistics/$3"
}

# One field of /proc/net/snmp in NS: lab_snmp NS Udp NoPorts.
lab_snmp() {
    # shellcheck disable=SC2016 # an awk program
    lab_nsexec "$1" awk -v p="$2:" -v f="$3" '
        $1 == p && !hdr { for (i = 2; i <= NF; i++) col[$i] = i; hdr = 1; next }
        $1 == p && hdr { print $col[f]; exit }' /proc/net/snmp
}
