# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
# libvirt's daemon in the lab guest, running nested KVM guests as libvirt domains: the state
# the VM pair tools read (/run/libvirt/qemu/NAME.xml, a domain's live XML) is written by the
# real daemon.
#
#   lab_libvirt_start                   start libvirtd by hand (no init system): its QEMU
#                                       driver only, root's QEMU without cgroups, namespaces
#                                       or a security driver; returns at once (its start,
#                                       12-20 s on 6.1 under TCG, overlaps the caller's setup)
#   lab_libvirt_wait                    wait until virsh reaches it (lab_nested_start
#                                       --libvirt does)
#   lab_virsh ARGS...                   virsh on qemu:///system, at most 60 s (times LAB_SLOWDOWN)
#   lab_libvirt_domain_pid NAME         the PID of domain NAME's QEMU (libvirt's PID file)
#   lab_nested_start --libvirt NAME UUID [--root] CMD   (nested.sh) the nested guest as domain
#                                       NAME with UUID, defined with virsh define and started
#                                       with virsh start; its QEMU is LAB_NESTED_PID
#
# The lab guest's root is the host's, read-only, under a tmpfs overlay: /etc/libvirt/qemu.conf
# written here and /run/libvirt, /var/lib/libvirt, /var/cache/libvirt exist only in this
# guest. The daemon's log: $LAB_LIBVIRT_DIR/libvirtd.log. Debian 12 ships the monolithic
# libvirtd (no virtqemud); it starts without virtlogd (stdio_handler "file") and without the
# network, storage, nodedev, nwfilter, interface and secret drivers (LIBVIRT_DRIVER_DIR holds
# the QEMU driver alone).

# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

LAB_LIBVIRT_DIR=""
LAB_LIBVIRT_PID=""
LAB_LIBVIRT_STARTED=0
LAB_LIBVIRT_UP=0

# Bounded: a libvirtd that stops answering fails the call instead of hanging the scenario.
lab_virsh() {
    timeout -k 5 "$((60 * LAB_SLOWDOWN))" virsh -q -c qemu:///system "$@"
}

lab_libvirt_start() {
    local drivers=/usr/lib/x86_64-linux-gnu/libvirt/connection-driver
    lab_require_cmd libvirtd libvirt-daemon
    lab_require_cmd virsh libvirt-clients
    [[ -f $drivers/libvirt_driver_qemu.so ]] || lab_fail "$drivers/libvirt_driver_qemu.so missing (package libvirt-daemon-driver-qemu): run tests/install-deps.sh --lab"
    # /etc/libvirt/qemu.conf has no other place for a privileged daemon: only in a lab guest,
    # whose root is a tmpfs overlay.
    [[ $(findmnt -n -o FSTYPE /) == overlay && -n ${LAB_KERNEL:-} ]] ||
        lab_fail "lab_libvirt_start writes /etc/libvirt/qemu.conf: run it in a lab guest only"
    [[ -z $LAB_LIBVIRT_PID ]] || lab_fail "libvirtd is already running"
    LAB_LIBVIRT_DIR=$(mktemp -d /tmp/lab-libvirt.XXXXXX)
    mkdir -p "$LAB_LIBVIRT_DIR/drivers" /etc/libvirt
    ln -s "$drivers/libvirt_driver_qemu.so" "$LAB_LIBVIRT_DIR/drivers/"
    # The QEMU driver resolves Debian's built-in QEMU user and group before it reads
    # qemu.conf (libvirt-daemon-system would create them): this guest's own.
    getent group libvirt-qemu >/dev/null || groupadd -r libvirt-qemu || lab_fail "groupadd libvirt-qemu failed"
    getent passwd libvirt-qemu >/dev/null || useradd -r -g libvirt-qemu -d /var/lib/libvirt -s /usr/sbin/nologin libvirt-qemu ||
        lab_fail "useradd libvirt-qemu failed"
    # QEMU runs as root with the lab's files as they are: no user switch, no relabelling,
    # no cgroups (no systemd, no machined), no private /dev, no seccomp sandbox to set up.
    cat >/etc/libvirt/qemu.conf <<'EOF'
user = "root"
group = "root"
dynamic_ownership = 0
remember_owner = 0
security_driver = "none"
cgroup_controllers = [ ]
namespaces = [ ]
stdio_handler = "file"
EOF
    cat >"$LAB_LIBVIRT_DIR/libvirtd.conf" <<EOF
log_outputs = "3:file:$LAB_LIBVIRT_DIR/libvirtd.log"
EOF
    LIBVIRT_DRIVER_DIR=$LAB_LIBVIRT_DIR/drivers libvirtd -f "$LAB_LIBVIRT_DIR/libvirtd.conf" \
        </dev/null >"$LAB_LIBVIRT_DIR/libvirtd.out" 2>&1 &
    LAB_LIBVIRT_PID=$!
    LAB_LIBVIRT_STARTED=$SECONDS LAB_LIBVIRT_UP=0
    lab_on_exit "lab_libvirt_stop"
}

lab_libvirt_wait() {
    [[ -n $LAB_LIBVIRT_PID ]] || lab_fail "libvirtd not started: run lab_libvirt_start first"
    ((LAB_LIBVIRT_UP)) && return 0
    lab_wait_for 90 lab_libvirt_up ||
        lab_fail "libvirtd did not answer within $((90 * LAB_SLOWDOWN)) s: $(tail -n 20 "$LAB_LIBVIRT_DIR/libvirtd.out" "$LAB_LIBVIRT_DIR/libvirtd.log" 2>&1)"
    LAB_LIBVIRT_UP=1
    lab_log "libvirtd $(libvirtd --version | awk '{ print $NF }') (PID $LAB_LIBVIRT_PID) answered $((SECONDS - LAB_LIBVIRT_STARTED)) s after its start"
}

# shellcheck disable=SC2317 # called through lab_wait_for
lab_libvirt_up() {
    kill -0 "$LAB_LIBVIRT_PID" 2>/dev/null ||
        lab_fail "libvirtd exited: $(tail -n 20 "$LAB_LIBVIRT_DIR/libvirtd.out" "$LAB_LIBVIRT_DIR/libvirtd.log" 2>&1)"
    lab_virsh version >/dev/null 2>&1
}

# shellcheck disable=SC2317 # called by the EXIT trap
lab_libvirt_stop() {
    local name
    [[ -n $LAB_LIBVIRT_PID ]] || return 0
    while read -r name; do
        [[ -n $name ]] && lab_virsh destroy "$name" >/dev/null 2>&1
    done <<<"$(lab_virsh list --name 2>/dev/null)" # no /dev/fd in the lab guest
    kill "$LAB_LIBVIRT_PID" 2>/dev/null
    lab_wait_for 20 lab_libvirt_gone || kill -KILL "$LAB_LIBVIRT_PID" 2>/dev/null
    wait "$LAB_LIBVIRT_PID" 2>/dev/null
    LAB_LIBVIRT_PID=""
}

# shellcheck disable=SC2317 # called through lab_wait_for
lab_libvirt_gone() { ! kill -0 "$LAB_LIBVIRT_PID" 2>/dev/null; }

lab_libvirt_domain_pid() {
    local pid
    pid=$(cat "/run/libvirt/qemu/$1.pid" 2>/dev/null) || return 1 # no newline at its end
    [[ $pid =~ ^[0-9]+$ ]] && printf '%s\n' "$pid"
}

# shellcheck disable=SC2034 # LAB_NESTED_PID and _DOMAIN are nested.sh's
# lab_libvirt_boot_nested NAME UUID DIR ROOT QUEUES APPEND: called by lab_nested_start
# --libvirt with the selected guest's tap, MAC and memory; the domain's XML is DIR/NAME.xml,
# its serial console DIR/console.log, as with QEMU started directly.
lab_libvirt_boot_nested() {
    local name=$1 uuid=$2 dir=$3 root=$4 queues=$5 append=$6 xml mq="" loader="" rootfs=""
    lab_libvirt_wait
    ((queues > 1)) && mq=" queues='$queues'"
    [[ -f $LAB_NESTED_BIOS ]] && loader="<loader type='rom'>$LAB_NESTED_BIOS</loader>"
    if ((root)); then
        rootfs="<filesystem type='mount' accessmode='squash' multidevs='remap'>
      <source dir='/'/>
      <target dir='hostroot'/>
      <readonly/>
    </filesystem>"
    fi
    xml=$dir/$name.xml
    # No <features><acpi/>: QEMU without ACPI, as started directly; on_reboot destroy is
    # QEMU's -no-reboot (the guest's end is a reset).
    cat >"$xml" <<EOF
<domain type='kvm'>
  <name>$name</name>
  <uuid>$uuid</uuid>
  <memory unit='MiB'>$LAB_NESTED_MEM</memory>
  <vcpu>$queues</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    $loader
    <kernel>$LAB_VMLINUZ</kernel>
    <initrd>$LAB_INITRD</initrd>
    <cmdline>$append</cmdline>
  </os>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>destroy</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    <emulator>$(command -v qemu-system-x86_64)</emulator>
    <interface type='ethernet'>
      <mac address='$LAB_NESTED_MAC'/>
      <target dev='$LAB_NESTED_TAP' managed='no'/>
      <model type='virtio'/>
      <driver name='vhost'$mq/>
    </interface>
    <filesystem type='mount' accessmode='squash' multidevs='remap'>
      <source dir='$dir/io'/>
      <target dir='labio'/>
    </filesystem>
    $rootfs
    <serial type='file'>
      <source path='$dir/console.log'/>
      <target port='0'/>
    </serial>
    <controller type='usb' model='none'/>
    <memballoon model='none'/>
  </devices>
</domain>
EOF
    lab_virsh define "$xml" >"$dir/virsh.out" 2>&1 || lab_fail "virsh define $xml: $(cat "$dir/virsh.out")"
    lab_on_exit "lab_virsh undefine $name"
    lab_virsh start "$name" >"$dir/virsh.out" 2>&1 ||
        lab_fail "virsh start $name: $(cat "$dir/virsh.out"; tail -n 5 "/var/log/libvirt/qemu/$name.log" 2>/dev/null)"
    LAB_NESTED_PID=$(lab_libvirt_domain_pid "$name") ||
        lab_fail "domain $name started without a PID file: $(ls /run/libvirt/qemu; lab_virsh domstate --reason "$name"; tail -n 5 "/var/log/libvirt/qemu/$name.log") 2>&1"
    LAB_NESTED_DOMAIN=$name
}
