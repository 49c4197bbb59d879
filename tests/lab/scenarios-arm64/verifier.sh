#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# lab-options: --arch arm64 --timeout 900
# The arm64 verifier scenario (tests/README.md, "arm64 lab"): every BPF object of the arm64
# cross build (modern and legacy variants, build-arm64/gen) loads on Debian's arm64 kernel,
# with the kernel's own BTF and the module BTF of the modules the tools read types from (the
# initramfs inserted them: lab.sh --arch arm64), and the legacy ones pass the 4.19 scan.
# Runs with the initramfs's busybox sh; the host's / is $LAB_HOST (lab.sh). Prints one line
# per object, "ok OBJECT" or "FAIL OBJECT" with bpf_verify's lines about it.
#   BPFNET_BIN=$PWD/build-arm64/bin tests/lab/lab.sh --arch arm64 --kernel 6.1 verifier
set -u
say() { echo "[verifier-arm64] $*"; }
host=${LAB_HOST:-}
bin=${BPFNET_BIN:-$PWD/build-arm64/bin}
case $bin in /*) ;; *) bin=$PWD/$bin ;; esac
case $bin in "$host"/*) ;; *) bin=$host$bin ;; esac
build=$(cd "$bin/.." && pwd) || { say "FAIL: no $bin"; exit 1; }
verify=$build/tests/bpf_verify
[ -x "$verify" ] || { say "FAIL: no $verify: cross-build the project first (README, arm64)"; exit 1; }
[ "$(uname -m)" = aarch64 ] || { say "FAIL: not an arm64 guest ($(uname -m))"; exit 1; }
[ -e /sys/kernel/btf/vmlinux ] || { say "FAIL: no /sys/kernel/btf/vmlinux on $(uname -r)"; exit 1; }
for m in openvswitch tun vhost vhost_net nf_conntrack virtio_net; do
    [ -e "/sys/kernel/btf/$m" ] || { say "FAIL: no module BTF for $m on $(uname -r)"; exit 1; }
done
set -- "$build"/gen/*/*.bpf.o
[ -e "$1" ] || { say "FAIL: no BPF objects under $build/gen"; exit 1; }

# One bpf_verify for all objects (a process start costs under TCG); its lines name the object.
start=$(cut -d' ' -f1 /proc/uptime)
"$verify" --legacy-scan "$@" >/tmp/verify.out 2>&1
rc=$?
end=$(cut -d' ' -f1 /proc/uptime)
failed=0
for obj in "$@"; do
    name=${obj#"$build"/gen/}
    if grep -q "^FAIL $obj:" /tmp/verify.out || ! grep -q "^\(ok  \|skip\) $obj:" /tmp/verify.out; then
        failed=$((failed + 1))
        echo "FAIL $name"
        grep -A 30 "^FAIL $obj:" /tmp/verify.out | sed 's/^/    /' | head -n 40
    else
        echo "ok $name ($(grep -c "^ok   $obj:" /tmp/verify.out) programs$(grep -q "^skip $obj:" /tmp/verify.out && echo ", some skipped"))"
    fi
done
tail -n 1 /tmp/verify.out
say "$(($# - failed))/$# objects load on $(uname -r) ($(uname -m)), bpf_verify $(echo "$start $end" | awk '{ printf "%.0f", $2 - $1 }') s"
if [ "$failed" -gt 0 ] || [ "$rc" -ne 0 ]; then
    say "FAIL: $failed object(s) do not load (bpf_verify exit $rc)"
    exit 1
fi
say "ok: $# objects load on $(uname -r) with the module BTF of /sys/kernel/btf"
