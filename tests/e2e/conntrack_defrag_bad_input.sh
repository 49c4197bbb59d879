#!/bin/bash
# trace_conntrack and trace_ip_defrag on bad input: argparse-style errors with exit status 2
# that name the flag (and for --filters-file the file, line and column), and one clear
# "Error:" line with exit status 1 when the tool cannot run here.
FIXTURES=$(cd "$(dirname "$0")/../golden/fixtures/trace_conntrack" && pwd)
. "$(dirname "$0")/expect.sh"

tc=$BIN/trace_conntrack
df=$BIN/trace_ip_defrag

expect 2 "^trace_conntrack: error: argument --src-ip: invalid IPv4 address: '10\.0\.0\.300'$" "$tc" --src-ip 10.0.0.300
expect 2 "^trace_conntrack: error: argument --dst-ip: invalid IPv4 address: 'fd00::1'$" "$tc" --dst-ip fd00::1
expect 2 "^trace_conntrack: error: argument --protocol: invalid choice: 'sctp' \(choose from 'all', 'icmp', 'tcp', 'udp'\)$" "$tc" --protocol sctp
expect 2 "^trace_conntrack: error: argument --dst-port: invalid port: 70000 " "$tc" --dst-port 70000
expect 2 "^trace_conntrack: error: argument --duration: invalid value: -1 " "$tc" --duration -1
expect 2 "^trace_conntrack: error: argument --stack: expected one argument$" "$tc" --stack
expect 2 "^trace_conntrack: error: argument --filters-file: /nonexistent/rules\.json: No such file or directory$" \
	"$tc" --filters-file /nonexistent/rules.json
expect 2 "^trace_conntrack: error: argument --filters-file: $FIXTURES/bad_trailing_comma\.json: line 2, column 46: expected a member name in double quotes, found '\}'$" \
	"$tc" --filters-file "$FIXTURES/bad_trailing_comma.json"
expect 2 "^trace_conntrack: error: argument --filters-file: $FIXTURES/bad_unknown_key\.json: line 3, column 15: rule 2: unknown key 'srcip'" \
	"$tc" --filters-file "$FIXTURES/bad_unknown_key.json"
expect 2 "^trace_conntrack: error: argument --filters-file: $FIXTURES/bad_protocol\.json: line 1, column 37: rule 1: protocol: unknown protocol 'sctp'" \
	"$tc" --filters=$FIXTURES/bad_protocol.json
expect 2 "^trace_conntrack: error: argument --filters-file: $FIXTURES/bad_top_level\.json: the top level must be an array of rule objects, not an object$" \
	"$tc" --filters-file "$FIXTURES/bad_top_level.json"
printf '[{"src_ip": "10.0.0.1"}]\0' >"$expect_tmp/nul.json"
expect 2 "^trace_conntrack: error: argument --filters-file: $expect_tmp/nul\.json: the file contains a NUL byte" \
	"$tc" --filters-file "$expect_tmp/nul.json"

expect 2 "^trace_ip_defrag: error: argument --protocol: invalid protocol: 'foo' \(use tcp, udp, icmp or a number 0-255\)$" "$df" --protocol foo
expect 2 "^trace_ip_defrag: error: argument --protocol: invalid protocol: '256' " "$df" --protocol 256
expect 2 "^trace_ip_defrag: error: argument --src-ip: invalid IPv4 address: '1\.2\.3'$" "$df" --src-ip 1.2.3
expect 2 "^trace_ip_defrag: error: argument --log-file: cannot open '/nonexistent/dir/defrag\.log': No such file or directory$" \
	"$df" --log-file /nonexistent/dir/defrag.log
expect 2 "^trace_ip_defrag: error: unrecognized arguments: --interface eth0$" "$df" --interface eth0

# Run-time failures.
expect 1 "^Error: trace_conntrack must be run as root" setpriv --reuid 65534 --regid 65534 --clear-groups "$tc"
expect 1 "^Error: trace_ip_defrag must be run as root" setpriv --reuid 65534 --regid 65534 --clear-groups "$df"
if [ ! -e /sys/bus/event_source/devices/kprobe/type ] && [ ! -e /sys/kernel/tracing/kprobe_events ] &&
	[ ! -e /sys/kernel/debug/tracing/kprobe_events ]; then
	# This kernel has no kprobes: both tools say so instead of failing later.
	expect 1 "^Error: kernel .* cannot attach kprobes .*trace_conntrack has no other probe points$" "$tc"
	expect 1 "^Error: kernel .* cannot attach kprobes .*ip_defrag has no tracepoint to use instead$" "$df" --protocol udp
else
	echo "skip: this kernel has kprobes (the lab scenarios run both tools end to end)"
fi

expect_finish conntrack_defrag_bad_input
