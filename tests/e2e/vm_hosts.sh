# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
# Three "VMs" for the VM pair tools' tests: namespaces NS_A, NS_B (from e2e_setup) and NS_C
# (IP_C), whose host sides are veths named like taps, <prefix>tap0/1/2, in one Linux bridge
# br0 of the host namespace NS_H. IPv6 off, multicast off (no IGMP reports) and permanent
# neighbours everywhere: no ARP, IGMP or router traffic among the packets a test counts.
# Source after lib.sh and e2e_setup.

vm_hosts_teardown() {
	ip netns del "$NS_H" 2>/dev/null
	ip netns del "$NS_C" 2>/dev/null
	e2e_teardown
}

# vm_hosts_setup PREFIX: the bridge, the three VMs, their neighbours; A reaches B.
vm_hosts_setup() {
	local prefix=$1 i=0 vm ns a b
	ip -n "$NS_A" link del "$DEV_A"
	ip netns del "$NS_H" 2>/dev/null
	ip netns del "$NS_C" 2>/dev/null
	ip netns add "$NS_H" && ip netns add "$NS_C" || e2e_die "cannot create network namespaces"
	for ns in "$NS_H" "$NS_C"; do
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
		ip -n "$ns" link set lo up
	done
	ip -n "$NS_H" link add br0 type bridge stp_state 0 mcast_snooping 0 || e2e_die "cannot create the bridge"
	ip -n "$NS_H" link set br0 multicast off up
	for vm in "$NS_A:$IP_A" "$NS_B:$IP_B" "$NS_C:$IP_C"; do
		ns=${vm%%:*}
		ip -n "$NS_H" link add "${prefix}tap$i" type veth peer name eth0 netns "$ns" ||
			e2e_die "cannot create the veths"
		ip -n "$NS_H" link set "${prefix}tap$i" master br0 up
		ip -n "$ns" addr add "${vm#*:}/24" dev eth0
		ip -n "$ns" link set eth0 multicast off up
		i=$((i + 1))
	done
	for a in "$NS_A:$IP_A" "$NS_B:$IP_B" "$NS_C:$IP_C"; do
		for b in "$NS_A:$IP_A" "$NS_B:$IP_B" "$NS_C:$IP_C"; do
			[ "$a" = "$b" ] && continue
			ip -n "${a%%:*}" neigh replace "${b#*:}" lladdr "$(e2e_mac "${b%%:*}" eth0)" dev eth0 nud permanent
		done
	done
	ip netns exec "$NS_A" ping -c 1 -W 2 "$IP_B" >/dev/null || e2e_die "no connectivity from A to B"
}
