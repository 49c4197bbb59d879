#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Installs what the kernel lab needs (Debian 12, as root) and unpacks Debian's own kernels
# into the lab cache. Idempotent: a second run installs and downloads nothing.
#
#   tests/lab/install-deps.sh [--no-packages] [--no-kernels] [--update] [KERNEL...]
#
# KERNEL is a series (6.1, 6.12: the newest package of that series is taken) or a full
# version (6.1.0-55-amd64, 6.12.117+deb12-amd64). Default: $LAB_KERNELS or "6.1 6.12".
# Kernels land in ${LAB_CACHE:-/var/cache/bpfnet-lab}/kernels/<version>, and
# kernels/<series> is a link to the newest unpacked one, which lab.sh --kernel <series> boots.
set -euo pipefail

LAB_CACHE=${LAB_CACHE:-/var/cache/bpfnet-lab}
export DEBIAN_FRONTEND=noninteractive

# ovs-dpctl comes from openvswitch-switch; the guest drives the kernel datapath without
# ovs-vswitchd, and the host may have no openvswitch module at all.
LAB_PACKAGES=(
    qemu-system-x86 busybox-static cpio kmod xz-utils zstd
    openvswitch-switch iperf3 iproute2 iputils-ping tcpdump socat netcat-openbsd
    iptables nftables ethtool procps util-linux
)

log() { printf 'lab-deps: %s\n' "$*" >&2; }
die() { printf 'lab-deps: error: %s\n' "$*" >&2; exit 1; }

usage() {
    sed -n '2,10s/^# \{0,1\}//p' "$0"
}

want_packages=1
want_kernels=1
force_update=0
kernels=()
while (($#)); do
    case $1 in
        --no-packages) want_packages=0 ;;
        --no-kernels) want_kernels=0 ;;
        --update) force_update=1 ;;
        -h | --help) usage; exit 0 ;;
        -*) die "unknown option '$1' (see --help)" ;;
        *) kernels+=("$1") ;;
    esac
    shift
done
if ((${#kernels[@]} == 0)); then
    read -r -a kernels <<<"${LAB_KERNELS:-6.1 6.12}"
fi

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

# A package name with a candidate version is downloadable from the configured sources.
has_candidate() {
    local policy
    policy=$(apt-cache policy "$1" 2>/dev/null) || return 1
    [[ $policy =~ Candidate:\ [0-9] ]]
}

# Debian names the package linux-image-<version> (signed) and linux-image-<version>-unsigned;
# both hold the same vmlinuz (the signature does not matter to QEMU) and modules.
package_for_version() {
    local version=$1 p
    for p in "linux-image-$version" "linux-image-$version-unsigned"; do
        if has_candidate "$p"; then
            printf '%s\n' "$p"
            return 0
        fi
    done
    return 1
}

# Newest kernel version of a series (6.1 -> 6.1.0-56-amd64) that has a downloadable package.
# The generic amd64 flavour only: cloud kernels lack drivers, rt kernels behave differently.
newest_version_of_series() {
    local series=$1 re name version
    re="^linux-image-${series//./\\.}[.-][0-9][^ ]*-amd64(-unsigned)?\$"
    while read -r name; do
        version=${name#linux-image-}
        version=${version%-unsigned}
        if package_for_version "$version" >/dev/null; then
            printf '%s\n' "$version"
            return 0
        fi
    done < <(apt-cache pkgnames "linux-image-$series" | grep -E "$re" |
        grep -vE -- '-(cloud|rt)-amd64' | sort -Vr)
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

unpack_kernel() {
    local version=$1 pkg tmp deb dir
    dir=$LAB_CACHE/kernels/$version
    if kernel_ready "$version"; then
        log "kernel $version: cached in $dir"
        return 0
    fi
    pkg=$(package_for_version "$version") || {
        apt_update
        pkg=$(package_for_version "$version")
    } || die "no package linux-image-${version}[-unsigned] in the apt sources"
    mkdir -p "$LAB_CACHE/tmp"
    tmp=$(mktemp -d "$LAB_CACHE/tmp/dl.XXXXXX")
    # apt-get download drops privileges to _apt, which must be able to write here.
    if id _apt >/dev/null 2>&1; then chown _apt "$tmp"; fi
    log "kernel $version: downloading $pkg"
    if ! (cd "$tmp" && apt-get download -qq "$pkg"); then
        # Stale lists name versions the mirror no longer has: refresh once and retry.
        apt_update
        (cd "$tmp" && apt-get download -qq "$pkg") || die "apt-get download $pkg failed"
    fi
    deb=$(compgen -G "$tmp/*.deb" | head -n1) || die "apt-get download left no .deb in $tmp"
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
    printf 'package=%s\nversion=%s\ndeb=%s\n' "$pkg" "$version" "$(basename "$deb")" \
        >"$dir.partial/.lab-ready"
    rm -rf "$dir"
    mv "$dir.partial" "$dir"
    rm -rf "$tmp"
    log "kernel $version: ready in $dir"
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

install_kernels() {
    local k version series cached
    mkdir -p "$LAB_CACHE/kernels"
    for k in "${kernels[@]}"; do
        if [[ $k =~ ^[0-9]+\.[0-9]+$ ]]; then
            series=$k
            version=$(newest_version_of_series "$series") || {
                apt_update
                version=$(newest_version_of_series "$series")
            } || version=""
            if [[ -z $version ]]; then
                cached=$(cached_version_of_series "$series")
                [[ -n $cached ]] || die "no linux-image-$series.*-amd64 package found (apt-cache search linux-image-$series)"
                log "kernel $series: no package found; keeping cached $cached"
                version=$cached
            fi
        else
            version=$k
            series=$(series_of_version "$version") || die "cannot tell the series of '$version'"
        fi
        unpack_kernel "$version"
        link_series "$series" "$version"
    done
}

((want_packages)) && install_packages
((want_kernels)) && install_kernels
if ((want_kernels)); then
    for k in "${kernels[@]}"; do
        if [[ $k =~ ^[0-9]+\.[0-9]+$ ]]; then
            log "kernel $k -> $(readlink "$LAB_CACHE/kernels/$k")"
        fi
    done
fi
exit 0
