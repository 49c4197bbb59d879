#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# virtnet_irq_monitor on this machine's interrupts (the irq tracepoints need no kprobes): every
# numbered IRQ of /proc/interrupts is watched while direct disk writes raise the disk's; each
# IRQ's calls, summed over the reports, lie between its /proc/interrupts growth while the tool
# was attached and its growth from before the start to after the exit, less the calls the
# kernel did not run the tool's program for (an IRQ while another BPF program runs on that CPU:
# the program's recursion_misses, read before the exit); once with the raw tracepoints and once
# with the classic ones (BPFNET_FORCE_KPROBE=1), whose programs are checked. A watched non-virtio
# IRQ reports only itself; a nonexistent IRQ, a bad list, a missing list and a --device that is
# not virtio are clear errors; --device of a virtio NIC (if this machine has one) watches its
# vectors.
. "$(dirname "$0")/lib.sh"
e2e_setup_local virqmon

# "<irq> <count summed over CPUs> <handler names>" of each numbered IRQ.
interrupts() {
	awk 'NR == 1 { n = NF; next } $1 ~ /^[0-9]+:$/ { c = 0; for (i = 2; i <= n + 1; i++) c += $i
		name = $NF; print $1 + 0, c, name }' /proc/interrupts
}

irqs=$(interrupts | awk '{ printf "%s%s", sep, $1; sep = "," }')
[ -n "$irqs" ] || e2e_die "no numbered IRQ in /proc/interrupts"
# check_mode MODE ENTRY_PROG EXIT_PROG KIND: every IRQ watched during disk writes with the hooks of
# MODE (raw: the raw tracepoints; classic: BPFNET_FORCE_KPROBE=1, the classic ones they fall back to).
check_mode() {
	local mode=$1 prog=$2 exit_prog=$3 kind=$4 names misses verdict reported
	if [ "$mode" = classic ]; then export BPFNET_FORCE_KPROBE=1; else unset BPFNET_FORCE_KPROBE; fi
	interrupts >"$E2E_TMP/outer.before"
	E2E_STDERR=$E2E_TMP/all.err e2e_start "$E2E_TMP/all.json" virtnet_irq_monitor --irqs "$irqs" --interval 1 --json
	unset BPFNET_FORCE_KPROBE
	names=$(for id in $(bpf_ids_of "$E2E_PID" | sed -n 's/^prog://p'); do
		bpftool -j prog show id "$id" | jq -r .name; done | sort | tr '\n' ' ')
	expect_eq "$mode: the programs attached" "$names" "$prog $exit_prog "
	interrupts >"$E2E_TMP/inner.before"
	dd if=/dev/zero of="$E2E_TMP/disk" bs=64k count=64 oflag=direct status=none 2>/dev/null ||
		dd if=/dev/zero of="$E2E_TMP/disk" bs=64k count=64 conv=fsync status=none
	sleep 1.2
	interrupts >"$E2E_TMP/inner.after"
	misses=$(bpftool -j prog show name "$prog" | jq -s '[.[].recursion_misses // 0] | add // 0')
	e2e_stop
	interrupts >"$E2E_TMP/outer.after"
	cat "$E2E_TMP/all.err"

	# "<irq> <inner growth> <outer growth> <tool calls>" per IRQ, then the checks in one awk. Up to
	# a tenth (at least one) fewer calls than the inner growth are allowed: on this host (6.18)
	# /proc/interrupts counted more interrupts than the irq_handler_entry tracepoint saw, with the
	# raw and the classic tracepoint alike and no run skipped (one on the busy virtio3-tx vector
	# in about 1 run of 4; once 5 of 65 on the disk's under load). The lab scenario
	# nested_guest_virtio_tools holds the exact equality in a quiet guest.
	jq -r '.irqs[] | "\(.irq) \(.calls)"' "$E2E_TMP/all.json" >"$E2E_TMP/calls"
	verdict=$(awk -v misses="$misses" '
		FILENAME ~ /inner.before/ { ib[$1] = $2 } FILENAME ~ /inner.after/ { ia[$1] = $2 }
		FILENAME ~ /outer.before/ { ob[$1] = $2 } FILENAME ~ /outer.after/ { oa[$1] = $2 }
		FILENAME ~ /calls$/ { t[$1] += $2 }
		END {
			for (i in ib) {
				if (!(i in oa)) continue
				g = ia[i] - ib[i]; lo = g - misses - (g >= 10 ? int(g / 10) : 1); hi = oa[i] - ob[i]
				if (t[i] < lo || t[i] > hi) { printf "IRQ %s: %d calls, /proc/interrupts grew %d..%d\n", i, t[i], lo, hi; bad++ }
				if (t[i] > 0) busy++
			}
			printf "%d IRQs outside their bracket, %d with calls\n", bad, busy
		}' "$E2E_TMP/outer.before" "$E2E_TMP/inner.before" "$E2E_TMP/inner.after" "$E2E_TMP/outer.after" "$E2E_TMP/calls")
	echo "$mode: $verdict (the kernel skipped the program $misses times)"
	expect_eq "$mode: every IRQ's calls within its /proc/interrupts growth" "$(tail -n1 <<<"$verdict" | cut -d' ' -f1)" 0
	# The tool reports those skipped runs itself at exit (read later than bpftool did: at least as many).
	reported=$(sed -n "s/^.*the kernel skipped $kind irq:irq_handler_entry \([0-9]*\) times .*\$/\1/p" "$E2E_TMP/all.err")
	if [ "$misses" -gt 0 ]; then
		expect_eq "$mode: the tool warns of the $misses skipped runs" "$((${reported:-0} >= misses))" 1
	else
		expect_eq "$mode: no skipped runs, no warning" "${reported:-none}" none
	fi
	expect_eq "$mode: some IRQ fired during the disk writes" \
		"$(tail -n1 <<<"$verdict" | awk '{ print ($6 > 0) }')" 1
	expect_eq "$mode: one report per second and the final one, each with every IRQ" \
		"$(jq -s --argjson n "$(tr ',' '\n' <<<"$irqs" | sort -un | wc -l)" \
			'length >= 2 and all(.[]; (.irqs | length) >= $n)' "$E2E_TMP/all.json")" true
}

# The raw tracepoints (every kernel from 4.17), then their classic fallback.
check_mode classic virq_entry virq_exit tracepoint
check_mode raw virq_entry_raw virq_exit_raw raw_tracepoint
first=$(head -n1 "$E2E_TMP/inner.before")
expect_eq "handler names from /proc/interrupts" \
	"$(jq -r --argjson i "${first%% *}" '.irqs[] | select(.irq == $i) | .name' "$E2E_TMP/all.json" | head -n1 |
		awk '{ print $NF }')" "$(awk '{ print $3 }' <<<"$first")"

# One IRQ that is not virtio's, in text: the report shows that IRQ and nothing else.
other=$(interrupts | awk '$3 !~ /^virtio/ { print $1; exit }')
if [ -n "$other" ]; then
	e2e_start "$E2E_TMP/other.txt" virtnet_irq_monitor --irqs "$other" --interval 1
	sleep 1.2
	e2e_stop
	expect_grep "banner lists IRQ $other" "$E2E_TMP/other.txt" "^Monitoring IRQs: \[$other\]$"
	expect_eq "only IRQ $other is reported" "$(grep -E '^IRQ [0-9]+ ' "$E2E_TMP/other.txt" | cut -d' ' -f2 | sort -u)" "$other"
	expect_no_grep "no virtio handler in its reports" "$E2E_TMP/other.txt" '^IRQ [0-9]+ \(virtio'
fi

# Errors: one line, the right status.
for irq in 65535 99999; do
	[ -e "/sys/kernel/irq/$irq" ] || grep -q "^ *$irq:" /proc/interrupts || break
done
"$BIN/virtnet_irq_monitor" --irqs "$irq" >"$E2E_TMP/err.out" 2>&1
expect_eq "--irqs $irq (nonexistent): status" "$?" 1
expect_grep "--irqs $irq: says it does not exist" "$E2E_TMP/err.out" "^Error: IRQ $irq does not exist"
"$BIN/virtnet_irq_monitor" --irqs 24,abc >"$E2E_TMP/err.out" 2>&1
expect_eq "--irqs 24,abc: status" "$?" 2
expect_grep "--irqs 24,abc: argparse error" "$E2E_TMP/err.out" \
	"error: argument --irqs: Invalid IRQ number: invalid literal for int\(\) with base 10: 'abc'"
"$BIN/virtnet_irq_monitor" --interval 1 >"$E2E_TMP/err.out" 2>&1
expect_eq "no --irqs: status" "$?" 2
expect_grep "no --irqs: names it" "$E2E_TMP/err.out" "error: the following arguments are required: --irqs"
"$BIN/virtnet_irq_monitor" --device lo >"$E2E_TMP/err.out" 2>&1
expect_eq "--device lo: status" "$?" 1
expect_grep "--device lo: not virtio" "$E2E_TMP/err.out" "^Error: --device lo: no such virtio-net interface"

# --device of this machine's virtio NIC, if it has one: its vectors, as /proc/interrupts names them.
nic=""
for dev in /sys/class/net/*; do
	case $(readlink "$dev/device" 2>/dev/null) in */virtio*) nic=${dev##*/}; break ;; esac
done
if [ -n "$nic" ]; then
	vdev=$(basename "$(readlink "/sys/class/net/$nic/device")")
	e2e_start "$E2E_TMP/nic.json" virtnet_irq_monitor --device "$nic" --interval 1 --json
	e2e_stop
	expect_eq "--device $nic watches $vdev's vectors" \
		"$(jq -r '.irqs[].irq' "$E2E_TMP/nic.json" | sort -un | tr '\n' ' ')" \
		"$(interrupts | awk -v d="$vdev" '$3 == d || index($3, d "-") == 1 { print $1 }' | sort -un | tr '\n' ' ')"
else
	echo "no virtio NIC here: --device not checked on a real device"
fi

expect_no_leftovers
e2e_finish
