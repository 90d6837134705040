# Install rules and the CMake package: `cmake --install` puts libopsgraph, libopsgraph_c, the
# public headers, opsgraph.pc and opsgraphConfig.cmake under a prefix, and
# `find_package(opsgraph CONFIG [COMPONENTS c postgres])` then gives consumers the targets
# opsgraph::opsgraph and opsgraph::c. The build tree carries the same package (see
# opsgraph_export_build_tree below); docs/cmake-package.md is the user's guide. Included from
# the top-level CMakeLists.txt before the targets exist; the rules themselves are written once
# the whole tree has been read.
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
  # The C library's own export set (installed by capi/): the config loads it when it exists.
  if(TARGET opsgraph_c)
    set(OPSGRAPH_PACKAGE_HAS_C TRUE)
    install(EXPORT opsgraph_cTargets
      NAMESPACE opsgraph::
      DESTINATION ${OPSGRAPH_INSTALL_CMAKEDIR}
      COMPONENT opsgraph_Development)
  else()
    set(OPSGRAPH_PACKAGE_HAS_C FALSE)
  endif()
  # The optional backends a consumer can require as components.
  if(OPSGRAPH_WITH_POSTGRES)
    set(OPSGRAPH_PACKAGE_HAS_POSTGRES TRUE)
  else()
    set(OPSGRAPH_PACKAGE_HAS_POSTGRES FALSE)
  endif()

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

  opsgraph_export_build_tree()
endfunction()

# The same package for the build tree: with -Dopsgraph_DIR=<this build directory>, another
# project's find_package(opsgraph CONFIG) uses the libraries where they were built and the
# headers where they are in the source tree, with no install step.
function(opsgraph_export_build_tree)
  set(build_dir "${opsgraph_BINARY_DIR}")
  export(EXPORT opsgraphTargets NAMESPACE opsgraph:: FILE "${build_dir}/opsgraphTargets.cmake")
  if(TARGET opsgraph_c)
    export(EXPORT opsgraph_cTargets NAMESPACE opsgraph::
      FILE "${build_dir}/opsgraph_cTargets.cmake")
  endif()
  # A static libopsgraph names its private link dependencies in its interface, and the build
  # tree keeps the header-only RapidJSON wrapper among them ($<BUILD_INTERFACE:...> is dropped
  # only from the installed export). It carries no library, only an include directory of this
  # machine, so the build tree exports it beside the library; the installed package never has
  # it.
  get_target_property(library_type opsgraph TYPE)
  if(library_type STREQUAL "STATIC_LIBRARY")
    export(TARGETS opsgraph_rapidjson NAMESPACE opsgraph::
      FILE "${build_dir}/opsgraphBuildTreeTargets.cmake")
  else()
    file(REMOVE "${build_dir}/opsgraphBuildTreeTargets.cmake")
  endif()

  configure_package_config_file(
    "${opsgraph_SOURCE_DIR}/cmake/opsgraphConfig.cmake.in"
    "${build_dir}/opsgraphConfig.cmake"
    INSTALL_DESTINATION "${build_dir}"
    INSTALL_PREFIX "${build_dir}")
  write_basic_package_version_file("${build_dir}/opsgraphConfigVersion.cmake"
    VERSION ${opsgraph_VERSION}
    COMPATIBILITY SameMajorVersion)
endfunction()

# At the end of the directory that included this file, when opsgraph and its final type
# (shared or static) are known.
cmake_language(DEFER CALL opsgraph_install_package)
