# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
# shellcheck source-path=SCRIPTDIR
# What the running kernel provides, tested the way the tools test it (never by version:
# distributions backport), for scenarios whose expectations depend on it.
#
#   lab_drop_reasons [REASON]  true when skb:kfree_skb carries a drop reason (5.17+); with
#                              REASON (e.g. QDISC_DROP), when the kernel also names that one
#   lab_btf_dir                the BTF directory (vmlinux + module BTF, README "Kernels without
#                              BTF") to pass with --btf to tools that read module types; empty
#                              when /sys/kernel/btf has module BTF (5.11+). Fails if needed
#                              but not made (install-deps.sh makes it for 5.10)

# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

lab_drop_reasons() {
    local format=/sys/kernel/tracing/events/skb/kfree_skb/format
    [[ -r $format ]] || lab_fail "no $format: tracefs is not mounted"
    grep -q 'field:.* reason;' "$format" || return 1
    [[ -z ${1:-} ]] || grep -qw "$1" "$format"
}

lab_btf_dir() {
    local dir
    dir=${LAB_CACHE:-/var/cache/bpfnet-lab}/kernels/$(uname -r)/btf
    # The lab's initramfs loads modules (9p, virtio): with module BTF they have files here.
    if compgen -G '/sys/kernel/btf/*' | grep -qvx /sys/kernel/btf/vmlinux; then
        return 0
    fi
    [[ -f $dir/vmlinux ]] || lab_fail "$(uname -r) has no module BTF and $dir is missing: run tests/lab/install-deps.sh"
    printf '%s\n' "$dir"
}
