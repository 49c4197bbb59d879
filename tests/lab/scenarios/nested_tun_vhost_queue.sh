#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# lab-options: --nested --timeout 300
# The KVM side of a tap's packets into a guest, on a real tap with vhost-net: the lab guest is
# the host, tap0 the nested guest's NIC (one queue pair: queue 0, input.0 and output.0), which
# the lab guest pings COUNT times; it also pings a decoy tap (tap9, held open by socat, no
# vhost) that the filters must leave out. Static neighbours and no IPv6 on both taps: the
# packets are the scenario's. (tun_to_vhost_queue_status_simple and _stats_details run on the
# two queue pairs of nested_vhost_tools, per queue.)
# kvm_irqfd_stats_summary (the nested QEMU's PID, JSON) runs in the same window while a decoy
# process (python, named vhost-<its pid>) signals an irqfd of a KVM VM of its own DECOY_KVM
# times, then closes the eventfd (one more wakeup); the nested guest writes its
# /proc/interrupts when asked:
#   - irqfd wakeups counted = tracefs kprobe hits on irqfd_wakeup minus the decoy's: all of
#     the nested QEMU's (its vhost worker's), none of the decoy's; one VM only;
#   - per virtio-net queue (the two vhost irqfds by GSI: QEMU routes input.0's vector before
#     output.0's), injections (successful kvm_arch_set_irq_inatomic + kvm_set_msi) = the
#     interrupts the nested guest's /proc/interrupts counted for it (fewer than packets when
#     the guest's NAPI polling suppressed some); vhost wakeups at most the signal calls;
#     distinct real GSIs and MSI vectors (32-255).
# tun_tx_to_kvm_irq (--protocol icmp --dst-ip <nested guest>, JSON, -o file) runs in the same
# window; before the pings the lab guest sends UDP_DECOY datagrams to the nested guest (tap0, left
# out by --protocol), and tap9's pings are left out by --dst-ip; the decoy KVM process's irqfd
# has no chain:
#   - stage 1 (tun_net_xmit) = the COUNT echo requests to the nested guest on tap0:q0, with
#     distinct sequence numbers;
#   - the coalescing rule: a chain starts at the guest-RX virtqueue's vhost signal and covers
#     every packet of its queue since the previous chain (its "packets"), its delays measured
#     from the last of them; so the chains' packets add up to the stage-1 events exactly, and
#     each chain starts at one of them (signal time - end-to-end delay = a stage-1 timestamp);
#   - each chain's stages in time order are 2,3,4,5, or 2 alone (the guest's NAPI polling
#     suppressed the interrupt: no eventfd signal); its delays add up to its end-to-end delay
#     at every stage, exactly (all from the same clock);
#   - the chains' QEMU is the nested guest's; stage 4's GSI and vector are input.0's as
#     kvm_irqfd_stats_summary found them, stage 5's vector the same; nothing of the decoy KVM
#     process, nothing of tap9; complete chains <= the guest's input.0 interrupts;
#   - the -o file is a JSON array of the same events.
# The window closes once tap0's counters and the kprobe hits stop moving (TCG stalls for
# seconds), then the tools get SIGINT and report the interval it cut short. Each count a tool
# makes lies between the counters' change over the window (read after the tools attached) and
# their change from before the tools started to after they stopped; both are the same unless
# something moved tap0 while a tool attached or detached.
set -euo pipefail
source "$(dirname "$0")/../lib/nested.sh"
source "$(dirname "$0")/../lib/kernel.sh"
source "$(dirname "$0")/../lib/kprobe.sh"
source "$(dirname "$0")/../lib/tool.sh"

COUNT=${LAB_TVQ_PINGS:-8}
DECOY=tap9
DECOY_COUNT=5
DECOY_KVM=7
UDP_DECOY=3
B=${BPFNET_BIN:?}

lab_nested_require
lab_nested_tap
btf=$(lab_btf_dir)
[[ -z $btf ]] || export BPFNET_BTF=$btf
ip neigh replace "$LAB_NESTED_GUEST_IP" lladdr 52:54:00:77:00:02 dev "$LAB_NESTED_TAP" nud permanent

# The decoy: a tap with a reader (socat), so that tun_net_xmit queues on its queue 0 too.
socat -u "TUN:10.78.0.1/24,tun-type=tap,tun-name=$DECOY,iff-up" STDOUT >/dev/null 2>&1 &
decoy_pid=$!
lab_on_exit "kill $decoy_pid 2>/dev/null"
lab_wait_for 20 test -e "/sys/class/net/$DECOY" || lab_fail "socat did not create $DECOY"
sysctl -qw "net.ipv6.conf.$DECOY.disable_ipv6=1"
ip neigh replace 10.78.0.2 lladdr 52:54:00:78:00:02 dev "$DECOY" nud permanent

lab_kprobe_add sig vhost_add_used_and_signal_n
lab_kprobe_add hrx handle_rx
lab_kprobe_add wake irqfd_wakeup

# A second KVM process: its own VM, an irqfd on IOAPIC pin 5, signalled DECOY_KVM times.
decoy_kvm() {
    python3 - "$DECOY_KVM" <<'PY'
import fcntl, os, struct, sys, time
with open("/proc/self/comm", "w") as f:
    f.write("vhost-%d" % os.getpid())  # a vhost thread's name, of another PID
kvm = os.open("/dev/kvm", os.O_RDWR)
vm = fcntl.ioctl(kvm, 0xAE01, 0)  # KVM_CREATE_VM
fcntl.ioctl(vm, 0xAE60, 0)  # KVM_CREATE_IRQCHIP
efd = os.eventfd(0)
fcntl.ioctl(vm, 0x4020AE76, struct.pack("IIII16x", efd, 5, 0, 0))  # KVM_IRQFD, GSI 5
for _ in range(int(sys.argv[1])):
    os.eventfd_write(efd, 1)
    time.sleep(0.05)
os.close(efd)  # one more wakeup, EPOLLHUP: the irqfd is still on the eventfd's wait queue
PY
}

tap_mac=$(cat "/sys/class/net/$LAB_NESTED_TAP/address")
# Serves until stopped; writes /proc/interrupts to irqN when irq.wantN appears.
# shellcheck disable=SC2016 # expanded in the nested guest
irq_serve='n=0
while [ ! -e "$LAB_IO/stop" ]; do
    if [ -e "$LAB_IO/irq.want$n" ]; then
        cat /proc/interrupts >"$LAB_IO/irq.part" && mv "$LAB_IO/irq.part" "$LAB_IO/irq$n"
        n=$((n + 1))
    fi
    sleep 0.2
done'
lab_nested_start "ip neigh replace $LAB_NESTED_HOST_IP lladdr $tap_mac dev eth0 nud permanent
$irq_serve"
lab_nested_ready 120 || lab_fail "the nested guest did not come up (console: $LAB_NESTED_DIR/console.log)"
lab_log "nested guest up after $(lab_elapsed)"
lab_expect_module_fentry kvm_irqfd_stats_summary kvm_set_msi "$LAB_NESTED_PID"
lab_expect_module_fexit kvm_irqfd_stats_summary kvm_arch_set_irq_inatomic "$LAB_NESTED_PID"
lab_expect_module_fentry tun_tx_to_kvm_irq tun_net_xmit --protocol icmp

stat() { cat "/sys/class/net/$1/statistics/$2"; }
# Everything the window is measured by, on one line.
counters() {
    echo "$(stat "$LAB_NESTED_TAP" tx_packets) $(stat "$LAB_NESTED_TAP" tx_dropped)" \
        "$(stat "$LAB_NESTED_TAP" rx_packets) $(lab_kprobe_hits sig) $(lab_kprobe_hits hrx)" \
        "$(stat "$DECOY" tx_packets) $(lab_kprobe_hits wake)"
}
# The nested guest's virtio-net interrupts at snapshot $1 (0, 1, ... in order): "input.0 output.0".
nested_irqs() {
    local f=$LAB_NESTED_DIR/io/irq$1
    : >"$LAB_NESTED_DIR/io/irq.want$1"
    lab_wait_for 30 test -e "$f" || lab_fail "the nested guest did not write /proc/interrupts"
    awk '{ n = 0; for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++) n += $i }
         $NF ~ /-input[.]0$/ { rx = n } $NF ~ /-output[.]0$/ { tx = n }
         END { print rx + 0, tx + 0 }' "$f"
}
# The change of counters from $1 to $2: tx+dropped tx rx signals handle_rx decoy.
deltas() {
    local a b
    read -r -a a <<<"$1"
    read -r -a b <<<"$2"
    echo "$((b[0] + b[1] - a[0] - a[1])) $((b[0] - a[0])) $((b[2] - a[2])) $((b[3] - a[3]))" \
        "$((b[4] - a[4])) $((b[5] - a[5])) $((b[6] - a[6]))"
}
outer0=$(counters)
read -r irq_rx0 irq_tx0 <<<"$(nested_irqs 0)"

lab_tool_workdir
w=$LAB_TOOL_WORK
start=$SECONDS
"$B/kvm_irqfd_stats_summary" "$LAB_NESTED_PID" --interval 5 --json --ready-file "$w/ready.kirq" \
    --prometheus-textfile "$w/kirq.prom" >"$w/kirq.json" 2>"$w/kirq.err" &
kirq=$!
lab_on_exit "kill -INT $kirq 2>/dev/null"
"$B/tun_tx_to_kvm_irq" --protocol icmp --dst-ip "$LAB_NESTED_GUEST_IP" --json -o "$w/ttk.out.json" \
    --ready-file "$w/ready.ttk" >"$w/ttk.json" 2>"$w/ttk.err" &
ttk=$!
lab_on_exit "kill -INT $ttk 2>/dev/null"
qemu_pid=$LAB_NESTED_PID
tools_ready() {
    [[ -e $w/ready.kirq && -e $w/ready.ttk ]] && return 0
    kill -0 "$kirq" 2>/dev/null && kill -0 "$ttk" 2>/dev/null && return 1
    return 0
}
lab_wait_for 240 tools_ready || true
if [[ ! -e $w/ready.kirq || ! -e $w/ready.ttk ]]; then
    cat "$w"/*.err >&2
    lab_fail "a tool did not attach"
fi
lab_log "tools attached in $((SECONDS - start)) s"

inner0=$(counters)
read -r irq_rx1 irq_tx1 <<<"$(nested_irqs 1)"

for ((i = 0; i < UDP_DECOY; i++)); do
    echo decoy >"/dev/udp/$LAB_NESTED_GUEST_IP/9" || true
    sleep 0.1
done
sleep 0.3
ping -n -q -c "$DECOY_COUNT" -i 0.2 -w 10 10.78.0.2 >/dev/null 2>&1 &
decoy_ping=$!
decoy_kvm &
decoy_kvm_pid=$!
out=$(ping -n -q -c "$COUNT" -i 0.2 -w 30 "$LAB_NESTED_GUEST_IP" 2>&1) || true
replies=$(sed -n 's/.* \([0-9][0-9]*\) received.*/\1/p' <<<"$out")
wait "$decoy_ping" || true
kvm_decoy_rc=0
wait "$decoy_kvm_pid" || kvm_decoy_rc=$?

# Closed when three reads 0.5 s apart agree: the last replies and signals are in.
last=$(counters) same=0
for ((i = 0; i < 120 && same < 2; i++)); do
    sleep 0.5
    now=$(counters)
    if [[ $now == "$last" ]]; then ((same += 1)); else same=0; fi
    last=$now
done
read -r xmit tx rx sig hrx decoy wake <<<"$(deltas "$inner0" "$last")"
read -r irq_rx2 irq_tx2 <<<"$(nested_irqs 2)"

progs() { bpftool prog show | grep -cE ' name (kirq|ttk)_' || true; }
running=$(progs)
ttk_progs=$(bpftool prog show | sed -n 's/.* name \(ttk_[a-z_]*\) .*/\1/p' | sort | tr '\n' ' ')
kill -INT "$kirq" "$ttk"
krc=0 trc=0
wait "$kirq" || krc=$?
wait "$ttk" || trc=$?
left=$(progs)
read -r o_xmit o_tx o_rx o_sig o_hrx _ o_wake <<<"$(deltas "$outer0" "$(counters)")"
read -r irq_rx3 irq_tx3 <<<"$(nested_irqs 3)"
sed 's/^/  kirq.err| /' "$w/kirq.err" >&2
sed 's/^/  ttk.err| /' "$w/ttk.err" >&2
lab_nested_stop
lab_nested_wait 60 >/dev/null || lab_log "the nested guest did not end cleanly"

# kvm_irqfd_stats_summary's reports: one jq. The vhost (data) irqfds by GSI: input.0, output.0;
# an irqfd's injections: successful atomic injections on its GSI plus its kvm_set_msi calls.
lab_json_check "$w/kirq.json" "kvm_irqfd_stats_summary"
read -r k_reports k_vms k_wake k_arch k_kicks k_data_n k_data_wake k_inj_rx k_inj_tx k_decoy k_final \
    k_ctrl k_desc <<<"$(jq -rs --argjson decoy "$decoy_kvm_pid" '
    [.[].vms[]] as $vms
    | ([$vms[].arch_set_irq_results[]] | group_by(.gsi)
       | map({key: "\(.[0].gsi)", value: (map(.success) | add)}) | from_entries) as $ok
    | ([$vms[].irqfds[]] | group_by(.irqfd)
       | map({gsi: .[0].gsi, vector: .[0].msi_vector, wakeups: (map(.wakeups) | add),
              data: (map(.data) | add), control: (map(.control) | add),
              msi: (map(.kvm_set_msi) | add), pids: (map(.pids[]) | unique)})) as $q
    | ($q | map(select(.data > 0)) | sort_by(.gsi)
       | map(. + {inj: (($ok["\(.gsi)"] // 0) + .msi)})) as $d
    | [length, ($vms | map(.kvm) | unique | length), (map(.irqfd_wakeup) | add // 0),
       (map(.kvm_arch_set_irq_inatomic) | add // 0), (map(.kvm_vcpu_kick) | add // 0),
       ($d | length), ($d | map(.wakeups) | add // 0), ($d[0].inj // 0), ($d[1].inj // 0),
       ($q | map(select(any(.pids[]; . == $decoy))) | length), (map(select(.final)) | length),
       ($q | map(.control) | add // 0),
       ($d | map("gsi:\(.gsi),vector:\(.vector),wakeups:\(.wakeups),injections:\(.inj)") | join(" "))]
    | @tsv' "$w/kirq.json")"
read -r -a k_vectors <<<"$(jq -rs '[.[].vms[].irqfds[] | select(.data > 0)] | unique_by(.irqfd)
    | sort_by(.gsi) | map(.msi_vector // -1) | @tsv' "$w/kirq.json")"
read -r -a k_gsis <<<"$(jq -rs '[.[].vms[].irqfds[] | select(.data > 0)] | unique_by(.irqfd)
    | sort_by(.gsi) | map(.gsi) | @tsv' "$w/kirq.json")"

lab_log "window: $COUNT pings, ${replies:-0} replies; tap0 tx +$tx (with dropped +$xmit) rx +$rx;" \
    "vhost_add_used_and_signal_n +$sig; handle_rx +$hrx; $DECOY tx +$decoy"
lab_log "around the tools: tap0 tx +$o_tx (with dropped +$o_xmit) rx +$o_rx; signals +$o_sig; handle_rx +$o_hrx"
lab_expect "$running" -ge 10 "their BPF programs were loaded (kvm 5, tun_tx_to_kvm_irq 5)"
lab_expect "$left" -eq 0 "no BPF program is left after SIGINT"
lab_expect "${replies:-0}" -eq "$COUNT" "the nested guest answered every ping"
lab_expect "$decoy" -ge "$DECOY_COUNT" "$DECOY sent the decoy pings"
lab_expect "$xmit" -ge "$COUNT" "tap0 sent the pings"
prom_sum() { # FILE METRIC [FILTER]: the sum of its samples whose labels match FILTER
    awk -v m="$2" -v f="${3:-}" '{ name = $1; sub(/\{.*/, "", name) }
        name == m && index($1, f) { s += $2 } END { print s + 0 }' "$w/$1.prom"
}
lab_log "kvm_irqfd_stats_summary: $k_reports reports, wakeups $k_wake (data $k_data_wake, control $k_ctrl)," \
    "atomic injections $k_arch, kicks $k_kicks; irqfd_wakeup kprobe +$wake (around +$o_wake), decoy $DECOY_KVM"
lab_log "  vhost irqfds: $k_desc"
lab_log "  nested guest interrupts: input.0 +$((irq_rx2 - irq_rx1)) (around +$((irq_rx3 - irq_rx0)))," \
    "output.0 +$((irq_tx2 - irq_tx1)) (around +$((irq_tx3 - irq_tx0)))"
lab_expect "$krc" -eq 0 "kvm_irqfd_stats_summary exited 0 at SIGINT"
lab_expect "$kvm_decoy_rc" -eq 0 "the decoy KVM process signalled its irqfd"
lab_expect "$k_final" -eq 1 "kvm: one final report"
lab_expect "$k_vms" -eq 1 "kvm: one VM (the decoy's is left out)"
lab_expect "$k_decoy" -eq 0 "kvm: no irqfd woken by the decoy process"
lab_expect_within "$((wake - DECOY_KVM - 1))" "$((o_wake - DECOY_KVM - 1))" "$k_wake" \
    "kvm: wakeups = irqfd_wakeup kprobe hits - the decoy's $DECOY_KVM + 1 (its close)"
lab_expect "$k_data_n" -eq 2 "kvm: two vhost irqfds (input.0, output.0)"
lab_expect "$k_data_wake" -le "$o_sig" "kvm: vhost wakeups <= vhost signal calls"
lab_expect "$k_data_wake" -eq "$k_wake" "kvm: each wakeup is a vhost worker's (data plane)"
lab_expect_within "$((irq_rx2 - irq_rx1))" "$((irq_rx3 - irq_rx0))" "$k_inj_rx" \
    "kvm: input.0 injections = the nested guest's input.0 interrupts"
lab_expect_within "$((irq_tx2 - irq_tx1))" "$((irq_tx3 - irq_tx0))" "$k_inj_tx" \
    "kvm: output.0 injections = the nested guest's output.0 interrupts"
lab_expect "$((irq_rx2 - irq_rx1))" -ge 1 "the nested guest got input.0 interrupts"
lab_expect "$k_kicks" -ge 1 "kvm: vCPU kicks counted"
[[ ${#k_vectors[@]} -eq 2 && ${k_vectors[0]} -ge 32 && ${k_vectors[1]} -ge 32 && ${k_vectors[0]} -le 255 &&
    ${k_vectors[1]} -le 255 && ${k_vectors[0]} -ne ${k_vectors[1]} ]] ||
    lab_fail "kvm: MSI vectors ${k_vectors[*]}, expected two distinct in 32-255"
[[ ${#k_gsis[@]} -eq 2 && ${k_gsis[0]} -ne ${k_gsis[1]} ]] || lab_fail "kvm: GSIs ${k_gsis[*]}, expected two distinct"
# Its metrics file (--prometheus-textfile): cumulative, so the sums of all the JSON reports.
promtool check metrics <"$w/kirq.prom" || lab_fail "kvm: promtool rejects the metrics file"
lab_expect "$(prom_sum kirq bpfnet_kvm_irqfd_stats_irqfd_wakeups_total)" -eq "$k_wake" "kvm metrics: irqfd_wakeups_total = the reports' wakeups"
lab_expect "$(prom_sum kirq bpfnet_kvm_irqfd_stats_irqfd_wakeups_total 'plane="data"')" -eq "$k_data_wake" \
    "kvm metrics: irqfd_wakeups_total{plane=data} = the reports' vhost wakeups"
lab_expect "$(prom_sum kirq bpfnet_kvm_irqfd_stats_injections_total kvm_arch_set_irq_inatomic)" -eq "$k_arch" \
    "kvm metrics: injections_total{function=kvm_arch_set_irq_inatomic} = the reports' atomic injections"
lab_expect "$(prom_sum kirq bpfnet_kvm_irqfd_stats_vcpu_kicks_total)" -eq "$k_kicks" "kvm metrics: vcpu_kicks_total = the reports' kicks"

# tun_tx_to_kvm_irq's events: one jq. Chains by id, each in time order.
lab_json_check "$w/ttk.json" "tun_tx_to_kvm_irq"
read -r t_s1 t_s1_ok t_seqs t_chains t_packets t_complete t_suppressed t_other t_unstarted t_badtime \
    t_qemu t_decoy t_foreign t_gsis t_vectors t_final t_events t_e2e <<<"$(jq -rs \
    --arg guest "$LAB_NESTED_GUEST_IP" --arg tap "$LAB_NESTED_TAP" --argjson qemu "$qemu_pid" \
    --argjson decoy "$decoy_kvm_pid" '
    map(select(.stage != null)) as $ev
    | ($ev | map(select(.stage == 1))) as $s1
    | ($s1 | map(.timestamp)) as $starts
    | ($ev | map(select(.stage >= 2)) | group_by(.chain) | map(sort_by(.timestamp, .stage))) as $ch
    | def stages: map(.stage);
    [($s1 | length),
     ($s1 | map(select(.daddr == $guest and .protocol == 1 and .icmp_type == 8 and .device == $tap
                        and .queue == 0)) | length),
     ($s1 | map(.icmp_seq) | unique | length),
     ($ch | length), ($ch | map(.[0].packets) | add // 0),
     ($ch | map(select(stages == [2, 3, 4, 5])) | length), ($ch | map(select(stages == [2])) | length),
     ($ch | map(select(stages != [2] and stages != [2, 3, 4, 5])) | length),
     ($ch | map(select((.[0].timestamp - .[0].total_ns) as $t | $starts | index([$t]) | not)) | length),
     ($ch | map(select(([foreach .[] as $e (0; . + $e.delay_ns; .)] != map(.total_ns))
                       or (map(.packets) | unique | length) != 1
                       or .[0].delay_ns != .[0].total_ns)) | length),
     ($ev | map(select(.stage >= 2 and .qemu_pid != $qemu)) | length),
     ($ev | map(select(.pid == $decoy)) | length), ($ev | map(select(.device != $tap)) | length),
     ($ev | map(select(.stage == 4) | .gsi) | unique | map(tostring) | join(",")),
     ($ev | map(select(.stage >= 4) | .vector) | unique | map(tostring) | join(",")),
     (map(select(.final == true and .events != null)) | length), ($ev | length),
     ($ch | map(select(length == 4) | .[3].total_ns) | max // 0)]
    | map(if . == "" then "-" else . end) | @tsv' "$w/ttk.json")"
t_file=$(jq 'length' "$w/ttk.out.json" 2>/dev/null || echo -1)
lab_log "tun_tx_to_kvm_irq: probes $ttk_progs; stage 1 $t_s1 (seqs $t_seqs), chains $t_chains" \
    "(packets $t_packets): complete $t_complete, suppressed $t_suppressed, other $t_other;" \
    "GSIs $t_gsis vectors $t_vectors; slowest end-to-end ${t_e2e} ns; events $t_events (file $t_file)"
lab_expect "$trc" -eq 0 "tun_tx_to_kvm_irq exited 0 at SIGINT"
lab_expect "$t_final" -eq 1 "ttk: one final object"
lab_expect "$t_s1" -eq "$COUNT" "ttk: stage 1 = the echo requests to the nested guest (UDP and $DECOY left out)"
lab_expect "$t_s1_ok" -eq "$t_s1" "ttk: each an ICMP echo request to the nested guest on $LAB_NESTED_TAP:q0"
lab_expect "$t_seqs" -eq "$COUNT" "ttk: distinct echo sequence numbers"
lab_expect "$t_packets" -eq "$t_s1" "ttk: the chains' packets add up to the stage-1 packets (coalescing rule)"
lab_expect "$t_chains" -ge 1 "ttk: chains"
lab_expect "$t_chains" -le "$COUNT" "ttk: at most one chain per packet"
lab_expect "$t_unstarted" -eq 0 "ttk: each chain starts at a stage-1 packet's time"
lab_expect "$t_other" -eq 0 "ttk: each chain's stages in time order are 2,3,4,5 or 2 alone"
lab_expect "$((t_complete + t_suppressed))" -eq "$t_chains" "ttk: complete + suppressed = chains"
lab_expect "$t_complete" -ge 1 "ttk: complete chains"
lab_expect "$t_badtime" -eq 0 "ttk: delays add up to the end-to-end delay at every stage, exactly"
lab_expect "$t_qemu" -eq 0 "ttk: every chain's QEMU is the nested guest's ($qemu_pid)"
lab_expect "$t_decoy" -eq 0 "ttk: nothing of the decoy KVM process"
lab_expect "$t_foreign" -eq 0 "ttk: nothing of another tap"
[[ $t_gsis == "${k_gsis[0]}" ]] || lab_fail "ttk: stage-4 GSIs $t_gsis, expected input.0's ${k_gsis[0]}"
lab_ok "ttk: stage-4 GSI = input.0's ($t_gsis)"
[[ $t_vectors == "${k_vectors[0]}" ]] || lab_fail "ttk: vectors $t_vectors, expected input.0's ${k_vectors[0]}"
lab_ok "ttk: stage-4/5 vector = input.0's ($t_vectors)"
lab_expect "$t_complete" -le "$((irq_rx3 - irq_rx0))" "ttk: complete chains <= the guest's input.0 interrupts"
lab_expect "$t_file" -eq "$t_events" "ttk: the -o file holds every event"
lab_kprobe_report >&2
lab_log "passed in $(lab_elapsed)"
