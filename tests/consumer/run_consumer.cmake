# Runs one consumer project as its user would: gets opsgraph (installs it into a fresh prefix,
# builds a static one, or configures one whose build tree is the package), checks the installed
# tree, configures and builds the project from scratch, and runs its program.
#
# cmake -DWORK_DIR=<dir> -DOPSGRAPH_SOURCE_DIR=<dir> -DGENERATOR=<name> -DCXX=<compiler>
#       [-DCC=<compiler>] [-DLAUNCHER=ccache] [-DVERSION=<opsgraph version>]
#   where opsgraph comes from (one of):
#       [-DINSTALL_FROM=<build dir> [-DCONFIG=<cfg>]]   installed from an existing build
#       [-DBUILD_STATIC=ON]                             a static build made here, installed
#                                                       (and then used as a build tree too)
#       [-DOPSGRAPH_DIR=<build dir>]                    an existing build tree, not installed
#       [-DCONFIGURE_OPSGRAPH=<-DX=Y,...>]              a build tree configured here, not built
#   what is done with it:
#       [-DPROJECT=<dir>]           the consumer project (none: only the install is checked)
#       [-DPKG_CONFIG=ON]           compile <PROJECT>/main.c with pkg-config's flags, no CMake
#       [-DCOMPONENTS=<a,b>]        passed to the project as OPSGRAPH_COMPONENTS
#       [-DRELOCATE=ON]             install elsewhere, then move the tree to the prefix used
#       [-DHIDE_PRIVATE_DEPS=ON]    private dependencies made unfindable
#       [-DNOT_NEEDED=<soname>]     the program must not link this library directly
#       [-DEXPECT_ERROR=<regex>]    configuring the project must fail with this message
#   -P run_consumer.cmake
cmake_minimum_required(VERSION 3.25)

foreach(required WORK_DIR OPSGRAPH_SOURCE_DIR GENERATOR CXX)
  if(NOT DEFINED ${required})
    message(FATAL_ERROR "run_consumer.cmake: -D${required}=... is required")
  endif()
endforeach()
include(${CMAKE_CURRENT_LIST_DIR}/install_layout.cmake)

set(prefix "${WORK_DIR}/prefix")
set(consumer_build "${WORK_DIR}/consumer")
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")

# What a user's machine would pass: the same compilers and generator, opsgraph's own tests,
# benchmarks, examples and apps off.
set(common_args -G "${GENERATOR}" "-DCMAKE_CXX_COMPILER=${CXX}" --no-warn-unused-cli)
if(CC)
  list(APPEND common_args "-DCMAKE_C_COMPILER=${CC}")
endif()
if(LAUNCHER)
  list(APPEND common_args "-DCMAKE_CXX_COMPILER_LAUNCHER=${LAUNCHER}"
       "-DCMAKE_C_COMPILER_LAUNCHER=${LAUNCHER}")
endif()
set(opsgraph_args -DOPSGRAPH_BUILD_TESTS=OFF -DOPSGRAPH_BUILD_BENCH=OFF
    -DOPSGRAPH_BUILD_EXAMPLES=OFF -DOPSGRAPH_BUILD_APPS=OFF)

function(run)
  execute_process(COMMAND ${ARGN} COMMAND_ECHO STDOUT COMMAND_ERROR_IS_FATAL ANY)
endfunction()

# Installs a build of configuration <config> (may be empty) into the prefix (through a staging
# directory moved into place when RELOCATE is on, so nothing may remember where it was
# installed), then checks the installed tree.
function(install_opsgraph build_dir config)
  set(install_prefix "${prefix}")
  if(RELOCATE)
    set(install_prefix "${WORK_DIR}/staging")
  endif()
  set(config_args)
  if(config)
    set(config_args --config "${config}")
  endif()
  run("${CMAKE_COMMAND}" --install "${build_dir}" ${config_args} --prefix "${install_prefix}")
  opsgraph_check_install_layout("${install_prefix}" VERSION "${VERSION}"
    FORBIDDEN_PATHS "${OPSGRAPH_SOURCE_DIR}" "${build_dir}")
  if(RELOCATE)
    file(RENAME "${install_prefix}" "${prefix}")
  endif()
endfunction()

set(consumer_args "-DOPSGRAPH_SOURCE_DIR=${OPSGRAPH_SOURCE_DIR}"
    -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF)
if(INSTALL_FROM)
  install_opsgraph("${INSTALL_FROM}" "${CONFIG}")
  list(APPEND consumer_args "-DCMAKE_PREFIX_PATH=${prefix}")
elseif(BUILD_STATIC)
  set(static_build "${WORK_DIR}/opsgraph-static")
  run("${CMAKE_COMMAND}" -S "${OPSGRAPH_SOURCE_DIR}" -B "${static_build}" ${common_args}
      ${opsgraph_args} -DBUILD_SHARED_LIBS=OFF -DOPSGRAPH_INSTALL=ON)
  run("${CMAKE_COMMAND}" --build "${static_build}" -j 2)
  install_opsgraph("${static_build}" "")
  list(APPEND consumer_args "-DCMAKE_PREFIX_PATH=${prefix}")
elseif(DEFINED CONFIGURE_OPSGRAPH)
  # The package of a build tree exists once it is configured: enough for a configure step.
  set(OPSGRAPH_DIR "${WORK_DIR}/opsgraph")
  string(REPLACE "," ";" extra_args "${CONFIGURE_OPSGRAPH}")
  run("${CMAKE_COMMAND}" -S "${OPSGRAPH_SOURCE_DIR}" -B "${OPSGRAPH_DIR}" ${common_args}
      ${opsgraph_args} -DOPSGRAPH_INSTALL=ON ${extra_args})
endif()
if(OPSGRAPH_DIR)
  # Only the build tree: the prefix stays empty, so nothing else can be found.
  list(APPEND consumer_args "-Dopsgraph_DIR=${OPSGRAPH_DIR}" "-DCMAKE_PREFIX_PATH=${prefix}")
endif()
if(NOT PROJECT)
  return()
endif()

if(COMPONENTS)
  string(REPLACE "," ";" components "${COMPONENTS}")
  list(APPEND consumer_args "-DOPSGRAPH_COMPONENTS=${components}")
endif()
if(HIDE_PRIVATE_DEPS)
  # A shared libopsgraph keeps its private dependencies to itself: the package must not look
  # for them, so they are made unfindable here.
  foreach(private simdjson RapidJSON SQLite3 CURL OpenSSL ICU)
    list(APPEND consumer_args "-DCMAKE_DISABLE_FIND_PACKAGE_${private}=ON")
  endforeach()
endif()

set(program "${consumer_build}/opsgraph_consumer")
if(PKG_CONFIG)
  # As a Makefile, cgo or a distribution's build would: only the flags opsgraph.pc gives, with
  # the library directory as the program's run path.
  find_program(pkg_config NAMES pkg-config pkgconf REQUIRED)
  set(ENV{PKG_CONFIG_PATH} "${prefix}/lib/pkgconfig")
  foreach(query modversion cflags libs libdir)
    set(option --${query})
    if(query STREQUAL "libdir")
      set(option --variable=libdir)
    endif()
    execute_process(COMMAND "${pkg_config}" ${option} opsgraph OUTPUT_VARIABLE pc_${query}
                    OUTPUT_STRIP_TRAILING_WHITESPACE COMMAND_ERROR_IS_FATAL ANY)
    message(STATUS "pkg-config ${option} opsgraph: ${pc_${query}}")
  endforeach()
  get_filename_component(real_prefix "${prefix}" REALPATH)
  get_filename_component(real_libdir "${pc_libdir}" REALPATH)
  if(NOT pc_modversion STREQUAL VERSION OR NOT real_libdir STREQUAL "${real_prefix}/lib")
    message(FATAL_ERROR "opsgraph.pc says version ${pc_modversion} (expected ${VERSION}) and "
                        "libdir ${pc_libdir} (expected ${prefix}/lib)")
  endif()
  separate_arguments(cflags UNIX_COMMAND "${pc_cflags}")
  separate_arguments(libs UNIX_COMMAND "${pc_libs}")
  file(MAKE_DIRECTORY "${consumer_build}")
  run("${CC}" -std=c99 -Wall -Wextra -Wpedantic -Werror ${cflags} "${PROJECT}/main.c"
      -o "${program}" ${libs} "-Wl,-rpath,${pc_libdir}")
else()
  if(EXPECT_ERROR)
    execute_process(COMMAND "${CMAKE_COMMAND}" -S "${PROJECT}" -B "${consumer_build}"
                            ${common_args} ${opsgraph_args} ${consumer_args}
                    RESULT_VARIABLE failed OUTPUT_VARIABLE out ERROR_VARIABLE err)
    string(REGEX REPLACE "[ \t\r\n]+" " " said "${out} ${err}")
    if(NOT failed OR NOT said MATCHES "${EXPECT_ERROR}")
      message(FATAL_ERROR "configuring ${PROJECT} was expected to fail with '${EXPECT_ERROR}'; "
                          "it ${failed} and said:\n${out}\n${err}")
    endif()
    message(STATUS "configuring ${PROJECT} failed as expected:\n${out}\n${err}")
    return()
  endif()
  run("${CMAKE_COMMAND}" -S "${PROJECT}" -B "${consumer_build}" ${common_args} ${opsgraph_args}
      ${consumer_args})
  run("${CMAKE_COMMAND}" --build "${consumer_build}" -j 2)
endif()

if(NOT_NEEDED)
  # A program linked to the C library alone needs libopsgraph_c, never libopsgraph itself.
  find_program(readelf NAMES readelf REQUIRED)
  execute_process(COMMAND "${readelf}" -d "${program}" OUTPUT_VARIABLE dynamic
                  COMMAND_ERROR_IS_FATAL ANY)
  string(REGEX MATCHALL "\\(NEEDED\\)[^\n]*" needed "${dynamic}")
  string(REPLACE "." "\\." pattern "${NOT_NEEDED}")
  if(needed MATCHES "\\[${pattern}[].]")
    message(FATAL_ERROR "${program} links ${NOT_NEEDED} directly: ${needed}")
  endif()
  if(NOT needed MATCHES "libopsgraph_c\\.so")
    message(FATAL_ERROR "${program} does not link libopsgraph_c: ${needed}")
  endif()
  message(STATUS "${program} links libopsgraph_c, and not ${NOT_NEEDED}")
endif()
run("${program}")

if(BUILD_STATIC)
  # The static build's own tree as the package too: it exports the RapidJSON wrapper its link
  # interface names (opsgraphBuildTreeTargets.cmake), which the shared build tree has no need for.
  set(tree_build "${WORK_DIR}/consumer-of-build-tree")
  list(FILTER consumer_args EXCLUDE REGEX "^-DCMAKE_PREFIX_PATH=")
  run("${CMAKE_COMMAND}" -S "${PROJECT}" -B "${tree_build}" ${common_args} ${opsgraph_args}
      ${consumer_args} "-Dopsgraph_DIR=${static_build}" "-DCMAKE_PREFIX_PATH=${WORK_DIR}/empty")
  run("${CMAKE_COMMAND}" --build "${tree_build}" -j 2)
  run("${tree_build}/opsgraph_consumer")
endif()
