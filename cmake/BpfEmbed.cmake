# SPDX-License-Identifier: GPL-2.0-only
# cmake -DOBJ=<x.bpf.o> -DSKEL_IN=<bpftool skeleton> -DSKEL_OUT=<skeleton> -DNAME=<skeleton name>
#       -P BpfEmbed.cmake
# Rewrites the skeleton `bpftool gen skeleton` wrote for OBJ so that it embeds OBJ compressed:
# only its <NAME>__elf_bytes() changes, which returns a gzip stream (DEFLATE at level 9, mtime
# zeroed so that a build is reproducible; the trailer holds the object's size) instead of the
# object. bpfload_open() (common/bpfload.c) inflates it before libbpf opens the object
# (common/zobj.h); the rest of the skeleton (maps, programs, sections) is bpftool's.
foreach(v OBJ SKEL_IN SKEL_OUT NAME)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "BpfEmbed.cmake: ${v} is not set")
  endif()
endforeach()

# The object compressed (cmake's libarchive: zlib's DEFLATE in a gzip container).
set(gz ${SKEL_OUT}.gz)
file(ARCHIVE_CREATE OUTPUT ${gz} PATHS ${OBJ} FORMAT raw COMPRESSION GZip COMPRESSION_LEVEL 9)
file(READ ${gz} hex HEX)
file(REMOVE ${gz})
# Bytes 4-7 of the gzip header are the file's mtime: zero them.
string(SUBSTRING "${hex}" 0 8 head)
string(SUBSTRING "${hex}" 16 -1 tail)
set(hex "${head}00000000${tail}")
string(LENGTH "${hex}" hexlen)
math(EXPR zsize "${hexlen} / 2")
file(SIZE ${OBJ} rawsize)
# As a C array, 16 bytes a line.
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REPEAT "0x..," 16 line)
string(REGEX REPLACE "(${line})" "\\1\n\t\t" bytes "${bytes}")
string(REGEX REPLACE "[\n\t]+$" "" bytes "${bytes}")

file(READ ${SKEL_IN} skel)
set(decl "static inline const void *${NAME}__elf_bytes(size_t *sz)\n{\n")
string(FIND "${skel}" "${decl}" begin)
if(begin EQUAL -1)
  message(FATAL_ERROR "BpfEmbed.cmake: no ${NAME}__elf_bytes() definition in ${SKEL_IN}")
endif()
string(SUBSTRING "${skel}" 0 ${begin} before)
string(SUBSTRING "${skel}" ${begin} -1 rest)
# bpftool ends the function with the string literal's end: `";` then `}`.
string(FIND "${rest}" "\";\n}\n" end)
if(end EQUAL -1)
  message(FATAL_ERROR "BpfEmbed.cmake: cannot find the end of ${NAME}__elf_bytes() in ${SKEL_IN}")
endif()
math(EXPR end "${end} + 5")
string(SUBSTRING "${rest}" ${end} -1 after)

set(func "${decl}\t/* ${rawsize}-byte BPF object, gzip-compressed (cmake/BpfEmbed.cmake) */
\tstatic const unsigned char z[${zsize}] = {
\t\t${bytes}
\t};

\t*sz = sizeof(z);
\treturn z;
}
")
file(WRITE ${SKEL_OUT}.tmp "${before}${func}${after}")
file(RENAME ${SKEL_OUT}.tmp ${SKEL_OUT})
