# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
# A nested KVM guest inside the lab guest (which lab.sh --nested boots with AMD SVM), on a
# tap device with vhost-net: its traffic crosses the real tun driver, the vhost_net worker,
# KVM irqfd injection and the nested guest's virtio-net driver.
#
#   lab_nested_require                  kvm_amd, vhost_net, tun loaded; /dev/kvm present
#   lab_nested_tap                      tap0 with 10.77.0.1/24 in the lab guest
#   lab_nested_start [--root] CMD       boot the nested guest in the background; it brings
#                                       eth0 up as 10.77.0.2/24, then runs CMD (a shell
#                                       command line); returns at once
#   lab_nested_wait [SEC]               wait for it to power off; print its output; return
#                                       CMD's status (124: time limit, 125: no status)
#   lab_nested_ready [SEC]              wait until its eth0 is configured
#   lab_nested_stop                     end a guest started with CMD = lab_nested_serve
#
# The nested guest boots the lab's own kernel and initramfs (LAB_VMLINUZ, LAB_INITRD, set by
# lab.sh). Without --root CMD runs in its busybox initramfs (sh, ip, ping: fastest). With
# --root it gets the lab guest's root over 9p like the lab guest got the host's, and CMD runs
# with bash there, so guest-side tools (build/bin, bpftool) run in the nested guest too.
# Its console log is $LAB_NESTED_DIR/console.log.

# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
# shellcheck source=netns.sh
source "$(dirname "${BASH_SOURCE[0]}")/netns.sh"

LAB_NESTED_TAP=${LAB_NESTED_TAP:-tap0}
LAB_NESTED_HOST_IP=${LAB_NESTED_HOST_IP:-10.77.0.1}
LAB_NESTED_GUEST_IP=${LAB_NESTED_GUEST_IP:-10.77.0.2}
LAB_NESTED_MEM=${LAB_NESTED_MEM:-256}
LAB_NESTED_BIOS=${LAB_NESTED_BIOS-/usr/share/qemu/qboot.rom}
LAB_NESTED_DIR=""
LAB_NESTED_PID=""

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
    ip tuntap add dev "$LAB_NESTED_TAP" mode tap || lab_fail "cannot create $LAB_NESTED_TAP"
    lab_on_exit "ip link del $LAB_NESTED_TAP"
    sysctl -qw "net.ipv6.conf.$LAB_NESTED_TAP.disable_ipv6=1" 2>/dev/null
    ip addr add "$LAB_NESTED_HOST_IP/24" dev "$LAB_NESTED_TAP"
    ip link set "$LAB_NESTED_TAP" up
}

# The command a nested guest runs to wait for lab_nested_stop (its network stays up).
lab_nested_serve() {
    # shellcheck disable=SC2016 # expanded in the nested guest
    printf '%s\n' 'while [ ! -e "$LAB_IO/stop" ]; do sleep 0.2; done'
}

# shellcheck disable=SC2016 # the job's $variables expand in the nested guest
lab_nested_start() {
    local root=0 io append qemu
    if [[ ${1:-} == --root ]]; then
        root=1
        shift
    fi
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
        printf ': >"$LAB_IO/ready"\n'
        printf '%s\n' "$*"
    } >"$io/job.sh"
    printf 'LAB_KERNEL=%q\nLAB_MODULES_DIR=%q\n' "$LAB_KERNEL" "$LAB_KERNEL_DIR/lib/modules/$LAB_KERNEL" >"$io/lab.conf"
    # Every exit of the nested guest is emulated by TCG: its boot is slow where it touches
    # hardware. Measured on 6.1, from 14 s to 9 s: qboot instead of SeaBIOS, no ACPI tables
    # to parse (a reset ends it: QEMU runs with -no-reboot), no early PCI scan for an AGP
    # aperture (two scans of all 256 buses through port I/O).
    append="console=ttyS0 quiet panic=-1 rdinit=/init lab.io=labio lab.mode=job acpi=off pci=noearly"
    qemu=(qemu-system-x86_64 -nodefaults -no-user-config -enable-kvm -cpu qemu64
        -m "$LAB_NESTED_MEM" -smp 1 -display none -no-reboot -monitor none
        -kernel "$LAB_VMLINUZ" -initrd "$LAB_INITRD"
        -netdev "tap,id=n0,ifname=$LAB_NESTED_TAP,script=no,downscript=no,vhost=on"
        -device "virtio-net-pci,netdev=n0,mac=52:54:00:77:00:02"
        -virtfs "local,path=$io,mount_tag=labio,security_model=none,multidevs=remap"
        -serial "file:$LAB_NESTED_DIR/console.log")
    [[ -f $LAB_NESTED_BIOS ]] && qemu+=(-bios "$LAB_NESTED_BIOS")
    if ((root)); then
        append+=" lab.root=hostroot"
        qemu+=(-virtfs "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap")
    else
        append+=" lab.root=none"
    fi
    qemu+=(-append "$append")
    "${qemu[@]}" </dev/null >"$LAB_NESTED_DIR/qemu.out" 2>&1 &
    LAB_NESTED_PID=$!
    lab_on_exit "lab_nested_kill"
}

# shellcheck disable=SC2317 # called by the EXIT trap
lab_nested_kill() {
    [[ -n $LAB_NESTED_PID ]] || return 0
    kill "$LAB_NESTED_PID" 2>/dev/null
    wait "$LAB_NESTED_PID" 2>/dev/null
    LAB_NESTED_PID=""
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
