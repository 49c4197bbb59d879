#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# lab-options: --timeout 240
# futex, offcputime-ts and pthread_rwlock_wrlock on the lab kernel, one start each, on the
# waits of tests/e2e/cpu_waits (built beside the tools):
#   futex -p: 3 waits of 300 ms for a contended mutex, all in [256, 512) ms (a wakeup may be
#     212 ms late);
#   offcputime-ts through its kprobe fallback (BPFNET_FORCE_KPROBE=1: finish_task_switch,
#     which the host kernel cannot attach), --json: cw_long 5 x 200 ms at least 990 ms and
#     cw_pipe 3 x 300 ms at least 850 ms (each 300 ms counted from the reader's block), each at
#     most the wall time its thread timed around its blocking calls, in stacks with the blocking
#     functions;
#   pthread_rwlock_wrlock -p on the static build (probed in the executable): 4 writers x 25
#     lock calls = 100 in the histogram.
set -euo pipefail
source "$(dirname "$0")/../lib/tool.sh"

lab_tool_workdir
work=$LAB_TOOL_WORK
waits=$(cd "$BPFNET_BIN/../tests/e2e" && pwd)/cpu_waits
[[ -x $waits && -x ${waits}_static ]] || lab_fail "no cpu_waits programs beside $BPFNET_BIN: build the project first"

# waits_start OUT PROGRAM MODE ARGS...: the program, waiting for SIGUSR1; its pid in CW_PID.
waits_start() {
    local out=$1
    shift
    "$@" >"$out" 2>&1 &
    CW_PID=$!
    lab_on_exit "kill $CW_PID 2>/dev/null || true"
    lab_wait_for 20 grep -q '^pid ' "$out" || lab_fail "$* did not start"
}

# waits_run OUT: the waits (SIGUSR1), until the program says "done".
waits_run() {
    kill -USR1 "$CW_PID"
    lab_wait_for 60 grep -qx 'done' "$1" || lab_fail "cpu_waits did not finish: $(cat "$1")"
}

# --- futex
waits_start "$work/futex.prog" "$waits" futex 3 300
lab_tool_start "$work/futex" futex -p "$CW_PID"
waits_run "$work/futex.prog"
lab_tool_stop
kill "$CW_PID"
grep -qx 'Attaching 2 probes...' "$work/futex" || lab_fail "futex: no start line: $(cat "$work/futex")"
n=$(awk '/^\[256, 512\)/ { split($0, a, "|"); m = split(a[1], w, " "); print w[m] }' "$work/futex")
lab_expect "${n:-0}" -eq 3 "futex: the 3 mutex waits of 300 ms in [256, 512)"
last=$(grep -E '^\[' "$work/futex" | tail -n1 | cut -d')' -f1)
[[ $last == '[256, 512' ]] || lab_fail "futex: a wait above 512 ms: $(cat "$work/futex")"

# --- offcputime-ts (kprobe fallback)
BPFNET_FORCE_KPROBE=1 "$BPFNET_BIN/offcputime-ts" --list-probes >"$work/offcpu.plan"
grep -qE '^  chosen: kprobe finish_task_switch(\.isra\.[0-9]+)?$' "$work/offcpu.plan" ||
    lab_fail "offcputime-ts: no finish_task_switch kprobe: $(cat "$work/offcpu.plan")"
waits_start "$work/offcpu.prog" "$waits" offcpu
BPFNET_FORCE_KPROBE=1 lab_tool_start "$work/offcpu" offcputime-ts --json -p "$CW_PID"
waits_run "$work/offcpu.prog"
lab_tool_stop
kill "$CW_PID"
# ms COMM KERNEL_FRAME USER_FRAME
ms() {
    jq -s --arg c "$1" --arg k "$2" --arg u "$3" \
        '[.[] | select(.comm == $c and any(.kernel_stack[]; test($k)) and any(.user_stack[]; . == $u)) | .off_cpu_us] | add // 0 | . / 1000 | floor' "$work/offcpu"
}
long=$(ms cw_long do_nanosleep cw_long_sleeper)
pipe=$(ms cw_pipe pipe_read cw_pipe_reader)
# blocked NAME: what cpu_waits' thread NAME timed of its blocking calls, in ms rounded up, + 1
blocked() {
    sed -n "s/^$1 blocked_us=\([0-9]*\).*/\1/p" "$work/offcpu.prog" | awk '{ printf "%d\n", ($1 + 999) / 1000 + 1 }'
}
lab_expect "$long" -ge 990 "offcputime-ts (kprobe): cw_long off-CPU ms, 5 x 200 ms (each timer armed just before the switch)"
lab_expect "$long" -le "$(blocked cw_long)" "offcputime-ts (kprobe): cw_long at most its sleeps' wall time"
lab_expect "$pipe" -ge 850 "offcputime-ts (kprobe): cw_pipe off-CPU ms, 3 x 300 ms from the reader's block"
lab_expect "$pipe" -le "$(blocked cw_pipe)" "offcputime-ts (kprobe): cw_pipe at most its reads' wall time"

# --- pthread_rwlock_wrlock (static executable)
waits_start "$work/rwlock.prog" "${waits}_static" rwlock 4 25
lab_tool_start "$work/rwlock" pthread_rwlock_wrlock -p "$CW_PID" --json
waits_run "$work/rwlock.prog"
lab_tool_stop
kill "$CW_PID"
lab_expect "$(jq .calls "$work/rwlock")" -eq 100 "pthread_rwlock_wrlock: 4 writers x 25 lock calls timed"
[[ $(jq -r .library "$work/rwlock") == */cpu_waits_static ]] ||
    lab_fail "pthread_rwlock_wrlock: probed $(jq -r .library "$work/rwlock"), not the static executable"

lab_tool_no_leftovers
lab_log "passed in $(lab_elapsed)"
