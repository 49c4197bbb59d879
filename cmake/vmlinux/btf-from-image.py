#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
# Writes the kernel's own BTF (what it serves as /sys/kernel/btf/vmlinux) out of its boot image,
# for generating vmlinux.h of another architecture without booting it:
#   btf-from-image.py VMLINUZ OUT.btf
# VMLINUZ is a raw or gzip-compressed image (Debian's arm64 vmlinuz is a gzipped Image). The
# .BTF section sits in the image as it is: a header (magic 0xeB9F, version 1, its length 24)
# and the type and string sections it describes. The largest consistent blob is the kernel's.
import gzip
import struct
import sys


def candidates(image):
    magic = struct.pack("<HBB", 0xEB9F, 1, 0)
    at = image.find(magic)
    while at >= 0:
        hdr = image[at:at + 24]
        if len(hdr) == 24:
            _, _, _, hdr_len, type_off, type_len, str_off, str_len = struct.unpack("<HBBIIIII", hdr)
            end = 24 + max(type_off + type_len, str_off + str_len)
            # Types first, strings after them, the string section starting with "\0".
            if (hdr_len == 24 and type_off == 0 and str_off == type_len and str_len > 0
                    and at + end <= len(image) and image[at + 24 + str_off] == 0):
                yield image[at:at + end]
        at = image.find(magic, at + 1)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: btf-from-image.py VMLINUZ OUT.btf")
    with open(sys.argv[1], "rb") as f:
        image = f.read()
    if image[:2] == b"\x1f\x8b":
        image = gzip.decompress(image)
    blobs = sorted(candidates(image), key=len)
    if not blobs:
        sys.exit(f"btf-from-image.py: no BTF in {sys.argv[1]} (CONFIG_DEBUG_INFO_BTF off?)")
    with open(sys.argv[2], "wb") as f:
        f.write(blobs[-1])
    print(f"btf-from-image.py: {len(blobs[-1])} bytes of BTF", file=sys.stderr)


main()
