#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Builds the RPMs from the build tree (once: packaging.rpm_install installs these) and checks
# that every tool has its own subpackage bpfnet-<module>-<tool> (<module>: its top folder) that
# installs that executable, statically linked, its man page and its bash completion, provides
# bpfnet-<tool>, requires nothing outside the suite, and that the metapackage requires them all.
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
build=${1:?usage: rpm_subpackages.sh BUILD_DIR}
start=$(date +%s)
cmake --build "$build" --target rpm >/dev/null || { echo "FAIL: rpm target failed"; exit 1; }
rpms=$build/rpm/RPMS/$(uname -m)
meta=$(ls "$rpms"/bpfnet-tools-[0-9]*.rpm 2>/dev/null)
[ -n "$meta" ] || { echo "FAIL: no metapackage bpfnet-tools"; exit 1; }
dist=$(grep -oP '^BPFNET_RPM_DIST:STRING=\K.*' "$build/CMakeCache.txt")
echo "rpm target: $(($(date +%s) - start)) s, $(ls "$rpms" | wc -l) packages, $(du -ck "$rpms"/*.rpm | tail -1 | cut -f1) KiB, dist $dist"
case $meta in *"$dist.$(uname -m).rpm") ;; *) fail "$meta: not of dist $dist" ;; esac
meta_requires=$(rpm -qp --requires "$meta" 2>/dev/null)
for exe in "$build"/bin/*; do
	tool=$(basename "$exe")
	pkg=$(ls "$rpms"/bpfnet-*-"$tool"-[0-9]*.rpm 2>/dev/null | head -1)
	[ -n "$pkg" ] || { fail "no subpackage for $tool"; continue; }
	name=$(rpm -qp --qf '%{NAME}' "$pkg" 2>/dev/null)
	[[ $name =~ ^bpfnet-(cpu|kvm-virt-network|linux-network-stack|ovs|performance|other)-$tool$ ]] ||
		{ fail "$pkg: package name '$name' is not bpfnet-<module>-$tool"; continue; }
	files=$(rpm -qlp "$pkg" 2>/dev/null)
	grep -qx "/usr/bin/$tool" <<<"$files" || { fail "$pkg does not install /usr/bin/$tool"; continue; }
	grep -qE "^/usr/share/man/man8/$tool\.8(\.gz)?\$" <<<"$files" ||
		{ fail "$pkg does not install the man page of $tool"; continue; }
	grep -qx "/usr/share/bash-completion/completions/$tool" <<<"$files" ||
		{ fail "$pkg does not install the bash completion of $tool"; continue; }
	file -L "$exe" | grep -q "statically linked" || { fail "$tool is not statically linked"; continue; }
	rpm -qp --provides "$pkg" 2>/dev/null | grep -q "^bpfnet-$tool = " ||
		{ fail "$pkg does not provide bpfnet-$tool"; continue; }
	# rpmlib() features are rpm's own; anything else would have to come from outside the suite.
	reqs=$(rpm -qp --requires "$pkg" 2>/dev/null | grep -v '^rpmlib(')
	[ -z "$reqs" ] || { fail "$pkg requires $(echo $reqs)"; continue; }
	grep -q "^$name = " <<<"$meta_requires" || { fail "the metapackage does not require $name"; continue; }
	echo "ok: $(basename "$pkg")"
done
finish
