#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Plots the fentry/kprobe figures of system_network_latency_summary_bench.sh (tests/bench/README.md):
# per lab kernel, the throughput attached as a share of detached and the ns per BPF run, kprobes
# (before) against fentry (after), from a data file with one line per kernel:
#   kernel kprobe_detached kprobe_attached kprobe_ns fentry_detached fentry_attached fentry_ns
# (Mbit/s, Mbit/s, ns per run; '#' starts a comment). Needs gnuplot (tests/install-deps.sh --bench).
#   tests/bench/system_network_latency_summary_plot.sh [DATA [PNG]]
# Defaults: tests/bench/system_network_latency_summary_fentry.dat -> the same name with .png.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
data=${1:-$here/system_network_latency_summary_fentry.dat}
png=${2:-${data%.dat}.png}
command -v gnuplot >/dev/null || { echo "gnuplot is needed: tests/install-deps.sh --bench" >&2; exit 1; }
[[ -r $data ]] || { echo "no data file $data" >&2; exit 1; }
gnuplot <<GP
set terminal pngcairo size 1100,450 font ",10"
set output "$png"
set multiplot layout 1,2 title "system\\\\_network\\\\_latency\\\\_summary --direction both, iperf3 TCP in the QEMU TCG lab"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set grid ytics
set key top left
set title "throughput attached / detached"
set ylabel "%"
set yrange [0:110]
set arrow 1 from graph 0, first 85 to graph 1, first 85 nohead dashtype 2 lc rgb "black"
set label 1 "target 85 %" at graph 0.99, first 87 right
plot "$data" using (100*\$3/\$2):xtic(sprintf("%s", stringcolumn(1))) title "kprobe (before)" lc rgb "#d62728", \
     '' using (100*\$6/\$5) title "fentry (after)" lc rgb "#2ca02c"
unset arrow 1
unset label 1
set title "ns per BPF run (all programs)"
set ylabel "ns"
set yrange [0:*]
plot "$data" using 4:xtic(1) title "kprobe (before)" lc rgb "#d62728", \
     '' using 7 title "fentry (after)" lc rgb "#2ca02c"
unset multiplot
GP
echo "$png"
