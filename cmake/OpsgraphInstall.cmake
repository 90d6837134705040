# Install rules and the CMake package: `cmake --install` puts libopsgraph, the public headers
# and opsgraphConfig.cmake under a prefix, and `find_package(opsgraph CONFIG)` then gives
# consumers the target opsgraph::opsgraph. Included from the top-level CMakeLists.txt before
# the targets exist; the rules themselves are written once the whole tree has been read.
if(NOT OPSGRAPH_INSTALL)
  return()
endif()

# Early, so that $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}> in src/ sees the value.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(OPSGRAPH_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/opsgraph"
    CACHE STRING "Where opsgraphConfig.cmake is installed, relative to the prefix")

function(opsgraph_install_package)
  get_target_property(library_type opsgraph TYPE)
  # A static libopsgraph hands its private dependencies to the consumer's link line, so the
  # config must find them again; a shared one keeps them inside. (The header-only RapidJSON
  # wrapper is linked as $<BUILD_INTERFACE:...>: nothing of it is installed or exported.)
  if(library_type STREQUAL "STATIC_LIBRARY")
    set(OPSGRAPH_PACKAGE_STATIC ON)
  else()
    set(OPSGRAPH_PACKAGE_STATIC OFF)
  endif()

  install(TARGETS opsgraph
    EXPORT opsgraphTargets
    RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT opsgraph_Runtime
    LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT opsgraph_Runtime
            NAMELINK_COMPONENT opsgraph_Development
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT opsgraph_Development)

  # The public include tree is the API: all of it, plus the generated export macros.
  install(DIRECTORY "${opsgraph_SOURCE_DIR}/include/opsgraph"
    DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
    COMPONENT opsgraph_Development
    FILES_MATCHING PATTERN "*.hpp" PATTERN "*.h")
  install(FILES "${opsgraph_BINARY_DIR}/include/opsgraph/export.hpp"
    DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/opsgraph
    COMPONENT opsgraph_Development)

  # The default rules (and later prompts and schemas) are compiled into the library; the files
  # are installed too, as the starting point for an operator's own copies.
  install(DIRECTORY "${opsgraph_SOURCE_DIR}/data/"
    DESTINATION ${CMAKE_INSTALL_DATADIR}/opsgraph
    COMPONENT opsgraph_Runtime)

  install(EXPORT opsgraphTargets
    NAMESPACE opsgraph::
    DESTINATION ${OPSGRAPH_INSTALL_CMAKEDIR}
    COMPONENT opsgraph_Development)

  set(package_dir "${opsgraph_BINARY_DIR}/package")
  configure_package_config_file(
    "${opsgraph_SOURCE_DIR}/cmake/opsgraphConfig.cmake.in"
    "${package_dir}/opsgraphConfig.cmake"
    INSTALL_DESTINATION ${OPSGRAPH_INSTALL_CMAKEDIR})
  write_basic_package_version_file("${package_dir}/opsgraphConfigVersion.cmake"
    VERSION ${opsgraph_VERSION}
    COMPATIBILITY SameMajorVersion)
  install(FILES "${package_dir}/opsgraphConfig.cmake" "${package_dir}/opsgraphConfigVersion.cmake"
    DESTINATION ${OPSGRAPH_INSTALL_CMAKEDIR}
    COMPONENT opsgraph_Development)
endfunction()

# At the end of the directory that included this file, when opsgraph and its final type
# (shared or static) are known.
cmake_language(DEFER CALL opsgraph_install_package)
