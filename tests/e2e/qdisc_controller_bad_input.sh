#!/bin/bash
# qdisc_drop_trace and drop_monitor_controller on bad input: one clear line and the documented
# exit status (2 for usage errors naming the flag, argparse style; 1 for run-time failures).
. "$(dirname "$0")/expect.sh"
cd "$expect_tmp" || exit 1

Q=$BIN/qdisc_drop_trace
expect 2 "^qdisc_drop_trace: error: argument --interval: invalid value: 0 \(must be between 1 and 86400\)$" "$Q" --interval 0
expect 2 "^qdisc_drop_trace: error: argument --interval: invalid int value: 'ten'$" "$Q" --interval ten
expect 2 "^qdisc_drop_trace: error: argument --duration: invalid value: -1 " "$Q" --duration -1
expect 2 "^qdisc_drop_trace: error: argument --interface: interface name 'a-very-long-device-name' too long" "$Q" --interface a-very-long-device-name
expect 2 "^qdisc_drop_trace: error: argument --interface: expected one argument$" "$Q" --interface
expect 2 "^qdisc_drop_trace: error: unrecognized arguments: --drop-only-x$" "$Q" --drop-only-x
expect 2 "^qdisc_drop_trace: error: ambiguous option: --d could match --drops-only, --duration$" "$Q" --d
expect 1 "^Error: qdisc_drop_trace must be run as root" setpriv --reuid 65534 --regid 65534 --clear-groups "$Q"
# A device absent from this namespace may exist in another one: a warning, and the run goes on.
expect 0 "^Warning: no interface 'nosuchdev0' in this network namespace" "$Q" --interface nosuchdev0 --summary --duration 1
expect_check "ran to the end of --duration" grep -q "^Stopping qdisc drop monitoring\.\.\.$" "$expect_tmp/out"

C=$BIN/drop_monitor_controller
expect 2 "^drop_monitor_controller: error: the following arguments are required: --interface, --command$" "$C"
expect 2 "^drop_monitor_controller: error: the following arguments are required: --command$" "$C" --interface lo
expect 2 "^drop_monitor_controller: error: argument --interval: invalid value: 0 " "$C" --interface lo --command true --interval 0
expect 2 "^drop_monitor_controller: error: argument --interval: invalid int value: '1.5'$" "$C" --interface lo --command true --interval 1.5
expect 2 "^drop_monitor_controller: error: argument --command: empty command$" "$C" --interface lo --command "  "
expect 2 "^drop_monitor_controller: error: argument --command: cannot split 'eth_drop --interface 'lo' into words: No closing quotation$" \
	"$C" --interface lo --command "eth_drop --interface 'lo"
expect 2 "^drop_monitor_controller: error: argument --stop-command: cannot split 'pkill \\\\' into words: No escaped character$" \
	"$C" --interface lo --command true --stop-command 'pkill \'
expect 2 "^drop_monitor_controller: error: argument --interface: interface name 'a-very-long-device-name' too long" \
	"$C" --interface a-very-long-device-name --command true
expect 1 "^Error: no interface 'nosuchdev0' in this network namespace \(--interface\)$" "$C" --interface nosuchdev0 --command true
expect 1 "^Error: cannot create log directory /dev/null/logs: Not a directory$" "$C" --interface lo --command true --log-dir /dev/null/logs

expect_finish qdisc_controller_bad_input
