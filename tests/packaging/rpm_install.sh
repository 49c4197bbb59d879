#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Installs every RPM packaging.rpm built (each tool's subpackage and the metapackage) into an
# empty RPM root WITHOUT --nodeps: whatever the packages require must come from the suite itself.
# Then, from that root, every tool's --help and --version run (chrooted as root: the root holds
# nothing but the suite, no libc, no shell), and `man -l` renders its installed man page.
# `rpm -e` of the metapackage and all tools leaves no file behind.
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
build=${1:?usage: rpm_install.sh BUILD_DIR}
start=$(date +%s)
rpms=$build/rpm/RPMS/$(uname -m)
ls "$rpms"/*.rpm >/dev/null 2>&1 || { echo "FAIL: no RPMs in $rpms (packaging.rpm builds them)"; exit 1; }
root=$(mktemp -d /tmp/bpfnet-rpmroot.XXXXXX)
trap 'rm -rf "$root"' EXIT

rpm --root "$root" --initdb || { echo "FAIL: rpm --initdb"; exit 1; }
if ! out=$(rpm -ivh --root "$root" "$rpms"/*.rpm 2>&1); then
	echo "$out"
	echo "FAIL: rpm -ivh of $(ls "$rpms" | wc -l) packages into an empty root"
	exit 1
fi
installed=$(rpm -qa --root "$root" | wc -l)
echo "ok: $installed packages installed into an empty RPM root without --nodeps"
[ "$installed" -eq "$(ls "$rpms"/*.rpm | wc -l)" ] || fail "$installed of $(ls "$rpms"/*.rpm | wc -l) packages installed"
version=$(rpm -qp --qf '%{VERSION}' "$rpms"/bpfnet-tools-[0-9]*.rpm 2>/dev/null)

# Chrooted when root: the binaries must not need anything the RPM root lacks.
run() {
	if [ "$(id -u)" -eq 0 ]; then
		chroot "$root" "/usr/bin/$1" "${@:2}"
	else
		"$root/usr/bin/$1" "${@:2}"
	fi
}

ntools=0
for exe in "$build"/bin/*; do
	tool=$(basename "$exe")
	ntools=$((ntools + 1))
	[ -x "$root/usr/bin/$tool" ] || { fail "$tool: not installed in $root/usr/bin"; continue; }
	[ "$(readelf -S "$root/usr/bin/$tool" | grep -c '\.debug_')" -eq 0 ] || fail "$tool: installed with debug sections"
	help=$(run "$tool" --help 2>&1) || { fail "$tool --help failed in the RPM root: $help"; continue; }
	grep -q "^usage: " <<<"$help" || { fail "$tool --help printed no usage line"; continue; }
	ver=$(run "$tool" --version 2>&1) || { fail "$tool --version failed in the RPM root: $ver"; continue; }
	grep -qE "^[a-z0-9_-]+ \(bpfnet-tools\) $version\$" <<<"$(head -1 <<<"$ver")" ||
		{ fail "$tool --version: '$(head -1 <<<"$ver")'"; continue; }
	grep -q "^BPF objects:" <<<"$ver" || { fail "$tool --version names no BPF objects"; continue; }
	page=$(ls "$root"/usr/share/man/man8/"$tool".8* 2>/dev/null)
	[ -n "$page" ] || { fail "$tool: no man page installed"; continue; }
	text=$(MANWIDTH=80 man -l "$page" 2>&1) || { fail "man -l $page failed: $text"; continue; }
	grep -q "${tool^^}" <<<"$text" || { fail "man -l $page does not show ${tool^^}"; continue; }
	echo "ok: $tool: --help, --version ($(grep -c '\.bpf\.o' <<<"$ver") BPF objects), man -l"
done
[ "$ntools" -gt 0 ] || fail "no tools in $build/bin"

rpm -e --root "$root" $(rpm -qa --root "$root") || fail "rpm -e of every package"
left=$(find "$root/usr" -type f 2>/dev/null | head -3)
[ -z "$left" ] || fail "files left after rpm -e: $left"
echo "rpm install test: $(($(date +%s) - start)) s"
finish
