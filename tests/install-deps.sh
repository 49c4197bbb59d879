#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Installs what building and testing the suite needs on Debian 12 (idempotent).
#   tests/install-deps.sh           build + host tests
#   tests/install-deps.sh --lab     also QEMU, libvirt's daemon and the lab kernels (tests/lab)
#   tests/install-deps.sh --arm64   also the arm64 cross build (Debian multiarch: the cross
#                                   compiler and the :arm64 static libraries; README "arm64")
#   tests/install-deps.sh --lab-arm64   the arm64 cross build and the arm64 lab: QEMU for
#                                   aarch64 and Debian's arm64 kernels (tests/README.md)
#   tests/install-deps.sh --bench   also gnuplot, for the benchmarks' plots (tests/bench, optional)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
[ "$(id -u)" -eq 0 ] || { echo "Error: run as root (apt-get)" >&2; exit 1; }

packages=(
	cmake make gcc pkg-config clang clang-format llvm bpftool
	libbpf-dev libelf-dev zlib1g-dev libzstd-dev check go-md2man groff-base
	iproute2 iptables iputils-ping tcpdump jq socat libcap2-bin util-linux kmod procps rpm man-db file python3
	curl prometheus prometheus-node-exporter
)
lab=0 arm64=0 lab_arm64=0 bench=0
for a in "$@"; do
	case $a in
		--lab) lab=1 ;;
		--arm64) arm64=1 ;;
		--lab-arm64) arm64=1 lab_arm64=1 ;;
		--bench) bench=1 ;;
		*) echo "Error: unknown option '$a' (--lab, --arm64, --lab-arm64, --bench)" >&2; exit 2 ;;
	esac
done
if ((lab)); then
	# The lab's vm_pair_tools runs its two nested guests under libvirt's daemon: libvirtd
	# with the QEMU driver and virsh, started by hand in the lab guest. Not
	# libvirt-daemon-system (init integration, users, the default network): nothing here
	# may pull systemd-sysv into the host root the lab shares.
	packages+=(libvirt-daemon libvirt-daemon-driver-qemu libvirt-clients)
fi
if ((arm64)); then
	# The :arm64 libraries come from the same sources once dpkg knows the architecture.
	if ! dpkg --print-foreign-architectures | grep -qx arm64; then
		dpkg --add-architecture arm64
		apt-get update -q
	fi
	packages+=(crossbuild-essential-arm64 libbpf-dev:arm64 libelf-dev:arm64 zlib1g-dev:arm64 libzstd-dev:arm64)
fi
if ((bench)); then
	packages+=(gnuplot-nox)
fi
missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q
	apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if ((lab)) && [ -x "$here/lab/install-deps.sh" ]; then
	"$here/lab/install-deps.sh"
fi
if ((lab_arm64)); then
	"$here/lab/install-deps.sh" --arch arm64
fi
