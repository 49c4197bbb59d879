#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Installs what building and testing the suite needs on Debian 12 (idempotent).
#   tests/install-deps.sh           build + host tests
#   tests/install-deps.sh --lab     also QEMU and the lab kernels (tests/lab)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
[ "$(id -u)" -eq 0 ] || { echo "Error: run as root (apt-get)" >&2; exit 1; }

packages=(
	cmake make gcc pkg-config clang clang-format llvm bpftool
	libbpf-dev libelf-dev zlib1g-dev libzstd-dev check go-md2man groff-base
	iproute2 iptables iputils-ping jq socat libcap2-bin util-linux kmod procps rpm file python3
)
missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q
	apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if [ "${1:-}" = "--lab" ] && [ -x "$here/lab/install-deps.sh" ]; then
	"$here/lab/install-deps.sh"
fi
