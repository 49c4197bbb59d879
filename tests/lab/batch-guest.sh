#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Runs several scenarios one after the other inside one lab guest (started by batch.sh through
# lab.sh), each isolated: its own time limit, its own output and exit status under
# $LAB_IO/results/<name>.{out,rc,seconds}, and a teardown afterwards that removes whatever it
# left: processes, namespaces, links, OVS datapaths, firewall rules, qdiscs, modules it loaded.
#
#   batch-guest.sh NAME:SECONDS:FILE ...
#
# A scenario already having an .rc file is skipped (a re-boot after a guest crash resumes).
set -uo pipefail

results=$LAB_IO/results
mkdir -p "$results"

snapshot_pids() { ps -e -o pid=,ppid= | awk '$2 != 2 && $1 != 2 { print $1 }' | sort -n; }
snapshot_links() { ip -o link show | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }' | sort; }
snapshot_modules() { awk '{ print $1 }' /proc/modules | sort; }

# Removes what the scenario left that was not there before it started.
teardown() { # PIDS-BEFORE LINKS-BEFORE MODULES-BEFORE
    local pid dp link mod
    for pid in $(comm -13 <(printf '%s\n' "$1") <(snapshot_pids)); do
        [[ $pid == "$$" || $pid == "$BASHPID" ]] && continue
        kill -KILL "$pid" 2>/dev/null
    done
    ip -all netns delete 2>/dev/null
    if command -v ovs-dpctl >/dev/null && [[ -d /sys/module/openvswitch ]]; then
        for dp in $(ovs-dpctl dump-dps 2>/dev/null); do
            ovs-dpctl del-dp "$dp" 2>/dev/null
        done
    fi
    for link in $(comm -13 <(printf '%s\n' "$2") <(snapshot_links)); do
        ip link del "$link" 2>/dev/null
    done
    tc qdisc del dev lo root 2>/dev/null
    command -v nft >/dev/null && nft flush ruleset 2>/dev/null
    command -v iptables >/dev/null && { iptables -F; iptables -X; } 2>/dev/null
    # Newest first, so that a module goes before the ones it uses.
    for mod in $(comm -13 <(printf '%s\n' "$3") <(snapshot_modules) | tac); do
        modprobe -r "$mod" 2>/dev/null
    done
}

for spec in "$@"; do
    name=${spec%%:*}
    rest=${spec#*:}
    limit=${rest%%:*}
    file=${rest#*:}
    [[ -e $results/$name.rc ]] && continue
    mkdir -p "$results/$name.io"
    pids=$(snapshot_pids) links=$(snapshot_links) modules=$(snapshot_modules)
    echo "$name" >"$results/current"
    start=$(date +%s.%N)
    # TERM first so that the scenario's own cleanups run, KILL 10 s later.
    LAB_IO=$results/$name.io LAB_SCENARIO=$name \
        timeout -k 10 "$limit" bash "$file" >"$results/$name.out" 2>&1 </dev/null
    rc=$?
    end=$(date +%s.%N)
    if ((rc == 124 || rc == 137)); then
        printf '[%s] FAIL: time limit of %s s reached: killed\n' "$name" "$limit" >>"$results/$name.out"
        rc=124
    fi
    teardown "$pids" "$links" "$modules"
    awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f\n", b - a }' >"$results/$name.seconds"
    echo "$rc" >"$results/$name.rc"
    printf 'lab-batch: %s: exit %s after %s s\n' "$name" "$rc" "$(<"$results/$name.seconds")"
done
rm -f "$results/current"
exit 0
