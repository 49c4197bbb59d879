#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# shellcheck source-path=SCRIPTDIR
# lab-options: --timeout 360
# trace_ip_defrag on real IPv4 reassembly in namespace dfb (MTU 1000 between dfa and dfb):
#   1. three 4000-byte UDP datagrams, fragmented by dfa's kernel into 5 fragments each
#      (offsets 0, 976, 1952, 2928, 3904): 15 ip_defrag events, 3 REASSEMBLED of 4028 bytes;
#   2. fragments crafted with a raw socket: a datagram whose middle fragment arrives twice
#      (one DUP_INSERT, then REASSEMBLED), one with overlapping fragments (OVERLAP_INSERT, the
#      queue is dropped), one with two different last fragments (DEFRAG_FAIL -EINVAL);
#   3. a tc filter in dfb drops every fragment at offset 976 and ipfrag_time is 2 s: the next
#      datagram's queue times out (TIMEOUT: 3032 of 4008 bytes, first and last fragments in).
# Filters --src-ip 10.63.0.1 --dst-ip 10.63.0.2 --protocol udp (network byte order, the fix):
# fragmented pings and fragmented UDP from dfb to dfa run at the same time and must not show.
# The same run writes --log-file; a second, JSON run (legacy perf-buffer object, kprobe on
# __kfree_skb instead of the skb tracepoints) checks one datagram again.
set -euo pipefail
source "$(dirname "$0")/../lib/netns.sh"
source "$(dirname "$0")/../lib/tool.sh"

PY=/usr/bin/python3
lab_require_cmd tc iproute2
lab_tool_workdir
WORK=$LAB_TOOL_WORK

lab_netns_pair dfa dfb 10.63.0.1 10.63.0.2
ip -n dfa link set to-dfb mtu 1000
ip -n dfb link set to-dfa mtu 1000
lab_nsexec dfb sysctl -qw net.ipv4.ipfrag_time=2
lab_ping dfa 10.63.0.2 1 >/dev/null || lab_fail "no connectivity dfa -> dfb"

# Receivers: dfb counts datagrams per UDP port (7010 crafted, 7011 kernel-fragmented); dfa
# takes the reverse-direction noise on 7012.
cat >"$WORK/sink.py" <<'EOF'
import selectors, socket, sys
addr, ports, out = sys.argv[1], [int(p) for p in sys.argv[2].split(",")], sys.argv[3]
sel = selectors.DefaultSelector()
counts = {}
for p in ports:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((addr, p))
    sel.register(s, selectors.EVENT_READ, p)
    counts[p] = 0
open(out + ".ready", "w").write("ready\n")
while True:
    for key, _ in sel.select():
        key.fileobj.recv(65535)
        counts[key.data] += 1
        open(out, "w").write(" ".join("%d:%d" % (p, counts[p]) for p in ports) + "\n")
EOF
lab_nsexec dfb "$PY" "$WORK/sink.py" 10.63.0.2 7010,7011 "$WORK/dfb.count" &
lab_on_exit "kill $! 2>/dev/null"
lab_nsexec dfa "$PY" "$WORK/sink.py" 10.63.0.1 7012 "$WORK/dfa.count" &
lab_on_exit "kill $! 2>/dev/null"
lab_wait_for 20 test -s "$WORK/dfb.count.ready" || lab_fail "receiver did not start in dfb"
lab_wait_for 20 test -s "$WORK/dfa.count.ready" || lab_fail "receiver did not start in dfa"

# big_udp NS SRC DST SPORT DPORT COUNT: COUNT datagrams of 4000 bytes (the kernel fragments them).
big_udp() {
    lab_nsexec "$1" "$PY" - "${@:2}" <<'EOF' || lab_fail "sending big UDP datagrams failed"
import socket, sys, time
src, dst, sport, dport, count = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((src, sport))
for i in range(count):
    s.sendto(bytes([65 + i]) * 4000, (dst, dport))
    time.sleep(0.2)
EOF
}

# Crafted fragments of 2400-byte UDP datagrams (IDs 0x1234-0x1236) from dfa to dfb:7010.
crafted() {
    lab_nsexec dfa "$PY" - <<'EOF' || lab_fail "sending crafted fragments failed"
import socket, struct, time
SRC, DST = "10.63.0.1", "10.63.0.2"
raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
payload = b"z" * 2392
datagram = struct.pack("!HHHH", 40010, 7010, 8 + len(payload), 0) + payload

def frag(ident, offset, more, data):
    flags = (0x2000 if more else 0) | (offset // 8)
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(data), ident, flags, 64, 17, 0,
                      socket.inet_aton(SRC), socket.inet_aton(DST))
    raw.sendto(hdr + data, (DST, 0))
    time.sleep(0.1)

part = lambda a, b: datagram[a:b]
# The middle fragment twice: a duplicate, then the datagram completes.
frag(0x1234, 0, True, part(0, 800))
frag(0x1234, 800, True, part(800, 1600))
frag(0x1234, 800, True, part(800, 1600))
frag(0x1234, 1600, False, part(1600, 2400))
# Overlapping fragments: the queue is discarded.
frag(0x1235, 0, True, part(0, 800))
frag(0x1235, 400, True, part(400, 1200))
# Two last fragments that disagree on the length: the queue is discarded.
frag(0x1236, 800, False, part(800, 1600))
frag(0x1236, 1600, False, part(1600, 2400))
EOF
}

noise() {
    lab_nsexec dfa ping -n -q -c 2 -s 3000 -W 2 10.63.0.2 >/dev/null || lab_fail "fragmented ping failed"
    big_udp dfb 10.63.0.2 10.63.0.1 40013 7012 2
}

OUT=$WORK/defrag.txt
LOG=$WORK/defrag.log
lab_tool_start "$OUT" trace_ip_defrag --src-ip 10.63.0.1 --dst-ip 10.63.0.2 --protocol udp --log-file "$LOG"
big_udp dfa 10.63.0.1 10.63.0.2 40011 7011 3
noise
crafted
lab_nsexec dfb tc qdisc add dev to-dfa clsact
lab_nsexec dfb tc filter add dev to-dfa ingress protocol ip pref 1 u32 \
    match ip protocol 17 0xff match u16 0x007a 0x1fff at 6 action drop ||
    lab_fail "tc filter dropping fragment offset 976 failed"
big_udp dfa 10.63.0.1 10.63.0.2 40012 7011 1
lab_wait_for 20 grep -q '^\[TIMEOUT\]' "$OUT" || lab_fail "no TIMEOUT event within 20 s (ipfrag_time 2 s)"
sleep 1
lab_tool_stop
[[ -s $OUT.err ]] && lab_log "stderr: $(cat "$OUT.err")"
lab_log "events: $(grep -o '^\[[A-Za-z_]*\]' "$OUT" | sort | uniq -c | tr -s ' \n' ' ')"
lab_log "dfb received: $(cat "$WORK/dfb.count"); dfa received: $(cat "$WORK/dfa.count")"

# The entries are fentry programs (BPF trampolines), the returns fexit programs.
grep -q "^Probes: fentry+fexit ip_defrag, fentry+fexit inet_frag_queue_insert, fentry ip_expire, raw_tracepoint skb:kfree_skb + raw_tracepoint skb:consume_skb$" "$OUT" ||
    lab_fail "probe banner: $(grep '^Probes:' "$OUT")"
grep -qx "Logging output to: $LOG" "$OUT" || lab_fail "no 'Logging output to' line"

n() { grep -cE "$1" "$OUT" || true; }
F='10\.63\.0\.1(:[0-9]+)? -> 10\.63\.0\.2(:[0-9]+)? Proto=17'
# 1. kernel-fragmented datagrams: 3 complete + 1 that loses its fragment at 976.
lab_expect "$(n "^\[ip_defrag\] .* $F ")" -eq $((15 + 4 + 8)) "ip_defrag events (15 + 4 kernel fragments, 8 crafted)"
lab_expect "$(n "^\[ip_defrag\]")" -eq $((15 + 4 + 8)) "ip_defrag events in all"
for off in 1952 2928 3904; do
    lab_expect "$(n "^\[ip_defrag\] .* FragOff=$off MF=")" -eq 4 "fragments at offset $off"
done
lab_expect "$(n "^\[ip_defrag\] .* FragOff=0 MF=1$")" -eq $((4 + 2)) "first fragments (4 kernel, 2 crafted)"
lab_expect "$(n '^\[ip_defrag\] .* FragOff=976 MF=1$')" -eq 3 "fragments at offset 976 (one dropped by tc)"
lab_expect "$(n '^\[ip_defrag\] .* 10\.63\.0\.1:40011 -> 10\.63\.0\.2:7011 Proto=17 User=0 ID=[0-9]+ FragOff=0 MF=1$')" -eq 3 \
    "first fragments carry the ports"
lab_expect "$(n '^\[ip_defrag\] .* 10\.63\.0\.1 -> 10\.63\.0\.2 Proto=17 \(L4 hdr\?\) User=0 .* FragOff=3904 MF=0$')" -eq 4 \
    "last fragments: no L4 header, MF=0"
lab_expect "$(n '^\[REASSEMBLED\] .* 10\.63\.0\.1:40011 -> 10\.63\.0\.2:7011 Proto=17 ID=[0-9]+ Len=4028$')" -eq 3 \
    "REASSEMBLED 4028-byte datagrams"
# 2. crafted fragments.
lab_expect "$(n '^\[ip_defrag\] .* ID=466(0|1|2) ')" -eq 8 "crafted fragments entering ip_defrag"
lab_expect "$(n '^\[DUP_INSERT\] .* Queue=\(10\.63\.0\.1->10\.63\.0\.2 ID=4660 Proto=17\) Offset=800 End=1600$')" -eq 1 \
    "the repeated fragment is a DUP_INSERT"
lab_expect "$(n '^\[DUP_INSERT\]')" -eq 1 "DUP_INSERT events"
lab_expect "$(n '^\[REASSEMBLED\] .* 10\.63\.0\.1:40010 -> 10\.63\.0\.2:7010 Proto=17 ID=4660 Len=2420$')" -eq 1 \
    "the datagram with the duplicate is still reassembled"
lab_expect "$(n '^\[OVERLAP_INSERT\] .* Queue=\(10\.63\.0\.1->10\.63\.0\.2 ID=4661 Proto=17\) Offset=400 End=1200 \(queue discarded\)$')" -eq 1 \
    "overlapping fragment"
lab_expect "$(n '^\[DEFRAG_FAIL\] .* ID=4662 FragOff=1600 MF=0 Ret=-22 \(EINVAL\)$')" -eq 1 "inconsistent last fragment"
lab_expect "$(n '^\[DEFRAG_FAIL\]')" -eq 1 "DEFRAG_FAIL events (the duplicate and the overlap are not failures)"
# 3. timeout.
lab_expect "$(n '^\[TIMEOUT\] .* Queue=\(10\.63\.0\.1->10\.63\.0\.2 ID=[0-9]+ Proto=17\) Received=3032 Expected=4008 Flags=FIRST_IN\|LAST_IN IIF=[1-9][0-9]*$')" -eq 1 \
    "the queue missing offset 976 times out"
lab_expect "$(n '^\[TIMEOUT\]')" -eq 1 "TIMEOUT events"
# Frees: every one passes the filter; the timed-out fragments are freed after the timeout.
lab_expect "$(n '^\[kfree_skb\] ')" -gt 0 "free events"
lab_expect "$(grep '^\[kfree_skb\] ' "$OUT" | grep -cvE " $F " || true)" -eq 0 "free events of other traffic"
lab_expect "$(awk '/^\[TIMEOUT\]/ { t = 1 } t && /^\[kfree_skb\] .*\(Fragment Related\)/ { n++ } END { print n + 0 }' "$OUT")" -ge 3 \
    "queued fragments freed after the timeout"
# Kernels that name fragment drop reasons (6.12, not 6.1) list them in the tracepoint's format.
if grep -q DUP_FRAG /sys/kernel/tracing/events/skb/kfree_skb/format 2>/dev/null; then
    lab_expect "$(n '^\[kfree_skb\] .* Reason=DUP_FRAG \(Fragment Related\)$')" -eq 1 "the duplicate freed with reason DUP_FRAG"
    lab_expect "$(n '^\[kfree_skb\] .* Reason=FRAG_REASM_TIMEOUT \(Fragment Related\)$')" -ge 1 "timeout frees with FRAG_REASM_TIMEOUT"
else
    lab_log "$(uname -r) has no fragment drop reasons: Reason= not checked"
fi
lab_expect "$(grep -c '^    - ' "$OUT")" -gt 0 "stack frames of free events"
# Noise: fragmented ICMP and reverse-direction UDP.
lab_expect "$(grep -cE 'Proto=(ICMP|1) |10\.63\.0\.2(:[0-9]+)? -> 10\.63\.0\.1' "$OUT" || true)" -eq 0 \
    "events of the fragmented pings and of dfb -> dfa traffic"
# Receivers agree: 3 kernel-fragmented datagrams and the one crafted datagram arrived.
grep -qx "7010:1 7011:3" "$WORK/dfb.count" || lab_fail "dfb received: $(cat "$WORK/dfb.count")"
lab_ok "dfb received 3 + 1 datagrams"
# The log file has the same event lines.
grep '^\[' "$OUT" >"$WORK/out.events"
grep '^\[' "$LOG" >"$WORK/log.events"
cmp -s "$WORK/out.events" "$WORK/log.events" || lab_fail "--log-file differs from the output"
lab_expect "$(grep -c '^\[' "$LOG")" -eq "$(grep -c '^\[' "$OUT")" "event lines in --log-file"

# JSON run on the legacy object (perf buffer) with the kprobe free hook (__kfree_skb, which
# 6.x inlines into kfree_skb_reason and consume_skb: TCP receive still calls it, so a TCP
# transfer shows frees through it). Only --src-ip: the UDP datagram and the TCP segments show.
lab_nsexec dfb "$PY" -c '
import socket, sys
t = socket.socket()
t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
t.bind(("10.63.0.2", 7013))
t.listen()
open(sys.argv[1], "w").write("ready\n")
c, _ = t.accept()
while c.recv(65536):
    pass
' "$WORK/tcp.ready" &
lab_on_exit "kill $! 2>/dev/null"
lab_wait_for 20 test -s "$WORK/tcp.ready" || lab_fail "TCP sink did not start in dfb"
OUT2=$WORK/defrag.json
BPFNET_FORCE_KPROBE=1 "$BPFNET_BIN/trace_ip_defrag" --list-probes >"$WORK/kprobe.plan"
lab_expect "$(grep -cE '^  chosen: (fentry|fexit)' "$WORK/kprobe.plan")" -eq 0 "BPFNET_FORCE_KPROBE: no fentry or fexit chosen"
lab_expect "$(grep -cE '^  chosen: kretprobe (ip_defrag|inet_frag_queue_insert)$' "$WORK/kprobe.plan")" -eq 2 \
    "BPFNET_FORCE_KPROBE: kretprobes on ip_defrag, inet_frag_queue_insert"
lab_expect "$(grep -cE '^  chosen: kprobe (ip_defrag|inet_frag_queue_insert|ip_expire|__kfree_skb)$' "$WORK/kprobe.plan")" -eq 4 \
    "BPFNET_FORCE_KPROBE: kprobes on ip_defrag, inet_frag_queue_insert, ip_expire, __kfree_skb"
BPFNET_FORCE_LEGACY=1 BPFNET_FORCE_KPROBE=1 lab_tool_start "$OUT2" trace_ip_defrag --src-ip 10.63.0.1 --json --duration 60
lab_nsexec dfb tc filter del dev to-dfa ingress pref 1
big_udp dfa 10.63.0.1 10.63.0.2 40014 7011 1
lab_nsexec dfa "$PY" -c '
import socket
s = socket.create_connection(("10.63.0.2", 7013), timeout=5)
for i in range(20):
    s.sendall(b"t" * 4000)
s.close()
' || lab_fail "TCP transfer dfa -> dfb failed"
sleep 1
lab_tool_stop
lab_json_check "$OUT2" "JSON run"
count() { lab_json_count "$OUT2" "$1"; }
lab_log "JSON run: $(jq -r .event "$OUT2" | sort | uniq -c | tr -s ' \n' ' ')"
lab_expect "$(count '.event == "ip_defrag"')" -eq 5 "JSON ip_defrag events"
lab_expect "$(count '.event == "ip_defrag" and .frag_offset == 0 and .more_fragments and .src_port == 40014')" -eq 1 \
    "JSON first fragment with its ports"
lab_expect "$(count '.event == "reassembled" and .len == 4028 and .src_port == 40014 and .dst_port == 7011')" -eq 1 "JSON reassembled event"
lab_expect "$(count '.event == "kfree_skb" and .protocol == 6 and .reason == null and (.stack[0] | startswith("__kfree_skb"))')" -ge 1 \
    "TCP frees seen by the __kfree_skb kprobe"
lab_expect "$(count '.src_ip != "10.63.0.1"')" -eq 0 "JSON events from other sources"

lab_tool_no_leftovers
lab_log "passed in $(lab_elapsed)"
