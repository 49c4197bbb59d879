#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# PID 1 of a lab guest (busybox sh, from the initramfs lab.sh builds). It inserts the modules
# listed in /modules/order, mounts the writable 9p share (lab.io=TAG) with the job, and either
#   lab.root=TAG  mounts that 9p share read-only on /ro, a tmpfs on /rw, their overlay on /mnt,
#                 chroots there (as PID 1) and runs the job with the root's own /bin/bash, or
#   lab.root=none runs the job with busybox sh inside the initramfs (small nested guests; the
#                 arm64 lab, with lab.host=TAG: that 9p share read-only on /host).
# lab.tty=NAME is the serial console of lab.mode=shell (ttyS0, or ttyAMA0 on arm64).
# lab.mode=job sends the job's output to <io>/output and its exit status to <io>/status;
# lab.mode=shell gives it the serial console instead. The guest then resets, which ends QEMU.
# Markers on the console: "LAB-BOOTED" once the share is mounted, "LAB-STATUS <rc>" at the end.

# QEMU runs every lab guest with -no-reboot, so a reset ends it: unlike a power-off, that
# works without ACPI too.
power_off() {
    sync
    reboot -f
    echo b >/proc/sysrq-trigger
    sleep 5
    exit 1
}

finish() { # STATUS IO-DIR
    echo "$1" >"$2/status"
    echo "LAB-STATUS $1"
    power_off
}

if [ "${1:-}" = stage2 ]; then
    PATH=/run/lab-bin:/usr/sbin:/usr/bin:/sbin:/bin
    export PATH
    /run/lab-bin/busybox --install -s /run/lab-bin
    if [ "${2:-job}" = shell ]; then
        setsid -c /bin/bash /run/lab/job.sh </dev/"${3:-ttyS0}" >/dev/"${3:-ttyS0}" 2>&1
    else
        /bin/bash /run/lab/job.sh </dev/null >/run/lab/output 2>&1
    fi
    finish "$?" /run/lab
fi

PATH=/bin
export PATH
/bin/busybox mkdir -p /bin /proc /sys /dev /io /ro /rw /mnt /tmp
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null

say() { echo "lab-init: $*"; }

# The kernel command line decides what this guest is.
io_tag="" root_tag="" host_tag="" tty=ttyS0 mode=job
read -r cmdline </proc/cmdline
for arg in $cmdline; do
    case $arg in
        lab.io=*) io_tag=${arg#lab.io=} ;;
        lab.root=*) root_tag=${arg#lab.root=} ;;
        lab.mode=*) mode=${arg#lab.mode=} ;;
        lab.host=*) host_tag=${arg#lab.host=} ;;
        lab.tty=*) tty=${arg#lab.tty=} ;;
    esac
done

while read -r mod; do
    [ -n "$mod" ] || continue
    insmod "/modules/$mod.ko" 2>/tmp/insmod.err || {
        grep -q 'File exists' /tmp/insmod.err || say "insmod $mod failed: $(cat /tmp/insmod.err)"
    }
done </modules/order

# A bigger msize than the 8 KiB default makes 9p several times faster.
p9_opts="trans=virtio,version=9p2000.L,msize=262144"
if [ -z "$io_tag" ] || ! mount -t 9p -o "$p9_opts,cache=none" "$io_tag" /io; then
    say "cannot mount the io share '$io_tag'"
    power_off
fi
: >/io/booted
echo "LAB-BOOTED $(cut -d' ' -f1 /proc/uptime)"

# lab.conf (written by the runner) sets LAB_KERNEL and LAB_MODULES_DIR.
LAB_KERNEL="" LAB_MODULES_DIR=""
# shellcheck disable=SC1091
[ -f /io/lab.conf ] && . /io/lab.conf
ip link set lo up 2>/dev/null
hostname lab 2>/dev/null

setup_root() {
    mount -t 9p -o "ro,$p9_opts,cache=loose" "$root_tag" /ro || return 1
    mount -t tmpfs -o mode=755 rw /rw || return 1
    mkdir -p /rw/upper /rw/work
    mount -t overlay -o lowerdir=/ro,upperdir=/rw/upper,workdir=/rw/work overlay /mnt || return 1
    mount -t proc proc /mnt/proc
    mount -t sysfs sysfs /mnt/sys
    mount -t devtmpfs devtmpfs /mnt/dev
    mkdir -p /mnt/dev/pts /mnt/dev/shm
    mount -t devpts -o newinstance,ptmxmode=0666 devpts /mnt/dev/pts
    mount -t tmpfs -o mode=1777 shm /mnt/dev/shm
    mount -t tmpfs -o mode=755 run /mnt/run
    mount -t tracefs tracefs /mnt/sys/kernel/tracing
    mount -t debugfs debugfs /mnt/sys/kernel/debug
    mount -t bpf bpf /mnt/sys/fs/bpf
    mount -t cgroup2 cgroup2 /mnt/sys/fs/cgroup 2>/dev/null
    mkdir -p /mnt/run/lab
    mount -o bind /io /mnt/run/lab
    # The root has no modules for this kernel: show the lab's copy as /lib/modules/<version>
    # (resolved inside the root, where /lib may be a link to usr/lib).
    if [ -n "$LAB_KERNEL" ] && [ -n "$LAB_MODULES_DIR" ]; then
        chroot /mnt mkdir -p "/lib/modules/$LAB_KERNEL"
        mdir=$(chroot /mnt readlink -f "/lib/modules/$LAB_KERNEL")
        mount -o bind "/mnt$LAB_MODULES_DIR" "/mnt$mdir" ||
            say "cannot show $LAB_MODULES_DIR as /lib/modules/$LAB_KERNEL"
    fi
    return 0
}

if [ -n "$root_tag" ] && [ "$root_tag" != none ]; then
    if setup_root; then
        # PID 1 shares its fs_struct with kthreadd, so only a chroot by PID 1 itself moves the
        # root that the kernel's own helpers (request_module -> /sbin/modprobe) start in: the
        # job runs from stage 2, which this same script runs as PID 1 inside the new root.
        mkdir -p /mnt/run/lab-bin
        cp /bin/busybox /mnt/run/lab-bin/busybox
        cp /init /mnt/run/lab-bin/init
        exec chroot /mnt /run/lab-bin/busybox sh /run/lab-bin/init stage2 "$mode" "$tty"
    fi
    say "cannot set up the root from the 9p share '$root_tag'"
    echo "lab: guest could not mount its root filesystem" >/io/output
    rc=125
else
    if [ -n "$host_tag" ]; then
        mkdir -p /host
        mount -t 9p -o "ro,$p9_opts,cache=loose" "$host_tag" /host || say "cannot mount the host share '$host_tag'"
        mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
        mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
        mount -t bpf bpf /sys/fs/bpf 2>/dev/null
    fi
    if [ "$mode" = shell ]; then
        setsid -c sh /io/job.sh </dev/"$tty" >/dev/"$tty" 2>&1
    else
        sh /io/job.sh </dev/null >/io/output 2>&1
    fi
    rc=$?
fi
finish "$rc" /io
