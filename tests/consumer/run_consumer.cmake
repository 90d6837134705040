# Runs one consumer project as its user would: (optionally) installs opsgraph into a fresh
# prefix, configures and builds the project from scratch, and runs its program.
# cmake -DPROJECT=<dir> -DWORK_DIR=<dir> -DOPSGRAPH_SOURCE_DIR=<dir> -DGENERATOR=<name>
#       -DCXX=<compiler> [-DLAUNCHER=ccache] [-DINSTALL_FROM=<build dir> -DCONFIG=<cfg>]
#       [-DBUILD_STATIC=ON] [-DHIDE_PRIVATE_DEPS=ON] -P run_consumer.cmake
cmake_minimum_required(VERSION 3.25)

foreach(required PROJECT WORK_DIR OPSGRAPH_SOURCE_DIR GENERATOR CXX)
  if(NOT DEFINED ${required})
    message(FATAL_ERROR "run_consumer.cmake: -D${required}=... is required")
  endif()
endforeach()

set(prefix "${WORK_DIR}/prefix")
set(consumer_build "${WORK_DIR}/consumer")
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")

# What a user's machine would pass: the same compiler and generator, opsgraph's own tests,
# benchmarks, examples and apps off.
set(common_args -G "${GENERATOR}" "-DCMAKE_CXX_COMPILER=${CXX}" --no-warn-unused-cli)
if(LAUNCHER)
  list(APPEND common_args "-DCMAKE_CXX_COMPILER_LAUNCHER=${LAUNCHER}")
endif()
set(opsgraph_args -DOPSGRAPH_BUILD_TESTS=OFF -DOPSGRAPH_BUILD_BENCH=OFF
    -DOPSGRAPH_BUILD_EXAMPLES=OFF -DOPSGRAPH_BUILD_APPS=OFF)

function(run)
  execute_process(COMMAND ${ARGN} COMMAND_ECHO STDOUT COMMAND_ERROR_IS_FATAL ANY)
endfunction()

if(INSTALL_FROM)
  set(config_args)
  if(CONFIG)
    set(config_args --config "${CONFIG}")
  endif()
  run("${CMAKE_COMMAND}" --install "${INSTALL_FROM}" ${config_args} --prefix "${prefix}")
endif()
if(BUILD_STATIC)
  set(static_build "${WORK_DIR}/opsgraph-static")
  run("${CMAKE_COMMAND}" -S "${OPSGRAPH_SOURCE_DIR}" -B "${static_build}" ${common_args}
      ${opsgraph_args} -DBUILD_SHARED_LIBS=OFF -DOPSGRAPH_INSTALL=ON)
  run("${CMAKE_COMMAND}" --build "${static_build}" -j 2)
  run("${CMAKE_COMMAND}" --install "${static_build}" --prefix "${prefix}")
endif()

set(consumer_args "-DOPSGRAPH_SOURCE_DIR=${OPSGRAPH_SOURCE_DIR}" "-DCMAKE_PREFIX_PATH=${prefix}"
    -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF)
if(HIDE_PRIVATE_DEPS)
  # A shared libopsgraph keeps its private dependencies to itself: the package must not look
  # for them, so they are made unfindable here.
  foreach(private simdjson RapidJSON SQLite3)
    list(APPEND consumer_args "-DCMAKE_DISABLE_FIND_PACKAGE_${private}=ON")
  endforeach()
endif()

run("${CMAKE_COMMAND}" -S "${PROJECT}" -B "${consumer_build}" ${common_args} ${opsgraph_args}
    ${consumer_args})
run("${CMAKE_COMMAND}" --build "${consumer_build}" -j 2)
run("${consumer_build}/opsgraph_consumer")
