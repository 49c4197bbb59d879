# SPDX-License-Identifier: GPL-2.0-only
# Builds the suite's tools: one BPF object per kernel-feature variant, a skeleton for each,
# and one executable per tool.
find_program(BPF_CLANG NAMES clang-14 clang REQUIRED)
find_program(BPFTOOL NAMES bpftool REQUIRED PATHS /usr/sbin /usr/local/sbin)
find_program(BPF_OBJCOPY NAMES llvm-objcopy-14 llvm-objcopy REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(LIBBPF REQUIRED libbpf)

if(CMAKE_SYSTEM_PROCESSOR MATCHES "x86_64|AMD64")
  set(BPF_TARGET_ARCH x86)
  set(BPF_VMLINUX_DIR ${CMAKE_SOURCE_DIR}/cmake/vmlinux/x86_64)
elseif(CMAKE_SYSTEM_PROCESSOR MATCHES "aarch64|arm64")
  set(BPF_TARGET_ARCH arm64)
  set(BPF_VMLINUX_DIR ${CMAKE_SOURCE_DIR}/cmake/vmlinux/arm64)
else()
  message(FATAL_ERROR "unsupported architecture ${CMAKE_SYSTEM_PROCESSOR}")
endif()
if(NOT EXISTS ${BPF_VMLINUX_DIR}/vmlinux.h)
  message(FATAL_ERROR "no vmlinux.h for ${CMAKE_SYSTEM_PROCESSOR} in ${BPF_VMLINUX_DIR} (see README: generated headers)")
endif()

# Each function and object in its own section, so the linker drops what no tool calls (most of
# common/ for any one tool, and what the static libraries built that way leave unused).
add_compile_options(-ffunction-sections -fdata-sections)
add_link_options(-Wl,--gc-sections)

if(BPFNET_STATIC)
  # elfutils >= 0.187 needs zstd when linked statically.
  set(BPFNET_LINK_LIBS bpf elf z zstd)
else()
  set(BPFNET_LINK_LIBS bpf elf z)
endif()

# Variants of each BPF object: "modern" delivers events through the BPF ring buffer (5.8+),
# "legacy" through a perf buffer and stays within what 4.19 accepts.
set(BPFNET_BPF_VARIANTS modern legacy)
set(BPFNET_EMBED_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/BpfEmbed.cmake)
set_property(GLOBAL PROPERTY BPFNET_BPF_OBJECTS "")
set_property(GLOBAL PROPERTY BPFNET_TOOLS "")

# bpfnet_bpf_object(<name> <source> <out-dir>): compiles <source> into <out-dir>/<name>.<variant>.bpf.o
# and generates <out-dir>/<name>.skel.h, which declares the skeleton <cname>_bpf and the legacy bytes.
function(bpfnet_bpf_object name source outdir)
  string(REPLACE "-" "_" cname ${name})
  set(skels "")
  set(includes "")
  set(registers "")
  foreach(variant ${BPFNET_BPF_VARIANTS})
    set(obj ${outdir}/${name}.${variant}.bpf.o)
    set(skel ${outdir}/${name}.${variant}.skel.h)
    if(variant STREQUAL "legacy")
      set(defs -DBPFNET_LEGACY)
      set(skelname ${cname}_bpf_legacy)
    else()
      set(defs "")
      set(skelname ${cname}_bpf)
    endif()
    # clang -g emits the BTF (types for CO-RE, line info for verifier logs) and DWARF; the
    # DWARF (80 % of the object) is of no use once loaded. bpftool's static linker keeps .BTF
    # and .BTF.ext and drops the rest (DWARF, relocations of the BTF sections), so the
    # skeleton embeds the small object; <obj>.dbg keeps the compiler's output for debugging.
    # clang also leaves a local symbol per branch target (LBB<f>_<n>: 2 800 of the 2 850
    # symbols of the largest object, 95 KB of .symtab and .strtab, 20 KB compressed) that no
    # relocation, libbpf or the verifier log uses: llvm-objcopy removes them (it refuses to
    # remove a symbol a relocation names).
    add_custom_command(
      OUTPUT ${obj}
      COMMAND ${BPF_CLANG} -g -O2 -target bpf -D__TARGET_ARCH_${BPF_TARGET_ARCH} ${defs}
              -Wall -Werror -Wno-unused-function
              -I${BPF_VMLINUX_DIR} -I${CMAKE_SOURCE_DIR}/common/bpf -I${CMAKE_SOURCE_DIR}/common
              -I${CMAKE_CURRENT_SOURCE_DIR}
              -MD -MF ${obj}.d -MT ${obj} -c ${source} -o ${obj}.dbg
      COMMAND ${BPFTOOL} gen object ${obj} ${obj}.dbg
      COMMAND ${BPF_OBJCOPY} --wildcard --strip-symbol=LBB* ${obj}
      DEPFILE ${obj}.d
      DEPENDS ${source}
      COMMENT "BPF ${name} (${variant})"
      VERBATIM)
    # The skeleton embeds the object gzip-compressed (4-6x smaller; bpfload_open() inflates it):
    # bpftool's skeleton, with its __elf_bytes() rewritten by cmake/BpfEmbed.cmake.
    add_custom_command(
      OUTPUT ${skel}
      COMMAND ${BPFTOOL} gen skeleton ${obj} name ${skelname} > ${skel}.bpftool
      COMMAND ${CMAKE_COMMAND} -DOBJ=${obj} -DSKEL_IN=${skel}.bpftool -DSKEL_OUT=${skel} -DNAME=${skelname}
              -P ${BPFNET_EMBED_SCRIPT}
      DEPENDS ${obj} ${BPFNET_EMBED_SCRIPT}
      VERBATIM)
    list(APPEND skels ${skel})
    set_property(GLOBAL APPEND PROPERTY BPFNET_BPF_OBJECTS ${obj})
    string(APPEND includes "#include \"${name}.${variant}.skel.h\"\n")
    string(APPEND registers "\tversion_add_bpf_object(\"${name}\", \"${variant}\", ${skelname}__elf_bytes);\n")
  endforeach()
  # The executable that embeds the objects lists them in --version (common/version.h).
  file(WRITE ${outdir}/${name}.skel.h.in
    "#pragma once\n${includes}#include \"version.h\"\n"
    "__attribute__((constructor)) static void ${cname}_bpf_register_version(void)\n{\n${registers}}\n")
  configure_file(${outdir}/${name}.skel.h.in ${outdir}/${name}.skel.h COPYONLY)
  set(${name}_SKELETONS ${skels} PARENT_SCOPE)
endfunction()

# bpfnet_tool_executable(<name> [sources...]): <name>.c (+ sources) of the current folder become
# build/bin/<name>, and <name>_logic, the same code with main() renamed, for the unit tests.
function(bpfnet_tool_executable name)
  set(outdir ${CMAKE_BINARY_DIR}/gen/${name})
  string(REPLACE "-" "_" cname ${name})
  add_library(${name}_logic STATIC ${name}.c ${ARGN})
  target_compile_definitions(${name}_logic PRIVATE main=${cname}_main)
  target_include_directories(${name}_logic PUBLIC ${outdir} ${CMAKE_CURRENT_SOURCE_DIR})
  target_link_libraries(${name}_logic PUBLIC bpfnet_common)
  file(WRITE ${outdir}/main.c.in
    "int ${cname}_main(int argc, char **argv);\nint main(int argc, char **argv) { return ${cname}_main(argc, argv); }\n")
  configure_file(${outdir}/main.c.in ${outdir}/main.c COPYONLY)
  add_executable(${name} ${outdir}/main.c)
  target_link_libraries(${name} PRIVATE ${name}_logic)
  if(BPFNET_STATIC)
    target_link_options(${name} PRIVATE -static)
  endif()
  install(TARGETS ${name} RUNTIME DESTINATION bin)
  set_property(GLOBAL APPEND PROPERTY BPFNET_TOOLS ${name})
  file(RELATIVE_PATH folder ${CMAKE_SOURCE_DIR} ${CMAKE_CURRENT_SOURCE_DIR})
  set_property(GLOBAL PROPERTY BPFNET_TOOL_FOLDER_${name} ${folder})
endfunction()

# bpfnet_add_tool(<name> [sources...]): <name>.c + <name>.bpf.c in the current folder (+ the
# tool's extra files, e.g. <name>_output.c, or the folder's shared sources such as a stage
# model) become build/bin/<name>.
function(bpfnet_add_tool name)
  set(outdir ${CMAKE_BINARY_DIR}/gen/${name})
  file(MAKE_DIRECTORY ${outdir})
  bpfnet_bpf_object(${name} ${CMAKE_CURRENT_SOURCE_DIR}/${name}.bpf.c ${outdir})
  bpfnet_tool_executable(${name} ${ARGN} ${${name}_SKELETONS})
endfunction()

# bpfnet_add_plain_tool(<name> [sources...]): a tool with no BPF side of its own (a controller that runs
# the suite's other tools), built, tested and packaged like the others.
function(bpfnet_add_plain_tool name)
  file(MAKE_DIRECTORY ${CMAKE_BINARY_DIR}/gen/${name})
  bpfnet_tool_executable(${name} ${ARGN})
endfunction()
