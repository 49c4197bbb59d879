# SPDX-License-Identifier: GPL-2.0-only
# Sourced by the bad-input tests: run a command, check its exit status and its stderr.
#   expect STATUS REGEX CMD...   CMD exits with STATUS and a line of its stderr matches REGEX
#   expect_finish NAME           prints PASS/FAILED and exits with the result
set -u
BIN=${BPFNET_BIN:?set BPFNET_BIN}
expect_fails=0
expect_tmp=$(mktemp -d)
trap 'rm -rf "$expect_tmp"' EXIT

expect() {
	local want=$1 regex=$2 status
	shift 2
	timeout 10 "$@" >"$expect_tmp/out" 2>"$expect_tmp/err"
	status=$?
	if [ "$status" -ne "$want" ]; then
		echo "FAIL: $*: exit status $status, expected $want"
		cat "$expect_tmp/err"
		expect_fails=$((expect_fails + 1))
	elif ! grep -qE -- "$regex" "$expect_tmp/err"; then
		echo "FAIL: $*: stderr does not match '$regex':"
		cat "$expect_tmp/err"
		expect_fails=$((expect_fails + 1))
	else
		echo "ok: $* -> $status: $(grep -E -- "$regex" "$expect_tmp/err" | head -1)"
	fi
}

# expect_check WHAT CONDITION...: a check that is not about one command's exit (counted too).
expect_check() {
	local what=$1
	shift
	if "$@"; then echo "ok: $what"; else echo "FAIL: $what"; expect_fails=$((expect_fails + 1)); fi
}

expect_finish() {
	if [ "$expect_fails" -eq 0 ]; then
		echo "PASS: $1"
		exit 0
	fi
	echo "FAILED: $1 ($expect_fails)"
	exit 1
}
