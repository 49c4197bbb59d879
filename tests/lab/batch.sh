#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Runs many scenarios in one boot of a lab kernel: lab.sh boots the guest once and
# batch-guest.sh runs the scenarios in it one by one, each with its own time limit, output and
# exit status, and a teardown between them. If the guest dies (a panic, the whole run's time
# limit, or a guest past the deadline batch-guest.sh gave its scenario), the rest run in a new
# boot, and so does the scenario it was running, once: its first output is kept as
# <name>.died.out and its final output says so. A second death marks it failed.
#
# USAGE
#   tests/lab/batch.sh --kernel K --results DIR [SCENARIO...]
#   tests/lab/batch.sh --result DIR NAME      print one scenario's output, exit with its status
#
# SCENARIO: files or names under tests/lab/scenarios/ (default: all of them). Each one's
# "# lab-options:" line gives its time limit (--timeout, default 300), --nested and --mem;
# the guest gets the largest memory and nested virtualization if any scenario wants them.
# DIR receives results/<name>.{out,rc,seconds}, <name>.left (what the teardown after it had
# to remove), <name>.io/ (its $LAB_IO) and boot-<n>.log (lab.sh's own output).
# LAB_ONLY (a regular expression) limits the default list, e.g. LAB_ONLY='^trace_'.
set -uo pipefail

LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# Guest deaths (panics, time limits) after which the scenarios left are not run.
MAX_CRASHES=4

die() { printf 'lab-batch: error: %s\n' "$*" >&2; exit 2; }

if [[ ${1:-} == --result ]]; then
    dir=${2:?--result needs DIR NAME} name=${3:?--result needs DIR NAME}
    r=$dir/results/$name
    if [[ ! -e $r.rc ]]; then
        printf 'lab-batch: %s was not run: see %s/boot-*.log\n' "$name" "$dir" >&2
        tail -n 40 "$dir"/boot-*.log 2>/dev/null >&2
        exit 1
    fi
    cat "$r.out" 2>/dev/null
    printf 'lab-batch: %s on %s: exit %s after %s s\n' "$name" "$(cat "$dir/kernel" 2>/dev/null)" \
        "$(<"$r.rc")" "$(cat "$r.seconds" 2>/dev/null)"
    exit "$(<"$r.rc")"
fi

kernel="" dir=""
while (($#)); do
    case $1 in
        --kernel) kernel=${2:?--kernel needs a value}; shift ;;
        --results) dir=${2:?--results needs a directory}; shift ;;
        -h | --help) sed -n '2,/^set -uo/{/^set -uo/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
        -*) die "unknown option '$1'" ;;
        *) break ;;
    esac
    shift
done
[[ -n $kernel && -n $dir ]] || die "--kernel and --results are required"

files=()
if (($#)); then
    for s in "$@"; do
        if [[ -f $s ]]; then files+=("$(realpath "$s")")
        elif [[ -f $LAB_DIR/scenarios/${s%.sh}.sh ]]; then files+=("$LAB_DIR/scenarios/${s%.sh}.sh")
        else die "no scenario '$s'"
        fi
    done
else
    for f in "$LAB_DIR"/scenarios/*.sh; do
        [[ -z ${LAB_ONLY:-} || $(basename "$f" .sh) =~ $LAB_ONLY ]] && files+=("$f")
    done
fi

rm -rf "$dir"
mkdir -p "$dir/results" || die "cannot create $dir"
printf '%s\n' "$kernel" >"$dir/kernel"

specs=() nested=0 mem=2048
declare -A limit_of
for f in "${files[@]}"; do
    name=$(basename "$f" .sh)
    opts=$(head -n 20 "$f" | sed -n 's/^# lab-options:[[:space:]]*//p' | head -n1)
    limit=300
    [[ $opts =~ --timeout[=\ ]([0-9]+) ]] && limit=${BASH_REMATCH[1]}
    [[ $opts == *--nested* ]] && nested=1
    [[ $opts =~ --mem[=\ ]([0-9]+) ]] && ((BASH_REMATCH[1] > mem)) && mem=${BASH_REMATCH[1]}
    limit_of[$name]=$limit
    specs+=("$name:$limit:$f")
done

pending() {
    local spec
    for spec in "${specs[@]}"; do
        [[ -e $dir/results/${spec%%:*}.rc ]] || printf '%s\n' "$spec"
    done
}

boot=0 crashes=0 fresh=0 reruns=0
while true; do
    mapfile -t todo < <(pending)
    ((${#todo[@]})) || break
    if ((crashes >= MAX_CRASHES)); then
        for spec in "${todo[@]}"; do
            name=${spec%%:*}
            printf 'lab-batch: not run: the guest died %d times (see %s/boot-*.log)\n' "$crashes" "$dir" \
                >"$dir/results/$name.out"
            echo 125 >"$dir/results/$name.rc"
        done
        break
    fi
    boot=$((boot + 1))
    total=120
    # Per scenario: its limit, the KILL after it, and the teardown's retries.
    for spec in "${todo[@]}"; do total=$((total + ${limit_of[${spec%%:*}]} + 50)); done
    args=(--kernel "$kernel" --io "$dir" --mem "$mem" --timeout "$total")
    ((nested)) && args+=(--nested)
    rm -f "$dir/results/current"
    printf 'lab-batch: %s: boot %d, %d scenarios\n' "$kernel" "$boot" "${#todo[@]}"
    "$LAB_DIR/lab.sh" "${args[@]}" "$LAB_DIR/batch-guest.sh" "${todo[@]}" >"$dir/boot-$boot.log" 2>&1
    rc=$?
    grep '^lab-batch:' "$dir/boot-$boot.log"
    # The scenario the guest was in when it died failed; the others get another boot.
    if [[ -s $dir/results/current ]]; then
        crashes=$((crashes + 1))
        name=$(<"$dir/results/current")
        if [[ ! -e $dir/results/$name.rc ]]; then
            {
                printf 'lab-batch: the guest died during %s (lab.sh exit %d); its log:\n' "$name" "$rc"
                sed -n '/^lab: /,$p' "$dir/boot-$boot.log"
            } >>"$dir/results/$name.out"
            if [[ -e $dir/results/$name.died.out ]]; then
                echo $((rc == 124 ? 124 : 125)) >"$dir/results/$name.rc"
            else
                mv "$dir/results/$name.out" "$dir/results/$name.died.out"
                printf 'lab-batch: %s: the guest died during it (boot %d): run again in a new boot\n' "$name" "$boot"
                reruns=$((reruns + 1))
            fi
        fi
    elif grep -q 'teardown incomplete, new boot$' "$dir/boot-$boot.log"; then
        fresh=$((fresh + 1))
    elif ! grep -q '^lab-batch:' "$dir/boot-$boot.log"; then
        crashes=$((crashes + 1))
        printf 'lab-batch: %s: the guest ran no scenario (lab.sh exit %d):\n' "$kernel" "$rc" >&2
        tail -n 20 "$dir/boot-$boot.log" >&2
    fi
done

failed=0
for spec in "${specs[@]}"; do
    name=${spec%%:*}
    if [[ -e $dir/results/$name.died.out && -e $dir/results/$name.out ]]; then
        printf 'lab-batch: this is the second run of %s: the guest died during the first (%s)\n' \
            "$name" "$dir/results/$name.died.out" >>"$dir/results/$name.out"
    fi
    [[ $(cat "$dir/results/$name.rc" 2>/dev/null) == 0 ]] || failed=$((failed + 1))
done
# The guests' CPU time (QEMU is a child of lab.sh): the work, independent of the machine's load.
cpu=$(times | awk 'NR == 2 { gsub(/[ms]/, " "); printf "%.0f", $1 * 60 + $2 + $3 * 60 + $4 }')
printf 'lab-batch: %s: %d scenarios, %d not passed, %d boot(s) (%d after an incomplete teardown), %d re-run after a guest death, %d s, CPU %d s\n' \
    "$kernel" "${#specs[@]}" "$failed" "$boot" "$fresh" "$reruns" "$SECONDS" "$cpu"
exit 0
