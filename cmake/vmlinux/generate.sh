#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Regenerates cmake/vmlinux/<arch>/vmlinux.h (README "Generated headers"):
#   cmake/vmlinux/generate.sh x86_64   from this machine's kernel (/sys/kernel/btf/vmlinux)
#   cmake/vmlinux/generate.sh arm64    from Debian's arm64 6.1 kernel of the lab cache
#                                      (tests/lab/install-deps.sh --arch arm64 6.1), its BTF
#                                      taken out of the boot image (btf-from-image.py): the
#                                      same bytes the kernel serves as /sys/kernel/btf/vmlinux
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
arch=${1:?usage: generate.sh x86_64|arm64}
case $arch in
    x86_64)
        bpftool btf dump file /sys/kernel/btf/vmlinux format c >"$here/x86_64/vmlinux.h"
        ;;
    arm64)
        cache=${LAB_CACHE:-/var/cache/bpfnet-lab}
        kver=$(readlink "$cache/kernels/6.1-arm64") ||
            { echo "generate.sh: no arm64 6.1 kernel: run tests/lab/install-deps.sh --arch arm64 6.1" >&2; exit 1; }
        tmp=$(mktemp -d)
        trap 'rm -rf "$tmp"' EXIT
        "$here/btf-from-image.py" "$cache/kernels/$kver/boot/vmlinuz-$kver" "$tmp/vmlinux.btf"
        mkdir -p "$here/arm64"
        bpftool btf dump file "$tmp/vmlinux.btf" format c >"$here/arm64/vmlinux.h"
        echo "generate.sh: arm64/vmlinux.h from $kver" >&2
        ;;
    *) echo "generate.sh: x86_64 or arm64, not '$arch'" >&2; exit 2 ;;
esac
