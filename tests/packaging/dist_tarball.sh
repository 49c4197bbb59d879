#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Builds the static tarball (cmake --build BUILD --target dist) and checks it: one top folder
# bpfnet-tools-<version>-<arch>/ with every tool flat in bin/ and, the same file, in the manual's
# layout measurement-tools/<folder>/<tool>; no binary has a NEEDED entry (readelf -d: nothing to
# load, any libc or none); every man page and completion script; README.md, LICENSE; SHA256SUMS
# lists every file and verifies. Prints each binary's size and the tarball's.
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
build=${1:?usage: dist_tarball.sh BUILD_DIR}
start=$(date +%s)
cmake --build "$build" --target dist >/dev/null || { echo "FAIL: dist target failed"; exit 1; }
tarball=$(ls "$build"/dist/bpfnet-tools-*-*.tar.gz 2>/dev/null)
[ "$(echo "$tarball" | grep -c .)" -eq 1 ] || { echo "FAIL: expected one tarball, found: ${tarball:-none}"; exit 1; }
name=$(basename "$tarball" .tar.gz)
[[ $name =~ ^bpfnet-tools-[0-9]+\.[0-9]+\.[0-9]+-(x86_64|aarch64)$ ]] || fail "tarball name $name"
echo "dist target: $(($(date +%s) - start)) s"

dir=$(mktemp -d /tmp/bpfnet-dist.XXXXXX)
trap 'rm -rf "$dir"' EXIT
tar -C "$dir" -xzf "$tarball" || { echo "FAIL: cannot extract $tarball"; exit 1; }
[ "$(ls "$dir")" == "$name" ] || fail "top level of the tarball: $(ls "$dir" | tr '\n' ' ') (expected $name/)"
top=$dir/$name
for f in README.md LICENSE SHA256SUMS; do
	[ -s "$top/$f" ] || fail "no $f"
done
(cd "$top" && sha256sum --quiet -c SHA256SUMS) || fail "SHA256SUMS does not verify"
listed=$(cut -d' ' -f3- "$top/SHA256SUMS" | sort)
present=$(cd "$top" && find . -type f ! -name SHA256SUMS | sed 's|^\./||' | sort)
[ "$listed" == "$present" ] || fail "SHA256SUMS does not list exactly the files: $(comm -3 <(echo "$listed") <(echo "$present") | head -3)"

ntools=0
while read -r tool folder; do
	ntools=$((ntools + 1))
	bin=$top/bin/$tool
	mod=$top/measurement-tools/$folder/$tool
	[ -x "$bin" ] || { fail "no bin/$tool"; continue; }
	[ -x "$mod" ] || { fail "no measurement-tools/$folder/$tool"; continue; }
	cmp -s "$bin" "$mod" || fail "bin/$tool and measurement-tools/$folder/$tool differ"
	strip -o "$dir/stripped" "$build/bin/$tool"
	cmp -s "$bin" "$dir/stripped" || fail "bin/$tool is not the build's, stripped"
	[ "$(readelf -S "$bin" | grep -c '\.debug_')" -eq 0 ] || fail "bin/$tool has debug sections"
	needed=$(readelf -d "$bin" 2>&1 | grep -c '(NEEDED)')
	[ "$needed" -eq 0 ] || fail "$tool has $needed NEEDED entries: $(readelf -d "$bin" | grep NEEDED | head -2)"
	readelf -h "$bin" >/dev/null 2>&1 || fail "$tool is not an ELF file"
	[ -s "$top/share/man/man8/$tool.8" ] || fail "no share/man/man8/$tool.8"
	[ -s "$top/share/bash-completion/completions/$tool" ] || fail "no completion of $tool"
	printf '%10d  %s\n' "$(stat -c %s "$bin")" "$tool"
done <"$build/dist/tools.txt" >"$dir/sizes"
# (fail's messages went to the sizes file with the sizes; fails counts them.)
grep '^FAIL' "$dir/sizes"
grep -v '^FAIL' "$dir/sizes" | sort -n >"$dir/sorted"
cat "$dir/sorted"
[ "$ntools" -eq "$(ls "$build/bin" | wc -l)" ] || fail "$ntools tools in the tarball, $(ls "$build/bin" | wc -l) built"
[ "$(ls "$top/bin" | wc -l)" -eq "$(ls "$build/bin" | wc -l)" ] || fail "bin/ does not hold exactly the built tools"
awk 'NR == 1 { print "smallest binary: " $2 " " $1 " bytes" } END { print "largest binary: " $2 " " $1 " bytes" }' "$dir/sorted"
echo "tarball: $tarball $(stat -c %s "$tarball") bytes ($(du -k "$tarball" | cut -f1) KiB), $(du -sk "$top" | cut -f1) KiB extracted, $ntools tools"
echo "dist test: $(($(date +%s) - start)) s"
finish
