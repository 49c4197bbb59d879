# SPDX-License-Identifier: GPL-2.0-only
# Cross build for arm64 hosts with Debian's multiarch packages (tests/install-deps.sh --arm64:
# crossbuild-essential-arm64 and the :arm64 static libraries of libbpf, libelf, zlib, zstd):
#   cmake -S . -B build-arm64 -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-aarch64-linux-gnu.cmake
#   cmake --build build-arm64 -j2            # build-arm64/bin: static aarch64 executables
# The BPF objects are built by the host's clang for -D__TARGET_ARCH_arm64 against
# cmake/vmlinux/arm64/vmlinux.h; the skeletons by the host's bpftool (neither depends on the
# target). Only the verifier's loader (tests/bpf_verify) is built of the test suite: the other
# tests run the tools on the build machine.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu /usr/lib/aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
# pkg-config answers with the arm64 libraries' .pc files only.
set(ENV{PKG_CONFIG_LIBDIR} /usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig)
set(ENV{PKG_CONFIG_PATH} "")
