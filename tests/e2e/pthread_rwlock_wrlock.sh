#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# pthread_rwlock_wrlock on cpu_waits' writers: 4 threads take a pthread_rwlock_t 25 times each
# (holding it 1 ms), so the histogram counts exactly 100 calls and --stack counts 100 calls
# from cw_rwlock_writer. The dynamic build is probed in the C library the process maps, the
# static build in its own executable (both found from -p / the PID); the alias
# pthread_rwlock_wrlock-stack is the --stack mode; Ctrl-C prints the END output and bpftrace's
# exit dump; --json; no BPF program left behind.
. "$(dirname "$0")/lib.sh"
e2e_setup_local rwlock

WRITERS=4 EACH=25 CALLS=100

# hist_total FILE: the counts of the first histogram's rows (the END block's print).
hist_total() {
	awk '/^@lat: $/ { n++ } n == 1 && /^\[/ { split($0, a, "|"); m = split(a[1], w, " "); s += w[m] }
		END { print s + 0 }' "$1"
}

for build in dynamic static; do
	prog=$E2E_TMP/$build.out
	if [ "$build" = static ]; then CW_PROGRAM=${CPU_WAITS}_static cpu_waits_start "$prog" rwlock $WRITERS $EACH
	else cpu_waits_start "$prog" rwlock $WRITERS $EACH; fi
	hist=$E2E_TMP/$build.hist
	stacks=$E2E_TMP/$build.stacks
	json=$E2E_TMP/$build.json
	e2e_start "$hist" pthread_rwlock_wrlock -p "$CW_PID"
	hist_tool=$E2E_PID
	e2e_start "$stacks" pthread_rwlock_wrlock-stack "$CW_PID"
	stack_tool=$E2E_PID
	e2e_start "$json" pthread_rwlock_wrlock --stack --pid "$CW_PID" --json
	json_tool=$E2E_PID
	cpu_waits_run "$prog" 30
	for E2E_PID in $hist_tool $stack_tool $json_tool; do e2e_stop; done
	cat "$hist" "$stacks"

	if [ "$build" = static ]; then where="$(basename "$CPU_WAITS")_static"; else where='libc\.so\.6|libpthread'; fi
	expect_grep "$build: probes the file that defines the lock" "$hist" "^Probe: uprobe .*($where):__pthread_rwlock_wrlock\$"
	expect_grep "$build: bpftrace's start line" "$hist" '^Attaching 3 probes\.\.\.$'
	expect_eq "$build: histogram total = lock calls" "$(hist_total "$hist")" $CALLS
	expect_count "$build: END print and the exit dump" "$hist" '^@lat: $' 2
	expect_grep "$build: --stack alias's start line" "$stacks" '^Attaching 2 probes\.\.\.$'
	expect_count "$build: callers of cw_rwlock_writer, END and exit dump" "$stacks" '^    cw_rwlock_writer\+[0-9]+$' 2
	expect_eq "$build: --stack counts every call" \
		"$(awk '/^\]: / { s += $2 } END { print s / 2 }' "$stacks")" $CALLS
	expect_eq "$build: JSON callers' calls" "$(jq '[.callers[].count] | add' "$json")" $CALLS
	expect_eq "$build: JSON stacks name the writer" \
		"$(jq '[.callers[] | select(any(.stack[]; startswith("cw_rwlock_writer+"))) | .count] | add' "$json")" $CALLS
	kill "$CW_PID"
done

# Without a PID: the system's C library (glibc 2.34+: libc.so.6), every process, --duration.
e2e_start "$E2E_TMP/all" pthread_rwlock_wrlock -d 1
e2e_wait_exit 10
expect_grep "no PID: the C library found on this system" "$E2E_TMP/all" '^Probe: uprobe /.*(libc\.so\.6|libpthread[^:]*):__pthread_rwlock_wrlock$'

expect_no_leftovers
e2e_finish
