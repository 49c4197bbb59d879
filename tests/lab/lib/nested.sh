# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
# A nested KVM guest inside the lab guest (which lab.sh --nested boots with AMD SVM), on a
# tap device with vhost-net: its traffic crosses the real tun driver, the vhost_net worker,
# KVM irqfd injection and the nested guest's virtio-net driver.
#
#   lab_nested_require                  kvm_amd, vhost_net, tun loaded; /dev/kvm present
#   lab_nested_tap [--queues N]         tap0 with 10.77.0.1/24 in the lab guest (N > 1: a
#                                       multi_queue tap, for a guest started with --queues N)
#   lab_nested_start [--libvirt NAME UUID] [--root] [--queues N] CMD
#                                       boot the nested guest in the background; it brings
#                                       eth0 up as 10.77.0.2/24, then runs CMD (a shell
#                                       command line); returns at once. --libvirt: as the
#                                       libvirt domain NAME with UUID (libvirt.sh, after
#                                       lab_libvirt_start), the same kernel, initramfs, tap,
#                                       shares and console
#   lab_nested_host_neigh              the guest job's command that adds the lab guest's tap0
#                                       as a static neighbour (no ARP on tap0)
#   lab_nested_send_from Q COUNT        the guest job's command that pings the lab guest COUNT
#                                       times from CPU Q, which XPS maps to TX queue Q
#   lab_nested_wait [SEC]               wait for it to power off; print its output; return
#                                       CMD's status (124: time limit, 125: no status)
#   lab_nested_ready [SEC]              wait until its eth0 is configured
#   lab_nested_stop                     end a guest started with CMD = lab_nested_serve
#   lab_nested_use I                    select nested guest I (0, 1, ...): the functions above
#                                       and the variables below act on it (default: guest 0)
#
# Several guests: guest I has its own tap, addresses and directory: LAB_NESTED_TAP tapI,
# LAB_NESTED_GUEST_IP 10.77.0.(2+I), LAB_NESTED_MAC 52:54:00:77:00:(02+I) in hex, LAB_NESTED_DIR
# and LAB_NESTED_PID; lab_nested_use I switches these variables to guest I's (guest 0's are
# the single-guest defaults above, overridable by the environment as before). The lab guest's
# address on a tap, LAB_NESTED_HOST_IP, is the same for every guest: lab_nested_tap --bridged
# gives the tap no address (a bridge port), so that the guests reach each other.
#
# The nested guest boots the lab's own kernel and initramfs (LAB_VMLINUZ, LAB_INITRD, set by
# lab.sh). Without --root CMD runs in its busybox initramfs (sh, ip, ping: fastest). With
# --root it gets the lab guest's root over 9p like the lab guest got the host's, and CMD runs
# with bash there, so guest-side tools (build/bin, bpftool) run in the nested guest too.
# Its console log is $LAB_NESTED_DIR/console.log.
#
# --queues N (default $LAB_NESTED_QUEUES, which lab_nested_tap --queues N sets; 1): a
# multi-queue virtio-net NIC, N queue pairs on N vhost-net devices (-netdev tap,queues=N,
# vhost=on, -device virtio-net-pci,mq=on,vectors=2N+2) and N vCPUs. The guest enables the N
# pairs (ethtool -L eth0 combined N where it has ethtool, i.e. --root; virtio-net's default of
# one pair per online CPU does it in busybox), pins queue pair i to CPU i (XPS tx-i = CPU i,
# the input.i interrupt on CPU i, moved there by two pings from CPU i; their ARP and pings
# come before the job's command) and checks that eth0 has N real RX and TX queues before it
# reports ready. What that steers: a packet the guest sends from CPU i leaves on TX queue i,
# reaches tap0's queue i (vhost-net device i); tap0 records the flow's hash -> queue i, and
# the lab guest's answers to that flow leave tap0 on queue i (tun's automatic flow steering)
# into the guest's RX queue i.

# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
# shellcheck source=netns.sh
source "$(dirname "${BASH_SOURCE[0]}")/netns.sh"

LAB_NESTED_TAP=${LAB_NESTED_TAP:-tap0}
LAB_NESTED_HOST_IP=${LAB_NESTED_HOST_IP:-10.77.0.1}
LAB_NESTED_GUEST_IP=${LAB_NESTED_GUEST_IP:-10.77.0.2}
LAB_NESTED_MEM=${LAB_NESTED_MEM:-256}
LAB_NESTED_BIOS=${LAB_NESTED_BIOS-/usr/share/qemu/qboot.rom}
LAB_NESTED_QUEUES=${LAB_NESTED_QUEUES:-1}
LAB_NESTED_MAC=${LAB_NESTED_MAC:-52:54:00:77:00:02}
LAB_NESTED_DIR=""
LAB_NESTED_PID=""
LAB_NESTED_DOMAIN=""
LAB_NESTED_INDEX=0
# Every guest's variables while another is selected: LAB_NESTED_SAVED[I.name].
declare -A LAB_NESTED_SAVED=()

lab_nested_use() {
    local i=$1 v
    if [[ ! $i =~ ^[0-9]+$ ]] || ((i >= 250)); then
        lab_fail "lab_nested_use wants a guest number, got '$i'"
    fi
    for v in TAP GUEST_IP MAC DIR PID QUEUES DOMAIN; do
        v=LAB_NESTED_$v
        LAB_NESTED_SAVED[$LAB_NESTED_INDEX.$v]=${!v}
    done
    LAB_NESTED_INDEX=$i
    if [[ -n ${LAB_NESTED_SAVED[$i.LAB_NESTED_TAP]+set} ]]; then
        for v in TAP GUEST_IP MAC DIR PID QUEUES DOMAIN; do
            v=LAB_NESTED_$v
            printf -v "$v" '%s' "${LAB_NESTED_SAVED[$i.$v]}"
        done
        return 0
    fi
    LAB_NESTED_TAP=tap$i
    LAB_NESTED_GUEST_IP=10.77.0.$((2 + i))
    LAB_NESTED_MAC=$(printf '52:54:00:77:00:%02x' $((2 + i)))
    LAB_NESTED_DIR="" LAB_NESTED_PID="" LAB_NESTED_QUEUES=1 LAB_NESTED_DOMAIN=""
}

lab_nested_require() {
    grep -qw svm /proc/cpuinfo ||
        lab_fail "no SVM in the lab guest's CPU: run this scenario with lab.sh --nested"
    lab_modprobe kvm_amd vhost_net tun
    lab_wait_for 5 test -c /dev/kvm || lab_fail "kvm_amd loaded but /dev/kvm did not appear"
    [[ -c /dev/vhost-net ]] || lab_fail "vhost_net loaded but /dev/vhost-net is missing"
    [[ -n ${LAB_VMLINUZ:-} && -f $LAB_VMLINUZ ]] || lab_fail "LAB_VMLINUZ not set: run inside tests/lab/lab.sh"
    [[ -n ${LAB_INITRD:-} && -f $LAB_INITRD ]] || lab_fail "LAB_INITRD not set: run inside tests/lab/lab.sh"
    lab_require_cmd qemu-system-x86_64 qemu-system-x86
}

lab_nested_tap() {
    local mq=() bridged=0
    while (($# > 0)); do
        case $1 in
            --queues)
                [[ ${2:-} =~ ^[1-9][0-9]*$ ]] || lab_fail "lab_nested_tap --queues wants a number, got '${2:-}'"
                LAB_NESTED_QUEUES=$2
                shift
                ;;
            --bridged) bridged=1 ;;
            *) lab_fail "lab_nested_tap: unknown option '$1'" ;;
        esac
        shift
    done
    ((LAB_NESTED_QUEUES > 1)) && mq=(multi_queue)
    ip tuntap add dev "$LAB_NESTED_TAP" mode tap "${mq[@]}" || lab_fail "cannot create $LAB_NESTED_TAP"
    lab_on_exit "ip link del $LAB_NESTED_TAP"
    sysctl -qw "net.ipv6.conf.$LAB_NESTED_TAP.disable_ipv6=1" 2>/dev/null
    ((bridged)) || ip addr add "$LAB_NESTED_HOST_IP/24" dev "$LAB_NESTED_TAP"
    ip link set "$LAB_NESTED_TAP" up
}

# The command a nested guest runs to wait for lab_nested_stop (its network stays up).
lab_nested_serve() {
    # shellcheck disable=SC2016 # expanded in the nested guest
    printf '%s\n' 'while [ ! -e "$LAB_IO/stop" ]; do sleep 0.2; done'
}

# The guest job's command line that makes tap0's address a static neighbour of eth0: busybox's
# ip has no "neigh replace", its arp -s does it.
lab_nested_host_neigh() {
    local mac
    mac=$(cat "/sys/class/net/$LAB_NESTED_TAP/address")
    printf 'ip neigh replace %s lladdr %s dev eth0 nud permanent 2>/dev/null || arp -i eth0 -s %s %s\n' \
        "$LAB_NESTED_HOST_IP" "$mac" "$LAB_NESTED_HOST_IP" "$mac"
}

# The guest job's command line that pings the lab guest COUNT times, 0.2 s apart, from CPU Q
# (its TX queue Q, and the answers' RX queue Q, with --queues); ping's summary goes to
# $LAB_IO/sent.Q. Its own flow (ICMP id) each time, the same addresses: tap0's flow table
# holds queue Q for them from the first request on.
lab_nested_send_from() {
    # shellcheck disable=SC2016 # expanded in the nested guest
    printf 'taskset -c %d ping -n -q -c %d -i 0.2 -w 60 %s >"$LAB_IO/sent.%d" 2>&1\n' \
        "$1" "$2" "$LAB_NESTED_HOST_IP" "$1"
}

# shellcheck disable=SC2016 # the job's $variables expand in the nested guest
lab_nested_start() {
    local root=0 io append qemu queues=$LAB_NESTED_QUEUES domain=()
    while (($# > 0)); do
        case $1 in
            --root) root=1 ;;
            --libvirt)
                (($# >= 3)) || lab_fail "lab_nested_start --libvirt wants a domain name and UUID"
                domain=("$2" "$3")
                shift 2
                ;;
            --queues)
                [[ ${2:-} =~ ^[1-9][0-9]*$ ]] || lab_fail "lab_nested_start --queues wants a number, got '${2:-}'"
                queues=$2
                shift
                ;;
            *) break ;;
        esac
        shift
    done
    (($# > 0)) || lab_fail "lab_nested_start: no command"
    [[ -z $LAB_NESTED_PID ]] || lab_fail "a nested guest is already running"
    LAB_NESTED_DIR=$(mktemp -d /tmp/lab-nested.XXXXXX)
    io=$LAB_NESTED_DIR/io
    mkdir -p "$io"
    {
        if ((root)); then
            printf '#!/bin/bash\nexport LAB_IO=/run/lab PATH=%q\n' "$PATH"
        else
            printf '#!/bin/sh\nexport LAB_IO=/io\n'
        fi
        printf 'export LAB_KERNEL=%q LAB_NESTED_GUEST=1\n' "$LAB_KERNEL"
        # No IPv6 chatter: the packets on tap0 are the ones the scenario sends.
        printf 'for f in /proc/sys/net/ipv6/conf/*/disable_ipv6; do echo 1 >"$f"; done 2>/dev/null\n'
        printf 'ip link set eth0 up && ip addr add %q dev eth0 || exit 125\n' "$LAB_NESTED_GUEST_IP/24"
        if ((queues > 1)); then
            printf 'command -v ethtool >/dev/null && { ethtool -L eth0 combined %d || exit 125; }\n' "$queues"
            printf 'i=0; while [ $i -lt %d ]; do\n' "$queues"
            printf '  printf %%x $((1 << i)) >/sys/class/net/eth0/queues/tx-$i/xps_cpus || exit 125\n'
            printf '  for irq in $(sed -n "s/^ *\\([0-9]*\\):.*-input\\.$i\\$/\\1/p" /proc/interrupts); do\n'
            printf '    echo $i >/proc/irq/$irq/smp_affinity_list\n  done\n  i=$((i + 1))\ndone\n'
            printf '[ "$(ls -d /sys/class/net/eth0/queues/rx-* | wc -l)" = %d ] || exit 125\n' "$queues"
            printf '[ "$(ls -d /sys/class/net/eth0/queues/tx-* | wc -l)" = %d ] || exit 125\n' "$queues"
            # x86 moves an MSI to its new CPU at its next interrupt: two pings from each CPU
            # (the second answer comes in on that CPU's queue), before any counter is read.
            printf 'i=0; while [ $i -lt %d ]; do taskset -c $i ping -n -q -c 2 -i 0.2 -w 5 %s >/dev/null; i=$((i + 1)); done\n' \
                "$queues" "$LAB_NESTED_HOST_IP"
            # Per vector: "irq name CPU effective-CPU", for the scenario's log.
            printf 'for irq in $(sed -n "s/^ *\\([0-9]*\\):.*virtio.*put\\..*/\\1/p" /proc/interrupts); do\n'
            printf '  echo "$irq $(sed -n "s/^ *$irq:.* //p" /proc/interrupts) $(cat /proc/irq/$irq/smp_affinity_list) $(cat /proc/irq/$irq/effective_affinity_list)"\n'
            printf 'done >"$LAB_IO/queues.cfg" 2>&1\n'
        fi
        printf 'ls -d /sys/class/net/eth0/queues/rx-* | wc -l >"$LAB_IO/queues"\n'
        printf ': >"$LAB_IO/ready"\n'
        printf '%s\n' "$*"
    } >"$io/job.sh"
    printf 'LAB_KERNEL=%q\nLAB_MODULES_DIR=%q\n' "$LAB_KERNEL" "$LAB_KERNEL_DIR/lib/modules/$LAB_KERNEL" >"$io/lab.conf"
    # Every exit of the nested guest is emulated by TCG: its boot is slow where it touches
    # hardware. Measured on 6.1, from 14 s to 9 s: qboot instead of SeaBIOS, no ACPI tables
    # to parse (a reset ends it: QEMU runs with -no-reboot), no early PCI scan for an AGP
    # aperture (two scans of all 256 buses through port I/O).
    append="console=ttyS0 quiet panic=-1 rdinit=/init lab.io=labio lab.mode=job acpi=off pci=noearly"
    if ((root)); then append+=" lab.root=hostroot"; else append+=" lab.root=none"; fi
    if ((${#domain[@]})); then
        declare -F lab_libvirt_boot_nested >/dev/null || lab_fail "lab_nested_start --libvirt: source lib/libvirt.sh"
        lab_libvirt_boot_nested "${domain[@]}" "$LAB_NESTED_DIR" "$root" "$queues" "$append"
        lab_on_exit "lab_nested_kill $LAB_NESTED_INDEX"
        return 0
    fi
    local netdev="tap,id=n0,ifname=$LAB_NESTED_TAP,script=no,downscript=no,vhost=on"
    local nic="virtio-net-pci,netdev=n0,mac=$LAB_NESTED_MAC"
    if ((queues > 1)); then
        netdev+=",queues=$queues"
        nic+=",mq=on,vectors=$((2 * queues + 2))"
    fi
    qemu=(qemu-system-x86_64 -nodefaults -no-user-config -enable-kvm -cpu qemu64
        -m "$LAB_NESTED_MEM" -smp "$queues" -display none -no-reboot -monitor none
        -kernel "$LAB_VMLINUZ" -initrd "$LAB_INITRD"
        -netdev "$netdev" -device "$nic"
        -virtfs "local,path=$io,mount_tag=labio,security_model=none,multidevs=remap"
        -serial "file:$LAB_NESTED_DIR/console.log")
    [[ -f $LAB_NESTED_BIOS ]] && qemu+=(-bios "$LAB_NESTED_BIOS")
    ((root)) && qemu+=(-virtfs "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap")
    qemu+=(-append "$append")
    "${qemu[@]}" </dev/null >"$LAB_NESTED_DIR/qemu.out" 2>&1 &
    LAB_NESTED_PID=$!
    lab_on_exit "lab_nested_kill $LAB_NESTED_INDEX"
}

# lab_nested_kill [I]: the selected guest, or guest I (the selection stays).
# shellcheck disable=SC2317,SC2120 # called by the EXIT trap (with I)
lab_nested_kill() {
    local was=$LAB_NESTED_INDEX
    [[ -n ${1:-} ]] && lab_nested_use "$1"
    if [[ -n $LAB_NESTED_DOMAIN ]]; then
        lab_virsh destroy "$LAB_NESTED_DOMAIN" >/dev/null 2>&1
        LAB_NESTED_PID=""
    elif [[ -n $LAB_NESTED_PID ]]; then
        kill "$LAB_NESTED_PID" 2>/dev/null
        wait "$LAB_NESTED_PID" 2>/dev/null
        LAB_NESTED_PID=""
    fi
    [[ -n ${1:-} ]] && lab_nested_use "$was"
    return 0
}

lab_nested_alive() {
    [[ -n $LAB_NESTED_PID ]] && kill -0 "$LAB_NESTED_PID" 2>/dev/null
}

lab_nested_wait() {
    local limit=$((${1:-120} * LAB_SLOWDOWN)) start=$SECONDS rc io=$LAB_NESTED_DIR/io
    [[ -n $LAB_NESTED_PID ]] || lab_fail "no nested guest started"
    while lab_nested_alive; do
        if ((SECONDS - start >= limit)); then
            lab_log "nested guest still running after $limit s: killed"
            lab_nested_kill
            tail -n 20 "$LAB_NESTED_DIR/console.log" >&2
            return 124
        fi
        sleep 0.2
    done
    wait "$LAB_NESTED_PID" 2>/dev/null
    LAB_NESTED_PID=""
    cat "$io/output" 2>/dev/null
    if [[ ! -s $io/status ]]; then
        lab_log "nested guest ended without a status; its console and QEMU said:"
        tail -n 20 "$LAB_NESTED_DIR/console.log" "$LAB_NESTED_DIR/qemu.out" >&2
        return 125
    fi
    rc=$(<"$io/status")
    return "$rc"
}

lab_nested_ready() {
    local limit=${1:-90}
    lab_wait_for "$limit" lab_nested_ready_or_gone && [[ -e $LAB_NESTED_DIR/io/ready ]]
}

lab_nested_ready_or_gone() {
    [[ -e $LAB_NESTED_DIR/io/ready ]] || ! lab_nested_alive
}

lab_nested_stop() {
    [[ -n $LAB_NESTED_DIR ]] && : >"$LAB_NESTED_DIR/io/stop"
}
