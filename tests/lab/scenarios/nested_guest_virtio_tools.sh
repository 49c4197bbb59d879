#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# lab-options: --nested --timeout 420
# The guest-side virtio-net tools inside a nested KVM guest with a real virtio-net NIC (tap0,
# vhost=on): virtnet_poll_monitor, virtnet_irq_monitor and virtionet-rx-path-summary run at
# once while the lab guest pings the nested guest COUNT times. Static neighbours on both sides
# and no IPv6: the pings are all the NIC receives, so the tools' counts must equal the NIC's
# (sysfs rx_packets; ethtool's rx_queue_0_packets where the driver has it: 5.10, 6.1)
# and /proc/interrupts over the window. virtnet_irq_monitor and virtionet-rx-path-summary run
# twice side by side: with the raw IRQ tracepoints they prefer and with the classic ones they fall
# back to (BPFNET_FORCE_KPROBE=1); both count the same interrupts.
set -euo pipefail
source "$(dirname "$0")/../lib/nested.sh"
source "$(dirname "$0")/../lib/kernel.sh"
source "$(dirname "$0")/../lib/tool.sh"

COUNT=${LAB_VIRTIO_PINGS:-12}

lab_nested_require
lab_nested_tap
btf=$(lab_btf_dir)
tap_mac=$(cat "/sys/class/net/$LAB_NESTED_TAP/address")
ip neigh replace "$LAB_NESTED_GUEST_IP" lladdr 52:54:00:77:00:02 dev "$LAB_NESTED_TAP" nud permanent

# The nested guest's job: the three tools, the counters before and after the pings, and a
# period report of the summary and an interval line of the poll monitor after the last packet,
# so that every packet is in one.
# shellcheck disable=SC2016 # expanded in the nested guest
job=$(
    printf 'B=%q; HOST_MAC=%q; HOST_IP=%q\n' "$BPFNET_BIN" "$tap_mac" "$LAB_NESTED_HOST_IP"
    [[ -z $btf ]] || printf 'export BPFNET_BTF=%q\n' "$btf"
    cat <<'EOF_JOB'
o=$LAB_IO
ip neigh replace "$HOST_IP" lladdr "$HOST_MAC" dev eth0 nud permanent
counters() { cat /proc/interrupts >"$o/interrupts.$1"; cat /sys/class/net/eth0/statistics/rx_packets >"$o/rx.$1"
    ethtool -S eth0 >"$o/ethtool.$1" 2>&1 || true; }
start=$(date +%s.%N)
"$B/virtnet_poll_monitor" -d eth0 --interval 1 --json --ready-file /tmp/ready.poll >"$o/poll.json" 2>"$o/poll.err" & poll=$!
"$B/virtnet_irq_monitor" --device eth0 --interval 1 --json --ready-file /tmp/ready.irq >"$o/irq.json" 2>"$o/irq.err" & irq=$!
"$B/virtionet-rx-path-summary" 0 1 --prometheus-textfile "$o/sum.prom" --ready-file /tmp/ready.sum >"$o/sum.txt" 2>"$o/sum.err" & sum=$!
BPFNET_FORCE_KPROBE=1 "$B/virtnet_irq_monitor" --device eth0 --interval 1 --json --ready-file /tmp/ready.irq2 >"$o/irq2.json" 2>"$o/irq2.err" & irq2=$!
BPFNET_FORCE_KPROBE=1 "$B/virtionet-rx-path-summary" 0 1 --ready-file /tmp/ready.sum2 >"$o/sum2.txt" 2>"$o/sum2.err" & sum2=$!
ready() { for f in poll irq sum irq2 sum2; do [ -e /tmp/ready.$f ] || return 1; done; }
# No deadline of its own: the lab guest's wait (times its slowdown) is the one that gives up.
until ready; do
    kill -0 $poll $irq $sum $irq2 $sum2 2>/dev/null || { echo "a tool exited"; kill -INT $poll $irq $sum $irq2 $sum2; exit 3; }
    sleep 0.2
done
echo "$start $(date +%s.%N)" | awk '{ printf "%.1f\n", $2 - $1 }' >"$o/attach.s"
counters before
: >"$o/tools-ready"
while [ ! -e "$o/traffic-done" ]; do sleep 0.2; done
# The TX completion interrupts of the last replies come when they come under TCG in TCG: the
# window closes once eth0's interrupt counts and rx_packets have not moved for a second.
quiet() { grep -E 'virtio[0-9]+-(input|output)' /proc/interrupts; cat /sys/class/net/eth0/statistics/rx_packets; }
last=
for i in $(seq 60); do now=$(quiet); [ "$now" = "$last" ] && break; last=$now; sleep 1; done
counters after
periods=$(grep -c Progress: "$o/sum.txt")
intervals=$(grep -c '"event":"interval"' "$o/poll.json")
periods2=$(grep -c Progress: "$o/sum2.txt")
# Until each has reported once more (the lab guest's wait for this job bounds it).
until [ "$(grep -c Progress: "$o/sum.txt")" -gt "$periods" ] && [ "$(grep -c Progress: "$o/sum2.txt")" -gt "$periods2" ] &&
    [ "$(grep -c '"event":"interval"' "$o/poll.json")" -gt "$intervals" ]; do
    sleep 0.2
done
progs() { bpftool prog show | grep -cE ' name (vpoll|virq|rxs)_' || true; }
progs >"$o/progs.running"
bpftool prog show | sed -nE 's/.* name (virq_[a-z_]*) .*/\1/p' | sort | tr '\n' ' ' >"$o/virq.progs"
kill -INT $poll $irq $sum $irq2 $sum2
rc=0
for p in $poll $irq $sum $irq2 $sum2; do wait $p || rc=$?; done
progs >"$o/progs.left"
exit $rc
EOF_JOB
)
lab_nested_start --root "$job"
io=$LAB_NESTED_DIR/io
tools_ready_or_gone() { [[ -e $io/tools-ready ]] || ! lab_nested_alive; }
# Five tools attach at once on the nested guest's one emulated CPU: ~50 s on 5.10 (kprobes on
# virtio_net's functions, --btf merged per tool), up to 270 s when the other lab guests load
# the machine; 15 s on 6.1.
lab_wait_for 360 tools_ready_or_gone || true
if [[ ! -e $io/tools-ready ]]; then
    lab_nested_kill
    tail -n 5 "$io"/*.err "$LAB_NESTED_DIR/console.log" >&2 || true
    lab_fail "the tools did not attach in the nested guest"
fi
lab_log "tools attached in the nested guest after $(lab_elapsed) ($(<"$io/attach.s") s from their start)"
# The plan on the lab guest's own virtio-net (the same kernel): virtnet_poll's entry by fentry.
lab_expect_module_fentry virtnet_poll_monitor virtnet_poll ${btf:+--btf "$btf"}
lab_expect_module_fexit virtnet_poll_monitor virtnet_poll ${btf:+--btf "$btf"}
lab_expect_module_fexit virtionet-rx-path-summary virtnet_poll ${btf:+--btf "$btf"}
# Exactly COUNT echoes (ping -w would send more while a stalled guest's replies are late);
# ping gives up on a reply after twice its slowest RTT, so the replies are counted where they
# arrive: tap0's rx_packets, read once the nested guest is done.
tap_rx() { cat "/sys/class/net/$LAB_NESTED_TAP/statistics/rx_packets"; }
tap_rx0=$(tap_rx)
replies=$(lab_ping - "$LAB_NESTED_GUEST_IP" "$COUNT") || true
: >"$io/traffic-done"
rc=0
lab_nested_wait 120 >&2 || rc=$?
for f in poll irq sum irq2 sum2; do sed "s/^/  $f.err| /" "$io/$f.err" >&2; done
((rc == 0)) || lab_fail "the tools in the nested guest failed (status $rc)"
answered=$(($(tap_rx) - tap_rx0))
sed 's/^/  sum| /' "$io/sum.txt" >&2

# /proc/interrupts: "<irq> <count>" of eth0's RX and TX queue 0 vectors, before and after.
vector() { # FILE SUFFIX
    awk -v s="$2" 'NR == 1 { n = NF } $NF ~ s { c = 0; for (i = 2; i <= n + 1; i++) c += $i; print $1 + 0, c }' "$1"
}
read -r in_irq in0 <<<"$(vector "$io/interrupts.before" '-input[.]0$')"
read -r _ in1 <<<"$(vector "$io/interrupts.after" '-input[.]0$')"
read -r out_irq out0 <<<"$(vector "$io/interrupts.before" '-output[.]0$')"
read -r _ out1 <<<"$(vector "$io/interrupts.after" '-output[.]0$')"
lab_assert_int "$in_irq" "eth0's input.0 IRQ"
lab_assert_int "$out_irq" "eth0's output.0 IRQ"
in_ints=$((in1 - in0))
out_ints=$((out1 - out0))
rx=$(($(<"$io/rx.after") - $(<"$io/rx.before")))
ethtool_rx() { awk '$1 == "rx_queue_0_packets:" { print $2 }' "$1"; }
q0_before=$(ethtool_rx "$io/ethtool.before")
q0_rx=$(($(ethtool_rx "$io/ethtool.after") - q0_before))
lab_log "window: $COUNT pings, $answered replies on tap0 (ping counted ${replies:-0}); eth0 rx_packets +$rx, rx_queue_0_packets +$q0_rx;" \
    "/proc/interrupts IRQ $in_irq (input.0) +$in_ints, IRQ $out_irq (output.0) +$out_ints"

# One jq per tool output: the poll monitor's events, the IRQ monitor's reports.
read -r entries exits recv_done processed lost int_irqs int_polls int_packets <<<"$(jq -rs '
    (map(select(.event != null and .event != "interval"))) as $e
    | (map(select(.event == "interval") | .queues[] | select(.queue == 0))) as $q
    | [($e | map(select(.event == "poll_entry")) | length),
       ($e | map(select(.event == "poll_exit")) | length),
       ($e | map(select(.event == "skb_recv_done" and .queue == 0)) | length),
       ($e | map(select(.event == "poll_exit") | .processed) | add // 0),
       (map(select(.final)) | .[0].lost_events),
       ($q | map(.interrupts) | add // 0), ($q | map(.polls) | add // 0),
       ($q | map(.packets) | add // 0)] | @tsv' "$io/poll.json")"
read -r irq_in irq_in_handled irq_out nirqs <<<"$(jq -rs --argjson i "$in_irq" --argjson o "$out_irq" '
    [(map(.irqs[] | select(.irq == $i) | .calls) | add // 0),
     (map(.irqs[] | select(.irq == $i) | .returns.IRQ_HANDLED // 0) | add // 0),
     (map(.irqs[] | select(.irq == $o) | .calls) | add // 0),
     (.[0].irqs | length)] | @tsv' "$io/irq.json")"
read -r irq2_in irq2_out <<<"$(jq -rs --argjson i "$in_irq" --argjson o "$out_irq" '
    [(map(.irqs[] | select(.irq == $i) | .calls) | add // 0),
     (map(.irqs[] | select(.irq == $o) | .calls) | add // 0)] | @tsv' "$io/irq2.json")"
# The summary's text: its totals, its map dump and the per-period IRQ maps summed.
sum_figures() { # FILE: its totals, its map dump and the per-period IRQ maps summed
    awk -v i="$in_irq" '
    /^  Total packets processed:/ { packets = $4 }
    /^VIRTNET_POLL/ { poll = 1 }
    poll && /^  Total calls:/ { calls = $3; poll = 0 }
    /^@virtnet_poll_ret: $/ && !seen { inhist = 1; seen = 1; next }
    /^$/ { inhist = 0 }
    inhist { sub(/ [|].*/, ""); h += $NF }
    /^@virtnet_poll_total_packets:/ { dumped = $2 }
    $1 == "@period_vring_interrupt_irq[" i "]:" { v += $2 }
    $1 == "@period_irq_entry[" i "]:" { e += $2 }
    END { print packets + 0, calls + 0, h + 0, dumped + 0, v + 0, e + 0 }' "$1"
}
read -r sum_packets sum_calls hist_total dumped_packets vring_in entry_in <<<"$(sum_figures "$io/sum.txt")"
read -r _ _ _ _ vring2_in entry2_in <<<"$(sum_figures "$io/sum2.txt")"

lab_expect "$(<"$io/progs.running")" -eq 29 "the tools' 3 + 2 + 11 BPF programs and the fallbacks' 2 + 11 were loaded"
lab_expect "$(<"$io/progs.left")" -eq 0 "none is left after Ctrl-C"
lab_expect "$answered" -eq "$COUNT" "the nested guest answered every ping (replies received on tap0)"
lab_expect "$rx" -eq "$COUNT" "eth0 received exactly the pings (static neighbours, no IPv6)"
if [[ -n $q0_before ]]; then
    lab_expect "$q0_rx" -eq "$rx" "ethtool rx_queue_0_packets agrees with rx_packets"
else
    # 6.12's virtio_net reports its queues' packets through netlink (qstats), not ethtool -S.
    lab_log "ethtool -S eth0 has no rx_queue_0_packets on $(uname -r): rx_packets only"
fi
lab_expect "$lost" -eq 0 "virtnet_poll_monitor lost no event"
lab_expect "$processed" -eq "$rx" "virtnet_poll_monitor: packets processed by the polls = packets received"
lab_expect "$exits" -eq "$entries" "virtnet_poll_monitor: every poll entry has its exit"
lab_expect "$recv_done" -gt 0 "virtnet_poll_monitor saw RX interrupts"
lab_expect "$entries" -ge "$recv_done" "an RX interrupt schedules a poll"
lab_expect "$int_packets" -eq "$processed" "virtnet_poll_monitor --interval: packets of queue 0 = the exits'"
lab_expect "$int_polls" -eq "$entries" "virtnet_poll_monitor --interval: polls of queue 0 = the entries"
lab_expect "$int_irqs" -eq "$recv_done" "virtnet_poll_monitor --interval: interrupts of queue 0 = skb_recv_done"
lab_expect "$nirqs" -ge 2 "virtnet_irq_monitor --device eth0 watches eth0's vectors"
lab_expect "$irq_in" -eq "$in_ints" "virtnet_irq_monitor: IRQ $in_irq calls = /proc/interrupts"
lab_expect "$irq_out" -eq "$out_ints" "virtnet_irq_monitor: IRQ $out_irq calls = /proc/interrupts"
# The hooks: raw tracepoints, and the classic ones under BPFNET_FORCE_KPROBE=1 (its programs by name).
[[ $(<"$io/virq.progs") == "virq_entry virq_entry_raw virq_exit virq_exit_raw " ]] ||
    lab_fail "virtnet_irq_monitor's programs: $(<"$io/virq.progs"), want the raw and the classic pair"
grep -qx 'Probe: raw_tracepoint irq:irq_handler_entry' "$io/sum.txt" ||
    lab_fail "rx-path-summary does not name the raw tracepoint irq:irq_handler_entry"
grep -qx 'Probe: tracepoint irq:irq_handler_entry' "$io/sum2.txt" ||
    lab_fail "rx-path-summary under BPFNET_FORCE_KPROBE=1 does not name the classic tracepoint"
lab_expect "$irq2_in" -eq "$in_ints" "virtnet_irq_monitor (classic tracepoints): IRQ $in_irq calls = /proc/interrupts"
lab_expect "$irq2_out" -eq "$out_ints" "virtnet_irq_monitor (classic tracepoints): IRQ $out_irq calls = /proc/interrupts"
lab_expect "$recv_done" -eq "$irq_in_handled" "skb_recv_done calls = IRQ_HANDLED of IRQ $in_irq"
lab_expect "$sum_packets" -eq "$rx" "rx-path-summary: total packets processed = packets received"
lab_expect "$dumped_packets" -eq "$rx" "rx-path-summary: the exit dump's @virtnet_poll_total_packets"
lab_expect "$sum_calls" -eq "$entries" "rx-path-summary: virtnet_poll calls = the poll monitor's"
lab_expect "$hist_total" -eq "$sum_calls" "rx-path-summary: @virtnet_poll_ret holds every call"
lab_expect "$vring_in" -eq "$in_ints" "rx-path-summary: vring_interrupt calls of IRQ $in_irq = /proc/interrupts"
lab_expect "$vring2_in" -eq "$in_ints" "rx-path-summary (classic tracepoints): vring_interrupt calls of IRQ $in_irq = /proc/interrupts"
if ((in_irq >= 24 && in_irq <= 63)); then
    lab_expect "$entry_in" -eq "$in_ints" "rx-path-summary: @period_irq_entry[$in_irq] = /proc/interrupts"
    lab_expect "$entry2_in" -eq "$in_ints" "rx-path-summary (classic tracepoints): @period_irq_entry[$in_irq] = /proc/interrupts"
fi
# Its --prometheus-textfile, written at exit: the same totals.
promtool check metrics <"$io/sum.prom" || lab_fail "promtool rejects rx-path-summary's metrics"
metric() { awk -v m="bpfnet_virtionet_rx_path_$1" '$1 == m { print $2 }' "$io/sum.prom"; }
lab_expect "$(metric poll_packets_total)" -eq "$rx" "rx-path-summary metrics: poll_packets_total = packets received"
lab_expect "$(metric poll_calls_total)" -eq "$entries" "rx-path-summary metrics: poll_calls_total = the poll monitor's"
lab_expect "$(metric "vring_interrupt_irq_calls_total{irq=\"$in_irq\"}")" -eq "$in_ints" \
    "rx-path-summary metrics: vring_interrupt calls of IRQ $in_irq = /proc/interrupts"
lab_log "passed in $(lab_elapsed)"
