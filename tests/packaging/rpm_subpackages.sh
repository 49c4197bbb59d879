#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Builds the RPMs from the build tree and checks that every tool has its own subpackage that
# installs that executable, statically linked, and its man page, and that the metapackage requires
# them all.
set -u
build=${1:?usage: rpm_subpackages.sh BUILD_DIR}
fails=0
cmake --build "$build" --target rpm >/dev/null || { echo "FAIL: rpm target failed"; exit 1; }
rpms=$build/rpm/RPMS/$(uname -m)
for exe in "$build"/bin/*; do
	tool=$(basename "$exe")
	pkg=$(ls "$rpms"/bpfnet-"$tool"-[0-9]*.rpm 2>/dev/null | head -1)
	if [ -z "$pkg" ]; then
		echo "FAIL: no subpackage for $tool"; fails=$((fails + 1)); continue
	fi
	if ! rpm -qlp "$pkg" 2>/dev/null | grep -qx "/usr/bin/$tool"; then
		echo "FAIL: $pkg does not install /usr/bin/$tool"; fails=$((fails + 1)); continue
	fi
	if ! rpm -qlp "$pkg" 2>/dev/null | grep -qE "^/usr/share/man/man8/$tool\.8(\.gz)?\$"; then
		echo "FAIL: $pkg does not install the man page of $tool"; fails=$((fails + 1)); continue
	fi
	if ! file -L "$exe" | grep -q "statically linked"; then
		echo "FAIL: $tool is not statically linked"; fails=$((fails + 1)); continue
	fi
	rpm -qp --requires "$rpms"/bpfnet-tools-[0-9]*.rpm 2>/dev/null | grep -q "^bpfnet-$tool " ||
		{ echo "FAIL: the metapackage does not require bpfnet-$tool"; fails=$((fails + 1)); continue; }
	echo "ok: $(basename "$pkg")"
done
exit $((fails > 0))
