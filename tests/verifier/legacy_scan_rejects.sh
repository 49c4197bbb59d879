#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The legacy scan must catch each construct 4.19 cannot load (so that its silence means something).
set -u
out=$("$1" --legacy-scan "$2" 2>&1)
status=$?
fail=0
for expect in "map ring has type 27" "global data section" "has a loop" "calls helper 125"; do
	if ! grep -q "$expect" <<<"$out"; then
		echo "legacy scan did not report: $expect"
		fail=1
	fi
done
[ "$status" -ne 0 ] || { echo "bpf_verify exited 0 on a bad object"; fail=1; }
[ "$fail" -eq 0 ] && echo "legacy scan rejected every construct"
exit "$fail"
