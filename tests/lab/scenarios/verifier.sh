#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# lab-options: --timeout 300
# Every BPF object of the suite (modern and legacy variants) loads on this lab kernel, with the
# kernel's own BTF and the module BTF of the modules the tools read types from: from
# /sys/kernel/btf, or on kernels without module BTF (5.10) from the BTF directory a user makes
# (README, "Kernels without BTF"), passed with --btf as to the tools.
set -euo pipefail
source "$(dirname "$0")/../lib/common.sh"
source "$(dirname "$0")/../lib/kernel.sh"

build=$(cd "${BPFNET_BIN:-$(dirname "$0")/../../../build/bin}/.." && pwd)
verify=$build/tests/bpf_verify
[[ -x $verify ]] || lab_fail "no $verify: build the project first"
shopt -s nullglob
objects=("$build"/gen/*/*.bpf.o)
(( ${#objects[@]} > 0 )) || lab_fail "no BPF objects under $build/gen"

# Modules whose types or functions the tools use; all exist in Debian's kernels.
lab_modprobe openvswitch tun vhost_net nf_conntrack nf_defrag_ipv4 kvm virtio_net
btf=()
btf_dir=$(lab_btf_dir)
if [[ -n $btf_dir ]]; then
    btf=(--btf "$btf_dir")
    btf_from=$btf_dir
else
    btf_from=/sys/kernel/btf
fi
for m in openvswitch tun vhost_net nf_conntrack kvm virtio_net; do
    [[ -e $btf_from/$m ]] || lab_fail "no module BTF for $m in $btf_from on $(uname -r)"
done

"$verify" "${btf[@]}" --legacy-scan "${objects[@]}" || lab_fail "some BPF objects do not load on $(uname -r)"
lab_ok "${#objects[@]} objects load on $(uname -r) with the module BTF of $btf_from"
