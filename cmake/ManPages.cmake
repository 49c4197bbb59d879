# SPDX-License-Identifier: GPL-2.0-only
# Man pages: go-md2man turns each tool's docs/tools/<folder>/<tool>.md into build/man/<tool>.8,
# installed to share/man/man8 and packaged in the tool's RPM.
find_program(GO_MD2MAN go-md2man REQUIRED)
get_property(_tools GLOBAL PROPERTY BPFNET_TOOLS)
set(BPFNET_MAN_DIR ${CMAKE_BINARY_DIR}/man)
set(_man_pages "")
foreach(_tool IN LISTS _tools)
  get_property(_folder GLOBAL PROPERTY BPFNET_TOOL_FOLDER_${_tool})
  set(_doc ${CMAKE_SOURCE_DIR}/docs/tools/${_folder}/${_tool}.md)
  if(NOT EXISTS ${_doc})
    message(FATAL_ERROR "${_tool} has no doc page: write docs/tools/${_folder}/${_tool}.md")
  endif()
  set(_page ${BPFNET_MAN_DIR}/${_tool}.8)
  add_custom_command(
    OUTPUT ${_page}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${BPFNET_MAN_DIR}
    COMMAND ${GO_MD2MAN} -in ${_doc} -out ${_page}
    DEPENDS ${_doc}
    COMMENT "Man page ${_tool}.8"
    VERBATIM)
  list(APPEND _man_pages ${_page})
endforeach()
add_custom_target(man-pages ALL DEPENDS ${_man_pages})
install(FILES ${_man_pages} DESTINATION share/man/man8)
