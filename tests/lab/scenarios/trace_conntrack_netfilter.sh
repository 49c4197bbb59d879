#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# shellcheck source-path=SCRIPTDIR
# lab-options: --timeout 360
# trace_conntrack on flows that nf_conntrack tracks: an iptables conntrack rule in namespace
# ctb makes the kernel track every packet that enters or leaves it. Echo servers in ctb answer
# UDP (7001, 7004) and TCP (7002) from cta.
#
# Run 1 (JSON, --src-ip/--dst-ip/--protocol udp/--dst-port 7001): one UDP flow of 5
# request/reply pairs creates an entry and refreshes it; the entry times out (2 s UDP timeouts
# in ctb) and the flow's next datagram makes the kernel delete it and create a new one.
# Asserted: 12 nf_conntrack_in and 12 __nf_ct_refresh_acct events (6 requests, 6 replies), 2
# with IP_CT_NEW (the two entries' first packets, not yet CONFIRMED), 6 IP_CT_ESTABLISHED_REPLY,
# one nf_ct_delete of the flow's tuple between the two creations, and nothing of the other
# traffic (UDP 7004, TCP 7002, ping) that ran at the same time.
# Run 2 (text, --filters-file with a TCP and a UDP rule, --rel-time, --stack false; stopping by
# --duration is trace_conntrack_ovs's first run): both rules' flows are shown, the UDP 7001 flow and ping are not; the TCP
# handshake's SYN is IP_CT_NEW at nf_conntrack_tcp_packet and its SYN-ACK the reply.
set -euo pipefail
source "$(dirname "$0")/../lib/netns.sh"
source "$(dirname "$0")/../lib/tool.sh"

PY=/usr/bin/python3
lab_require_cmd iptables iptables
lab_tool_workdir
WORK=$LAB_TOOL_WORK

# 0. Without the nf_conntrack module the tool names it.
if [[ ! -e /sys/module/nf_conntrack ]]; then
    status=0
    err=$("$BPFNET_BIN/trace_conntrack" 2>&1 >/dev/null) || status=$?
    lab_expect "$status" -eq 1 "exit status without nf_conntrack"
    grep -q "^Error: kernel module nf_conntrack is not loaded" <<<"$err" ||
        lab_fail "no clear error without nf_conntrack: $err"
    lab_ok "without nf_conntrack: $err"
fi

lab_netns_pair cta ctb 10.61.0.1 10.61.0.2
lab_nsexec ctb iptables -A INPUT -m conntrack --ctstate NEW,ESTABLISHED,RELATED -j ACCEPT ||
    lab_fail "iptables conntrack rule in ctb failed"
udp_timeouts() {
    lab_nsexec ctb sysctl -qw net.netfilter.nf_conntrack_udp_timeout="$1" \
        net.netfilter.nf_conntrack_udp_timeout_stream="$1"
}
udp_timeouts 2
lab_ping cta 10.61.0.2 1 >/dev/null || lab_fail "no connectivity cta -> ctb"

# Echo servers in ctb: UDP 7001 and 7004, TCP 7002.
cat >"$WORK/echo.py" <<'EOF'
import selectors, socket, sys
sel = selectors.DefaultSelector()
for port in (7001, 7004):
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind(("10.61.0.2", port))
    sel.register(u, selectors.EVENT_READ, "udp")
t = socket.socket()
t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
t.bind(("10.61.0.2", 7002))
t.listen()
sel.register(t, selectors.EVENT_READ, "listen")
open(sys.argv[1], "w").write("ready\n")
while True:
    for key, _ in sel.select():
        s = key.fileobj
        if key.data == "udp":
            data, peer = s.recvfrom(2048)
            s.sendto(data, peer)
        elif key.data == "listen":
            c, _ = s.accept()
            sel.register(c, selectors.EVENT_READ, "tcp")
        else:
            data = s.recv(2048)
            if data:
                s.sendall(data)
            else:
                sel.unregister(s)
                s.close()
EOF
lab_nsexec ctb "$PY" "$WORK/echo.py" "$WORK/echo.ready" &
lab_on_exit "kill $! 2>/dev/null"
lab_wait_for 20 test -s "$WORK/echo.ready" || lab_fail "echo server did not start in ctb"

# udp_flow SPORT DPORT COUNT: COUNT datagrams from one socket, each answered before the next.
udp_flow() {
    lab_nsexec cta "$PY" - "$@" <<'EOF' || lab_fail "UDP flow $* got no echo"
import socket, sys
sport, dport, count = (int(a) for a in sys.argv[1:4])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.61.0.1", sport))
s.settimeout(5)
for i in range(count):
    s.sendto(b"ping %d" % i, ("10.61.0.2", dport))
    s.recvfrom(2048)
EOF
}

# tcp_exchange PORT: one connection that sends a line, reads the echo and closes.
tcp_exchange() {
    lab_nsexec cta "$PY" - "$1" <<'EOF' || lab_fail "TCP exchange on port $1 failed"
import socket, sys
s = socket.create_connection(("10.61.0.2", int(sys.argv[1])), timeout=5)
s.sendall(b"hello\n")
assert s.recv(100) == b"hello\n"
s.close()
EOF
}

# ---- Run 1: one UDP flow, JSON ----
OUT1=$WORK/run1.json
lab_tool_start "$OUT1" trace_conntrack --src-ip 10.61.0.1 --dst-ip 10.61.0.2 --protocol udp --dst-port 7001 --json
udp_flow 40001 7001 5
udp_flow 40003 7004 3          # other port: not shown
tcp_exchange 7002              # other protocol: not shown
lab_ping cta 10.61.0.2 2 >/dev/null
sleep 3                        # the entry expires (2 s)
udp_timeouts 30                # the new entry must outlive the test
udp_flow 40001 7001 1          # finds the expired entry: deleted, then created again
lab_tool_stop                  # the flow's last packet, the reply, has reached its socket
[[ -s $OUT1.err ]] && lab_log "run 1 stderr: $(cat "$OUT1.err")"
lab_json_check "$OUT1" "run 1"

count() { lab_json_count "$OUT1" "$1"; }
lab_log "run 1: $(jq -r .func "$OUT1" | sort | uniq -c | tr -s ' \n' ' ')"
lab_expect "$(count '.func == "nf_conntrack_in"')" -eq 12 "nf_conntrack_in events (6 requests + 6 replies)"
lab_expect "$(count '.func == "__nf_ct_refresh_acct"')" -eq 12 "__nf_ct_refresh_acct events (one per packet)"
lab_expect "$(count '.func == "__nf_ct_refresh_acct" and .ct.ctinfo == 2')" -eq 2 \
    "refreshes with IP_CT_NEW (two entries created)"
lab_expect "$(count '.func == "__nf_ct_refresh_acct" and .ct.ctinfo == 2 and (.ct.status_flags | test("CONFIRMED") | not)')" -eq 2 \
    "new entries are not CONFIRMED yet"
lab_expect "$(count '.func == "__nf_ct_refresh_acct" and .ct.ctinfo == 3')" -eq 6 "refreshes by replies (IP_CT_ESTABLISHED_REPLY)"
lab_expect "$(count '.func == "__nf_ct_refresh_acct" and .ct.ctinfo == 0')" -eq 4 "refreshes by later requests (IP_CT_ESTABLISHED)"
lab_expect "$(count '.func == "nf_ct_delete"')" -eq 1 "nf_ct_delete events (the expired entry)"
lab_expect "$(count '.func == "nf_ct_delete" and .packet.source == "conntrack" and .packet.src_ip == "10.61.0.1" and .packet.src_port == 40001 and .packet.dst_ip == "10.61.0.2" and .packet.dst_port == 7001 and (.ct.status_flags | test("SEEN_REPLY"))')" -eq 1 \
    "the deleted entry is the flow's, with SEEN_REPLY"
lab_expect "$(count '.func == "nf_conntrack_in" and .ct.unavailable == "_nfct=0" and (.stack[0] | startswith("nf_conntrack_in+"))')" -eq 12 \
    "nf_conntrack_in sees packets before conntrack attaches an entry, stack starts in nf_conntrack_in"
# An fentry program's stack starts in the traced function as a kprobe's, not in BPF frames.
lab_expect "$(count '.func == "__nf_ct_refresh_acct" and (.stack[0] | startswith("__nf_ct_refresh_acct+"))')" -eq 12 \
    "__nf_ct_refresh_acct stacks that start in __nf_ct_refresh_acct"
lab_expect "$(count '.packet == null or .packet.protocol != 17 or ([.packet.src_port, .packet.dst_port] | sort) != [7001, 40001]')" -eq 0 \
    "events of other traffic (UDP 7004, TCP 7002, ICMP)"
lab_expect "$(count '.ct.status != null and (.ct.zone_id != 0 or .ct.zone_dir != 3)')" -eq 0 \
    "every entry in the default zone, both directions"
# The recreated entry's first packet comes after the deletion of the old one.
order=$(jq -s '[.[] | select(.func == "nf_ct_delete")][0].ktime_ns <
    ([.[] | select(.func == "__nf_ct_refresh_acct" and .ct.ctinfo == 2)] | max_by(.ktime_ns).ktime_ns)' "$OUT1")
[[ $order == true ]] || lab_fail "the second creation does not follow the deletion"
lab_ok "entry deleted, then created again"

# ---- Run 2: filters file, text, TCP and UDP ----
cat >"$WORK/rules.json" <<'EOF'
[
    {"src_ip": "10.61.0.1", "dst_ip": "10.61.0.2", "protocol": "tcp", "dst_port": 7002},
    {"src_ip": "10.61.0.1", "protocol": "udp", "dst_port": 7004}
]
EOF
OUT2=$WORK/run2.txt
lab_tool_start "$OUT2" trace_conntrack --filters-file "$WORK/rules.json" --rel-time --stack false
tcp_exchange 7002
udp_flow 40004 7004 3
udp_flow 40005 7001 2          # matches no rule
lab_ping cta 10.61.0.2 2 >/dev/null
lab_tool_stop                  # every packet was answered: its events are in
[[ -s $OUT2.err ]] && lab_log "run 2 stderr: $(cat "$OUT2.err")"

grep -qx "Added filter rule: {'src_ip': '10.61.0.1', 'dst_ip': '10.61.0.2', 'protocol': 'tcp', 'dst_port': 7002}" "$OUT2" ||
    lab_fail "run 2: the first rule is not echoed"
lab_expect "$(grep -c '^Added filter rule: ' "$OUT2")" -eq 2 "rules echoed"
# fentry programs (BPF trampolines) where nf_conntrack has BTF of its own (5.11+), else kprobes.
E=fentry
[[ $(uname -r) == 5.10.* ]] && E=kprobe
for line in "Using nf_conntrack_tcp_packet (kernel 5.4+ style)" "Attached $E to nf_conntrack_in" \
    "Attached $E to nf_conntrack_tcp_packet" "Attached $E to nf_ct_delete" \
    "OVS probes (__ovs_ct_lookup, ovs_ct_update_key, ovs_ct_execute): not attached, the openvswitch module is not loaded" \
    "Detaching probes and exiting..."; do
    grep -qF "$line" "$OUT2" || lab_fail "run 2: no line '$line'"
done
grep -q "^Attached $E to __nf_ct_refresh_acct" "$OUT2" || lab_fail "run 2: refresh probe not attached"
lab_expect "$(grep -c '^TIME(s): ' "$OUT2")" -gt 0 "events with relative time"
lab_expect "$(grep -c '^DATETIME: ' "$OUT2")" -eq 0 "events with absolute time"
lab_expect "$(awk '/^Tracing skb/ { t = 1 } t && /^  / { n++ } END { print n + 0 }' "$OUT2")" -eq 0 \
    "stack lines with --stack false"
lab_expect "$(grep '^PKTINFO: ' "$OUT2" | grep -cE ':7001 |:7001$|\(ICMP\)')" -eq 0 "events of UDP 7001 or ICMP"

# One line per event: FUNC, PKTINFO and SKB_CT_INFO joined.
awk '/^TIME\(s\): / { f = $0; sub(/.* FUNC: /, "", f); sub(/ .*/, "", f) }
     /^PKTINFO: / { p = $0 }
     /^SKB_CT_INFO: / { print f " | " p " | " $0 }' "$OUT2" >"$WORK/run2.events"
lab_log "run 2: $(cut -d'|' -f1 "$WORK/run2.events" | sort | uniq -c | tr -s ' \n' ' ')"
tcp_in=$(grep -c '^nf_conntrack_in | .*(TCP)' "$WORK/run2.events" || true)
tcp_tracker=$(grep -c '^nf_conntrack_tcp_packet | .*(TCP)' "$WORK/run2.events" || true)
lab_expect "$tcp_in" -ge 6 "TCP packets at nf_conntrack_in (handshake, data, echo, close)"
lab_expect "$tcp_tracker" -eq "$tcp_in" "every TCP packet reaches the TCP tracker"
lab_expect "$(grep -c '^nf_conntrack_tcp_packet | PKTINFO: 10.61.0.1:[0-9]* -> 10.61.0.2:7002 (TCP) .* FLAGS:\[SYN\] .*CTINFO:2(IP_CT_NEW)' "$WORK/run2.events" || true)" -eq 1 \
    "the SYN creates the entry (IP_CT_NEW)"
lab_expect "$(grep -c '^nf_conntrack_tcp_packet | PKTINFO: 10.61.0.2:7002 -> 10.61.0.1:[0-9]* (TCP) .* FLAGS:\[SYN|ACK\] .*CTINFO:3(IP_CT_ESTABLISHED_REPLY)' "$WORK/run2.events" || true)" -eq 1 \
    "the SYN-ACK is the reply"
lab_expect "$(grep -c '^nf_conntrack_in | PKTINFO: 10.61.0.[12]:\(40004\|7004\) -> .*(UDP)' "$WORK/run2.events" || true)" -eq 6 \
    "UDP 7004 packets at nf_conntrack_in (3 requests, 3 replies)"

lab_tool_no_leftovers
lab_log "passed in $(lab_elapsed)"
