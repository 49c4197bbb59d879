# SPDX-License-Identifier: GPL-2.0-only
# Helpers for the host end-to-end tests: a pair of network namespaces joined by veth, traffic,
# running a tool until its probes are attached, stopping it like an operator would (Ctrl-C),
# and assertions that fail the test with a clear message.
# Each test script sources this file and calls e2e_setup <name> first.
set -u

BIN=${BPFNET_BIN:?set BPFNET_BIN to the folder of the built tools}
E2E_FAILS=0
E2E_PROG_IDS=""
E2E_HELPERS=()	# background helpers (receivers) of the test, killed at exit
E2E_TOOLS=()	# every tool e2e_start started: one still running at exit gets Ctrl-C, then SIGKILL

# e2e_setup NAME SUBNET_OCTET: namespaces <NAME>a/<NAME>b with veth <NAME>a0 (10.S.0.1) and
# <NAME>b0 (10.S.0.2), unique per test so tests never see each other's devices.
e2e_setup() {
	E2E_NAME=$1
	E2E_OCTET=$2
	E2E_NET=10.$2.0
	NS_A=${E2E_NAME}a
	NS_B=${E2E_NAME}b
	DEV_A=${E2E_NAME}a0
	DEV_B=${E2E_NAME}b0
	IP_A=$E2E_NET.1
	IP_B=$E2E_NET.2
	E2E_TMP=$(mktemp -d "/tmp/bpfnet-e2e-$E2E_NAME.XXXXXX")
	trap e2e_teardown EXIT
	mountpoint -q /sys/kernel/tracing || mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null || true
	ip netns del "$NS_A" 2>/dev/null
	ip netns del "$NS_B" 2>/dev/null
	ip netns add "$NS_A" && ip netns add "$NS_B" || e2e_die "cannot create network namespaces"
	# No IPv6 unless a test asks for it (e2e_enable_ipv6): router and multicast listener
	# traffic would add drops of its own at random moments.
	for ns in "$NS_A" "$NS_B"; do
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
	done
	ip link add "$DEV_A" netns "$NS_A" type veth peer name "$DEV_B" netns "$NS_B" ||
		e2e_die "cannot create the veth pair"
	ip -n "$NS_A" addr add "$IP_A/24" dev "$DEV_A"
	ip -n "$NS_B" addr add "$IP_B/24" dev "$DEV_B"
	for ns in "$NS_A" "$NS_B"; do ip -n "$ns" link set lo up; done
	ip -n "$NS_A" link set "$DEV_A" up
	ip -n "$NS_B" link set "$DEV_B" up
	# Permanent neighbours: no ARP packet ever interleaves with the packets a test counts (a
	# resolved entry would go stale and be probed again at a random moment).
	ip -n "$NS_A" neigh replace "$IP_B" lladdr "$(e2e_mac "$NS_B" "$DEV_B")" dev "$DEV_A" nud permanent
	ip -n "$NS_B" neigh replace "$IP_A" lladdr "$(e2e_mac "$NS_A" "$DEV_A")" dev "$DEV_B" nud permanent
	ip netns exec "$NS_A" ping -c 1 -W 2 "$IP_B" >/dev/null || e2e_die "no connectivity between the namespaces"
}

# e2e_setup_local NAME: the temporary folder and the teardown of e2e_setup, without namespaces
# (tools that watch processes, not packets).
e2e_setup_local() {
	E2E_NAME=$1
	E2E_TMP=$(mktemp -d "/tmp/bpfnet-e2e-$E2E_NAME.XXXXXX")
	NS_A= NS_B=
	trap e2e_teardown EXIT
	mountpoint -q /sys/kernel/tracing || mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null || true
}

# e2e_mac NS DEV: the device's MAC address.
e2e_mac() {
	ip -n "$1" -o link show dev "$2" | sed -E 's/.* link\/ether ([0-9a-f:]+) .*/\1/'
}

# e2e_enable_ipv6: fd00:S::1 on DEV_A and fd00:S::2 on DEV_B (IP6_A, IP6_B).
e2e_enable_ipv6() {
	IP6_A=fd00:$E2E_OCTET::1
	IP6_B=fd00:$E2E_OCTET::2
	ip netns exec "$NS_A" sysctl -qw net.ipv6.conf."$DEV_A".disable_ipv6=0
	ip netns exec "$NS_B" sysctl -qw net.ipv6.conf."$DEV_B".disable_ipv6=0
	ip -n "$NS_A" addr add "$IP6_A/64" dev "$DEV_A" nodad
	ip -n "$NS_B" addr add "$IP6_B/64" dev "$DEV_B" nodad
	ip netns exec "$NS_A" ping -6 -c 1 -W 2 "$IP6_B" >/dev/null || e2e_die "no IPv6 connectivity"
}

# e2e_running PID: the process exists and has not exited (a child not yet waited for is a zombie).
e2e_running() {
	local st
	read -r _ _ st _ 2>/dev/null <"/proc/$1/stat" && [ "$st" != Z ]
}

e2e_teardown() {
	local pid alive
	for pid in "${E2E_TOOLS[@]}"; do kill -INT "$pid" 2>/dev/null; done
	for _ in $(seq 1 50); do
		alive=
		for pid in "${E2E_TOOLS[@]}"; do e2e_running "$pid" && alive=1; done
		[ -n "$alive" ] || break
		sleep 0.1
	done
	for pid in "${E2E_TOOLS[@]}"; do kill -9 "$pid" 2>/dev/null; done
	[ "${#E2E_HELPERS[@]}" -gt 0 ] && kill "${E2E_HELPERS[@]}" 2>/dev/null
	[ -n "$NS_A" ] && ip netns del "$NS_A" 2>/dev/null
	[ -n "$NS_B" ] && ip netns del "$NS_B" 2>/dev/null
	[ -n "${E2E_KEEP:-}" ] || rm -rf "$E2E_TMP"
}

e2e_die() {
	echo "FAIL: $*"
	exit 1
}

e2e_fail() {
	echo "FAIL: $*"
	E2E_FAILS=$((E2E_FAILS + 1))
}

e2e_pass() {
	echo "ok: $*"
}

# e2e_start OUT TOOL ARGS...: runs the tool in the background, output to OUT, and waits until
# its probes are attached (its --ready-file appears). E2E_NS=NS runs it in that namespace;
# E2E_STDERR=FILE keeps its stderr out of OUT.
e2e_start() {
	local out=$1 tool=$2 err=${E2E_STDERR:-$1} cmd=()
	shift 2
	[ -n "${E2E_NS:-}" ] && cmd=(ip netns exec "$E2E_NS")
	cmd+=("$BIN/$tool" --ready-file "$E2E_TMP/ready" "$@")
	rm -f "$E2E_TMP/ready"
	if [ "$err" = "$out" ]; then
		"${cmd[@]}" >"$out" 2>&1 &
	else
		"${cmd[@]}" >"$out" 2>"$err" &
	fi
	E2E_PID=$!
	E2E_TOOLS+=("$E2E_PID")
	local show=("$out")
	[ "$err" = "$out" ] || show+=("$err")
	e2e_await_ready "$E2E_TMP/ready" "$E2E_PID" 10 "$tool" "${show[@]}"
	E2E_PROG_IDS="$E2E_PROG_IDS $(bpf_ids_of "$E2E_PID")"
}

# e2e_await_ready FILE PID SECONDS NAME OUT...: waits until FILE (a --ready-file) is written; dies,
# showing the OUT files, when PID exits first or SECONDS pass.
e2e_await_ready() {
	local file=$1 pid=$2 secs=$3 name=$4
	shift 4
	for _ in $(seq 1 $((secs * 10))); do
		[ -s "$file" ] && return 0
		kill -0 "$pid" 2>/dev/null || { cat "$@"; e2e_die "$name exited before attaching"; }
		sleep 0.1
	done
	cat "$@"
	e2e_die "$name did not attach within $secs s"
}

# e2e_await_exit PID SECONDS NAME: waits up to SECONDS for PID to exit (if it does not, kills it
# and dies); its exit status goes to E2E_STATUS.
e2e_await_exit() {
	local pid=$1 secs=$2 name=$3
	for _ in $(seq 1 $((secs * 20))); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	kill -0 "$pid" 2>/dev/null && { kill -9 "$pid"; e2e_die "$name did not exit within $secs s"; }
	wait "$pid"
	E2E_STATUS=$?
}

# The BPF programs and links a process holds ("prog:ID" / "link:ID"), from its fdinfo.
bpf_ids_of() {
	awk '/^prog_id:/ { print "prog:" $2 } /^link_id:/ { print "link:" $2 }' /proc/"$1"/fdinfo/* 2>/dev/null | sort -u
}

# e2e_stop: Ctrl-C, then the tool must exit 0 within 10 s.
e2e_stop() {
	kill -INT "$E2E_PID"
	e2e_await_exit "$E2E_PID" 10 "tool (after SIGINT)"
	E2E_PID=
	[ "$E2E_STATUS" -eq 0 ] || e2e_fail "tool exited with status $E2E_STATUS after SIGINT"
}

# e2e_wait_line FILE REGEX SECONDS: waits until a line of FILE matches (e.g. a report the tool
# printed at the end of an interval), so that traffic is sent at a known point of its cycle.
e2e_wait_line() {
	local i
	for i in $(seq 1 $(($3 * 10))); do
		grep -qE "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	cat "$1"
	e2e_die "no line matching '$2' in $1 after $3 s"
}

# e2e_wait_exit: waits for a tool that stops by itself (--duration), up to SECONDS.
e2e_wait_exit() {
	e2e_await_exit "$E2E_PID" "$1" "tool (stopping by itself after its --duration)"
	E2E_PID=
	[ "$E2E_STATUS" -eq 0 ] || e2e_fail "tool exited with status $E2E_STATUS"
}

# udp_to NS DST_IP PORT COUNT [SIZE]: COUNT datagrams from NS, each from a new source port:
# "payload\n" one process each, or SIZE bytes back to back from one process.
udp_to() {
	local ns=$1 dst=$2 port=$3 count=$4 size=${5:-}
	if [ -n "$size" ]; then
		ip netns exec "$ns" bash -c "for i in \$(seq 1 $count); do printf '%${size}s' x > /dev/udp/$dst/$port; done" 2>/dev/null
		return 0
	fi
	for _ in $(seq 1 "$count"); do
		ip netns exec "$ns" bash -c "echo payload > /dev/udp/$dst/$port" 2>/dev/null
	done
}

# tcp_syn_to NS DST_IP PORT: one connection attempt (gives up after 1 s).
tcp_syn_to() {
	ip netns exec "$1" timeout 1 bash -c "exec 3<>/dev/tcp/$2/$3" 2>/dev/null
	return 0
}

# count_lines FILE REGEX
count_lines() {
	grep -cE "$2" "$1"
}

# expect_count WHAT FILE REGEX N
expect_count() {
	local n
	n=$(count_lines "$2" "$3")
	if [ "$n" -eq "$4" ]; then e2e_pass "$1: $n"; else e2e_fail "$1: expected $4 lines matching '$3', got $n"; fi
}

# expect_eq WHAT GOT WANT
expect_eq() {
	if [ "$2" = "$3" ]; then e2e_pass "$1: $2"; else e2e_fail "$1: got '$2', expected '$3'"; fi
}

expect_grep() {
	if grep -qE "$3" "$2"; then e2e_pass "$1"; else e2e_fail "$1: no line matches '$3'"; fi
}

expect_no_grep() {
	if grep -qE "$3" "$2"; then e2e_fail "$1: unexpected line matching '$3'"; else e2e_pass "$1"; fi
}

# No BPF program or link that a tool of this test held may survive it (the kernel may take a
# moment to free them after the process is gone).
expect_no_leftovers() {
	local id left held
	for _ in $(seq 1 20); do
		left=0 held=0
		for id in $E2E_PROG_IDS; do
			held=$((held + 1))
			bpftool "${id%%:*}" show id "${id#*:}" >/dev/null 2>&1 && left=$((left + 1))
		done
		[ "$left" -eq 0 ] && break
		sleep 0.1
	done
	if [ "$held" -eq 0 ]; then
		e2e_fail "no BPF program was seen while the tools ran"
	elif [ "$left" -eq 0 ]; then
		e2e_pass "none of the $held BPF programs and links the tools held is left"
	else
		e2e_fail "$left of $held BPF programs and links left behind"
	fi
}

e2e_finish() {
	if [ "$E2E_FAILS" -eq 0 ]; then
		echo "PASS: $E2E_NAME"
		exit 0
	fi
	echo "FAILED: $E2E_NAME ($E2E_FAILS checks)"
	exit 1
}

# cpu_waits_start OUT MODE ARGS...: starts tests/e2e/cpu_waits ($CPU_WAITS, or CW_PROGRAM to run
# another build of it) waiting for SIGUSR1; its pid goes to CW_PID.
cpu_waits_start() {
	local out=$1
	shift
	"${CW_PROGRAM:-${CPU_WAITS:?set CPU_WAITS to the cpu_waits test program}}" "$@" >"$out" 2>&1 &
	CW_PID=$!
	E2E_HELPERS+=("$CW_PID")
	e2e_wait_line "$out" '^pid [0-9]+$' 10
}

# cpu_waits_run OUT SECONDS: lets the program started last do its waits (SIGUSR1) and waits up
# to SECONDS until it says "done"; it stays alive (its stacks can be symbolized) until the end.
cpu_waits_run() {
	kill -USR1 "$CW_PID"
	e2e_wait_line "$1" '^done$' "$2"
}

# bt_hist_counts FILE: the counts of the rows of the bpftrace-style histograms in FILE, in
# order, space-separated ("45123 311 0 35": empty rows between non-empty ones included).
bt_hist_counts() {
	awk '/^\[/ { sub(/^\[[^]]*\]|^\[[^)]*\)/, ""); printf "%s%s", sep, $1; sep = " " } END { print "" }' "$1"
}

# prom_slot_counts FILE FAMILY: the count of each bucket of histogram FAMILY (no labels) in
# the exposition FILE, from the lowest to the highest non-empty one, as bt_hist_counts prints
# them (the differences of the cumulative buckets; +Inf left out).
prom_slot_counts() {
	awk -v b="$2_bucket{le=\"" 'index($0, b) == 1 && $0 !~ /le="\+Inf"/ { n++; d[n] = $2 - prev; prev = $2 }
		END { for (i = 1; i <= n; i++) if (d[i]) { if (!lo) lo = i; hi = i }
		      for (i = lo; lo && i <= hi; i++) printf "%s%d", (i > lo ? " " : ""), d[i]; print "" }' "$1"
}

# prom_sample FILE SAMPLE: the value of the sample (name and labels exactly as written) in FILE.
prom_sample() {
	awk -v s="$2" '$1 == s { print $2; f = 1 } END { if (!f) print "none" }' "$1"
}

# expect_promtool WHAT FILE...: promtool check metrics accepts each file.
expect_promtool() {
	local what=$1 f bad=0
	shift
	for f in "$@"; do
		promtool check metrics <"$f" >"$f.promtool" 2>&1 || { bad=$((bad + 1)); cat "$f.promtool"; }
	done
	if [ "$bad" -eq 0 ]; then e2e_pass "$what: promtool check metrics accepts every file ($#)"; else e2e_fail "$what: promtool rejects $bad of $# files"; fi
}
