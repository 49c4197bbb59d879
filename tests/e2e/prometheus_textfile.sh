#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# --prometheus-textfile with the real servers: Debian's node_exporter (textfile collector only)
# reads the file kernel_drop_stack_stats_summary writes, Debian's Prometheus scrapes it every
# second, and the counter Prometheus's HTTP API returns is the number of drops the test caused
# at a closed UDP port; decoys on another port are not counted. promtool accepts every file.
. "$(dirname "$0")/lib.sh"
for cmd in prometheus prometheus-node-exporter promtool curl jq; do
	command -v "$cmd" >/dev/null || e2e_die "$cmd is not installed (tests/install-deps.sh installs it)"
done
e2e_setup prm 206

# A loopback port nothing listens on.
free_port() {
	local port
	for port in $(shuf -i 20000-40000 -n 50); do
		ss -Hltn "sport = :$port" | grep -q . || { echo "$port"; return; }
	done
	e2e_die "no free loopback port"
}

# Waits up to $1 seconds for "$2" (a command) to succeed.
wait_for() {
	local secs=$1
	shift
	for _ in $(seq 1 $((secs * 5))); do
		"$@" && return 0
		sleep 0.2
	done
	return 1
}

textdir=$E2E_TMP/textfile
mkdir -p "$textdir" "$E2E_TMP/tsdb"
exporter_port=$(free_port)
prometheus-node-exporter --web.listen-address="127.0.0.1:$exporter_port" --collector.disable-defaults \
	--collector.textfile --collector.textfile.directory="$textdir" >"$E2E_TMP/exporter.log" 2>&1 &
E2E_HELPERS+=($!)
prom_port=$(free_port)
while [ "$prom_port" = "$exporter_port" ]; do prom_port=$(free_port); done
cat >"$E2E_TMP/prometheus.yml" <<EOF_CONFIG
global:
  scrape_interval: 1s
scrape_configs:
  - job_name: node
    static_configs:
      - targets: ['127.0.0.1:$exporter_port']
EOF_CONFIG
prometheus --config.file="$E2E_TMP/prometheus.yml" --storage.tsdb.path="$E2E_TMP/tsdb" \
	--web.listen-address="127.0.0.1:$prom_port" >"$E2E_TMP/prometheus.log" 2>&1 &
E2E_HELPERS+=($!)
wait_for 20 curl -sf "http://127.0.0.1:$exporter_port/metrics" -o /dev/null ||
	{ cat "$E2E_TMP/exporter.log"; e2e_die "node_exporter did not start"; }
wait_for 30 curl -sf "http://127.0.0.1:$prom_port/-/ready" -o /dev/null ||
	{ cat "$E2E_TMP/prometheus.log"; e2e_die "prometheus did not start"; }

# The value of a PromQL query, or nothing while it has no result.
query() {
	curl -sfG "http://127.0.0.1:$prom_port/api/v1/query" --data-urlencode "query=$1" |
		jq -r '.data.result[0].value[1] // empty'
}

metric=bpfnet_kernel_drop_stack_stats_drops_total
out=$E2E_TMP/summary
E2E_STDERR=$E2E_TMP/stderr e2e_start "$out" kernel_drop_stack_stats_summary -n "$DEV_B" --dst-port 9999 --l4-protocol udp -i 1 \
	--prometheus-textfile "$textdir/kdss.prom" --quiet
wait_for 10 test -s "$textdir/kdss.prom" || e2e_die "no metrics file after the first interval"
udp_to "$NS_A" "$IP_B" 9999 7
udp_to "$NS_A" "$IP_B" 8888 3 # another port: not counted
has_seven() { [ "$(query "sum($metric{device=\"$DEV_B\"})")" = 7 ]; }
if wait_for 30 has_seven; then
	e2e_pass "Prometheus: sum($metric{device=\"$DEV_B\"}) = 7, the drops caused"
else
	e2e_fail "Prometheus: sum($metric) is '$(query "sum($metric{device=\"$DEV_B\"})")', want 7"
	cat "$textdir/kdss.prom"
fi
expect_eq "the drops are __udp4_lib_rcv's" \
	"$(query "sum($metric{device=\"$DEV_B\",caller=\"__udp4_lib_rcv\"})")" 7
expect_eq "one series: one stack" "$(query "count($metric)")" 1
# The file is replaced every second: check the one node_exporter reads now.
cp "$textdir/kdss.prom" "$E2E_TMP/snapshot.prom"
if promtool check metrics <"$E2E_TMP/snapshot.prom" >"$E2E_TMP/promtool.log" 2>&1; then
	e2e_pass "promtool check metrics accepts the file"
else
	e2e_fail "promtool check metrics: $(cat "$E2E_TMP/promtool.log")"
fi
expect_grep "HELP line" "$E2E_TMP/snapshot.prom" "^# HELP $metric "
expect_grep "TYPE line" "$E2E_TMP/snapshot.prom" "^# TYPE $metric counter$"
expect_no_grep "no temporary file left beside it" <(ls "$textdir") '\.tmp\.'
e2e_stop
expect_eq "--quiet: nothing on stdout" "$(wc -c <"$out")" 0
expect_grep "the final report updates the file" "$textdir/kdss.prom" "^$metric\{device=\"$DEV_B\",.*\} 7$"
expect_no_leftovers
e2e_finish
