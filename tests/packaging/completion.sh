#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Drives the generated bash completion (build/completion/<tool>, cmake/Completion.cmake) as bash
# does on <Tab>: for eth_drop and system_network_latency_summary, `complete -p` names the
# function, every long option of --help (and --version) is offered, choices after their
# option (also as "--opt=value"), interface names from /sys/class/net after an interface
# option (the next one after a comma), files after a path option, nothing after a number.
# Every tool's script is valid bash and registers that tool's name (aliases included).
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
build=${1:?usage: completion.sh BUILD_DIR}
comp=$build/completion

# What bash offers for the words (the last one is being completed; "" completes an empty word).
complete_words() {
	local fn
	fn=$(complete -p "$1" 2>/dev/null | awk '{ print $3 }')
	[ -n "$fn" ] || { echo "(no completion for $1)"; return; }
	COMP_WORDS=("$@")
	COMP_CWORD=$(($# - 1))
	COMPREPLY=()
	"$fn" "$1" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
	echo "${COMPREPLY[*]}"
}

expect() { # expect WANT WORDS...
	local want=$1 got
	shift
	got=$(complete_words "$@")
	if [ "$got" == "$want" ]; then
		echo "ok: $* -> ${want:-(nothing)}"
	else
		fail "'$*' completes to '$got', expected '$want'"
	fi
}

# Every long option of the tool's --help, and --version, is offered after "--".
expect_all_options() {
	local tool=$1 want got
	want=$( ("$build/bin/$tool" --help | grep -oE -- '--[a-z0-9][a-z0-9-]*'; echo --version) | sort -u)
	got=$(complete_words "$tool" -- | tr ' ' '\n' | sort -u)
	missing=$(comm -23 <(echo "$want") <(echo "$got"))
	[ -z "$missing" ] || fail "$tool: options not completed: $(echo $missing)"
	[ -n "$missing" ] || echo "ok: $tool: all $(echo "$want" | wc -l) long options completed"
}

for tool in eth_drop system_network_latency_summary; do
	[ -s "$comp/$tool" ] || { fail "no completion script $comp/$tool"; exit 1; }
	# shellcheck disable=SC1090
	source "$comp/$tool"
	got=$(complete -p "$tool")
	[ "$got" == "complete -F _bpfnet_$tool $tool" ] || fail "complete -p $tool: '$got'"
	expect_all_options "$tool"
done
ifnames() { ls /sys/class/net | tr '\n' ' ' | sed 's/ $//'; }
# The host's interfaces come and go with other tests: compared again (up to 3 times) if they changed.
expect_ifnames() {
	local try got
	for try in 1 2 3; do
		got=$(complete_words "$@")
		[ "$got" != "$(ifnames)" ] || break
	done
	expect "$(ifnames)" "$@"
}

expect "--l4-protocol" eth_drop --l4
expect "all icmp tcp udp" eth_drop --l4-protocol ""
expect "tcp" eth_drop --l4-protocol = t
expect_ifnames eth_drop --interface ""
expect "lo" eth_drop --interface = lo
expect "" eth_drop --src-port ""
expect "" eth_drop --src-port -
expect "--verbose --version" eth_drop --ver

expect "tcp udp all" system_network_latency_summary --protocol ""
expect "rx" system_network_latency_summary --direction r
expect_ifnames system_network_latency_summary --phy-interface ""
expect "lo,lo" system_network_latency_summary --phy-interface lo,l
dir=$(mktemp -d)
touch "$dir/metrics.prom"
expect "$dir/metrics.prom" system_network_latency_summary --prometheus-textfile "$dir/m"
rm -rf "$dir"

# Every script: valid bash that registers its own tool (an alias under its own name).
n=0
for script in "$comp"/*; do
	tool=$(basename "$script")
	got=$(bash -c 'source "$1" && complete -p "$2"' sh "$script" "$tool" 2>&1)
	[ "$got" == "complete -F _bpfnet_${tool//[^A-Za-z0-9_]/_} $tool" ] || fail "$script: '$got'"
	n=$((n + 1))
done
[ "$n" -eq "$(ls "$build/bin" | wc -l)" ] || fail "$n completion scripts for $(ls "$build/bin" | wc -l) tools"
echo "ok: $n completion scripts register their tool"
finish
