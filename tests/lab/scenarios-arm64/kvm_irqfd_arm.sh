#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# lab-options: --arch arm64 --nested --timeout 300
# kvm_irqfd_stats_summary_arm on a real arm64 KVM: the guest runs at EL2 (--nested: -machine
# virt,virtualization=on,gic-version=3; KVM in VHE mode with a vGICv3) and kvm_irq_vm (tests/
# lab/arm64/kvm_irq_vm.c, no QEMU for arm64 here) is the VMM: one vCPU whose guest enables
# SPI 32, acknowledges each interrupt and counts it. The watched VM gets N interrupts through
# its irqfd (GSI 0 = SPI 32), a decoy VM M at the same time. Asserts, summed over the tool's
# JSON reports: irqfd wakeups = N, vgic_queue_irq_unlock of intid 32 = N, list-register
# injections of intid 32 >= N (an interrupt is written again if the vCPU leaves the guest
# between acknowledge and end), all GICv3, none GICv2; and that the guest acknowledged N.
#   BPFNET_BIN=$PWD/build-arm64/bin tests/lab/lab.sh --arch arm64 --kernel 6.1 kvm_irqfd_arm
set -u
say() { echo "[kvm_irqfd_arm] $*"; }
fail() { say "FAIL: $*"; [ -f /tmp/tool.err ] && sed 's/^/    /' /tmp/tool.err; exit 1; }
host=${LAB_HOST:-}
bin=${BPFNET_BIN:-$PWD/build-arm64/bin}
case $bin in /*) ;; *) bin=$PWD/$bin ;; esac
case $bin in "$host"/*) ;; *) bin=$host$bin ;; esac
build=$(cd "$bin/.." && pwd) || fail "no $bin"
vmm=$build/tests/kvm_irq_vm
tool=$bin/kvm_irqfd_stats_summary_arm
[ -x "$vmm" ] && [ -x "$tool" ] || fail "no $vmm or $tool: cross-build the project first"
[ -c /dev/kvm ] || fail "no /dev/kvm: the guest needs EL2 (lab.sh --nested)"
N=10 M=7

"$vmm" $N >/tmp/vm.out 2>&1 &
vm=$!
"$vmm" $M >/tmp/decoy.out 2>&1 &
decoy=$!
i=0
until grep -q ready /tmp/vm.out && grep -q ready /tmp/decoy.out; do
    i=$((i + 1)); [ $i -lt 100 ] || fail "the VMs did not start: $(cat /tmp/vm.out /tmp/decoy.out)"
    sleep 0.2
done
t0=$(cut -d' ' -f1 /proc/uptime)
"$tool" "$vm" --interval 1 --json --ready-file /tmp/ready >/tmp/tool.json 2>/tmp/tool.err &
tp=$!
i=0
until [ -e /tmp/ready ]; do
    kill -0 $tp 2>/dev/null || fail "the tool exited before attaching"
    i=$((i + 1)); [ $i -lt 600 ] || fail "the tool did not attach within 120 s"
    sleep 0.2
done
t1=$(cut -d' ' -f1 /proc/uptime)
say "attached after $(echo "$t0 $t1" | awk '{ printf "%.1f", $2 - $1 }') s"
kill -USR1 $vm $decoy
wait $vm; vrc=$?
wait $decoy
sleep 1.5
kill -INT $tp
wait $tp; trc=$?
say "VM: $(tail -n1 /tmp/vm.out); decoy: $(tail -n1 /tmp/decoy.out); tool exit $trc, $(wc -l </tmp/tool.json) reports"
[ $vrc -eq 0 ] || fail "the watched guest did not acknowledge $N interrupts"
[ $trc -eq 0 ] || fail "the tool exited $trc"

# Sums over the reports (one JSON object per line), with busybox awk: the totals and intid 32.
set -- $(awk '
    { if (match($0, /"irqfd_wakeup":[0-9]+/)) w += substr($0, RSTART + 15, RLENGTH - 15)
      s = $0
      while (match(s, /"vgic_queue_by_intid":\[[^]]*\]/)) {
          q = substr(s, RSTART, RLENGTH); s = substr(s, RSTART + RLENGTH)
          if (match(q, /\{"intid":32,"count":[0-9]+/)) vq += substr(q, RSTART + 20, RLENGTH - 20)
          while (match(q, /"count":[0-9]+/)) { vqall += substr(q, RSTART + 8, RLENGTH - 8); q = substr(q, RSTART + RLENGTH) }
      }
      s = $0
      while (match(s, /"populate_lr_by_intid":\[[^]]*\]/)) {
          q = substr(s, RSTART, RLENGTH); s = substr(s, RSTART + RLENGTH)
          if (match(q, /\{"intid":32,"count":[0-9]+,"gicv2":[0-9]+,"gicv3":[0-9]+/)) {
              e = substr(q, RSTART, RLENGTH); split(e, f, /[:,]/)
              lr += f[4]; v2 += f[6]; v3 += f[8]
          }
      }
    }
    END { printf "%d %d %d %d %d %d\n", w, vq, vqall, lr, v2, v3 }' /tmp/tool.json)
wake=$1 vq=$2 vqall=$3 lr=$4 v2=$5 v3=$6
say "irqfd wakeups $wake, vgic_queue intid 32: $vq (all intids $vqall), populate_lr intid 32: $lr (gicv2 $v2, gicv3 $v3)"
[ "$wake" -eq $N ] || fail "irqfd wakeups: $wake, expected $N (the decoy VM's $M must not count)"
[ "$vq" -eq $N ] || fail "vgic_queue_irq_unlock of intid 32: $vq, expected $N"
[ "$vqall" -eq $N ] || fail "vgic_queue_irq_unlock of all intids: $vqall, expected $N (the decoy's are another VM)"
[ "$lr" -ge $N ] || fail "list-register injections of intid 32: $lr, expected >= $N"
[ "$v3" -eq "$lr" ] && [ "$v2" -eq 0 ] || fail "list-register injections: gicv3 $v3 of $lr, gicv2 $v2"
say "ok: $N interrupts of the watched VM counted at every step, the decoy VM's $M not"
