#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# drop_monitor_controller running eth_drop (given by its Python name) for each cycle. Real RX
# drops on DEV_B come from an MTU mismatch: veth drops frames longer than the receiver's MTU and
# counts them in the receiver's rx_dropped. The controller must report the counter's increases,
# keep exactly the logs of the cycles that began with one (with eth_drop's output in them),
# remove the others, stop eth_drop at the end of every cycle, and on SIGINT stop at once,
# finish the interrupted cycle's bookkeeping and leave no process or BPF program behind.
. "$(dirname "$0")/lib.sh"
e2e_setup dmc 222
ip -n "$NS_B" link set "$DEV_B" mtu 1000 || e2e_die "cannot lower the MTU of $DEV_B"

# oversize PORT COUNT PAUSE: COUNT datagrams of 1400 bytes from A, too long for DEV_B.
oversize() {
	for _ in $(seq 1 "$2"); do
		ip netns exec "$NS_A" bash -c "printf '%1400s' x > /dev/udp/$IP_B/$1" 2>/dev/null
		sleep "$3"
	done
}

rx_dropped() {
	ip netns exec "$NS_B" cat "/sys/class/net/$DEV_B/statistics/rx_dropped"
}

# start_controller DIR OUT ARGS...: the controller in NS_B, working directory DIR.
start_controller() {
	local dir=$1 out=$2
	shift 2
	mkdir -p "$dir"
	rm -f "$E2E_TMP/ready"
	(cd "$dir" && exec ip netns exec "$NS_B" "$BIN/drop_monitor_controller" --ready-file "$E2E_TMP/ready" "$@") \
		>"$out" 2>&1 &
	E2E_PID=$!
	E2E_TOOLS+=("$E2E_PID")
	e2e_await_ready "$E2E_TMP/ready" "$E2E_PID" 5 "the controller" "$out"
}

# wait_for FILE AWK-CONDITION SECONDS: until the awk program prints "yes" for the file.
wait_for() {
	for _ in $(seq 1 $(($3 * 10))); do
		[ "$(awk "$2" "$1" 2>/dev/null)" = yes ] && return 0
		kill -0 "$E2E_PID" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

# interrupt: SIGINT; TOOK = milliseconds until the controller exited (fails if it did not).
interrupt() {
	local start
	start=$(date +%s%N)
	kill -INT "$E2E_PID"
	e2e_await_exit "$E2E_PID" 5 "the controller (after SIGINT)"
	E2E_PID=
	[ "$E2E_STATUS" -eq 0 ] || e2e_fail "the controller exited with status $E2E_STATUS"
	TOOK=$((($(date +%s%N) - start) / 1000000))
}

# The ids of eth_drop's programs (its drop hook) loaded now.
eth_drop_prog_ids() {
	bpftool prog show 2>/dev/null | sed -nE 's/^([0-9]+): .* name (drop_raw_tp|drop_kfree_skb|drop_sk_skb_rea)[a-z_]*( .*)?$/\1/p' | sort
}

# expect_released IDS: none of these programs (seen while the controller's command ran) is
# still loaded; the kernel may take a moment to free them after the process is gone.
expect_released() {
	local left
	for _ in $(seq 1 20); do
		left=$(comm -12 <(echo "$1" | tr ' ' '\n' | grep . | sort) <(eth_drop_prog_ids) | tr '\n' ' ')
		[ -z "$left" ] && break
		sleep 0.1
	done
	if [ -z "$1" ]; then
		e2e_fail "no eth_drop program was seen while the controller ran"
	elif [ -z "$left" ]; then
		e2e_pass "eth_drop's programs ($(echo $1)) were unloaded"
	else
		e2e_fail "programs still loaded: $left"
	fi
}

# 1. stdout mode (--log-dir ./logs), process-group termination.
run=$E2E_TMP/run1
out=$E2E_TMP/run1.out
base=$(rx_dropped)
start_controller "$run" "$out" --interface "$DEV_B" --interval 4 \
	--command "python2 eth_drop.py --l4-protocol udp --dst-port 5600"
wait_for "$out" '/\(baseline\)$/ { print "yes"; exit }' 5 || e2e_die "no baseline line"
# The monitoring command's pids and programs, sampled while it runs.
for _ in $(seq 1 30); do
	progs=$(eth_drop_prog_ids)
	[ -n "$progs" ] && break
	sleep 0.1
done
children=$(pgrep -P "$E2E_PID")
oversize 5600 28 0.25
# After the drops stop, wait for a cycle that saw no change to end (its log removed).
wait_for "$out" '/Drop increment detected$/ { seen = 1 } seen && /Removed log file/ { print "yes"; exit }' 20 ||
	{ cat "$out"; e2e_die "no quiet cycle after the drops"; }
children="$children $(pgrep -P "$E2E_PID")"
sleep 1
interrupt
final=$(rx_dropped)
cat "$out"

expect_grep "banner names the suite's tool" "$out" "^Running: $BIN/eth_drop --l4-protocol udp --dst-port 5600$"
expect_grep "stop method" "$out" "^Stop method: Process group termination$"
expect_count "baseline is the counter at start" "$out" "^\[[0-9:]{8}\] Interface $DEV_B rx dropped: $base \(baseline\)$" 1
increments=$(sed -nE 's/.* \(\+([0-9]+)\) - Drop increment detected$/\1/p' "$out" | awk '{ s += $1 } END { print s + 0 }')
expect_eq "increments add up to the drops the kernel counted" "$increments" $((final - base))
expect_eq "every oversized datagram was an RX drop" $((final - base)) 28
kept=$(sed -nE 's/^\[[0-9:]{8}\] Kept log file \(drops detected\): (.*)$/\1/p' "$out")
removed=$(sed -nE 's/^\[[0-9:]{8}\] Removed log file \(no drops detected\): (.*)$/\1/p' "$out")
nkept=$(echo "$kept" | grep -c .)
expect_eq "a kept log per cycle that began with an increase" "$nkept" "$(count_lines "$out" "Drop increment detected$")"
expect_eq "log files left in ./logs" "$(find "$run/logs" -type f | wc -l)" "$nkept"
cycles=$(count_lines "$out" "(Drop increment detected|no change, increment: -?[0-9]+\))$")
expect_eq "eth_drop stopped at the end of every cycle" "$(count_lines "$out" "^\[[0-9:]{8}\] Stopped monitoring command$")" "$cycles"
with_drops=0
for f in $kept; do
	case $f in ./logs/monitor_[0-9]*_[0-9]*.log) ;; *) e2e_fail "log name $f" ;; esac
	[ -f "$run/$f" ] || { e2e_fail "kept log $f does not exist"; continue; }
	head -5 "$run/$f" | diff -q - <(printf '%s\n' "=== Drop Monitor Controller Log ===" \
		"$(sed -n 2p "$run/$f")" "Interface: $DEV_B" \
		"Command: python2 eth_drop.py --l4-protocol udp --dst-port 5600" \
		"==================================================") >/dev/null ||
		e2e_fail "header of $f"
	grep -qE "^Start time: [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8}$" "$run/$f" || e2e_fail "start time in $f"
	grep -q "^Enhanced Ethernet Packet Drop Monitor" "$run/$f" || e2e_fail "no eth_drop output in $f"
	grep -q "^Stopping packet drop monitoring\.\.\.$" "$run/$f" || e2e_fail "eth_drop in $f did not stop cleanly"
	grep -qE "^  UDP Ports: [0-9]+ -> 5600$" "$run/$f" && with_drops=$((with_drops + 1))
done
if [ "$with_drops" -ge 1 ]; then e2e_pass "kept logs with eth_drop's drop reports: $with_drops"; else e2e_fail "no kept log shows a dropped datagram"; fi
for f in $removed; do
	[ -e "$run/$f" ] && e2e_fail "removed log $f still exists"
done
e2e_pass "removed logs are gone: $(echo "$removed" | grep -c .)"
expect_grep "signal reported" "$out" "^\[[0-9:]{8}\] Received signal 2, shutting down\.\.\.$"
tail -1 "$out" | grep -qE "(Kept|Removed) log file" && e2e_pass "the interrupted cycle's bookkeeping ran last" ||
	e2e_fail "last line: $(tail -1 "$out")"
if [ "$TOOK" -lt 3000 ]; then e2e_pass "stopped $TOOK ms after SIGINT (interval 4 s)"; else e2e_fail "took $TOOK ms to stop"; fi
alive=0
for pid in $children; do kill -0 "$pid" 2>/dev/null && alive=$((alive + 1)); done
expect_eq "monitoring commands still running" "$alive" 0
expect_released "$progs"

# 2. Log-file mode with a stop command, JSON on stdout.
run=$E2E_TMP/run2
out=$E2E_TMP/run2.out
stop="pkill -INT -f '^$BIN/eth_drop --l4-protocol udp --dst-port 5601'"
start_controller "$run" "$out" --interface "$DEV_B" --interval 2 --log-dir "$run/cycles" --json \
	--command "eth_drop --l4-protocol udp --dst-port 5601" --stop-command "$stop"
for _ in $(seq 1 30); do
	progs=$(eth_drop_prog_ids)
	[ -n "$progs" ] && break
	sleep 0.1
done
oversize 5601 6 0.1
for _ in $(seq 1 80); do
	grep -l "Drop increment detected" "$run"/cycles/*.log 2>/dev/null | xargs -r grep -l "Stopped monitoring command$" | grep -q . && break
	sleep 0.1
done
interrupt
if jq -e . "$out" >/dev/null 2>&1; then e2e_pass "stdout is JSON lines"; else e2e_fail "stdout is not JSON"; cat "$out"; fi
expect_eq "start event" "$(jq -s '[.[] | select(.event == "start" and .interface == "'"$DEV_B"'")] | length' "$out")" 1
expect_eq "signal event" "$(jq -s '[.[] | select(.event == "signal")] | length' "$out")" 1
expect_eq "cycle messages not on stdout in log-file mode" "$(jq -s '[.[] | select(.event == "drops_detected" or .event == "no_change" or .event == "log_kept")] | length' "$out")" 0
logs=$(grep -l "Drop increment detected" "$run"/cycles/*.log 2>/dev/null)
nlogs=$(echo "$logs" | grep -c .)
if [ "$nlogs" -ge 1 ]; then e2e_pass "logs with a drop increase: $nlogs"; else e2e_fail "no log with a drop increase"; ls -la "$run/cycles"; fi
expect_eq "only those logs are kept" "$(find "$run/cycles" -type f | wc -l)" "$nlogs"
for f in $logs; do
	grep -qE "^\[[0-9:]{8}\] Interface $DEV_B rx dropped: [0-9]+ -> [0-9]+ \(\+[0-9]+\) - Drop increment detected$" "$f" || e2e_fail "$f: increment line"
	grep -qF "] Executing stop command: $stop" "$f" || e2e_fail "$f: no 'Executing stop command' line"
	grep -qE "^\[[0-9:]{8}\] Stop command executed successfully$" "$f" || e2e_fail "$f: stop command result"
	grep -q "^Stopping packet drop monitoring\.\.\.$" "$f" || e2e_fail "$f: eth_drop did not get the stop command's SIGINT"
	tail -1 "$f" | grep -qE "^\[[0-9:]{8}\] Stopped monitoring command$" || e2e_fail "$f: last line $(tail -1 "$f")"
done
e2e_pass "kept logs hold the cycle's messages, the stop command's result and eth_drop's clean exit"
expect_released "$progs"

# 3. A command that cannot start: the cycle goes on and says why.
out=$E2E_TMP/run3.out
start_controller "$E2E_TMP/run3" "$out" --interface "$DEV_B" --interval 1 --command "no-such-program --x"
wait_for "$out" '/Error starting monitoring command/ { print "yes"; exit }' 5 || true
interrupt
expect_grep "exec failure reported like Popen" "$out" "^\[[0-9:]{8}\] Error starting monitoring command: \[Errno 2\] No such file or directory: 'no-such-program'$"
# 4 and 5. The monitoring command must not outlive the controller: SIGHUP (the SSH session that
# ran it went away) is a clean stop like SIGTERM, and after SIGKILL the command, which runs in a
# session of its own, gets the parent-death signal. The controller's --btf goes to the command.

# start_cycle_child OUT: a controller whose 60 s cycle runs eth_drop; CHILD = eth_drop's pid once
# its probes are attached (their ids join E2E_PROG_IDS for expect_no_leftovers).
start_cycle_child() {
	start_controller "$E2E_TMP/run$1" "$2" --interface "$DEV_B" --interval 60 --btf /sys/kernel/btf/vmlinux \
		--command "eth_drop --l4-protocol udp --dst-port 5602"
	CHILD=
	for _ in $(seq 1 100); do
		CHILD=$(pgrep -P "$E2E_PID" | head -1)
		[ -n "$CHILD" ] && bpf_ids_of "$CHILD" | grep -q '^link:' && break
		sleep 0.1
	done
	bpf_ids_of "$CHILD" | grep -q '^link:' || { cat "$2"; e2e_die "the controller's eth_drop did not attach"; }
	E2E_PROG_IDS="$E2E_PROG_IDS $(bpf_ids_of "$CHILD")"
}

# gone PID SECONDS: true once the process has exited (a zombie counts as exited).
gone() {
	local state
	for _ in $(seq 1 $(($2 * 10))); do
		state=$(ps -o stat= -p "$1" 2>/dev/null)
		case $state in "" | Z*) return 0 ;; esac
		sleep 0.1
	done
	return 1
}

out=$E2E_TMP/run4.out
start_cycle_child 4 "$out"
expect_eq "the controller's --btf is passed to eth_drop" \
	"$(tr '\0' ' ' <"/proc/$CHILD/cmdline")" "$BIN/eth_drop --btf /sys/kernel/btf/vmlinux --l4-protocol udp --dst-port 5602 "
kill -HUP "$E2E_PID"
if gone "$E2E_PID" 5; then e2e_pass "the controller stopped on SIGHUP"; else e2e_fail "the controller still runs 5 s after SIGHUP"; fi
wait "$E2E_PID"
expect_eq "exit status after SIGHUP" "$?" 0
E2E_PID=
if gone "$CHILD" 5; then e2e_pass "eth_drop stopped with the controller (SIGHUP)"; else e2e_fail "eth_drop still runs after the controller's SIGHUP"; kill "$CHILD"; fi
expect_grep "SIGHUP reported like SIGTERM" "$out" "^\[[0-9:]{8}\] Received signal 1, shutting down\.\.\.$"
expect_grep "the cycle was stopped" "$out" "^\[[0-9:]{8}\] Stopped monitoring command$"

out=$E2E_TMP/run5.out
start_cycle_child 5 "$out"
kill -KILL "$E2E_PID"
wait "$E2E_PID" 2>/dev/null
E2E_PID=
if gone "$CHILD" 5; then e2e_pass "eth_drop stopped within 5 s of the controller's SIGKILL"; else e2e_fail "eth_drop outlived the controller's SIGKILL"; kill "$CHILD"; fi
log=$(ls "$E2E_TMP"/run5/logs/monitor_*.log 2>/dev/null | head -1)
if [ -n "$log" ] && grep -q "^Stopping packet drop monitoring\.\.\.$" "$log"; then
	e2e_pass "eth_drop stopped cleanly (SIGTERM) after the controller's SIGKILL"
else
	e2e_fail "eth_drop's log does not show a clean stop: ${log:-no log}"
fi
expect_no_leftovers

e2e_finish
