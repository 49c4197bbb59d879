#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# bpf_verify --btf takes what the tools take: a directory laid out as /sys/kernel/btf is merged
# and the objects are relocated against it (the lab verifies 5.10 this way).
# usage: btf_dir.sh BPF_VERIFY OBJECT...
set -u
verify=$1
shift
[ -r /sys/kernel/btf/vmlinux ] || { echo "no /sys/kernel/btf/vmlinux on this host"; exit 77; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cp /sys/kernel/btf/vmlinux "$dir/vmlinux"
"$verify" --btf "$dir" "$@" || { echo "bpf_verify --btf DIR failed"; exit 1; }
out=$("$verify" --btf "$dir/missing" "$@" 2>&1) && { echo "bpf_verify accepted a missing BTF path"; exit 1; }
grep -q "missing" <<<"$out" || { echo "no message naming the missing BTF path: $out"; exit 1; }
echo "bpf_verify relocated against a BTF directory"
