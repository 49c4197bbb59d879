# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
# Counts hits on kernel functions with tracefs kprobe events (kprobe_events + kprobe_profile),
# with no BPF and no bpftrace, so a scenario can check which kernel paths its traffic took.
#
#   lab_kprobe_add NAME FUNC     probe FUNC (clones such as FUNC.isra.0 are found too)
#   lab_kprobe_hits NAME         print how many times it fired
#   lab_kprobe_report            print "NAME FUNC HITS" for every probe added here
#   lab_kprobe_clear             remove every probe added here (also done at exit)
#
# Probes live in the event group "lab"; a module's functions exist once it is loaded.

# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

LAB_TRACEFS=${LAB_TRACEFS:-/sys/kernel/tracing}
LAB_KPROBE_GROUP=lab
declare -gA LAB_KPROBE_FUNC=()
LAB_KPROBE_CLEANUP=0

lab_kprobe_tracefs() {
    if [[ ! -e $LAB_TRACEFS/kprobe_events ]]; then
        mount -t tracefs tracefs "$LAB_TRACEFS" 2>/dev/null
        [[ -e $LAB_TRACEFS/kprobe_events ]] ||
            lab_fail "no $LAB_TRACEFS/kprobe_events: this kernel has no kprobe events"
    fi
}

# Prints the kallsyms name to probe for FUNC: FUNC itself, or the compiler's clone of it
# (FUNC.isra.0, FUNC.constprop.0, FUNC.part.0) when only that exists. Fails if neither does.
lab_kprobe_resolve() {
    local func=$1 sym
    sym=$(awk -v f="$func" '
        $3 == f { print f; found = 1; exit }
        index($3, f ".") == 1 && $3 ~ /\.(isra|constprop|part)\.[0-9]+$/ && !clone { clone = $3 }
        END { if (!found && clone) print clone }' /proc/kallsyms)
    [[ -n $sym ]] || return 1
    printf '%s\n' "$sym"
}

# Adds and enables a kprobe event NAME on FUNC (NAME: letters, digits, underscores).
lab_kprobe_add() {
    local name=$1 func=$2 sym
    [[ $name =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || lab_fail "kprobe name '$name' is not valid"
    lab_kprobe_tracefs
    sym=$(lab_kprobe_resolve "$func") ||
        lab_fail "kprobe $name: no function '$func' in /proc/kallsyms on $(uname -r) (module not loaded, inlined or renamed?)"
    if ((!LAB_KPROBE_CLEANUP)); then
        lab_on_exit lab_kprobe_clear
        LAB_KPROBE_CLEANUP=1
    fi
    if ! echo "p:$LAB_KPROBE_GROUP/$name $sym" >>"$LAB_TRACEFS/kprobe_events" 2>/dev/null; then
        lab_fail "kprobe $name: the kernel refused 'p:$LAB_KPROBE_GROUP/$name $sym': $(tail -n 3 "$LAB_TRACEFS/error_log" 2>/dev/null | tr -s ' \n' ' ')"
    fi
    echo 1 >"$LAB_TRACEFS/events/$LAB_KPROBE_GROUP/$name/enable" ||
        lab_fail "kprobe $name: cannot enable it"
    LAB_KPROBE_FUNC[$name]=$sym
}

# Prints the hit count of probe NAME (the kernel's own counter in kprobe_profile).
lab_kprobe_hits() {
    local name=$1 hits
    hits=$(awk -v n="$name" '$1 == n || $1 == "'"$LAB_KPROBE_GROUP"'/" n { print $2; exit }' \
        "$LAB_TRACEFS/kprobe_profile")
    [[ -n $hits ]] || lab_fail "kprobe $name: not in kprobe_profile"
    printf '%s\n' "$hits"
}

# Prints one line per probe: NAME FUNCTION HITS.
lab_kprobe_report() {
    local name
    for name in "${!LAB_KPROBE_FUNC[@]}"; do
        printf '%-20s %-36s %s\n' "$name" "${LAB_KPROBE_FUNC[$name]}" "$(lab_kprobe_hits "$name")"
    done | sort
}

# Disables and removes every probe this shell added.
lab_kprobe_clear() {
    local name
    [[ -e $LAB_TRACEFS/events/$LAB_KPROBE_GROUP/enable ]] &&
        echo 0 >"$LAB_TRACEFS/events/$LAB_KPROBE_GROUP/enable" 2>/dev/null
    for name in "${!LAB_KPROBE_FUNC[@]}"; do
        echo "-:$LAB_KPROBE_GROUP/$name" >>"$LAB_TRACEFS/kprobe_events" 2>/dev/null
    done
    LAB_KPROBE_FUNC=()
    return 0
}
