# SPDX-License-Identifier: GPL-2.0-only
# Release artifacts of the tools registered by bpfnet_add_tool:
#   rpm:  bpfnet-tools.spec, one subpackage per tool, bpfnet-<module>-<tool> (its executable,
#         man page and bash completion; <module> is the tool's top folder, so that
#         `dnf install 'bpfnet-ovs-*'` installs a module), and the metapackage bpfnet-tools
#         that requires them all. The dist tag is -DBPFNET_RPM_DIST (.oe1, .oe2203, .el7, .el8).
#   dist: build/dist/bpfnet-tools-<version>-<arch>.tar.gz (cmake/dist.sh).
find_program(RPMBUILD rpmbuild)
get_property(_tools GLOBAL PROPERTY BPFNET_TOOLS)
list(SORT _tools)

set(BPFNET_RPM_DIST ".oe1" CACHE STRING "RPM dist tag: .oe1 (openEuler 20.03), .oe2203, .el7, .el8")
set_property(CACHE BPFNET_RPM_DIST PROPERTY STRINGS .oe1 .oe2203 .el7 .el8)
if(NOT BPFNET_RPM_DIST MATCHES "^\\.[a-z0-9_]+$")
  message(FATAL_ERROR "BPFNET_RPM_DIST='${BPFNET_RPM_DIST}': a dist tag such as .oe1, .oe2203, .el7 or .el8")
endif()

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
set(RPM_INSTALL_LIST "")
set(BPFNET_DIST_LIST "")
foreach(_tool IN LISTS _tools)
  get_property(_folder GLOBAL PROPERTY BPFNET_TOOL_FOLDER_${_tool})
  string(REGEX REPLACE "/.*" "" _module "${_folder}")
  set(_pkg bpfnet-${_module}-${_tool})
  string(APPEND RPM_ALL_REQUIRES "Requires:       ${_pkg} = %{version}-%{release}\n")
  string(APPEND RPM_INSTALL_LIST "${_tool}\n")
  string(APPEND BPFNET_DIST_LIST "${_tool} ${_folder}\n")
  set(_completion "")
  if(BPFNET_HAS_COMPLETION)
    set(_completion "%{_datadir}/bash-completion/completions/${_tool}\n")
  endif()
  string(APPEND RPM_SUBPACKAGES
    "%package -n ${_pkg}\n"
    "Summary:        ${_folder}/${_tool}, a static eBPF troubleshooting tool\n"
    "Group:          bpfnet-tools/${_module}\n"
    "Provides:       bpfnet-${_tool} = %{version}-%{release}\n"
    "AutoReqProv:    no\n"
    "%description -n ${_pkg}\n"
    "The ${_tool} tool of bpfnet-tools (${_folder}), statically linked: it needs no library.\n"
    "%files -n ${_pkg}\n"
    "%{_bindir}/${_tool}\n"
    "%{_mandir}/man8/${_tool}.8*\n"
    "${_completion}\n")
endforeach()
set(RPM_WITH_COMPLETION 0)
if(BPFNET_HAS_COMPLETION)
  set(RPM_WITH_COMPLETION 1)
endif()
configure_file(${CMAKE_SOURCE_DIR}/cmake/bpfnet-tools.spec.in ${CMAKE_BINARY_DIR}/rpm/bpfnet-tools.spec @ONLY)
file(CONFIGURE OUTPUT ${CMAKE_BINARY_DIR}/rpm/tools.txt CONTENT "${RPM_INSTALL_LIST}")
file(CONFIGURE OUTPUT ${CMAKE_BINARY_DIR}/dist/tools.txt CONTENT "${BPFNET_DIST_LIST}")

if(RPMBUILD)
  # RPMS/ is emptied first: a renamed or removed tool leaves no stale package behind.
  add_custom_target(rpm
    COMMAND ${CMAKE_COMMAND} -E rm -rf ${CMAKE_BINARY_DIR}/rpm/RPMS ${CMAKE_BINARY_DIR}/rpm/BUILDROOT
    COMMAND ${RPMBUILD} -bb --nodeps --quiet ${RPM_TARGET_ARGS}
            --define "_topdir ${CMAKE_BINARY_DIR}/rpm"
            --define "bindir_src ${CMAKE_BINARY_DIR}/bin"
            --define "mandir_src ${BPFNET_MAN_DIR}"
            --define "completion_src ${BPFNET_COMPLETION_DIR}"
            --define "tools_list ${CMAKE_BINARY_DIR}/rpm/tools.txt"
            --define "dist ${BPFNET_RPM_DIST}"
            --define "strip_prog ${CMAKE_STRIP}"
            ${CMAKE_BINARY_DIR}/rpm/bpfnet-tools.spec
    DEPENDS ${_tools}
    COMMENT "Building RPMs (dist ${BPFNET_RPM_DIST}) in ${CMAKE_BINARY_DIR}/rpm/RPMS"
    VERBATIM)
  add_dependencies(rpm man-pages completion)
endif()

add_custom_target(dist
  COMMAND ${CMAKE_SOURCE_DIR}/cmake/dist.sh ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR}
          ${PROJECT_VERSION} ${RPM_ARCH} ${CMAKE_BINARY_DIR}/dist/tools.txt ${CMAKE_STRIP}
  DEPENDS ${_tools}
  COMMENT "Tarball ${CMAKE_BINARY_DIR}/dist/bpfnet-tools-${PROJECT_VERSION}-${RPM_ARCH}.tar.gz"
  VERBATIM)
add_dependencies(dist man-pages completion)
