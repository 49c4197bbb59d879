#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The legacy object (perf buffer, as on kernels without a ring buffer) reports the same drops;
# --json prints one valid JSON object per drop, then the totals; IPv6 addresses filter exactly.
. "$(dirname "$0")/lib.sh"
e2e_setup elj 203

e2e_enable_ipv6

out=$E2E_TMP/json
BPFNET_FORCE_LEGACY=1 e2e_start "$out" eth_drop --json --src-ip "$IP6_A" --dst-port 9999
bpftool map show | grep -qE "perf_event_array +name events" &&
	e2e_pass "events travel through a perf buffer" || e2e_fail "no perf event array: legacy object not used"
for _ in 1 2 3; do ip netns exec "$NS_A" bash -c "echo x > /dev/udp/$IP6_B/9999" 2>/dev/null; done
udp_to "$NS_A" "$IP_B" 9999 2       # IPv4: excluded by the IPv6 source filter
sleep 0.5
e2e_stop

if jq -e . "$out" >/dev/null 2>&1; then e2e_pass "every line is valid JSON"; else e2e_fail "invalid JSON output"; fi
n=$(jq -s '[.[] | select(.final | not)] | length' "$out")
[ "$n" -eq 3 ] && e2e_pass "3 events" || e2e_fail "expected 3 events, got $n"
expect_eq "the stream ends with the totals" "$(tail -n 1 "$out")" '{"final":true,"lost_events":0}'
m=$(jq -s '[.[] | select(.protocol == "ipv6" and .src_ip == "'"$IP6_A"'" and .dst_ip == "'"$IP6_B"'"
            and .dst_port == 9999 and .l4_protocol == 17 and .reason == "NO_SOCKET"
            and .interface == "'"$DEV_B"'" and (.stack | length) > 3)] | length' "$out")
[ "$m" -eq 3 ] && e2e_pass "events carry flow, reason, interface and stack" || e2e_fail "only $m of 3 events are complete"
expect_no_leftovers
e2e_finish
