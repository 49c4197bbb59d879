#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Runs several scenarios one after the other inside one lab guest (started by batch.sh through
# lab.sh), each isolated: its own time limit, its own output and exit status under
# $LAB_IO/results/<name>.{out,rc,seconds}, its own $LAB_IO (<name>.io), and a teardown
# afterwards that brings the guest back to the state it had before the first scenario.
#
#   batch-guest.sh NAME:SECONDS:FILE ...
#
# The state is a text snapshot (guest_state) of everything a scenario can change globally:
# modules, links, addresses, routes, rules, namespaces, OVS datapaths, qdiscs, nftables,
# writable sysctls under /proc/sys/net (and the kernel's bpf/perf/ftrace ones), tracefs
# probes and events, bpffs pins, BPF programs, mounts and processes. If the teardown cannot
# make it equal to the snapshot taken at boot (TEARDOWN_WAIT seconds of retries: namespaces
# are freed asynchronously, and a module stays in use until that is done), the difference
# goes into the scenario's output and the guest stops: batch.sh runs the rest in a new boot,
# so that no scenario runs on state another one left.
#
# A scenario already having an .rc file is skipped (a re-boot resumes).
#
# A guest that stops making progress (seen once on 5.10: no output and no time limit firing
# for 50 minutes, nothing on the console) cannot end itself. Before each scenario this script
# writes $LAB_IO/deadline, the seconds its scenario and teardown may take; lab.sh kills QEMU
# once that file is older than that (exit 124), and batch.sh runs the rest in a new boot. A
# watchdog in the guest, which needs neither the io share nor a fork, first dumps the blocked
# tasks to the console (sysrq w), so that the console tail batch.sh keeps shows where it hung.
set -uo pipefail
# shellcheck source=lib/common.sh
source "$LAB_DIR/lib/common.sh"

results=$LAB_IO/results
tracefs=/sys/kernel/tracing
TEARDOWN_WAIT=30
baseline=/run/lab-batch-baseline now=/run/lab-batch-now
shopt -s nullglob
mkdir -p "$results"

# Processes other than the kernel's threads, zombies, PID 1 and this script with its children,
# as "proc PID COMM" (bash only: under TCG every fork costs about 0.1 s).
state_procs() {
    local f stat rest pid ppid state q
    local -A parent=() comm=()
    for f in /proc/[0-9]*; do
        read -r stat <"$f/stat" 2>/dev/null || continue
        pid=${f#/proc/}
        rest=${stat##*) }
        state=${rest%% *}
        rest=${rest#* }
        ppid=${rest%% *}
        [[ $pid == 1 || $pid == 2 || $ppid == 2 || $state == Z ]] && continue
        parent[$pid]=$ppid
        comm[$pid]=${stat#*(}
        comm[$pid]=${comm[$pid]%)*}
    done
    for pid in "${!parent[@]}"; do
        for ((q = pid; q > 1 && q != $$; q = ${parent[$q]:-0})); do :; done
        ((q == $$)) || printf 'proc %s %s\n' "$pid" "${comm[$pid]}"
    done
}

# The guest's global state as text: modules, links (with flags, XDP), addresses, routes, rules,
# namespaces, OVS datapaths, qdiscs, nftables, the network sysctls and the kernel's BPF, perf
# and ftrace ones (not perf_event_max_sample_rate: the kernel lowers it by itself under TCG),
# tracefs probes and events, bpffs pins, BPF programs, mounts and processes.
guest_state() {
    local mod mnt type f
    while read -r mod _; do printf 'module %s\n' "$mod"; done </proc/modules
    for f in /sys/class/net/*; do printf 'link %s\n' "${f##*/}"; done
    for f in /run/netns/*; do printf 'netns %s\n' "${f##*/}"; done
    ip -o -batch - <<<$'link show\naddr show\nroute show table all\nrule show' 2>&1
    ip -6 -batch - <<<$'route show table all\nrule show' 2>&1
    tc qdisc show 2>&1
    [[ -d /sys/module/openvswitch ]] && ovs-dpctl dump-dps 2>&1
    [[ -d /sys/module/nf_tables ]] && nft list ruleset 2>&1
    local sysctls=(/proc/sys/net /proc/sys/kernel/*bpf* /proc/sys/kernel/ftrace_*
        /proc/sys/kernel/kprobes* /proc/sys/kernel/perf_event_{paranoid,max_stack,mlock_kb})
    grep -r -s -H '' "${sysctls[@]}" \
        "$tracefs"/{kprobe_events,uprobe_events,set_event,current_tracer,tracing_on}
    shopt -s globstar
    for f in /sys/fs/bpf/**; do printf 'bpffs %s\n' "$f"; done
    shopt -u globstar
    bpftool prog list 2>&1
    while read -r _ mnt type _; do printf 'mount %s %s\n' "$mnt" "$type"; done </proc/self/mounts
    state_procs
}

# Lines of the current state that are not in the baseline (+) or missing from it (-).
state_diff() {
    guest_state >"$now"
    diff "$baseline" "$now" | sed -n 's/^> /+ /p; s/^< /- /p'
}

# Removes what a scenario left, guided by DIFF (state_diff's output). Every step is
# idempotent: it runs again while the kernel finishes freeing namespaces and modules.
teardown() { # DIFF
    local diff=$1 line pid dp key value mod refs removed=1
    while read -r line; do
        case $line in
            "+ proc "*) pid=${line#+ proc }; kill -KILL "${pid%% *}" 2>/dev/null ;;
        esac
    done <<<"$diff"
    [[ -n $(echo /run/netns/*) ]] && ip -all netns delete 2>/dev/null
    if [[ -d /sys/module/openvswitch ]]; then
        for dp in $(ovs-dpctl dump-dps 2>/dev/null); do
            ovs-dpctl del-dp "$dp" 2>/dev/null
        done
    fi
    [[ -d /sys/module/nf_tables ]] && nft flush ruleset 2>/dev/null
    while read -r line; do
        case $line in
            "+ link "*) ip link del "${line#+ link }" 2>/dev/null ;;
            "+ qdisc "*" dev "*)
                key=${line#* dev }
                key=${key%% *}
                tc qdisc del dev "$key" root 2>/dev/null
                tc qdisc del dev "$key" clsact 2>/dev/null
                tc qdisc del dev "$key" ingress 2>/dev/null ;;
            "+ "*" prog/xdp "*)
                key=${line#+ *: }
                ip link set dev "${key%%: *}" xdp off 2>/dev/null ;;
            "+ bpffs "*) rm -rf "${line#+ bpffs }" ;;
            "- $tracefs/"* | "+ $tracefs/"*)
                echo 0 >"$tracefs/events/enable"
                : >"$tracefs/kprobe_events"
                : >"$tracefs/uprobe_events"
                echo nop >"$tracefs/current_tracer"
                echo 1 >"$tracefs/tracing_on" ;;
            "- /proc/sys/"*)
                key=${line#- } value=${key#*:} key=${key%%:*}
                [[ -e $key ]] && printf '%s\n' "$value" >"$key" ;;
        esac 2>/dev/null
    done <<<"$diff"
    # Newest mounts first.
    tac <<<"$diff" | while read -r line; do
        [[ $line == "+ mount "* ]] || continue
        line=${line#+ mount }
        umount -l "${line% *}" 2>/dev/null
    done
    # Modules nothing uses any more, users first.
    while ((removed)); do
        removed=0
        while read -r mod _ refs _; do
            [[ $refs == 0 ]] || continue
            [[ -n ${base_modules[$mod]:-} ]] && continue
            rmmod "$mod" 2>/dev/null && removed=1
        done </proc/modules
    done
}

# Tears down until the state equals the baseline or TEARDOWN_WAIT runs out; prints what is
# left then. What the scenario had left goes to LEFT-FILE.
restore() { # LEFT-FILE
    local deadline=$((SECONDS + TEARDOWN_WAIT)) left
    while true; do
        left=$(state_diff)
        [[ -n $left ]] || return 0
        [[ -e $1 ]] || printf '%s\n' "$left" >"$1"
        if ((SECONDS >= deadline)); then
            printf '%s\n' "$left"
            return
        fi
        teardown "$left"
        sleep 0.3
    done
}

# The watchdog: 20 s before lab.sh's kill and once a minute after (/run/lab-batch-deadline,
# epoch seconds), the blocked tasks and the CPUs' backtraces go to the console.
watchdog() {
    local deadline now name
    exec </dev/null >/dev/null 2>&1
    while read -r -t 10 <>/run/lab-batch-tick || true; do
        read -r deadline </run/lab-batch-deadline || continue
        now=${EPOCHREALTIME%.*}
        if ((deadline > 0 && now > deadline)); then
            read -r name </run/lab-batch-name
            printf 'lab-batch watchdog: %s is %d s past its deadline\n' "$name" "$((now - deadline))" >/dev/console
            echo 8 >/proc/sys/kernel/printk # the dumps are KERN_INFO
            echo w >/proc/sysrq-trigger
            echo l >/proc/sysrq-trigger
            printf '%s\n' "$((now + 60))" >/run/lab-batch-deadline
        fi
    done
}
mkfifo /run/lab-batch-tick
echo 0 >/run/lab-batch-deadline
watchdog &
watchdog_pid=$!

guest_state >"$baseline"
declare -A base_modules=()
while read -r mod _; do base_modules[$mod]=1; done </proc/modules
printf 'lab-batch: state snapshot of the fresh guest: %d lines in %d s\n' "$(wc -l <"$baseline")" "$SECONDS"

for spec in "$@"; do
    name=${spec%%:*}
    rest=${spec#*:}
    limit=${rest%%:*}
    file=${rest#*:}
    [[ -e $results/$name.rc ]] && continue
    mkdir -p "$results/$name.io"
    echo "$name" >"$results/current"
    LAB_SLOWDOWN=$(lab_measure_slowdown)
    limit=$((limit * LAB_SLOWDOWN))
    # Limit, the KILL 10 s after it, the teardown's retries, and the snapshots around them.
    budget=$((limit + 10 + TEARDOWN_WAIT + 30))
    printf '%s\n' "$name" >/run/lab-batch-name
    printf '%s\n' "$((${EPOCHREALTIME%.*} + budget - 20))" >/run/lab-batch-deadline
    printf '%s\n' "$budget" >"$LAB_IO/deadline"
    start=$(date +%s.%N)
    # TERM first so that the scenario's own cleanups run, KILL 10 s later.
    LAB_IO=$results/$name.io LAB_SCENARIO=$name LAB_TIMEOUT=$limit \
        timeout -k 10 "$limit" bash "$file" >"$results/$name.out" 2>&1 </dev/null
    rc=$?
    end=$(date +%s.%N)
    if ((rc == 124 || rc == 137)); then
        printf '[%s] FAIL: time limit of %s s reached: killed\n' "$name" "$limit" >>"$results/$name.out"
        rc=124
    fi
    tstart=$SECONDS
    left=$(restore "$results/$name.left")
    awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f\n", b - a }' >"$results/$name.seconds"
    if [[ -n $left ]]; then
        {
            printf 'lab-batch: the teardown after %s could not restore the guest in %d s;' \
                "$name" "$TEARDOWN_WAIT"
            printf ' the next scenarios run in a new boot. Left over:\n'
            printf '%s\n' "$left" | head -n 40 | sed 's/^/  /'
        } >>"$results/$name.out"
    fi
    echo "$rc" >"$results/$name.rc"
    echo 0 >/run/lab-batch-deadline
    printf 'lab-batch: %s: exit %s after %s s (teardown %d s, slowdown x%d)\n' \
        "$name" "$rc" "$(<"$results/$name.seconds")" "$((SECONDS - tstart))" "$LAB_SLOWDOWN"
    if [[ -n $left ]]; then
        printf 'lab-batch: %s: teardown incomplete, new boot\n' "$name"
        printf '%s\n' "$left" | head -n 10 | sed 's/^/lab-batch:   /'
        break
    fi
done
rm -f "$results/current" "$LAB_IO/deadline"
kill "$watchdog_pid" 2>/dev/null
exit 0
