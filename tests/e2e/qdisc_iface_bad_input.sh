#!/bin/bash
# qdisc_lateny_details and iface_netstat: bad arguments exit 2 with an argparse-style line
# naming the flag; an unknown interface or missing privileges exit 1 with one "Error:" line.
. "$(dirname "$0")/expect.sh"

Q=$BIN/qdisc_lateny_details
N=$BIN/iface_netstat
expect 2 "^qdisc_lateny_details: error: argument --src-ip: invalid IP address format: '300\.1\.1\.1'$" "$Q" --src-ip 300.1.1.1
expect 2 "^qdisc_lateny_details: error: argument --dst-ip: invalid IP address format: 'fd00::1'$" "$Q" --dst-ip fd00::1
expect 2 "^qdisc_lateny_details: error: argument --dst-port: invalid port: 70000 \(must be between 0 and 65535\)$" "$Q" --dst-port 70000
expect 2 "^qdisc_lateny_details: error: argument --src-port: invalid int value: 'http'$" "$Q" --src-port http
expect 2 "^qdisc_lateny_details: error: argument --proto: invalid choice: 'sctp' \(choose from 'tcp', 'udp', 'icmp', 'all'\)$" "$Q" --proto sctp
# The flag is --proto, as in the original: --protocol is not a prefix of it.
expect 2 "^qdisc_lateny_details: error: unrecognized arguments: --protocol tcp$" "$Q" --protocol tcp
expect 2 "^qdisc_lateny_details: error: argument --dev: interface name 'averyveryverylongname' too long" "$Q" --dev averyveryverylongname
expect 2 "^qdisc_lateny_details: error: argument --max-entries: invalid value: 5 " "$Q" --max-entries 5
expect 2 "^qdisc_lateny_details: error: argument --expire: invalid value: 0 " "$Q" --expire 0
expect 2 "^qdisc_lateny_details: error: argument --duration: invalid int value: '1\.5'$" "$Q" --duration 1.5
expect 1 "^Error: interface 'nosuchdev0' not found" "$Q" --dev nosuchdev0
expect 1 "^Error: qdisc_lateny_details must be run as root" setpriv --reuid 65534 --regid 65534 --clear-groups "$Q"

expect 2 "^iface_netstat: error: argument -n/--name: please specify a network interface$" "$N"
expect 2 "^iface_netstat: error: argument -n/--name: NIC name too long: 'averyveryverylongname'" "$N" -n averyveryverylongname
expect 2 "^iface_netstat: error: argument -i/--interval: print interval must be non-zero$" "$N" -n lo -i 0
expect 2 "^iface_netstat: error: argument -i/--interval: invalid float value: 'fast'$" "$N" -n lo --interval fast
expect 2 "^iface_netstat: error: argument -i/--interval: print interval must be a positive number of seconds: '-2'$" "$N" -n lo -i -2
expect 2 "^iface_netstat: error: argument -t/--throughput: ignored explicit argument 'yes'$" "$N" -n lo --throughput=yes
expect 2 "^iface_netstat: error: unrecognized arguments: --bogus$" "$N" -n lo --bogus
expect 1 "^Error: net interface nosuchdev0 does not exist" "$N" -n nosuchdev0
expect 1 "^Error: iface_netstat must be run as root" setpriv --reuid 65534 --regid 65534 --clear-groups "$N" -n lo

expect_finish qdisc_iface_bad_input
