# Every third-party package opsgraph builds against, found once. Debian bookworm names.
find_package(Threads REQUIRED)
find_package(Boost 1.81 REQUIRED CONFIG)   # header-only parts: Outcome, Asio
find_package(simdjson REQUIRED CONFIG)     # private: JSON parsing
find_package(RapidJSON REQUIRED CONFIG)    # private: JSON writing
find_package(SQLite3 REQUIRED)             # private: the embedded store

# RapidJSON's config exports variables, not a target.
if(NOT TARGET opsgraph_rapidjson)
  add_library(opsgraph_rapidjson INTERFACE)
  target_include_directories(opsgraph_rapidjson SYSTEM INTERFACE ${RAPIDJSON_INCLUDE_DIRS})
  target_compile_definitions(opsgraph_rapidjson INTERFACE RAPIDJSON_HAS_STDSTRING=1)
endif()

if(OPSGRAPH_BUILD_TESTS)
  find_package(GTest REQUIRED CONFIG)
endif()
if(OPSGRAPH_BUILD_BENCH)
  find_package(benchmark REQUIRED CONFIG)
endif()
