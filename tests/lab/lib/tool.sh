# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
# shellcheck source-path=SCRIPTDIR
# Running one of the suite's tools inside a scenario the way an operator does: start it, wait
# until its probes are attached (its hidden --ready-file), cause traffic, stop it with Ctrl-C,
# and check that nothing it loaded outlives it.
#
#   lab_tool_start OUT TOOL [ARGS...]  TOOL from $BPFNET_BIN in the background, stdout to OUT and
#                                      stderr to OUT.err. Fails if it exits or does not attach
#                                      in time. Settings, for one call (VAR=value lab_tool_start)
#                                      or the whole scenario:
#                                        LAB_TOOL_NS=ns               run it in that namespace
#                                        LAB_TOOL_MERGE_STDERR=1      stderr to OUT as well
#                                        LAB_TOOL_ATTACH_TIMEOUT=sec  instead of 240 s (one took
#                                                                     over 60 s under TCG with
#                                                                     both host cores busy)
#                                      LAB_TOOL_ATTACH_S: how many seconds it took to attach
#                                      (a --duration counts them: size one with it)
#   lab_tool_stop [SECONDS]            SIGINT (after SECONDS for the last packets); the tool must
#                                      exit 0 (its output is shown if not)
#   lab_tool_wait                      the tool stops by itself (--duration); it must exit 0
#   lab_tool_wait_duration             the same after traffic that must fit in the --duration:
#                                      fails if the tool had already stopped
#   lab_tool_await N ERE [SEC]         waits until N lines of the tool's output match ERE (the
#                                      events it printed so far); fails after SEC (30) s. Then
#                                      lab_tool_stop without a pause: at exit the tool still
#                                      prints what the kernel submitted before the signal
#   lab_tool_no_leftovers              every BPF program and link the tools held is gone
#   lab_tool_workdir                   a new folder for the tools' outputs in LAB_TOOL_WORK;
#                                      removed at exit, after a copy to $LAB_IO/outputs (in the
#                                      run directory that lab.sh --keep keeps)
# A tool's --json output (one object per line; the per-packet tools end with {"final": true}):
#   lab_json_check FILE WHAT           fails unless every line of FILE is JSON
#   lab_json_count FILE COND           how many objects other than the final totals satisfy
#                                      the jq condition COND
#   lab_json_events FILE               the objects other than the final totals
#   lab_json_final FILE                the final totals
#   lab_json_final_jq FILE FILTER [JQ-OPTIONS...]
#                                      jq FILTER on the final totals, in one process (a jq
#                                      costs ~0.4 s under TCG: one per fact, not two)
#   lab_json_events_jq FILE FILTER [JQ-OPTIONS...]
#                                      jq FILTER on the array of the other objects, in one
#                                      process
#   lab_json_split FILE WHAT           fails unless FILE is JSON lines that end with the final
#                                      totals, nothing lost; FILE.events gets the other objects

# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

lab_require_cmd jq jq

BPFNET_BIN=${BPFNET_BIN:-$(cd "$LAB_LIB_DIR/../../../build/bin" 2>/dev/null && pwd)}
LAB_TOOL_PID=
LAB_TOOL_NAME=
LAB_TOOL_ATTACH_S=
LAB_TOOL_OUTPUTS=()
LAB_TOOL_HELD=()
LAB_TOOL_READY=$(mktemp /tmp/lab-tool-ready.XXXXXX)
lab_on_exit "rm -f $LAB_TOOL_READY"

lab_tool_start() {
    local out=$1 tool=$2 limit=${LAB_TOOL_ATTACH_TIMEOUT:-240} cmd=() start=$SECONDS
    shift 2
    [[ -x $BPFNET_BIN/$tool ]] || lab_fail "no $tool in $BPFNET_BIN: build the project first"
    [[ -n ${LAB_TOOL_NS:-} ]] && cmd=(ip netns exec "$LAB_TOOL_NS")
    cmd+=("$BPFNET_BIN/$tool" --ready-file "$LAB_TOOL_READY" "$@")
    : >"$LAB_TOOL_READY"
    if [[ -n ${LAB_TOOL_MERGE_STDERR:-} ]]; then
        "${cmd[@]}" >"$out" 2>&1 &
        LAB_TOOL_OUTPUTS=("$out")
    else
        "${cmd[@]}" >"$out" 2>"$out.err" &
        LAB_TOOL_OUTPUTS=("$out" "$out.err")
    fi
    LAB_TOOL_PID=$! LAB_TOOL_NAME=$tool
    lab_on_exit "kill -INT $LAB_TOOL_PID"
    if ! lab_wait_for "$limit" lab_tool_attached; then
        cat "${LAB_TOOL_OUTPUTS[@]}" >&2
        kill -9 "$LAB_TOOL_PID" 2>/dev/null
        lab_fail "$tool did not attach within $((limit * LAB_SLOWDOWN)) s ($*)"
    fi
    LAB_TOOL_ATTACH_S=$((SECONDS - start))
    lab_log "$tool attached in ${LAB_TOOL_ATTACH_S}s"
    # One id per line; none if the tool has already exited (a short --duration).
    # shellcheck disable=SC2207
    LAB_TOOL_HELD+=($(awk '/^prog_id:/ { print "prog:" $2 } /^link_id:/ { print "link:" $2 }' \
        /proc/"$LAB_TOOL_PID"/fdinfo/* 2>/dev/null || true))
}

# Attached (ready file written), or fails at once when the tool has already exited.
lab_tool_attached() {
    [[ -s $LAB_TOOL_READY ]] && return 0
    if ! kill -0 "$LAB_TOOL_PID" 2>/dev/null; then
        cat "${LAB_TOOL_OUTPUTS[@]}" >&2
        lab_fail "$LAB_TOOL_NAME exited before attaching"
    fi
    return 1
}

lab_tool_stop() { # [SECONDS to wait for the last packets first]
    sleep "${1:-0}"
    kill -INT "$LAB_TOOL_PID" 2>/dev/null
    lab_tool_wait
}

lab_tool_wait() {
    local status=0
    wait "$LAB_TOOL_PID" || status=$?
    if ((status != 0)); then
        cat "${LAB_TOOL_OUTPUTS[@]}" >&2
        lab_fail "$LAB_TOOL_NAME exited with status $status"
    fi
}

lab_tool_wait_duration() {
    kill -0 "$LAB_TOOL_PID" 2>/dev/null ||
        lab_fail "$LAB_TOOL_NAME stopped (--duration) before the traffic was over: $(cat "${LAB_TOOL_OUTPUTS[@]}")"
    lab_tool_wait
}

lab_tool_await() {
    local n=$1 re=$2 limit=${3:-30}
    lab_wait_for "$limit" lab_tool_printed "$n" "$re" || {
        cat "${LAB_TOOL_OUTPUTS[@]}" >&2
        lab_fail "$LAB_TOOL_NAME: not $n lines matching '$re' within $((limit * LAB_SLOWDOWN)) s"
    }
}

lab_tool_printed() {
    (($(grep -cE -- "$2" "${LAB_TOOL_OUTPUTS[0]}") >= $1))
}

lab_tool_no_leftovers() {
    local id left=0
    ((${#LAB_TOOL_HELD[@]} > 0)) || lab_fail "no BPF program was seen while the tools ran"
    for id in "${LAB_TOOL_HELD[@]}"; do
        bpftool "${id%%:*}" show id "${id#*:}" >/dev/null 2>&1 && left=$((left + 1))
    done
    lab_expect "$left" -eq 0 "none of the ${#LAB_TOOL_HELD[@]} BPF programs and links the tools held is left"
}

lab_tool_workdir() {
    LAB_TOOL_WORK=$(mktemp -d "/tmp/${LAB_SCENARIO:-$(basename "$0" .sh)}.XXXXXX")
    lab_on_exit "rm -rf $LAB_TOOL_WORK"
    if [[ -n ${LAB_IO:-} ]]; then
        lab_on_exit "mkdir -p $LAB_IO/outputs && cp -r $LAB_TOOL_WORK/. $LAB_IO/outputs/"
    fi
}

lab_json_check() {
    jq -e . "$1" >/dev/null || lab_fail "$2: output is not JSON lines"
}

lab_json_count() {
    jq -s "[.[] | select((.final | not) and ($2))] | length" "$1"
}

lab_json_events() {
    jq -c 'select(.final | not)' "$1"
}

lab_json_final() {
    jq -c 'select(.final)' "$1"
}

lab_json_final_jq() {
    local file=$1 filter=$2
    shift 2
    jq "$@" "select(.final) | $filter" "$file"
}

lab_json_events_jq() {
    local file=$1 filter=$2
    shift 2
    jq -s "$@" "[.[] | select(.final | not)] | $filter" "$file"
}

lab_json_split() {
    lab_json_check "$1" "$2"
    [[ $(tail -n 1 "$1" | jq -c '[.final, .lost_events]') == '[true,0]' ]] ||
        lab_fail "$2: the output does not end with the totals (nothing lost): $(tail -n 1 "$1")"
    lab_json_events "$1" >"$1.events"
}

# lab_expect_module_hook KIND FALLBACK TOOL FUNC [ARGS...]: TOOL ARGS --list-probes serves FUNC,
# a module's function, by KIND (fentry or fexit; FALLBACK, kprobe or kretprobe, on 5.10: module
# BTF came in 5.11), and under BPFNET_FORCE_KPROBE=1 by FALLBACK, with no KIND anywhere in the
# plan: the fallback stays tested.
lab_expect_module_hook() {
    local preferred=$1 kind=$1 fallback=$2 tool=$3 func=$4 plan
    shift 4
    [[ $(uname -r) == 5.10.* ]] && kind=$fallback
    plan=$("$BPFNET_BIN/$tool" "$@" --list-probes) || lab_fail "$tool --list-probes failed"
    grep -qx "  chosen: $kind $func" <<<"$plan" || { echo "$plan" >&2; lab_fail "$tool: $func is not served by $kind"; }
    plan=$(BPFNET_FORCE_KPROBE=1 "$BPFNET_BIN/$tool" "$@" --list-probes) ||
        lab_fail "BPFNET_FORCE_KPROBE=1 $tool --list-probes failed"
    grep -qx "  chosen: $fallback $func" <<<"$plan" ||
        { echo "$plan" >&2; lab_fail "BPFNET_FORCE_KPROBE: $tool's $func is not served by $fallback"; }
    ! grep -q "^  chosen: $preferred " <<<"$plan" || { echo "$plan" >&2; lab_fail "BPFNET_FORCE_KPROBE: $tool still plans $preferred"; }
    lab_log "$tool: $func by $kind, by $fallback under BPFNET_FORCE_KPROBE"
}

# lab_expect_module_fentry TOOL FUNC [ARGS...]: FUNC's entry (lab_expect_module_hook).
lab_expect_module_fentry() { lab_expect_module_hook fentry kprobe "$@"; }

# lab_expect_module_fexit TOOL FUNC [ARGS...]: FUNC's return (lab_expect_module_hook).
lab_expect_module_fexit() { lab_expect_module_hook fexit kretprobe "$@"; }
