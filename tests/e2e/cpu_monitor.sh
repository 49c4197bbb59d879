#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# cpu_monitor on known load: cpu_hog spins hog_hi (nice 0) and hog_lo (nice 10) on the last
# CPU, hog_other on the first. Per interval the CPU time of each thread on each CPU comes from
# the context switches: hog_hi gets about 9.3 times hog_lo's share (weights 1024 : 110, whatever
# else runs on that CPU, which gets the same slices from both); asserted with a factor 3, and
# hog_other never on the last CPU. The profile (threshold 1 %, the CPU is busy) names hog_spin,
# called from hog_main, as hog_hi's function. A text instance on both CPUs logs to a file and
# stops after --duration; bad CPU lists and thresholds are argparse errors.
. "$(dirname "$0")/lib.sh"
e2e_setup_local cpum

PROGS=${CPU_PROGS:?set CPU_PROGS to the folder of cpu_hog}
LAST=$(($(nproc) - 1))

# --- 1. Bad input (exit 2, before anything is loaded).
"$BIN/cpu_monitor" -i 1 >"$E2E_TMP/err" 2>&1
expect_eq "no -c: exit status" "$?" 2
expect_grep "no -c: the error" "$E2E_TMP/err" "cpu_monitor: error: the list of CPUs to monitor is required \(-c/--cpus\)"
"$BIN/cpu_monitor" -c 0,4096 >"$E2E_TMP/err" 2>&1
expect_eq "CPU out of range: exit status" "$?" 2
expect_grep "CPU out of range: the error" "$E2E_TMP/err" "invalid CPU number '4096', system CPU range: 0-$LAST$"
"$BIN/cpu_monitor" -c 0 -t 101 >"$E2E_TMP/err" 2>&1
expect_eq "threshold 101: exit status" "$?" 2

# --- 2. JSON with the profile on the last CPU, text on every CPU, both started before the load.
json=$E2E_TMP/cpum.json
log=$E2E_TMP/cpum.log
prof=$E2E_TMP/profiles
"$BIN/cpu_monitor" --ready-file "$E2E_TMP/ready.text" -c "0-$LAST" -i 2 --duration 4 --log-file "$log" \
	>"$E2E_TMP/text.out" 2>&1 &
text_pid=$!
e2e_start "$json" cpu_monitor -c "$LAST" -i 2 -t 1 --perf-output "$prof" --json
e2e_await_ready "$E2E_TMP/ready.text" "$text_pid" 10 cpu_monitor "$E2E_TMP/text.out"
"$PROGS/cpu_hog" -s 6 "$LAST:0:hog_hi" "$LAST:10:hog_lo" "0:0:hog_other" >"$E2E_TMP/hogs.out" 2>&1 &
E2E_HELPERS+=($!)
e2e_wait_line "$E2E_TMP/hogs.out" '^ready' 5
sleep 4.5
e2e_stop

share() { # NAME CPU: the thread's CPU % summed over the JSON reports
	jq -s "[.[].groups[].cpus[] | select(.cpu == $2) | .threads[] | select(.command == \"$1\") | .cpu_percent] | add // 0" "$json"
}
hi=$(share hog_hi "$LAST") lo=$(share hog_lo "$LAST") other=$(share hog_other "$LAST")
e2e_pass "CPU $LAST, summed over the reports: hog_hi ${hi} %, hog_lo ${lo} %, hog_other ${other} %"
if awk -v h="$hi" -v l="$lo" 'BEGIN { exit !(h > 0 && h >= 3 * l) }'; then
	e2e_pass "hog_hi (nice 0) got at least 3 times hog_lo's (nice 10) share (expected 9.3)"
else
	e2e_fail "hog_hi ${hi} %, hog_lo ${lo} %: not 3 times (expected 9.3)"
fi
expect_eq "hog_other never counted on CPU $LAST" "$other" 0
expect_eq "every JSON report shows CPU $LAST as the target" \
	"$(jq -s "[.[] | select(.groups[0].target != $LAST or .groups[0].cpus[0].target != true)] | length" "$json")" 0
busy=$(jq -s "[.[] | .groups[0].cpus[0].usage] | max" "$json")
if awk -v u="$busy" 'BEGIN { exit !(u >= 90) }'; then e2e_pass "CPU $LAST busy: ${busy} %"; else e2e_fail "CPU $LAST usage only ${busy} %"; fi
profile=$(find "$prof" -name "perf_cpu${LAST}_*.txt" 2>/dev/null | sort | tail -1)
if [ -n "$profile" ]; then
	e2e_pass "profile kept: $(jq -s '[.[].profiles[]] | length' "$json") reports"
	expect_grep "the profile names hog_hi's function" "$profile" '^ +[0-9.]+% +[0-9]+ +hog_hi +\[\.\] hog_spin$'
	expect_grep "its call graph has hog_spin's caller" "$profile" '^ +-> hog_spin$'
	expect_grep "hog_main calls it" "$profile" '^ +(-> )?hog_main$'
	expect_grep "the detailed stacks name the binary" "$profile" "hog_spin\+0x[0-9a-f]+ \(.*/cpu_hog\)"
else
	e2e_fail "no profile of CPU $LAST in $prof"
fi

e2e_await_exit "$text_pid" 15 "cpu_monitor --duration 4"
expect_eq "text instance: stopped by itself after --duration with status" "$E2E_STATUS" 0
expect_count "text instance: nothing on stdout (everything in the log)" "$E2E_TMP/text.out" '.' 0
expect_count "two reports in 4 s" "$log" '^\[[0-9-]+ [0-9:]+\] ======== CPU monitoring - [0-9:]{8} ========$' 2
expect_grep "banner: targets" "$log" "^\[[0-9-]+ [0-9:]+\] Target CPUs: \[$(seq -s, 0 "$LAST")\]$"
expect_grep "banner: profiling off" "$log" '^\[[0-9-]+ [0-9:]+\] Perf sampling: disabled$'
expect_grep "hog_other on CPU 0 in the text table" "$log" \
	'^\[[0-9-]+ [0-9:]+\] +[0-9]+ +[0-9]+ +0 +[0-9.]+% hog_other +$'
expect_grep "the last CPU's block, a target" "$log" \
	"^\[[0-9-]+ [0-9:]+\]   CPU +$LAST: +[0-9.]+% \[TARGET\] - running threads \(2s average CPU utilisation\):$"
expect_grep "stopped at the end of --duration" "$log" 'Duration reached, stopping monitoring\.\.\.$'

expect_no_leftovers
e2e_finish
