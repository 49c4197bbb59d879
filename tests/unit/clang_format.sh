#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The C sources follow .clang-format: clang-format --dry-run --Werror over every tracked .c and .h
# file except the generated vmlinux.h. Usage: clang_format.sh <source dir>
set -eu
cd "$1"
if ! command -v clang-format >/dev/null; then
	echo "SKIP: clang-format is not installed (tests/install-deps.sh installs it)"
	exit 77
fi
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	mapfile -t files < <(git ls-files '*.c' '*.h' | grep -v '/vmlinux\.h$')
else
	mapfile -t files < <(find . -path ./build -prune -o -path './build-*' -prune -o \
		\( -name '*.c' -o -name '*.h' \) ! -name vmlinux.h -print | sort)
fi
[ "${#files[@]}" -gt 0 ] || { echo "Error: no C sources found in $1" >&2; exit 1; }
clang-format --dry-run --Werror "${files[@]}"
echo "${#files[@]} files follow .clang-format"
