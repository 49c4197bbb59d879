#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The static tarball of one architecture (cmake --build build --target dist):
#   build/dist/bpfnet-tools-<version>-<arch>.tar.gz, one folder bpfnet-tools-<version>-<arch>/ of
#     bin/<tool>                              every tool, flat, stripped (build/bin keeps the
#                                             debug information)
#     measurement-tools/<folder>/<tool>       the same files (hard links) in the manual's layout
#     share/man/man8/<tool>.8                 man pages
#     share/bash-completion/completions/<tool>  bash completion (none in a cross build without
#                                             BPFNET_COMPLETION_FROM)
#     README.md LICENSE SHA256SUMS            SHA256SUMS: `sha256sum -c SHA256SUMS` in the folder
# Entries are sorted, owned by root, dated $SOURCE_DATE_EPOCH when set, and gzip stores no
# name or time: the same build gives the same bytes.
set -eu
src=${1:?usage: dist.sh SOURCE_DIR BUILD_DIR VERSION ARCH TOOLS_LIST STRIP}
build=${2:?}
version=${3:?}
arch=${4:?}
list=${5:?}
strip=${6:?}

name=bpfnet-tools-$version-$arch
out=$build/dist
stage=$out/stage
rm -rf "$stage" "$out/$name.tar.gz"
top=$stage/$name
mkdir -p "$top/bin" "$top/share/man/man8"
while read -r tool folder; do
	[ -n "$tool" ] || continue
	install -m 0755 -s --strip-program="$strip" "$build/bin/$tool" "$top/bin/$tool"
	mkdir -p "$top/measurement-tools/$folder"
	ln "$top/bin/$tool" "$top/measurement-tools/$folder/$tool"
	install -m 0644 "$build/man/$tool.8" "$top/share/man/man8/$tool.8"
	if [ -f "$build/completion/$tool" ]; then
		mkdir -p "$top/share/bash-completion/completions"
		install -m 0644 "$build/completion/$tool" "$top/share/bash-completion/completions/$tool"
	fi
done <"$list"
install -m 0644 "$src/README.md" "$src/LICENSE" "$top/"
(cd "$top" && find . -type f ! -name SHA256SUMS | sed 's|^\./||' | LC_ALL=C sort |
	xargs -d '\n' sha256sum >SHA256SUMS)
mtime=()
[ -z "${SOURCE_DATE_EPOCH:-}" ] || mtime=(--mtime "@$SOURCE_DATE_EPOCH" --clamp-mtime)
tar -C "$stage" --sort=name --owner=0 --group=0 --numeric-owner "${mtime[@]}" -cf - "$name" |
	gzip -n -6 >"$out/$name.tar.gz.tmp"
mv "$out/$name.tar.gz.tmp" "$out/$name.tar.gz"
rm -rf "$stage"
echo "$out/$name.tar.gz: $(du -k "$out/$name.tar.gz" | cut -f1) KiB"
