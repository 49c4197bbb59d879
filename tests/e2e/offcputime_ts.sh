#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# offcputime-ts sums the off-CPU time of cpu_waits' threads: cw_long sleeps 5 x 200 ms, cw_pipe
# blocks 3 times in read() on a pipe written 300 ms after each block, cw_short sleeps 5 x 1 ms.
# Each sum is at least what the thread asked for, less a little: a sleep's timer is armed a few
# microseconds before the thread leaves the CPU (5 x 1 ms summed to 4.99 ms, printed as 4):
#   cw_long  >= 990 ms in stacks with do_nanosleep and cw_long_sleeper
#   cw_pipe  >= 850 ms in stacks with pipe_read and cw_pipe_reader
#   cw_short >=   4 ms in stacks with do_nanosleep and cw_short_sleeper
# and at most what the thread's own clock saw (cpu_waits prints it): the wall time of its
# blocking calls, which hold every off-CPU period of those stacks. A loaded machine lengthens
# both alike (the wakeups wait for a CPU). The per-thread metrics of the -I run equal the JSON
# run's sums over all of the thread's stacks (both watch the same process from before its
# threads start until they are done; 2 ms for rounding).
# The dynamic build is watched with --json (modern object), the static build with -f (folded,
# legacy object) and -m 100000 (periods under 100 ms left out: no cw_short line while none of
# its sleeps took that long). -I mode: reports framed by the Start/End rules, the last one at
# Ctrl-C.
. "$(dirname "$0")/lib.sh"
e2e_setup_local offcpu

# own OUT NAME FIELD: what cpu_waits' thread NAME measured (FIELD blocked_us or max_us), in
# whole ms rounded up, plus 1 ms for the two clocks' reads around the calls.
own() {
	sed -n "s/^$2 .*$3=\([0-9]*\).*/\1/p" "$1" | awk '{ printf "%d\n", ($1 + 999) / 1000 + 1 }'
}

# within WHAT GOT_MS LOW HIGH
within() {
	if [ "$2" -ge "$3" ] && [ "$2" -le "$4" ]; then e2e_pass "$1: $2 ms (expected $3..$4)"; else e2e_fail "$1: $2 ms, expected $3..$4"; fi
}

dyn=$E2E_TMP/dyn.out
cpu_waits_start "$dyn" offcpu
dyn_pid=$CW_PID
static=$E2E_TMP/static.out
CW_PROGRAM=${CPU_WAITS}_static cpu_waits_start "$static" offcpu
static_pid=$CW_PID

json=$E2E_TMP/json
folded=$E2E_TMP/folded
series=$E2E_TMP/series
e2e_start "$json" offcputime-ts --json -p "$dyn_pid" 60
json_tool=$E2E_PID
BPFNET_FORCE_LEGACY=1 e2e_start "$folded" offcputime-ts -f -m 100000 --pid "$static_pid" 60
folded_tool=$E2E_PID
e2e_start "$series" offcputime-ts -I 1 -K -p "$dyn_pid"
series_tool=$E2E_PID
prom=$E2E_TMP/offcpu.prom
E2E_STDERR=$E2E_TMP/prom.err e2e_start "$E2E_TMP/prom.out" offcputime-ts -I 1 -p "$dyn_pid" --prometheus-textfile "$prom" --quiet
prom_tool=$E2E_PID
CW_PID=$dyn_pid cpu_waits_run "$dyn" 20
CW_PID=$static_pid cpu_waits_run "$static" 20
for E2E_PID in $json_tool $folded_tool $series_tool $prom_tool; do e2e_stop; done

# sum_json COMM KERNEL_FRAME USER_FRAME: ms of the entries of COMM whose stacks have both frames.
sum_json() {
	jq -s --arg c "$1" --arg k "$2" --arg u "$3" \
		'[.[] | select(.comm == $c and any(.kernel_stack[]; test($k)) and any(.user_stack[]; . == $u)) | .off_cpu_us] | add // 0 | . / 1000 | floor' "$json"
}
within "cw_long (JSON, dynamic binary)" "$(sum_json cw_long do_nanosleep cw_long_sleeper)" 990 "$(own "$dyn" cw_long blocked_us)"
within "cw_pipe (JSON, dynamic binary)" "$(sum_json cw_pipe pipe_read cw_pipe_reader)" 850 "$(own "$dyn" cw_pipe blocked_us)"
within "cw_short (JSON, dynamic binary)" "$(sum_json cw_short do_nanosleep cw_short_sleeper)" 4 "$(own "$dyn" cw_short blocked_us)"
# sched_switch fires in __schedule; the program's and the tracepoint runner's frames are not shown.
expect_eq "JSON: every kernel stack starts at __schedule" \
	"$(jq -s '[.[] | select((.kernel_stack | length) > 0 and .kernel_stack[0] != "__schedule")] | length' "$json")" 0
expect_eq "JSON: entries with a kernel stack" \
	"$(jq -s '[.[] | select((.kernel_stack | length) > 0)] | length > 0' "$json")" true
expect_eq "JSON: every entry is of the traced process" \
	"$(jq -s --argjson p "$dyn_pid" '[.[] | select(.pid != $p)] | length' "$json")" 0

# sum_folded COMM KERNEL_FRAME USER_FRAME: the same from folded lines "comm;user...;kernel... us".
sum_folded() {
	awk -v c="$1" -v k="$2" -v u="$3" '{ n = split($1, f, ";"); hk = hu = 0
		for (i = 2; i <= n; i++) { if (f[i] ~ k) hk = 1; if (f[i] == u) hu = 1 }
		if (f[1] == c && hk && hu) s += $2 } END { printf "%d\n", s / 1000 }' "$folded"
}
within "cw_long (folded, static binary, legacy object)" "$(sum_folded cw_long do_nanosleep cw_long_sleeper)" 990 \
	"$(own "$static" cw_long blocked_us)"
within "cw_pipe (folded, static binary, legacy object)" "$(sum_folded cw_pipe pipe_read cw_pipe_reader)" 850 \
	"$(own "$static" cw_pipe blocked_us)"
if [ "$(own "$static" cw_short max_us)" -le 100 ]; then
	expect_count "-m 100000 leaves out the 1 ms sleeps" "$folded" '^cw_short;' 0
else
	e2e_pass "-m 100000: not checked, a 1 ms sleep of cw_short took over 100 ms on this machine"
fi
expect_no_grep "folded mode prints no banner" "$folded" '^(Tracing|Probe:)'

expect_grep "-I banner" "$series" '^Tracing off-CPU time \(us\) of PIDs [0-9]+ by kernel stack, output every 1 secs\.\.\. Hit Ctrl-C to end\.$'
starts=$(count_lines "$series" '^=== Off-CPU Analysis Report - Start Time: [0-9-]+ [0-9:]+ ===$')
ends=$(count_lines "$series" '^=== Off-CPU Analysis Report - End Time: [0-9-]+ [0-9:]+ ===$')
[ "$starts" -ge 2 ] && [ "$starts" -eq "$ends" ] && e2e_pass "-I: $starts reports, each framed" ||
	e2e_fail "-I: $starts report starts, $ends ends"
expect_no_grep "-K: no user frames" "$series" 'cw_long_sleeper'
expect_grep "-I: the kernel stacks of cw_long" "$series" '^    -                cw_long \([0-9]+\)$'

# json_all COMM: ms of all the JSON entries of COMM.
json_all() {
	jq -s --arg c "$1" '[.[] | select(.comm == $c) | .off_cpu_us] | add // 0 | . / 1000 | floor' "$json"
}

# The metrics: each thread's off-CPU seconds since the start, summed over the -I reports.
prom_ms() { # COMM
	awk -v c="bpfnet_offcputime_ts_off_cpu_seconds_total{comm=\"$1\"}" '$1 == c { printf "%d\n", $2 * 1000; f = 1 }
		END { if (!f) print 0 }' "$prom"
}
all=$(json_all cw_long)
within "cw_long (metrics, -I 1) = JSON over all its stacks" "$(prom_ms cw_long)" $((all - 2)) $((all + 2))
all=$(json_all cw_pipe)
within "cw_pipe (metrics, -I 1) = JSON over all its stacks" "$(prom_ms cw_pipe)" $((all - 2)) $((all + 2))
all=$(json_all cw_short)
within "cw_short (metrics, -I 1) = JSON over all its stacks" "$(prom_ms cw_short)" $((all - 2)) $((all + 2))
# Two of the test's few dozen stacks share a hash bucket of the 16384 once in some tens of
# runs: such a loss is counted apart, and the map never fills.
expect_grep "metrics: no stack lost to a full map" "$prom" '^bpfnet_offcputime_ts_stack_traces_lost_total{reason="table_full"} 0$'
expect_grep "metrics: no stack lost for another reason" "$prom" '^bpfnet_offcputime_ts_stack_traces_lost_total{reason="other"} 0$'
expect_eq "--quiet: nothing on stdout" "$(wc -c <"$E2E_TMP/prom.out")" 0
if promtool check metrics <"$prom" >"$E2E_TMP/promtool.log" 2>&1; then
	e2e_pass "promtool check metrics accepts the file"
else
	e2e_fail "promtool check metrics: $(cat "$E2E_TMP/promtool.log")"
fi

expect_no_leftovers
e2e_finish
