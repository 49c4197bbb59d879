#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Installs what the kernel lab needs (Debian 12, as root) and unpacks Debian's own kernels
# into the lab cache. Idempotent: a second run installs and downloads nothing.
#
#   tests/lab/install-deps.sh [--no-packages] [--no-kernels] [--update] [--arch arm64] [KERNEL...]
#
# KERNEL is a series (5.10, 6.1, 6.12: the version pinned below; the newest package of the
# series only when the pinned one is no longer served, which is said and recorded in
# kernels/<series>.fallback) or a full version (6.1.0-55-amd64). Default: $LAB_KERNELS or
# "5.10 6.1 6.12". Kernels land in ${LAB_CACHE:-/var/cache/bpfnet-lab}/kernels/<version>,
# and kernels/<series> is a link to the one lab.sh --kernel <series> boots. Kernels without
# module BTF (5.10) also get kernels/<version>/btf/: the BTF of vmlinux and of the modules the
# tools read types from, made with pahole from Debian's -dbg package (README: "Kernels
# without BTF"), for the tools' --btf.
# --arch arm64: the arm64 lab (lab.sh --arch arm64) instead: qemu-system-aarch64, Debian's
# arm64 kernels (default "6.1 6.12"; kernels/<series>-arm64 links to them) and the arm64
# busybox of its initramfs (arm64/busybox), through dpkg's arm64 foreign architecture.
set -euo pipefail

LAB_CACHE=${LAB_CACHE:-/var/cache/bpfnet-lab}
export DEBIAN_FRONTEND=noninteractive

# ovs-dpctl comes from openvswitch-switch; the guest drives the kernel datapath without
# ovs-vswitchd, and the host may have no openvswitch module at all.
LAB_PACKAGES=(
    qemu-system-x86 busybox-static cpio kmod xz-utils zstd dwarves
    openvswitch-switch iperf3 iproute2 iputils-ping tcpdump socat netcat-openbsd
    iptables nftables ethtool procps util-linux
)

log() { printf 'lab-deps: %s\n' "$*" >&2; }
die() { printf 'lab-deps: error: %s\n' "$*" >&2; exit 1; }

usage() {
    sed -n '2,17s/^# \{0,1\}//p' "$0"
}

want_packages=1
want_kernels=1
force_update=0
kernels=()
arch=amd64
while (($#)); do
    case $1 in
        --arch) arch=${2:?--arch needs amd64 or arm64}; shift ;;
        --arch=*) arch=${1#*=} ;;
        --no-packages) want_packages=0 ;;
        --no-kernels) want_kernels=0 ;;
        --update) force_update=1 ;;
        -h | --help) usage; exit 0 ;;
        -*) die "unknown option '$1' (see --help)" ;;
        *) kernels+=("$1") ;;
    esac
    shift
done
[[ $arch == amd64 || $arch == arm64 ]] || die "--arch: amd64 or arm64, not '$arch'"
if ((${#kernels[@]} == 0)); then
    if [[ $arch == arm64 ]]; then
        read -r -a kernels <<<"${LAB_KERNELS_ARM64:-6.1 6.12}"
    else
        read -r -a kernels <<<"${LAB_KERNELS:-5.10 6.1 6.12}"
    fi
fi

# Series -> "version debian-version suite": a new lab kernel is a deliberate change here.
declare -A PINNED=(
    [5.10]="5.10.0-32-amd64 5.10.223-1 bullseye"
    [6.1]="6.1.0-57-amd64 6.1.192-3 bookworm"
    [6.12]="6.12.118+deb12-amd64 6.12.118-1~deb12u1 bookworm"
    [arm64-6.1]="6.1.0-57-arm64 6.1.192-3 bookworm"
    [arm64-6.12]="6.12.118+deb12-arm64 6.12.118-1~deb12u1 bookworm"
)
# Packages of the other architecture are named NAME:arm64 once dpkg knows it.
pkg_arch=""
series_suffix=""
if [[ $arch == arm64 ]]; then
    LAB_PACKAGES=(qemu-system-arm cpio kmod xz-utils zstd)
    pkg_arch=:arm64
    series_suffix=-arm64
fi
# Modules whose types the tools read (BTF made for kernels without module BTF).
BTF_MODULES=(openvswitch tun vhost vhost_net kvm kvm-amd kvm-intel nf_conntrack virtio virtio_ring virtio_net)

# apt options for a suite: the machine's own sources for bookworm; for another suite a private
# sources list and state directory in the cache, so the machine's sources stay as they are.
APT_OPTS=()
apt_suite() {
    local suite=$1 d=$LAB_CACHE/apt/$1
    APT_OPTS=()
    [[ $suite == bookworm ]] && return 0
    mkdir -p "$d/lists/partial"
    cat >"$d/sources.list" <<EOF_SOURCES
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $suite main
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian-security $suite-security main
EOF_SOURCES
    APT_OPTS=(-o "Dir::Etc::sourcelist=$d/sources.list" -o Dir::Etc::sourceparts=- \
        -o "Dir::State::Lists=$d/lists" -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache=)
    if ! compgen -G "$d/lists/*_Packages*" >/dev/null; then
        log "apt-get update ($suite)"
        apt-get "${APT_OPTS[@]}" update -qq || die "apt-get update of $suite failed"
    fi
}

[[ $(id -u) == 0 ]] || die "must run as root (apt-get, depmod into $LAB_CACHE)"
command -v apt-get >/dev/null || die "apt-get not found: the lab needs a Debian/Ubuntu host"

apt_updated=0
apt_update() {
    ((apt_updated)) && return 0
    log "apt-get update"
    apt-get update -qq || die "apt-get update failed"
    apt_updated=1
}

# apt-cache answers from the package lists; with none at all (fresh machine) it finds nothing.
lists_present() {
    compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null
}

if [[ $arch == arm64 ]] && ! dpkg --print-foreign-architectures | grep -qx arm64; then
    log "dpkg --add-architecture arm64"
    dpkg --add-architecture arm64
    force_update=1
fi
if ((force_update)) || ! lists_present; then
    apt_update
fi

package_installed() {
    [[ $(dpkg-query -W -f='${Status}' "$1" 2>/dev/null) == "install ok installed" ]]
}

install_packages() {
    local missing=() p
    for p in "${LAB_PACKAGES[@]}"; do
        package_installed "$p" || missing+=("$p")
    done
    if ((${#missing[@]} == 0)); then
        log "packages: all present"
        return 0
    fi
    log "installing: ${missing[*]}"
    # Installing openvswitch-switch would start ovs-vswitchd, which fails without the
    # openvswitch module on this host and then fails the package's configuration. Services
    # must not start during this install: a policy-rc.d answering 101 says so to invoke-rc.d
    # and deb-systemd-invoke. An existing policy is left as it is.
    local policy=/usr/sbin/policy-rc.d own_policy=0
    if [[ ! -e $policy ]]; then
        printf '#!/bin/sh\n# temporary, tests/lab/install-deps.sh\nexit 101\n' >"$policy"
        chmod 755 "$policy"
        own_policy=1
        trap 'rm -f /usr/sbin/policy-rc.d' EXIT
    fi
    local rc=0
    apt-get install -y -qq --no-install-recommends "${missing[@]}" || rc=$?
    if ((rc != 0)) && ((apt_updated == 0)); then
        apt_update
        rc=0
        apt-get install -y -qq --no-install-recommends "${missing[@]}" || rc=$?
    fi
    if ((own_policy)); then
        rm -f "$policy"
        trap - EXIT
    fi
    ((rc == 0)) || die "apt-get install failed for: ${missing[*]}"
    # On a systemd host, keep ovs-vswitchd from starting at the next boot too when this
    # script was the one that installed it: nothing here uses it.
    if [[ " ${missing[*]} " == *" openvswitch-switch "* ]] && [[ -d /run/systemd/system ]]; then
        systemctl disable --now openvswitch-switch.service >/dev/null 2>&1 || true
    fi
}

# A package (NAME or NAME=VERSION) the sources of the current suite (APT_OPTS) can download.
has_candidate() {
    local name=${1%%=*} want='' policy
    [[ $1 == *=* ]] && want=${1#*=}
    policy=$(apt-cache "${APT_OPTS[@]}" policy "$name" 2>/dev/null) || return 1
    if [[ -n $want ]]; then
        # The version table's lines: "     6.1.192-3 500" or " *** 6.1.192-3 500".
        awk -v v="$want" '$1 == v || ($1 == "***" && $2 == v) { found = 1 } END { exit !found }' <<<"$policy"
    else
        [[ $policy =~ Candidate:\ [0-9] ]]
    fi
}

# Debian names the package linux-image-<version> (signed) and linux-image-<version>-unsigned;
# both hold the same vmlinuz (the signature does not matter to QEMU) and modules.
# DEBVER (optional) asks for that exact Debian version: "name=debver" is printed.
package_for_version() { # VERSION [DEBVER]
    local version=$1 debver=${2:-} p
    for p in "linux-image-$version" "linux-image-$version-unsigned"; do
        if has_candidate "$p$pkg_arch${debver:+=$debver}"; then
            printf '%s\n' "$p$pkg_arch${debver:+=$debver}"
            return 0
        fi
    done
    return 1
}

# Newest kernel version of a series (6.1 -> 6.1.0-57-amd64) that has a downloadable package.
# The generic amd64 flavour only: cloud kernels lack drivers, rt kernels behave differently.
newest_version_of_series() {
    local series=$1 re name version
    re="^linux-image-${series//./\\.}[.-][0-9][^ ]*-$arch(-unsigned)?\$"
    while read -r name; do
        version=${name#linux-image-}
        version=${version%-unsigned}
        if package_for_version "$version" >/dev/null; then
            printf '%s\n' "$version"
            return 0
        fi
    done < <(apt-cache "${APT_OPTS[@]}" pkgnames "linux-image-$series" | grep -E "$re" |
        grep -vE -- "-(cloud|rt|16k)-$arch" | sort -Vr)
    return 1
}

series_of_version() {
    local v=$1
    [[ $v =~ ^([0-9]+\.[0-9]+) ]] && printf '%s\n' "${BASH_REMATCH[1]}"
}

kernel_ready() {
    local dir=$LAB_CACHE/kernels/$1
    [[ -f $dir/.lab-ready && -f $dir/boot/vmlinuz-$1 && -f $dir/lib/modules/$1/modules.dep ]]
}

# Downloads PACKAGE (apt syntax, "name=version" allowed) of the current suite into a new
# temporary directory and prints the .deb's path.
download_deb() {
    local pkg=$1 tmp
    mkdir -p "$LAB_CACHE/tmp"
    tmp=$(mktemp -d "$LAB_CACHE/tmp/dl.XXXXXX")
    # apt-get download drops privileges to _apt, which must be able to write here.
    if id _apt >/dev/null 2>&1; then chown _apt "$tmp"; fi
    log "downloading $pkg"
    if ! (cd "$tmp" && apt-get "${APT_OPTS[@]}" download -qq "$pkg" >&2); then
        # Stale lists name versions the mirror no longer has: refresh once and retry.
        apt-get "${APT_OPTS[@]}" update -qq >&2 || true
        (cd "$tmp" && apt-get "${APT_OPTS[@]}" download -qq "$pkg" >&2) || die "apt-get download $pkg failed"
    fi
    compgen -G "$tmp/*.deb" | head -n1 || die "apt-get download left no .deb in $tmp"
}

unpack_kernel() { # VERSION PACKAGE
    local version=$1 pkg=$2 deb dir
    dir=$LAB_CACHE/kernels/$version
    if kernel_ready "$version"; then
        log "kernel $version: cached in $dir"
        return 0
    fi
    deb=$(download_deb "$pkg")
    log "kernel $version: unpacking $(basename "$deb")"
    rm -rf "$dir.partial"
    mkdir -p "$dir.partial"
    dpkg-deb -x "$deb" "$dir.partial"
    # Packages built for merged-/usr systems ship usr/lib/modules: depmod -b wants lib/modules.
    if [[ ! -d $dir.partial/lib/modules/$version && -d $dir.partial/usr/lib/modules/$version ]]; then
        mkdir -p "$dir.partial/lib/modules"
        mv "$dir.partial/usr/lib/modules/$version" "$dir.partial/lib/modules/$version"
    fi
    if [[ ! -f $dir.partial/boot/vmlinuz-$version && -f $dir.partial/usr/lib/linux/vmlinuz-$version ]]; then
        mkdir -p "$dir.partial/boot"
        mv "$dir.partial/usr/lib/linux/vmlinuz-$version" "$dir.partial/boot/"
    fi
    [[ -f $dir.partial/boot/vmlinuz-$version ]] || die "$pkg has no boot/vmlinuz-$version"
    [[ -d $dir.partial/lib/modules/$version ]] || die "$pkg has no lib/modules/$version"
    rm -rf "$dir.partial/usr/share/doc" "$dir.partial/usr/share/bug"
    depmod -b "$dir.partial" "$version"
    printf 'package=%s\nversion=%s\ndeb=%s\n' "${pkg%%[:=]*}" "$version" "$(basename "$deb")" \
        >"$dir.partial/.lab-ready"
    rm -rf "$dir"
    mv "$dir.partial" "$dir"
    rm -rf "$(dirname "$deb")"
    log "kernel $version: ready in $dir"
}

# A kernel without /sys/kernel/btf/<module> (before 5.11) gets kernels/<version>/btf/: what a
# user makes by the README's recipe, from the real debug package: vmlinux and each module of
# BTF_MODULES through pahole. Only those files are taken out of the (~800 MB) package.
make_btf_dir() { # VERSION DEBVER
    local version=$1 debver=$2 dir=$LAB_CACHE/kernels/$1/btf deb x m ko missing=0
    for m in "${BTF_MODULES[@]}"; do [[ -f $dir/${m//-/_} ]] || missing=1; done
    [[ -f $dir/.ready ]] && ((!missing)) && return 0
    [[ -n $(find "$LAB_CACHE/kernels/$version/lib/modules/$version" -name 'openvswitch.ko*' -print -quit) ]] ||
        die "kernel $version has no openvswitch module"
    deb=$(download_deb "linux-image-$version-dbg${debver:+=$debver}")
    x=$(dirname "$deb")/x
    mkdir -p "$x"
    log "kernel $version: taking vmlinux and ${BTF_MODULES[*]} out of $(basename "$deb")"
    local patterns=("./usr/lib/debug/boot/vmlinux-$version")
    for m in "${BTF_MODULES[@]}"; do patterns+=("*/$m.ko"); done
    dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$x" --wildcards "${patterns[@]}" ||
        die "cannot unpack $(basename "$deb")"
    rm -rf "$dir.partial"
    mkdir -p "$dir.partial"
    pahole --btf_encode_detached="$dir.partial/vmlinux" "$x/usr/lib/debug/boot/vmlinux-$version" ||
        die "pahole failed on vmlinux-$version"
    for m in "${BTF_MODULES[@]}"; do
        ko=$(find "$x" -name "$m.ko" -print -quit)
        [[ -n $ko ]] || die "no $m.ko in $(basename "$deb")"
        # Module files are named as the kernel names modules: kvm-amd -> kvm_amd.
        pahole --btf_encode_detached="$dir.partial/${m//-/_}" "$ko" || die "pahole failed on $m.ko"
    done
    chmod 644 "$dir.partial"/*
    printf 'deb=%s\n' "$(basename "$deb")" >"$dir.partial/.ready"
    rm -rf "$dir"
    mv "$dir.partial" "$dir"
    rm -rf "$(dirname "$deb")"
    log "kernel $version: BTF in $dir"
}

# kernels/<series> -> <version>: what lab.sh --kernel <series> boots.
link_series() {
    local series=$1 version=$2
    ln -sfn "$version" "$LAB_CACHE/kernels/$series.tmp"
    mv -T "$LAB_CACHE/kernels/$series.tmp" "$LAB_CACHE/kernels/$series"
}

# The newest version of the series already unpacked, for running without the network.
cached_version_of_series() {
    local series=$1 d v
    for d in "$LAB_CACHE"/kernels/*/.lab-ready; do
        [[ -e $d ]] || continue
        v=$(basename "$(dirname "$d")")
        [[ $(series_of_version "$v") == "$series" ]] && printf '%s\n' "$v"
    done | sort -V | tail -n1
}

# The pinned kernel of a series, or (not served any more) the newest one, said loudly and
# recorded in kernels/<series>.fallback, which the lab prints with every batch.
install_series() {
    local series=$1 version debver suite pkg note=$LAB_CACHE/kernels/$1.fallback
    local key=$series
    [[ $arch == arm64 ]] && key=arm64-$series
    read -r version debver suite <<<"${PINNED[$key]:-}"
    [[ -n $version ]] || die "no pinned kernel for series $series on $arch (known: ${!PINNED[*]})"
    apt_suite "$suite"
    if kernel_ready "$version"; then
        rm -f "$note"
    elif pkg=$(package_for_version "$version" "$debver") ||
        { apt-get "${APT_OPTS[@]}" update -qq && pkg=$(package_for_version "$version" "$debver"); }; then
        rm -f "$note"
        unpack_kernel "$version" "$pkg"
    else
        local pinned=$version
        version=$(newest_version_of_series "$series") || version=$(cached_version_of_series "$series")
        [[ -n $version ]] || die "no linux-image-$series.*-$arch package found in $suite"
        debver=""
        printf 'pinned kernel %s (%s) is no longer served: using %s instead\n' \
            "$pinned" "${PINNED[$series]#* }" "$version" | tee "$note" >&2
        kernel_ready "$version" || unpack_kernel "$version" "$(package_for_version "$version")"
    fi
    # Module BTF arrived in 5.11.
    if [[ $(printf '%s\n' "$series" 5.11 | sort -V | head -n1) != 5.11 ]]; then
        make_btf_dir "$version" "$debver"
    fi
    link_series "$series$series_suffix" "$version"
}

install_kernels() {
    local k
    mkdir -p "$LAB_CACHE/kernels"
    for k in "${kernels[@]}"; do
        if [[ $k =~ ^[0-9]+\.[0-9]+$ ]]; then
            install_series "$k"
        else
            apt_suite bookworm
            unpack_kernel "$k" "$(package_for_version "$k")"
            link_series "$(series_of_version "$k")$series_suffix" "$k"
        fi
    done
}

# The arm64 guest's initramfs runs Debian's arm64 busybox (static), unpacked from its package.
install_arm64_busybox() {
    local out=$LAB_CACHE/arm64/busybox deb x
    [[ -x $out ]] && { log "arm64 busybox: cached in $out"; return 0; }
    apt_suite bookworm
    deb=$(download_deb busybox-static:arm64)
    x=$(dirname "$deb")/x
    dpkg-deb -x "$deb" "$x"
    mkdir -p "$LAB_CACHE/arm64"
    install -m 755 "$x/bin/busybox" "$out.tmp"
    mv "$out.tmp" "$out"
    rm -rf "$(dirname "$deb")"
    log "arm64 busybox: $out"
}

((want_packages)) && install_packages
((want_packages)) && [[ $arch == arm64 ]] && install_arm64_busybox
((want_kernels)) && install_kernels
if ((want_kernels)); then
    for k in "${kernels[@]}"; do
        if [[ $k =~ ^[0-9]+\.[0-9]+$ ]]; then
            log "kernel $k$series_suffix -> $(readlink "$LAB_CACHE/kernels/$k$series_suffix")"
        fi
    done
fi
exit 0
