# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
# What the benchmarks (tests/bench/*_bench.sh) compute and print alike.

# bench_mean VALUE...: their mean, one decimal.
bench_mean() { printf '%s\n' "$@" | awk '{ s += $1 } END { printf "%.1f", s / NR }'; }

# bench_loss BASE VALUE: how much lower VALUE is than BASE, in percent, one decimal.
bench_loss() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", 100 * (a - b) / a }'; }

# bench_program_table FILE...: "program run_cnt run_time_ns" lines (one file per round, from
# the kernel's BPF statistics) summed per program, with ns per run, and a line for all.
bench_program_table() {
    cat "$@" | awk '
        { cnt[$1] += $2; t[$1] += $3; tc += $2; tt += $3 }
        END {
            printf "  %-36s %12s %14s %8s\n", "program", "run_cnt", "run_time_ns", "ns/run"
            for (p in cnt) printf "  %-36s %12d %14.0f %8.0f\n", p, cnt[p], t[p], cnt[p] ? t[p] / cnt[p] : 0
            printf "  %-36s %12d %14.0f %8.0f\n", "all", tc, tt, tc ? tt / tc : 0
        }'
}
