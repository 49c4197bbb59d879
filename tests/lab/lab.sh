#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Runs one scenario inside a Debian kernel booted under QEMU (TCG) with this host's root
# filesystem as a read-only 9p root plus a tmpfs overlay, and exits with its exit status.
#
# USAGE
#   tests/lab/lab.sh [OPTIONS] SCENARIO [ARGS...]
#   tests/lab/lab.sh [OPTIONS] --shell [SCENARIO [ARGS...]]
#
# SCENARIO is a file (path, or a name under tests/lab/scenarios/, ".sh" optional) or a
# command found in the guest's PATH. It runs as root in the current directory. A scenario
# file can carry its own defaults in a line "# lab-options: --nested --timeout 240" among
# its first 20 lines; the command line overrides them.
#
# OPTIONS
#   --kernel K       6.1, 6.12 (newest cached of that series) or a full version (default:
#                    $LAB_KERNEL_DEFAULT or 6.1); install-deps.sh puts them in the cache
#   --arch A         amd64 (default, or $LAB_ARCH) or arm64: Debian's arm64 kernel under
#                    qemu-system-aarch64 -machine virt -cpu max (TCG), installed by
#                    install-deps.sh --arch arm64. The host's root cannot be the guest's (its
#                    programs are x86_64): the job runs with the initramfs's arm64 busybox sh,
#                    the host's / read-only on $LAB_HOST (/host), in /host$PWD; SCENARIO is a
#                    busybox sh script (looked up in tests/lab/scenarios-arm64/ first) and
#                    arm64 programs run from /host.
#                    The initramfs also carries the modules of LAB_ARM64_MODULES (the ones
#                    whose types the tools read: modprobe has no module tree there).
#   --timeout SEC    time limit of the whole run, QEMU killed after it: exit 124 (default 300)
#   --nested         give the guest AMD SVM (-cpu qemu64,+svm) so kvm_amd works inside; on
#                    arm64 EL2 and a GICv3 (-machine virt,virtualization=on,gic-version=3)
#   --mem MB         guest memory (default 2048)
#   --smp N          vCPUs (default $LAB_SMP or 1: see README.md, "Known limits")
#   --env NAME=VALUE set a variable in the guest (repeatable); --env NAME copies the host's
#   --shell          interactive shell on the serial console (after SCENARIO, if given);
#                    quit QEMU with Ctrl-A X
#   --console        also stream the guest's serial console (kernel messages) to stderr
#   --keep           keep the run directory (console log, output, status) and print its path
#   --io DIR         use DIR (kept) as the guest's $LAB_IO share instead of a temporary one
#   -h, --help       this text
#
# EXIT STATUS
#   the scenario's, or 124 when the time limit killed QEMU, or 125 when the guest did not
#   boot or ended without reporting a status (the console log's tail is printed) or the lab
#   is not set up, or 2 for a usage error.
#
# ENVIRONMENT
#   LAB_CACHE (/var/cache/bpfnet-lab), LAB_BOOT_TIMEOUT (120 s; 240 s on arm64), LAB_SMP (1),
#   LAB_TCG_THREAD (single/multi: QEMU's TCG threading, its default when unset),
#   LAB_APPEND (more kernel arguments), LAB_QEMU_ARGS (more QEMU arguments, split on spaces),
#   BPFNET_* variables are passed into the guest as they are.
#
# EXAMPLES
#   tests/lab/lab.sh --kernel 6.12 selftest_netns
#   tests/lab/lab.sh --nested --timeout 300 nested_vhost_tools
#   tests/lab/lab.sh --kernel 6.1 uname -r
#   tests/lab/lab.sh --nested --shell
#   BPFNET_BIN=$PWD/build-arm64/bin tests/lab/lab.sh --arch arm64 --kernel 6.12 verifier
set -uo pipefail

LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LAB_CACHE=${LAB_CACHE:-/var/cache/bpfnet-lab}
LAB_BOOT_TIMEOUT=${LAB_BOOT_TIMEOUT:-}
LAB_TCG_THREAD=${LAB_TCG_THREAD:-}

# Modules the initramfs inserts (with their dependencies, resolved from modules.dep):
# virtio PCI transport, the 9p filesystem over virtio, overlayfs for the writable root, and
# virtio_net so that the same image also boots nested guests with a NIC.
INITRAMFS_MODULES=(virtio_pci 9pnet_virtio 9p overlay virtio_net)
# The arm64 guest's too: the modules the tools read types from (kvm is built in on arm64).
LAB_ARM64_MODULES=(openvswitch tun vhost_net nf_conntrack nf_defrag_ipv4)

log() { printf 'lab: %s\n' "$*" >&2; }
die() { printf 'lab: error: %s\n' "$*" >&2; exit 125; }
usage_error() { printf 'lab: %s (see --help)\n' "$*" >&2; exit 2; }

usage() {
    sed -n '2,/^set -uo/{/^set -uo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"
}

kernel_arg="" arch="" timeout="" nested="" mem="" smp="" shell="" show_console="" keep="" io_dir=""
guest_env=()
rest=()
# Parses options into the variables above. A scenario's "# lab-options:" line goes through
# here too (FROM=file) and sets only what the command line left unset.
parse_options() {
    local from=$1 v
    shift
    set_opt() { # NAME VALUE
        if [[ $from == cli || -z ${!1} ]]; then printf -v "$1" '%s' "$2"; fi
    }
    while (($#)); do
        case $1 in
            --kernel) set_opt kernel_arg "${2:?--kernel needs a value}"; shift ;;
            --kernel=*) set_opt kernel_arg "${1#*=}" ;;
            --arch) set_opt arch "${2:?--arch needs amd64 or arm64}"; shift ;;
            --arch=*) set_opt arch "${1#*=}" ;;
            --timeout) set_opt timeout "${2:?--timeout needs a value}"; shift ;;
            --timeout=*) set_opt timeout "${1#*=}" ;;
            --nested) set_opt nested 1 ;;
            --mem) set_opt mem "${2:?--mem needs a value}"; shift ;;
            --mem=*) set_opt mem "${1#*=}" ;;
            --smp) set_opt smp "${2:?--smp needs a value}"; shift ;;
            --smp=*) set_opt smp "${1#*=}" ;;
            --env) guest_env+=("${2:?--env needs NAME=VALUE}"); shift ;;
            --env=*) guest_env+=("${1#*=}") ;;
            --shell) set_opt shell 1 ;;
            --console) set_opt show_console 1 ;;
            --keep) set_opt keep 1 ;;
            --io) set_opt io_dir "${2:?--io needs a directory}"; shift ;;
            --io=*) set_opt io_dir "${1#*=}" ;;
            -h | --help) usage; exit 0 ;;
            --) shift; break ;;
            -*) usage_error "unknown option '$1'${from/cli/}" ;;
            *) break ;;
        esac
        shift
    done
    if [[ $from == cli ]]; then
        rest=("$@")
    elif (($#)); then
        v=$*
        die "the scenario's lab-options line has a non-option: '$v'"
    fi
}
parse_options cli "$@"
set -- "${rest[@]}"
(($# > 0)) || [[ -n $shell ]] || { usage >&2; exit 2; }

# What to run: a scenario file (by path or by name) or a command of the guest's PATH.
cmd=()
scenario_name=shell
if (($# > 0)); then
    target=$1
    shift
    file=""
    if [[ ${arch:-${LAB_ARCH:-amd64}} =~ ^(arm64|aarch64)$ && -f $LAB_DIR/scenarios-arm64/${target%.sh}.sh ]]; then
        file=$LAB_DIR/scenarios-arm64/${target%.sh}.sh # the arm64 lab's own (busybox sh) scenarios
    elif [[ $target == */* && -f $target ]]; then
        file=$(realpath "$target")
    elif [[ -f $LAB_DIR/scenarios/$target ]]; then
        file=$LAB_DIR/scenarios/$target
    elif [[ -f $LAB_DIR/scenarios/$target.sh ]]; then
        file=$LAB_DIR/scenarios/$target.sh
    elif [[ -f $target ]]; then
        file=$(realpath "$target")
    fi
    if [[ -n $file ]]; then
        if [[ -x $file ]]; then cmd=("$file"); else cmd=(bash "$file"); fi
        scenario_name=$(basename "$file" .sh)
        file_opts=$(head -n 20 "$file" | sed -n 's/^# lab-options:[[:space:]]*//p' | head -n1)
        if [[ -n $file_opts ]]; then
            read -r -a file_opts_words <<<"$file_opts"
            parse_options " in $file" "${file_opts_words[@]}"
        fi
    else
        cmd=("$target")
        scenario_name=$target
    fi
    cmd+=("$@")
fi

kernel_arg=${kernel_arg:-${LAB_KERNEL_DEFAULT:-6.1}}
arch=${arch:-${LAB_ARCH:-amd64}}
case $arch in
    amd64 | x86_64) arch=amd64 ;;
    arm64 | aarch64) arch=arm64 ;;
    *) usage_error "--arch: amd64 or arm64, not '$arch'" ;;
esac
if [[ $arch == arm64 ]]; then
    LAB_BOOT_TIMEOUT=${LAB_BOOT_TIMEOUT:-240}
    INITRAMFS_MODULES+=("${LAB_ARM64_MODULES[@]}")
    busybox=$LAB_CACHE/arm64/busybox
    qemu_bin=qemu-system-aarch64
    deps_hint="$LAB_DIR/install-deps.sh --arch arm64"
    # A scenario file runs with the guest's busybox sh, from the host's / on /host.
    if [[ -n ${file:-} ]]; then
        skip=1
        [[ ${cmd[0]} == bash ]] && skip=2
        cmd=(sh "/host$file" "${cmd[@]:skip}")
    fi
else
    LAB_BOOT_TIMEOUT=${LAB_BOOT_TIMEOUT:-120}
    busybox=/bin/busybox
    qemu_bin=qemu-system-x86_64
    deps_hint=$LAB_DIR/install-deps.sh
fi
nested=${nested:-0}
mem=${mem:-2048}
# One vCPU by default: with two, QEMU 7.2's multi-threaded TCG now and then runs stale code
# on one vCPU after the kernel patched it on the other (the 6.12 guest died with "Oops:
# int3" in static-key sites), and one vCPU was as fast for these scenarios.
smp=${smp:-${LAB_SMP:-1}}
shell=${shell:-0}
show_console=${show_console:-0}
keep=${keep:-0}
[[ $mem =~ ^[0-9]+$ ]] || usage_error "--mem wants megabytes, got '$mem'"
[[ $smp =~ ^[1-9][0-9]*$ ]] || usage_error "--smp wants a number of vCPUs, got '$smp'"
if [[ -n $timeout ]]; then
    [[ $timeout =~ ^[0-9]+$ ]] || usage_error "--timeout wants seconds, got '$timeout'"
elif ((shell)); then
    timeout=0 # interactive: no limit unless asked for
else
    timeout=300
fi
[[ $(id -u) == 0 ]] || die "must run as root (QEMU shares / and the guest runs as root)"
command -v "$qemu_bin" >/dev/null || die "$qemu_bin missing: run $deps_hint"
[[ -x $busybox ]] || die "$busybox missing: run $deps_hint"

# --kernel 6.1 follows kernels/6.1 -> 6.1.0-<N>-amd64 (kernels/6.1-arm64 with --arch arm64);
# a full version names its directory.
resolve_kernel() {
    local k=$1 dir=$LAB_CACHE/kernels/$1
    [[ $arch == arm64 && -L $dir-arm64 ]] && dir=$dir-arm64
    if [[ -L $dir ]]; then
        k=$(readlink "$dir")
        dir=$LAB_CACHE/kernels/$k
    fi
    [[ -f $dir/.lab-ready && -f $dir/boot/vmlinuz-$k ]] ||
        die "kernel '$1' is not in $LAB_CACHE/kernels: run $deps_hint $1"
    printf '%s\n' "$k"
}
kver=$(resolve_kernel "$kernel_arg") || exit 125
kdir=$LAB_CACHE/kernels/$kver
vmlinuz=$kdir/boot/vmlinuz-$kver
mdir=$kdir/lib/modules/$kver

# Module files (in insertion order) that INITRAMFS_MODULES need on this kernel.
initramfs_module_files() {
    local m line seen=" "
    for m in "${INITRAMFS_MODULES[@]}"; do
        while read -r line; do
            [[ $line == insmod\ * ]] || continue
            line=${line#insmod }
            line=${line%% *}
            [[ $seen == *" $line "* ]] && continue
            seen+="$line "
            printf '%s\n' "$line"
        done < <(modprobe -d "$kdir" -S "$kver" --show-depends "$m" 2>/dev/null)
    done
}

# Builds (once per set of inputs) the initramfs of this kernel: busybox, guest-init.sh and
# the modules, uncompressed (nothing to decompress under TCG). The file name carries a hash
# of everything that goes in, so a changed input gives a new image.
build_initramfs() {
    local files=() f key out tmp name
    mapfile -t files < <(initramfs_module_files)
    ((${#files[@]} > 0)) || die "no initramfs modules found in $mdir"
    key=$({
        printf '%s\n' "$kver" "${files[@]}"
        sha256sum "$busybox" "$LAB_DIR/guest-init.sh" "${files[@]}"
    } | sha256sum | cut -c1-16)
    out=$LAB_CACHE/initramfs/$kver/initramfs-$key.cpio
    if [[ -f $out ]]; then
        touch "$out" # its last use, for the pruning below
        printf '%s\n' "$out"
        return 0
    fi
    mkdir -p "$LAB_CACHE/initramfs/$kver"
    tmp=$(mktemp -d "$LAB_CACHE/initramfs/$kver/build.XXXXXX")
    mkdir -p "$tmp"/{bin,dev,proc,sys,modules}
    cp "$busybox" "$tmp/bin/busybox"
    ln -s busybox "$tmp/bin/sh"
    cp "$LAB_DIR/guest-init.sh" "$tmp/init"
    chmod 755 "$tmp/init"
    mknod "$tmp/dev/console" c 5 1
    mknod "$tmp/dev/null" c 1 3
    for f in "${files[@]}"; do
        name=$(basename "$f")
        name=${name%%.ko*}
        case $f in
            *.ko.xz) xz -dc "$f" >"$tmp/modules/$name.ko" ;;
            *.ko.zst) zstd -qdc "$f" >"$tmp/modules/$name.ko" ;;
            *.ko.gz) gzip -dc "$f" >"$tmp/modules/$name.ko" ;;
            *) cp "$f" "$tmp/modules/$name.ko" ;;
        esac || die "cannot unpack $f"
        printf '%s\n' "$name" >>"$tmp/modules/order"
    done
    (cd "$tmp" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) \
        >"$tmp.cpio" || die "cpio failed"
    mv "$tmp.cpio" "$out"
    # Images unused for a day go, but not the last few: a running lab guest boots nested
    # guests from the one it was started with, and a batch guest runs for up to two hours.
    find "$LAB_CACHE/initramfs/$kver" -maxdepth 1 -name 'initramfs-*.cpio' -mmin +1440 \
        -printf '%T@ %p\n' | sort -rn | tail -n +4 | cut -d' ' -f2- | xargs -r -d '\n' rm -f
    rm -rf "$tmp"
    log "built $out"
    printf '%s\n' "$out"
}
mkdir -p "$LAB_CACHE/initramfs"
initrd=$(
    exec 9>"$LAB_CACHE/initramfs/.lock"
    flock 9
    build_initramfs
) || exit 125

run_dir=$(mktemp -d "${TMPDIR:-/tmp}/lab-run.XXXXXX") || die "cannot create a run directory"
io=$run_dir/io
if [[ -n $io_dir ]]; then
    mkdir -p "$io_dir" || die "cannot create $io_dir"
    io=$(realpath "$io_dir")
    rm -f "$io/booted" "$io/status" "$io/output" "$io/job.sh" "$io/lab.conf" "$io/deadline"
fi
mkdir -p "$io"
console=$run_dir/console.log
: >"$console"
: >"$io/output"

qemu_pid=""
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
    if [[ -n $qemu_pid ]] && kill -0 "$qemu_pid" 2>/dev/null; then
        kill -TERM "$qemu_pid" 2>/dev/null
        sleep 1
        kill -KILL "$qemu_pid" 2>/dev/null
    fi
    if ((keep)); then
        log "run directory kept: $run_dir"
    else
        rm -rf "$run_dir"
    fi
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

# The job: environment, working directory, command. Values go through printf %q so that
# any argument survives.
{
    printf '#!/bin/bash\n# generated by tests/lab/lab.sh\n'
    printf 'export LAB_KERNEL=%q LAB_KERNEL_SERIES=%q\n' "$kver" "$(grep -oE '^[0-9]+\.[0-9]+' <<<"$kver")"
    printf 'export LAB_KERNEL_DIR=%q LAB_VMLINUZ=%q LAB_INITRD=%q\n' "$kdir" "$vmlinuz" "$initrd"
    printf 'export LAB_DIR=%q LAB_CACHE=%q LAB_NESTED=%q LAB_TIMEOUT=%q\n' \
        "$LAB_DIR" "$LAB_CACHE" "$nested" "$timeout"
    printf 'export LAB_IO=/run/lab HOME=/root LANG=C.UTF-8\n'
    printf 'export PATH=%q\n' "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin${PATH:+:$PATH}"
    while IFS='=' read -r name _; do
        [[ $name == BPFNET_* ]] && printf 'export %s=%q\n' "$name" "${!name}"
    done < <(env)
    for kv in "${guest_env[@]}"; do
        name=${kv%%=*}
        [[ $name =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || usage_error "--env '$kv': not a variable name"
        if [[ $kv == *=* ]]; then
            printf 'export %s=%q\n' "$name" "${kv#*=}"
        else
            printf 'export %s=%q\n' "$name" "${!name-}"
        fi
    done
    gdir=$PWD
    if [[ $arch == arm64 ]]; then
        gdir=/host$PWD
        printf 'export LAB_HOST=/host LAB_ARCH=arm64 LAB_IO=/io\n'
    fi
    printf 'cd %q 2>/dev/null || { echo "lab: cannot cd to %q in the guest" >&2; exit 125; }\n' "$gdir" "$gdir"
    if ((shell)); then
        printf 'export TERM=%q\n' "${TERM:-vt100}"
        if size=$(stty size 2>/dev/null); then
            printf 'stty rows %d cols %d 2>/dev/null\n' "${size% *}" "${size#* }"
        fi
        if ((${#cmd[@]})); then
            printf '%q ' "${cmd[@]}"
            printf '\necho "lab: $? from %q"\n' "$scenario_name"
        fi
        printf 'echo "lab: shell in the guest (%s); exit or Ctrl-A X ends it"\n' "$kver"
        if [[ $arch == arm64 ]]; then printf 'exec sh -i\n'; else printf 'exec /bin/bash -i\n'; fi
    else
        printf 'exec '
        printf '%q ' "${cmd[@]}"
        printf '\n'
    fi
} >"$io/job.sh"
printf 'LAB_KERNEL=%q\nLAB_MODULES_DIR=%q\n' "$kver" "$mdir" >"$io/lab.conf"

cpu=qemu64
((nested)) && cpu=qemu64,+svm
mode=job
((shell)) && mode=shell
# no_timer_check: under TCG on a loaded host the 8254 timer can miss the kernel's boot-time
# check, and 5.10 then panics ("IO-APIC + timer doesn't work").
append="console=ttyS0,115200 quiet loglevel=4 panic=-1 rdinit=/init 8250.nr_uarts=1 no_timer_check"
append+=" lab.io=labio lab.root=hostroot lab.mode=$mode${LAB_APPEND:+ $LAB_APPEND}"
machine=()
if [[ $arch == arm64 ]]; then
    # -cpu max: every feature TCG emulates, with the cheap implementation-defined pointer
    # authentication instead of QARMA (several times faster under TCG). The host's root is
    # no root for an arm64 guest: it goes to /host (lab.host), the job runs in the initramfs.
    # --nested: the guest's kernel starts at EL2 with a GICv3 and runs KVM (VHE).
    cpu=max,pauth-impdef=on
    machine=(-machine virt)
    ((nested)) && machine=(-machine virt,virtualization=on,gic-version=3)
    append="console=ttyAMA0 quiet loglevel=4 panic=-1 rdinit=/init"
    append+=" lab.io=labio lab.root=none lab.host=hostroot lab.tty=ttyAMA0 lab.mode=$mode${LAB_APPEND:+ $LAB_APPEND}"
fi
qemu=("$qemu_bin" -nodefaults -no-user-config "${machine[@]}" -accel "tcg${LAB_TCG_THREAD:+,thread=$LAB_TCG_THREAD}" -cpu "$cpu" -m "$mem"
    -smp "$smp" -display none -no-reboot -kernel "$vmlinuz" -initrd "$initrd"
    -append "$append"
    -virtfs "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap"
    -virtfs "local,path=$io,mount_tag=labio,security_model=none,multidevs=remap")
if [[ -n ${LAB_QEMU_ARGS:-} ]]; then
    read -r -a extra_qemu_args <<<"$LAB_QEMU_ARGS"
    qemu+=("${extra_qemu_args[@]}")
fi

start=$SECONDS
if ((shell)); then
    log "booting $kver (shell; Ctrl-A X quits QEMU)"
    # signal=off: Ctrl-C goes to the guest's shell instead of ending QEMU.
    qemu+=(-chardev "stdio,id=con,mux=on,signal=off" -serial chardev:con -mon chardev=con)
    if ((timeout > 0)); then
        timeout --foreground -s KILL "$timeout" "${qemu[@]}"
    else
        "${qemu[@]}"
    fi
    rc=$?
    ((rc == 137)) && { log "time limit of $timeout s reached: QEMU killed"; exit 124; }
    [[ -f $io/status ]] && exit "$(<"$io/status")"
    exit "$rc"
fi

qemu+=(-serial "file:$console" -monitor none)
"${qemu[@]}" </dev/null >"$run_dir/qemu.out" 2>&1 &
qemu_pid=$!

# Stream the scenario's output from the io share, the console too with --console; watch the
# time limits; stop when QEMU exits.
# shellcheck disable=SC2034 # out_off, con_off: updated by name in flush
out_off=0 con_off=0 reason=""
flush() { # FILE OFFSET-VARIABLE
    local size
    size=$(stat -c %s "$1" 2>/dev/null) || return 0
    if ((size > ${!2})); then
        tail -c +"$((${!2} + 1))" "$1" | head -c "$((size - ${!2}))"
        printf -v "$2" '%s' "$size"
    fi
}
# $io/deadline, written by the guest: the seconds (counted from the file's host mtime) its
# current work may take; a guest past it has stopped making progress.
deadline_passed() {
    local budget written
    [[ -s $io/deadline ]] || return 1
    read -r budget <"$io/deadline" 2>/dev/null && [[ $budget =~ ^[0-9]+$ ]] || return 1
    written=$(stat -c %Y "$io/deadline" 2>/dev/null) || return 1
    ((${EPOCHREALTIME%.*} - written > budget))
}
while kill -0 "$qemu_pid" 2>/dev/null; do
    flush "$io/output" out_off
    ((show_console)) && flush "$console" con_off >&2
    elapsed=$((SECONDS - start))
    if [[ ! -e $io/booted ]] && ((elapsed >= LAB_BOOT_TIMEOUT)); then
        reason="boot"
        break
    fi
    if ((timeout > 0 && elapsed >= timeout)); then
        reason="timeout"
        break
    fi
    if deadline_passed; then
        reason="deadline"
        break
    fi
    sleep 0.2
done
if [[ -n $reason ]]; then
    kill -TERM "$qemu_pid" 2>/dev/null
    sleep 1
    kill -KILL "$qemu_pid" 2>/dev/null
fi
wait "$qemu_pid" 2>/dev/null
qemu_rc=$?
qemu_pid=""
flush "$io/output" out_off
((show_console)) && flush "$console" con_off >&2
elapsed=$((SECONDS - start))

console_tail() { # [LINES]
    if ((keep)); then
        log "last lines of the guest console ($console):"
    else
        log "last lines of the guest console (--keep keeps all of it):"
    fi
    tail -n "${1:-30}" "$console" | sed 's/^/  | /' >&2
    if [[ -s $run_dir/qemu.out ]]; then
        log "QEMU said:"
        sed 's/^/  | /' "$run_dir/qemu.out" >&2
    fi
}

if [[ $reason == timeout ]]; then
    log "$scenario_name on $kver: time limit of $timeout s reached: QEMU killed (exit 124)"
    ((show_console)) || console_tail
    exit 124
fi
if [[ $reason == deadline ]]; then
    log "$scenario_name on $kver: the guest went past its deadline ($(<"$io/deadline") s after $(date -r "$io/deadline" +%T)) without ending its work: QEMU killed (exit 124)"
    ((show_console)) || console_tail 200
    exit 124
fi
if [[ ! -e $io/booted ]]; then
    if [[ $reason == boot ]]; then
        log "$scenario_name on $kver: the guest did not boot within $LAB_BOOT_TIMEOUT s (no boot marker)"
    else
        log "$scenario_name on $kver: the guest did not boot (no boot marker; QEMU exit $qemu_rc)"
    fi
    console_tail
    exit 125
fi
if [[ ! -s $io/status ]]; then
    log "$scenario_name on $kver: the guest ended without an exit status after $elapsed s (kernel panic or the scenario powered it off?)"
    console_tail
    exit 125
fi
rc=$(<"$io/status")
[[ $rc =~ ^[0-9]+$ ]] || { log "bad status '$rc'"; exit 125; }
log "$scenario_name on $kver: exit $rc after $elapsed s"
exit "$rc"
