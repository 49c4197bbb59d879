#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# binary_sizes.sh [BEFORE_BIN_DIR] [BIN_DIR]: the size of every tool once stripped (`strip`
# of a copy: what a package installs), as a Markdown table sorted by name, with the size in
# BEFORE_BIN_DIR (an older build's bin/) when given, and the tools over the limit
# (BENCH_LIMIT bytes, 1.5 MB by default).
set -eo pipefail
before=${1:-}
bin=${2:-$(dirname "$0")/../../build/bin}
limit=${BENCH_LIMIT:-1572864}
strip=${STRIP:-strip}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

stripped_size() { # FILE: bytes once stripped, or "-" when absent
    [ -f "$1" ] || { echo -; return; }
    "$strip" -o "$tmp/s" "$1" && stat -c %s "$tmp/s"
}
mb() { [ "$1" = - ] && echo - || awk -v b="$1" 'BEGIN { printf "%.2f", b / 1048576 }'; }

if [ -n "$before" ]; then
    echo "| tool | before (MB) | after (MB) | after/before |"
    echo "|---|---:|---:|---:|"
else
    echo "| tool | stripped (MB) |"
    echo "|---|---:|"
fi
over=0 n=0 min= max=
for f in "$bin"/*; do
    [ -x "$f" ] && [ -f "$f" ] || continue
    name=$(basename "$f")
    a=$(stripped_size "$f")
    n=$((n + 1))
    [ -z "$min" ] || [ "$a" -lt "$min" ] && min=$a
    [ -z "$max" ] || [ "$a" -gt "$max" ] && max=$a
    flag=
    [ "$a" -gt "$limit" ] && { flag=" (over)"; over=$((over + 1)); }
    if [ -n "$before" ]; then
        b=$(stripped_size "$before/$name")
        ratio=$([ "$b" = - ] && echo - || awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", a / b }')
        echo "| $name | $(mb "$b") | $(mb "$a")$flag | $ratio |"
    else
        echo "| $name | $(mb "$a")$flag |"
    fi
done
echo
echo "$n tools, $(mb "$min")–$(mb "$max") MB stripped, $over over $(mb "$limit") MB"
