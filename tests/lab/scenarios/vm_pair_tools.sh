#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# shellcheck source-path=SCRIPTDIR
# lab-options: --nested --timeout 300
# The six VM pair tools on two real VMs: nested KVM guests A (tap0, --root: bash sends) and B
# (tap1, busybox) on vhost-net taps, run by libvirt's daemon as the domains vma and vmb
# (lib/libvirt.sh: libvirtd started by hand, the guests defined with virsh define and started
# with virsh start; <interface type='ethernet'> on the taps made beforehand, managed='no',
# virtio, vhost), and the namespace C behind the veth tap9 (a third "VM"),
# first in an OVS bridge run by ovs-vswitchd (OpenFlow rules by in_port), then (phase 2) in a
# Linux bridge (static fdb entries): the manual's two §6.2.2 hosts. The six tools are started
# once, before phase 1, and see both phases (they find their devices by name); an event's
# phase is its time against the switch.
#
# Per phase (ports BASE = 6300, then 6310), A sends to a second address of B (DST: B's MAC, not
# B's IP, so that B drops the datagrams without ICMP errors): 6 datagrams to BASE, each from a
# new socket (LAT), a flow to BASE+1 that pauses PAUSE s after its third datagram (GAP), a
# steady flow to BASE+2 every 0.2 s across that pause (STEADY), a paused flow to BASE+3 (OTHER,
# listed by no tool), and 3 TCP connections to B's IP (refused: a SYN each, retransmissions
# counted by A's /proc/net/snmp). C sends 3 LAT datagrams to DST.
# tap1 has a netem delay: D1 ms in phase 1, D2 ms in phase 2 (the scenario's own latency).
# Static neighbours everywhere, IPv6 off: no ARP, nothing else on the taps.
#
# Latency tools (LAT ports of both phases): one latency per datagram A -> B, none below its
# phase's netem delay D, each equal within CAP_TOL_MS to the scenario's own measure of it:
# tcpdump's timestamps of the datagram received on tap0 (tap9 for C) and sent on tap1;
# vm_pair_latency: the SYNs as non-UDP (6) at receive from A and at transmit to B, C's
# datagrams nothing; multi_vm_pair_latency with C's tap9 as a second sending device: C's
# datagrams too, with C's MAC; ..._pairid --config (a device pair tap9/lo, then the UUIDs of
# A and B, resolved through the live XML the daemon keeps in /run/libvirt/qemu): pair id 2
# on each A -> B datagram, nothing for pair 1 (C's datagrams cross pairs: waiting at exit).
# The domains are libvirt's: virsh domstate running, the PID libvirt records is a QEMU with
# the domain's -uuid and name whose tap came as a file descriptor (libvirt opened it),
# libvirt's QMP monitor of it answers; an unknown UUID in a --config (both config tools) is
# one error line naming it and the live XML's directory.
# Gap tools (GAP and STEADY ports, threshold TH ms): the pause once at receive from A (tap0)
# and once at transmit to B (tap1) per phase, each the pause as A timed it ± GAP_TOL_MS; nothing for
# the steady flow, the unlisted port or C.
set -euo pipefail
source "$(dirname "$0")/../lib/nested.sh"
source "$(dirname "$0")/../lib/libvirt.sh"
source "$(dirname "$0")/../lib/ovs.sh"
source "$(dirname "$0")/../lib/tool.sh"
source "$(dirname "$0")/../lib/kernel.sh"

# netem delays on tap1 per phase. On a loaded host netem's timer fires late: a latency took
# up to 879 ms more than the delay at x3, so no upper bound is put on it; each latency is
# compared with tcpdump's (the tools hook the tracepoints next to the packet taps), within
# CAP_TOL_MS: a latency of the wrong datagram would be off by the 0.4 s between datagrams.
D1=500 D2=150 CAP_TOL_MS=50
# A pause of PAUSE s (5 ticks of 0.2 s a second; the nested guest's ticks took 0.26 to 0.36 s
# on a loaded host) in the GAP flows, gaps above TH ms reported (a tick once took 1.7 s there);
# a gap = the pause as A timed it ± GAP_TOL_MS (measured: within 3 ms, once 78 ms: a datagram's
# way from A's bash to tap0 varies).
PAUSE=6 TH=2500 GAP_TOL_MS=300
NLAT=6 NTCP=3 NC=3
BASES=(6300 6310)
DST=10.77.0.13 C_IP=10.77.0.9
UUID_A=7a1b2c3d-0001-4e5f-8a9b-00000000000a
UUID_B=7a1b2c3d-0002-4e5f-8a9b-00000000000b
UUID_X=7a1b2c3d-0003-4e5f-8a9b-0000000000ff # no domain
BPFNET_BTF=$(lab_btf_dir)
export BPFNET_BTF
lab_nested_require
modprobe sch_netem 2>/dev/null || lab_skip "no sch_netem"
lab_tool_workdir
work=$LAB_TOOL_WORK
LAB_NESTED_MEM=128
unset BPFNET_LIBVIRT_RUN # the tools read the daemon's /run/libvirt/qemu
lab_libvirt_start # answers while the taps and OVS are set up

# --- the hosts: taps tap0 (A) and tap1 (B), C behind tap9, all in br0 (ovs-vswitchd).
lab_nested_use 1
lab_nested_tap --bridged
B_IP=$LAB_NESTED_GUEST_IP B_MAC=$LAB_NESTED_MAC
lab_nested_use 0
lab_nested_tap --bridged
A_IP=$LAB_NESTED_GUEST_IP A_MAC=$LAB_NESTED_MAC
lab_ovs_vswitchd_start "$work/ovs"
lab_netns_attach vmc "$C_IP/24" tap9
C_MAC=$(ip -n vmc -br link show eth0 | awk '{ print $3 }')
ip -n vmc neigh replace "$DST" lladdr "$B_MAC" dev eth0 nud permanent
lab_ovs_bridge_add br0 tap0 tap1 tap9
ovs-vsctl set Open_vSwitch . other_config:max-idle=600000
printf '%s\n' "in_port=tap0,actions=output:tap1" "in_port=tap9,actions=output:tap1" \
    "in_port=tap1,actions=output:tap0" | ovs-ofctl add-flows br0 - || lab_fail "ovs-ofctl add-flows failed"

# A's job: one phase of traffic per go.N file (the phase's base port in it). No process per
# packet or pause (an exec from the shared root takes seconds in the nested guest): bash's
# /dev/udp, and ticks of 0.2 s timed out by read on a pipe that never has data (a coproc).
# One tick each: a STEADY datagram; GAP and OTHER at ticks 0-2 and P+2..P+4 (P = PAUSE in
# ticks: the pause, which A times with bash's clock: pause.N has it and the longest tick in
# us, and A's TCP segments); a LAT datagram from a new socket at the odd ticks 1-11; a TCP SYN at
# ticks 13, 15, 17.
# The TCP segments this guest sent (/proc/net/snmp: OutSegs + RetransSegs) into SEGS, in bash.
# shellcheck disable=SC2016,SC2329 # runs in the nested guest
tcp_segs() {
    local -a f names=()
    local i
    SEGS=0
    while read -r -a f; do
        [[ ${f[0]} == Tcp: ]] || continue
        if [[ ${f[1]} == RtoAlgorithm ]]; then
            names=("${f[@]}")
        else
            for i in "${!names[@]}"; do
                [[ ${names[i]} == OutSegs || ${names[i]} == RetransSegs ]] && SEGS=$((SEGS + f[i]))
            done
        fi
    done </proc/net/snmp
}
# shellcheck disable=SC2016,SC2329 # runs in the nested guest
phase_traffic() { # DST B_IP BASE PAUSE_FILE
    local dst=$1 b=$2 lat=$3 t p=$((PAUSE * 5)) sent=0 before after now prev=${EPOCHREALTIME/./} tick=0
    tcp_segs
    local segs0=$SEGS
    exec 3>"/dev/udp/$dst/$(($3 + 1))" 4>"/dev/udp/$dst/$(($3 + 3))" 5>"/dev/udp/$dst/$(($3 + 2))"
    for ((t = 0; t < p + 5; t++)); do
        printf s >&5
        if ((t < 3 || t >= p + 2)); then
            printf g >&3
            printf o >&4
            ((t == 2)) && before=${EPOCHREALTIME/./}
            ((t == p + 2)) && after=${EPOCHREALTIME/./}
        fi
        if ((t % 2 == 1 && sent < NLAT)); then
            printf l >"/dev/udp/$dst/$lat"
            sent=$((sent + 1))
        elif ((t % 2 == 1 && sent < NLAT + NTCP)); then
            true <>"/dev/tcp/$b/$lat" && echo "TCP port $lat of $b accepted"
            sent=$((sent + 1))
        fi
        read -r -t 0.2 -u "${TICK[0]}" && echo "the tick pipe had data"
        now=${EPOCHREALTIME/./}
        ((now - prev > tick)) && tick=$((now - prev))
        prev=$now
    done 2>/dev/null
    exec 3>&- 4>&- 5>&-
    tcp_segs
    echo "$((after - before)) $tick $((SEGS - segs0))" >"$4"
    ((sent == NLAT + NTCP)) || echo "sent $sent of $((NLAT + NTCP)) LAT datagrams and SYNs"
}
# shellcheck disable=SC2016,SC2329 # runs in the nested guest
sender() {
    local n=1 base
    coproc TICK { read -r; }
    while [[ ! -e $LAB_IO/stop ]]; do
        if [[ -e $LAB_IO/go.$n ]]; then
            read -r base <"$LAB_IO/go.$n"
            phase_traffic "$DST" "$B_IP" "$base" "$LAB_IO/pause.$n" >"$LAB_IO/sent.$n.log"
            : >"$LAB_IO/sent.$n"
            n=$((n + 1))
        else
            read -r -t 0.2 -u "${TICK[0]}"
        fi
    done
}
lab_nested_start --libvirt vma "$UUID_A" --root "$(declare -f tcp_segs phase_traffic sender)
PAUSE=$PAUSE NLAT=$NLAT NTCP=$NTCP DST=$DST B_IP=$B_IP
ip neigh replace $DST lladdr $B_MAC dev eth0 nud permanent
ip neigh replace $B_IP lladdr $B_MAC dev eth0 nud permanent
ping -n -q -c 1 -W 1 $DST >/dev/null # the datapath's flow from tap0, before the tools
: >\"\$LAB_IO/warm\"
sender"
A_DIR=$LAB_NESTED_DIR
lab_nested_use 1
lab_nested_start --libvirt vmb "$UUID_B" "arp -i eth0 -s $A_IP $A_MAC
$(lab_nested_serve)"
B_DIR=$LAB_NESTED_DIR
# libvirt gives a tap it connects a root qdisc of its own (noqueue):
# the netem delay comes after virsh start.
lab_log "tap1's qdisc as libvirt left it: $(tc qdisc show dev tap1)"
tc qdisc replace dev tap1 root netem delay "${D1}ms"
lab_nested_ready 150 || lab_fail "nested guest B did not come up (console: $B_DIR/console.log)"
lab_nested_use 0
lab_nested_ready 150 || lab_fail "nested guest A did not come up (console: $A_DIR/console.log)"
lab_log "nested guests up after $(lab_elapsed)"

lab_udp_send vmc "$DST" 6399 1 # the datapath's flow from tap9
# A's ping has left tap1 (netem) before the tools start.
lab_wait_for 60 test -e "$A_DIR/io/warm" || lab_fail "guest A did not send its first ping"
sleep $(((D1 + 999) / 1000))
# --- the domains are libvirt's: running, their QEMU the one libvirt records and talks to.
expect_str() { # ACTUAL EXPECTED WHAT
    [[ $1 == "$2" ]] || lab_fail "$3: '$1', expected '$2'"
    lab_ok "$3: $1"
}
for dom in "vma $UUID_A tap0" "vmb $UUID_B tap1"; do
    read -r name uuid tap <<<"$dom"
    expect_str "$(lab_virsh domstate "$name")" running "virsh domstate $name"
    pid=$(lab_libvirt_domain_pid "$name") || lab_fail "no PID file of $name"
    expect_str "$(sed -n "s/^<domstatus state='running' reason='[a-z]*' pid='\([0-9]*\)'>$/\1/p" "/run/libvirt/qemu/$name.xml")" "$pid" \
        "$name: libvirt's live XML has the PID of its PID file"
    qcmd=$(tr '\0' ' ' <"/proc/$pid/cmdline")
    lab_log "$name: QEMU PID $pid (parent $(awk '/^PPid:/ { print $2 }' "/proc/$pid/status"): libvirt daemonizes QEMU), libvirtd PID $LAB_LIBVIRT_PID"
    [[ $qcmd == *qemu-system-x86_64\ -name\ guest=$name,* && $qcmd == *" -uuid $uuid "* ]] ||
        lab_fail "$name: PID $pid is not its QEMU: $qcmd"
    [[ $qcmd =~ \"type\":\"tap\",\"fd\":\"[0-9]+\",\"vhost\":true,\"vhostfd\" ]] ||
        lab_fail "$name: QEMU did not get its tap and vhost-net from libvirt as descriptors: $qcmd"
    expect_str "$(lab_virsh qemu-monitor-command "$name" '{"execute":"query-status"}' | jq -r .return.status)" running \
        "$name: libvirt's QMP monitor of it"
    lab_expect "$(grep -c "<target dev='$tap' managed='no'/>" "/run/libvirt/qemu/$name.xml")" -eq 1 "$name: its tap in libvirt's live XML"
done
lab_ok "vma and vmb are libvirt domains (virsh domstate running, QEMU as libvirt recorded it)"
printf '# VM pairs\n\ntap9 lo\n%s %s\n' "$UUID_A" "$UUID_B" >"$work/vm_pairs.txt"
# An unknown UUID: one error naming it, before anything is attached.
printf '%s %s\n%s %s\n' "$UUID_A" "$UUID_B" "$UUID_A" "$UUID_X" >"$work/vm_pairs_x.txt"
for tool in multi_vm_pair_latency_pairid multi_vm_pair_multi_port_gap; do
    rc=0
    "$BPFNET_BIN/$tool" --config "$work/vm_pairs_x.txt" --ports 6300 >"$work/$tool.x.out" 2>"$work/$tool.x.err" || rc=$?
    lab_expect "$rc" -eq 1 "$tool --config with an unknown UUID: exit status"
    lab_expect "$(wc -l <"$work/$tool.x.err")" -eq 1 "$tool, unknown UUID: one line on stderr ($(cat "$work/$tool.x.err"))"
    lab_expect "$(grep -cxF "Error: $work/vm_pairs_x.txt line 2: domain $UUID_X is not a running libvirt domain (no live XML in /run/libvirt/qemu)" \
        "$work/$tool.x.err")" -eq 1 "$tool, unknown UUID: the error names it"
done

# --- the six tools, started at once.
lat_ports=() gap_ports=() gs_ports=()
for base in "${BASES[@]}"; do
    lat_ports+=("$base") gap_ports+=($((base + 1))) gs_ports+=($((base + 1)) $((base + 2)))
done
declare -A PIDS=()
start() { # NAME TOOL ARGS...
    local name=$1 tool=$2
    shift 2
    : >"$work/$name.ready"
    "$BPFNET_BIN/$tool" --ready-file "$work/$name.ready" "$@" >"$work/$name" 2>"$work/$name.err" &
    PIDS[$name]=$!
    lab_on_exit "kill -INT $!"
}
all_ready() {
    local name
    for name in "${!PIDS[@]}"; do
        [[ -s $work/$name.ready ]] && continue
        kill -0 "${PIDS[$name]}" 2>/dev/null || lab_fail "$name exited before attaching: $(cat "$work/$name" "$work/$name.err")"
        return 1
    done
}
t0=$SECONDS
start vpl vm_pair_latency --send-dev tap0 --recv-dev tap1 --ports "${lat_ports[@]}"
start mvl multi_vm_pair_latency --send-dev tap0,tap9 --recv-dev tap1 --ports "${lat_ports[@]}" --json
start mvpp multi_vm_pair_latency_pairid --config "$work/vm_pairs.txt" --ports "${lat_ports[@]}"
start vpg vm_pair_gap --send-dev tap0 --recv-dev tap1 --ports "${gap_ports[@]}" --threshold $((TH * 1000))
start mpg multi_port_gap --send-dev tap0 --recv-dev tap1 --ports "${gs_ports[@]}" --threshold $TH --json
start mvpg multi_vm_pair_multi_port_gap --config "$work/vm_pairs.txt" --ports "${gs_ports[@]}" --threshold $TH
lab_wait_for 240 all_ready || lab_fail "the tools did not attach within $((240 * LAB_SLOWDOWN)) s"
lab_log "six tools attached in $((SECONDS - t0)) s"
for pid in "${PIDS[@]}"; do
    # shellcheck disable=SC2207
    LAB_TOOL_HELD+=($(awk '/^prog_id:/ { print "prog:" $2 } /^link_id:/ { print "link:" $2 }' \
        /proc/"$pid"/fdinfo/* 2>/dev/null || true))
done

# The scenario's own measure of the latencies: the datagrams to the LAT ports received on
# tap0 and tap9, sent on tap1 (the taps stay when they move to the Linux bridge).
cap_pids=()
for cap in tap0:in tap9:in tap1:out; do
    tcpdump -i "${cap%:*}" -Q "${cap#*:}" -tt -n -v -l -U "udp and (dst port ${BASES[0]} or dst port ${BASES[1]})" \
        >"$work/cap.${cap%:*}" 2>"$work/cap.${cap%:*}.err" &
    cap_pids+=($!)
    lab_on_exit "kill -INT $!"
done
for cap in tap0 tap9 tap1; do
    lab_wait_for 30 grep -q '^tcpdump: listening on' "$work/cap.$cap.err" ||
        lab_fail "tcpdump on $cap did not start: $(cat "$work/cap.$cap.err")"
done

# phase N BASE DELAY_MS: A's traffic and C's, then the netem delay for the last packets.
phase() {
    local n=$1 base=$2 delay=$3
    echo "$base" >"$A_DIR/io/go.$n"
    lab_udp_send vmc "$DST" "$base" "$NC"
    lab_wait_for 60 test -e "$A_DIR/io/sent.$n" || lab_fail "guest A did not send phase $n"
    sleep "$(((delay + 999) / 1000)).5"
    [[ -s $A_DIR/io/sent.$n.log ]] && lab_fail "guest A, phase $n: $(cat "$A_DIR/io/sent.$n.log")"
    return 0
}
uptime_s() { awk '{ print $1 }' /proc/uptime; }
phase 1 "${BASES[0]}" $D1
lab_log "phase 1 (OVS) sent after $(lab_elapsed)"

# --- phase 2: the taps move from OVS into a Linux bridge.
switch_at=$(uptime_s)
ovs-vsctl del-port br0 tap0 -- del-port br0 tap1 -- del-port br0 tap9 || lab_fail "ovs-vsctl del-port failed"
ip link add vpbr0 type bridge stp_state 0 mcast_snooping 0 || lab_fail "cannot create the Linux bridge"
lab_on_exit "ip link del vpbr0"
ip link set vpbr0 multicast off up
for dev in tap0 tap1 tap9; do ip link set "$dev" master vpbr0; done
bridge fdb replace "$A_MAC" dev tap0 master static
bridge fdb replace "$B_MAC" dev tap1 master static
bridge fdb replace "$C_MAC" dev tap9 master static
tc qdisc replace dev tap1 root netem delay "${D2}ms"
phase 2 "${BASES[1]}" $D2
lab_log "phase 2 (Linux bridge) sent after $(lab_elapsed)"
tc -s qdisc show dev tap1 | sed 's/^/  tap1 qdisc| /' >&2
for name in "${!PIDS[@]}"; do kill -INT "${PIDS[$name]}"; done
kill -INT "${cap_pids[@]}"
wait "${cap_pids[@]}"
for name in "${!PIDS[@]}"; do
    rc=0
    wait "${PIDS[$name]}" || rc=$?
    ((rc == 0)) || lab_fail "$name exited with status $rc: $(cat "$work/$name.err")"
done
touch "$A_DIR/io/stop" "$B_DIR/io/stop"

# --- checks. phase_of T: 1 or 2 by the switch time.
phase_sel() { awk -v at="$switch_at" -v p="$1" '{ t = $1; sub(":", "", t); if ((t + 0 < at + 0) == (p == 1)) print }'; }
# cap_latencies PORT IN-DEV...: the latencies (us, sorted) tcpdump saw for the datagrams to
# PORT: from their receive on an IN-DEV to their transmit on tap1, matched by IP ID and flow.
cap_latencies() {
    local port=$1 dev
    shift
    for dev in "$@"; do cap_packets <"$work/cap.$dev" | sed 's/^/in /'; done >"$work/cap.in"
    cap_packets <"$work/cap.tap1" | sed 's/^/out /' | cat "$work/cap.in" - | awk -v port="$port" '
        $4 !~ "[.]" port ":$" { next }
        { key = $2 " " $3 " " $4; split($5, t, "."); us = t[1] * 1000000 + t[2] }
        $1 == "in" { rx[key] = us; next }
        key in rx { print us - rx[key] }' | sort -n
}
cap_packets() { # tcpdump -tt -v text -> "ID SRC DST SECONDS.MICROSECONDS"
    awk '/^[0-9]+[.][0-9]+ IP / { t = $1; match($0, /id [0-9]+/); id = substr($0, RSTART + 3, RLENGTH - 3); next }
        t != "" && $2 == ">" { print id, $1, $3, t; t = "" }'
}
# lat_check WHAT PHASE DELAY_MS SENDER-DEVS US...: the latencies none below DELAY and, sorted,
# each within CAP_TOL_MS of tcpdump's for the phase's datagrams from SENDER-DEVS (a
# comma-separated list).
lat_check() {
    local what=$1 p=$2 d=$3 senders=$4 devs sorted cap i diff=0 worst=0
    shift 4
    IFS=, read -ra devs <<<"$senders"
    mapfile -t sorted <<<"$(printf '%s\n' "$@" | sort -n)" # no /dev/fd in the lab guest
    mapfile -t cap <<<"$(cap_latencies "${BASES[p - 1]}" "${devs[@]}")"
    lab_log "$what, phase $p: latencies $* us (netem ${d} ms); tcpdump's: ${cap[*]} us"
    lab_expect_within $((d * 1000)) 99999999 "${sorted[0]}" "$what, phase $p: the smallest latency (us), netem's delay at least"
    lab_expect "${#cap[@]}" -eq $# "$what, phase $p: as many latencies as tcpdump saw datagrams from $senders to tap1"
    for ((i = 0; i < $#; i++)); do
        diff=$((sorted[i] - cap[i]))
        ((diff < 0)) && diff=$((-diff))
        ((diff > worst)) && worst=$diff
    done
    lab_expect "$worst" -le $((CAP_TOL_MS * 1000)) "$what, phase $p: the largest difference to tcpdump's latency (us)"
}
gap_check() { # WHAT PHASE US...: each gap = the pause A measured ± GAP_TOL_MS
    local what=$1 p=$2 us pause tick
    shift 2
    read -r pause tick _ <"$A_DIR/io/pause.$p"
    lab_assert_int "$pause" "the pause A measured in phase $p"
    lab_log "$what, phase $p: gaps $* us (the pause: $pause us as A measured it; its longest tick: $tick us)"
    (($# > 0)) || lab_fail "$what, phase $p: no gap"
    for us in "$@"; do
        lab_expect_within $((pause - GAP_TOL_MS * 1000)) $((pause + GAP_TOL_MS * 1000)) "$us" "$what, phase $p: gap (us)"
    done
}
delays=("" "$D1" "$D2")
TCP_SEGS=(0 0 0)

out=$work/vpl
for p in 1 2; do
    read -ra lat <<<"$(phase_sel $p <"$out" | sed -n 's/.* LATENCY_DBG latency=\([0-9]*\) us$/\1/p' | tr '\n' ' ')"
    lab_expect "${#lat[@]}" -eq $NLAT "vm_pair_latency, phase $p: one latency per datagram A -> B on ${BASES[p - 1]}"
    lat_check vm_pair_latency $p "${delays[p]}" tap0 "${lat[@]}"
    read -r _ _ segs <"$A_DIR/io/pause.$p"
    lab_assert_int "$segs" "A's TCP segments in phase $p"
    lab_expect "$segs" -ge $NTCP "phase $p: A sent a SYN (or more: retransmissions) per connection attempt"
    TCP_SEGS[p]=$segs
    lab_expect "$(phase_sel $p <"$out" | grep -c 'LATENCY_DBG recv: non-UDP protocol 6$')" -eq "$segs" \
        "vm_pair_latency, phase $p: the SYNs at receive from A (TCP) = A's TCP segments"
    lab_expect "$(phase_sel $p <"$out" | grep -c 'LATENCY_DBG xmit: non-UDP protocol 6$')" -eq "$segs" \
        "vm_pair_latency, phase $p: the SYNs at transmit to B (TCP) = A's TCP segments"
done
lab_expect "$(grep -c 'LATENCY_DBG' "$out")" -eq $((2 * NLAT + 2 * (TCP_SEGS[1] + TCP_SEGS[2]))) "vm_pair_latency: no other event (C, OTHER, GAP, STEADY)"
lab_expect "$(grep -c "^Latencies reported: $((2 * NLAT)), flows still waiting for a transmit: 0$" "$out")" -eq 1 \
    "vm_pair_latency: totals"

out=$work/mvl
lab_json_split "$out" multi_vm_pair_latency
read -r a_ok c_ok syn_rx syn_tx other <<<"$(jq -rs --arg a "$A_MAC" --arg b "$B_MAC" --arg c "$C_MAC" \
    --arg aip "$A_IP" --arg cip "$C_IP" --arg dst "$DST" --argjson p1 "${BASES[0]}" --argjson p2 "${BASES[1]}" '
    map(select(.event == "latency" and .dst_mac == $b and .dst_ip == $dst and .recv_dev == "tap1"
        and (.dst_port == $p1 or .dst_port == $p2))) as $ok
    | map(select(.event == "non_udp" and .ip_protocol == 6)) as $syn
    | [($ok | map(select(.src_mac == $a and .src_ip == $aip and .send_dev == "tap0")) | length),
       ($ok | map(select(.src_mac == $c and .src_ip == $cip and .send_dev == "tap9")) | length),
       ($syn | map(select(.at == "recv" and .dev == "tap0")) | length),
       ($syn | map(select(.at == "xmit" and .dev == "tap1")) | length),
       (length - ($ok | length) - ($syn | length))] | @tsv' "$out.events")"
lab_expect "$a_ok" -eq $((2 * NLAT)) "multi_vm_pair_latency: A -> B latencies with A's and B's MACs, tap0 -> tap1"
lab_expect "$c_ok" -eq $((2 * NC)) "multi_vm_pair_latency: C -> B latencies (tap9 is listed) with C's MAC"
lab_expect "$syn_rx" -eq $((TCP_SEGS[1] + TCP_SEGS[2])) "multi_vm_pair_latency: the SYNs at receive from A (non_udp, 6)"
lab_expect "$syn_tx" -eq $((TCP_SEGS[1] + TCP_SEGS[2])) "multi_vm_pair_latency: the SYNs at transmit to B (non_udp, 6)"
lab_expect "$other" -eq 0 "multi_vm_pair_latency: no other event"
for p in 1 2; do
    read -ra lat <<<"$(jq -r 'select(.event == "latency") | "\(.ktime_ns / 1e9) \(.latency_us)"' "$out.events" | phase_sel $p | awk '{ print $2 }' | tr '\n' ' ')"
    lab_expect "${#lat[@]}" -eq $((NLAT + NC)) "multi_vm_pair_latency, phase $p: latencies"
    lat_check multi_vm_pair_latency $p "${delays[p]}" tap0,tap9 "${lat[@]}"
done
lab_expect "$(lab_json_final_jq "$out" '[.latencies, .flows_waiting, .lost_events] | @tsv' -r | tr '\t' ' ' |
    grep -c "^$((2 * (NLAT + NC))) 0 0$")" -eq 1 "multi_vm_pair_latency: totals"

out=$work/mvpp
lab_expect "$(grep -cE '^Mapping (recv|send) dev=(tap9|lo) \(.*\) -> pair_id=1$' "$out")" -eq 4 "pairid: config pair 1 (tap9, lo) on both sides"
lab_expect "$(grep -cE '^Mapping (recv|send) dev=tap[01] \(ifindex=[0-9]+\) -> pair_id=2$' "$out")" -eq 4 \
    "pairid: config pair 2 (the UUIDs of A and B: tap0, tap1) on both sides"
for p in 1 2; do
    read -ra lat <<<"$(phase_sel $p <"$out" | sed -n 's/^[0-9.]*: PAIR_LAT pair_id=2 lat=\([0-9]*\) us$/\1/p' | tr '\n' ' ')"
    lab_expect "${#lat[@]}" -eq $NLAT "pairid, phase $p: pair 2's latencies (A -> B)"
    lat_check pairid $p "${delays[p]}" tap0 "${lat[@]}"
done
lab_expect "$(grep -c ': PAIR_LAT ' "$out")" -eq $((2 * NLAT)) "pairid: no other latency (pair 1: C's datagrams end on pair 2's tap1)"
lab_expect "$(grep -c "^Latencies reported: $((2 * NLAT)), flows still waiting for a transmit: $((2 * NC))$" "$out")" -eq 1 \
    "pairid: totals (C's datagrams wait)"

# text_gaps WHAT FILE RECV SEND ANY US TOTALS: a text layout's gaps, per phase the pause once at
# receive from A (ERE RECV) and at transmit to B (SEND; PORT in both: the phase's GAP port),
# their lengths (sed script US), no other line matching ANY, the totals line TOTALS.
text_gaps() {
    local what=$1 out=$2 recv=$3 send=$4 any=$5 us=$6 totals=$7 p port
    for p in 1 2; do
        port=$((BASES[p - 1] + 1))
        lab_expect "$(phase_sel $p <"$out" | grep -cE "${recv//PORT/$port}")" -eq 1 "$what, phase $p: the pause at receive from A"
        lab_expect "$(phase_sel $p <"$out" | grep -cE "${send//PORT/$port}")" -eq 1 "$what, phase $p: the pause at transmit to B"
        # shellcheck disable=SC2046
        gap_check "$what" $p $(phase_sel $p <"$out" | sed -n "$us")
    done
    lab_expect "$(grep -c "$any" "$out")" -eq 4 "$what: no other gap"
    lab_expect "$(grep -c "^$totals$" "$out")" -eq 1 "$what: totals"
}
text_gaps vm_pair_gap "$work/vpg" "^[0-9]+\.[0-9]{9} +RCV GAP: [0-9]+ us, flow = $A_IP -> $DST$" \
    "^[0-9]+\.[0-9]{9} +SND GAP: [0-9]+ us, flow = $A_IP -> $DST$" 'GAP:' 's/.* GAP: \([0-9]*\) us.*/\1/p' \
    'Gaps reported: 4, flows tracked: 4'

out=$work/mpg
lab_json_split "$out" multi_port_gap
lab_expect "$(jq -c '[.at, .dev, .src_ip, .dst_ip, .dst_port]' "$out.events" | sort | tr '\n' ' ' |
    grep -c "^\[\"recv\",\"tap0\",\"$A_IP\",\"$DST\",$((BASES[0] + 1))\] \[\"recv\",\"tap0\",\"$A_IP\",\"$DST\",$((BASES[1] + 1))\] \[\"xmit\",\"tap1\",\"$A_IP\",\"$DST\",$((BASES[0] + 1))\] \[\"xmit\",\"tap1\",\"$A_IP\",\"$DST\",$((BASES[1] + 1))\] $")" \
    -eq 1 "multi_port_gap: the pause of each phase once per side, nothing else"
for p in 1 2; do
    # shellcheck disable=SC2046
    gap_check multi_port_gap $p $(jq -r '"\(.ktime_ns / 1e9) \(.gap_us)"' "$out.events" | phase_sel $p | awk '{ print $2 }')
done
# tracked: GAP and STEADY of both phases, at tap0 and tap1.
lab_expect "$(lab_json_final_jq "$out" '[.gaps, .flows_tracked, .lost_events] | @tsv' -r | tr '\t' ' ' |
    grep -c '^4 8 0$')" -eq 1 "multi_port_gap: totals"

out=$work/mvpg
lab_expect "$(grep -cE '^Added (send|recv)-dev: tap[01] \(ifindex=[0-9]+\)$' "$out")" -eq 4 "multi_vm_pair_multi_port_gap: the UUIDs' taps on both sides"
text_gaps multi_vm_pair_multi_port_gap "$out" "^[0-9]+\.[0-9]{9} +RECV gap>${TH}000us: gap=[0-9]+ us, port=PORT, dev_name=tap0$" \
    "^[0-9]+\.[0-9]{9} +SEND gap>${TH}000us: gap=[0-9]+ us, port=PORT, dev_name=tap1$" 'gap>' 's/.* gap=\([0-9]*\) us.*/\1/p' \
    'Gaps reported: 4, flows tracked: 8'

for name in "${!PIDS[@]}"; do
    lab_expect "$(grep -c '^Lost events: 0$\|"lost_events":0' "$work/$name")" -eq 1 "$name: no lost events"
done
lab_tool_no_leftovers
lab_log "done after $(lab_elapsed)"
