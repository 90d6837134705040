# The allocator of the programs this tree builds (opsgraph, opsgraphd, opsgraph-mock-llm and the
# benchmarks). A task allocates on one I/O thread and often frees on the other, and glibc's malloc
# answers that with arena-lock contention: with two I/O threads it was 40% of the engine's CPU
# (bench/README.md, "Allocator"). jemalloc keeps per-thread caches and halves the per-task cost.
#
# Only executables link it. libopsgraph and libopsgraph_c never do: a program embedding them keeps
# the allocator it chose (docs/operations.md says which to choose).
#
#   OPSGRAPH_ALLOCATOR=auto      jemalloc when pkg-config finds it, glibc's malloc otherwise
#   OPSGRAPH_ALLOCATOR=jemalloc  jemalloc, or a configure error
#   OPSGRAPH_ALLOCATOR=system    the C library's malloc
#
# Sanitizer builds always use the system allocator: ASan replaces malloc itself.

set(OPSGRAPH_ALLOCATOR "auto" CACHE STRING "Allocator of the executables: auto, jemalloc or system")
set_property(CACHE OPSGRAPH_ALLOCATOR PROPERTY STRINGS auto jemalloc system)

set(_opsgraph_allocator "system")
if(OPSGRAPH_SANITIZE)
  if(OPSGRAPH_ALLOCATOR STREQUAL "jemalloc")
    message(FATAL_ERROR "OPSGRAPH_ALLOCATOR=jemalloc cannot be combined with OPSGRAPH_SANITIZE")
  endif()
elseif(OPSGRAPH_ALLOCATOR STREQUAL "auto" OR OPSGRAPH_ALLOCATOR STREQUAL "jemalloc")
  find_package(PkgConfig REQUIRED)
  if(OPSGRAPH_ALLOCATOR STREQUAL "jemalloc")
    pkg_check_modules(OPSGRAPH_JEMALLOC REQUIRED IMPORTED_TARGET jemalloc)
  else()
    pkg_check_modules(OPSGRAPH_JEMALLOC QUIET IMPORTED_TARGET jemalloc)
  endif()
  if(OPSGRAPH_JEMALLOC_FOUND)
    set(_opsgraph_allocator "jemalloc")
  endif()
elseif(NOT OPSGRAPH_ALLOCATOR STREQUAL "system")
  message(FATAL_ERROR "OPSGRAPH_ALLOCATOR must be auto, jemalloc or system, not '${OPSGRAPH_ALLOCATOR}'")
endif()
message(STATUS "opsgraph: executables use the ${_opsgraph_allocator} allocator")
set(_opsgraph_allocator_dir ${CMAKE_CURRENT_LIST_DIR})

# Links the chosen allocator into `target` (an executable) and tells it which one it has
# (OPSGRAPH_ALLOCATOR_NAME, for benchmarks to print).
function(opsgraph_link_allocator target)
  if(_opsgraph_allocator STREQUAL "jemalloc")
    target_link_libraries(${target} PRIVATE PkgConfig::OPSGRAPH_JEMALLOC)
    target_sources(${target} PRIVATE ${_opsgraph_allocator_dir}/jemalloc_config.cpp)
  endif()
  target_compile_definitions(${target} PRIVATE OPSGRAPH_ALLOCATOR_NAME="${_opsgraph_allocator}")
endfunction()
