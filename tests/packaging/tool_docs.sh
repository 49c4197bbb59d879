#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Checks that every built tool has its doc page (docs/tools/<folder>/<tool>.md) and its man page
# (build/man/<tool>.8), that groff renders the man page without a warning, and that every long
# option the tool's --help prints is described in its page.
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
src=${1:?usage: tool_docs.sh SOURCE_DIR BUILD_DIR}
build=${2:?usage: tool_docs.sh SOURCE_DIR BUILD_DIR}

tools=0
for exe in "$build"/bin/*; do
	tool=$(basename "$exe")
	tools=$((tools + 1))
	doc=$(find "$src/docs/tools" -name "$tool.md")
	if [ "$(printf '%s' "$doc" | grep -c .)" -ne 1 ]; then
		fail "$tool: expected one docs/tools/<folder>/$tool.md, found: ${doc:-none}"; continue
	fi
	man=$build/man/$tool.8
	[ -s "$man" ] || { fail "$tool: no man page $man"; continue; }
	grep -q "^\.TH ${tool^^} 8" "$man" || fail "$tool: $man has no '.TH ${tool^^} 8' title line"
	warnings=$(LC_ALL=C.UTF-8 groff -man -Tutf8 -ww -z "$man" 2>&1)
	[ -z "$warnings" ] || fail "$tool: groff warns about $man: $warnings"
	help=$("$exe" --help 2>&1) || { fail "$tool: --help failed"; continue; }
	# One awk per tool, not one grep per option: this runs beside the lab's guests in CI.
	for opt in $(printf '%s\n' "$help" | grep -oE -- '--[a-z0-9][a-z0-9-]*' | sort -u |
		awk -v doc="$doc" 'BEGIN { while ((getline line < doc) > 0) text = text " " line " " }
			!match(text, "[^a-z0-9-]" $0 "[^a-z0-9-]")'); do
		fail "$tool: $doc does not describe $opt"
	done
	echo "ok: $tool"
done
[ "$tools" -gt 0 ] || fail "no tools in $build/bin"
finish
