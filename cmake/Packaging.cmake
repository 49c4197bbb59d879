# SPDX-License-Identifier: GPL-2.0-only
# RPM packaging: bpfnet-tools.spec with one subpackage per tool registered by bpfnet_add_tool
# (its executable and its man page).
find_program(RPMBUILD rpmbuild)
get_property(_tools GLOBAL PROPERTY BPFNET_TOOLS)
list(SORT _tools)

if(CMAKE_SYSTEM_PROCESSOR MATCHES "x86_64|AMD64")
  set(RPM_ARCH x86_64)
else()
  set(RPM_ARCH aarch64)
endif()
# A cross build (cmake/toolchain-aarch64-linux-gnu.cmake) packages for the target with
# rpmbuild --target: a BuildArch the build machine cannot run is refused ("No compatible
# architectures found for build"), so the spec names none then.
set(RPM_TARGET_ARGS "")
set(RPM_BUILDARCH "BuildArch:      ${RPM_ARCH}")
if(CMAKE_CROSSCOMPILING)
  set(RPM_TARGET_ARGS --target ${RPM_ARCH}-linux)
  set(RPM_BUILDARCH "")
endif()
set(RPM_SUBPACKAGES "")
set(RPM_ALL_REQUIRES "")
string(REPLACE ";" " " RPM_TOOLS "${_tools}")
foreach(_tool IN LISTS _tools)
  get_property(_folder GLOBAL PROPERTY BPFNET_TOOL_FOLDER_${_tool})
  string(APPEND RPM_ALL_REQUIRES " bpfnet-${_tool} = %{version}-%{release}")
  string(APPEND RPM_SUBPACKAGES
    "%package -n bpfnet-${_tool}\n"
    "Summary: ${_folder}/${_tool}, a static eBPF troubleshooting tool\n"
    "%description -n bpfnet-${_tool}\n"
    "The ${_tool} tool of bpfnet-tools (${_folder}), statically linked: copy it onto a host and run it as root.\n"
    "%files -n bpfnet-${_tool}\n"
    "%{_bindir}/${_tool}\n"
    "%{_mandir}/man8/${_tool}.8*\n\n")
endforeach()
configure_file(${CMAKE_SOURCE_DIR}/cmake/bpfnet-tools.spec.in ${CMAKE_BINARY_DIR}/rpm/bpfnet-tools.spec @ONLY)

if(RPMBUILD)
  add_custom_target(rpm
    COMMAND ${RPMBUILD} -bb --nodeps --quiet ${RPM_TARGET_ARGS}
            --define "_topdir ${CMAKE_BINARY_DIR}/rpm"
            --define "bindir_src ${CMAKE_BINARY_DIR}/bin"
            --define "mandir_src ${BPFNET_MAN_DIR}"
            --define "dist .oe1"
            ${CMAKE_BINARY_DIR}/rpm/bpfnet-tools.spec
    DEPENDS ${_tools}
    COMMENT "Building RPMs in ${CMAKE_BINARY_DIR}/rpm/RPMS"
    VERBATIM)
  add_dependencies(rpm man-pages)
endif()
