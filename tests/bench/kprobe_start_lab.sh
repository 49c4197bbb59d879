#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# kprobe_start_lab.sh BIN_A BIN_B [KERNEL...]: exec -> probes attached of
# virtionet-rx-path-summary with its 11 programs as kprobes (BPFNET_FORCE_KPROBE=1), in a lab
# guest of each KERNEL (default 5.10 6.1 6.12), BENCH_RUNS (5) runs of each build alternating:
# the seconds of each run and their median per build. BIN_A and BIN_B are two builds' bin
# directories (copy them out of a tree that is being rebuilt). Run as root, under a lab lock:
#   flock /tmp/bpfnet-lab-A.lock tests/bench/kprobe_start_lab.sh /tmp/old/bin build/bin
set -u
here=$(cd "$(dirname "$0")" && pwd)

if [[ ${1:-} == --guest ]]; then
    shift
    modprobe virtio_net
    btf=()
    # 5.10 has no module BTF: the tool takes the lab's BTF directory (README, "Kernels without BTF").
    [[ -e /sys/kernel/btf/virtio_net ]] || btf=(--btf "/var/cache/bpfnet-lab/kernels/$(uname -r)/btf")
    export BPFNET_FORCE_KPROBE=1
    for ((i = 0; i < ${BENCH_RUNS:-5}; i++)); do
        for bin in "$@"; do
            rm -f /tmp/ready
            start=$EPOCHREALTIME
            "$bin/virtionet-rx-path-summary" 0 1 "${btf[@]}" --ready-file /tmp/ready >/dev/null 2>/tmp/err &
            pid=$!
            while [[ ! -e /tmp/ready ]] && kill -0 $pid 2>/dev/null; do sleep 0.02; done
            end=$EPOCHREALTIME
            [[ -e /tmp/ready ]] || { cat /tmp/err >&2; exit 1; }
            kill -INT $pid
            wait $pid
            echo "run $bin $(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')"
        done
    done
    exit 0
fi

(($# >= 2)) || { echo "usage: $0 BIN_A BIN_B [KERNEL...]" >&2; exit 2; }
a=$(cd "$1" && pwd) b=$(cd "$2" && pwd)
shift 2
kernels=("$@")
((${#kernels[@]})) || kernels=(5.10 6.1 6.12)
for k in "${kernels[@]}"; do
    "$here/../lab/lab.sh" --kernel "$k" --timeout 600 --env BENCH_RUNS "$here/kprobe_start_lab.sh" --guest "$a" "$b" |
        awk -v k="$k" -v a="$a" -v b="$b" '
            $1 == "run" { t[$2] = t[$2] " " $3; v[$2, ++n[$2]] = $3 }
            function median(bin,   i, j, x, m) {
                m = n[bin]
                for (i = 1; i <= m; i++) x[i] = v[bin, i]
                for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (x[j] < x[i]) { s = x[i]; x[i] = x[j]; x[j] = s }
                return m % 2 ? x[(m + 1) / 2] : (x[m / 2] + x[m / 2 + 1]) / 2
            }
            END {
                printf "%s  %s: median %.2f s (%s )\n", k, a, median(a), t[a]
                printf "%s  %s: median %.2f s (%s )\n", k, b, median(b), t[b]
            }'
done
