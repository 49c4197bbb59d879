# SPDX-License-Identifier: GPL-2.0-only
# Bash completion: each tool writes its own script from its option table (the hidden
# --bash-completion of common/argparse.h) into build/completion/<tool>; installed to
# share/bash-completion/completions/, packaged in the tool's RPM and in the dist tarball.
# A cross build cannot run its tools: it takes the scripts of a native build of the same
# sources (-DBPFNET_COMPLETION_FROM=<native build>/completion; the option tables do not depend
# on the architecture), or has none.
get_property(_tools GLOBAL PROPERTY BPFNET_TOOLS)
set(BPFNET_COMPLETION_DIR ${CMAKE_BINARY_DIR}/completion)
set(BPFNET_COMPLETION_FROM "" CACHE PATH "completion/ of a native build, for a cross build's packages")
set(BPFNET_HAS_COMPLETION ON)
if(CMAKE_CROSSCOMPILING AND NOT BPFNET_COMPLETION_FROM)
  set(BPFNET_HAS_COMPLETION OFF)
endif()
set(_scripts "")
foreach(_tool IN LISTS _tools)
  set(_script ${BPFNET_COMPLETION_DIR}/${_tool})
  if(CMAKE_CROSSCOMPILING)
    if(NOT BPFNET_COMPLETION_FROM)
      continue()
    endif()
    add_custom_command(
      OUTPUT ${_script}
      COMMAND ${CMAKE_COMMAND} -E copy ${BPFNET_COMPLETION_FROM}/${_tool} ${_script}
      DEPENDS ${BPFNET_COMPLETION_FROM}/${_tool}
      VERBATIM)
  else()
    add_custom_command(
      OUTPUT ${_script}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${BPFNET_COMPLETION_DIR}
      COMMAND sh -c "\"$1\" --bash-completion > \"$2.tmp\" && mv \"$2.tmp\" \"$2\"" sh
              $<TARGET_FILE:${_tool}> ${_script}
      DEPENDS ${_tool}
      COMMENT "Bash completion ${_tool}"
      VERBATIM)
  endif()
  list(APPEND _scripts ${_script})
endforeach()
add_custom_target(completion ALL DEPENDS ${_scripts})
if(_scripts)
  install(FILES ${_scripts} DESTINATION share/bash-completion/completions)
endif()
