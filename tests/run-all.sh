#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The project's test command: installs what is missing, builds, and runs every test through
# CTest (labels unit, verifier, host-e2e, lab). Extra arguments go to ctest, e.g. -L unit.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/tests/install-deps.sh" --lab

cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$root/build" -j "$(nproc)"
# The unit tests also run under AddressSanitizer and UndefinedBehaviorSanitizer.
cmake -S "$root" -B "$root/build-asan" -DBPFNET_SANITIZE=ON
cmake --build "$root/build-asan" -j "$(nproc)"
ctest --test-dir "$root/build-asan" -L unit --output-on-failure

# Three at a time: the three lab kernels boot at once (one vCPU each; tests/README.md, "Time
# budget"), the other tests fill the slots around them; host-e2e tests are RUN_SERIAL.
ctest --test-dir "$root/build" --output-on-failure -j3 "$@"
