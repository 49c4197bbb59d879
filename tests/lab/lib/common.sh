# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
# Shared by the lab helper libraries and scenarios (sourced, runs inside the lab guest):
# messages, assertions, and one EXIT trap that runs every registered cleanup in reverse order.

[[ -n ${LAB_COMMON_SH:-} ]] && return 0
LAB_COMMON_SH=1

# shellcheck disable=SC2034 # used by the libraries and scenarios that source this file
LAB_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# Prints a progress line on stderr, prefixed with the scenario's name.
lab_log() { printf '[%s] %s\n' "${LAB_SCENARIO:-$(basename "$0" .sh)}" "$*" >&2; }

# Prints the reason on stderr and exits 1 (the scenario failed); cleanups still run.
lab_fail() {
    printf '[%s] FAIL: %s\n' "${LAB_SCENARIO:-$(basename "$0" .sh)}" "$*" >&2
    exit 1
}

# Exits 77 with the reason: the scenario cannot run here (CTest maps 77 to "skipped").
lab_skip() {
    printf '[%s] SKIP: %s\n' "${LAB_SCENARIO:-$(basename "$0" .sh)}" "$*" >&2
    exit 77
}

# Prints "ok: WHAT" on stderr; for the lines a reader of the log should see pass.
lab_ok() { lab_log "ok: $*"; }

# Compares two integers: lab_expect "$hits" -ge 10 "kprobe hits". OP is one of -eq -ne
# -lt -le -gt -ge. Prints "ok: ..." or fails naming both values.
lab_expect() {
    local a=$1 op=$2 b=$3 what=$4
    [[ $a =~ ^-?[0-9]+$ ]] || lab_fail "$what: '$a' is not a number"
    [[ $b =~ ^-?[0-9]+$ ]] || lab_fail "$what: '$b' is not a number"
    case $op in
        -eq | -ne | -lt | -le | -gt | -ge) ;;
        *) lab_fail "lab_expect: bad operator '$op'" ;;
    esac
    if test "$a" "$op" "$b"; then
        lab_ok "$what: $a $op $b"
    else
        lab_fail "$what: expected $a $op $b"
    fi
}

# lab_expect_within LOW HIGH VALUE WHAT: LOW <= VALUE <= HIGH, for a count taken while the
# tool was attached, bounded by counters read inside (LOW) and around (HIGH) its attach period.
lab_expect_within() {
    local low=$1 high=$2 value=$3 what=$4
    for v in "$low" "$high" "$value"; do [[ $v =~ ^-?[0-9]+$ ]] || lab_fail "$what: '$v' is not a number"; done
    if ((low <= value && value <= high)); then
        lab_ok "$what: $value in [$low, $high]"
    else
        lab_fail "$what: expected $value in [$low, $high]"
    fi
}

# Fails unless "$1" is an integer: guards counters parsed from tool output.
lab_assert_int() {
    [[ $1 =~ ^[0-9]+$ ]] || lab_fail "${2:-value}: '$1' is not a number"
}

# Fails unless the command is in PATH (names the package that has it).
lab_require_cmd() {
    command -v "$1" >/dev/null 2>&1 || lab_fail "'$1' not found${2:+ (package $2)}: run tests/install-deps.sh --lab"
}

# Loads kernel modules, failing with the module's name if one is missing on this kernel.
lab_modprobe() {
    local m
    for m in "$@"; do
        modprobe "$m" 2>/dev/null || lab_fail "modprobe $m failed on $(uname -r)"
    done
}

LAB_CLEANUPS=()

# Registers a command (one string, run by eval) to run when the shell exits, newest first.
lab_on_exit() {
    LAB_CLEANUPS+=("$1")
}

# shellcheck disable=SC2317 # called by the EXIT trap
lab_run_cleanups() {
    local rc=$? i
    for ((i = ${#LAB_CLEANUPS[@]} - 1; i >= 0; i--)); do
        eval "${LAB_CLEANUPS[i]}" >/dev/null 2>&1 || true
    done
    LAB_CLEANUPS=()
    return "$rc"
}
trap lab_run_cleanups EXIT

# How many times slower this guest runs than on a quiet CI machine (three guests sharing two
# cores), 1 to 8: a fixed shell loop timed against the 0.25 s it takes there. Time limits are
# hang guards, not assertions: they are multiplied by it (lab_wait_for, lab_nested_wait, the
# scenario's own limit in batch-guest.sh), so that a loaded host makes a scenario slower, not
# failed. batch-guest.sh measures before each scenario; a scenario run alone measures here.
lab_measure_slowdown() {
    local i=0 start=${EPOCHREALTIME/./} us
    while ((i < 20000)); do ((i++)); done
    us=$((${EPOCHREALTIME/./} - start))
    i=$(((us + 249999) / 250000))
    ((i < 1)) && i=1
    ((i > 8)) && i=8
    echo "$i"
}
[[ ${LAB_SLOWDOWN:-} =~ ^[1-9]$ ]] || LAB_SLOWDOWN=$(lab_measure_slowdown)
export LAB_SLOWDOWN

# Polls a command until it succeeds or SECONDS (times LAB_SLOWDOWN) pass: lab_wait_for 10 test -e /dev/kvm.
lab_wait_for() {
    local limit=$(($1 * LAB_SLOWDOWN)) start=$SECONDS
    shift
    until "$@"; do
        ((SECONDS - start >= limit)) && return 1
        sleep 0.2
    done
}

# Elapsed wall time since the scenario started, for the log.
lab_elapsed() { printf '%ss' "$SECONDS"; }
