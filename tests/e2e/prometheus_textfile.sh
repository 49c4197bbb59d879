#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# --prometheus-textfile with the real servers: Debian's node_exporter (textfile collector only)
# reads the file kernel_drop_stack_stats_summary writes, Debian's Prometheus scrapes it every
# second, and the counter Prometheus's HTTP API returns is the number of drops the test caused
# at a closed UDP port; decoys on another port are not counted. A histogram the same way: futex
# times cpu_waits' 4 contended mutex waits of 300 ms (and its short futex() calls) and writes
# the metrics every second; once it has stopped, Prometheus's _count of the histogram is the
# number of calls of futex's own text histogram, and its (0.255, 0.511] s bucket holds the 4
# waits and nothing lies above. promtool accepts every file either tool wrote.
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
expect_promtool "the drop counters' last file" "$textdir/kdss.prom"

# The histogram: futex's metrics of cpu_waits' 4 waits of 300 ms for a mutex.
hist=bpfnet_futex_call_duration_seconds
cpu_waits_start "$E2E_TMP/cpu_waits.out" futex 4 300
futex_text=$E2E_TMP/futex.txt
e2e_start "$futex_text" futex -p "$CW_PID" -i 1 --prometheus-textfile "$textdir/futex.prom"
wait_for 10 test -s "$textdir/futex.prom" || e2e_die "futex wrote no metrics file after its first interval"
# Copies of every version of the file while the waits run (rewritten every second).
(i=0; while :; do cp "$textdir/futex.prom" "$E2E_TMP/futex.$((i++)).prom" 2>/dev/null; sleep 0.4; done) &
snapper=$!
E2E_HELPERS+=("$snapper")
cpu_waits_run "$E2E_TMP/cpu_waits.out" 20
sleep 1.5 # one more write while the tool runs
kill "$snapper"
wait "$snapper" 2>/dev/null
e2e_stop # the exit dump, and the last metrics with its numbers
text_calls=$(bt_hist_counts "$futex_text" | tr ' ' '\n' | awk '{ s += $1 } END { print s + 0 }')
text_waits=$(awk '/^\[256, 512\) / { print $3 }' "$futex_text")
has_text_calls() { [ "$(query "$hist""_count")" = "$text_calls" ]; }
wait_for 30 has_text_calls || true
prom_count=$(query "$hist""_count")
prom_waits=$(query "$hist""_bucket{le=\"0.511\"} - ignoring(le) $hist""_bucket{le=\"0.255\"}")
prom_above=$(query "$hist""_bucket{le=\"+Inf\"} - ignoring(le) $hist""_bucket{le=\"0.511\"}")
echo "--- futex's text output (-p $CW_PID, until Ctrl-C after the waits) ---"
cat "$futex_text"
echo "--- Prometheus's HTTP API for the same run (the file futex wrote at exit, scraped) ---"
echo "/api/v1/query?query=${hist}_count -> $prom_count (the text's rows add up to $text_calls)"
echo "/api/v1/query?query=${hist}_bucket{le=\"0.511\"} - ignoring(le) ${hist}_bucket{le=\"0.255\"} -> $prom_waits (the text's [256, 512) row: $text_waits)"
echo "/api/v1/query?query=${hist}_bucket{le=\"+Inf\"} - ignoring(le) ${hist}_bucket{le=\"0.511\"} -> $prom_above"
expect_eq "Prometheus: ${hist}_count = the calls of futex's text histogram" "$prom_count" "$text_calls"
expect_eq "Prometheus: the (0.255, 0.511] s bucket = the 4 waits caused" "$prom_waits" 4
expect_eq "the text's [256, 512) row = the 4 waits caused" "$text_waits" 4
expect_eq "Prometheus: nothing above 0.511 s" "$prom_above" 0
expect_eq "Prometheus: the buckets are the text's rows" \
	"$(prom_slot_counts "$textdir/futex.prom" "$hist")" "$(bt_hist_counts "$futex_text")"
expect_promtool "futex's metrics files" "$E2E_TMP"/futex.*.prom "$textdir/futex.prom"
expect_no_leftovers
e2e_finish
