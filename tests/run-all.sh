#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The project's test command: installs what is missing, builds, and runs every test through
# CTest (labels unit, verifier, host-e2e, lab). Extra arguments go to ctest, e.g. -L unit.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/tests/install-deps.sh" --lab --lab-arm64

cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBPFNET_ARM64_BIN="$root/build-arm64/bin"
cmake --build "$root/build" -j "$(nproc)"
# The arm64 cross build (README, "arm64"): every tool static for aarch64; its objects are loaded
# on arm64 6.1 by lab.arm64.6.1.verifier (the rest of the arm64 lab is a separate command,
# tests/README.md, "arm64 lab").
cmake -S "$root" -B "$root/build-arm64" -DCMAKE_TOOLCHAIN_FILE="$root/cmake/toolchain-aarch64-linux-gnu.cmake"
cmake --build "$root/build-arm64" -j "$(nproc)"
if file "$root"/build-arm64/bin/* "$root/build-arm64/tests/bpf_verify" | grep -v 'ARM aarch64, .* statically linked'; then
    echo "Error: the arm64 build has executables that are not static aarch64 ones (above)" >&2
    exit 1
fi
# The unit tests also run under AddressSanitizer and UndefinedBehaviorSanitizer.
cmake -S "$root" -B "$root/build-asan" -DBPFNET_SANITIZE=ON
cmake --build "$root/build-asan" -j "$(nproc)"
ctest --test-dir "$root/build-asan" -L unit --output-on-failure

# Three at a time: the three lab kernels boot at once (one vCPU each; tests/README.md, "Time
# budget"), the other tests fill the slots around them; host-e2e tests are RUN_SERIAL.
ctest --test-dir "$root/build" --output-on-failure -j3 "$@"
